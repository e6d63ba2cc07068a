//! The source check: finds every run of [`MIN_RUN`] or more words that a content file shares with one of the
//! source reports it was written from, so that the knowledge base stays in its own words.
//!
//! Both sides are normalised the same way (Unicode NFKC, lower case, punctuation as spaces, whitespace
//! collapsed). On the content side, text inside quotation marks ("…", “…”, «…», 「…」) is dropped, since an
//! official name may be quoted exactly, and a run never crosses a line or a quotation.

use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// The shortest shared run of words that counts as copied.
pub const MIN_RUN: usize = 10;

/// One source report, normalised to its words.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file the text came from.
    pub path: PathBuf,
    words: Vec<String>,
}

impl Source {
    /// A source from its text.
    pub fn new(path: impl Into<PathBuf>, text: &str) -> Self {
        Source {
            path: path.into(),
            words: words(text),
        }
    }
}

/// A run of words that a content line shares with a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// 1-based line of the content file.
    pub line: usize,
    /// How many words the run has.
    pub len: usize,
    /// The shared words, normalised and joined by single spaces.
    pub run: String,
    /// The source file that has the run.
    pub source: PathBuf,
}

/// Every `MIN_RUN`-word window of the sources, hashed to (source, position) of its first occurrence.
pub struct SourceIndex {
    sources: Vec<Source>,
    windows: HashMap<u64, (usize, usize)>,
}

impl SourceIndex {
    /// Indexes the given sources.
    pub fn new(sources: Vec<Source>) -> Self {
        let mut windows = HashMap::new();
        for (s, source) in sources.iter().enumerate() {
            for (i, window) in source.words.windows(MIN_RUN).enumerate() {
                windows.entry(hash(window)).or_insert((s, i));
            }
        }
        SourceIndex { sources, windows }
    }

    /// Reads every `.txt` and `.md` file directly in `dir` as a source.
    pub fn load(dir: &Path) -> Result<Self, Diagnostic> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Diagnostic::error(Code::Io, format!("cannot read the sources folder: {e}"))
                .in_file(dir)
                .hint("pass the folder holding the source reports as plain text (.txt or .md)")
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")))
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(Diagnostic::error(
                Code::Io,
                "the sources folder holds no .txt or .md files",
            )
            .in_file(dir)
            .hint("export each source report as plain text into this folder"));
        }
        let mut sources = Vec::with_capacity(paths.len());
        for path in paths {
            let bytes = std::fs::read(&path).map_err(|e| {
                Diagnostic::error(Code::Io, format!("cannot read the source: {e}")).in_file(&path)
            })?;
            let text = String::from_utf8_lossy(&bytes);
            sources.push(Source::new(path, &text));
        }
        Ok(SourceIndex::new(sources))
    }

    /// How many sources are indexed.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether no source is indexed.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Every maximal run of at least `MIN_RUN` words that a line of `text` shares with a source.
    pub fn overlaps(&self, text: &str) -> Vec<Overlap> {
        let mut found = Vec::new();
        for (n, line) in text.lines().enumerate() {
            for segment in unquoted(line) {
                let words = words(&segment);
                self.runs_in(&words, n + 1, &mut found);
            }
        }
        found
    }

    fn runs_in(&self, words: &[String], line: usize, found: &mut Vec<Overlap>) {
        if words.len() < MIN_RUN {
            return;
        }
        let hits: Vec<Option<(usize, usize)>> = words
            .windows(MIN_RUN)
            .map(|w| {
                self.windows
                    .get(&hash(w))
                    .copied()
                    .filter(|&(s, i)| self.sources[s].words[i..i + MIN_RUN] == *w)
            })
            .collect();
        let mut i = 0;
        while i < hits.len() {
            let Some((s, _)) = hits[i] else {
                i += 1;
                continue;
            };
            let start = i;
            while i + 1 < hits.len() && hits[i + 1].is_some() {
                i += 1;
            }
            let end = i + MIN_RUN;
            found.push(Overlap {
                line,
                len: end - start,
                run: words[start..end].join(" "),
                source: self.sources[s].path.clone(),
            });
            i += 1;
        }
    }

    /// The overlaps of one content file as error diagnostics; `file` is how the diagnostics name it.
    pub fn check(&self, file: &Path, text: &str) -> Vec<Diagnostic> {
        self.overlaps(text)
            .into_iter()
            .map(|o| {
                let source = o
                    .source
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let line = text.lines().nth(o.line - 1).unwrap_or_default();
                let (column, span) = locate(line, &o.run).unwrap_or((1, 1));
                Diagnostic::error(Code::CopiedText, format!(
                    "{} words copied from the source `{source}`: “{}”",
                    o.len, o.run
                ))
                .in_file(file)
                .at(text, o.line, column)
                .spanning(span)
                .hint("rewrite the sentence in your own words, or quote an official name exactly in \"…\"")
            })
            .collect()
    }
}

/// Where the normalised `run` starts in `line` and how many characters it spans (1-based column), when the
/// line's words, normalised one character at a time, contain it.
fn locate(line: &str, run: &str) -> Option<(usize, usize)> {
    // (first char, one past the last char, word) of every word of the line, in characters.
    let mut tokens: Vec<(usize, usize, String)> = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let chars: Vec<char> = line.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let mapped: String = std::iter::once(*c)
            .nfkc()
            .flat_map(char::to_lowercase)
            .collect();
        let is_word = !mapped.is_empty()
            && mapped
                .chars()
                .all(|m| m.is_alphanumeric() || unicode_normalization::char::is_combining_mark(m));
        match (&mut current, is_word) {
            (Some((_, w)), true) => w.push_str(&mapped),
            (None, true) => current = Some((i, mapped)),
            (Some(_), false) => {
                let (start, w) = current.take().expect("some");
                tokens.push((start, i, w));
            }
            (None, false) => {}
        }
    }
    if let Some((start, w)) = current {
        tokens.push((start, chars.len(), w));
    }
    let wanted: Vec<&str> = run.split(' ').collect();
    tokens
        .windows(wanted.len())
        .find(|w| w.iter().map(|t| t.2.as_str()).eq(wanted.iter().copied()))
        .map(|w| (w[0].0 + 1, w[w.len() - 1].1 - w[0].0))
}

/// Checks the site's content files against the sources in `sources`: every default-language file, and every
/// translation `NAME.LANG.md` whose default-language `NAME.md` exists. Files are named relative to `root`.
pub fn check_site(root: &Path, sources: &Path, languages: &[&str]) -> Vec<Diagnostic> {
    let index = match SourceIndex::load(sources) {
        Ok(i) => i,
        Err(d) => return vec![d],
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.retain(|p| match translation_of(p, languages) {
        Some(original) => original.is_file(),
        None => true,
    });
    let mut diagnostics = Vec::new();
    for path in files {
        let shown = path.strip_prefix(root).unwrap_or(&path);
        match std::fs::read(&path) {
            Ok(bytes) => diagnostics.extend(index.check(shown, &String::from_utf8_lossy(&bytes))),
            Err(e) => diagnostics
                .push(Diagnostic::error(Code::Io, format!("cannot read: {e}")).in_file(shown)),
        }
    }
    diagnostics
}

/// For `NAME.LANG.md` with `LANG` one of `languages`, the path of `NAME.md`.
fn translation_of(path: &Path, languages: &[&str]) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    let (name, lang) = stem.rsplit_once('.')?;
    languages
        .contains(&lang)
        .then(|| path.with_file_name(format!("{name}.md")))
}

/// The parts of a line outside quotation marks; an unclosed quotation runs to the end of the line.
fn unquoted(line: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut closing: Option<char> = None;
    for c in line.chars() {
        match closing {
            Some(close) if c == close => {
                closing = None;
                parts.push(String::new());
            }
            Some(_) => {}
            None => match c {
                '"' => closing = Some('"'),
                '“' => closing = Some('”'),
                '«' => closing = Some('»'),
                '「' => closing = Some('」'),
                _ => parts.last_mut().expect("never empty").push(c),
            },
        }
    }
    parts.retain(|p| !p.trim().is_empty());
    parts
}

/// Text as normalised words: NFKC, lower case, every character that is neither a letter, a digit nor a
/// combining mark taken as a space.
pub fn words(text: &str) -> Vec<String> {
    let normal: String = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    normal.split_whitespace().map(str::to_string).collect()
}

fn hash(words: &[String]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    words.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> SourceIndex {
        SourceIndex::new(vec![Source::new("s.txt", text)])
    }

    #[test]
    fn normalises_case_punctuation_and_width() {
        assert_eq!(
            words("Ｋitakyushu's  CITY—water!"),
            ["kitakyushu", "s", "city", "water"]
        );
    }

    #[test]
    fn quotations_are_dropped_and_split_the_line() {
        assert_eq!(
            unquoted(r#"a "b" c “d” e «f» g 「h」 i"#),
            ["a ", " c ", " e ", " g ", " i"]
        );
        assert_eq!(unquoted("a \"open to the end"), ["a "]);
    }

    #[test]
    fn a_run_is_located_in_its_line() {
        assert_eq!(locate("Ab, «Cd» EF-gh", "cd ef gh"), Some((6, 9)));
        assert_eq!(locate("nothing here", "cd ef"), None);
    }

    #[test]
    fn maximal_runs_are_reported_once() {
        let src = "one two three four five six seven eight nine ten eleven twelve";
        let idx = index(src);
        let found =
            idx.overlaps("x\nzero one two three four five six seven eight nine ten eleven end");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].len, 11);
        assert!(found[0].run.starts_with("one two"));
        assert!(idx
            .overlaps("two three four five six seven eight nine ten")
            .is_empty());
    }
}
