//! Complaints from a local Maildir (new/ to cur/ per the Maildir spec).
