//! Parsing with mail-parser: headers, the new text of the mail (quoted history removed),
//! a forwarded complaint's original sender and text, attachments.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

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
}

impl Message {
    /// The first value of a header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The input is not a mail at all (empty, binary, no header block).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a mail: {0}")]
pub struct NotAMail(pub String);

/// Reads one raw mail. Never panics.
pub fn parse(raw: &[u8]) -> Result<Message, NotAMail> {
    let parsed = mail_parser::MessageParser::default()
        .parse(raw)
        .ok_or_else(|| NotAMail("no header block".into()))?;
    Ok(Message {
        subject: parsed.subject().unwrap_or_default().to_string(),
        text: parsed
            .body_text(0)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        ..Message::default()
    })
}
