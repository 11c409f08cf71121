//! Bounces and out-of-office replies to our own letters: kept on the case of the letter
//! they name, never answered. A bounce marks the letter as not delivered (a bounced
//! acknowledgement does not meet art. 4.1) and tells the owner at once.

use klachtd::cases::{Case, EventKind};
use klachtd::procedure::schedule::AckStatus;
use klachtd::store::OutboxStatus;

use crate::support::*;

/// Sanne's complete complaint, acknowledged (sent through the Maildir outbox).
fn acknowledged() -> (Office, String) {
    let office = Office::new("2026-11-16T09:00:00Z");
    office.sanne_complains();
    let ack = acknowledgement_id(&office.case("KL-2026-0001"));
    assert_eq!(
        office.parts().store.queued(&ack).unwrap().unwrap().status,
        OutboxStatus::Sent
    );
    office.clock.advance(chrono::Duration::hours(1));
    (office, ack)
}

fn acknowledgement_id(case: &Case) -> String {
    case.events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Answered { letter, message_id } if letter == "acknowledgement" => {
                Some(message_id.clone())
            }
            _ => None,
        })
        .expect("an acknowledgement")
}

/// A delivery status report (RFC 3464) returning the headers of letter `id`.
fn dsn(id: &str) -> Vec<u8> {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.nl>\r\nTo: klacht@numun.nl\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: Mon, 16 Nov 2026 10:30:00 +0100\r\nMessage-ID: <dsn1@mx.example.nl>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n--R\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message to <sanne@example.nl>: mailbox full.\r\n\r\n--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.nl\r\n\r\nFinal-Recipient: rfc822; sanne@example.nl\r\nAction: failed\r\nStatus: 5.2.2\r\n\r\n--R\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Klachten numun <klacht@numun.nl>\r\nTo: Sanne de Vries <sanne@example.nl>\r\nSubject: [KL-2026-0001] Ontvangstbevestiging\r\nMessage-ID: <{id}>\r\n\r\n--R--\r\n"
    )
    .into_bytes()
}

/// A big provider's plain-text bounce, the returned letter quoted in its text.
fn plain_bounce(id: &str) -> Vec<u8> {
    format!(
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\nTo: klacht@numun.nl\r\nSubject: Delivery Status Notification (Failure)\r\nDate: Mon, 16 Nov 2026 10:31:00 +0100\r\nMessage-ID: <dsn2@googlemail.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n** Address not found **\r\n\r\nYour message wasn't delivered to sanne@example.nl because the address couldn't be found.\r\n\r\n----- Original message -----\r\n\r\nMessage-ID: <{id}>\r\nSubject: [KL-2026-0001] Ontvangstbevestiging\r\nFrom: Klachten numun <klacht@numun.nl>\r\n"
    )
    .into_bytes()
}

fn assert_bounce_recorded(office: &Office, ack: &str) {
    let case = office.case("KL-2026-0001");
    assert!(
        case.events.iter().any(|e| matches!(&e.kind,
            EventKind::Undelivered { letter, .. } if letter == ack)),
        "{:?}",
        case.events
    );
    let store = &office.parts().store;
    assert_eq!(
        store.queued(ack).unwrap().unwrap().status,
        OutboxStatus::Failed,
        "the letter counts as not sent"
    );
    assert_eq!(
        klachtd::scheduler::ack_status(store, &case).unwrap(),
        AckStatus::Failed,
        "art. 4.1 is not met by a bounced acknowledgement"
    );
    let told: Vec<String> = office
        .letters_to("eigenaar@numun.nl")
        .into_iter()
        .filter(|n| subject(n).contains("kon niet worden verzonden"))
        .collect();
    assert_eq!(told.len(), 1, "the owner is told at once, once");
    assert!(
        body(&told[0]).contains("teruggestuurd"),
        "{}",
        body(&told[0])
    );
    assert_eq!(
        office.letters_to("sanne@example.nl").len(),
        1,
        "only the acknowledgement"
    );
    assert!(office.letters_to("mailer-daemon@mx.example.nl").is_empty());
    assert!(office.letters_to("mailer-daemon@googlemail.com").is_empty());
}

#[test]
fn a_delivery_status_report_marks_our_letter_undelivered() {
    let (office, ack) = acknowledged();
    office.deliver("dsn", &dsn(&ack));
    office.run_once();
    assert_bounce_recorded(&office, &ack);
    // Fetched again (a crash before the mailbox moved it): nothing doubles.
    office.deliver("dsn-again", &dsn(&ack));
    office.run_once();
    assert_bounce_recorded(&office, &ack);
}

#[test]
fn a_plain_text_bounce_marks_our_letter_undelivered() {
    let (office, ack) = acknowledged();
    office.deliver("bounce", &plain_bounce(&ack));
    office.run_once();
    assert_bounce_recorded(&office, &ack);
}

#[test]
fn an_out_of_office_reply_is_kept_on_the_case_and_never_answered() {
    let (office, ack) = acknowledged();
    let owner_before = office.letters_to("eigenaar@numun.nl").len();
    let ooo = format!(
        "From: Sanne de Vries <sanne@example.nl>\r\nTo: klacht@numun.nl\r\nSubject: Automatisch antwoord: Afwezig tot 30 november\r\nDate: Mon, 16 Nov 2026 10:40:00 +0100\r\nMessage-ID: <ooo1@example.nl>\r\nIn-Reply-To: <{ack}>\r\nAuto-Submitted: auto-replied\r\nContent-Type: text/plain\r\n\r\nIk ben tot 30 november afwezig.\r\n"
    );
    office.deliver("ooo", ooo.as_bytes());
    office.run_once();
    let case = office.case("KL-2026-0001");
    let recorded = case
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::AutoReply { .. }))
        .expect("kept on the case");
    assert!(
        recorded
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("30 november"),
        "the owner sees until when: {recorded:?}"
    );
    assert_eq!(
        office.letters_to("sanne@example.nl").len(),
        1,
        "never answered"
    );
    assert_eq!(office.letters_to("eigenaar@numun.nl").len(), owner_before);
    assert_eq!(
        office.parts().store.queued(&ack).unwrap().unwrap().status,
        OutboxStatus::Sent,
        "an auto-reply means the letter arrived"
    );
}

#[test]
fn a_bounce_naming_no_letter_of_ours_changes_no_case() {
    let (office, ack) = acknowledged();
    let forged = ack.replace("acknowledgement", "decision");
    office.deliver("forged", &dsn(&forged));
    office.run_once();
    let case = office.case("KL-2026-0001");
    assert!(
        !case
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Undelivered { .. }))
    );
    assert_eq!(
        office.parts().store.queued(&ack).unwrap().unwrap().status,
        OutboxStatus::Sent
    );
    assert!(
        office
            .letters_to("eigenaar@numun.nl")
            .iter()
            .all(|n| !subject(n).contains("kon niet worden verzonden")),
        "no alert about a letter we never sent"
    );
}

/// A robot that no header gives away writes again and again from one address: it gets
/// `answers_per_sender_per_day` answers a day, no more; every mail is still registered,
/// and the owner is told once that answers were withheld.
#[test]
fn answers_to_one_address_are_capped_per_day() {
    let office = Office::with_extra(
        "2026-11-16T09:00:00Z",
        "[limits]\nanswers_per_sender_per_day = 2\n",
    );
    let robot = "Helpdesk <helpdesk@ticket.example>";
    let send = |n: usize| {
        office.deliver(
            &format!("r{n}"),
            &mail(
                robot,
                &format!("Uw melding {n}"),
                "Mon, 16 Nov 2026 09:12:44 +0100",
                &format!("r{n}@ticket.example"),
                COMPLETE,
            ),
        );
        office.run_once();
    };
    for n in 1..=5 {
        send(n);
    }
    assert_eq!(office.cases().len(), 5, "every mail is registered");
    assert_eq!(
        office.letters_to("helpdesk@ticket.example").len(),
        2,
        "two answers, then no more"
    );
    let owner = office.letters_to("eigenaar@numun.nl");
    let told: Vec<&String> = owner
        .iter()
        .filter(|n| body(n).contains("GEEN automatisch antwoord"))
        .collect();
    assert_eq!(told.len(), 1, "the owner is told once");
    let new_cases = owner
        .iter()
        .filter(|n| subject(n).contains("Nieuwe klacht"))
        .count();
    assert_eq!(
        new_cases, 3,
        "two new-case notices and the one that says so"
    );
    // The cases are registered, so their deadlines bind: the unanswered ones reach the
    // owner's reminders (a person must acknowledge them, art. 4.1).
    let third = office.case("KL-2026-0003");
    assert!(
        third.events.iter().any(|e| e
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("loop protection"))),
        "the case says why it was not answered"
    );
    // Another sender is answered as ever; and the next day the robot is answered again.
    office.deliver(
        "person",
        &mail(
            "Sanne de Vries <sanne@example.nl>",
            "Klacht",
            "Mon, 16 Nov 2026 10:00:00 +0100",
            "s1@example.nl",
            COMPLETE,
        ),
    );
    office.run_once();
    assert_eq!(office.letters_to("sanne@example.nl").len(), 1);
    office.clock.advance(chrono::Duration::days(1));
    send(6);
    assert_eq!(office.letters_to("helpdesk@ticket.example").len(), 3);
}

/// The company's own website relays a complaint form from a no-reply sender: a person's
/// complaint, registered as one; but nothing is sent to an address nobody reads.
#[test]
fn a_web_form_from_our_own_no_reply_sender_is_registered_not_answered() {
    let office = Office::new("2026-11-18T09:00:00Z");
    office.deliver(
        "form",
        &mail(
            "numun website <noreply@numun.nl>",
            "Nieuw klachtformulier",
            "Wed, 18 Nov 2026 09:00:00 +0100",
            "form1@numun.nl",
            COMPLETE,
        ),
    );
    // And a stranger's no-reply robot is no complaint at all.
    office.deliver(
        "bank",
        &mail(
            "Bank <no-reply@bank.example>",
            "Uw afschrift",
            "Wed, 18 Nov 2026 09:01:00 +0100",
            "stmt1@bank.example",
            COMPLETE,
        ),
    );
    office.run_once();
    let cases = office.cases();
    assert_eq!(cases.len(), 1, "the form is a case, the bank's mail is not");
    assert!(office.letters_to("noreply@numun.nl").is_empty());
    assert!(office.letters_to("no-reply@bank.example").is_empty());
    assert!(
        cases[0].events.iter().any(|e| e
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("no-reply address"))),
        "the case says the answer could not go: {:?}",
        cases[0].events
    );
    assert_eq!(
        office
            .letters_to("eigenaar@numun.nl")
            .iter()
            .filter(|n| subject(n).contains("Nieuwe klacht"))
            .count(),
        1,
        "the owner hears of the form's complaint"
    );
}
