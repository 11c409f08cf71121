//! What `klachtd rebuild` needs of the store beyond the commit API: whether the store is
//! blank, a letter recorded as sent without being sent, and a year's sequence raised so
//! that the next case gets the next number. Built on the store's own typed operations
//! (and its one allocator of numbers), never on keys or encodings of its own.

use chrono::{DateTime, Utc};
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::commit::next_number;
use super::{Disposition, OutboxStatus, Store, StoreError};

impl Store {
    /// Whether the store holds nothing: no case, no mail record, no letter.
    pub fn is_blank(&self) -> Result<bool, StoreError> {
        const ALL: [Disposition; 6] = [
            Disposition::NewCase,
            Disposition::FollowUp,
            Disposition::Automated,
            Disposition::SetAside,
            Disposition::Outgoing,
            Disposition::Owner,
        ];
        if !self.cases()?.is_empty() || !self.outbox()?.is_empty() {
            return Ok(false);
        }
        for d in ALL {
            if !self.mail_records(d)?.is_empty() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Records the queued letter `message_id` as sent at `at` (it went out before the
    /// store was lost): the send loop never picks it up. False when no such letter waits.
    pub fn record_sent_before(
        &self,
        message_id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(mut q) = self.queued(message_id)? else {
            return Ok(false);
        };
        if q.status == OutboxStatus::Sent {
            return Ok(true);
        }
        q.status = OutboxStatus::Sent;
        q.attempts = q.attempts.max(1);
        q.next_try = at;
        q.last_error = None;
        self.record_attempt(&q, None, at)?;
        Ok(true)
    }

    /// Raises `year`'s sequence to at least `at_least`, so that the next case of that
    /// year gets a higher number; a sequence already there is left as it is. Flushed.
    pub fn raise_sequence(&self, year: i32, at_least: u32) -> Result<(), StoreError> {
        let _writing = self.writing();
        // One allocation past `at_least` means the sequence was there already: abort, so
        // nothing is written. Otherwise allocate up to it, in one transaction.
        let result = self.seq.transaction(|seq| {
            let mut n = next_number(seq, year)?;
            if n.seq > at_least {
                return Err(ConflictableTransactionError::Abort(()));
            }
            while n.seq < at_least {
                n = next_number(seq, year)?;
            }
            Ok(())
        });
        match result {
            Ok(()) | Err(TransactionError::Abort(())) => {}
            Err(TransactionError::Storage(e)) => return Err(e.into()),
        }
        self.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{at, commit_new_case, done, mail, store};

    #[test]
    fn a_raised_sequence_gives_the_next_number_and_never_goes_down() {
        let (_dir, store) = store();
        store.raise_sequence(2026, 7).unwrap();
        store.raise_sequence(2026, 3).unwrap();
        let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
        let n = done(commit_new_case(&store, &mail(raw, "a@example.test"), raw).unwrap());
        assert_eq!(n.to_string(), "KL-2026-0008");
        // Raising to the number just given changes nothing either.
        store.raise_sequence(2026, 8).unwrap();
        let raw = b"Subject: nog een\r\n\r\ntekst\r\n";
        let n = done(commit_new_case(&store, &mail(raw, "b@example.test"), raw).unwrap());
        assert_eq!(n.to_string(), "KL-2026-0009");
    }

    #[test]
    fn a_store_with_a_case_or_letter_is_not_blank_and_a_letter_recorded_sent_is_not_due() {
        let (_dir, store) = store();
        assert!(store.is_blank().unwrap());
        let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
        done(commit_new_case(&store, &mail(raw, "a@example.test"), raw).unwrap());
        assert!(!store.is_blank().unwrap());
        let due = store.due_outgoing(at(600), 50).unwrap();
        assert!(!due.is_empty(), "the new case's letters wait");
        for q in &due {
            assert!(store.record_sent_before(&q.mail.message_id, at(1)).unwrap());
            assert_eq!(
                store.queued(&q.mail.message_id).unwrap().unwrap().status,
                OutboxStatus::Sent
            );
        }
        assert!(store.due_outgoing(at(600), 50).unwrap().is_empty());
        assert!(
            !store
                .record_sent_before("nobody@example.test", at(1))
                .unwrap()
        );
    }
}
