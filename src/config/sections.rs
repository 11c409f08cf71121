//! The sections that talk to no server: the owner, her commands by mail, the store, the
//! company, the templates, the schedule; and the defaults of every key.

use std::path::PathBuf;

use serde::Deserialize;

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

pub(super) fn default_token_days() -> u32 {
    30
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    pub path: PathBuf,
    /// sled's page cache, in MiB.
    #[serde(default = "default_cache_mib")]
    pub cache_mib: u64,
    /// The store's master key (its first line 64 hexadecimal characters), outside the
    /// store; default `<path>.key` beside it (see `Config::store_key_file`). Made at the
    /// first start of a new store.
    #[serde(default)]
    pub key_file: Option<PathBuf>,
}

/// `[backup]`: once a day the whole store is exported (as `klachtd export` does) into
/// `dir` as `klachtd-YYYY-MM-DD.export`, and only the newest `keep` are kept. Off
/// without `dir`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// Where the daily exports go: outside the store directory (best on another disk).
    #[serde(default)]
    pub dir: Option<PathBuf>,
    /// How many daily exports to keep (the newest).
    #[serde(default = "default_backup_keep")]
    pub keep: u32,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig {
            dir: None,
            keep: default_backup_keep(),
        }
    }
}

pub(super) fn default_backup_keep() -> u32 {
    7
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

/// `[log]`: how the daemon's log lines are written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// "text" (for a person; the default) or "json" (one object a line). The command
    /// line's `--log-format` wins.
    pub format: Option<String>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub(super) fn from_key(value: &str) -> Option<LogFormat> {
        match value {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

pub(super) fn default_folder() -> String {
    "INBOX".into()
}
pub(super) fn default_processed() -> String {
    "Verwerkt".into()
}
pub(super) fn default_set_aside() -> String {
    "Apart gezet".into()
}
pub(super) fn default_sent() -> String {
    "Sent".into()
}
pub(super) fn yes() -> bool {
    true
}
pub(super) fn default_poll() -> u64 {
    60
}
pub(super) fn default_alert_after() -> u64 {
    60
}

pub(super) fn default_attempts() -> u32 {
    10
}
pub(super) fn default_cache_mib() -> u64 {
    8
}
pub(super) fn default_company() -> String {
    "numun".into()
}
pub(super) fn default_tick() -> u64 {
    60
}
pub(super) fn default_offsets() -> Vec<u32> {
    vec![7, 2, 0]
}
pub(super) fn default_info_reminder() -> u32 {
    7
}
pub(super) fn default_digest_day() -> String {
    "mon".into()
}
pub(super) fn default_digest_hour() -> u32 {
    8
}
