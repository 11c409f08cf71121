//! The language a complainant wrote in, and is answered in.

use serde::{Deserialize, Serialize};

/// Dutch unless the complaint was written in English. Cases recorded before languages
/// were (no `language` key) are Dutch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Dutch,
    English,
}

impl Language {
    /// The stable key, as in JSON: `dutch`, `english`.
    pub fn key(self) -> &'static str {
        match self {
            Language::Dutch => "dutch",
            Language::English => "english",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_json_and_dutch_is_the_default() {
        for l in [Language::Dutch, Language::English] {
            assert_eq!(serde_json::to_value(l).unwrap(), l.key());
        }
        assert_eq!(Language::default(), Language::Dutch);
    }
}
