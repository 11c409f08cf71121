//! The date of the facts in the mail she quotes and points to ("hieronder leest u de mail
//! die ik toen stuurde", "see my email below", "unten finden Sie meine E-Mail"): read
//! when her new text names no date, as of that mail's own writing.

use chrono::NaiveDate;

use crate::intake::pattern::Pattern;

use super::super::lines::{Doc, opens_a_quote};
use super::super::re;
use super::{event_date, first_date};

/// New text that points at a mail quoted below it.
static POINTS_BELOW: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b(?:hieronder|hierbeneden|onderstaande?|below|underneath|unten|untenstehende?n?|nachfolgende?n?)\b[^.\n]{0,60}?\b(?:mail|e-?mail|mailtje|bericht|brief|message|letter|nachricht|schreiben)\b|\b(?:mail|e-?mail|mailtje|bericht|message|nachricht)\b[^.\n]{0,60}?\b(?:hieronder|hierbeneden|below|unten)\b",
    )
});

/// The date of the facts in the quoted mail of `history` that `text` points to: her own
/// words quoted (a "> " mark taken off), dated as of the quoted mail's date (the
/// attribution's or the header's), `sent` when it has none.
pub(in crate::intake::extract) fn in_the_mail_below(
    text: &str,
    history: &str,
    sent: NaiveDate,
) -> Option<NaiveDate> {
    // Her own mail ("mijn mail hieronder", "de mail die ik toen stuurde"), not our letter.
    static HERS: Pattern = Pattern::new(|| {
        re(r"(?i)\b(?:mijn|my|meine?[mn]?|onze|our|unsere?[mn]?|ik|i|ich|wij|we|wir)\b")
    });
    let around = |start: usize, end: usize| {
        let before: String = text[..start].chars().rev().take(12).collect();
        let after: String = text[end..].chars().take(40).collect();
        format!(
            "{} {} {after}",
            before.chars().rev().collect::<String>(),
            &text[start..end]
        )
    };
    if !POINTS_BELOW
        .find_iter(text)
        .any(|m| HERS.is_match(&around(m.start(), m.end())))
    {
        return None;
    }
    let lines: Vec<&str> = history
        .lines()
        .map(|l| l.trim_start().trim_start_matches('>').trim_start())
        .collect();
    let head = lines
        .iter()
        .take_while(|l| l.trim().is_empty() || opens_a_quote(l))
        .count();
    // Written by us: the sender's line or the attribution names numun.
    static OURS: Pattern =
        Pattern::new(|| re(r"(?i)^\s*(?:(?:van|from|von)\s*:|(?:op|on|am)\s).*numun"));
    if lines[..head].iter().any(|l| OURS.is_match(l)) {
        return None;
    }
    let written = lines[..head]
        .iter()
        .find_map(|l| first_date(l, sent))
        .map_or(sent, |d| d.min(sent));
    // Its own text, to the next quoted mail in it.
    let own: Vec<&str> = lines[head..]
        .iter()
        .take_while(|l| !opens_a_quote(l))
        .copied()
        .collect();
    let own = own.join("\n");
    let doc = Doc::read(&own);
    event_date(&doc.body_text(), written)
}

#[cfg(test)]
mod tests {
    use super::in_the_mail_below;
    use crate::intake::extract::tests::{d, sent};

    #[test]
    fn a_date_in_the_mail_she_points_to_is_read() {
        // sent() is Friday 20 November 2026.
        let history = "Op ma 2 nov. 2026 om 21:41 schreef Lisa Vos <lisa.vos@example.nl>:\n> Beste mensen,\n>\n> Gisteren begon de workshop een uur te laat en de trainer was onvoorbereid.\n>\n> Groet,\n> Lisa\n";
        for text in [
            "Hallo,\n\nHieronder leest u de mail die ik toen stuurde. Ik heb nooit antwoord gekregen.\n\nLisa Vos",
            "Please see my email below, which was never answered.",
            "Unten finden Sie meine E-Mail, auf die ich keine Antwort bekam.",
        ] {
            assert_eq!(
                in_the_mail_below(text, history, sent()),
                Some(d(2026, 11, 1)),
                "{text}"
            );
        }
        let outlook = "Van: Jan de Vries <jan@example.nl>\nVerzonden: dinsdag 3 november 2026 10:12\nAan: info@numun.nl\nOnderwerp: Klacht\n\nOp 29 oktober viel de training zonder bericht uit.\n\nJan";
        assert_eq!(
            in_the_mail_below("Zie hieronder mijn mail van vorige week.", outlook, sent()),
            Some(d(2026, 10, 29))
        );
        let german = "-----Ursprüngliche Nachricht-----\nVon: Jan Vogel <jan@example.de>\nGesendet: Dienstag, 3. November 2026 10:12\nAn: info@numun.nl\nBetreff: Beschwerde\n\nGestern fiel das Seminar ohne Nachricht aus.\n\nJan";
        assert_eq!(
            in_the_mail_below(
                "Unten finden Sie meine E-Mail vom 3. November.",
                german,
                sent()
            ),
            Some(d(2026, 11, 2))
        );
        // Not pointed to, or our own letter: not read.
        assert_eq!(
            in_the_mail_below("Bedankt voor uw bericht.", outlook, sent()),
            None
        );
        let ours = "Op 10 nov. 2026 om 09:02 schreef Klachten numun <klacht@numun.nl>:\n> Op 9 november 2026 is uw klacht ontvangen.\n";
        assert_eq!(
            in_the_mail_below("Zie mijn reactie op het bericht hieronder.", ours, sent()),
            None
        );
    }
}
