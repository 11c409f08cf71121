//! `klachtd status`: how the daemon is doing. What only the running daemon knows (since
//! when it is connected, its last error, its last successful poll) is [`Live`], kept by
//! the intake loop and answered over the control socket; the rest comes from the store
//! (the outbox, the open cases and their deadlines, the mails set aside), so the same
//! figures are shown when no daemon runs.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::procedure::schedule::{AckStatus, digest_rows};
use crate::rules::calendar::{Calendar, local_date};
use crate::store::{Disposition, Store, StoreError};

/// What the running daemon knows of its connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Live {
    /// Since when the mailbox answers (None: not now).
    pub connected_since: Option<DateTime<Utc>>,
    /// The last failure of a pass over the mailbox: when, and what.
    pub last_error: Option<(DateTime<Utc>, String)>,
    /// The end of the last pass over the mailbox that worked.
    pub last_poll: Option<DateTime<Utc>>,
}

/// [`Live`], shared by the intake loop (which writes it) and the control socket.
pub type SharedLive = Arc<Mutex<Live>>;

impl Live {
    /// A pass over the mailbox worked at `now`.
    pub fn polled(live: &SharedLive, now: DateTime<Utc>) {
        if let Ok(mut l) = live.lock() {
            l.connected_since.get_or_insert(now);
            l.last_poll = Some(now);
        }
    }

    /// A pass over the mailbox failed at `now` (`error`: no personal data, as logged).
    pub fn failed(live: &SharedLive, now: DateTime<Utc>, error: String) {
        if let Ok(mut l) = live.lock() {
            l.connected_since = None;
            l.last_error = Some((now, error));
        }
    }
}

/// The answer of `klachtd status` (and its `--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// Whether a running daemon answered (else: the store, read directly).
    pub daemon_running: bool,
    /// The mailbox answers now (false when no daemon runs).
    pub connected: bool,
    pub connected_since: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub last_poll: Option<DateTime<Utc>>,
    /// Letters waiting to be sent, and when the oldest of them was queued.
    pub outbox_queued: usize,
    pub outbox_oldest: Option<DateTime<Utc>>,
    /// Letters given up on (the owner was alerted).
    pub outbox_failed: usize,
    /// Open cases (historical ones included), and of them the historical ones.
    pub open_cases: usize,
    pub historical_cases: usize,
    /// Open cases whose next deadline falls within the coming 7 days (today included).
    pub due_this_week: usize,
    /// Open cases with a deadline passed.
    pub overdue: usize,
    /// Mails set aside for the owner (kept in the set-aside folder).
    pub set_aside: usize,
    /// When these figures were read.
    pub at: DateTime<Utc>,
}

/// The figures from the store at `now`; `live` from the running daemon, if it is one.
pub fn from_store(
    store: &Store,
    calendar: &Calendar,
    live: Option<&Live>,
    now: DateTime<Utc>,
) -> Result<Status, StoreError> {
    let outbox = store.outbox_summary()?;
    let cases = store.open_cases()?;
    let mut acks = std::collections::HashMap::new();
    for case in &cases {
        acks.insert(case.number, crate::scheduler::ack_status(store, case)?);
    }
    let rows = digest_rows(
        &cases,
        |n| acks.get(&n).copied().unwrap_or(AckStatus::Missing),
        calendar,
    );
    let today = local_date(now);
    let week = today + chrono::Days::new(7);
    let next: Vec<_> = rows.iter().filter_map(|r| r.next.map(|(_, d)| d)).collect();
    let overdue = next.iter().filter(|d| **d < today).count();
    let due_this_week = next.iter().filter(|d| **d >= today && **d < week).count();
    let set_aside = store.mail_records(Disposition::SetAside)?.len();
    let live = live.cloned();
    Ok(Status {
        daemon_running: live.is_some(),
        connected: live.as_ref().is_some_and(|l| l.connected_since.is_some()),
        connected_since: live.as_ref().and_then(|l| l.connected_since),
        last_error: live
            .as_ref()
            .and_then(|l| l.last_error.as_ref().map(|e| e.1.clone())),
        last_error_at: live
            .as_ref()
            .and_then(|l| l.last_error.as_ref().map(|e| e.0)),
        last_poll: live.as_ref().and_then(|l| l.last_poll),
        outbox_queued: outbox.queued,
        outbox_oldest: outbox.oldest,
        outbox_failed: outbox.failed,
        open_cases: cases.len(),
        historical_cases: cases.iter().filter(|c| c.historical).count(),
        due_this_week,
        overdue,
        set_aside,
        at: now,
    })
}

/// What the control socket needs to answer [`crate::control::Request::Status`]: the
/// store and calendar the daemon runs on, and its [`Live`].
#[derive(Clone)]
pub struct Source {
    pub store: Arc<Store>,
    pub calendar: Calendar,
    pub live: SharedLive,
}

impl Source {
    pub fn status(&self, now: DateTime<Utc>) -> Result<Status, StoreError> {
        let live = self.live.lock().map(|l| l.clone()).unwrap_or_default();
        from_store(&self.store, &self.calendar, Some(&live), now)
    }
}
