//! Parsing with mail-parser: headers, the new text of the mail (quoted history removed),
//! a forwarded complaint's original sender and text, attachments.
//!
//! Never panics on input. All MIME work (transfer encodings, charsets, RFC 2047) is done
//! by mail-parser, HTML is turned into text by html2text; what is left here is reading the
//! text the way a person would: what is new, what is quoted history, what was forwarded.
//!
//! Here: the types and "is it a mail at all"; `headers`, `body` (body text, HTML,
//! attachments), `thread` (new content, quoted history, the forwarded part) and `written`
//! (addresses and dates written as text).

mod body;
mod headers;
mod thread;
mod written;

use crate::intake::pattern::Pattern;

use chrono::{DateTime, FixedOffset};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::limits::{Limits, OverLimit};
use headers::parse_mail;

/// A mail address with its display name, decoded (RFC 2047).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub name: Option<String>,
    /// As written; compare with [`Address::same_as`].
    pub address: String,
}

impl Address {
    /// Mail addresses compare case-insensitively in practice (RFC 5321 allows a
    /// case-sensitive local part, no provider uses it).
    pub fn same_as(&self, other: &str) -> bool {
        self.address.eq_ignore_ascii_case(other.trim())
    }

    /// The part before the '@' (the whole address when there is none).
    pub fn local_part(&self) -> &str {
        self.address
            .rsplit_once('@')
            .map_or(self.address.as_str(), |(local, _)| local)
    }
}

/// A complaint forwarded to the complaint address (by a colleague, or by the
/// complainant from another account): read from the forwarded part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forwarded {
    pub from: Option<Address>,
    pub date: Option<DateTime<FixedOffset>>,
    pub subject: Option<String>,
    pub text: String,
}

/// What a delivery report says of the message it returns (its text/rfc822-headers part,
/// or the headers of its message/rfc822 part): the letter that did not arrive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Returned {
    pub subject: Option<String>,
    /// Without angle brackets.
    pub message_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: Option<String>,
    pub content_type: String,
    pub size: usize,
}

/// One mail, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Message {
    /// Without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: String,
    pub from: Option<Address>,
    pub reply_to: Option<Address>,
    pub to: Vec<Address>,
    pub return_path: Option<String>,
    pub date: Option<DateTime<FixedOffset>>,
    /// The date of the newest (topmost) Received header: when our server got the mail.
    pub received: Option<DateTime<FixedOffset>>,
    /// Every header as (lower-case name, decoded value), in order; for classification.
    pub headers: Vec<(String, String)>,
    /// Top-level MIME type, lower case, e.g. "multipart/report".
    pub content_type: String,
    /// The new content of the mail as plain text: HTML converted, quoted history removed.
    /// For a forward, the forwarding note only (the forwarded text is in `forwarded`).
    pub text: String,
    pub forwarded: Option<Forwarded>,
    pub attachments: Vec<Attachment>,
    /// What was taken out of the body to leave `text`: quoted lines (`> ...`), the reply
    /// history from an attribution line or an Outlook header block on, and the forwarded
    /// part as written. Not shown to anyone; classification looks here for a quoted case
    /// number.
    #[serde(default)]
    pub history: String,
    /// The method of a text/calendar part ("REQUEST", "CANCEL", ...; empty when it names
    /// none): an invitation or an answer to one.
    #[serde(default)]
    pub calendar: Option<String>,
    /// The text of attached .txt files (a complaint written in an attachment).
    #[serde(default)]
    pub attached_text: String,
    /// The message a delivery report returns.
    #[serde(default)]
    pub returned: Option<Returned>,
}

impl Message {
    /// The Message-IDs of the thread this mail answers: References, then In-Reply-To.
    pub fn thread(&self) -> Vec<String> {
        self.references
            .iter()
            .chain(&self.in_reply_to)
            .cloned()
            .collect()
    }

    /// The first value of a header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, by lower-case name, in order.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a header is present (any value, even empty).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| n == name)
    }
}

/// How long a subject may be once read (longer ones are shortened, with an ellipsis).
pub const MAX_SUBJECT_CHARS: usize = 200;
/// How long a display name may be once read.
pub const MAX_NAME_CHARS: usize = 100;

/// A header value made safe to show and to reuse: one line, no control characters (an
/// encoded word can decode to CR, LF, NUL or a terminal's escape sequence), no bidi
/// overrides (they make a name read backwards), runs of white space collapsed, at most
/// `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi { ' ' } else { c }
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= max {
        return joined;
    }
    let mut short: String = joined.chars().take(max.saturating_sub(1)).collect();
    short.truncate(short.trim_end().len());
    short.push('…');
    short
}

/// The input is not a mail at all (empty, binary, no header block).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a mail: {0}")]
pub struct NotAMail(pub String);

/// Why a mail was not read: it is none, or it went over a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unread {
    #[error(transparent)]
    NotAMail(#[from] NotAMail),
    #[error(transparent)]
    OverLimit(#[from] OverLimit),
}

impl From<Unread> for NotAMail {
    fn from(u: Unread) -> NotAMail {
        match u {
            Unread::NotAMail(n) => n,
            Unread::OverLimit(o) => NotAMail(o.to_string()),
        }
    }
}

/// Reads one raw mail. Never panics.
pub fn parse(raw: &[u8]) -> Result<Message, NotAMail> {
    let unbounded = Limits {
        text_bytes: usize::MAX,
        ..Limits::default()
    };
    Ok(parse_within(raw, &unbounded)?)
}

/// Reads one raw mail whose decoded text may be at most `limits.text_bytes` long (the
/// other limits are checked on the raw bytes before: [`super::limits::check`]).
pub fn parse_within(raw: &[u8], limits: &Limits) -> Result<Message, Unread> {
    let raw = looks_like_mail(raw)?;
    // mail-parser is fuzzed and promises not to panic; this is the belt to its braces,
    // so that one odd mail can never take the daemon down.
    std::panic::catch_unwind(|| parse_mail(raw, limits))
        .unwrap_or_else(|_| Err(NotAMail("the MIME structure could not be read".into()).into()))
}

// ---------------------------------------------------------------------------------------
// Is it a mail at all?

/// A header field name followed by a colon (RFC 5322 ftext), at the start of a line.
static HEADER_START: Pattern =
    Pattern::new(|| Regex::new(r"^[\x21-\x39\x3b-\x7e]{1,76}[ \t]*:").expect("regex"));

/// Strips what may precede the header block (blank lines, an mbox "From " line) and
/// rejects what cannot be a mail; returns the mail from its first header line.
fn looks_like_mail(raw: &[u8]) -> Result<&[u8], NotAMail> {
    let start = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .ok_or_else(|| NotAMail("empty input".into()))?;
    let mut raw = raw.get(start..).unwrap_or_default();
    if let Some(rest) = raw.strip_prefix(b"\xef\xbb\xbf") {
        // a UTF-8 byte order mark, as some tools save .eml files
        raw = rest;
    }
    if raw.starts_with(b"From ") {
        // an mbox separator line
        let next = raw
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |p| p + 1);
        raw = raw.get(next..).unwrap_or_default();
    }
    // the header block: up to the first blank line, at most 4 KB looked at
    let head = raw.get(..raw.len().min(4096)).unwrap_or_default();
    let head_end = head
        .windows(2)
        .position(|w| w == b"\n\n" || w == b"\n\r")
        .map_or(head.len(), |p| p + 1);
    let head = head.get(..head_end).unwrap_or(head);
    if head.contains(&0) {
        return Err(NotAMail(
            "binary data (NUL bytes in the header block)".into(),
        ));
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f)
        .count();
    if controls * 20 > head.len() {
        return Err(NotAMail("binary data (control characters)".into()));
    }
    let first = head.get(..head.len().min(100)).unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    if !HEADER_START.is_match(&first) {
        return Err(NotAMail(
            "no header block (the first line is not a header field)".into(),
        ));
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_leaves_one_safe_line() {
        assert_eq!(
            one_line("  Klacht\r\n over\tde  training ", 200),
            "Klacht over de training"
        );
        assert_eq!(
            one_line("a\u{1b}[31mb\0c\u{7f}d\u{85}e", 200),
            "a [31mb c d e"
        );
        assert_eq!(one_line("\u{202e}gnineerk", 200), "gnineerk");
        assert_eq!(one_line("José Müller", 200), "José Müller");
        let long = "woord ".repeat(100);
        let short = one_line(&long, 20);
        assert_eq!(short.chars().count(), 20, "{short}");
        assert!(short.ends_with('…'));
        assert_eq!(one_line("", 10), "");
    }

    pub(super) fn mail(headers: &str, body: &str) -> Vec<u8> {
        format!("{headers}\r\n\r\n{body}")
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
            .into_bytes()
    }

    pub(super) fn dt(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn not_a_mail() {
        for input in [
            &b""[..],
            b"   \r\n\r\n ",
            b"\x00\x01\x02\x03garbage\xff\xfe",
            b"Hello there, this is just a sentence.\nAnd another one.",
            b"\n\nSubject hi\n",
        ] {
            let err = parse(input).unwrap_err();
            assert!(!err.0.is_empty());
        }
        let many_a = vec![b'a'; 1 << 20];
        assert!(parse(&many_a).is_err());
    }

    #[test]
    fn header_only_is_a_mail() {
        let m = parse(b"Subject: hallo").unwrap();
        assert_eq!(m.subject, "hallo");
        assert_eq!(m.text, "");
        let m = parse(b"From jan@x.nl Tue Nov  3 10:12:33 2026\nSubject: mbox\n\nhoi").unwrap();
        assert_eq!(m.subject, "mbox");
        assert_eq!(m.text, "hoi");
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let m = parse(b"\xef\xbb\xbfSubject: bom\n\nhoi").unwrap();
        assert_eq!(m.subject, "bom");
    }

    #[test]
    fn deep_nesting_and_garbage_do_not_panic() {
        let mut body = String::new();
        for i in 0..200 {
            body.push_str(&format!(
                "--b{i}\nContent-Type: multipart/mixed; boundary=\"b{}\"\n\n",
                i + 1
            ));
        }
        body.push_str("--b200\nContent-Type: text/plain\n\ndiep\n");
        let raw = mail(
            "From: a@b.nl\nContent-Type: multipart/mixed; boundary=\"b0\"",
            &body,
        );
        let _ = parse(&raw);
        let mut seed = 42u64;
        for _ in 0..200 {
            let len = (seed % 3000) as usize;
            let mut v = Vec::with_capacity(len + 20);
            v.extend_from_slice(b"Subject: x\n");
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                v.push((seed >> 33) as u8);
            }
            let _ = parse(&v);
        }
    }
}
