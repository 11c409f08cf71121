//! Complaints from a local Maildir: new mail in `new/`; once taken in, a mail moves to
//! `cur/` with the Seen flag (the Maildir spec), or to the Maildir++ folder for mail set
//! aside. Only `new/` is read: the store's dedupe keeps a re-delivered copy harmless.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use super::{Folder, IncomingMail, MailId, Mailbox, MailboxError, Window};

pub struct MaildirMailbox {
    root: PathBuf,
    set_aside: PathBuf,
    sent: Option<PathBuf>,
    poll: Duration,
    window: Window,
    /// Files in new/ outside the window, seen once (and counted then).
    passed_over: std::collections::HashSet<String>,
    left_alone: usize,
    /// `klachtd history --dry-run`: each file handed out once (nothing is moved, so the
    /// next batch would otherwise be the same one).
    handed_out: Option<std::collections::HashSet<String>>,
}

/// Creates `dir/{new,cur,tmp}` when missing.
pub fn ensure_maildir(dir: &Path) -> std::io::Result<()> {
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    Ok(())
}

/// Delivers `raw` into the Maildir `dir` under `name` (tmp/ then rename, per the spec),
/// into `new/` or, with `seen`, into `cur/`. Writing the same name twice replaces the
/// file: a retried delivery never makes a second copy.
pub fn deliver(dir: &Path, name: &str, raw: &[u8], seen: bool) -> std::io::Result<PathBuf> {
    ensure_maildir(dir)?;
    let tmp = dir.join("tmp").join(name);
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(raw)?;
        f.sync_all()?;
    }
    let target = if seen {
        dir.join("cur").join(format!("{name}:2,S"))
    } else {
        dir.join("new").join(name)
    };
    std::fs::rename(&tmp, &target)?;
    Ok(target)
}

/// A file name safe for a Maildir, from any string (a Message-ID, a hash).
pub fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.@=".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(200)
        .collect()
}

impl MaildirMailbox {
    /// Opens the Maildir at `root` (creating it), copying the `seed` mails in first.
    pub fn open(
        root: &Path,
        seed: Option<&Path>,
        set_aside_folder: &str,
        sent_folder: &str,
        poll_seconds: u64,
    ) -> Result<MaildirMailbox, MailboxError> {
        ensure_maildir(root)?;
        // Maildir++ folders: ".Name" beside new/ cur/ tmp/ ('.' separates levels).
        let folder = |name: &str| root.join(format!(".{}", name.replace(['/', '.'], "_")));
        let mailbox = MaildirMailbox {
            root: root.to_path_buf(),
            set_aside: folder(set_aside_folder),
            sent: (!sent_folder.is_empty()).then(|| folder(sent_folder)),
            poll: Duration::from_secs(poll_seconds.max(1)),
            window: Window::default(),
            passed_over: std::collections::HashSet::new(),
            left_alone: 0,
            handed_out: None,
        };
        if let Some(seed) = seed {
            mailbox.seed(seed)?;
        }
        Ok(mailbox)
    }

    /// Hands out each file once only, for a reader that moves nothing (a dry run).
    pub fn hand_out_once(&mut self) {
        self.handed_out = Some(std::collections::HashSet::new());
    }

    /// Copies each seed .eml into new/ unless a mail of that name is already here.
    fn seed(&self, seed: &Path) -> Result<(), MailboxError> {
        let mut present = std::collections::HashSet::new();
        for dir in [
            self.root.join("new"),
            self.root.join("cur"),
            self.set_aside.join("cur"),
        ] {
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    present.insert(name.split(':').next().unwrap_or_default().to_string());
                }
            }
        }
        let mut files: Vec<_> = std::fs::read_dir(seed)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        for file in files {
            let name = safe_name(&file.file_stem().unwrap_or_default().to_string_lossy());
            if !present.contains(&name) {
                deliver(&self.root, &name, &std::fs::read(&file)?, false)?;
            }
        }
        Ok(())
    }
}

impl Mailbox for MaildirMailbox {
    async fn fetch_new(&mut self) -> Result<Vec<IncomingMail>, MailboxError> {
        let mut waiting = Vec::new();
        for entry in std::fs::read_dir(self.root.join("new"))? {
            let entry = entry?;
            let meta = entry.metadata()?;
            if meta.is_file() {
                let arrived: DateTime<Utc> = meta.modified()?.into();
                let name = entry.file_name().to_string_lossy().into_owned();
                if self
                    .handed_out
                    .as_ref()
                    .is_some_and(|seen| seen.contains(&name))
                {
                    continue;
                }
                if self.window.contains(arrived) {
                    waiting.push((arrived, name));
                } else if self.passed_over.insert(name) {
                    self.left_alone += 1;
                }
            }
        }
        waiting.sort();
        waiting.truncate(super::BATCH);
        if let Some(seen) = self.handed_out.as_mut() {
            seen.extend(waiting.iter().map(|(_, name)| name.clone()));
        }
        let mut mails = Vec::with_capacity(waiting.len());
        for (arrived, name) in waiting {
            match std::fs::read(self.root.join("new").join(&name)) {
                Ok(raw) => mails.push(IncomingMail {
                    id: MailId::File(name),
                    raw,
                    arrived,
                }),
                // Taken away meanwhile (another reader): nothing to do.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(mails)
    }

    async fn dispose(&mut self, id: &MailId, folder: Folder) -> Result<(), MailboxError> {
        let MailId::File(name) = id else {
            return Err(MailboxError::Protocol(format!("not a Maildir mail: {id}")));
        };
        let from = self.root.join("new").join(name);
        let to_dir = match folder {
            Folder::Processed => self.root.clone(),
            Folder::SetAside => self.set_aside.clone(),
        };
        ensure_maildir(&to_dir)?;
        let to = to_dir.join("cur").join(format!("{name}:2,S"));
        match std::fs::rename(&from, &to) {
            // Already moved by a run that stopped before it could record so: done.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && to.exists() => Ok(()),
            other => Ok(other?),
        }
    }

    async fn keep_sent(&mut self, raw: &[u8]) -> Result<(), MailboxError> {
        if let Some(sent) = &self.sent {
            let name = safe_name(&crate::domain::content_hash(raw));
            deliver(sent, &name, raw, true)?;
        }
        Ok(())
    }

    fn set_window(&mut self, window: Window) {
        self.window = window;
    }

    fn take_left_alone(&mut self) -> usize {
        std::mem::take(&mut self.left_alone)
    }

    async fn wait(&mut self, cancel: &CancellationToken) -> Result<(), MailboxError> {
        tokio::select! {
            _ = cancel.cancelled() => {}
            _ = tokio::time::sleep(self.poll) => {}
        }
        Ok(())
    }
}
