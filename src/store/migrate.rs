//! The steps between schema versions (`MIGRATIONS` in `store/mod.rs`), each safe to run
//! again after a crash part-way.
//!
//! Schema 1 → 2 seals a store in place: every blob file is sealed under its new (keyed)
//! name, every value of `cases`, `index`, `outbox` and `sent` is sealed (the index and
//! outbox keys renamed to keyed hashes), the per-address answer marks (unkeyed hashes of
//! addresses, one day's loop counters) are removed, and only when all that is flushed are
//! the plaintext files overwritten and removed. sled 0.34 has no forced compaction: the
//! old plaintext values stay in its log segments until sled rewrites those segments in
//! its own time; an export and import of the store (a fresh sled) leaves none.

use std::collections::HashMap;

use serde::de::DeserializeOwned;

use super::blobs::BlobKind;
use super::crypt::SEALED;
use super::keys::{
    HASH_PREFIX, case_key_id, hash_key, letter_blob_name, mail_blob_name, mail_key_id, mid_key,
    outbox_key, tree, v1,
};
use super::{MailRecord, QueuedMail, Store, StoreError, decode_plain, encode};
use crate::cases::Case;
use crate::domain::CaseNumber;

/// Whether a value is sealed already (a step run before a crash); JSON starts otherwise.
fn is_sealed(v: &[u8]) -> bool {
    v.first() == Some(&SEALED)
}

/// Schema 1 → 2: see the module's doc.
pub(super) fn seal_schema_1(store: &Store) -> Result<(), StoreError> {
    let letters = letter_ids(store)?;
    seal_blobs(store, &letters)?;
    store.blobs.sync()?;
    seal_cases(store)?;
    seal_index(store)?;
    seal_outbox(store)?;
    for key in store.marks.scan_prefix(v1::ANSWERS_PREFIX).keys() {
        store.marks.remove(key?)?;
    }
    store.db.flush()?;
    // Everything is sealed and durable: now the plaintext files go.
    for kind in [BlobKind::Mail, BlobKind::Letter] {
        for name in store.blobs.names(kind)? {
            if is_v1_name(&name) {
                store.blobs.shred(kind, &name)?;
            }
        }
    }
    tracing::info!("store sealed: schema 1 -> 2 (encrypted at rest)");
    Ok(())
}

/// Schema 1 named blobs by a sha256 (64 hexadecimal characters); schema 2 by keyed
/// hashes of 32.
fn is_v1_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A value as schema 1 wrote it or as this step sealed it already.
fn either<T: DeserializeOwned>(
    store: &Store,
    tree: &str,
    key: &[u8],
    v: &[u8],
) -> Result<T, StoreError> {
    if is_sealed(v) {
        store.decode(tree, key, v)
    } else {
        decode_plain(key, v)
    }
}

/// The Message-ID and case of each outgoing mail, by the schema-1 name of its text.
fn letter_ids(store: &Store) -> Result<HashMap<String, (String, Option<CaseNumber>)>, StoreError> {
    let mut ids = HashMap::new();
    for (name, t) in [(tree::OUTBOX, &store.outbox), (tree::SENT, &store.sent)] {
        for kv in t.iter() {
            let (k, v) = kv?;
            let q: QueuedMail = either(store, name, &k, &v)?;
            let id = q.mail.message_id;
            ids.insert(v1::letter_blob_name(&id), (id, q.mail.case));
        }
    }
    Ok(ids)
}

/// Seals every schema-1 blob file under its schema-2 name (the plaintext stays until the
/// end of the step).
fn seal_blobs(
    store: &Store,
    letters: &HashMap<String, (String, Option<CaseNumber>)>,
) -> Result<(), StoreError> {
    let ik = store.index_key();
    for name in store.blobs.names(BlobKind::Mail)? {
        if !is_v1_name(&name) {
            continue;
        }
        let Some(raw) = store.blobs.get(BlobKind::Mail, &name)? else {
            continue;
        };
        // The name is the content hash: its record (plain, or sealed already) names
        // the case; a mail of no record is sealed with a key of its own.
        let hash = v1::mail_blob_name(&name);
        let case = match store.index.get(v1::hash_key(&hash))? {
            Some(v) => record_case(store, v1::hash_key(&hash).as_bytes(), &v)?,
            None => {
                let key = hash_key(ik, &hash);
                match store.index.get(key.as_bytes())? {
                    Some(v) => record_case(store, key.as_bytes(), &v)?,
                    None => None,
                }
            }
        };
        let key_id = mail_key_id(ik, case, &hash);
        store.put_blob(BlobKind::Mail, &mail_blob_name(ik, &hash), &key_id, &raw)?;
    }
    for name in store.blobs.names(BlobKind::Letter)? {
        if !is_v1_name(&name) {
            continue;
        }
        let Some(raw) = store.blobs.get(BlobKind::Letter, &name)? else {
            continue;
        };
        // A letter's text whose outgoing mail is gone (none in schema 1's own writes)
        // is kept under its old name's hash, sealed.
        let (id, case) = letters.get(&name).cloned().unwrap_or((name.clone(), None));
        let key_id = mail_key_id(ik, case, &id);
        store.put_blob(BlobKind::Letter, &letter_blob_name(ik, &id), &key_id, &raw)?;
    }
    Ok(())
}

fn record_case(store: &Store, key: &[u8], v: &[u8]) -> Result<Option<CaseNumber>, StoreError> {
    Ok(either::<MailRecord>(store, tree::INDEX, key, v)?.case)
}

fn seal_cases(store: &Store) -> Result<(), StoreError> {
    for kv in store.cases.iter() {
        let (k, v) = kv?;
        if is_sealed(&v) {
            continue;
        }
        let case: Case = decode_plain(&k, &v)?;
        let data_key = store.data_key(&case_key_id(case.number))?;
        store
            .cases
            .insert(&k, encode(tree::CASES, &k, &data_key, &case)?)?;
    }
    Ok(())
}

/// `hash:{hash}` / `mid:{id}` with plain records → keyed keys with sealed records.
fn seal_index(store: &Store) -> Result<(), StoreError> {
    let ik = store.index_key();
    for kv in store.index.iter() {
        let (k, v) = kv?;
        if is_sealed(&v) {
            continue;
        }
        let record: MailRecord = decode_plain(&k, &v)?;
        let old = String::from_utf8_lossy(&k);
        let new = match (old.strip_prefix(HASH_PREFIX), old.strip_prefix("mid:")) {
            (Some(hash), _) => hash_key(ik, hash),
            (None, Some(id)) => mid_key(ik, id),
            (None, None) => {
                return Err(StoreError::Corrupt {
                    key: old.into_owned(),
                    message: "an index key of schema 1 that is neither hash: nor mid:".into(),
                });
            }
        };
        let data_key = store.data_key(&mail_key_id(ik, record.case, &record.hash))?;
        let sealed = encode(tree::INDEX, new.as_bytes(), &data_key, &record)?;
        let mut batch = sled::Batch::default();
        batch.insert(new.as_bytes(), sealed);
        batch.remove(&k);
        store.index.apply_batch(batch)?;
    }
    Ok(())
}

/// Outbox and sent: Message-ID keys with plain values → keyed keys with sealed values.
fn seal_outbox(store: &Store) -> Result<(), StoreError> {
    let ik = store.index_key();
    for (name, t) in [(tree::OUTBOX, &store.outbox), (tree::SENT, &store.sent)] {
        for kv in t.iter() {
            let (k, v) = kv?;
            if is_sealed(&v) {
                continue;
            }
            let q: QueuedMail = decode_plain(&k, &v)?;
            let id = &q.mail.message_id;
            debug_assert_eq!(v1::outbox_key(id), &*k);
            let new = outbox_key(ik, id);
            let data_key = store.data_key(&mail_key_id(ik, q.mail.case, id))?;
            let sealed = encode(name, new.as_bytes(), &data_key, &q)?;
            let mut batch = sled::Batch::default();
            batch.insert(new.as_bytes(), sealed);
            batch.remove(&k);
            t.apply_batch(batch)?;
        }
    }
    Ok(())
}
