//! The contributors' workflow: last-updated dates from git, edit and translate links to the forge.

mod common;

use common::{git, kizuna, ok, write};
use std::path::Path;

fn page(title: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2020-01-01\n{extra}---\nText of {title}.\n")
}

/// A site in `dir/site/` (a subfolder of the repository) with three files over three commits.
fn history(dir: &Path) -> std::path::PathBuf {
    let site = dir.join("site");
    write(
        &site,
        "kizuna.yaml",
        "title: T\nbase_url: https://example.org/\nrepo_url: https://github.com/org/kb\n\
         languages:\n  - { code: en, name: English }\n  - { code: km, name: ខ្មែរ }\n",
    );
    write(&site, "content/notes/a.md", &page("A", ""));
    write(&site, "content/notes/b.md", &page("B", ""));
    git(
        dir,
        "2021-03-04T10:00:00+09:00",
        &["init", "-q", "-b", "main"],
    );
    git(dir, "2021-03-04T10:00:00+09:00", &["add", "."]);
    git(
        dir,
        "2021-03-04T10:00:00+09:00",
        &["commit", "-q", "-m", "one"],
    );
    write(&site, "content/notes/b.md", &page("B", "tags: [x]\n"));
    git(dir, "2022-06-30T23:30:00-02:00", &["commit", "-qam", "two"]);
    write(
        &site,
        "content/notes/c.md",
        &page("C", "updated: 2019-05\n"),
    );
    write(&site, "content/notes/a.km.md", &page("A km", ""));
    git(dir, "2023-01-15T08:00:00+00:00", &["add", "."]);
    git(
        dir,
        "2023-01-15T08:00:00+00:00",
        &["commit", "-q", "-m", "three"],
    );
    site
}

fn lastmod(sitemap: &str, url: &str) -> String {
    let at = sitemap
        .find(&format!("<loc>{url}</loc>"))
        .unwrap_or_else(|| panic!("{url} in {sitemap}"));
    let rest = &sitemap[at..];
    let end = rest.find("</url>").unwrap();
    let entry = &rest[..end];
    let start = entry
        .find("<lastmod>")
        .map(|i| i + 9)
        .unwrap_or_else(|| panic!("{entry}"));
    entry[start..start + entry[start..].find('<').unwrap()].to_string()
}

#[test]
fn last_updated_dates_come_from_each_files_last_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let site = history(tmp.path());
    let out = tmp.path().join("public");
    let built = ok(kizuna(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]));
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(!stderr.contains("git-history"), "{stderr}");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    // Commit one, in UTC; b's second commit at 23:30 −02:00 is already the next day in UTC; c's front
    // matter `updated` wins over its commit.
    assert_eq!(
        lastmod(&sitemap, "https://example.org/notes/a/"),
        "2021-03-04"
    );
    assert_eq!(
        lastmod(&sitemap, "https://example.org/notes/b/"),
        "2022-07-01"
    );
    assert_eq!(lastmod(&sitemap, "https://example.org/notes/c/"), "2019-05");
    assert_eq!(
        lastmod(&sitemap, "https://example.org/km/notes/a/"),
        "2023-01-15"
    );

    let a = std::fs::read_to_string(out.join("notes/a/index.html")).unwrap();
    assert!(
        a.contains("Last updated: <time datetime=\"2021-03-04\">"),
        "{a}"
    );
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        feed.contains("<updated>2022-07-01T01:30:00Z</updated>"),
        "{feed}"
    );

    // The forge links: the editor at the file's path in the repository (the site is in `site/`), and a new
    // Khmer file for the page that has none.
    assert!(
        a.contains("href=\"https://github.com/org/kb/edit/main/site/content/notes/a.md\""),
        "{a}"
    );
    let b = std::fs::read_to_string(out.join("notes/b/index.html")).unwrap();
    assert!(
        b.contains(
            "href=\"https://github.com/org/kb/new/main/site/content/notes?filename=b.km.md\""
        ),
        "{b}"
    );
    assert!(
        !a.contains("filename=a.km.md"),
        "a has a Khmer version: {a}"
    );
    assert!(b.contains("https://github.com/org/kb/blob/main/site/CONTRIBUTING.md#translate-a-page"));
}

#[test]
fn a_shallow_clone_says_so_once_and_uses_front_matter() {
    let tmp = tempfile::tempdir().unwrap();
    history(tmp.path());
    let clone = tmp.path().join("clone");
    let url = format!("file://{}", tmp.path().display());
    git(
        tmp.path(),
        "2023-01-15T08:00:00+00:00",
        &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()],
    );
    let out = kizuna(&["check", "--root", clone.join("site").to_str().unwrap()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("warning[git-history]").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
}

#[test]
fn outside_git_there_are_no_commit_dates_and_no_warning() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "content/a.md", &page("A", ""));
    let out = tmp.path().join("public");
    let built = ok(kizuna(&[
        "build",
        "--root",
        tmp.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]));
    assert!(!String::from_utf8_lossy(&built.stderr).contains("warning"));
    let a = std::fs::read_to_string(out.join("a/index.html")).unwrap();
    assert!(!a.contains("Last updated"), "{a}");
    assert!(!a.contains("/edit/"), "no repo_url, no edit link: {a}");
}

/// The pages (`…/index.html`) under `dir`, relative, with their bytes.
fn pages(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().unwrap() == "index.html" {
                let rel = p.parent().unwrap().strip_prefix(dir).unwrap();
                let url = format!("/{}/", rel.to_string_lossy()).replace("//", "/");
                out.insert(url, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The URLs `kizuna diff` lists under one `<details>` heading.
fn listed(markdown: &str, heading: &str) -> Vec<String> {
    let Some(at) = markdown.find(&format!("<summary>{heading} pages")) else {
        return Vec::new();
    };
    let block = &markdown[at..markdown[at..].find("</details>").unwrap() + at];
    block
        .lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .map(|l| l.split('`').next().unwrap().to_string())
        .collect()
}

#[test]
fn diff_lists_exactly_the_pages_that_differ() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write(
        &root,
        "kizuna.yaml",
        "title: T\nbase_url: https://example.org/\n",
    );
    write(
        &root,
        "content/notes/a.md",
        &page("Alpha", "tags: [water]\n"),
    );
    write(&root, "content/notes/b.md", &page("Beta", ""));
    write(&root, "content/notes/c.md", &page("Gamma", ""));
    write(&root, "content/other/d.md", &page("Delta", ""));
    let build = |out: &str| {
        ok(kizuna(&[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            tmp.path().join(out).to_str().unwrap(),
        ]));
    };
    build("old");
    write(
        &root,
        "content/notes/a.md",
        &page("Alpha renamed", "tags: [water]\n"),
    );
    std::fs::remove_file(root.join("content/notes/c.md")).unwrap();
    write(&root, "content/notes/e.md", &page("Epsilon", ""));
    build("new");

    let out = ok(kizuna(&[
        "diff",
        tmp.path().join("old").to_str().unwrap(),
        tmp.path().join("new").to_str().unwrap(),
        "--limit",
        "1000",
    ]));
    let md = String::from_utf8(out.stdout).unwrap();
    let (old, new) = (
        pages(&tmp.path().join("old")),
        pages(&tmp.path().join("new")),
    );
    let expect = |f: &dyn Fn(&String) -> bool| -> Vec<String> {
        let mut v: Vec<String> = old
            .keys()
            .chain(new.keys())
            .filter(|u| f(u))
            .cloned()
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let added = expect(&|u| !old.contains_key(u));
    let removed = expect(&|u| !new.contains_key(u));
    let changed = expect(&|u| matches!((old.get(u), new.get(u)), (Some(a), Some(b)) if a != b));
    assert_eq!(added, ["/notes/e/"]);
    assert_eq!(removed, ["/notes/c/"]);
    assert!(changed.contains(&"/notes/a/".to_string()), "{changed:?}");
    assert!(!changed.contains(&"/other/d/".to_string()), "{changed:?}");
    assert_eq!(listed(&md, "Added"), added, "{md}");
    assert_eq!(listed(&md, "Removed"), removed, "{md}");
    assert_eq!(listed(&md, "Changed"), changed, "{md}");
    assert!(
        md.contains("| note | en |") || md.contains("| page | en |"),
        "{md}"
    );

    let same = ok(kizuna(&[
        "diff",
        tmp.path().join("new").to_str().unwrap(),
        tmp.path().join("new").to_str().unwrap(),
    ]));
    assert!(String::from_utf8_lossy(&same.stdout).contains("the same, byte for byte"));
}
