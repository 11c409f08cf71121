//! From one raw mail to a [`Submission`]: parse, classify, extract, validate.
//!
//! Pure: no IO, no async, no clock. Never panics on input: a mail that cannot be read
//! at all is a [`NotAMail`] error with a reason, everything else becomes a submission.

pub mod classify;
pub mod dates;
pub mod extract;
mod language;
pub mod limits;
pub mod parse;
pub mod pattern;
mod unread;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use classify::{Class, Classification, OwnIdentity};
pub use extract::{Lexicon, LexiconEntry, ServiceCatalogue};
pub use parse::{Address, Attachment, Forwarded, Message, NotAMail, Unread};
pub use unread::{UnreadSender, sender_of_unread};

use crate::domain::{Category, Fields, Language};
use crate::rules::{self, Window};

/// What intake needs to know besides the mail itself.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub own: OwnIdentity,
    pub catalogue: ServiceCatalogue,
    pub limits: limits::Limits,
    /// The words of serious behaviour (built in, plus the owner's).
    pub lexicon: Lexicon,
}

/// A mail after intake: everything the case logic needs to decide what to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    pub message: Message,
    pub classification: Classification,
    pub fields: Fields,
    pub category: Option<Category>,
    pub serious: bool,
    /// The dagtekening (art. 3.2b): the Date header's day in Europe/Amsterdam, or the
    /// day the mail arrived when the header is missing or implausible.
    pub sent_date: NaiveDate,
    pub missing: Vec<rules::Field>,
    pub window: Window,
    /// Read offline, the mail says neither when it was written (Date) nor when it
    /// arrived (Received): `sent_date` is then only the reader's today and the window
    /// is unknown. Never so in the daemon, which knows the arrival.
    #[serde(default)]
    pub undated: bool,
    /// The language the complaint is written in: its letters are written in it.
    #[serde(default)]
    pub language: Language,
    /// Why the serious flag was raised: the words of the lexicon the text matched.
    #[serde(default)]
    pub serious_words: Vec<String>,
}

/// When the mail arrived, as far as the caller knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// The mailbox says so (the daemon).
    At(DateTime<Utc>),
    /// A file read offline (`klachtd check`): the newest Received header tells, else the
    /// Date header, else `now` (and the submission is `undated`).
    Unknown { now: DateTime<Utc> },
}

/// A made-up complaint the daemon reads once before its first mail: the reader's
/// patterns are compiled on first use, and that compiling must not count against the
/// first real mail's `[limits] seconds_per_mail`.
pub const WARM_UP: &[u8] = b"From: Jan Jansen <jan@example.nl>\r\nTo: klacht@example.nl\r\n\
Subject: Klacht over de training\r\nDate: Mon, 16 Nov 2026 09:00:00 +0100\r\n\
Message-ID: <warm-up@example.nl>\r\n\r\nGeachte heer/mevrouw,\r\n\r\n\
Op dinsdag 10 november heb ik de training gevolgd. De trainer kwam een uur te laat en \
het lokaal was te koud. Hoe kan ik een klacht indienen?\r\n\r\n\
Met vriendelijke groet,\r\nJan Jansen\r\nKerkstraat 12\r\n1234 AB Utrecht\r\n\
06-12345678\r\n";

/// Runs the whole pure pipeline on one raw mail.
pub fn read(raw: &[u8], arrival: Arrival, ctx: &Context) -> Result<Submission, NotAMail> {
    Ok(read_checked(raw, arrival, ctx)?)
}

/// [`read`], telling a mail over a limit from one that is no mail at all.
pub fn read_checked(raw: &[u8], arrival: Arrival, ctx: &Context) -> Result<Submission, Unread> {
    // Before anything parses it: a mail over a limit is read no further (the caller keeps
    // it whole and sets it aside with the reason).
    limits::check(raw, &ctx.limits)?;
    let message = parse::parse_within(raw, &ctx.limits)?;
    let undated = matches!(arrival, Arrival::Unknown { .. })
        && message.received.is_none()
        && message.date.is_none();
    let arrived = match arrival {
        Arrival::At(at) => at,
        Arrival::Unknown { now } => message
            .received
            .or(message.date)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or(now),
    };
    let sent_date = rules::sent_date(message.date, arrived);
    let classification = classify::classify(&message, &ctx.own);
    if classification.class == Class::Automated {
        return Ok(Submission {
            message,
            classification,
            fields: Fields::default(),
            category: None,
            serious: false,
            sent_date,
            missing: Vec::new(),
            window: Window::Unknown,
            undated,
            language: Language::Dutch,
            serious_words: Vec::new(),
        });
    }
    let mut extraction = extract::extract_with(&message, &ctx.catalogue, &ctx.lexicon, sent_date);
    if classification.class == Class::FollowUp {
        // a reply that gives details, withdraws or asks describes nothing of the case
        let told = extraction.fields.description.take();
        extraction.fields.description = told.filter(|d| extract::follow_up_tells(d));
    }
    let missing = rules::missing(&extraction.fields);
    let window = match extraction.incident_period {
        _ if undated => Window::Unknown,
        Some((first, last)) => rules::window_of_period(first, last, sent_date),
        None => rules::window(extraction.fields.incident_date, sent_date),
    };
    let language = language::language(&[
        extraction.fields.description.as_deref().unwrap_or_default(),
        &extraction.body,
    ]);
    Ok(Submission {
        message,
        classification,
        fields: extraction.fields,
        category: extraction.category,
        serious: extraction.serious,
        sent_date,
        missing,
        window,
        undated,
        language,
        serious_words: extraction.serious_words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The warm-up mail goes through every part of the reader: a complaint whose fields
    /// are all found, so the patterns of each field are compiled by it.
    #[test]
    fn the_warm_up_mail_is_read_as_a_whole_complaint() {
        let now = "2026-11-20T10:00:00Z".parse().unwrap();
        let read = read(WARM_UP, Arrival::At(now), &Context::default()).unwrap();
        assert_eq!(read.fields.name.as_deref(), Some("Jan Jansen"));
        assert!(read.fields.address.is_some() && read.fields.phone.is_some());
        assert!(read.fields.description.is_some() && read.fields.incident_date.is_some());
    }
}
