//! The complainant's own contact with us: her mails, letters, calls and tickets, and the
//! complaint she filed. Their dates are background, never the date of the facts ("op
//! mijn e-mail van 28 oktober kreeg ik geen antwoord", "nachdem ich Ihnen am 3. November
//! geschrieben hatte", "Ik had op 2 november een klacht ingediend"); a call or a mail of
//! the trainer to her is a fact ("afgelopen maandag heeft de trainer mij drie keer
//! gebeld").

use chrono::NaiveDate;

use crate::intake::pattern::Pattern;

use super::super::re;

/// What a clause about the complainant's contact with us afterwards says: her mails,
/// calls and tickets, what she wrote to us, the complaint she filed.
pub(super) const CONTACT_WORDS: &str = r"gemaild|gebeld|ticket|(?:vroeg|vroegen|zei|zeiden|sprak|spraken|gesproken|told|asked|said|spoke|spoken|fragte|fragten|sagte|sagten|sprach|gesprochen)\s+(?:\S+\s+){0,3}?(?:aan|over|on|am|per)\s+(?:de\s+|the\s+)?(?:telefoon|phone|telefon)|verzoek|request|anfrage|antrag|emailed|e-mailed|contacted|contact\s+opgenomen|besproken|discussed|besprochen|telefoongesprek|telefoontje|telefonisch|phone\s+call|telefonat|telefoniert|angerufen|(?:ik|ich|wij|we|wir)\s+(?:\S+\s+){0,2}?(?:u|jullie|ihnen|euch)\s+(?:\S+\s+){0,6}?(?:geschreven|geschrieben|gestuurd|geschickt|gemailt|angeschrieben)|(?:schreef|stuurde|mailde|schrieb|schickte|mailte)\s+(?:ik|ich|wij|we|wir)\s+(?:u|jullie|ihnen|euch)|(?:ik|ich|wij|we|wir)\s+(?:\S+\s+){0,3}?(?:aan|naar|an)\s+(?:\S+@\S+|(?:de\s+|die\s+|den\s+)?(?:klantenservice|helpdesk|administratie|planning|kundenservice|verwaltung))\s+(?:\S+\s+){0,2}?(?:geschreven|geschrieben|gestuurd|geschickt|gemailt|gemaild|gemailed)|(?:i|we)\s+(?:wrote|sent|mailed|e-?mailed)\s+(?:to\s+)?(?:you|numun|\S+@\S+)|(?:i|we)\s+(?:also\s+|then\s+|again\s+)?(?:phoned|called|rang|telephoned)|(?:ik|wij|we)\s+belde[n]?|belde[n]?\s+(?:ik|wij|we)|(?:ich|wir)\s+rief(?:en)?|rief(?:en)?\s+(?:ich|wir)|(?:klacht|complaint|beschwerde)\s+(?:\S+\s+){0,6}?(?:ingediend|ingestuurd|gemeld|eingereicht|filed|submitted|lodged)|(?:filed|submitted|lodged|made|raised)\s+(?:a|my|the|our)\s+(?:formal\s+)?complaint|(?:diende|dienden)\s+(?:ik\s+|wij\s+|we\s+)?(?:een|mijn|onze)\s+klacht";

pub(super) static CONTACT: Pattern = Pattern::new(|| re(&format!(r"\b(?:{CONTACT_WORDS})\b")));

/// The complainant's contact with us, or her complaint, as a noun.
const CONTACT_NOUNS: &str = r"telefoongesprek|telefoontje|belletje|telefonat|anruf|call|phone\s+call|conversation|mail|e-?mail|mailtje|e-?mailbericht|bericht|brief|letter|reactie|antwoord|reply|schreiben|nachricht|verzoek|aanvraag|request|anfrage|antrag|bezwaar|objection|einspruch|widerspruch|herinnering|reminder|erinnerung|klacht|complaint|beschwerde|ticket";

/// A contact noun alone: "na ons telefoongesprek van gisteren" names a call, not the facts.
pub(super) static CONTACT_NOUN: Pattern =
    Pattern::new(|| re(&format!(r"(?i)^(?:{CONTACT_NOUNS})\W*$")));

/// Whether the date at `at` of `text` is that of the complainant's own mail, letter,
/// call or complaint: "mijn e-mail van 28 oktober", "mijn brief d.d. 2 november", "my
/// email of 3 November", "meine E-Mail vom 3. November", "de mail die ik op 28 oktober
/// stuurde".
pub(super) fn own_contact(text: &str, at: usize) -> bool {
    static OWN: Pattern = Pattern::new(|| {
        re(&format!(
            r"(?i)(?:\b(?:mijn|onze|ons|my|our|meine?[mnrs]?|unsere?[mnrs]?)\s+(?:\S+\s+){{0,2}}?(?:{CONTACT_NOUNS})\s+(?:van|of|vom|d\.\s?d\.|dd\.?|dated|from|sent\s+on|gedateerd|op|on|am)|\b(?:{CONTACT_NOUNS})\s+(?:die|dat|which|that|die|den)\s+(?:ik|i|ich|wij|we|wir)\s+(?:u\s+|jullie\s+|you\s+|ihnen\s+|euch\s+)?(?:op|on|am))\s*$"
        ))
    });
    OWN.is_match(&text[..at])
}

/// Whether a contact verb in `clause` (lower case) tells what someone else did to the
/// complainant, not her contact with us nor ours with her: "de trainer heeft mij drie keer
/// gebeld", "he emailed me", "letzten Montag hat mich die Buchhaltung angerufen".
pub(super) fn contacted_by_another(clause: &str, verb: &str) -> bool {
    static TO_ME: Pattern = Pattern::new(|| re(r"\b(?:mij|me|mich|mir)\b"));
    static BY_ME: Pattern = Pattern::new(|| re(r"\b(?:ik|i|ich|wij|we|wir)\b"));
    // "u heeft mij gebeld", "Sie haben mich angerufen": our call, no fact of the complaint
    static BY_US: Pattern =
        Pattern::new(|| re(r"\b(?:u|uw|jullie|you|your|sie|ihr|ihre[mnrs]?|numun)\b"));
    static CALLED: Pattern = Pattern::new(|| {
        re(
            r"^(?:gebeld|gemaild|emailed|e-mailed|contacted|contact\s+opgenomen|angerufen|telefoniert)$",
        )
    });
    CALLED.is_match(verb)
        && TO_ME.is_match(clause)
        && !BY_ME.is_match(clause)
        && !BY_US.is_match(clause)
}

/// The date of a contact of hers that is itself what she complains of, when nothing
/// else dates the facts: "Op 3 november heb ik gebeld om mij af te melden, maar de
/// medewerker was onbeschoft en hing op", "I called on 5 November and was shouted at".
/// A chase that went unanswered is background, never this.
pub(super) fn contact_that_went_wrong(text: &str, sent: NaiveDate) -> Option<NaiveDate> {
    static WENT_WRONG: Pattern = Pattern::new(|| {
        re(
            r"\b(?:onbeschoft|grof|brutaal|onvriendelijk|uitgescholden|scheldwoorden|schreeuwde|schreeuwden|uitgelachen|beledigd\w*|bedreigd|dreigde|hing\s+(?:\S+\s+)?op|rude|insult\w*|shouted|yelled|swore|threatened|laughed\s+at|hung\s+up|unh(?:ö|oe)flich|beleidigt|beschimpft|angeschrien|bedroht|legte\s+(?:\S+\s+)?auf)\b",
        )
    });
    // She called or wrote herself ("ik heb gebeld", "I called"), not a talk referred to.
    static SHE_CALLED: Pattern = Pattern::new(|| {
        re(
            r"\b(?:ik|i|ich|wij|we|wir)\b.*\b(?:gebeld|gemaild|belde|mailde|called|phoned|rang|emailed|e-mailed|angerufen|telefoniert|rief)\b",
        )
    });
    super::sentences(text)
        .filter(|s| {
            let lower = s.to_lowercase();
            SHE_CALLED.is_match(&lower) && WENT_WRONG.is_match(&lower)
        })
        .find_map(|s| super::first_date(s, sent))
}

#[cfg(test)]
mod tests {
    use super::super::event_date;
    use crate::intake::extract::tests::{d, ex, sent};

    #[test]
    fn the_date_of_ones_own_mail_or_call_is_no_fact() {
        // sent() is Friday 20 November 2026.
        for (text, want) in [
            (
                "De training van 27 oktober ging niet door. Op mijn e-mail van 28 oktober aan info@numun.nl heb ik geen antwoord gekregen.",
                Some(d(2026, 10, 27)),
            ),
            (
                "Op 2 november stond ik voor een dichte deur; in mijn brief d.d. 3 november heb ik om uitleg gevraagd.",
                Some(d(2026, 11, 2)),
            ),
            (
                "The trainer left at noon on 4 November. I emailed you on 5 November and my email of 9 November is still unanswered.",
                Some(d(2026, 11, 4)),
            ),
            (
                "Der Kurs am 2. November fiel aus. Nachdem ich Ihnen am 3. November geschrieben hatte, kam nichts.",
                Some(d(2026, 11, 2)),
            ),
            (
                "Op 6 november was de zaal te klein. Ik heb op 10 november gebeld en niemand nam op.",
                Some(d(2026, 11, 6)),
            ),
            (
                "Op de mail die ik op 12 november stuurde kwam niets terug, terwijl de toets op 9 november al fout ging.",
                Some(d(2026, 11, 9)),
            ),
            // The date of filing: no fact at all.
            (
                "Ik had op 2 november een klacht ingediend over de opleiding Excel basis.",
                None,
            ),
            ("I filed a complaint on 3 November about the course.", None),
            // Words without a verb go on with the contact before them.
            (
                "On 3 November the trainer skipped the video feedback. I emailed you on 5 November and again on 9 November, but I have had no reply.",
                Some(d(2026, 11, 3)),
            ),
            (
                "Op 2 november viel de les uit. Ik heb op 4 november gemaild en op 10 november nog een keer; mijn herinnering van 16 november bleef ook onbeantwoord.",
                Some(d(2026, 11, 2)),
            ),
            (
                "I phoned your office on 12 November and was promised a call back. The workshop itself, on 10 November, started two hours late.",
                Some(d(2026, 11, 10)),
            ),
            (
                "Op 3 november deed ik mijn examen. Ik heb op 6 november gebeld, op 9 november gemaild en op 12 november nogmaals gebeld.",
                Some(d(2026, 11, 3)),
            ),
        ] {
            assert_eq!(event_date(text, sent()), want, "{text}");
        }
    }

    #[test]
    fn a_mail_or_call_of_the_trainer_is_a_fact() {
        for (text, want) in [
            (
                "Op 12 november volgde ik de workshop. Afgelopen maandag heeft de trainer mij drie keer gebeld op mijn werk.",
                d(2026, 11, 16),
            ),
            (
                "After the course of 3 November I wrote a review. Last Monday the trainer emailed me twice.",
                d(2026, 11, 16),
            ),
            (
                "Nach dem Seminar am 5. November hat mich der Trainer letzten Montag angerufen.",
                d(2026, 11, 16),
            ),
            (
                "Mein Coaching endete am 30. Oktober. Letzten Montag hat mich die Buchhaltung angerufen und war sehr unhöflich.",
                d(2026, 11, 16),
            ),
            // A clause with a verb of its own after the call tells a fact.
            (
                "Ik heb op 5 november gebeld en op 9 november is de les weer uitgevallen.",
                d(2026, 11, 9),
            ),
            // A mail from someone else on a date is a fact ("de mail van 3 november").
            (
                "In de mail van 3 november stond dat de training niet doorging.",
                d(2026, 11, 3),
            ),
        ] {
            assert_eq!(event_date(text, sent()), Some(want), "{text}");
        }
        // A contact of hers that itself went wrong, nothing else dated: its date.
        for (text, want) in [
            (
                "Op 3 november heb ik gebeld om mij af te melden, maar de medewerker was onbeschoft en hing op.",
                Some(d(2026, 11, 3)),
            ),
            (
                "I called your office on 5 November and was shouted at by the person who answered.",
                Some(d(2026, 11, 5)),
            ),
            // A chase nobody answered is no fact.
            ("Ik heb op 30 oktober gebeld en niemand nam op.", None),
            // Another date of the facts wins.
            (
                "Op 2 november viel de les uit. Op 3 november heb ik gebeld en de medewerker was onbeschoft.",
                Some(d(2026, 11, 2)),
            ),
        ] {
            assert_eq!(event_date(text, sent()), want, "{text}");
        }
        // Our call to her is no fact of the complaint.
        assert_eq!(
            event_date(
                "Op 6 november viel de les uit. Op 10 november heeft u mij gebeld, zonder oplossing.",
                sent()
            ),
            Some(d(2026, 11, 6))
        );
        // A mail of her own with a verb: still background.
        assert_eq!(
            ex("Op 6 november viel de les uit; ik heb de trainer op 9 november gemaild.")
                .fields
                .incident_date,
            Some(d(2026, 11, 6))
        );
    }
}
