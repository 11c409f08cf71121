//! The reader's patterns: how they are compiled, one way for the built-in ones ([`re`])
//! and the lexicon's words ([`word`]), and where they live ([`PerThread`]).
//!
//! Why the rewrite before compiling: a Unicode class (`\w`, `\d`, `\p{L}`) holds every
//! script's letters, and each pattern's automaton, with the caches sized by it, grows by
//! thousands of states per class. The mails read here are in Latin script, so each class
//! is narrowed to its Latin part (ASCII, Latin-1, Latin Extended-A/B and Additional:
//! é, ë, ç, ß, ş, ł, ơ): the same answers on these letters, a third of the automaton and
//! about half the reader's memory. `\b` is made an ASCII word boundary, so the fast
//! engines stay usable on non-ASCII text.
//!
//! Why per thread: compiled, the patterns and their caches are the largest part of the
//! daemon's memory. A pattern made by the thread that reads is dropped when that thread
//! ends, so the daemon's reader thread, ending when no mail came for a while, gives
//! them back (Postfix's `max_idle`); a process-wide static would hold them for life.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::{Captures, Match, Regex, RegexBuilder, Replacer};

/// A value made on first use by each thread that uses it, and dropped when that thread
/// ends: `static X: PerThread<T> = PerThread::new(|| ...)`, then `X.get()`.
pub struct PerThread<T: 'static> {
    make: fn() -> T,
    /// This value's place in each thread's [`MADE`], given on its first use.
    slot: OnceLock<usize>,
}

/// A built-in pattern, compiled per thread; it answers as a [`Regex`] does.
pub type Pattern = PerThread<Regex>;

static SLOTS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// What this thread made, by slot.
    static MADE: RefCell<Vec<Option<Rc<dyn Any>>>> = const { RefCell::new(Vec::new()) };
}

impl<T: 'static> PerThread<T> {
    pub const fn new(make: fn() -> T) -> PerThread<T> {
        PerThread {
            make,
            slot: OnceLock::new(),
        }
    }

    /// This thread's value, made now if it has none.
    pub fn get(&self) -> Rc<T> {
        let slot = *self
            .slot
            .get_or_init(|| SLOTS.fetch_add(1, Ordering::Relaxed));
        let made = MADE.with_borrow(|made| made.get(slot).cloned().flatten());
        if let Some(value) = made.and_then(|any| any.downcast::<T>().ok()) {
            return value;
        }
        // made outside the borrow: making may use other values of this thread
        let value = Rc::new((self.make)());
        MADE.with_borrow_mut(|made| {
            if made.len() <= slot {
                made.resize(slot + 1, None);
            }
            made[slot] = Some(value.clone());
        });
        value
    }
}

/// The [`Regex`] methods the reader uses; those that iterate collect first (the matches
/// borrow the text, not the pattern).
impl PerThread<Regex> {
    pub fn is_match(&self, hay: &str) -> bool {
        self.get().is_match(hay)
    }

    pub fn find<'h>(&self, hay: &'h str) -> Option<Match<'h>> {
        self.get().find(hay)
    }

    pub fn find_at<'h>(&self, hay: &'h str, start: usize) -> Option<Match<'h>> {
        self.get().find_at(hay, start)
    }

    pub fn captures<'h>(&self, hay: &'h str) -> Option<Captures<'h>> {
        self.get().captures(hay)
    }

    pub fn find_iter<'h>(&self, hay: &'h str) -> std::vec::IntoIter<Match<'h>> {
        self.get().find_iter(hay).collect::<Vec<_>>().into_iter()
    }

    pub fn captures_iter<'h>(&self, hay: &'h str) -> std::vec::IntoIter<Captures<'h>> {
        self.get()
            .captures_iter(hay)
            .collect::<Vec<_>>()
            .into_iter()
    }

    pub fn split<'h>(&self, hay: &'h str) -> std::vec::IntoIter<&'h str> {
        self.get().split(hay).collect::<Vec<_>>().into_iter()
    }

    pub fn replace<'h, R: Replacer>(&self, hay: &'h str, with: R) -> std::borrow::Cow<'h, str> {
        self.get().replace(hay, with)
    }

    pub fn replace_all<'h, R: Replacer>(&self, hay: &'h str, with: R) -> std::borrow::Cow<'h, str> {
        self.get().replace_all(hay, with)
    }
}

/// The letters a narrowed class keeps: Basic Latin to Latin Extended-B, and Latin
/// Extended Additional (Vietnamese, Welsh).
const LATIN: &str = r"[\x00-\x{24F}\x{1E00}-\x{1EFF}]";

/// The most each pattern's lazy DFA may keep of the states it builds. regex's default,
/// 2 MiB a pattern, let the caches of the reader's ~170 patterns grow to 16 MiB over a
/// varied backlog, half the daemon's memory. At 16 KiB only the small patterns keep a
/// lazy DFA; the others run on regex's other engines, with the same answers: reading
/// slows from ~2,200 to ~740 mails a second on one core (`klachtd bench`), still
/// seventy times what SMTP delivers here, and the reader holds about 15 MiB less.
pub const DFA_CACHE: usize = 16 * 1024;

/// Compiles a built-in pattern (a bad one is a bug, found by the first test that reads).
pub fn re(pattern: &str) -> Regex {
    RegexBuilder::new(&narrowed(pattern))
        .dfa_size_limit(DFA_CACHE)
        .build()
        .expect("a valid built-in pattern")
}

/// Compiles a word of the lexicon (the owner's too: an error names the word).
pub fn word(word: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&narrowed(word))
        .size_limit(1 << 20)
        .dfa_size_limit(DFA_CACHE)
        .build()
}

/// `pattern` with its Unicode classes narrowed to [`LATIN`] and `\b`, `\B` made ASCII.
/// `\w`, `\W`, `\p{..}` and `\P{..}` become intersections with the Latin letters (so they
/// may stand inside a bracketed class too); `\d` and `\D` become ASCII digits.
pub fn narrowed(pattern: &str) -> String {
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
