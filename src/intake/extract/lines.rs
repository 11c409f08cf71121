//! The text as lines: forward headers, greeting, closing and signature, contact blocks;
//! the labelled fields are read by `labels`, what describes nothing by `no_facts`.

use std::sync::LazyLock;

use regex::Regex;

use super::addresses::{PC_LINE, foreign_pc_line, street_line};
use super::contacts::{EMAIL, find_phone};
use super::labels::{Label, Labels, label_of, read_labels};
use super::names::{name_like, strip_role};
use super::no_facts::says_nothing;
use super::{re, trim_punct};

/// A forwarded-header line ("Van: ...", "Sent: ...").
static HEADER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[\s>*]*(van|from|aan|to|cc|bcc|onderwerp|subject|verzonden|sent|datum|date|beantwoorden aan|antwoord aan|reply-to)[\s*]*:",
    )
});
static FROM_HEADER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^[\s>*]*(van|from)[\s*]*:"));
/// Lines that are never content: forward separators, "Op ... schreef ...:", mobile
/// boilerplate.
static NOISE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:>|[-_=]{3,}[\s\-_=]*$|[-_=*]{3,}\s*[\w ]{1,40}?\s*[-_=*]{3,}\s*$|[-_=]{2,}\s*(?:original message|oorspronkelijk bericht|origineel bericht|forwarded message|doorgestuurd bericht|doorgestuurd|forwarded)\b.*$|begin (?:forwarded|doorgestuurd) (?:message|bericht)|(?:op|on|am|le)\s.+\s(?:schreef|wrote|schrieb|a écrit)\b(?:.*:\s*$|.*[<@]|\s*$)|(?:verzonden|verstuurd) (?:vanaf|vanuit|met|via|from) |sent (?:from|with|via) (?:my\s)?\S+\s*\S*\s*$|get outlook for|download outlook|outlook voor (?:ios|android))",
    )
});
/// A line of a company's legal footer: a confidentiality disclaimer ("Dit e-mailbericht
/// is uitsluitend bestemd voor de geadresseerde", "This e-mail is intended solely for
/// ..."), a liability clause, or the register entry ("registered in England and Wales",
/// "Amtsgericht Düsseldorf HRB 84512 | Geschäftsführer: ..."). Never the complaint.
static DISCLAIMER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)
        (?:uitsluitend|alleen|enkel|slechts)\s+(?:bestemd|bedoeld)\s+voor\s+(?:de\s+)?(?:geadresseerde|ontvanger|persoon)
        |geen\s+rechten\s+(?:worden|kunnen\s+worden)\s+ontleend
        |aanvaardt\s+geen\s+(?:enkele\s+)?aansprakelijkheid
        |staat\s+niet\s+in\s+voor\s+de\s+juiste\s+en\s+volledige
        |(?:indien|als)\s+u\s+(?:niet\s+de\s+geadresseerde|dit\s+(?:e-?mail)?bericht\s+(?:onterecht|ten\s+onrechte|per\s+abuis|abusievelijk))|(?:indien|als)\s+dit\s+(?:e-?mail)?bericht\s+(?:onterecht|ten\s+onrechte|per\s+abuis|abusievelijk)
        |intended\s+(?:solely|only|exclusively)\s+for\s+the\s+(?:use\s+of\s+the\s+)?(?:addressee|recipient|individual|person|named)
        |(?:this|the\s+information\s+in\s+this)\s+e-?mail\s+(?:and\s+any\s+attachments\s+)?(?:is|are|may\s+be|contains?)\s+(?:strictly\s+)?(?:confidential|privileged)
        |if\s+you\s+(?:have\s+)?received\s+(?:this|it)\s+(?:e-?mail\s+|message\s+)?in\s+error
        |registered\s+in\s+england(?:\s+(?:and|&)\s+wales)?
        |registered\s+office\s*:
        |\bamtsgericht\s+\p{L}+
        |\bhrb\s*\d
        |gesch(?:ä|ae)ftsf(?:ü|ue)hr(?:er|erin|ung)\s*:
        |diese\s+e-?mail\s+(?:enth(?:ä|ae)lt|ist)\s+vertraulich
        |wenn\s+sie\s+nicht\s+der\s+(?:richtige\s+)?(?:adressat|empf(?:ä|ae)nger)
        |(?:dit|dit\s+e-?mail|deze\s+e-?mail)\s*(?:bericht\s+)?(?:kan|bevat)\s+(?:\S+\s+)?vertrouwelijke\s+informatie
        |\bniet\s+de\s+(?:beoogde|bedoelde|juiste)\s+(?:geadresseerde|ontvanger)
        |\bop\s+(?:al\s+)?(?:onze|deze|alle)\s+(?:\p{L}+\s+){0,3}?(?:zijn|is)\s+(?:de\s+)?(?:\p{L}+\s+){0,3}?voorwaarden\b
        |\b(?:our\s+)?general\s+terms(?:\s+and\s+conditions)?\s+(?:of\s+\S+\s+)?apply\b
        |\bes\s+gelten\s+(?:unsere\s+|die\s+)?(?:allgemeinen\s+)?gesch(?:ä|ae)ftsbedingungen
        ")
});
/// A footer speaks to "u"/"you"/"Sie", never as "ik": a complainant quoting a clause
/// ("Volgens mij aanvaardt numun geen aansprakelijkheid ...") is writing her complaint.
static FIRST_PERSON: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:ik|mij|mijn|i|my|me|ich|mir|mich|mein\w*)\b"));

fn legal_footer(line: &str) -> bool {
    DISCLAIMER_LINE.is_match(line) && !FIRST_PERSON.is_match(line)
}

static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:geachte|beste|lieve|hallo|hoi|hi|hey|dear|dag|goedemorgen|goeiemorgen|goeiedag|goedemiddag|goedenavond|goedendag|goede ?dag|l\.\s?s\.|to whom it may concern|hello|good (?:morning|afternoon|evening)|sehr geehrte[rn]?|guten (?:tag|morgen|abend)|liebe[rs]?|moin|gr(?:ü|ue)(?:ß|ss) gott)\b",
    )
});
/// A closing; `rest` is what follows on the same line (a name, or nothing).
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:met\s+)?(?:(?:heel\s+)?(?:vriendelijke|hartelijke|beste|lieve|warme|zonnige|collegiale|sportieve)\s+)?groet(?:en|jes)?|m\.\s?v\.\s?g\.?|mvg|(?:mit\s+)?(?:(?:freundlichen|freundliche|viele|liebe|beste|herzliche|sch(?:ö|oe)ne)\s+)?gr(?:ü|ue)(?:ß|ss)(?:en|e)?|gr\.?|(?:(?:kind|best|warm|warmest|kindest|many)\s+)?regards|(?:yours\s+)?(?:sincerely|faithfully|truly)|hoogachtend|cheers|liefs|mfg|lg|(?:best|warm|kind)\s+wishes|all\s+the\s+best|take\s+care|vriendelijke\s+groeten|(?:alvast\s+)?(?:bedankt|dank\s*(?:u|je)\s*wel)|(?:many\s+)?thanks(?:\s+in\s+advance)?|thank\s+you|best)(?P<tail>.*)$",
    )
});

/// A line that introduces the complainant's contact details ("Mijn gegevens:"): it and
/// the lines after it, up to a blank line, are contact data, not the complaint.
static DETAILS_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:mijn|onze|my|our|meine|de|the)\s+)?(?:contact\s*|persoons|adres|n\.?a\.?w\.?\s*)?(?:gegevens|details|information|info|informatie|daten|kontaktdaten)(?:\s+(?:zijn|are|sind))?(?:\s+(?:for|voor|f(?:ü|ue)r)\s+(?:\S+\s+){0,2}?\S+)?\s*:?\s*$|^\s*(?:contact|kontakt|bereikbaar|reach\s+me)\s*:\s*$",
    )
});

/// "Mijn gegevens: Hanneke Brouwer, Lindenlaan 23, 8021 AB Zwolle, telefoon ...": the
/// intro with the details on its own line. The details must be there: a phone, an
/// e-mail address, a street or a postcode among its parts.
static DETAILS_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:mijn|onze|my|our|meine|unsere)\s+(?:contact\s*|persoons|adres|kontakt)?(?:gegevens|details|daten|angaben)(?:\s+(?:zijn|are|sind))?\s*:\s*",
    )
});

/// One mail text, split into its parts.
pub(super) struct Doc<'a> {
    lines: Vec<&'a str>,
    /// Forward headers and noise: never read.
    skip: Vec<bool>,
    /// Lines read as labelled fields: not part of the description.
    consumed: Vec<bool>,
    /// Lines of contact data in the body (a "Mijn gegevens:" block, a street, postcode,
    /// phone or e-mail line): not part of the description either.
    contact: Vec<bool>,
    /// The greeting line, and what follows the greeting on that line when it is content.
    greeting: Option<(usize, Option<&'a str>)>,
    /// The first line after the body: the closing line or the first line of a trailing
    /// contact block; `lines.len()` when there is neither.
    sig_start: usize,
    /// The first line of the signature proper (after the closing line).
    sig_body: usize,
    /// The name on the closing line itself ("Groet, Jan").
    pub(super) sig_inline_name: Option<String>,
    pub(super) labels: Labels,
}

impl<'a> Doc<'a> {
    pub(super) fn read(text: &'a str) -> Doc<'a> {
        let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
        let skip = skip_lines(&lines);
        let greeting = lines
            .iter()
            .enumerate()
            .find(|(i, l)| !skip[*i] && !l.trim().is_empty())
            .and_then(|(i, l)| {
                let m = GREETING.find(l)?;
                // "Hallo, ik wil een klacht indienen over ..." keeps what follows the comma.
                let rest = l[m.end()..]
                    .split_once([',', '!'])
                    .map(|(_, r)| r.trim())
                    .filter(|r| r.chars().count() >= 25);
                // A long line without a comma is content, not a greeting.
                (rest.is_some() || l.trim().chars().count() <= 60).then_some((i, rest))
            });
        let (sig_start, sig_body, sig_inline_name) = match closing(&lines, &skip) {
            // "Groet, Jan de Vries (06-12345678)": the closing line is part of the signature.
            Some((c, inline)) => (c, if inline.is_some() { c } else { c + 1 }, inline),
            None => match trailing_block(&lines, &skip) {
                Some(s) => (s, s, None),
                None => (lines.len(), lines.len(), None),
            },
        };
        let mut consumed = vec![false; lines.len()];
        let labels = read_labels(&lines, &skip, sig_start, &mut consumed);
        let contact = contact_lines(&lines);
        Doc {
            lines,
            skip,
            consumed,
            contact,
            greeting,
            sig_start,
            sig_body,
            sig_inline_name,
            labels,
        }
    }

    /// The lines before the closing and signature (noise skipped).
    pub(super) fn before_signature(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.sig_start)
            .filter(|i| !self.skip[*i])
            .map(|i| self.lines[i])
    }

    /// The signature lines (after the closing), skipping noise.
    pub(super) fn signature(&self) -> impl Iterator<Item = &'a str> + '_ {
        (self.sig_body..self.lines.len())
            .filter(|i| !self.skip[*i])
            .map(|i| self.lines[i])
    }

    /// The body lines (before the closing), skipping noise.
    pub(super) fn body(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.sig_start)
            .filter(|i| !self.skip[*i])
            .map(|i| self.lines[i])
    }

    /// The body as one text (for categories, services and dates).
    pub(super) fn body_text(&self) -> String {
        let mut out = String::new();
        for line in self.body() {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    pub(super) fn description(&self) -> Option<String> {
        if let Some(d) = self.labels.description.as_deref().and_then(substantive) {
            return Some(d);
        }
        let mut out = String::new();
        let mut blank = false;
        for i in 0..self.sig_start {
            if self.skip[i] || self.consumed[i] || self.contact[i] {
                continue;
            }
            let line = match self.greeting {
                Some((g, rest)) if g == i => match rest {
                    Some(r) => r,
                    None => continue,
                },
                _ => self.lines[i],
            };
            let line = line.trim();
            if line.is_empty() {
                blank = !out.is_empty();
                continue;
            }
            if blank {
                out.push_str("\n\n");
            } else if !out.is_empty() {
                out.push('\n');
            }
            blank = false;
            out.push_str(line);
        }
        substantive(&out).filter(|d| !says_nothing(d))
    }
}

/// Which lines are contact data: a "Mijn gegevens:" block, and lines that are only a
/// street, a postcode and town, a phone number or an e-mail address.
fn contact_lines(lines: &[&str]) -> Vec<bool> {
    let mut contact = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if DETAILS_INTRO.is_match(lines[i]) {
            contact[i] = true;
            let mut j = i + 1;
            // the block may start after one blank line
            if lines.get(j).is_some_and(|l| l.trim().is_empty()) {
                j += 1;
            }
            while j < lines.len() && !lines[j].trim().is_empty() {
                contact[j] = true;
                j += 1;
            }
            i = j;
            continue;
        }
        let l = lines[i];
        contact[i] = PC_LINE.is_match(l)
            || foreign_pc_line(l)
            || street_line(l)
            || only_contact(l)
            || details_inline(l);
        i += 1;
    }
    contact
}

fn details_inline(line: &str) -> bool {
    DETAILS_INLINE.find(line).is_some_and(|intro| {
        line[intro.end()..].split(',').any(|part| {
            let part = part.trim().trim_end_matches('.');
            find_phone(part).is_some()
                || EMAIL.is_match(part)
                || street_line(part)
                || PC_LINE.is_match(part)
                || foreign_pc_line(part)
        })
    })
}

/// A line that is a phone number or an e-mail address, perhaps with a short prefix
/// ("T ", "M:", "GSM").
fn only_contact(line: &str) -> bool {
    let mut rest = line.to_string();
    if let Some(p) = find_phone(line) {
        rest = rest.replacen(p, "", 1);
    } else if let Some(m) = EMAIL.find(line) {
        rest = rest.replacen(m.as_str(), "", 1);
    } else {
        return false;
    }
    rest.chars().filter(|c| c.is_alphanumeric()).count() <= 6
}

/// Marks forward header blocks (two or more header lines, one of them "Van:"/"From:"),
/// noise lines and legal footers.
fn skip_lines(lines: &[&str]) -> Vec<bool> {
    let mut skip: Vec<bool> = lines
        .iter()
        .map(|l| NOISE_LINE.is_match(l) || legal_footer(l))
        .collect();
    let mut i = 0;
    while i < lines.len() {
        if !HEADER_LINE.is_match(lines[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut from = false;
        while j < lines.len() && HEADER_LINE.is_match(lines[j]) {
            from |= FROM_HEADER.is_match(lines[j]);
            j += 1;
        }
        if from && j - i >= 2 {
            skip[i..j].iter_mut().for_each(|s| *s = true);
        }
        i = j;
    }
    skip
}

/// The closing line ("Met vriendelijke groet,") and the name on it, if any: the last one,
/// when only a short signature follows it.
fn closing(lines: &[&str], skip: &[bool]) -> Option<(usize, Option<String>)> {
    let mut found: Option<(usize, Option<String>)> = None;
    for (i, line) in lines.iter().enumerate() {
        if skip[i] {
            continue;
        }
        if let Some(inline) = closing_line(line) {
            found = Some((i, inline));
        }
    }
    let (mut c, mut inline) = found?;
    // A long text after the "closing" means it was not one.
    let after: Vec<&str> = (c + 1..lines.len())
        .filter(|i| !skip[*i])
        .map(|i| lines[i].trim())
        .filter(|l| !l.is_empty())
        .collect();
    if after.len() > 15
        || after
            .iter()
            .any(|l| l.chars().count() > 120 && label_of(l).is_none())
    {
        return None;
    }
    // "Met vriendelijke groet, / Kind regards," : the signature starts at the first; so
    // does "Thanks! / Tomasz / -- / Tomasz Nowak": a name signed above the "--".
    let written = |p: &usize| !skip[*p] && !lines[*p].trim().is_empty();
    while let Some(p) = (0..c).rev().find(written) {
        match closing_line(lines[p]) {
            Some(i) => {
                c = p;
                inline = inline.or(i);
            }
            None if lines[c].trim() == "--" && name_like(lines[p].trim(), 1) => {
                match (0..p)
                    .rev()
                    .find(written)
                    .map(|q| (q, closing_line(lines[q])))
                {
                    Some((q, Some(_))) => c = q,
                    _ => break,
                }
            }
            None => break,
        }
    }
    Some((c, inline))
}

/// `Some(name on the line)` when the line is a closing.
pub(super) fn closing_line(line: &str) -> Option<Option<String>> {
    closing_line_nested(line, true)
}

fn closing_line_nested(line: &str, nested: bool) -> Option<Option<String>> {
    let t = line.trim();
    if t == "--" {
        return Some(None);
    }
    let caps = CLOSING.captures(line)?;
    let tail = caps.name("tail").map_or("", |m| m.as_str());
    if tail.trim().is_empty() {
        return Some(None);
    }
    // "Groetenis" is no closing; "Groet, Jan" is.
    if !tail.starts_with(|c: char| c.is_whitespace() || ",.!:;-–/".contains(c)) {
        return None;
    }
    let rest = tail.trim_start_matches(|c: char| c.is_whitespace() || ",.!:;-–/".contains(c));
    let rest = trim_punct(rest);
    let name = strip_role(rest);
    if rest.is_empty() {
        Some(None)
    } else if name_like(&name, 1) {
        Some(Some(name))
    } else if let Some(inner) = nested.then(|| closing_line_nested(rest, false)).flatten() {
        // "Met vriendelijke groet / Kind regards,"
        Some(inner)
    } else {
        // "Met vriendelijke groet en alvast bedankt", "Groeten uit Utrecht": a few words
        // after an unmistakable closing.
        let head = t.to_lowercase();
        let unmistakable = ["groet", "regards", "mvg", "m.v.g", "hoogachtend"]
            .iter()
            .any(|w| head.contains(w));
        let short =
            rest.split_whitespace().count() <= 4 && !rest.chars().any(|c| c.is_ascii_digit());
        (unmistakable && short).then_some(None)
    }
}

/// Without a closing: a last paragraph of contact lines (name, street, postcode, phone,
/// e-mail) is a signature.
fn trailing_block(lines: &[&str], skip: &[bool]) -> Option<usize> {
    let mut start = None;
    let mut count = 0;
    for i in (0..lines.len()).rev() {
        let l = lines[i].trim();
        if skip[i] || l.is_empty() {
            continue;
        }
        if contact_like(l) {
            start = Some(i);
            count += 1;
        } else {
            break;
        }
    }
    let mut s = start?;
    // "Rebecca Lindqvist / 56-II Ferdinand Bolstraat / 1072 LL Amsterdam / +31 ...": a
    // paragraph of short lines that ends in contact lines is the signature, whole.
    if count >= 2 {
        let top = (0..s)
            .rev()
            .take_while(|p| skip[*p] || signature_like(lines[*p]))
            .last();
        if let Some(top) = top
            && (top == 0 || lines[top - 1].trim().is_empty())
        {
            count += (top..s).filter(|p| !skip[*p]).count();
            s = top;
        }
    }
    let first = strip_role(lines[s].trim());
    let first = first.as_str();
    // A lone first name as the last paragraph ("...\n\nIngrid") signs the mail too.
    let own_paragraph = s == 0 || lines[s - 1].trim().is_empty();
    let lone_name =
        count == 1 && own_paragraph && first.split_whitespace().count() == 1 && name_like(first, 1);
    (name_like(first, 2) || count >= 2 || lone_name).then_some(s)
}

/// A short line as a signature has them (a name, a street written another way, a
/// company): a few words, capitalised or a number first, no sentence.
fn signature_like(line: &str) -> bool {
    let l = line.trim();
    !l.is_empty()
        && l.split_whitespace().count() <= 5
        && l.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        && !l.ends_with(['.', '?', '!', ':', ';', ','])
}

pub(super) fn contact_like(line: &str) -> bool {
    if let Some((kind, _)) = label_of(line) {
        return matches!(
            kind,
            Label::Name
                | Label::Phone
                | Label::Email
                | Label::Street
                | Label::Postcode
                | Label::Town
                | Label::PostcodeTown
        );
    }
    if PC_LINE.is_match(line)
        || foreign_pc_line(line)
        || street_line(line)
        || name_like(&strip_role(line), 1)
    {
        return true;
    }
    // A line that is a phone number or an address, perhaps with a short prefix ("T ", "M:").
    let mut rest = line.to_string();
    if let Some(p) = find_phone(line) {
        rest = rest.replacen(p, "", 1);
    } else if let Some(m) = EMAIL.find(line) {
        rest = rest.replacen(m.as_str(), "", 1);
    } else {
        return false;
    }
    rest.chars().filter(|c| c.is_alphanumeric()).count() <= 6
}

fn substantive(text: &str) -> Option<String> {
    let t = text.trim();
    (t.chars().count() >= 20 && t.chars().any(char::is_alphabetic)).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use crate::domain::Category;
    use crate::intake::extract::tests::ex;

    #[test]
    fn labels_with_the_value_on_the_next_line() {
        let e = ex("Naam:
Karel van der Berg

Telefoonnummer:
020 - 123 45 67

Woonadres:
Laan van Meerdervoort 120-2
2517 AK Den Haag

Klacht:
Het lokaal was veel te klein voor twintig deelnemers en er was geen koffie.
");
        let f = &e.fields;
        assert_eq!(f.name.as_deref(), Some("Karel van der Berg"));
        assert_eq!(f.phone.as_deref(), Some("020 - 123 45 67"));
        assert_eq!(
            f.address.as_deref(),
            Some("Laan van Meerdervoort 120-2, 2517 AK Den Haag")
        );
        assert!(f.description.as_deref().unwrap().starts_with("Het lokaal"));
        assert_eq!(e.category, Some(Category::Organisation));
    }

    #[test]
    fn label_spellings() {
        let cases = [
            ("Tel.: 0612345678", "0612345678"),
            ("Tel: 010 1234567", "010 1234567"),
            ("Mob.: 06 1234 5678", "06 1234 5678"),
            ("Mobiel: 06-12345678", "06-12345678"),
            ("GSM: 0499-123456", "0499-123456"),
            ("Telefoon : 020-1234567 (na 17 uur)", "020-1234567"),
            ("**Telefoon:** 06 12345678", "06 12345678"),
        ];
        for (line, want) in cases {
            assert_eq!(ex(line).fields.phone.as_deref(), Some(want), "{line}");
        }
        let e = ex("Naam: Dhr. P. (Pieter) van den Heuvel");
        assert_eq!(e.fields.name.as_deref(), Some("P. van den Heuvel"));
        let e = ex(
            "Volledige naam: Anna de Wit\nE-mailadres: anna@wit.nl\nCursus: Persoonlijk leiderschap",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Anna de Wit"));
        assert_eq!(e.fields.email.as_deref(), Some("anna@wit.nl"));
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Leertraject Persoonlijk Leiderschap")
        );
        let e = ex(
            "Voornaam: Anna\nTussenvoegsel: de\nAchternaam: Wit\nPostcode en woonplaats: 9712cp Groningen\nAdres: Vismarkt 1",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Anna de Wit"));
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Vismarkt 1, 9712 CP Groningen")
        );
        // A labelled service that is not in the catalogue is kept as written.
        let e = ex("Dienst: Workshop Presenteren, op 3 november");
        assert_eq!(e.fields.service.as_deref(), Some("Workshop Presenteren"));
        // Empty form fields are absent.
        let e = ex("Naam: \nTelefoon: n.v.t.\nAdres: [uw adres]\nE-mail: -\n");
        assert_eq!(e.fields.name.as_deref(), Some("Jan de Vries"));
        assert_eq!(e.fields.phone, None);
        assert_eq!(e.fields.address, None);
        assert_eq!(e.fields.email.as_deref(), Some("jan.devries@example.nl"));
    }

    #[test]
    fn signature_after_each_closing() {
        for closing in [
            "Met vriendelijke groet,",
            "Met vriendelijke groeten,",
            "Vriendelijke groet",
            "Groet,",
            "Groeten,",
            "Hartelijke groet,",
            "Mvg,",
            "M.v.g.",
            "Met hartelijke groet,",
            "Kind regards,",
            "Best regards,",
            "Regards,",
            "Groetjes,",
            "--",
        ] {
            let text = format!(
                "Beste,\n\nDe training was slecht georganiseerd en de locatie was onvindbaar.\n\n{closing}\nMarieke el Amrani\nStationsweg 4\n3811 AB  Amersfoort\n06 1234 5678\nmarieke@example.com\n"
            );
            let e = ex(&text);
            let f = &e.fields;
            assert_eq!(f.name.as_deref(), Some("Marieke el Amrani"), "{closing}");
            assert_eq!(
                f.address.as_deref(),
                Some("Stationsweg 4, 3811 AB Amersfoort"),
                "{closing}"
            );
            assert_eq!(f.phone.as_deref(), Some("06 1234 5678"), "{closing}");
            assert_eq!(f.email.as_deref(), Some("marieke@example.com"), "{closing}");
            assert_eq!(
                f.description.as_deref(),
                Some("De training was slecht georganiseerd en de locatie was onvindbaar."),
                "{closing}"
            );
        }
    }

    #[test]
    fn name_on_the_closing_line_and_trailing_block_without_closing() {
        let e =
            ex("Het materiaal was verouderd en klopte niet met de website.\n\nGroet, Kees Visser");
        assert_eq!(e.fields.name.as_deref(), Some("Kees Visser"));
        assert_eq!(e.category, Some(Category::Content));
        let e = ex(
            "Het materiaal was verouderd en klopte niet met de website.\n\nKees Visser\nVan Goghlaan 3a\n5611 XX Eindhoven\ntel 040-1234567",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Kees Visser"));
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Van Goghlaan 3a, 5611 XX Eindhoven")
        );
        assert_eq!(e.fields.phone.as_deref(), Some("040-1234567"));
        assert_eq!(
            e.fields.description.as_deref(),
            Some("Het materiaal was verouderd en klopte niet met de website.")
        );
        let e = ex(
            "Er ging van alles mis met mijn inschrijving.\n\nMvg,\nJan\nPostbus 55\n1000 AB Amsterdam",
        );
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Postbus 55, 1000 AB Amsterdam")
        );
        // A first name in the signature: the sender's display name is fuller.
        assert_eq!(e.fields.name.as_deref(), Some("Jan de Vries"));
    }

    #[test]
    fn details_introduced_before_the_closing_are_no_description() {
        for (text, lacks) in [
            (
                "Hi,\n\nThe trainer never showed up on Monday.\n\nMy details for your records:\nAmy Clarke\n14 Keizersgracht, 1015 CS Amsterdam\n\nRegards,\nAmy",
                "Keizersgracht",
            ),
            (
                "Hallo,\n\nDe coach kwam drie keer niet opdagen.\n\nMijn gegevens: Els Vos, Markt 3, 5611 EB Eindhoven, telefoon 040-2123456.\n\nGroet,\nEls Vos",
                "040-2123456",
            ),
            (
                "Guten Tag,\n\nDas Seminar wurde ohne Nachricht abgesagt.\n\nMeine Daten: Lena Wolf, Ringstraße 9, 50667 Köln\n\nGruß\nLena Wolf",
                "Ringstraße",
            ),
        ] {
            let d = ex(text).fields.description.expect(text);
            assert!(!d.contains(lacks), "{d}");
        }
        // Details told in a sentence of the complaint stay.
        let d = ex("Hallo,\n\nMijn gegevens: die zijn bij de inschrijving kwijtgeraakt, daardoor kreeg ik geen uitnodiging voor dag 2.\n\nGroet,\nPiet")
            .fields
            .description
            .unwrap();
        assert!(d.contains("kwijtgeraakt"), "{d}");
    }

    #[test]
    fn framed_form_markers_are_no_text() {
        let e = ex(
            "Hallo,\n\nDe trainer was er niet.\n\n----- formulier -----\nTelefoonnummer: 06-12345678\n----- einde formulier -----\n\nGroet,\nJan",
        );
        assert_eq!(
            e.fields.description.as_deref(),
            Some("De trainer was er niet.")
        );
    }

    #[test]
    fn description_excludes_greeting_labels_and_signature() {
        let e = ex(
            "Hallo,\n\nNaam: Jan de Vries\n\nIk wil klagen over de inhoud van de training.\n\nDe lesstof was verouderd.\n\nGroeten,\nJan de Vries\n06-12345678",
        );
        assert_eq!(
            e.fields.description.as_deref(),
            Some("Ik wil klagen over de inhoud van de training.\n\nDe lesstof was verouderd.")
        );
        // What follows the greeting on its line is content...
        let e = ex("Hallo, de training van vorige week begon twee uur te laat zonder bericht.");
        assert_eq!(
            e.fields.description.as_deref(),
            Some("de training van vorige week begon twee uur te laat zonder bericht.")
        );
        // ...but a complaint only announced describes nothing (issue 12).
        let e = ex("Hallo, ik wil graag een klacht indienen over de training van vorige week.");
        assert_eq!(e.fields.description, None);
        assert_eq!(
            ex("Beste,\n\nZie bijlage.\n\nGroet,\nJan")
                .fields
                .description,
            None
        );
        assert_eq!(ex("").fields.description, None);
    }

    #[test]
    fn contact_blocks_and_foreign_sign_offs_stay_out_of_the_description() {
        let e = ex(
            "De coach is drie keer niet komen opdagen, steeds zonder bericht.\n\nMijn gegevens:\nLinda Jacobs\nBerkenlaan 21\n5612 AB Eindhoven\n06 38 29 10 47\n\nIk hoor graag van u.",
        );
        let d = e.fields.description.unwrap();
        assert!(
            !d.contains("Berkenlaan") && !d.contains("06 38") && !d.contains("Linda"),
            "{d}"
        );
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Berkenlaan 21, 5612 AB Eindhoven")
        );
        for closing in [
            "Viele Grüße",
            "Mit freundlichen Grüßen",
            "Liebe Grüße",
            "Best wishes,",
            "All the best,",
            "Liefs,",
            "Take care,",
        ] {
            let e = ex(&format!(
                "Mein Termin am 11. November wurde eine Stunde vorher abgesagt, zum dritten Mal.\n\n{closing}\nSabine Hoffmann\nTel. 0049 211 5566778"
            ));
            let d = e.fields.description.unwrap();
            assert!(
                !d.contains("Sabine") && !d.contains("0049"),
                "{closing}: {d}"
            );
            assert_eq!(
                e.fields.phone.as_deref(),
                Some("0049 211 5566778"),
                "{closing}"
            );
        }
    }

    #[test]
    fn legal_footers_and_signatures_after_them_stay_out_of_the_description() {
        let body =
            "De trainer kwam op 4 november een uur te laat en de oefeningen zijn overgeslagen.";
        for footer in [
            "Dit e-mailbericht is uitsluitend bestemd voor de geadresseerde. Indien u dit bericht onterecht ontvangt, wordt u verzocht het te verwijderen en de afzender te informeren. Wij aanvaarden geen aansprakelijkheid voor schade.",
            "Aan dit bericht kunnen geen rechten worden ontleend. Dit bericht kan vertrouwelijke informatie bevatten en is alleen bedoeld voor de geadresseerde; gebruik door anderen is niet toegestaan.",
            "This e-mail and any attachments are confidential and intended solely for the addressee. If you have received it in error, please notify the sender and delete it. Fenwick Ltd is registered in England and Wales, no. 01234567.",
            "Nordbau GmbH | Sitz: Köln | Amtsgericht Köln HRB 12345 | Geschäftsführer: Peter Lang, Eva Roth",
            "Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender und löschen Sie diese E-Mail.",
            // a disclaimer with the company's terms, in one long line
            "*** Dit bericht kan vertrouwelijke informatie bevatten. Bent u niet de beoogde ontvanger, verwijder het dan en informeer de afzender. Op al onze diensten zijn de Algemene Transportvoorwaarden van toepassing. ***",
            "Op al onze offertes en overeenkomsten zijn de Algemene Voorwaarden Bouw van toepassing, gedeponeerd bij de KvK onder nummer 12345678 en te vinden op onze website, die wij u op verzoek kosteloos toezenden.",
            "Our general terms and conditions apply to all our services; they are available on request from our office at no cost to you, in English and in Dutch.",
        ] {
            let e = ex(&format!(
                "{body}\n\nMet vriendelijke groet,\n\nKees Brandsma\nTeamleider Planning\nT 050 311 22 09\n\n{footer}"
            ));
            let d = e.fields.description.unwrap();
            assert_eq!(d, body, "{footer}");
            assert_eq!(e.fields.phone.as_deref(), Some("050 311 22 09"), "{footer}");
        }
        // A degree before the signed name is no part of the name.
        for signed in [
            "drs. Annelies Bakker",
            "Dr Annelies Bakker",
            "ir. Annelies Bakker",
        ] {
            let e = ex(&format!(
                "{body}\n\nMet vriendelijke groet,\n\n{signed}\nHR-adviseur"
            ));
            assert_eq!(
                e.fields.name.as_deref(),
                Some("Annelies Bakker"),
                "{signed}"
            );
        }
        // The same words about an invoice are a complaint.
        let e = ex(
            "Het is niet netjes als u onterecht een factuur stuurt en daarna dreigt met een incassobureau.\n\nGroet,\nKees",
        );
        assert!(e.fields.description.unwrap().contains("incassobureau"));
        // A complainant quoting such a clause is describing the complaint.
        let quoted = "In uw voorwaarden staat dat numun geen aansprakelijkheid aanvaardt, maar mijn laptop is in uw lokaal gestolen en volgens mij aanvaardt numun geen aansprakelijkheid ten onrechte.";
        let e = ex(&format!("{quoted}\n\nGroet,\nKees"));
        assert!(e.fields.description.unwrap().contains("laptop"));
    }

    #[test]
    fn a_name_signed_above_the_dashes_is_part_of_the_signature() {
        for closing in ["Thanks in advance!", "Groeten,", "Best,"] {
            let e = ex(&format!(
                "The coach cancelled our last two sessions an hour before, without any reason.\n\n{closing}\n\nMarta\n\n--\nMarta Kowalska\nKowalska Consulting\n+31 6 4455 6677"
            ));
            assert_eq!(
                e.fields.description.as_deref(),
                Some(
                    "The coach cancelled our last two sessions an hour before, without any reason."
                ),
                "{closing}"
            );
            assert_eq!(
                e.fields.phone.as_deref(),
                Some("+31 6 4455 6677"),
                "{closing}"
            );
        }
        // Without a closing above it, the line before the dashes is the text's.
        let e = ex("De coach heeft drie sessies afgezegd.\n\nMarta\n\n--\nMarta Kowalska");
        assert!(e.fields.description.unwrap().contains("Marta"));
    }

    #[test]
    fn german_sign_offs_and_a_signature_paragraph_of_short_lines() {
        for closing in [
            "Mit freundlichen Grüßen",
            "Mit freundlichen Grüssen",
            "Grüße",
            "Freundliche Grüsse",
        ] {
            let e = ex(&format!(
                "Sehr geehrte Damen und Herren,\n\ndas Seminar am 3. November begann zwei Stunden zu spät.\n\n{closing}\n\nDr. Jana Krüger\nAm Markt 4\n47533 Kleve"
            ));
            assert_eq!(
                e.fields.description.as_deref(),
                Some("das Seminar am 3. November begann zwei Stunden zu spät."),
                "{closing}"
            );
        }
        // Without a closing: a name, a street written number first, postcode, phone.
        let e = ex(
            "The workshop of 9 November was cancelled an hour before it started.\n\nOliver Grant\n12-III Van Woustraat\n1073 LN Amsterdam\n+31 6 1122 3344",
        );
        assert_eq!(
            e.fields.description.as_deref(),
            Some("The workshop of 9 November was cancelled an hour before it started.")
        );
        // A last sentence written without a full stop stays in.
        let e = ex(
            "De trainer was er niet en niemand heeft ons gebeld\nPiet Hein\n3511 AB Utrecht\n06 12345678",
        );
        assert!(
            e.fields
                .description
                .unwrap()
                .contains("niemand heeft ons gebeld")
        );
    }
}
