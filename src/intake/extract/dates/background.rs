//! The background of a complaint: booking, registering, paying, and the papers that
//! come of it (a confirmation, an invitation). Their dates give way to the
//! date of the facts; the day one booked *for* is the facts' day ("ingeschreven voor de
//! cursus op 24 september", "den ich für Freitag, den 6. November gebucht hatte").

use crate::intake::pattern::Pattern;

use super::super::re;
use super::CONTACT_WORDS;
use crate::intake::dates::WEEKDAY_WORDS;

/// The papers of a booking: confirmations and invitations. An invoice is no background:
/// a complaint about an invoice dates from receiving it.
const PAPERS: &str =
    r"\w*(?:bevestiging|uitnodiging|confirmation|invitation|best(?:ä|ae)tigung|einladung)";

/// What a sentence about the background of a complaint says: booking, paying,
/// confirming, invoicing, a paper of it received, her own contact with us.
pub(in crate::intake::extract) static BACKGROUND: Pattern = Pattern::new(|| {
    re(&format!(
        r"\b(?:ingeschreven|inschreef|aangemeld|aanmeldde|geboekt|boekte|betaald|betaalde|overgemaakt|bevestigd|bevestigde|gefactureerd|factureerde|enrolled|registered|signed\s+up|booked|paid|confirmed|invoiced|angemeldet|gebucht|bezahlt|best(?:ä|ae)tigt|(?:ontving|kreeg|ontvangen|gekregen|received|got|erhielt|erhalten|bekam|bekommen)\s+(?:\S+\s+){{0,5}}?{PAPERS}|{PAPERS}\s+(?:\S+\s+){{0,6}}?(?:ontving|kreeg|ontvangen|gekregen|received|got|erhielt|erhalten|bekam|bekommen)|oorspronkelijk|originally|urspr(?:ü|ue)nglich|{CONTACT_WORDS})\b"
    ))
});

/// Whether the date at `at` of `text` is that of a paper of the booking: "de bevestiging
/// van 2 oktober", "Laut Ihrer Anmeldebestätigung vom 2. Oktober", "the confirmation dated 3
/// October", "de agenda-uitnodiging die ik op 2 oktober van u kreeg".
pub(super) fn of_a_paper(text: &str, at: usize) -> bool {
    static PAPER: Pattern = Pattern::new(|| {
        re(&format!(
            r"(?i)\b(?:{PAPERS})\s+(?:(?:van|of|vom|d\.\s?d\.|dd\.?|dated|from|gedateerd|sent\s+on)|(?:die|dat|which|that|den|die|das)\s+(?:ik|i|ich|wij|we|wir|zij|she|sie)\s+(?:\S+\s+){{0,2}}?(?:op|on|am))\s*$"
        ))
    });
    PAPER.is_match(&text[..at])
}

/// Whether the date at `at` of `text` is the day one booked or enrolled for: "voor de
/// cursus op 24 september" after "ingeschreven", "für Freitag, den 6. November",
/// "booked for the workshop on 3 November".
pub(super) fn booked_for(text: &str, at: usize) -> bool {
    static FOR: Pattern = Pattern::new(|| {
        re(&format!(
            r"(?i)\b(?:voor|for|f(?:ü|ue)r)\s+(?:(?:de|het|die|der|den|das|the|a|een|einen|eine|ein|my|mijn|meinen)\s+)?(?:[\w-]+\s+){{0,3}}?(?:(?:op|on|am|van|of|vom)\s+)?(?:(?:{WEEKDAY_WORDS}),?\s+)?(?:(?:den|de|the)\s+)?$"
        ))
    });
    FOR.is_match(&text[..at])
}

/// Whether a background verb tells a state, not an act: "stond ik ingeschreven voor",
/// "war ich für den Kurs angemeldet", "I was registered for": the day of the course
/// it names is the facts' day.
pub(super) fn a_state(before: &str, verb: &str) -> bool {
    static STATE: Pattern = Pattern::new(|| {
        re(r"\b(?:stond|stonden|sta|staan|stand|standen|war|waren|was|were)\s+(?:\S+\s+){0,3}?$")
    });
    static ENROLLED: Pattern = Pattern::new(|| {
        re(r"^(?:ingeschreven|aangemeld|geboekt|angemeldet|gebucht|registered|enrolled|booked)$")
    });
    ENROLLED.is_match(verb) && STATE.is_match(before)
}

/// Whether the words before a background verb deny it ("niemand had ons gebeld",
/// "nobody contacted us", "ich wurde nicht angerufen"): what did not happen is a fact
/// of the complaint, not its background.
pub(super) fn negated(before: &str) -> bool {
    before.split_whitespace().rev().take(6).any(|w| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphanumeric()),
            "niet"
                | "niemand"
                | "nooit"
                | "geen"
                | "not"
                | "nobody"
                | "never"
                | "no"
                | "nicht"
                | "niemals"
                | "keiner"
                | "nie"
                | "didn't"
                | "hasn't"
                | "hadn't"
                | "wasn't"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::event_date;
    use crate::intake::extract::tests::{d, sent};

    #[test]
    fn the_papers_of_a_booking_are_background() {
        // sent() is Friday 20 November 2026.
        for (text, want) in [
            (
                "Volgens de bevestiging die ik op 2 oktober van u kreeg, was de training in Amersfoort. Op 10 november stond ik voor een dichte deur.",
                Some(d(2026, 11, 10)),
            ),
            (
                "Laut Ihrer Anmeldebestätigung vom 2. Oktober sollte der Kurs in Enschede sein. Am 6. November war der Raum verschlossen.",
                Some(d(2026, 11, 6)),
            ),
            (
                "On 5 October I received the confirmation. When I arrived on 12 November the room was locked.",
                Some(d(2026, 11, 12)),
            ),
            (
                "De locatie werd mij op 3 september per mail bevestigd. Op 24 september bleek er geen lift te zijn.",
                Some(d(2026, 9, 24)),
            ),
            // Negative: an invoice received is itself the facts of a complaint about it.
            (
                "Op 2 november ontving ik factuur F-12 voor de cursus van 7 oktober; daarop staat het dubbele bedrag.",
                Some(d(2026, 11, 2)),
            ),
            // Negative: a date that is no paper's still dates the facts.
            (
                "Op 12 november kwam de trainer niet opdagen.",
                Some(d(2026, 11, 12)),
            ),
        ] {
            assert_eq!(event_date(text, sent()), want, "{text}");
        }
    }

    #[test]
    fn the_day_one_booked_for_is_the_facts_day() {
        for (text, want) in [
            (
                "Cliënte had zich via uw website ingeschreven voor de EHBO-cursus op donderdag 24 september 2026; op 3 september ontving zij de bevestiging.",
                Some(d(2026, 9, 24)),
            ),
            (
                "Ich beschwere mich über den Workshop, den ich für Freitag, den 6. November 2026, bei Ihnen gebucht hatte.",
                Some(d(2026, 11, 6)),
            ),
            (
                "Op dinsdag 10 november stond ik ingeschreven voor de training Omgaan met agressie.",
                Some(d(2026, 11, 10)),
            ),
            (
                "I was registered for the workshop on 9 November, but my name was not on the list.",
                Some(d(2026, 11, 9)),
            ),
            // Negative: the day of registering is still background.
            (
                "Op 1 september heb ik mij ingeschreven. Op 12 november kwam de trainer niet.",
                Some(d(2026, 11, 12)),
            ),
        ] {
            assert_eq!(event_date(text, sent()), want, "{text}");
        }
    }

    #[test]
    fn dates_before_a_chase_go_with_it() {
        for (text, want) in [
            (
                "Vom 24. bis 28. August 2026 habe ich den Kurs besucht. Am 3. September und am 10. September habe ich an info@numun.nl geschrieben, ohne Antwort.",
                Some(d(2026, 8, 28)),
            ),
            (
                "De cursus was op 2 oktober. Op 5 oktober en op 12 oktober heb ik naar de klantenservice gemaild.",
                Some(d(2026, 10, 2)),
            ),
            // Negative: a verbless part before a fact stays a fact.
            (
                "Op 3 november en op 10 november kwam de trainer te laat.",
                Some(d(2026, 11, 10)),
            ),
        ] {
            assert_eq!(event_date(text, sent()), want, "{text}");
        }
    }
}
