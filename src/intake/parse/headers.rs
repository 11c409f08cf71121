//! Headers: the fields of [`Message`] read from the header block, addresses and
//! message ids decoded, the Date and the newest Received date.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use mail_parser::{HeaderName, HeaderValue, MessageParser, MimeHeaders};

use super::body::{
    attached_message, attached_text, attachments, body_text, calendar_method, returned_message,
};
use super::thread::{normalise, split_body, subject_is_forward};
use super::written::parse_loose_date;
use super::{Address, MAX_NAME_CHARS, MAX_SUBJECT_CHARS, Message, NotAMail, Unread, one_line};
use crate::intake::limits::{Limits, OverLimit};

pub(super) fn parse_mail(raw: &[u8], limits: &Limits) -> Result<Message, Unread> {
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
    // Before HTML is converted and the text read: what it decoded to is bounded.
    let text = decoded_text_bytes(&parsed);
    if text > limits.text_bytes {
        return Err(OverLimit::text(text, limits).into());
    }
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
                subject = Some(one_line(
                    header.value.as_text().unwrap_or_default(),
                    MAX_SUBJECT_CHARS,
                ));
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
        calendar: calendar_method(&parsed),
        attached_text: attached_text(&parsed),
        returned: is_report.then(|| returned_message(&parsed)).flatten(),
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

pub(super) fn make_address(name: Option<&str>, address: Option<&str>) -> Option<Address> {
    let address = match address {
        // An address has no white space or control characters in it: whatever decoded
        // into one is dropped rather than carried into an envelope or a header.
        Some(a) => a
            .chars()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .collect(),
        // "From: jan@x.nl" misread as a name, or a display name only
        None => name
            .filter(|n| n.contains('@') && !n.contains(' '))?
            .to_string(),
    };
    let name = name
        .map(|n| one_line(n, MAX_NAME_CHARS))
        .map(|n| {
            n.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
                .to_string()
        })
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&address));
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

pub(super) fn mime_type(ct: &mail_parser::ContentType<'_>) -> String {
    let mut t = ct.ctype().trim().to_ascii_lowercase();
    if let Some(sub) = ct.subtype() {
        t.push('/');
        t.push_str(&sub.trim().to_ascii_lowercase());
    }
    t
}

pub(super) fn to_chrono(d: &mail_parser::DateTime) -> Option<DateTime<FixedOffset>> {
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

/// The decoded text of every text and HTML part, attached mails' included, in bytes.
fn decoded_text_bytes(parsed: &mail_parser::Message<'_>) -> usize {
    use mail_parser::PartType;
    let mut total = 0usize;
    // A stack, not recursion: attached mails may nest.
    let mut stack = vec![parsed];
    while let Some(m) = stack.pop() {
        for part in &m.parts {
            match &part.body {
                PartType::Text(t) | PartType::Html(t) => total = total.saturating_add(t.len()),
                PartType::Message(inner) => stack.push(inner),
                _ => {}
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use crate::intake::parse::parse;
    use crate::intake::parse::tests::{dt, mail};

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
}
