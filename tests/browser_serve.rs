//! Live reload in a real browser: Debian's headless Chromium opens a page served by `kizuna serve`, the test
//! edits the page's file, and the open tab shows the new text without anyone reloading it; a broken file shows
//! the error overlay, and fixing it takes the overlay away. Chromium is driven over the DevTools protocol
//! with a minimal WebSocket client on std's TcpStream (no Node.js, no extra crates).
//!
//! Run with `cargo test --features browser-tests --test browser_serve` (needs /usr/bin/chromium).
#![cfg(feature = "browser-tests")]

mod common;

use common::{write, Browser, Killed};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn serve(root: &Path) -> (Killed, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().expect("kizuna serve exited").unwrap();
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (Killed(child), port)
}

#[test]
fn an_open_tab_follows_edits_and_shows_errors() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "kizuna.yaml", "title: Browser test\n");
    write(
        r,
        "content/notes/a.md",
        "---\ntitle: Note A\n---\nOriginal words.\n",
    );
    let (_server, port) = serve(r);
    let mut browser = Browser::open(&format!("http://127.0.0.1:{port}/notes/a/"), "/notes/a/");
    let cdp = &mut browser.cdp;
    cdp.wait_for(
        "the original text",
        "document.body && document.body.innerText.includes('Original words.')",
    );
    // Mark the document: a reload by hand would not be noticed, a live reload replaces it.
    cdp.eval("window.__first_load = true");
    // Give the event stream a moment to connect, as a person would.
    cdp.wait_for(
        "the event stream",
        "!!(window.__kizunaServe && window.__kizunaServe.connected)",
    );

    write(
        r,
        "content/notes/a.md",
        "---\ntitle: Note A\n---\nEdited words.\n",
    );
    cdp.wait_for(
        "the edited text",
        "document.body && document.body.innerText.includes('Edited words.')",
    );
    assert_eq!(
        cdp.eval("window.__first_load === undefined"),
        serde_json::Value::Bool(true)
    );

    write(r, "content/notes/a.md", "---\ntitle: [\n---\nBroken.\n");
    cdp.wait_for(
        "the error overlay",
        "!!document.getElementById('kizuna-overlay') && document.getElementById('kizuna-overlay').innerText.includes('content/notes/a.md:')",
    );
    write(
        r,
        "content/notes/a.md",
        "---\ntitle: Note A\n---\nFixed words.\n",
    );
    cdp.wait_for(
        "the fixed page without the overlay",
        "document.body && document.body.innerText.includes('Fixed words.') && !document.getElementById('kizuna-overlay')",
    );
}
