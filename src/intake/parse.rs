//! Parsing with mail-parser: headers, the new text of the mail (quoted history removed),
//! a forwarded complaint's original sender and text, attachments.
//!
//! Never panics on input. All MIME work (transfer encodings, charsets, RFC 2047) is done
//! by mail-parser, HTML is turned into text by html2text; what is left here is reading the
//! text the way a person would: what is new, what is quoted history, what was forwarded.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use mail_parser::{HeaderName, HeaderValue, MessageParser, MimeHeaders, PartType};
use regex::Regex;
use serde::{Deserialize, Serialize};

/// A mail address with its display name, decoded (RFC 2047).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub name: Option<String>,
    /// As written; compare with [`Address::same_as`].
    pub address: String,
}

impl Address {
    /// Mail addresses compare case-insensitively in practice (RFC 5321 allows a
    /// case-sensitive local part, no provider uses it).
    pub fn same_as(&self, other: &str) -> bool {
        self.address.eq_ignore_ascii_case(other.trim())
    }

    /// The part before the '@' (the whole address when there is none).
    pub fn local_part(&self) -> &str {
        self.address
            .rsplit_once('@')
            .map_or(self.address.as_str(), |(local, _)| local)
    }
}

/// A complaint forwarded to the complaint address (by a colleague, or by the
/// complainant from another account): read from the forwarded part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forwarded {
    pub from: Option<Address>,
    pub date: Option<DateTime<FixedOffset>>,
    pub subject: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: Option<String>,
    pub content_type: String,
    pub size: usize,
}

/// One mail, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Message {
    /// Without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: String,
    pub from: Option<Address>,
    pub reply_to: Option<Address>,
    pub to: Vec<Address>,
    pub return_path: Option<String>,
    pub date: Option<DateTime<FixedOffset>>,
    /// The date of the newest (topmost) Received header: when our server got the mail.
    pub received: Option<DateTime<FixedOffset>>,
    /// Every header as (lower-case name, decoded value), in order; for classification.
    pub headers: Vec<(String, String)>,
    /// Top-level MIME type, lower case, e.g. "multipart/report".
    pub content_type: String,
    /// The new content of the mail as plain text: HTML converted, quoted history removed.
    /// For a forward, the forwarding note only (the forwarded text is in `forwarded`).
    pub text: String,
    pub forwarded: Option<Forwarded>,
    pub attachments: Vec<Attachment>,
    /// What was taken out of the body to leave `text`: quoted lines (`> ...`), the reply
    /// history from an attribution line or an Outlook header block on, and the forwarded
    /// part as written. Not shown to anyone; classification looks here for a quoted case
    /// number.
    #[serde(default)]
    pub history: String,
}

impl Message {
    /// The first value of a header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, by lower-case name, in order.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a header is present (any value, even empty).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| n == name)
    }
}

/// The input is not a mail at all (empty, binary, no header block).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a mail: {0}")]
pub struct NotAMail(pub String);

/// Reads one raw mail. Never panics.
pub fn parse(raw: &[u8]) -> Result<Message, NotAMail> {
    let raw = looks_like_mail(raw)?;
    // mail-parser is fuzzed and promises not to panic; this is the belt to its braces,
    // so that one odd mail can never take the daemon down.
    std::panic::catch_unwind(|| parse_mail(raw))
        .unwrap_or_else(|_| Err(NotAMail("the MIME structure could not be read".into())))
}

// ---------------------------------------------------------------------------------------
// Is it a mail at all?

/// A header field name followed by a colon (RFC 5322 ftext), at the start of a line.
static HEADER_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\x21-\x39\x3b-\x7e]{1,76}[ \t]*:").expect("regex"));

/// Strips what may precede the header block (blank lines, an mbox "From " line) and
/// rejects what cannot be a mail; returns the mail from its first header line.
fn looks_like_mail(raw: &[u8]) -> Result<&[u8], NotAMail> {
    let start = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .ok_or_else(|| NotAMail("empty input".into()))?;
    let mut raw = raw.get(start..).unwrap_or_default();
    if let Some(rest) = raw.strip_prefix(b"\xef\xbb\xbf") {
        // a UTF-8 byte order mark, as some tools save .eml files
        raw = rest;
    }
    if raw.starts_with(b"From ") {
        // an mbox separator line
        let next = raw
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |p| p + 1);
        raw = raw.get(next..).unwrap_or_default();
    }
    // the header block: up to the first blank line, at most 4 KB looked at
    let head = raw.get(..raw.len().min(4096)).unwrap_or_default();
    let head_end = head
        .windows(2)
        .position(|w| w == b"\n\n" || w == b"\n\r")
        .map_or(head.len(), |p| p + 1);
    let head = head.get(..head_end).unwrap_or(head);
    if head.contains(&0) {
        return Err(NotAMail(
            "binary data (NUL bytes in the header block)".into(),
        ));
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f)
        .count();
    if controls * 20 > head.len() {
        return Err(NotAMail("binary data (control characters)".into()));
    }
    let first = head.get(..head.len().min(100)).unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    if !HEADER_START.is_match(&first) {
        return Err(NotAMail(
            "no header block (the first line is not a header field)".into(),
        ));
    }
    Ok(raw)
}

// ---------------------------------------------------------------------------------------
// Headers

fn parse_mail(raw: &[u8]) -> Result<Message, NotAMail> {
    // mail-parser needs the header block to end in a line break
    let terminated;
    let raw = if raw.ends_with(b"\n") {
        raw
    } else {
        terminated = [raw, b"\n"].concat();
        &terminated[..]
    };
    let parsed = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| NotAMail("no header block".into()))?;
    let root = parsed
        .parts
        .first()
        .ok_or_else(|| NotAMail("no header block".into()))?;
    let raw_msg = parsed.raw_message();

    let mut headers = Vec::with_capacity(root.headers.len());
    let mut message_id = None;
    let mut in_reply_to = Vec::new();
    let mut references = Vec::new();
    let mut return_path = None;
    let mut received = None;
    let mut received_seen = false;
    let mut from = None;
    let mut reply_to = None;
    let mut to = Vec::new();
    let mut date = None;
    let mut subject = None;
    for header in &root.headers {
        let name = header.name.as_str().to_ascii_lowercase();
        let raw_value = raw_header_value(raw_msg, header.offset_start, header.offset_end);
        match &header.name {
            HeaderName::MessageId if message_id.is_none() => {
                message_id = ids(&header.value, &raw_value).into_iter().next();
            }
            HeaderName::InReplyTo => in_reply_to.extend(ids(&header.value, &raw_value)),
            HeaderName::References => references.extend(ids(&header.value, &raw_value)),
            HeaderName::ReturnPath if return_path.is_none() => {
                let v = raw_value.trim();
                let v = v.strip_prefix('<').unwrap_or(v);
                let v = v.strip_suffix('>').unwrap_or(v);
                return_path = Some(v.trim().to_string());
            }
            HeaderName::Received if !received_seen => {
                received_seen = true;
                received = received_date(&raw_value);
            }
            HeaderName::From if from.is_none() => from = first_address(&header.value),
            HeaderName::ReplyTo if reply_to.is_none() => {
                reply_to = first_address(&header.value);
            }
            HeaderName::To => to.extend(all_addresses(&header.value)),
            HeaderName::Date if date.is_none() => {
                date = match &header.value {
                    HeaderValue::DateTime(d) => to_chrono(d),
                    _ => None,
                }
                .or_else(|| parse_loose_date(&raw_value));
            }
            HeaderName::Subject if subject.is_none() => {
                subject = Some(
                    header
                        .value
                        .as_text()
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                );
            }
            _ => {}
        }
        let value = header_text(&header.value, &raw_value);
        headers.push((name, value));
    }

    let content_type = root
        .content_type()
        .map(mime_type)
        .unwrap_or_else(|| "text/plain".into());
    let is_report = content_type == "multipart/report";
    let subject = subject.unwrap_or_default();

    let body = normalise(&body_text(&parsed));
    let split = split_body(&body, subject_is_forward(&subject), true);
    let mut forwarded = split.forwarded;
    let mut history = split.history;
    let attachments = attachments(&parsed);
    if forwarded.is_none()
        && !is_report
        && let Some((attached, attached_history)) = attached_message(&parsed)
    {
        forwarded = Some(attached);
        if !attached_history.is_empty() {
            if !history.is_empty() {
                history.push('\n');
            }
            history.push_str(&attached_history);
        }
    }

    Ok(Message {
        message_id,
        in_reply_to,
        references,
        subject,
        from,
        reply_to,
        to,
        return_path,
        date,
        received,
        headers,
        content_type,
        text: split.text,
        forwarded,
        attachments,
        history,
    })
}

/// A header's value as written, unfolded, trimmed.
fn raw_header_value(raw: &[u8], start: u32, end: u32) -> String {
    let bytes = raw.get(start as usize..end as usize).unwrap_or_default();
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i > 0 && !out.is_empty() && !line.trim().is_empty() {
            out.push(' ');
        }
        out.push_str(line.trim());
    }
    out.trim().to_string()
}

/// The decoded value of a header as one string, for [`Message::headers`].
fn header_text(value: &HeaderValue<'_>, raw_value: &str) -> String {
    match value {
        HeaderValue::Text(t) => {
            if t.contains("=?") {
                decode_words(t).unwrap_or_else(|| t.to_string())
            } else {
                t.trim().to_string()
            }
        }
        HeaderValue::TextList(list) => {
            if raw_value.contains('<') {
                list.iter()
                    .map(|id| format!("<{id}>"))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                list.join(", ")
            }
        }
        HeaderValue::Address(_) => {
            let list: Vec<String> = all_addr(value)
                .map(|(name, addr)| match (name, addr) {
                    (Some(n), Some(a)) => format!("{n} <{a}>"),
                    (Some(n), None) => n.to_string(),
                    (None, Some(a)) => a.to_string(),
                    (None, None) => String::new(),
                })
                .filter(|s| !s.is_empty())
                .collect();
            if list.is_empty() {
                raw_value.to_string()
            } else {
                list.join(", ")
            }
        }
        _ => raw_value.to_string(),
    }
}

/// Decodes RFC 2047 encoded words in an unstructured value, through mail-parser.
fn decode_words(value: &str) -> Option<String> {
    let fake = format!("Subject: {}\n\n", value.replace(['\r', '\n'], " "));
    let parsed = MessageParser::default().parse(fake.as_bytes())?;
    parsed.subject().map(|s| s.trim().to_string())
}

/// Message ids without angle brackets.
fn ids(value: &HeaderValue<'_>, raw_value: &str) -> Vec<String> {
    let list: Vec<String> = match value {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
        _ => raw_value
            .split(|c: char| c.is_whitespace() || c == ',')
            .map(|s| s.to_string())
            .collect(),
    };
    list.into_iter()
        .map(|id| {
            id.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim()
                .to_string()
        })
        .filter(|id| !id.is_empty())
        .collect()
}

/// Every (name, address) of an address header, groups flattened.
fn all_addr<'a>(
    value: &'a HeaderValue<'_>,
) -> Box<dyn Iterator<Item = (Option<&'a str>, Option<&'a str>)> + 'a> {
    match value {
        HeaderValue::Address(addr) => Box::new(addr.iter().map(|a| {
            (
                a.name.as_deref().map(str::trim).filter(|n| !n.is_empty()),
                a.address
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty()),
            )
        })),
        _ => Box::new(std::iter::empty()),
    }
}

fn make_address(name: Option<&str>, address: Option<&str>) -> Option<Address> {
    let address = match address {
        Some(a) => a.to_string(),
        // "From: jan@x.nl" misread as a name, or a display name only
        None => name
            .filter(|n| n.contains('@') && !n.contains(' '))?
            .to_string(),
    };
    let name = name
        .map(|n| n.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace()))
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&address))
        .map(str::to_string);
    Some(Address { name, address })
}

fn first_address(value: &HeaderValue<'_>) -> Option<Address> {
    all_addr(value).find_map(|(n, a)| make_address(n, a))
}

fn all_addresses(value: &HeaderValue<'_>) -> Vec<Address> {
    all_addr(value)
        .filter_map(|(n, a)| make_address(n, a))
        .collect()
}

fn mime_type(ct: &mail_parser::ContentType<'_>) -> String {
    let mut t = ct.ctype().trim().to_ascii_lowercase();
    if let Some(sub) = ct.subtype() {
        t.push('/');
        t.push_str(&sub.trim().to_ascii_lowercase());
    }
    t
}

fn to_chrono(d: &mail_parser::DateTime) -> Option<DateTime<FixedOffset>> {
    let secs = (i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60)
        * if d.tz_before_gmt { -1 } else { 1 };
    let offset = FixedOffset::east_opt(secs)?;
    let day = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))?;
    let time = NaiveTime::from_hms_opt(
        u32::from(d.hour),
        u32::from(d.minute),
        u32::from(d.second.min(59)),
    )?;
    if d.year < 1900 {
        return None;
    }
    offset.from_local_datetime(&day.and_time(time)).single()
}

/// The date of a Received header: what follows its last ';'.
fn received_date(raw_value: &str) -> Option<DateTime<FixedOffset>> {
    let (_, date) = raw_value.rsplit_once(';')?;
    let date = date.trim();
    mail_parser::DateTime::parse_rfc822(date)
        .filter(|d| d.is_valid())
        .and_then(|d| to_chrono(&d))
        .or_else(|| parse_loose_date(date))
}

// ---------------------------------------------------------------------------------------
// Body text and attachments

/// The text body: text/plain parts, or the HTML parts converted when there is no text.
fn body_text(msg: &mail_parser::Message<'_>) -> String {
    let mut out = String::new();
    for &id in &msg.text_body {
        match msg.parts.get(id as usize).map(|p| &p.body) {
            Some(PartType::Text(t)) => push_part(&mut out, t),
            Some(PartType::Html(h)) => push_part(&mut out, &html_to_text(h)),
            _ => {}
        }
    }
    if out.trim().is_empty() {
        out.clear();
        for &id in &msg.html_body {
            match msg.parts.get(id as usize).map(|p| &p.body) {
                Some(PartType::Html(h)) => push_part(&mut out, &html_to_text(h)),
                Some(PartType::Text(t)) => push_part(&mut out, t),
                _ => {}
            }
        }
    }
    out
}

fn push_part(out: &mut String, text: &str) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(text);
}

/// HTML to text with html2text, lines not wrapped; mail-parser's simple converter when
/// html2text gives up.
pub(crate) fn html_to_text(html: &str) -> String {
    // html2text takes time quadratic in the nesting depth: a hostile mail nesting
    // thousands of blocks would stall intake for minutes. Real mail stays far below this.
    if html.len() > MAX_HTML_LEN || nesting_depth(html) > MAX_HTML_DEPTH {
        return mail_parser::decoders::html::html_to_text(html);
    }
    html2text::config::with_decorator(MailDecorator)
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), 10_000)
        .unwrap_or_else(|_| mail_parser::decoders::html::html_to_text(html))
}

const MAX_HTML_DEPTH: usize = 400;
const MAX_HTML_LEN: usize = 1 << 20;

/// The deepest nesting of elements, roughly: open tags minus close tags, not counting
/// void elements and those whose end tag is usually left out. Linear, no allocation.
fn nesting_depth(html: &str) -> usize {
    const NOT_NESTING: [&str; 22] = [
        "br", "img", "hr", "meta", "input", "link", "wbr", "col", "area", "base", "embed",
        "source", "track", "param", "p", "li", "td", "tr", "th", "dt", "dd", "option",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let len = bytes
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len == 0 {
            continue; // a comment, a doctype, a stray '<'
        }
        let name = html.get(start..start + len).unwrap_or_default();
        if NOT_NESTING.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// Plain text as a person would have typed it: no markup for links or emphasis, quoted
/// blocks as "> " (so that quoted history in HTML mail is recognised like in text mail),
/// list items as "- ".
#[derive(Debug, Clone, Copy)]
struct MailDecorator;

impl html2text::render::TextDecorator for MailDecorator {
    type Annotation = ();

    fn decorate_link_start(&mut self, _url: &str) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_link_end(&mut self) -> String {
        String::new()
    }
    fn decorate_em_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_em_end(&self) -> String {
        String::new()
    }
    fn decorate_strong_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strong_end(&self) -> String {
        String::new()
    }
    fn decorate_strikeout_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }
    fn decorate_code_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_code_end(&self) -> String {
        String::new()
    }
    fn decorate_preformat_first(&self) {}
    fn decorate_preformat_cont(&self) {}
    fn decorate_image(&mut self, _src: &str, _title: &str) -> (String, ()) {
        (String::new(), ())
    }
    fn header_prefix(&self, _level: usize) -> String {
        String::new()
    }
    fn quote_prefix(&self) -> String {
        "> ".into()
    }
    fn unordered_item_prefix(&self) -> String {
        "- ".into()
    }
    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }
    fn make_subblock_decorator(&self) -> Self {
        MailDecorator
    }
    fn decorate_superscript_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_superscript_end(&self) -> String {
        String::new()
    }
}

fn attachments(msg: &mail_parser::Message<'_>) -> Vec<Attachment> {
    msg.attachments
        .iter()
        .filter(|id| !msg.text_body.contains(id) && !msg.html_body.contains(id))
        .filter_map(|&id| msg.parts.get(id as usize))
        .filter(|part| !matches!(part.body, PartType::Multipart(_)))
        .map(|part| {
            let size = match &part.body {
                PartType::Message(_) => {
                    (part.offset_end as usize).saturating_sub(part.offset_body as usize)
                }
                body => body.len(),
            };
            let content_type = part.content_type().map(mime_type).unwrap_or_else(|| {
                if matches!(part.body, PartType::Message(_)) {
                    "message/rfc822".into()
                } else {
                    "application/octet-stream".into()
                }
            });
            Attachment {
                filename: part
                    .attachment_name()
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty()),
                content_type,
                size,
            }
        })
        .collect()
}

/// A forward as an attachment: the first message/rfc822 part, and the quoted history
/// taken out of its text.
fn attached_message(msg: &mail_parser::Message<'_>) -> Option<(Forwarded, String)> {
    let nested =
        msg.attachments
            .iter()
            .find_map(|&id| match &msg.parts.get(id as usize)?.body {
                PartType::Message(m) => Some(m),
                _ => None,
            })?;
    let from = nested.from().and_then(|a| {
        a.iter().find_map(|a| {
            make_address(
                a.name.as_deref().map(str::trim).filter(|n| !n.is_empty()),
                a.address
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty()),
            )
        })
    });
    let date = nested.date().and_then(to_chrono);
    let subject = nested.subject().map(|s| s.trim().to_string());
    let body = normalise(&body_text(nested));
    let split = split_body(&body, false, false);
    let forwarded = Forwarded {
        from,
        date,
        subject,
        text: split.text,
    };
    Some((forwarded, split.history))
}

// ---------------------------------------------------------------------------------------
// Reading the text: new content, quoted history, forwarded part

/// CRLF and CR to LF, no-break spaces to spaces, trailing whitespace trimmed.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = text.replace("\r\n", "\n");
    for line in text.split(['\n', '\r']) {
        let line = line.trim_end();
        if line.contains(['\u{a0}', '\u{feff}', '\u{200b}']) {
            out.push_str(
                &line
                    .replace('\u{a0}', " ")
                    .replace(['\u{feff}', '\u{200b}'], ""),
            );
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// "Fwd: ...", "FW: ...", "Doorst: ...", "WG: ...": a forward (not a reply to one).
fn subject_is_forward(subject: &str) -> bool {
    static FW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(\[[^\]]{0,40}\]\s*)?\[?(fw|fwd|doorst|tr|wg|vs)\s*:").expect("regex")
    });
    FW.is_match(subject)
}

static FORWARD_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(
            -{2,}\s*(forwarded\s+message|doorgestuurd\s+bericht|doorgestuurde\s+e-?mail|weitergeleitete\s+nachricht|message\s+transf[ée]r[ée])\s*-{2,}
          | (begin\s+forwarded\s+message|begin\s+doorgestuurd\s+bericht|doorgestuurd\s+bericht|forwarded\s+message|start\s+of\s+forwarded\s+message)\s*:
        )$",
    )
    .expect("regex")
});

static ORIGINAL_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^-{2,}\s*(original\s+message|oorspronkelijk\s+bericht|origineel\s+bericht|originele\s+bericht|urspr[üu]ngliche\s+nachricht|message\s+d'origine)\s*-{2,}$",
    )
    .expect("regex")
});

/// "Op di 3 nov. 2026 om 10:12 schreef Jan <jan@x.nl>:", "On ..., Jan wrote:",
/// "Op 3 nov. 2026, om 10:12 heeft Jan het volgende geschreven:".
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(op|on|am|le|el)\s.*\b(schreef|wrote|geschreven|schrieb|geschrieben|[ée]crit|escribi[óo])\b.*:$",
    )
    .expect("regex")
});

static TIME_OR_ADDRESS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{1,2}[:.]\d{2}|@").expect("regex"));

/// A header line in a quoted or forwarded header block ("**Van:** Jan <jan@x.nl>").
static BLOCK_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*\*{0,2}(van|from|datum|date|verzonden|sent|onderwerp|subject|aan|to|cc|bcc|reply-to|antwoord\s+aan|beantwoorden\s+aan|von|gesendet|an|betreff|de|envoy[ée]|[àa]|objet)\s*:\s*\*{0,2}\s?(.*)$",
    )
    .expect("regex")
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    From,
    Date,
    To,
    Subject,
    Other,
}

fn block_key(word: &str) -> Key {
    match word.to_ascii_lowercase().as_str() {
        "van" | "from" | "von" | "de" => Key::From,
        "datum" | "date" | "verzonden" | "sent" | "gesendet" | "envoyé" | "envoye" => Key::Date,
        "aan" | "to" | "an" | "à" | "a" => Key::To,
        "onderwerp" | "subject" | "betreff" | "objet" => Key::Subject,
        _ => Key::Other,
    }
}

fn block_header(line: &str) -> Option<(Key, &str)> {
    if line.len() > 2000 {
        return None;
    }
    let caps = BLOCK_HEADER.captures(line)?;
    let key = block_key(caps.get(1)?.as_str());
    Some((key, caps.get(2).map_or("", |m| m.as_str()).trim()))
}

/// An Outlook-style header block starts at `lines[i]`: "Van:" / "From:" followed within a
/// few lines by a date, a recipient and a subject line.
fn is_header_block(lines: &[&str], i: usize) -> bool {
    let Some(first) = lines.get(i) else {
        return false;
    };
    let t = first.trim_start().trim_start_matches('*').trim_start();
    let lower_start = t.get(..5).unwrap_or(t).to_ascii_lowercase();
    if !(lower_start.starts_with("van") || lower_start.starts_with("from")) {
        return false;
    }
    if !matches!(block_header(first), Some((Key::From, v)) if !v.is_empty()) {
        return false;
    }
    let (mut date, mut to, mut subject) = (false, false, false);
    for line in lines.iter().skip(i + 1).take(8) {
        match block_header(line) {
            Some((Key::Date, _)) => date = true,
            Some((Key::To, _)) => to = true,
            Some((Key::Subject, _)) => subject = true,
            _ => {}
        }
    }
    date && to && subject
}

/// An attribution line at `lines[i]`, possibly wrapped over two lines (Gmail wraps its
/// plain text at 78 columns, often inside the address). Returns how many lines it takes.
fn attribution_at(lines: &[&str], i: usize) -> Option<usize> {
    let line = lines.get(i)?.trim();
    let lower = line.get(..3).unwrap_or(line).to_ascii_lowercase();
    if !(lower.starts_with("op ")
        || lower.starts_with("on ")
        || lower.starts_with("am ")
        || lower.starts_with("le ")
        || lower.starts_with("el "))
        || line.len() > 400
    {
        return None;
    }
    let ok = |s: &str| {
        ATTRIBUTION.is_match(s)
            && s.bytes().any(|b| b.is_ascii_digit())
            && TIME_OR_ADDRESS.is_match(s)
    };
    if line.ends_with(':') && ok(line) {
        return Some(1);
    }
    let mut joined = line.to_string();
    for extra in 1..=2 {
        let next = lines.get(i + extra)?.trim();
        // Gmail may wrap just before the closing ">:" of the address
        let open_angle = joined
            .rfind('<')
            .is_some_and(|p| joined.get(p..).is_some_and(|t| !t.contains('>')));
        if next.is_empty() || (next.starts_with('>') && !open_angle) || joined.len() > 400 {
            return None;
        }
        joined.push(' ');
        joined.push_str(next);
        if joined.ends_with(':') && ok(&joined) {
            return Some(extra + 1);
        }
    }
    None
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 8
        && t.chars()
            .all(|c| c == '_' || c == '-' || c == '=' || c == '─')
}

fn is_quote(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// Where the new content ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Reply history starts at this line.
    History(usize),
    /// A forwarded mail starts at this line; its content (header lines, body) at the
    /// second index.
    Forward(usize, usize),
}

/// Finds where the new content ends. Attribution lines of inline or bottom-posted
/// replies (the attribution, quoted lines, then new text) do not end it: their line
/// numbers are added to `skipped`.
fn find_cut(
    lines: &[&str],
    subject_forward: bool,
    detect_forward: bool,
    skipped: &mut Vec<usize>,
) -> Option<Cut> {
    let mut i = 0;
    while i < lines.len() {
        let raw = lines.get(i).copied().unwrap_or_default();
        let line = raw.trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        if is_quote(raw) {
            // Apple Mail quotes a forwarded mail in plain text, marker included
            if detect_forward && skipped.is_empty() && FORWARD_MARKER.is_match(unquote(raw).trim())
            {
                return Some(Cut::Forward(i, i + 1));
            }
            i += 1;
            continue;
        }
        if detect_forward && FORWARD_MARKER.is_match(line) {
            return Some(Cut::Forward(i, i + 1));
        }
        if ORIGINAL_MARKER.is_match(line) {
            return Some(if detect_forward && subject_forward {
                Cut::Forward(i, i + 1)
            } else {
                Cut::History(i)
            });
        }
        if let Some(n) = attribution_at(lines, i) {
            if answered_below(lines, i + n) {
                skipped.extend(i..i + n);
                i += n;
                continue;
            }
            return Some(Cut::History(i));
        }
        if is_header_block(lines, i) {
            // an Outlook separator line just above belongs to the history
            let mut start = i;
            let mut j = i;
            while j > 0 {
                j -= 1;
                let above = lines.get(j).copied().unwrap_or_default();
                if above.trim().is_empty() {
                    continue;
                }
                if is_separator(above) {
                    start = j;
                }
                break;
            }
            return Some(if detect_forward && subject_forward {
                Cut::Forward(start, i)
            } else {
                Cut::History(start)
            });
        }
        i += 1;
    }
    None
}

/// After an attribution: quoted lines, then unquoted text again (an inline answer or a
/// bottom-posted reply), rather than history to the end.
fn answered_below(lines: &[&str], from: usize) -> bool {
    let mut seen_quote = false;
    for line in lines.iter().skip(from) {
        if line.trim().is_empty() {
            continue;
        }
        if is_quote(line) {
            seen_quote = true;
            continue;
        }
        return seen_quote;
    }
    false
}

/// The body split into what is new and what is not.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Split {
    pub text: String,
    pub history: String,
    pub forwarded: Option<Forwarded>,
}

/// Splits a normalised body: the new text (quoted lines removed, history cut off), the
/// history, and, when `detect_forward`, the forwarded part.
pub(crate) fn split_body(body: &str, subject_forward: bool, detect_forward: bool) -> Split {
    let lines: Vec<&str> = body.split('\n').collect();
    let mut skipped = Vec::new();
    let cut = find_cut(&lines, subject_forward, detect_forward, &mut skipped);
    let end = match cut {
        Some(Cut::History(i)) | Some(Cut::Forward(i, _)) => i,
        None => lines.len(),
    };
    let mut text = String::new();
    let mut history = String::new();
    for (i, line) in lines.get(..end).unwrap_or_default().iter().enumerate() {
        if is_quote(line) || skipped.binary_search(&i).is_ok() {
            history.push_str(line);
            history.push('\n');
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    for line in lines.get(end..).unwrap_or_default() {
        history.push_str(line);
        history.push('\n');
    }
    let forwarded = match cut {
        Some(Cut::Forward(_, content)) => {
            Some(read_forwarded(lines.get(content..).unwrap_or_default()))
        }
        _ => None,
    };
    Split {
        text: trim_blank_lines(&text),
        history: trim_blank_lines(&history),
        forwarded,
    }
}

/// Leading and trailing blank lines dropped, runs of blank lines (left where HTML
/// paragraphs or removed quotes were) made one.
fn trim_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.split('\n') {
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// Strips one level of quoting ("> " or ">").
fn unquote(line: &str) -> &str {
    let t = line.trim_start();
    match t.strip_prefix('>') {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
        None => line,
    }
}

/// Reads a forwarded part: its header lines, then its body.
fn read_forwarded(lines: &[&str]) -> Forwarded {
    let mut start = 0;
    while lines.get(start).is_some_and(|l| l.trim().is_empty()) {
        start += 1;
    }
    // Apple Mail quotes the whole forwarded mail in plain text
    let quoted = lines.get(start).is_some_and(|l| is_quote(l));
    let owned: Vec<&str> = lines
        .get(start..)
        .unwrap_or_default()
        .iter()
        .map(|l| if quoted { unquote(l) } else { l })
        .collect();

    let mut from = None;
    let mut date = None;
    let mut subject = None;
    let mut i = 0;
    let mut seen = false;
    let mut last: Option<(Key, String)> = None;
    let mut finish = |last: &mut Option<(Key, String)>| {
        if let Some((key, value)) = last.take() {
            match key {
                Key::From if from.is_none() => from = parse_address_text(&value),
                Key::Date if date.is_none() => date = parse_loose_date(&value),
                Key::Subject if subject.is_none() => {
                    subject = Some(value.trim().to_string()).filter(|s| !s.is_empty());
                }
                _ => {}
            }
        }
    };
    while let Some(line) = owned.get(i) {
        if line.trim().is_empty() {
            if seen {
                i += 1;
                break;
            }
            i += 1;
            continue;
        }
        if let Some((key, value)) = block_header(line) {
            finish(&mut last);
            last = Some((key, value.to_string()));
            seen = true;
            i += 1;
            continue;
        }
        // a folded header value: indented, or an address split after '<' or ','
        let continues = last.as_ref().is_some_and(|(_, v)| {
            line.starts_with([' ', '\t'])
                || v.ends_with('<')
                || v.ends_with(',')
                || (v.contains('<') && !v.contains('>'))
        });
        if continues {
            if let Some((_, v)) = last.as_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            i += 1;
            continue;
        }
        break;
    }
    finish(&mut last);
    let body = owned.get(i..).unwrap_or_default().join("\n");
    let split = split_body(&body, false, false);
    Forwarded {
        from,
        date,
        subject,
        text: split.text,
    }
}

// ---------------------------------------------------------------------------------------
// Addresses and dates written as text

static ANGLE_ADDR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<\s*(?:mailto:)?([^<>\s@]+@[^<>\s@]+)\s*>").expect("regex"));
static MAILTO_ADDR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\s*mailto:([^\]\s@]+@[^\]\s@]+)\s*\]").expect("regex"));
static BARE_ADDR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+").expect("regex")
});

/// "Jan Jansen <jan@x.nl>", "\"Jansen, Jan\" <jan@x.nl>", "Jan Jansen [mailto:jan@x.nl]",
/// "jan@x.nl". None when there is no address.
pub(crate) fn parse_address_text(text: &str) -> Option<Address> {
    let text = text.trim();
    let (address, range) = if let Some(c) = ANGLE_ADDR.captures(text) {
        (c.get(1)?.as_str(), c.get(0)?.range())
    } else if let Some(c) = MAILTO_ADDR.captures(text) {
        (c.get(1)?.as_str(), c.get(0)?.range())
    } else {
        let m = BARE_ADDR.find(text)?;
        (m.as_str(), m.range())
    };
    let mut name = String::new();
    name.push_str(text.get(..range.start).unwrap_or_default());
    name.push(' ');
    name.push_str(text.get(range.end..).unwrap_or_default());
    let name = name
        .replace("**", "")
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '(' | ')'))
        .to_string();
    let address = address.trim_end_matches(['.', ',', ';']).to_string();
    Some(Address {
        name: Some(name).filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&address)),
        address,
    })
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    const MONTHS: [(&str, &str, u32); 12] = [
        ("januari", "january", 1),
        ("februari", "february", 2),
        ("maart", "march", 3),
        ("april", "april", 4),
        ("mei", "may", 5),
        ("juni", "june", 6),
        ("juli", "july", 7),
        ("augustus", "august", 8),
        ("september", "september", 9),
        ("oktober", "october", 10),
        ("november", "november", 11),
        ("december", "december", 12),
    ];
    if w == "mrt" {
        return Some(3);
    }
    MONTHS
        .iter()
        .find(|(nl, en, _)| {
            // a full name, or an abbreviation of at least three letters
            nl.starts_with(w) || en.starts_with(w) || w.starts_with(nl) || w.starts_with(en)
        })
        .map(|&(_, _, n)| n)
        .filter(|_| w.chars().all(|c| c.is_alphabetic()))
}

static TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(am|pm)?$").expect("regex"));
static NUMERIC_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$").expect("regex"));
static OFFSET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:gmt|utc)?([+-])(\d{1,2})(?::?(\d{2}))?$").expect("regex"));

/// A date as mail clients write it in quoted and forwarded headers, in English or Dutch:
/// "Tue, 3 Nov 2026 10:12:33 +0100", "Tue, Nov 3, 2026 at 10:12 AM",
/// "di 3 nov. 2026 om 10:12", "dinsdag 3 november 2026 10:12", "3 November 2026 at
/// 10:12:00 CET", "03-11-2026 10:12". Without a zone, Amsterdam time. None if unsure.
pub(crate) fn parse_loose_date(text: &str) -> Option<DateTime<FixedOffset>> {
    if text.len() > 200 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text.trim()) {
        return Some(d);
    }
    let lower = text.to_lowercase().replace([',', '(', ')'], " ");
    let (mut day, mut month, mut year) = (None, None, None);
    let mut time: Option<(u32, u32, u32)> = None;
    let mut meridiem: Option<bool> = None; // Some(true) = pm
    let mut offset: Option<i32> = None;
    for token in lower.split_whitespace() {
        let token = token.trim_end_matches('.');
        if token.is_empty() {
            continue;
        }
        if let Some(c) = TIME.captures(token) {
            let h = c.get(1)?.as_str().parse().ok()?;
            let m = c.get(2)?.as_str().parse().ok()?;
            let s = c.get(3).map_or(Some(0), |s| s.as_str().parse().ok())?;
            time = Some((h, m, s));
            if let Some(mer) = c.get(4) {
                meridiem = Some(mer.as_str() == "pm");
            }
            continue;
        }
        match token {
            "am" | "a.m" => {
                meridiem = Some(false);
                continue;
            }
            "pm" | "p.m" => {
                meridiem = Some(true);
                continue;
            }
            "cet" | "met" => {
                offset = Some(3600);
                continue;
            }
            "cest" | "mest" | "mezt" => {
                offset = Some(7200);
                continue;
            }
            "gmt" | "utc" | "ut" | "z" => {
                offset = offset.or(Some(0));
                continue;
            }
            _ => {}
        }
        if let Some(c) = OFFSET.captures(token) {
            let sign = if c.get(1)?.as_str() == "-" { -1 } else { 1 };
            let digits = c.get(2)?.as_str();
            let (h, m): (i32, i32) = match c.get(3) {
                Some(m) => (digits.parse().ok()?, m.as_str().parse().ok()?),
                None if digits.len() <= 2 => (digits.parse().ok()?, 0),
                None => return None,
            };
            offset = Some(sign * (h * 3600 + m * 60));
            continue;
        }
        if token.len() == 5
            && (token.starts_with('+') || token.starts_with('-'))
            && let Ok(v) = token.get(1..).unwrap_or_default().parse::<i32>()
        {
            let sign = if token.starts_with('-') { -1 } else { 1 };
            offset = Some(sign * ((v / 100) * 3600 + (v % 100) * 60));
            continue;
        }
        if let Some(c) = NUMERIC_DATE.captures(token) {
            let a: i32 = c.get(1)?.as_str().parse().ok()?;
            let b: u32 = c.get(2)?.as_str().parse().ok()?;
            let cc: i32 = c.get(3)?.as_str().parse().ok()?;
            if c.get(1)?.as_str().len() == 4 {
                year = Some(a);
                month = Some(b);
                day = u32::try_from(cc).ok();
            } else {
                day = u32::try_from(a).ok();
                month = Some(b);
                year = Some(if cc < 100 { 2000 + cc } else { cc });
            }
            continue;
        }
        if let Some(m) = month_number(token) {
            month = month.or(Some(m));
            continue;
        }
        if token.chars().all(|c| c.is_ascii_digit()) {
            match token.len() {
                1 | 2 if day.is_none() => day = token.parse().ok(),
                4 if year.is_none() => year = token.parse().ok(),
                _ => {}
            }
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let (mut h, m, s) = time.unwrap_or((0, 0, 0));
    match meridiem {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let naive = date.and_time(NaiveTime::from_hms_opt(h, m, s.min(59))?);
    match offset {
        Some(secs) => FixedOffset::east_opt(secs)?
            .from_local_datetime(&naive)
            .single(),
        None => chrono_tz::Europe::Amsterdam
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.fixed_offset()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(headers: &str, body: &str) -> Vec<u8> {
        format!("{headers}\r\n\r\n{body}")
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
            .into_bytes()
    }

    fn dt(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    const BASIC: &str = "Return-Path: <petra@example.nl>\n\
Received: from mx.numun.nl by imap.numun.nl; Tue, 03 Nov 2026 10:13:05 +0100\n\
Received: from mail.example.nl by mx.numun.nl; Tue, 03 Nov 2026 10:12:59 +0100\n\
From: Petra de Vries <petra@example.nl>\n\
Reply-To: \"de Vries, Petra\" <p.devries@example.nl>\n\
To: Klachten numun <klacht@numun.nl>, info@numun.nl\n\
Subject: Klacht over de training\n\
Date: Tue, 3 Nov 2026 10:12:33 +0100\n\
Message-ID: <abc123@example.nl>\n\
In-Reply-To: <x1@numun.nl>\n\
References: <x0@numun.nl>\n <x1@numun.nl>\n\
X-Mailer: Test";

    #[test]
    fn headers_are_read() {
        let m = parse(&mail(BASIC, "Hallo,\n\nIk heb een klacht.\n")).unwrap();
        assert_eq!(m.message_id.as_deref(), Some("abc123@example.nl"));
        assert_eq!(m.in_reply_to, vec!["x1@numun.nl"]);
        assert_eq!(m.references, vec!["x0@numun.nl", "x1@numun.nl"]);
        assert_eq!(m.subject, "Klacht over de training");
        let from = m.from.as_ref().unwrap();
        assert_eq!(from.name.as_deref(), Some("Petra de Vries"));
        assert_eq!(from.address, "petra@example.nl");
        assert_eq!(from.local_part(), "petra");
        let reply_to = m.reply_to.as_ref().unwrap();
        assert_eq!(reply_to.name.as_deref(), Some("de Vries, Petra"));
        assert_eq!(m.to.len(), 2);
        assert_eq!(m.to[1].address, "info@numun.nl");
        assert_eq!(m.return_path.as_deref(), Some("petra@example.nl"));
        assert_eq!(m.date, Some(dt("2026-11-03T10:12:33+01:00")));
        assert_eq!(m.received, Some(dt("2026-11-03T10:13:05+01:00")));
        assert_eq!(m.content_type, "text/plain");
        assert_eq!(m.text, "Hallo,\n\nIk heb een klacht.");
        assert_eq!(m.header("x-mailer"), Some("Test"));
        assert_eq!(m.header_all("received").count(), 2);
        assert_eq!(m.headers[0].0, "return-path");
        assert_eq!(m.header("references"), Some("<x0@numun.nl> <x1@numun.nl>"));
        assert!(m.forwarded.is_none());
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn empty_return_path_and_missing_date() {
        let m = parse(&mail(
            "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.nl\nSubject: x",
            "body",
        ))
        .unwrap();
        assert_eq!(m.return_path.as_deref(), Some(""));
        assert_eq!(m.date, None);
        assert_eq!(m.received, None);
        assert_eq!(m.from.unwrap().local_part(), "MAILER-DAEMON");
    }

    #[test]
    fn not_a_mail() {
        for input in [
            &b""[..],
            b"   \r\n\r\n ",
            b"\x00\x01\x02\x03garbage\xff\xfe",
            b"Hello there, this is just a sentence.\nAnd another one.",
            b"\n\nSubject hi\n",
        ] {
            let err = parse(input).unwrap_err();
            assert!(!err.0.is_empty());
        }
        let many_a = vec![b'a'; 1 << 20];
        assert!(parse(&many_a).is_err());
    }

    #[test]
    fn header_only_is_a_mail() {
        let m = parse(b"Subject: hallo").unwrap();
        assert_eq!(m.subject, "hallo");
        assert_eq!(m.text, "");
        let m = parse(b"From jan@x.nl Tue Nov  3 10:12:33 2026\nSubject: mbox\n\nhoi").unwrap();
        assert_eq!(m.subject, "mbox");
        assert_eq!(m.text, "hoi");
    }

    #[test]
    fn encodings_and_charsets() {
        let m = parse(&mail(
            "From: =?iso-8859-1?Q?Jos=E9_M=FCller?= <jose@example.nl>\nSubject: =?UTF-8?B?S2xhY2h0IG92ZXIgY3Vyc3VzIOKAkyBiZWfDr25lZA==?=\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable",
            "Het was niet ge=EFnteresseerd, caf=E9 dicht.=\nEinde",
        ))
        .unwrap();
        assert_eq!(m.from.unwrap().name.as_deref(), Some("José Müller"));
        assert_eq!(m.subject, "Klacht over cursus – begïned");
        assert_eq!(m.text, "Het was niet geïnteresseerd, café dicht.Einde");

        let m = parse(&mail(
            "From: a@b.nl\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit",
            "",
        ))
        .unwrap();
        assert_eq!(m.text, "");
        let mut raw = mail(
            "From: a@b.nl\nContent-Type: text/plain; charset=windows-1252",
            "",
        );
        raw.extend_from_slice(b"\x93Quote\x94 \x80 5");
        assert_eq!(
            parse(&raw).unwrap().text,
            "\u{201c}Quote\u{201d} \u{20ac} 5"
        );

        let m = parse(&mail(
            "From: a@b.nl\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64",
            "SGV0IGlzIGVlbiBrbGFjaHQgb3ZlciBkZSDDqWNodGUgdHJhaW5pbmcu",
        ))
        .unwrap();
        assert_eq!(m.text, "Het is een klacht over de échte training.");
    }

    #[test]
    fn bad_charset_is_best_effort() {
        let mut raw = mail(
            "From: a@b.nl\nContent-Type: text/plain; charset=x-unknown-42",
            "",
        );
        raw.extend_from_slice(b"caf\xe9 ok");
        let m = parse(&raw).unwrap();
        assert!(m.text.starts_with("caf"));
        assert!(m.text.ends_with("ok"));
    }

    #[test]
    fn html_only_is_converted() {
        let m = parse(&mail(
            "From: a@b.nl\nContent-Type: text/html; charset=utf-8",
            "<html><head><style>p{color:red}</style></head><body><p>Beste mevrouw,</p><p>De <b>training</b> was &eacute;&eacute;n grote <a href=\"https://x.nl\">teleurstelling</a>, en dat is een hele lange zin die zeker niet afgebroken mag worden omdat we geen wrapping willen hebben in de tekst.</p><blockquote>oude tekst</blockquote></body></html>",
        ))
        .unwrap();
        assert!(m.text.contains("Beste mevrouw,"), "{}", m.text);
        assert!(m.text.contains("De training was één grote teleurstelling, en dat is een hele lange zin die zeker niet afgebroken mag worden omdat we geen wrapping willen hebben in de tekst."), "{}", m.text);
        assert!(!m.text.contains('<'));
        assert!(!m.text.contains("color"));
        assert!(!m.text.contains("oude tekst"));
        assert_eq!(m.content_type, "text/html");
    }

    #[test]
    fn alternative_prefers_plain_but_falls_back_to_html() {
        let alt = |plain: &str| {
            mail(
                "From: a@b.nl\nContent-Type: multipart/alternative; boundary=\"b1\"",
                &format!(
                    "--b1\nContent-Type: text/plain; charset=utf-8\n\n{plain}\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>HTML versie</p>\n--b1--\n"
                ),
            )
        };
        let m = parse(&alt("Platte versie")).unwrap();
        assert_eq!(m.text, "Platte versie");
        assert_eq!(m.content_type, "multipart/alternative");
        assert!(m.attachments.is_empty());
        let m = parse(&alt("")).unwrap();
        assert_eq!(m.text, "HTML versie");
    }

    #[test]
    fn attachments_are_listed_not_in_the_text() {
        let m = parse(&mail(
            "From: a@b.nl\nContent-Type: multipart/mixed; boundary=\"xx\"",
            "--xx\nContent-Type: text/plain\n\nZie bijlage.\n--xx\nContent-Type: application/pdf; name=\"factuur.pdf\"\nContent-Disposition: attachment; filename=\"factuur.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcOkw7zDtsOf\n--xx--\n",
        ))
        .unwrap();
        assert_eq!(m.text, "Zie bijlage.");
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].filename.as_deref(), Some("factuur.pdf"));
        assert_eq!(m.attachments[0].content_type, "application/pdf");
        assert_eq!(m.attachments[0].size, 18);
    }

    #[test]
    fn quotes_and_dutch_gmail_attribution_are_history() {
        let body = "Dank voor uw reactie.\nMijn adres is Kerkstraat 1.\n\nOp di 3 nov. 2026 om 10:12 schreef Klachten numun <\nklacht@numun.nl>:\n\n> Beste mevrouw,\n> Uw klacht KL-2026-0007 is ontvangen.\n";
        let m = parse(&mail("From: a@b.nl\nSubject: Re: x", body)).unwrap();
        assert_eq!(m.text, "Dank voor uw reactie.\nMijn adres is Kerkstraat 1.");
        assert!(m.history.contains("KL-2026-0007"));
        assert!(m.forwarded.is_none());
    }

    #[test]
    fn attributions() {
        for attr in [
            "Op di 3 nov. 2026 om 10:12 schreef Jan Jansen <jan@x.nl>:",
            "Op 3 november 2026 10:12 schreef Jan Jansen <jan@x.nl>:",
            "On Tue, Nov 3, 2026 at 10:12 AM Jan Jansen <jan@x.nl> wrote:",
            "On 3 Nov 2026, at 10:12, Jan Jansen <jan@x.nl> wrote:",
            "Op 3 nov. 2026 om 10:12 heeft Jan Jansen <jan@x.nl> het volgende geschreven:",
            "Op 03-11-2026 om 10:12 schreef Jan Jansen:",
        ] {
            let body = format!("Nieuw.\n\n{attr}\n\nOude tekst zonder quotes.\n");
            let s = split_body(&body, false, true);
            assert_eq!(s.text, "Nieuw.", "{attr}");
            assert!(s.history.contains("Oude tekst"));
        }
        // wrapped over two lines, the way Gmail does
        let s = split_body(
            "Nieuw.\n\nOn Tue, Nov 3, 2026 at 10:12 AM Jan Jansen <jan@x.nl>\nwrote:\n\n> oud",
            false,
            true,
        );
        assert_eq!(s.text, "Nieuw.");
        // a sentence that merely starts with "Op" is not an attribution
        let s = split_body(
            "Op het evaluatieformulier schreef ik het volgende:\nDe zaal was te koud.",
            false,
            true,
        );
        assert!(s.text.contains("De zaal was te koud."));
    }

    #[test]
    fn outlook_blocks_are_history() {
        let body = "Hierbij mijn telefoonnummer: 06-12345678.\n\nMet vriendelijke groet,\nKees\n\n________________________________\nVan: Klachten numun <klacht@numun.nl>\nVerzonden: dinsdag 3 november 2026 10:12\nAan: Kees Bakker <kees@x.nl>\nOnderwerp: [KL-2026-0012] Ontvangstbevestiging\n\nBeste heer Bakker,\n";
        let s = split_body(body, false, true);
        assert_eq!(
            s.text,
            "Hierbij mijn telefoonnummer: 06-12345678.\n\nMet vriendelijke groet,\nKees"
        );
        assert!(s.history.starts_with("________"));
        let body = "Nieuw\n\n-----Original Message-----\nFrom: X <x@y.nl>\nSent: Tuesday, November 3, 2026 10:12 AM\nTo: Y\nSubject: Z\n\nold";
        let s = split_body(body, false, true);
        assert_eq!(s.text, "Nieuw");
        assert!(s.forwarded.is_none());
        // the same with a forwarding subject is a forward
        let s = split_body(body, true, true);
        let f = s.forwarded.unwrap();
        assert_eq!(f.from.unwrap().address, "x@y.nl");
        assert_eq!(f.subject.as_deref(), Some("Z"));
        assert_eq!(f.date, Some(dt("2026-11-03T10:12:00+01:00")));
        assert_eq!(f.text, "old");
    }

    #[test]
    fn gmail_forward() {
        let body = "Zie hieronder, kunnen jullie hiernaar kijken?\n\nGroet,\nJan\n\n---------- Doorgestuurd bericht ---------\nVan: Petra de Vries <petra.devries@gmail.com>\nDate: ma 2 nov. 2026 om 21:41\nSubject: Klacht over de training\nTo: <info@numun.nl>\n\n\nBeste meneer,\n\nDe training was slecht.\n\nOp ma 2 nov. 2026 om 09:00 schreef Info <info@numun.nl>:\n> Welkom bij de training\n";
        let s = split_body(body, true, true);
        assert_eq!(
            s.text,
            "Zie hieronder, kunnen jullie hiernaar kijken?\n\nGroet,\nJan"
        );
        let f = s.forwarded.unwrap();
        let from = f.from.unwrap();
        assert_eq!(from.address, "petra.devries@gmail.com");
        assert_eq!(from.name.as_deref(), Some("Petra de Vries"));
        assert_eq!(f.date, Some(dt("2026-11-02T21:41:00+01:00")));
        assert_eq!(f.subject.as_deref(), Some("Klacht over de training"));
        assert_eq!(f.text, "Beste meneer,\n\nDe training was slecht.");
    }

    #[test]
    fn apple_forward_quoted() {
        let body = "\n\nBegin forwarded message:\n\n> From: Anna Smit <anna@smit.nl>\n> Subject: Complaint\n> Date: 3 November 2026 at 10:12:00 CET\n> To: info@numun.nl\n> \n> The trainer was late.\n";
        let s = split_body(body, false, true);
        assert_eq!(s.text, "");
        let f = s.forwarded.unwrap();
        assert_eq!(f.from.unwrap().address, "anna@smit.nl");
        assert_eq!(f.date, Some(dt("2026-11-03T10:12:00+01:00")));
        assert_eq!(f.text, "The trainer was late.");
    }

    #[test]
    fn html_gmail_forward() {
        let m = parse(&mail(
            "From: Jan Smit <jan@numun.nl>\nSubject: Fwd: klacht\nContent-Type: text/html; charset=utf-8",
            r#"<div dir="ltr">Graag oppakken.<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>From: <strong class="gmail_sendername" dir="auto">Petra de Vries</strong> <span dir="auto">&lt;<a href="mailto:petra@example.nl">petra@example.nl</a>&gt;</span><br>Date: Mon, Nov 2, 2026 at 9:41 PM<br>Subject: Klacht<br>To: &lt;<a href="mailto:info@numun.nl">info@numun.nl</a>&gt;<br></div><br><br><div dir="ltr">De trainer was <b>erg</b> onbeleefd.</div></div></div>"#,
        ))
        .unwrap();
        assert_eq!(m.text, "Graag oppakken.");
        let f = m.forwarded.unwrap();
        let from = f.from.unwrap();
        assert_eq!(from.address, "petra@example.nl");
        assert_eq!(from.name.as_deref(), Some("Petra de Vries"));
        assert_eq!(f.date, Some(dt("2026-11-02T21:41:00+01:00")));
        assert_eq!(f.text, "De trainer was erg onbeleefd.");
    }

    #[test]
    fn a_reply_to_a_forward_is_not_a_forward() {
        let body = "Dank, ik wacht af.\n\nOp di 3 nov. 2026 om 10:12 schreef Jan <jan@numun.nl>:\n> ---------- Forwarded message ---------\n> From: X <x@y.nl>\n> oud\n";
        let s = split_body(body, false, true);
        assert_eq!(s.text, "Dank, ik wacht af.");
        assert!(s.forwarded.is_none());
    }

    #[test]
    fn inline_answers_below_an_attribution_are_kept() {
        let body = "On 23-11-2026 16:02, Klachten numun wrote:\n> What is your phone number?\n\n06-12345678\n\n> And the date?\n\n15 October 2026\n";
        let s = split_body(body, false, true);
        assert_eq!(s.text, "06-12345678\n\n15 October 2026");
        assert!(s.history.contains("What is your phone number?"));
    }

    #[test]
    fn deeply_nested_html_is_converted_quickly() {
        assert_eq!(
            nesting_depth("<div><p>a<br><div>b</div></div><span>c</span>"),
            2
        );
        assert_eq!(nesting_depth("<!-- x --> a < b </div>"), 0);
        let html = format!("{}hallo", "<div><blockquote><ul><li>".repeat(5000));
        assert!(nesting_depth(&html) > MAX_HTML_DEPTH);
        // Converted without html2text's recursion (its speed: `klachtd bench`).
        assert!(html_to_text(&html).contains("hallo"));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let m = parse(b"\xef\xbb\xbfSubject: bom\n\nhoi").unwrap();
        assert_eq!(m.subject, "bom");
    }

    #[test]
    fn forward_as_attachment() {
        let m = parse(&mail(
            "From: jan@numun.nl\nSubject: Fwd: klacht\nContent-Type: multipart/mixed; boundary=\"zz\"",
            "--zz\nContent-Type: text/plain\n\nZie bijlage.\n--zz\nContent-Type: message/rfc822\n\nFrom: Karin Visser <karin@visser.nl>\nDate: Mon, 2 Nov 2026 08:00:00 +0100\nSubject: Klacht workshop\n\nDe workshop begon te laat.\n\n> oud\n--zz--\n",
        ))
        .unwrap();
        assert_eq!(m.text, "Zie bijlage.");
        let f = m.forwarded.unwrap();
        assert_eq!(f.from.unwrap().address, "karin@visser.nl");
        assert_eq!(f.subject.as_deref(), Some("Klacht workshop"));
        assert_eq!(f.text, "De workshop begon te laat.");
        assert_eq!(m.history, "> oud");
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].content_type, "message/rfc822");
    }

    #[test]
    fn addresses_in_text() {
        let a = parse_address_text("\"Jansen, Jan\" <jan@x.nl>").unwrap();
        assert_eq!(
            (a.name.as_deref(), a.address.as_str()),
            (Some("Jansen, Jan"), "jan@x.nl")
        );
        let a = parse_address_text("Jan Jansen [mailto:jan@x.nl]").unwrap();
        assert_eq!(
            (a.name.as_deref(), a.address.as_str()),
            (Some("Jan Jansen"), "jan@x.nl")
        );
        let a = parse_address_text("jan@x.nl").unwrap();
        assert_eq!((a.name, a.address.as_str()), (None, "jan@x.nl"));
        let a = parse_address_text("**Jan Jansen** <mailto:jan@x.nl>").unwrap();
        assert_eq!(
            (a.name.as_deref(), a.address.as_str()),
            (Some("Jan Jansen"), "jan@x.nl")
        );
        assert!(parse_address_text("Jan Jansen").is_none());
    }

    #[test]
    fn loose_dates() {
        let cases = [
            (
                "Tue, 3 Nov 2026 10:12:33 +0100",
                "2026-11-03T10:12:33+01:00",
            ),
            ("Tue, Nov 3, 2026 at 10:12 AM", "2026-11-03T10:12:00+01:00"),
            ("Mon, Nov 2, 2026 at 9:41 PM", "2026-11-02T21:41:00+01:00"),
            ("di 3 nov. 2026 om 10:12", "2026-11-03T10:12:00+01:00"),
            ("dinsdag 3 november 2026 10:12", "2026-11-03T10:12:00+01:00"),
            (
                "3 November 2026 at 10:12:00 CET",
                "2026-11-03T10:12:00+01:00",
            ),
            (
                "Tuesday, November 3, 2026 10:12 AM",
                "2026-11-03T10:12:00+01:00",
            ),
            ("03-11-2026 10:12", "2026-11-03T10:12:00+01:00"),
            ("vr 16 okt. 2026 om 14:05", "2026-10-16T14:05:00+02:00"),
            ("3 mrt 2026", "2026-03-03T00:00:00+01:00"),
            (
                "November 3, 2026 at 10:12:00 AM GMT+1",
                "2026-11-03T10:12:00+01:00",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_loose_date(text), Some(dt(want)), "{text}");
        }
        assert_eq!(parse_loose_date("gisteren"), None);
        assert_eq!(parse_loose_date("31 februari 2026"), None);
    }

    #[test]
    fn deep_nesting_and_garbage_do_not_panic() {
        let mut body = String::new();
        for i in 0..200 {
            body.push_str(&format!(
                "--b{i}\nContent-Type: multipart/mixed; boundary=\"b{}\"\n\n",
                i + 1
            ));
        }
        body.push_str("--b200\nContent-Type: text/plain\n\ndiep\n");
        let raw = mail(
            "From: a@b.nl\nContent-Type: multipart/mixed; boundary=\"b0\"",
            &body,
        );
        let _ = parse(&raw);
        let mut seed = 42u64;
        for _ in 0..200 {
            let len = (seed % 3000) as usize;
            let mut v = Vec::with_capacity(len + 20);
            v.extend_from_slice(b"Subject: x\n");
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                v.push((seed >> 33) as u8);
            }
            let _ = parse(&v);
        }
    }

    #[test]
    fn normalise_lines() {
        assert_eq!(normalise("a  \r\nb\u{a0}c\rd\n\n\n"), "a\nb c\nd");
    }
}
