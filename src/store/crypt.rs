//! Encryption at rest: the master key (`[store] key_file`, outside the store), what is
//! derived from it (the wrapping key, the index key, the check value in meta), the
//! per-case keys wrapped by it (one small file each in `keys/`, destroyed on erasure),
//! and the sealing of values and blob files with XChaCha20-Poly1305.
//!
//! A sealed value is `1 | length of the key id | key id | nonce (24) | ciphertext + tag`.
//! The key id (`case/KL-2026-0001`, `mail/{keyed hash}`) is in clear so that a reader
//! knows which key opens it; the associated data is where the value lives (tree and sled
//! key, or blob directory and file name), so a value moved elsewhere does not open.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::StoreError;
use super::blobs::{BlobKind, Blobs};
use super::keys::key_file_name;
use crate::procedure::owner::token::{key_from_hex, key_to_hex};

/// The first byte of every sealed value and file.
pub(super) const SEALED: u8 = 1;
const NONCE: usize = 24;
/// Poly1305's tag.
const TAG: usize = 16;
/// How many unwrapped keys are kept in memory; past it the cache starts afresh (a case's
/// key is unwrapped again from its file the next time, one read).
const CACHE: usize = 4096;

type Secret = Zeroizing<[u8; 32]>;

/// The keyed hash that stands in for what is personal data in a key or a file name (an
/// address, a Message-ID, a content hash): without the master key it confirms nothing.
pub struct IndexKey(Secret);

impl std::fmt::Debug for IndexKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexKey(..)")
    }
}

impl IndexKey {
    #[cfg(test)]
    pub(super) fn for_tests(bytes: [u8; 32]) -> IndexKey {
        IndexKey(Zeroizing::new(bytes))
    }

    /// 128 bits of HMAC-SHA256 over `label` and `value`, as 32 hexadecimal characters.
    pub fn hash(&self, label: &str, value: &str) -> String {
        let mac = hmac(&self.0, &[label.as_bytes(), b"\0", value.as_bytes()]);
        key_to_hex(&mac)[..32].to_string()
    }
}

fn hmac(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

fn random<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| std::io::Error::other(format!("no random bytes: {e}")))?;
    Ok(bytes)
}

/// The master key as read from its file.
pub(super) struct MasterKey {
    key: Secret,
}

impl MasterKey {
    /// Reads the key file: None when it does not exist; an error naming the file when its
    /// first line is not 64 hexadecimal characters.
    pub(super) fn read(file: &Path) -> Result<Option<MasterKey>, StoreError> {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => Zeroizing::new(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(key_unreadable(file, e.to_string())),
        };
        let key = key_from_hex(text.lines().next().unwrap_or_default())
            .map_err(|problem| key_unreadable(file, problem))?;
        Ok(Some(MasterKey {
            key: Zeroizing::new(key),
        }))
    }

    /// Writes a new random key to `file` (0600; never over an existing file), for a store
    /// that has no data yet, and logs where it is.
    pub(super) fn create(file: &Path) -> Result<MasterKey, StoreError> {
        use std::io::Write;
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let key = Zeroizing::new(random::<32>()?);
        let line = Zeroizing::new(format!("{}\n", key_to_hex(&key)));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(file)
            .map_err(|e| key_unreadable(file, format!("cannot create it: {e}")))?;
        f.write_all(line.as_bytes())?;
        f.sync_all()?;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))?;
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        tracing::info!(file = %file.display(), "created the store's key file: keep it, and back it up apart from the store");
        Ok(MasterKey { key })
    }

    /// The value recorded in meta at creation that tells this key from another.
    pub(super) fn check_value(&self) -> String {
        key_to_hex(&hmac(&self.key, &[b"klachtd store: check"]))
    }
}

fn key_unreadable(file: &Path, problem: String) -> StoreError {
    StoreError::KeyUnreadable {
        file: file.display().to_string(),
        problem,
    }
}

/// One unwrapped data key and its id.
pub(super) struct DataKey {
    pub(super) id: String,
    key: Secret,
}

/// The store's key material: the wrapping and index keys derived from the master key,
/// and the unwrapped data keys in use.
pub(super) struct Crypt {
    wrap: Secret,
    index: IndexKey,
    cache: Mutex<HashMap<String, Arc<DataKey>>>,
}

impl Crypt {
    pub(super) fn new(master: &MasterKey) -> Crypt {
        Crypt {
            wrap: Zeroizing::new(hmac(&master.key, &[b"klachtd store: wrap"])),
            index: IndexKey(Zeroizing::new(hmac(
                &master.key,
                &[b"klachtd store: index"],
            ))),
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub(super) fn index(&self) -> &IndexKey {
        &self.index
    }

    /// The data key `id`, made (and its wrapped form written to `keys/`) if there is none
    /// yet. The cache's lock is held while a key is made, so one id never gets two keys.
    pub(super) fn key(&self, blobs: &Blobs, id: &str) -> Result<Arc<DataKey>, StoreError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(key) = cache.get(id) {
            return Ok(key.clone());
        }
        let key = match self.unwrap_file(blobs, id)? {
            Some(key) => key,
            None => {
                let key = Zeroizing::new(random::<32>()?);
                let wrapped = seal_bytes(&self.wrap, &wrap_aad(id), key.as_slice())?;
                blobs.put(BlobKind::Key, &self.key_file(id), &wrapped)?;
                key
            }
        };
        Ok(remember(&mut cache, id, key))
    }

    /// The data key `id` to open a value with: an error when it is gone (erased).
    fn existing(&self, blobs: &Blobs, id: &str, what: &str) -> Result<Arc<DataKey>, StoreError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(key) = cache.get(id) {
            return Ok(key.clone());
        }
        match self.unwrap_file(blobs, id)? {
            Some(key) => Ok(remember(&mut cache, id, key)),
            None => Err(corrupt(what, "its key is gone (erased?)")),
        }
    }

    fn unwrap_file(&self, blobs: &Blobs, id: &str) -> Result<Option<Secret>, StoreError> {
        let name = self.key_file(id);
        let Some(wrapped) = blobs.get(BlobKind::Key, &name)? else {
            return Ok(None);
        };
        let bytes = open_bytes(&self.wrap, &wrap_aad(id), &wrapped)
            .map(Zeroizing::new)
            .map_err(|m| corrupt(&format!("keys/{name}"), m))?;
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| corrupt(&format!("keys/{name}"), "not a key"))?;
        Ok(Some(Zeroizing::new(key)))
    }

    fn key_file(&self, id: &str) -> String {
        key_file_name(&self.index, id)
    }

    /// Destroys the data key `id`: its file overwritten, synced and removed.
    pub(super) fn destroy(&self, blobs: &Blobs, id: &str) -> Result<(), StoreError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.remove(id);
        blobs.shred(BlobKind::Key, &self.key_file(id))?;
        Ok(())
    }

    /// Whether the data key `id` still exists (for tests and `purge`'s report).
    pub(super) fn has_key(&self, blobs: &Blobs, id: &str) -> Result<bool, StoreError> {
        Ok(blobs.get(BlobKind::Key, &self.key_file(id))?.is_some())
    }

    /// The length of `plain_len` bytes sealed with the key `id`.
    pub(super) fn sealed_len(id: &str, plain_len: usize) -> usize {
        2 + id.len() + NONCE + plain_len + TAG
    }

    /// Seals `plain` with `key`, bound to `aad` (where it will live).
    pub(super) fn seal(key: &DataKey, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let id = key.id.as_bytes();
        let mut out = Vec::with_capacity(Crypt::sealed_len(&key.id, plain.len()));
        out.push(SEALED);
        // Ids are short (`case/KL-2026-0001`, `mail/` and 32 hex): under 256 bytes.
        out.push(id.len() as u8);
        out.extend_from_slice(id);
        out.extend_from_slice(&seal_bytes(&key.key, aad, plain)?);
        Ok(out)
    }

    /// Opens what [`Crypt::seal`] sealed for `aad`; `what` names it in errors.
    pub(super) fn open(
        &self,
        blobs: &Blobs,
        aad: &[u8],
        sealed: &[u8],
        what: &str,
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let (id, body) = split_sealed(sealed).ok_or_else(|| corrupt(what, "not sealed"))?;
        let key = self.existing(blobs, id, what)?;
        open_bytes(&key.key, aad, body)
            .map(Zeroizing::new)
            .map_err(|m| corrupt(what, m))
    }
}

fn remember(cache: &mut HashMap<String, Arc<DataKey>>, id: &str, key: Secret) -> Arc<DataKey> {
    if cache.len() >= CACHE {
        cache.clear();
    }
    let key = Arc::new(DataKey {
        id: id.to_string(),
        key,
    });
    cache.insert(id.to_string(), key.clone());
    key
}

fn wrap_aad(id: &str) -> Vec<u8> {
    [b"klachtd key\0".as_slice(), id.as_bytes()].concat()
}

/// The key id and the rest (nonce, ciphertext) of a sealed value.
pub(super) fn split_sealed(sealed: &[u8]) -> Option<(&str, &[u8])> {
    let (&version, rest) = sealed.split_first()?;
    let (&len, rest) = rest.split_first()?;
    if version != SEALED || rest.len() < len as usize {
        return None;
    }
    let (id, body) = rest.split_at(len as usize);
    Some((std::str::from_utf8(id).ok()?, body))
}

/// `nonce | ciphertext + tag` of `plain` under `key`.
fn seal_bytes(key: &[u8; 32], aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, StoreError> {
    let nonce = random::<NONCE>()?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let ct = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad })
        .map_err(|_| std::io::Error::other("encryption failed"))?;
    Ok([nonce.as_slice(), &ct].concat())
}

fn open_bytes(key: &[u8; 32], aad: &[u8], body: &[u8]) -> Result<Vec<u8>, &'static str> {
    if body.len() < NONCE + TAG {
        return Err("too short to be sealed");
    }
    let (nonce, ct) = body.split_at(NONCE);
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
        .map_err(|_| "does not open with its key (damaged, or moved from elsewhere)")
}

fn corrupt(what: &str, message: &str) -> StoreError {
    StoreError::Corrupt {
        key: what.to_string(),
        message: message.to_string(),
    }
}
