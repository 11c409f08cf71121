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
//!     the complainant's INBOX; the daemon's peak RSS during it and its RSS idle after.
//! (c) footprint: the binary's size, and the start-up time to ready (READY=1 on a
//!     NOTIFY_SOCKET of our own, as systemd would see it).
//!
//! ```sh
//! cargo build --release && cargo run --release --example mailbench
//! ```
//! `KLACHTD_BIN` overrides the binary (default `target/release/klachtd`).

#[path = "../tests/it/mailserver.rs"]
#[allow(dead_code)]
mod mailserver;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mailserver::{ImapSession, KLACHT, MailServer};

const ALICE: &str = "alice@example.test";
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
        .env("KLACHTD_LOG", "info")
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
    let server = MailServer::start();
    let dir = tempfile::tempdir().unwrap();
    let config = server.write_klachtd_config(dir.path(), "");
    let log = dir.path().join("klachtd.log");
    let mut s = server.imap(KLACHT).await;
    let appending = Instant::now();
    for n in 0..backlog {
        s.append("INBOX", None, None, &complaint(n))
            .await
            .expect("APPEND");
    }
    let appended = appending.elapsed();
    assert_eq!(count(&mut s, "INBOX").await, backlog);
    let mut alice = server.imap(ALICE).await;

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
    // the cases, through the daemon's control socket
    let out = Command::new(binary())
        .args(["cases", "list", "--json", "--config"])
        .arg(&config)
        .env("KLACHTD_LOG", "warn")
        .output()
        .expect("cases list");
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    drop(daemon);
    assert_eq!(cases.len(), backlog, "cases");
    println!(
        "(b) backlog of {backlog} mails in the INBOX before start (appended in {}):",
        ms(appended)
    );
    println!(
        "    taken in (INBOX empty, {} cases, answers queued) {:.1} s = {:.0} mails/s; all {backlog} acknowledgements delivered {:.1} s   (daemon peak RSS {:.1} MiB)",
        cases.len(),
        taken_in.as_secs_f64(),
        backlog as f64 / taken_in.as_secs_f64(),
        answered.as_secs_f64(),
        peak.unwrap_or(f64::NAN)
    );
    println!(
        "    RSS idle 5 s after the backlog {:.1} MiB",
        idle.unwrap_or(f64::NAN)
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
    drop(daemon);
    println!(
        "(c) binary {:.1} MiB; start-up to ready (READY=1) {}",
        size as f64 / 1024.0 / 1024.0,
        ms(ready)
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    binary();
    footprint().await;
    latency().await;
    for n in backlogs() {
        backlog(n).await;
    }
}
