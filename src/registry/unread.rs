//! A mail that was not read: no mail at all, over a limit, or too slow to read. Reading
//! on a worker thread in bounded time (`[limits] seconds_per_mail`), and setting such a
//! mail aside with, for a person's mail over a limit, a short answer that says nothing
//! about its content (issue 10.4).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{ChangeError, Registered, Registry};
use crate::intake::{self, Arrival, Submission, Unread, limits::OverLimit};
use crate::procedure::mail::{Answer, not_processed};
use crate::rules::calendar::local_date;
use crate::store::{Disposition, MailRecord};

/// How a read on the worker thread ended, when it did not end with a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFailed {
    /// The reader panicked (the pure core is written not to; the mail is set aside).
    Panicked,
}

impl Registry {
    /// Reads [`intake::WARM_UP`] once on the blocking pool, untimed, so that compiling the
    /// reader's patterns is not charged to the first mail's time limit.
    pub async fn warm_up(&self) {
        let (ctx, now) = (self.ctx.clone(), self.clock.now());
        let _ = tokio::task::spawn_blocking(move || {
            let _ = intake::read(intake::WARM_UP, Arrival::At(now), &ctx);
        })
        .await;
    }

    /// Reads `raw` (parse, classify, extract) on the blocking pool, for at most `[limits]
    /// seconds_per_mail`. Late, the mail counts as over that limit; the worker is left to
    /// finish and its result dropped (a thread cannot be stopped safely from outside).
    pub async fn read_in_time(
        &self,
        raw: Arc<Vec<u8>>,
        arrived: DateTime<Utc>,
    ) -> Result<Result<Submission, Unread>, ReadFailed> {
        let ctx = self.ctx.clone();
        let worker = tokio::task::spawn_blocking(move || {
            crate::faults::slow_read(&raw);
            intake::read_checked(&raw, Arrival::At(arrived), &ctx)
        });
        let limit = Duration::from_secs(self.ctx.limits.seconds_per_mail.max(1));
        match tokio::time::timeout(limit, worker).await {
            Ok(Ok(read)) => Ok(read),
            Ok(Err(_)) => Err(ReadFailed::Panicked),
            Err(_late) => Ok(Err(OverLimit::too_slow(&self.ctx.limits).into())),
        }
    }

    /// Sets aside a mail that was not read, telling the owner why; the sender of a mail
    /// over a limit, if a person and not over the daily cap, gets [`not_processed`].
    pub(super) fn set_aside_unread(
        &self,
        raw: &[u8],
        hash: &str,
        arrived: DateTime<Utc>,
        unread: &Unread,
    ) -> Result<Registered, ChangeError> {
        let now = self.clock.now();
        let answer = match unread {
            Unread::OverLimit(over) if !self.quiet => {
                match intake::sender_of_unread(raw, over, &self.ctx) {
                    Some(sender)
                        if self.answer_allowed_to(&sender.address, local_date(now))?
                            == Answer::Yes =>
                    {
                        Some(not_processed(&sender, arrived, &self.letters, now)?)
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let record = MailRecord {
            hash: hash.to_string(),
            message_id: None,
            arrived,
            disposition: Disposition::SetAside,
            case: None,
            reason: Some(unread.to_string()),
        };
        self.keep_aside(&record, raw, None, answer, now)
    }
}
