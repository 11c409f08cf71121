//! Month and weekday names in Dutch and English, the one place both readers of dates use:
//! `parse` for the dates of quoted and forwarded headers and attribution lines ("Op di
//! 3 nov. 2026 om 10:12 schreef ..."), `extract` for the date of the facts ("op 3 mrt",
//! "afgelopen dinsdag").
//!
//! Full names and abbreviations, with or without a dot at the end, in any case. Pure.

use chrono::Weekday;

/// The months, January first: the Dutch and the English name.
const MONTHS: [(&str, &str); 12] = [
    ("januari", "january"),
    ("februari", "february"),
    ("maart", "march"),
    ("april", "april"),
    ("mei", "may"),
    ("juni", "june"),
    ("juli", "july"),
    ("augustus", "august"),
    ("september", "september"),
    ("oktober", "october"),
    ("november", "november"),
    ("december", "december"),
];

/// The days of the week, Monday first: the Dutch and the English name, and the Dutch
/// two-letter abbreviation ("di 3 nov.").
const WEEKDAYS: [(&str, &str, &str, Weekday); 7] = [
    ("maandag", "monday", "ma", Weekday::Mon),
    ("dinsdag", "tuesday", "di", Weekday::Tue),
    ("woensdag", "wednesday", "wo", Weekday::Wed),
    ("donderdag", "thursday", "do", Weekday::Thu),
    ("vrijdag", "friday", "vr", Weekday::Fri),
    ("zaterdag", "saturday", "za", Weekday::Sat),
    ("zondag", "sunday", "zo", Weekday::Sun),
];

/// The spellings of a month that count in running text (the date of the facts), as a
/// regex alternation, the longer spelling of a month first. Every one is read by
/// [`month_number`].
pub(super) const MONTH_WORDS: &str = "januari|january|jan|februari|february|febr|feb|maart|march|mrt|mar|april|apr|mei|may|juni|june|jun|juli|july|jul|augustus|august|aug|september|sept|sep|oktober|october|okt|oct|november|nov|december|dec";

/// English month names and abbreviations, capitalised, as a regex alternation (for
/// "November 3, 2026", which needs the capital so that Dutch prose does not trigger it).
/// Every one is read by [`month_number`].
pub(super) const ENGLISH_MONTH_WORDS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";

/// The weekday names that count in running text, as a regex alternation. Every one is
/// read by [`weekday`].
pub(super) const WEEKDAY_WORDS: &str = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag";

/// The German names of the days, Monday first, read in full only ("die" is no Tuesday).
const GERMAN_WEEKDAYS: [&str; 7] = [
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
];

/// The month (1 to 12) a word names, in Dutch or English: the full name ("november"), an
/// abbreviation of at least three letters ("nov", "sept", "febr", "okt", "oct"), or "mrt";
/// any case, dots at the end ignored. A word that starts with a full name ("novembers")
/// is that month too.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    if w.len() < 3 || !w.chars().all(char::is_alphabetic) {
        return None;
    }
    if w == "mrt" {
        return Some(3);
    }
    MONTHS
        .iter()
        .zip(1..)
        .find(|((nl, en), _)| {
            nl.starts_with(w) || en.starts_with(w) || w.starts_with(nl) || w.starts_with(en)
        })
        .map(|(_, n)| n)
}

/// The day of the week a word names, in Dutch or English: a word whose first three letters
/// are those of the name ("dinsdag", "din", "tuesday", "tue", "tues", "thurs"), or the
/// Dutch two-letter abbreviation ("di"); in German the full name ("Dienstag",
/// "Sonnabend"); any case, dots at the end ignored.
pub(super) fn weekday(word: &str) -> Option<Weekday> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    if w == "sonnabend" {
        return Some(Weekday::Sat);
    }
    if let Some(k) = GERMAN_WEEKDAYS.iter().position(|de| w == *de) {
        return WEEKDAYS.get(k).map(|&(_, _, _, day)| day);
    }
    let first3 = w.get(..3);
    WEEKDAYS
        .iter()
        .find(|(nl, en, short, _)| {
            w == *short || first3.is_some_and(|p| nl.starts_with(p) || en.starts_with(p))
        })
        .map(|&(_, _, _, day)| day)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of a regex alternation.
    fn words(alternation: &str) -> Vec<&str> {
        alternation.split('|').collect()
    }

    /// `word`, with a dot, in capitals and capitalised.
    fn spellings(word: &str) -> Vec<String> {
        let mut cap = word.to_string();
        cap[..1].make_ascii_uppercase();
        vec![
            word.to_string(),
            format!("{word}."),
            word.to_uppercase(),
            format!("{}.", word.to_uppercase()),
            cap.clone(),
            format!("{cap}."),
        ]
    }

    #[test]
    fn every_month_name_and_abbreviation() {
        let full = [
            ("januari", "january", 1),
            ("februari", "february", 2),
            ("maart", "march", 3),
            ("april", "april", 4),
            ("mei", "may", 5),
            ("juni", "june", 6),
            ("juli", "july", 7),
            ("augustus", "august", 8),
            ("september", "september", 9),
            ("oktober", "october", 10),
            ("november", "november", 11),
            ("december", "december", 12),
        ];
        // What the header and attribution dates read: the full name and every
        // abbreviation of at least three letters ("jan", "janu", ..., "septemb").
        for (nl, en, n) in full {
            for name in [nl, en] {
                for len in 3..=name.len() {
                    for s in spellings(&name[..len]) {
                        assert_eq!(month_number(&s), Some(n), "{s}");
                    }
                }
            }
        }
        // What the date of the facts read: these spellings, in any case, with a dot.
        let free_text = [
            ("januari", 1),
            ("january", 1),
            ("jan", 1),
            ("februari", 2),
            ("february", 2),
            ("febr", 2),
            ("feb", 2),
            ("maart", 3),
            ("march", 3),
            ("mrt", 3),
            ("mar", 3),
            ("april", 4),
            ("apr", 4),
            ("mei", 5),
            ("may", 5),
            ("juni", 6),
            ("june", 6),
            ("jun", 6),
            ("juli", 7),
            ("july", 7),
            ("jul", 7),
            ("augustus", 8),
            ("august", 8),
            ("aug", 8),
            ("september", 9),
            ("sept", 9),
            ("sep", 9),
            ("oktober", 10),
            ("october", 10),
            ("okt", 10),
            ("oct", 10),
            ("november", 11),
            ("nov", 11),
            ("december", 12),
            ("dec", 12),
        ];
        for (word, n) in free_text {
            for s in spellings(word) {
                assert_eq!(month_number(&s), Some(n), "{s}");
            }
        }
        // The patterns of the date of the facts hold exactly these spellings.
        assert_eq!(
            words(MONTH_WORDS),
            free_text.iter().map(|(w, _)| *w).collect::<Vec<_>>()
        );
        for word in words(ENGLISH_MONTH_WORDS) {
            let lower = word.to_lowercase();
            let want = free_text.iter().find(|(w, _)| *w == lower).map(|(_, n)| *n);
            assert!(want.is_some(), "{word}");
            assert_eq!(month_number(word), want, "{word}");
        }
        // Read as before by the header dates: "mrt", more dots, a word that starts with
        // a full name.
        assert_eq!(month_number("mrt"), Some(3));
        assert_eq!(month_number("nov.."), Some(11));
        assert_eq!(month_number("novembers"), Some(11));
        for no in [
            "", ".", "ma", "ju", "ja.", "mars", "juno", "jaar", "nov2026", "3", "03", "n-o-v",
            "gisteren", "dinsdag",
        ] {
            assert_eq!(month_number(no), None, "{no}");
        }
    }

    #[test]
    fn every_weekday_name_and_abbreviation() {
        let days = [
            ("maandag", "monday", "ma", Weekday::Mon),
            ("dinsdag", "tuesday", "di", Weekday::Tue),
            ("woensdag", "wednesday", "wo", Weekday::Wed),
            ("donderdag", "thursday", "do", Weekday::Thu),
            ("vrijdag", "friday", "vr", Weekday::Fri),
            ("zaterdag", "saturday", "za", Weekday::Sat),
            ("zondag", "sunday", "zo", Weekday::Sun),
        ];
        for (nl, en, short, day) in days {
            // The full names (what the date of the facts reads) and every abbreviation
            // from three letters on; the Dutch two-letter one.
            for name in [nl, en] {
                for len in 3..=name.len() {
                    for s in spellings(&name[..len]) {
                        assert_eq!(weekday(&s), Some(day), "{s}");
                    }
                }
            }
            for s in spellings(short) {
                assert_eq!(weekday(&s), Some(day), "{s}");
            }
        }
        for (word, day) in [
            ("tues", Weekday::Tue),
            ("weds", Weekday::Wed),
            ("thur", Weekday::Thu),
            ("thurs", Weekday::Thu),
            ("vrij", Weekday::Fri),
            ("dinsdagavond", Weekday::Tue),
            ("Montag", Weekday::Mon),
            ("Dienstag", Weekday::Tue),
            ("mittwoch", Weekday::Wed),
            ("Donnerstag", Weekday::Thu),
            ("Freitag", Weekday::Fri),
            ("Samstag", Weekday::Sat),
            ("Sonnabend", Weekday::Sat),
            ("Sonntag", Weekday::Sun),
        ] {
            assert_eq!(weekday(word), Some(day), "{word}");
        }
        for word in words(WEEKDAY_WORDS) {
            assert!(weekday(word).is_some(), "{word}");
        }
        for no in [
            "", ".", "m", "d.", "week", "vandaag", "gisteren", "3", "die", "mit",
        ] {
            assert_eq!(weekday(no), None, "{no}");
        }
    }
}
