//! The mail benchmark: the release `klachtd run` against the test harness's real Dovecot
//! and SMTP front on loopback (tests/it/mailserver.rs).
//!
//! (a) latency: 50 complaints sent one at a time over SMTP; for each, the time from the
//!     start of the SMTP submission to the acknowledgement's arrival in the complainant's
//!     INBOX (read over IMAP); median, p95 and max, and klachtd's share above Dovecot's
//!     fixed 500 ms IDLE notification delay.
//! (b) backlog: 300 and 1,000 complaints (`MAILBENCH_BACKLOG=300,1000`) appended to the
//!     INBOX before the daemon starts; the time from its start until the INBOX is empty
//!     (all taken in: cases stored, answers queued), and until all acknowledgements are in
//!     the complainant's INBOX (and until the owner's notices and the Sent copies are in
//!     too); the daemon's peak RSS during it and its RSS idle after. Beside it, the I/O
//!     floor (mailbench/floor.rs): a plain client doing the same mail work with the same
//!     mails and letters on a server of the same harness; the backlog time is given as a
//!     ratio to it.
//! (c) footprint: the binary's size, and the start-up time to ready (READY=1 on a
//!     NOTIFY_SOCKET of our own, as systemd would see it).
//!
//! ```sh
//! cargo build --release && cargo run --release --example mailbench
//! ```
//! `KLACHTD_BIN` overrides the binary (default `target/release/klachtd`);
//! `MAILBENCH_PARTS=footprint,latency,backlog` chooses the parts (all by default);
//! `MAILBENCH_STORE="cache_mib = 2"` adds `[store]` keys to the backlog's config;
//! `MAILBENCH_KEEP_LOG=DIR` keeps the daemon's log of each backlog (`KLACHTD_LOG=debug`
//! for more).

#[path = "mailbench/floor.rs"]
mod floor;
#[path = "../tests/it/mailserver.rs"]
#[allow(dead_code)]
mod mailserver;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mailserver::{ALICE, ImapSession, KLACHT, MailServer, OWNER};

const LATENCY_MAILS: usize = 50;
/// Dovecot delays IDLE notifications by a fixed 500 ms (NOTIFY_DELAY_MSECS): the floor.
const IDLE_DELAY: Duration = Duration::from_millis(500);

/// The backlog sizes to measure (`MAILBENCH_BACKLOG=300,1000`).
fn backlogs() -> Vec<usize> {
    std::env::var("MAILBENCH_BACKLOG")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![300, 1000])
}

/// The test suite's complete complaint.
const COMPLETE: &str = include_str!("../tests/fixtures/complete-complaint.txt");

fn complaint(n: usize) -> Vec<u8> {
    let date = klachtd::clock::Clock::system().now().to_rfc2822();
    format!(
        "From: Alice <{ALICE}>\r\nTo: Klachten <{KLACHT}>\r\nSubject: Klacht over de training ({n})\r\nDate: {date}\r\nMessage-ID: <bench-{n}-{:016x}@alice.example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
        fastrand::u64(..),
        COMPLETE.replace('\n', "\r\n")
    )
    .into_bytes()
}

struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Daemon {
    /// The daemon's peak resident memory so far (VmHWM), in MiB.
    fn peak_mib(&self) -> Option<f64> {
        self.memory_mib("VmHWM:")
    }

    /// The daemon's resident memory now (VmRSS), in MiB.
    fn rss_mib(&self) -> Option<f64> {
        self.memory_mib("VmRSS:")
    }

    fn memory_mib(&self, field: &str) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id())).ok()?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(field))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib / 1024.0)
    }
}

fn binary() -> PathBuf {
    let bin = std::env::var_os("KLACHTD_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/klachtd"));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build --release` first",
        bin.display()
    );
    bin
}

fn start(config: &Path, log: &Path) -> Daemon {
    let log = std::fs::File::create(log).expect("log file");
    let child = Command::new(binary())
        .args(["run", "--config"])
        .arg(config)
        .env(
            "KLACHTD_LOG",
            std::env::var("KLACHTD_LOG").unwrap_or_else(|_| "info".into()),
        )
        .env_remove("KLACHTD_CRASH_AT")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start klachtd");
    Daemon(child)
}

/// How many mails `folder` holds, over an open session.
async fn count(s: &mut ImapSession, folder: &str) -> usize {
    match s.examine(folder).await {
        Ok(m) => m.exists as usize,
        Err(_) => 0, // not created yet
    }
}

async fn wait_for(what: &str, timeout: Duration, mut check: impl AsyncFnMut() -> bool) {
    let until = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

async fn latency() {
    let server = MailServer::start();
    let dir = tempfile::tempdir().unwrap();
    let config = server.write_klachtd_config(dir.path(), "");
    let log = dir.path().join("klachtd.log");
    let daemon = start(&config, &log);
    wait_for("klachtd to connect", Duration::from_secs(30), async || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("IMAP connected"))
    })
    .await;
    // give it a moment to enter IDLE: the first mail should not be measured at startup
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut alice = server.imap(ALICE).await;
    let mut times = Vec::new();
    let mut submits = Vec::new();
    for n in 0..LATENCY_MAILS {
        let raw = complaint(n);
        let started = Instant::now();
        server.send(ALICE, KLACHT, &raw).await.expect("SMTP send");
        // the harness's SMTP front answers 250 once the mail is in Dovecot
        submits.push(started.elapsed());
        wait_for("the acknowledgement", Duration::from_secs(60), async || {
            count(&mut alice, "INBOX").await > n
        })
        .await;
        times.push(started.elapsed());
        // the next one from a daemon at rest (back in IDLE)
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let peak = daemon.peak_mib();
    drop(daemon);
    times.sort();
    submits.sort();
    let median = |t: &[Duration]| (t[(t.len() - 1) / 2] + t[t.len() / 2]) / 2;
    let p95 = |t: &[Duration]| t[((t.len() * 95).div_ceil(100)).saturating_sub(1)];
    println!(
        "(a) SMTP submission -> acknowledgement in the complainant's INBOX, {} mails one at a time:",
        times.len()
    );
    println!(
        "    median {}, p95 {}, min {}, max {}   (daemon peak RSS {:.1} MiB)",
        ms(median(&times)),
        ms(p95(&times)),
        ms(times[0]),
        ms(*times.last().unwrap()),
        peak.unwrap_or(f64::NAN)
    );
    let share = |t: Duration, submit: Duration| t.saturating_sub(IDLE_DELAY + submit);
    println!(
        "    klachtd's own share (above the submission and Dovecot's 500 ms IDLE delay): median {}, p95 {}",
        ms(share(median(&times), median(&submits))),
        ms(share(p95(&times), median(&submits)))
    );
    println!(
        "    of which the submission itself (SMTP front -> LMTP -> Dovecot, until 250): median {}, max {}",
        ms(median(&submits)),
        ms(*submits.last().unwrap())
    );
}

async fn backlog(backlog: usize) {
    let mails: Vec<Vec<u8>> = (0..backlog).map(complaint).collect();
    let server = MailServer::start();
    let dir = tempfile::tempdir().unwrap();
    let config = server.write_klachtd_config(dir.path(), "");
    if let Ok(lines) = std::env::var("MAILBENCH_STORE") {
        // more [store] keys, to try a setting (`cache_mib = 2`)
        let text = std::fs::read_to_string(&config).unwrap();
        let text = text.replacen("[store]\n", &format!("[store]\n{lines}\n"), 1);
        std::fs::write(&config, text).unwrap();
    }
    let log = dir.path().join("klachtd.log");
    let mut s = server.imap(KLACHT).await;
    let appending = Instant::now();
    for raw in &mails {
        s.append("INBOX", None, None, raw).await.expect("APPEND");
    }
    let appended = appending.elapsed();
    assert_eq!(count(&mut s, "INBOX").await, backlog);
    let mut alice = server.imap(ALICE).await;
    let mut owner = server.imap(OWNER).await;

    let started = Instant::now();
    let daemon = start(&config, &log);
    let limit = Duration::from_secs(1800);
    wait_for("the INBOX to empty", limit, async || {
        count(&mut s, "INBOX").await == 0 && count(&mut s, "Verwerkt").await == backlog
    })
    .await;
    let taken_in = started.elapsed();
    wait_for("all acknowledgements", limit, async || {
        count(&mut alice, "INBOX").await >= backlog
    })
    .await;
    let answered = started.elapsed();
    // the rest of the work: the owner's notices and the Sent copies
    wait_for(
        "the owner's notices and the Sent copies",
        limit,
        async || {
            count(&mut owner, "INBOX").await >= backlog && count(&mut s, "Sent").await >= backlog
        },
    )
    .await;
    let all_done = started.elapsed();
    // a moment more: a duplicate would show now
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        count(&mut alice, "INBOX").await,
        backlog,
        "acknowledgements"
    );
    let peak = daemon.peak_mib();
    // idle after it: the daemon back in IDLE, nothing to do
    tokio::time::sleep(Duration::from_secs(5)).await;
    let idle = daemon.rss_mib();
    let (anon, file) = (daemon.memory_mib("RssAnon:"), daemon.memory_mib("RssFile:"));
    // and once the reader thread has ended (60 s without mail), its patterns with it
    tokio::time::sleep(Duration::from_secs(61)).await;
    let unloaded = daemon.rss_mib();
    let unloaded_anon = daemon.memory_mib("RssAnon:");
    if std::env::var_os("MAILBENCH_THREADS").is_some() {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", daemon.0.id())).unwrap();
        let names: Vec<String> = tasks
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
            .map(|n| n.trim().to_string())
            .collect();
        println!("    threads after the backlog: {names:?}");
    }
    // the cases, through the daemon's control socket
    let out = Command::new(binary())
        .args(["cases", "list", "--json", "--config"])
        .arg(&config)
        .env("KLACHTD_LOG", "warn")
        .output()
        .expect("cases list");
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    drop(daemon);
    if let Some(keep) = std::env::var_os("MAILBENCH_KEEP_LOG") {
        // for a look at where the time went (with KLACHTD_LOG=debug, say)
        let _ = std::fs::copy(
            &log,
            Path::new(&keep).join(format!("backlog-{backlog}.log")),
        );
    }
    assert_eq!(cases.len(), backlog, "cases");
    // The letters klachtd sent, as it sent them, each mail's in turn: for the floor.
    let acks = server.fetch_all(ALICE, "INBOX").await;
    let notices = server.fetch_all(OWNER, "INBOX").await;
    let sent_copies = count(&mut s, "Sent").await;
    drop(server);
    let mut letters = Vec::new();
    for i in 0..acks.len().max(notices.len()) {
        let pairs = [(ALICE, acks.get(i), true), (OWNER, notices.get(i), false)];
        for (to, raw, keep_sent) in pairs {
            if let Some(raw) = raw {
                let raw = floor::as_sent(raw);
                letters.push(floor::Letter { to, raw, keep_sent });
            }
        }
    }
    let server = MailServer::start();
    let mut s = server.imap(KLACHT).await;
    for raw in &mails {
        s.append("INBOX", None, None, raw).await.expect("APPEND");
    }
    let floor = floor::run(&server, &letters).await;
    assert_eq!(floor.fetched, backlog, "the floor client's mails");
    assert_eq!(
        count(&mut s, "Verwerkt").await,
        backlog,
        "the floor's moves"
    );
    let size = |l: &[floor::Letter]| l.iter().map(|l| l.raw.len()).sum::<usize>() / l.len().max(1);
    println!(
        "(b) backlog of {backlog} mails in the INBOX before start (appended in {}):",
        ms(appended)
    );
    println!(
        "    klachtd: taken in (INBOX empty, {} cases, answers queued) {:.1} s = {:.0} mails/s; all {backlog} acknowledgements delivered {:.1} s; everything (+ {} owner's notices, {sent_copies} Sent copies) {:.1} s   (daemon peak RSS {:.1} MiB)",
        cases.len(),
        taken_in.as_secs_f64(),
        backlog as f64 / taken_in.as_secs_f64(),
        answered.as_secs_f64(),
        notices.len(),
        all_done.as_secs_f64(),
        peak.unwrap_or(f64::NAN)
    );
    println!(
        "    I/O floor (a plain client: fetch {backlog}, submit the same {} letters of {} bytes on average over one SMTP session, append {} Sent copies, UID MOVE per 50): {:.1} s",
        floor.sent,
        size(&letters),
        letters.iter().filter(|l| l.keep_sent).count(),
        floor.took.as_secs_f64()
    );
    println!(
        "    klachtd / floor: {:.1}x to the last acknowledgement, {:.1}x to the end of the work",
        answered.as_secs_f64() / floor.took.as_secs_f64(),
        all_done.as_secs_f64() / floor.took.as_secs_f64()
    );
    println!(
        "    RSS idle 5 s after the backlog {:.1} MiB (heap and stacks {:.1} MiB, mapped files: the code {:.1} MiB)",
        idle.unwrap_or(f64::NAN),
        anon.unwrap_or(f64::NAN),
        file.unwrap_or(f64::NAN)
    );
    println!(
        "    RSS idle 66 s after the backlog, the reader thread ended: {:.1} MiB (heap and stacks {:.1} MiB)",
        unloaded.unwrap_or(f64::NAN),
        unloaded_anon.unwrap_or(f64::NAN)
    );
}

/// (c) the binary's size, and the time from spawn to READY=1 (sd-notify) on an empty
/// mailbox.
async fn footprint() {
    let size = std::fs::metadata(binary()).map(|m| m.len()).unwrap_or(0);
    let server = MailServer::start();
    let dir = tempfile::tempdir().unwrap();
    let config = server.write_klachtd_config(dir.path(), "");
    let socket = dir.path().join("notify.sock");
    let listener = std::os::unix::net::UnixDatagram::bind(&socket).expect("notify socket");
    listener
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let child = Command::new(binary())
        .args(["run", "--config"])
        .arg(&config)
        .env("KLACHTD_LOG", "warn")
        .env("NOTIFY_SOCKET", &socket)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start klachtd");
    let daemon = Daemon(child);
    let mut buf = [0u8; 512];
    let ready = loop {
        let n = listener.recv(&mut buf).expect("READY=1 within 30 s");
        if String::from_utf8_lossy(&buf[..n]).contains("READY=1") {
            break started.elapsed();
        }
    };
    // idle on an empty mailbox: what the daemon costs before any mail
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (rss, anon) = (daemon.rss_mib(), daemon.memory_mib("RssAnon:"));
    drop(daemon);
    println!(
        "(c) binary {:.1} MiB; start-up to ready (READY=1) {}; RSS idle on an empty mailbox {:.1} MiB (heap and stacks {:.1} MiB)",
        size as f64 / 1024.0 / 1024.0,
        ms(ready),
        rss.unwrap_or(f64::NAN),
        anon.unwrap_or(f64::NAN)
    );
}

/// Whether to run part `name` (`MAILBENCH_PARTS=footprint,latency,backlog`, all by
/// default).
fn part(name: &str) -> bool {
    std::env::var("MAILBENCH_PARTS").map_or(true, |v| v.split(',').any(|p| p.trim() == name))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    binary();
    if part("footprint") {
        footprint().await;
    }
    if part("latency") {
        latency().await;
    }
    if part("backlog") {
        for n in backlogs() {
            backlog(n).await;
        }
    }
}
