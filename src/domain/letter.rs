//! A letter as data: what the case logic queues and the outbox sends. Written by
//! `letters`, made durable by the store, sent by `outbox`.

use serde::{Deserialize, Serialize};

use super::CaseNumber;

/// A file a letter carries to the complainant (the owner's attachments forwarded with
/// the information of art. 4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A mail ready to send: queued in the store's outbox in the same transaction as the
/// change that causes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// Stable: derived from the case and the letter, so a retry or a replay after a crash
    /// carries the same Message-ID (without angle brackets).
    pub message_id: String,
    pub kind: LetterKind,
    pub case: Option<CaseNumber>,
    /// Envelope sender (bare address).
    pub envelope_from: String,
    /// Envelope recipients (bare addresses).
    pub recipients: Vec<String>,
    /// Whether this goes to the complainant (a copy goes to the Sent folder).
    pub to_complainant: bool,
    /// The formatted RFC 5322 message. Kept as a file beside the store's records
    /// (the store), not in them.
    #[serde(skip)]
    pub raw: Vec<u8>,
}

/// The kinds of mail, each with its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// Art. 4.1: receipt confirmed, case number, what happens next and by when.
    Acknowledgement,
    /// Art. 3.2: the complaint misses mandatory items; lists them with a form.
    RequestInformation,
    /// Art. 3.1: submitted after the 1-month window; the owner will look at it.
    LateReply,
    /// To the owner: a new case.
    OwnerNewCase,
    /// To the owner: a complainant wrote again.
    OwnerFollowUp,
    /// To the owner: a mail could not be handled and was set aside.
    OwnerSetAside,
    /// To the owner: a letter to a complainant could not be sent.
    OwnerSendFailed,
    /// To the owner: something about the mailbox itself (a UIDVALIDITY change).
    OwnerNotice,
    /// Art. 4.3: an invitation to explain the complaint, with a proposed date and time.
    Invitation,
    /// Art. 4.2: the relevant information the company has about the complaint.
    Information,
    /// To the owner: her command by mail was carried out (in the thread of her mail).
    OwnerConfirmation,
    /// To the owner: her command by mail was refused, and why.
    OwnerRefusal,
    /// To the owner: how to give commands by mail (a mail of hers held none).
    OwnerHelp,
    /// Art. 4.3: the report (verslag) of the complainant's explanation. Its key (JSON,
    /// template `report.txt`) is `report`.
    #[serde(rename = "report")]
    HearingReport,
    /// Art. 5.1: the decision takes longer; when it will come.
    Extension,
    /// Art. 5.1: the decision (findings, conclusions, reactions, settlement), with the
    /// independent commission of art. 5.2.
    Decision,
    /// Art. 5 Afronding 1: handling stops (withdrawn, no further need), with reasons.
    Withdrawal,
    /// Art. 5 Afronding 2: the outcome of a handled complaint confirmed.
    Closure,
    /// Art. 3.1: a late complaint is handled after all.
    LateAccepted,
    /// Art. 3.1: a late complaint is not handled, with reasons.
    LateDeclined,
    /// Art. 3.2: a gentle reminder that information is still missing (once).
    InformationReminder,
    /// To the owner: a deadline is near, today, or passed (art. 4.1, 5.1, introduction).
    OwnerReminder,
    /// To the owner: the acknowledgement was not sent by its deadline (art. 4.1).
    OwnerAcknowledgementAlert,
    /// To the owner: the weekly overview of open cases.
    OwnerDigest,
    /// To the sender of a mail over a limit (set aside): it was received and the owner
    /// will look at it personally. Says nothing about the content; tied to no case.
    NotProcessed,
}

impl LetterKind {
    pub const ALL: [LetterKind; 25] = [
        LetterKind::Acknowledgement,
        LetterKind::RequestInformation,
        LetterKind::LateReply,
        LetterKind::OwnerNewCase,
        LetterKind::OwnerFollowUp,
        LetterKind::OwnerSetAside,
        LetterKind::OwnerSendFailed,
        LetterKind::OwnerNotice,
        LetterKind::HearingReport,
        LetterKind::Extension,
        LetterKind::Decision,
        LetterKind::Withdrawal,
        LetterKind::Closure,
        LetterKind::LateAccepted,
        LetterKind::LateDeclined,
        LetterKind::InformationReminder,
        LetterKind::OwnerReminder,
        LetterKind::OwnerAcknowledgementAlert,
        LetterKind::OwnerDigest,
        LetterKind::Invitation,
        LetterKind::Information,
        LetterKind::OwnerConfirmation,
        LetterKind::OwnerRefusal,
        LetterKind::OwnerHelp,
        LetterKind::NotProcessed,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "acknowledgement",
            LetterKind::RequestInformation => "request_information",
            LetterKind::LateReply => "late_reply",
            LetterKind::OwnerNewCase => "owner_new_case",
            LetterKind::OwnerFollowUp => "owner_follow_up",
            LetterKind::OwnerSetAside => "owner_set_aside",
            LetterKind::OwnerSendFailed => "owner_send_failed",
            LetterKind::OwnerNotice => "owner_notice",
            LetterKind::HearingReport => "report",
            LetterKind::Extension => "extension",
            LetterKind::Decision => "decision",
            LetterKind::Withdrawal => "withdrawal",
            LetterKind::Closure => "closure",
            LetterKind::LateAccepted => "late_accepted",
            LetterKind::LateDeclined => "late_declined",
            LetterKind::InformationReminder => "information_reminder",
            LetterKind::OwnerReminder => "owner_reminder",
            LetterKind::OwnerAcknowledgementAlert => "owner_acknowledgement_alert",
            LetterKind::OwnerDigest => "owner_digest",
            LetterKind::Invitation => "invitation",
            LetterKind::Information => "information",
            LetterKind::OwnerConfirmation => "owner_confirmation",
            LetterKind::OwnerRefusal => "owner_refusal",
            LetterKind::OwnerHelp => "owner_help",
            LetterKind::NotProcessed => "not_processed",
        }
    }

    /// Whether this letter goes to the complainant (else to the owner).
    pub fn to_complainant(self) -> bool {
        matches!(
            self,
            LetterKind::Acknowledgement
                | LetterKind::RequestInformation
                | LetterKind::LateReply
                | LetterKind::HearingReport
                | LetterKind::Extension
                | LetterKind::Decision
                | LetterKind::Withdrawal
                | LetterKind::Closure
                | LetterKind::LateAccepted
                | LetterKind::LateDeclined
                | LetterKind::InformationReminder
                | LetterKind::Invitation
                | LetterKind::Information
                | LetterKind::NotProcessed
        )
    }

    /// Whether this letter answers receipt of the complaint (art. 4.1): the
    /// acknowledgement itself, or the first answer to an incomplete or late complaint.
    pub fn answers_receipt(self) -> bool {
        matches!(
            self,
            LetterKind::Acknowledgement
                | LetterKind::RequestInformation
                | LetterKind::LateReply
                | LetterKind::LateAccepted
        )
    }

    /// Automatic replies are marked so (RFC 3834), other automatic mail as generated;
    /// the owner's own letters (written by a person) are not marked.
    pub fn auto_submitted(self) -> Option<&'static str> {
        match self {
            LetterKind::Acknowledgement
            | LetterKind::RequestInformation
            | LetterKind::LateReply
            | LetterKind::NotProcessed => Some("auto-replied"),
            LetterKind::HearingReport
            | LetterKind::Invitation
            | LetterKind::Information
            | LetterKind::Extension
            | LetterKind::Decision
            | LetterKind::Withdrawal
            | LetterKind::Closure
            | LetterKind::LateAccepted
            | LetterKind::LateDeclined => None,
            _ => Some("auto-generated"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_kind_serializes_as_its_key() {
        for kind in LetterKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.key(), "{kind:?}");
            assert_eq!(serde_json::from_value::<LetterKind>(json).unwrap(), kind);
        }
        assert_eq!(LetterKind::HearingReport.key(), "report");
    }
}
