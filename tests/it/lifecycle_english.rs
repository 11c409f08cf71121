//! An English complaint answered in English end to end (Maildir in, Maildir out): the
//! request for what is missing, the acknowledgement after the follow-up, the owner's
//! extension and decision; the owner's mails stay Dutch.

use klachtd::domain::Language;
use klachtd::procedure::actions::Action;

use crate::support::*;

const SARAH: &str = "sarah.johnson@gmail.com";

const COMPLAINT: &str = "Dear Sir or Madam,

I am writing to complain about the Time Management workshop on 12 November 2026.
The venue had been changed at the last minute and nobody told us, so I arrived at
a closed building and missed half of the programme.

I would like to receive part of the course fee back.

Kind regards,

Sarah Johnson
Oudegracht 120
3511 AX Utrecht
";

fn to_sarah(office: &Office) -> Vec<String> {
    office.letters_to(SARAH)
}

#[test]
fn an_english_complaint_is_answered_in_english_and_the_owner_in_dutch() {
    let office = Office::new("2026-11-16T09:00:00Z");
    office.deliver(
        "en-1",
        &mail(
            &format!("Sarah Johnson <{SARAH}>"),
            "Complaint about the workshop",
            "Mon, 16 Nov 2026 09:30:00 +0100",
            "en-1@gmail.com",
            COMPLAINT,
        ),
    );
    office.run_once();
    let cases = office.cases();
    assert_eq!(cases.len(), 1);
    let number = cases[0].number;
    assert_eq!(cases[0].language, Language::English);
    // The request for the missing phone number, in English.
    let letters = to_sarah(&office);
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert!(
        subject(&letters[0]).contains("we still need some details"),
        "{}",
        subject(&letters[0])
    );
    let text = body(&letters[0]);
    assert!(text.starts_with("Dear Sarah Johnson,"), "{text}");
    assert!(text.contains("- your phone number"), "{text}");
    assert!(text.contains("16 November 2026"), "an English date: {text}");
    let date = header(&letters[0], "Date").unwrap();
    assert!(date.ends_with("+0100"), "Amsterdam time: {date}");
    // The owner's notice, in Dutch.
    let owner: Vec<String> = office
        .letters()
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| !header(t, "To").is_some_and(|to| to.contains(SARAH)))
        .collect();
    assert_eq!(owner.len(), 1);
    assert!(
        subject(&owner[0]).contains("Nieuwe klacht"),
        "{}",
        subject(&owner[0])
    );
    let notice = body(&owner[0]);
    assert!(
        notice.contains("Beste ") && notice.contains("Engels"),
        "{notice}"
    );

    // Her answer completes the case: the acknowledgement, in English.
    office.deliver(
        "en-2",
        &mail(
            &format!("Sarah Johnson <{SARAH}>"),
            &format!(
                "Re: [{number}] Your complaint has been received - we still need some details"
            ),
            "Mon, 16 Nov 2026 11:00:00 +0100",
            "en-2@gmail.com",
            "My phone number is +31 6 4567 8901.\n\nSarah",
        ),
    );
    office.run_once();
    let letters = to_sarah(&office);
    assert_eq!(letters.len(), 2, "{letters:?}");
    let ack = letters
        .iter()
        .find(|t| subject(t).contains("Receipt of your complaint"))
        .expect("an English acknowledgement");
    assert!(body(ack).contains("Kind regards,"));
    assert_eq!(office.case(&number.to_string()).language, Language::English);

    // The owner's letters later on: an extension and the decision, in English too.
    let registry = office.registry();
    registry
        .act(
            number,
            &Action::Extend {
                until: "2026-12-18".parse().unwrap(),
                text: "We are still waiting for the trainer's account.".into(),
                force: false,
            },
        )
        .unwrap();
    registry
        .act(
            number,
            &Action::Decide {
                text: "Findings:\nThe venue changed.\n\nConclusions:\nWe failed to tell you.\n\nReactions:\nThe trainer regrets it.\n\nSettlement:\nHalf of the fee is refunded.".into(),
            },
        )
        .unwrap();
    drop(registry);
    office.run_once();
    let letters = to_sarah(&office);
    let extension = letters
        .iter()
        .find(|t| subject(t).contains("we need more time"))
        .expect("an English extension");
    assert!(
        body(extension).contains("18 December 2026"),
        "{}",
        body(extension)
    );
    let decision = letters
        .iter()
        .find(|t| subject(t).contains("Decision on your complaint"))
        .expect("an English decision");
    assert!(body(decision).contains("1. Findings"), "{}", body(decision));
    for letter in &letters {
        assert!(!body(letter).contains("Met vriendelijke groet"), "{letter}");
    }
}

#[test]
fn a_dutch_complaint_is_answered_in_dutch() {
    let office = Office::new("2026-11-16T09:00:00Z");
    office.deliver(
        "nl-1",
        &mail(
            "Pieter Jansen <pieter@example.com>",
            "Klacht",
            "Mon, 16 Nov 2026 09:30:00 +0100",
            "nl-1@example.com",
            INCOMPLETE,
        ),
    );
    office.run_once();
    assert_eq!(office.cases()[0].language, Language::Dutch);
    let letters = office.letters_to("pieter@example.com");
    assert_eq!(letters.len(), 1);
    assert!(
        body(&letters[0]).starts_with("Beste Pieter Jansen,"),
        "{}",
        body(&letters[0])
    );
}
