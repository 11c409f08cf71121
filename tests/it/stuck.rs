//! The outbox stuck for an hour (issue 8.4), against the real SMTP front stopped and
//! started again: the owner is told once, her notice waits with the letters and leaves
//! when the server is back, followed by one that says the outbox is clear.

use klachtd::clock::Clock;
use klachtd::daemon::send_pass;
use klachtd::mailbox::AnyMailbox;
use klachtd::outbox::AnySender;
use klachtd::outbox::retry::SendPolicy;
use klachtd::procedure::stuck::Alert;
use klachtd::registry::{Parts, Registry};

use crate::mailserver::{ALICE, MailServer, OWNER};
use crate::support::*;

const STUCK: &str = "Let op: de uitgaande post staat vast";
const CLEARED: &str = "Let op: de uitgaande post is weer vrij";

#[tokio::test]
async fn the_owner_hears_once_that_the_outbox_is_stuck_and_once_that_it_cleared() {
    let server = MailServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("klachtd.toml");
    let config = server
        .klachtd_config("", "tls = \"none\"")
        .mailbox("kind = \"maildir\"\npath = \"Maildir\"")
        .store(&dir.path().join("store"));
    config.write(&file);
    let config = config.parse(&file);
    let clock = Clock::fixed(at("2026-11-16T09:00:00Z"));
    let parts = Parts::open(&config).unwrap();
    let registry = Registry::new(
        &parts,
        config.intake_context(),
        &config.store.path,
        clock.clone(),
    );
    let mut sender = AnySender::open(&config).unwrap();
    let policy = SendPolicy::new(config.smtp.max_attempts);

    // A complaint: its acknowledgement and the owner's notice wait in the outbox.
    let complaint = mail(
        &format!("Alice <{ALICE}>"),
        "Klacht training",
        "Mon, 16 Nov 2026 09:12:44 +0100",
        "c1@example.test",
        COMPLETE,
    );
    registry.register(&complaint, clock.now()).unwrap();
    server.stop_smtp().await;

    // Ten minutes at a time for two hours: one alert, after the first hour.
    let mut told = Vec::new();
    for step in 1..=12 {
        clock.advance(chrono::Duration::minutes(10));
        send_pass(&mut sender, None::<&mut AnyMailbox>, &registry, &policy)
            .await
            .unwrap();
        if let Some(alert) = registry.watch_outbox().unwrap() {
            told.push((step, alert));
        }
    }
    assert_eq!(
        told,
        [(6, Alert::Stuck)],
        "once, an hour after the first failure"
    );
    // her notice waits with the others; it names no address
    let waiting = parts.store.outbox().unwrap();
    let notice = waiting
        .iter()
        .find(|q| String::from_utf8_lossy(&q.mail.raw).contains("uitgaande post staat vast"))
        .expect("the notice is queued");
    let text = String::from_utf8_lossy(&notice.mail.raw).replace("=\r\n", "");
    assert!(text.contains("geen verbinding met de mailserver"), "{text}");
    assert!(!text.contains(ALICE), "{text}");
    assert_eq!(server.count(OWNER, "INBOX").await, 0, "nothing left");

    // The server is back: everything leaves, then the outbox is clear, once.
    server.start_smtp().await;
    let mut cleared = Vec::new();
    for _ in 0..8 {
        clock.advance(chrono::Duration::minutes(30));
        send_pass(&mut sender, None::<&mut AnyMailbox>, &registry, &policy)
            .await
            .unwrap();
        cleared.extend(registry.watch_outbox().unwrap());
    }
    assert_eq!(cleared, [Alert::Cleared]);
    let owner: Vec<String> = server
        .fetch_all(OWNER, "INBOX")
        .await
        .iter()
        .map(|m| subject(&String::from_utf8_lossy(m)))
        .collect();
    let stuck_at = owner.iter().position(|s| s == STUCK);
    let cleared_at = owner.iter().position(|s| s == CLEARED);
    assert!(
        stuck_at.is_some() && cleared_at.is_some() && stuck_at < cleared_at,
        "{owner:?}"
    );
    assert_eq!(owner.iter().filter(|s| *s == STUCK).count(), 1, "{owner:?}");
    assert_eq!(
        owner.iter().filter(|s| *s == CLEARED).count(),
        1,
        "{owner:?}"
    );
    assert_eq!(
        server.count(ALICE, "INBOX").await,
        1,
        "the acknowledgement left too"
    );
}
