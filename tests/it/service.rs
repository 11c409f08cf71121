//! Into service (issue 8): `klachtd init` and `klachtd config check` against the real
//! Dovecot and SMTP front: passing, and failing for each cause with the key to change.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::mailserver::{KLACHT, MailServer};

const BIN: &str = env!("CARGO_BIN_EXE_klachtd");

fn klachtd(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("KLACHTD_LOG", "warn")
        .env_remove("KLACHTD_CONFIG")
        .output()
        .expect("run klachtd")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A config for klacht@ on `server` in `dir`, the password file 0600, with `mailbox`
/// and `smtp` lines in those tables (after the usual ones).
fn config(server: &MailServer, dir: &Path, mailbox: &str, smtp: &str) -> PathBuf {
    let login = server.imaps_login(dir);
    std::fs::set_permissions(dir.join("imap.pw"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let file = dir.join("klachtd.toml");
    let mailbox = format!("{login}\nfolder = \"INBOX\"\n{mailbox}");
    let smtp = format!("tls = \"none\"\n{smtp}");
    server
        .klachtd_config(&mailbox, &smtp)
        .store(&dir.join("store"))
        .write(&file);
    file
}

/// `klachtd config check --config F`: (passed, stdout).
fn check(file: &Path) -> (bool, String) {
    let out = klachtd(&["config", "check", "--config", file.to_str().unwrap()]);
    (out.status.success(), stdout(&out))
}

/// The line of check `what`.
fn line<'a>(out: &'a str, what: &str) -> &'a str {
    out.lines()
        .find(|l| l.contains(&format!(" {what}:")))
        .unwrap_or_else(|| panic!("no line for {what}:\n{out}"))
}

#[test]
fn config_check_passes_on_a_good_config() {
    let server = MailServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = config(&server, dir.path(), "", "");
    let (ok, out) = check(&file);
    assert!(ok, "{out}");
    for what in [
        "IMAP connect",
        "IMAP TLS",
        "IMAP login",
        "IMAP folder \"INBOX\"",
        "SMTP connect",
        "SMTP EHLO",
        "SMTP AUTH",
        "key file mailbox.password_file",
        "templates",
        "owner",
    ] {
        assert!(line(&out, what).starts_with("ok "), "{what}:\n{out}");
    }
    // the store and the folders klachtd creates itself are not there yet: not failures
    assert!(line(&out, "store").starts_with("later "), "{out}");
    let key = line(&out, "key file store.key_file");
    assert!(
        key.starts_with("later ") && key.contains("at the first start"),
        "{out}"
    );
    assert!(
        line(&out, "store").contains("created at the first start"),
        "{out}"
    );
    assert!(
        line(&out, "IMAP folder \"Verwerkt\"").starts_with("later "),
        "{out}"
    );
    assert!(out.contains("all checks passed"), "{out}");
    // it created nothing: no store, no folder
    assert!(!dir.path().join("store").exists());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut imap = rt.block_on(server.imap(KLACHT));
    let names: Vec<String> = rt.block_on(async {
        use futures::TryStreamExt;
        imap.list(None, Some("*"))
            .await
            .unwrap()
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .iter()
            .map(|n| n.name().to_string())
            .collect()
    });
    assert!(!names.iter().any(|n| n == "Verwerkt"), "{names:?}");
}

#[test]
fn config_check_names_the_key_for_each_failure() {
    let server = MailServer::start();

    // a wrong password: the password file
    let dir = tempfile::tempdir().unwrap();
    let file = config(&server, dir.path(), "", "");
    std::fs::write(dir.path().join("imap.pw"), "wrong-password\n").unwrap();
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "IMAP login");
    assert!(
        l.starts_with("FAIL") && l.contains("mailbox.password_file"),
        "{out}"
    );

    // an unknown host
    let dir = tempfile::tempdir().unwrap();
    let file = config(&server, dir.path(), "", "");
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "host = \"127.0.0.1\"",
        "host = \"no-such-host.invalid\"",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "IMAP connect");
    assert!(l.starts_with("FAIL") && l.contains("mailbox.host"), "{out}");

    // an untrusted certificate (the test CA not given): the CA file
    let dir = tempfile::tempdir().unwrap();
    let file = config(&server, dir.path(), "", "");
    let text = std::fs::read_to_string(&file).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("ca_file"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, text).unwrap();
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "IMAP TLS");
    assert!(
        l.starts_with("FAIL") && l.contains("mailbox.ca_file"),
        "{out}"
    );

    // the complaint folder missing: the folder key
    let dir = tempfile::tempdir().unwrap();
    let file = config(&server, dir.path(), "", "");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("folder = \"INBOX\"", "folder = \"Klachten\"");
    std::fs::write(&file, text).unwrap();
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "IMAP folder \"Klachten\"");
    assert!(
        l.starts_with("FAIL") && l.contains("mailbox.folder"),
        "{out}"
    );

    // SMTP: an unknown host, a port where nothing listens
    let dir = tempfile::tempdir().unwrap();
    let file = config(&server, dir.path(), "", "");
    let text = std::fs::read_to_string(&file).unwrap();
    let smtp_host = format!("host = \"127.0.0.1\"\nport = {}", server.smtp_port);
    assert!(text.contains(&smtp_host), "{text}");
    std::fs::write(
        &file,
        text.replace(
            &smtp_host,
            &format!(
                "host = \"no-such-host.invalid\"\nport = {}",
                server.smtp_port
            ),
        )
        // (plaintext is for loopback only: the config would be refused before the check)
        .replace("tls = \"none\"", "tls = \"starttls\""),
    )
    .unwrap();
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "SMTP connect");
    assert!(l.starts_with("FAIL") && l.contains("smtp.host"), "{out}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    std::fs::write(
        &file,
        text.replace(&smtp_host, &format!("host = \"127.0.0.1\"\nport = {port}")),
    )
    .unwrap();
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "SMTP connect");
    assert!(l.starts_with("FAIL") && l.contains("smtp.port"), "{out}");

    // key file and store permissions
    let dir = tempfile::tempdir().unwrap();
    let file = config(&server, dir.path(), "", "");
    std::fs::set_permissions(
        dir.path().join("imap.pw"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("store")).unwrap();
    std::fs::set_permissions(
        dir.path().join("store"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "key file mailbox.password_file");
    assert!(l.starts_with("FAIL") && l.contains("chmod 600"), "{out}");
    let l = line(&out, "store");
    assert!(l.starts_with("FAIL") && l.contains("chmod 700"), "{out}");

    // an invalid config: the file and the key, before anything is tried
    let dir = tempfile::tempdir().unwrap();
    let file = config(&server, dir.path(), "since = \"yesterday\"", "");
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "config");
    assert!(l.starts_with("FAIL") && l.contains("klachtd.toml"), "{out}");
    assert!(out.contains("mailbox.since"), "{out}");
}

#[test]
fn init_writes_a_commented_config_and_private_password_files() {
    let dir = tempfile::tempdir().unwrap();
    let etc = dir.path().join("etc-klachtd");
    let out = klachtd(&["init", "--dir", etc.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    for key in [
        "mailbox.host",
        "mailbox.user",
        "smtp.from",
        "owner.addresses",
        "config check",
    ] {
        assert!(text.contains(key), "{key}:\n{text}");
    }
    let config = std::fs::read_to_string(etc.join("klachtd.toml")).unwrap();
    // every key of every table is named, with a comment
    for key in [
        "kind",
        "host",
        "tls",
        "port",
        "ca_file",
        "user",
        "password_file",
        "password_env",
        "password_command",
        "token_command",
        "folder",
        "processed_folder",
        "set_aside_folder",
        "sent_folder",
        "idle",
        "poll_seconds",
        "since",
        "seed",
        "from",
        "max_attempts",
        "cache_mib",
        "key_file",
        "own_addresses",
        "website",
        "dir",
        "closing_days",
        "closing_ranges",
        "tick_seconds",
        "reminder_days",
        "information_reminder_days",
        "digest_weekday",
        "digest_hour",
        "aliases",
    ] {
        assert!(config.contains(&format!("{key} =")), "{key} missing");
    }
    assert!(
        config.contains(&format!(
            "password_file = \"{}/imap-password\"",
            etc.display()
        )),
        "the password file is in --dir"
    );
    // the store's master key, where the config names it, outside the store
    assert!(
        config.contains(&format!("key_file = \"{}/store.key\"", etc.display())),
        "the store's key file is in --dir"
    );
    let store_key = std::fs::read_to_string(etc.join("store.key")).unwrap();
    assert_eq!(store_key.trim_end().len(), 64, "{store_key:?}");
    for pw in ["imap-password", "smtp-password", "store.key"] {
        let mode = std::fs::metadata(etc.join(pw))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{pw}");
    }
    // it parses as it is, and a second init keeps what is there
    klachtd::config::Config::load(&etc.join("klachtd.toml")).expect("the written config loads");
    std::fs::write(etc.join("imap-password"), "secret\n").unwrap();
    let again = klachtd(&["init", "--dir", etc.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("kept"), "{}", stdout(&again));
    assert_eq!(
        std::fs::read_to_string(etc.join("imap-password")).unwrap(),
        "secret\n"
    );
    assert_eq!(
        std::fs::read_to_string(etc.join("store.key")).unwrap(),
        store_key,
        "a key is never replaced"
    );

    // every command finds it through $KLACHTD_CONFIG and says so
    let out = Command::new(BIN)
        .args(["calendar", "--received", "2026-04-02"])
        .env("KLACHTD_CONFIG", etc.join("klachtd.toml"))
        .env("KLACHTD_LOG", "warn")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("config {}", etc.join("klachtd.toml").display()))
            && err.contains("$KLACHTD_CONFIG"),
        "{err}"
    );
}

/// A submission server with STARTTLS and AUTH (tests/mailserver/smtp_submission.py, on
/// aiosmtpd like the harness's SMTP front, which has neither), stopped on drop.
struct Submission {
    child: std::process::Child,
    port: u16,
}

impl Submission {
    fn start(server: &MailServer) -> Submission {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mailserver/smtp_submission.py");
        let child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&server.ca_cert)
            .arg(server.dir.join("tls/key.pem"))
            .arg(KLACHT)
            .arg(crate::mailserver::password(KLACHT))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start smtp_submission.py (python3-aiosmtpd)");
        let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !MailServer::port_open(port) {
            assert!(
                std::time::Instant::now() < until,
                "the submission server did not start on port {port}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Submission { child, port }
    }
}

impl Drop for Submission {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn config_check_tries_smtp_starttls_and_auth() {
    let server = MailServer::start();
    let submission = Submission::start(&server);
    let write = |dir: &Path, smtp: &str| -> PathBuf {
        let file = config(&server, dir, "", "");
        let pw = dir.join("smtp.pw");
        std::fs::write(&pw, "klacht-pw\n").unwrap();
        std::fs::set_permissions(&pw, std::fs::Permissions::from_mode(0o600)).unwrap();
        let login = server.imaps_login(dir);
        std::fs::set_permissions(dir.join("imap.pw"), std::fs::Permissions::from_mode(0o600))
            .unwrap();
        server
            .klachtd_config(&format!("{login}\nfolder = \"INBOX\""), "")
            .smtp(format!(
                "kind = \"smtp\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"starttls\"\nuser = \"{KLACHT}\"\npassword_file = {pw:?}\nfrom = \"Klachten <{KLACHT}>\"\n{smtp}",
                submission.port
            ))
            .store(&dir.join("store"))
            .write(&file);
        file
    };
    let ca = format!("ca_file = {:?}", server.ca_cert);

    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = check(&write(dir.path(), &ca));
    assert!(ok, "{out}");
    assert!(
        line(&out, "SMTP EHLO + STARTTLS").starts_with("ok "),
        "{out}"
    );
    assert!(line(&out, "SMTP AUTH").starts_with("ok "), "{out}");

    // a wrong password: the password file
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &ca);
    std::fs::write(dir.path().join("smtp.pw"), "wrong\n").unwrap();
    let (ok, out) = check(&file);
    assert!(!ok, "{out}");
    let l = line(&out, "SMTP AUTH");
    assert!(
        l.starts_with("FAIL") && l.contains("smtp.password_file"),
        "{out}"
    );

    // an untrusted certificate: the CA file
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = check(&write(dir.path(), ""));
    assert!(!ok, "{out}");
    let l = line(&out, "SMTP EHLO + STARTTLS");
    assert!(l.starts_with("FAIL") && l.contains("smtp.ca_file"), "{out}");
}
