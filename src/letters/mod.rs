//! Every mail klachtd sends, rendered from the templates in templates/ (minijinja).
//!
//! A template's first line is `Subject: ...`, then a blank line, then the body. The
//! templates are compiled into the binary as defaults; files of the same name in
//! `[templates] dir` override them, so wording is edited without recompiling.
//! Pure: "now" is an argument, nothing is sent from here.

use std::path::PathBuf;
use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};
use lettre::message::Mailbox as LettreMailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use minijinja::{Environment, Value, context};
use serde::{Deserialize, Serialize};

use crate::cases::{Case, CaseNumber};
use crate::config::{CommissionConfig, Config};
use crate::intake::classify::LOOP_HEADER;
use crate::rules::{self, ZONE};

/// A mail ready to send: queued in the store's outbox in the same transaction as the
/// change that causes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// Stable: derived from the case and the letter, so a retry or a replay after a crash
    /// carries the same Message-ID (without angle brackets).
    pub message_id: String,
    pub kind: LetterKind,
    pub case: Option<CaseNumber>,
    /// Envelope sender (bare address).
    pub envelope_from: String,
    /// Envelope recipients (bare addresses).
    pub recipients: Vec<String>,
    /// Whether this goes to the complainant (a copy goes to the Sent folder).
    pub to_complainant: bool,
    /// The formatted RFC 5322 message. Kept as a file beside the store's records
    /// (store.rs), not in them.
    #[serde(skip)]
    pub raw: Vec<u8>,
}

/// The kinds of mail, each with its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// Art. 4.1: receipt confirmed, case number, what happens next and by when.
    Acknowledgement,
    /// Art. 3.2: the complaint misses mandatory items; lists them with a form.
    RequestInformation,
    /// Art. 3.1: submitted after the 1-month window; the owner will look at it.
    LateReply,
    /// To the owner: a new case.
    OwnerNewCase,
    /// To the owner: a complainant wrote again.
    OwnerFollowUp,
    /// To the owner: a mail could not be handled and was set aside.
    OwnerSetAside,
    /// To the owner: a letter to a complainant could not be sent.
    OwnerSendFailed,
    /// To the owner: something about the mailbox itself (a UIDVALIDITY change).
    OwnerNotice,
    /// Art. 4.3: the report (verslag) of the complainant's explanation.
    Report,
    /// Art. 5.1: the decision takes longer; when it will come.
    Extension,
    /// Art. 5.1: the decision (findings, conclusions, reactions, settlement), with the
    /// independent commission of art. 5.2.
    Decision,
    /// Art. 5 Afronding 1: handling stops (withdrawn, no further need), with reasons.
    Withdrawal,
    /// Art. 5 Afronding 2: the outcome of a handled complaint confirmed.
    Closure,
    /// Art. 3.1: a late complaint is handled after all.
    LateAccepted,
    /// Art. 3.1: a late complaint is not handled, with reasons.
    LateDeclined,
    /// Art. 3.2: a gentle reminder that information is still missing (once).
    InformationReminder,
    /// To the owner: a deadline is near, today, or passed (art. 4.1, 5.1, introduction).
    OwnerReminder,
    /// To the owner: the acknowledgement was not sent by its deadline (art. 4.1).
    OwnerAcknowledgementAlert,
    /// To the owner: the weekly overview of open cases.
    OwnerDigest,
}

impl LetterKind {
    pub const ALL: [LetterKind; 19] = [
        LetterKind::Acknowledgement,
        LetterKind::RequestInformation,
        LetterKind::LateReply,
        LetterKind::OwnerNewCase,
        LetterKind::OwnerFollowUp,
        LetterKind::OwnerSetAside,
        LetterKind::OwnerSendFailed,
        LetterKind::OwnerNotice,
        LetterKind::Report,
        LetterKind::Extension,
        LetterKind::Decision,
        LetterKind::Withdrawal,
        LetterKind::Closure,
        LetterKind::LateAccepted,
        LetterKind::LateDeclined,
        LetterKind::InformationReminder,
        LetterKind::OwnerReminder,
        LetterKind::OwnerAcknowledgementAlert,
        LetterKind::OwnerDigest,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "acknowledgement",
            LetterKind::RequestInformation => "request_information",
            LetterKind::LateReply => "late_reply",
            LetterKind::OwnerNewCase => "owner_new_case",
            LetterKind::OwnerFollowUp => "owner_follow_up",
            LetterKind::OwnerSetAside => "owner_set_aside",
            LetterKind::OwnerSendFailed => "owner_send_failed",
            LetterKind::OwnerNotice => "owner_notice",
            LetterKind::Report => "report",
            LetterKind::Extension => "extension",
            LetterKind::Decision => "decision",
            LetterKind::Withdrawal => "withdrawal",
            LetterKind::Closure => "closure",
            LetterKind::LateAccepted => "late_accepted",
            LetterKind::LateDeclined => "late_declined",
            LetterKind::InformationReminder => "information_reminder",
            LetterKind::OwnerReminder => "owner_reminder",
            LetterKind::OwnerAcknowledgementAlert => "owner_acknowledgement_alert",
            LetterKind::OwnerDigest => "owner_digest",
        }
    }

    /// Whether this letter goes to the complainant (else to the owner).
    pub fn to_complainant(self) -> bool {
        matches!(
            self,
            LetterKind::Acknowledgement
                | LetterKind::RequestInformation
                | LetterKind::LateReply
                | LetterKind::Report
                | LetterKind::Extension
                | LetterKind::Decision
                | LetterKind::Withdrawal
                | LetterKind::Closure
                | LetterKind::LateAccepted
                | LetterKind::LateDeclined
                | LetterKind::InformationReminder
        )
    }

    /// Whether this letter answers receipt of the complaint (art. 4.1): the
    /// acknowledgement itself, or the first answer to an incomplete or late complaint.
    pub fn answers_receipt(self) -> bool {
        matches!(
            self,
            LetterKind::Acknowledgement
                | LetterKind::RequestInformation
                | LetterKind::LateReply
                | LetterKind::LateAccepted
        )
    }

    fn template(self) -> String {
        format!("{}.txt", self.key())
    }

    /// Automatic replies are marked so (RFC 3834), other automatic mail as generated;
    /// the owner's own letters (written by a person) are not marked.
    fn auto_submitted(self) -> Option<&'static str> {
        match self {
            LetterKind::Acknowledgement
            | LetterKind::RequestInformation
            | LetterKind::LateReply => Some("auto-replied"),
            LetterKind::Report
            | LetterKind::Extension
            | LetterKind::Decision
            | LetterKind::Withdrawal
            | LetterKind::Closure
            | LetterKind::LateAccepted
            | LetterKind::LateDeclined => None,
            _ => Some("auto-generated"),
        }
    }
}

/// The built-in templates (the files in templates/ at build time).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "acknowledgement.txt",
        include_str!("../../templates/acknowledgement.txt"),
    ),
    (
        "request_information.txt",
        include_str!("../../templates/request_information.txt"),
    ),
    (
        "late_reply.txt",
        include_str!("../../templates/late_reply.txt"),
    ),
    (
        "owner_new_case.txt",
        include_str!("../../templates/owner_new_case.txt"),
    ),
    (
        "owner_follow_up.txt",
        include_str!("../../templates/owner_follow_up.txt"),
    ),
    (
        "owner_set_aside.txt",
        include_str!("../../templates/owner_set_aside.txt"),
    ),
    (
        "owner_send_failed.txt",
        include_str!("../../templates/owner_send_failed.txt"),
    ),
    (
        "owner_notice.txt",
        include_str!("../../templates/owner_notice.txt"),
    ),
    ("report.txt", include_str!("../../templates/report.txt")),
    (
        "extension.txt",
        include_str!("../../templates/extension.txt"),
    ),
    ("decision.txt", include_str!("../../templates/decision.txt")),
    (
        "withdrawal.txt",
        include_str!("../../templates/withdrawal.txt"),
    ),
    ("closure.txt", include_str!("../../templates/closure.txt")),
    (
        "late_accepted.txt",
        include_str!("../../templates/late_accepted.txt"),
    ),
    (
        "late_declined.txt",
        include_str!("../../templates/late_declined.txt"),
    ),
    (
        "information_reminder.txt",
        include_str!("../../templates/information_reminder.txt"),
    ),
    (
        "owner_reminder.txt",
        include_str!("../../templates/owner_reminder.txt"),
    ),
    (
        "owner_acknowledgement_alert.txt",
        include_str!("../../templates/owner_acknowledgement_alert.txt"),
    ),
    (
        "owner_digest.txt",
        include_str!("../../templates/owner_digest.txt"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("address {0:?} is not usable")]
    Address(String),
    #[error("formatting the mail: {0}")]
    Build(String),
}

/// The letter writer: templates plus who we are.
#[derive(Debug)]
pub struct Letters {
    env: Environment<'static>,
    from: LettreMailbox,
    owner_name: String,
    owners: Vec<String>,
    company: String,
    commission: CommissionConfig,
    calendar: rules::calendar::Calendar,
}

impl Letters {
    /// Loads the templates and checks each renders with a sample case.
    pub fn new(config: &Config) -> Result<Letters, LetterError> {
        let mut env = Environment::new();
        let dir: Option<PathBuf> = config.templates.dir.clone();
        env.set_loader(move |name| {
            if let Some(dir) = &dir {
                let path = dir.join(name);
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            format!("{}: {e}", path.display()),
                        )
                    });
                }
            }
            Ok(BUILT_IN
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string()))
        });
        env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
        env.add_filter("datum", |d: String| dutch_date_str(&d));
        let from = config
            .smtp
            .from
            .parse()
            .map_err(|_| LetterError::Address(config.smtp.from.clone()))?;
        let letters = Letters {
            env,
            from,
            owner_name: config.owner.name.clone(),
            owners: config.owner.addresses.clone(),
            company: config.company.name.clone(),
            commission: config.commission.clone(),
            calendar: rules::calendar::Calendar::new(&config.calendar),
        };
        letters.check()?;
        Ok(letters)
    }

    /// Renders every template once with a sample case, so a broken edit is found at start.
    fn check(&self) -> Result<(), LetterError> {
        let case = sample_case();
        let now = case.received;
        for kind in LetterKind::ALL {
            self.write(kind, Some(&case), sample_context(), now)?;
        }
        Ok(())
    }

    /// The independent commission of art. 5.2, as configured.
    pub fn commission(&self) -> &CommissionConfig {
        &self.commission
    }

    fn domain(&self) -> &str {
        self.from.email.domain()
    }

    /// Renders letter `kind` about `case` (None: a mail not tied to a case), with `extra`
    /// template values, dated `now`.
    pub fn write(
        &self,
        kind: LetterKind,
        case: Option<&Case>,
        extra: Value,
        now: DateTime<Utc>,
    ) -> Result<Outgoing, LetterError> {
        let to_complainant = kind.to_complainant();
        let ctx = context! {
            company => self.company,
            owner_name => self.owner_name,
            commission => Value::from_serialize(&self.commission),
            case => case.map(|c| self.case_view(c)),
            ..extra
        };
        let name = kind.template();
        let terr = |e: minijinja::Error| LetterError::Template {
            name: name.clone(),
            message: format!("{e:#}"),
        };
        let text = self
            .env
            .get_template(&name)
            .and_then(|t| t.render(ctx))
            .map_err(terr)?;
        let (subject, body) = split_subject(&text).ok_or_else(|| LetterError::Template {
            name: name.clone(),
            message: "the first line must be `Subject: ...`".into(),
        })?;
        let subject = match case {
            Some(c) if !subject.contains(&format!("[{}]", c.number)) => {
                format!("[{}] {subject}", c.number)
            }
            _ => subject,
        };
        let message_id = match case {
            Some(c) => format!(
                "klachtd.{}.{}.{}@{}",
                c.number,
                kind.key(),
                c.events.len(),
                self.domain()
            ),
            // Not tied to a case: the content tells one such mail from another.
            None => format!(
                "klachtd.{}.{}.{}@{}",
                kind.key(),
                &crate::store::content_hash(body.as_bytes())[..16],
                now.timestamp_micros(),
                self.domain()
            ),
        };
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .message_id(Some(format!("<{message_id}>")))
            .date(SystemTime::from(now))
            .header(ContentType::TEXT_PLAIN);
        if let Some(auto) = kind.auto_submitted() {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                auto.into(),
            ));
        }
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str(LOOP_HEADER),
            case.map(|c| c.number.to_string())
                .unwrap_or_else(|| "owner".into()),
        ));
        let recipients: Vec<String> = if to_complainant {
            let case = case.ok_or_else(|| LetterError::Address("no case".into()))?;
            let address: lettre::Address = case
                .reply_address
                .parse()
                .map_err(|_| LetterError::Address(case.reply_address.clone()))?;
            let name = case
                .fields
                .name
                .clone()
                .filter(|n| !n.contains(['<', '>', '"']));
            builder = builder.to(LettreMailbox::new(name, address));
            if let Some(last) = case.thread.last() {
                builder = builder.in_reply_to(format!("<{last}>"));
            }
            let references: Vec<String> = thread_references(&case.thread);
            if !references.is_empty() {
                builder = builder.references(references.join(" "));
            }
            vec![case.reply_address.clone()]
        } else {
            for owner in &self.owners {
                let address: lettre::Address = owner
                    .parse()
                    .map_err(|_| LetterError::Address(owner.clone()))?;
                builder = builder.to(LettreMailbox::new(Some(self.owner_name.clone()), address));
            }
            self.owners.clone()
        };
        let message = builder
            .body(body)
            .map_err(|e| LetterError::Build(e.to_string()))?;
        Ok(Outgoing {
            message_id,
            kind,
            case: case.map(|c| c.number),
            envelope_from: self.from.email.to_string(),
            recipients,
            to_complainant,
            raw: message.formatted(),
        })
    }

    /// What templates see of a case.
    fn case_view(&self, case: &Case) -> Value {
        let d = rules::deadlines::deadlines(case.received, &self.calendar, case.extended_to);
        context! {
            number => case.number.to_string(),
            state => case.state,
            received => dutch_date(case.received.with_timezone(&ZONE).date_naive()),
            sent_date => dutch_date(case.sent_date),
            acknowledge_by => dutch_date(d.acknowledge_by),
            target => dutch_date(d.target),
            decide_by => dutch_date(d.decide_by),
            extended_to => case.extended_to.map(dutch_date),
            hearing_at => case.hearing_at.map(dutch_date),
            report_at => case.report_at.map(|t| dutch_date(rules::calendar::local_date(t))),
            decided_at => case.decided_at.map(|t| dutch_date(rules::calendar::local_date(t))),
            closed_at => case.closed_at.map(|t| dutch_date(rules::calendar::local_date(t))),
            state_label => case.state.dutch(),
            window => case.window,
            serious => case.serious,
            category => case.category.map(category_label),
            subject => case.subject,
            fields => Value::from_serialize(&case.fields),
            incident_date => case.fields.incident_date.map(dutch_date),
            missing => case.missing.iter().map(|f| f.dutch()).collect::<Vec<_>>(),
            missing_keys => case.missing.iter().map(|f| f.key()).collect::<Vec<_>>(),
            ask_incident_date => case.window == rules::Window::Unknown,
            complete => case.missing.is_empty(),
        }
    }
}

/// References: the first mail of the thread and the last few (RFC 5322 suggests the
/// whole chain; mail clients cope with a trimmed one, servers reject huge headers).
fn thread_references(thread: &[String]) -> Vec<String> {
    let mut refs: Vec<String> = Vec::new();
    if let Some(first) = thread.first() {
        refs.push(format!("<{first}>"));
    }
    let tail = thread.len().saturating_sub(9).max(1);
    refs.extend(thread.iter().skip(tail).map(|id| format!("<{id}>")));
    refs
}

fn split_subject(text: &str) -> Option<(String, String)> {
    let text = text.trim_start();
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let subject = first.strip_prefix("Subject:")?.trim().to_string();
    let body = rest.trim_start_matches(['\r', '\n']).trim_end().to_string() + "\n";
    Some((subject, body))
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "3 november 2026".
pub fn dutch_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

fn dutch_date_str(s: &str) -> String {
    s.parse::<NaiveDate>()
        .map(dutch_date)
        .unwrap_or_else(|_| s.to_string())
}

/// How letters name a category of art. 1, in Dutch.
pub fn category_label(category: crate::intake::Category) -> &'static str {
    use crate::intake::Category::*;
    match category {
        Organisation => "de organisatie van de training",
        Content => "de inhoud van de training",
        Delivery => "de wijze waarop de training werd gegeven",
        Assessment => "de beoordeling",
        SexualHarassment => "seksuele intimidatie",
        Discrimination => "discriminatie",
        Aggression => "agressie",
        Violence => "geweld",
        Bullying => "pesten",
        Intimidation => "intimidatie",
    }
}

/// Every value a template may use besides `case`, with sample values: the templates
/// are checked with these at start (and by the tests).
pub fn sample_context() -> Value {
    let reminder = context! {
        deadline => "beslissing (4 weken)", key => "decide", due => "3 december 2026",
        overdue => false, days_left => 2, today => false, hint => "neem een beslissing",
    };
    let row = context! {
        number => "KL-2026-0001", state => "ontvangst bevestigd", next => "beslissing (4 weken)",
        due => "3 december 2026", due_iso => "2026-12-03", overdue => false, serious => false,
        days_left => 2,
    };
    context! {
        reason => "voorbeeld", title => "voorbeeld", subject => "Klacht", mail => "0123abcd",
        filled => vec!["uw telefoonnummer"], acknowledged => false, closed => false,
        letter => "acknowledgement", text => "Voorbeeldtekst van de eigenaar.",
        until => "14 december 2026", previous => "3 december 2026",
        intro => "", findings => "Bevindingen.", conclusions => "Conclusies.",
        reactions => "Reacties.", settlement => "Afhandeling.",
        reminders => vec![reminder], overdue => false, status => "nog niet verzonden",
        cases => vec![row], today => "2 november 2026", count => 1,
        summary => "beslissing (4 weken) over 2 dagen",
    }
}

/// A complete case, used to check the templates at start and in tests.
pub fn sample_case() -> Case {
    use crate::cases::State;
    use crate::intake::Fields;
    let received: DateTime<Utc> = DateTime::from_timestamp(1_793_000_000, 0).unwrap_or_default();
    Case {
        number: CaseNumber { year: 2026, seq: 1 },
        state: State::Acknowledged,
        received,
        sent_date: received.date_naive(),
        reply_address: "klager@example.test".into(),
        fields: Fields {
            name: Some("Voorbeeld Klager".into()),
            address: Some("Dorpsstraat 1, 1234 AB Ergens".into()),
            phone: Some("06-12345678".into()),
            email: Some("klager@example.test".into()),
            service: Some("Training".into()),
            description: Some("Voorbeeld".into()),
            incident_date: Some(received.date_naive()),
        },
        missing: vec![rules::Field::Phone],
        window: rules::Window::Within,
        category: None,
        serious: false,
        subject: "Klacht".into(),
        thread: vec!["sample@example.test".into()],
        mails: Vec::new(),
        events: Vec::new(),
        ..Case::new(CaseNumber { year: 2026, seq: 1 }, received, String::new())
    }
}
