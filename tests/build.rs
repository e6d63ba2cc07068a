//! End-to-end builds of small sites: what a user gets in `public/`, byte-identical rebuilds, and a failed
//! build that leaves the previous output untouched.

mod common;

use common::{kizuna, ok, read, write};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "kizuna.yaml", "title: Test site\nbase_url: https://example.org/sub/\nlanguages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\npaginate_by: 2\n");
    write(
        r,
        "content/_index.md",
        "---\ntitle: Welcome\n---\nHello **world**. See [notes](notes/_index.md).\n",
    );
    write(
        r,
        "content/notes/_index.md",
        "---\ntitle: Notes\nsort_by: date\n---\n",
    );
    for (i, year) in [2001, 2003, 2002].iter().enumerate() {
        write(r, &format!("content/notes/n{i}.md"), &format!("---\ntitle: Note {i} <b>\ndate: {year}-05-0{}\ntags: [water, Waste Banks]\ndescription: About \"note\" {i}\n---\n## Part\n\nText with a [link](n0.md#part).\n\n```rust\nfn main() {{}}\n```\n", i + 1));
    }
    write(
        r,
        "content/notes/n0.my.md",
        "---\ntitle: မှတ်စု\ndate: 2001-05-01\n---\nမြန်မာ စာ\n",
    );
    write(
        r,
        "content/notes/draft.md",
        "---\ntitle: Draft\ndraft: true\n---\n",
    );
    write(r, "content/notes/pic.png", "not really a png");
    write(r, "static/extra.txt", "extra");
    dir
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    kizuna(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
}

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn builds_a_complete_site() {
    let s = site();
    let out = s.path().join("public");
    ok(build(s.path(), &out));
    let page = read(&out, "notes/n0/index.html");
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("Note 0 &lt;b&gt;"), "front matter is escaped");
    assert!(page.contains("<h2 id=\"part\">"));
    assert!(
        page.contains("href=\"../../notes/n0/#part\""),
        "md links are rewritten relative to the page"
    );
    assert!(page.contains("class=\"hl-"), "code is highlighted");
    assert!(page.contains("hreflang=\"my\" href=\"https://example.org/sub/my/notes/n0/\""));
    assert!(page.contains("hreflang=\"x-default\""));
    assert!(
        !page.contains("http://") && !page.contains("//cdn"),
        "nothing from other hosts"
    );
    let my = read(&out, "my/notes/n0/index.html");
    assert!(my.contains("<html lang=\"my\">"));
    // Pagination: 3 notes, 2 per page, newest first.
    let first = read(&out, "notes/index.html");
    let (a, b) = (first.find("Note 1").unwrap(), first.find("Note 2").unwrap());
    assert!(a < b, "sorted by date, newest first");
    assert!(!first.contains("Note 0"));
    assert!(read(&out, "notes/page/2/index.html").contains("Note 0"));
    assert!(!out.join("notes/draft").exists(), "drafts are left out");
    assert!(read(&out, "tags/waste-banks/index.html").contains("Note 2"));
    assert!(read(&out, "sitemap.xml").contains("<loc>https://example.org/sub/notes/n0/</loc>"));
    let feed = read(&out, "notes/atom.xml");
    assert!(
        feed.contains("<published>2003-05-02T00:00:00Z</published>"),
        "{feed}"
    );
    assert!(read(&out, "robots.txt").contains("Sitemap: https://example.org/sub/sitemap.xml"));
    assert!(
        read(&out, "404.html").contains("href=\"/sub/style.css?v="),
        "the 404 page works at any depth"
    );
    assert_eq!(read(&out, "extra.txt"), "extra");
    assert_eq!(read(&out, "notes/pic.png"), "not really a png");
    assert!(out.join("style.css").exists());
    let status = read(&out, "translations/index.html");
    assert!(
        status.contains("class=\"state-current\""),
        "n0 has a Burmese translation"
    );
    assert!(status.contains("class=\"state-missing\""), "n1 has none");
}

#[test]
fn drafts_flag_includes_drafts() {
    let s = site();
    let out = s.path().join("public");
    let o = kizuna(&[
        "build",
        "--drafts",
        "--root",
        s.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(out.join("notes/draft/index.html").exists());
}

#[test]
fn two_builds_are_byte_identical() {
    let s = site();
    let (a, b) = (s.path().join("a"), s.path().join("b"));
    assert!(build(s.path(), &a).status.success());
    assert!(build(s.path(), &b).status.success());
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 20);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(tb[k] == *v, "{} differs", k.display());
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let s = site();
    let out = s.path().join("public");
    assert!(build(s.path(), &out).status.success());
    let before = tree(&out);
    write(
        s.path(),
        "content/notes/n1.md",
        "---\ntitle: Broken\ndate: soon\n---\n",
    );
    let o = build(s.path(), &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("content/notes/n1.md:3:7"));
    assert_eq!(tree(&out), before);
    let siblings: Vec<_> = std::fs::read_dir(s.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && n != ".public.prev")
        .collect();
    assert!(
        siblings.is_empty(),
        "staging folders left behind: {siblings:?}"
    );
}

#[test]
fn rebuilds_over_the_kept_output_equal_a_fresh_build() {
    let s = site();
    let out = s.path().join("public");
    ok(build(s.path(), &out));
    // Each build goes over the output before last: pages appear, change and go, a page's folder becomes
    // a file's place, and the search index changes.
    let edits: [&[(&str, &str)]; 3] = [
        &[
            (
                "content/notes/n3.md",
                "---\ntitle: Three\ndate: 2004-01-01\ntags: [air]\n---\nHarbour cranes.\n",
            ),
            (
                "content/notes/n1.md",
                "---\ntitle: Note one, renamed\ndate: 2003-05-02\n---\nSea walls.\n",
            ),
        ],
        &[(
            "content/notes/n3.md",
            "---\ntitle: Three again\ndate: 2004-01-01\n---\nRiver.\n",
        )],
        &[(
            "content/notes/n2.md",
            "---\ntitle: Two\ndate: 2002-05-03\ntags: [water]\n---\nRain.\n",
        )],
    ];
    let mut removed = false;
    for edit in edits {
        for (rel, text) in edit {
            write(s.path(), rel, text);
        }
        if !removed {
            std::fs::remove_file(s.path().join("content/notes/n0.my.md")).unwrap();
            removed = true;
        }
        ok(build(s.path(), &out));
        let fresh = s.path().join("fresh");
        let _ = std::fs::remove_dir_all(&fresh);
        ok(build(s.path(), &fresh));
        let (t, f) = (tree(&out), tree(&fresh));
        assert_eq!(t.keys().collect::<Vec<_>>(), f.keys().collect::<Vec<_>>());
        for (k, v) in &f {
            assert!(t[k] == *v, "{} differs from a fresh build", k.display());
        }
        assert!(
            t.keys().any(|k| k.starts_with("search/s")),
            "the search index is there"
        );
    }
}

#[test]
fn portable_build_links_to_index_files() {
    let s = site();
    let out = s.path().join("public");
    let o = kizuna(&[
        "build",
        "--portable",
        "--root",
        s.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let page = read(&out, "notes/n0/index.html");
    assert!(
        page.contains("href=\"../../notes/n0/index.html#part\""),
        "{page}"
    );
    assert!(page.contains("href=\"../../style.css?v="));
}

#[test]
fn any_markdown_tree_builds_without_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/section-00/_index.md",
        "---\ntitle: \"Section 0\"\n---\n\nPages.\n",
    );
    write(dir.path(), "content/section-00/page-1.md", "---\ntitle: \"One\"\ndate: 2019-03-04\ntags: [air, water]\nlang: ja\n---\n\n# 見出し\n\n本文\n");
    let out = dir.path().join("public");
    ok(build(dir.path(), &out));
    assert!(read(&out, "section-00/page-1/index.html").contains("<html lang=\"ja\">"));
}

#[test]
fn refuses_to_overwrite_sources() {
    let s = site();
    let o = build(s.path(), &s.path().join("content"));
    assert_eq!(o.status.code(), Some(1));
    assert!(s.path().join("content/notes/n0.md").exists());
}

/// A tree like one made for Hugo: one configured language, pages whose `lang:` names others, sharing tags.
fn mixed_language_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "kizuna.yaml", "paginate_by: 2\n");
    for i in 0..12 {
        let lang = ["en", "ja", "vi", "my"][i % 4];
        write(
            r,
            &format!("content/s{}/p{i:02}.md", i % 3),
            &format!("---\ntitle: Page {i}\ndate: 2020-01-{:02}\ntags: [water, training]\nlang: {lang}\n---\nText {i}.\n", i + 1),
        );
    }
    dir
}

fn build_with_threads(root: &Path, out: &Path, threads: &str) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(["build", "--root", root.to_str().unwrap(), "--output"])
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    ok(o);
}

#[test]
fn builds_are_identical_whatever_the_thread_count_and_lose_no_list() {
    let s = mixed_language_tree();
    let (a, b) = (s.path().join("a"), s.path().join("b"));
    build_with_threads(s.path(), &a, "1");
    build_with_threads(s.path(), &b, "4");
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(tb[k] == *v, "{} differs", k.display());
    }
    // Pages in languages the site does not configure are published in its default language's lists:
    // all 12 pages across the 6 pages of the tag's list, none lost to another language's list on one path.
    let listed: usize = (1..=6)
        .map(|n| {
            let rel = if n == 1 {
                "tags/water/index.html".to_string()
            } else {
                format!("tags/water/page/{n}/index.html")
            };
            read(&a, &rel).matches("class=\"summary").count()
        })
        .sum();
    assert_eq!(listed, 12);
    assert!(!a.join("tags/water/page/7").exists());
    // Each page still declares the language its text is written in.
    assert!(read(&a, "s1/p01/index.html").contains("<html lang=\"ja\">"));
    assert!(read(&a, "tags/water/index.html").contains("lang=\"my\""));
}

#[test]
fn two_files_for_one_output_path_are_an_error() {
    let s = site();
    write(s.path(), "static/notes/index.html", "<p>mine</p>");
    let out = s.path().join("public");
    let o = build(s.path(), &out);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2 files would be written to `notes/index.html`"),
        "{err}"
    );
    assert!(err.contains("the static file `notes/index.html`"), "{err}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn menus_and_pagination_stay_small_as_a_site_grows() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "kizuna.yaml", "paginate_by: 1\nlanguages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\n");
    for s in 0..10 {
        write(
            r,
            &format!("content/s{s}/_index.md"),
            &format!("---\ntitle: Section {s}\nweight: {s}\n---\n"),
        );
    }
    for i in 0..30 {
        write(
            r,
            &format!("content/s0/p{i:02}.md"),
            &format!(
                "---\ntitle: P{i}\ndate: 2020-01-01\ntags: [{}]\n---\nText.\n",
                if i % 2 == 0 { "Go" } else { "go" }
            ),
        );
    }
    write(
        r,
        "content/cities/yangon.md",
        "---\ntitle: Yangon\ncountry: Myanmar\n---\nCity.\n",
    );
    let agreement = "date: 2014\ntype: mou\nparties: [yangon]\n---\n";
    write(
        r,
        "content/agreements/a.md",
        &format!("---\ntitle: A\n{agreement}Text.\n"),
    );
    write(
        r,
        "content/agreements/a.my.md",
        &format!("---\ntitle: သဘောတူညီချက် A\n{agreement}စာ\n"),
    );
    let out = r.join("public");
    ok(build(r, &out));
    // Twelve top sections: the menu lists the first eight by weight (the two typed sections have none, so
    // weight 0, and come first), then the home page, which lists all.
    let page = read(&out, "s0/p00/index.html");
    let menu = &page[page.find("site-nav").unwrap()..page.find("</nav>").unwrap()];
    assert_eq!(menu.matches("<li>").count(), 9, "{menu}");
    assert!(
        menu.contains(">Section 5<") && !menu.contains(">Section 6<"),
        "{menu}"
    );
    assert!(menu.contains(">All sections</a>"), "{menu}");
    // A section with no Burmese `_index` is named in Burmese by the theme's name for its kind.
    let my = read(&out, "my/agreements/a/index.html");
    let menu = &my[my.find("site-nav").unwrap()..my.find("</nav>").unwrap()];
    assert!(menu.contains("သဘောတူညီချက်များ"), "{menu}");
    // Page 15 of a 30-page list links to pages 1, 13–17 and 30, not to all thirty.
    let list = read(&out, "s0/page/15/index.html");
    let pages = &list[list.find("class=\"pages\"").unwrap()..];
    let pages = &pages[..pages.find("</ol>").unwrap()];
    let numbers: Vec<&str> = pages
        .split("<li>")
        .filter_map(|li| li.split('>').nth(1)?.split('<').next())
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(
        numbers,
        ["1", "13", "14", "15", "16", "17", "30"],
        "{pages}"
    );
    assert_eq!(pages.matches('…').count(), 2, "{pages}");
    // "Go" and "go" make one URL, so they are one tag listing all thirty pages.
    assert!(out.join("tags/go/page/30/index.html").exists());
    assert!(!out.join("tags/go/page/31").exists());
    assert!(read(&out, "tags/index.html").matches("/tags/go/").count() == 1);
}

#[test]
fn a_render_error_midway_leaves_previous_output_untouched() {
    let s = site();
    for i in 0..1200 {
        write(
            s.path(),
            &format!("content/many/p{i}.md"),
            &format!("---\ntitle: P{i}\n---\nText.\n"),
        );
    }
    let out = s.path().join("public");
    ok(build(s.path(), &out));
    let before = tree(&out);
    // Pages are rendered and written in batches; one page whose template fails must stop them all.
    write(
        s.path(),
        "content/many/p1100.md",
        "---\ntitle: Odd\n---\nText.\n",
    );
    write(s.path(), "templates/page.html", "{% extends \"base.html\" %}{% block content %}{% if page.title == \"Odd\" %}{{ missing.value }}{% endif %}{{ page.title }}{% endblock content %}");
    let o = build(s.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("missing"),
        "the template's error is reported: {err}"
    );
    assert_eq!(tree(&out), before);
    let leftovers = std::fs::read_dir(s.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(".public") && name != ".public.prev"
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn urls_that_differ_only_in_case_are_an_error() {
    // File names make lower-case URLs, as in Hugo and Zola: About.md and about.md claim one URL.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/About.md",
        "---\ntitle: About\n---\nOne.\n",
    );
    write(
        dir.path(),
        "content/about.md",
        "---\ntitle: about\n---\nTwo.\n",
    );
    let o = build(dir.path(), &dir.path().join("public"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("two pages would be written to `/about/`"),
        "{err}"
    );
    // A slug is kept as written, so two slugs can still differ only in case.
    write(
        dir.path(),
        "content/about.md",
        "---\ntitle: about\nslug: ABOUT\n---\nTwo.\n",
    );
    let o = build(dir.path(), &dir.path().join("public"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("differ only in case"), "{err}");
    assert!(
        err.contains("content/About.md (`about/index.html`)")
            && err.contains("content/about.md (`ABOUT/index.html`)"),
        "{err}"
    );
}

#[test]
fn links_and_images_to_nothing_are_reported_where_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "content/notes/_index.md", "---\ntitle: Notes\n---\n");
    write(r, "content/notes/pic.png", "png");
    write(r, "static/logo.svg", "<svg/>");
    write(r, "content/notes/a.md", "---\ntitle: A\n---\nGood: [notes](/notes/), [home](/), ![logo](/logo.svg), ![pic](../pic.png), [b](../b/#part).\n\nBad: [gone](/programmes/nowhere/) and ![missing](missing.png).\n\n[no part](b.md#nope), [nor here](../b/#gone).\n");
    write(r, "content/notes/b.md", "---\ntitle: B\n---\n## Part\n");
    let o = build(r, &r.join("public"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("error[broken-link]: broken link to `/programmes/nowhere/`\n --> content/notes/a.md:6:6"),
        "{err}"
    );
    assert!(
        err.contains(
            "error[missing-image]: image `missing.png` does not exist\n --> content/notes/a.md:6:"
        ),
        "{err}"
    );
    assert!(
        err.contains("nothing is published at `/notes/a/missing.png`"),
        "{err}"
    );
    assert!(err.contains("error[broken-link]: broken link to `b.md#nope`: the page has no heading `#nope`\n --> content/notes/a.md:8:1"), "{err}");
    assert!(
        err.contains(
            "error[broken-link]: broken link to `../b/#gone`: the page has no heading `#gone`"
        ),
        "{err}"
    );
    assert!(err.contains("4 error(s)"), "{err}");
}
