//! What an incoming mail does to the cases: a new complaint opens a case and is answered
//! at once (art. 4.1), a follow-up fills what was missing and may complete the case. A
//! mail that names a case but does not come from its complainant changes nothing: a case
//! number is public knowledge.
//! Pure: the case number, the arrival time and "now" are inputs.

use chrono::{DateTime, Utc};
use minijinja::context;

use crate::cases::{Actor, Case, Change, Direction, Event, EventKind, MailRef, State};
use crate::domain::CaseNumber;
use crate::domain::Fields;
use crate::domain::Language;
use crate::domain::{LetterKind, Outgoing};
use crate::intake::{Submission, UnreadSender};
use crate::letters::{Extras, LetterError, Letters, dutch_date, english_date};
use crate::rules::{self, Field, Window};

/// One incoming mail, stored under `hash` (its SHA-256, hex).
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub submission: &'a Submission,
    pub hash: &'a str,
    pub arrived: DateTime<Utc>,
    /// Whether the sender may get an automatic answer (loop protection: the registry
    /// counts the answers to one address per day).
    pub answer: Answer,
    /// The mail as it was received: attached to the owner's notice of a new case.
    pub raw: &'a [u8],
}

/// May a new mail be answered automatically?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    /// No: the sender reached the daily cap of automatic answers. `tell_owner`: this is
    /// the first such mail today, so the owner's notice says so; after it, nothing.
    Withheld {
        cap: usize,
        tell_owner: bool,
    },
}

impl Incoming<'_> {
    fn mail_ref(&self) -> MailRef {
        MailRef {
            hash: self.hash.to_string(),
            message_id: self.submission.message.message_id.clone(),
            received: self.arrived,
            direction: Direction::In,
            subject: self.submission.message.subject.clone(),
        }
    }
}

/// Where the complainant is written to: the original sender of a forwarded complaint,
/// else Reply-To, else From. Never an address merely named in the text: a wrong guess
/// would send a confidential letter to a stranger.
pub fn reply_address(sub: &Submission) -> String {
    let m = &sub.message;
    m.forwarded
        .as_ref()
        .and_then(|f| f.from.as_ref())
        .or(m.reply_to.as_ref())
        .or(m.from.as_ref())
        .map(|a| a.address.trim().to_string())
        .unwrap_or_default()
}

/// The short answer to the sender of a mail that went over a limit and was set aside
/// (issue 10.4): a mail received at `arrived` could not be processed automatically and
/// the owner will look at it personally. Nothing of the mail is in it (no subject, no
/// name); threaded to its Message-ID when that could be read.
pub fn not_processed(
    sender: &UnreadSender,
    arrived: DateTime<Utc>,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Outgoing, LetterError> {
    let local = arrived.with_timezone(&rules::ZONE);
    let time = local.format("%H:%M");
    let received_at = match sender.language {
        Language::Dutch => format!("{} om {time}", dutch_date(local.date_naive())),
        Language::English => format!("{} at {time}", english_date(local.date_naive())),
    };
    letters.write_with(
        LetterKind::NotProcessed,
        None,
        context! { received_at },
        now,
        Extras {
            in_reply_to: sender.message_id.as_deref(),
            sender: Some((&sender.address, sender.language)),
            ..Extras::default()
        },
    )
}

/// The addresses of the complainant's own mail: its From and Reply-To, or, for a
/// forwarded complaint, the original sender (the forwarder is not the complainant).
fn complainant_addresses(sub: &Submission) -> Vec<String> {
    let m = &sub.message;
    let named = match m.forwarded.as_ref().and_then(|f| f.from.as_ref()) {
        Some(original) => vec![original],
        None => m.from.iter().chain(m.reply_to.iter()).collect(),
    };
    let mut out: Vec<String> = Vec::new();
    for a in named {
        let a = a.address.trim();
        if !a.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(a)) {
            out.push(a.to_string());
        }
    }
    out
}

/// The letter a case gets in its current state, if any: the 1-month rule for a late
/// complaint, a request for what is missing, or the acknowledgement.
fn answer_for(case: &Case) -> LetterKind {
    if case.window == Window::Late {
        LetterKind::LateReply
    } else if !case.missing.is_empty() || case.window == Window::Unknown {
        LetterKind::RequestInformation
    } else {
        LetterKind::Acknowledgement
    }
}

fn state_for(letter: LetterKind) -> State {
    match letter {
        LetterKind::LateReply => State::Late,
        LetterKind::RequestInformation => State::AwaitingInformation,
        _ => State::Acknowledged,
    }
}

/// Queues `letter` to the complainant, recording it in the case's log and thread, and
/// returns whether it was queued. A case without a usable address gets no letter but a
/// note in its log (the owner's notification and the CLI say so): the one place where a
/// letter to the complainant is written.
pub fn answer(
    case: &mut Case,
    letter: LetterKind,
    extra: minijinja::Value,
    letters: &Letters,
    now: DateTime<Utc>,
    out: &mut Vec<Outgoing>,
) -> Result<bool, LetterError> {
    answer_with(case, letter, extra, letters, now, out, &[])
}

/// [`answer`], with files attached to the letter.
pub fn answer_with(
    case: &mut Case,
    letter: LetterKind,
    extra: minijinja::Value,
    letters: &Letters,
    now: DateTime<Utc>,
    out: &mut Vec<Outgoing>,
    enclosures: &[crate::domain::Enclosure],
) -> Result<bool, LetterError> {
    let local = case.reply_address.rsplit_once('@').map_or("", |(l, _)| l);
    if let Some(kind) = crate::intake::classify::robot_address(&local.to_ascii_lowercase()) {
        // A relayed web form, say: nobody reads that address, and it could answer back.
        case.events.push(Event {
            at: now,
            actor: Actor::System,
            kind: EventKind::Note,
            detail: Some(format!(
                "the reply address is a {kind} address: the {} was not sent; send it another way",
                letter.key()
            )),
        });
        return Ok(false);
    }
    let extras = crate::letters::Extras {
        enclosures,
        ..Default::default()
    };
    match letters.write_with(letter, Some(case), extra, now, extras) {
        Ok(mail) => {
            record_sent(case, &mail, now);
            out.push(mail);
            Ok(true)
        }
        Err(LetterError::Address(_)) => {
            case.events.push(Event {
                at: now,
                actor: Actor::System,
                kind: EventKind::Note,
                detail: Some(format!(
                    "no usable address: the {} was not sent; send it another way",
                    letter.key()
                )),
            });
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Logs an outgoing mail on its case (and threads it, for letters to the complainant).
pub fn record_sent(case: &mut Case, mail: &Outgoing, now: DateTime<Utc>) {
    let kind = if mail.to_complainant {
        case.thread.push(mail.message_id.clone());
        case.mails.push(MailRef {
            hash: mail.message_id.clone(),
            message_id: Some(mail.message_id.clone()),
            received: now,
            direction: Direction::Out,
            subject: mail.kind.key().to_string(),
        });
        EventKind::Answered {
            letter: mail.kind.key().to_string(),
            message_id: mail.message_id.clone(),
        }
    } else {
        EventKind::OwnerNotified {
            message_id: mail.message_id.clone(),
        }
    };
    case.events.push(Event {
        at: now,
        actor: Actor::System,
        kind,
        detail: None,
    });
}

/// A new complaint: a case numbered `number`, answered at once, the owner notified.
pub fn open_case(
    number: CaseNumber,
    mail: Incoming<'_>,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    let sub = mail.submission;
    let mut case = Case {
        sent_date: sub.sent_date,
        fields: sub.fields.clone(),
        missing: sub.missing.clone(),
        window: sub.window,
        category: sub.category,
        serious: sub.serious,
        serious_words: sub.serious_words.clone(),
        // the language of the complaint, kept for every later letter
        language: sub.language,
        subject: sub.message.subject.clone(),
        thread: sub.message.message_id.iter().cloned().collect(),
        mails: vec![mail.mail_ref()],
        events: vec![Event {
            at: now,
            actor: Actor::Complainant,
            kind: EventKind::Received {
                mail: mail.hash.to_string(),
            },
            detail: None,
        }],
        complainant_addresses: complainant_addresses(sub),
        ..Case::new(number, mail.arrived, reply_address(sub))
    };
    let mut outgoing = Vec::new();
    let letter = answer_for(&case);
    let (withheld, tell_owner) = match mail.answer {
        Answer::Yes => {
            answer(&mut case, letter, context! {}, letters, now, &mut outgoing)?;
            (None, true)
        }
        Answer::Withheld { cap, tell_owner } => {
            case.events.push(Event {
                at: now,
                actor: Actor::System,
                kind: EventKind::Note,
                detail: Some(format!(
                    "no automatic {}: more than {cap} automatic answers to this address today (loop protection)",
                    letter.key()
                )),
            });
            (Some(cap), tell_owner)
        }
    };
    case.set_state(state_for(letter), now, Actor::System);
    if tell_owner {
        // The complainant's mail as it was sent, so the owner can read it on her phone.
        let extras = crate::letters::Extras {
            attached_mail: Some(mail.raw),
            ..Default::default()
        };
        let notice = letters.write_with(
            LetterKind::OwnerNewCase,
            Some(&case),
            context! { withheld },
            now,
            extras,
        )?;
        record_sent(&mut case, &notice, now);
        outgoing.push(notice);
    }
    Ok(Change {
        case: Some(case),
        new_case: true,
        outgoing,
        marks: Vec::new(),
    })
}

/// Fills the fields that were missing from `update`; returns which ones it filled. What
/// the case already holds is never overwritten by a later mail.
fn fill(fields: &mut Fields, update: &Fields) -> Vec<Field> {
    let mut filled = Vec::new();
    let mut take = |slot: &mut Option<String>, new: &Option<String>, field: Field| {
        if slot.as_deref().is_none_or(|s| s.trim().is_empty())
            && let Some(v) = new.as_ref().filter(|v| !v.trim().is_empty())
        {
            *slot = Some(v.clone());
            filled.push(field);
        }
    };
    take(&mut fields.name, &update.name, Field::Name);
    take(&mut fields.address, &update.address, Field::Address);
    take(&mut fields.phone, &update.phone, Field::Phone);
    take(&mut fields.email, &update.email, Field::Email);
    take(&mut fields.service, &update.service, Field::Service);
    take(
        &mut fields.description,
        &update.description,
        Field::Description,
    );
    filled.sort();
    filled
}

/// A mail from the complainant about an existing case.
pub fn follow_up(
    mut case: Case,
    mail: Incoming<'_>,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    let sub = mail.submission;
    let sender = sub.message.from.as_ref().map(|a| a.address.trim());
    if !sender.is_some_and(|s| case.is_complainant(s)) {
        return third_party(case, mail, sender.unwrap_or_default(), letters, now);
    }
    if let Some(id) = &sub.message.message_id {
        case.thread.push(id.clone());
    }
    case.mails.push(mail.mail_ref());
    let mut outgoing = Vec::new();
    let mut filled = Vec::new();
    let mut acknowledged = false;
    let closed = !case.state.is_open();
    if !closed {
        filled = fill(&mut case.fields, &sub.fields);
        let date_learned =
            case.fields.incident_date.is_none() && sub.fields.incident_date.is_some();
        if date_learned {
            // The window runs to the dagtekening of the complaint, not of this reply.
            case.fields.incident_date = sub.fields.incident_date;
            case.window = rules::window(case.fields.incident_date, case.sent_date);
        }
        case.missing = rules::missing(&case.fields);
        case.events.push(Event {
            at: now,
            actor: Actor::Complainant,
            kind: EventKind::FollowUp {
                mail: mail.hash.to_string(),
                filled: filled.clone(),
            },
            detail: date_learned.then(|| "incident date given".to_string()),
        });
        if case.state == State::AwaitingInformation && (!filled.is_empty() || date_learned) {
            // Deadlines keep counting from the original receipt (ARCHITECTURE.md).
            let letter = answer_for(&case);
            answer(&mut case, letter, context! {}, letters, now, &mut outgoing)?;
            case.set_state(state_for(letter), now, Actor::System);
            acknowledged = letter == LetterKind::Acknowledgement;
        }
    } else {
        case.events.push(Event {
            at: now,
            actor: Actor::Complainant,
            kind: EventKind::FollowUp {
                mail: mail.hash.to_string(),
                filled: Vec::new(),
            },
            detail: Some("the case is closed: not reopened".into()),
        });
    }
    let filled_names: Vec<&str> = filled.iter().map(|f| f.dutch()).collect();
    let notice = letters.write(
        LetterKind::OwnerFollowUp,
        Some(&case),
        context! { filled => filled_names, acknowledged, closed },
        now,
    )?;
    record_sent(&mut case, &notice, now);
    outgoing.push(notice);
    Ok(Change {
        case: Some(case),
        new_case: false,
        outgoing,
        marks: Vec::new(),
    })
}

/// A mail about the case from someone who is not its complainant: kept on the case as
/// evidence, no field changed, nothing sent to the complainant (nor to the sender: it
/// would confirm to a stranger that the case exists); the owner is told who wrote.
fn third_party(
    mut case: Case,
    mail: Incoming<'_>,
    sender: &str,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    case.mails.push(mail.mail_ref());
    case.events.push(Event {
        at: now,
        actor: Actor::System,
        kind: EventKind::ThirdParty {
            mail: mail.hash.to_string(),
        },
        detail: Some(if sender.is_empty() {
            "(no sender)".to_string()
        } else {
            sender.to_string()
        }),
    });
    let shown = if sender.is_empty() {
        "een onbekende afzender"
    } else {
        sender
    };
    let notice = letters.write(
        LetterKind::OwnerFollowUp,
        Some(&case),
        context! { third_party => shown, closed => !case.state.is_open() },
        now,
    )?;
    record_sent(&mut case, &notice, now);
    Ok(Change {
        case: Some(case),
        new_case: false,
        outgoing: vec![notice],
        marks: Vec::new(),
    })
}

/// An automatic mail about one of the case's letters (`letter`, `letter_id`): kept on the
/// case, never answered. A delivery failure is news for the owner at once (a letter that
/// did not arrive does not count: a bounced acknowledgement does not meet art. 4.1); an
/// out-of-office reply is recorded with its subject, which often says until when.
pub fn robot_reply(
    mut case: Case,
    mail: Incoming<'_>,
    undelivered: bool,
    letter: LetterKind,
    letter_id: &str,
    letters: &Letters,
    now: DateTime<Utc>,
) -> Result<Change, LetterError> {
    case.mails.push(mail.mail_ref());
    let mut outgoing = Vec::new();
    if undelivered {
        case.events.push(Event {
            at: now,
            actor: Actor::System,
            kind: EventKind::Undelivered {
                mail: mail.hash.to_string(),
                letter: letter_id.to_string(),
            },
            detail: Some(letter.key().to_string()),
        });
        let reason = format!(
            "de {} is teruggestuurd door de mailserver van de ontvanger: niet afgeleverd",
            letter.key()
        );
        let notice = letters.write(
            LetterKind::OwnerSendFailed,
            Some(&case),
            context! { reason, letter => letter.key() },
            now,
        )?;
        record_sent(&mut case, &notice, now);
        outgoing.push(notice);
    } else {
        case.events.push(Event {
            at: now,
            actor: Actor::System,
            kind: EventKind::AutoReply {
                mail: mail.hash.to_string(),
            },
            detail: Some(mail.submission.message.subject.clone()),
        });
    }
    Ok(Change {
        case: Some(case),
        new_case: false,
        outgoing,
        marks: Vec::new(),
    })
}
