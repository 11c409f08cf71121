//! No injection: nothing from a mail reaches an outgoing header, the owner's mail or a
//! terminal with a CR, LF or other control character. Encoded words can decode to
//! anything; subjects, names and attachment names are made one safe line when read.

use klachtd::intake::{self, Arrival};

use crate::support::*;

/// "Klacht\r\nBcc: evil@example.org" with ANSI colour codes and a right-to-left override.
const SUBJECT: &str =
    "=?utf-8?b?S2xhY2h0DQpCY2M6IGV2aWxAZXhhbXBsZS5vcmcbWzMxbSByb29kG1swbSDigK52ZXJrZWVyZA==?=";
/// "Jan\r\nBcc: evil@example.org" with a NUL and a terminal-title escape.
const NAME: &str = "=?utf-8?b?SmFuDQpCY2M6IGV2aWxAZXhhbXBsZS5vcmcAG10wO3RpdGVsBw==?=";

fn hostile() -> Vec<u8> {
    format!(
        "From: {NAME} <jan@example.nl>\r\nTo: klacht@numun.nl\r\nSubject: {SUBJECT}\r\nDate: Mon, 16 Nov 2026 09:12:44 +0100\r\nMessage-ID: <inj1@example.nl>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{COMPLETE}\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"=?utf-8?b?Li4vLi4vZXRjL3Bhc3N3ZA0KWA==?=\"\r\n\r\nAAAA\r\n--b--\r\n"
    )
    .into_bytes()
}

fn assert_one_safe_line(what: &str, text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
        "{what} carries a control character: {text:?}"
    );
}

#[test]
fn encoded_words_cannot_smuggle_control_characters_into_what_is_read() {
    let sub = intake::read(
        &hostile(),
        Arrival::Unknown { now: fixed_now() },
        &demo_context(),
    )
    .expect("a mail");
    let m = &sub.message;
    assert_one_safe_line("the subject", &m.subject);
    assert!(
        m.subject.starts_with("Klacht Bcc: evil@example.org"),
        "{:?}",
        m.subject
    );
    let from = m.from.as_ref().expect("a sender");
    assert_eq!(from.address, "jan@example.nl");
    assert_one_safe_line("the name", from.name.as_deref().unwrap_or_default());
    for a in &m.attachments {
        let name = a.filename.as_deref().unwrap_or_default();
        assert_one_safe_line("an attachment name", name);
    }
}

#[test]
fn a_hostile_subject_and_name_reach_no_outgoing_header() {
    let office = Office::new("2026-11-16T09:00:00Z");
    office.deliver("hostile", &hostile());
    office.run_once();
    let letters = office.letters();
    assert!(!letters.is_empty(), "the complaint was answered");
    for (file, text) in &letters {
        let head = text.split("\r\n\r\n").next().unwrap_or_default();
        for line in head.split("\r\n") {
            assert!(
                !line.to_ascii_lowercase().starts_with("bcc:"),
                "{file}: an injected header: {line:?}"
            );
            assert!(
                !line.contains('\u{1b}') && !line.contains('\0'),
                "{file}: {line:?}"
            );
        }
        let body = body(text);
        assert!(
            !body.contains('\u{1b}') && !body.contains('\0'),
            "{file}: a control character in the body"
        );
    }
    let to_jan = office.letters_to("jan@example.nl");
    assert_eq!(to_jan.len(), 1, "the complainant is still answered");
    let to = header(&to_jan[0], "To").unwrap_or_default();
    assert!(
        to.contains("jan@example.nl") && !to.contains("evil"),
        "{to}"
    );
    let case = office.case("KL-2026-0001");
    assert_one_safe_line("the case's subject", &case.subject);
}

/// A MIME tree `depth` deep around a complaint from Sanne.
fn nested(depth: usize) -> Vec<u8> {
    let mut out = b"From: Sanne de Vries <sanne@example.nl>\r\nTo: klacht@numun.nl\r\nSubject: Klacht\r\nDate: Mon, 16 Nov 2026 09:12:44 +0100\r\nMessage-ID: <deep@example.nl>\r\n".to_vec();
    for i in 0..depth {
        out.extend(
            format!("Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n").bytes(),
        );
    }
    out.extend(format!("Content-Type: text/plain\r\n\r\n{COMPLETE}\r\n").bytes());
    for i in (0..depth).rev() {
        out.extend(format!("--b{i}--\r\n").bytes());
    }
    out
}

#[test]
fn a_mail_over_a_limit_is_kept_whole_set_aside_and_the_owner_told() {
    let office = Office::new("2026-11-16T09:00:00Z");
    let deep = nested(20_000);
    let headers = [
        &b"From: x@example.nl\r\nSubject: veel\r\nMessage-ID: <many@example.nl>\r\n"[..],
        &b"X-Filler: 1\r\n".repeat(300_000),
        b"\r\nHallo\r\n",
    ]
    .concat();
    office.deliver("deep", &deep);
    office.deliver("headers", &headers);
    office.run_once();
    assert!(office.cases().is_empty(), "read no further, no case");
    // Sanne (a person; her header block is fine) hears only that her mail arrived; the
    // sender of 300,000 header lines hears nothing (those headers are not read).
    let to_sanne = office.letters_to("sanne@example.nl");
    assert_eq!(to_sanne.len(), 1);
    assert_eq!(subject(&to_sanne[0]), "Uw e-mail is ontvangen");
    assert!(office.letters_to("x@example.nl").is_empty());
    assert_eq!(
        files_in(&office.path("Maildir/.Apart gezet/cur")).len(),
        2,
        "both in the set-aside folder"
    );
    let alerts = office.letters_to("eigenaar@numun.nl");
    assert_eq!(alerts.len(), 2, "the owner is told of each");
    let reasons: Vec<String> = alerts.iter().map(|a| body(a)).collect();
    assert!(
        reasons.iter().any(|r| r.contains("max_depth")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("max_header_lines")),
        "{reasons:?}"
    );
    let store = &office.parts().store;
    let kept = store
        .mail_records(klachtd::store::Disposition::SetAside)
        .unwrap();
    assert_eq!(kept.len(), 2);
    let mut raws: Vec<Vec<u8>> = kept
        .iter()
        .map(|r| store.raw_mail(&r.hash).unwrap().expect("kept whole"))
        .collect();
    raws.sort_by_key(|r| r.len());
    let mut sent = vec![deep, headers];
    sent.sort_by_key(|r| r.len());
    assert_eq!(raws, sent, "byte for byte");
}
