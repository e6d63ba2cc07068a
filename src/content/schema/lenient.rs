//! Plain pages' front matter, read leniently: Hugo's and Zola's keys become kizuna's fields, other keys go
//! to `extra`, and a near-typo of a field is reported.

use super::{Common, RawPage, COMMON_FIELDS};

/// Keys of Hugo and Zola front matter that mean one of kizuna's fields, and which one.
const FOREIGN_FIELDS: &[(&str, &str)] = &[
    ("alias", "aliases"),
    ("categories", "tags"),
    ("lastmod", "updated"),
    ("publishDate", "date"),
    ("pubdate", "date"),
    ("params", "extra"),
];

/// Reads a plain page's front matter leniently: Hugo's and Zola's keys become kizuna's fields
/// ([`FOREIGN_FIELDS`]; Zola's `taxonomies` give tags), and every other key goes to `extra`.
pub(super) fn lenient_page(yaml: &str) -> Result<RawPage, serde_yaml::Error> {
    use serde_yaml::Value;
    let map: serde_yaml::Mapping = serde_yaml::from_str(yaml)?;
    let mut known = serde_yaml::Mapping::new();
    let mut extra = serde_yaml::Mapping::new();
    let mut tags: Vec<Value> = Vec::new();
    for (k, v) in map {
        let key = k.as_str().unwrap_or_default().to_string();
        let mapped = FOREIGN_FIELDS
            .iter()
            .find(|(f, _)| *f == key)
            .map(|(_, to)| *to);
        match (key.as_str(), mapped) {
            ("tags", _) | (_, Some("tags")) => match v {
                Value::Sequence(s) => tags.extend(s),
                Value::Null => {}
                other => tags.push(other),
            },
            ("taxonomies", _) => {
                if let Value::Mapping(t) = &v {
                    for list in t.values() {
                        if let Value::Sequence(s) = list {
                            tags.extend(s.iter().cloned());
                        }
                    }
                }
                extra.insert(k, v);
            }
            ("extra", _) | (_, Some("extra")) => {
                if let Value::Mapping(m) = v {
                    extra.extend(m);
                }
            }
            // Hugo's documentation marks glossary entries with `alias: true`: only paths are aliases.
            ("alias", _) if !matches!(v, Value::String(_) | Value::Sequence(_)) => {
                extra.insert(k, v);
            }
            ("aliases", _) | (_, Some("aliases")) => {
                let list = match v {
                    Value::Sequence(s) => s,
                    Value::Null => Vec::new(),
                    other => vec![other],
                };
                match known.get_mut("aliases") {
                    Some(Value::Sequence(s)) => s.extend(list),
                    _ => {
                        known.insert("aliases".into(), Value::Sequence(list));
                    }
                }
            }
            (_, Some(to)) => {
                if !known.contains_key(to) {
                    known.insert(to.into(), v);
                }
            }
            (k2, None) if COMMON_FIELDS.contains(&k2) || k2 == "url" => {
                known.insert(k, v);
            }
            _ => {
                extra.insert(k, v);
            }
        }
    }
    if !tags.is_empty() {
        known.insert("tags".into(), Value::Sequence(tags));
    }
    known.insert("extra".into(), Value::Mapping(extra));
    serde_yaml::from_value(Value::Mapping(known)).map_err(|e| {
        // A value of the wrong type: read the text again for the fields alone, which says where it is.
        serde_yaml::from_str::<Common>(yaml).err().unwrap_or(e)
    })
}

/// Front matter keys of a plain page that look like a typo of one of kizuna's fields: (key, field).
pub fn near_misses(keys: &[String]) -> Vec<(String, &'static str)> {
    keys.iter()
        .filter_map(|k| {
            let lower = k.to_lowercase();
            COMMON_FIELDS
                .iter()
                .find(|f| lower != **f && strsim::levenshtein(&lower, f) == 1)
                .map(|f| (k.clone(), *f))
        })
        .collect()
}
