//! The title of a service written in free text: "de training Projectmatig Werken", "de
//! cursus 'Excel voor beginners'", "the Project Management course".

use crate::intake::pattern::Pattern;

use super::super::names::cap_word;
use super::super::{re, squeeze};

// Words that end a title written in sentence case: places, times, verbs, adverbs.
const TITLE_STOPS: &[&str] = &[
    "in",
    "op",
    "te",
    "bij",
    "van",
    "vanaf",
    "tijdens",
    "om",
    "tot",
    "na",
    "sinds",
    "gevolgd",
    "gegeven",
    "georganiseerd",
    "bijgewoond",
    "gedaan",
    "geboekt",
    "afgenomen",
    "gekocht",
    "bezocht",
    "ingeschreven",
    "was",
    "is",
    "werd",
    "waren",
    "zijn",
    "wordt",
    "heb",
    "hebben",
    "had",
    "hadden",
    "die",
    "dat",
    "welke",
    "waar",
    "waarin",
    "waarbij",
    "waarvoor",
    "omdat",
    "want",
    "maar",
    "toen",
    "samen",
    "namens",
    "vorige",
    "vorig",
    "afgelopen",
    "gisteren",
    "vandaag",
    "laatst",
    "jl",
    "helemaal",
    "niet",
    "wel",
    "ook",
    "nog",
    "al",
    "erg",
    "heel",
    "echt",
    "zeer",
    "toch",
    "pas",
    "zelf",
    "bleek",
    "begon",
    "ging",
    "gaat",
    "kwam",
    "at",
    "on",
    "which",
    "that",
    "who",
    "was",
    "were",
    "last",
    "yesterday",
    "this",
    "we",
    "i",
    "am",
    "bei",
    "teilgenommen",
    "besucht",
    "war",
    "ist",
    "wurde",
    "der",
    "die",
    "das",
    "zou",
    "moest",
    "kon",
    "mocht",
    "wilde",
    // Verbs after a title ("de Workshop Stressmanagement volgen"); not "geven", which
    // is in titles ("Feedback geven en ontvangen").
    "volgen",
    "bijwonen",
    "bezoeken",
    "boeken",
    "afnemen",
    "afronden",
    "afmaken",
    "annuleren",
    "starten",
    "meemaken",
    // ... and what the company does with it ("zou numun de Training X verzorgen").
    "verzorgen",
    "organiseren",
    "aanbieden",
    "uitvoeren",
    "inplannen",
    "verplaatsen",
    "afzeggen",
];

/// "de training Projectmatig Werken", "de cursus 'Excel voor beginners'", "the Project
/// Management course" -> "Training Projectmatig Werken", ...
pub(super) fn free_service(text: &str) -> Option<String> {
    static KIND: Pattern = Pattern::new(|| {
        re(
            r"(?i)\b(training|cursus|workshop|leertraject|opleiding|masterclass|webinar|lezing|course|seminar|schulung|kurs|e-learning|elearning|module)\b",
        )
    });
    const CONNECTORS: &[&str] = &[
        "met", "en", "voor", "aan", "de", "het", "een", "&", "and", "of", "for", "the", "to",
        "with", "auf", "für", "mit", "und", "im", "a",
    ];
    const NOT_TITLES: &[&str] = &[
        "I",
        "Ik",
        "We",
        "Wij",
        "Je",
        "U",
        "Zij",
        "Hij",
        "Die",
        "Dat",
        "Dit",
        "Deze",
        "De",
        "Het",
        "The",
        "A",
        "An",
        "My",
        "Mijn",
        "Our",
        "Onze",
        "Klacht",
        "Klachten",
        "Complaint",
        "Complaints",
        "Beschwerde",
        "Over",
        "About",
        "Re:",
        "RE:",
        "Fw:",
        "Fwd:",
        "Vraag",
        "Question",
        "Uw",
        "Your",
        "Jullie",
        "Een",
        "Dem",
        "Der",
        "Das",
    ];
    for m in KIND.find_iter(text) {
        let kind = m.as_str();
        let after = &text[m.end()..];
        let line_after = after.split('\n').next().unwrap_or_default();
        // Quoted: "de cursus 'Excel voor beginners'"
        let t = line_after.trim_start();
        if t.len() < line_after.len()
            && let Some(open) = t.chars().next()
            && "\"'“‘«(".contains(open)
        {
            let close: &[char] = &['"', '\'', '”', '’', '»', '“', ')'];
            let inner = &t[open.len_utf8()..];
            if let Some(end) = inner.find(close) {
                let title = squeeze(&inner[..end]);
                let words = title.split_whitespace().count();
                if (1..=6).contains(&words) && title.chars().any(char::is_alphabetic) {
                    return Some(format!("{} {title}", capitalise(kind)));
                }
            }
        }
        // Title words: a capitalised first word, then the words of a title in sentence
        // case ("Omgaan met conflicten", "Werken met Outlook en Teams") up to a
        // punctuation mark, a place, a time or a verb.
        let tokens: Vec<&str> = line_after.split_whitespace().take(12).collect();
        let mut title: Vec<&str> = Vec::new();
        let mut k = 0;
        while k < tokens.len() && title.len() < 6 {
            let (word, ends) = title_word(tokens[k]);
            let lower = word.to_lowercase();
            let capital = word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                && !NOT_TITLES.contains(&word)
                && word.chars().any(char::is_alphanumeric);
            if title.is_empty() && !capital {
                break;
            }
            if !title.is_empty() && !wordlike(word) {
                break;
            }
            if !title.is_empty() && TITLE_STOPS.contains(&lower.as_str()) {
                // "Leidinggeven in de praktijk": a field of work, not a place or a time.
                match field_phrase(&tokens[k..]) {
                    Some((words, ends)) => {
                        title.extend(words);
                        k += 3;
                        if ends {
                            break;
                        }
                        continue;
                    }
                    None => break,
                }
            }
            if !title.is_empty()
                && (!capital && (participle(&lower) || word.chars().any(|c| c.is_ascii_digit())))
            {
                break;
            }
            title.push(word);
            if ends {
                break;
            }
            k += 1;
        }
        while title
            .last()
            .is_some_and(|w| CONNECTORS.contains(&w.to_lowercase().as_str()))
        {
            title.pop();
        }
        if title.is_empty()
            && let Some(lower_title) = lower_case_title(&tokens)
        {
            return Some(format!("{} {lower_title}", capitalise(kind)));
        }
        if title.iter().any(|w| w.starts_with(char::is_uppercase)) {
            return Some(format!("{} {}", capitalise(kind), title.join(" ")));
        }
        // English: "the Project Management course", "the Mindfulness at Work workshop":
        // the name before the kind word, written as the catalogue writes a service, the
        // kind word first ("Workshop Mindfulness at Work").
        if kind.eq_ignore_ascii_case("course")
            || kind.eq_ignore_ascii_case("training")
            || kind.eq_ignore_ascii_case("workshop")
        {
            const ENGLISH_CONNECTORS: &[&str] = &[
                "at", "of", "for", "and", "in", "on", "with", "to", "the", "&",
            ];
            let before = text[..m.start()].rsplit('\n').next().unwrap_or_default();
            let mut words: Vec<&str> = before
                .split_whitespace()
                .rev()
                .take_while(|w| {
                    (cap_word(w) && !NOT_TITLES.contains(w) && !dutch_attribute(w))
                        || ENGLISH_CONNECTORS.contains(w)
                })
                .take(6)
                .collect();
            while words.last().is_some_and(|w| ENGLISH_CONNECTORS.contains(w)) {
                words.pop();
            }
            words.reverse();
            if !words.is_empty() && before.trim_end().len() + 1 >= before.len() {
                return Some(format!("{} {}", capitalise(kind), words.join(" ")));
            }
        }
    }
    None
}

/// A Dutch adjective before a kind word ("Afgezegde training", "Geannuleerde workshop",
/// "Mislukte cursus", "Tweedaagse training"): it says what the service was or what
/// became of it, it does not name it. An inflected participle (ge-, a separable prefix
/// and -ge-, or ver-, be-, ont-, her-, mis-; then -de or -te, or the strong -en after
/// -ge-), a -daagse, or one of the common adjectives and ordinals.
fn dutch_attribute(word: &str) -> bool {
    const ADJECTIVES: &[&str] = &[
        "slechte",
        "nieuwe",
        "vorige",
        "volgende",
        "eerste",
        "tweede",
        "derde",
        "laatste",
        "interne",
        "externe",
        "hele",
        "halve",
        "verplichte",
        "gratis",
    ];
    const SEPARABLE: &[&str] = &[
        "", "af", "aan", "op", "in", "uit", "over", "door", "mee", "terug", "weg", "na", "voor",
        "om", "toe", "bij", "vast",
    ];
    const INSEPARABLE: &[&str] = &["ver", "be", "ont", "her", "mis"];
    let lower = word.to_lowercase();
    if !lower.chars().all(char::is_alphabetic) {
        return false;
    }
    if ADJECTIVES.contains(&lower.as_str()) || lower.ends_with("daagse") {
        return true;
    }
    if lower.chars().count() < 7 {
        return false;
    }
    let weak = lower.ends_with("de") || lower.ends_with("te");
    let strong = lower.ends_with("en");
    let with_ge = SEPARABLE
        .iter()
        .any(|p| lower.strip_prefix(p).is_some_and(|r| r.starts_with("ge")));
    let inseparable = INSEPARABLE.iter().any(|p| lower.starts_with(p));
    (with_ge && (weak || strong)) || (inseparable && weak)
}

/// A token of a title without the punctuation after it, and whether that punctuation
/// ends the title.
fn title_word(token: &str) -> (&str, bool) {
    let word = token.trim_end_matches([',', '.', ';', ':', '!', '?', ')']);
    (word, word.len() != token.len())
}

/// Letters, perhaps with hyphens, apostrophes or an ampersand: a word of a title.
fn wordlike(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-'’&".contains(c))
}

/// A Dutch past participle ("gemaakt", "gevolgd", "georganiseerd"): a verb, so the end
/// of a title.
fn participle(lower: &str) -> bool {
    let alphabetic = lower.chars().all(char::is_alphabetic);
    // "werkte", "duurde", "eindigde": a verb in the past, after the title.
    let past = lower.len() >= 5 && (lower.ends_with("te") || lower.ends_with("de"));
    alphabetic
        && (lower.len() >= 6 && lower.starts_with("ge") && lower.ends_with(['t', 'd']) || past)
}

/// Nouns after "in de" that make a place or a time, not a field of work ("in de zaal",
/// "in de ochtend").
const PLACES_AND_TIMES: &[&str] = &[
    "zaal",
    "ruimte",
    "lokaal",
    "kantoor",
    "gebouw",
    "stad",
    "buurt",
    "regio",
    "ochtend",
    "middag",
    "avond",
    "week",
    "maand",
    "pauze",
    "groep",
    "klas",
    "kantine",
    "trein",
    "auto",
    "buurt",
    "praktijkruimte",
    "aula",
    "kelder",
    "tuin",
    "hal",
];

/// "in de praktijk", "in het onderwijs" after a title word: three words of the title when
/// they end it (punctuation, the line's end, or a word that ends titles after them).
fn field_phrase<'t>(tokens: &[&'t str]) -> Option<([&'t str; 3], bool)> {
    let [first, article, noun, rest @ ..] = tokens else {
        return None;
    };
    let (first, first_ends) = title_word(first);
    let (article, article_ends) = title_word(article);
    let (noun, ends) = title_word(noun);
    let lower = noun.to_lowercase();
    let fits = first.eq_ignore_ascii_case("in")
        && (article.eq_ignore_ascii_case("de") || article.eq_ignore_ascii_case("het"))
        && !first_ends
        && !article_ends
        && wordlike(noun)
        && noun.starts_with(char::is_lowercase)
        && !PLACES_AND_TIMES.contains(&lower.as_str())
        && !ends_title(&lower);
    let closes = ends
        || rest.first().is_none_or(|next| {
            let (next, _) = title_word(next);
            let next = next.to_lowercase();
            ends_title(&next) || participle(&next) || next.starts_with(|c: char| c.is_ascii_digit())
        });
    (fits && closes).then_some(([first, article, noun], ends))
}

/// A word that ends a title.
fn ends_title(lower: &str) -> bool {
    TITLE_STOPS.contains(&lower)
}

/// A title written all in lower case, as on a phone: "de training omgaan met conflicten."
/// Two to five words up to the end of the sentence or line, joined by "met", "voor", "en"
/// (what titles are made of, and verbs and adverbs are not), none a word that ends a
/// title. The first letter is made a capital.
fn lower_case_title(tokens: &[&str]) -> Option<String> {
    const JOINS: &[&str] = &[
        "met", "voor", "en", "with", "for", "and", "mit", "und", "für",
    ];
    let mut words = Vec::new();
    let mut closed = false;
    for token in tokens.iter().take(5) {
        let (word, ends) = title_word(token);
        let lower = word.to_lowercase();
        if !wordlike(word)
            || word.chars().any(char::is_uppercase)
            || ends_title(&lower)
            || participle(&lower)
        {
            return None;
        }
        words.push(word);
        if ends {
            closed = true;
            break;
        }
    }
    closed |= words.len() == tokens.len();
    let inner = words
        .get(1..words.len().saturating_sub(1))
        .unwrap_or_default();
    let joined = inner
        .iter()
        .any(|w| JOINS.contains(&w.to_lowercase().as_str()));
    if !closed || words.len() < 2 || !joined {
        return None;
    }
    let title = words.join(" ");
    let mut chars = title.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
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
    use super::*;

    #[test]
    fn a_dutch_adjective_before_the_kind_word_names_no_service() {
        for text in [
            "Afgezegde training 17 november + factuur",
            "Geannuleerde workshop en geen bericht",
            "Uitgevallen cursus van 3 november",
            "Mislukte training in Zwolle",
            "Tweedaagse training: klacht",
        ] {
            assert_eq!(free_service(text), None, "{text}");
        }
        // The name after the kind word is read as ever, up to what is done with it.
        assert_eq!(
            free_service("Op 17 november zou numun de Training Feedback geven en ontvangen verzorgen voor ons team.").as_deref(),
            Some("Training Feedback geven en ontvangen")
        );
        assert_eq!(
            free_service("Verplaatste training Omgaan met conflicten").as_deref(),
            Some("Training Omgaan met conflicten")
        );
        // English names before the kind word stay names.
        for (text, want) in [
            ("the Advanced Excel course", "Course Advanced Excel"),
            (
                "the Corporate Finance training",
                "Training Corporate Finance",
            ),
            (
                "our Change Management workshop",
                "Workshop Change Management",
            ),
        ] {
            assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
        }
        for (word, want) in [
            ("Afgezegde", true),
            ("afgelaste", true),
            ("Gemiste", true),
            ("Betaalde", true),
            ("Opgeschoven", true),
            ("Complete", false),
            ("Corporate", false),
            ("Golden", false),
            ("Leadership", false),
        ] {
            assert_eq!(dutch_attribute(word), want, "{word}");
        }
    }
}
