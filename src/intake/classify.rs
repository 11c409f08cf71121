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
    if m.has_header("x-loop") {
        // Another system's loop guard: it asks not to be answered by machines.
        return Some("X-Loop header".into());
    }
    if let Some((name, _)) = m.headers.iter().find(|(n, _)| n.starts_with("list-")) {
        return Some(format!("mailing list ({})", display_name(name)));
    }
    if let Some(name) = BULK_HEADERS.iter().find(|h| m.has_header(h)) {
        return Some(format!("bulk mail ({} header)", display_name(name)));
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
    // The company's own no-reply sender is its website's complaint form: a person's
    // complaint relayed (it is registered; the answer cannot go to that address).
    let own_domain = m.from.as_ref().is_some_and(|f| {
        let domain = |a: &str| a.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase());
        let theirs = domain(&f.address);
        theirs.is_some()
            && own
                .addresses
                .iter()
                .any(|a| domain(bare_address(a)) == theirs)
    });
    if !own_domain && let Some(kind) = robot_address(&from_local) {
        return Some(format!("sender is a {kind} address"));
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

/// What kind of machine wrote an automated mail, where it matters for the case it may
/// be about: a delivery failure of one of our letters, or an automatic reply to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Robot {
    /// A bounce: a delivery status report, or the plain-text notice of a mail server.
    DeliveryFailure,
    /// An out-of-office or other automatic reply from the addressee.
    AutoReply,
    /// Anything else (lists, bulk mail, receipts, our own mail).
    Other,
}

/// Which [`Robot`] wrote `m`, a mail [`automated`] already found automated.
pub fn robot(m: &Message) -> Robot {
    let report = m.content_type == "multipart/report"
        && !m
            .header("content-type")
            .is_some_and(|v| v.to_ascii_lowercase().contains("disposition-notification"));
    let status_part = m.attachments.iter().any(|a| {
        matches!(
            a.content_type.as_str(),
            "message/delivery-status" | "message/global-delivery-status"
        )
    });
    let sender = m
        .from
        .as_ref()
        .map(|f| f.local_part().to_ascii_lowercase())
        .unwrap_or_default();
    // A report says so outright. An empty Return-Path does not: RFC 3834 asks every
    // automatic reply for one, so a vacation responder's answer has it too.
    if report || status_part || m.header("x-failed-recipients").is_some() {
        return Robot::DeliveryFailure;
    }
    let auto_replied = m
        .header("auto-submitted")
        .is_some_and(|v| first_token(v) == "auto-replied");
    let autoreply_header = [
        "x-autoreply",
        "x-autorespond",
        "x-autoresponder",
        "x-auto-reply",
    ]
    .iter()
    .any(|h| m.has_header(h));
    if auto_replied || autoreply_header || OUT_OF_OFFICE.is_match(&m.subject) {
        return Robot::AutoReply;
    }
    if sender == "mailer-daemon" || sender == "postmaster" {
        // The plain-text notices of mail servers.
        return Robot::DeliveryFailure;
    }
    Robot::Other
}

/// The Message-IDs of klachtd's own letters named anywhere in a raw mail (a bounce
/// returns the headers of the letter it is about, an auto-reply names it in In-Reply-To),
/// first seen first. They are a claim: the caller checks each against its outbox.
pub fn letter_ids_in(raw: &[u8]) -> Vec<String> {
    static OURS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"klachtd\.KL-\d{4}-\d{1,6}\.[a-z_]{1,40}\.\d{1,9}@[A-Za-z0-9.-]{1,253}")
            .expect("regex")
    });
    // A returned letter sits near the start of a bounce; look at the first 1 MiB.
    let text = String::from_utf8_lossy(&raw[..raw.len().min(1 << 20)]);
    let mut ids: Vec<String> = Vec::new();
    for m in OURS.find_iter(&text) {
        let id = m.as_str().trim_end_matches('.').to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Headers that only bulk senders (newsletters, campaign tools, notification services)
/// set: a person's mail client never does.
const BULK_HEADERS: [&str; 6] = [
    "feedback-id",
    "x-feedback-id",
    "x-campaign",
    "x-campaign-id",
    "x-mailgun-tag",
    "x-sfmc-stack",
];

/// The local parts of addresses no person reads (RFC 2142 roles, list robots, the
/// no-reply family), as the kind to name in the reason.
pub fn robot_address(local: &str) -> Option<&'static str> {
    let squashed: String = local
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if [
        "noreply",
        "donotreply",
        "dontreply",
        "nereply",
        "nietbeantwoorden",
        "geenantwoord",
    ]
    .iter()
    .any(|p| squashed.starts_with(p) || squashed.ends_with(p))
    {
        return Some("no-reply");
    }
    if local.starts_with("owner-") || local.ends_with("-request") || local.ends_with("-owner") {
        return Some("mailing list robot");
    }
    if matches!(
        local,
        "mailer" | "daemon" | "bounce" | "bounces" | "listserv" | "majordomo"
    ) || local.starts_with("bounce-")
        || local.starts_with("bounces+")
        || local.starts_with("bounces-")
    {
        return Some("mail robot");
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

    fn from(address: &str) -> Message {
        let mut m = person();
        m.from = Some(Address {
            name: None,
            address: address.into(),
        });
        m
    }

    #[test]
    fn every_list_header_and_every_loop_guard() {
        for name in [
            "list-id",
            "list-unsubscribe",
            "list-post",
            "list-help",
            "list-archive",
            "list-subscribe",
            "list-owner",
        ] {
            assert_automated(&with_header(name, "<x.example.org>"), "mailing list");
        }
        assert_automated(&with_header("x-loop", "helpdesk@example.org"), "X-Loop");
        for name in BULK_HEADERS {
            assert_automated(&with_header(name, "campaign:123"), "bulk mail");
        }
    }

    #[test]
    fn robot_senders_are_never_answered() {
        for (address, kind) in [
            ("noreply@example.org", "no-reply"),
            ("no-reply@bank.example", "no-reply"),
            ("No_Reply@example.org", "no-reply"),
            ("do-not-reply@example.org", "no-reply"),
            ("donotreply@example.org", "no-reply"),
            ("notifications-noreply@example.org", "no-reply"),
            ("niet-beantwoorden@gemeente.example", "no-reply"),
            ("owner-cursisten@lists.example.org", "mailing list robot"),
            ("cursisten-request@lists.example.org", "mailing list robot"),
            ("bounces+1234@mail.example.org", "mail robot"),
            ("MAILER@example.org", "mail robot"),
        ] {
            assert_automated(&from(address), kind);
        }
        // People whose addresses merely contain such words are people.
        for address in [
            "noreen@example.nl",
            "replyanne@example.nl",
            "owner@example.nl",
            "jan.request@example.nl",
        ] {
            assert_eq!(class(&from(address)).class, Class::Complaint, "{address}");
        }
    }

    #[test]
    fn which_robot_wrote_it() {
        let mut dsn = person();
        dsn.content_type = "multipart/report".into();
        dsn.headers.push((
            "content-type".into(),
            "multipart/report; report-type=delivery-status".into(),
        ));
        assert_eq!(robot(&dsn), Robot::DeliveryFailure);
        let mut receipt = dsn.clone();
        receipt.headers[0].1 = "multipart/report; report-type=disposition-notification".into();
        assert_eq!(robot(&receipt), Robot::Other);
        assert_eq!(
            robot(&from("MAILER-DAEMON@mx.example.nl")),
            Robot::DeliveryFailure
        );
        assert_eq!(
            robot(&with_header("x-failed-recipients", "a@b.nl")),
            Robot::DeliveryFailure
        );
        // A vacation responder sends with an empty Return-Path (RFC 3834), and says
        // auto-replied: it is a reply, not a bounce (as Dovecot's Sieve vacation writes).
        let mut vacation = with_header("auto-submitted", "auto-replied (vacation)");
        vacation.return_path = Some(String::new());
        vacation.headers.push(("precedence".into(), "bulk".into()));
        assert_eq!(robot(&vacation), Robot::AutoReply);
        let mut empty_path = person();
        empty_path.return_path = Some(String::new());
        assert_eq!(robot(&empty_path), Robot::Other, "no evidence of a failure");
        assert_eq!(
            robot(&with_header("auto-submitted", "auto-replied")),
            Robot::AutoReply
        );
        assert_eq!(robot(&with_header("x-autoreply", "yes")), Robot::AutoReply);
        let mut ooo = person();
        ooo.subject = "Out of Office: back on Monday".into();
        assert_eq!(robot(&ooo), Robot::AutoReply);
        assert_eq!(
            robot(&with_header("list-id", "<l.example.org>")),
            Robot::Other
        );
        assert_eq!(
            robot(&with_header("auto-submitted", "auto-generated")),
            Robot::Other
        );
    }

    #[test]
    fn our_letters_named_in_a_raw_mail() {
        let raw = b"In-Reply-To: <klachtd.KL-2026-0001.acknowledgement.3@numun.nl>\r\n\r\nMessage-ID: <klachtd.KL-2026-0001.acknowledgement.3@numun.nl>.\r\nsee klachtd.KL-2026-0012.decision.10@numun.nl and klachtd.KL-26-1.x.1@n.nl\r\n";
        assert_eq!(
            letter_ids_in(raw),
            [
                "klachtd.KL-2026-0001.acknowledgement.3@numun.nl",
                "klachtd.KL-2026-0012.decision.10@numun.nl"
            ]
        );
        assert!(letter_ids_in(b"").is_empty());
        assert!(letter_ids_in(&[0xff, 0xfe, 0x00]).is_empty());
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
