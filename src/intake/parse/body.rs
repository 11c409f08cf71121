//! The body: its text (text/plain parts, or HTML converted to text), its attachments,
//! and a forward sent as an attached message.

use mail_parser::{MimeHeaders, PartType};

use super::headers::{make_address, mime_type, to_chrono};
use super::thread::{normalise, split_body};
use super::{Attachment, Forwarded, Returned};

/// The text body: text/plain parts, or the HTML parts converted when there is no text.
pub(super) fn body_text(msg: &mail_parser::Message<'_>) -> String {
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
fn html_to_text(html: &str) -> String {
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

/// The method of the first text/calendar part ("REQUEST", "CANCEL", ...), from its
/// Content-Type parameter or its `METHOD:` line: an invitation is a machine's mail.
pub(super) fn calendar_method(msg: &mail_parser::Message<'_>) -> Option<String> {
    msg.parts.iter().find_map(|part| {
        let ct = part.content_type()?;
        if mime_type(ct) != "text/calendar" {
            return None;
        }
        let from_param = ct.attribute("method").map(str::to_string);
        let from_body = || {
            let text = match &part.body {
                PartType::Text(t) | PartType::Html(t) => t.to_string(),
                PartType::Binary(b) | PartType::InlineBinary(b) => {
                    String::from_utf8_lossy(b.get(..b.len().min(8192)).unwrap_or_default())
                        .into_owned()
                }
                _ => String::new(),
            };
            text.lines()
                .find_map(|l| l.trim().strip_prefix("METHOD:").map(str::to_string))
        };
        let method = from_param.or_else(from_body).unwrap_or_default();
        Some(method.trim().to_ascii_uppercase())
    })
}

/// The text of the attached plain-text files (`.txt`), each up to [`MAX_ATTACHED_TEXT`]
/// bytes, separated by blank lines: a complaint written in an attachment.
pub(super) fn attached_text(msg: &mail_parser::Message<'_>) -> String {
    let mut out = String::new();
    for &id in &msg.attachments {
        if msg.text_body.contains(&id) || msg.html_body.contains(&id) {
            continue;
        }
        let Some(part) = msg.parts.get(id as usize) else {
            continue;
        };
        let plain = part
            .content_type()
            .is_none_or(|ct| mime_type(ct) == "text/plain");
        let named_txt = part
            .attachment_name()
            .is_none_or(|n| n.trim().to_ascii_lowercase().ends_with(".txt"));
        if !plain || !named_txt {
            continue;
        }
        let text = match &part.body {
            PartType::Text(t) => t.to_string(),
            PartType::Binary(b) | PartType::InlineBinary(b) => {
                String::from_utf8_lossy(b).into_owned()
            }
            _ => continue,
        };
        let mut end = text.len().min(MAX_ATTACHED_TEXT);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(text.get(..end).unwrap_or_default());
    }
    normalise(&out)
}

const MAX_ATTACHED_TEXT: usize = 64 * 1024;

pub(super) fn attachments(msg: &mail_parser::Message<'_>) -> Vec<Attachment> {
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
                // Shown to the owner, never used as a path: whatever is written to disk
                // is named by its content hash.
                filename: part
                    .attachment_name()
                    .map(|n| super::one_line(n, super::MAX_SUBJECT_CHARS))
                    .filter(|n| !n.is_empty()),
                content_type,
                size,
            }
        })
        .collect()
}

/// A forward as an attachment: the first message/rfc822 part, and the quoted history
/// taken out of its text.
pub(super) fn attached_message(msg: &mail_parser::Message<'_>) -> Option<(Forwarded, String)> {
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

/// The subject and Message-ID of the message a delivery report returns: its
/// text/rfc822-headers part, or its message/rfc822 part.
pub(super) fn returned_message(msg: &mail_parser::Message<'_>) -> Option<Returned> {
    let read = |m: &mail_parser::Message<'_>| Returned {
        subject: m.subject().map(|s| s.trim().to_string()),
        message_id: m.message_id().map(str::to_string),
    };
    msg.parts.iter().skip(1).find_map(|part| match &part.body {
        PartType::Message(m) => Some(read(m)),
        PartType::Text(t) | PartType::Html(t)
            if part
                .content_type()
                .is_some_and(|ct| mime_type(ct) == "text/rfc822-headers") =>
        {
            let head = format!("{}\r\n\r\n", t.trim_end());
            mail_parser::MessageParser::default()
                .parse(head.as_bytes())
                .map(|m| read(&m))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::parse::parse;
    use crate::intake::parse::tests::{dt, mail};

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
    fn attached_text_files_are_read() {
        let m = parse(&mail(
            "From: a@b.nl\nContent-Type: multipart/mixed; boundary=\"xx\"",
            "--xx\nContent-Type: text/plain\n\nZie bijlage.\n--xx\nContent-Type: text/plain; charset=iso-8859-1; name=\"klacht.txt\"\nContent-Disposition: attachment; filename=\"klacht.txt\"\nContent-Transfer-Encoding: quoted-printable\n\nDe caf=E9 was dicht.\n--xx\nContent-Type: application/pdf; name=\"f.pdf\"\nContent-Disposition: attachment; filename=\"f.pdf\"\n\n%PDF-1.4\n--xx\nContent-Type: text/plain; name=\"log.csv\"\nContent-Disposition: attachment; filename=\"log.csv\"\n\na,b\n--xx--\n",
        ))
        .unwrap();
        assert_eq!(m.text, "Zie bijlage.");
        assert_eq!(m.attached_text, "De café was dicht.");
        assert_eq!(m.attachments.len(), 3);
        // no attachment, no attached text
        let m = parse(&mail("From: a@b.nl", "Gewoon tekst.")).unwrap();
        assert_eq!(m.attached_text, "");
        assert_eq!(m.calendar, None);
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
}
