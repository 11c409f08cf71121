//! Addresses and dates written as text, as mail clients put them in quoted and forwarded
//! header lines: "Jan Jansen <jan@x.nl>", "di 3 nov. 2026 om 10:12".

use crate::intake::pattern::Pattern;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use regex::Regex;

use super::Address;
use crate::intake::dates::month_number;

static ANGLE_ADDR: Pattern =
    Pattern::new(|| Regex::new(r"<\s*(?:mailto:)?([^<>\s@]+@[^<>\s@]+)\s*>").expect("regex"));
static MAILTO_ADDR: Pattern =
    Pattern::new(|| Regex::new(r"\[\s*mailto:([^\]\s@]+@[^\]\s@]+)\s*\]").expect("regex"));
static BARE_ADDR: Pattern = Pattern::new(|| {
    Regex::new(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+").expect("regex")
});

/// "Jan Jansen <jan@x.nl>", "\"Jansen, Jan\" <jan@x.nl>", "Jan Jansen [mailto:jan@x.nl]",
/// "jan@x.nl". None when there is no address.
pub(super) fn parse_address_text(text: &str) -> Option<Address> {
    let text = text.trim();
    let (address, range) = if let Some(c) = ANGLE_ADDR.captures(text) {
        (c.get(1)?.as_str(), c.get(0)?.range())
    } else if let Some(c) = MAILTO_ADDR.captures(text) {
        (c.get(1)?.as_str(), c.get(0)?.range())
    } else {
        let m = BARE_ADDR.find(text)?;
        (m.as_str(), m.range())
    };
    let mut name = String::new();
    name.push_str(text.get(..range.start).unwrap_or_default());
    name.push(' ');
    name.push_str(text.get(range.end..).unwrap_or_default());
    let name = name
        .replace("**", "")
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '(' | ')'))
        .to_string();
    let address = address.trim_end_matches(['.', ',', ';']).to_string();
    Some(Address {
        name: Some(name).filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&address)),
        address,
    })
}

static TIME: Pattern =
    Pattern::new(|| Regex::new(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(am|pm)?$").expect("regex"));
static NUMERIC_DATE: Pattern =
    Pattern::new(|| Regex::new(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$").expect("regex"));
static OFFSET: Pattern =
    Pattern::new(|| Regex::new(r"^(?:gmt|utc)?([+-])(\d{1,2})(?::?(\d{2}))?$").expect("regex"));

/// A date as mail clients write it in quoted and forwarded headers, in English or Dutch:
/// "Tue, 3 Nov 2026 10:12:33 +0100", "Tue, Nov 3, 2026 at 10:12 AM",
/// "di 3 nov. 2026 om 10:12", "dinsdag 3 november 2026 10:12", "3 November 2026 at
/// 10:12:00 CET", "03-11-2026 10:12". Without a zone, Amsterdam time. None if unsure.
pub(super) fn parse_loose_date(text: &str) -> Option<DateTime<FixedOffset>> {
    if text.len() > 200 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text.trim()) {
        return Some(d);
    }
    let lower = text.to_lowercase().replace([',', '(', ')'], " ");
    let (mut day, mut month, mut year) = (None, None, None);
    let mut time: Option<(u32, u32, u32)> = None;
    let mut meridiem: Option<bool> = None; // Some(true) = pm
    let mut offset: Option<i32> = None;
    for token in lower.split_whitespace() {
        let token = token.trim_end_matches('.');
        if token.is_empty() {
            continue;
        }
        if let Some(c) = TIME.captures(token) {
            let h = c.get(1)?.as_str().parse().ok()?;
            let m = c.get(2)?.as_str().parse().ok()?;
            let s = c.get(3).map_or(Some(0), |s| s.as_str().parse().ok())?;
            time = Some((h, m, s));
            if let Some(mer) = c.get(4) {
                meridiem = Some(mer.as_str() == "pm");
            }
            continue;
        }
        match token {
            "am" | "a.m" => {
                meridiem = Some(false);
                continue;
            }
            "pm" | "p.m" => {
                meridiem = Some(true);
                continue;
            }
            "cet" | "met" => {
                offset = Some(3600);
                continue;
            }
            "cest" | "mest" | "mezt" => {
                offset = Some(7200);
                continue;
            }
            "gmt" | "utc" | "ut" | "z" => {
                offset = offset.or(Some(0));
                continue;
            }
            _ => {}
        }
        if let Some(c) = OFFSET.captures(token) {
            let sign = if c.get(1)?.as_str() == "-" { -1 } else { 1 };
            let digits = c.get(2)?.as_str();
            let (h, m): (i32, i32) = match c.get(3) {
                Some(m) => (digits.parse().ok()?, m.as_str().parse().ok()?),
                None if digits.len() <= 2 => (digits.parse().ok()?, 0),
                None => return None,
            };
            offset = Some(sign * (h * 3600 + m * 60));
            continue;
        }
        if token.len() == 5
            && (token.starts_with('+') || token.starts_with('-'))
            && let Ok(v) = token.get(1..).unwrap_or_default().parse::<i32>()
        {
            let sign = if token.starts_with('-') { -1 } else { 1 };
            offset = Some(sign * ((v / 100) * 3600 + (v % 100) * 60));
            continue;
        }
        if let Some(c) = NUMERIC_DATE.captures(token) {
            let a: i32 = c.get(1)?.as_str().parse().ok()?;
            let b: u32 = c.get(2)?.as_str().parse().ok()?;
            let cc: i32 = c.get(3)?.as_str().parse().ok()?;
            if c.get(1)?.as_str().len() == 4 {
                year = Some(a);
                month = Some(b);
                day = u32::try_from(cc).ok();
            } else {
                day = u32::try_from(a).ok();
                month = Some(b);
                year = Some(if cc < 100 { 2000 + cc } else { cc });
            }
            continue;
        }
        if let Some(m) = month_number(token) {
            month = month.or(Some(m));
            continue;
        }
        if token.chars().all(|c| c.is_ascii_digit()) {
            match token.len() {
                1 | 2 if day.is_none() => day = token.parse().ok(),
                4 if year.is_none() => year = token.parse().ok(),
                _ => {}
            }
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let (mut h, m, s) = time.unwrap_or((0, 0, 0));
    match meridiem {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let naive = date.and_time(NaiveTime::from_hms_opt(h, m, s.min(59))?);
    match offset {
        Some(secs) => FixedOffset::east_opt(secs)?
            .from_local_datetime(&naive)
            .single(),
        None => chrono_tz::Europe::Amsterdam
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.fixed_offset()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::parse::tests::dt;

    #[test]
    fn addresses_in_text() {
        let a = parse_address_text("\"Jansen, Jan\" <jan@x.nl>").unwrap();
        assert_eq!(
            (a.name.as_deref(), a.address.as_str()),
            (Some("Jansen, Jan"), "jan@x.nl")
        );
        let a = parse_address_text("Jan Jansen [mailto:jan@x.nl]").unwrap();
        assert_eq!(
            (a.name.as_deref(), a.address.as_str()),
            (Some("Jan Jansen"), "jan@x.nl")
        );
        let a = parse_address_text("jan@x.nl").unwrap();
        assert_eq!((a.name, a.address.as_str()), (None, "jan@x.nl"));
        let a = parse_address_text("**Jan Jansen** <mailto:jan@x.nl>").unwrap();
        assert_eq!(
            (a.name.as_deref(), a.address.as_str()),
            (Some("Jan Jansen"), "jan@x.nl")
        );
        assert!(parse_address_text("Jan Jansen").is_none());
    }

    #[test]
    fn loose_dates() {
        let cases = [
            (
                "Tue, 3 Nov 2026 10:12:33 +0100",
                "2026-11-03T10:12:33+01:00",
            ),
            ("Tue, Nov 3, 2026 at 10:12 AM", "2026-11-03T10:12:00+01:00"),
            ("Mon, Nov 2, 2026 at 9:41 PM", "2026-11-02T21:41:00+01:00"),
            ("di 3 nov. 2026 om 10:12", "2026-11-03T10:12:00+01:00"),
            ("dinsdag 3 november 2026 10:12", "2026-11-03T10:12:00+01:00"),
            (
                "3 November 2026 at 10:12:00 CET",
                "2026-11-03T10:12:00+01:00",
            ),
            (
                "Tuesday, November 3, 2026 10:12 AM",
                "2026-11-03T10:12:00+01:00",
            ),
            ("03-11-2026 10:12", "2026-11-03T10:12:00+01:00"),
            ("vr 16 okt. 2026 om 14:05", "2026-10-16T14:05:00+02:00"),
            ("3 mrt 2026", "2026-03-03T00:00:00+01:00"),
            (
                "November 3, 2026 at 10:12:00 AM GMT+1",
                "2026-11-03T10:12:00+01:00",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_loose_date(text), Some(dt(want)), "{text}");
        }
        assert_eq!(parse_loose_date("gisteren"), None);
        assert_eq!(parse_loose_date("31 februari 2026"), None);
    }
}
