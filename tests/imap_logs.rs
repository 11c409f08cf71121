//! Its own test binary: the test captures the logs with a thread-local subscriber, and
//! tracing caches per call site whether anyone listens. Other tests hitting the same call
//! sites on other threads (in the one `it` binary) made it miss lines now and then.

#[allow(dead_code)] // the harness has more than this test uses
#[path = "it/mailserver.rs"]
mod mailserver;

use std::time::{Duration, Instant};

use klachtd::config::Config;
use klachtd::mailbox::imap::ImapMailbox;
use klachtd::mailbox::{Folder, Mailbox};
use mailserver::MailServer;
use tokio_util::sync::CancellationToken;

fn mailbox(server: &MailServer, dir: &std::path::Path) -> ImapMailbox {
    let file = server.write_klachtd_config(dir, "");
    let config = Config::load(&file).expect("test config");
    ImapMailbox::new(&config, None).expect("ImapMailbox::new")
}

/// A tracing writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

// current_thread: the subscriber set with set_default holds for this thread only
#[tokio::test(flavor = "current_thread")]
async fn logs_each_connection_change_once_and_no_mail_content() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MailServer::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut mb = mailbox(&server, dir.path());
    server.deliver("Geheime klacht over Jansen").await;
    let mails = mb.fetch_new().await.unwrap();
    mb.dispose(&mails[0].id, Folder::Processed).await.unwrap();
    mb.keep_sent(&mails[0].raw).await.unwrap();

    server.stop_imap().await;
    let cancel = CancellationToken::new();
    // the daemon's loop while the server is away: several failed attempts
    let started = Instant::now();
    let mut failures = 0;
    while started.elapsed() < Duration::from_secs(4) {
        if mb.fetch_new().await.is_err() {
            failures += 1;
        }
        mb.wait(&cancel).await.unwrap();
    }
    assert!(failures >= 3, "{failures}\n{}", logs.text());
    server.start_imap().await;
    let started = Instant::now();
    while mb.fetch_new().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "no reconnect");
        mb.wait(&cancel).await.unwrap();
    }

    let text = logs.text();
    eprintln!("{text}");
    let count = |needle: &str| text.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(count("IMAP connected"), 1, "{text}");
    assert_eq!(
        count("IMAP connection lost") + count("IMAP cannot connect"),
        1,
        "{text}"
    );
    assert_eq!(count("IMAP reconnected"), 1, "{text}");
    for secret in ["Jansen", "Geheime", "alice@", "klacht@", "klacht-pw"] {
        assert!(!text.contains(secret), "{secret:?} in the logs:\n{text}");
    }
}

// The debug line of each MOVE names how many mails it moved: a batch is one command per
// folder, not one per mail.
#[tokio::test(flavor = "current_thread")]
async fn a_batch_is_moved_with_one_command_per_folder() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MailServer::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut mb = mailbox(&server, dir.path());
    for n in 0..6 {
        server.deliver(&format!("klacht {n}")).await;
    }
    let mails = mb.fetch_new().await.unwrap();
    assert_eq!(mails.len(), 6);
    let batch: Vec<_> = mails
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let folder = if i == 4 {
                Folder::SetAside
            } else {
                Folder::Processed
            };
            (m.id.clone(), folder)
        })
        .collect();
    mb.dispose_all(&batch).await.unwrap();
    assert_eq!(server.count(mailserver::KLACHT, "INBOX").await, 0);

    let text = logs.text();
    let moves: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("IMAP moved mail"))
        .collect();
    assert_eq!(moves.len(), 2, "{text}");
    assert!(
        moves[0].contains("count=5") && moves[0].contains("Verwerkt"),
        "{text}"
    );
    assert!(
        moves[1].contains("count=1") && moves[1].contains("Apart gezet"),
        "{text}"
    );
}
