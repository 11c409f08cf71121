//! What stays on record: a follow-up to a closed case, erasure after two years, the
//! yearly overview.

use super::*;

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

/// The Message-IDs of the letters to complainants so far, and of the copies in Sent.
fn letters_and_copies(office: &Office) -> (Vec<String>, Vec<String>) {
    let message_ids = |texts: Vec<String>| {
        let mut ids: Vec<String> = texts
            .iter()
            .filter_map(|t| header(t, "Message-ID"))
            .collect();
        ids.sort();
        ids
    };
    let to_complainants = message_ids(
        office
            .letters()
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| header(t, "To").is_some_and(|to| to.contains("@example.nl")))
            .collect(),
    );
    let sent = office.path("Maildir/.Sent");
    let copies = message_ids(
        files_in(&sent.join("cur"))
            .into_iter()
            .chain(files_in(&sent.join("new")))
            .map(|(_, t)| t)
            .collect(),
    );
    (to_complainants, copies)
}

#[test]
fn every_letter_to_a_complainant_is_kept_in_sent_once() {
    // Four complaints at once: one send pass, each copy filed while the next letter goes
    // out.
    let office = Office::new("2026-11-16T10:00:00Z");
    for n in 0..4 {
        office.deliver(
            &format!("m{n}"),
            &mail(
                &format!("Klant {n} <klant{n}@example.nl>"),
                "Klacht training",
                "Mon, 16 Nov 2026 09:12:44 +0100",
                &format!("c{n}@example.nl"),
                COMPLETE,
            ),
        );
    }
    office.run_once();
    let (letters, copies) = letters_and_copies(&office);
    assert_eq!(letters.len(), 4, "an acknowledgement each");
    assert_eq!(copies, letters);
    // A pass whose only (so: last) letter is to a complainant files its copy too.
    let number = CaseNumber { year: 2026, seq: 2 };
    let inform = Action::Inform {
        text: "De presentielijst van de training.".into(),
        enclosures: Vec::new(),
    };
    office.registry().act(number, &inform).expect("inform");
    office.run_once();
    let (letters, copies) = letters_and_copies(&office);
    assert_eq!(letters.len(), 5, "and the information");
    assert_eq!(copies, letters);
}
