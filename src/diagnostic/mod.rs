//! Compiler-style diagnostics: every problem names its file, line and column, shows the source line and,
//! where we know one, a hint on how to fix it.

mod code;
pub mod report;

pub use code::Code;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The site would break: nothing is written.
    Error,
    /// Worth fixing; the build goes on.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A position in a source file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

/// One problem found while reading, checking or rendering the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem this is.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// The file, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// Where in the file.
    pub position: Option<Position>,
    /// The source line the position points into.
    pub snippet: Option<String>,
    /// How many columns to underline (at least one).
    pub span: usize,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error of kind `code` with a message and nothing else yet.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            position: None,
            snippet: None,
            span: 1,
            hint: None,
        }
    }

    /// A warning of kind `code` with a message and nothing else yet.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// The same problem as another kind (for errors whose kind is known only to the caller).
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    /// Names the file the problem is in.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at `line:column` of `source` (1-based) and keeps that line as the snippet.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        let line = line.max(1);
        self.position = Some(Position {
            line,
            column: column.max(1),
        });
        self.snippet = source.lines().nth(line - 1).map(str::to_string);
        self
    }

    /// Points at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_col(source, offset);
        self.at(source, line, column)
    }

    /// Drops the source line (kept by the caller to read again later: see `markdown::SiteLink`).
    pub fn without_snippet(mut self) -> Self {
        self.snippet = None;
        self
    }

    /// Underlines `len` characters from the position.
    pub fn spanning(mut self, len: usize) -> Self {
        self.span = len.max(1);
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The `file:line:column` location, or as much of it as is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match self.position {
            Some(p) => format!("{file}:{}:{}", p.line, p.column),
            None => file,
        })
    }
}

/// How many characters of a long source line a diagnostic shows.
const WINDOW: usize = 100;

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}[{}]: {}",
            self.severity.label(),
            self.code.name(),
            self.message
        )?;
        let gutter = self.position.map(|p| p.line.to_string().len()).unwrap_or(1);
        let pad = " ".repeat(gutter);
        if let Some(location) = self.location() {
            writeln!(f, "{pad}--> {location}")?;
        }
        if let (Some(pos), Some(snippet)) = (self.position, &self.snippet) {
            let chars: Vec<char> = snippet.replace('\t', "    ").chars().collect();
            let col = snippet
                .chars()
                .take(pos.column - 1)
                .map(|c| if c == '\t' { 4 } else { 1 })
                .sum::<usize>();
            // Long lines (Markdown paragraphs) are cut to a window around the column.
            let start = if chars.len() > WINDOW && col > WINDOW / 3 {
                (col - WINDOW / 3).min(chars.len().saturating_sub(WINDOW))
            } else {
                0
            };
            let end = (start + WINDOW).min(chars.len());
            let mut shown: String = chars[start..end].iter().collect();
            let mut indent = col - start;
            if start > 0 {
                shown.insert(0, '…');
                indent += 1;
            }
            if end < chars.len() {
                shown.push('…');
            }
            let span = self.span.min(end.saturating_sub(col).max(1));
            let mut marker = String::new();
            let _ = write!(marker, "{}{}", " ".repeat(indent), "^".repeat(span));
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {shown}", pos.line)?;
            writeln!(f, "{pad} | {marker}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Converts a byte offset into a 1-based line and column (in characters).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Sorts diagnostics by file and position so that reports are stable and easy to read.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.position, a.severity, &a.message)
            .cmp(&(&b.file, b.position, b.severity, &b.message))
    });
}

/// The closest candidate to `word` by edit distance, when it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(word, candidate);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The candidate nearest to `word`, however far it is (for "the nearest existing id is …").
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates.into_iter().max_by(|a, b| {
        strsim::jaro_winkler(word, a)
            .partial_cmp(&strsim::jaro_winkler(word, b))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| b.cmp(a))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let src = "---\ntitel: Hello\n---\n";
        let d = Diagnostic::error(Code::UnknownField, "unknown field `titel`")
            .in_file("content/a.md")
            .at(src, 2, 1)
            .spanning(5)
            .hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "error[unknown-field]: unknown field `titel`\n --> content/a.md:2:1\n  |\n2 | titel: Hello\n  | ^^^^^\n  = hint: did you mean `title`?\n"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        let src = "ab\nမြန်x";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        let x = src.find('x').unwrap();
        assert_eq!(line_col(src, x), (2, 5));
    }

    #[test]
    fn suggests_close_words_only() {
        let fields = ["title", "date", "tags"];
        assert_eq!(did_you_mean("titel", fields), Some("title"));
        assert_eq!(did_you_mean("zzzz", fields), None);
        assert_eq!(nearest("mandaly", ["dalian", "mandalay"]), Some("mandalay"));
    }
}
