//! A section's `_index.md` front matter: lenient as plain pages are, so that sections written for Hugo or
//! Zola build.

use super::{Kind, Status};
use serde::{Deserialize, Serialize};

/// The front matter of a section's `_index.md`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    /// The section's title (else the default language's, else its folder's name in title case).
    #[serde(default)]
    pub title: Option<String>,
    /// One or two sentences for lists and `<meta name=description>`.
    #[serde(default)]
    pub description: Option<String>,
    /// The kind of the documents in this section and below it.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// How its list orders the pages.
    #[serde(default)]
    pub sort_by: Option<SortBy>,
    /// Pages per list page, instead of the site's `paginate_by`.
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// Its place in the menu, lower first.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Left out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// The language, normally implied by the file name's suffix.
    #[serde(default)]
    pub lang: Option<String>,
    /// A translation's review status.
    #[serde(default)]
    pub status: Option<Status>,
    /// For a translation: the content hash of the source it was translated from.
    #[serde(default)]
    pub translated_from: Option<String>,
    /// Old URLs that redirect here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Other keys (Hugo's `linkTitle` or `cascade`, Zola's `template` or `[extra]`), kept for templates.
    #[serde(default)]
    pub extra: std::collections::BTreeMap<String, serde_yaml::Value>,
}

/// The keys of a section's front matter that [`SectionMeta`] reads itself.
const SECTION_FIELDS: &[&str] = &[
    "title",
    "description",
    "kind",
    "sort_by",
    "paginate_by",
    "weight",
    "draft",
    "lang",
    "status",
    "translated_from",
    "aliases",
];

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first.
    #[default]
    Date,
    /// Lowest weight first.
    Weight,
    /// Alphabetical.
    Title,
}

/// Parses the front matter of a section's `_index.md`.
/// Keys kizuna does not know go to `extra`, so that sections written for Hugo or Zola build; Zola's other
/// orders become the nearest of kizuna's (`update_date` → date, `slug` and `none` → title).
pub fn parse_section(yaml: &str) -> Result<SectionMeta, serde_yaml::Error> {
    use serde_yaml::Value;
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    let map: serde_yaml::Mapping = serde_yaml::from_str(yaml)?;
    let mut known = serde_yaml::Mapping::new();
    let mut extra = serde_yaml::Mapping::new();
    for (k, v) in map {
        match k.as_str() {
            Some("sort_by") => {
                let order = match v.as_str() {
                    Some("update_date") => Value::from("date"),
                    Some("slug" | "none") => Value::from("title"),
                    _ => v,
                };
                known.insert(k, order);
            }
            Some("extra") => {
                if let Value::Mapping(m) = v {
                    extra.extend(m);
                }
            }
            Some(key) if SECTION_FIELDS.contains(&key) => {
                known.insert(k, v);
            }
            _ => {
                extra.insert(k, v);
            }
        }
    }
    known.insert("extra".into(), Value::Mapping(extra));
    serde_yaml::from_value(Value::Mapping(known))
}
