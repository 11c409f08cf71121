//! End to end: the real `klachtd` binary as a child process against a real Dovecot and
//! SMTP front (mailserver.rs), and the failures of issue 3: SIGKILL at every step of
//! intake and sending, the IMAP server restarted during IDLE, the SMTP server down for a
//! while, a UIDVALIDITY change, mail read by another client, 200 mails at once.
//!
//! Every test asserts no loss (one case per complaint, the mail in "Verwerkt", the INBOX
//! empty) and no double answer (acknowledgements counted in the complainant's own
//! mailbox, read over IMAP). Each test has its own mail server and temp dir.

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::mailserver::{ALICE, KLACHT, MailServer, OWNER, assert_success};
use crate::support::{COMPLETE, header, mail_to, subject};

const BIN: &str = env!("CARGO_BIN_EXE_klachtd");
/// How long any one expected thing may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// One mail server, one klachtd config and store in a temp dir.
struct Office {
    server: MailServer,
    dir: tempfile::TempDir,
    config: PathBuf,
    log: PathBuf,
}

/// A running `klachtd run`: killed (SIGKILL) and reaped on drop.
struct Daemon {
    child: Option<std::process::Child>,
}

impl Daemon {
    /// Sends `signal` ("HUP", "TERM") to the daemon.
    fn signal(&self, signal: &str) {
        let child = self.child.as_ref().expect("a child");
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal}");
    }

    /// Whether the daemon is still running.
    fn running(&mut self) -> bool {
        let child = self.child.as_mut().expect("a child");
        child.try_wait().expect("try_wait").is_none()
    }

    /// Stops the daemon the way systemd does (SIGTERM) and waits for it to exit.
    async fn stop(mut self) -> ExitStatus {
        let mut child = self.child.take().expect("a child");
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        wait_child(&mut child, Duration::from_secs(30))
            .await
            .expect("klachtd stops within 30 s of SIGTERM")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Waits for a child without blocking the runtime; `None` on timeout (then it is killed).
async fn wait_child(child: &mut std::process::Child, timeout: Duration) -> Option<ExitStatus> {
    let until = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        if Instant::now() > until {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls `check` until it gives `Some`, failing the test with `what` after `timeout`.
pub(crate) async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let until = Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < until, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A complete complaint from alice, dated now, with a fresh Message-ID; (id, raw).
fn complaint(n: usize) -> (String, Vec<u8>) {
    let id = format!("klacht-{n}-{:016x}@alice.example.test", fastrand::u64(..));
    let date = klachtd::clock::Clock::system().now().to_rfc2822();
    let raw = mail_to(
        &format!("Alice <{ALICE}>"),
        &format!("Klachten <{KLACHT}>"),
        &format!("Klacht over de training ({n})"),
        &date,
        &id,
        COMPLETE,
    );
    (id, raw)
}

fn text(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

/// Whether a mail has a Subject with `part` in it.
fn has_subject(raw: &[u8], part: &str) -> bool {
    header(&text(raw), "Subject").is_some_and(|s| s.contains(part))
}

fn is_ack(raw: &[u8]) -> bool {
    has_subject(raw, "Ontvangstbevestiging")
}

fn message_id(raw: &[u8]) -> String {
    header(&text(raw), "Message-ID").unwrap_or_default()
}

impl Office {
    fn new() -> Office {
        Self::with_extra("")
    }

    /// `extra` goes into the [mailbox] table.
    fn with_extra(extra: &str) -> Office {
        Self::on(MailServer::start(), extra)
    }

    /// On a server started by the caller (with a vacation responder, say).
    fn on(server: MailServer, extra: &str) -> Office {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = server.write_klachtd_config(dir.path(), extra);
        let log = dir.path().join("klachtd.log");
        Office {
            server,
            dir,
            config,
            log,
        }
    }

    fn command(&self, args: &[&str], crash_at: Option<&str>) -> std::process::Command {
        let log = std::fs::File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        let mut cmd = std::process::Command::new(BIN);
        cmd.args(args)
            .arg("--config")
            .arg(&self.config)
            .env("KLACHTD_LOG", "info")
            .env_remove("KLACHTD_CRASH_AT")
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        if let Some(point) = crash_at {
            cmd.env("KLACHTD_CRASH_AT", point);
        }
        cmd
    }

    /// `klachtd run` in the background.
    fn start(&self) -> Daemon {
        let child = self.command(&["run"], None).spawn().expect("spawn klachtd");
        Daemon { child: Some(child) }
    }

    /// `klachtd run --once` to its end (at most 60 s).
    async fn run_once(&self, crash_at: Option<&str>) -> ExitStatus {
        let mut child = self
            .command(&["run", "--once"], crash_at)
            .spawn()
            .expect("spawn klachtd");
        wait_child(&mut child, PATIENCE)
            .await
            .expect("klachtd run --once ends within 60 s")
    }

    /// `klachtd cases list --json`: through the daemon's socket, or the store.
    async fn cases(&self) -> Vec<Value> {
        let out = tokio::process::Command::new(BIN)
            .args(["cases", "list", "--json", "--config"])
            .arg(&self.config)
            .env("KLACHTD_LOG", "warn")
            .output()
            .await
            .expect("run klachtd cases list");
        assert_success(&out, "cases list");
        match serde_json::from_slice(&out.stdout).expect("cases list --json") {
            Value::Array(cases) => cases,
            other => panic!("not a list: {other}"),
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log has `line` in it; `what` names it when that never comes.
    async fn wait_logged(&self, what: &str, line: &str) {
        eventually(what, PATIENCE, || async {
            self.log_text().contains(line).then_some(())
        })
        .await
    }

    /// Waits until the owner has a letter with `part` in its subject.
    async fn wait_owner_letter(&self, what: &str, part: &str) {
        eventually(what, PATIENCE, || async {
            let owner = self.server.fetch_all(OWNER, "INBOX").await;
            owner.iter().any(|m| has_subject(m, part)).then_some(())
        })
        .await
    }

    async fn send_complaint(&self, n: usize) -> (String, Vec<u8>) {
        let (id, raw) = complaint(n);
        self.server
            .send(ALICE, KLACHT, &raw)
            .await
            .expect("SMTP send");
        (id, raw)
    }

    async fn acks(&self) -> Vec<Vec<u8>> {
        self.server
            .fetch_all(ALICE, "INBOX")
            .await
            .into_iter()
            .filter(|m| is_ack(m))
            .collect()
    }

    /// Waits until alice has `n` acknowledgements (and the daemon a moment to send more).
    async fn wait_acks(&self, n: usize) -> Vec<Vec<u8>> {
        eventually(
            &format!("{n} acknowledgement(s) in alice's INBOX"),
            PATIENCE,
            || async {
                let acks = self.acks().await;
                (acks.len() >= n).then_some(acks)
            },
        )
        .await
    }

    /// Waits until the INBOX is empty and `n` mails are in Verwerkt.
    async fn wait_processed(&self, n: usize) {
        eventually(
            &format!("INBOX empty and {n} mail(s) in Verwerkt"),
            PATIENCE,
            || async {
                (self.server.count(KLACHT, "INBOX").await == 0
                    && self.server.count(KLACHT, "Verwerkt").await == n)
                    .then_some(())
            },
        )
        .await
    }

    /// No loss, no double answer, for `n` complaints taken in: `n` cases, `in_verwerkt`
    /// mails in Verwerkt (complaints, replies, mails seen again: moved, never deleted), an
    /// empty INBOX, `n` acknowledgements with distinct Message-IDs.
    async fn assert_exactly_once(&self, n: usize, in_verwerkt: usize) {
        assert_eq!(self.cases().await.len(), n, "cases");
        assert_eq!(self.server.count(KLACHT, "INBOX").await, 0, "INBOX");
        assert_eq!(
            self.server.count(KLACHT, "Verwerkt").await,
            in_verwerkt,
            "Verwerkt"
        );
        let acks = self.acks().await;
        assert_eq!(acks.len(), n, "acknowledgements to alice");
        let mut ids: Vec<String> = acks.iter().map(|a| message_id(a)).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "distinct acknowledgement Message-IDs");
    }

    /// The logs name no person: not the complainant's name, street, phone or address.
    fn assert_logs_confidential(&self) {
        let log = self.log_text();
        assert!(!log.is_empty(), "no log written");
        for secret in [
            "Sanne",
            "de Vries",
            "Kerkstraat",
            "3511 AB",
            "06-12345678",
            ALICE,
        ] {
            assert!(!log.contains(secret), "the log contains {secret:?}:\n{log}");
        }
    }
}

/// A short settling time after the expected state was reached, so that a duplicate sent
/// late would still be seen by the assertions that follow. Never the synchronisation.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(2)).await;
}

#[tokio::test]
async fn happy_path_answers_over_smtp_and_threads_the_reply() {
    let office = Office::new();
    let daemon = office.start();
    // let it connect and enter IDLE, so the mail arrives "while it waits"
    office
        .wait_logged("klachtd connected", "IMAP connected")
        .await;
    let (complaint_id, _) = office.send_complaint(1).await;

    let acks = office.wait_acks(1).await;
    office.wait_processed(1).await;
    let ack = text(&acks[0]);
    let subject = subject(&ack);
    let year = chrono::Datelike::year(&klachtd::clock::Clock::system().now());
    assert!(
        subject.contains(&format!("[KL-{year}-0001]")),
        "subject: {subject}"
    );
    assert_eq!(
        header(&ack, "In-Reply-To").as_deref(),
        Some(format!("<{complaint_id}>").as_str()),
        "{ack}"
    );
    assert!(
        header(&ack, "References").is_some_and(|r| r.contains(&complaint_id)),
        "{ack}"
    );
    assert_eq!(
        header(&ack, "Auto-Submitted").as_deref(),
        Some("auto-replied")
    );
    // the owner was told, and a copy of the acknowledgement is in klacht@'s Sent
    office
        .wait_owner_letter("the owner's notification", "Nieuwe klacht")
        .await;
    let ack_id = message_id(&acks[0]);
    eventually("the acknowledgement in Sent", PATIENCE, || async {
        let sent = office.server.fetch_all(KLACHT, "Sent").await;
        sent.iter().any(|m| message_id(m) == ack_id).then_some(())
    })
    .await;
    assert_eq!(office.cases().await.len(), 1);

    // alice replies to the acknowledgement, without the case number in the subject
    let reply_id = format!("reply-{:016x}@alice.example.test", fastrand::u64(..));
    let reply = format!(
        "From: Alice <{ALICE}>\r\nTo: {KLACHT}\r\nSubject: Re: mijn klacht\r\nDate: {}\r\nMessage-ID: <{reply_id}>\r\nIn-Reply-To: {ack_id}\r\nReferences: <{complaint_id}> {ack_id}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIk wil nog toevoegen dat de koffie koud was.\r\n",
        klachtd::clock::Clock::system().now().to_rfc2822()
    );
    office
        .server
        .send(ALICE, KLACHT, reply.as_bytes())
        .await
        .unwrap();
    office.wait_processed(2).await;
    let cases = office.cases().await;
    assert_eq!(cases.len(), 1, "the reply opened a new case");
    let mails = cases[0]["mails"].as_array().map(Vec::len).unwrap_or(0);
    assert!(mails >= 2, "the reply is not in the case: {}", cases[0]);
    settle().await;
    office.assert_exactly_once(1, 2).await;
    daemon.stop().await;
    office.assert_logs_confidential();
}

/// Crashes `klachtd run --once` at `point`, runs it again, and checks the result is as
/// if nothing had happened. Returns the number of duplicate letters (same Message-ID).
async fn crash_and_recover(point: &str) -> usize {
    let office = Office::new();
    office.send_complaint(1).await;
    let status = office.run_once(Some(point)).await;
    assert_eq!(
        status.signal(),
        Some(9),
        "{point}: klachtd was not killed at the crash point ({status:?})\n{}",
        office.log_text()
    );
    let status = office.run_once(None).await;
    assert!(
        status.success(),
        "{point}: the second run failed\n{}",
        office.log_text()
    );
    assert_eq!(office.cases().await.len(), 1, "{point}: cases");
    assert_eq!(office.server.count(KLACHT, "INBOX").await, 0, "{point}");
    assert_eq!(office.server.count(KLACHT, "Verwerkt").await, 1, "{point}");
    // Both mailboxes that get letters: a duplicate is allowed only after a crash
    // between the server's 250 and the outbox update, and then with the same Message-ID.
    let mut duplicates = 0;
    for (who, expected) in [(ALICE, "Ontvangstbevestiging"), (OWNER, "Nieuwe klacht")] {
        let letters: Vec<Vec<u8>> = office
            .server
            .fetch_all(who, "INBOX")
            .await
            .into_iter()
            .filter(|m| has_subject(m, expected))
            .collect();
        match letters.len() {
            1 => {}
            2 if point == "after_send" => {
                assert_eq!(
                    message_id(&letters[0]),
                    message_id(&letters[1]),
                    "{point}: a duplicate to {who} with another Message-ID"
                );
                eprintln!("crash at {point}: the letter \"{expected}\" to {who} arrived twice");
                duplicates += 1;
            }
            n => panic!("{point}: {n} letters \"{expected}\" to {who}"),
        }
    }
    // the copy for the owner's mail client is in Sent (twice at most: once per send)
    let ack_id = message_id(&office.acks().await[0]);
    let copies = office
        .server
        .fetch_all(KLACHT, "Sent")
        .await
        .iter()
        .filter(|m| message_id(m) == ack_id)
        .count();
    assert!(
        (1..=1 + duplicates).contains(&copies),
        "{point}: {copies} copies of the acknowledgement in Sent"
    );
    eprintln!("crash at {point}: {duplicates} duplicate letter(s), same Message-ID");
    // a third run changes nothing
    assert!(office.run_once(None).await.success());
    assert_eq!(
        office.cases().await.len(),
        1,
        "{point}: cases after a third run"
    );
    duplicates
}

/// Crashes `klachtd run --once` at `point` with three complaints in the INBOX (one batch,
/// flushed once, moved with one command), runs it again, and checks that each was taken
/// in, moved and answered exactly once: a batch moved before it was durable would lose
/// its mails at `after_move`.
async fn crash_in_a_batch(point: &str) {
    let office = Office::new();
    for n in 0..3 {
        office.send_complaint(n).await;
    }
    let status = office.run_once(Some(point)).await;
    assert_eq!(
        status.signal(),
        Some(9),
        "{point}: klachtd was not killed at the crash point ({status:?})\n{}",
        office.log_text()
    );
    assert!(
        office.acks().await.is_empty(),
        "{point}: answered before the crash"
    );
    let status = office.run_once(None).await;
    assert!(
        status.success(),
        "{point}: the second run failed\n{}",
        office.log_text()
    );
    office.assert_exactly_once(3, 3).await;
    let notices = office
        .server
        .fetch_all(OWNER, "INBOX")
        .await
        .into_iter()
        .filter(|m| has_subject(m, "Nieuwe klacht"))
        .count();
    assert_eq!(notices, 3, "{point}: the owner's notices");
    // each acknowledgement's copy in Sent once, the last of the pass too
    let mut acks: Vec<String> = office.acks().await.iter().map(|m| message_id(m)).collect();
    let mut copies: Vec<String> = office
        .server
        .fetch_all(KLACHT, "Sent")
        .await
        .iter()
        .map(|m| message_id(m))
        .collect();
    acks.sort();
    copies.sort();
    assert_eq!(copies, acks, "{point}: the copies in Sent");
}

#[tokio::test]
async fn crash_in_a_batch_after_transaction() {
    crash_in_a_batch("after_transaction").await;
}

#[tokio::test]
async fn crash_in_a_batch_after_flush() {
    crash_in_a_batch("after_flush").await;
}

#[tokio::test]
async fn crash_in_a_batch_after_move() {
    crash_in_a_batch("after_move").await;
}

#[tokio::test]
async fn crash_before_commit() {
    assert_eq!(crash_and_recover("before_commit").await, 0);
}

#[tokio::test]
async fn crash_after_transaction() {
    assert_eq!(crash_and_recover("after_transaction").await, 0);
}

#[tokio::test]
async fn crash_after_flush() {
    assert_eq!(crash_and_recover("after_flush").await, 0);
}

#[tokio::test]
async fn crash_after_move() {
    assert_eq!(crash_and_recover("after_move").await, 0);
}

#[tokio::test]
async fn crash_after_send() {
    // at most one duplicate (the letter whose 250 was not recorded), same Message-ID
    assert!(crash_and_recover("after_send").await <= 1);
}

#[tokio::test]
async fn imap_server_restarted_during_idle() {
    let office = Office::new();
    let _daemon = office.start();
    office.send_complaint(1).await;
    office.wait_acks(1).await;
    office.wait_processed(1).await;
    // the daemon is in IDLE now; the server goes away and comes back
    office.server.stop_imap().await;
    // down long enough for several connection attempts (backoff from 1 s)
    tokio::time::sleep(Duration::from_secs(6)).await;
    office.server.start_imap().await;
    office.send_complaint(2).await;
    office
        .wait_logged("klachtd reconnected", "IMAP reconnected")
        .await;
    office.wait_acks(2).await;
    office.wait_processed(2).await;
    settle().await;
    office.assert_exactly_once(2, 2).await;
    // each state change logged once, not once per retry: at most once for each of the
    // daemon's two IMAP connections (intake in IDLE, and the one that keeps Sent copies)
    let log = office.log_text();
    assert!(log.contains("IMAP reconnected"), "{log}");
    for line in [
        "IMAP connection lost",
        "IMAP cannot connect",
        "IMAP reconnected",
    ] {
        let n = log.matches(line).count();
        assert!(n <= 2, "{line:?} logged {n} times:\n{log}");
    }
}

#[tokio::test]
async fn smtp_server_down_for_a_while() {
    let office = Office::new();
    let _daemon = office.start();
    office.server.stop_smtp().await;
    // with the SMTP front down, the complaint reaches the INBOX another way
    let (_, raw) = complaint(1);
    office.server.append(KLACHT, "INBOX", &raw).await;
    // taken in while sending fails
    office.wait_processed(1).await;
    eventually("the case", PATIENCE, || async {
        (office.cases().await.len() == 1).then_some(())
    })
    .await;
    office
        .wait_logged(
            "a failed send in the log",
            "sending fails; letters wait and are retried",
        )
        .await;
    assert!(office.acks().await.is_empty());
    office.server.start_smtp().await;
    // the retry backoff starts at a few seconds: allow for a couple of rounds
    eventually(
        "the acknowledgement after SMTP is back",
        Duration::from_secs(120),
        || async { (!office.acks().await.is_empty()).then_some(()) },
    )
    .await;
    settle().await;
    office.assert_exactly_once(1, 1).await;
    // the outage is logged once when it starts and once when it ends, not per retry
    let log = office.log_text();
    assert_eq!(
        log.matches("sending fails; letters wait").count(),
        1,
        "{log}"
    );
    assert_eq!(log.matches("sending works again").count(), 1, "{log}");
}

#[tokio::test]
async fn uidvalidity_change_answers_nothing_twice() {
    let office = Office::new();
    let _daemon = office.start();
    let (_, first) = office.send_complaint(1).await;
    office.send_complaint(2).await;
    office.wait_acks(2).await;
    office.wait_processed(2).await;
    // the server renumbers the INBOX (a migration) and a processed mail comes back
    office.server.bump_uidvalidity(KLACHT, "INBOX");
    office.server.append(KLACHT, "INBOX", &first).await;
    office
        .wait_owner_letter("the owner's notice of the renumbering", "opnieuw genummerd")
        .await;
    office.wait_processed(3).await;
    settle().await;
    office.assert_exactly_once(2, 3).await;
}

#[tokio::test]
async fn mail_read_by_another_client_is_still_taken_in() {
    let office = Office::new();
    office.send_complaint(1).await;
    office.server.mark_seen_all(KLACHT, "INBOX").await;
    let flags = office.server.fetch_with_flags(KLACHT, "INBOX").await;
    assert!(flags[0].1.iter().any(|f| f.contains("Seen")), "{flags:?}");
    let _daemon = office.start();
    office.wait_acks(1).await;
    office.wait_processed(1).await;
    settle().await;
    office.assert_exactly_once(1, 1).await;
}

/// Appends many mails to a folder over one IMAP session.
async fn append_many(server: &MailServer, user: &str, folder: &str, mails: &[Vec<u8>]) {
    let mut s = server.imap(user).await;
    for raw in mails {
        s.append(folder, None, None, raw).await.expect("APPEND");
    }
    s.logout().await.ok();
}

#[tokio::test]
async fn two_hundred_mails_at_once() {
    const N: usize = 200;
    let started = Instant::now();
    let office = Office::new();
    let _daemon = office.start();
    office
        .wait_logged("klachtd connected", "IMAP connected")
        .await;
    let mails: Vec<Vec<u8>> = (0..N).map(|n| complaint(n).1).collect();
    append_many(&office.server, KLACHT, "INBOX", &mails).await;
    let bound = Duration::from_secs(120);
    eventually(&format!("{N} acknowledgements"), bound, || async {
        (office.server.count(ALICE, "INBOX").await >= N).then_some(())
    })
    .await;
    office.wait_processed(N).await;
    settle().await;
    office.assert_exactly_once(N, N).await;
    let took = started.elapsed();
    eprintln!("{N} mails at once: all answered in {took:?}");
    assert!(took < Duration::from_secs(180), "took {took:?}");
}

mod archive;
mod at_rest;
mod loops;
mod rebuild;
mod service;
