//! Issue 9 on the real servers: an export while the daemon runs, an import into an empty
//! store that lists and shows every case the same, the daemon on the restored store
//! sending nothing again; an import into a store that holds cases, or while the daemon
//! runs, refused; a store of an unknown schema version refused.

use std::path::{Path, PathBuf};

use super::*;

/// `klachtd ARGS --config CONFIG` to its end.
async fn klachtd(config: &Path, args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(BIN)
        .args(args)
        .arg("--config")
        .arg(config)
        .env("KLACHTD_LOG", "warn")
        .output()
        .await
        .expect("run klachtd")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `cases list --json` and every `cases show --json`, as printed.
async fn listing(config: &Path) -> (String, Vec<String>) {
    let out = klachtd(config, &["cases", "list", "--json"]).await;
    assert_success(&out, "cases list --json");
    let list = stdout(&out);
    let cases: Vec<Value> = serde_json::from_str(&list).expect("a list");
    let mut shown = Vec::new();
    for case in &cases {
        let number = case["number"].as_str().expect("a number");
        let out = klachtd(config, &["cases", "show", number, "--json"]).await;
        assert_success(&out, "cases show --json");
        shown.push(stdout(&out));
    }
    (list, shown)
}

impl Office {
    /// `klachtd run` on another config (a restored store) of this office's server,
    /// logging to `log`.
    fn start_on(&self, config: &Path, log: &Path) -> Daemon {
        let log = std::fs::File::create(log).expect("log file");
        let child = std::process::Command::new(BIN)
            .args(["run", "--config"])
            .arg(config)
            .env("KLACHTD_LOG", "info")
            .env_remove("KLACHTD_CRASH_AT")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn klachtd");
        Daemon { child: Some(child) }
    }

    /// Every letter klachtd has sent so far: (alice's INBOX, the owner's, klacht@'s Sent).
    async fn letters_sent(&self) -> (usize, usize, usize) {
        (
            self.server.count(ALICE, "INBOX").await,
            self.server.count(OWNER, "INBOX").await,
            self.server.count(KLACHT, "Sent").await,
        )
    }
}

#[tokio::test]
async fn export_while_running_then_import_restores_what_the_owner_sees() {
    let office = Office::new();
    let daemon = office.start();
    office
        .wait_logged("klachtd connected", "IMAP connected")
        .await;
    for n in 1..=3 {
        office.send_complaint(n).await;
    }
    office.wait_acks(3).await;
    office.wait_processed(3).await;
    let number = office.cases().await[0]["number"]
        .as_str()
        .expect("a case number")
        .to_string();
    let out = klachtd(
        &office.config,
        &[
            "case",
            &number,
            "decide",
            "--text",
            "Bevindingen: de training begon te laat.\nConclusies: terecht.\nReacties: geen.\nAfhandeling: een nieuwe datum.\n",
        ],
    )
    .await;
    assert_success(&out, "case decide");
    eventually("the decision in alice's INBOX", PATIENCE, || async {
        let inbox = office.server.fetch_all(ALICE, "INBOX").await;
        inbox
            .iter()
            .any(|m| has_subject(m, "Beslissing"))
            .then_some(())
    })
    .await;
    eventually("the decision's copy in Sent", PATIENCE, || async {
        (office.server.count(KLACHT, "Sent").await >= 4).then_some(())
    })
    .await;
    settle().await;

    // Exported by the running daemon, into a directory of its own (0600).
    let backups = office.dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let archive = backups.join("klachtd.export");
    let out = klachtd(
        &office.config,
        &["export", "--output", archive.to_str().unwrap()],
    )
    .await;
    assert_success(&out, "export");
    assert!(
        stdout(&out).contains("by the running daemon"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("exported 3 case(s)"),
        "{}",
        stdout(&out)
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&archive).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    // Into the store directory: refused; an import while the daemon runs: refused.
    let inside = office.dir.path().join("store").join("x.export");
    let out = klachtd(
        &office.config,
        &["export", "--output", inside.to_str().unwrap()],
    )
    .await;
    assert!(!out.status.success(), "an export into the store");
    assert!(
        stderr(&out).contains("inside the store directory"),
        "{}",
        stderr(&out)
    );
    let out = klachtd(&office.config, &["import", archive.to_str().unwrap()]).await;
    assert!(!out.status.success(), "an import while the daemon runs");
    assert!(
        stderr(&out).contains("daemon is running"),
        "{}",
        stderr(&out)
    );

    let before = listing(&office.config).await;
    let sent_before = office.letters_sent().await;
    assert_eq!(
        sent_before.0, 4,
        "three acknowledgements and a decision to alice"
    );
    daemon.stop().await;

    // Into a store that holds cases: refused, saying what it holds.
    let out = klachtd(&office.config, &["import", archive.to_str().unwrap()]).await;
    assert!(!out.status.success(), "an import into a full store");
    let err = stderr(&out);
    assert!(
        err.contains("not empty") && err.contains("3 record(s) in the tree `cases`"),
        "{err}"
    );

    // Into an empty store, on another config of the same office.
    let restored_dir: PathBuf = office.dir.path().join("restored");
    std::fs::create_dir(&restored_dir).unwrap();
    let restored = office.server.write_klachtd_config(&restored_dir, "");
    // The archive of an encrypted store opens with that store's key only: without it the
    // import is refused, with it the store comes back.
    let out = klachtd(&restored, &["import", archive.to_str().unwrap()]).await;
    assert!(!out.status.success(), "an import without the store's key");
    assert!(stderr(&out).contains("key file"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(restored_dir.join("store"));
    std::fs::copy(
        office.dir.path().join("store.key"),
        restored_dir.join("store.key"),
    )
    .unwrap();
    let out = klachtd(&restored, &["import", archive.to_str().unwrap()]).await;
    assert_success(&out, "import");
    assert!(
        stdout(&out).contains("imported 3 case(s)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        listing(&restored).await,
        before,
        "cases list and show, as before"
    );

    // The daemon on the restored store: connected, ticking, and sending nothing again.
    let log = restored_dir.join("klachtd.log");
    let again = office.start_on(&restored, &log);
    eventually("the restored daemon connected", PATIENCE, || async {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("IMAP connected")
            .then_some(())
    })
    .await;
    // Several scheduler ticks (1 s) and send passes.
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        office.letters_sent().await,
        sent_before,
        "nothing sent again"
    );
    assert_eq!(office.server.count(KLACHT, "Verwerkt").await, 3);
    assert_eq!(listing(&restored).await, before, "nothing changed");
    // And it still works: a new complaint gets the next number.
    office.send_complaint(4).await;
    office.wait_acks(4).await;
    let year = chrono::Datelike::year(&klachtd::clock::Clock::system().now());
    eventually("the fourth case", PATIENCE, || async {
        let out = klachtd(&restored, &["cases", "list", "--json"]).await;
        let cases: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
        cases
            .iter()
            .any(|c| c["number"] == format!("KL-{year}-0004"))
            .then_some(())
    })
    .await;
    again.stop().await;
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !log_text.contains(ALICE),
        "the log names alice:\n{log_text}"
    );
    office.assert_logs_confidential();
}

#[tokio::test]
async fn a_store_of_an_unknown_schema_version_is_refused() {
    for (recorded, says) in [
        (
            serde_json::json!(99),
            "schema version 99 is newer than this klachtd supports",
        ),
        (serde_json::json!("een"), "is not one klachtd knows"),
    ] {
        let office = Office::new();
        office.send_complaint(1).await;
        assert!(office.run_once(None).await.success());
        let store = office.dir.path().join("store");
        {
            let s = klachtd::store::Store::open(&store, 1, &store.with_extension("key"))
                .expect("the store");
            s.meta_put("schema", &recorded).expect("meta");
        }
        for args in [&["cases", "list", "--json"][..], &["run", "--once"]] {
            let out = klachtd(&office.config, args).await;
            assert!(!out.status.success(), "{args:?} on schema {recorded}");
            assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        }
        // Nothing was read, so nothing was answered again or exported beside it.
        assert_eq!(office.acks().await.len(), 1);
        let beside: Vec<_> = std::fs::read_dir(office.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".export"))
            .collect();
        assert!(beside.is_empty(), "{beside:?}");
    }
}
