//! Robustness: every mail of the public corpus of unusual and malformed mails
//! (tests/fixtures/corpus, see its README.md) and some synthetic garbage runs through the
//! whole intake pipeline: no panic, each input either read or refused as not a mail with a
//! reason. (How fast: `klachtd bench tests/fixtures/mails tests/fixtures/corpus`, a
//! benchmark, not a timed test.)

use std::path::{Path, PathBuf};

use klachtd::intake::{self, Arrival, Context};

use crate::check_output::CheckOutput;
use crate::support::{demo_context as context, fixed_now as now};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// Runs one input; returns a description of the problem, if any.
fn check(name: &str, raw: &[u8], ctx: &Context) -> Option<String> {
    let result = std::panic::catch_unwind(|| {
        intake::read(raw, Arrival::Unknown { now: now() }, ctx)
            .map(|s| CheckOutput::new(&s).to_json())
    });
    match result {
        Err(_) => Some(format!("{name}: panicked")),
        Ok(Err(e)) if e.0.trim().is_empty() => Some(format!("{name}: refused without a reason")),
        Ok(_) => None,
    }
}

#[test]
fn every_corpus_mail_is_read_or_refused_with_a_reason() {
    let ctx = context();
    let mut files = Vec::new();
    for folder in ["legacy", "malformed", "rfc", "thirdparty"] {
        for entry in std::fs::read_dir(corpus().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "eml") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 100, "only {} corpus files", files.len());
    let problems: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let raw = std::fs::read(path).unwrap();
            let name = path.strip_prefix(corpus()).unwrap().display().to_string();
            check(&name, &raw, &ctx)
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn synthetic_garbage_is_read_or_refused_with_a_reason() {
    let ctx = context();
    let mut inputs: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), Vec::new()),
        ("whitespace".into(), b" \r\n\t\n".to_vec()),
        ("1 MB of a".into(), vec![b'a'; 1 << 20]),
        ("header line only".into(), b"Subject: hallo".to_vec()),
        ("header line and CRLF".into(), b"From: jan@numun.nl\r\n".to_vec()),
        ("NUL bytes".into(), vec![0; 4096]),
        ("one colon".into(), b":".to_vec()),
        ("no body separator".into(), b"Subject: x\nFrom: y\nTo: z".to_vec()),
        (
            "1 MB header".into(),
            [b"Subject: ".as_slice(), &vec![b'x'; 1 << 20], b"\n\nbody"].concat(),
        ),
        (
            "100k header lines".into(),
            "X-A: b\n".repeat(100_000).into_bytes(),
        ),
        (
            "100k quote lines".into(),
            format!("Subject: q\n\n{}", "> old\n".repeat(100_000)).into_bytes(),
        ),
        (
            "deep HTML".into(),
            format!(
                "Content-Type: text/html\n\n{}hallo",
                "<div><blockquote>".repeat(20_000)
            )
            .into_bytes(),
        ),
        (
            "bad base64 and charset".into(),
            b"Content-Type: text/plain; charset=\"x-nope\"\nContent-Transfer-Encoding: base64\n\n!!!!====%%%%\n".to_vec(),
        ),
        (
            "unterminated boundary".into(),
            b"Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nhoi".to_vec(),
        ),
    ];

    // random bytes, with and without a header line in front
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for i in 0..50 {
        let mut v = Vec::new();
        if i % 2 == 0 {
            v.extend_from_slice(b"Content-Type: multipart/mixed; boundary=\"x\"\n\n--x\n");
        }
        for _ in 0..(i * 97 % 5000) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            v.push(seed as u8);
        }
        inputs.push((format!("random {i}"), v));
    }

    // multipart nested 200 levels deep
    let mut nested =
        String::from("From: a@b.nl\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
    for i in 0..200 {
        nested.push_str(&format!(
            "--b{i}\nContent-Type: multipart/mixed; boundary=\"b{}\"\n\n",
            i + 1
        ));
    }
    nested.push_str("--b200\nContent-Type: text/plain\n\ndiep genest\n");
    for i in (0..=200).rev() {
        nested.push_str(&format!("--b{i}--\n"));
    }
    inputs.push(("multipart 200 levels".into(), nested.into_bytes()));

    // message/rfc822 nested 200 levels deep
    let mut rfc = String::new();
    for _ in 0..200 {
        rfc.push_str("From: a@b.nl\nContent-Type: message/rfc822\n\n");
    }
    rfc.push_str("From: c@d.nl\n\nbinnenste\n");
    inputs.push(("message/rfc822 200 levels".into(), rfc.into_bytes()));

    let problems: Vec<String> = inputs
        .iter()
        .filter_map(|(name, raw)| check(name, raw, &ctx))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // the obviously-not-mails are refused
    for raw in [&b""[..], &vec![b'a'; 1 << 20], &vec![0; 4096]] {
        let err = intake::read(raw, Arrival::Unknown { now: now() }, &ctx).unwrap_err();
        assert!(!err.0.is_empty());
    }
}
