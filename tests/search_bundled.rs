//! Judged queries over the bundled knowledge base, in English, Burmese, Japanese, Khmer, Vietnamese and
//! Indonesian: the mean reciprocal rank of the first relevant result may not fall below [`MRR_FLOOR`].

use kizuna::pipeline::{self, Options};
use kizuna::search::{self, QueryOptions};

#[derive(serde::Deserialize)]
struct Judged {
    q: String,
    prefer_lang: String,
    expect: Vec<String>,
    #[serde(default)]
    kind: Option<String>,
}

/// The bundled judged queries' mean reciprocal rank may not fall below this.
const MRR_FLOOR: f64 = 0.85;

#[test]
fn bundled_judged_queries_keep_their_mrr() {
    let g = pipeline::generate(&Options::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|d| panic!("{d:?}"));
    let docs = pipeline::search_documents(&g.site, &g.bodies, &g.theme);
    let dir = tempfile::tempdir().unwrap();
    search::write_index(docs.clone(), dir.path(), false).unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/search_bundled.json"
    ))
    .unwrap();
    let judged: Vec<Judged> = serde_json::from_str(&text).unwrap();
    assert!(judged.len() >= 40);
    let mut sum = 0.0;
    let mut report = String::new();
    for j in &judged {
        for url in &j.expect {
            assert!(
                docs.iter().any(|d| &d.url == url),
                "judged document {url} is not in the site"
            );
        }
        let opts = QueryOptions {
            kind: j.kind.clone(),
            prefer_lang: Some(j.prefer_lang.clone()),
            limit: 10,
            ..QueryOptions::default()
        };
        let (_, hits) = search::query(dir.path(), &j.q, &opts).unwrap();
        let rank = hits
            .iter()
            .position(|h| j.expect.contains(&h.url))
            .map(|i| i + 1);
        sum += rank.map(|r| 1.0 / r as f64).unwrap_or(0.0);
        let top = hits.first().map(|h| h.url.as_str()).unwrap_or("-");
        report.push_str(&format!(
            "{:>4} {:<40} top: {top}\n",
            rank.map(|r| r.to_string()).unwrap_or_else(|| "miss".into()),
            j.q
        ));
    }
    let mrr = sum / judged.len() as f64;
    eprintln!(
        "{report}{} judged queries over {} documents, MRR {mrr:.3}",
        judged.len(),
        docs.len()
    );
    // Just under what the engine scores on the bundled knowledge base (0.865 with 267 documents): a ranking
    // change that costs two queries a rank fails this.
    assert!(mrr >= MRR_FLOOR, "MRR {mrr:.3} < {MRR_FLOOR}\n{report}");
}
