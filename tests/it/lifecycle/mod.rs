//! Whole lifecycles with a fixed clock: the owner's actions, the scheduler's reminders,
//! escalations, alerts and digests, restarts, retention, the yearly overview, and the
//! letters' required content.
//!
//! Cases are registered the way the daemon registers them (the pure core and one store
//! transaction, see `support::insert_case`), not through the mail parser.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use klachtd::cases::State;
use klachtd::control::{self, ControlError, Request, Response};
use klachtd::domain::CaseNumber;
use klachtd::domain::{LetterKind, Outgoing};
use klachtd::letters::{Letters, sample_case, sample_context};
use klachtd::procedure::actions::Action;
use klachtd::registry::{Parts, Registry};
use klachtd::rules::Field;
use klachtd::store::OutboxStatus;

use crate::support::*;

const SANNE: &str = "sanne@example.nl";
const OWNER: &str = "eigenaar@numun.nl";

/// An office with a registry and the parts it shares with the scheduler, that can be
/// dropped and reopened (a restart), and helpers to tick the scheduler and see what it
/// queued.
struct Lab {
    office: Office,
    open: Option<(Parts, Registry)>,
}

/// What one tick queued.
#[derive(Debug, Default)]
struct Queued {
    mails: Vec<Outgoing>,
    marks: Vec<String>,
}

impl Queued {
    fn kinds(&self) -> Vec<LetterKind> {
        self.mails.iter().map(|m| m.kind).collect()
    }

    /// The reminder stages queued, as `deadline/stage`.
    fn reminders(&self) -> Vec<String> {
        self.marks
            .iter()
            .filter_map(|m| {
                let (_, rest) = m.split_once("/reminder/")?;
                Some(rest.split_once('/')?.1.to_string())
            })
            .collect()
    }

    fn of(&self, kind: LetterKind) -> Vec<&Outgoing> {
        self.mails.iter().filter(|m| m.kind == kind).collect()
    }
}

fn text_of(mail: &Outgoing) -> String {
    String::from_utf8_lossy(&mail.raw).into_owned()
}

fn subject_of(mail: &Outgoing) -> String {
    header(&text_of(mail), "Subject").unwrap_or_default()
}

fn body_of(mail: &Outgoing) -> String {
    body(&text_of(mail)).replace("\r\n", "\n")
}

impl Lab {
    fn new(now: DateTime<Utc>) -> Lab {
        let office = Office::new(&now.to_rfc3339());
        let open = Some(office.open());
        Lab { office, open }
    }

    fn reg(&self) -> &Registry {
        &self.open.as_ref().expect("open").1
    }

    /// The store, the letters and the calendar the registry and the scheduler share.
    fn parts(&self) -> &Parts {
        &self.open.as_ref().expect("open").0
    }

    /// Closes the store (as when the daemon stops).
    fn close(&mut self) {
        self.open = None;
    }

    /// A complete complaint by `reply`, received at [`received`], about an incident 5 days
    /// before.
    fn complete_case(&self, reply: &str) -> CaseNumber {
        insert_case(self.parts(), received(), reply, &[], 5)
    }

    /// A new Registry on the same store, as after a restart of the daemon.
    fn restart(&mut self) {
        self.close();
        self.open = Some(self.office.open());
    }

    fn set(&self, now: DateTime<Utc>) {
        self.office.clock.set(now);
    }

    fn case(&self, number: CaseNumber) -> klachtd::cases::Case {
        self.reg().case(number).unwrap().expect("the case")
    }

    /// One scheduler tick at `now`: what it queued.
    fn tick(&self, now: DateTime<Utc>) -> Queued {
        self.set(now);
        let store = &self.parts().store;
        let before: BTreeSet<String> = store
            .outbox()
            .unwrap()
            .into_iter()
            .map(|q| q.mail.message_id)
            .collect();
        let marks_before = store.marks("").unwrap();
        self.office.tick(self.parts(), now);
        let mails = store
            .outbox()
            .unwrap()
            .into_iter()
            .filter(|q| !before.contains(&q.mail.message_id))
            .map(|q| q.mail)
            .collect();
        let marks = store
            .marks("")
            .unwrap()
            .difference(&marks_before)
            .cloned()
            .collect();
        Queued { mails, marks }
    }

    /// Ticks every day at `time` (Amsterdam) from `from` to `to` (both included) and
    /// returns the days on which something was queued, with what.
    fn every_day(&self, from: &str, to: &str, time: &str) -> Vec<(String, Queued)> {
        let mut out = Vec::new();
        let mut day: chrono::NaiveDate = from.parse().unwrap();
        let to: chrono::NaiveDate = to.parse().unwrap();
        while day <= to {
            let q = self.tick(local(&day.to_string(), time));
            if !q.mails.is_empty() || !q.marks.is_empty() {
                out.push((day.to_string(), q));
            }
            day = day.succ_opt().unwrap();
        }
        out
    }

    /// Every letter so far counts as sent, then the scheduler's first tick on this store
    /// at `now` (it notes the digest's slot).
    fn first_tick(&self, now: DateTime<Utc>) {
        self.send_all();
        self.tick(now);
    }

    /// The sender: every pending mail counts as sent.
    fn send_all(&self) {
        let registry = self.reg();
        let now = self.office.clock.now();
        for mut q in registry
            .due_outgoing(now + Duration::days(3650), usize::MAX)
            .unwrap()
        {
            q.status = OutboxStatus::Sent;
            q.attempts += 1;
            registry.record_attempt(&q, now).unwrap();
        }
    }

    fn act(
        &self,
        now: DateTime<Utc>,
        number: CaseNumber,
        action: Action,
    ) -> Result<klachtd::cases::Change, klachtd::registry::ChangeError> {
        self.set(now);
        self.reg().act(number, &action)
    }
}

/// Only the reminder stages, day by day.
fn reminder_log(log: &[(String, Queued)]) -> Vec<(String, Vec<String>)> {
    log.iter()
        .filter(|(_, q)| !q.reminders().is_empty())
        .map(|(d, q)| (d.clone(), q.reminders()))
        .collect()
}

fn owned(v: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    v.iter()
        .map(|(d, r)| (d.to_string(), r.iter().map(|s| s.to_string()).collect()))
        .collect()
}

const DECISION: &str = "Bevindingen:
De trainer was drie kwartier te laat; het programma is half behandeld.
Conclusies:
De klacht is gegrond.
Reacties:
De trainer erkent de vertraging en biedt excuses aan.
Afhandeling:
U kunt de training kosteloos opnieuw volgen.
";

/// The owner decides, with [`DECISION`].
fn decide() -> Action {
    Action::Decide {
        text: DECISION.into(),
    }
}

/// The owner records a withdrawal, confirming it with `text`.
fn withdraw(text: &str) -> Action {
    Action::Withdraw { text: text.into() }
}

/// Received Mon 2 Nov 2026 11:00: acknowledge by Mon 9 Nov, target Mon 23 Nov, decide by
/// Mon 30 Nov.
fn received() -> DateTime<Utc> {
    local("2026-11-02", "11:00")
}

/// `klachtd purge [--dry-run]` as the control socket answers it.
fn purge(registry: &Registry, dry_run: bool) -> control::Purged {
    match control::handle(registry, &Request::Purge { dry_run }).unwrap() {
        Response::Purged(purged) => purged,
        other => panic!("not the answer to a purge: {other:?}"),
    }
}

/// `klachtd report --year Y` as the control socket answers it.
fn overview(registry: &Registry, year: i32) -> klachtd::report::Overview {
    match control::handle(registry, &Request::Overview { year }).unwrap() {
        Response::Overview(overview) => *overview,
        other => panic!("not the answer to an overview: {other:?}"),
    }
}

mod deadlines;
mod letters;
mod owner_cli;
mod records;
