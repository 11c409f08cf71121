//! The intake path end to end on Maildirs: cases, answers, idempotence, follow-ups,
//! automated mail, mail set aside.

use crate::support::*;
use klachtd::cases::State;

#[test]
fn a_complete_complaint_is_acknowledged_and_the_owner_notified() {
    let office = Office::new("2026-11-16T09:00:00Z");
    office.sanne_complains();

    let to_sanne = office.letters_to("sanne@example.nl");
    assert_eq!(to_sanne.len(), 1, "one answer to the complainant");
    let ack = &to_sanne[0];
    let subject = subject(ack);
    assert!(subject.contains("[KL-2026-0001]"), "{subject}");
    assert!(subject.contains("Ontvangstbevestiging"), "{subject}");
    assert_eq!(
        header(ack, "In-Reply-To").as_deref(),
        Some("<c1@example.nl>")
    );
    assert!(
        header(ack, "References")
            .unwrap()
            .contains("<c1@example.nl>")
    );
    assert_eq!(
        header(ack, "Auto-Submitted").as_deref(),
        Some("auto-replied")
    );
    let id = header(ack, "Message-ID").unwrap();
    assert!(
        id.starts_with("<klachtd.KL-2026-0001.") && id.ends_with("@numun.nl>"),
        "{id}"
    );
    let text = body(ack);
    assert!(text.contains("KL-2026-0001"));
    // The decision date: 4 weeks after receipt (16 Nov 2026 -> 14 Dec 2026).
    assert!(text.contains("14 december 2026"), "{text}");
    assert!(
        text.contains("toestemming tot inzage"),
        "art. 3.3 consent: {text}"
    );
    assert!(
        text.contains("vertrouwelijk"),
        "art. 3.4 confidentiality: {text}"
    );

    let to_owner = office.letters_to("eigenaar@numun.nl");
    assert_eq!(to_owner.len(), 1);
    let notice = body(&to_owner[0]);
    assert!(
        notice.contains("KL-2026-0001") && notice.contains("Sanne de Vries"),
        "{notice}"
    );

    let case = office.case("KL-2026-0001");
    assert_eq!(case.state, State::Acknowledged);
    assert!(case.missing.is_empty(), "{:?}", case.missing);
    // The inbox is empty, the mail is in cur/ with the Seen flag.
    assert!(files_in(&office.path("Maildir/new")).is_empty());
    let cur = files_in(&office.path("Maildir/cur"));
    assert_eq!(cur.len(), 1);
    assert!(cur[0].0.ends_with(":2,S"));
}

#[test]
fn the_same_mail_twice_makes_one_case_and_one_answer() {
    let office = Office::new("2026-11-16T09:00:00Z");
    let raw = mail(
        SANNE,
        "Klacht",
        "Mon, 16 Nov 2026 09:12:44 +0100",
        "twice@example.nl",
        COMPLETE,
    );
    office.deliver("a", &raw);
    office.run_once();
    // Delivered again (same bytes), and once more with other bytes but the same Message-ID.
    office.deliver("b", &raw);
    let mut resent = b"X-Resent: yes\r\n".to_vec();
    resent.extend_from_slice(&raw);
    office.deliver("c", &resent);
    office.run_once();
    office.run_once();

    assert_eq!(office.letters_to("sanne@example.nl").len(), 1);
    assert_eq!(office.letters_to("eigenaar@numun.nl").len(), 1);
    let cases = office.cases();
    assert_eq!(cases.len(), 1);
    assert!(
        files_in(&office.path("Maildir/new")).is_empty(),
        "duplicates leave the inbox too"
    );
}

#[test]
fn case_numbers_count_per_year() {
    let office = Office::new("2026-12-31T12:00:00Z");
    office.deliver(
        "a",
        &mail(
            SANNE,
            "Klacht 1",
            "Thu, 31 Dec 2026 12:00:00 +0100",
            "y1@example.nl",
            COMPLETE,
        ),
    );
    office.deliver(
        "b",
        &mail(
            SANNE,
            "Klacht 2",
            "Thu, 31 Dec 2026 12:01:00 +0100",
            "y2@example.nl",
            COMPLETE,
        ),
    );
    office.run_once();
    let numbers: Vec<String> = office
        .cases()
        .iter()
        .map(|c| c.number.to_string())
        .collect();
    assert_eq!(numbers.len(), 2);
    assert!(numbers.iter().all(|n| n.starts_with("KL-")), "{numbers:?}");
    let mut seqs: Vec<&str> = numbers.iter().map(|n| &n[8..]).collect();
    seqs.sort();
    assert_eq!(seqs, ["0001", "0002"]);
}

#[test]
fn an_incomplete_complaint_gets_a_request_and_a_follow_up_completes_it() {
    let office = Office::new("2026-11-17T20:00:00Z");
    office.deliver(
        "m1",
        &mail(
            "Pieter Jansen <pieter@example.com>",
            "klacht",
            "Tue, 17 Nov 2026 21:03:10 +0100",
            "p1@example.com",
            INCOMPLETE,
        ),
    );
    office.run_once();
    let to_pieter = office.letters_to("pieter@example.com");
    assert_eq!(to_pieter.len(), 1);
    let request = body(&to_pieter[0]);
    assert!(
        request.contains("uw adres") && request.contains("uw telefoonnummer"),
        "{request}"
    );
    assert!(!request.contains("uw naam"), "the name is known: {request}");
    assert!(
        request.contains("Adres (straat, huisnummer, postcode, plaats):"),
        "the form: {request}"
    );
    let case = office.case("KL-2026-0001");
    assert_eq!(case.state, State::AwaitingInformation);
    assert_eq!(
        case.missing.iter().map(|f| f.key()).collect::<Vec<_>>(),
        ["address", "phone"]
    );

    // The reply quotes the case number in its subject and fills in the form.
    office.clock.advance(chrono::Duration::days(1));
    let reply = format!(
        "From: Pieter Jansen <pieter@example.com>\r\nTo: klacht@numun.nl\r\nSubject: Re: [KL-2026-0001] Uw klacht is ontvangen\r\nDate: Wed, 18 Nov 2026 10:00:00 +0100\r\nMessage-ID: <p2@example.com>\r\nIn-Reply-To: <{}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAdres: Dorpsstraat 5, 1234 AB Ergens\r\nTelefoonnummer: 06-87654321\r\n",
        case.thread.last().unwrap()
    );
    office.deliver("m2", reply.as_bytes());
    office.run_once();

    let case = office.case("KL-2026-0001");
    assert!(case.missing.is_empty(), "{:?}", case.missing);
    assert_eq!(case.state, State::Acknowledged);
    assert_eq!(case.fields.phone.as_deref(), Some("06-87654321"));
    // Deadlines still count from the first receipt.
    assert_eq!(case.received, at("2026-11-17T20:00:00Z"));
    let to_pieter = office.letters_to("pieter@example.com");
    assert_eq!(to_pieter.len(), 2, "request, then acknowledgement");
    let ack = to_pieter
        .iter()
        .find(|t| subject(t).contains("Ontvangstbevestiging"))
        .expect("an acknowledgement");
    assert!(
        header(ack, "References")
            .unwrap()
            .contains("<p1@example.com>")
    );
    assert_eq!(
        header(ack, "In-Reply-To").as_deref(),
        Some("<p2@example.com>")
    );
    assert_eq!(office.cases().len(), 1, "no second case");
}

#[test]
fn a_late_complaint_is_registered_and_told_the_rule() {
    let office = Office::new("2026-11-18T09:00:00Z");
    let text = "Beste numun,\n\nOp 2 september 2026 had ik de training Effectief Communiceren. De trainer was\nonvoorbereid en afspraken werden niet nagekomen.\n\nMet vriendelijke groet,\nAhmed Bouzid\nLaan van Meerdervoort 120\n2517 AN Den Haag\nTel: 070 - 123 45 67\n";
    office.deliver(
        "m",
        &mail(
            "Ahmed Bouzid <ahmed@example.org>",
            "Klacht",
            "Wed, 18 Nov 2026 10:30:00 +0100",
            "late@example.org",
            text,
        ),
    );
    office.run_once();
    let to_ahmed = office.letters_to("ahmed@example.org");
    assert_eq!(to_ahmed.len(), 1);
    let letter = body(&to_ahmed[0]);
    assert!(letter.contains("binnen 1 maand"), "{letter}");
    let case = office.case("KL-2026-0001");
    assert_eq!(case.state, State::Late);
    let notice = office.letters_to("eigenaar@numun.nl");
    assert!(subject(&notice[0]).contains("te laat"));
}

#[test]
fn automated_mail_is_kept_and_never_answered() {
    let office = Office::new("2026-11-18T09:00:00Z");
    let ooo = "From: Marieke Bos <m.bos@example.nl>\r\nTo: klacht@numun.nl\r\nSubject: Automatisch antwoord: Uw klacht\r\nDate: Wed, 18 Nov 2026 11:00:00 +0100\r\nMessage-ID: <ooo@example.nl>\r\nAuto-Submitted: auto-replied\r\n\r\nIk ben afwezig.\r\n";
    office.deliver("ooo", ooo.as_bytes());
    office.run_once();
    assert!(office.letters().is_empty(), "{:?}", office.letters());
    assert!(office.cases().is_empty());
    let records = office
        .parts()
        .store
        .mail_records(klachtd::store::Disposition::Automated)
        .unwrap();
    assert_eq!(records.len(), 1);
    assert!(
        office
            .parts()
            .store
            .raw_mail(&records[0].hash)
            .unwrap()
            .is_some(),
        "kept as evidence"
    );
}

#[test]
fn a_file_that_is_not_a_mail_is_set_aside_and_the_owner_told() {
    let office = Office::new("2026-11-18T09:00:00Z");
    office.deliver("junk", b"");
    office.deliver("binary", &[0u8, 159, 146, 150, 255, 0, 1, 2]);
    office.run_once();
    assert!(files_in(&office.path("Maildir/new")).is_empty());
    let aside = files_in(&office.path("Maildir/.Apart gezet/cur"));
    assert_eq!(aside.len(), 2, "both in the set-aside folder");
    let alerts = office.letters_to("eigenaar@numun.nl");
    assert_eq!(alerts.len(), 2);
    assert!(body(&alerts[0]).contains("Reden:"));
    assert!(office.cases().is_empty());
}

#[test]
fn a_reference_to_an_unknown_case_is_set_aside() {
    let office = Office::new("2026-11-18T09:00:00Z");
    office.deliver(
        "m",
        &mail(
            SANNE,
            "Re: [KL-2026-0042] Uw klacht",
            "Wed, 18 Nov 2026 10:00:00 +0100",
            "ghost@example.nl",
            "Hier is mijn adres.\n",
        ),
    );
    office.run_once();
    assert_eq!(files_in(&office.path("Maildir/.Apart gezet/cur")).len(), 1);
    let alerts = office.letters_to("eigenaar@numun.nl");
    assert_eq!(alerts.len(), 1);
    assert!(body(&alerts[0]).contains("KL-2026-0042"));
    assert!(office.letters_to("sanne@example.nl").is_empty());
}

#[test]
fn store_files_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let office = Office::new("2026-11-18T09:00:00Z");
    office.deliver(
        "m",
        &mail(
            SANNE,
            "Klacht",
            "Wed, 18 Nov 2026 10:00:00 +0100",
            "perm@example.nl",
            COMPLETE,
        ),
    );
    office.run_once();
    let store = office.path("store");
    let mode = std::fs::metadata(&store).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    for entry in std::fs::read_dir(&store).unwrap().flatten() {
        let mode = entry.metadata().unwrap().permissions().mode() & 0o077;
        assert_eq!(mode, 0, "{} is open to others", entry.path().display());
    }
}
