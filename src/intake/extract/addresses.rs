//! Addresses: labelled street and postcode lines, an address in the signature, or one
//! written in a sentence ("ik woon op de Kerkstraat 12 in Utrecht"; `prose`). Here the
//! parts (street, town, postcode) and the lines they make; the tests in `tests`.

use crate::intake::pattern::Pattern;

use regex::Captures;

use super::lines::Doc;
use super::{re, squeeze, trim_punct};

mod prose;

use prose::{ADDRESS_CUE, PC_WORD, cued_address, foreign_in_prose};

/// A street and house number: "Kerkstraat 12", "Van Goghlaan 3a", "Laan van Meerdervoort
/// 120-2", "Oudegracht 12bis", "Postbus 55".
const STREET: &str = r"(?:\p{Lu}[\p{L}\p{M}'’.\-]*|'s-?\p{L}+)(?:\s+(?:\p{Lu}[\p{L}\p{M}'’.\-]*|van|de|der|den|het|'t|ter|ten|te|aan|op|in|bij|over|en|und|du|la|le|[\p{Ll}][\p{Ll}\-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|park|steeg|dreef|plantsoen|markt|veld|baan|wal)))*\s+\d{1,5}(?:\s?[-/]\s?\d{1,4}[A-Za-z]?(?:\s+bus\s+\d{1,4}[A-Za-z]?\b)?|\s?-\s?(?:[IVX]{1,4}|bis|ter|hs|h|[A-Za-z])\b|\s+bus\s+\d{1,4}[A-Za-z]?\b|(?:bis|ter)\b|(?:[A-Za-z]{1,2}|\s[A-Za-z])\b|\s+(?:bis|hs|huis|zw|rd)\b)?";
/// A street in the English way, the number first: "18 Prinsengracht", "Flat 2, 18 Baker
/// Street".
const EN_STREET: &str = r"(?:(?:Flat|Apartment|Apt\.?|Unit|Suite)\s+\w{1,4}\s*,\s*)?\d{1,5}(?:-(?:[IVX]{1,4}|\d{1,3}|hs|bis)\b|[A-Za-z]\b)?\s+\p{Lu}[\p{L}\p{M}'’.\-]*(?:\s+\p{Lu}[\p{L}\p{M}'’.\-]*){0,3}";
/// The number, English way first, with the floor or addition Dutch addresses have:
/// "41", "18a", "56-II", "12-2".
const EN_HOUSE_NO: &str = r"\d{1,5}(?:-(?:[IVX]{1,4}|\d{1,3}|hs|bis)\b|[A-Za-z]\b)?";
/// The last word of a street's name: "Turnhoutsebaan", "Kortrijksesteenweg", "Hauptstr.".
/// In prose, where a capitalised word and a number are often no street at all, an
/// address without a cue before it needs one of these.
const STREET_ENDS: &[&str] = &[
    "straat",
    "laan",
    "weg",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dijk",
    "pad",
    "hof",
    "park",
    "steeg",
    "dreef",
    "plantsoen",
    "markt",
    "veld",
    "baan",
    "wal",
    "lei",
    "kaai",
    "vest",
    "dries",
    "straße",
    "strasse",
    "str.",
    "allee",
    "platz",
    "gasse",
    "ring",
    "damm",
    "ufer",
    "street",
    "road",
    "lane",
    "avenue",
];
/// Between the street and the postcode on one line: a comma, or the bar or dot of a
/// signature ("Stationsplein 4 | 3701 AB Zeist").
const SEP: &str = r"\s*[,|·•–]\s*";
const TOWN: &str = r"(?:'[st][- ]?)?\p{Lu}[\p{L}\p{M}'’\-]*(?:[ \-](?:(?:aan|op|bij|in|den|de|der|am|an|im|sur|en)[ \-]){0,2}\p{Lu}[\p{L}\p{M}'’\-]*){0,3}";

/// What a German town often carries after its name, near the border too: "Gronau
/// (Westf.)", "Halle (Saale)", "Emmerich am Rhein", "Gronau/Westf.", "Kleve i. W.".
const TOWN_TAIL: &str = r"(?:\s*\(\p{L}[\p{L}\p{M}.\- ]{0,20}\)|\s*/\s*\p{Lu}[\p{L}\p{M}]*\.?|\s+(?:i\.\s?W|a\.\s?M|a\.\s?d\.\s?\p{Lu}\p{L}*|b\.\s?\p{Lu}\p{L}*)\.?)?";

/// A postcode anywhere (case-insensitive: only used inside a known address).
pub(super) static PC: Pattern = Pattern::new(|| re(r"(?i)\b([1-9][0-9]{3})\s?([a-z]{2})\b"));
/// A line that is a postcode and a town: "1234 AB Utrecht", "1234AB  UTRECHT".
pub(super) static PC_LINE: Pattern = Pattern::new(|| {
    re(
        r"^\s*(?:NL[- ]?)?[1-9][0-9]{3}(?:\s?[A-Z]{2}|[a-z]{2})\b[\s,]*(?:(?:'[st][- ]?)?\p{L}[\p{L}\p{M}'’.\- ]*)?\s*[.,]?\s*$",
    )
});
static STREET_LINE: Pattern = Pattern::new(|| re(&format!(r"^\s*{STREET}\s*[,.]?\s*$")));
static EN_STREET_LINE: Pattern = Pattern::new(|| re(&format!(r"^\s*{EN_STREET}\s*[,.]?\s*$")));
/// A Belgian or German postcode line: "2000 Antwerpen", "B-9000 Gent", "47533 Kleve".
static FOREIGN_PC_LINE: Pattern = Pattern::new(|| {
    re(&format!(
        r"^\s*(?:(?:B|BE|D|DE)[- ])?(?:[1-9][0-9]{{3,4}}|0[1-9][0-9]{{3}})\s+{TOWN}{TOWN_TAIL}\s*[,.]?\s*$"
    ))
});
/// Street, Belgian or German postcode and town on one line.
static FOREIGN_FULL_LINE: Pattern = Pattern::new(|| {
    re(&format!(
        r"^\s*(?P<s>{STREET}){SEP}(?P<pc>(?:(?:B|BE|D|DE)[- ])?(?:[1-9][0-9]{{3,4}}|0[1-9][0-9]{{3}}))\s+(?P<t>{TOWN}){TOWN_TAIL}\s*[,.]?\s*$"
    ))
});
/// A British postcode: "CB2 1RX", "SW1A 1AA", "M1 1AE".
const UK_PC: &str = r"[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][A-Z]{2}";
/// A town and a British postcode ("Cambridge CB2 1RX"), or the street too, on one line
/// ("27 Mill Lane, Cambridge CB2 1RX").
static UK_TOWN_LINE: Pattern = Pattern::new(|| {
    re(&format!(
        r"^\s*(?:(?P<s>{EN_STREET})\s*,\s*)?{TOWN}\s*,?\s+{UK_PC}\s*[,.]?\s*$"
    ))
});

/// The number before the street, then a Dutch postcode and town: "14 Willemsparkweg, 1071
/// HE Amsterdam", a line of its own or in a sentence.
static EN_ORDER_NL: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?P<cue>{ADDRESS_CUE})?\b(?P<n>{EN_HOUSE_NO})\s+(?P<st>\p{{Lu}}[\p{{L}}\p{{M}}'’.\-]*(?:\s+\p{{Lu}}[\p{{L}}\p{{M}}'’.\-]*){{0,3}}){SEP}(?P<pc>[1-9][0-9]{{3}}\s?[A-Z]{{2}})\s*,?\s+(?P<t>{TOWN})"
    ))
});
/// A street line the English way, the number first: "56-II Ferdinand Bolstraat".
static EN_NUMBER_FIRST: Pattern = Pattern::new(|| {
    re(&format!(
        r"^\s*(?P<n>{EN_HOUSE_NO})\s+(?P<st>\p{{Lu}}[\p{{L}}\p{{M}}'’.\-]*(?:\s+\p{{Lu}}[\p{{L}}\p{{M}}'’.\-]*){{0,3}})\s*[,.]?\s*$"
    ))
});
/// A country on a line of its own, after the town.
static COUNTRY_LINE: Pattern = Pattern::new(|| {
    re(
        r"^\s*(?:Belgi(?:ë|e)|Belgium|Belgique|Deutschland|Duitsland|Germany|Nederland|(?:The\s+)?Netherlands|Luxemburg|Luxembourg|Frankrijk|France|Oostenrijk|(?:Ö|O)sterreich|Austria|Zwitserland|Schweiz|Switzerland|United\s+Kingdom)\s*[,.]?\s*$",
    )
});

/// A label before an address without a colon, in lower case as often as not: "adres
/// Hogeweg 211, ...", "woonadres Dorpsstraat 4 ...", "Anschrift ...".
static ADDRESS_LABEL: Pattern = Pattern::new(|| {
    re(
        r"(?i)^\s*(?:(?:mijn|my|meine)\s+)?(?:(?:woon|huis|post|thuis|priv[ée]|correspondentie|home|postal)[- ]?)?(?:adres|address|adresse|anschrift)\s*:?\s+",
    )
});

/// `line` without an address label before it ("adres Hogeweg 211, ..." -> "Hogeweg 211,
/// ...").
pub(super) fn without_label(line: &str) -> &str {
    ADDRESS_LABEL
        .find(line)
        .map(|m| &line[m.end()..])
        // what follows is an address, not a sentence ("Mijn adres is ...")
        .filter(|rest| rest.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
        .unwrap_or(line)
}

/// The postcode and town first, then the street, on one line: "8021 CK Zwolle,
/// Assendorperstraat 88a", "3512 AB Utrecht - Oudegracht 12bis", "2018 Antwerpen, Lange
/// Kievitstraat 45 bus 3".
static PC_FIRST_LINE: Pattern = Pattern::new(|| {
    re(&format!(
        r"^\s*(?P<pc>(?:NL[- ]?)?[1-9][0-9]{{3}}\s?[A-Z]{{2}}|[1-9][0-9]{{3}}[a-z]{{2}}|(?:(?:B|BE|D|DE)-)?[1-9][0-9]{{3,4}})\s+(?P<t>{TOWN})\s*(?:,|\s[-–|·•]\s)\s*(?P<s>{STREET})\s*[,.]?\s*$"
    ))
});

/// A line with the postcode and town before the street (an address label before them
/// allowed), as the street first: "Assendorperstraat 88a, 8021 CK Zwolle".
pub(super) fn postcode_first(line: &str) -> Option<String> {
    let c = PC_FIRST_LINE.captures(without_label(line))?;
    Some(normalise_postcodes(&format!(
        "{}, {} {}",
        squeeze(&c["s"]),
        &c["pc"],
        squeeze(&c["t"])
    )))
}

/// A line that is a street and number, the Dutch way or the English way ("Kerkstraat 12",
/// "56-II Ferdinand Bolstraat").
pub(super) fn street_line(line: &str) -> bool {
    STREET_LINE.is_match(line) || EN_STREET_LINE.is_match(line)
}

/// A Belgian or German postcode line.
pub(super) fn foreign_pc_line(line: &str) -> bool {
    FOREIGN_PC_LINE.is_match(line)
}

static TOWN_LINE: Pattern = Pattern::new(|| re(&format!(r"^\s*{TOWN}\s*$")));
static FULL_ADDRESS: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?P<s>{STREET})(?:{SEP}|\s+)(?:(?i:in|te)\s+)?(?:{PC_WORD}\s*:?\s*)?(?P<pc>[1-9][0-9]{{3}}\s?[A-Z]{{2}}|[1-9][0-9]{{3}}[a-z]{{2}})\b\s*,?\s*(?P<t>{TOWN})?"
    ))
});

/// "1234ab" -> "1234 AB", wherever a postcode occurs in `s`.
fn normalise_postcodes(s: &str) -> String {
    let s = squeeze(s);
    PC.replace_all(&s, |c: &Captures| {
        format!("{} {}", &c[1], c[2].to_uppercase())
    })
    .into_owned()
}

/// Whether the name of `street` ("Turnhoutsebaan 210") ends in a street's word.
fn reads_as_street(street: &str) -> bool {
    let name = street
        .split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    STREET_ENDS.iter().any(|e| name.ends_with(e))
}

/// "56-II Ferdinand Bolstraat" -> "Ferdinand Bolstraat 56-II": a street above a Dutch
/// postcode written the Dutch way; any other street as it is.
fn dutch_order(street: &str) -> String {
    EN_NUMBER_FIRST.captures(street).map_or_else(
        || squeeze(street),
        |c| format!("{} {}", squeeze(&c["st"]), &c["n"]),
    )
}

/// "14 Willemsparkweg, 1071 HE Amsterdam", written the Dutch way: a line of its own, or
/// in a sentence after a cue or with a street's word.
fn en_order_nl(text: &str) -> Option<String> {
    EN_ORDER_NL
        .captures_iter(text)
        .find(|c| {
            let whole = c.get(0).is_some_and(|m| {
                text[..m.start()].trim().is_empty() && trim_punct(&text[m.end()..]).is_empty()
            });
            whole || c.name("cue").is_some() || reads_as_street(&c["st"])
        })
        .map(|c| {
            normalise_postcodes(&format!(
                "{} {}, {} {}",
                squeeze(&c["st"]),
                &c["n"],
                &c["pc"],
                squeeze(&c["t"])
            ))
        })
}

/// An address in these lines: one line with street, postcode and town, or a street line
/// followed by a postcode line. In a signature a postcode line alone, or a street line
/// followed by a town line, will do too.
fn address_in_lines(lines: &[&str], signature: bool) -> Option<String> {
    // "adres Dorpsstraat 4", "Anschrift Hauptstraße 5, ...": the address after its label.
    let nonblank: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .map(without_label)
        .collect();
    // "..., België": a country line after the town.
    let country = |k: usize| {
        nonblank
            .get(k + 1)
            .filter(|l| COUNTRY_LINE.is_match(l))
            .map(|l| format!(", {}", squeeze(trim_punct(l))))
            .unwrap_or_default()
    };
    for (k, line) in nonblank.iter().enumerate() {
        if let Some(c) = FOREIGN_FULL_LINE.captures(line) {
            let street = c.name("s").map_or("", |m| m.as_str());
            let pc = c.name("pc").map_or("", |m| m.as_str());
            let town = c.name("t").map_or("", |m| m.as_str());
            return Some(format!(
                "{}, {pc} {}{}",
                squeeze(street),
                squeeze(town),
                country(k)
            ));
        }
        if let Some(a) = en_order_nl(line) {
            return Some(a);
        }
        if let Some(a) = postcode_first(line) {
            return Some(a);
        }
        if let Some(c) = FULL_ADDRESS.captures(line) {
            let street = c.name("s").map_or("", |m| m.as_str());
            let pc = c.name("pc").map_or("", |m| m.as_str());
            let town = c.name("t").map_or("", |m| m.as_str());
            return Some(squeeze(&normalise_postcodes(&format!(
                "{street}, {pc} {town}"
            ))));
        }
        if PC_LINE.is_match(line) {
            let pc_town = normalise_postcodes(trim_punct(line));
            let street = k
                .checked_sub(1)
                .map(|p| nonblank[p])
                .filter(|p| street_line(p));
            match street {
                Some(s) => {
                    return Some(format!(
                        "{}, {pc_town}{}",
                        dutch_order(trim_punct(s)),
                        country(k)
                    ));
                }
                None if signature => return Some(pc_town),
                None => {}
            }
        }
        if let Some(c) = UK_TOWN_LINE.captures(line) {
            let street = k
                .checked_sub(1)
                .map(|p| nonblank[p])
                .filter(|p| EN_STREET_LINE.is_match(p));
            match (c.name("s"), street) {
                (Some(_), _) => return Some(squeeze(trim_punct(line))),
                (None, Some(s)) => {
                    return Some(format!(
                        "{}, {}",
                        squeeze(trim_punct(s)),
                        squeeze(trim_punct(line))
                    ));
                }
                (None, None) => {}
            }
        }
        if FOREIGN_PC_LINE.is_match(line)
            && let Some(street) = k
                .checked_sub(1)
                .map(|p| nonblank[p])
                .filter(|p| STREET_LINE.is_match(p))
        {
            return Some(format!(
                "{}, {}{}",
                squeeze(trim_punct(street)),
                squeeze(trim_punct(line)),
                country(k)
            ));
        }
        if signature
            && STREET_LINE.is_match(line)
            && let Some(next) = nonblank.get(k + 1)
            && TOWN_LINE.is_match(next)
            && !PC_LINE.is_match(next)
        {
            return Some(format!("{}, {}", squeeze(trim_punct(line)), squeeze(next)));
        }
        if let Some(a) = foreign_in_prose(line) {
            return Some(a);
        }
    }
    // "... I live at Wilhelminapark 3,\n5041 EA Tilburg": wrapped over two lines.
    let joined = nonblank
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    prose::written_out(&joined)
}

impl Doc<'_> {
    pub(super) fn address(&self) -> Option<String> {
        let l = &self.labels;
        // "Adres: 2018 Antwerpen, Lange Kievitstraat 45 bus 3": the street first.
        let street = l
            .street
            .as_deref()
            .map(|s| postcode_first(s).unwrap_or_else(|| normalise_postcodes(s)));
        let pc_town = l
            .postcode_town
            .as_deref()
            .map(normalise_postcodes)
            .or_else(|| {
                let pc = l.postcode.as_deref().map(normalise_postcodes);
                match (pc, l.town.as_deref()) {
                    (Some(pc), Some(t)) => Some(format!("{pc} {}", t.trim())),
                    (Some(pc), None) => Some(pc),
                    (None, Some(t)) => Some(t.trim().to_string()),
                    (None, None) => None,
                }
            });
        let labelled = match (street, pc_town) {
            (Some(s), Some(p)) if !PC.is_match(&s) => Some(format!("{}, {p}", trim_punct(&s))),
            (Some(s), _) => Some(trim_punct(&s).to_string()),
            (None, p) => p,
        };
        if let Some(a) = labelled {
            return Some(squeeze(&a));
        }
        let sig: Vec<&str> = self.signature().collect();
        let body: Vec<&str> = self.body().collect();
        let signed = address_in_lines(&sig, true);
        // Where she says she lives or wants her post ("mijn huisadres: ...") beats the
        // office of a work signature; the signature's when it is the same street, fuller.
        if let Some(own) = cued_address(&body) {
            return Some(match signed {
                Some(s) if same_street(&s, &own) => s,
                _ => own,
            });
        }
        signed.or_else(|| address_in_lines(&body, false))
    }
}

/// Both addresses start with the same street ("Kerkstraat 12").
fn same_street(a: &str, b: &str) -> bool {
    let street = |s: &str| {
        s.split(',')
            .next()
            .unwrap_or_default()
            .trim()
            .to_lowercase()
    };
    street(a) == street(b)
}

#[cfg(test)]
mod tests;
