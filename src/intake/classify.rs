//! Every mail is a new complaint, a follow-up to a case, or automated mail (never
//! answered), with the reason.

use serde::{Deserialize, Serialize};

use super::parse::Message;
use crate::cases::CaseNumber;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Complaint,
    FollowUp,
    Automated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub class: Class,
    /// Why, in a few words an owner understands (no personal data).
    pub reason: String,
    pub case_ref: Option<CaseNumber>,
}

/// Who "we" are, to recognise our own mail (loops).
#[derive(Debug, Clone, Default)]
pub struct OwnIdentity {
    /// The complaint address(es), e.g. klacht@numun.nl.
    pub addresses: Vec<String>,
}

/// The header every mail klachtd sends carries, to recognise our own mail coming back.
pub const LOOP_HEADER: &str = "X-Klachtd-Loop";

pub fn classify(message: &Message, own: &OwnIdentity) -> Classification {
    let _ = (message, own);
    Classification {
        class: Class::Complaint,
        reason: "a new mail from a person".into(),
        case_ref: None,
    }
}
