//! The owner's alerts about the machinery rather than a deadline: a letter that could not
//! be sent, a mail set aside, a notice about the mailbox. Pure: what happened, the letter
//! writer and "now" are inputs.

use chrono::{DateTime, Utc};
use minijinja::{Value, context};

use crate::cases::{Case, Change};
use crate::domain::{LetterKind, Outgoing};
use crate::letters::{LetterError, Letters};

/// A change that only tells the owner something: one letter, tied to no case.
fn to_owner(
    kind: LetterKind,
    ctx: Value,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    Ok(Change {
        outgoing: vec![letters.write(kind, None, ctx, now)?],
        ..Change::default()
    })
}

/// Tells the owner something that is about no case (the mailbox itself).
pub fn notice(
    title: &str,
    reason: &str,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    to_owner(
        LetterKind::OwnerNotice,
        context! { title, reason },
        letters,
        now,
    )
}

/// Tells the owner why a mail was set aside; `hash` is the stored mail's (SHA-256, hex),
/// of which the letter names the start.
pub fn set_aside(
    reason: &str,
    subject: Option<&str>,
    hash: &str,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    to_owner(
        LetterKind::OwnerSetAside,
        context! { reason, subject, mail => &hash[..hash.len().min(16)] },
        letters,
        now,
    )
}

/// Tells the owner that a `letter` of `case` could not be sent after `attempts`
/// attempts, the last failing with `error`.
pub fn send_failed(
    case: Option<&Case>,
    letter: LetterKind,
    attempts: u32,
    error: Option<&str>,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Outgoing, LetterError> {
    let reason = format!(
        "de {} kon niet worden verzonden na {} poging(en): {}",
        letter.key(),
        attempts,
        error.unwrap_or("onbekende fout")
    );
    letters.write(
        LetterKind::OwnerSendFailed,
        case,
        context! { reason, letter => letter.key() },
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::{sample_case, sample_settings};

    fn now() -> DateTime<Utc> {
        "2026-11-02T10:00:00Z".parse().unwrap()
    }

    fn text(mail: &Outgoing) -> String {
        String::from_utf8_lossy(&mail.raw).replace("=\r\n", "")
    }

    #[test]
    fn the_alerts_go_to_the_owner() {
        let letters = Letters::new(&sample_settings()).unwrap();
        let case = sample_case();
        let failed = send_failed(
            Some(&case),
            LetterKind::Acknowledgement,
            3,
            Some("550 no such user"),
            &letters,
            now(),
        )
        .unwrap();
        assert_eq!(failed.kind, LetterKind::OwnerSendFailed);
        assert_eq!(failed.case, Some(case.number));
        assert!(!failed.to_complainant);
        let body = text(&failed);
        assert!(body.contains("na 3 poging(en): 550 no such user"), "{body}");
        let hash = "0123456789abcdef0123456789abcdef";
        for change in [
            set_aside("unreadable", Some("Klacht"), hash, &letters, now()).unwrap(),
            notice("titel", "reden", &letters, now()).unwrap(),
        ] {
            assert!(change.case.is_none() && change.marks.is_empty());
            assert_eq!(change.outgoing.len(), 1);
            assert!(!change.outgoing[0].to_complainant);
            assert_eq!(change.outgoing[0].case, None);
        }
    }
}
