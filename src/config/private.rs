//! Files others can read (issue 10.6): the store, the config and every secret file must
//! be for the daemon's user alone. One check for every path, used by `klachtd run` (which
//! refuses to start) and by `klachtd config check` (a failing line).
//!
//! A path that does not exist yet is not a failure: the store is made at the first start
//! (0700), and the daemon creates nothing else others could read (umask 077).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::{Config, ConfigError, Kind};

/// A path that must be private: the key naming it (None: the config file itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivatePath {
    pub key: Option<&'static str>,
    pub path: PathBuf,
    pub dir: bool,
}

/// How a private path was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Privacy {
    /// For its user alone.
    Private,
    /// Not there yet (made at the first start, or its absence reported elsewhere).
    Missing,
    /// Group or others may read or write it: the message names the path and the fix.
    Exposed(String),
}

/// The mask every file and directory klachtd makes is created under: nothing for group
/// or others. Set by the daemon and by the commands that write files.
pub fn restrict_umask() {
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

impl Config {
    /// Every path that must be private. The one list: a new secret file is one more line.
    pub fn private_paths(&self) -> Vec<PrivatePath> {
        let file = |key, path: &Path| PrivatePath {
            key: Some(key),
            path: path.to_path_buf(),
            dir: false,
        };
        let mut paths = vec![
            PrivatePath {
                key: None,
                path: self.file.clone(),
                dir: false,
            },
            PrivatePath {
                key: Some("store.path"),
                path: self.store.path.clone(),
                dir: true,
            },
        ];
        if self.mailbox.kind == Kind::Imap
            && let Some(p) = &self.mailbox.server.password_file
        {
            paths.push(file("mailbox.password_file", p));
        }
        if self.smtp.kind == Kind::Smtp
            && let Some(p) = &self.smtp.server.password_file
        {
            paths.push(file("smtp.password_file", p));
        }
        if self.owner_commands.enabled
            && let Some(p) = &self.owner_commands.key_file
        {
            paths.push(file("owner_commands.key_file", p));
        }
        paths.push(file("store.key_file", &self.store_key_file()));
        paths
    }

    /// The daemon's start: the first path others can read, as an error naming the file,
    /// the key and the fix.
    pub fn check_private(&self) -> Result<(), ConfigError> {
        for p in self.private_paths() {
            if let Privacy::Exposed(message) = privacy(&p) {
                return Err(ConfigError::Exposed {
                    file: self.file.clone(),
                    message,
                });
            }
        }
        Ok(())
    }
}

/// Whether `p` is for its user alone.
pub fn privacy(p: &PrivatePath) -> Privacy {
    let meta = match std::fs::metadata(&p.path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Privacy::Missing,
        // Unreadable metadata is another failure, reported where the file is read.
        Err(_) => return Privacy::Missing,
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return Privacy::Private;
    }
    let path = p.path.display();
    let what = match p.key {
        Some(key) => format!("{path} ({key})"),
        None => format!("{path} (the config file)"),
    };
    let mut fix = if p.dir {
        format!("chmod 700 {path}")
    } else {
        format!("chmod 600 {path}")
    };
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        fix.push_str(&format!(" && chown {} {path}", user_name(me)));
    }
    Privacy::Exposed(format!(
        "{what} can be read or written by group or others (mode {mode:04o}): {fix}"
    ))
}

/// The name of user `uid` (from /etc/passwd), else its number: for the `chown` hint.
fn user_name(uid: u32) -> String {
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|text| {
            text.lines().find_map(|l| {
                let mut f = l.split(':');
                let name = f.next()?;
                let id = f.nth(1)?;
                (id.parse() == Ok(uid)).then(|| name.to_string())
            })
        })
        .unwrap_or_else(|| uid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MINIMAL_MAILDIR;

    fn chmod(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    /// A config in a temp dir, written 0600, with a store dir 0700 and a key file 0600.
    fn office(extra: &str) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("klachtd.toml");
        std::fs::write(&file, format!("{MINIMAL_MAILDIR}\n{extra}")).unwrap();
        chmod(&file, 0o600);
        std::fs::create_dir(dir.path().join("store")).unwrap();
        chmod(&dir.path().join("store"), 0o700);
        let config = Config::load(&file).unwrap();
        (dir, config)
    }

    fn refused(config: &Config) -> String {
        config.check_private().unwrap_err().to_string()
    }

    #[test]
    fn private_files_pass_and_a_missing_store_is_no_failure() {
        let (dir, config) = office("");
        assert!(config.check_private().is_ok());
        std::fs::remove_dir(dir.path().join("store")).unwrap();
        assert!(config.check_private().is_ok());
    }

    #[test]
    fn a_config_others_can_read_is_refused_with_the_fix() {
        for mode in [0o644, 0o640, 0o604, 0o620] {
            let (dir, config) = office("");
            let file = dir.path().join("klachtd.toml");
            chmod(&file, mode);
            let e = refused(&config);
            assert!(e.contains(&file.display().to_string()), "{e}");
            assert!(e.contains("the config file"), "{e}");
            assert!(e.contains(&format!("chmod 600 {}", file.display())), "{e}");
            assert!(e.contains(&format!("{mode:04o}")), "{e}");
        }
    }

    #[test]
    fn a_store_others_can_enter_is_refused_with_the_fix() {
        for mode in [0o755, 0o750, 0o701, 0o770] {
            let (dir, config) = office("");
            let store = dir.path().join("store");
            chmod(&store, mode);
            let e = refused(&config);
            assert!(e.contains("store.path"), "{e}");
            assert!(e.contains(&format!("chmod 700 {}", store.display())), "{e}");
        }
    }

    #[test]
    fn a_key_file_others_can_read_is_refused_naming_its_key() {
        let keys = tempfile::tempdir().unwrap();
        let key = keys.path().join("owner.key");
        std::fs::write(&key, format!("{}\n", "ab".repeat(32))).unwrap();
        let extra = format!(
            "[owner_commands]\nenabled = true\nauthserv_id = \"mx.numun.nl\"\nkey_file = {:?}\n",
            key.display().to_string()
        );
        for mode in [0o640, 0o644, 0o666] {
            chmod(&key, mode);
            let (_dir, config) = office(&extra);
            let e = refused(&config);
            assert!(e.contains("owner_commands.key_file"), "{e}");
            assert!(e.contains(&format!("chmod 600 {}", key.display())), "{e}");
        }
        chmod(&key, 0o600);
        let (_dir, config) = office(&extra);
        assert!(config.check_private().is_ok());
    }

    #[test]
    fn the_list_holds_every_secret_the_config_names() {
        let (_dir, config) = office("");
        let keys: Vec<_> = config.private_paths().into_iter().map(|p| p.key).collect();
        assert_eq!(keys, vec![None, Some("store.path"), Some("store.key_file")]);
    }

    #[test]
    fn the_umask_leaves_nothing_for_others() {
        restrict_umask();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("new");
        std::fs::write(&file, "x").unwrap();
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::create_dir(dir.path().join("d")).unwrap();
        let mode = std::fs::metadata(dir.path().join("d"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700);
    }
}
