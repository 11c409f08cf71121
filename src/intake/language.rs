//! Which language a complaint is written in: English or Dutch (what the owner answers in).
//!
//! whatlang reads the complaint's own words (the description, else the text without its
//! signature), choosing among the languages complainants write in; only a clear English
//! text is English. A text too short to tell is Dutch.

use whatlang::{Detector, Lang};

use crate::domain::Language;

/// Fewer words than this cannot tell English from Dutch reliably.
const MIN_WORDS: usize = 6;

pub(super) fn language(texts: &[&str]) -> Language {
    let text = texts
        .iter()
        .map(|t| t.trim())
        .find(|t| t.split_whitespace().count() >= MIN_WORDS);
    let Some(text) = text else {
        return Language::Dutch;
    };
    // At most the first 1 KB: plenty to tell, and fast on a long text.
    let mut end = text.len().min(1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let detector = Detector::with_allowlist(vec![Lang::Nld, Lang::Eng, Lang::Deu, Lang::Fra]);
    match detector.detect(text.get(..end).unwrap_or(text)) {
        Some(info) if info.lang() == Lang::Eng && info.confidence() >= 0.5 => Language::English,
        _ => Language::Dutch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_english_and_everything_else_dutch() {
        let en = "The trainer arrived an hour late and the exercises we paid for were skipped.";
        assert_eq!(language(&[en]), Language::English);
        let nl = "De trainer kwam een uur te laat en de oefeningen zijn overgeslagen.";
        assert_eq!(language(&[nl]), Language::Dutch);
        let de = "Der Raum war viel zu klein und die Unterlagen haben wir nie bekommen.";
        assert_eq!(language(&[de]), Language::Dutch);
        let vl = "De lesgever was slecht voorbereid en kon geen enkele vraag beantwoorden.";
        assert_eq!(language(&[vl]), Language::Dutch);
        // too short to tell
        assert_eq!(language(&["Complaint attached."]), Language::Dutch);
        assert_eq!(language(&["", "  "]), Language::Dutch);
        // the first text long enough decides
        assert_eq!(language(&["Hi", en, nl]), Language::English);
        // English words in a Dutch complaint do not make it English
        let mixed = "De workshop time management was een no show van de trainer, echt niet oké.";
        assert_eq!(language(&[mixed]), Language::Dutch);
    }
}
