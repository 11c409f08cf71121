//! The procedure's rules as pure functions of their inputs: what a complaint must
//! contain (art. 3.2), the 1-month window (art. 3.1), the dagtekening (art. 3.2b), the
//! Dutch working-day calendar and the deadlines of art. 4 and 5.

pub mod calendar;
pub mod completeness;
pub mod deadlines;
pub mod reminders;
pub mod window;

pub use completeness::{Field, missing};
pub use window::{Window, sent_date, window, window_of_period};

/// The procedure's time zone: every date the procedure speaks of is a date here.
pub const ZONE: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;
