//! Every template renders with the content its article requires.

use super::*;

#[test]
fn every_template_renders_with_the_content_its_article_requires() {
    let office = Office::new("2026-11-02T10:00:00Z");
    let letters = Letters::new(&office.config.letter_settings().unwrap()).unwrap();
    let mut case = sample_case();
    case.extended_to = Some("2026-12-14".parse().unwrap());
    case.hearing_at = Some("2026-11-09".parse().unwrap());
    let now = case.received;
    let extra = |pairs: &[(&str, &str)]| {
        let mut ctx: std::collections::BTreeMap<String, minijinja::Value> =
            std::collections::BTreeMap::new();
        for (k, v) in pairs {
            ctx.insert(k.to_string(), minijinja::Value::from(*v));
        }
        minijinja::context! { ..minijinja::Value::from(ctx), ..sample_context() }
    };
    for kind in LetterKind::ALL {
        let ctx = match kind {
            LetterKind::HearingReport => extra(&[("text", "Het verslag van de eigenaar.")]),
            LetterKind::Extension => extra(&[
                ("until", "14 december 2026"),
                ("text", "Wij spreken eerst de trainer."),
            ]),
            LetterKind::Withdrawal => extra(&[("text", "U trok de klacht in op 5 november.")]),
            LetterKind::Closure => {
                extra(&[("text", "De klacht is gegrond; u volgt de training opnieuw.")])
            }
            LetterKind::LateDeclined => extra(&[("text", "De reden van de eigenaar.")]),
            _ => sample_context(),
        };
        let mail = letters
            .write(kind, Some(&case), ctx, now)
            .unwrap_or_else(|e| panic!("{}: {e}", kind.key()));
        let subject = subject_of(&mail);
        let text = body_of(&mail);
        assert!(
            subject.contains("[KL-2026-0001]"),
            "{}: {subject}",
            kind.key()
        );
        assert!(
            !text.contains("none"),
            "{}: an unset value printed\n{text}",
            kind.key()
        );
        let must: &[&str] = match kind {
            // Art. 4.1, 3.3, 3.4.
            LetterKind::Acknowledgement => {
                &["KL-2026-0001", "toestemming tot inzage", "vertrouwelijk"]
            }
            // Art. 4.3: the owner's report.
            LetterKind::HearingReport => &[
                "Het verslag van de eigenaar.",
                "artikel 4.3",
                "9 november 2026",
            ],
            // Art. 5.1: the new date, why.
            LetterKind::Extension => &[
                "14 december 2026",
                "Wij spreken eerst de trainer.",
                "artikel 5.1",
            ],
            // Art. 5.1 and 5.2.
            LetterKind::Decision => &[
                "Bevindingen",
                "Conclusies",
                "Reacties",
                "Afhandeling",
                "artikel 5.1",
                "Onafhankelijke Klachtencommissie",
                "Postbus 1, 3500 AA Utrecht",
                "info@commissie.example",
                "artikel 5.2",
            ],
            // Afronding 1: the reasons.
            LetterKind::Withdrawal => &["U trok de klacht in op 5 november.", "Afronding, lid 1"],
            // Afronding 2: the outcome.
            LetterKind::Closure => &[
                "De klacht is gegrond; u volgt de training opnieuw.",
                "Afronding, lid 2",
                "Onafhankelijke Klachtencommissie",
            ],
            LetterKind::LateAccepted => &[
                "artikel 3.1",
                "toch in behandeling",
                "toestemming tot inzage",
            ],
            LetterKind::LateDeclined => &["De reden van de eigenaar.", "artikel 3.1"],
            LetterKind::InformationReminder => &["uw telefoonnummer", "artikel 3.2"],
            LetterKind::OwnerReminder => &["beslissing (4 weken)", "3 december 2026"],
            LetterKind::OwnerAcknowledgementAlert => &["artikel 4.1", "nog niet verzonden"],
            LetterKind::OwnerDigest => &["KL-2026-0001", "ontvangst bevestigd"],
            _ => &[],
        };
        for needle in must {
            assert!(
                text.contains(needle),
                "{}: {needle:?} in\n{text}",
                kind.key()
            );
        }
        // Letters to the complainant are signed by the owner, for the company.
        if kind.to_complainant() {
            assert!(
                text.trim_end().ends_with("Fatima Ait Takassit\nnumun"),
                "{}: signed\n{text}",
                kind.key()
            );
            assert_eq!(mail.recipients, ["klager@example.test"]);
        } else {
            assert_eq!(mail.recipients, [OWNER]);
        }
    }
}
