//! The register of complaints: takes each incoming mail into the store as a new case, a
//! follow-up, automated mail or mail set aside, in one durable change; the owner's
//! actions, the send loop's records and what the CLI reads, likewise. The glue between
//! the pure core (intake, procedure, letters) and the store; no mailbox or network here.
//!
//! Its users get operations, not its parts: what a job needs for the whole of it (the
//! scheduler's tick: the store, the letters, the calendar) is handed to that job by
//! whoever made the [`Parts`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::cases::{Case, Change};
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::CaseNumber;
use crate::domain::content_hash;
use crate::intake::classify::{self, Robot};
use crate::intake::{self, Arrival, Class, Submission, Unread};
use crate::letters::{LetterError, Letters};
use crate::mailbox;
use crate::mailbox::imap::SyncState;
use crate::procedure::actions::{Action, ActionError, apply};
use crate::procedure::alerts;
use crate::procedure::mail::{Answer, Incoming, follow_up, open_case, reply_address, robot_reply};
use crate::rules::ZONE;
use crate::rules::calendar::{Calendar, local_date};
use crate::store::keys::{FIRST_START, SYNC_STATE, answer_cap_mark, answer_mark, answer_prefix};
mod owner;
mod stuck;
mod unread;
pub use unread::ReadFailed;

use crate::store::{
    Committed, Disposition, IndexKey, MailIn, MailRecord, QueuedMail, Store, StoreError, Tombstone,
};

/// What became of one incoming mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    NewCase(CaseNumber),
    FollowUp(CaseNumber),
    /// A mail from the owner: her command carried out (about the case, if any), or a
    /// mail without a command (kept, answered with help at most once a day).
    OwnerCommand(Option<CaseNumber>),
    /// Kept, never answered; the reason names the signal.
    Automated(String),
    /// Kept; the owner was told why.
    SetAside(String),
    /// Seen before (same bytes or Message-ID): nothing happened.
    Duplicate(MailRecord),
}

impl Registered {
    /// Where the mail goes in the mailbox.
    pub fn folder(&self) -> mailbox::Folder {
        match self {
            Registered::SetAside(_) => mailbox::Folder::SetAside,
            Registered::Duplicate(r) if r.disposition == Disposition::SetAside => {
                mailbox::Folder::SetAside
            }
            _ => mailbox::Folder::Processed,
        }
    }
}

impl Registered {
    /// What a commit made of a mail: `done` when it went through, the earlier record
    /// when the mail had been seen before.
    fn after(committed: Committed, done: Registered) -> Registered {
        match committed {
            Committed::Done(_) => done,
            Committed::Duplicate(r) => Registered::Duplicate(r),
        }
    }
}

/// Why a mail or an action could not be made durable: the store failed, or a letter
/// could not be written. Nothing was written either way.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("letter: {0}")]
    Letter(#[from] LetterError),
    /// The owner's action is not allowed (the reason is for the owner).
    #[error(transparent)]
    Refused(#[from] ActionError),
}

/// What the daemon's jobs share, made from the config once: the store, the letter writer
/// and the working-day calendar. The registry is built on them; the scheduler's tick is
/// handed them.
pub struct Parts {
    pub store: Arc<Store>,
    pub letters: Arc<Letters>,
    pub calendar: Calendar,
    /// The owner's commands by mail, when `[owner_commands]` is enabled, and her
    /// addresses.
    pub owner: Option<Arc<owner::OwnerMail>>,
}

impl Parts {
    pub fn open(config: &Config) -> anyhow::Result<Parts> {
        let mut letters = Letters::new(&config.letter_settings()?)?;
        let commands = config.owner_commands()?;
        if let Some(commands) = &commands {
            let c = commands.clone();
            letters = letters.with_owner_footer(Box::new(move |case, nonce, now| {
                crate::procedure::owner::footer(&c, case, now, nonce)
            }));
        }
        Ok(Parts {
            store: Arc::new(Store::open(
                &config.store.path,
                config.store.cache_mib,
                &config.store_key_file(),
            )?),
            letters: Arc::new(letters),
            calendar: Calendar::new(&config.calendar),
            owner: commands.map(|commands| {
                Arc::new(owner::OwnerMail {
                    commands,
                    addresses: config.owner.addresses.clone(),
                })
            }),
        })
    }
}

pub struct Registry {
    owner: Option<Arc<owner::OwnerMail>>,
    store: Arc<Store>,
    letters: Arc<Letters>,
    calendar: Calendar,
    clock: Clock,
    /// Shared with the reader thread ([`Registry::read_in_time`]).
    ctx: Arc<intake::Context>,
    reader: unread::Reader,
    store_dir: PathBuf,
    /// `klachtd history`: mail is registered without any letter going out.
    quiet: bool,
}

impl Registry {
    /// The registry of the store the config names, on parts of its own.
    pub fn open(config: &Config, clock: Clock) -> anyhow::Result<Registry> {
        Ok(Registry::new(
            &Parts::open(config)?,
            config.intake_context(),
            &config.store.path,
            clock,
        ))
    }

    /// A registry on `parts`, whose store lives in `store_dir`; `ctx` is what intake
    /// knows.
    pub fn new(parts: &Parts, ctx: intake::Context, store_dir: &Path, clock: Clock) -> Registry {
        Registry {
            owner: parts.owner.clone(),
            store: parts.store.clone(),
            letters: parts.letters.clone(),
            calendar: parts.calendar.clone(),
            clock,
            ctx: Arc::new(ctx),
            reader: unread::Reader::default(),
            store_dir: store_dir.to_path_buf(),
            quiet: false,
        }
    }

    /// This registry taking old mail in quietly (`klachtd history`): cases are registered,
    /// no letter goes out, and new cases are historical (see [`Change::hushed`]).
    pub fn quietly(mut self) -> Registry {
        self.quiet = true;
        self
    }

    fn hush(&self, change: Change, now: DateTime<Utc>) -> Change {
        if self.quiet {
            change.hushed(now)
        } else {
            change
        }
    }

    /// When klachtd first started on this store: recorded at the first call, never moved
    /// after. A store that already holds mail from before this was kept (an upgrade)
    /// counts as started at the beginning of time: it took in everything before.
    pub fn first_start(&self) -> Result<DateTime<Utc>, StoreError> {
        if let Some(at) = self.store.meta_get(FIRST_START)? {
            return Ok(at);
        }
        let used = self.store.meta_get::<SyncState>(SYNC_STATE)?.is_some()
            || !self.store.cases()?.is_empty();
        // Whole seconds: IMAP's INTERNALDATE has no fraction, and a mail that arrived in
        // the second klachtd started must count as after it.
        let at = if used {
            DateTime::<Utc>::UNIX_EPOCH
        } else {
            chrono::SubsecRound::trunc_subsecs(self.clock.now(), 0)
        };
        self.store.meta_put(FIRST_START, &at)?;
        Ok(at)
    }

    /// "Now", by the registry's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The working-day calendar the deadlines count by.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The store's directory (the control socket lives in it).
    pub fn store_dir(&self) -> &Path {
        &self.store_dir
    }

    /// Case `number`, if there is one.
    pub fn case(&self, number: CaseNumber) -> Result<Option<Case>, StoreError> {
        self.store.case(number)
    }

    /// All cases, oldest number first.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        self.store.cases()
    }

    /// What is left of case `number` after its erasure, if it was erased.
    pub fn tombstone(&self, number: CaseNumber) -> Result<Option<Tombstone>, StoreError> {
        self.store.tombstone(number)
    }

    /// Writes the whole store to `path` as one archive, at the registry's "now" (see
    /// [`crate::store::archive`]).
    pub fn export(
        &self,
        path: &Path,
    ) -> Result<crate::store::archive::Archived, crate::store::archive::ArchiveError> {
        self.store.export(path, self.now())
    }

    /// Erases case `number` and everything that holds its personal data (see
    /// [`crate::retention`]); false when there was no such case.
    pub fn erase_case(&self, number: CaseNumber, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.store.erase_case(number, now)
    }

    /// The mailbox's sync state, as stored under `key` after the last batch.
    pub fn sync_state(&self, key: &str) -> Result<Option<SyncState>, StoreError> {
        self.store.meta_get(key)
    }

    /// Stores the mailbox's sync state under `key`, when it changed.
    pub fn save_sync_state(&self, key: &str, state: &SyncState) -> Result<(), StoreError> {
        if self.sync_state(key)?.as_ref() != Some(state) {
            self.store.meta_put(key, state)?;
        }
        Ok(())
    }

    /// Runs `work` (a batch of [`Registry::register`]s) with one flush at its end: see
    /// [`Store::in_one_flush`]; nothing it registered may be acted on before it returns.
    pub fn in_one_flush<T>(&self, work: impl FnOnce() -> T) -> Result<T, StoreError> {
        self.store.in_one_flush(work)
    }

    /// Takes one raw mail in. Idempotent: the same mail twice changes nothing the second
    /// time. On error nothing was written and the mail must stay in the inbox.
    pub fn register(&self, raw: &[u8], arrived: DateTime<Utc>) -> Result<Registered, ChangeError> {
        let read = intake::read_checked(raw, Arrival::At(arrived), &self.ctx);
        self.register_read(raw, arrived, read)
    }

    /// [`Registry::register`] of a mail already read (the daemon reads on a worker
    /// thread, in bounded time: [`Registry::read_in_time`]).
    pub fn register_read(
        &self,
        raw: &[u8],
        arrived: DateTime<Utc>,
        read: Result<Submission, Unread>,
    ) -> Result<Registered, ChangeError> {
        let hash = content_hash(raw);
        let now = self.clock.now();
        let submission = match read {
            Ok(s) => s,
            Err(unread) => {
                if let Some(known) = self.store.known_mail(&hash, None)? {
                    return Ok(Registered::Duplicate(known));
                }
                return self.set_aside_unread(raw, &hash, arrived, &unread);
            }
        };
        let message_id = submission.message.message_id.clone();
        if let Some(known) = self.store.known_mail(&hash, message_id.as_deref())? {
            return Ok(Registered::Duplicate(known));
        }
        let record = |disposition, reason: Option<String>| MailRecord {
            hash: hash.clone(),
            message_id: message_id.clone(),
            arrived,
            disposition,
            case: None,
            reason,
        };
        let class = &submission.classification;
        if class.class == Class::Automated {
            let record = record(Disposition::Automated, Some(class.reason.clone()));
            if let Some((letter, number, undelivered)) =
                robot_about_our_letter(&self.store, &submission, raw)?
            {
                // Kept on the case of the letter it is about; never answered.
                let incoming = Incoming {
                    answer: Answer::Yes,
                    raw,
                    submission: &submission,
                    hash: &hash,
                    arrived,
                };
                if undelivered {
                    // Before the commit: a crash in between fetches the bounce again, and
                    // marking is idempotent.
                    self.store
                        .mark_undelivered(&letter.mail.message_id, &class.reason)?;
                }
                return Ok(Registered::after(
                    self.store.commit_to_case(
                        MailIn {
                            record: &record,
                            raw,
                        },
                        number,
                        now,
                        |case| {
                            Ok::<_, ChangeError>(robot_reply(
                                case,
                                incoming,
                                undelivered,
                                letter.mail.kind,
                                &letter.mail.message_id,
                                &self.letters,
                                now,
                            )?)
                        },
                    )?,
                    Registered::Automated(class.reason.clone()),
                ));
            }
            return Ok(Registered::after(
                self.commit(&record, raw, None, now, |_| Ok(Change::default()))?,
                Registered::Automated(class.reason.clone()),
            ));
        }
        // Old mail taken in by `klachtd history` is never acted on: an owner's command
        // from back then is kept, not carried out.
        let from_owner = self.owner.as_ref().is_some_and(|o| o.wrote(&submission));
        if self.quiet && from_owner {
            let reason = "the owner's own mail, taken in afterwards: not acted on".to_string();
            let record = record(Disposition::Automated, Some(reason.clone()));
            return Ok(Registered::after(
                self.commit(&record, raw, None, now, |_| Ok(Change::default()))?,
                Registered::Automated(reason),
            ));
        }
        // The owner's mail (or one carrying her token) is never a complaint or a
        // follow-up: a command, refused, or none.
        if let Some(done) = self.owner_mail(raw, &hash, &submission, arrived)? {
            return Ok(done);
        }
        // A case number quoted in the mail wins; else the thread (a reply to one of our
        // letters without the number in it).
        let thread = submission.message.thread();
        let referred = match class.case_ref {
            Some(n) => Some(n),
            None => self.store.case_by_thread(&thread)?,
        };
        let today = local_date(now);
        let answer = self.answer_allowed(&submission, today)?;
        let incoming = Incoming {
            submission: &submission,
            hash: &hash,
            arrived,
            answer,
            raw,
        };
        if let Some(number) = referred {
            if self.store.case(number)?.is_none() {
                let reason = match self.store.tombstone(number)? {
                    Some(_) => format!(
                        "refers to case {number}, which was erased after its retention period"
                    ),
                    None => format!("refers to case {number}, which does not exist"),
                };
                return self.set_aside(raw, &hash, message_id, arrived, &reason, Some(&submission));
            }
            let record = record(Disposition::FollowUp, None);
            // The case is read inside the transaction: an owner's action or a scheduler
            // tick at the same moment is not overwritten.
            return Ok(Registered::after(
                self.store.commit_to_case(
                    MailIn {
                        record: &record,
                        raw,
                    },
                    number,
                    now,
                    |case| {
                        let change = follow_up(case, incoming, &self.letters, now)?;
                        Ok::<_, ChangeError>(count_answers(
                            self.store.index_key(),
                            self.hush(change, now),
                            today,
                        ))
                    },
                )?,
                Registered::FollowUp(number),
            ));
        }
        let year = arrived.with_timezone(&ZONE).year();
        let record = record(Disposition::NewCase, None);
        Ok(
            match self.commit(&record, raw, Some(year), now, |number| {
                let number = number.ok_or(StoreError::Corrupt {
                    key: "seq".into(),
                    message: "no case number allocated".into(),
                })?;
                let mut change = open_case(number, incoming, &self.letters, now)?;
                if let Answer::Withheld {
                    tell_owner: true, ..
                } = answer
                {
                    let address = reply_address(&submission);
                    change
                        .marks
                        .push(answer_cap_mark(self.store.index_key(), today, &address));
                }
                Ok(change)
            })? {
                Committed::Done(change) => match change.case {
                    Some(case) => Registered::NewCase(case.number),
                    None => Registered::SetAside("no case made".into()),
                },
                Committed::Duplicate(r) => Registered::Duplicate(r),
            },
        )
    }

    /// Whether the sender of `submission` may be answered automatically today: not when
    /// the answers to that address today reached `[limits] answers_per_sender_per_day`.
    fn answer_allowed(
        &self,
        submission: &Submission,
        today: NaiveDate,
    ) -> Result<Answer, StoreError> {
        self.answer_allowed_to(&reply_address(submission), today)
    }

    /// [`Registry::answer_allowed`] for `address`.
    fn answer_allowed_to(&self, address: &str, today: NaiveDate) -> Result<Answer, StoreError> {
        let address = address.to_string();
        let cap = self.ctx.limits.answers_per_sender_per_day;
        let ik = self.store.index_key();
        let marks = self.store.marks(&answer_prefix(ik, today, &address))?;
        let told = marks.contains(&answer_cap_mark(ik, today, &address));
        let answered = marks.len() - usize::from(told);
        Ok(if answered < cap {
            Answer::Yes
        } else {
            Answer::Withheld {
                cap,
                tell_owner: !told,
            }
        })
    }

    /// The owner's action on a case, made durable in one transaction with its letter
    /// (queued in the outbox; the sender sends it).
    pub fn act(&self, number: CaseNumber, action: &Action) -> Result<Change, ChangeError> {
        let now = self.clock.now();
        self.store.update_case(number, now, |case| {
            Ok(apply(case, action, &self.letters, &self.calendar, now)?)
        })
    }

    /// The owner's action on a case that came by mail: [`Registry::act`]'s change (the
    /// same [`apply`]), the event marked with her mail's Message-ID, committed with her
    /// mail and whatever `then` adds (the token's mark, her confirmation).
    fn act_by_mail(
        &self,
        mail: MailIn<'_>,
        number: CaseNumber,
        action: &Action,
        message_id: &str,
        then: impl Fn(&mut Change) -> Result<(), ChangeError>,
    ) -> Result<Committed, ChangeError> {
        let now = self.clock.now();
        self.store.commit_to_case(mail, number, now, |case| {
            let mut change = apply(case, action, &self.letters, &self.calendar, now)?;
            if let Some(case) = change.case.as_mut()
                && let Some(event) = case
                    .events
                    .iter_mut()
                    .rev()
                    .find(|e| matches!(e.kind, crate::cases::EventKind::Action { .. }))
                && let crate::cases::EventKind::Action { by_mail, .. } = &mut event.kind
            {
                *by_mail = Some(message_id.to_string());
            }
            then(&mut change)?;
            Ok(change)
        })
    }

    fn commit(
        &self,
        record: &MailRecord,
        raw: &[u8],
        new_case_year: Option<i32>,
        now: DateTime<Utc>,
        build: impl Fn(Option<CaseNumber>) -> Result<Change, ChangeError>,
    ) -> Result<Committed, ChangeError> {
        crate::faults::crash_point("before_commit");
        self.store
            .commit(Some(MailIn { record, raw }), new_case_year, now, |n| {
                Ok(count_answers(
                    self.store.index_key(),
                    self.hush(build(n)?, now),
                    local_date(now),
                ))
            })
    }

    /// The mails due to be sent at `at`, at most `limit`, oldest first.
    pub fn due_outgoing(
        &self,
        at: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<QueuedMail>, StoreError> {
        self.store.due_outgoing(at, limit)
    }

    /// Records an attempt to send `mail` (sent, or to be tried again at its `next_try`).
    pub fn record_attempt(&self, mail: &QueuedMail, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.store.record_attempt(mail, None, now)
    }

    /// Records that `mail` could not be sent, for good, and alerts the owner in the same
    /// transaction.
    pub fn give_up(&self, mail: &QueuedMail, now: DateTime<Utc>) -> Result<(), ChangeError> {
        let case = match mail.mail.case {
            Some(n) => self.store.case(n)?,
            None => None,
        };
        let alert = alerts::send_failed(
            case.as_ref(),
            mail.mail.kind,
            mail.attempts,
            mail.last_error.as_deref(),
            &self.letters,
            now,
        )?;
        self.store.record_attempt(mail, Some(&alert), now)?;
        Ok(())
    }

    /// Tells the owner something that is about no case (the mailbox itself).
    pub fn notify_owner(&self, title: &str, reason: &str) -> Result<(), ChangeError> {
        let now = self.clock.now();
        self.store.commit(None, None, now, |_| {
            Ok::<_, ChangeError>(alerts::notice(title, reason, &self.letters, now)?)
        })?;
        Ok(())
    }

    /// Tells the owner something once for good: nothing when `mark` is recorded, else the
    /// notice and the mark in one transaction. True when the notice was queued now.
    pub fn notify_owner_once(
        &self,
        mark: &str,
        title: &str,
        reason: &str,
    ) -> Result<bool, ChangeError> {
        if self.store.mark_time(mark)?.is_some() {
            return Ok(false);
        }
        let now = self.clock.now();
        self.store.commit(None, None, now, |_| {
            let mut change = alerts::notice(title, reason, &self.letters, now)?;
            change.marks.push(mark.to_string());
            Ok::<_, ChangeError>(change)
        })?;
        Ok(true)
    }

    /// Sets aside a mail that intake could not read at all.
    pub fn set_aside_unreadable(
        &self,
        raw: &[u8],
        arrived: DateTime<Utc>,
        reason: &str,
    ) -> Result<Registered, ChangeError> {
        self.set_aside(raw, &content_hash(raw), None, arrived, reason, None)
    }

    /// Keeps a mail that cannot be handled and tells the owner why.
    fn set_aside(
        &self,
        raw: &[u8],
        hash: &str,
        message_id: Option<String>,
        arrived: DateTime<Utc>,
        reason: &str,
        submission: Option<&Submission>,
    ) -> Result<Registered, ChangeError> {
        let now = self.clock.now();
        let record = MailRecord {
            hash: hash.to_string(),
            message_id,
            arrived,
            disposition: Disposition::SetAside,
            case: None,
            reason: Some(reason.to_string()),
        };
        let subject = submission.map(|s| s.message.subject.as_str());
        self.keep_aside(&record, raw, subject, None, now)
    }

    /// Commits a mail set aside (`record`), the owner's notice and `answer`, a letter to
    /// its sender ([`crate::procedure::mail::not_processed`]), counted against the cap.
    fn keep_aside(
        &self,
        record: &MailRecord,
        raw: &[u8],
        subject: Option<&str>,
        answer: Option<crate::domain::Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<Registered, ChangeError> {
        let reason = record.reason.as_deref().unwrap_or_default();
        let committed = self.commit(record, raw, None, now, |_| {
            let mut change = alerts::set_aside(reason, subject, &record.hash, &self.letters, now)?;
            change.outgoing.extend(answer.clone());
            // `commit` counts the answer against the cap (and hushes it for `history`).
            Ok::<_, ChangeError>(change)
        })?;
        Ok(Registered::after(
            committed,
            Registered::SetAside(reason.to_string()),
        ))
    }
}

/// Adds a mark for every automatic answer in `change`, under its recipient and `day`
/// ([`Registry::answer_allowed`] counts them).
fn count_answers(ik: &IndexKey, mut change: Change, day: NaiveDate) -> Change {
    let marks: Vec<String> = change
        .outgoing
        .iter()
        .filter(|m| m.to_complainant && m.kind.auto_submitted() == Some("auto-replied"))
        .flat_map(|m| {
            m.recipients
                .iter()
                .map(|r| answer_mark(ik, day, r, &m.message_id))
        })
        .collect();
    change.marks.extend(marks);
    change
}

/// For a bounce or an auto-reply: the letter of ours it is about (a Message-ID it
/// names that is in our outbox, of a case that exists), and whether it says the letter
/// was not delivered.
pub(crate) fn robot_about_our_letter(
    store: &Store,
    submission: &Submission,
    raw: &[u8],
) -> Result<Option<(QueuedMail, CaseNumber, bool)>, StoreError> {
    let undelivered = match classify::robot(&submission.message) {
        Robot::DeliveryFailure => true,
        Robot::AutoReply => false,
        Robot::Other => return Ok(None),
    };
    for id in classify::letter_ids_in(raw) {
        if let Some(q) = store.queued(&id)?
            && let Some(number) = q.mail.case
            && store.case(number)?.is_some()
        {
            return Ok(Some((q, number, undelivered)));
        }
    }
    Ok(None)
}
