//! The integration tests: one crate, one module per area.

mod fixtures;
mod imap;
mod mailserver;
