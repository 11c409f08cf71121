//! The logged-in session: what the server can do, which errors leave it usable, waiting
//! for mail with IDLE (RFC 2177: renewed before its 29 minutes are up, ended with DONE),
//! and the unsolicited responses the session gathers meanwhile.

use std::io;
use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::imap_proto::{MailboxDatum, Response, Status};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::connection::Conn;
use crate::mailbox::MailboxError;

pub(super) type Session = async_imap::Session<Conn>;

/// IDLE is ended and re-issued before the 29 minutes of RFC 2177.
pub(super) const IDLE_RENEWAL: Duration = Duration::from_secs(25 * 60);
/// Time allowed for DONE at the end of IDLE.
const DONE_TIMEOUT: Duration = Duration::from_secs(15);

/// What the server can do, as far as we care.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Caps {
    pub(super) idle: bool,
    pub(super) mv: bool,
    pub(super) uidplus: bool,
}

impl Caps {
    /// Asks a logged-in session (the capabilities can change at login).
    pub(super) async fn query(session: &mut Session) -> Result<Caps, MailboxError> {
        let caps = session
            .capabilities()
            .await
            .map_err(|e| MailboxError::Protocol(format!("CAPABILITY: {e}")))?;
        Ok(Caps {
            idle: caps.has_str("IDLE"),
            mv: caps.has_str("MOVE"),
            uidplus: caps.has_str("UIDPLUS"),
        })
    }
}

/// An error inside an operation, and whether the session is unusable after it.
pub(super) struct OpError {
    pub(super) error: MailboxError,
    pub(super) fatal: bool,
}

impl From<async_imap::error::Error> for OpError {
    fn from(e: async_imap::error::Error) -> OpError {
        use async_imap::error::Error as E;
        // NO and a refused argument leave the session usable; everything else may not.
        let fatal = !matches!(e, E::No(_) | E::Validate(_));
        OpError {
            error: MailboxError::Protocol(e.to_string()),
            fatal,
        }
    }
}

impl From<io::Error> for OpError {
    fn from(e: io::Error) -> OpError {
        OpError {
            error: MailboxError::Io(e),
            fatal: true,
        }
    }
}

impl OpError {
    pub(super) fn protocol(message: impl Into<String>) -> OpError {
        OpError {
            error: MailboxError::Protocol(message.into()),
            fatal: true,
        }
    }
}

/// Empties the channel of unsolicited responses (it holds at most 100, then drops).
pub(super) fn drain_unsolicited(session: &mut Session) {
    while session.unsolicited_responses.try_recv().is_ok() {}
}

/// Why an IDLE ended.
#[derive(Debug)]
enum End {
    NewMail,
    Renew,
    Cancelled,
    Lost(String),
}

/// Whether a response that came during IDLE ends it (`None`: keep waiting).
fn ends_idle(response: &Response<'_>) -> Option<End> {
    match response {
        Response::MailboxData(MailboxDatum::Exists(_))
        | Response::MailboxData(MailboxDatum::Recent(_)) => Some(End::NewMail),
        Response::Data {
            status: Status::Bye,
            ..
        } => Some(End::Lost("the server said BYE".into())),
        // flag changes, expunges: nothing new to fetch
        Response::Expunge(_) | Response::Fetch(..) => None,
        _ => Some(End::NewMail),
    }
}

/// IDLEs until the folder changes, `renewal` has passed, or cancellation; then ends the
/// IDLE with DONE and gives the session back. An error means the session is lost.
pub(super) async fn idle(
    session: Session,
    renewal: Duration,
    cancel: &CancellationToken,
) -> Result<Session, MailboxError> {
    let mut handle = session.idle();
    handle
        .init()
        .await
        .map_err(|e| MailboxError::Protocol(format!("IDLE: {e}")))?;
    let deadline = Instant::now() + renewal;
    let end = loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        // the handle's own timeout restarts at every response (keepalives included)
        let (wait, _stop) = handle.wait_with_timeout(remaining + Duration::from_secs(1));
        tokio::select! {
            r = wait => match r {
                Ok(IdleResponse::NewData(data)) => {
                    if let Some(end) = ends_idle(data.parsed()) {
                        break end;
                    }
                }
                Ok(IdleResponse::Timeout) => break End::Renew,
                // we never interrupt: the stream ended
                Ok(IdleResponse::ManualInterrupt) => break End::Lost("connection closed during IDLE".into()),
                Err(e) => break End::Lost(format!("IDLE: {e}")),
            },
            _ = tokio::time::sleep_until(deadline) => break End::Renew,
            _ = cancel.cancelled() => break End::Cancelled,
        }
    };
    match end {
        End::Lost(message) => Err(MailboxError::Protocol(message)),
        End::NewMail | End::Renew | End::Cancelled => {
            match tokio::time::timeout(DONE_TIMEOUT, handle.done()).await {
                Ok(Ok(mut session)) => {
                    drain_unsolicited(&mut session);
                    Ok(session)
                }
                Ok(Err(e)) => Err(MailboxError::Protocol(format!("IDLE DONE: {e}"))),
                Err(_) => Err(MailboxError::Protocol("IDLE DONE timed out".into())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(line: &str) -> Option<End> {
        let (rest, response) = Response::parse(line.as_bytes()).expect("a response");
        assert!(rest.is_empty(), "{line}");
        ends_idle(&response)
    }

    #[test]
    fn only_a_refusal_leaves_the_session_usable() {
        use async_imap::error::Error as E;
        assert!(!OpError::from(E::No("[ALREADYEXISTS] exists".into())).fatal);
        assert!(OpError::from(E::Bad("what?".into())).fatal);
        assert!(OpError::from(E::ConnectionLost).fatal);
        assert!(OpError::from(io::Error::from(io::ErrorKind::BrokenPipe)).fatal);
        assert!(OpError::protocol("SELECT gave no UIDVALIDITY").fatal);
    }

    #[test]
    fn idle_ends_for_new_mail_and_bye_not_for_flags_or_expunges() {
        assert!(matches!(ends("* 4 EXISTS\r\n"), Some(End::NewMail)));
        assert!(matches!(ends("* 1 RECENT\r\n"), Some(End::NewMail)));
        assert!(matches!(
            ends("* BYE shutting down\r\n"),
            Some(End::Lost(_))
        ));
        assert!(ends("* 2 EXPUNGE\r\n").is_none());
        assert!(ends("* 3 FETCH (FLAGS (\\Seen))\r\n").is_none());
        // anything else might be news: fetch to see
        assert!(matches!(
            ends("* FLAGS (\\Answered \\Seen)\r\n"),
            Some(End::NewMail)
        ));
    }
}
