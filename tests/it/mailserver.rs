//! A real mail server on loopback for the tests: Dovecot (IMAP, IMAPS, STARTTLS, LMTP)
//! and an SMTP front relaying into it, started by tests/mailserver/start.sh in a temporary
//! directory on free ports. Each test starts its own; `Drop` stops it and removes its
//! directory.
//!
//! Missing packages make `MailServer::start` panic (never skip): run
//! tests/mailserver/install-deps.sh.

use std::net::{Ipv4Addr, TcpListener, TcpStream as StdTcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use tokio::net::TcpStream;

pub type ImapSession = async_imap::Session<TcpStream>;

/// The test users and their passwords.
pub const USERS: [(&str, &str); 4] = [
    ("klacht@example.test", "klacht-pw"),
    ("owner@example.test", "owner-pw"),
    ("alice@example.test", "alice-pw"),
    ("bob@example.test", "bob-pw"),
];

pub fn password(user: &str) -> &'static str {
    USERS
        .iter()
        .find(|(u, _)| *u == user)
        .unwrap_or_else(|| panic!("not a test user: {user}"))
        .1
}

#[derive(Debug)]
pub struct MailServer {
    /// Holds `dir`; removed after stop.sh --clean.
    _tmp: tempfile::TempDir,
    /// The fixture directory (start.sh's DIR).
    pub dir: PathBuf,
    pub imap_port: u16,
    pub imaps_port: u16,
    pub lmtp_port: u16,
    pub smtp_port: u16,
    /// The test certificate (a CA:FALSE leaf for localhost and 127.0.0.1): the only root
    /// to trust.
    pub ca_cert: PathBuf,
    /// Dovecot's config, for doveadm.
    pub dovecot_conf: PathBuf,
    /// How long start.sh took (the last, successful attempt).
    pub startup: Duration,
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/mailserver")
        .join(name)
}

fn free_ports<const N: usize>() -> [u16; N] {
    // all bound at once, so they differ; released before start.sh binds them
    let listeners: Vec<TcpListener> = (0..N)
        .map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a loopback port"))
        .collect();
    let mut ports = [0; N];
    for (p, l) in ports.iter_mut().zip(&listeners) {
        *p = l.local_addr().unwrap().port();
    }
    ports
}

fn describe(out: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The complaint mailbox and the owner, as the harness creates them.
pub const KLACHT: &str = "klacht@example.test";
pub const OWNER: &str = "owner@example.test";

impl MailServer {
    /// Writes a klachtd config for klacht@ on this server (IMAPS in, SMTP out) into `dir`,
    /// with its store there too; `extra` goes into the [mailbox] table.
    pub fn write_klachtd_config(&self, dir: &Path, extra: &str) -> PathBuf {
        let pw = dir.join("imap.pw");
        std::fs::write(&pw, "klacht-pw\n").expect("password file");
        let config = dir.join("klachtd.toml");
        let text = format!(
            r#"
[mailbox]
kind = "imap"
host = "127.0.0.1"
port = {imaps}
tls = "implicit"
ca_file = {ca:?}
user = "{KLACHT}"
password_file = {pw:?}
folder = "INBOX"
processed_folder = "Verwerkt"
poll_seconds = 1
{extra}

[smtp]
kind = "smtp"
host = "127.0.0.1"
port = {smtp}
tls = "none"
from = "Klachten <{KLACHT}>"

[owner]
name = "Eigenaar"
addresses = ["{OWNER}"]

[store]
path = {store:?}

[schedule]
tick_seconds = 1

[commission]
name = "Onafhankelijke Klachtencommissie"
address = "Postbus 1, 3500 AA Utrecht"
email = "info@commissie.example"

[[services]]
name = "Training Effectief Communiceren"
aliases = ["effectief communiceren"]
"#,
            imaps = self.imaps_port,
            ca = self.ca_cert,
            smtp = self.smtp_port,
            store = dir.join("store"),
        );
        std::fs::write(&config, text).expect("config file");
        config
    }

    /// Starts Dovecot and the SMTP front on free loopback ports in a new temporary
    /// directory. Panics (with the reason) when that is impossible.
    pub fn start() -> MailServer {
        Self::start_with_env(&[])
    }

    /// `start`, with extra environment for start.sh (e.g. a PATH without Dovecot).
    pub fn start_with_env(env: &[(&str, &str)]) -> MailServer {
        let tmp = tempfile::Builder::new()
            .prefix("klachtd-mailserver-")
            .tempdir()
            .expect("a temporary directory");
        // Dovecot's auth and mail processes run as other users: they must get in
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
                .expect("chmod the temporary directory");
        }
        let dir = tmp.path().join("run");
        let mut last = String::new();
        for _attempt in 0..8 {
            let [imap, imaps, lmtp, smtp] = free_ports::<4>();
            let started = Instant::now();
            let out = Command::new("bash")
                .arg(script("start.sh"))
                .arg(&dir)
                .env("IMAP_PORT", imap.to_string())
                .env("IMAPS_PORT", imaps.to_string())
                .env("LMTP_PORT", lmtp.to_string())
                .env("SMTP_PORT", smtp.to_string())
                .env(
                    "MAILFIX_USERS",
                    USERS
                        .iter()
                        .map(|(u, p)| format!("{u}:{p}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                )
                .env_remove("MAILFIX_VACATION_USER")
                .envs(env.iter().copied())
                .output()
                .unwrap_or_else(|e| {
                    panic!("mail server harness: cannot run tests/mailserver/start.sh: {e}")
                });
            let startup = started.elapsed();
            match out.status.code() {
                Some(0) => {
                    return MailServer {
                        ca_cert: dir.join("tls/cert.pem"),
                        dovecot_conf: dir.join("dovecot.conf"),
                        dir,
                        _tmp: tmp,
                        imap_port: imap,
                        imaps_port: imaps,
                        lmtp_port: lmtp,
                        smtp_port: smtp,
                        startup,
                    };
                }
                Some(2) => panic!(
                    "mail server harness: dovecot not installed; run tests/mailserver/install-deps.sh\n{}",
                    describe(&out)
                ),
                _ => {
                    // most likely a port taken meanwhile by a parallel test: new ports
                    last = describe(&out);
                    let _ = Command::new("bash")
                        .arg(script("stop.sh"))
                        .arg(&dir)
                        .output();
                }
            }
        }
        panic!("mail server harness: start.sh failed 8 times; last:\n{last}");
    }

    /// Sends a raw message over SMTP (the front relays it into Dovecot before it answers
    /// 250, so it is in the mailbox when this returns).
    pub async fn send(
        &self,
        from: &str,
        to: &str,
        raw: &[u8],
    ) -> Result<(), lettre::transport::smtp::Error> {
        use lettre::AsyncTransport;
        let transport =
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous("127.0.0.1")
                .port(self.smtp_port)
                .build();
        let envelope = lettre::address::Envelope::new(
            Some(from.parse().expect("from address")),
            vec![to.parse().expect("to address")],
        )
        .expect("an envelope");
        // lettre adds "\r\n.\r\n": keep the message as it is
        let raw = raw.strip_suffix(b"\r\n").unwrap_or(raw);
        transport.send_raw(&envelope, raw).await.map(|_| ())
    }

    /// A plaintext IMAP session (loopback) as `user`.
    pub async fn imap(&self, user: &str) -> ImapSession {
        let tcp = TcpStream::connect((Ipv4Addr::LOCALHOST, self.imap_port))
            .await
            .expect("connect to IMAP");
        let mut client = async_imap::Client::new(tcp);
        client
            .read_response()
            .await
            .expect("IMAP greeting")
            .expect("IMAP greeting");
        client
            .login(user, password(user))
            .await
            .map_err(|(e, _)| e)
            .expect("IMAP login")
    }

    async fn folder_exists(session: &mut ImapSession, folder: &str) -> bool {
        let names: Vec<_> = session
            .list(Some(""), Some(&format!("\"{folder}\"")))
            .await
            .expect("LIST")
            .try_collect()
            .await
            .expect("LIST");
        names.iter().any(|n| n.name() == folder)
    }

    /// Appends a message to a folder (created when missing).
    pub async fn append(&self, user: &str, folder: &str, raw: &[u8]) {
        let mut s = self.imap(user).await;
        if !Self::folder_exists(&mut s, folder).await {
            s.create(folder).await.expect("CREATE");
        }
        s.append(folder, None, None, raw).await.expect("APPEND");
        s.logout().await.ok();
    }

    /// Every message in a folder (empty when the folder does not exist), in UID order,
    /// read without setting \Seen.
    pub async fn fetch_all(&self, user: &str, folder: &str) -> Vec<Vec<u8>> {
        self.fetch_with_flags(user, folder)
            .await
            .into_iter()
            .map(|(raw, _)| raw)
            .collect()
    }

    /// Every message in a folder with its flags (e.g. "\\Seen").
    pub async fn fetch_with_flags(&self, user: &str, folder: &str) -> Vec<(Vec<u8>, Vec<String>)> {
        let mut s = self.imap(user).await;
        if !Self::folder_exists(&mut s, folder).await {
            return Vec::new();
        }
        let mailbox = s.examine(folder).await.expect("EXAMINE");
        if mailbox.exists == 0 {
            return Vec::new();
        }
        let mut fetches: Vec<_> = s
            .uid_fetch("1:*", "(UID FLAGS BODY.PEEK[])")
            .await
            .expect("FETCH")
            .try_collect()
            .await
            .expect("FETCH");
        fetches.sort_by_key(|f| f.uid);
        let out = fetches
            .iter()
            .map(|f| {
                let flags = f.flags().map(|fl| format!("{fl:?}")).collect();
                (f.body().unwrap_or_default().to_vec(), flags)
            })
            .collect();
        s.logout().await.ok();
        out
    }

    /// How many messages a folder holds (0 when it does not exist).
    pub async fn count(&self, user: &str, folder: &str) -> usize {
        let mut s = self.imap(user).await;
        if !Self::folder_exists(&mut s, folder).await {
            return 0;
        }
        let n = s.examine(folder).await.expect("EXAMINE").exists as usize;
        s.logout().await.ok();
        n
    }

    /// Another client reads every mail in the folder: sets \Seen on all.
    pub async fn mark_seen_all(&self, user: &str, folder: &str) {
        let mut s = self.imap(user).await;
        let mailbox = s.select(folder).await.expect("SELECT");
        if mailbox.exists > 0 {
            let _: Vec<_> = s
                .store("1:*", "+FLAGS (\\Seen)")
                .await
                .expect("STORE")
                .try_collect()
                .await
                .expect("STORE");
        }
        s.logout().await.ok();
    }

    async fn ctl(&self, action: &str, part: &str) {
        let out = tokio::process::Command::new("bash")
            .arg(script("ctl.sh"))
            .arg(&self.dir)
            .arg(action)
            .arg(part)
            .output()
            .await
            .expect("run ctl.sh");
        assert!(
            out.status.success(),
            "ctl.sh {action} {part}: {}",
            describe(&out)
        );
    }

    /// Stops Dovecot (IMAP and LMTP), keeping its mail.
    pub async fn stop_imap(&self) {
        self.ctl("stop", "imap").await;
    }

    /// Starts Dovecot again on the same ports and mail.
    pub async fn start_imap(&self) {
        self.ctl("start", "imap").await;
    }

    pub async fn stop_smtp(&self) {
        self.ctl("stop", "smtp").await;
    }

    pub async fn start_smtp(&self) {
        self.ctl("start", "smtp").await;
    }

    fn doveadm(&self, args: &[&str]) -> String {
        let out = Command::new("doveadm")
            .arg("-c")
            .arg(&self.dovecot_conf)
            .args(args)
            .output()
            .expect("run doveadm");
        assert!(out.status.success(), "doveadm {args:?}: {}", describe(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The folder's UIDVALIDITY, as Dovecot has it.
    pub fn uidvalidity(&self, user: &str, folder: &str) -> u32 {
        let out = self.doveadm(&[
            "-f",
            "flow",
            "mailbox",
            "status",
            "-u",
            user,
            "uidvalidity",
            folder,
        ]);
        // "INBOX uidvalidity=1795495157"
        out.split_whitespace()
            .find_map(|w| w.strip_prefix("uidvalidity="))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("doveadm mailbox status: {out:?}"))
    }

    /// Gives the folder a new UIDVALIDITY (as after a server migration); returns it.
    pub fn bump_uidvalidity(&self, user: &str, folder: &str) -> u32 {
        let old = self.uidvalidity(user, folder);
        let new = old.wrapping_add(1).max(1);
        self.doveadm(&[
            "mailbox",
            "update",
            "-u",
            user,
            "--uid-validity",
            &new.to_string(),
            folder,
        ]);
        let now = self.uidvalidity(user, folder);
        assert_eq!(now, new, "UIDVALIDITY did not change");
        new
    }

    /// Whether something accepts connections on a port.
    pub fn port_open(port: u16) -> bool {
        StdTcpStream::connect_timeout(
            &(Ipv4Addr::LOCALHOST, port).into(),
            Duration::from_millis(200),
        )
        .is_ok()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let out = Command::new("bash")
            .arg(script("stop.sh"))
            .arg(&self.dir)
            .arg("--clean")
            .output();
        if let Ok(out) = out
            && !out.status.success()
        {
            eprintln!("mail server harness: stop.sh: {}", describe(&out));
        }
    }
}

/// A minimal RFC 5322 message.
pub fn mail(from: &str, to: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{}.{}@test>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0100\r\n\r\n{body}\r\n",
        subject.replace(' ', "-"),
        fastrand::u64(..)
    )
    .into_bytes()
}

#[test]
fn starts_and_stops_with_free_ports() {
    let server = MailServer::start();
    eprintln!("mail server up in {:?}", server.startup);
    for port in [
        server.imap_port,
        server.imaps_port,
        server.lmtp_port,
        server.smtp_port,
    ] {
        assert!(MailServer::port_open(port), "port {port} not open");
    }
    assert!(server.ca_cert.exists());
    let dir = server.dir.clone();
    let imap = server.imap_port;
    drop(server);
    assert!(!dir.exists(), "fixture directory left behind");
    assert!(!MailServer::port_open(imap), "IMAP still listening");
}

#[test]
fn missing_packages_make_start_panic_with_the_remedy() {
    // /usr/sbin (dovecot) left out of PATH: as on a machine without the packages
    let result =
        std::panic::catch_unwind(|| MailServer::start_with_env(&[("PATH", "/usr/bin:/bin")]));
    let payload = result.expect_err("start must panic, never skip");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(
        message.contains("dovecot not installed; run tests/mailserver/install-deps.sh"),
        "{message}"
    );
}

#[tokio::test]
async fn smtp_to_imap_round_trip_and_helpers() {
    let server = MailServer::start();
    let raw = mail(
        "klacht@example.test",
        "alice@example.test",
        "Ontvangstbevestiging",
        "Wij hebben uw klacht ontvangen.",
    );
    server
        .send("klacht@example.test", "alice@example.test", &raw)
        .await
        .expect("SMTP send");
    let got = server.fetch_all("alice@example.test", "INBOX").await;
    assert_eq!(got.len(), 1);
    assert!(String::from_utf8_lossy(&got[0]).contains("Wij hebben uw klacht ontvangen."));
    assert_eq!(server.count("bob@example.test", "INBOX").await, 0);

    server.append("bob@example.test", "Archief", &raw).await;
    assert_eq!(server.count("bob@example.test", "Archief").await, 1);
    assert_eq!(server.count("bob@example.test", "Bestaat niet").await, 0);

    let flags = server.fetch_with_flags("alice@example.test", "INBOX").await;
    assert!(!flags[0].1.iter().any(|f| f.contains("Seen")), "{flags:?}");
    server.mark_seen_all("alice@example.test", "INBOX").await;
    let flags = server.fetch_with_flags("alice@example.test", "INBOX").await;
    assert!(flags[0].1.iter().any(|f| f.contains("Seen")), "{flags:?}");

    let before = server.uidvalidity("alice@example.test", "INBOX");
    let after = server.bump_uidvalidity("alice@example.test", "INBOX");
    assert_ne!(before, after);

    server.stop_imap().await;
    assert!(!MailServer::port_open(server.imap_port));
    server.start_imap().await;
    // the mail survived the restart
    assert_eq!(server.count("alice@example.test", "INBOX").await, 1);

    server.stop_smtp().await;
    assert!(
        server
            .send("klacht@example.test", "alice@example.test", &raw)
            .await
            .is_err()
    );
    server.start_smtp().await;
    server
        .send("klacht@example.test", "alice@example.test", &raw)
        .await
        .expect("SMTP send after restart");
    assert_eq!(server.count("alice@example.test", "INBOX").await, 2);
}
