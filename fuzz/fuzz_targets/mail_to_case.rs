//! The whole pure path from raw bytes to a case and its letters: intake (limits, parse,
//! classify, extract, validate), a new case or a follow-up with every letter rendered,
//! the case as the store encodes it and reads it back. Nothing may panic; what is read
//! back must be what was written.
#![no_main]

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use klachtd::cases::Case;
use klachtd::domain::CaseNumber;
use klachtd::intake::{self, Arrival, Class, Context, OwnIdentity};
use klachtd::letters::{Letters, sample_settings};
use klachtd::procedure::mail::{Answer, Incoming, follow_up, open_case};
use libfuzzer_sys::fuzz_target;

static LETTERS: LazyLock<Letters> =
    LazyLock::new(|| Letters::new(&sample_settings()).expect("the built-in templates"));

static CONTEXT: LazyLock<Context> = LazyLock::new(|| Context {
    own: OwnIdentity {
        addresses: vec!["klacht@numun.nl".into()],
    },
    ..Context::default()
});

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_794_000_000, 0).unwrap_or_default()
}

fn round_trip(case: &Case) {
    let stored = serde_json::to_vec(case).expect("a case encodes");
    let read: Case = serde_json::from_slice(&stored).expect("a stored case decodes");
    assert_eq!(&read, case, "the store reads back what it wrote");
}

fuzz_target!(|raw: &[u8]| {
    let Ok(sub) = intake::read(raw, Arrival::At(now()), &CONTEXT) else {
        return;
    };
    if sub.classification.class == Class::Automated {
        return;
    }
    let incoming = Incoming {
        submission: &sub,
        hash: "0000",
        arrived: now(),
        answer: Answer::Yes,
        raw,
    };
    let number = CaseNumber { year: 2026, seq: 1 };
    let change = open_case(number, incoming, &LETTERS, now()).expect("letters render");
    for letter in &change.outgoing {
        assert!(!letter.raw.is_empty());
    }
    let case = change.case.expect("a new case");
    round_trip(&case);
    // The same mail once more, as a follow-up to its own case.
    let again = follow_up(case, incoming, &LETTERS, now()).expect("letters render");
    round_trip(&again.case.expect("the case"));
});
