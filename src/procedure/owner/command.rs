//! The grammar of the owner's commands by mail: the first non-empty line of her new text
//! is the command, Dutch words with English aliases; the rest of her new text (quotes
//! removed by the parser, the signature by the reader of complaints) is her text.
//!
//! Every command that acts on a case becomes the same [`Action`] the command line
//! builds ([`Action::build`]), so it runs the same checks and writes the same letters.
//! A date is read as she would type it: `12-1`, `12/1`, `12 januari`, `12 jan 2027`,
//! `2027-01-12`; without a year, the next such day (the last one, for a hearing that was
//! held). A time: `14:00`, `14.30`, `14u`, `14u30`.
//!
//! Pure: "today" is an argument.

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::domain::CaseNumber;
use crate::intake::dates::month_number;
use crate::intake::extract::without_signature;
use crate::procedure::actions::{Action, ActionWords};

/// What the owner asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The case as it stands, by mail.
    Status,
    /// The digest of open cases, now.
    Overview,
    /// An action on the case, as the command line has it.
    Act(Action),
}

/// A command, and the case it names (if the line names one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailCommand {
    pub case: Option<CaseNumber>,
    pub command: Command,
}

/// What the first line of her mail says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// No command word: a "thanks", a forward.
    Nothing,
    Command(MailCommand),
    /// A command word, but the rest could not be read: why (for her, no personal data).
    Invalid(String),
}

/// The command words: (Dutch, the action's name or `status` / `overview`, aliases).
pub const WORDS: &[(&str, &str, &[&str])] = &[
    ("status", "status", &["stand"]),
    ("overzicht", "overview", &["digest"]),
    ("notitie", "note", &["aantekening"]),
    ("uitnodiging", "invite", &["uitnodigen", "invitation"]),
    ("informatie", "inform", &["information", "info"]),
    ("hoorzitting", "hearing", &["gehoord"]),
    ("verslag", "report", &[]),
    ("verlengen", "extend", &["verlenging", "extension"]),
    ("besluit", "decide", &["beslissing", "decision"]),
    ("ingetrokken", "withdraw", &["intrekken", "withdrawn"]),
    ("afronden", "close", &["afsluiten"]),
    ("commissie", "refer", &["referred"]),
    ("late-accepteren", "accept-late", &["laat-accepteren"]),
    ("late-afwijzen", "decline-late", &["laat-afwijzen"]),
];

/// The Dutch command word of an action's name (`decide` -> `besluit`).
pub fn dutch_word(name: &str) -> &'static str {
    WORDS
        .iter()
        .find(|(_, n, _)| *n == name)
        .map_or("", |(nl, _, _)| nl)
}

fn name_of(word: &str) -> Option<&'static str> {
    let w = word
        .trim_end_matches([':', '.', ',', '!'])
        .to_lowercase()
        .replace('_', "-");
    WORDS
        .iter()
        .find(|(nl, en, aliases)| *nl == w || *en == w || aliases.contains(&w.as_str()))
        .map(|(_, en, _)| *en)
}

/// Which way a date without a year is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toward {
    /// The next such day, today included (an invitation, an extension).
    Future,
    /// The last such day, today included (a hearing that was held).
    Past,
}

/// A date at the start of `words`, and how many words it took.
pub fn read_date(words: &[&str], today: NaiveDate, toward: Toward) -> Option<(NaiveDate, usize)> {
    let first = words.first()?.trim_end_matches([',', '.']);
    let pick = |day: u32, month: u32, year: Option<i32>| -> Option<NaiveDate> {
        if let Some(y) = year {
            return NaiveDate::from_ymd_opt(y, month, day);
        }
        let this = NaiveDate::from_ymd_opt(today.year(), month, day);
        match toward {
            Toward::Future => this
                .filter(|d| *d >= today)
                .or_else(|| NaiveDate::from_ymd_opt(today.year() + 1, month, day)),
            Toward::Past => this
                .filter(|d| *d <= today)
                .or_else(|| NaiveDate::from_ymd_opt(today.year() - 1, month, day)),
        }
    };
    if let Ok(d) = NaiveDate::parse_from_str(first, "%Y-%m-%d") {
        return Some((d, 1));
    }
    let nums: Vec<&str> = first.split(['-', '/']).collect();
    if nums.len() >= 2
        && nums.len() <= 3
        && nums
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
    {
        let day = nums[0].parse().ok()?;
        let month = nums[1].parse().ok()?;
        let year = match nums.get(2) {
            Some(y) if y.len() == 2 => Some(2000 + y.parse::<i32>().ok()?),
            Some(y) => Some(y.parse().ok()?),
            None => None,
        };
        return pick(day, month, year).map(|d| (d, 1));
    }
    // "12 januari", "12 jan. 2027"
    let day: u32 = first.parse().ok()?;
    let month = month_number(words.get(1)?.trim_end_matches(','))?;
    let year = words
        .get(2)
        .and_then(|y| y.trim_end_matches([',', '.']).parse::<i32>().ok())
        .filter(|y| (2000..2200).contains(y));
    pick(day, month, year).map(|d| (d, if year.is_some() { 3 } else { 2 }))
}

/// A time at the start of `words` (`om` skipped), and how many words it took.
pub fn read_time(words: &[&str]) -> Option<(NaiveTime, usize)> {
    let (skip, word) = match words.first() {
        Some(w) if w.eq_ignore_ascii_case("om") || w.eq_ignore_ascii_case("at") => {
            (1, *words.get(1)?)
        }
        Some(w) => (0, *w),
        None => return None,
    };
    let w = word.to_lowercase();
    let w = w
        .trim_end_matches([',', '.'])
        .trim_end_matches("uur")
        .trim();
    let (h, m) = match w.split_once([':', '.', 'u', 'h']) {
        Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
        None => (w, "0"),
    };
    if h.is_empty()
        || !h.chars().all(|c| c.is_ascii_digit())
        || !m.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let time = NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)?;
    Some((time, skip + 1))
}

/// Lines a phone adds under a mail ("Verstuurd vanaf mijn iPhone").
fn is_device_line(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    [
        "verstuurd vanaf",
        "verzonden vanaf",
        "verzonden met",
        "sent from",
        "get outlook",
    ]
    .iter()
    .any(|p| l.starts_with(p))
}

/// Reads the command in `text` (her new text, quotes removed) at `today`.
pub fn read(text: &str, today: NaiveDate) -> Read {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let Some(first) = lines.next() else {
        return Read::Nothing;
    };
    let rest: Vec<&str> = lines.filter(|l| !is_device_line(l)).collect();
    let mut words: Vec<&str> = first.split_whitespace().collect();
    let mut case = None;
    if let Some(i) = words
        .iter()
        .position(|w| {
            w.trim_matches(['[', ']', ':', ','])
                .parse::<CaseNumber>()
                .is_ok()
        })
        .filter(|i| *i <= 1)
    {
        case = words[i].trim_matches(['[', ']', ':', ',']).parse().ok();
        words.remove(i);
    }
    let Some(name) = words.first().and_then(|w| name_of(w)) else {
        return Read::Nothing;
    };
    let args = &words[1..];
    let command = |command| Read::Command(MailCommand { case, command });
    match name {
        "status" => return command(Command::Status),
        "overview" => return command(Command::Overview),
        _ => {}
    }
    let mut at = 0;
    let mut date = None;
    let mut time = None;
    let dutch = dutch_word(name);
    match name {
        "invite" | "extend" => match read_date(args, today, Toward::Future) {
            Some((d, n)) => {
                date = Some(d);
                at = n;
            }
            None => {
                return Read::Invalid(format!(
                    "{dutch} verwacht een datum, bijvoorbeeld: {dutch} 12-1{}",
                    if name == "invite" { " 14:00" } else { "" }
                ));
            }
        },
        "hearing" => {
            if let Some((d, n)) = read_date(args, today, Toward::Past) {
                date = Some(d);
                at = n;
            }
        }
        _ => {}
    }
    if name == "invite" {
        match read_time(&args[at..]) {
            Some((t, n)) => {
                time = Some(t);
                at += n;
            }
            None => {
                return Read::Invalid(format!(
                    "{dutch} verwacht een datum en een tijd, bijvoorbeeld: {dutch} 12-1 14:00"
                ));
            }
        }
    }
    // What follows on the first line belongs to her text.
    let mut own: Vec<String> = Vec::new();
    let tail = args[at..].join(" ");
    if !tail.trim().is_empty() {
        own.push(tail);
    }
    // Above a signature delimiter; then without the closing and signature as the reader
    // of complaints finds them, unless that leaves nothing (a short line of text alone
    // reads to it like a name under a mail).
    let above: Vec<&str> = rest
        .iter()
        .copied()
        .take_while(|l| l.trim_end() != "--")
        .collect();
    let above = above.join("\n");
    let body = match without_signature(&above) {
        b if b.is_empty() => above.trim().to_string(),
        b => b,
    };
    if !body.is_empty() {
        own.push(body);
    }
    let words = ActionWords {
        text: own.join("\n"),
        date,
        time,
        force: false,
    };
    match Action::build(name, words) {
        Ok(action) => command(Command::Act(action)),
        Err(e) => Read::Invalid(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 1);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    fn act(text: &str) -> Action {
        match read(text, today()) {
            Read::Command(MailCommand {
                command: Command::Act(a),
                ..
            }) => a,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn dates_as_she_types_them() {
        let fut = |s: &str| {
            read_date(
                &s.split_whitespace().collect::<Vec<_>>(),
                today(),
                Toward::Future,
            )
            .map(|(d, _)| d)
        };
        assert_eq!(fut("12-1"), Some(d(2027, 1, 12)));
        assert_eq!(fut("12/1"), Some(d(2027, 1, 12)));
        assert_eq!(fut("12 januari"), Some(d(2027, 1, 12)));
        assert_eq!(fut("12 jan. 2027"), Some(d(2027, 1, 12)));
        assert_eq!(fut("2027-01-12"), Some(d(2027, 1, 12)));
        assert_eq!(fut("12-1-2027"), Some(d(2027, 1, 12)));
        assert_eq!(fut("15-12"), Some(d(2026, 12, 15)));
        assert_eq!(fut("1 december"), Some(d(2026, 12, 1)));
        assert_eq!(fut("31-2"), None);
        assert_eq!(fut("morgen"), None);
        let past = read_date(&["28-11"], today(), Toward::Past).map(|(d, _)| d);
        assert_eq!(past, Some(d(2026, 11, 28)));
        let past = read_date(&["5-12"], today(), Toward::Past).map(|(d, _)| d);
        assert_eq!(past, Some(d(2025, 12, 5)));
        let t = |s: &str| read_time(&s.split_whitespace().collect::<Vec<_>>()).map(|(t, _)| t);
        let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(t("14:00"), hm(14, 0));
        assert_eq!(t("14.30"), hm(14, 30));
        assert_eq!(t("om 9u"), hm(9, 0));
        assert_eq!(t("14u30"), hm(14, 30));
        assert_eq!(t("25:00"), None);
        assert_eq!(t("bij"), None);
    }

    #[test]
    fn every_command_in_dutch_and_english() {
        assert_eq!(
            act(
                "notitie\nGebeld met de klager.\n\nMet vriendelijke groet,\nFatima\n\nVerstuurd vanaf mijn iPhone"
            ),
            Action::Note {
                text: "Gebeld met de klager.".into()
            }
        );
        assert_eq!(
            act("Note: called her back"),
            Action::Note {
                text: "called her back".into()
            }
        );
        assert_eq!(
            act("uitnodiging 12 januari om 14:00\nOp ons kantoor, Dorpsstraat 1."),
            Action::Invite {
                at: d(2027, 1, 12),
                time: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
                text: "Op ons kantoor, Dorpsstraat 1.".into()
            }
        );
        assert_eq!(
            act("informatie\nDe lesrooster."),
            Action::Inform {
                text: "De lesrooster.".into(),
                enclosures: Vec::new(),
            }
        );
        assert_eq!(
            act("hoorzitting 28-11"),
            Action::Hearing {
                at: Some(d(2026, 11, 28)),
                text: String::new()
            }
        );
        assert_eq!(
            act("hearing"),
            Action::Hearing {
                at: None,
                text: String::new()
            }
        );
        assert_eq!(
            act("Verlengen 2027-01-12\nMeer tijd nodig."),
            Action::Extend {
                until: d(2027, 1, 12),
                text: "Meer tijd nodig.".into(),
                force: false
            }
        );
        for (word, name) in [
            ("verslag", "report"),
            ("besluit", "decide"),
            ("decision", "decide"),
            ("ingetrokken", "withdraw"),
            ("afronden", "close"),
            ("commissie", "refer"),
            ("late-accepteren", "accept-late"),
            ("accept-late", "accept-late"),
            ("late-afwijzen", "decline-late"),
        ] {
            assert_eq!(act(&format!("{word}\ntekst")).name(), name, "{word}");
            assert_eq!(act(&format!("{word}\ntekst")).text(), "tekst");
        }
        assert_eq!(
            read("\n\n  Status  \n", today()),
            Read::Command(MailCommand {
                case: None,
                command: Command::Status
            })
        );
        assert_eq!(
            read("KL-2026-0003 overzicht", today()),
            Read::Command(MailCommand {
                case: Some(CaseNumber { year: 2026, seq: 3 }),
                command: Command::Overview
            })
        );
    }

    #[test]
    fn no_command_and_bad_arguments() {
        assert_eq!(read("Dank je wel!\n", today()), Read::Nothing);
        // A short text alone is her text, not a signature.
        assert_eq!(
            act("notitie\nIets.\n-- \nFatima"),
            Action::Note {
                text: "Iets.".into()
            }
        );
        assert_eq!(read("", today()), Read::Nothing);
        assert_eq!(read("wissen KL-2026-0001", today()), Read::Nothing);
        assert!(matches!(read("verlengen", today()), Read::Invalid(_)));
        assert!(matches!(
            read("uitnodiging 12-1", today()),
            Read::Invalid(_)
        ));
        assert!(matches!(
            read("uitnodiging morgen 14:00", today()),
            Read::Invalid(_)
        ));
    }
}
