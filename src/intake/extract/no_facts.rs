//! What tells no fact of the complaint: a mail that only announces one, asks how to make
//! one or what a course costs, or hands over contact details (art. 3.2d asks for the
//! facts and circumstances).

use crate::intake::pattern::{Pattern, PerThread};

use regex::Regex;

use super::contacts::find_phone;
use super::lines::contact_like;
use super::re;

mod details;
mod steps;

/// Sentences that only announce a complaint, ask how to make one, or hand over contact
/// details: none of them describes what happened.
static NOTHING_SAID: Pattern = Pattern::new(|| {
    re(
        r"(?ix)^(?:(?:namens|on\s+behalf\s+of|samen\s+met)\s+(?:\S+\s+){1,3}?)?(?:
        (?:ik\s+|wij\s+|we\s+)?(?:wil|wilde|zou|wou|willen|zouden)\s+(?:ik\s+|wij\s+|we\s+)?(?:graag\s+)?(?:een\s+)?(?:formele\s+)?klacht\s+(?:indienen|melden|doen|neerleggen|indienen\s+bij\s+u|in\s+dienen)
        |(?:ik\s+|wij\s+)?(?:heb|hebben)\s+een\s+klacht
        |hierbij\s+(?:dien|wil)\s+ik\s+(?:een\s+)?klacht\s+in(?:dienen)?
        |(?:i|we)\s+(?:would\s+like|want|wish|am\s+writing|are\s+writing)\s+to\s+(?:file|make|submit|lodge|raise|register)\s+a\s+(?:formal\s+)?complaint
        |(?:i|we).d\s+like\s+to\s+(?:file|make|submit|lodge|raise|register)\s+a\s+(?:formal\s+)?complaint
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
        |(?:ich|wir)\s+m(?:ö|oe)chten?\s+(?:mich|uns)\s+(?:bei\s+ihnen\s+)?(?:(?:ü|ue)ber|wegen)\s+[^,;:]*\s+beschweren
        |(?:ich|wir)\s+m(?:ö|oe)chten?\s+(?:eine\s+)?beschwerde\s+(?:(?:ü|ue)ber|wegen)\s+[^,;:]*\s+einreichen
        )(?:\s+(?:over|about|regarding|concerning|betreffende|inzake|(?:met\s+betrekking|m\.b\.t\.)\s+tot|(?:ü|ue)ber)\b[^,;:]*)?$
        |^(?:
        hoe\s+(?:doe|kan|moet|dien|mag)\s+ik
        |(?:heeft|hebben)\s+(?:u|jullie)\s+(?:een\s+)?(?:klachten)?formulier
        |do\s+you\s+have\s+a\s+(?:complaints?\s+)?form
        |(?:it|this|that|what\s+i.m\s+complaining\s+about|what\s+i\s+(?:am\s+complaining|complain(?:ed)?)\s+about|the\s+(?:\S+\s+)?(?:training|session|workshop|meeting|class|day))\s+(?:happened|took\s+place|was)\s+(?:on|at|in|during)\b[^,;]*(?:,\s*(?:\w+day|\d)[^,;]*)?$
        |(?:het|dit|dat|waar\s+ik\s+over\s+klaag|waarover\s+ik\s+klaag|wat\s+ik\s+bedoel|(?:de|het|die|deze)\s+(?:\S+\s+)?(?:training|sessie|bijeenkomst|les|workshop|cursusdag|coachgesprek|gesprek|dag))\s+(?:gebeurde|was|vond\s+plaats|is\s+gebeurd|heeft\s+plaatsgevonden)\s+(?:op|in|om|tijdens)\b[^,;]*(?:,\s*(?:\w+dag|\d)[^,;]*)?$
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
        |(?:hierbij|bij\s+deze|bijgaand|hieronder)\s+(?:mijn|de)\s+(?:gevraagde\s+|ontbrekende\s+)?(?:gegevens|adres|telefoonnummer|nummer|contactgegevens|adresgegevens|ontbrekende|informatie)
        |zoals\s+(?:\S+\s+){0,3}?(?:gevraagd|afgesproken|besproken)
        |(?:mijn|my)\s+(?:adres|telefoonnummer|nummer|gegevens|address|phone\s+number|number|details)\s+(?:is|zijn|are|luidt|luiden)\b
        |(?:meine|unsere)\s+(?:adresse|anschrift|telefonnummer|handynummer|rufnummer|nummer|daten|kontaktdaten)\s+(?:ist|sind|lautet|lauten)\b
        |as\s+(?:requested|discussed|agreed)
        |(?:please\s+)?find\s+(?:my|below|attached)
        |(?:zie|in\s+de)\s+(?:de\s+)?bijlage
        |(?:alvast\s+)?(?:bedankt|dank\s+u\s+wel|dank\s+je\s+wel|(?:hartelijk\s+)?dank\s+voor|thanks|thank\s+you|vielen\s+dank|danke|merci)
        |(?:hierbij|hiermit|anbei|here\s+(?:it\s+is|they\s+are))$
        |(?:(?:voordat|bevor|before)\b[^,]*,\s*)?(?:ik\s+heb|heb\s+ik|wij\s+hebben|hebben\s+wij|i\s+have|we\s+have|ich\s+habe|habe\s+ich|wir\s+haben)\s+(?:nog\s+|noch\s+)?(?:\S+\s+){0,2}?(?:vragen|vraag|vraagje|questions?|fragen?)\b
        |(?:over|op)\s+(?:de\s+)?(?:inhoud|details)\s+(?:ga|wil)\s+ik\s+(?:hier\s+|nu\s+)?(?:nog\s+)?niet\s+(?:op\s+)?in\b
        |i\s+(?:won.t|will\s+not)\s+go\s+into\s+(?:the\s+)?(?:details|content|substance)
        |auf\s+(?:den\s+)?inhalt\s+gehe\s+ich\s+(?:hier\s+)?(?:noch\s+)?nicht\s+ein
        |(?:de\s+klacht(?:\s+zelf)?|mijn\s+klacht|de\s+(?:details|inhoud|toelichting)|the\s+complaint(?:\s+itself)?|my\s+complaint|the\s+details|die\s+beschwerde(?:\s+selbst)?|meine\s+beschwerde)\s+(?:stuur|zend|mail|schrijf|volgt|volgen|komt|will\s+follow|follows|(?:i\s+)?will\s+(?:send|write)|folgt|schicke|sende)\b
        |(?:ik\s+stuur|ik\s+zend|i\s+will\s+send|i.ll\s+send|ich\s+schicke|ich\s+sende)\s+(?:u\s+|jullie\s+|you\s+|ihnen\s+)?(?:de|mijn|the|my|die|meine)\s+(?:klacht|complaint|beschwerde)(?:\s+(?:zelf|itself|selbst))?\s+(?:later|nog|separately|apart|afzonderlijk|sp(?:ä|ae)ter|separat|tomorrow|morgen)
        |(?:stuur|zend|geef)\s+ik\s+(?:u\s+|jullie\s+)?(?:hierbij\s+)?(?:mijn|de)\s+(?:gegevens|adres|telefoonnummer|contactgegevens|adresgegevens)
        |(?:(?:schicke|sende|gebe)\s+ich\s+(?:ihnen\s+|euch\s+)?)?(?:hiermit|anbei)\s+(?:meine|die)\s+(?:daten|kontaktdaten|adresse|telefonnummer|angaben)
        |ik\s+hoor\s+(?:graag\s+)?(?:van\s+u|snel\s+van\s+u|het\s+graag)
        |(?:ik\s+)?hoor\s+(?:graag|snel|het\s+graag)(?:\s+(?:van\s+(?:u|jullie)|iets))?$
        |i\s+look\s+forward
        )",
    )
});

/// A question put to the company about what can be done ("Mag ik zelf een klacht indienen,
/// of moet dat via HR?", "Tot wanneer kan dat nog?", "- If I book, can the invoice ...?",
/// "Zou u mij voortaan op dit nummer willen bellen?"): asks, tells nothing, unless it
/// reproaches or names a fault ("Krijg ik mijn geld terug, nu de trainer niet kwam?").
fn asks(sentence: &str) -> bool {
    let sentence = sentence.trim();
    if !sentence.ends_with('?') || sentence.split_whitespace().count() > 32 {
        return false;
    }
    let lower = sentence.to_lowercase();
    ASKS.is_match(&lower)
        && !FAULT.is_match(&lower)
        && !ABOUT_SOMEONE.is_match(&lower)
        && !THAT_CLAUSE.is_match(&lower)
        && !REPROACH.is_match(&lower)
        && !REPROACH_WORD.is_match(&lower)
}

/// How a question to the company opens: a modal or present verb first (a Dutch, German
/// or English yes/no question) or a question word, after a list mark, "en"/"and", or an
/// "if ..., " clause. A past verb first ("Was het de bedoeling ...?") asks about facts.
static ASKS: Pattern = Pattern::new(|| {
    re(
        r"(?x)^[\W\d]*(?:(?:en|of|and|or|und|oder|maar|but)\s+)?(?:(?:als|indien|if|wenn|falls)\b[^,]*,\s*)?(?:
        kan|kun|kunt|kunnen|mag|mogen|moet|moeten|wordt|worden|krijg|krijgt|krijgen|is|zijn|geldt|gelden|loopt|heeft|hebben|zou|zouden|wilt|willen|gaat|komt|tot\s+wanneer|wanneer|hoe|welke|wat|waar|wie|bij\s+wie|hoeveel|hoelang
        |can|could|may|might|must|should|shall|do|does|is|are|will|would|when|how|what|which|where|who|whom|until\s+when
        |kann|k(?:ö|oe)nnen|darf|d(?:ü|ue)rfen|muss|m(?:ü|ue)ssen|soll|sollte|gibt\s+es|wird|werden|ist|sind|bis\s+wann|wann|wie|wo|wer|welche[rsn]?|an\s+wen
        )\b",
    )
});

/// "(... in) een trainer die de hele dag op zijn telefoon zat": a question about someone
/// or something that did a thing tells what happened.
static ABOUT_SOMEONE: Pattern = Pattern::new(|| {
    re(
        r"\b(?:een|de|het|the|a|an|der|den|dem|ein\w*)\s+\w+\s+(?:die|dat|who|which|that|der|das)\s+(?:\S+\s+){0,8}?(?:\w+(?:de|te|den|ten|ed)|was|waren|zat|kwam|deed|zei|liet|gaf|had|were|said|did|came|left|war|hat|wurde)\b",
    )
});

/// A fault named in a question or an aside: a negation or a failure ("niet", "te laat",
/// "cancelled").
static FAULT: Pattern = Pattern::new(|| {
    re(
        r"\b(?:niet|geen|nooit|niemand|not|no|never|nobody|nicht|kein\w*|nie|niemals|\w+n.t|te\s+laat|too\s+late|late|afgezegd|geannuleerd|uitgevallen|verzet|cancel\w*|abgesagt|versp(?:ä|ae)tet|slecht|bad|poor|schlecht|onbeschoft|rude|unh(?:ö|oe)flich|mis|misging|fout|wrong|falsch|schief|geschrapt|afgelast|ausgefallen)\b",
    )
});

/// Clauses about the asking, not about the complaint. Each is weighed whole.
static ABOUT_THE_ASKING: PerThread<Vec<Regex>> = PerThread::new(|| {
    [
        // enrolled by someone else: which service ("Mijn werkgever heeft mij ingeschreven
        // voor het leiderschapstraject bij jullie")
        r"^(?:\S+\s+){0,3}?(?:heeft|hebben|has|have|hat|haben)\s+(?:mij|me|ons|us|mich|uns)\s+(?:\S+\s+){0,3}?(?:ingeschreven|aangemeld|opgegeven|registered|enrolled|signed\s+up|booked|angemeldet|eingeschrieben)(?:\s+(?:voor|for|f(?:ü|ue)r|bei|bij|at|with|in|op|on|am)\b[^,;:]*)?$",
        // interest in a course, a self-introduction
        r"^(?:i.m|i\s+am|we.re|we\s+are|ik\s+ben|wij\s+zijn|we\s+zijn|ich\s+bin|wir\s+sind)\s+(?:\S+\s+)?(?:interested|ge(?:ï|i)nteresseerd|interessiert)\s+(?:in|an)\b[^,;:]*$",
        r"^(?:i.m|i\s+am|ik\s+ben|ich\s+bin)\s+(?:a|an|een|ein|eine)\s+(?:\S+\s+){0,3}?\S+$",
        // "Two questions", "Een paar vragen"
        r"^(?:(?:two|three|four|a\s+few|some|a\s+couple\s+of|(?:een\s+)?(?:paar|aantal)|twee|drie|vier|enkele|zwei|drei|vier|ein\s+paar|einige)\s+)(?:\S+\s+)?(?:questions|vragen|vraagjes|fragen)$",
        // someone asked, I wonder: how the procedure works (a question put indirectly)
        r"^(?:\S+\s+){0,3}?(?:heeft|hebben|has|have|hat|haben)\s+(?:mij\s+|me\s+|ons\s+|us\s+|mich\s+|uns\s+)?(?:gevraagd|asked|gefragt)\s+(?:hoe|of|wat|wanneer|welke|how|whether|if|what|when|which|wie|ob|was|wann)\b[^,;:]*\b(?:klacht\w*|complaints?|beschwerde\w*|procedure|regeling|process|verfahren)\b[^,;:]*$",
        // what the answer is for ("Wij willen dit graag opnemen in de uitnodiging")
        r"^(?:ik|wij|we|i|ich|wir)\s+(?:wil|willen|zou|zouden|would\s+like\s+to|want\s+to|m(?:ö|oe)chten?)\s+(?:dit|this|dies|deze\s+informatie|die\s+informatie|the\s+information|the\s+answers?|de\s+antwoorden)\b[^,;:]*$",
        r"^(?:i|we)\s+(?:would\s+like|want|wish)\s+to\s+(?:\S+\s+)?(?:this|these|the\s+answers?|the\s+information|it)\b[^,;:]*$",
        // what was booked or attended, in English order ("We have booked the leadership
        // programme for six of our team leads, starting in February")
        r"^(?:i|we|my\s+\S+|our\s+\S+)\s+(?:have\s+|has\s+|had\s+)?(?:booked|attended|taken|done|followed|signed\s+up\s+for|registered\s+for|enrolled\s+in|took\s+part\s+in|participated\s+in)\s+[^;:]*$",
        // where to write: the wrong address, what the website does not say
        r"^(?:sorry|excuses|apologies|entschuldigung|pardon)\b[^;:]*\b(?:address|adres|adresse)\b[^;:]*$",
        r"^[^;:]*\b(?:website|webseite|site|klachtenprocedure|klachtenregeling|complaints\s+procedure|beschwerdeverfahren)\b[^;:]*\b(?:gelezen|read|gelesen|bekeken|looked|opmaken|vinden|find|found|gevonden|finden|gefunden)\b[^;:]*$",
        r"^(?:ik|i|ich|wij|we|wir)\s+(?:\S+\s+){0,2}?(?:gelezen|read|gelesen|bekeken|looked\s+at|checked|searched|gezocht|gesucht)\s+[^;:]*\b(?:website|webseite|site|klachtenprocedure|klachtenregeling|complaints\s+procedure|procedure|beschwerdeverfahren)\b[^;:]*$",
        // one's own command of a language, said when asking for a course in another
        r"^(?:my|mijn|mein)\s+(?:dutch|english|german|nederlands|engels|duits|deutsch|englisch|niederl(?:ä|ae)ndisch)\b[^;:]*$",
        // vague trouble, no fact ("het is niet helemaal gelopen zoals ik verwacht had")
        r"^(?:en\s+|and\s+|und\s+)?(?:het|it|things|es|dat|that)\s+(?:is|has|have|ist)?\s*(?:niet|not|nicht)\s+(?:helemaal\s+|echt\s+|zo\s+|quite\s+|really\s+|ganz\s+|so\s+)?(?:gelopen|gegaan|verlopen|gone|gelaufen|went)\s+(?:zoals|as|wie)\s+(?:(?:ik|i|ich|we|wij|hij|zij|ze|he|she|they|er|sie)\s+)?(?:het\s+)?(?:verwacht|gehoopt|gedacht|expected|hoped|planned|erwartet|erhofft)(?:\s+(?:had|hadden|hatte))?$",
        r"^(?:it|things)\s+(?:didn.t|did\s+not)\s+(?:quite\s+|really\s+)?go\s+as\s+(?:i\s+|we\s+)?(?:had\s+)?(?:expected|hoped|planned)$",
        r"^(?:en\s+|and\s+)?(?:ik\s+|i\s+|i.ve\s+)?(?:loop|liep|lopen|run|ran|have\s+run|ran)\s+(?:daar\s+|er\s+)?(?:tegen\s+)?(?:into\s+)?(?:een\s+aantal|wat|een\s+paar|enkele|a\s+few|some|a\s+couple\s+of)\s+(?:dingen|zaken|problemen|punten|things|issues|problems)(?:\s+aan)?$",
        // hesitating whether to complain ("ik twijfel of ik een klacht zal indienen")
        r"^(?:en\s+|and\s+|und\s+)?(?:ik|i|ich|wij|we|wir|hij|zij|ze|he|she|they|er|sie)\s+(?:\S+\s+){0,2}?(?:twijfel\w*|overweeg\w*|aarzel\w*|weet\s+niet|weet\s+nog\s+niet|considering|consider|hesitat\w*|not\s+sure|unsure|in\s+two\s+minds|thinking\s+(?:about|of)|(?:ü|ue)berlege|zweifle|unsicher|nicht\s+sicher)\b[^,;:]*\b(?:klacht\w*|klagen|complain\w*|complaint|beschwer\w*)\b[^,;:]*$",
        // a forgotten detail sent after ("Sorry, vergeten erbij te zetten", "Excuses, dat
        // was ik vergeten te vermelden"), a late reply excused ("sorry voor de late
        // reactie, ik was op vakantie")
        r"^(?:sorry|excuses|excuus|oeps|oops|apologies|entschuldigung|pardon)\b[^;:]*\b(?:vergeten|forgot|forgotten|vergessen|niet\s+(?:bij\s*)?(?:gezet|vermeld|genoemd|ingevuld|aangegeven)|reactie|antwoord|reply|response|answer|antwort|r(?:ü|ue)ckmeldung)\b[^;:]*$",
        // a forgotten detail sent after ("Sorry, vergeten erbij te zetten")
        r"^(?:sorry|excuses|oeps|oops|apologies|entschuldigung)?\W*(?:ik\s+ben\s+|i\s+)?(?:(?:het|dit|dat|it|this)\s+)?(?:(?:was|ben|had|heb)\s+ik\s+)?(?:vergeten|forgot|vergessen)\b[^;:]*$",
        // a changed number or address ("het oude nummer vervalt per 1 december")
        r"^(?:(?:het|mijn|my|the|mein|meine|die|das)\s+)?(?:oude|nieuwe|old|new|alte|neue)\s+(?:telefoon|phone\s+|e-?mail\s*)?(?:nummer|number|adres|address|telefonnummer|rufnummer|adresse)\b[^,;:]*$",
        // the date our letter read, corrected ("Ik denk dat er iets niet goed is gegaan
        // met de datum", "15 september was de startdatum van het traject")
        r"^(?:ik\s+denk|volgens\s+mij|i\s+think|i\s+believe|it\s+seems|ich\s+glaube|ich\s+denke)\b[^;:]*\b(?:datum|date|data|dates|termin|datumsangabe)$",
        r"^(?:\S+\s+){0,3}?(?:was|is|were|war|ist)\s+(?:de|het|the|der|die|das)\s+(?:start|begin|aanvang|eerste\s+(?:dag|bijeenkomst|les|sessie)|first\s+(?:day|session|module)|beginn|erste)\w*(?:\s+(?:van|of|des|der)\b[^,;:]*)?$",
        r"^(?:dus\s+|so\s+|also\s+)?(?:volgens\s+mij\s+|i\s+think\s+|ich\s+denke\s+|meiner\s+meinung\s+nach\s+)?(?:ben\s+ik|is\s+(?:mijn\s+klacht|het)|i\s+am|i.m|my\s+complaint\s+is|bin\s+ich|ich\s+bin|ist\s+(?:meine\s+beschwerde|es))\s+(?:toch\s+|wel\s+|nog\s+|still\s+|doch\s+|noch\s+)?(?:binnen|within|innerhalb|op\s+tijd|in\s+time|rechtzeitig)\b[^,;:]*$",
    ]
    .into_iter()
    .map(re)
    .collect()
});

/// Scheduling a talk ("Donderdag om 14.00 uur lukt mij helaas niet, ...", "Monday works
/// for me"), said in the present: "Op donderdag was de trainer niet beschikbaar" tells.
static SCHEDULING: PerThread<Vec<Regex>> = PerThread::new(|| {
    [
        r"^[^;:]*\b(?:(?:maan|dins|woens|donder|vrij|zater|zon)dag|\w+day|\w+tag|\d{1,2}[.:]\d{2}|\d{1,2}\s+(?:jan|feb|maa|mar|apr|mei|may|jun|jul|aug|sep|okt|oct|nov|dec)\w*)\b[^;:]*\b(?:lukt|lukken|past|schikt|uitkomen|komt\s+(?:mij|me)\b|kan\s+ik|ben\s+ik|beschikbaar|verhinderd|available|suits?|works?\s+for\s+me|can\s+make|can.t\s+make|passt|geht|kann\s+ich|verf(?:ü|ue)gbar)\b[^;:]*$",
        r"^[^;:]*\b(?:lukt|past|schikt|kan\s+ik|ben\s+ik\s+beschikbaar|i\s+can|i.m\s+available|works\s+for\s+me|passt|kann\s+ich)\b[^;:]*\b(?:(?:maan|dins|woens|donder|vrij|zater|zon)dag|\w+day|\w+tag|\d{1,2}[.:]\d{2})\b[^;:]*$",
    ]
    .into_iter()
    .map(re)
    .collect()
});

/// "(Ik ben vergeten te melden) dat de trainer ...", "(Is het waar) dat hij ...": a
/// clause with a subject of its own that tells.
static THAT_CLAUSE: Pattern = Pattern::new(|| {
    re(
        r"\b(?:dat|that|dass)\s+(?:de|het|een|the|a|an|der|die|das|hij|zij|ze|he|she|they|sie|mijn|my|ons|onze|our|we|wij|ik|i|ich|wir|jullie|you|u)\b",
    )
});

/// "... and it was awful": a clause about the asking that goes on.
static AND_MORE: Pattern = Pattern::new(|| re(r"\b(?:and|en|und|but|maar|aber)\b"));

/// "... en de coach was er niet": a second clause that tells.
static AND_THEN_TOLD: Pattern = Pattern::new(|| {
    re(
        r"\b(?:en|and|und)\s+(?:de|het|the|der|die|das|hij|zij|ze|he|she|er|sie)\s+(?:\S+\s+)?(?:was|waren|werd|werden|is|were|had|kwam|deed|zei|did|came|said|war|wurde|hat|kam)\b",
    )
});

/// A verb in the past tense: a talk is planned in the present, facts are told in the past.
static PAST: Pattern = Pattern::new(|| {
    re(r"\b(?:was|waren|werd|werden|kwam|kwamen|had|hadden|were|did|came|wurde|wurden|war|hatte)\b")
});

/// A second main clause with a subject of its own ("..., en ik twijfel of ...", "... and
/// I'm interested in ..."): each clause is weighed on its own.
static NEW_CLAUSE: Pattern = Pattern::new(|| {
    re(
        r"(?:,\s*|\s+)(?:en|and|und)\s+((?:ik|i|i.m|ich|wij|we|wir|hij|zij|ze|he|she|they|er|sie|(?:mijn|my|mein|meine)\s+\S+)\s)",
    )
});

/// A text's sentences: split after ".", "?" or "!" before a space or the end, so "14.00
/// uur" and "1.5" stay whole.
fn sentences(line: &str) -> impl Iterator<Item = &str> {
    split_after(line, &['.', '?', '!'])
}

/// `text` split after each of `marks` that a space or the end follows ("Two questions:
/// ..." splits, "15:00" does not).
fn split_after<'a>(text: &'a str, marks: &'a [char]) -> impl Iterator<Item = &'a str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut cut = rest.len();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if marks.contains(&c)
                && chars.peek().is_none_or(|(_, n)| n.is_whitespace())
                && !(c == '.' && ordinal_before_month(rest, i))
            {
                cut = i + c.len_utf8();
                break;
            }
        }
        let (sentence, after) = rest.split_at(cut);
        rest = after;
        Some(sentence)
    })
}

/// "am 3. November": the dot at `at` ends an ordinal before a month, not a sentence.
fn ordinal_before_month(text: &str, at: usize) -> bool {
    let digits = text[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .count();
    let month = text[at + 1..]
        .split_whitespace()
        .next()
        .and_then(crate::intake::dates::month_number);
    (1..=2).contains(&digits) && month.is_some()
}

/// A question about how to complain ("Moet ik daar een formulier voor invullen?", "what
/// information do you need from me?"): asks, tells nothing.
fn procedure_question(sentence: &str) -> bool {
    let sentence = sentence.trim();
    let lower = sentence.to_lowercase();
    // "moet ik een formulier invullen of kan het gewoon via de mail.": asked in a
    // question's word order, the mark left off
    if !(sentence.ends_with('?') || ASKED_WITHOUT_MARK.is_match(&lower))
        || sentence.split_whitespace().count() > 32
    {
        return false;
    }
    PROCEDURE_WORDS.is_match(&lower)
        && !BECAUSE.is_match(&lower)
        && !THAT_CLAUSE.is_match(&lower)
        && !REPROACH.is_match(&lower)
        && !REPROACH_WORD.is_match(&lower)
}

/// A question's word order: the modal first, then "ik", "I", "ich".
static ASKED_WITHOUT_MARK: Pattern = Pattern::new(|| {
    re(
        r"^\W*(?:moet|kan|mag|kun|zou|must|can|could|should|do|shall|muss|kann|darf|soll|sollte)\s+(?:ik|i|ich)\b",
    )
});

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

static UNSURE: Pattern = Pattern::new(|| {
    re(
        r"\b(?:(?:mir\s+)?ist\s+(?:mir\s+)?nicht\s+klar|ich\s+wei(?:ß|ss)\s+nicht|ich\s+bin\s+(?:mir\s+)?nicht\s+sicher|(?:het\s+)?is\s+(?:mij|me)\s+niet\s+duidelijk|ik\s+weet\s+(?:niet|nog\s+niet)\s+(?:zeker\s+)?(?:of|wanneer|hoe|waar|welke|wat)|i(?:.m|\s+am)\s+not\s+sure|(?:it\s+is|it.s)\s+not\s+clear\s+to\s+me|i\s+(?:don.t|do\s+not)\s+know\s+(?:whether|if|when|how|where|which|what))\b",
    )
});

/// "Waarom" inside a sentence ("het is mij niet duidelijk waarom de trainer ..."): a
/// reproach all the same.
static REPROACH_WORD: Pattern = Pattern::new(|| re(r"\b(?:waarom|why|warum|weshalb)\b"));

/// "Een klachtnummer heb ik niet, want ...", "I don't have a reference number": about
/// the case's number, not the complaint.
fn about_case_number(sentence: &str) -> bool {
    let lower = sentence.trim().to_lowercase();
    sentence.split_whitespace().count() <= 20 && CASE_NUMBER_NONE.is_match(&lower)
}

static CASE_NUMBER_NONE: Pattern = Pattern::new(|| {
    re(r"(?x)^\W*(?:
        (?:een|ein|eine|a)\s+(?:klacht|dossier|zaak|referentie|case|reference|vorgangs|akten)?\s*(?:nummer|number|zeichen)\s+(?:heb|have|habe)\s+(?:ik|i|ich)\s+(?:nog\s+|noch\s+)?(?:niet|nicht|not)
        |(?:ik\s+heb|i\s+have|ich\s+habe)\s+(?:nog\s+|noch\s+)?(?:geen|no|keine|kein)\s+(?:klacht|dossier|zaak|referentie|case|reference|vorgangs|akten)?\s*(?:nummer|number|zeichen)
        |i\s+(?:don.t|do\s+not)\s+have\s+a\s+(?:case|reference|complaint)\s+number
        )")
});

/// A question that reproaches ("Waarom kwam de trainer te laat?"): it tells what happened.
static REPROACH: Pattern = Pattern::new(|| {
    re(
        r"^\W*(?:waarom|why|hoe\s+kan\s+het|how\s+come|(?:is|vindt\s+u|vinden\s+jullie)\s+(?:it|het|dit|dat)\s+(?:de\s+bedoeling|gebruikelijk|acceptabel|normal|normaal|acceptable|usual|ok(?:ay|é)?)|ist\s+(?:es|das)\s+(?:normal|(?:ü|ue)blich)|warum)\b",
    )
});

/// What a question about the complaints procedure asks about.
static PROCEDURE_WORDS: Pattern = Pattern::new(|| {
    re(
        r"\b(?:formulier|form|procedure|procedures|klachtenprocedure|complaints?\s+procedure|process|gegevens|informatie|information|details|nodig|need|indienen|invullen|fill\s+in|file|submit|lodge|sturen|send|opsturen|schicken|formular|unterlagen|einreichen|klacht|complaint|beschwerde|frist|termijn|deadline|hoe\s+lang|how\s+long|binnen\s+welke|within|bis\s+wann|taal|language|sprache|nederlands|niederl(?:ä|ae)ndisch|englisch|deutsch|dutch|english|data|datum|dates|termine|kosten|kost|prijs|prijzen|price|prices|cost|costs|fee|preis|beschikbaar|available|doorsturen|forward|weiterleiten|mailen)\b",
    )
});

/// "(de training) die ik vorige week bij jullie heb gevolgd": which service, not what
/// went wrong. Left out before a sentence is weighed.
static ATTENDED: Pattern = Pattern::new(|| {
    re(
        r"\s*,?\s*\b(?:(?:die|dat|welke|waaraan|which|that)\s+(?:ik|wij|we|i|mijn\s+\w+|my\s+\w+)|i|we)\s+(?:\S+\s+){0,7}?(?:gevolgd|bijgewoond|gedaan|geboekt|gehad|gekregen|deelgenomen|volg|volgde|volgden|kreeg|attended|took|followed|did|booked|had|joined|received|got)(?:\s+(?:heb|hebben|had|hadden))?\b",
    )
});

/// "Het gaat om het coachingstraject", "Mijn klacht gaat over de training Feedback
/// geven": which service, not what went wrong.
static WHICH_SERVICE: Pattern = Pattern::new(|| {
    re(
        r"^(?:het|dit|it|this|es|mijn\s+klacht|my\s+complaint|meine\s+beschwerde)\s+(?:gaat|ging|betreft|betrof|concerns|is\s+about|was\s+about|geht|betrifft)\s+(?:om\s+|over\s+|um\s+)?(?:de|het|een|mijn|the|a|my|den|die|das|meine?n?)\s+(?:\S+\s+){0,3}?\S*(?:training|traject|cursus|workshop|coaching|sessie|opleiding|programma|module|gesprek|course|programme|program|session|seminar|kurs|schulung)\w*(?:\s+[^\s,;:]+){0,8}$",
    )
});

/// "(De sessie) waar mijn klacht over gaat", "(the session) my complaint is about": which
/// one, not what went wrong. Left out before a sentence is weighed.
static COMPLAINED_OF: Pattern = Pattern::new(|| {
    re(
        r"\s*,?\s*\b(?:waar|waarover|which|that)\s+(?:mijn|my|ik|i)\s+(?:klacht\s+|complaint\s+)?(?:over\s+gaat|betreft|is\s+about|relates\s+to|concerns)\b,?",
    )
});

/// "Ik heb bij jullie een coachingstraject gevolgd (en ...)", "Wir haben ... gebucht":
/// which service, in a main clause. Left out before a sentence is weighed.
static ATTENDED_MAIN: Pattern = Pattern::new(|| {
    re(
        r"^(?:ik|wij|we|ich|wir|i|(?:mijn|onze|ons|my|our|mein\w*|unser\w*)\s+\S+)\s+(?:heb|hebben|heeft|habe|haben|hat|have|has|had)\s+(?:\S+\s+){0,12}?(?:gevolgd|bijgewoond|gedaan|geboekt|afgenomen|ingekocht|laten\s+(?:verzorgen|geven|uitvoeren)|gemacht|besucht|absolviert|belegt|gebucht|teilgenommen|attended|taken|done|followed|booked)(?:\s+(?:voor|for|f(?:ü|ue)r|bij|in|at|with|bei)\s+(?:\S+\s+){0,9}?\S+$)?(?:\s+(?:en|und|and)\b)?\s*|^(?:i|we)\s+(?:attended|took\s+part\s+in|participated\s+in|took|followed|did|booked|joined)\s+(?:\S+\s+){0,7}?\S+(?:\s+and\b\s*|$)",
    )
});

/// "Enkele medewerkers hebben bij mij aangegeven dat ...": what others said; what they
/// said is weighed.
static REPORTED: Pattern = Pattern::new(|| {
    re(
        r"^(?:\S+\s+){0,3}?(?:hebben|heeft|have|has|haben|hat)\s+(?:bij\s+mij\s+|mij\s+|me\s+|mir\s+)?(?:aangegeven|laten\s+weten|gezegd|gemeld|told\s+me|said|mentioned|mitgeteilt|gesagt)\s+(?:dat|that|dass)\s+",
    )
});

/// Discontent without a fact: "(en) ben daar allesbehalve tevreden over", "bin mit
/// einigen Dingen nicht zufrieden", "dat zij ontevreden zijn en een klacht willen
/// indienen". Says how one feels, not what happened.
static DISCONTENT: Pattern = Pattern::new(|| {
    re(
        r"(?x)^(?:en\s+|und\s+|and\s+)?(?:(?:ik|i|ich|wij|we|wir|zij|ze|they|sie|hij|he|she|er)\s+)?(?:
        (?:ben|bin|am|is|zijn|sind|are|was|waren|were|ist)\s+(?:daar\s+|er\s+|daarover\s+|erover\s+|damit\s+|dar(?:ü|ue)ber\s+)?(?:(?:mit|met|with|over|about)\s+(?:\S+\s+){0,3}?)?(?:ook\s+|auch\s+|also\s+)?(?:(?:helemaal|absoluut|totaal|echt|gar|(?:ü|ue)berhaupt|ganz|really|not\s+at\s+all|at\s+all)\s+)?(?:(?:niet|nicht|not|allesbehalve|verre\s+van|far\s+from)\s+)?(?:tevreden|zufrieden|happy|satisfied|pleased|blij)
        |(?:ben|bin|am|is|zijn|sind|are|was|waren|were|ist)\s+(?:daar\s+|er\s+|damit\s+)?(?:(?:mit|met|with|over|about)\s+(?:\S+\s+){0,3}?)?(?:(?:erg|sehr|very|zeer|echt|heel|super|enorm|ontzettend|behoorlijk|really|extremely|so|quite|wirklich|ziemlich|total|totaal)\s+){0,3}(?:ontevreden|unzufrieden|unhappy|dissatisfied|teleurgesteld|entt(?:ä|ae)uscht|disappointed)
        |(?:(?:erg|sehr|zeer|echt|heel|super|enorm|ontzettend|behoorlijk|wirklich|ziemlich|totaal|helemaal|absoluut|gar)\s+){0,3}(?:niet\s+|nicht\s+)?(?:ontevreden|tevreden|unzufrieden|zufrieden|teleurgesteld|entt(?:ä|ae)uscht)\s+(?:zijn|is|ben|waren|sind|war|was|bin)
        )(?:\s+(?:over|met|mit|with|about|dar(?:ü|ue)ber|damit|daarover)\b[^,;:]*?)?(?:\s+(?:en|und|and)\s+(?:\S+\s+){0,4}?(?:klacht|beschwerde|complaint)(?:\s+\S+){0,3})?$",
    )
});

/// A relative clause or a reason after the discontent: it goes on to say what happened.
static TELLS_MORE: Pattern = Pattern::new(|| {
    re(
        r"\b(?:die|dat|wie|welke|waar|who|which|that|whose|welche|welcher)\s+\S+|\b(?:omdat|doordat|want|aangezien|toen|nadat|because|since|as|after|when|weil|denn|da|nachdem|als)\b",
    )
});

/// "how my sessions have been going", "hoe het ging": discontent without a fact.
static VAGUE: Pattern = Pattern::new(|| {
    re(
        r"\s*\b(?:how\s+(?:my|the|our|it)\s+(?:\w+\s+){0,3}?(?:have|has|had|is|was)\s+(?:been\s+)?go(?:ne|ing)|hoe\s+(?:het|mijn|de)\s+(?:\w+\s+){0,3}?(?:ging|gaat|verliep|verloopt|verlopen))\b",
    )
});

/// "Zoals vanochtend telefonisch besproken, ...", "As agreed on the phone, ...": why the
/// mail comes, not what happened. Left out before a sentence is weighed.
static AS_AGREED: Pattern = Pattern::new(|| {
    re(
        r"^(?:zoals|as|wie)\s+(?:\S+\s+){0,3}?(?:gevraagd|afgesproken|besproken|beloofd|requested|discussed|agreed|promised|besprochen|vereinbart)\b(?:\s+(?:aan|via|per|over|on|by|am)\s+(?:de\s+|the\s+)?(?:telefoon|phone|telefon))?\s*,?\s*",
    )
});

/// "(8 personen)": an aside, left out before a sentence is weighed.
static ASIDE: Pattern = Pattern::new(|| re(r"\s*\([^()]*\)"));

/// A word that goes on to say what happened ("..., omdat de trainer ...").
static BECAUSE: Pattern = Pattern::new(|| {
    re(
        r"\bwant\s+(?:de|het|een|ik|we|wij|hij|zij|ze|er|mijn|die|dat|toen)\b|\b(?:omdat|doordat|aangezien|maar|toen|nadat|waarbij|waarin|because|since|but|after|when|where|weil|denn|nachdem)\b",
    )
});

/// Whether a follow-up's text tells what went wrong: a clause with a fault, someone of
/// the course doing something, or an event told in the past. A date, a number, the
/// service's name, contact details, a withdrawal are what a follow-up supplies or asks,
/// no facts; a follow-up's text fills a case's missing description only when it tells.
pub(super) fn follow_up_tells(text: &str) -> bool {
    !says_nothing(text)
        && telling(text).iter().any(|clause| {
            let lower = clause.to_lowercase();
            let lower = FEELING.replace_all(&lower, "");
            if FORGOT.is_match(&lower) || WHICH_ONE.is_match(&lower) {
                return false;
            }
            let fault = FAULT.is_match(&lower) && !PROCEDURE_NAMED.is_match(&lower);
            if !fault && SPOKEN_SINCE.is_match(&lower) {
                return false; // "inmiddels heb ik met de trainer gesproken": since, not then
            }
            fault
                || REPROACH_WORD.is_match(&lower)
                || THE_TRAINER_DID.is_match(&lower)
                || super::dates::tells_an_event(&lower)
        })
}

/// "die was ik vergeten", "I forgot to mention": about the earlier mail, not the facts.
static FORGOT: Pattern =
    Pattern::new(|| re(r"(?:vergeten|vergat|vergaten|forgot|forgotten|vergessen|verga(?:ß|ss))"));

/// Talking it over since: a call or a talk about the complaint, not its facts.
static SPOKEN_SINCE: Pattern = Pattern::new(|| {
    re(
        r"\b(?:gesproken|gebeld|gemaild|besproken|uitgepraat|spoke|spoken|talked|called|phoned|emailed|gesprochen|telefoniert|angerufen)\b",
    )
});

/// "Het ging om de workshop X op 14 oktober", "it was about the course": which one.
static WHICH_ONE: Pattern = Pattern::new(|| {
    re(
        r"^(?:het|dit|dat|it|this|that|es|das)\s+(?:ging|gaat|betrof|betreft|was|is|concerned|concerns|ging\s+es|geht|ging)\s+(?:\S+\s+)?(?:om|over|about|um)\b",
    )
});

/// The text only announces a complaint, asks how to make one or hands over contact
/// details, sentence by sentence; or, whole, it asks before it complains.
pub(super) fn says_nothing(text: &str) -> bool {
    let telling = telling(text);
    telling.is_empty() || asks_before_complaining(text, &telling) || settled(text, &telling)
}

/// A withdrawal with why the matter is settled ("de trainer heeft mij gebeld en we hebben
/// een extra sessie ingepland, dus voor mij is de zaak opgelost; ik trek mijn klacht in"):
/// it tells how it ended, not what went wrong. A fault told with it is a fact all the same.
fn settled(text: &str, telling: &[&str]) -> bool {
    steps::withdraws(&text.to_lowercase())
        && telling.iter().all(|clause| {
            let lower = clause.to_lowercase();
            steps::settles(&lower) && !FAULT.is_match(&lower) && !REPROACH_WORD.is_match(&lower)
        })
}

/// The clauses of `text` that may tell something of the complaint: all but those that
/// only announce it, ask, hand over details or are about the asking.
fn telling(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty() && !contact_like(line))
        .flat_map(|line| {
            sentences(line)
                // "1." of a numbered list is no sentence
                .filter(|sentence| sentence.chars().any(char::is_alphabetic))
                .filter(|sentence| {
                    !procedure_question(sentence)
                        && !asks(sentence)
                        && !unsure_of_procedure(sentence)
                        && !about_case_number(sentence)
                        && !details::hands_over(sentence)
                })
                .flat_map(|sentence| split_after(sentence, &[':', ';']))
                .map(|s| s.trim().trim_end_matches(['.', '?', '!', ':']).trim())
                .filter(|s| !s.is_empty())
                .filter(|s| {
                    // "Dat is 06-83 72 91 04, het oude nummer vervalt per 1 december"
                    !(says_nothing_of_it(s)
                        || (find_phone(s).is_some() && s.split(',').all(says_nothing_of_it)))
                })
        })
        .collect()
}

/// A mail that asks before it complains: the complaint still to come ("ik wil misschien
/// een klacht indienen", "before I do"), questions, and no clause that states what went
/// wrong, only how one feels and why one asks. Art. 3.2d needs the facts; they are not
/// there yet.
fn asks_before_complaining(text: &str, telling: &[&str]) -> bool {
    let lower = text.to_lowercase();
    (lower.contains('?') || WANTS_TO_KNOW.is_match(&lower))
        && COMPLAINT_TO_COME.is_match(&lower)
        && telling.iter().all(|clause| !states_a_fact(clause))
}

/// Asking without a question mark: "wil ik graag weten welke gegevens", "I'd like to know".
static WANTS_TO_KNOW: Pattern = Pattern::new(|| {
    re(
        r"\b(?:wil|willen|zou|zouden)\s+(?:\S+\s+){0,3}?(?:graag\s+)?weten\b|\bvraag\s+(?:ik\s+)?(?:me|mij)\s+af\b|\b(?:would|i.d|we.d)\s+like\s+to\s+know\b|\bi\s+wonder\b|\bm(?:ö|oe)chte?n?\s+(?:\S+\s+){0,3}?wissen\b",
    )
});

/// The complaint announced as future or conditional: maybe, considered, before it is made,
/// or asked how to make it.
static COMPLAINT_TO_COME: Pattern = Pattern::new(|| {
    re(
        r"(?x)\b(?:misschien|wellicht|mogelijk|eventueel|overweeg\w*|twijfel\w*|denk\s+erover|considering|consider|thinking\s+(?:about|of)|might|maybe|perhaps|vielleicht|eventuell|(?:ü|ue)berleg\w*)\b[^.?!]*\b(?:klacht\w*|klagen|complain\w*|beschwer\w*)
        |\b(?:voordat|voor|before|bevor|ehe)\s+(?:ik|i|ich|wij|we|wir)\s+(?:\S+\s+){0,4}?(?:klacht\w*|complain\w*|beschwer\w*|do|doe|indien|einreiche|mache)\b
        |\bhoe\s+(?:kan|moet|kunnen|moeten)\s+(?:ik|wij|we|zij|ze|hij|u)\s+(?:\S+\s+){0,3}?klacht\w*
        |\bhoe\s+(?:ik|wij|we|zij|ze|hij)\s+(?:\S+\s+){0,4}?klacht\w*
        |\bhow\s+(?:do|can|should|would)\s+(?:i|we|she|he|they)\s+(?:\S+\s+){0,3}?(?:complain\w*|file|submit|lodge|make)\b
        |\bhow\s+(?:i|we|she|he|they)\s+(?:can|could|should|would|do|might)\s+(?:\S+\s+){0,3}?(?:complain\w*|file|submit|lodge|make)\b
        |\bwie\s+(?:kann|soll|k(?:ö|oe)nnen)\s+(?:ich|man|wir|sie)\s+(?:\S+\s+){0,3}?beschwer\w*",
    )
});

/// What a clause must hold to state a fact of the complaint: a fault named, a date, a
/// time or a number, the trainer doing something, or anything told in the past. "Niet
/// tevreden" is a feeling, "zou dat liever niet hebben" a wish, "couldn't find the
/// complaints procedure" the asking.
fn states_a_fact(clause: &str) -> bool {
    let lower = clause.to_lowercase();
    let lower = FEELING.replace_all(&lower, "");
    if FAULT.is_match(&lower) && !PROCEDURE_NAMED.is_match(&lower) {
        return true;
    }
    // "Ik volg sinds september de cursus ...": when one's own course ran is no fact
    !OWN_COURSE.is_match(&lower)
        && (lower.chars().any(|c| c.is_ascii_digit())
            || MONTH.is_match(&lower)
            || REPROACH_WORD.is_match(&lower)
            || THE_TRAINER_DID.is_match(&lower)
            || PAST.is_match(&lower))
}

/// The complainant doing the course ("Ik volg ...", "I'm following ...", "Wir haben ...
/// gebucht"): which course, not what went wrong.
static OWN_COURSE: Pattern = Pattern::new(|| {
    re(
        r"^(?:ik|wij|we|i|ich|wir)\s+(?:am\s+|are\s+|.m\s+|.re\s+)?(?:\S+\s+){0,2}?(?:volg|volgen|volgde|volgden|follow|following|attend|attending|attended|doe|deed|do|doing|did|besuche|besuchen|besuchte|mache|machen|heb|hebben|had|have|habe|haben|hatte)\b",
    )
});

/// "niet zo tevreden", "not happy", "nicht ganz zufrieden", "liever niet": a feeling or
/// a wish, no fault.
static FEELING: Pattern = Pattern::new(|| {
    re(
        r"\b(?:liever\s+niet|rather\s+not|lieber\s+nicht|prefer\s+not)\b|\b(?:ik|wij|we)\s+(?:wil|willen)\s+niet\s+dat\b|\bi\s+(?:don.t|do\s+not)\s+want\b|\bich\s+m(?:ö|oe)chte\s+nicht\b|\b(?:een\s+)?(?:vervelende|nare|slechte|negatieve|onprettige)\s+ervaring\b|\b(?:a\s+)?(?:bad|negative|unpleasant)\s+experience\b|\b(?:eine\s+)?(?:schlechte|negative|unangenehme)\s+erfahrung\b|\b(?:niet|not|nicht|(?:i.m|am|are|is)\s+not|n.t)\s+(?:zo\s+|helemaal\s+|echt\s+|erg\s+|so\s+|quite\s+|entirely\s+|really\s+|very\s+|ganz\s+|wirklich\s+|sehr\s+)?(?:tevreden|blij|happy|satisfied|pleased|zufrieden|gl(?:ü|ue)cklich)\b",
    )
});

static MONTH: Pattern = Pattern::new(|| {
    re(
        r"\b(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|march|june|july|august|october|januar|februar|m(?:ä|ae)rz|juni|juli|oktober|dezember|(?:maan|dins|woens|donder|vrij|zater|zon)dag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:mon|diens|mitt|donners|frei|sams|sonn)tag|gisteren|vorige\s+week|yesterday|last\s+week|gestern|letzte\s+woche)\b",
    )
});

/// Where one looks for how to complain: about the asking.
static PROCEDURE_NAMED: Pattern = Pattern::new(|| {
    re(
        r"\b(?:website|webseite|site|klachtenprocedure|klachtenregeling|procedure|complaints?\s+procedure|beschwerdeverfahren|formulier|form|formular)\b",
    )
});

/// "de trainer schreeuwde", "the coach laughed", "sie hat ... gesagt": someone of the
/// course doing something, in the past.
static THE_TRAINER_DID: Pattern = Pattern::new(|| {
    re(
        r"\b(?:trainer|trainster|coach|docent|docente|begeleider|cursusleider|instructor|teacher|facilitator|presenter|tutor|dozent\w*|referent\w*|ausbilder\w*|hij|zij|ze|he|she|er|sie)\s+(?:\S+\s+){0,2}?(?:\w+(?:de|te|den|ten|ed)|was|waren|zat|kwam|deed|zei|liet|gaf|had|were|said|did|came|left|told|war|hat|wurde|sagte|kam)\b",
    )
});

/// One clause weighed: it only announces, asks, hands over details or is about the
/// asking.
fn says_nothing_of_it(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() {
        return true;
    }
    let lower = s.to_lowercase();
    let lower = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    // "ik wil even laten weten dat ...": what follows is weighed
    let lower = match LET_YOU_KNOW.find(lower) {
        Some(frame) if frame.end() < lower.len() => &lower[frame.end()..],
        _ => lower,
    };
    weighed(lower)
        || steps::step_or_verdict(lower)
        || details::only_displeasure(lower)
        || (NEW_CLAUSE.is_match(lower) && split_clauses(lower).into_iter().all(weighed))
}

/// "Ik wil even laten weten dat ...", "I just want to let you know that ...": how a clause
/// is brought, not what it says.
static LET_YOU_KNOW: Pattern = Pattern::new(|| {
    re(
        r"^(?:(?:ik|wij|we)\s+(?:wil|willen|wou|wilde|wilden)\s+(?:jullie\s+|u\s+)?(?:(?:even|graag|hierbij|toch|wel)\s+)*(?:laten\s+weten|melden|zeggen|kwijt)|(?:i|we)\s+(?:just\s+)?(?:want|wanted|would\s+like)\s+to\s+(?:let\s+you\s+know|say|tell\s+you)|(?:ich|wir)\s+(?:m(?:ö|oe)chte|m(?:ö|oe)chten|wollte|wollten)\s+(?:ihnen\s+)?(?:(?:nur|kurz|hiermit)\s+)*(?:mitteilen|sagen|wissen\s+lassen))\s*,?\s+(?:dat|that|dass)\s+",
    )
});

/// "a, en ik b": "a" and "ik b".
fn split_clauses(s: &str) -> Vec<&str> {
    let mut clauses = Vec::new();
    let mut start = 0;
    for caps in NEW_CLAUSE.captures_iter(s) {
        let (whole, subject) = (caps.get(0).unwrap(), caps.get(1).unwrap());
        clauses.push(s[start..whole.start()].trim());
        start = subject.start();
    }
    clauses.push(s[start..].trim());
    clauses
}

/// One clause, lower case, weighed.
fn weighed(s: &str) -> bool {
    if about_the_asking(s) {
        return true;
    }
    let lower = ASIDE.replace_all(s, "").into_owned();
    let lower = AS_AGREED.replace(&lower, "").into_owned();
    let lower = ATTENDED_MAIN.replace(&lower, "").into_owned();
    let lower = REPORTED.replace(&lower, "").into_owned();
    let lower = ATTENDED.replace_all(&lower, "").into_owned();
    let lower = COMPLAINED_OF.replace_all(&lower, "").into_owned();
    let lower = VAGUE.replace_all(&lower, "");
    let s = lower.trim();
    // only which service was attended
    s.is_empty()
        || (WHICH_SERVICE.is_match(s) && !FAULT.is_match(s) && !TELLS_MORE.is_match(s))
        // "... tevreden over de trainer die ...", "..., omdat ...": tells
        || (DISCONTENT.is_match(s) && !TELLS_MORE.is_match(s))
        // a long sentence says something, whatever it starts with
        || (NOTHING_SAID.is_match(s)
        && s.split_whitespace().count() <= 16
        // "When does the next course start?" asks; "..., when" tells.
        && !BECAUSE.find_iter(s).any(|m| m.start() > 0)
        // "De sessie was op 2 november en de coach was er niet"
        && !AND_THEN_TOLD.is_match(s))
        || find_phone(s).is_some_and(|p| s.len() - p.len() < 8)
}

/// A clause about the asking, not about the complaint.
fn about_the_asking(s: &str) -> bool {
    let s = BUT_ABOUT_THE_ASKING.replace(s, "");
    s.split_whitespace().count() <= 24
        && !BECAUSE.find_iter(&s).any(|m| m.start() > 0)
        // "Excuses, dat was ik vergeten": "dat" opens the clause, no relative clause
        && !TELLS_MORE_OF_IT.find_iter(&s).any(|m| {
            let before = s[..m.start()].trim();
            !(before.is_empty() || (before.ends_with(',') && !before.contains(' ')))
        })
        && !THAT_CLAUSE.is_match(&s)
        && ((!AND_MORE.is_match(&s) && ABOUT_THE_ASKING.get().iter().any(|r| r.is_match(&s)))
            || (!PAST.is_match(&s) && SCHEDULING.get().iter().any(|r| r.is_match(&s))))
}

/// "..., maar deze punten konden wij er niet uit opmaken", "... but not for a full
/// training day": what the website does not say, what one's Dutch is not enough for.
static BUT_ABOUT_THE_ASKING: Pattern = Pattern::new(|| {
    re(
        r"\s*,?\s*\b(?:maar|but|aber)\s+(?:(?:not|niet|nicht)\s+(?:for|voor|f(?:ü|ue)r|genoeg|enough|good\s+enough)\b[^,;:]*|(?:\S+\s+){0,5}?(?:niet|not|nicht|couldn.t|can.t|could\s+not|cannot)\s+(?:\S+\s+){0,4}?(?:vinden|find|opmaken|terugvinden|finden|staan|found|gefunden)\b[^,;:]*)$",
    )
});

/// "... dat de trainer ...", "... who shouted": a clause about the asking that goes on to
/// tell what happened.
static TELLS_MORE_OF_IT: Pattern = Pattern::new(|| {
    re(
        r"\b(?:die|dat|who|which|that|whose|welche[rs]?|dass|der|die)\s+(?:\S+\s+)?(?:was|waren|werd|werden|is|were|had|hadden|heeft|hebben|has|have|kwam|deed|zei|said|did|came|war|wurde|hat)\b",
    )
});

#[cfg(test)]
mod tests;
