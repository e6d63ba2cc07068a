//! The contributors' workflow: last-updated dates from git, edit and translate links to the forge.

mod common;

use common::{kizuna, ok, write};
use std::path::Path;
use std::process::Command;

/// Runs git in `dir` with a fixed identity and commit date, and no user or system configuration.
fn git(dir: &Path, date: &str, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.org")
        .env("GIT_COMMITTER_NAME", "Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

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
