//! Judged queries over the multilingual fixture corpus (tests/fixtures/search/*.json): mean
//! reciprocal rank through the Rust `query`, and the same queries through the JavaScript client
//! under node, which must return the same results.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use kizuna::search::{query_with_stats, write_index, QueryOptions, SearchDoc};

#[derive(serde::Deserialize, serde::Serialize, Clone)]
struct Judged {
    q: String,
    prefer_lang: Option<String>,
    lang: Option<String>,
    kind: Option<String>,
    city: Option<String>,
    field: Option<String>,
    #[serde(rename = "yearFrom")]
    year_from: Option<i32>,
    #[serde(rename = "yearTo")]
    year_to: Option<i32>,
    expect: Vec<String>,
}

fn years(j: &Judged) -> Option<(i32, i32)> {
    (j.year_from.is_some() || j.year_to.is_some()).then(|| {
        (
            j.year_from.unwrap_or(i32::MIN),
            j.year_to.unwrap_or(i32::MAX),
        )
    })
}

fn fixture_docs() -> Vec<SearchDoc> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|p| {
            serde_json::from_str::<Vec<SearchDoc>>(&std::fs::read_to_string(p).unwrap()).unwrap()
        })
        .collect()
}

fn judged() -> Vec<Judged> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search_judged.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn options(j: &Judged) -> QueryOptions {
    QueryOptions {
        lang: j.lang.clone(),
        kind: j.kind.clone(),
        city: j.city.clone(),
        field: j.field.clone(),
        limit: 10,
        prefer_lang: j.prefer_lang.clone(),
    }
}

/// The fixture's judged queries' mean reciprocal rank may not fall below this.
const MRR_FLOOR: f64 = 0.98;

#[test]
fn judged_queries_keep_their_mrr() {
    let dir = tempfile::tempdir().unwrap();
    let stats = write_index(fixture_docs(), dir.path(), false).unwrap();
    let judged = judged();
    assert!(judged.len() >= 40);
    let mut sum = 0.0;
    let mut bytes = 0u64;
    let mut failures = Vec::new();
    for j in &judged {
        let (_, hits, qs) = query_with_stats(dir.path(), &j.q, &options(j), years(j)).unwrap();
        bytes += qs.bytes;
        let rank = hits.iter().position(|h| j.expect.contains(&h.url));
        let rr = rank.map_or(0.0, |r| 1.0 / (r + 1) as f64);
        if rr < 1.0 {
            failures.push(format!(
                "  {:?} (prefer {:?}): rank {:?}, got {:?}",
                j.q,
                j.prefer_lang,
                rank.map(|r| r + 1),
                hits.iter()
                    .take(3)
                    .map(|h| h.url.as_str())
                    .collect::<Vec<_>>()
            ));
        }
        sum += rr;
    }
    let mrr = sum / judged.len() as f64;
    eprintln!(
        "search: {} docs, {} terms, {} shards, {} bytes; {} judged queries, MRR {mrr:.3}, \
         {} bytes read per query on average (cold cache)\n{}",
        stats.documents,
        stats.terms,
        stats.shards,
        stats.bytes,
        judged.len(),
        bytes / judged.len() as u64,
        failures.join("\n")
    );
    // Just under what the engine scores (0.991 on 55 queries): one query falling a rank fails this.
    assert!(mrr >= MRR_FLOOR, "MRR {mrr:.3} < {MRR_FLOOR}");
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct JsHit {
    url: String,
    title: String,
    lang: String,
    kind: String,
    excerpt: String,
}

#[derive(serde::Deserialize)]
struct JsAnswer {
    total: usize,
    results: Vec<JsHit>,
    bytes: u64,
    /// The index files the query fetched, relative to `search/`.
    files: Vec<String>,
}

#[test]
#[cfg_attr(
    not(feature = "node-tests"),
    ignore = "needs node: cargo test --features node-tests"
)]
fn js_client_ranks_like_the_rust_query() {
    js_client_matches_rust("native");
}

/// The same answers where a browser lacks `DecompressionStream` and inflate.js unpacks the files.
#[test]
#[cfg_attr(
    not(feature = "node-tests"),
    ignore = "needs node: cargo test --features node-tests"
)]
fn js_client_with_its_own_inflate_ranks_like_the_rust_query() {
    js_client_matches_rust("js");
}

fn js_client_matches_rust(inflate: &str) {
    let dir = tempfile::tempdir().unwrap();
    write_index(fixture_docs(), dir.path(), false).unwrap();
    let answers = js_answers(dir.path(), &judged(), inflate);
    let js_bytes: u64 = answers.iter().map(|a| a.bytes).sum();
    eprintln!(
        "js client ({inflate} inflate): {} queries in one session, {} bytes fetched in all (shards cached)",
        answers.len(),
        js_bytes
    );
}

/// Runs `queries` through the JavaScript client in one session over the index in `dir` and asserts
/// that each answer (total and results) is the Rust query's.
fn js_answers(dir: &Path, queries: &[Judged], inflate: &str) -> Vec<JsAnswer> {
    let node = common::node();
    let list = dir.join("queries.json");
    std::fs::write(&list, serde_json::to_string(queries).unwrap()).unwrap();
    let out = common::ok(
        Command::new(node)
            .env("KIZUNA_INFLATE", inflate)
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/search_query.mjs"
            ))
            .arg(dir)
            .arg(&list)
            .output()
            .unwrap(),
    );
    let answers: Vec<JsAnswer> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answers.len(), queries.len());
    for (j, a) in queries.iter().zip(&answers) {
        let (total, hits, _) = query_with_stats(dir, &j.q, &options(j), years(j)).unwrap();
        let rust: Vec<JsHit> = hits
            .into_iter()
            .map(|h| JsHit {
                url: h.url,
                title: h.title,
                lang: h.lang,
                kind: h.kind,
                excerpt: h.excerpt,
            })
            .collect();
        assert_eq!(a.total, total, "total of {:?}", j.q);
        assert_eq!(a.results, rust, "results of {:?}", j.q);
    }
    answers
}

/// A word in 240 of 250 documents (so its postings have their own file), at varying strength and in
/// its title in twelve, in four languages (Burmese holds only seven documents); it has completions, one
/// frequent enough for a postings file of its own and two that are inline, which are also in four of
/// the ten documents without the word.
fn frequent_word_docs() -> Vec<SearchDoc> {
    (0..250)
        .map(|i| SearchDoc {
            url: format!("/reports/{i}/"),
            title: if i % 20 == 0 && i < 240 {
                format!("Kitakyushu report {i}")
            } else {
                format!("Report {i}")
            },
            lang: match i {
                _ if i % 40 == 0 => "my",
                _ if i % 3 == 0 => "ja",
                _ if i % 3 == 1 => "vi",
                _ => "en",
            }
            .into(),
            kind: if i % 2 == 0 { "case_study" } else { "event" }.into(),
            description: String::new(),
            headings: Vec::new(),
            body: format!(
                "{}{}{}",
                if i < 240 { "kitakyushu " } else { "" }.repeat(1 + i % 5),
                [
                    "kitakyushuan ",
                    "",
                    "kitakyushuport ",
                    "",
                    "",
                    "",
                    "kitakyushucity "
                ][i % 7],
                format!("note{i} ").repeat(i % 7)
            ),
            cities: Vec::new(),
            fields: Vec::new(),
            year: None,
        })
        .collect()
}

/// A one-word query on a frequent word, without filters — typed in full, or still being typed and so
/// completed — is answered from the word's shard: no postings file fetched, and exactly the Rust
/// query's answer. With too few documents of the reader's language among the best, or a filter, the
/// postings file is read; the answers are the same either way.
#[test]
#[cfg_attr(
    not(feature = "node-tests"),
    ignore = "needs node: cargo test --features node-tests"
)]
fn js_client_answers_a_frequent_word_from_its_shard() {
    let dir = tempfile::tempdir().unwrap();
    write_index(frequent_word_docs(), dir.path(), false).unwrap();
    let q = |text: &str, prefer: Option<&str>, kind: Option<&str>| Judged {
        q: text.into(),
        prefer_lang: prefer.map(str::to_string),
        lang: None,
        kind: kind.map(str::to_string),
        city: None,
        field: None,
        year_from: None,
        year_to: None,
        expect: Vec::new(),
    };
    let postings = |a: &JsAnswer| a.files.iter().filter(|f| f.starts_with("p/")).count();
    // Each list runs in a session of its own (a fetched file stays cached within one).
    let early = js_answers(
        dir.path(),
        &[q("kitakyushu ", None, None), q("kitakyushu", None, None)],
        "native",
    );
    assert_eq!(early[0].total, 240);
    assert_eq!(early[1].total, 244);
    for a in &early {
        assert_eq!(a.results.len(), 10);
        assert_eq!(postings(a), 0, "{:?}", a.files);
    }
    // The first results' records come in one chunk beside the word's postings, not one request each: the
    // whole query is the manifest, the word's shard and that chunk.
    let kinds: Vec<&str> = early[0]
        .files
        .iter()
        .map(|f| f.split(['/', '.']).next().unwrap())
        .collect();
    assert_eq!(kinds, ["manifest", "s", "r"], "{:?}", early[0].files);
    // While the word is typed its rarer completions weigh no more than it does: the first results hold the
    // word itself ("Report 245", with only "kitakyushuan", came second when they outweighed it).
    for hit in &early[1].results {
        assert!(
            hit.excerpt.contains("<mark>kitakyushu</mark>"),
            "{hit:?} in {:?}",
            early[1].results
        );
    }
    let burmese = js_answers(dir.path(), &[q("kitakyushu", Some("my"), None)], "native");
    assert_eq!(postings(&burmese[0]), 1, "{:?}", burmese[0].files);
    assert_eq!(
        burmese[0].results.iter().filter(|h| h.lang == "my").count(),
        7
    );
    let rest = js_answers(
        dir.path(),
        &[
            q("kitakyushu ", Some("en"), None),
            q("kitakyushu", Some("en"), None),
            q("kitakyushu ", None, Some("event")),
            q("kitakyushuport", None, None),
        ],
        "native",
    );
    assert_eq!(rest[2].total, 120);
}

#[test]
fn index_is_byte_identical_across_runs() {
    let docs = fixture_docs();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut reversed = docs.clone();
    reversed.reverse();
    write_index(docs, a.path(), false).unwrap();
    write_index(reversed, b.path(), false).unwrap();
    let files = |d: &Path| {
        let mut v: Vec<(PathBuf, Vec<u8>)> = walk(&d.join("search"))
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(d).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert!(fa.len() > 10);
    assert!(fa == fb, "the index differs between runs");
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn terminal_output_lists_ranked_hits() {
    let dir = tempfile::tempdir().unwrap();
    write_index(fixture_docs(), dir.path(), false).unwrap();
    let opts = QueryOptions {
        lang: Some("en".into()),
        kind: Some("lesson".into()),
        ..Default::default()
    };
    let (total, hits) = kizuna::search::query(dir.path(), "takakura", &opts).unwrap();
    let text = kizuna::search::render_hits(total, &hits, false);
    assert!(text.starts_with("1 result\n"), "{text}");
    assert!(text.contains("Making compost at school with the Takakura method  [lesson · en]"));
    assert!(text.contains("«Takakura»"), "{text}");
}
