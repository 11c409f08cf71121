//! Addresses written in sentences: announced by a cue ("ik woon aan de ...", "mijn
//! huisadres is ...", "my home address: ..."), wrapped over lines, typed in lower case,
//! or with the postcode named after the town ("in Epe (postcode 8161 AB)").

use crate::intake::pattern::Pattern;

use super::super::{re, squeeze};
use super::{
    FULL_ADDRESS, SEP, STREET, STREET_ENDS, TOWN, address_in_lines, en_order_nl,
    normalise_postcodes, reads_as_street,
};

/// What announces an address in a sentence: "ik woon in de", "mijn nieuwe adres is", "my
/// postal address is".
/// "mijn huisadres: ...", "my home address: ..." too: where she lives or wants her post,
/// rather than the office of her signature; and "mijn huisadres, dat is ...".
pub(super) const ADDRESS_CUE: &str = r"(?i:(?:\bik\s+woon(?:\s+(?:nu|tegenwoordig|inmiddels|sindsdien|momenteel|zelf))?|\ben\s+woon\s+(?:nu\s+|tegenwoordig\s+|inmiddels\s+|sindsdien\s+|momenteel\s+)?(?:op|aan|in)\b|\bwoon\s+(?:nu|tegenwoordig|inmiddels|sindsdien|momenteel)|\bmijn\s+(?:\w+\s+)?(?:huis|priv[ée]|thuis|woon|post|correspondentie)?-?adres\s*,\s*(?:dat|die|namelijk)(?:\s+is)?|\bmy\s+(?:\w+\s+)?address\s*,\s*(?:which|that)\s+is|\bwoonachtig|\bmijn\s+(?:\w+\s+)?(?:huis|priv[ée]|thuis|woon|post|correspondentie)?-?adres\s+is|\bmy\s+(?:\w+\s+)?address\s+(?:for\s+\w+\s+\w+\s+)?is|\bi\s+live\s+at|\bich\s+wohne|\bmeine\s+(?:\w+\s+)?(?:privat|post|wohn)?-?adresse\s+(?:ist|lautet))\s+|(?:\bmijn\s+(?:\w+\s+)?(?:huis|priv[ée]|thuis|woon|post|correspondentie)?-?adres|\bmy\s+(?:\w+\s+)?address|\bmeine\s+(?:\w+\s+)?(?:privat|post|wohn)?-?adresse)\s*:\s*)(?i:(?:aan|op|in|at|an|der|de|het|the)\s+){0,2}";
/// The word before a postcode written apart from the street: "te Bunnik, postcode 3981
/// CA", "in Lier (postcode 2500)", "postal code 7411 BR".
pub(super) const PC_WORD: &str =
    r"(?i:postcode|postal\s+code|post\s*code|zip\s*code|plz|postleitzahl)";

/// After the town: its postcode in parentheses ("Groningen (9711 KT)") or named with its
/// word (", postcode 3981 CA"; then a Belgian one of four digits will do too).
fn pc_after_town() -> String {
    format!(
        r"(?:\s*\(\s*(?P<pc>[1-9][0-9]{{3}}\s?[A-Za-z]{{2}})\s*\)|\s*[,;(]?\s*(?i:(?:met|with|en|and)\s+)?(?i:(?:de|the|mijn|my)\s+)?{PC_WORD}\s*(?i:is\s+)?:?\s*(?P<wpc>[1-9][0-9]{{3}}(?:\s?[A-Za-z]{{2}}\b)?))"
    )
}

/// A Belgian or German address in a sentence: "ik woon in de Turnhoutsebaan 210 te 2140
/// Borgerhout", "my address is Kortrijksesteenweg 231, 9000 Gent". Four digits are as
/// often a year or an amount, so the street has to read as one (see `STREET_ENDS`) or a
/// cue has to announce it.
static FOREIGN_IN_PROSE: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?P<cue>{ADDRESS_CUE})?(?P<s>{STREET})(?:{SEP}|\s+(?i:te|in)\s+)(?P<pc>(?:(?:B|BE|D|DE)-)?[1-9][0-9]{{3,4}})\s+(?P<t>{TOWN})"
    ))
});

/// A Belgian or German address in a sentence, after a cue or with a street's word.
pub(super) fn foreign_in_prose(text: &str) -> Option<String> {
    FOREIGN_IN_PROSE
        .captures_iter(text)
        .find(|c| c.name("cue").is_some() || reads_as_street(&c["s"]))
        .map(|c| format!("{}, {} {}", squeeze(&c["s"]), &c["pc"], squeeze(&c["t"])))
}

/// "ik woon in Zwolle (8011 AB), Kerkstraat 3": the town, its postcode in parentheses,
/// then the street.
static LIVES_IN_TOWN_PC: Pattern = Pattern::new(|| {
    re(&format!(
        r"(?i:\bik\s+woon|\bwoonachtig|\bi\s+live)\s+(?i:in|te)\s+(?P<t>{TOWN})\s*\(\s*(?P<pc>[1-9][0-9]{{3}}\s?[A-Za-z]{{2}})\s*\)\s*,?\s*(?i:(?:op|aan|at)\s+)?(?i:(?:de|het|the)\s+)?(?P<s>{STREET})"
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

/// An address in a text joined from its lines: the whole address, the English order, a
/// Belgian or German one, one in lower case, one announced by a cue.
pub(super) fn written_out(joined: &str) -> Option<String> {
    FULL_ADDRESS
        .captures(joined)
        .map(|c| {
            let street = c.name("s").map_or("", |m| m.as_str());
            let pc = c.name("pc").map_or("", |m| m.as_str());
            let town = c.name("t").map_or("", |m| m.as_str());
            squeeze(&normalise_postcodes(&format!("{street}, {pc} {town}")))
        })
        .or_else(|| en_order_nl(joined))
        .or_else(|| foreign_in_prose(joined))
        .or_else(|| {
            let c = LOWER_FULL.captures(joined)?;
            Some(normalise_postcodes(&format!(
                "{}, {} {}",
                squeeze(c.name("s")?.as_str()),
                c.name("pc")?.as_str(),
                c.name("t")?.as_str()
            )))
        })
        .or_else(|| {
            let c = LIVES_IN_TOWN_PC.captures(joined)?;
            Some(normalise_postcodes(&format!(
                "{}, {} {}",
                squeeze(c.name("s")?.as_str()),
                c.name("pc")?.as_str(),
                squeeze(c.name("t")?.as_str())
            )))
        })
        .or_else(|| {
            let c = LIVES_AT.captures(joined)?;
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

/// The first address the text announces as hers ("ik woon aan de ...", "mijn privéadres
/// is ...", "my home address: ..."), read from the cue to the end of its sentence ("Ik woon
/// zelf in Ede. De training was aan de Markt 3, ..." names no address of hers).
pub(super) fn cued_address(lines: &[&str]) -> Option<String> {
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
