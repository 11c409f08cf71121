//! The owner's actions, tested: the transition table, the date checks, the letters.

use super::*;
use crate::letters::{LetterSettings, sample_case, sample_settings};

fn letters(settings: &LetterSettings) -> Letters {
    Letters::new(settings).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Received Mon 2 Nov 2026 10:00 UTC: acknowledge by 9 Nov, target 23 Nov, decide by
/// 30 Nov.
fn case(state: State) -> Case {
    let mut case = sample_case();
    case.received = utc("2026-11-02T10:00:00Z");
    case.missing.clear();
    case.state = state;
    case
}

const DECISION: &str = "Dank voor uw geduld.\n\nBevindingen:\nDe trainer was te laat.\n\
    Conclusies: de klacht is gegrond.\n## Reacties\nDe trainer biedt excuses aan.\n\
    4. Afhandeling\nU krijgt een gratis herhaling.\n";

fn body(change: &Change) -> String {
    let raw = &change.outgoing[0].raw;
    let text = String::from_utf8_lossy(raw);
    let parsed = mail_parser::MessageParser::default()
        .parse(raw.as_slice())
        .unwrap();
    let body = parsed.body_text(0).map(|b| b.into_owned());
    body.unwrap_or_else(|| text.into_owned())
        .replace("\r\n", "\n")
}

#[test]
fn a_decision_has_its_four_parts_and_the_commission() {
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let now = utc("2026-11-20T10:00:00Z");
    let change = apply(
        case(State::ReportSent),
        &Action::Decide {
            text: DECISION.into(),
        },
        &l,
        &cal,
        now,
    )
    .unwrap();
    let case = change.case.as_ref().unwrap();
    assert_eq!(case.state, State::Decided);
    assert_eq!(case.decided_at, Some(now));
    assert_eq!(change.outgoing.len(), 1);
    assert_eq!(change.outgoing[0].kind, LetterKind::Decision);
    assert_eq!(change.outgoing[0].recipients, ["klager@example.test"]);
    let text = body(&change);
    for needle in [
        "1. Bevindingen\nDe trainer was te laat.",
        "2. Conclusies\nde klacht is gegrond.",
        "3. Reacties\nDe trainer biedt excuses aan.",
        "4. Afhandeling\nU krijgt een gratis herhaling.",
        "Dank voor uw geduld.",
        "Onafhankelijke Klachtencommissie",
        "Postbus 1, 3500 AA Utrecht",
        "info@commissie.example",
        "https://commissie.example",
        "artikel 5.2",
        "Fatima Ait Takassit",
    ] {
        assert!(text.contains(needle), "{needle:?} in\n{text}");
    }
    // The log: the owner's action, then the state change, then the letter.
    let owner_events: Vec<_> = case
        .events
        .iter()
        .filter(|e| e.actor == Actor::Owner)
        .collect();
    assert_eq!(owner_events.len(), 2);
    assert!(
        matches!(&owner_events[0].kind, EventKind::Action { action, .. } if action == "decide")
    );
    assert!(matches!(
        owner_events[1].kind,
        EventKind::StateChanged {
            from: State::ReportSent,
            to: State::Decided
        }
    ));
    // Threaded to the case.
    assert_eq!(
        case.thread.last(),
        Some(&change.outgoing[0].message_id),
        "the letter joins the thread"
    );
}

#[test]
fn a_decision_without_all_four_parts_is_refused() {
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let now = utc("2026-11-20T10:00:00Z");
    let err = apply(
        case(State::Acknowledged),
        &Action::Decide {
            text: "Bevindingen: x\nConclusies: y\n".into(),
        },
        &l,
        &cal,
        now,
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("reacties, afhandeling") && msg.contains("art. 5.1"),
        "{msg}"
    );
    assert_eq!(
        decision_parts("Findings: a\nConclusions: b\nReactions: c\n**Settlement**\nd"),
        Ok(DecisionParts {
            intro: String::new(),
            findings: "a".into(),
            conclusions: "b".into(),
            reactions: "c".into(),
            settlement: "d".into(),
        })
    );
    assert_eq!(
        decision_parts("just some text"),
        Err(vec!["bevindingen", "conclusies", "reacties", "afhandeling"])
    );
    // Without a commission in the config, no decision letter.
    let mut no_commission = sample_settings();
    no_commission.commission.name.clear();
    let err = apply(
        case(State::Acknowledged),
        &Action::Decide {
            text: DECISION.into(),
        },
        &letters(&no_commission),
        &cal,
        now,
    )
    .unwrap_err();
    assert!(matches!(err, ActionError::NoCommission), "{err}");
}

#[test]
fn the_transition_table() {
    use State::*;
    let all = State::ALL;
    let t = |text: &str| text.to_string();
    let actions = [
        Action::Note { text: t("n") },
        Action::Hearing {
            at: None,
            text: t(""),
        },
        Action::HearingReport { text: t("r") },
        Action::Extend {
            until: d(2026, 12, 14),
            text: t(""),
            force: false,
        },
        Action::Decide { text: t(DECISION) },
        Action::Withdraw { text: t("w") },
        Action::Close { text: t("c") },
        Action::Refer { text: t("") },
        Action::AcceptLate { text: t("") },
        Action::DeclineLate { text: t("d") },
    ];
    let mut table = String::new();
    for state in all {
        table.push_str(&format!("{:<20}", state.key()));
        for action in &actions {
            let c = case(state);
            table.push_str(&match next_state(&c, action) {
                Ok(_) if matches!(action, Action::Note { .. }) => " =".to_string(),
                Ok(to) => format!(" {}", to.key()),
                Err(_) => " -".to_string(),
            });
        }
        table.push('\n');
    }
    assert_eq!(
        table,
        "\
received             = - - - - withdrawn - - - -
awaiting_information = hearing_held - awaiting_information - withdrawn - - - -
acknowledged         = hearing_held report_sent extended decided withdrawn - - - -
hearing_held         = hearing_held report_sent extended decided withdrawn - - - -
report_sent          = hearing_held report_sent extended decided withdrawn - - - -
extended             = hearing_held report_sent extended decided withdrawn - - - -
decided              = - - - - - closed referred - -
closed               = - - - - - - - - -
withdrawn            = - - - - - - - - -
late                 = - - - - withdrawn - - acknowledged declined
declined             = - - - - - - - - -
referred             = - - - - - - - - -
"
    );
    // Closed cases say why, and a note still goes in.
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let now = utc("2026-11-20T10:00:00Z");
    let err = apply(
        case(Closed),
        &Action::Decide {
            text: DECISION.into(),
        },
        &l,
        &cal,
        now,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("takes no action but a note"),
        "{err}"
    );
    let change = apply(case(Closed), &Action::Note { text: t("x") }, &l, &cal, now).unwrap();
    assert!(change.outgoing.is_empty());
    assert_eq!(change.case.unwrap().state, Closed);
    // An incomplete late complaint, accepted, awaits its information.
    let mut late = case(Late);
    late.missing = vec![crate::rules::Field::Phone];
    assert_eq!(
        next_state(&late, &Action::AcceptLate { text: t("") }).unwrap(),
        AwaitingInformation
    );
}

#[test]
fn nothing_precedes_receipt() {
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let err = apply(
        case(State::ReportSent),
        &Action::Decide {
            text: DECISION.into(),
        },
        &l,
        &cal,
        utc("2026-11-01T10:00:00Z"),
    )
    .unwrap_err();
    assert!(matches!(err, ActionError::BeforeReceipt { .. }), "{err}");
    let err = apply(
        case(State::Acknowledged),
        &Action::Hearing {
            at: Some(d(2026, 11, 1)),
            text: String::new(),
        },
        &l,
        &cal,
        utc("2026-11-05T10:00:00Z"),
    )
    .unwrap_err();
    assert!(matches!(err, ActionError::HearingDate { .. }), "{err}");
}

#[test]
fn hearing_then_report() {
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let now = utc("2026-11-10T10:00:00Z");
    let report = Action::HearingReport {
        text: "U vertelde dat de trainer te laat was.".into(),
    };
    let err = apply(case(State::Acknowledged), &report, &l, &cal, now).unwrap_err();
    assert!(err.to_string().contains("hearing"), "{err}");
    let change = apply(
        case(State::Acknowledged),
        &Action::Hearing {
            at: Some(d(2026, 11, 9)),
            text: "telefonisch".into(),
        },
        &l,
        &cal,
        now,
    )
    .unwrap();
    assert!(change.outgoing.is_empty());
    let heard = change.case.unwrap();
    assert_eq!(heard.hearing_at, Some(d(2026, 11, 9)));
    assert_eq!(heard.state, State::HearingHeld);
    let change = apply(heard, &report, &l, &cal, now).unwrap();
    let text = body(&change);
    assert!(
        text.contains("U vertelde dat de trainer te laat was.")
            && text.contains("9 november 2026")
            && text.contains("artikel 4.3"),
        "{text}"
    );
    let case = change.case.unwrap();
    assert_eq!(case.state, State::ReportSent);
    assert_eq!(case.report_at, Some(now));
}

#[test]
fn an_extension_before_the_deadline_and_only_forced_after_it() {
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let extend = |until, force| Action::Extend {
        until,
        text: "Wij willen eerst de trainer spreken.".into(),
        force,
    };
    // On the day of the deadline (30 Nov) it is still in time.
    let change = apply(
        case(State::HearingHeld),
        &extend(d(2026, 12, 14), false),
        &l,
        &cal,
        utc("2026-11-30T15:00:00Z"),
    )
    .unwrap();
    let text = body(&change);
    assert!(
        text.contains("14 december 2026")
            && text.contains("30 november 2026")
            && text.contains("Wij willen eerst de trainer spreken.")
            && text.contains("artikel 5.1"),
        "{text}"
    );
    let extended = change.case.unwrap();
    assert_eq!(extended.extended_to, Some(d(2026, 12, 14)));
    assert_eq!(extended.state, State::Extended);
    // The next extension must go beyond the new date.
    let err = apply(
        extended.clone(),
        &extend(d(2026, 12, 10), false),
        &l,
        &cal,
        utc("2026-12-01T10:00:00Z"),
    )
    .unwrap_err();
    assert!(
        matches!(err, ActionError::ExtensionNotLater { .. }),
        "{err}"
    );
    // The day after the deadline: refused, with the reason, unless forced.
    let late = utc("2026-12-01T10:00:00Z");
    let err = apply(
        case(State::HearingHeld),
        &extend(d(2026, 12, 14), false),
        &l,
        &cal,
        late,
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("2026-11-30") && msg.contains("has passed") && msg.contains("--force"),
        "{msg}"
    );
    let change = apply(
        case(State::HearingHeld),
        &extend(d(2026, 12, 14), true),
        &l,
        &cal,
        late,
    )
    .unwrap();
    let case = change.case.unwrap();
    assert_eq!(case.extended_to, Some(d(2026, 12, 14)));
    assert!(case.events.iter().any(|e| {
        e.detail
            .as_deref()
            .is_some_and(|d| d.contains("forced after the decision deadline"))
    }));
}

#[test]
fn withdrawal_gives_reasons_and_ends_the_case() {
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let now = utc("2026-11-12T10:00:00Z");
    let err = apply(
        case(State::Acknowledged),
        &Action::Withdraw { text: " \n".into() },
        &l,
        &cal,
        now,
    )
    .unwrap_err();
    assert!(matches!(err, ActionError::NoText { .. }), "{err}");
    let change = apply(
        case(State::Acknowledged),
        &Action::Withdraw {
            text: "U liet ons weten dat het probleem is opgelost.".into(),
        },
        &l,
        &cal,
        now,
    )
    .unwrap();
    let text = body(&change);
    assert!(
        text.contains("U liet ons weten dat het probleem is opgelost.")
            && text.contains("Afronding, lid 1"),
        "{text}"
    );
    let case = change.case.unwrap();
    assert_eq!(case.state, State::Withdrawn);
    assert_eq!(case.closed_at, Some(now));
    assert_eq!(case.ended_at(), Some(now));
}

#[test]
fn no_address_no_letter_but_the_action_stands() {
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let mut c = case(State::Decided);
    c.reply_address = String::new();
    let change = apply(
        c,
        &Action::Close {
            text: "Afgehandeld.".into(),
        },
        &l,
        &cal,
        utc("2026-11-25T10:00:00Z"),
    )
    .unwrap();
    assert!(change.outgoing.is_empty());
    let case = change.case.unwrap();
    assert_eq!(case.state, State::Closed);
    assert!(case.events.iter().any(|e| {
        e.detail
            .as_deref()
            .is_some_and(|d| d.contains("no usable address"))
    }));
}

#[test]
fn every_action_has_its_row_and_travels_as_json() {
    let t = |text: &str| text.to_string();
    let actions = [
        Action::Note { text: t("n") },
        Action::Hearing {
            at: Some(d(2026, 11, 9)),
            text: t(""),
        },
        Action::HearingReport { text: t("r") },
        Action::Extend {
            until: d(2026, 12, 14),
            text: t(""),
            force: true,
        },
        Action::Decide { text: t(DECISION) },
        Action::Withdraw { text: t("w") },
        Action::Close { text: t("c") },
        Action::Refer { text: t("") },
        Action::AcceptLate { text: t("") },
        Action::DeclineLate { text: t("d") },
    ];
    let names: Vec<&str> = actions.iter().map(Action::name).collect();
    assert_eq!(
        names,
        [
            "note",
            "hearing",
            "report",
            "extend",
            "decide",
            "withdraw",
            "close",
            "refer",
            "accept-late",
            "decline-late"
        ]
    );
    for a in &actions {
        // A letter is the complainant's, and on the wire the action keeps its name.
        assert!(a.letter().is_none_or(|k| k.to_complainant()), "{a:?}");
        let json = serde_json::to_value(a).unwrap();
        assert_eq!(json["action"], a.name().replace('-', "_"));
        assert_eq!(&serde_json::from_value::<Action>(json).unwrap(), a);
    }
}

#[test]
fn an_invitation_and_the_information_art_4_2_and_4_3() {
    let l = letters(&sample_settings());
    let cal = Calendar::default();
    let now = utc("2026-11-10T10:00:00Z");
    let invite = |at| Action::Invite {
        at,
        time: NaiveTime::from_hms_opt(14, 30, 0).unwrap(),
        text: "Op ons kantoor, Dorpsstraat 1.".into(),
    };
    let change = apply(
        case(State::Acknowledged),
        &invite(d(2026, 11, 12)),
        &l,
        &cal,
        now,
    )
    .unwrap();
    let c = change.case.as_ref().unwrap();
    // No change of state; the letter to the complainant with the moment and the place.
    assert_eq!(c.state, State::Acknowledged);
    assert_eq!(change.outgoing[0].kind, LetterKind::Invitation);
    assert!(change.outgoing[0].to_complainant);
    let text = body(&change);
    assert!(text.contains("12 november 2026 om 14:30"), "{text}");
    assert!(text.contains("Op ons kantoor, Dorpsstraat 1."), "{text}");
    assert!(text.contains("ander moment"), "{text}");
    // Not in the past; not without the place; not while late.
    assert!(matches!(
        apply(
            case(State::Acknowledged),
            &invite(d(2026, 11, 9)),
            &l,
            &cal,
            now
        ),
        Err(ActionError::InvitationInPast { .. })
    ));
    let nowhere = Action::Invite {
        at: d(2026, 11, 12),
        time: NaiveTime::MIN,
        text: String::new(),
    };
    assert!(matches!(
        apply(case(State::Acknowledged), &nowhere, &l, &cal, now),
        Err(ActionError::NoText { .. })
    ));
    assert!(matches!(
        apply(case(State::Late), &invite(d(2026, 11, 12)), &l, &cal, now),
        Err(ActionError::NotAllowed { .. })
    ));
    let inform = Action::Inform {
        text: "Het lesrooster van 10 november.".into(),
        enclosures: vec![crate::domain::Enclosure {
            filename: "rooster.txt".into(),
            content_type: "text/plain".into(),
            data: b"09:00 start".to_vec(),
        }],
    };
    let change = apply(case(State::AwaitingInformation), &inform, &l, &cal, now).unwrap();
    assert_eq!(
        change.case.as_ref().unwrap().state,
        State::AwaitingInformation
    );
    assert_eq!(change.outgoing[0].kind, LetterKind::Information);
    assert!(body(&change).contains("Het lesrooster van 10 november."));
    assert!(String::from_utf8_lossy(&change.outgoing[0].raw).contains("rooster.txt"));
    assert!(matches!(
        apply(case(State::Decided), &inform, &l, &cal, now),
        Err(ActionError::NotAllowed { .. })
    ));
}
