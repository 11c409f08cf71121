//! The mandatory content of a complaint (art. 3.2), its category (art. 1) and the date of
//! the facts, from labelled fields and free text, in Dutch and English.
//!
//! How the text is read, in order of preference for every field:
//! 1. labelled fields ("Naam: ...", "Telefoon:", "E-mail:", a filled-in form, the value on
//!    the same or the next line);
//! 2. the signature block after a closing ("Met vriendelijke groet," and the lines after
//!    it), or a trailing block of contact lines when there is no closing;
//! 3. free text ("mijn naam is ...", "bereikbaar op x@y.nl", "de training X", a date in
//!    the description);
//! 4. the mail headers (the sender's address and display name).
//!
//! For a forwarded complaint the fields come from the forwarded text and the complainant is
//! the forwarded sender, not the forwarder.
//!
//! The values, as [`Fields`] holds them:
//! - `name`: as written, whitespace collapsed ("Jan de Vries"; "Vries, Jan de" as a
//!   display name becomes "Jan de Vries");
//! - `address`: "Street 12, 1234 AB Town": the street line and the postcode line joined
//!   with ", ", the postcode normalised to "1234 AB"; only the parts that are present;
//! - `phone`: as written, trimmed ("06-12345678", "+31 (0)6 12345678");
//! - `email`: as written;
//! - `service`: the catalogue's canonical name when the text names a service or one of its
//!   aliases, else the labelled value as written, else "Training X" for a free-text
//!   mention ("de training X");
//! - `description`: the complaint text without greeting, labelled fields and signature,
//!   blank-line runs collapsed; `None` when under 20 characters;
//! - `incident_date`: the first date of the facts on or before the mail's date.
//!
//! Pure and total: no IO, no clock, never panics, linear in the size of the text; at most
//! the first 64 KB of the text are read (a complaint is never longer).

use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

use super::parse::{Address, Message};
pub use crate::domain::{Category, Fields};

/// The company's services, each with the aliases people use for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCatalogue {
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extraction {
    pub fields: Fields,
    pub category: Option<Category>,
    pub serious: bool,
}

/// `sent` is the mail's date (for dates written without a year).
pub fn extract(message: &Message, catalogue: &ServiceCatalogue, sent: NaiveDate) -> Extraction {
    let forwarded = message.forwarded.as_ref();
    let text = head(
        forwarded.map_or(message.text.as_str(), |f| f.text.as_str()),
        MAX_TEXT,
    );
    // For a forward, the forwarding note (the new text of the mail) is a last resort.
    let note = if forwarded.is_some() {
        head(&message.text, MAX_NOTE)
    } else {
        ""
    };
    let sender = forwarded
        .and_then(|f| f.from.as_ref())
        .or(message.from.as_ref());
    let mut subject = head(&message.subject, MAX_SUBJECT).to_string();
    if let Some(s) = forwarded.and_then(|f| f.subject.as_deref()) {
        subject.push('\n');
        subject.push_str(head(s, MAX_SUBJECT));
    }

    let doc = Doc::read(text);
    let ignored = Ignored::new(message);

    let description = doc.description();
    let body = doc.body_text();
    let fields = Fields {
        name: doc.name(message, sender),
        address: doc.address(),
        phone: doc.phone(),
        email: doc.email(message, sender, &ignored),
        service: service(&doc, &subject, &body, note, catalogue),
        incident_date: doc.incident_date(description.as_deref(), &body, &subject, sent),
        description,
    };

    // The forwarder's signature ("Jan Smit | Trainer") says nothing about the complaint.
    let note_body = Doc::read(note).body_text();
    let category = category(&[&subject, &note_body, &body], catalogue);
    Extraction {
        fields,
        category,
        serious: category.is_some_and(Category::is_serious),
    }
}

/// How much of a mail's text is read (bytes). No complaint is longer; a longer text (a
/// pasted log, an attack) is read up to here so intake stays fast, also in debug builds.
/// The raw mail, complete, stays in the store for the owner.
const MAX_TEXT: usize = 64 * 1024;
const MAX_NOTE: usize = 16 * 1024;
const MAX_SUBJECT: usize = 1024;

/// The first `max` bytes of `s` at most, ending on a line end when there is one in the
/// second half, else on a char boundary.
fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    match s[..end].rfind('\n') {
        Some(nl) if nl >= max / 2 => &s[..nl],
        _ => &s[..end],
    }
}

/// Compiles a built-in pattern, with ASCII word boundaries (`\b`) so the fast engines stay
/// usable on non-ASCII text.
fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).expect("a valid built-in pattern")
}

// ---------------------------------------------------------------------------------------
// The text as lines: forward headers, greeting, closing and signature, labelled fields.

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
        r"(?i)^\s*(?:>|[-_=]{3,}[\s\-_=]*$|[-_=]{2,}\s*(?:original message|oorspronkelijk bericht|origineel bericht|forwarded message|doorgestuurd bericht|doorgestuurd|forwarded)\b.*$|begin (?:forwarded|doorgestuurd) (?:message|bericht)|(?:op|on|am|le)\s.+\s(?:schreef|wrote|schrieb|a écrit)\b(?:.*:\s*$|.*[<@]|\s*$)|(?:verzonden|verstuurd) (?:vanaf|vanuit|met|via|from) |sent (?:from|with|via) (?:my\s)?\S+\s*\S*\s*$|get outlook for|download outlook|outlook voor (?:ios|android))",
    )
});
static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:geachte|beste|lieve|hallo|hoi|hi|hey|dear|dag|goedemorgen|goeiemorgen|goeiedag|goedemiddag|goedenavond|goedendag|goede ?dag|l\.\s?s\.|to whom it may concern|hello|good (?:morning|afternoon|evening))\b",
    )
});
/// A closing; `rest` is what follows on the same line (a name, or nothing).
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:met\s+)?(?:(?:heel\s+)?(?:vriendelijke|hartelijke|beste|lieve|warme|zonnige|collegiale|sportieve)\s+)?groet(?:en|jes)?|m\.\s?v\.\s?g\.?|mvg|gr\.?|(?:(?:kind|best|warm|warmest|kindest|many)\s+)?regards|(?:yours\s+)?(?:sincerely|faithfully|truly)|hoogachtend|cheers|(?:alvast\s+)?(?:bedankt|dank\s*(?:u|je)\s*wel)|(?:many\s+)?thanks(?:\s+in\s+advance)?|thank\s+you|best)(?P<tail>.*)$",
    )
});

/// The labels of a complaint form. Matched with the whole line; the value follows the
/// colon (or is on the next line).
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?ix)^\s*(?:[-*•·–>]+\s*)?[*_]*\s*(?:(?:uw|je|jouw|your|my|mijn)\s+)?(?P<l>
        volledige\s+naam|naam\s+(?:van\s+de\s+)?(?:klager|deelnemer|training|cursus|workshop|opleiding)
        |voor-?\s*en\s+achternaam|voornaam|achternaam|tussenvoegsels?|naam|full\s+name|first\s+name|last\s+name|surname|family\s+name|name
        |postcode\s*(?:en|/|\+|&)?\s*(?:woon)?plaats|postcode|postal\s+code|post\s+code|zip(?:\s*code)?
        |woonplaats|plaats|city|town
        |woonadres|huisadres|postadres|adres|straat(?:\s*(?:en|\+|&|/)\s*huisnummer)?|street(?:\s+address)?|home\s+address|postal\s+address|address
        |telefoonnummer|telefoon\s+nummer|telefoonnr\.?|telefoon|tel\.?\s*nr\.?|tel\.?|mobiele?\s+nummer|mobiel(?:\s*nr\.?)?|mob\.?|gsm|phone\s+number|telephone(?:\s+number)?|phone|mobile(?:\s+(?:phone|number))?|cell(?:\s*phone)?
        |e-?\s?mail-?\s?adres|e-?mail\s+address|e-?mail|mailadres|mail
        |gevolgde\s+(?:training|cursus|workshop|opleiding)|afgenomen\s+dienst
        |datum\s+(?:van\s+(?:het|de)\s+)?(?:voorval|incident|gebeurtenis|training|cursus|workshop)|trainingsdatum|datum|wanneer|date\s+of\s+(?:the\s+)?incident|incident\s+date|date
        |omschrijving(?:\s+(?:van\s+(?:de\s+)?)?klacht)?|klachtomschrijving|klacht|beschrijving|toelichting|description(?:\s+of\s+(?:the\s+)?complaint)?|complaint|bericht|message|opmerkingen?|wat\s+is\s+er\s+gebeurd|what\s+happened
        |training|cursus|dienst|workshop|opleiding|leertraject|service|course
        )\s*(?:\([^)\n]*\))?\s*[*_]*\s*[:：]\s*[*_]*\s*(?P<v>.*?)\s*$",
    )
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Name,
    FirstName,
    Particle,
    LastName,
    Street,
    Postcode,
    Town,
    PostcodeTown,
    Phone,
    Email,
    Service,
    /// The date of the facts ("Datum voorval:", "Wanneer:").
    Date,
    /// Just "Datum:" / "Date:": the facts, or perhaps the date of the letter.
    PlainDate,
    Description,
}

fn label_kind(label: &str) -> Label {
    let l: String = label
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    let has = |s: &str| l.contains(s);
    if has("mail") {
        Label::Email
    } else if l.starts_with("tel")
        || l.starts_with("mob")
        || l == "gsm"
        || has("phone")
        || l.starts_with("cell")
    {
        Label::Phone
    } else if l.starts_with("naam")
        && ["training", "cursus", "workshop", "opleiding"]
            .iter()
            .any(|k| has(k))
    {
        Label::Service
    } else if matches!(l.as_str(), "voornaam" | "firstname") {
        Label::FirstName
    } else if l.starts_with("tussenvoegsel") {
        Label::Particle
    } else if matches!(
        l.as_str(),
        "achternaam" | "lastname" | "surname" | "familyname"
    ) {
        Label::LastName
    } else if l.starts_with("postcode") && has("plaats") {
        Label::PostcodeTown
    } else if l.starts_with("postcode") || l.starts_with("postalcode") || l.starts_with("zip") {
        Label::Postcode
    } else if matches!(l.as_str(), "woonplaats" | "plaats" | "city" | "town") {
        Label::Town
    } else if has("adres") || has("address") || l.starts_with("straat") || l.starts_with("street") {
        Label::Street
    } else if l == "datum" || l == "date" {
        Label::PlainDate
    } else if l.starts_with("datum")
        || l.starts_with("trainingsdatum")
        || l == "wanneer"
        || has("date")
    {
        Label::Date
    } else if has("omschrijving")
        || has("klacht")
        || has("bericht")
        || has("message")
        || has("opmerking")
        || has("gebeurd")
        || has("happened")
        || has("beschrijving")
        || has("toelichting")
        || has("description")
        || has("complaint")
    {
        Label::Description
    } else if has("naam") || has("name") {
        Label::Name
    } else {
        Label::Service
    }
}

/// A label line: its kind and the value on the line (possibly empty).
fn label_of(line: &str) -> Option<(Label, &str)> {
    let caps = LABEL.captures(line)?;
    let kind = label_kind(caps.name("l")?.as_str());
    Some((kind, caps.name("v").map_or("", |m| m.as_str())))
}

/// A value as filled in, or "" for the usual ways of leaving a form field empty.
fn clean_value(value: &str) -> &str {
    let v = value.trim().trim_matches(|c| c == '*' || c == '_').trim();
    let lower = v.to_lowercase();
    let placeholder = matches!(
        lower.as_str(),
        "-" | "--"
            | "n.v.t."
            | "n.v.t"
            | "nvt"
            | "n/a"
            | "na"
            | "none"
            | "geen"
            | "onbekend"
            | "unknown"
            | "..."
            | "…"
            | "?"
            | "x"
            | "nee"
            | "leeg"
            | "idem"
            | "zie boven"
    );
    let template = ((v.starts_with('[') && v.ends_with(']'))
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('{') && v.ends_with('}')))
        && !v.contains('@');
    if placeholder || template || v.chars().all(|c| c == '.' || c == '_') {
        ""
    } else {
        v
    }
}

#[derive(Debug, Default)]
struct Labels {
    name: Option<String>,
    first: Option<String>,
    particle: Option<String>,
    last: Option<String>,
    street: Option<String>,
    postcode: Option<String>,
    town: Option<String>,
    postcode_town: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    service: Option<String>,
    date: Option<String>,
    plain_date: Option<String>,
    description: Option<String>,
}

impl Labels {
    fn slot(&mut self, kind: Label) -> &mut Option<String> {
        match kind {
            Label::Name => &mut self.name,
            Label::FirstName => &mut self.first,
            Label::Particle => &mut self.particle,
            Label::LastName => &mut self.last,
            Label::Street => &mut self.street,
            Label::Postcode => &mut self.postcode,
            Label::Town => &mut self.town,
            Label::PostcodeTown => &mut self.postcode_town,
            Label::Phone => &mut self.phone,
            Label::Email => &mut self.email,
            Label::Service => &mut self.service,
            Label::Date => &mut self.date,
            Label::PlainDate => &mut self.plain_date,
            Label::Description => &mut self.description,
        }
    }

    /// The first non-empty value of a kind wins.
    fn set(&mut self, kind: Label, value: String) {
        let slot = self.slot(kind);
        if slot.is_none() && !value.trim().is_empty() {
            *slot = Some(value);
        }
    }
}

/// One mail text, split into its parts.
struct Doc<'a> {
    lines: Vec<&'a str>,
    /// Forward headers and noise: never read.
    skip: Vec<bool>,
    /// Lines read as labelled fields: not part of the description.
    consumed: Vec<bool>,
    /// The greeting line, and what follows the greeting on that line when it is content.
    greeting: Option<(usize, Option<&'a str>)>,
    /// The first line after the body: the closing line or the first line of a trailing
    /// contact block; `lines.len()` when there is neither.
    sig_start: usize,
    /// The first line of the signature proper (after the closing line).
    sig_body: usize,
    /// The name on the closing line itself ("Groet, Jan").
    sig_inline_name: Option<String>,
    labels: Labels,
}

impl<'a> Doc<'a> {
    fn read(text: &'a str) -> Doc<'a> {
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
        Doc {
            lines,
            skip,
            consumed,
            greeting,
            sig_start,
            sig_body,
            sig_inline_name,
            labels,
        }
    }

    /// The signature lines (after the closing), skipping noise.
    fn signature(&self) -> impl Iterator<Item = &'a str> + '_ {
        (self.sig_body..self.lines.len())
            .filter(|i| !self.skip[*i])
            .map(|i| self.lines[i])
    }

    /// The body lines (before the closing), skipping noise.
    fn body(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.sig_start)
            .filter(|i| !self.skip[*i])
            .map(|i| self.lines[i])
    }

    /// The body as one text (for categories, services and dates).
    fn body_text(&self) -> String {
        let mut out = String::new();
        for line in self.body() {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    fn description(&self) -> Option<String> {
        if let Some(d) = self.labels.description.as_deref().and_then(substantive) {
            return Some(d);
        }
        let mut out = String::new();
        let mut blank = false;
        for i in 0..self.sig_start {
            if self.skip[i] || self.consumed[i] {
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
        substantive(&out)
    }

    fn name(&self, message: &Message, sender: Option<&Address>) -> Option<String> {
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
                    .map(strip_role)
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
                .any(|w| w.ends_with('.') && w.chars().count() <= 3);
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
        static INTRO: LazyLock<Regex> = LazyLock::new(|| {
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

    fn address(&self) -> Option<String> {
        let l = &self.labels;
        let street = l.street.as_deref().map(normalise_postcodes);
        let pc_town = l
            .postcode_town
            .as_deref()
            .map(normalise_postcodes)
            .or_else(|| {
                let pc = l.postcode.as_deref().map(normalise_postcodes);
                match (pc, l.town.as_deref()) {
                    (Some(pc), Some(t)) => Some(format!("{pc} {}", t.trim())),
                    (Some(pc), None) => Some(pc),
                    (None, Some(t)) => Some(t.trim().to_string()),
                    (None, None) => None,
                }
            });
        let labelled = match (street, pc_town) {
            (Some(s), Some(p)) if !PC.is_match(&s) => Some(format!("{}, {p}", trim_punct(&s))),
            (Some(s), _) => Some(trim_punct(&s).to_string()),
            (None, p) => p,
        };
        if let Some(a) = labelled {
            return Some(squeeze(&a));
        }
        let sig: Vec<&str> = self.signature().collect();
        address_in_lines(&sig, true).or_else(|| {
            let body: Vec<&str> = self.body().collect();
            address_in_lines(&body, false)
        })
    }

    fn phone(&self) -> Option<String> {
        if let Some(v) = &self.labels.phone {
            if let Some(p) = find_phone(v) {
                return Some(p.to_string());
            }
            // Not Dutch, but clearly a number (+32 ..., +49 ...).
            let digits = v.chars().filter(char::is_ascii_digit).count();
            if digits >= 8
                && v.chars()
                    .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
            {
                return Some(v.trim().to_string());
            }
        }
        if let Some(p) = self.signature().find_map(find_phone) {
            return Some(p.to_string());
        }
        static CALLED: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"(?i)\b(gebeld|belde|bel(?:de)? naar|called|calling|kantoor|office|numun|receptie)\b",
            )
        });
        static REACH: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"(?i)\b(bereikbaar|telefoon|telefonisch|tel|bel me|bel mij|mobiel|nummer is|phone|call me|reach me|contact)\b",
            )
        });
        let candidates: Vec<(&str, &str)> = self
            .body()
            .filter_map(|l| find_phone(l).map(|p| (l, p)))
            .filter(|(l, _)| !CALLED.is_match(l))
            .collect();
        candidates
            .iter()
            .find(|(l, _)| REACH.is_match(l))
            .or(candidates.first())
            .map(|(_, p)| p.to_string())
    }

    fn email(
        &self,
        message: &Message,
        sender: Option<&Address>,
        ignored: &Ignored,
    ) -> Option<String> {
        let first = |s: &str| {
            EMAIL
                .find_iter(s)
                .map(|m| m.as_str())
                .find(|a| !ignored.is(a))
                .map(str::to_string)
        };
        if let Some(e) = self.labels.email.as_deref().and_then(first) {
            return Some(e);
        }
        if let Some(e) = self.signature().find_map(first) {
            return Some(e);
        }
        static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"(?i)\b(bereikbaar|contact|mail me|mailen|e-?mail me|reply|respond|write to|antwoord|reageer|reageren|stuur|send|terugmailen|adres is|address is|e-?mailadres|mailadres|reach me)\b",
            )
        });
        // "bereikbaar via x@y.nl", the context perhaps at the end of the line before.
        let body: Vec<&str> = self.body().collect();
        let in_context = (0..body.len()).find_map(|i| {
            let context = CONTACT.is_match(body[i]) || i > 0 && CONTACT.is_match(body[i - 1]);
            if context { first(body[i]) } else { None }
        });
        if let Some(e) = in_context {
            return Some(e);
        }
        if message.forwarded.is_none()
            && let Some(r) = &message.reply_to
            && !ignored.is(&r.address)
            && EMAIL.is_match(&r.address)
            && !message.from.as_ref().is_some_and(|f| f.same_as(&r.address))
        {
            return Some(r.address.trim().to_string());
        }
        sender
            .map(|a| a.address.trim().to_string())
            .filter(|a| !a.is_empty() && !no_reply(a))
    }

    fn incident_date(
        &self,
        description: Option<&str>,
        body: &str,
        subject: &str,
        sent: NaiveDate,
    ) -> Option<NaiveDate> {
        let labelled = |v: &Option<String>| v.as_deref().and_then(|v| first_date(v, sent));
        if let Some(d) = labelled(&self.labels.date) {
            return Some(d);
        }
        let in_text = || {
            description
                .and_then(|d| first_date(d, sent))
                .or_else(|| first_date(body, sent))
                .or_else(|| first_date(subject, sent))
        };
        match labelled(&self.labels.plain_date) {
            // "Datum: <the day of the mail>" heads a letter; the text tells when it happened.
            Some(p) if sent.checked_sub_days(Days::new(1)).is_some_and(|y| p >= y) => {
                Some(in_text().filter(|t| *t < p).unwrap_or(p))
            }
            Some(p) => Some(p),
            None => in_text(),
        }
    }
}

/// Marks forward header blocks (two or more header lines, one of them "Van:"/"From:") and
/// noise lines.
fn skip_lines(lines: &[&str]) -> Vec<bool> {
    let mut skip: Vec<bool> = lines.iter().map(|l| NOISE_LINE.is_match(l)).collect();
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
    // "Met vriendelijke groet, / Kind regards," : the signature starts at the first.
    while let Some(p) = (0..c)
        .rev()
        .find(|p| !skip[*p] && !lines[*p].trim().is_empty())
    {
        match closing_line(lines[p]) {
            Some(i) => {
                c = p;
                inline = inline.or(i);
            }
            None => break,
        }
    }
    Some((c, inline))
}

/// `Some(name on the line)` when the line is a closing.
fn closing_line(line: &str) -> Option<Option<String>> {
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
    let s = start?;
    let first = strip_role(lines[s].trim());
    let first = first.as_str();
    // A lone first name as the last paragraph ("...\n\nIngrid") signs the mail too.
    let own_paragraph = s == 0 || lines[s - 1].trim().is_empty();
    let lone_name =
        count == 1 && own_paragraph && first.split_whitespace().count() == 1 && name_like(first, 1);
    (name_like(first, 2) || count >= 2 || lone_name).then_some(s)
}

fn contact_like(line: &str) -> bool {
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
    if PC_LINE.is_match(line) || STREET_LINE.is_match(line) || name_like(&strip_role(line), 1) {
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

/// Reads the labelled fields of every line (a form may also follow the closing).
fn read_labels(lines: &[&str], skip: &[bool], sig_start: usize, consumed: &mut [bool]) -> Labels {
    let mut labels = Labels::default();
    let usable =
        |j: usize| !skip[j] && label_of(lines[j]).is_none() && closing_line(lines[j]).is_none();
    let mut i = 0;
    while i < lines.len() {
        if skip[i] {
            i += 1;
            continue;
        }
        let Some((kind, value)) = label_of(lines[i]) else {
            i += 1;
            continue;
        };
        consumed[i] = true;
        let value = clean_value(value);
        if kind == Label::Description {
            // The value plus the following lines, up to the next label or the closing.
            let end = if i < sig_start {
                sig_start
            } else {
                lines.len()
            };
            let mut text = String::from(value);
            let mut j = i + 1;
            while j < end && !skip[j] && label_of(lines[j]).is_none() {
                consumed[j] = true;
                text.push('\n');
                text.push_str(lines[j].trim());
                j += 1;
            }
            labels.set(kind, text.trim().to_string());
            i = j;
            continue;
        }
        let mut value = value.to_string();
        if value.is_empty() {
            // The value on the next line ("Naam:\nJan de Vries").
            if let Some(j) = next_nonblank(lines, i + 1, 1)
                && usable(j)
            {
                value = clean_value(lines[j]).to_string();
                consumed[j] = true;
                i = j;
            }
        }
        if kind == Label::Street && !value.is_empty() && !PC.is_match(&value) {
            // "Adres: Kerkstraat 12" with "1234 AB Utrecht" on the next line.
            if let Some(j) = next_nonblank(lines, i + 1, 0)
                && usable(j)
                && PC_LINE.is_match(lines[j])
            {
                value = format!("{}, {}", trim_punct(&value), lines[j].trim());
                consumed[j] = true;
                i = j;
            }
        }
        labels.set(kind, value);
        i += 1;
    }
    labels
}

/// The index of the next non-blank line from `from`, passing at most `blanks` blank lines.
fn next_nonblank(lines: &[&str], from: usize, blanks: usize) -> Option<usize> {
    (from..lines.len().min(from + blanks + 1)).find(|j| !lines[*j].trim().is_empty())
}

fn substantive(text: &str) -> Option<String> {
    let t = text.trim();
    (t.chars().count() >= 20 && t.chars().any(char::is_alphabetic)).then(|| t.to_string())
}

/// Collapses runs of whitespace.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn trim_punct(s: &str) -> &str {
    s.trim()
        .trim_end_matches(|c: char| ",.;:!".contains(c))
        .trim()
}

// ---------------------------------------------------------------------------------------
// Names.

const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "het", "'t", "’t", "ter", "ten", "te", "in", "op", "la", "le", "du",
    "da", "di", "dos", "das", "del", "della", "von", "zu", "bin", "ben", "el", "al", "ibn", "'s",
    "d'", "v.d.", "vd", "v/d", "van't", "y",
];
const TITLES: &[&str] = &[
    "dhr.", "dhr", "mevr.", "mevr", "mw.", "mw", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "dr.",
    "drs.", "ir.", "ing.", "prof.", "mej.", "ds.",
];
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
fn cap_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        && w.chars().filter(|c| c.is_alphabetic()).count() >= 1
}

/// Whether `s` reads as a person's name: 1 to 5 words, capitalised words and particles
/// ("van", "de", "el"), at least `min_caps` capitalised words, no common non-name word.
fn name_like(s: &str, min_caps: usize) -> bool {
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
        if caps == 0 && TITLES.contains(&lower.as_str()) {
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
    caps >= min_caps
}

/// The name at the start of `rest` ("Jan de Vries en ik volgde ..." -> "Jan de Vries").
fn name_prefix(rest: &str, min_caps: usize) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for token in rest.split_whitespace().take(6) {
        let stripped = token.trim_end_matches([',', ';', ':', '!', '?', ')', '.']);
        let ends_sentence = stripped.len() != token.len();
        // An initial ("J.") or a title keeps its dot and does not end the name.
        let initial = token.ends_with('.')
            && (stripped.chars().count() == 1 || TITLES.contains(&token.to_lowercase().as_str()));
        let word = if initial { token } else { stripped };
        let lower = word.to_lowercase();
        let ok = (cap_word(word) && !NOT_NAMES.contains(&lower.as_str()))
            || PARTICLES.contains(&lower.as_str())
            || (words.is_empty() && TITLES.contains(&lower.as_str()));
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
        && !v.chars().any(|c| c.is_ascii_digit()))
    .then_some(v)
}

/// "Jan de Vries | Deelnemer", "Jan de Vries (cursist)" -> "Jan de Vries".
fn strip_role(line: &str) -> String {
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

// ---------------------------------------------------------------------------------------
// Addresses.

/// A street and house number: "Kerkstraat 12", "Van Goghlaan 3a", "Laan van Meerdervoort
/// 120-2", "Postbus 55".
const STREET: &str = r"(?:\p{Lu}[\p{L}\p{M}'’.\-]*|'s-?\p{L}+)(?:\s+(?:\p{Lu}[\p{L}\p{M}'’.\-]*|van|de|der|den|het|'t|ter|ten|te|aan|op|in|bij|over|du|la|le|[\p{Ll}][\p{Ll}\-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|park|steeg|dreef|plantsoen|markt|veld|baan|wal)))*\s+\d{1,5}(?:\s?[-/]\s?\d{1,4}[A-Za-z]?|\s?[A-Za-z]{1,2}\b|\s+(?:bis|hs|huis|zw|rd)\b)?";
const TOWN: &str = r"(?:'[st][- ]?)?\p{Lu}[\p{L}\p{M}'’\-]*(?:[ \-](?:(?:aan|op|bij|in|den|de|der)[ \-]){0,2}\p{Lu}[\p{L}\p{M}'’\-]*){0,3}";

/// A postcode anywhere (case-insensitive: only used inside a known address).
static PC: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b([1-9][0-9]{3})\s?([a-z]{2})\b"));
/// A line that is a postcode and a town: "1234 AB Utrecht", "1234AB  UTRECHT".
static PC_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:NL[- ]?)?[1-9][0-9]{3}(?:\s?[A-Z]{2}|[a-z]{2})\b[\s,]*(?:(?:'[st][- ]?)?\p{L}[\p{L}\p{M}'’.\- ]*)?\s*[.,]?\s*$",
    )
});
static STREET_LINE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^\s*{STREET}\s*[,.]?\s*$")));
static TOWN_LINE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^\s*{TOWN}\s*$")));
static FULL_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?P<s>{STREET})\s*,?\s+(?P<pc>[1-9][0-9]{{3}}\s?[A-Z]{{2}}|[1-9][0-9]{{3}}[a-z]{{2}})\b\s*,?\s*(?P<t>{TOWN})?"
    ))
});

/// "ik woon op de Kerkstraat 12 in Utrecht", "my address is Kerkstraat 12, Utrecht".
static LIVES_AT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i:\bik\s+woon|\bwoonachtig|\bmijn\s+adres\s+is|\bmy\s+address\s+is|\bi\s+live\s+at)\s+(?i:(?:aan|op|in|at)\s+)?(?i:(?:de|het|the)\s+)?(?P<s>{STREET})(?:\s*,\s*|\s+(?i:in|te)\s+)(?P<t>{TOWN})"
    ))
});

/// "1234ab" -> "1234 AB", wherever a postcode occurs in `s`.
fn normalise_postcodes(s: &str) -> String {
    let s = squeeze(s);
    PC.replace_all(&s, |c: &Captures| {
        format!("{} {}", &c[1], c[2].to_uppercase())
    })
    .into_owned()
}

/// An address in these lines: one line with street, postcode and town, or a street line
/// followed by a postcode line. In a signature a postcode line alone, or a street line
/// followed by a town line, will do too.
fn address_in_lines(lines: &[&str], signature: bool) -> Option<String> {
    let nonblank: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    for (k, line) in nonblank.iter().enumerate() {
        if let Some(c) = FULL_ADDRESS.captures(line) {
            let street = c.name("s").map_or("", |m| m.as_str());
            let pc = c.name("pc").map_or("", |m| m.as_str());
            let town = c.name("t").map_or("", |m| m.as_str());
            return Some(squeeze(&normalise_postcodes(&format!(
                "{street}, {pc} {town}"
            ))));
        }
        if PC_LINE.is_match(line) {
            let pc_town = normalise_postcodes(trim_punct(line));
            let street = k
                .checked_sub(1)
                .map(|p| nonblank[p])
                .filter(|p| STREET_LINE.is_match(p));
            match street {
                Some(s) => return Some(format!("{}, {pc_town}", squeeze(trim_punct(s)))),
                None if signature => return Some(pc_town),
                None => {}
            }
        }
        if signature
            && STREET_LINE.is_match(line)
            && let Some(next) = nonblank.get(k + 1)
            && TOWN_LINE.is_match(next)
            && !PC_LINE.is_match(next)
        {
            return Some(format!("{}, {}", squeeze(trim_punct(line)), squeeze(next)));
        }
    }
    // "... I live at Wilhelminapark 3,\n5041 EA Tilburg": wrapped over two lines.
    let joined = nonblank
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    FULL_ADDRESS
        .captures(&joined)
        .map(|c| {
            let street = c.name("s").map_or("", |m| m.as_str());
            let pc = c.name("pc").map_or("", |m| m.as_str());
            let town = c.name("t").map_or("", |m| m.as_str());
            squeeze(&normalise_postcodes(&format!("{street}, {pc} {town}")))
        })
        .or_else(|| {
            let c = LIVES_AT.captures(&joined)?;
            Some(format!(
                "{}, {}",
                squeeze(c.name("s")?.as_str()),
                squeeze(c.name("t")?.as_str())
            ))
        })
}

// ---------------------------------------------------------------------------------------
// Phone numbers and e-mail addresses.

/// The first Dutch phone number in `s`, as written: 10 digits starting with 0, or +31 /
/// 0031 and 9 digits (an optional "(0)"), separated by spaces, dashes, dots, slashes or
/// parentheses. Dates, postcodes, amounts and case numbers are not phone numbers.
fn find_phone(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if matches!(b[i], b'+' | b'0' | b'(')
            && let Some(end) = phone_at(s, i)
        {
            let p = &s[i..end];
            let mut from = i.saturating_sub(32);
            while !s.is_char_boundary(from) {
                from += 1;
            }
            if !DATE_LIKE.is_match(p) && !NUMBER_CONTEXT.is_match(&s[from..i]) {
                return Some(p);
            }
            i = end;
            continue;
        }
        i += 1;
    }
    None
}

/// Words before a number that make it an order, invoice or account number.
static NUMBER_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:order|factuur|klant|kenmerk|referentie|dossier|iban|rekening|bsn|lid|invoice|reference|account|bestel|polis|kvk|btw|contract|registratie|relatie)\w*\s*(?:nummer|nr|no|number)?\.?\s*:?\s*$",
    )
});

static DATE_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:^|[^0-9])[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?:[0-9]{4}|[0-9]{2})(?:$|[^0-9])")
});

/// The end of a phone number starting at byte `start` (an ASCII byte), if one does.
fn phone_at(s: &str, start: usize) -> Option<usize> {
    let b = s.as_bytes();
    // What comes before: not part of a word, an amount, a case number or an address.
    let before = s[..start].chars().next_back();
    let before_ok = match before {
        None => true,
        Some('.') => s[..start]
            .chars()
            .nth_back(1)
            .is_some_and(char::is_alphabetic),
        Some(c) => !(c.is_alphanumeric() || "-/,+_@€$#=&".contains(c)),
    };
    if !before_ok {
        return None;
    }
    let mut i = start;
    let opened = b[i] == b'(';
    if opened {
        i += 1;
    }
    let intl = if b.get(i) == Some(&b'+') {
        i += 1;
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
        if b.get(i..i + 2) != Some(b"31".as_slice()) {
            return None;
        }
        i += 2;
        true
    } else if b.get(i..i + 4) == Some(b"0031".as_slice()) {
        i += 4;
        true
    } else if b.get(i) == Some(&b'0') {
        false
    } else {
        return None;
    };
    if intl {
        i = skip_separators(b, i)?;
        // "+31 (0)6 ...", "+31 06 ..."
        if b.get(i..i + 3) == Some(b"(0)".as_slice()) {
            i += 3;
        } else if b.get(i) == Some(&b'0') {
            i += 1;
        }
    }
    let needed = if intl { 9 } else { 10 };
    let mut digits = 0;
    let mut end = i;
    while digits < needed {
        if digits > 0 || intl {
            i = skip_separators(b, i)?;
        }
        match b.get(i) {
            Some(d) if d.is_ascii_digit() => {
                // The area code never starts with 0 (that would be international).
                if (intl && digits == 0 || !intl && digits == 1) && *d == b'0' {
                    return None;
                }
                digits += 1;
                i += 1;
                end = i;
            }
            _ => return None,
        }
    }
    if opened && !s[start..end].contains(')') {
        return None;
    }
    // What follows: not more digits, not part of a word or an address.
    let rest = &b[end..];
    let follow_ok = match rest.first() {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() || *c == b'@' || *c == b'_' => false,
        Some(b'-' | b'/' | b'.' | b',') => !rest.get(1).is_some_and(u8::is_ascii_digit),
        Some(c) if *c >= 0x80 => !s[end..].chars().next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    };
    follow_ok.then_some(end)
}

/// Skips up to three separator bytes between digit groups.
fn skip_separators(b: &[u8], mut i: usize) -> Option<usize> {
    let mut count = 0;
    loop {
        let width = match b.get(i..) {
            Some([b' ' | b'-' | b'.' | b'/' | b'(' | b')', ..]) => 1,
            // no-break space
            Some([0xC2, 0xA0, ..]) => 2,
            // hyphen, non-breaking hyphen, figure dash, en dash, em dash; narrow no-break space
            Some([0xE2, 0x80, 0x90..=0x94 | 0xAF, ..]) => 3,
            _ => return Some(i),
        };
        i += width;
        count += 1;
        if count > 3 {
            return None;
        }
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b[a-z0-9][a-z0-9._%+\-]*@(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}\b")
});

/// Addresses that are never the complainant's contact address: ours (the recipients and
/// their domains), the forwarder's, no-reply addresses.
struct Ignored {
    addresses: Vec<String>,
    domains: Vec<String>,
}

impl Ignored {
    fn new(message: &Message) -> Ignored {
        let mut addresses: Vec<String> = message
            .to
            .iter()
            .map(|a| a.address.trim().to_lowercase())
            .collect();
        if message.forwarded.is_some()
            && let Some(f) = &message.from
        {
            addresses.push(f.address.trim().to_lowercase());
        }
        let domains = message
            .to
            .iter()
            .filter_map(|a| {
                a.address
                    .rsplit_once('@')
                    .map(|(_, d)| d.trim().to_lowercase())
            })
            .filter(|d| !d.is_empty())
            .collect();
        Ignored { addresses, domains }
    }

    fn is(&self, address: &str) -> bool {
        let a = address.trim().to_lowercase();
        let (local, domain) = a.rsplit_once('@').unwrap_or((&a, ""));
        self.addresses.contains(&a)
            || self.domains.iter().any(|d| d == domain)
            || local.starts_with("klacht")
            || no_reply(&a)
    }
}

/// An address nobody reads: "noreply@...", "mailer-daemon@...".
fn no_reply(address: &str) -> bool {
    let a = address.trim().to_lowercase();
    let local = a.rsplit_once('@').map_or(a.as_str(), |(l, _)| l);
    [
        "noreply",
        "no-reply",
        "no_reply",
        "donotreply",
        "do-not-reply",
        "mailer-daemon",
        "postmaster",
    ]
    .contains(&local)
}

// ---------------------------------------------------------------------------------------
// Services.

/// Lower case, hyphens as spaces, whitespace collapsed: for matching names and keywords.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The byte ranges where `needle` occurs in `hay` as whole words.
fn word_matches(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let mut from = 0;
    while let Some(p) = hay.get(from..).and_then(|h| h.find(needle)) {
        let start = from + p;
        let end = start + needle.len();
        let before = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = hay[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            found.push((start, end));
            from = end;
        } else {
            from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// The catalogue's service named earliest in `hay` (normalised); the longer name on a tie.
fn catalogue_match<'c>(hay: &str, catalogue: &'c ServiceCatalogue) -> Option<&'c str> {
    let mut best: Option<(usize, usize, &str)> = None;
    for service in &catalogue.services {
        for name in std::iter::once(&service.name).chain(&service.aliases) {
            let needle = normalise(name);
            if let Some(&(start, end)) = word_matches(hay, &needle).first() {
                let better =
                    best.is_none_or(|(s, len, _)| start < s || (start == s && end - start > len));
                if better {
                    best = Some((start, end - start, service.name.as_str()));
                }
            }
        }
    }
    best.map(|(_, _, name)| name)
}

fn service(
    doc: &Doc,
    subject: &str,
    body: &str,
    note: &str,
    catalogue: &ServiceCatalogue,
) -> Option<String> {
    if let Some(v) = &doc.labels.service {
        if let Some(name) = catalogue_match(&normalise(v), catalogue) {
            return Some(name.to_string());
        }
        static CUT: LazyLock<Regex> =
            LazyLock::new(|| re(r"(?i)[,;(]|\s(?:op|on|d\.d\.|van|from|dd)\s+\d"));
        let v = CUT.find(v).map_or(v.as_str(), |m| &v[..m.start()]);
        let v = trim_punct(v);
        if !v.is_empty() {
            return Some(squeeze(v));
        }
    }
    for text in [subject, body, note] {
        if let Some(name) = catalogue_match(&normalise(text), catalogue) {
            return Some(name.to_string());
        }
    }
    [subject, body, note].into_iter().find_map(free_service)
}

/// "de training Projectmatig Werken", "de cursus 'Excel voor beginners'", "the Project
/// Management course" -> "Training Projectmatig Werken", ...
fn free_service(text: &str) -> Option<String> {
    static KIND: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(training|cursus|workshop|leertraject|opleiding|masterclass|webinar|lezing|course)\b",
        )
    });
    const CONNECTORS: &[&str] = &[
        "met", "en", "voor", "van", "in", "op", "de", "het", "een", "&", "and", "of", "for", "the",
        "to", "with",
    ];
    const NOT_TITLES: &[&str] = &[
        "I", "Ik", "We", "Wij", "Je", "U", "Zij", "Hij", "Die", "Dat", "Dit", "Deze", "De", "Het",
        "The", "A", "An", "My", "Mijn", "Our", "Onze",
    ];
    for m in KIND.find_iter(text) {
        let kind = m.as_str();
        let after = &text[m.end()..];
        let line_after = after.split('\n').next().unwrap_or_default();
        // Quoted: "de cursus 'Excel voor beginners'"
        let t = line_after.trim_start();
        if t.len() < line_after.len()
            && let Some(open) = t.chars().next()
            && "\"'“‘«".contains(open)
        {
            let close: &[char] = &['"', '\'', '”', '’', '»', '“'];
            let inner = &t[open.len_utf8()..];
            if let Some(end) = inner.find(close) {
                let title = squeeze(&inner[..end]);
                let words = title.split_whitespace().count();
                if (1..=6).contains(&words) && title.chars().any(char::is_alphabetic) {
                    return Some(format!("{} {title}", capitalise(kind)));
                }
            }
        }
        // Title words: capitalised words, with small words between them.
        let tokens: Vec<&str> = line_after.split_whitespace().take(8).collect();
        let mut title: Vec<&str> = Vec::new();
        let mut k = 0;
        while k < tokens.len() && title.len() < 6 {
            let token = tokens[k];
            let word = token.trim_end_matches([',', '.', ';', ':', '!', '?', ')']);
            let ends = word.len() != token.len();
            let capital = word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                && !NOT_TITLES.contains(&word)
                && word.chars().any(char::is_alphanumeric);
            let connects = !title.is_empty()
                && CONNECTORS.contains(&word.to_lowercase().as_str())
                && !ends
                && tokens
                    .get(k + 1)
                    .is_some_and(|n| n.starts_with(char::is_uppercase));
            if !(capital || connects) {
                break;
            }
            title.push(word);
            k += 1;
            if ends {
                break;
            }
        }
        if title.iter().any(|w| w.starts_with(char::is_uppercase)) {
            return Some(format!("{} {}", capitalise(kind), title.join(" ")));
        }
        // English: "the Project Management course".
        if kind.eq_ignore_ascii_case("course")
            || kind.eq_ignore_ascii_case("training")
            || kind.eq_ignore_ascii_case("workshop")
        {
            let before = text[..m.start()].rsplit('\n').next().unwrap_or_default();
            let mut words: Vec<&str> = before
                .split_whitespace()
                .rev()
                .take_while(|w| cap_word(w) && !NOT_TITLES.contains(w))
                .take(5)
                .collect();
            words.reverse();
            if !words.is_empty() && before.trim_end().len() + 1 >= before.len() {
                return Some(format!("{} {kind}", words.join(" ")));
            }
        }
    }
    None
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| {
            f.to_uppercase()
                .chain(c.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Dates.

const MONTHS: &str = "januari|january|jan|februari|february|febr|feb|maart|march|mrt|mar|april|apr|mei|may|juni|june|jun|juli|july|jul|augustus|august|aug|september|sept|sep|oktober|october|okt|oct|november|nov|december|dec";
const WEEKDAYS: &str = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|wednesday|thursday|friday|saturday|sunday";

fn month_number(m: &str) -> Option<u32> {
    let m = m.to_lowercase();
    Some(match m.trim_end_matches('.') {
        "januari" | "january" | "jan" => 1,
        "februari" | "february" | "febr" | "feb" => 2,
        "maart" | "march" | "mrt" | "mar" => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "june" | "jun" => 6,
        "juli" | "july" | "jul" => 7,
        "augustus" | "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "oktober" | "october" | "okt" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn weekday(w: &str) -> Option<Weekday> {
    let w = w.to_lowercase();
    Some(match w.get(..3)? {
        "maa" | "mon" => Weekday::Mon,
        "din" | "tue" => Weekday::Tue,
        "woe" | "wed" => Weekday::Wed,
        "don" | "thu" => Weekday::Thu,
        "vri" | "fri" => Weekday::Fri,
        "zat" | "sat" => Weekday::Sat,
        "zon" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// "3 november", "dinsdag 10 november 2026", "3 nov. 2026", "3rd of November", "on 3 November".
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th|e|ste|de)?\.?(?:\s+of)?[\s\-]*(?P<m>{MONTHS})\b\.?(?:,?[\s\-]*(?P<y>[0-9]{{4}})\b)?"
    ))
});
/// English "November 3, 2026", "Nov 3rd": capitalised, so Dutch prose does not trigger it.
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?P<m>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>[0-9]{4})\b)?",
    )
});
/// "03-11-2026", "3-11-2026", "3/11", "03/11/2026", "2026-11-03", "3.11.2026".
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9]+[-/.][0-9]+(?:[-/.][0-9]+)?"));
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:(?P<w>eergisteren|gisteren(?:avond|middag|ochtend|morgen)?|vandaag|vanochtend|vanmorgen|vanmiddag|vanavond|the day before yesterday|yesterday|today|this morning|this afternoon|this evening|tonight|last night)\b|(?:vorige|afgelopen) week\s+(?P<pw>{WEEKDAYS})|(?P<pw2>{WEEKDAYS})(?:avond|middag|ochtend|morgen)?\s+(?:van\s+)?vorige week\b|(?:afgelopen|jongstleden|last|this past|past)\s+(?P<lw>{WEEKDAYS})|(?P<lw2>{WEEKDAYS})(?:avond|middag|ochtend|morgen)?\s+(?:jl\.?|j\.l\.|jongstleden|afgelopen)\B?)"
    ))
});

/// A date written without a year is the latest such date not after `sent`.
fn without_year(day: u32, month: u32, sent: NaiveDate) -> Option<NaiveDate> {
    (0..=8).find_map(|back| {
        NaiveDate::from_ymd_opt(sent.year() - back, month, day).filter(|d| *d <= sent)
    })
}

/// A date with its year, if it can be the date of the facts: not after `sent`, not more
/// than ten years before.
fn with_year(year: i32, month: u32, day: u32, sent: NaiveDate) -> Option<NaiveDate> {
    let year = if (0..100).contains(&year) {
        2000 + year
    } else {
        year
    };
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| *d <= sent && sent.year() - d.year() <= 10)
}

fn ymd(year: Option<&str>, month: u32, day: &str, sent: NaiveDate) -> Option<NaiveDate> {
    let day: u32 = day.parse().ok()?;
    match year {
        Some(y) => with_year(y.parse().ok()?, month, day, sent),
        None => without_year(day, month, sent),
    }
}

/// Words after "2-3" that make it a quantity, not a date.
const UNITS: &[&str] = &[
    "u",
    "uur",
    "uren",
    "dag",
    "dagen",
    "dagdeel",
    "dagdelen",
    "week",
    "weken",
    "maand",
    "maanden",
    "jaar",
    "keer",
    "x",
    "min",
    "minuten",
    "personen",
    "deelnemers",
    "mensen",
    "sessies",
    "lessen",
    "hours",
    "hour",
    "days",
    "day",
    "weeks",
    "times",
    "people",
    "euro",
    "procent",
    "punten",
    "points",
    "km",
    "kilometer",
];
/// Words before "7-8" that make it a score or a range.
const SCORE_WORDS: &[&str] = &[
    "een",
    "cijfer",
    "score",
    "tussen",
    "ongeveer",
    "circa",
    "ca.",
    "zo'n",
    "grade",
    "between",
    "about",
    "around",
    "pagina",
    "page",
    "blz.",
    "blz",
    "hoofdstuk",
    "chapter",
    "les",
    "module",
];

fn numeric_date(s: &str, start: usize, end: usize, sent: NaiveDate) -> Option<NaiveDate> {
    let m = &s[start..end];
    let before = s[..start].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || "-/.,:€$+#_".contains(c)) {
        return None;
    }
    let mut after = s[end..].chars();
    match after.next() {
        Some(c) if c.is_alphanumeric() => return None,
        Some('-' | '/' | '.' | ',' | ':') if after.next().is_some_and(|c| c.is_ascii_digit()) => {
            return None;
        }
        _ => {}
    }
    let seps: Vec<char> = m.chars().filter(|c| !c.is_ascii_digit()).collect();
    let parts: Vec<&str> = m.split(['-', '/', '.']).collect();
    let num = |p: &str| p.parse::<u32>().ok();
    match parts.as_slice() {
        [y, mo, d]
            if y.len() == 4
                && mo.len() <= 2
                && d.len() <= 2
                && seps[0] == seps[1]
                && seps[0] != '.' =>
        {
            with_year(y.parse().ok()?, num(mo)?, num(d)?, sent)
        }
        [d, mo, y]
            if d.len() <= 2
                && mo.len() <= 2
                && (y.len() == 4 || y.len() == 2)
                && seps[0] == seps[1] =>
        {
            with_year(y.parse().ok()?, num(mo)?, num(d)?, sent)
        }
        [d, mo] if d.len() <= 2 && mo.len() <= 2 && matches!(seps[0], '/' | '-') => {
            // "1/2 dag", "2-3 uur", "een 7-8": fractions, ranges and scores.
            let fraction = seps[0] == '/' && matches!(m, "1/2" | "1/3" | "2/3" | "1/4" | "3/4");
            let next = s[end..]
                .trim_start()
                .split(|c: char| !c.is_alphabetic())
                .next();
            let unit = next.is_some_and(|w| UNITS.contains(&w.to_lowercase().as_str()));
            let prev = s[..start].split_whitespace().next_back();
            let score = prev.is_some_and(|w| SCORE_WORDS.contains(&w.to_lowercase().as_str()));
            if fraction || unit || score {
                return None;
            }
            without_year(num(d)?, num(mo)?, sent)
        }
        _ => None,
    }
}

fn relative_date(c: &Captures, text: &str, sent: NaiveDate) -> Option<NaiveDate> {
    // "vandaag (31 oktober)", "afgelopen dinsdag 10 november": the explicit date wins.
    let end = c.get(0)?.end();
    let after = text[end..].trim_start_matches(|ch: char| ch.is_whitespace() || "(,:".contains(ch));
    if after.starts_with(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    if let Some(w) = c.name("w") {
        let w = w.as_str().to_lowercase();
        let back = if w.starts_with("eer") || w.contains("before") {
            2
        } else if w.starts_with("gister") || w.starts_with("yester") || w == "last night" {
            1
        } else {
            0
        };
        return sent.checked_sub_days(Days::new(back));
    }
    if let Some(w) = c.name("pw").or(c.name("pw2")) {
        let wd = weekday(w.as_str())?;
        let monday =
            sent.checked_sub_days(Days::new(u64::from(sent.weekday().num_days_from_monday())))?;
        return monday
            .checked_sub_days(Days::new(7))?
            .checked_add_days(Days::new(u64::from(wd.num_days_from_monday())));
    }
    let w = c.name("lw").or(c.name("lw2"))?;
    let wd = weekday(w.as_str())?;
    let diff = (7 + sent.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    let diff = if diff == 0 { 7 } else { diff };
    sent.checked_sub_days(Days::new(u64::from(diff)))
}

/// The first date in `text` that can be the date of the facts.
fn first_date(text: &str, sent: NaiveDate) -> Option<NaiveDate> {
    let month_date = |c: &Captures| {
        let (all, d, m) = (c.get(0)?, c.name("d")?, c.name("m")?);
        let mo = month_number(m.as_str())?;
        Some((
            all.start(),
            ymd(c.name("y").map(|y| y.as_str()), mo, d.as_str(), sent)?,
        ))
    };
    let candidates = [
        DAY_MONTH.captures_iter(text).find_map(|c| month_date(&c)),
        MONTH_DAY.captures_iter(text).find_map(|c| month_date(&c)),
        NUMERIC
            .find_iter(text)
            .find_map(|m| Some((m.start(), numeric_date(text, m.start(), m.end(), sent)?))),
        RELATIVE
            .captures_iter(text)
            .find_map(|c| Some((c.get(0)?.start(), relative_date(&c, text, sent)?))),
    ];
    candidates
        .into_iter()
        .flatten()
        .min_by_key(|(pos, _)| *pos)
        .map(|(_, d)| d)
}

// ---------------------------------------------------------------------------------------
// Categories.

/// The categories in order of priority: the serious ones first.
static CATEGORIES: LazyLock<Vec<(Category, Regex)>> = LazyLock::new(|| {
    vec![
        (
            Category::SexualHarassment,
            re(
                r"\bseksuele?\s+(?:intimidatie|toespeling|opmerking|grensoverschrijd|getint|intimiderend)|\bseksueel\s+(?:getint|overschrijdend|intimiderend)|\bsexual(?:ly)?\s+(?:explicit|suggestive|comments|remarks|jokes)|\bongewenste\s+intimiteit|\bsexual(?:ly)?\s+harass|\bsexual\s+misconduct|\baangerand|\baanranding|\bbetast\b|\bunwanted\s+(?:sexual\s+)?advances|\bgroped\b",
            ),
        ),
        (
            Category::Discrimination,
            re(
                r"\bdiscrimin|\bgediscrimineerd|\bracis|\bracist|\bseksist|\bsexist|\bhomofob|\bhomophob",
            ),
        ),
        (
            Category::Violence,
            re(
                r"\bgeweld\b|\bgewelddadig|\bgeslagen\b|\bsloeg\s+(?:mij|me|hem|haar)\b|\bmishandel|\bgeschopt\b|\bgeduwd\b|\bvastgepakt\b|\baangevallen\b|\bfysiek\s+geweld|\bviolen(?:ce|t)\b|\bassault|\bphysically\s+attacked",
            ),
        ),
        (
            Category::Aggression,
            re(
                r"\bagressi|\bagressief|\bagressieve|\bbedreig|\bscheld|\bschold|\buitgescholden|\baggressi|\bthreaten|\bshouted\s+at|\bschreeuwde\s+(?:tegen|naar)",
            ),
        ),
        (
            Category::Bullying,
            re(
                r"\bpesten\b|\bgepest\b|\bpestte|\bpestgedrag|\bpesterij|\bbull(?:y|ying|ied|ies)\b",
            ),
        ),
        (
            Category::Intimidation,
            re(
                r"\bintimidatie\b|\bge(?:ï|i\x{308}|i)ntimideerd|\bintimiderend|\bintimid(?:ated|ating|ation)\b",
            ),
        ),
        (
            Category::Assessment,
            re(
                r"\bbeoordel|\bbeoordeeld|\bcijfer|\bcertifica|\bexamen|\bexamin|\btoets(?:en|ing)?\b|\bassessment|\bgrade[ds]?\b|\bgrading\b|\bdiploma|\bgezakt\b|\bniet\s+geslaagd|\bfailed\s+(?:me|the\s+exam)",
            ),
        ),
        (
            Category::Delivery,
            re(
                r"\btrainer|\btrainster|\bdocent|\bmanier\s+van\s+lesgeven|\blesgeven\b|\buitleg|\bte\s+laat\b|\bonvoorbereid|\bteacher|\binstructor|\bunprepared|\bexplanation|\bdidacti",
            ),
        ),
        (
            Category::Organisation,
            re(
                r"\blocatie|\bplanning\b|\brooster|\bgeannuleerd|\bannuler|\bverplaatst|\blokaal\b|\bfactu(?:ur|ren|ratie)|\binschrijving|\borganisatie|\bcatering|\bparkeer|\bcancel|\bvenue\b|\binvoice|\bschedul|\blocation\b|\bregistration\b|\borgani[sz]ation\b|\bafgezegd|\bniet\s+(?:komen\s+)?(?:op\s+)?(?:komen\s+)?opdagen|\bno\s+show|\bdid\s+not\s+show\s+up|\bcancelled\b|\bafspraken\s+(?:afgezegd|verzet)",
            ),
        ),
        (
            Category::Content,
            re(
                r"\binhoud|\blesstof|\bmateria(?:al|l|len)\b|\blesmateriaal|\bverouderd|\bniet\s+wat\s+(?:er\s+)?(?:werd\s+)?beloofd|\bcontent\b|\boutdated\b|\bcourse\s+material|\bsyllabus\b|\bherhaling\b|\bniveau\b|\bte\s+basaal|\boppervlakkig|\bniets\s+nieuws",
            ),
        ),
    ]
});

/// The category from keywords, the serious ones first. The names of the catalogue's
/// services do not count ("Training Omgaan met Agressie" is no aggression).
fn category(texts: &[&str], catalogue: &ServiceCatalogue) -> Option<Category> {
    let mut hay = String::new();
    for t in texts {
        hay.push_str(&normalise(t));
        hay.push('\n');
    }
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for service in &catalogue.services {
        for name in std::iter::once(&service.name).chain(&service.aliases) {
            spans.extend(word_matches(&hay, &normalise(name)));
        }
    }
    if !spans.is_empty() {
        let mut blanked = String::with_capacity(hay.len());
        for (i, c) in hay.char_indices() {
            let inside = spans.iter().any(|(s, e)| (*s..*e).contains(&i));
            blanked.push(if inside { ' ' } else { c });
        }
        hay = blanked;
    }
    CATEGORIES
        .iter()
        .find(|(_, pattern)| pattern.is_match(&hay))
        .map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::parse::Forwarded;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Friday 20 November 2026.
    fn sent() -> NaiveDate {
        d(2026, 11, 20)
    }

    fn catalogue() -> ServiceCatalogue {
        let s = |name: &str, aliases: &[&str]| Service {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        ServiceCatalogue {
            services: vec![
                s(
                    "Training Effectief Communiceren",
                    &[
                        "effectief communiceren",
                        "communicatietraining",
                        "communicatie training",
                    ],
                ),
                s(
                    "Leertraject Persoonlijk Leiderschap",
                    &["persoonlijk leiderschap", "leiderschapstraject"],
                ),
                s(
                    "Workshop Timemanagement",
                    &["timemanagement", "time management", "tijdmanagement"],
                ),
                s("Coaching", &["coachingstraject", "loopbaancoaching"]),
                s(
                    "Training Omgaan met Agressie",
                    &["omgaan met agressie", "agressietraining"],
                ),
            ],
        }
    }

    fn addr(name: Option<&str>, address: &str) -> Address {
        Address {
            name: name.map(str::to_string),
            address: address.into(),
        }
    }

    fn msg(text: &str) -> Message {
        Message {
            text: text.into(),
            from: Some(addr(Some("Jan de Vries"), "jan.devries@example.nl")),
            to: vec![addr(Some("Klachten numun"), "klacht@numun.nl")],
            ..Message::default()
        }
    }

    fn ex(text: &str) -> Extraction {
        extract(&msg(text), &catalogue(), sent())
    }

    fn phone(s: &str) -> Option<&str> {
        find_phone(s)
    }

    fn date(s: &str) -> Option<NaiveDate> {
        first_date(s, sent())
    }

    const FORM: &str = "Geachte heer/mevrouw,

Hierbij dien ik een klacht in.

Naam: Petra Jansen
Adres: Kerkstraat 12
Postcode: 1234ab
Woonplaats: Utrecht
Telefoon: 06-12345678
E-mail: petra.jansen@example.com
Training: communicatietraining
Datum voorval: 3 november 2026
Omschrijving: De trainer kwam een uur te laat en had de oefeningen niet voorbereid.
We hebben de helft van de dag niets gedaan.

Met vriendelijke groet,

Petra Jansen
";

    #[test]
    fn labelled_form_in_dutch() {
        let e = ex(FORM);
        let f = &e.fields;
        assert_eq!(f.name.as_deref(), Some("Petra Jansen"));
        assert_eq!(f.address.as_deref(), Some("Kerkstraat 12, 1234 AB Utrecht"));
        assert_eq!(f.phone.as_deref(), Some("06-12345678"));
        assert_eq!(f.email.as_deref(), Some("petra.jansen@example.com"));
        assert_eq!(
            f.service.as_deref(),
            Some("Training Effectief Communiceren")
        );
        assert_eq!(f.incident_date, Some(d(2026, 11, 3)));
        let desc = f.description.as_deref().unwrap();
        assert!(desc.starts_with("De trainer kwam"), "{desc}");
        assert!(desc.ends_with("niets gedaan."), "{desc}");
        assert!(!desc.contains("Petra"), "{desc}");
        assert_eq!(e.category, Some(Category::Delivery));
        assert!(!e.serious);
    }

    #[test]
    fn labelled_form_in_english_with_bullets_and_spaces() {
        let e = ex("Dear Sir or Madam,

* Name : Sarah Johnson
* Address : 14 Baker Street
- Phone : +31 6 1234 5678
- Email : sarah.j@example.org
- Course : Time Management
- Date : November 3, 2026
- Complaint : The venue was changed twice without notice and nobody told us where to go.

Kind regards,
Sarah Johnson
");
        let f = &e.fields;
        assert_eq!(f.name.as_deref(), Some("Sarah Johnson"));
        assert_eq!(f.address.as_deref(), Some("14 Baker Street"));
        assert_eq!(f.phone.as_deref(), Some("+31 6 1234 5678"));
        assert_eq!(f.email.as_deref(), Some("sarah.j@example.org"));
        assert_eq!(f.service.as_deref(), Some("Workshop Timemanagement"));
        assert_eq!(f.incident_date, Some(d(2026, 11, 3)));
        assert!(
            f.description
                .as_deref()
                .unwrap()
                .starts_with("The venue was changed")
        );
        assert_eq!(e.category, Some(Category::Organisation));
    }

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
        assert_eq!(e.fields.name.as_deref(), Some("Dhr. P. van den Heuvel"));
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
    fn every_phone_form() {
        for p in [
            "06-12345678",
            "06 1234 5678",
            "0612345678",
            "+31 6 1234 5678",
            "+31 (0)6 12345678",
            "+31612345678",
            "0031 6 12345678",
            "020 - 123 45 67",
            "020-1234567",
            "010 1234567",
            "0499-123456",
            "(020) 123 45 67",
            "06-1234 5678",
            "06 – 12 34 56 78",
            "06\u{a0}12345678",
        ] {
            let text = format!("U kunt mij bellen op {p}, liefst 's avonds.");
            assert_eq!(phone(&text), Some(p), "{p}");
        }
    }

    #[test]
    fn no_false_phones() {
        for s in [
            "Uw kenmerk KL-2026-0007 klopt niet.",
            "Ik woon op 1234 AB in Utrecht.",
            "De factuur van € 1.250,00 is te hoog.",
            "Op 03-11-2026 10:00 begon de training.",
            "Op 03/11/2026 ging het mis.",
            "Ik betaalde 0612345 euro.",
            "Het nummer 06123456789 heeft te veel cijfers.",
            "IBAN NL91ABNA0417164300",
            "mail 0612345678@example.nl",
            "Het was 2026-11-03.",
            "Bel 0012345678 niet.",
            "Mijn ordernummer 0123456789 klopt niet.",
            "Factuurnr.: 0612345678",
        ] {
            assert_eq!(phone(s), None, "{s}");
        }
        // And a case number next to a real phone number does not hide it.
        assert_eq!(phone("KL-2026-0007, tel. 06-12345678"), Some("06-12345678"));
    }

    #[test]
    fn postcodes_normalised() {
        assert_eq!(
            normalise_postcodes("Kerkstraat 12, 1234ab Utrecht"),
            "Kerkstraat 12, 1234 AB Utrecht"
        );
        assert_eq!(normalise_postcodes("1234  AB"), "1234 AB");
        let e =
            ex("Ik woon aan de Kerkstraat 12, 1234AB Utrecht en ik wil klagen over de planning.");
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Kerkstraat 12, 1234 AB Utrecht")
        );
    }

    #[test]
    fn every_date_form() {
        let cases = [
            ("Het gebeurde op 3 november.", d(2026, 11, 3)),
            (
                "Het gebeurde dinsdag 10 november 2026 in Utrecht.",
                d(2026, 11, 10),
            ),
            ("Het gebeurde op 3 nov. 2026.", d(2026, 11, 3)),
            ("Datum: 03-11-2026", d(2026, 11, 3)),
            ("Het gebeurde op 3-11-2026.", d(2026, 11, 3)),
            ("Het gebeurde op 3/11 om tien uur.", d(2026, 11, 3)),
            ("Op 3-11 heb ik de workshop gevolgd.", d(2026, 11, 3)),
            ("Het gebeurde op 03/11/2026.", d(2026, 11, 3)),
            ("Het gebeurde op 3.11.2026.", d(2026, 11, 3)),
            ("Het gebeurde op 3-11-26.", d(2026, 11, 3)),
            ("It happened on 2026-11-03.", d(2026, 11, 3)),
            ("It happened on November 3, 2026.", d(2026, 11, 3)),
            ("It happened on the 3rd of November.", d(2026, 11, 3)),
            ("It happened on 3 November.", d(2026, 11, 3)),
            ("Op 12 okt was het weer raak.", d(2026, 10, 12)),
            ("Op 1 sept. 2026 begon het.", d(2026, 9, 1)),
            ("Op 14 mrt 2026 begon het.", d(2026, 3, 14)),
            ("Het gebeurde gisteren.", d(2026, 11, 19)),
            ("Het gebeurde vandaag.", d(2026, 11, 20)),
            ("Het gebeurde eergisteren.", d(2026, 11, 18)),
            ("Het gebeurde vorige week dinsdag.", d(2026, 11, 10)),
            ("Het gebeurde afgelopen dinsdag.", d(2026, 11, 17)),
            ("It happened yesterday.", d(2026, 11, 19)),
        ];
        for (text, want) in cases {
            assert_eq!(date(text), Some(want), "{text}");
        }
    }

    #[test]
    fn the_first_date_in_the_text_wins() {
        assert_eq!(
            date("Op 5 november was het mis, en op 12-11-2026 weer."),
            Some(d(2026, 11, 5))
        );
        assert_eq!(
            date("Op 12-11-2026 was het mis, en op 5 november weer."),
            Some(d(2026, 11, 12))
        );
    }

    #[test]
    fn year_inference_across_new_year() {
        assert_eq!(
            first_date("op 28 december", d(2027, 1, 5)),
            Some(d(2026, 12, 28))
        );
        assert_eq!(first_date("op 28/12", d(2027, 1, 5)), Some(d(2026, 12, 28)));
        assert_eq!(
            first_date("op 2 januari", d(2027, 1, 5)),
            Some(d(2027, 1, 2))
        );
        // 29 February without a year: the last leap year.
        assert_eq!(
            first_date("op 29 februari", d(2027, 1, 5)),
            Some(d(2024, 2, 29))
        );
    }

    #[test]
    fn invalid_and_future_dates_are_ignored() {
        assert_eq!(date("Op 31-02-2026 ging het mis."), None);
        assert_eq!(date("Op 31 februari ging het mis."), None);
        assert_eq!(date("Op 45/13 ging het mis."), None);
        // Fractions, quantities and scores are no dates.
        assert_eq!(date("Ik volgde een 1/2 dag training."), None);
        assert_eq!(date("Het duurde 2-3 uur."), None);
        assert_eq!(date("Ik kreeg een 7-8 voor de toets."), None);
        // A future date with a year is no incident date; the next one is.
        assert_eq!(
            date("De herkansing is op 15 december 2026; het ging mis op 2 november."),
            Some(d(2026, 11, 2))
        );
        assert_eq!(date("De training van 1-12-2026 gaat niet door."), None);
        assert_eq!(
            date("Ik volgde de training 1.5 uur en betaalde € 1.250,00."),
            None
        );
    }

    #[test]
    fn dates_in_forward_headers_and_signatures_do_not_count() {
        let text = "Zie onderstaande klacht.

---------- Forwarded message ---------
Van: Piet Bakker <piet@example.nl>
Datum: di 17 nov. 2026 om 09:12
Onderwerp: Klacht
Aan: <info@numun.nl>

De training ging niet door maar ik moest wel betalen, dat vind ik niet terecht.

Met vriendelijke groet,
Piet Bakker
Verzonden op 18-11-2026
";
        let e = ex(text);
        assert_eq!(e.fields.incident_date, None);
        assert_eq!(e.fields.name.as_deref(), Some("Piet Bakker"));
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
    fn forwarded_complaint_reads_the_forwarded_part() {
        let mut m =
            msg("Hoi Fatima, zie hieronder een klacht die bij mij binnenkwam. Groet, Sanne");
        m.from = Some(addr(Some("Sanne Collega"), "sanne@numun.nl"));
        m.forwarded = Some(Forwarded {
            from: Some(addr(Some("Bram Smit"), "bram.smit@example.org")),
            date: None,
            subject: Some("Klacht workshop".into()),
            text: "Beste Sanne,\n\nTijdens de workshop tijdmanagement op 9 november werd ik door de trainer uitgescholden waar iedereen bij was.\n\nGroet,\nBram Smit\n06-87654321\n".into(),
        });
        let e = extract(&m, &catalogue(), sent());
        assert_eq!(e.fields.name.as_deref(), Some("Bram Smit"));
        assert_eq!(e.fields.email.as_deref(), Some("bram.smit@example.org"));
        assert_eq!(e.fields.phone.as_deref(), Some("06-87654321"));
        assert_eq!(e.fields.service.as_deref(), Some("Workshop Timemanagement"));
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 9)));
        assert_eq!(e.category, Some(Category::Aggression));
        assert!(e.serious);
    }

    #[test]
    fn another_contact_address_in_the_text() {
        let e = ex(
            "De uitleg was onduidelijk. Ik ben het best bereikbaar via j.devries@werk.nl overdag.",
        );
        assert_eq!(e.fields.email.as_deref(), Some("j.devries@werk.nl"));
        let e = ex(
            "Please reply to jan.private@example.com, not to this address. The teacher was rude.",
        );
        assert_eq!(e.fields.email.as_deref(), Some("jan.private@example.com"));
        // Our own address is never the contact address.
        let e = ex("Ik stuur dit naar klacht@numun.nl omdat de trainer onvoorbereid was.");
        assert_eq!(e.fields.email.as_deref(), Some("jan.devries@example.nl"));
        // An address merely mentioned is not a contact address.
        let e = ex("Ik had al gemaild met planning@bedrijf.nl over het rooster.");
        assert_eq!(e.fields.email.as_deref(), Some("jan.devries@example.nl"));
        // Reply-To names the contact address.
        let mut m = msg("De trainer was onvoorbereid.");
        m.reply_to = Some(addr(None, "jan.thuis@example.nl"));
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.email.as_deref(),
            Some("jan.thuis@example.nl")
        );
    }

    #[test]
    fn services_from_catalogue_and_free_text() {
        let e = ex("Ik volgde de Communicatie-training en was teleurgesteld.");
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Training Effectief Communiceren")
        );
        let mut m = msg("Het was niets.");
        m.subject = "Klacht over coachingstraject".into();
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.service.as_deref(),
            Some("Coaching")
        );
        let e = ex("Ik heb het leertraject Projectmatig Werken gevolgd, maar het was niets.");
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Leertraject Projectmatig Werken")
        );
        let e = ex("Ik volgde de workshop 'slim plannen' bij jullie.");
        assert_eq!(e.fields.service.as_deref(), Some("Workshop slim plannen"));
        let e = ex("I attended the Project Management course last month.");
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Project Management course")
        );
        let e = ex("De training was slecht en de cursus ook.");
        assert_eq!(e.fields.service, None);
        // "timemanagement" is part of a word here: no match.
        let e = ex("Ik volgde iets over timemanagementachtige zaken.");
        assert_eq!(e.fields.service, None);
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
        let e = ex("Hallo, ik wil graag een klacht indienen over de training van vorige week.");
        assert_eq!(
            e.fields.description.as_deref(),
            Some("ik wil graag een klacht indienen over de training van vorige week.")
        );
        assert_eq!(
            ex("Beste,\n\nZie bijlage.\n\nGroet,\nJan")
                .fields
                .description,
            None
        );
        assert_eq!(ex("").fields.description, None);
    }

    #[test]
    fn categories_and_serious_flags() {
        let cases = [
            (
                "Ik werd door een medecursist seksueel geïntimideerd, ongewenste intimiteiten.",
                Some(Category::SexualHarassment),
            ),
            (
                "Er was sprake van seksuele intimidatie door de trainer.",
                Some(Category::SexualHarassment),
            ),
            (
                "Ik voelde me gediscrimineerd vanwege mijn afkomst.",
                Some(Category::Discrimination),
            ),
            (
                "Hij maakte racistische opmerkingen.",
                Some(Category::Discrimination),
            ),
            (
                "Een deelnemer heeft mij geslagen.",
                Some(Category::Violence),
            ),
            (
                "De trainer werd agressief en scheldde mij uit.",
                Some(Category::Aggression),
            ),
            (
                "Ik werd bedreigd door een deelnemer.",
                Some(Category::Aggression),
            ),
            (
                "Ik werd de hele week gepest door twee deelnemers.",
                Some(Category::Bullying),
            ),
            (
                "I was bullied by another participant.",
                Some(Category::Bullying),
            ),
            (
                "Ik voelde me geïntimideerd door de trainer.",
                Some(Category::Intimidation),
            ),
            (
                "Er was sprake van intimidatie.",
                Some(Category::Intimidation),
            ),
            (
                "Mijn examen is onterecht beoordeeld en mijn certificaat ontbreekt.",
                Some(Category::Assessment),
            ),
            ("The trainer was unprepared.", Some(Category::Delivery)),
            (
                "De training werd zonder bericht geannuleerd.",
                Some(Category::Organisation),
            ),
            ("De lesstof was verouderd.", Some(Category::Content)),
            ("Het was een geweldige dag maar ik heb een vraag.", None),
            ("", None),
        ];
        for (text, want) in cases {
            let e = ex(text);
            assert_eq!(e.category, want, "{text}");
            assert_eq!(e.serious, want.is_some_and(Category::is_serious), "{text}");
        }
        // The name of a service is no keyword.
        let e = ex("De training Omgaan met Agressie begon een uur te laat.");
        assert_eq!(e.category, Some(Category::Delivery));
        assert!(!e.serious);
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Training Omgaan met Agressie")
        );
        // Serious keywords beat the others.
        let e = ex("De trainer was te laat en daarna werd ik gepest.");
        assert_eq!(e.category, Some(Category::Bullying));
        assert!(e.serious);
    }

    #[test]
    fn web_forms_letter_dates_and_odd_closings() {
        // A web form: the sender is a no-reply address, the form names the complainant.
        let mut m = msg(
            "Naam: Lisa Vermeer\nE-mail: lisa.vermeer@example.nl\nTelefoon: 0612345678\nDienst (training, cursus of workshop): Effectief communiceren\nBericht: De docent was er niet en niemand liet iets weten, we hebben een uur gewacht.",
        );
        m.from = Some(addr(Some("numun website"), "noreply@numun.nl"));
        let e = extract(&m, &catalogue(), sent());
        assert_eq!(e.fields.name.as_deref(), Some("Lisa Vermeer"));
        assert_eq!(e.fields.email.as_deref(), Some("lisa.vermeer@example.nl"));
        assert_eq!(
            e.fields.service.as_deref(),
            Some("Training Effectief Communiceren")
        );
        assert!(
            e.fields
                .description
                .as_deref()
                .unwrap()
                .starts_with("De docent was er niet")
        );
        // Without an address in the form, a no-reply sender is no contact address.
        m.text = "Bericht: De docent was er niet en niemand liet iets weten.".into();
        assert_eq!(extract(&m, &catalogue(), sent()).fields.email, None);
        // "Datum:" with the day of the mail heads a letter: the text says when it happened.
        let e =
            ex("Datum: 20-11-2026\n\nOp 2 november werd de training zonder bericht geannuleerd.");
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 2)));
        let e =
            ex("Datum: 2-11-2026\n\nDe training werd zonder bericht geannuleerd, op 20 november.");
        assert_eq!(e.fields.incident_date, Some(d(2026, 11, 2)));
        // Closings with more on the line.
        let e = ex(
            "De trainer was onvoorbereid en de lesstof was verouderd.\n\nMet vriendelijke groet / Kind regards,\nFemke Mol\nf.mol@example.nl",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Femke Mol"));
        assert_eq!(e.fields.email.as_deref(), Some("f.mol@example.nl"));
        assert_eq!(
            e.fields.description.as_deref(),
            Some("De trainer was onvoorbereid en de lesstof was verouderd.")
        );
        let e = ex(
            "De trainer was onvoorbereid en de lesstof was verouderd.\n\nMet vriendelijke groet, Femke Mol (06-11112222)",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Femke Mol"));
        assert_eq!(e.fields.phone.as_deref(), Some("06-11112222"));
        let e = ex(
            "De trainer was onvoorbereid en de lesstof was verouderd.\n\nMet vriendelijke groet en alvast bedankt,\nFemke Mol",
        );
        assert_eq!(e.fields.name.as_deref(), Some("Femke Mol"));
        // An address in a sentence, without a postcode.
        let e =
            ex("Ik woon op de Kerkstraat 12 in Utrecht en de training was slecht georganiseerd.");
        assert_eq!(e.fields.address.as_deref(), Some("Kerkstraat 12, Utrecht"));
        // Quoted lines are old mail, never content.
        let e = ex(
            "De trainer was onvoorbereid, dat wil ik melden.\n> Naam: Oud Bericht\n> Telefoon: 06-99999999",
        );
        assert_eq!(e.fields.phone, None);
        assert_eq!(e.fields.name.as_deref(), Some("Jan de Vries"));
    }

    #[test]
    fn nothing_panics_on_odd_input() {
        let digits = "0123456789".repeat(10_000);
        let dashes = "06-".repeat(30_000);
        let emoji =
            "😀 Klacht 💥 06-12345678 🎉 op 3 november 😡\nMet vriendelijke groet,\n👤 Jan 👤"
                .to_string();
        let mixed = "Имя: Иван Петров\nالاسم: محمد\n名前: 山田太郎\nTelefoon: ٠٦١٢٣٤٥٦٧٨\nDatum: 31-02-2026\nAdres: İstanbul Cd. 5, 1234 ĞÜ İzmir".to_string();
        let odd = [
            String::new(),
            " \n\t\r\n   ".into(),
            digits,
            dashes,
            emoji,
            mixed,
            "Naam:".into(),
            "Naam:\n".into(),
            "Omschrijving:".into(),
            "Adres:\n\n".into(),
            "+".into(),
            "+31".into(),
            "0031".into(),
            "(0".into(),
            "é0612345678é".into(),
            "31/12/99999 0/0 00-00-0000 2026-13-45 99 december 0 mei".into(),
            "Groet,".into(),
            "--\n--\n--".into(),
            "x@y".into(),
            "a@b.c".into(),
            "\u{0}\u{1}\u{7f}\u{feff}".into(),
            "e\u{301}\u{301}\u{301} gi\u{308}ntimideerd".into(),
            "vorige week zondag gisteren eergisteren vandaag afgelopen maandag 3".into(),
            "Van: a\nAan: b\nDatum: c\nOnderwerp: d".into(),
            "training 'abc".into(),
            "de training \u{201c}".into(),
        ];
        for text in &odd {
            let e = ex(text);
            let _ = format!("{e:?}");
            let mut m = msg(text);
            m.from = None;
            m.subject = text.clone();
            m.forwarded = Some(Forwarded {
                from: None,
                date: None,
                subject: Some(text.clone()),
                text: text.clone(),
            });
            let _ = extract(&m, &catalogue(), sent());
            let _ = extract(&m, &ServiceCatalogue::default(), NaiveDate::MIN);
            let _ = extract(&m, &catalogue(), NaiveDate::MAX);
        }
    }

    #[test]
    fn long_texts_are_read_up_to_a_limit() {
        assert_eq!(head("abc", 10), "abc");
        assert_eq!(head("ééééé", 3), "é");
        let text = format!("{}\n{}", "a".repeat(40), "b".repeat(40));
        assert_eq!(head(&text, 60), "a".repeat(40));
        // A complaint followed by a megabyte of pasted junk keeps its fields.
        let text = format!("{FORM}\n{}", "x".repeat(1 << 20));
        let e = ex(&text);
        assert_eq!(e.fields.name.as_deref(), Some("Petra Jansen"));
        assert_eq!(e.fields.phone.as_deref(), Some("06-12345678"));
    }

    #[test]
    fn a_very_long_complaint_is_read() {
        // Its speed is measured by `klachtd bench`; here only that it is read at all.
        let text = format!(
            "{FORM}\n{}",
            "De trainer was te laat en het lokaal te klein. ".repeat(2_000)
        );
        assert!(ex(&text).fields.description.is_some());
    }
}
