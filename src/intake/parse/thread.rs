//! Reading the text the way a person would: what is new content, what is quoted history
//! (quoted lines, attribution lines, Outlook header blocks), what was forwarded.

use crate::intake::pattern::Pattern;

use regex::Regex;

use super::Forwarded;
use super::written::{parse_address_text, parse_loose_date};

/// CRLF and CR to LF, no-break spaces to spaces, trailing whitespace trimmed.
pub(super) fn normalise(text: &str) -> String {
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
pub(super) fn subject_is_forward(subject: &str) -> bool {
    static FW: Pattern = Pattern::new(|| {
        Regex::new(r"(?i)^\s*(\[[^\]]{0,40}\]\s*)?\[?(fw|fwd|doorst|tr|wg|vs)\s*:").expect("regex")
    });
    FW.is_match(subject)
}

static FORWARD_MARKER: Pattern = Pattern::new(|| {
    Regex::new(
        r"(?ix)^(
            -{2,}\s*(forwarded\s+message|doorgestuurd\s+bericht|doorgestuurde\s+e-?mail|weitergeleitete\s+nachricht|message\s+transf[ée]r[ée])\s*-{2,}
          | (begin\s+forwarded\s+message|begin\s+doorgestuurd\s+bericht|doorgestuurd\s+bericht|forwarded\s+message|start\s+of\s+forwarded\s+message)\s*:
        )$",
    )
    .expect("regex")
});

static ORIGINAL_MARKER: Pattern = Pattern::new(|| {
    Regex::new(
        r"(?i)^-{2,}\s*(original\s+message|oorspronkelijk\s+bericht|origineel\s+bericht|originele\s+bericht|urspr[üu]ngliche\s+nachricht|message\s+d'origine)\s*-{2,}$",
    )
    .expect("regex")
});

/// "Op di 3 nov. 2026 om 10:12 schreef Jan <jan@x.nl>:", "On ..., Jan wrote:",
/// "Op 3 nov. 2026, om 10:12 heeft Jan het volgende geschreven:".
static ATTRIBUTION: Pattern = Pattern::new(|| {
    Regex::new(
        r"(?i)^(op|on|am|le|el)\s.*\b(schreef|wrote|geschreven|schrieb|geschrieben|[ée]crit|escribi[óo])\b.*:$",
    )
    .expect("regex")
});

static TIME_OR_ADDRESS: Pattern =
    Pattern::new(|| Regex::new(r"\d{1,2}[:.]\d{2}|@").expect("regex"));

/// A header line in a quoted or forwarded header block ("**Van:** Jan <jan@x.nl>").
static BLOCK_HEADER: Pattern = Pattern::new(|| {
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
pub(super) struct Split {
    pub text: String,
    pub history: String,
    pub forwarded: Option<Forwarded>,
}

/// Splits a normalised body: the new text (quoted lines removed, history cut off), the
/// history, and, when `detect_forward`, the forwarded part.
pub(super) fn split_body(body: &str, subject_forward: bool, detect_forward: bool) -> Split {
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
                    subject = Some(super::one_line(&value, super::MAX_SUBJECT_CHARS))
                        .filter(|s| !s.is_empty());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::parse::parse;
    use crate::intake::parse::tests::{dt, mail};

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
    fn normalise_lines() {
        assert_eq!(normalise("a  \r\nb\u{a0}c\rd\n\n\n"), "a\nb c\nd");
    }
}
