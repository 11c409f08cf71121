//! The configuration file (TOML). Unknown keys are errors; every error names the file and
//! the key. Relative paths are relative to the config file's directory.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::Weekday;
use serde::Deserialize;

use crate::domain::{Language, LetterKind};
use crate::intake::{self, OwnIdentity, ServiceCatalogue};
use crate::letters::{Commission, LetterSettings, template_name, template_name_in};
use crate::procedure::schedule::ScheduleSettings;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: cannot read: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: {message}")]
    Parse { file: PathBuf, message: String },
    #[error("{file}: key `{key}`: {message}")]
    Invalid {
        file: PathBuf,
        key: &'static str,
        message: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub mailbox: MailboxConfig,
    pub smtp: SmtpConfig,
    pub owner: OwnerConfig,
    pub store: StoreConfig,
    #[serde(default)]
    pub company: CompanyConfig,
    #[serde(default)]
    pub commission: Commission,
    /// The company's services and the names people use for them.
    #[serde(default)]
    pub services: Vec<intake::extract::Service>,
    #[serde(default)]
    pub templates: TemplatesConfig,
    #[serde(default)]
    pub calendar: crate::rules::calendar::CalendarConfig,
    #[serde(default)]
    pub schedule: ScheduleConfig,
    /// Limits on incoming mail, checked before parsing.
    #[serde(default)]
    pub limits: intake::limits::Limits,
    /// The owner's commands by mail (off by default).
    #[serde(default)]
    pub owner_commands: OwnerCommandsConfig,
    /// The owner's words of serious behaviour (art. 1.4), besides the built-in lexicon
    /// (`config/serious.toml`): `[[serious]] category = "...", words = ["..."]`.
    #[serde(default)]
    pub serious: Vec<intake::LexiconEntry>,
    /// The file this was read from (set by [`Config::load`]).
    #[serde(skip)]
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Maildir,
    Imap,
    Smtp,
}

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

/// One line of `klachtd config check`: what was tried and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// What was checked: "IMAP connect", "SMTP AUTH", "store" ...
    pub what: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It works (what was found).
    Pass(String),
    /// It does not exist yet and is made at the first start: not a failure.
    Later(String),
    /// It fails: why, and which key to change.
    Fail(String),
}

impl Probe {
    pub fn pass(what: impl Into<String>, detail: impl Into<String>) -> Probe {
        Probe {
            what: what.into(),
            outcome: Outcome::Pass(detail.into()),
        }
    }
    pub fn later(what: impl Into<String>, detail: impl Into<String>) -> Probe {
        Probe {
            what: what.into(),
            outcome: Outcome::Later(detail.into()),
        }
    }
    pub fn fail(what: impl Into<String>, fix: impl Into<String>) -> Probe {
        Probe {
            what: what.into(),
            outcome: Outcome::Fail(fix.into()),
        }
    }
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Fail(_))
    }
}

/// What to change when a connection to `host:port` failed: the host when its name does
/// not resolve, else the port (or the host).
pub fn connect_fix(section: &str, host: &str, port: u16, e: &std::io::Error) -> String {
    let text = e.to_string();
    if text.contains("lookup") || text.contains("resolve") || text.contains("Name or service") {
        format!("unknown host {host:?}: check {section}.host")
    } else if e.kind() == std::io::ErrorKind::ConnectionRefused {
        format!("{host}:{port} refuses connections: check {section}.port and {section}.host")
    } else {
        format!("{host}:{port}: {text}: check {section}.host and {section}.port")
    }
}

/// What to change when TLS failed: an untrusted certificate names `ca_file`.
pub fn tls_fix(section: &str, text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if lower.contains("unknownissuer")
        || lower.contains("certificate")
        || lower.contains("notvalidforname")
    {
        format!(
            "the server's certificate is not trusted ({text}): set {section}.ca_file to the CA that signed it (PEM), or check {section}.host is the name in the certificate"
        )
    } else {
        format!("TLS failed ({text}): check {section}.tls and {section}.port")
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
    fn secrets(&self) -> impl Iterator<Item = Secret> {
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
struct ServerSection {
    /// The `kind` that makes the section talk to a server.
    kind: &'static str,
    defaults: ServerDefaults,
    host: &'static str,
    /// Where the protocol needs a user whether or not there is a secret.
    required_user: Option<&'static str>,
    tls: &'static str,
    password: &'static str,
}

const MAILBOX_SERVER: ServerSection = ServerSection {
    kind: "imap",
    defaults: ServerDefaults::IMAP,
    host: "mailbox.host",
    required_user: Some("mailbox.user"),
    tls: "mailbox.tls",
    password: "mailbox.password",
};

const SMTP_SERVER: ServerSection = ServerSection {
    kind: "smtp",
    defaults: ServerDefaults::SMTP,
    host: "smtp.host",
    required_user: None,
    tls: "smtp.tls",
    password: "smtp.password",
};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerConfig {
    pub name: String,
    pub addresses: Vec<String>,
}

/// `[owner_commands]`: the owner acts on a case by replying to klachtd's mail.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerCommandsConfig {
    #[serde(default)]
    pub enabled: bool,
    /// The authserv-id our receiving server writes in Authentication-Results.
    #[serde(default)]
    pub authserv_id: String,
    /// The token key: its first line is 64 hexadecimal characters. Outside the store.
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// How long a token in a mail stays valid, in days.
    #[serde(default = "default_token_days")]
    pub token_days: u32,
    /// Microsoft 365 inside one tenant: trust Exchange's internal authentication
    /// headers (see `procedure::owner::authres`). Off by default.
    #[serde(default)]
    pub exchange_internal: bool,
}

impl Default for OwnerCommandsConfig {
    fn default() -> Self {
        OwnerCommandsConfig {
            enabled: false,
            authserv_id: String::new(),
            key_file: None,
            token_days: default_token_days(),
            exchange_internal: false,
        }
    }
}

fn default_token_days() -> u32 {
    30
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    pub path: PathBuf,
    /// sled's page cache, in MiB.
    #[serde(default = "default_cache_mib")]
    pub cache_mib: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyConfig {
    #[serde(default = "default_company")]
    pub name: String,
    /// Other addresses that are "us" (mail from them is never answered).
    #[serde(default)]
    pub own_addresses: Vec<String>,
}

impl Default for CompanyConfig {
    fn default() -> Self {
        CompanyConfig {
            name: default_company(),
            own_addresses: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplatesConfig {
    /// A directory whose files override the built-in templates of the same name.
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleConfig {
    /// Seconds between scheduler ticks.
    #[serde(default = "default_tick")]
    pub tick_seconds: u64,
    /// Days before a deadline on which the owner is reminded (0: on the day).
    #[serde(default = "default_offsets")]
    pub reminder_days: Vec<u32>,
    /// Days after which a complainant who still owes information is reminded, once.
    #[serde(default = "default_info_reminder")]
    pub information_reminder_days: u32,
    /// The digest of open cases: weekday (mon..sun) and hour.
    #[serde(default = "default_digest_day")]
    pub digest_weekday: String,
    #[serde(default = "default_digest_hour")]
    pub digest_hour: u32,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            tick_seconds: default_tick(),
            reminder_days: default_offsets(),
            information_reminder_days: default_info_reminder(),
            digest_weekday: default_digest_day(),
            digest_hour: default_digest_hour(),
        }
    }
}

fn default_folder() -> String {
    "INBOX".into()
}
fn default_processed() -> String {
    "Verwerkt".into()
}
fn default_set_aside() -> String {
    "Apart gezet".into()
}
fn default_sent() -> String {
    "Sent".into()
}
fn yes() -> bool {
    true
}
fn default_poll() -> u64 {
    60
}
fn default_alert_after() -> u64 {
    60
}

fn default_attempts() -> u32 {
    10
}
fn default_cache_mib() -> u64 {
    8
}
fn default_company() -> String {
    "numun".into()
}
fn default_tick() -> u64 {
    60
}
fn default_offsets() -> Vec<u32> {
    vec![7, 2, 0]
}
fn default_info_reminder() -> u32 {
    7
}
fn default_digest_day() -> String {
    "mon".into()
}
fn default_digest_hour() -> u32 {
    8
}

/// The smallest working config: Maildir in and out, the store beside them (paths relative
/// to the config file). The benchmark's daemon and the config's own tests start from it.
pub const MINIMAL_MAILDIR: &str = r#"
[mailbox]
kind = "maildir"
path = "Maildir"
[smtp]
kind = "maildir"
path = "outbox"
from = "Klachten <klacht@numun.nl>"
[owner]
name = "Eigenaar"
addresses = ["eigenaar@numun.nl"]
[store]
path = "store"
"#;

impl Config {
    /// Reads and checks a config file.
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Read {
            file: file.to_path_buf(),
            source,
        })?;
        Self::parse(&text, file)
    }

    /// Parses config text as if read from `file` (relative paths resolve against its
    /// directory).
    pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            file: file.to_path_buf(),
            message: e.to_string(),
        })?;
        config.file = file.to_path_buf();
        let base = file.parent().unwrap_or(Path::new("."));
        let resolve = |p: &mut Option<PathBuf>| {
            if let Some(path) = p.as_mut().filter(|p| p.is_relative()) {
                *path = base.join(&*path);
            }
        };
        resolve(&mut config.mailbox.path);
        resolve(&mut config.mailbox.seed);
        resolve(&mut config.smtp.path);
        for server in [&mut config.mailbox.server, &mut config.smtp.server] {
            resolve(&mut server.ca_file);
            resolve(&mut server.password_file);
        }
        resolve(&mut config.templates.dir);
        resolve(&mut config.owner_commands.key_file);
        if config.store.path.is_relative() {
            config.store.path = base.join(&config.store.path);
        }
        config.check()?;
        Ok(config)
    }

    fn invalid(&self, key: &'static str, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            file: self.file.clone(),
            key,
            message: message.into(),
        }
    }

    fn check(&self) -> Result<(), ConfigError> {
        // The key is read at start, so a missing or broken key stops the daemon there.
        self.owner_commands()?;
        self.lexicon().map_err(|e| self.invalid("serious", e))?;
        match self.mailbox.kind {
            Kind::Maildir if self.mailbox.path.is_none() => {
                return Err(self.invalid("mailbox.path", "required when kind = \"maildir\""));
            }
            Kind::Imap => self.check_server(&self.mailbox.server, &MAILBOX_SERVER)?,
            Kind::Smtp => {
                return Err(self.invalid("mailbox.kind", "must be \"imap\" or \"maildir\""));
            }
            Kind::Maildir => {}
        }
        match self.smtp.kind {
            Kind::Maildir if self.smtp.path.is_none() => {
                return Err(self.invalid("smtp.path", "required when kind = \"maildir\""));
            }
            Kind::Smtp => self.check_server(&self.smtp.server, &SMTP_SERVER)?,
            Kind::Imap => {
                return Err(self.invalid("smtp.kind", "must be \"smtp\" or \"maildir\""));
            }
            Kind::Maildir => {}
        }
        if lettre::Address::try_from(self.from_address().to_string()).is_err()
            || self.smtp.from.parse::<lettre::message::Mailbox>().is_err()
        {
            return Err(self.invalid("smtp.from", "not a mail address"));
        }
        if self.owner.addresses.is_empty() {
            return Err(self.invalid("owner.addresses", "at least one address is needed"));
        }
        for a in &self.owner.addresses {
            if a.parse::<lettre::Address>().is_err() {
                return Err(self.invalid("owner.addresses", format!("not a mail address: {a:?}")));
            }
        }
        if !["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .contains(&self.schedule.digest_weekday.as_str())
        {
            return Err(self.invalid("schedule.digest_weekday", "one of mon, tue, ..., sun"));
        }
        if self.schedule.digest_hour > 23 {
            return Err(self.invalid("schedule.digest_hour", "an hour, 0 to 23"));
        }
        Ok(())
    }

    /// Checks a section that talks to a server: a host, the user where needed, plaintext
    /// only to loopback, at most one secret.
    fn check_server(
        &self,
        server: &ServerConfig,
        section: &ServerSection,
    ) -> Result<(), ConfigError> {
        let required = || format!("required when kind = \"{}\"", section.kind);
        let endpoint = server
            .endpoint(section.defaults)
            .ok_or_else(|| self.invalid(section.host, required()))?;
        if let Some(user) = section.required_user.filter(|_| server.user.is_none()) {
            return Err(self.invalid(user, required()));
        }
        if endpoint.tls == Tls::None && !is_loopback(&endpoint.host) {
            return Err(self.invalid(
                section.tls,
                "\"none\" (plaintext) is only allowed to a loopback address",
            ));
        }
        self.secret(server, section)?;
        Ok(())
    }

    /// The bare address of `smtp.from`: the complaint address.
    pub fn from_address(&self) -> &str {
        let from = self.smtp.from.trim();
        match (from.rfind('<'), from.rfind('>')) {
            (Some(a), Some(b)) if a < b => &from[a + 1..b],
            _ => from,
        }
    }

    /// The mailbox's password or token source.
    pub fn mailbox_secret(&self) -> Result<Option<Secret>, ConfigError> {
        self.secret(&self.mailbox.server, &MAILBOX_SERVER)
    }

    /// The SMTP server's password source, if it needs one.
    pub fn smtp_secret(&self) -> Result<Option<Secret>, ConfigError> {
        self.secret(&self.smtp.server, &SMTP_SERVER)
    }

    fn secret(
        &self,
        server: &ServerConfig,
        section: &ServerSection,
    ) -> Result<Option<Secret>, ConfigError> {
        let mut given = server.secrets();
        let first = given.next();
        if given.next().is_some() {
            return Err(self.invalid(
                section.password,
                "give one of password, password_file, password_env, password_command, token_command",
            ));
        }
        Ok(first)
    }

    /// What intake needs from the config.
    pub fn intake_context(&self) -> intake::Context {
        let mut addresses = vec![self.from_address().to_string()];
        if let Some(user) = self
            .mailbox
            .server
            .user
            .as_ref()
            .filter(|u| u.contains('@'))
        {
            addresses.push(user.clone());
        }
        addresses.extend(self.company.own_addresses.iter().cloned());
        intake::Context {
            own: OwnIdentity { addresses },
            catalogue: ServiceCatalogue {
                services: self.services.clone(),
            },
            limits: self.limits,
            // checked when the config was read
            lexicon: self.lexicon().unwrap_or_default(),
        }
    }

    /// The built-in lexicon of serious behaviour with the owner's `[[serious]]` words.
    fn lexicon(&self) -> Result<intake::Lexicon, String> {
        let mut lexicon = intake::Lexicon::default();
        for entry in &self.serious {
            lexicon.extend(entry)?;
        }
        Ok(lexicon)
    }

    /// What the scheduler needs from the config.
    pub fn schedule_settings(&self) -> ScheduleSettings {
        let s = &self.schedule;
        ScheduleSettings {
            reminder_days: s.reminder_days.clone(),
            information_reminder_days: s.information_reminder_days,
            digest_weekday: s.digest_weekday.parse().unwrap_or(Weekday::Mon),
            digest_hour: s.digest_hour,
        }
    }

    /// What the owner's commands by mail need: None when they are off. Reads the key
    /// file (its first line: 64 hexadecimal characters), which must lie outside the
    /// store.
    pub fn owner_commands(
        &self,
    ) -> Result<Option<crate::procedure::owner::OwnerCommands>, ConfigError> {
        use crate::procedure::owner::{OwnerCommands, authres::AuthPolicy, token::TokenKey};
        let c = &self.owner_commands;
        if !c.enabled {
            return Ok(None);
        }
        if c.authserv_id.trim().is_empty() && !c.exchange_internal {
            return Err(self.invalid(
                "owner_commands.authserv_id",
                "required when enabled: the authserv-id your receiving server writes in \
                 Authentication-Results",
            ));
        }
        if c.token_days == 0 || c.token_days > 366 {
            return Err(self.invalid("owner_commands.token_days", "must be 1 to 366"));
        }
        let key = "owner_commands.key_file";
        let Some(file) = &c.key_file else {
            return Err(self.invalid(key, "required when enabled (`klachtd init` writes one)"));
        };
        if file.starts_with(&self.store.path) {
            return Err(self.invalid(key, "must lie outside the store directory"));
        }
        let text = std::fs::read_to_string(file)
            .map_err(|e| self.invalid(key, format!("{}: {e}", file.display())))?;
        let line = text.lines().next().unwrap_or_default();
        let token_key = TokenKey::from_hex(line)
            .map_err(|e| self.invalid(key, format!("{}: {e}", file.display())))?;
        Ok(Some(OwnerCommands {
            policy: AuthPolicy {
                authserv_id: c.authserv_id.trim().to_string(),
                exchange_internal: c.exchange_internal,
            },
            key: token_key,
            token_days: c.token_days,
        }))
    }

    /// What the letter writer needs from the config, with the texts of the templates in
    /// `[templates] dir` that override the built-in ones.
    pub fn letter_settings(&self) -> Result<LetterSettings, ConfigError> {
        let mut overrides = Vec::new();
        if let Some(dir) = &self.templates.dir {
            let english = LetterKind::ALL
                .into_iter()
                .filter(|k| k.to_complainant())
                .map(|k| template_name_in(k, Language::English));
            for name in LetterKind::ALL
                .into_iter()
                .map(template_name)
                .chain(english)
            {
                let path = dir.join(&name);
                if path.is_file() {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        self.invalid("templates.dir", format!("{}: {e}", path.display()))
                    })?;
                    overrides.push((name, text));
                }
            }
        }
        Ok(LetterSettings {
            from: self.smtp.from.clone(),
            owner_name: self.owner.name.clone(),
            owner_addresses: self.owner.addresses.clone(),
            company: self.company.name.clone(),
            commission: self.commission.clone(),
            calendar: self.calendar.clone(),
            overrides,
        })
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_config_file() {
        let c = Config::parse(MINIMAL_MAILDIR, Path::new("/etc/klachtd/k.toml")).unwrap();
        assert_eq!(
            c.mailbox.path.as_deref().unwrap(),
            Path::new("/etc/klachtd/Maildir")
        );
        assert_eq!(c.store.path, Path::new("/etc/klachtd/store"));
        assert_eq!(c.from_address(), "klacht@numun.nl");
    }

    #[test]
    fn the_owner_adds_words_of_serious_behaviour() {
        let text = format!(
            "{MINIMAL_MAILDIR}\n[[serious]]\ncategory = \"intimidation\"\nwords = ['\\bopgewacht']\n"
        );
        let c = Config::parse(&text, Path::new("/x/k.toml")).unwrap();
        let ctx = c.intake_context();
        let raw = b"From: a@example.nl\r\nTo: klacht@example.test\r\nSubject: x\r\nDate: Mon, 16 Nov 2026 09:00:00 +0100\r\n\r\nHij heeft mij na de training bij de auto opgewacht.\r\n";
        let now = "2026-11-16T09:00:00Z".parse().unwrap();
        let s = intake::read(raw, intake::Arrival::At(now), &ctx).unwrap();
        assert!(s.serious);
        assert_eq!(s.serious_words, vec!["opgewacht".to_string()]);
        // A word that is no regex, or a category that is not serious: refused at start.
        for bad in [
            "[[serious]]\ncategory = \"bullying\"\nwords = [\"(\"]",
            "[[serious]]\ncategory = \"delivery\"\nwords = [\"x\"]",
        ] {
            let e = Config::parse(
                &format!("{MINIMAL_MAILDIR}\n{bad}\n"),
                Path::new("/x/k.toml"),
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains("serious"), "{e}");
        }
    }

    #[test]
    fn errors_name_the_file_and_the_key() {
        let text = MINIMAL_MAILDIR.replace("[store]", "[store]\ncolour = \"blue\"");
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("/x/k.toml") && e.contains("colour"), "{e}");

        let text = MINIMAL_MAILDIR.replace("addresses = [\"eigenaar@numun.nl\"]", "addresses = []");
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/x/k.toml") && e.contains("owner.addresses"),
            "{e}"
        );

        let text = MINIMAL_MAILDIR.replace(
            "kind = \"maildir\"\npath = \"Maildir\"",
            "kind = \"imap\"\nhost = \"mail.example.com\"\nuser = \"k\"\ntls = \"none\"\npassword_env = \"PW\"",
        );
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mailbox.tls") && e.contains("loopback"), "{e}");
    }

    #[test]
    fn two_secret_sources_are_an_error() {
        let text = MINIMAL_MAILDIR.replace(
            "kind = \"maildir\"\npath = \"Maildir\"",
            "kind = \"imap\"\nhost = \"127.0.0.1\"\nuser = \"k\"\npassword_env = \"PW\"\npassword_file = \"pw\"",
        );
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mailbox.password"), "{e}");
    }

    #[test]
    fn both_server_sections_read_the_same_keys() {
        let text = MINIMAL_MAILDIR
            .replace(
                "kind = \"maildir\"\npath = \"Maildir\"",
                "kind = \"imap\"\nhost = \"127.0.0.1\"\nuser = \"k@example.test\"\nca_file = \"ca.pem\"\npassword_file = \"imap-pw\"",
            )
            .replace(
                "kind = \"maildir\"\npath = \"outbox\"",
                "kind = \"smtp\"\nhost = \"smtp.example.test\"\nport = 2525\ntls = \"implicit\"\nuser = \"k\"\ntoken_command = \"tok\"",
            );
        let c = Config::parse(&text, Path::new("/etc/klachtd/k.toml")).unwrap();
        let imap = &c.mailbox.server;
        assert_eq!(
            imap.ca_file.as_deref(),
            Some(Path::new("/etc/klachtd/ca.pem"))
        );
        assert_eq!(
            imap.endpoint(ServerDefaults::IMAP),
            Some(Endpoint {
                host: "127.0.0.1".into(),
                port: 993,
                tls: Tls::Implicit
            })
        );
        assert_eq!(
            c.mailbox_secret().unwrap(),
            Some(Secret::File("/etc/klachtd/imap-pw".into()))
        );
        assert_eq!(
            c.smtp.server.endpoint(ServerDefaults::SMTP),
            Some(Endpoint {
                host: "smtp.example.test".into(),
                port: 2525,
                tls: Tls::Implicit
            })
        );
        assert_eq!(
            c.smtp_secret().unwrap(),
            Some(Secret::TokenCommand("tok".into()))
        );
        assert_eq!(
            c.intake_context().own.addresses,
            ["klacht@numun.nl", "k@example.test"]
        );
    }

    #[test]
    fn default_ports_follow_the_tls_mode() {
        let port = |tls, defaults| {
            let server = ServerConfig {
                host: Some("mail.example.test".into()),
                tls,
                ..ServerConfig::default()
            };
            server.endpoint(defaults).unwrap().port
        };
        assert_eq!(port(None, ServerDefaults::IMAP), 993);
        assert_eq!(port(Some(Tls::Starttls), ServerDefaults::IMAP), 143);
        assert_eq!(port(Some(Tls::None), ServerDefaults::IMAP), 143);
        assert_eq!(port(None, ServerDefaults::SMTP), 587);
        assert_eq!(port(Some(Tls::Implicit), ServerDefaults::SMTP), 465);
        assert_eq!(port(Some(Tls::None), ServerDefaults::SMTP), 25);
        assert_eq!(ServerConfig::default().endpoint(ServerDefaults::IMAP), None);
    }

    #[test]
    fn the_smtp_section_is_checked_like_the_mailbox() {
        let error = |text: &str| {
            Config::parse(text, Path::new("/x/k.toml"))
                .unwrap_err()
                .to_string()
        };
        let smtp = |keys: &str| {
            MINIMAL_MAILDIR.replace(
                "kind = \"maildir\"\npath = \"outbox\"",
                &format!("kind = \"smtp\"\n{keys}"),
            )
        };
        let e = error(&MINIMAL_MAILDIR.replace("[smtp]", "[smtp]\ncolour = \"blue\""));
        assert!(e.contains("/x/k.toml") && e.contains("colour"), "{e}");
        let e = error(&smtp("port = 25"));
        assert!(e.contains("smtp.host") && e.contains("\"smtp\""), "{e}");
        let e = error(&smtp("host = \"smtp.example.com\"\ntls = \"none\""));
        assert!(e.contains("smtp.tls") && e.contains("loopback"), "{e}");
        let e = error(&smtp(
            "host = \"localhost\"\nuser = \"k\"\npassword = \"x\"\ntoken_command = \"t\"",
        ));
        assert!(e.contains("smtp.password"), "{e}");
        // SMTP, unlike IMAP, needs no user (a relay that takes mail without login)
        let c = Config::parse(
            &smtp("host = \"::1\"\ntls = \"none\""),
            Path::new("/x/k.toml"),
        );
        assert!(c.is_ok());
        let e = error(&MINIMAL_MAILDIR.replace(
            "kind = \"maildir\"\npath = \"Maildir\"",
            "kind = \"imap\"\nhost = \"127.0.0.1\"",
        ));
        assert!(e.contains("mailbox.user") && e.contains("\"imap\""), "{e}");
    }
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn since_is_first_start_or_a_date() {
        let base = "[mailbox]\nkind = \"maildir\"\npath = \"m\"\n{}\n[smtp]\nkind = \"maildir\"\npath = \"o\"\nfrom = \"k@numun.nl\"\n[owner]\nname = \"O\"\naddresses = [\"o@numun.nl\"]\n[store]\npath = \"s\"\n";
        let parse = |line: &str| Config::parse(&base.replace("{}", line), Path::new("/etc/k.toml"));
        assert_eq!(parse("").unwrap().mailbox.since, Since::FirstStart);
        assert_eq!(
            parse("since = \"first-start\"").unwrap().mailbox.since,
            Since::FirstStart
        );
        let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let since = parse("since = \"2025-03-01\"").unwrap().mailbox.since;
        assert_eq!(since, Since::Date(day));
        let start = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        assert_eq!(
            since.moment(start).to_rfc3339(),
            "2025-02-28T23:00:00+00:00"
        );
        assert_eq!(Since::FirstStart.moment(start), start);
        let err = parse("since = \"yesterday\"").unwrap_err().to_string();
        assert!(
            err.contains("/etc/k.toml") && err.contains("since"),
            "{err}"
        );
    }

    #[test]
    fn the_shipped_configs_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        for name in ["demo.toml", "example.toml", "klachtd.toml"] {
            Config::load(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
