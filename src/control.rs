//! The CLI's way into a running daemon. sled locks its files, so while the daemon runs
//! only it can open the store: the CLI sends one JSON request per connection over a Unix
//! socket in the store directory (`control.sock`, mode 0600 inside a 0700 directory, so
//! only the daemon's user can connect) and reads one JSON answer. When no daemon
//! listens, the CLI opens the store itself and runs the same [`handle`].

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::cases::Case;
use crate::domain::CaseNumber;
use crate::procedure::actions::Action;
use crate::registry::Registry;
use crate::rules::calendar::Calendar;
use crate::rules::deadlines::{deadlines, retention_until};

/// What the CLI can ask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    ListCases,
    ShowCase {
        number: CaseNumber,
    },
    /// The owner acts on a case (`klachtd case KL-... <action>`).
    Act {
        number: CaseNumber,
        action: Action,
    },
    /// Erase (or list, with `dry_run`) the cases whose retention period is over.
    Purge {
        dry_run: bool,
    },
    /// The yearly overview (art. 2.3), as [`crate::report::Overview`] JSON.
    Report {
        year: i32,
    },
}

pub fn socket_path(store: &Path) -> PathBuf {
    store.join("control.sock")
}

/// Answers one request from the store.
pub fn handle(registry: &Registry, request: &Request) -> Result<Value, String> {
    match request {
        Request::ListCases => {
            let cases = registry.cases().map_err(|e| e.to_string())?;
            Ok(Value::Array(
                cases
                    .iter()
                    .map(|c| case_json(c, registry.calendar()))
                    .collect(),
            ))
        }
        Request::ShowCase { number } => match registry.case(*number) {
            Ok(Some(case)) => Ok(case_json(&case, registry.calendar())),
            Ok(None) => match registry.tombstone(*number) {
                Ok(Some(t)) => Err(format!(
                    "case {number} was erased on {} (retention: 2 years after closing)",
                    t.erased
                )),
                _ => Err(format!("no case {number}")),
            },
            Err(e) => Err(e.to_string()),
        },
        Request::Act { number, action } => {
            let change = registry.act(*number, action).map_err(|e| e.to_string())?;
            let Some(case) = change.case else {
                return Err(format!("no case {number}"));
            };
            let verb = action.name();
            info!(case = %number, action = verb, state = case.state.key(), "owner action");
            let letters: Vec<&str> = change.outgoing.iter().map(|m| m.kind.key()).collect();
            let d = deadlines(case.received, registry.calendar(), case.extended_to);
            Ok(json!({
                "number": number,
                "action": action.name(),
                "state": case.state,
                "letters": letters,
                "letter_expected": action.letter().map(|k| k.key()),
                "letter_missing": action.letter().is_some() && change.outgoing.is_empty(),
                "decide_by": d.decide_by,
                "extended_to": case.extended_to,
            }))
        }
        Request::Purge { dry_run } => {
            let now = registry.now();
            let expired =
                crate::retention::purge(registry, now, *dry_run).map_err(|e| e.to_string())?;
            Ok(json!({ "dry_run": dry_run, "cases": expired }))
        }
        Request::Report { year } => {
            let cases = registry.cases().map_err(|e| e.to_string())?;
            let overview = crate::report::overview(&cases, *year, registry.calendar());
            serde_json::to_value(overview).map_err(|e| e.to_string())
        }
    }
}

/// How a case is shown to the CLI (`cases list/show --json`).
pub fn case_json(case: &Case, calendar: &Calendar) -> Value {
    let d = deadlines(case.received, calendar, case.extended_to);
    json!({
        "number": case.number,
        "state": case.state,
        "received": case.received.to_rfc3339(),
        "sent_date": case.sent_date,
        "missing": case.missing.iter().map(|f| f.key()).collect::<Vec<_>>(),
        "window": case.window,
        "serious": case.serious,
        "category": case.category,
        "fields": case.fields,
        "reply_address": case.reply_address,
        "subject": case.subject,
        "acknowledge_by": d.acknowledge_by,
        "target": d.target,
        "decide_by": d.decide_by,
        "deadlines": d,
        "extended_to": case.extended_to,
        "hearing_at": case.hearing_at,
        "report_at": case.report_at.map(|t| t.to_rfc3339()),
        "decided_at": case.decided_at.map(|t| t.to_rfc3339()),
        "closed_at": case.closed_at.map(|t| t.to_rfc3339()),
        "retention_until": case.ended_at().map(retention_until),
        "mails": case.mails,
        "events": case.events,
    })
}

/// Listens on the control socket until `cancel` fires.
pub fn serve(
    registry: Arc<Registry>,
    cancel: CancellationToken,
) -> std::io::Result<JoinHandle<()>> {
    let path = socket_path(registry.store_dir());
    // A socket left by a daemon that died: nobody listens on it any more.
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = cancel.cancelled() => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let registry = registry.clone();
                        tokio::spawn(async move {
                            if let Err(e) = answer(stream, &registry).await {
                                warn!(error = %e, "control connection failed");
                            }
                        });
                    }
                    Err(e) => warn!(error = %e, "control socket accept failed"),
                }
            }
        }
        let _ = std::fs::remove_file(&path);
    }))
}

async fn answer(stream: UnixStream, registry: &Registry) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    BufReader::new(read).read_line(&mut line).await?;
    let reply = match serde_json::from_str::<Request>(&line) {
        Ok(request) => match handle(registry, &request) {
            Ok(v) => json!({ "ok": v }),
            Err(e) => json!({ "error": e }),
        },
        Err(e) => json!({ "error": format!("bad request: {e}") }),
    };
    write.write_all(reply.to_string().as_bytes()).await?;
    write.write_all(b"\n").await?;
    write.shutdown().await
}

/// Sends a request to the running daemon; `Ok(None)` when none is running.
pub async fn request(
    store: &Path,
    request: &Request,
) -> anyhow::Result<Option<Result<Value, String>>> {
    let stream = match UnixStream::connect(socket_path(store)).await {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let (read, mut write) = stream.into_split();
    write
        .write_all(format!("{}\n", serde_json::to_string(request)?).as_bytes())
        .await?;
    let mut line = String::new();
    BufReader::new(read).read_line(&mut line).await?;
    let reply: Value = serde_json::from_str(&line)?;
    Ok(Some(match (reply.get("ok"), reply.get("error")) {
        (Some(v), _) => Ok(v.clone()),
        (_, Some(e)) => Err(e.as_str().unwrap_or("error").to_string()),
        _ => Err("empty answer".into()),
    }))
}
