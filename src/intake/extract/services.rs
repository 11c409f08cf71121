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

/// The words a service's one-word name makes compounds with in Dutch
/// ("coachingsgesprek", "coachingsessie"): the service itself, at one of its meetings.
const COMPOUND_HEADS: [&str; 13] = [
    "traject",
    "gesprek",
    "sessie",
    "afspraak",
    "afspraken",
    "bijeenkomst",
    "les",
    "lessen",
    "dag",
    "middag",
    "ochtend",
    "groep",
    "uur",
];

/// `rest` (what follows a one-word `needle` in the text) is a compound head: "s" or
/// nothing, then one of [`COMPOUND_HEADS`], then the end of the word (a plural "-en",
/// "-s" too).
fn compound_head(rest: &str, needle: &str) -> bool {
    if needle.contains(' ') || needle.chars().count() < 6 {
        return false;
    }
    let rest = rest.strip_prefix('s').unwrap_or(rest);
    COMPOUND_HEADS.iter().any(|head| {
        rest.strip_prefix(head).is_some_and(|after| {
            let after = after
                .strip_prefix("sen")
                .or_else(|| after.strip_prefix("ken"))
                .or_else(|| after.strip_prefix("en"))
                .or_else(|| after.strip_prefix('s'))
                .unwrap_or(after);
            after.chars().next().is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// The byte ranges where `needle` occurs in `hay` as whole words (or as the first part of
/// a compound with a meeting word: "coachingsgesprek").
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
            .is_none_or(|c| !c.is_alphanumeric())
            || compound_head(&hay[end..], needle);
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
    // The first mention, unless a later one names the same service more fully (a subject
    // "Klacht workshop Excel", a body "de workshop Werken met Excel voor gevorderden").
    let mut found = [subject, body, note].into_iter().filter_map(free_service);
    let first = found.next()?;
    let named = found.fold(
        first,
        |best, later| {
            if extends(&later, &best) { later } else { best }
        },
    );
    Some(misspelt(&named, catalogue).map_or(named, str::to_string))
}

/// The catalogue's service a name written with a typo or two means ("Training Efectief
/// Comuniceren"): one of its names or aliases within a few letters of it, counted on
/// names long enough that a few letters do not make another word.
fn misspelt<'c>(named: &str, catalogue: &'c ServiceCatalogue) -> Option<&'c str> {
    const SIMILAR: f64 = 0.85;
    const LONG_ENOUGH: usize = 10;
    let named = normalise(named);
    let title = named.split_once(' ').map_or(named.as_str(), |(_, t)| t);
    catalogue
        .services
        .iter()
        .flat_map(|s| {
            std::iter::once(&s.name)
                .chain(&s.aliases)
                .map(move |n| (s, n))
        })
        .filter_map(|(service, name)| {
            let name = normalise(name);
            // As many words as the name has: a title that ran on ("... viel tegen").
            let words = name.split(' ').count();
            let cut = |t: &str| t.split(' ').take(words).collect::<Vec<_>>().join(" ");
            let (named_cut, title_cut) = (cut(&named), cut(title));
            let score = [named.as_str(), title, &named_cut, &title_cut]
                .into_iter()
                .filter(|n| n.chars().count() >= LONG_ENOUGH && name.chars().count() >= LONG_ENOUGH)
                .map(|n| strsim::normalized_damerau_levenshtein(n, &name))
                .fold(0.0, f64::max);
            (score >= SIMILAR).then_some((score, service.name.as_str()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// `longer` names the service `shorter` names, with more words: every word of `shorter`
/// is in it, in order, the kind word first in both.
fn extends(longer: &str, shorter: &str) -> bool {
    let long: Vec<String> = longer.split_whitespace().map(str::to_lowercase).collect();
    let short: Vec<String> = shorter.split_whitespace().map(str::to_lowercase).collect();
    if long.len() <= short.len() || long.first() != short.first() {
        return false;
    }
    let mut rest = long.iter();
    short.iter().all(|w| rest.any(|l| l == w))
}

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
];

/// "de training Projectmatig Werken", "de cursus 'Excel voor beginners'", "the Project
/// Management course" -> "Training Projectmatig Werken", ...
fn free_service(text: &str) -> Option<String> {
    static KIND: LazyLock<Regex> = LazyLock::new(|| {
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
                    (cap_word(w) && !NOT_TITLES.contains(w)) || ENGLISH_CONNECTORS.contains(w)
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
        // English order: the name before the kind word, written kind first.
        for (text, want) in [
            (
                "I attended the Project Management course last month.",
                "Course Project Management",
            ),
            (
                "I was booked on the Mindfulness at Work workshop.",
                "Workshop Mindfulness at Work",
            ),
            (
                "We did the Art of Negotiation training in Delft.",
                "Training Art of Negotiation",
            ),
        ] {
            assert_eq!(ex(text).fields.service.as_deref(), Some(want), "{text}");
        }
        // A verb after the title is no part of it; "geven" in a title is.
        let e = ex("Wij zouden de Workshop Stressmanagement volgen in Deventer.");
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Workshop Stressmanagement")
        );
        let e = ex("Ik wilde de cursus Projectplanning bijwonen, maar hij ging niet door.");
        assert_eq!(e.fields.service.as_deref(), Some("Cursus Projectplanning"));
        // Titles of several words in sentence case, up to a place, a time or a verb.
        for (text, want) in [
            (
                "Ik volgde de workshop Werken met Excel in Utrecht.",
                "Workshop Werken met Excel",
            ),
            (
                "Op 10 november volgde ik de training Omgaan met conflicten op jullie locatie.",
                "Training Omgaan met conflicten",
            ),
            (
                "Ik deed de training Feedback geven en ontvangen, met collega's.",
                "Training Feedback geven en ontvangen",
            ),
            (
                "Het ging om de training Werken met Outlook en Teams in Zwolle.",
                "Training Werken met Outlook en Teams",
            ),
            (
                "I attended the course Leading Remote Teams on 9 November.",
                "Course Leading Remote Teams",
            ),
            (
                "Ich habe an dem Seminar Verhandeln auf Niederländisch in Arnhem teilgenommen.",
                "Seminar Verhandeln auf Niederländisch",
            ),
            (
                "De cursus Projectmatig Werken was helemaal niet goed.",
                "Cursus Projectmatig Werken",
            ),
        ] {
            assert_eq!(ex(text).fields.service.as_deref(), Some(want), "{text}");
        }
        // "Klacht workshop" in a subject names no workshop.
        let mut m = msg("De workshop Werken met Excel was slecht voorbereid.");
        m.subject = "Klacht workshop".into();
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.service.as_deref(),
            Some("Workshop Werken met Excel")
        );
        // A one-word service in a Dutch compound with a meeting word.
        let e = ex("Mijn coachingsgesprek van 12 november ging niet door.");
        assert_eq!(e.fields.service.as_deref(), Some("Coaching"));
        for text in [
            "Mijn coachingtraject liep slecht.",
            "Het coachingstraject is gestopt.",
        ] {
            assert_eq!(
                ex(text).fields.service.as_deref(),
                Some("Coaching"),
                "{text}"
            );
        }
        let e = ex("De training was slecht en de cursus ook.");
        assert_eq!(e.fields.service, None);
        // "timemanagement" is part of a word here: no match.
        let e = ex("Ik volgde iets over timemanagementachtige zaken.");
        assert_eq!(e.fields.service, None);
    }

    #[test]
    fn long_titles_lower_case_titles_and_the_fuller_mention() {
        for (text, want) in [
            // a field of work after "in de", not a place or a time
            (
                "Ik volg de cursus Leidinggeven in de praktijk.",
                "Cursus Leidinggeven in de praktijk",
            ),
            (
                "De training Coachen in het onderwijs van 3 november was rommelig.",
                "Training Coachen in het onderwijs",
            ),
            (
                "Ik volgde de workshop Presenteren in de zaal van het hotel.",
                "Workshop Presenteren",
            ),
            (
                "De training Feedback geven in de ochtend was te kort.",
                "Training Feedback geven",
            ),
            // a participle ends the title
            (
                "Ik heb de training Klantgericht schrijven gemaakt en het was niets.",
                "Training Klantgericht schrijven",
            ),
            (
                "Wij hebben de cursus Projectplanning voor teams geboekt.",
                "Cursus Projectplanning voor teams",
            ),
            // all in lower case, as on a phone
            (
                "vorige week was de training omgaan met conflicten. het was chaos",
                "Training Omgaan met conflicten",
            ),
            (
                "ik deed de workshop werken met excel\nen de trainer was er niet",
                "Workshop Werken met excel",
            ),
            // e-learning and modules are services too
            (
                "Ik deed de e-learning Veilig Werken met Persoonsgegevens.",
                "E-learning Veilig Werken met Persoonsgegevens",
            ),
            (
                "De module Privacy en Informatiebeveiliging werkte niet.",
                "Module Privacy en Informatiebeveiliging",
            ),
            // a title in parentheses
            (
                "I attended the conflict management training (Omgaan met conflicten) on Monday.",
                "Training Omgaan met conflicten",
            ),
        ] {
            assert_eq!(ex(text).fields.service.as_deref(), Some(want), "{text}");
        }
        // Lower-case words that are no title.
        for text in [
            "de training duurde veel te lang.",
            "de training was slecht georganiseerd.",
            "de cursus zelf was wel goed.",
        ] {
            assert_eq!(ex(text).fields.service, None, "{text}");
        }
        // A subject names the service short, the body in full: the body's.
        for (subject, body, want) in [
            (
                "Klacht workshop Excel",
                "Ik volgde de workshop Werken met Excel voor gevorderden.",
                "Workshop Werken met Excel voor gevorderden",
            ),
            (
                "Cursus Leidinggeven",
                "Over de cursus Leidinggeven in de praktijk: het was niets.",
                "Cursus Leidinggeven in de praktijk",
            ),
            // a different service in the body: the subject's stays
            (
                "Klacht workshop Excel",
                "Ik volgde ook de training Projectmatig Werken.",
                "Workshop Excel",
            ),
        ] {
            let mut m = msg(body);
            m.subject = subject.into();
            assert_eq!(
                extract(&m, &catalogue(), sent()).fields.service.as_deref(),
                Some(want),
                "{subject}"
            );
        }
    }

    #[test]
    fn a_misspelt_catalogue_name_is_the_catalogues() {
        for (text, want) in [
            (
                "Ik volgde de training Efectief Comuniceren in Zwolle.",
                "Training Effectief Communiceren",
            ),
            (
                "De workshop Timemanagment was rommelig.",
                "Workshop Timemanagement",
            ),
            (
                "Het leertraject Persoonlijk Leiderchap viel tegen.",
                "Leertraject Persoonlijk Leiderschap",
            ),
        ] {
            assert_eq!(ex(text).fields.service.as_deref(), Some(want), "{text}");
        }
        // Another service of the same kind is not a typo of one in the catalogue.
        let e = ex("Ik volgde de training Effectief Onderhandelen in Zwolle.");
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Training Effectief Onderhandelen")
        );
    }
}
