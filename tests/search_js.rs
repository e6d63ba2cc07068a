//! Runs the JavaScript side of the shared analyser vectors with node.

use std::process::Command;

mod common;
use common::{node, ok};

#[test]
#[cfg_attr(
    not(feature = "node-tests"),
    ignore = "needs node: cargo test --features node-tests"
)]
fn js_analyser_matches_the_shared_vectors() {
    let node = node();
    ok(Command::new(node)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search_vectors.mjs"
        ))
        .output()
        .unwrap());
}
