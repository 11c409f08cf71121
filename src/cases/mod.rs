//! The case: a complaint's record, its state in the procedure and its append-only log.
//!
//! Pure data: what a mail or an action does to a case is computed in `procedure` as a
//! [`Change`]; the store makes it durable in one transaction.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{CaseNumber, Category, Fields, Language, Outgoing};
use crate::rules::{Field, Window};

/// Where a case is in the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Received,
    /// Incomplete: the complainant was asked for what is missing.
    AwaitingInformation,
    Acknowledged,
    /// The complainant's explanation was heard (art. 4.3).
    HearingHeld,
    /// The report of the hearing went out (art. 4.3).
    ReportSent,
    /// The decision will take longer; the complainant was told when (art. 5.1).
    Extended,
    Decided,
    Closed,
    /// Withdrawn, or no further need (art. 5 Afronding 1).
    Withdrawn,
    /// Outside the 1-month window, until the owner accepts or declines it.
    Late,
    /// The owner declined a late complaint.
    Declined,
    /// Referred to the independent commission (art. 5.2).
    Referred,
}

impl State {
    /// Every state, in the order of the procedure.
    pub const ALL: [State; 12] = [
        State::Received,
        State::AwaitingInformation,
        State::Acknowledged,
        State::HearingHeld,
        State::ReportSent,
        State::Extended,
        State::Decided,
        State::Closed,
        State::Withdrawn,
        State::Late,
        State::Declined,
        State::Referred,
    ];

    /// How the owner's mails name the state, in Dutch.
    pub fn dutch(self) -> &'static str {
        match self {
            State::Received => "ontvangen",
            State::AwaitingInformation => "wacht op gegevens van klager",
            State::Acknowledged => "ontvangst bevestigd",
            State::HearingHeld => "toelichting gehoord",
            State::ReportSent => "verslag verzonden",
            State::Extended => "verlengd",
            State::Decided => "beslissing verzonden",
            State::Closed => "afgesloten",
            State::Withdrawn => "ingetrokken / geen behoefte meer",
            State::Late => "te laat ingediend (besluit eigenaar)",
            State::Declined => "te laat, niet in behandeling genomen",
            State::Referred => "voorgelegd aan de klachtencommissie",
        }
    }

    /// The stable key, as in JSON: `awaiting_information`, `report_sent`, ...
    pub fn key(self) -> &'static str {
        match self {
            State::Received => "received",
            State::AwaitingInformation => "awaiting_information",
            State::Acknowledged => "acknowledged",
            State::HearingHeld => "hearing_held",
            State::ReportSent => "report_sent",
            State::Extended => "extended",
            State::Decided => "decided",
            State::Closed => "closed",
            State::Withdrawn => "withdrawn",
            State::Late => "late",
            State::Declined => "declined",
            State::Referred => "referred",
        }
    }

    /// Open cases are the ones the owner still has to act on.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            State::Closed | State::Withdrawn | State::Declined | State::Referred
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Who did something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    System,
    Owner,
    Complainant,
}

impl Actor {
    /// The stable key, as in JSON: `system`, `owner`, `complainant`.
    pub fn key(self) -> &'static str {
        match self {
            Actor::System => "system",
            Actor::Owner => "owner",
            Actor::Complainant => "complainant",
        }
    }
}

/// One entry of a case's append-only log. `detail` never carries complaint text in logs:
/// it lives in the store only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EventKind {
    /// The complaint mail arrived (the mail's content hash).
    Received {
        mail: String,
    },
    /// A follow-up from the complainant arrived; lists the fields it filled.
    FollowUp {
        mail: String,
        filled: Vec<Field>,
    },
    /// A letter was queued for sending (its Message-ID).
    Answered {
        letter: String,
        message_id: String,
    },
    /// The owner was notified.
    OwnerNotified {
        message_id: String,
    },
    StateChanged {
        from: State,
        to: State,
    },
    Note,
    /// A mail about the case from someone who is not its complainant (a colleague, a
    /// lawyer, a stranger who guessed the number): kept, changes nothing. `detail` holds
    /// the sender's address (the store only, never a log).
    ThirdParty {
        mail: String,
    },
    /// A mail server returned one of the case's letters (`letter`: its Message-ID) as not
    /// delivered; the letter counts as not sent.
    Undelivered {
        mail: String,
        letter: String,
    },
    /// An automatic reply (out of office) to one of the case's letters; its subject, which
    /// often says until when, is in `detail`.
    AutoReply {
        mail: String,
    },
    /// The owner acted on the case (`klachtd case ... <action>`); the owner's text, if
    /// any, is in `detail` (the store only, never a log).
    Action {
        action: String,
        /// The Message-ID of the owner's mail, when the command came by mail.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by_mail: Option<String>,
    },
}

impl EventKind {
    /// The stable key, as the `type` in JSON: `received`, `state_changed`, ...
    pub fn key(&self) -> &'static str {
        match self {
            EventKind::Received { .. } => "received",
            EventKind::FollowUp { .. } => "follow_up",
            EventKind::Answered { .. } => "answered",
            EventKind::OwnerNotified { .. } => "owner_notified",
            EventKind::StateChanged { .. } => "state_changed",
            EventKind::Note => "note",
            EventKind::ThirdParty { .. } => "third_party",
            EventKind::Undelivered { .. } => "undelivered",
            EventKind::AutoReply { .. } => "auto_reply",
            EventKind::Action { .. } => "action",
        }
    }
}

/// A mail that belongs to a case, kept byte for byte in the store under its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRef {
    pub hash: String,
    pub message_id: Option<String>,
    pub received: DateTime<Utc>,
    pub direction: Direction,
    pub subject: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    /// The stable key, as in JSON: `in`, `out`.
    pub fn key(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// A complaint case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub number: CaseNumber,
    pub state: State,
    /// When the complaint arrived: the procedure's deadlines count from here.
    pub received: DateTime<Utc>,
    /// The dagtekening of the complaint mail (art. 3.2b).
    pub sent_date: NaiveDate,
    /// Where the complainant is written to (the From, or Reply-To, of the complaint).
    pub reply_address: String,
    pub fields: Fields,
    pub missing: Vec<Field>,
    pub window: Window,
    pub category: Option<Category>,
    pub serious: bool,
    pub subject: String,
    /// Message-IDs of the thread, oldest first: replies carry them in References.
    pub thread: Vec<String>,
    pub mails: Vec<MailRef>,
    pub events: Vec<Event>,
    /// The decision date announced in an extension letter (art. 5.1), if any.
    #[serde(default)]
    pub extended_to: Option<NaiveDate>,
    /// When the complainant's explanation was heard (art. 4.3).
    #[serde(default)]
    pub hearing_at: Option<NaiveDate>,
    /// When the report of the hearing was sent (art. 4.3).
    #[serde(default)]
    pub report_at: Option<DateTime<Utc>>,
    /// When the decision was sent (art. 5.1).
    #[serde(default)]
    pub decided_at: Option<DateTime<Utc>>,
    /// When the case left the procedure: closed, withdrawn, declined or referred. The
    /// retention period (2 years, introduction) counts from here.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// The addresses the complainant's own mail named besides `reply_address` (its From,
    /// Reply-To, the original sender of a forwarded complaint): only mail from one of
    /// these, `reply_address` or the contact e-mail in `fields` may change the case.
    #[serde(default)]
    pub complainant_addresses: Vec<String>,
    /// The language the complainant wrote in: every letter to them is in it. Cases
    /// recorded before languages were are Dutch.
    #[serde(default)]
    pub language: Language,
    /// The words of serious behaviour that flagged the case (art. 1.4), for the owner.
    #[serde(default)]
    pub serious_words: Vec<String>,
    /// Taken in afterwards by `klachtd history` (mail older than `[mailbox] since`): no
    /// letters went out, and the scheduler sends no reminders for its long-past deadlines.
    #[serde(default)]
    pub historical: bool,
}

impl Case {
    /// A case that has only just been received: no answers, no events yet.
    pub fn new(number: CaseNumber, received: DateTime<Utc>, reply_address: String) -> Case {
        Case {
            number,
            state: State::Received,
            received,
            sent_date: crate::rules::calendar::local_date(received),
            reply_address,
            fields: Fields::default(),
            missing: Vec::new(),
            window: Window::Unknown,
            category: None,
            serious: false,
            subject: String::new(),
            thread: Vec::new(),
            mails: Vec::new(),
            events: Vec::new(),
            extended_to: None,
            hearing_at: None,
            report_at: None,
            decided_at: None,
            closed_at: None,
            complainant_addresses: Vec::new(),
            language: Language::Dutch,
            serious_words: Vec::new(),
            historical: false,
        }
    }

    /// When the case left the procedure (closed, withdrawn, declined, referred): the
    /// recorded moment, else (records from before it was kept) the last state change.
    /// None while the case is open.
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        if self.state.is_open() {
            return None;
        }
        self.closed_at.or_else(|| {
            self.events
                .iter()
                .rev()
                .find(|e| matches!(e.kind, EventKind::StateChanged { .. }))
                .map(|e| e.at)
        })
    }

    /// Whether `address` speaks for the complainant: where klachtd writes to, the contact
    /// e-mail of the complaint, or an address of the complainant's own mail. Compared
    /// without case; an empty address never does.
    pub fn is_complainant(&self, address: &str) -> bool {
        let address = address.trim();
        !address.is_empty()
            && std::iter::once(self.reply_address.as_str())
                .chain(self.fields.email.as_deref())
                .chain(self.complainant_addresses.iter().map(String::as_str))
                .any(|known| known.trim().eq_ignore_ascii_case(address))
    }

    /// Records a state change (and the event that says so).
    pub fn set_state(&mut self, to: State, at: DateTime<Utc>, actor: Actor) {
        if self.state != to {
            self.events.push(Event {
                at,
                actor,
                kind: EventKind::StateChanged {
                    from: self.state,
                    to,
                },
                detail: None,
            });
            self.state = to;
        }
    }
}

/// Everything one mail or action changes, made durable in one store transaction.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// The case as it is after the change (new or updated).
    pub case: Option<Case>,
    /// Whether `case` is new: its number was allocated for it.
    pub new_case: bool,
    /// Outgoing mails, queued in the same transaction.
    pub outgoing: Vec<Outgoing>,
    /// Keys of things done once (a reminder, a digest), recorded in the same transaction.
    pub marks: Vec<String>,
}

impl Change {
    /// The change as `klachtd history` makes it: no mail goes out (the letters and the
    /// owner's notices are dropped, and with them their traces in the case), and a case it
    /// opens is marked historical, with a note saying so.
    pub fn hushed(mut self, now: DateTime<Utc>) -> Change {
        let dropped: Vec<String> = self.outgoing.drain(..).map(|o| o.message_id).collect();
        if let Some(case) = self.case.as_mut() {
            case.thread.retain(|id| !dropped.contains(id));
            case.mails
                .retain(|m| m.message_id.as_ref().is_none_or(|id| !dropped.contains(id)));
            case.events.retain(|e| match &e.kind {
                EventKind::Answered { message_id, .. }
                | EventKind::OwnerNotified { message_id } => !dropped.contains(message_id),
                _ => true,
            });
            if self.new_case {
                case.historical = true;
                case.events.push(Event {
                    at: now,
                    actor: Actor::System,
                    kind: EventKind::Note,
                    detail: Some(
                        "Oude e-mail, achteraf opgenomen met klachtd history: er zijn geen \
                         brieven verzonden en er komen geen herinneringen."
                            .into(),
                    ),
                });
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_recorded_before_languages_is_dutch() {
        let now = DateTime::from_timestamp(1_793_000_000, 0).unwrap();
        let mut case = Case::new(CaseNumber { year: 2026, seq: 1 }, now, "a@b.nl".into());
        case.language = Language::English;
        let mut json = serde_json::to_value(&case).unwrap();
        assert_eq!(json["language"], "english");
        let back: Case = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back.language, Language::English);
        let map = json.as_object_mut().unwrap();
        map.remove("language");
        map.remove("serious_words");
        let old: Case = serde_json::from_value(json).unwrap();
        assert_eq!(old.language, Language::Dutch);
        assert!(old.serious_words.is_empty());
    }

    #[test]
    fn a_hushed_change_sends_nothing_and_leaves_no_trace_of_letters() {
        let at: DateTime<Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
        let mut case = Case::new(
            crate::domain::CaseNumber { year: 2025, seq: 1 },
            "2025-03-01T10:00:00Z".parse().unwrap(),
            "klager@example.test".into(),
        );
        case.thread = vec!["complaint@x".into(), "ack@numun".into()];
        case.events.push(Event {
            at,
            actor: Actor::System,
            kind: EventKind::Answered {
                letter: "acknowledgement".into(),
                message_id: "ack@numun".into(),
            },
            detail: None,
        });
        case.events.push(Event {
            at,
            actor: Actor::System,
            kind: EventKind::OwnerNotified {
                message_id: "owner@numun".into(),
            },
            detail: None,
        });
        let letter = |id: &str| crate::domain::Outgoing {
            message_id: id.into(),
            kind: crate::domain::LetterKind::Acknowledgement,
            case: None,
            envelope_from: String::new(),
            recipients: Vec::new(),
            to_complainant: true,
            raw: Vec::new(),
        };
        let change = Change {
            case: Some(case),
            new_case: true,
            outgoing: vec![letter("ack@numun"), letter("owner@numun")],
            marks: Vec::new(),
        }
        .hushed(at);
        assert!(change.outgoing.is_empty());
        let case = change.case.unwrap();
        assert!(case.historical);
        assert_eq!(case.thread, ["complaint@x"]);
        assert!(
            case.events
                .iter()
                .all(|e| matches!(e.kind, EventKind::Note))
        );
        assert_eq!(case.events.len(), 1);
    }

    #[test]
    fn event_kinds_directions_and_actors_serialize_as_their_keys() {
        let kinds = [
            EventKind::Received { mail: "h".into() },
            EventKind::FollowUp {
                mail: "h".into(),
                filled: vec![Field::Phone],
            },
            EventKind::Answered {
                letter: "acknowledgement".into(),
                message_id: "m".into(),
            },
            EventKind::OwnerNotified {
                message_id: "m".into(),
            },
            EventKind::StateChanged {
                from: State::Received,
                to: State::Acknowledged,
            },
            EventKind::Note,
            EventKind::ThirdParty { mail: "h".into() },
            EventKind::Undelivered {
                mail: "h".into(),
                letter: "m".into(),
            },
            EventKind::AutoReply { mail: "h".into() },
            EventKind::Action {
                action: "note".into(),
                by_mail: None,
            },
        ];
        for kind in kinds {
            assert_eq!(serde_json::to_value(&kind).unwrap()["type"], kind.key());
        }
        for d in [Direction::In, Direction::Out] {
            assert_eq!(serde_json::to_value(d).unwrap(), d.key());
        }
        for a in [Actor::System, Actor::Owner, Actor::Complainant] {
            assert_eq!(serde_json::to_value(a).unwrap(), a.key());
        }
    }

    #[test]
    fn the_complainant_is_who_klachtd_writes_to_or_their_own_mail_named() {
        let received = DateTime::from_timestamp(1_793_000_000, 0).unwrap();
        let number = CaseNumber { year: 2026, seq: 1 };
        let mut case = Case::new(number, received, "klager@example.test".into());
        case.fields.email = Some("thuis@example.test".into());
        case.complainant_addresses = vec!["werk@example.test".into()];
        for yes in [
            "klager@example.test",
            "KLAGER@Example.Test",
            " thuis@example.test ",
            "werk@example.test",
        ] {
            assert!(case.is_complainant(yes), "{yes}");
        }
        for no in ["", "  ", "collega@example.test", "klager@example.test.evil"] {
            assert!(!case.is_complainant(no), "{no:?}");
        }
        // A case without a usable address has no complainant to recognise.
        let nobody = Case::new(number, received, String::new());
        assert!(!nobody.is_complainant(""));
    }
}
