//! How mail leaves: a Maildir folder (the embedded default) or SMTP submission.
