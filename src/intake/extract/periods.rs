//! The period of the facts when a mail names no day of them: "in september", "eind
//! oktober", "begin november 2026", "earlier this month". The window can often be judged
//! even so (a mail of 20 November about September is late on any day of it).

use crate::intake::pattern::Pattern;

use chrono::{Datelike, NaiveDate};

use super::dates::{BACKGROUND, facts, in_quotes};
use super::lines::Doc;
use super::re;
use crate::intake::dates::{MONTH_WORDS, month_number};

/// "in september", "eind oktober", "begin november 2026", "mid-October", "im September":
/// a month without a day, perhaps a part of it.
static MONTH_PERIOD: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?i)\b(?P<q>in|im|during|begin|eind|einde|medio|half|halverwege|early|late|mid|end\s+of|beginning\s+of|start\s+of|anfang|ende|mitte|afgelopen|vorige|last|this\s+past)(?:\s+de\s+maand|\s+the\s+month\s+of)?[\s\-]+(?P<m>{MONTH_WORDS})\b\.?(?:\s+(?P<y>[0-9]{{4}})\b)?(?P<day>\s*[0-9])?"
    ))
});
/// "eerder deze maand", "earlier this month", "vorige maand", "last month".
static RELATIVE_MONTH: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b(?:(?P<this>eerder\s+deze\s+maand|begin\s+deze\s+maand|eerder\s+in\s+deze\s+maand|earlier\s+this\s+month|early\s+this\s+month|earlier\s+in\s+the\s+month|anfang\s+(?:dieses|des)\s+monats|fr(?:ü|ue)her\s+in\s+diesem\s+monat)|(?P<prev>vorige\s+maand|afgelopen\s+maand|last\s+month|letzten\s+monat|vergangenen\s+monat))\b",
    )
});

/// The days the facts fall in when the mail names only a month or a part of one ("in
/// september", "eind oktober", "earlier this month"): the window can often be judged
/// even so. The latest such period in a clause of facts, not after `sent`.
fn event_period(text: &str, sent: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    facts(text, &BACKGROUND)
        .flat_map(|part| {
            let offset = part.text.as_ptr() as usize - text.as_ptr() as usize;
            all_periods(part.text, sent)
                .into_iter()
                .filter(move |(at, _)| *at >= part.from && !in_quotes(text, offset + at))
                .map(|(_, p)| p)
        })
        .max_by_key(|(_, last)| *last)
}

/// Every period in `text`, where it starts.
fn all_periods(text: &str, sent: NaiveDate) -> Vec<(usize, (NaiveDate, NaiveDate))> {
    let mut found: Vec<(usize, (NaiveDate, NaiveDate))> = MONTH_PERIOD
        .captures_iter(text)
        // "in november 3" is a day: the date patterns read it.
        .filter(|c| c.name("day").is_none())
        .filter_map(|c| {
            let month = month_number(c.name("m")?.as_str())?;
            let year = c.name("y").and_then(|y| y.as_str().parse().ok());
            let part = c.name("q")?.as_str().to_lowercase();
            Some((c.get(0)?.start(), month_period(&part, month, year, sent)?))
        })
        .collect();
    found.extend(RELATIVE_MONTH.captures_iter(text).filter_map(|c| {
        let this_month = sent.with_day(1)?;
        let period = if c.name("this").is_some() {
            (this_month, sent)
        } else {
            let last = this_month.pred_opt()?;
            (last.with_day(1)?, last)
        };
        Some((c.get(0)?.start(), period))
    }));
    found
}

/// The days of `month` that "begin", "medio", "eind" (or nothing) name, in `year` or
/// else the latest year in which the month has begun by `sent`; none for a month that
/// comes sooner than it was ("in januari of februari wil ik hem volgen" in November: a
/// plan).
fn month_period(
    part: &str,
    month: u32,
    year: Option<i32>,
    sent: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let year = match year {
        Some(y) => y,
        None => {
            let back = (12 + sent.month() - month) % 12;
            if back > 6 {
                return None;
            }
            if month <= sent.month() {
                sent.year()
            } else {
                sent.year() - 1
            }
        }
    };
    let first_of_month = NaiveDate::from_ymd_opt(year, month, 1)?;
    let end_of_month = first_of_month
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?;
    let day = |d: u32| NaiveDate::from_ymd_opt(year, month, d);
    let (first, last) = match part.split_whitespace().next()? {
        "begin" | "early" | "beginning" | "start" | "anfang" => (first_of_month, day(10)?),
        "medio" | "half" | "halverwege" | "mid" | "mitte" => (day(11)?, day(20)?),
        "eind" | "einde" | "late" | "end" | "ende" => (day(21)?, end_of_month),
        _ => (first_of_month, end_of_month),
    };
    (first <= sent && sent.year() - year <= 10).then_some((first, last.min(sent)))
}

impl Doc<'_> {
    /// The period the facts fall in, for a mail that names no day of them.
    pub(super) fn incident_period(
        &self,
        description: Option<&str>,
        body: &str,
        sent: NaiveDate,
    ) -> Option<(NaiveDate, NaiveDate)> {
        self.labels
            .date
            .as_deref()
            .and_then(|v| event_period(v, sent))
            .or_else(|| description.and_then(|d| event_period(d, sent)))
            .or_else(|| event_period(body, sent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::extract::tests::{d, ex, sent};

    #[test]
    fn a_month_without_a_day_is_a_period() {
        let p = |text: &str| event_period(text, sent());
        let (sep1, sep30) = (d(2026, 9, 1), d(2026, 9, 30));
        assert_eq!(
            p("In september heb ik de training gevolgd."),
            Some((sep1, sep30))
        );
        assert_eq!(
            p("We went on the course In September."),
            Some((sep1, sep30))
        );
        assert_eq!(p("Im September war der Workshop."), Some((sep1, sep30)));
        assert_eq!(
            p("Eind oktober ging het mis."),
            Some((d(2026, 10, 21), d(2026, 10, 31)))
        );
        assert_eq!(
            p("Begin november viel de sessie uit."),
            Some((d(2026, 11, 1), d(2026, 11, 10)))
        );
        assert_eq!(
            p("It happened in mid-October."),
            Some((d(2026, 10, 11), d(2026, 10, 20)))
        );
        assert_eq!(
            p("In september 2025 volgde ik de cursus."),
            Some((d(2025, 9, 1), d(2025, 9, 30)))
        );
        // The current month runs to the day of the mail.
        assert_eq!(
            p("Earlier this month I did not get my certificate."),
            Some((d(2026, 11, 1), sent()))
        );
        assert_eq!(
            p("Eerder deze maand kreeg ik geen certificaat."),
            Some((d(2026, 11, 1), sent()))
        );
        assert_eq!(
            p("Vorige maand ging het mis."),
            Some((d(2026, 10, 1), d(2026, 10, 31)))
        );
        // Background, "sinds", plans and quoted words are no period of the facts.
        assert_eq!(p("In juni heb ik me aangemeld."), None);
        assert_eq!(p("Sinds september volg ik de opleiding."), None);
        assert_eq!(p("Ik wil hem graag in januari of februari volgen."), None);
        assert_eq!(p("Hij zei: \"in december komt het goed\"."), None);
        // A day in the month is a date, not a period.
        assert_eq!(p("It happened in November 3rd."), None);
    }

    #[test]
    fn a_named_day_wins_over_a_period() {
        let e = ex("In oktober begon de cursus. Op 12 november kwam de trainer niet.");
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 12)));
        assert_eq!(e.incident_period, None);
        let e = ex("In september heb ik de training gevolgd; de inhoud klopte niet.");
        assert_eq!(e.fields.incident_date, None);
        assert_eq!(e.incident_period, Some((d(2026, 9, 1), d(2026, 9, 30))));
    }
}
