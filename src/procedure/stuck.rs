//! Letters that cannot leave (issue 8.4): when the oldest waiting letter has been
//! failing to go out for an hour, the owner is told once (how many wait, since when, the
//! kind of the last error: never an address); once more when the outbox clears.
//!
//! Her alert goes through the same outbox: while the mail server is down it waits with
//! the others and leaves when the server is back, followed by the "cleared" one. Pure:
//! the queue, whether she was told, and "now" are inputs.

use chrono::{DateTime, Duration, Utc};

use super::alerts::notice;
use crate::cases::Change;
use crate::letters::{LetterError, Letters};
use crate::rules::ZONE;

/// How long the oldest letter may fail before the owner is told.
pub const STUCK_AFTER: Duration = Duration::hours(1);

/// The outbox as this alert sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queue {
    /// Letters waiting to be sent.
    pub waiting: usize,
    /// When the oldest waiting letter that has failed at least once was queued.
    pub failing_since: Option<DateTime<Utc>>,
    /// Its last error, as the sender reported it.
    pub last_error: Option<String>,
}

/// What to tell the owner about the outbox now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alert {
    /// The oldest letter has failed to leave for [`STUCK_AFTER`]; she was not told yet.
    Stuck,
    /// She was told, and no letter has been failing that long any more.
    Cleared,
}

/// Whether to tell the owner something; `told`: she was told the outbox is stuck.
pub fn alert(queue: &Queue, told: bool, now: DateTime<Utc>) -> Option<Alert> {
    let stuck = queue
        .failing_since
        .is_some_and(|since| now - since >= STUCK_AFTER);
    match (stuck, told) {
        (true, false) => Some(Alert::Stuck),
        (false, true) => Some(Alert::Cleared),
        _ => None,
    }
}

/// The kind of a send error, in the owner's words and with the key to check: the error's
/// own text can name an address (a 550 about a recipient), so it is never quoted.
pub fn error_class(error: &str) -> &'static str {
    let e = error.to_ascii_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| e.contains(w));
    if any(&["auth", "535", "credential", "password", "secret", "login"]) {
        "inloggen bij de mailserver lukt niet (controleer smtp.user en het wachtwoord)"
    } else if any(&["tls", "certificate", "handshake"]) {
        "de versleutelde verbinding (TLS) lukt niet (controleer smtp.tls en smtp.ca_file)"
    } else if any(&[
        "connect",
        "refused",
        "timed out",
        "timeout",
        "resolve",
        "lookup",
        "unreachable",
        "network",
        "broken pipe",
        "reset",
    ]) {
        "geen verbinding met de mailserver (controleer smtp.host en smtp.port)"
    } else if e.starts_with("permanent") {
        "de mailserver weigert de brieven (een 5xx-antwoord)"
    } else if e.starts_with("transient") {
        "de mailserver weigert de brieven voorlopig (een 4xx-antwoord)"
    } else {
        "onbekend"
    }
}

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&ZONE).format("%d-%m-%Y %H:%M").to_string()
}

/// The owner's notice that the outbox is stuck.
pub fn stuck(queue: &Queue, letters: &Letters, now: DateTime<Utc>) -> Result<Change, LetterError> {
    let since = queue.failing_since.map(local).unwrap_or_default();
    let class = queue.last_error.as_deref().map_or("onbekend", error_class);
    let waiting = match queue.waiting {
        1 => "1 brief wacht".to_string(),
        n => format!("{n} brieven wachten"),
    };
    let reason = format!(
        "klachtd kan sinds {since} geen brieven versturen: {waiting} in de uitgaande post. \
         Er gaat niets verloren; klachtd blijft het proberen en verstuurt ze zodra het weer \
         lukt. Intussen krijgen klagers geen ontvangstbevestiging (art. 4.1).\n\n\
         De laatste fout: {class}.\n\n\
         Controleer de verbinding ([smtp] in de configuratie) met:\n\n\
         \x20   klachtd config check\n\n\
         Ziet u dit bericht pas nu, dan werkt het versturen weer: een tweede bericht meldt \
         dat de uitgaande post weer vrij is."
    );
    notice("de uitgaande post staat vast", &reason, letters, now)
}

/// The owner's notice that the outbox is clear again.
pub fn cleared(
    told_at: DateTime<Utc>,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    let reason = format!(
        "klachtd kan weer brieven versturen (gemeld als vastgelopen op {}). De brieven \
         die wachtten zijn verstuurd of worden nu verstuurd.",
        local(told_at)
    );
    notice("de uitgaande post is weer vrij", &reason, letters, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::sample_settings;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn failing(since: &str) -> Queue {
        Queue {
            waiting: 3,
            failing_since: Some(at(since)),
            last_error: Some(
                "transient: Connection error: Connection refused (os error 111)".into(),
            ),
        }
    }

    #[test]
    fn told_after_an_hour_once_and_once_when_it_clears() {
        let now = at("2026-11-16T10:00:00Z");
        // failing for 59 minutes: nothing yet
        assert_eq!(alert(&failing("2026-11-16T09:01:00Z"), false, now), None);
        // an hour: stuck, once
        assert_eq!(
            alert(&failing("2026-11-16T09:00:00Z"), false, now),
            Some(Alert::Stuck)
        );
        assert_eq!(alert(&failing("2026-11-16T09:00:00Z"), true, now), None);
        // letters waiting that never failed (just queued) are not stuck
        let fresh = Queue {
            waiting: 5,
            ..Queue::default()
        };
        assert_eq!(alert(&fresh, false, now), None);
        // cleared: the queue empty, or only letters failing for less than an hour
        assert_eq!(alert(&Queue::default(), true, now), Some(Alert::Cleared));
        assert_eq!(
            alert(&failing("2026-11-16T09:30:00Z"), true, now),
            Some(Alert::Cleared)
        );
        assert_eq!(alert(&Queue::default(), false, now), None);
    }

    #[test]
    fn the_error_is_named_by_its_kind_never_quoted() {
        for (error, want) in [
            (
                "transient: Connection error: Connection refused (os error 111)",
                "geen verbinding",
            ),
            ("transient: network: timed out", "geen verbinding"),
            ("transient: 535 5.7.8 authentication failed", "inloggen"),
            ("transient: smtp secret: no such file", "inloggen"),
            (
                "transient: tls: invalid peer certificate: UnknownIssuer",
                "TLS",
            ),
            (
                "transient: 451 4.3.0 <jan@example.nl>: temporary failure",
                "voorlopig",
            ),
            ("permanent: 550 5.1.1 <jan@example.nl>: no such user", "5xx"),
            ("iets anders", "onbekend"),
        ] {
            let class = error_class(error);
            assert!(class.contains(want), "{error}: {class}");
            assert!(!class.contains('@'));
        }
    }

    #[test]
    fn the_notices_name_count_time_and_kind_and_no_address() {
        let letters = Letters::new(&sample_settings()).unwrap();
        let mut queue = failing("2026-11-16T08:00:00Z");
        queue.last_error = Some("permanent: 550 5.1.1 <jan@example.nl>: no such user".into());
        let change = stuck(&queue, &letters, at("2026-11-16T10:00:00Z")).unwrap();
        assert_eq!(change.outgoing.len(), 1);
        let mail = &change.outgoing[0];
        assert!(!mail.to_complainant && mail.case.is_none());
        let text = String::from_utf8_lossy(&mail.raw).replace("=\r\n", "");
        assert!(text.contains("3 brieven wachten"), "{text}");
        assert!(
            text.contains("16-11-2026 09:00"),
            "since, in Amsterdam: {text}"
        );
        assert!(text.contains("5xx"), "{text}");
        assert!(!text.contains("jan@example.nl"), "{text}");
        let change = cleared(
            at("2026-11-16T10:00:00Z"),
            &letters,
            at("2026-11-16T12:00:00Z"),
        )
        .unwrap();
        let text = String::from_utf8_lossy(&change.outgoing[0].raw).replace("=\r\n", "");
        assert!(
            text.contains("weer vrij") && text.contains("16-11-2026 11:00"),
            "{text}"
        );
    }
}
