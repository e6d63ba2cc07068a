//! Building the site graph: every page's and section's URL, the sections' order, translations grouped, tags
//! collected, references between typed documents resolved, each problem a diagnostic.

use crate::config::Config;
use crate::content::schema::{Kind, KindData, SortBy};
use crate::content::Parsed;
use crate::diagnostic::{nearest, Code, Diagnostic};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{compare, Page, Section, Site};
use crate::slug::slugify;

fn join_path(prefix: &str, dir: &str, leaf: &str) -> String {
    let mut path = String::new();
    for part in [prefix, dir, leaf] {
        let part = part.trim_matches('/');
        if !part.is_empty() {
            path.push_str(part);
            path.push('/');
        }
    }
    path
}

/// Builds the site graph from parsed content.
pub fn link(parsed: Parsed, config: &Config) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Parsed {
        mut documents,
        sections: section_files,
    } = parsed;
    documents.sort_by(|a, b| a.rel.cmp(&b.rel));

    let mut section_map: BTreeMap<(String, String), Section> = BTreeMap::new();
    let ensure = |dir: &str, lang: &str, map: &mut BTreeMap<(String, String), Section>| {
        let mut d = dir.to_string();
        loop {
            map.entry((d.clone(), lang.to_string()))
                .or_insert_with(|| Section {
                    title: d
                        .rsplit('/')
                        .next()
                        .filter(|s| !s.is_empty())
                        .map(title_case)
                        .unwrap_or_else(|| config.title.clone()),
                    path: join_path(&config.lang_prefix(lang), &d.to_lowercase(), ""),
                    dir: d.clone(),
                    lang: lang.to_string(),
                    file: None,
                    sort_by: SortBy::Date,
                    paginate_by: config.paginate_by,
                    weight: 0,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                    parent: None,
                });
            if d.is_empty() {
                break;
            }
            d = d
                .rsplit_once('/')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default();
        }
    };
    for lang in config.languages.iter().map(|l| l.code.as_str()) {
        ensure("", lang, &mut section_map);
    }
    for doc in &documents {
        ensure(&doc.dir, &doc.lang, &mut section_map);
    }
    for f in &section_files {
        ensure(&f.dir, &f.lang, &mut section_map);
    }
    let defaults: BTreeMap<String, crate::content::schema::SectionMeta> = section_files
        .iter()
        .filter(|f| f.lang == config.default_language)
        .map(|f| (f.dir.clone(), f.meta.clone()))
        .collect();
    for f in section_files {
        if let Some(s) = section_map.get_mut(&(f.dir.clone(), f.lang.clone())) {
            if let Some(first) = &s.file {
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateSection,
                        format!(
                            "two `_index` files for the section `{}` in `{}`",
                            f.dir, f.lang
                        ),
                    )
                    .in_file(&f.file)
                    .hint(format!(
                        "{} is the other; keep one, or give this one a configured language suffix",
                        first.file.display()
                    )),
                );
                continue;
            }
            if let Some(t) = &f.meta.title {
                s.title = t.clone();
            }
            s.file = Some(f);
        }
    }
    for s in section_map.values_mut() {
        let own = s.file.as_ref().map(|f| &f.meta);
        let base = defaults.get(&s.dir);
        let pick = |f: &dyn Fn(&crate::content::schema::SectionMeta) -> Option<SortBy>| {
            own.and_then(f).or_else(|| base.and_then(f))
        };
        s.sort_by = pick(&|m| m.sort_by).unwrap_or(SortBy::Date);
        s.paginate_by = own
            .and_then(|m| m.paginate_by)
            .or_else(|| base.and_then(|m| m.paginate_by))
            .unwrap_or(config.paginate_by)
            .max(1);
        s.weight = own
            .and_then(|m| m.weight)
            .or_else(|| base.and_then(|m| m.weight))
            .unwrap_or(0);
        if s.file.is_none() {
            if let Some(t) = base.and_then(|m| m.title.clone()) {
                s.title = t;
            }
        }
    }
    let mut sections: Vec<Section> = section_map.into_values().collect();
    let section_index: HashMap<(String, String), usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.dir.clone(), s.lang.clone()), i))
        .collect();
    for i in 0..sections.len() {
        if sections[i].dir.is_empty() {
            continue;
        }
        let parent_dir = sections[i]
            .dir
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        let parent = section_index[&(parent_dir, sections[i].lang.clone())];
        sections[i].parent = Some(parent);
        sections[parent].subsections.push(i);
    }

    // Pages, their URLs and the URL registry.
    let mut owners: HashMap<String, String> = HashMap::new();
    for s in &sections {
        let owner = s
            .file
            .as_ref()
            .map(|f| f.file.display().to_string())
            .unwrap_or_else(|| format!("the section `{}`", s.dir));
        owners.insert(s.path.clone(), owner);
    }
    let mut pages = Vec::with_capacity(documents.len());
    for doc in documents {
        // URLs made from file and folder names are lower case, as Hugo and Zola make them: links written
        // for those trees work, and no two URLs differ only in case. A `slug` or `url` is kept as written.
        let slug = doc
            .common
            .slug
            .clone()
            .unwrap_or_else(|| doc.id.to_lowercase());
        // A plain page's own `url` (Hugo's and Zola's key) replaces its folder and slug.
        let own_url = match &doc.data {
            KindData::Page(p) => p.url.as_deref().map(|u| u.trim_matches('/')),
            _ => None,
        };
        let path = match own_url {
            Some(u) => join_path(&config.lang_prefix(&doc.lang), "", u),
            None => join_path(
                &config.lang_prefix(&doc.lang),
                &doc.dir.to_lowercase(),
                &slug,
            ),
        };
        if let Some(first) = owners.get(&path) {
            diagnostics.push(
                doc.diagnostic_at(
                    Diagnostic::error(
                        Code::PathCollision,
                        format!("two pages would be written to `/{path}`"),
                    ),
                    "slug",
                    None,
                )
                .hint(format!(
                    "{first} is already published there; give one of them a different `slug`"
                )),
            );
            continue;
        }
        owners.insert(path.clone(), doc.file.display().to_string());
        let section = section_index[&(doc.dir.clone(), doc.lang.clone())];
        pages.push(Page { doc, path, section });
    }
    for (i, p) in pages.iter().enumerate() {
        sections[p.section].pages.push(i);
    }
    for s in &mut sections {
        let sort_by = s.sort_by;
        s.pages
            .sort_by(|a, b| compare(&pages[*a].doc, &pages[*b].doc, sort_by));
    }
    sections.iter().for_each(|_| ());
    let weights: Vec<(i64, String)> = sections
        .iter()
        .map(|s| (s.weight, s.title.clone()))
        .collect();
    for s in &mut sections {
        s.subsections.sort_by(|a, b| weights[*a].cmp(&weights[*b]));
    }

    // Aliases must not collide with pages either: the page is published, the redirect is not, and a
    // warning says so (Hugo's documentation has such aliases; a site must not break over one).
    let mut alias_owners: HashMap<String, String> = HashMap::new();
    for p in &mut pages {
        let mut shadowed = Vec::new();
        for alias in &p.doc.common.aliases {
            let clean = alias.trim_matches('/');
            if clean.split('/').any(|seg| seg == ".." || seg == ".") || clean.contains('\\') {
                diagnostics.push(
                    p.doc
                        .diagnostic_at(
                            Diagnostic::error(
                                Code::UnsafePath,
                                format!("alias `{alias}` leaves the site"),
                            ),
                            "aliases",
                            Some(alias),
                        )
                        .hint("an alias is a path inside the site, e.g. `/old/path/`"),
                );
            } else if let Some((why, hint)) = owners
                .get(&join_path("", clean, ""))
                .map(|first| {
                    (
                        "is the URL of another page, so no redirect is written there",
                        format!("{first} is published there; remove the alias"),
                    )
                })
                .or_else(|| {
                    alias_owners.get(clean).map(|first| {
                        (
                            "is also an alias of another page, whose redirect is written there",
                            format!("{first} has it too; keep it on one page"),
                        )
                    })
                })
            {
                diagnostics.push(
                    p.doc
                        .diagnostic_at(
                            Diagnostic::warning(
                                Code::AliasSkipped,
                                format!("alias `{alias}` {why}"),
                            ),
                            "aliases",
                            Some(alias),
                        )
                        .hint(hint),
                );
                shadowed.push(alias.clone());
            } else {
                alias_owners.insert(clean.to_string(), p.doc.file.display().to_string());
            }
        }
        p.doc.common.aliases.retain(|a| !shadowed.contains(a));
    }

    let mut translations: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    let mut by_rel = HashMap::new();
    let mut ids = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        translations
            .entry(Site::key(&p.doc))
            .or_default()
            .push((p.doc.lang.clone(), i));
        by_rel.insert(p.doc.rel.clone(), i);
        if p.doc.kind != Kind::Page {
            let key = (p.doc.kind, p.doc.id.clone());
            if p.doc.lang == config.default_language || !ids.contains_key(&key) {
                ids.insert(key, i);
            }
        }
    }
    let order: HashMap<&str, usize> = config
        .languages
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.as_str(), i))
        .collect();
    for versions in translations.values_mut() {
        versions.sort_by_key(|(l, _)| {
            (
                order.get(l.as_str()).copied().unwrap_or(usize::MAX),
                l.clone(),
            )
        });
    }
    let mut section_by_rel = HashMap::new();
    for (i, s) in sections.iter().enumerate() {
        if let Some(f) = &s.file {
            let rel = f
                .file
                .strip_prefix("content")
                .unwrap_or(&f.file)
                .to_string_lossy()
                .replace('\\', "/");
            section_by_rel.insert(rel, i);
        }
    }

    let tags = group_tags(&pages);

    let backlinks = resolve_references(&pages, &ids, &mut diagnostics);
    let site = Site {
        config: config.clone(),
        pages,
        sections,
        translations,
        tags,
        ids,
        backlinks,
        by_rel,
        section_by_rel,
        history: crate::history::History::default(),
        forge: None,
    };
    (site, diagnostics)
}

/// Checks every reference between typed documents and returns the reverse index.
fn resolve_references(
    pages: &[Page],
    ids: &BTreeMap<(Kind, String), usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut backlinks: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let known = |kind: Kind| -> Vec<&str> {
        ids.keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| id.as_str())
            .collect()
    };
    let cities = known(Kind::City);
    let case_studies = known(Kind::CaseStudy);
    let agreements = known(Kind::Agreement);
    for p in pages {
        let doc = &p.doc;
        let mut refs: Vec<(&str, Kind, &str, &[&str])> = doc
            .data
            .city_refs()
            .into_iter()
            .map(|(key, id)| (key, Kind::City, id, cities.as_slice()))
            .collect();
        if let Some(id) = doc.data.case_study_ref() {
            refs.push(("case_study", Kind::CaseStudy, id, case_studies.as_slice()));
        }
        if let Some(id) = doc.data.agreement_ref() {
            refs.push(("agreement", Kind::Agreement, id, agreements.as_slice()));
        }
        for (key, kind, id, candidates) in refs {
            match ids.get(&(kind, id.to_string())) {
                Some(target) => {
                    backlinks
                        .entry(Site::key(&pages[*target].doc))
                        .or_default()
                        .insert(Site::key(doc));
                }
                None => {
                    let hint = match nearest(id, candidates.iter().copied()) {
                        Some(best) => {
                            format!("the nearest existing {} id is `{best}`", kind.name())
                        }
                        None => format!("there is no {} yet; add one under content/", kind.name()),
                    };
                    diagnostics.push(
                        doc.diagnostic_at(
                            Diagnostic::error(
                                Code::UnknownReference,
                                format!("no {} has the id `{id}`", kind.name()),
                            ),
                            key,
                            Some(id),
                        )
                        .hint(hint),
                    );
                }
            }
        }
    }
    backlinks
}

/// Tags per language: tag → pages, newest first. Tags that make one URL ("Go", "go") are one tag, named
/// by the first of their spellings in sort order, and a page is listed once under it.
fn group_tags(pages: &[Page]) -> BTreeMap<String, BTreeMap<String, Vec<usize>>> {
    let mut by_slug: BTreeMap<(&str, String), (&str, Vec<usize>)> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        for tag in &p.doc.common.tags {
            let entry = by_slug
                .entry((p.doc.lang.as_str(), slugify(tag)))
                .or_insert((tag.as_str(), Vec::new()));
            entry.0 = entry.0.min(tag.as_str());
            if entry.1.last() != Some(&i) {
                entry.1.push(i);
            }
        }
    }
    let mut tags: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for ((lang, _), (name, mut list)) in by_slug {
        list.sort_by(|a, b| compare(&pages[*a].doc, &pages[*b].doc, SortBy::Date));
        tags.entry(lang.to_string())
            .or_default()
            .insert(name.to_string(), list);
    }
    tags
}

fn title_case(s: &str) -> String {
    let words: Vec<String> = s
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    words.join(" ")
}

/// Parses and links `files` (paths under content/ and their text); a parse problem fails the test.
#[cfg(test)]
pub(crate) fn link_for_test(config: &Config, files: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
    let files = files
        .iter()
        .map(|(rel, text)| crate::content::SourceFile::new(rel, text))
        .collect();
    let (parsed, d) = crate::content::parse_all(files, config, false);
    assert!(d.is_empty(), "{d:?}");
    link(parsed, config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Linker;

    fn build(files: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
        let config = Config::parse(
            "languages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\n",
        )
        .unwrap();
        link_for_test(&config, files)
    }

    #[test]
    fn urls_sections_and_translations() {
        let (site, d) = build(&[
            ("notes/b.md", "---\ntitle: B\ndate: 2020\n---\n"),
            ("notes/a.md", "---\ntitle: A\ndate: 2021\n---\n"),
            ("notes/a.my.md", "---\ntitle: A my\n---\n"),
        ]);
        assert!(d.is_empty());
        let paths: Vec<_> = site.pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["notes/a/", "my/notes/a/", "notes/b/"]);
        let notes = site.section("notes", "en").unwrap();
        let titles: Vec<_> = site.sections[notes]
            .pages
            .iter()
            .map(|i| site.pages[*i].doc.title())
            .collect();
        assert_eq!(titles, ["A", "B"]);
        assert_eq!(site.translations["notes/a"].len(), 2);
        assert!(site.section("", "my").is_some());
    }

    #[test]
    fn duplicate_urls_are_errors() {
        let (_, d) = build(&[
            ("a.md", "---\ntitle: A\n---\n"),
            ("b.md", "---\ntitle: B\nslug: a\n---\n"),
        ]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location().unwrap(), "content/b.md:3:1");
        assert!(d[0].message.contains("/a/"));
    }

    #[test]
    fn dangling_reference_names_the_nearest_id() {
        let (_, d) = build(&[
            (
                "cities/mandalay.md",
                "---\ntitle: Mandalay\ncountry: Myanmar\n---\n",
            ),
            (
                "agreements/x.md",
                "---\ntitle: X\ndate: 2014\ntype: mou\nparties: [mandaly]\n---\n",
            ),
        ]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "no city has the id `mandaly`");
        assert_eq!(d[0].location().unwrap(), "content/agreements/x.md:5:11");
        assert_eq!(
            d[0].hint.as_deref(),
            Some("the nearest existing city id is `mandalay`")
        );
    }

    #[test]
    fn links_to_sections_resolve() {
        use crate::markdown::Resolve;
        let (site, d) = build(&[
            ("notes/_index.md", "---\ntitle: Notes\n---\n"),
            ("notes/a.md", "---\ntitle: A\n---\n"),
        ]);
        assert!(d.is_empty());
        let linker = Linker {
            site: &site,
            lang: "my",
        };
        assert_eq!(linker.resolve("notes/_index.md").as_deref(), Some("notes/"));
        assert_eq!(linker.resolve("notes/a.md").as_deref(), Some("notes/a/"));
    }
}
