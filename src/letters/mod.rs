//! Every mail klachtd sends, rendered from the templates in templates/.

use serde::{Deserialize, Serialize};

use crate::cases::CaseNumber;

/// A mail ready to send: queued in the store's outbox in the same transaction as the
/// change that causes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// Stable: derived from the case and the letter, so a retry or a replay after a crash
    /// carries the same Message-ID (without angle brackets).
    pub message_id: String,
    pub kind: String,
    pub case: Option<CaseNumber>,
    /// Envelope sender (bare address).
    pub envelope_from: String,
    /// Envelope recipients (bare addresses).
    pub recipients: Vec<String>,
    /// Whether this goes to the complainant (a copy goes to the Sent folder).
    pub to_complainant: bool,
    /// The formatted RFC 5322 message.
    pub raw: Vec<u8>,
}
