//! `klachtd cases list` and `klachtd cases show KL-...`: the cases as the owner reads
//! them, one line each or one in full; `--json` prints the [`CaseView`]s.

use chrono::SecondsFormat;
use klachtd::config::Config;
use klachtd::control::{CaseView, Request, Response};
use klachtd::domain::{CaseNumber, Category};

use super::check::{FieldsView, print_fields};

pub fn list(config: &Config, json: bool) -> anyhow::Result<()> {
    let cases = match super::ask(config, &Request::ListCases)? {
        Response::Cases(cases) => cases,
        other => return Err(super::unexpected(&other)),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&super::json_value(&cases)?)?
        );
        return Ok(());
    }
    if cases.is_empty() {
        println!("no cases");
    }
    for c in &cases {
        let received = c.received.to_rfc3339();
        let missing: Vec<&str> = c.missing.iter().map(|f| f.key()).collect();
        println!(
            "{}  {:<22} received {}  decide by {}  window {:<7}{}{}",
            c.number,
            c.state.key(),
            received.get(..10).unwrap_or("?"),
            c.decide_by,
            c.window.key(),
            if c.serious { "  SERIOUS" } else { "" },
            if missing.is_empty() {
                String::new()
            } else {
                format!("  missing: {}", missing.join(", "))
            }
        );
    }
    Ok(())
}

pub fn show(config: &Config, number: CaseNumber, json: bool) -> anyhow::Result<()> {
    let case = match super::ask(config, &Request::ShowCase { number })? {
        Response::Case(case) => case,
        other => return Err(super::unexpected(&other)),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&super::json_value(&case)?)?
        );
    } else {
        print_case(&case)?;
    }
    Ok(())
}

/// A time as stored (and as in the case's JSON): RFC 3339 in UTC with `Z`.
fn stored_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn print_case(c: &CaseView) -> anyhow::Result<()> {
    println!("{}  {}", c.number, c.state);
    println!("received        {}", c.received.to_rfc3339());
    println!("dagtekening     {}", c.sent_date);
    println!("window          {}", c.window.key());
    println!(
        "category        {}{}",
        c.category.map_or("-", Category::key),
        if c.serious { " (SERIOUS)" } else { "" }
    );
    println!("acknowledge by  {}", c.acknowledge_by);
    println!("target          {}", c.target);
    println!("decide by       {}", c.decide_by);
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339());
    for (label, value) in [
        ("extended to     ", day(c.extended_to)),
        ("hearing         ", day(c.hearing_at)),
        ("report sent     ", time(c.report_at)),
        ("decided         ", time(c.decided_at)),
        ("closed          ", time(c.closed_at)),
        ("erase from      ", day(c.retention_until)),
    ] {
        if let Some(value) = value {
            println!("{label}{value}");
        }
    }
    // The missing items as a JSON list, as this line has always shown them.
    println!("missing         {}", serde_json::to_string(&c.missing)?);
    println!("fields:");
    print_fields(&FieldsView::from(&c.fields), "  ");
    println!("mails:");
    for m in &c.mails {
        println!(
            "  {} {}  {}",
            stored_time(&m.received),
            m.direction.key(),
            m.subject
        );
    }
    println!("events:");
    for e in &c.events {
        // An owner's action names itself, and whether it came by mail (issue 11).
        let kind = match &e.kind {
            klachtd::cases::EventKind::Action { action, by_mail } => format!(
                "{} {action}{}",
                e.kind.key(),
                by_mail
                    .as_ref()
                    .map_or(String::new(), |m| format!(" (per e-mail, <{m}>)"))
            ),
            other => other.key().to_string(),
        };
        println!(
            "  {} {:<11} {} {}",
            stored_time(&e.at),
            e.actor.key(),
            kind,
            e.detail.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
