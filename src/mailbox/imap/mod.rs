//! Complaints from an IMAP folder (async-imap over tokio-rustls): IDLE, UID sync.
//!
//! Sync is by UID, never by flags: the mailbox remembers the folder's UIDVALIDITY and the
//! highest UID it has handed out ([`SyncState`]); the daemon persists that state in its
//! store once the mails' effects are durable and passes it back at the next start. A mail
//! another client has already read (\Seen) is still new to us, and fetching never sets
//! \Seen (BODY.PEEK).
//!
//! Connections: any IO or protocol error drops the session; the next call reconnects, with
//! exponential backoff and jitter after failures (1 s doubling to 5 min). State changes
//! (connected, connection lost, reconnected) are logged once each, and logs carry UIDs and
//! folder names only: never mail content, names or addresses.
//!
//! Here: the mailbox, its operations and UID sync. `connection`: TCP, TLS, backoff;
//! `auth`: login; `session`: IDLE and what a session can do; `filing`: moving mail to
//! other folders; `reading`: a folder read whole, read-only (rebuild); `folder_name`:
//! folder names on the wire.

mod auth;
mod connection;
mod filing;
mod folder_name;
mod reading;
mod session;

use std::collections::HashSet;
use std::io;
use std::time::Duration;

use chrono::Utc;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

pub use self::connection::Conn;
use self::connection::{Link, Server};
pub use self::folder_name::encode_folder;
pub use self::reading::Filed;
use self::session::{Caps, IDLE_RENEWAL, OpError, Session, drain_unsolicited};
use super::{Folder, IncomingMail, MailId, Mailbox, MailboxError, Window};
use crate::config::{Config, Kind};

/// Where UID sync stands in one folder: persisted by the daemon, given back at start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    pub folder: String,
    /// 0: not known yet (first run).
    pub uid_validity: u32,
    /// The highest UID handed out by `fetch_new` (0: none yet).
    pub last_uid: u32,
}

impl SyncState {
    /// The state of a folder never synced.
    pub fn new(folder: impl Into<String>) -> SyncState {
        SyncState {
            folder: folder.into(),
            uid_validity: 0,
            last_uid: 0,
        }
    }
}

/// Time allowed for one operation (fetch, move, append) once connected.
const OP_TIMEOUT: Duration = Duration::from_secs(300);

/// The folders and how to wait, from the config.
#[derive(Debug, Clone)]
struct Settings {
    folder: String,
    processed_folder: String,
    set_aside_folder: String,
    sent_folder: String,
    idle: bool,
    poll: Duration,
}

/// A [`Mailbox`] on an IMAP server.
pub struct ImapMailbox {
    server: Server,
    settings: Settings,
    state: SyncState,
    session: Option<Session>,
    caps: Caps,
    link: Link,
    uidvalidity_change: Option<(u32, u32)>,
    /// Folders known to exist (created or listed) on this server.
    folders: HashSet<String>,
    idle_renewal: Duration,
    force_copy: bool,
    warned_no_uidplus: bool,
    window: Window,
    /// (UIDVALIDITY, UID) of the mails outside the window, counted once each.
    passed_over: HashSet<(u32, u32)>,
    left_alone: usize,
}

impl std::fmt::Debug for ImapMailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapMailbox")
            .field("host", &self.server.endpoint.host)
            .field("port", &self.server.endpoint.port)
            .field("folder", &self.settings.folder)
            .field("state", &self.state)
            .field("connected", &self.session.is_some())
            .finish()
    }
}

impl ImapMailbox {
    /// An IMAP mailbox as `config.mailbox` describes it, resuming from `state` (the last
    /// persisted [`SyncState`], or `None` on the first run). Does not connect yet: the
    /// first call (or [`ImapMailbox::connect`]) does.
    pub fn new(config: &Config, state: Option<SyncState>) -> Result<ImapMailbox, MailboxError> {
        let m = &config.mailbox;
        if m.kind != Kind::Imap {
            return Err(MailboxError::Protocol(
                "mailbox.kind is not \"imap\"".into(),
            ));
        }
        let server = Server::new(config)?;
        let state = match state {
            Some(s) if s.folder == m.folder => s,
            Some(_) => {
                tracing::info!(folder = %m.folder, "IMAP: the configured folder changed; syncing it from the start");
                SyncState::new(&m.folder)
            }
            None => SyncState::new(&m.folder),
        };
        Ok(ImapMailbox {
            server,
            settings: Settings {
                folder: m.folder.clone(),
                processed_folder: m.processed_folder.clone(),
                set_aside_folder: m.set_aside_folder.clone(),
                sent_folder: m.sent_folder.clone(),
                idle: m.idle,
                poll: Duration::from_secs(m.poll_seconds.max(1)),
            },
            state,
            session: None,
            caps: Caps::default(),
            link: Link::default(),
            uidvalidity_change: None,
            folders: HashSet::new(),
            idle_renewal: IDLE_RENEWAL,
            force_copy: false,
            warned_no_uidplus: false,
            window: Window::default(),
            passed_over: HashSet::new(),
            left_alone: 0,
        })
    }

    /// Where UID sync stands: persist it once the fetched mails' effects are durable.
    pub fn sync_state(&self) -> SyncState {
        self.state.clone()
    }

    /// `Some((old, new))` once after the folder's UIDVALIDITY changed: the folder has been
    /// fetched again from UID 1, so mails already taken in may come again (with new UIDs)
    /// and must be recognised (Message-ID, content hash); the owner should be told.
    pub fn take_uidvalidity_change(&mut self) -> Option<(u32, u32)> {
        self.uidvalidity_change.take()
    }

    /// Goes back to a sync state persisted earlier (or to the start of the folder), so
    /// mails fetched since are fetched again.
    pub fn rewind(&mut self, to: Option<SyncState>) {
        self.state = match to {
            Some(state) if state.folder == self.settings.folder => state,
            _ => SyncState::new(self.settings.folder.clone()),
        };
    }

    /// Whether a session is open now.
    pub fn is_connected(&self) -> bool {
        self.session.is_some()
    }

    /// Connects and logs in now, ignoring any backoff (e.g. to check the config at start).
    pub async fn connect(&mut self) -> Result<(), MailboxError> {
        if self.session.is_some() {
            return Ok(());
        }
        self.link.retry_now();
        self.ensure_session().await.map(|_| ())
    }

    /// Logs out and closes the session (a later call connects again).
    pub async fn logout(&mut self) {
        if let Some(mut s) = self.session.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), s.logout()).await;
        }
    }

    /// For tests: how long one IDLE lasts before it is ended and `wait` returns.
    #[doc(hidden)]
    pub fn set_idle_renewal(&mut self, renewal: Duration) {
        self.idle_renewal = renewal;
    }

    /// For tests: dispose with UID COPY + STORE \Deleted + UID EXPUNGE even when the
    /// server offers MOVE.
    #[doc(hidden)]
    pub fn set_force_copy(&mut self, force: bool) {
        self.force_copy = force;
    }

    /// Makes sure a session is open. `Ok(true)`: it was opened just now.
    async fn ensure_session(&mut self) -> Result<bool, MailboxError> {
        if self.session.is_some() {
            return Ok(false);
        }
        self.link.may_attempt()?;
        match self.server.open().await {
            Ok((session, caps)) => {
                self.link.connected(&self.settings.folder, caps);
                self.caps = caps;
                self.session = Some(session);
                Ok(true)
            }
            Err(e) => {
                self.link.failed(&e);
                Err(e)
            }
        }
    }

    /// Drops a broken session.
    fn lose(&mut self, error: &MailboxError) {
        self.session = None;
        self.link.lost(error);
    }

    /// Turns an operation's result into the trait's, dropping the session when broken.
    fn finish<T>(&mut self, result: Result<T, OpError>) -> Result<T, MailboxError> {
        result.map_err(|e| {
            if e.fatal {
                self.lose(&e.error);
            }
            e.error
        })
    }

    /// Runs an operation on an open session; if a reused session turns out to be broken
    /// (the server restarted, the connection timed out), connects once more and retries.
    async fn run(&mut self, op: Op<'_>) -> Result<Done, MailboxError> {
        for _ in 0..2 {
            let fresh = self.ensure_session().await?;
            let attempt = async {
                match op {
                    Op::FetchNew => self.op_fetch_new().await.map(Done::Mails),
                    Op::Dispose(mails) => self.op_dispose(mails).await.map(|()| Done::Unit),
                    Op::KeepSent(raw) => self.op_keep_sent(raw).await.map(|()| Done::Unit),
                }
            };
            let result = match tokio::time::timeout(OP_TIMEOUT, attempt).await {
                Ok(r) => r,
                Err(_) => Err(OpError {
                    error: MailboxError::Io(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "IMAP operation timed out",
                    )),
                    fatal: true,
                }),
            };
            match result {
                Err(e) if e.fatal && !fresh => {
                    // a stale session: note the loss and try once on a new one
                    self.lose(&e.error);
                }
                other => return self.finish(other),
            }
        }
        Err(MailboxError::Protocol("IMAP: not connected".into()))
    }

    fn session(&mut self) -> Result<&mut Session, OpError> {
        self.session
            .as_mut()
            .ok_or_else(|| OpError::protocol("not connected"))
    }

    /// SELECTs the folder, noticing a UIDVALIDITY change. Returns UIDNEXT if given.
    async fn select(&mut self) -> Result<Option<u32>, OpError> {
        let folder = encode_folder(&self.settings.folder);
        let mailbox = self.session()?.select(&folder).await?;
        drain_unsolicited(self.session()?);
        let validity = mailbox
            .uid_validity
            .ok_or_else(|| OpError::protocol("SELECT gave no UIDVALIDITY"))?;
        if self.state.uid_validity != validity {
            if self.state.uid_validity != 0 {
                tracing::warn!(
                    folder = %self.settings.folder,
                    old = self.state.uid_validity,
                    new = validity,
                    "IMAP UIDVALIDITY changed; fetching the folder again from UID 1"
                );
                self.uidvalidity_change = Some((self.state.uid_validity, validity));
            }
            self.state.uid_validity = validity;
            self.state.last_uid = 0;
        }
        Ok(mailbox.uid_next)
    }

    async fn op_fetch_new(&mut self) -> Result<Vec<IncomingMail>, OpError> {
        let uid_next = self.select().await?;
        let last = self.state.last_uid;
        if uid_next.is_some_and(|next| next <= last.saturating_add(1)) {
            return Ok(Vec::new());
        }
        let session = self.session()?;
        let found = session
            .uid_search(format!("UID {}:*", last.saturating_add(1)))
            .await?;
        drain_unsolicited(session);
        // `N:*` also matches the last mail when all UIDs are below N
        let mut uids: Vec<u32> = found.into_iter().filter(|&u| u > last).collect();
        uids.sort_unstable();
        if uids.is_empty() {
            if let Some(next) = uid_next {
                // every UID below UIDNEXT at SELECT time existed then: what is not here was
                // removed by someone else, and must not make `wait` return again and again
                self.state.last_uid = last.max(next.saturating_sub(1));
            }
            return Ok(Vec::new());
        }
        // A batch at a time (the rest stays above `last_uid` for the next call).
        uids.truncate(super::BATCH);
        let Some(&highest) = uids.last() else {
            return Ok(Vec::new());
        };
        let validity = self.state.uid_validity;
        let wanted = if self.window == Window::default() {
            uids.clone()
        } else {
            // The arrival first (INTERNALDATE): mail outside the window is left alone,
            // and its body is never fetched.
            let set = uid_set(&uids);
            let session = self.session()?;
            let dates: Vec<_> = session
                .uid_fetch(&set, "(UID INTERNALDATE)")
                .await?
                .try_collect()
                .await?;
            drain_unsolicited(session);
            let mut wanted = Vec::new();
            for f in &dates {
                let Some(uid) = f.uid.filter(|&u| u > last) else {
                    continue;
                };
                let inside = f
                    .internal_date()
                    .is_none_or(|d| self.window.contains(d.with_timezone(&Utc)));
                if inside {
                    wanted.push(uid);
                } else if self.passed_over.insert((validity, uid)) {
                    self.left_alone += 1;
                }
            }
            wanted.sort_unstable();
            wanted
        };
        if wanted.is_empty() {
            self.state.last_uid = last.max(highest);
            return Ok(Vec::new());
        }
        let set = uid_set(&wanted);
        let session = self.session()?;
        let fetches: Vec<_> = session
            .uid_fetch(&set, "(UID INTERNALDATE BODY.PEEK[])")
            .await?
            .try_collect()
            .await?;
        drain_unsolicited(session);
        let mut mails = Vec::new();
        let mut missing_body: Option<u32> = None;
        for f in &fetches {
            // `N:*` also answers with the last mail when all UIDs are below N
            let Some(uid) = f.uid.filter(|&u| u > last) else {
                continue;
            };
            let Some(body) = f.body() else {
                tracing::warn!(
                    uid,
                    "IMAP FETCH gave no body; the mail is fetched again later"
                );
                missing_body = Some(missing_body.map_or(uid, |m: u32| m.min(uid)));
                continue;
            };
            let arrived = f
                .internal_date()
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_else(|| crate::clock::Clock::system().now());
            mails.push(IncomingMail {
                id: MailId::Uid {
                    uid_validity: validity,
                    uid,
                },
                raw: body.to_vec(),
                arrived,
            });
        }
        mails.sort_by_key(|m| match m.id {
            MailId::Uid { uid, .. } => uid,
            MailId::File(_) => 0,
        });
        {
            // The daemon persists this only after the batch is taken in, and rewinds to the
            // persisted state when it could not take it in (see `Mailbox::rewind`). A mail
            // whose body did not come stays above `last_uid`, with everything after it, so
            // it is never skipped for good.
            let upto = match missing_body {
                Some(uid) => uid.saturating_sub(1),
                None => highest,
            };
            mails.retain(|m| matches!(m.id, MailId::Uid { uid, .. } if uid <= upto));
            self.state.last_uid = last.max(upto);
        }
        if !mails.is_empty() {
            tracing::debug!(
                folder = %self.settings.folder,
                count = mails.len(),
                "IMAP fetched new mail"
            );
        }
        Ok(mails)
    }

    /// IDLE until the folder changes, the renewal time passes, or cancellation.
    async fn idle(&mut self, cancel: &CancellationToken) -> Result<(), MailboxError> {
        // Anything that arrived since the last fetch? (IDLE only reports what comes after.)
        let uid_next = match self.select().await {
            Ok(next) => next,
            Err(e) if e.fatal => {
                // a stale session: the next fetch_new connects again
                self.lose(&e.error);
                return Ok(());
            }
            Err(e) => return Err(e.error),
        };
        // (a UIDVALIDITY change noticed here has reset last_uid: fetch at once)
        if uid_next.is_some_and(|n| n > self.state.last_uid.saturating_add(1)) {
            return Ok(());
        }
        let Some(session) = self.session.take() else {
            return Ok(());
        };
        match session::idle(session, self.idle_renewal, cancel).await {
            Ok(session) => self.session = Some(session),
            Err(e) => self.lose(&e),
        }
        Ok(())
    }
}

/// `klachtd config check` for the mailbox: connect, TLS, login, then the folders (the
/// complaint folder must exist; the others are created when first needed, so a missing
/// one is reported as such, not as a failure). Creates nothing; logs out.
pub async fn probe(config: &Config) -> Vec<crate::config::Probe> {
    use crate::config::Probe;
    let mut lines = Vec::new();
    let server = match Server::new(config) {
        Ok(s) => s,
        Err(e) => {
            lines.push(Probe::fail("IMAP setup", e.to_string()));
            return lines;
        }
    };
    let Some(mut session) = server.probe(&mut lines).await else {
        return lines;
    };
    let m = &config.mailbox;
    let folders = [
        ("mailbox.folder", m.folder.as_str()),
        ("mailbox.processed_folder", m.processed_folder.as_str()),
        ("mailbox.set_aside_folder", m.set_aside_folder.as_str()),
        ("mailbox.sent_folder", m.sent_folder.as_str()),
    ];
    for (key, folder) in folders {
        if folder.is_empty() {
            continue;
        }
        let what = format!("IMAP folder {folder:?}");
        let found = session.status(encode_folder(folder), "(MESSAGES)").await;
        drain_unsolicited(&mut session);
        lines.push(match found {
            Ok(status) => Probe::pass(what, format!("{} mail(s)", status.exists)),
            Err(_) if key == "mailbox.folder" => Probe::fail(
                what,
                "not on the server: check mailbox.folder (complaints arrive there)",
            ),
            Err(_) => Probe::later(what, format!("missing: created when first needed ({key})")),
        });
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), session.logout()).await;
    lines
}

/// A UID set for FETCH, SEARCH and MOVE, runs as ranges: `3,5:8,10` (the UIDs sorted).
fn uid_set(uids: &[u32]) -> String {
    let mut set = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        while i + 1 < uids.len() && uids[i + 1] == uids[i].wrapping_add(1) {
            i += 1;
        }
        if !set.is_empty() {
            set.push(',');
        }
        set.push_str(&start.to_string());
        if uids[i] != start {
            set.push(':');
            set.push_str(&uids[i].to_string());
        }
        i += 1;
    }
    set
}

/// An operation run by [`ImapMailbox::run`].
#[derive(Clone, Copy)]
enum Op<'a> {
    FetchNew,
    Dispose(&'a [(MailId, Folder)]),
    KeepSent(&'a [u8]),
}

/// What an [`Op`] gives back.
enum Done {
    Mails(Vec<IncomingMail>),
    Unit,
}

impl Mailbox for ImapMailbox {
    async fn fetch_new(&mut self) -> Result<Vec<IncomingMail>, MailboxError> {
        match self.run(Op::FetchNew).await? {
            Done::Mails(mails) => Ok(mails),
            Done::Unit => Ok(Vec::new()),
        }
    }

    async fn dispose(&mut self, id: &MailId, folder: Folder) -> Result<(), MailboxError> {
        self.dispose_all(&[(id.clone(), folder)]).await
    }

    async fn dispose_all(&mut self, mails: &[(MailId, Folder)]) -> Result<(), MailboxError> {
        if mails.is_empty() {
            return Ok(());
        }
        self.run(Op::Dispose(mails)).await.map(|_| ())
    }

    async fn keep_sent(&mut self, raw: &[u8]) -> Result<(), MailboxError> {
        if self.settings.sent_folder.is_empty() {
            return Ok(());
        }
        self.run(Op::KeepSent(raw)).await.map(|_| ())
    }

    async fn close(&mut self) {
        if self.session.is_some() {
            self.logout().await;
            tracing::info!(folder = %self.settings.folder, "IMAP logged out");
        }
    }

    fn set_window(&mut self, window: Window) {
        self.window = window;
    }

    fn take_left_alone(&mut self) -> usize {
        std::mem::take(&mut self.left_alone)
    }

    async fn wait(&mut self, cancel: &CancellationToken) -> Result<(), MailboxError> {
        if cancel.is_cancelled() {
            return Ok(());
        }
        if self.session.is_none() {
            // disconnected: wait for the next connection attempt
            if let Some(at) = self.link.next_attempt() {
                tokio::select! {
                    _ = tokio::time::sleep_until(at) => {}
                    _ = cancel.cancelled() => {}
                }
            }
            return Ok(());
        }
        if self.settings.idle && self.caps.idle {
            self.idle(cancel).await
        } else {
            tokio::select! {
                _ = tokio::time::sleep(self.settings.poll) => {}
                _ = cancel.cancelled() => {}
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The daemon runs the mailbox in a spawned task: its futures must be Send.
    #[allow(dead_code)]
    fn futures_are_send(mb: &mut ImapMailbox, cancel: &CancellationToken, id: &MailId) {
        fn send<T: Send>(_: T) {}
        send(mb.fetch_new());
        send(mb.dispose(id, Folder::Processed));
        send(mb.dispose_all(&[]));
        send(mb.keep_sent(b""));
        send(mb.wait(cancel));
        send(mb.connect());
    }

    #[test]
    fn uid_sets_name_runs_as_ranges() {
        assert_eq!(uid_set(&[]), "");
        assert_eq!(uid_set(&[7]), "7");
        assert_eq!(uid_set(&[3, 5, 8]), "3,5,8");
        assert_eq!(uid_set(&[1, 2, 3, 4, 50]), "1:4,50");
        assert_eq!(uid_set(&[2, 4, 5, 6, 9, 10]), "2,4:6,9:10");
        assert_eq!(uid_set(&[u32::MAX - 1, u32::MAX]), "4294967294:4294967295");
    }

    #[test]
    fn sync_state_round_trips_as_json() {
        let s = SyncState {
            folder: "INBOX".into(),
            uid_validity: 7,
            last_uid: 42,
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<SyncState>(&json).unwrap(), s);
    }
}
