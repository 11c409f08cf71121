//! `klachtd status [--json]`: from the running daemon, or the store when none runs.

use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::control::{self, Request, Response};
use klachtd::registry::Parts;
use klachtd::rules::ZONE;
use klachtd::status::Status;

pub fn run(config: &Config, json: bool) -> anyhow::Result<()> {
    let rt = super::runtime()?;
    let status: Status = match rt
        .block_on(control::request(&config.store.path, &Request::Status))?
    {
        Some(Ok(Response::Status(s))) => *s,
        Some(Ok(other)) => return Err(super::unexpected(&other)),
        Some(Err(e)) => return Err(e.into()),
        None => {
            if !config.store.path.exists() {
                anyhow::bail!(
                    "no store at {} yet: klachtd has not run with this config (store.path)",
                    config.store.path.display()
                );
            }
            let parts = Parts::open(config)?;
            klachtd::status::from_store(&parts.store, &parts.calendar, None, Clock::system().now())?
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&super::json_value(&status)?)?
        );
        return Ok(());
    }
    let at = |t: Option<chrono::DateTime<chrono::Utc>>| match t {
        Some(t) => t
            .with_timezone(&ZONE)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        None => "-".to_string(),
    };
    if !status.daemon_running {
        println!("daemon          not running (figures from the store)");
    } else if status.connected {
        println!(
            "mailbox         connected since {}",
            at(status.connected_since)
        );
    } else {
        println!("mailbox         NOT connected");
    }
    if let Some(e) = &status.last_error {
        println!("last error      {} {e}", at(status.last_error_at));
    }
    if status.daemon_running {
        println!("last poll       {}", at(status.last_poll));
    }
    println!(
        "outbox          {} waiting{}{}",
        status.outbox_queued,
        match status.outbox_oldest {
            Some(t) => format!(", the oldest since {}", at(Some(t))),
            None => String::new(),
        },
        if status.outbox_failed > 0 {
            format!("; {} failed for good", status.outbox_failed)
        } else {
            String::new()
        }
    );
    println!(
        "open cases      {}{}",
        status.open_cases,
        if status.historical_cases > 0 {
            format!(" ({} historical)", status.historical_cases)
        } else {
            String::new()
        }
    );
    println!("due this week   {}", status.due_this_week);
    println!("overdue         {}", status.overdue);
    println!("set aside       {}", status.set_aside);
    Ok(())
}
