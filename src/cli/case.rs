//! `klachtd case KL-... ACTION`: the owner acts on a case. The command line's grammar of
//! actions (their names and options) is here; what an action does is
//! `klachtd::procedure::actions`.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::NaiveDate;
use klachtd::config::Config;
use klachtd::control::{Acted, Request, Response};
use klachtd::domain::CaseNumber;
use klachtd::procedure::actions::Action;

/// The names of the actions on the command line, in the order of the procedure.
pub const ACTION_NAMES: [&str; 10] = [
    "note",
    "hearing",
    "report",
    "extend",
    "decide",
    "withdraw",
    "close",
    "refer",
    "accept-late",
    "decline-late",
];

/// What the owner typed after the case number.
pub struct Words {
    pub action: String,
    pub text: Option<String>,
    pub text_file: Option<PathBuf>,
    pub until: Option<NaiveDate>,
    pub at: Option<NaiveDate>,
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
    let action = parse(&words.action, text, words.until, words.at, words.force)
        .map_err(|e| anyhow::anyhow!(e))?;
    let (answer, via_daemon) = super::ask_via(config, &Request::Act { number, action })?;
    match answer {
        Response::Acted(acted) => print_acted(&acted, via_daemon),
        other => return Err(super::unexpected(&other)),
    }
    Ok(())
}

/// Builds an action from the command line's words.
pub fn parse(
    name: &str,
    text: String,
    until: Option<NaiveDate>,
    at: Option<NaiveDate>,
    force: bool,
) -> Result<Action, String> {
    if until.is_some() && name != "extend" {
        return Err(format!("--until is only for extend, not for {name}"));
    }
    if at.is_some() && name != "hearing" {
        return Err(format!("--at is only for hearing, not for {name}"));
    }
    if force && name != "extend" {
        return Err(format!("--force is only for extend, not for {name}"));
    }
    Ok(match name {
        "note" => Action::Note { text },
        "hearing" => Action::Hearing { at, text },
        "report" => Action::HearingReport { text },
        "extend" => Action::Extend {
            until: until.ok_or(
                "extend needs --until YYYY-MM-DD: the date the complainant can expect the \
                 decision (art. 5.1)",
            )?,
            text,
            force,
        },
        "decide" => Action::Decide { text },
        "withdraw" => Action::Withdraw { text },
        "close" => Action::Close { text },
        "refer" => Action::Refer { text },
        "accept-late" => Action::AcceptLate { text },
        "decline-late" => Action::DeclineLate { text },
        other => {
            return Err(format!(
                "unknown action {other:?}: one of {}",
                ACTION_NAMES.join(", ")
            ));
        }
    })
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
        assert!(parse("extend", String::new(), None, None, false).is_err());
        assert!(parse("note", String::new(), Some(d(2026, 1, 1)), None, false).is_err());
        assert!(parse("note", String::new(), None, Some(d(2026, 1, 1)), false).is_err());
        assert!(parse("decide", String::new(), None, None, true).is_err());
        assert!(parse("reopen", String::new(), None, None, false).is_err());
        for name in ACTION_NAMES {
            let until = (name == "extend").then(|| d(2026, 12, 1));
            let a = parse(name, "x".into(), until, None, false).unwrap();
            // The command line names each action as the procedure does.
            assert_eq!(a.name(), name);
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), a);
        }
        let heard = parse("hearing", "x".into(), None, Some(d(2026, 11, 9)), false).unwrap();
        assert_eq!(
            heard,
            Action::Hearing {
                at: Some(d(2026, 11, 9)),
                text: "x".into()
            }
        );
    }
}
