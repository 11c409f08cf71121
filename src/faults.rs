//! Crash points for the failure tests: with `KLACHTD_CRASH_AT=<point>` in its environment
//! the daemon kills itself with SIGKILL when it reaches that point, the way mbsync's tests
//! interrupt a sync at every step. Unset (always, outside tests), each point is one
//! branch on a value read once.
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
