//! What tells no fact of the complaint: a mail that only announces one, asks how to make
//! one or what a course costs, or hands over contact details (art. 3.2d asks for the
//! facts and circumstances).

use std::sync::LazyLock;

use regex::Regex;

use super::contacts::find_phone;
use super::lines::contact_like;
use super::re;

/// Sentences that only announce a complaint, ask how to make one, or hand over contact
/// details: none of them describes what happened.
static NOTHING_SAID: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?ix)^(?:(?:namens|on\s+behalf\s+of|samen\s+met)\s+(?:\S+\s+){1,3}?)?(?:
        (?:ik\s+|wij\s+|we\s+)?(?:wil|wilde|zou|wou|willen|zouden)\s+(?:ik\s+|wij\s+|we\s+)?(?:graag\s+)?(?:een\s+)?(?:formele\s+)?klacht\s+(?:indienen|melden|doen|neerleggen|indienen\s+bij\s+u|in\s+dienen)
        |(?:ik\s+|wij\s+)?(?:heb|hebben)\s+een\s+klacht
        |hierbij\s+(?:dien|wil)\s+ik\s+(?:een\s+)?klacht\s+in(?:dienen)?
        |(?:i|we)\s+(?:would\s+like|want|wish|am\s+writing|are\s+writing)\s+to\s+(?:file|make|submit|lodge|raise|register)\s+a\s+(?:formal\s+)?complaint
        |(?:i|we)\s+(?:have|had)\s+a\s+complaint
        |(?:i\s+am|i.m|we\s+are|ik\s+ben|wij\s+zijn|we\s+zijn)\s+(?:not\s+(?:happy|satisfied|pleased)|unhappy|dissatisfied|niet\s+(?:tevreden|blij)|ontevreden)\s+(?:with|about|over|met)\b[^,;:]*?(?:\s+and\s+(?:i\s+|we\s+)?(?:would\s+like|want|wish)\s+to\s+(?:file|make|submit|lodge|raise)\s+a\s+(?:formal\s+)?complaint|\s+en\s+(?:ik\s+)?wil\s+(?:graag\s+)?(?:een\s+)?(?:formele\s+)?klacht\s+indienen)
        |wanneer\s+(?:start|begint|is)\s+(?:de\s+)?(?:volgende|eerstvolgende)[^,;:]*
        |when\s+(?:does|is|will)\s+the\s+next[^,;:]*
        |(?:ik\s+|wij\s+|we\s+)?(?:zou|zouden|wil|willen)\s+(?:me|mij|ons)\s+(?:graag\s+)?(?:aanmelden|inschrijven)[^,;:]*
        |(?:i|we)\s+would\s+like\s+to\s+(?:sign\s+up|register|enrol|enroll|book)[^,;:]*
        |(?:is|zijn)\s+er\s+(?:ook\s+)?(?:een\s+)?\w*(?:variant|editie|plaatsen|plekken)[^,;:]*
        |is\s+there\s+(?:also\s+)?an?\s+(?:evening|online|weekend|later)[^,;:]*
        |ich\s+m(?:ö|oe)chte\s+(?:mich\s+)?(?:eine\s+)?beschwer\w*
        )(?:\s+(?:over|about|regarding|concerning|betreffende|inzake|(?:met\s+betrekking|m\.b\.t\.)\s+tot|(?:ü|ue)ber)\b[^,;:]*)?$
        |^(?:
        hoe\s+(?:doe|kan|moet)\s+ik
        |(?:heeft|hebben)\s+(?:u|jullie)\s+(?:een\s+)?(?:klachten)?formulier
        |do\s+you\s+have\s+a\s+(?:complaints?\s+)?form
        |(?:it|this|that)\s+(?:happened|took\s+place|was)\s+(?:on|at|in)\b[^,;]*$
        |(?:het|dit|dat)\s+(?:gebeurde|was|vond\s+plaats)\s+(?:op|in|om)\b[^,;]*$
        |(?:bij\s+wie|waar|wie)\s+(?:kan|moet)\s+ik
        |(?:to\s+whom|who|where)\s+(?:should|can|do|must)\s+i
        |kunt\s+u\s+(?:mij|me)\s+(?:vertellen|laten\s+weten|uitleggen|bellen|terugbellen)
        |(?:kan|mag)\s+ik\s+(?:u|jullie)\s+(?:bellen|spreken)
        |moet\s+dat\s+(?:via|per|met)
        |is\s+(?:daar|er)\s+een\s+(?:formulier|procedure)
        |wat\s+is\s+de\s+procedure
        |what\s+is\s+the\s+(?:procedure|process)
        |how\s+(?:do|can|should)\s+i
        |(?:could|can)\s+you\s+(?:please\s+)?(?:call|tell|let)\s+me
        |please\s+(?:call|contact)\s+me
        |(?:hier)?bij\s+(?:stuur|zend|geef)\s+ik\s+(?:u\s+|jullie\s+)?(?:hierbij\s+)?mijn
        |hierbij\s+(?:mijn|de)\s+(?:gegevens|adres|telefoonnummer|nummer|contactgegevens|adresgegevens|ontbrekende)
        |zoals\s+(?:gevraagd|afgesproken|besproken)
        |(?:mijn|my)\s+(?:adres|telefoonnummer|nummer|gegevens|address|phone\s+number|number|details)\s+(?:is|zijn|are|luidt|luiden)\b
        |as\s+(?:requested|discussed|agreed)
        |(?:please\s+)?find\s+(?:my|below|attached)
        |(?:zie|in\s+de)\s+(?:de\s+)?bijlage
        |(?:alvast\s+)?(?:bedankt|dank\s+u\s+wel|dank\s+je\s+wel|thanks|thank\s+you)
        |ik\s+hoor\s+(?:graag\s+)?(?:van\s+u|snel\s+van\s+u|het\s+graag)
        |i\s+look\s+forward
        )",
    )
});

/// A question about how to complain ("Moet ik daar een formulier voor invullen?", "what
/// information do you need from me?"): asks, tells nothing.
fn procedure_question(sentence: &str) -> bool {
    let sentence = sentence.trim();
    if !sentence.ends_with('?') || sentence.split_whitespace().count() > 24 {
        return false;
    }
    let lower = sentence.to_lowercase();
    PROCEDURE_WORDS.is_match(&lower) && !BECAUSE.is_match(&lower) && !REPROACH.is_match(&lower)
}

/// A question that reproaches ("Waarom kwam de trainer te laat?"): it tells what happened.
static REPROACH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\W*(?:waarom|why|hoe\s+kan\s+het|how\s+come|is\s+(?:it|het)\s+(?:normal|normaal)|warum)\b",
    )
});

/// What a question about the complaints procedure asks about.
static PROCEDURE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:formulier|form|procedure|procedures|klachtenprocedure|complaints?\s+procedure|process|gegevens|informatie|information|details|nodig|need|indienen|invullen|fill\s+in|file|submit|lodge|sturen|send|opsturen|schicken|formular|unterlagen|termijn|deadline|hoe\s+lang|how\s+long|binnen\s+welke|within)\b",
    )
});

/// "(de training) die ik vorige week bij jullie heb gevolgd": which service, not what
/// went wrong. Left out before a sentence is weighed.
static ATTENDED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\s*,?\s*\b(?:(?:die|dat|welke|waaraan|which|that)\s+(?:ik|wij|we|i|mijn\s+\w+|my\s+\w+)|i|we)\s+(?:\S+\s+){0,5}?(?:gevolgd|bijgewoond|gedaan|geboekt|gehad|gekregen|deelgenomen|volg|volgde|volgden|kreeg|attended|took|followed|did|booked|had|joined|received|got)(?:\s+(?:heb|hebben|had|hadden))?\b",
    )
});

/// "how my sessions have been going", "hoe het ging": discontent without a fact.
static VAGUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\s*\b(?:how\s+(?:my|the|our|it)\s+(?:\w+\s+){0,3}?(?:have|has|had|is|was)\s+(?:been\s+)?go(?:ne|ing)|hoe\s+(?:het|mijn|de)\s+(?:\w+\s+){0,3}?(?:ging|gaat|verliep|verloopt|verlopen))\b",
    )
});

/// A word that goes on to say what happened ("..., omdat de trainer ...").
static BECAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\bwant\s+(?:de|het|een|ik|we|wij|hij|zij|ze|er|mijn|die|dat|toen)\b|\b(?:omdat|doordat|aangezien|maar|toen|nadat|waarbij|waarin|because|since|but|after|when|where|weil|denn|nachdem)\b",
    )
});

/// The text only announces a complaint, asks how to make one or hands over contact
/// details, sentence by sentence: there is no description of the complaint in it.
pub(super) fn says_nothing(text: &str) -> bool {
    text.split('\n').all(|line| {
        let line = line.trim();
        line.is_empty()
            || contact_like(line)
            || line
                .split_inclusive(['.', '?', '!'])
                .filter(|sentence| !procedure_question(sentence))
                .flat_map(|sentence| sentence.split_inclusive(':'))
                .map(|s| s.trim().trim_end_matches(['.', '?', '!', ':']).trim())
                .filter(|s| !s.is_empty())
                .all(|s| {
                    let lower = s.to_lowercase();
                    let lower = ATTENDED.replace_all(&lower, "");
                    let lower = VAGUE.replace_all(&lower, "");
                    let s = lower.as_ref();
                    // a long sentence says something, whatever it starts with
                    (NOTHING_SAID.is_match(&lower)
                        && s.split_whitespace().count() <= 16
                        // "When does the next course start?" asks; "..., when" tells.
                        && !BECAUSE.find_iter(&lower).any(|m| m.start() > 0))
                        || find_phone(s).is_some_and(|p| s.len() - p.len() < 8)
                })
    })
}

#[cfg(test)]
mod tests {
    use crate::intake::extract::tests::ex;

    #[test]
    fn announcing_asking_or_handing_over_details_describes_nothing() {
        for text in [
            "Goedenavond,\n\nIk wil een klacht indienen over de training Effectief Communiceren. Hoe doe ik dat?\n\nGroet,\nRob",
            "Hello,\n\nI would like to file a complaint about the workshop. What is the procedure for this?\n\nThanks,\nEmily",
            "ik heb een klacht over de coaching. Kunt u mij bellen? 0612873465",
            "Hierbij mijn adres en telefoonnummer:\n\nVondelstraat 14\n6828 AM Arnhem\n06-22334455",
            "Zoals gevraagd aan de telefoon stuur ik u hierbij mijn gegevens.\n\nGert Jan Wolters\nDorpsstraat 55\n1741 AB Schagen",
            "Kunt u mij vertellen hoe ik een klacht kan indienen over de training? Moet dat via een formulier?",
            "Namens mijn team wil ik graag een klacht indienen over de workshop. Bij wie kan ik hiervoor terecht?",
            "I want to make a complaint about the coaching.",
            "Who should I send it to?",
            "Heeft u een klachtenformulier? Ik wil graag een klacht indienen over de coaching.",
            "It happened on 12 November.",
            "Het gebeurde op 12 november.",
        ] {
            assert_eq!(ex(text).fields.description, None, "{text}");
        }
        // An announcement with the facts is a description.
        for text in [
            "Ik wil een klacht indienen over de training, want de trainer kwam twee uur te laat.",
            "Ik wil een klacht indienen over de training omdat de trainer twee uur te laat kwam.",
            "I would like to file a complaint. The trainer left at noon and the rest was cancelled.",
            "Hoe kan ik nog vertrouwen hebben in een trainer die de hele dag op zijn telefoon zat en ons negeerde?",
        ] {
            assert!(ex(text).fields.description.is_some(), "{text}");
        }
    }

    #[test]
    fn which_service_was_attended_says_nothing_of_the_complaint() {
        for text in [
            "Ik wil graag een klacht indienen over de training die ik vorige week bij jullie heb gevolgd. Hoe moet ik dat doen?",
            "Ik wil een klacht indienen over de cursus die mijn dochter in oktober heeft gevolgd. Wat is de procedure?",
            "I would like to make a complaint about the course that I attended in Utrecht last month. How do I do that?",
        ] {
            assert_eq!(ex(text).fields.description, None, "{text}");
        }
        // What went wrong in the same sentence is a description.
        for text in [
            "Ik wil een klacht indienen over de trainer die de hele dag op zijn telefoon zat en ons negeerde.",
            "I want to complain about the course that I attended, because the trainer never showed up.",
        ] {
            assert!(ex(text).fields.description.is_some(), "{text}");
        }
    }

    #[test]
    fn questions_about_the_procedure_say_nothing() {
        for text in [
            "Ik wil graag een klacht indienen. Moet ik daar een formulier voor invullen?",
            "I would like to make a complaint about the Leadership course I attended on 4 November. What information do you need from me, and is there a form I should use?",
            "Ich möchte mich beschweren. Gibt es dafür ein Formular?",
            "Hallo, ik heb een klacht over de workshop. Welke gegevens hebben jullie van mij nodig?",
        ] {
            assert_eq!(ex(text).fields.description, None, "{text}");
        }
        // Discontent without a fact, and enquiries about a course, say nothing either.
        for text in [
            "I'm not happy with how my coaching sessions have been going and would like to file a complaint. What do you need from me?",
            "I am not happy with the coaching I received and I would like to make a formal complaint.",
            "Ik ben niet tevreden over de cursus en wil graag een klacht indienen. Hoe lang heb ik daarvoor?",
            "Wanneer start de volgende training Effectief Communiceren? Ik zou me graag aanmelden samen met een collega. Is er ook een avondvariant?",
            "When does the next Leadership course start? I would like to sign up with two colleagues.",
            "Hoe kan ik een klacht indienen? En binnen welke termijn moet dat?",
        ] {
            assert_eq!(ex(text).fields.description, None, "{text}");
        }
        // A question that tells what happened is a description.
        for text in [
            "Waarom kwam de trainer twee uur te laat en waarom kregen we geen formulier voor de evaluatie?",
            "Is it normal that the trainer left at noon because he had another appointment?",
        ] {
            assert!(ex(text).fields.description.is_some(), "{text}");
        }
    }
}
