//! Into service on the real servers: the safe first start, history, status, SIGTERM and
//! SIGHUP, the owner told of a lasting mailbox failure.

use super::*;

/// A complete complaint from alice written long ago (`date`, RFC 2822); (id, raw).
fn old_complaint(n: usize, date: &str) -> (String, Vec<u8>) {
    let id = format!("oud-{n}-{:016x}@alice.example.test", fastrand::u64(..));
    let raw = mail_to(
        &format!("Alice <{ALICE}>"),
        &format!("Klachten <{KLACHT}>"),
        &format!("Oude klacht ({n})"),
        date,
        &id,
        COMPLETE,
    );
    (id, raw)
}

/// The subject of the owner's one notice about older mail left alone.
const LEFT_ALONE: &str = "oudere e-mail in de klachtenmailbox";

impl Office {
    /// The owner's letters with `part` in their subject.
    async fn owner_letters(&self, part: &str) -> Vec<String> {
        self.server
            .fetch_all(OWNER, "INBOX")
            .await
            .iter()
            .filter(|m| has_subject(m, part))
            .map(|m| text(m))
            .collect()
    }

    /// `klachtd status --json`.
    async fn status(&self) -> Value {
        let out = self.klachtd(&["status", "--json"]).await;
        assert_success(&out, "status --json");
        serde_json::from_slice::<Value>(&out.stdout).expect("status --json is JSON")
    }

    /// A complaint put straight into klacht@'s INBOX (when the SMTP server is away).
    async fn send_complaint_via_imap(&self, n: usize) {
        let (_, raw) = complaint(n);
        self.server.append(KLACHT, "INBOX", &raw).await;
    }

    /// `klachtd ARGS --config F` to its end: (status, stdout, stderr).
    pub(super) async fn klachtd(&self, args: &[&str]) -> std::process::Output {
        tokio::process::Command::new(BIN)
            .args(args)
            .arg("--config")
            .arg(&self.config)
            .env("KLACHTD_LOG", "warn")
            .output()
            .await
            .expect("run klachtd")
    }
}

/// Issue 8: an existing mailbox with five old mails, read already. The first start
/// answers none of them and registers none; the owner gets one notice; a new mail is
/// answered; a restart neither moves "since" nor repeats the notice; mail that arrives
/// while klachtd is down after its first start is taken in.
#[tokio::test]
async fn first_start_leaves_old_mail_alone() {
    let office = Office::with_extra("since = \"first-start\"");
    for n in 0..5 {
        let (_, raw) = old_complaint(n, "Sat, 1 Mar 2025 10:00:00 +0100");
        office
            .server
            .append_old(KLACHT, "INBOX", &raw, "01-Mar-2025 10:00:00 +0100")
            .await;
    }
    let daemon = office.start();
    office
        .wait_owner_letter("the owner's notice of older mail", LEFT_ALONE)
        .await;
    let notices = office.owner_letters(LEFT_ALONE).await;
    assert_eq!(notices.len(), 1, "one notice");
    assert!(notices[0].contains("5 e-mails"), "{}", notices[0]);
    assert!(
        notices[0].contains("klachtd history --since"),
        "{}",
        notices[0]
    );
    // a new complaint is answered as always
    office.send_complaint(1).await;
    office.wait_acks(1).await;
    eventually("the new mail in Verwerkt", PATIENCE, || async {
        (office.server.count(KLACHT, "Verwerkt").await == 1).then_some(())
    })
    .await;
    settle().await;
    assert_eq!(
        office.acks().await.len(),
        1,
        "only the new mail is answered"
    );
    assert_eq!(
        office.server.count(ALICE, "INBOX").await,
        1,
        "alice got one letter"
    );
    assert_eq!(
        office.server.count(KLACHT, "INBOX").await,
        5,
        "old mail left"
    );
    assert_eq!(office.cases().await.len(), 1, "old mail not registered");
    assert_eq!(office.owner_letters("Nieuwe klacht").await.len(), 1);
    daemon.stop().await;

    // down for a while: a complaint arrives meanwhile and is taken in at the restart
    office.send_complaint(2).await;
    let daemon = office.start();
    office.wait_acks(2).await;
    eventually("both new mails in Verwerkt", PATIENCE, || async {
        (office.server.count(KLACHT, "Verwerkt").await == 2).then_some(())
    })
    .await;
    settle().await;
    assert_eq!(
        office.server.count(KLACHT, "INBOX").await,
        5,
        "old mail left"
    );
    assert_eq!(
        office.owner_letters(LEFT_ALONE).await.len(),
        1,
        "no second notice"
    );
    assert_eq!(office.cases().await.len(), 2);
    daemon.stop().await;
    office.assert_logs_confidential();
}

/// Issue 8: `klachtd history --since DATE` takes the old mail from that day on in,
/// quietly: cases registered and marked historical, no letter to anyone, no reminders
/// for their long-past deadlines; older mail stays where it is. `--dry-run` changes
/// nothing.
#[tokio::test]
async fn history_takes_old_mail_in_quietly() {
    let office = Office::with_extra("since = \"first-start\"");
    for n in 0..3 {
        let (_, raw) = old_complaint(n, "Sat, 1 Mar 2025 10:00:00 +0100");
        office
            .server
            .append_old(KLACHT, "INBOX", &raw, "01-Mar-2025 10:00:00 +0100")
            .await;
    }
    let (_, older) = old_complaint(9, "Wed, 10 Jan 2024 10:00:00 +0100");
    office
        .server
        .append_old(KLACHT, "INBOX", &older, "10-Jan-2024 10:00:00 +0100")
        .await;
    // the first start: nothing taken in, the owner told
    assert!(office.run_once(None).await.success());
    assert_eq!(office.owner_letters(LEFT_ALONE).await.len(), 1);
    assert!(office.cases().await.is_empty());

    let dry = office
        .klachtd(&["history", "--since", "2025-01-01", "--dry-run"])
        .await;
    assert_success(&dry, "history --dry-run");
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(out.contains("3 mail(s)"), "{out}");
    assert!(out.contains("dry run"), "{out}");
    assert_eq!(
        office.server.count(KLACHT, "INBOX").await,
        4,
        "dry run moved mail"
    );
    assert!(office.cases().await.is_empty(), "dry run registered mail");

    let run = office.klachtd(&["history", "--since", "2025-01-01"]).await;
    assert_success(&run, "history");
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("3 new case(s)"), "{out}");
    let cases = office.cases().await;
    assert_eq!(cases.len(), 3);
    for case in &cases {
        assert_eq!(case["historical"], Value::Bool(true), "{case}");
        assert!(
            case["received"]
                .as_str()
                .is_some_and(|r| r.starts_with("2025-03-01")),
            "{case}"
        );
    }
    assert_eq!(
        office.server.count(KLACHT, "INBOX").await,
        1,
        "the 2024 mail stays"
    );
    assert_eq!(office.server.count(KLACHT, "Verwerkt").await, 3);

    // the daemon again: its scheduler sends nothing for the historical cases
    assert!(office.run_once(None).await.success());
    settle().await;
    assert_eq!(
        office.server.count(ALICE, "INBOX").await,
        0,
        "alice got a letter"
    );
    for subject in [
        "Nieuwe klacht",
        "HERINNERING",
        "TERMIJN VERSTREKEN",
        "Let op",
    ] {
        let letters = office.owner_letters(subject).await;
        let expected = usize::from(subject == "Let op"); // the one notice
        assert_eq!(
            letters.len(),
            expected,
            "owner letters {subject:?}: {letters:?}"
        );
    }
    office.assert_logs_confidential();
}

/// Issue 8: `klachtd status --json` from the running daemon (connected, last poll, the
/// outbox while the SMTP server is away) and from the store once it stopped; the daemon's
/// log as JSON lines with `--log-format json`.
#[tokio::test]
async fn status_json_from_the_daemon_and_from_the_store() {
    let office = Office::new();
    let child = office
        .command(&["run", "--log-format", "json"], None)
        .spawn()
        .expect("spawn klachtd");
    let daemon = Daemon { child: Some(child) };
    office
        .wait_logged("klachtd connected", "IMAP connected")
        .await;
    office.send_complaint(1).await;
    office.wait_acks(1).await;
    office.wait_processed(1).await;
    let s = office.status().await;
    for key in [
        "connected",
        "last_poll",
        "outbox_queued",
        "outbox_oldest",
        "open_cases",
        "overdue",
        "set_aside",
        "due_this_week",
    ] {
        assert!(s.get(key).is_some(), "{key} missing: {s}");
    }
    assert_eq!(s["daemon_running"], Value::Bool(true), "{s}");
    assert_eq!(s["connected"], Value::Bool(true), "{s}");
    assert!(s["last_poll"].is_string(), "{s}");
    assert_eq!(s["open_cases"], 1, "{s}");
    assert_eq!(s["overdue"], 0, "{s}");
    assert_eq!(s["set_aside"], 0, "{s}");
    // the SMTP server away: the letters wait in the outbox
    office.server.stop_smtp().await;
    office.send_complaint_via_imap(2).await;
    let s = eventually("the second case, its letters waiting", PATIENCE, || async {
        let s = office.status().await;
        (s["open_cases"] == 2 && s["outbox_queued"].as_u64().unwrap_or(0) >= 1).then_some(s)
    })
    .await;
    assert!(s["outbox_oldest"].is_string(), "{s}");
    assert_eq!(s["open_cases"], 2, "{s}");
    daemon.stop().await;
    // no daemon: the store's figures
    let s = office.status().await;
    assert_eq!(s["daemon_running"], Value::Bool(false), "{s}");
    assert_eq!(s["connected"], Value::Bool(false), "{s}");
    assert_eq!(s["open_cases"], 2, "{s}");
    assert!(s["outbox_queued"].as_u64().unwrap_or(0) >= 1, "{s}");
    // every log line is one JSON object, and names no person
    let log = office.log_text();
    assert!(!log.trim().is_empty());
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
    office.assert_logs_confidential();
}

/// Issue 8: SIGTERM in the middle of a backlog: the daemon finishes the mail in hand,
/// logs out from IMAP and exits 0 within the bound; after the restart every complaint
/// has exactly one case and one acknowledgement.
#[tokio::test]
async fn sigterm_in_the_middle_of_a_backlog_loses_and_doubles_nothing() {
    const N: usize = 120;
    let office = Office::new();
    let mails: Vec<Vec<u8>> = (0..N).map(|n| complaint(n).1).collect();
    append_many(&office.server, KLACHT, "INBOX", &mails).await;
    let daemon = office.start();
    eventually("some of the backlog taken in", PATIENCE, || async {
        (office.server.count(KLACHT, "Verwerkt").await >= 5).then_some(())
    })
    .await;
    let started = Instant::now();
    let status = daemon.stop().await;
    assert!(
        status.success(),
        "exit after SIGTERM: {status:?}\n{}",
        office.log_text()
    );
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "took {:?}",
        started.elapsed()
    );
    let log = office.log_text();
    assert!(log.contains("IMAP logged out"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    let taken = office.server.count(KLACHT, "Verwerkt").await;
    eprintln!("SIGTERM after {taken} of {N} mails");
    let _daemon = office.start();
    office.wait_processed(N).await;
    office.wait_acks(N).await;
    settle().await;
    office.assert_exactly_once(N, N).await;
}

/// Issue 8: SIGHUP reloads the templates (and the config); a broken template is refused
/// and logged, and the old one stays in use.
#[tokio::test]
async fn sighup_reloads_templates_and_refuses_a_broken_one() {
    let office = Office::new();
    let templates = office.dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let built_in = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/acknowledgement.txt"),
    )
    .unwrap();
    let ack = templates.join("acknowledgement.txt");
    std::fs::write(&ack, format!("{built_in}\nVERSIE-EEN\n")).unwrap();
    let mut config = std::fs::read_to_string(&office.config).unwrap();
    config.push_str(&format!("\n[templates]\ndir = {templates:?}\n"));
    std::fs::write(&office.config, config).unwrap();
    let mut daemon = office.start();
    let bodies = |acks: Vec<Vec<u8>>| -> Vec<String> {
        acks.iter()
            .map(|a| crate::support::body(&text(a)))
            .collect()
    };
    office.send_complaint(1).await;
    let acks = bodies(office.wait_acks(1).await);
    assert!(acks[0].contains("VERSIE-EEN"), "{}", acks[0]);

    std::fs::write(&ack, format!("{built_in}\nVERSIE-TWEE\n")).unwrap();
    daemon.signal("HUP");
    office.wait_logged("the reload", "reloading").await;
    office.send_complaint(2).await;
    let acks = bodies(office.wait_acks(2).await);
    assert_eq!(
        acks.iter().filter(|b| b.contains("VERSIE-TWEE")).count(),
        1,
        "{acks:?}"
    );

    std::fs::write(&ack, "Subject: kapot\n{% if %}\n").unwrap();
    daemon.signal("HUP");
    office.wait_logged("the refusal", "reload refused").await;
    assert!(daemon.running(), "the daemon stopped on a broken template");
    office.send_complaint(3).await;
    let acks = bodies(office.wait_acks(3).await);
    assert_eq!(
        acks.iter().filter(|b| b.contains("VERSIE-TWEE")).count(),
        2,
        "the old template stays in use: {acks:?}"
    );
    settle().await;
    office.assert_exactly_once(3, 3).await;
    daemon.stop().await;
}

/// Issue 8: a mailbox that keeps failing reaches the owner by mail once (however many
/// attempts fail), and once more when it works again. `alert_after_minutes = 0`: at
/// once, instead of after the default hour.
#[tokio::test]
async fn the_owner_is_told_once_of_a_lasting_imap_failure() {
    let office = Office::with_extra("alert_after_minutes = 0");
    let daemon = office.start();
    office
        .wait_logged("klachtd connected", "IMAP connected")
        .await;
    office.server.stop_imap().await;
    office
        .wait_logged("the owner told of the failure", "failing for a while")
        .await;
    // more failed attempts while it lasts
    tokio::time::sleep(Duration::from_secs(8)).await;
    office.server.start_imap().await;
    office
        .wait_owner_letter("the notice of the failure", "onbereikbaar")
        .await;
    office
        .wait_owner_letter("the notice that it works again", "werkt weer")
        .await;
    settle().await;
    assert_eq!(office.owner_letters("onbereikbaar").await.len(), 1);
    assert_eq!(office.owner_letters("werkt weer").await.len(), 1);
    daemon.stop().await;
    office.assert_logs_confidential();
}
