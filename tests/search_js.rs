//! Runs the JavaScript side of the shared analyser vectors with node.

use std::process::Command;

mod common;
use common::node;

#[test]
#[cfg_attr(
    not(feature = "node-tests"),
    ignore = "needs node: cargo test --features node-tests"
)]
fn js_analyser_matches_the_shared_vectors() {
    let node = node();
    let out = Command::new(node)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search_vectors.mjs"
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
