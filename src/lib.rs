//! klachtd: runs numun's complaints procedure over e-mail.
//!
//! The module map (see ARCHITECTURE.md for the mail flow and the invariants):
//!
//! - pure core, no IO, no async, no clock reads:
//!   [`intake`] (raw mail -> [`intake::Submission`]), [`rules`] (the procedure's rules:
//!   completeness, the 1-month window, the Dutch calendar, deadlines), [`cases`] (the case
//!   model and what a new mail does to it), [`letters`] (every outgoing mail, rendered).
//! - adapters: [`config`], [`clock`], [`store`] (the only user of sled), [`mailbox`]
//!   (Maildir, IMAP), [`outbox`] (Maildir, SMTP), [`control`] (the CLI's socket to a
//!   running daemon), [`daemon`] (the tasks and their shutdown).

pub mod cases;
pub mod clock;
pub mod config;
pub mod control;
pub mod daemon;
pub mod intake;
pub mod letters;
pub mod mailbox;
pub mod outbox;
pub mod rules;
pub mod secret;
pub mod store;
