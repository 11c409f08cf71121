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
        |(?:i|we)\s+would\s+like\s+to\s+(?:sign\s+up|register|enrol|enroll|book|attend|take|follow)[^,;:]*
        |(?:ik\s+|wij\s+|we\s+)?(?:wil|willen|zou|zouden)\s+(?:graag\s+)?[^,;:]*\s(?:volgen|boeken|bijwonen|afnemen|inplannen|laten\s+verzorgen)
        |(?:ich|wir)\s+(?:m(?:ö|oe)chten?|w(?:ü|ue)rden?)\s+(?:gerne?\s+)?[^,;:]*\s(?:buchen|besuchen|belegen)
        |(?:is|zijn)\s+er\s+(?:ook\s+)?(?:een\s+)?\w*(?:variant|editie|plaatsen|plekken)[^,;:]*
        |is\s+there\s+(?:also\s+)?an?\s+(?:evening|online|weekend|later)[^,;:]*
        |ich\s+m(?:ö|oe)chte\s+(?:mich\s+)?(?:eine\s+)?beschwer\w*
        )(?:\s+(?:over|about|regarding|concerning|betreffende|inzake|(?:met\s+betrekking|m\.b\.t\.)\s+tot|(?:ü|ue)ber)\b[^,;:]*)?$
        |^(?:
        hoe\s+(?:doe|kan|moet|dien|mag)\s+ik
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
        |zoals\s+(?:\S+\s+){0,3}?(?:gevraagd|afgesproken|besproken)
        |(?:mijn|my)\s+(?:adres|telefoonnummer|nummer|gegevens|address|phone\s+number|number|details)\s+(?:is|zijn|are|luidt|luiden)\b
        |as\s+(?:requested|discussed|agreed)
        |(?:please\s+)?find\s+(?:my|below|attached)
        |(?:zie|in\s+de)\s+(?:de\s+)?bijlage
        |(?:alvast\s+)?(?:bedankt|dank\s+u\s+wel|dank\s+je\s+wel|thanks|thank\s+you|vielen\s+dank|danke)
        |(?:(?:voordat|bevor|before)\b[^,]*,\s*)?(?:ik\s+heb|heb\s+ik|wij\s+hebben|hebben\s+wij|i\s+have|we\s+have|ich\s+habe|habe\s+ich|wir\s+haben)\s+(?:nog\s+|noch\s+)?(?:\S+\s+){0,2}?(?:vragen|vraag|vraagje|questions?|fragen?)\b
        |(?:over|op)\s+(?:de\s+)?(?:inhoud|details)\s+(?:ga|wil)\s+ik\s+(?:hier\s+|nu\s+)?(?:nog\s+)?niet\s+(?:op\s+)?in\b
        |i\s+(?:won.t|will\s+not)\s+go\s+into\s+(?:the\s+)?(?:details|content|substance)
        |auf\s+(?:den\s+)?inhalt\s+gehe\s+ich\s+(?:hier\s+)?(?:noch\s+)?nicht\s+ein
        |(?:de\s+klacht(?:\s+zelf)?|mijn\s+klacht|de\s+(?:details|inhoud|toelichting)|the\s+complaint(?:\s+itself)?|my\s+complaint|the\s+details|die\s+beschwerde(?:\s+selbst)?|meine\s+beschwerde)\s+(?:stuur|zend|mail|schrijf|volgt|volgen|komt|will\s+follow|follows|(?:i\s+)?will\s+(?:send|write)|folgt|schicke|sende)\b
        |(?:ik\s+stuur|ik\s+zend|i\s+will\s+send|i.ll\s+send|ich\s+schicke|ich\s+sende)\s+(?:u\s+|jullie\s+|you\s+|ihnen\s+)?(?:de|mijn|the|my|die|meine)\s+(?:klacht|complaint|beschwerde)(?:\s+(?:zelf|itself|selbst))?\s+(?:later|nog|separately|apart|afzonderlijk|sp(?:ä|ae)ter|separat|tomorrow|morgen)
        |(?:stuur|zend|geef)\s+ik\s+(?:u\s+|jullie\s+)?(?:hierbij\s+)?(?:mijn|de)\s+(?:gegevens|adres|telefoonnummer|contactgegevens|adresgegevens)
        |(?:(?:schicke|sende|gebe)\s+ich\s+(?:ihnen\s+|euch\s+)?)?(?:hiermit|anbei)\s+(?:meine|die)\s+(?:daten|kontaktdaten|adresse|telefonnummer|angaben)
        |ik\s+hoor\s+(?:graag\s+)?(?:van\s+u|snel\s+van\s+u|het\s+graag)
        |i\s+look\s+forward
        )",
    )
});

/// A question about how to complain ("Moet ik daar een formulier voor invullen?", "what
/// information do you need from me?"): asks, tells nothing.
fn procedure_question(sentence: &str) -> bool {
    let sentence = sentence.trim();
    if !sentence.ends_with('?') || sentence.split_whitespace().count() > 32 {
        return false;
    }
    let lower = sentence.to_lowercase();
    PROCEDURE_WORDS.is_match(&lower)
        && !BECAUSE.is_match(&lower)
        && !REPROACH.is_match(&lower)
        && !REPROACH_WORD.is_match(&lower)
}

/// Not sure of the procedure, said without a question mark ("mir ist nicht klar, ab wann
/// diese Frist läuft", "ik weet niet of dat per mail mag"): asks, tells nothing.
fn unsure_of_procedure(sentence: &str) -> bool {
    let lower = sentence.trim().to_lowercase();
    sentence.split_whitespace().count() <= 32
        && UNSURE.is_match(&lower)
        && PROCEDURE_WORDS.is_match(&lower)
        && !REPROACH.is_match(&lower)
        && !REPROACH_WORD.is_match(&lower)
}

static UNSURE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(?:mir\s+)?ist\s+(?:mir\s+)?nicht\s+klar|ich\s+wei(?:ß|ss)\s+nicht|ich\s+bin\s+(?:mir\s+)?nicht\s+sicher|(?:het\s+)?is\s+(?:mij|me)\s+niet\s+duidelijk|ik\s+weet\s+(?:niet|nog\s+niet)\s+(?:zeker\s+)?(?:of|wanneer|hoe|waar|welke|wat)|i(?:.m|\s+am)\s+not\s+sure|(?:it\s+is|it.s)\s+not\s+clear\s+to\s+me|i\s+(?:don.t|do\s+not)\s+know\s+(?:whether|if|when|how|where|which|what))\b",
    )
});

/// "Waarom" inside a sentence ("het is mij niet duidelijk waarom de trainer ..."): a
/// reproach all the same.
static REPROACH_WORD: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:waarom|why|warum|weshalb)\b"));

/// "Een klachtnummer heb ik niet, want ...", "I don't have a reference number": about
/// the case's number, not the complaint.
fn about_case_number(sentence: &str) -> bool {
    let lower = sentence.trim().to_lowercase();
    sentence.split_whitespace().count() <= 20 && CASE_NUMBER_NONE.is_match(&lower)
}

static CASE_NUMBER_NONE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)^\W*(?:
        (?:een|ein|eine|a)\s+(?:klacht|dossier|zaak|referentie|case|reference|vorgangs|akten)?\s*(?:nummer|number|zeichen)\s+(?:heb|have|habe)\s+(?:ik|i|ich)\s+(?:nog\s+|noch\s+)?(?:niet|nicht|not)
        |(?:ik\s+heb|i\s+have|ich\s+habe)\s+(?:nog\s+|noch\s+)?(?:geen|no|keine|kein)\s+(?:klacht|dossier|zaak|referentie|case|reference|vorgangs|akten)?\s*(?:nummer|number|zeichen)
        |i\s+(?:don.t|do\s+not)\s+have\s+a\s+(?:case|reference|complaint)\s+number
        )")
});

/// A question that reproaches ("Waarom kwam de trainer te laat?"): it tells what happened.
static REPROACH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\W*(?:waarom|why|hoe\s+kan\s+het|how\s+come|is\s+(?:it|het)\s+(?:normal|normaal)|warum)\b",
    )
});

/// What a question about the complaints procedure asks about.
static PROCEDURE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:formulier|form|procedure|procedures|klachtenprocedure|complaints?\s+procedure|process|gegevens|informatie|information|details|nodig|need|indienen|invullen|fill\s+in|file|submit|lodge|sturen|send|opsturen|schicken|formular|unterlagen|einreichen|klacht|complaint|beschwerde|frist|termijn|deadline|hoe\s+lang|how\s+long|binnen\s+welke|within|bis\s+wann|taal|language|sprache|nederlands|niederl(?:ä|ae)ndisch|englisch|deutsch|dutch|english|data|datum|dates|termine|kosten|kost|prijs|prijzen|price|prices|cost|costs|fee|preis|beschikbaar|available|doorsturen|forward|weiterleiten|mailen)\b",
    )
});

/// "(de training) die ik vorige week bij jullie heb gevolgd": which service, not what
/// went wrong. Left out before a sentence is weighed.
static ATTENDED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\s*,?\s*\b(?:(?:die|dat|welke|waaraan|which|that)\s+(?:ik|wij|we|i|mijn\s+\w+|my\s+\w+)|i|we)\s+(?:\S+\s+){0,5}?(?:gevolgd|bijgewoond|gedaan|geboekt|gehad|gekregen|deelgenomen|volg|volgde|volgden|kreeg|attended|took|followed|did|booked|had|joined|received|got)(?:\s+(?:heb|hebben|had|hadden))?\b",
    )
});

/// "Ik heb bij jullie een coachingstraject gevolgd (en ...)", "Wir haben ... gebucht":
/// which service, in a main clause. Left out before a sentence is weighed.
static ATTENDED_MAIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:ik|wij|we|ich|wir|i)\s+(?:heb|hebben|habe|haben|have|had)\s+(?:\S+\s+){0,8}?(?:gevolgd|bijgewoond|gedaan|geboekt|afgenomen|ingekocht|laten\s+(?:verzorgen|geven|uitvoeren)|gemacht|besucht|absolviert|belegt|gebucht|teilgenommen|attended|taken|done|followed|booked)(?:\s+(?:voor|for|f(?:ü|ue)r)\s+(?:\S+\s+){0,6}?\S+$)?(?:\s+(?:en|und|and)\b)?\s*|^(?:i|we)\s+(?:attended|took\s+part\s+in|participated\s+in|took|followed|did|booked|joined)\s+(?:\S+\s+){0,5}?\S+\s+and\b\s*",
    )
});

/// "Enkele medewerkers hebben bij mij aangegeven dat ...": what others said; what they
/// said is weighed.
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:\S+\s+){0,3}?(?:hebben|heeft|have|has|haben|hat)\s+(?:bij\s+mij\s+|mij\s+|me\s+|mir\s+)?(?:aangegeven|laten\s+weten|gezegd|gemeld|told\s+me|said|mentioned|mitgeteilt|gesagt)\s+(?:dat|that|dass)\s+",
    )
});

/// Discontent without a fact: "(en) ben daar allesbehalve tevreden over", "bin mit
/// einigen Dingen nicht zufrieden", "dat zij ontevreden zijn en een klacht willen
/// indienen". Says how one feels, not what happened.
static DISCONTENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?x)^(?:en\s+|und\s+|and\s+)?(?:(?:ik|i|ich|wij|we|wir|zij|ze|they|sie|hij|he|she|er)\s+)?(?:
        (?:ben|bin|am|is|zijn|sind|are|was|waren|were|ist)\s+(?:daar\s+|er\s+|daarover\s+|erover\s+|damit\s+|dar(?:ü|ue)ber\s+)?(?:(?:mit|met|with|over|about)\s+(?:\S+\s+){0,3}?)?(?:ook\s+|auch\s+|also\s+)?(?:(?:helemaal|absoluut|totaal|echt|gar|(?:ü|ue)berhaupt|ganz|really|not\s+at\s+all|at\s+all)\s+)?(?:(?:niet|nicht|not|allesbehalve|verre\s+van|far\s+from)\s+)?(?:tevreden|zufrieden|happy|satisfied|pleased|blij)
        |(?:ben|bin|am|is|zijn|sind|are|was|waren|were|ist)\s+(?:daar\s+|er\s+|damit\s+)?(?:(?:mit|met|with|over|about)\s+(?:\S+\s+){0,3}?)?(?:erg\s+|sehr\s+|very\s+|zeer\s+)?(?:ontevreden|unzufrieden|unhappy|dissatisfied|teleurgesteld|entt(?:ä|ae)uscht|disappointed)
        |(?:niet\s+)?(?:ontevreden|tevreden|unzufrieden|teleurgesteld)\s+(?:zijn|is|ben|waren|sind|war|was)
        )(?:\s+(?:over|met|mit|with|about|dar(?:ü|ue)ber|damit|daarover)\b[^,;:]*?)?(?:\s+(?:en|und|and)\s+(?:\S+\s+){0,4}?(?:klacht|beschwerde|complaint)(?:\s+\S+){0,3})?$",
    )
});

/// A relative clause or a reason after the discontent: it goes on to say what happened.
static TELLS_MORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:die|dat|wie|welke|waar|who|which|that|whose|welche|welcher)\s+\S+|\b(?:omdat|doordat|want|aangezien|toen|nadat|because|since|as|after|when|weil|denn|da|nachdem|als)\b",
    )
});

/// "how my sessions have been going", "hoe het ging": discontent without a fact.
static VAGUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\s*\b(?:how\s+(?:my|the|our|it)\s+(?:\w+\s+){0,3}?(?:have|has|had|is|was)\s+(?:been\s+)?go(?:ne|ing)|hoe\s+(?:het|mijn|de)\s+(?:\w+\s+){0,3}?(?:ging|gaat|verliep|verloopt|verlopen))\b",
    )
});

/// "Zoals vanochtend telefonisch besproken, ...", "As agreed on the phone, ...": why the
/// mail comes, not what happened. Left out before a sentence is weighed.
static AS_AGREED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:zoals|as|wie)\s+(?:\S+\s+){0,3}?(?:gevraagd|afgesproken|besproken|beloofd|requested|discussed|agreed|promised|besprochen|vereinbart)\b(?:\s+(?:aan|via|per|over|on|by|am)\s+(?:de\s+|the\s+)?(?:telefoon|phone|telefon))?\s*,?\s*",
    )
});

/// "(8 personen)": an aside, left out before a sentence is weighed.
static ASIDE: LazyLock<Regex> = LazyLock::new(|| re(r"\s*\([^()]*\)"));

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
                // "1." of a numbered list is no sentence
                .filter(|sentence| sentence.chars().any(char::is_alphabetic))
                .filter(|sentence| {
                    !procedure_question(sentence)
                        && !unsure_of_procedure(sentence)
                        && !about_case_number(sentence)
                })
                .flat_map(|sentence| sentence.split_inclusive(':'))
                .map(|s| s.trim().trim_end_matches(['.', '?', '!', ':']).trim())
                .filter(|s| !s.is_empty())
                .all(|s| {
                    let lower = ASIDE.replace_all(&s.to_lowercase(), "").into_owned();
                    let lower = AS_AGREED.replace(&lower, "").into_owned();
                    let lower = ATTENDED_MAIN.replace(&lower, "").into_owned();
                    let lower = REPORTED.replace(&lower, "").into_owned();
                    let lower = ATTENDED.replace_all(&lower, "").into_owned();
                    let lower = VAGUE.replace_all(&lower, "");
                    let s = lower.trim();
                    // only which service was attended
                    s.is_empty()
                        // "... tevreden over de trainer die ...", "..., omdat ...": tells
                        || (DISCONTENT.is_match(s) && !TELLS_MORE.is_match(s))
                        // a long sentence says something, whatever it starts with
                        || (NOTHING_SAID.is_match(s)
                        && s.split_whitespace().count() <= 16
                        // "When does the next course start?" asks; "..., when" tells.
                        && !BECAUSE.find_iter(s).any(|m| m.start() > 0))
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

    #[test]
    fn enquiries_context_and_complaints_to_follow_say_nothing() {
        for text in [
            // an enquiry about dates and prices, with a request to forward it
            "We willen met onze afdeling (ongeveer tien collega's) de training Effectief Communiceren volgen. Welke data zijn er in maart beschikbaar en wat kost een training op locatie?\n\nMocht dit niet het goede adres zijn, wilt u de mail dan doorsturen?",
            "We would like to book the Time Management workshop for our team. Could you let me know the prices and the available dates in February?",
            // a context sentence of discontent and questions about the procedure
            "Ik heb vorig jaar bij u een leertraject gedaan en ben er totaal niet tevreden over. Hoe dien ik een klacht in? Binnen welke termijn moet dat?",
            "Wir haben bei Ihnen ein Training gebucht und sind damit unzufrieden. Bevor ich mich beschwere, habe ich eine Frage:\n\n1. Kann ich die Beschwerde auf Englisch schicken?\n\nVielen Dank.",
            "I attended your coaching programme and I am not happy with it. Is there a form for complaints, and who handles them?",
            // someone else's complaint, its content withheld
            "Drie deelnemers hebben mij laten weten dat zij ontevreden zijn. Over de inhoud ga ik niet in. Ik heb twee vragen:\n- Moeten zij zelf een klacht indienen?\n- Mag ik bij het gesprek over de klacht zijn?",
            // details now, the complaint later
            "Zoals afgesproken stuur ik u hierbij mijn gegevens. Een dossiernummer heb ik nog niet, want ik heb nog geen bevestiging gehad. Mijn klacht volgt morgen.",
            "As discussed on the phone, please find my details below. I will send the complaint itself separately.\n\nTom Baker\n07700 900123",
        ] {
            assert_eq!(ex(text).fields.description, None, "{text}");
        }
        // A complaint that also asks a question, or says why it is unhappy, is described.
        for text in [
            "Ik heb bij u de workshop timemanagement gevolgd en ben daar niet tevreden over, want de trainer kwam een uur te laat. Hoe dien ik een klacht in?",
            "Ik ben niet tevreden: de trainer las alleen zijn slides voor. Binnen welke termijn krijg ik antwoord?",
            "Wir haben ein Training gebucht. Der Trainer ist nicht erschienen. Kann ich die Beschwerde auf Englisch schicken?",
            "Het is mij niet duidelijk waarom de coach drie afspraken heeft verzet zonder het te melden; welke termijn geldt voor een klacht?",
            "Zoals besproken stuur ik hierbij mijn klacht. De trainer heeft de deelnemers uitgelachen en de lunch was er niet.",
            "I am disappointed with the trainer who shouted at me in front of the group.",
            "Ik ben niet tevreden over de training omdat de trainer niet kwam opdagen.",
            "Ich bin mit dem Coaching nicht zufrieden, weil die Termine ständig verschoben wurden.",
        ] {
            assert!(ex(text).fields.description.is_some(), "{text}");
        }
    }
}
