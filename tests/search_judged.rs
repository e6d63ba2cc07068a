//! Judged queries over the multilingual fixture corpus (tests/fixtures/search/*.json): mean
//! reciprocal rank through the Rust `query`, and the same queries through the JavaScript client
//! under node, which must return the same results.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use kizuna::search::{query_with_stats, write_index, QueryOptions, SearchDoc};

#[derive(serde::Deserialize, Clone)]
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

#[test]
fn judged_queries_have_mrr_of_at_least_0_8() {
    let dir = tempfile::tempdir().unwrap();
    let stats = write_index(&fixture_docs(), dir.path()).unwrap();
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
    assert!(mrr >= 0.8, "MRR {mrr:.3} < 0.8");
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
    let node = common::node();
    let dir = tempfile::tempdir().unwrap();
    write_index(&fixture_docs(), dir.path()).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let out = common::ok(
        Command::new(node)
            .env("KIZUNA_INFLATE", inflate)
            .arg(format!("{root}/tests/search_query.mjs"))
            .arg(dir.path())
            .arg(format!("{root}/tests/search_judged.json"))
            .output()
            .unwrap(),
    );
    let answers: Vec<JsAnswer> = serde_json::from_slice(&out.stdout).unwrap();
    let judged = judged();
    assert_eq!(answers.len(), judged.len());
    let mut js_bytes = 0;
    for (j, a) in judged.iter().zip(&answers) {
        let (total, hits, _) = query_with_stats(dir.path(), &j.q, &options(j), years(j)).unwrap();
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
        js_bytes += a.bytes;
    }
    eprintln!(
        "js client ({inflate} inflate): {} queries in one session, {} bytes fetched in all (shards cached)",
        answers.len(),
        js_bytes
    );
}

#[test]
fn index_is_byte_identical_across_runs() {
    let docs = fixture_docs();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut reversed = docs.clone();
    reversed.reverse();
    write_index(&docs, a.path()).unwrap();
    write_index(&reversed, b.path()).unwrap();
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
    write_index(&fixture_docs(), dir.path()).unwrap();
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
