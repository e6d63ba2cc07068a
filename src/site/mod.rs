//! The link stage: turns parsed documents into the site graph. It gives every page and section its URL, sorts
//! sections, groups translations, collects tags and resolves references between typed documents. The graph is
//! immutable once built; later stages only read it.

mod link;

use crate::config::Config;
use crate::content::date::DateSpec;
use crate::content::schema::{Kind, SortBy};
use crate::content::{Document, SectionFile};
use crate::deps::{self, Fact};
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
        let versions = self.versions(key);
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
        deps::note(|| Fact::SectionAt(dir.to_string(), lang.to_string()));
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
        self.id(kind, id).map(|i| self.page(i))
    }

    /// The page index of a typed document by id.
    pub fn id(&self, kind: Kind, id: &str) -> Option<usize> {
        deps::note(|| Fact::Id(kind, id.to_string()));
        self.ids.get(&(kind, id.to_string())).copied()
    }

    /// The ids of every typed document of `kind`, in order.
    pub fn ids_of(&self, kind: Kind) -> impl Iterator<Item = &str> {
        deps::note(|| Fact::Ids(kind));
        self.ids
            .range((kind, String::new())..)
            .take_while(move |((k, _), _)| *k == kind)
            .map(|((_, id), _)| id.as_str())
    }
}

/// Reads of the site that the render stage makes, each recorded as the [`Fact`] it hands out
/// ([`crate::deps`]): render reads the site only through these.
impl Site {
    /// Page `i`.
    pub fn page(&self, i: usize) -> &Page {
        let p = &self.pages[i];
        deps::note(|| Fact::Page(p.doc.rel.clone()));
        p
    }

    /// Section `s`, for what it shows of itself; its pages through [`Site::section_pages`].
    pub fn sec(&self, s: usize) -> &Section {
        let sec = &self.sections[s];
        deps::note(|| Fact::Section(sec.dir.clone(), sec.lang.clone()));
        sec
    }

    /// The path of the section for `dir` in `lang`, if it exists.
    pub fn section_path(&self, dir: &str, lang: &str) -> Option<&str> {
        self.section(dir, lang)
            .map(|s| self.sections[s].path.as_str())
    }

    /// The languages `dir` has a section in that is listed (it has an `_index` or pages, or it is a home):
    /// (language, path), in the configured order of languages.
    pub fn section_versions(&self, dir: &str) -> Vec<(String, String)> {
        deps::note(|| Fact::SectionVersions(dir.to_string()));
        let mut versions: Vec<(String, String)> = self
            .sections
            .iter()
            .filter(|x| {
                x.dir == dir && (x.file.is_some() || !x.pages.is_empty() || x.dir.is_empty())
            })
            .map(|x| (x.lang.clone(), x.path.clone()))
            .collect();
        versions.sort_by_key(|(l, _)| {
            self.config
                .languages
                .iter()
                .position(|x| &x.code == l)
                .unwrap_or(usize::MAX)
        });
        versions
    }

    /// The output folder of every page.
    pub fn page_paths(&self) -> std::collections::HashSet<&str> {
        deps::note(|| Fact::PagePaths);
        self.pages.iter().map(|p| p.path.as_str()).collect()
    }

    /// How many pages section `s` lists.
    pub fn section_len(&self, s: usize) -> usize {
        let sec = &self.sections[s];
        deps::note(|| Fact::SectionLen(sec.dir.clone(), sec.lang.clone()));
        sec.pages.len()
    }

    /// Up to `len` pages of section `s`'s list from `start`.
    pub fn section_pages(&self, s: usize, start: usize, len: usize) -> &[usize] {
        let sec = &self.sections[s];
        deps::note(|| Fact::SectionPages(sec.dir.clone(), sec.lang.clone(), start, len));
        slice(&sec.pages, start, len)
    }

    /// Every language version of the document with `key`: (lang, page index), default language first.
    pub fn versions(&self, key: &str) -> &[(String, usize)] {
        deps::note(|| Fact::Versions(key.to_string()));
        self.translations.get(key).map_or(&[], Vec::as_slice)
    }

    /// The keys of the documents referring to the document with `key`.
    pub fn referrers(&self, key: &str) -> Option<&BTreeSet<String>> {
        deps::note(|| Fact::Backlinks(key.to_string()));
        self.backlinks.get(key)
    }

    /// The tags of `lang`'s pages, each with its pages (read only their number; the pages through
    /// [`Site::tag_pages`]).
    pub fn tag_terms(&self, lang: &str) -> Option<&BTreeMap<String, Vec<usize>>> {
        deps::note(|| Fact::Tags(lang.to_string()));
        self.tags.get(lang)
    }

    /// Up to `len` pages of `tag`'s list in `lang` from `start`, and how many it has in all.
    pub fn tag_pages(&self, lang: &str, tag: &str, start: usize, len: usize) -> (&[usize], usize) {
        deps::note(|| Fact::TagPages(lang.to_string(), tag.to_string(), start, len));
        let list = self
            .tags
            .get(lang)
            .and_then(|t| t.get(tag))
            .map_or(&[][..], Vec::as_slice);
        (slice(list, start, len), list.len())
    }
}

/// Up to `len` items of `list` from `start`.
pub fn slice<T>(list: &[T], start: usize, len: usize) -> &[T] {
    let start = start.min(list.len());
    &list[start..start.saturating_add(len).min(list.len())]
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
