//! Links from a body into the site: `.md` links rewritten to the URL of the page they name, other links and
//! images resolved to the site path they point to, for the broken-link check after rendering.

use super::{Input, Resolve};
use crate::diagnostic::{Code, Diagnostic};

/// A link from a body to a path of the site, to check once the site is rendered.
#[derive(Debug, Clone)]
pub struct SiteLink {
    /// The site path it points to (`programmes/x/`, `cities/pic.png`), without the fragment.
    pub path: String,
    /// The `#fragment`, if any.
    pub fragment: Option<String>,
    /// Whether the path itself is known to exist (a `.md` link the resolver found): only its fragment is
    /// left to check.
    pub resolved: bool,
    /// What it was written as.
    pub written: String,
    /// Whether it is an image.
    pub image: bool,
    /// A diagnostic at the link, to be given its message if the link is broken. It holds no snippet (a
    /// site's links would hold a copy of every line they are on): the broken-link check reads the file again.
    pub at: Diagnostic,
}

impl SiteLink {
    /// The diagnostic at the link, with its line from `source`, the text of its file read again.
    pub fn diagnostic(&self, source: Option<&str>) -> Diagnostic {
        let mut d = self.at.clone();
        if let (Some(text), Some(pos)) = (source, d.position) {
            d.snippet = text.lines().nth(pos.line - 1).map(str::to_string);
        }
        d
    }
}

/// The site path a link or image that is not a `.md` file points to, when it points into the site: a
/// root-relative one from the site's root, a relative one from the page's URL ([`Input::path`]), as a browser
/// resolves it.
pub(super) fn site_link(dest: &str, input: &Input, at: usize, image: bool) -> Option<SiteLink> {
    if dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with("//")
        || dest.contains(':')
        || dest.starts_with("{{")
    {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None;
    }
    let fragment = dest.split_once('#').map(|(_, f)| f.to_string());
    let joined = match path.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{}{path}", input.path),
    };
    let normal = normalize(&joined)?;
    let normal = if path.ends_with('/') && !normal.is_empty() {
        format!("{normal}/")
    } else {
        normal
    };
    let offset = input.body_offset + at;
    Some(SiteLink {
        path: percent_decode(&normal),
        fragment,
        resolved: false,
        written: dest.to_string(),
        image,
        at: Diagnostic::error(Code::BrokenLink, "")
            .in_file(input.file)
            .at_offset(input.source, offset)
            .without_snippet(),
    })
}

/// `%20` and the like decoded, as a server decodes a request path.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or("zz"), 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Rewrites a link to a `.md` file. `Ok(None)` leaves the link alone (external, anchor, other files).
pub(super) fn rewrite(
    dest: &str,
    from_rel: &str,
    resolver: &dyn Resolve,
) -> Result<Option<String>, String> {
    if dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with('#')
        || dest.starts_with("//")
    {
        return Ok(None);
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    if !path.ends_with(".md") {
        return Ok(None);
    }
    // Zola's internal links: `@/` is the content folder.
    let target = if let Some(abs) = path.strip_prefix("@/").or_else(|| path.strip_prefix('/')) {
        normalize(abs)
    } else {
        let dir = from_rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        normalize(&format!("{dir}/{path}"))
    };
    let Some(target) = target else {
        return Err("the link climbs above the content folder".into());
    };
    match resolver.resolve(&target) {
        Some(url) => Ok(Some(match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url,
        })),
        None => Err(format!(
            "there is no page `content/{target}`; links are relative to this file's folder"
        )),
    }
}

/// Resolves `.` and `..` segments; `None` when the path climbs above its root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}
