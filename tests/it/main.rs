//! The integration tests: one crate, one module per area.

mod corpus;
mod fixtures;
mod intake;
mod lifecycle;
mod support;
