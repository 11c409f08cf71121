//! Titles written in lower case, as on a phone and without punctuation: "de training
//! omgaan met conflicten", "de ehbo herhalingscursus in zwolle", "bij de bhv training",
//! "de excel cursus gevorderden", "de cursus projectplanning van vorige week".

use crate::intake::dates::{month_number, weekday};

use super::{
    CONNECTORS, KIND, NOT_TITLES, WHEN_AND_WHERE, dutch_attribute, ends_title, participle,
    title_word, wordlike,
};

/// A title written all in lower case, as on a phone: "de training omgaan met conflicten."
/// Two to five words up to the end of the sentence or line, joined by "met", "voor", "en"
/// (what titles are made of, and verbs and adverbs are not), none a word that ends a
/// title. The first letter is made a capital.
pub(super) fn lower_case_title(tokens: &[&str]) -> Option<String> {
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

/// What stands before a Dutch kind word and names the service in lower case: "de ehbo
/// herhalingscursus", "bij de bhv training", "de excel cursus gevorderden" -> "Ehbo", "Bhv",
/// "Excel gevorderden". One topic word between an article (or "mijn", "jullie") and the
/// kind word, then a level if one follows. `before` is the text up to the kind word,
/// `after` the words after it.
pub(super) fn topic_before(before: &str, after: &[&str]) -> Option<String> {
    const ARTICLES: &[&str] = &[
        "de", "het", "een", "mijn", "m'n", "onze", "ons", "jullie", "uw", "die", "deze", "dat",
    ];
    if !before.ends_with(char::is_whitespace) {
        return None;
    }
    let mut words = before.split_whitespace().rev();
    let topic = words.next()?;
    let article = words.next()?.to_lowercase();
    if !ARTICLES.contains(&article.as_str()) || !topic_word(topic) {
        return None;
    }
    Some(capitalise_first(&with_level(topic, after)))
}

/// One topic word after a kind word, in lower case, before a place, a time or a verb ("de
/// cursus projectplanning van vorige week", "de training timemanagement in zwolle") or at
/// the end of the line; a level may follow ("de cursus excel gevorderden").
pub(super) fn topic_after(tokens: &[&str]) -> Option<String> {
    let (first, ends) = title_word(tokens.first()?);
    if first.chars().count() < 6 || !topic_word(first) || first.chars().any(char::is_uppercase) {
        return None;
    }
    let rest = &tokens[1..];
    let named = with_level(first, rest);
    let taken = named.split(' ').count();
    let closed = ends
        || rest.get(taken - 1).is_none_or(|next| {
            let (next, _) = title_word(next);
            PLACE_OR_TIME.contains(&next.to_lowercase().as_str())
        });
    closed.then(|| capitalise_first(&named))
}

/// The words after a topic that end it: a place or a time follows.
const PLACE_OR_TIME: &[&str] = &[
    "in",
    "op",
    "te",
    "bij",
    "van",
    "vorige",
    "vorig",
    "afgelopen",
    "gisteren",
    "eergisteren",
    "vandaag",
    "vanochtend",
    "vanmorgen",
    "vanmiddag",
    "vanavond",
    "laatst",
    "jl",
    "was",
    "is",
    "werd",
    "ging",
    "begon",
    "bleek",
    "heb",
    "had",
    "en",
    "maar",
    "want",
    "omdat",
    "toen",
];

/// `topic` and the level after it, if one follows: "excel gevorderden", "excel voor
/// beginners".
fn with_level(topic: &str, after: &[&str]) -> String {
    const LEVELS: &[&str] = &[
        "beginners",
        "gevorderden",
        "gevorderd",
        "basis",
        "starters",
        "experts",
        "advanced",
        "intermediate",
    ];
    let (topic, _) = title_word(topic);
    let word = |i: usize| {
        after
            .get(i)
            .map(|t| title_word(t).0)
            .filter(|w| LEVELS.contains(&w.to_lowercase().as_str()))
    };
    if let Some(level) = word(0) {
        return format!("{topic} {level}");
    }
    if after
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("voor"))
        && let Some(level) = word(1)
    {
        return format!("{topic} voor {level}");
    }
    topic.to_string()
}

/// A word that can be a service's topic: letters (digits after them: "prince2"), not an
/// article, a joining word, a word of a place or a time (a month, a weekday), another kind
/// word ("eindtoets"), a verb, an adverb or an adjective ("online", "tweedaagse",
/// "slechte": an inflected -e says what it was like).
fn topic_word(word: &str) -> bool {
    const NOT_TOPICS: &[&str] = &[
        "online",
        "gratis",
        "extra",
        "live",
        "hybride",
        "fysiek",
        "digitaal",
        "klassikaal",
        "nieuw",
        "oud",
        "leuk",
        "goed",
        "slecht",
        "saai",
        "duur",
        "kort",
        "lang",
        "eigen",
        "hele",
        "zelfde",
        "ander",
        "welke",
        "zo'n",
        "zulke",
        "helaas",
        "totaal",
        "compleet",
        "gewoon",
        "eigenlijk",
        "uiteindelijk",
        "alsnog",
        "opnieuw",
        "daarna",
        "vervolgens",
        "meteen",
        "achteraf",
        "namelijk",
        "eindelijk",
        "ineens",
        "opeens",
        "gelukkig",
        "alleen",
        "volledig",
        "nauwelijks",
        "bijna",
        "trouwens",
        "overigens",
        "echter",
        "hierover",
        "daarover",
        "jammer",
        "prima",
        "zelfs",
        "verder",
        "daar",
        "hier",
        "er",
        "nu",
        "dus",
        "ook",
        "zo",
        "begint",
        "start",
        "duurt",
        "kost",
        "kostte",
        "loopt",
        "liep",
        "viel",
        "valt",
        "bleef",
        "blijft",
        "stond",
        "staat",
        "vond",
        "vindt",
        "zat",
        "zit",
        "gaf",
        "geeft",
        "heeft",
        "leek",
        "lijkt",
        "moet",
        "kan",
        "mag",
        "wil",
        "zal",
        "wordt",
        "werden",
        "eindigt",
        "stopt",
    ];
    let (word, _) = title_word(word);
    let lower = word.to_lowercase();
    let letters_first = word.starts_with(char::is_alphabetic)
        && word.chars().all(char::is_alphanumeric)
        && wordlike(word);
    letters_first
        && lower.chars().count() >= 2
        && !lower.ends_with('e')
        && !NOT_TOPICS.contains(&lower.as_str())
        && !NOT_TITLES.iter().any(|n| n.eq_ignore_ascii_case(word))
        && !CONNECTORS.contains(&lower.as_str())
        && !WHEN_AND_WHERE.contains(&lower.as_str())
        && !ends_title(&lower)
        && !participle(&lower)
        && !dutch_attribute(word)
        && month_number(word).is_none()
        && weekday(word).is_none()
        && !KIND.is_match(word)
}

fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::free_service;
    use super::*;

    #[test]
    fn a_topic_around_the_kind_word_in_lower_case() {
        for (text, want) in [
            (
                "ik was ingeschreven voor de ehbo herhalingscursus in zwolle eergisteren en de deur zat op slot",
                "Herhalingscursus Ehbo",
            ),
            (
                "gisteren bij de bhv training in almere was niemand",
                "Training Bhv",
            ),
            (
                "ik volg de excel cursus gevorderden en de laptops deden het niet",
                "Cursus Excel gevorderden",
            ),
            (
                "de excel cursus voor beginners was een ramp",
                "Cursus Excel voor beginners",
            ),
            (
                "ik heb de cursus projectplanning van vorige week gevolgd",
                "Cursus Projectplanning",
            ),
            ("mijn vca examen werd afgezegd", "Examen Vca"),
        ] {
            assert_eq!(free_service(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn an_aside_an_adjective_or_a_verb_is_no_topic() {
        for text in [
            "de training in zwolle begon te laat",
            "de cursus dinsdag ging niet door",
            "de online training viel uit",
            "de tweedaagse cursus was rommelig",
            "de slechte training van vorige week",
            "de hele cursus was chaos",
            "de cursus begint in januari",
            "de training helaas in zwolle",
            "de cursus kost 500 euro",
            "de training vond ik slecht",
            "klacht workshop september",
            "klacht e-learning eindtoets",
            "de cursus lokaal 3 was koud",
            "ik heb de training gisteren gevolgd",
            "Complaint about my exam result",
            "the excel course was a mess",
        ] {
            assert_eq!(free_service(text), None, "{text}");
        }
        assert!(topic_word("ehbo") && topic_word("excel") && topic_word("prince2"));
        for word in [
            "online",
            "slechte",
            "dinsdag",
            "maart",
            "in",
            "gevolgd",
            "eindtoets",
        ] {
            assert!(!topic_word(word), "{word}");
        }
    }
}
