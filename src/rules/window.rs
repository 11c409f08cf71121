//! Art. 3.1: a complaint is submitted within 1 month. Product decision (PROCEDURE.md):
//! from the date of the facts to the mail's date, in calendar months, Europe/Amsterdam.

use chrono::{DateTime, Duration, FixedOffset, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ZONE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    Within,
    Late,
    /// The mail does not say when the facts happened: ask, never reject.
    Unknown,
}

impl Window {
    /// The stable key, as in JSON: `within`, `late`, `unknown`.
    pub fn key(self) -> &'static str {
        match self {
            Window::Within => "within",
            Window::Late => "late",
            Window::Unknown => "unknown",
        }
    }
}

/// `within` when `sent` is no later than `incident` plus one calendar month (31 Jan plus a
/// month is the last day of February).
pub fn window(incident: Option<NaiveDate>, sent: NaiveDate) -> Window {
    let Some(incident) = incident else {
        return Window::Unknown;
    };
    match incident.checked_add_months(Months::new(1)) {
        Some(last) if sent <= last => Window::Within,
        Some(_) => Window::Late,
        None => Window::Unknown,
    }
}

/// The window for facts named only by a period ("in september", "eind oktober"): within
/// when even its first day is, late when even its last day is, unknown otherwise (ask).
pub fn window_of_period(first: NaiveDate, last: NaiveDate, sent: NaiveDate) -> Window {
    match (window(Some(first), sent), window(Some(last), sent)) {
        (Window::Within, _) => Window::Within,
        (_, Window::Late) => Window::Late,
        _ => Window::Unknown,
    }
}

/// The dagtekening (art. 3.2b): the day of the Date header in Europe/Amsterdam, or the day
/// the mail arrived when the header is missing or implausible (more than a day after it
/// arrived, or more than 90 days before).
pub fn sent_date(date: Option<DateTime<FixedOffset>>, arrived: DateTime<Utc>) -> NaiveDate {
    let plausible = date
        .map(|d| d.with_timezone(&Utc))
        .filter(|d| *d <= arrived + Duration::days(1) && *d >= arrived - Duration::days(90));
    plausible
        .unwrap_or(arrived)
        .with_timezone(&ZONE)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_judged_by_both_its_ends() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // September in a mail of 20 November: late even on its last day.
        assert_eq!(window_of_period(d(9, 1), d(9, 30), d(11, 20)), Window::Late);
        // Earlier this month: within even on its first day.
        assert_eq!(
            window_of_period(d(11, 1), d(11, 26), d(11, 27)),
            Window::Within
        );
        // October in a mail of 20 November: it depends on the day, so ask.
        assert_eq!(
            window_of_period(d(10, 1), d(10, 31), d(11, 20)),
            Window::Unknown
        );
    }

    #[test]
    fn every_window_serializes_as_its_key() {
        for w in [Window::Within, Window::Late, Window::Unknown] {
            assert_eq!(serde_json::to_value(w).unwrap(), w.key());
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn one_calendar_month_is_within_the_day_after_is_late() {
        assert_eq!(
            window(Some(d(2026, 10, 15)), d(2026, 11, 15)),
            Window::Within
        );
        assert_eq!(window(Some(d(2026, 10, 15)), d(2026, 11, 16)), Window::Late);
        assert_eq!(
            window(Some(d(2026, 10, 15)), d(2026, 10, 15)),
            Window::Within
        );
    }

    #[test]
    fn end_of_january_ends_at_end_of_february() {
        assert_eq!(window(Some(d(2026, 1, 31)), d(2026, 2, 28)), Window::Within);
        assert_eq!(window(Some(d(2026, 1, 31)), d(2026, 3, 1)), Window::Late);
        assert_eq!(window(Some(d(2028, 1, 31)), d(2028, 2, 29)), Window::Within);
        assert_eq!(window(Some(d(2028, 1, 31)), d(2028, 3, 1)), Window::Late);
        assert_eq!(
            window(Some(d(2026, 12, 20)), d(2027, 1, 20)),
            Window::Within
        );
        assert_eq!(window(Some(d(2026, 12, 20)), d(2027, 1, 21)), Window::Late);
    }

    #[test]
    fn no_incident_date_is_unknown() {
        assert_eq!(window(None, d(2026, 11, 1)), Window::Unknown);
    }

    #[test]
    fn sent_date_is_the_amsterdam_day_of_the_date_header() {
        // 23:30 UTC on 14 Nov is 00:30 on 15 Nov in Amsterdam (CET, +1).
        let date = DateTime::parse_from_rfc3339("2026-11-14T23:30:00+00:00").unwrap();
        let arrived = "2026-11-15T00:00:00Z".parse().unwrap();
        assert_eq!(sent_date(Some(date), arrived), d(2026, 11, 15));
        // Summer time: 22:30 UTC on 30 Jun is 00:30 on 1 Jul (CEST, +2).
        let date = DateTime::parse_from_rfc3339("2026-06-30T22:30:00+00:00").unwrap();
        let arrived = "2026-07-01T00:00:00Z".parse().unwrap();
        assert_eq!(sent_date(Some(date), arrived), d(2026, 7, 1));
    }

    #[test]
    fn missing_or_implausible_date_falls_back_to_arrival() {
        let arrived: DateTime<Utc> = "2026-11-20T10:00:00Z".parse().unwrap();
        assert_eq!(sent_date(None, arrived), d(2026, 11, 20));
        let future = DateTime::parse_from_rfc3339("2027-01-01T10:00:00+01:00").unwrap();
        assert_eq!(sent_date(Some(future), arrived), d(2026, 11, 20));
        let epoch = DateTime::parse_from_rfc3339("1970-01-01T00:00:00+00:00").unwrap();
        assert_eq!(sent_date(Some(epoch), arrived), d(2026, 11, 20));
    }
}
