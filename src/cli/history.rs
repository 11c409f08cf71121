//! `klachtd history --since DATE [--dry-run]`: old mail taken in quietly.

use chrono::NaiveDate;
use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::rules::ZONE;

pub fn run(config: &Config, since: NaiveDate, dry_run: bool) -> anyhow::Result<()> {
    let rt = super::runtime()?;
    let history = rt.block_on(klachtd::history::take_in(
        config,
        Clock::system(),
        since,
        dry_run,
    ))?;
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&ZONE).format("%Y-%m-%d %H:%M");
    for m in &history.mails {
        println!("{}  arrived {}  {}", m.id, local(m.arrived), m.outcome);
    }
    let n = history.mails.len();
    let span = format!(
        "from {} until {}",
        local(history.from),
        local(history.until)
    );
    if dry_run {
        println!("{n} mail(s) {span} would be taken in quietly (dry run: nothing was changed)");
    } else {
        println!(
            "{n} mail(s) {span} taken in quietly: {} new case(s), marked historical; no letters sent",
            history.new_cases
        );
    }
    Ok(())
}
