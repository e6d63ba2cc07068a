//! What every page of a language shows alike: the theme's strings in that language and the site's menu. Made
//! once per language for a whole build, and read by each output as one fact ([`crate::deps::Fact::Lang`]).

use super::i18n::Strings;
use crate::config::NAV_LIMIT;
use crate::content::schema::Kind;
use crate::site::Site;
use serde_json::Value;

/// Per-language values shared by every page of that language.
pub struct LangContext {
    /// The theme's strings in this language.
    pub strings: Strings,
    /// The same strings as templates read them (`t.search`).
    pub t: Value,
    /// Top sections: (title, link, folder, language of the title).
    pub nav: Vec<(String, String, String, String)>,
    /// Whether the site has more top-level sections than `nav` lists (the home page lists them all).
    pub nav_more: bool,
    /// The theme's fingerprint, for asset URLs (`style.css?v=…`): [`crate::theme::Theme::version`].
    pub asset_version: String,
}

impl LangContext {
    /// Strings and navigation for `lang`.
    pub fn new(
        site: &Site,
        theme_strings: &std::collections::BTreeMap<
            String,
            std::collections::BTreeMap<String, serde_yaml::Value>,
        >,
        lang: &str,
    ) -> LangContext {
        let strings = Strings::new(theme_strings, lang);
        let t = Value::Object(strings.map.clone());
        let default = &site.config.default_language;
        let mut tops: Vec<&str> = site
            .sections
            .iter()
            .filter(|s| s.parent.is_some() && !s.dir.contains('/'))
            .map(|s| s.dir.as_str())
            .collect();
        tops.sort();
        tops.dedup();
        // Each top section in this language, or else in the default language. One whose `_index` is not
        // translated is named by the theme's name for its kind ("Agreements" in Burmese), so that a page's
        // menu speaks the page's language. The order is the default language's in every language.
        let mut items: Vec<((i64, String), String, usize, String)> = tops
            .iter()
            .filter_map(|dir| {
                let home = site.section(dir, default);
                let i = site.section(dir, lang).or(home)?;
                let s = &site.sections[i];
                let order = home.map_or(s, |h| &site.sections[h]);
                let translated = s.file.is_some() && s.lang == lang;
                let (title, title_lang) = match section_kind(site, i)
                    .and_then(|k| strings.label("related", k.name()))
                    .filter(|_| !translated && lang != default)
                {
                    Some(name) => (name.to_string(), lang.to_string()),
                    None if translated => (s.title.clone(), lang.to_string()),
                    None => (s.title.clone(), default.clone()),
                };
                Some(((order.weight, order.title.clone()), title, i, title_lang))
            })
            .collect();
        let chosen = site.config.nav.as_ref();
        match chosen {
            Some(order) => {
                let rank = |i: usize| order.iter().position(|d| *d == site.sections[i].dir);
                items.retain(|it| rank(it.2).is_some());
                items.sort_by_key(|it| rank(it.2));
            }
            None => items.sort(),
        }
        let nav_more = chosen.is_none() && items.len() > NAV_LIMIT;
        items.truncate(if chosen.is_some() {
            items.len()
        } else {
            NAV_LIMIT
        });
        let nav = items
            .into_iter()
            .map(|(_, title, i, title_lang)| {
                let s = &site.sections[i];
                (title, site.href(&s.path), s.dir.clone(), title_lang)
            })
            .collect();
        LangContext {
            strings,
            t,
            nav,
            nav_more,
            asset_version: String::new(),
        }
    }
}

/// The kind of the pages in a section, when it holds typed documents.
fn section_kind(site: &Site, section: usize) -> Option<Kind> {
    let first = *site.sections[section].pages.first()?;
    Some(site.pages[first].doc.kind).filter(|k| *k != Kind::Page)
}
