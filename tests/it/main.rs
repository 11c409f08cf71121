//! The integration tests: one crate, one module per area.

mod boundaries;
mod cli;
mod corpus;
mod e2e;
mod fixtures;
mod imap;
mod intake;
mod lifecycle;
mod mailserver;
mod support;
