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
/// reader's patterns compiles them for itself, with their caches (megabytes); a pool of
/// threads coming and going would make a set per thread. Why it ends when no mail came
/// for [`READER_IDLE`]: the patterns are made per thread
/// ([`crate::intake::pattern::PerThread`]), so its end gives their memory back, and the
/// next mail starts a new one. A read that is late leaves this thread to finish it
/// alone, and the next read starts a new one too.
pub(super) struct Reader {
    jobs: Arc<Mutex<Queue>>,
    idle: Duration,
}

/// How long the reader thread waits for a mail before it ends.
pub(super) const READER_IDLE: Duration = Duration::from_secs(60);

/// The way to the reader thread, if one runs; `thread` tells which one it is, so a
/// thread that ends clears only its own way.
#[derive(Default)]
struct Queue {
    jobs: Option<mpsc::Sender<Job>>,
    thread: u64,
}

type Job = Box<dyn FnOnce() + Send>;

impl Default for Reader {
    fn default() -> Reader {
        Reader::new(READER_IDLE)
    }
}

impl Reader {
    fn new(idle: Duration) -> Reader {
        Reader {
            jobs: Arc::default(),
            idle,
        }
    }

    /// Whether a reader thread runs (its patterns compiled, once it has read).
    fn running(&self) -> bool {
        lock(&self.jobs).jobs.is_some()
    }

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
        // sent under the lock: a thread that ends takes it to see that none is on the way
        let mut jobs = lock(&self.jobs);
        let job = match jobs.jobs.as_ref() {
            Some(queue) => match queue.send(job) {
                Ok(()) => return Ok(result),
                Err(mpsc::SendError(job)) => job, // the thread ended: start another
            },
            None => job,
        };
        let (sender, queue) = mpsc::channel::<Job>();
        let thread = jobs.thread + 1;
        let (shared, idle) = (self.jobs.clone(), self.idle);
        std::thread::Builder::new()
            .name("klachtd-reader".into())
            .spawn(move || {
                loop {
                    let job = match queue.recv_timeout(idle) {
                        Ok(job) => job,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            let mut jobs = lock(&shared);
                            match queue.try_recv() {
                                Ok(job) => job,
                                Err(_) => {
                                    if jobs.thread == thread {
                                        jobs.jobs = None;
                                    }
                                    return; // and this thread's patterns with it
                                }
                            }
                        }
                    };
                    // a panic drops the job's answer (its channel closes); the thread goes on
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                }
            })
            .map_err(|_| ReadFailed::NoThread)?;
        sender.send(job).map_err(|_| ReadFailed::NoThread)?;
        *jobs = Queue {
            jobs: Some(sender),
            thread,
        };
        Ok(result)
    }

    /// Leaves the thread to the read it is late with: it ends after it, and the next read
    /// starts a new thread.
    fn abandon(&self) {
        lock(&self.jobs).jobs = None;
    }
}

fn lock(jobs: &Mutex<Queue>) -> std::sync::MutexGuard<'_, Queue> {
    jobs.lock().unwrap_or_else(|e| e.into_inner())
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
        if !self.reader.running() {
            self.warm_up().await; // a new reader thread compiles its patterns untimed
        }
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

    #[test]
    fn an_idle_reader_thread_ends_with_its_patterns_and_the_next_read_starts_one() {
        use crate::intake::pattern::Pattern;
        static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        static WORD: Pattern = Pattern::new(|| {
            MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            regex::Regex::new("klacht").unwrap()
        });
        let reader = Reader::new(Duration::from_millis(200));
        let read = || (std::thread::current().id(), WORD.is_match("een klacht"));
        let (first, found) = reader.run(read).unwrap().blocking_recv().unwrap();
        assert!(found && reader.running());
        // within the idle time: the same thread, the pattern made once
        assert_eq!(reader.run(read).unwrap().blocking_recv().unwrap().0, first);
        assert_eq!(MADE.load(std::sync::atomic::Ordering::SeqCst), 1);
        std::thread::sleep(Duration::from_millis(600));
        assert!(!reader.running(), "an idle reader thread ends");
        let (second, found) = reader.run(read).unwrap().blocking_recv().unwrap();
        assert!(found);
        assert_ne!(second, first);
        // the new thread made the pattern anew: the old one went with its thread
        assert_eq!(MADE.load(std::sync::atomic::Ordering::SeqCst), 2);
        // reads sent while the thread is about to end are all answered
        let many: Vec<_> = (0..200)
            .map(|i| {
                if i % 50 == 0 {
                    std::thread::sleep(Duration::from_millis(210));
                }
                reader.run(move || i).unwrap()
            })
            .collect();
        for (i, answer) in many.into_iter().enumerate() {
            assert_eq!(answer.blocking_recv(), Ok(i));
        }
    }
}
