//! Complaints from an IMAP folder (async-imap over tokio-rustls): IDLE, UID sync.
