//! Every mail in tests/fixtures/mails runs through the whole intake pipeline, as
//! `klachtd check --json` does. Where `NAME.expect.json` exists beside `NAME.eml`, each key
//! it holds must match the report (inside "fields", only the keys it lists; `true` /
//! `false` there: present / absent). `klachtd bench --accuracy` grades the same way.

use std::path::{Path, PathBuf};

use crate::check_output;
use crate::support::{demo_context as context, fixed_now as now};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mails")
}

#[test]
fn every_fixture_matches_its_expectation() {
    let ctx = context();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    names.sort();
    for eml in &names {
        let raw = std::fs::read(eml).unwrap();
        let report = check_output::report(&raw, now(), &ctx);
        let expect = eml.with_extension("expect.json");
        let Ok(text) = std::fs::read_to_string(&expect) else {
            continue;
        };
        let expected: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", expect.display()));
        for g in klachtd::bench::grade(&report, &expected) {
            if !g.right {
                failures.push(format!(
                    "{}: {}: want {}, got {}",
                    eml.file_name().unwrap().to_string_lossy(),
                    g.key,
                    g.want,
                    g.got
                ));
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of the fixture expectations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 30, "only {checked} fixtures have expectations");
}
