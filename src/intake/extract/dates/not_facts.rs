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

/// "tot vandaag", "until today", "bis heute": how long a state lasted ("de hand-outs heb
/// ik tot vandaag niet ontvangen"), up to the writing; no fact of that day.
pub(super) fn until_now(text: &str, at: usize) -> bool {
    static NOW: Pattern = Pattern::new(|| re(r"(?i)^(?:vandaag|today|heute)\b"));
    let before = text[..at].to_lowercase();
    let before = before.trim_end();
    let before = before.strip_suffix(" op").unwrap_or(before);
    NOW.is_match(&text[at..])
        && ["tot", "until", "till", "to", "bis", "up to"]
            .iter()
            .any(|w| before == *w || before.ends_with(&format!(" {w}")))
}

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
