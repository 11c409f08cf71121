//! `klachtd rebuild`: re-creates a lost store from the mail server. It reads, and never
//! changes, the Sent folder (klachtd's letters to complainants: case number and kind in
//! each Message-ID) and the processed and set-aside folders (the mails as they came),
//! replays them in the order they happened through the daemon's own core (`replay`), and
//! says at the end what it rebuilt and what cannot be known (`report`). Needs a blank
//! store to itself: the daemon must not run.

mod ours;
mod replay;
mod report;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use self::ours::OurLetter;
use self::replay::Replay;
use crate::cases::{Change, EventKind};
use crate::clock::Clock;
use crate::config::{Config, Kind};
use crate::domain::CaseNumber;
use crate::intake::Submission;
use crate::mailbox::IncomingMail;
use crate::mailbox::imap::{Filed, ImapMailbox};
use crate::procedure::schedule::{self, Mark, ScheduleSettings};
use crate::registry::{ChangeError, Parts};
use crate::scheduler::{ack_status, read_marks, spell_mark};
use crate::store::Store;
use crate::store::keys::case_prefix;

pub use self::ours::{KnownBy, case_and_kind};

/// What cannot be known from the mail server, whatever it holds.
pub const UNKNOWABLE: [&str; 6] = [
    "the owner's notes (they were never mailed)",
    "the owner's actions that send no letter: a hearing (before a report, the report's day \
     stands in), a referral to the commission",
    "the owner's own words: in the case's log the letter's text stands in for them",
    "the mails to the owner (notices, reminders, digests): they are not in Sent",
    "when each mail was taken in: its arrival stands in (the deadlines count from it, as \
     before)",
    "the tokens of the owner's commands by mail that were used",
];

/// One letter, as the report names it: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterNote {
    pub case: Option<CaseNumber>,
    pub kind: String,
    pub message_id: String,
}

impl LetterNote {
    fn of(letter: &OurLetter) -> LetterNote {
        LetterNote {
            case: Some(letter.case),
            kind: letter.kind.key().to_string(),
            message_id: letter.message_id.clone(),
        }
    }
}

/// A rebuilt case, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RebuiltCase {
    pub number: CaseNumber,
    pub state: String,
    /// The letters to the complainant on the case.
    pub letters: usize,
}

/// What one rebuild did: the report at its end (`--json` prints it as it is).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rebuilt {
    pub cases: Vec<RebuiltCase>,
    pub follow_ups: usize,
    pub set_aside: usize,
    pub automated: usize,
    /// The owner's own mails (commands): kept, not carried out again.
    pub owner_mails: usize,
    /// Mails met twice (same bytes or Message-ID): taken in once.
    pub duplicates: usize,
    /// Letters in Sent that the replay found its own letters in.
    pub letters_matched: usize,
    /// Mails in Sent that are no letter of klachtd's to a complainant.
    pub sent_not_ours: usize,
    /// Letters known by their subject (their Message-ID was not of klachtd's form).
    pub letters_by_subject: usize,
    /// Letters of ours whose case has no complaint in the folders: kept for threading.
    pub letters_without_complaint: Vec<LetterNote>,
    /// Complaints no letter of ours answered: numbered after the highest known.
    pub complaints_without_letter: Vec<CaseNumber>,
    /// Letters the procedure writes that Sent does not hold: recorded as sent, not sent.
    pub letters_not_in_sent: Vec<LetterNote>,
    /// Letters recorded on their case as they went out, the action they show not
    /// replayed (with why).
    pub letters_not_replayed: Vec<(LetterNote, String)>,
    /// Per year, the last number given: the next case gets the one after.
    pub sequences: BTreeMap<i32, u32>,
    /// Reminders to the owner whose time had come before the rebuild: marked done.
    pub reminders_marked_done: usize,
    pub unknowable: Vec<String>,
}

/// What the mail server's folders hold, each read whole.
#[derive(Debug, Clone, Default)]
pub struct Folders {
    pub sent: Vec<IncomingMail>,
    pub processed: Vec<IncomingMail>,
    pub set_aside: Vec<IncomingMail>,
}

/// Rebuilds the store the config names from the mail server.
pub async fn rebuild(config: &Config, clock: Clock) -> anyhow::Result<Rebuilt> {
    if config.mailbox.kind != Kind::Imap {
        anyhow::bail!(
            "klachtd rebuild reads the folders of an IMAP server: [mailbox] kind is not \"imap\" \
             in the config"
        );
    }
    let parts = Parts::open(config).map_err(|e| {
        anyhow::anyhow!("{e:#}: klachtd rebuild needs the store to itself; stop the daemon first")
    })?;
    refuse_unless_blank(&parts, config)?;
    let mut mailbox = ImapMailbox::new(config, None)?;
    mailbox.connect().await?;
    let folders = Folders {
        sent: mailbox.read_whole(Filed::Sent).await?,
        processed: mailbox.read_whole(Filed::Processed).await?,
        set_aside: mailbox.read_whole(Filed::SetAside).await?,
    };
    mailbox.logout().await;
    rebuild_from(&parts, config, folders, clock.now())
}

fn refuse_unless_blank(parts: &Parts, config: &Config) -> anyhow::Result<()> {
    if !parts.store.is_blank()? {
        anyhow::bail!(
            "the store at {} already holds cases or records: rebuild only fills an empty \
             store (to restore a backup, use import)",
            config.store.path.display()
        );
    }
    Ok(())
}

/// Rebuilds the (blank) store of `parts` from `folders`, at `now`: the replay, then the
/// sequences and the owner's reminders whose time has come.
pub fn rebuild_from(
    parts: &Parts,
    config: &Config,
    folders: Folders,
    now: DateTime<Utc>,
) -> anyhow::Result<Rebuilt> {
    refuse_unless_blank(parts, config)?;
    let mut letters: Vec<OurLetter> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in &folders.sent {
        if let Some(l) = ours::read(&m.raw, m.arrived)
            // A copy kept twice (a crash between sending and recording) is one letter.
            && seen.insert(l.message_id.clone())
        {
            letters.push(l);
        }
    }
    let sent_not_ours = folders.sent.len() - letters.len();
    let by_subject = letters
        .iter()
        .filter(|l| l.known_by == KnownBy::Subject)
        .count();
    let mails: Vec<_> = folders
        .processed
        .into_iter()
        .map(|m| (m, false))
        .chain(folders.set_aside.into_iter().map(|m| (m, true)))
        .collect();
    let is_owner = |s: &Submission| parts.owner.as_ref().is_some_and(|o| o.wrote(s));
    let ctx = config.intake_context();
    let replay = Replay {
        store: &parts.store,
        letters: &parts.letters,
        calendar: &parts.calendar,
        ctx: &ctx,
        is_owner: &is_owner,
    };
    let mut report = replay.run(&mails, letters)?;
    report.sent_not_ours = sent_not_ours;
    report.letters_by_subject = by_subject;
    report.reminders_marked_done = past_reminders(parts, &config.schedule_settings(), now)?;
    report.cases = parts
        .store
        .cases()?
        .iter()
        .map(|c| RebuiltCase {
            number: c.number,
            state: c.state.key().to_string(),
            letters: c
                .events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Answered { .. }))
                .count(),
        })
        .collect();
    report.unknowable = UNKNOWABLE.iter().map(|s| s.to_string()).collect();
    tracing::info!(
        cases = report.cases.len(),
        letters = report.letters_matched,
        "rebuild: done"
    );
    Ok(report)
}

/// The owner's reminders whose time came before the rebuild went out from the lost
/// store: they are marked done, not sent again. Escalations of deadlines already passed
/// are left to the scheduler, which sends the day's one.
fn past_reminders(
    parts: &Parts,
    settings: &ScheduleSettings,
    now: DateTime<Utc>,
) -> Result<usize, ChangeError> {
    let store: &Store = &parts.store;
    let mut done = 0;
    for case in store.open_cases()? {
        let number = case.number;
        let ack = ack_status(store, &case)?;
        let marks = read_marks(number, &store.marks(&case_prefix(number))?);
        let plan = schedule::plan(&case, ack, &marks, now, settings, &parts.calendar);
        let marks: Vec<String> = plan
            .reminders
            .iter()
            .filter(|d| !d.overdue)
            .map(|d| {
                spell_mark(
                    number,
                    &Mark::Reminder {
                        due_date: d.due_date,
                        key: d.key,
                    },
                )
            })
            .collect();
        if !marks.is_empty() {
            done += marks.len();
            store.commit_plain(
                &Change {
                    marks,
                    ..Change::default()
                },
                now,
            )?;
        }
    }
    Ok(done)
}
