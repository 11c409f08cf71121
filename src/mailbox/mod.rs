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

/// Where the daemon moves a mail once its effects are durable (the processed or the
/// set-aside folder; never deleted). What became of it is `store::Disposition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    Processed,
    SetAside,
}

/// The most mails one `fetch_new` returns: a backlog is taken in batch by batch, so memory
/// stays bounded however many mails wait.
pub const BATCH: usize = 50;

/// Which mails a mailbox hands out, by their arrival: from `from` (inclusive) until
/// `until` (exclusive). The daemon takes what came from `[mailbox] since` on; `klachtd
/// history` what came before it. Mail outside is left where it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl Window {
    pub fn contains(&self, arrived: DateTime<Utc>) -> bool {
        self.from.is_none_or(|f| arrived >= f) && self.until.is_none_or(|u| arrived < u)
    }
}

/// A source of complaint mails.
#[allow(async_fn_in_trait)] // used with concrete types only, never boxed
pub trait Mailbox {
    /// Mails not yet taken in (by UID or file, never by flags), oldest first, at most
    /// [`BATCH`].
    async fn fetch_new(&mut self) -> Result<Vec<IncomingMail>, MailboxError>;
    /// Moves a mail out of the inbox, never deleting it.
    async fn dispose(&mut self, id: &MailId, folder: Folder) -> Result<(), MailboxError>;
    /// Moves a batch of mails out of the inbox, each to its folder (IMAP: one UID MOVE
    /// per folder).
    async fn dispose_all(&mut self, mails: &[(MailId, Folder)]) -> Result<(), MailboxError> {
        for (id, folder) in mails {
            self.dispose(id, *folder).await?;
        }
        Ok(())
    }
    /// Keeps a copy of a letter sent to a complainant (the Sent folder), if configured.
    async fn keep_sent(&mut self, raw: &[u8]) -> Result<(), MailboxError>;
    /// Waits until there may be new mail (IDLE, or the poll interval), or cancellation.
    async fn wait(&mut self, cancel: &CancellationToken) -> Result<(), MailboxError>;
    /// What to remember across restarts (IMAP: UIDVALIDITY and the last UID taken in).
    fn sync_state(&self) -> Option<imap::SyncState> {
        None
    }
    /// Forgets what was fetched since `to` was the sync state, so it is fetched again
    /// (after mails could not be taken in).
    fn rewind(&mut self, to: Option<imap::SyncState>) {
        let _ = to;
    }
    /// Something the owner should hear about the mailbox itself, once (a UIDVALIDITY
    /// change), in Dutch.
    fn take_notice(&mut self) -> Option<String> {
        None
    }
    /// Ends the session politely (IMAP LOGOUT) at shutdown.
    async fn close(&mut self) {}
    /// Hands out only the mail that arrived within `window` (see [`Window`]).
    fn set_window(&mut self, window: Window);
    /// How many mails outside the window were passed over since the last call (each
    /// mail counted once per mailbox).
    fn take_left_alone(&mut self) -> usize;
}

/// The mailbox the config names.
pub enum AnyMailbox {
    Maildir(Box<maildir::MaildirMailbox>),
    Imap(Box<imap::ImapMailbox>),
}

impl AnyMailbox {
    /// Opens the configured mailbox; `state` is what `sync_state` said last time.
    pub fn open(
        config: &crate::config::Config,
        state: Option<imap::SyncState>,
    ) -> Result<AnyMailbox, MailboxError> {
        let m = &config.mailbox;
        Ok(match m.kind {
            crate::config::Kind::Imap => {
                AnyMailbox::Imap(Box::new(imap::ImapMailbox::new(config, state)?))
            }
            _ => AnyMailbox::Maildir(Box::new(maildir::MaildirMailbox::open(
                m.path.as_deref().unwrap_or(".".as_ref()),
                m.seed.as_deref(),
                &m.set_aside_folder,
                &m.sent_folder,
                m.poll_seconds,
            )?)),
        })
    }
}

impl AnyMailbox {
    /// For a reader that moves nothing (`klachtd history --dry-run`): each mail is handed
    /// out once. (IMAP does so anyway: its UIDs move on.)
    pub fn hand_out_once(&mut self) {
        if let AnyMailbox::Maildir(m) = self {
            m.hand_out_once();
        }
    }
}

impl Mailbox for AnyMailbox {
    async fn fetch_new(&mut self) -> Result<Vec<IncomingMail>, MailboxError> {
        match self {
            AnyMailbox::Maildir(m) => m.fetch_new().await,
            AnyMailbox::Imap(m) => m.fetch_new().await,
        }
    }

    async fn dispose(&mut self, id: &MailId, folder: Folder) -> Result<(), MailboxError> {
        match self {
            AnyMailbox::Maildir(m) => m.dispose(id, folder).await,
            AnyMailbox::Imap(m) => m.dispose(id, folder).await,
        }
    }

    async fn dispose_all(&mut self, mails: &[(MailId, Folder)]) -> Result<(), MailboxError> {
        match self {
            AnyMailbox::Maildir(m) => m.dispose_all(mails).await,
            AnyMailbox::Imap(m) => m.dispose_all(mails).await,
        }
    }

    async fn keep_sent(&mut self, raw: &[u8]) -> Result<(), MailboxError> {
        match self {
            AnyMailbox::Maildir(m) => m.keep_sent(raw).await,
            AnyMailbox::Imap(m) => m.keep_sent(raw).await,
        }
    }

    async fn wait(&mut self, cancel: &CancellationToken) -> Result<(), MailboxError> {
        match self {
            AnyMailbox::Maildir(m) => m.wait(cancel).await,
            AnyMailbox::Imap(m) => m.wait(cancel).await,
        }
    }

    fn sync_state(&self) -> Option<imap::SyncState> {
        match self {
            AnyMailbox::Maildir(_) => None,
            AnyMailbox::Imap(m) => Some(m.sync_state()),
        }
    }

    fn rewind(&mut self, to: Option<imap::SyncState>) {
        if let AnyMailbox::Imap(m) = self {
            m.rewind(to);
        }
    }

    async fn close(&mut self) {
        if let AnyMailbox::Imap(m) = self {
            m.close().await;
        }
    }

    fn set_window(&mut self, window: Window) {
        match self {
            AnyMailbox::Maildir(m) => m.set_window(window),
            AnyMailbox::Imap(m) => m.set_window(window),
        }
    }

    fn take_left_alone(&mut self) -> usize {
        match self {
            AnyMailbox::Maildir(m) => m.take_left_alone(),
            AnyMailbox::Imap(m) => m.take_left_alone(),
        }
    }

    fn take_notice(&mut self) -> Option<String> {
        match self {
            AnyMailbox::Maildir(_) => None,
            AnyMailbox::Imap(m) => m.take_uidvalidity_change().map(|(old, new)| {
                format!(
                    "de IMAP-server heeft de map opnieuw genummerd (UIDVALIDITY {old} -> {new}). \
                     klachtd heeft de map opnieuw gelezen; e-mails die al verwerkt waren zijn \
                     herkend en niet opnieuw beantwoord. Er is niets verloren gegaan."
                )
            }),
        }
    }
}
