//! Every mail in tests/fixtures/mails runs through the whole intake pipeline, as
//! `klachtd check --json` does. Where `NAME.expect.json` exists beside `NAME.eml`, each key
//! it holds must match the report (inside "fields", only the keys it lists).

use std::path::{Path, PathBuf};

use klachtd::intake::{self, Arrival};

use crate::check_output::CheckOutput;
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
        let report = match intake::read(&raw, Arrival::Unknown { now: now() }, &ctx) {
            Ok(s) => CheckOutput::new(&s).to_json(),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        };
        let expect = eml.with_extension("expect.json");
        let Ok(text) = std::fs::read_to_string(&expect) else {
            continue;
        };
        let expected: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", expect.display()));
        for (key, want) in expected.as_object().unwrap() {
            if key == "fields" {
                for (field, want) in want.as_object().unwrap() {
                    let got = &report["fields"][field];
                    if got != want {
                        failures.push(format!(
                            "{}: fields.{field}: want {want}, got {got}",
                            eml.file_name().unwrap().to_string_lossy()
                        ));
                    }
                }
            } else if key.starts_with('_') {
                // a comment
            } else if &report[key] != want {
                failures.push(format!(
                    "{}: {key}: want {want}, got {}",
                    eml.file_name().unwrap().to_string_lossy(),
                    report[key]
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
