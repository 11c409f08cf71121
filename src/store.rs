//! The only user of sled. Typed trees, one transaction per [`Change`], flushed to disk
//! before anything is acknowledged to anyone (a mail moved, a letter sent).
//!
//! Trees: `cases` (number -> Case), `seq` (year -> last number), `index` (`hash:`/`mid:` keys -> MailRecord: dedupe and
//! threading), `outbox` (Message-ID -> QueuedMail waiting or failed), `sent` (the same,
//! once sent), `marks` (keys of things done once:
//! reminders, digests; the value is when), `meta` (schema version, mailbox sync state,
//! tombstones `erased/{number}` of cases erased after the retention period).
//!
//! The large bytes live beside the trees as files, not in sled: `mails/<hash>.eml` (each
//! incoming mail, byte for byte: the evidence) and `letters/<hash of Message-ID>.eml` (the
//! text of each outgoing mail). sled 0.34 keeps what a process wrote in memory whatever
//! its cache size, so blobs in sled made the daemon grow with every mail. The files are
//! written inside the transaction's closure (same name, same bytes: a retried closure
//! rewrites them harmlessly) and synced before the transaction is flushed, so a record
//! never reaches the disk before its bytes.

use std::collections::BTreeSet;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use crate::cases::{Case, Change};
use crate::domain::Outgoing;
use crate::domain::{CaseNumber, content_hash};

const SCHEMA: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    #[error("store: {0}")]
    Io(#[from] std::io::Error),
    #[error("store: corrupt record {key}: {message}")]
    Corrupt { key: String, message: String },
    #[error("store: schema version {found} is newer than this klachtd ({SCHEMA})")]
    Schema { found: u32 },
    #[error("store: no case {0}")]
    NoCase(CaseNumber),
    #[error("store at {path} is in use by another process (a running daemon?): {source}")]
    Locked { path: String, source: sled::Error },
}

/// What became of an incoming mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    NewCase,
    FollowUp,
    /// Automated mail (auto-reply, bounce, list, our own): kept, never answered.
    Automated,
    /// Could not be handled; the owner was told.
    SetAside,
    /// One of our own letters (indexed for threading).
    Outgoing,
}

/// The index entry of a mail, by content hash and by Message-ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRecord {
    pub hash: String,
    pub message_id: Option<String>,
    pub arrived: DateTime<Utc>,
    pub disposition: Disposition,
    pub case: Option<CaseNumber>,
    /// Why (automated, set aside); no personal data.
    pub reason: Option<String>,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Pending,
    Sent,
    /// Given up: permanent refusal or too many attempts; the owner was alerted.
    Failed,
}

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

pub struct Store {
    db: sled::Db,
    cases: sled::Tree,
    seq: sled::Tree,
    blobs: Blobs,
    index: sled::Tree,
    outbox: sled::Tree,
    sent: sled::Tree,
    marks: sled::Tree,
    meta: sled::Tree,
}

fn hash_key(hash: &str) -> String {
    format!("hash:{hash}")
}

fn mid_key(id: &str) -> String {
    format!(
        "mid:{}",
        id.trim().trim_start_matches('<').trim_end_matches('>')
    )
}

fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    // Serializing our own plain structs to JSON cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}

fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        message: e.to_string(),
    })
}

impl Store {
    /// Opens (or creates) the store; its directory and files are readable by the
    /// daemon's user only.
    pub fn open(path: &Path, cache_mib: u64) -> Result<Store, StoreError> {
        std::fs::create_dir_all(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
        // The lock of a store closed a moment ago in this process (a restart, a test)
        // is released by sled's background threads shortly after: wait a little.
        let mut tries = 0;
        let db = loop {
            match sled::Config::new()
                .path(path)
                .cache_capacity(cache_mib.max(1) * 1024 * 1024)
                // Nothing reaches the disk before `flush`, which follows the blob sync.
                .flush_every_ms(None)
                .open()
            {
                Ok(db) => break db,
                Err(source) if is_lock_error(&source) => {
                    tries += 1;
                    if tries >= LOCK_TRIES {
                        return Err(StoreError::Locked {
                            path: path.display().to_string(),
                            source,
                        });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(source) => return Err(StoreError::Sled(source)),
            }
        };
        restrict(path)?;
        let store = Store {
            cases: db.open_tree("cases")?,
            seq: db.open_tree("seq")?,
            blobs: Blobs::open(path)?,
            index: db.open_tree("index")?,
            outbox: db.open_tree("outbox")?,
            sent: db.open_tree("sent")?,
            marks: db.open_tree("marks")?,
            meta: db.open_tree("meta")?,
            db,
        };
        match store.meta_get::<u32>("schema")? {
            Some(found) if found > SCHEMA => return Err(StoreError::Schema { found }),
            Some(_) => {}
            None => {
                store.meta_put("schema", &SCHEMA)?;
                store.db.flush()?;
            }
        }
        Ok(store)
    }

    /// What the store knows of a mail, by content hash or Message-ID.
    pub fn known_mail(
        &self,
        hash: &str,
        message_id: Option<&str>,
    ) -> Result<Option<MailRecord>, StoreError> {
        let keys = std::iter::once(hash_key(hash)).chain(message_id.map(mid_key));
        for key in keys {
            if let Some(v) = self.index.get(key.as_bytes())? {
                let record: MailRecord = decode(key.as_bytes(), &v)?;
                if record.disposition != Disposition::Outgoing {
                    return Ok(Some(record));
                }
            }
        }
        Ok(None)
    }

    /// The case a mail belongs to by its thread (In-Reply-To, References), newest first.
    pub fn case_by_thread(&self, ids: &[String]) -> Result<Option<CaseNumber>, StoreError> {
        for id in ids.iter().rev() {
            let key = mid_key(id);
            if let Some(v) = self.index.get(key.as_bytes())? {
                let record: MailRecord = decode(key.as_bytes(), &v)?;
                if record.case.is_some() {
                    return Ok(record.case);
                }
            }
        }
        Ok(None)
    }

    pub fn case(&self, number: CaseNumber) -> Result<Option<Case>, StoreError> {
        let key = number.to_string();
        self.cases
            .get(key.as_bytes())?
            .map(|v| decode(key.as_bytes(), &v))
            .transpose()
    }

    /// All cases, oldest number first.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        let mut cases = self
            .cases
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                decode::<Case>(&k, &v)
            })
            .collect::<Result<Vec<_>, _>>()?;
        cases.sort_by_key(|c| c.number);
        Ok(cases)
    }

    /// An incoming mail as it arrived, by content hash.
    pub fn raw_mail(&self, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.blobs.get(BlobKind::Mail, hash)?)
    }

    /// Mail records by disposition (e.g. what was set aside).
    pub fn mail_records(&self, disposition: Disposition) -> Result<Vec<MailRecord>, StoreError> {
        let mut out = Vec::new();
        for kv in self.index.scan_prefix(b"hash:") {
            let (k, v) = kv?;
            let record: MailRecord = decode(&k, &v)?;
            if record.disposition == disposition {
                out.push(record);
            }
        }
        out.sort_by_key(|r| r.arrived);
        Ok(out)
    }

    /// Makes one change durable: the incoming mail (if any) with its index entries, a new
    /// case number (when `new_case_year` is given, allocated in the same transaction),
    /// the case, its outgoing mails, and its marks. `build` turns the allocated number
    /// into the change; it may run more than once (sled retries on conflict), so it must
    /// be pure. Flushed to disk before returning.
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
            if let Some(m) = mail {
                let keys = std::iter::once(hash_key(&m.record.hash))
                    .chain(m.record.message_id.as_deref().map(mid_key));
                for key in keys {
                    if let Some(v) = index.get(key.as_bytes())? {
                        let known: MailRecord = decode(key.as_bytes(), &v).map_err(fail)?;
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
                    let key = n.to_string();
                    match cases.get(key.as_bytes())? {
                        Some(v) => Some(decode::<Case>(key.as_bytes(), &v).map_err(fail)?),
                        None => None,
                    }
                }
                None => None,
            };
            let change = build(number, case).map_err(rejected)?;
            let case_number = change.case.as_ref().map(|c| c.number);
            if let Some(m) = mail {
                self.blobs
                    .put(BlobKind::Mail, &m.record.hash, m.raw)
                    .map_err(|e| fail(e.into()))?;
                let record = MailRecord {
                    case: m.record.case.or(case_number),
                    ..m.record.clone()
                };
                index.insert(hash_key(&record.hash).as_bytes(), encode(&record))?;
                if let Some(id) = &record.message_id {
                    index.insert(mid_key(id).as_bytes(), encode(&record))?;
                }
            }
            self.blobs
                .put_letters(&change.outgoing)
                .map_err(|e| fail(e.into()))?;
            write_change(cases, index, outbox, marks, &change, now)?;
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
        self.flush()?;
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
        let trees = (&self.cases, &self.index, &self.outbox, &self.marks);
        let result = trees.transaction(|(cases, index, outbox, marks)| {
            let fail = |e: E| ConflictableTransactionError::Abort(e);
            let key = number.to_string();
            let case: Case = match cases.get(key.as_bytes())? {
                Some(v) => decode(key.as_bytes(), &v).map_err(|e| fail(e.into()))?,
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
            self.blobs
                .put_letters(&change.outgoing)
                .map_err(|e| fail(StoreError::from(e).into()))?;
            write_change(cases, index, outbox, marks, &change, now)?;
            Ok(change)
        });
        let change = match result {
            Ok(change) => change,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(StoreError::from(e).into()),
        };
        self.flush()?;
        Ok(change)
    }

    /// Makes a change that belongs to no case durable (e.g. the weekly digest and its
    /// mark). Flushed.
    pub fn commit_plain(&self, change: &Change, now: DateTime<Utc>) -> Result<(), StoreError> {
        let trees = (&self.cases, &self.index, &self.outbox, &self.marks);
        trees
            .transaction(|(cases, index, outbox, marks)| {
                self.blobs
                    .put_letters(&change.outgoing)
                    .map_err(|_| ConflictableTransactionError::Abort(()))?;
                write_change(cases, index, outbox, marks, change, now)?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Sled(e),
                TransactionError::Abort(()) => StoreError::Corrupt {
                    key: "change".into(),
                    message: "aborted".into(),
                },
            })?;
        self.flush()?;
        Ok(())
    }

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
            let record: MailRecord = decode(&k, &v)?;
            if record.case == Some(number) {
                index_keys.insert(String::from_utf8_lossy(&k).into_owned());
                if record.disposition != Disposition::Outgoing {
                    mails.insert(record.hash.clone());
                }
            }
        }
        let mut outbox = BTreeSet::new();
        for kv in self.outbox.iter().chain(self.sent.iter()) {
            let (k, v) = kv?;
            let q: QueuedMail = decode(&k, &v)?;
            if q.mail.case == Some(number) {
                outbox.insert(String::from_utf8_lossy(&k).into_owned());
            }
        }
        let marks = self.marks(&format!("{number}/"))?;
        Ok(Some(Erasure {
            number,
            mails,
            index_keys,
            outbox,
            marks,
        }))
    }

    /// Erases a case and everything that holds its personal data: in one transaction the
    /// case record, its index entries, its outgoing mails and its marks; then the files of
    /// its raw mails and letters. What stays is a tombstone `erased/{number}` in meta with the date of the
    /// erasure and nothing else. Returns false when there was no such case. Flushed.
    pub fn erase_case(&self, number: CaseNumber, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let Some(plan) = self.erasure_plan(number)? else {
            return Ok(false);
        };
        let tombstone = Tombstone {
            erased: crate::rules::calendar::local_date(now),
        };
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
                cases.remove(number.to_string().as_bytes())?;
                for key in &plan.index_keys {
                    index.remove(key.as_bytes())?;
                }
                for key in &plan.outbox {
                    outbox.remove(key.as_bytes())?;
                    sent.remove(key.as_bytes())?;
                }
                for key in &plan.marks {
                    marks.remove(key.as_bytes())?;
                }
                meta.insert(format!("erased/{number}").as_bytes(), encode(&tombstone))?;
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
        // The records are gone for good; now their bytes.
        for hash in &plan.mails {
            self.blobs.remove(BlobKind::Mail, hash)?;
        }
        for id in &plan.outbox {
            self.blobs.remove(BlobKind::Letter, id)?;
        }
        Ok(true)
    }

    /// The tombstone of an erased case.
    pub fn tombstone(&self, number: CaseNumber) -> Result<Option<Tombstone>, StoreError> {
        self.meta_get(&format!("erased/{number}"))
    }

    /// When a mark was recorded (the `now` of the change that recorded it).
    pub fn mark_time(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.marks
            .get(key.as_bytes())?
            .map(|v| decode(key.as_bytes(), &v))
            .transpose()
    }

    /// The cases still in the procedure, oldest number first.
    pub fn open_cases(&self) -> Result<Vec<Case>, StoreError> {
        let mut open = Vec::new();
        for kv in self.cases.iter() {
            let (k, v) = kv?;
            let case: Case = decode(&k, &v)?;
            if case.state.is_open() {
                open.push(case);
            }
        }
        open.sort_by_key(|c| c.number);
        Ok(open)
    }

    /// One mail of the outbox (waiting, sent or failed), by Message-ID, without its text.
    pub fn queued(&self, message_id: &str) -> Result<Option<QueuedMail>, StoreError> {
        let key = message_id.as_bytes();
        self.outbox
            .get(key)?
            .or(self.sent.get(key)?)
            .map(|v| decode(key, &v))
            .transpose()
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
            let q: QueuedMail = decode(&k, &v)?;
            if q.status == OutboxStatus::Pending && q.next_try <= now {
                due.push(q);
                if due.len() > limit.saturating_mul(4) {
                    // Keep memory bounded on a long queue: the oldest `limit` survive.
                    due.sort_by_key(|q| (q.next_try, q.queued));
                    due.truncate(limit);
                }
            }
        }
        due.sort_by_key(|q| (q.next_try, q.queued));
        due.truncate(limit);
        for q in &mut due {
            q.mail.raw = self.letter_text(&q.mail.message_id)?;
        }
        Ok(due)
    }

    /// The text of an outgoing mail. Missing text is a damaged store: an error naming it.
    fn letter_text(&self, message_id: &str) -> Result<Vec<u8>, StoreError> {
        self.blobs
            .get(BlobKind::Letter, message_id)?
            .ok_or_else(|| StoreError::Corrupt {
                key: message_id.to_string(),
                message: "the text of this letter is missing from letters/".into(),
            })
    }

    /// Every mail in the outbox, sent ones too (for status and tests).
    pub fn outbox(&self) -> Result<Vec<QueuedMail>, StoreError> {
        let mut all = self
            .outbox
            .iter()
            .chain(self.sent.iter())
            .map(|kv| {
                let (k, v) = kv?;
                let mut q = decode::<QueuedMail>(&k, &v)?;
                q.mail.raw = self.letter_text(&q.mail.message_id)?;
                Ok(q)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        all.sort_by_key(|q| q.queued);
        Ok(all)
    }

    /// Records the result of a send attempt, and queues `alert` (to the owner) in the
    /// same transaction when there is one. Flushed.
    pub fn record_attempt(
        &self,
        updated: &QueuedMail,
        alert: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let trees = (&self.outbox, &self.sent, &self.index);
        trees
            .transaction(|(outbox, sent, index)| {
                if let Some(alert) = alert {
                    self.blobs
                        .put_letters(std::slice::from_ref(alert))
                        .map_err(|_| ConflictableTransactionError::Abort(()))?;
                }
                let key = updated.mail.message_id.as_bytes();
                if updated.status == OutboxStatus::Sent {
                    // Sent mail leaves the queue, so a send pass reads only what waits.
                    outbox.remove(key)?;
                    sent.insert(key, encode(updated))?;
                } else {
                    outbox.insert(key, encode(updated))?;
                }
                if let Some(alert) = alert {
                    queue_into(outbox, index, alert, now)?;
                }
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Sled(e),
                TransactionError::Abort(()) => StoreError::Corrupt {
                    key: updated.mail.message_id.clone(),
                    message: "aborted".into(),
                },
            })?;
        self.flush()?;
        Ok(())
    }

    /// Makes everything written so far durable: the blob files first, then sled.
    fn flush(&self) -> Result<(), StoreError> {
        self.blobs.sync()?;
        self.db.flush()?;
        Ok(())
    }

    /// The marks under a prefix (e.g. the reminders sent for one case).
    pub fn marks(&self, prefix: &str) -> Result<BTreeSet<String>, StoreError> {
        self.marks
            .scan_prefix(prefix.as_bytes())
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k?).into_owned()))
            .collect()
    }

    pub fn meta_get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        self.meta
            .get(key.as_bytes())?
            .map(|v| decode(key.as_bytes(), &v))
            .transpose()
    }

    /// Writes a meta value and flushes.
    pub fn meta_put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        self.meta.insert(key.as_bytes(), encode(value))?;
        self.db.flush()?;
        Ok(())
    }
}

/// Writes a change's case, outgoing mails (with their index entries) and marks.
fn write_change(
    cases: &TransactionalTree,
    index: &TransactionalTree,
    outbox: &TransactionalTree,
    marks: &TransactionalTree,
    change: &Change,
    now: DateTime<Utc>,
) -> Result<(), sled::transaction::UnabortableTransactionError> {
    if let Some(case) = &change.case {
        cases.insert(case.number.to_string().as_bytes(), encode(case))?;
    }
    for out in &change.outgoing {
        queue_into(outbox, index, out, now)?;
    }
    for mark in &change.marks {
        marks.insert(mark.as_bytes(), encode(&now))?;
    }
    Ok(())
}

fn queue_into(
    outbox: &TransactionalTree,
    index: &TransactionalTree,
    out: &Outgoing,
    now: DateTime<Utc>,
) -> Result<(), sled::transaction::UnabortableTransactionError> {
    let queued = QueuedMail {
        mail: out.clone(),
        queued: now,
        attempts: 0,
        next_try: now,
        status: OutboxStatus::Pending,
        last_error: None,
    };
    outbox.insert(out.message_id.as_bytes(), encode(&queued))?;
    let record = MailRecord {
        hash: out.message_id.clone(),
        message_id: Some(out.message_id.clone()),
        arrived: now,
        disposition: Disposition::Outgoing,
        case: out.case,
        reason: None,
    };
    index.insert(mid_key(&out.message_id).as_bytes(), encode(&record))?;
    Ok(())
}

/// The next number in `year`'s sequence, inside the transaction.
fn next_number(
    seq: &TransactionalTree,
    year: i32,
) -> Result<CaseNumber, sled::transaction::UnabortableTransactionError> {
    let key = year.to_be_bytes();
    let last = seq
        .get(key)?
        .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
        .map(u32::from_be_bytes)
        .unwrap_or(0);
    let seq_no = last + 1;
    seq.insert(&key, &seq_no.to_be_bytes())?;
    Ok(CaseNumber { year, seq: seq_no })
}

/// How often [`Store::open`] tries a locked store, 100 ms apart.
const LOCK_TRIES: u32 = 30;

/// Whether sled could not lock the store: another process (or a store still closing in
/// this one) has it. sled reports the lock failure as an `Other` IO error naming it.
fn is_lock_error(e: &sled::Error) -> bool {
    match e {
        sled::Error::Io(e) => {
            e.kind() == std::io::ErrorKind::WouldBlock
                || e.raw_os_error() == Some(11)
                || e.to_string().contains("could not acquire lock")
        }
        _ => false,
    }
}

/// Makes every file under the store readable by the daemon's user only.
fn restrict(path: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let mode = if entry.file_type()?.is_dir() {
            0o700
        } else {
            0o600
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode))?;
        if entry.file_type()?.is_dir() {
            restrict(&entry.path())?;
        }
    }
    Ok(())
}

/// The two kinds of bytes kept as files beside the trees.
#[derive(Debug, Clone, Copy)]
enum BlobKind {
    /// An incoming mail, named by its content hash.
    Mail,
    /// The text of an outgoing mail, named by the hash of its Message-ID.
    Letter,
}

/// The blob files of the store, and the ones written but not yet synced.
struct Blobs {
    mails: PathBuf,
    letters: PathBuf,
    unsynced: std::sync::Mutex<Vec<PathBuf>>,
}

impl Blobs {
    fn open(store: &Path) -> std::io::Result<Blobs> {
        let blobs = Blobs {
            mails: store.join("mails"),
            letters: store.join("letters"),
            unsynced: std::sync::Mutex::new(Vec::new()),
        };
        for dir in [&blobs.mails, &blobs.letters] {
            std::fs::create_dir_all(dir)?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(blobs)
    }

    fn path(&self, kind: BlobKind, key: &str) -> PathBuf {
        match kind {
            BlobKind::Mail => self.mails.join(format!("{}.eml", content_hash_name(key))),
            BlobKind::Letter => self
                .letters
                .join(format!("{}.eml", content_hash(key.as_bytes()))),
        }
    }

    /// Writes a blob (tmp file, then rename); the same bytes again leave it be.
    fn put(&self, kind: BlobKind, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(kind, key);
        if std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) {
            return Ok(());
        }
        let tmp = path.with_extension("tmp");
        {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?;
            std::io::Write::write_all(&mut f, bytes)?;
        }
        std::fs::rename(&tmp, &path)?;
        self.unsynced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path);
        Ok(())
    }

    fn put_letters(&self, letters: &[Outgoing]) -> std::io::Result<()> {
        for letter in letters {
            self.put(BlobKind::Letter, &letter.message_id, &letter.raw)?;
        }
        Ok(())
    }

    fn get(&self, kind: BlobKind, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        match std::fs::read(self.path(kind, key)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn remove(&self, kind: BlobKind, key: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(kind, key)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// fsyncs the files written since the last sync, and their directories.
    fn sync(&self) -> std::io::Result<()> {
        let written = std::mem::take(&mut *self.unsynced.lock().unwrap_or_else(|e| e.into_inner()));
        if written.is_empty() {
            return Ok(());
        }
        for path in &written {
            std::fs::File::open(path)?.sync_all()?;
        }
        for dir in [&self.mails, &self.letters] {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

/// A content hash is already a safe file name; anything else is hashed.
fn content_hash_name(key: &str) -> String {
    if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        key.to_string()
    } else {
        content_hash(key.as_bytes())
    }
}
