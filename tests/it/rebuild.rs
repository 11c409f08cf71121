//! `klachtd rebuild`'s replay on the store (`rebuild::rebuild_from`): the folders of a
//! klachtd that ran (its processed mails, its set-aside mails, its letters as Sent keeps
//! them), replayed into a blank store. The mail server's side (reading the folders
//! whole, read-only) is in `e2e/rebuild.rs`.

use chrono::Duration;
use klachtd::cases::State;
use klachtd::domain::CaseNumber;
use klachtd::mailbox::{IncomingMail, MailId};
use klachtd::procedure::actions::Action;
use klachtd::rebuild::{Folders, Rebuilt, rebuild_from};
use klachtd::store::Disposition;

use crate::support::*;

const PIETER: &str = "Pieter Jansen <pieter@example.com>";

fn n(seq: u32) -> CaseNumber {
    CaseNumber { year: 2026, seq }
}

fn incoming(i: usize, raw: Vec<u8>, arrived: chrono::DateTime<chrono::Utc>) -> IncomingMail {
    IncomingMail {
        id: MailId::File(format!("m{i}")),
        raw,
        arrived,
    }
}

/// What klachtd's mail server holds after a few weeks, made by a klachtd on a store of
/// its own (`office`): its processed and set-aside mails, and its letters to the
/// complainants as Sent keeps them.
fn a_few_weeks(office: &Office) -> Folders {
    let (parts, registry) = office.open();
    let t0 = at("2026-11-16T09:00:00Z");
    let clock = &office.clock;
    let arrive = |raw: Vec<u8>, at: chrono::DateTime<chrono::Utc>| {
        clock.set(at + Duration::seconds(1));
        registry.register(&raw, at).expect("register");
    };
    // KL-2026-0001: complete; heard (no letter), reported on, extended.
    arrive(
        mail(
            SANNE,
            "Klacht training",
            "Mon, 16 Nov 2026 10:00:00 +0100",
            "c1@example.nl",
            COMPLETE,
        ),
        t0,
    );
    // Its acknowledgement bounces.
    let ack = registry
        .case(n(1))
        .unwrap()
        .unwrap()
        .thread
        .last()
        .cloned()
        .unwrap();
    let bounce = format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.nl>\r\nTo: klacht@numun.nl\r\n\
         Subject: Undelivered Mail Returned to Sender\r\nDate: Mon, 16 Nov 2026 10:30:00 +0100\r\n\
         Message-ID: <dsn1@mx.example.nl>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n\
         --R\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message: \
         mailbox full.\r\n\r\n--R\r\nContent-Type: message/delivery-status\r\n\r\n\
         Reporting-MTA: dns; mx.example.nl\r\n\r\nFinal-Recipient: rfc822; sanne@example.nl\r\n\
         Action: failed\r\nStatus: 5.2.2\r\n\r\n--R\r\nContent-Type: text/rfc822-headers\r\n\r\n\
         From: klacht@numun.nl\r\nSubject: [KL-2026-0001] Ontvangstbevestiging\r\n\
         Message-ID: <{ack}>\r\n\r\n--R--\r\n"
    );
    arrive(bounce.into_bytes(), t0 + Duration::minutes(30));
    // KL-2026-0002: incomplete, then completed by a reply to the request, then withdrawn.
    arrive(
        mail(
            PIETER,
            "klacht",
            "Mon, 16 Nov 2026 11:00:00 +0100",
            "p1@example.com",
            INCOMPLETE,
        ),
        t0 + Duration::hours(1),
    );
    let request = registry
        .case(n(2))
        .unwrap()
        .unwrap()
        .thread
        .last()
        .cloned()
        .unwrap();
    let reply = format!(
        "From: {PIETER}\r\nTo: klacht@numun.nl\r\nSubject: Re: uw klacht\r\n\
         Date: Tue, 17 Nov 2026 10:00:00 +0100\r\nMessage-ID: <p2@example.com>\r\n\
         In-Reply-To: <{request}>\r\nReferences: <p1@example.com> <{request}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n\
         Adres: Kerkstraat 3, 8011 AB Zwolle\r\nTelefoonnummer: 06-11223344\r\n\r\n\
         Met vriendelijke groet,\r\nPieter Jansen\r\n"
    );
    arrive(reply.into_bytes(), t0 + Duration::days(1));
    assert_eq!(
        registry.case(n(2)).unwrap().unwrap().state,
        State::Acknowledged
    );
    // A mail about a case that never was: set aside.
    arrive(
        mail(
            SANNE,
            "Re: [KL-2026-0099] vraag",
            "Tue, 17 Nov 2026 12:00:00 +0100",
            "s9@example.nl",
            "Hoe staat het?",
        ),
        t0 + Duration::days(1) + Duration::hours(2),
    );
    // An auto-reply: kept, never answered.
    let auto = "From: Bob <bob@example.org>\r\nTo: klacht@numun.nl\r\nSubject: Afwezig\r\n\
                Auto-Submitted: auto-replied\r\nMessage-ID: <auto1@example.org>\r\n\
                Date: Tue, 17 Nov 2026 13:00:00 +0100\r\n\r\nIk ben er niet.\r\n";
    arrive(
        auto.as_bytes().to_vec(),
        t0 + Duration::days(1) + Duration::hours(3),
    );
    // A complaint whose letters the Sent folder lost (removed by hand, say).
    arrive(
        mail(
            "Karin Smit <karin@example.nl>",
            "Klacht",
            "Wed, 18 Nov 2026 10:00:00 +0100",
            "k1@example.nl",
            COMPLETE,
        ),
        t0 + Duration::days(2),
    );
    let act = |number: u32, days: i64, action: Action| {
        clock.set(t0 + Duration::days(days));
        registry.act(n(number), &action).expect("act");
    };
    act(
        1,
        3,
        Action::Hearing {
            at: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()),
            text: "Telefonisch.".into(),
        },
    );
    act(
        1,
        4,
        Action::HearingReport {
            text: "U vertelde dat de trainer te laat kwam.".into(),
        },
    );
    act(
        1,
        5,
        Action::Extend {
            until: chrono::NaiveDate::from_ymd_opt(2027, 1, 29).unwrap(),
            text: "De trainer is op reis.".into(),
            force: false,
        },
    );
    act(
        2,
        6,
        Action::Withdraw {
            text: "Opgelost met een nieuwe datum.".into(),
        },
    );
    let store = &parts.store;
    let lost = store.case(n(3)).unwrap().unwrap();
    let mut sent: Vec<IncomingMail> = store
        .outbox()
        .unwrap()
        .into_iter()
        .filter(|q| q.mail.to_complainant && q.mail.case != Some(lost.number))
        .enumerate()
        .map(|(i, q)| {
            let mut raw = q.mail.raw.clone();
            if q.mail.kind == klachtd::domain::LetterKind::Withdrawal {
                // A server that gave the copy a Message-ID of its own.
                let text = String::from_utf8(raw).unwrap();
                raw = text
                    .replace(&q.mail.message_id, "rewritten.77@mail.example.net")
                    .into_bytes();
            }
            incoming(100 + i, raw, q.queued)
        })
        .collect();
    // A letter of ours whose complaint is not in the folders (moved away by hand).
    let orphan = "From: klacht@numun.nl\r\nTo: anna@example.nl\r\nSubject: [KL-2026-0007] Ontvangstbevestiging van uw klacht\r\n\
         Message-ID: <klachtd.KL-2026-0007.acknowledgement.1@numun.nl>\r\nDate: Thu, 19 Nov 2026 10:00:00 +0100\r\n\
         In-Reply-To: <a7@example.nl>\r\n\r\nBeste Anna,\r\n";
    sent.push(incoming(
        200,
        orphan.as_bytes().to_vec(),
        t0 + Duration::days(3),
    ));
    let mails = |d: Disposition| -> Vec<IncomingMail> {
        store
            .mail_records(d)
            .unwrap()
            .into_iter()
            .enumerate()
            .map(|(i, r)| incoming(i, store.raw_mail(&r.hash).unwrap().unwrap(), r.arrived))
            .collect()
    };
    let mut processed = mails(Disposition::NewCase);
    processed.extend(mails(Disposition::FollowUp));
    processed.extend(mails(Disposition::Automated));
    Folders {
        sent,
        processed,
        set_aside: mails(Disposition::SetAside),
    }
}

fn rebuilt(folders: Folders, now: &str) -> (Office, Rebuilt) {
    let office = Office::new(now);
    let parts = office.parts();
    let report = rebuild_from(&parts, &office.config, folders, at(now)).expect("rebuild");
    drop(parts);
    (office, report)
}

#[test]
fn the_replay_rebuilds_numbers_states_threads_and_what_did_not_fit() {
    let first = Office::new("2026-11-16T09:00:00Z");
    let folders = a_few_weeks(&first);
    let before = first.cases();
    let (office, report) = rebuilt(folders.clone(), "2026-12-02T09:00:00Z");
    let after = office.cases();
    let states: Vec<(String, State)> = after
        .iter()
        .map(|c| (c.number.to_string(), c.state))
        .collect();
    assert_eq!(
        states,
        [
            ("KL-2026-0001".to_string(), State::Extended),
            ("KL-2026-0002".to_string(), State::Withdrawn),
            // the complaint with no letter: after the highest number known (7)
            ("KL-2026-0008".to_string(), State::Acknowledged),
        ],
        "{}",
        report.text()
    );
    assert_eq!(report.complaints_without_letter, [n(8)]);
    assert_eq!(report.sequences.get(&2026), Some(&8));
    assert_eq!(report.letters_without_complaint.len(), 1);
    assert_eq!(report.letters_without_complaint[0].case, Some(n(7)));
    assert_eq!(
        report.letters_by_subject, 1,
        "the withdrawal, by its subject"
    );
    assert_eq!(
        (report.set_aside, report.automated, report.follow_ups),
        (1, 2, 1)
    );
    assert!(
        report.letters_not_replayed.is_empty(),
        "{:?}",
        report.letters_not_replayed
    );
    // KL-2026-0008's acknowledgement is written again but not sent: the report says so.
    let not_sent: Vec<_> = report
        .letters_not_in_sent
        .iter()
        .map(|l| (l.case, l.kind.as_str()))
        .collect();
    assert_eq!(not_sent, [(Some(n(8)), "acknowledgement")]);

    // Case 1: the same fields, deadlines and extension; the hearing's day is the report's.
    let (old, new) = (&before[0], &after[0]);
    assert_eq!(new.fields, old.fields);
    assert_eq!(new.received, old.received);
    assert_eq!(new.extended_to, old.extended_to);
    assert_eq!(new.report_at, old.report_at);
    assert_eq!(
        old.hearing_at,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
    );
    assert_eq!(
        new.hearing_at,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 20),
        "the report's day"
    );
    // The bounce is on case 1, and its acknowledgement counts as not sent, as before.
    let undelivered = |c: &klachtd::cases::Case| {
        c.events
            .iter()
            .filter(|e| matches!(e.kind, klachtd::cases::EventKind::Undelivered { .. }))
            .count()
    };
    assert_eq!((undelivered(old), undelivered(new)), (1, 1));
    {
        let parts = office.parts();
        let ack = new.thread[1].clone();
        assert!(ack.contains(".acknowledgement."), "{:?}", new.thread);
        let status = parts.store.queued(&ack).unwrap().unwrap().status;
        assert_eq!(status, klachtd::store::OutboxStatus::Failed);
    }
    // Case 2: the follow-up joined it and filled what was missing; the thread is the
    // letters' own (the rewritten Message-ID included), so replies thread onto it.
    let (old, new) = (&before[1], &after[1]);
    assert_eq!(new.fields, old.fields);
    assert!(new.missing.is_empty());
    assert_eq!(new.closed_at, old.closed_at);
    assert!(
        new.thread
            .contains(&"rewritten.77@mail.example.net".to_string()),
        "{:?}",
        new.thread
    );
    let kept: Vec<_> = old
        .thread
        .iter()
        .filter(|id| !id.contains(".withdrawal."))
        .collect();
    assert!(
        kept.iter().all(|id| new.thread.contains(id)),
        "{:?} / {:?}",
        old.thread,
        new.thread
    );

    // Nothing waits to be sent; a reply to any letter of Sent finds its case.
    let parts = office.parts();
    assert!(
        parts
            .store
            .due_outgoing(at("2030-01-01T00:00:00Z"), 50)
            .unwrap()
            .is_empty()
    );
    for m in &folders.sent {
        let text = String::from_utf8_lossy(&m.raw).into_owned();
        let id = header(&text, "Message-ID").unwrap();
        let id = id.trim_matches(['<', '>']).to_string();
        let found = parts
            .store
            .case_by_thread(std::slice::from_ref(&id))
            .unwrap();
        let expected = if id.contains("KL-2026-0007") {
            Some(n(7))
        } else {
            found
        };
        assert!(found.is_some() && found == expected, "{id}: {found:?}");
    }
    // The scheduler right after: no reminder whose time came before the rebuild (the
    // lost store had sent it), no letter to anyone.
    let tick = office.tick(&parts, at("2026-12-02T09:00:00Z"));
    assert!(report.reminders_marked_done >= 1, "{}", report.text());
    assert_eq!(
        (tick.reminders, tick.alerts, tick.information_reminders),
        (0, 0, 0),
        "{tick:?}"
    );
    drop(parts);

    // The next complaint gets the next number.
    let registry = office.registry();
    let next = registry
        .register(
            &mail(
                SANNE,
                "Nog een klacht",
                "Wed, 2 Dec 2026 10:00:00 +0100",
                "c2@example.nl",
                COMPLETE,
            ),
            at("2026-12-02T09:00:00Z"),
        )
        .unwrap();
    assert_eq!(next, klachtd::registry::Registered::NewCase(n(9)));
}

#[test]
fn a_store_that_holds_anything_is_not_rebuilt_over() {
    let first = Office::new("2026-11-16T09:00:00Z");
    let folders = a_few_weeks(&first);
    let parts = first.parts();
    let err = rebuild_from(
        &parts,
        &first.config,
        folders.clone(),
        at("2026-12-02T09:00:00Z"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("already holds") && err.contains("use import"),
        "{err}"
    );
    drop(parts);
    // Nor a store with only a mail set aside in it.
    let office = Office::new("2026-11-16T09:00:00Z");
    office
        .registry()
        .set_aside_unreadable(b"x", at("2026-11-16T09:00:00Z"), "test")
        .unwrap();
    let parts = office.parts();
    let err =
        rebuild_from(&parts, &office.config, folders, at("2026-12-02T09:00:00Z")).unwrap_err();
    assert!(err.to_string().contains("use import"), "{err}");
}

#[test]
fn rebuilding_twice_from_the_same_folders_gives_the_same_store() {
    let first = Office::new("2026-11-16T09:00:00Z");
    let folders = a_few_weeks(&first);
    let (a, ra) = rebuilt(folders.clone(), "2026-12-02T09:00:00Z");
    let (b, rb) = rebuilt(folders, "2026-12-02T09:00:00Z");
    assert_eq!(ra, rb);
    assert_eq!(a.cases(), b.cases());
}

#[test]
fn a_letter_dated_before_its_mail_arrived_still_answers_it() {
    let first = Office::new("2026-11-16T09:00:00Z");
    let mut folders = a_few_weeks(&first);
    // The mail server's clock half a minute ahead of klachtd's: the acknowledgement's
    // Date is before the complaint's arrival, and a copy of it sits in Sent twice.
    for m in folders.processed.iter_mut() {
        if String::from_utf8_lossy(&m.raw).contains("<c1@example.nl>") {
            m.arrived += Duration::seconds(30);
        }
    }
    let ack = folders
        .sent
        .iter()
        .find(|m| String::from_utf8_lossy(&m.raw).contains("KL-2026-0001.acknowledgement"))
        .cloned()
        .unwrap();
    folders.sent.push(ack);
    let (office, report) = rebuilt(folders, "2026-12-02T09:00:00Z");
    let case = office.case("KL-2026-0001");
    assert_eq!(case.state, State::Extended, "{}", report.text());
    let orphans: Vec<_> = report
        .letters_without_complaint
        .iter()
        .map(|l| l.case)
        .collect();
    assert_eq!(orphans, [Some(n(7))], "{}", report.text());
    let not_sent: Vec<_> = report.letters_not_in_sent.iter().map(|l| l.case).collect();
    assert_eq!(not_sent, [Some(n(8))], "{}", report.text());
    let acks = case
        .events
        .iter()
        .filter(|e| matches!(&e.kind, klachtd::cases::EventKind::Answered { letter, .. } if letter == "acknowledgement"))
        .count();
    assert_eq!(acks, 1, "one acknowledgement, not one per copy");
}

#[test]
fn rebuild_reads_an_imap_server_and_says_so_for_a_maildir() {
    let office = Office::new("2026-11-16T09:00:00Z");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_klachtd"))
        .args(["rebuild", "--config"])
        .arg(office.config_file())
        .env("KLACHTD_LOG", "warn")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("[mailbox] kind"), "{err}");
    assert!(
        err.contains(&office.config_file().display().to_string()),
        "{err}"
    );
    // Refused before anything was made: no store.
    assert!(!office.config.store.path.exists());
}
