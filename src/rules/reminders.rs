//! The pure part of the scheduler: which reminders are due at a given instant.
//!
//! The daemon calls these on every tick with the reminders it already sent (by
//! [`ReminderKey::key_string`]); they never return a key in that set, so a tick, a second
//! tick in the same minute or a restart repeats nothing. The daemon records a key once
//! the reminder went out.
//!
//! Choices:
//! - A deadline has stages: "before N days" for each configured offset N > 0, "on the
//!   day" (offset 0), then "overdue", once per working day. At any moment one before/on
//!   stage is current: the configured one whose day came most recently. Only the current
//!   stage is ever sent; a stage that was missed (the daemon was down) is superseded by a
//!   later one and never sent late. The current stage that was missed is sent late,
//!   though: down on the day of "before 7", up the day after, "before 7" still goes out.
//! - "Before" stages count calendar days and fire on any day (a reminder that comes
//!   early on a Saturday is better than none). "On the day" only when 0 is configured.
//! - "Overdue" is not configurable: once per working day after the deadline, keyed by
//!   that day, and only for today (a daemon down for days sends one, not a backlog).
//! - The caller says which deadlines are still open: acknowledge until acknowledged,
//!   target and decide until decided, withdrawn or closed (the caller may close target
//!   once an extension was announced, which the introduction asks for within 3 weeks).

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use super::ZONE;
use super::calendar::{Calendar, local_date};
use super::deadlines::{Deadline, Deadlines};

/// The stage of a deadline a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// This many calendar days before the deadline (never 0: that is [`Stage::OnTheDay`]).
    Before(u32),
    /// On the day of the deadline.
    OnTheDay,
    /// The deadline has passed; one per working day, keyed by that day.
    Overdue(NaiveDate),
}

impl Stage {
    /// Chronological: before 7 < before 2 < on the day < overdue, by date.
    fn order(&self) -> (u8, i64) {
        match *self {
            Stage::Before(n) => (0, -i64::from(n)),
            Stage::OnTheDay => (1, 0),
            Stage::Overdue(day) => (2, i64::from(day.num_days_from_ce())),
        }
    }
}

impl Ord for Stage {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.order().cmp(&other.order())
    }
}

impl PartialOrd for Stage {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Before(n) => write!(f, "before-{n}"),
            Stage::OnTheDay => f.write_str("on-day"),
            Stage::Overdue(day) => write!(f, "overdue-{}", day.format("%Y-%m-%d")),
        }
    }
}

impl FromStr for Stage {
    type Err = ParseKeyError;

    fn from_str(s: &str) -> Result<Stage, ParseKeyError> {
        if s == "on-day" {
            return Ok(Stage::OnTheDay);
        }
        // Only the canonical forms: "before-7", not "before-07" or "before-+7".
        if let Some(digits) = s.strip_prefix("before-") {
            return match digits.parse::<u32>() {
                Ok(n) if n > 0 && n.to_string() == digits => Ok(Stage::Before(n)),
                _ => Err(ParseKeyError),
            };
        }
        if let Some(day) = s.strip_prefix("overdue-") {
            return match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                Ok(date) if date.format("%Y-%m-%d").to_string() == day => Ok(Stage::Overdue(date)),
                _ => Err(ParseKeyError),
            };
        }
        Err(ParseKeyError)
    }
}

/// A text that is not a reminder key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseKeyError;

impl fmt::Display for ParseKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a reminder key (e.g. decide/before-7)")
    }
}

impl std::error::Error for ParseKeyError {}

/// Which reminder: a deadline and a stage. Its [`key_string`](ReminderKey::key_string)
/// is what the store remembers as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReminderKey {
    pub deadline: Deadline,
    pub stage: Stage,
}

impl ReminderKey {
    /// Stable text form: `decide/before-7`, `decide/on-day`, `decide/overdue-2026-12-01`.
    pub fn key_string(&self) -> String {
        format!("{}/{}", self.deadline.key(), self.stage)
    }
}

impl fmt::Display for ReminderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key_string())
    }
}

impl FromStr for ReminderKey {
    type Err = ParseKeyError;

    /// The inverse of [`ReminderKey::key_string`].
    fn from_str(s: &str) -> Result<ReminderKey, ParseKeyError> {
        let (deadline, stage) = s.split_once('/').ok_or(ParseKeyError)?;
        Ok(ReminderKey {
            deadline: Deadline::from_key(deadline).ok_or(ParseKeyError)?,
            stage: stage.parse()?,
        })
    }
}

/// A reminder to send to the owner now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Due {
    pub key: ReminderKey,
    pub deadline: Deadline,
    /// The deadline's date.
    pub due_date: NaiveDate,
    pub overdue: bool,
}

/// Art. 4.1 and 5.1 (and the introduction's 3 weeks): the owner's reminders due at
/// `now` for the deadlines still open, none of them in `already_sent`, at most one per
/// deadline, in the order acknowledge, target, decide. `offsets_days` are the days
/// before a deadline to remind on (0: on the day).
pub fn due_reminders(
    deadlines: &Deadlines,
    open_deadlines: &[Deadline],
    now: DateTime<Utc>,
    offsets_days: &[u32],
    calendar: &Calendar,
    already_sent: &BTreeSet<String>,
) -> Vec<Due> {
    let today = local_date(now);
    Deadline::ALL
        .into_iter()
        .filter(|d| open_deadlines.contains(d))
        .filter_map(|deadline| {
            let due_date = deadlines.date(deadline);
            let stage = current_stage(due_date, today, offsets_days, calendar)?;
            let key = ReminderKey { deadline, stage };
            (!already_sent.contains(&key.key_string())).then_some(Due {
                key,
                deadline,
                due_date,
                overdue: matches!(stage, Stage::Overdue(_)),
            })
        })
        .collect()
}

/// The stage current on `today` for a deadline on `due_date` (see the module doc).
fn current_stage(
    due_date: NaiveDate,
    today: NaiveDate,
    offsets_days: &[u32],
    calendar: &Calendar,
) -> Option<Stage> {
    if today > due_date {
        return calendar
            .is_working_day(today)
            .then_some(Stage::Overdue(today));
    }
    let days_left = due_date.signed_duration_since(today).num_days();
    offsets_days
        .iter()
        .copied()
        .filter(|n| i64::from(*n) >= days_left)
        .min()
        .map(|n| {
            if n == 0 {
                Stage::OnTheDay
            } else {
                Stage::Before(n)
            }
        })
}

/// Art. 3.2: a complainant whose case still misses information is reminded once,
/// `days` days (of 24 hours) after `received` (or whichever instant the caller counts
/// from, such as when the information was asked for).
pub fn information_reminder_due(
    received: DateTime<Utc>,
    now: DateTime<Utc>,
    days: u32,
    already_sent: bool,
) -> bool {
    !already_sent
        && TimeDelta::try_days(i64::from(days))
            .is_some_and(|wait| now.signed_duration_since(received) >= wait)
}

/// The weekly digest (art. 2.3, the owner's overview): due when the latest slot
/// (`weekday` at `hour`:00 Amsterdam time) at or before `now` is later than
/// `last_digest`, so a daemon that was down at the slot sends it when it is back. Never
/// sent before: due. An hour above 23 counts as 23.
pub fn digest_due(
    now: DateTime<Utc>,
    weekday: Weekday,
    hour: u32,
    last_digest: Option<DateTime<Utc>>,
) -> bool {
    match latest_digest_slot(now, weekday, hour) {
        Some(slot) => last_digest.is_none_or(|last| slot > last),
        None => false,
    }
}

/// The latest digest slot at or before `now`: `weekday` at `hour`:00 Amsterdam time
/// (when that hour is skipped by the spring DST switch, the moment the clock jumps; when
/// it happens twice in autumn, the first).
pub fn latest_digest_slot(
    now: DateTime<Utc>,
    weekday: Weekday,
    hour: u32,
) -> Option<DateTime<Utc>> {
    let today = local_date(now);
    let back = (7 + today.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    let day = today.checked_sub_days(Days::new(u64::from(back)))?;
    let slot = slot_at(day, hour)?;
    if slot <= now {
        Some(slot)
    } else {
        slot_at(day.checked_sub_days(Days::new(7))?, hour)
    }
}

fn slot_at(day: NaiveDate, hour: u32) -> Option<DateTime<Utc>> {
    let local = day.and_time(NaiveTime::from_hms_opt(hour.min(23), 0, 0)?);
    let instant = match local.and_local_timezone(ZONE) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t,
        // In the gap of the spring switch: an hour later exists.
        LocalResult::None => local
            .checked_add_signed(TimeDelta::hours(1))?
            .and_local_timezone(ZONE)
            .earliest()?,
    };
    Some(instant.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::rules::calendar::CalendarConfig;
    use crate::rules::deadlines::deadlines;

    const OFFSETS: [u32; 3] = [7, 2, 0];

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// `date` at `h`:`m` Amsterdam time, as UTC.
    fn at(date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
        date.and_hms_opt(h, m, 0)
            .unwrap()
            .and_local_timezone(ZONE)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// A daemon that remembers what it sent.
    struct Daemon {
        calendar: Calendar,
        deadlines: Deadlines,
        sent: BTreeSet<String>,
        log: BTreeMap<NaiveDate, Vec<String>>,
    }

    impl Daemon {
        fn new(received: DateTime<Utc>, calendar: Calendar) -> Daemon {
            Daemon {
                deadlines: deadlines(received, &calendar, None),
                calendar,
                sent: BTreeSet::new(),
                log: BTreeMap::new(),
            }
        }

        /// One scheduler tick: sends what is due, then checks that a second tick and a
        /// restart at the same instant send nothing more.
        fn tick(&mut self, now: DateTime<Utc>, open: &[Deadline]) -> Vec<String> {
            let due = |sent: &BTreeSet<String>| {
                due_reminders(&self.deadlines, open, now, &OFFSETS, &self.calendar, sent)
            };
            let first = due(&self.sent);
            // Pure: asking twice before recording gives the same answer.
            assert_eq!(due(&self.sent), first);
            let keys: Vec<String> = first.iter().map(|d| d.key.key_string()).collect();
            for (due, key) in first.iter().zip(&keys) {
                assert!(!self.sent.contains(key));
                assert_eq!(due.deadline, due.key.deadline);
                assert_eq!(due.due_date, self.deadlines.date(due.deadline));
                assert_eq!(due.overdue, matches!(due.key.stage, Stage::Overdue(_)));
                assert_eq!(key.parse::<ReminderKey>(), Ok(due.key));
            }
            self.sent.extend(keys.iter().cloned());
            // A restart: same instant, the set as stored.
            let sent = self.sent.clone();
            assert!(due(&sent).is_empty(), "repeated at {now}");
            if !keys.is_empty() {
                self.log
                    .entry(local_date(now))
                    .or_default()
                    .extend(keys.iter().cloned());
            }
            keys
        }

        fn log(&self) -> Vec<(NaiveDate, Vec<&str>)> {
            self.log
                .iter()
                .map(|(d, keys)| (*d, keys.iter().map(String::as_str).collect()))
                .collect()
        }
    }

    /// Received Thu 5 Nov 2026 10:00; acknowledged at once; target Thu 26 Nov, decision
    /// Thu 3 Dec; the owner decides on Tue 8 Dec at 14:00.
    #[test]
    fn a_whole_case_day_by_day() {
        let received = at(d(2026, 11, 5), 10, 0);
        let mut daemon = Daemon::new(received, Calendar::default());
        assert_eq!(
            daemon.deadlines,
            Deadlines {
                acknowledge_by: d(2026, 11, 12),
                target: d(2026, 11, 26),
                decide_by: d(2026, 12, 3),
            }
        );
        let decided = at(d(2026, 12, 8), 14, 0);
        for day in d(2026, 11, 5)
            .iter_days()
            .take_while(|day| *day <= d(2026, 12, 20))
        {
            for (h, m) in [(0, 0), (8, 0), (13, 0), (23, 59)] {
                let now = at(day, h, m);
                if now < received {
                    continue;
                }
                let open: &[Deadline] = if now < decided {
                    &[Deadline::Target, Deadline::Decide]
                } else {
                    &[]
                };
                daemon.tick(now, open);
            }
        }
        assert_eq!(
            daemon.log(),
            vec![
                (d(2026, 11, 19), vec!["target/before-7"]),
                (d(2026, 11, 24), vec!["target/before-2"]),
                (d(2026, 11, 26), vec!["target/on-day", "decide/before-7"]),
                (d(2026, 11, 27), vec!["target/overdue-2026-11-27"]),
                // 28, 29 November: weekend.
                (d(2026, 11, 30), vec!["target/overdue-2026-11-30"]),
                (
                    d(2026, 12, 1),
                    vec!["target/overdue-2026-12-01", "decide/before-2"]
                ),
                (d(2026, 12, 2), vec!["target/overdue-2026-12-02"]),
                (
                    d(2026, 12, 3),
                    vec!["target/overdue-2026-12-03", "decide/on-day"]
                ),
                (
                    d(2026, 12, 4),
                    vec!["target/overdue-2026-12-04", "decide/overdue-2026-12-04"]
                ),
                // 5, 6 December: weekend.
                (
                    d(2026, 12, 7),
                    vec!["target/overdue-2026-12-07", "decide/overdue-2026-12-07"]
                ),
                (
                    d(2026, 12, 8),
                    vec!["target/overdue-2026-12-08", "decide/overdue-2026-12-08"]
                ),
            ]
        );
    }

    #[test]
    fn a_daemon_down_for_four_days_sends_what_is_owed_at_once() {
        let received = at(d(2026, 11, 5), 10, 0);
        let mut daemon = Daemon::new(received, Calendar::default());
        let open = [Deadline::Target, Deadline::Decide];
        for day in d(2026, 11, 5)
            .iter_days()
            .take_while(|day| *day <= d(2026, 12, 2))
        {
            // Down from Mon 23 to Thu 26 November.
            if (d(2026, 11, 23)..=d(2026, 11, 26)).contains(&day) {
                continue;
            }
            daemon.tick(at(day, 9, 0), &open);
            daemon.tick(at(day, 9, 1), &open);
        }
        assert_eq!(
            daemon.log(),
            vec![
                (d(2026, 11, 19), vec!["target/before-7"]),
                // Missed: target/before-2 (24th), target/on-day and decide/before-7
                // (26th). Back on Fri 27: target is overdue, decide/before-7 still current.
                (
                    d(2026, 11, 27),
                    vec!["target/overdue-2026-11-27", "decide/before-7"]
                ),
                (d(2026, 11, 30), vec!["target/overdue-2026-11-30"]),
                (
                    d(2026, 12, 1),
                    vec!["target/overdue-2026-12-01", "decide/before-2"]
                ),
                (d(2026, 12, 2), vec!["target/overdue-2026-12-02"]),
            ]
        );
    }

    #[test]
    fn back_on_the_day_itself_only_the_on_the_day_reminder_goes_out() {
        let cal = Calendar::default();
        let dl = deadlines(at(d(2026, 11, 5), 10, 0), &cal, None);
        let due = due_reminders(
            &dl,
            &[Deadline::Decide],
            at(d(2026, 12, 3), 9, 0),
            &OFFSETS,
            &cal,
            &BTreeSet::new(),
        );
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].key.key_string(), "decide/on-day");
        assert!(!due[0].overdue);
    }

    #[test]
    fn no_overdue_reminders_on_holidays_and_closing_days() {
        // Acknowledge by Thu 24 Dec 2026 (received Thu 17 Dec); 28 Dec is a closing day.
        let cal = Calendar::new(&CalendarConfig {
            closing_days: vec![d(2026, 12, 28)],
            ..CalendarConfig::default()
        });
        let mut daemon = Daemon::new(at(d(2026, 12, 17), 9, 0), cal);
        assert_eq!(daemon.deadlines.acknowledge_by, d(2026, 12, 24));
        for day in d(2026, 12, 17).iter_days().take(20) {
            daemon.tick(at(day, 12, 0), &[Deadline::Acknowledge]);
        }
        assert_eq!(
            daemon.log(),
            vec![
                // 24 - 7 = 17 December: the day of receipt.
                (d(2026, 12, 17), vec!["acknowledge/before-7"]),
                (d(2026, 12, 22), vec!["acknowledge/before-2"]),
                (d(2026, 12, 24), vec!["acknowledge/on-day"]),
                // 25, 26 Kerst; 27 Sunday; 28 closing day.
                (d(2026, 12, 29), vec!["acknowledge/overdue-2026-12-29"]),
                (d(2026, 12, 30), vec!["acknowledge/overdue-2026-12-30"]),
                (d(2026, 12, 31), vec!["acknowledge/overdue-2026-12-31"]),
                // 1 January Nieuwjaarsdag, 2-3 weekend.
                (d(2027, 1, 4), vec!["acknowledge/overdue-2027-01-04"]),
                (d(2027, 1, 5), vec!["acknowledge/overdue-2027-01-05"]),
            ]
        );
    }

    #[test]
    fn closed_deadlines_are_silent_and_offsets_come_from_config() {
        let cal = Calendar::default();
        let dl = deadlines(at(d(2026, 11, 5), 10, 0), &cal, None);
        let none = BTreeSet::new();
        let on_day = at(d(2026, 11, 26), 9, 0);
        assert!(due_reminders(&dl, &[], on_day, &OFFSETS, &cal, &none).is_empty());
        assert!(
            due_reminders(&dl, &[Deadline::Acknowledge], on_day, &OFFSETS, &cal, &none)
                .iter()
                .all(|d| d.deadline == Deadline::Acknowledge)
        );
        // Without 0 there is no on-the-day reminder: "before 2" stays current.
        let keys = |offsets: &[u32], now, sent: &BTreeSet<String>| -> Vec<String> {
            due_reminders(&dl, &[Deadline::Target], now, offsets, &cal, sent)
                .iter()
                .map(|d| d.key.key_string())
                .collect()
        };
        assert_eq!(keys(&[2, 7, 7], on_day, &none), ["target/before-2"]);
        let sent: BTreeSet<String> = ["target/before-2".to_string()].into();
        assert!(keys(&[2, 7, 7], on_day, &sent).is_empty());
        assert!(keys(&[], on_day, &none).is_empty());
        // No offsets: only overdue reminders.
        assert_eq!(
            keys(&[], at(d(2026, 11, 27), 9, 0), &none),
            ["target/overdue-2026-11-27"]
        );
        // Before the first stage: nothing.
        assert!(keys(&OFFSETS, at(d(2026, 11, 18), 23, 59), &none).is_empty());
        assert_eq!(
            keys(&OFFSETS, at(d(2026, 11, 19), 0, 0), &none),
            ["target/before-7"]
        );
    }

    #[test]
    fn reminder_keys_are_stable_text() {
        let key = |deadline, stage| ReminderKey { deadline, stage }.key_string();
        assert_eq!(key(Deadline::Decide, Stage::Before(7)), "decide/before-7");
        assert_eq!(key(Deadline::Decide, Stage::OnTheDay), "decide/on-day");
        assert_eq!(
            key(Deadline::Decide, Stage::Overdue(d(2026, 12, 1))),
            "decide/overdue-2026-12-01"
        );
        assert_eq!(
            key(Deadline::Acknowledge, Stage::Before(2)),
            "acknowledge/before-2"
        );
        assert_eq!(key(Deadline::Target, Stage::OnTheDay), "target/on-day");
        for bad in [
            "",
            "decide",
            "decide/",
            "later/on-day",
            "decide/before-0",
            "decide/before-x",
            "decide/before-+7",
            "decide/before-07",
            "decide/overdue-2026-1-5",
            "decide/overdue-2026-13-01",
            "decide/on-day/x",
        ] {
            assert!(bad.parse::<ReminderKey>().is_err(), "{bad}");
        }
        assert_eq!(
            "target/overdue-2026-12-01".parse::<ReminderKey>(),
            Ok(ReminderKey {
                deadline: Deadline::Target,
                stage: Stage::Overdue(d(2026, 12, 1)),
            })
        );
        // Chronological order of stages.
        let mut stages = vec![
            Stage::Overdue(d(2026, 12, 2)),
            Stage::OnTheDay,
            Stage::Before(2),
            Stage::Overdue(d(2026, 12, 1)),
            Stage::Before(7),
        ];
        stages.sort();
        assert_eq!(
            stages,
            vec![
                Stage::Before(7),
                Stage::Before(2),
                Stage::OnTheDay,
                Stage::Overdue(d(2026, 12, 1)),
                Stage::Overdue(d(2026, 12, 2)),
            ]
        );
        let json = serde_json::to_string(&ReminderKey {
            deadline: Deadline::Decide,
            stage: Stage::Before(7),
        })
        .unwrap();
        assert_eq!(json, r#"{"deadline":"decide","stage":{"before":7}}"#);
        let back: ReminderKey = serde_json::from_str(&json).unwrap();
        assert_eq!(back.key_string(), "decide/before-7");
    }

    #[test]
    fn the_amsterdam_date_of_now_counts() {
        let cal = Calendar::default();
        let dl = deadlines(at(d(2026, 11, 5), 10, 0), &cal, None);
        let none = BTreeSet::new();
        // 23:30 UTC on 18 Nov is 00:30 on 19 Nov in Amsterdam: "before 7" of target.
        let due = due_reminders(
            &dl,
            &[Deadline::Target],
            utc("2026-11-18T23:30:00Z"),
            &OFFSETS,
            &cal,
            &none,
        );
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].key.stage, Stage::Before(7));
        let due = due_reminders(
            &dl,
            &[Deadline::Target],
            utc("2026-11-18T22:59:00Z"),
            &OFFSETS,
            &cal,
            &none,
        );
        assert!(due.is_empty());
    }

    #[test]
    fn information_reminder_once_after_the_wait() {
        let received = utc("2026-11-02T10:00:00Z");
        assert!(!information_reminder_due(
            received,
            utc("2026-11-09T09:59:59Z"),
            7,
            false
        ));
        assert!(information_reminder_due(
            received,
            utc("2026-11-09T10:00:00Z"),
            7,
            false
        ));
        assert!(information_reminder_due(
            received,
            utc("2026-12-09T10:00:00Z"),
            7,
            false
        ));
        assert!(!information_reminder_due(
            received,
            utc("2026-11-09T10:00:00Z"),
            7,
            true
        ));
        assert!(information_reminder_due(received, received, 0, false));
        assert!(!information_reminder_due(
            received,
            utc("2026-11-09T10:00:00Z"),
            u32::MAX,
            false
        ));
        // A clock that went backwards sends nothing.
        assert!(!information_reminder_due(
            received,
            utc("2026-11-01T10:00:00Z"),
            0,
            false
        ));
    }

    #[test]
    fn the_weekly_digest() {
        let mon = Weekday::Mon;
        // Monday 2 Nov 2026, 08:00 CET is 07:00 UTC.
        let last = Some(at(d(2026, 10, 26), 8, 0));
        assert!(!digest_due(at(d(2026, 11, 2), 7, 59), mon, 8, last));
        assert!(digest_due(at(d(2026, 11, 2), 8, 0), mon, 8, last));
        assert_eq!(
            latest_digest_slot(at(d(2026, 11, 2), 9, 0), mon, 8),
            Some(utc("2026-11-02T07:00:00Z"))
        );
        // Sent at 08:00:30: not again that week.
        let sent = Some(utc("2026-11-02T07:00:30Z"));
        assert!(!digest_due(at(d(2026, 11, 2), 9, 0), mon, 8, sent));
        assert!(!digest_due(at(d(2026, 11, 8), 23, 59), mon, 8, sent));
        assert!(digest_due(at(d(2026, 11, 9), 8, 0), mon, 8, sent));
        // Down over Monday: sent when back on Wednesday, then not until next Monday.
        assert!(digest_due(at(d(2026, 11, 4), 12, 0), mon, 8, last));
        let sent = Some(at(d(2026, 11, 4), 12, 0));
        assert!(!digest_due(at(d(2026, 11, 6), 12, 0), mon, 8, sent));
        assert!(digest_due(at(d(2026, 11, 9), 8, 0), mon, 8, sent));
        // Never sent: due.
        assert!(digest_due(at(d(2026, 11, 4), 12, 0), mon, 8, None));
        // A clock that went backwards: not due.
        assert!(!digest_due(
            at(d(2026, 11, 4), 12, 0),
            mon,
            8,
            Some(at(d(2026, 11, 20), 8, 0))
        ));
    }

    #[test]
    fn the_weekly_digest_across_dst() {
        // Summer time from Sun 29 March 2026: Monday 30 March 08:00 CEST is 06:00 UTC.
        assert_eq!(
            latest_digest_slot(utc("2026-03-30T06:30:00Z"), Weekday::Mon, 8),
            Some(utc("2026-03-30T06:00:00Z"))
        );
        // Mon 23 March, 08:00 CET is 07:00 UTC.
        assert_eq!(
            latest_digest_slot(utc("2026-03-30T05:59:00Z"), Weekday::Mon, 8),
            Some(utc("2026-03-23T07:00:00Z"))
        );
        // Sunday 02:00 does not exist on 29 March: the slot is 03:00 CEST (01:00 UTC).
        assert_eq!(
            latest_digest_slot(utc("2026-03-29T12:00:00Z"), Weekday::Sun, 2),
            Some(utc("2026-03-29T01:00:00Z"))
        );
        // Sunday 02:00 happens twice on 25 October: the first (CEST, 00:00 UTC).
        assert_eq!(
            latest_digest_slot(utc("2026-10-25T12:00:00Z"), Weekday::Sun, 2),
            Some(utc("2026-10-25T00:00:00Z"))
        );
        // Late on Sunday UTC is already Monday in Amsterdam.
        assert_eq!(
            latest_digest_slot(utc("2026-11-01T23:30:00Z"), Weekday::Mon, 0),
            Some(utc("2026-11-01T23:00:00Z"))
        );
        // An hour out of range counts as 23.
        assert_eq!(
            latest_digest_slot(utc("2026-11-03T12:00:00Z"), Weekday::Mon, 99),
            Some(utc("2026-11-02T22:00:00Z"))
        );
    }
}
