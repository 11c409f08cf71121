//! The outbox stuck for an hour, as the owner hears of it (issue 8.4): checked after each
//! pass of the sender, told once and once when it clears (`procedure::stuck` decides;
//! the store remembers that she was told, across restarts).

use chrono::{DateTime, Utc};
use tracing::{info, warn};

use super::{ChangeError, Registry};
use crate::procedure::stuck::{self, Alert};
use crate::store::keys::OUTBOX_STUCK;

impl Registry {
    /// Tells the owner when the oldest waiting letter has failed to leave for an hour,
    /// and when the outbox is clear again; what it told, if anything. Her notice is
    /// queued like any letter: with the mail server down it waits and goes when the
    /// server is back, before the "cleared" one.
    pub fn watch_outbox(&self) -> Result<Option<Alert>, ChangeError> {
        let now = self.clock.now();
        let queue = self.store.stuck_queue()?;
        let told: Option<DateTime<Utc>> = self
            .store
            .meta_get::<Option<DateTime<Utc>>>(OUTBOX_STUCK)?
            .flatten();
        let Some(alert) = stuck::alert(&queue, told.is_some(), now) else {
            return Ok(None);
        };
        let change = match alert {
            Alert::Stuck => stuck::stuck(&queue, &self.letters, now)?,
            Alert::Cleared => stuck::cleared(told.unwrap_or(now), &self.letters, now)?,
        };
        self.store
            .commit(None, None, now, |_| Ok::<_, ChangeError>(change.clone()))?;
        // After the commit: a crash in between tells her twice rather than never.
        let state = match alert {
            Alert::Stuck => Some(now),
            Alert::Cleared => None,
        };
        self.store.meta_put(OUTBOX_STUCK, &state)?;
        match alert {
            Alert::Stuck => warn!(
                waiting = queue.waiting,
                "letters have failed to leave for an hour; the owner is told"
            ),
            Alert::Cleared => info!("the outbox is clear again; the owner is told"),
        }
        Ok(Some(alert))
    }
}
