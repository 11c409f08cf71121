//! Automated mail: the signs that a machine wrote a mail (or we did), and which kind of
//! machine, where it matters for the case it is about (a bounce, an auto-reply).

use crate::intake::pattern::Pattern;

use regex::Regex;

use super::{OwnIdentity, bare_address};
use crate::domain::LOOP_HEADER;
use crate::intake::parse::Message;

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
    static OURS: Pattern = Pattern::new(|| {
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
pub(super) const BULK_HEADERS: [&str; 6] = [
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
static OUT_OF_OFFICE: Pattern = Pattern::new(|| {
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
