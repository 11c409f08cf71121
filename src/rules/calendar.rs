//! Dutch working days: weekends and the public holidays of the Algemene termijnenwet,
//! computed from the date of Easter, plus the company's own closing days.

use serde::Deserialize;

/// Which holidays count, and the company's own closing days.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {}
