//! The sections that talk to a server, `[mailbox]` (IMAP or Maildir) and `[smtp]`, with
//! the server and secret keys they share (`ServerConfig`) and their protocols' defaults.

use std::path::PathBuf;

use serde::Deserialize;

use super::Kind;
use super::sections::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tls {
    Implicit,
    Starttls,
    /// Plaintext: only to a loopback address.
    None,
}

/// Where a password or token comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    Inline(String),
    File(PathBuf),
    Env(String),
    Command(String),
    /// An OAuth2 access token printed by a command: XOAUTH2.
    TokenCommand(String),
}

/// How to reach a server and log in to it: the keys `[mailbox]` (IMAP) and `[smtp]` share.
/// In the file they stand among the section's own keys (see `section_with_server!`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerConfig {
    pub host: Option<String>,
    /// Default: the protocol's port for the TLS mode ([`ServerDefaults`]).
    pub port: Option<u16>,
    pub tls: Option<Tls>,
    /// An extra trusted root certificate (PEM) besides the system's.
    pub ca_file: Option<PathBuf>,
    pub user: Option<String>,
    /// The password or token: at most one of these five (see [`Secret`]).
    pub password: Option<String>,
    pub password_file: Option<PathBuf>,
    pub password_env: Option<String>,
    pub password_command: Option<String>,
    pub token_command: Option<String>,
}

/// Declares the struct of a section whose table holds the [`ServerConfig`] keys among its
/// own: `..server,` in the field list says where (the order in which an unknown-key error
/// lists the keys). serde cannot `flatten` into a struct that denies unknown fields, so the
/// table is read as one flat struct with every key, under the same name (for serde's
/// messages), and the server keys are then gathered into the section's `server` field. An
/// own field gives its doc comment before its serde attributes.
macro_rules! section_with_server {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $($(#[doc = $a_doc:literal])* $(#[serde $a_serde:tt])* pub $a:ident: $a_ty:ty,)*
            ..server,
            $($(#[doc = $b_doc:literal])* $(#[serde $b_serde:tt])* pub $b:ident: $b_ty:ty,)*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $($(#[doc = $a_doc])* pub $a: $a_ty,)*
            /// The server and how to log in to it.
            pub server: ServerConfig,
            $($(#[doc = $b_doc])* pub $b: $b_ty,)*
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct $name {
                    $($(#[serde $a_serde])* $a: $a_ty,)*
                    host: Option<String>,
                    port: Option<u16>,
                    tls: Option<Tls>,
                    ca_file: Option<PathBuf>,
                    user: Option<String>,
                    password: Option<String>,
                    password_file: Option<PathBuf>,
                    password_env: Option<String>,
                    password_command: Option<String>,
                    token_command: Option<String>,
                    $($(#[serde $b_serde])* $b: $b_ty,)*
                }
                let flat = $name::deserialize(deserializer)?;
                Ok(Self {
                    $($a: flat.$a,)*
                    server: ServerConfig {
                        host: flat.host,
                        port: flat.port,
                        tls: flat.tls,
                        ca_file: flat.ca_file,
                        user: flat.user,
                        password: flat.password,
                        password_file: flat.password_file,
                        password_env: flat.password_env,
                        password_command: flat.password_command,
                        token_command: flat.token_command,
                    },
                    $($b: flat.$b,)*
                })
            }
        }
    };
}

section_with_server! {
/// `[mailbox]`: where complaints arrive.
pub struct MailboxConfig {
    pub kind: Kind,
    /// Maildir: the Maildir directory (new/, cur/, tmp/ are created when missing).
    pub path: Option<PathBuf>,
    /// Maildir, for trials: .eml files copied into new/ at start unless already there.
    pub seed: Option<PathBuf>,
    ..server,
    #[serde(default = "default_folder")]
    pub folder: String,
    #[serde(default = "default_processed")]
    pub processed_folder: String,
    #[serde(default = "default_set_aside")]
    pub set_aside_folder: String,
    /// Where a copy of every letter to a complainant is appended ("" for none).
    #[serde(default = "default_sent")]
    pub sent_folder: String,
    /// Use IDLE when the server offers it.
    #[serde(default = "yes")]
    pub idle: bool,
    /// Seconds between polls when there is no IDLE (and for a Maildir).
    #[serde(default = "default_poll")]
    pub poll_seconds: u64,
    /// Mail that arrived before this is left alone (see [`Since`]).
    #[serde(default)]
    pub since: Since,
    /// Minutes the mailbox may fail (login, connection) before the owner is told, once;
    /// and once more when it works again.
    #[serde(default = "default_alert_after")]
    pub alert_after_minutes: u64,
}
}

/// `[mailbox] since`: the oldest mail klachtd takes in by itself. Older mail (by its
/// arrival: IMAP INTERNALDATE, the Maildir file's time) is left where it is, unanswered;
/// the owner is told once and can take it in quietly with `klachtd history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum Since {
    /// `"first-start"`: the moment klachtd first ran on its store, recorded then and
    /// never moved.
    #[default]
    FirstStart,
    /// `"YYYY-MM-DD"`: the start of that day (Europe/Amsterdam).
    Date(chrono::NaiveDate),
}

impl TryFrom<String> for Since {
    type Error = String;

    fn try_from(s: String) -> Result<Since, String> {
        if s == "first-start" {
            return Ok(Since::FirstStart);
        }
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Since::Date)
            .map_err(|_| {
                format!("`mailbox.since`: \"first-start\" or a date YYYY-MM-DD, not {s:?}")
            })
    }
}

impl Since {
    /// The moment mail must have arrived at (or after) to be taken in, given when klachtd
    /// first started on its store.
    pub fn moment(
        self,
        first_start: chrono::DateTime<chrono::Utc>,
    ) -> chrono::DateTime<chrono::Utc> {
        match self {
            Since::FirstStart => first_start,
            Since::Date(day) => {
                use chrono::TimeZone;
                let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
                crate::rules::ZONE
                    .from_local_datetime(&midnight)
                    .earliest()
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .unwrap_or_else(|| midnight.and_utc())
            }
        }
    }
}

section_with_server! {
/// `[smtp]`: how mail leaves.
pub struct SmtpConfig {
    pub kind: Kind,
    /// Maildir: where outgoing mail is written.
    pub path: Option<PathBuf>,
    ..server,
    /// The From of every mail klachtd sends: the complaint address.
    pub from: String,
    /// Attempts before a mail counts as failed and the owner is alerted.
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
}
}

/// What a protocol assumes where the config leaves `tls` or `port` out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerDefaults {
    pub tls: Tls,
    pub implicit_port: u16,
    pub starttls_port: u16,
    pub plaintext_port: u16,
}

impl ServerDefaults {
    pub const IMAP: ServerDefaults = ServerDefaults {
        tls: Tls::Implicit,
        implicit_port: 993,
        starttls_port: 143,
        plaintext_port: 143,
    };
    pub const SMTP: ServerDefaults = ServerDefaults {
        tls: Tls::Starttls,
        implicit_port: 465,
        starttls_port: 587,
        plaintext_port: 25,
    };
}

/// Where a server is and how the connection is secured, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
}

impl ServerConfig {
    /// The key that holds the secret, spelled for section `section` ("mailbox"):
    /// `mailbox.password_file`, ... (`mailbox.password_file` when none is set).
    pub fn secret_key(&self, section: &str) -> String {
        let key = if self.password.is_some() {
            "password"
        } else if self.password_env.is_some() {
            "password_env"
        } else if self.password_command.is_some() {
            "password_command"
        } else if self.token_command.is_some() {
            "token_command"
        } else {
            "password_file"
        };
        format!("{section}.{key}")
    }

    /// The host, with `tls` and `port` as given or as the protocol's `defaults` say;
    /// `None` without a host.
    pub fn endpoint(&self, defaults: ServerDefaults) -> Option<Endpoint> {
        let host = self.host.clone()?;
        let tls = self.tls.unwrap_or(defaults.tls);
        let port = self.port.unwrap_or(match tls {
            Tls::Implicit => defaults.implicit_port,
            Tls::Starttls => defaults.starttls_port,
            Tls::None => defaults.plaintext_port,
        });
        Some(Endpoint { host, port, tls })
    }

    /// The password or token sources given, in the order of the keys.
    pub(super) fn secrets(&self) -> impl Iterator<Item = Secret> {
        [
            self.password.clone().map(Secret::Inline),
            self.password_file.clone().map(Secret::File),
            self.password_env.clone().map(Secret::Env),
            self.password_command.clone().map(Secret::Command),
            self.token_command.clone().map(Secret::TokenCommand),
        ]
        .into_iter()
        .flatten()
    }
}

/// A section that talks to a server: its protocol's defaults and the names its errors give.
pub(super) struct ServerSection {
    /// The `kind` that makes the section talk to a server.
    pub(super) kind: &'static str,
    pub(super) defaults: ServerDefaults,
    pub(super) host: &'static str,
    /// Where the protocol needs a user whether or not there is a secret.
    pub(super) required_user: Option<&'static str>,
    pub(super) tls: &'static str,
    pub(super) password: &'static str,
}

pub(super) const MAILBOX_SERVER: ServerSection = ServerSection {
    kind: "imap",
    defaults: ServerDefaults::IMAP,
    host: "mailbox.host",
    required_user: Some("mailbox.user"),
    tls: "mailbox.tls",
    password: "mailbox.password",
};

pub(super) const SMTP_SERVER: ServerSection = ServerSection {
    kind: "smtp",
    defaults: ServerDefaults::SMTP,
    host: "smtp.host",
    required_user: None,
    tls: "smtp.tls",
    password: "smtp.password",
};
