//! The procedure: what an incoming mail ([`mail`]) and what an owner's action
//! ([`actions`]) does to a case, what the schedule sends when ([`schedule`]), and which
//! letters it sends; the owner's alerts about the machinery ([`alerts`], [`stuck`]).
//!
//! Pure: the case, the letter writer, the calendar and "now" are inputs; the result is
//! a [`crate::cases::Change`] that the store commits in one transaction.

pub mod actions;
pub mod alerts;
pub mod mail;
pub mod owner;
pub mod schedule;
pub mod stuck;
