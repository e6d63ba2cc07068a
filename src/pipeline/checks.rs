//! Checks of the whole site that only the pipeline can make: links and images against every published path,
//! copied files against generated ones, and the one summary of Hugo shortcodes.

use super::*;

/// Links and images of bodies to places of the site where nothing is published — a page that does not
/// exist, a missing image — checked against every output path once the site is rendered.
pub(super) fn broken_site_links(
    site: &Site,
    bodies: &Bodies,
    paths: &[String],
    theme: &Theme,
    assets: &[Asset],
    level: crate::config::Level,
    root: &std::path::Path,
) -> Vec<Diagnostic> {
    let published: std::collections::HashSet<&str> = paths
        .iter()
        .map(String::as_str)
        .chain(theme.statics.keys().map(String::as_str))
        .chain(assets.iter().map(|a| a.rel.as_str()))
        .collect();
    let exists = |path: &str| {
        let path = path.trim_end_matches('/');
        published.contains(path)
            || published.contains(format!("{path}/index.html").as_str())
            || (path.is_empty() && published.contains("index.html"))
    };
    // The headings of each page, for links to a `#part` of it.
    let anchors: std::collections::HashMap<&str, std::collections::HashSet<&str>> = site
        .pages
        .iter()
        .zip(&bodies.pages)
        .map(|(p, b)| {
            (
                p.path.as_str(),
                b.toc.iter().map(|h| h.id.as_str()).collect(),
            )
        })
        .collect();
    let missing_anchor = |l: &crate::markdown::SiteLink| {
        let page = if l.path.ends_with('/') || l.path.is_empty() {
            l.path.clone()
        } else {
            format!("{}/", l.path)
        };
        match (&l.fragment, anchors.get(page.as_str())) {
            (Some(f), Some(ids)) => !f.is_empty() && !ids.contains(f.as_str()),
            _ => false,
        }
    };
    // The files broken links are in, each read once, for the lines the diagnostics show.
    let mut texts: std::collections::HashMap<&std::path::Path, Option<String>> =
        std::collections::HashMap::new();
    bodies
        .pages
        .iter()
        .chain(&bodies.sections)
        .flat_map(|b| &b.links)
        .filter(|l| (!l.resolved && !exists(&l.path)) || missing_anchor(l))
        .map(|l| {
            let text = l.at.file.as_deref().and_then(|f| {
                texts
                    .entry(f)
                    .or_insert_with(|| std::fs::read_to_string(root.join(f)).ok())
                    .as_deref()
            });
            let mut d = l.diagnostic(text);
            d.severity = match level {
                crate::config::Level::Error => diagnostic::Severity::Error,
                crate::config::Level::Warn => diagnostic::Severity::Warning,
            };
            if l.resolved || exists(&l.path) {
                let fragment = l.fragment.as_deref().unwrap_or_default();
                d.message = format!(
                    "broken link to `{}`: the page has no heading `#{fragment}`",
                    l.written
                );
                return d.hint("link to one of the page's headings: its id is the heading's text in lower case, words joined by `-`");
            }
            d.message = if l.image {
                d.code = Code::MissingImage;
                format!("image `{}` does not exist", l.written)
            } else {
                format!("broken link to `{}`", l.written)
            };
            d.hint(format!(
                "nothing is published at `/{}`; a link starting with `/` is from the site's root, any other from the page's own URL",
                l.path
            ))
        })
        .collect()
}

/// Errors for files copied as they are (the theme's and the site's static files, files beside the content)
/// whose output path a generated file also takes, or that take each other's.
pub(super) fn copied_over_generated(
    paths: &[String],
    theme: &Theme,
    assets: &[Asset],
) -> Vec<Diagnostic> {
    let mut origins: Vec<(String, String)> = theme
        .statics
        .keys()
        .map(|rel| (rel.clone(), format!("the static file `{rel}`")))
        .chain(
            assets
                .iter()
                .map(|a| (a.rel.clone(), a.path.display().to_string())),
        )
        .collect();
    let copied: std::collections::BTreeSet<&str> =
        origins.iter().map(|(p, _)| p.as_str()).collect();
    let generated: Vec<(String, String)> = paths
        .iter()
        .filter(|p| copied.contains(p.as_str()))
        .map(|p| (p.clone(), format!("the generated `{p}`")))
        .collect();
    origins.extend(generated);
    render::collisions(origins)
}

/// One warning for all the Hugo shortcodes of a site, counted by name, at the first page that has one.
pub(super) fn shortcode_summary(site: &Site) -> Option<Diagnostic> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut first = None;
    for p in &site.pages {
        let names = markdown::shortcodes(p.doc.body());
        if !names.is_empty() && first.is_none() {
            first = Some(p);
        }
        for n in names {
            *counts.entry(n).or_default() += 1;
        }
    }
    let first = first?;
    let total: usize = counts.values().sum();
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let list: Vec<String> = by_count.iter().map(|(n, c)| format!("{n} ×{c}")).collect();
    let at = first.doc.body_offset + first.doc.body().find("{{").unwrap_or(0);
    Some(
        Diagnostic::warning(Code::Shortcode, format!(
            "{total} Hugo shortcode(s) left as text, kizuna has none: {}",
            list.join(", ")
        ))
        .in_file(&first.doc.file)
        .at_offset(&first.doc.source, at)
        .hint("the first is here; replace them with Markdown (links, images) or HTML, or leave them to show as written"),
    )
}
