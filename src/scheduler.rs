//! The scheduler: on every tick, for every open case, what is due, and the mails that
//! say so, committed with the marks that remember them.
//!
//! What goes out (art. 4.1, 5.1, 3.2, the introduction's 3 weeks and 2 years):
//! - reminders to the owner before each open deadline and on the day, and an escalation
//!   every working day while one is overdue ([`crate::rules::reminders`]); one mail per
//!   case per tick, marked HERINNERING, or TERMIJN VERSTREKEN when a deadline passed;
//! - an alert to the owner when the acknowledgement deadline is reached and the
//!   acknowledgement has not been sent ([`ack_alert_due`]);
//! - one gentle reminder to a complainant whose case still misses information;
//! - the weekly digest of open cases to the owner (from the first slot after the store
//!   was created);
//! - once a day, the erasure of cases whose retention period ended ([`crate::retention`]).
//!
//! Idempotent by construction: each mail is queued in the same store transaction as the
//! mark that says it was sent (`{case}/reminder/{due date}/{deadline}/{stage}`,
//! `{case}/ack-alert`, `{case}/info-reminder`, `digest/last`), so a second tick, a
//! restart or a crash between the two can neither repeat nor lose one. A daemon that was
//! down ticks at start and sends what is owed at once.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use minijinja::{Value, context};
use tracing::{error, info};

use crate::cases::{Case, Change, EventKind, State};
use crate::config::ScheduleConfig;
use crate::domain::CaseNumber;
use crate::domain::LetterKind;
use crate::letters::{LetterError, Letters, dutch_date};
use crate::procedure::mail::{answer, record_sent};
use crate::registry::{ChangeError, Registry};
use crate::rules::calendar::{Calendar, local_date};
use crate::rules::deadlines::{Deadline, Deadlines, deadlines};
use crate::rules::reminders::{
    Due, ReminderKey, Stage, digest_due, due_reminders, information_reminder_due,
};
use crate::store::keys::{
    DIGEST_MARK, RETENTION_META, ack_alert_mark, case_prefix, info_reminder_mark, reminder_mark,
    reminder_prefix,
};
use crate::store::{OutboxStatus, QueuedMail, StoreError};

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

/// Where the answer to receipt (art. 4.1) of a case stands, from the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckStatus {
    /// Sent: an acknowledgement, a request for information or the reply to a late
    /// complaint went out.
    Sent,
    /// Queued, not sent yet (the mail server may be down).
    Pending,
    /// Sending failed for good.
    Failed,
    /// Nothing was queued (no usable address).
    Missing,
}

/// The status of a case's answers to receipt, looked up in the outbox by the Message-IDs
/// its log records.
pub fn ack_status(store: &crate::store::Store, case: &Case) -> Result<AckStatus, StoreError> {
    let mut answers = Vec::new();
    for event in &case.events {
        if let EventKind::Answered { message_id, .. } = &event.kind
            && let Some(q) = store.queued(message_id)?
        {
            answers.push(q);
        }
    }
    Ok(AckStatus::from_outbox(&answers))
}

impl AckStatus {
    /// From the case's mails in the outbox: the best status of its answers to receipt.
    pub fn from_outbox<'a>(mails: impl IntoIterator<Item = &'a QueuedMail>) -> AckStatus {
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

    fn dutch(self) -> &'static str {
        match self {
            AckStatus::Sent => "verzonden",
            AckStatus::Pending => {
                "staat nog klaar om te verzenden (de mailserver is mogelijk onbereikbaar)"
            }
            AckStatus::Failed => "het verzenden is mislukt",
            AckStatus::Missing => "er is geen bruikbaar e-mailadres van de klager",
        }
    }
}

/// Whether the owner is visibly in contact with the complainant (a hearing, a report,
/// an extension, a decision): receipt was evidently acknowledged.
fn owner_in_contact(state: State) -> bool {
    matches!(
        state,
        State::HearingHeld | State::ReportSent | State::Extended | State::Decided
    )
}

/// The deadlines that still bind an open case:
/// - acknowledge (art. 4.1): until an answer to receipt is queued and has not failed
///   (an alert covers one that is still unsent on the day, [`ack_alert_due`]), or the
///   owner is in contact with the complainant;
/// - the 3-week target (introduction: "binnen 3 weken", or word within that term that
///   more time is needed): until decided, or an extension was announced;
/// - decide (art. 5.1, or the extended date): until decided.
///
/// A case that left the procedure (closed, withdrawn, declined, referred) has none.
pub fn open_deadlines(case: &Case, ack: AckStatus) -> Vec<Deadline> {
    let mut open = Vec::new();
    if !case.state.is_open() {
        return open;
    }
    if matches!(ack, AckStatus::Missing | AckStatus::Failed) && !owner_in_contact(case.state) {
        open.push(Deadline::Acknowledge);
    }
    if case.state != State::Decided {
        if case.extended_to.is_none() {
            open.push(Deadline::Target);
        }
        open.push(Deadline::Decide);
    }
    open
}

/// Art. 4.1: the acknowledgement deadline is reached (its day, or later) and the
/// acknowledgement has not gone out (still queued, failed, or never written), while the
/// owner is not in contact with the complainant otherwise. Once per case.
pub fn ack_alert_due(
    case: &Case,
    ack: AckStatus,
    deadlines: &Deadlines,
    now: DateTime<Utc>,
    already: bool,
) -> bool {
    !already
        && case.state.is_open()
        && ack != AckStatus::Sent
        && !owner_in_contact(case.state)
        && local_date(now) >= deadlines.acknowledge_by
}

/// When the complainant was last asked for the missing information (art. 3.2): the
/// information reminder counts from there.
pub fn information_asked_at(case: &Case) -> DateTime<Utc> {
    case.events
        .iter()
        .rev()
        .find(|e| {
            matches!(&e.kind, EventKind::Answered { letter, .. }
                if letter == LetterKind::RequestInformation.key()
                    || letter == LetterKind::LateAccepted.key())
        })
        .map(|e| e.at)
        .unwrap_or(case.received)
}

/// The reminder keys already sent for the deadlines as they are now (`marks`: the case's
/// marks).
fn sent_reminders(
    number: CaseNumber,
    deadlines: &Deadlines,
    marks: &BTreeSet<String>,
) -> BTreeSet<String> {
    let prefix = reminder_prefix(number);
    marks
        .iter()
        .filter_map(|m| m.strip_prefix(&prefix))
        .filter_map(|rest| {
            let (date, key) = rest.split_once('/')?;
            let parsed: ReminderKey = key.parse().ok()?;
            (date == deadlines.date(parsed.deadline).to_string()).then(|| key.to_string())
        })
        .collect()
}

/// What is due for one case at `now`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub reminders: Vec<Due>,
    pub ack_alert: Option<AckStatus>,
    pub information_reminder: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.reminders.is_empty() && self.ack_alert.is_none() && !self.information_reminder
    }
}

/// What is due for `case` at `now`, given the answer to receipt and the case's marks.
pub fn plan(
    case: &Case,
    ack: AckStatus,
    marks: &BTreeSet<String>,
    now: DateTime<Utc>,
    schedule: &ScheduleConfig,
    calendar: &Calendar,
) -> Plan {
    if !case.state.is_open() {
        return Plan::default();
    }
    let dl = deadlines(case.received, calendar, case.extended_to);
    let open = open_deadlines(case, ack);
    let sent = sent_reminders(case.number, &dl, marks);
    let reminders = due_reminders(&dl, &open, now, &schedule.reminder_days, calendar, &sent);
    let ack_alert = ack_alert_due(
        case,
        ack,
        &dl,
        now,
        marks.contains(&ack_alert_mark(case.number)),
    )
    .then_some(ack);
    // Art. 3.2: one gentle reminder to a complainant who still owes information.
    let information_reminder = case.state == State::AwaitingInformation
        && information_reminder_due(
            information_asked_at(case),
            now,
            schedule.information_reminder_days,
            marks.contains(&info_reminder_mark(case.number)),
        );
    Plan {
        reminders,
        ack_alert,
        information_reminder,
    }
}

/// What the owner should do about a deadline, in Dutch.
fn hint(case: &Case, deadline: Deadline) -> String {
    let n = case.number;
    match deadline {
        Deadline::Acknowledge => format!(
            "Bevestig de ontvangst aan de klager (artikel 4.1); kijk in het dossier waarom dat \
             niet is gelukt: klachtd cases show {n}"
        ),
        Deadline::Target if case.state == State::Late => late_hint(n),
        Deadline::Target => format!(
            "Handel de klacht af, of laat de klager weten dat u meer tijd nodig heeft \
             (inleiding: binnen 3 weken): klachtd case {n} extend --until JJJJ-MM-DD"
        ),
        Deadline::Decide if case.state == State::Late => late_hint(n),
        Deadline::Decide if case.state == State::AwaitingInformation => format!(
            "De klacht is nog onvolledig. Vraag de klager om de gegevens, of rond af: \
             klachtd case {n} withdraw (met redenen), of verleng: klachtd case {n} extend"
        ),
        Deadline::Decide => format!(
            "Neem een beslissing (artikel 5.1): klachtd case {n} decide, of verleng vóór de \
             termijn: klachtd case {n} extend --until JJJJ-MM-DD"
        ),
    }
}

fn late_hint(n: CaseNumber) -> String {
    format!(
        "Beslis of u deze te laat ingediende klacht toch behandelt (artikel 3.1): \
         klachtd case {n} accept-late, of klachtd case {n} decline-late (met redenen)"
    )
}

/// The owner's reminder letter: one per case per tick, listing what is due.
fn reminder_letter(
    case: &Case,
    due: &[Due],
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<crate::domain::Outgoing, LetterError> {
    let today = local_date(now);
    let rows: Vec<Value> = due
        .iter()
        .map(|d| {
            let days_left = d.due_date.signed_duration_since(today).num_days();
            context! {
                deadline => d.deadline.label(),
                key => d.deadline.key(),
                due => dutch_date(d.due_date),
                overdue => d.overdue,
                today => matches!(d.key.stage, Stage::OnTheDay) || days_left == 0,
                days_left => days_left,
                hint => hint(case, d.deadline),
            }
        })
        .collect();
    let summary = due
        .iter()
        .map(|d| {
            let days_left = d.due_date.signed_duration_since(today).num_days();
            let when = if d.overdue {
                format!("verstreken op {}", dutch_date(d.due_date))
            } else if days_left <= 0 {
                "vandaag".to_string()
            } else if days_left == 1 {
                "morgen".to_string()
            } else {
                format!("over {days_left} dagen")
            };
            format!("{} {when}", d.deadline.label())
        })
        .collect::<Vec<_>>()
        .join("; ");
    let overdue = due.iter().any(|d| d.overdue);
    letters.write(
        LetterKind::OwnerReminder,
        Some(case),
        context! { reminders => rows, overdue, summary },
        now,
    )
}

/// What a tick does to one case, from its plan: the mails and their marks, and the case
/// with the mails in its log. Pure.
pub fn build_change(
    mut case: Case,
    plan: &Plan,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    let mut outgoing = Vec::new();
    let mut marks = Vec::new();
    if !plan.reminders.is_empty() {
        let mail = reminder_letter(&case, &plan.reminders, letters, now)?;
        record_sent(&mut case, &mail, now);
        outgoing.push(mail);
        marks.extend(
            plan.reminders
                .iter()
                .map(|d| reminder_mark(case.number, d.due_date, &d.key)),
        );
    }
    if let Some(status) = plan.ack_alert {
        let mail = letters.write(
            LetterKind::OwnerAcknowledgementAlert,
            Some(&case),
            context! { status => status.dutch() },
            now,
        )?;
        record_sent(&mut case, &mail, now);
        outgoing.push(mail);
        marks.push(ack_alert_mark(case.number));
    }
    if plan.information_reminder {
        answer(
            &mut case,
            LetterKind::InformationReminder,
            context! {},
            letters,
            now,
            &mut outgoing,
        )?;
        marks.push(info_reminder_mark(case.number));
    }
    Ok(Change {
        case: Some(case),
        new_case: false,
        outgoing,
        marks,
    })
}

/// One line of the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRow {
    pub number: CaseNumber,
    pub state: State,
    pub serious: bool,
    /// The soonest deadline still open (overdue ones included), if any.
    pub next: Option<(Deadline, NaiveDate)>,
}

/// The digest's rows: every open case with its state and the soonest deadline still
/// open, soonest first (cases without an open deadline last), then by number.
pub fn digest_rows(
    cases: &[Case],
    ack: impl Fn(CaseNumber) -> AckStatus,
    calendar: &Calendar,
) -> Vec<DigestRow> {
    let mut rows: Vec<DigestRow> = cases
        .iter()
        .filter(|c| c.state.is_open())
        .map(|c| {
            let dl = deadlines(c.received, calendar, c.extended_to);
            let next = open_deadlines(c, ack(c.number))
                .into_iter()
                .map(|d| (d, dl.date(d)))
                .min_by_key(|(d, date)| (*date, *d));
            DigestRow {
                number: c.number,
                state: c.state,
                serious: c.serious,
                next,
            }
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            r.next.map(|(_, date)| date).unwrap_or(NaiveDate::MAX),
            r.number,
        )
    });
    rows
}

/// The digest letter (to the owner, tied to no case).
pub fn digest_letter(
    rows: &[DigestRow],
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<crate::domain::Outgoing, LetterError> {
    let today = local_date(now);
    let cases: Vec<Value> = rows
        .iter()
        .map(|r| {
            context! {
                number => r.number.to_string(),
                state => r.state.dutch(),
                serious => r.serious,
                next => r.next.map(|(d, _)| d.label()),
                due => r.next.map(|(_, date)| dutch_date(date)),
                due_iso => r.next.map(|(_, date)| date.to_string()),
                overdue => r.next.is_some_and(|(_, date)| date < today),
                days_left => r.next.map(|(_, date)| date.signed_duration_since(today).num_days()),
            }
        })
        .collect();
    letters.write(
        LetterKind::OwnerDigest,
        None,
        context! { cases, count => rows.len(), today => dutch_date(today) },
        now,
    )
}

fn digest_weekday(schedule: &ScheduleConfig) -> Weekday {
    schedule.digest_weekday.parse().unwrap_or(Weekday::Mon)
}

/// One scheduler pass at `now`. Each case's mails and marks are one transaction; a case
/// that fails (a broken template) is logged and skipped, the others go on.
pub fn tick(registry: &Registry, now: DateTime<Utc>) -> Result<TickSummary, ChangeError> {
    let store = &registry.store;
    let schedule = &registry.config.schedule;
    let calendar = &registry.calendar;
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
        let marks = store.marks(&case_prefix(number))?;
        if plan(case, ack, &marks, now, schedule, calendar).is_empty() {
            continue;
        }
        // Planned again inside the transaction, on the case as stored.
        let result = store.update_case(number, now, |fresh| {
            let p = plan(&fresh, ack, &marks, now, schedule, calendar);
            Ok::<_, ChangeError>(build_change(fresh, &p, &registry.letters, now)?)
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
    // The weekly digest of open cases. The very first tick of a new store only notes
    // the slot: the first digest goes out at the next slot, not at installation.
    let last = store.mark_time(DIGEST_MARK)?;
    let first = last.is_none();
    if digest_due(now, digest_weekday(schedule), schedule.digest_hour, last) {
        let rows = digest_rows(&cases, ack_of, calendar);
        // With no open case there is nothing to tell: the slot is marked all the same.
        let outgoing = if rows.is_empty() || first {
            Vec::new()
        } else {
            vec![digest_letter(&rows, &registry.letters, now)?]
        };
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
            info!(open_cases = rows.len(), "scheduler: digest");
        }
    }
    // Once a day: the retention period (introduction: 2 years).
    let today = local_date(now);
    if store.meta_get::<NaiveDate>(RETENTION_META)? != Some(today) {
        report.erased = crate::retention::purge(registry, now, false)?.len();
        store.meta_put(RETENTION_META, &today)?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::sample_case;

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
        let status = |mails: &[QueuedMail]| AckStatus::from_outbox(mails.iter());
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
    fn which_deadlines_bind() {
        let mut case = sample_case();
        case.state = State::Acknowledged;
        use Deadline::*;
        assert_eq!(open_deadlines(&case, AckStatus::Pending), [Target, Decide]);
        assert_eq!(
            open_deadlines(&case, AckStatus::Failed),
            [Acknowledge, Target, Decide]
        );
        case.state = State::HearingHeld;
        assert_eq!(open_deadlines(&case, AckStatus::Missing), [Target, Decide]);
        case.extended_to = Some(d(2027, 1, 1));
        assert_eq!(open_deadlines(&case, AckStatus::Sent), [Decide]);
        case.state = State::Decided;
        assert!(open_deadlines(&case, AckStatus::Sent).is_empty());
        for ended in [
            State::Closed,
            State::Withdrawn,
            State::Declined,
            State::Referred,
        ] {
            case.state = ended;
            assert!(open_deadlines(&case, AckStatus::Missing).is_empty());
        }
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
            sent_reminders(n, &dl, &marks),
            ["decide/before-7".to_string()].into()
        );
        case.extended_to = Some(d(2026, 12, 14));
        let dl = deadlines(case.received, &cal, case.extended_to);
        assert!(sent_reminders(n, &dl, &marks).is_empty());
    }

    #[test]
    fn the_digest_is_soonest_first() {
        let cal = Calendar::default();
        let mk = |seq, received: &str, state| {
            let mut c = sample_case();
            c.number = CaseNumber { year: 2026, seq };
            c.received = utc(received);
            c.state = state;
            c
        };
        let cases = vec![
            mk(1, "2026-11-10T10:00:00Z", State::Acknowledged),
            mk(2, "2026-11-02T10:00:00Z", State::Acknowledged),
            mk(3, "2026-10-01T10:00:00Z", State::Closed),
            mk(4, "2026-10-20T10:00:00Z", State::Decided),
            mk(5, "2026-11-05T10:00:00Z", State::AwaitingInformation),
        ];
        let rows = digest_rows(&cases, |_| AckStatus::Sent, &cal);
        let order: Vec<u32> = rows.iter().map(|r| r.number.seq).collect();
        assert_eq!(order, [2, 5, 1, 4]);
        assert_eq!(rows[0].next, Some((Deadline::Target, d(2026, 11, 23))));
        assert_eq!(rows[3].next, None);
    }
}
