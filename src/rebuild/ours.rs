//! klachtd's own letters as the Sent folder keeps them: which case, which kind, when, and
//! which mails they answer. The kind is read from the Message-ID klachtd gives every
//! letter (`klachtd.KL-2026-0012.decision.7@domain`); a letter whose Message-ID is not of
//! that form (rewritten by a server, say) is known by the `[KL-…]` in its subject and the
//! subject line of a built-in template, Dutch or English.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::domain::{CaseNumber, LetterKind, Outgoing};
use crate::intake::classify::find_case_number;
use crate::intake::dates::month_number;
use crate::intake::parse;
use crate::letters::kind_by_subject;

/// How a letter's case and kind were known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownBy {
    MessageId,
    Subject,
}

/// One of klachtd's letters to a complainant, found in Sent.
#[derive(Debug, Clone)]
pub struct OurLetter {
    pub message_id: String,
    pub case: CaseNumber,
    pub kind: LetterKind,
    /// Its Date header, else when the Sent folder got it.
    pub date: DateTime<Utc>,
    /// The mails it answers (In-Reply-To and References), oldest first.
    pub thread: Vec<String>,
    /// The letter's text (decoded): what the owner's action said, within the template.
    pub text: String,
    pub from: String,
    pub to: Vec<String>,
    pub known_by: KnownBy,
    pub raw: Vec<u8>,
}

impl OurLetter {
    /// The letter as the outbox keeps its letters.
    pub fn outgoing(&self) -> Outgoing {
        Outgoing {
            message_id: self.message_id.clone(),
            kind: self.kind,
            case: Some(self.case),
            envelope_from: self.from.clone(),
            recipients: self.to.clone(),
            to_complainant: true,
            raw: self.raw.clone(),
        }
    }
}

/// The case and kind a Message-ID of klachtd's own form names.
pub fn case_and_kind(message_id: &str) -> Option<(CaseNumber, LetterKind)> {
    let id = message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    let (local, _domain) = id.rsplit_once('@')?;
    let mut parts = local.split('.');
    if parts.next()? != "klachtd" {
        return None;
    }
    let number: CaseNumber = parts.next()?.parse().ok()?;
    let key = parts.next()?;
    let kind = LetterKind::ALL.into_iter().find(|k| k.key() == key)?;
    parts.next()?.parse::<u64>().ok()?;
    Some((number, kind))
}

/// Whether a Message-ID is one klachtd gave (a letter, a notice to the owner).
pub fn is_ours(message_id: &str) -> bool {
    message_id
        .trim()
        .trim_start_matches('<')
        .starts_with("klachtd.")
}

/// Reads one mail of the Sent folder: `None` when it is not a letter of klachtd's to a
/// complainant (the owner may keep other mail there).
pub fn read(raw: &[u8], filed: DateTime<Utc>) -> Option<OurLetter> {
    let message = parse::parse(raw).ok()?;
    let id = message.message_id.clone()?;
    let (case, kind, known_by) = match case_and_kind(&id) {
        Some((case, kind)) => (case, kind, KnownBy::MessageId),
        None => (
            find_case_number(&message.subject)?,
            kind_by_subject(&message.subject)?,
            KnownBy::Subject,
        ),
    };
    if !kind.to_complainant() {
        return None;
    }
    let thread = message.thread();
    Some(OurLetter {
        message_id: id,
        case,
        kind,
        date: message.date.map_or(filed, |d| d.with_timezone(&Utc)),
        thread,
        text: message.text.clone(),
        from: message.from.map(|a| a.address).unwrap_or_default(),
        to: message.to.into_iter().map(|a| a.address).collect(),
        known_by,
        raw: raw.to_vec(),
    })
}

/// The dates a letter names ("15 januari 2027", "15 January 2027"), in order.
pub fn dates_in(text: &str) -> Vec<NaiveDate> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(3)
        .filter_map(|w| {
            let day: u32 = w[0].parse().ok()?;
            let month = month_number(&w[1].to_lowercase())?;
            let year: i32 = w[2].trim_end_matches('.').parse().ok()?;
            NaiveDate::from_ymd_opt(year, month, day)
        })
        .collect()
}

/// The first time of day a letter names ("14:00").
pub fn time_in(text: &str) -> Option<NaiveTime> {
    text.split(|c: char| !(c.is_ascii_digit() || c == ':'))
        .find_map(|w| NaiveTime::parse_from_str(w, "%H:%M").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(message_id: &str, subject: &str) -> Vec<u8> {
        format!(
            "From: Klachten <klacht@example.test>\r\nTo: Sanne <sanne@example.test>\r\n\
             Subject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
             Date: Tue, 1 Dec 2026 10:00:00 +0100\r\n\
             In-Reply-To: <klacht-1@sanne.example.test>\r\n\
             References: <klacht-1@sanne.example.test>\r\n\r\n\
             U kunt onze beslissing uiterlijk op 15 januari 2027 verwachten.\r\n"
        )
        .into_bytes()
    }

    fn filed() -> DateTime<Utc> {
        "2026-12-01T09:00:05Z".parse().unwrap()
    }

    #[test]
    fn the_message_id_names_case_and_kind() {
        let raw = letter(
            "klachtd.KL-2026-0012.decision.7@example.test",
            "[KL-2026-0012] Beslissing over uw klacht",
        );
        let l = read(&raw, filed()).unwrap();
        assert_eq!(l.case.to_string(), "KL-2026-0012");
        assert_eq!(l.kind, LetterKind::Decision);
        assert_eq!(l.known_by, KnownBy::MessageId);
        assert_eq!(
            l.date,
            "2026-12-01T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(l.thread, ["klacht-1@sanne.example.test"; 2]);
        assert_eq!(l.to, ["sanne@example.test"]);
        // The kind in the Message-ID wins over a subject that says otherwise.
        let raw = letter(
            "klachtd.KL-2026-0012.report.9@example.test",
            "[KL-2026-0012] Beslissing over uw klacht",
        );
        assert_eq!(read(&raw, filed()).unwrap().kind, LetterKind::HearingReport);
    }

    #[test]
    fn without_our_message_id_the_subject_names_case_and_kind() {
        for (subject, kind) in [
            (
                "[KL-2026-0003] Ontvangstbevestiging van uw klacht",
                LetterKind::Acknowledgement,
            ),
            (
                "[KL-2026-0003] Uw klacht is ontvangen - wij hebben nog wat gegevens nodig",
                LetterKind::RequestInformation,
            ),
            (
                "[KL-2026-0003] Uw klacht is ontvangen",
                LetterKind::LateReply,
            ),
            (
                "[KL-2026-0003] Your complaint has been received - we still need some details",
                LetterKind::RequestInformation,
            ),
            (
                "[KL-2026-0003] Decision on your complaint",
                LetterKind::Decision,
            ),
            (
                "[KL-2026-0003] Uw klacht: wij hebben meer tijd nodig voor onze beslissing",
                LetterKind::Extension,
            ),
        ] {
            let raw = letter("rewritten.1234@mail.example.test", subject);
            let l = read(&raw, filed()).unwrap_or_else(|| panic!("{subject}"));
            assert_eq!((l.case.seq, l.kind), (3, kind), "{subject}");
            assert_eq!(l.known_by, KnownBy::Subject);
        }
    }

    #[test]
    fn what_is_not_a_letter_of_ours_to_a_complainant_is_passed_over() {
        for raw in [
            // another subject, another Message-ID: the owner's own mail in Sent
            letter("x.1@mail.example.test", "Re: de planning"),
            // a case number, but no template's subject
            letter("x.2@mail.example.test", "[KL-2026-0003] even bellen?"),
            // one of ours, but to the owner
            letter(
                "klachtd.KL-2026-0003.owner_new_case.2@example.test",
                "[KL-2026-0003] Nieuwe klacht",
            ),
            // a damaged Message-ID of our form
            letter("klachtd.KL-2026-0003.decision@example.test", "Re: iets"),
            letter("klachtd.KL-2026-0003.nonsense.4@example.test", "Re: iets"),
            b"\xff\xfe not a mail".to_vec(),
            Vec::new(),
        ] {
            assert!(
                read(&raw, filed()).is_none(),
                "{}",
                String::from_utf8_lossy(&raw)
            );
        }
    }

    #[test]
    fn dates_and_times_are_read_in_dutch_and_english() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            dates_in(
                "uiterlijk op 29 december 2026. U kunt onze beslissing uiterlijk op 15 januari 2027 verwachten."
            ),
            [d(2026, 12, 29), d(2027, 1, 15)]
        );
        assert_eq!(
            dates_in("by 3 March 2027 (previously 1 February 2027)"),
            [d(2027, 3, 3), d(2027, 2, 1)]
        );
        assert!(dates_in("31 februari 2027, 12 smarch 2027, 2027").is_empty());
        assert_eq!(
            time_in("Wij stellen voor: 5 januari 2027 om 14:30 uur."),
            NaiveTime::from_hms_opt(14, 30, 0)
        );
        assert_eq!(time_in("geen tijd, 25:00"), None);
    }
}
