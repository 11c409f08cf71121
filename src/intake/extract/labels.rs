//! Labelled fields: the labels of a complaint form ("Naam:", "Telefoon:", a filled-in
//! form), the value on the same or the next line, and what counts as left empty.

use crate::intake::pattern::Pattern;

use super::addresses::{PC, PC_LINE};
use super::lines::closing_line;
use super::{re, trim_punct};

/// The labels of a complaint form. Matched with the whole line; the value follows the
/// colon (or is on the next line).
pub(super) static LABEL: Pattern = Pattern::new(|| {
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
pub(super) enum Label {
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

pub(super) fn label_kind(label: &str) -> Label {
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
pub(super) fn label_of(line: &str) -> Option<(Label, &str)> {
    let caps = LABEL.captures(line)?;
    let kind = label_kind(caps.name("l")?.as_str());
    Some((kind, caps.name("v").map_or("", |m| m.as_str())))
}

/// A value as filled in, or "" for the usual ways of leaving a form field empty.
pub(super) fn clean_value(value: &str) -> &str {
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
pub(super) struct Labels {
    pub(super) name: Option<String>,
    pub(super) first: Option<String>,
    pub(super) particle: Option<String>,
    pub(super) last: Option<String>,
    pub(super) street: Option<String>,
    pub(super) postcode: Option<String>,
    pub(super) town: Option<String>,
    pub(super) postcode_town: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) email: Option<String>,
    pub(super) service: Option<String>,
    pub(super) date: Option<String>,
    pub(super) plain_date: Option<String>,
    pub(super) description: Option<String>,
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

/// Reads the labelled fields of every line (a form may also follow the closing).
pub(super) fn read_labels(
    lines: &[&str],
    skip: &[bool],
    sig_start: usize,
    consumed: &mut [bool],
) -> Labels {
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
pub(super) fn next_nonblank(lines: &[&str], from: usize, blanks: usize) -> Option<usize> {
    (from..lines.len().min(from + blanks + 1)).find(|j| !lines[*j].trim().is_empty())
}
