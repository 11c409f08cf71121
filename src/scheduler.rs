//! The scheduler's tick: for every open case, what is due ([`crate::procedure::schedule`]
//! plans it), and the mails that say so, committed with the marks that remember them;
//! the weekly digest; once a day, the erasure of cases whose retention period ended
//! ([`crate::retention`]); once a day, with `[backup]`, an export of the store
//! ([`daily_export`]).
//!
//! Idempotent by construction: each mail is queued in the same store transaction as the
//! mark that says it was sent (`{case}/reminder/{due date}/{deadline}/{stage}`,
//! `{case}/ack-alert`, `{case}/info-reminder`, `digest/last`), so a second tick, a
//! restart or a crash between the two can neither repeat nor lose one. A daemon that was
//! down ticks at start and sends what is owed at once.

use std::collections::{BTreeSet, HashMap};
use std::os::unix::fs::DirBuilderExt;

use chrono::{DateTime, NaiveDate, Utc};
use tracing::{error, info};

use crate::cases::{Case, Change, EventKind};
use crate::domain::CaseNumber;
use crate::domain::LetterKind;
use crate::letters::Letters;
use crate::procedure::schedule::{self, AckStatus, Mark, ScheduleSettings};
use crate::registry::ChangeError;
use crate::rules::calendar::{Calendar, local_date};

use crate::store::archive::{ArchiveError, Archived};
use crate::store::keys::{
    BACKUP_META, DIGEST_MARK, RETENTION_META, ack_alert_mark, case_prefix, info_reminder_mark,
    reminder_mark, reminder_prefix,
};
use crate::store::{OutboxStatus, QueuedMail, Store, StoreError};

/// What one tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickSummary {
    /// Open cases looked at.
    pub open_cases: usize,
    /// Reminder mails to the owner (before or on the day).
    pub reminders: usize,
    /// Reminder mails to the owner about an overdue deadline.
    pub escalations: usize,
    /// Alerts: the acknowledgement was not sent by its deadline.
    pub alerts: usize,
    /// Reminders to complainants who still owe information.
    pub information_reminders: usize,
    pub digests: usize,
    /// Cases erased at the end of their retention period.
    pub erased: usize,
}

impl TickSummary {
    /// Mails queued by this tick.
    pub fn queued(&self) -> usize {
        self.reminders + self.escalations + self.alerts + self.information_reminders + self.digests
    }
}

/// The status of a case's answers to receipt, looked up in the outbox by the Message-IDs
/// its log records.
pub fn ack_status(store: &Store, case: &Case) -> Result<AckStatus, StoreError> {
    let mut answers = Vec::new();
    for event in &case.events {
        if let EventKind::Answered { message_id, .. } = &event.kind
            && let Some(q) = store.queued(message_id)?
        {
            answers.push(q);
        }
    }
    Ok(ack_from_outbox(&answers))
}

/// From the case's mails in the outbox: the best status of its answers to receipt.
pub fn ack_from_outbox<'a>(mails: impl IntoIterator<Item = &'a QueuedMail>) -> AckStatus {
    let mut status = AckStatus::Missing;
    for q in mails.into_iter().filter(|q| q.mail.kind.answers_receipt()) {
        status = match (status, q.status) {
            (_, OutboxStatus::Sent) | (AckStatus::Sent, _) => AckStatus::Sent,
            (_, OutboxStatus::Pending) | (AckStatus::Pending, _) => AckStatus::Pending,
            (_, OutboxStatus::Failed) => AckStatus::Failed,
        };
    }
    status
}

/// How the store spells a case's mark.
pub fn spell_mark(number: CaseNumber, mark: &Mark) -> String {
    match mark {
        Mark::Reminder { due_date, key } => reminder_mark(number, *due_date, key),
        Mark::AckAlert => ack_alert_mark(number),
        Mark::InformationReminder => info_reminder_mark(number),
    }
}

/// The case's marks as the store spells them, read back (the inverse of [`spell_mark`]);
/// what is not one of the scheduler's marks is left out.
pub fn read_marks(number: CaseNumber, marks: &BTreeSet<String>) -> BTreeSet<Mark> {
    let reminder = reminder_prefix(number);
    let (ack_alert, info_reminder) = (ack_alert_mark(number), info_reminder_mark(number));
    marks
        .iter()
        .filter_map(|m| {
            if *m == ack_alert {
                return Some(Mark::AckAlert);
            }
            if *m == info_reminder {
                return Some(Mark::InformationReminder);
            }
            let (date, key) = m.strip_prefix(&reminder)?.split_once('/')?;
            let due_date = date
                .parse::<NaiveDate>()
                .ok()
                .filter(|d| d.to_string() == date)?;
            Some(Mark::Reminder {
                due_date,
                key: key.parse().ok()?,
            })
        })
        .collect()
}

/// One scheduler pass at `now` over `store`, with the letter writer and the calendar the
/// daemon hands it. Each case's mails and marks are one transaction; a case that fails
/// (a broken template) is logged and skipped, the others go on.
pub fn tick(
    store: &Store,
    letters: &Letters,
    calendar: &Calendar,
    settings: &ScheduleSettings,
    now: DateTime<Utc>,
) -> Result<TickSummary, ChangeError> {
    let mut report = TickSummary::default();
    // Only the open cases, and of the outbox only their answers to receipt: a tick's
    // work and memory do not grow with the history the store keeps.
    let cases = store.open_cases()?;
    let mut acks: HashMap<CaseNumber, AckStatus> = HashMap::new();
    for case in &cases {
        acks.insert(case.number, ack_status(store, case)?);
    }
    let ack_of = |n: CaseNumber| acks.get(&n).copied().unwrap_or(AckStatus::Missing);
    for case in &cases {
        report.open_cases += 1;
        let number = case.number;
        let ack = ack_of(number);
        let marks = read_marks(number, &store.marks(&case_prefix(number))?);
        if schedule::plan(case, ack, &marks, now, settings, calendar).is_empty() {
            continue;
        }
        // Planned again inside the transaction, on the case as stored.
        let result = store.update_case(number, now, |fresh| {
            let p = schedule::plan(&fresh, ack, &marks, now, settings, calendar);
            let scheduled = schedule::build_change(fresh, &p, letters, now)?;
            Ok::<_, ChangeError>(scheduled.into_change(spell_mark))
        });
        let change = match result {
            Ok(change) => change,
            Err(e @ ChangeError::Letter(_)) => {
                error!(case = %number, error = %e, "scheduler: could not write a letter");
                continue;
            }
            Err(e) => return Err(e),
        };
        for mark in &change.marks {
            info!(case = %number, mark = mark.strip_prefix(&case_prefix(number)).unwrap_or(mark), "scheduler: queued");
        }
        for mail in &change.outgoing {
            match mail.kind {
                LetterKind::OwnerReminder => {
                    let overdue = change.marks.iter().any(|m| m.contains("/overdue-"));
                    if overdue {
                        report.escalations += 1;
                    } else {
                        report.reminders += 1;
                    }
                }
                LetterKind::OwnerAcknowledgementAlert => report.alerts += 1,
                LetterKind::InformationReminder => report.information_reminders += 1,
                _ => {}
            }
        }
    }
    // The weekly digest of open cases.
    let last = store.mark_time(DIGEST_MARK)?;
    // The owner's commands refused past the day's 5 notices, since the last digest.
    let mut refused = 0;
    for mark in store.marks(crate::store::keys::UNNOTICED_REFUSAL_PREFIX)? {
        if store
            .mark_time(&mark)?
            .is_some_and(|t| last.is_none_or(|l| t > l))
        {
            refused += 1;
        }
    }
    let since = schedule::DigestSince { last, refused };
    if let Some(digest) = schedule::digest(&cases, ack_of, since, now, settings, calendar, letters)?
    {
        let outgoing: Vec<_> = digest.letter.into_iter().collect();
        report.digests += outgoing.len();
        store.commit_plain(
            &Change {
                outgoing,
                marks: vec![DIGEST_MARK.to_string()],
                ..Change::default()
            },
            now,
        )?;
        if report.digests > 0 {
            info!(open_cases = digest.open_cases, "scheduler: digest");
        }
    }
    // Once a day: the retention period (introduction: 2 years).
    let today = local_date(now);
    if store.meta_get::<NaiveDate>(RETENTION_META)? != Some(today) {
        report.erased = crate::retention::purge_store(store, now)?.len();
        store.meta_put(RETENTION_META, &today)?;
    }
    Ok(report)
}

/// What the daily export's files are called: `klachtd-2026-12-01.export` (the day in
/// Amsterdam).
const BACKUP_PREFIX: &str = "klachtd-";
const BACKUP_SUFFIX: &str = ".export";

/// The daily export (`[backup]`): once a day, the whole store to
/// `dir/klachtd-YYYY-MM-DD.export` (the directory made, 0700, if need be), then the
/// oldest of those files beyond `keep` removed (other files are left alone). The day is
/// recorded in meta after the export, so a restart does not take a second one and a
/// failed one is tried again at the next tick. `None` when off or done today.
pub fn daily_export(
    store: &Store,
    backup: &crate::config::BackupConfig,
    now: DateTime<Utc>,
) -> Result<Option<Archived>, ArchiveError> {
    let Some(dir) = &backup.dir else {
        return Ok(None);
    };
    let today = local_date(now);
    if store.meta_get::<NaiveDate>(BACKUP_META)? == Some(today) {
        return Ok(None);
    }
    let io = |source| ArchiveError::Io {
        path: dir.clone(),
        source,
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io)?;
    let archived = store.export(
        &dir.join(format!("{BACKUP_PREFIX}{today}{BACKUP_SUFFIX}")),
        now,
    )?;
    store.meta_put(BACKUP_META, &today)?;
    let mut days: Vec<NaiveDate> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let day = name
                .strip_prefix(BACKUP_PREFIX)?
                .strip_suffix(BACKUP_SUFFIX)?;
            day.parse::<NaiveDate>()
                .ok()
                .filter(|d| d.to_string() == day)
        })
        .collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    for old in days.iter().skip(backup.keep.max(1) as usize) {
        let path = dir.join(format!("{BACKUP_PREFIX}{old}{BACKUP_SUFFIX}"));
        std::fs::remove_file(&path).map_err(io)?;
        info!(day = %old, "backup: an old daily export removed");
    }
    Ok(Some(archived))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::sample_case;
    use crate::procedure::schedule::sent_reminders;
    use crate::rules::deadlines::deadlines;
    use crate::rules::reminders::ReminderKey;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn queued(kind: LetterKind, status: OutboxStatus) -> QueuedMail {
        let mail = crate::domain::Outgoing {
            message_id: kind.key().to_string(),
            kind,
            case: None,
            envelope_from: String::new(),
            recipients: Vec::new(),
            to_complainant: kind.to_complainant(),
            raw: Vec::new(),
        };
        QueuedMail {
            mail,
            queued: utc("2026-11-02T10:00:00Z"),
            attempts: 0,
            next_try: utc("2026-11-02T10:00:00Z"),
            status,
            last_error: None,
        }
    }

    #[test]
    fn the_answer_to_receipt_from_the_outbox() {
        use LetterKind::*;
        use OutboxStatus::*;
        let status = |mails: &[QueuedMail]| ack_from_outbox(mails.iter());
        assert_eq!(status(&[]), AckStatus::Missing);
        assert_eq!(status(&[queued(OwnerNewCase, Sent)]), AckStatus::Missing);
        assert_eq!(
            status(&[queued(Acknowledgement, Pending)]),
            AckStatus::Pending
        );
        assert_eq!(
            status(&[queued(Acknowledgement, Failed)]),
            AckStatus::Failed
        );
        assert_eq!(
            status(&[
                queued(RequestInformation, Failed),
                queued(Acknowledgement, Sent)
            ]),
            AckStatus::Sent
        );
        assert_eq!(
            status(&[queued(LateReply, Pending), queued(Acknowledgement, Failed)]),
            AckStatus::Pending
        );
    }

    #[test]
    fn an_extension_starts_the_decision_reminders_afresh() {
        let mut case = sample_case();
        let n = case.number;
        case.received = utc("2026-11-02T10:00:00Z");
        let cal = Calendar::default();
        let dl = deadlines(case.received, &cal, None);
        let key: ReminderKey = "decide/before-7".parse().unwrap();
        let marks: BTreeSet<String> = [reminder_mark(n, dl.decide_by, &key)].into();
        assert_eq!(
            marks.first().unwrap(),
            "KL-2026-0001/reminder/2026-11-30/decide/before-7"
        );
        assert_eq!(
            sent_reminders(&dl, &read_marks(n, &marks)),
            ["decide/before-7".to_string()].into()
        );
        case.extended_to = Some(d(2026, 12, 14));
        let dl = deadlines(case.received, &cal, case.extended_to);
        assert!(sent_reminders(&dl, &read_marks(n, &marks)).is_empty());
    }

    #[test]
    fn the_marks_read_back_as_spelled() {
        let n = sample_case().number;
        let key: ReminderKey = "acknowledge/overdue-2026-11-11".parse().unwrap();
        let marks = [
            Mark::Reminder {
                due_date: d(2026, 11, 9),
                key,
            },
            Mark::AckAlert,
            Mark::InformationReminder,
        ];
        let spelled: BTreeSet<String> = marks.iter().map(|m| spell_mark(n, m)).collect();
        assert_eq!(read_marks(n, &spelled), marks.into());
        // Another case's marks, and what is not a mark of the scheduler, are left out.
        let other = CaseNumber { year: 2026, seq: 2 };
        let foreign: BTreeSet<String> = [
            spell_mark(other, &Mark::AckAlert),
            format!("{n}/reminder/2026-11-9/decide/before-7"),
            format!("{n}/reminder/2026-11-09/decide/before-07"),
            DIGEST_MARK.to_string(),
        ]
        .into();
        assert!(read_marks(n, &foreign).is_empty());
    }

    #[test]
    fn the_daily_export_is_taken_once_a_day_and_the_newest_kept() {
        let store_dir = tempfile::tempdir().unwrap();
        let store = Store::open(
            &store_dir.path().join("store"),
            1,
            &store_dir.path().join("store.key"),
        )
        .unwrap();
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("backups");
        let backup = crate::config::BackupConfig {
            dir: Some(dir.clone()),
            keep: 2,
        };
        let off = crate::config::BackupConfig::default();
        assert!(
            daily_export(&store, &off, utc("2026-12-01T09:00:00Z"))
                .unwrap()
                .is_none()
        );
        assert!(!dir.exists(), "off: nothing written");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        std::fs::write(dir.join("klachtd-2026-1-1.export"), "not a day of ours").unwrap();
        let names = || {
            let mut n: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            n.sort();
            n
        };
        // 23:30 UTC on 30 Nov is 1 Dec in Amsterdam.
        let first = daily_export(&store, &backup, utc("2026-11-30T23:30:00Z"))
            .unwrap()
            .unwrap();
        assert_eq!(first.path, dir.join("klachtd-2026-12-01.export"));
        assert!(crate::store::archive::verify(&first.path).is_ok());
        assert!(
            daily_export(&store, &backup, utc("2026-12-01T15:00:00Z"))
                .unwrap()
                .is_none(),
            "once a day"
        );
        drop(store);
        // A restart the same day takes none; the next days do, keeping the newest two.
        let store = Store::open(
            &store_dir.path().join("store"),
            1,
            &store_dir.path().join("store.key"),
        )
        .unwrap();
        assert!(
            daily_export(&store, &backup, utc("2026-12-01T16:00:00Z"))
                .unwrap()
                .is_none()
        );
        for day in ["2026-12-02", "2026-12-03"] {
            let at = utc(&format!("{day}T09:00:00Z"));
            assert!(
                daily_export(&store, &backup, at).unwrap().is_some(),
                "{day}"
            );
        }
        assert_eq!(
            names(),
            [
                "klachtd-2026-1-1.export",
                "klachtd-2026-12-02.export",
                "klachtd-2026-12-03.export",
                "notes.txt"
            ]
        );
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(dir.join("klachtd-2026-12-03.export"))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_failed_daily_export_is_tried_again() {
        let store_dir = tempfile::tempdir().unwrap();
        let store = Store::open(
            &store_dir.path().join("store"),
            1,
            &store_dir.path().join("store.key"),
        )
        .unwrap();
        let out = tempfile::tempdir().unwrap();
        // A file where the directory should be: the export fails, nothing is recorded.
        let blocked = out.path().join("blocked");
        std::fs::write(&blocked, "a file").unwrap();
        let backup = crate::config::BackupConfig {
            dir: Some(blocked.join("backups")),
            keep: 7,
        };
        let now = utc("2026-12-01T09:00:00Z");
        assert!(daily_export(&store, &backup, now).is_err());
        assert_eq!(store.meta_get::<NaiveDate>(BACKUP_META).unwrap(), None);
        std::fs::remove_file(&blocked).unwrap();
        assert!(
            daily_export(&store, &backup, now).unwrap().is_some(),
            "taken at the next try"
        );
        // Into the store itself: refused, and still not recorded as done.
        let store2_dir = tempfile::tempdir().unwrap();
        let store2 = Store::open(
            &store2_dir.path().join("store"),
            1,
            &store2_dir.path().join("store.key"),
        )
        .unwrap();
        let inside = crate::config::BackupConfig {
            dir: Some(store2_dir.path().join("store").join("backups")),
            keep: 7,
        };
        let err = daily_export(&store2, &inside, now).unwrap_err();
        assert!(matches!(err, ArchiveError::IntoStore { .. }), "{err:?}");
        assert_eq!(store2.meta_get::<NaiveDate>(BACKUP_META).unwrap(), None);
    }
}
