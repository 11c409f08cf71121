//! Erasure after the retention period: what erasing a case removes (the case, the index
//! entries of its mails, its outgoing mails, its marks, then the blob files of its raw
//! mails and letters), and the tombstone `erased/{number}` in meta that stays.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::blobs::BlobKind;
use super::keys::{
    case_key, case_key_id, case_prefix, letter_blob_name, mail_blob_name, outbox_key,
    tombstone_key, tree,
};
use super::{Disposition, MailRecord, QueuedMail, Store, StoreError, encode_plain};
use crate::domain::CaseNumber;

/// What erasing one case removes (keys only; for `klachtd purge --dry-run` and tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erasure {
    pub number: CaseNumber,
    /// Raw mails (content hashes): files in `mails/`.
    pub mails: BTreeSet<String>,
    pub index_keys: BTreeSet<String>,
    /// Outgoing mails (Message-IDs).
    pub outbox: BTreeSet<String>,
    pub marks: BTreeSet<String>,
}

/// What is left of an erased case: the date, no personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub erased: chrono::NaiveDate,
}

impl Store {
    /// What erasing a case would remove (see [`Store::erase_case`]).
    pub fn erasure_plan(&self, number: CaseNumber) -> Result<Option<Erasure>, StoreError> {
        let Some(case) = self.case(number)? else {
            return Ok(None);
        };
        let mut mails: BTreeSet<String> = case
            .mails
            .iter()
            .filter(|m| m.direction == crate::cases::Direction::In)
            .map(|m| m.hash.clone())
            .collect();
        let mut index_keys = BTreeSet::new();
        for kv in self.index.iter() {
            let (k, v) = kv?;
            let record: MailRecord = self.decode(tree::INDEX, &k, &v)?;
            if record.case == Some(number) {
                index_keys.insert(String::from_utf8_lossy(&k).into_owned());
                if record.disposition != Disposition::Outgoing {
                    mails.insert(record.hash.clone());
                }
            }
        }
        let mut outbox = BTreeSet::new();
        for (name, t) in [(tree::OUTBOX, &self.outbox), (tree::SENT, &self.sent)] {
            for kv in t.iter() {
                let (k, v) = kv?;
                let q: QueuedMail = self.decode(name, &k, &v)?;
                if q.mail.case == Some(number) {
                    outbox.insert(q.mail.message_id);
                }
            }
        }
        let marks = self.marks(&case_prefix(number))?;
        Ok(Some(Erasure {
            number,
            mails,
            index_keys,
            outbox,
            marks,
        }))
    }

    /// Erases a case and everything that holds its personal data: in one transaction the
    /// case record, its index entries, its outgoing mails and its marks; then its data
    /// key (overwritten and removed: what sled's older log segments still hold of the
    /// case, and any copy of its files, can no longer be opened), then the files of its
    /// raw mails and letters. What stays is a tombstone `erased/{number}` in meta with
    /// the date of the erasure and nothing else. Returns false when there was no such
    /// case. Flushed.
    pub fn erase_case(&self, number: CaseNumber, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let Some(plan) = self.erasure_plan(number)? else {
            return Ok(false);
        };
        let tombstone = Tombstone {
            erased: crate::rules::calendar::local_date(now),
        };
        // Held until the files are gone too: an export sees the case whole or not at all.
        let _writing = self.writing();
        let ik = self.index_key();
        let trees = (
            &self.cases,
            &self.index,
            &self.outbox,
            &self.sent,
            &self.marks,
            &self.meta,
        );
        trees
            .transaction(|(cases, index, outbox, sent, marks, meta)| {
                cases.remove(case_key(number).as_bytes())?;
                for key in &plan.index_keys {
                    index.remove(key.as_bytes())?;
                }
                for id in &plan.outbox {
                    let key = outbox_key(ik, id);
                    outbox.remove(key.as_bytes())?;
                    sent.remove(key.as_bytes())?;
                }
                for key in &plan.marks {
                    marks.remove(key.as_bytes())?;
                }
                meta.insert(tombstone_key(number).as_bytes(), encode_plain(&tombstone))?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Sled(e),
                TransactionError::Abort(()) => StoreError::Corrupt {
                    key: number.to_string(),
                    message: "erasure aborted".into(),
                },
            })?;
        self.db.flush()?;
        // The records are gone; now the key that opens what is left of them anywhere,
        // then their bytes.
        self.crypt.destroy(&self.blobs, &case_key_id(number))?;
        for hash in &plan.mails {
            self.blobs
                .remove(BlobKind::Mail, &mail_blob_name(ik, hash))?;
        }
        for id in &plan.outbox {
            self.blobs
                .remove(BlobKind::Letter, &letter_blob_name(ik, id))?;
        }
        Ok(true)
    }

    /// Whether the data key of a case is still there (erasure destroys it).
    pub fn case_key_exists(&self, number: CaseNumber) -> Result<bool, StoreError> {
        self.crypt.has_key(&self.blobs, &case_key_id(number))
    }

    /// The tombstone of an erased case.
    pub fn tombstone(&self, number: CaseNumber) -> Result<Option<Tombstone>, StoreError> {
        self.meta_get(&tombstone_key(number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::keys::{DIGEST_MARK, ack_alert_mark, hash_key, mid_key};
    use crate::store::testing::{at, blob_files, commit_new_case, done, mail, store};
    use crate::store::{Committed, MailIn, OutboxStatus};

    #[test]
    fn erasure_removes_the_case_and_leaves_a_tombstone() {
        let (dir, store) = store();
        let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
        let record = mail(raw, "a.1@example.test");
        let number = done(commit_new_case(&store, &record, raw).unwrap());
        // A case that stays, and a mark of no case.
        let other = b"Subject: andere klacht\r\n\r\n";
        let kept = done(commit_new_case(&store, &mail(other, "b.2@example.test"), other).unwrap());
        // The acknowledgement is sent (sent tree), a follow-up is kept, a mark recorded.
        let ack = store
            .due_outgoing(at(0), 50)
            .unwrap()
            .into_iter()
            .find(|q| q.mail.case == Some(number))
            .unwrap();
        let ack_id = ack.mail.message_id.clone();
        let sent = QueuedMail {
            status: OutboxStatus::Sent,
            attempts: 1,
            ..ack
        };
        store.record_attempt(&sent, None, at(1)).unwrap();
        let reply = b"Subject: Re: klacht\r\n\r\naanvulling\r\n";
        let follow = MailRecord {
            disposition: Disposition::FollowUp,
            case: Some(number),
            ..mail(reply, "c.3@example.test")
        };
        let committed = store
            .commit_to_case(
                MailIn {
                    record: &follow,
                    raw: reply,
                },
                number,
                at(2),
                |case| {
                    Ok::<_, StoreError>(crate::cases::Change {
                        case: Some(case),
                        marks: vec![ack_alert_mark(number), DIGEST_MARK.to_string()],
                        ..Default::default()
                    })
                },
            )
            .unwrap();
        assert!(matches!(committed, Committed::Done(_)));
        assert_eq!(blob_files(&dir), (3, 2));

        let plan = store.erasure_plan(number).unwrap().unwrap();
        assert_eq!(
            plan.mails,
            [record.hash.clone(), follow.hash.clone()].into()
        );
        assert_eq!(
            plan.index_keys,
            [
                hash_key(store.index_key(), &record.hash),
                mid_key(store.index_key(), "a.1@example.test"),
                hash_key(store.index_key(), &follow.hash),
                mid_key(store.index_key(), "c.3@example.test"),
                mid_key(store.index_key(), &ack_id),
            ]
            .into()
        );
        assert_eq!(plan.outbox, [ack_id.clone()].into());
        assert_eq!(plan.marks, [ack_alert_mark(number)].into());

        assert!(store.erase_case(number, at(3)).unwrap());
        assert_eq!(store.case(number).unwrap(), None);
        assert_eq!(
            store
                .known_mail(&record.hash, Some("a.1@example.test"))
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .known_mail(&follow.hash, Some("c.3@example.test"))
                .unwrap(),
            None
        );
        assert_eq!(
            store.case_by_thread(std::slice::from_ref(&ack_id)).unwrap(),
            None
        );
        assert_eq!(store.queued(&ack_id).unwrap(), None);
        assert!(store.marks(&case_prefix(number)).unwrap().is_empty());
        assert_eq!(store.raw_mail(&record.hash).unwrap(), None);
        assert_eq!(store.raw_mail(&follow.hash).unwrap(), None);
        assert_eq!(blob_files(&dir), (1, 1));
        assert_eq!(
            store.tombstone(number).unwrap(),
            Some(Tombstone {
                erased: crate::rules::calendar::local_date(at(3)),
            })
        );
        // What is not the case's stays.
        assert!(store.case(kept).unwrap().is_some());
        assert_eq!(store.outbox().unwrap().len(), 1);
        assert_eq!(store.mark_time(DIGEST_MARK).unwrap(), Some(at(2)));
        assert_eq!(store.tombstone(kept).unwrap(), None);
        // Erased twice: there is nothing left to erase.
        assert!(!store.erase_case(number, at(4)).unwrap());
        assert_eq!(store.erasure_plan(number).unwrap(), None);
    }
}
