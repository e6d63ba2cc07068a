//! What the search index gets of the site, and the index written beside the rendered pages.

use crate::diagnostic::{Code, Diagnostic};
use crate::render::Bodies;
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// What the search index gets of every page: its text, and its facets for filtering. The label a page
/// shows above its title (its kind, and for lessons the series and number: "Ecology Note · Lesson 4"),
/// in the page's language from the theme's strings, counts as a heading, so that "lesson 4" or
/// "သင်ခန်းစာ" finds lessons.
pub fn search_documents(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
) -> Vec<crate::search::SearchDoc> {
    let texts = bodies
        .pages
        .iter()
        .map(|b| Cow::Borrowed(b.text.as_str()))
        .collect();
    documents(site, bodies, theme, texts)
}

/// [`search_documents`], taking the bodies' text: each page's text is freed as its document is made, so
/// that the site's text is not held twice (the peak of a large build).
pub(super) fn search_documents_taking(
    site: &Site,
    bodies: &mut Bodies,
    theme: &Theme,
) -> Vec<crate::search::SearchDoc> {
    let texts = bodies
        .pages
        .iter_mut()
        .map(|b| Cow::Owned(std::mem::take(&mut b.text)))
        .collect();
    documents(site, bodies, theme, texts)
}

fn documents(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
    texts: Vec<Cow<'_, str>>,
) -> Vec<crate::search::SearchDoc> {
    use crate::content::schema::KindData;
    let strings: BTreeMap<&str, crate::render::i18n::Strings> = site
        .config
        .languages
        .iter()
        .map(|l| {
            (
                l.code.as_str(),
                crate::render::i18n::Strings::new(&theme.strings, &l.code),
            )
        })
        .collect();
    site.pages
        .par_iter()
        .zip(bodies.pages.par_iter())
        .zip(texts.into_par_iter())
        .map(|((p, b), text)| {
            let d = &p.doc;
            let mut body = String::new();
            let mut extra = |s: &str| {
                body.push_str(s);
                body.push('\n');
            };
            match &d.data {
                KindData::Lesson(l) => {
                    l.objectives.iter().for_each(|o| extra(o));
                    l.steps.iter().for_each(|s| extra(&s.text));
                    l.questions.iter().for_each(|q| extra(&q.text));
                }
                KindData::Agreement(a) => a.summary.iter().for_each(|s| extra(s)),
                KindData::CaseStudy(c) => c
                    .outcomes
                    .iter()
                    .for_each(|o| extra(&format!("{}: {}", o.label, o.value))),
                _ => {}
            }
            body.push_str(&text);
            drop(text);
            // A city's names in other scripts find it, after its text so that excerpts start with prose.
            if let KindData::City(c) = &d.data {
                c.names.values().for_each(|n| {
                    body.push('\n');
                    body.push_str(n);
                });
            }
            let mut cities: Vec<String> = d
                .data
                .city_refs()
                .into_iter()
                .map(|(_, c)| c.to_string())
                .collect();
            if matches!(d.data, KindData::City(_)) {
                cities.push(d.id.clone());
            }
            cities.sort();
            cities.dedup();
            let mut headings = Vec::with_capacity(b.toc.len() + 1);
            if let Some(t) = strings.get(d.lang.as_str()) {
                let kind = t.label("kinds", d.kind.name()).unwrap_or_default();
                headings.push(match &d.data {
                    KindData::Lesson(l) => format!("{} {} {}", l.series, t.get("lesson"), l.number),
                    _ => kind.to_string(),
                });
            }
            headings.extend(b.toc.iter().map(|h| h.title.clone()));
            crate::search::SearchDoc {
                url: format!("/{}", p.path),
                title: d.title().to_string(),
                lang: d.content_lang().to_string(),
                kind: d.kind.name().to_string(),
                description: d.common.description.clone().unwrap_or_default(),
                headings,
                body,
                cities,
                fields: d.data.fields().iter().map(|f| f.id().to_string()).collect(),
                year: d.common.date.as_ref().map(|x| x.year),
            }
        })
        .collect()
}

/// Files written beside the rendered site that are not templates (the search index belongs here). `build`
/// calls it on the staging folder; `kizuna serve` calls it on a temporary folder after every rebuild and serves
/// what it finds there.
pub fn write_extras(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
    dir: &Path,
) -> Result<(), Diagnostic> {
    if site.config.search {
        write_search(
            search_documents(site, bodies, theme),
            site.config.portable,
            dir,
            &HashSet::new(),
        )?;
    }
    Ok(())
}

/// Writes the search index of `docs` into `dir` over the `kept` index files of an earlier build (see
/// [`crate::search::write_index_over`]), with the `.js` twins when the site is portable.
pub(super) fn write_search(
    docs: Vec<crate::search::SearchDoc>,
    portable: bool,
    dir: &Path,
    kept: &HashSet<String>,
) -> Result<(), Diagnostic> {
    crate::search::write_index_over(docs, dir, portable, kept)
        .map(|_| ())
        .map_err(|e| {
            Diagnostic::error(Code::Search, e.to_string()).hint("this is a bug in kizuna's search index; please report it with the content that caused it")
        })
}
