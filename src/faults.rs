//! Crash points for the failure tests: with `KLACHTD_CRASH_AT=<point>` in its environment
//! the daemon kills itself with SIGKILL when it reaches that point, the way mbsync's tests
//! interrupt a sync at every step. Unset (always, outside tests), each point is one
//! branch on a value read once.
//!
//! `KLACHTD_SLOW_READ` makes the reading of one mail slow instead ([`slow_read`]).
//!
//! Points: `before_commit`, `after_transaction` (before the flush), `after_flush` (before
//! the mail is moved), `after_move` (before sending), `after_send` (after the server
//! accepted a letter, before the outbox records it).

use std::sync::LazyLock;

static CRASH_AT: LazyLock<Option<String>> = LazyLock::new(|| {
    std::env::var("KLACHTD_CRASH_AT")
        .ok()
        .filter(|v| !v.is_empty())
});

/// Dies here, at once and without cleanup, if the environment asks for it.
pub fn crash_point(point: &str) {
    if CRASH_AT.as_deref() == Some(point) {
        let pid = std::process::id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status();
        // SIGKILL cannot be caught; should `kill` be missing, abort is the next best.
        std::process::abort();
    }
}

/// With `KLACHTD_SLOW_READ=<text>` in its environment, reading a mail that contains
/// `<text>` takes 30 seconds longer: the time-per-mail tests make one mail slow without a
/// mail built to be slow. Called on the reader thread.
pub fn slow_read(raw: &[u8]) {
    if let Some(marker) = SLOW_READ.as_deref()
        && raw.windows(marker.len()).any(|w| w == marker.as_bytes())
    {
        std::thread::sleep(std::time::Duration::from_secs(30));
    }
}

static SLOW_READ: LazyLock<Option<String>> = LazyLock::new(|| {
    std::env::var("KLACHTD_SLOW_READ")
        .ok()
        .filter(|v| !v.is_empty())
});
