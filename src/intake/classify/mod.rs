//! Every mail is a new complaint, a follow-up to a case, or automated mail (never
//! answered), with the reason.
//!
//! Automated mail is recognised first and wins over everything (RFC 3834: never answer
//! auto-replies, bounces, mailing lists or our own mail). Then a case number anywhere in
//! the mail (subject, new text, forwarded part, quoted history) makes it a follow-up.
//! Everything else is a new complaint.

use crate::intake::pattern::Pattern;
use std::str::FromStr;

use regex::Regex;
use serde::{Deserialize, Serialize};

mod automated;

pub use automated::{Robot, automated, letter_ids_in, robot, robot_address};

use super::parse::Message;
use crate::domain::CaseNumber;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Complaint,
    FollowUp,
    Automated,
}

impl Class {
    /// The stable key, as in JSON: `complaint`, `follow_up`, `automated`.
    pub fn key(self) -> &'static str {
        match self {
            Class::Complaint => "complaint",
            Class::FollowUp => "follow_up",
            Class::Automated => "automated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub class: Class,
    /// Why, in a few words an owner understands (no personal data).
    pub reason: String,
    pub case_ref: Option<CaseNumber>,
}

/// Who "we" are, to recognise our own mail (loops).
#[derive(Debug, Clone, Default)]
pub struct OwnIdentity {
    /// The complaint address(es), e.g. klacht@numun.nl.
    pub addresses: Vec<String>,
}

pub fn classify(message: &Message, own: &OwnIdentity) -> Classification {
    if let Some(reason) = automated(message, own) {
        // An out-of-office reply to one of our letters still names its case.
        return Classification {
            class: Class::Automated,
            reason,
            case_ref: case_reference(message, own).map(|(n, _)| n),
        };
    }
    if let Some((case, reason)) = case_reference(message, own) {
        return Classification {
            class: Class::FollowUp,
            reason,
            case_ref: Some(case),
        };
    }
    Classification {
        class: Class::Complaint,
        reason: if message.forwarded.is_some() {
            "a forwarded mail from a person".into()
        } else {
            "a new mail from a person".into()
        },
        case_ref: None,
    }
}

/// "Klachten numun <klacht@numun.nl>" or "klacht@numun.nl" → "klacht@numun.nl".
fn bare_address(configured: &str) -> &str {
    match (configured.rfind('<'), configured.rfind('>')) {
        (Some(start), Some(end)) if start < end => {
            configured.get(start + 1..end).unwrap_or(configured)
        }
        _ => configured.trim(),
    }
}

/// A case number as people write it: `KL-2026-0048`, and sloppily `kl 2026-0048`,
/// `KL2026-0048`, `KL 2026 0048`, `KL_2026/0048`, `KL – 2026 – 0048`. Only with the
/// letters KL, a year of four digits and a sequence of at least four (as we write it):
/// "KL-2026-48" or "2026-0048" alone could be another number, and a wrong link is worse
/// than none (a case number only links, it authorises nothing).
static CASE_NUMBER: Pattern = Pattern::new(|| {
    let sep = r"(?:[ \t]*[-\u{2010}\u{2011}\u{2013}\u{2014}_./:][ \t]*|[ \t]+)";
    Regex::new(&format!(
        r"(?i)\bKL{sep}?(?P<y>\d{{4}}){sep}(?P<n>\d{{4,6}})\b"
    ))
    .expect("regex")
});

/// The first valid case number in a text.
pub fn find_case_number(text: &str) -> Option<CaseNumber> {
    CASE_NUMBER.captures_iter(text).find_map(|c| {
        let (year, seq) = (c.name("y")?.as_str(), c.name("n")?.as_str());
        CaseNumber::from_str(&format!("KL-{year}-{seq}")).ok()
    })
}

/// The case named in one of our own letters' Message-IDs
/// (`klachtd.KL-2026-0012.acknowledgement.3@numun.nl`), when the domain is ours (or we
/// know no address of our own).
fn own_message_case(id: &str, own: &OwnIdentity) -> Option<CaseNumber> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let rest = id.strip_prefix("klachtd.")?;
    let (_, domain) = rest.rsplit_once('@')?;
    let ours = own.addresses.is_empty()
        || own.addresses.iter().any(|a| {
            bare_address(a)
                .rsplit_once('@')
                .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain))
        });
    if !ours {
        return None;
    }
    let number = rest.split('.').next()?;
    CaseNumber::from_str(&number.to_ascii_uppercase()).ok()
}

/// A case number quoted in the subject, else the new text, else the forwarded part, else
/// the quoted history, else one of our letters' Message-IDs in In-Reply-To or
/// References, else the letter a bounce returns; with the reason.
fn case_reference(m: &Message, own: &OwnIdentity) -> Option<(CaseNumber, String)> {
    if let Some(n) = find_case_number(&m.subject) {
        return Some((n, format!("case {n} in the subject")));
    }
    if let Some(n) = find_case_number(&m.text) {
        return Some((n, format!("case {n} in the text")));
    }
    if let Some(f) = &m.forwarded
        && let Some(n) = f
            .subject
            .as_deref()
            .and_then(find_case_number)
            .or_else(|| find_case_number(&f.text))
    {
        return Some((n, format!("case {n} in the forwarded mail")));
    }
    if let Some(n) = find_case_number(&m.history) {
        return Some((n, format!("quotes case {n}")));
    }
    if let Some(n) = m
        .in_reply_to
        .iter()
        .chain(m.references.iter().rev())
        .find_map(|id| own_message_case(id, own))
    {
        return Some((n, format!("a reply to our letter in case {n}")));
    }
    // A bounce names the case only in the letter it returns: its subject, as an
    // auto-reply's, or our Message-ID.
    if let Some(r) = &m.returned
        && let Some(n) = r.subject.as_deref().and_then(find_case_number).or_else(|| {
            r.message_id
                .as_deref()
                .and_then(|id| own_message_case(id, own))
        })
    {
        return Some((n, format!("returns our letter in case {n}")));
    }
    None
}

#[cfg(test)]
mod tests;
