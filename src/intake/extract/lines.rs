//! The text as lines: forward headers, greeting, closing and signature, contact blocks;
//! the labelled fields are read by `labels`, what describes nothing by `no_facts`.

use crate::intake::pattern::Pattern;

use super::addresses::{PC_LINE, foreign_pc_line, postcode_first, street_line, without_label};
use super::contacts::{EMAIL, find_phone};
use super::labels::{Label, Labels, label_of, read_labels};
use super::names::{name_like, strip_role};
use super::no_facts::says_nothing;
use super::{re, trim_punct};

/// A forwarded-header line ("Van: ...", "Sent: ...").
static HEADER_LINE: Pattern = Pattern::new(|| {
    re(
        r"(?i)^[\s>*]*(van|from|aan|to|cc|bcc|onderwerp|subject|verzonden|sent|datum|date|beantwoorden aan|antwoord aan|reply-to|von|an|betreff|gesendet)[\s*]*:",
    )
});
static FROM_HEADER: Pattern = Pattern::new(|| re(r"(?i)^[\s>*]*(van|from|von)[\s*]*:"));

/// Whether a line opens a quoted mail or is noise around it: a header line ("Van: ...",
/// "Verzonden: ..."), an attribution ("Op ... schreef ...:"), a separator.
pub(super) fn opens_a_quote(line: &str) -> bool {
    HEADER_LINE.is_match(line) || NOISE_LINE.is_match(line)
}
/// Lines that are never content: forward separators, "Op ... schreef ...:", mobile
/// boilerplate.
static NOISE_LINE: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\s*(?:>|[-_=]{3,}[\s\-_=]*$|[-_=*]{3,}\s*[\w ]{1,40}?\s*[-_=*]{3,}\s*$|[-_=]{2,}\s*(?:original message|oorspronkelijk bericht|origineel bericht|forwarded message|doorgestuurd bericht|doorgestuurd|forwarded)\b.*$|begin (?:forwarded|doorgestuurd) (?:message|bericht)|(?:op|on|am|le)\s.+\s(?:schreef|wrote|schrieb|a écrit)\b(?:.*:\s*$|.*[<@]|\s*$)|(?:verzonden|verstuurd) (?:vanaf|vanuit|met|via|from) |sent (?:from|with|via) (?:my\s)?\S+\s*\S*\s*$|von meinem \S+(?:\s\S+)?\s(?:gesendet|verschickt|gesandt)\s*$|gesendet (?:von|mit|vom) (?:meinem\s)?\S+|envoy[ée] (?:de|depuis|avec) (?:mon\s)?\S+|get outlook for|download outlook|outlook voor (?:ios|android))",
    )
});
/// A line of a company's legal footer: a confidentiality disclaimer ("Dit e-mailbericht
/// is uitsluitend bestemd voor de geadresseerde", "This e-mail is intended solely for
/// ..."), a liability clause, or the register entry ("registered in England and Wales",
/// "Amtsgericht Düsseldorf HRB 84512 | Geschäftsführer: ..."). Never the complaint.
static DISCLAIMER_LINE: Pattern = Pattern::new(|| {
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
static FIRST_PERSON: Pattern =
    Pattern::new(|| re(r"(?i)\b(?:ik|mij|mijn|i|my|me|ich|mir|mich|mein\w*)\b"));

fn legal_footer(line: &str) -> bool {
    DISCLAIMER_LINE.is_match(line) && !FIRST_PERSON.is_match(line)
}

static GREETING: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\s*(?:geachte|beste|lieve|hallo|hoi|hi|hey|dear|dag|goedemorgen|goeiemorgen|goeiedag|goedemiddag|goedenavond|goedendag|goede ?dag|l\.\s?s\.|to whom it may concern|hello|good (?:morning|afternoon|evening)|sehr geehrte[rn]?|guten (?:tag|morgen|abend)|liebe[rs]?|moin|gr(?:ü|ue)(?:ß|ss) gott)\b",
    )
});
/// A closing; `rest` is what follows on the same line (a name, or nothing).
static CLOSING: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\s*(?:(?:met\s+)?(?:(?:heel\s+)?(?:vriendelijke|hartelijke|beste|lieve|warme|zonnige|collegiale|sportieve)\s+)?groet(?:en|jes)?|m\.\s?v\.\s?g\.?|mvg|(?:mit\s+)?(?:(?:freundlichen|freundliche|viele|liebe|beste|herzliche|sch(?:ö|oe)ne)\s+)?gr(?:ü|ue)(?:ß|ss)(?:en|e)?|gr\.?|(?:(?:kind|best|warm|warmest|kindest|many)\s+)?regards|(?:yours\s+)?(?:sincerely|faithfully|truly)|hoogachtend|cheers|liefs|mfg|lg|(?:best|warm|kind)\s+wishes|all\s+the\s+best|take\s+care|vriendelijke\s+groeten|(?:alvast\s+)?(?:bedankt|dank\s*(?:u|je)\s*wel)|(?:many\s+)?thanks(?:\s+in\s+advance)?|thank\s+you|best)(?P<tail>.*)$",
    )
});

/// A line that introduces the complainant's contact details ("Mijn gegevens:"): it and
/// the lines after it, up to a blank line, are contact data, not the complaint.
static DETAILS_INTRO: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\s*(?:(?:mijn|onze|my|our|meine|de|the)\s+)?(?:contact\s*|persoons|adres|n\.?a\.?w\.?\s*)?(?:gegevens|details|information|info|informatie|daten|kontaktdaten)(?:\s+(?:zijn|are|sind))?(?:\s+(?:for|voor|f(?:ü|ue)r)\s+(?:\S+\s+){0,2}?\S+)?\s*:?\s*$|^\s*(?:contact|kontakt|bereikbaar|reach\s+me)\s*:\s*$",
    )
});

/// "Mijn gegevens: Hanneke Brouwer, Lindenlaan 23, 8021 AB Zwolle, telefoon ...": the
/// intro with the details on its own line. The details must be there: a phone, an
/// e-mail address, a street or a postcode among its parts.
static DETAILS_INLINE: Pattern = Pattern::new(|| {
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
        substantive(&without_reach_me(&out)).filter(|d| !says_nothing(d))
    }
}

/// "Ik ben bereikbaar op 06-18273645, liefst na 17.00 uur.", "U kunt mij bellen op ...",
/// "You can reach me on +44 ... after 5pm", "Telefonisch bin ich unter 0211 ...
/// erreichbar": how to reach her, a sentence of its own.
static REACH_ME: Pattern = Pattern::new(|| {
    re(
        r"(?ix)^(?:(?:voor|bij)\s+(?:eventuele\s+|verdere\s+)?(?:vragen|meer\s+informatie|toelichting)|if\s+you\s+have\s+(?:any\s+)?(?:further\s+)?questions|for\s+(?:any\s+)?(?:further\s+)?(?:questions|information)|(?:f(?:ü|ue)r|bei)\s+(?:r(?:ü|ue)ckfragen|fragen)|(?:mocht(?:en)?|als|indien)\s+(?:u|jullie|je)\s+(?:nog\s+)?vragen\s+(?:hebben|heeft|hebt)|should\s+you\s+have\s+any\s+(?:further\s+)?questions|sollten\s+sie\s+(?:noch\s+)?fragen\s+haben)?\s*,?\s*(?:(?:dan|then|so)\s+)?(?:
        (?:ik\s+ben|ben\s+ik|i\s+am|i.m|ich\s+bin|bin\s+ich)\s+(?:\S+\s+){0,4}?(?:bereikbaar|te\s+bereiken|reachable|erreichbar|zu\s+erreichen)
        |(?:telefonisch|overdag|mobiel|mobil|tags(?:ü|ue)ber)\s+(?:ben|bin)\s+(?:ik|ich)\b
        |(?:u|je|jullie|ge|gij)\s+(?:kunt|kan|mag|moogt|kunnen)\s+(?:mij|me)\s+(?:\S+\s+){0,4}?(?:bellen|bereiken|appen|terugbellen|contacteren)
        |(?:you\s+can|you\s+may|feel\s+free\s+to|please\s+(?:feel\s+free\s+to\s+)?)\s*(?:\S+\s+)?(?:reach|call|ring|phone|contact|text)\s+me
        |i\s+can\s+be\s+(?:reached|contacted)
        |sie\s+(?:k(?:ö|oe)nnen\s+mich\s+(?:\S+\s+){0,6}?(?:erreichen|anrufen)|erreichen\s+mich)
        |(?:bel|belt\s+u)\s+(?:(?:mij|me)\s+)?(?:gerust|maar|graag)
        |(?:mijn|my|meine)\s+(?:mobiel(?:tje)?|mobile|cell|gsm|handy|06)\s+(?:is|ist|luidt)
        |(?:mijn|my|meine)\s+(?:telefoon|mobiele\s+|gsm|phone\s+|mobile\s+|handy|telefon|tel\.?\s*)?(?:nummer|number|no\.?)\s+(?:is|luidt|ist|lautet)
        )\b(?:[^.!?]|\.\d)*[.!?]?$",
    )
});

/// A reach sentence that goes on to tell ("Ik ben de hele dag bereikbaar geweest, maar
/// niemand belde terug"): a fact, kept.
static GOES_ON: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b(?:maar|but|aber|omdat|because|weil|terwijl|while|whereas|w(?:ä|ae)hrend|niemand|nobody|no\s+one|nooit|never|geweest|gewesen|been|was|war|were)\b",
    )
});

/// How she prefers to be reached, after a reach sentence: "..., maar ik heb liever eerst
/// mail", "but I prefer email", "aber lieber per Mail". No fact goes on with it.
static PREFERS: Pattern = Pattern::new(|| {
    re(
        r"(?i),?\s*\b(?:maar|but|aber)\s+(?:(?:ik|i|ich)\s+(?:heb|would|h(?:ä|ae)tte|habe|zou)?\s*)?(?:\S+\s+){0,2}?(?:liever|bij\s+voorkeur|het\s+liefst|prefer\w*|rather|lieber|am\s+liebsten)\b[^.!?]*",
    )
});

/// `text` without the sentences that say how to reach her among those it ends with that
/// tell nothing ("Ik ben bereikbaar op 06-..., liefst na 17.00 uur. Ik hoor graag van u."):
/// they are her contact details, not the description.
fn without_reach_me(text: &str) -> String {
    // The text's sentences: cut at a line end and after ".", "!" or "?" before a space.
    let mut spans = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next_space = chars.get(k + 1).is_none_or(|(_, n)| n.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?') && next_space) {
            spans.push(start..i + c.len_utf8());
            start = i + c.len_utf8();
        }
    }
    spans.push(start..text.len());
    let reach = |s: &str| {
        let s = s.trim();
        REACH_ME.is_match(s)
            && !GOES_ON.is_match(&PREFERS.replace_all(s, ""))
            && (find_phone(s).is_some() || EMAIL.is_match(s) || s.split_whitespace().count() <= 12)
    };
    let mut cut = Vec::new();
    for span in spans.iter().rev() {
        let s = text[span.clone()].trim();
        if s.is_empty() {
            continue;
        }
        if reach(s) {
            cut.push(span.clone());
        } else if !says_nothing(s) {
            break;
        }
    }
    if cut.is_empty() {
        return text.to_string();
    }
    let mut out = String::new();
    for span in spans.iter().filter(|s| !cut.contains(s)) {
        out.push_str(&text[span.clone()]);
    }
    let lines: Vec<&str> = out.split('\n').map(str::trim).collect();
    let mut joined = lines.join("\n");
    while joined.contains("\n\n\n") {
        joined = joined.replace("\n\n\n", "\n\n");
    }
    joined.trim().to_string()
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
            || address_line(l)
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
    // "Viele Grüße / Heike Lorenz / Rheinallee 7 ... / -- / Diese Nachricht wurde ...": a
    // "--" under a signed closing starts a footer; the signature starts at the closing.
    if lines[c].trim() == "--"
        && let Some(q) = (0..c)
            .rev()
            .find(|&q| !skip[q] && lines[q].trim() != "--" && closing_line(lines[q]).is_some())
    {
        let between: Vec<&str> = (q + 1..c)
            .filter(|p| !skip[*p] && !lines[*p].trim().is_empty())
            .map(|p| lines[p].trim())
            .collect();
        if !between.is_empty()
            && between.len() <= 8
            && between.iter().all(|l| contact_like(l) || signature_like(l))
        {
            c = q;
            inline = closing_line(lines[q]).flatten();
        }
    }
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
    // "Gr. R", "Groet, J.P.": initials sign, but name no one
    let initials = !rest.is_empty()
        && rest.len() <= 8
        && rest
            .split(['.', ' '])
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase));
    if rest.is_empty() || initials {
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

/// An address written on one line in a way the plain street and postcode lines do not
/// cover: the postcode first ("8021 CK Zwolle, Assendorperstraat 88a"), or after a label
/// without a colon ("adres Hogeweg 211, 3815 CH Amersfoort", "woonadres Dorpsstraat 4").
fn address_line(line: &str) -> bool {
    let bare = without_label(line);
    postcode_first(line).is_some()
        || (bare.len() < line.len()
            && (street_line(bare)
                || street_and_pc_line(bare)
                || PC_LINE.is_match(bare)
                || foreign_pc_line(bare)))
}

/// A street and a Dutch postcode and town on one line: "Vossenlaan 22 7522 GH Enschede",
/// "Laan van Meerdervoort 300, 2563 AG Den Haag".
fn street_and_pc_line(line: &str) -> bool {
    static PC_AT: Pattern = Pattern::new(|| re(r"\b[1-9][0-9]{3}\s?[A-Z]{2}\b"));
    PC_AT.find_iter(line).any(|m| {
        let street = line[..m.start()].trim().trim_end_matches(',').trim();
        !street.is_empty() && street_line(street) && PC_LINE.is_match(&line[m.start()..])
    })
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
        || street_and_pc_line(line)
        || address_line(line)
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
mod tests;
