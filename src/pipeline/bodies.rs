//! The markdown stage: pages' and sections' bodies rendered, links resolved for their language and depth.

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Rendered, Resolve};
use crate::render::Bodies;
use crate::site::{root_of, Linker, Site};
use rayon::prelude::*;

/// The markdown stage: every body, with links resolved for the page's language and depth.
/// With `sources` (each page's source and body offset, taken out of the site), each is dropped once rendered.
pub(super) fn render_bodies(
    site: &Site,
    sources: Option<Vec<(String, usize)>>,
) -> (Bodies, Vec<Diagnostic>) {
    let linker = |i: usize| Linker {
        site,
        lang: &site.pages[i].doc.lang,
    };
    let pages: Vec<(Rendered, Vec<Diagnostic>)> = match sources {
        Some(sources) => sources
            .into_par_iter()
            .enumerate()
            .map(|(i, (source, offset))| page_body_of(site, i, &source, offset, &linker(i)))
            .collect(),
        None => (0..site.pages.len())
            .into_par_iter()
            .map(|i| page_body(site, i, &linker(i)))
            .collect(),
    };
    let sections: Vec<(Rendered, Vec<Diagnostic>)> = (0..site.sections.len())
        .into_par_iter()
        .map(|i| {
            let s = &site.sections[i];
            section_body(
                site,
                i,
                &Linker {
                    site,
                    lang: &s.lang,
                },
            )
        })
        .collect();
    let mut diagnostics = Vec::new();
    let pages = pages
        .into_iter()
        .map(|(r, d)| {
            diagnostics.extend(d);
            r
        })
        .collect();
    let sections = sections
        .into_iter()
        .map(|(r, d)| {
            diagnostics.extend(d);
            r
        })
        .collect();
    (Bodies { pages, sections }, diagnostics)
}

/// The markdown stage for one page; `resolver` is normally a [`Linker`] for the page's language.
pub fn page_body(site: &Site, i: usize, resolver: &dyn Resolve) -> (Rendered, Vec<Diagnostic>) {
    let doc = &site.pages[i].doc;
    page_body_of(site, i, &doc.source, doc.body_offset, resolver)
}

/// [`page_body`] from a source held outside the site.
fn page_body_of(
    site: &Site,
    i: usize,
    source: &str,
    body_offset: usize,
    resolver: &dyn Resolve,
) -> (Rendered, Vec<Diagnostic>) {
    let p = &site.pages[i];
    let input = markdown::Input {
        source,
        body_offset,
        file: &p.doc.file,
        rel: &p.doc.rel,
        path: &p.path,
        smart_punctuation: site.config.smart_punctuation,
        raw_html: site.config.raw_html,
        broken_links_fail: site.config.broken_links == crate::config::Level::Error,
    };
    markdown::render(&input, resolver, &root_of(&p.path))
}

/// The markdown stage for one section's `_index.md` (empty when it has none).
pub fn section_body(site: &Site, i: usize, resolver: &dyn Resolve) -> (Rendered, Vec<Diagnostic>) {
    let s = &site.sections[i];
    match &s.file {
        Some(f) => {
            let rel = format!(
                "{}{}_index.md",
                s.dir,
                if s.dir.is_empty() { "" } else { "/" }
            );
            let input = markdown::Input {
                source: &f.source,
                body_offset: f.body_offset,
                file: &f.file,
                rel: &rel,
                path: &s.path,
                smart_punctuation: site.config.smart_punctuation,
                raw_html: site.config.raw_html,
                broken_links_fail: site.config.broken_links == crate::config::Level::Error,
            };
            markdown::render(&input, resolver, &root_of(&s.path))
        }
        None => (Rendered::default(), Vec::new()),
    }
}
