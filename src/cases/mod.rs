//! The case: a complaint's record, its state in the procedure and its append-only log.
//!
//! Pure: what a mail or an action does to a case is computed here as a [`Change`];
//! the store makes it durable in one transaction.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::intake::{Category, Fields};
use crate::letters::Outgoing;
use crate::rules::{Field, Window};

/// `KL-YYYY-NNNN`: the year of receipt and a per-year sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CaseNumber {
    pub year: i32,
    pub seq: u32,
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KL-{:04}-{:04}", self.year, self.seq)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a case number (expected KL-YYYY-NNNN): {0:?}")]
pub struct BadCaseNumber(pub String);

impl FromStr for CaseNumber {
    type Err = BadCaseNumber;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadCaseNumber(s.to_string());
        let rest = s
            .trim()
            .strip_prefix("KL-")
            .or_else(|| s.trim().strip_prefix("kl-"))
            .ok_or_else(bad)?;
        let (year, seq) = rest.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || seq.is_empty() || seq.len() > 6 {
            return Err(bad());
        }
        let year = year.parse().map_err(|_| bad())?;
        let seq = seq.parse().map_err(|_| bad())?;
        if seq == 0 {
            return Err(bad());
        }
        Ok(CaseNumber { year, seq })
    }
}

impl Serialize for CaseNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CaseNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a case is in the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Received,
    /// Incomplete: the complainant was asked for what is missing.
    AwaitingInformation,
    Acknowledged,
    /// The complainant's explanation was heard (art. 4.3).
    HearingHeld,
    /// The report of the hearing went out (art. 4.3).
    ReportSent,
    /// The decision will take longer; the complainant was told when (art. 5.1).
    Extended,
    Decided,
    Closed,
    /// Withdrawn, or no further need (art. 5 Afronding 1).
    Withdrawn,
    /// Outside the 1-month window, until the owner accepts or declines it.
    Late,
    /// The owner declined a late complaint.
    Declined,
    /// Referred to the independent commission (art. 5.2).
    Referred,
}

impl State {
    /// Open cases are the ones the owner still has to act on.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            State::Closed | State::Withdrawn | State::Declined | State::Referred
        )
    }
}

/// Who did something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    System,
    Owner,
    Complainant,
}

/// One entry of a case's append-only log. `detail` never carries complaint text in logs:
/// it lives in the store only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EventKind {
    /// The complaint mail arrived (the mail's content hash).
    Received {
        mail: String,
    },
    /// A follow-up from the complainant arrived; lists the fields it filled.
    FollowUp {
        mail: String,
        filled: Vec<Field>,
    },
    /// A letter was queued for sending (its Message-ID).
    Answered {
        letter: String,
        message_id: String,
    },
    /// The owner was notified.
    OwnerNotified {
        message_id: String,
    },
    StateChanged {
        from: State,
        to: State,
    },
    Note,
}

/// A mail that belongs to a case, kept byte for byte in the store under its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRef {
    pub hash: String,
    pub message_id: Option<String>,
    pub received: DateTime<Utc>,
    pub direction: Direction,
    pub subject: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

/// A complaint case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub number: CaseNumber,
    pub state: State,
    /// When the complaint arrived: the procedure's deadlines count from here.
    pub received: DateTime<Utc>,
    /// The dagtekening of the complaint mail (art. 3.2b).
    pub sent_date: NaiveDate,
    /// Where the complainant is written to (the From, or Reply-To, of the complaint).
    pub reply_address: String,
    pub fields: Fields,
    pub missing: Vec<Field>,
    pub window: Window,
    pub category: Option<Category>,
    pub serious: bool,
    pub subject: String,
    /// Message-IDs of the thread, oldest first: replies carry them in References.
    pub thread: Vec<String>,
    pub mails: Vec<MailRef>,
    pub events: Vec<Event>,
}

impl Case {
    /// Records a state change (and the event that says so).
    pub fn set_state(&mut self, to: State, at: DateTime<Utc>, actor: Actor) {
        if self.state != to {
            self.events.push(Event {
                at,
                actor,
                kind: EventKind::StateChanged {
                    from: self.state,
                    to,
                },
                detail: None,
            });
            self.state = to;
        }
    }
}

/// Everything one mail or action changes, made durable in one store transaction.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// The case as it is after the change (new or updated).
    pub case: Option<Case>,
    /// Whether `case` is new: its number was allocated for it.
    pub new_case: bool,
    /// Outgoing mails, queued in the same transaction.
    pub outgoing: Vec<Outgoing>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_number_round_trip() {
        let n: CaseNumber = "KL-2026-0007".parse().unwrap();
        assert_eq!(n, CaseNumber { year: 2026, seq: 7 });
        assert_eq!(n.to_string(), "KL-2026-0007");
        assert_eq!(
            CaseNumber {
                year: 2026,
                seq: 12345
            }
            .to_string(),
            "KL-2026-12345"
        );
        for bad in [
            "",
            "KL-2026",
            "KL-26-0001",
            "KL-2026-0000",
            "XX-2026-0001",
            "KL-2026-abcd",
        ] {
            assert!(bad.parse::<CaseNumber>().is_err(), "{bad}");
        }
    }
}
pub mod intake {}
