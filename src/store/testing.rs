//! What the store's tests share: a store in a temporary directory, and a new case with
//! its acknowledgement built from the crate's samples (`sample_case`, `sample_settings`,
//! `Letters::new`).

use std::path::PathBuf;

use tempfile::TempDir;

use chrono::{DateTime, Utc};

use super::{Committed, MailIn, MailRecord, Store, StoreError};
use crate::cases::{Change, Direction, MailRef};
use crate::domain::{CaseNumber, LetterKind, content_hash};
use crate::letters::{Letters, sample_case, sample_context, sample_settings};

/// The sample case's receipt, plus `secs` seconds.
pub(super) fn at(secs: i64) -> DateTime<Utc> {
    sample_case().received + chrono::Duration::seconds(secs)
}

/// A new store in a temporary directory (kept as long as the `TempDir`): the store in
/// `store/`, its key file `store.key` beside it.
pub(super) fn store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).unwrap();
    (dir, store)
}

/// The store directory of a test's temporary directory.
pub(super) fn store_dir(dir: &TempDir) -> PathBuf {
    dir.path().join("store")
}

/// The key file of a test's store.
pub(super) fn key_file(dir: &TempDir) -> PathBuf {
    dir.path().join("store.key")
}

/// Opens (again) the store of a test's temporary directory.
pub(super) fn open(dir: &TempDir) -> Result<Store, StoreError> {
    Store::open(&store_dir(dir), 1, &key_file(dir))
}

/// The index record of a new complaint `raw` with `message_id`, arrived at `at(0)`.
pub(super) fn mail(raw: &[u8], message_id: &str) -> MailRecord {
    MailRecord {
        hash: content_hash(raw),
        message_id: Some(message_id.to_string()),
        arrived: at(0),
        disposition: super::Disposition::NewCase,
        case: None,
        reason: None,
    }
}

pub(super) fn letters() -> Letters {
    Letters::new(&sample_settings()).unwrap()
}

/// A new case numbered `number` for the mail `record`, with its acknowledgement.
pub(super) fn new_case(letters: &Letters, number: CaseNumber, record: &MailRecord) -> Change {
    let mut case = sample_case();
    case.number = number;
    case.mails.push(MailRef {
        hash: record.hash.clone(),
        message_id: record.message_id.clone(),
        received: record.arrived,
        direction: Direction::In,
        subject: "Klacht".into(),
    });
    let ack = letters
        .write(
            LetterKind::Acknowledgement,
            Some(&case),
            sample_context(),
            at(0),
        )
        .unwrap();
    Change {
        case: Some(case),
        new_case: true,
        outgoing: vec![ack],
        marks: Vec::new(),
    }
}

/// Commits the mail as a new case of 2026 at `at(0)`, as the registry does.
pub(super) fn commit_new_case(
    store: &Store,
    record: &MailRecord,
    raw: &[u8],
) -> Result<Committed, StoreError> {
    let letters = letters();
    store.commit(Some(MailIn { record, raw }), Some(2026), at(0), |n| {
        Ok(new_case(&letters, n.expect("a number"), record))
    })
}

/// The number of a committed new case.
pub(super) fn done(committed: Committed) -> CaseNumber {
    match committed {
        Committed::Done(change) => change.case.expect("a case").number,
        Committed::Duplicate(r) => panic!("a duplicate of {r:?}"),
    }
}

/// How many blob files there are: (`mails/`, `letters/`).
pub(super) fn blob_files(dir: &TempDir) -> (usize, usize) {
    let store = store_dir(dir);
    let count = |sub| std::fs::read_dir(store.join(sub)).unwrap().count();
    (count("mails"), count("letters"))
}
