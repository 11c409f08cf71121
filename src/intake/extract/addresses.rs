//! Addresses: labelled street and postcode lines, an address in the signature, or one
//! written in a sentence ("ik woon op de Kerkstraat 12 in Utrecht").

use crate::intake::pattern::Pattern;

use regex::Captures;

use super::lines::Doc;
use super::{re, squeeze, trim_punct};

/// A street and house number: "Kerkstraat 12", "Van Goghlaan 3a", "Laan van Meerdervoort
/// 120-2", "Postbus 55".
const STREET: &str = r"(?:\p{Lu}[\p{L}\p{M}'’.\-]*|'s-?\p{L}+)(?:\s+(?:\p{Lu}[\p{L}\p{M}'’.\-]*|van|de|der|den|het|'t|ter|ten|te|aan|op|in|bij|over|en|und|du|la|le|[\p{Ll}][\p{Ll}\-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|park|steeg|dreef|plantsoen|markt|veld|baan|wal)))*\s+\d{1,5}(?:\s?[-/]\s?\d{1,4}[A-Za-z]?(?:\s+bus\s+\d{1,4}[A-Za-z]?\b)?|\s?-\s?(?:[IVX]{1,4}|bis|ter|hs|h|[A-Za-z])\b|\s+bus\s+\d{1,4}[A-Za-z]?\b|(?:[A-Za-z]{1,2}|\s[A-Za-z])\b|\s+(?:bis|hs|huis|zw|rd)\b)?";
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
/// What announces an address in a sentence: "ik woon in de", "mijn nieuwe adres is", "my
/// postal address is".
/// "mijn huisadres: ...", "my home address: ..." too: where she lives or wants her post,
/// rather than the office of her signature.
const ADDRESS_CUE: &str = r"(?i:(?:\bik\s+woon|\bwoonachtig|\bmijn\s+(?:\w+\s+)?(?:huis|priv[ée]|thuis|woon|post|correspondentie)?-?adres\s+is|\bmy\s+(?:\w+\s+)?address\s+(?:for\s+\w+\s+\w+\s+)?is|\bi\s+live\s+at|\bich\s+wohne|\bmeine\s+(?:\w+\s+)?(?:privat|post|wohn)?-?adresse\s+(?:ist|lautet))\s+|(?:\bmijn\s+(?:\w+\s+)?(?:huis|priv[ée]|thuis|woon|post|correspondentie)?-?adres|\bmy\s+(?:\w+\s+)?address|\bmeine\s+(?:\w+\s+)?(?:privat|post|wohn)?-?adresse)\s*:\s*)(?i:(?:aan|op|in|at|an|der|de|het|the)\s+){0,2}";
/// The word before a postcode written apart from the street: "te Bunnik, postcode 3981
/// CA", "in Lier (postcode 2500)", "postal code 7411 BR".
const PC_WORD: &str = r"(?i:postcode|postal\s+code|post\s*code|zip\s*code|plz|postleitzahl)";

/// After the town: its postcode in parentheses ("Groningen (9711 KT)") or named with its
/// word (", postcode 3981 CA"; then a Belgian one of four digits will do too).
fn pc_after_town() -> String {
    format!(
        r"(?:\s*\(\s*(?P<pc>[1-9][0-9]{{3}}\s?[A-Za-z]{{2}})\s*\)|\s*[,;(]?\s*(?i:(?:met|with|en|and)\s+)?(?i:(?:de|the|mijn|my)\s+)?{PC_WORD}\s*(?i:is\s+)?:?\s*(?P<wpc>[1-9][0-9]{{3}}(?:\s?[A-Za-z]{{2}}\b)?))"
    )
}
const TOWN: &str = r"(?:'[st][- ]?)?\p{Lu}[\p{L}\p{M}'’\-]*(?:[ \-](?:(?:aan|op|bij|in|den|de|der|am|an|im|sur|en)[ \-]){0,2}\p{Lu}[\p{L}\p{M}'’\-]*){0,3}";

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
        r"^\s*(?:(?:B|BE|D|DE)[- ])?[1-9][0-9]{{3,4}}\s+{TOWN}\s*[,.]?\s*$"
    ))
});
/// Street, Belgian or German postcode and town on one line.
static FOREIGN_FULL_LINE: Pattern = Pattern::new(|| {
    re(&format!(
        r"^\s*(?P<s>{STREET}){SEP}(?P<pc>(?:(?:B|BE|D|DE)[- ])?[1-9][0-9]{{3,4}})\s+(?P<t>{TOWN})\s*[,.]?\s*$"
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
/// A Belgian or German address in a sentence: "ik woon in de Turnhoutsebaan 210 te 2140
/// Borgerhout", "my address is Kortrijksesteenweg 231, 9000 Gent". Four digits are as
/// often a year or an amount, so the street has to read as one (see `STREET_ENDS`) or a
/// cue has to announce it.
static FOREIGN_IN_PROSE: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?P<cue>{ADDRESS_CUE})?(?P<s>{STREET})(?:{SEP}|\s+(?i:te|in)\s+)(?P<pc>(?:(?:B|BE|D|DE)-)?[1-9][0-9]{{3,4}})\s+(?P<t>{TOWN})"
    ))
});

/// A country on a line of its own, after the town.
static COUNTRY_LINE: Pattern = Pattern::new(|| {
    re(
        r"^\s*(?:Belgi(?:ë|e)|Belgium|Belgique|Deutschland|Duitsland|Germany|Nederland|(?:The\s+)?Netherlands|Luxemburg|Luxembourg|Frankrijk|France|Oostenrijk|(?:Ö|O)sterreich|Austria|Zwitserland|Schweiz|Switzerland|United\s+Kingdom)\s*[,.]?\s*$",
    )
});

/// A line that is a street and number, the Dutch way or the English way ("Kerkstraat 12",
/// "56-II Ferdinand Bolstraat").
pub(super) fn street_line(line: &str) -> bool {
    STREET_LINE.is_match(line) || EN_STREET_LINE.is_match(line)
}

/// A Belgian or German postcode line.
pub(super) fn foreign_pc_line(line: &str) -> bool {
    FOREIGN_PC_LINE.is_match(line)
}

/// "ik woon in Zwolle (8011 AB), Kerkstraat 3": the town, its postcode in parentheses,
/// then the street.
static LIVES_IN_TOWN_PC: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?i:\bik\s+woon|\bwoonachtig|\bi\s+live)\s+(?i:in|te)\s+(?P<t>{TOWN})\s*\(\s*(?P<pc>[1-9][0-9]{{3}}\s?[A-Za-z]{{2}})\s*\)\s*,?\s*(?i:(?:op|aan|at)\s+)?(?i:(?:de|het|the)\s+)?(?P<s>{STREET})"
    ))
});

static TOWN_LINE: Pattern = Pattern::new(|| re(&format!(r"^\s*{TOWN}\s*$")));
static FULL_ADDRESS: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?P<s>{STREET})(?:{SEP}|\s+)(?:(?i:in|te)\s+)?(?:{PC_WORD}\s*:?\s*)?(?P<pc>[1-9][0-9]{{3}}\s?[A-Z]{{2}}|[1-9][0-9]{{3}}[a-z]{{2}})\b\s*,?\s*(?P<t>{TOWN})?"
    ))
});

/// "ik woon op de Kerkstraat 12 in Utrecht", "my address is Kerkstraat 12, Utrecht", "ik
/// woon aan de Vismarkt 7 in Groningen (9711 KT)".
static LIVES_AT: Pattern = Pattern::new(|| {
    re(&format!(
        r"{ADDRESS_CUE}(?P<s>{STREET})(?:\s*,\s*|\s+(?i:in|te)\s+)(?P<t>{TOWN})(?:{})?",
        pc_after_town()
    ))
});

/// All in lower case, as typed on a phone: "hoofdweg 12, 9611 AA sappemeer" (a street
/// word, a number, a Dutch postcode, a town).
static LOWER_FULL: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?P<s>\b\p{{Ll}}[\p{{L}}\-]*(?:{})\s+\d{{1,5}}[a-z]?)\s*,?\s+(?P<pc>[1-9][0-9]{{3}}\s?[A-Za-z]{{2}})\b\s*,?\s*(?P<t>\p{{L}}[\p{{L}}\-]*)",
        STREET_ENDS
            .iter()
            .map(|e| regex::escape(e))
            .collect::<Vec<_>>()
            .join("|")
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

/// A Belgian or German address in a sentence, after a cue or with a street's word.
fn foreign_in_prose(text: &str) -> Option<String> {
    FOREIGN_IN_PROSE
        .captures_iter(text)
        .find(|c| c.name("cue").is_some() || reads_as_street(&c["s"]))
        .map(|c| format!("{}, {} {}", squeeze(&c["s"]), &c["pc"], squeeze(&c["t"])))
}

/// An address in these lines: one line with street, postcode and town, or a street line
/// followed by a postcode line. In a signature a postcode line alone, or a street line
/// followed by a town line, will do too.
fn address_in_lines(lines: &[&str], signature: bool) -> Option<String> {
    let nonblank: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
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
    FULL_ADDRESS
        .captures(&joined)
        .map(|c| {
            let street = c.name("s").map_or("", |m| m.as_str());
            let pc = c.name("pc").map_or("", |m| m.as_str());
            let town = c.name("t").map_or("", |m| m.as_str());
            squeeze(&normalise_postcodes(&format!("{street}, {pc} {town}")))
        })
        .or_else(|| en_order_nl(&joined))
        .or_else(|| foreign_in_prose(&joined))
        .or_else(|| {
            let c = LOWER_FULL.captures(&joined)?;
            Some(normalise_postcodes(&format!(
                "{}, {} {}",
                squeeze(c.name("s")?.as_str()),
                c.name("pc")?.as_str(),
                c.name("t")?.as_str()
            )))
        })
        .or_else(|| {
            let c = LIVES_IN_TOWN_PC.captures(&joined)?;
            Some(normalise_postcodes(&format!(
                "{}, {} {}",
                squeeze(c.name("s")?.as_str()),
                c.name("pc")?.as_str(),
                squeeze(c.name("t")?.as_str())
            )))
        })
        .or_else(|| {
            let c = LIVES_AT.captures(&joined)?;
            let pc = c
                .name("pc")
                .or(c.name("wpc"))
                .map_or(String::new(), |m| format!("{} ", m.as_str()));
            Some(normalise_postcodes(&format!(
                "{}, {pc}{}",
                squeeze(c.name("s")?.as_str()),
                squeeze(c.name("t")?.as_str())
            )))
        })
}

impl Doc<'_> {
    pub(super) fn address(&self) -> Option<String> {
        let l = &self.labels;
        let street = l.street.as_deref().map(normalise_postcodes);
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

/// The first address the text announces as hers ("ik woon aan de ...", "mijn privéadres
/// is ...", "my home address: ..."), read from the cue to the end of its sentence ("Ik woon
/// zelf in Ede. De training was aan de Markt 3, ..." names no address of hers).
fn cued_address(lines: &[&str]) -> Option<String> {
    static CUE: Pattern = Pattern::new(|| re(ADDRESS_CUE));
    /// How far after its cue an address is looked for (bytes).
    const REACH: usize = 240;
    const MAX_CUES: usize = 8;
    let text = lines.join("\n");
    // A few cues at most: a text of nothing but "ik woon" stays fast.
    CUE.find_iter(&text).take(MAX_CUES).find_map(|m| {
        let rest = &text[m.start()..];
        let sentence = sentence_end(rest);
        let paragraph = rest.find("\n\n").unwrap_or(rest.len());
        let mut end = sentence.min(paragraph).min(REACH);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let paragraph: Vec<&str> = rest[..end].split('\n').collect();
        address_in_lines(&paragraph, false)
    })
}

/// Where the first sentence of `text` ends: a full stop after a word, not after an
/// initial or the abbreviation in a street's name ("Burg. de Withstraat", "St. Jansstraat").
fn sentence_end(text: &str) -> usize {
    static END: Pattern = Pattern::new(|| re(r"(?P<w>\p{L}+)\.(?:\s|$)|[!?]"));
    const ABBREVIATIONS: &[&str] = &[
        "st", "str", "burg", "prof", "dr", "mr", "ir", "ds", "mgr", "gen", "jhr", "weth", "kon",
        "pres", "ave", "rd",
    ];
    END.captures_iter(text)
        .find(|c| {
            c.name("w").is_none_or(|w| {
                let w = w.as_str().to_lowercase();
                w.chars().count() > 1 && !ABBREVIATIONS.contains(&w.as_str())
            })
        })
        .and_then(|c| c.get(0))
        .map_or(text.len(), |m| m.end())
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
mod tests {
    use super::*;
    use crate::intake::extract::tests::ex;

    #[test]
    fn postcodes_normalised() {
        assert_eq!(
            normalise_postcodes("Kerkstraat 12, 1234ab Utrecht"),
            "Kerkstraat 12, 1234 AB Utrecht"
        );
        assert_eq!(normalise_postcodes("1234  AB"), "1234 AB");
        let e =
            ex("Ik woon aan de Kerkstraat 12, 1234AB Utrecht en ik wil klagen over de planning.");
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Kerkstraat 12, 1234 AB Utrecht")
        );
    }

    #[test]
    fn belgian_german_english_and_floor_suffixed_addresses() {
        let sig = |lines: &str| {
            ex(&format!(
                "De training werd zonder bericht geannuleerd.\n\nGroeten,\nAn Peeters\n{lines}"
            ))
            .fields
            .address
        };
        assert_eq!(
            sig("Meir 24\n2000 Antwerpen\nBelgië").as_deref(),
            Some("Meir 24, 2000 Antwerpen, België")
        );
        assert_eq!(
            sig("Kerkstraat 17 bus 2\n2000 Antwerpen").as_deref(),
            Some("Kerkstraat 17 bus 2, 2000 Antwerpen")
        );
        assert_eq!(
            sig("Stationsstraat 4-bis\n9000 Gent").as_deref(),
            Some("Stationsstraat 4-bis, 9000 Gent")
        );
        assert_eq!(
            sig("Bahnhofstraße 5a\n47533 Kleve\nDeutschland").as_deref(),
            Some("Bahnhofstraße 5a, 47533 Kleve, Deutschland")
        );
        assert_eq!(
            sig("Goethestraße 19, 50858 Köln").as_deref(),
            Some("Goethestraße 19, 50858 Köln")
        );
        assert_eq!(
            sig("Admiraal de Ruijterweg 112-III\n1056 GL Amsterdam").as_deref(),
            Some("Admiraal de Ruijterweg 112-III, 1056 GL Amsterdam")
        );
        assert_eq!(
            sig("Kinkerstraat 12 hs\n1053 DX Amsterdam").as_deref(),
            Some("Kinkerstraat 12 hs, 1053 DX Amsterdam")
        );
        assert_eq!(
            sig("Flat 2, 18 Prinsengracht\n1015 DV Amsterdam").as_deref(),
            Some("Flat 2, 18 Prinsengracht, 1015 DV Amsterdam")
        );
        // A postcode in parentheses after the town, in a sentence.
        let e = ex("Ik woon in Zwolle (8011 AB), Kerkstraat 3, en de coach kwam niet opdagen.");
        assert_eq!(
            e.fields.address.as_deref(),
            Some("Kerkstraat 3, 8011 AB Zwolle")
        );
        // Typed on a phone, all in lower case.
        let e = ex(
            "trainer zat op zn telefoon.\n\ntim bosman, hoofdweg 12, 9611 AA sappemeer, 0598-123456",
        );
        assert_eq!(
            e.fields.address.as_deref(),
            Some("hoofdweg 12, 9611 AA sappemeer")
        );
        // Four or five digits and a word in prose are no address.
        let e = ex("In 2026 Utrecht bezocht, de training was slecht.\nEr waren 12000 Euro kosten.");
        assert_eq!(e.fields.address, None);
    }

    #[test]
    fn a_street_then_in_and_the_postcode() {
        for (text, want) in [
            (
                "Ik woon op de Kastanjelaan 8 in 5616 LZ Eindhoven. De training was slecht.",
                "Kastanjelaan 8, 5616 LZ Eindhoven",
            ),
            (
                "Mijn adres is Dorpsstraat 12a te 1741 AB Schagen en de cursus ging niet door.",
                "Dorpsstraat 12a, 1741 AB Schagen",
            ),
            (
                "Ik woon aan de Lindenlaan 3 in Utrecht en de training was slecht.",
                "Lindenlaan 3, Utrecht",
            ),
            (
                "De cursus ging niet door.\n\nRegards,\nAnna\n14 Willemsparkweg, 1071 HE Amsterdam",
                "Willemsparkweg 14, 1071 HE Amsterdam",
            ),
        ] {
            assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn british_streets_with_more_words_and_table_cells() {
        let sig = |lines: &str| {
            ex(&format!(
                "The room was double booked and we waited an hour.\n\nBest wishes,\nTom Reed\n{lines}"
            ))
            .fields
            .address
        };
        for (lines, want) in [
            (
                "14 Harbour Road\nBristol BS1 5TY\nUnited Kingdom",
                "14 Harbour Road, Bristol BS1 5TY",
            ),
            (
                "Flat 3, 9 Kings Avenue\nLondon SW4 8DN",
                "Flat 3, 9 Kings Avenue, London SW4 8DN",
            ),
            (
                "52 Oak Street, Manchester M1 2AB",
                "52 Oak Street, Manchester M1 2AB",
            ),
            (
                "Bos en Lommerplein 7-II\n1055 EK Amsterdam",
                "Bos en Lommerplein 7-II, 1055 EK Amsterdam",
            ),
            (
                "Jan van Galenstraat 3\n1051 KM Amsterdam",
                "Jan van Galenstraat 3, 1051 KM Amsterdam",
            ),
        ] {
            assert_eq!(sig(lines).as_deref(), Some(want), "{lines}");
        }
        // A signature drawn as a table: the street and the town in two cells of a row.
        for (table, want) in [
            (
                "│Havenweg 8│3311 AA Dordrecht│",
                "Havenweg 8, 3311 AA Dordrecht",
            ),
            (
                "┃ Markt 1 ┃ 5611 EB Eindhoven ┃",
                "Markt 1, 5611 EB Eindhoven",
            ),
        ] {
            let text = format!(
                "De cursus werd verplaatst zonder bericht.\n\nGroet,\nIlse Maas\n{table}\n"
            );
            assert_eq!(ex(&text).fields.address.as_deref(), Some(want), "{table}");
        }
        // ... while a label and its value in two cells stay a label and its value.
        let text = "De cursus werd verplaatst.\n│ Adres │ Havenweg 8, 3311 AA Dordrecht │\n";
        assert_eq!(
            ex(text).fields.address.as_deref(),
            Some("Havenweg 8, 3311 AA Dordrecht")
        );
    }

    #[test]
    fn belgian_and_german_addresses_in_a_sentence() {
        for (text, want) in [
            (
                "Ik woon in de Turnhoutsebaan 210 te 2140 Borgerhout. De trainer was grof.",
                "Turnhoutsebaan 210, 2140 Borgerhout",
            ),
            (
                "My address for your records is Kortrijksesteenweg 231, 9000 Gent.",
                "Kortrijksesteenweg 231, 9000 Gent",
            ),
            (
                "Mijn nieuwe adres is Lange Nieuwstraat 8, 2000 Antwerpen.",
                "Lange Nieuwstraat 8, 2000 Antwerpen",
            ),
            // A cue, and a street without a street's word.
            (
                "De sessie ging niet door. Mijn adres is Meir 24, 2000 Antwerpen.",
                "Meir 24, 2000 Antwerpen",
            ),
            (
                "Ich wohne in der Goethestraße 8, 47533 Kleve und war sehr enttäuscht.",
                "Goethestraße 8, 47533 Kleve",
            ),
        ] {
            assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
        }
        // Four digits after a capitalised word and a number are a year or an amount
        // unless the word reads as a street or a cue announces it.
        for text in [
            "Wij kregen Module 3, 2026 Nieuwe Stijl toegestuurd en dat klopte niet.",
            "Het ging om Groep 2 in 2026 Utrecht, de training was slecht.",
        ] {
            assert_eq!(ex(text).fields.address, None, "{text}");
        }
    }

    #[test]
    fn a_postcode_named_after_the_town() {
        for (text, want) in [
            (
                "Ik woon aan de Dorpsstraat 23a te Bunnik, postcode 3981 CA, bel gerust.",
                "Dorpsstraat 23a, 3981 CA Bunnik",
            ),
            (
                "Mijn adres is Brink 4 in Epe (postcode 8161AB) en de zaal was te klein.",
                "Brink 4, 8161 AB Epe",
            ),
            (
                "I live at Molenweg 9 in Harderwijk, postal code 3841 KL. The trainer left early.",
                "Molenweg 9, 3841 KL Harderwijk",
            ),
            (
                "Ik woon in de Kerkstraat 5 te Lier, met postcode 2500. De sessie viel uit.",
                "Kerkstraat 5, 2500 Lier",
            ),
            (
                "De cursus ging niet door.\n\nGroet,\nEls Wit\nLaan 3, postcode 1234 AB Ede\n",
                "Laan 3, 1234 AB Ede",
            ),
        ] {
            assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn the_address_she_asks_for_beats_the_office_of_her_signature() {
        let office = "\n\nMet vriendelijke groet,\nNoor Bakker\nAdviseur\nGemeente Zeist\nStationsplein 4\n3701 AB Zeist\n";
        for (own, want) in [
            (
                "Post graag naar mijn huisadres: Vondellaan 51, 3521 GE Utrecht.",
                "Vondellaan 51, 3521 GE Utrecht",
            ),
            (
                "Mijn privéadres is Kerkweg 8, 3705 LA Zeist; daar wil ik uw brief.",
                "Kerkweg 8, 3705 LA Zeist",
            ),
            (
                "Please send letters to my home address:\nHoofdstraat 2\n3972 LA Driebergen",
                "Hoofdstraat 2, 3972 LA Driebergen",
            ),
            (
                "Mijn huisadres is Burg. de Withstraat 9, 4331 KH Middelburg. Stuur het daarheen.",
                "Burg. de Withstraat 9, 4331 KH Middelburg",
            ),
            // The same street in the signature, with its postcode: the fuller one.
            (
                "Ik woon aan de Stationsplein 4 in Zeist.",
                "Stationsplein 4, 3701 AB Zeist",
            ),
        ] {
            let text = format!("De trainer was grof tegen mij. {own}{office}");
            assert_eq!(ex(&text).fields.address.as_deref(), Some(want), "{own}");
        }
        // No address of her own in the text: the signature's; nor is the venue in the
        // sentence after she says where she lives.
        let text = format!("De trainer was grof tegen mij.{office}");
        assert_eq!(
            ex(&text).fields.address.as_deref(),
            Some("Stationsplein 4, 3701 AB Zeist")
        );
        let text = format!(
            "Ik woon zelf in Ede. De training was aan de Markt 3, 6711 AA Ede, en de trainer was grof.{office}"
        );
        assert_eq!(
            ex(&text).fields.address.as_deref(),
            Some("Stationsplein 4, 3701 AB Zeist")
        );
    }

    #[test]
    fn the_english_order_a_bar_and_a_postcode_in_brackets() {
        for (text, want) in [
            (
                "My postal address is 41 Van Baerlestraat, 1071 AR Amsterdam (I moved here).",
                "Van Baerlestraat 41, 1071 AR Amsterdam",
            ),
            (
                "Sorry. My address is 14 Willemsparkweg, 1071 HE Amsterdam and my phone is 0612345678.",
                "Willemsparkweg 14, 1071 HE Amsterdam",
            ),
            (
                "The trainer never came.\n\nRebecca Lind\n56-II Ferdinand Bolstraat\n1072 LL Amsterdam\n",
                "Ferdinand Bolstraat 56-II, 1072 LL Amsterdam",
            ),
            (
                "De cursus ging niet door.\n\nMet vriendelijke groet,\nAnnelies Bakker\nStationsplein 4 | 3701 AB Zeist\n",
                "Stationsplein 4, 3701 AB Zeist",
            ),
            (
                "Ik woon aan de Vismarkt 7 in Groningen (9711 KT) en de docent was slecht.",
                "Vismarkt 7, 9711 KT Groningen",
            ),
        ] {
            assert_eq!(ex(text).fields.address.as_deref(), Some(want), "{text}");
        }
        assert!(reads_as_street("Hauptstr. 5"));
        assert!(!reads_as_street("Module 3"));
        assert_eq!(
            dutch_order("12-III Jan Pieter Heijestraat"),
            "Jan Pieter Heijestraat 12-III"
        );
        assert_eq!(
            dutch_order("Flat 2, 18 Prinsengracht"),
            "Flat 2, 18 Prinsengracht"
        );
    }
}
