//! `klachtd case KL-... ACTION`: the owner acts on a case. The command line's grammar of
//! actions (their names and options) is here; what an action does is
//! `klachtd::procedure::actions`.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::{NaiveDate, NaiveTime};
use klachtd::config::Config;
use klachtd::control::{Acted, Request, Response};
use klachtd::domain::CaseNumber;
use klachtd::procedure::actions::{Action, ActionWords};

/// The names of the actions on the command line, in the order of the procedure.
pub use klachtd::procedure::actions::ACTION_NAMES;

/// What the owner typed after the case number.
pub struct Words {
    pub action: String,
    pub text: Option<String>,
    pub text_file: Option<PathBuf>,
    pub until: Option<NaiveDate>,
    pub at: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub force: bool,
}

pub fn run(config: &Config, number: CaseNumber, words: Words) -> anyhow::Result<()> {
    let text = match (words.text, words.text_file) {
        (Some(t), _) => t,
        (None, Some(f)) => {
            std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?
        }
        (None, None) => read_stdin()?,
    };
    let action = parse(
        &words.action,
        text,
        words.until,
        words.at,
        words.time,
        words.force,
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    let (answer, via_daemon) = super::ask_via(config, &Request::Act { number, action })?;
    match answer {
        Response::Acted(acted) => print_acted(&acted, via_daemon),
        other => return Err(super::unexpected(&other)),
    }
    Ok(())
}

/// Builds an action from the command line's words (the core's one builder,
/// [`Action::build`], after the checks of the options).
pub fn parse(
    name: &str,
    text: String,
    until: Option<NaiveDate>,
    at: Option<NaiveDate>,
    time: Option<NaiveTime>,
    force: bool,
) -> Result<Action, String> {
    if until.is_some() && name != "extend" {
        return Err(format!("--until is only for extend, not for {name}"));
    }
    if at.is_some() && !matches!(name, "hearing" | "invite") {
        return Err(format!(
            "--at is only for hearing and invite, not for {name}"
        ));
    }
    if time.is_some() && name != "invite" {
        return Err(format!("--time is only for invite, not for {name}"));
    }
    if force && name != "extend" {
        return Err(format!("--force is only for extend, not for {name}"));
    }
    match name {
        "extend" if until.is_none() => {
            return Err(
                "extend needs --until YYYY-MM-DD: the date the complainant can expect \
                        the decision (art. 5.1)"
                    .into(),
            );
        }
        "invite" if at.is_none() || time.is_none() => {
            return Err(
                "invite needs --at YYYY-MM-DD and --time HH:MM: the proposed moment \
                        of the conversation (art. 4.3)"
                    .into(),
            );
        }
        _ => {}
    }
    Action::build(
        name,
        ActionWords {
            text,
            date: until.or(at),
            time,
            force,
        },
    )
}

/// The owner's text from stdin (with a prompt when it is a terminal).
fn read_stdin() -> anyhow::Result<String> {
    use std::io::{IsTerminal, Read};
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Type the text (empty if none), then Ctrl-D on a line of its own:");
    }
    let mut text = String::new();
    stdin
        .read_to_string(&mut text)
        .context("reading the text from stdin")?;
    Ok(text)
}

fn print_acted(acted: &Acted, via_daemon: bool) {
    println!(
        "{}: {} done; the case is now {}.",
        acted.number, acted.action, acted.state
    );
    if acted.extended_to.is_some() {
        println!("The decision is due by {}.", acted.decide_by);
    }
    let letters: Vec<&str> = acted.letters.iter().map(|k| k.key()).collect();
    if !letters.is_empty() {
        if via_daemon {
            println!(
                "Letter queued to the complainant ({}): the running daemon sends it shortly.",
                letters.join(", ")
            );
        } else {
            println!(
                "Letter queued to the complainant ({}). No daemon is running: it stays in the \
                 outbox and goes out with the next `klachtd run` (or `klachtd run --once`).",
                letters.join(", ")
            );
        }
    }
    if acted.letter_missing {
        println!(
            "WARNING: the complainant has no usable e-mail address: the {} was NOT sent. \
             Send it another way; the case's log says so.",
            acted.letter_expected.map_or("?", |k| k.key())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn actions_from_the_command_line() {
        assert!(parse("extend", String::new(), None, None, None, false).is_err());
        assert!(
            parse(
                "note",
                String::new(),
                Some(d(2026, 1, 1)),
                None,
                None,
                false
            )
            .is_err()
        );
        assert!(
            parse(
                "note",
                String::new(),
                None,
                Some(d(2026, 1, 1)),
                None,
                false
            )
            .is_err()
        );
        assert!(parse("decide", String::new(), None, None, None, true).is_err());
        assert!(parse("reopen", String::new(), None, None, None, false).is_err());
        assert!(
            parse(
                "invite",
                String::new(),
                None,
                Some(d(2026, 1, 1)),
                None,
                false
            )
            .is_err()
        );
        let two = NaiveTime::from_hms_opt(14, 0, 0);
        assert!(parse("note", String::new(), None, None, two, false).is_err());
        for name in ACTION_NAMES {
            let until = (name == "extend").then(|| d(2026, 12, 1));
            let at = (name == "invite").then(|| d(2026, 12, 1));
            let time = (name == "invite").then_some(two).flatten();
            let a = parse(name, "x".into(), until, at, time, false).unwrap();
            // The command line names each action as the procedure does.
            assert_eq!(a.name(), name);
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), a);
        }
        let heard = parse(
            "hearing",
            "x".into(),
            None,
            Some(d(2026, 11, 9)),
            None,
            false,
        )
        .unwrap();
        assert_eq!(
            heard,
            Action::Hearing {
                at: Some(d(2026, 11, 9)),
                text: "x".into()
            }
        );
    }
}
