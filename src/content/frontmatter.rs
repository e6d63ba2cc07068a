//! Splits a Markdown file into its front matter — YAML between `---` lines, or TOML between `+++` lines as
//! Zola and Hugo write it — and its body.

use crate::diagnostic::{Code, Diagnostic};

/// The two parts of a content file, with where each starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The front matter between the fences (empty when the file has none).
    pub yaml: &'a str,
    /// Whether the front matter is TOML (`+++` fences) rather than YAML.
    pub toml: bool,
    /// How many lines of the file come before the YAML.
    pub yaml_line_offset: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Splits `source` at its front matter fences. A file without a leading `---` has no front matter.
pub fn split(source: &str) -> Result<Split<'_>, Diagnostic> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &source[start..];
    let first_line_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    let opening = text[..first_line_end].trim_end();
    let toml = opening == "+++";
    if opening != "---" && !toml {
        return Ok(Split {
            yaml: "",
            toml: false,
            yaml_line_offset: 0,
            body: text,
            body_offset: start,
        });
    }
    let yaml_start = start + first_line_end;
    let mut offset = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        let fence = line.trim_end();
        if (!toml && (fence == "---" || fence == "...")) || (toml && fence == "+++") {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &source[yaml_start..offset],
                toml,
                yaml_line_offset: 1,
                body: &source[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(Code::UnclosedFrontMatter, "front matter is never closed")
            .at(source, 1, 1)
            .spanning(3)
            .hint(format!(
                "add a line with `{opening}` after the last front matter field"
            )),
    )
}

impl Split<'_> {
    /// The front matter as YAML: itself, or the TOML front matter converted (a TOML syntax error points at
    /// its place in `source`, the whole file).
    pub fn as_yaml(&self, source: &str) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        if !self.toml {
            return Ok(std::borrow::Cow::Borrowed(self.yaml));
        }
        let value: toml::Table = toml::from_str(self.yaml).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            let start = self.yaml.as_ptr() as usize - source.as_ptr() as usize;
            Diagnostic::error(
                Code::InvalidSyntax,
                format!("invalid TOML front matter: {}", e.message()),
            )
            .at_offset(source, start + at)
            .hint("TOML front matter is `key = value` lines between `+++` fences")
        })?;
        let yaml = serde_yaml::to_string(&to_yaml(toml::Value::Table(value))).map_err(|e| {
            Diagnostic::error(
                Code::InvalidSyntax,
                format!("TOML front matter cannot be read: {e}"),
            )
        })?;
        Ok(std::borrow::Cow::Owned(yaml))
    }
}

/// A TOML value as YAML; dates and times become the text they are written as (`2019-01-01`).
fn to_yaml(v: toml::Value) -> serde_yaml::Value {
    use serde_yaml::Value as Y;
    match v {
        toml::Value::String(s) => Y::String(s),
        toml::Value::Integer(i) => Y::Number(i.into()),
        toml::Value::Float(f) => Y::Number(f.into()),
        toml::Value::Boolean(b) => Y::Bool(b),
        toml::Value::Datetime(d) => Y::String(d.to_string()),
        toml::Value::Array(a) => Y::Sequence(a.into_iter().map(to_yaml).collect()),
        toml::Value::Table(t) => Y::Mapping(
            t.into_iter()
                .map(|(k, v)| (Y::String(k), to_yaml(v)))
                .collect(),
        ),
    }
}

/// Finds where a top-level front matter `key` is written in `source`, and within its value (on the key's line
/// or the indented lines below it) where `value` is, so that diagnostics can point at it. Returns a byte offset
/// and a length in characters.
pub fn locate(source: &str, key: &str, value: Option<&str>) -> Option<(usize, usize)> {
    let mut offset = 0;
    let mut found: Option<usize> = None;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(start) = found {
            let top_level = !line.starts_with([' ', '\t', '-']) && !trimmed.is_empty();
            if top_level || trimmed == "---" {
                return Some((start, key.chars().count()));
            }
        } else if trimmed
            .strip_prefix(key)
            .is_some_and(|r| r.starts_with(':'))
        {
            found = Some(offset);
        }
        if let (Some(_), Some(v)) = (found, value) {
            if let Some(i) = find_token(line, v) {
                return Some((offset + i, v.chars().count().max(1)));
            }
        }
        offset += line.len();
    }
    found.map(|s| (s, key.chars().count()))
}

/// Finds `token` in `line` as a whole word (not part of a longer id).
fn find_token(line: &str, token: &str) -> Option<usize> {
    let is_id = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut from = 0;
    while let Some(i) = line[from..].find(token) {
        let start = from + i;
        let end = start + token.len();
        let before = line[..start].chars().next_back();
        let after = line[end..].chars().next();
        if !before.is_some_and(is_id) && !after.is_some_and(is_id) {
            return Some(start);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.yaml_line_offset, 1);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Just text\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "# Just text\n");
    }

    #[test]
    fn unterminated_is_an_error() {
        let e = split("---\ntitle: A\n\nbody").unwrap_err();
        assert_eq!(e.message, "front matter is never closed");
        assert_eq!(e.position.unwrap().line, 1);
    }

    #[test]
    fn crlf_and_bom_work() {
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn locates_keys_and_values() {
        let src = "---\ntitle: A\ncities: [dalian, kitakyushu]\nfields:\n  - waste\n  - air\n---\n";
        let (o, l) = locate(src, "cities", Some("kitakyushu")).unwrap();
        assert_eq!(&src[o..o + l], "kitakyushu");
        let (o, _) = locate(src, "fields", Some("air")).unwrap();
        assert_eq!(&src[o..o + 3], "air");
        let (o, l) = locate(src, "title", Some("nothing")).unwrap();
        assert_eq!(&src[o..o + l], "title");
        assert_eq!(locate(src, "date", None), None);
    }
}
