//! Shared test setup: a klachtd with a Maildir inbox and outbox in a temp dir, a fixed
//! clock, and helpers to drop mails in and read the letters out.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::mailbox::maildir::{deliver, ensure_maildir};
use tokio_util::sync::CancellationToken;

pub struct Office {
    pub dir: tempfile::TempDir,
    pub config: Config,
    pub clock: Clock,
}

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("an RFC 3339 time")
}

impl Office {
    /// A klachtd on Maildirs in a fresh temp dir, its clock fixed at `now`.
    pub fn new(now: &str) -> Office {
        Self::with_extra(now, "")
    }

    /// As [`Office::new`], with more config text appended.
    pub fn with_extra(now: &str, extra: &str) -> Office {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = format!(
            r#"
[mailbox]
kind = "maildir"
path = "Maildir"
poll_seconds = 1
[smtp]
kind = "maildir"
path = "outbox"
from = "Klachten numun <klacht@numun.nl>"
[owner]
name = "Fatima Ait Takassit"
addresses = ["eigenaar@numun.nl"]
[store]
path = "store"
[commission]
name = "Onafhankelijke Klachtencommissie"
address = "Postbus 1, 3500 AA Utrecht"
email = "info@commissie.example"
[[services]]
name = "Training Effectief Communiceren"
aliases = ["effectief communiceren"]
{extra}
"#
        );
        let config = Config::parse(&text, &dir.path().join("klachtd.toml")).expect("config");
        ensure_maildir(&dir.path().join("Maildir")).expect("maildir");
        Office {
            dir,
            config,
            clock: Clock::fixed(at(now)),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Puts a mail in the inbox's new/, arriving now (by the office's clock).
    pub fn deliver(&self, name: &str, raw: &[u8]) {
        let path = deliver(&self.path("Maildir"), name, raw, false).expect("deliver");
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(self.clock.now().into()).unwrap();
    }

    /// One daemon pass, as `klachtd run --once`.
    pub fn run_once(&self) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(klachtd::daemon::run(
            self.config.clone(),
            self.clock.clone(),
            true,
            CancellationToken::new(),
        ))
        .expect("daemon pass");
    }

    /// The letters written so far, as (file name, text), sorted by name.
    pub fn letters(&self) -> Vec<(String, String)> {
        files_in(&self.path("outbox/new"))
    }

    /// Letters to one address.
    pub fn letters_to(&self, address: &str) -> Vec<String> {
        self.letters()
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| header(t, "To").is_some_and(|to| to.contains(address)))
            .collect()
    }

    pub fn registry(&self) -> klachtd::registry::Registry {
        klachtd::registry::Registry::open(&self.config, self.clock.clone()).expect("registry")
    }
}

pub fn files_in(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A header of a mail's text (unfolded, first occurrence).
pub fn header(text: &str, name: &str) -> Option<String> {
    let parsed = mail_parser::MessageParser::default().parse(text.as_bytes())?;
    parsed
        .header_raw(name)
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The decoded text body of a mail.
pub fn body(text: &str) -> String {
    mail_parser::MessageParser::default()
        .parse(text.as_bytes())
        .and_then(|m| m.body_text(0).map(|b| b.into_owned()))
        .unwrap_or_default()
}

/// A plain complaint mail.
pub fn mail(from: &str, subject: &str, date: &str, message_id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: klacht@numun.nl\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{message_id}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
        body.replace('\n', "\r\n")
    )
    .into_bytes()
}

/// A complete complaint, within the window when sent on 16 Nov 2026.
pub const COMPLETE: &str = "Geachte mevrouw,

Hierbij dien ik een klacht in over de training Effectief Communiceren die ik op
dinsdag 10 november 2026 heb gevolgd. De trainer kwam drie kwartier te laat en de
helft van het programma is niet behandeld.

Met vriendelijke groet,

Sanne de Vries
Kerkstraat 12
3511 AB Utrecht
06-12345678
";

/// A complaint missing address and phone.
pub const INCOMPLETE: &str = "Hallo,

Ik ben niet tevreden over de training Effectief Communiceren van 10 november 2026.
Het materiaal was verouderd en veel oefeningen werkten niet.

Groet,
Pieter Jansen
";
