//! Tests of encryption at rest: the key file (made, refused when missing or wrong, never
//! reset), sealed values bound to where they live, erasure destroying the key, nothing
//! personal in clear in any file of the store, and the migration that seals a schema-1
//! store.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::blobs::BlobKind;
use super::keys::{SCHEMA_KEY, case_key, tree, v1};
use super::testing::{
    at, commit_new_case, done, key_file, letters, mail, new_case, open, store, store_dir,
};
use super::{Disposition, MailRecord, OutboxStatus, QueuedMail, SCHEMA, Store, StoreError};
use crate::domain::{CaseNumber, content_hash};
use crate::procedure::owner::token::key_to_hex;

/// A complaint with what must never be found in clear: a name, a street, a phone number,
/// a phrase, and a Message-ID with an address in it.
const RAW: &[u8] = b"From: Sanne de Vries <sanne@example.nl>\r\n\
Message-ID: <sanne.devries.1977@example.nl>\r\n\
Subject: klacht\r\n\r\n\
Ik woon aan de Kerkstraat 12, 3511 AB Utrecht, tel. 06-98765432.\r\n\
De trainer maakte grappen over mijn accent.\r\n";
const MID: &str = "<sanne.devries.1977@example.nl>";
const SECRETS: [&str; 6] = [
    "Sanne de Vries",
    "Kerkstraat",
    "06-98765432",
    "grappen over mijn accent",
    "sanne.devries.1977",
    // the sample case's own (the acknowledgement carries them)
    "Voorbeeld Klager",
];

fn all_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The secrets found in clear (bytes, or ASCII case-insensitively) in any file under `dir`.
fn found_in_clear(dir: &Path, secrets: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    all_files(dir, &mut files);
    assert!(files.len() >= 4, "sled's files and the blobs: {files:?}");
    let mut found = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap().to_ascii_lowercase();
        for secret in secrets {
            let needle = secret.to_ascii_lowercase().into_bytes();
            if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                found.push(format!("{secret:?} in {}", file.display()));
            }
        }
    }
    found
}

fn a_case(store: &Store) -> (MailRecord, CaseNumber) {
    let record = mail(RAW, MID);
    let number = done(commit_new_case(store, &record, RAW).unwrap());
    (record, number)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_new_store_makes_its_key_file_0600_outside_the_store() {
    let (dir, store) = store();
    let file = key_file(&dir);
    assert!(!file.starts_with(store_dir(&dir)));
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text.strip_suffix('\n').expect("one line");
    assert_eq!(line.len(), 64, "{text:?}");
    assert!(line.bytes().all(|b| b.is_ascii_hexdigit()), "{text:?}");
    // A second open reads it and changes nothing.
    let (record, number) = a_case(&store);
    drop(store);
    let store = open(&dir).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(store.case(number).unwrap().unwrap().number, number);
    assert_eq!(store.raw_mail(&record.hash).unwrap().unwrap(), RAW);
}

#[test]
fn a_key_file_given_for_a_new_store_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let key = format!("{}\n# a comment\n", key_to_hex(&[7; 32]));
    std::fs::write(key_file(&dir), &key).unwrap();
    let store = open(&dir).unwrap();
    a_case(&store);
    drop(store);
    assert_eq!(std::fs::read_to_string(key_file(&dir)).unwrap(), key);
    // Another key file with the same key opens it too.
    let other = dir.path().join("copy.key");
    std::fs::write(&other, key_to_hex(&[7; 32])).unwrap();
    let store = Store::open(&store_dir(&dir), 1, &other).unwrap();
    assert_eq!(store.cases().unwrap().len(), 1);
}

#[test]
fn a_wrong_key_is_refused_naming_the_file_and_nothing_is_reset() {
    let (dir, store) = store();
    let (_, number) = a_case(&store);
    drop(store);
    let file = key_file(&dir);
    let right = std::fs::read(&file).unwrap();
    for wrong in [[0u8; 32], [0xff; 32], [1; 32]] {
        std::fs::write(&file, key_to_hex(&wrong)).unwrap();
        let err = open(&dir).err().expect("refused");
        assert!(matches!(err, StoreError::KeyWrong { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(&file.display().to_string()), "{message}");
        assert!(message.contains("not this store's key"), "{message}");
        assert!(message.contains("nothing was changed"), "{message}");
    }
    std::fs::write(&file, &right).unwrap();
    let store = open(&dir).unwrap();
    assert!(
        store.case(number).unwrap().is_some(),
        "the case is still there"
    );
}

#[test]
fn a_missing_key_of_an_encrypted_store_is_refused_and_not_made_anew() {
    let (dir, store) = store();
    let (record, number) = a_case(&store);
    drop(store);
    let file = key_file(&dir);
    let right = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    for _ in 0..2 {
        let err = open(&dir).err().expect("refused");
        assert!(matches!(err, StoreError::KeyMissing { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(&file.display().to_string()), "{message}");
        assert!(message.contains("missing"), "{message}");
        assert!(!file.exists(), "no new key was made for an encrypted store");
    }
    std::fs::write(&file, &right).unwrap();
    let store = open(&dir).unwrap();
    assert!(store.case(number).unwrap().is_some());
    assert_eq!(store.raw_mail(&record.hash).unwrap().unwrap(), RAW);
}

#[test]
fn an_unreadable_key_file_is_refused_naming_the_file() {
    for bad in [
        "",
        "not a key\n",
        &"ab".repeat(31),
        &"zz".repeat(32),
        "0x12",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = key_file(&dir);
        std::fs::write(&file, bad).unwrap();
        let err = open(&dir).err().expect("refused");
        assert!(
            matches!(err, StoreError::KeyUnreadable { .. }),
            "{bad:?}: {err:?}"
        );
        let message = err.to_string();
        assert!(message.contains(&file.display().to_string()), "{message}");
        assert!(message.contains("64 hexadecimal"), "{message}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            bad,
            "left as it was"
        );
    }
}

#[test]
fn a_sealed_value_moved_elsewhere_does_not_open() {
    let (_dir, store) = store();
    let (record, number) = a_case(&store);
    let other = CaseNumber { seq: 2, ..number };
    let sealed = store.cases.get(case_key(number)).unwrap().unwrap();
    // Under another case's key in the same tree.
    store.cases.insert(case_key(other), sealed.clone()).unwrap();
    let err = store.case(other).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    // In another tree.
    store.outbox.insert(b"x", sealed.clone()).unwrap();
    assert!(store.outbox().is_err());
    store.outbox.remove(b"x").unwrap();
    // Flipped bits, cut short, or no seal at all.
    let mut flipped = sealed.to_vec();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    for bad in [flipped, sealed[..sealed.len() / 2].to_vec(), b"{}".to_vec()] {
        store.cases.insert(case_key(other), bad).unwrap();
        assert!(store.case(other).is_err());
    }
    // A blob renamed to another mail's name.
    let second = b"Subject: tweede\r\n\r\nanders\r\n";
    let record2 = mail(second, "b.2@example.test");
    commit_new_case(&store, &record2, second).unwrap();
    let ik = store.index_key();
    let (a, b) = (
        super::keys::mail_blob_name(ik, &record.hash),
        super::keys::mail_blob_name(ik, &record2.hash),
    );
    let bytes = store.blobs.get(BlobKind::Mail, &a).unwrap().unwrap();
    store.blobs.remove(BlobKind::Mail, &b).unwrap();
    store.blobs.put(BlobKind::Mail, &b, &bytes).unwrap();
    assert!(store.raw_mail(&record2.hash).is_err());
    assert_eq!(store.raw_mail(&record.hash).unwrap().unwrap(), RAW);
}

#[test]
fn erasure_destroys_the_key_so_old_copies_no_longer_open() {
    let (dir, store) = store();
    let (record, number) = a_case(&store);
    let kept = a_second_case(&store);
    let keys = || {
        std::fs::read_dir(store_dir(&dir).join("keys"))
            .unwrap()
            .count()
    };
    assert_eq!(keys(), 2);
    assert!(store.case_key_exists(number).unwrap());
    // What sled's old log segments, or a copy of the blob, would still hold.
    let old_case = store.cases.get(case_key(number)).unwrap().unwrap();
    let name = super::keys::mail_blob_name(store.index_key(), &record.hash);
    let old_blob = store.blobs.get(BlobKind::Mail, &name).unwrap().unwrap();
    assert!(store.erase_case(number, at(10)).unwrap());
    assert!(!store.case_key_exists(number).unwrap());
    assert_eq!(
        keys(),
        1,
        "the erased case's key file is gone, the other stays"
    );
    assert!(store.case_key_exists(kept).unwrap());
    store.cases.insert(case_key(number), old_case).unwrap();
    let err = store.case(number).unwrap_err();
    assert!(err.to_string().contains("key is gone"), "{err}");
    store.blobs.put(BlobKind::Mail, &name, &old_blob).unwrap();
    assert!(store.raw_mail(&record.hash).is_err());
    // Also after a restart (no key in memory).
    drop(store);
    let store = open(&dir).unwrap();
    assert!(store.case(number).is_err());
    assert!(store.case(kept).unwrap().is_some());
}

fn a_second_case(store: &Store) -> CaseNumber {
    let raw = b"Subject: andere klacht\r\n\r\ntekst\r\n";
    done(commit_new_case(store, &mail(raw, "b.2@example.test"), raw).unwrap())
}

/// Every file under the store (sled's, the blobs, the keys) after a case with its
/// acknowledgement, a sent letter, a follow-up and a reopen: no name, street, phone,
/// phrase or Message-ID of the mail in clear.
#[test]
fn no_file_of_the_store_holds_personal_data_or_a_message_id_in_clear() {
    let (dir, store) = store();
    let (_, number) = a_case(&store);
    let queued = store.due_outgoing(at(0), 50).unwrap().remove(0);
    let sent = QueuedMail {
        status: OutboxStatus::Sent,
        attempts: 1,
        ..queued
    };
    store.record_attempt(&sent, None, at(1)).unwrap();
    let reply = b"Subject: Re: klacht\r\n\r\nDe Kerkstraat is mijn adres.\r\n";
    let follow = MailRecord {
        disposition: Disposition::FollowUp,
        case: Some(number),
        ..mail(reply, "reply.sanne.devries.1977@example.nl")
    };
    store
        .commit_to_case(
            super::MailIn {
                record: &follow,
                raw: reply,
            },
            number,
            at(2),
            |case| {
                Ok::<_, StoreError>(crate::cases::Change {
                    case: Some(case),
                    ..Default::default()
                })
            },
        )
        .unwrap();
    assert!(store.raw_mail(&follow.hash).unwrap().is_some());
    drop(store);
    let store = open(&dir).unwrap();
    drop(store);
    let found = found_in_clear(&store_dir(&dir), &SECRETS);
    assert!(found.is_empty(), "{found:#?}");
    // The search can fail: the same search finds them in a schema-1 store's files.
    let dir = tempfile::tempdir().unwrap();
    write_schema_1(&store_dir(&dir));
    assert!(!found_in_clear(&store_dir(&dir), &SECRETS[..4]).is_empty());
}

/// Writes a store as schema 1 (this module's first version, unencrypted) did: plain JSON
/// values under plain keys, blobs named by sha256. A case with its complaint, its
/// acknowledgement (sent), a mail set aside, marks, the sync state. Returns the case.
fn write_schema_1(path: &Path) -> (crate::cases::Case, MailRecord, QueuedMail, MailRecord) {
    fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
        serde_json::to_vec(v).unwrap()
    }
    let db = sled::open(path).unwrap();
    let number = CaseNumber { year: 2026, seq: 1 };
    let record = MailRecord {
        case: Some(number),
        ..mail(RAW, MID)
    };
    let change = new_case(&letters(), number, &record);
    let case = change.case.clone().unwrap();
    let ack = change.outgoing[0].clone();
    let sent = QueuedMail {
        mail: crate::domain::Outgoing {
            raw: Vec::new(),
            ..ack.clone()
        },
        queued: at(0),
        attempts: 1,
        next_try: at(0),
        status: OutboxStatus::Sent,
        last_error: None,
    };
    let aside_raw = b"Subject: ???\r\n\r\nSanne de Vries, Kerkstraat 12\r\n";
    let aside = MailRecord {
        disposition: Disposition::SetAside,
        reason: Some("unreadable".into()),
        ..mail(aside_raw, "aside.1@example.nl")
    };
    let outgoing = MailRecord {
        hash: ack.message_id.clone(),
        message_id: Some(ack.message_id.clone()),
        arrived: at(0),
        disposition: Disposition::Outgoing,
        case: Some(number),
        reason: None,
    };
    let t = |name: &str| db.open_tree(name).unwrap();
    t(tree::CASES)
        .insert(number.to_string(), json(&case))
        .unwrap();
    t(tree::SEQ)
        .insert(2026i32.to_be_bytes(), 1u32.to_be_bytes().to_vec())
        .unwrap();
    let index = t(tree::INDEX);
    index
        .insert(v1::hash_key(&record.hash), json(&record))
        .unwrap();
    index.insert(v1::mid_key(MID), json(&record)).unwrap();
    index
        .insert(v1::mid_key(&ack.message_id), json(&outgoing))
        .unwrap();
    index
        .insert(v1::hash_key(&aside.hash), json(&aside))
        .unwrap();
    index
        .insert(v1::mid_key("aside.1@example.nl"), json(&aside))
        .unwrap();
    t(tree::SENT)
        .insert(v1::outbox_key(&ack.message_id), json(&sent))
        .unwrap();
    let marks = t(tree::MARKS);
    marks
        .insert(format!("{number}/ack-alert"), json(&at(5)))
        .unwrap();
    marks
        .insert(
            "answers/2026-11-02/0123456789abcdef/x@numun.nl",
            json(&at(0)),
        )
        .unwrap();
    let meta = t(tree::META);
    meta.insert(SCHEMA_KEY, json(&1u32)).unwrap();
    meta.insert("retention/last", json(&"2026-11-02")).unwrap();
    db.flush().unwrap();
    drop(db);
    for (dir, name, bytes) in [
        ("mails", v1::mail_blob_name(&record.hash), RAW.to_vec()),
        ("mails", v1::mail_blob_name(&aside.hash), aside_raw.to_vec()),
        (
            "letters",
            v1::letter_blob_name(&ack.message_id),
            ack.raw.clone(),
        ),
    ] {
        std::fs::create_dir_all(path.join(dir)).unwrap();
        std::fs::write(path.join(dir).join(format!("{name}.eml")), bytes).unwrap();
    }
    let sent = QueuedMail { mail: ack, ..sent };
    (case, record, sent, aside)
}

#[test]
fn a_schema_1_store_is_sealed_in_place_and_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_dir(&dir);
    let (case, record, sent, aside) = write_schema_1(&path);
    assert!(!key_file(&dir).exists());
    let store = open(&dir).unwrap();
    assert!(
        key_file(&dir).exists(),
        "the key is made for the store being sealed"
    );
    let check = |store: &Store| {
        assert_eq!(store.meta_get::<u32>(SCHEMA_KEY).unwrap(), Some(SCHEMA));
        assert_eq!(store.cases().unwrap(), std::slice::from_ref(&case));
        let known = store.known_mail(&record.hash, Some(MID)).unwrap().unwrap();
        assert_eq!(known, record);
        assert_eq!(
            store.known_mail("0", Some(MID)).unwrap(),
            Some(record.clone())
        );
        assert_eq!(store.raw_mail(&record.hash).unwrap().unwrap(), RAW);
        assert_eq!(
            store.mail_records(Disposition::SetAside).unwrap(),
            std::slice::from_ref(&aside)
        );
        assert!(
            store
                .raw_mail(&aside.hash)
                .unwrap()
                .unwrap()
                .ends_with(b"Kerkstraat 12\r\n")
        );
        assert_eq!(
            store.outbox().unwrap(),
            std::slice::from_ref(&sent),
            "with its text"
        );
        let id = sent.mail.message_id.clone();
        assert_eq!(store.case_by_thread(&[id]).unwrap(), Some(case.number));
        assert_eq!(
            store
                .mark_time(&format!("{}/ack-alert", case.number))
                .unwrap(),
            Some(at(5))
        );
        assert!(
            store.marks("answers/").unwrap().is_empty(),
            "unkeyed address hashes go"
        );
        assert!(store.case_key_exists(case.number).unwrap());
        // No plaintext blob is left, and the blobs hold nothing in clear.
        for kind in [BlobKind::Mail, BlobKind::Letter] {
            let names = store.blobs.names(kind).unwrap();
            assert!(names.iter().all(|n| n.len() == 32), "{names:?}");
        }
        for sub in ["mails", "letters", "keys"] {
            let found = found_in_clear_dir(&path.join(sub));
            assert!(found.is_empty(), "{found:#?}");
        }
    };
    check(&store);
    // The step again (a crash before the version was recorded): nothing changes.
    super::migrate::seal_schema_1(&store).unwrap();
    check(&store);
    drop(store);
    let store = open(&dir).unwrap();
    check(&store);
    // A new case after the migration continues the sequence.
    let n = done(
        commit_new_case(
            &store,
            &mail(b"Subject: n\r\n\r\n", "n@x"),
            b"Subject: n\r\n\r\n",
        )
        .unwrap(),
    );
    assert_eq!(n.seq, 2);
}

fn found_in_clear_dir(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    all_files(dir, &mut files);
    let mut found = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for secret in SECRETS {
            if bytes.windows(secret.len()).any(|w| w == secret.as_bytes()) {
                found.push(format!("{secret:?} in {}", file.display()));
            }
        }
    }
    found
}

#[test]
fn a_schema_1_store_with_a_wrong_key_file_beside_it_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    write_schema_1(&store_dir(&dir));
    std::fs::write(key_file(&dir), "not a key\n").unwrap();
    assert!(matches!(open(&dir), Err(StoreError::KeyUnreadable { .. })));
    let mails = store_dir(&dir).join("mails");
    let name = format!("{}.eml", content_hash(RAW));
    assert_eq!(
        std::fs::read(mails.join(name)).unwrap(),
        RAW,
        "still schema 1"
    );
}

#[test]
fn a_blob_written_again_with_another_key_is_sealed_anew() {
    let (_dir, store) = store();
    let name = "00aa";
    let (one, two) = ("case/KL-2026-0001", "case/KL-2026-0002");
    store.put_blob(BlobKind::Mail, name, one, b"raw").unwrap();
    let first = store.blobs.get(BlobKind::Mail, name).unwrap().unwrap();
    store.put_blob(BlobKind::Mail, name, one, b"raw").unwrap();
    let again = store.blobs.get(BlobKind::Mail, name).unwrap().unwrap();
    assert_eq!(again, first, "the same key and length: left be");
    // A retried transaction that got another case number.
    store.put_blob(BlobKind::Mail, name, two, b"raw").unwrap();
    let second = store.blobs.get(BlobKind::Mail, name).unwrap().unwrap();
    assert_eq!(super::crypt::split_sealed(&second).unwrap().0, two);
    store.crypt.destroy(&store.blobs, one).unwrap();
    assert_eq!(
        store.get_blob(BlobKind::Mail, name).unwrap().unwrap(),
        b"raw"
    );
    store.crypt.destroy(&store.blobs, two).unwrap();
    assert!(store.get_blob(BlobKind::Mail, name).is_err());
}
