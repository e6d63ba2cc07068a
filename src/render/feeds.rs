//! Machine-readable outputs written without templates: Atom feeds, the sitemap and alias redirects.

use super::OutputFile;
use crate::markdown::escape;
use crate::site::Site;
use std::fmt::Write;

const FEED_ENTRIES: usize = 20;

/// An Atom feed for the site in each language and for every section.
pub fn feeds(site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for l in &site.config.languages {
        let mut pages: Vec<usize> = (0..site.pages.len())
            .filter(|i| site.pages[*i].doc.lang == l.code)
            .collect();
        pages.sort_by(|a, b| {
            crate::site::compare(
                &site.pages[*a].doc,
                &site.pages[*b].doc,
                crate::content::schema::SortBy::Date,
            )
        });
        let prefix = site.config.lang_prefix(&l.code);
        let path = format!(
            "{}atom.xml",
            if prefix.is_empty() {
                String::new()
            } else {
                format!("{}/", &prefix[1..])
            }
        );
        if let Some(feed) = atom(site, &site.config.title, &path, &pages) {
            out.push((path, feed.into_bytes()));
        }
    }
    for s in site.sections.iter().filter(|s| !s.dir.is_empty()) {
        let mut pages = s.pages.clone();
        pages.sort_by(|a, b| {
            crate::site::compare(
                &site.pages[*a].doc,
                &site.pages[*b].doc,
                crate::content::schema::SortBy::Date,
            )
        });
        let path = format!("{}atom.xml", s.path);
        let title = format!("{} – {}", s.title, site.config.title);
        if let Some(feed) = atom(site, &title, &path, &pages) {
            out.push((path, feed.into_bytes()));
        }
    }
    out
}

/// One Atom feed of the newest dated pages; `None` when no page has a date.
fn atom(site: &Site, title: &str, path: &str, pages: &[usize]) -> Option<String> {
    let dated: Vec<usize> = pages
        .iter()
        .copied()
        .filter(|i| site.pages[*i].doc.common.date.is_some())
        .take(FEED_ENTRIES)
        .collect();
    let newest = site.pages[*dated.first()?]
        .doc
        .common
        .date
        .as_ref()?
        .rfc3339();
    let mut x = String::with_capacity(4096);
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <link href=\"{}\" rel=\"self\"/>\n  <link href=\"{}\"/>\n  <id>{}</id>\n  <updated>{newest}</updated>\n  <generator>kizuna</generator>\n",
        escape(title),
        escape(&site.permalink(path)),
        escape(&site.config.base_url),
        escape(&site.permalink(path)),
    );
    for i in dated {
        let p = &site.pages[i];
        let d = &p.doc;
        let date = d
            .common
            .date
            .as_ref()
            .map(|x| x.rfc3339())
            .unwrap_or_default();
        let updated = site
            .last_updated(d)
            .map(|x| x.rfc3339())
            .unwrap_or_else(|| date.clone());
        let url = site.permalink(&p.path);
        let summary = d.common.description.clone().unwrap_or_default();
        let _ = write!(
            x,
            "  <entry xml:lang=\"{}\">\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <published>{date}</published>\n    <updated>{updated}</updated>\n    <summary>{}</summary>\n",
            escape(d.content_lang()),
            escape(d.title()),
            escape(&url),
            escape(&url),
            escape(&summary),
        );
        for t in &d.common.tags {
            let _ = writeln!(x, "    <category term=\"{}\"/>", escape(t));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    Some(x)
}

/// A URL, its last modification and its language alternates.
type SitemapEntry = (String, Option<String>, Vec<(String, String)>);

/// `sitemap.xml` with every page and section, the `extra` pages (each group: one page's path in every
/// language), and the language alternates of each.
pub fn sitemap(site: &Site, extra: &[Vec<(String, String)>]) -> String {
    let mut entries: Vec<SitemapEntry> = Vec::new();
    for p in &site.pages {
        let alts = site
            .translations
            .get(&Site::key(&p.doc))
            .filter(|v| v.len() > 1)
            .map(|v| {
                v.iter()
                    .map(|(l, j)| (l.clone(), site.permalink(&site.pages[*j].path)))
                    .collect()
            })
            .unwrap_or_default();
        let lastmod = site
            .last_updated(&p.doc)
            .or(p.doc.common.date.as_ref())
            .map(|d| d.iso());
        entries.push((site.permalink(&p.path), lastmod, alts));
    }
    for s in &site.sections {
        entries.push((site.permalink(&s.path), None, Vec::new()));
    }
    for group in extra {
        let alts: Vec<(String, String)> = if group.len() > 1 {
            group
                .iter()
                .map(|(l, p)| (l.clone(), site.permalink(p)))
                .collect()
        } else {
            Vec::new()
        };
        for (_, path) in group {
            entries.push((site.permalink(path), None, alts.clone()));
        }
    }
    // A page listed twice (a section the timeline replaces) keeps the entry with alternates.
    entries.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.len().cmp(&a.2.len())));
    entries.dedup_by(|later, first| later.0 == first.0);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for (loc, lastmod, alts) in entries {
        let _ = write!(x, "  <url>\n    <loc>{}</loc>\n", escape(&loc));
        if let Some(m) = lastmod {
            let _ = writeln!(x, "    <lastmod>{m}</lastmod>");
        }
        for (lang, href) in alts {
            let _ = writeln!(
                x,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(&lang),
                escape(&href)
            );
        }
        x.push_str("  </url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// A redirect page at every alias.
pub fn aliases(site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for p in &site.pages {
        for alias in &p.doc.common.aliases {
            let clean = alias.trim_matches('/');
            if clean.is_empty() {
                continue;
            }
            let file = if clean.ends_with(".html") {
                clean.to_string()
            } else {
                format!("{clean}/index.html")
            };
            let depth = file.matches('/').count();
            let target = format!("{}{}", "../".repeat(depth), site.href(&p.path));
            let t = escape(&target);
            let html = format!(
                "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><link rel=\"canonical\" href=\"{}\"><meta http-equiv=\"refresh\" content=\"0; url={t}\"></head><body><p><a href=\"{t}\">{}</a></p></body></html>\n",
                escape(p.doc.content_lang()),
                escape(p.doc.title()),
                escape(&site.permalink(&p.path)),
                escape(p.doc.title()),
            );
            out.push((file, html.into_bytes()));
        }
    }
    out
}
