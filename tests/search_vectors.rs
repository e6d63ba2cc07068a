//! The shared analyser test vectors (tests/search_vectors.json): text → index terms and query
//! groups. The JavaScript client must produce the same (tests/search_js.rs).
//! `KIZUNA_BLESS=1 cargo test --test search_vectors` rewrites the expectations from the Rust side.

use kizuna::search::analyse::{index_terms, query_groups};

#[derive(serde::Serialize, serde::Deserialize)]
struct Vector {
    text: String,
    lang: String,
    tokens: Vec<String>,
    query: Vec<Vec<String>>,
}

#[test]
fn rust_analyser_matches_the_shared_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search_vectors.json");
    let mut vectors: Vec<Vector> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    if std::env::var_os("KIZUNA_BLESS").is_some() {
        for v in &mut vectors {
            v.tokens = index_terms(&v.text);
            v.query = query_groups(&v.text);
        }
        let mut s = serde_json::to_string_pretty(&vectors).unwrap();
        s.push('\n');
        std::fs::write(path, s).unwrap();
        return;
    }
    assert!(vectors.len() >= 20);
    for v in &vectors {
        assert_eq!(
            index_terms(&v.text),
            v.tokens,
            "index terms of {:?}",
            v.text
        );
        assert_eq!(
            query_groups(&v.text),
            v.query,
            "query groups of {:?}",
            v.text
        );
    }
}
