//! The owner's commands by mail end to end (issue 11): the real `klachtd run` against
//! the real Dovecot and SMTP front. Her replies are put in klacht@'s INBOX as the
//! receiving MTA delivers them, its Authentication-Results at the top.
//!
//! A genuine `notitie`, then `besluit` by replying to the confirmation: the decision in
//! alice's mailbox, the case decided. Every forgery refused: no letter to alice, one
//! refusal notice each (the daily limit of 5 notices is why the refusals are split over
//! two servers).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use klachtd::procedure::owner::token::{self, Scope, TokenKey};
use serde_json::Value;

use crate::mailserver::{ALICE, KLACHT, MailServer, OWNER};
use crate::owner::{AUTHSERV, KEY_HEX, key_dir, owner_commands_toml, quoting, reply};
use crate::support::{COMPLETE, header, mail_to};

const BIN: &str = env!("CARGO_BIN_EXE_klachtd");
const PATIENCE: Duration = Duration::from_secs(60);

/// What our receiving server writes for a mail of the owner's domain it authenticated.
fn genuine() -> String {
    format!(
        "Authentication-Results: {AUTHSERV} 1;\r\n\tdkim=pass header.d=example.test header.s=s1;\r\n\tdmarc=pass (p=reject) header.from=example.test\r\n"
    )
}

struct Desk {
    server: MailServer,
    dir: tempfile::TempDir,
    _key: tempfile::TempDir,
    config: PathBuf,
    daemon: std::process::Child,
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// [`crate::e2e::eventually`] with this file's patience.
async fn eventually<T, F, Fut>(what: &str, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    crate::e2e::eventually(what, PATIENCE, check).await
}

fn subject_of(raw: &[u8]) -> String {
    header(&String::from_utf8_lossy(raw), "Subject").unwrap_or_default()
}

fn id_of(raw: &[u8]) -> String {
    header(&String::from_utf8_lossy(raw), "Message-ID")
        .unwrap_or_default()
        .trim_matches(['<', '>'])
        .to_string()
}

/// A subject without klachtd's code in it (a mail that must not carry a genuine one).
fn without_code(subject: &str) -> String {
    let mut s = subject.to_string();
    for code in token::find(subject) {
        s = s.replace(&format!(" [{code}]"), "");
    }
    s
}

fn body_of(raw: &[u8]) -> String {
    mail_parser::MessageParser::default()
        .parse(raw)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

fn token_of(raw: &[u8]) -> String {
    token::find(&body_of(raw))
        .first()
        .expect("a token in the mail")
        .to_string()
}

impl Desk {
    /// A server, klachtd running on it with commands by mail on, and one complaint of
    /// alice's: the owner's notice of it.
    async fn start() -> (Desk, Vec<u8>) {
        let server = MailServer::start();
        let dir = tempfile::tempdir().unwrap();
        let (key, key_file) = key_dir();
        let config = server.write_klachtd_config(dir.path(), "");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(&format!("\n{}", owner_commands_toml(&key_file)));
        std::fs::write(&config, text).unwrap();
        let log = std::fs::File::create(dir.path().join("klachtd.log")).unwrap();
        let daemon = std::process::Command::new(BIN)
            .args(["run", "--config"])
            .arg(&config)
            .env("KLACHTD_LOG", "info")
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn klachtd");
        let desk = Desk {
            server,
            dir,
            _key: key,
            config,
            daemon,
        };
        let raw = mail_to(
            &format!("Alice <{ALICE}>"),
            &format!("Klachten <{KLACHT}>"),
            "Klacht over de training",
            &klachtd::clock::Clock::system().now().to_rfc2822(),
            &format!("klacht-{:016x}@example.test", fastrand::u64(..)),
            COMPLETE,
        );
        desk.server.send(ALICE, KLACHT, &raw).await.expect("SMTP");
        let notice = desk.owner_mail("Nieuwe klacht", 1).await.remove(0);
        // The complainant's acknowledgement arrived too.
        eventually("the acknowledgement", || async {
            (desk.alice().await.len() == 1).then_some(())
        })
        .await;
        (desk, notice)
    }

    async fn alice(&self) -> Vec<Vec<u8>> {
        self.server.fetch_all(ALICE, "INBOX").await
    }

    /// Waits until the owner has `n` mails with `part` in the subject; those.
    async fn owner_mail(&self, part: &str, n: usize) -> Vec<Vec<u8>> {
        eventually(&format!("{n} owner mail(s) `{part}`"), || async {
            let mails: Vec<Vec<u8>> = self
                .server
                .fetch_all(OWNER, "INBOX")
                .await
                .into_iter()
                .filter(|m| subject_of(m).contains(part))
                .collect();
            (mails.len() >= n).then_some(mails)
        })
        .await
    }

    /// Her mail, delivered as the MTA delivers it.
    async fn deliver(&self, raw: &[u8]) {
        self.server.append(KLACHT, "INBOX", raw).await;
    }

    async fn case(&self) -> Value {
        let out = tokio::process::Command::new(BIN)
            .args(["cases", "list", "--json", "--config"])
            .arg(&self.config)
            .env("KLACHTD_LOG", "warn")
            .output()
            .await
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v[0].clone()
    }

    /// The refusal notices the owner got.
    async fn refusals(&self) -> usize {
        self.server
            .fetch_all(OWNER, "INBOX")
            .await
            .into_iter()
            .filter(|m| subject_of(m).contains("NIET uitgevoerd"))
            .count()
    }

    /// Each mail refused: one more refusal notice each, nothing more to alice, the case
    /// as it was.
    async fn refused(&self, mails: Vec<(&str, Vec<u8>)>) {
        let alice = self.alice().await.len();
        let case = self.case().await;
        let before = self.owner_mail("", 0).await.len();
        let start = self.refusals().await;
        for (i, (what, raw)) in mails.into_iter().enumerate() {
            self.deliver(&raw).await;
            eventually(&format!("the refusal notice of: {what}"), || async {
                (self.refusals().await == start + i + 1).then_some(())
            })
            .await;
        }
        // Nothing else came: no letter to alice, no other mail to the owner.
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(self.alice().await.len(), alice);
        assert_eq!(
            self.owner_mail("", 0).await.len(),
            before + self.refusals().await - start
        );
        let now = self.case().await;
        assert_eq!(now["state"], case["state"]);
        let _ = &self.dir;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_note_then_a_decision_by_reply_and_the_token_refused_when_replayed_altered_expired_or_missing()
 {
    let (desk, notice) = Desk::start().await;
    let number = desk.case().await["number"].as_str().unwrap().to_string();
    let code = token_of(&notice);
    let note = reply(
        &genuine(),
        OWNER,
        &format!("Re: {}", subject_of(&notice)),
        "notitie-1@example.test",
        &id_of(&notice),
        &quoting("notitie\nKlager gebeld; gesprek volgt.", &body_of(&notice)),
    );
    desk.deliver(&note).await;
    let confirmation = desk.owner_mail("Gedaan: notitie", 1).await.remove(0);
    assert_eq!(
        header(&String::from_utf8_lossy(&confirmation), "In-Reply-To").as_deref(),
        Some("<notitie-1@example.test>")
    );
    let decision = reply(
        &genuine(),
        OWNER,
        &format!("Re: {}", subject_of(&confirmation)),
        "besluit-1@example.test",
        &id_of(&confirmation),
        &quoting(
            "besluit\nBevindingen: de trainer was te laat.\nConclusies: gegrond.\nReacties: de trainer erkent het.\nAfhandeling: een gratis herhaling.",
            &body_of(&confirmation),
        ),
    );
    desk.deliver(&decision).await;
    let letter = eventually("the decision in alice's mailbox", || async {
        desk.alice()
            .await
            .into_iter()
            .find(|m| subject_of(m).contains("Beslissing"))
    })
    .await;
    assert!(body_of(&letter).contains("gratis herhaling"));
    desk.owner_mail("Gedaan: besluit", 1).await;
    eventually("the case decided", || async {
        (desk.case().await["state"] == "decided").then_some(())
    })
    .await;

    // The notice's token again, in a mail of its own: used.
    let key = TokenKey::from_hex(KEY_HEX).unwrap();
    let now = klachtd::clock::Clock::system().now();
    let n: klachtd::domain::CaseNumber = number.parse().unwrap();
    let expired = token::issue(
        &key,
        Scope::Case(n),
        now - chrono::Duration::days(40),
        30,
        3,
    );
    let mut altered = token_of(&confirmation);
    let last = altered.pop().unwrap();
    altered.push(if last == '0' { '1' } else { '0' });
    let with = |id: &str, code: &str| {
        reply(
            &genuine(),
            OWNER,
            &format!("Re: {}", without_code(&subject_of(&notice))),
            id,
            &id_of(&notice),
            &format!("afronden\nAfgehandeld.\n\n> Code: {code}\n"),
        )
    };
    desk.refused(vec![
        ("a replayed token", with("r1@example.test", &code)),
        ("an altered token", with("r2@example.test", &altered)),
        ("an expired token", with("r3@example.test", &expired)),
        (
            "no token",
            reply(
                &genuine(),
                OWNER,
                &format!("Re: {}", without_code(&subject_of(&notice))),
                "r4@example.test",
                &id_of(&notice),
                "afronden\nAfgehandeld.",
            ),
        ),
    ])
    .await;
    assert_eq!(desk.case().await["state"], "decided");
}

#[tokio::test(flavor = "current_thread")]
async fn forged_authentication_is_refused() {
    let (desk, notice) = Desk::start().await;
    let code = token_of(&notice);
    let subject = format!("Re: {}", subject_of(&notice));
    let note = |headers: &str, id: &str| {
        reply(
            headers,
            OWNER,
            &subject,
            id,
            &id_of(&notice),
            &format!("notitie\nVervalst.\n\n> Code: {code}\n"),
        )
    };
    let below = format!(
        "Authentication-Results: {AUTHSERV}; dmarc=fail header.from=example.test\r\n{}",
        genuine()
    );
    desk.refused(vec![
        (
            "a forged From without Authentication-Results",
            note("", "a1@x.test"),
        ),
        (
            "a foreign authserv-id",
            note(
                "Authentication-Results: mx.evil.test; dmarc=pass header.from=example.test\r\n",
                "a2@x.test",
            ),
        ),
        ("ours below a topmost dmarc=fail", note(&below, "a3@x.test")),
        (
            "dkim=pass for a foreign domain",
            note(
                &format!("Authentication-Results: {AUTHSERV}; dkim=pass header.d=evil.test\r\n"),
                "a4@x.test",
            ),
        ),
    ])
    .await;
    // The token was not used by any of them: the genuine command still works.
    desk.deliver(&note(&genuine(), "ok@x.test")).await;
    desk.owner_mail("Gedaan: notitie", 1).await;
}

#[tokio::test(flavor = "current_thread")]
async fn another_cases_token_or_a_non_owner_with_a_genuine_token_is_refused() {
    let (desk, notice) = Desk::start().await;
    // A second complaint: its notice's token is of another case.
    let raw = mail_to(
        &format!("Alice <{ALICE}>"),
        &format!("Klachten <{KLACHT}>"),
        "Nog een klacht",
        &klachtd::clock::Clock::system().now().to_rfc2822(),
        &format!("klacht-{:016x}@example.test", fastrand::u64(..)),
        COMPLETE,
    );
    desk.server.send(ALICE, KLACHT, &raw).await.unwrap();
    let notices = desk.owner_mail("Nieuwe klacht", 2).await;
    let other = notices.iter().find(|m| id_of(m) != id_of(&notice)).unwrap();
    eventually("the second acknowledgement", || async {
        (desk.alice().await.len() == 2).then_some(())
    })
    .await;
    let subject = format!("Re: {}", without_code(&subject_of(&notice)));
    desk.refused(vec![
        (
            "a token of another case",
            reply(
                &genuine(),
                OWNER,
                &subject,
                "b1@x.test",
                &id_of(&notice),
                &format!("notitie\nIets.\n\n> Code: {}\n", token_of(other)),
            ),
        ),
        (
            "a non-owner with a genuine token (a forwarded notice)",
            reply(
                &genuine(),
                "bob@example.test",
                &subject,
                "b2@x.test",
                &id_of(&notice),
                &quoting("notitie\nIets.", &body_of(&notice)),
            ),
        ),
    ])
    .await;
}
