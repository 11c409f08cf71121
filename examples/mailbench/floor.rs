//! The I/O floor of a backlog: a plain client (async-imap over rustls, lettre) doing the
//! mail work klachtd does for a backlog, and nothing else, on a mail server of the same
//! harness with the same complaints in its INBOX: fetch the mails (batches of 50, BODY.PEEK
//! over IMAPS with the harness's CA, as klachtd reads them), submit the very letters
//! klachtd sent for them over one SMTP session, append the copies of the complainant's
//! letters to Sent, and move each batch to the processed folder with one UID MOVE. No
//! parsing, no store, no fsync of its own: what is left is the servers' time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, RootCertStore, pki_types::ServerName};

use crate::mailserver::{KLACHT, MailServer, password};

type Session = async_imap::Session<tokio_rustls::client::TlsStream<TcpStream>>;

/// One letter as klachtd sent it, and to whom.
pub struct Letter {
    pub to: &'static str,
    pub raw: Vec<u8>,
    /// A copy goes to the Sent folder (the letters to the complainant).
    pub keep_sent: bool,
}

/// What the floor client measured.
pub struct Floor {
    pub took: Duration,
    pub fetched: usize,
    pub sent: usize,
}

/// The letter as it left klachtd: without the trace lines the delivery put on top.
pub fn as_sent(delivered: &[u8]) -> Vec<u8> {
    let mut rest = delivered;
    let mut trace = false;
    loop {
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .map_or(rest.len(), |p| p + 2);
        let line = &rest[..end];
        let folded = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        let lower = line.to_ascii_lowercase();
        let is_trace = ["return-path:", "delivered-to:", "received:"]
            .iter()
            .any(|h| lower.starts_with(h.as_bytes()));
        if is_trace || (trace && folded) {
            trace = true;
            rest = &rest[end..];
        } else {
            return rest.to_vec();
        }
    }
}

async fn imaps(server: &MailServer, user: &str) -> Session {
    let mut roots = RootCertStore::empty();
    let pem = std::fs::read(&server.ca_cert).expect("the harness's CA");
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        roots.add(cert.expect("a certificate")).expect("a root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(("127.0.0.1", server.imaps_port))
        .await
        .expect("connect to IMAPS");
    let name = ServerName::try_from("127.0.0.1").expect("a server name");
    let tls = TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .expect("TLS handshake");
    let mut client = async_imap::Client::new(tls);
    client
        .read_response()
        .await
        .expect("IMAP greeting")
        .expect("IMAP greeting");
    client
        .login(user, password(user))
        .await
        .map_err(|(e, _)| e)
        .expect("IMAP login")
}

/// Runs the floor client on `server`, whose INBOX holds the backlog, with the `letters`
/// klachtd sent for it, in the order of the mails they answer (spread evenly over them).
pub async fn run(server: &MailServer, letters: &[Letter]) -> Floor {
    let started = Instant::now();
    let mut imap = imaps(server, KLACHT).await;
    for folder in ["Verwerkt", "Sent"] {
        imap.create(folder).await.expect("CREATE");
    }
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(server.smtp_port)
        .build();
    imap.select("INBOX").await.expect("SELECT");
    let mut uids: Vec<u32> = imap
        .uid_search("ALL")
        .await
        .expect("UID SEARCH")
        .into_iter()
        .collect();
    uids.sort_unstable();
    let mails = uids.len().max(1);
    let (mut fetched, mut sent) = (0, 0);
    for batch in uids.chunks(50) {
        let set = batch
            .iter()
            .map(|u| u.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let bodies: Vec<_> = imap
            .uid_fetch(&set, "(UID INTERNALDATE BODY.PEEK[])")
            .await
            .expect("UID FETCH")
            .try_collect()
            .await
            .expect("UID FETCH");
        for _ in bodies.iter().filter(|m| m.body().is_some()) {
            // this mail's share of the letters
            let (from, to) = (
                fetched * letters.len() / mails,
                (fetched + 1) * letters.len() / mails,
            );
            fetched += 1;
            for letter in &letters[from..to] {
                let envelope = lettre::address::Envelope::new(
                    Some(KLACHT.parse().unwrap()),
                    vec![letter.to.parse().unwrap()],
                )
                .unwrap();
                let raw = letter.raw.strip_suffix(b"\r\n").unwrap_or(&letter.raw);
                smtp.send_raw(&envelope, raw).await.expect("SMTP send");
                sent += 1;
                if letter.keep_sent {
                    imap.append("Sent", Some("(\\Seen)"), None, &letter.raw)
                        .await
                        .expect("APPEND to Sent");
                }
            }
        }
        imap.uid_mv(&set, "Verwerkt").await.expect("UID MOVE");
    }
    let took = started.elapsed();
    imap.logout().await.ok();
    Floor {
        took,
        fetched,
        sent,
    }
}
