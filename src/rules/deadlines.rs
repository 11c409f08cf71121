//! The deadlines of a case: acknowledgement (art. 4.1), internal target (introduction),
//! decision (art. 5.1), retention (introduction).
//!
//! Every deadline is a Europe/Amsterdam date and is met when the act happens on or
//! before that date.

use std::fmt;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::calendar::{Calendar, Holiday, local_date};

/// Art. 4.1: receipt is acknowledged within 5 working days.
pub const ACKNOWLEDGE_WORKING_DAYS: u32 = 5;
/// Introduction: "zo snel mogelijk doch binnen 3 weken": the internal target.
pub const TARGET_DAYS: u64 = 21;
/// Art. 5.1: the decision within 4 weeks of receipt.
pub const DECIDE_DAYS: u64 = 28;
/// Introduction: complaints are kept for 2 years (product decision: after closing).
pub const RETENTION_MONTHS: u32 = 24;

/// One of the deadlines of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    /// Art. 4.1: acknowledge receipt.
    Acknowledge,
    /// Introduction: the internal 3-week target (and the last day to announce an
    /// extension).
    Target,
    /// Art. 5.1: the decision.
    Decide,
}

impl Deadline {
    pub const ALL: [Deadline; 3] = [Deadline::Acknowledge, Deadline::Target, Deadline::Decide];

    /// Stable key, as in serde and in reminder keys: `acknowledge`, `target`, `decide`.
    pub fn key(self) -> &'static str {
        match self {
            Deadline::Acknowledge => "acknowledge",
            Deadline::Target => "target",
            Deadline::Decide => "decide",
        }
    }

    /// The inverse of [`Deadline::key`].
    pub fn from_key(key: &str) -> Option<Deadline> {
        Deadline::ALL.into_iter().find(|d| d.key() == key)
    }

    /// Dutch label, for the owner's reminders and the deadline calendar.
    pub fn label(self) -> &'static str {
        match self {
            Deadline::Acknowledge => "ontvangstbevestiging",
            Deadline::Target => "interne streefdatum (3 weken)",
            Deadline::Decide => "beslissing (4 weken)",
        }
    }

    /// English label, beside the Dutch one in the deadline calendar.
    pub fn english(self) -> &'static str {
        match self {
            Deadline::Acknowledge => "acknowledge by",
            Deadline::Target => "internal target",
            Deadline::Decide => "decide by",
        }
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The deadlines of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub acknowledge_by: NaiveDate,
    pub target: NaiveDate,
    pub decide_by: NaiveDate,
}

impl Deadlines {
    /// The date of one deadline.
    pub fn date(&self, deadline: Deadline) -> NaiveDate {
        match deadline {
            Deadline::Acknowledge => self.acknowledge_by,
            Deadline::Target => self.target,
            Deadline::Decide => self.decide_by,
        }
    }
}

/// The deadlines of a complaint received at `received` (its Europe/Amsterdam date
/// counts); `extended_to` is the decision date announced in an extension letter.
pub fn deadlines(
    received: DateTime<Utc>,
    calendar: &Calendar,
    extended_to: Option<NaiveDate>,
) -> Deadlines {
    deadlines_from(local_date(received), calendar, extended_to)
}

/// The rules themselves, from the Amsterdam date of receipt.
fn deadlines_from(
    received: NaiveDate,
    calendar: &Calendar,
    extended_to: Option<NaiveDate>,
) -> Deadlines {
    let plus_days = |days| {
        received
            .checked_add_days(Days::new(days))
            .unwrap_or(NaiveDate::MAX)
    };
    Deadlines {
        // Art. 4.1: 5 working days, counted from the day after receipt.
        acknowledge_by: calendar.add_working_days(received, ACKNOWLEDGE_WORKING_DAYS),
        // Introduction: 3 weeks, calendar days.
        target: plus_days(TARGET_DAYS),
        // Art. 5.1: 4 weeks, calendar days, unless the owner announced a later date.
        decide_by: extended_to.unwrap_or_else(|| plus_days(DECIDE_DAYS)),
    }
}

/// Introduction ("voor duur van 2 jaar bewaard"): the day a case closed at `closed` is
/// erased: its Amsterdam date plus 2 calendar years (29 February gives 28 February).
pub fn retention_until(closed: DateTime<Utc>) -> NaiveDate {
    local_date(closed)
        .checked_add_months(Months::new(RETENTION_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

/// What `klachtd calendar --received YYYY-MM-DD` shows: the deadlines of a complaint
/// received that day, and the days off between receipt and the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineCalendar {
    pub received: NaiveDate,
    pub acknowledge_by: NaiveDate,
    pub target: NaiveDate,
    pub decide_by: NaiveDate,
    /// Public holidays and closing days from `received` to `decide_by`, both included.
    pub holidays: Vec<Holiday>,
}

/// The deadline calendar of a complaint received on `received` (an Amsterdam date).
pub fn deadline_calendar(received: NaiveDate, calendar: &Calendar) -> DeadlineCalendar {
    let d = deadlines_from(received, calendar, None);
    DeadlineCalendar {
        received,
        acknowledge_by: d.acknowledge_by,
        target: d.target,
        decide_by: d.decide_by,
        holidays: calendar.non_working_days_between(received, d.decide_by),
    }
}

/// Dutch weekday abbreviation.
fn dag(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "ma",
        Weekday::Tue => "di",
        Weekday::Wed => "wo",
        Weekday::Thu => "do",
        Weekday::Fri => "vr",
        Weekday::Sat => "za",
        Weekday::Sun => "zo",
    }
}

impl fmt::Display for DeadlineCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = |f: &mut fmt::Formatter<'_>, label: &str, date: NaiveDate| {
            writeln!(f, "{label:<50} {} {date}", dag(date))
        };
        line(f, "ontvangen / received", self.received)?;
        for deadline in Deadline::ALL {
            let date = match deadline {
                Deadline::Acknowledge => self.acknowledge_by,
                Deadline::Target => self.target,
                Deadline::Decide => self.decide_by,
            };
            let label = format!("{} / {}", deadline.label(), deadline.english());
            line(f, &label, date)?;
        }
        if self.holidays.is_empty() {
            writeln!(
                f,
                "geen feest- of sluitingsdagen / no holidays or closing days"
            )
        } else {
            writeln!(f, "feest- en sluitingsdagen / holidays and closing days:")?;
            for h in &self.holidays {
                writeln!(f, "  {} {}  {}", dag(h.date), h.date, h.name)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::calendar::CalendarConfig;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// Noon in Amsterdam on `date` (10:00 or 11:00 UTC).
    fn noon(date: NaiveDate) -> DateTime<Utc> {
        date.and_hms_opt(12, 0, 0)
            .unwrap()
            .and_local_timezone(crate::rules::ZONE)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn received_monday_2_november_2026() {
        let dl = deadlines(noon(d(2026, 11, 2)), &Calendar::default(), None);
        assert_eq!(
            dl,
            Deadlines {
                acknowledge_by: d(2026, 11, 9),
                target: d(2026, 11, 23),
                decide_by: d(2026, 11, 30),
            }
        );
        assert_eq!(dl.date(Deadline::Acknowledge), d(2026, 11, 9));
        assert_eq!(dl.date(Deadline::Target), d(2026, 11, 23));
        assert_eq!(dl.date(Deadline::Decide), d(2026, 11, 30));
    }

    #[test]
    fn across_christmas() {
        // Tue 22 Dec 2026: 23 (1), 24 (2), 25 Fri and 26 Sat Kerst, 27 Sun, 28 (3), 29 (4),
        // 30 (5).
        let cal = Calendar::default();
        let dl = deadlines(noon(d(2026, 12, 22)), &cal, None);
        assert_eq!(dl.acknowledge_by, d(2026, 12, 30));
        assert_eq!(dl.target, d(2027, 1, 12));
        assert_eq!(dl.decide_by, d(2027, 1, 19));
        // Received Wed 23 Dec: 24 (1), 28 (2), 29 (3), 30 (4), 31 (5).
        let dl = deadlines(noon(d(2026, 12, 23)), &cal, None);
        assert_eq!(dl.acknowledge_by, d(2026, 12, 31));
        // Received Thu 24 Dec: 28, 29, 30, 31, (1 Jan Nieuwjaarsdag), Mon 4 Jan.
        let dl = deadlines(noon(d(2026, 12, 24)), &cal, None);
        assert_eq!(dl.acknowledge_by, d(2027, 1, 4));
        // With 24 and 31 December as closing days.
        let cal = Calendar::new(&CalendarConfig {
            closing_days: vec![d(2026, 12, 24), d(2026, 12, 31)],
            ..CalendarConfig::default()
        });
        let dl = deadlines(noon(d(2026, 12, 22)), &cal, None);
        assert_eq!(dl.acknowledge_by, d(2027, 1, 4));
    }

    #[test]
    fn across_easter_2026() {
        // Thu 2 Apr: 3 Goede Vrijdag, 4-5 weekend, 6 Tweede Paasdag; 7, 8, 9, 10, 13.
        let dl = deadlines(noon(d(2026, 4, 2)), &Calendar::default(), None);
        assert_eq!(dl.acknowledge_by, d(2026, 4, 13));
        assert_eq!(dl.target, d(2026, 4, 23));
        assert_eq!(dl.decide_by, d(2026, 4, 30));
        // Without Goede Vrijdag: 3, 7, 8, 9, 10.
        let cal = Calendar::new(&CalendarConfig {
            goede_vrijdag: false,
            ..CalendarConfig::default()
        });
        assert_eq!(
            deadlines(noon(d(2026, 4, 2)), &cal, None).acknowledge_by,
            d(2026, 4, 10)
        );
    }

    #[test]
    fn across_koningsdag_hemelvaart_and_pinksteren() {
        let cal = Calendar::default();
        // Thu 23 Apr 2026: 24 (1), 27 Koningsdag, 28, 29, 30, 1 May (5).
        assert_eq!(
            deadlines(noon(d(2026, 4, 23)), &cal, None).acknowledge_by,
            d(2026, 5, 1)
        );
        // Thu 30 Apr 2026: 1 (1), 4 (2), 5 Bevrijdingsdag, 6, 7, 8 (5).
        assert_eq!(
            deadlines(noon(d(2026, 4, 30)), &cal, None).acknowledge_by,
            d(2026, 5, 8)
        );
        // Mon 11 May 2026: 12, 13, 14 Hemelvaart, 15, 18, 19.
        assert_eq!(
            deadlines(noon(d(2026, 5, 11)), &cal, None).acknowledge_by,
            d(2026, 5, 19)
        );
        // Wed 20 May 2026: 21, 22, 25 Pinksteren, 26, 27, 28.
        assert_eq!(
            deadlines(noon(d(2026, 5, 20)), &cal, None).acknowledge_by,
            d(2026, 5, 28)
        );
        // Thu 24 Apr 2025: 25 (1), 26 Koningsdag is a Saturday anyway, 28, 29, 30, 1 May.
        assert_eq!(
            deadlines(noon(d(2025, 4, 24)), &cal, None).acknowledge_by,
            d(2025, 5, 1)
        );
    }

    #[test]
    fn the_amsterdam_date_counts_across_the_dst_switches() {
        let cal = Calendar::default();
        // 23:30 UTC on 31 March is 01:30 on 1 April in Amsterdam (CEST).
        let dl = deadlines(utc("2026-03-31T23:30:00Z"), &cal, None);
        assert_eq!(dl.target, d(2026, 4, 22));
        // 00:30 on Sunday 29 March 2026 (still CET, +1) is 23:30 UTC on the 28th.
        // Mon 30, Tue 31, Wed 1, Thu 2, (Goede Vrijdag, weekend, Tweede Paasdag), Tue 7.
        let dl = deadlines(utc("2026-03-28T23:30:00Z"), &cal, None);
        assert_eq!(dl.acknowledge_by, d(2026, 4, 7));
        assert_eq!(dl.target, d(2026, 4, 19));
        assert_eq!(dl.decide_by, d(2026, 4, 26));
        // 00:30 on Sunday 25 October 2026 (still CEST, +2) is 22:30 UTC on the 24th.
        let dl = deadlines(utc("2026-10-24T22:30:00Z"), &cal, None);
        assert_eq!(dl.acknowledge_by, d(2026, 10, 30));
        assert_eq!(dl.target, d(2026, 11, 15));
        assert_eq!(dl.decide_by, d(2026, 11, 22));
        // A minute earlier it is still Saturday 24 October.
        let dl = deadlines(utc("2026-10-24T21:59:00Z"), &cal, None);
        assert_eq!(dl.acknowledge_by, d(2026, 10, 30));
        assert_eq!(dl.decide_by, d(2026, 11, 21));
    }

    #[test]
    fn an_extension_moves_only_the_decision() {
        let cal = Calendar::default();
        let dl = deadlines(noon(d(2026, 11, 2)), &cal, Some(d(2026, 12, 14)));
        assert_eq!(dl.decide_by, d(2026, 12, 14));
        assert_eq!(dl.target, d(2026, 11, 23));
        assert_eq!(dl.acknowledge_by, d(2026, 11, 9));
    }

    #[test]
    fn retention_is_two_years_after_closing() {
        assert_eq!(
            retention_until(utc("2026-11-30T12:00:00Z")),
            d(2028, 11, 30)
        );
        assert_eq!(retention_until(utc("2028-02-29T12:00:00Z")), d(2030, 2, 28));
        // 23:30 UTC on 31 Dec is 1 Jan in Amsterdam.
        assert_eq!(retention_until(utc("2026-12-31T23:30:00Z")), d(2029, 1, 1));
    }

    #[test]
    fn deadline_keys_and_labels() {
        for deadline in Deadline::ALL {
            assert_eq!(Deadline::from_key(deadline.key()), Some(deadline));
            let json = serde_json::to_string(&deadline).unwrap();
            assert_eq!(json, format!("\"{}\"", deadline.key()));
        }
        assert_eq!(Deadline::Target.label(), "interne streefdatum (3 weken)");
        assert_eq!(Deadline::from_key("later"), None);
    }

    #[test]
    fn deadline_calendar_json_and_text() {
        let sheet = deadline_calendar(d(2026, 4, 2), &Calendar::default());
        let json = serde_json::to_value(&sheet).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "received": "2026-04-02",
                "acknowledge_by": "2026-04-13",
                "target": "2026-04-23",
                "decide_by": "2026-04-30",
                "holidays": [
                    {"date": "2026-04-03", "name": "Goede Vrijdag"},
                    {"date": "2026-04-05", "name": "Eerste Paasdag"},
                    {"date": "2026-04-06", "name": "Tweede Paasdag"},
                    {"date": "2026-04-27", "name": "Koningsdag"},
                ],
            })
        );
        let text = sheet.to_string();
        assert!(text.contains("do 2026-04-02"), "{text}");
        assert!(text.contains("ma 2026-04-13"), "{text}");
        assert!(text.contains("beslissing (4 weken) / decide by"), "{text}");
        assert!(text.contains("vr 2026-04-03  Goede Vrijdag"), "{text}");

        let sheet = deadline_calendar(d(2026, 6, 1), &Calendar::default());
        assert!(sheet.holidays.is_empty());
        assert!(sheet.to_string().contains("geen feest"));
    }

    #[test]
    fn deadlines_serialize_with_their_names() {
        let dl = deadlines(noon(d(2026, 11, 2)), &Calendar::default(), None);
        let json = serde_json::to_value(dl).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "acknowledge_by": "2026-11-09",
                "target": "2026-11-23",
                "decide_by": "2026-11-30",
            })
        );
    }

    #[test]
    fn no_panic_at_the_end_of_time() {
        let cal = Calendar::default();
        let end = NaiveDate::MAX.and_hms_opt(12, 0, 0).unwrap().and_utc();
        let dl = deadlines(end - chrono::Duration::days(2), &cal, None);
        assert_eq!(dl.decide_by, NaiveDate::MAX);
        assert_eq!(
            retention_until(end - chrono::Duration::days(2)),
            NaiveDate::MAX
        );
    }
}
