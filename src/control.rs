//! The CLI's way into a running daemon. sled locks its files, so while the daemon runs
//! only it can open the store: the CLI sends one JSON request per connection over a Unix
//! socket in the store directory (`control.sock`, mode 0600 inside a 0700 directory, so
//! only the daemon's user can connect) and reads one JSON answer. When no daemon
//! listens, the CLI opens the store itself and runs the same [`handle`].
//!
//! Both ends speak types: a [`Request`] goes out, a [`Response`] (one variant per
//! request) or a [`ControlError`] comes back, serialized as JSON on the socket. A case
//! travels as a [`CaseView`], not as the stored [`Case`].

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::cases::{Case, Event, MailRef, State};
use crate::domain::{CaseNumber, Category, Fields, LetterKind};
use crate::procedure::actions::Action;
use crate::registry::{ChangeError, Registry};
use crate::report::Overview;
use crate::retention::Expired;
use crate::rules::calendar::Calendar;
use crate::rules::deadlines::{Deadlines, deadlines, retention_until};
use crate::rules::{Field, Window};

/// What the CLI can ask; each request has its own [`Response`] variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// All cases: [`Response::Cases`].
    ListCases,
    /// One case: [`Response::Case`].
    ShowCase { number: CaseNumber },
    /// The owner acts on a case (`klachtd case KL-... <action>`): [`Response::Acted`].
    Act { number: CaseNumber, action: Action },
    /// Erase (or list, with `dry_run`) the cases whose retention period is over:
    /// [`Response::Purged`].
    Purge { dry_run: bool },
    /// The yearly overview of art. 2.3 (`klachtd report`): [`Response::Overview`].
    Overview { year: i32 },
    /// How the daemon is doing (`klachtd status`): [`Response::Status`]. Answered by the
    /// running daemon; without one the CLI reads the store itself.
    Status,
    /// Write the whole store to `path` (absolute, outside the store) as one archive
    /// (`klachtd export`): [`Response::Exported`].
    Export { path: PathBuf },
}

/// The answer to a [`Request`], one variant per request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// To [`Request::ListCases`], in the store's order.
    Cases(Vec<CaseView>),
    /// To [`Request::ShowCase`].
    Case(Box<CaseView>),
    /// To [`Request::Act`].
    Acted(Acted),
    /// To [`Request::Purge`].
    Purged(Purged),
    /// To [`Request::Overview`].
    Overview(Box<Overview>),
    /// To [`Request::Status`].
    Status(Box<crate::status::Status>),
    /// To [`Request::Export`].
    Exported(Box<crate::store::archive::Archived>),
}

/// Why a request was not answered. The message is for the owner, as the CLI prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ControlError {
    #[error("no case {0}")]
    NoCase(CaseNumber),
    /// The case was erased at the end of its retention period; a tombstone says when.
    #[error("case {number} was erased on {erased} (retention: 2 years after closing)")]
    Erased {
        number: CaseNumber,
        erased: NaiveDate,
    },
    /// The owner's action is not allowed; the message says what to do instead.
    #[error("{0}")]
    Refused(String),
    /// The store, or writing a letter, failed.
    #[error("{0}")]
    Failed(String),
    /// The daemon could not read the request.
    #[error("bad request: {0}")]
    BadRequest(String),
}

/// A case as the CLI shows it (`cases list`, `cases show`, and their `--json`): built
/// from the stored [`Case`], with the deadlines computed, so the stored record can change
/// (and keep reading old records) without changing what the CLI prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub number: CaseNumber,
    pub state: State,
    #[serde(with = "rfc3339")]
    pub received: DateTime<Utc>,
    /// The dagtekening (art. 3.2b).
    pub sent_date: NaiveDate,
    pub missing: Vec<Field>,
    pub window: Window,
    pub serious: bool,
    pub category: Option<Category>,
    pub fields: Fields,
    pub reply_address: String,
    pub subject: String,
    pub acknowledge_by: NaiveDate,
    pub target: NaiveDate,
    pub decide_by: NaiveDate,
    /// The same three dates again, as one object.
    pub deadlines: Deadlines,
    pub extended_to: Option<NaiveDate>,
    pub hearing_at: Option<NaiveDate>,
    #[serde(with = "rfc3339::option")]
    pub report_at: Option<DateTime<Utc>>,
    #[serde(with = "rfc3339::option")]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(with = "rfc3339::option")]
    pub closed_at: Option<DateTime<Utc>>,
    /// The day an ended case is erased (2 years after it ended).
    pub retention_until: Option<NaiveDate>,
    /// Taken in afterwards by `klachtd history`: no letters, no reminders.
    pub historical: bool,
    pub mails: Vec<MailRef>,
    pub events: Vec<Event>,
}

impl CaseView {
    pub fn new(case: &Case, calendar: &Calendar) -> CaseView {
        let d = deadlines(case.received, calendar, case.extended_to);
        CaseView {
            number: case.number,
            state: case.state,
            received: case.received,
            sent_date: case.sent_date,
            missing: case.missing.clone(),
            window: case.window,
            serious: case.serious,
            category: case.category,
            fields: case.fields.clone(),
            reply_address: case.reply_address.clone(),
            subject: case.subject.clone(),
            acknowledge_by: d.acknowledge_by,
            target: d.target,
            decide_by: d.decide_by,
            deadlines: d,
            extended_to: case.extended_to,
            hearing_at: case.hearing_at,
            report_at: case.report_at,
            decided_at: case.decided_at,
            closed_at: case.closed_at,
            retention_until: case.ended_at().map(retention_until),
            historical: case.historical,
            mails: case.mails.clone(),
            events: case.events.clone(),
        }
    }
}

/// The answer to [`Request::Act`]: what the owner's action did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acted {
    pub number: CaseNumber,
    /// The action's name (`extend`, `accept-late`, ...).
    pub action: String,
    /// The case's state after the action.
    pub state: State,
    /// The letters queued to the complainant.
    pub letters: Vec<LetterKind>,
    /// The letter the action sends, if it sends one.
    pub letter_expected: Option<LetterKind>,
    /// The action sends a letter but none was queued: the complainant has no usable
    /// address.
    pub letter_missing: bool,
    pub decide_by: NaiveDate,
    pub extended_to: Option<NaiveDate>,
}

/// The answer to [`Request::Purge`]: the cases erased (or, in a dry run, to erase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purged {
    pub dry_run: bool,
    pub cases: Vec<Expired>,
}

/// What goes back over the socket: `{"ok": <Response>}` or `{"error": <ControlError>}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Reply {
    Ok(Response),
    Error(ControlError),
}

impl From<Result<Response, ControlError>> for Reply {
    fn from(result: Result<Response, ControlError>) -> Reply {
        match result {
            Ok(response) => Reply::Ok(response),
            Err(e) => Reply::Error(e),
        }
    }
}

impl From<Reply> for Result<Response, ControlError> {
    fn from(reply: Reply) -> Self {
        match reply {
            Reply::Ok(response) => Ok(response),
            Reply::Error(e) => Err(e),
        }
    }
}

pub fn socket_path(store: &Path) -> PathBuf {
    store.join("control.sock")
}

fn failed(e: impl std::fmt::Display) -> ControlError {
    ControlError::Failed(e.to_string())
}

/// Answers one request from the store.
pub fn handle(registry: &Registry, request: &Request) -> Result<Response, ControlError> {
    match request {
        Request::ListCases => {
            let cases = registry.cases().map_err(failed)?;
            Ok(Response::Cases(
                cases
                    .iter()
                    .map(|c| CaseView::new(c, registry.calendar()))
                    .collect(),
            ))
        }
        Request::ShowCase { number } => match registry.case(*number) {
            Ok(Some(case)) => Ok(Response::Case(Box::new(CaseView::new(
                &case,
                registry.calendar(),
            )))),
            Ok(None) => match registry.tombstone(*number) {
                Ok(Some(t)) => Err(ControlError::Erased {
                    number: *number,
                    erased: t.erased,
                }),
                _ => Err(ControlError::NoCase(*number)),
            },
            Err(e) => Err(failed(e)),
        },
        Request::Act { number, action } => {
            let change = registry.act(*number, action).map_err(|e| match e {
                ChangeError::Refused(e) => ControlError::Refused(e.to_string()),
                other => failed(other),
            })?;
            let Some(case) = change.case else {
                return Err(ControlError::NoCase(*number));
            };
            let verb = action.name();
            info!(case = %number, action = verb, state = case.state.key(), "owner action");
            let d = deadlines(case.received, registry.calendar(), case.extended_to);
            Ok(Response::Acted(Acted {
                number: *number,
                action: verb.to_string(),
                state: case.state,
                letters: change.outgoing.iter().map(|m| m.kind).collect(),
                letter_expected: action.letter(),
                letter_missing: action.letter().is_some() && change.outgoing.is_empty(),
                decide_by: d.decide_by,
                extended_to: case.extended_to,
            }))
        }
        Request::Purge { dry_run } => {
            let now = registry.now();
            let cases = crate::retention::purge(registry, now, *dry_run).map_err(failed)?;
            Ok(Response::Purged(Purged {
                dry_run: *dry_run,
                cases,
            }))
        }
        Request::Overview { year } => {
            let cases = registry.cases().map_err(failed)?;
            let overview = crate::report::overview(&cases, *year, registry.calendar());
            Ok(Response::Overview(Box::new(overview)))
        }
        Request::Export { path } => {
            // The daemon's working directory is not the CLI's: the CLI resolves the path.
            if !path.is_absolute() {
                return Err(ControlError::BadRequest(
                    "the export's path must be absolute".into(),
                ));
            }
            let archived = registry.export(path).map_err(failed)?;
            info!(
                cases = archived.header.cases(),
                files = archived.header.file_count(),
                bytes = archived.size,
                path = %archived.path.display(),
                "store exported"
            );
            Ok(Response::Exported(Box::new(archived)))
        }
        Request::Status => Err(ControlError::Failed(
            "the status is answered by the running daemon".into(),
        )),
    }
}

/// A time as the CLI has always shown a case's own times: RFC 3339 with `+00:00` (the
/// times in its mails and events are the stored ones, with `Z`).
mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.to_rfc3339())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(D::Error::custom)
    }

    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            #[derive(Deserialize)]
            struct Time(#[serde(with = "super")] DateTime<Utc>);
            Ok(Option::<Time>::deserialize(d)?.map(|Time(t)| t))
        }
    }
}

/// Listens on the control socket until `cancel` fires.
pub fn serve(
    registry: Arc<Registry>,
    status: crate::status::Source,
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
                        let status = status.clone();
                        tokio::spawn(async move {
                            if let Err(e) = answer(stream, registry, &status).await {
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

async fn answer(
    stream: UnixStream,
    registry: Arc<Registry>,
    status: &crate::status::Source,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    BufReader::new(read).read_line(&mut line).await?;
    let reply: Reply = match serde_json::from_str::<Request>(&line) {
        Ok(Request::Status) => match status.status(registry.now()) {
            Ok(s) => Reply::Ok(Response::Status(Box::new(s))),
            Err(e) => Reply::Error(failed(e)),
        },
        // An export reads the whole store: off the loops' thread (their writes wait at
        // the store's gate meanwhile, nothing else does).
        Ok(request @ Request::Export { .. }) => {
            let registry = registry.clone();
            tokio::task::spawn_blocking(move || handle(&registry, &request))
                .await
                .unwrap_or_else(|e| Err(failed(e)))
                .into()
        }
        Ok(request) => handle(&registry, &request).into(),
        Err(e) => Reply::Error(ControlError::BadRequest(e.to_string())),
    };
    let mut bytes = serde_json::to_vec(&reply)?;
    bytes.push(b'\n');
    write.write_all(&bytes).await?;
    write.shutdown().await
}

/// Sends a request to the running daemon; `Ok(None)` when none is running.
pub async fn request(
    store: &Path,
    request: &Request,
) -> anyhow::Result<Option<Result<Response, ControlError>>> {
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
    let reply: Reply = serde_json::from_str(&line)?;
    Ok(Some(reply.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::sample_case;

    /// The typed answers travel over the socket as JSON and come back the same.
    #[test]
    fn replies_round_trip_as_json() {
        let mut case = sample_case();
        case.closed_at = Some("2026-12-01T10:00:00.123456789Z".parse().unwrap());
        case.state = State::Closed;
        let view = CaseView::new(&case, &Calendar::default());
        let replies = [
            Reply::Ok(Response::Cases(vec![view.clone()])),
            Reply::Ok(Response::Case(Box::new(view))),
            Reply::Ok(Response::Overview(Box::new(crate::report::overview(
                &[case.clone()],
                2026,
                &Calendar::default(),
            )))),
            Reply::Error(ControlError::Erased {
                number: case.number,
                erased: "2028-12-01".parse().unwrap(),
            }),
            Reply::Error(ControlError::Refused("decide first".into())),
            Reply::Ok(Response::Exported(Box::new(
                crate::store::archive::Archived {
                    path: "/var/backups/klachtd/x.export".into(),
                    header: crate::store::archive::Header {
                        format: crate::store::archive::FORMAT,
                        schema: crate::store::SCHEMA,
                        created: case.received,
                        trees: [("cases".to_string(), 3)].into(),
                        files: [("mails".to_string(), 4)].into(),
                    },
                    size: 1234,
                    sha256: "ab".repeat(32),
                },
            ))),
        ];
        for reply in replies {
            let json = serde_json::to_string(&reply).unwrap();
            let back: Reply = serde_json::from_str(&json).unwrap();
            assert_eq!(
                Result::<Response, ControlError>::from(back),
                Result::from(reply),
                "{json}"
            );
        }
    }

    /// A case's own times as RFC 3339 with `+00:00`, its events' as stored (`Z`).
    #[test]
    fn a_case_view_keeps_its_json() {
        let mut case = sample_case();
        case.state = State::Closed;
        case.closed_at = Some("2026-12-01T10:00:00Z".parse().unwrap());
        let json = serde_json::to_value(CaseView::new(&case, &Calendar::default())).unwrap();
        assert_eq!(json["received"], case.received.to_rfc3339());
        assert_eq!(json["closed_at"], "2026-12-01T10:00:00+00:00");
        assert_eq!(json["retention_until"], "2028-12-01");
        assert_eq!(json["decided_at"], serde_json::Value::Null);
        assert_eq!(json["deadlines"]["decide_by"], json["decide_by"]);
        assert_eq!(
            json["missing"],
            serde_json::json!(case.missing.iter().map(|f| f.key()).collect::<Vec<_>>())
        );
        assert_eq!(json["events"], serde_json::to_value(&case.events).unwrap());
    }
}
