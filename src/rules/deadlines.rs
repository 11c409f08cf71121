//! The deadlines of a case: acknowledgement (art. 4.1), internal target (introduction),
//! decision (art. 5.1), retention (introduction).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::ZONE;
use super::calendar::Calendar;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    pub acknowledge_by: NaiveDate,
    pub target: NaiveDate,
    pub decide_by: NaiveDate,
}

pub fn deadlines(
    received: DateTime<Utc>,
    calendar: &Calendar,
    extended_to: Option<NaiveDate>,
) -> Deadlines {
    let day = received.with_timezone(&ZONE).date_naive();
    Deadlines {
        acknowledge_by: calendar.add_working_days(day, 5),
        target: day + Duration::days(21),
        decide_by: extended_to.unwrap_or(day + Duration::days(28)),
    }
}
