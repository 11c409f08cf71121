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
