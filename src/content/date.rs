//! Dates as contributors write them: a year, a year and month, or a full date, each keeping its precision.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A date known to the year, the month or the day (optionally with a time of day).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateSpec {
    /// The year.
    pub year: i32,
    /// The month, 1–12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known.
    pub day: Option<u8>,
    /// `HH:MM:SS` when the source gave a time.
    pub time: Option<String>,
}

impl DateSpec {
    /// Parses `2014`, `2014-04`, `2014-04-15` or `2014-04-15T10:30:00Z` (the time zone is dropped).
    pub fn parse(text: &str) -> Result<DateSpec, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "invalid date `{text}`: expected a year (2014), a year and month (2014-04) or a full date (2014-04-15)"
            )
        };
        let (date, time) = match text.find(['T', ' ']) {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let parts: Vec<&str> = date.split('-').collect();
        if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(bad());
        }
        let number = |s: &str, digits: usize| -> Option<u32> {
            (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = number(parts[0], 4).ok_or_else(bad)? as i32;
        let month = match parts.get(1) {
            Some(m) => {
                let m = number(m, 2).ok_or_else(bad)?;
                if !(1..=12).contains(&m) {
                    return Err(format!("invalid date `{text}`: there is no month {m}"));
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match (parts.get(2), month) {
            (Some(d), Some(m)) => {
                let d = number(d, 2).ok_or_else(bad)?;
                let max = days_in_month(year, m);
                if d == 0 || d > max as u32 {
                    return Err(format!(
                        "invalid date `{text}`: month {m} of {year} has {max} days"
                    ));
                }
                Some(d as u8)
            }
            _ => None,
        };
        let time = match time {
            Some(t) if day.is_some() => {
                let t = t.trim_end_matches('Z');
                let t = t.split(['+', '-']).next().unwrap_or(t);
                let ok = t.split(':').count() >= 2
                    && t.split(':')
                        .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    return Err(bad());
                }
                Some(if t.len() == 5 {
                    format!("{t}:00")
                } else {
                    t.to_string()
                })
            }
            Some(_) => return Err(bad()),
            None => None,
        };
        Ok(DateSpec {
            year,
            month,
            day,
            time,
        })
    }

    /// A key that sorts dates chronologically, a bare year before its months.
    pub fn sort_key(&self) -> (i32, u8, u8, &str) {
        (
            self.year,
            self.month.unwrap_or(0),
            self.day.unwrap_or(0),
            self.time.as_deref().unwrap_or(""),
        )
    }

    /// The value for `<time datetime>`: as precise as the source.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// An RFC 3339 timestamp for feeds and sitemaps (missing parts become the first of the period).
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{}Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1),
            self.time.as_deref().unwrap_or("00:00:00")
        )
    }

    /// Which of year, month or day this date is known to.
    pub fn precision(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "day",
            (Some(_), None) => "month",
            _ => "year",
        }
    }
}

/// Days in a month of the Gregorian calendar.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for DateSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("iso", &self.iso())?;
        map.serialize_entry("year", &self.year)?;
        map.serialize_entry("month", &self.month)?;
        map.serialize_entry("day", &self.day)?;
        map.serialize_entry("precision", self.precision())?;
        map.serialize_entry("rfc3339", &self.rfc3339())?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for DateSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2014, 2014-04 or 2014-04-15")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateSpec, E> {
                DateSpec::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateSpec, E> {
                DateSpec::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateSpec, E> {
                DateSpec::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_precision() {
        assert_eq!(DateSpec::parse("2014").unwrap().iso(), "2014");
        assert_eq!(DateSpec::parse("2014-04").unwrap().iso(), "2014-04");
        assert_eq!(DateSpec::parse("2014-04-15").unwrap().precision(), "day");
        assert_eq!(
            DateSpec::parse("2014-04-15T10:30:00Z").unwrap().rfc3339(),
            "2014-04-15T10:30:00Z"
        );
    }

    #[test]
    fn rejects_nonsense() {
        assert!(DateSpec::parse("soon")
            .unwrap_err()
            .contains("expected a year"));
        assert!(DateSpec::parse("2014-13")
            .unwrap_err()
            .contains("no month 13"));
        assert!(DateSpec::parse("2015-02-29")
            .unwrap_err()
            .contains("28 days"));
        assert!(DateSpec::parse("2016-02-29").is_ok());
        assert!(DateSpec::parse("14-02").is_err());
    }

    #[test]
    fn sorts_year_before_its_months() {
        let a = DateSpec::parse("2014").unwrap();
        let b = DateSpec::parse("2014-01").unwrap();
        assert!(a.sort_key() < b.sort_key());
    }
}
