//! The scheduler's tick: for every open case, what is due ([`crate::procedure::schedule`]
//! plans it), and the mails that say so, committed with the marks that remember them;
//! the weekly digest; once a day, the erasure of cases whose retention period ended
//! ([`crate::retention`]).
//!
//! Idempotent by construction: each mail is queued in the same store transaction as the
//! mark that says it was sent (`{case}/reminder/{due date}/{deadline}/{stage}`,
//! `{case}/ack-alert`, `{case}/info-reminder`, `digest/last`), so a second tick, a
//! restart or a crash between the two can neither repeat nor lose one. A daemon that was
//! down ticks at start and sends what is owed at once.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use tracing::{error, info};

use crate::cases::{Case, Change, EventKind};
use crate::domain::CaseNumber;
use crate::domain::LetterKind;
use crate::letters::Letters;
use crate::procedure::schedule::{self, AckStatus, Mark, ScheduleSettings};
use crate::registry::ChangeError;
use crate::rules::calendar::{Calendar, local_date};

use crate::store::keys::{
    DIGEST_MARK, RETENTION_META, ack_alert_mark, case_prefix, info_reminder_mark, reminder_mark,
    reminder_prefix,
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
}
