//! The nouns every layer shares: the case number, what a complaint says (fields,
//! category), a letter as data, the content hash of a mail, and the loop header.
//!
//! The leaf of the crate: it imports nothing of klachtd, so every other module may use it.

mod case_number;
mod fields;
mod language;
mod letter;

pub use case_number::{BadCaseNumber, CaseNumber};
pub use fields::{Category, Fields};
pub use language::Language;
pub use letter::{Enclosure, LetterKind, Outgoing};

/// The header every mail klachtd sends carries, to recognise our own mail coming back.
pub const LOOP_HEADER: &str = "X-Klachtd-Loop";

/// The content hash (SHA-256, hex) under which a raw mail is kept and recognised.
pub fn content_hash(raw: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(raw);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
