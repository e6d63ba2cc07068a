//! Raw HTML in page bodies from strangers: the attacks a pull request could carry are not published, each
//! is named at its line, and a site that trusts its authors can opt out.

mod common;

use common::{kizuna, ok, read, write};

const ATTACKS: &str = "---\ntitle: Tricks\n---\nIntro with `code`.\n\n<script>alert('s')</script>\n\n<p onclick=\"alert('c')\">Click</p>\n\n<img src=\"x.png\" onerror=\"alert('e')\">\n\nA [link](javascript:alert('j')) and <a href=\"data:text/html,hi\">data</a>.\n\n<iframe src=\"https://example.org/\"></iframe>\n\n<form action=\"https://example.org/\"><input name=\"q\"></form>\n\n<p style=\"position:fixed\">Styled</p>\n\n<details><summary>More</summary>Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup>.</details>\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n";

fn site(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kizuna.yaml", config);
    write(dir.path(), "content/tricks.md", ATTACKS);
    dir
}

fn build(dir: &std::path::Path) -> std::process::Output {
    let out = dir.join("public");
    ok(kizuna(&[
        "build",
        "--root",
        dir.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]))
}

#[test]
fn attacks_in_a_body_are_not_published_and_each_is_named() {
    let s = site("title: T\n");
    let o = build(s.path());
    let page = read(&s.path().join("public"), "tricks/index.html");
    let body = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    for gone in [
        "<script",
        "alert(",
        "onclick",
        "onerror",
        "javascript:",
        "data:text",
        "<iframe",
        "<form",
        "position:fixed",
    ] {
        assert!(!body.contains(gone), "{gone} published:\n{body}");
    }
    for kept in [
        "<code>code</code>",
        "<details><summary>More</summary>",
        "<kbd>Ctrl</kbd>",
        "<sub>2</sub>",
        "<sup>2</sup>",
        "text-align: center",
        "Click",
        "Styled",
    ] {
        assert!(body.contains(kept), "{kept} lost:\n{body}");
    }
    let err = String::from_utf8_lossy(&o.stderr);
    for (what, line) in [
        ("<script>", 6),
        ("onclick= on <p>", 8),
        ("onerror= on <img>", 10),
        ("a javascript: link", 12),
        ("a data: URL in href= on <a>", 12),
        ("<iframe>", 14),
        ("<form>", 16),
        ("style= on <p>", 18),
    ] {
        assert!(
            err.contains(&format!("raw HTML removed: {what}"))
                && err.contains(&format!("content/tricks.md:{line}:")),
            "no warning for {what} at line {line}:\n{err}"
        );
    }
    // The page itself allows only its own scripts.
    assert!(
        page.contains("Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';")
    );
}

/// The page with every attack, opened in Chromium: nothing runs, nothing is blocked by the page's policy
/// (there is nothing left to block), and the markup that stays renders.
#[cfg(feature = "browser-tests")]
#[test]
fn attacks_do_not_run_in_a_browser() {
    let s = site("title: T\n");
    build(s.path());
    let port = common::static_server(s.path().join("public"));
    let url = format!("http://127.0.0.1:{port}/tricks/");
    let mut b = common::Browser::open(&url, "tricks");
    b.run_on_every_document(&format!(
        "window.__ran = []; window.alert = m => window.__ran.push(String(m)); {}",
        common::RECORD_CSP
    ));
    b.goto(&url);
    b.cdp
        .wait_for("the page", "document.readyState === 'complete'");
    b.cdp
        .eval("document.querySelector('main p') && document.querySelector('main p').click()");
    assert_eq!(
        b.cdp.eval("window.__ran"),
        serde_json::json!([]),
        "an attack ran"
    );
    assert_eq!(
        b.cdp.eval("window.__csp"),
        serde_json::json!([]),
        "blocked by the CSP"
    );
    assert_eq!(b.cdp.eval("document.querySelectorAll('main script, main iframe, main form, main [onclick], main [onerror]').length"), 0);
    assert_eq!(
        b.cdp.eval("document.querySelector('main kbd').textContent"),
        "Ctrl"
    );
}

#[test]
fn a_site_that_trusts_its_authors_keeps_raw_html() {
    let s = site("title: T\nraw_html: trusted\n");
    let o = build(s.path());
    let page = read(&s.path().join("public"), "tricks/index.html");
    assert!(
        page.contains("<p onclick=\"alert('c')\">Click</p>"),
        "{page}"
    );
    assert!(page.contains("<iframe src=\"https://example.org/\">"));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("raw HTML removed"));
}

#[test]
fn an_unknown_raw_html_setting_is_an_error() {
    let s = site("title: T\nraw_html: yes\n");
    let o = kizuna(&["check", "--root", s.path().to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("kizuna.yaml"));
}
