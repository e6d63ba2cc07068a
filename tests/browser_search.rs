//! Search in a real browser, over HTTP and from `file://` (a copy of the site opened from disk): typing a
//! Burmese word into the search box of an English lesson finds the Burmese lesson, arrow keys and Enter open
//! it, the /search/ page lists results with facets from `?q=`, and `window.kizunaSearch` answers.
//!
//! Run with `cargo test --features browser-tests --test browser_search` (needs /usr/bin/chromium).
#![cfg(feature = "browser-tests")]

mod common;

use common::{kizuna, ok, static_server, Browser};

/// The bundled site built into a temporary folder; `portable` for a copy opened from `file://`.
fn build_bundled_site(portable: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let mut args = vec![
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        public.to_str().unwrap(),
    ];
    if portable {
        args.push("--portable");
    }
    ok(kizuna(&args));
    let twins = public.join("search/manifest.js").exists();
    assert_eq!(
        twins, portable,
        "the .js twins are written for portable builds only"
    );
    dir
}

fn check_site(base: &str) {
    let lesson = format!(
        "{base}lessons/lesson-01/{}",
        if base.starts_with("file:") {
            "index.html"
        } else {
            ""
        }
    );
    let mut b = Browser::open(&lesson, "lesson-01");
    // Every document records what its Content-Security-Policy blocks: the theme must work under it.
    b.run_on_every_document(common::RECORD_CSP);
    b.goto(&lesson);
    b.cdp.wait_for(
        "the lesson",
        "location.href.includes('lesson-01') && document.readyState === 'complete'",
    );
    assert_eq!(b.cdp.eval("document.documentElement.lang"), "en");
    // Until the reader reaches for the box, a page loads only the small search loader.
    assert_eq!(
        b.cdp.eval(
            "[...document.scripts].map(s => s.src.split('/').pop().split('?')[0]).filter(n => /search|engine|ui|inflate/.test(n)).join(' ')"
        ),
        "kizuna-search.js"
    );
    assert_eq!(
        b.cdp
            .eval("!!document.querySelector('link[href*=\"search.css\"]') || typeof kizunaSearchEngine !== 'undefined'"),
        false
    );

    // A Burmese word on an English page finds the Burmese lesson.
    b.type_query("မန္တလေး");
    b.cdp.wait_for(
        "results in the listbox",
        "[...document.querySelectorAll('[role=listbox] [role=option] a')].some(a => a.href.includes('/my/lessons/lesson-01/'))",
    );
    let titles = b.cdp.eval(
        "[...document.querySelectorAll('[role=listbox] [role=option]')].map(o => o.innerText)",
    );
    assert!(titles.as_array().is_some_and(|t| !t.is_empty()), "{titles}");
    // Every theme file the page and the loader asked for carries the theme's fingerprint, the same one.
    let versions = b.cdp.eval(
        "[...new Set([...document.scripts].map(s => s.src).concat([...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)).filter(u => /(search|engine|ui|style)[^/]*\\.(js|css)/.test(u)).map(u => (u.match(/\\?v=([0-9a-f]{10})$/) || ['', 'none'])[1]))]",
    );
    assert!(
        versions
            .as_array()
            .is_some_and(|v| v.len() == 1 && v[0] != "none"),
        "{versions}"
    );
    assert_eq!(
        b.cdp.eval("window.__csp"),
        serde_json::json!([]),
        "blocked by the CSP"
    );
    // The results stay inside the window (the box sits at its right edge).
    assert_eq!(
        b.cdp.eval(
            "document.querySelector('[role=listbox]').getBoundingClientRect().right <= document.documentElement.clientWidth"
        ),
        true
    );
    let first = b
        .cdp
        .eval("document.querySelector('[role=listbox] [role=option] a').href");
    b.cdp.press("ArrowDown", 40);
    assert_eq!(
        b.cdp
            .eval("document.querySelector('[role=option][aria-selected=true] a').href"),
        first
    );
    b.cdp.eval("window.__before_enter = true");
    b.cdp.press("Enter", 13);
    let first = first.as_str().unwrap().to_string();
    b.cdp.wait_for(
        "the first result's page",
        &format!(
            "!window.__before_enter && location.href.startsWith({:?})",
            first.trim_end_matches("index.html")
        ),
    );

    // The search page takes its query from the URL and shows facets.
    let search = format!(
        "{base}search/{}?q=compost",
        if base.starts_with("file:") {
            "index.html"
        } else {
            ""
        }
    );
    b.goto(&search);
    b.cdp.wait_for(
        "results on the search page",
        "[...document.querySelectorAll('#kizuna-search-page a')].some(a => a.href.includes('/lessons/lesson-04/'))",
    );
    let count = b
        .cdp
        .eval("document.querySelector('.kz-count').textContent");
    assert!(
        count
            .as_str()
            .is_some_and(|c| c.ends_with(" results") && c.starts_with(|d: char| d.is_ascii_digit())),
        "the count of results: {count}"
    );
    let facets = b
        .cdp
        .eval("document.querySelectorAll('#kizuna-search-page select').length");
    assert!(
        facets.as_u64().unwrap_or(0) >= 4,
        "kind, language, city and field filters: {facets}"
    );

    // Past the first fifty results, "Show more results" appends the next ones and moves focus there.
    b.goto(&search.replace("q=compost", "q=water"));
    b.cdp.wait_for(
        "the first page of results for water",
        "document.querySelectorAll('.kz-page-result').length === 50",
    );
    let total: usize = b
        .cdp
        .eval("document.querySelector('.kz-count').textContent")
        .as_str()
        .and_then(|c| c.split(' ').next()?.parse().ok())
        .unwrap_or(0);
    assert!(
        total > 50,
        "water should have more than 50 results: {total}"
    );
    b.cdp
        .eval("document.querySelector('.kz-more-results').click()");
    b.cdp.wait_for(
        "the next results",
        "document.querySelectorAll('.kz-page-result').length > 50",
    );
    let after = b.cdp.eval(
        "({ n: document.querySelectorAll('.kz-page-result').length, \
           hidden: document.querySelector('.kz-more-results').hidden, \
           focus: document.activeElement === document.querySelectorAll('.kz-page-result a')[50], \
           unique: new Set([...document.querySelectorAll('.kz-page-result a')].map(a => a.href)).size })",
    );
    assert_eq!(after["n"], total.min(100), "{after}");
    assert_eq!(after["unique"], total.min(100), "{after}");
    assert_eq!(after["hidden"], total <= 100, "{after}");
    assert_eq!(after["focus"], true, "{after}");

    // In another language the filters, their values and the result labels are in that language.
    b.goto(
        &search
            .replacen("search/", "ja/search/", 1)
            .replace("q=compost", "q=%E6%B0%B4"),
    );
    b.cdp.wait_for(
        "Japanese results on the search page",
        "document.querySelectorAll('.kz-page-result').length > 0",
    );
    let ja = b.cdp.eval(
        "({ labels: [...document.querySelectorAll('.kz-facet label')].map(l => l.textContent), \
           any: document.querySelector('#kz-facet-kind option').textContent, \
           cities: [...document.querySelectorAll('#kz-facet-city option')].map(o => o.textContent), \
           fields: [...document.querySelectorAll('#kz-facet-field option')].map(o => o.textContent), \
           meta: document.querySelector('.kz-result-meta').textContent, \
           count: document.querySelector('.kz-count').textContent, \
           clear: document.querySelector('.kz-clear').textContent })",
    );
    assert_eq!(
        ja["labels"],
        serde_json::json!(["種類", "言語", "都市", "協力分野", "開始年", "終了年"]),
        "{ja}"
    );
    assert_eq!(ja["any"], "すべて", "{ja}");
    assert_eq!(ja["clear"], "条件をクリア", "{ja}");
    let has = |list: &str, v: &str| {
        ja[list]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == v))
    };
    assert!(has("cities", "大連") && has("cities", "北九州市"), "{ja}");
    assert!(has("fields", "上水道") && !has("fields", "water"), "{ja}");
    assert_eq!(ja["meta"], "授業 · 日本語", "{ja}");
    assert!(
        ja["count"].as_str().is_some_and(|c| c.ends_with(" 件")),
        "{ja}"
    );

    // The API other pages and tests use.
    let api = b.cdp.eval_async("kizunaSearch('Takakura', { limit: 3 }).then(r => ({ total: r.total, first: r.results[0].url, kind: r.results[0].kind }))");
    assert!(api["total"].as_u64().unwrap_or(0) >= 2, "{api}");
    assert_eq!(api["first"], "/lessons/lesson-04/", "{api}");
    if base.starts_with("http") {
        // Index files are asked for with their own fingerprints, so a cache never mixes two builds.
        let urls = b.cdp.eval(
            "performance.getEntriesByType('resource').map(e => e.name).filter(n => /\\/search\\/(s|p|r|d|f)\\/|manifest/.test(n))",
        );
        let urls: Vec<&str> = urls
            .as_array()
            .map(|a| a.iter().filter_map(|u| u.as_str()).collect())
            .unwrap_or_default();
        assert!(urls.iter().any(|u| u.contains("/search/d/")), "{urls:?}");
        for u in &urls {
            let versioned = u
                .split_once("?v=")
                .is_some_and(|(_, v)| v.len() == 8 && v.bytes().all(|c| c.is_ascii_hexdigit()));
            assert_eq!(versioned, !u.contains("manifest"), "{u}");
        }
    }
    let khmer = b
        .cdp
        .eval_async("kizunaSearch('សំរាម', { lang: 'km' }).then(r => r.results.map(x => x.lang))");
    let langs = khmer.as_array().cloned().unwrap_or_default();
    assert!(
        !langs.is_empty() && langs.iter().all(|l| l == "km"),
        "{khmer}"
    );

    // A browser without DecompressionStream (Safari before 16.4) gets inflate.js on demand.
    b.goto(&lesson);
    b.cdp
        .wait_for("the lesson again", "document.readyState === 'complete'");
    let old = b.cdp.eval_async(
        "(delete window.DecompressionStream, kizunaSearch('Takakura', { limit: 1 })).then(r => [typeof kizunaInflate, r.results[0].url])",
    );
    assert_eq!(old, serde_json::json!(["function", "/lessons/lesson-04/"]));
    assert_eq!(
        b.cdp.eval("window.__csp"),
        serde_json::json!([]),
        "blocked by the CSP"
    );
}

#[test]
fn search_works_over_http() {
    let site = build_bundled_site(false);
    let port = static_server(site.path().join("public"));
    check_site(&format!("http://127.0.0.1:{port}/"));
}

#[test]
fn search_works_from_file_urls() {
    let site = build_bundled_site(true);
    check_site(&format!("file://{}/", site.path().join("public").display()));
}
