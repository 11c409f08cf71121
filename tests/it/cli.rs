//! The `klachtd` command as a user runs it: exit codes and the JSON schemas other tools
//! rely on.

use std::process::Command;

use crate::support::*;

fn klachtd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_klachtd"))
}

#[test]
fn check_json_prints_exactly_one_object_with_the_graded_keys() {
    let out = klachtd()
        .args(["check", "--json"])
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/demo/mails/02-onvolledige-klacht.eml"
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.trim().lines().count(), 1, "one line: {text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in [
        "class",
        "reason",
        "case_ref",
        "fields",
        "sent_date",
        "missing",
        "window",
        "category",
        "serious",
    ] {
        assert!(v.get(key).is_some(), "key {key} missing: {v}");
    }
    for key in [
        "name",
        "address",
        "phone",
        "email",
        "service",
        "description",
        "incident_date",
    ] {
        assert!(v["fields"].get(key).is_some(), "fields.{key} missing: {v}");
    }
    assert_eq!(v["class"], "complaint");
    assert_eq!(v["sent_date"], "2026-11-17");
    assert_eq!(v["missing"], serde_json::json!(["address", "phone"]));
    assert_eq!(v["window"], "unknown");
    assert_eq!(v["serious"], false);
}

#[test]
fn check_of_a_file_that_is_not_a_mail_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.eml");
    std::fs::write(&junk, [0u8, 1, 2, 255, 254]).unwrap();
    let out = klachtd().arg("check").arg(&junk).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a mail"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let out = klachtd()
        .args(["check", "/nonexistent/x.eml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.eml"));
}

#[test]
fn a_bad_config_names_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    // plaintext IMAP to a host that is not loopback
    TestConfig::default()
        .mailbox("kind = \"imap\"\nhost = \"mail.example.com\"\nuser = \"k\"\ntls = \"none\"\npassword_env = \"X\"")
        .write(&file);
    let out = klachtd()
        .args(["run", "--once", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("mailbox.tls"),
        "{err}"
    );
}

#[test]
fn calendar_json_has_the_deadlines_and_the_holidays() {
    let out = klachtd()
        .args(["calendar", "--received", "2026-04-02", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["received"], "2026-04-02");
    // Goede Vrijdag 3 April and Tweede Paasdag 6 April are no working days.
    assert_eq!(v["acknowledge_by"], "2026-04-13");
    assert_eq!(v["target"], "2026-04-23");
    assert_eq!(v["decide_by"], "2026-04-30");
    let names: Vec<&str> = v["holidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Goede Vrijdag") && names.contains(&"Koningsdag"),
        "{names:?}"
    );
}

#[test]
fn cases_list_and_show_json_from_the_store() {
    let office = Office::new("2026-11-16T09:00:00Z");
    office.deliver(
        "m1",
        &mail(
            "Sanne de Vries <sanne@example.nl>",
            "Klacht",
            "Mon, 16 Nov 2026 09:12:44 +0100",
            "cli1@example.nl",
            COMPLETE,
        ),
    );
    office.run_once();
    let config = office.config_file();
    let out = klachtd()
        .args(["cases", "list", "--json", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let case = &list[0];
    for key in [
        "number",
        "state",
        "received",
        "missing",
        "window",
        "serious",
        "events",
        "acknowledge_by",
        "target",
        "decide_by",
    ] {
        assert!(case.get(key).is_some(), "key {key} missing: {case}");
    }
    assert_eq!(case["number"], "KL-2026-0001");
    assert_eq!(case["state"], "acknowledged");
    assert!(chrono::DateTime::parse_from_rfc3339(case["received"].as_str().unwrap()).is_ok());
    assert_eq!(case["decide_by"], "2026-12-14");

    let out = klachtd()
        .args(["cases", "show", "KL-2026-0001", "--json", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["number"], "KL-2026-0001");
    assert!(shown["events"].as_array().unwrap().len() >= 3);
}

#[test]
fn init_writes_an_owner_key_once_and_the_config_reads_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("owner.key");
    let out = klachtd()
        .args(["init", "--key-file"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let line = std::fs::read_to_string(&key).unwrap();
    assert_eq!(line.trim().len(), 64);
    assert!(line.trim().chars().all(|c| c.is_ascii_hexdigit()));
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Never overwritten.
    let again = klachtd()
        .args(["init", "--key-file"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert_eq!(std::fs::read_to_string(&key).unwrap(), line);
    // The config reads it; a broken one is an error naming the key and the file.
    let office = Office::with_extra(
        "2026-11-17T09:00:00Z",
        &crate::owner::owner_commands_toml(&key),
    );
    assert!(office.config.owner_commands().unwrap().is_some());
    std::fs::write(&key, "kort\n").unwrap();
    let err = office.config.owner_commands().unwrap_err().to_string();
    assert!(err.contains("owner_commands.key_file"), "{err}");
    assert!(err.contains("klachtd.toml"), "{err}");
}

/// `klachtd run --once` on a Maildir office whose config ends with `log`; with `flag`
/// (`--log-format ...`) when given: (exit code, stderr lines).
fn run_once_logging(log: &str, flag: Option<&str>) -> (Option<i32>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("klachtd.toml");
    TestConfig::default().extra(log).write(&file);
    let mut cmd = klachtd();
    if let Some(f) = flag {
        cmd.args(["--log-format", f]);
    }
    let out = cmd
        .args(["run", "--once", "--config"])
        .arg(&file)
        .env("KLACHTD_LOG", "info")
        .env_remove("KLACHTD_CONFIG")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    (out.status.code(), err.lines().map(String::from).collect())
}

fn is_json(line: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line).is_ok_and(|v| v.is_object())
}

#[test]
fn the_config_sets_the_log_format_and_the_flag_wins() {
    let (code, lines) = run_once_logging("[log]\nformat = \"json\"", None);
    assert_eq!(code, Some(0), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("one pass done")),
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| is_json(l)), "{lines:?}");

    let (code, lines) = run_once_logging("[log]\nformat = \"json\"", Some("text"));
    assert_eq!(code, Some(0), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("one pass done")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| is_json(l)), "{lines:?}");

    let (_, lines) = run_once_logging("[log]\nformat = \"text\"", Some("json"));
    assert!(lines.iter().all(|l| is_json(l)), "{lines:?}");

    let (_, lines) = run_once_logging("", None);
    assert!(
        !lines.iter().any(|l| is_json(l)),
        "text by default: {lines:?}"
    );
}

#[test]
fn an_unknown_log_format_names_the_key_and_the_file() {
    for bad in ["\"xml\"", "\"Json\"", "7"] {
        let (code, lines) = run_once_logging(&format!("[log]\nformat = {bad}"), None);
        assert_eq!(code, Some(78), "{lines:?}");
        let err = lines.join("\n");
        assert!(
            err.contains("klachtd.toml") && err.contains("format"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A store whose key file is gone or is another store's: every command refuses it with
/// the config's exit code (systemd does not restart on it), naming the file, and the
/// store is left as it was.
#[test]
fn a_missing_or_wrong_store_key_stops_klachtd_and_changes_nothing() {
    let office = Office::new("2026-11-16T09:00:00Z");
    office.sanne_complains();
    let config = office.config_file();
    let key = office.config.store_key_file();
    let right = std::fs::read(&key).expect("the key made at the first start");
    let run = |args: &[&str]| {
        let out = klachtd()
            .args(args)
            .arg("--config")
            .arg(&config)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    std::fs::remove_file(&key).unwrap();
    for args in [&["run", "--once"][..], &["cases", "list"]] {
        let (code, err) = run(args);
        assert_eq!(code, Some(78), "{args:?}: {err}");
        assert!(
            err.contains(&key.display().to_string()) && err.contains("missing"),
            "{err}"
        );
        assert!(!key.exists(), "no new key over an encrypted store");
    }
    std::fs::write(&key, format!("{}\n", "ab".repeat(32))).unwrap();
    let (code, err) = run(&["cases", "list"]);
    assert_eq!(code, Some(78), "{err}");
    assert!(err.contains("not this store's key"), "{err}");
    std::fs::write(&key, &right).unwrap();
    let (code, err) = run(&["cases", "list"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(office.cases().len(), 1, "the case is still there");
}
