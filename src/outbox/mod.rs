//! How mail leaves: a Maildir folder (the embedded default) or SMTP submission.
//!
//! Every outgoing mail is first queued in the store (in the transaction of its cause);
//! the sender task takes it from there and marks it sent. Retries follow [`retry`].

pub mod maildir;
pub mod retry;
pub mod smtp;

use crate::domain::Outgoing;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Try again later (network, 4xx).
    #[error("transient: {0}")]
    Transient(String),
    /// The server refused for good (5xx).
    #[error("permanent: {0}")]
    Permanent(String),
}

/// A way to send mail.
#[allow(async_fn_in_trait)] // used with concrete types only, never boxed
pub trait Sender {
    async fn send(&mut self, mail: &Outgoing) -> Result<(), SendError>;
}

/// The sender the config names.
pub enum AnySender {
    Maildir(maildir::MaildirSender),
    Smtp(Box<smtp::SmtpSender>),
}

impl AnySender {
    pub fn open(config: &crate::config::Config) -> Result<AnySender, smtp::SmtpSetupError> {
        Ok(match config.smtp.kind {
            crate::config::Kind::Smtp => AnySender::Smtp(Box::new(smtp::SmtpSender::new(config)?)),
            _ => AnySender::Maildir(maildir::MaildirSender::new(
                config.smtp.path.as_deref().unwrap_or(".".as_ref()),
            )),
        })
    }
}

impl Sender for AnySender {
    async fn send(&mut self, mail: &Outgoing) -> Result<(), SendError> {
        match self {
            AnySender::Maildir(s) => s.send(mail).await,
            AnySender::Smtp(s) => s.send(mail).await,
        }
    }
}
