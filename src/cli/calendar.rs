//! `klachtd calendar --received DAY`: a complaint's deadlines worked out by hand.

use chrono::NaiveDate;
use klachtd::config::Config;
use klachtd::rules::calendar::Calendar;
use klachtd::rules::deadlines::deadline_calendar;

pub fn run(config: &Config, received: NaiveDate, json: bool) -> anyhow::Result<()> {
    let sheet = deadline_calendar(received, &Calendar::new(&config.calendar));
    if json {
        // In the order of the fields: `received` first, then the three deadlines.
        println!("{}", serde_json::to_string(&sheet)?);
    } else {
        print!("{sheet}");
    }
    Ok(())
}
