//! The owner's mail (issue 11): a command by mail carried out only when her From
//! address is one of `[owner] addresses`, our receiving server authenticated it
//! (`procedure::owner::authres`) and it carries an unused, genuine token of the case
//! (`procedure::owner::token`). Anything else from her, or any mail with her token from
//! someone else, is never a complaint or a follow-up: refused (kept, set aside, one
//! notice, at most 5 a day, nothing to any complainant) or, without a command, kept with
//! one help mail a day at most. Logs carry reasons, never addresses or text.

use chrono::{DateTime, Utc};
use minijinja::context;
use tracing::{info, warn};

use super::{ChangeError, Registered, Registry};
use crate::cases::{Case, Change};
use crate::domain::{CaseNumber, LetterKind, Outgoing};
use crate::intake::Submission;
use crate::letters::{Extras, dutch_date};
use crate::procedure::actions::Action;
use crate::procedure::owner::command::{self, Command, MailCommand, Read};
use crate::procedure::owner::token::{self, Scope, Token, TokenRefusal};
use crate::procedure::owner::{OwnerCommands, authres};
use crate::procedure::schedule::{AckStatus, digest_letter, digest_rows};
use crate::rules::calendar::local_date;
use crate::rules::deadlines::deadlines;
use crate::store::{Committed, Disposition, MailIn, MailRecord, keys};

/// What the registry needs for the owner's mail.
#[derive(Debug, Clone)]
pub struct OwnerMail {
    pub commands: OwnerCommands,
    /// `[owner] addresses`.
    pub addresses: Vec<String>,
}

impl OwnerMail {
    /// Whether `sub` claims to come from the owner (its From is an `[owner]` address).
    /// A claim only: the commands check authentication and a token besides.
    pub fn wrote(&self, sub: &Submission) -> bool {
        let from = sub.message.from.as_ref();
        from.is_some_and(|f| self.addresses.iter().any(|a| f.same_as(a)))
    }
}

/// The mail's text that may hold a token: the subject, her new text, the quoted history.
fn token_text(sub: &Submission) -> String {
    let m = &sub.message;
    format!("{}\n{}\n{}", m.subject, m.text, m.history)
}

/// The body of a letter as text (the complainant's letter, quoted to the owner).
fn body_of(mail: &Outgoing) -> String {
    mail_parser::MessageParser::default()
        .parse(&mail.raw)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

impl Registry {
    /// The owner's mail, or a mail with her token: what became of it. None: not hers
    /// (or commands by mail are off), the caller goes on as for any mail.
    pub(super) fn owner_mail(
        &self,
        raw: &[u8],
        hash: &str,
        sub: &Submission,
        arrived: DateTime<Utc>,
    ) -> Result<Option<Registered>, ChangeError> {
        let Some(owner) = self.owner.clone() else {
            return Ok(None);
        };
        let now = self.clock.now();
        let from = sub.message.from.as_ref();
        let is_owner = owner.wrote(sub);
        let text = token_text(sub);
        let tokens = token::find(&text);
        if !is_owner {
            // Only a token made with our key (expired or not) marks a leaked owner's
            // mail; a mere look-alike is an ordinary mail.
            let genuine = tokens.iter().any(|t| {
                !matches!(
                    token::verify(&owner.commands.key, t, now),
                    Err(TokenRefusal::Tampered)
                )
            });
            if !genuine {
                return Ok(None);
            }
            return self
                .refuse(
                    raw,
                    hash,
                    sub,
                    arrived,
                    "a mail with an owner's token from an address that is not the owner's",
                )
                .map(Some);
        }
        let command = match command::read(&sub.message.text, local_date(now)) {
            Read::Nothing => {
                return self
                    .owner_without_command(raw, hash, sub, arrived)
                    .map(Some);
            }
            Read::Command(c) => Ok(c),
            // Refused with its reason, once she is known to be herself.
            Read::Invalid(reason) => Err(reason),
        };
        // Provably hers: our server authenticated her domain.
        let domain = from
            .and_then(|f| f.address.rsplit_once('@'))
            .map_or("", |(_, d)| d);
        if let Err(e) = authres::check(&sub.message.headers, &owner.commands.policy, domain) {
            return self
                .refuse(raw, hash, sub, arrived, &e.to_string())
                .map(Some);
        }
        let token = match self.pick_token(&owner.commands, &tokens, now) {
            Ok(t) => t,
            Err(e) => {
                return self
                    .refuse(raw, hash, sub, arrived, &e.to_string())
                    .map(Some);
            }
        };
        let command = match command {
            Ok(c) => c,
            Err(reason) => {
                return self.refuse(raw, hash, sub, arrived, &reason).map(Some);
            }
        };
        let case = match token.scope {
            Scope::Case(n) => Some(n),
            Scope::Overview => None,
        };
        // The command is about the token's case, and nothing else: the case her line
        // names, and the case of the thread she answers, must be it.
        let thread = sub.message.thread();
        let thread_case = self.store.case_by_thread(&thread)?;
        let named = command.case.or(thread_case);
        let other_case =
            match (named, case) {
                (Some(n), Some(c)) => n != c,
                (Some(_), None) => command.command != Command::Overview,
                _ => false,
            } || (thread_case.is_some() && command.case.is_some() && thread_case != command.case);
        if other_case || (case.is_none() && command.command != Command::Overview) {
            return self
                .refuse(
                    raw,
                    hash,
                    sub,
                    arrived,
                    &TokenRefusal::OtherCase.to_string(),
                )
                .map(Some);
        }
        self.execute(raw, hash, sub, arrived, &command, case, &token)
            .map(Some)
    }

    /// The first genuine, unexpired, unused token among `tokens`; else why not (the
    /// first one's reason).
    fn pick_token(
        &self,
        commands: &OwnerCommands,
        tokens: &[&str],
        now: DateTime<Utc>,
    ) -> Result<Token, TokenRefusal> {
        let mut first_error = None;
        for t in tokens {
            let checked = token::verify(&commands.key, t, now).and_then(|t| {
                let case = match t.scope {
                    Scope::Case(n) => Some(n),
                    Scope::Overview => None,
                };
                match self.store.mark_time(&keys::token_mark(case, &t.mac)) {
                    Ok(None) => Ok(t),
                    // A store that cannot say counts as used: nothing is done.
                    _ => Err(TokenRefusal::Used),
                }
            });
            match checked {
                Ok(t) => return Ok(t),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or(TokenRefusal::Missing))
    }

    fn record(
        &self,
        hash: &str,
        sub: &Submission,
        arrived: DateTime<Utc>,
        disposition: Disposition,
        reason: Option<String>,
    ) -> MailRecord {
        MailRecord {
            hash: hash.to_string(),
            message_id: sub.message.message_id.clone(),
            arrived,
            disposition,
            case: None,
            reason,
        }
    }

    /// Carries out her command, with its confirmation in her thread and a fresh token.
    #[allow(clippy::too_many_arguments)]
    fn execute(
        &self,
        raw: &[u8],
        hash: &str,
        sub: &Submission,
        arrived: DateTime<Utc>,
        command: &MailCommand,
        case: Option<CaseNumber>,
        token: &Token,
    ) -> Result<Registered, ChangeError> {
        let now = self.clock.now();
        let message_id = sub.message.message_id.clone().unwrap_or_default();
        let record = self.record(
            hash,
            sub,
            arrived,
            Disposition::Owner,
            Some("owner's command by mail".into()),
        );
        let mail = MailIn {
            record: &record,
            raw,
        };
        let mark = keys::token_mark(case, &token.mac);
        let reply = |kind: LetterKind, case: Option<&Case>, extra| {
            self.letters.write_with(
                kind,
                case,
                extra,
                now,
                Extras {
                    in_reply_to: Some(&message_id),
                    ..Default::default()
                },
            )
        };
        let committed = match (&command.command, case) {
            (Command::Overview, _) => {
                let cases = self.store.open_cases()?;
                let rows = digest_rows(&cases, |_| AckStatus::Sent, &self.calendar);
                self.store.commit(Some(mail), None, now, |_| {
                    let digest = digest_letter(&rows, 0, &self.letters, now)?;
                    Ok::<_, ChangeError>(Change {
                        outgoing: vec![digest],
                        marks: vec![mark.clone()],
                        ..Change::default()
                    })
                })
            }
            (Command::Status, Some(number)) => {
                self.store.commit_to_case(mail, number, now, |case| {
                    let extra = context! {
                        done => "status",
                        status => self.status_text(&case, now),
                        next_deadline => self.next_deadline(&case, now),
                        letter_missing => false,
                    };
                    let confirmation = reply(LetterKind::OwnerConfirmation, Some(&case), extra)?;
                    Ok::<_, ChangeError>(Change {
                        case: Some(case),
                        outgoing: vec![confirmation],
                        marks: vec![mark.clone()],
                        ..Change::default()
                    })
                })
            }
            (Command::Act(action), Some(number)) => {
                // Art. 4.2: the files of her mail go to the complainant with the
                // information.
                let action = &match action {
                    Action::Inform { text, .. } => Action::Inform {
                        text: text.clone(),
                        enclosures: enclosures_of(raw),
                    },
                    other => other.clone(),
                };
                match self.act_by_mail(mail, number, action, &message_id, |change| {
                    let Some(case) = change.case.as_ref() else {
                        return Ok(());
                    };
                    let letter = change.outgoing.iter().find(|o| o.to_complainant).map(body_of);
                    let extra = context! {
                        done => done_text(action),
                        letter => letter,
                        letter_missing => action.letter().is_some() && !change.outgoing.iter().any(|o| o.to_complainant),
                        next_deadline => self.next_deadline(case, now),
                    };
                    let confirmation = reply(LetterKind::OwnerConfirmation, Some(case), extra)?;
                    change.outgoing.push(confirmation);
                    change.marks.push(mark.clone());
                    Ok(())
                }) {
                    Err(ChangeError::Refused(e)) => {
                        // Not allowed in the case's state (or no text): refused, visibly.
                        return self.refuse(raw, hash, sub, arrived, &e.to_string());
                    }
                    other => other,
                }
            }
            (_, None) => {
                return self.refuse(
                    raw,
                    hash,
                    sub,
                    arrived,
                    &TokenRefusal::OtherCase.to_string(),
                );
            }
        }?;
        Ok(match committed {
            Committed::Done(_) => {
                info!(case = ?case.map(|c| c.to_string()), command = command_name(&command.command), "owner's command by mail carried out");
                Registered::OwnerCommand(case)
            }
            Committed::Duplicate(r) => Registered::Duplicate(r),
        })
    }

    /// A command not carried out: the mail kept and set aside, one notice to her (at most
    /// 5 a day), nothing to any complainant; logged with the reason only.
    fn refuse(
        &self,
        raw: &[u8],
        hash: &str,
        sub: &Submission,
        arrived: DateTime<Utc>,
        reason: &str,
    ) -> Result<Registered, ChangeError> {
        let now = self.clock.now();
        let today = local_date(now);
        warn!(reason, "owner's command by mail refused");
        let record = self.record(
            hash,
            sub,
            arrived,
            Disposition::SetAside,
            Some(format!("command refused: {reason}")),
        );
        let sent_today = self.store.marks(&keys::refusal_prefix(today))?.len();
        let committed = self.store.commit(
            Some(MailIn {
                record: &record,
                raw,
            }),
            None,
            now,
            |_| {
                let mut outgoing = Vec::new();
                let mut marks = vec![keys::refusal_mark(today, hash)];
                if sent_today < 5 {
                    outgoing.push(self.letters.write(
                        LetterKind::OwnerRefusal,
                        None,
                        context! { reason => reason, mail => &hash[..hash.len().min(12)] },
                        now,
                    )?);
                } else {
                    // Past the day's 5 notices: counted in the next digest instead.
                    marks.push(keys::unnoticed_refusal_mark(hash));
                }
                Ok::<_, ChangeError>(Change {
                    outgoing,
                    marks,
                    ..Change::default()
                })
            },
        )?;
        Ok(Registered::after(
            committed,
            Registered::SetAside(format!("command refused: {reason}")),
        ))
    }

    /// Her mail without a command: kept, and one help mail a day at most.
    fn owner_without_command(
        &self,
        raw: &[u8],
        hash: &str,
        sub: &Submission,
        arrived: DateTime<Utc>,
    ) -> Result<Registered, ChangeError> {
        let now = self.clock.now();
        let mark = keys::help_mark(local_date(now));
        let helped = self.store.mark_time(&mark)?.is_some();
        let record = self.record(
            hash,
            sub,
            arrived,
            Disposition::Owner,
            Some("owner's mail without a command".into()),
        );
        let committed = self.store.commit(
            Some(MailIn {
                record: &record,
                raw,
            }),
            None,
            now,
            |_| {
                if helped {
                    return Ok::<_, ChangeError>(Change::default());
                }
                Ok(Change {
                    outgoing: vec![self.letters.write(
                        LetterKind::OwnerHelp,
                        None,
                        context! {},
                        now,
                    )?],
                    marks: vec![mark.clone()],
                    ..Change::default()
                })
            },
        )?;
        info!("owner's mail without a command, kept");
        Ok(Registered::after(committed, Registered::OwnerCommand(None)))
    }

    /// The next deadline of `case`, in words.
    fn next_deadline(&self, case: &Case, now: DateTime<Utc>) -> String {
        use crate::cases::State;
        if !case.state.is_open() {
            return "geen: de zaak heeft de procedure verlaten".into();
        }
        if case.state == State::Decided {
            return "geen termijn meer; bevestig de uitkomst met `afronden`".into();
        }
        let d = deadlines(case.received, &self.calendar, case.extended_to);
        let today = local_date(now);
        if case.extended_to.is_none() && d.target >= today {
            format!(
                "streefdatum afhandeling (3 weken) {}; beslissing uiterlijk {}",
                dutch_date(d.target),
                dutch_date(d.decide_by)
            )
        } else {
            format!("beslissing uiterlijk {}", dutch_date(d.decide_by))
        }
    }

    /// The case as it stands, for `status`.
    fn status_text(&self, case: &Case, now: DateTime<Utc>) -> String {
        let d = deadlines(case.received, &self.calendar, case.extended_to);
        let mut s = format!(
            "Status: {}\nOntvangen: {}\nOntvangstbevestiging uiterlijk: {}\nBeslissing uiterlijk: {}",
            case.state.dutch(),
            dutch_date(local_date(case.received)),
            dutch_date(d.acknowledge_by),
            dutch_date(d.decide_by),
        );
        if let Some(h) = case.hearing_at {
            s.push_str(&format!("\nHoorzitting: {}", dutch_date(h)));
        }
        if let Some(last) = case.events.last() {
            let ago = now.signed_duration_since(last.at).num_days();
            s.push_str(&format!(
                "\nLaatste gebeurtenis: {} dagen geleden",
                ago.max(0)
            ));
        }
        s
    }
}

/// The files attached to a mail (named attachments, not inline parts).
fn enclosures_of(raw: &[u8]) -> Vec<crate::domain::Enclosure> {
    use mail_parser::MimeHeaders;
    let Some(m) = mail_parser::MessageParser::default().parse(raw) else {
        return Vec::new();
    };
    m.attachments()
        .filter_map(|p| {
            let filename = p.attachment_name()?.trim().to_string();
            if filename.is_empty() {
                return None;
            }
            let content_type = p.content_type().map_or_else(
                || "application/octet-stream".to_string(),
                |c| match c.subtype() {
                    Some(sub) => format!("{}/{sub}", c.ctype()),
                    None => c.ctype().to_string(),
                },
            );
            Some(crate::domain::Enclosure {
                filename,
                content_type: content_type.to_ascii_lowercase(),
                data: p.contents().to_vec(),
            })
        })
        .collect()
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Status => "status",
        Command::Overview => "overview",
        Command::Act(a) => a.name(),
    }
}

/// What was done, in her words: `besluit (decide)`.
fn done_text(action: &Action) -> String {
    format!("{} ({})", command::dutch_word(action.name()), action.name())
}
