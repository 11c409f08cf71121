//! The running daemon: an intake task (mailbox -> registry -> mailbox), a sender task
//! (outbox -> SMTP or Maildir), the scheduler (reminders, alerts, digest, retention),
//! the control socket, and their shutdown.
//!
//! `run(config, clock, cancel)` takes the cancellation token so tests can stop it.

use crate::intake::{Submission, Unread};
use crate::registry::ReadFailed;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

use crate::clock::Clock;
use crate::config::Config;
use crate::mailbox::AnyMailbox;
use crate::mailbox::Window;
use crate::mailbox::{IncomingMail, Mailbox};
use crate::outbox::AnySender;
use crate::outbox::Sender;
use crate::outbox::retry::{self, AfterFailure, SendPolicy};
use crate::procedure::schedule::ScheduleSettings;
use crate::registry::{ChangeError, Parts, Registered, Registry};
use crate::scheduler::TickSummary;
use crate::store::OutboxStatus;
use crate::store::keys::{LEFT_ALONE_MARK, SYNC_STATE};
use chrono::{DateTime, Utc};

/// What one pass over the inbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IntakeSummary {
    pub new_cases: usize,
    pub follow_ups: usize,
    pub automated: usize,
    pub set_aside: usize,
    pub duplicates: usize,
    /// Older than `[mailbox] since` (or outside `klachtd history`'s dates): left alone.
    pub left_alone: usize,
}

impl IntakeSummary {
    pub fn total(&self) -> usize {
        self.new_cases
            + self.follow_ups
            + self.automated
            + self.set_aside
            + self.duplicates
            + self.left_alone
    }

    fn add(&mut self, other: &IntakeSummary) {
        self.new_cases += other.new_cases;
        self.follow_ups += other.follow_ups;
        self.automated += other.automated;
        self.set_aside += other.set_aside;
        self.duplicates += other.duplicates;
        self.left_alone += other.left_alone;
    }
}

/// Takes in a batch of new mail: registered durably first (the whole batch with one
/// flush), then moved out of the inbox (one UID MOVE per folder). Stops at the first store
/// error: what was registered before it is flushed and moved, the rest stays in the inbox
/// for the next pass. On `cancel` (SIGTERM) it stops likewise after the mail in hand; the
/// sync state is not saved then, so the rest is fetched again at the next start (the mails
/// taken in are out of the inbox or recognised).
pub async fn intake_pass<M: Mailbox>(
    mailbox: &mut M,
    registry: &Registry,
    cancel: &CancellationToken,
) -> Result<IntakeSummary, anyhow::Error> {
    let mut report = IntakeSummary::default();
    let mut mails = mailbox.fetch_new().await?;
    // First each mail read on the reader thread, in bounded time (`[limits]
    // seconds_per_mail`); its bytes shared with the worker, not copied.
    let mut reads = Vec::with_capacity(mails.len());
    for mail in &mut mails {
        if cancel.is_cancelled() {
            info!("stopping: the rest of this batch stays in the inbox for the next start");
            break;
        }
        let raw = Arc::new(std::mem::take(&mut mail.raw));
        let read = registry.read_in_time(raw.clone(), mail.arrived).await;
        reads.push((raw, read));
    }
    // Then registered, synchronous to its end: nothing else on this task (the sender
    // least of all) sees a registration before the one flush has made the batch durable.
    let (taken, failed) = registry.in_one_flush(|| {
        let mut taken = Vec::with_capacity(reads.len());
        for (mail, (raw, read)) in mails.iter().zip(reads) {
            match take_in(registry, mail, &raw, read) {
                Ok(registered) => {
                    report.count(&registered, &mail.id);
                    taken.push((mail.id.clone(), registered.folder()));
                }
                Err(e) => return (taken, Some(e)),
            }
        }
        (taken, None)
    })?;
    crate::faults::crash_point("after_flush");
    mailbox.dispose_all(&taken).await?;
    crate::faults::crash_point("after_move");
    if let Some(e) = failed {
        return Err(e.into());
    }
    if taken.len() < mails.len() {
        return Ok(report); // stopped: the sync state stays as it was
    }
    report.left_alone = mailbox.take_left_alone();
    if let Some(state) = mailbox.sync_state() {
        registry.save_sync_state(SYNC_STATE, &state)?;
    }
    if let Some(notice) = mailbox.take_notice() {
        warn!("the mailbox was renumbered (UIDVALIDITY); the owner is told");
        registry.notify_owner("de klachtenmailbox is opnieuw genummerd", &notice)?;
    }
    Ok(report)
}

impl IntakeSummary {
    /// Counts (and logs, by case number and mail id only) what became of one mail.
    fn count(&mut self, registered: &Registered, id: &crate::mailbox::MailId) {
        match registered {
            Registered::NewCase(n) => {
                self.new_cases += 1;
                info!(case = %n, mail = %id, "new case");
            }
            Registered::FollowUp(n) => {
                self.follow_ups += 1;
                info!(case = %n, mail = %id, "follow-up");
            }
            Registered::OwnerCommand(n) => {
                self.automated += 1;
                info!(case = ?n.map(|c| c.to_string()), mail = %id, "owner's mail");
            }
            Registered::Automated(reason) => {
                self.automated += 1;
                info!(mail = %id, reason, "automated mail, not answered");
            }
            Registered::SetAside(reason) => {
                self.set_aside += 1;
                warn!(mail = %id, reason, "mail set aside");
            }
            Registered::Duplicate(r) => {
                self.duplicates += 1;
                info!(mail = %id, case = ?r.case.map(|c| c.to_string()), "seen before");
            }
        }
    }
}

/// Registers a mail read by [`Registry::read_in_time`].
fn take_in(
    registry: &Registry,
    mail: &IncomingMail,
    raw: &[u8],
    read: Result<Result<Submission, Unread>, ReadFailed>,
) -> Result<Registered, ChangeError> {
    // The pure core never panics by design; this guard keeps one mail from stopping
    // intake if it ever did: the mail is set aside for the owner instead.
    let result = match read {
        Ok(read) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            registry.register_read(raw, mail.arrived, read)
        }))
        .ok(),
        Err(_) => None,
    };
    result.unwrap_or_else(|| {
        error!(mail = %mail.id, "intake panicked on this mail; setting it aside");
        registry.set_aside_unreadable(raw, mail.arrived, "intake failed on this mail")
    })
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendSummary {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl SendSummary {
    pub fn total(&self) -> usize {
        self.sent + self.retrying + self.failed
    }

    fn add(&mut self, other: &SendSummary) {
        self.sent += other.sent;
        self.retrying += other.retrying;
        self.failed += other.failed;
    }
}

/// Sends what is due; a failed attempt is retried or given up as [`retry`] says. A mail
/// to the complainant that fails for good alerts the owner. The copy of a letter sent to
/// the complainant goes to the Sent folder while the next letter is submitted, so the
/// SMTP session is kept busy.
pub async fn send_pass<S: Sender, M: Mailbox>(
    sender: &mut S,
    mailbox: Option<&mut M>,
    registry: &Registry,
    policy: &SendPolicy,
) -> Result<SendSummary, ChangeError> {
    let mut report = SendSummary::default();
    let mut mailbox = mailbox;
    // The text of the last letter sent to the complainant, its copy not yet in Sent.
    let mut copy: Option<Vec<u8>> = None;
    for mut q in registry.due_outgoing(registry.now(), crate::mailbox::BATCH)? {
        let result = match (copy.take(), mailbox.as_deref_mut()) {
            (Some(raw), Some(mb)) => {
                let (result, kept) = tokio::join!(sender.send(&q.mail), mb.keep_sent(&raw));
                warn_not_kept(kept);
                result
            }
            _ => sender.send(&q.mail).await,
        };
        if result.is_ok() {
            crate::faults::crash_point("after_send");
        }
        let now = registry.now();
        q.attempts += 1;
        match result {
            Ok(()) => {
                q.status = OutboxStatus::Sent;
                q.last_error = None;
                report.sent += 1;
                registry.record_attempt(&q, now)?;
            }
            Err(e) => {
                q.last_error = Some(e.to_string());
                let to_owner = !q.mail.to_complainant;
                let jitter = |max| fastrand::i64(0..=max);
                match retry::after_failure(policy, q.attempts, &e, to_owner, now, jitter) {
                    AfterFailure::GiveUp => {
                        q.status = OutboxStatus::Failed;
                        report.failed += 1;
                        registry.give_up(&q, now)?;
                        error!(case = ?q.mail.case.map(|c| c.to_string()), kind = q.mail.kind.key(), attempts = q.attempts, "letter could not be sent; owner alerted");
                    }
                    AfterFailure::Retry { at } => {
                        q.next_try = at;
                        report.retrying += 1;
                        // Per mail at debug: the sender loop logs the state change once.
                        tracing::debug!(
                            kind = q.mail.kind.key(),
                            attempts = q.attempts,
                            "send failed, will retry"
                        );
                        registry.record_attempt(&q, now)?;
                    }
                }
            }
        }
        if q.status == OutboxStatus::Sent && q.mail.to_complainant {
            copy = Some(std::mem::take(&mut q.mail.raw));
        }
    }
    if let (Some(raw), Some(mb)) = (copy, mailbox) {
        warn_not_kept(mb.keep_sent(&raw).await);
    }
    Ok(report)
}

/// A copy that could not be kept in the Sent folder: the letter went out all the same.
fn warn_not_kept(kept: Result<(), crate::mailbox::MailboxError>) {
    if let Err(e) = kept {
        warn!(error = %e, "could not keep a copy in the Sent folder");
    }
}

/// What the loops work with, made from the config once: the registry (intake, the
/// owner's requests, the send records), the parts the scheduler's tick is handed, and
/// the loops' settings.
pub struct Daemon {
    registry: Arc<Registry>,
    /// Mail from here on is taken in (`[mailbox] since`); older mail is left alone.
    since: DateTime<Utc>,
    parts: Parts,
    schedule: ScheduleSettings,
    /// The daily export (`[backup]`), taken by the scheduler's pass.
    backup: crate::config::BackupConfig,
    tick_every: Duration,
    send: SendPolicy,
    /// Since when connected, the last error, the last poll: for `klachtd status`.
    live: crate::status::SharedLive,
    /// How long the mailbox may fail before the owner is told (`[mailbox]
    /// alert_after_minutes`).
    alert_after: chrono::Duration,
}

impl Daemon {
    pub fn open(config: &Config, clock: Clock) -> anyhow::Result<Daemon> {
        let parts = Parts::open(config)?;
        let registry = Registry::new(&parts, config.intake_context(), &config.store.path, clock);
        let since = config.mailbox.since.moment(registry.first_start()?);
        Ok(Daemon {
            registry: Arc::new(registry),
            since,
            parts,
            schedule: config.schedule_settings(),
            backup: config.backup.clone(),
            tick_every: Duration::from_secs(config.schedule.tick_seconds.max(1)),
            send: SendPolicy::new(config.smtp.max_attempts),
            live: Default::default(),
            alert_after: chrono::Duration::minutes(
                i64::try_from(config.mailbox.alert_after_minutes).unwrap_or(i64::MAX / 120_000),
            ),
        })
    }

    /// One scheduler tick at the registry's "now", logged. Errors are logged, not fatal:
    /// the next tick tries again (nothing was half-written: each case is one transaction).
    pub fn scheduler_pass(&self) -> Option<TickSummary> {
        let Parts {
            store,
            letters,
            calendar,
            ..
        } = &self.parts;
        let summary = match crate::scheduler::tick(
            store,
            letters,
            calendar,
            &self.schedule,
            self.registry.now(),
        ) {
            Ok(r) => {
                if r.queued() > 0 || r.erased > 0 {
                    info!(
                        open_cases = r.open_cases,
                        reminders = r.reminders,
                        escalations = r.escalations,
                        alerts = r.alerts,
                        information_reminders = r.information_reminders,
                        digests = r.digests,
                        erased = r.erased,
                        "scheduler tick"
                    );
                }
                Some(r)
            }
            Err(e) => {
                error!(error = %e, "scheduler tick failed");
                None
            }
        };
        match crate::scheduler::daily_export(store, &self.backup, self.registry.now()) {
            Ok(Some(a)) => info!(
                cases = a.header.cases(),
                bytes = a.size,
                path = %a.path.display(),
                "backup: daily export written"
            ),
            Ok(None) => {}
            // Tried again at the next tick.
            Err(e) => error!(error = %e, "backup: the daily export failed"),
        }
        summary
    }
}

/// Runs the daemon until `cancel` fires (or, with `once`, after one pass over the inbox,
/// one scheduler tick and one pass over the outbox).
pub async fn run(
    config: Config,
    clock: Clock,
    once: bool,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let daemon = Daemon::open(&config, clock)?;
    if config.commission.name.trim().is_empty() {
        warn!(
            "[commission] name is not set: decisions cannot be sent, as art. 5.2 asks that the decision letter names the independent commission"
        );
    }
    let status = crate::status::Source {
        store: daemon.parts.store.clone(),
        calendar: daemon.parts.calendar.clone(),
        live: daemon.live.clone(),
    };
    let control = crate::control::serve(daemon.registry.clone(), status, cancel.clone())?;
    let result = async {
        let state = daemon.registry.sync_state(SYNC_STATE)?;
        let mailbox = AnyMailbox::open(&config, state)?;
        // A second connection for the Sent copies: the first one waits in IDLE.
        let keeper = AnyMailbox::open(&config, None)?;
        let sender = AnySender::open(&config)?;
        serve(&daemon, mailbox, Some(keeper), sender, once, cancel.clone()).await
    }
    .await;
    cancel.cancel();
    let _ = control.await;
    result
}

/// The intake and sender loops over a mailbox and a sender.
pub async fn serve<M: Mailbox, S: Sender>(
    daemon: &Daemon,
    mailbox: M,
    mut sent_keeper: Option<M>,
    mut sender: S,
    once: bool,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let registry = &daemon.registry;
    registry.warm_up().await;
    let policy = &daemon.send;
    let mut mailbox = mailbox;
    mailbox.set_window(Window {
        from: Some(daemon.since),
        until: None,
    });
    if once {
        // Batch by batch until the inbox and the due outbox are empty.
        let mut report = IntakeSummary::default();
        loop {
            let pass = intake_pass(&mut mailbox, registry, &cancel).await?;
            report.add(&pass);
            if pass.total() < crate::mailbox::BATCH {
                break;
            }
        }
        tell_left_alone(registry, report.left_alone, daemon.since)?;
        daemon.scheduler_pass();
        let mut sent = SendSummary::default();
        loop {
            let pass = send_pass(&mut sender, Some(&mut mailbox), registry, policy).await?;
            sent.add(&pass);
            if pass.total() < crate::mailbox::BATCH {
                break;
            }
        }
        info!(
            new_cases = report.new_cases,
            follow_ups = report.follow_ups,
            automated = report.automated,
            set_aside = report.set_aside,
            duplicates = report.duplicates,
            left_alone = report.left_alone,
            sent = sent.sent,
            retrying = sent.retrying,
            failed = sent.failed,
            peak_memory_kib = peak_rss_kib(),
            "one pass done"
        );
        mailbox.close().await;
        if let Some(k) = sent_keeper.as_mut() {
            k.close().await;
        }
        return Ok(());
    }
    // The loops run on this task (the mailbox adapters' futures need not be Send); the
    // sender is woken when intake or the scheduler queued something, and every few
    // seconds for retries (and for the owner's letters queued through the control socket).
    let wake_sender = tokio::sync::Notify::new();
    let intake = async {
        let mut failing = false;
        let mut left_alone = 0;
        // A failure that lasts reaches the owner once, and its end once.
        let mut outage = Outage::default();
        while !cancel.is_cancelled() {
            match intake_pass(&mut mailbox, registry, &cancel).await {
                Ok(r) => {
                    crate::status::Live::polled(&daemon.live, registry.now());
                    if failing {
                        info!("intake recovered");
                        failing = false;
                    }
                    outage.cleared(registry);
                    left_alone += r.left_alone;
                    if r.total() < crate::mailbox::BATCH && left_alone > 0 {
                        // the inbox is read to its end: the count is complete
                        match tell_left_alone(registry, left_alone, daemon.since) {
                            Ok(()) => left_alone = 0,
                            Err(e) => error!(error = %e, "cannot tell the owner of older mail"),
                        }
                    }
                    if r.total() > 0 {
                        wake_sender.notify_one();
                    }
                    if r.total() >= crate::mailbox::BATCH {
                        continue; // a backlog: the next batch at once
                    }
                }
                Err(e) => {
                    crate::status::Live::failed(&daemon.live, registry.now(), e.to_string());
                    if !failing {
                        error!(error = %e, "intake failed; retrying");
                        failing = true;
                    }
                    outage.failing(registry, daemon.alert_after, &e.to_string());
                    // Fetch again what this pass could not take in, from the durable state.
                    match registry.sync_state(SYNC_STATE) {
                        Ok(state) => mailbox.rewind(state),
                        Err(e) => error!(error = %e, "cannot read the mailbox sync state"),
                    }
                    // The mail is still there and `wait` would return at once: pause.
                    pause(&cancel, Duration::from_secs(5)).await;
                }
            }
            if mailbox.wait(&cancel).await.is_err() {
                pause(&cancel, Duration::from_secs(5)).await;
            }
        }
    };
    let sending = async {
        let mut failing = false;
        while !cancel.is_cancelled() {
            match send_pass(&mut sender, sent_keeper.as_mut(), registry, policy).await {
                Ok(r) => {
                    // Logged once per change of state, not once per retry.
                    if r.retrying > 0 && r.sent == 0 && !failing {
                        warn!(
                            waiting = r.retrying,
                            "sending fails; letters wait and are retried"
                        );
                        failing = true;
                    } else if r.sent > 0 && failing {
                        info!("sending works again");
                        failing = false;
                    }
                    if let Err(e) = registry.watch_outbox() {
                        error!(error = %e, "cannot tell the owner about the outbox");
                    }
                    if r.total() >= crate::mailbox::BATCH {
                        continue;
                    }
                }
                Err(e) => error!(error = %e, "sending failed"),
            }
            tokio::select! {
                _ = cancel.cancelled() => {}
                _ = wake_sender.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    };
    // The scheduler ticks at once (what fell due while the daemon was down goes out
    // now), then every `schedule.tick_seconds`.
    let scheduling = async {
        while !cancel.is_cancelled() {
            if daemon.scheduler_pass().is_some_and(|r| r.queued() > 0) {
                wake_sender.notify_one();
            }
            pause(&cancel, daemon.tick_every).await;
        }
    };
    // systemd's watchdog (WatchdogSec=): pinged from this same task, so a loop that
    // blocks the thread stops the pings and systemd restarts the daemon.
    let watchdog = async {
        let mut usec = 0;
        if !sd_notify::watchdog_enabled(false, &mut usec) || usec == 0 {
            return;
        }
        let every = Duration::from_micros(usec / 2);
        while !cancel.is_cancelled() {
            let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Watchdog]);
            pause(&cancel, every).await;
        }
    };
    let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Ready]);
    tokio::join!(intake, sending, scheduling, watchdog);
    let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Stopping]);
    // The loops ended (SIGTERM): every change is flushed by its own commit; say goodbye
    // to the IMAP server.
    mailbox.close().await;
    if let Some(k) = sent_keeper.as_mut() {
        k.close().await;
    }
    info!("stopped");
    Ok(())
}

/// A failing mailbox, as the owner hears of it: once when it has failed for the allowed
/// time, once when it works again.
#[derive(Debug, Default)]
struct Outage {
    since: Option<DateTime<Utc>>,
    told: bool,
}

impl Outage {
    fn failing(&mut self, registry: &Registry, allowed: chrono::Duration, error: &str) {
        let now = registry.now();
        let since = *self.since.get_or_insert(now);
        if self.told || now - since < allowed {
            return;
        }
        let reason = format!(
            "klachtd kan de klachtenmailbox sinds {} niet lezen. Nieuwe klachten blijven \
             in de mailbox staan en worden verwerkt zodra het weer lukt; er gaat niets \
             verloren, maar er worden intussen ook geen ontvangstbevestigingen verstuurd.\n\n\
             De foutmelding: {error}\n\n\
             Controleer het wachtwoord en de server ([mailbox] in de configuratie) met:\n\n\
             \x20   klachtd config check",
            since
                .with_timezone(&crate::rules::ZONE)
                .format("%d-%m-%Y %H:%M")
        );
        match registry.notify_owner("de klachtenmailbox is onbereikbaar", &reason) {
            Ok(()) => {
                warn!("the mailbox has been failing for a while; the owner is told");
                self.told = true;
            }
            Err(e) => error!(error = %e, "cannot tell the owner that the mailbox fails"),
        }
    }

    fn cleared(&mut self, registry: &Registry) {
        let since = self.since.take();
        if !std::mem::take(&mut self.told) {
            return;
        }
        let reason = format!(
            "klachtd kan de klachtenmailbox weer lezen (onbereikbaar sinds {}). De klachten \
             die intussen binnenkwamen worden nu verwerkt en beantwoord.",
            since
                .map(|t| t
                    .with_timezone(&crate::rules::ZONE)
                    .format("%d-%m-%Y %H:%M")
                    .to_string())
                .unwrap_or_default()
        );
        match registry.notify_owner("de klachtenmailbox werkt weer", &reason) {
            Ok(()) => info!("the mailbox works again; the owner is told"),
            Err(e) => error!(error = %e, "cannot tell the owner that the mailbox works again"),
        }
    }
}

/// Tells the owner, once for the store's lifetime, that `count` mails older than `since`
/// were left in the mailbox, and how to take them in.
fn tell_left_alone(
    registry: &Registry,
    count: usize,
    since: DateTime<Utc>,
) -> Result<(), ChangeError> {
    if count == 0 {
        return Ok(());
    }
    let day = crate::letters::dutch_date(crate::rules::calendar::local_date(since));
    let mails = if count == 1 {
        "1 e-mail".to_string()
    } else {
        format!("{count} e-mails")
    };
    let reason = format!(
        "In de klachtenmailbox stonden {mails} die vóór {day} zijn binnengekomen, vóór \
         klachtd er voor het eerst mee begon ([mailbox] since). klachtd heeft ze laten staan \
         waar ze stonden: niet beantwoord en niet als klacht geregistreerd.\n\n\
         Wilt u ze toch opnemen, stil (dossiers zonder brieven aan de afzenders en zonder \
         herinneringen voor lang verstreken termijnen), stop dan klachtd en voer uit:\n\n\
         \x20   klachtd history --since JJJJ-MM-DD --dry-run   (laat zien wat er zou gebeuren)\n\
         \x20   klachtd history --since JJJJ-MM-DD\n\n\
         met de datum vanaf wanneer u de oude e-mail wilt opnemen. Daarna start u klachtd weer."
    );
    if registry.notify_owner_once(
        LEFT_ALONE_MARK,
        "oudere e-mail in de klachtenmailbox is niet verwerkt",
        &reason,
    )? {
        warn!(
            count,
            "older mail (before [mailbox] since) left in the mailbox; the owner is told"
        );
    }
    Ok(())
}

/// Waits `duration`, or until `cancel` fires.
async fn pause(cancel: &CancellationToken, duration: Duration) {
    tokio::select! {
        _ = cancel.cancelled() => {}
        _ = tokio::time::sleep(duration) => {}
    }
}

/// Peak resident memory of this process, in KiB (Linux: VmHWM).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
