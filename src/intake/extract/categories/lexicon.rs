//! The lexicon of serious behaviour (art. 1.4): data (`config/serious.toml`, extended by
//! the owner's `[[serious]]` entries), compiled by the thread that reads with it.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::super::squeeze;
use crate::domain::Category;

/// The lexicon of serious behaviour (art. 1.4), built in: `config/serious.toml`.
pub const BUILTIN_LEXICON: &str = include_str!("../../../../config/serious.toml");

/// The words of serious behaviour per category, in order of priority: data, not code
/// (`config/serious.toml`, extended by the owner's `[[serious]]` entries).
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// The words as written. Each is compiled on its own only when its entry's set
    /// matched, to tell the owner which words raised the flag: kept compiled, the
    /// hundreds of words would hold megabytes for what few mails need.
    pub(super) entries: Vec<(Category, Vec<String>)>,
    /// Phrases read as blanks before the words are looked for ("aggressively selling").
    harmless: Vec<String>,
    /// Which words these are, to find their compiled form ([`Compiled`]) on a thread.
    id: u64,
}

/// A lexicon compiled, by the thread that reads with it (as the built-in patterns are,
/// [`crate::intake::pattern::PerThread`]: dropped when that thread ends).
pub(super) struct Compiled {
    pub(super) harmless: Vec<Regex>,
    /// Per entry, all its words in one set: one pass tells whether any matches.
    sets: Vec<regex::RegexSet>,
}

static LEXICON_IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn fresh_id() -> u64 {
    LEXICON_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
}

thread_local! {
    /// The lexicon this thread read with last, compiled.
    static COMPILED: std::cell::RefCell<Option<(u64, std::rc::Rc<Compiled>)>> =
        const { std::cell::RefCell::new(None) };
}

/// One category's words, as the lexicon file and the config write them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconEntry {
    pub category: Category,
    pub words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    harmless: Vec<String>,
    entry: Vec<LexiconEntry>,
}

static BUILTIN: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::parse(BUILTIN_LEXICON).unwrap_or_else(|e| panic!("config/serious.toml: {e}"))
});

impl Default for Lexicon {
    fn default() -> Lexicon {
        BUILTIN.clone()
    }
}

impl Lexicon {
    /// A lexicon file (`[[entry]] category = "...", words = [...]`).
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut lexicon = Lexicon {
            entries: Vec::new(),
            harmless: Vec::new(),
            id: 0,
        };
        for phrase in &file.harmless {
            // compiled once here to refuse a bad phrase at load, naming it
            crate::intake::pattern::word(phrase)
                .map_err(|e| format!("harmless: {phrase:?}: {e}"))?;
            lexicon.harmless.push(phrase.clone());
        }
        for entry in &file.entry {
            lexicon.extend(entry)?;
        }
        lexicon.id = fresh_id();
        Ok(lexicon)
    }

    /// Adds words to a category (after those it has; a new category comes last). Only the
    /// serious categories have a place here.
    pub fn extend(&mut self, entry: &LexiconEntry) -> Result<(), String> {
        if !entry.category.is_serious() {
            return Err(format!(
                "{} is not a serious category (art. 1.4)",
                entry.category.key()
            ));
        }
        for word in &entry.words {
            // compiled once here to refuse a bad word at load, naming it
            crate::intake::pattern::word(word)
                .map_err(|e| format!("{}: {word:?}: {e}", entry.category.key()))?;
        }
        let patterns = entry.words.clone();
        match self.entries.iter_mut().find(|(c, _)| *c == entry.category) {
            Some((_, words)) => words.extend(patterns),
            None => self.entries.push((entry.category, patterns)),
        }
        // refused here rather than on the first mail: a set too large for the limit
        self.compile()
            .map_err(|e| format!("{}: {e}", entry.category.key()))?;
        self.id = fresh_id();
        Ok(())
    }

    fn compile(&self) -> Result<Compiled, regex::Error> {
        Ok(Compiled {
            harmless: self
                .harmless
                .iter()
                .filter_map(|p| crate::intake::pattern::word(p).ok())
                .collect(),
            sets: self
                .entries
                .iter()
                .map(|(_, patterns)| {
                    regex::RegexSetBuilder::new(
                        patterns.iter().map(|w| crate::intake::pattern::narrowed(w)),
                    )
                    .size_limit(1 << 24)
                    .dfa_size_limit(crate::intake::pattern::DFA_CACHE)
                    .build()
                })
                .collect::<Result<_, _>>()?,
        })
    }

    /// This lexicon compiled, on this thread (compiled now if the thread has it not).
    pub(super) fn compiled(&self) -> std::rc::Rc<Compiled> {
        let kept = COMPILED.with_borrow(|kept| {
            kept.as_ref()
                .filter(|(id, _)| *id == self.id)
                .map(|(_, compiled)| compiled.clone())
        });
        if let Some(compiled) = kept {
            return compiled;
        }
        let compiled = std::rc::Rc::new(self.compile().unwrap_or(Compiled {
            harmless: Vec::new(),
            sets: Vec::new(), // unreachable: every set was compiled once when loaded
        }));
        COMPILED.set(Some((self.id, compiled.clone())));
        compiled
    }

    /// The first category whose words the text holds, with the words found (as written
    /// in the lower-cased text, at most [`MAX_WORDS`]).
    pub(super) fn find(&self, hay: &str) -> Option<(Category, Vec<String>)> {
        let compiled = self.compiled();
        self.entries
            .iter()
            .zip(&compiled.sets)
            .find_map(|((category, patterns), set)| {
                let matched = set.matches(hay);
                if !matched.matched_any() {
                    return None;
                }
                let mut words: Vec<String> = Vec::new();
                for p in matched
                    .iter()
                    .filter_map(|i| crate::intake::pattern::word(&patterns[i]).ok())
                {
                    for m in p.find_iter(hay) {
                        let word = squeeze(m.as_str());
                        let word: String = word.chars().take(60).collect();
                        if !word.is_empty() && !words.contains(&word) && words.len() < MAX_WORDS {
                            words.push(word);
                        }
                    }
                }
                (!words.is_empty()).then_some((*category, words))
            })
    }
}

/// How many of the words that raised a serious flag are kept to show the owner.
const MAX_WORDS: usize = 5;
