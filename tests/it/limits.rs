//! Mail over a limit (issue 10.4): the decoded text (`[limits] text_bytes`), the time to
//! read one mail (`seconds_per_mail`), and the short answer to a person whose mail went
//! over any limit: set aside whole, the owner told, the sender told nothing of it.

use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::support::*;

const OWNER: &str = "eigenaar@numun.nl";
const PIET: &str = "Piet Pietersen <piet@example.nl>";
/// The mails arrive on Monday 16 November 2026 at 10:00 in Amsterdam.
const NOW: &str = "2026-11-16T09:00:00Z";

fn set_aside(office: &Office) -> usize {
    files_in(&office.path("Maildir/.Apart gezet/cur")).len()
}

/// The owner's notices that a mail was set aside.
fn set_aside_notices(office: &Office) -> Vec<String> {
    office
        .letters_to(OWNER)
        .into_iter()
        .filter(|l| body(l).contains("apart") || subject(l).contains("apart"))
        .collect()
}

/// A mail of Piet's with `parts` text parts (each a line of the complaint).
fn many_parts(message_id: &str, subject: &str, headers: &str, parts: usize) -> Vec<u8> {
    let mut out = format!(
        "From: {PIET}\r\nTo: klacht@numun.nl\r\nSubject: {subject}\r\nDate: Mon, 16 Nov 2026 09:50:00 +0100\r\nMessage-ID: <{message_id}>\r\n{headers}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
    );
    for i in 0..parts {
        out.push_str(&format!(
            "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDeel {i}: Jan de Trainer kwam te laat op Keizersgracht 12.\r\n"
        ));
    }
    out.push_str("--XX--\r\n");
    out.into_bytes()
}

/// Letters of the kind that answers a mail over a limit (by its Subject).
fn answers(office: &Office, to: &str) -> Vec<String> {
    office
        .letters_to(to)
        .into_iter()
        .filter(|l| {
            let s = subject(l);
            s == "Uw e-mail is ontvangen" || s == "Your e-mail has been received"
        })
        .collect()
}

#[test]
fn a_person_whose_mail_is_over_a_limit_is_told_nothing_of_its_content() {
    let office = Office::with_extra(NOW, "[limits]\nmax_parts = 3\n");
    office.deliver(
        "big",
        &many_parts("big1@example.nl", "Klacht over Jan de Trainer", "", 5),
    );
    office.run_once();
    assert_eq!(set_aside(&office), 1, "kept whole, set aside");
    assert!(office.cases().is_empty());
    let notices = set_aside_notices(&office);
    assert_eq!(notices.len(), 1, "{:?}", office.letters());
    assert!(body(&notices[0]).contains("max_parts"), "{}", notices[0]);

    let answer = answers(&office, "piet@example.nl");
    assert_eq!(answer.len(), 1, "{:?}", office.letters());
    let a = &answer[0];
    let text = body(a);
    assert!(text.contains("16 november 2026 om 10:00"), "{text}");
    assert!(text.contains("niet automatisch"), "{text}");
    // nothing of the mail: not its subject, not a name, not its text
    for word in [
        "Jan",
        "Trainer",
        "Keizersgracht",
        "Piet",
        "Klacht over",
        "max_parts",
    ] {
        assert!(!a.contains(word), "{word} in:\n{a}");
    }
    assert_eq!(
        header(a, "In-Reply-To").as_deref(),
        Some("<big1@example.nl>")
    );
    assert_eq!(header(a, "Auto-Submitted").as_deref(), Some("auto-replied"));
    // the answer is not about a case
    assert!(!subject(a).contains("KL-"), "{a}");
}

#[test]
fn the_answer_is_in_english_when_the_headers_tell() {
    for (title, headers) in [
        ("Complaint", "Content-Language: en-GB\r\n"),
        (
            "I would like to complain about the trainer who was late every single day of the course",
            "",
        ),
    ] {
        let office = Office::with_extra(NOW, "[limits]\nmax_parts = 3\n");
        office.deliver("big", &many_parts("en1@example.nl", title, headers, 5));
        office.run_once();
        let answer = answers(&office, "piet@example.nl");
        assert_eq!(answer.len(), 1, "{title}");
        assert_eq!(subject(&answer[0]), "Your e-mail has been received");
        let text = body(&answer[0]);
        assert!(text.contains("16 November 2026 at 10:00"), "{text}");
        assert!(
            text.contains("could not be processed automatically"),
            "{text}"
        );
    }
    // a Dutch subject, no Content-Language: Dutch
    let office = Office::with_extra(NOW, "[limits]\nmax_parts = 3\n");
    office.deliver(
        "big",
        &many_parts(
            "nl1@example.nl",
            "Klacht over de training van vorige week in Utrecht",
            "",
            5,
        ),
    );
    office.run_once();
    assert_eq!(
        subject(&answers(&office, "piet@example.nl")[0]),
        "Uw e-mail is ontvangen"
    );
}

#[test]
fn a_robot_over_a_limit_gets_no_answer() {
    for (from, headers) in [
        (PIET, "Auto-Submitted: auto-generated\r\n"),
        (PIET, "List-Id: <nieuws.example.nl>\r\n"),
        (PIET, "Precedence: bulk\r\n"),
        ("Mail Delivery <MAILER-DAEMON@mx.example.nl>", ""),
        ("Nieuwsbrief <noreply@example.nl>", ""),
        ("Klachten <klacht@numun.nl>", ""),
    ] {
        let office = Office::with_extra(NOW, "[limits]\nmax_parts = 3\n");
        let raw = String::from_utf8(many_parts("r@example.nl", "Nieuws", headers, 5))
            .unwrap()
            .replacen(&format!("From: {PIET}"), &format!("From: {from}"), 1);
        office.deliver("robot", raw.as_bytes());
        office.run_once();
        assert_eq!(set_aside(&office), 1, "{from} {headers}");
        assert_eq!(set_aside_notices(&office).len(), 1, "the owner is told");
        let letters: Vec<String> = office
            .letters()
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| !header(t, "To").is_some_and(|to| to.contains(OWNER)))
            .collect();
        assert!(letters.is_empty(), "{from} {headers}: {letters:?}");
    }
}

#[test]
fn a_mail_whose_header_block_is_over_a_limit_gets_no_answer() {
    for limits in ["max_header_lines = 20", "max_header_line_bytes = 300"] {
        let office = Office::with_extra(NOW, &format!("[limits]\n{limits}\n"));
        let extra = format!(
            "{}X-Long: {}\r\n",
            "X-Filler: ja\r\n".repeat(25),
            "lang ".repeat(100)
        );
        office.deliver("head", &many_parts("h1@example.nl", "Klacht", &extra, 1));
        office.run_once();
        assert_eq!(set_aside(&office), 1, "{limits}");
        assert_eq!(set_aside_notices(&office).len(), 1, "{limits}");
        assert!(answers(&office, "piet@example.nl").is_empty(), "{limits}");
    }
}

#[test]
fn answers_to_mail_over_a_limit_count_against_the_daily_cap() {
    let office = Office::with_extra(
        NOW,
        "[limits]\nmax_parts = 3\nanswers_per_sender_per_day = 2\n",
    );
    for n in 0..4 {
        office.deliver(
            &format!("big{n}"),
            &many_parts(&format!("cap{n}@example.nl"), "Klacht", "", 5 + n),
        );
        office.run_once();
    }
    assert_eq!(set_aside(&office), 4);
    assert_eq!(answers(&office, "piet@example.nl").len(), 2, "the cap");
    assert_eq!(
        set_aside_notices(&office).len(),
        4,
        "the owner hears of each"
    );
}

/// A complaint whose one text part is `body` encoded with `encoding`.
fn encoded(message_id: &str, content_type: &str, encoding: &str, body: &str) -> Vec<u8> {
    let encoded = match encoding {
        "base64" => base64::engine::general_purpose::STANDARD
            .encode(body)
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\r\n"),
        // quoted-printable: the text is ASCII but for its accents, each =C3=A9
        _ => body.replace('é', "=C3=A9").replace('\n', "\r\n"),
    };
    format!(
        "From: {PIET}\r\nTo: klacht@numun.nl\r\nSubject: Klacht\r\nDate: Mon, 16 Nov 2026 09:50:00 +0100\r\nMessage-ID: <{message_id}>\r\nMIME-Version: 1.0\r\nContent-Type: {content_type}; charset=utf-8\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{encoded}\r\n"
    )
    .into_bytes()
}

/// A realistic complaint about `words` words long.
fn complaint(words: usize) -> String {
    let sentence = "De trainer kwam op 10 november 2026 een uur te laat en het café was dicht. ";
    let per = sentence.split_whitespace().count();
    format!(
        "Geachte heer, mevrouw,\n\n{}\n\nMet vriendelijke groet,\nPiet Pietersen\nKeizersgracht 12\n1015 CS Amsterdam\n06-12345678\n",
        sentence.repeat(words / per + 1)
    )
}

#[test]
fn a_mail_whose_decoded_text_is_over_text_bytes_is_set_aside() {
    let office = Office::with_extra(NOW, "[limits]\ntext_bytes = 4000\n");
    let long = complaint(1000); // about 5 KB decoded
    let short = complaint(300); // about 1.7 KB decoded
    assert!(long.len() > 4000 && short.len() < 4000);
    office.deliver(
        "b64",
        &encoded("b1@example.nl", "text/plain", "base64", &long),
    );
    office.deliver(
        "qp",
        &encoded("q1@example.nl", "text/plain", "quoted-printable", &long),
    );
    let html = format!(
        "<html><body><p>{}</p></body></html>",
        long.replace('\n', "<br>")
    );
    office.deliver(
        "html",
        &encoded("h1@example.nl", "text/html", "base64", &html),
    );
    office.deliver(
        "fine",
        &encoded("f1@example.nl", "text/plain", "base64", &short),
    );
    office.run_once();
    assert_eq!(set_aside(&office), 3, "{:?}", office.letters());
    assert_eq!(office.cases().len(), 1, "the short one is a complaint");
    let notices = set_aside_notices(&office);
    assert_eq!(notices.len(), 3);
    for n in &notices {
        assert!(body(n).contains("text_bytes"), "{n}");
    }
    assert_eq!(answers(&office, "piet@example.nl").len(), 3);
}

#[test]
fn text_parts_count_together_against_text_bytes() {
    // Three parts of 1,500 bytes: none over 4,000, together over it.
    let office = Office::with_extra(NOW, "[limits]\ntext_bytes = 4000\n");
    let part = "a".repeat(1500);
    let mut raw = format!(
        "From: {PIET}\r\nTo: klacht@numun.nl\r\nSubject: Klacht\r\nMessage-ID: <t1@example.nl>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
    );
    for _ in 0..3 {
        raw.push_str(&format!(
            "--B\r\nContent-Type: text/plain\r\n\r\n{part}\r\n"
        ));
    }
    raw.push_str("--B--\r\n");
    office.deliver("parts", raw.as_bytes());
    office.run_once();
    assert_eq!(set_aside(&office), 1);
}

/// A mail that takes long to read (made slow by `KLACHTD_SLOW_READ`, see faults.rs) is
/// set aside after `seconds_per_mail`, its sender answered; the next mail is taken in as
/// ever, and the daemon does not wait for the late reader to finish.
#[test]
fn a_mail_that_takes_too_long_to_read_is_set_aside() {
    // The binary runs on the wall clock: mail from before its first start would be left
    // alone, so this office takes in everything since 2026.
    let office = Office::with_extra(NOW, "");
    TestConfig::default()
        .mailbox("kind = \"maildir\"\npath = \"Maildir\"\nsince = \"2026-01-01\"")
        .extra("[limits]\nseconds_per_mail = 1\n")
        .write(&office.config_file());
    let slow = String::from_utf8(mail(
        PIET,
        "Klacht",
        "Mon, 16 Nov 2026 09:50:00 +0100",
        "slow1@example.nl",
        COMPLETE,
    ))
    .unwrap()
    .replacen("\r\n\r\n", "\r\nX-Test: TRAAG-TE-LEZEN\r\n\r\n", 1);
    office.deliver("a-slow", slow.as_bytes());
    office.deliver(
        "b-sanne",
        &mail(
            SANNE,
            "Klacht training",
            "Mon, 16 Nov 2026 09:12:44 +0100",
            "c1@example.nl",
            COMPLETE,
        ),
    );
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_klachtd"))
        .args(["run", "--once", "--config"])
        .arg(office.config_file())
        .env("KLACHTD_SLOW_READ", "TRAAG-TE-LEZEN")
        .env("KLACHTD_LOG", "warn")
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(out.status.success(), "{out:?}");
    assert!(
        took < Duration::from_secs(20),
        "the late reader (30 s) was waited for: {took:?}"
    );
    assert_eq!(set_aside(&office), 1);
    let notices = set_aside_notices(&office);
    assert_eq!(notices.len(), 1);
    assert!(
        body(&notices[0]).contains("seconds_per_mail"),
        "{}",
        notices[0]
    );
    assert_eq!(answers(&office, "piet@example.nl").len(), 1);
    assert_eq!(office.cases().len(), 1, "Sanne's complaint is taken in");
    assert_eq!(office.letters_to("sanne@example.nl").len(), 1);
    // the log names no one
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        !log.contains("piet@example.nl") && !log.contains("Pietersen"),
        "{log}"
    );
}

#[test]
fn without_the_slow_read_the_same_mail_is_a_complaint() {
    // The control: the marker itself does nothing to a mail.
    let office = Office::with_extra(NOW, "[limits]\nseconds_per_mail = 1\n");
    let raw = String::from_utf8(mail(
        PIET,
        "Klacht",
        "Mon, 16 Nov 2026 09:50:00 +0100",
        "slow1@example.nl",
        COMPLETE,
    ))
    .unwrap()
    .replacen("\r\n\r\n", "\r\nX-Test: TRAAG-TE-LEZEN\r\n\r\n", 1);
    office.deliver("a-slow", raw.as_bytes());
    office.run_once();
    assert_eq!(set_aside(&office), 0);
    assert_eq!(office.cases().len(), 1);
}

#[test]
fn the_answer_is_overridden_like_every_letter() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::create_dir(templates.path().join("en")).unwrap();
    std::fs::write(
        templates.path().join("not_processed.txt"),
        "Subject: Ontvangen\n\nOp {{ received_at }} ontvangen; EIGEN-TEKST-NL.\n",
    )
    .unwrap();
    std::fs::write(
        templates.path().join("en/not_processed.txt"),
        "Subject: Received\n\nReceived on {{ received_at }}; OWN-TEXT-EN.\n",
    )
    .unwrap();
    let extra = format!(
        "[limits]\nmax_parts = 3\n[templates]\ndir = {:?}\n",
        templates.path().display().to_string()
    );
    for (headers, own) in [
        ("", "EIGEN-TEKST-NL"),
        ("Content-Language: en\r\n", "OWN-TEXT-EN"),
    ] {
        let office = Office::with_extra(NOW, &extra);
        office.deliver("big", &many_parts("o1@example.nl", "Klacht", headers, 5));
        office.run_once();
        let to_piet = office.letters_to("piet@example.nl");
        assert_eq!(to_piet.len(), 1);
        assert!(body(&to_piet[0]).contains(own), "{}", to_piet[0]);
    }
}
