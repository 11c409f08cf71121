//! Retention (introduction of the procedure: complaints are "voor duur van 2 jaar
//! bewaard"). Product decision (PROCEDURE.md): 2 years after a case left the procedure
//! (closed, withdrawn, declined, referred), the case and everything holding its personal
//! data are erased; the erasure is logged with the case number only, and a tombstone
//! with the date stays in the store.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tracing::info;

use crate::cases::Case;
use crate::domain::CaseNumber;
use crate::registry::Registry;
use crate::rules::calendar::local_date;
use crate::rules::deadlines::retention_until;
use crate::store::{Store, StoreError};

/// A case whose retention period is over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expired {
    pub number: CaseNumber,
    /// The day it left the procedure (Amsterdam).
    pub ended: NaiveDate,
    /// The day its retention period ended: from this day on it is erased.
    pub erase_from: NaiveDate,
}

/// The cases to erase on `today`: ended, and their retention date reached. Open cases
/// are kept, however old.
pub fn expired(cases: &[Case], today: NaiveDate) -> Vec<Expired> {
    cases
        .iter()
        .filter_map(|c| {
            let ended = c.ended_at()?;
            let erase_from = retention_until(ended);
            (erase_from <= today).then(|| Expired {
                number: c.number,
                ended: local_date(ended),
                erase_from,
            })
        })
        .collect()
}

/// Erases (or, with `dry_run`, lists) the expired cases at `now` (the owner's `klachtd
/// purge`). Each erasure is one transaction; the log line names the case number only.
pub fn purge(
    registry: &Registry,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Vec<Expired>, StoreError> {
    erase_expired(&registry.cases()?, now, dry_run, |n| {
        registry.erase_case(n, now)
    })
}

/// The daily job: erases the expired cases of `store` at `now`, as [`purge`] does.
pub fn purge_store(store: &Store, now: DateTime<Utc>) -> Result<Vec<Expired>, StoreError> {
    erase_expired(&store.cases()?, now, false, |n| store.erase_case(n, now))
}

/// Erases with `erase` (or, with `dry_run`, lists) the expired among `cases`.
fn erase_expired(
    cases: &[Case],
    now: DateTime<Utc>,
    dry_run: bool,
    erase: impl Fn(CaseNumber) -> Result<bool, StoreError>,
) -> Result<Vec<Expired>, StoreError> {
    let expired = expired(cases, local_date(now));
    if dry_run {
        return Ok(expired);
    }
    for e in &expired {
        if erase(e.number)? {
            info!(case = %e.number, "retention: case erased (2 years after closing)");
        }
    }
    Ok(expired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::State;
    use crate::letters::sample_case;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn two_years_after_the_end() {
        let mut closed = sample_case();
        closed.state = State::Closed;
        closed.closed_at = Some(utc("2026-12-01T10:00:00Z"));
        let mut open = sample_case();
        open.number.seq = 2;
        open.received = utc("2020-01-01T10:00:00Z");
        let cases = [closed, open];
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(expired(&cases, day("2028-11-30")).is_empty());
        assert_eq!(
            expired(&cases, day("2028-12-01")),
            [Expired {
                number: cases[0].number,
                ended: day("2026-12-01"),
                erase_from: day("2028-12-01"),
            }]
        );
    }
}
