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

mod private;
mod probe;
mod sections;
mod server;

pub use private::*;
pub use probe::*;
pub use sections::*;
pub use server::*;
use server::{MAILBOX_SERVER, SMTP_SERVER, ServerSection};

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
    /// A file or directory others can read (see [`private`]): the message names it, the
    /// key and the fix.
    #[error("{file}: {message}")]
    Exposed { file: PathBuf, message: String },
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
    /// The daily export of the store (off without `dir`).
    #[serde(default)]
    pub backup: BackupConfig,
    #[serde(default)]
    pub log: LogConfig,
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
        resolve(&mut config.backup.dir);
        resolve(&mut config.store.key_file);
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
        self.check_store_key()?;
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
        self.log_format()?;
        if self.schedule.digest_hour > 23 {
            return Err(self.invalid("schedule.digest_hour", "an hour, 0 to 23"));
        }
        if self.backup.keep == 0 {
            return Err(self.invalid("backup.keep", "at least 1"));
        }
        if let Some(dir) = &self.backup.dir {
            if dir.starts_with(&self.store.path) || self.store.path.starts_with(dir) {
                return Err(self.invalid(
                    "backup.dir",
                    "must lie outside the store directory (and not hold it)",
                ));
            }
            if dir.exists() && !dir.is_dir() {
                return Err(self.invalid(
                    "backup.dir",
                    format!("{} is not a directory", dir.display()),
                ));
            }
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

    /// `[log] format` (text when not given).
    pub fn log_format(&self) -> Result<LogFormat, ConfigError> {
        match self.log.format.as_deref() {
            None => Ok(LogFormat::Text),
            Some(v) => LogFormat::from_key(v)
                .ok_or_else(|| self.invalid("log.format", format!("{v:?}: \"text\" or \"json\""))),
        }
    }

    /// `[log] format` of the config in `file`, read before logging starts (and before
    /// the command reads the whole config, which reports any error in it): None when the
    /// file cannot be read or says nothing valid.
    pub fn log_format_in(file: &Path) -> Option<LogFormat> {
        #[derive(Deserialize)]
        struct Only {
            #[serde(default)]
            log: LogConfig,
        }
        let text = std::fs::read_to_string(file).ok()?;
        let only: Only = toml::from_str(&text).ok()?;
        LogFormat::from_key(only.log.format.as_deref()?)
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

    /// The store's master key file: `[store] key_file`, or `<store path>.key` beside the
    /// store directory.
    pub fn store_key_file(&self) -> PathBuf {
        self.store.key_file.clone().unwrap_or_else(|| {
            let mut name = self.store.path.as_os_str().to_owned();
            name.push(".key");
            PathBuf::from(name)
        })
    }

    /// `[store] key_file` lies outside the store directory, and when it exists its first
    /// line is a key (the store makes a missing one at its first start).
    fn check_store_key(&self) -> Result<(), ConfigError> {
        use crate::procedure::owner::token::key_from_hex;
        let key = "store.key_file";
        let file = self.store_key_file();
        if file.starts_with(&self.store.path) {
            return Err(self.invalid(
                key,
                format!("{}: must lie outside the store directory", file.display()),
            ));
        }
        match std::fs::read_to_string(&file) {
            Ok(text) => key_from_hex(text.lines().next().unwrap_or_default())
                .map(drop)
                .map_err(|e| self.invalid(key, format!("{}: {e}", file.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.invalid(key, format!("{}: {e}", file.display()))),
        }
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
mod tests;
