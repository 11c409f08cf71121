//! Clauses of a follow-up or a complaint that tell no fact: a step in the procedure (a
//! withdrawal, "de zaak is opgelost", a request for the complaints commission, which case
//! or which service it was, "belt u mij, dan licht ik het toe") and a verdict without what
//! happened ("beneden alle peil", "zonde van mijn tijd", "ik wil mijn geld terug"). A
//! clause says nothing when each of its parts (cut at commas and "en", "and", "und") is
//! one of these.

use crate::intake::pattern::{Pattern, PerThread};

use regex::Regex;

use super::super::re;

/// Whether the lower-case clause `s` is made of procedure steps and verdicts only.
pub(super) fn step_or_verdict(s: &str) -> bool {
    if s.split_whitespace().count() > 24 || TELLS.is_match(s) || RELATIVE.is_match(s) {
        return false;
    }
    let mut parts = PARTS
        .split(s)
        .map(|p| p.trim().trim_end_matches(['.', '!', '?']).trim())
        .filter(|p| !p.is_empty())
        .peekable();
    parts.peek().is_some()
        && parts.all(|p| {
            STEPS.get().iter().any(|r| r.is_match(p))
                || VERDICT.is_match(p)
                || REFUND.is_match(p)
                || (s != p && ALONE.is_match(p))
        })
}

/// Where a clause is cut into parts.
static PARTS: Pattern = Pattern::new(|| {
    re(
        r"\s*[,;]\s*(?:(?:en|and|und|maar|but|aber|dus|so|also)\s+)?|\s+(?:en|and|und|maar|but|aber|dus|so|also)\s+",
    )
});

/// A clause that goes on to tell why or what happened.
static TELLS: Pattern = Pattern::new(|| {
    re(
        r"\bwant\s+(?:de|het|een|ik|we|wij|hij|zij|ze|er|mijn|die|dat|toen)\b|\b(?:omdat|doordat|aangezien|toen|nadat|terwijl|because|since|after|when|while|weil|denn|nachdem|als|w(?:ä|ae)hrend)\b",
    )
});

/// A clause of its own that tells ("de training die twee keer werd afgezegd", "vergeten
/// te melden dat de trainer ...").
static RELATIVE: Pattern = Pattern::new(|| {
    re(
        r"\b(?:dat|waar|waarin|waarbij|waarop|who|which|that|where|whose|dass)\b|\bdie\s+(?:\S+\s+){0,4}?(?:werd|werden|was|waren|is|had|heeft|hebben|kwam|ging|zei|\w+de|\w+te)\b",
    )
});

/// A part that only finishes another ("... van mijn tijd en geld", "dan licht ik het toe").
static ALONE: Pattern = Pattern::new(|| {
    re(
        r"^(?:(?:mijn|my|mein|meine)\s+)?(?:tijd|geld|time|money|zeit|geld|energie|energy)$|^(?:dan|then|dann)\s+(?:licht|leg|vertel|explain|erkl(?:ä|ae)re)\s+(?:ik|i|ich)\s+(?:het|dit|alles|it|es|alles)?\s*(?:\S+\s+){0,2}?(?:toe|uit)?$|^(?:i.ll|i\s+will|i\s+can|ik\s+licht|ik\s+leg|ich\s+erkl(?:ä|ae)re)\s+(?:explain\s+)?(?:het|dit|alles|it|everything|es|alles)?\s*(?:\S+\s+){0,3}?(?:toe|uit|explain)?(?:\s+(?:on|over|by|per|am|telefonisch|mondeling|in\s+person)(?:\s+the)?(?:\s+(?:phone|telefoon|telefon))?)?$",
    )
});

/// Steps in the procedure, each a whole part.
static STEPS: PerThread<Vec<Regex>> = PerThread::new(|| {
    [
        // a withdrawal: "ik trek mijn klacht in", "I withdraw my complaint"
        r"^(?:hierbij\s+|bij\s+deze(?:n)?\s+)?(?:(?:ik|wij|we)\s+)?(?:trek|trekken|wil|willen|zou|zouden)\s+(?:ik\s+|wij\s+|we\s+)?(?:hierbij\s+)?(?:graag\s+)?(?:mijn|onze|de)\s+klacht\s+(?:\S+\s+){0,2}?(?:in|intrekken|terugtrekken|terug\s+trekken)$",
        r"^(?:(?:i|we)\s+)?(?:hereby\s+)?(?:would\s+like\s+to\s+|want\s+to\s+|wish\s+to\s+|am\s+|are\s+)?(?:withdraw|withdrawing|retract|retracting|drop|dropping|cancel|cancelling)\s+(?:my|our|the)\s+complaint$",
        r"^(?:hiermit\s+)?(?:(?:ich|wir)\s+)?(?:ziehe|ziehen|m(?:ö|oe)chte|m(?:ö|oe)chten|will|wollen)\s+(?:ich\s+|wir\s+)?(?:hiermit\s+)?(?:meine|unsere|die)\s+beschwerde\s+(?:hiermit\s+)?(?:zur(?:ü|ue)ck|zur(?:ü|ue)ckziehen)$",
        r"^(?:ik|wij|we|i)\s+(?:heb|hebben|have|has)?\s*(?:besloten|ervoor\s+gekozen|decided)\s+(?:om\s+|to\s+)?(?:mijn|onze|de|my|our|the)\s+(?:klacht\s+in\s+te\s+trekken|klacht\s+terug\s+te\s+trekken|complaint\s+to\s+withdraw)$|^(?:ik|wij|we|i)\s+(?:heb|hebben|have|has)?\s*(?:besloten|decided)\s+to\s+withdraw\s+(?:my|our|the)\s+complaint$",
        // an announcement, its subject said before: "(... en) wil een klacht indienen"
        r"^(?:(?:ik|wij|we|i|ich|wir)\s+)?(?:wil|willen|want|wants|would\s+like|wish|m(?:ö|oe)chte|m(?:ö|oe)chten|will)\s+(?:to\s+)?(?:graag\s+|gerne\s+)?(?:een\s+|eine\s+)?(?:formele\s+)?(?:klacht\s+(?:indienen|melden|doen|neerleggen)|(?:file|make|submit|lodge|raise)\s+a\s+(?:formal\s+)?complaint|mich\s+beschweren|(?:eine\s+)?beschwerde\s+einreichen)(?:\s+(?:over|about|(?:ü|ue)ber|regarding)\s+(?:\S+\s+){0,4}?\S+)?$",
        // resolved: "de zaak is opgelost", "it has been sorted out"
        r"^(?:ik|wij|we|i|ich|wir)\s+(?:heb|hebben|have|has|haben|habe)\s+(?:het|dit|alles|es|das|alles)\s+(?:\S+\s+){0,2}?(?:opgelost|uitgepraat|geregeld|gekl(?:ä|ae)rt|gel(?:ö|oe)st|geregelt)(?:\s+(?:met|mit)\s+(?:\S+\s+){0,3}?\S+)?$|^(?:i|we)\s+(?:have\s+|.ve\s+)?(?:sorted|worked|resolved|settled|cleared)\s+(?:it|this|things|everything|the\s+matter)(?:\s+out|\s+up)?(?:\s+with\s+(?:\S+\s+){0,3}?\S+)?$",
        r"^(?:de\s+zaak|de\s+kwestie|het\s+probleem|alles|het|dit|dat|the\s+matter|the\s+issue|the\s+problem|it|this|everything|die\s+sache|das\s+problem|es|das|alles)\s+(?:is|zijn|has\s+been|have\s+been|is\s+now|ist|hat\s+sich|wurde|was)\s+(?:nu\s+|inmiddels\s+|intussen\s+|al\s+|toch\s+|now\s+|already\s+|since\s+|inzwischen\s+|bereits\s+|mittlerweile\s+|schon\s+)?(?:opgelost|geregeld|rechtgezet|in\s+orde(?:\s+gekomen)?|uitgepraat|resolved|sorted(?:\s+out)?|settled|solved|fixed|gel(?:ö|oe)st|erledigt|geregelt|gekl(?:ä|ae)rt)(?:\s+(?:met|with|mit)\s+(?:\S+\s+){0,3}?\S+)?(?:\s+(?:worden|werden))?$",
        // the complaints commission: "ik wil naar de klachtencommissie"
        r"^(?:(?:ik|wij|we|i|ich|wir)\s+)?(?:wil|willen|zou|zouden|ga|gaan|would\s+like\s+to|want\s+to|wish\s+to|will|m(?:ö|oe)chte|m(?:ö|oe)chten|werde)\s+(?:\S+\s+){0,6}?(?:klachtencommissie|geschillencommissie|commissie|ombudsman|complaints?\s+(?:commission|committee|board)|commission|committee|beschwerdekommission|kommission|schlichtungsstelle)(?:\s+\S+){0,4}$",
        r"^(?:ik\s+ben|wij\s+zijn|we\s+zijn|i\s+am|i.m|we\s+are|ich\s+bin|wir\s+sind)\s+(?:het\s+)?(?:niet\s+eens|not\s+(?:in\s+agreement|happy)|nicht\s+einverstanden)\s+(?:met|with|mit)\s+(?:uw|het|jullie|de|your|the|ihrer|der|dem|ihre[mn]?)\s+(?:besluit|beslissing|uitkomst|oordeel|afhandeling|decision|outcome|entscheidung|ergebnis)$|^i\s+(?:disagree|do\s+not\s+agree|don.t\s+agree)\s+with\s+(?:your|the)\s+(?:decision|outcome)$",
        // which case: "Over mijn klacht KL-2026-0048", "Betreft KL2026-0052"
        r"^(?:over|betreft|inzake|aangaande|ivm|re|regarding|about|concerning|zu|betrifft|bez(?:ü|ue)glich)\s+(?:(?:mijn|de|uw|onze|my|the|your|our|meine[rmn]?|die|ihre[rmn]?|der|dem)\s+)?(?:(?:klacht|dossier|zaak|complaint|case|beschwerde|vorgang)(?:nummer|number)?\s*)?(?:\(?kl[\s\-_./\u{2013}]*\d{4}[\s\-_./\u{2013}]*\d{1,6}\)?)?$",
        // which service, handed over afterwards: "het was de training X"
        r"^(?:ik\s+(?:was|ben|had|heb)\s+|i\s+(?:had\s+)?|ich\s+(?:hatte|habe)\s+)(?:\S+\s+){0,2}?(?:vergeten|forgot|forgotten|vergessen)\b[^;:]*$",
        r"^(?:het|dit|it|this|es|das)\s+(?:was|is|war|ist|betrof|betreft|ging\s+om|gaat\s+om|concerns|concerned|betrifft|betraf)\s+(?:de|het|een|mijn|the|a|my|der|die|das|den|meine?n?)\s+\S*(?:training|traject|cursus|workshop|coaching|sessie|opleiding|programma|module|course|programme|program|session|seminar|kurs|schulung)\w*(?:\s+[^\s,;:]+){0,6}$",
        // how to be reached: "bellen heb ik liever niet", "mail mij liever"
        r"^[^;:]*\b(?:bellen|gebeld|telefonisch|telefoon|call|called|calls|phone|anrufe\w*|angerufen)\b[^;:]*\b(?:liever\s+niet|liever\s+geen|rather\s+not|prefer\s+not|lieber\s+nicht|lieber\s+kein\w*)\b[^;:]*$",
        r"^(?:mail|e-?mail|schrijf|write|schreiben\s+sie)\s+(?:mij|me|mir)\s+(?:liever|rather|lieber|bitte|please|graag)\b[^;:]*$",
        // "belt u mij", "graag telefonisch contact", "call me"
        r"^(?:belt|bel|wilt|kunt|zou)\s+(?:u|je|jij)\s+(?:mij|me)(?:\s+(?:maar|even|terug|gerust|graag|bellen|terugbellen|op\s+\S+(?:\s+\S+){0,4}))*$",
        r"^(?:graag\s+)?(?:(?:telefonisch|persoonlijk)\s+)?(?:contact|een\s+telefoontje|teruggebeld\s+worden|een\s+gesprek)(?:\s+(?:graag|opnemen|met\s+mij|via\s+\S+))*$",
        r"^(?:please\s+)?(?:call|ring|phone)\s+me(?:\s+(?:back|please|on\s+\S+(?:\s+\S+){0,4}))*$|^(?:bitte\s+)?rufen\s+sie\s+mich\s+(?:bitte\s+)?(?:zur(?:ü|ue)ck|an)$",
    ]
    .into_iter()
    .map(re)
    .collect()
});

/// A verdict without what happened: "beneden alle peil", "a waste of my time",
/// "dit was echt waardeloos", "ik ben zeer teleurgesteld".
static VERDICT: Pattern = Pattern::new(|| {
    re(
        r"(?x)^(?:(?:dit|dat|het|this|that|it|das|es|alles|everything|the\s+whole\s+thing|het\s+geheel)\s+(?:was|is|were|war|ist)\s+)?
        (?:(?:echt|really|totally|totaal|absoluut|absolut|absolutely|v(?:ö|oe)llig|ganz|gewoon|simply|just|zeer|erg|very|sehr|heel|so|zo|wirklich|compleet|completely|utterly|ronduit|werkelijk)\s+)*
        (?:een\s+|a\s+|an\s+|eine?\s+)?
        (?:beneden\s+(?:alle\s+|elk\s+)?peil|onder\s+de\s+maat|waardeloos|schandalig|belachelijk|bedroevend|slecht|onacceptabel|onaanvaardbaar|onprofessioneel|aanfluiting|teleurstellend|(?:grote\s+)?teleurstelling|zonde\s+van\s+(?:mijn|ons|het|de|m.n)\s+(?:tijd|geld)|geldverspilling|tijdverspilling|verspilde\s+tijd
        |waste\s+of\s+(?:my\s+|our\s+)?(?:time|money)|disappointed|disappointing|teleurgesteld|entt(?:ä|ae)uscht|disappointment|terrible|awful|appalling|unacceptable|unprofessional|rubbish|useless|disgrace|disgraceful|shocking|below\s+(?:any|all)\s+standards?|substandard
        |unzumutbar|frechheit|inakzeptabel|unprofessionell|entt(?:ä|ae)uschend|entt(?:ä|ae)uschung|miserabel|katastrophal|katastrophe|geldverschwendung|zeitverschwendung|schade\s+um\s+(?:meine|die|das)\s+(?:zeit|geld)|unter\s+aller\s+sau|unter\s+jedem\s+niveau)
        (?:\s+(?:van\s+begin\s+tot\s+eind|from\s+start\s+to\s+finish|von\s+anfang\s+bis\s+ende|geweest|gewesen))?$
        |^(?:een\s+|a\s+|an\s+|eine?\s+)?(?:waardeloze|slechte|belachelijke|schandalige|bedroevende|terrible|awful|useless|rubbish|poor|appalling|schlechte[rs]?|miserable[rs]?|katastrophale[rs]?)\s+(?:\S+\s+)?\S*(?:training|cursus|workshop|coaching|sessie|dag|opleiding|course|session|day|programme|kurs|seminar|schulung)\w*$
        |^(?:ik\s+ben|wij\s+zijn|we\s+zijn|i\s+am|i.m|we\s+are|ich\s+bin|wir\s+sind)\s+(?:(?:zeer|erg|heel|echt|very|really|extremely|sehr|wirklich|ganz|totaal|totally)\s+)*(?:ontevreden|niet\s+tevreden|unhappy|not\s+happy|dissatisfied|unzufrieden|nicht\s+zufrieden|teleurgesteld|boos|woedend|kwaad|disappointed|angry|furious|upset|entt(?:ä|ae)uscht|w(?:ü|ue)tend|ver(?:ä|ae)rgert)(?:\s+(?:over|in|about|with|(?:ü|ue)ber|mit)\s+(?:\S+\s+){0,4}?\S+)?$",
    )
});

/// A refund asked without what happened: "ik wil mijn geld terug", "I want a refund".
static REFUND: Pattern = Pattern::new(|| {
    re(
        r"^(?:(?:ik|wij|we|i|ich|wir)\s+)?(?:wil|willen|eis|eisen|verwacht|verlang|want|would\s+like|expect|demand|will|wollen|m(?:ö|oe)chte|m(?:ö|oe)chten|verlange|erwarte|fordere)\s+(?:graag\s+|gerne\s+|dan\s+ook\s+|daarom\s+|therefore\s+|deshalb\s+)?(?:(?:mijn|ons|het|my|our|the|a|full|mein|unser|das|een|eine?n?|volledige|volledig|full)\s+)*(?:geld|money|refund|terugbetaling|restitutie|compensatie|vergoeding|compensation|r(?:ü|ue)ckerstattung|erstattung|entsch(?:ä|ae)digung)(?:\s+(?:terug|back|zur(?:ü|ue)ck|retour))?$",
    )
});

#[cfg(test)]
mod tests {
    use super::step_or_verdict;

    #[test]
    fn steps_and_verdicts_tell_nothing() {
        for s in [
            "ik trek mijn klacht in, de zaak is opgelost",
            "hierbij trek ik mijn klacht in",
            "i would like to withdraw my complaint, the matter has been resolved",
            "ich ziehe meine beschwerde zurück",
            "ik wil mijn klacht voorleggen aan de klachtencommissie",
            "ik ben het niet eens met uw besluit en wil naar de onafhankelijke klachtencommissie",
            "over mijn klacht kl 2026-0048",
            "het was de training effectief communiceren",
            "belt u mij, dan licht ik het toe",
            "beneden alle peil en zonde van mijn tijd, ik wil mijn geld terug",
            "very disappointed, a waste of my time and money",
            "very disappointed",
            "i want a refund",
            "bellen heb ik liever niet",
            "i'm very unhappy with the coaching and want to file a complaint",
            "ik heb besloten mijn klacht in te trekken",
            "we have sorted it out with the coach, so i withdraw my complaint",
            "waardeloze training, zonde van het geld",
            "absolut unzumutbar, ich will mein geld zurück",
        ] {
            assert!(step_or_verdict(s), "{s}");
        }
        for s in [
            "de trainer kwam een uur te laat en de zaal was koud",
            "ik trek mijn klacht in omdat de trainer toch zijn excuses heeft aangeboden",
            "de trainer was onvriendelijk, ik wil mijn geld terug",
            "the trainer never showed up, a waste of my time",
            "het was slecht omdat de trainer niet kwam",
            "de lunch was slecht",
            "de trainer was slecht voorbereid, zonde van mijn tijd",
            "ik ben zeer ontevreden omdat de trainer niet kwam",
        ] {
            assert!(!step_or_verdict(s), "{s}");
        }
    }
}
