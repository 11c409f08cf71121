//! The daily export of `[backup]`, as the daemon takes it: once a day by its clock, into
//! the configured directory, the newest `keep` kept, each one an archive that imports.

use crate::support::{Office, TestConfig, at, files_in};

const BIN: &str = env!("CARGO_BIN_EXE_klachtd");

fn exports(office: &Office) -> Vec<String> {
    let mut names: Vec<String> = files_in(&office.path("backups"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    names.sort();
    names
}

#[test]
fn the_daemon_takes_one_export_a_day_and_keeps_the_newest() {
    let office = Office::with_extra(
        "2026-11-16T10:00:00Z",
        "[backup]\ndir = \"backups\"\nkeep = 2",
    );
    office.sanne_complains();
    assert_eq!(exports(&office), ["klachtd-2026-11-16.export"]);
    // Again the same day (a restart): none more.
    office.run_once();
    assert_eq!(exports(&office), ["klachtd-2026-11-16.export"]);
    for day in ["2026-11-17", "2026-11-18"] {
        office.clock.set(at(&format!("{day}T08:00:00Z")));
        office.run_once();
    }
    assert_eq!(
        exports(&office),
        ["klachtd-2026-11-17.export", "klachtd-2026-11-18.export"]
    );
    // The newest restores the case.
    let restored = tempfile::tempdir().unwrap();
    let config = restored.path().join("klachtd.toml");
    TestConfig::default().write(&config);
    // An archive of an encrypted store opens with that store's key only.
    std::fs::copy(office.path("store.key"), restored.path().join("store.key")).unwrap();
    let out = std::process::Command::new(BIN)
        .arg("import")
        .arg(office.path("backups/klachtd-2026-11-18.export"))
        .arg("--config")
        .arg(&config)
        .env("KLACHTD_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reg = klachtd::registry::Registry::open(
        &TestConfig::default().parse(&config),
        office.clock.clone(),
    )
    .unwrap();
    assert_eq!(reg.cases().unwrap(), office.cases());
}
