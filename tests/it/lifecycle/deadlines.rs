//! Deadlines and reminders: on time, late, extended, withdrawn, overdue, across restarts
//! and downtime; the weekly digest; the day-5 alert.

use super::*;

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
