//! `klachtd run`: the daemon in the foreground, until SIGTERM or Ctrl-C. SIGHUP reloads
//! the config and the templates: the new ones are checked first (the config validated,
//! every letter rendered); a bad edit is refused and logged, and the old ones stay in use.

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use klachtd::clock::Clock;
use klachtd::config::Config;
use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

/// How long the daemon may take to stop after SIGTERM (the mail in hand, the flushes,
/// LOGOUT) before it exits regardless. Below systemd's TimeoutStopSec (90 s by default;
/// the unit says 30 s).
const STOP_LIMIT: Duration = Duration::from_secs(20);

pub fn run(config: Config, once: bool) -> anyhow::Result<()> {
    // Before anything is opened: a store or secret others can read stops the start.
    config.check_private()?;
    let rt = super::runtime()?;
    let result = rt.block_on(async {
        let stop = CancellationToken::new();
        let on_signal = stop.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            info!("shutting down");
            on_signal.cancel();
        });
        let mut hangup = signal(SignalKind::hangup()).context("SIGHUP handler")?;
        let mut config = config;
        loop {
            let cancel = stop.child_token();
            let daemon = klachtd::daemon::run(config.clone(), Clock::system(), once, cancel.clone());
            tokio::pin!(daemon);
            let next = loop {
                tokio::select! {
                    result = &mut daemon => return result,
                    _ = stop.cancelled() => break None,
                    _ = hangup.recv() => match reload(&config.file) {
                        Ok(new) => {
                            info!(config = %config.file.display(), "SIGHUP: the new config and templates are valid; reloading");
                            break Some(new);
                        }
                        Err(e) => error!(
                            error = format!("{e:#}"),
                            "SIGHUP: reload refused; the old config and templates stay in use"
                        ),
                    },
                }
            };
            cancel.cancel();
            match tokio::time::timeout(STOP_LIMIT, &mut daemon).await {
                Ok(result) => result?,
                Err(_) => {
                    warn!(
                        seconds = STOP_LIMIT.as_secs(),
                        "the daemon did not stop in time; exiting (every change taken in was already flushed)"
                    );
                    return Ok(());
                }
            }
            match next {
                Some(new) => config = new,
                None => return Ok(()),
            }
        }
    });
    // A worker still reading a mail past `[limits] seconds_per_mail` is not waited for:
    // its result was dropped, and everything taken in is flushed.
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

/// The config at `file` and its letters, checked as at start.
fn reload(file: &Path) -> anyhow::Result<Config> {
    let config = Config::load(file)?;
    config.check_private()?;
    klachtd::letters::Letters::new(&config.letter_settings()?).context("templates")?;
    Ok(config)
}

async fn shutdown_signal() {
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
