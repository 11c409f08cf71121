//! The large bytes beside the trees, as files: `mails/<hash>.eml` (each incoming mail,
//! byte for byte) and `letters/<hash of Message-ID>.eml` (the text of each outgoing mail);
//! their fsync before sled's flush, and the permissions of everything in the store
//! directory (directories 0700, files 0600).

use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::domain::{Outgoing, content_hash};

/// The directory of the incoming mails' files.
const MAILS_DIR: &str = "mails";
/// The directory of the outgoing mails' texts.
const LETTERS_DIR: &str = "letters";

/// Every directory of files an archive holds (`store::archive`): each file in them, as
/// stored. A directory of the store's bytes that is not here is not exported.
pub(super) const ARCHIVED_DIRS: &[&str] = &[MAILS_DIR, LETTERS_DIR];

/// The mode of every directory of the store: the daemon's user only.
const DIR_MODE: u32 = 0o700;
/// The mode of every file of the store: the daemon's user only.
const FILE_MODE: u32 = 0o600;

/// Creates `path` (and its parents) if need be and makes it readable by the daemon's
/// user only.
pub(super) fn private_dir(path: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(DIR_MODE))
}

/// Makes every file under the store readable by the daemon's user only.
pub(super) fn restrict(path: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let mode = if entry.file_type()?.is_dir() {
            DIR_MODE
        } else {
            FILE_MODE
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode))?;
        if entry.file_type()?.is_dir() {
            restrict(&entry.path())?;
        }
    }
    Ok(())
}

/// Creates a new file readable by the daemon's user only (an archive, a restored blob);
/// one that exists is an error, never overwritten.
pub(super) fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
}

/// fsyncs a directory, so the names of the files just written in it are durable.
pub(super) fn sync_dir(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

/// The two kinds of bytes kept as files beside the trees.
#[derive(Debug, Clone, Copy)]
pub(super) enum BlobKind {
    /// An incoming mail, named by its content hash.
    Mail,
    /// The text of an outgoing mail, named by the hash of its Message-ID.
    Letter,
}

/// The blob files of the store, and the ones written but not yet synced.
pub(super) struct Blobs {
    mails: PathBuf,
    letters: PathBuf,
    unsynced: std::sync::Mutex<Vec<PathBuf>>,
}

impl Blobs {
    pub(super) fn open(store: &Path) -> std::io::Result<Blobs> {
        let blobs = Blobs {
            mails: store.join(MAILS_DIR),
            letters: store.join(LETTERS_DIR),
            unsynced: std::sync::Mutex::new(Vec::new()),
        };
        for dir in [&blobs.mails, &blobs.letters] {
            private_dir(dir)?;
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
    pub(super) fn put(&self, kind: BlobKind, key: &str, bytes: &[u8]) -> std::io::Result<()> {
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
                .mode(FILE_MODE)
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

    /// Writes the texts of outgoing mails, each under its Message-ID.
    pub(super) fn put_letters(&self, letters: &[Outgoing]) -> std::io::Result<()> {
        for letter in letters {
            self.put(BlobKind::Letter, &letter.message_id, &letter.raw)?;
        }
        Ok(())
    }

    pub(super) fn get(&self, kind: BlobKind, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        match std::fs::read(self.path(kind, key)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(super) fn remove(&self, kind: BlobKind, key: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(kind, key)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// fsyncs the files written since the last sync, and their directories.
    pub(super) fn sync(&self) -> std::io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{commit_new_case, mail, store};

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn all_entries(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.clone());
            if path.is_dir() {
                all_entries(&path, out);
            }
        }
    }

    #[test]
    fn blob_files_and_dirs_are_private() {
        let (dir, store) = store();
        let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
        commit_new_case(&store, &mail(raw, "a.1@example.test"), raw).unwrap();
        let root = dir.path();
        assert_eq!(mode(root), 0o700);
        for sub in ["mails", "letters"] {
            assert_eq!(mode(&root.join(sub)), 0o700, "{sub}/");
            let files: Vec<_> = std::fs::read_dir(root.join(sub)).unwrap().collect();
            assert_eq!(files.len(), 1, "one file in {sub}/");
            for f in files {
                let path = f.unwrap().path();
                assert_eq!(path.extension().unwrap(), "eml");
                assert_eq!(mode(&path), 0o600, "{}", path.display());
            }
        }
        // Reopened, everything sled wrote is private too.
        drop(store);
        let _store = crate::store::Store::open(root, 1).unwrap();
        let mut entries = Vec::new();
        all_entries(root, &mut entries);
        assert!(entries.len() > 4, "{entries:?}");
        for path in entries {
            let want = if path.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode(&path), want, "{}", path.display());
        }
    }

    #[test]
    fn a_blob_is_named_by_its_hash_and_written_once() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(dir.path()).unwrap();
        let hash = content_hash(b"bytes");
        blobs.put(BlobKind::Mail, &hash, b"bytes").unwrap();
        assert!(
            dir.path()
                .join("mails")
                .join(format!("{hash}.eml"))
                .exists()
        );
        blobs.put(BlobKind::Mail, &hash, b"bytes").unwrap();
        assert_eq!(
            blobs.unsynced.lock().unwrap().len(),
            1,
            "the same bytes: left be"
        );
        blobs.sync().unwrap();
        assert!(blobs.unsynced.lock().unwrap().is_empty());
        let id = "klachtd.x@numun.nl";
        blobs.put(BlobKind::Letter, id, b"letter").unwrap();
        let name = format!("{}.eml", content_hash(id.as_bytes()));
        assert!(dir.path().join("letters").join(name).exists());
        assert_eq!(blobs.get(BlobKind::Letter, id).unwrap().unwrap(), b"letter");
        blobs.remove(BlobKind::Letter, id).unwrap();
        blobs.remove(BlobKind::Letter, id).unwrap();
        assert_eq!(blobs.get(BlobKind::Letter, id).unwrap(), None);
    }
}
