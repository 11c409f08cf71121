//! Follow-ups belong to their complainant: a mail that names a case (its number in the
//! subject, or the thread of our letters) changes the case only when it comes from the
//! complainant. From anyone else it is kept on the case, changes nothing, sends nothing
//! to anyone but the owner, who is told who wrote.

use crate::support::*;
use klachtd::cases::{Direction, EventKind, State};

const PIETER: &str = "Pieter Jansen <pieter@example.com>";

/// An incomplete complaint by Pieter (address and phone missing): case KL-2026-0001,
/// awaiting information, one request sent. Returns the office a day later.
fn pieter_asked_for_details() -> Office {
    let office = Office::new("2026-11-17T20:00:00Z");
    office.deliver(
        "m1",
        &mail(
            PIETER,
            "klacht",
            "Tue, 17 Nov 2026 21:03:10 +0100",
            "p1@example.com",
            INCOMPLETE,
        ),
    );
    office.run_once();
    assert_eq!(
        office.case("KL-2026-0001").state,
        State::AwaitingInformation
    );
    assert_eq!(office.letters_to("pieter@example.com").len(), 1);
    office.clock.advance(chrono::Duration::days(1));
    office
}

/// A follow-up filling in the missing address and phone, from `from`.
fn details_from(from: &str, subject: &str, message_id: &str, in_reply_to: Option<&str>) -> Vec<u8> {
    let thread = in_reply_to
        .map(|id| format!("In-Reply-To: <{id}>\r\nReferences: <{id}>\r\n"))
        .unwrap_or_default();
    format!(
        "From: {from}\r\nTo: klacht@numun.nl\r\nSubject: {subject}\r\nDate: Wed, 18 Nov 2026 10:00:00 +0100\r\nMessage-ID: <{message_id}>\r\n{thread}Content-Type: text/plain; charset=utf-8\r\n\r\nAdres: Kerkstraat 3, 8011 AB Zwolle\r\nTelefoonnummer: 06-11223344\r\n\r\nMet vriendelijke groet,\r\nKarin Smit\r\n"
    )
    .into_bytes()
}

/// The owner's notices, newest last.
fn owner_notices(office: &Office) -> Vec<String> {
    office.letters_to("eigenaar@numun.nl")
}

fn assert_changed_nothing(office: &Office, sender: &str, notices_before: usize) {
    let case = office.case("KL-2026-0001");
    assert_eq!(case.state, State::AwaitingInformation, "state unchanged");
    assert_eq!(case.fields.phone, None, "no field taken from a stranger");
    assert_eq!(case.fields.address, None, "no field taken from a stranger");
    assert_eq!(
        case.missing.iter().map(|f| f.key()).collect::<Vec<_>>(),
        ["address", "phone"]
    );
    assert!(
        case.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::ThirdParty { .. })
                && e.detail.as_deref() == Some(sender)),
        "kept on the case as a third party's mail: {:?}",
        case.events
    );
    let incoming = case
        .mails
        .iter()
        .filter(|m| m.direction == Direction::In)
        .count();
    assert_eq!(incoming, 2, "the mail is attached to the case");
    assert_eq!(
        office.letters_to("pieter@example.com").len(),
        1,
        "nothing more to the complainant"
    );
    assert!(
        office.letters_to(sender).is_empty(),
        "nothing to the sender either"
    );
    let notices = owner_notices(office);
    assert_eq!(notices.len(), notices_before + 1, "the owner is told once");
    let told = notices
        .iter()
        .find(|n| subject(n).contains("ander dan de klager"))
        .expect("a notice about the third party");
    assert!(body(told).contains(sender), "who wrote: {}", body(told));
    assert!(subject(told).contains("[KL-2026-0001]"));
}

#[test]
fn a_stranger_quoting_the_case_number_changes_nothing() {
    let office = pieter_asked_for_details();
    let before = owner_notices(&office).len();
    office.deliver(
        "stranger",
        &details_from(
            "Karin Smit <karin@elders.example>",
            "Re: [KL-2026-0001] aanvulling",
            "k1@elders.example",
            None,
        ),
    );
    office.run_once();
    assert_changed_nothing(&office, "karin@elders.example", before);
}

#[test]
fn a_colleague_replying_in_the_thread_of_our_letter_changes_nothing() {
    let office = pieter_asked_for_details();
    let before = owner_notices(&office).len();
    let our_request = office.case("KL-2026-0001").thread.last().unwrap().clone();
    // Same domain as the complainant, in the thread of our letter, no number quoted.
    office.deliver(
        "colleague",
        &details_from(
            "Karin Smit <karin@example.com>",
            "Re: Uw klacht",
            "k2@example.com",
            Some(&our_request),
        ),
    );
    office.run_once();
    assert_changed_nothing(&office, "karin@example.com", before);
}

#[test]
fn a_reply_to_header_does_not_make_a_stranger_the_complainant() {
    let office = pieter_asked_for_details();
    let before = owner_notices(&office).len();
    let mut raw = details_from(
        "Karin Smit <karin@elders.example>",
        "Re: [KL-2026-0001] aanvulling",
        "k3@elders.example",
        None,
    );
    // Reply-To names the complainant: a claim about where answers go, not who wrote.
    let text = String::from_utf8(raw.clone()).unwrap().replacen(
        "To: klacht@numun.nl\r\n",
        "To: klacht@numun.nl\r\nReply-To: pieter@example.com\r\n",
        1,
    );
    raw = text.into_bytes();
    office.deliver("reply-to", &raw);
    office.run_once();
    assert_changed_nothing(&office, "karin@elders.example", before);
}

#[test]
fn the_complainant_completes_the_case_from_his_own_address_in_any_case() {
    let office = pieter_asked_for_details();
    office.deliver(
        "genuine",
        &details_from(
            "Pieter Jansen <Pieter@Example.COM>",
            "Re: [KL-2026-0001] aanvulling",
            "p2@example.com",
            None,
        ),
    );
    office.run_once();
    let case = office.case("KL-2026-0001");
    assert!(case.missing.is_empty(), "{:?}", case.missing);
    assert_eq!(case.state, State::Acknowledged);
    assert_eq!(case.fields.phone.as_deref(), Some("06-11223344"));
    assert!(
        !case
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::ThirdParty { .. }))
    );
    let to_pieter = office.letters_to("pieter@example.com");
    assert_eq!(to_pieter.len(), 2, "request, then acknowledgement");
}

#[test]
fn the_original_sender_of_a_forwarded_complaint_is_its_complainant() {
    let office = Office::new("2026-11-17T20:00:00Z");
    let forwarded = "From: Jan Collega <jan@numun.nl>\r\nTo: klacht@numun.nl\r\nSubject: Fwd: klacht\r\nDate: Tue, 17 Nov 2026 21:03:10 +0100\r\nMessage-ID: <f1@numun.nl>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nZie hieronder.\r\n\r\n---------- Forwarded message ---------\r\nFrom: Pieter Jansen <pieter@example.com>\r\nDate: Tue, 17 Nov 2026 at 20:00\r\nSubject: klacht\r\nTo: <info@numun.nl>\r\n\r\nHallo,\r\n\r\nIk ben niet tevreden over de training Effectief Communiceren van 10 november 2026.\r\nHet materiaal was verouderd en veel oefeningen werkten niet.\r\n\r\nGroet,\r\nPieter Jansen\r\n";
    office.deliver("fwd", forwarded.as_bytes());
    office.run_once();
    let case = office.case("KL-2026-0001");
    assert_eq!(case.reply_address, "pieter@example.com");
    assert!(case.is_complainant("pieter@example.com"));
    assert!(
        !case.is_complainant("jan@numun.nl"),
        "the forwarder is not the complainant"
    );
    office.clock.advance(chrono::Duration::days(1));
    office.deliver(
        "genuine",
        &details_from(
            PIETER,
            "Re: [KL-2026-0001] aanvulling",
            "p2@example.com",
            None,
        ),
    );
    office.run_once();
    assert!(office.case("KL-2026-0001").missing.is_empty());
}
