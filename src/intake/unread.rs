//! The sender of a mail that went over a limit, read from its header block alone, so
//! that a person can be told the mail arrived (issue 10.4) without reading the rest.

use super::{Class, Context, classify, language, limits, parse};
use crate::domain::Language;

/// Who to tell that a mail over a limit was received: read from its header block alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadSender {
    /// Where an answer goes (Reply-To, else From).
    pub address: String,
    /// Its Message-ID, to thread the answer.
    pub message_id: Option<String>,
    /// Its language, when the headers tell (Content-Language, a subject long enough);
    /// else Dutch.
    pub language: Language,
}

/// How much of a mail over a limit is read to find its sender: its header block must end
/// within this many bytes.
const UNREAD_HEAD_BYTES: usize = 64 << 10;

/// The sender of a mail that went over `over`, when that is safe to read and a person:
/// None when the header block itself was over a limit or does not end within the first
/// 64 KiB (a robot's marks could lie beyond), when the sender is a robot or us, or when
/// there is no address.
pub fn sender_of_unread(
    raw: &[u8],
    over: &limits::OverLimit,
    ctx: &Context,
) -> Option<UnreadSender> {
    if over.in_header() {
        return None;
    }
    let prefix = raw.get(..raw.len().min(UNREAD_HEAD_BYTES))?;
    // The first blank line, LF or CRLF.
    let end = prefix
        .windows(3)
        .position(|w| w == b"\n\r\n" || w.starts_with(b"\n\n"))
        .or_else(|| prefix.ends_with(b"\n\n").then(|| prefix.len() - 2))?;
    let head = [&prefix[..=end], &b"\r\n"[..]].concat();
    let message = parse::parse(&head).ok()?;
    if classify::classify(&message, &ctx.own).class == Class::Automated {
        return None;
    }
    let address = message
        .reply_to
        .as_ref()
        .or(message.from.as_ref())
        .map(|a| a.address.trim().to_string())
        .filter(|a| a.contains('@'))?;
    // What the mail says it is written in (Content-Language; Outlook's Accept-Language
    // names the writer's), else its subject when long enough to tell.
    let language = match message
        .header("content-language")
        .or_else(|| message.header("accept-language"))
    {
        Some(l) if l.trim().to_ascii_lowercase().starts_with("en") => Language::English,
        Some(_) => Language::Dutch,
        None => language::language(&[&message.subject]),
    };
    Some(UnreadSender {
        address,
        message_id: message.message_id,
        language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::limits::OverLimit;

    fn parts() -> OverLimit {
        OverLimit("more than 5 MIME parts (max_parts)".into(), "max_parts")
    }

    fn ctx() -> Context {
        Context {
            own: crate::intake::OwnIdentity {
                addresses: vec!["klacht@numun.nl".into()],
            },
            ..Context::default()
        }
    }

    const HEAD: &str = "From: Piet <piet@example.nl>\r\nTo: klacht@numun.nl\r\nSubject: Klacht\r\nMessage-ID: <m1@example.nl>\r\n";

    fn mail(head: &str) -> Vec<u8> {
        format!("{head}\r\n{}", "tekst\r\n".repeat(1000)).into_bytes()
    }

    #[test]
    fn the_sender_and_the_message_id_come_from_the_header_block() {
        let s = sender_of_unread(&mail(HEAD), &parts(), &ctx()).unwrap();
        assert_eq!(s.address, "piet@example.nl");
        assert_eq!(s.message_id.as_deref(), Some("m1@example.nl"));
        assert_eq!(s.language, Language::Dutch);
        // LF line ends too; Reply-To wins over From
        let lf = mail(&format!("{HEAD}Reply-To: p2@example.nl\r\n"))
            .iter()
            .copied()
            .filter(|&b| b != b'\r')
            .collect::<Vec<_>>();
        let s = sender_of_unread(&lf, &parts(), &ctx()).unwrap();
        assert_eq!(s.address, "p2@example.nl");
    }

    #[test]
    fn english_when_the_headers_tell() {
        for extra in ["Content-Language: en-GB\r\n", "Content-Language: en\r\n"] {
            let s = sender_of_unread(&mail(&format!("{HEAD}{extra}")), &parts(), &ctx()).unwrap();
            assert_eq!(s.language, Language::English, "{extra}");
        }
        let head = HEAD.replace(
            "Subject: Klacht",
            "Subject: I would like to complain about the trainer who was late every single day of the course",
        );
        let s = sender_of_unread(&mail(&head), &parts(), &ctx()).unwrap();
        assert_eq!(s.language, Language::English);
        let s = sender_of_unread(
            &mail(&format!("{HEAD}Content-Language: nl\r\n")),
            &parts(),
            &ctx(),
        )
        .unwrap();
        assert_eq!(s.language, Language::Dutch);
    }

    #[test]
    fn no_sender_for_a_robot_us_or_a_header_over_a_limit() {
        for extra in [
            "Auto-Submitted: auto-replied\r\n",
            "Precedence: junk\r\n",
            "List-Unsubscribe: <mailto:x@example.nl>\r\n",
            "X-Loop: klacht@numun.nl\r\n",
        ] {
            assert_eq!(
                sender_of_unread(&mail(&format!("{HEAD}{extra}")), &parts(), &ctx()),
                None,
                "{extra}"
            );
        }
        let us = HEAD.replace("piet@example.nl", "klacht@numun.nl");
        assert_eq!(sender_of_unread(&mail(&us), &parts(), &ctx()), None);
        let lines = OverLimit(
            "more than 20 header lines (max_header_lines)".into(),
            "max_header_lines",
        );
        assert_eq!(sender_of_unread(&mail(HEAD), &lines, &ctx()), None);
        // a header block that does not end in the first 64 KiB is not read
        let huge = format!("{HEAD}{}", "X-A: 1234567890\r\n".repeat(5000));
        assert_eq!(sender_of_unread(&mail(&huge), &parts(), &ctx()), None);
        // no address
        let none = HEAD.replace("From: Piet <piet@example.nl>\r\n", "");
        assert_eq!(sender_of_unread(&mail(&none), &parts(), &ctx()), None);
    }
}
