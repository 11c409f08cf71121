//! Sentences that only go with the asking, in a reply or a follow-up: an apology for the
//! delay, "u vroeg om", a move of house, when one can be reached, which course it was,
//! "if you need anything else"; the complaint filed before and a question about how it
//! goes on; displeasure said without what went wrong ("ik ben er niet tevreden over, zo
//! hoort een cursus niet gegeven te worden").

use crate::intake::pattern::Pattern;

use super::super::re;
use super::{BECAUSE, DISCONTENT, FAULT, TELLS_MORE};

/// Whether a sentence only hands over or frames the details asked for, or asks how the
/// procedure goes on: no fact of the complaint.
pub(super) fn hands_over(sentence: &str) -> bool {
    let lower = sentence.trim().to_lowercase();
    let lower = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    if lower.split_whitespace().count() > 40 {
        return false;
    }
    APOLOGY.is_match(lower)
        || (YOU_ASKED.is_match(lower) && lower.split_whitespace().count() <= 14)
        || MOVED.is_match(lower)
        || REACHABLE.is_match(lower)
        || (WHICH_COURSE.is_match(lower) && !FAULT.is_match(lower))
        || ANYTHING_ELSE.is_match(lower)
        || (FILED_BEFORE.is_match(lower) && !FAULT.is_match(lower))
        || WONDERS
            .find(lower)
            .is_some_and(|m| !FAULT.is_match(lower) && !BECAUSE.is_match(&lower[m.end()..]))
}

/// "Sorry dat ik nu pas reageer", "Excuses voor mijn late reactie", "Sorry for the late
/// reply", "Entschuldigen Sie die späte Antwort".
static APOLOGY: Pattern = Pattern::new(|| {
    re(
        r"^(?:sorry|excuses|mijn\s+excuses|pardon|apologies|my\s+apologies|entschuldigung|entschuldigen\s+sie|verzeihung)\b[^.?!]{0,40}?\b(?:pas|laat|late|later|reageer|reageren|reactie|antwoord|delay|delayed|reply|response|responding|sp(?:ä|ae)te?n?|antworte|antwort|melde)\b",
    )
});

/// "U vroeg nog om een paar gegevens", "You asked for my address", "Sie hatten nach
/// meiner Adresse gefragt".
static YOU_ASKED: Pattern = Pattern::new(|| {
    re(
        r"^(?:u|jullie|you|sie)\s+(?:(?:had|hebt|heeft|hadden|hebben|have|had|hatten|haben)\s+)?(?:mij\s+|me\s+|mich\s+|ons\s+|us\s+|uns\s+)?(?:nog\s+|also\s+|noch\s+)?(?:vroeg|vroegen|gevraagd|asked|requested|baten|gebeten|fragten|gefragt)\b",
    )
});

/// A move of house told with where one lives now: "Ik ben vorig jaar verhuisd en woon nu
/// op ...", "I moved in the summer and now live at ...", "Ich bin umgezogen und wohne jetzt
/// in ...".
static MOVED: Pattern = Pattern::new(|| {
    re(
        r"\b(?:verhuisd|moved(?:\s+house)?|umgezogen)\b.*\b(?:woon|wonen|woont|live|living|wohne|wohnen)\b",
    )
});

/// When one can be reached: "na vijf uur ben ik meestal bereikbaar op ...", "you can
/// reach me after 5 pm", "ab 17 Uhr bin ich erreichbar".
static REACHABLE: Pattern = Pattern::new(|| {
    re(r"\b(?:bereikbaar|te\s+bereiken|reach\s+me|reachable|erreichbar|zu\s+erreichen)\b")
});

/// "Het ging om de cursus Timemanagement, de avondvariant op dinsdag", "It was about the
/// course ...", "Es ging um den Kurs ...": which course, no fact.
static WHICH_COURSE: Pattern = Pattern::new(|| {
    re(
        r"^(?:het\s+(?:ging|gaat)\s+om|it\s+(?:was|is)\s+about|it\s+concerns|es\s+(?:ging|geht)\s+um)\s+(?:de|het|mijn|the|my|den|die|das|meinen|meine)\s+\S*(?:cursus|training|workshop|course|kurs|opleiding|coaching|traject|module|seminar|seminarie)\b",
    )
});

/// "Als u verder nog iets nodig heeft hoor ik het graag", "If you need anything else",
/// "Falls Sie noch etwas brauchen".
static ANYTHING_ELSE: Pattern = Pattern::new(|| {
    re(
        r"^(?:als|mocht|indien|if|should|falls|wenn|sollten)\s+(?:u|jullie|you|sie)\s+(?:\S+\s+){0,3}?(?:iets|meer|anything|something|more|etwas|weitere)\b[^.?!]{0,40}?\b(?:nodig|hebben|heeft|need|require|brauchen|ben(?:ö|oe)tigen)\b",
    )
});

/// The complaint she filed before, and the receipt of it: "Op 2 november heb ik een
/// klacht ingediend over de workshop X en daarop kreeg ik een ontvangstbevestiging",
/// "Last week I filed a complaint about the course".
static FILED_BEFORE: Pattern = Pattern::new(|| {
    re(
        r"^(?:\S+\s+){0,4}?(?:heb|had|hebben|have|had|habe|hatte|haben)\s+(?:ik|wij|we|i|ich|wir)\s+(?:\S+\s+){0,2}?(?:een|mijn|a|my|eine|meine)\s+(?:klacht|complaint|beschwerde)\s+(?:\S+\s+){0,8}?(?:ingediend|ingestuurd|gestuurd|filed|submitted|lodged|eingereicht|geschickt)\b|^(?:ik|wij|we|i|ich|wir)\s+(?:\S+\s+){0,3}?(?:heb|had|hebben|have|habe|hatte|haben)\s+(?:\S+\s+){0,3}?(?:een|mijn|a|my|eine|meine)\s+(?:klacht|complaint|beschwerde)\s+(?:\S+\s+){0,8}?(?:ingediend|ingestuurd|gestuurd|filed|submitted|lodged|eingereicht|geschickt)\b|^(?:\S+\s+){0,4}?(?:i|we)\s+(?:\S+\s+){0,2}?(?:filed|submitted|lodged|sent|made|raised)\s+(?:a|my|our)\s+(?:formal\s+)?complaint\b",
    )
});

/// Wondering how it goes on, with the reason one asks: "Ik vroeg me af hoe lang de
/// procedure duurt", "Mijn leidinggevende wil graag weten of ..., daarom vraag ik het",
/// "I was wondering how long it takes", "Ich frage mich, wie lange es dauert".
static WONDERS: Pattern = Pattern::new(|| {
    re(
        r"^(?:ik\s+vroeg\s+me\s+af|ik\s+vraag\s+me\s+af|i\s+(?:was\s+|am\s+)?wonder(?:ing)?|ich\s+(?:frage|fragte)\s+mich|(?:\S+\s+){1,3}?(?:wil|willen|wilde|wants|want|would\s+like|m(?:ö|oe)chte|m(?:ö|oe)chten|will)\s+(?:graag\s+|gerne?\s+)?(?:weten|to\s+know|wissen))\b,?\s+(?:hoe|of|wanneer|wat|welke|how|whether|if|when|what|which|wie|ob|wann|was|welche)\b",
    )
});

/// Displeasure alone, part by part: "Ik ben er echt niet tevreden over, zo hoort een
/// cursus niet gegeven te worden", "This is unacceptable", "So geht das nicht".
pub(super) fn only_displeasure(lower: &str) -> bool {
    let displeased = |part: &str| {
        (DISCONTENT.is_match(part) && !TELLS_MORE.is_match(part)) || NOT_DONE.is_match(part)
    };
    let parts: Vec<&str> = lower
        .split(',')
        .map(|part| part.trim().trim_end_matches(['.', '!']).trim())
        .filter(|part| !part.is_empty())
        .collect();
    !parts.is_empty() && parts.iter().all(|part| displeased(part))
}

/// How it should not be, said without what it was: "zo hoort het niet", "zo hoort een
/// cursus niet gegeven te worden", "dit kan echt niet", "onacceptabel", "unacceptable",
/// "this is not how it should be", "so geht das nicht", "das geht gar nicht".
static NOT_DONE: Pattern = Pattern::new(|| {
    re(
        r"(?x)^(?:(?:en|and|und|maar|but|aber|want|denn|echt|really|wirklich)\s+)*(?:
        zo\s+(?:hoort|hoeft|moet|kan|mag)\s+(?:het|dat|dit|een\s+\S+|de\s+\S+)\s+(?:toch\s+|echt\s+|gewoon\s+)?niet(?:\s+(?:\S+\s+)?(?:te\s+)?(?:worden|gaan|zijn))?
        |(?:dit|dat|het)\s+(?:kan|mag)\s+(?:echt\s+|toch\s+|gewoon\s+)?niet(?:\s+(?:zo\s+)?(?:langer|meer))?
        |(?:dit|dat|het)\s+(?:is|was|vind\s+ik)\s+(?:\S+\s+){0,2}?(?:onacceptabel|onaanvaardbaar|ontoelaatbaar|schandalig|belachelijk|niet\s+acceptabel|niet\s+normaal)
        |(?:onacceptabel|onaanvaardbaar|schandalig|unacceptable|unakzeptabel|inakzeptabel)
        |(?:this|that|it)\s+(?:is|was)\s+(?:\S+\s+){0,2}?(?:unacceptable|not\s+acceptable|not\s+ok(?:ay)?|not\s+how\s+(?:it|a\s+\S+)\s+should\s+be(?:\s+\S+)?)
        |(?:this|that|it)\s+is\s+not\s+how\s+(?:\S+\s+){0,3}?should\s+be(?:\s+\S+){0,2}
        |so\s+geht\s+(?:das|es)\s+(?:wirklich\s+|einfach\s+)?nicht
        |das\s+geht\s+(?:so\s+|gar\s+|wirklich\s+|einfach\s+)*nicht
        |(?:das|es)\s+ist\s+(?:\S+\s+){0,2}?(?:unakzeptabel|inakzeptabel|nicht\s+akzeptabel|eine\s+frechheit)
        )$",
    )
});

#[cfg(test)]
mod tests {
    use crate::intake::extract::tests::ex;

    fn description(text: &str) -> Option<String> {
        ex(text).fields.description
    }

    #[test]
    fn a_reply_that_hands_over_details_describes_nothing() {
        for text in [
            "Sorry dat ik nu pas reageer, ik was een paar dagen weg.\n\nU vroeg nog om een paar gegevens. Ik ben vorig jaar verhuisd en woon nu op de Lindelaan 3 in Ede. Na vijf uur ben ik meestal bereikbaar op 06 12 34 56 78.\n\nAls u verder nog iets nodig heeft hoor ik het graag.",
            "Apologies for the late reply. You asked for my address: I moved in the summer and now live at Keizersgracht 12, Amsterdam. You can reach me after 5 pm on 06 98 76 54 32.",
            "Entschuldigen Sie die späte Antwort. Ich bin im Sommer umgezogen und wohne jetzt in der Bahnhofstraße 4, 48599 Gronau. Ab 17 Uhr bin ich telefonisch erreichbar.",
        ] {
            assert_eq!(description(text), None, "{text}");
        }
    }

    #[test]
    fn a_question_about_the_procedure_describes_nothing() {
        for text in [
            "Op 2 november heb ik een klacht ingediend over de workshop Effectief vergaderen en daarop kreeg ik een ontvangstbevestiging.\n\nIk vroeg me af hoe lang de procedure ongeveer duurt. Krijg ik binnen een bepaalde termijn een reactie?",
            "I filed a complaint about the Excel course last week. I was wondering how long the procedure usually takes. Will the trainer be heard as well?",
        ] {
            assert_eq!(description(text), None, "{text}");
        }
    }

    #[test]
    fn displeasure_alone_describes_nothing() {
        for text in [
            "Ik wil graag een klacht indienen over de trainer van de cursus EHBO. Ik ben er echt niet tevreden over, zo hoort een cursus niet gegeven te worden.\n\nHoe gaat dat precies?",
            "Ich möchte mich über den Kurs beschweren. So geht das nicht. Wie gehe ich vor?",
            "I would like to file a complaint about the workshop. This is unacceptable. How do I go about it?",
        ] {
            assert_eq!(description(text), None, "{text}");
        }
    }

    #[test]
    fn a_withdrawal_after_a_settlement_describes_nothing() {
        for text in [
            "Dank voor uw snelle bevestiging. Inmiddels heb ik een goed gesprek gehad met de trainer. Er is een oplossing gevonden waar ik tevreden mee ben: ik mag op 12 november kosteloos de herkansing doen.\n\nIk trek mijn klacht dan ook in.",
            "Thank you for confirming. The coach called me and we found a solution I am satisfied with, so I withdraw my complaint.",
            "Dank voor de bevestiging. De coach heeft mij gebeld en we hebben een extra sessie ingepland. Bij deze trek ik mijn klacht dan ook in.",
        ] {
            assert_eq!(description(text), None, "{text}");
        }
    }

    #[test]
    fn a_fact_told_with_them_is_still_described() {
        for text in [
            "Sorry dat ik nu pas reageer. Op 3 november kwam de trainer een uur te laat en de lunch ontbrak.",
            "Ik ben er echt niet tevreden over, de trainer zat de hele dag op zijn telefoon.",
            "Op 2 november heb ik een klacht ingediend. Ik vroeg me af hoe lang het duurt, want de trainer heeft mij gisteren weer uitgescholden.",
            "Er is een oplossing gevonden, maar de trainer schreeuwde tegen mij en dat wil ik toch gemeld hebben.",
        ] {
            assert!(description(text).is_some(), "{text}");
        }
    }
}
