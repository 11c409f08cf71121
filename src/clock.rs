//! The one reader of the wall clock. Everything else takes "now" as an argument, so
//! tests can move time (clippy.toml bans the direct clock reads elsewhere).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// Where "now" comes from: the system, or a clock a test sets.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock that stands still at `at` until moved.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            Some(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
            #[allow(clippy::disallowed_methods)] // the one place that may
            None => Utc::now(),
        }
    }

    /// Moves a fixed clock (a no-op on the system clock).
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.fixed {
            let mut at = at.lock().unwrap_or_else(|e| e.into_inner());
            *at += by;
        }
    }

    /// Sets a fixed clock (a no-op on the system clock).
    pub fn set(&self, to: DateTime<Utc>) {
        if let Some(at) = &self.fixed {
            *at.lock().unwrap_or_else(|e| e.into_inner()) = to;
        }
    }
}
