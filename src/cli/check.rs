//! `klachtd check FILE`: what klachtd makes of one mail, offline. `--json` prints one
//! [`CheckOutput`], the schema an acceptance corpus is graded on.
//!
//! This file names nothing of the binary but `klachtd::` and crates: tests/it includes
//! it to hold the fixtures to the very object `check --json` prints.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::NaiveDate;
use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::domain::{CaseNumber, Category, Fields};
use klachtd::intake::{self, Arrival, Class, NotAMail, Submission};
use klachtd::rules::{Field, Window};
use serde::Serialize;

/// The file is not a mail at all: `klachtd check` says why and exits with 2.
#[derive(Debug, thiserror::Error)]
#[error("{}: {reason}", file.display())]
pub struct NotAMailFile {
    pub file: PathBuf,
    pub reason: NotAMail,
}

/// What `klachtd check --json` prints. The keys are fixed: an acceptance corpus is
/// graded on them (tests/it/cli.rs checks them). Printed with its keys sorted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckOutput {
    pub class: Class,
    /// Why, in a few words (no personal data).
    pub reason: String,
    /// The case number the mail quotes, if any.
    pub case_ref: Option<CaseNumber>,
    /// Empty for automated mail.
    pub fields: FieldsView,
    /// The dagtekening (art. 3.2b); null for a file that says neither when it was
    /// written nor when it arrived.
    pub sent_date: Option<NaiveDate>,
    pub missing: Vec<Field>,
    pub window: Window,
    pub category: Option<Category>,
    pub serious: bool,
    pub message_id: Option<String>,
    pub subject: String,
    pub forwarded: bool,
    /// How many attachments the mail has.
    pub attachments: usize,
}

/// The fields of art. 3.2 and the date of the facts as the CLI shows them (the `fields`
/// of `check --json`; `cases show` prints a case's the same way).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldsView {
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub service: Option<String>,
    pub description: Option<String>,
    pub incident_date: Option<NaiveDate>,
}

impl From<&Fields> for FieldsView {
    fn from(f: &Fields) -> FieldsView {
        FieldsView {
            name: f.name.clone(),
            address: f.address.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
            service: f.service.clone(),
            description: f.description.clone(),
            incident_date: f.incident_date,
        }
    }
}

impl CheckOutput {
    pub fn new(s: &Submission) -> CheckOutput {
        let automated = s.classification.class == Class::Automated;
        CheckOutput {
            class: s.classification.class,
            reason: s.classification.reason.clone(),
            case_ref: s.classification.case_ref,
            fields: if automated {
                FieldsView::default()
            } else {
                FieldsView::from(&s.fields)
            },
            sent_date: (!s.undated).then_some(s.sent_date),
            missing: s.missing.clone(),
            window: s.window,
            category: s.category,
            serious: s.serious,
            message_id: s.message.message_id.clone(),
            subject: s.message.subject.clone(),
            forwarded: s.message.forwarded.is_some(),
            attachments: s.message.attachments.len(),
        }
    }

    /// The JSON object, its keys sorted (as `check --json` has always printed it).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// What `check --json` prints for `raw` read offline at `now`.
pub fn report(
    raw: &[u8],
    now: chrono::DateTime<chrono::Utc>,
    ctx: &intake::Context,
) -> serde_json::Value {
    match intake::read(raw, Arrival::Unknown { now }, ctx) {
        Ok(s) => CheckOutput::new(&s).to_json(),
        Err(e) => serde_json::json!({ "error": e.to_string() }),
    }
}

pub fn run(config: &Config, file: &Path, json: bool) -> anyhow::Result<()> {
    let raw = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let now = Clock::system().now();
    let submission = match intake::read(&raw, Arrival::Unknown { now }, &config.intake_context()) {
        Ok(s) => s,
        Err(reason) => {
            if json {
                println!("{}", serde_json::json!({ "error": reason.to_string() }));
            }
            return Err(NotAMailFile {
                file: file.to_path_buf(),
                reason,
            }
            .into());
        }
    };
    let out = CheckOutput::new(&submission);
    if json {
        println!("{}", out.to_json());
        return Ok(());
    }
    let language = submission.language.key();
    let words = &submission.serious_words;
    println!("class        {} ({})", out.class.key(), out.reason);
    if let Some(n) = out.case_ref {
        println!("case         {n}");
    }
    println!(
        "dagtekening  {}",
        out.sent_date
            .map_or("unknown".to_string(), |d| d.to_string())
    );
    println!("window       {}", out.window.key());
    println!(
        "category     {}{}",
        out.category.map_or("-", Category::key),
        if out.serious { " (SERIOUS)" } else { "" }
    );
    if !words.is_empty() {
        println!("serious for  {}", words.join(", "));
    }
    println!("language     {language}");
    let missing: Vec<&str> = out.missing.iter().map(|f| f.key()).collect();
    println!(
        "missing      {}",
        if missing.is_empty() {
            "nothing".to_string()
        } else {
            missing.join(", ")
        }
    );
    print_fields(&out.fields, "");
    Ok(())
}

/// The fields, one per line, `-` for what is not there, a multi-line description
/// indented under its first line.
pub fn print_fields(f: &FieldsView, indent: &str) {
    let date = f.incident_date.map(|d| d.to_string());
    let rows = [
        ("name", &f.name),
        ("address", &f.address),
        ("phone", &f.phone),
        ("email", &f.email),
        ("service", &f.service),
        ("incident_date", &date),
        ("description", &f.description),
    ];
    let pad = format!("\n{indent}{:14}", "");
    for (key, value) in rows {
        println!(
            "{indent}{key:<14}{}",
            value.as_deref().unwrap_or("-").replace('\n', &pad)
        );
    }
}
