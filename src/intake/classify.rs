//! Every mail is a new complaint, a follow-up to a case, or automated mail (never
//! answered), with the reason.
//!
//! Automated mail is recognised first and wins over everything (RFC 3834: never answer
//! auto-replies, bounces, mailing lists or our own mail). Then a case number anywhere in
//! the mail (subject, new text, forwarded part, quoted history) makes it a follow-up.
//! Everything else is a new complaint.

use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::parse::Message;
use crate::domain::{CaseNumber, LOOP_HEADER};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Complaint,
    FollowUp,
    Automated,
}

impl Class {
    /// The stable key, as in JSON: `complaint`, `follow_up`, `automated`.
    pub fn key(self) -> &'static str {
        match self {
            Class::Complaint => "complaint",
            Class::FollowUp => "follow_up",
            Class::Automated => "automated",
        }
    }
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

pub fn classify(message: &Message, own: &OwnIdentity) -> Classification {
    if let Some(reason) = automated(message, own) {
        // An out-of-office reply to one of our letters still names its case.
        return Classification {
            class: Class::Automated,
            reason,
            case_ref: case_reference(message, own).map(|(n, _)| n),
        };
    }
    if let Some((case, reason)) = case_reference(message, own) {
        return Classification {
            class: Class::FollowUp,
            reason,
            case_ref: Some(case),
        };
    }
    Classification {
        class: Class::Complaint,
        reason: if message.forwarded.is_some() {
            "a forwarded mail from a person".into()
        } else {
            "a new mail from a person".into()
        },
        case_ref: None,
    }
}

/// The first sign that a mail was sent by a machine (or by us), as a reason.
pub fn automated(m: &Message, own: &OwnIdentity) -> Option<String> {
    let loop_header = LOOP_HEADER.to_ascii_lowercase();
    if m.has_header(&loop_header) {
        return Some("our own mail (loop header)".into());
    }
    if let Some(from) = &m.from
        && own.addresses.iter().any(|a| from.same_as(bare_address(a)))
    {
        return Some("our own mail (sent from the complaint address)".into());
    }
    if let Some(v) = m.header("auto-submitted") {
        let token = first_token(v);
        if !token.is_empty() && token != "no" {
            return Some(format!("Auto-Submitted: {}", safe(&token)));
        }
    }
    for name in [
        "x-autoreply",
        "x-autorespond",
        "x-autoresponder",
        "x-auto-reply",
    ] {
        if let Some(v) = m.header(name) {
            let token = first_token(v);
            if !matches!(token.as_str(), "no" | "false" | "0") {
                return Some(format!("{} header", display_name(name)));
            }
        }
    }
    if let Some(v) = m.header("x-auto-response-suppress") {
        // Exchange sets this on its own auto-replies and notifications; a person's mail
        // does not ask to suppress out-of-office or auto replies.
        let automated = v.split([',', ' ']).map(str::trim).any(|t| {
            t.eq_ignore_ascii_case("all")
                || t.eq_ignore_ascii_case("oof")
                || t.eq_ignore_ascii_case("autoreply")
        });
        if automated {
            return Some("X-Auto-Response-Suppress header".into());
        }
    }
    if let Some(v) = m.header("precedence") {
        let token = first_token(v);
        if matches!(
            token.as_str(),
            "bulk" | "junk" | "list" | "auto_reply" | "auto-reply"
        ) {
            return Some(format!("Precedence: {token}"));
        }
    }
    if m.has_header("list-id") {
        return Some("mailing list (List-Id)".into());
    }
    if m.has_header("list-unsubscribe") {
        return Some("mailing list (List-Unsubscribe)".into());
    }
    if m.header("x-failed-recipients").is_some() {
        return Some("delivery failure (X-Failed-Recipients)".into());
    }
    if m.content_type == "multipart/report" {
        let report_type = m
            .header("content-type")
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        return Some(if report_type.contains("disposition-notification") {
            "read receipt (multipart/report)".into()
        } else {
            "delivery status report".into()
        });
    }
    if m.attachments.iter().any(|a| {
        matches!(
            a.content_type.as_str(),
            "message/delivery-status" | "message/global-delivery-status"
        )
    }) {
        return Some("delivery status report".into());
    }
    if m.attachments
        .iter()
        .any(|a| a.content_type == "message/disposition-notification")
    {
        return Some("read receipt".into());
    }
    if m.return_path.as_deref().is_some_and(|p| p.is_empty()) {
        return Some("empty Return-Path (bounce)".into());
    }
    let from_local = m
        .from
        .as_ref()
        .map(|f| f.local_part().to_ascii_lowercase())
        .or_else(|| {
            // "From: MAILER-DAEMON" without a domain may not parse as an address
            m.header("from").map(|v| v.trim().to_ascii_lowercase())
        })
        .unwrap_or_default();
    if from_local == "mailer-daemon" || from_local.starts_with("mailer-daemon ") {
        return Some("sender is MAILER-DAEMON".into());
    }
    if from_local == "postmaster" {
        return Some("sender is postmaster".into());
    }
    if OUT_OF_OFFICE.is_match(&m.subject) {
        return Some("out-of-office subject".into());
    }
    if let Some(method) = &m.calendar
        && CALENDAR_METHODS.contains(&method.as_str())
    {
        return Some(format!("calendar invitation ({})", safe(method)));
    }
    None
}

/// The iTIP methods of a scheduling message (RFC 5546): an invitation, its answer, its
/// cancellation. A published calendar (PUBLISH) a person attaches is no such message.
const CALENDAR_METHODS: [&str; 7] = [
    "REQUEST",
    "REPLY",
    "CANCEL",
    "COUNTER",
    "DECLINECOUNTER",
    "ADD",
    "REFRESH",
];

/// "Automatisch antwoord: ...", "Out of Office: ...", "Afwezig tot 15 november" and the
/// like, at the start of the subject (after "Re:").
static OUT_OF_OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*((re|antw|aw|sv)\s*:\s*)*
        (automatisch\s+antwoord|automatisch\s+bericht|automatische\s+antwoord|automatic\s+reply|auto[\s-]?reply|autoreply|auto[\s-]?response
        |out\s+of\s+(the\s+)?office(\s+auto-?reply)?|afwezigheidsmelding|afwezigheidsbericht|afwezig|niet\s+aanwezig|vakantie\s*melding
        |abwesenheitsnotiz|automatische\s+antwort|r[ée]ponse\s+automatique|absence)
        \s*(:|$|[-–(]|\b(tot|t/m|van|until|from|bis|wegens|ivm|i\.v\.m\.)\b)",
    )
    .expect("regex")
});

fn first_token(v: &str) -> String {
    v.split([';', ',', ' ', '('])
        .map(str::trim)
        .find(|t| !t.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A header value made fit for a reason: a short token of plain characters.
fn safe(token: &str) -> String {
    token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(40)
        .collect()
}

fn display_name(lower: &str) -> String {
    lower
        .split('-')
        .map(|part| match part {
            "x" => "X".to_string(),
            p => {
                let mut c = p.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// "Klachten numun <klacht@numun.nl>" or "klacht@numun.nl" → "klacht@numun.nl".
fn bare_address(configured: &str) -> &str {
    match (configured.rfind('<'), configured.rfind('>')) {
        (Some(start), Some(end)) if start < end => {
            configured.get(start + 1..end).unwrap_or(configured)
        }
        _ => configured.trim(),
    }
}

static CASE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bKL-\d{4}-\d{4,}\b").expect("regex"));

/// The first valid case number in a text.
pub fn find_case_number(text: &str) -> Option<CaseNumber> {
    CASE_NUMBER
        .find_iter(text)
        .find_map(|m| CaseNumber::from_str(&m.as_str().to_ascii_uppercase()).ok())
}

/// The case named in one of our own letters' Message-IDs
/// (`klachtd.KL-2026-0012.acknowledgement.3@numun.nl`), when the domain is ours (or we
/// know no address of our own).
fn own_message_case(id: &str, own: &OwnIdentity) -> Option<CaseNumber> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let rest = id.strip_prefix("klachtd.")?;
    let (_, domain) = rest.rsplit_once('@')?;
    let ours = own.addresses.is_empty()
        || own.addresses.iter().any(|a| {
            bare_address(a)
                .rsplit_once('@')
                .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain))
        });
    if !ours {
        return None;
    }
    let number = rest.split('.').next()?;
    CaseNumber::from_str(&number.to_ascii_uppercase()).ok()
}

/// A case number quoted in the subject, else the new text, else the forwarded part, else
/// the quoted history, else one of our letters' Message-IDs in In-Reply-To or
/// References; with the reason.
fn case_reference(m: &Message, own: &OwnIdentity) -> Option<(CaseNumber, String)> {
    if let Some(n) = find_case_number(&m.subject) {
        return Some((n, format!("case {n} in the subject")));
    }
    if let Some(n) = find_case_number(&m.text) {
        return Some((n, format!("case {n} in the text")));
    }
    if let Some(f) = &m.forwarded
        && let Some(n) = f
            .subject
            .as_deref()
            .and_then(find_case_number)
            .or_else(|| find_case_number(&f.text))
    {
        return Some((n, format!("case {n} in the forwarded mail")));
    }
    if let Some(n) = find_case_number(&m.history) {
        return Some((n, format!("quotes case {n}")));
    }
    if let Some(n) = m
        .in_reply_to
        .iter()
        .chain(m.references.iter().rev())
        .find_map(|id| own_message_case(id, own))
    {
        return Some((n, format!("a reply to our letter in case {n}")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::parse::{self, Address, Attachment, Forwarded};

    #[test]
    fn every_class_serializes_as_its_key() {
        for c in [Class::Complaint, Class::FollowUp, Class::Automated] {
            assert_eq!(serde_json::to_value(c).unwrap(), c.key());
        }
    }

    fn own() -> OwnIdentity {
        OwnIdentity {
            addresses: vec!["klacht@numun.nl".into()],
        }
    }

    fn person() -> Message {
        Message {
            subject: "Klacht over de training".into(),
            from: Some(Address {
                name: Some("Petra de Vries".into()),
                address: "petra@example.nl".into(),
            }),
            return_path: Some("petra@example.nl".into()),
            content_type: "text/plain".into(),
            text: "De trainer kwam te laat.".into(),
            ..Message::default()
        }
    }

    fn with_header(name: &str, value: &str) -> Message {
        let mut m = person();
        m.headers.push((name.into(), value.into()));
        m
    }

    fn class(m: &Message) -> Classification {
        classify(m, &own())
    }

    fn assert_automated(m: &Message, reason_part: &str) {
        let c = class(m);
        assert_eq!(c.class, Class::Automated, "{c:?}");
        assert!(c.reason.contains(reason_part), "{c:?}");
        // automated mail still names the case its subject names (an out-of-office reply)
        assert_eq!(c.case_ref, find_case_number(&m.subject), "{c:?}");
    }

    #[test]
    fn a_person_writes_a_complaint() {
        let c = class(&person());
        assert_eq!(c.class, Class::Complaint);
        assert_eq!(c.reason, "a new mail from a person");
        assert_eq!(c.case_ref, None);
    }

    #[test]
    fn auto_submitted() {
        assert_automated(
            &with_header("auto-submitted", "auto-replied"),
            "Auto-Submitted: auto-replied",
        );
        assert_automated(
            &with_header("auto-submitted", "auto-generated; foo"),
            "auto-generated",
        );
        assert_eq!(
            class(&with_header("auto-submitted", "no")).class,
            Class::Complaint
        );
        assert_eq!(
            class(&with_header("auto-submitted", "No")).class,
            Class::Complaint
        );
    }

    #[test]
    fn autoreply_headers() {
        assert_automated(&with_header("x-autoreply", "yes"), "X-Autoreply");
        assert_automated(&with_header("x-autorespond", "vacation"), "X-Autorespond");
        assert_automated(
            &with_header("x-auto-response-suppress", "All"),
            "X-Auto-Response-Suppress",
        );
        assert_automated(
            &with_header("x-auto-response-suppress", "DR, OOF, AutoReply"),
            "X-Auto-Response-Suppress",
        );
        // read-receipt suppression only is what people's clients send
        assert_eq!(
            class(&with_header("x-auto-response-suppress", "RN, NRN")).class,
            Class::Complaint
        );
    }

    #[test]
    fn precedence_and_lists() {
        for p in ["bulk", "junk", "list", "auto_reply", "Bulk"] {
            assert_automated(&with_header("precedence", p), "Precedence");
        }
        assert_eq!(
            class(&with_header("precedence", "first-class")).class,
            Class::Complaint
        );
        assert_automated(
            &with_header("list-id", "Nieuwsbrief <nieuws.numun.nl>"),
            "mailing list (List-Id)",
        );
        assert_automated(
            &with_header("list-unsubscribe", "<mailto:u@x.nl>"),
            "mailing list (List-Unsubscribe)",
        );
    }

    #[test]
    fn bounces() {
        let mut m = person();
        m.return_path = Some(String::new());
        assert_automated(&m, "empty Return-Path");
        let mut m = person();
        m.from = Some(Address {
            name: Some("Mail Delivery System".into()),
            address: "MAILER-DAEMON@mx.example.nl".into(),
        });
        assert_automated(&m, "MAILER-DAEMON");
        let mut m = person();
        m.from = Some(Address {
            name: None,
            address: "Postmaster@example.nl".into(),
        });
        assert_automated(&m, "postmaster");
        let mut m = person();
        m.content_type = "multipart/report".into();
        assert_automated(&m, "delivery status report");
        let mut m = person();
        m.attachments.push(Attachment {
            filename: None,
            content_type: "message/delivery-status".into(),
            size: 10,
        });
        assert_automated(&m, "delivery status report");
    }

    #[test]
    fn out_of_office_subjects() {
        for s in [
            "Automatisch antwoord: Klacht over de training",
            "Automatic reply: [KL-2026-0007] Ontvangstbevestiging",
            "Out of Office: hello",
            "Afwezig",
            "Afwezig tot 16 november",
            "Autoreply: x",
            "RE: Auto-Reply: x",
        ] {
            let mut m = person();
            m.subject = s.into();
            assert_automated(&m, "out-of-office subject");
        }
        for s in [
            "Trainer was afwezig tijdens de workshop",
            "Afwezigheid van de trainer",
            "Automatisch antwoord ontvangen maar verder niets gehoord",
        ] {
            let mut m = person();
            m.subject = s.into();
            assert_eq!(class(&m).class, Class::Complaint, "{s}");
        }
    }

    #[test]
    fn our_own_mail() {
        assert_automated(
            &with_header("x-klachtd-loop", "1"),
            "our own mail (loop header)",
        );
        let mut m = person();
        m.from = Some(Address {
            name: None,
            address: "Klacht@Numun.nl".into(),
        });
        assert_automated(&m, "our own mail");
        // configured with a display name
        let own = OwnIdentity {
            addresses: vec!["Klachten numun <klacht@numun.nl>".into()],
        };
        assert_eq!(classify(&m, &own).class, Class::Automated);
        // a colleague from the same domain is a person
        let mut m = person();
        m.from = Some(Address {
            name: Some("Jan Smit".into()),
            address: "jan@numun.nl".into(),
        });
        assert_eq!(class(&m).class, Class::Complaint);
    }

    #[test]
    fn automated_wins_over_a_case_number() {
        let mut m = with_header("auto-submitted", "auto-replied");
        m.subject = "Automatisch antwoord: [KL-2026-0007] Ontvangstbevestiging".into();
        assert_automated(&m, "Auto-Submitted");
        assert_eq!(class(&m).case_ref, Some(CaseNumber { year: 2026, seq: 7 }));
    }

    #[test]
    fn follow_ups() {
        let mut m = person();
        m.subject = "Re: [KL-2026-0007] Ontvangstbevestiging".into();
        m.text = "zie ook KL-2026-0008".into();
        let c = class(&m);
        assert_eq!(c.class, Class::FollowUp);
        assert_eq!(c.case_ref, Some(CaseNumber { year: 2026, seq: 7 }));
        assert_eq!(c.reason, "case KL-2026-0007 in the subject");

        let mut m = person();
        m.text = "Mijn zaaknummer is kl-2026-0012.".into();
        let c = class(&m);
        assert_eq!(
            c.case_ref,
            Some(CaseNumber {
                year: 2026,
                seq: 12
            })
        );
        assert_eq!(c.reason, "case KL-2026-0012 in the text");

        let mut m = person();
        m.history = "> Uw klacht is geregistreerd onder KL-2026-0031.".into();
        let c = class(&m);
        assert_eq!(c.class, Class::FollowUp);
        assert_eq!(
            c.case_ref,
            Some(CaseNumber {
                year: 2026,
                seq: 31
            })
        );
        assert_eq!(c.reason, "quotes case KL-2026-0031");

        let mut m = person();
        m.forwarded = Some(Forwarded {
            from: None,
            date: None,
            subject: Some("RE: [KL-2026-0044] Uw klacht".into()),
            text: String::new(),
        });
        assert_eq!(
            class(&m).case_ref,
            Some(CaseNumber {
                year: 2026,
                seq: 44
            })
        );

        // not case numbers: seq 0, too short, part of a longer word
        for text in ["KL-2026-0000", "KL-2026-007", "XKL-2026-0007", "KL-26-0007"] {
            let mut m = person();
            m.text = text.into();
            assert_eq!(class(&m).class, Class::Complaint, "{text}");
        }
    }

    #[test]
    fn a_parsed_reply_quoting_the_acknowledgement_is_a_follow_up() {
        let raw = "From: Petra <petra@example.nl>\r\nTo: klacht@numun.nl\r\nSubject: Re: Uw klacht\r\n\r\nHierbij mijn adres: Kerkstraat 1, Utrecht.\r\n\r\nOp di 3 nov. 2026 om 10:12 schreef Klachten numun <klacht@numun.nl>:\r\n> Uw klacht is geregistreerd onder nummer KL-2026-0007.\r\n";
        let m = parse::parse(raw.as_bytes()).unwrap();
        let c = class(&m);
        assert_eq!(c.class, Class::FollowUp);
        assert_eq!(c.case_ref, Some(CaseNumber { year: 2026, seq: 7 }));
        assert_eq!(c.reason, "quotes case KL-2026-0007");
    }

    #[test]
    fn reasons_carry_no_personal_data() {
        let mut m = with_header("auto-submitted", "auto-replied (petra@example.nl)");
        m.subject = "Petra".into();
        let c = class(&m);
        assert!(!c.reason.contains('@'));
        assert!(!c.reason.contains("Petra"));
    }

    #[test]
    fn calendar_invitations_are_a_machines_mail() {
        for method in ["REQUEST", "CANCEL", "REPLY"] {
            let mut m = person();
            m.calendar = Some(method.into());
            assert_automated(&m, "calendar invitation");
        }
        // A calendar a person attaches (PUBLISH, or no method) is no invitation.
        for method in ["PUBLISH", ""] {
            let mut m = person();
            m.calendar = Some(method.into());
            assert_eq!(class(&m).class, Class::Complaint, "{method}");
        }
        let raw = "From: a@b.nl\r\nSubject: Uitnodiging\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nWanneer: woensdag\r\n--b\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n--b--\r\n";
        let m = parse::parse(raw.as_bytes()).unwrap();
        assert_eq!(m.calendar.as_deref(), Some("REQUEST"));
        assert_eq!(class(&m).class, Class::Automated);
        let raw = "From: a@b.nl\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nZie bijlage\r\n--b\r\nContent-Type: application/octet-stream; name=\"a.ics\"\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b\r\nContent-Type: text/calendar; name=\"invite.ics\"\r\nContent-Disposition: attachment\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n--b--\r\n";
        assert_eq!(
            parse::parse(raw.as_bytes()).unwrap().calendar.as_deref(),
            Some("CANCEL")
        );
    }

    #[test]
    fn an_automated_reply_keeps_the_case_it_names() {
        let mut m = with_header("auto-submitted", "auto-replied");
        m.subject = "Automatisch antwoord: [KL-2026-0042] Ontvangstbevestiging".into();
        let c = class(&m);
        assert_eq!(c.class, Class::Automated);
        assert_eq!(
            c.case_ref,
            Some(CaseNumber {
                year: 2026,
                seq: 42
            })
        );
        m.subject = "Out of office".into();
        m.in_reply_to = vec!["klachtd.KL-2026-0043.acknowledgement.3@numun.nl".into()];
        assert_eq!(
            class(&m).case_ref,
            Some(CaseNumber {
                year: 2026,
                seq: 43
            })
        );
    }

    #[test]
    fn a_reply_to_our_letter_names_its_case_in_the_thread() {
        let mut m = person();
        m.in_reply_to = vec!["klachtd.KL-2026-0039.acknowledgement.3@numun.nl".into()];
        let c = class(&m);
        assert_eq!(c.class, Class::FollowUp);
        assert_eq!(
            c.case_ref,
            Some(CaseNumber {
                year: 2026,
                seq: 39
            })
        );
        assert_eq!(c.reason, "a reply to our letter in case KL-2026-0039");
        // References only: the newest of ours counts.
        let mut m = person();
        m.references = vec![
            "CAF123@mail.gmail.com".into(),
            "klachtd.KL-2026-0040.request_information.2@numun.nl".into(),
        ];
        assert_eq!(
            class(&m).case_ref,
            Some(CaseNumber {
                year: 2026,
                seq: 40
            })
        );
        // Someone else's Message-ID with a number in it, or another domain: no case.
        for id in [
            "KL-2026-0041@example.nl",
            "klachtd.KL-2026-0041.acknowledgement.1@example.org",
            "klachtd.owner_digest.abc.1@numun.nl",
        ] {
            let mut m = person();
            m.in_reply_to = vec![id.into()];
            assert_eq!(class(&m).class, Class::Complaint, "{id}");
        }
    }
}
