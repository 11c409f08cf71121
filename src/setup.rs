//! Putting klachtd into service: `klachtd init` (a commented config and the password
//! files) and `klachtd config check` (the config validated, then the real things tried:
//! the mailbox, the mail server, the store, the key files, the letters, the owner).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::config::{Config, Kind, Privacy, PrivatePath, Probe, privacy};

/// The config `klachtd init` writes (and the Debian package installs), for /etc/klachtd.
pub const CONFIG_TEMPLATE: &str = include_str!("../config/klachtd.toml");

/// The directory [`CONFIG_TEMPLATE`] is written for.
const TEMPLATE_DIR: &str = "/etc/klachtd";

/// What `klachtd init` wrote (or found and kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// False: the file was there already and was left as it was.
    pub created: bool,
}

/// The config file, the password files beside it (0600, empty) and the keys to fill in.
#[derive(Debug, Clone)]
pub struct Init {
    pub config: PathBuf,
    pub files: Vec<Written>,
    /// The keys marked FILL IN in the config.
    pub fill_in: Vec<String>,
}

/// Writes a commented config into `dir` (its paths pointing into `dir`) and the password
/// files it names, 0600; an existing file is kept, never overwritten.
pub fn init(dir: &Path) -> std::io::Result<Init> {
    std::fs::create_dir_all(dir)?;
    let dir_text = dir.display().to_string();
    let text = CONFIG_TEMPLATE.replace(TEMPLATE_DIR, dir_text.trim_end_matches('/'));
    let config = dir.join("klachtd.toml");
    // 0600: the daemon refuses a config others can read (config::private)
    let mut files = vec![write_new(&config, text.as_bytes(), 0o600)?];
    for name in ["imap-password", "smtp-password"] {
        files.push(write_new(&dir.join(name), b"", 0o600)?);
    }
    files.push(write_key_file(&dir.join("owner.key"))?);
    // The store's master key ([store] key_file): the daemon cannot make it under the
    // unit's read-only /etc, so it is made here (and by the package).
    files.push(write_key_file(&dir.join("store.key"))?);
    Ok(Init {
        config,
        files,
        fill_in: fill_in_keys(&text),
    })
}

/// Writes a new key (for the owner's commands by mail, or the store's master key) to
/// `path` (its first line: 64 hexadecimal characters from the system's random source,
/// 0600), unless it exists: a key is never replaced.
pub fn write_key_file(path: &Path) -> std::io::Result<Written> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    let key = crate::procedure::owner::token::TokenKey::new(bytes);
    write_new(path, format!("{}\n", key.to_hex()).as_bytes(), 0o600)
}

/// Creates `path` with `mode` and `bytes` unless it exists.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<Written> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
    {
        Ok(mut f) => {
            f.write_all(bytes)?;
            f.sync_all()?;
            // the umask may have taken bits away; never added any
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
            Ok(Written {
                path: path.to_path_buf(),
                created: true,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(Written {
            path: path.to_path_buf(),
            created: false,
        }),
        Err(e) => Err(e),
    }
}

/// The keys under each "# FILL IN" comment (up to the next comment or blank line):
/// `section.key`, or `[section]` for a comment right above a section.
fn fill_in_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut section = String::new();
    let mut marked = false;
    // still in the comment block that said FILL IN
    let mut in_block = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            if marked {
                keys.push(format!("[{section}]"));
                marked = false;
            }
            in_block = false;
        } else if let Some(comment) = line.strip_prefix('#') {
            marked = comment.trim().starts_with("FILL IN") || (marked && in_block);
            in_block = marked;
        } else if line.is_empty() {
            marked = false;
            in_block = false;
        } else {
            in_block = false;
            if marked && let Some((key, _)) = line.split_once('=') {
                keys.push(format!("{section}.{}", key.trim()));
            }
        }
    }
    keys
}

/// `klachtd config check`: every check, one line each (the config itself was read and
/// validated already).
pub async fn check(config: &Config) -> Vec<Probe> {
    let mut lines = Vec::new();
    match config.mailbox.kind {
        Kind::Imap => lines.extend(crate::mailbox::imap::probe(config).await),
        _ => lines.push(maildir("mailbox", config.mailbox.path.as_deref())),
    }
    match config.smtp.kind {
        Kind::Smtp => lines.extend(crate::outbox::smtp::probe(config).await),
        _ => lines.push(maildir("smtp", config.smtp.path.as_deref())),
    }
    lines.push(store(&config.store.path));
    // The private paths without a probe of their own below: the config file, the keys.
    for p in config.private_paths() {
        let what = match p.key {
            None => "config file".to_string(),
            Some("store.path") => continue,
            Some(key) if key.ends_with(".password_file") => continue,
            Some(key) => format!("key file {key}"),
        };
        lines.push(match privacy(&p) {
            Privacy::Exposed(fix) => Probe::fail(what, fix),
            Privacy::Missing => Probe::later(
                what,
                format!("{}: created at the first start", p.path.display()),
            ),
            Privacy::Private => Probe::pass(what, format!("{} (0600)", p.path.display())),
        });
    }
    for (key, server) in [
        ("mailbox.password_file", &config.mailbox.server),
        ("smtp.password_file", &config.smtp.server),
    ] {
        if let Some(file) = &server.password_file {
            lines.push(key_file(key, file));
        }
        if let Some(file) = &server.ca_file {
            lines.push(readable(&format!("{key}.ca_file"), file));
        }
    }
    lines.push(templates(config));
    lines.push(owner(config));
    lines.push(if config.commission.name.trim().is_empty() {
        Probe::fail(
            "commission",
            "commission.name is empty: decision letters (art. 5.2) cannot be sent; name the independent commission",
        )
    } else {
        Probe::pass("commission", config.commission.name.clone())
    });
    lines
}

fn maildir(section: &str, path: Option<&Path>) -> Probe {
    let what = format!("{section} Maildir");
    match path {
        Some(p) if p.is_dir() => Probe::pass(what, p.display().to_string()),
        Some(p) => Probe::later(what, format!("{}: created at the first start", p.display())),
        None => Probe::fail(what, format!("{section}.path is not set")),
    }
}

/// The store: absent is fine (made at the first start); present, it must be a directory
/// only its user can read.
fn store(path: &Path) -> Probe {
    let what = "store";
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = path.parent().unwrap_or(Path::new("/"));
            if parent.exists() {
                Probe::later(
                    what,
                    format!("{}: created at the first start", path.display()),
                )
            } else {
                Probe::later(
                    what,
                    format!(
                        "{}: created at the first start (with {})",
                        path.display(),
                        parent.display()
                    ),
                )
            }
        }
        Err(e) => Probe::fail(what, format!("{}: {e}: check store.path", path.display())),
        Ok(m) if !m.is_dir() => Probe::fail(
            what,
            format!("{} is not a directory: check store.path", path.display()),
        ),
        Ok(_) if let Privacy::Exposed(fix) = privacy(&dir_path("store.path", path)) => {
            Probe::fail(what, fix)
        }
        Ok(m) if m.permissions().readonly() => Probe::fail(
            what,
            format!("{} is not writable: check store.path", path.display()),
        ),
        Ok(_) => Probe::pass(what, format!("{} (0700)", path.display())),
    }
}

/// A password file: present, readable, and for its user only.
fn key_file(key: &'static str, path: &Path) -> Probe {
    let what = format!("key file {key}");
    match std::fs::metadata(path) {
        Err(e) => Probe::fail(
            what,
            format!(
                "{}: {e}: write the password on its first line (chmod 600), or fix {key}",
                path.display()
            ),
        ),
        Ok(_) if let Privacy::Exposed(fix) = privacy(&file_path(key, path)) => {
            Probe::fail(what, fix)
        }
        Ok(_) => match std::fs::read_to_string(path) {
            Ok(text) if text.lines().next().is_none_or(|l| l.trim().is_empty()) => Probe::fail(
                what,
                format!(
                    "{} is empty: write the password on its first line",
                    path.display()
                ),
            ),
            Ok(_) => Probe::pass(what, format!("{} (0600)", path.display())),
            Err(e) => Probe::fail(what, format!("{}: {e}", path.display())),
        },
    }
}

/// The file `key` names, as [`privacy`] checks it.
fn file_path(key: &'static str, path: &Path) -> PrivatePath {
    PrivatePath {
        key: Some(key),
        path: path.to_path_buf(),
        dir: false,
    }
}

fn dir_path(key: &'static str, path: &Path) -> PrivatePath {
    PrivatePath {
        key: Some(key),
        path: path.to_path_buf(),
        dir: true,
    }
}

fn readable(key: &str, path: &Path) -> Probe {
    match std::fs::File::open(path) {
        Ok(_) => Probe::pass(key, path.display().to_string()),
        Err(e) => Probe::fail(key, format!("{}: {e}: fix {key}", path.display())),
    }
}

/// Every letter rendered once with a sample case (what the daemon does at start).
fn templates(config: &Config) -> Probe {
    let settings = match config.letter_settings() {
        Ok(s) => s,
        Err(e) => return Probe::fail("templates", e.to_string()),
    };
    match crate::letters::Letters::new(&settings) {
        Ok(_) => Probe::pass(
            "templates",
            match &config.templates.dir {
                Some(dir) => format!("every letter renders (overrides from {})", dir.display()),
                None => "every letter renders (built in)".to_string(),
            },
        ),
        Err(e) => Probe::fail(
            "templates",
            format!("{e}: fix the template (templates.dir)"),
        ),
    }
}

/// The owner's addresses: deliverable-looking, and not the complaint address itself (the
/// owner's notices would come back in as complaints).
fn owner(config: &Config) -> Probe {
    let ours = config.from_address().to_ascii_lowercase();
    let user = config
        .mailbox
        .server
        .user
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    for a in &config.owner.addresses {
        let a = a.to_ascii_lowercase();
        if a == ours || a == user {
            return Probe::fail(
                "owner",
                format!(
                    "owner.addresses holds the complaint address {a}: the owner's notices would come back as complaints; give the owner's own address"
                ),
            );
        }
    }
    Probe::pass(
        "owner",
        format!(
            "{} <{}>",
            config.owner.name,
            config.owner.addresses.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_names_what_to_fill_in() {
        let keys = fill_in_keys(CONFIG_TEMPLATE);
        for key in [
            "mailbox.host",
            "mailbox.user",
            "mailbox.password_file",
            "smtp.host",
            "smtp.from",
            "owner.name",
            "owner.addresses",
            "[commission]",
        ] {
            assert!(keys.contains(&key.to_string()), "{key} in {keys:?}");
        }
    }
}
