//! The link stage: turns parsed documents into the site graph. It gives every page and section its URL, sorts
//! sections, groups translations, collects tags and resolves references between typed documents. The graph is
//! immutable once built; later stages only read it.

mod link;

use crate::config::Config;
use crate::content::date::DateSpec;
use crate::content::schema::{Kind, SortBy};
use crate::content::{Document, SectionFile};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use link::link;
#[cfg(test)]
pub(crate) use link::link_for_test;

/// A page of the site: a document and where it is published.
#[derive(Debug)]
pub struct Page {
    /// The document.
    pub doc: Document,
    /// Output directory relative to the site root, ending in `/`: `my/lessons/lesson-01/`.
    pub path: String,
    /// Index of its section in [`Site::sections`].
    pub section: usize,
}

/// A section: a folder of pages in one language.
#[derive(Debug)]
pub struct Section {
    /// Folder relative to the content directory (`lessons`; empty for the home page).
    pub dir: String,
    /// The language of its pages.
    pub lang: String,
    /// Its title: its `_index`'s, else the default language's, else its folder's name.
    pub title: String,
    /// Its `_index.md`, when it has one.
    pub file: Option<SectionFile>,
    /// Its site path, ending in `/`.
    pub path: String,
    /// How its list orders the pages.
    pub sort_by: SortBy,
    /// Pages per list page.
    pub paginate_by: usize,
    /// Its place among its siblings and in the menu, lower first.
    pub weight: i64,
    /// Pages in display order.
    pub pages: Vec<usize>,
    /// Its subsections (same language), in order.
    pub subsections: Vec<usize>,
    /// Its parent section, `None` for a language's home.
    pub parent: Option<usize>,
}

/// The linked site.
#[derive(Debug)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Every page.
    pub pages: Vec<Page>,
    /// Every section, in every language.
    pub sections: Vec<Section>,
    /// Every language version of a document, by `dir/id`: (lang, page index), default language first.
    pub translations: BTreeMap<String, Vec<(String, usize)>>,
    /// Tags per language: tag → pages, newest first.
    pub tags: BTreeMap<String, BTreeMap<String, Vec<usize>>>,
    /// Documents of each typed kind by id, in the default language where there is one.
    pub ids: BTreeMap<(Kind, String), usize>,
    /// Pages referring to a document (`dir/id` key of the target) → referring pages' keys.
    pub backlinks: BTreeMap<String, BTreeSet<String>>,
    /// Markdown file (relative to content/) → page index, for link rewriting.
    pub by_rel: HashMap<String, usize>,
    /// Section `_index` files (relative to content/) → section index.
    pub section_by_rel: HashMap<String, usize>,
    /// Each content file's last commit, when the site is in a git repository.
    pub history: crate::history::History,
    /// Links to the site's repository on its forge, when `repo_url` is set.
    pub forge: Option<crate::forge::Forge>,
}

impl Site {
    /// The key translations share.
    pub fn key(doc: &Document) -> String {
        if doc.dir.is_empty() {
            doc.id.clone()
        } else {
            format!("{}/{}", doc.dir, doc.id)
        }
    }

    /// When a page last changed: its front matter `updated`, else its last commit.
    pub fn last_updated<'a>(&'a self, doc: &'a Document) -> Option<&'a DateSpec> {
        doc.common
            .updated
            .as_ref()
            .or_else(|| self.history.get(&doc.file).map(|s| &s.date))
    }

    /// Records the site's git history and forge, which pages' dates and links come from.
    pub fn set_history(&mut self, history: crate::history::History) {
        self.forge = crate::forge::Forge::new(&self.config, history.prefix.as_deref());
        self.history = history;
    }

    /// The version of the document with `key` in `lang`, or its default-language version.
    pub fn in_lang(&self, key: &str, lang: &str) -> Option<usize> {
        let versions = self.translations.get(key)?;
        versions
            .iter()
            .find(|(l, _)| l == lang)
            .or_else(|| {
                versions
                    .iter()
                    .find(|(l, _)| *l == self.config.default_language)
            })
            .or(versions.first())
            .map(|(_, i)| *i)
    }

    /// The section for `dir` in `lang`, if it exists.
    pub fn section(&self, dir: &str, lang: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.dir == dir && s.lang == lang)
    }

    /// The link to a site path: itself, or ending in `index.html` for a portable site.
    pub fn href(&self, path: &str) -> String {
        if self.config.portable && (path.is_empty() || path.ends_with('/')) {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }

    /// The absolute URL of a site path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// The page of a typed document by id.
    pub fn by_id(&self, kind: Kind, id: &str) -> Option<&Page> {
        self.ids
            .get(&(kind, id.to_string()))
            .map(|i| &self.pages[*i])
    }
}

/// The relative path from a page at `path` back to the site root: `../../` for `lessons/lesson-01/`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.split('/').filter(|s| !s.is_empty()).count())
}

/// Resolves `.md` links for pages in one language: a link to a document picks its translation in that
/// language when there is one.
pub struct Linker<'a> {
    /// The site.
    pub site: &'a Site,
    /// The language links are resolved for.
    pub lang: &'a str,
}

impl crate::markdown::Resolve for Linker<'_> {
    fn resolve(&self, rel: &str) -> Option<String> {
        let site = self.site;
        if let Some(i) = site.by_rel.get(rel) {
            let key = Site::key(&site.pages[*i].doc);
            let j = site.in_lang(&key, self.lang).unwrap_or(*i);
            return Some(site.href(&site.pages[j].path));
        }
        let s = *site.section_by_rel.get(rel)?;
        let dir = &site.sections[s].dir;
        let s = site.section(dir, self.lang).unwrap_or(s);
        Some(site.href(&site.sections[s].path))
    }
}

/// Orders two pages of a section.
pub fn compare(a: &Document, b: &Document, sort_by: SortBy) -> std::cmp::Ordering {
    let date = |d: &Document| {
        d.common
            .date
            .as_ref()
            .map(|x| (x.year, x.month.unwrap_or(0), x.day.unwrap_or(0)))
    };
    let weight = |d: &Document| d.common.weight.unwrap_or(i64::MAX);
    let tie = || a.title().cmp(b.title()).then_with(|| a.rel.cmp(&b.rel));
    match sort_by {
        SortBy::Date => date(b)
            .cmp(&date(a))
            .then_with(|| weight(a).cmp(&weight(b)))
            .then_with(tie),
        SortBy::Weight => weight(a)
            .cmp(&weight(b))
            .then_with(|| date(a).cmp(&date(b)))
            .then_with(tie),
        SortBy::Title => tie(),
    }
}
