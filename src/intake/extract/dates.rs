//! The date of the facts: labelled ("Datum voorval:"), or the latest date of the facts
//! in the text: "3 november", "3-11-2026", "November 3, 2026", "gisteren", "afgelopen
//! dinsdag". Month and weekday names are read by `intake::dates`; a month without a day
//! is a period (`periods`).

use crate::intake::pattern::Pattern;

use chrono::{Datelike, Days, NaiveDate};
use regex::Captures;

use super::lines::Doc;
use super::re;
use crate::intake::dates::{
    ENGLISH_MONTH_WORDS, MONTH_WORDS, WEEKDAY_WORDS, month_number, weekday,
};

mod alone;
pub(super) use alone::tells_an_event;
mod background;
pub(super) use background::BACKGROUND;
use background::{a_state, booked_for, negated, of_a_paper};
mod contact;
use contact::{CONTACT, CONTACT_NOUN, CONTACT_WORDS, contacted_by_another, own_contact};
mod not_facts;
mod quoted;
pub(super) use quoted::in_the_mail_below;

pub(super) use not_facts::in_quotes;
use not_facts::{is_timestamp, letter_date, until_now};

/// "3 november", "dinsdag 10 november 2026", "3 nov. 2026", "3rd of November", "on 3 November".
static DAY_MONTH: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?i)\b(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th|e|ste|de)?\.?(?:\s+of)?[\s\-]*(?P<m>{MONTH_WORDS})\b\.?(?:,?[\s\-]*(?P<y>[0-9]{{4}})\b)?"
    ))
});
/// English "November 3, 2026", "Nov 3rd": capitalised, so Dutch prose does not trigger it.
static MONTH_DAY: Pattern = Pattern::new(|| {
    re(&format!(
        r"\b(?P<m>{ENGLISH_MONTH_WORDS})\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>[0-9]{{4}})\b)?"
    ))
});
/// "03-11-2026", "3-11-2026", "3/11", "03/11/2026", "2026-11-03", "3.11.2026".
static NUMERIC: Pattern = Pattern::new(|| re(r"[0-9]+[-/.][0-9]+(?:[-/.][0-9]+)?"));
static RELATIVE: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?i)\b(?:(?P<w>eergisteren|gisteren(?:avond|middag|ochtend|morgen)?|vandaag|vanochtend|vanmorgen|vanmiddag|vanavond|the day before yesterday|yesterday|today|this morning|this afternoon|this evening|tonight|last night|vorgestern|gestern(?:\s+(?:abend|nachmittag|morgen|fr(?:ü|ue)h|mittag))?|heute(?:\s+(?:morgen|fr(?:ü|ue)h|nachmittag|mittag|abend))?)\b|(?:vorige|afgelopen) week\s+(?P<pw>{WEEKDAY_WORDS})|(?P<pw2>{WEEKDAY_WORDS})(?:avond|middag|ochtend|morgen)?\s+(?:van\s+)?(?:vorige week|letzter woche|der letzten woche|vergangener woche|last week)\b|(?:afgelopen|jongstleden|jl\.|j\.l\.|vorige|verleden|last|this past|past|letzten|letzte|vergangenen|vorigen)\s+(?P<lw>{WEEKDAY_WORDS})|(?P<lw2>{WEEKDAY_WORDS})(?:avond|middag|ochtend|morgen)?\s+(?:jl\.?|j\.l\.|jongstleden|afgelopen)\B?|(?P<bw>{WEEKDAY_WORDS})(?:avond|middag|ochtend|morgen|nacht|abend|nachmittag|vormittag|morning|afternoon|evening|night)?\b)"
    ))
});

/// A date written without a year is the latest such date not after `sent`.
fn without_year(day: u32, month: u32, sent: NaiveDate) -> Option<NaiveDate> {
    // A day in the coming weeks is a plan ("de volgende sessie op 1 december"), not
    // something that happened a year ago.
    if let Some(ahead) = NaiveDate::from_ymd_opt(sent.year(), month, day)
        && ahead > sent
        && (ahead - sent).num_days() <= PLAN_DAYS
    {
        return None;
    }
    (0..=8).find_map(|back| {
        NaiveDate::from_ymd_opt(sent.year() - back, month, day).filter(|d| *d <= sent)
    })
}

/// How far ahead of a mail a date without a year is read as a plan, in days.
const PLAN_DAYS: i64 = 75;

/// A date with its year, if it can be the date of the facts: not after `sent`, not more
/// than ten years before.
fn with_year(year: i32, month: u32, day: u32, sent: NaiveDate) -> Option<NaiveDate> {
    let year = if (0..100).contains(&year) {
        2000 + year
    } else {
        year
    };
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| *d <= sent && sent.year() - d.year() <= 10)
}

fn ymd(year: Option<&str>, month: u32, day: &str, sent: NaiveDate) -> Option<NaiveDate> {
    let day: u32 = day.parse().ok()?;
    match year {
        Some(y) => with_year(y.parse().ok()?, month, day, sent),
        None => without_year(day, month, sent),
    }
}

/// Words after "2-3" that make it a quantity, not a date.
const UNITS: &[&str] = &[
    "u",
    "uur",
    "uren",
    "dag",
    "dagen",
    "dagdeel",
    "dagdelen",
    "week",
    "weken",
    "maand",
    "maanden",
    "jaar",
    "keer",
    "x",
    "min",
    "minuten",
    "personen",
    "deelnemers",
    "mensen",
    "sessies",
    "lessen",
    "hours",
    "hour",
    "days",
    "day",
    "weeks",
    "times",
    "people",
    "euro",
    "procent",
    "punten",
    "points",
    "km",
    "kilometer",
];
/// Words before "7-8" that make it a score or a range.
const SCORE_WORDS: &[&str] = &[
    "een",
    "cijfer",
    "score",
    "tussen",
    "ongeveer",
    "circa",
    "ca.",
    "zo'n",
    "grade",
    "between",
    "about",
    "around",
    "pagina",
    "page",
    "blz.",
    "blz",
    "hoofdstuk",
    "chapter",
    "les",
    "module",
];

fn numeric_date(s: &str, start: usize, end: usize, sent: NaiveDate) -> Option<NaiveDate> {
    let m = &s[start..end];
    let before = s[..start].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || "-/.,:€$+#_".contains(c)) {
        return None;
    }
    let mut after = s[end..].chars();
    match after.next() {
        Some(c) if c.is_alphanumeric() => return None,
        Some('-' | '/' | '.' | ',' | ':') if after.next().is_some_and(|c| c.is_ascii_digit()) => {
            return None;
        }
        _ => {}
    }
    let seps: Vec<char> = m.chars().filter(|c| !c.is_ascii_digit()).collect();
    let parts: Vec<&str> = m.split(['-', '/', '.']).collect();
    let num = |p: &str| p.parse::<u32>().ok();
    match parts.as_slice() {
        [y, mo, d]
            if y.len() == 4
                && mo.len() <= 2
                && d.len() <= 2
                && seps[0] == seps[1]
                && seps[0] != '.' =>
        {
            with_year(y.parse().ok()?, num(mo)?, num(d)?, sent)
        }
        [d, mo, y]
            if d.len() <= 2
                && mo.len() <= 2
                && (y.len() == 4 || y.len() == 2)
                && seps[0] == seps[1] =>
        {
            with_year(y.parse().ok()?, num(mo)?, num(d)?, sent)
        }
        [d, mo] if d.len() <= 2 && mo.len() <= 2 && matches!(seps[0], '/' | '-') => {
            // "1/2 dag", "2-3 uur", "een 7-8": fractions, ranges and scores.
            let fraction = seps[0] == '/' && matches!(m, "1/2" | "1/3" | "2/3" | "1/4" | "3/4");
            let next = s[end..]
                .trim_start()
                .split(|c: char| !c.is_alphabetic())
                .next();
            let unit = next.is_some_and(|w| UNITS.contains(&w.to_lowercase().as_str()));
            let prev = s[..start].split_whitespace().next_back();
            let score = prev.is_some_and(|w| SCORE_WORDS.contains(&w.to_lowercase().as_str()));
            if fraction || unit || score {
                return None;
            }
            without_year(num(d)?, num(mo)?, sent)
        }
        _ => None,
    }
}

fn relative_date(c: &Captures, text: &str, sent: NaiveDate) -> Option<NaiveDate> {
    // "vandaag (31 oktober)", "afgelopen dinsdag 10 november": the explicit date wins.
    let end = c.get(0)?.end();
    let after = text[end..].trim_start_matches(|ch: char| ch.is_whitespace() || "(,:".contains(ch));
    if after.starts_with(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    if let Some(w) = c.name("w") {
        let w = w.as_str().to_lowercase();
        let back = if w.starts_with("eer") || w.contains("before") || w == "vorgestern" {
            2
        } else if w.starts_with("gister")
            || w.starts_with("yester")
            || w.starts_with("gestern")
            || w == "last night"
        {
            1
        } else {
            0
        };
        return sent.checked_sub_days(Days::new(back));
    }
    if let Some(w) = c.name("pw").or(c.name("pw2")) {
        let wd = weekday(w.as_str())?;
        let monday =
            sent.checked_sub_days(Days::new(u64::from(sent.weekday().num_days_from_monday())))?;
        return monday
            .checked_sub_days(Days::new(7))?
            .checked_add_days(Days::new(u64::from(wd.num_days_from_monday())));
    }
    if let Some(w) = c.name("bw") {
        return alone::weekday_alone(text, w.start(), c.get(0)?.end(), sent);
    }
    let w = c.name("lw").or(c.name("lw2"))?;
    let wd = weekday(w.as_str())?;
    let diff = (7 + sent.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    let diff = if diff == 0 { 7 } else { diff };
    sent.checked_sub_days(Days::new(u64::from(diff)))
}

/// The date of what the complaint is about: the latest date of the facts, so the last
/// day of a course of several sessions or the last of a series of incidents; dates of
/// background (enrolment, booking, payment, the complainant's own mails and tickets:
/// "Op 1 september heb ik mij ingeschreven, op 12 november kwam de trainer niet") give
/// way. The first date when every date is background (a complaint about an invoice),
/// save the complainant's own contact with us.
fn event_date(text: &str, sent: NaiveDate) -> Option<NaiveDate> {
    let dates = |background: &'static Pattern| {
        facts(text, background).flat_map(move |part| {
            // Where the clause starts in `text` (a slice of it).
            let offset = part.text.as_ptr() as usize - text.as_ptr() as usize;
            all_dates(part.text, sent)
                .into_iter()
                .filter(move |(at, _)| {
                    (*at >= part.from || of_an_event(part.text, *at) || booked_for(part.text, *at))
                        && !of_a_paper(part.text, *at)
                        && !is_timestamp(part.text, *at)
                        && !in_quotes(text, offset + at)
                        && !until_now(part.text, *at)
                        && !letter_date(text, offset + at)
                        && !own_contact(part.text, *at)
                })
                .map(move |(at, d)| (offset + at, d))
        })
    };
    dates(&BACKGROUND)
        .map(|(_, d)| d)
        .max()
        // The complainant's contact with us afterwards ("zoals vanochtend telefonisch
        // besproken") is never the date of the facts.
        .or_else(|| dates(&CONTACT).min_by_key(|(at, _)| *at).map(|(_, d)| d))
        .or_else(|| contact::contact_that_went_wrong(text, sent))
}

/// A clause of a text and where its facts start.
pub(super) struct Part<'a> {
    pub(super) text: &'a str,
    /// Before this, a background verb governs the dates.
    pub(super) from: usize,
}

/// The clauses of `text` that tell facts: a sentence cut at ";" and before "en", "and",
/// "maar", "but". In a clause of background the facts start only in a clause of its own
/// after the verb: "Op 22 oktober heb ik betaald voor de workshop die op 3 november werd
/// gegeven"; a clause of background alone tells none (but the date of a noun in it).
pub(super) fn facts<'t>(
    text: &'t str,
    background: &'static Pattern,
) -> impl Iterator<Item = Part<'t>> {
    sentences(text).flat_map(move |s| {
        let mut cuts = Vec::new();
        let mut start = 0;
        for cut in PART.find_iter(s) {
            cuts.push(&s[start..cut.start()]);
            start = cut.start();
        }
        cuts.push(&s[start..]);
        let mut after_background = false;
        let mut parts = Vec::new();
        for text in cuts {
            let lower = text.to_lowercase();
            let from = match background.find_iter(&lower).rfind(|verb| {
                !negated(&lower[..verb.start()])
                    && !contacted_by_another(&lower, verb.as_str())
                    && !a_state(&lower[..verb.start()], verb.as_str())
            }) {
                // "I emailed you on 5 November and again on 9 November": a few words
                // without a verb of their own go on with the clause before.
                None if after_background && alone::no_verb_of_its_own(&lower) => usize::MAX,
                None => 0,
                Some(verb) => CLAUSE
                    .find_at(&lower, verb.end())
                    .map_or(usize::MAX, |c| c.end()),
            };
            after_background = from == usize::MAX;
            parts.push(Part { text, from });
        }
        // "Am 3. September und am 10. September habe ich geschrieben": a date alone
        // ("am 3. September") goes on with the background clause after it.
        for k in (0..parts.len().saturating_sub(1)).rev() {
            let lower = parts[k].text.to_lowercase();
            if parts[k].from == 0
                && parts[k + 1].from > 0
                && lower.split_whitespace().count() <= 4
                && !tells_an_event(&lower)
            {
                parts[k].from = usize::MAX;
            }
        }
        parts
    })
}

/// A date that belongs to a noun ("na de coaching van 13 november heb ik gemaild", "the
/// session of 3 November") names that event, whatever the clause's verb.
fn of_an_event(text: &str, at: usize) -> bool {
    let before: Vec<String> = text[..at]
        .split_whitespace()
        .rev()
        .take(4)
        .map(str::to_lowercase)
        .collect();
    let word = |i: usize| before.get(i).map_or("", String::as_str);
    ["van", "of", "vom"].contains(&word(0))
        && !CONTACT_NOUN.is_match(word(1))
        // "ons verzoek om herbeoordeling van 22 september": the request's date
        && !(["om", "for", "um", "tot", "zur", "zum"].contains(&word(2))
            && CONTACT_NOUN.is_match(word(3)))
}

/// Where a sentence is cut into clauses.
static PART: Pattern = Pattern::new(|| re(r"(?i);|:\s|,?\s\b(?:en|and|maar|but|und|aber)\s"));

/// Every date in `text`, where it starts (possibly twice, by two patterns).
fn all_dates(text: &str, sent: NaiveDate) -> Vec<(usize, NaiveDate)> {
    let month_date = |c: &Captures| {
        let (all, d, m) = (c.get(0)?, c.name("d")?, c.name("m")?);
        let mo = month_number(m.as_str())?;
        Some((
            all.start(),
            ymd(c.name("y").map(|y| y.as_str()), mo, d.as_str(), sent)?,
        ))
    };
    let mut found: Vec<(usize, NaiveDate)> = Vec::new();
    found.extend(DAY_MONTH.captures_iter(text).filter_map(|c| month_date(&c)));
    found.extend(MONTH_DAY.captures_iter(text).filter_map(|c| month_date(&c)));
    found.extend(
        NUMERIC
            .find_iter(text)
            .filter_map(|m| Some((m.start(), numeric_date(text, m.start(), m.end(), sent)?))),
    );
    found.extend(
        RELATIVE
            .captures_iter(text)
            .filter_map(|c| Some((c.get(0)?.start(), relative_date(&c, text, sent)?))),
    );
    found.dedup_by_key(|(at, _)| *at);
    found
}

/// The word that opens a clause of its own ("..., die op 3 november werd gegeven").
static CLAUSE: Pattern = Pattern::new(|| {
    re(r"\b(?:die|dat|welke|waar|waarop|toen|which|that|where|when|der|die|das|wo|als)\b")
});

/// The sentences of a text: split after ".", "!" or "?" followed by a space and a
/// capital, or at a line end ("1 sept. 2026" and "nr. 12" stay whole).
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let end = match c {
            '\n' => Some(i + 1),
            // "am 3. September": an ordinal, not a sentence's end.
            '.' if k > 0 && chars[k - 1].1.is_ascii_digit() => None,
            '.' | '!' | '?' => {
                let mut next = chars[k + 1..].iter().map(|(_, c)| *c);
                let spaced = next.next().is_some_and(char::is_whitespace);
                let capital = chars[k + 1..]
                    .iter()
                    .map(|(_, c)| *c)
                    .find(|c| !c.is_whitespace())
                    .is_some_and(char::is_uppercase);
                (spaced && capital).then_some(i + 1)
            }
            _ => None,
        };
        if let Some(end) = end {
            out.push(&text[start..end]);
            start = end;
        }
    }
    out.push(&text[start..]);
    out.into_iter().filter(|s| !s.trim().is_empty())
}

fn first_date(text: &str, sent: NaiveDate) -> Option<NaiveDate> {
    all_dates(text, sent)
        .into_iter()
        .min_by_key(|(pos, _)| *pos)
        .map(|(_, d)| d)
}

impl Doc<'_> {
    pub(super) fn incident_date(
        &self,
        description: Option<&str>,
        body: &str,
        subject: &str,
        sent: NaiveDate,
    ) -> Option<NaiveDate> {
        let labelled = |v: &Option<String>| v.as_deref().and_then(|v| first_date(v, sent));
        if let Some(d) = labelled(&self.labels.date) {
            return Some(d);
        }
        let in_text = || {
            description
                .and_then(|d| event_date(d, sent))
                .or_else(|| event_date(body, sent))
                .or_else(|| first_date(subject, sent))
        };
        match labelled(&self.labels.plain_date) {
            // "Datum: <the day of the mail>" heads a letter; the text tells when it happened.
            Some(p) if sent.checked_sub_days(Days::new(1)).is_some_and(|y| p >= y) => {
                Some(in_text().filter(|t| *t < p).unwrap_or(p))
            }
            Some(p) => Some(p),
            None => in_text(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::extract::tests::{d, ex, sent};

    fn date(s: &str) -> Option<NaiveDate> {
        first_date(s, sent())
    }

    #[test]
    fn every_date_form() {
        let cases = [
            ("Het gebeurde op 3 november.", d(2026, 11, 3)),
            (
                "Het gebeurde dinsdag 10 november 2026 in Utrecht.",
                d(2026, 11, 10),
            ),
            ("Het gebeurde op 3 nov. 2026.", d(2026, 11, 3)),
            ("Datum: 03-11-2026", d(2026, 11, 3)),
            ("Het gebeurde op 3-11-2026.", d(2026, 11, 3)),
            ("Het gebeurde op 3/11 om tien uur.", d(2026, 11, 3)),
            ("Op 3-11 heb ik de workshop gevolgd.", d(2026, 11, 3)),
            ("Het gebeurde op 03/11/2026.", d(2026, 11, 3)),
            ("Het gebeurde op 3.11.2026.", d(2026, 11, 3)),
            ("Het gebeurde op 3-11-26.", d(2026, 11, 3)),
            ("It happened on 2026-11-03.", d(2026, 11, 3)),
            ("It happened on November 3, 2026.", d(2026, 11, 3)),
            ("It happened on the 3rd of November.", d(2026, 11, 3)),
            ("It happened on 3 November.", d(2026, 11, 3)),
            ("Op 12 okt was het weer raak.", d(2026, 10, 12)),
            ("Op 1 sept. 2026 begon het.", d(2026, 9, 1)),
            ("Op 14 mrt 2026 begon het.", d(2026, 3, 14)),
            ("Het gebeurde gisteren.", d(2026, 11, 19)),
            ("Het gebeurde vandaag.", d(2026, 11, 20)),
            ("Het gebeurde eergisteren.", d(2026, 11, 18)),
            ("Het gebeurde vorige week dinsdag.", d(2026, 11, 10)),
            ("Het gebeurde afgelopen dinsdag.", d(2026, 11, 17)),
            // Flemish and spoken Dutch: the last Tuesday that has been.
            ("Vorige dinsdag werd de sessie afgezegd.", d(2026, 11, 17)),
            ("Verleden donderdag ging het mis.", d(2026, 11, 19)),
            ("It happened yesterday.", d(2026, 11, 19)),
        ];
        for (text, want) in cases {
            assert_eq!(date(text), Some(want), "{text}");
        }
    }

    #[test]
    fn the_first_date_in_the_text_wins() {
        assert_eq!(
            date("Op 5 november was het mis, en op 12-11-2026 weer."),
            Some(d(2026, 11, 5))
        );
        assert_eq!(
            date("Op 12-11-2026 was het mis, en op 5 november weer."),
            Some(d(2026, 11, 12))
        );
    }

    #[test]
    fn year_inference_across_new_year() {
        assert_eq!(
            first_date("op 28 december", d(2027, 1, 5)),
            Some(d(2026, 12, 28))
        );
        assert_eq!(first_date("op 28/12", d(2027, 1, 5)), Some(d(2026, 12, 28)));
        assert_eq!(
            first_date("op 2 januari", d(2027, 1, 5)),
            Some(d(2027, 1, 2))
        );
        // 29 February without a year: the last leap year.
        assert_eq!(
            first_date("op 29 februari", d(2027, 1, 5)),
            Some(d(2024, 2, 29))
        );
    }

    #[test]
    fn invalid_and_future_dates_are_ignored() {
        assert_eq!(date("Op 31-02-2026 ging het mis."), None);
        assert_eq!(date("Op 31 februari ging het mis."), None);
        assert_eq!(date("Op 45/13 ging het mis."), None);
        // Fractions, quantities and scores are no dates.
        assert_eq!(date("Ik volgde een 1/2 dag training."), None);
        assert_eq!(date("Het duurde 2-3 uur."), None);
        assert_eq!(date("Ik kreeg een 7-8 voor de toets."), None);
        // A future date with a year is no incident date; the next one is.
        assert_eq!(
            date("De herkansing is op 15 december 2026; het ging mis op 2 november."),
            Some(d(2026, 11, 2))
        );
        assert_eq!(date("De training van 1-12-2026 gaat niet door."), None);
        assert_eq!(
            date("Ik volgde de training 1.5 uur en betaalde € 1.250,00."),
            None
        );
    }

    #[test]
    fn dates_in_forward_headers_and_signatures_do_not_count() {
        let text = "Zie onderstaande klacht.

---------- Forwarded message ---------
Van: Piet Bakker <piet@example.nl>
Datum: di 17 nov. 2026 om 09:12
Onderwerp: Klacht
Aan: <info@numun.nl>

De training ging niet door maar ik moest wel betalen, dat vind ik niet terecht.

Met vriendelijke groet,
Piet Bakker
Verzonden op 18-11-2026
";
        let e = ex(text);
        assert_eq!(e.fields.incident_date, None);
        assert_eq!(e.fields.name.as_deref(), Some("Piet Bakker"));
    }

    #[test]
    fn background_dates_give_way_to_the_event() {
        for (text, want) in [
            (
                "Op 1 september heb ik mij ingeschreven. Op 12 november kwam de trainer niet opdagen.",
                d(2026, 11, 12),
            ),
            (
                "I booked the course on 2 September and paid on 5 September. On 10 November the venue was closed.",
                d(2026, 11, 10),
            ),
            (
                "Ich habe mich am 3. September angemeldet. Am 9. November fiel der Workshop aus.",
                d(2026, 11, 9),
            ),
            // Only background: the first date (a complaint about the invoice itself).
            (
                "Op 4 november heb ik de factuur betaald, op 9 november nog een keer betaald.",
                d(2026, 11, 4),
            ),
            // The event in a clause of its own after the background.
            (
                "Op 22 oktober heb ik betaald voor de workshop die op 3 november werd gegeven.",
                d(2026, 11, 3),
            ),
            (
                "Op 1 september schreef ik me in, en op 15 september heb ik betaald. Op 12 november kwam niemand.",
                d(2026, 11, 12),
            ),
            // A day in the coming weeks is a plan, not last year's event.
            (
                "Op 3 november ging het mis. De volgende sessie, op 1 december, wil ik niet meer.",
                d(2026, 11, 3),
            ),
            (
                "The next session on 4 December is cancelled too, after the one of 10 November.",
                d(2026, 11, 10),
            ),
            // "sept. 2026" does not end a sentence: the clause of the background verb
            // runs on to "die".
            (
                "Op 1 sept. 2026 heb ik betaald voor de cursus, die op 3 november werd afgezegd.",
                d(2026, 11, 3),
            ),
        ] {
            assert_eq!(ex(text).fields.incident_date, Some(want), "{text}");
        }
    }

    #[test]
    fn the_latest_fact_is_the_date_of_the_facts() {
        for (text, want) in [
            // The last day of a course of several sessions.
            (
                "De cursus had drie avonden: 14 oktober, 21 oktober en 4 november. Bij de toets op de laatste avond ging het mis.",
                d(2026, 11, 4),
            ),
            // The last of a series of incidents.
            (
                "Al op 2 november maakte hij opmerkingen. Op 9 november werd het erger, en op 16 november raakte hij me aan.",
                d(2026, 11, 16),
            ),
            // The complainant's own mails and tickets afterwards are no facts.
            (
                "On 4 November the venue was locked. On 6 November I emailed you and opened a ticket.",
                d(2026, 11, 4),
            ),
            (
                "De workshop van 5 november viel uit; op 10 november heb ik gebeld maar niemand nam op.",
                d(2026, 11, 5),
            ),
            // German quotes close with the mark that opens English ones.
            (
                "Das Training \u{201e}Effectief Communiceren\u{201c} vom 12. bis 14. Oktober 2026 war schlecht.",
                d(2026, 10, 14),
            ),
            // A date of a noun names its event even in a clause of contact.
            (
                "Na de coaching van 13 november heb ik drie keer gemaild, zonder antwoord.",
                d(2026, 11, 13),
            ),
            // "Zoals vanochtend besproken": the call with us, not the facts.
            (
                "Zoals vanochtend telefonisch besproken: op 12 november was de zaal dicht.",
                d(2026, 11, 12),
            ),
            // A clause of its own after "en": the enrolment gives way.
            (
                "Op 3 september ingeschreven en op 12 oktober bleek de zaal bezet, terwijl op 20 oktober niemand kwam.",
                d(2026, 10, 20),
            ),
            // What someone said is not when.
            (
                "Op 13 november zei de coach dat ik er \"vandaag wel heel mooi uitzag\".",
                d(2026, 11, 13),
            ),
            (
                "The workshop on 2 October was a sales pitch with a \u{201c}today only\u{201d} discount.",
                d(2026, 10, 2),
            ),
            // A ticket system's timestamp line is the message's, not the facts'.
            (
                "Marloes Dekker (Gemeente Zwolle)\n19 nov. 2026 10:14 CET\n\nOp dinsdag 17 november kwam een invaltrainer.",
                d(2026, 11, 17),
            ),
            // So is a letter's date line; a time in a sentence is a fact's.
            (
                "Utrecht, 19 november 2026\n\nOp 9 november ging het mis.",
                d(2026, 11, 9),
            ),
            (
                "Aachen, 19.11.2026\n\nDas letzte Modul war am 29. Oktober 2026.",
                d(2026, 10, 29),
            ),
            (
                "Op 3 november ging het mis.\nOp 12 november om 10:00 stond ik voor een dichte deur.",
                d(2026, 11, 12),
            ),
        ] {
            assert_eq!(event_date(text, sent()), Some(want), "{text}");
        }
        // Only the call with us: no date of the facts.
        assert_eq!(
            event_date(
                "Zoals vanochtend telefonisch besproken stuur ik u hierbij mijn gegevens.",
                sent()
            ),
            None
        );
    }

    #[test]
    fn the_day_of_writing_is_no_fact() {
        for (text, want) in [
            // How long a state lasted, up to the writing.
            (
                "Op 12 november was de zaal dicht. De hand-outs heb ik tot vandaag niet ontvangen.",
                d(2026, 11, 12),
            ),
            (
                "Afgelopen dinsdag viel de sessie uit en tot op vandaag heeft niemand gebeld.",
                d(2026, 11, 17),
            ),
            (
                "The trainer did not turn up on 10 November. Until today nobody has called me.",
                d(2026, 11, 10),
            ),
            (
                "Der Kurs am 9. November war chaotisch, das Zertifikat fehlt bis heute.",
                d(2026, 11, 9),
            ),
            // The letter's date at its foot or head.
            (
                "Op 9 november ging het mis.\n\nMet vriendelijke groet,\nJan de Vries\n19 november 2026",
                d(2026, 11, 9),
            ),
            (
                "19-11-2026\n\nGeachte heer, mevrouw,\n\nOp 6 november kwam de trainer niet.",
                d(2026, 11, 6),
            ),
        ] {
            assert_eq!(event_date(text, sent()), Some(want), "{text}");
        }
        // Something that happened today is a fact of today.
        assert_eq!(
            event_date("Vandaag stond ik voor een dichte deur.", sent()),
            Some(sent())
        );
        // The last of a list of dates is one of them.
        assert_eq!(
            event_date(
                "De cursusdagen, alle drie rommelig:\n3 november 2026\n10 november 2026",
                sent()
            ),
            Some(d(2026, 11, 10))
        );
        // A date on a line of its own in the middle of a text is a fact.
        assert_eq!(
            event_date(
                "De cursusdagen waren:\n3 november 2026\n10 november 2026\nDe laatste ging mis.",
                sent()
            ),
            Some(d(2026, 11, 10))
        );
    }

    #[test]
    fn a_forwarded_mail_tells_its_facts_as_of_its_writing() {
        use crate::intake::extract::tests::{addr, catalogue, msg};
        use crate::intake::parse::Forwarded;
        let mut m = msg("Hieronder mijn mail aan de trainer, nooit beantwoord.");
        m.forwarded = Some(Forwarded {
            from: Some(addr(Some("Jan de Vries"), "jan.devries@example.nl")),
            date: chrono::DateTime::parse_from_rfc3339("2026-10-13T21:47:00+02:00").ok(),
            subject: Some("Training gisteren".into()),
            text: "Hoi Marcel,\n\nDe training van gisteren was rommelig: we begonnen een uur te laat.\n\nGroet,\nJan".into(),
        });
        let e = crate::intake::extract::extract(&m, &catalogue(), sent());
        assert_eq!(e.fields.incident_date, Some(d(2026, 10, 12)));
    }
}
