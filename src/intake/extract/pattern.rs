//! The reader's patterns compiled: one way for the built-in ones ([`re`]) and the
//! lexicon's words ([`word`]).
//!
//! Why the rewrite before compiling: a Unicode class (`\w`, `\d`, `\p{L}`) holds every
//! script's letters, and each pattern's automaton, with the caches sized by it, grows by
//! thousands of states per class. The mails read here are in Latin script, so each class
//! is narrowed to its Latin part (ASCII, Latin-1, Latin Extended-A/B and Additional:
//! é, ë, ç, ß, ş, ł, ơ): the same answers on these letters, a third of the automaton and
//! about half the reader's memory. `\b` is made an ASCII word boundary, so the fast
//! engines stay usable on non-ASCII text.

use regex::{Regex, RegexBuilder};

/// The letters a narrowed class keeps: Basic Latin to Latin Extended-B, and Latin
/// Extended Additional (Vietnamese, Welsh).
const LATIN: &str = r"[\x00-\x{24F}\x{1E00}-\x{1EFF}]";

/// Compiles a built-in pattern (a bad one is a bug, found by the first test that reads).
pub(super) fn re(pattern: &str) -> Regex {
    Regex::new(&narrowed(pattern)).expect("a valid built-in pattern")
}

/// Compiles a word of the lexicon (the owner's too: an error names the word).
pub(super) fn word(word: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&narrowed(word))
        .size_limit(1 << 20)
        .build()
}

/// `pattern` with its Unicode classes narrowed to [`LATIN`] and `\b`, `\B` made ASCII.
/// `\w`, `\W`, `\p{..}` and `\P{..}` become intersections with the Latin letters (so they
/// may stand inside a bracketed class too); `\d` and `\D` become ASCII digits.
pub(super) fn narrowed(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escaped) = chars.next() else {
            out.push(c);
            break;
        };
        match escaped {
            'w' => out.push_str(&format!(r"[\w&&{LATIN}]")),
            'W' => out.push_str(&format!(r"[^\w&&{LATIN}]")),
            'd' => out.push_str("[0-9]"),
            'D' => out.push_str("[^0-9]"),
            'b' => out.push_str(r"(?-u:\b)"),
            'B' => out.push_str(r"(?-u:\B)"),
            'p' | 'P' => {
                let mut name = String::new();
                if chars.peek() == Some(&'{') {
                    for n in chars.by_ref() {
                        name.push(n);
                        if n == '}' {
                            break;
                        }
                    }
                } else if let Some(n) = chars.next() {
                    name.push(n); // `\pL`
                }
                let negated = if escaped == 'P' { "^" } else { "" };
                out.push_str(&format!(r"[{negated}\p{name}&&{LATIN}]"));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowed_classes_match_latin_letters_as_before() {
        for (pattern, hay, found) in [
            (r"^\w+$", "cliënt", true),
            (r"^\w+$", "Straße", true),
            (r"^\w+$", "Kuşçu", true),
            (r"^\w+$", "Łódź", true),
            (r"^[\w.-]+$", "j.de-vries_2", true),
            (r"^\p{Lu}\p{Ll}+$", "Émile", true),
            (r"^\p{Lu}\p{Ll}+$", "émile", false),
            (r"^\pL+$", "Zoë", true),
            (r"^\P{L}+$", "12 34", true),
            (r"^\d{4}$", "2026", true),
            (r"^\D+$", "abc", true),
            (r"\W", "één twee", true),
            (r"\bles\b", "de lessen", false),
            (r"\bles\b", "de les, gisteren", true),
            (r"\\w", r"a\w", true), // an escaped backslash stays one
        ] {
            assert_eq!(re(pattern).is_match(hay), found, "{pattern} on {hay:?}");
        }
    }

    #[test]
    fn other_scripts_are_no_letters_of_a_narrowed_class() {
        assert!(!re(r"^\w+$").is_match("Москва"));
        assert!(!re(r"^\p{L}+$").is_match("東京"));
        assert!(re(r"^\W+$").is_match("東京"));
    }

    #[test]
    fn a_narrowed_pattern_is_a_fraction_of_the_unicode_one() {
        // the sizes the caches follow: an NFA's heap
        let pattern = r"(?i)\b(?:ik|wij)\s+(?:\w+\s+){0,3}(?:dien|stuur)\w*\s+\p{Lu}\w+";
        let unicode = Regex::new(pattern).unwrap();
        let narrow = re(pattern);
        for hay in [
            "Ik wil deze stuurgroep Jansen",
            "wij dienen één klacht Émile",
            "ik stuur deze jansen",
            "wij hebben het niet ingediend",
        ] {
            assert_eq!(unicode.is_match(hay), narrow.is_match(hay), "{hay}");
        }
        assert!(narrow.is_match("Ik wil deze stuurgroep Jansen"));
        // the smallest compile-size limit each fits under: what the NFA weighs
        let fits = |p: &str, limit: usize| RegexBuilder::new(p).size_limit(limit).build().is_ok();
        let smallest = |p: &str| (10..30).map(|b| 1usize << b).find(|&l| fits(p, l)).unwrap();
        assert!(
            smallest(&narrowed(pattern)) * 4 <= smallest(pattern),
            "narrowed {} against {}",
            smallest(&narrowed(pattern)),
            smallest(pattern)
        );
    }
}
