//! Every key the store and its callers spell: the tree names, the keys inside each tree,
//! the marks (things done once) and the meta keys.
//!
//! These strings are the on-disk format: an existing store is read with the same ones, so
//! one changes only together with a migration (see [`super::SCHEMA`] and
//! `Store::migrate`). Every mark of a case starts with [`case_prefix`], which is how
//! erasure finds them all.

use chrono::NaiveDate;

use super::crypt::IndexKey;
use crate::domain::CaseNumber;
use crate::rules::reminders::ReminderKey;

/// The names of the sled trees.
pub(super) mod tree {
    /// Case number (`KL-2026-0001`, [`case_key`](super::case_key)) -> `Case`.
    pub const CASES: &str = "cases";
    /// Year ([`seq_key`](super::seq_key)) -> the last number given out that year (`u32`,
    /// big-endian).
    pub const SEQ: &str = "seq";
    /// [`hash_key`](super::hash_key) / [`mid_key`](super::mid_key) -> `MailRecord`:
    /// dedupe and threading.
    pub const INDEX: &str = "index";
    /// Message-ID ([`outbox_key`](super::outbox_key)) -> `QueuedMail` waiting or failed.
    pub const OUTBOX: &str = "outbox";
    /// Message-ID ([`outbox_key`](super::outbox_key)) -> `QueuedMail` once sent.
    pub const SENT: &str = "sent";
    /// Mark -> when it was recorded (the `now` of its change).
    pub const MARKS: &str = "marks";
    /// Meta key -> value: the schema version, the mailbox's sync state, retention runs,
    /// tombstones.
    pub const META: &str = "meta";
}

// --- cases and seq ---

/// The key of a case in the `cases` tree: its number as written (`KL-2026-0001`).
pub(super) fn case_key(number: CaseNumber) -> String {
    number.to_string()
}

/// The key of a year's sequence in the `seq` tree: the year, 4 bytes big-endian.
pub(super) fn seq_key(year: i32) -> [u8; 4] {
    year.to_be_bytes()
}

// --- index ---

/// What every content-hash key of the index starts with.
pub(super) const HASH_PREFIX: &str = "hash:";

/// The index key of a mail by its content hash (sha256, hex): `hash:{keyed hash}`. Keyed,
/// so that the index cannot confirm that a known mail is in the store.
pub(super) fn hash_key(ik: &IndexKey, hash: &str) -> String {
    format!("{HASH_PREFIX}{}", ik.hash("hash", hash))
}

/// The index key of a mail by its Message-ID, without angle brackets: `mid:{keyed hash}`.
pub(super) fn mid_key(ik: &IndexKey, id: &str) -> String {
    format!("mid:{}", ik.hash("mid", bare_message_id(id)))
}

/// A Message-ID as it is hashed: trimmed, without its angle brackets.
fn bare_message_id(id: &str) -> &str {
    id.trim().trim_start_matches('<').trim_end_matches('>')
}

// --- outbox and sent ---

/// The key of a mail in the `outbox` and `sent` trees: the keyed hash of its Message-ID.
pub(super) fn outbox_key(ik: &IndexKey, message_id: &str) -> String {
    ik.hash("outbox", message_id)
}

// --- data keys and blob files ---

/// The id of the data key of a case: `case/{number}`. Erasing the case destroys it.
pub(super) fn case_key_id(number: CaseNumber) -> String {
    format!("case/{number}")
}

/// The id of the data key a mail is sealed with: its case's, or for a mail of no case
/// (set aside, automated, the owner's, a digest) one of its own, `mail/{keyed hash}` of
/// its content hash (incoming) or Message-ID (outgoing, whose index record has the
/// Message-ID as its hash).
pub(super) fn mail_key_id(ik: &IndexKey, case: Option<CaseNumber>, hash_or_id: &str) -> String {
    match case {
        Some(number) => case_key_id(number),
        None => format!("mail/{}", ik.hash("mail-key", hash_or_id)),
    }
}

/// The file name (in `mails/`, without `.eml`) of an incoming mail: keyed hash of its
/// content hash.
pub(super) fn mail_blob_name(ik: &IndexKey, hash: &str) -> String {
    ik.hash("mail-blob", hash)
}

/// The file name (in `letters/`, without `.eml`) of an outgoing mail's text: keyed hash
/// of its Message-ID.
pub(super) fn letter_blob_name(ik: &IndexKey, message_id: &str) -> String {
    ik.hash("letter-blob", message_id)
}

/// The file name (in `keys/`, without `.key`) of a wrapped data key: keyed hash of its id.
pub(super) fn key_file_name(ik: &IndexKey, id: &str) -> String {
    ik.hash("key-file", id)
}

/// The keys and file names of schema 1 (unencrypted), which the migration to schema 2
/// reads: the content hash and Message-ID in clear, blobs named by sha256.
pub(super) mod v1 {
    use crate::domain::content_hash;

    pub(in crate::store) fn hash_key(hash: &str) -> String {
        format!("{}{hash}", super::HASH_PREFIX)
    }

    #[cfg(test)]
    pub(in crate::store) fn mid_key(id: &str) -> String {
        format!("mid:{}", super::bare_message_id(id))
    }

    /// Outbox and sent: the Message-ID as the letter has it.
    pub(in crate::store) fn outbox_key(message_id: &str) -> &[u8] {
        message_id.as_bytes()
    }

    /// `mails/{content hash}.eml`.
    pub(in crate::store) fn mail_blob_name(hash: &str) -> String {
        hash.to_string()
    }

    /// `letters/{sha256 of the Message-ID}.eml`.
    pub(in crate::store) fn letter_blob_name(message_id: &str) -> String {
        content_hash(message_id.as_bytes())
    }

    /// What the automatic-answer marks start with (`answers/{day}/{sha256 of the
    /// address, 16}/`): unkeyed hashes of addresses, which the migration removes.
    pub(in crate::store) const ANSWERS_PREFIX: &str = "answers/";
}

// --- marks ---

/// The prefix of every mark of one case (`{number}/`): erasure removes what is under it.
pub fn case_prefix(number: CaseNumber) -> String {
    format!("{number}/")
}

/// The prefix of the reminder marks of one case (`{number}/reminder/`).
pub fn reminder_prefix(number: CaseNumber) -> String {
    format!("{}reminder/", case_prefix(number))
}

/// Marks one reminder to the owner as sent: `{number}/reminder/{due_date}/{key}`. The
/// deadline's date is part of it, so an extension (a new decision date) starts the
/// decision's reminders afresh.
pub fn reminder_mark(number: CaseNumber, due_date: NaiveDate, key: &ReminderKey) -> String {
    format!("{}{due_date}/{key}", reminder_prefix(number))
}

/// Marks the alert to the owner that the acknowledgement deadline was reached without
/// the acknowledgement going out (once per case): `{number}/ack-alert`.
pub fn ack_alert_mark(number: CaseNumber) -> String {
    format!("{}ack-alert", case_prefix(number))
}

/// Marks the one gentle reminder to a complainant who still owes information:
/// `{number}/info-reminder`.
pub fn info_reminder_mark(number: CaseNumber) -> String {
    format!("{}info-reminder", case_prefix(number))
}

/// Marks a token of the owner's commands by mail as used (each is used once): under its
/// case, `{number}/token/{mac}` (erasure removes it with the case), or
/// `owner/token/{mac}` for the digest's token, which is about no case.
pub fn token_mark(case: Option<CaseNumber>, mac: &str) -> String {
    match case {
        Some(n) => format!("{}token/{mac}", case_prefix(n)),
        None => format!("owner/token/{mac}"),
    }
}

/// The prefix of the marks of the refusal notices sent on one day (at most 5 a day):
/// `owner/refusal/{day}/`.
pub fn refusal_prefix(day: NaiveDate) -> String {
    format!("owner/refusal/{day}/")
}

/// Marks one refused command by mail, by the refused mail's content hash:
/// `owner/refusal/{day}/{hash}`.
pub fn refusal_mark(day: NaiveDate, hash: &str) -> String {
    format!("{}{hash}", refusal_prefix(day))
}

/// The prefix of the marks of refused commands by mail that got no notice of their own
/// (past the 5 a day): the next digest counts those made since the last one.
pub const UNNOTICED_REFUSAL_PREFIX: &str = "owner/refusal-unnoticed/";

/// Marks a refused command by mail that got no notice of its own:
/// `owner/refusal-unnoticed/{hash}`.
pub fn unnoticed_refusal_mark(hash: &str) -> String {
    format!("{UNNOTICED_REFUSAL_PREFIX}{hash}")
}

/// Marks the one help mail a day to the owner: `owner/help/{day}`.
pub fn help_mark(day: NaiveDate) -> String {
    format!("owner/help/{day}")
}
/// Marks the one notice to the owner about older mail left in the mailbox at the first
/// start (`[mailbox] since`).
pub const LEFT_ALONE_MARK: &str = "mailbox/left-alone-notice";

/// Marks the weekly digest; its value is when the last one went out.
pub const DIGEST_MARK: &str = "digest/last";

/// The marks of the automatic answers sent to one address on one day (loop protection:
/// `[limits] answers_per_sender_per_day`): `answers/{day}/{keyed hash of the address}/`.
/// The address is hashed with the store's index key (`Store::index_key`): marks hold no
/// personal data, and the hash confirms no guessed address.
pub fn answer_prefix(ik: &IndexKey, day: NaiveDate, address: &str) -> String {
    let hash = ik.hash("answers", &address.trim().to_ascii_lowercase());
    format!("answers/{day}/{hash}/")
}

/// Marks one automatic answer (by its Message-ID) under [`answer_prefix`].
pub fn answer_mark(ik: &IndexKey, day: NaiveDate, address: &str, message_id: &str) -> String {
    format!("{}{message_id}", answer_prefix(ik, day, address))
}

/// Marks that the owner was told an address reached its daily cap (told once a day).
pub fn answer_cap_mark(ik: &IndexKey, day: NaiveDate, address: &str) -> String {
    format!("{}capped", answer_prefix(ik, day, address))
}

// --- meta ---

/// Meta: the schema version of the store (`u32`), written at the first open.
pub(super) const SCHEMA_KEY: &str = "schema";

/// Meta: the check value of the store's master key (hex), written when the store was
/// created or sealed: a wrong key file is told from the right one by it.
pub(super) const KEY_CHECK: &str = "crypt/check";

/// Meta: the mailbox's sync state (IMAP: UIDVALIDITY, last UID), after each batch.
pub const SYNC_STATE: &str = "mailbox_sync";

/// Meta: when klachtd first started on this store (`[mailbox] since = "first-start"`
/// counts from here). Written once, never moved.
pub const FIRST_START: &str = "mailbox/first_start";

/// Meta: the day (Amsterdam) the retention job last ran.
pub const RETENTION_META: &str = "retention/last";

/// Meta: the day (Amsterdam) of the last daily export (`[backup]`).
pub const BACKUP_META: &str = "backup/last";

/// Meta: when the owner was told that the outbox is stuck (`procedure::stuck`), until
/// she is told it cleared (then none).
pub const OUTBOX_STUCK: &str = "outbox/stuck-told";

/// Meta: the tombstone of a case erased after its retention period: `erased/{number}`.
pub(super) fn tombstone_key(number: CaseNumber) -> String {
    format!("erased/{number}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::content_hash;

    /// The strings existing stores hold: a change here is a change of the on-disk format.
    #[test]
    fn the_key_strings_are_the_on_disk_format() {
        let n = CaseNumber { year: 2026, seq: 7 };
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let key: ReminderKey = "decide/before-7".parse().unwrap();
        assert_eq!(
            [
                tree::CASES,
                tree::SEQ,
                tree::INDEX,
                tree::OUTBOX,
                tree::SENT,
                tree::MARKS,
                tree::META
            ],
            ["cases", "seq", "index", "outbox", "sent", "marks", "meta"]
        );
        assert_eq!(case_key(n), "KL-2026-0007");
        assert_eq!(seq_key(2026), [0, 0, 0x07, 0xea]);
        assert_eq!(v1::hash_key("ab12"), "hash:ab12");
        assert_eq!(v1::mid_key(" <x.1@numun.nl> "), "mid:x.1@numun.nl");
        assert_eq!(v1::outbox_key("x.1@numun.nl"), b"x.1@numun.nl");
        assert_eq!(v1::letter_blob_name("x"), content_hash(b"x"));
        assert_eq!(case_key_id(n), "case/KL-2026-0007");
        assert_eq!(mail_key_id(&ik(1), Some(n), "ab12"), "case/KL-2026-0007");
        assert_eq!(KEY_CHECK, "crypt/check");
        assert_eq!(case_prefix(n), "KL-2026-0007/");
        assert_eq!(reminder_prefix(n), "KL-2026-0007/reminder/");
        assert_eq!(
            reminder_mark(n, day, &key),
            "KL-2026-0007/reminder/2026-12-03/decide/before-7"
        );
        assert_eq!(ack_alert_mark(n), "KL-2026-0007/ack-alert");
        assert_eq!(info_reminder_mark(n), "KL-2026-0007/info-reminder");
        assert_eq!(DIGEST_MARK, "digest/last");
        assert_eq!(SCHEMA_KEY, "schema");
        assert_eq!(SYNC_STATE, "mailbox_sync");
        assert_eq!(RETENTION_META, "retention/last");
        assert_eq!(BACKUP_META, "backup/last");
        assert_eq!(FIRST_START, "mailbox/first_start");
        assert_eq!(LEFT_ALONE_MARK, "mailbox/left-alone-notice");
        assert_eq!(tombstone_key(n), "erased/KL-2026-0007");
    }

    fn ik(byte: u8) -> IndexKey {
        IndexKey::for_tests([byte; 32])
    }

    fn is_keyed_hash(s: &str) -> bool {
        s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
    }

    /// What would be personal data in a key or a file name is a keyed hash: the same
    /// under one key, another under another key, never the thing itself.
    #[test]
    fn personal_data_in_keys_is_a_keyed_hash() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let (a, b) = (ik(1), ik(2));
        let hash = content_hash(b"a mail");
        let id = "x.1@example.nl";
        type Spell = fn(&IndexKey, &str) -> String;
        let hashed: [(&str, Spell); 5] = [
            ("hash:", |k, v| hash_key(k, v)),
            ("mid:", |k, v| mid_key(k, v)),
            ("", |k, v| outbox_key(k, v)),
            ("", |k, v| mail_blob_name(k, v)),
            ("", |k, v| letter_blob_name(k, v)),
        ];
        for (prefix, f) in hashed {
            for value in [hash.as_str(), id] {
                let key = f(&a, value);
                let rest = key.strip_prefix(prefix).expect(prefix);
                assert!(is_keyed_hash(rest), "{key}");
                assert_eq!(key, f(&a, value), "deterministic");
                assert_ne!(key, f(&b, value), "another key, another hash");
                assert!(!key.contains(value) && !key.contains("example"), "{key}");
            }
        }
        assert_eq!(mid_key(&a, " <x.1@example.nl> "), mid_key(&a, id));
        assert!(hash_key(&a, &hash).starts_with(HASH_PREFIX));
        assert_ne!(
            mail_blob_name(&a, &hash),
            letter_blob_name(&a, &hash),
            "labelled"
        );
        let mail_id = mail_key_id(&a, None, &hash);
        assert!(
            is_keyed_hash(mail_id.strip_prefix("mail/").unwrap()),
            "{mail_id}"
        );
        assert!(is_keyed_hash(&key_file_name(&a, "case/KL-2026-0001")));
        // The per-address marks: keyed, and the same whatever the address's case.
        let prefix = answer_prefix(&a, day, "Sanne@Example.NL ");
        assert_eq!(prefix, answer_prefix(&a, day, "sanne@example.nl"));
        assert_ne!(prefix, answer_prefix(&b, day, "sanne@example.nl"));
        assert!(
            !prefix.contains("sanne") && !prefix.contains("example"),
            "{prefix}"
        );
        assert!(prefix.starts_with(v1::ANSWERS_PREFIX));
        let mark = answer_mark(&a, day, "sanne@example.nl", "m.1@numun.nl");
        assert!(mark.starts_with(&prefix) && mark.ends_with("m.1@numun.nl"));
        assert_eq!(
            answer_cap_mark(&a, day, "sanne@example.nl"),
            format!("{prefix}capped")
        );
    }

    #[test]
    fn every_mark_of_a_case_is_under_its_prefix() {
        let n = CaseNumber { year: 2026, seq: 7 };
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let key: ReminderKey = "decide/on-day".parse().unwrap();
        for mark in [
            reminder_mark(n, day, &key),
            ack_alert_mark(n),
            info_reminder_mark(n),
        ] {
            assert!(mark.starts_with(&case_prefix(n)), "{mark}");
        }
        assert!(reminder_mark(n, day, &key).starts_with(&reminder_prefix(n)));
    }
}
