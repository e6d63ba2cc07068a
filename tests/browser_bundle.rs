//! `kizuna bundle` as a teacher uses it: the zip unpacked into a folder (a USB stick), its start page opened
//! from `file://`, the Burmese site reached from it, and a Burmese word searched there.
//!
//! Run with `cargo test --features browser-tests --test browser_bundle` (needs /usr/bin/chromium).
#![cfg(feature = "browser-tests")]

mod common;

use common::{kizuna, ok, Browser};
use std::collections::HashSet;

#[test]
fn the_unzipped_bundle_opens_and_searches_in_burmese_from_file_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("kizuna.zip");
    ok(kizuna(&[
        "bundle",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        zip_path.to_str().unwrap(),
    ]));
    let stick = tmp.path().join("stick");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut folded = HashSet::new();
    for i in 0..archive.len() {
        let name = archive.by_index(i).unwrap().name().unwrap().to_string();
        assert!(name.split('/').all(|part| part.len() <= 255), "{name}");
        assert!(
            folded.insert(name.to_lowercase()),
            "two names differ only in case: {name}"
        );
    }
    archive.extract(&stick).unwrap();
    assert!(stick.join("START.html").is_file());

    let start = format!("file://{}/START.html", stick.display());
    let mut b = Browser::open(&start, "START.html");
    b.cdp
        .wait_for("the start page", "location.href.endsWith('START.html') && document.readyState === 'complete' && !!document.querySelector('li[lang=my] a.home')");
    let burmese = b
        .cdp
        .eval("document.querySelector('li[lang=my] a.home').href");
    let burmese = burmese.as_str().unwrap().to_string();
    assert_eq!(
        burmese,
        format!("file://{}/site/my/index.html", stick.display())
    );
    // The reader clicks the link.
    b.cdp
        .eval("document.querySelector('li[lang=my] a.home').click()");
    b.cdp.wait_for(
        "the Burmese home page",
        "location.href.endsWith('/site/my/index.html') && document.readyState === 'complete'",
    );
    assert_eq!(b.cdp.eval("document.documentElement.lang"), "my");
    b.type_query("မန္တလေး");
    b.cdp.wait_for(
        "Burmese results from file://",
        "[...document.querySelectorAll('[role=listbox] [role=option] a')].some(a => a.href.startsWith('file://') && a.href.includes('/site/my/') && a.href.endsWith('index.html'))",
    );
}
