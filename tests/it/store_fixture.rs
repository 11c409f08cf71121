//! A store written by schema-1 klachtd (`tests/fixtures/store-v1/store`, made by
//! [`generate_the_store_v1_fixture`]) opened by today's klachtd: `cases list --json` and
//! every `cases show --json` as they were when it was written (`cases-list.json`,
//! `cases-show.json` beside it). When a later schema migrates such a store, this is what
//! proves the migration keeps what the owner sees.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{COMPLETE, INCOMPLETE, Office, SANNE, TestConfig, at, mail};
use klachtd::procedure::actions::Action;

const BIN: &str = env!("CARGO_BIN_EXE_klachtd");

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1")
}

fn klachtd(config: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(BIN)
        .args(args)
        .arg("--config")
        .arg(config)
        .env("KLACHTD_LOG", "warn")
        .output()
        .expect("run klachtd");
    assert!(
        out.status.success(),
        "klachtd {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `cases list --json`, and every `cases show --json` in its order, as JSON.
fn listing(config: &Path) -> (Value, Value) {
    let list: Value =
        serde_json::from_slice(&klachtd(config, &["cases", "list", "--json"]).stdout).unwrap();
    let shown = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| {
            let number = c["number"].as_str().expect("a number");
            serde_json::from_slice(&klachtd(config, &["cases", "show", number, "--json"]).stdout)
                .unwrap()
        })
        .collect();
    (list, Value::Array(shown))
}

/// Copies a store directory (its files, not a control socket).
fn copy_store(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_store(&entry.path(), &to.join(entry.file_name()));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A config (the tests' default office) in `dir` with its store at `dir/store`.
fn config_in(dir: &Path) -> PathBuf {
    let file = dir.join("klachtd.toml");
    TestConfig::default().write(&file);
    file
}

fn expected(name: &str) -> Value {
    let path = fixture().join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap())
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

#[test]
fn a_store_written_by_schema_1_reads_the_same_today() {
    let dir = tempfile::tempdir().unwrap();
    copy_store(&fixture().join("store"), &dir.path().join("store"));
    let config = config_in(dir.path());
    let (list, shown) = listing(&config);
    assert_eq!(list, expected("cases-list.json"), "cases list --json");
    assert_eq!(shown, expected("cases-show.json"), "cases show --json");
    assert_eq!(list.as_array().map(Vec::len), Some(3));
    // Its archive restores to the same, too.
    let archive = dir.path().join("v1.export");
    klachtd(&config, &["export", "--output", archive.to_str().unwrap()]);
    let restored = tempfile::tempdir().unwrap();
    let restored_config = config_in(restored.path());
    // The store was sealed as it was opened (schema 1 -> 2): its archive needs its key.
    std::fs::copy(
        dir.path().join("store.key"),
        restored.path().join("store.key"),
    )
    .unwrap();
    klachtd(&restored_config, &["import", archive.to_str().unwrap()]);
    assert_eq!(listing(&restored_config), (list, shown));
}

/// Writes the fixture anew: `cargo test --test it generate_the_store_v1_fixture --
/// --ignored`. Run it with the klachtd whose schema the fixture is named after (make a
/// `store-v2` beside it for the next schema, and keep this one).
#[test]
#[ignore = "writes tests/fixtures/store-v1; run by hand"]
fn generate_the_store_v1_fixture() {
    let office = Office::new("2026-11-16T10:00:00Z");
    // Three complaints (a complete one, an incomplete one, one to be decided) and a
    // reply to a case that does not exist (set aside).
    let date = "Mon, 16 Nov 2026 09:12:44 +0100";
    office.deliver(
        "m1",
        &mail(SANNE, "Klacht training", date, "c1@example.nl", COMPLETE),
    );
    office.deliver(
        "m2",
        &mail(
            "Pieter Jansen <pieter@example.nl>",
            "Klacht",
            date,
            "c2@example.nl",
            INCOMPLETE,
        ),
    );
    office.deliver(
        "m3",
        &mail(
            "Sanne de Vries <sanne@example.nl>",
            "Nog een klacht",
            date,
            "c3@example.nl",
            COMPLETE,
        ),
    );
    office.deliver(
        "m4",
        &mail(
            SANNE,
            "Re: [KL-2026-0042] Uw klacht",
            date,
            "ghost@example.nl",
            "Hier is mijn adres.\n",
        ),
    );
    // Taken in and answered: the letters move to the sent tree.
    office.run_once();
    // The third decided: its decision waits in the outbox.
    office.clock.set(at("2026-11-20T10:00:00Z"));
    office
        .registry()
        .act(
            "KL-2026-0003".parse().unwrap(),
            &Action::Decide {
                text: "Bevindingen: de training begon te laat.\nConclusies: terecht.\nReacties: geen.\nAfhandeling: een nieuwe datum.".into(),
            },
        )
        .expect("decided");
    // A tick a week on: the reminder to Pieter, the digest's slot (marks).
    let parts = office.parts();
    office.tick(&parts, at("2026-11-24T09:00:00Z"));
    drop(parts);
    let target = fixture();
    let _ = std::fs::remove_dir_all(target.join("store"));
    copy_store(&office.config.store.path, &target.join("store"));
    let config = config_in(office.dir.path());
    let (list, shown) = listing(&config);
    for (name, value) in [("cases-list.json", list), ("cases-show.json", shown)] {
        std::fs::write(
            target.join(name),
            serde_json::to_string_pretty(&value).unwrap() + "\n",
        )
        .unwrap();
    }
}
