//! The commit entry points: each makes one [`Change`] durable in ONE sled transaction
//! (the incoming mail's index entries, a new case number, the case, its outgoing mails and
//! marks), writes the blob files inside it, and flushes (blobs first) before returning.
//! Dedupe (hash, Message-ID) and case-number allocation happen inside the transaction.
//! [`Store::in_one_flush`] lets a batch of commits share one flush.

use std::cell::Cell;

use chrono::{DateTime, Utc};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use serde::Serialize;

use super::blobs::BlobKind;
use super::crypt::DataKey;
use super::keys::{
    case_key, case_key_id, hash_key, letter_blob_name, mail_blob_name, mail_key_id, mid_key,
    seq_key, tree,
};
use super::{Disposition, MailRecord, Store, StoreError, encode, encode_plain};
use crate::cases::{Case, Change};
use crate::domain::{CaseNumber, Outgoing};

/// What the writes inside a transaction return: a sealing that failed aborts it.
pub(super) type Tx = Result<(), ConflictableTransactionError<StoreError>>;

/// A [`Tx`] error as a transaction whose abort is `A` has it.
pub(super) fn lift<A>(
    e: ConflictableTransactionError<StoreError>,
    abort: impl FnOnce(StoreError) -> A,
) -> ConflictableTransactionError<A> {
    match e {
        ConflictableTransactionError::Abort(e) => ConflictableTransactionError::Abort(abort(e)),
        ConflictableTransactionError::Conflict => ConflictableTransactionError::Conflict,
        ConflictableTransactionError::Storage(e) => ConflictableTransactionError::Storage(e),
    }
}

/// Seals `v` and inserts it under `key` in the transaction's `tree`.
pub(super) fn put_sealed<T: Serialize>(
    tx: &TransactionalTree,
    tree: &str,
    key: &[u8],
    data_key: &DataKey,
    v: &T,
) -> Tx {
    let bytes = encode(tree, key, data_key, v).map_err(ConflictableTransactionError::Abort)?;
    tx.insert(key, bytes)?;
    Ok(())
}

/// The incoming mail a change belongs to.
#[derive(Debug, Clone, Copy)]
pub struct MailIn<'a> {
    pub record: &'a MailRecord,
    pub raw: &'a [u8],
}

/// The outcome of [`Store::commit`].
#[derive(Debug)]
pub enum Committed {
    Done(Box<Change>),
    /// The mail was already taken in (same hash or Message-ID): nothing was written.
    Duplicate(MailRecord),
}

thread_local! {
    /// Set while [`Store::in_one_flush`] runs on this thread: the commits it makes leave
    /// their flush to it. Per thread, so a commit on another thread (the CLI's store, a
    /// test) is never held.
    static FLUSH_HELD: Cell<bool> = const { Cell::new(false) };
}

/// Lets go of the hold even when the work panics.
struct Hold {
    outer: bool,
}

impl Drop for Hold {
    fn drop(&mut self) {
        FLUSH_HELD.set(self.outer);
    }
}

impl Store {
    /// Runs `work` (a batch of commits) with one flush at its end instead of one per
    /// commit: the fsyncs of a batch grouped. Until it returns, nothing `work` committed
    /// is durable, so the caller must not act on it (answer, move the mail) before:
    /// `work` is synchronous, and on this thread no one else can see the commits first.
    /// A crash inside loses the whole batch, which is then fetched again and taken in
    /// anew. Nested, the outermost call flushes.
    pub fn in_one_flush<T>(&self, work: impl FnOnce() -> T) -> Result<T, StoreError> {
        let hold = Hold {
            outer: FLUSH_HELD.replace(true),
        };
        let done = work();
        let outer = hold.outer;
        drop(hold);
        if !outer {
            self.flush()?;
        }
        Ok(done)
    }

    /// A commit's flush, unless [`Store::in_one_flush`] does it for the batch.
    fn flush_commit(&self) -> Result<(), StoreError> {
        if FLUSH_HELD.get() {
            return Ok(());
        }
        self.flush()
    }

    /// Makes one change durable: the incoming mail (if any) with its index entries, a new
    /// case number (when `new_case_year` is given, allocated in the same transaction),
    /// the case, its outgoing mails, and its marks. `build` turns the allocated number
    /// into the change; it may run more than once (sled retries on conflict), so it must
    /// be pure. Flushed to disk before returning (inside [`Store::in_one_flush`]: at its
    /// end).
    pub fn commit<E, F>(
        &self,
        mail: Option<MailIn<'_>>,
        new_case_year: Option<i32>,
        now: DateTime<Utc>,
        build: F,
    ) -> Result<Committed, E>
    where
        E: From<StoreError>,
        F: Fn(Option<CaseNumber>) -> Result<Change, E>,
    {
        self.commit_inner(mail, new_case_year, None, now, |number, _| build(number))
    }

    /// As [`Store::commit`] for a mail about the existing case `number`: `build` gets the
    /// case as stored inside the transaction, so a concurrent change to the case (an
    /// owner's action, a scheduler tick) is never overwritten.
    pub fn commit_to_case<E, F>(
        &self,
        mail: MailIn<'_>,
        number: CaseNumber,
        now: DateTime<Utc>,
        build: F,
    ) -> Result<Committed, E>
    where
        E: From<StoreError>,
        F: Fn(Case) -> Result<Change, E>,
    {
        self.commit_inner(Some(mail), None, Some(number), now, |_, case| match case {
            Some(case) => build(case),
            None => Err(StoreError::NoCase(number).into()),
        })
    }

    fn commit_inner<E, F>(
        &self,
        mail: Option<MailIn<'_>>,
        new_case_year: Option<i32>,
        existing: Option<CaseNumber>,
        now: DateTime<Utc>,
        build: F,
    ) -> Result<Committed, E>
    where
        E: From<StoreError>,
        F: Fn(Option<CaseNumber>, Option<Case>) -> Result<Change, E>,
    {
        enum Abort<E> {
            Duplicate(MailRecord),
            Failed(E),
        }
        let _writing = self.writing();
        let trees = (
            &self.cases,
            &self.seq,
            &self.index,
            &self.outbox,
            &self.marks,
        );
        let result = trees.transaction(|(cases, seq, index, outbox, marks)| {
            let abort = |a: Abort<E>| ConflictableTransactionError::Abort(a);
            let fail = |e: StoreError| ConflictableTransactionError::Abort(Abort::Failed(e.into()));
            let rejected = |e: E| ConflictableTransactionError::Abort(Abort::Failed(e));
            let ik = self.index_key();
            if let Some(m) = mail {
                let keys = std::iter::once(hash_key(ik, &m.record.hash))
                    .chain(m.record.message_id.as_deref().map(|id| mid_key(ik, id)));
                for key in keys {
                    if let Some(v) = index.get(key.as_bytes())? {
                        let known: MailRecord =
                            self.decode(tree::INDEX, key.as_bytes(), &v).map_err(fail)?;
                        if known.disposition != Disposition::Outgoing {
                            return Err(abort(Abort::Duplicate(known)));
                        }
                    }
                }
            }
            let number = match new_case_year {
                Some(year) => Some(next_number(seq, year)?),
                None => None,
            };
            let case = match existing {
                Some(n) => {
                    let key = case_key(n);
                    match cases.get(key.as_bytes())? {
                        Some(v) => Some(
                            self.decode::<Case>(tree::CASES, key.as_bytes(), &v)
                                .map_err(fail)?,
                        ),
                        None => None,
                    }
                }
                None => None,
            };
            let change = build(number, case).map_err(rejected)?;
            let case_number = change.case.as_ref().map(|c| c.number);
            let failed = |e: StoreError| Abort::Failed(e.into());
            if let Some(m) = mail {
                let record = MailRecord {
                    case: m.record.case.or(case_number),
                    ..m.record.clone()
                };
                self.put_incoming(index, &record, m.raw)
                    .map_err(|e| lift(e, failed))?;
            }
            self.put_letters(&change.outgoing).map_err(fail)?;
            self.write_change(cases, index, outbox, marks, &change, now)
                .map_err(|e| lift(e, failed))?;
            Ok(change)
        });
        let committed = match result {
            Ok(change) => Committed::Done(Box::new(change)),
            Err(TransactionError::Abort(Abort::Duplicate(record))) => {
                return Ok(Committed::Duplicate(record));
            }
            Err(TransactionError::Abort(Abort::Failed(e))) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(StoreError::from(e).into()),
        };
        crate::faults::crash_point("after_transaction");
        self.flush_commit()?;
        Ok(committed)
    }

    /// Makes one change to an existing case durable: `build` gets the case as stored
    /// *inside* the transaction (so a concurrent change, e.g. the scheduler's reminder and
    /// an owner's action, cannot be lost: sled retries `build` on conflict; it must be
    /// pure) and returns the change, which is written in the same transaction. Flushed.
    pub fn update_case<E, F>(
        &self,
        number: CaseNumber,
        now: DateTime<Utc>,
        build: F,
    ) -> Result<Change, E>
    where
        E: From<StoreError>,
        F: Fn(Case) -> Result<Change, E>,
    {
        let _writing = self.writing();
        let trees = (&self.cases, &self.index, &self.outbox, &self.marks);
        let result = trees.transaction(|(cases, index, outbox, marks)| {
            let fail = |e: E| ConflictableTransactionError::Abort(e);
            let key = case_key(number);
            let case: Case = match cases.get(key.as_bytes())? {
                Some(v) => self
                    .decode(tree::CASES, key.as_bytes(), &v)
                    .map_err(|e| fail(e.into()))?,
                None => return Err(fail(StoreError::NoCase(number).into())),
            };
            let change = build(case).map_err(fail)?;
            if change.case.as_ref().is_some_and(|c| c.number != number) {
                return Err(fail(
                    StoreError::Corrupt {
                        key,
                        message: "a change to one case may not write another".into(),
                    }
                    .into(),
                ));
            }
            self.put_letters(&change.outgoing)
                .map_err(|e| fail(e.into()))?;
            self.write_change(cases, index, outbox, marks, &change, now)
                .map_err(|e| lift(e, E::from))?;
            Ok(change)
        });
        let change = match result {
            Ok(change) => change,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(StoreError::from(e).into()),
        };
        self.flush_commit()?;
        Ok(change)
    }

    /// Makes a change that belongs to no case durable (e.g. the weekly digest and its
    /// mark). Flushed.
    pub fn commit_plain(&self, change: &Change, now: DateTime<Utc>) -> Result<(), StoreError> {
        let _writing = self.writing();
        let trees = (&self.cases, &self.index, &self.outbox, &self.marks);
        trees
            .transaction(|(cases, index, outbox, marks)| {
                self.put_letters(&change.outgoing)
                    .map_err(ConflictableTransactionError::Abort)?;
                self.write_change(cases, index, outbox, marks, change, now)
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Sled(e),
                TransactionError::Abort(e) => e,
            })?;
        self.flush_commit()?;
        Ok(())
    }
}

impl Store {
    /// Writes a change's case (sealed with its key), outgoing mails (with their index
    /// entries) and marks.
    fn write_change(
        &self,
        cases: &TransactionalTree,
        index: &TransactionalTree,
        outbox: &TransactionalTree,
        marks: &TransactionalTree,
        change: &Change,
        now: DateTime<Utc>,
    ) -> Tx {
        if let Some(case) = &change.case {
            let data_key = self
                .data_key(&case_key_id(case.number))
                .map_err(ConflictableTransactionError::Abort)?;
            let key = case_key(case.number);
            put_sealed(cases, tree::CASES, key.as_bytes(), &data_key, case)?;
        }
        for out in &change.outgoing {
            self.queue_into(outbox, index, out, now)?;
        }
        for mark in &change.marks {
            marks.insert(mark.as_bytes(), encode_plain(&now))?;
        }
        Ok(())
    }

    /// An incoming mail: its bytes sealed in `mails/`, its record sealed in the index
    /// under its content hash and its Message-ID.
    pub(super) fn put_incoming(
        &self,
        index: &TransactionalTree,
        record: &MailRecord,
        raw: &[u8],
    ) -> Tx {
        let abort = ConflictableTransactionError::Abort;
        let ik = self.index_key();
        let key_id = mail_key_id(ik, record.case, &record.hash);
        self.put_blob(
            BlobKind::Mail,
            &mail_blob_name(ik, &record.hash),
            &key_id,
            raw,
        )
        .map_err(abort)?;
        let data_key = self.data_key(&key_id).map_err(abort)?;
        let keys = std::iter::once(hash_key(ik, &record.hash))
            .chain(record.message_id.as_deref().map(|id| mid_key(ik, id)));
        for key in keys {
            put_sealed(index, tree::INDEX, key.as_bytes(), &data_key, record)?;
        }
        Ok(())
    }

    /// Writes the texts of outgoing mails, sealed, each under its Message-ID.
    pub(super) fn put_letters(&self, letters: &[Outgoing]) -> Result<(), StoreError> {
        let ik = self.index_key();
        for letter in letters {
            let id = &letter.message_id;
            let key_id = mail_key_id(ik, letter.case, id);
            self.put_blob(
                BlobKind::Letter,
                &letter_blob_name(ik, id),
                &key_id,
                &letter.raw,
            )?;
        }
        Ok(())
    }
}

/// The next number in `year`'s sequence, inside the transaction.
pub(super) fn next_number(
    seq: &TransactionalTree,
    year: i32,
) -> Result<CaseNumber, sled::transaction::UnabortableTransactionError> {
    let key = seq_key(year);
    let last = seq
        .get(key)?
        .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
        .map(u32::from_be_bytes)
        .unwrap_or(0);
    let seq_no = last + 1;
    seq.insert(&key, &seq_no.to_be_bytes())?;
    Ok(CaseNumber { year, seq: seq_no })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LetterKind;
    use crate::letters::sample_context;
    use crate::store::keys::{DIGEST_MARK, ack_alert_mark, case_prefix};
    use crate::store::testing::{
        at, blob_files, commit_new_case, done, letters, mail, new_case, store,
    };

    const RAW: &[u8] = b"Subject: klacht\r\nMessage-ID: <a.1@example.test>\r\n\r\ntekst\r\n";

    #[test]
    fn new_cases_are_numbered_per_year_in_sequence() {
        let (_dir, store) = store();
        let letters = letters();
        let mut numbers = Vec::new();
        for (i, year) in [2026, 2026, 2027, 2026, 2027].into_iter().enumerate() {
            let raw = format!("Subject: klacht {i}\r\n\r\ntekst\r\n");
            let record = mail(raw.as_bytes(), &format!("n{i}@example.test"));
            let committed = store
                .commit(
                    Some(MailIn {
                        record: &record,
                        raw: raw.as_bytes(),
                    }),
                    Some(year),
                    at(i as i64),
                    |n| Ok::<_, StoreError>(new_case(&letters, n.expect("a number"), &record)),
                )
                .unwrap();
            numbers.push(done(committed).to_string());
        }
        assert_eq!(
            numbers,
            [
                "KL-2026-0001",
                "KL-2026-0002",
                "KL-2027-0001",
                "KL-2026-0003",
                "KL-2027-0002"
            ]
        );
        let stored: Vec<String> = store
            .cases()
            .unwrap()
            .iter()
            .map(|c| c.number.to_string())
            .collect();
        let mut sorted = numbers.clone();
        sorted.sort();
        assert_eq!(stored, sorted, "all stored, oldest number first");
        assert_eq!(store.open_cases().unwrap().len(), 5);
    }

    #[test]
    fn the_same_mail_twice_is_a_duplicate_and_writes_nothing() {
        let (dir, store) = store();
        let first = mail(RAW, "<a.1@example.test>");
        let number = done(commit_new_case(&store, &first, RAW).unwrap());
        let before = (store.cases().unwrap(), store.outbox().unwrap());
        let blobs = blob_files(&dir);
        // The same bytes (same hash); then other bytes with the same Message-ID, spelt
        // without the angle brackets.
        let other = b"Subject: klacht (nogmaals)\r\n\r\ntekst\r\n";
        let again = [
            (mail(RAW, "<b.2@example.test>"), RAW),
            (mail(other, "a.1@example.test"), other.as_slice()),
        ];
        let letters = letters();
        for (record, raw) in &again {
            let built = std::cell::Cell::new(false);
            let committed = store
                .commit(Some(MailIn { record, raw }), Some(2026), at(9), |n| {
                    built.set(true);
                    Ok::<_, StoreError>(new_case(&letters, n.unwrap(), record))
                })
                .unwrap();
            let Committed::Duplicate(known) = committed else {
                panic!("not a duplicate: {record:?}");
            };
            assert_eq!(known.hash, first.hash);
            assert_eq!(known.case, Some(number));
            assert!(!built.get(), "the change is not even built");
            assert_eq!((store.cases().unwrap(), store.outbox().unwrap()), before);
            assert_eq!(blob_files(&dir), blobs);
        }
        assert_eq!(store.raw_mail(&again[1].0.hash).unwrap(), None);
        assert_eq!(store.known_mail(&again[1].0.hash, None).unwrap(), None);
        // The duplicates used no number: the next case is the second.
        let next = mail(b"Subject: nieuw\r\n\r\n", "c.3@example.test");
        let n = done(commit_new_case(&store, &next, b"Subject: nieuw\r\n\r\n").unwrap());
        assert_eq!(n.seq, 2);
    }

    #[test]
    fn a_batch_in_one_flush_sees_its_own_commits() {
        let (_dir, store) = store();
        let other = b"Subject: tweede\r\n\r\ntekst\r\n";
        let (first, again, second) = store
            .in_one_flush(|| {
                assert!(FLUSH_HELD.get(), "held inside");
                let record = mail(RAW, "a.1@example.test");
                let first = commit_new_case(&store, &record, RAW).unwrap();
                // the same mail again in the batch: known, though not flushed yet
                let again = commit_new_case(&store, &record, RAW).unwrap();
                let second =
                    commit_new_case(&store, &mail(other, "b.2@example.test"), other).unwrap();
                (done(first), again, done(second))
            })
            .unwrap();
        assert!(!FLUSH_HELD.get(), "let go after it");
        assert!(matches!(again, Committed::Duplicate(r) if r.case == Some(first)));
        assert_eq!((first.seq, second.seq), (1, 2));
        assert_eq!(store.cases().unwrap().len(), 2);
    }

    #[test]
    fn only_the_outermost_batch_flushes_and_a_panic_lets_go() {
        let (_dir, store) = store();
        store
            .in_one_flush(|| {
                store.in_one_flush(|| ()).unwrap();
                assert!(
                    FLUSH_HELD.get(),
                    "an inner batch leaves the flush to the outer"
                );
            })
            .unwrap();
        assert!(!FLUSH_HELD.get());
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.in_one_flush(|| panic!("a bug in the batch")).unwrap();
        }));
        assert!(panicked.is_err());
        assert!(!FLUSH_HELD.get(), "a panic lets go of the hold");
        // and a commit after it flushes on its own again
        let record = mail(RAW, "a.1@example.test");
        done(commit_new_case(&store, &record, RAW).unwrap());
        assert!(!FLUSH_HELD.get());
    }

    #[test]
    fn update_case_sees_the_case_as_stored() {
        let (_dir, store) = store();
        let number = done(commit_new_case(&store, &mail(RAW, "a.1@example.test"), RAW).unwrap());
        let mark = ack_alert_mark(number);
        let mut previous = store.case(number).unwrap().unwrap().subject;
        for (i, subject) in ["eerste", "tweede"].into_iter().enumerate() {
            let seen = std::cell::RefCell::new(String::new());
            let change = store
                .update_case(number, at(60 + i as i64), |mut case| {
                    seen.replace(case.subject.clone());
                    case.subject = subject.to_string();
                    Ok::<_, StoreError>(Change {
                        case: Some(case),
                        marks: vec![mark.clone()],
                        ..Change::default()
                    })
                })
                .unwrap();
            assert_eq!(*seen.borrow(), previous, "build got the case as stored");
            assert_eq!(change.case.unwrap().subject, subject);
            assert_eq!(store.case(number).unwrap().unwrap().subject, subject);
            previous = subject.to_string();
        }
        assert_eq!(store.mark_time(&mark).unwrap(), Some(at(61)));
        let missing = CaseNumber {
            year: 2026,
            seq: 99,
        };
        let err = store
            .update_case(missing, at(60), |case| {
                Ok::<_, StoreError>(Change {
                    case: Some(case),
                    ..Change::default()
                })
            })
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NoCase(n) if n == missing),
            "{err:?}"
        );
    }

    #[test]
    fn a_failing_build_writes_nothing() {
        let (dir, store) = store();
        let record = mail(RAW, "a.1@example.test");
        let number = done(commit_new_case(&store, &record, RAW).unwrap());
        let before = (store.cases().unwrap(), store.outbox().unwrap());
        let refused = || StoreError::Corrupt {
            key: "test".into(),
            message: "refused".into(),
        };
        // An update whose build fails, having seen the case.
        let err = store
            .update_case(number, at(60), |case| {
                assert_eq!(case.number, number);
                Err::<Change, _>(refused())
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        // A new mail whose case cannot be built.
        let other = b"Subject: tweede\r\n\r\n";
        let second = mail(other, "b.2@example.test");
        let err = store
            .commit(
                Some(MailIn {
                    record: &second,
                    raw: other,
                }),
                Some(2026),
                at(60),
                |_| Err::<Change, _>(refused()),
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        assert_eq!((store.cases().unwrap(), store.outbox().unwrap()), before);
        assert!(store.marks(&case_prefix(number)).unwrap().is_empty());
        assert_eq!(
            store
                .known_mail(&second.hash, second.message_id.as_deref())
                .unwrap(),
            None
        );
        assert_eq!(store.raw_mail(&second.hash).unwrap(), None);
        assert_eq!(blob_files(&dir), (1, 1));
        // Nor was a number used.
        let n = done(commit_new_case(&store, &second, other).unwrap());
        assert_eq!(n.seq, 2);
    }

    #[test]
    fn a_change_to_one_case_may_not_write_another() {
        let (_dir, store) = store();
        let number = done(commit_new_case(&store, &mail(RAW, "a.1@example.test"), RAW).unwrap());
        let err = store
            .update_case(number, at(60), |mut case| {
                case.number.seq += 1;
                Ok::<_, StoreError>(Change {
                    case: Some(case),
                    ..Change::default()
                })
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        assert_eq!(store.cases().unwrap().len(), 1);
    }

    #[test]
    fn commit_plain_writes_letters_and_marks_of_no_case() {
        let (_dir, store) = store();
        let letters = letters();
        let digest = letters
            .write(LetterKind::OwnerDigest, None, sample_context(), at(0))
            .unwrap();
        let change = Change {
            outgoing: vec![digest.clone()],
            marks: vec![DIGEST_MARK.to_string()],
            ..Change::default()
        };
        store.commit_plain(&change, at(5)).unwrap();
        assert_eq!(store.mark_time(DIGEST_MARK).unwrap(), Some(at(5)));
        let [queued] = <[_; 1]>::try_from(store.outbox().unwrap()).unwrap();
        assert_eq!(queued.mail, digest);
        assert!(store.cases().unwrap().is_empty());
    }
}
