//! The archive's tests: a round trip byte for byte, the refusals (into the store, a
//! damaged, newer or foreign archive, a store not empty or in use), one snapshot while
//! another thread commits, and the export before a schema migration.

use std::os::unix::fs::PermissionsExt;

use super::*;
use crate::cases::Change;
use crate::store::keys::{DIGEST_MARK, SYNC_STATE};
use crate::store::testing::{at, commit_new_case, done, mail};
use crate::store::{Migration, OutboxStatus, QueuedMail};

/// Every tree (key, value) and every blob file of a store, as bytes.
type Dump = (
    BTreeMap<Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>>,
    BTreeMap<String, Vec<u8>>,
);

/// One master key for every store of these tests: an archive opens only with the key
/// of the store it was taken from (the restored store is that store).
fn key() -> PathBuf {
    static KEY: std::sync::LazyLock<tempfile::TempDir> = std::sync::LazyLock::new(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("store.key"),
            format!("{}\n", "5a".repeat(32)),
        )
        .unwrap();
        dir
    });
    KEY.path().join("store.key")
}

/// A new store: a temporary directory, with the tests' one key (outside it).
fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, &key()).unwrap();
    (dir, store)
}

fn dump(store: &Store) -> Dump {
    let mut trees = BTreeMap::new();
    for name in store.db.tree_names() {
        let entries = store
            .db
            .open_tree(&name)
            .unwrap()
            .iter()
            .map(|kv| {
                let (k, v) = kv.unwrap();
                (k.to_vec(), v.to_vec())
            })
            .collect();
        trees.insert(name.to_vec(), entries);
    }
    let mut files = BTreeMap::new();
    for dir in ARCHIVED_DIRS {
        for name in blob_names(&store.path.join(dir)).unwrap() {
            let bytes = std::fs::read(store.path.join(dir).join(&name)).unwrap();
            files.insert(format!("{dir}/{name}"), bytes);
        }
    }
    (trees, files)
}

/// A store with two cases, one letter sent, a mark of no case and the sync state.
fn filled() -> (tempfile::TempDir, Store) {
    let (dir, store) = store();
    for (raw, id) in [
        (&b"Subject: klacht\r\n\r\ntekst\r\n"[..], "a.1@example.test"),
        (
            &b"Subject: tweede\r\n\r\n\xff\x00bytes\r\n"[..],
            "b.2@example.test",
        ),
    ] {
        done(commit_new_case(&store, &mail(raw, id), raw).unwrap());
    }
    let first = store.due_outgoing(at(0), 50).unwrap().remove(0);
    let sent = QueuedMail {
        status: OutboxStatus::Sent,
        attempts: 1,
        ..first
    };
    store.record_attempt(&sent, None, at(1)).unwrap();
    let digest = Change {
        marks: vec![DIGEST_MARK.to_string()],
        ..Change::default()
    };
    store.commit_plain(&digest, at(2)).unwrap();
    store
        .meta_put(SYNC_STATE, &"uidvalidity 7, uid 12")
        .unwrap();
    (dir, store)
}

fn export_of(store: &Store) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("klachtd.export");
    store.export(&path, at(5)).unwrap();
    (out, path)
}

#[test]
fn an_import_restores_every_tree_and_file_byte_for_byte() {
    let (_dir, store) = filled();
    let (_out, path) = export_of(&store);
    let archived = verify(&path).unwrap();
    assert_eq!(archived.header.schema, SCHEMA);
    assert_eq!(archived.header.cases(), 2);
    assert_eq!(
        archived.header.file_count(),
        6,
        "2 mails, 2 acknowledgements, the 2 cases' keys"
    );
    assert_eq!(archived.header.created, at(5));
    assert_eq!(archived.size, std::fs::metadata(&path).unwrap().len());
    let target = tempfile::tempdir().unwrap();
    let restored_at = target.path().join("store");
    let imported = import(&path, &restored_at, 1, &key()).unwrap();
    assert_eq!(imported, archived);
    let restored = Store::open(&restored_at, 1, &key()).unwrap();
    assert_eq!(dump(&restored), dump(&store));
    assert_eq!(restored.cases().unwrap(), store.cases().unwrap());
    assert_eq!(restored.outbox().unwrap(), store.outbox().unwrap());
    // Restored with the store's permissions.
    for (name, _) in dump(&restored).1 {
        let mode = std::fs::metadata(restored_at.join(&name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
}

#[test]
fn an_export_is_private_complete_and_leaves_no_temporary_file() {
    let (_dir, store) = filled();
    let (out, path) = export_of(&store);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let names: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["klachtd.export"]);
    // Taken again over it: replaced whole, same content but its time.
    store.export(&path, at(6)).unwrap();
    assert_eq!(verify(&path).unwrap().header.created, at(6));
    // The bytes are as stored, sealed: nothing of a mail is in the archive in clear.
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.windows(7).any(|w| w == b"\xff\x00bytes"));
    assert!(!bytes.windows(5).any(|w| w == b"tekst"));
    assert!(!bytes.windows(16).any(|w| w == b"a.1@example.test"));
}

#[test]
fn an_export_into_the_store_directory_is_refused() {
    let (dir, store) = filled();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    for inside in [
        dir.path().join("x.export"),
        dir.path().join("mails").join("x.export"),
        dir.path().join("sub").join("..").join("y.export"),
    ] {
        let err = store.export(&inside, at(5)).unwrap_err();
        assert!(
            matches!(err, ArchiveError::IntoStore { .. }),
            "{inside:?}: {err:?}"
        );
        assert!(
            err.to_string().contains("inside the store directory"),
            "{err}"
        );
        assert!(!inside.exists());
    }
    // Not the store directory itself either.
    let err = store.export(dir.path(), at(5)).unwrap_err();
    assert!(matches!(err, ArchiveError::IntoStore { .. }), "{err:?}");
}

/// An import of `archive` into a new store, which must stay empty.
fn import_refused(archive: &Path) -> ArchiveError {
    let target = tempfile::tempdir().unwrap();
    let err = import(archive, &target.path().join("store"), 1, &key()).unwrap_err();
    let store = Store::open(&target.path().join("store"), 1, &key()).unwrap();
    assert!(store.cases().unwrap().is_empty(), "{err}: nothing written");
    assert!(
        blob_names(&target.path().join("store/mails"))
            .unwrap()
            .is_empty()
    );
    err
}

#[test]
fn a_truncated_archive_is_refused_by_name() {
    let (_dir, store) = filled();
    let (out, path) = export_of(&store);
    let bytes = std::fs::read(&path).unwrap();
    let cut = out.path().join("cut.export");
    for len in [
        0,
        10,
        20,
        40,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 33,
        bytes.len() - 1,
    ] {
        std::fs::write(&cut, &bytes[..len]).unwrap();
        let err = import_refused(&cut);
        match &err {
            ArchiveError::NotAnArchive { .. } => assert!(len < 14, "{len}: {err}"),
            ArchiveError::Damaged { why, .. } => {
                assert!(
                    why.contains("truncated") || why.contains("altered"),
                    "{len}: {why}"
                )
            }
            other => panic!("{len}: {other:?}"),
        }
        assert!(err.to_string().contains("cut.export"), "{err}");
    }
}

#[test]
fn an_altered_or_lengthened_archive_is_refused() {
    let (_dir, store) = filled();
    let (out, path) = export_of(&store);
    let bytes = std::fs::read(&path).unwrap();
    let bad = out.path().join("bad.export");
    // One byte changed in a value, in a file's bytes, in the checksum; bytes appended.
    let text_at = bytes.len() / 3;
    let mut cases = Vec::new();
    for at in [text_at, bytes.len() / 2, bytes.len() - 1] {
        let mut b = bytes.clone();
        b[at] ^= 0x20;
        cases.push(b);
    }
    cases.push([bytes.clone(), b"more".to_vec()].concat());
    for b in cases {
        std::fs::write(&bad, &b).unwrap();
        let err = import_refused(&bad);
        assert!(matches!(err, ArchiveError::Damaged { .. }), "{err:?}");
        assert!(err.to_string().contains("damaged"), "{err}");
    }
    // Not an archive at all.
    std::fs::write(&bad, b"From: someone\r\n\r\nhello\r\n").unwrap();
    assert!(matches!(
        import_refused(&bad),
        ArchiveError::NotAnArchive { .. }
    ));
}

#[test]
fn an_archive_of_a_newer_schema_or_format_is_refused() {
    let (_dir, store) = filled();
    store.meta_put(SCHEMA_KEY, &(SCHEMA + 1)).unwrap();
    let (out, path) = export_of(&store);
    let err = import_refused(&path);
    assert!(
        matches!(err, ArchiveError::SchemaNewer { found, supported, .. } if found == SCHEMA + 1 && supported == SCHEMA),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("newer than this klachtd supports"),
        "{err}"
    );
    store.meta_put(SCHEMA_KEY, &0u32).unwrap();
    let (_out0, zero) = export_of(&store);
    assert!(matches!(
        import_refused(&zero),
        ArchiveError::SchemaUnknown { found: 0, .. }
    ));
    // A format of the future: its version after the magic.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[14..18].copy_from_slice(&(FORMAT + 1).to_be_bytes());
    let future = out.path().join("future.export");
    std::fs::write(&future, bytes).unwrap();
    let err = import_refused(&future);
    assert!(
        matches!(err, ArchiveError::Format { found, .. } if found == FORMAT + 1),
        "{err:?}"
    );
}

#[test]
fn an_import_into_a_store_that_holds_anything_is_refused_saying_what() {
    let (_dir, store) = filled();
    let (_out, path) = export_of(&store);
    // A store with one case of its own.
    let (other_dir, other) = store_with_one_case();
    let before = dump(&other);
    drop(other);
    let err = import(&path, other_dir.path(), 1, &key()).unwrap_err();
    let ArchiveError::NotEmpty { holds, .. } = &err else {
        panic!("{err:?}")
    };
    for what in [
        "in the tree `cases`",
        "in the tree `seq`",
        "in the tree `index`",
        "in the tree `outbox`",
        "file(s) in",
    ] {
        assert!(holds.contains(what), "{what}: {holds}");
    }
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(
        dump(&Store::open(other_dir.path(), 1, &key()).unwrap()),
        before,
        "untouched"
    );
    // Only blob files (a store whose trees were lost): refused too.
    let files_only = tempfile::tempdir().unwrap();
    drop(Store::open(files_only.path(), 1, &key()).unwrap());
    std::fs::write(files_only.path().join("letters").join("x.eml"), b"x").unwrap();
    let err = import(&path, files_only.path(), 1, &key()).unwrap_err();
    assert!(
        matches!(&err, ArchiveError::NotEmpty { holds, .. } if holds.contains("letters")),
        "{err:?}"
    );
}

fn store_with_one_case() -> (tempfile::TempDir, Store) {
    let (dir, store) = store();
    let raw = b"Subject: eigen\r\n\r\neigen\r\n";
    done(commit_new_case(&store, &mail(raw, "own@example.test"), raw).unwrap());
    (dir, store)
}

#[test]
fn what_an_idle_start_wrote_gives_way_to_the_archive() {
    let (_dir, store) = filled();
    let (_out, path) = export_of(&store);
    // A daemon started once on an empty mailbox: the schema, its first start, the
    // digest's slot, a sync state of its own.
    let target = tempfile::tempdir().unwrap();
    let idle = Store::open(target.path(), 1, &key()).unwrap();
    idle.meta_put(SYNC_STATE, &"another mailbox").unwrap();
    idle.meta_put(crate::store::keys::FIRST_START, &at(99))
        .unwrap();
    idle.commit_plain(
        &Change {
            marks: vec!["owner/help/2026-01-01".into()],
            ..Change::default()
        },
        at(99),
    )
    .unwrap();
    drop(idle);
    import(&path, target.path(), 1, &key()).unwrap();
    assert_eq!(
        dump(&Store::open(target.path(), 1, &key()).unwrap()),
        dump(&store)
    );
}

#[test]
fn an_import_into_a_store_in_use_is_refused() {
    let (_dir, store) = filled();
    let (_out, path) = export_of(&store);
    let target = tempfile::tempdir().unwrap();
    let running = Store::open(target.path(), 1, &key()).unwrap();
    let err = import(&path, target.path(), 1, &key()).unwrap_err();
    assert!(
        matches!(err, ArchiveError::Store(StoreError::Locked { .. })),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("in use by another process"),
        "{err}"
    );
    assert!(running.cases().unwrap().is_empty());
}

/// What an archive holds, counted by walking it: (cases, the last sequence number,
/// mail records by hash, letters queued, mail files).
fn counts(path: &Path) -> (usize, usize, usize, usize, usize) {
    let (mut cases, mut seq, mut records, mut queued, mut files) = (0, 0, 0, 0, 0);
    walk(path, |record, _| {
        match record {
            Record::Tree { name, key, value } => match name {
                b"cases" => cases += 1,
                b"index" if key.starts_with(b"hash:") => records += 1,
                b"outbox" => queued += 1,
                b"seq" => seq = u32::from_be_bytes(value.try_into().unwrap()) as usize,
                _ => {}
            },
            Record::File { dir: "mails", .. } => files += 1,
            Record::File { .. } => {}
        }
        Ok(())
    })
    .unwrap();
    (cases, seq, records, queued, files)
}

/// While two threads commit new cases as fast as they can, each export holds every
/// change whole or not at all: as many sequence numbers, mail records, queued letters
/// and mail files as cases (the trees and the files are read one after the other:
/// without the gate they disagree).
#[test]
fn an_export_taken_during_commits_is_one_snapshot() {
    let (_dir, store) = store();
    let out = tempfile::tempdir().unwrap();
    let committed = std::sync::atomic::AtomicUsize::new(0);
    const CASES: usize = 120;
    std::thread::scope(|s| {
        for t in 0..2 {
            let (store, committed) = (&store, &committed);
            s.spawn(move || {
                for i in 0..CASES / 2 {
                    let raw = format!("Subject: klacht {t}.{i}\r\n\r\ntekst {i}\r\n");
                    let record = mail(raw.as_bytes(), &format!("n{t}.{i}@example.test"));
                    done(commit_new_case(store, &record, raw.as_bytes()).unwrap());
                    committed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
        let path = out.path().join("during.export");
        let mut seen = std::collections::BTreeSet::new();
        let mut n = 0;
        while committed.load(std::sync::atomic::Ordering::Relaxed) < CASES {
            store.export(&path, at(0)).unwrap();
            let (cases, seq, records, queued, files) = counts(&path);
            assert_eq!(
                (seq, records, queued, files),
                (cases, cases, cases, cases),
                "export {n}: seq, mail records, letters, mail files for {cases} cases"
            );
            seen.insert(cases);
            n += 1;
        }
        assert!(seen.len() > 3, "commits ran between exports: {seen:?}");
    });
    // And the last one restores to a store that reads.
    let target = out.path().join("restored");
    store
        .export(&out.path().join("last.export"), at(0))
        .unwrap();
    import(&out.path().join("last.export"), &target, 1, &key()).unwrap();
    assert_eq!(
        Store::open(&target, 1, &key())
            .unwrap()
            .cases()
            .unwrap()
            .len(),
        CASES
    );
}

/// A store at `dir/store` with one case, recorded at schema 1.
fn store_at_version_one(dir: &Path) -> PathBuf {
    let path = dir.join("store");
    let store = Store::open(&path, 1, &key()).unwrap();
    let raw = b"Subject: klacht\r\n\r\ntekst\r\n";
    done(commit_new_case(&store, &mail(raw, "a.1@example.test"), raw).unwrap());
    store.meta_put(SCHEMA_KEY, &1u32).unwrap();
    path
}

/// The exports beside the store at `store`.
fn exports_beside(store: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}.schema-1.", store.file_name().unwrap().to_string_lossy());
    let mut found: Vec<PathBuf> = std::fs::read_dir(store.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                n.to_string_lossy().starts_with(&prefix) && n.to_string_lossy().ends_with(".export")
            })
        })
        .collect();
    found.sort();
    found
}

/// A fake step 1 -> 2: the export beside the store must already be there, whole, and of
/// version 1; then it records that it ran.
fn step_after_the_export(store: &Store) -> Result<(), StoreError> {
    let exports = exports_beside(&store.path);
    assert_eq!(
        exports.len(),
        1,
        "the export is written before the step runs"
    );
    let archived = verify(&exports[0]).unwrap();
    assert_eq!(archived.header.schema, 1);
    assert_eq!(archived.header.cases(), 1);
    store.meta_put("test/migrated", &true)
}

fn failing_step(store: &Store) -> Result<(), StoreError> {
    store.meta_put("test/half-done", &true)?;
    Err(StoreError::Corrupt {
        key: "test".into(),
        message: "this step fails".into(),
    })
}

#[test]
fn an_older_schema_is_exported_beside_the_store_then_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_at_version_one(dir.path());
    let steps: &[Migration] = &[step_after_the_export];
    let store = Store::open_with(&path, 1, &key(), steps).unwrap();
    assert_eq!(store.meta_get::<u32>(SCHEMA_KEY).unwrap(), Some(2));
    assert_eq!(store.meta_get::<bool>("test/migrated").unwrap(), Some(true));
    assert_eq!(store.cases().unwrap().len(), 1);
    drop(store);
    // At version 2 now: opened again, nothing runs and no second export is written.
    let store = Store::open_with(&path, 1, &key(), steps).unwrap();
    assert_eq!(exports_beside(&path).len(), 1);
    drop(store);
    // The export restores the store as it was before the migration.
    let export = &exports_beside(&path)[0];
    let name = export.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("store.schema-1.") && name.ends_with("Z.export"),
        "{name}"
    );
    let restored = dir.path().join("restored");
    import(export, &restored, 1, &key()).unwrap();
    // The import opens it as the daemon would: this klachtd's own migrations, not the
    // fake step, bring it up to date.
    let restored = Store::open(&restored, 1, &key()).unwrap();
    assert_eq!(restored.meta_get::<u32>(SCHEMA_KEY).unwrap(), Some(SCHEMA));
    assert_eq!(restored.meta_get::<bool>("test/migrated").unwrap(), None);
    assert_eq!(restored.cases().unwrap().len(), 1);
}

#[test]
fn a_failing_migration_leaves_the_store_at_its_old_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_at_version_one(dir.path());
    let err = Store::open_with(&path, 1, &key(), &[failing_step])
        .err()
        .expect("refused");
    assert!(err.to_string().contains("this step fails"), "{err}");
    assert_eq!(exports_beside(&path).len(), 1, "the export was taken first");
    let store = Store::open_with(&path, 1, &key(), &[]).unwrap();
    assert_eq!(store.meta_get::<u32>(SCHEMA_KEY).unwrap(), Some(1));
    assert_eq!(store.cases().unwrap().len(), 1);
}

#[test]
fn a_store_of_a_newer_version_is_refused_without_an_export() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_at_version_one(dir.path());
    Store::open_with(&path, 1, &key(), &[])
        .unwrap()
        .meta_put(SCHEMA_KEY, &(SCHEMA + 1))
        .unwrap();
    let err = Store::open(&path, 1, &key()).err().expect("refused");
    assert!(matches!(err, StoreError::Schema { .. }), "{err:?}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().count() == 1,
        "nothing beside the store"
    );
}
