//! A weekday named alone ("maandag liep de trainer weg", "am Dienstag sagte der Trainer",
//! "on Monday the trainer left"): the most recent such day on or before the mail's date,
//! when the sentence tells in the past and nothing makes it a plan or a habit.

use crate::intake::pattern::Pattern;

use chrono::{Datelike, Days, NaiveDate};

use super::super::re;
use crate::intake::dates::weekday;

/// The day a weekday named alone at `start..end` of `text` names, told in the past.
pub(super) fn weekday_alone(
    text: &str,
    start: usize,
    end: usize,
    sent: NaiveDate,
) -> Option<NaiveDate> {
    if NOT_PAST_BEFORE.is_match(&text[..start])
        || NOT_PAST_AFTER.is_match(&text[end..])
        || !told_in_the_past(text, start, end)
    {
        return None;
    }
    let word: String = text[start..end]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    let wd = (3..=word.len())
        .rev()
        .find_map(|n| word.get(..n).and_then(weekday))?;
    let diff = (7 + sent.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    sent.checked_sub_days(Days::new(u64::from(diff)))
}

/// Before a weekday named alone: a plan, a habit or a day of the coming week
/// ("volgende dinsdag", "elke maandag", "next Monday", "jeden Montag", "tot maandag"), or
/// which run of a course it is ("de avondvariant op dinsdag", "the evening group on
/// Tuesday", "die Gruppe am Dienstag"), or an unknown one ("het was een woensdag of
/// donderdag", "it was a Tuesday"): a day of the week, not a date.
static NOT_PAST_BEFORE: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b\w*(?:variant|groep|editie|versie|group|gruppe)\s+(?:op|on|am)\s*$|\b(?:een|a|ein|einem|einen)\s*(?:\w+\s+(?:of|or|oder)\s*)?$|\b(?:volgende|komende|aanstaande|eerstvolgende|deze|elke|iedere|tot|vanaf|per|next|coming|this|every|each|until|till|from|by|n(?:ä|ae)chsten|n(?:ä|ae)chste|kommenden|diesen|jeden|jede|bis|ab)\s*$",
    )
});

/// After a weekday named alone: "dinsdag a.s.", "maandag over een week", "Monday next week";
/// or its date, which says the day itself ("am Donnerstag, dem 8. Oktober", "dinsdag 3 november").
static NOT_PAST_AFTER: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\s*(?:,?\s*(?:de[nm]|the)?\s*\d{1,2}(?:e|ste|de|st|nd|rd|th)?\.?\s*(?:jan|feb|maa|mrt|m(?:ä|ae)r|mar|apr|mei|mai|may|jun|jul|aug|sep|okt|oct|nov|de[cz]|[-/.]\d)|,?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|a\.s\.|as\b|aanstaande|over\s+een\s+week|next\s+week|volgende\s+week|n(?:ä|ae)chste\s+woche|in\s+einer\s+woche|om\s+\d|at\s+\d|um\s+\d|\d{1,2}[.:]\d{2})",
    )
});

/// A verb in the past tense (or a perfect), Dutch, English, German: what a weekday named
/// alone needs to be a day that has been ("maandag liep de trainer weg", "am Dienstag
/// sagte der Trainer", "on Monday the trainer left"). A plan is said in the present.
static PAST_VERB: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b(?:was|waren|werd|werden|had|hadden|kwam|kwamen|liep|liepen|ging|gingen|zei|zeiden|zat|zaten|stond|stonden|bleef|bleven|gaf|gaven|kreeg|kregen|deed|deden|zag|zagen|begon|begonnen|vond|vonden|sprak|riep|liet|lieten|heb|hebt|heeft|hebben|ben|were|did|came|went|left|said|told|gave|got|took|sat|stood|began|kept|saw|spoke|made|had|war|waren|hatte|hatten|wurde|wurden|kam|kamen|ging|gingen|sagte|sagten|gab|blieb|stand|sa(?:ß|ss)|fing|begann|habe|hat|haben|bin|ist|sind|\w{3,}(?:ed|de|te|den|ten)|ge\w{3,}(?:d|t|en))\b",
    )
});

/// Words ending like a past verb that are none ("volgende", "beste", "minuten").
const NOT_VERBS: &[&str] = &[
    "volgende",
    "komende",
    "aanstaande",
    "eerstvolgende",
    "beste",
    "goede",
    "laatste",
    "eerste",
    "tweede",
    "derde",
    "vierde",
    "vijfde",
    "hele",
    "grote",
    "oude",
    "nieuwe",
    "rode",
    "witte",
    "late",
    "minuten",
    "punten",
    "kosten",
    "weten",
    "praten",
    "zitten",
    "eten",
    "heute",
    "leute",
    "gute",
    "beste",
    "liebe",
    "seite",
    "gestern",
    "morgen",
    "need",
    "needed",
    "speed",
    "feed",
    "seed",
    "indeed",
    "red",
    "bed",
    "hundred",
    "gegen",
    "genug",
    "gewoon",
    "gebouw",
    "gesprek",
    "geld",
    "gezicht",
    "groet",
    "groeten",
    "gerne",
    "gerade",
    "gehen",
    "geht",
];

/// Whether the sentence around `at` in `text` tells in the past.
fn told_in_the_past(text: &str, at: usize, end: usize) -> bool {
    let start = text[..at]
        .rfind(['.', '!', '?', '\n', ';'])
        .map_or(0, |i| i + 1);
    let stop = text[end..]
        .find(['.', '!', '?', '\n', ';'])
        .map_or(text.len(), |i| end + i);
    tells_in_the_past(&text[start..stop].to_lowercase())
}

/// Whether `lower` (lower case) holds a verb in the past tense or a perfect.
fn tells_in_the_past(lower: &str) -> bool {
    PAST_VERB
        .find_iter(lower)
        .any(|m| !NOT_VERBS.contains(&m.as_str()) && weekday(m.as_str()).is_none())
}

/// Whether `lower` is a few words without a verb of their own ("and again on 9 November",
/// "en op 12 november nog een keer"): what it says goes on with the clause before.
pub(super) fn no_verb_of_its_own(lower: &str) -> bool {
    static PRESENT: Pattern =
        Pattern::new(|| re(r"\b(?:is|are|zijn|ist|sind|gaat|komt|kommt|geht|goes|comes)\b"));
    lower.split_whitespace().count() <= 7 && !tells_in_the_past(lower) && !PRESENT.is_match(lower)
}

/// Whether `lower` tells an event in the past: a past verb other than a bare auxiliary
/// ("bellen heb ik liever niet" is a wish, "de trainer heeft ons uitgelachen" an event).
pub(in crate::intake::extract) fn tells_an_event(lower: &str) -> bool {
    const AUXILIARIES: &[&str] = &[
        "heb", "hebt", "heeft", "hebben", "ben", "habe", "hat", "haben", "bin",
    ];
    PAST_VERB.find_iter(lower).any(|m| {
        let verb = m.as_str();
        !NOT_VERBS.contains(&verb) && !AUXILIARIES.contains(&verb) && weekday(verb).is_none()
    })
}

#[cfg(test)]
mod tests {
    use crate::intake::extract::tests::{d, ex};

    fn date(text: &str) -> Option<chrono::NaiveDate> {
        ex(text).fields.incident_date
    }

    #[test]
    fn a_weekday_named_alone_told_in_the_past() {
        // sent() is Friday 20 November 2026.
        for (text, want) in [
            ("Maandag liep de trainer halverwege weg.", d(2026, 11, 16)),
            (
                "maandag liep de trainer weg en niemand nam het over",
                d(2026, 11, 16),
            ),
            (
                "Am Dienstag sagte der Trainer, wir sollten still sein.",
                d(2026, 11, 17),
            ),
            ("On Monday the trainer left after an hour.", d(2026, 11, 16)),
            (
                "Woensdagavond was de zaal dicht toen we aankwamen.",
                d(2026, 11, 18),
            ),
            // the day of the mail itself
            ("Vrijdag kwam de trainer een uur te laat.", d(2026, 11, 20)),
            (
                "Op donderdag heeft de coach de sessie zonder bericht afgezegd.",
                d(2026, 11, 19),
            ),
            ("Letzten Mittwoch war der Raum eiskalt.", d(2026, 11, 18)),
            ("Gestern kam der Trainer zu spät.", d(2026, 11, 19)),
            ("Vorgestern fiel der Kurs aus.", d(2026, 11, 18)),
        ] {
            assert_eq!(date(text), Some(want), "{text}");
        }
    }

    #[test]
    fn a_weekday_with_its_date_is_that_date() {
        // sent() is Friday 20 November 2026: the weekday alone would be a later day
        for (text, want) in [
            (
                "Ich habe am Donnerstag, dem 8. Oktober 2026, teilgenommen; die Trainerin war unvorbereitet.",
                d(2026, 10, 8),
            ),
            ("Op dinsdag 6 oktober was de zaal dicht.", d(2026, 10, 6)),
            ("On Tuesday, October 6 the room was locked.", d(2026, 10, 6)),
            (
                "Woensdag 07-10 kwam de trainer niet opdagen.",
                d(2026, 10, 7),
            ),
        ] {
            assert_eq!(date(text), Some(want), "{text}");
        }
    }

    #[test]
    fn a_weekday_of_a_plan_or_a_habit_is_no_date_of_the_facts() {
        for text in [
            "Volgende dinsdag is de laatste bijeenkomst, ik hoop dat het dan beter gaat.",
            "Elke maandag begint de training te laat.",
            "Maandag om 10 uur ben ik beschikbaar voor een gesprek.",
            "Next Monday the course continues and the room is too small.",
            "Dinsdag a.s. kan ik langskomen om het toe te lichten.",
            "Bis Freitag erwarte ich eine Antwort.",
        ] {
            assert_eq!(date(text), None, "{text}");
        }
    }

    #[test]
    fn a_contact_that_did_not_happen_is_a_fact() {
        for (text, want) in [
            (
                "vandaag was de zaal dicht niemand had ons gebeld of gemaild",
                d(2026, 11, 20),
            ),
            (
                "Yesterday the room was locked and nobody had emailed us.",
                d(2026, 11, 19),
            ),
            (
                "Gestern war der Raum zu, wir wurden nicht angerufen.",
                d(2026, 11, 19),
            ),
        ] {
            assert_eq!(date(text), Some(want), "{text}");
        }
    }

    #[test]
    fn a_call_with_us_is_no_date_of_the_facts() {
        assert_eq!(
            date(
                "Na ons telefoongesprek van gisteren stuur ik u mijn klacht: de trainer kwam op 12 november niet opdagen."
            ),
            Some(d(2026, 11, 12))
        );
        assert_eq!(
            date(
                "Zoals in het telefoongesprek van gisteren gezegd, de trainer was onvriendelijk tegen mij."
            ),
            None
        );
    }
}

#[cfg(test)]
mod run_of_a_course {
    use crate::intake::extract::tests::{d, ex};

    #[test]
    fn the_weekday_of_a_run_of_a_course_is_no_date() {
        for text in [
            "Het ging om de cursus Timemanagement, de avondvariant op dinsdag in Amersfoort. De trainer was er niet.",
            "It was about the Excel course, the evening group on Tuesday. The room was locked.",
            "Begin oktober deed ik de workshop. Het was een woensdag of donderdag, en de zaal was dicht.",
        ] {
            assert_eq!(ex(text).fields.incident_date, None, "{text}");
        }
        // Negative: a weekday told in the past is still a date.
        assert_eq!(
            ex("Dinsdag kwam de trainer van de avondcursus niet opdagen.")
                .fields
                .incident_date,
            Some(d(2026, 11, 17))
        );
    }
}
