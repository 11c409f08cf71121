//! The letters' language, the owner's notice of a serious case, the Date header.

use super::*;
use crate::domain::Language;

fn letters() -> Letters {
    Letters::new(&sample_settings()).unwrap()
}

/// The headers as written and the body decoded.
fn text(o: &Outgoing) -> String {
    let raw = String::from_utf8_lossy(&o.raw).into_owned();
    let head = raw
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let parsed = mail_parser::MessageParser::default().parse(&o.raw).unwrap();
    let subject = parsed.subject().unwrap_or_default().to_string();
    let body = parsed.body_text(0).unwrap_or_default().into_owned();
    format!("{head}\nSubject: {subject}\n\n{body}")
}

/// The answer to a mail over a limit, to a sender without a case, in `language`.
fn not_processed_in(letters: &Letters, language: Language, greeting: &str) {
    let out = letters
        .write_with(
            LetterKind::NotProcessed,
            None,
            sample_context(),
            sample_case().received,
            Extras {
                sender: Some(("piet@example.nl", language)),
                in_reply_to: Some("<m1@example.nl>"),
                ..Extras::default()
            },
        )
        .unwrap();
    assert_eq!(out.recipients, ["piet@example.nl"]);
    assert!(out.to_complainant && out.case.is_none());
    let t = text(&out);
    assert!(t.contains(greeting), "{t}");
    assert!(t.contains("2 november 2026 om 14:05"), "{t}");
    assert!(!t.contains("KL-2026") && !t.contains("Voorbeeld"), "{t}");
    let raw = String::from_utf8_lossy(&out.raw);
    assert!(raw.contains("In-Reply-To: <m1@example.nl>"), "{raw}");
    assert!(raw.contains("Auto-Submitted: auto-replied"), "{raw}");
}

fn english_case() -> Case {
    let mut case = sample_case();
    case.language = Language::English;
    case
}

#[test]
fn every_letter_to_an_english_complainant_is_english_and_the_owners_stay_dutch() {
    let letters = letters();
    let case = english_case();
    let now = case.received;
    for kind in LetterKind::ALL {
        let out = letters
            .write(kind, Some(&case), sample_context(), now)
            .unwrap();
        let t = text(&out);
        if kind == LetterKind::NotProcessed {
            not_processed_in(&letters, Language::English, "Dear sender,");
            not_processed_in(&letters, Language::Dutch, "Beste afzender,");
        } else if kind.to_complainant() {
            assert!(t.contains("Dear Voorbeeld Klager,"), "{kind:?}: {t}");
            assert!(t.contains("Kind regards,"), "{kind:?}");
            assert!(!t.contains("Met vriendelijke groet"), "{kind:?}");
            assert!(!t.contains("november"), "{kind:?}: a Dutch date: {t}");
        } else {
            assert!(!t.contains("Dear "), "{kind:?}: {t}");
        }
    }
    // The same case in Dutch: Dutch letters.
    let dutch = sample_case();
    let t = text(
        &letters
            .write(
                LetterKind::Acknowledgement,
                Some(&dutch),
                sample_context(),
                now,
            )
            .unwrap(),
    );
    assert!(t.contains("Beste Voorbeeld Klager,"), "{t}");
}

#[test]
fn english_letters_carry_the_same_content() {
    let letters = letters();
    let case = english_case();
    let now = case.received;
    let ack = text(
        &letters
            .write(
                LetterKind::Acknowledgement,
                Some(&case),
                sample_context(),
                now,
            )
            .unwrap(),
    );
    assert!(
        ack.contains("Subject: [KL-2026-0001] Receipt of your complaint"),
        "{ack}"
    );
    assert!(ack.contains("KL-2026-0001"));
    assert!(ack.contains("article 3.3"), "consent, art. 3.3");
    assert!(ack.contains("strict confidence"));
    let d = rules::deadlines::deadlines(case.received, &letters.calendar, None);
    assert!(ack.contains(&english_date(d.decide_by)), "{ack}");
    let request = text(
        &letters
            .write(
                LetterKind::RequestInformation,
                Some(&case),
                sample_context(),
                now,
            )
            .unwrap(),
    );
    assert!(request.contains("- your phone number"), "{request}");
    assert!(request.contains("Phone number: "), "{request}");
    let extension = text(
        &letters
            .write(LetterKind::Extension, Some(&case), sample_context(), now)
            .unwrap(),
    );
    assert!(extension.contains("14 December 2026"), "{extension}");
    assert!(extension.contains("3 December 2026"), "{extension}");
    let decision = text(
        &letters
            .write(LetterKind::Decision, Some(&case), sample_context(), now)
            .unwrap(),
    );
    for part in [
        "1. Findings",
        "2. Conclusions",
        "3. Responses",
        "4. Settlement",
    ] {
        assert!(decision.contains(part), "{part}");
    }
    assert!(
        decision.contains("Onafhankelijke Klachtencommissie"),
        "art. 5.2"
    );
}

#[test]
fn the_owners_notice_says_why_a_case_is_serious_and_which_language_it_is_in() {
    let letters = letters();
    let mut case = english_case();
    case.serious = true;
    case.category = Some(Category::SexualHarassment);
    case.serious_words = vec!["hand op mijn bovenbeen".into(), "touching my".into()];
    let t = text(
        &letters
            .write(
                LetterKind::OwnerNewCase,
                Some(&case),
                sample_context(),
                case.received,
            )
            .unwrap(),
    );
    assert!(t.contains("ERNSTIG"), "{t}");
    assert!(t.contains("seksuele intimidatie"), "in Dutch: {t}");
    assert!(
        t.contains("\"hand op mijn bovenbeen\", \"touching my\""),
        "{t}"
    );
    assert!(t.contains("Taal klager:    Engels"), "{t}");
}

#[test]
fn the_date_header_is_in_amsterdam_time_and_written_once() {
    let letters = letters();
    let case = sample_case();
    for (now, want) in [
        (
            "2026-12-01T19:03:48Z",
            "Date: Tue, 1 Dec 2026 20:03:48 +0100",
        ),
        (
            "2026-07-01T08:00:00Z",
            "Date: Wed, 1 Jul 2026 10:00:00 +0200",
        ),
    ] {
        let now: DateTime<Utc> = now.parse().unwrap();
        let t = text(
            &letters
                .write(
                    LetterKind::Acknowledgement,
                    Some(&case),
                    sample_context(),
                    now,
                )
                .unwrap(),
        );
        assert!(t.contains(want), "{want}: {t}");
        let head = t.split("\n\n").next().unwrap();
        assert_eq!(
            head.lines().filter(|l| l.starts_with("Date:")).count(),
            1,
            "{head}"
        );
    }
    assert_eq!(english_date_str("3 november 2026"), "3 November 2026");
    assert_eq!(english_date_str("2026-11-03"), "3 November 2026");
    assert_eq!(english_date_str("onbekend"), "onbekend");
}
