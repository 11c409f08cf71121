//! The store's archive: what `klachtd export` writes and `klachtd import` restores, the
//! daily backup and the export before a schema migration. Raw, not logical: every sled
//! tree with each key and value as stored, and every file of the blob directories
//! ([`ARCHIVED_DIRS`]), as bytes. Nothing is decoded, so the archive of an encrypted
//! store is exactly as encrypted as the store, and restoring it needs the same key
//! material (`[store] key_file`).
//!
//! The format, integers big-endian, every length before its bytes:
//!
//! ```text
//! "klachtd-export"  format version (u32)  header length (u32)  header (JSON, Header)
//! 'T' tree name (u32 len)  key (u32 len)  value (u64 len)     one per key of each tree
//! 'F' dir (u32 len)  file name (u32 len)  bytes (u64 len)     one per blob file
//! 'E' trailer length (u32)  trailer (JSON: the counts again)
//! sha256 of everything above (32 bytes), then nothing
//! ```
//!
//! Written streaming (one value or one file at a time in memory) to a temporary file
//! (0600) in the target directory, fsynced, renamed into place. Read twice on import:
//! once to check it whole (magic, versions, counts, checksum), once to write it, so a
//! truncated or altered archive is refused before anything is written.

use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::blobs::{ARCHIVED_DIRS, create_private, private_dir, sync_dir};
use super::keys::{SCHEMA_KEY, tree};
use super::{SCHEMA, Store, StoreError, open_db};

/// What every archive starts with.
const MAGIC: &[u8; 14] = b"klachtd-export";
/// The version of the archive's own format (not the store's schema) this code writes
/// and reads.
pub const FORMAT: u32 = 1;
/// Longest tree, directory or file name an archive may hold (a damaged length is
/// refused before anything is allocated for it).
const MAX_NAME: u32 = 4096;

/// What an archive says of itself, at its start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The archive format ([`FORMAT`]).
    pub format: u32,
    /// The schema version of the store it was taken from.
    pub schema: u32,
    pub created: DateTime<Utc>,
    /// Each tree's number of keys.
    pub trees: BTreeMap<String, u64>,
    /// Each blob directory's number of files.
    pub files: BTreeMap<String, u64>,
}

impl Header {
    /// The number of cases in the archive.
    pub fn cases(&self) -> u64 {
        self.trees.get(tree::CASES).copied().unwrap_or(0)
    }

    /// The number of blob files in the archive.
    pub fn file_count(&self) -> u64 {
        self.files.values().sum()
    }
}

/// The counts again, at the end: a cut archive has no trailer, a spliced one other
/// counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Trailer {
    trees: BTreeMap<String, u64>,
    files: BTreeMap<String, u64>,
}

/// An archive written or read: where, its header, its size and its checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archived {
    pub path: PathBuf,
    pub header: Header,
    /// Bytes.
    pub size: u64,
    /// The sha256 at its end, hexadecimal.
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: not a klachtd export (it does not start with \"klachtd-export\")", path.display())]
    NotAnArchive { path: PathBuf },
    #[error(
        "{}: archive format version {found} is not one this klachtd reads (version {supported}): use the klachtd that wrote it, or a newer one",
        path.display()
    )]
    Format {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{}: the store it holds has schema version {found}, newer than this klachtd supports (version {supported}): use the klachtd that wrote it, or a newer one",
        path.display()
    )]
    SchemaNewer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{}: the store it holds has schema version {found}, which klachtd never wrote: the archive is damaged", path.display())]
    SchemaUnknown { path: PathBuf, found: u32 },
    #[error("{}: the archive is damaged ({why}); nothing was imported", path.display())]
    Damaged { path: PathBuf, why: String },
    #[error(
        "{}: an export may not be written inside the store directory {}: choose a place outside it",
        path.display(),
        store.display()
    )]
    IntoStore { path: PathBuf, store: PathBuf },
    #[error(
        "the store at {} is not empty: it holds {holds}; an import restores only into an empty store (give [store] path a new directory, or move this one aside)",
        store.display()
    )]
    NotEmpty { store: PathBuf, holds: String },
}

impl From<sled::Error> for ArchiveError {
    fn from(e: sled::Error) -> Self {
        ArchiveError::Store(e.into())
    }
}

impl ArchiveError {
    fn io(path: &Path) -> impl Fn(std::io::Error) -> ArchiveError + '_ {
        move |source| ArchiveError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Where the export before a migration goes: beside the store directory, outside it,
/// named by the schema found and the time (`store.schema-1.20261201T210000Z.export`).
pub(super) fn before_migration(store: &Path, found: u32, now: DateTime<Utc>) -> PathBuf {
    let name = store
        .file_name()
        .map_or("store".into(), |n| n.to_string_lossy().into_owned());
    store.with_file_name(format!(
        "{name}.schema-{found}.{}.export",
        now.format("%Y%m%dT%H%M%SZ")
    ))
}

impl Store {
    /// Writes the whole store to `output` (0600, outside the store directory) as one
    /// snapshot: the writers' gate is held exclusive while it reads, so every change is
    /// in it whole or not at all. Replaces a file of that name only once the new one is
    /// complete and synced.
    pub fn export(&self, output: &Path, now: DateTime<Utc>) -> Result<Archived, ArchiveError> {
        refuse_into_store(&self.path, output)?;
        let _snapshot = self.gate.write().unwrap_or_else(|e| e.into_inner());
        let schema = self.meta_get::<u32>(SCHEMA_KEY)?.unwrap_or(SCHEMA);
        write_archive(&self.db, &self.path, schema, now, output)
    }
}

/// Refuses an `output` inside the store directory (or the directory itself).
fn refuse_into_store(store: &Path, output: &Path) -> Result<(), ArchiveError> {
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = dir.canonicalize().map_err(ArchiveError::io(dir))?;
    let store_dir = store.canonicalize().map_err(ArchiveError::io(store))?;
    let target = output.file_name().map(|n| dir.join(n));
    if dir.starts_with(&store_dir) || target.is_none_or(|t| t == store_dir) {
        return Err(ArchiveError::IntoStore {
            path: output.to_path_buf(),
            store: store_dir,
        });
    }
    Ok(())
}

/// A writer that hashes what passes through it and counts it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    count: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn put_bytes(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(&(bytes.len() as u32).to_be_bytes())?;
    w.write_all(bytes)
}

/// The files of one blob directory, by name (leftover `.tmp` files of a crashed write
/// are not the store's).
fn blob_names(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.file_type()?.is_file() && !name.ends_with(".tmp") {
                    names.push(name);
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    names.sort();
    Ok(names)
}

fn write_archive(
    db: &sled::Db,
    store: &Path,
    schema: u32,
    now: DateTime<Utc>,
    output: &Path,
) -> Result<Archived, ArchiveError> {
    let mut names = db.tree_names();
    names.sort();
    let mut trees = BTreeMap::new();
    for name in &names {
        let count = db.open_tree(name)?.len() as u64;
        trees.insert(String::from_utf8_lossy(name).into_owned(), count);
    }
    let mut files = BTreeMap::new();
    let mut blobs = Vec::new();
    for dir in ARCHIVED_DIRS {
        let list = blob_names(&store.join(dir)).map_err(ArchiveError::io(store))?;
        files.insert(dir.to_string(), list.len() as u64);
        blobs.push((*dir, list));
    }
    let header = Header {
        format: FORMAT,
        schema,
        created: now,
        trees,
        files,
    };
    let file_name = output
        .file_name()
        .map_or("export".into(), |n| n.to_string_lossy().into_owned());
    let tmp = output.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let written = (|| -> Result<(u64, String), ArchiveError> {
        let file = create_private(&tmp).map_err(ArchiveError::io(&tmp))?;
        let mut w = Hashing {
            inner: BufWriter::with_capacity(256 * 1024, file),
            hash: Sha256::new(),
            count: 0,
        };
        let io = ArchiveError::io(&tmp);
        w.write_all(MAGIC).map_err(&io)?;
        w.write_all(&FORMAT.to_be_bytes()).map_err(&io)?;
        put_bytes(&mut w, &serde_json::to_vec(&header).unwrap_or_default()).map_err(&io)?;
        for name in &names {
            for kv in db.open_tree(name)?.iter() {
                let (key, value) = kv.map_err(StoreError::from)?;
                w.write_all(b"T").map_err(&io)?;
                put_bytes(&mut w, name).map_err(&io)?;
                put_bytes(&mut w, &key).map_err(&io)?;
                w.write_all(&(value.len() as u64).to_be_bytes())
                    .map_err(&io)?;
                w.write_all(&value).map_err(&io)?;
            }
        }
        for (dir, list) in &blobs {
            for name in list {
                let path = store.join(dir).join(name);
                let mut f = std::fs::File::open(&path).map_err(ArchiveError::io(&path))?;
                let len = f.metadata().map_err(ArchiveError::io(&path))?.len();
                w.write_all(b"F").map_err(&io)?;
                put_bytes(&mut w, dir.as_bytes()).map_err(&io)?;
                put_bytes(&mut w, name.as_bytes()).map_err(&io)?;
                w.write_all(&len.to_be_bytes()).map_err(&io)?;
                let copied = std::io::copy(&mut (&mut f).take(len), &mut w)
                    .map_err(ArchiveError::io(&path))?;
                if copied != len {
                    // The gate keeps writers out: a file that shrank was not ours to change.
                    return Err(ArchiveError::Io {
                        path,
                        source: std::io::Error::other("the file changed while it was exported"),
                    });
                }
            }
        }
        let trailer = Trailer {
            trees: header.trees.clone(),
            files: header.files.clone(),
        };
        w.write_all(b"E").map_err(&io)?;
        put_bytes(&mut w, &serde_json::to_vec(&trailer).unwrap_or_default()).map_err(&io)?;
        let digest = w.hash.clone().finalize();
        w.inner.write_all(&digest).map_err(&io)?;
        let size = w.count + digest.len() as u64;
        let file = w
            .inner
            .into_inner()
            .map_err(|e| ArchiveError::io(&tmp)(e.into_error()))?;
        file.sync_all().map_err(&io)?;
        Ok((size, hex(&digest)))
    })();
    let (size, sha256) = match written {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    std::fs::rename(&tmp, output).map_err(ArchiveError::io(output))?;
    if let Some(dir) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(dir).map_err(ArchiveError::io(dir))?;
    }
    Ok(Archived {
        path: output.to_path_buf(),
        header,
        size,
        sha256,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One record of an archive, as [`walk`] hands it over; a file's bytes follow in the
/// reader given with it.
enum Record<'a> {
    Tree {
        name: &'a [u8],
        key: &'a [u8],
        value: &'a [u8],
    },
    File {
        dir: &'a str,
        name: &'a str,
    },
}

/// A reader of an archive that hashes what it reads and knows how much is left, so a
/// length beyond the end is refused before anything is allocated for it.
struct Source {
    inner: BufReader<std::fs::File>,
    hash: Sha256,
    left: u64,
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}

/// Reads an archive from end to end, checking it, and hands each record to `sink`:
/// the header, then each record, then (only when the counts and the checksum agree) Ok.
fn walk(
    path: &Path,
    mut sink: impl FnMut(Record<'_>, &mut dyn Read) -> Result<(), ArchiveError>,
) -> Result<Archived, ArchiveError> {
    let damaged = |why: &str| ArchiveError::Damaged {
        path: path.to_path_buf(),
        why: why.to_string(),
    };
    let file = std::fs::File::open(path).map_err(ArchiveError::io(path))?;
    let size = file.metadata().map_err(ArchiveError::io(path))?.len();
    let mut r = Source {
        inner: BufReader::with_capacity(256 * 1024, file),
        hash: Sha256::new(),
        left: size,
    };
    // Short reads are a cut archive; other IO errors are what they are.
    let eof = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            damaged("it ends too early: truncated")
        } else {
            ArchiveError::io(path)(e)
        }
    };
    let mut magic = [0u8; 14];
    if r.read_exact(&mut magic).is_err() || &magic != MAGIC {
        return Err(ArchiveError::NotAnArchive {
            path: path.to_path_buf(),
        });
    }
    let format = read_u32(&mut r).map_err(eof)?;
    if format != FORMAT {
        return Err(ArchiveError::Format {
            path: path.to_path_buf(),
            found: format,
            supported: FORMAT,
        });
    }
    let header: Header = serde_json::from_slice(&read_bytes(&mut r, u32::MAX).map_err(eof)?)
        .map_err(|e| damaged(&format!("its header does not read: {e}")))?;
    if header.format != FORMAT {
        return Err(damaged("its header names another format"));
    }
    if header.schema > SCHEMA {
        return Err(ArchiveError::SchemaNewer {
            path: path.to_path_buf(),
            found: header.schema,
            supported: SCHEMA,
        });
    }
    if header.schema == 0 {
        return Err(ArchiveError::SchemaUnknown {
            path: path.to_path_buf(),
            found: header.schema,
        });
    }
    let mut trees: BTreeMap<String, u64> = BTreeMap::new();
    let mut files: BTreeMap<String, u64> = BTreeMap::new();
    let trailer = loop {
        let mut tag = [0u8; 1];
        r.read_exact(&mut tag).map_err(eof)?;
        match &tag {
            b"T" => {
                let name = read_bytes(&mut r, MAX_NAME).map_err(eof)?;
                let key = read_bytes(&mut r, u32::MAX).map_err(eof)?;
                let len = read_u64(&mut r).map_err(eof)?;
                if len > r.left {
                    return Err(damaged("a value runs past its end: truncated"));
                }
                let mut value = vec![0u8; len as usize];
                r.read_exact(&mut value).map_err(eof)?;
                *trees
                    .entry(String::from_utf8_lossy(&name).into_owned())
                    .or_default() += 1;
                sink(
                    Record::Tree {
                        name: &name,
                        key: &key,
                        value: &value,
                    },
                    &mut std::io::empty(),
                )?;
            }
            b"F" => {
                let dir = String::from_utf8(read_bytes(&mut r, MAX_NAME).map_err(eof)?)
                    .map_err(|_| damaged("a directory name is not text"))?;
                let name = String::from_utf8(read_bytes(&mut r, MAX_NAME).map_err(eof)?)
                    .map_err(|_| damaged("a file name is not text"))?;
                if !ARCHIVED_DIRS.contains(&dir.as_str()) {
                    return Err(damaged(&format!("a file in an unknown directory {dir:?}")));
                }
                if !safe_name(&name) {
                    return Err(damaged(&format!(
                        "a file name that is not a plain name: {name:?}"
                    )));
                }
                let len = read_u64(&mut r).map_err(eof)?;
                if len > r.left {
                    return Err(damaged("a file runs past its end: truncated"));
                }
                *files.entry(dir.clone()).or_default() += 1;
                let mut bytes = (&mut r).take(len);
                sink(
                    Record::File {
                        dir: &dir,
                        name: &name,
                    },
                    &mut bytes,
                )?;
                // What the sink left unread (the checking pass reads nothing).
                std::io::copy(&mut bytes, &mut std::io::sink()).map_err(eof)?;
                if bytes.limit() > 0 {
                    return Err(damaged("it ends too early: truncated"));
                }
            }
            b"E" => {
                let trailer: Trailer =
                    serde_json::from_slice(&read_bytes(&mut r, u32::MAX).map_err(eof)?)
                        .map_err(|e| damaged(&format!("its trailer does not read: {e}")))?;
                break trailer;
            }
            _ => return Err(damaged("a record of an unknown kind")),
        }
    };
    let digest = r.hash.clone().finalize();
    let mut stored = [0u8; 32];
    r.inner.read_exact(&mut stored).map_err(eof)?;
    if stored[..] != digest[..] {
        return Err(damaged("its sha256 does not match: altered"));
    }
    if r.inner
        .read(&mut [0u8; 1])
        .map_err(ArchiveError::io(path))?
        != 0
    {
        return Err(damaged("there is more after its checksum"));
    }
    let nonzero = |m: &BTreeMap<String, u64>| -> BTreeMap<String, u64> {
        m.iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.clone(), *n))
            .collect()
    };
    if nonzero(&trees) != nonzero(&header.trees)
        || nonzero(&files) != nonzero(&header.files)
        || trailer.trees != header.trees
        || trailer.files != header.files
    {
        return Err(damaged("its counts do not match what it holds"));
    }
    Ok(Archived {
        path: path.to_path_buf(),
        header,
        size,
        sha256: hex(&digest),
    })
}

fn read_u32(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_be_bytes(b))
}

fn read_u64(r: &mut impl Read) -> std::io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_be_bytes(b))
}

/// A length-prefixed field of at most `max` bytes (and no more than is left).
fn read_bytes(r: &mut Source, max: u32) -> std::io::Result<Vec<u8>> {
    let len = read_u32(r)?;
    if len > max || u64::from(len) > r.left {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let mut bytes = vec![0u8; len as usize];
    r.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// A file name that stays in its directory: no separators, not `.` or `..`, not hidden.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// Checks an archive whole (magic, versions, counts, checksum) without writing anything.
pub fn verify(path: &Path) -> Result<Archived, ArchiveError> {
    walk(path, |_, _| Ok(()))
}

/// Restores the archive at `archive` into the store at `store` (created if need be),
/// which must be empty of cases, mail records, letters, sequence numbers and blob files
/// and not in use. Checked whole first; then every tree is written in and the files
/// (0600), all synced and flushed once. The store is then opened as the daemon opens it,
/// so an archive of an older schema is migrated (after its own export beside the store).
pub fn import(
    archive: &Path,
    store: &Path,
    cache_mib: u64,
    key_file: &Path,
) -> Result<Archived, ArchiveError> {
    let checked = verify(archive)?;
    let db = open_db(store, cache_mib)?;
    refuse_non_empty(&db, store)?;
    // What an idle start wrote (the schema, the first start, a digest's slot) gives way
    // to the archive's.
    for name in [tree::MARKS.as_bytes(), tree::META.as_bytes()] {
        db.open_tree(name)?.clear()?;
    }
    for dir in ARCHIVED_DIRS {
        private_dir(&store.join(dir)).map_err(ArchiveError::io(store))?;
    }
    let mut written = Vec::new();
    let imported = walk(archive, |record, bytes| {
        match record {
            Record::Tree { name, key, value } => {
                db.open_tree(name)?.insert(key, value)?;
            }
            Record::File { dir, name } => {
                let path = store.join(dir).join(name);
                let mut f = create_private(&path).map_err(ArchiveError::io(&path))?;
                std::io::copy(bytes, &mut f).map_err(ArchiveError::io(&path))?;
                written.push(path);
            }
        }
        Ok(())
    })?;
    if imported.sha256 != checked.sha256 {
        return Err(ArchiveError::Damaged {
            path: archive.to_path_buf(),
            why: "it changed while it was imported".into(),
        });
    }
    // The files first, then the records that name them: as every commit does.
    sync_files(&written)?;
    for dir in ARCHIVED_DIRS {
        sync_dir(&store.join(dir)).map_err(ArchiveError::io(store))?;
    }
    db.flush().map_err(StoreError::from)?;
    drop(db);
    // As the daemon opens it: the schema checked, an older one migrated.
    drop(Store::open(store, cache_mib, key_file)?);
    Ok(imported)
}

/// fsyncs the files, a few threads at a time: the file system's journal commits
/// fsyncs that wait together at once, where one after the other each waits for its own.
fn sync_files(paths: &[PathBuf]) -> Result<(), ArchiveError> {
    const THREADS: usize = 8;
    let chunk = paths.len().div_ceil(THREADS).max(1);
    std::thread::scope(|s| {
        let workers: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    for path in part {
                        std::fs::File::open(path)
                            .and_then(|f| f.sync_all())
                            .map_err(ArchiveError::io(path))?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join().unwrap_or_else(|_| {
                Err(ArchiveError::Io {
                    path: paths.first().cloned().unwrap_or_default(),
                    source: std::io::Error::other("a thread syncing the files failed"),
                })
            })
        })
    })
}

/// Refuses a store that holds anything an import would mix with: an entry in any tree
/// but `marks` and `meta` (cases, sequence numbers, mail records, letters, or a tree
/// klachtd does not know), or a blob file. `marks` and `meta` hold also what a daemon
/// started on an empty mailbox writes (the digest's slot, the sync state): the import
/// replaces them.
fn refuse_non_empty(db: &sled::Db, store: &Path) -> Result<(), ArchiveError> {
    let mut holds = Vec::new();
    let mut names = db.tree_names();
    names.sort();
    for name in names {
        let text = String::from_utf8_lossy(&name).into_owned();
        // What an idle start writes; replaced by the archive's (see [`import`]).
        if [tree::MARKS, tree::META].contains(&text.as_str()) {
            continue;
        }
        let n = db.open_tree(&name)?.len();
        if n > 0 {
            holds.push(format!("{n} record(s) in the tree `{text}`"));
        }
    }
    for dir in ARCHIVED_DIRS {
        let n = blob_names(&store.join(dir))
            .map_err(ArchiveError::io(store))?
            .len();
        if n > 0 {
            holds.push(format!("{n} file(s) in {}", store.join(dir).display()));
        }
    }
    if holds.is_empty() {
        return Ok(());
    }
    Err(ArchiveError::NotEmpty {
        store: store.to_path_buf(),
        holds: holds.join(", "),
    })
}

#[cfg(test)]
#[path = "archive_tests.rs"]
mod tests;
