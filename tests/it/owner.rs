//! The owner's commands by mail (issue 11), through the registry on a Maildir office:
//! a genuine command is carried out as the CLI's action is, confirmed in her thread
//! with a fresh token; every forgery is refused, set aside, with one notice and nothing
//! to the complainant.

use chrono::{DateTime, Duration, Utc};
use klachtd::cases::{Case, EventKind, State};
use klachtd::domain::{CaseNumber, LetterKind, Outgoing};
use klachtd::procedure::actions::Action;
use klachtd::procedure::owner::token::{self, Scope, TokenKey};
use klachtd::registry::{Parts, Registered, Registry};

use crate::support::{COMPLETE, Office, at, body, header, mail};

pub const KEY_HEX: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
pub const AUTHSERV: &str = "mx.numun.nl";
const OWNER: &str = "eigenaar@numun.nl";
const COMPLAINANT: &str = "sanne@example.test";

pub struct Desk {
    pub office: Office,
    _key_dir: tempfile::TempDir,
    parts: Parts,
    reg: Registry,
}

/// The `[owner_commands]` table with the key in `key_file`.
pub fn owner_commands_toml(key_file: &std::path::Path) -> String {
    format!(
        "[owner_commands]\nenabled = true\nauthserv_id = \"{AUTHSERV}\"\nkey_file = \"{}\"\n",
        key_file.display()
    )
}

/// A key file outside the store, in a temp dir of its own.
pub fn key_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("owner.key");
    crate::support::write_private(&file, format!("{KEY_HEX}\n"));
    (dir, file)
}

/// The Authentication-Results our server writes for a mail it authenticated.
pub fn genuine_auth() -> String {
    format!(
        "Authentication-Results: {AUTHSERV} 1;\r\n\tspf=pass smtp.mailfrom=numun.nl;\r\n\tdkim=pass (2048-bit key) header.d=numun.nl header.s=s1;\r\n\tdmarc=pass (p=reject) header.from=numun.nl\r\n"
    )
}

/// A reply from `from` with `headers` on top, answering `to_id`, saying `body`.
pub fn reply(
    headers: &str,
    from: &str,
    subject: &str,
    id: &str,
    to_id: &str,
    body: &str,
) -> Vec<u8> {
    let mut raw = headers.as_bytes().to_vec();
    let mut m = mail(from, subject, "Tue, 17 Nov 2026 10:00:00 +0100", id, body);
    // Threaded to the mail she answers.
    let head = format!("In-Reply-To: <{to_id}>\r\nReferences: <{to_id}>\r\n");
    raw.extend_from_slice(head.as_bytes());
    raw.append(&mut m);
    raw
}

/// Her text over the quoted mail she answers (as iOS Mail writes it).
pub fn quoting(command: &str, answered: &str) -> String {
    let quoted: String = answered.lines().map(|l| format!("> {l}\n")).collect();
    format!(
        "{command}\n\nOp 17 nov. 2026 om 09:00 heeft Klachten numun <klacht@numun.nl> het volgende geschreven:\n\n{quoted}"
    )
}

fn text_of(mail: &Outgoing) -> String {
    body(&String::from_utf8_lossy(&mail.raw)).replace("\r\n", "\n")
}

fn raw_text(mail: &Outgoing) -> String {
    String::from_utf8_lossy(&mail.raw).into_owned()
}

fn decoded_body(mail: &Outgoing) -> String {
    mail_parser::MessageParser::default()
        .parse(&mail.raw)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_else(|| text_of(mail))
}

impl Desk {
    pub fn new(now: &str) -> Desk {
        Self::with(now, "")
    }

    /// A desk with more `[owner_commands]` keys.
    pub fn with(now: &str, more: &str) -> Desk {
        let (key_dir, key_file) = key_dir();
        let toml = format!("{}{more}", owner_commands_toml(&key_file));
        let office = Office::with_extra(now, &toml);
        let (parts, reg) = office.open();
        Desk {
            office,
            _key_dir: key_dir,
            parts,
            reg,
        }
    }

    /// Closes the store (the CLI opens it itself then); the office and the key stay.
    fn close(self) -> (Office, tempfile::TempDir) {
        (self.office, self._key_dir)
    }

    fn outbox(&self) -> Vec<Outgoing> {
        self.parts
            .store
            .outbox()
            .unwrap()
            .into_iter()
            .map(|q| q.mail)
            .collect()
    }

    fn case(&self, n: CaseNumber) -> Case {
        self.reg.case(n).unwrap().unwrap()
    }

    fn register(&self, raw: &[u8]) -> Registered {
        self.reg.register(raw, self.office.clock.now()).unwrap()
    }

    /// A complete complaint: its case and the owner's notice.
    fn complaint(&self, id: &str) -> (CaseNumber, Outgoing) {
        let raw = mail(
            COMPLAINANT,
            "Klacht over de training",
            &self.office.clock.now().to_rfc2822(),
            id,
            COMPLETE,
        );
        let Registered::NewCase(n) = self.register(&raw) else {
            panic!("not a new case")
        };
        let notice = self
            .outbox()
            .into_iter()
            .find(|o| o.kind == LetterKind::OwnerNewCase && o.case == Some(n))
            .unwrap();
        (n, notice)
    }

    /// The Message-IDs queued so far.
    fn ids(&self) -> std::collections::BTreeSet<String> {
        self.outbox().into_iter().map(|o| o.message_id).collect()
    }

    /// What was queued since `before`.
    fn since(&self, before: &std::collections::BTreeSet<String>) -> Vec<Outgoing> {
        self.outbox()
            .into_iter()
            .filter(|o| !before.contains(&o.message_id))
            .collect()
    }
}

fn tokens_in(mail: &Outgoing) -> Vec<String> {
    token::find(&decoded_body(mail))
        .into_iter()
        .map(String::from)
        .collect()
}

#[test]
fn a_note_then_a_decision_by_replying_to_the_confirmation() {
    let desk = Desk::new("2026-11-17T09:00:00Z");
    let (n, notice) = desk.complaint("c1@example.test");
    // The notice is actionable: commands, an example, a token; the complaint attached.
    let notice_text = decoded_body(&notice);
    assert!(notice_text.contains("notitie"), "{notice_text}");
    assert!(notice_text.contains("besluit"), "{notice_text}");
    assert_eq!(tokens_in(&notice).len(), 1);
    assert!(raw_text(&notice).contains("message/rfc822"));
    let before = desk.ids();

    let note = reply(
        &genuine_auth(),
        OWNER,
        &format!("Re: [{n}] Nieuwe klacht"),
        "o1@numun.nl",
        &notice.message_id,
        &quoting(
            "Notitie\nKlager gebeld, gesprek volgt.\n\nVerstuurd vanaf mijn iPhone",
            &notice_text,
        ),
    );
    assert_eq!(desk.register(&note), Registered::OwnerCommand(Some(n)));
    let case = desk.case(n);
    let event = case
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Action { .. }))
        .unwrap();
    assert_eq!(
        event.kind,
        EventKind::Action {
            action: "note".into(),
            by_mail: Some("o1@numun.nl".into())
        }
    );
    assert_eq!(
        event.detail.as_deref(),
        Some("Klager gebeld, gesprek volgt.")
    );
    let new = desk.since(&before);
    assert_eq!(new.len(), 1, "only the confirmation");
    let confirmation = &new[0];
    assert_eq!(confirmation.kind, LetterKind::OwnerConfirmation);
    assert_eq!(confirmation.recipients, vec![OWNER.to_string()]);
    assert_eq!(
        header(&raw_text(confirmation), "In-Reply-To").as_deref(),
        Some("<o1@numun.nl>")
    );
    let fresh = tokens_in(confirmation);
    assert_eq!(fresh.len(), 1);
    assert_ne!(fresh, tokens_in(&notice));
    assert!(decoded_body(confirmation).contains("beslissing uiterlijk"));

    // The decision, by replying to the confirmation.
    let before = desk.ids();
    let decision = reply(
        &genuine_auth(),
        OWNER,
        &format!("Re: [{n}] Gedaan"),
        "o2@numun.nl",
        &confirmation.message_id,
        &quoting(
            "besluit\nBevindingen: de trainer was te laat.\nConclusies: gegrond.\nReacties: de trainer erkent het.\nAfhandeling: een gratis herhaling.",
            &decoded_body(confirmation),
        ),
    );
    assert_eq!(desk.register(&decision), Registered::OwnerCommand(Some(n)));
    assert_eq!(desk.case(n).state, State::Decided);
    let new = desk.since(&before);
    let letter = new
        .iter()
        .find(|o| o.to_complainant)
        .expect("the decision letter");
    assert_eq!(letter.kind, LetterKind::Decision);
    assert_eq!(letter.recipients, vec![COMPLAINANT.to_string()]);
    let confirmation = new
        .iter()
        .find(|o| o.kind == LetterKind::OwnerConfirmation)
        .unwrap();
    // The letter that went out, quoted in full in her confirmation.
    let letter_body = decoded_body(letter);
    let confirmed = decoded_body(confirmation);
    for line in letter_body.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            confirmed.contains(line.trim_end()),
            "{line:?} not in\n{confirmed}"
        );
    }
    // `cases show` shows the note's text and that it came by mail.
    let (office, _key) = desk.close();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_klachtd"))
        .args(["cases", "show", &n.to_string(), "--config"])
        .arg(office.config_file())
        .env("KLACHTD_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("action note (per e-mail, <o1@numun.nl>) Klager gebeld, gesprek volgt."),
        "{shown}"
    );
    assert!(
        shown.contains("action decide (per e-mail, <o2@numun.nl>)"),
        "{shown}"
    );
}

/// Everything refused: one notice to her each, nothing to the complainant, the mail set
/// aside, the case untouched.
#[test]
fn every_forgery_is_refused_quietly() {
    let desk = Desk::new("2026-11-17T09:00:00Z");
    let (n, notice) = desk.complaint("c1@example.test");
    let (other, other_notice) = desk.complaint("c2@example.test");
    let notice_text = decoded_body(&notice);
    let genuine = tokens_in(&notice).remove(0);
    let key = TokenKey::from_hex(KEY_HEX).unwrap();
    let now = desk.office.clock.now();
    let subject = format!("Re: [{n}] Nieuwe klacht");
    let note = |headers: &str, from: &str, id: &str, code: &str| {
        reply(
            headers,
            from,
            &subject,
            id,
            &notice.message_id,
            &format!("notitie\nIets.\n\n> Code: {code}\n"),
        )
    };
    let expired = token::issue(&key, Scope::Case(n), now - Duration::days(40), 30, 1);
    let mut altered = genuine.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'a' { 'b' } else { 'a' });
    let other_token = tokens_in(&other_notice).remove(0);
    let foreign = "Authentication-Results: mx.evil.example; dmarc=pass header.from=numun.nl\r\n";
    let below = format!(
        "Authentication-Results: {AUTHSERV}; dmarc=fail header.from=numun.nl\r\n{}",
        genuine_auth()
    );
    let foreign_dkim =
        format!("Authentication-Results: {AUTHSERV}; dkim=pass header.d=evil.example\r\n");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "no Authentication-Results",
            note("", OWNER, "f1@x", &genuine),
        ),
        (
            "foreign authserv-id",
            note(foreign, OWNER, "f2@x", &genuine),
        ),
        ("ours below a fail", note(&below, OWNER, "f3@x", &genuine)),
        (
            "dkim for a foreign domain",
            note(&foreign_dkim, OWNER, "f4@x", &genuine),
        ),
        (
            "no token",
            reply(
                &genuine_auth(),
                OWNER,
                &subject,
                "f5@x",
                &notice.message_id,
                "notitie\nIets.",
            ),
        ),
        (
            "altered token",
            note(&genuine_auth(), OWNER, "f6@x", &altered),
        ),
        (
            "expired token",
            note(&genuine_auth(), OWNER, "f7@x", &expired),
        ),
        (
            "token of another case",
            note(&genuine_auth(), OWNER, "f8@x", &other_token),
        ),
        (
            "non-owner with a genuine token",
            reply(
                &genuine_auth(),
                "collega@numun.nl",
                &subject,
                "f9@x",
                &notice.message_id,
                &quoting("notitie\nIets.", &notice_text),
            ),
        ),
    ];
    let other_before = desk.case(other);
    for (i, (what, raw)) in cases.into_iter().enumerate() {
        // A day each, so that the daily limit of notices (tested below) stays out of it.
        desk.office.clock.set(now + Duration::days(i as i64));
        let before = desk.ids();
        let case_before = desk.case(n);
        let got = desk.register(&raw);
        let expected = match what {
            "no Authentication-Results" | "foreign authserv-id" => {
                "no Authentication-Results header of our server"
            }
            "ours below a fail" | "dkim for a foreign domain" => "no dmarc=pass or dkim=pass",
            "no token" => "no token",
            "altered token" => "altered",
            "expired token" => "expired",
            "token of another case" => "another case",
            _ => "not the owner's",
        };
        assert!(
            matches!(&got, Registered::SetAside(reason) if reason.contains(expected)),
            "{what}: {got:?}"
        );
        let new = desk.since(&before);
        assert_eq!(new.len(), 1, "{what}: one refusal notice");
        assert_eq!(new[0].kind, LetterKind::OwnerRefusal, "{what}");
        assert!(new.iter().all(|o| !o.to_complainant), "{what}");
        assert_eq!(desk.case(n), case_before, "{what}");
        assert_eq!(desk.case(other), other_before, "{what}");
    }
    // The genuine token works once; its replay (a new Message-ID) is refused.
    desk.office.clock.set(now + Duration::days(10));
    let ok = note(&genuine_auth(), OWNER, "g1@x", &genuine);
    assert_eq!(desk.register(&ok), Registered::OwnerCommand(Some(n)));
    let before = desk.ids();
    let replay = note(&genuine_auth(), OWNER, "g2@x", &genuine);
    assert!(matches!(desk.register(&replay), Registered::SetAside(_)));
    let new = desk.since(&before);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].kind, LetterKind::OwnerRefusal);
    // A non-owner with a genuine token (a forwarded notice).
    let fwd = reply(
        &genuine_auth(),
        "collega@numun.nl",
        &subject,
        "g3@x",
        &notice.message_id,
        &quoting("notitie\nIets.", &notice_text),
    );
    let before = desk.ids();
    assert!(matches!(desk.register(&fwd), Registered::SetAside(_)));
    assert_eq!(desk.since(&before).len(), 1);
}

#[test]
fn at_most_five_refusal_notices_a_day_and_one_help_mail() {
    let desk = Desk::new("2026-11-17T09:00:00Z");
    let (n, notice) = desk.complaint("c1@example.test");
    let subject = format!("Re: [{n}] Nieuwe klacht");
    // The scheduler's first tick notes the digest's slot.
    let start = desk.office.clock.now();
    desk.office.tick(&desk.parts, start);
    desk.office.clock.set(start + Duration::hours(1));
    let before = desk.ids();
    for i in 0..7 {
        let raw = reply(
            "",
            OWNER,
            &subject,
            &format!("r{i}@x"),
            &notice.message_id,
            "notitie\nIets.",
        );
        assert!(matches!(desk.register(&raw), Registered::SetAside(_)));
    }
    assert_eq!(desk.since(&before).len(), 5);
    // The two without a notice are counted in the next digest (Monday 23 November).
    let monday = at("2026-11-23T09:00:00Z");
    let before_digest = desk.ids();
    desk.office.tick(&desk.parts, monday);
    let digest = desk
        .since(&before_digest)
        .into_iter()
        .find(|o| o.kind == LetterKind::OwnerDigest)
        .expect("the digest");
    let text = decoded_body(&digest);
    assert!(text.contains("(meer dan 5 op een dag): 2."), "{text}");
    // The digest is actionable too: `overzicht` with its token.
    assert!(text.contains("overzicht"), "{text}");
    assert_eq!(tokens_in(&digest).len(), 1);
    desk.office.clock.set(monday);
    // A "thanks": kept, one help mail a day.
    let before = desk.ids();
    for i in 0..2 {
        let raw = reply(
            &genuine_auth(),
            OWNER,
            &subject,
            &format!("t{i}@x"),
            &notice.message_id,
            "Dank je!",
        );
        assert_eq!(desk.register(&raw), Registered::OwnerCommand(None));
    }
    let new = desk.since(&before);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].kind, LetterKind::OwnerHelp);
    // Never a complaint or a follow-up.
    assert_eq!(desk.reg.cases().unwrap().len(), 1);
}

/// Each command by mail gives the case the CLI's action gives it.
#[test]
fn each_command_equals_the_cli_action() {
    same_as_cli(
        "2026-11-20T09:00:00Z",
        vec![(
            "ingetrokken\nDe klager ziet ervan af.",
            Action::Withdraw {
                text: "De klager ziet ervan af.".into(),
            },
        )],
        State::Withdrawn,
    );
    same_as_cli(
        "2026-11-20T09:00:00Z",
        vec![
            (
                "besluit\nBevindingen: b.\nConclusies: c.\nReacties: r.\nAfhandeling: a.",
                Action::Decide {
                    text: "Bevindingen: b.\nConclusies: c.\nReacties: r.\nAfhandeling: a.".into(),
                },
            ),
            (
                "commissie",
                Action::Refer {
                    text: String::new(),
                },
            ),
        ],
        State::Referred,
    );
    // A late complaint (the incident of 10 November, mailed in January).
    same_as_cli(
        "2027-01-20T09:00:00Z",
        vec![(
            "late-accepteren",
            Action::AcceptLate {
                text: String::new(),
            },
        )],
        State::Acknowledged,
    );
    same_as_cli(
        "2027-01-20T09:00:00Z",
        vec![(
            "late-afwijzen\nTe laat ingediend.",
            Action::DeclineLate {
                text: "Te laat ingediend.".into(),
            },
        )],
        State::Declined,
    );
}

/// Each command by mail gives the case the CLI's action gives it: a note through the
/// close of a case.
#[test]
fn each_command_equals_the_cli_action_from_note_to_close() {
    let hearing_day = "2026-11-19";
    let script: Vec<(&str, Action)> = vec![
        (
            "notitie\nEen notitie.",
            Action::Note {
                text: "Een notitie.".into(),
            },
        ),
        (
            "uitnodiging 2-12 14:00\nOp ons kantoor.",
            Action::Invite {
                at: "2026-12-02".parse().unwrap(),
                time: chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
                text: "Op ons kantoor.".into(),
            },
        ),
        (
            "informatie\nHet rooster.",
            Action::Inform {
                text: "Het rooster.".into(),
                enclosures: Vec::new(),
            },
        ),
        (
            "hoorzitting 19-11",
            Action::Hearing {
                at: Some(hearing_day.parse().unwrap()),
                text: String::new(),
            },
        ),
        (
            "verslag\nHet verslag.",
            Action::HearingReport {
                text: "Het verslag.".into(),
            },
        ),
        (
            "verlengen 2027-01-12\nMeer tijd.",
            Action::Extend {
                until: "2027-01-12".parse().unwrap(),
                text: "Meer tijd.".into(),
                force: false,
            },
        ),
        (
            "besluit\nBevindingen: b.\nConclusies: c.\nReacties: r.\nAfhandeling: a.",
            Action::Decide {
                text: "Bevindingen: b.\nConclusies: c.\nReacties: r.\nAfhandeling: a.".into(),
            },
        ),
        (
            "afronden\nAfgehandeld.",
            Action::Close {
                text: "Afgehandeld.".into(),
            },
        ),
    ];
    same_as_cli("2026-11-19T09:00:00Z", script, State::Closed);
}

/// Runs `script` by mail on one desk and by the CLI's action on another, from the same
/// complaint received at `now`: the same case and the same letters after each step.
fn same_as_cli(now: &str, script: Vec<(&str, Action)>, end: State) {
    let now: DateTime<Utc> = at(now);
    let by_mail = Desk::new(&now.to_rfc3339());
    let by_cli = Desk::new(&now.to_rfc3339());
    let (n, notice) = by_mail.complaint("c1@example.test");
    let (m, _) = by_cli.complaint("c1@example.test");
    assert_eq!(n, m);
    let mut answered = notice;
    for (i, (line, action)) in script.into_iter().enumerate() {
        let code = tokens_in(&answered).remove(0);
        let raw = reply(
            &genuine_auth(),
            OWNER,
            &format!("Re: [{n}]"),
            &format!("cmd{i}@numun.nl"),
            &answered.message_id,
            &format!("{line}\n\n> Code: {code}\n"),
        );
        let before = by_mail.ids();
        assert_eq!(
            by_mail.register(&raw),
            Registered::OwnerCommand(Some(n)),
            "{line}"
        );
        by_cli.reg.act(m, &action).unwrap();
        let mut a = by_mail.case(n);
        let b = by_cli.case(m);
        // The same case, but for the mark that it came by mail.
        for e in &mut a.events {
            if let EventKind::Action { by_mail, .. } = &mut e.kind {
                assert!(by_mail.take().is_some());
            }
        }
        assert_eq!(a, b, "{line}");
        let letters = |d: &Desk| -> Vec<(LetterKind, String)> {
            d.outbox()
                .into_iter()
                .filter(|o| o.to_complainant)
                .map(|o| (o.kind, decoded_body(&o)))
                .collect()
        };
        assert_eq!(letters(&by_mail), letters(&by_cli), "{line}");
        answered = by_mail
            .since(&before)
            .into_iter()
            .find(|o| o.kind == LetterKind::OwnerConfirmation)
            .unwrap();
    }
    assert_eq!(by_mail.case(n).state, end);
}

/// Art. 4.2 by mail: her text and the files of her mail go to the complainant.
#[test]
fn information_by_mail_forwards_her_attachments() {
    let desk = Desk::new("2026-11-17T09:00:00Z");
    let (n, notice) = desk.complaint("c1@example.test");
    let code = tokens_in(&notice).remove(0);
    let body = format!(
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ninformatie\r\nHierbij het rooster van de training.\r\n\r\n> Code: {code}\r\n--b1\r\nContent-Type: application/pdf; name=\"rooster.pdf\"\r\nContent-Disposition: attachment; filename=\"rooster.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOf\r\n--b1--\r\n"
    );
    let raw = format!(
        "{}From: {OWNER}\r\nTo: klacht@numun.nl\r\nSubject: Re: [{n}] Nieuwe klacht\r\nDate: Tue, 17 Nov 2026 10:00:00 +0100\r\nMessage-ID: <info-1@numun.nl>\r\nIn-Reply-To: <{}>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n{body}",
        genuine_auth(),
        notice.message_id
    );
    let before = desk.ids();
    assert_eq!(
        desk.register(raw.as_bytes()),
        Registered::OwnerCommand(Some(n))
    );
    let new = desk.since(&before);
    let letter = new
        .iter()
        .find(|o| o.to_complainant)
        .expect("the information letter");
    assert_eq!(letter.kind, LetterKind::Information);
    assert!(decoded_body(letter).contains("Hierbij het rooster van de training."));
    let parsed = mail_parser::MessageParser::default()
        .parse(&letter.raw)
        .unwrap();
    let names: Vec<String> = parsed
        .attachments()
        .filter_map(|p| mail_parser::MimeHeaders::attachment_name(p).map(String::from))
        .collect();
    assert_eq!(names, ["rooster.pdf"]);
    let pdf = parsed.attachments().next().unwrap();
    assert!(pdf.contents().starts_with(b"%PDF-1.4"));
}

#[test]
fn status_and_overview_by_mail() {
    let desk = Desk::new("2026-11-17T09:00:00Z");
    let (n, notice) = desk.complaint("c1@example.test");
    // A reply that quotes nothing: the subject carries the code.
    let notice_subject = header(&raw_text(&notice), "Subject").unwrap();
    assert_eq!(
        token::find(&notice_subject),
        [tokens_in(&notice)[0].as_str()]
    );
    let before = desk.ids();
    let raw = reply(
        &genuine_auth(),
        OWNER,
        &format!("Re: {notice_subject}"),
        "s1@numun.nl",
        &notice.message_id,
        "status",
    );
    assert_eq!(desk.register(&raw), Registered::OwnerCommand(Some(n)));
    let new = desk.since(&before);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].kind, LetterKind::OwnerConfirmation);
    let text = decoded_body(&new[0]);
    assert!(text.contains("Status: ontvangst bevestigd"), "{text}");
    // Overview, with the confirmation's fresh token.
    let before = desk.ids();
    let raw = reply(
        &genuine_auth(),
        OWNER,
        "Re: x",
        "s2@numun.nl",
        &new[0].message_id,
        &format!("overzicht\n\n> Code: {}\n", tokens_in(&new[0])[0]),
    );
    assert_eq!(desk.register(&raw), Registered::OwnerCommand(Some(n)));
    let new = desk.since(&before);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].kind, LetterKind::OwnerDigest);
    assert!(decoded_body(&new[0]).contains(&n.to_string()));
    // A look-alike token from someone else is an ordinary mail (here: a follow-up).
    let fake = reply(
        "",
        COMPLAINANT,
        &format!("Re: [{n}]"),
        "s3@example.test",
        &notice.message_id,
        "Nog een vraag.\n\nKC1.KL-2026-0001.c.20500.1.00000000000000000000000000000000\n",
    );
    assert_eq!(desk.register(&fake), Registered::FollowUp(n));
}

/// Microsoft 365 inside one tenant: Exchange's internal authentication counts only when
/// configured.
#[test]
fn exchange_internal_authentication_only_when_configured() {
    let exchange = "X-MS-Exchange-Organization-AuthAs: Internal\r\nX-MS-Exchange-Organization-AuthSource: AM0PR01MB1234.eurprd01.prod.outlook.com\r\n";
    for (more, carried_out) in [("", false), ("exchange_internal = true\n", true)] {
        let desk = Desk::with("2026-11-17T09:00:00Z", more);
        let (n, notice) = desk.complaint("c1@example.test");
        let raw = reply(
            exchange,
            OWNER,
            "Re: x",
            "x1@numun.nl",
            &notice.message_id,
            &format!(
                "notitie\nBinnen de tenant.\n\n> Code: {}\n",
                tokens_in(&notice)[0]
            ),
        );
        let got = desk.register(&raw);
        if carried_out {
            assert_eq!(got, Registered::OwnerCommand(Some(n)));
        } else {
            assert!(matches!(got, Registered::SetAside(_)), "{got:?}");
        }
    }
}
