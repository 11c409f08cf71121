//! Reading a folder whole, read-only (`klachtd rebuild`): EXAMINE, never SELECT, and
//! BODY.PEEK, so no flag, no mail and no folder on the server changes. A folder that is
//! not there holds nothing.

use chrono::Utc;
use futures::TryStreamExt;

use super::folder_name::encode_folder;
use super::session::{OpError, drain_unsolicited};
use super::{ImapMailbox, uid_set};
use crate::mailbox::{IncomingMail, MailId, MailboxError};

/// A folder klachtd files mail into, as the config names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    /// `[mailbox] processed_folder`: the mail taken in.
    Processed,
    /// `[mailbox] set_aside_folder`: the mail set aside.
    SetAside,
    /// `[mailbox] sent_folder`: copies of the letters to complainants.
    Sent,
}

impl ImapMailbox {
    /// The configured name of `folder`.
    pub fn filed_name(&self, folder: Filed) -> &str {
        match folder {
            Filed::Processed => &self.settings.processed_folder,
            Filed::SetAside => &self.settings.set_aside_folder,
            Filed::Sent => &self.settings.sent_folder,
        }
    }

    /// Every mail in `folder`, oldest UID first, with its INTERNALDATE. Reads only.
    pub async fn read_whole(&mut self, folder: Filed) -> Result<Vec<IncomingMail>, MailboxError> {
        let name = self.filed_name(folder).to_string();
        if name.is_empty() {
            return Ok(Vec::new());
        }
        self.ensure_session().await?;
        let result = self.op_read_whole(&name).await;
        self.finish(result)
    }

    async fn op_read_whole(&mut self, name: &str) -> Result<Vec<IncomingMail>, OpError> {
        let session = self.session()?;
        let examined = match session.examine(encode_folder(name)).await {
            Ok(m) => m,
            // Never created: klachtd filed nothing there.
            Err(async_imap::error::Error::No(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        drain_unsolicited(session);
        let validity = examined.uid_validity.unwrap_or(0);
        let mut uids: Vec<u32> = session.uid_search("ALL").await?.into_iter().collect();
        drain_unsolicited(session);
        uids.sort_unstable();
        let mut mails = Vec::with_capacity(uids.len());
        for chunk in uids.chunks(crate::mailbox::BATCH) {
            let session = self.session()?;
            let fetches: Vec<_> = session
                .uid_fetch(uid_set(chunk), "(UID INTERNALDATE BODY.PEEK[])")
                .await?
                .try_collect()
                .await?;
            drain_unsolicited(session);
            for f in &fetches {
                let (Some(uid), Some(body)) = (f.uid, f.body()) else {
                    continue;
                };
                let Some(arrived) = f.internal_date() else {
                    continue;
                };
                mails.push(IncomingMail {
                    id: MailId::Uid {
                        uid_validity: validity,
                        uid,
                    },
                    raw: body.to_vec(),
                    arrived: arrived.with_timezone(&Utc),
                });
            }
        }
        mails.sort_by_key(|m| match m.id {
            MailId::Uid { uid, .. } => uid,
            MailId::File(_) => 0,
        });
        tracing::info!(folder = %name, count = mails.len(), "IMAP read a folder whole");
        Ok(mails)
    }
}
