//! Services: the catalogue's name when the text names a service or one of its aliases,
//! else a labelled value as written, else a free-text mention ("de training X").

use std::sync::LazyLock;

use regex::Regex;

use super::lines::Doc;
use super::names::cap_word;
use super::{ServiceCatalogue, re, squeeze, trim_punct};

/// Lower case, hyphens as spaces, whitespace collapsed: for matching names and keywords.
pub(super) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The byte ranges where `needle` occurs in `hay` as whole words.
pub(super) fn word_matches(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let mut from = 0;
    while let Some(p) = hay.get(from..).and_then(|h| h.find(needle)) {
        let start = from + p;
        let end = start + needle.len();
        let before = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = hay[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            found.push((start, end));
            from = end;
        } else {
            from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// The catalogue's service named earliest in `hay` (normalised); the longer name on a tie.
fn catalogue_match<'c>(hay: &str, catalogue: &'c ServiceCatalogue) -> Option<&'c str> {
    let mut best: Option<(usize, usize, &str)> = None;
    for service in &catalogue.services {
        for name in std::iter::once(&service.name).chain(&service.aliases) {
            let needle = normalise(name);
            if let Some(&(start, end)) = word_matches(hay, &needle).first() {
                let better =
                    best.is_none_or(|(s, len, _)| start < s || (start == s && end - start > len));
                if better {
                    best = Some((start, end - start, service.name.as_str()));
                }
            }
        }
    }
    best.map(|(_, _, name)| name)
}

pub(super) fn service(
    doc: &Doc,
    subject: &str,
    body: &str,
    note: &str,
    catalogue: &ServiceCatalogue,
) -> Option<String> {
    if let Some(v) = &doc.labels.service {
        if let Some(name) = catalogue_match(&normalise(v), catalogue) {
            return Some(name.to_string());
        }
        static CUT: LazyLock<Regex> =
            LazyLock::new(|| re(r"(?i)[,;(]|\s(?:op|on|d\.d\.|van|from|dd)\s+\d"));
        let v = CUT.find(v).map_or(v.as_str(), |m| &v[..m.start()]);
        let v = trim_punct(v);
        if !v.is_empty() {
            return Some(squeeze(v));
        }
    }
    for text in [subject, body, note] {
        if let Some(name) = catalogue_match(&normalise(text), catalogue) {
            return Some(name.to_string());
        }
    }
    [subject, body, note].into_iter().find_map(free_service)
}

/// "de training Projectmatig Werken", "de cursus 'Excel voor beginners'", "the Project
/// Management course" -> "Training Projectmatig Werken", ...
fn free_service(text: &str) -> Option<String> {
    static KIND: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(training|cursus|workshop|leertraject|opleiding|masterclass|webinar|lezing|course)\b",
        )
    });
    const CONNECTORS: &[&str] = &[
        "met", "en", "voor", "van", "in", "op", "de", "het", "een", "&", "and", "of", "for", "the",
        "to", "with",
    ];
    const NOT_TITLES: &[&str] = &[
        "I", "Ik", "We", "Wij", "Je", "U", "Zij", "Hij", "Die", "Dat", "Dit", "Deze", "De", "Het",
        "The", "A", "An", "My", "Mijn", "Our", "Onze",
    ];
    for m in KIND.find_iter(text) {
        let kind = m.as_str();
        let after = &text[m.end()..];
        let line_after = after.split('\n').next().unwrap_or_default();
        // Quoted: "de cursus 'Excel voor beginners'"
        let t = line_after.trim_start();
        if t.len() < line_after.len()
            && let Some(open) = t.chars().next()
            && "\"'“‘«".contains(open)
        {
            let close: &[char] = &['"', '\'', '”', '’', '»', '“'];
            let inner = &t[open.len_utf8()..];
            if let Some(end) = inner.find(close) {
                let title = squeeze(&inner[..end]);
                let words = title.split_whitespace().count();
                if (1..=6).contains(&words) && title.chars().any(char::is_alphabetic) {
                    return Some(format!("{} {title}", capitalise(kind)));
                }
            }
        }
        // Title words: capitalised words, with small words between them.
        let tokens: Vec<&str> = line_after.split_whitespace().take(8).collect();
        let mut title: Vec<&str> = Vec::new();
        let mut k = 0;
        while k < tokens.len() && title.len() < 6 {
            let token = tokens[k];
            let word = token.trim_end_matches([',', '.', ';', ':', '!', '?', ')']);
            let ends = word.len() != token.len();
            let capital = word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                && !NOT_TITLES.contains(&word)
                && word.chars().any(char::is_alphanumeric);
            let connects = !title.is_empty()
                && CONNECTORS.contains(&word.to_lowercase().as_str())
                && !ends
                && tokens
                    .get(k + 1)
                    .is_some_and(|n| n.starts_with(char::is_uppercase));
            if !(capital || connects) {
                break;
            }
            title.push(word);
            k += 1;
            if ends {
                break;
            }
        }
        if title.iter().any(|w| w.starts_with(char::is_uppercase)) {
            return Some(format!("{} {}", capitalise(kind), title.join(" ")));
        }
        // English: "the Project Management course".
        if kind.eq_ignore_ascii_case("course")
            || kind.eq_ignore_ascii_case("training")
            || kind.eq_ignore_ascii_case("workshop")
        {
            let before = text[..m.start()].rsplit('\n').next().unwrap_or_default();
            let mut words: Vec<&str> = before
                .split_whitespace()
                .rev()
                .take_while(|w| cap_word(w) && !NOT_TITLES.contains(w))
                .take(5)
                .collect();
            words.reverse();
            if !words.is_empty() && before.trim_end().len() + 1 >= before.len() {
                return Some(format!("{} {kind}", words.join(" ")));
            }
        }
    }
    None
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| {
            f.to_uppercase()
                .chain(c.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::intake::extract::extract;
    use crate::intake::extract::tests::{catalogue, ex, msg, sent};

    #[test]
    fn services_from_catalogue_and_free_text() {
        let e = ex("Ik volgde de Communicatie-training en was teleurgesteld.");
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Training Effectief Communiceren")
        );
        let mut m = msg("Het was niets.");
        m.subject = "Klacht over coachingstraject".into();
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.service.as_deref(),
            Some("Coaching")
        );
        let e = ex("Ik heb het leertraject Projectmatig Werken gevolgd, maar het was niets.");
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Leertraject Projectmatig Werken")
        );
        let e = ex("Ik volgde de workshop 'slim plannen' bij jullie.");
        assert_eq!(e.fields.service.as_deref(), Some("Workshop slim plannen"));
        let e = ex("I attended the Project Management course last month.");
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Project Management course")
        );
        let e = ex("De training was slecht en de cursus ook.");
        assert_eq!(e.fields.service, None);
        // "timemanagement" is part of a word here: no match.
        let e = ex("Ik volgde iets over timemanagementachtige zaken.");
        assert_eq!(e.fields.service, None);
    }
}
