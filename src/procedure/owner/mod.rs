//! The owner's commands by mail (issue 11): who may act (an owner address, authenticated
//! by our receiving server, with an unused token of the case), what she may say, and
//! what every mail to her offers to do.
//!
//! Pure: `authres` reads Authentication-Results, `token` makes and checks the tokens,
//! `command` reads her first line. The registry (glue) puts them together with the
//! store.

pub mod authres;
pub mod command;
pub mod token;

use chrono::{DateTime, NaiveDate, Utc};

use crate::cases::Case;
use crate::procedure::actions::{Action, ActionWords, next_state};
use token::{Scope, TokenKey};

/// What the owner's commands need, from `[owner_commands]`.
#[derive(Debug, Clone)]
pub struct OwnerCommands {
    pub policy: authres::AuthPolicy,
    pub key: TokenKey,
    /// How long a token is valid, in days (30 by default).
    pub token_days: u32,
}

/// The commands that make sense for `case` in its state, each with an example line:
/// what every mail to the owner about the case ends with.
pub fn commands_for(case: &Case, today: NaiveDate) -> Vec<(&'static str, String)> {
    let mut out = vec![("status", "status".to_string())];
    let later = today + chrono::Duration::days(14);
    let date = |d: NaiveDate| format!("{}-{}", d.format("%-d"), d.format("%-m"));
    for name in crate::procedure::actions::ACTION_NAMES {
        let words = ActionWords {
            text: "x".into(),
            date: matches!(name, "extend" | "invite").then_some(later),
            time: (name == "invite").then_some(chrono::NaiveTime::MIN),
            force: false,
        };
        let Ok(action) = Action::build(name, words) else {
            continue;
        };
        if next_state(case, &action).is_err() {
            continue;
        }
        if matches!(action, Action::HearingReport { .. }) && case.hearing_at.is_none() {
            continue;
        }
        let word = command::dutch_word(name);
        let example = match name {
            "note" => format!("{word}  (en op de regels eronder uw notitie)"),
            "invite" => format!(
                "{word} {} 14:00  (en eronder: waar, of dat u belt)",
                date(later)
            ),
            "inform" => format!("{word}  (en eronder de informatie voor de klager)"),
            "hearing" => format!("{word} {}  (de dag van het gesprek)", date(today)),
            "report" => format!("{word}  (en eronder het verslag)"),
            "extend" => format!("{word} {}  (en eronder de reden)", date(later)),
            "decide" => {
                format!("{word}  (en eronder Bevindingen:, Conclusies:, Reacties:, Afhandeling:)")
            }
            "withdraw" => format!("{word}  (en eronder de redenen)"),
            "close" => format!("{word}  (en eronder de uitkomst)"),
            "decline-late" => format!("{word}  (en eronder de redenen)"),
            _ => word.to_string(),
        };
        out.push((word, example));
    }
    out
}

/// The end of a mail to the owner about `case`: the commands, an example, and a fresh
/// token (for the body), and that token (for the subject). `nonce` tells this mail's
/// token from others of the same day.
pub fn footer(
    commands: &OwnerCommands,
    case: Option<&Case>,
    now: DateTime<Utc>,
    nonce: u64,
) -> (String, String) {
    let today = crate::rules::calendar::local_date(now);
    match case {
        Some(case) => {
            let code = token::issue(
                &commands.key,
                Scope::Case(case.number),
                now,
                commands.token_days,
                nonce,
            );
            let mut s = String::from(
                "Opdracht per e-mail: antwoord op deze e-mail met de opdracht op de eerste \
                 regel (laat de code hieronder staan).\n",
            );
            if !case.state.is_open() {
                s.push_str("Deze zaak is afgesloten; alleen een notitie is nog mogelijk.\n");
            }
            for (_, example) in commands_for(case, today) {
                s.push_str(&format!("  {example}\n"));
            }
            s.push_str(&format!("Code: {code}\n"));
            (s, code)
        }
        None => {
            let code = token::issue(
                &commands.key,
                Scope::Overview,
                now,
                commands.token_days,
                nonce,
            );
            let text = format!(
                "Opdracht per e-mail: antwoord met `overzicht` op de eerste regel voor dit \
                 overzicht van nu; voor een zaak antwoordt u op een e-mail over die zaak.\n\
                 Code: {code}\n"
            );
            (text, code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::State;
    use crate::letters::sample_case;

    fn words(state: State, heard: bool) -> Vec<&'static str> {
        let mut case = sample_case();
        case.missing.clear();
        case.state = state;
        if heard {
            case.hearing_at = Some(case.sent_date);
        }
        let today = crate::rules::calendar::local_date(case.received);
        commands_for(&case, today)
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn the_commands_that_make_sense_in_each_state() {
        let handling = words(State::Acknowledged, false);
        for w in [
            "status",
            "notitie",
            "uitnodiging",
            "informatie",
            "hoorzitting",
            "verlengen",
            "besluit",
            "ingetrokken",
        ] {
            assert!(handling.contains(&w), "{w}: {handling:?}");
        }
        // The report only after a hearing; closing only after the decision.
        assert!(!handling.contains(&"verslag"));
        assert!(!handling.contains(&"afronden"));
        assert!(words(State::HearingHeld, true).contains(&"verslag"));
        assert_eq!(
            words(State::Decided, false),
            ["status", "notitie", "afronden", "commissie"]
        );
        assert_eq!(
            words(State::Late, false),
            [
                "status",
                "notitie",
                "ingetrokken",
                "late-accepteren",
                "late-afwijzen"
            ]
        );
        assert_eq!(words(State::Closed, false), ["status", "notitie"]);
    }

    #[test]
    fn the_footer_carries_a_token_of_the_case() {
        let commands = OwnerCommands {
            policy: authres::AuthPolicy::default(),
            key: TokenKey::new([1; 32]),
            token_days: 30,
        };
        let case = sample_case();
        let (text, code) = footer(&commands, Some(&case), case.received, 3);
        assert!(text.contains(&format!("Code: {code}")));
        let found = token::find(&text);
        assert_eq!(found.len(), 1);
        let t = token::verify(&commands.key, found[0], case.received).unwrap();
        assert_eq!(t.scope, Scope::Case(case.number));
        assert!(text.contains("besluit"), "{text}");
        let (digest, _) = footer(&commands, None, case.received, 3);
        let t = token::verify(&commands.key, token::find(&digest)[0], case.received).unwrap();
        assert_eq!(t.scope, Scope::Overview);
    }
}
