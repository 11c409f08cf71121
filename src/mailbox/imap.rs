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

use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::imap_proto::{MailboxDatum, Response, Status};
use chrono::Utc;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, RootCertStore, pki_types::ServerName};
use tokio_util::sync::CancellationToken;

use super::{Disposition, IncomingMail, MailId, Mailbox, MailboxError};
use crate::config::{Config, Kind, Secret, Tls};
use crate::secret;

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

/// Time allowed to connect, secure and log in.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed for one operation (fetch, move, append) once connected.
const OP_TIMEOUT: Duration = Duration::from_secs(300);
/// IDLE is ended and re-issued before the 29 minutes of RFC 2177.
const IDLE_RENEWAL: Duration = Duration::from_secs(25 * 60);
/// Time allowed for DONE at the end of IDLE.
const DONE_TIMEOUT: Duration = Duration::from_secs(15);
const BACKOFF_FIRST: Duration = Duration::from_secs(1);
const BACKOFF_MAX: Duration = Duration::from_secs(300);

/// The byte stream under the IMAP session: plaintext (loopback only) or TLS.
#[derive(Debug)]
pub enum Conn {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

type Session = async_imap::Session<Conn>;

/// What the server can do, as far as we care.
#[derive(Debug, Clone, Copy, Default)]
struct Caps {
    idle: bool,
    mv: bool,
    uidplus: bool,
}

/// Connection bookkeeping: backoff, and logging each state change once.
#[derive(Debug, Default)]
struct Link {
    ever_connected: bool,
    /// A loss or failure has been logged and the link is not back yet.
    down_logged: bool,
    /// Failed connection attempts since the last success.
    failures: u32,
    next_attempt: Option<Instant>,
}

/// An error inside an operation, and whether the session is unusable after it.
struct OpError {
    error: MailboxError,
    fatal: bool,
}

impl From<async_imap::error::Error> for OpError {
    fn from(e: async_imap::error::Error) -> OpError {
        use async_imap::error::Error as E;
        // NO and a refused argument leave the session usable; everything else may not.
        let fatal = !matches!(e, E::No(_) | E::Validate(_));
        OpError {
            error: MailboxError::Protocol(e.to_string()),
            fatal,
        }
    }
}

impl From<io::Error> for OpError {
    fn from(e: io::Error) -> OpError {
        OpError {
            error: MailboxError::Io(e),
            fatal: true,
        }
    }
}

impl OpError {
    fn protocol(message: impl Into<String>) -> OpError {
        OpError {
            error: MailboxError::Protocol(message.into()),
            fatal: true,
        }
    }
}

/// The IMAP settings, from the config.
#[derive(Debug, Clone)]
struct Settings {
    host: String,
    port: u16,
    tls: Tls,
    user: String,
    secret: Option<Secret>,
    folder: String,
    processed_folder: String,
    set_aside_folder: String,
    sent_folder: String,
    idle: bool,
    poll: Duration,
}

/// A [`Mailbox`] on an IMAP server.
pub struct ImapMailbox {
    settings: Settings,
    tls: Option<TlsConnector>,
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
}

impl std::fmt::Debug for ImapMailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapMailbox")
            .field("host", &self.settings.host)
            .field("port", &self.settings.port)
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
        let host = m
            .host
            .clone()
            .ok_or_else(|| MailboxError::Protocol("mailbox.host is not set".into()))?;
        let user = m
            .user
            .clone()
            .ok_or_else(|| MailboxError::Protocol("mailbox.user is not set".into()))?;
        let tls = m.tls.unwrap_or(Tls::Implicit);
        let port = m.port.unwrap_or(match tls {
            Tls::Implicit => 993,
            Tls::Starttls | Tls::None => 143,
        });
        let secret = config
            .mailbox_secret()
            .map_err(|e| MailboxError::Protocol(e.to_string()))?;
        let connector = match tls {
            Tls::None => None,
            Tls::Implicit | Tls::Starttls => Some(tls_connector(m.ca_file.as_deref())?),
        };
        let state = match state {
            Some(s) if s.folder == m.folder => s,
            Some(_) => {
                tracing::info!(folder = %m.folder, "IMAP: the configured folder changed; syncing it from the start");
                SyncState::new(&m.folder)
            }
            None => SyncState::new(&m.folder),
        };
        Ok(ImapMailbox {
            settings: Settings {
                host,
                port,
                tls,
                user,
                secret,
                folder: m.folder.clone(),
                processed_folder: m.processed_folder.clone(),
                set_aside_folder: m.set_aside_folder.clone(),
                sent_folder: m.sent_folder.clone(),
                idle: m.idle,
                poll: Duration::from_secs(m.poll_seconds.max(1)),
            },
            tls: connector,
            state,
            session: None,
            caps: Caps::default(),
            link: Link::default(),
            uidvalidity_change: None,
            folders: HashSet::new(),
            idle_renewal: IDLE_RENEWAL,
            force_copy: false,
            warned_no_uidplus: false,
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
        self.link.next_attempt = None;
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
        if let Some(at) = self.link.next_attempt {
            let now = Instant::now();
            if at > now {
                return Err(MailboxError::Protocol(format!(
                    "not connected; next attempt in {} s",
                    (at - now).as_secs() + 1
                )));
            }
        }
        let attempt = tokio::time::timeout(CONNECT_TIMEOUT, self.open())
            .await
            .unwrap_or_else(|_| {
                Err(MailboxError::Io(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connecting timed out",
                )))
            });
        match attempt {
            Ok((session, caps)) => {
                if !self.link.ever_connected {
                    tracing::info!(
                        folder = %self.settings.folder,
                        idle = caps.idle,
                        r#move = caps.mv,
                        uidplus = caps.uidplus,
                        failed_attempts = self.link.failures,
                        "IMAP connected"
                    );
                } else if self.link.down_logged || self.link.failures > 0 {
                    tracing::info!(failed_attempts = self.link.failures, "IMAP reconnected");
                }
                self.link = Link {
                    ever_connected: true,
                    ..Link::default()
                };
                self.caps = caps;
                self.session = Some(session);
                Ok(true)
            }
            Err(e) => {
                self.link.failures += 1;
                let exp = (self.link.failures - 1).min(16);
                let base = BACKOFF_FIRST.saturating_mul(1u32 << exp).min(BACKOFF_MAX);
                // jitter: 75 % to 125 % of the base delay
                let delay = base.mul_f64(0.75 + fastrand::f64() * 0.5);
                self.link.next_attempt = Some(Instant::now() + delay);
                if !self.link.down_logged {
                    tracing::warn!(error = %e, "IMAP cannot connect; retrying with backoff");
                    self.link.down_logged = true;
                } else {
                    tracing::debug!(error = %e, attempt = self.link.failures, retry_in_ms = delay.as_millis() as u64, "IMAP connection attempt failed");
                }
                Err(e)
            }
        }
    }

    /// Drops a broken session.
    fn lose(&mut self, error: &MailboxError) {
        self.session = None;
        if !self.link.down_logged {
            tracing::warn!(error = %error, "IMAP connection lost");
            self.link.down_logged = true;
        }
        // the first attempt after a loss is immediate
        self.link.failures = 0;
        self.link.next_attempt = None;
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

    /// Opens a connection, secures it as configured and logs in.
    async fn open(&self) -> Result<(Session, Caps), MailboxError> {
        let s = &self.settings;
        let tcp = TcpStream::connect((s.host.as_str(), s.port)).await?;
        tcp.set_nodelay(true).ok();
        let conn = match s.tls {
            Tls::None => Conn::Plain(tcp),
            Tls::Implicit => Conn::Tls(Box::new(self.handshake(tcp).await?)),
            Tls::Starttls => {
                let mut client = async_imap::Client::new(tcp);
                read_greeting(&mut client).await?;
                client
                    .run_command_and_check_ok("STARTTLS", None)
                    .await
                    .map_err(|e| MailboxError::Protocol(format!("STARTTLS refused: {e}")))?;
                Conn::Tls(Box::new(self.handshake(client.into_inner()).await?))
            }
        };
        let mut client = async_imap::Client::new(conn);
        if s.tls != Tls::Starttls {
            read_greeting(&mut client).await?;
        }
        let before = capabilities(&mut client).await?;
        let secret = match s.secret.clone() {
            Some(secret) => secret,
            None => {
                return Err(MailboxError::Protocol(
                    "no password or token configured".into(),
                ));
            }
        };
        let is_token = secret::is_token(&secret);
        let value = tokio::task::spawn_blocking(move || secret::resolve_secret(&secret))
            .await
            .map_err(|e| MailboxError::Protocol(format!("secret: {e}")))?
            .map_err(|e| MailboxError::Protocol(format!("secret: {e}")))?;
        let login = if is_token {
            if !before.contains("AUTH=XOAUTH2") {
                tracing::debug!("IMAP server does not advertise AUTH=XOAUTH2; trying anyway");
            }
            client
                .authenticate(
                    "XOAUTH2",
                    XOAuth2 {
                        user: s.user.clone(),
                        token: value,
                        sent: false,
                    },
                )
                .await
        } else if before.contains("LOGINDISABLED") {
            if !before.contains("AUTH=PLAIN") {
                return Err(MailboxError::Protocol(
                    "the server disables LOGIN and offers no AUTH=PLAIN".into(),
                ));
            }
            client
                .authenticate(
                    "PLAIN",
                    Plain {
                        user: s.user.clone(),
                        password: value,
                    },
                )
                .await
        } else {
            client.login(&s.user, &value).await
        };
        let mut session =
            login.map_err(|(e, _)| MailboxError::Protocol(format!("login failed: {e}")))?;
        let caps = session
            .capabilities()
            .await
            .map_err(|e| MailboxError::Protocol(format!("CAPABILITY: {e}")))?;
        let caps = Caps {
            idle: caps.has_str("IDLE"),
            mv: caps.has_str("MOVE"),
            uidplus: caps.has_str("UIDPLUS"),
        };
        Ok((session, caps))
    }

    async fn handshake(
        &self,
        tcp: TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, MailboxError> {
        let connector = self
            .tls
            .as_ref()
            .ok_or_else(|| MailboxError::Protocol("TLS is not configured".into()))?;
        let name = ServerName::try_from(self.settings.host.clone())
            .map_err(|e| MailboxError::Protocol(format!("mailbox.host for TLS: {e}")))?;
        connector.connect(name, tcp).await.map_err(|e| {
            MailboxError::Io(io::Error::new(
                e.kind(),
                format!("TLS handshake with {}: {e}", self.settings.host),
            ))
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
                    Op::Dispose(id, disposition) => {
                        self.op_dispose(id, disposition).await.map(|()| Done::Unit)
                    }
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
        let set = uids
            .iter()
            .map(|u| u.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let session = self.session()?;
        let fetches: Vec<_> = session
            .uid_fetch(&set, "(UID INTERNALDATE BODY.PEEK[])")
            .await?
            .try_collect()
            .await?;
        drain_unsolicited(session);
        let validity = self.state.uid_validity;
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
        if let Some(&highest) = uids.last() {
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

    /// Creates a folder unless it exists (and subscribes to it, for mail clients).
    async fn ensure_folder(&mut self, name: &str) -> Result<(), OpError> {
        if self.folders.contains(name) {
            return Ok(());
        }
        let encoded = encode_folder(name);
        let session = self.session()?;
        let names: Vec<_> = session
            // async-imap sends the pattern as given: quote it
            .list(Some(""), Some(&quote(&encoded)))
            .await?
            .try_collect()
            .await?;
        let exists = names.iter().any(|n| n.name() == encoded);
        if !exists {
            match session.create(&encoded).await {
                Ok(()) => {
                    let folder = name; // a folder's name, never a person's
                    tracing::info!(folder, "IMAP created folder");
                    let _ = session.subscribe(&encoded).await;
                }
                // created meanwhile by someone else
                Err(async_imap::error::Error::No(m)) if m.contains("ALREADYEXISTS") => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.folders.insert(name.to_string());
        Ok(())
    }

    async fn op_dispose(&mut self, id: &MailId, disposition: Disposition) -> Result<(), OpError> {
        let MailId::Uid { uid_validity, uid } = *id else {
            return Err(OpError {
                error: MailboxError::Protocol(format!("not an IMAP mail id: {id}")),
                fatal: false,
            });
        };
        self.select().await?;
        if uid_validity != self.state.uid_validity {
            // the UID means nothing now; the folder is fetched again from UID 1, so the
            // mail comes back under its new UID and is disposed of then
            tracing::warn!(
                uid,
                old = uid_validity,
                new = self.state.uid_validity,
                "IMAP: not moving a mail of an earlier UIDVALIDITY"
            );
            return Ok(());
        }
        let target = match disposition {
            Disposition::Processed => self.settings.processed_folder.clone(),
            Disposition::SetAside => self.settings.set_aside_folder.clone(),
        };
        let session = self.session()?;
        let present = session.uid_search(format!("UID {uid}")).await?;
        drain_unsolicited(session);
        if !present.contains(&uid) {
            // moved by an earlier run that stopped before it could record it
            tracing::info!(uid, folder = %target, "IMAP mail already gone from the folder; counting it as moved");
            return Ok(());
        }
        self.ensure_folder(&target).await?;
        let encoded = encode_folder(&target);
        let use_move = self.caps.mv && !self.force_copy;
        let uidplus = self.caps.uidplus;
        let session = self.session()?;
        let set = uid.to_string();
        if use_move {
            session.uid_mv(&set, &encoded).await?;
        } else {
            session.uid_copy(&set, &encoded).await?;
            let _: Vec<_> = session
                .uid_store(&set, "+FLAGS.SILENT (\\Deleted)")
                .await?
                .try_collect()
                .await?;
            if uidplus {
                let _: Vec<_> = session.uid_expunge(&set).await?.try_collect().await?;
            } else if !self.warned_no_uidplus {
                // a plain EXPUNGE could remove other clients' deleted mail: leave it flagged
                tracing::warn!(
                    "IMAP server has neither MOVE nor UIDPLUS: moved mails stay in the folder flagged \\Deleted"
                );
                self.warned_no_uidplus = true;
            }
        }
        drain_unsolicited(self.session()?);
        tracing::debug!(uid, folder = %target, "IMAP moved mail");
        Ok(())
    }

    async fn op_keep_sent(&mut self, raw: &[u8]) -> Result<(), OpError> {
        let folder = self.settings.sent_folder.clone();
        self.ensure_folder(&folder).await?;
        let session = self.session()?;
        session
            .append(encode_folder(&folder), Some("(\\Seen)"), None, raw)
            .await?;
        drain_unsolicited(session);
        tracing::debug!(folder = %folder, "IMAP appended a sent letter");
        Ok(())
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
        let mut handle = session.idle();
        if let Err(e) = handle.init().await {
            self.lose(&MailboxError::Protocol(format!("IDLE: {e}")));
            return Ok(());
        }
        let deadline = Instant::now() + self.idle_renewal;
        enum End {
            NewMail,
            Renew,
            Cancelled,
            Lost(String),
        }
        let end = loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            // the handle's own timeout restarts at every response (keepalives included)
            let (wait, _stop) = handle.wait_with_timeout(remaining + Duration::from_secs(1));
            tokio::select! {
                r = wait => match r {
                    Ok(IdleResponse::NewData(data)) => match data.parsed() {
                        Response::MailboxData(MailboxDatum::Exists(_))
                        | Response::MailboxData(MailboxDatum::Recent(_)) => break End::NewMail,
                        Response::Data { status: Status::Bye, .. } => {
                            break End::Lost("the server said BYE".into());
                        }
                        // flag changes, expunges: nothing new to fetch
                        Response::Expunge(_) | Response::Fetch(..) => {}
                        _ => break End::NewMail,
                    },
                    Ok(IdleResponse::Timeout) => break End::Renew,
                    // we never interrupt: the stream ended
                    Ok(IdleResponse::ManualInterrupt) => break End::Lost("connection closed during IDLE".into()),
                    Err(e) => break End::Lost(format!("IDLE: {e}")),
                },
                _ = tokio::time::sleep_until(deadline) => break End::Renew,
                _ = cancel.cancelled() => break End::Cancelled,
            }
        };
        match end {
            End::Lost(message) => {
                self.lose(&MailboxError::Protocol(message));
                Ok(())
            }
            End::NewMail | End::Renew | End::Cancelled => {
                match tokio::time::timeout(DONE_TIMEOUT, handle.done()).await {
                    Ok(Ok(mut session)) => {
                        drain_unsolicited(&mut session);
                        self.session = Some(session);
                    }
                    Ok(Err(e)) => self.lose(&MailboxError::Protocol(format!("IDLE DONE: {e}"))),
                    Err(_) => self.lose(&MailboxError::Protocol("IDLE DONE timed out".into())),
                }
                Ok(())
            }
        }
    }
}

/// An operation run by [`ImapMailbox::run`].
#[derive(Clone, Copy)]
enum Op<'a> {
    FetchNew,
    Dispose(&'a MailId, Disposition),
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

    async fn dispose(&mut self, id: &MailId, disposition: Disposition) -> Result<(), MailboxError> {
        self.run(Op::Dispose(id, disposition)).await.map(|_| ())
    }

    async fn keep_sent(&mut self, raw: &[u8]) -> Result<(), MailboxError> {
        if self.settings.sent_folder.is_empty() {
            return Ok(());
        }
        self.run(Op::KeepSent(raw)).await.map(|_| ())
    }

    async fn wait(&mut self, cancel: &CancellationToken) -> Result<(), MailboxError> {
        if cancel.is_cancelled() {
            return Ok(());
        }
        if self.session.is_none() {
            // disconnected: wait for the next connection attempt
            if let Some(at) = self.link.next_attempt {
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

/// The TLS client config: the system's roots plus an optional extra CA file (PEM).
fn tls_connector(ca_file: Option<&Path>) -> Result<TlsConnector, MailboxError> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    let (added, _ignored) = roots.add_parsable_certificates(native.certs);
    tracing::debug!(added, "loaded the system's root certificates");
    if let Some(path) = ca_file {
        let pem = std::fs::read(path).map_err(|e| {
            MailboxError::Io(io::Error::new(
                e.kind(),
                format!("mailbox.ca_file {}: {e}", path.display()),
            ))
        })?;
        let mut n = 0;
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            let cert = cert.map_err(|e| {
                MailboxError::Protocol(format!("mailbox.ca_file {}: {e}", path.display()))
            })?;
            roots.add(cert).map_err(|e| {
                MailboxError::Protocol(format!("mailbox.ca_file {}: {e}", path.display()))
            })?;
            n += 1;
        }
        if n == 0 {
            return Err(MailboxError::Protocol(format!(
                "mailbox.ca_file {}: no certificate in it",
                path.display()
            )));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| MailboxError::Protocol(format!("TLS setup: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

/// Reads the server greeting: OK (or PREAUTH) goes on, BYE or anything else is an error.
async fn read_greeting<T>(client: &mut async_imap::Client<T>) -> Result<(), MailboxError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let greeting = client.read_response().await?.ok_or_else(|| {
        MailboxError::Io(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed before the greeting",
        ))
    })?;
    match greeting.parsed() {
        Response::Data {
            status: Status::Ok | Status::PreAuth,
            ..
        } => Ok(()),
        other => Err(MailboxError::Protocol(format!(
            "unexpected greeting: {:?}",
            short_debug(other)
        ))),
    }
}

/// CAPABILITY before login (async-imap only offers it on a session).
async fn capabilities(
    client: &mut async_imap::Client<Conn>,
) -> Result<HashSet<String>, MailboxError> {
    const TAG: &str = "kcap";
    let stream = client.get_mut();
    stream
        .write_all(format!("{TAG} CAPABILITY\r\n").as_bytes())
        .await?;
    stream.flush().await?;
    let mut caps = HashSet::new();
    loop {
        let response = client.read_response().await?.ok_or_else(|| {
            MailboxError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed during CAPABILITY",
            ))
        })?;
        match response.parsed() {
            Response::Capabilities(list) => {
                use async_imap::imap_proto::Capability as C;
                for c in list {
                    caps.insert(match c {
                        C::Imap4rev1 => "IMAP4REV1".to_string(),
                        C::Auth(a) => format!("AUTH={}", a.to_ascii_uppercase()),
                        C::Atom(a) => a.to_ascii_uppercase(),
                    });
                }
            }
            Response::Done { tag, status, .. } if tag.0 == TAG => {
                return match status {
                    Status::Ok => Ok(caps),
                    _ => Err(MailboxError::Protocol("CAPABILITY refused".into())),
                };
            }
            _ => {}
        }
    }
}

fn short_debug(r: &Response<'_>) -> String {
    let mut s = format!("{r:?}");
    s.truncate(200);
    s
}

/// Empties the channel of unsolicited responses (it holds at most 100, then drops).
fn drain_unsolicited(session: &mut Session) {
    while session.unsolicited_responses.try_recv().is_ok() {}
}

struct Plain {
    user: String,
    password: String,
}

impl async_imap::Authenticator for Plain {
    type Response = Vec<u8>;
    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        format!("\0{}\0{}", self.user, self.password).into_bytes()
    }
}

struct XOAuth2 {
    user: String,
    token: String,
    sent: bool,
}

impl async_imap::Authenticator for XOAuth2 {
    type Response = Vec<u8>;
    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        if self.sent {
            // after a failure the server sends an error as a challenge: answer empty
            return Vec::new();
        }
        self.sent = true;
        format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token).into_bytes()
    }
}

/// An IMAP quoted string.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3), as sent on the wire.
pub fn encode_folder(name: &str) -> String {
    use base64::Engine as _;
    fn flush(out: &mut String, pending: &mut Vec<u16>) {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes);
        out.push('&');
        out.push_str(&b64.replace('/', ","));
        out.push('-');
        pending.clear();
    }
    let mut out = String::new();
    let mut pending = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut out, &mut pending);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut out, &mut pending);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_in_modified_utf7() {
        assert_eq!(encode_folder("Verwerkt"), "Verwerkt");
        assert_eq!(encode_folder("Apart gezet"), "Apart gezet");
        assert_eq!(encode_folder("A&B"), "A&-B");
        assert_eq!(encode_folder("Björn"), "Bj&APY-rn");
        assert_eq!(encode_folder("日本語"), "&ZeVnLIqe-");
        assert_eq!(
            encode_folder("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }

    /// The daemon runs the mailbox in a spawned task: its futures must be Send.
    #[allow(dead_code)]
    fn futures_are_send(mb: &mut ImapMailbox, cancel: &CancellationToken, id: &MailId) {
        fn send<T: Send>(_: T) {}
        send(mb.fetch_new());
        send(mb.dispose(id, Disposition::Processed));
        send(mb.keep_sent(b""));
        send(mb.wait(cancel));
        send(mb.connect());
    }

    #[test]
    fn sasl_responses() {
        use async_imap::Authenticator as _;
        let mut plain = Plain {
            user: "k@example.test".into(),
            password: "pw".into(),
        };
        assert_eq!(plain.process(b""), b"\0k@example.test\0pw");
        let mut xoauth2 = XOAuth2 {
            user: "k@example.test".into(),
            token: "tok".into(),
            sent: false,
        };
        assert_eq!(
            xoauth2.process(b""),
            b"user=k@example.test\x01auth=Bearer tok\x01\x01"
        );
        // the error challenge after a refused token is answered empty
        assert_eq!(xoauth2.process(b"{\"status\":\"401\"}"), b"");
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
