//! Encryption at rest on the real servers (issue 10, item 6): after a case taken in and
//! answered over IMAP and SMTP, no file under the store and no line of the daemon's log
//! holds the complainant's name, phone number, street, address or a phrase of the
//! complaint; then the case is erased and its key is gone, and a copy of its files kept
//! from before no longer opens.

use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::control::{self, Request, Response};
use klachtd::procedure::actions::Action;
use klachtd::registry::{Parts, Registry};

use super::*;

/// What must be found nowhere: from the complaint ([`COMPLETE`]) and its sender.
const PERSONAL: [&str; 6] = [
    "Sanne de Vries",
    "06-12345678",
    "Kerkstraat",
    "3511 AB",
    "drie kwartier te laat",
    ALICE,
];

/// Every file under `dir`.
fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the store directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Where each of `needles` occurs in `files`, as bytes and ASCII case-insensitively.
fn occurrences(files: &[PathBuf], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let bytes = std::fs::read(file)
            .expect("read a file")
            .to_ascii_lowercase();
        for needle in needles {
            let needle = needle.to_ascii_lowercase();
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!("{needle:?} in {}", file.display()));
            }
        }
    }
    found
}

/// A registry on the office's store, its clock at `now` (the daemon is stopped).
fn registry_at(config: &Config, now: chrono::DateTime<chrono::Utc>) -> (Parts, Registry) {
    let parts = Parts::open(config).expect("open the store");
    let registry = Registry::new(
        &parts,
        config.intake_context(),
        &config.store.path,
        Clock::fixed(now),
    );
    (parts, registry)
}

#[tokio::test]
async fn nothing_personal_in_the_store_or_the_log_and_erasure_destroys_the_key() {
    let office = Office::new();
    let daemon = office.start();
    office
        .wait_logged("klachtd connected", "IMAP connected")
        .await;
    let (complaint_id, _) = office.send_complaint(1).await;
    office.wait_acks(1).await;
    office.wait_processed(1).await;
    office
        .wait_owner_letter("the owner's notification", "Nieuwe klacht")
        .await;
    settle().await;
    daemon.stop().await;

    let config = Config::load(&office.config).expect("the test config");
    let store = config.store.path.clone();
    let key_file = config.store_key_file();
    assert!(
        key_file.is_file() && !key_file.starts_with(&store),
        "the key was made beside the store: {}",
        key_file.display()
    );
    let log = office.log_text();
    assert!(
        log.contains(&key_file.display().to_string()),
        "the new key file's path is logged:\n{log}"
    );
    let files = files_under(&store);
    assert!(files.len() >= 5, "sled's files, blobs and keys: {files:?}");
    let mut needles = PERSONAL.to_vec();
    let bare_id = complaint_id.trim_matches(['<', '>']);
    needles.push(bare_id);
    let found = occurrences(&files, &needles);
    assert!(found.is_empty(), "in clear in the store: {found:#?}");
    for needle in &needles {
        assert!(!log.contains(needle), "the log has {needle:?}:\n{log}");
    }
    // The search can find: the complaint as it sits in the mailbox holds them all.
    let processed = office.server.fetch_all(KLACHT, "Verwerkt").await;
    let raw = std::env::temp_dir().join(format!("klachtd-at-rest-{}.eml", std::process::id()));
    std::fs::write(&raw, &processed[0]).expect("write the processed mail");
    assert_eq!(
        occurrences(std::slice::from_ref(&raw), &needles).len(),
        needles.len()
    );
    std::fs::remove_file(&raw).ok();

    // The case ends, and two years later the retention job erases it.
    let now = klachtd::clock::Clock::system().now();
    let (number, hash, blobs) = {
        let (parts, registry) = registry_at(&config, now);
        let case = registry.cases().expect("cases").remove(0);
        registry
            .act(
                case.number,
                &Action::Withdraw {
                    text: "De klacht is ingetrokken.".into(),
                },
            )
            .expect("withdraw");
        assert!(parts.store.case_key_exists(case.number).unwrap());
        let blobs: Vec<(PathBuf, Vec<u8>)> = ["mails", "letters"]
            .iter()
            .flat_map(|d| files_under(&store.join(d)))
            .map(|f| {
                let bytes = std::fs::read(&f).unwrap();
                (f, bytes)
            })
            .collect();
        (case.number, case.mails[0].hash.clone(), blobs)
    };
    let later = now + chrono::Duration::days(2 * 366 + 1);
    let (parts, registry) = registry_at(&config, later);
    let purged = match control::handle(&registry, &Request::Purge { dry_run: false }) {
        Ok(Response::Purged(purged)) => purged,
        other => panic!("not the answer to a purge: {other:?}"),
    };
    assert_eq!(purged.cases.len(), 1, "{purged:?}");
    assert!(registry.case(number).unwrap().is_none(), "erased");
    assert!(
        !parts.store.case_key_exists(number).unwrap(),
        "the case's key is gone"
    );
    assert!(parts.store.raw_mail(&hash).unwrap().is_none());
    // A copy of its files from before the erasure (a backup, a disk block) no longer
    // opens: their key is gone.
    assert!(!blobs.is_empty());
    for (file, bytes) in &blobs {
        if !file.exists() {
            std::fs::write(file, bytes).unwrap();
        }
    }
    let err = parts.store.raw_mail(&hash).expect_err("unreadable");
    assert!(err.to_string().contains("key is gone"), "{err}");
    let found = occurrences(&files_under(&store), &needles);
    assert!(found.is_empty(), "after the erasure: {found:#?}");
}
