//! `klachtd export --output F`: the whole store as one archive (see
//! `klachtd::store::archive`), written by the running daemon through its control socket,
//! or from the store when none runs.

use std::path::Path;

use klachtd::config::Config;
use klachtd::control::{Request, Response};

pub fn run(config: &Config, output: &Path) -> anyhow::Result<()> {
    if !config.store.path.exists() {
        anyhow::bail!(
            "no store at {} yet: klachtd has not run with this config (store.path)",
            config.store.path.display()
        );
    }
    // The daemon writes the file: a path of the CLI's working directory means nothing
    // to it.
    let path = std::path::absolute(output)?;
    let (answer, via_daemon) = super::ask_via(config, &Request::Export { path })?;
    let archived = match answer {
        Response::Exported(archived) => archived,
        other => return Err(super::unexpected(&other)),
    };
    println!(
        "exported {} case(s), {} record(s) and {} file(s) to {} ({:.1} MiB, sha256 {}), {}",
        archived.header.cases(),
        archived.header.trees.values().sum::<u64>(),
        archived.header.file_count(),
        archived.path.display(),
        archived.size as f64 / 1048576.0,
        archived.sha256,
        if via_daemon {
            "by the running daemon"
        } else {
            "from the store (no daemon running)"
        }
    );
    // For `klachtd bench --archive`.
    tracing::debug!(
        peak_memory_kib = klachtd::daemon::peak_rss_kib(),
        "export done"
    );
    Ok(())
}
