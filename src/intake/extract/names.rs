//! Names: the complainant's name from a label, the signature, an introduction ("mijn
//! naam is ...") or the sender's display name.

use crate::intake::pattern::Pattern;

use super::labels::label_of;
use super::lines::Doc;
use super::{re, squeeze, trim_punct};
use crate::intake::parse::{Address, Message};

const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "het", "'t", "’t", "ter", "ten", "te", "in", "op", "la", "le", "du",
    "da", "di", "dos", "das", "del", "della", "von", "zu", "bin", "ben", "el", "al", "ibn", "'s",
    "d'", "v.d.", "vd", "v/d", "van't", "y",
];
/// Courtesy and academic titles before a name, without their dot: "dhr.", "Mr", "Prof. dr.
/// ir.", "Dipl.-Ing.".
const TITLES: &[&str] = &[
    "dhr", "mevr", "mw", "mr", "mrs", "ms", "dr", "drs", "ir", "ing", "prof", "mej", "ds", "bc",
    "dipl",
];
/// Titles that are also names ("Ing Wang"): a title only with a dot or in lower case.
const TITLES_ALSO_NAMES: &[&str] = &["ing"];
/// Degrees after a name, as they are written: "Jan Smit MSc", "Anna Berg PhD".
const DEGREES: &[&str] = &[
    "MSc", "M.Sc.", "BSc", "B.Sc.", "MBA", "PhD", "Ph.D.", "LLM", "LL.M.", "MA", "BA", "MD",
];

/// Whether `word` is a title: "dr.", "Dr", "drs", "Dr.-Ing.", never a name ("Ing").
fn is_title(word: &str) -> bool {
    let dotted = word.ends_with('.');
    let mut parts = word.split('-').filter(|p| !p.is_empty()).peekable();
    parts.peek().is_some()
        && parts.all(|part| {
            let bare = part.trim_end_matches('.').to_lowercase();
            TITLES.contains(&bare.as_str())
                && (!TITLES_ALSO_NAMES.contains(&bare.as_str())
                    || dotted
                    || part.starts_with(char::is_lowercase))
        })
}

/// The name without the titles before it and the degrees after it: "Prof. dr. ir. Anna de
/// Boer MSc" -> "Anna de Boer". What would be left without a name keeps them.
pub(super) fn without_titles(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let start = words.iter().take_while(|w| is_title(w)).count();
    let mut end = words.len();
    while end > start + 1 && DEGREES.contains(&words[end - 1].trim_end_matches(',')) {
        end -= 1;
    }
    let rest = &words[start..end];
    if rest.iter().any(|w| cap_word(w)) {
        rest.join(" ")
    } else {
        words.join(" ")
    }
}
/// Words that never occur in a person's name as the daemon sees it.
const NOT_NAMES: &[&str] = &[
    "klacht",
    "klachten",
    "klachtenformulier",
    "klachtenregeling",
    "numun",
    "team",
    "afdeling",
    "administratie",
    "info",
    "informatie",
    "support",
    "helpdesk",
    "secretariaat",
    "noreply",
    "no-reply",
    "training",
    "trainingen",
    "cursus",
    "workshop",
    "opleiding",
    "leertraject",
    "coaching",
    "service",
    "services",
    "klantenservice",
    "customer",
    "bv",
    "b.v.",
    "nv",
    "n.v.",
    "vof",
    "gemeente",
    "stichting",
    "groet",
    "groeten",
    "groetjes",
    "vriendelijke",
    "hartelijke",
    "regards",
    "kind",
    "best",
    "met",
    "verzonden",
    "sent",
    "geachte",
    "beste",
    "hallo",
    "dear",
    "bedankt",
    "dank",
    "alvast",
    "hoogachtend",
    "sincerely",
    "thanks",
    "thank",
    "mvg",
    "mailer",
    "daemon",
    "postmaster",
    "mail",
    "e-mail",
    "email",
    "office",
    "contact",
    "admin",
    "hr",
    "personeelszaken",
    "directie",
    "receptie",
    "planning",
    "facturatie",
    "finance",
    "sales",
    "marketing",
    "iphone",
    "android",
    "outlook",
    "ps",
    "p.s.",
    "namens",
    "onderwerp",
    "subject",
    "datum",
    "date",
    "from",
    "aan",
    "to",
    "tel",
    "telefoon",
    "mobiel",
    "adres",
    "address",
    "naam",
    "name",
    "uw",
    "your",
    "ik",
    "i",
    "we",
    "wij",
    "hoi",
    "hi",
    "hey",
    "hello",
    "dag",
    "toelichting",
    "omschrijving",
    "postbus",
    "deelnemer",
    "cursist",
    "trainer",
    "docent",
    "coach",
    "manager",
    "the",
    "and",
    "en",
    "of",
];

/// A capitalised name word: "Jan", "Vries", "J.", "El-Amrani", "O'Brien".
pub(super) fn cap_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        && w.chars().filter(|c| c.is_alphabetic()).count() >= 1
}

/// Whether `s` reads as a person's name: 1 to 5 words, capitalised words and particles
/// ("van", "de", "el"), at least `min_caps` capitalised words, no common non-name word.
pub(super) fn name_like(s: &str, min_caps: usize) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let mut caps = 0;
    for (k, w) in words.iter().enumerate() {
        let lower = w.to_lowercase();
        if NOT_NAMES.contains(&lower.trim_end_matches([',', '.'])) {
            return false;
        }
        // "Mr. drs. K.L. de Wit"
        if caps == 0 && is_title(w) {
            continue;
        }
        if PARTICLES.contains(&lower.as_str()) && !w.starts_with(char::is_uppercase) {
            if k + 1 == words.len() {
                return false;
            }
            continue;
        }
        if !cap_word(w) {
            return false;
        }
        caps += 1;
    }
    caps >= min_caps && has_full_word(s)
}

/// Whether a name has a word of two letters or more: "M." or "J.K." alone are initials,
/// not a name ("Groet, M.").
pub(super) fn has_full_word(name: &str) -> bool {
    name.split_whitespace().any(|w| {
        let w = w.trim_end_matches([',', ';', ':']);
        let bare = w.trim_end_matches('.');
        // "Gr.", "Mvg.": an abbreviation; "Jansen." ends a sentence.
        let least = if bare.len() < w.len() { 3 } else { 2 };
        !bare.contains('.')
            && !is_title(w)
            && bare.chars().filter(|c| c.is_alphabetic()).count() >= least
    })
}

/// The name at the start of `rest` ("Jan de Vries en ik volgde ..." -> "Jan de Vries").
fn name_prefix(rest: &str, min_caps: usize) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for token in rest.split_whitespace().take(6) {
        let stripped = token.trim_end_matches([',', ';', ':', '!', '?', ')', '.']);
        let ends_sentence = stripped.len() != token.len();
        // An initial ("J.") or a title keeps its dot and does not end the name.
        let initial = token.ends_with('.') && (stripped.chars().count() == 1 || is_title(token));
        let word = if initial { token } else { stripped };
        let lower = word.to_lowercase();
        let ok = (cap_word(word) && !NOT_NAMES.contains(&lower.as_str()))
            || PARTICLES.contains(&lower.as_str())
            || (words.iter().all(|w| is_title(w)) && is_title(word));
        if !ok {
            break;
        }
        words.push(word);
        if ends_sentence && !initial || words.len() == 5 {
            break;
        }
    }
    while words
        .last()
        .is_some_and(|w| PARTICLES.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    let name = words.join(" ");
    name_like(&name, min_caps).then_some(name)
}

/// A labelled name, cleaned: "Jan de Vries (deelnemer)" -> "Jan de Vries".
fn clean_name(value: &str) -> Option<String> {
    // "Dhr. P. (Pieter) van den Heuvel" -> "Dhr. P. van den Heuvel"
    let bare = without_brackets(value);
    let v = bare.split(['<', '|', ',', '\t']).next().unwrap_or_default();
    let v = squeeze(trim_punct(v));
    (!v.is_empty()
        && v.chars().count() <= 80
        && v.chars().any(char::is_alphabetic)
        && !v.contains('@')
        && !v.chars().any(|c| c.is_ascii_digit())
        && has_full_word(&v))
    .then_some(v)
}

/// "Jan de Vries | Deelnemer", "Jan de Vries (cursist)" -> "Jan de Vries".
pub(super) fn strip_role(line: &str) -> String {
    let bare = without_brackets(line);
    let cut = bare.find(['|', '<', '\t']).unwrap_or(bare.len());
    let l = bare[..cut].trim();
    let l = l.split(" - ").next().unwrap_or(l).trim();
    squeeze(trim_punct(l))
}

/// Without what is between parentheses or brackets: "P. (Pieter) Jansen" -> "P.  Jansen".
fn without_brackets(s: &str) -> String {
    let mut bare = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    bare
}

/// A display name that is a person's: "Jan de Vries", "Vries, Jan de" (reordered); not
/// "Klachten numun", not an address.
fn person_name(display: &str) -> Option<String> {
    let d = display.trim().trim_matches(['"', '\'']).trim();
    if d.is_empty() || d.len() > 200 || d.contains('@') || d.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let d = match d.split_once(',') {
        Some((last, first))
            if !first.contains(',') && !first.trim().is_empty() && !last.trim().is_empty() =>
        {
            format!("{} {}", first.trim(), last.trim())
        }
        Some(_) => return None,
        None => d.to_string(),
    };
    let words: Vec<&str> = d.split_whitespace().collect();
    let ok = (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
                && w.chars().any(char::is_alphabetic)
                && !NOT_NAMES.contains(&w.to_lowercase().trim_end_matches('.'))
        });
    ok.then(|| words.join(" "))
}

/// Words of a forwarder who files the complaint herself: "ik sluit me daarbij aan en dien
/// hierbij formeel een klacht in", "I'm raising this as a formal complaint", "hiermit
/// reiche ich Beschwerde ein".
static FILES_HERSELF: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b(?:(?:ik|wij|we)\s+(?:\w+\s+){0,3}?dien(?:en)?\s+(?:\w+\s+){0,6}?klacht\s+in|dien(?:en)?\s+(?:ik|wij|we)\s+(?:\w+\s+){0,6}?klacht\s+in|(?:ik|wij|we)\s+(?:wil|willen)\s+(?:\w+\s+){0,4}?klacht\s+indienen|hierbij\s+(?:mijn|onze)\s+(?:\w+\s+)?klacht|(?:ik\s+sluit\s+(?:me|mij)|(?:wij|we)\s+sluiten\s+ons)\s+(?:[\w']+\s+){0,5}?(?:bij\s+)?aan\b|i(?:\s+would|'d|’d)\s+like\s+to\s+(?:\w+\s+)?(?:file|lodge|make|submit|raise|register)\s+(?:a|an|my|this|our)\s+(?:\w+\s+)?complaint|i\s+(?:want|wish|hereby\s+\w+|am\s+writing)\s+to\s+(?:\w+\s+)?(?:file|lodge|make|submit|raise|register)\s+(?:a|an|my|this|our)\s+(?:\w+\s+)?complaint|i\s+(?:hereby\s+)?(?:file|lodge|submit|raise)\s+(?:a|an|my|this)\s+(?:\w+\s+)?complaint|i(?:'m|’m|\s+am)\s+(?:\w+\s+)?(?:filing|lodging|raising|submitting|making)\s+(?:a|an|my|this|it)\s+(?:\w+\s+)?(?:as\s+a\s+(?:\w+\s+)?)?complaint|(?:ich|wir)\s+(?:\w+\s+){0,3}?(?:beschwerde|reklamation)\s+(?:\w+\s+){0,2}?(?:ein|einreichen|einlegen|erheben)\b|hiermit\s+(?:lege|reiche|erhebe)\s+ich)",
    )
});

/// Words of a forwarder who passes on someone else's complaint: "namens mijn moeder", "stuur
/// ik door", "de klacht van onze medewerker", "forwarding on behalf of", "kwam bij mij
/// binnen". "namens ons kantoor" speaks for her own side: see [`ORGANISATION`].
static PASSES_ON: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b(?:(?:namens|on\s+behalf\s+of|im\s+namen(?:\s+von)?|im\s+auftrag(?:\s+von)?)\s+(?:(?:mijn|onze|ons|de|het|my|our|the|meiner|meines|unserer|unseres|der|des)\s+)?(?P<whom>[\w-]+)|stuur\s+(?:ik|wij|we)\s+(?:\w+\s+){0,5}?door\b|(?:ik|wij|we)\s+stuur\w*\s+(?:\w+\s+){0,5}?door\b|doorgestuurd\s+namens|(?:de|een|zijn|haar|hun)\s+klacht\s+van\b|\b(?:zijn|haar|hun)\s+klacht\b|\b(?:his|her|their)\s+complaint\b|complaint\s+(?:from|of)\s+(?:my|our|one|a)\b|forwarding\s+(?:this\s+|it\s+)?on\b|pass(?:ing)?\s+(?:this\s+|it\s+)?on\b|kwam\s+(?:\w+\s+)?(?:bij\s+(?:mij|ons)|hier)\s+binnen|op\s+verzoek\s+van|at\s+the\s+request\s+of|(?:heeft|hebben)\s+(?:mij|ons)\s+gevraagd|asked\s+(?:me|us)\s+to|weiter(?:geleitet|leiten|leite)\b|ihre\s+beschwerde|seine\s+beschwerde)",
    )
});

/// After "namens", "on behalf of": her own side, not another person.
const ORGANISATION: &[&str] = &[
    "kantoor",
    "bedrijf",
    "organisatie",
    "afdeling",
    "team",
    "directie",
    "school",
    "firma",
    "praktijk",
    "gemeente",
    "stichting",
    "vereniging",
    "bestuur",
    "company",
    "firm",
    "organisation",
    "organization",
    "department",
    "board",
    "office",
    "management",
    "unternehmen",
    "abteilung",
    "geschäftsführung",
];

/// "kantoor", "Unternehmens": a word of [`ORGANISATION`], perhaps in the genitive.
fn of_organisation(word: &str) -> bool {
    ORGANISATION.iter().any(|o| {
        word.strip_prefix(o)
            .is_some_and(|rest| ["", "s", "es"].contains(&rest))
    })
}

/// The mail of a forwarder who files the complaint herself ([`forwarder_files`]) read as
/// her own, and the forwarded text (its facts).
pub(super) fn filed_by_forwarder(message: &Message) -> Option<(Message, String)> {
    let f = message
        .forwarded
        .as_ref()
        .filter(|_| forwarder_files(message))?;
    let own = Message {
        forwarded: None,
        ..message.clone()
    };
    Some((own, f.text.clone()))
}

/// A mail forwarded by someone other than its author ([`FILES_HERSELF`], not
/// [`PASSES_ON`]) whose forwarder files the complaint herself: she is the complainant, the
/// forwarded mail only the facts she joins.
fn forwarder_files(message: &Message) -> bool {
    let Some(f) = &message.forwarded else {
        return false;
    };
    let same_person = match (&message.from, &f.from) {
        (Some(m), Some(ff)) => {
            m.same_as(&ff.address)
                || m.name
                    .as_deref()
                    .zip(ff.name.as_deref())
                    .is_some_and(|(a, b)| squeeze(a).eq_ignore_ascii_case(&squeeze(b)))
        }
        _ => true,
    };
    let note = Doc::read(&message.text)
        .before_signature()
        .collect::<Vec<_>>()
        .join(" ");
    let passes_on = PASSES_ON.captures_iter(&note).any(|c| {
        c.name("whom")
            .is_none_or(|w| !of_organisation(&w.as_str().to_lowercase()))
    });
    !same_person && FILES_HERSELF.is_match(&note) && !passes_on
}

impl Doc<'_> {
    /// The complainant's name, without titles (the procedure asks for the name; a title
    /// is no part of it).
    pub(super) fn name(&self, message: &Message, sender: Option<&Address>) -> Option<String> {
        self.name_as_written(message, sender)
            .map(|n| without_titles(&n))
    }

    fn name_as_written(&self, message: &Message, sender: Option<&Address>) -> Option<String> {
        let l = &self.labels;
        if let Some(n) = l.name.as_deref().and_then(clean_name) {
            return Some(n);
        }
        if let (Some(first), Some(last)) = (&l.first, &l.last) {
            let parts = [
                Some(first.as_str()),
                l.particle.as_deref(),
                Some(last.as_str()),
            ];
            let joined = parts
                .iter()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(n) = clean_name(&joined) {
                return Some(n);
            }
        }
        // The signature: "Groet, Jan de Vries" or the first line after the closing.
        let sig_line = self
            .sig_inline_name
            .clone()
            .or_else(|| {
                self.signature()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .filter(|l| label_of(l).is_none())
                    .map(|l| without_titles(&strip_role(l)))
            })
            .filter(|l| name_like(l, 1));
        let display = [sender, message.reply_to.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|a| a.name.as_deref().and_then(person_name));
        if let Some(sig) = &sig_line
            && name_like(sig, 2)
        {
            // "A. Bos" signs a mail from "Annemiek Bos": the display name is fuller.
            let last = |n: &str| n.split_whitespace().last().map(str::to_lowercase);
            let initials = sig
                .split_whitespace()
                .any(|w| w.ends_with('.') && w.chars().count() <= 3 && !is_title(w));
            if initials
                && let Some(d) = &display
                && last(d) == last(sig)
            {
                return Some(d.clone());
            }
            return Some(squeeze(sig));
        }
        if let Some(n) = self.introduced_name() {
            return Some(n);
        }
        if let Some(d) = display {
            return Some(d);
        }
        // A first name alone is better than nothing.
        sig_line.map(|s| squeeze(&s))
    }

    /// "Mijn naam is Jan de Vries", "Ik ben Jan de Vries", "My name is ...".
    fn introduced_name(&self) -> Option<String> {
        static INTRO: Pattern = Pattern::new(|| {
            re(r"(?i)\b(?P<k>mijn naam is|ik heet|my name is|mijn naam:|ik ben|i am|i'm)\s+")
        });
        for line in self.body() {
            for caps in INTRO.captures_iter(line) {
                let (Some(k), Some(all)) = (caps.name("k"), caps.get(0)) else {
                    continue;
                };
                let strong = !matches!(
                    k.as_str().to_lowercase().as_str(),
                    "ik ben" | "i am" | "i'm"
                );
                if let Some(n) = name_prefix(&line[all.end()..], if strong { 1 } else { 2 }) {
                    return Some(n);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::intake::extract::extract;
    use crate::intake::extract::tests::{addr, catalogue, msg, sent};

    #[test]
    fn name_from_introduction_and_display_name() {
        let mut m = msg(
            "Mijn naam is Fleur Bos en ik volgde de cursus Excel voor Beginners. Het was slecht.",
        );
        m.from = Some(addr(None, "fleur@example.nl"));
        let e = extract(&m, &catalogue(), sent());
        assert_eq!(e.fields.name.as_deref(), Some("Fleur Bos"));
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Cursus Excel voor Beginners")
        );
        let mut m = msg("Ik ben erg teleurgesteld over de gang van zaken rond de planning.");
        m.from = Some(addr(Some("Klachten numun"), "fleur@example.nl"));
        assert_eq!(extract(&m, &catalogue(), sent()).fields.name, None);
        m.from = Some(addr(Some("Vries, Jan de"), "jan@example.nl"));
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.name.as_deref(),
            Some("Jan de Vries")
        );
        m.from = Some(addr(Some("jan@example.nl"), "jan@example.nl"));
        assert_eq!(extract(&m, &catalogue(), sent()).fields.name, None);
        m.text = "My name is Tom O'Brien and I attended your course on leadership.".into();
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.name.as_deref(),
            Some("Tom O'Brien")
        );
        m.text = "Ik ben Ahmed el Idrissi, deelnemer aan de training.".into();
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.name.as_deref(),
            Some("Ahmed el Idrissi")
        );
    }

    #[test]
    fn an_initial_alone_is_no_name() {
        for sig in [
            "Groet, M.",
            "Gr. J.K.",
            "Met vriendelijke groet,\n\nM.",
            "Regards,\nA",
            "Naam: K.",
        ] {
            let mut m = msg(&format!(
                "De trainer kwam een uur te laat en de zaal was koud.\n\n{sig}\n"
            ));
            m.from = Some(addr(None, "m@example.nl"));
            assert_eq!(extract(&m, &catalogue(), sent()).fields.name, None, "{sig}");
        }
        // An initial with a surname, or the sender's display name, is a name.
        let mut m = msg("De trainer kwam een uur te laat.\n\nGroet, M. Jansen\n");
        m.from = Some(addr(None, "m@example.nl"));
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.name.as_deref(),
            Some("M. Jansen")
        );
        let mut m = msg("De trainer kwam een uur te laat.\n\nGroet, M.\n");
        m.from = Some(addr(Some("Marieke Smit"), "ms@example.nl"));
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.name.as_deref(),
            Some("Marieke Smit")
        );
    }

    #[test]
    fn titles_and_degrees_are_no_part_of_the_name() {
        use super::without_titles;
        for (written, name) in [
            ("ir. Joost Bleeker", "Joost Bleeker"),
            ("Dr. Katrin Vößing", "Katrin Vößing"),
            ("Dr Anand Mehta", "Anand Mehta"),
            ("drs. Gérard Koçak", "Gérard Koçak"),
            ("Prof. dr. ir. Anna de Boer", "Anna de Boer"),
            ("mr. drs. K.L. de Wit", "K.L. de Wit"),
            ("Mrs Olivia Grant MBA", "Olivia Grant"),
            ("Dipl.-Ing. Markus Weber", "Markus Weber"),
            ("Dhr. P. van den Heuvel", "P. van den Heuvel"),
            // A name that looks like a title stays.
            ("Ing Wang", "Ing Wang"),
            ("Drissi Amrani", "Drissi Amrani"),
            ("Irma Prins", "Irma Prins"),
            // A title alone is left as it is.
            ("Dr.", "Dr."),
        ] {
            assert_eq!(without_titles(written), name, "{written}");
        }
        // In a signature, and titles written as initials do not make the sender's display
        // name the fuller one.
        let mut m = msg(
            "De trainer kwam niet opdagen.\n\nMet vriendelijke groet,\n\nProf. dr. ir. Hendrik-Jan Kuipers\n",
        );
        m.from = Some(addr(Some("Kuipers, H.J."), "hj@example.nl"));
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.name.as_deref(),
            Some("Hendrik-Jan Kuipers")
        );
        m.text = "Mijn naam is drs. Eva de Lange en de cursus was slecht.".into();
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.name.as_deref(),
            Some("Eva de Lange")
        );
    }

    #[test]
    fn a_forwarder_filing_the_complaint_herself_is_the_complainant() {
        use crate::intake::parse::Forwarded;
        let forward = |note: &str| {
            let mut m = msg(&format!(
                "Goedemorgen,\n\n{note}\n\nMet vriendelijke groet,\n\nPetra Smit\nOfficemanager\nKerkplein 3\n2011 NB Haarlem\nT 023 - 531 22 40\n"
            ));
            m.from = Some(addr(Some("Petra Smit"), "p.smit@kantoor.nl"));
            m.forwarded = Some(Forwarded {
                from: Some(addr(Some("Ruud Bos"), "r.bos@kantoor.nl")),
                date: None,
                subject: Some("factuur".into()),
                text: "Petra,\n\nDe factuur van de workshop Timemanagement klopt niet, wij waren met 11.\n\nRuud\n".into(),
            });
            extract(&m, &catalogue(), sent()).fields
        };
        for note in [
            "Hieronder het bericht van onze controller. Ik sluit me daar namens ons kantoor bij aan en dien hierbij formeel een klacht in.",
            "Zie de mail van mijn collega hieronder. Hierbij onze klacht over de factuur van de workshop.",
            "Please see my colleague's note below. I would like to file a formal complaint about this invoice.",
            "See Ruud's mail below. I'd like to lodge a complaint on behalf of our company.",
            "Hiermit reiche ich im Namen unseres Unternehmens Beschwerde ein.",
        ] {
            let f = forward(note);
            assert_eq!(f.name.as_deref(), Some("Petra Smit"), "{note}");
            assert_eq!(f.email.as_deref(), Some("p.smit@kantoor.nl"), "{note}");
            assert_eq!(f.phone.as_deref(), Some("023 - 531 22 40"), "{note}");
            assert_eq!(f.address.as_deref(), Some("Kerkplein 3, 2011 NB Haarlem"));
        }
        // Passing on someone else's complaint: its author is the complainant.
        for note in [
            "Namens mijn collega Ruud stuur ik zijn klacht door, ik dien hierbij een klacht in.",
            "Hierbij stuur ik de klacht van onze medewerker door. Wij sluiten ons daarbij aan.",
            "I'm forwarding this on behalf of Ruud, who wants to file a complaint.",
            "Deze kwam bij mij binnen.",
        ] {
            let f = forward(note);
            assert_eq!(f.name.as_deref(), Some("Ruud Bos"), "{note}");
            assert_eq!(f.email.as_deref(), Some("r.bos@kantoor.nl"), "{note}");
            assert_eq!(f.phone, None, "{note}");
        }
    }
}
