//! What each served output was made from: the facts it read while it was rendered ([`crate::deps`]), each
//! with its fingerprint in the last good build. After an edit every known fact is fingerprinted in the new
//! site, and the outputs that read a fact whose fingerprint changed are rendered again.

use super::{Body, Derived};
use crate::deps::Fact;
use crate::markdown::Rendered;
use crate::pdf::Plan;
use crate::render::context::LangContext;
use crate::site::{slice, Site};
use crate::timeline::{self as tl, Entry};
use crate::translations::Report;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

/// The facts of the served outputs.
#[derive(Default)]
pub(super) struct Recorded {
    /// Every fact an output read, with its fingerprint in the last good build.
    facts: Vec<(Fact, u64)>,
    ids: HashMap<Fact, u32>,
    /// Output path → the facts (indices into `facts`) rendering it read.
    outputs: HashMap<String, Vec<u32>>,
    /// The timelines, rendered together: the facts they read, and their files.
    derived: Option<(Vec<u32>, Derived)>,
}

/// The facts whose fingerprints changed since the last good build.
pub(super) struct Changed {
    /// Each known fact's fingerprint in the new site.
    fingerprints: Vec<u64>,
    changed: Vec<bool>,
}

impl Recorded {
    /// Fingerprints every known fact in the new site, and marks those that changed.
    pub(super) fn compare(&self, now: &Sources) -> Changed {
        let fingerprints: Vec<u64> = self
            .facts
            .par_iter()
            .map(|(f, _)| now.fingerprint(f))
            .collect();
        let changed = self
            .facts
            .iter()
            .zip(&fingerprints)
            .map(|((_, before), after)| before != after)
            .collect();
        Changed {
            fingerprints,
            changed,
        }
    }

    /// Whether the output at `path` must be rendered again: it is not served, or a fact it read changed.
    pub(super) fn is_stale(&self, path: &str, changed: &Changed) -> bool {
        self.outputs
            .get(path)
            .is_none_or(|read| read.iter().any(|k| changed.changed[*k as usize]))
    }

    /// The timelines as last made, when none of the facts they read changed.
    pub(super) fn current_derived(&self, changed: &Changed) -> Option<&Derived> {
        let (read, files) = self.derived.as_ref()?;
        (!read.iter().any(|k| changed.changed[*k as usize])).then_some(files)
    }

    /// Takes a good build in: the facts read by the outputs it rendered, whether the site has timelines and
    /// the timelines if they were made again, every known fact's new fingerprint; outputs no longer made are
    /// forgotten. After a full render (`changed` is `None`) only what it read is kept.
    pub(super) fn update(
        &mut self,
        changed: Option<Changed>,
        rendered: Vec<(String, Vec<Fact>)>,
        (derives, derived): (bool, Option<(Vec<Fact>, Derived)>),
        served: impl Fn(&str) -> bool,
        now: &Sources,
    ) {
        match changed {
            Some(c) => {
                for ((_, fp), new) in self.facts.iter_mut().zip(c.fingerprints) {
                    *fp = new;
                }
            }
            None => *self = Recorded::default(),
        }
        for (path, read) in rendered {
            let read = self.intern(read, now);
            self.outputs.insert(path, read);
        }
        if let Some((read, files)) = derived {
            self.derived = Some((self.intern(read, now), files));
        }
        if !derives {
            self.derived = None;
        }
        self.outputs.retain(|path, _| served(path));
        self.compact();
    }

    fn intern(&mut self, read: Vec<Fact>, now: &Sources) -> Vec<u32> {
        read.into_iter()
            .map(|f| match self.ids.get(&f) {
                Some(k) => *k,
                None => {
                    let k = self.facts.len() as u32;
                    let fp = now.fingerprint(&f);
                    self.ids.insert(f.clone(), k);
                    self.facts.push((f, fp));
                    k
                }
            })
            .collect()
    }

    /// Drops the facts no output reads any more (pages deleted or renamed), once they are half of all.
    fn compact(&mut self) {
        let mut used = vec![false; self.facts.len()];
        let lists = self
            .outputs
            .values()
            .chain(self.derived.as_ref().map(|(read, _)| read));
        for read in lists {
            for k in read {
                used[*k as usize] = true;
            }
        }
        let live = used.iter().filter(|u| **u).count();
        if live * 2 >= self.facts.len() {
            return;
        }
        let mut renumber = vec![u32::MAX; self.facts.len()];
        let facts = std::mem::take(&mut self.facts);
        self.ids.clear();
        for (k, (fact, fp)) in facts.into_iter().enumerate() {
            if used[k] {
                renumber[k] = self.facts.len() as u32;
                self.ids.insert(fact.clone(), renumber[k]);
                self.facts.push((fact, fp));
            }
        }
        let lists = self
            .outputs
            .values_mut()
            .chain(self.derived.as_mut().map(|(read, _)| read));
        for read in lists {
            for k in read.iter_mut() {
                *k = renumber[*k as usize];
            }
        }
    }

    /// How many facts are known (for tests).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.facts.len()
    }
}

/// What facts are read from: a built site and what was made beside it.
pub(super) struct Sources<'a> {
    pub(super) site: &'a Site,
    /// The kept bodies, by rel, with their fingerprints.
    pub(super) bodies: &'a HashMap<String, Body>,
    pub(super) section_bodies: &'a [Rendered],
    pub(super) report: &'a Report,
    pub(super) pdfs: &'a Plan,
    pub(super) langs: &'a BTreeMap<String, LangContext>,
    sections: HashMap<(&'a str, &'a str), usize>,
    entries: OnceLock<Vec<Entry>>,
}

/// A fingerprint of a value that can be hashed.
fn hash(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A fingerprint of a value by its debug form (types without `Hash`: parsed front matter, dates).
fn debug(value: impl Debug) -> u64 {
    hash(format!("{value:?}"))
}

/// A rendered body's fingerprint: what pages show of it (its HTML and headings).
pub(super) fn of_body(r: &Rendered) -> u64 {
    hash((&r.html, of_toc(r)))
}

/// The fingerprint of a rendered body's headings.
pub(super) fn of_toc(r: &Rendered) -> u64 {
    debug(&r.toc)
}

impl<'a> Sources<'a> {
    pub(super) fn new(
        site: &'a Site,
        bodies: &'a HashMap<String, Body>,
        section_bodies: &'a [Rendered],
        report: &'a Report,
        pdfs: &'a Plan,
        langs: &'a BTreeMap<String, LangContext>,
    ) -> Sources<'a> {
        Sources {
            site,
            bodies,
            section_bodies,
            report,
            pdfs,
            langs,
            sections: site
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| ((s.dir.as_str(), s.lang.as_str()), i))
                .collect(),
            entries: OnceLock::new(),
        }
    }

    fn page(&self, rel: &str) -> Option<usize> {
        self.site.by_rel.get(rel).copied()
    }

    fn section(&self, dir: &str, lang: &str) -> Option<usize> {
        self.sections.get(&(dir, lang)).copied()
    }

    fn rel(&self, i: usize) -> &str {
        &self.site.pages[i].doc.rel
    }

    /// The fingerprint of `fact` in this site; a fact about something that is gone has one too.
    pub(super) fn fingerprint(&self, fact: &Fact) -> u64 {
        let site = self.site;
        match fact {
            Fact::Page(rel) => self.page(rel).map_or(0, |i| {
                let p = &site.pages[i];
                let d = &p.doc;
                let s = &site.sections[p.section];
                let stamp = site.history.get(&d.file);
                hash((
                    &d.source[..d.body_offset.min(d.source.len())],
                    (&d.rel, &d.file, &d.dir, &d.id, &d.lang, d.kind),
                    (&p.path, &s.dir, &s.lang),
                    stamp.map(|s| (debug(&s.date), &s.commit)),
                ))
            }),
            Fact::Body(rel) => self.bodies.get(rel).map_or(0, |b| b.fingerprint),
            Fact::Toc(rel) => self.bodies.get(rel).map_or(0, |b| b.toc_fingerprint),
            Fact::Section(dir, lang) => self.section(dir, lang).map_or(0, |i| {
                let s = &site.sections[i];
                let named = |j: &usize| {
                    let x = &site.sections[*j];
                    (x.dir.as_str(), x.lang.as_str())
                };
                hash((
                    (&s.title, &s.path, s.weight, s.paginate_by, debug(s.sort_by)),
                    s.file.as_ref().map(|f| &f.source),
                    s.subsections.iter().map(named).collect::<Vec<_>>(),
                    s.parent.as_ref().map(named),
                ))
            }),
            Fact::SectionBody(dir, lang) => self
                .section(dir, lang)
                .map_or(0, |i| hash(&self.section_bodies[i].html)),
            Fact::SectionLen(dir, lang) => self
                .section(dir, lang)
                .map_or(0, |i| hash(site.sections[i].pages.len())),
            Fact::SectionPages(dir, lang, start, len) => self.section(dir, lang).map_or(0, |i| {
                let list = slice(&site.sections[i].pages, *start, *len);
                hash(list.iter().map(|j| self.rel(*j)).collect::<Vec<_>>())
            }),
            Fact::SectionAt(dir, lang) => {
                hash(self.section(dir, lang).map(|i| &site.sections[i].path))
            }
            Fact::SectionVersions(dir) => hash(site.section_versions(dir)),
            Fact::Versions(key) => hash(
                site.versions(key)
                    .iter()
                    .map(|(l, i)| (l, self.rel(*i)))
                    .collect::<Vec<_>>(),
            ),
            Fact::Backlinks(key) => hash(site.referrers(key)),
            Fact::Id(kind, id) => hash(site.id(*kind, id).map(|i| self.rel(i))),
            Fact::Ids(kind) => hash(site.ids_of(*kind).collect::<Vec<_>>()),
            Fact::Tags(lang) => hash(site.tag_terms(lang).map(|terms| {
                terms
                    .iter()
                    .map(|(t, list)| (t, list.len()))
                    .collect::<Vec<_>>()
            })),
            Fact::TagPages(lang, tag, start, len) => {
                let (list, count) = site.tag_pages(lang, tag, *start, *len);
                hash((list.iter().map(|j| self.rel(*j)).collect::<Vec<_>>(), count))
            }
            Fact::Lang(lang) => hash(
                self.langs
                    .get(lang)
                    .map(|lc| (&lc.nav, lc.nav_more, &lc.asset_version)),
            ),
            Fact::Outdated(rel) => hash(self.page(rel).map(|i| self.report.outdated.contains(&i))),
            Fact::Report => debug(&self.report.rows),
            Fact::Pdfs(rel) => debug(self.page(rel).map(|i| self.pdfs.lessons.get(&i))),
            Fact::Booklets(dir, lang) => {
                debug(self.section(dir, lang).map(|i| self.pdfs.booklets.get(&i)))
            }
            Fact::TimelineDir => hash(crate::render::timeline::dir(site)),
            Fact::Entries { case_study, city } => {
                let all = self.entries.get_or_init(|| tl::entries(site));
                let list: Vec<&Entry> = match (case_study, city) {
                    (Some(cs), Some(city)) => tl::for_case_study(all, cs, city),
                    (None, Some(city)) => tl::for_city(all, city),
                    _ => all.iter().collect(),
                };
                hash(
                    list.iter()
                        .map(|e| {
                            (
                                debug(Entry {
                                    page: 0,
                                    ..(*e).clone()
                                }),
                                self.rel(e.page),
                            )
                        })
                        .collect::<Vec<_>>(),
                )
            }
            Fact::PagePaths => hash(site.pages.iter().map(|p| &p.path).collect::<Vec<_>>()),
        }
    }
}
