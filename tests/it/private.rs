//! Files others can read (issue 10.6): `klachtd run` refuses to start on a config, store,
//! password or key file that group or others can read, naming the file and the fix;
//! `config check` fails on the same line; what klachtd writes is for its user alone.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::owner::{key_dir, owner_commands_toml};
use crate::support::{TestConfig, write_private};

const BIN: &str = env!("CARGO_BIN_EXE_klachtd");

/// EX_CONFIG: the unit does not restart on it.
const EXIT_CONFIG: i32 = 78;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn klachtd(args: &[&str], config: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--config")
        .arg(config)
        .env("KLACHTD_LOG", "warn")
        .env_remove("KLACHTD_CONFIG")
        .output()
        .expect("run klachtd")
}

/// An office in a temp dir: IMAP to a closed local port with a password file (0600),
/// the store not made yet. The daemon never gets as far as connecting in these tests.
fn office(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("imap.pw");
    write_private(&pw, "geheim\n");
    let file = dir.path().join("klachtd.toml");
    TestConfig::default()
        .mailbox(format!(
            "kind = \"imap\"\nhost = \"127.0.0.1\"\nport = 9\ntls = \"none\"\nuser = \"klacht@numun.nl\"\npassword_file = {:?}",
            pw.display().to_string()
        ))
        .extra(extra)
        .write(&file);
    (dir, file)
}

/// `klachtd run` on `file`: refused at once with EX_CONFIG; its stderr.
fn refused(file: &Path) -> String {
    let out = klachtd(&["run"], file);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(EXIT_CONFIG), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The `config check` line of `what`.
fn check_line(file: &Path, what: &str) -> (bool, String) {
    let out = klachtd(&["config", "check"], file);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.contains(what))
        .unwrap_or_else(|| panic!("no line for {what}:\n{text}"))
        .to_string();
    (out.status.success(), line)
}

#[test]
fn a_config_others_can_read_stops_the_daemon() {
    for m in [0o644, 0o640, 0o604] {
        let (_dir, file) = office("");
        chmod(&file, m);
        let err = refused(&file);
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(
            err.contains(&format!("chmod 600 {}", file.display())),
            "{err}"
        );
        let (ok, line) = check_line(&file, "config file");
        assert!(!ok && line.starts_with("FAIL"), "{line}");
        assert!(line.contains("chmod 600"), "{line}");
    }
}

#[test]
fn a_password_file_others_can_read_stops_the_daemon() {
    for m in [0o640, 0o644, 0o660] {
        let (dir, file) = office("");
        let pw = dir.path().join("imap.pw");
        chmod(&pw, m);
        let err = refused(&file);
        assert!(err.contains("mailbox.password_file"), "{err}");
        assert!(
            err.contains(&format!("chmod 600 {}", pw.display())),
            "{err}"
        );
        let (ok, line) = check_line(&file, "key file mailbox.password_file");
        assert!(!ok && line.starts_with("FAIL"), "{line}");
        assert!(
            line.contains(&format!("chmod 600 {}", pw.display())),
            "{line}"
        );
    }
}

#[test]
fn a_store_others_can_enter_stops_the_daemon() {
    for m in [0o755, 0o750, 0o711] {
        let (dir, file) = office("");
        let store = dir.path().join("store");
        std::fs::create_dir(&store).unwrap();
        chmod(&store, m);
        let err = refused(&file);
        assert!(err.contains("store.path"), "{err}");
        assert!(
            err.contains(&format!("chmod 700 {}", store.display())),
            "{err}"
        );
        let (ok, line) = check_line(&file, "store");
        assert!(!ok && line.contains("chmod 700"), "{line}");
    }
}

#[test]
fn an_owner_key_others_can_read_stops_the_daemon() {
    let (_keys, key) = key_dir();
    let (_dir, file) = office(&owner_commands_toml(&key));
    chmod(&key, 0o644);
    let err = refused(&file);
    assert!(err.contains("owner_commands.key_file"), "{err}");
    assert!(
        err.contains(&format!("chmod 600 {}", key.display())),
        "{err}"
    );
    let (ok, line) = check_line(&file, "key file owner_commands.key_file");
    assert!(!ok && line.starts_with("FAIL"), "{line}");
    chmod(&key, 0o600);
    let (_, line) = check_line(&file, "key file owner_commands.key_file");
    assert!(line.starts_with("ok"), "{line}");
}

#[test]
fn private_files_and_a_store_not_made_yet_pass() {
    let (_dir, file) = office("");
    for what in ["config file", "key file mailbox.password_file"] {
        let (_, line) = check_line(&file, what);
        assert!(line.starts_with("ok"), "{line}");
    }
    let (_, line) = check_line(&file, "store");
    assert!(line.starts_with("later"), "{line}");
}

#[test]
fn what_the_daemon_makes_is_for_its_user_alone() {
    // A Maildir office run once: the store it creates, and every file in it, is private.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("klachtd.toml");
    TestConfig::default().write(&file);
    let out = klachtd(&["run", "--once"], &file);
    assert!(out.status.success(), "{out:?}");
    let store = dir.path().join("store");
    assert_eq!(mode(&store), 0o700);
    let mut stack = vec![store];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            assert_eq!(mode(&p) & 0o077, 0, "{}", p.display());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    // a second start accepts what the first made
    let out = klachtd(&["run", "--once"], &file);
    assert!(out.status.success(), "{out:?}");
    // a file a command writes (the yearly overview) is private too (umask 077)
    let report = dir.path().join("overzicht.html");
    let out = Command::new(BIN)
        .args(["report", "--year", "2026", "--format", "html", "--output"])
        .arg(&report)
        .arg("--config")
        .arg(&file)
        .env("KLACHTD_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&report), 0o600);
}
