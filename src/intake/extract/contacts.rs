//! Phone numbers and e-mail addresses: labelled, in the signature, or in a sentence that
//! says how to reach the complainant; the sender's address as a last resort.

use crate::intake::pattern::Pattern;

use super::lines::Doc;
use super::re;
use crate::intake::parse::{Address, Message};

/// The first phone number in `s`, as written: Dutch, 10 digits starting with 0, or +31 /
/// 0031 and 9 digits (an optional "(0)"); Belgian (+32 / 0032, 8 or 9 digits) or German
/// (+49 / 0049, 6 to 11 digits); separated by spaces, dashes, dots, slashes or
/// parentheses. Dates, postcodes, amounts and case numbers are not phone numbers.
pub(super) fn find_phone(s: &str) -> Option<&str> {
    phone_from(s, 0).map(|(start, end)| &s[start..end])
}

/// Where the first phone number in `s` from byte `from` on starts and ends (the words
/// before it, also before `from`, say whether it is one).
fn phone_from(s: &str, from: usize) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while i < b.len() {
        if matches!(b[i], b'+' | b'0' | b'(')
            && let Some(end) = phone_at(s, i)
        {
            let p = &s[i..end];
            let mut from = i.saturating_sub(32);
            while !s.is_char_boundary(from) {
                from += 1;
            }
            let date_like = DATE_LIKE.is_match(p) && !PAIRS.is_match(p);
            let before = &s[from..i];
            if !date_like && !NUMBER_CONTEXT.is_match(before) && !IBAN_BEFORE.is_match(before) {
                return Some((i, end));
            }
            i = end;
            continue;
        }
        i += 1;
    }
    None
}

/// Words before a number that make it an order, invoice or account number.
static NUMBER_CONTEXT: Pattern = Pattern::new(|| {
    re(
        r"(?i)(?:order|factuur|klant|kenmerk|referentie|dossier|iban|rekening|bsn|lid|invoice|reference|account|bestel|polis|kvk|btw|contract|registratie|relatie|rechnung|kunden|auftrag|vertrag|vorgang|aktenzeichen|buchung|boeking|ticket|zaak|case|mitglied|versicherung|steuer|konto|transactie|transaction|betalings|payment|zending|sendung|tracking|referenz)\w*\s*(?:nummer|nr|no|number)?\.?\s*:?\s*$",
    )
});

/// The start of an IBAN right before a number: "NL91 ABNA 0417 1643 00", "DE89 3704
/// 0044 0532 0130 00" (its last groups read like a phone number).
static IBAN_BEFORE: Pattern = Pattern::new(|| re(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){0,6} ?$"));

/// "06.12.34.56.78", "06 12 34 56 78": a number in pairs, not a date.
static PAIRS: Pattern = Pattern::new(|| re(r"^0[1-9](?:[.\s][0-9]{2}){4}$"));

/// A date inside a number: a day and a month that can be one, then a year, with the
/// same separator twice ("03-11-2026 14" is a date and a time, "0475/12.34.56" a number).
static DATE_LIKE: Pattern = Pattern::new(|| {
    const DAY: &str = "(?:0?[1-9]|[12][0-9]|3[01])";
    const MONTH: &str = "(?:0?[1-9]|1[0-2])";
    const YEAR: &str = "(?:[0-9]{4}|[0-9]{2})";
    re(&format!(
        r"(?:^|[^0-9])(?:{DAY}-{MONTH}-{YEAR}|{DAY}/{MONTH}/{YEAR}|{DAY}\.{MONTH}\.{YEAR})(?:$|[^0-9])"
    ))
});

/// A request to be answered at another address: "graag antwoord naar ...", "wilt u uw
/// reactie naar mijn werkadres sturen", "mijn privé-adres is ...", "please reply to ...",
/// "bitte antworten Sie an ...".
static REPLY_ELSEWHERE: Pattern = Pattern::new(|| {
    re(
        r"(?i)\b(?:(?:antwoord|reactie|beantwoord|reageer|reageren|terugmailen|reply|replies|respond|response|answer|write\s+back|antwort|antworten)\w*\b[^.?!@]{0,40}?\b(?:naar|aan|op|via|to|at|an)\b|(?:werk|priv[ée]|thuis|persoonlijk|ander|nieuw)e?[- ]?(?:e-?mail)?[- ]?adres|(?:private|personal|work|home|other|new)\s+(?:e-?mail\s+)?address|(?:private|pers[öo]nliche|andere|neue)\s+(?:e-?mail-?)?adresse)",
    )
});

/// Words that ask to be called at a number, rather than at the one in her (work)
/// signature: "bel mij liever op mijn mobiel", "mijn nieuwe nummer is", "you can reach me
/// at", "please use my mobile number", "erreichen Sie mich unter"; or that say a number
/// no longer holds: "mijn oude nummer", "niet op", "my old number". The last of them before
/// a number speaks for it.
static ASKED_OR_OLD: Pattern = Pattern::new(|| {
    re(
        r"(?i)(?P<old>\b(?:oude?|vorige|old|previous|former|alte|bisherige)\s+(?:\w+\s+)?(?:tel(?:efoon)?-?|gsm-?|mobiele\s+|telefon-?|ruf)?(?:nummer|number|no\b)|\bniet\s+(?:meer\s+)?(?:op|via|naar)\b|\bnot\s+(?:on|at|to)\b|\bnicht\s+(?:mehr\s+)?(?:unter|auf)\b)|(?P<asked>\b(?:priv[ée]|mobiele?|gsm|eigen|persoonlijke?|nieuwe?|juiste?|correcte?|goede|huidige?|thuis|directe?)[- ]?(?:telefoon|tel|gsm)?[- ]?nummer\b|\bmijn\s+(?:mobiel(?:tje)?|gsm|06|privételefoon)\b|\bbel(?:len|t)?\s+(?:u\s+)?(?:mij|me)\s+(?:\w+\s+)?(?:liever|gerust|bij\s+voorkeur|voortaan|graag|alstublieft|aub|op|via|maar)\b|\bbel\s+(?:liever|gerust|bij\s+voorkeur|voortaan)\b|\bbellen\s+kan\b|\b(?:mij|me)\s+(?:\w+\s+){0,2}?bellen\s+(?:op|via)\b|\b(?:kunt|kan)\s+u\s+mij\s+(?:\w+\s+){0,3}?(?:bellen|bereiken)\b|\b(?:je|u)\s+kunt\s+mij\s+(?:\w+\s+){0,3}?(?:bellen|bereiken)\b|\bbereikbaar\s+(?:\w+\s+)?(?:op|via|onder)\b|\bmaar\s+op\b|\b(?:reach|call|ring|phone|text)\s+me\b|\bmy\s+(?:mobile|cell(?:phone)?|private|personal|home|new|correct|right|current|direct)\b|\b(?:new|correct|right|current)\s+(?:phone\s+|mobile\s+)?number\b|\buse\s+(?:my|this)\b|\berreichen\s+sie\s+mich\b|\brufen\s+sie\s+mich\b|\b(?:handy|mobil|privat|neue)\w*nummer\b|\bmeine\s+(?:neue|private|richtige)\s+\w*nummer\b)",
    )
});

/// Words right after a number that say it no longer holds: "06-... vervalt", "... is
/// no longer in use".
static NO_LONGER: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\W{0,3}(?:vervalt|werkt\s+niet|is\s+niet\s+meer|klopt\s+niet|(?:is\s+)?no\s+longer|is\s+not\s+(?:in\s+use|valid|correct)|gilt\s+nicht|ist\s+nicht\s+mehr)\b",
    )
});

/// The number she asks to be called at in the text: one after words that ask for it
/// ([`ASKED_OR_OLD`]), the sentence before perhaps on the line before ("Wilt u mij op mijn
/// nieuwe nummer bellen? Dat is 06-...").
fn asked_phone(lines: &[&str]) -> Option<String> {
    for (k, line) in lines.iter().enumerate() {
        let mut from = 0;
        while let Some((start, end)) = phone_from(line, from) {
            let own = &line[from..start];
            let above = if from == 0 && k > 0 { lines[k - 1] } else { "" };
            let said = |text: &str| {
                ASKED_OR_OLD
                    .captures_iter(text)
                    .last()
                    .map(|c| c.name("asked").is_some())
            };
            let asked = said(own).or_else(|| said(above)).unwrap_or(false);
            if asked && !NO_LONGER.is_match(&line[end..]) {
                return Some(line[start..end].to_string());
            }
            from = end;
        }
    }
    None
}

/// The end of a phone number starting at byte `start` (an ASCII byte), if one does.
fn phone_at(s: &str, start: usize) -> Option<usize> {
    let b = s.as_bytes();
    // What comes before: not part of a word, an amount, a case number or an address.
    let before = s[..start].chars().next_back();
    let before_ok = match before {
        None => true,
        Some('.') => s[..start]
            .chars()
            .nth_back(1)
            .is_some_and(char::is_alphabetic),
        Some(c) => !(c.is_alphanumeric() || "-/,+_@€$#=&".contains(c)),
    };
    if !before_ok {
        return None;
    }
    let mut i = start;
    let opened = b[i] == b'(';
    if opened {
        i += 1;
    }
    // The country: +31 / 0031 (the Netherlands, 9 digits), +32 / 0032 (Belgium, 8 or 9),
    // +49 / 0049 (Germany, 6 to 11); else a Dutch number of 10 digits from its 0.
    let plus = b.get(i) == Some(&b'+');
    let country = if plus {
        i += 1;
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
        b.get(i..i + 2)
    } else if b.get(i..i + 2) == Some(b"00".as_slice()) {
        i += 2;
        b.get(i..i + 2)
    } else if b.get(i) == Some(&b'0') {
        None
    } else {
        return None;
    };
    // A national number: Dutch, ten digits from its 0; or German, its area code and the
    // number in one more group ("0211/9876543", "030 - 12 34 56 78": eleven or twelve
    // digits, the tenth inside a group), or after a slash as few as eight ("0228/12345").
    let (intl, min, max) = match country {
        None => (false, 10, 12),
        Some(b"31") => (true, 9, 9),
        Some(b"32") => (true, 8, 9),
        Some(b"49") => (true, 6, 11),
        // Another country, written with its "+" (a "00" before other digits is as often
        // an amount or a code): the length E.164 allows.
        Some([a, b]) if plus && a.is_ascii_digit() && b.is_ascii_digit() && *a != b'0' => {
            (true, 6, 11)
        }
        Some(_) => return None,
    };
    if intl {
        i += 2;
        i = skip_separators(b, i)?;
        // "+31 (0)6 ...", "+31 06 ..."
        if b.get(i..i + 3) == Some(b"(0)".as_slice()) {
            i += 3;
        } else if b.get(i) == Some(&b'0') {
            i += 1;
        }
    }
    // A Dutch mobile number has ten digits, never more.
    let mobile = !intl && b.get(i..i + 2) == Some(b"06".as_slice());
    let mut slashed = false;
    let enough = |digits: usize, slashed: bool| digits >= min || (slashed && digits >= 8);
    let mut digits = 0;
    let mut end = i;
    while digits < max {
        if !intl && digits >= 10 && (mobile || !b.get(i).is_some_and(u8::is_ascii_digit)) {
            break;
        }
        // Separators between the groups; past ten national digits only the same group.
        let j = if intl || (1..10).contains(&digits) {
            match skip_separators(b, i) {
                Some(j) => j,
                None if enough(digits, slashed) => break,
                None => return None,
            }
        } else {
            i
        };
        // "0228/12345", "02821 / 71 93 05": a slash after the area code.
        if !intl && (3..=5).contains(&digits) && b[i..j].contains(&b'/') {
            slashed = true;
        }
        match b.get(j) {
            Some(d) if d.is_ascii_digit() => {
                // The area code never starts with 0 (that would be international).
                if (intl && digits == 0 || !intl && digits == 1) && *d == b'0' {
                    return None;
                }
                digits += 1;
                i = j + 1;
                end = i;
            }
            _ if enough(digits, slashed) => break,
            _ => return None,
        }
    }
    if opened && !s[start..end].contains(')') {
        return None;
    }
    // What follows: not more digits, not part of a word or an address.
    let rest = &b[end..];
    let follow_ok = match rest.first() {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() || *c == b'@' || *c == b'_' => false,
        Some(b'-' | b'/' | b'.' | b',') => !rest.get(1).is_some_and(u8::is_ascii_digit),
        Some(c) if *c >= 0x80 => !s[end..].chars().next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    };
    follow_ok.then_some(end)
}

/// The part of `line` from the start of the sentence `phone` is in up to the number.
fn sentence_before<'a>(line: &'a str, phone: &str) -> &'a str {
    let at = line.find(phone).unwrap_or(line.len());
    let head = &line[..at];
    let from = head.rfind(['.', '!', '?']).map_or(0, |p| p + 1);
    &head[from..]
}

/// A line that is only a local number of 9 digits (Belgian landlines), perhaps labelled.
static LOCAL_LINE: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\s*(?:(?:tel|telefoon|t|gsm|mob|mobiel|phone|fax)\.?\s*:?\s*)?(?P<n>0[1-9](?:[\s./\-]?[0-9]){7})\s*$",
    )
});

/// Skips up to three separator bytes between digit groups.
fn skip_separators(b: &[u8], mut i: usize) -> Option<usize> {
    let mut count = 0;
    loop {
        let width = match b.get(i..) {
            Some([b' ' | b'-' | b'.' | b'/' | b'(' | b')', ..]) => 1,
            // no-break space
            Some([0xC2, 0xA0, ..]) => 2,
            // hyphen, non-breaking hyphen, figure dash, en dash, em dash; narrow no-break space
            Some([0xE2, 0x80, 0x90..=0x94 | 0xAF, ..]) => 3,
            _ => return Some(i),
        };
        i += width;
        count += 1;
        if count > 3 {
            return None;
        }
    }
}

pub(super) static EMAIL: Pattern = Pattern::new(|| {
    re(r"(?i)\b[a-z0-9][a-z0-9._%+\-]*@(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}\b")
});

/// Addresses that are never the complainant's contact address: ours (the recipients and
/// their domains), the forwarder's, no-reply addresses.
pub(super) struct Ignored {
    addresses: Vec<String>,
    domains: Vec<String>,
}

impl Ignored {
    pub(super) fn new(message: &Message) -> Ignored {
        let mut addresses: Vec<String> = message
            .to
            .iter()
            .map(|a| a.address.trim().to_lowercase())
            .collect();
        if message.forwarded.is_some()
            && let Some(f) = &message.from
        {
            addresses.push(f.address.trim().to_lowercase());
        }
        let domains = message
            .to
            .iter()
            .filter_map(|a| {
                a.address
                    .rsplit_once('@')
                    .map(|(_, d)| d.trim().to_lowercase())
            })
            .filter(|d| !d.is_empty())
            .collect();
        Ignored { addresses, domains }
    }

    fn is(&self, address: &str) -> bool {
        let a = address.trim().to_lowercase();
        let (local, domain) = a.rsplit_once('@').unwrap_or((&a, ""));
        self.addresses.contains(&a)
            || self.domains.iter().any(|d| d == domain)
            || local.starts_with("klacht")
            || no_reply(&a)
    }
}

/// An address nobody reads: "noreply@...", "mailer-daemon@...".
fn no_reply(address: &str) -> bool {
    let a = address.trim().to_lowercase();
    let local = a.rsplit_once('@').map_or(a.as_str(), |(l, _)| l);
    [
        "noreply",
        "no-reply",
        "no_reply",
        "donotreply",
        "do-not-reply",
        "mailer-daemon",
        "postmaster",
    ]
    .contains(&local)
}

impl Doc<'_> {
    pub(super) fn phone(&self) -> Option<String> {
        if let Some(v) = &self.labels.phone {
            if let Some(p) = find_phone(v) {
                return Some(p.to_string());
            }
            // Not Dutch, but clearly a number (+32 ..., +49 ...).
            let digits = v.chars().filter(char::is_ascii_digit).count();
            if digits >= 8
                && v.chars()
                    .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
            {
                return Some(v.trim().to_string());
            }
        }
        // Asked to be called at another number ("bel mij liever op mijn mobiel"), or
        // given a new one: that one, before the signature's (an office number, an old one).
        let body: Vec<&str> = self.body().collect();
        if let Some(p) = asked_phone(&body) {
            return Some(p);
        }
        if let Some(p) = self.signature().find_map(find_phone) {
            return Some(p.to_string());
        }
        static CALLED: Pattern = Pattern::new(|| {
            re(
                r"(?i)\b(gebeld|belde|bel(?:de)? naar|called|calling|kantoor|office|numun|receptie)\b",
            )
        });
        static REACH: Pattern = Pattern::new(|| {
            re(
                r"(?i)\b(bereikbaar|telefoon|telefonisch|tel|bel me|bel mij|mobiel|nummer is|phone|call me|reach me|contact)\b",
            )
        });
        // The sentence a number is in says whose it is: "bereikbaar op ..." (ours to
        // call), "ik heb naar ... gebeld" (someone else's).
        let candidates: Vec<(&str, &str)> = self
            .body()
            .filter_map(|l| find_phone(l).map(|p| (sentence_before(l, p), p)))
            .filter(|(l, _)| REACH.is_match(l) || !CALLED.is_match(l))
            .collect();
        candidates
            .iter()
            .find(|(l, _)| REACH.is_match(l))
            .or(candidates.first())
            .map(|(_, p)| p.to_string())
            .or_else(|| {
                // A Belgian number of 9 digits ("050 33 44 55") on a signature line of
                // its own.
                self.signature()
                    .find_map(|l| LOCAL_LINE.captures(l))
                    .and_then(|c| c.name("n"))
                    .map(|m| m.as_str().trim().to_string())
            })
    }

    pub(super) fn email(
        &self,
        message: &Message,
        sender: Option<&Address>,
        ignored: &Ignored,
    ) -> Option<String> {
        let first = |s: &str| {
            EMAIL
                .find_iter(s)
                .map(|m| m.as_str())
                .find(|a| !ignored.is(a))
                .map(str::to_string)
        };
        if let Some(e) = self.labels.email.as_deref().and_then(first) {
            return Some(e);
        }
        // "bereikbaar via x@y.nl", the context perhaps at the end of the line before.
        let body: Vec<&str> = self.body().collect();
        let in_context = |context: &Pattern| {
            (0..body.len()).find_map(|i| {
                let said = context.is_match(body[i]) || i > 0 && context.is_match(body[i - 1]);
                if said { first(body[i]) } else { None }
            })
        };
        // Asked to be answered at another address: that one, before the signature's.
        if let Some(e) = in_context(&REPLY_ELSEWHERE) {
            return Some(e);
        }
        if let Some(e) = self.signature().find_map(first) {
            return Some(e);
        }
        static CONTACT: Pattern = Pattern::new(|| {
            re(
                r"(?i)\b(bereikbaar|contact|mail me|mailen|e-?mail me|reply|respond|write to|antwoord|reageer|reageren|stuur|send|terugmailen|adres is|address is|e-?mailadres|mailadres|reach me)\b",
            )
        });
        if let Some(e) = in_context(&CONTACT) {
            return Some(e);
        }
        if message.forwarded.is_none()
            && let Some(r) = &message.reply_to
            && !ignored.is(&r.address)
            && EMAIL.is_match(&r.address)
            && !message.from.as_ref().is_some_and(|f| f.same_as(&r.address))
        {
            return Some(r.address.trim().to_string());
        }
        sender
            .map(|a| a.address.trim().to_string())
            .filter(|a| !a.is_empty() && !no_reply(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::extract::extract;
    use crate::intake::extract::tests::{addr, catalogue, ex, msg, sent};

    fn phone(s: &str) -> Option<&str> {
        find_phone(s)
    }

    #[test]
    fn every_phone_form() {
        for p in [
            "06-12345678",
            "06 1234 5678",
            "0612345678",
            "+31 6 1234 5678",
            "+31 (0)6 12345678",
            "+31612345678",
            "0031 6 12345678",
            "020 - 123 45 67",
            "020-1234567",
            "010 1234567",
            "0499-123456",
            "(020) 123 45 67",
            "06-1234 5678",
            "06 – 12 34 56 78",
            "06\u{a0}12345678",
        ] {
            let text = format!("U kunt mij bellen op {p}, liefst 's avonds.");
            assert_eq!(phone(&text), Some(p), "{p}");
        }
    }

    #[test]
    fn no_false_phones() {
        for s in [
            "Uw kenmerk KL-2026-0007 klopt niet.",
            "Ik woon op 1234 AB in Utrecht.",
            "De factuur van € 1.250,00 is te hoog.",
            "Op 03-11-2026 10:00 begon de training.",
            "Op 03/11/2026 ging het mis.",
            "Ik betaalde 0612345 euro.",
            "Het nummer 06123456789 heeft te veel cijfers.",
            "IBAN NL91ABNA0417164300",
            "mail 0612345678@example.nl",
            "Het was 2026-11-03.",
            "Bel 0012345678 niet.",
            "Mijn ordernummer 0123456789 klopt niet.",
            "Factuurnr.: 0612345678",
        ] {
            assert_eq!(phone(s), None, "{s}");
        }
        // And a case number next to a real phone number does not hide it.
        assert_eq!(phone("KL-2026-0007, tel. 06-12345678"), Some("06-12345678"));
    }

    #[test]
    fn another_contact_address_in_the_text() {
        let e = ex(
            "De uitleg was onduidelijk. Ik ben het best bereikbaar via j.devries@werk.nl overdag.",
        );
        assert_eq!(e.fields.email.as_deref(), Some("j.devries@werk.nl"));
        let e = ex(
            "Please reply to jan.private@example.com, not to this address. The teacher was rude.",
        );
        assert_eq!(e.fields.email.as_deref(), Some("jan.private@example.com"));
        // Asked to be answered elsewhere: that address, before the signature's.
        for (text, want) in [
            (
                "De trainer was er niet.\nGraag antwoord naar mijn privé-adres sanne@hotmail.com.\n\nMet vriendelijke groet,\nSanne Vos\nE s.vos@werk.nl\n",
                "sanne@hotmail.com",
            ),
            (
                "Wilt u uw reactie naar mijn werkadres sturen: gj@water.nl? Dit adres lees ik niet.\n\nGroet,\nGerrit\ngj@ziggo.nl\n",
                "gj@water.nl",
            ),
            (
                "The room was cold.\nPlease send your reply to my personal address, tom@outlook.com.\n\nThanks,\nTom Baker\ntom@firm.co.uk\n",
                "tom@outlook.com",
            ),
            (
                "Der Termin fiel aus.\nBitte antworten Sie an meine private Adresse k@posteo.de.\n\nGrüße\nK. Schulz\nk@firma.de\n",
                "k@posteo.de",
            ),
        ] {
            assert_eq!(ex(text).fields.email.as_deref(), Some(want), "{text}");
        }
        // A colleague's address in the text is no request to be answered there.
        let e =
            ex("Mijn collega piet@werk.nl was er ook bij.\n\nGroet,\nJan de Vries\njan@thuis.nl\n");
        assert_eq!(e.fields.email.as_deref(), Some("jan@thuis.nl"));
        // Our own address is never the contact address.
        let e = ex("Ik stuur dit naar klacht@numun.nl omdat de trainer onvoorbereid was.");
        assert_eq!(e.fields.email.as_deref(), Some("jan.devries@example.nl"));
        // An address merely mentioned is not a contact address.
        let e = ex("Ik had al gemaild met planning@bedrijf.nl over het rooster.");
        assert_eq!(e.fields.email.as_deref(), Some("jan.devries@example.nl"));
        // Reply-To names the contact address.
        let mut m = msg("De trainer was onvoorbereid.");
        m.reply_to = Some(addr(None, "jan.thuis@example.nl"));
        assert_eq!(
            extract(&m, &catalogue(), sent()).fields.email.as_deref(),
            Some("jan.thuis@example.nl")
        );
    }

    #[test]
    fn the_number_she_asks_to_be_called_at_beats_her_signature() {
        let signed =
            "\n\nKind regards,\nMaria Lopez\nAdviseur, Gemeente Zeist\nT 030 - 698 77 00\n";
        for (text, want) in [
            (
                "Bellen kan op mijn mobiel, 06-18 33 72 45 (niet op het nummer hieronder).",
                "06-18 33 72 45",
            ),
            ("Bel mij liever op 06 4412 9087, overdag.", "06 4412 9087"),
            (
                "You can reach me at +31 6 2345 6789 in the evenings.",
                "+31 6 2345 6789",
            ),
            (
                "Please use my mobile number rather than the office number: +31 6 5530 1187.",
                "+31 6 5530 1187",
            ),
            // A new number, the sentence that asks for it on the line before.
            (
                "Wilt u mij voortaan op mijn nieuwe nummer bellen?\nDat is 06-83 72 91 04, het oude nummer vervalt.",
                "06-83 72 91 04",
            ),
            // The old number first, then the new one.
            (
                "Mijn oude nummer 06-11112222 werkt niet meer, mijn nieuwe nummer is 06-33334444.",
                "06-33334444",
            ),
            (
                "Erreichen Sie mich bitte unter +49 171 2345678.",
                "+49 171 2345678",
            ),
        ] {
            let mail = format!("De trainer was grof tegen mij. {text}{signed}");
            assert_eq!(ex(&mail).fields.phone.as_deref(), Some(want), "{text}");
        }
        // A number she called, or one that no longer holds, asks for nothing.
        for text in [
            "Ik heb de receptie gebeld op 030-1234567, niemand nam op.",
            "Ik heb geprobeerd de receptie te bellen op 030-1234567.",
            "Bel mij niet meer op 06-11112222.",
            "My old number, 06-11112222, is no longer in use.",
            "Het nummer 06-11112222 vervalt per 1 december, bel liever via de receptie.",
        ] {
            let mail = format!("De trainer was grof tegen mij. {text}{signed}");
            assert_eq!(
                ex(&mail).fields.phone.as_deref(),
                Some("030 - 698 77 00"),
                "{text}"
            );
        }
    }

    #[test]
    fn foreign_and_dotted_numbers_without_a_label() {
        for (text, want) in [
            ("Bel mij op +32 486 11 22 33.", "+32 486 11 22 33"),
            ("U kunt mij bellen: 0032 9 223 44 55", "0032 9 223 44 55"),
            ("Rufen Sie mich an: +49 171 2345678", "+49 171 2345678"),
            (
                "Telefonisch 0049 211 4455667 bereikbaar",
                "0049 211 4455667",
            ),
            ("Mijn nummer is 06.12.34.56.78", "06.12.34.56.78"),
            ("Mijn nummer is 06 12 34 56 78", "06 12 34 56 78"),
        ] {
            assert_eq!(find_phone(text), Some(want), "{text}");
        }
        // Other countries written with their "+" are numbers too.
        for text in ["+44 20 7946 0958", "+353 87 123 4567"] {
            assert_eq!(find_phone(text), Some(text), "{text}");
        }
        // Too short, too long, dates: no number.
        for text in ["+32 12 34", "+49 1234 5678 9012 34", "op 06.11.2026 om 10"] {
            assert_eq!(find_phone(text), None, "{text}");
        }
        // "bereikbaar op" beats a "gebeld" earlier in the sentence before.
        let e = ex("Niemand had mij gebeld, terwijl ik bereikbaar ben op 06-55443322.");
        assert_eq!(e.fields.phone.as_deref(), Some("06-55443322"));
        let e = ex(
            "De coach kwam niet.\n\nGroeten,\nJan Vermeersch\nGrote Markt 5\n8000 Brugge\n050 33 44 55",
        );
        assert_eq!(e.fields.phone.as_deref(), Some("050 33 44 55"));
    }

    #[test]
    fn german_area_codes_and_dashes_with_spaces() {
        for (text, want) in [
            ("Tel. 0211 / 98 76 543", "0211 / 98 76 543"),
            ("Sie erreichen mich unter 0211/9876543.", "0211/9876543"),
            ("+49 (0)211 98 76 543", "+49 (0)211 98 76 543"),
            ("Tel.: 030 - 12 34 56 78", "030 - 12 34 56 78"),
            ("Mobil 0171 2345678", "0171 2345678"),
            ("Tel. 02821 / 71 93 05", "02821 / 71 93 05"),
            ("Telefon 0228/12345", "0228/12345"),
            ("Bel gerust: 0570 – 61 24 93", "0570 – 61 24 93"),
            ("mijn nummer is 06 - 23 45 67 81.", "06 - 23 45 67 81"),
            ("T 0570\u{2013}612493", "0570\u{2013}612493"),
        ] {
            assert_eq!(find_phone(text), Some(want), "{text}");
        }
        // A Dutch number is whole at ten digits: a date or a number after it is no part.
        for (text, want) in [
            ("Bel 020-1234567 3 november niet.", "020-1234567"),
            ("06-12345678 12 november", "06-12345678"),
        ] {
            assert_eq!(find_phone(text), Some(want), "{text}");
        }
    }

    #[test]
    fn no_phones_in_dates_postcodes_ibans_orders_or_cases() {
        for text in [
            "Bitte überweisen Sie auf DE89 3704 0044 0532 0130 00.",
            "Mijn rekening is NL91 ABNA 0417 1643 00.",
            "IBAN: NL91ABNA0417164300",
            "Rechnungsnummer 0815/4711 vom 3.11.",
            "Rechnung 0123 4567 890",
            "Kundennummer: 0211 98765",
            "Auftragsnr. 0041 2233 445",
            "Ordernummer 0612 3456 78",
            "Uw zaaknummer KL-2026-0052 klopt niet.",
            "Aktenzeichen 0301234567",
            "am 02.11.2026 um 10:00",
            "op 03-11-2026 14 uur",
            "01067 Dresden",
            "8021 CK Zwolle",
            "Het nummer 06123456789 heeft te veel cijfers.",
            "van 09.30-12.00 uur",
            "Boekingsnummer 0228/12345",
            "Referenz 0815/4711",
        ] {
            assert_eq!(find_phone(text), None, "{text}");
        }
    }

    #[test]
    fn numbers_of_other_countries_and_with_mixed_separators() {
        for (text, want) in [
            ("Bel me gerust: 0475/12.34.56", "0475/12.34.56"),
            ("Mijn gsm is 0486/98.76.54.", "0486/98.76.54"),
            ("You can reach me on +44 7700 900456.", "+44 7700 900456"),
            ("Tél. +33 6 12 34 56 78", "+33 6 12 34 56 78"),
            ("Mobil +43 664 1234567", "+43 664 1234567"),
        ] {
            assert_eq!(find_phone(text), Some(want), "{text}");
        }
        // A date and a time, one separator twice, is no number; nor is a "00" amount.
        for text in [
            "Op 03-11-2026 14:00 begon het",
            "Het was 03/11/2026 10:15",
            "Code 0099 1234 5678",
        ] {
            assert_eq!(find_phone(text), None, "{text}");
        }
    }
}
