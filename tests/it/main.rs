//! The integration tests: one crate, one module per area.

mod backup;
mod boundaries;
/// `klachtd check --json`'s output type: src/cli is the binary's, not the library's.
#[path = "../../src/cli/check.rs"]
#[allow(dead_code)]
mod check_output;
mod cli;
mod corpus;
mod e2e;
mod fixtures;
mod followups;
mod imap;
mod injection;
mod intake;
mod lifecycle;
mod lifecycle_english;
mod limits;
mod mailserver;
mod owner;
mod owner_e2e;
mod package;
mod private;
mod rebuild;
mod robots;
mod service;
mod store_fixture;
mod stuck;
mod support;
