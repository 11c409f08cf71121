//! `klachtd rebuild [--json]`: a lost store re-created from the mail server, and the
//! report of what was rebuilt and what cannot be known.

use klachtd::clock::Clock;
use klachtd::config::Config;

pub fn run(config: &Config, json: bool) -> anyhow::Result<()> {
    let rt = super::runtime()?;
    let rebuilt = rt.block_on(klachtd::rebuild::rebuild(config, Clock::system()))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rebuilt)?);
    } else {
        print!("{}", rebuilt.text());
    }
    Ok(())
}
