//! Where complaints arrive: a Maildir (the embedded default) or an IMAP folder.
//!
//! The daemon sees one [`Mailbox`]: fetch what is new, then — only after the store has
//! made the mail's effects durable — move it to the processed (or set-aside) folder.

pub mod imap;
pub mod maildir;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

/// Identifies a mail within its mailbox: a Maildir file name, or an IMAP UID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MailId {
    File(String),
    Uid { uid_validity: u32, uid: u32 },
}

impl std::fmt::Display for MailId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailId::File(name) => write!(f, "file {name}"),
            MailId::Uid { uid_validity, uid } => write!(f, "uid {uid_validity}/{uid}"),
        }
    }
}

/// One mail as the mailbox holds it.
#[derive(Debug, Clone)]
pub struct IncomingMail {
    pub id: MailId,
    pub raw: Vec<u8>,
    /// When the mailbox received it (IMAP INTERNALDATE, Maildir file time).
    pub arrived: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    #[error("mailbox: {0}")]
    Io(#[from] std::io::Error),
    #[error("mailbox: {0}")]
    Protocol(String),
}

/// What the daemon does with a mail once its effects are durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Processed,
    SetAside,
}

/// A source of complaint mails.
#[allow(async_fn_in_trait)] // used with concrete types only, never boxed
pub trait Mailbox {
    /// Mails not yet taken in (by UID or file, never by flags), oldest first.
    async fn fetch_new(&mut self) -> Result<Vec<IncomingMail>, MailboxError>;
    /// Moves a mail out of the inbox, never deleting it.
    async fn dispose(&mut self, id: &MailId, disposition: Disposition) -> Result<(), MailboxError>;
    /// Keeps a copy of a letter sent to a complainant (the Sent folder), if configured.
    async fn keep_sent(&mut self, raw: &[u8]) -> Result<(), MailboxError>;
    /// Waits until there may be new mail (IDLE, or the poll interval), or cancellation.
    async fn wait(&mut self, cancel: &CancellationToken) -> Result<(), MailboxError>;
}
