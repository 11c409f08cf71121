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

#[test]
fn a_complete_case_decided_on_time() {
    let lab = Lab::new(received());
    let n = lab.complete_case(SANNE);
    assert_eq!(lab.case(n).state, State::Acknowledged);
    lab.first_tick(received());
    let mut log = lab.every_day("2026-11-02", "2026-11-09", "09:00");
    // The owner hears the complainant and sends the report.
    lab.act(
        local("2026-11-10", "10:00"),
        n,
        Action::Hearing {
            at: None,
            text: "Telefonisch gesproken.".into(),
        },
    )
    .unwrap();
    let report = lab
        .act(
            local("2026-11-11", "10:00"),
            n,
            Action::HearingReport {
                text: "U vertelde dat de trainer te laat kwam.".into(),
            },
        )
        .unwrap();
    assert_eq!(report.outgoing[0].kind, LetterKind::HearingReport);
    log.extend(lab.every_day("2026-11-10", "2026-11-23", "09:00"));
    // Decided on the day of the target, after that day's reminder.
    let decided = lab.act(local("2026-11-23", "14:00"), n, decide()).unwrap();
    lab.send_all();
    log.extend(lab.every_day("2026-11-24", "2026-12-10", "09:00"));
    assert_eq!(
        reminder_log(&log),
        owned(&[
            ("2026-11-16", &["target/before-7"]),
            ("2026-11-21", &["target/before-2"]),
            ("2026-11-23", &["target/on-day", "decide/before-7"]),
        ])
    );
    // One reminder mail per case per tick, to the owner, never an escalation.
    for (_, q) in &log {
        for m in q.of(LetterKind::OwnerReminder) {
            assert_eq!(m.recipients, [OWNER]);
            let s = subject_of(m);
            assert!(s.starts_with("HERINNERING [KL-2026-0001]"), "{s}");
            assert!(!s.contains("VERSTREKEN"), "{s}");
        }
        assert!(q.of(LetterKind::OwnerAcknowledgementAlert).is_empty());
    }
    let on_day = &log.iter().find(|(d, _)| d == "2026-11-23").unwrap().1;
    let text = body_of(on_day.of(LetterKind::OwnerReminder)[0]);
    assert!(
        text.contains("VANDAAG (23 november 2026)") && text.contains("klachtd case KL-2026-0001"),
        "{text}"
    );
    // The decision went to the complainant, in the thread of the complaint.
    let letter = &decided.outgoing[0];
    assert_eq!(letter.kind, LetterKind::Decision);
    assert_eq!(letter.recipients, [SANNE]);
    let raw = text_of(letter);
    assert!(
        header(&raw, "References")
            .unwrap()
            .contains(&format!("<{}>", lab.case(n).thread[0])),
        "{raw}"
    );
    assert!(
        header(&raw, "Auto-Submitted").is_none(),
        "the owner's own letter"
    );
    // Closed: the outcome confirmed (Afronding 2).
    let closed = lab
        .act(
            local("2026-11-25", "10:00"),
            n,
            Action::Close {
                text: "De klacht is gegrond en u volgt de training opnieuw.".into(),
            },
        )
        .unwrap();
    assert_eq!(closed.outgoing[0].kind, LetterKind::Closure);
    let case = lab.case(n);
    assert_eq!(case.state, State::Closed);
    assert_eq!(case.closed_at, Some(local("2026-11-25", "10:00")));
    assert_eq!(case.hearing_at, Some("2026-11-10".parse().unwrap()));
    // A closed case takes a note, nothing else.
    assert!(
        lab.act(local("2026-11-26", "10:00"), n, withdraw("x"))
            .is_err()
    );
    lab.act(
        local("2026-11-26", "10:00"),
        n,
        Action::Note {
            text: "Klager belde nog even.".into(),
        },
    )
    .unwrap();
}

#[test]
fn an_incomplete_case_gets_one_information_reminder_unless_completed() {
    let lab = Lab::new(received());
    // Two incomplete complaints: Pieter never answers, Sanne completes hers.
    let pieter = insert_case(
        lab.parts(),
        received(),
        "pieter@example.com",
        &[Field::Phone],
        5,
    );
    let sanne = insert_case(
        lab.parts(),
        received(),
        SANNE,
        &[Field::Phone, Field::Address],
        5,
    );
    assert_eq!(lab.case(pieter).state, State::AwaitingInformation);
    lab.first_tick(received());
    // Sanne answers on Thursday with what was missing: acknowledged, same deadlines.
    let answer = fields("2026-10-28".parse().unwrap(), &[]);
    insert_follow_up(
        lab.parts(),
        sanne,
        local("2026-11-05", "20:00"),
        SANNE,
        answer,
    );
    let case = lab.case(sanne);
    assert_eq!(case.state, State::Acknowledged);
    assert!(case.missing.is_empty());
    assert_eq!(
        control::CaseView::new(&case, lab.reg().calendar())
            .decide_by
            .to_string(),
        "2026-11-30",
        "the deadlines count from the original receipt"
    );
    lab.send_all();
    // Seven days (of 24 hours) after the request: Pieter is reminded, once.
    assert!(
        lab.tick(local("2026-11-09", "10:59"))
            .of(LetterKind::InformationReminder)
            .is_empty()
    );
    let q = lab.tick(local("2026-11-09", "11:00"));
    let reminders = q.of(LetterKind::InformationReminder);
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].recipients, ["pieter@example.com"]);
    assert_eq!(reminders[0].case, Some(pieter));
    let text = body_of(reminders[0]);
    assert!(text.contains("uw telefoonnummer"), "{text}");
    let log = lab.every_day("2026-11-10", "2026-12-01", "11:00");
    assert!(
        log.iter()
            .all(|(_, q)| q.of(LetterKind::InformationReminder).is_empty()),
        "once"
    );
}

#[test]
fn an_extension_moves_the_decision_reminders_and_is_refused_after_the_deadline() {
    let lab = Lab::new(received());
    let n = lab.complete_case(SANNE);
    let late = lab.complete_case("pieter@example.com");
    lab.first_tick(received());
    let log = lab.every_day("2026-11-02", "2026-11-19", "09:00");
    // Before the target: extended to Mon 14 Dec.
    let change = lab
        .act(
            local("2026-11-20", "10:00"),
            n,
            Action::Extend {
                until: "2026-12-14".parse().unwrap(),
                text: "Wij willen eerst de trainer spreken.".into(),
                force: false,
            },
        )
        .unwrap();
    let letter = &change.outgoing[0];
    assert_eq!(letter.kind, LetterKind::Extension);
    let text = body_of(letter);
    assert!(
        text.contains("uiterlijk op 14 december 2026") && text.contains("30 november 2026"),
        "{text}"
    );
    assert_eq!(lab.case(n).extended_to, Some("2026-12-14".parse().unwrap()));
    let mut all = log;
    all.extend(lab.every_day("2026-11-20", "2026-12-16", "09:00"));
    let mine: Vec<(String, Vec<String>)> = all
        .iter()
        .filter_map(|(d, q)| {
            let keys: Vec<String> = q
                .marks
                .iter()
                .filter(|m| m.starts_with(&format!("{n}/reminder/")))
                .cloned()
                .collect();
            (!keys.is_empty()).then(|| (d.clone(), keys))
        })
        .collect();
    let p = |s: &str| format!("{n}/reminder/{s}");
    assert_eq!(
        mine,
        vec![
            ("2026-11-16".into(), vec![p("2026-11-23/target/before-7")]),
            // Extended: no more target reminders; the decision's count the new date.
            ("2026-12-07".into(), vec![p("2026-12-14/decide/before-7")]),
            ("2026-12-12".into(), vec![p("2026-12-14/decide/before-2")]),
            ("2026-12-14".into(), vec![p("2026-12-14/decide/on-day")]),
            (
                "2026-12-15".into(),
                vec![p("2026-12-14/decide/overdue-2026-12-15")]
            ),
            (
                "2026-12-16".into(),
                vec![p("2026-12-14/decide/overdue-2026-12-16")]
            ),
        ]
    );
    // The other case: on Tue 1 Dec its deadline (30 Nov) has passed.
    let extend = |force| Action::Extend {
        until: "2026-12-21".parse().unwrap(),
        text: String::new(),
        force,
    };
    let err = lab
        .act(local("2026-12-01", "10:00"), late, extend(false))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("2026-11-30") && err.contains("has passed") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(lab.case(late).extended_to, None, "nothing changed");
    let forced = lab
        .act(local("2026-12-01", "10:00"), late, extend(true))
        .unwrap();
    assert_eq!(forced.outgoing[0].kind, LetterKind::Extension);
    assert_eq!(
        lab.case(late).extended_to,
        Some("2026-12-21".parse().unwrap())
    );
}

#[test]
fn a_withdrawal_confirms_the_reasons_and_stops_the_reminders() {
    let lab = Lab::new(received());
    let n = lab.complete_case(SANNE);
    lab.first_tick(received());
    let change = lab
        .act(
            local("2026-11-12", "10:00"),
            n,
            withdraw("U liet ons telefonisch weten dat u de klacht intrekt."),
        )
        .unwrap();
    let letter = &change.outgoing[0];
    assert_eq!(letter.kind, LetterKind::Withdrawal);
    assert_eq!(letter.recipients, [SANNE]);
    let text = body_of(letter);
    assert!(
        text.contains("U liet ons telefonisch weten dat u de klacht intrekt."),
        "{text}"
    );
    assert_eq!(lab.case(n).state, State::Withdrawn);
    let log = lab.every_day("2026-11-12", "2026-12-31", "09:00");
    assert!(reminder_log(&log).is_empty(), "{:?}", reminder_log(&log));
    for (_, q) in &log {
        assert!(q.of(LetterKind::OwnerDigest).is_empty(), "nothing open");
    }
}

#[test]
fn an_overdue_decision_escalates_every_working_day_until_decided() {
    // Received Thu 5 Nov 2026: target Thu 26 Nov, decide by Thu 3 Dec.
    let at = local("2026-11-05", "11:00");
    let lab = Lab::new(at);
    let n = insert_case(lab.parts(), at, SANNE, &[], 5);
    lab.first_tick(at);
    let mut log = lab.every_day("2026-11-26", "2026-12-08", "09:00");
    lab.act(local("2026-12-08", "14:00"), n, decide()).unwrap();
    log.extend(lab.every_day("2026-12-09", "2026-12-18", "09:00"));
    let decide: Vec<(String, Vec<String>)> = reminder_log(&log)
        .into_iter()
        .filter_map(|(d, keys)| {
            let keys: Vec<String> = keys
                .into_iter()
                .filter(|k| k.starts_with("decide"))
                .collect();
            (!keys.is_empty()).then_some((d, keys))
        })
        .collect();
    assert_eq!(
        decide,
        owned(&[
            ("2026-11-26", &["decide/before-7"]),
            ("2026-12-01", &["decide/before-2"]),
            ("2026-12-03", &["decide/on-day"]),
            ("2026-12-04", &["decide/overdue-2026-12-04"]),
            // 5 and 6 December: the weekend.
            ("2026-12-07", &["decide/overdue-2026-12-07"]),
            ("2026-12-08", &["decide/overdue-2026-12-08"]),
            // Decided on the 8th at 14:00: silence.
        ])
    );
    for (day, q) in &log {
        for m in q.of(LetterKind::OwnerReminder) {
            let s = subject_of(m);
            let overdue = q.reminders().iter().any(|k| k.contains("overdue"));
            assert_eq!(
                s.starts_with("TERMIJN VERSTREKEN [KL-2026-0001]"),
                overdue,
                "{day}: {s}"
            );
            if day == "2026-12-07" {
                let text = body_of(m);
                assert!(
                    text.contains("VERSTREKEN op 3 december 2026") && text.contains("elke werkdag"),
                    "{text}"
                );
            }
        }
    }
}

#[test]
fn a_restart_neither_skips_nor_repeats_a_reminder() {
    let mut lab = Lab::new(received());
    let n = lab.complete_case(SANNE);
    lab.first_tick(received());
    let mut log = lab.every_day("2026-11-02", "2026-11-16", "09:00");
    // A restart at the same instant: a new registry on the same store.
    lab.restart();
    let again = lab.tick(local("2026-11-16", "09:00"));
    assert!(
        again.mails.is_empty() && again.marks.is_empty(),
        "{:?}",
        again
    );
    let again = lab.tick(local("2026-11-16", "17:00"));
    assert!(again.mails.is_empty(), "{:?}", again.kinds());
    log.extend(lab.every_day("2026-11-17", "2026-11-21", "09:00"));
    lab.restart();
    log.extend(lab.every_day("2026-11-21", "2026-11-23", "09:00"));
    assert_eq!(
        reminder_log(&log),
        owned(&[
            ("2026-11-16", &["target/before-7"]),
            ("2026-11-21", &["target/before-2"]),
            ("2026-11-23", &["target/on-day", "decide/before-7"]),
        ])
    );
    assert_eq!(lab.case(n).state, State::Acknowledged);
}

#[test]
fn a_daemon_down_for_days_sends_what_is_owed_at_once() {
    let mut lab = Lab::new(received());
    let _n = lab.complete_case(SANNE);
    lab.close();
    lab.office.run_once(); // sends the acknowledgement; notes the digest slot
    let owner_before = lab.office.letters_to(OWNER).len();
    assert_eq!(lab.office.letters_to(SANNE).len(), 1);
    // Down from Mon 2 Nov until Wed 25 Nov: the target (23 Nov) has passed, the decision
    // (30 Nov) is 5 days away, Monday's digest was missed.
    lab.office.clock.set(local("2026-11-25", "12:00"));
    lab.office.run_once();
    let owner: Vec<String> = lab.office.letters_to(OWNER)[owner_before..].to_vec();
    let subjects: Vec<String> = owner.iter().map(|t| subject(t)).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    let reminder = owner
        .iter()
        .find(|t| subject(t).starts_with("TERMIJN VERSTREKEN"))
        .expect("an escalation");
    let text = body(reminder);
    assert!(
        text.contains("interne streefdatum (3 weken): VERSTREKEN op 23 november 2026"),
        "{text}"
    );
    assert!(
        text.contains("beslissing (4 weken): uiterlijk 30 november 2026 (nog 5 dagen)"),
        "{text}"
    );
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Overzicht openstaande klachten")),
        "{subjects:?}"
    );
    // Back the next minute: nothing more.
    lab.office.clock.set(local("2026-11-25", "12:01"));
    lab.office.run_once();
    assert_eq!(lab.office.letters_to(OWNER).len(), owner_before + 2);
    lab.restart();
}

#[test]
fn the_weekly_digest_on_monday_at_eight_soonest_first() {
    // Sun 8 Nov 2026: three open cases and a closed one.
    let lab = Lab::new(local("2026-11-08", "12:00"));
    let later = insert_case(lab.parts(), local("2026-11-06", "10:00"), SANNE, &[], 3);
    let sooner = insert_case(lab.parts(), local("2026-10-26", "10:00"), SANNE, &[], 3);
    let incomplete = insert_case(
        lab.parts(),
        local("2026-11-04", "10:00"),
        "pieter@example.com",
        &[Field::Phone],
        3,
    );
    let closed = insert_case(lab.parts(), local("2026-10-20", "10:00"), SANNE, &[], 3);
    lab.act(
        local("2026-11-08", "12:00"),
        closed,
        withdraw("Ingetrokken."),
    )
    .unwrap();
    lab.send_all();
    assert!(
        lab.tick(local("2026-11-08", "12:00"))
            .of(LetterKind::OwnerDigest)
            .is_empty()
    );
    assert!(
        lab.tick(local("2026-11-09", "07:59"))
            .of(LetterKind::OwnerDigest)
            .is_empty()
    );
    let q = lab.tick(local("2026-11-09", "08:00"));
    let digests = q.of(LetterKind::OwnerDigest);
    assert_eq!(digests.len(), 1);
    assert_eq!(digests[0].recipients, [OWNER]);
    let text = body_of(digests[0]);
    let pos = |n: CaseNumber| text.find(&n.to_string());
    assert!(pos(closed).is_none(), "{text}");
    // Target dates: sooner 16 Nov, incomplete 25 Nov, later 27 Nov.
    assert!(
        pos(sooner) < pos(incomplete) && pos(incomplete) < pos(later),
        "{text}"
    );
    assert!(text.contains("Er staan 3 klachten open"), "{text}");
    assert!(
        text.contains("interne streefdatum (3 weken): 16 november 2026"),
        "{text}"
    );
    assert!(
        lab.tick(local("2026-11-09", "08:30"))
            .of(LetterKind::OwnerDigest)
            .is_empty()
    );
    assert!(
        lab.tick(local("2026-11-15", "23:59"))
            .of(LetterKind::OwnerDigest)
            .is_empty()
    );
    assert_eq!(
        lab.tick(local("2026-11-16", "08:00"))
            .of(LetterKind::OwnerDigest)
            .len(),
        1
    );
}

#[test]
fn an_acknowledgement_still_unsent_on_day_five_alerts_the_owner_once() {
    let lab = Lab::new(received());
    let n = lab.complete_case(SANNE);
    lab.tick(received());
    // The mail server is down: the acknowledgement stays queued.
    let log = lab.every_day("2026-11-02", "2026-11-08", "09:00");
    assert!(
        log.iter()
            .all(|(_, q)| q.of(LetterKind::OwnerAcknowledgementAlert).is_empty())
    );
    let q = lab.tick(local("2026-11-09", "09:00"));
    let alerts = q.of(LetterKind::OwnerAcknowledgementAlert);
    assert_eq!(alerts.len(), 1, "{:?}", q.kinds());
    let text = body_of(alerts[0]);
    assert!(
        text.contains("9 november 2026") && text.contains("nog klaar om te verzenden"),
        "{text}"
    );
    assert!(subject_of(alerts[0]).contains("LET OP [KL-2026-0001]"));
    assert!(
        lab.tick(local("2026-11-10", "09:00"))
            .of(LetterKind::OwnerAcknowledgementAlert)
            .is_empty()
    );
    // A failed acknowledgement: the deadline is open again, and escalates.
    let store = &lab.parts().store;
    for mut q in store.outbox().unwrap() {
        if q.mail.kind == LetterKind::Acknowledgement {
            q.status = OutboxStatus::Failed;
            store.record_attempt(&q, None, q.queued).unwrap();
        }
    }
    let q = lab.tick(local("2026-11-11", "09:00"));
    assert_eq!(q.reminders(), ["acknowledge/overdue-2026-11-11"]);
    assert_eq!(lab.case(n).state, State::Acknowledged);
}

#[test]
fn a_follow_up_to_a_closed_case_reaches_the_owner_and_does_not_reopen_it() {
    let lab = Lab::new(received());
    let n = lab.complete_case(SANNE);
    lab.act(
        local("2026-11-04", "10:00"),
        n,
        withdraw("U heeft geen behoefte meer aan behandeling."),
    )
    .unwrap();
    lab.send_all();
    let before = lab.case(n);
    insert_follow_up(
        lab.parts(),
        n,
        local("2026-11-20", "10:00"),
        SANNE,
        fields("2026-10-28".parse().unwrap(), &[]),
    );
    let after = lab.case(n);
    assert_eq!(after.state, State::Withdrawn, "not reopened");
    assert_eq!(after.closed_at, before.closed_at);
    assert_eq!(
        after.mails.len(),
        before.mails.len() + 1,
        "the mail is kept"
    );
    let queued: Vec<_> = lab
        .reg()
        .due_outgoing(local("2026-11-20", "10:00"), usize::MAX)
        .unwrap();
    assert_eq!(queued.len(), 1, "only the owner is told");
    assert_eq!(queued[0].mail.kind, LetterKind::OwnerFollowUp);
    assert_eq!(queued[0].mail.recipients, [OWNER]);
    let text = body(&String::from_utf8_lossy(&queued[0].mail.raw));
    assert!(
        text.contains("al afgesloten") && text.contains("niet heropend"),
        "{text}"
    );
}

#[test]
fn purge_dry_run_then_for_real() {
    let lab = Lab::new(received());
    let gone = lab.complete_case(SANNE);
    let kept = lab.complete_case("pieter@example.com");
    lab.act(local("2026-11-20", "10:00"), gone, withdraw("Ingetrokken."))
        .unwrap();
    lab.send_all();
    lab.tick(local("2026-11-20", "10:00"));
    let hash = lab.case(gone).mails[0].hash.clone();
    assert!(lab.parts().store.raw_mail(&hash).unwrap().is_some());
    // A day before the two years are over: nothing.
    lab.set(local("2028-11-19", "12:00"));
    let answer = purge(lab.reg(), true);
    assert_eq!(answer.cases.len(), 0);
    // Two years after: the dry run lists it and changes nothing.
    lab.set(local("2028-11-20", "12:00"));
    let answer = purge(lab.reg(), true);
    let listed = &answer.cases;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].number.to_string(), gone.to_string());
    assert_eq!(listed[0].erase_from.to_string(), "2028-11-20");
    assert!(lab.reg().case(gone).unwrap().is_some());
    let plan = lab.parts().store.erasure_plan(gone).unwrap().unwrap();
    assert!(plan.mails.contains(&hash));
    assert!(!plan.outbox.is_empty() && !plan.index_keys.is_empty());
    // For real.
    let answer = purge(lab.reg(), false);
    assert_eq!(answer.cases.len(), 1);
    let store = &lab.parts().store;
    assert!(store.case(gone).unwrap().is_none());
    assert!(store.raw_mail(&hash).unwrap().is_none(), "the raw mail");
    assert!(
        store
            .outbox()
            .unwrap()
            .iter()
            .all(|q| q.mail.case != Some(gone)),
        "its letters"
    );
    assert!(
        store.marks(&format!("{gone}/")).unwrap().is_empty(),
        "its marks"
    );
    assert!(
        store.known_mail(&hash, None).unwrap().is_none(),
        "its index entries"
    );
    assert_eq!(
        store.tombstone(gone).unwrap().map(|t| t.erased.to_string()),
        Some("2028-11-20".into())
    );
    let err = control::handle(lab.reg(), &Request::ShowCase { number: gone }).unwrap_err();
    assert!(matches!(err, ControlError::Erased { .. }), "{err}");
    assert!(err.to_string().contains("erased on 2028-11-20"), "{err}");
    // The open case stays, however old.
    assert!(store.case(kept).unwrap().is_some());
    // The daily job does the same: a case withdrawn now goes in two years.
    let n3 = insert_case(lab.parts(), local("2028-11-20", "12:00"), SANNE, &[], 5);
    lab.act(local("2028-11-21", "10:00"), n3, withdraw("Ingetrokken."))
        .unwrap();
    lab.tick(local("2030-11-20", "12:00"));
    assert!(lab.reg().case(n3).unwrap().is_some());
    lab.tick(local("2030-11-21", "00:30"));
    assert!(lab.reg().case(n3).unwrap().is_none());
}

#[test]
fn the_yearly_overview_counts_the_cases() {
    let lab = Lab::new(received());
    // On time: decided in 18 days.
    let a = lab.complete_case(SANNE);
    // Extended to 14 Dec and decided on 10 Dec: in time.
    let b = lab.complete_case("b@example.nl");
    // Late (incident 40 days before), declined.
    let c = insert_case(lab.parts(), received(), "c@example.nl", &[], 40);
    // Withdrawn.
    let d = lab.complete_case("d@example.nl");
    assert_eq!(lab.case(c).state, State::Late);
    lab.act(local("2026-11-20", "10:00"), a, decide()).unwrap();
    lab.act(
        local("2026-11-25", "10:00"),
        b,
        Action::Extend {
            until: "2026-12-14".parse().unwrap(),
            text: String::new(),
            force: false,
        },
    )
    .unwrap();
    lab.act(local("2026-12-10", "10:00"), b, decide()).unwrap();
    lab.act(
        local("2026-11-04", "10:00"),
        c,
        Action::DeclineLate {
            text: "De training was meer dan een half jaar geleden.".into(),
        },
    )
    .unwrap();
    lab.act(local("2026-11-06", "10:00"), d, withdraw("Ingetrokken."))
        .unwrap();
    let o = overview(lab.reg(), 2026);
    assert_eq!(o.total, 4);
    assert_eq!(o.per_service[0].label, "Training Effectief Communiceren");
    assert_eq!(o.per_service[0].count, 4);
    assert_eq!(o.per_category[0].key, "delivery");
    // Handling: 18 (a), 38 (b), 2 (c), 4 (d) days.
    assert_eq!(o.handled, 4);
    assert_eq!(o.median_days, Some(11.0));
    assert_eq!(o.longest_days, Some(38));
    assert_eq!(o.longest_case, Some(b));
    assert_eq!(o.acknowledgement.in_time, 4);
    assert_eq!(o.decision.in_time, 2);
    assert_eq!(o.decision.late, 0);
    assert_eq!(
        (o.late, o.late_declined, o.withdrawn, o.extended),
        (1, 1, 1, 1)
    );
    assert_eq!(o.open, 2, "the two decided cases are not closed yet");
    let html = klachtd::report::render_html(&o).unwrap();
    assert!(html.contains("<svg") && html.contains("Training Effectief Communiceren"));
    assert!(!html.contains("Sanne"), "no personal data");
    let empty = overview(lab.reg(), 2025);
    assert_eq!(empty.total, 0);
}

#[test]
fn every_template_renders_with_the_content_its_article_requires() {
    let office = Office::new("2026-11-02T10:00:00Z");
    let letters = Letters::new(&office.config.letter_settings().unwrap()).unwrap();
    let mut case = sample_case();
    case.extended_to = Some("2026-12-14".parse().unwrap());
    case.hearing_at = Some("2026-11-09".parse().unwrap());
    let now = case.received;
    let extra = |pairs: &[(&str, &str)]| {
        let mut ctx: std::collections::BTreeMap<String, minijinja::Value> =
            std::collections::BTreeMap::new();
        for (k, v) in pairs {
            ctx.insert(k.to_string(), minijinja::Value::from(*v));
        }
        minijinja::context! { ..minijinja::Value::from(ctx), ..sample_context() }
    };
    for kind in LetterKind::ALL {
        let ctx = match kind {
            LetterKind::HearingReport => extra(&[("text", "Het verslag van de eigenaar.")]),
            LetterKind::Extension => extra(&[
                ("until", "14 december 2026"),
                ("text", "Wij spreken eerst de trainer."),
            ]),
            LetterKind::Withdrawal => extra(&[("text", "U trok de klacht in op 5 november.")]),
            LetterKind::Closure => {
                extra(&[("text", "De klacht is gegrond; u volgt de training opnieuw.")])
            }
            LetterKind::LateDeclined => extra(&[("text", "De reden van de eigenaar.")]),
            _ => sample_context(),
        };
        let mail = letters
            .write(kind, Some(&case), ctx, now)
            .unwrap_or_else(|e| panic!("{}: {e}", kind.key()));
        let subject = subject_of(&mail);
        let text = body_of(&mail);
        assert!(
            subject.contains("[KL-2026-0001]"),
            "{}: {subject}",
            kind.key()
        );
        assert!(
            !text.contains("none"),
            "{}: an unset value printed\n{text}",
            kind.key()
        );
        let must: &[&str] = match kind {
            // Art. 4.1, 3.3, 3.4.
            LetterKind::Acknowledgement => {
                &["KL-2026-0001", "toestemming tot inzage", "vertrouwelijk"]
            }
            // Art. 4.3: the owner's report.
            LetterKind::HearingReport => &[
                "Het verslag van de eigenaar.",
                "artikel 4.3",
                "9 november 2026",
            ],
            // Art. 5.1: the new date, why.
            LetterKind::Extension => &[
                "14 december 2026",
                "Wij spreken eerst de trainer.",
                "artikel 5.1",
            ],
            // Art. 5.1 and 5.2.
            LetterKind::Decision => &[
                "Bevindingen",
                "Conclusies",
                "Reacties",
                "Afhandeling",
                "artikel 5.1",
                "Onafhankelijke Klachtencommissie",
                "Postbus 1, 3500 AA Utrecht",
                "info@commissie.example",
                "artikel 5.2",
            ],
            // Afronding 1: the reasons.
            LetterKind::Withdrawal => &["U trok de klacht in op 5 november.", "Afronding, lid 1"],
            // Afronding 2: the outcome.
            LetterKind::Closure => &[
                "De klacht is gegrond; u volgt de training opnieuw.",
                "Afronding, lid 2",
                "Onafhankelijke Klachtencommissie",
            ],
            LetterKind::LateAccepted => &[
                "artikel 3.1",
                "toch in behandeling",
                "toestemming tot inzage",
            ],
            LetterKind::LateDeclined => &["De reden van de eigenaar.", "artikel 3.1"],
            LetterKind::InformationReminder => &["uw telefoonnummer", "artikel 3.2"],
            LetterKind::OwnerReminder => &["beslissing (4 weken)", "3 december 2026"],
            LetterKind::OwnerAcknowledgementAlert => &["artikel 4.1", "nog niet verzonden"],
            LetterKind::OwnerDigest => &["KL-2026-0001", "ontvangst bevestigd"],
            _ => &[],
        };
        for needle in must {
            assert!(
                text.contains(needle),
                "{}: {needle:?} in\n{text}",
                kind.key()
            );
        }
        // Letters to the complainant are signed by the owner, for the company.
        if kind.to_complainant() {
            assert!(
                text.trim_end().ends_with("Fatima Ait Takassit\nnumun"),
                "{}: signed\n{text}",
                kind.key()
            );
            assert_eq!(mail.recipients, ["klager@example.test"]);
        } else {
            assert_eq!(mail.recipients, [OWNER]);
        }
    }
}

#[test]
fn the_owners_command_line_without_a_daemon() {
    // The binary reads the system clock: this test lives in the present.
    let now = klachtd::clock::Clock::system().now();
    let received = now - Duration::minutes(5);
    let today = klachtd::rules::calendar::local_date(now);
    let until = (klachtd::rules::calendar::local_date(received) + Duration::days(42)).to_string();
    let office = Office::new(&now.to_rfc3339());
    let n = {
        let parts = office.parts();
        insert_case(&parts, received, SANNE, &[], 5)
    };
    let klachtd = env!("CARGO_BIN_EXE_klachtd");
    let config = office.config_file();
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(klachtd)
            .args(args)
            .arg("--config")
            .arg(&config)
            .env("KLACHTD_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let number = n.to_string();
    let (ok, out, err) = run(&["case", &number, "hearing"], "Telefonisch.");
    assert!(ok, "{out}{err}");
    let (ok, out, err) = run(
        &["case", &number, "report"],
        "U vertelde dat de trainer te laat kwam.\n",
    );
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("No daemon is running") && out.contains("klachtd run"),
        "{out}"
    );
    // Refused, with the reason, and nothing changed.
    let (ok, _, err) = run(&["case", &number, "close"], "Afgerond.");
    assert!(!ok && err.contains("decide first"), "{err}");
    let (ok, out, err) = run(&["case", &number, "extend", "--until", &until], "");
    assert!(ok && out.contains(&until), "{out}{err}");
    // The next run sends the queued report and extension.
    office.clock.set(now + Duration::minutes(1));
    office.run_once();
    let subjects: Vec<String> = office
        .letters_to(SANNE)
        .iter()
        .map(|t| subject(t))
        .collect();
    assert!(
        subjects.iter().any(|s| s.contains("Verslag"))
            && subjects.iter().any(|s| s.contains("meer tijd")),
        "{subjects:?}"
    );
    let (ok, out, _) = run(&["cases", "show", &number, "--json"], "");
    assert!(ok);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["decide_by"], until.as_str());
    assert_eq!(json["extended_to"], until.as_str());
    assert!(json["acknowledge_by"].is_string() && json["target"].is_string());
    assert_eq!(json["hearing_at"], today.to_string());
    let year = chrono::Datelike::year(&klachtd::rules::calendar::local_date(received)).to_string();
    let (ok, out, err) = run(&["report", "--year", &year, "--format", "csv"], "");
    assert!(ok && out.contains("total,received,1"), "{out}{err}");
    let (ok, out, err) = run(&["purge", "--dry-run"], "");
    assert!(
        ok && out.contains("0 case(s) would be erased"),
        "{out}{err}"
    );
}

#[test]
fn the_running_daemon_ticks_at_start_and_sends_what_is_due() {
    let office = Office::with_extra(&received().to_rfc3339(), "[schedule]\ntick_seconds = 1\n");
    {
        let parts = office.parts();
        insert_case(&parts, received(), SANNE, &[], 5);
        office.tick(&parts, received());
    }
    // Started on the day of the target's "before 7" reminder.
    office.clock.set(local("2026-11-16", "09:00"));
    let cancel = tokio_util::sync::CancellationToken::new();
    let stop = cancel.clone();
    let is_reminder =
        |t: &String| header(t, "Subject").is_some_and(|s| s.starts_with("HERINNERING"));
    let reminder_sent = runtime().block_on(async {
        let daemon = office.daemon(false, cancel.clone());
        let watch = async {
            for _ in 0..100 {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let sent = office.letters_to(OWNER).iter().any(is_reminder);
                if sent {
                    stop.cancel();
                    return true;
                }
            }
            stop.cancel();
            false
        };
        let (result, sent) = tokio::join!(daemon, watch);
        result.unwrap();
        sent
    });
    assert!(reminder_sent, "{:?}", office.letters());
    let reminders = office
        .letters_to(OWNER)
        .iter()
        .filter(|t| is_reminder(t))
        .count();
    assert_eq!(reminders, 1);
}
