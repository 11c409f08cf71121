//! Outgoing mail written to a local Maildir folder (the embedded default): each mail is a
//! file in `new/` named after its Message-ID, so a retry replaces it rather than adding a
//! second copy.

use std::path::{Path, PathBuf};

use super::{SendError, Sender};
use crate::domain::Outgoing;
use crate::mailbox::maildir::{deliver, safe_name};

pub struct MaildirSender {
    dir: PathBuf,
}

impl MaildirSender {
    pub fn new(dir: &Path) -> MaildirSender {
        MaildirSender {
            dir: dir.to_path_buf(),
        }
    }
}

impl Sender for MaildirSender {
    async fn send(&mut self, mail: &Outgoing) -> Result<(), SendError> {
        deliver(&self.dir, &safe_name(&mail.message_id), &mail.raw, false)
            .map(|_| ())
            .map_err(|e| SendError::Transient(e.to_string()))
    }
}
