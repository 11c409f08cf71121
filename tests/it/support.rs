//! Shared test setup: a klachtd with a Maildir inbox and outbox in a temp dir, a fixed
//! clock, and helpers to drop mails in and read the letters out.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use klachtd::clock::Clock;
use klachtd::config::Config;
use klachtd::domain::CaseNumber;
use klachtd::domain::content_hash;
use klachtd::domain::{Category, Fields};
use klachtd::intake::{Class, Classification, Message, Submission};
use klachtd::mailbox::maildir::{deliver, ensure_maildir};
use klachtd::registry::{Parts, Registry};
use klachtd::rules::{self, Field};
use klachtd::store::{Committed, Disposition, MailIn, MailRecord};
use tokio_util::sync::CancellationToken;

/// The config writer: its file is support/config.rs, mounted by the harness (see there).
pub use crate::mailserver::TestConfig;
pub use crate::mailserver::config::write_private;

pub struct Office {
    pub dir: tempfile::TempDir,
    pub config: Config,
    pub clock: Clock,
}

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("an RFC 3339 time")
}

/// The complainant of the plain complete complaint ([`COMPLETE`]).
pub const SANNE: &str = "Sanne de Vries <sanne@example.nl>";

impl Office {
    /// Sanne's complete complaint arrives (16 Nov 2026, `<c1@example.nl>`) and one pass
    /// of the daemon takes it in.
    pub fn sanne_complains(&self) {
        self.deliver(
            "m1",
            &mail(
                SANNE,
                "Klacht training",
                "Mon, 16 Nov 2026 09:12:44 +0100",
                "c1@example.nl",
                COMPLETE,
            ),
        );
        self.run_once();
    }

    /// A klachtd on Maildirs in a fresh temp dir, its clock fixed at `now`.
    pub fn new(now: &str) -> Office {
        Self::with_extra(now, "")
    }

    /// As [`Office::new`], with more config tables appended (see [`TestConfig::extra`]).
    pub fn with_extra(now: &str, extra: &str) -> Office {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("klachtd.toml");
        let config = TestConfig::default().extra(extra);
        config.write(&file);
        let config = config.parse(&file);
        ensure_maildir(&dir.path().join("Maildir")).expect("maildir");
        Office {
            dir,
            config,
            clock: Clock::fixed(at(now)),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The config file, for the `klachtd` binary's `--config`.
    pub fn config_file(&self) -> PathBuf {
        self.path("klachtd.toml")
    }

    /// Puts a mail in the inbox's new/, arriving now (by the office's clock).
    pub fn deliver(&self, name: &str, raw: &[u8]) {
        let path = deliver(&self.path("Maildir"), name, raw, false).expect("deliver");
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(self.clock.now().into()).unwrap();
    }

    /// The daemon on this office's config and clock: one pass (`once`, as `klachtd run
    /// --once`) or until `cancel`.
    pub fn daemon(
        &self,
        once: bool,
        cancel: CancellationToken,
    ) -> impl Future<Output = anyhow::Result<()>> + use<> {
        klachtd::daemon::run(self.config.clone(), self.clock.clone(), once, cancel)
    }

    /// One daemon pass, as `klachtd run --once`.
    pub fn run_once(&self) {
        runtime()
            .block_on(self.daemon(true, CancellationToken::new()))
            .expect("daemon pass");
    }

    /// The letters written so far, as (file name, text), sorted by name.
    pub fn letters(&self) -> Vec<(String, String)> {
        files_in(&self.path("outbox/new"))
    }

    /// Letters to one address.
    pub fn letters_to(&self, address: &str) -> Vec<String> {
        self.letters()
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| header(t, "To").is_some_and(|to| to.contains(address)))
            .collect()
    }

    pub fn registry(&self) -> klachtd::registry::Registry {
        klachtd::registry::Registry::open(&self.config, self.clock.clone()).expect("registry")
    }

    /// The store, the letter writer and the calendar, made from the config as the daemon
    /// makes them, and a registry on them.
    pub fn open(&self) -> (Parts, Registry) {
        let parts = self.parts();
        let registry = Registry::new(
            &parts,
            self.config.intake_context(),
            &self.config.store.path,
            self.clock.clone(),
        );
        (parts, registry)
    }

    /// The store, the letter writer and the calendar, as the daemon makes them.
    pub fn parts(&self) -> Parts {
        Parts::open(&self.config).expect("parts")
    }

    /// One scheduler tick on `parts` at `now`, as the daemon ticks.
    pub fn tick(&self, parts: &Parts, now: DateTime<Utc>) -> klachtd::scheduler::TickSummary {
        klachtd::scheduler::tick(
            &parts.store,
            &parts.letters,
            &parts.calendar,
            &self.config.schedule_settings(),
            now,
        )
        .expect("tick")
    }

    /// A case from the store; panics when there is none by that number.
    pub fn case(&self, number: &str) -> klachtd::cases::Case {
        self.registry()
            .case(number.parse().expect("a case number"))
            .expect("read the store")
            .unwrap_or_else(|| panic!("no case {number}"))
    }

    /// Every case in the store.
    pub fn cases(&self) -> Vec<klachtd::cases::Case> {
        self.registry().cases().expect("read the store")
    }
}

/// A runtime for the daemon's async code in a plain `#[test]`.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

pub fn files_in(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A header of a mail's text as a mail client shows it (unfolded, encoded words
/// decoded; first occurrence).
pub fn header(text: &str, name: &str) -> Option<String> {
    let parsed = mail_parser::MessageParser::default().parse(text.as_bytes())?;
    let raw = parsed.header_raw(name)?;
    let value = match parsed.header(name) {
        Some(mail_parser::HeaderValue::Text(t)) if raw.contains("=?") => t.to_string(),
        _ => raw.to_string(),
    };
    Some(value.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A mail's Subject (unfolded); panics when it has none.
pub fn subject(text: &str) -> String {
    header(text, "Subject").expect("a Subject header")
}

/// The decoded text body of a mail.
pub fn body(text: &str) -> String {
    mail_parser::MessageParser::default()
        .parse(text.as_bytes())
        .and_then(|m| m.body_text(0).map(|b| b.into_owned()))
        .unwrap_or_default()
}

/// A plain complaint mail to klacht@numun.nl.
pub fn mail(from: &str, subject: &str, date: &str, message_id: &str, body: &str) -> Vec<u8> {
    mail_to(from, "klacht@numun.nl", subject, date, message_id, body)
}

/// A plain complaint mail (UTF-8 text, 8 bit) to `to`.
pub fn mail_to(
    from: &str,
    to: &str,
    subject: &str,
    date: &str,
    message_id: &str,
    body: &str,
) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{message_id}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
        body.replace('\n', "\r\n")
    )
    .into_bytes()
}

/// A complete complaint, within the window when sent on 16 Nov 2026.
pub const COMPLETE: &str = include_str!("../fixtures/complete-complaint.txt");

/// A complaint missing address and phone.
pub const INCOMPLETE: &str = "Hallo,

Ik ben niet tevreden over de training Effectief Communiceren van 10 november 2026.
Het materiaal was verouderd en veel oefeningen werkten niet.

Groet,
Pieter Jansen
";

/// `date` (YYYY-MM-DD) at `time` (HH:MM) in Amsterdam, as UTC.
pub fn local(date: &str, time: &str) -> DateTime<Utc> {
    let date: NaiveDate = date.parse().expect("a date");
    let time = chrono::NaiveTime::parse_from_str(time, "%H:%M").expect("a time");
    date.and_time(time)
        .and_local_timezone(rules::ZONE)
        .earliest()
        .expect("a local time")
        .with_timezone(&Utc)
}

/// The fields of a complete complaint by Sanne de Vries about an incident on `incident`,
/// less the `missing` ones.
pub fn fields(incident: NaiveDate, missing: &[Field]) -> Fields {
    let keep = |f: Field, v: &str| (!missing.contains(&f)).then(|| v.to_string());
    Fields {
        name: keep(Field::Name, "Sanne de Vries"),
        address: keep(Field::Address, "Kerkstraat 12, 3511 AB Utrecht"),
        phone: keep(Field::Phone, "06-12345678"),
        email: keep(Field::Email, "sanne@example.nl"),
        service: keep(Field::Service, "Training Effectief Communiceren"),
        description: keep(
            Field::Description,
            "De trainer kwam drie kwartier te laat en de helft van het programma is niet behandeld.",
        ),
        incident_date: Some(incident),
    }
}

/// A submission as intake makes it from a complaint by `reply` (not through the parser,
/// which other branches are rewriting): the mail's Message-ID is `message_id`.
pub fn submission(
    reply: &str,
    message_id: &str,
    sent: DateTime<Utc>,
    fields: Fields,
    case_ref: Option<CaseNumber>,
) -> Submission {
    let sent_date = rules::calendar::local_date(sent);
    let missing = rules::missing(&fields);
    let window = rules::window(fields.incident_date, sent_date);
    Submission {
        message: Message {
            message_id: Some(message_id.to_string()),
            subject: "Klacht over de training".into(),
            from: Some(klachtd::intake::Address {
                name: fields.name.clone(),
                address: reply.to_string(),
            }),
            text: fields.description.clone().unwrap_or_default(),
            ..Message::default()
        },
        classification: Classification {
            class: if case_ref.is_some() {
                Class::FollowUp
            } else {
                Class::Complaint
            },
            reason: "test".into(),
            case_ref,
        },
        category: Some(Category::Delivery),
        serious: false,
        sent_date,
        missing,
        window,
        fields,
        undated: false,
        language: Default::default(),
        serious_words: Vec::new(),
    }
}

/// Registers a complaint received at `received` the way the daemon does (the case
/// opened and answered at once, the owner notified, the raw mail kept), with the pure
/// core and the store, so the lifecycle can be tested while the parser is a stub.
/// `missing` fields are left out; `incident_days` is how long before receipt it happened.
pub fn insert_case(
    parts: &Parts,
    received: DateTime<Utc>,
    reply: &str,
    missing: &[Field],
    incident_days: i64,
) -> CaseNumber {
    let incident = rules::calendar::local_date(received) - chrono::Duration::days(incident_days);
    let message_id = format!("c{}.{}", received.timestamp_micros(), reply);
    let sub = submission(
        reply,
        &message_id,
        received,
        fields(incident, missing),
        None,
    );
    let raw = mail(
        reply,
        "Klacht over de training",
        &received.to_rfc2822(),
        &message_id,
        sub.message.text.as_str(),
    );
    let record = MailRecord {
        hash: content_hash(&raw),
        message_id: Some(message_id.clone()),
        arrived: received,
        disposition: Disposition::NewCase,
        case: None,
        reason: None,
    };
    let year = chrono::Datelike::year(&rules::calendar::local_date(received));
    let incoming = klachtd::procedure::mail::Incoming {
        answer: klachtd::procedure::mail::Answer::Yes,
        submission: &sub,
        hash: &record.hash,
        arrived: received,
        raw: &raw,
    };
    let committed = parts
        .store
        .commit(
            Some(MailIn {
                record: &record,
                raw: &raw,
            }),
            Some(year),
            received,
            |n| {
                Ok::<_, klachtd::registry::ChangeError>(klachtd::procedure::mail::open_case(
                    n.expect("a number"),
                    incoming,
                    &parts.letters,
                    received,
                )?)
            },
        )
        .expect("commit");
    match committed {
        Committed::Done(change) => change.case.expect("a case").number,
        Committed::Duplicate(_) => panic!("duplicate"),
    }
}

/// A reply from the complainant on case `number` at `at`, giving `fields`, taken in the way
/// the daemon does (the pure follow-up, one transaction with the raw mail).
pub fn insert_follow_up(
    parts: &Parts,
    number: CaseNumber,
    at: DateTime<Utc>,
    reply: &str,
    fields: Fields,
) {
    let message_id = format!("f{}.{}", at.timestamp_micros(), reply);
    let sub = submission(reply, &message_id, at, fields, Some(number));
    let raw = mail(
        reply,
        "Re: klacht",
        &at.to_rfc2822(),
        &message_id,
        "aanvulling",
    );
    let record = MailRecord {
        hash: content_hash(&raw),
        message_id: Some(message_id),
        arrived: at,
        disposition: Disposition::FollowUp,
        case: Some(number),
        reason: None,
    };
    let incoming = klachtd::procedure::mail::Incoming {
        answer: klachtd::procedure::mail::Answer::Yes,
        submission: &sub,
        hash: &record.hash,
        arrived: at,
        raw: &raw,
    };
    parts
        .store
        .commit_to_case(
            MailIn {
                record: &record,
                raw: &raw,
            },
            number,
            at,
            |case| {
                Ok::<_, klachtd::registry::ChangeError>(klachtd::procedure::mail::follow_up(
                    case,
                    incoming,
                    &parts.letters,
                    at,
                )?)
            },
        )
        .expect("commit");
}

/// What intake knows with config/demo.toml (its service catalogue, our own address).
pub fn demo_context() -> klachtd::intake::Context {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo.toml"))
        .expect("config/demo.toml loads")
        .intake_context()
}

/// A fixed "now" for offline reading, so tests do not depend on the day they run.
pub fn fixed_now() -> DateTime<Utc> {
    at("2026-11-24T12:00:00Z")
}
