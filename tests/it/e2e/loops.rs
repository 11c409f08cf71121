//! Loops on the real servers: a real auto-responder gets no answer.

use super::*;

/// A ping-pong with a real auto-responder (Dovecot's Sieve vacation on alice's mailbox)
/// stops at once: the acknowledgement is marked Auto-Submitted, so the responder keeps
/// still; the owner's decision is a person's letter, so it answers that, and klachtd
/// keeps its answer on the case and answers nothing.
#[tokio::test]
async fn a_vacation_responder_gets_no_answer() {
    let office = Office::on(
        MailServer::start_with_env(&[("MAILFIX_VACATION_USER", ALICE)]),
        "",
    );
    let daemon = office.start();
    office
        .wait_logged("klachtd connected", "IMAP connected")
        .await;
    office.send_complaint(1).await;
    office.wait_acks(1).await;
    office.wait_processed(1).await;
    settle().await;
    assert_eq!(
        office.server.count(KLACHT, "Verwerkt").await,
        1,
        "the responder did not answer our acknowledgement"
    );
    let number = office.cases().await[0]["number"]
        .as_str()
        .expect("a case number")
        .to_string();
    let out = tokio::process::Command::new(BIN)
        .args(["case", &number, "decide", "--text"])
        .arg("Bevindingen: de training begon te laat.\nConclusies: terecht.\nReacties: geen.\nAfhandeling: een nieuwe datum.\n")
        .arg("--config")
        .arg(&office.config)
        .env("KLACHTD_LOG", "warn")
        .output()
        .await
        .expect("run klachtd case decide");
    assert_success(&out, "case decide");
    // The decision reaches alice; her responder answers it; klachtd takes that in.
    office.wait_processed(2).await;
    eventually("the auto-reply on the case", PATIENCE, || async {
        let cases = office.cases().await;
        let events = cases[0]["events"].as_array().cloned().unwrap_or_default();
        events
            .iter()
            .any(|e| e["kind"]["type"] == "auto_reply")
            .then_some(())
    })
    .await;
    settle().await;
    let cases = office.cases().await;
    let events = cases[0]["events"].as_array().cloned().unwrap_or_default();
    assert!(
        !events.iter().any(|e| e["kind"]["type"] == "undelivered"),
        "a vacation reply is not a bounce: {}",
        cases[0]
    );
    let to_alice = office.server.fetch_all(ALICE, "INBOX").await;
    assert_eq!(
        to_alice.len(),
        2,
        "the acknowledgement and the decision, nothing more"
    );
    assert_eq!(office.server.count(KLACHT, "Verwerkt").await, 2);
    assert_eq!(office.server.count(KLACHT, "INBOX").await, 0);
    daemon.stop().await;
}
