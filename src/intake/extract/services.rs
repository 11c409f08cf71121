//! Services: the catalogue's name when the text names a service or one of its aliases,
//! else a labelled value as written, else a free-text mention ("de training X").

use crate::intake::pattern::Pattern;

use super::lines::Doc;
use super::{ServiceCatalogue, re, squeeze, trim_punct};

mod titles;

use titles::free_service;

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
        static CUT: Pattern = Pattern::new(|| re(r"(?i)[,;(]|\s(?:op|on|d\.d\.|van|from|dd)\s+\d"));
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
    let named = found.fold(first, |best, later| {
        if extends(&later, &best) || course_of_exam(&later, &best) {
            later
        } else {
            best
        }
    });
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
                .filter(|n| typo_of(n, &name))
                .map(|n| strsim::normalized_damerau_levenshtein(n, &name))
                .fold(0.0, f64::max);
            (score >= SIMILAR).then_some((score, service.name.as_str()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// `written` is `name` with a typo or two in its words, not another word in their place:
/// word for word a letter or two off ("Efectief Comuniceren"), not a different word
/// ("Assertief Communiceren" is another training than "Effectief Communiceren"). Names
/// of another number of words (one run together) are compared whole.
fn typo_of(written: &str, name: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (written.split(' ').collect(), name.split(' ').collect());
    a.len() != b.len()
        || a.iter().zip(&b).all(|(x, y)| {
            let most = (y.chars().count() / 4).max(1);
            strsim::damerau_levenshtein(x, y) <= most
        })
}

/// `course` is the course `exam` (an exam, a test, an assessment) is part of: the same
/// title ("Assessment Leading Teams" in the subject, "the Leading Teams course" in the
/// text), the service taken.
fn course_of_exam(course: &str, exam: &str) -> bool {
    let split = |s: &str| {
        let s = s.to_lowercase();
        s.split_once(' ')
            .map(|(k, t)| (k.to_string(), t.to_string()))
    };
    let (Some((course_kind, course_title)), Some((exam_kind, exam_title))) =
        (split(course), split(exam))
    else {
        return false;
    };
    titles::is_exam(&exam_kind) && !titles::is_exam(&course_kind) && course_title == exam_title
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
    fn the_course_an_exam_is_part_of_is_the_service() {
        for (subject, body, want) in [
            // the subject names the assessment, the text the course it ended
            (
                "Complaint - Leading Teams assessment",
                "I attended the Leading Teams course in October and failed the assessment.",
                "Course Leading Teams",
            ),
            (
                "Examen Projectmatig Plannen",
                "De cursus Projectmatig Plannen eindigde met een examen dat slecht beoordeeld is.",
                "Cursus Projectmatig Plannen",
            ),
            // an exam of its own stays the exam
            (
                "Klacht",
                "Het examen Prince2 Foundation werd zonder bericht verplaatst.",
                "Examen Prince2 Foundation",
            ),
            // another course is not the exam's
            (
                "Examen Prince2 Foundation",
                "Ik volgde ook de cursus Projectmatig Plannen.",
                "Examen Prince2 Foundation",
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
        assert!(super::course_of_exam(
            "Course Leading Teams",
            "Assessment Leading Teams"
        ));
        assert!(!super::course_of_exam(
            "Assessment Leading Teams",
            "Course Leading Teams"
        ));
    }

    #[test]
    fn a_service_in_her_own_forwarded_mail_counts_one_in_our_quoted_letter_does_not() {
        use crate::intake::parse::parse;
        let read = |raw: &str| {
            let m = parse(raw.replace('\n', "\r\n").as_bytes()).unwrap();
            extract(&m, &catalogue(), sent()).fields.service
        };
        // Her own earlier mail sent on again: Gmail's forward, Apple Mail's quoted one.
        for raw in [
            "From: Henk <henk@example.nl>\nTo: klacht@numun.nl\nSubject: Fwd: klacht\n\nIk stuur mijn mail hieronder nog een keer door.\n\n---------- Forwarded message ---------\nVan: Henk <henk@example.nl>\nDate: ma 2 nov 2026 om 20:14\nSubject: klacht\nTo: <info@numun.nl>\n\n\nIk was zaterdag 31 oktober bij de herhalingscursus EHBO in Hengelo en er was geen pop.\n",
            "From: Henk <henk@example.nl>\nTo: klacht@numun.nl\nSubject: Re: Aanvulling nodig: klacht KL-2026-0052\n\nIk stuur mijn mail hieronder nog een keer door.\n\nBegin doorgestuurd bericht:\n\n> Van: Henk <henk@example.nl>\n> Onderwerp: klacht\n> Datum: 2 november 2026 om 20:14:00 CET\n> Aan: info@numun.nl\n>\n> Ik was zaterdag 31 oktober bij de herhalingscursus EHBO in Hengelo en er was geen pop.\n",
        ] {
            assert_eq!(read(raw).as_deref(), Some("Herhalingscursus EHBO"), "{raw}");
        }
        // Our letter quoted in her reply names a service she did not.
        for raw in [
            "From: Joyce <joyce@example.nl>\nTo: klacht@numun.nl\nSubject: RE: Aanvulling nodig: klacht KL-2026-0052\n\nAdres: Populierenlaan 9, 3843 BD Harderwijk\n\n-----Oorspronkelijk bericht-----\nVan: Klachten numun <klacht@numun.nl>\nVerzonden: woensdag 25 november 2026 09:10\nAan: Joyce <joyce@example.nl>\nOnderwerp: Aanvulling nodig: klacht KL-2026-0052\n\nWij hebben uw klacht over de herhalingscursus EHBO ontvangen.\n",
            "From: Bas <bas@example.nl>\nTo: klacht@numun.nl\nSubject: Re: Aanvulling nodig: klacht KL-2026-0061\n\nMijn adres is Stationsweg 27, 9401 KL Assen.\n\nOp do 26 nov 2026 om 14:02 schreef Klachten numun <klacht@numun.nl>:\n\n> Wij hebben uw klacht over de workshop Werken met Excel ontvangen.\n",
        ] {
            assert_eq!(read(raw), None, "{raw}");
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
        // Another service of the same kind is not a typo of one in the catalogue, nor is
        // one with a word in another's place.
        for (text, want) in [
            (
                "Ik volgde de training Effectief Onderhandelen in Zwolle.",
                "Training Effectief Onderhandelen",
            ),
            (
                "Vandaag had ik de training Assertief communiceren in Utrecht.",
                "Training Assertief communiceren",
            ),
        ] {
            assert_eq!(ex(text).fields.service.as_deref(), Some(want), "{text}");
        }
        assert!(super::typo_of(
            "efectief comuniceren",
            "effectief communiceren"
        ));
        assert!(!super::typo_of(
            "assertief communiceren",
            "effectief communiceren"
        ));
    }
}
