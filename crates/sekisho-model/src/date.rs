//! Partial dates: lists often know only the year, or the year and month, of a birth date.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A date with year precision at least: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (ISO 8601 prefixes,
/// as FtM writes them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date of the form YYYY, YYYY-MM or YYYY-MM-DD: {0:?}")]
pub struct DateError(pub String);

impl PartialDate {
    pub fn year(year: u16) -> Self {
        Self { year, month: None, day: None }
    }

    /// Builds a date from its parts, checking that month and day exist.
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Option<Self> {
        if !(1000..=2999).contains(&year) {
            return None;
        }
        match (month, day) {
            (None, None) => Some(Self::year(year)),
            (Some(m), None) if (1..=12).contains(&m) => Some(Self { year, month, day }),
            (Some(m), Some(d)) if (1..=12).contains(&m) && d >= 1 && d <= days_in_month(year, m) => {
                Some(Self { year, month, day })
            }
            _ => None,
        }
    }

    pub fn year_value(&self) -> u16 {
        self.year
    }

    pub fn month_value(&self) -> Option<u8> {
        self.month
    }

    pub fn day_value(&self) -> Option<u8> {
        self.day
    }

    /// True when one date could be the other at the precision both know: `1984` and
    /// `1984-01-08` agree, `1984-01` and `1984-02-01` do not.
    pub fn agrees_with(&self, other: &PartialDate) -> bool {
        self.year == other.year
            && opt_agree(self.month, other.month)
            && opt_agree(self.day, other.day)
    }
}

/// The month number of an English month name as lists write it: in full, abbreviated to
/// three letters or more ("Dec", "Sept", "Decem"), any case, with or without a final dot.
pub fn english_month(word: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ];
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| m.starts_with(&word)).map(|i| i as u8 + 1)
}

fn opt_agree(a: Option<u8>, b: Option<u8>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

impl std::str::FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, DateError> {
        let err = || DateError(s.to_string());
        let mut parts = s.trim().split('-');
        let year = parts.next().filter(|y| y.len() == 4).ok_or_else(err)?;
        let year: u16 = year.parse().map_err(|_| err())?;
        let mut num = |len: usize| -> Result<Option<u8>, DateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == len => p.parse().map(Some).map_err(|_| err()),
                Some(_) => Err(err()),
            }
        };
        let month = num(2)?;
        let day = num(2)?;
        if parts.next().is_some() {
            return Err(err());
        }
        PartialDate::new(year, month, day).ok_or_else(err)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl TryFrom<String> for PartialDate {
    type Error = DateError;
    fn try_from(s: String) -> Result<Self, DateError> {
        s.parse()
    }
}

impl From<PartialDate> for String {
    fn from(d: PartialDate) -> String {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_precisions_and_round_trips() {
        for s in ["1971", "1984-01", "1984-01-08", "2000-02-29"] {
            let d: PartialDate = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        for s in ["", "71", "1971-13", "1971-02-29", "1971-1-1", "1971-01-01-01", "abcd", "1971-00"] {
            assert!(s.parse::<PartialDate>().is_err(), "{s} should be rejected");
        }
    }

    #[test]
    fn english_months_in_full_and_abbreviated() {
        assert_eq!(english_month("Jan"), Some(1));
        assert_eq!(english_month("SEPT."), Some(9));
        assert_eq!(english_month("December"), Some(12));
        assert_eq!(english_month("Decimal"), None);
        assert_eq!(english_month("Ma"), None);
    }

    #[test]
    fn agreement_is_at_the_common_precision() {
        let y: PartialDate = "1984".parse().unwrap();
        let ymd: PartialDate = "1984-01-08".parse().unwrap();
        let ym2: PartialDate = "1984-02".parse().unwrap();
        assert!(y.agrees_with(&ymd));
        assert!(ymd.agrees_with(&y));
        assert!(!ym2.agrees_with(&ymd));
    }
}
