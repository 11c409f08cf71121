//! The send-retry policy: after a failed attempt, when to try again, or whether to give
//! up (and alert the owner). Pure: the attempt count, the error, whose mail it is, the
//! settings, "now" and the jitter are inputs.
//!
//! - A transient error (network, 4xx) is retried with exponential backoff from 30 s,
//!   capped at one hour ([`next_attempt`]), plus up to a quarter of that as jitter, so
//!   that mails queued together do not all hit a recovering server at once.
//! - A letter to the complainant is given up after a permanent error (5xx) or
//!   `max_attempts` attempts; the owner is then alerted.
//! - The owner's own mail is retried without end: there is nobody else to alert.

use chrono::{DateTime, Duration, Utc};

use super::SendError;

/// The retry settings, from the config once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendPolicy {
    /// Attempts after which a letter to the complainant is given up (at least 1).
    pub max_attempts: u32,
}

impl SendPolicy {
    pub fn new(max_attempts: u32) -> SendPolicy {
        SendPolicy {
            max_attempts: max_attempts.max(1),
        }
    }
}

/// What to do with a mail whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at `at`.
    Retry { at: DateTime<Utc> },
    /// Give up: the mail failed for good and the owner is to be alerted.
    GiveUp,
}

/// Seconds to wait before attempt `attempt` (1-based) of a mail: exponential from 30 s,
/// capped at one hour. Jitter is added by [`after_failure`].
pub fn next_attempt(attempt: u32) -> u64 {
    let exp = attempt.saturating_sub(1).min(7);
    (30u64 << exp).min(3600)
}

/// After the failed attempt number `attempts` (1-based) at `now`: when to try again, or
/// give up. `to_owner`: the mail is the owner's. `jitter` gets the largest jitter in
/// seconds and returns the one to add (from 0 to that); the daemon picks it at random.
pub fn after_failure(
    policy: &SendPolicy,
    attempts: u32,
    error: &SendError,
    to_owner: bool,
    now: DateTime<Utc>,
    jitter: impl FnOnce(i64) -> i64,
) -> AfterFailure {
    let permanent = matches!(error, SendError::Permanent(_));
    if !to_owner && (permanent || attempts >= policy.max_attempts) {
        return AfterFailure::GiveUp;
    }
    let wait = next_attempt(attempts) as i64;
    AfterFailure::Retry {
        at: now + Duration::seconds(wait + jitter(wait / 4)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-02T10:00:00Z".parse().unwrap()
    }

    fn transient() -> SendError {
        SendError::Transient("421 try later".into())
    }

    fn permanent() -> SendError {
        SendError::Permanent("550 no such user".into())
    }

    #[test]
    fn backoff_doubles_from_30_seconds_up_to_an_hour() {
        let waits: Vec<u64> = (1..=9).map(next_attempt).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(next_attempt(0), 30);
        assert_eq!(next_attempt(u32::MAX), 3600);
    }

    #[test]
    fn a_transient_error_is_retried_with_jitter_up_to_a_quarter() {
        let policy = SendPolicy::new(5);
        let seconds = |r: AfterFailure| match r {
            AfterFailure::Retry { at } => (at - now()).num_seconds(),
            AfterFailure::GiveUp => panic!("gave up"),
        };
        let mut asked = None;
        let r = after_failure(&policy, 3, &transient(), false, now(), |max| {
            asked = Some(max);
            max
        });
        assert_eq!(asked, Some(30));
        assert_eq!(seconds(r), 150);
        assert_eq!(
            seconds(after_failure(&policy, 1, &transient(), false, now(), |_| 0)),
            30
        );
    }

    #[test]
    fn a_letter_to_the_complainant_is_given_up_when_refused_or_after_the_last_attempt() {
        let policy = SendPolicy::new(3);
        let none = |_| 0;
        assert_eq!(
            after_failure(&policy, 1, &permanent(), false, now(), none),
            AfterFailure::GiveUp
        );
        assert!(matches!(
            after_failure(&policy, 2, &transient(), false, now(), none),
            AfterFailure::Retry { .. }
        ));
        assert_eq!(
            after_failure(&policy, 3, &transient(), false, now(), none),
            AfterFailure::GiveUp
        );
    }

    #[test]
    fn the_owners_mail_is_retried_without_end() {
        let policy = SendPolicy::new(3);
        for error in [transient(), permanent()] {
            assert_eq!(
                after_failure(&policy, 1000, &error, true, now(), |_| 0),
                AfterFailure::Retry {
                    at: now() + Duration::seconds(3600)
                }
            );
        }
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(SendPolicy::new(0).max_attempts, 1);
        assert_eq!(
            after_failure(&SendPolicy::new(0), 1, &transient(), false, now(), |_| 0),
            AfterFailure::GiveUp
        );
    }
}
