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

use futures::{Stream, TryStreamExt};
use tokio::net::TcpStream;

/// The tests' one config writer. Its file is in support/ and support re-exports it, but it
/// is mounted here: what includes only this harness (tests/imap_logs.rs,
/// examples/mailbench.rs) writes its configs with it too.
#[path = "support/config.rs"]
pub(crate) mod config;
pub use config::TestConfig;

pub type ImapSession = async_imap::Session<TcpStream>;

/// The complaint mailbox and the owner, as the harness creates them.
pub const KLACHT: &str = "klacht@example.test";
pub const OWNER: &str = "owner@example.test";
/// Two people who write to klacht@ (or get its letters).
pub const ALICE: &str = "alice@example.test";
pub const BOB: &str = "bob@example.test";

/// The test users and their passwords.
pub const USERS: [(&str, &str); 4] = [
    (KLACHT, "klacht-pw"),
    (OWNER, "owner-pw"),
    (ALICE, "alice-pw"),
    (BOB, "bob-pw"),
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

/// Fails the test, with `what` and the command's status and output, unless it succeeded.
pub fn assert_success(out: &Output, what: &str) {
    assert!(out.status.success(), "{what}: {}", describe(out));
}

/// Awaits an IMAP command that answers with a stream (LIST, FETCH, STORE) and collects
/// it; `what` names the command when it fails.
async fn all<T, S>(
    command: impl Future<Output = async_imap::error::Result<S>>,
    what: &str,
) -> Vec<T>
where
    S: Stream<Item = async_imap::error::Result<T>>,
{
    command.await.expect(what).try_collect().await.expect(what)
}

impl MailServer {
    /// A klachtd config for klacht@ on this server, the owner being owner@: `[mailbox]`
    /// is IMAP to 127.0.0.1 with `mailbox` added (tls, port, secret...), `[smtp]` this
    /// server's SMTP front with `smtp` added.
    pub fn klachtd_config(&self, mailbox: &str, smtp: &str) -> TestConfig {
        TestConfig::default()
            .mailbox(format!(
                "kind = \"imap\"\nhost = \"127.0.0.1\"\nuser = \"{KLACHT}\"\n{mailbox}"
            ))
            .smtp(format!(
                "kind = \"smtp\"\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"Klachten <{KLACHT}>\"\n{smtp}",
                self.smtp_port
            ))
            .owner("Eigenaar", OWNER)
    }

    /// `[mailbox]` lines for IMAPS with the test CA and klacht@'s password in a file,
    /// which is written into `dir`.
    pub fn imaps_login(&self, dir: &Path) -> String {
        let pw = dir.join("imap.pw");
        config::write_private(&pw, format!("{}\n", password(KLACHT)));
        format!(
            "tls = \"implicit\"\nport = {}\nca_file = {:?}\npassword_file = {pw:?}",
            self.imaps_port, self.ca_cert
        )
    }

    /// Writes a klachtd config for klacht@ on this server (IMAPS in, SMTP out) into `dir`,
    /// with its store there too; `extra` goes into the [mailbox] table.
    ///
    /// These tests put mail in the INBOX before klachtd first starts and want it taken in:
    /// unless `extra` says otherwise, `since` is a day long past (the default,
    /// "first-start", leaves such mail alone; tests of that say `since` themselves).
    pub fn write_klachtd_config(&self, dir: &Path, extra: &str) -> PathBuf {
        let since = if extra.contains("since") {
            ""
        } else {
            "since = \"2000-01-01\"\n"
        };
        let mailbox = format!(
            "{}\nfolder = \"INBOX\"\nprocessed_folder = \"Verwerkt\"\npoll_seconds = 1\n{since}{extra}",
            self.imaps_login(dir)
        );
        let file = dir.join("klachtd.toml");
        self.klachtd_config(&mailbox, "tls = \"none\"")
            .store(&dir.join("store"))
            // One test account plays every complainant (hundreds of complaints a day in
            // the backlog tests): the per-sender cap of loop protection would stop them.
            .extra("[schedule]\ntick_seconds = 1\n[limits]\nanswers_per_sender_per_day = 100000")
            .write(&file);
        file
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

    /// Alice mails klacht@ (over SMTP) a complaint with this subject; the mail as sent.
    pub async fn deliver(&self, subject: &str) -> Vec<u8> {
        let raw = mail(ALICE, KLACHT, subject, &format!("Klacht: {subject}"));
        self.send(ALICE, KLACHT, &raw).await.expect("SMTP send");
        raw
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
        let names = all(
            session.list(Some(""), Some(&format!("\"{folder}\""))),
            "LIST",
        )
        .await;
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

    /// Appends a message read already (\\Seen) that arrived at `internaldate` (IMAP's
    /// form: `01-Mar-2025 10:00:00 +0000`): old mail in a mailbox with history.
    pub async fn append_old(&self, user: &str, folder: &str, raw: &[u8], internaldate: &str) {
        let mut s = self.imap(user).await;
        let date = format!("\"{internaldate}\"");
        s.append(folder, Some("(\\Seen)"), Some(&date), raw)
            .await
            .expect("APPEND with INTERNALDATE");
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
        let mut fetches = all(s.uid_fetch("1:*", "(UID FLAGS BODY.PEEK[])"), "FETCH").await;
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
            all(s.store("1:*", "+FLAGS (\\Seen)"), "STORE").await;
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
        assert_success(&out, &format!("ctl.sh {action} {part}"));
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
        assert_success(&out, &format!("doveadm {args:?}"));
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
