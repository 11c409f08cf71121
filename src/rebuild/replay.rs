//! The replay: the mails of the processed and set-aside folders and klachtd's letters
//! from Sent, in the order they happened, through the same pure core the daemon uses
//! (intake, `procedure::mail`, `procedure::actions`) into the store's commits. Each
//! letter the replay writes that Sent holds (same case, same kind, first not yet used)
//! is replaced by the letter as it went out (its Message-ID, its text), so that replies
//! to it thread onto the case; every letter is recorded as sent, none goes out again.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Utc};

use super::ours::{OurLetter, dates_in, is_ours, time_in};
use super::{LetterNote, Rebuilt};
use crate::cases::{Case, Change, EventKind};
use crate::domain::{CaseNumber, LetterKind, content_hash};
use crate::intake::{self, Arrival, Class, Submission};
use crate::letters::Letters;
use crate::mailbox::IncomingMail;
use crate::procedure::actions::{Action, ActionError, apply};
use crate::procedure::mail::{Answer, Incoming, follow_up, open_case, record_sent, robot_reply};
use crate::registry::ChangeError;
use crate::rules::ZONE;
use crate::rules::calendar::Calendar;
use crate::store::keys::info_reminder_mark;
use crate::store::{Committed, Disposition, MailIn, MailRecord, Store, StoreError};

/// Why a mail of the set-aside folder is set aside again.
const SET_ASIDE_BEFORE: &str = "set aside before the store was rebuilt";

/// What the replay works with: the store it fills and the daemon's parts.
pub struct Replay<'a> {
    pub store: &'a Store,
    pub letters: &'a Letters,
    pub calendar: &'a Calendar,
    pub ctx: &'a intake::Context,
    /// Whether a mail is the owner's (then it is kept, not carried out: what it did
    /// shows in the letters).
    pub is_owner: &'a dyn Fn(&Submission) -> bool,
}

/// The replay's own bookkeeping.
struct Books {
    sent: Vec<OurLetter>,
    used: Vec<bool>,
    /// Letters met before their case: taken in at the end.
    deferred: Vec<usize>,
    by_id: HashMap<String, usize>,
    /// The complainant's mails our letters answer, and the case they were answered on.
    number_of: HashMap<String, CaseNumber>,
    /// When the answer to receipt of a complainant's mail went out: the moment the daemon
    /// took the mail in, to the second.
    answered_at: HashMap<String, DateTime<Utc>>,
    /// Per year, the last number given to a complaint no letter named.
    fresh: BTreeMap<i32, u32>,
    report: Rebuilt,
}

/// Why a letter's action was not replayed: a reason for the report, or a failure that
/// stops the rebuild (the store).
enum NotReplayed {
    Because(String),
    Failed(ChangeError),
}

impl From<StoreError> for NotReplayed {
    fn from(e: StoreError) -> NotReplayed {
        NotReplayed::Failed(e.into())
    }
}

/// One thing that happened: a mail arrived (from the set-aside folder or not), a letter
/// went out.
enum Item {
    Mail(usize, bool),
    Letter(usize),
}

impl Replay<'_> {
    /// Replays `mails` (with whether each was set aside) and `sent` into the store.
    pub fn run(
        &self,
        mails: &[(IncomingMail, bool)],
        sent: Vec<OurLetter>,
    ) -> Result<Rebuilt, ChangeError> {
        let mut books = Books::new(sent);
        // A letter is never before the mail it answers, whatever the two clocks said
        // (the letter's Date is klachtd's, the arrival the mail server's).
        let arrivals: HashMap<String, DateTime<Utc>> = mails
            .iter()
            .filter_map(|(m, _)| {
                let id = crate::intake::parse::parse(&m.raw).ok()?.message_id?;
                Some((id, m.arrived))
            })
            .collect();
        let mut items: Vec<(DateTime<Utc>, u8, Item)> = mails
            .iter()
            .enumerate()
            .map(|(i, (m, aside))| (m.arrived, 0, Item::Mail(i, *aside)))
            .chain(books.sent.iter().enumerate().map(|(i, l)| {
                let answered = l.thread.last().and_then(|id| arrivals.get(id));
                let at = answered.map_or(l.date, |a| l.date.max(*a));
                (at, 1, Item::Letter(i))
            }))
            .collect();
        // A mail before the letter that answers it, when the Date has the same second.
        items.sort_by_key(|(at, order, _)| (*at, *order));
        for (_, _, item) in items {
            match item {
                Item::Mail(i, aside) => self.take_mail(&mut books, &mails[i].0, aside)?,
                Item::Letter(i) => self.take_letter(&mut books, i, false)?,
            }
        }
        // The letters whose case did not exist yet at their time, once more at the end.
        for i in std::mem::take(&mut books.deferred) {
            self.take_letter(&mut books, i, true)?;
        }
        for (year, seq) in books.highest() {
            self.store.raise_sequence(year, seq)?;
            books.report.sequences.insert(year, seq);
        }
        Ok(books.report)
    }

    fn keep(&self, raw: &[u8], record: MailRecord, now: DateTime<Utc>) -> Result<(), ChangeError> {
        self.store.commit(
            Some(MailIn {
                record: &record,
                raw,
            }),
            None,
            now,
            |_| Ok::<_, ChangeError>(Change::default()),
        )?;
        Ok(())
    }

    fn take_mail(
        &self,
        books: &mut Books,
        mail: &IncomingMail,
        aside: bool,
    ) -> Result<(), ChangeError> {
        let (raw, arrived) = (mail.raw.as_slice(), mail.arrived);
        let hash = content_hash(raw);
        let read = intake::read(raw, Arrival::At(arrived), self.ctx);
        let message_id = read
            .as_ref()
            .ok()
            .and_then(|s| s.message.message_id.clone());
        if self
            .store
            .known_mail(&hash, message_id.as_deref())?
            .is_some()
        {
            books.report.duplicates += 1;
            return Ok(());
        }
        let record = |disposition, reason: Option<&str>| MailRecord {
            hash: hash.clone(),
            message_id: message_id.clone(),
            arrived,
            disposition,
            case: None,
            reason: reason.map(str::to_string),
        };
        // The daemon took the mail in when it answered it (within the hour), else on arrival.
        let now = message_id
            .as_ref()
            .and_then(|id| books.answered_at.get(id))
            .copied()
            .filter(|t| *t >= arrived && *t - arrived < chrono::Duration::hours(1))
            .unwrap_or(arrived);
        let sub = match read {
            Ok(sub) if !aside => sub,
            Ok(_) => {
                books.report.set_aside += 1;
                return self.keep(
                    raw,
                    record(Disposition::SetAside, Some(SET_ASIDE_BEFORE)),
                    arrived,
                );
            }
            Err(not_a_mail) => {
                books.report.set_aside += 1;
                let reason = not_a_mail.to_string();
                return self.keep(raw, record(Disposition::SetAside, Some(&reason)), arrived);
            }
        };
        let class = &sub.classification;
        if class.class == Class::Automated {
            books.report.automated += 1;
            let record = record(Disposition::Automated, Some(&class.reason));
            return match self.robot_about_our_letter(&sub, raw)? {
                // A bounce or an auto-reply to one of our letters: on its case, as the
                // registry puts it; a bounced letter counts as not sent.
                Some((letter, kind, number, undelivered)) => {
                    let incoming = Incoming {
                        submission: &sub,
                        hash: &hash,
                        arrived,
                        answer: Answer::Yes,
                        raw,
                    };
                    let committed = self.store.commit_to_case(
                        MailIn {
                            record: &record,
                            raw,
                        },
                        number,
                        arrived,
                        |case| {
                            Ok::<_, ChangeError>(robot_reply(
                                case,
                                incoming,
                                undelivered,
                                kind,
                                &letter,
                                self.letters,
                                arrived,
                            )?)
                        },
                    )?;
                    if let Committed::Done(change) = committed {
                        self.settle(books, &change, arrived)?;
                    }
                    if undelivered {
                        self.store.mark_undelivered(&letter, &class.reason)?;
                    }
                    Ok(())
                }
                None => self.keep(raw, record, arrived),
            };
        }
        if (self.is_owner)(&sub) {
            books.report.owner_mails += 1;
            let reason = "the owner's mail, taken in by rebuild: what it did shows in the letters";
            return self.keep(raw, record(Disposition::Owner, Some(reason)), arrived);
        }
        let thread = sub.message.thread();
        // As the registry routes: a quoted number, else the thread; and, what only a
        // rebuild knows, the case our letters answered this mail on.
        let named = message_id
            .as_ref()
            .and_then(|id| books.number_of.get(id))
            .copied();
        let referred = match class.case_ref {
            Some(n) => Some(n),
            None => match self.store.case_by_thread(&thread)? {
                Some(n) => Some(n),
                None => match named {
                    Some(n) if self.store.case(n)?.is_some() => Some(n),
                    _ => None,
                },
            },
        };
        let incoming = Incoming {
            submission: &sub,
            hash: &hash,
            arrived,
            answer: Answer::Yes,
            raw,
        };
        let committed = if let Some(number) = referred {
            if self.store.case(number)?.is_none() {
                books.report.set_aside += 1;
                let reason = format!("refers to case {number}, which does not exist");
                return self.keep(raw, record(Disposition::SetAside, Some(&reason)), arrived);
            }
            books.report.follow_ups += 1;
            let record = record(Disposition::FollowUp, None);
            self.store.commit_to_case(
                MailIn {
                    record: &record,
                    raw,
                },
                number,
                now,
                |case| {
                    let mut change = follow_up(case, incoming, self.letters, now)?;
                    books.adopt(&mut change, None);
                    Ok::<_, ChangeError>(change)
                },
            )?
        } else {
            let number = match named {
                Some(n) => n,
                None => {
                    let n = books.fresh_number(arrived.with_timezone(&ZONE).year());
                    books.report.complaints_without_letter.push(n);
                    n
                }
            };
            let record = record(Disposition::NewCase, None);
            self.store.commit(
                Some(MailIn {
                    record: &record,
                    raw,
                }),
                None,
                now,
                |_| {
                    let mut change = open_case(number, incoming, self.letters, now)?;
                    books.adopt(&mut change, None);
                    Ok::<_, ChangeError>(change)
                },
            )?
        };
        if let Committed::Done(change) = committed {
            self.settle(books, &change, now)?;
        }
        Ok(())
    }

    /// For a bounce or an auto-reply: the letter of ours it names (Message-ID, kind,
    /// case) that the store holds, and whether it says the letter was not delivered.
    fn robot_about_our_letter(
        &self,
        sub: &Submission,
        raw: &[u8],
    ) -> Result<Option<(String, LetterKind, CaseNumber, bool)>, StoreError> {
        Ok(
            crate::registry::robot_about_our_letter(self.store, sub, raw)?.map(
                |(q, number, undelivered)| (q.mail.message_id, q.mail.kind, number, undelivered),
            ),
        )
    }

    /// Takes letter `i` in; `last` is the end, when a letter whose case does not exist
    /// (yet) is kept without one.
    fn take_letter(&self, books: &mut Books, i: usize, last: bool) -> Result<(), ChangeError> {
        if books.used[i] {
            return Ok(());
        }
        let letter = books.sent[i].clone();
        let (number, now) = (letter.case, letter.date);
        let Some(case) = self.store.case(number)? else {
            if !last {
                books.deferred.push(i);
                return Ok(());
            }
            // Kept all the same: a reply to it is then recognised (and set aside).
            books.used[i] = true;
            books
                .report
                .letters_without_complaint
                .push(LetterNote::of(&letter));
            let change = Change {
                outgoing: vec![letter.outgoing()],
                ..Change::default()
            };
            self.store.commit_plain(&change, now)?;
            self.store.record_sent_before(&letter.message_id, now)?;
            return Ok(());
        };
        let replayed = match actions_for(&letter, &case) {
            Ok(actions) => self.store.update_case(number, now, |case| {
                let mut change = self.apply_all(case, &actions, now).map_err(|e| match e {
                    ChangeError::Refused(e) => NotReplayed::Because(e.to_string()),
                    ChangeError::Letter(e) => NotReplayed::Because(e.to_string()),
                    other => NotReplayed::Failed(other),
                })?;
                books.adopt(&mut change, Some(i));
                // Written only when it gave this very letter: else nothing is written.
                if !change
                    .outgoing
                    .iter()
                    .any(|o| o.message_id == letter.message_id)
                {
                    return Err(NotReplayed::Because(
                        "the action wrote no such letter".into(),
                    ));
                }
                Ok(change)
            }),
            Err(reason) => Err(NotReplayed::Because(reason)),
        };
        let change = match replayed {
            Ok(change) => change,
            Err(NotReplayed::Failed(e)) => return Err(e),
            // The letter is recorded on the case as it went out, and the report says
            // why its action was not replayed.
            Err(NotReplayed::Because(reason)) => {
                // (The scheduler's reminder to the complainant is no action: expected.)
                if letter.kind != LetterKind::InformationReminder {
                    books
                        .report
                        .letters_not_replayed
                        .push((LetterNote::of(&letter), reason));
                }
                self.store.update_case(number, now, |mut case| {
                    let out = letter.outgoing();
                    record_sent(&mut case, &out, now);
                    let marks = match letter.kind {
                        LetterKind::InformationReminder => vec![info_reminder_mark(number)],
                        _ => Vec::new(),
                    };
                    Ok::<_, ChangeError>(Change {
                        case: Some(case),
                        new_case: false,
                        outgoing: vec![out],
                        marks,
                    })
                })?
            }
        };
        self.settle(books, &change, now)
    }

    /// `actions` applied one after the other, as the owner took them; an extension after
    /// its deadline is replayed as forced (it went out, so it was).
    fn apply_all(
        &self,
        mut case: Case,
        actions: &[Action],
        now: DateTime<Utc>,
    ) -> Result<Change, ChangeError> {
        let mut outgoing = Vec::new();
        for action in actions {
            let change = match (
                action,
                apply(case.clone(), action, self.letters, self.calendar, now),
            ) {
                (Action::Extend { until, text, .. }, Err(ActionError::ExtensionTooLate { .. })) => {
                    let forced = Action::Extend {
                        until: *until,
                        text: text.clone(),
                        force: true,
                    };
                    apply(case.clone(), &forced, self.letters, self.calendar, now)?
                }
                (_, other) => other?,
            };
            outgoing.extend(change.outgoing);
            case = change.case.unwrap_or(case);
        }
        Ok(Change {
            case: Some(case),
            new_case: false,
            outgoing,
            marks: Vec::new(),
        })
    }

    /// After a commit: the letters Sent held are used; the letters it did not hold are
    /// reported; all are recorded as sent.
    fn settle(
        &self,
        books: &mut Books,
        change: &Change,
        now: DateTime<Utc>,
    ) -> Result<(), ChangeError> {
        for out in &change.outgoing {
            match books.by_id.get(&out.message_id) {
                Some(&i) if !books.used[i] => {
                    books.used[i] = true;
                    books.report.letters_matched += 1;
                }
                Some(_) => {}
                None if out.to_complainant => {
                    books.report.letters_not_in_sent.push(LetterNote {
                        case: out.case,
                        kind: out.kind.key().to_string(),
                        message_id: out.message_id.clone(),
                    });
                }
                None => {}
            }
            self.store.record_sent_before(&out.message_id, now)?;
        }
        Ok(())
    }
}

/// The owner's actions a letter shows, rebuilt from its text (the owner's own text is not
/// kept anywhere but in the letter: the letter's text stands in for it).
fn actions_for(letter: &OurLetter, case: &Case) -> Result<Vec<Action>, String> {
    let text = letter.text.trim().to_string();
    Ok(match letter.kind {
        LetterKind::Invitation => vec![Action::Invite {
            at: *dates_in(&text)
                .first()
                .ok_or("the invitation names no date")?,
            time: time_in(&text).ok_or("the invitation names no time")?,
            text,
        }],
        LetterKind::Information => vec![Action::Inform {
            text,
            enclosures: Vec::new(),
        }],
        // A report follows a hearing, which sends no letter: its day is not known, the
        // report's stands in.
        LetterKind::HearingReport if case.hearing_at.is_none() => vec![
            Action::Hearing {
                at: None,
                text: String::new(),
            },
            Action::HearingReport { text },
        ],
        LetterKind::HearingReport => vec![Action::HearingReport { text }],
        // The new date is the latest the letter names (the old one comes before it).
        LetterKind::Extension => vec![Action::Extend {
            until: dates_in(&text)
                .into_iter()
                .max()
                .ok_or("the extension names no date")?,
            text: String::new(),
            force: false,
        }],
        LetterKind::Decision => vec![Action::Decide { text }],
        LetterKind::Withdrawal => vec![Action::Withdraw { text }],
        LetterKind::Closure => vec![Action::Close { text }],
        LetterKind::LateAccepted => vec![Action::AcceptLate {
            text: String::new(),
        }],
        LetterKind::LateDeclined => vec![Action::DeclineLate { text }],
        other => return Err(format!("a {} is no owner's action", other.key())),
    })
}

impl Books {
    fn new(sent: Vec<OurLetter>) -> Books {
        let by_id = sent
            .iter()
            .enumerate()
            .map(|(i, l)| (l.message_id.clone(), i))
            .collect();
        let mut number_of = HashMap::new();
        let mut ordered: Vec<&OurLetter> = sent.iter().collect();
        ordered.sort_by_key(|l| l.date);
        let mut answered_at = HashMap::new();
        for l in ordered {
            for id in l.thread.iter().filter(|id| !is_ours(id)) {
                number_of.entry(id.clone()).or_insert(l.case);
            }
            if l.kind.answers_receipt()
                && let Some(id) = l.thread.last().filter(|id| !is_ours(id))
            {
                answered_at.entry(id.clone()).or_insert(l.date);
            }
        }
        let mut fresh = BTreeMap::new();
        for l in &sent {
            let seq = fresh.entry(l.case.year).or_insert(0);
            *seq = (*seq).max(l.case.seq);
        }
        Books {
            used: vec![false; sent.len()],
            deferred: Vec::new(),
            sent,
            by_id,
            number_of,
            answered_at,
            fresh,
            report: Rebuilt::default(),
        }
    }

    /// A number after every number known in `year`.
    fn fresh_number(&mut self, year: i32) -> CaseNumber {
        let seq = self.fresh.entry(year).or_insert(0);
        *seq += 1;
        CaseNumber { year, seq: *seq }
    }

    /// Per year, the highest number known or given.
    fn highest(&self) -> Vec<(i32, u32)> {
        self.fresh.iter().map(|(y, s)| (*y, *s)).collect()
    }

    /// Puts the letters Sent holds in place of the ones the replay wrote: for each letter
    /// to the complainant, `preferred` when it is of the same case and kind, else the
    /// first of the same case and kind not yet used.
    fn adopt(&self, change: &mut Change, preferred: Option<usize>) {
        let mut taken = HashSet::new();
        let mut renamed = Vec::new();
        for out in change.outgoing.iter_mut().filter(|o| o.to_complainant) {
            let fits = |i: usize| {
                !self.used[i]
                    && !taken.contains(&i)
                    && Some(self.sent[i].case) == out.case
                    && self.sent[i].kind == out.kind
            };
            let Some(i) = preferred
                .filter(|&i| fits(i))
                .or_else(|| (0..self.sent.len()).find(|&i| fits(i)))
            else {
                continue;
            };
            taken.insert(i);
            let real = &self.sent[i];
            renamed.push((out.message_id.clone(), real.message_id.clone()));
            out.message_id = real.message_id.clone();
            out.raw = real.raw.clone();
        }
        if let Some(case) = change.case.as_mut() {
            for (old, new) in &renamed {
                rename_letter(case, old, new);
            }
        }
    }
}

/// Renames a letter in a case's thread, mails and log.
fn rename_letter(case: &mut Case, old: &str, new: &str) {
    for id in case.thread.iter_mut().filter(|id| *id == old) {
        *id = new.to_string();
    }
    for m in case.mails.iter_mut() {
        if m.message_id.as_deref() == Some(old) {
            m.message_id = Some(new.to_string());
        }
        if m.hash == old {
            m.hash = new.to_string();
        }
    }
    for e in case.events.iter_mut() {
        if let EventKind::Answered { message_id, .. } = &mut e.kind
            && message_id == old
        {
            *message_id = new.to_string();
        }
    }
}
