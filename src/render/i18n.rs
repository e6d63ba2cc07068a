//! UI strings of the theme in every configured language, with English (then the key itself) as the fallback,
//! and dates written the way each language writes them.

use crate::content::date::DateSpec;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The merged strings of one language, ready for templates as `t`.
#[derive(Debug, Clone)]
pub struct Strings {
    pub lang: String,
    pub map: Map<String, Value>,
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
        Strings {
            lang: lang.to_string(),
            map,
        }
    }

    /// One string, or the key when no language has it.
    pub fn get(&self, key: &str) -> String {
        match self.map.get(key) {
            Some(Value::String(s)) => s.clone(),
            _ => key.to_string(),
        }
    }

    /// A date as the language writes it, keeping the precision of the source.
    pub fn date(&self, d: &DateSpec) -> String {
        let month = d.month.and_then(|m| {
            self.map
                .get("months")
                .and_then(|v| v.as_array())
                .and_then(|a| a.get(m as usize - 1))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        });
        let pattern = match (d.month, d.day) {
            (Some(_), Some(_)) => self.get("date_day"),
            (Some(_), None) => self.get("date_month"),
            _ => self.get("date_year"),
        };
        let pattern = if pattern.starts_with("date_") {
            "{day} {month} {year}".to_string()
        } else {
            pattern
        };
        pattern
            .replace("{year}", &d.year.to_string())
            .replace(
                "{month}",
                &month.unwrap_or_else(|| d.month.unwrap_or(0).to_string()),
            )
            .replace("{m}", &d.month.unwrap_or(0).to_string())
            .replace("{day}", &d.day.unwrap_or(0).to_string())
            .trim()
            .to_string()
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
