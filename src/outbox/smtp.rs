//! Outgoing mail over SMTP submission (lettre).
//!
//! `tls = "starttls"` (port 587, STARTTLS required), `"implicit"` (port 465) or `"none"`
//! (a plaintext relay on loopback). The mail is sent as queued: the raw message with its
//! envelope. A refusal for good (5xx) is [`SendError::Permanent`]; everything else (4xx,
//! network, TLS) is [`SendError::Transient`] and is tried again later. Error texts have
//! mail addresses blanked out, as they end up in logs.

use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls as LettreTls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{SendError, Sender};
use crate::config::{
    Config, Endpoint, Kind, Probe, Secret, ServerDefaults, Tls, connect_fix, tls_fix,
};
use crate::domain::Outgoing;
use crate::secret;

/// Time allowed for each step of the SMTP dialogue.
const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
#[error("smtp: {0}")]
pub struct SmtpSetupError(String);

/// A [`Sender`] that submits mail to an SMTP server.
#[derive(Clone)]
pub struct SmtpSender {
    endpoint: Endpoint,
    tls_parameters: Option<TlsParameters>,
    user: Option<String>,
    secret: Option<Secret>,
    /// The transport in use and when it was built (dropped after an error).
    cached: Option<(AsyncSmtpTransport<Tokio1Executor>, Instant)>,
}

/// How long one transport (and its pooled connections) is used.
const TRANSPORT_REUSE: Duration = Duration::from_secs(60);

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("host", &self.endpoint.host)
            .field("port", &self.endpoint.port)
            .field("tls", &self.endpoint.tls)
            .finish()
    }
}

impl SmtpSender {
    /// A sender as `config.smtp` describes it. Connects only when sending.
    pub fn new(config: &Config) -> Result<SmtpSender, SmtpSetupError> {
        if config.smtp.kind != Kind::Smtp {
            return Err(SmtpSetupError("smtp.kind is not \"smtp\"".into()));
        }
        let server = &config.smtp.server;
        let endpoint = server
            .endpoint(ServerDefaults::SMTP)
            .ok_or_else(|| SmtpSetupError("smtp.host is not set".into()))?;
        let tls_parameters = match endpoint.tls {
            Tls::None => None,
            Tls::Starttls | Tls::Implicit => {
                Some(tls_parameters(&endpoint.host, server.ca_file.as_deref())?)
            }
        };
        let secret = config
            .smtp_secret()
            .map_err(|e| SmtpSetupError(e.to_string()))?;
        if secret.is_some() && server.user.is_none() {
            return Err(SmtpSetupError(
                "smtp.user is needed with a password or token".into(),
            ));
        }
        Ok(SmtpSender {
            endpoint,
            tls_parameters,
            user: server.user.clone(),
            secret,
            cached: None,
        })
    }

    /// The transport for one submission (the secret is read each time: tokens expire).
    async fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
        self.transport_with(true).await
    }

    /// The transport, logging in with the configured secret only when `auth`.
    async fn transport_with(
        &self,
        auth: bool,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(self.endpoint.host.as_str())
                .port(self.endpoint.port)
                .timeout(Some(TIMEOUT));
        builder = match (self.endpoint.tls, self.tls_parameters.clone()) {
            (Tls::Starttls, Some(p)) => builder.tls(LettreTls::Required(p)),
            (Tls::Implicit, Some(p)) => builder.tls(LettreTls::Wrapper(p)),
            _ => builder.tls(LettreTls::None),
        };
        if let (true, Some(user), Some(secret)) = (auth, self.user.clone(), &self.secret) {
            let value = secret::resolve_secret_async(secret)
                .await
                // a failing password command may work later (a vault that is locked)
                .map_err(|e| SendError::Transient(format!("smtp secret: {e}")))?;
            builder = builder.credentials(Credentials::new(user, value));
            builder = builder.authentication(if secret::is_token(secret) {
                vec![Mechanism::Xoauth2]
            } else {
                vec![Mechanism::Plain, Mechanism::Login]
            });
        }
        Ok(builder.build())
    }
}

/// `klachtd config check` for sending: connect, EHLO with TLS as configured, then AUTH,
/// one line each, the failing one naming the key to change. Sends nothing.
pub async fn probe(config: &Config) -> Vec<Probe> {
    let mut lines = Vec::new();
    let sender = match SmtpSender::new(config) {
        Ok(s) => s,
        Err(e) => {
            lines.push(Probe::fail("SMTP setup", e.to_string()));
            return lines;
        }
    };
    let Endpoint { host, port, tls } = &sender.endpoint;
    let connect = tokio::net::TcpStream::connect((host.as_str(), *port));
    match tokio::time::timeout(Duration::from_secs(20), connect).await {
        Ok(Ok(_)) => lines.push(Probe::pass("SMTP connect", format!("{host}:{port}"))),
        Ok(Err(e)) => {
            lines.push(Probe::fail(
                "SMTP connect",
                connect_fix("smtp", host, *port, &e),
            ));
            return lines;
        }
        Err(_) => {
            lines.push(Probe::fail(
                "SMTP connect",
                format!("{host}:{port} does not answer: check smtp.host and smtp.port"),
            ));
            return lines;
        }
    }
    let what = match tls {
        Tls::None => "SMTP EHLO",
        Tls::Starttls => "SMTP EHLO + STARTTLS",
        Tls::Implicit => "SMTP TLS + EHLO",
    };
    let tried = match sender.transport_with(false).await {
        Ok(t) => bounded(t.test_connection()).await,
        Err(e) => Err(e.to_string()),
    };
    match tried {
        Ok(_) => lines.push(Probe::pass(
            what,
            match tls {
                Tls::None => "plaintext to a loopback address",
                _ => "certificate trusted",
            },
        )),
        Err(e) => {
            let e = redact_addresses(&e);
            let lower = e.to_ascii_lowercase();
            lines.push(Probe::fail(
                what,
                if lower.contains("certificate")
                    || lower.contains("tls")
                    || lower.contains("unknownissuer")
                {
                    tls_fix("smtp", &e)
                } else {
                    format!("{e}: check smtp.tls and smtp.port")
                },
            ));
            return lines;
        }
    }
    match (&sender.user, &sender.secret) {
        (Some(user), Some(_)) => {
            let tried = match sender.transport_with(true).await {
                Ok(t) => bounded(t.test_connection()).await,
                Err(e) => Err(e.to_string()),
            };
            lines.push(match tried {
                Ok(_) => Probe::pass("SMTP AUTH", format!("as {user}")),
                Err(e) => Probe::fail(
                    "SMTP AUTH",
                    format!(
                        "refused ({}): check smtp.user and the password in {}",
                        redact_addresses(&e),
                        config.smtp.server.secret_key("smtp")
                    ),
                ),
            });
        }
        _ => lines.push(Probe::pass(
            "SMTP AUTH",
            "none configured (a relay that needs no login)",
        )),
    }
    lines
}

/// One step of the probe, within 20 s (a server that does not answer is an answer too).
async fn bounded<T>(
    step: impl Future<Output = Result<T, lettre::transport::smtp::Error>>,
) -> Result<T, String> {
    match tokio::time::timeout(Duration::from_secs(20), step).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(_) => Err("no answer within 20 s".to_string()),
    }
}

impl Sender for SmtpSender {
    async fn send(&mut self, mail: &Outgoing) -> Result<(), SendError> {
        let from: Address = mail.envelope_from.parse().map_err(|_| {
            SendError::Permanent("the envelope sender is not a mail address".into())
        })?;
        let mut to = Vec::with_capacity(mail.recipients.len());
        for r in &mail.recipients {
            to.push(
                r.parse::<Address>().map_err(|_| {
                    SendError::Permanent("a recipient is not a mail address".into())
                })?,
            );
        }
        let envelope = Envelope::new(Some(from), to)
            .map_err(|e| SendError::Permanent(format!("envelope: {e}")))?;
        // One transport (lettre pools its connections) for a minute at most: a backlog
        // goes over a few connections, and a token or password is read again soon.
        let (transport, built) = match self.cached.take() {
            Some((t, built)) if built.elapsed() < TRANSPORT_REUSE => (t, built),
            _ => (self.transport().await?, Instant::now()),
        };
        // lettre ends DATA with "\r\n.\r\n" itself: without this, a message ending in a
        // line break would gain an empty line
        let raw = mail.raw.strip_suffix(b"\r\n").unwrap_or(&mail.raw);
        match transport.send_raw(&envelope, raw).await {
            Ok(response) => {
                self.cached = Some((transport, built));
                tracing::debug!(
                    message_id_len = mail.message_id.len(),
                    code = %response.code(),
                    "SMTP accepted a mail"
                );
                Ok(())
            }
            Err(e) => {
                let text = redact_addresses(&e.to_string());
                if e.is_permanent() {
                    Err(SendError::Permanent(text))
                } else {
                    Err(SendError::Transient(text))
                }
            }
        }
    }
}

fn tls_parameters(host: &str, ca_file: Option<&Path>) -> Result<TlsParameters, SmtpSetupError> {
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(path) = ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| SmtpSetupError(format!("smtp.ca_file {}: {e}", path.display())))?;
        let cert = Certificate::from_pem(&pem)
            .map_err(|e| SmtpSetupError(format!("smtp.ca_file {}: {e}", path.display())))?;
        builder = builder.add_root_certificate(cert);
    }
    builder
        .build_rustls()
        .map_err(|e| SmtpSetupError(format!("TLS setup: {e}")))
}

/// A server's error text with mail addresses replaced by `<address>`.
pub fn redact_addresses(text: &str) -> String {
    static ADDRESS: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"[^\s<>,;:()\[\]]+@[^\s<>,;:()\[\]]+").unwrap());
    ADDRESS.replace_all(text, "<address>").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The daemon runs the sender in a spawned task: its future must be Send.
    #[allow(dead_code)]
    fn send_is_send(sender: &mut SmtpSender, mail: &Outgoing) {
        fn send<T: Send>(_: T) {}
        send(sender.send(mail));
    }

    #[test]
    fn addresses_are_blanked_in_error_texts() {
        assert_eq!(
            redact_addresses("550 5.1.1 recipients refused: nobody@example.test, a.b@c.nl"),
            "550 5.1.1 recipients refused: <address>, <address>"
        );
        assert_eq!(
            redact_addresses("451 <x@y.z>: try later"),
            "451 <<address>>: try later"
        );
    }
}
