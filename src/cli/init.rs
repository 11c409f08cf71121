//! `klachtd init [--dir D] [--key-file F]` and `klachtd config check`.

use std::path::Path;

use klachtd::config::{Config, Outcome};

pub fn run(dir: &Path) -> anyhow::Result<()> {
    let init = klachtd::setup::init(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    for f in &init.files {
        let what = if f.created {
            "wrote"
        } else {
            "kept (already there)"
        };
        println!("{what:<21} {}", f.path.display());
    }
    println!();
    println!(
        "Fill in, in {} (the lines marked FILL IN):",
        init.config.display()
    );
    for key in &init.fill_in {
        let key = if key.starts_with('[') {
            format!("{key} (every key of it)")
        } else {
            key.clone()
        };
        println!("  {key}");
    }
    println!("and put the passwords on the first line of the password files (they are 0600).");
    println!();
    println!("Then check it all against the real servers:");
    println!("  klachtd config check --config {}", init.config.display());
    Ok(())
}

/// `--key-file F`: only a new key of the owner's commands by mail; an existing file is
/// never replaced.
pub fn key(file: &Path) -> anyhow::Result<()> {
    let written = klachtd::setup::write_key_file(file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    if !written.created {
        anyhow::bail!(
            "{} exists: an existing key is never replaced (delete it first to make a new one; \
             every code in mails sent so far then stops working)",
            file.display()
        );
    }
    println!(
        "Wrote the key to {}. Put `key_file = \"{}\"` in [owner_commands]; keep the file \
         outside the store and out of backups that others can read.",
        file.display(),
        file.display()
    );
    Ok(())
}

/// Exit status 1 when a check fails (the error says how many).
pub fn check(given: Option<&Path>) -> anyhow::Result<()> {
    let config: Config = match super::load_config(given) {
        Ok(c) => {
            println!("ok     config: {} is valid", c.file.display());
            c
        }
        Err(e) => {
            println!("FAIL   config: {e:#}");
            anyhow::bail!("the config is not valid");
        }
    };
    let lines = super::runtime()?.block_on(klachtd::setup::check(&config));
    let mut failed = 0;
    for line in &lines {
        let (tag, text) = match &line.outcome {
            Outcome::Pass(t) => ("ok", t),
            Outcome::Later(t) => ("later", t),
            Outcome::Fail(t) => {
                failed += 1;
                ("FAIL", t)
            }
        };
        println!("{tag:<6} {}: {text}", line.what);
    }
    if failed > 0 {
        anyhow::bail!("{failed} check(s) failed");
    }
    println!("all checks passed");
    Ok(())
}
