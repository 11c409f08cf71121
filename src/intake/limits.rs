//! Limits on input, checked on the raw bytes before anything parses them: mail-parser
//! has none of its own, and a mail built to exhaust it (a MIME tree 20,000 deep, 300,000
//! header lines, 50,000 parts) must cost no more than reading it once.
//!
//! The scan is one pass over the lines, linear in the size of the mail. It follows the
//! MIME structure only as far as counting needs: the boundaries multipart headers
//! declare, the parts they open, the header lines of every part.

use serde::Deserialize;

/// The limits, with safe defaults (`[limits]` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// The whole mail, in bytes (25 MiB).
    pub max_bytes: usize,
    /// Nested multiparts (100).
    pub max_depth: usize,
    /// MIME parts in all (10,000).
    pub max_parts: usize,
    /// Header lines, over the mail and all its parts (10,000).
    pub max_header_lines: usize,
    /// One header line, folded lines included, in bytes (64 KiB).
    pub max_header_line_bytes: usize,
    /// The decoded text of the mail, every text part together (after base64 or
    /// quoted-printable and the charset), in bytes (4 MiB). Checked after mail-parser
    /// decoded it, before the costly steps (HTML to text, extraction) see it.
    pub text_bytes: usize,
    /// How long reading one mail (parsing and extraction) may take, in seconds (10). The
    /// daemon reads on its reader thread and gives up waiting after this long; the mail is
    /// then set aside like one over any other limit.
    pub seconds_per_mail: u64,
    /// Automatic answers to one address in one day (5); beyond, mail from it is still
    /// registered but not answered, and the owner is told once. Applied by the registry:
    /// the backstop against a robot no header gives away.
    pub answers_per_sender_per_day: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 25 << 20,
            max_depth: 100,
            max_parts: 10_000,
            max_header_lines: 10_000,
            max_header_line_bytes: 64 << 10,
            text_bytes: 4 << 20,
            seconds_per_mail: 10,
            answers_per_sender_per_day: 5,
        }
    }
}

/// Which limit a mail went over, in words for the owner (no content), and its key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("over the limit: {0}")]
pub struct OverLimit(pub String, pub &'static str);

impl OverLimit {
    /// Over a limit of the header block itself: nothing of it may be read, not even the
    /// sender (a robot's marks could lie beyond what is read).
    pub fn in_header(&self) -> bool {
        matches!(self.1, "max_header_lines" | "max_header_line_bytes")
    }

    /// A mail whose reading took longer than `[limits] seconds_per_mail`.
    pub fn too_slow(limits: &Limits) -> OverLimit {
        OverLimit(
            format!(
                "reading the mail took more than {} seconds (seconds_per_mail)",
                limits.seconds_per_mail
            ),
            "seconds_per_mail",
        )
    }

    /// A mail whose decoded text is `bytes` long, over `[limits] text_bytes`.
    pub fn text(bytes: usize, limits: &Limits) -> OverLimit {
        OverLimit(
            format!(
                "the decoded text is {bytes} bytes, more than {} (text_bytes)",
                limits.text_bytes
            ),
            "text_bytes",
        )
    }
}

/// Checks `raw` against `limits`, reading it once.
pub fn check(raw: &[u8], limits: &Limits) -> Result<(), OverLimit> {
    if raw.len() > limits.max_bytes {
        return Err(OverLimit(
            format!(
                "the mail is {} bytes, more than {} (max_bytes)",
                raw.len(),
                limits.max_bytes
            ),
            "max_bytes",
        ));
    }
    let mut boundaries: Vec<Vec<u8>> = Vec::new();
    let mut parts = 1usize;
    let mut header_lines = 0usize;
    let mut in_header = true;
    // The current header field, unfolded: its length and whether it is a Content-Type.
    let mut field_len = 0usize;
    let mut content_type: Vec<u8> = Vec::new();
    let mut in_content_type = false;
    for line in raw.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if in_header {
            if line.is_empty() {
                in_header = false;
                if let Some(b) = declared_boundary(&content_type) {
                    boundaries.push(b);
                    if boundaries.len() > limits.max_depth {
                        return Err(OverLimit(
                            format!(
                                "MIME parts nested more than {} deep (max_depth)",
                                limits.max_depth
                            ),
                            "max_depth",
                        ));
                    }
                }
                content_type.clear();
                in_content_type = false;
                continue;
            }
            let folded = matches!(line.first(), Some(b' ' | b'\t'));
            if folded {
                field_len += line.len();
            } else {
                header_lines += 1;
                field_len = line.len();
                in_content_type =
                    line.len() >= 13 && line[..13].eq_ignore_ascii_case(b"content-type:");
                if in_content_type {
                    content_type.clear();
                }
            }
            if in_content_type && content_type.len() < 4096 {
                content_type.extend_from_slice(line);
            }
            if header_lines > limits.max_header_lines {
                return Err(OverLimit(
                    format!(
                        "more than {} header lines (max_header_lines)",
                        limits.max_header_lines
                    ),
                    "max_header_lines",
                ));
            }
            if field_len > limits.max_header_line_bytes {
                return Err(OverLimit(
                    format!(
                        "a header line of more than {} bytes (max_header_line_bytes)",
                        limits.max_header_line_bytes
                    ),
                    "max_header_line_bytes",
                ));
            }
            continue;
        }
        let Some(rest) = line.strip_prefix(b"--") else {
            continue;
        };
        // A delimiter of an open multipart, innermost first; closing one ends the
        // multiparts inside it too (a broken mail may never close them).
        let Some(level) = boundaries
            .iter()
            .rposition(|b| rest.starts_with(b) && is_delimiter_end(&rest[b.len()..]))
        else {
            continue;
        };
        let closing = rest[boundaries[level].len()..].starts_with(b"--");
        boundaries.truncate(level + 1);
        if closing {
            boundaries.pop();
        } else {
            parts += 1;
            if parts > limits.max_parts {
                return Err(OverLimit(
                    format!("more than {} MIME parts (max_parts)", limits.max_parts),
                    "max_parts",
                ));
            }
            in_header = true;
        }
    }
    Ok(())
}

/// After the boundary: nothing but white space, or `--` for the closing delimiter.
fn is_delimiter_end(rest: &[u8]) -> bool {
    let rest = rest.strip_prefix(b"--").unwrap_or(rest);
    rest.iter().all(|b| b.is_ascii_whitespace())
}

/// The boundary a multipart Content-Type declares (unfolded header text).
fn declared_boundary(content_type: &[u8]) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(content_type).to_ascii_lowercase();
    if !text.contains("multipart/") {
        return None;
    }
    let at = text.find("boundary=")? + "boundary=".len();
    // Positions are the same in the lower-cased copy; take the value from the original.
    let original = String::from_utf8_lossy(content_type);
    let value = original.get(at..)?;
    let value = match value.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next()?,
        None => value.split([';', ' ', '\t', '\r']).next()?,
    };
    (!value.is_empty()).then(|| value.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        Limits {
            max_bytes: 10_000,
            max_depth: 3,
            max_parts: 5,
            max_header_lines: 20,
            max_header_line_bytes: 200,
            text_bytes: 1000,
            seconds_per_mail: 10,
            answers_per_sender_per_day: 5,
        }
    }

    const PLAIN: &[u8] =
        b"From: a@example.nl\r\nSubject: klacht\r\n\r\nDe training was slecht.\r\n";

    fn nested(depth: usize) -> Vec<u8> {
        let mut out = b"From: a@example.nl\r\nSubject: diep\r\n".to_vec();
        for i in 0..depth {
            out.extend(
                format!("Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n")
                    .bytes(),
            );
        }
        out.extend(b"Content-Type: text/plain\r\n\r\nhallo\r\n");
        for i in (0..depth).rev() {
            out.extend(format!("--b{i}--\r\n").bytes());
        }
        out
    }

    fn parts(n: usize) -> Vec<u8> {
        let mut out =
            b"From: a@example.nl\r\nContent-Type: multipart/mixed;\r\n boundary=XYZ\r\n\r\n"
                .to_vec();
        for i in 0..n {
            out.extend(format!("--XYZ\r\nContent-Type: text/plain\r\n\r\ndeel {i}\r\n").bytes());
        }
        out.extend(b"--XYZ--\r\n");
        out
    }

    #[test]
    fn an_ordinary_mail_passes() {
        assert_eq!(check(PLAIN, &small()), Ok(()));
        assert_eq!(check(&nested(3), &small()), Ok(()));
        assert_eq!(check(&parts(4), &small()), Ok(()));
        assert_eq!(check(PLAIN, &Limits::default()), Ok(()));
    }

    #[test]
    fn each_limit_is_named_when_it_is_passed() {
        let l = small();
        let big = [PLAIN, &vec![b'x'; 10_000]].concat();
        assert!(check(&big, &l).unwrap_err().0.contains("max_bytes"));
        assert!(check(&nested(4), &l).unwrap_err().0.contains("max_depth"));
        assert!(check(&parts(5), &l).unwrap_err().0.contains("max_parts"));
        let many: Vec<u8> = [&b"X-A: 1\r\n".repeat(21)[..], b"\r\nbody\r\n"].concat();
        assert!(check(&many, &l).unwrap_err().0.contains("max_header_lines"));
        let long: Vec<u8> = [
            &b"Subject: a\r\n"[..],
            &b" folded and folded\r\n".repeat(20),
            b"\r\nbody\r\n",
        ]
        .concat();
        assert!(
            check(&long, &l)
                .unwrap_err()
                .0
                .contains("max_header_line_bytes")
        );
    }

    #[test]
    fn header_lines_of_every_part_count() {
        let mut l = small();
        l.max_parts = 1000;
        // 4 parts with 6 header lines each: 24 lines over 20, though no block has more.
        let mut mail =
            b"From: a@example.nl\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n".to_vec();
        for _ in 0..4 {
            mail.extend(b"--B\r\nContent-Type: text/plain\r\n".iter());
            mail.extend(b"X-1: a\r\nX-2: a\r\nX-3: a\r\nX-4: a\r\nX-5: a\r\n\r\ntekst\r\n".iter());
        }
        assert!(check(&mail, &l).unwrap_err().0.contains("max_header_lines"));
    }

    #[test]
    fn a_boundary_in_the_text_or_of_a_closed_part_opens_nothing() {
        let mut l = small();
        l.max_parts = 2;
        let mail = b"From: a@example.nl\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n--Bx is not a delimiter\r\n--C neither\r\n--B--\r\n--B\r\n";
        assert_eq!(check(mail, &l), Ok(()));
    }

    #[test]
    fn the_generated_monsters_are_refused_quickly() {
        let l = Limits::default();
        assert!(
            check(&nested(20_000), &l)
                .unwrap_err()
                .0
                .contains("max_depth")
        );
        // Parts without headers of their own (valid MIME: text/plain by default).
        let bare: Vec<u8> = [
            &b"From: a@example.nl\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n"[..],
            &b"--X\r\n\r\ndeel\r\n".repeat(50_000),
            b"--X--\r\n",
        ]
        .concat();
        assert!(check(&bare, &l).unwrap_err().0.contains("max_parts"));
        assert!(check(&parts(50_000), &l).is_err(), "with their headers");
        let headers: Vec<u8> = [&b"X-A: 1\r\n".repeat(300_000)[..], b"\r\nbody\r\n"].concat();
        assert!(
            check(&headers, &l)
                .unwrap_err()
                .0
                .contains("max_header_lines")
        );
        let huge = vec![b'a'; 30 << 20];
        assert!(check(&huge, &l).unwrap_err().0.contains("max_bytes"));
    }

    /// A mail whose one text part decodes (base64) to `bytes` bytes of text.
    fn base64_text(bytes: usize) -> Vec<u8> {
        use base64::Engine as _;
        let text = "De training was slecht voorbereid. ".repeat(bytes / 35 + 1);
        let text = &text[..bytes];
        let body = base64::engine::general_purpose::STANDARD.encode(text);
        let lines: Vec<&[u8]> = body.as_bytes().chunks(76).collect();
        [
            &b"From: a@example.nl\r\nSubject: lang\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"[..],
            &lines.join(&b"\r\n"[..]),
            b"\r\n",
        ]
        .concat()
    }

    #[test]
    fn the_default_text_limit_is_4_mib_decoded() {
        use crate::intake::parse::{Unread, parse_within};
        let l = Limits::default();
        assert_eq!(l.text_bytes, 4 << 20);
        let at = base64_text(4 << 20);
        assert_eq!(check(&at, &l), Ok(()), "the raw checks pass");
        assert!(parse_within(&at, &l).is_ok(), "exactly the limit passes");
        let over = base64_text((4 << 20) + 1);
        assert_eq!(check(&over, &l), Ok(()));
        match parse_within(&over, &l) {
            Err(Unread::OverLimit(o)) => {
                assert_eq!(o.1, "text_bytes");
                assert!(o.0.contains("4194305"), "{o}");
                assert!(!o.in_header());
            }
            other => panic!("{other:?}"),
        }
    }
}
