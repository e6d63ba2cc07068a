//! Splits a Markdown file into its YAML front matter and its body.

use crate::diagnostic::Diagnostic;

/// The two parts of a content file, with where each starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (empty when the file has none).
    pub yaml: &'a str,
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
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_line_offset: 0,
            body: text,
            body_offset: start,
        });
    }
    let yaml_start = start + first_line_end;
    let mut offset = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &source[yaml_start..offset],
                yaml_line_offset: 1,
                body: &source[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("front matter is never closed")
        .at(source, 1, 1)
        .spanning(3)
        .hint("add a line with `---` after the last front matter field"))
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
}
