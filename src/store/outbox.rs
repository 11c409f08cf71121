//! The outbox: mails waiting to be sent (`outbox` tree, Message-ID -> [`QueuedMail`]),
//! what the send loop reads of it, how an attempt is recorded, and the `sent` tree that
//! sent mail moves to (so a send pass reads only what waits). The texts are files in
//! `letters/`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use super::blobs::BlobKind;
use super::commit::{Tx, put_sealed};
use super::keys::{letter_blob_name, mail_key_id, mid_key, outbox_key, tree};
use super::{Disposition, MailRecord, Store, StoreError};
use crate::domain::Outgoing;

/// A mail in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedMail {
    pub mail: Outgoing,
    pub queued: DateTime<Utc>,
    pub attempts: u32,
    pub next_try: DateTime<Utc>,
    pub status: OutboxStatus,
    pub last_error: Option<String>,
}

/// See [`Store::outbox_summary`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxSummary {
    pub queued: usize,
    pub failed: usize,
    pub oldest: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Pending,
    Sent,
    /// Given up: permanent refusal or too many attempts; the owner was alerted.
    Failed,
}

impl Store {
    /// One mail of the outbox (waiting, sent or failed), by Message-ID, without its text.
    pub fn queued(&self, message_id: &str) -> Result<Option<QueuedMail>, StoreError> {
        let key = outbox_key(self.index_key(), message_id);
        let key = key.as_bytes();
        if let Some(v) = self.outbox.get(key)? {
            return self.decode(tree::OUTBOX, key, &v).map(Some);
        }
        self.sent
            .get(key)?
            .map(|v| self.decode(tree::SENT, key, &v))
            .transpose()
    }

    /// The queue at a glance (for `klachtd status`): how many wait, how many failed for
    /// good, and when the oldest waiting one was queued. Reads no letter texts.
    pub fn outbox_summary(&self) -> Result<OutboxSummary, StoreError> {
        let mut summary = OutboxSummary::default();
        for kv in self.outbox.iter() {
            let (k, v) = kv?;
            let q: QueuedMail = self.decode(tree::OUTBOX, &k, &v)?;
            match q.status {
                OutboxStatus::Pending => {
                    summary.queued += 1;
                    summary.oldest = Some(summary.oldest.map_or(q.queued, |o| o.min(q.queued)));
                }
                OutboxStatus::Failed => summary.failed += 1,
                OutboxStatus::Sent => {}
            }
        }
        Ok(summary)
    }

    /// The waiting letters as the alert about a stuck outbox sees them: how many, and
    /// the oldest that has failed at least once (when queued, its last error).
    pub fn stuck_queue(&self) -> Result<crate::procedure::stuck::Queue, StoreError> {
        let mut queue = crate::procedure::stuck::Queue::default();
        for kv in self.outbox.iter() {
            let (k, v) = kv?;
            let q: QueuedMail = self.decode(tree::OUTBOX, &k, &v)?;
            if q.status != OutboxStatus::Pending {
                continue;
            }
            queue.waiting += 1;
            if q.attempts > 0 && queue.failing_since.is_none_or(|s| q.queued < s) {
                queue.failing_since = Some(q.queued);
                queue.last_error = q.last_error;
            }
        }
        Ok(queue)
    }

    /// At most `limit` mails waiting to be sent whose time has come, oldest first.
    pub fn due_outgoing(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<QueuedMail>, StoreError> {
        let mut due = Vec::new();
        for kv in self.outbox.iter() {
            let (k, v) = kv?;
            let q: QueuedMail = self.decode(tree::OUTBOX, &k, &v)?;
            if q.status == OutboxStatus::Pending && q.next_try <= now {
                due.push(q);
                if due.len() > limit.saturating_mul(4) {
                    // Keep memory bounded on a long queue: the oldest `limit` survive.
                    due.sort_by(by_turn);
                    due.truncate(limit);
                }
            }
        }
        due.sort_by(by_turn);
        due.truncate(limit);
        for q in &mut due {
            q.mail.raw = self.letter_text(&q.mail.message_id)?;
        }
        Ok(due)
    }

    /// The text of an outgoing mail. Missing text is a damaged store: an error naming it.
    fn letter_text(&self, message_id: &str) -> Result<Vec<u8>, StoreError> {
        self.get_blob(
            BlobKind::Letter,
            &letter_blob_name(self.index_key(), message_id),
        )?
        .ok_or_else(|| StoreError::Corrupt {
            key: message_id.to_string(),
            message: "the text of this letter is missing from letters/".into(),
        })
    }

    /// Every mail in the outbox, sent ones too (for status and tests).
    pub fn outbox(&self) -> Result<Vec<QueuedMail>, StoreError> {
        let trees = [(tree::OUTBOX, &self.outbox), (tree::SENT, &self.sent)];
        let mut all = trees
            .into_iter()
            .flat_map(|(name, t)| t.iter().map(move |kv| (name, kv)))
            .map(|(name, kv)| {
                let (k, v) = kv?;
                let mut q = self.decode::<QueuedMail>(name, &k, &v)?;
                q.mail.raw = self.letter_text(&q.mail.message_id)?;
                Ok(q)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Ties by Message-ID: the keys' order is a keyed hash's, another per store.
        all.sort_by(|a, b| (a.queued, &a.mail.message_id).cmp(&(b.queued, &b.mail.message_id)));
        Ok(all)
    }

    /// Marks a letter that was sent as not delivered after all (a bounce came back): it
    /// goes back to the outbox as failed, with `reason`. Idempotent; None when the letter
    /// is not ours.
    pub fn mark_undelivered(
        &self,
        message_id: &str,
        reason: &str,
    ) -> Result<Option<QueuedMail>, StoreError> {
        let Some(mut q) = self.queued(message_id)? else {
            return Ok(None);
        };
        q.status = OutboxStatus::Failed;
        q.last_error = Some(reason.to_string());
        let key = outbox_key(self.index_key(), message_id);
        let key = key.as_bytes();
        let data_key = self.data_key(&mail_key_id(self.index_key(), q.mail.case, message_id))?;
        let _writing = self.writing();
        (&self.outbox, &self.sent)
            .transaction(|(outbox, sent)| {
                sent.remove(key)?;
                put_sealed(outbox, tree::OUTBOX, key, &data_key, &q)
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Sled(e),
                TransactionError::Abort(e) => e,
            })?;
        self.flush()?;
        Ok(Some(q))
    }

    /// Records the result of a send attempt, and queues `alert` (to the owner) in the
    /// same transaction when there is one. Flushed.
    pub fn record_attempt(
        &self,
        updated: &QueuedMail,
        alert: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let ik = self.index_key();
        let id = &updated.mail.message_id;
        let data_key = self.data_key(&mail_key_id(ik, updated.mail.case, id))?;
        let key = outbox_key(ik, id);
        let key = key.as_bytes();
        let _writing = self.writing();
        let trees = (&self.outbox, &self.sent, &self.index);
        trees
            .transaction(|(outbox, sent, index)| {
                if let Some(alert) = alert {
                    self.put_letters(std::slice::from_ref(alert))
                        .map_err(ConflictableTransactionError::Abort)?;
                }
                if updated.status == OutboxStatus::Sent {
                    // Sent mail leaves the queue, so a send pass reads only what waits.
                    outbox.remove(key)?;
                    put_sealed(sent, tree::SENT, key, &data_key, updated)?;
                } else {
                    put_sealed(outbox, tree::OUTBOX, key, &data_key, updated)?;
                }
                if let Some(alert) = alert {
                    self.queue_into(outbox, index, alert, now)?;
                }
                Ok(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Sled(e),
                TransactionError::Abort(e) => e,
            })?;
        self.flush()?;
        Ok(())
    }
}

/// The order mails are sent in: when due, when queued, then by Message-ID (not by the
/// outbox's keys, which are keyed hashes).
fn by_turn(a: &QueuedMail, b: &QueuedMail) -> std::cmp::Ordering {
    (a.next_try, a.queued, &a.mail.message_id).cmp(&(b.next_try, b.queued, &b.mail.message_id))
}

impl Store {
    /// Queues one outgoing mail (pending, to be tried at once) and indexes its
    /// Message-ID, so a reply to it finds its case; both sealed with its case's key. Its
    /// text is written by the caller (`Store::put_letters`).
    pub(super) fn queue_into(
        &self,
        outbox: &TransactionalTree,
        index: &TransactionalTree,
        out: &Outgoing,
        now: DateTime<Utc>,
    ) -> Tx {
        let ik = self.index_key();
        let data_key = self
            .data_key(&mail_key_id(ik, out.case, &out.message_id))
            .map_err(ConflictableTransactionError::Abort)?;
        let queued = QueuedMail {
            mail: out.clone(),
            queued: now,
            attempts: 0,
            next_try: now,
            status: OutboxStatus::Pending,
            last_error: None,
        };
        let key = outbox_key(ik, &out.message_id);
        put_sealed(outbox, tree::OUTBOX, key.as_bytes(), &data_key, &queued)?;
        let record = MailRecord {
            hash: out.message_id.clone(),
            message_id: Some(out.message_id.clone()),
            arrived: now,
            disposition: Disposition::Outgoing,
            case: out.case,
            reason: None,
        };
        let key = mid_key(ik, &out.message_id);
        put_sealed(index, tree::INDEX, key.as_bytes(), &data_key, &record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{at, commit_new_case, mail, store};

    #[test]
    fn due_outgoing_respects_next_try() {
        let (_dir, store) = store();
        let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
        commit_new_case(&store, &mail(raw, "a.1@example.test"), raw).unwrap();
        let [queued] = <[QueuedMail; 1]>::try_from(store.outbox().unwrap()).unwrap();
        assert_eq!(queued.status, OutboxStatus::Pending);
        assert_eq!(queued.next_try, at(0), "queued to be tried at once");
        assert_eq!(
            store.due_outgoing(at(-1), 50).unwrap(),
            [],
            "not before it was queued"
        );
        let due = store.due_outgoing(at(0), 50).unwrap();
        assert_eq!(due, std::slice::from_ref(&queued));
        assert!(!due[0].mail.raw.is_empty(), "with its text");
        // A failed attempt puts it off.
        let later = QueuedMail {
            attempts: 1,
            next_try: at(600),
            last_error: Some("421 try again".into()),
            ..queued.clone()
        };
        store.record_attempt(&later, None, at(1)).unwrap();
        assert_eq!(store.due_outgoing(at(599), 50).unwrap(), []);
        assert_eq!(
            store.due_outgoing(at(600), 50).unwrap(),
            std::slice::from_ref(&later)
        );
        assert_eq!(
            store.due_outgoing(at(600), 0).unwrap(),
            [],
            "the limit holds"
        );
        // Given up: never due again.
        let failed = QueuedMail {
            status: OutboxStatus::Failed,
            ..later
        };
        store.record_attempt(&failed, None, at(2)).unwrap();
        assert_eq!(store.due_outgoing(at(10_000), 50).unwrap(), []);
        assert_eq!(
            store.queued(&failed.mail.message_id).unwrap(),
            Some(QueuedMail {
                mail: Outgoing {
                    raw: Vec::new(),
                    ..failed.mail.clone()
                },
                ..failed.clone()
            })
        );
    }

    #[test]
    fn record_attempt_moves_a_sent_mail_to_the_sent_tree() {
        let (_dir, store) = store();
        let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
        commit_new_case(&store, &mail(raw, "a.1@example.test"), raw).unwrap();
        let queued = store.due_outgoing(at(0), 50).unwrap().remove(0);
        let id = queued.mail.message_id.clone();
        let key = outbox_key(store.index_key(), &id);
        let key = key.as_bytes();
        assert!(store.outbox.contains_key(key).unwrap());
        let sent = QueuedMail {
            attempts: 1,
            status: OutboxStatus::Sent,
            ..queued
        };
        store.record_attempt(&sent, None, at(5)).unwrap();
        assert!(!store.outbox.contains_key(key).unwrap(), "left the queue");
        assert!(store.sent.contains_key(key).unwrap(), "in the sent tree");
        assert_eq!(store.due_outgoing(at(10_000), 50).unwrap(), []);
        assert_eq!(
            store.queued(&id).unwrap().unwrap().status,
            OutboxStatus::Sent
        );
        assert_eq!(
            store.outbox().unwrap(),
            [sent],
            "still listed, with its text"
        );
    }

    #[test]
    fn record_attempt_queues_the_alert_in_the_same_transaction() {
        let (_dir, store) = store();
        let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
        commit_new_case(&store, &mail(raw, "a.1@example.test"), raw).unwrap();
        let queued = store.due_outgoing(at(0), 50).unwrap().remove(0);
        let alert = Outgoing {
            message_id: "klachtd.alert.1@numun.nl".into(),
            kind: crate::domain::LetterKind::OwnerSendFailed,
            to_complainant: false,
            raw: b"Subject: alert\r\n\r\nniet verzonden\r\n".to_vec(),
            ..queued.mail.clone()
        };
        let failed = QueuedMail {
            status: OutboxStatus::Failed,
            ..queued
        };
        store.record_attempt(&failed, Some(&alert), at(3)).unwrap();
        let due = store.due_outgoing(at(3), 50).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].mail, alert);
        assert_eq!(
            store
                .case_by_thread(std::slice::from_ref(&alert.message_id))
                .unwrap(),
            alert.case,
            "indexed for threading"
        );
    }
}
