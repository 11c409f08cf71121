//! Where complaints arrive: a Maildir (the embedded default) or an IMAP folder.
