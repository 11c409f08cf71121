//! `klachtd purge [--dry-run]`: the cases whose retention period is over, erased.

use klachtd::config::Config;
use klachtd::control::{Request, Response};

pub fn run(config: &Config, dry_run: bool) -> anyhow::Result<()> {
    let purged = match super::ask(config, &Request::Purge { dry_run })? {
        Response::Purged(purged) => purged,
        other => return Err(super::unexpected(&other)),
    };
    for c in &purged.cases {
        println!(
            "{}  ended {}  retention ended {}",
            c.number, c.ended, c.erase_from
        );
    }
    match (dry_run, purged.cases.len()) {
        (true, n) => println!("{n} case(s) would be erased (dry run: nothing was changed)"),
        (false, n) => println!("{n} case(s) erased"),
    }
    Ok(())
}
