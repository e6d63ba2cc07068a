//! Citations: the `source` of an event and the `sources` of case studies, agreements and programmes, each with a
//! link to the document it names on the site's sources page (`content/sources.md`).
//!
//! A citation reads `KEY, where in it` (e.g. `IGES 2018, section 3.2 (4.1)`); its key is the text before the
//! first `,`, `;` or ` (`, and the sources page gives each document a heading whose id is the key's slug
//! (`## IGES 2018 {#iges-2018}`).

use super::Bodies;
use crate::content::schema::{Kind, KindData, Source};
use crate::diagnostic::{Code, Diagnostic};
use crate::site::Site;
use crate::slug::slugify;
use serde::Serialize;

/// The id (file name) of the sources page at the top of `content/`.
pub const SOURCES_PAGE: &str = "sources";

/// The document key a citation starts with.
pub fn key(citation: &str) -> &str {
    let end = [",", ";", " ("]
        .iter()
        .filter_map(|sep| citation.find(sep))
        .min()
        .unwrap_or(citation.len());
    citation[..end].trim()
}

/// The citations of page `i` as `[{text, href, document, url}]`, one per document (a citation naming several
/// documents is split at `; `); `href` points at the document's heading on the sources
/// page in the page's language (or the default one), at the page itself when it has no such heading, and is null
/// when the site has no sources page.
pub fn of_page(site: &Site, bodies: &Bodies, i: usize, root: &str) -> Vec<Citation> {
    let doc = &site.page(i).doc;
    let listed = |sources: &[Source]| -> Vec<(String, Option<String>)> {
        sources
            .iter()
            .map(|s| (s.title.clone(), s.url.clone()))
            .collect()
    };
    let entries = match &doc.data {
        KindData::Event(e) => e.source.iter().map(|s| (s.clone(), None)).collect(),
        KindData::CaseStudy(c) => listed(&c.sources),
        KindData::Agreement(a) => listed(&a.sources),
        KindData::Programme(p) => listed(&p.sources),
        _ => Vec::new(),
    };
    let page = sources_page(site, &doc.lang);
    entries
        .iter()
        .flat_map(|(text, url)| text.split("; ").map(move |part| (part.trim(), url)))
        .map(|(text, url)| {
            let anchor = slugify(key(text));
            let href = page.map(|j| {
                let base = format!("{root}{}", site.href(&site.page(j).path));
                if bodies.toc(site, j).iter().any(|h| h.id == anchor) {
                    format!("{base}#{anchor}")
                } else {
                    base
                }
            });
            Citation {
                text: text.to_string(),
                href,
                document: key(text).to_string(),
                url: url.clone(),
            }
        })
        .collect()
}

/// One citation as templates show it.
#[derive(Serialize)]
pub struct Citation {
    /// The citation as written.
    pub text: String,
    /// Its document's heading on the sources page.
    pub href: Option<String>,
    /// The document's key.
    pub document: String,
    /// The document's own URL, when the page gives one.
    pub url: Option<String>,
}

/// The sources page in `lang`, else in the default language: a lookup in the site's translations, since it
/// is asked for every page (a scan of every page for each made rendering quadratic).
fn sources_page(site: &Site, lang: &str) -> Option<usize> {
    site.in_lang(SOURCES_PAGE, lang)
        .filter(|i| site.page(*i).doc.kind == Kind::Page)
}

/// An error for every citation whose document has no heading on the sources page (when the site has one).
pub fn check(site: &Site, bodies: &Bodies) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        let Some(j) = sources_page(site, &p.doc.lang) else {
            return diagnostics;
        };
        let field = if matches!(p.doc.data, KindData::Event(_)) {
            "source"
        } else {
            "sources"
        };
        for c in of_page(site, bodies, i, "") {
            let document = c.document.as_str();
            let anchor = slugify(document);
            if !bodies.pages[j].toc.iter().any(|h| h.id == anchor) {
                let sources = site.pages[j].doc.rel.clone();
                diagnostics.push(
                    p.doc
                        .diagnostic_at(
                            Diagnostic::error(Code::UnknownCitation, format!(
                                "the citation names `{document}`, which is not a document on the sources page"
                            )),
                            field,
                            Some(document),
                        )
                        .hint(format!(
                            "start the citation with a document's key, or add a heading `## {document} {{#{anchor}}}` to content/{sources}"
                        )),
                );
            }
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn the_key_is_the_text_before_the_first_separator() {
        assert_eq!(key("IGES 2018, section 3.2 (4.1)"), "IGES 2018");
        assert_eq!(
            key("Kitakyushu Initiative overview (Timeframe, 2005)"),
            "Kitakyushu Initiative overview"
        );
        assert_eq!(key("IGES 2018; Mandalay waste session note"), "IGES 2018");
        assert_eq!(key("Iskandar project sheet"), "Iskandar project sheet");
    }
}
