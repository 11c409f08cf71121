//! The large bytes beside the trees, as files: `mails/<keyed hash>.eml` (each incoming
//! mail, byte for byte, sealed), `letters/<keyed hash>.eml` (the text of each outgoing
//! mail, sealed) and `keys/<keyed hash>.key` (the wrapped data keys, `store::crypt`); the
//! directories in [`BLOB_DIRS`]; their fsync before sled's flush, and the permissions of
//! everything in the store directory (directories 0700, files 0600).

use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::domain::content_hash;

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

/// The kinds of bytes kept as files beside the trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlobKind {
    /// An incoming mail, sealed, named by a keyed hash of its content hash.
    Mail,
    /// The text of an outgoing mail, sealed, named by a keyed hash of its Message-ID.
    Letter,
    /// A wrapped data key (`store::crypt`), named by a keyed hash of its id.
    Key,
}

/// The directories of blob files under the store, each with the files' extension: what
/// an archive of the store copies besides sled's trees.
pub(super) const BLOB_DIRS: [(BlobKind, &str, &str); 3] = [
    (BlobKind::Mail, "mails", "eml"),
    (BlobKind::Letter, "letters", "eml"),
    (BlobKind::Key, "keys", "key"),
];

/// Every directory of files an archive holds (`store::archive`): each file in them, as
/// stored (sealed, and the wrapped keys that open them). Those of [`BLOB_DIRS`], so a
/// new kind of blob is exported with no further change.
pub(super) const ARCHIVED_DIRS: &[&str] = &[BLOB_DIRS[0].1, BLOB_DIRS[1].1, BLOB_DIRS[2].1];

impl BlobKind {
    /// The directory (under the store) and extension of this kind's files.
    pub(super) fn dir_and_ext(self) -> (&'static str, &'static str) {
        BLOB_DIRS
            .iter()
            .find(|(k, _, _)| *k == self)
            .map(|(_, dir, ext)| (*dir, *ext))
            .unwrap_or(("mails", "eml"))
    }

    /// What a sealed file of this kind is bound to (its associated data): its directory
    /// and name, so a file renamed or moved does not open.
    pub(super) fn aad(self, name: &str) -> Vec<u8> {
        format!("{}/{name}", self.dir_and_ext().0).into_bytes()
    }
}

/// The blob files of the store, and the ones written but not yet synced.
pub(super) struct Blobs {
    root: PathBuf,
    unsynced: std::sync::Mutex<Vec<PathBuf>>,
}

impl Blobs {
    pub(super) fn open(store: &Path) -> std::io::Result<Blobs> {
        let blobs = Blobs {
            root: store.to_path_buf(),
            unsynced: std::sync::Mutex::new(Vec::new()),
        };
        for (_, dir, _) in BLOB_DIRS {
            private_dir(&blobs.root.join(dir))?;
        }
        Ok(blobs)
    }

    /// The file of a blob. `name` is one of the keyed hashes of `store::keys` (hex); it is
    /// checked anyway, so nothing else can ever become a path.
    fn path(&self, kind: BlobKind, name: &str) -> PathBuf {
        let (dir, ext) = kind.dir_and_ext();
        let safe = !name.is_empty() && name.bytes().all(|b| b.is_ascii_hexdigit());
        let name = if safe {
            name.to_string()
        } else {
            content_hash(name.as_bytes())
        };
        self.root.join(dir).join(format!("{name}.{ext}"))
    }

    /// Writes a blob (tmp file, then rename), over one of the same name.
    pub(super) fn put(&self, kind: BlobKind, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(kind, name);
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

    pub(super) fn get(&self, kind: BlobKind, name: &str) -> std::io::Result<Option<Vec<u8>>> {
        read_if_there(&self.path(kind, name))
    }

    pub(super) fn remove(&self, kind: BlobKind, name: &str) -> std::io::Result<()> {
        remove_if_there(&self.path(kind, name))
    }

    /// Overwrites a blob with zeros, syncs it, removes it and syncs its directory: what
    /// destroys a data key (and a plaintext file of schema 1) for good.
    pub(super) fn shred(&self, kind: BlobKind, name: &str) -> std::io::Result<()> {
        shred_file(&self.path(kind, name))
    }

    /// The names (without extension) of this kind's files.
    pub(super) fn names(&self, kind: BlobKind) -> std::io::Result<Vec<String>> {
        let (dir, ext) = kind.dir_and_ext();
        let mut names = Vec::new();
        for entry in std::fs::read_dir(self.root.join(dir))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == ext)
                && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            {
                names.push(stem.to_string());
            }
        }
        Ok(names)
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
        // Only the directories that got a file (a follow-up makes no key, a send no file).
        let dirs: std::collections::BTreeSet<&Path> =
            written.iter().filter_map(|p| p.parent()).collect();
        for dir in dirs {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

fn read_if_there(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn remove_if_there(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// See [`Blobs::shred`]; a file that is not there is fine.
pub(super) fn shred_file(path: &Path) -> std::io::Result<()> {
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    {
        let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
        let zeros = vec![0u8; 64 * 1024];
        let mut left = len;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            std::io::Write::write_all(&mut f, &zeros[..n])?;
            left -= n as u64;
        }
        f.sync_all()?;
    }
    remove_if_there(path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{commit_new_case, mail, open, store, store_dir};

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
        let root = store_dir(&dir);
        assert_eq!(mode(&root), 0o700);
        for (sub, ext) in [("mails", "eml"), ("letters", "eml"), ("keys", "key")] {
            assert_eq!(mode(&root.join(sub)), 0o700, "{sub}/");
            let files: Vec<_> = std::fs::read_dir(root.join(sub)).unwrap().collect();
            assert_eq!(files.len(), 1, "one file in {sub}/");
            for f in files {
                let path = f.unwrap().path();
                assert_eq!(path.extension().unwrap(), ext);
                assert_eq!(mode(&path), 0o600, "{}", path.display());
            }
        }
        // Reopened, everything sled wrote is private too.
        drop(store);
        let _store = open(&dir).unwrap();
        let mut entries = Vec::new();
        all_entries(&root, &mut entries);
        assert!(entries.len() > 4, "{entries:?}");
        for path in entries {
            let want = if path.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode(&path), want, "{}", path.display());
        }
    }

    #[test]
    fn a_blob_is_named_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(dir.path()).unwrap();
        let name = "0123456789abcdef0123456789abcdef";
        blobs.put(BlobKind::Mail, name, b"bytes").unwrap();
        assert!(
            dir.path()
                .join("mails")
                .join(format!("{name}.eml"))
                .exists()
        );
        blobs.put(BlobKind::Mail, name, b"other").unwrap();
        assert_eq!(blobs.get(BlobKind::Mail, name).unwrap().unwrap(), b"other");
        assert_eq!(blobs.unsynced.lock().unwrap().len(), 2);
        blobs.sync().unwrap();
        assert!(blobs.unsynced.lock().unwrap().is_empty());
        blobs.put(BlobKind::Letter, name, b"letter").unwrap();
        assert_eq!(
            blobs.get(BlobKind::Letter, name).unwrap().unwrap(),
            b"letter"
        );
        assert_eq!(blobs.names(BlobKind::Letter).unwrap(), [name]);
        blobs.remove(BlobKind::Letter, name).unwrap();
        blobs.remove(BlobKind::Letter, name).unwrap();
        assert_eq!(blobs.get(BlobKind::Letter, name).unwrap(), None);
    }

    #[test]
    fn a_name_that_is_not_a_hash_never_becomes_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(&dir.path().join("store")).unwrap();
        for name in [
            "../escape",
            "/etc/passwd",
            "a/b",
            "",
            "x\0y",
            "KL-2026-0001",
        ] {
            blobs.put(BlobKind::Key, name, b"k").unwrap();
            assert_eq!(
                blobs.get(BlobKind::Key, name).unwrap().unwrap(),
                b"k",
                "{name:?}"
            );
        }
        assert_eq!(blobs.names(BlobKind::Key).unwrap().len(), 6);
        let outside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(outside.len(), 1, "only store/ beside it: {outside:?}");
    }

    #[test]
    fn a_shredded_blob_is_gone_and_shredding_nothing_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(dir.path()).unwrap();
        let name = "00ff";
        blobs.put(BlobKind::Key, name, &[7u8; 100_000]).unwrap();
        blobs.shred(BlobKind::Key, name).unwrap();
        assert_eq!(blobs.get(BlobKind::Key, name).unwrap(), None);
        assert!(blobs.names(BlobKind::Key).unwrap().is_empty());
        blobs.shred(BlobKind::Key, name).unwrap();
    }
}
