//! `klachtd bench`: the speed of the pure intake pipeline (mails per second, one core)
//! and the daemon's peak memory over a backlog, measured on a corpus of .eml files.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::intake::{self, Arrival};

fn corpus(dirs: &[PathBuf]) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut mails = Vec::new();
    for dir in dirs {
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).with_context(|| d.display().to_string())? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "eml") {
                    mails.push(std::fs::read(&path)?);
                }
            }
        }
    }
    anyhow::ensure!(!mails.is_empty(), "no .eml files in {dirs:?}");
    Ok(mails)
}

pub fn run(dirs: &[PathBuf], count: usize, daemon: usize) -> anyhow::Result<()> {
    let mails = corpus(dirs)?;
    let config = Config::parse(
        include_str!("../config/demo.toml"),
        Path::new("config/demo.toml"),
    )?;
    let ctx = config.intake_context();
    let now: DateTime<Utc> = "2026-11-24T12:00:00Z".parse()?;
    let start = Instant::now();
    let mut complaints = 0usize;
    let mut bytes = 0usize;
    for i in 0..count {
        let raw = &mails[i % mails.len()];
        bytes += raw.len();
        if let Ok(s) = intake::read(raw, Arrival::Unknown { now }, &ctx) {
            complaints += usize::from(s.classification.class == intake::Class::Complaint);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "intake: {count} mails ({} distinct, {:.1} MiB) in {secs:.3} s: {:.0} mails/s on one core ({complaints} complaints)",
        mails.len(),
        bytes as f64 / 1048576.0,
        count as f64 / secs
    );
    if daemon > 0 {
        bench_daemon(&mails, daemon)?;
    }
    if let Some(kib) = crate::daemon::peak_rss_kib() {
        println!(
            "bench process peak memory (VmHWM): {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
    Ok(())
}

/// One daemon pass (intake, store, letters, Maildir outbox) over `n` mails.
fn bench_daemon(mails: &[Vec<u8>], n: usize) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("klachtd-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let inbox = dir.join("Maildir");
    crate::mailbox::maildir::ensure_maildir(&inbox)?;
    for i in 0..n {
        // Distinct Message-IDs and bytes, so every mail is a new one to the store.
        let raw = &mails[i % mails.len()];
        let mut unique = format!("X-Bench: {i}\r\n").into_bytes();
        unique.extend(strip_message_id(raw));
        let unique = [
            format!("Message-ID: <bench-{i}@bench.test>\r\n").as_bytes(),
            &unique,
        ]
        .concat();
        crate::mailbox::maildir::deliver(&inbox, &format!("bench-{i:06}"), &unique, false)?;
    }
    let text = r#"
[mailbox]
kind = "maildir"
path = "Maildir"
# the backlog was put there before the first start: take it in
since = "2000-01-01"
[smtp]
kind = "maildir"
path = "outbox"
from = "Klachten <klacht@numun.nl>"
[owner]
name = "Eigenaar"
addresses = ["eigenaar@numun.nl"]
[store]
path = "store"
"#;
    let config_file = dir.join("bench.toml");
    std::fs::write(&config_file, text)?;
    // The daemon as it runs in production: this very binary, in a process of its own, so
    // its peak memory is its own (it logs it at the end of a `--once` pass).
    let start = Instant::now();
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["run", "--once", "--config"])
        .arg(&config_file)
        .env("KLACHTD_LOG", "info")
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "the daemon failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = String::from_utf8_lossy(&out.stderr);
    let peak = log
        .split("peak_memory_kib=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|kib| kib.parse::<f64>().ok());
    let secs = start.elapsed().as_secs_f64();
    let sent = std::fs::read_dir(dir.join("outbox/new"))?.count();
    println!(
        "daemon: {n} mails taken in, {sent} letters written, in {secs:.2} s ({:.0} mails/s, each flushed to disk); its peak memory (VmHWM): {}",
        n as f64 / secs,
        peak.map_or("unknown".to_string(), |kib| format!(
            "{:.1} MiB",
            kib / 1024.0
        ))
    );
    if std::env::var_os("KLACHTD_BENCH_KEEP").is_some() {
        println!("kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

fn strip_message_id(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut in_headers = true;
    let mut skipping = false;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        if in_headers {
            if line == b"\n" || line == b"\r\n" {
                in_headers = false;
            } else if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                if skipping {
                    continue;
                }
            } else {
                skipping = line.len() >= 11 && line[..11].eq_ignore_ascii_case(b"message-id:");
                if skipping {
                    continue;
                }
            }
        }
        out.extend_from_slice(line);
    }
    out
}
