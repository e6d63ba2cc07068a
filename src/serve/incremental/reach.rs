//! What a change reaches: the pages whose links, lists or references an edit can alter, from the footprint of
//! the last good site and the signatures of its pages.

use super::*;

/// A [`Linker`] that remembers what it was asked.
pub(super) struct Recorder<'a> {
    pub(super) linker: Linker<'a>,
    pub(super) asked: Mutex<Vec<(String, Option<String>)>>,
}

impl Resolve for Recorder<'_> {
    fn resolve(&self, rel: &str) -> Option<String> {
        let to = self.linker.resolve(rel);
        if let Ok(mut asked) = self.asked.lock() {
            asked.push((rel.to_string(), to.clone()));
        }
        to
    }
}

/// The keys of the documents a page refers to.
pub(super) fn refs_of(site: &Site, doc: &Document) -> Vec<String> {
    let mut refs: Vec<(Kind, &str)> = doc
        .data
        .city_refs()
        .into_iter()
        .map(|(_, id)| (Kind::City, id))
        .collect();
    refs.extend(doc.data.case_study_ref().map(|id| (Kind::CaseStudy, id)));
    refs.extend(doc.data.agreement_ref().map(|id| (Kind::Agreement, id)));
    refs.into_iter()
        .filter_map(|(k, id)| site.by_id(k, id).map(|p| Site::key(&p.doc)))
        .collect()
}

pub(super) fn footprint(site: &Site) -> Footprint {
    let rel = |i: &usize| site.pages[*i].doc.rel.clone();
    Footprint {
        refs: site
            .pages
            .iter()
            .map(|p| (p.doc.rel.clone(), refs_of(site, &p.doc)))
            .collect(),
        sections: site
            .sections
            .iter()
            .map(|s| {
                (
                    (s.dir.clone(), s.lang.clone()),
                    s.pages.iter().map(rel).collect(),
                )
            })
            .collect(),
        tags: site
            .tags
            .iter()
            .flat_map(|(lang, terms)| {
                terms.iter().map(move |(t, list)| {
                    ((lang.clone(), t.clone()), list.iter().map(rel).collect())
                })
            })
            .collect(),
        shape: site
            .sections
            .iter()
            .map(|s| SectionShape {
                dir: s.dir.clone(),
                lang: s.lang.clone(),
                path: s.path.clone(),
                title: s.title.clone(),
                listed: s.file.is_some() || !s.pages.is_empty(),
                kind: s.pages.first().map(|&i| site.pages[i].doc.kind),
                weight: s.weight,
                paginate_by: s.paginate_by,
            })
            .collect(),
    }
}

/// A hash of what lists and references show of a page (see [`render::context::summary`]), and its status.
pub(super) fn signature(site: &Site, i: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let p = &site.pages[i];
    let d = &p.doc;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&p.path, &d.id, &d.lang, d.kind.name(), d.title()).hash(&mut h);
    format!(
        "{:?}{:?}{:?}{:?}{:?}{:?}",
        d.common.description,
        d.common.date,
        d.common.tags,
        d.common.weight,
        d.common.status,
        d.data
    )
    .hash(&mut h);
    h.finish()
}

/// A hash of what the pages derived from many documents (the timelines) are made from, the config and theme
/// aside (a change to those renders everything): what lists show of every page, which pages translate which,
/// and the sections with their bodies.
pub(super) fn derived_key(site: &Site, bodies: &Bodies) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for i in 0..site.pages.len() {
        signature(site, i).hash(&mut h);
    }
    site.translations.hash(&mut h);
    for (s, body) in site.sections.iter().zip(&bodies.sections) {
        (
            &s.dir,
            &s.lang,
            &s.path,
            &s.title,
            s.file.is_some(),
            s.weight,
        )
            .hash(&mut h);
        body.html.hash(&mut h);
    }
    h.finish()
}

/// Which pagination pages of a list to render again.
#[derive(Debug, PartialEq)]
pub(super) enum Pages {
    None,
    All,
    Some(BTreeSet<usize>),
}

/// Compares a list (section or tag) before and after: pages whose entries moved or changed.
pub(super) fn list_pages(
    old: Option<&Vec<String>>,
    new: &[String],
    dirty: &HashSet<&str>,
    per: usize,
    whole: bool,
) -> Pages {
    let Some(old) = old else {
        return Pages::All;
    };
    let mut hit: BTreeSet<usize> = new
        .iter()
        .enumerate()
        .filter(|(_, r)| dirty.contains(r.as_str()))
        .map(|(i, _)| i / per + 1)
        .collect();
    if old.len() != new.len() {
        return Pages::All;
    }
    let diff: Vec<usize> = (0..new.len()).filter(|i| old[*i] != new[*i]).collect();
    if diff.first() == Some(&0)
        || hit.contains(&1) && new.first().is_some_and(|f| dirty.contains(f.as_str()))
    {
        // The first page decides the section's kind, shown on every page.
        return Pages::All;
    }
    hit.extend(diff.iter().map(|i| i / per + 1));
    if hit.is_empty() {
        Pages::None
    } else if whole {
        Pages::All
    } else {
        Pages::Some(hit)
    }
}

/// What a set of changed documents reaches in the new site.
pub(super) struct Reach {
    pages: HashSet<String>,
    sections: HashMap<(String, String), Pages>,
    tags: HashMap<(String, String), Pages>,
    tag_lists: HashSet<String>,
    print: HashSet<(String, String)>,
    /// Any document changed (the translation status page lists them all).
    any: bool,
}

impl Reach {
    pub(super) fn new(
        site: &Site,
        old: &Footprint,
        new: &Footprint,
        changed: &BTreeSet<String>,
        listed: &HashSet<String>,
        rebodied: &HashSet<String>,
    ) -> Reach {
        let dirty: HashSet<&str> = listed.iter().map(String::as_str).collect();
        let mut keys: BTreeSet<String> = BTreeSet::new();
        for rel in changed {
            if let Some(i) = site.by_rel.get(rel) {
                // Its translations show its status and whether they are outdated.
                keys.insert(Site::key(&site.pages[*i].doc));
            }
            if !listed.contains(rel) {
                continue;
            }
            if let Some(i) = site.by_rel.get(rel) {
                let doc = &site.pages[*i].doc;
                keys.extend(refs_of(site, doc));
                if let Some(referrers) = site.backlinks.get(&Site::key(doc)) {
                    keys.extend(referrers.iter().cloned());
                }
            }
            if let Some(refs) = old.refs.get(rel) {
                keys.extend(refs.iter().cloned());
            }
            // A removed page: its translations still exist under the same key.
            if !site.by_rel.contains_key(rel) {
                keys.insert(key_of_rel(site, rel));
            }
        }
        let mut pages: HashSet<String> = changed.iter().cloned().collect();
        pages.extend(rebodied.iter().cloned());
        for k in &keys {
            if let Some(versions) = site.translations.get(k) {
                pages.extend(versions.iter().map(|(_, i)| site.pages[*i].doc.rel.clone()));
            }
        }
        let mut sections = HashMap::new();
        let mut print = HashSet::new();
        for s in &site.sections {
            let key = (s.dir.clone(), s.lang.clone());
            let list = &new.sections[&key];
            let p = list_pages(
                old.sections.get(&key),
                list,
                &dirty,
                s.paginate_by,
                s.pages.len() <= 500,
            );
            if p != Pages::None || list.iter().any(|r| changed.contains(r)) {
                print.insert(key.clone());
            }
            if old.sections.get(&key).map(Vec::len) != Some(list.len()) {
                if let Some(parent) = s.parent {
                    let ps = &site.sections[parent];
                    sections.insert((ps.dir.clone(), ps.lang.clone()), Pages::All);
                }
            }
            sections.entry(key).or_insert(p);
        }
        let mut tags = HashMap::new();
        let mut tag_lists = HashSet::new();
        for (key, list) in &new.tags {
            let before = old.tags.get(key);
            if before.map(Vec::len) != Some(list.len()) {
                tag_lists.insert(key.0.clone());
            }
            tags.insert(
                key.clone(),
                list_pages(before, list, &dirty, site.config.paginate_by, false),
            );
        }
        for key in old.tags.keys() {
            if !new.tags.contains_key(key) {
                tag_lists.insert(key.0.clone());
            }
        }
        Reach {
            pages,
            sections,
            tags,
            tag_lists,
            print,
            any: !changed.is_empty(),
        }
    }

    pub(super) fn wants(&self, site: &Site, job: &Job) -> bool {
        let in_pages = |p: &Pages, n: usize| match p {
            Pages::None => false,
            Pages::All => true,
            Pages::Some(set) => set.contains(&n),
        };
        match job {
            Job::Page(i) | Job::Teacher(i) => self.pages.contains(&site.pages[*i].doc.rel),
            Job::PrintAll(s) => {
                let s = &site.sections[*s];
                self.print.contains(&(s.dir.clone(), s.lang.clone()))
            }
            Job::Section(s, n) => {
                let s = &site.sections[*s];
                self.sections
                    .get(&(s.dir.clone(), s.lang.clone()))
                    .is_some_and(|p| in_pages(p, *n))
            }
            Job::TagList(lang) => self.tag_lists.contains(lang),
            Job::Tag(lang, tag, n) => self
                .tags
                .get(&(lang.clone(), tag.clone()))
                .is_some_and(|p| in_pages(p, *n)),
            // The search pages name every city (a city's title or names may have changed).
            Job::Translations | Job::Search(_) => self.any,
            Job::NotFound => false,
        }
    }
}

/// The translation key a removed file had (`dir/id`, language suffix dropped).
pub(super) fn key_of_rel(site: &Site, rel: &str) -> String {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let id = match stem.rsplit_once('.') {
        Some((base, lang)) if site.config.has_language(lang) && !base.is_empty() => base,
        _ => stem,
    };
    if dir.is_empty() {
        id.to_string()
    } else {
        format!("{dir}/{id}")
    }
}
