//! The connection to the IMAP server: TCP, then TLS (implicit, STARTTLS, or none to a
//! loopback address) with the system's roots and an optional CA file, the greeting and
//! CAPABILITY before login; the time allowed to connect, and the backoff with jitter
//! between failed attempts (1 s doubling to 5 min).

use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::imap_proto::{Response, Status};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, RootCertStore, pki_types::ServerName};

use super::auth::Login;
use super::session::{Caps, Session};
use crate::config::{Config, Endpoint, Probe, ServerDefaults, Tls, connect_fix, tls_fix};
use crate::mailbox::MailboxError;

/// Time allowed to connect, secure and log in.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);
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

/// The IMAP server as the config describes it, and how to log in to it.
pub(super) struct Server {
    pub(super) endpoint: Endpoint,
    /// `None` for plaintext.
    connector: Option<TlsConnector>,
    login: Login,
    /// The key the secret is read from (for what to fix).
    secret_key: String,
}

impl Server {
    /// The server of `config.mailbox` (whose kind is "imap"). Reads the CA file, if any.
    pub(super) fn new(config: &Config) -> Result<Server, MailboxError> {
        let server = &config.mailbox.server;
        let endpoint = server
            .endpoint(ServerDefaults::IMAP)
            .ok_or_else(|| MailboxError::Protocol("mailbox.host is not set".into()))?;
        let user = server
            .user
            .clone()
            .ok_or_else(|| MailboxError::Protocol("mailbox.user is not set".into()))?;
        let secret = config
            .mailbox_secret()
            .map_err(|e| MailboxError::Protocol(e.to_string()))?;
        let connector = match endpoint.tls {
            Tls::None => None,
            Tls::Implicit | Tls::Starttls => Some(tls_connector(server.ca_file.as_deref())?),
        };
        Ok(Server {
            endpoint,
            connector,
            login: Login { user, secret },
            secret_key: server.secret_key("mailbox"),
        })
    }

    /// Opens a connection, secures it as configured and logs in, within the time allowed.
    pub(super) async fn open(&self) -> Result<(Session, Caps), MailboxError> {
        tokio::time::timeout(CONNECT_TIMEOUT, self.open_now())
            .await
            .unwrap_or_else(|_| {
                Err(MailboxError::Io(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connecting timed out",
                )))
            })
    }

    async fn open_now(&self) -> Result<(Session, Caps), MailboxError> {
        let Endpoint { host, port, tls } = &self.endpoint;
        let tcp = TcpStream::connect((host.as_str(), *port)).await?;
        tcp.set_nodelay(true).ok();
        let conn = match tls {
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
        if *tls != Tls::Starttls {
            read_greeting(&mut client).await?;
        }
        let before = capabilities(&mut client).await?;
        let mut session = self.login.log_in(client, &before).await?;
        let caps = Caps::query(&mut session).await?;
        Ok((session, caps))
    }

    /// `klachtd config check`: connect, TLS, login, one line each, the failing one naming
    /// the key to change; the session when all went well.
    pub(super) async fn probe(&self, lines: &mut Vec<Probe>) -> Option<Session> {
        let Endpoint { host, port, tls } = &self.endpoint;
        let step = Duration::from_secs(20);
        let tcp = match tokio::time::timeout(step, TcpStream::connect((host.as_str(), *port))).await
        {
            Ok(Ok(tcp)) => {
                lines.push(Probe::pass("IMAP connect", format!("{host}:{port}")));
                tcp
            }
            Ok(Err(e)) => {
                lines.push(Probe::fail(
                    "IMAP connect",
                    connect_fix("mailbox", host, *port, &e),
                ));
                return None;
            }
            Err(_) => {
                lines.push(Probe::fail(
                    "IMAP connect",
                    format!("{host}:{port} does not answer: check mailbox.host and mailbox.port"),
                ));
                return None;
            }
        };
        let secured = async {
            match tls {
                Tls::None => Ok::<_, MailboxError>((Conn::Plain(tcp), false)),
                Tls::Implicit => Ok((Conn::Tls(Box::new(self.handshake(tcp).await?)), false)),
                Tls::Starttls => {
                    let mut client = async_imap::Client::new(tcp);
                    read_greeting(&mut client).await?;
                    client
                        .run_command_and_check_ok("STARTTLS", None)
                        .await
                        .map_err(|e| MailboxError::Protocol(format!("STARTTLS refused: {e}")))?;
                    Ok((
                        Conn::Tls(Box::new(self.handshake(client.into_inner()).await?)),
                        true,
                    ))
                }
            }
        };
        let (conn, greeted) = match tokio::time::timeout(step, secured).await {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                lines.push(Probe::fail("IMAP TLS", tls_fix("mailbox", &e.to_string())));
                return None;
            }
            Err(_) => {
                lines.push(Probe::fail(
                    "IMAP TLS",
                    "no TLS handshake: check mailbox.tls (\"implicit\" on 993, \"starttls\" on 143) and mailbox.port",
                ));
                return None;
            }
        };
        lines.push(match tls {
            Tls::None => Probe::pass("IMAP TLS", "none (plaintext to a loopback address)"),
            Tls::Implicit => Probe::pass("IMAP TLS", "implicit, certificate trusted"),
            Tls::Starttls => Probe::pass("IMAP TLS", "STARTTLS, certificate trusted"),
        });
        let login = async {
            let mut client = async_imap::Client::new(conn);
            if !greeted {
                read_greeting(&mut client).await?;
            }
            let before = capabilities(&mut client).await?;
            self.login.log_in(client, &before).await
        };
        match tokio::time::timeout(step, login).await {
            Ok(Ok(session)) => {
                lines.push(Probe::pass("IMAP login", format!("as {}", self.login.user)));
                Some(session)
            }
            Ok(Err(e)) => {
                lines.push(Probe::fail(
                    "IMAP login",
                    format!(
                        "refused ({e}): check mailbox.user and the password in {}",
                        self.secret_key
                    ),
                ));
                None
            }
            Err(_) => {
                lines.push(Probe::fail("IMAP login", "no answer to the login"));
                None
            }
        }
    }

    async fn handshake(
        &self,
        tcp: TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, MailboxError> {
        let connector = self
            .connector
            .as_ref()
            .ok_or_else(|| MailboxError::Protocol("TLS is not configured".into()))?;
        let host = &self.endpoint.host;
        let name = ServerName::try_from(host.clone())
            .map_err(|e| MailboxError::Protocol(format!("mailbox.host for TLS: {e}")))?;
        connector.connect(name, tcp).await.map_err(|e| {
            MailboxError::Io(io::Error::new(
                e.kind(),
                format!("TLS handshake with {host}: {e}"),
            ))
        })
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
    T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let greeting = client
        .read_response()
        .await?
        .ok_or_else(|| closed("before the greeting"))?;
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
async fn capabilities<T>(
    client: &mut async_imap::Client<T>,
) -> Result<HashSet<String>, MailboxError>
where
    T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    const TAG: &str = "kcap";
    let stream = client.get_mut();
    stream
        .write_all(format!("{TAG} CAPABILITY\r\n").as_bytes())
        .await?;
    stream.flush().await?;
    let mut caps = HashSet::new();
    loop {
        let response = client
            .read_response()
            .await?
            .ok_or_else(|| closed("during CAPABILITY"))?;
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

/// The error for a connection the server closed (`when`: "before the greeting").
fn closed(when: &str) -> MailboxError {
    MailboxError::Io(io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!("connection closed {when}"),
    ))
}

fn short_debug(r: &Response<'_>) -> String {
    let mut s = format!("{r:?}");
    s.truncate(200);
    s
}

/// Connection bookkeeping: backoff, and logging each state change once.
#[derive(Debug, Default)]
pub(super) struct Link {
    ever_connected: bool,
    /// A loss or failure has been logged and the link is not back yet.
    down_logged: bool,
    /// Failed connection attempts since the last success.
    failures: u32,
    next_attempt: Option<Instant>,
}

impl Link {
    /// When the next connection attempt is due (`None`: now).
    pub(super) fn next_attempt(&self) -> Option<Instant> {
        self.next_attempt
    }

    /// Lets the next attempt be made at once, backoff or not.
    pub(super) fn retry_now(&mut self) {
        self.next_attempt = None;
    }

    /// An error while the backoff after a failed attempt lasts.
    pub(super) fn may_attempt(&self) -> Result<(), MailboxError> {
        if let Some(at) = self.next_attempt {
            let now = Instant::now();
            if at > now {
                return Err(MailboxError::Protocol(format!(
                    "not connected; next attempt in {} s",
                    (at - now).as_secs() + 1
                )));
            }
        }
        Ok(())
    }

    /// A connection attempt succeeded.
    pub(super) fn connected(&mut self, folder: &str, caps: Caps) {
        if !self.ever_connected {
            tracing::info!(
                folder = %folder,
                idle = caps.idle,
                r#move = caps.mv,
                uidplus = caps.uidplus,
                failed_attempts = self.failures,
                "IMAP connected"
            );
        } else if self.down_logged || self.failures > 0 {
            tracing::info!(failed_attempts = self.failures, "IMAP reconnected");
        }
        *self = Link {
            ever_connected: true,
            ..Link::default()
        };
    }

    /// A connection attempt failed: the next waits for the backoff.
    pub(super) fn failed(&mut self, error: &MailboxError) {
        self.failures += 1;
        let delay = backoff(self.failures);
        self.next_attempt = Some(Instant::now() + delay);
        if !self.down_logged {
            tracing::warn!(error = %error, "IMAP cannot connect; retrying with backoff");
            self.down_logged = true;
        } else {
            tracing::debug!(error = %error, attempt = self.failures, retry_in_ms = delay.as_millis() as u64, "IMAP connection attempt failed");
        }
    }

    /// An open session broke.
    pub(super) fn lost(&mut self, error: &MailboxError) {
        if !self.down_logged {
            tracing::warn!(error = %error, "IMAP connection lost");
            self.down_logged = true;
        }
        // the first attempt after a loss is immediate
        self.failures = 0;
        self.next_attempt = None;
    }
}

/// The wait after `failures` failed attempts in a row (at least 1): 1 s doubling to 5 min,
/// with jitter.
fn backoff(failures: u32) -> Duration {
    let exp = (failures - 1).min(16);
    let base = BACKOFF_FIRST.saturating_mul(1u32 << exp).min(BACKOFF_MAX);
    // jitter: 75 % to 125 % of the base delay
    base.mul_f64(0.75 + fastrand::f64() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_second_to_five_minutes_with_jitter() {
        for (failures, base) in [(1, 1), (2, 2), (3, 4), (9, 256), (10, 300), (40, 300)] {
            let base = Duration::from_secs(base);
            for _ in 0..20 {
                let d = backoff(failures);
                assert!(
                    d >= base.mul_f64(0.75) && d <= base.mul_f64(1.25),
                    "{failures}: {d:?}"
                );
            }
        }
    }

    /// A client on one end of an in-memory stream, the server's lines already sent from
    /// the other end (dropped to close the stream).
    async fn client_after(
        server: &str,
    ) -> (
        async_imap::Client<tokio::io::DuplexStream>,
        tokio::io::DuplexStream,
    ) {
        let (client, mut far) = tokio::io::duplex(4096);
        far.write_all(server.as_bytes()).await.unwrap();
        (async_imap::Client::new(client), far)
    }

    #[tokio::test]
    async fn greetings() {
        let (mut ok, _far) = client_after("* OK IMAP4rev1 ready\r\n").await;
        assert!(read_greeting(&mut ok).await.is_ok());
        let (mut preauth, _far) = client_after("* PREAUTH logged in\r\n").await;
        assert!(read_greeting(&mut preauth).await.is_ok());
        let (mut bye, _far) = client_after("* BYE too busy\r\n").await;
        let e = read_greeting(&mut bye).await.unwrap_err().to_string();
        assert!(e.contains("unexpected greeting"), "{e}");
        let (mut closed, far) = client_after("").await;
        drop(far);
        let e = read_greeting(&mut closed).await.unwrap_err().to_string();
        assert!(e.contains("closed before the greeting"), "{e}");
    }

    #[tokio::test]
    async fn capabilities_before_login() {
        let (mut client, _far) = client_after(
            "* CAPABILITY IMAP4rev1 LOGINDISABLED auth=plain\r\n* 1 EXISTS\r\nkcap OK done\r\n",
        )
        .await;
        let caps = capabilities(&mut client).await.unwrap();
        let mut caps: Vec<_> = caps.into_iter().collect();
        caps.sort();
        assert_eq!(caps, ["AUTH=PLAIN", "IMAP4REV1", "LOGINDISABLED"]);

        let (mut client, _far) = client_after("kcap BAD no\r\n").await;
        let e = capabilities(&mut client).await.unwrap_err().to_string();
        assert!(e.contains("CAPABILITY refused"), "{e}");
        // the server hangs up once it has the command
        let (mut client, mut far) = client_after("* CAPABILITY IMAP4rev1\r\n").await;
        let server = tokio::spawn(async move {
            let mut command = [0u8; 64];
            let _ = tokio::io::AsyncReadExt::read(&mut far, &mut command).await;
        });
        let e = capabilities(&mut client).await.unwrap_err().to_string();
        assert!(e.contains("connection closed during CAPABILITY"), "{e}");
        server.await.unwrap();
    }
}
