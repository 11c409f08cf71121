//! `klachtd history`: mail older than `[mailbox] since`, which the daemon leaves alone,
//! taken in quietly on the owner's word: cases registered (marked historical), no letter
//! to anyone, no reminders for the long-past deadlines. The mails are then moved as the
//! daemon moves them. Needs the store to itself: the daemon must not run.

use chrono::{DateTime, NaiveDate, Utc};

use crate::clock::Clock;
use crate::config::{Config, Since};
use crate::intake::{self, Arrival};
use crate::mailbox::{AnyMailbox, Mailbox, Window};
use crate::registry::{Registered, Registry};

/// One old mail and what became (or, in a dry run, would become) of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldMail {
    /// The mailbox's id (IMAP UID, Maildir file name): no personal data.
    pub id: String,
    pub arrived: DateTime<Utc>,
    pub outcome: String,
}

/// What one run of `klachtd history` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// The mail taken in arrived from `from` until `until` (`[mailbox] since`).
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub mails: Vec<OldMail>,
    pub new_cases: usize,
}

/// Takes in (or with `dry_run` only lists) the mail that arrived from the start of
/// `from` (Amsterdam) until `[mailbox] since`.
pub async fn take_in(
    config: &Config,
    clock: Clock,
    from: NaiveDate,
    dry_run: bool,
) -> anyhow::Result<History> {
    let registry = Registry::open(config, clock)
        .map_err(|e| {
            anyhow::anyhow!(
                "{e:#}: klachtd history needs the store to itself; stop the daemon first"
            )
        })?
        .quietly();
    let until = config.mailbox.since.moment(registry.first_start()?);
    let from_moment = Since::Date(from).moment(until);
    if from_moment >= until {
        anyhow::bail!(
            "--since {from} is not before [mailbox] since ({}): the daemon takes that mail in itself",
            until
                .with_timezone(&crate::rules::ZONE)
                .format("%Y-%m-%d %H:%M")
        );
    }
    let mut mailbox = AnyMailbox::open(config, None)?;
    mailbox.set_window(Window {
        from: Some(from_moment),
        until: Some(until),
    });
    if dry_run {
        mailbox.hand_out_once();
    }
    let ctx = config.intake_context();
    let mut history = History {
        from: from_moment,
        until,
        mails: Vec::new(),
        new_cases: 0,
    };
    loop {
        let before = mailbox.sync_state();
        let batch = mailbox.fetch_new().await?;
        if batch.is_empty() && mailbox.sync_state() == before {
            break;
        }
        for mail in batch {
            let outcome = if dry_run {
                match intake::read(&mail.raw, Arrival::At(mail.arrived), &ctx) {
                    Ok(s) => format!("would be taken in ({})", s.classification.class.key()),
                    Err(_) => "would be set aside (not readable as a mail)".to_string(),
                }
            } else {
                let registered = registry.register(&mail.raw, mail.arrived)?;
                mailbox.dispose(&mail.id, registered.folder()).await?;
                match registered {
                    Registered::NewCase(n) => {
                        history.new_cases += 1;
                        format!("case {n} (historical)")
                    }
                    Registered::FollowUp(n) => format!("follow-up to {n}"),
                    Registered::Automated(reason) => format!("automated, kept ({reason})"),
                    Registered::SetAside(reason) => format!("set aside ({reason})"),
                    Registered::Duplicate(_) => "seen before".to_string(),
                    Registered::OwnerCommand(_) => "the owner's command, kept".to_string(),
                }
            };
            tracing::info!(mail = %mail.id, outcome, "history");
            history.mails.push(OldMail {
                id: mail.id.to_string(),
                arrived: mail.arrived,
                outcome,
            });
        }
    }
    if let AnyMailbox::Imap(m) = &mut mailbox {
        m.logout().await;
    }
    Ok(history)
}
