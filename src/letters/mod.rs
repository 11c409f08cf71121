//! Every mail klachtd sends, rendered from the templates in templates/ (minijinja).
//!
//! A template's first line is `Subject: ...`, then a blank line, then the body. The
//! templates are compiled into the binary as defaults; files of the same name in
//! `[templates] dir` override them (the config reads them and hands their texts over), so
//! wording is edited without recompiling. The mail itself is formatted by mail-builder.
//! Pure: "now" is an argument, nothing is sent from here.

use chrono::{DateTime, NaiveDate, Utc};
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address as MailAddress;
use mail_builder::headers::raw::Raw;
use minijinja::{Environment, Value, context};
use serde::{Deserialize, Serialize};

use crate::cases::Case;
use crate::domain::{
    CaseNumber, Category, Enclosure, LOOP_HEADER, Language, LetterKind, Outgoing, content_hash,
};
use crate::rules::{self, ZONE};

/// The built-in templates (the files in templates/ at build time).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "not_processed.txt",
        include_str!("../../templates/not_processed.txt"),
    ),
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
    (
        "invitation.txt",
        include_str!("../../templates/invitation.txt"),
    ),
    (
        "information.txt",
        include_str!("../../templates/information.txt"),
    ),
    (
        "owner_confirmation.txt",
        include_str!("../../templates/owner_confirmation.txt"),
    ),
    (
        "owner_refusal.txt",
        include_str!("../../templates/owner_refusal.txt"),
    ),
    (
        "owner_help.txt",
        include_str!("../../templates/owner_help.txt"),
    ),
];

/// The built-in English letters to the complainant (templates/en/): the same letters with
/// the same content, for a complaint written in English. The owner's mails stay Dutch.
const BUILT_IN_EN: &[(&str, &str)] = &[
    (
        "en/not_processed.txt",
        include_str!("../../templates/en/not_processed.txt"),
    ),
    (
        "en/acknowledgement.txt",
        include_str!("../../templates/en/acknowledgement.txt"),
    ),
    (
        "en/request_information.txt",
        include_str!("../../templates/en/request_information.txt"),
    ),
    (
        "en/late_reply.txt",
        include_str!("../../templates/en/late_reply.txt"),
    ),
    (
        "en/report.txt",
        include_str!("../../templates/en/report.txt"),
    ),
    (
        "en/extension.txt",
        include_str!("../../templates/en/extension.txt"),
    ),
    (
        "en/decision.txt",
        include_str!("../../templates/en/decision.txt"),
    ),
    (
        "en/withdrawal.txt",
        include_str!("../../templates/en/withdrawal.txt"),
    ),
    (
        "en/closure.txt",
        include_str!("../../templates/en/closure.txt"),
    ),
    (
        "en/late_accepted.txt",
        include_str!("../../templates/en/late_accepted.txt"),
    ),
    (
        "en/late_declined.txt",
        include_str!("../../templates/en/late_declined.txt"),
    ),
    (
        "en/information_reminder.txt",
        include_str!("../../templates/en/information_reminder.txt"),
    ),
    (
        "en/invitation.txt",
        include_str!("../../templates/en/invitation.txt"),
    ),
    (
        "en/information.txt",
        include_str!("../../templates/en/information.txt"),
    ),
];

/// The file names of the templates, one per [`LetterKind`].
pub fn template_name(kind: LetterKind) -> String {
    format!("{}.txt", kind.key())
}

/// The file name of the template of `kind` in `language`: English letters to the
/// complainant live in `en/`; everything else is Dutch.
pub fn template_name_in(kind: LetterKind, language: Language) -> String {
    match language {
        Language::English if kind.to_complainant() => format!("en/{}", template_name(kind)),
        _ => template_name(kind),
    }
}

/// The kind of a letter to the complainant whose subject holds the subject line of a
/// built-in template (Dutch or English; the longest such line wins: "Uw klacht is
/// ontvangen" is also the start of the request for information's). `klachtd rebuild`
/// knows a letter by it when its Message-ID does not say.
pub fn kind_by_subject(subject: &str) -> Option<LetterKind> {
    LetterKind::ALL
        .into_iter()
        .filter(|k| k.to_complainant())
        .flat_map(|kind| {
            [Language::Dutch, Language::English]
                .into_iter()
                .map(move |language| (kind, template_name_in(kind, language)))
        })
        .filter_map(|(kind, name)| {
            let (_, text) = BUILT_IN
                .iter()
                .chain(BUILT_IN_EN)
                .find(|(n, _)| *n == name)?;
            let line = text.lines().next()?.strip_prefix("Subject:")?.trim();
            (!line.contains("{{") && !line.is_empty() && subject.contains(line))
                .then_some((line.len(), kind))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

/// The independent complaints commission of art. 5.2: named in decision letters.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Commission {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
}

/// What the letter writer needs to know, handed down by the config.
#[derive(Debug, Clone)]
pub struct LetterSettings {
    /// The sender of every letter, `Name <address>` or a bare address.
    pub from: String,
    pub owner_name: String,
    pub owner_addresses: Vec<String>,
    pub company: String,
    pub commission: Commission,
    pub calendar: rules::calendar::CalendarConfig,
    /// Templates that override the built-in ones: (file name, text).
    pub overrides: Vec<(String, String)>,
}

/// A sender or recipient, checked to be a deliverable address.
#[derive(Debug, Clone)]
struct Party {
    name: Option<String>,
    address: String,
}

impl Party {
    fn new(name: Option<String>, address: &str) -> Result<Party, LetterError> {
        let address = address.trim();
        if !email_address::EmailAddress::is_valid(address) || address.contains(['<', '>']) {
            return Err(LetterError::Address(address.to_string()));
        }
        Ok(Party {
            // A name that could break the header (or a terminal) is left out, not mended.
            name: name.filter(|n| {
                !n.trim().is_empty()
                    && !n.contains(['<', '>', '"'])
                    && !n.chars().any(char::is_control)
            }),
            address: address.to_string(),
        })
    }

    /// `Name <address>` or a bare address, as in `[smtp] from`.
    fn parse(text: &str) -> Result<Party, LetterError> {
        let bad = || LetterError::Address(text.to_string());
        match text.rsplit_once('<') {
            Some((name, rest)) => {
                let address = rest.trim().strip_suffix('>').ok_or_else(bad)?;
                let name = name.trim().trim_matches('"').trim();
                Party::new(Some(name.to_string()), address).map_err(|_| bad())
            }
            None => Party::new(None, text).map_err(|_| bad()),
        }
    }

    fn domain(&self) -> &str {
        self.address.rsplit_once('@').map_or("", |(_, d)| d)
    }

    fn header(&self) -> MailAddress<'static> {
        MailAddress::new_address(self.name.clone(), self.address.clone())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("address {0:?} is not usable")]
    Address(String),
    #[error("formatting the mail: {0}")]
    Build(String),
}

/// What ends a mail to the owner: given the case (None: the digest) and a number that
/// tells this mail from others of the case, the text to append to the body (the
/// commands by mail and a token) and the token, which the subject carries too (a reply
/// keeps the subject even when it quotes nothing); `procedure::owner::footer`, wired in
/// by the glue.
pub type OwnerFooter = dyn Fn(Option<&Case>, u64, DateTime<Utc>) -> (String, String) + Send + Sync;

/// What a letter carries besides its template: the mail it answers (its thread) and an
/// attached mail (message/rfc822).
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    /// The Message-ID the letter replies to (In-Reply-To, References).
    pub in_reply_to: Option<&'a str>,
    /// A mail attached as it was received.
    pub attached_mail: Option<&'a [u8]>,
    /// Files attached as they are.
    pub enclosures: &'a [Enclosure],
    /// A letter to a sender who has no case (a mail over a limit): the address and the
    /// language to write in.
    pub sender: Option<(&'a str, Language)>,
}

/// The letter writer: templates plus who we are.
pub struct Letters {
    env: Environment<'static>,
    from: Party,
    owner_name: String,
    owners: Vec<String>,
    company: String,
    commission: Commission,
    calendar: rules::calendar::Calendar,
    owner_footer: Option<Box<OwnerFooter>>,
}

impl std::fmt::Debug for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Letters")
            .field("from", &self.from)
            .field("owner_footer", &self.owner_footer.is_some())
            .finish_non_exhaustive()
    }
}

/// The mails to the owner that end with the commands by mail: those about a case, and
/// the digest.
fn actionable(kind: LetterKind) -> bool {
    matches!(
        kind,
        LetterKind::OwnerNewCase
            | LetterKind::OwnerFollowUp
            | LetterKind::OwnerSetAside
            | LetterKind::OwnerSendFailed
            | LetterKind::OwnerReminder
            | LetterKind::OwnerAcknowledgementAlert
            | LetterKind::OwnerDigest
            | LetterKind::OwnerConfirmation
    )
}

impl Letters {
    /// Takes the templates (built in, overridden by `settings.overrides`) and checks each
    /// renders with a sample case.
    pub fn new(settings: &LetterSettings) -> Result<Letters, LetterError> {
        let mut env = Environment::new();
        let overrides = settings.overrides.clone();
        env.set_loader(move |name| {
            Ok(overrides
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .chain(BUILT_IN.iter().copied())
                .chain(BUILT_IN_EN.iter().copied())
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string()))
        });
        env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
        env.add_filter("datum", |d: String| dutch_date_str(&d));
        env.add_filter("en_date", |d: String| english_date_str(&d));
        let letters = Letters {
            env,
            from: Party::parse(&settings.from)?,
            owner_name: settings.owner_name.clone(),
            owners: settings.owner_addresses.clone(),
            company: settings.company.clone(),
            commission: settings.commission.clone(),
            calendar: rules::calendar::Calendar::new(&settings.calendar),
            owner_footer: None,
        };
        letters.check()?;
        Ok(letters)
    }

    /// Every mail to the owner about a case (and the digest) ends with `footer`'s text:
    /// the commands she can give by mail, with a token.
    pub fn with_owner_footer(mut self, footer: Box<OwnerFooter>) -> Letters {
        self.owner_footer = Some(footer);
        self
    }

    /// Renders every template once with a sample case, so a broken edit is found at start.
    fn check(&self) -> Result<(), LetterError> {
        let mut case = sample_case();
        let now = case.received;
        for language in [Language::Dutch, Language::English] {
            case.language = language;
            for kind in LetterKind::ALL {
                self.write(kind, Some(&case), sample_context(), now)?;
            }
        }
        Ok(())
    }

    /// The independent commission of art. 5.2, as configured.
    pub fn commission(&self) -> &Commission {
        &self.commission
    }

    fn domain(&self) -> &str {
        self.from.domain()
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
        self.write_with(kind, case, extra, now, Extras::default())
    }

    /// [`Letters::write`], with a thread to answer and a mail to attach.
    pub fn write_with(
        &self,
        kind: LetterKind,
        case: Option<&Case>,
        extra: Value,
        now: DateTime<Utc>,
        extras: Extras<'_>,
    ) -> Result<Outgoing, LetterError> {
        let to_complainant = kind.to_complainant();
        // A complainant who wrote in English is written to in English; the owner in Dutch.
        let language = match (case, extras.sender) {
            (Some(c), _) if to_complainant => c.language,
            (None, Some((_, language))) if to_complainant => language,
            _ => Language::Dutch,
        };
        let ctx = context! {
            company => self.company,
            owner_name => self.owner_name,
            commission => Value::from_serialize(&self.commission),
            case => case.map(|c| self.case_view(c, language)),
            ..extra
        };
        let name = template_name_in(kind, language);
        let terr = |e: minijinja::Error| LetterError::Template {
            name: name.clone(),
            message: format!("{e:#}"),
        };
        let text = self
            .env
            .get_template(&name)
            .and_then(|t| t.render(ctx))
            .map_err(terr)?;
        let (mut subject, mut body) =
            split_subject(&text).ok_or_else(|| LetterError::Template {
                name: name.clone(),
                message: "the first line must be `Subject: ...`".into(),
            })?;
        if let Some(footer) = self.owner_footer.as_ref().filter(|_| actionable(kind)) {
            let nonce = case.map_or(now.timestamp().unsigned_abs(), |c| {
                (c.events.len() as u64) * 64 + kind as u64
            });
            let (text, code) = footer(case, nonce, now);
            subject = format!("{subject} [{code}]");
            // Above the signature line, so that it reads as part of the mail.
            body = match body.rfind("\n-- \n") {
                Some(i) => format!("{}\n\n{text}{}", &body[..i], &body[i..]),
                None => format!("{body}\n{text}"),
            };
        }
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
            // Not tied to a case: the content (and whom it answers) tells one such mail
            // from another.
            None => format!(
                "klachtd.{}.{}.{}@{}",
                kind.key(),
                &content_hash(
                    format!(
                        "{body}\0{}\0{}",
                        extras.sender.map_or("", |(to, _)| to),
                        extras.in_reply_to.unwrap_or_default()
                    )
                    .as_bytes()
                )[..16],
                now.timestamp_micros(),
                self.domain()
            ),
        };
        let mut builder = MessageBuilder::new()
            .from(self.from.header())
            .subject(subject)
            .message_id(message_id.clone())
            // The Date in Europe/Amsterdam (+0100 / +0200): mail-builder writes a UTC
            // timestamp only, so the header is written here (and mail-builder, seeing a
            // Date, adds none of its own).
            .header("Date", Raw::new(date_header(now)));
        if let Some(auto) = kind.auto_submitted() {
            builder = builder.header("Auto-Submitted", Raw::new(auto));
        }
        let loop_value = case.map_or_else(|| "owner".into(), |c| c.number.to_string());
        builder = builder.header(LOOP_HEADER, Raw::new(loop_value));
        let recipients: Vec<String> =
            if let (true, None, Some((address, _))) = (to_complainant, case, extras.sender) {
                let to = Party::new(None, address)?;
                builder = builder.to(to.header());
                if let Some(id) = extras.in_reply_to {
                    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
                    builder = builder
                        .in_reply_to(id.to_string())
                        .references(id.to_string());
                }
                vec![to.address]
            } else if to_complainant {
                let case = case.ok_or_else(|| LetterError::Address("no case".into()))?;
                let to = Party::new(case.fields.name.clone(), &case.reply_address)?;
                builder = builder.to(to.header());
                if let Some(last) = case.thread.last() {
                    builder = builder.in_reply_to(last.clone());
                }
                let references = thread_references(&case.thread);
                if !references.is_empty() {
                    builder = builder.references(references);
                }
                vec![to.address]
            } else {
                if let Some(id) = extras.in_reply_to {
                    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
                    builder = builder
                        .in_reply_to(id.to_string())
                        .references(id.to_string());
                }
                let owners = self
                    .owners
                    .iter()
                    .map(|o| Party::new(Some(self.owner_name.clone()), o).map(|p| p.header()))
                    .collect::<Result<Vec<_>, _>>()?;
                builder = builder.to(MailAddress::new_list(owners));
                self.owners.clone()
            };
        if let Some(mail) = extras.attached_mail {
            builder = builder.attachment("message/rfc822", "klacht.eml", mail.to_vec());
        }
        for e in extras.enclosures {
            builder =
                builder.attachment(e.content_type.clone(), e.filename.clone(), e.data.clone());
        }
        let raw = builder
            .text_body(body)
            .write_to_vec()
            .map_err(|e| LetterError::Build(e.to_string()))?;
        Ok(Outgoing {
            message_id,
            kind,
            case: case.map(|c| c.number),
            envelope_from: self.from.address.clone(),
            recipients,
            to_complainant,
            raw,
        })
    }

    /// What templates see of a case, its dates and names in `language`.
    fn case_view(&self, case: &Case, language: Language) -> Value {
        let d = rules::deadlines::deadlines(case.received, &self.calendar, case.extended_to);
        let date = |d: NaiveDate| match language {
            Language::Dutch => dutch_date(d),
            Language::English => english_date(d),
        };
        let dutch_date = date;
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
            category => case.category.map(|c| match language {
                Language::Dutch => category_label(c),
                Language::English => category_label_en(c),
            }),
            serious_words => case.serious_words,
            language => case.language,
            subject => case.subject,
            fields => Value::from_serialize(&case.fields),
            incident_date => case.fields.incident_date.map(dutch_date),
            missing => case
                .missing
                .iter()
                .map(|f| match language {
                    Language::Dutch => f.dutch(),
                    Language::English => f.english(),
                })
                .collect::<Vec<_>>(),
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
        refs.push(first.clone());
    }
    let tail = thread.len().saturating_sub(9).max(1);
    refs.extend(thread.iter().skip(tail).cloned());
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

/// The Date header's value: `now` in Europe/Amsterdam, RFC 5322
/// ("Tue, 1 Dec 2026 20:03:48 +0100").
pub fn date_header(now: DateTime<Utc>) -> String {
    now.with_timezone(&ZONE).to_rfc2822()
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "3 November 2026".
pub fn english_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        d.day(),
        MONTHS_EN[d.month0() as usize],
        d.year()
    )
}

/// A date as the templates get it ("2026-11-03" or "3 november 2026") in English.
fn english_date_str(s: &str) -> String {
    if let Ok(d) = s.parse::<NaiveDate>() {
        return english_date(d);
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if let [day, month, year] = words.as_slice()
        && let Some(m) = MONTHS.iter().position(|n| n.eq_ignore_ascii_case(month))
    {
        return format!("{day} {} {year}", MONTHS_EN[m]);
    }
    s.to_string()
}

/// How letters name a category of art. 1, in English.
pub fn category_label_en(category: Category) -> &'static str {
    use Category::*;
    match category {
        Organisation => "the organisation of the training",
        Content => "the content of the training",
        Delivery => "the way the training was given",
        Assessment => "the assessment",
        SexualHarassment => "sexual harassment",
        Discrimination => "discrimination",
        Aggression => "aggression",
        Violence => "violence",
        Bullying => "bullying",
        Intimidation => "intimidation",
    }
}

/// How letters name a category of art. 1, in Dutch.
pub fn category_label(category: Category) -> &'static str {
    use Category::*;
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
        at => "12 januari 2027", time => "14:00", done => "notitie",
        refused => 0, letter_missing => false, received_at => "2 november 2026 om 14:05", next_deadline => "beslissing uiterlijk 3 december 2026",
    }
}

/// Settings as a deployment has them, with a commission: for tests.
pub fn sample_settings() -> LetterSettings {
    LetterSettings {
        from: "Klachten numun <klacht@numun.nl>".into(),
        owner_name: "Fatima Ait Takassit".into(),
        owner_addresses: vec!["eigenaar@numun.nl".into()],
        company: "numun".into(),
        commission: Commission {
            name: "Onafhankelijke Klachtencommissie".into(),
            address: "Postbus 1, 3500 AA Utrecht".into(),
            email: "info@commissie.example".into(),
            website: "https://commissie.example".into(),
        },
        calendar: rules::calendar::CalendarConfig::default(),
        overrides: Vec::new(),
    }
}

/// A complete case, used to check the templates at start and in tests.
pub fn sample_case() -> Case {
    use crate::cases::State;
    use crate::domain::Fields;
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

#[cfg(test)]
mod tests;
