//! Filing mail away: the mails taken in move to the processed or set-aside folder, a batch
//! with one command per folder (UID MOVE, or UID COPY + \Deleted + UID EXPUNGE), a letter sent to a complainant is appended to the
//! Sent folder, and those folders are created (and subscribed to) when missing.

use futures::TryStreamExt;

use super::folder_name::{encode_folder, quote};
use super::session::{OpError, drain_unsolicited};
use super::{ImapMailbox, Settings, uid_set};
use crate::mailbox::{Folder, MailId, MailboxError};

impl Settings {
    /// Where a mail goes once its effects are durable.
    fn folder_for(&self, folder: Folder) -> &str {
        match folder {
            Folder::Processed => &self.processed_folder,
            Folder::SetAside => &self.set_aside_folder,
        }
    }
}

impl ImapMailbox {
    /// Creates a folder unless it exists (and subscribes to it, for mail clients).
    async fn ensure_folder(&mut self, name: &str) -> Result<(), OpError> {
        if self.folders.contains(name) {
            return Ok(());
        }
        let encoded = encode_folder(name);
        let session = self.session()?;
        let names: Vec<_> = session
            // async-imap sends the pattern as given: quote it
            .list(Some(""), Some(&quote(&encoded)))
            .await?
            .try_collect()
            .await?;
        let exists = names.iter().any(|n| n.name() == encoded);
        if !exists {
            match session.create(&encoded).await {
                Ok(()) => {
                    let folder = name; // a folder's name, never a person's
                    tracing::info!(folder, "IMAP created folder");
                    let _ = session.subscribe(&encoded).await;
                }
                // created meanwhile by someone else
                Err(async_imap::error::Error::No(m)) if m.contains("ALREADYEXISTS") => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.folders.insert(name.to_string());
        Ok(())
    }

    /// Moves mails taken in out of the inbox, each to its folder: one UID MOVE (or COPY +
    /// STORE + EXPUNGE) per folder for the whole batch. A mail already gone, or of an
    /// earlier UIDVALIDITY, is left alone.
    pub(super) async fn op_dispose(&mut self, mails: &[(MailId, Folder)]) -> Result<(), OpError> {
        let mut wanted = Vec::with_capacity(mails.len());
        for (id, folder) in mails {
            let MailId::Uid { uid_validity, uid } = *id else {
                return Err(OpError {
                    error: MailboxError::Protocol(format!("not an IMAP mail id: {id}")),
                    fatal: false,
                });
            };
            wanted.push((uid_validity, uid, *folder));
        }
        if wanted.is_empty() {
            return Ok(());
        }
        self.select().await?;
        for folder in [Folder::Processed, Folder::SetAside] {
            let mut uids = Vec::new();
            for &(uid_validity, uid, f) in &wanted {
                if f != folder {
                    continue;
                }
                if uid_validity != self.state.uid_validity {
                    // the UID means nothing now; the folder is fetched again from UID 1, so
                    // the mail comes back under its new UID and is disposed of then
                    tracing::warn!(
                        uid,
                        old = uid_validity,
                        new = self.state.uid_validity,
                        "IMAP: not moving a mail of an earlier UIDVALIDITY"
                    );
                    continue;
                }
                uids.push(uid);
            }
            self.move_to(folder, &mut uids).await?;
        }
        Ok(())
    }

    /// Moves the mails `uids` (of the current UIDVALIDITY) to `folder`'s folder.
    async fn move_to(&mut self, folder: Folder, uids: &mut Vec<u32>) -> Result<(), OpError> {
        if uids.is_empty() {
            return Ok(());
        }
        uids.sort_unstable();
        let target = self.settings.folder_for(folder).to_string();
        let session = self.session()?;
        let present = session.uid_search(format!("UID {}", uid_set(uids))).await?;
        drain_unsolicited(session);
        uids.retain(|uid| {
            let here = present.contains(uid);
            if !here {
                // moved by an earlier run that stopped before it could record it
                tracing::info!(uid, folder = %target, "IMAP mail already gone from the folder; counting it as moved");
            }
            here
        });
        if uids.is_empty() {
            return Ok(());
        }
        self.ensure_folder(&target).await?;
        let encoded = encode_folder(&target);
        let use_move = self.caps.mv && !self.force_copy;
        let uidplus = self.caps.uidplus;
        let session = self.session()?;
        let set = uid_set(uids);
        if use_move {
            session.uid_mv(&set, &encoded).await?;
        } else {
            session.uid_copy(&set, &encoded).await?;
            let _: Vec<_> = session
                .uid_store(&set, "+FLAGS.SILENT (\\Deleted)")
                .await?
                .try_collect()
                .await?;
            if uidplus {
                let _: Vec<_> = session.uid_expunge(&set).await?.try_collect().await?;
            } else if !self.warned_no_uidplus {
                // a plain EXPUNGE could remove other clients' deleted mail: leave it flagged
                tracing::warn!(
                    "IMAP server has neither MOVE nor UIDPLUS: moved mails stay in the folder flagged \\Deleted"
                );
                self.warned_no_uidplus = true;
            }
        }
        drain_unsolicited(self.session()?);
        tracing::debug!(count = uids.len(), folder = %target, "IMAP moved mail");
        Ok(())
    }

    /// Appends a copy of a sent letter to the Sent folder, marked \Seen.
    pub(super) async fn op_keep_sent(&mut self, raw: &[u8]) -> Result<(), OpError> {
        let folder = self.settings.sent_folder.clone();
        self.ensure_folder(&folder).await?;
        let session = self.session()?;
        session
            .append(encode_folder(&folder), Some("(\\Seen)"), None, raw)
            .await?;
        drain_unsolicited(session);
        tracing::debug!(folder = %folder, "IMAP appended a sent letter");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    fn mailbox() -> ImapMailbox {
        let text = r#"
[mailbox]
kind = "imap"
host = "127.0.0.1"
user = "k"
tls = "none"
password = "x"
processed_folder = "Klaar"
set_aside_folder = "Apart"
[smtp]
kind = "maildir"
path = "outbox"
from = "k@example.test"
[owner]
name = "E"
addresses = ["owner@example.test"]
[store]
path = "store"
"#;
        let config = Config::parse(text, Path::new("/nowhere/k.toml")).unwrap();
        ImapMailbox::new(&config, None).unwrap()
    }

    #[test]
    fn each_folder_is_configured() {
        let mb = mailbox();
        assert_eq!(mb.settings.folder_for(Folder::Processed), "Klaar");
        assert_eq!(mb.settings.folder_for(Folder::SetAside), "Apart");
    }

    #[tokio::test]
    async fn a_maildir_id_is_refused_without_a_connection() {
        let mut mb = mailbox();
        let id = MailId::File("1.eml".into());
        let e = mb
            .op_dispose(&[(id, Folder::Processed)])
            .await
            .err()
            .unwrap();
        assert!(!e.fatal);
        assert!(
            e.error.to_string().contains("not an IMAP mail id"),
            "{}",
            e.error
        );
        assert!(!mb.is_connected());
    }
}
