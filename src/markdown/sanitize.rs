//! Raw HTML written in Markdown bodies, made safe (ammonia): scripts, event handlers, `javascript:` and
//! `data:` URLs, frames, forms, embedded objects and inline styles go; tables, `<details>`, `<kbd>`,
//! `<sup>` and the other markup of text stay. [`removed`] names what a fragment loses, so that `check` can
//! show it at the author's line.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Elements kept, beyond which nothing an author writes survives.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed with everything inside them (the others lose only their tags).
const DROPPED_WITH_CONTENT: &[&str] = &["script", "style", "iframe", "object", "embed", "template"];

/// Attributes every kept element may have.
const GENERIC: &[&str] = &["class", "dir", "id", "lang", "title"];

/// Attributes particular elements may have.
const PER_TAG: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "aria-hidden", "tabindex"]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    ("input", &["type", "checked", "disabled"]),
    ("td", &["colspan", "rowspan", "style"]),
    ("th", &["colspan", "rowspan", "style", "scope"]),
    ("ol", &["start", "reversed"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("details", &["open"]),
    ("del", &["datetime"]),
    ("ins", &["datetime"]),
];

/// URL schemes a link or image may use; relative URLs are kept as they are.
const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

static POLICY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(TAGS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC.iter().copied().collect())
        .tag_attributes(
            PER_TAG
                .iter()
                .map(|(t, a)| (*t, a.iter().copied().collect::<HashSet<_>>()))
                .collect::<HashMap<_, _>>(),
        )
        .url_schemes(SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(|_, attr, value| {
            // Table cells keep their alignment (which Markdown tables write as a style), nothing else.
            if attr == "style" {
                return aligned(value).then(|| value.into());
            }
            Some(value.into())
        });
    b
});

/// Whether a style is nothing but a table cell's alignment.
fn aligned(style: &str) -> bool {
    matches!(
        style.trim().trim_end_matches(';').replace(' ', "").as_str(),
        "text-align:left" | "text-align:center" | "text-align:right"
    )
}

/// The HTML of a body, with what is not safe removed. Only bodies with raw HTML need it: the rest is
/// written by pulldown-cmark, which escapes text, and kizuna's own markup, which this policy keeps.
pub fn clean(html: &str) -> String {
    POLICY.clean(html).to_string()
}

/// What [`clean`] removes from a fragment of raw HTML, as the author wrote it (`<script>`, `onclick=`,
/// `javascript:` in `href`), with each one's byte offset in the fragment.
pub fn removed(fragment: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let bytes = fragment.as_bytes();
    let mut i = 0;
    while let Some(at) = fragment[i..].find('<').map(|p| p + i) {
        i = at + 1;
        if fragment[i..].starts_with("!--") {
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let name_len = fragment[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(fragment.len() - start);
        if name_len == 0 || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        let name = fragment[start..start + name_len].to_ascii_lowercase();
        let end = tag_end(fragment, start + name_len);
        if closing {
            i = end;
            continue;
        }
        if !TAGS.contains(&name.as_str()) {
            out.push((at, format!("<{name}>")));
            i = end;
            continue;
        }
        for (offset, attr, value) in attributes(fragment, start + name_len, end) {
            let allowed = GENERIC.contains(&attr.as_str())
                || PER_TAG
                    .iter()
                    .any(|(t, list)| *t == name && list.contains(&attr.as_str()));
            if !allowed || (attr == "style" && !aligned(&value)) {
                out.push((offset, format!("{attr}= on <{name}>")));
            } else if (attr == "href" || attr == "src") && !safe_url(&value) {
                let scheme = value
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                out.push((offset, format!("a {scheme}: URL in {attr}= on <{name}>")));
            }
        }
        i = end;
    }
    out
}

/// Whether a URL is relative or uses an allowed scheme (no `javascript:`, `data:`, …): for raw HTML's
/// `href`/`src` and for Markdown link and image destinations alike.
pub fn safe_url(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    match url.split_once(':') {
        Some((scheme, _))
            if !scheme.contains(['/', '?', '#'])
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
        }
        _ => true,
    }
}

/// The byte after the `>` that ends the tag whose attributes start at `from` (quotes respected).
fn tag_end(s: &str, from: usize) -> usize {
    let mut quote = None;
    for (i, c) in s[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return from + i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The attributes between `from` and `end`: (offset of the name, lower-case name, value).
fn attributes(s: &str, from: usize, end: usize) -> Vec<(usize, String, String)> {
    let inner = &s[from..end.saturating_sub(1).max(from)];
    let mut out = Vec::new();
    let b = inner.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() || b[i] == b'/' {
            i += 1;
            continue;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/' | b'>') {
            i += 1;
        }
        let name = inner[name_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v0 = i + 1;
                i = v0;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = inner[v0..i.min(b.len())].to_string();
                i += 1;
            } else {
                let v0 = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = inner[v0..i].to_string();
            }
        }
        if !name.is_empty() {
            out.push((from + name_start, name, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attacks_are_removed_and_text_markup_stays() {
        let html = "<p onclick=\"x()\">a<script>alert(1)</script><kbd>Ctrl</kbd><sup>2</sup></p>\
            <img src=\"x\" onerror=\"alert(1)\"><a href=\"javascript:alert(1)\">j</a>\
            <iframe src=\"https://e.org\"></iframe><form><input name=q></form>\
            <details><summary>More</summary><p style=\"color:red\">b</p></details>\
            <table><tr><td style=\"text-align: center\">c</td></tr></table>";
        let out = clean(html);
        for gone in [
            "onclick",
            "script",
            "alert",
            "onerror",
            "javascript",
            "iframe",
            "<form",
            "color:red",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in [
            "<kbd>Ctrl</kbd>",
            "<sup>2</sup>",
            "<details><summary>More</summary>",
            "text-align: center",
        ] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
    }

    #[test]
    fn kizunas_own_markup_is_kept() {
        let html = "<h2 id=\"x\">X<a class=\"anchor\" href=\"#x\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>\
            <pre class=\"hl-code\"><span class=\"hl-k\">fn</span></pre><a href=\"../../cities/mandalay/\">M</a>";
        assert_eq!(clean(html), html);
    }

    #[test]
    fn names_what_goes_where() {
        let f = "<div onclick=\"x()\" class=\"a\"><script>1</script><a href=\" JavaScript:x\">";
        let r = removed(f);
        let names: Vec<&str> = r.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "onclick= on <div>",
                "<script>",
                "a javascript: URL in href= on <a>"
            ]
        );
        assert_eq!(r[0].0, 5);
        assert_eq!(r[1].0, f.find("<script>").unwrap());
        assert!(removed("<kbd>x</kbd><td style=\"text-align:right\">").is_empty());
    }
}
