//! The markdown stage: CommonMark with tables, footnotes, strikethrough and task lists into HTML, with heading
//! ids and a table of contents, highlighted code, and links to other `.md` files rewritten to page URLs.

mod highlight;
mod links;
pub mod sanitize;

pub use highlight::highlight;
pub use links::SiteLink;
use links::{rewrite, site_link};

use crate::diagnostic::{Code, Diagnostic};
use pulldown_cmark::{
    html, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// One heading, for the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Heading {
    /// Its level, 1–6.
    pub level: u8,
    /// Its anchor id, unique in the page.
    pub id: String,
    /// Its text.
    pub title: String,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// The body's headings.
    pub toc: Vec<Heading>,
    /// The text without markup, for search and summaries.
    pub text: String,
    /// Links and images to other places of the site that are not `.md` files (`/programmes/x/`,
    /// `../pic.png`), as site paths with their fragment, each with a diagnostic already pointing at it: the
    /// pipeline checks them once every output path is known.
    pub links: Vec<SiteLink>,
}

/// What the markdown stage needs to know about the page it renders.
pub struct Input<'a> {
    /// The whole file, for diagnostics.
    pub source: &'a str,
    /// Where the body starts in `source`.
    pub body_offset: usize,
    /// The file, as shown in diagnostics.
    pub file: &'a Path,
    /// The file's path relative to the content directory, to resolve relative links.
    pub rel: &'a str,
    /// Where the page is published (`cities/dalian/`), to resolve links that are not `.md` files.
    pub path: &'a str,
    /// Typographic quotes and dashes (`smart_punctuation` in kizuna.yaml).
    pub smart_punctuation: bool,
    /// What to do with raw HTML in the body.
    pub raw_html: RawHtml,
    /// Whether a broken link fails the build (`broken_links: error`, the default) or only warns.
    pub broken_links_fail: bool,
}

/// What the markdown stage does with raw HTML in bodies (`raw_html:` in kizuna.yaml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Sanitised: what could run code or change the page is removed, with a warning naming it.
    #[default]
    Safe,
    /// Published as written, for sites that trust every author.
    Trusted,
}

/// Resolves a content-relative `.md` path (`lessons/lesson-01.md`) to a site path (`lessons/lesson-01/`).
pub trait Resolve {
    /// The site path of the document at `rel`, or `None` when there is none.
    fn resolve(&self, rel: &str) -> Option<String>;
}

/// Renders a body; `root` is the relative path from the page to the site root (`../../`), put before every
/// rewritten link so that the site works from any base path and from `file://`.
pub fn render(input: &Input, resolver: &dyn Resolve, root: &str) -> (Rendered, Vec<Diagnostic>) {
    let body = &input.source[input.body_offset..];
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if input.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let mut diagnostics = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut toc = Vec::new();
    let mut text = String::new();
    let mut used_ids = HashSet::new();
    let mut links = Vec::new();
    let mut heading: Option<(usize, HeadingLevel, Option<String>)> = None;
    let mut code: Option<(String, String)> = None;
    let safe = input.raw_html == RawHtml::Safe;
    let mut raw = false;
    let mut html_block: Option<usize> = None;
    let report = |at: usize, what: &str, diagnostics: &mut Vec<Diagnostic>| {
        diagnostics.push(
            Diagnostic::warning(Code::RawHtmlRemoved, format!("raw HTML removed: {what}"))
                .in_file(input.file)
                .at_offset(input.source, input.body_offset + at)
                .hint("kizuna removes scripts, event handlers, inline styles, frames, forms and javascript:/data: URLs from page bodies; a site that trusts all its authors sets `raw_html: trusted` in kizuna.yaml"),
        );
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        if let Some((lang, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    text.push_str(buf);
                    text.push('\n');
                    events.push(Event::Html(CowStr::from(highlight(buf, lang))));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::HtmlBlock) => {
                raw = true;
                html_block = Some(range.start);
                events.push(event);
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let (true, Some(start)) = (safe, html_block.take()) {
                    for (at, what) in sanitize::removed(&body[start..range.end]) {
                        report(start + at, &what, &mut diagnostics);
                    }
                }
                events.push(event);
            }
            Event::InlineHtml(ref t) => {
                raw = true;
                if safe {
                    for (at, what) in sanitize::removed(t) {
                        report(range.start + at, &what, &mut diagnostics);
                    }
                }
                events.push(event);
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if safe && !sanitize::safe_url(&dest_url) => {
                report(range.start, "an image's unsafe URL", &mut diagnostics);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(""),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if safe && !sanitize::safe_url(&dest_url) => {
                let scheme = dest_url
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                report(range.start, &format!("a {scheme}: link"), &mut diagnostics);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from("#"),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                links.extend(site_link(dest_url, input, range.start, true));
                events.push(event);
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((events.len(), level, id.map(|i| i.to_string())));
                events.push(Event::Text(CowStr::from("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((at, _, explicit)) = heading.take() {
                    let inner = &events[at + 1..];
                    let title = plain(inner);
                    let base = explicit.unwrap_or_else(|| {
                        let s = crate::slug::slugify(&title);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    });
                    let mut id = base.clone();
                    let mut n = 1;
                    while !used_ids.insert(id.clone()) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    let lvl = level as u8;
                    events[at] =
                        Event::Html(CowStr::from(format!("<h{lvl} id=\"{}\">", escape(&id))));
                    events.push(Event::Html(CowStr::from(format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{lvl}>\n",
                        escape(&id)
                    ))));
                    text.push_str(&title);
                    text.push('\n');
                    toc.push(Heading {
                        level: lvl,
                        id,
                        title,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = match rewrite(&dest_url, input.rel, resolver) {
                    Ok(Some(path)) => {
                        if let Some((target, fragment)) = path.split_once('#') {
                            links.push(SiteLink {
                                path: target.to_string(),
                                fragment: Some(fragment.to_string()),
                                resolved: true,
                                written: dest_url.to_string(),
                                image: false,
                                at: Diagnostic::error(Code::BrokenLink, "")
                                    .in_file(input.file)
                                    .at_offset(input.source, input.body_offset + range.start)
                                    .without_snippet(),
                            });
                        }
                        CowStr::from(format!("{root}{path}"))
                    }
                    Ok(None) => {
                        links.extend(site_link(&dest_url, input, range.start, false));
                        dest_url
                    }
                    Err(why) => {
                        let offset = input.body_offset + range.start;
                        let span = input.source[offset..].find(')').map(|e| e + 1).unwrap_or(1);
                        let message = format!("broken link to `{dest_url}`");
                        diagnostics.push(
                            if input.broken_links_fail {
                                Diagnostic::error(Code::BrokenLink, message)
                            } else {
                                Diagnostic::warning(Code::BrokenLink, message)
                            }
                            .in_file(input.file)
                            .at_offset(input.source, offset)
                            .spanning(
                                input.source[offset..offset + span.min(body.len())]
                                    .chars()
                                    .count(),
                            )
                            .hint(why),
                        );
                        dest_url
                    }
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if heading.is_none() {
                    text.push_str(t);
                }
                events.push(event);
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_),
            ) => {
                text.push('\n');
                events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if raw && safe {
        out = sanitize::clean(&out);
    }
    (
        Rendered {
            html: out,
            toc,
            text,
            links,
        },
        diagnostics,
    )
}

/// Renders a short Markdown fragment from front matter (such as a lesson's teacher notes), without link
/// rewriting or heading ids.
pub fn fragment(text: &str) -> String {
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(
            text,
            Options::ENABLE_TABLES
                | Options::ENABLE_STRIKETHROUGH
                | Options::ENABLE_SMART_PUNCTUATION,
        ),
    );
    out
}

/// The names of the Hugo shortcodes (`{{< name … >}}`, `{{% name … %}}`) a body calls, closing tags
/// not counted. kizuna has no shortcodes: they stay in the page as text.
pub fn shortcodes(body: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("{{") {
        rest = &rest[at + 2..];
        let Some(inner) = rest.strip_prefix('<').or_else(|| rest.strip_prefix('%')) else {
            continue;
        };
        let inner = inner.trim_start();
        if inner.starts_with('/') {
            continue;
        }
        let len = inner
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '/'))
            .unwrap_or(inner.len());
        if len > 0 {
            names.push(&inner[..len]);
        }
    }
    names
}

/// The text of inline events.
fn plain(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    if !s
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Map;
    impl Resolve for Map {
        fn resolve(&self, rel: &str) -> Option<String> {
            (rel == "cities/mandalay.md").then(|| "cities/mandalay/".to_string())
        }
    }

    fn run(body: &str) -> (Rendered, Vec<Diagnostic>) {
        let source = format!("---\ntitle: x\n---\n{body}");
        let input = Input {
            source: &source,
            body_offset: 16,
            file: Path::new("content/lessons/a.md"),
            rel: "lessons/a.md",
            path: "lessons/a/",
            smart_punctuation: true,
            raw_html: RawHtml::Safe,
            broken_links_fail: true,
        };
        render(&input, &Map, "../../")
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let (r, _) = run("# Intro\n\n## Intro\n\n## ရေ သန့်\n");
        assert!(r.html.contains("<h1 id=\"intro\">Intro"));
        assert!(r.html.contains("<h2 id=\"intro-1\">"));
        assert_eq!(r.toc[2].id, "ရေ-သန့်");
    }

    #[test]
    fn md_links_become_relative_urls() {
        let (r, d) = run("See [Mandalay](../cities/mandalay.md#history).\n");
        assert!(d.is_empty());
        assert!(
            r.html.contains("href=\"../../cities/mandalay/#history\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn zola_internal_links_resolve_from_the_content_folder() {
        let (r, d) = run("See [it](@/cities/mandalay.md#history).\n");
        assert!(d.is_empty(), "{d:?}");
        assert!(
            r.html.contains("href=\"../../cities/mandalay/#history\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn hugo_shortcodes_are_found_by_name() {
        let body = "{{< figure src=\"a.png\" >}} and {{% note %}}x{{% /note %}} {{<ref \"b.md\">}} {{ .Title }}";
        assert_eq!(shortcodes(body), ["figure", "note", "ref"]);
    }

    #[test]
    fn broken_link_names_line_and_column() {
        let (_, d) = run("Text\n\nSee [it](../cities/nowhere.md) now.\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location().unwrap(), "content/lessons/a.md:6:5");
        assert_eq!(
            d[0].snippet.as_deref(),
            Some("See [it](../cities/nowhere.md) now.")
        );
    }

    #[test]
    fn extensions_render() {
        let (r, _) = run("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ \"quoted\"[^1]\n\n[^1]: note\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("“quoted”"));
        assert!(r.html.contains("footnote-definition"));
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let (r, _) = run("```rust\nfn main() {}\n```\n");
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(r.text.contains("fn main"));
    }
}
