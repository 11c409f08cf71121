//! The title of a service written in free text: "de training Projectmatig Werken", "de
//! cursus 'Excel voor beginners'", "the Project Management course".

mod lower_case;
mod stops;

use crate::intake::pattern::Pattern;

use super::super::names::cap_word;
use super::super::{re, squeeze};
use lower_case::{lower_case_title, topic_after, topic_before};
use stops::TITLE_STOPS;

/// The kind words of a service, and (`COMPOUND`) those that also end a Dutch or German
/// compound that is one ("herhalingscursus", "praktijkexamen", "Abschlussprüfung"). Exams,
/// assessments and learning tracks are services too.
const KINDS: &str = r"course|seminar|kurs(?:es)?|e-learning|elearning|module|masterclass|webinar|lezing|leertraject|learning\s+track|learning\s+path|examination|exam";
const COMPOUND: &str = r"training|cursus|workshop|opleiding|examen|toets|assessment|pr(?:ü|ue)fung|lehrgang(?:e?s)?|leergang|schulung";

/// The kind word of a service in the text, compounds included: "cursus", "herhalingscursus",
/// "BHV-praktijkexamen", "learning track".
static KIND: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?i)\b(?:(?:(?P<pre>[\p{{L}}\d]{{2,12}})-)?\p{{L}}{{0,18}}?(?:{COMPOUND})|(?:\p{{L}}{{2,12}}-){{1,2}}kurs(?:es)?|{KINDS})\b"
    ))
});

/// An exam, a test or an assessment: of a course, when one is named after it ("het
/// praktijkassessment van de leergang X"), the course is the service.
static EXAM: Pattern =
    Pattern::new(|| re(r"(?i)(?:examen|exam|examination|toets|assessment|pr(?:ü|ue)fung)$"));
/// Whether a kind word (as [`free_service`] writes it, or as written) is an exam's.
pub(super) fn is_exam(kind: &str) -> bool {
    EXAM.is_match(kind)
}

/// What joins an exam to the course it is part of: "van de", "of the", "der".
static OF_THE: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\s*(?:van\s+(?:de|het|mijn)|bij\s+(?:de|het)|of\s+(?:the|my)|for\s+the|from\s+the|der|des|vom|zum\s+abschluss\s+(?:der|des))\s",
    )
});

const CONNECTORS: &[&str] = &[
    "met", "en", "voor", "aan", "de", "het", "een", "&", "and", "of", "for", "the", "to", "with",
    "auf", "für", "mit", "und", "im", "a",
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

/// "de training Projectmatig Werken", "de cursus 'Excel voor beginners'", "the Project
/// Management course", "mijn BHV-praktijkexamen" -> "Training Projectmatig Werken", ...
pub(super) fn free_service(text: &str) -> Option<String> {
    for m in KIND.find_iter(text) {
        let Some((named, end)) = mention(text, m.start(), m.end()) else {
            continue;
        };
        // "het examen Projectmanagement van de leergang X": the leergang.
        if is_exam(m.as_str())
            && let Some(rest) = text.get(end..)
            && OF_THE.is_match(rest)
            && let Some(course) = free_service(rest.split('\n').next().unwrap_or_default())
        {
            return Some(course);
        }
        return Some(named);
    }
    None
}

/// A reason in quotes, no title: de training "door omstandigheden" ging niet door, the
/// course was cancelled "due to unforeseen circumstances", "wegen Krankheit".
static REASON: Pattern = Pattern::new(|| {
    re(concat!(
        r"(?i)^(?:door|wegens|vanwege|due\s+to|owing\s+to|wegen|aufgrund|aus)\s+(?:\S+\s+)?",
        r"(?:omstandigheden|ziekte|overmacht|circumstances|illness|sickness|umst(?:ä|ae)nde\w*|krankheit|gr(?:ü|ue)nden)\b",
    ))
});

/// The service a kind word at `start..end` names, and where its name ends in the text.
fn mention(text: &str, start: usize, end: usize) -> Option<(String, usize)> {
    let kind_written = nominative(&text[start..end]);
    let kind = kind_name(kind_written);
    let after = &text[end..];
    let line_after = after.split('\n').next().unwrap_or_default();
    // Quoted: "de cursus 'Excel voor beginners'"; in parentheses a title, not an aside
    // ("de training (2e dag, lokaal 3)").
    let t = line_after.trim_start();
    if t.len() < line_after.len()
        && let Some(open) = t.chars().next()
        && "\"'“‘«„‚(".contains(open)
    {
        let close: &[char] = &['"', '\'', '”', '’', '»', '“', '‘', ')'];
        let inner = &t[open.len_utf8()..];
        if let Some(close_at) = inner.find(close) {
            let title = squeeze(&inner[..close_at]);
            let words = title.split_whitespace().count();
            if (1..=6).contains(&words)
                && title.chars().any(char::is_alphabetic)
                && !(open == '(' && aside(&title, true))
                && !REASON.is_match(&title)
            {
                let title_end = end + (line_after.len() - t.len()) + open.len_utf8() + close_at;
                return Some((format!("{kind} {title}"), title_end));
            }
        }
    }
    // Title words: a capitalised first word, then the words of a title in sentence
    // case ("Omgaan met conflicten", "Werken met Outlook en Teams") up to a
    // punctuation mark, a place, a time or a verb.
    let tokens: Vec<&str> = line_after.split_whitespace().take(12).collect();
    // "die Prüfung zum Certified Scrum Master", "de opleiding tot Scrum Master": what the
    // exam or the course makes you is its name.
    let (lead, from) = match tokens.first().map(|t| t.to_lowercase()) {
        Some(w)
            if matches!(w.as_str(), "zum" | "zur" | "tot")
                && tokens
                    .get(1)
                    .is_some_and(|n| n.starts_with(char::is_uppercase)) =>
        {
            (Some(tokens[0]), 1)
        }
        _ => (None, 0),
    };
    let tokens = &tokens[from..];
    let aside_first = aside(&tokens.join(" "), false);
    let title = if aside_first {
        Vec::new()
    } else {
        title_words(
            tokens,
            german(kind_written) || lead.is_some_and(|l| l.starts_with('z')),
        )
    };
    let title_end = |title: &[&str]| {
        title
            .last()
            .and_then(|w| after.find(w).map(|p| end + p + w.len()))
            .unwrap_or(end)
    };
    if title.is_empty()
        && lead.is_none()
        && !aside_first
        && let Some(lower_title) = lower_case_title(tokens)
    {
        return Some((format!("{kind} {lower_title}"), end));
    }
    if title.iter().any(|w| w.starts_with(char::is_uppercase)) {
        let lead = lead.map_or(String::new(), |l| format!("{l} "));
        return Some((
            format!("{kind} {lead}{}", title.join(" ")),
            title_end(&title),
        ));
    }
    // English: "the Project Management course", "the Mindfulness at Work workshop":
    // the name before the kind word, written as the catalogue writes a service, the
    // kind word first ("Workshop Mindfulness at Work").
    let english = kind_written.to_lowercase();
    let english = squeeze(&english);
    if matches!(
        english.as_str(),
        "course"
            | "training"
            | "workshop"
            | "exam"
            | "examination"
            | "assessment"
            | "learning track"
            | "learning path"
    ) {
        const ENGLISH_CONNECTORS: &[&str] = &[
            "at", "of", "for", "and", "in", "on", "with", "to", "the", "&",
        ];
        let before = text[..start].rsplit('\n').next().unwrap_or_default();
        let mut words: Vec<&str> = Vec::new();
        for w in before.split_whitespace().rev().take(6) {
            // "Yesterday's exam", "Monday's course": whose or when, not which.
            let possessive = w.ends_with("'s") || w.ends_with("’s");
            // "Prince2", "ITIL 4": a version or a level inside a name, not next to the kind.
            let versioned = w.starts_with(char::is_uppercase)
                && w.chars().all(char::is_alphanumeric)
                && w.chars().any(|c| c.is_ascii_digit());
            let level = !words.is_empty() && w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit());
            let named = (cap_word(w) || versioned || level)
                && !NOT_TITLES.contains(&w)
                && !dutch_attribute(w)
                && !possessive;
            if !named && !ENGLISH_CONNECTORS.contains(&w) {
                break;
            }
            words.push(w);
        }
        // A level is a name's last word at most ("the ITIL 4 Foundation exam").
        while words
            .last()
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
        {
            words.pop();
        }
        // "During the course": a name stands right before the kind word, not "the".
        if words
            .first()
            .is_some_and(|w| ENGLISH_CONNECTORS.contains(w))
        {
            words.clear();
        }
        while words.last().is_some_and(|w| ENGLISH_CONNECTORS.contains(w)) {
            words.pop();
        }
        words.reverse();
        if !words.is_empty() && before.trim_end().len() + 1 >= before.len() {
            return Some((format!("{kind} {}", words.join(" ")), end));
        }
    }
    // "mijn BHV-praktijkexamen", "de Excel-cursus": a compound whose first part is a
    // name (a capital, an acronym) names the service by itself.
    if let Some((pre, _)) = kind_written.split_once('-')
        && pre.starts_with(char::is_uppercase)
        && !kind_written.eq_ignore_ascii_case("e-learning")
    {
        return Some((kind, end));
    }
    if topic_compound(kind_written) {
        return Some((kind, end));
    }
    // In lower case, as on a phone: "de ehbo herhalingscursus", "de cursus projectplanning
    // van vorige week"; what tells when or where after it is no topic.
    if lead.is_none() && dutch(kind_written) {
        let before = text[..start].rsplit('\n').next().unwrap_or_default();
        let after = (!aside_first).then(|| topic_after(tokens)).flatten();
        if let Some(topic) = topic_before(before, tokens).or(after) {
            return Some((format!("{kind} {topic}"), end));
        }
    }
    None
}

/// A German compound whose first part is a topic names the service by itself, with
/// its capital: "das Kommunikationstraining", "die Brandschutzschulung"; one whose first
/// part says only how or when it was given ("Auffrischungskurs", "die Herhalingscursus"
/// at a sentence's start) does not.
fn topic_compound(kind_written: &str) -> bool {
    const HOW_OR_WHEN: &[&str] = &[
        "auffrischungs",
        "wiederholungs",
        "einführungs",
        "fortbildungs",
        "weiterbildungs",
        "vertiefungs",
        "aufbau",
        "grund",
        "basis",
        "intensiv",
        "tages",
        "abend",
        "wochenend",
        "online",
        "präsenz",
        "inhouse",
        "firmen",
        "team",
        "gruppen",
        "praxis",
        "herhalings",
        "opfris",
        "praktijk",
        "groeps",
        "avond",
        "dag",
        "bedrijfs",
        "maatwerk",
        "incompany",
        "vervolg",
        "introductie",
        "kennismakings",
        "proef",
        "schnupper",
        "zusatz",
        "pflicht",
    ];
    static HEAD: Pattern = Pattern::new(|| {
        re(r"^(\p{Lu}\p{Ll}{4,17}?)(?:training|schulung|lehrgang|seminar|workshop)$")
    });
    HEAD.captures(kind_written).is_some_and(|c| {
        let topic = c[1].to_lowercase();
        !HOW_OR_WHEN.contains(&topic.as_str())
    })
}

/// The title words after a kind word, up to a punctuation mark, a place, a time or a verb.
/// In German, where every noun has a capital, a word in lower case that joins none
/// ("ablegen", "gebucht") ends it too.
fn title_words<'t>(tokens: &[&'t str], german: bool) -> Vec<&'t str> {
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
            // "Eerste hulp bij kinderen die ik ...": a small word and a noun or two in
            // lower case, up to a relative clause or the clause's end.
            if let Some(n) = small_word_phrase(&tokens[k..]) {
                title.extend(tokens[k..k + n].iter().map(|t| title_word(t).0));
                break;
            }
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
        if german && !capital && !CONNECTORS.contains(&lower.as_str()) {
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
    title
}

/// A kind word a Dutch title stands around ("de ehbo herhalingscursus"): not an English
/// or a German one only ("exam", "course", "Prüfung").
fn dutch(kind: &str) -> bool {
    static FOREIGN: Pattern = Pattern::new(|| {
        re(
            r"(?i)^(?:course|exam|examination|learning\s+(?:track|path)|kurs)$|pr(?:ü|ue)fung$|lehrgang$|schulung$",
        )
    });
    !FOREIGN.is_match(kind)
}

/// A German kind word as a name starts, not in the genitive: "Ihres Lehrgangs
/// Fachkraft für Lagerlogistik", "des Kurses" -> "Lehrgang", "Kurs".
fn nominative(kind: &str) -> &str {
    let lower = kind.to_lowercase();
    let strip = if lower.ends_with("lehrganges") || lower.ends_with("kurses") {
        2
    } else if lower.ends_with("lehrgangs") {
        1
    } else {
        0
    };
    &kind[..kind.len() - strip]
}

/// A German kind word: "Prüfung", "Abschlussprüfung", "Schulung", "Lehrgang", "Kurs".
fn german(kind: &str) -> bool {
    static GERMAN: Pattern =
        Pattern::new(|| re(r"(?i)(?:pr(?:ü|ue)fung|schulung|lehrgang|^kurs)$"));
    GERMAN.is_match(kind)
}

/// The kind word as a service's name starts: "Training", "Herhalingscursus", "Learning
/// track"; a compound after a name or an acronym keeps it as written ("BHV-praktijkexamen").
fn kind_name(written: &str) -> String {
    let written = squeeze(written);
    match written.split_once('-') {
        // German, every part a noun: "Erste-Hilfe-Kurs" as written
        Some((pre, rest))
            if pre.starts_with(char::is_uppercase)
                && rest.split('-').all(|p| p.starts_with(char::is_uppercase)) =>
        {
            written
        }
        Some((pre, rest))
            if pre.starts_with(char::is_uppercase)
                && !written.eq_ignore_ascii_case("e-learning") =>
        {
            format!("{pre}-{}", rest.to_lowercase())
        }
        _ => capitalise(&written),
    }
}

/// Words that tell when or where, not which: a day, a room, a place, a part.
const WHEN_AND_WHERE: &[&str] = &[
    "dag",
    "dagdeel",
    "day",
    "tag",
    "lokaal",
    "zaal",
    "room",
    "raum",
    "ruimte",
    "locatie",
    "location",
    "gebouw",
    "building",
    "verdieping",
    "floor",
    "vandaag",
    "gisteren",
    "vanochtend",
    "vanmorgen",
    "vanmiddag",
    "vanavond",
    "today",
    "yesterday",
    "heute",
    "gestern",
    "ochtend",
    "middag",
    "avond",
    "morning",
    "afternoon",
    "evening",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "online",
    "via",
    "in",
    "op",
    "te",
    "bij",
    "at",
    "on",
    "im",
    "am",
    "um",
    "van",
    "from",
    "deel",
    "part",
    "week",
    "les",
    "sessie",
    "session",
    "bijeenkomst",
    "groep",
    "group",
    "eerste",
    "tweede",
    "derde",
    "vierde",
    "vijfde",
    "laatste",
    "first",
    "second",
    "third",
    "fourth",
    "last",
    "zie",
    "see",
];

/// What follows a bare kind word and tells when or where, not which: a day of the course,
/// a room, a place, a weekday, a time ("de training (2e dag, lokaal 3 in amersfoort)",
/// "de workshop Dag 2", "the course (Tuesday evening group)", "de cursus (online)").
/// Outside parentheses such a word followed by a capital starts a title ("the course
/// First Aid at Work", "de training Online Marketing"); inside them, a list, a number or
/// a word in lower case first is an aside too.
fn aside(text: &str, in_parentheses: bool) -> bool {
    let mut words = text.split_whitespace();
    let Some(written) = words.next() else {
        return false;
    };
    let first = written
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let next = words.next();
    let next_capital = next.is_some_and(|next| next.starts_with(char::is_uppercase));
    // "de cursus Eerste hulp bij kinderen": a capitalised ordinal before a word that
    // tells no when or where ("Eerste dag", "First session" do) starts a title.
    const ORDINALS: &[&str] = &["eerste", "first", "erste"];
    let titled_ordinal = !in_parentheses
        && ORDINALS.contains(&first.as_str())
        && written.starts_with(char::is_uppercase)
        && next.is_some_and(|next| {
            let next = next
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            next.chars().all(char::is_alphabetic)
                && !next.is_empty()
                && !WHEN_AND_WHERE.contains(&next.as_str())
        });
    if titled_ordinal {
        return false;
    }
    // "2e", "3de", "1st", "2.", "14": a number first is a day, a room or a date.
    let number = first.starts_with(|c: char| c.is_ascii_digit())
        && first
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .chars()
            .all(char::is_alphabetic)
        && first.chars().filter(char::is_ascii_alphabetic).count() <= 3;
    let when_or_where = number || WHEN_AND_WHERE.contains(&first.as_str());
    if in_parentheses {
        let lower = written.starts_with(char::is_lowercase);
        when_or_where || lower || text.contains([',', ';'])
    } else {
        when_or_where && !next_capital
    }
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

/// A Dutch or German past participle ("gemaakt", "gevolgd", "georganiseerd", "abgelegt",
/// "afgerond"): a verb, so the end of a title.
fn participle(lower: &str) -> bool {
    const SEPARABLE: &[&str] = &[
        "ab", "an", "auf", "aus", "ein", "mit", "nach", "vor", "zu", "af", "aan", "op", "uit",
        "in", "mee", "door", "over", "terug",
    ];
    let alphabetic = lower.chars().all(char::is_alphabetic);
    // "werkte", "duurde", "eindigde": a verb in the past, after the title.
    let past = lower.len() >= 5 && (lower.ends_with("te") || lower.ends_with("de"));
    let ge = |w: &str| w.len() >= 6 && w.starts_with("ge") && w.ends_with(['t', 'd']);
    let separable = lower.len() >= 7
        && SEPARABLE.iter().any(|p| {
            lower
                .strip_prefix(p)
                .is_some_and(|r| r.starts_with("ge") && r.ends_with(['t', 'd', 'n']))
        });
    alphabetic && (ge(lower) || past || separable)
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

/// "bij kinderen", "van gesprekken", "bij ouderen en kinderen" after a title word: the small
/// word and one or two nouns in lower case, when a relative clause follows ("die ik
/// heb gevolgd", "dat we deden") or punctuation or the line's end closes them. How
/// many tokens of the title they are.
fn small_word_phrase(tokens: &[&str]) -> Option<usize> {
    const SMALL: &[&str] = &["bij", "van", "voor", "met"];
    const NOT_NOUNS: &[&str] = &[
        "ons", "mij", "me", "jullie", "u", "hem", "haar", "hen", "hun", "mijn", "onze", "uw",
        "zijn", "je", "jou", "jouw", "de", "het", "een", "deze", "die", "dat", "dit", "en", "nu",
        "zo",
    ];
    const RELATIVE: &[&str] = &["die", "dat", "waar", "welke", "waarvan", "waarin"];
    const SUBJECTS: &[&str] = &[
        "ik", "we", "wij", "u", "je", "jij", "mijn", "onze", "ze", "zij",
    ];
    let (small, small_ends) = title_word(tokens.first()?);
    if small_ends || !SMALL.contains(&small.to_lowercase().as_str()) {
        return None;
    }
    let noun = |token: &str| {
        let (word, ends) = title_word(token);
        let lower = word.to_lowercase();
        let fits = wordlike(word)
            && word.starts_with(char::is_lowercase)
            && !NOT_NOUNS.contains(&lower.as_str())
            && !ends_title(&lower)
            && !participle(&lower)
            && !PLACES_AND_TIMES.contains(&lower.as_str())
            && !WHEN_AND_WHERE.contains(&lower.as_str());
        (fits, ends)
    };
    let mut n = 1;
    while n < tokens.len() && n <= 3 {
        let (fits, ends) = noun(tokens[n]);
        // "ouderen en kinderen": a noun, "en", a noun
        let joined = n == 2
            && title_word(tokens[n]).0 == "en"
            && tokens.get(n + 1).is_some_and(|t| noun(t).0);
        if joined {
            n += 1;
            continue;
        }
        if !fits {
            break;
        }
        n += 1;
        if ends {
            return Some(n);
        }
    }
    if n < 2 || title_word(tokens[n - 1]).0 == "en" {
        return None;
    }
    match tokens.get(n) {
        None => Some(n),
        Some(next) => {
            let lower = title_word(next).0.to_lowercase();
            let subject = tokens
                .get(n + 1)
                .map(|t| title_word(t).0.to_lowercase())
                .is_some_and(|t| SUBJECTS.contains(&t.as_str()));
            (RELATIVE.contains(&lower.as_str()) && subject).then_some(n)
        }
    }
}

/// A word that ends a title.
fn ends_title(lower: &str) -> bool {
    TITLE_STOPS.contains(&lower)
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
mod tests;
