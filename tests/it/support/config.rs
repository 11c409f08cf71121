//! The one way tests write a klachtd config. A file of its own that needs nothing else of
//! the tests: the mail-server harness (mailserver.rs) mounts it and builds its IMAP/SMTP
//! config on it, so that tests/imap_logs.rs and examples/mailbench.rs, which include only
//! the harness, have it too; support.rs re-exports it for the other tests.

use std::path::{Path, PathBuf};

use klachtd::config::Config;

/// A klachtd config, table by table. [`TestConfig::default`] is the office of the
/// Maildir tests: mail in at `Maildir` (polled every second), letters out to `outbox`,
/// the store in `store` (all relative to the config file), the owner, the complaints
/// commission and one service. Each table can be replaced.
#[derive(Debug, Clone)]
pub struct TestConfig {
    mailbox: String,
    smtp: String,
    owner: (String, String),
    store: PathBuf,
    extra: String,
}

impl Default for TestConfig {
    fn default() -> Self {
        TestConfig {
            mailbox: "kind = \"maildir\"\npath = \"Maildir\"\npoll_seconds = 1".into(),
            smtp:
                "kind = \"maildir\"\npath = \"outbox\"\nfrom = \"Klachten numun <klacht@numun.nl>\""
                    .into(),
            owner: ("Fatima Ait Takassit".into(), "eigenaar@numun.nl".into()),
            store: "store".into(),
            extra: String::new(),
        }
    }
}

impl TestConfig {
    /// The lines of `[mailbox]`, `kind` included.
    pub fn mailbox(mut self, lines: impl Into<String>) -> Self {
        self.mailbox = lines.into();
        self
    }

    /// The lines of `[smtp]`, `kind` included.
    pub fn smtp(mut self, lines: impl Into<String>) -> Self {
        self.smtp = lines.into();
        self
    }

    /// The owner, with one address.
    pub fn owner(mut self, name: &str, address: &str) -> Self {
        self.owner = (name.into(), address.into());
        self
    }

    /// Where the store is (relative: to the config file's directory).
    pub fn store(mut self, path: &Path) -> Self {
        self.store = path.into();
        self
    }

    /// More tables (`[schedule]`, `[templates]`...), after all the others.
    pub fn extra(mut self, toml: &str) -> Self {
        self.extra.push_str(toml);
        self.extra.push('\n');
        self
    }

    /// The config file's text.
    pub fn toml(&self) -> String {
        let TestConfig {
            mailbox,
            smtp,
            owner: (name, address),
            store,
            extra,
        } = self;
        format!(
            r#"
[mailbox]
{mailbox}

[smtp]
{smtp}

[owner]
name = "{name}"
addresses = ["{address}"]

[store]
path = {store:?}

[commission]
name = "Onafhankelijke Klachtencommissie"
address = "Postbus 1, 3500 AA Utrecht"
email = "info@commissie.example"

[[services]]
name = "Training Effectief Communiceren"
aliases = ["effectief communiceren"]

{extra}"#
        )
    }

    /// Writes the config to `file` (0600, as the daemon demands), checked or not (a test
    /// may want a bad one).
    pub fn write(&self, file: &Path) {
        write_private(file, self.toml());
    }

    /// The config as klachtd reads it from `file` (without writing it); panics, with the
    /// text, when klachtd refuses it.
    pub fn parse(&self, file: &Path) -> Config {
        let text = self.toml();
        Config::parse(&text, file).unwrap_or_else(|e| panic!("test config: {e}\n{text}"))
    }
}

/// Writes a config, password or key file for its user alone (0600): klachtd refuses to
/// start on one that group or others can read.
pub fn write_private(file: &Path, text: impl AsRef<[u8]>) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(file, text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
}
