//! `klachtd init --key-file FILE`: the key of the owner's commands by mail (issue 11).

use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::Context as _;
use klachtd::procedure::owner::token::TokenKey;

pub fn run(file: &Path) -> anyhow::Result<()> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading /dev/urandom")?;
    let key = TokenKey::new(bytes);
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)
        .with_context(|| {
            format!(
                "creating {} (an existing key is never replaced)",
                file.display()
            )
        })?;
    writeln!(out, "{}", key.to_hex()).with_context(|| format!("writing {}", file.display()))?;
    out.sync_all()?;
    println!(
        "Wrote the key to {}. Put `key_file = \"{}\"` in [owner_commands]; keep the file \
         outside the store and out of backups that others can read.",
        file.display(),
        file.display()
    );
    Ok(())
}
