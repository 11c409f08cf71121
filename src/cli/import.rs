//! `klachtd import F`: an archive of `klachtd export` restored into the config's store,
//! which must be empty and not in use (stop the daemon first).

use std::path::Path;

use klachtd::config::Config;
use klachtd::control::{self, Request};
use klachtd::store::archive::{self, ArchiveError};

pub fn run(config: &Config, file: &Path) -> anyhow::Result<()> {
    let store = &config.store.path;
    let rt = super::runtime()?;
    if rt
        .block_on(control::request(store, &Request::Status))?
        .is_some()
    {
        anyhow::bail!(
            "a klachtd daemon is running on the store {}: stop it first (systemctl stop klachtd), then import",
            store.display()
        );
    }
    let imported = match archive::import(
        file,
        store,
        config.store.cache_mib,
        &config.store_key_file(),
    ) {
        Ok(imported) => imported,
        // The archive holds the store's bytes as stored: an encrypted store's archive
        // opens only with its own key material.
        Err(e @ ArchiveError::Store(_)) => {
            return Err(anyhow::Error::new(e).context(format!(
                "importing {} into {} (an archive of an encrypted store needs the same [store] key_file)",
                file.display(),
                store.display()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    println!(
        "imported {} case(s), {} record(s) and {} file(s) into {} (archive of {}, schema {}); the daemon can start on it",
        imported.header.cases(),
        imported.header.trees.values().sum::<u64>(),
        imported.header.file_count(),
        store.display(),
        imported.header.created.format("%Y-%m-%d %H:%M:%S UTC"),
        imported.header.schema,
    );
    // For `klachtd bench --archive`.
    tracing::debug!(
        peak_memory_kib = klachtd::daemon::peak_rss_kib(),
        "import done"
    );
    Ok(())
}
