//! klachtd: runs numun's complaints procedure over e-mail.
//!
//! The module map (see ARCHITECTURE.md for the mail flow and the invariants):
//!
//! - pure core, no IO, no async, no clock reads:
//!   [`intake`] (raw mail -> [`intake::Submission`]), [`rules`] (the procedure's rules:
//!   completeness, the 1-month window, the Dutch calendar, deadlines), [`cases`] (the case
//!   model, what a new mail and what an owner's action does to it), [`letters`] (every
//!   outgoing mail, rendered),
//!   [`report`] (the yearly overview of art. 2.3, computed and rendered).
//! - adapters: [`config`], [`clock`], [`store`] (the only user of sled), [`mailbox`]
//!   (Maildir, IMAP), [`outbox`] (Maildir, SMTP), [`control`] (the CLI's socket to a
//!   running daemon), [`daemon`] (the tasks and their shutdown), [`scheduler`]
//!   (reminders, alerts, digest, retention on every tick), [`retention`] (erasure after
//!   2 years).

pub mod bench;
pub mod cases;
pub mod clock;
pub mod config;
pub mod control;
pub mod daemon;
pub mod domain;
pub mod faults;
pub mod history;
pub mod intake;
pub mod letters;
pub mod mailbox;
pub mod outbox;
pub mod procedure;
pub mod rebuild;
pub mod registry;
pub mod report;
pub mod retention;
pub mod rules;
pub mod scheduler;
pub mod secret;
pub mod setup;
pub mod status;
pub mod store;
