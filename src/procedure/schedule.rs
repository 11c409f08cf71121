//! What the scheduler sends, given a case, what was already done for it and "now":
//! reminders and escalations to the owner, the alert about an acknowledgement that did
//! not go out, the gentle reminder to a complainant who still owes information, and the
//! weekly digest of open cases.
//!
//! What goes out (art. 4.1, 5.1, 3.2, the introduction's 3 weeks):
//! - reminders to the owner before each open deadline and on the day, and an escalation
//!   every working day while one is overdue ([`crate::rules::reminders`]); one mail per
//!   case per tick, marked HERINNERING, or TERMIJN VERSTREKEN when a deadline passed;
//! - an alert to the owner when the acknowledgement deadline is reached and the
//!   acknowledgement has not been sent ([`ack_alert_due`]);
//! - one gentle reminder to a complainant whose case still misses information;
//! - the weekly digest of open cases to the owner ([`digest`]).
//!
//! Pure: the case, its [`Mark`]s (what was done before, as the store remembers it), the
//! calendar, the settings and "now" are inputs; the result is the case with the mails in
//! its log, the mails, and the marks to remember them by. How a mark is spelled in the
//! store is the caller's business.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use minijinja::{Value, context};

use crate::cases::{Case, Change, EventKind, State};
use crate::domain::{CaseNumber, LetterKind, Outgoing};
use crate::letters::{LetterError, Letters, dutch_date};
use crate::procedure::mail::{answer, record_sent};
use crate::rules::calendar::{Calendar, local_date};
use crate::rules::deadlines::{Deadline, Deadlines, deadlines};
use crate::rules::reminders::{
    Due, ReminderKey, Stage, digest_due, due_reminders, information_reminder_due,
};

/// What the scheduler needs from the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleSettings {
    /// Days before a deadline on which the owner is reminded (0: on the day).
    pub reminder_days: Vec<u32>,
    /// Days after the last request after which a complainant who still owes information
    /// is reminded, once.
    pub information_reminder_days: u32,
    /// The weekly digest: its weekday and hour (Amsterdam).
    pub digest_weekday: Weekday,
    pub digest_hour: u32,
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

impl AckStatus {
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

/// Something the scheduler did for a case once, and remembers so as not to do it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// A reminder, with the date its deadline had then: an extension (a new decision
    /// date) starts the decision's reminders afresh.
    Reminder {
        due_date: NaiveDate,
        key: ReminderKey,
    },
    /// The alert that the acknowledgement did not go out by its deadline.
    AckAlert,
    /// The gentle reminder to a complainant who still owes information.
    InformationReminder,
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

/// The reminder keys already sent for the deadlines as they are now.
pub fn sent_reminders(deadlines: &Deadlines, marks: &BTreeSet<Mark>) -> BTreeSet<String> {
    marks
        .iter()
        .filter_map(|m| match m {
            Mark::Reminder { due_date, key } if *due_date == deadlines.date(key.deadline) => {
                Some(key.to_string())
            }
            _ => None,
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
    marks: &BTreeSet<Mark>,
    now: DateTime<Utc>,
    settings: &ScheduleSettings,
    calendar: &Calendar,
) -> Plan {
    // A historical case (taken in by `klachtd history`) has only long-past deadlines.
    if !case.state.is_open() || case.historical {
        return Plan::default();
    }
    let dl = deadlines(case.received, calendar, case.extended_to);
    let open = open_deadlines(case, ack);
    let sent = sent_reminders(&dl, marks);
    let reminders = due_reminders(&dl, &open, now, &settings.reminder_days, calendar, &sent);
    let ack_alert =
        ack_alert_due(case, ack, &dl, now, marks.contains(&Mark::AckAlert)).then_some(ack);
    // Art. 3.2: one gentle reminder to a complainant who still owes information.
    let information_reminder = case.state == State::AwaitingInformation
        && information_reminder_due(
            information_asked_at(case),
            now,
            settings.information_reminder_days,
            marks.contains(&Mark::InformationReminder),
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
) -> Result<Outgoing, LetterError> {
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

/// What the schedule does to one case: the case with the mails in its log, the mails,
/// and the marks that remember them.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub case: Case,
    pub outgoing: Vec<Outgoing>,
    pub marks: Vec<Mark>,
}

impl Scheduled {
    /// The change to commit, each mark spelled as the store keeps it.
    pub fn into_change(self, spell: impl Fn(CaseNumber, &Mark) -> String) -> Change {
        let number = self.case.number;
        Change {
            marks: self.marks.iter().map(|m| spell(number, m)).collect(),
            case: Some(self.case),
            new_case: false,
            outgoing: self.outgoing,
        }
    }
}

/// What a tick does to one case, from its plan: the mails and their marks, and the case
/// with the mails in its log.
pub fn build_change(
    mut case: Case,
    plan: &Plan,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Scheduled, LetterError> {
    let mut outgoing = Vec::new();
    let mut marks = Vec::new();
    if !plan.reminders.is_empty() {
        let mail = reminder_letter(&case, &plan.reminders, letters, now)?;
        record_sent(&mut case, &mail, now);
        outgoing.push(mail);
        marks.extend(plan.reminders.iter().map(|d| Mark::Reminder {
            due_date: d.due_date,
            key: d.key,
        }));
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
        marks.push(Mark::AckAlert);
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
        marks.push(Mark::InformationReminder);
    }
    Ok(Scheduled {
        case,
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
        .filter(|c| c.state.is_open() && !c.historical)
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
    refused: usize,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Outgoing, LetterError> {
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
        context! { cases, count => rows.len(), today => dutch_date(today), refused },
        now,
    )
}

/// What the digest knows of the time since the last one: when that went out (`None`: no
/// slot was ever noted), and how many of the owner's commands by mail were refused
/// without a notice of their own (past the 5 notices a day) since.
#[derive(Debug, Clone, Copy, Default)]
pub struct DigestSince {
    pub last: Option<DateTime<Utc>>,
    pub refused: usize,
}

/// A digest slot that came: the letter, if there is one to send, and how many open
/// cases it lists.
#[derive(Debug, Clone)]
pub struct Digest {
    pub letter: Option<Outgoing>,
    pub open_cases: usize,
}

/// The weekly digest of the open `cases` at `now`, when a slot came since the `last`
/// one (`None`: no slot was ever noted). The very first slot of a new store is only
/// noted: the first digest goes out at the next slot, not at installation. With no open
/// case there is nothing to tell: the slot is noted all the same.
pub fn digest(
    cases: &[Case],
    ack: impl Fn(CaseNumber) -> AckStatus,
    since: DigestSince,
    now: DateTime<Utc>,
    settings: &ScheduleSettings,
    calendar: &Calendar,
    letters: &Letters,
) -> Result<Option<Digest>, LetterError> {
    let DigestSince { last, refused } = since;
    if !digest_due(now, settings.digest_weekday, settings.digest_hour, last) {
        return Ok(None);
    }
    let rows = digest_rows(cases, ack, calendar);
    let letter = if rows.is_empty() || last.is_none() {
        None
    } else {
        Some(digest_letter(&rows, refused, letters, now)?)
    };
    Ok(Some(Digest {
        letter,
        open_cases: rows.len(),
    }))
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
    fn a_reminder_counts_as_sent_for_the_deadline_date_it_was_sent_for() {
        let mut case = sample_case();
        case.received = utc("2026-11-02T10:00:00Z");
        let cal = Calendar::default();
        let dl = deadlines(case.received, &cal, None);
        let key: ReminderKey = "decide/before-7".parse().unwrap();
        let marks: BTreeSet<Mark> = [
            Mark::Reminder {
                due_date: dl.decide_by,
                key,
            },
            Mark::AckAlert,
        ]
        .into();
        assert_eq!(
            sent_reminders(&dl, &marks),
            ["decide/before-7".to_string()].into()
        );
        case.extended_to = Some(d(2026, 12, 14));
        let dl = deadlines(case.received, &cal, case.extended_to);
        assert!(sent_reminders(&dl, &marks).is_empty());
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

    #[test]
    fn a_historical_case_gets_no_reminders_and_no_digest_line() {
        let cal = Calendar::default();
        let settings = ScheduleSettings {
            reminder_days: vec![7, 2, 0],
            information_reminder_days: 7,
            digest_weekday: Weekday::Mon,
            digest_hour: 8,
        };
        let mut case = sample_case();
        case.state = State::Acknowledged;
        case.received = utc("2025-03-01T10:00:00Z");
        let now = utc("2026-12-01T10:00:00Z");
        let marks = BTreeSet::new();
        assert!(!plan(&case, AckStatus::Missing, &marks, now, &settings, &cal).is_empty());
        case.historical = true;
        assert!(plan(&case, AckStatus::Missing, &marks, now, &settings, &cal).is_empty());
        assert!(digest_rows(&[case], |_| AckStatus::Sent, &cal).is_empty());
    }
}
