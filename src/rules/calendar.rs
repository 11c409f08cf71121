//! Dutch working days: weekends and the public holidays of the Algemene termijnenwet,
//! computed from the date of Easter, plus the company's own closing days.
//!
//! Pure: no clock reads, no IO, no panics. Dates are Europe/Amsterdam calendar dates
//! ([`local_date`] turns an instant into one).

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::ZONE;

/// The name given to a day from `closing_days` (and to a range without a name).
pub const CLOSING_DAY: &str = "sluitingsdag";

/// The public holidays of the Algemene termijnenwet art. 3 (with Goede Vrijdag and the
/// Sunday feasts, which the procedure's owner also keeps free).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PublicHoliday {
    Nieuwjaarsdag,
    GoedeVrijdag,
    EerstePaasdag,
    TweedePaasdag,
    Koningsdag,
    Bevrijdingsdag,
    Hemelvaartsdag,
    EerstePinksterdag,
    TweedePinksterdag,
    EersteKerstdag,
    TweedeKerstdag,
}

impl PublicHoliday {
    /// Every holiday, in calendar order.
    pub const ALL: [PublicHoliday; 11] = [
        PublicHoliday::Nieuwjaarsdag,
        PublicHoliday::GoedeVrijdag,
        PublicHoliday::EerstePaasdag,
        PublicHoliday::TweedePaasdag,
        PublicHoliday::Koningsdag,
        PublicHoliday::Bevrijdingsdag,
        PublicHoliday::Hemelvaartsdag,
        PublicHoliday::EerstePinksterdag,
        PublicHoliday::TweedePinksterdag,
        PublicHoliday::EersteKerstdag,
        PublicHoliday::TweedeKerstdag,
    ];

    /// The Dutch name.
    pub fn name(self) -> &'static str {
        match self {
            PublicHoliday::Nieuwjaarsdag => "Nieuwjaarsdag",
            PublicHoliday::GoedeVrijdag => "Goede Vrijdag",
            PublicHoliday::EerstePaasdag => "Eerste Paasdag",
            PublicHoliday::TweedePaasdag => "Tweede Paasdag",
            PublicHoliday::Koningsdag => "Koningsdag",
            PublicHoliday::Bevrijdingsdag => "Bevrijdingsdag",
            PublicHoliday::Hemelvaartsdag => "Hemelvaartsdag",
            PublicHoliday::EerstePinksterdag => "Eerste Pinksterdag",
            PublicHoliday::TweedePinksterdag => "Tweede Pinksterdag",
            PublicHoliday::EersteKerstdag => "Eerste Kerstdag",
            PublicHoliday::TweedeKerstdag => "Tweede Kerstdag",
        }
    }

    /// The key that switches it off in the `[calendar]` table.
    pub fn key(self) -> &'static str {
        match self {
            PublicHoliday::Nieuwjaarsdag => "nieuwjaarsdag",
            PublicHoliday::GoedeVrijdag => "goede_vrijdag",
            PublicHoliday::EerstePaasdag => "eerste_paasdag",
            PublicHoliday::TweedePaasdag => "tweede_paasdag",
            PublicHoliday::Koningsdag => "koningsdag",
            PublicHoliday::Bevrijdingsdag => "bevrijdingsdag",
            PublicHoliday::Hemelvaartsdag => "hemelvaartsdag",
            PublicHoliday::EerstePinksterdag => "eerste_pinksterdag",
            PublicHoliday::TweedePinksterdag => "tweede_pinksterdag",
            PublicHoliday::EersteKerstdag => "eerste_kerstdag",
            PublicHoliday::TweedeKerstdag => "tweede_kerstdag",
        }
    }

    /// Its date in `year` (Algemene termijnenwet art. 3). `None` only where there is no
    /// such date: the moving feasts outside 1583..=9999, where Easter is not computed.
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
        let after_easter = |days: u64| easter(year)?.checked_add_days(Days::new(days));
        match self {
            PublicHoliday::Nieuwjaarsdag => fixed(1, 1),
            PublicHoliday::GoedeVrijdag => easter(year)?.checked_sub_days(Days::new(2)),
            PublicHoliday::EerstePaasdag => easter(year),
            PublicHoliday::TweedePaasdag => after_easter(1),
            // The King's birthday, 27 April; 26 April when the 27th is a Sunday (the
            // rule since 2014; earlier years are not needed).
            PublicHoliday::Koningsdag => {
                let birthday = fixed(4, 27)?;
                if birthday.weekday() == Weekday::Sun {
                    fixed(4, 26)
                } else {
                    Some(birthday)
                }
            }
            // 5 May, every year (the Algemene termijnenwet does not lustrum it).
            PublicHoliday::Bevrijdingsdag => fixed(5, 5),
            PublicHoliday::Hemelvaartsdag => after_easter(39),
            PublicHoliday::EerstePinksterdag => after_easter(49),
            PublicHoliday::TweedePinksterdag => after_easter(50),
            PublicHoliday::EersteKerstdag => fixed(12, 25),
            PublicHoliday::TweedeKerstdag => fixed(12, 26),
        }
    }
}

/// Easter Sunday (Gregorian), from the `computus` crate; `None` outside 1583..=9999.
pub fn easter(year: i32) -> Option<NaiveDate> {
    let date = computus::gregorian(year).ok()?;
    NaiveDate::from_ymd_opt(date.year, date.month, date.day)
}

/// The Europe/Amsterdam calendar date of an instant: the date the procedure speaks of.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&ZONE).date_naive()
}

/// A day off that is not a weekend day: a public holiday or a closing day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

/// A span of closing days, both ends included: `{ from = 2026-12-24, to = 2026-12-31 }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawRange")]
pub struct ClosingRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Shown in the calendar report; [`CLOSING_DAY`] when absent.
    pub name: Option<String>,
}

impl ClosingRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    #[serde(deserialize_with = "date")]
    from: NaiveDate,
    #[serde(deserialize_with = "date")]
    to: NaiveDate,
    #[serde(default)]
    name: Option<String>,
}

impl TryFrom<RawRange> for ClosingRange {
    type Error = String;

    fn try_from(raw: RawRange) -> Result<Self, String> {
        if raw.from > raw.to {
            return Err(format!(
                "closing range ends ({}) before it starts ({})",
                raw.to, raw.from
            ));
        }
        Ok(ClosingRange {
            from: raw.from,
            to: raw.to,
            name: raw.name.filter(|n| !n.trim().is_empty()),
        })
    }
}

/// The `[calendar]` table of the config file: which holidays count, and the company's
/// own closing and bridge days. Every holiday is on unless switched off.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    #[serde(default = "yes")]
    pub nieuwjaarsdag: bool,
    #[serde(default = "yes")]
    pub goede_vrijdag: bool,
    #[serde(default = "yes")]
    pub eerste_paasdag: bool,
    #[serde(default = "yes")]
    pub tweede_paasdag: bool,
    #[serde(default = "yes")]
    pub koningsdag: bool,
    #[serde(default = "yes")]
    pub bevrijdingsdag: bool,
    #[serde(default = "yes")]
    pub hemelvaartsdag: bool,
    #[serde(default = "yes")]
    pub eerste_pinksterdag: bool,
    #[serde(default = "yes")]
    pub tweede_pinksterdag: bool,
    #[serde(default = "yes")]
    pub eerste_kerstdag: bool,
    #[serde(default = "yes")]
    pub tweede_kerstdag: bool,
    /// The company's own closing and bridge days: `[2026-12-24, "2026-12-31"]`.
    #[serde(default, deserialize_with = "dates")]
    pub closing_days: Vec<NaiveDate>,
    /// Longer closures: `[{ from = 2026-12-24, to = 2027-01-01, name = "kerstsluiting" }]`.
    #[serde(default)]
    pub closing_ranges: Vec<ClosingRange>,
}

impl Default for CalendarConfig {
    fn default() -> Self {
        CalendarConfig {
            nieuwjaarsdag: true,
            goede_vrijdag: true,
            eerste_paasdag: true,
            tweede_paasdag: true,
            koningsdag: true,
            bevrijdingsdag: true,
            hemelvaartsdag: true,
            eerste_pinksterdag: true,
            tweede_pinksterdag: true,
            eerste_kerstdag: true,
            tweede_kerstdag: true,
            closing_days: Vec::new(),
            closing_ranges: Vec::new(),
        }
    }
}

impl CalendarConfig {
    /// Whether `holiday` counts as a day off.
    pub fn is_on(&self, holiday: PublicHoliday) -> bool {
        match holiday {
            PublicHoliday::Nieuwjaarsdag => self.nieuwjaarsdag,
            PublicHoliday::GoedeVrijdag => self.goede_vrijdag,
            PublicHoliday::EerstePaasdag => self.eerste_paasdag,
            PublicHoliday::TweedePaasdag => self.tweede_paasdag,
            PublicHoliday::Koningsdag => self.koningsdag,
            PublicHoliday::Bevrijdingsdag => self.bevrijdingsdag,
            PublicHoliday::Hemelvaartsdag => self.hemelvaartsdag,
            PublicHoliday::EerstePinksterdag => self.eerste_pinksterdag,
            PublicHoliday::TweedePinksterdag => self.tweede_pinksterdag,
            PublicHoliday::EersteKerstdag => self.eerste_kerstdag,
            PublicHoliday::TweedeKerstdag => self.tweede_kerstdag,
        }
    }
}

fn yes() -> bool {
    true
}

/// A date in the config: a TOML local date (`2026-12-24`) or a string `"2026-12-24"`.
struct ConfigDate(NaiveDate);

impl<'de> Deserialize<'de> for ConfigDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl<'de> Visitor<'de> for DateVisitor {
            type Value = ConfigDate;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2026-12-24")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<ConfigDate, E> {
                let v = v.trim();
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map(ConfigDate)
                    .map_err(|_| E::custom(format!("not a date (YYYY-MM-DD): {v:?}")))
            }

            // The toml crate hands its date-times over as a one-entry map whose value is
            // the date-time's text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ConfigDate, A::Error> {
                match map.next_entry::<String, String>()? {
                    Some((_, text)) => self.visit_str(&text),
                    None => Err(de::Error::invalid_length(0, &self)),
                }
            }
        }

        deserializer.deserialize_any(DateVisitor)
    }
}

fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    ConfigDate::deserialize(deserializer).map(|d| d.0)
}

fn dates<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<NaiveDate>, D::Error> {
    Vec::<ConfigDate>::deserialize(deserializer).map(|v| v.into_iter().map(|d| d.0).collect())
}

/// The working-day calendar: weekends, the holidays that are on, the closing days.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    config: CalendarConfig,
    closing_days: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn new(config: &CalendarConfig) -> Calendar {
        Calendar {
            config: config.clone(),
            closing_days: config.closing_days.iter().copied().collect(),
        }
    }

    /// The public holidays of `year` that are on, in date order (Atw art. 3).
    pub fn holidays_in(&self, year: i32) -> Vec<Holiday> {
        let mut holidays: Vec<Holiday> = PublicHoliday::ALL
            .into_iter()
            .filter(|h| self.config.is_on(*h))
            .filter_map(|h| {
                Some(Holiday {
                    date: h.date_in(year)?,
                    name: h.name().to_string(),
                })
            })
            .collect();
        holidays.sort();
        holidays
    }

    /// The public holiday (that is on) on `date`, if any.
    pub fn public_holiday(&self, date: NaiveDate) -> Option<PublicHoliday> {
        PublicHoliday::ALL
            .into_iter()
            .find(|h| self.config.is_on(*h) && h.date_in(date.year()) == Some(date))
    }

    /// The name of the company's closing day on `date`, if it is one.
    pub fn closing_day(&self, date: NaiveDate) -> Option<&str> {
        if self.closing_days.contains(&date) {
            return Some(CLOSING_DAY);
        }
        self.config
            .closing_ranges
            .iter()
            .find(|r| r.contains(date))
            .map(|r| r.name.as_deref().unwrap_or(CLOSING_DAY))
    }

    /// Why `date` is a day off other than a weekend: a public holiday (named first when
    /// it is a closing day too) or a closing day.
    pub fn day_off(&self, date: NaiveDate) -> Option<Holiday> {
        let name = match self.public_holiday(date) {
            Some(h) => h.name(),
            None => self.closing_day(date)?,
        };
        Some(Holiday {
            date,
            name: name.to_string(),
        })
    }

    /// A working day: not a Saturday or Sunday, not a holiday that is on, not a closing
    /// day (art. 4.1 "werkdagen").
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            && self.public_holiday(date).is_none()
            && self.closing_day(date).is_none()
    }

    /// The `n`th working day after `date`, counting from the day after it (received on
    /// Monday 2 Nov 2026, 5 working days: Monday 9 Nov 2026). `n = 0` is `date` itself.
    /// Saturates at the last date chrono can represent.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            let Some(next) = day.succ_opt() else {
                return day;
            };
            day = next;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The working days after `from` up to and including `to` (so
    /// `working_days_between(d, add_working_days(d, n)) == n`); 0 when `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .fold(0u32, |n, _| n.saturating_add(1))
    }

    /// The holidays (that are on) and closing days from `from` to `to`, both included, in
    /// date order; weekends are not listed, holidays that fall on one are.
    pub fn non_working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<Holiday> {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter_map(|d| self.day_off(d))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn named(cal: &Calendar, year: i32, name: &str) -> NaiveDate {
        cal.holidays_in(year)
            .into_iter()
            .find(|h| h.name == name)
            .unwrap_or_else(|| panic!("{name} missing in {year}"))
            .date
    }

    #[test]
    fn easter_2024_to_2030() {
        let expected = [
            d(2024, 3, 31),
            d(2025, 4, 20),
            d(2026, 4, 5),
            d(2027, 3, 28),
            d(2028, 4, 16),
            d(2029, 4, 1),
            d(2030, 4, 21),
        ];
        let cal = Calendar::default();
        for e in expected {
            assert_eq!(easter(e.year()), Some(e));
            assert_eq!(named(&cal, e.year(), "Eerste Paasdag"), e);
            assert_eq!(named(&cal, e.year(), "Goede Vrijdag"), e - Days::new(2));
            assert_eq!(named(&cal, e.year(), "Tweede Paasdag"), e + Days::new(1));
            assert_eq!(named(&cal, e.year(), "Hemelvaartsdag"), e + Days::new(39));
            assert_eq!(
                named(&cal, e.year(), "Eerste Pinksterdag"),
                e + Days::new(49)
            );
            assert_eq!(
                named(&cal, e.year(), "Tweede Pinksterdag"),
                e + Days::new(50)
            );
        }
    }

    #[test]
    fn holidays_of_2026() {
        let cal = Calendar::default();
        let got: Vec<(NaiveDate, String)> = cal
            .holidays_in(2026)
            .into_iter()
            .map(|h| (h.date, h.name))
            .collect();
        let want = [
            (d(2026, 1, 1), "Nieuwjaarsdag"),
            (d(2026, 4, 3), "Goede Vrijdag"),
            (d(2026, 4, 5), "Eerste Paasdag"),
            (d(2026, 4, 6), "Tweede Paasdag"),
            (d(2026, 4, 27), "Koningsdag"),
            (d(2026, 5, 5), "Bevrijdingsdag"),
            (d(2026, 5, 14), "Hemelvaartsdag"),
            (d(2026, 5, 24), "Eerste Pinksterdag"),
            (d(2026, 5, 25), "Tweede Pinksterdag"),
            (d(2026, 12, 25), "Eerste Kerstdag"),
            (d(2026, 12, 26), "Tweede Kerstdag"),
        ];
        let want: Vec<(NaiveDate, String)> =
            want.iter().map(|(d, n)| (*d, n.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn koningsdag_moves_to_the_26th_when_the_27th_is_a_sunday() {
        let cal = Calendar::default();
        assert_eq!(named(&cal, 2025, "Koningsdag"), d(2025, 4, 26));
        assert_eq!(named(&cal, 2026, "Koningsdag"), d(2026, 4, 27));
        assert_eq!(named(&cal, 2031, "Koningsdag"), d(2031, 4, 26));
        for year in 2024..=2030 {
            let k = named(&cal, year, "Koningsdag");
            assert_ne!(k.weekday(), Weekday::Sun, "{year}");
            assert!(
                k == d(year, 4, 27)
                    || (k == d(year, 4, 26) && d(year, 4, 27).weekday() == Weekday::Sun)
            );
        }
    }

    #[test]
    fn bevrijdingsdag_is_a_holiday_every_year() {
        let cal = Calendar::default();
        for year in 2024..=2030 {
            assert_eq!(named(&cal, year, "Bevrijdingsdag"), d(year, 5, 5));
        }
        // 5 May 2026 is a Tuesday.
        assert!(!cal.is_working_day(d(2026, 5, 5)));
    }

    #[test]
    fn working_days() {
        let cal = Calendar::default();
        assert!(cal.is_working_day(d(2026, 11, 2))); // Monday
        assert!(!cal.is_working_day(d(2026, 11, 7))); // Saturday
        assert!(!cal.is_working_day(d(2026, 11, 8))); // Sunday
        assert!(!cal.is_working_day(d(2026, 4, 3))); // Goede Vrijdag
        assert!(!cal.is_working_day(d(2026, 5, 14))); // Hemelvaart
        assert!(!cal.is_working_day(d(2026, 12, 25)));
        assert!(cal.is_working_day(d(2026, 12, 24)));
    }

    #[test]
    fn adding_working_days_counts_from_the_next_day() {
        let cal = Calendar::default();
        assert_eq!(cal.add_working_days(d(2026, 11, 2), 5), d(2026, 11, 9));
        assert_eq!(cal.add_working_days(d(2026, 11, 2), 0), d(2026, 11, 2));
        assert_eq!(cal.add_working_days(d(2026, 11, 6), 1), d(2026, 11, 9)); // Fri -> Mon
        assert_eq!(cal.add_working_days(d(2026, 11, 7), 5), d(2026, 11, 13)); // from Sat
        // Easter 2026: Goede Vrijdag and Tweede Paasdag are off.
        assert_eq!(cal.add_working_days(d(2026, 4, 2), 1), d(2026, 4, 7));
        assert_eq!(cal.add_working_days(d(2026, 4, 2), 5), d(2026, 4, 13));
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 3), NaiveDate::MAX);
    }

    #[test]
    fn working_days_between_is_the_inverse_of_adding() {
        let cal = Calendar::default();
        let start = d(2026, 12, 20);
        for n in 0..30 {
            let end = cal.add_working_days(start, n);
            assert_eq!(cal.working_days_between(start, end), n);
        }
        assert_eq!(cal.working_days_between(d(2026, 11, 9), d(2026, 11, 2)), 0);
        assert_eq!(cal.working_days_between(d(2026, 11, 2), d(2026, 11, 2)), 0);
    }

    #[test]
    fn a_switched_off_holiday_is_a_working_day() {
        let config: CalendarConfig = toml::from_str("goede_vrijdag = false").unwrap();
        let cal = Calendar::new(&config);
        assert!(cal.is_working_day(d(2026, 4, 3)));
        assert!(!cal.is_working_day(d(2026, 4, 6)));
        assert!(
            !cal.holidays_in(2026)
                .iter()
                .any(|h| h.name == "Goede Vrijdag")
        );
        assert_eq!(cal.holidays_in(2026).len(), 10);
        assert_eq!(cal.add_working_days(d(2026, 4, 2), 1), d(2026, 4, 3));
    }

    #[test]
    fn closing_days_from_toml_dates_and_strings() {
        let config: CalendarConfig = toml::from_str(
            r#"
closing_days = [2026-12-24, "2026-12-31"]
closing_ranges = [{ from = 2026-07-20, to = "2026-07-31", name = "zomersluiting" }, { from = 2026-05-15, to = 2026-05-15 }]
"#,
        )
        .unwrap();
        assert_eq!(config.closing_days, vec![d(2026, 12, 24), d(2026, 12, 31)]);
        let cal = Calendar::new(&config);
        assert!(!cal.is_working_day(d(2026, 12, 24)));
        assert!(!cal.is_working_day(d(2026, 12, 31)));
        assert!(!cal.is_working_day(d(2026, 7, 20)));
        assert!(!cal.is_working_day(d(2026, 7, 31)));
        assert!(cal.is_working_day(d(2026, 8, 3)));
        assert_eq!(cal.closing_day(d(2026, 7, 22)), Some("zomersluiting"));
        assert_eq!(cal.closing_day(d(2026, 5, 15)), Some(CLOSING_DAY));
        // Received Tue 22 Dec: 23, (24 closed), (25, 26 Kerst), (27 Sun), 28, 29, 30,
        // (31 closed), (1 Jan), 4 Jan.
        assert_eq!(cal.add_working_days(d(2026, 12, 22), 5), d(2027, 1, 4));
        let off = cal.non_working_days_between(d(2026, 12, 22), d(2027, 1, 2));
        let off: Vec<(NaiveDate, &str)> = off.iter().map(|h| (h.date, h.name.as_str())).collect();
        assert_eq!(
            off,
            vec![
                (d(2026, 12, 24), "sluitingsdag"),
                (d(2026, 12, 25), "Eerste Kerstdag"),
                (d(2026, 12, 26), "Tweede Kerstdag"),
                (d(2026, 12, 31), "sluitingsdag"),
                (d(2027, 1, 1), "Nieuwjaarsdag"),
            ]
        );
    }

    #[test]
    fn bad_calendar_config_is_rejected() {
        assert!(toml::from_str::<CalendarConfig>("kerst = false").is_err());
        assert!(toml::from_str::<CalendarConfig>("closing_days = [\"24-12-2026\"]").is_err());
        assert!(toml::from_str::<CalendarConfig>("closing_days = [2026-12-24T10:00:00]").is_err());
        let e = toml::from_str::<CalendarConfig>(
            "closing_ranges = [{ from = 2026-12-31, to = 2026-12-24 }]",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("before it starts"), "{e}");
        assert!(
            toml::from_str::<CalendarConfig>(
                "closing_ranges = [{ from = 2026-12-24, to = 2026-12-31, colour = 1 }]"
            )
            .is_err()
        );
        let empty: CalendarConfig = toml::from_str("").unwrap();
        assert_eq!(empty, CalendarConfig::default());
    }

    #[test]
    fn a_holiday_that_is_also_a_closing_day_is_listed_once() {
        let config = CalendarConfig {
            closing_days: vec![d(2026, 12, 25)],
            ..CalendarConfig::default()
        };
        let cal = Calendar::new(&config);
        let off = cal.non_working_days_between(d(2026, 12, 25), d(2026, 12, 25));
        assert_eq!(off.len(), 1);
        assert_eq!(off[0].name, "Eerste Kerstdag");
    }

    #[test]
    fn years_without_easter_still_have_fixed_holidays() {
        let cal = Calendar::default();
        let h = cal.holidays_in(1200);
        assert_eq!(h.len(), 5);
        assert!(cal.holidays_in(i32::MAX).is_empty());
    }
}
