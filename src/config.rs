//! The configuration file (TOML). Unknown keys are errors; every error names the file and
//! the key. Relative paths are relative to the config file's directory.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::Weekday;
use serde::Deserialize;

use crate::domain::LetterKind;
use crate::intake::{self, OwnIdentity, ServiceCatalogue};
use crate::letters::{Commission, LetterSettings, template_name};
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailboxConfig {
    pub kind: Kind,
    /// Maildir: the Maildir directory (new/, cur/, tmp/ are created when missing).
    pub path: Option<PathBuf>,
    /// Maildir, for trials: .eml files copied into new/ at start unless already there.
    pub seed: Option<PathBuf>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<Tls>,
    pub ca_file: Option<PathBuf>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub password_file: Option<PathBuf>,
    pub password_env: Option<String>,
    pub password_command: Option<String>,
    pub token_command: Option<String>,
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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub kind: Kind,
    /// Maildir: where outgoing mail is written.
    pub path: Option<PathBuf>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<Tls>,
    pub ca_file: Option<PathBuf>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub password_file: Option<PathBuf>,
    pub password_env: Option<String>,
    pub password_command: Option<String>,
    pub token_command: Option<String>,
    /// The From of every mail klachtd sends: the complaint address.
    pub from: String,
    /// Attempts before a mail counts as failed and the owner is alerted.
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerConfig {
    pub name: String,
    pub addresses: Vec<String>,
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
        resolve(&mut config.mailbox.ca_file);
        resolve(&mut config.mailbox.password_file);
        resolve(&mut config.smtp.path);
        resolve(&mut config.smtp.ca_file);
        resolve(&mut config.smtp.password_file);
        resolve(&mut config.templates.dir);
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
        match self.mailbox.kind {
            Kind::Maildir if self.mailbox.path.is_none() => {
                return Err(self.invalid("mailbox.path", "required when kind = \"maildir\""));
            }
            Kind::Imap => {
                let host =
                    self.mailbox.host.as_deref().ok_or_else(|| {
                        self.invalid("mailbox.host", "required when kind = \"imap\"")
                    })?;
                if self.mailbox.user.is_none() {
                    return Err(self.invalid("mailbox.user", "required when kind = \"imap\""));
                }
                if self.mailbox.tls.unwrap_or(Tls::Implicit) == Tls::None && !is_loopback(host) {
                    return Err(self.invalid(
                        "mailbox.tls",
                        "\"none\" (plaintext) is only allowed to a loopback address",
                    ));
                }
                self.mailbox_secret()?;
            }
            Kind::Smtp => {
                return Err(self.invalid("mailbox.kind", "must be \"imap\" or \"maildir\""));
            }
            Kind::Maildir => {}
        }
        match self.smtp.kind {
            Kind::Maildir if self.smtp.path.is_none() => {
                return Err(self.invalid("smtp.path", "required when kind = \"maildir\""));
            }
            Kind::Smtp => {
                let host =
                    self.smtp.host.as_deref().ok_or_else(|| {
                        self.invalid("smtp.host", "required when kind = \"smtp\"")
                    })?;
                if self.smtp.tls.unwrap_or(Tls::Starttls) == Tls::None && !is_loopback(host) {
                    return Err(self.invalid(
                        "smtp.tls",
                        "\"none\" (plaintext) is only allowed to a loopback address",
                    ));
                }
                self.smtp_secret()?;
            }
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
        let m = &self.mailbox;
        self.secret(
            "mailbox.password",
            [
                m.password.clone().map(Secret::Inline),
                m.password_file.clone().map(Secret::File),
                m.password_env.clone().map(Secret::Env),
                m.password_command.clone().map(Secret::Command),
                m.token_command.clone().map(Secret::TokenCommand),
            ],
        )
    }

    /// The SMTP server's password source, if it needs one.
    pub fn smtp_secret(&self) -> Result<Option<Secret>, ConfigError> {
        let s = &self.smtp;
        self.secret(
            "smtp.password",
            [
                s.password.clone().map(Secret::Inline),
                s.password_file.clone().map(Secret::File),
                s.password_env.clone().map(Secret::Env),
                s.password_command.clone().map(Secret::Command),
                s.token_command.clone().map(Secret::TokenCommand),
            ],
        )
    }

    fn secret(
        &self,
        key: &'static str,
        sources: [Option<Secret>; 5],
    ) -> Result<Option<Secret>, ConfigError> {
        let mut given = sources.into_iter().flatten();
        let first = given.next();
        if given.next().is_some() {
            return Err(self.invalid(
                key,
                "give one of password, password_file, password_env, password_command, token_command",
            ));
        }
        Ok(first)
    }

    /// What intake needs from the config.
    pub fn intake_context(&self) -> intake::Context {
        let mut addresses = vec![self.from_address().to_string()];
        if let Some(user) = self.mailbox.user.as_ref().filter(|u| u.contains('@')) {
            addresses.push(user.clone());
        }
        addresses.extend(self.company.own_addresses.iter().cloned());
        intake::Context {
            own: OwnIdentity { addresses },
            catalogue: ServiceCatalogue {
                services: self.services.clone(),
            },
        }
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

    /// What the letter writer needs from the config, with the texts of the templates in
    /// `[templates] dir` that override the built-in ones.
    pub fn letter_settings(&self) -> Result<LetterSettings, ConfigError> {
        let mut overrides = Vec::new();
        if let Some(dir) = &self.templates.dir {
            for kind in LetterKind::ALL {
                let name = template_name(kind);
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

    const MINIMAL: &str = r#"
[mailbox]
kind = "maildir"
path = "inbox"
[smtp]
kind = "maildir"
path = "outbox"
from = "Klachten <klacht@example.test>"
[owner]
name = "Eigenaar"
addresses = ["owner@example.test"]
[store]
path = "store"
"#;

    #[test]
    fn relative_paths_resolve_against_the_config_file() {
        let c = Config::parse(MINIMAL, Path::new("/etc/klachtd/k.toml")).unwrap();
        assert_eq!(
            c.mailbox.path.as_deref().unwrap(),
            Path::new("/etc/klachtd/inbox")
        );
        assert_eq!(c.store.path, Path::new("/etc/klachtd/store"));
        assert_eq!(c.from_address(), "klacht@example.test");
    }

    #[test]
    fn errors_name_the_file_and_the_key() {
        let text = MINIMAL.replace("[store]", "[store]\ncolour = \"blue\"");
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("/x/k.toml") && e.contains("colour"), "{e}");

        let text = MINIMAL.replace("addresses = [\"owner@example.test\"]", "addresses = []");
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/x/k.toml") && e.contains("owner.addresses"),
            "{e}"
        );

        let text = MINIMAL.replace(
            "kind = \"maildir\"\npath = \"inbox\"",
            "kind = \"imap\"\nhost = \"mail.example.com\"\nuser = \"k\"\ntls = \"none\"\npassword_env = \"PW\"",
        );
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mailbox.tls") && e.contains("loopback"), "{e}");
    }

    #[test]
    fn two_secret_sources_are_an_error() {
        let text = MINIMAL.replace(
            "kind = \"maildir\"\npath = \"inbox\"",
            "kind = \"imap\"\nhost = \"127.0.0.1\"\nuser = \"k\"\npassword_env = \"PW\"\npassword_file = \"pw\"",
        );
        let e = Config::parse(&text, Path::new("/x/k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mailbox.password"), "{e}");
    }
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn the_shipped_configs_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        for name in ["demo.toml", "example.toml"] {
            Config::load(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
