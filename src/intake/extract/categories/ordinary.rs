//! The categories that are not serious (art. 1.1-1.3 and assessment): the one the text
//! says most about. What a sentence concedes ("inhoudelijk was het prima, maar") and a
//! certificate named only as what is at stake ("mijn diploma verloopt") are no evidence;
//! the trainer named counts once, how he taught counts each time.

use crate::domain::Category;
use crate::intake::pattern::{Pattern, PerThread, re};

use regex::Regex;

/// The words of each category, in order of priority on a tie, with how many of their
/// hits count at most (`usize::MAX`: all; [`STRONG`]: all, each twice).
static KINDS: PerThread<Vec<(Category, usize, Regex)>> = PerThread::new(|| {
    vec![
        (
            Category::Assessment,
            usize::MAX,
            re(concat!(
                r"\bbeoordel|\bbeoordeeld|\bcijfer|\bcertifica|\bexamen|\bherexamen|\bexamin|\bherkansing",
                r"|\btoets(?:en|ing)?\b|\bassessment|\bgrade[ds]?\b|\bgrading\b|\bdiploma|\bgezakt\b|\bniet\s+geslaagd",
                // English: "the exam was marked", "I failed", "the pass mark", "a resit"
                r"|\bexams?\b|\btests?\b|\bmarked\b|\bmarking\b|\bre\s?marked\b|\bpass\s?mark|\bpassing\s+(?:grade|score|mark)",
                r"|\bre\s?sits?\b|\bretake|\bre\s?assess|\b(?:i|we|he|she|they|had|have|has|been)\s+failed\b",
                r"|\bfailed\s+(?:me|him|her|us|my|the\s+(?:exam|test|assessment|practical|module|course))\b",
                // German: "Abschlusstest", "Prüfung", "bewertet", "nicht bestanden", "Zertifikat"
                r"|\babschluss(?:test|pr(?:ü|ue)fung)|\bpr(?:ü|ue)fung|\bpr(?:ü|ue)fer|\bbewert(?:et|ete|ung|en)\b",
                r"|\bgewertet\b|\bnicht\s+bestanden|\bbestehensgrenze|\bdurchgefallen|\bzertifikat|\bnachpr(?:ü|ue)fung",
            )),
        ),
        // who taught: named in most complaints, so it counts once
        (
            Category::Delivery,
            1,
            re(
                r"\btrainer|\btrainster|\bdocent|\bteacher|\binstructor|\blesgever|\bdozent|\breferent|\bcoach\s+(?:kwam|was|had|spent|talked|told|kept|came|did|sprak|praatte|vertelde|zei)",
            ),
        ),
        // how it was taught
        (
            Category::Delivery,
            usize::MAX,
            re(concat!(
                r"\bmanier\s+van\s+lesgeven|\blesgeven\b|\buitleg|\bte\s+laat\b|\bzu\s+sp(?:ä|ae)t\b|\bonvoorbereid|\bunprepared|\bexplanation",
                r"|\bdidacti|\bslecht\s+voorbereid|\bniet\s+voorbereid|\bop\s+(?:haar|zijn)\s+(?:telefoon|laptop|mobiel|gsm)|\bon\s+(?:her|his)\s+phone",
                r"|\beigen\s+carri(?:è|e)re|\bown\s+career|\b(?:gehalten|vorgetragen)\b",
                // the language it was given in: "der Kurs wurde auf Englisch gehalten" (not "auf Deutsch antworten")
                r"|\b(?:gehalten|gegeben|unterrichtet|gesprochen|vorgetragen|sprach|spricht)\s+(?:\S+\s+){0,2}?auf\s+(?:niederl(?:ä|ae)ndisch|deutsch|englisch)",
                r"|\bauf\s+(?:niederl(?:ä|ae)ndisch|deutsch|englisch)\s+(?:\S+\s+){0,3}?(?:gehalten|gegeben|unterrichtet|gesprochen|vorgetragen|umgestellt|gewechselt|weiter)\b",
                // the language it was given in (not that of a book: that is content)
                r"|\b(?:gegeven|gaf|geeft|sprak|spreekt|praatte|lesgegeven|given|taught|delivered|held|spoke|speaks|talked|presented)\s+(?:\S+\s+){0,3}?in\s+(?:het\s+)?(?:dutch|english|german|engels|nederlands|duits)\b",
                r"|\b(?:ging|stapte|schakelde)\s+(?:\S+\s+){0,2}?over\s+(?:op|naar)\s+(?:het\s+)?(?:engels|nederlands|duits)\b|\bswitched\s+(?:\S+\s+)?to\s+(?:dutch|english|german)\b",
                r"|\bin\s+(?:het\s+)?(?:dutch|english|german|engels|nederlands|duits)\s+(?:gegeven|gesproken|lesgegeven|verder|given|taught|delivered|spoken)\b",
                // reading the slides aloud, back to the group, questions unanswered
                r"|\b(?:las|lazen|leest)\s+(?:\S+\s+){0,5}?(?:voor|vor)\b|\bvoorgelezen|\bvoorlezen|\bvorgelesen|\bvorlesen|\blas\s+(?:\S+\s+){0,4}?ab\b|\babgelesen",
                r"|\bread\s+(?:\S+\s+){0,3}?(?:out|aloud|from\s+(?:the|his|her)\s+(?:slides|screen|notes|sheets|laptop|book))\b|\bread\s+(?:the|his|her)\s+slides",
                r"|\b(?:rug|rücken|ruecken|back)\s+(?:naar|zur|to)\s+(?:de\s+|der\s+|the\s+)?(?:groep|zaal|klas|gruppe|group|class|room)",
                r"|\bvra(?:ag|gen)\s+(?:\S+\s+){0,3}?(?:niet|nooit|nauwelijks)\s+(?:beantwoord|ingegaan)|\bals\s+(?:iemand|ik|we)\s+een\s+vraag\s+stelde",
                r"|\bquestions?\s+(?:\S+\s+){0,3}?(?:unanswered|ignored|not\s+answered|never\s+answered|went\s+unanswered)",
                r"|\b(?:didn.?t|did\s+not|never|wouldn.?t|would\s+not|could\s+not|couldn.?t)\s+answer\s+(?:\S+\s+)?questions?",
                r"|\bfragen\s+(?:\S+\s+){0,3}?(?:nicht|nie|kaum)\s+beantwort|\bmanier\s+waarop\s+(?:\S+\s+){0,3}?(?:bracht|gaf|uitlegde|lesgaf|presenteerde)",
                r"|\bthe\s+way\s+(?:he|she|the\s+trainer|the\s+teacher)\s+(?:taught|presented|delivered|explained)|\bmonotoon|\bmonotone|\bondermaats\s+gebracht",
            )),
        ),
        // the trainer's own stories, off the subject, on the phone: how it was given, said
        // in so many words, it wins over the programme it displaced
        (
            Category::Delivery,
            STRONG,
            re(concat!(
                r"\b(?:verhalen|verhaaltjes|anekdotes|anekdotes|stories|anecdotes|geschichten|anekdoten)\s+(?:\S+\s+){0,3}?(?:over|about|(?:ü|ue)ber|von)\s+(?:zichzelf|zijn|haar|himself|herself|his|her|sich|seine[mnr]?|ihre[mnr]?)\b",
                r"|\b(?:vertelde|vertelt|vertellen|verteld|told|telling|tells|erz(?:ä|ae)hlte|erz(?:ä|ae)hlt)\s+(?:\S+\s+){0,3}?(?:verhalen|verhaaltjes|anekdotes|stories|anecdotes|geschichten|anekdoten)\b",
                r"|\b(?:praatte|sprak|kletste|ging)\s+(?:\S+\s+){0,3}?over\s+(?:zichzelf|zijn\s+(?:eigen\s+)?(?:leven|loopbaan|vakantie|hobby|familie|kinderen|ervaringen))|\b(?:talked|talking|went\s+on)\s+(?:\S+\s+){0,2}?about\s+(?:himself|herself|his\s+own|her\s+own)",
                r"|\bdwaalde\s+(?:\S+\s+){0,2}?af\b|\bniet\s+ter\s+zake|\boff\s+(?:the\s+)?topic\b|\bschweifte\s+(?:\S+\s+){0,2}?ab\b",
                r"|\b(?:zat|was|zit|bleef)\s+(?:\S+\s+){0,5}?(?:op|met)\s+(?:zijn|haar)\s+(?:telefoon|mobiel|gsm|smartphone)|\b(?:was|sat|kept)\s+(?:\S+\s+){0,3}?on\s+(?:his|her)\s+(?:phone|mobile)|\b(?:sa(?:ß|ss)|war)\s+(?:\S+\s+){0,4}?(?:an|auf|mit)\s+(?:seinem|ihrem)\s+(?:handy|telefon|smartphone)",
            )),
        ),
        // said in so many words, it wins over a trainer named in passing
        (
            Category::Organisation,
            STRONG,
            re(
                r"\b(?:slecht|matig|rommelig|chaotisch)\s+georganiseerd|\b(?:badly|poorly)\s+organi[sz]ed|\bschlecht\s+organisiert",
            ),
        ),
        (
            Category::Organisation,
            usize::MAX,
            re(concat!(
                r"\blocatie|\bplanning\b|\bdouble[\s-]?booked|\bdubbel\s+geboekt|\boverbo(?:o)?ked|\boverboekt|\brooster",
                r"|\bgeannuleerd|\bannuler|\bverplaatst|\blokaal\b|\bfactu(?:ur|ren|ratie)|\binschrijving|\borganisatie|\bcatering",
                r"|\bparkeer|\bcancel|\bwerkboek|\bworkbook|\bvenue\b|\binvoice|\bschedul|\blocation\b|\bregistration\b|\borgani[sz]ation\b|\bafgezegd",
                r"|\bniet\s+(?:komen\s+)?(?:op\s+)?(?:komen\s+)?opdagen|\bno\s+show|\bdid\s+not\s+show\s+up|\bcancelled\b",
                r"|\bafspraken\s+(?:afgezegd|verzet)|\bverzet\b|\bafgelast|\bverwarming|\bkoud\b|\bijskoud",
                r"|\bniet\s+(?:door|doorgegaan|doorging|doorgaat)\b|\bging\s+niet\s+door|\bheating\b|\bfreezing\b|\bcold\b",
                r"|\blaptops?\b|\bbeamer|\bprojector|\bwi\s?fi\b|\busb\b|\bheizung|\bverschoben|\babgesagt|\brechnung|\bzaal\b",
                r"|\bstoelen\b|\bchairs\b|\bovervol|\bte\s+(?:klein|vol)\b|\btoo\s+(?:small|crowded|full)\b|\bte\s+veel\s+(?:mensen|deelnemers)",
                r"|\bsamengevoegd|\bandere\s+groep|\bmerged\b|\bcombined\s+with|\blicentie|\blicen[cs]e\b|\btoegang\b|\baccess\b",
                r"|\bgeen\s+(?:antwoord|reactie)\b|\bno\s+(?:answer|reply|response)\b|\bintake\b",
                // the door locked and nobody there, no word that it was off
                r"|\bop\s+slot\b|\bdicht\s+zat\b|\bwas\s+er\s+niemand\b|\bniemand\s+(?:aanwezig|te\s+zien)\b|\bwist\s+(?:nergens|van\s+niets)\b|\blocked\b",
                r"|\bnobody\s+(?:was\s+)?there\b|\bno\s+one\s+(?:was\s+)?there\b|\bverschlossen\w*|\bniemand\s+da\b",
                // an online session that would not connect: the link late, the connection lost, logging in again
                r"|\bverbinding\w*|\bverbindung\w*|\bconnection\s+(?:\S+\s+){0,2}?(?:dropped|failed|lost|kept)|\b(?:opnieuw|weer)\s+(?:\S+\s+){0,5}?inloggen\b",
                r"|\blog\s+(?:back\s+)?in\s+again|\b(?:neu|erneut)\s+einloggen|\blink\s+(?:\S+\s+){0,4}?(?:kwam|came|kam|werkte|worked|funktionierte)\b",
                r"|\bgeen\s+(?:mail|e\s?mail|sms|bericht|briefje|telefoontje)\b|\bno\s+(?:e\s?mail|message|notice|text)\b",
                // German and English rooms, dates and their changes
                r"|\braum\b|\br(?:ä|ae)ume?n?\b|\bseminarraum|\btermine?\b|\bausgefallen|\bfiel\s+(?:\S+\s+){0,2}?aus\b",
                r"|\brooms?\b|\bclassroom|\bpostponed|\brescheduled|\bmoved\s+to\b",
                // a workshop moved elsewhere: "nach Hengelo verlegt", "naar Hengelo verhuisd", "relocated"
                r"|\bverlegt\b|\bverlegung|\bumverlegt|\bschulungsraum|\bkursraum|\brelocated\b|\bverhuisd\s+naar\b|\bandere\s+locatie|\bverschoven\b",
                r"|\bfalsche\s+(?:e\s?mail\s?)?adresse|\bverkeerde?\s+(?:e\s?mail\s?)?adres|\bwrong\s+(?:e\s?mail\s+)?address",
            )),
        ),
        // a certificate not sent, sent late or with the name misspelt: administration, not
        // a grading ("Zertifikat nicht erhalten", "diploma nooit ontvangen", "my name was misspelt"), said
        // in so many words
        (
            Category::Organisation,
            STRONG,
            re(concat!(
                r"\b(?:certifica\w*|diploma\w*|attest\w*|deelnamebewijs\w*|deelnamecertifica\w*|zertifikat\w*|teilnahmebescheinigung\w*|bescheinigung\w*|urkunde)",
                r"\s+(?:\S+\s+){0,6}?(?:ontvangen|gekregen|opgestuurd|toegestuurd|verstuurd|gestuurd|verzonden|aangekomen|erhalten|bekommen|verschickt|zugeschickt|zugesandt|zuzusenden|zuzuschicken|geschickt",
                r"|ausgestellt|ausgeh(?:ä|ae)ndigt|uitgereikt|issued|",
                r"received|sent|arrived|posted|mailed|per\s+post|by\s+post|spelfout\w*|verkeerd\s+gespeld|verkeerd\s+geschreven|falsch\s+geschrieben|misspel\w*|spelled\s+wrong\w*|wrong\s+name|verkeerde\s+naam|falsche[nm]?\s+namen?)\b",
                r"|\b(?:ausstellung|aush(?:ä|ae)ndigung|uitreiking|afgifte|issuing)\s+(?:der|des|van\s+de|van\s+het|of\s+the)\s+(?:certifica\w*|diploma\w*|attest\w*|zertifikat\w*|teilnahmebescheinigung\w*)",
                r"|\b(?:never\s+(?:received|got|had)|nooit\s+(?:ontvangen|gekregen)|nog\s+(?:steeds|altijd)\s+(?:geen|niet)|noch\s+immer\s+kein\w*|immer\s+noch\s+kein\w*|bis\s+heute\s+kein\w*)\s+(?:\S+\s+){0,2}?(?:certifica\w*|diploma\w*|attest\w*|zertifikat\w*|teilnahmebescheinigung\w*)\b",
            )),
        ),
        (
            Category::Content,
            usize::MAX,
            re(concat!(
                r"\binhoud|\blesstof|\b\w*materia(?:al|l|len)\b|\bverouderd|\bniet\s+wat\s+(?:er\s+)?(?:werd\s+)?beloofd",
                r"|\bcontent\b|\boutdated\b|\bsyllabus\b|\bherhaling\b|\bniveau\b|\bte\s+basaal|\boppervlakkig",
                r"|\bniets\s+nieuws|\badvertised\b|\bpractical\s+(?:session|exercises|part)|\bexercises\b|\boefeningen\b",
                r"|\bslides\b|\bdia.?s\b|\brollenspel|\brole\s?play|\bfolien\b|\bunterlagen\b|\binhalte?\b|\bhandouts?\b",
                r"|\bpresentation\s+of\s+(?:your|their|his|her)|\bprogramma\b|\bprogramme\b|\bop\s+maat\b|\btailored",
                // a standard programme where one tailored to the group was agreed, a part left out
                r"|\bstandaard\s?(?:programma|training|verhaal|pakket)|\bstandard\s+(?:programme|program|course|package)|\bstandardprogramm|\bstandardkurs",
                r"|\bonderde(?:el|len)\s+(?:\S+\s+){0,4}?(?:ontbrak|ontbraken|overgeslagen|niet\s+behandeld|niet\s+besproken)|\b(?:sluit|sloot)\s+(?:\S+\s+){0,3}?niet\s+aan\b|\bniet\s+aansl(?:uit|oot)\b",
                r"|\bvoorbeelden\b|\bexamples\b|\b(?:te\s+|volledig\s+|heel\s+)algemeen\b|\bgeneric\b",
                // the book and its parts: a workbook full of errors, chapters, a module left out
                r"|\b(?:beloofde|aangekondigde|ontbrekende|advertised|promised|missing)\s+modul|\bmodul(?:e|es|en)?\s+(?:over|on|about|zu|(?:ü|ue)ber)\b",
                r"|\bmodul(?:e|es|en)?\s+(?:\S+\s+){0,6}?(?:niet\s+gegeven|ontbrak|ontbraken|overgeslagen|geschrapt|weggelaten|uit\s+het\s+programma|left\s+out|not\s+covered|skipped|dropped|fehlte|gestrichen)|\bhoofdstuk|\bchapters?\b|\bkapitel",
                r"|\bcasus(?:sen)?\b|\bcase\s+stud(?:y|ies)\b|\bfallbeispiel|\bskript\b|\barbeitsheft|\bauflage\b",
                r"|\b(?:editie|edition|oude\s+versie|old\s+version|outdated\s+version)\b|\bout\s+of\s+date\b|\bveraltet",
                r"|\bvol\s+(?:\w*fouten)|\bfull\s+of\s+(?:errors|mistakes|typos)|\bpagina.?s?\s+(?:\S+\s+){0,5}?ontbr|\bpages?\s+(?:\S+\s+){0,3}?missing|\bmissing\s+pages",
                r"|\b(?:hoofdstukken|chapters|kapitel|slides|handouts|teksten|texts)\s+(?:\S+\s+){0,3}?in\s+(?:het\s+)?(?:engels|english|englisch)\b",
            )),
        ),
    ]
});

/// The hits of words that say the category in so many words ("slecht georganiseerd")
/// count twice.
const STRONG: usize = usize::MAX - 1;

/// A clause that praises before it complains ("Inhoudelijk zal het programma wel in
/// orde zijn, maar", "the content was fine, but", "Inhaltlich war alles gut, aber"): its
/// words are no evidence of their category, unless it is negated ("niet goed, maar").
static CONCEDED: Pattern = Pattern::new(|| {
    re(concat!(
        r"[^.!?;:,\n]{0,100}?\b(?:in\s+orde|prima|goed|oke?|okay|fine|good|great|excellent|uitstekend|gut|in\s+ordnung",
        r"|top|perfect|vriendelijk|aardig|friendly|nice|freundlich|kundig|deskundig|knowledgeable|interessant|interesting)\b",
        r"[^.!?;:,\n]{0,40}?,?\s(?:maar|but|aber|doch|jedoch|however|echter)\b",
    ))
});

/// A negation inside a clause: "niet goed, maar" concedes nothing.
static NEGATED: Pattern = Pattern::new(|| {
    re(r"\b(?:niet|niets|geen|not|no|nothing|nicht|nichts|kein\w*|nie|nooit|never)\b|n['’]t\b")
});

/// Blame taken away: "aan de inhoud lag het niet", "the content was not the problem",
/// "niet de inhoud maar", "nothing wrong with the material, but".
static NOT_TO_BLAME: Pattern = Pattern::new(|| {
    re(concat!(
        r"[^.!?;:\n]{0,60}?\b(?:lag\s+(?:het|es)\s+(?:echt\s+|wirklich\s+)?(?:niet|nicht)|was\s+(?:het\s+probleem\s+niet",
        r"|niet\s+het\s+probleem|not\s+the\s+(?:problem|issue))|war\s+nicht\s+das\s+problem)\b[^.!?;:,\n]{0,40}",
        r"|\b(?:het\s+lag\s+niet\s+aan|it\s+wasn.?t|it\s+was\s+not|es\s+lag\s+nicht\s+an)\s+[^.!?;:\n]{0,40}?\s(?:maar|but|sondern)\b",
        r"|\b(?:niets|nothing|nichts)\s+(?:mis\s+met|wrong\s+with|gegen|auszusetzen\s+an)\s+[^.!?;:\n]{0,40}?\s(?:maar|but|aber|sondern)\b",
        r"|\b(?:niet|not|nicht)\s+(?:zozeer\s+|so\s+much\s+|so\s+sehr\s+)?(?:de|het|the|der|die|das)\s+\w+(?:\s+\w+)?,?\s+(?:maar|but|sondern)\b",
    ))
});

/// "not only the room but also the trainer": both count.
static ALSO: Pattern = Pattern::new(|| re(r"^\s*(?:also|ook|auch|ebenso|evenzeer)\b"));

/// A certificate named as what is at stake, not as what was graded: "mijn ehbo diploma
/// verloopt eind deze maand", "my certificate expires", "das Zertifikat läuft ab", "ik
/// heb het certificaat nodig voor mijn werk".
static AT_STAKE: Pattern = Pattern::new(|| {
    re(concat!(
        r"\b(?:diploma|certificaat|certificate|certification|zertifikat|brevet|pasje|licentie)s?\s+(?:\S+\s+){0,3}?",
        r"(?:verloopt|vervalt|verlopen|vervallen|loopt\s+(?:\S+\s+){0,3}?af|expires?|expired|expiring|runs\s+out|lapses?",
        r"|l(?:ä|ae)uft\s+(?:\S+\s+){0,3}?ab|abl(?:ä|ae)uft)\b",
        r"|\b(?:diploma|certificaat|certificate|zertifikat)s?\s+(?:\S+\s+){0,3}?(?:nodig|need|needed|required|brauche|ben(?:ö|oe)tige)\s+",
        r"(?:\S+\s+){0,2}?(?:voor\s+(?:mijn\s+)?(?:werk|baan|functie)|om\s+te\s+(?:mogen\s+)?werken|for\s+(?:my\s+)?(?:work|job)|to\s+work|f(?:ü|ue)r\s+(?:meine\s+|die\s+)?(?:arbeit|job|stelle))\b",
        r"|\bom\s+(?:mijn|het|de)\s+(?:\S+\s+)?(?:diploma|certificaat)\s+(?:te\s+)?(?:verlengen|behouden|houden)|\bto\s+(?:renew|keep)\s+(?:my|the)\s+(?:\S+\s+)?(?:certificate|certification)",
    ))
});

/// An exam passed, named as what came before the certificate ("die Abschlussprüfung
/// bestanden", "ik was geslaagd voor het examen", "I passed the exam"): no grading
/// disputed, unless negated ("nicht bestanden").
static PASSED: Pattern = Pattern::new(|| {
    re(concat!(
        r"\b(?:\w*pr(?:ü|ue)fung|examen|exam|test|toets|assessment)\s+(?:\S+\s+){0,2}?(?:bestanden|gehaald|behaald|passed)\b",
        r"|\b(?:passed|bestand|haalde|behaalde)\s+(?:the|my|het|mijn|de|die|meine)\s+(?:\w*pr(?:ü|ue)fung|examen|exam|test|toets)\b",
        r"|\bgeslaagd\s+voor\s+(?:het|mijn|de)\s+(?:examen|toets)\b",
    ))
});

/// The category the text says most about: "the trainer" is named in most complaints, so
/// one mention of the trainer does not outweigh a moved location and a missing workbook.
/// Where two words overlap ("las de slides voor"), the longer counts. On a tie, the first
/// in the list.
pub(super) fn most_said(hay: &str) -> Option<Category> {
    let hay = blanked(hay);
    let kinds = KINDS.get();
    // every hit: (start, end, index of its kind)
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    for (i, (_, _, pattern)) in kinds.iter().enumerate() {
        hits.extend(pattern.find_iter(&hay).map(|m| (m.start(), m.end(), i)));
    }
    hits.sort_by_key(|(s, e, i)| (std::cmp::Reverse(e - s), *s, *i));
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    for hit in hits {
        if !kept.iter().any(|k| hit.0 < k.1 && k.0 < hit.1) {
            kept.push(hit);
        }
    }
    let mut counts: Vec<(Category, usize)> = Vec::new();
    for (i, (category, most, _)) in kinds.iter().enumerate() {
        let found = kept.iter().filter(|k| k.2 == i).count();
        let n = if *most == STRONG {
            2 * found
        } else {
            found.min(*most)
        };
        match counts.iter_mut().find(|(c, _)| c == category) {
            Some((_, total)) => *total += n,
            None => counts.push((*category, n)),
        }
    }
    let mut best: Option<(Category, usize)> = None;
    for (category, n) in counts {
        if n > 0 && best.is_none_or(|(_, most)| n > most) {
            best = Some((category, n));
        }
    }
    best.map(|(c, _)| c)
}

/// `hay` with what is no evidence read as blanks: the clauses that concede, the
/// certificates at stake.
fn blanked(hay: &str) -> String {
    let mut spans: Vec<(usize, usize)> = CONCEDED
        .find_iter(hay)
        .filter(|m| !NEGATED.is_match(m.as_str()))
        .chain(
            NOT_TO_BLAME
                .find_iter(hay)
                .filter(|m| !ALSO.is_match(&hay[m.end()..])),
        )
        .map(|m| (m.start(), m.end()))
        .collect();
    spans.extend(AT_STAKE.find_iter(hay).map(|m| (m.start(), m.end())));
    spans.extend(
        PASSED
            .find_iter(hay)
            .filter(|m| !NEGATED.is_match(m.as_str()))
            .map(|m| (m.start(), m.end())),
    );
    if spans.is_empty() {
        return hay.to_string();
    }
    hay.char_indices()
        .map(|(i, c)| {
            if spans.iter().any(|(s, e)| (*s..*e).contains(&i)) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::extract::tests::ex;

    fn category(text: &str) -> Option<Category> {
        ex(text).category
    }

    #[test]
    fn the_trainer_named_in_passing_does_not_make_content_delivery() {
        for text in [
            "Het cursusmateriaal was nog van de editie van 2017 en de oefenexamens waren van de oude versie. Twee hoofdstukken waren in het Engels. De lesgever zei dat de verschillen klein zijn.",
            "De beloofde module over hybride teams ontbrak, het werkboek stond vol fouten en pagina 23 tot 30 ontbraken. De trainer zei dat de module uit het programma was gehaald, en de trainer vond dat jammer.",
            "The course material was outdated: the chapters referred to an old edition. The trainer said it did not matter.",
            "Die Unterlagen waren veraltet, zwei Kapitel fehlten ganz. Der Trainer meinte, das sei nicht schlimm.",
        ] {
            assert_eq!(category(text), Some(Category::Content), "{text}");
        }
        // How the trainer taught is delivery, however often he is named.
        for text in [
            "De trainer las de slides voor en gaf geen antwoord op vragen.",
            "The trainer read from the slides all day and questions went unanswered.",
            "Der Trainer las alles von den Folien ab.",
        ] {
            assert_eq!(category(text), Some(Category::Delivery), "{text}");
        }
    }

    #[test]
    fn a_conceded_category_is_no_evidence() {
        for (text, want) in [
            (
                "Inhoudelijk zal het programma wel in orde zijn, maar de manier waarop de lesgever het bracht was echt ondermaats: hij las de slides voor.",
                Category::Delivery,
            ),
            (
                "Aan de inhoud lag het niet. De docent kwam onvoorbereid binnen.",
                Category::Delivery,
            ),
            (
                "The content was fine, but the trainer read everything out and did not answer questions.",
                Category::Delivery,
            ),
            (
                "Inhaltlich war alles gut, aber der Raum war viel zu klein und der Termin wurde zweimal verschoben.",
                Category::Organisation,
            ),
            (
                "De trainer was heel vriendelijk, maar het lokaal was ijskoud.",
                Category::Organisation,
            ),
            (
                "Het lag niet aan de trainer maar aan het lesmateriaal, dat verouderd was.",
                Category::Content,
            ),
        ] {
            assert_eq!(category(text), Some(want), "{text}");
        }
        // A negated praise concedes nothing.
        assert_eq!(
            category("De uitleg was niet goed, maar het lokaal was prima."),
            Some(Category::Delivery)
        );
        assert!(NEGATED.is_match("de uitleg was niet goed, maar"));
    }

    #[test]
    fn what_is_blanked_and_what_stays() {
        // A concession is the clause before "maar", not the sentence before it.
        assert_eq!(
            most_said(
                "de docent kwam onvoorbereid binnen en las alles voor, de zaal was prima, maar de lunch ontbrak."
            ),
            Some(Category::Delivery)
        );
        assert!(blanked("the room was fine, but").trim().is_empty());
        // "not only ... but also" takes no blame away.
        assert!(blanked("it was not only the room but also the trainer").contains("room"));
        assert!(!blanked("it was not the room but the trainer").contains("room"));
        // Reading to prepare is no reading aloud; a module that did not work is no content.
        assert_eq!(
            most_said("we moesten het hoofdstuk lezen voor de volgende les"),
            Some(Category::Content)
        );
        assert_eq!(
            most_said("de module werkte niet en de inlog gaf een foutmelding"),
            None
        );
        // A certificate at stake is blanked, a certificate graded is not.
        assert!(!blanked("mijn diploma verloopt eind deze maand").contains("diploma"));
        assert!(blanked("mijn diploma is onterecht ingetrokken").contains("diploma"));
    }

    #[test]
    fn german_and_english_assessment_words() {
        for text in [
            "Der Abschlusstest wurde falsch bewertet: mit 58 % habe ich nicht bestanden, die Bestehensgrenze ist 60 %. Der Trainer will nichts ändern.",
            "Bitte lassen Sie meine Prüfung neu bewerten, damit ich das Zertifikat bekomme.",
            "My exam was marked wrongly and I failed by two points below the pass mark. The trainer refused a resit.",
            "The grading of the practical was unfair; the instructor failed me on a question that was not taught.",
        ] {
            assert_eq!(category(text), Some(Category::Assessment), "{text}");
        }
        // The heating that failed is no exam.
        assert_eq!(
            category("The heating failed and the room was freezing."),
            Some(Category::Organisation)
        );
    }

    #[test]
    fn a_certificate_at_stake_is_no_assessment() {
        for text in [
            "de deur zat op slot en er was niemand en ik heb geen mail gehad dat het niet doorging mijn ehbo diploma verloopt eind deze maand",
            "The session was cancelled without notice and my first aid certificate expires next week.",
            "Der Termin fiel ohne Nachricht aus, dabei läuft mein Zertifikat Ende des Monats ab.",
            "De herhaling werd twee keer verplaatst en ik heb het certificaat nodig voor mijn werk.",
        ] {
            assert_eq!(category(text), Some(Category::Organisation), "{text}");
        }
        // A grading is assessment, whatever is at stake.
        assert_eq!(
            category(
                "Mijn examen is onterecht afgekeurd, terwijl mijn diploma eind deze maand verloopt."
            ),
            Some(Category::Assessment)
        );
    }

    #[test]
    fn german_and_english_words_of_the_other_categories() {
        for (text, want) in [
            (
                "Der Raum war zu klein und viel zu warm.",
                Category::Organisation,
            ),
            ("Der Termin wurde abgesagt.", Category::Organisation),
            ("The room was double booked.", Category::Organisation),
            ("Die Unterlagen waren voller Fehler.", Category::Content),
            (
                "The handouts were for a different course.",
                Category::Content,
            ),
            ("Der Trainer las nur vor.", Category::Delivery),
            ("The trainer just read from the slides.", Category::Delivery),
        ] {
            assert_eq!(category(text), Some(want), "{text}");
        }
        // Nothing said of any category is none.
        assert_eq!(category("Das Seminar war eine Enttäuschung."), None);
    }

    #[test]
    fn ordinary_complaints_stay_what_they_are_and_are_not_serious() {
        for (text, want) in [
            (
                "De training begon een uur te laat en het lokaal was ijskoud.",
                Category::Organisation,
            ),
            (
                "The session started 40 minutes late because the room was locked, and it was freezing.",
                Category::Organisation,
            ),
            (
                "De trainer kwam een uur te laat binnen en het lokaal was koud.",
                Category::Delivery,
            ),
            (
                "De trainer was onvoorbereid, las alles voor en beantwoordde geen vragen.",
                Category::Delivery,
            ),
            (
                "Mijn examen is verkeerd beoordeeld en ik wil een herkansing.",
                Category::Assessment,
            ),
        ] {
            let e = ex(text);
            assert_eq!(e.category, Some(want), "{text}");
            assert!(!e.serious, "{text}");
        }
    }

    #[test]
    fn a_certificate_not_received_is_administration() {
        for text in [
            "Ich habe die Abschlussprüfung bestanden, aber bis heute kein Zertifikat erhalten. Die Trainerin sagte, es werde per Post verschickt.",
            "Ik ben in september geslaagd voor het examen, maar mijn certificaat is nog steeds niet ontvangen.",
            "I passed the exam in June but my certificate was never sent, and the one I finally received had my name misspelt.",
            "Mijn diploma is drie maanden te laat opgestuurd en mijn naam stond er met een spelfout op.",
        ] {
            assert_eq!(category(text), Some(Category::Organisation), "{text}");
        }
        // A grading or a result disputed stays assessment, certificate or not.
        for text in [
            "Mijn examen is onterecht afgekeurd en daardoor krijg ik geen certificaat.",
            "Der Abschlusstest wurde falsch bewertet, ich habe nicht bestanden.",
            "My exam was marked wrongly and I failed; the trainer refused a resit.",
            "Ik heb het examen niet gehaald terwijl mijn antwoorden goed waren, ik wil inzage.",
        ] {
            assert_eq!(category(text), Some(Category::Assessment), "{text}");
        }
    }

    #[test]
    fn the_trainers_stories_and_phone_are_delivery() {
        for text in [
            "Het programma beloofde casussen en oefeningen, maar de trainer heeft de hele ochtend verhalen verteld over zijn eigen loopbaan. Tijdens de oefeningen zat hij op zijn telefoon.",
            "The programme promised case studies; instead the trainer told stories about himself all morning and was on his phone during the exercises.",
            "Der Trainer erzählte stundenlang Geschichten über sich selbst und saß während der Übungen an seinem Handy.",
        ] {
            assert_eq!(category(text), Some(Category::Delivery), "{text}");
        }
        // Material that was outdated stays content, the trainer named or not.
        assert_eq!(
            category(
                "Het lesmateriaal was verouderd en de casussen kwamen niet uit ons werkveld. De trainer kon daar weinig aan doen."
            ),
            Some(Category::Content)
        );
    }

    #[test]
    fn a_workshop_moved_is_organisation() {
        for text in [
            "Der Workshop wurde ohne Nachricht nach Hengelo verlegt, der Schulungsraum in Enschede war verschlossen. Die Trainerin sagte, wir könnten nicht mehr mitmachen. Sie dürfen mir auf Deutsch oder auf Niederländisch antworten.",
            "De workshop was naar een andere locatie verhuisd en de mail daarover ging naar een verkeerd adres. De trainer was vriendelijk.",
            "The workshop was relocated to Hengelo and the e-mail went to a wrong address; the trainer started without us.",
        ] {
            assert_eq!(category(text), Some(Category::Organisation), "{text}");
        }
        // Taught in another language is still how it was given.
        assert_eq!(
            category("Der Kurs wurde ohne Ankündigung auf Englisch gehalten."),
            Some(Category::Delivery)
        );
    }
}
