//! The case number, `KL-YYYY-NNNN`: public knowledge (it is in every subject line), so it
//! names a case but never proves who is writing about it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// `KL-YYYY-NNNN`: the year of receipt and a per-year sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CaseNumber {
    pub year: i32,
    pub seq: u32,
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KL-{:04}-{:04}", self.year, self.seq)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a case number (expected KL-YYYY-NNNN): {0:?}")]
pub struct BadCaseNumber(pub String);

impl FromStr for CaseNumber {
    type Err = BadCaseNumber;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadCaseNumber(s.to_string());
        let rest = s
            .trim()
            .strip_prefix("KL-")
            .or_else(|| s.trim().strip_prefix("kl-"))
            .ok_or_else(bad)?;
        let (year, seq) = rest.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || seq.is_empty() || seq.len() > 6 {
            return Err(bad());
        }
        let year = year.parse().map_err(|_| bad())?;
        let seq = seq.parse().map_err(|_| bad())?;
        if seq == 0 {
            return Err(bad());
        }
        Ok(CaseNumber { year, seq })
    }
}

impl Serialize for CaseNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CaseNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_number_round_trip() {
        let n: CaseNumber = "KL-2026-0007".parse().unwrap();
        assert_eq!(n, CaseNumber { year: 2026, seq: 7 });
        assert_eq!(n.to_string(), "KL-2026-0007");
        assert_eq!(
            CaseNumber {
                year: 2026,
                seq: 12345
            }
            .to_string(),
            "KL-2026-12345"
        );
        for bad in [
            "",
            "KL-2026",
            "KL-26-0001",
            "KL-2026-0000",
            "XX-2026-0001",
            "KL-2026-abcd",
        ] {
            assert!(bad.parse::<CaseNumber>().is_err(), "{bad}");
        }
    }
}
