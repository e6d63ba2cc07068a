//! Client-side search: tantivy analyses the documents and computes BM25 statistics at build time;
//! the index is exported as compact binary shards under `out/search/`, which the dependency-free
//! JavaScript client (`themes/default/static/search/engine.js`) and [`query()`] read with
//! the same ranking.
//!
//! Layout of `out/search/` (every `.bin` is packed, zlib where that is smaller, see [`mod@format`], and
//! asked for with its own fingerprint in its URL; with `.js` twins calling
//! `window.kizunaSearchData(path, base64)` where the site is read from `file://`):
//! * `manifest.bin` — documents, facet values, language/kind ranges of document ids, shard bounds, the
//!   fingerprints of the files it names;
//! * `s/<n>.bin` — shards of the term dictionary by term range, postings inline for rare terms;
//! * `p/<n>.bin` — postings of frequent terms, fetched only when the term is queried; `r/<n>.bin` beside
//!   it, the records of the term's best documents;
//! * `d/<k>.bin` — title, URL and excerpt text of eight consecutive documents, fetched for results shown;
//! * `f/c<n>.bin`, `f/f<n>.bin`, `f/year.bin` — city, field and year facets, fetched when filtering.
//!
//! Ranking (identical in Rust and JS, integer arithmetic): every query term must match (if no
//! document matches all, the documents matching most terms are returned); a term's score is
//! weight × idf × impact, where impact is the weighted BM25 tf part over title (×3), headings
//! (×1.5), description (×1.5), body and facets, from tantivy's field norms and averages.
//! Alternatives of a term: the folded word (10), its exact diacritics (+4), completions of the
//! word being typed (6; the 5 most frequent, from ≥3 letters; frequent ones contribute only their
//! 32 best documents, so typing stays cheap), and when the word is unknown, words one edit away
//! (5; words of ≥5 letters; the edit must lie after a prefix narrow enough for ≤2 shards, in
//! practice the first one or two letters). Documents in the reader's language come first, then by
//! score, then by document number. Quoted phrases: among the first 3×limit matches, those whose
//! title or excerpt text holds the phrase come first (positions are not exported).

pub mod analyse;
pub mod export;
pub mod format;
pub mod index;
pub mod query;

pub use query::{query, query_with_stats, QueryStats};

/// One document as the core hands it to the search index.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SearchDoc {
    /// The page's site path from the root (`/lessons/lesson-02/`).
    pub url: String,
    /// The page's title.
    pub title: String,
    /// The language the page is written in.
    pub lang: String,
    /// The kind of document (`case_study`, `lesson`, …): a filter.
    pub kind: String,
    /// The front matter's description: searched, and the start of the excerpt.
    pub description: String,
    /// The body's headings: weighed above the body.
    pub headings: Vec<String>,
    /// Plain text.
    pub body: String,
    /// City ids the page is about: a filter.
    pub cities: Vec<String>,
    /// Fields of cooperation the page is about: a filter.
    pub fields: Vec<String>,
    /// The year the page is dated: the year filter.
    pub year: Option<i32>,
}

/// What [`write_index`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Documents indexed.
    pub documents: usize,
    /// Distinct terms in the dictionary.
    pub terms: usize,
    /// Bytes of the binary index files (the `.js` twins for `file://` not counted).
    pub bytes: u64,
    /// Dictionary shards (`s/N.bin`).
    pub shards: usize,
}

/// Options of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryOptions {
    /// Only pages in this language.
    pub lang: Option<String>,
    /// Only documents of this kind.
    pub kind: Option<String>,
    /// Only pages about this city (its id).
    pub city: Option<String>,
    /// Only pages in this field of cooperation.
    pub field: Option<String>,
    /// How many results to return.
    pub limit: usize,
    /// The reader's language: its results rank first.
    pub prefer_lang: Option<String>,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            lang: None,
            kind: None,
            city: None,
            field: None,
            limit: 10,
            prefer_lang: None,
        }
    }
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The page's site path.
    pub url: String,
    /// The page's title.
    pub title: String,
    /// The page's language.
    pub lang: String,
    /// The page's kind of document.
    pub kind: String,
    /// HTML: escaped text with matches in `<mark>`.
    pub excerpt: String,
    /// The ranking score (BM25 over quantised impacts, weighted by how each word matched).
    pub score: f32,
}

/// Errors of the search stage.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Tantivy failed while building the index.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// An index file could not be written.
    #[error("search index: cannot write {path}: {source}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An index file could not be read.
    #[error("search index: cannot read {path}: {source}")]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An index file is damaged or not an index file.
    #[error("search index: {path} is not a kizuna search index file ({reason})")]
    Corrupt {
        /// The file, from the index folder.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The index was written by a kizuna that writes another format.
    #[error("search index: written by another version of kizuna ({found}; this one reads {reads}); run `kizuna build` again")]
    Version {
        /// The format found.
        found: String,
        /// The format this kizuna reads.
        reads: String,
    },
}

/// Writes the client index under `out/search/` (next to the search client that the theme ships); with
/// `js_twins`, also the `.js` twins a portable site reads from `file://`.
pub fn write_index(
    docs: Vec<SearchDoc>,
    out: &std::path::Path,
    js_twins: bool,
) -> Result<IndexStats, SearchError> {
    write_index_over(docs, out, js_twins, &Default::default())
}

/// [`write_index`] over the index files of an earlier build, `kept` (paths from the site's root, see
/// [`is_index_file`]): files it makes again with the same bytes are left as they are, the others removed.
pub fn write_index_over(
    docs: Vec<SearchDoc>,
    out: &std::path::Path,
    js_twins: bool,
    kept: &std::collections::HashSet<String>,
) -> Result<IndexStats, SearchError> {
    let built = index::build(docs)?;
    let kept = kept
        .iter()
        .filter_map(|p| p.strip_prefix("search/"))
        .collect();
    export::write(&built, &out.join("search"), js_twins, &kept)
}

/// Whether `path` (from the site's root) is a file of the generated search index: `search/manifest.*` and
/// the files in the folders under `search/` (the client scripts beside them are theme files).
pub fn is_index_file(path: &str) -> bool {
    path.strip_prefix("search/")
        .is_some_and(|rest| rest.starts_with("manifest.") || rest.contains('/'))
}

/// The client index's files in memory, as paths from the site's root (`search/manifest.bin`, …), for a
/// server that holds the site in memory.
pub fn index_files(docs: Vec<SearchDoc>) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let built = index::build(docs)?;
    let (files, _) = export::files(&built, false);
    Ok(files
        .into_iter()
        .map(|(name, bytes)| (format!("search/{name}"), bytes))
        .collect())
}

/// Plain text of an HTML excerpt for the terminal: matches in bold (ANSI) or in «…».
pub fn excerpt_for_terminal(html: &str, ansi: bool) -> String {
    let (open, close) = if ansi {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    html.replace("<mark>", open)
        .replace("</mark>", close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// What `kizuna search` prints: the count, then per hit its rank, title, kind, language, URL and
/// excerpt.
pub fn render_hits(total: usize, hits: &[Hit], ansi: bool) -> String {
    let mut s = format!("{total} result{}\n", if total == 1 { "" } else { "s" });
    for (i, h) in hits.iter().enumerate() {
        s.push_str(&format!(
            "\n{:>2}. {}  [{} · {}]\n    {}\n    {}\n",
            i + 1,
            h.title,
            h.kind,
            h.lang,
            h.url,
            excerpt_for_terminal(&h.excerpt, ansi)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_corpus_writes_a_queryable_index() {
        let dir = std::env::temp_dir().join(format!("kizuna-search-empty-{}", std::process::id()));
        let stats = write_index(Vec::new(), &dir, true).unwrap();
        assert_eq!(stats.documents, 0);
        let (total, hits) = query(&dir, "water", &QueryOptions::default()).unwrap();
        assert_eq!((total, hits.len()), (0, 0));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
