//! `klachtd rebuild` on the real mail server (issue 9, item 3): three complaints answered
//! and one decided, a mail set aside, the store directory deleted, the store rebuilt from
//! the server's folders: the same numbers, states and cases (but for what cannot be
//! known), the next complaint gets the next number, and no letter goes out again.

use serde_json::Value;

use super::*;

impl Office {
    /// `klachtd ARGS --config C` (the helper of e2e/service.rs), to its end: (success,
    /// stdout, stderr).
    async fn run_klachtd(&self, args: &[&str]) -> (bool, String, String) {
        let out = self.klachtd(args).await;
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `klachtd cases show NUMBER --json`.
    async fn show(&self, number: &str) -> Value {
        let (ok, out, err) = self.run_klachtd(&["cases", "show", number, "--json"]).await;
        assert!(ok, "cases show {number}: {err}");
        serde_json::from_str(&out).expect("cases show --json")
    }

    /// How many mails each mailbox that gets letters holds, and the server's folders.
    async fn letter_counts(&self) -> [usize; 5] {
        [
            self.server.count(ALICE, "INBOX").await,
            self.server.count(OWNER, "INBOX").await,
            self.server.count(KLACHT, "Sent").await,
            self.server.count(KLACHT, "Verwerkt").await,
            self.server.count(KLACHT, "Apart gezet").await,
        ]
    }
}

/// Where two JSON values differ: (path, before, after); array items by index.
fn differences(path: &str, a: &Value, b: &Value, out: &mut Vec<(String, Value, Value)>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                differences(&format!("{path}.{k}"), va, vb, out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                differences(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push((path.to_string(), a.clone(), b.clone())),
        _ => {}
    }
}

/// Whether two RFC 3339 times are at most 2 s apart (the daemon's "now" had a fraction of
/// a second; a letter's Date, which the rebuild reads, has none).
fn same_moment(a: &Value, b: &Value) -> bool {
    let t = |v: &Value| {
        v.as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
    };
    match (t(a), t(b)) {
        (Some(a), Some(b)) => (a - b).num_milliseconds().abs() <= 2000,
        _ => false,
    }
}

/// Of `case` as shown before the store was lost, what a rebuild can know: the owner's
/// notes were never mailed.
fn knowable(mut case: Value) -> Value {
    if let Some(events) = case["events"].as_array_mut() {
        events.retain(|e| e["kind"] != serde_json::json!({"type": "action", "action": "note"}));
    }
    case
}

#[tokio::test]
async fn a_lost_store_is_rebuilt_from_the_mail_server() {
    let office = Office::new();
    let daemon = office.start();
    office
        .wait_logged("klachtd connected", "IMAP connected")
        .await;
    for n in 1..=3 {
        office.send_complaint(n).await;
        // one at a time, so the numbers follow the order of sending
        office.wait_acks(n).await;
    }
    office.wait_processed(3).await;
    let year = chrono::Datelike::year(&klachtd::clock::Clock::system().now());
    let number = |seq: u32| format!("KL-{year}-{seq:04}");
    // The owner notes something (never mailed) and decides the first case.
    let (ok, _, err) = office
        .run_klachtd(&[
            "case",
            &number(1),
            "note",
            "--text",
            "Gebeld met de trainer.",
        ])
        .await;
    assert!(ok, "note: {err}");
    let decision = "Bevindingen: de trainer was te laat.\nConclusies: de klacht is gegrond.\n\
                    Reacties: de trainer erkent het.\nAfhandeling: een gratis herhaling.";
    let (ok, _, err) = office
        .run_klachtd(&["case", &number(1), "decide", "--text", decision])
        .await;
    assert!(ok, "decide: {err}");
    // A mail about a case that does not exist: set aside, the owner told.
    let stray = format!(
        "From: Alice <{ALICE}>\r\nTo: {KLACHT}\r\nSubject: Re: [{}] vraag\r\nDate: {}\r\n\
         Message-ID: <stray-{:016x}@alice.example.test>\r\n\r\nHoe staat het ermee?\r\n",
        number(99),
        klachtd::clock::Clock::system().now().to_rfc2822(),
        fastrand::u64(..)
    );
    office
        .server
        .send(ALICE, KLACHT, stray.as_bytes())
        .await
        .unwrap();
    eventually(
        "the decision in alice's INBOX and in Sent",
        PATIENCE,
        || async {
            let decided = office
                .server
                .fetch_all(ALICE, "INBOX")
                .await
                .iter()
                .any(|m| has_subject(m, "Beslissing"));
            (decided && office.server.count(KLACHT, "Sent").await == 4).then_some(())
        },
    )
    .await;
    office
        .wait_owner_letter("the owner told of the stray mail", "apart gezet")
        .await;
    settle().await;
    let before = office.cases().await;
    let mut shown = Vec::new();
    for seq in 1..=3 {
        shown.push(office.show(&number(seq)).await);
    }
    let states: Vec<&str> = before
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["decided", "acknowledged", "acknowledged"]);

    // Not while the daemon has the store.
    let (ok, _, err) = office.run_klachtd(&["rebuild"]).await;
    assert!(!ok && err.contains("stop the daemon first"), "{err}");
    daemon.stop().await;
    let counts = office.letter_counts().await;
    std::fs::remove_dir_all(office.dir.path().join("store")).expect("delete the store");

    let (ok, out, err) = office.run_klachtd(&["rebuild", "--json"]).await;
    assert!(ok, "rebuild: {err}\n{}", office.log_text());
    let report: Value = serde_json::from_str(&out).expect("rebuild --json");
    let rebuilt: Vec<(String, String)> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["number"].as_str().unwrap().into(),
                c["state"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = before
        .iter()
        .map(|c| {
            (
                c["number"].as_str().unwrap().into(),
                c["state"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(rebuilt, expected, "{report:#}");
    assert_eq!(report["letters_matched"], 4, "{report:#}");
    assert_eq!(report["set_aside"], 1, "{report:#}");
    assert_eq!(report["sequences"][year.to_string()], 3, "{report:#}");
    for empty in [
        "letters_not_in_sent",
        "letters_without_complaint",
        "complaints_without_letter",
        "letters_not_replayed",
    ] {
        assert_eq!(
            report[empty],
            Value::Array(Vec::new()),
            "{empty}: {report:#}"
        );
    }
    assert!(
        report["unknowable"].to_string().contains("notes"),
        "{report:#}"
    );
    // Rebuilding read the server and changed nothing on it.
    assert_eq!(office.letter_counts().await, counts);
    assert_eq!(office.server.count(KLACHT, "INBOX").await, 0);

    // The cases as before, but for what the report says cannot be known: the note is
    // gone, the decision's log entry holds the letter's text instead of the owner's, and
    // the moments are those of the letters (to the second).
    let after = office.cases().await;
    assert_eq!(after.len(), 3);
    for (seq, old) in (1..=3).zip(shown) {
        let new = office.show(&number(seq)).await;
        let mut diff = Vec::new();
        differences("", &knowable(old.clone()), &new, &mut diff);
        let mut listed = Vec::new();
        differences(
            "",
            &knowable(before[seq as usize - 1].clone()),
            &after[seq as usize - 1],
            &mut listed,
        );
        assert_eq!(
            diff.iter().map(|d| &d.0).collect::<Vec<_>>(),
            listed.iter().map(|d| &d.0).collect::<Vec<_>>(),
            "cases list and cases show differ alike"
        );
        let mut detail = Vec::new();
        for (path, a, b) in &diff {
            let time = path.ends_with(".at")
                || path.ends_with(".received") && path.starts_with(".mails")
                || path == ".decided_at";
            if time && same_moment(a, b) {
                continue;
            }
            detail.push(path.clone());
            if path.ends_with(".detail") {
                // the decision letter holds the owner's four parts
                let text = b.as_str().unwrap_or_default();
                assert!(text.contains("de trainer erkent het"), "{text}");
            }
        }
        if seq == 1 {
            assert_eq!(
                detail.len(),
                1,
                "only the decision's text differs: {diff:#?}"
            );
            assert!(
                detail[0].starts_with(".events[") && detail[0].ends_with("].detail"),
                "{detail:?}"
            );
            let i: usize = detail[0]["events[".len() + 1..]
                .trim_end_matches("].detail")
                .parse()
                .unwrap();
            assert_eq!(new["events"][i]["kind"]["action"], "decide");
            assert_eq!(
                old["events"].as_array().unwrap().len(),
                new["events"].as_array().unwrap().len() + 1,
                "the note, and nothing else, is missing"
            );
        } else {
            assert!(detail.is_empty(), "{}: {diff:#?}", number(seq));
        }
    }

    // A store with cases is not rebuilt over.
    let (ok, _, err) = office.run_klachtd(&["rebuild"]).await;
    assert!(!ok && err.contains("use import"), "{err}");

    // The daemon on the rebuilt store: the next complaint gets the next number, and
    // nothing else goes out (no acknowledgement, decision or owner's notice again).
    let daemon = office.start();
    office
        .wait_logged("klachtd connected again", "IMAP connected")
        .await;
    office.send_complaint(4).await;
    let acks = office.wait_acks(4).await;
    office.wait_processed(4).await;
    assert!(
        acks.iter()
            .any(|a| has_subject(a, &format!("[{}]", number(4)))),
        "no acknowledgement for {}",
        number(4)
    );
    office
        .wait_owner_letter("the owner's notice of the new case", &number(4))
        .await;
    settle().await;
    let [alice, owner, sent, verwerkt, aside] = office.letter_counts().await;
    assert_eq!(
        [alice, owner, sent, verwerkt, aside],
        [
            counts[0] + 1,
            counts[1] + 1,
            counts[2] + 1,
            counts[3] + 1,
            counts[4]
        ],
        "one acknowledgement, one notice, one copy in Sent: nothing sent again"
    );
    assert_eq!(office.cases().await.len(), 4);
    daemon.stop().await;
    office.assert_logs_confidential();
}
