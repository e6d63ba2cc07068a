//! `kizuna diff OLD NEW`: what a change did to the published site — the pages added, changed and removed
//! between two builds, grouped by kind and language, as Markdown for a pull-request comment.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// How a file differs between the two builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Only in the new build.
    Added,
    /// In both, with other bytes.
    Changed,
    /// Only in the old build.
    Removed,
}

/// One HTML page that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageChange {
    /// Added, changed or removed.
    pub change: Change,
    /// The page's URL path, `/cities/dalian/`.
    pub url: String,
    /// The page's title (from the build that has it).
    pub title: String,
    /// `lesson`, `lesson (teacher copy)`, `list`, `redirect`…
    pub kind: String,
    /// The page's language.
    pub lang: String,
}

/// Everything that differs between two builds.
#[derive(Debug, Default)]
pub struct SiteDiff {
    /// Pages, in URL order.
    pub pages: Vec<PageChange>,
    /// Files that are not pages (search index, feeds, styles), by what they are: (added, changed, removed).
    pub other: BTreeMap<&'static str, [usize; 3]>,
    /// How many pages the new build has.
    pub total_pages: usize,
}

/// Compares the builds in `old` and `new`, byte for byte.
pub fn compare(old: &Path, new: &Path) -> Result<SiteDiff, String> {
    let old_files = list(old)?;
    let new_files = list(new)?;
    let all: BTreeSet<&String> = old_files.iter().chain(&new_files).collect();
    let changes: Vec<(&String, Change)> = all
        .into_par_iter()
        .filter_map(|rel| {
            let change = match (old_files.contains(rel), new_files.contains(rel)) {
                (false, true) => Change::Added,
                (true, false) => Change::Removed,
                _ if same(&old.join(rel), &new.join(rel)) => return None,
                _ => Change::Changed,
            };
            Some((rel, change))
        })
        .collect();
    let mut diff = SiteDiff {
        total_pages: new_files.iter().filter(|f| is_page(f)).count(),
        ..SiteDiff::default()
    };
    for (rel, change) in changes {
        if is_page(rel) {
            let dir = if change == Change::Removed { old } else { new };
            let html = std::fs::read(dir.join(rel)).unwrap_or_default();
            diff.pages
                .push(describe(rel, &String::from_utf8_lossy(&html), change));
        } else {
            diff.other.entry(family(rel)).or_default()[change as usize] += 1;
        }
    }
    diff.pages.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(diff)
}

/// Every file under `dir`, relative to it, with `/` separators.
fn list(dir: &Path) -> Result<BTreeSet<String>, String> {
    if !dir.is_dir() {
        return Err(format!(
            "{} is not a folder holding a built site",
            dir.display()
        ));
    }
    crate::output::list(dir)
        .map(|files| files.into_iter().collect())
        .map_err(|e| e.to_string())
}

fn same(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) if x.len() != y.len() => false,
        _ => std::fs::read(a).ok() == std::fs::read(b).ok(),
    }
}

fn is_page(rel: &str) -> bool {
    rel == "index.html" || rel.ends_with("/index.html")
}

/// What a file that is not a page is, for the summary.
fn family(rel: &str) -> &'static str {
    if rel.starts_with("search/") || rel.contains("/search/") {
        "search index"
    } else if rel.ends_with(".xml") {
        "feeds and sitemap"
    } else if rel.ends_with(".css") || rel.ends_with(".js") || rel.ends_with(".woff2") {
        "styles and scripts"
    } else if rel.ends_with(".json") {
        "data (JSON)"
    } else if rel.ends_with(".html") {
        "other HTML"
    } else {
        "other files"
    }
}

/// A page's URL, title, kind and language, from its HTML.
fn describe(rel: &str, html: &str, change: Change) -> PageChange {
    let url = format!("/{}", rel.trim_end_matches("index.html"));
    let between = |start: &str, end: &str| -> Option<String> {
        let i = html.find(start)? + start.len();
        let j = html[i..].find(end)?;
        Some(html[i..i + j].to_string())
    };
    let title = between("<title>", "</title>")
        .map(|t| unescape(t.split(" – ").next().unwrap_or(&t).trim()))
        .unwrap_or_else(|| url.clone());
    let lang = between("<html lang=\"", "\"").unwrap_or_default();
    let classes = between("<body class=\"", "\"").unwrap_or_default();
    let kind = if html.contains("http-equiv=\"refresh\"") {
        "redirect".to_string()
    } else if classes.contains("timeline-page") {
        "timeline".to_string()
    } else {
        match classes.split(' ').find_map(|c| c.strip_prefix("kind-")) {
            Some(k) if classes.split(' ').any(|c| c == "teacher") => {
                format!("{k} (teacher copy)")
            }
            Some(k) if classes.split(' ').any(|c| c == "print-all") => format!("{k} (print all)"),
            Some(k) => k.to_string(),
            None => "list".to_string(),
        }
    };
    PageChange {
        change,
        url,
        title,
        kind,
        lang,
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Markdown cells cannot hold `|` or new lines; links cannot hold `]`.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace(']', "\\]")
}

impl SiteDiff {
    /// Whether the two builds are the same.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty() && self.other.is_empty()
    }

    /// The summary as Markdown: a table by kind and language, then the pages (at most `limit` per change),
    /// linked under `base_url` when one is given.
    pub fn markdown(&self, limit: usize, base_url: Option<&str>) -> String {
        let mut out = String::new();
        let count = |c: Change| self.pages.iter().filter(|p| p.change == c).count();
        let (added, changed, removed) = (
            count(Change::Added),
            count(Change::Changed),
            count(Change::Removed),
        );
        let _ = writeln!(out, "### What this change does to the site\n");
        if self.is_empty() {
            out.push_str("The built site is the same, byte for byte.\n");
            return out;
        }
        let _ = writeln!(
            out,
            "**{added}** page(s) added, **{changed}** changed, **{removed}** removed (the new build has {} pages).\n",
            self.total_pages
        );
        if !self.pages.is_empty() {
            let mut groups: BTreeMap<(&str, &str), [usize; 3]> = BTreeMap::new();
            for p in &self.pages {
                groups.entry((&p.kind, &p.lang)).or_default()[p.change as usize] += 1;
            }
            out.push_str(
                "| kind | language | added | changed | removed |\n|---|---|--:|--:|--:|\n",
            );
            for ((kind, lang), [a, c, r]) in &groups {
                let _ = writeln!(out, "| {} | {} | {a} | {c} | {r} |", cell(kind), cell(lang));
            }
            out.push('\n');
        }
        for (change, label) in [
            (Change::Added, "Added"),
            (Change::Changed, "Changed"),
            (Change::Removed, "Removed"),
        ] {
            let pages: Vec<&PageChange> =
                self.pages.iter().filter(|p| p.change == change).collect();
            if pages.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "<details><summary>{label} pages ({})</summary>\n",
                pages.len()
            );
            for p in pages.iter().take(limit) {
                let link = match base_url {
                    Some(base) if change != Change::Removed => {
                        format!("[`{}`]({}{})", p.url, base.trim_end_matches('/'), p.url)
                    }
                    _ => format!("`{}`", p.url),
                };
                let _ = writeln!(
                    out,
                    "- {link} {} ({}, {})",
                    cell(&p.title),
                    cell(&p.kind),
                    cell(&p.lang)
                );
            }
            if pages.len() > limit {
                let _ = writeln!(out, "- … and {} more", pages.len() - limit);
            }
            out.push_str("\n</details>\n\n");
        }
        if !self.other.is_empty() {
            let parts: Vec<String> = self
                .other
                .iter()
                .map(|(family, [a, c, r])| format!("{family}: {a} added, {c} changed, {r} removed"))
                .collect();
            let _ = writeln!(out, "Other files — {}.", parts.join("; "));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_described_from_their_html() {
        let html = "<html lang=\"km\"><head><title>Water &amp; us – kizuna</title></head><body class=\"kind-lesson sheet teacher paper-a4\">";
        let p = describe(
            "km/lessons/lesson-01/teacher/index.html",
            html,
            Change::Changed,
        );
        assert_eq!(p.url, "/km/lessons/lesson-01/teacher/");
        assert_eq!(p.title, "Water & us");
        assert_eq!(p.kind, "lesson (teacher copy)");
        assert_eq!(p.lang, "km");
        let r = describe("old/index.html", "<html lang=\"en\"><head><meta http-equiv=\"refresh\" content=\"0; url=/new/\"><title>x</title>", Change::Added);
        assert_eq!(r.kind, "redirect");
    }
}
