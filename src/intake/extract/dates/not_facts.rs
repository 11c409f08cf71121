//! Dates in a text that are not of the facts: in quoted speech, on the timestamp line of
//! a message or the date line of a letter, the end of a state that lasts up to the
//! writing ("tot vandaag").

use crate::intake::pattern::Pattern;

use super::super::re;
use crate::intake::dates::{MONTH_WORDS, WEEKDAY_WORDS};

/// Whether `at` is inside quoted speech: "je zag er vandaag lekker uit", a "today only"
/// discount say what was said, not when.
pub(in crate::intake::extract) fn in_quotes(text: &str, at: usize) -> bool {
    // "...", “...” and the German „...“ (whose closing mark opens the English quote).
    let (mut straight, mut curly, mut german) = (false, false, false);
    for c in text[..at].chars() {
        match c {
            '"' => straight = !straight,
            '\u{201e}' => german = true,
            '\u{201c}' if german => german = false,
            '\u{201c}' => curly = true,
            '\u{201d}' => curly = false,
            _ => {}
        }
    }
    straight || curly || german
}

/// "tot vandaag", "until today", "as of today", "bis heute": how long a state lasted ("de
/// hand-outs heb ik tot vandaag niet ontvangen"), up to the writing; so is a today that
/// says what has still not come ("vandaag nog steeds geen reactie", "today I still have
/// not heard back", "heute immer noch keine Antwort"). No fact of that day.
pub(super) fn until_now(text: &str, at: usize) -> bool {
    static NOW: Pattern = Pattern::new(|| re(r"(?i)^(?:vandaag|today|heute)\b"));
    if !NOW.is_match(&text[at..]) {
        return false;
    }
    let before = text[..at].to_lowercase();
    let before = before.trim_end();
    let before = before.strip_suffix(" op").unwrap_or(before);
    [
        "tot", "until", "till", "to", "bis", "up to", "as of", "as at", "t/m",
    ]
    .iter()
    .any(|w| before == *w || before.ends_with(&format!(" {w}")))
        || STILL_NOT_HEARD.is_match(&text[at..].to_lowercase())
}

/// After a today: nothing received or heard yet, in the same sentence.
static STILL_NOT_HEARD: Pattern = Pattern::new(|| {
    re(
        r"^[^.;!?\n]*\b(?:nog\s+(?:steeds\s+|altijd\s+)?(?:geen|niets|niks|niet)|still\s+(?:no|not|nothing|haven.t|hasn.t|have\s+not|has\s+not|have\s+had\s+no|(?:have|had|got)\s+(?:no|not|nothing))|(?:haven.t|hasn.t|have\s+not|has\s+not)\s+(?:\S+\s+)?(?:yet|still)|(?:noch\s+)?immer\s+noch\s+(?:keine?n?|nichts|nicht)|noch\s+(?:immer\s+)?(?:keine?n?|nichts|nicht))\b[^.;!?\n]*\b(?:ontvangen|gekregen|gehoord|teruggehoord|reactie|antwoord|bericht|gereageerd|geantwoord|teruggebeld|received|heard|reply|response|answer|replied|responded|erhalten|bekommen|geh(?:ö|oe)rt|antwort|reaktion|r(?:ü|ue)ckmeldung|nachricht|geantwortet|gemeldet)",
    )
});

/// A date alone on the first or the last line of a text: the date of the letter
/// ("Hanneke Smulders\n4 november 2026" under a complaint written in a document), the
/// day of writing, not of the facts. Not the last of a list of dates, one a line.
pub(super) fn letter_date(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let (before, after) = (text[..line_start].trim(), text[line_end..].trim());
    let neighbour = if before.is_empty() {
        after.lines().next()
    } else if after.is_empty() {
        before.lines().next_back()
    } else {
        return false;
    };
    LETTER_DATE.is_match(text[line_start..line_end].trim())
        && !neighbour.is_some_and(|l| LETTER_DATE.is_match(l.trim()))
}

static LETTER_DATE: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?i)^(?:(?:{WEEKDAY_WORDS}),?\s+)?[0-9]{{1,2}}[\s\-./]+(?:{MONTH_WORDS}|[0-9]{{1,2}})\.?[\s\-./]+[0-9]{{4}}\.?$"
    ))
});

/// A date alone on its line with a clock time, or after a place: the timestamp of a
/// message in a ticket system or chat ("19 nov. 2026 10:14 CET"), the date line of a
/// letter ("Aachen, 24.11.2026"): not a fact.
pub(super) fn is_timestamp(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    TIMESTAMP.is_match(text[line_start..line_end].trim())
}

static TIMESTAMP: Pattern = Pattern::new(|| {
    let date = format!(
        r"(?:(?:{WEEKDAY_WORDS}|[a-z]{{2,3}})\.?,?\s+)?[0-9]{{1,2}}[\s\-./]+(?:{MONTH_WORDS}|[0-9]{{1,2}})\.?[\s\-./]+[0-9]{{2,4}}"
    );
    let time = r"[0-9]{1,2}[:.][0-9]{2}(?::[0-9]{2})?(?:\s*[a-z]{2,5})?";
    let place = r"\p{Lu}[\p{L}'\- ]{1,30},";
    re(&format!(
        r"(?i)^(?:{date},?\s+(?:om\s+|at\s+|um\s+)?{time}|(?-i:{place})\s*{date}\.?)$"
    ))
});

#[cfg(test)]
mod tests {
    use super::super::event_date;
    use crate::intake::extract::tests::{d, sent};

    #[test]
    fn today_as_the_end_of_a_state_is_no_fact() {
        // sent() is Friday 20 November 2026.
        for (text, want) in [
            (
                "The session on Friday 6 November had no link. As of today I have received nothing.",
                Some(d(2026, 11, 6)),
            ),
            (
                "Op 9 november kwam de trainer niet. Tot vandaag nog geen reactie van jullie.",
                Some(d(2026, 11, 9)),
            ),
            (
                "Afgelopen dinsdag viel de les uit en vandaag heb ik nog steeds geen bericht gekregen.",
                Some(d(2026, 11, 17)),
            ),
            (
                "Das Seminar am 4. November fiel aus, bis heute keine Antwort.",
                Some(d(2026, 11, 4)),
            ),
            (
                "The trainer cancelled on 3 November and today I still haven't heard back.",
                Some(d(2026, 11, 3)),
            ),
            (
                "Der Kurs war am 2. November. Heute habe ich immer noch keine Rückmeldung erhalten.",
                Some(d(2026, 11, 2)),
            ),
            (
                "The certificate was promised on 2 November. Today, two weeks later, I still have no answer.",
                Some(d(2026, 11, 2)),
            ),
            (
                "Der Kurs am 4. November fiel aus. Heute, zwei Wochen später, habe ich immer noch nichts gehört.",
                Some(d(2026, 11, 4)),
            ),
            // Only the state: no date of the facts.
            ("Tot op heden heb ik niets ontvangen.", None),
        ] {
            assert_eq!(event_date(text, sent()), want, "{text}");
        }
        // What happened today is a fact of today, a state seen today too.
        for text in [
            "Vandaag stond ik voor een dichte deur.",
            "Vandaag was de zaal nog steeds niet open.",
            "Today the trainer did not turn up.",
        ] {
            assert_eq!(event_date(text, sent()), Some(sent()), "{text}");
        }
    }

    #[test]
    fn a_relative_weekday_is_the_latest_fact() {
        // sent() is Friday 20 November 2026.
        for (text, want) in [
            (
                "Op 12 november was de workshop. Afgelopen maandag stuurde de trainer mij een dreigend bericht.",
                d(2026, 11, 16),
            ),
            (
                "De cursus was op 4 november; jl. maandag kreeg ik een onvoldoende zonder uitleg.",
                d(2026, 11, 16),
            ),
            (
                "De toets was op 2 november. Vorige week donderdag kreeg ik de uitslag, die niet klopte.",
                d(2026, 11, 12),
            ),
            (
                "The course ended on 30 October. Last Monday the coach posted my results in the group chat.",
                d(2026, 11, 16),
            ),
            (
                "Das Seminar war am 3. November. Letzten Montag kam eine Rechnung über den doppelten Betrag.",
                d(2026, 11, 16),
            ),
            (
                "Op 10 november volgde ik dag 1. Eergisteren werd dag 2 zonder bericht afgezegd.",
                d(2026, 11, 18),
            ),
        ] {
            assert_eq!(event_date(text, sent()), Some(want), "{text}");
        }
    }
}
