//! The only user of sled. Typed trees, one transaction per
//! [`Change`](crate::cases::Change), flushed to disk before anything is acknowledged to
//! anyone (a mail moved, a letter sent).
//!
//! Trees: `cases` (number -> Case), `seq` (year -> last number), `index` (`hash:`/`mid:`
//! keys -> MailRecord: dedupe and threading), `outbox` (keyed hash of the Message-ID ->
//! QueuedMail waiting or failed), `sent` (the same, once sent), `marks` (keys of things
//! done once: reminders, digests; the value is when), `meta` (schema version, the key's
//! check value, mailbox sync state, tombstones `erased/{number}` of cases erased after
//! the retention period).
//!
//! The large bytes live beside the trees as files, not in sled: `mails/<keyed hash>.eml`
//! (each incoming mail, byte for byte: the evidence), `letters/<keyed hash>.eml` (the text
//! of each outgoing mail) and `keys/<keyed hash>.key` (the wrapped data keys). sled 0.34
//! keeps what a process wrote in memory whatever its cache size, so blobs in sled made the
//! daemon grow with every mail. The files are written inside the transaction's closure
//! (same name, same length: a retried closure leaves them be) and synced before the
//! transaction is flushed, so a record never reaches the disk before its bytes or its key.
//!
//! Encrypted at rest (schema 2, `crypt`): every value of `cases`, `index`, `outbox` and
//! `sent`, and every blob file, is sealed with the data key of its case (or of its mail,
//! for a mail of no case); the data keys are wrapped by the master key of `[store]
//! key_file` and kept one file each in `keys/`, so erasing a case destroys its key. Keys
//! and file names that would be personal data (content hashes, Message-IDs, addresses)
//! are keyed hashes. `marks` and `meta` hold times, dates, counters and the sync state:
//! plain JSON.
//!
//! Here: opening (the key file, the schema version), the read side and meta. Beside it:
//! [`keys`] (every key spelt, the store's and its callers'), `crypt` (the keys and the
//! sealing), `commit` (the one-transaction writes), `outbox` (the send queue and the sent
//! tree), `erasure` (retention), `blobs` (the files, their fsync and permissions),
//! `migrate` (the steps between schema versions), `restore` (what `klachtd rebuild`
//! adds), [`archive`] (export and import: every tree and file as bytes, so the archive
//! of an encrypted store is encrypted). Every write holds the writers' gate shared; an
//! export holds it exclusive, so an archive is one snapshot.

pub mod archive;
#[cfg(test)]
mod at_rest;
mod blobs;
mod commit;
mod crypt;
mod erasure;
pub mod keys;
mod migrate;
mod outbox;
mod restore;
#[cfg(test)]
mod testing;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use self::blobs::{BlobKind, Blobs, private_dir, restrict};
pub use self::commit::{Committed, MailIn};
pub use self::crypt::IndexKey;
use self::crypt::{Crypt, DataKey, MasterKey};
pub use self::erasure::{Erasure, Tombstone};
use self::keys::{
    HASH_PREFIX, KEY_CHECK, SCHEMA_KEY, case_key, hash_key, mail_blob_name, mid_key, tree,
};
pub use self::outbox::{OutboxStatus, OutboxSummary, QueuedMail};
use crate::cases::Case;
use crate::domain::CaseNumber;

/// The version of the store's on-disk format this klachtd reads and writes. Recorded in
/// meta at the first open; a store recorded at an older version is brought up to it by
/// `Store::migrate`, one at a newer version (or an unreadable one) is refused.
pub const SCHEMA: u32 = 2;

/// The migrations, oldest first: `MIGRATIONS[i]` brings a store from version `i + 1` to
/// `i + 2`. Adding one means raising [`SCHEMA`] by one (checked at compile time).
type Migration = fn(&Store) -> Result<(), StoreError>;
const MIGRATIONS: &[Migration] = &[migrate::seal_schema_1];
const _: () = assert!(MIGRATIONS.len() + 1 == SCHEMA as usize);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    #[error("store: {0}")]
    Io(#[from] std::io::Error),
    #[error("store: corrupt record {key}: {message}")]
    Corrupt { key: String, message: String },
    #[error(
        "store: schema version {found} is newer than this klachtd supports (version \
         {supported}): use the klachtd that wrote it, or a newer one"
    )]
    Schema { found: u32, supported: u32 },
    #[error(
        "store: schema version {found} is not one klachtd knows (this klachtd supports \
         version {supported}): the store's meta is damaged"
    )]
    SchemaUnreadable { found: String, supported: u32 },
    #[error("store: no case {0}")]
    NoCase(CaseNumber),
    #[error("store at {path} is in use by another process (a running daemon?): {source}")]
    Locked { path: String, source: sled::Error },
    /// The export before a migration could not be written: nothing was migrated.
    #[error("store: the export before the schema migration failed, nothing was migrated: {0}")]
    Archive(Box<archive::ArchiveError>),
    #[error(
        "store: the store is encrypted and its key file {file} is missing: put the store's \
         key file back there (or name it in [store] key_file); nothing was changed"
    )]
    KeyMissing { file: String },
    #[error(
        "store: the key in {file} is not this store's key: put the store's own key file \
         there (or name it in [store] key_file); nothing was changed"
    )]
    KeyWrong { file: String },
    #[error("store: key file {file}: {problem}")]
    KeyUnreadable { file: String, problem: String },
}

impl StoreError {
    /// Whether the store's key file is missing, wrong or unreadable: a restart cannot fix
    /// that (the CLI exits as for a bad config).
    pub fn is_key_file(&self) -> bool {
        matches!(
            self,
            StoreError::KeyMissing { .. }
                | StoreError::KeyWrong { .. }
                | StoreError::KeyUnreadable { .. }
        )
    }
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
    /// A mail from the owner: a command by mail carried out, or one without a command
    /// (a refused one is set aside).
    Owner,
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

pub struct Store {
    db: sled::Db,
    /// The store's directory (the automatic export before a migration goes beside it).
    path: PathBuf,
    /// The writers' gate: every write holds it shared for its transaction and flush, an
    /// export holds it exclusive while it reads, so an archive is one snapshot (sled
    /// has none of its own).
    gate: RwLock<()>,
    cases: sled::Tree,
    seq: sled::Tree,
    blobs: Blobs,
    index: sled::Tree,
    outbox: sled::Tree,
    sent: sled::Tree,
    marks: sled::Tree,
    meta: sled::Tree,
    crypt: Crypt,
}

/// The plain JSON of the values of `marks` and `meta` (times, dates, counters).
fn encode_plain<T: Serialize>(v: &T) -> Vec<u8> {
    // Serializing our own plain structs to JSON cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}

fn decode_plain<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        message: e.to_string(),
    })
}

/// What a sealed value of `tree` under `key` is bound to.
fn value_aad(tree: &str, key: &[u8]) -> Vec<u8> {
    [tree.as_bytes(), b"\0", key].concat()
}

/// Seals a value of `tree` under `key` with `data_key`: the one writer of the sealed
/// trees' values.
fn encode<T: Serialize>(
    tree: &str,
    key: &[u8],
    data_key: &DataKey,
    v: &T,
) -> Result<Vec<u8>, StoreError> {
    Crypt::seal(data_key, &value_aad(tree, key), &encode_plain(v))
}

impl Store {
    /// Opens (or creates) the store; its directory and files are readable by the
    /// daemon's user only. `key_file` holds the master key (outside the store): made
    /// when the store has nothing sealed yet, else required, and checked.
    pub fn open(path: &Path, cache_mib: u64, key_file: &Path) -> Result<Store, StoreError> {
        Self::open_with(path, cache_mib, key_file, MIGRATIONS)
    }

    /// As [`Store::open`], with the migrations given (the tests' fake ones): the version
    /// this code supports is one more than their number.
    fn open_with(
        path: &Path,
        cache_mib: u64,
        key_file: &Path,
        migrations: &[Migration],
    ) -> Result<Store, StoreError> {
        let db = open_db(path, cache_mib)?;
        restrict(path)?;
        let meta = db.open_tree(tree::META)?;
        let master = master_key(&meta, key_file)?;
        let store = Store {
            cases: db.open_tree(tree::CASES)?,
            seq: db.open_tree(tree::SEQ)?,
            blobs: Blobs::open(path)?,
            index: db.open_tree(tree::INDEX)?,
            outbox: db.open_tree(tree::OUTBOX)?,
            sent: db.open_tree(tree::SENT)?,
            marks: db.open_tree(tree::MARKS)?,
            meta,
            crypt: Crypt::new(&master),
            db,
            path: path.to_path_buf(),
            gate: RwLock::new(()),
        };
        if store.meta.get(KEY_CHECK)?.is_none() {
            store.meta_put(KEY_CHECK, &master.check_value())?;
        }
        store.check_schema(migrations)?;
        Ok(store)
    }

    /// The key that stands in for addresses in the marks callers spell
    /// ([`keys::answer_prefix`]).
    pub fn index_key(&self) -> &IndexKey {
        self.crypt.index()
    }

    /// The data key `id`, made if there is none yet.
    fn data_key(&self, id: &str) -> Result<std::sync::Arc<DataKey>, StoreError> {
        self.crypt.key(&self.blobs, id)
    }

    /// Opens a sealed value of `tree` under `key`: the one reader of the sealed trees.
    fn decode<T: DeserializeOwned>(
        &self,
        tree: &str,
        key: &[u8],
        bytes: &[u8],
    ) -> Result<T, StoreError> {
        let what = || format!("{tree}/{}", String::from_utf8_lossy(key));
        let plain = self
            .crypt
            .open(&self.blobs, &value_aad(tree, key), bytes, &what())?;
        serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt {
            key: what(),
            message: e.to_string(),
        })
    }

    /// Seals and writes a blob file (inside a transaction: see `commit`). One already
    /// sealed with the same key and of the same length is left be: a retried closure,
    /// or a mail seen before. Another key (a retry that got another case number) seals
    /// it anew, so the file always opens with its record's key.
    fn put_blob(
        &self,
        kind: BlobKind,
        name: &str,
        key_id: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        if let Some(existing) = self.blobs.get(kind, name)?
            && existing.len() == Crypt::sealed_len(key_id, bytes.len())
            && crypt::split_sealed(&existing).is_some_and(|(id, _)| id == key_id)
        {
            return Ok(());
        }
        let sealed = Crypt::seal(&*self.data_key(key_id)?, &kind.aad(name), bytes)?;
        self.blobs.put(kind, name, &sealed)?;
        Ok(())
    }

    /// Reads and opens a blob file.
    fn get_blob(&self, kind: BlobKind, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(sealed) = self.blobs.get(kind, name)? else {
            return Ok(None);
        };
        let what = format!("{}/{name}", kind.dir_and_ext().0);
        let plain = self
            .crypt
            .open(&self.blobs, &kind.aad(name), &sealed, &what)?;
        Ok(Some(plain.to_vec()))
    }

    /// Reads the recorded schema version: none (a new store) records the one this code
    /// supports (one more than the `migrations`: [`SCHEMA`] with [`MIGRATIONS`]); a newer
    /// or unreadable one is refused, never read; an older one is exported beside the
    /// store (`<store>.schema-<found>.<UTC time>.export`), migrated, and then recorded.
    fn check_schema(&self, migrations: &[Migration]) -> Result<(), StoreError> {
        let supported = migrations.len() as u32 + 1;
        let unreadable = |found: String| StoreError::SchemaUnreadable { found, supported };
        let found = match self.meta.get(SCHEMA_KEY.as_bytes())? {
            None => {
                self.meta_put(SCHEMA_KEY, &supported)?;
                return Ok(());
            }
            Some(v) => serde_json::from_slice::<u32>(&v)
                .map_err(|_| unreadable(String::from_utf8_lossy(&v).into_owned()))?,
        };
        if found > supported {
            return Err(StoreError::Schema { found, supported });
        }
        if found == 0 {
            return Err(unreadable(found.to_string()));
        }
        if found == supported {
            return Ok(());
        }
        // The way back, should a step go wrong: the store as it was, outside it.
        let now = crate::clock::Clock::system().now();
        let backup = archive::before_migration(&self.path, found, now);
        self.export(&backup, now)
            .map_err(|e| StoreError::Archive(Box::new(e)))?;
        tracing::info!(
            from = found,
            to = supported,
            export = %backup.display(),
            "store: an older schema; exported before the migration"
        );
        self.migrate(found, migrations)?;
        self.meta_put(SCHEMA_KEY, &supported)?;
        tracing::info!(schema = supported, "store: migrated");
        Ok(())
    }

    /// Brings a store recorded at version `from` up to the last of `migrations`, one step
    /// at a time; at the last version it does nothing. The new version is recorded (by
    /// the caller) after the last step, so a failed step leaves the store at its old
    /// version and a crash part-way runs the steps again: each must be safe to repeat,
    /// and should write what it changes in one transaction (the export taken before is
    /// the way back).
    fn migrate(&self, from: u32, migrations: &[Migration]) -> Result<(), StoreError> {
        // Steps 1..from are behind the store already.
        for step in migrations.iter().skip(from.saturating_sub(1) as usize) {
            step(self)?;
        }
        Ok(())
    }

    /// What the store knows of a mail, by content hash or Message-ID.
    pub fn known_mail(
        &self,
        hash: &str,
        message_id: Option<&str>,
    ) -> Result<Option<MailRecord>, StoreError> {
        let ik = self.index_key();
        let keys = std::iter::once(hash_key(ik, hash)).chain(message_id.map(|m| mid_key(ik, m)));
        for key in keys {
            if let Some(v) = self.index.get(key.as_bytes())? {
                let record: MailRecord = self.decode(tree::INDEX, key.as_bytes(), &v)?;
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
            let key = mid_key(self.index_key(), id);
            if let Some(v) = self.index.get(key.as_bytes())? {
                let record: MailRecord = self.decode(tree::INDEX, key.as_bytes(), &v)?;
                if record.case.is_some() {
                    return Ok(record.case);
                }
            }
        }
        Ok(None)
    }

    pub fn case(&self, number: CaseNumber) -> Result<Option<Case>, StoreError> {
        let key = case_key(number);
        self.cases
            .get(key.as_bytes())?
            .map(|v| self.decode(tree::CASES, key.as_bytes(), &v))
            .transpose()
    }

    /// All cases, oldest number first.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        let mut cases = self
            .cases
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                self.decode::<Case>(tree::CASES, &k, &v)
            })
            .collect::<Result<Vec<_>, _>>()?;
        cases.sort_by_key(|c| c.number);
        Ok(cases)
    }

    /// The cases still in the procedure, oldest number first.
    pub fn open_cases(&self) -> Result<Vec<Case>, StoreError> {
        let mut open = Vec::new();
        for kv in self.cases.iter() {
            let (k, v) = kv?;
            let case: Case = self.decode(tree::CASES, &k, &v)?;
            if case.state.is_open() {
                open.push(case);
            }
        }
        open.sort_by_key(|c| c.number);
        Ok(open)
    }

    /// An incoming mail as it arrived, by content hash.
    pub fn raw_mail(&self, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.get_blob(BlobKind::Mail, &mail_blob_name(self.index_key(), hash))
    }

    /// Mail records by disposition (e.g. what was set aside).
    pub fn mail_records(&self, disposition: Disposition) -> Result<Vec<MailRecord>, StoreError> {
        let mut out = Vec::new();
        for kv in self.index.scan_prefix(HASH_PREFIX.as_bytes()) {
            let (k, v) = kv?;
            let record: MailRecord = self.decode(tree::INDEX, &k, &v)?;
            if record.disposition == disposition {
                out.push(record);
            }
        }
        // Ties by content hash: the keys' order is a keyed hash's, another per store.
        out.sort_by(|a, b| (a.arrived, &a.hash).cmp(&(b.arrived, &b.hash)));
        Ok(out)
    }

    /// When a mark was recorded (the `now` of the change that recorded it).
    pub fn mark_time(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.marks
            .get(key.as_bytes())?
            .map(|v| decode_plain(key.as_bytes(), &v))
            .transpose()
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
            .map(|v| decode_plain(key.as_bytes(), &v))
            .transpose()
    }

    /// Writes a meta value and flushes.
    pub fn meta_put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.meta.insert(key.as_bytes(), encode_plain(value))?;
        self.db.flush()?;
        Ok(())
    }

    /// A writer's pass through the gate, held for a write's transaction and its flush.
    /// Every write path takes one (never two at once: the gate is not reentrant).
    fn writing(&self) -> RwLockReadGuard<'_, ()> {
        self.gate.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes everything written so far durable: the blob files first, then sled.
    fn flush(&self) -> Result<(), StoreError> {
        self.blobs.sync()?;
        self.db.flush()?;
        Ok(())
    }
}

/// Opens (or creates) sled's files at `path`, a private directory; waits a little for a
/// lock this process is still letting go of, and says so when another process holds it.
fn open_db(path: &Path, cache_mib: u64) -> Result<sled::Db, StoreError> {
    private_dir(path)?;
    // The lock of a store closed a moment ago in this process (a restart, a test)
    // is released by sled's background threads shortly after: wait a little.
    let mut tries = 0;
    loop {
        match sled::Config::new()
            .path(path)
            .cache_capacity(cache_mib.max(1) * 1024 * 1024)
            // Nothing reaches the disk before `flush`, which follows the blob sync.
            .flush_every_ms(None)
            .open()
        {
            Ok(db) => return Ok(db),
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
    }
}

/// The master key for a store whose meta is `meta`: read from `file`, and checked
/// against the check value when the store has one (then a missing or wrong key is
/// refused, and nothing is changed); made when the store has none (a new store, or one
/// of schema 1 about to be sealed).
fn master_key(meta: &sled::Tree, file: &Path) -> Result<MasterKey, StoreError> {
    let check = meta
        .get(KEY_CHECK)?
        .map(|v| decode_plain::<String>(KEY_CHECK.as_bytes(), &v))
        .transpose()?;
    let file_name = || file.display().to_string();
    match (MasterKey::read(file)?, check) {
        (Some(key), Some(check)) if key.check_value() != check => {
            Err(StoreError::KeyWrong { file: file_name() })
        }
        (Some(key), _) => Ok(key),
        (None, Some(_)) => Err(StoreError::KeyMissing { file: file_name() }),
        (None, None) => MasterKey::create(file),
    }
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

#[cfg(test)]
mod tests {
    use super::testing::{commit_new_case, done, mail, open, store};
    use super::*;

    #[test]
    fn the_raw_mail_reads_back_byte_identical() {
        let (_dir, store) = store();
        // CRLF and bare LF, trailing whitespace, 8-bit and invalid UTF-8, a NUL.
        let mut raw = b"Subject: klacht \r\nX-Bin: \xff\xfe\r\n\r\nr\xc3\xa9gel\n  \r\n".to_vec();
        raw.extend([0u8, 0x80, b'\r', b'\n']);
        let record = mail(&raw, "<a.1@example.test>");
        let number = done(commit_new_case(&store, &record, &raw).unwrap());
        assert_eq!(store.raw_mail(&record.hash).unwrap().unwrap(), raw);
        assert_eq!(store.raw_mail(&"0".repeat(64)).unwrap(), None);
        let known = store.known_mail(&record.hash, None).unwrap().unwrap();
        assert_eq!(known.case, Some(number), "the record names the case");
        assert_eq!(store.mail_records(Disposition::NewCase).unwrap(), [known]);
        // ... and after a reopen.
        let dir = _dir;
        drop(store);
        let store = open(&dir).unwrap();
        assert_eq!(store.raw_mail(&record.hash).unwrap().unwrap(), raw);
    }

    #[test]
    fn the_schema_version_is_written_at_the_first_open() {
        let (dir, store) = store();
        assert_eq!(store.meta_get::<u32>(SCHEMA_KEY).unwrap(), Some(SCHEMA));
        drop(store);
        let store = open(&dir).unwrap();
        assert_eq!(store.meta_get::<u32>(SCHEMA_KEY).unwrap(), Some(SCHEMA));
    }

    #[test]
    fn a_newer_schema_version_is_refused() {
        let (dir, store) = store();
        store.meta_put(SCHEMA_KEY, &(SCHEMA + 1)).unwrap();
        drop(store);
        let err = open(&dir).err().expect("refused");
        assert!(
            matches!(err, StoreError::Schema { found, supported } if found == SCHEMA + 1 && supported == SCHEMA),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains(&format!("version {}", SCHEMA + 1)),
            "{message}"
        );
        assert!(message.contains(&format!("version {SCHEMA}")), "{message}");
    }

    #[test]
    fn an_unreadable_schema_version_is_refused() {
        for bad in [serde_json::json!("one"), serde_json::json!(0)] {
            let (dir, store) = store();
            store.meta_put(SCHEMA_KEY, &bad).unwrap();
            drop(store);
            let err = open(&dir).err().expect("refused");
            assert!(
                matches!(&err, StoreError::SchemaUnreadable { supported, .. } if *supported == SCHEMA),
                "{err:?}"
            );
            let message = err.to_string();
            assert!(message.contains(&bad.to_string()), "{message}");
            assert!(message.contains(&format!("version {SCHEMA}")), "{message}");
        }
    }

    #[test]
    fn the_current_version_passes_through_migrate_unchanged() {
        let (dir, store) = store();
        let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
        let number = done(commit_new_case(&store, &mail(raw, "a.1@example.test"), raw).unwrap());
        store.migrate(SCHEMA, MIGRATIONS).unwrap();
        drop(store);
        let store = open(&dir).unwrap();
        assert_eq!(store.meta_get::<u32>(SCHEMA_KEY).unwrap(), Some(SCHEMA));
        assert!(store.case(number).unwrap().is_some());
    }
}
