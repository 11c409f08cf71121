//! Outgoing mail written to a local Maildir folder (the embedded default).
