//! A mail that was not read: no mail at all, over a limit, or too slow to read. Reading
//! on the reader thread in bounded time (`[limits] seconds_per_mail`), and setting such a
//! mail aside with, for a person's mail over a limit, a short answer that says nothing
//! about its content (issue 10.4).

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{ChangeError, Registered, Registry};
use crate::intake::{self, Arrival, Submission, Unread, limits::OverLimit};
use crate::procedure::mail::{Answer, not_processed};
use crate::rules::calendar::local_date;
use crate::store::{Disposition, MailRecord};

/// How a read on the reader thread ended, when it did not end with a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFailed {
    /// The reader panicked (the pure core is written not to; the mail is set aside).
    Panicked,
    /// No reader thread could be started (the system is out of threads).
    NoThread,
}

/// One long-lived thread that reads every mail. Why one: each thread that runs the
/// reader's patterns gets caches of its own from them, and keeps them; a pool of
/// threads coming and going would make a set per thread (megabytes each). A read that is
/// late leaves this thread to finish it alone, and the next read starts a new one.
#[derive(Default)]
pub(super) struct Reader {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
}

type Job = Box<dyn FnOnce() + Send>;

impl Reader {
    /// Runs `read` on the reader thread (starting it if there is none); its result comes
    /// on the channel returned, which closes without one if `read` panicked.
    fn run<T: Send + 'static>(
        &self,
        read: impl FnOnce() -> T + Send + 'static,
    ) -> Result<tokio::sync::oneshot::Receiver<T>, ReadFailed> {
        let (answer, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(read());
        });
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        let job = match jobs.as_ref() {
            Some(queue) => match queue.send(job) {
                Ok(()) => return Ok(result),
                Err(mpsc::SendError(job)) => job, // the thread ended: start another
            },
            None => job,
        };
        let (sender, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("klachtd-reader".into())
            .spawn(move || {
                // a panic drops the job's answer (its channel closes) and the thread goes on
                for job in queue {
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                }
            })
            .map_err(|_| ReadFailed::NoThread)?;
        sender.send(job).map_err(|_| ReadFailed::NoThread)?;
        *jobs = Some(sender);
        Ok(result)
    }

    /// Leaves the thread to the read it is late with: it ends after it, and the next read
    /// starts a new thread.
    fn abandon(&self) {
        *self.jobs.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl Registry {
    /// Reads [`intake::WARM_UP`] once on the reader thread, untimed, so that compiling
    /// the reader's patterns is not charged to the first mail's time limit.
    pub async fn warm_up(&self) {
        let (ctx, now) = (self.ctx.clone(), self.clock.now());
        if let Ok(done) = self.reader.run(move || {
            let _ = intake::read(intake::WARM_UP, Arrival::At(now), &ctx);
        }) {
            let _ = done.await;
        }
    }

    /// Reads `raw` (parse, classify, extract) on the reader thread, for at most `[limits]
    /// seconds_per_mail`. Late, the mail counts as over that limit; the thread is left to
    /// finish and its result dropped (a thread cannot be stopped safely from outside).
    pub async fn read_in_time(
        &self,
        raw: Arc<Vec<u8>>,
        arrived: DateTime<Utc>,
    ) -> Result<Result<Submission, Unread>, ReadFailed> {
        let ctx = self.ctx.clone();
        let read = self.reader.run(move || {
            crate::faults::slow_read(&raw);
            intake::read_checked(&raw, Arrival::At(arrived), &ctx)
        })?;
        let limit = Duration::from_secs(self.ctx.limits.seconds_per_mail.max(1));
        match tokio::time::timeout(limit, read).await {
            Ok(Ok(read)) => Ok(read),
            Ok(Err(_)) => Err(ReadFailed::Panicked),
            Err(_late) => {
                self.reader.abandon();
                Ok(Err(OverLimit::too_slow(&self.ctx.limits).into()))
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_run_on_one_thread_that_outlives_a_panic_and_is_left_when_late() {
        let reader = Reader::default();
        let thread = || std::thread::current().id();
        let first = reader.run(thread).unwrap().blocking_recv().unwrap();
        // the same thread each time: its patterns' caches are made once
        assert_eq!(reader.run(thread).unwrap().blocking_recv().unwrap(), first);
        assert_ne!(first, std::thread::current().id());
        // a panic closes that read's channel; the thread reads on
        let panicked = reader.run(|| -> u8 { panic!("a bug in the reader") });
        assert!(panicked.unwrap().blocking_recv().is_err());
        assert_eq!(reader.run(thread).unwrap().blocking_recv().unwrap(), first);
        // a late read keeps its thread; the next read gets a new one at once
        let (release, hold) = mpsc::channel::<()>();
        let late = reader.run(move || hold.recv().is_ok()).unwrap();
        reader.abandon();
        let fresh = reader.run(thread).unwrap().blocking_recv().unwrap();
        assert_ne!(fresh, first);
        release.send(()).unwrap();
        assert_eq!(late.blocking_recv(), Ok(true));
        assert_eq!(reader.run(thread).unwrap().blocking_recv().unwrap(), fresh);
    }
}
