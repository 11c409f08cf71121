//! `klachtd bench`: the speed of the pure intake pipeline (mails per second, one core)
//! and the daemon's peak memory over a backlog, measured on a corpus of .eml files; with
//! `--archive N`, the time and peak memory of `export` and `import` of N cases.

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
    // The backlog was put there before the first start: take it in.
    let text = crate::config::MINIMAL_MAILDIR.replace(
        "path = \"Maildir\"\n",
        "path = \"Maildir\"\nsince = \"2000-01-01\"\n",
    );
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

/// `klachtd bench --archive N`: N cases taken in through the registry (intake, letters,
/// a flush each) into a store in a temporary directory, then `klachtd export` and
/// `klachtd import` into an empty store, each in a process of its own (this binary):
/// their time and peak memory, and the restored cases checked against the first.
pub fn archive(dirs: &[PathBuf], n: usize) -> anyhow::Result<()> {
    let mails = corpus(dirs)?;
    let dir = std::env::temp_dir().join(format!("klachtd-bench-archive-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let configs = ["store", "restored"].map(|store| -> anyhow::Result<PathBuf> {
        let file = dir.join(format!("{store}.toml"));
        // One key for both: the restored store is the exported one, and opens only with
        // its key.
        let text = crate::config::MINIMAL_MAILDIR.replace(
            "path = \"store\"",
            &format!("path = \"{store}\"\nkey_file = \"store.key\""),
        );
        std::fs::write(&file, text)?;
        Ok(file)
    });
    let [original, restored] = configs;
    let (original, restored) = (Config::load(&original?)?, Config::load(&restored?)?);
    let now: DateTime<Utc> = "2026-11-24T12:00:00Z".parse()?;
    let start = Instant::now();
    let mut cases = 0;
    {
        let registry = crate::registry::Registry::open(&original, crate::clock::Clock::fixed(now))?;
        // Corpus mails made distinct, until N of them opened a case (the others are
        // follow-ups, automated mail, set aside: kept too).
        for i in 0..n.saturating_mul(20) {
            if cases >= n {
                break;
            }
            let raw = [
                format!("Message-ID: <bench-{i}@bench.test>\r\nX-Bench: {i}\r\n").as_bytes(),
                &strip_message_id(&mails[i % mails.len()]),
            ]
            .concat();
            if let crate::registry::Registered::NewCase(_) = registry.register(&raw, now)? {
                cases += 1;
            }
        }
    }
    println!(
        "archive: {cases} cases taken in through the registry in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    let file = dir.join("bench.export");
    let file_arg = file.display().to_string();
    for (what, config, args) in [
        ("export", &original, vec!["export", "--output", &file_arg]),
        ("import", &restored, vec!["import", &file_arg]),
    ] {
        let start = Instant::now();
        let out = std::process::Command::new(std::env::current_exe()?)
            .args(&args)
            .arg("--config")
            .arg(&config.file)
            .env("KLACHTD_LOG", "klachtd=debug")
            .output()?;
        let secs = start.elapsed().as_secs_f64();
        anyhow::ensure!(
            out.status.success(),
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let peak = String::from_utf8_lossy(&out.stderr)
            .split("peak_memory_kib=")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|kib| kib.parse::<f64>().ok());
        println!(
            "archive: {what} of {cases} cases ({:.1} MiB) in {secs:.2} s, its process's peak memory (VmHWM): {}",
            std::fs::metadata(&file)?.len() as f64 / 1048576.0,
            peak.map_or("unknown".to_string(), |kib| format!(
                "{:.1} MiB",
                kib / 1024.0
            ))
        );
    }
    let clock = crate::clock::Clock::fixed(now);
    let before = crate::registry::Registry::open(&original, clock.clone())?.cases()?;
    let after = crate::registry::Registry::open(&restored, clock)?.cases()?;
    anyhow::ensure!(
        before == after,
        "the restored cases differ from the exported ones"
    );
    println!(
        "archive: the {} restored cases are the exported ones",
        after.len()
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

/// One expectation of a fixture against what was read: `key` is "class", "missing",
/// "fields.name", ...; for a field, `true` / `false` means present / absent, and
/// `{"present": true, "lacks": ["..."]}` also that the value holds none of those texts
/// (a description without the signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graded {
    pub key: String,
    pub right: bool,
    pub want: String,
    pub got: String,
}

/// Grades a report (the object `check --json` prints) on an expectation (the keys of a
/// `NAME.expect.json`; `_` keys are comments). The one comparison the fixtures test and
/// `bench --accuracy` share.
pub fn grade(report: &serde_json::Value, expected: &serde_json::Value) -> Vec<Graded> {
    let mut out = Vec::new();
    let Some(expected) = expected.as_object() else {
        return out;
    };
    let mut one = |key: String, want: &serde_json::Value, got: &serde_json::Value| {
        let right = match want {
            serde_json::Value::Bool(present) if key.starts_with("fields.") => {
                got.is_null() != *present
            }
            serde_json::Value::Object(o) if key.starts_with("fields.") => {
                let present = o.get("present").and_then(|v| v.as_bool()).unwrap_or(true);
                let text = got.as_str().unwrap_or("");
                let lacks = o.get("lacks").and_then(|v| v.as_array());
                got.is_null() != present
                    && lacks
                        .into_iter()
                        .flatten()
                        .all(|l| l.as_str().is_none_or(|l| !text.contains(l)))
            }
            _ => want == got,
        };
        out.push(Graded {
            key,
            right,
            want: want.to_string(),
            got: got.to_string(),
        });
    };
    for (key, want) in expected {
        if key.starts_with('_') {
            continue;
        }
        if key == "fields" {
            for (field, want) in want.as_object().into_iter().flatten() {
                one(format!("fields.{field}"), want, &report["fields"][field]);
            }
        } else {
            one(key.clone(), want, &report[key]);
        }
    }
    out
}

/// `klachtd bench --accuracy DIR`: every `NAME.eml` with a `NAME.expect.json` beside it is
/// read as `check --json` reads it (`report` makes that object) and graded; prints the
/// share right per key and how many mails were read fully right.
pub fn accuracy(
    dirs: &[PathBuf],
    report: &dyn Fn(&[u8]) -> serde_json::Value,
    verbose: bool,
) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for dir in dirs {
        for entry in std::fs::read_dir(dir).with_context(|| dir.display().to_string())? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "eml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut per_key: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    // Issue 12 measures "read fully right" without the category and the serious flag
    // (the owner's triage), so both counts are printed.
    let (mut mails, mut fully, mut read_right) = (0usize, 0usize, 0usize);
    for eml in &files {
        let Ok(text) = std::fs::read_to_string(eml.with_extension("expect.json")) else {
            continue;
        };
        let expected: serde_json::Value =
            serde_json::from_str(&text).with_context(|| eml.display().to_string())?;
        let got = report(&std::fs::read(eml)?);
        let graded = grade(&got, &expected);
        mails += 1;
        let all = graded.iter().all(|g| g.right);
        fully += usize::from(all);
        read_right += usize::from(
            graded
                .iter()
                .all(|g| g.right || g.key == "category" || g.key == "serious"),
        );
        for g in graded {
            let e = per_key.entry(g.key.clone()).or_default();
            e.0 += usize::from(g.right);
            e.1 += 1;
            if verbose && !g.right {
                println!(
                    "  {}: {}: want {}, got {}",
                    eml.file_name().unwrap_or_default().to_string_lossy(),
                    g.key,
                    g.want,
                    g.got
                );
            }
        }
    }
    anyhow::ensure!(mails > 0, "no .eml files with an .expect.json in {dirs:?}");
    println!("accuracy over {mails} mails with expectations");
    for (key, (right, total)) in &per_key {
        println!(
            "  {key:<22} {right:>4} / {total:<4} {:>5.1}%",
            100.0 * *right as f64 / *total as f64
        );
    }
    println!(
        "  {:<22} {fully:>4} / {mails:<4} {:>5.1}%",
        "FULLY RIGHT",
        100.0 * fully as f64 / mails as f64
    );
    println!(
        "  {:<22} {read_right:>4} / {mails:<4} {:>5.1}%",
        "READ RIGHT (no triage)",
        100.0 * read_right as f64 / mails as f64
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn grading_compares_keys_fields_presence_and_absent_texts() {
        let report = json!({
            "class": "complaint",
            "missing": [],
            "fields": { "name": "Jan", "phone": null, "description": "De trainer was laat." }
        });
        let expected = json!({
            "_comment": "ignored",
            "class": "complaint",
            "missing": ["phone"],
            "fields": {
                "name": "Jan",
                "phone": false,
                "description": { "present": true, "lacks": ["Jan"] }
            }
        });
        let graded = grade(&report, &expected);
        let right = |key: &str| graded.iter().find(|g| g.key == key).map(|g| g.right);
        assert_eq!(graded.len(), 5);
        assert_eq!(right("class"), Some(true));
        assert_eq!(right("missing"), Some(false));
        assert_eq!(right("fields.name"), Some(true));
        assert_eq!(right("fields.phone"), Some(true));
        assert_eq!(right("fields.description"), Some(true));
        let lacking = json!({ "fields": { "description": { "lacks": ["trainer"] } } });
        assert!(!grade(&report, &lacking)[0].right);
        let absent = json!({ "fields": { "description": false } });
        assert!(!grade(&report, &absent)[0].right);
    }
}
