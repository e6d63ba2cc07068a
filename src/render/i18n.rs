//! UI strings of the theme in every configured language, with English (then the key itself) as the fallback,
//! and dates written the way each language writes them.

use crate::content::date::DateSpec;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The merged strings of one language, ready for templates as `t`.
#[derive(Debug, Clone)]
pub struct Strings {
    /// The language code.
    pub lang: String,
    /// Key → string (or nested map), the language's own over the default's.
    pub map: Map<String, Value>,
    months: Vec<String>,
    /// Date patterns for a full date, a month and a year.
    patterns: [String; 3],
}

impl Strings {
    /// Merges the strings of `lang` over the English ones.
    pub fn new(all: &BTreeMap<String, BTreeMap<String, serde_yaml::Value>>, lang: &str) -> Strings {
        let mut map = Map::new();
        for source in ["en", lang] {
            if let Some(strings) = all.get(source) {
                for (k, v) in strings {
                    if let Ok(v) = serde_json::to_value(v) {
                        map.insert(k.clone(), v);
                    }
                }
            }
        }
        let months = map
            .get("months")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .map(|m| m.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let pattern = |key: &str, fallback: &str| match map.get(key) {
            Some(Value::String(p)) => p.clone(),
            _ => fallback.to_string(),
        };
        let patterns = [
            pattern("date_day", "{day} {month} {year}"),
            pattern("date_month", "{month} {year}"),
            pattern("date_year", "{year}"),
        ];
        Strings {
            lang: lang.to_string(),
            map,
            months,
            patterns,
        }
    }

    /// One string, or the key when no language has it.
    pub fn get(&self, key: &str) -> String {
        match self.map.get(key) {
            Some(Value::String(s)) => s.clone(),
            _ => key.to_string(),
        }
    }

    /// A label from a group of strings (`kinds`, `fields`, `event_types`, …), if the group has `id`.
    pub fn label(&self, group: &str, id: &str) -> Option<&str> {
        self.map.get(group)?.get(id)?.as_str()
    }

    /// A date as the language writes it, keeping the precision of the source.
    pub fn date(&self, d: &DateSpec) -> String {
        let pattern = match (d.month, d.day) {
            (Some(_), Some(_)) => &self.patterns[0],
            (Some(_), None) => &self.patterns[1],
            _ => &self.patterns[2],
        };
        let month_number = d.month.unwrap_or(0);
        let mut out = String::with_capacity(pattern.len() + 12);
        let mut rest = pattern.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            match &rest[open + 1..open + close] {
                "year" => out.push_str(&d.year.to_string()),
                "month" => match self.months.get(usize::from(month_number).wrapping_sub(1)) {
                    Some(name) => out.push_str(name),
                    None => out.push_str(&month_number.to_string()),
                },
                "m" => out.push_str(&month_number.to_string()),
                "day" => out.push_str(&d.day.unwrap_or(0).to_string()),
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lang: &str) -> Strings {
        let mut all = BTreeMap::new();
        all.insert("en".to_string(), serde_yaml::from_str("search: Search\nhome: Home\nmonths: [January, February, March, April]\ndate_day: '{day} {month} {year}'\ndate_month: '{month} {year}'\ndate_year: '{year}'\n").unwrap());
        all.insert("ja".to_string(), serde_yaml::from_str("search: 検索\ndate_day: '{year}年{m}月{day}日'\ndate_month: '{year}年{m}月'\ndate_year: '{year}年'\n").unwrap());
        Strings::new(&all, lang)
    }

    #[test]
    fn falls_back_to_english_then_the_key() {
        let ja = strings("ja");
        assert_eq!(ja.get("search"), "検索");
        assert_eq!(ja.get("home"), "Home");
        assert_eq!(ja.get("nothing"), "nothing");
    }

    #[test]
    fn dates_keep_their_precision() {
        let en = strings("en");
        assert_eq!(
            en.date(&DateSpec::parse("2014-04-15").unwrap()),
            "15 April 2014"
        );
        assert_eq!(en.date(&DateSpec::parse("2014-04").unwrap()), "April 2014");
        assert_eq!(en.date(&DateSpec::parse("2014").unwrap()), "2014");
        assert_eq!(
            strings("ja").date(&DateSpec::parse("2014-04-15").unwrap()),
            "2014年4月15日"
        );
    }
}
