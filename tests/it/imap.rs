//! ImapMailbox and SmtpSender against a real Dovecot and SMTP front (see mailserver.rs).

use std::path::Path;
use std::time::{Duration, Instant};

use klachtd::config::Config;
use klachtd::domain::Outgoing;
use klachtd::mailbox::imap::{ImapMailbox, SyncState};
use klachtd::mailbox::{Folder, MailId, Mailbox};
use klachtd::outbox::smtp::SmtpSender;
use klachtd::outbox::{SendError, Sender};
use tokio_util::sync::CancellationToken;

use crate::mailserver::{ALICE, BOB, KLACHT, MailServer, mail};
use crate::support::TestConfig;

/// A config for klacht@example.test on the test server; `mailbox` and `smtp` are extra
/// lines for those tables (tls, port, secrets...).
fn config(server: &MailServer, mailbox: &str, smtp: &str) -> Config {
    server
        .klachtd_config(mailbox, smtp)
        .parse(&server.dir.join("klachtd.toml"))
}

/// The usual mailbox: IMAPS with the test CA, password from a file.
fn imaps(server: &MailServer) -> String {
    server.imaps_login(&server.dir)
}

fn plain(server: &MailServer) -> String {
    format!(
        "tls = \"none\"\nport = {}\npassword_command = \"printf klacht-pw\"",
        server.imap_port
    )
}

/// klacht@'s mailbox with these `[mailbox]` lines (see [`config`]).
fn mailbox_with(server: &MailServer, lines: &str, state: Option<SyncState>) -> ImapMailbox {
    ImapMailbox::new(&config(server, lines, ""), state).expect("ImapMailbox::new")
}

/// klacht@'s mailbox over IMAPS.
fn mailbox(server: &MailServer, state: Option<SyncState>) -> ImapMailbox {
    mailbox_with(server, &imaps(server), state)
}

/// A new mail server, and klacht@'s mailbox on it over IMAPS.
fn server_and_mailbox() -> (MailServer, ImapMailbox) {
    let server = MailServer::start();
    let mailbox = mailbox(&server, None);
    (server, mailbox)
}

/// The subjects of what is new in the mailbox, oldest first.
async fn new_subjects(mb: &mut ImapMailbox) -> Vec<String> {
    subjects(&mb.fetch_new().await.unwrap())
}

fn subjects(mails: &[klachtd::mailbox::IncomingMail]) -> Vec<String> {
    mails
        .iter()
        .map(|m| {
            let text = String::from_utf8_lossy(&m.raw);
            text.lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

fn uid(id: &MailId) -> u32 {
    match id {
        MailId::Uid { uid, .. } => *uid,
        other => panic!("not a UID: {other:?}"),
    }
}

#[tokio::test]
async fn logs_in_over_imaps_starttls_and_plaintext() {
    let server = MailServer::start();
    let ca = format!("ca_file = {:?}", server.ca_cert);
    for (name, extra) in [
        ("imaps", imaps(&server)),
        (
            "starttls",
            format!(
                "tls = \"starttls\"\nport = {}\n{ca}\npassword = \"klacht-pw\"",
                server.imap_port
            ),
        ),
        ("plaintext", plain(&server)),
    ] {
        let mut mb = mailbox_with(&server, &extra, None);
        mb.connect().await.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(mb.is_connected(), "{name}");
        assert!(mb.fetch_new().await.unwrap().is_empty(), "{name}");
        mb.logout().await;
    }
}

#[tokio::test]
async fn a_wrong_password_or_an_untrusted_certificate_fails() {
    let server = MailServer::start();
    let wrong = format!(
        "tls = \"none\"\nport = {}\npassword = \"fout\"",
        server.imap_port
    );
    let mut mb = mailbox_with(&server, &wrong, None);
    let e = mb.connect().await.unwrap_err().to_string();
    assert!(e.contains("login failed"), "{e}");
    assert!(!mb.is_connected());
    // fetch_new fails too (backoff: without a new connection attempt)
    assert!(mb.fetch_new().await.is_err());

    let no_ca = format!(
        "tls = \"implicit\"\nport = {}\npassword = \"klacht-pw\"",
        server.imaps_port
    );
    let mut mb = mailbox_with(&server, &no_ca, None);
    let e = mb.connect().await.unwrap_err().to_string();
    assert!(e.contains("invalid peer certificate"), "{e}");

    let no_ca_starttls = format!(
        "tls = \"starttls\"\nport = {}\npassword = \"klacht-pw\"",
        server.imap_port
    );
    let mut mb = mailbox_with(&server, &no_ca_starttls, None);
    let e = mb.connect().await.unwrap_err().to_string();
    assert!(e.contains("certificate"), "{e}");
}

#[tokio::test]
async fn fetches_new_mail_oldest_first_without_setting_seen_and_moves_it() {
    let (server, mut mb) = server_and_mailbox();
    assert!(mb.fetch_new().await.unwrap().is_empty());

    server.deliver("eerste").await;
    server.deliver("tweede").await;
    server.deliver("derde").await;
    // another client reads the second mail before we fetch: still new to us
    server.mark_seen_all(KLACHT, "INBOX").await;
    server.deliver("vierde").await;

    let before = klachtd::clock::Clock::system().now();
    let mails = mb.fetch_new().await.unwrap();
    assert_eq!(subjects(&mails), ["eerste", "tweede", "derde", "vierde"]);
    let uids: Vec<u32> = mails.iter().map(|m| uid(&m.id)).collect();
    assert!(uids.windows(2).all(|w| w[0] < w[1]), "{uids:?}");
    for m in &mails {
        // INTERNALDATE: the delivery, seconds ago (not the Date header of 2026-11-24 10:00)
        let age = before - m.arrived;
        assert!(age.num_seconds().abs() < 120, "arrived {}", m.arrived);
    }
    // fetching did not set \Seen: the fourth is still unread
    let flags = server.fetch_with_flags(KLACHT, "INBOX").await;
    assert!(!flags[3].1.iter().any(|f| f.contains("Seen")), "{flags:?}");

    // nothing new on a second fetch
    assert!(mb.fetch_new().await.unwrap().is_empty());

    mb.dispose(&mails[0].id, Folder::Processed).await.unwrap();
    mb.dispose(&mails[1].id, Folder::SetAside).await.unwrap();
    mb.dispose(&mails[2].id, Folder::Processed).await.unwrap();
    assert_eq!(server.count(KLACHT, "INBOX").await, 1);
    let processed = server.fetch_all(KLACHT, "Verwerkt").await;
    assert_eq!(processed.len(), 2);
    assert!(String::from_utf8_lossy(&processed[0]).contains("Klacht: eerste"));
    assert!(String::from_utf8_lossy(&processed[1]).contains("Klacht: derde"));
    let aside = server.fetch_all(KLACHT, "Apart gezet").await;
    assert_eq!(aside.len(), 1);
    assert!(String::from_utf8_lossy(&aside[0]).contains("Klacht: tweede"));

    // moving again (a crash after the move, before it was recorded) is not an error
    mb.dispose(&mails[0].id, Folder::Processed).await.unwrap();
    assert_eq!(server.count(KLACHT, "Verwerkt").await, 2);

    // without MOVE: UID COPY + \Deleted + UID EXPUNGE of that one mail only
    mb.set_force_copy(true);
    mb.dispose(&mails[3].id, Folder::Processed).await.unwrap();
    assert_eq!(server.count(KLACHT, "INBOX").await, 0);
    assert_eq!(server.count(KLACHT, "Verwerkt").await, 3);

    assert!(mb.fetch_new().await.unwrap().is_empty());
    server.deliver("vijfde").await;
    assert_eq!(new_subjects(&mut mb).await, ["vijfde"]);
}

/// The subjects of the mails in `folder` of klacht@, in UID order.
async fn folder_subjects(server: &MailServer, folder: &str) -> Vec<String> {
    server
        .fetch_all(KLACHT, folder)
        .await
        .iter()
        .map(|raw| {
            let text = String::from_utf8_lossy(raw);
            text.lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_batch_is_moved_each_mail_to_its_folder() {
    let (server, mut mb) = server_and_mailbox();
    for subject in ["een", "twee", "drie", "vier", "vijf", "zes", "zeven"] {
        server.deliver(subject).await;
    }
    let mails = mb.fetch_new().await.unwrap();
    assert_eq!(mails.len(), 7);
    let to = |i: usize, folder| (mails[i].id.clone(), folder);
    // "drie" was moved already (a crash after the move, before it was recorded)
    mb.dispose(&mails[2].id, Folder::Processed).await.unwrap();
    mb.dispose_all(&[
        to(0, Folder::Processed),
        to(1, Folder::SetAside),
        to(2, Folder::Processed),
        to(3, Folder::Processed),
        to(5, Folder::SetAside),
    ])
    .await
    .unwrap();
    assert_eq!(folder_subjects(&server, "INBOX").await, ["vijf", "zeven"]);
    assert_eq!(
        folder_subjects(&server, "Verwerkt").await,
        ["drie", "een", "vier"]
    );
    assert_eq!(
        folder_subjects(&server, "Apart gezet").await,
        ["twee", "zes"]
    );
    // an empty batch asks nothing of the server (not even a connection)
    let mut idle = mailbox(&server, None);
    idle.dispose_all(&[]).await.unwrap();
    assert!(!idle.is_connected());

    // without MOVE: UID COPY + \Deleted + UID EXPUNGE of the batch's mails only
    mb.set_force_copy(true);
    mb.dispose_all(&[to(4, Folder::Processed), to(1, Folder::Processed)])
        .await
        .unwrap();
    assert_eq!(folder_subjects(&server, "INBOX").await, ["zeven"]);
    assert_eq!(
        folder_subjects(&server, "Verwerkt").await,
        ["drie", "een", "vier", "vijf"]
    );
    assert_eq!(
        folder_subjects(&server, "Apart gezet").await,
        ["twee", "zes"]
    );

    // a batch with an id that is no IMAP UID is refused whole: nothing moves
    let refused = mb
        .dispose_all(&[
            to(6, Folder::Processed),
            (MailId::File("1.eml".into()), Folder::Processed),
        ])
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("not an IMAP mail id"),
        "{refused}"
    );
    assert_eq!(folder_subjects(&server, "INBOX").await, ["zeven"]);
    assert!(mb.is_connected(), "a refusal leaves the session usable");
}

#[tokio::test]
async fn a_batch_of_an_earlier_uidvalidity_is_left_alone() {
    let (server, mut mb) = server_and_mailbox();
    server.deliver("een").await;
    server.deliver("twee").await;
    let first = mb.fetch_new().await.unwrap();
    server.bump_uidvalidity(KLACHT, "INBOX");
    let again = mb.fetch_new().await.unwrap();
    assert_eq!(again.len(), 2, "fetched again under the new UIDVALIDITY");
    // old ids and one new one in one batch: only the new one moves
    mb.dispose_all(&[
        (first[0].id.clone(), Folder::Processed),
        (first[1].id.clone(), Folder::SetAside),
        (again[1].id.clone(), Folder::Processed),
    ])
    .await
    .unwrap();
    assert_eq!(folder_subjects(&server, "INBOX").await, ["een"]);
    assert_eq!(folder_subjects(&server, "Verwerkt").await, ["twee"]);
    assert_eq!(server.count(KLACHT, "Apart gezet").await, 0);
}

#[tokio::test]
async fn resumes_from_the_persisted_sync_state() {
    let (server, mut mb) = server_and_mailbox();
    server.deliver("oud 1").await;
    server.deliver("oud 2").await;
    assert_eq!(mb.fetch_new().await.unwrap().len(), 2);
    let state = mb.sync_state();
    assert_eq!(state.folder, "INBOX");
    assert_eq!(state.last_uid, 2);
    assert_eq!(state.uid_validity, server.uidvalidity(KLACHT, "INBOX"));
    // what the daemon stores, and reads back at the next start
    let stored = serde_json::to_vec(&state).unwrap();
    mb.logout().await;
    drop(mb);

    server.deliver("nieuw").await;
    let state: SyncState = serde_json::from_slice(&stored).unwrap();
    let mut mb = mailbox(&server, Some(state));
    assert_eq!(new_subjects(&mut mb).await, ["nieuw"]);
    assert_eq!(mb.take_uidvalidity_change(), None);

    // a fresh start (no state) takes in everything still in the folder
    let mut fresh = mailbox(&server, None);
    assert_eq!(fresh.fetch_new().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_uidvalidity_change_is_detected_and_everything_fetched_again() {
    let (server, mut mb) = server_and_mailbox();
    server.deliver("een").await;
    server.deliver("twee").await;
    let first = mb.fetch_new().await.unwrap();
    assert_eq!(first.len(), 2);
    mb.dispose(&first[0].id, Folder::Processed).await.unwrap();
    let old = mb.sync_state().uid_validity;
    mb.logout().await;

    let new = server.bump_uidvalidity(KLACHT, "INBOX");
    let again = mb.fetch_new().await.unwrap();
    assert_eq!(mb.take_uidvalidity_change(), Some((old, new)));
    assert_eq!(mb.take_uidvalidity_change(), None, "reported once");
    // the mail still in INBOX comes again, under the new UIDVALIDITY
    assert_eq!(subjects(&again), ["twee"]);
    assert!(matches!(again[0].id, MailId::Uid { uid_validity, .. } if uid_validity == new));
    assert_eq!(mb.sync_state().uid_validity, new);

    // an id of the old UIDVALIDITY is not acted on (its UID means nothing now)
    mb.dispose(&first[1].id, Folder::Processed).await.unwrap();
    assert_eq!(server.count(KLACHT, "INBOX").await, 1);
    mb.dispose(&again[0].id, Folder::Processed).await.unwrap();
    assert_eq!(server.count(KLACHT, "INBOX").await, 0);
    assert_eq!(server.count(KLACHT, "Verwerkt").await, 2);

    // a mailbox resuming from a state of the old UIDVALIDITY notices as well
    let stale = SyncState {
        folder: "INBOX".into(),
        uid_validity: old,
        last_uid: 2,
    };
    let mut resumed = mailbox(&server, Some(stale));
    server.deliver("drie").await;
    assert_eq!(new_subjects(&mut resumed).await, ["drie"]);
    assert_eq!(resumed.take_uidvalidity_change(), Some((old, new)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_wakes_up_on_delivery_and_on_cancel() {
    let (server, mut mb) = server_and_mailbox();
    assert!(mb.fetch_new().await.unwrap().is_empty());
    let cancel = CancellationToken::new();

    // a delivery while waiting
    let wait = async {
        let r = mb.wait(&cancel).await;
        (r, Instant::now())
    };
    let send = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let start = Instant::now();
        server.deliver("tijdens idle").await;
        (start, Instant::now())
    };
    let ((r, woke), (send_start, send_done)) =
        tokio::time::timeout(Duration::from_secs(20), async { tokio::join!(wait, send) })
            .await
            .expect("wait() did not return after a delivery");
    r.unwrap();
    let latency = woke.duration_since(send_start);
    eprintln!(
        "IDLE wake-up: {latency:?} after the start of the SMTP send; the SMTP send (to 250) took {:?}",
        send_done.duration_since(send_start)
    );
    assert!(latency < Duration::from_secs(5), "{latency:?}");
    assert_eq!(new_subjects(&mut mb).await, ["tijdens idle"]);

    // mail that came between fetch and wait: wait returns at once
    server.deliver("tussendoor").await;
    tokio::time::timeout(Duration::from_secs(5), mb.wait(&cancel))
        .await
        .expect("wait() with mail already there")
        .unwrap();
    assert_eq!(new_subjects(&mut mb).await, ["tussendoor"]);

    // another client reading mail does not end the wait; the renewal time does
    mb.set_idle_renewal(Duration::from_secs(2));
    let started = Instant::now();
    let wait = mb.wait(&cancel);
    let touch = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        server.mark_seen_all(KLACHT, "INBOX").await;
    };
    let (r, ()) = tokio::join!(wait, touch);
    r.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1900) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
    assert!(mb.is_connected(), "IDLE renewal keeps the session");

    // cancellation
    mb.set_idle_renewal(Duration::from_secs(600));
    let started = Instant::now();
    let canceller = cancel.clone();
    let wait = mb.wait(&cancel);
    let cancel_soon = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        canceller.cancel();
    };
    let (r, ()) = tokio::time::timeout(Duration::from_secs(10), async {
        tokio::join!(wait, cancel_soon)
    })
    .await
    .expect("wait() did not return on cancel");
    r.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // a cancelled token: wait returns at once
    tokio::time::timeout(Duration::from_millis(500), mb.wait(&cancel))
        .await
        .expect("wait() on a cancelled token")
        .unwrap();
    assert!(mb.is_connected());
    assert!(mb.fetch_new().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_a_server_restart_during_idle() {
    let (server, mut mb) = server_and_mailbox();
    server.deliver("voor").await;
    assert_eq!(mb.fetch_new().await.unwrap().len(), 1);
    let cancel = CancellationToken::new();

    let wait = mb.wait(&cancel);
    let restart = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        server.stop_imap().await;
    };
    let (r, ()) = tokio::time::timeout(Duration::from_secs(20), async {
        tokio::join!(wait, restart)
    })
    .await
    .expect("wait() did not return when the server went away");
    r.unwrap();
    assert!(!mb.is_connected());

    // while the server is down, fetch_new fails
    assert!(mb.fetch_new().await.is_err());

    server.start_imap().await;
    server.deliver("na herstart").await;

    // the daemon's loop: fetch, and on error wait (the backoff) and try again
    let started = Instant::now();
    let mails = loop {
        match mb.fetch_new().await {
            Ok(mails) if !mails.is_empty() => break mails,
            Ok(_) => {}
            Err(e) => eprintln!("fetch_new while reconnecting: {e}"),
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no reconnect");
        mb.wait(&cancel).await.unwrap();
    };
    assert_eq!(subjects(&mails), ["na herstart"]);
    assert!(mb.is_connected());

    // a restart between calls (not during IDLE) is invisible: the stale session is
    // replaced within the same call
    server.stop_imap().await;
    server.start_imap().await;
    server.deliver("nog een").await;
    assert_eq!(new_subjects(&mut mb).await, ["nog een"]);
}

#[tokio::test]
async fn keep_sent_appends_to_sent_as_seen() {
    let (server, mut mb) = server_and_mailbox();
    let letter = mail(
        KLACHT,
        ALICE,
        "Ontvangstbevestiging",
        "Wij hebben uw klacht ontvangen.",
    );
    mb.keep_sent(&letter).await.unwrap();
    mb.keep_sent(&letter).await.unwrap();
    let sent = server.fetch_with_flags(KLACHT, "Sent").await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].0, letter);
    assert!(
        sent[0].1.iter().any(|f| f.contains("Seen")),
        "{:?}",
        sent[0].1
    );
    // a copy in Sent is not new mail
    assert!(mb.fetch_new().await.unwrap().is_empty());

    // sent_folder = "" keeps nothing
    let extra = format!("{}\nsent_folder = \"\"", imaps(&server));
    let mut mb = mailbox_with(&server, &extra, None);
    mb.keep_sent(&letter).await.unwrap();
    assert_eq!(server.count(KLACHT, "Sent").await, 2);
}

fn outgoing(to: &str, subject: &str) -> Outgoing {
    Outgoing {
        message_id: format!("{subject}@klachtd.test"),
        kind: klachtd::domain::LetterKind::OwnerNotice,
        case: None,
        envelope_from: KLACHT.into(),
        recipients: vec![to.into()],
        to_complainant: true,
        raw: mail(KLACHT, to, subject, "Wij hebben uw klacht ontvangen."),
    }
}

#[tokio::test]
async fn smtp_sender_delivers_and_classifies_failures() {
    let server = MailServer::start();
    let config = config(&server, &plain(&server), "tls = \"none\"");
    let mut sender = SmtpSender::new(&config).expect("SmtpSender::new");

    let mail = outgoing(ALICE, "Ontvangstbevestiging");
    sender.send(&mail).await.expect("send");
    let inbox = server.fetch_all(ALICE, "INBOX").await;
    assert_eq!(inbox.len(), 1);
    // as sent, after the trace headers the server adds
    assert!(
        inbox[0].ends_with(&mail.raw),
        "{}",
        String::from_utf8_lossy(&inbox[0])
    );

    // two recipients
    let mut both = outgoing(ALICE, "Aan twee");
    both.recipients.push(BOB.into());
    sender.send(&both).await.expect("send to two");
    assert_eq!(server.count(ALICE, "INBOX").await, 2);
    assert_eq!(server.count(BOB, "INBOX").await, 1);

    // an unknown recipient: 550, for good; the error text names no address
    match sender
        .send(&outgoing("niemand@example.test", "Onbekend"))
        .await
    {
        Err(SendError::Permanent(text)) => {
            assert!(text.contains("550"), "{text}");
            assert!(!text.contains("niemand@"), "{text}");
        }
        other => panic!("want Permanent, got {other:?}"),
    }

    // no server: try again later
    server.stop_smtp().await;
    match sender.send(&outgoing(ALICE, "Geen server")).await {
        Err(SendError::Transient(_)) => {}
        other => panic!("want Transient, got {other:?}"),
    }
    server.start_smtp().await;
    sender
        .send(&outgoing(ALICE, "Weer terug"))
        .await
        .expect("send after restart");
    assert_eq!(server.count(ALICE, "INBOX").await, 3);

    // the IMAP server down (LMTP unavailable): the front answers 451, try again later
    server.stop_imap().await;
    match sender.send(&outgoing(ALICE, "Geen opslag")).await {
        Err(SendError::Transient(text)) => assert!(text.contains("451"), "{text}"),
        other => panic!("want Transient, got {other:?}"),
    }
}

#[test]
fn configs_name_their_file() {
    // the harness-independent part: a config with a relative ca_file resolves it
    let c = TestConfig::default()
        .mailbox("kind = \"imap\"\nhost = \"127.0.0.1\"\nuser = \"k\"\ntls = \"implicit\"\nca_file = \"ca.pem\"\npassword = \"x\"")
        .parse(Path::new("/nowhere/k.toml"));
    let e = ImapMailbox::new(&c, None).unwrap_err().to_string();
    assert!(e.contains("/nowhere/ca.pem"), "{e}");
}

#[tokio::test]
async fn polls_without_idle() {
    let server = MailServer::start();
    let extra = format!("{}\nidle = false\npoll_seconds = 1", imaps(&server));
    let mut mb = mailbox_with(&server, &extra, None);
    assert!(mb.fetch_new().await.unwrap().is_empty());
    let cancel = CancellationToken::new();
    let started = Instant::now();
    mb.wait(&cancel).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    server.deliver("gepeild").await;
    assert_eq!(new_subjects(&mut mb).await, ["gepeild"]);
    cancel.cancel();
    let started = Instant::now();
    mb.wait(&cancel).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(200));
}
