//! What each kind of mail is classified as, and why.

use super::*;
use crate::intake::parse::{self, Address, Attachment, Forwarded};
use automated::BULK_HEADERS;

#[test]
fn every_class_serializes_as_its_key() {
    for c in [Class::Complaint, Class::FollowUp, Class::Automated] {
        assert_eq!(serde_json::to_value(c).unwrap(), c.key());
    }
}

fn own() -> OwnIdentity {
    OwnIdentity {
        addresses: vec!["klacht@numun.nl".into()],
    }
}

fn person() -> Message {
    Message {
        subject: "Klacht over de training".into(),
        from: Some(Address {
            name: Some("Petra de Vries".into()),
            address: "petra@example.nl".into(),
        }),
        return_path: Some("petra@example.nl".into()),
        content_type: "text/plain".into(),
        text: "De trainer kwam te laat.".into(),
        ..Message::default()
    }
}

fn with_header(name: &str, value: &str) -> Message {
    let mut m = person();
    m.headers.push((name.into(), value.into()));
    m
}

fn class(m: &Message) -> Classification {
    classify(m, &own())
}

fn assert_automated(m: &Message, reason_part: &str) {
    let c = class(m);
    assert_eq!(c.class, Class::Automated, "{c:?}");
    assert!(c.reason.contains(reason_part), "{c:?}");
    // automated mail still names the case its subject names (an out-of-office reply)
    assert_eq!(c.case_ref, find_case_number(&m.subject), "{c:?}");
}

fn from(address: &str) -> Message {
    let mut m = person();
    m.from = Some(Address {
        name: None,
        address: address.into(),
    });
    m
}

#[test]
fn every_list_header_and_every_loop_guard() {
    for name in [
        "list-id",
        "list-unsubscribe",
        "list-post",
        "list-help",
        "list-archive",
        "list-subscribe",
        "list-owner",
    ] {
        assert_automated(&with_header(name, "<x.example.org>"), "mailing list");
    }
    assert_automated(&with_header("x-loop", "helpdesk@example.org"), "X-Loop");
    for name in BULK_HEADERS {
        assert_automated(&with_header(name, "campaign:123"), "bulk mail");
    }
}

#[test]
fn robot_senders_are_never_answered() {
    for (address, kind) in [
        ("noreply@example.org", "no-reply"),
        ("no-reply@bank.example", "no-reply"),
        ("No_Reply@example.org", "no-reply"),
        ("do-not-reply@example.org", "no-reply"),
        ("donotreply@example.org", "no-reply"),
        ("notifications-noreply@example.org", "no-reply"),
        ("niet-beantwoorden@gemeente.example", "no-reply"),
        ("owner-cursisten@lists.example.org", "mailing list robot"),
        ("cursisten-request@lists.example.org", "mailing list robot"),
        ("bounces+1234@mail.example.org", "mail robot"),
        ("MAILER@example.org", "mail robot"),
    ] {
        assert_automated(&from(address), kind);
    }
    // People whose addresses merely contain such words are people.
    for address in [
        "noreen@example.nl",
        "replyanne@example.nl",
        "owner@example.nl",
        "jan.request@example.nl",
    ] {
        assert_eq!(class(&from(address)).class, Class::Complaint, "{address}");
    }
}

#[test]
fn which_robot_wrote_it() {
    let mut dsn = person();
    dsn.content_type = "multipart/report".into();
    dsn.headers.push((
        "content-type".into(),
        "multipart/report; report-type=delivery-status".into(),
    ));
    assert_eq!(robot(&dsn), Robot::DeliveryFailure);
    let mut receipt = dsn.clone();
    receipt.headers[0].1 = "multipart/report; report-type=disposition-notification".into();
    assert_eq!(robot(&receipt), Robot::Other);
    assert_eq!(
        robot(&from("MAILER-DAEMON@mx.example.nl")),
        Robot::DeliveryFailure
    );
    assert_eq!(
        robot(&with_header("x-failed-recipients", "a@b.nl")),
        Robot::DeliveryFailure
    );
    // A vacation responder sends with an empty Return-Path (RFC 3834), and says
    // auto-replied: it is a reply, not a bounce (as Dovecot's Sieve vacation writes).
    let mut vacation = with_header("auto-submitted", "auto-replied (vacation)");
    vacation.return_path = Some(String::new());
    vacation.headers.push(("precedence".into(), "bulk".into()));
    assert_eq!(robot(&vacation), Robot::AutoReply);
    let mut empty_path = person();
    empty_path.return_path = Some(String::new());
    assert_eq!(robot(&empty_path), Robot::Other, "no evidence of a failure");
    assert_eq!(
        robot(&with_header("auto-submitted", "auto-replied")),
        Robot::AutoReply
    );
    assert_eq!(robot(&with_header("x-autoreply", "yes")), Robot::AutoReply);
    let mut ooo = person();
    ooo.subject = "Out of Office: back on Monday".into();
    assert_eq!(robot(&ooo), Robot::AutoReply);
    assert_eq!(
        robot(&with_header("list-id", "<l.example.org>")),
        Robot::Other
    );
    assert_eq!(
        robot(&with_header("auto-submitted", "auto-generated")),
        Robot::Other
    );
}

#[test]
fn our_letters_named_in_a_raw_mail() {
    let raw = b"In-Reply-To: <klachtd.KL-2026-0001.acknowledgement.3@numun.nl>\r\n\r\nMessage-ID: <klachtd.KL-2026-0001.acknowledgement.3@numun.nl>.\r\nsee klachtd.KL-2026-0012.decision.10@numun.nl and klachtd.KL-26-1.x.1@n.nl\r\n";
    assert_eq!(
        letter_ids_in(raw),
        [
            "klachtd.KL-2026-0001.acknowledgement.3@numun.nl",
            "klachtd.KL-2026-0012.decision.10@numun.nl"
        ]
    );
    assert!(letter_ids_in(b"").is_empty());
    assert!(letter_ids_in(&[0xff, 0xfe, 0x00]).is_empty());
}

#[test]
fn a_person_writes_a_complaint() {
    let c = class(&person());
    assert_eq!(c.class, Class::Complaint);
    assert_eq!(c.reason, "a new mail from a person");
    assert_eq!(c.case_ref, None);
}

#[test]
fn auto_submitted() {
    assert_automated(
        &with_header("auto-submitted", "auto-replied"),
        "Auto-Submitted: auto-replied",
    );
    assert_automated(
        &with_header("auto-submitted", "auto-generated; foo"),
        "auto-generated",
    );
    assert_eq!(
        class(&with_header("auto-submitted", "no")).class,
        Class::Complaint
    );
    assert_eq!(
        class(&with_header("auto-submitted", "No")).class,
        Class::Complaint
    );
}

#[test]
fn autoreply_headers() {
    assert_automated(&with_header("x-autoreply", "yes"), "X-Autoreply");
    assert_automated(&with_header("x-autorespond", "vacation"), "X-Autorespond");
    assert_automated(
        &with_header("x-auto-response-suppress", "All"),
        "X-Auto-Response-Suppress",
    );
    assert_automated(
        &with_header("x-auto-response-suppress", "DR, OOF, AutoReply"),
        "X-Auto-Response-Suppress",
    );
    // read-receipt suppression only is what people's clients send
    assert_eq!(
        class(&with_header("x-auto-response-suppress", "RN, NRN")).class,
        Class::Complaint
    );
}

#[test]
fn precedence_and_lists() {
    for p in ["bulk", "junk", "list", "auto_reply", "Bulk"] {
        assert_automated(&with_header("precedence", p), "Precedence");
    }
    assert_eq!(
        class(&with_header("precedence", "first-class")).class,
        Class::Complaint
    );
    assert_automated(
        &with_header("list-id", "Nieuwsbrief <nieuws.numun.nl>"),
        "mailing list (List-Id)",
    );
    assert_automated(
        &with_header("list-unsubscribe", "<mailto:u@x.nl>"),
        "mailing list (List-Unsubscribe)",
    );
}

#[test]
fn bounces() {
    let mut m = person();
    m.return_path = Some(String::new());
    assert_automated(&m, "empty Return-Path");
    let mut m = person();
    m.from = Some(Address {
        name: Some("Mail Delivery System".into()),
        address: "MAILER-DAEMON@mx.example.nl".into(),
    });
    assert_automated(&m, "MAILER-DAEMON");
    let mut m = person();
    m.from = Some(Address {
        name: None,
        address: "Postmaster@example.nl".into(),
    });
    assert_automated(&m, "postmaster");
    let mut m = person();
    m.content_type = "multipart/report".into();
    assert_automated(&m, "delivery status report");
    let mut m = person();
    m.attachments.push(Attachment {
        filename: None,
        content_type: "message/delivery-status".into(),
        size: 10,
    });
    assert_automated(&m, "delivery status report");
}

#[test]
fn out_of_office_subjects() {
    for s in [
        "Automatisch antwoord: Klacht over de training",
        "Automatic reply: [KL-2026-0007] Ontvangstbevestiging",
        "Out of Office: hello",
        "Afwezig",
        "Afwezig tot 16 november",
        "Autoreply: x",
        "RE: Auto-Reply: x",
    ] {
        let mut m = person();
        m.subject = s.into();
        assert_automated(&m, "out-of-office subject");
    }
    for s in [
        "Trainer was afwezig tijdens de workshop",
        "Afwezigheid van de trainer",
        "Automatisch antwoord ontvangen maar verder niets gehoord",
    ] {
        let mut m = person();
        m.subject = s.into();
        assert_eq!(class(&m).class, Class::Complaint, "{s}");
    }
}

#[test]
fn our_own_mail() {
    assert_automated(
        &with_header("x-klachtd-loop", "1"),
        "our own mail (loop header)",
    );
    let mut m = person();
    m.from = Some(Address {
        name: None,
        address: "Klacht@Numun.nl".into(),
    });
    assert_automated(&m, "our own mail");
    // configured with a display name
    let own = OwnIdentity {
        addresses: vec!["Klachten numun <klacht@numun.nl>".into()],
    };
    assert_eq!(classify(&m, &own).class, Class::Automated);
    // a colleague from the same domain is a person
    let mut m = person();
    m.from = Some(Address {
        name: Some("Jan Smit".into()),
        address: "jan@numun.nl".into(),
    });
    assert_eq!(class(&m).class, Class::Complaint);
}

#[test]
fn automated_wins_over_a_case_number() {
    let mut m = with_header("auto-submitted", "auto-replied");
    m.subject = "Automatisch antwoord: [KL-2026-0007] Ontvangstbevestiging".into();
    assert_automated(&m, "Auto-Submitted");
    assert_eq!(class(&m).case_ref, Some(CaseNumber { year: 2026, seq: 7 }));
}

#[test]
fn follow_ups() {
    let mut m = person();
    m.subject = "Re: [KL-2026-0007] Ontvangstbevestiging".into();
    m.text = "zie ook KL-2026-0008".into();
    let c = class(&m);
    assert_eq!(c.class, Class::FollowUp);
    assert_eq!(c.case_ref, Some(CaseNumber { year: 2026, seq: 7 }));
    assert_eq!(c.reason, "case KL-2026-0007 in the subject");

    let mut m = person();
    m.text = "Mijn zaaknummer is kl-2026-0012.".into();
    let c = class(&m);
    assert_eq!(
        c.case_ref,
        Some(CaseNumber {
            year: 2026,
            seq: 12
        })
    );
    assert_eq!(c.reason, "case KL-2026-0012 in the text");

    let mut m = person();
    m.history = "> Uw klacht is geregistreerd onder KL-2026-0031.".into();
    let c = class(&m);
    assert_eq!(c.class, Class::FollowUp);
    assert_eq!(
        c.case_ref,
        Some(CaseNumber {
            year: 2026,
            seq: 31
        })
    );
    assert_eq!(c.reason, "quotes case KL-2026-0031");

    let mut m = person();
    m.forwarded = Some(Forwarded {
        from: None,
        date: None,
        subject: Some("RE: [KL-2026-0044] Uw klacht".into()),
        text: String::new(),
    });
    assert_eq!(
        class(&m).case_ref,
        Some(CaseNumber {
            year: 2026,
            seq: 44
        })
    );

    // not case numbers: seq 0, too short, part of a longer word
    for text in ["KL-2026-0000", "KL-2026-007", "XKL-2026-0007", "KL-26-0007"] {
        let mut m = person();
        m.text = text.into();
        assert_eq!(class(&m).class, Class::Complaint, "{text}");
    }
}

#[test]
fn a_case_number_written_sloppily_in_the_text_links_the_case() {
    let case48 = Some(CaseNumber {
        year: 2026,
        seq: 48,
    });
    for text in [
        "Over mijn klacht kl 2026-0048: ik heb nog niets gehoord.",
        "Betreft KL2026-0048, mijn adres is Kerkstraat 1.",
        "dossier KL 2026 0048",
        "Referenz KL_2026_0048",
        "my complaint (KL \u{2013} 2026 \u{2013} 0048)",
        "zaak Kl-2026/0048.",
        "KL.2026.0048",
    ] {
        let mut m = person();
        m.text = text.into();
        let c = class(&m);
        assert_eq!(c.class, Class::FollowUp, "{text}");
        assert_eq!(c.case_ref, case48, "{text}");
        assert_eq!(c.reason, "case KL-2026-0048 in the text", "{text}");
    }
    // Ambiguous: a short sequence, no KL, a longer word, a number across lines.
    for text in [
        "dossier KL-2026-48",
        "factuur 2026-0048",
        "BKL 2026 0048",
        "KL\n2026\n0048",
        "KL-2026-00481234",
    ] {
        let mut m = person();
        m.text = text.into();
        assert_eq!(class(&m).class, Class::Complaint, "{text}");
    }
}

#[test]
fn a_parsed_reply_quoting_the_acknowledgement_is_a_follow_up() {
    let raw = "From: Petra <petra@example.nl>\r\nTo: klacht@numun.nl\r\nSubject: Re: Uw klacht\r\n\r\nHierbij mijn adres: Kerkstraat 1, Utrecht.\r\n\r\nOp di 3 nov. 2026 om 10:12 schreef Klachten numun <klacht@numun.nl>:\r\n> Uw klacht is geregistreerd onder nummer KL-2026-0007.\r\n";
    let m = parse::parse(raw.as_bytes()).unwrap();
    let c = class(&m);
    assert_eq!(c.class, Class::FollowUp);
    assert_eq!(c.case_ref, Some(CaseNumber { year: 2026, seq: 7 }));
    assert_eq!(c.reason, "quotes case KL-2026-0007");
}

#[test]
fn reasons_carry_no_personal_data() {
    let mut m = with_header("auto-submitted", "auto-replied (petra@example.nl)");
    m.subject = "Petra".into();
    let c = class(&m);
    assert!(!c.reason.contains('@'));
    assert!(!c.reason.contains("Petra"));
}

#[test]
fn calendar_invitations_are_a_machines_mail() {
    for method in ["REQUEST", "CANCEL", "REPLY"] {
        let mut m = person();
        m.calendar = Some(method.into());
        assert_automated(&m, "calendar invitation");
    }
    // A calendar a person attaches (PUBLISH, or no method) is no invitation.
    for method in ["PUBLISH", ""] {
        let mut m = person();
        m.calendar = Some(method.into());
        assert_eq!(class(&m).class, Class::Complaint, "{method}");
    }
    let raw = "From: a@b.nl\r\nSubject: Uitnodiging\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nWanneer: woensdag\r\n--b\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n--b--\r\n";
    let m = parse::parse(raw.as_bytes()).unwrap();
    assert_eq!(m.calendar.as_deref(), Some("REQUEST"));
    assert_eq!(class(&m).class, Class::Automated);
    let raw = "From: a@b.nl\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nZie bijlage\r\n--b\r\nContent-Type: application/octet-stream; name=\"a.ics\"\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b\r\nContent-Type: text/calendar; name=\"invite.ics\"\r\nContent-Disposition: attachment\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n--b--\r\n";
    assert_eq!(
        parse::parse(raw.as_bytes()).unwrap().calendar.as_deref(),
        Some("CANCEL")
    );
}

#[test]
fn an_automated_reply_keeps_the_case_it_names() {
    let mut m = with_header("auto-submitted", "auto-replied");
    m.subject = "Automatisch antwoord: [KL-2026-0042] Ontvangstbevestiging".into();
    let c = class(&m);
    assert_eq!(c.class, Class::Automated);
    assert_eq!(
        c.case_ref,
        Some(CaseNumber {
            year: 2026,
            seq: 42
        })
    );
    m.subject = "Out of office".into();
    m.in_reply_to = vec!["klachtd.KL-2026-0043.acknowledgement.3@numun.nl".into()];
    assert_eq!(
        class(&m).case_ref,
        Some(CaseNumber {
            year: 2026,
            seq: 43
        })
    );
}

#[test]
fn a_bounce_names_the_case_of_the_letter_it_returns() {
    let case = |seq| Some(CaseNumber { year: 2026, seq });
    // Postfix: the returned headers in a text/rfc822-headers part, the subject folded.
    let raw = "From: MAILER-DAEMON@smtp.example.nl (Mail Delivery System)\r\nTo: klacht@numun.nl\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nUser unknown.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: numun <klacht@numun.nl>\r\nSubject: [KL-2026-0125] Uw klacht is ontvangen - wij hebben nog\r\n wat gegevens nodig\r\nMessage-ID: <klachtd.KL-2026-0125.missing.1@numun.nl>\r\n\r\n--b--\r\n";
    let m = parse::parse(raw.as_bytes()).unwrap();
    let c = class(&m);
    assert_eq!(c.class, Class::Automated);
    assert_eq!(c.case_ref, case(125));
    // A subject without the number: our Message-ID names the case.
    let mut m = from("MAILER-DAEMON@smtp.example.nl");
    m.content_type = "multipart/report".into();
    m.returned = Some(parse::Returned {
        subject: Some("Uw gegevens".into()),
        message_id: Some("klachtd.KL-2026-0233.missing.2@numun.nl".into()),
    });
    assert_eq!(class(&m).case_ref, case(233));
    // A Message-ID of our form on another domain is no letter of ours.
    m.returned = Some(parse::Returned {
        subject: Some("Uw gegevens".into()),
        message_id: Some("klachtd.KL-2026-0233.missing.2@elders.example".into()),
    });
    assert_eq!(class(&m).case_ref, None);
    // A returned message/rfc822 part is read the same way.
    let raw = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\nTo: klacht@numun.nl\r\nSubject: Delivery Status Notification (Failure)\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nAddress not found.\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: numun <klacht@numun.nl>\r\nSubject: [KL-2026-0211] Ontvangstbevestiging\r\n\r\nBeste heer,\r\n--b--\r\n";
    let m = parse::parse(raw.as_bytes()).unwrap();
    assert_eq!(class(&m).case_ref, case(211));
}

#[test]
fn a_reply_to_our_letter_names_its_case_in_the_thread() {
    let mut m = person();
    m.in_reply_to = vec!["klachtd.KL-2026-0039.acknowledgement.3@numun.nl".into()];
    let c = class(&m);
    assert_eq!(c.class, Class::FollowUp);
    assert_eq!(
        c.case_ref,
        Some(CaseNumber {
            year: 2026,
            seq: 39
        })
    );
    assert_eq!(c.reason, "a reply to our letter in case KL-2026-0039");
    // References only: the newest of ours counts.
    let mut m = person();
    m.references = vec![
        "CAF123@mail.gmail.com".into(),
        "klachtd.KL-2026-0040.request_information.2@numun.nl".into(),
    ];
    assert_eq!(
        class(&m).case_ref,
        Some(CaseNumber {
            year: 2026,
            seq: 40
        })
    );
    // Someone else's Message-ID with a number in it, or another domain: no case.
    for id in [
        "KL-2026-0041@example.nl",
        "klachtd.KL-2026-0041.acknowledgement.1@example.org",
        "klachtd.owner_digest.abc.1@numun.nl",
    ] {
        let mut m = person();
        m.in_reply_to = vec![id.into()];
        assert_eq!(class(&m).class, Class::Complaint, "{id}");
    }
}
