//! `klachtd run`: the daemon in the foreground, until SIGTERM or Ctrl-C.

use klachtd::clock::Clock;
use klachtd::config::Config;
use tokio_util::sync::CancellationToken;

pub fn run(config: Config, once: bool) -> anyhow::Result<()> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let cancel = CancellationToken::new();
        let on_signal = cancel.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutting down");
            on_signal.cancel();
        });
        klachtd::daemon::run(config, Clock::system(), once, cancel).await
    })
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
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
