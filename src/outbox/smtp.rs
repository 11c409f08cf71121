//! Outgoing mail over SMTP submission (lettre).
