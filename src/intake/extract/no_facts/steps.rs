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
    if DEMAND.is_match(s.trim_end_matches(['.', '!', '?'])) {
        return true;
    }
    if s.split_whitespace().count() > 24 || TELLS.is_match(s) || RELATIVE.is_match(s) {
        return false;
    }
    // "wat mij betreft hoeft u de klacht dus niet verder te behandelen": one step, whole
    let whole = s.trim().trim_end_matches(['.', '!', '?']).trim();
    if STEPS.get().iter().any(|r| r.is_match(whole)) {
        return true;
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
                || EXPECTED.is_match(p)
                || RECOMMEND.is_match(p)
                || FED_UP.is_match(p)
                || (s != p && ALONE.is_match(p))
        })
}

/// Whether a text (lower case) withdraws the complaint or says the matter is settled:
/// "ik trek hem hierbij in", "Ge moogt de klacht als ingetrokken beschouwen", "u hoeft de
/// klacht niet verder te behandelen", "I withdraw my complaint", "de zaak is opgelost".
pub(super) fn withdraws(lower: &str) -> bool {
    static WITHDRAWN: Pattern = Pattern::new(|| {
        re(
            r"\b(?:ingetrokken|intrekken|(?:als|as)\s+(?:afgesloten|gesloten|afgehandeld|closed|settled|erledigt|abgeschlossen)|in\s+te\s+trekken|trek(?:ken)?\s+(?:\S+\s+){1,5}?in|withdraw\w*|retract\w*|zur(?:ü|ue)ck(?:ziehen|gezogen|zunehmen|genommen)|ziehe[n]?\s+(?:\S+\s+){1,4}?zur(?:ü|ue)ck|(?:is|zijn|ist|has\s+been|have\s+been)\s+(?:\S+\s+){0,4}?(?:opgelost|resolved|settled|sorted|gel(?:ö|oe)st|erledigt|geregelt)|niet\s+verder\s+(?:te\s+)?(?:behandel\w*|onderzoeken|in\s+behandeling)|(?:no\s+need\s+to|not\s+need\s+to|don.t\s+need\s+to)\s+(?:\S+\s+){0,3}?(?:pursue|handle|process|investigate)|nicht\s+weiter\s+(?:zu\s+)?(?:bearbeiten|verfolgen|behandeln))\b",
        )
    });
    WITHDRAWN.is_match(lower)
}

/// Whether a clause (lower case) tells how the matter was settled, the reason given with a
/// withdrawal: "de trainer heeft mij zelf gebeld", "we hebben het goed uitgesproken", "ik
/// mag de tweede dag kosteloos opnieuw volgen", "we hebben een extra sessie ingepland",
/// "the coach called me and apologised", "wir haben einen neuen Termin vereinbart".
pub(super) fn settles(lower: &str) -> bool {
    static SETTLEMENT: Pattern = Pattern::new(|| {
        re(
            r"\b(?:oplossing|opgelost|tevreden\s+mee|solution|solved|resolved|satisfied\s+with|l(?:ö|oe)sung|gel(?:ö|oe)st|zufrieden|gebeld|opgebeld|belde|teruggebeld|gesproken|uitgesproken|uitgepraat|gesprek|excuses|verontschuldigd|ingepland|ingeroosterd|nieuwe\s+datum|extra\s+(?:sessie|les|dag|bijeenkomst)|opnieuw\s+(?:volgen|doen|deelnemen)|kosteloos|gratis|terugbetaald|teruggestort|terugbetaling|tegoedbon|called|phoned|rang|spoke|talked|apologi[sz]ed|apology|rescheduled|new\s+date|extra\s+session|free\s+of\s+charge|refunded|refund|angerufen|gesprochen|entschuldigt|entschuldigung|neuen?\s+termin|vereinbart|kostenlos|erstattet|gutschrift)\b",
        )
    });
    SETTLEMENT.is_match(lower)
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
        r"\bwant\s+(?:de|het|een|ik|we|wij|hij|zij|ze|er|mijn|die|dat|toen)\b|\b(?:omdat|doordat|aangezien|toen|nadat|terwijl|because|since|after|when|while|weil|denn|nachdem|w(?:ä|ae)hrend)\b|\bals\s+(?:der|die|das|ich|wir|er|sie|es|man|mein\w*|unser\w*|ik|we|wij|hij|zij|ze|de|het)\b",
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
        r"^(?:hierbij\s+|bij\s+deze(?:n)?\s+)?(?:(?:ik|wij|we)\s+)?(?:trek|trekken|wil|willen|zou|zouden)\s+(?:ik\s+|wij\s+|we\s+)?(?:hierbij\s+)?(?:graag\s+)?(?:(?:mijn|onze|de|deze)\s+klacht|hem|haar|die|deze|het|ze)\s+(?:\S+\s+){0,2}?(?:in|intrekken|terugtrekken|terug\s+trekken)$",
        // "beschouw mijn klacht als ingetrokken", "please consider my complaint withdrawn"
        r"^(?:(?:please|graag|bitte)\s+)?(?:beschouw|beschouwt\s+u|consider|regard|treat|betrachten\s+sie|sehen\s+sie)\s+(?:(?:mijn|de|deze|my|the|this|meine|die|diese)\s+(?:klacht|complaint|beschwerde)|hem|haar|it|sie)\s+(?:(?:dan|dus|also|so|hiermit|hereby)\s+)?(?:bitte\s+)?(?:als\s+|as\s+)?(?:ingetrokken|afgesloten|gesloten|withdrawn|closed|settled|zur(?:ü|ue)ckgezogen|erledigt|abgeschlossen)(?:\s+(?:please|graag|an))?$",
        // "Ge moogt de klacht als ingetrokken beschouwen", "you may consider my complaint
        // withdrawn", "Sie können meine Beschwerde als erledigt betrachten"
        r"^(?:(?:u|ge|gij|je|jullie|you|sie|ihr)\s+)?(?:mag|moogt|mogen|kunt|kan|kunnen|may|can|d(?:ü|ue)rfen|k(?:ö|oe)nnen|d(?:ü|ue)rft|k(?:ö|oe)nnt)\s+(?:u\s+|ge\s+|gij\s+|je\s+|jullie\s+|you\s+|sie\s+)?(?:consider\s+|regard\s+|treat\s+)?(?:(?:mijn|de|deze|onze|my|the|this|our|meine|die|diese|unsere)\s+(?:klacht|complaint|beschwerde)|hem|haar|die|het|it|sie)\s+(?:dus\s+|also\s+|so\s+|daarmee\s+|hiermee\s+|hereby\s+|hiermit\s+|damit\s+)?(?:als\s+|as\s+)?(?:ingetrokken|afgesloten|gesloten|afgehandeld|withdrawn|closed|settled|zur(?:ü|ue)ckgezogen|erledigt|abgeschlossen)(?:\s+(?:beschouwen|zien|behandelen|consider|betrachten|ansehen|sehen))?$",
        r"^(?:(?:i|we)\s+)?(?:hereby\s+)?(?:would\s+like\s+to\s+|want\s+to\s+|wish\s+to\s+|am\s+|are\s+)?(?:withdraw|withdrawing|retract|retracting|drop|dropping|cancel|cancelling)\s+(?:my|our|the)\s+complaint$",
        r"^(?:hiermit\s+)?(?:(?:ich|wir)\s+)?(?:ziehe|ziehen|m(?:ö|oe)chte|m(?:ö|oe)chten|will|wollen)\s+(?:ich\s+|wir\s+)?(?:hiermit\s+)?(?:meine|unsere|die)\s+beschwerde\s+(?:hiermit\s+)?(?:zur(?:ü|ue)ck|zur(?:ü|ue)ckziehen)$",
        r"^(?:ik|wij|we|i)\s+(?:heb|hebben|have|has)?\s*(?:besloten|ervoor\s+gekozen|decided)\s+(?:om\s+|to\s+)?(?:mijn|onze|de|my|our|the)\s+(?:klacht\s+in\s+te\s+trekken|klacht\s+terug\s+te\s+trekken|complaint\s+to\s+withdraw)$|^(?:ik|wij|we|i)\s+(?:heb|hebben|have|has)?\s*(?:besloten|decided)\s+to\s+withdraw\s+(?:my|our|the)\s+complaint$",
        // an announcement, its subject said before: "(... en) wil een klacht indienen"
        r"^(?:(?:ik|wij|we|i|ich|wir)\s+)?(?:wil|willen|want|wants|would\s+like|wish|m(?:ö|oe)chte|m(?:ö|oe)chten|will)\s+(?:to\s+)?(?:graag\s+|gerne\s+)?(?:een\s+|eine\s+)?(?:formele\s+)?(?:klacht\s+(?:indienen|melden|doen|neerleggen)|(?:file|make|submit|lodge|raise)\s+a\s+(?:formal\s+)?complaint|mich\s+beschweren|(?:eine\s+)?beschwerde\s+einreichen)(?:\s+(?:over|about|(?:ü|ue)ber|regarding)\s+(?:\S+\s+){0,4}?\S+)?$",
        // resolved: "de zaak is opgelost", "it has been sorted out"
        r"^(?:ik|wij|we|i|ich|wir)\s+(?:heb|hebben|have|has|haben|habe)\s+(?:het|dit|alles|es|das|alles)\s+(?:\S+\s+){0,2}?(?:opgelost|uitgepraat|geregeld|gekl(?:ä|ae)rt|gel(?:ö|oe)st|geregelt)(?:\s+(?:met|mit)\s+(?:\S+\s+){0,3}?\S+)?$|^(?:i|we)\s+(?:have\s+|.ve\s+)?(?:sorted|worked|resolved|settled|cleared)\s+(?:it|this|things|everything|the\s+matter)(?:\s+out|\s+up)?(?:\s+with\s+(?:\S+\s+){0,3}?\S+)?$",
        // "na een goed gesprek met de trainer is de kwestie voor mij opgelost"
        r"^(?:(?:na|door|dankzij|sinds|after|thanks\s+to|nach|dank|durch)\s+(?:\S+\s+){0,8}?)?(?:(?:voor\s+(?:mij|ons)|wat\s+(?:mij|ons)\s+betreft|for\s+(?:me|us)|as\s+far\s+as\s+i.m\s+concerned|f(?:ü|ue)r\s+(?:mich|uns))\s+(?:\S+\s+)?)?(?:is|zijn|ist|has\s+been)\s+(?:de\s+zaak|de\s+kwestie|het\s+probleem|alles|het|dit|dat|die\s+sache|das\s+problem|es|das|the\s+matter|it)\s+(?:voor\s+(?:mij|ons)\s+|f(?:ü|ue)r\s+(?:mich|uns)\s+|for\s+(?:me|us)\s+)?(?:nu\s+|inmiddels\s+|intussen\s+|al\s+|toch\s+|now\s+|inzwischen\s+|bereits\s+|mittlerweile\s+|schon\s+)?(?:opgelost|geregeld|rechtgezet|in\s+orde(?:\s+gekomen)?|uitgepraat|resolved|sorted(?:\s+out)?|settled|gel(?:ö|oe)st|erledigt|geregelt|gekl(?:ä|ae)rt)$",
        r"^(?:de\s+zaak|de\s+kwestie|het\s+probleem|alles|het|dit|dat|the\s+matter|the\s+issue|the\s+problem|it|this|everything|die\s+sache|das\s+problem|es|das|alles)\s+(?:is|zijn|has\s+been|have\s+been|is\s+now|ist|hat\s+sich|wurde|was)\s+(?:voor\s+(?:mij|ons)\s+|f(?:ü|ue)r\s+(?:mich|uns)\s+|for\s+(?:me|us)\s+)?(?:nu\s+|inmiddels\s+|intussen\s+|al\s+|toch\s+|now\s+|already\s+|since\s+|inzwischen\s+|bereits\s+|mittlerweile\s+|schon\s+)?(?:opgelost|geregeld|rechtgezet|in\s+orde(?:\s+gekomen)?|uitgepraat|resolved|sorted(?:\s+out)?|settled|solved|fixed|gel(?:ö|oe)st|erledigt|geregelt|gekl(?:ä|ae)rt)(?:\s+(?:met|with|mit)\s+(?:\S+\s+){0,3}?\S+)?(?:\s+(?:worden|werden))?$",
        // the complaints commission: "ik wil naar de klachtencommissie"
        r"^(?:(?:ik|wij|we|i|ich|wir)\s+)?(?:wil|willen|zou|zouden|ga|gaan|would\s+like\s+to|want\s+to|wish\s+to|will|m(?:ö|oe)chte|m(?:ö|oe)chten|werde)\s+(?:\S+\s+){0,6}?(?:klachtencommissie|geschillencommissie|commissie|ombudsman|complaints?\s+(?:commission|committee|board)|commission|committee|beschwerdekommission|kommission|schlichtungsstelle)(?:\s+\S+){0,4}$",
        r"^(?:ik\s+ben|wij\s+zijn|we\s+zijn|i\s+am|i.m|we\s+are|ich\s+bin|wir\s+sind)\s+(?:het\s+)?(?:niet\s+eens|not\s+(?:in\s+agreement|happy)|nicht\s+einverstanden)\s+(?:met|with|mit)\s+(?:uw|het|jullie|de|your|the|ihrer|der|dem|ihre[mn]?)\s+(?:besluit|beslissing|uitkomst|oordeel|afhandeling|decision|outcome|entscheidung|ergebnis)$|^i\s+(?:disagree|do\s+not\s+agree|don.t\s+agree)\s+with\s+(?:your|the)\s+(?:decision|outcome)$",
        // the complaint filed before: "Ik had op 2 november een klacht ingediend over X"
        r"^(?:(?:ik|wij|we|ich|wir)\s+(?:heb|had|hebben|hadden|habe|hatte|haben|hatten)|(?:i|we)\s+(?:have|had))\s+(?:\S+\s+){0,4}?(?:een|mijn|onze|a|my|our|eine|meine|unsere)\s+(?:formele\s+|formal\s+)?(?:klacht|complaint|beschwerde)\s+(?:\S+\s+){0,8}?(?:ingediend|ingestuurd|gestuurd|gemeld|filed|submitted|lodged|made|sent|eingereicht|geschickt)(?:\s+(?:over|about|(?:ü|ue)ber|regarding|bij|with|bei|concerning|zu)\b[^;:]*)?$|^(?:i|we)\s+(?:filed|submitted|lodged|made|sent)\s+(?:a|my|our)\s+(?:formal\s+)?complaint\b[^;:]*$",
        // which case: "Over mijn klacht KL-2026-0048", "Betreft KL2026-0052"
        r"^(?:over|betreft|inzake|aangaande|ivm|re|regarding|about|concerning|zu|betrifft|bez(?:ü|ue)glich)\s+(?:(?:mijn|de|uw|onze|my|the|your|our|meine[rmn]?|die|ihre[rmn]?|der|dem)\s+)?(?:(?:klacht|dossier|zaak|complaint|case|beschwerde|vorgang)(?:nummer|number)?\s*)?(?:\(?kl[\s\-_./\u{2013}]*\d{4}[\s\-_./\u{2013}]*\d{1,6}\)?)?$",
        // which service, handed over afterwards: "het was de training X"
        r"^(?:ik\s+(?:was|ben|had|heb)\s+|i\s+(?:had\s+)?|ich\s+(?:hatte|habe)\s+)(?:\S+\s+){0,2}?(?:vergeten|forgot|forgotten|vergessen)\b[^;:]*$",
        r"^(?:het|dit|it|this|es|das)\s+(?:was|is|war|ist|betrof|betreft|ging\s+om|gaat\s+om|concerns|concerned|betrifft|betraf)\s+(?:de|het|een|mijn|the|a|my|der|die|das|den|meine?n?)\s+\S*(?:training|traject|cursus|workshop|coaching|sessie|opleiding|programma|module|course|programme|program|session|seminar|kurs|schulung)\w*(?:\s+[^\s,;:]+){0,6}$",
        // how to be reached: "bellen heb ik liever niet", "mail mij liever"
        r"^[^;:]*\b(?:bellen|gebeld|telefonisch|telefoon|call|called|calls|phone|anrufe\w*|angerufen)\b[^;:]*\b(?:liever\s+niet|liever\s+geen|rather\s+not|prefer\s+not|lieber\s+nicht|lieber\s+kein\w*)\b[^;:]*$",
        r"^(?:mail|e-?mail|schrijf|write|schreiben\s+sie)\s+(?:mij|me|mir)\s+(?:liever|rather|lieber|bitte|please|graag)\b[^;:]*$",
        // what we need not do any more: "u hoeft de ontbrekende gegevens niet meer van mij te
        // verwachten", "you don't need to send me the form", "Sie müssen nichts mehr tun"
        r"^(?:(?:wat\s+(?:mij|ons)\s+betreft|voor\s+(?:mij|ons))\s+(?:\S+\s+)?)?(?:hoeft|hoeven|hoef)\s+(?:u|jullie|je|jij|ge|gij)\s+(?:\S+\s+){0,6}?(?:niet|geen|niets|nergens)\b(?:\s+\S+){0,8}$|^(?:u|jullie|je|jij|ge|gij)\s+(?:hoeft|hoeven|hoef)\s+(?:\S+\s+){0,6}?(?:niet|geen|niets|nergens)\b(?:\s+\S+){0,8}$|^(?:you|numun)\s+(?:do\s+not|don.t|no\s+longer)\s+(?:need|have)\s+to\b(?:\s+\S+){0,8}$|^(?:there\s+is\s+)?no\s+need\s+to\b(?:\s+\S+){0,8}$|^sie\s+(?:m(?:ü|ue)ssen|brauchen)\s+(?:\S+\s+){0,6}?(?:nicht|nichts|keine\w*)\b(?:\s+\S+){0,8}$",
        r"^(?:bel|call|ring)\s+(?:mij|me)(?:\s+(?:maar|even|gerust|terug|graag|back|please|anytime))*$",
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
        r"(?x)^(?:(?:eerlijk\s+gezegd|honestly|frankly|ehrlich\s+gesagt|echt|really)\s*,?\s+)?(?:(?:dit|dat|het|this|that|it|das|es|alles|everything|the\s+whole\s+thing|het\s+geheel|(?:de|het|die|das|the|der|deze|this)\s+(?:training|cursus|workshop|seminar|course|kurs|schulung|sessie|session|dag|day|tag|opleiding)(?:\s+[^\s,;:]+){0,4}?)\s+(?:was|is|were|war|ist)\s+)?
        (?:(?:echt|really|totally|totaal|absoluut|absolut|absolutely|v(?:ö|oe)llig|ganz|gewoon|simply|just|zeer|erg|very|sehr|heel|so|zo|wirklich|compleet|completely|utterly|ronduit|werkelijk|allemaal|alles|all|insgesamt)\s+)*
        (?:wat\s+|what\s+|was\s+f(?:ü|ue)r\s+|welch\s+)?(?:een\s+|a\s+|an\s+|eine?\s+)?(?:(?:einzige|echte|gro(?:ß|ss)e|totale|komplette|ware|grote|enorme|complete|total|real|big|huge)\s+)?
        (?:beneden\s+(?:alle\s+|elk\s+)?peil|(?:niet|not|nicht|nie)\s+(?:goed|good|well|gut)\s+(?:geregeld|georganiseerd|organi[sz]ed|organisiert|geplant|planned)|(?:slecht|badly|poorly|schlecht)\s+(?:geregeld|georganiseerd|organi[sz]ed|organisiert|geplant|planned|run)|(?:niet|not|nicht|weinig|little|wenig)\s+(?:erg\s+|very\s+|sehr\s+)?(?:professioneel|professional|professionell|serieus|serious|seri(?:ö|oe)s|acceptabel|acceptable|akzeptabel|in\s+orde|okay|ok|oké|normaal|done)|weggegooid\s+geld|money\s+(?:down\s+the\s+drain|thrown\s+away)|rausgeschmissenes\s+geld|(?:het\s+geld\s+|de\s+moeite\s+|the\s+money\s+|das\s+geld\s+)?(?:niet|not|nicht|geen\s+cent|kein\w*\s+cent)\s+(?:\S+\s+){0,2}?(?:waard|worth(?:\s+it)?|wert)|amateuristisch|amateurish|amateurhaft|(?:een\s+|a\s+|ein\s+)?(?:rommeltje|puinhoop|janboel|zootje|chaos|mess|shambles|farce|chaotisch|chaotic|durcheinander)|onder\s+de\s+maat|waardeloos|schandalig|belachelijk|bedroevend|slecht|onacceptabel|onaanvaardbaar|onprofessioneel|aanfluiting|teleurstellend|(?:grote\s+)?teleurstelling|zonde\s+van\s+(?:mijn|ons|het|de|m.n)\s+(?:tijd|geld)|geldverspilling|tijdverspilling|verspilde\s+tijd
        |waste\s+of\s+(?:my\s+|our\s+)?(?:time|money)|disappointed|disappointing|teleurgesteld|entt(?:ä|ae)uscht|disappointment|terrible|awful|appalling|unacceptable|unprofessional|rubbish|useless|disgrace|disgraceful|shocking|below\s+(?:any|all)\s+standards?|substandard
        |unzumutbar|frechheit|inakzeptabel|unprofessionell|entt(?:ä|ae)uschend|entt(?:ä|ae)uschung|miserabel|katastrophal|katastrophe|geldverschwendung|zeitverschwendung|schade\s+um\s+(?:meine|die|das)\s+(?:zeit|geld)|unter\s+aller\s+sau|unter\s+jedem\s+niveau)
        (?:\s+(?:van\s+begin\s+tot\s+eind|from\s+start\s+to\s+finish|von\s+anfang\s+bis\s+ende|geweest|gewesen|allemaal|alles|at\s+all|overall|insgesamt))*$
        |^(?:zoiets|zo\s+iets|so\s+etwas|sowas|so\s+was)\s+(?:heb|habe|hab)\s+(?:ik|ich)\s+(?:\S+\s+)?(?:nog\s+nooit|noch\s+nie|nooit|nie)\s+(?:meegemaakt|erlebt|gezien|gesehen)$|^(?:i.ve|i\s+have)\s+never\s+(?:experienced|seen)\s+(?:anything|something)\s+like\s+(?:it|this|that)(?:\s+before)?$
        |^(?:een\s+|a\s+|an\s+|eine?\s+)?(?:waardeloze|slechte|belachelijke|schandalige|bedroevende|terrible|awful|useless|rubbish|poor|appalling|schlechte[rs]?|miserable[rs]?|katastrophale[rs]?)\s+(?:\S+\s+)?\S*(?:training|cursus|workshop|coaching|sessie|dag|opleiding|course|session|day|programme|kurs|seminar|schulung)\w*$
        |^(?:ik\s+ben|wij\s+zijn|we\s+zijn|i\s+am|i.m|we\s+are|ich\s+bin|wir\s+sind)\s+(?:(?:zeer|erg|heel|echt|super|enorm|ontzettend|behoorlijk|bijzonder|uiterst|diep|zwaar|best|nogal|very|really|extremely|deeply|so|quite|sehr|wirklich|ganz|total|äußerst|ziemlich|totaal|totally)\s+)*(?:ontevreden|niet\s+tevreden|unhappy|not\s+happy|dissatisfied|unzufrieden|nicht\s+zufrieden|teleurgesteld|boos|woedend|kwaad|disappointed|angry|furious|upset|entt(?:ä|ae)uscht|w(?:ü|ue)tend|ver(?:ä|ae)rgert)(?:\s+(?:over|in|about|with|(?:ü|ue)ber|mit)\s+(?:\S+\s+){0,4}?\S+)?$",
    )
});

/// Fed up, without what happened: "ik ben er eerlijk gezegd best wel klaar mee", "ik ben
/// het spuugzat", "I'm fed up with it", "ich habe die Nase voll".
static FED_UP: Pattern = Pattern::new(|| {
    re(
        r"(?x)^(?:(?:ik|wij|we)\s+(?:ben|zijn)|(?:i|we)\s+(?:am|are)|i.m|we.re|(?:ich|wir)\s+(?:bin|sind|habe|haben))\s+(?:(?:er|het|daar|dat|it|this|es|das|davon|echt|really|so|zo|eerlijk\s+gezegd|honestly|ehrlich\s+gesagt|best|wel|best\s+wel|nu|now|jetzt|inmiddels|totally|totaal|helemaal|gewoon|just|absolutely|wirklich|langsam|die|von|allem)\s+){0,6}(?:klaar\s+mee|klaar\s+mee\s+met\s+\S+(?:\s+\S+){0,3}|(?:spuug|stront|dood)?zat|beu|fed\s+up(?:\s+with\s+(?:it|this|\S+(?:\s+\S+){0,3}))?|sick\s+(?:and\s+tired\s+)?of\s+(?:it|this|\S+(?:\s+\S+){0,3})|satt|nase\s+voll|bedient)$",
    )
});

/// What one expected, without what happened: "totaal niet wat ik ervan verwacht had",
/// "ik had er veel meer van verwacht", "dit had ik echt niet van jullie verwacht", "not
/// what I expected", "ich hatte mehr erwartet".
static EXPECTED: Pattern = Pattern::new(|| {
    re(
        r"(?x)^(?:(?:dit|dat|het|this|that|it|das|es)\s+(?:was|is|war|ist)\s+)?(?:(?:totaal|helemaal|echt|absoluut|bij\s+lange\s+na|totally|absolutely|just|simply|really|v(?:ö|oe)llig|ganz|gar|absolut|(?:ü|ue)berhaupt)\s+)*(?:niet|not|nicht)\s+(?:\S+\s+){0,2}?(?:wat|what|was|das\s+was)\s+(?:ik|we|wij|i|ich|wir)\s+(?:\S+\s+){0,4}?(?:verwacht|verwachtte|expected|erwartet|gehoopt|hoped\s+for|erhofft|beloofd\s+werd|was\s+promised|versprochen\s+wurde)(?:\s+(?:had|hadden|heb|hebben|hatte|habe|hatten))?$
        |^(?:ik|wij|we|i|ich|wir)\s+(?:had|hadden|heb|hebben|had|hatte|hatten|habe)\s+(?:er\s+)?(?:(?:echt|toch|wel|veel|heel\s+wat|much|a\s+lot|so\s+much|far|viel|wirklich|eigentlich)\s+)*(?:meer|more|mehr|beter|better|besseres)\s+(?:van\s+|from\s+|of\s+|von\s+)?(?:\S+\s+){0,3}?(?:verwacht|expected|erwartet)$
        |^(?:i|we)\s+expected\s+(?:much\s+|a\s+lot\s+|so\s+much\s+|far\s+)?(?:more|better)(?:\s+\S+){0,3}$
        |^(?:dit|dat|het|this|that|das|es)\s+(?:had|hadden|hatte)\s+(?:ik|wij|we|ich|wir|i)\s+(?:(?:echt|toch|nooit|never|nie|wirklich|really)\s+)*(?:niet\s+|nicht\s+|not\s+)?(?:van\s+(?:jullie|u|numun)\s+|von\s+ihnen\s+|from\s+you\s+)?(?:verwacht|erwartet|expected)$
        |^(?:i|we)\s+(?:would\s+)?(?:never\s+|not\s+)?(?:have\s+)?expected\s+(?:this|that)(?:\s+from\s+(?:you|numun))?$",
    )
});

/// A recommendation withheld: "ik ga jullie zeker niet aanraden bij collega's", "I would
/// not recommend this course to anyone", "ich werde Sie nicht weiterempfehlen", "nooit meer".
static RECOMMEND: Pattern = Pattern::new(|| {
    re(
        r"(?x)^(?:(?:ik|wij|we|i|ich|wir)\s+)?(?:ga|gaan|zal|zullen|kan|kunnen|would|will|can|could|werde|werden|kann|k(?:ö|oe)nnen)\s+(?:(?:jullie|u|deze\s+\S+|dit|het|dat|you|this|it|that|sie|das|euch|numun)\s+)?(?:(?:zeker|echt|absoluut|beslist|nooit|never|niemals|nie|definitely|certainly|really|sicher|bestimmt|wirklich|absolut|aan\s+niemand|anyone|niemandem|niemand)\s+)*(?:niet\s+|not\s+|nicht\s+|no\s+longer\s+|niet\s+meer\s+)?(?:(?:aan|bij|to|an)\s+(?:\S+\s+){0,2}?)?(?:aanraden|aanbevelen|recommend|empfehlen|weiterempfehlen)(?:\s+\S+){0,4}$
        |^(?:(?:nooit|never|nie)\s+(?:meer|again|wieder)|not\s+recommended|niet\s+aan\s+te\s+raden|nicht\s+zu\s+empfehlen)(?:\s+\S+){0,4}$",
    )
});

/// A demand without what happened, weighed whole: "ik wil dat jullie hier wat mee doen",
/// "doe er wat mee", "ik wil weten wat jullie hiermee gaan doen", "I expect you to do
/// something about it", "ich erwarte eine Reaktion".
static DEMAND: Pattern = Pattern::new(|| {
    re(
        r"(?x)^(?:(?:ik|wij|we)\s+(?:wil|willen|verwacht|verwachten|eis|eisen)\s+(?:graag\s+|dan\s+ook\s+|wel\s+)?(?:dat|weten\s+wat)\s+(?:jullie|u|numun|er|je)\s+(?:hier|daar|er)?\s*(?:\S+\s+){0,3}?(?:mee|aan)\s+(?:gaan\s+|gaat\s+)?(?:doen|doet|gedaan\s+wordt|gebeurt|gaan\s+doen)
        |(?:doe|doet\s+u|doen\s+jullie)\s+(?:er|hier|daar)\s+(?:(?:dan\s+|nu\s+|ook\s+)?(?:iets|wat))\s+(?:mee|aan)
        |(?:ik|wij|we)\s+(?:verwacht|verwachten)\s+(?:een\s+)?(?:(?:snelle|spoedige|serieuze)\s+)?(?:reactie|antwoord|oplossing|excuses)
        |(?:i|we)\s+(?:expect|want|demand|would\s+like)\s+(?:you\s+to\s+)?(?:do\s+something|(?:an?\s+)?(?:answer|response|reply|apology|explanation))(?:\s+\S+){0,4}
        |(?:please\s+)?do\s+something\s+about\s+(?:it|this)
        |ich\s+erwarte\s+(?:eine\s+)?(?:reaktion|antwort|stellungnahme|entschuldigung)(?:\s+\S+){0,3}
        )$",
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
            "wat een teleurstelling, echt zonde van mijn tijd en geld",
            "ik had er veel meer van verwacht en ik ga jullie zeker niet aanraden bij collega's",
            "dit is gewoon niet professioneel",
            "doe er wat mee",
            "ik ben echt heel ontevreden over jullie cursus",
            "totaal niet wat ik ervan verwacht had, zonde van mijn tijd en geld",
            "dit had ik echt niet van jullie verwacht",
            "ik wil dat jullie hier wat mee doen",
            "ik wil weten wat jullie hiermee gaan doen",
            "weggegooid geld, echt niet waard",
            "het geld niet waard",
            "bel me maar",
            "not what i expected and i would not recommend it to anyone",
            "i expect you to do something about it",
            "ich hatte mehr erwartet",
            "na een goed telefoongesprek met de trainer is de kwestie voor mij opgelost",
            "u hoeft de ontbrekende gegevens niet meer van mij te verwachten",
            "de zaak is voor mij opgelost",
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
            "de trainer was niet professioneel",
            "de cursus was niet wat er beloofd werd, want de praktijkdag ontbrak",
            "ik had meer verwacht omdat de trainer niet kwam",
            "de trainer heeft niets gedaan",
            "u hoeft niet te denken dat de trainer op tijd was",
        ] {
            assert!(!step_or_verdict(s), "{s}");
        }
    }
}
