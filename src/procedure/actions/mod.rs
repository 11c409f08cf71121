//! The owner's actions on a case (art. 4 and 5 of the procedure): which actions each
//! state allows, what an action changes, and which letter it sends to the complainant.
//!
//! Pure: the case, the letter writer, the calendar and "now" are inputs; the result is
//! a [`Change`] that the store commits in one transaction (the letter is queued in the
//! outbox in that same transaction).
//!
//! The transitions are in one table, [`next_state`]; what each action is besides (its
//! name, its letter, the text it requires) is one row of [`Action::spec`]; the checks
//! that depend on dates (nothing before receipt, an extension only before the decision
//! deadline) are in [`apply`], each with a doc comment naming its article. The command
//! line's grammar of actions is the binary's (`src/cli/case.rs`).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::mail::answer_with;
use crate::cases::{Actor, Case, Change, Event, EventKind, State};
use crate::domain::CaseNumber;
use crate::domain::{Enclosure, LetterKind};
use crate::letters::{LetterError, Letters, dutch_date};
use crate::rules::calendar::{Calendar, local_date};
use crate::rules::deadlines::deadlines;

/// What the owner does to a case. `text` is the owner's own text: it goes into the
/// letter (and the case's log), never into a log file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// A note in the case's log; allowed in every state, sends nothing.
    Note { text: String },
    /// The complainant is invited to explain the complaint (art. 4.3), on `at` at `time`;
    /// `text` says where (a place, or that the owner will call).
    Invite {
        at: NaiveDate,
        time: NaiveTime,
        text: String,
    },
    /// The relevant information the company has, sent to the complainant (art. 4.2),
    /// with the files the owner gave (by mail: the attachments of her mail).
    Inform {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        enclosures: Vec<Enclosure>,
    },
    /// The complainant's explanation was heard (art. 4.3), on `at` (default: today).
    Hearing {
        #[serde(default)]
        at: Option<NaiveDate>,
        #[serde(default)]
        text: String,
    },
    /// The report (verslag) of the hearing, sent to the complainant (art. 4.3); named
    /// `report` on the command line and on the wire.
    #[serde(rename = "report")]
    HearingReport { text: String },
    /// The decision will come later, by `until` (art. 5.1); `text` says why.
    Extend {
        until: NaiveDate,
        #[serde(default)]
        text: String,
        /// Send it even though the decision deadline has passed.
        #[serde(default)]
        force: bool,
    },
    /// The decision (art. 5.1): findings, conclusions, reactions, settlement.
    Decide { text: String },
    /// Withdrawn, or no further need (art. 5 Afronding 1): `text` gives the reasons.
    Withdraw { text: String },
    /// The outcome of a decided case confirmed, and the case closed (Afronding 2).
    Close { text: String },
    /// The complainant took the complaint to the independent commission (art. 5.2).
    Refer {
        #[serde(default)]
        text: String,
    },
    /// A late complaint (art. 3.1) is handled after all.
    AcceptLate {
        #[serde(default)]
        text: String,
    },
    /// A late complaint (art. 3.1) is not handled; `text` gives the reasons.
    DeclineLate { text: String },
}

/// What an action is, apart from the states it is allowed in (that is [`next_state`]):
/// one row of the procedure's table of actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// The action's name: on the command line, in the case's log and in messages.
    pub name: &'static str,
    /// The letter it sends to the complainant, if any.
    pub letter: Option<LetterKind>,
    /// What the owner's text must say, for the actions that cannot do without it.
    pub required_text: Option<&'static str>,
}

impl Action {
    /// The action's row in the table: its name, its letter, the text it requires.
    pub fn spec(&self) -> ActionSpec {
        // row(name, letter to the complainant, what the owner's text must say)
        let row = |name, letter, required_text| ActionSpec {
            name,
            letter,
            required_text,
        };
        match self {
            Action::Note { .. } => row("note", None, Some("the note")),
            Action::Invite { .. } => row(
                "invite",
                Some(LetterKind::Invitation),
                Some("where the conversation takes place, or that you will call (art. 4.3)"),
            ),
            Action::Inform { .. } => row(
                "inform",
                Some(LetterKind::Information),
                Some("the relevant information the company has (art. 4.2)"),
            ),
            Action::Hearing { .. } => row("hearing", None, None),
            Action::HearingReport { .. } => row(
                "report",
                Some(LetterKind::HearingReport),
                Some("the report of the hearing (art. 4.3)"),
            ),
            Action::Extend { .. } => row("extend", Some(LetterKind::Extension), None),
            Action::Decide { .. } => row(
                "decide",
                Some(LetterKind::Decision),
                Some(
                    "the decision, with findings, conclusions, reactions and settlement (art. 5.1)",
                ),
            ),
            Action::Withdraw { .. } => row(
                "withdraw",
                Some(LetterKind::Withdrawal),
                Some("the reasons (art. 5 Afronding 1)"),
            ),
            Action::Close { .. } => row(
                "close",
                Some(LetterKind::Closure),
                Some("the outcome of the handling (art. 5 Afronding 2)"),
            ),
            Action::Refer { .. } => row("refer", None, None),
            Action::AcceptLate { .. } => row("accept-late", Some(LetterKind::LateAccepted), None),
            Action::DeclineLate { .. } => row(
                "decline-late",
                Some(LetterKind::LateDeclined),
                Some("the reasons for not handling the complaint"),
            ),
        }
    }

    /// The action's name: `note`, `accept-late`, ...
    pub fn name(&self) -> &'static str {
        self.spec().name
    }

    /// The letter this action sends to the complainant, if any.
    pub fn letter(&self) -> Option<LetterKind> {
        self.spec().letter
    }

    /// What the owner's text must say, for the actions that cannot do without it.
    pub fn required_text(&self) -> Option<&'static str> {
        self.spec().required_text
    }

    /// The owner's text (empty when none was given).
    pub fn text(&self) -> &str {
        match self {
            Action::Note { text }
            | Action::Invite { text, .. }
            | Action::Inform { text, .. }
            | Action::Hearing { text, .. }
            | Action::HearingReport { text }
            | Action::Extend { text, .. }
            | Action::Decide { text }
            | Action::Withdraw { text }
            | Action::Close { text }
            | Action::Refer { text }
            | Action::AcceptLate { text }
            | Action::DeclineLate { text } => text,
        }
    }
}

/// The names of the actions, in the order of the procedure: the command line's words,
/// and what the owner's words by mail ([`super::owner::command`]) come to.
pub const ACTION_NAMES: [&str; 12] = [
    "note",
    "invite",
    "inform",
    "hearing",
    "report",
    "extend",
    "decide",
    "withdraw",
    "close",
    "refer",
    "accept-late",
    "decline-late",
];

/// What an action is made of besides its name: the owner's text, a date (the hearing's,
/// the extension's, the invitation's), a time (the invitation's), and whether to force
/// a late extension.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionWords {
    pub text: String,
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub force: bool,
}

impl Action {
    /// The action named `name` (one of [`ACTION_NAMES`]) with `words`: the one builder
    /// of actions, for the command line and for mail alike. The error says what is
    /// missing.
    pub fn build(name: &str, words: ActionWords) -> Result<Action, String> {
        let ActionWords {
            text,
            date,
            time,
            force,
        } = words;
        if force && name != "extend" {
            return Err(format!("force is only for extend, not for {name}"));
        }
        if time.is_some() && name != "invite" {
            return Err(format!("a time is only for invite, not for {name}"));
        }
        if date.is_some() && !matches!(name, "extend" | "hearing" | "invite") {
            return Err(format!(
                "a date is only for extend, hearing and invite, not for {name}"
            ));
        }
        Ok(match name {
            "note" => Action::Note { text },
            "invite" => Action::Invite {
                at: date.ok_or("invite needs the date of the conversation")?,
                time: time.ok_or("invite needs the time of the conversation (14:00)")?,
                text,
            },
            "inform" => Action::Inform {
                text,
                enclosures: Vec::new(),
            },
            "hearing" => Action::Hearing { at: date, text },
            "report" => Action::HearingReport { text },
            "extend" => Action::Extend {
                until: date.ok_or(
                    "extend needs the date the complainant can expect the decision (art. 5.1)",
                )?,
                text,
                force,
            },
            "decide" => Action::Decide { text },
            "withdraw" => Action::Withdraw { text },
            "close" => Action::Close { text },
            "refer" => Action::Refer { text },
            "accept-late" => Action::AcceptLate { text },
            "decline-late" => Action::DeclineLate { text },
            other => {
                return Err(format!(
                    "unknown action {other:?}: one of {}",
                    ACTION_NAMES.join(", ")
                ));
            }
        })
    }
}

/// Why an action was refused. Every message says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error(
        "{number} is {state}: a case that left the procedure takes no action but a note \
         (a new complaint makes a new case)"
    )]
    Ended { number: CaseNumber, state: State },
    #[error("{action} is not possible while {number} is {state}: {hint}")]
    NotAllowed {
        number: CaseNumber,
        action: &'static str,
        state: State,
        hint: &'static str,
    },
    #[error("{action} needs the owner's text ({what}): give --text-file FILE, or type it on stdin")]
    NoText {
        action: &'static str,
        what: &'static str,
    },
    #[error(
        "{number} was received on {received}: nothing can be done before receipt (it is now {now})"
    )]
    BeforeReceipt {
        number: CaseNumber,
        received: DateTime<Utc>,
        now: DateTime<Utc>,
    },
    #[error("the date of the conversation {at} must not lie before today ({today})")]
    InvitationInPast { at: NaiveDate, today: NaiveDate },
    #[error("the hearing date {at} must lie between receipt ({received}) and today ({today})")]
    HearingDate {
        at: NaiveDate,
        received: NaiveDate,
        today: NaiveDate,
    },
    #[error(
        "no hearing of {number} is recorded: the report is of the complainant's explanation \
         (art. 4.3); record it first with `klachtd case {number} hearing`"
    )]
    NoHearing { number: CaseNumber },
    #[error(
        "the decision deadline of {number} was {decide_by} and has passed (today is {today}): \
         art. 5.1 asks that the complainant is told before the deadline. Decide now, or give \
         --force to send the extension anyway (it will be recorded as late)"
    )]
    ExtensionTooLate {
        number: CaseNumber,
        decide_by: NaiveDate,
        today: NaiveDate,
    },
    #[error("the new decision date {until} must be after the current one, {decide_by}")]
    ExtensionNotLater {
        until: NaiveDate,
        decide_by: NaiveDate,
    },
    #[error("the new decision date {until} must be after today ({today})")]
    ExtensionInPast { until: NaiveDate, today: NaiveDate },
    #[error(
        "the decision must contain at least the findings, conclusions, reactions and settlement \
         (art. 5.1); missing: {missing}. Start each part on a line of its own with its heading: \
         Bevindingen:, Conclusies:, Reacties:, Afhandeling: (or Findings:, Conclusions:, \
         Reactions:, Settlement:)"
    )]
    DecisionIncomplete { missing: String },
    #[error(
        "the decision letter must name the independent complaints commission (art. 5.2), \
         but [commission] name is not set in the config"
    )]
    NoCommission,
    #[error(transparent)]
    Letter(#[from] LetterError),
}

/// The states in which the owner is handling a complaint (art. 4 and 5.1).
fn handling(state: State) -> bool {
    matches!(
        state,
        State::Acknowledged | State::HearingHeld | State::ReportSent | State::Extended
    )
}

/// The procedure's transitions: the state `action` leads to from the case's state, or
/// why it is not allowed there.
///
/// - A note: any state, no change.
/// - A case that left the procedure (closed, withdrawn, declined, referred): nothing else.
/// - Hearing (art. 4.3): while handling, or while information is still awaited (the
///   owner may hear the complainant by phone).
/// - Report (art. 4.3): after a hearing (checked in [`apply`]), while handling.
/// - Extension (art. 5.1): while handling, or awaiting information (the case keeps
///   waiting, with the later date).
/// - Decision (art. 5.1): while handling: an incomplete complaint is completed first,
///   a late one accepted first.
/// - Withdrawal (Afronding 1): any open state before the decision.
/// - Closure (Afronding 2) and referral (art. 5.2): after the decision.
/// - Accept or decline a late complaint (art. 3.1): only while it is late. Accepted, it is
///   acknowledged, or awaits information when it is incomplete.
pub fn next_state(case: &Case, action: &Action) -> Result<State, ActionError> {
    let state = case.state;
    if let Action::Note { .. } = action {
        return Ok(state);
    }
    if !state.is_open() {
        return Err(ActionError::Ended {
            number: case.number,
            state,
        });
    }
    let refuse = |hint| ActionError::NotAllowed {
        number: case.number,
        action: action.name(),
        state,
        hint,
    };
    match action {
        Action::Note { .. } => Ok(state),
        Action::Invite { .. } | Action::Inform { .. }
            if handling(state) || state == State::AwaitingInformation =>
        {
            Ok(state)
        }
        Action::Invite { .. } | Action::Inform { .. } => Err(refuse(
            "the invitation and the information belong to a complaint being handled \
             (accept a late complaint first)",
        )),
        Action::Hearing { .. } if handling(state) || state == State::AwaitingInformation => {
            Ok(State::HearingHeld)
        }
        Action::Hearing { .. } => Err(refuse(
            "a hearing belongs to a complaint being handled (accept a late complaint first)",
        )),
        Action::HearingReport { .. } if handling(state) => Ok(State::ReportSent),
        Action::HearingReport { .. } => Err(refuse(
            "the report follows the hearing of a complaint being handled",
        )),
        Action::Extend { .. } if handling(state) => Ok(State::Extended),
        // Still waiting for the complainant: the case keeps waiting (so a reply that
        // completes it is acknowledged), with the later decision date.
        Action::Extend { .. } if state == State::AwaitingInformation => {
            Ok(State::AwaitingInformation)
        }
        Action::Extend { .. } => Err(refuse(
            "an extension is for a complaint being handled (decided already, or late and not yet accepted)",
        )),
        Action::Decide { .. } if handling(state) => Ok(State::Decided),
        Action::Decide { .. } => Err(refuse(
            "a decision follows the acknowledgement: complete an incomplete complaint, accept a late one, \
             or withdraw it; a decided case is closed with `close`",
        )),
        Action::Withdraw { .. } if state != State::Decided => Ok(State::Withdrawn),
        Action::Withdraw { .. } => Err(refuse(
            "the case is decided: confirm the outcome with `close`",
        )),
        Action::Close { .. } if state == State::Decided => Ok(State::Closed),
        Action::Close { .. } => Err(refuse(
            "closing confirms the outcome of a decided complaint: decide first, or withdraw it",
        )),
        Action::Refer { .. } if state == State::Decided => Ok(State::Referred),
        Action::Refer { .. } => Err(refuse(
            "a complaint goes to the commission after the decision (art. 5.2)",
        )),
        Action::AcceptLate { .. } | Action::DeclineLate { .. } if state != State::Late => Err(
            refuse("only a late complaint (art. 3.1) is accepted or declined"),
        ),
        Action::AcceptLate { .. } if case.missing.is_empty() => Ok(State::Acknowledged),
        Action::AcceptLate { .. } => Ok(State::AwaitingInformation),
        Action::DeclineLate { .. } => Ok(State::Declined),
    }
}

/// The four parts of a decision (art. 5.1), and any text before them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionParts {
    pub intro: String,
    pub findings: String,
    pub conclusions: String,
    pub reactions: String,
    pub settlement: String,
}

/// Art. 5.1: the decision "omvat tenminste de bevindingen, conclusies, reacties en
/// afhandeling van de klacht". The owner's text gives each part under its heading (a
/// line `Bevindingen:`, `## Conclusies`, `3. Reacties`, ..., Dutch or English); every
/// part must be there and say something. Returns the Dutch names of what is missing.
pub fn decision_parts(text: &str) -> Result<DecisionParts, Vec<&'static str>> {
    const HEADINGS: [(&str, &str, &str); 4] = [
        ("bevindingen", "findings", "bevindingen"),
        ("conclusies", "conclusions", "conclusies"),
        ("reacties", "reactions", "reacties"),
        ("afhandeling", "settlement", "afhandeling"),
    ];
    let mut parts: [Vec<&str>; 5] = Default::default();
    let mut current = 4; // the intro
    for line in text.lines() {
        let marker = line
            .trim()
            .trim_start_matches(|c: char| c == '#' || c == '*' || c == '-' || c.is_ascii_digit())
            .trim_start_matches(['.', ')'])
            .trim();
        let (head, rest) = match marker.split_once(':') {
            Some((h, r)) => (h, r.trim()),
            None => (marker, ""),
        };
        let head = head.trim().trim_end_matches('*').trim().to_lowercase();
        match HEADINGS
            .iter()
            .position(|(nl, en, _)| head == *nl || head == *en)
        {
            Some(i) => {
                current = i;
                if !rest.is_empty() {
                    parts[i].push(rest);
                }
            }
            None => parts[current].push(line),
        }
    }
    let join = |lines: &[&str]| lines.join("\n").trim().to_string();
    let missing: Vec<&'static str> = HEADINGS
        .iter()
        .enumerate()
        .filter(|(i, _)| join(&parts[*i]).is_empty())
        .map(|(_, (_, _, dutch))| *dutch)
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(DecisionParts {
        intro: join(&parts[4]),
        findings: join(&parts[0]),
        conclusions: join(&parts[1]),
        reactions: join(&parts[2]),
        settlement: join(&parts[3]),
    })
}

/// What `action` does to `case` at `now`: the checked transition, an event (time and
/// actor: the owner) in the case's append-only log, the dates the case records, and the
/// letter to the complainant, rendered with the owner's text and threaded to the case.
/// A case without a usable address gets no letter; the log says so, and so does the
/// returned change (no outgoing mail while [`Action::letter`] is some).
pub fn apply(
    mut case: Case,
    action: &Action,
    letters: &Letters,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Result<Change, ActionError> {
    let today = local_date(now);
    // Nothing, and so no decision, can precede receipt (art. 4, 5.1).
    if now < case.received {
        return Err(ActionError::BeforeReceipt {
            number: case.number,
            received: case.received,
            now,
        });
    }
    let to = next_state(&case, action)?;
    let text = action.text().trim().to_string();
    if text.is_empty()
        && let Some(what) = action.required_text()
    {
        return Err(ActionError::NoText {
            action: action.name(),
            what,
        });
    }
    let current = deadlines(case.received, calendar, case.extended_to);
    let mut extra: Value = context! { text => text };
    let mut detail = (!text.is_empty()).then(|| text.clone());
    match action {
        Action::Invite { at, time, .. } => {
            // Art. 4.3: the complainant is invited for a moment still to come.
            if *at < today {
                return Err(ActionError::InvitationInPast { at: *at, today });
            }
            extra = context! {
                text => text,
                at => dutch_date(*at),
                time => time.format("%H:%M").to_string(),
            };
            detail = Some(format!("{} {}\n{text}", at, time.format("%H:%M")));
        }
        Action::Hearing { at, .. } => {
            // Art. 4.3: the hearing happened after receipt, and not in the future.
            let at = at.unwrap_or(today);
            let received = local_date(case.received);
            if at < received || at > today {
                return Err(ActionError::HearingDate {
                    at,
                    received,
                    today,
                });
            }
            case.hearing_at = Some(at);
        }
        Action::HearingReport { .. } if case.hearing_at.is_none() => {
            // Art. 4.3: the report is of the complainant's explanation.
            return Err(ActionError::NoHearing {
                number: case.number,
            });
        }
        Action::HearingReport { .. } => case.report_at = Some(now),
        Action::Extend { until, force, .. } => {
            // Art. 5.1: the complainant is told of the extension, with an indication of
            // when the decision comes, before the deadline passes; later only if forced.
            let until = *until;
            if until <= current.decide_by {
                return Err(ActionError::ExtensionNotLater {
                    until,
                    decide_by: current.decide_by,
                });
            }
            if until <= today {
                return Err(ActionError::ExtensionInPast { until, today });
            }
            if today > current.decide_by {
                if !force {
                    return Err(ActionError::ExtensionTooLate {
                        number: case.number,
                        decide_by: current.decide_by,
                        today,
                    });
                }
                let late = format!(
                    "extension forced after the decision deadline of {}",
                    current.decide_by
                );
                detail = Some(match detail {
                    Some(t) => format!("{late}\n{t}"),
                    None => late,
                });
            }
            case.extended_to = Some(until);
            extra = context! {
                text => text,
                until => dutch_date(until),
                previous => dutch_date(current.decide_by),
            };
        }
        Action::Decide { .. } => {
            // Art. 5.2: the decision letter names the independent commission.
            if letters.commission().name.trim().is_empty() {
                return Err(ActionError::NoCommission);
            }
            let parts =
                decision_parts(&text).map_err(|missing| ActionError::DecisionIncomplete {
                    missing: missing.join(", "),
                })?;
            extra = context! {
                text => text,
                intro => parts.intro,
                findings => parts.findings,
                conclusions => parts.conclusions,
                reactions => parts.reactions,
                settlement => parts.settlement,
            };
            case.decided_at = Some(now);
        }
        Action::Note { .. }
        | Action::Inform { .. }
        | Action::Withdraw { .. }
        | Action::Close { .. }
        | Action::Refer { .. }
        | Action::AcceptLate { .. }
        | Action::DeclineLate { .. } => {}
    }
    case.events.push(Event {
        at: now,
        actor: Actor::Owner,
        kind: EventKind::Action {
            action: action.name().to_string(),
            by_mail: None,
        },
        detail,
    });
    case.set_state(to, now, Actor::Owner);
    if !to.is_open() {
        // The retention period (introduction: 2 years) counts from here.
        case.closed_at = Some(now);
    }
    let mut outgoing = Vec::new();
    if let Some(kind) = action.letter() {
        let enclosures = match action {
            Action::Inform { enclosures, .. } => enclosures.as_slice(),
            _ => &[],
        };
        answer_with(
            &mut case,
            kind,
            extra,
            letters,
            now,
            &mut outgoing,
            enclosures,
        )?;
    }
    Ok(Change {
        case: Some(case),
        new_case: false,
        outgoing,
        marks: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
