//! `kizuna check --sources DIR`: runs of ten or more words shared with the source reports are errors.

mod common;

use common::{kizuna, write};
use std::path::Path;

const SOURCE: &str = "The city of Kitakyushu sent three engineers to Dalian in 1981 to teach pollution control \
                      methods to local officials, and the exchange later grew into a model city project.";

/// A site with one page whose body is `body`, and one source report holding [`SOURCE`].
fn site(body: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "content/a.md",
        &format!("---\ntitle: A\n---\n{body}"),
    );
    write(tmp.path(), "seeds/report.txt", SOURCE);
    tmp
}

fn check(tmp: &tempfile::TempDir) -> (Option<i32>, String) {
    let root = tmp.path().to_str().unwrap();
    let seeds = tmp.path().join("seeds");
    let out = kizuna(&[
        "check",
        "--root",
        root,
        "--sources",
        seeds.to_str().unwrap(),
    ]);
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_run_of_ten_words_is_an_error_at_its_line() {
    // Ten words of the source, with different case and punctuation, on the second line of the body.
    let tmp = site("Our own opening.\nIn short: THREE engineers to Dalian, in 1981, to teach pollution-control here.\n");
    let (code, stderr) = check(&tmp);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error[copied-text]: 10 words copied from the source `report.txt`: “three engineers to dalian in 1981 to teach pollution control”"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/a.md:5:11\n"), "{stderr}");
    // The underline covers the run, from `THREE` to `pollution-control`.
    assert!(
        stderr.contains(&format!(
            "  |           {}\n",
            "^".repeat("THREE engineers to Dalian, in 1981, to teach pollution-control".len())
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: rewrite the sentence in your own words"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("check found problems: 1 error(s), 0 warning(s)\n"),
        "{stderr}"
    );
}

#[test]
fn a_run_of_nine_words_passes() {
    let tmp = site("Kitakyushu had sent three engineers to Dalian in 1981 to teach others.\n");
    let (code, stderr) = check(&tmp);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn quoted_text_is_not_counted_and_breaks_a_run() {
    let tmp = site(
        "As the report puts it, \"three engineers to Dalian in 1981 to teach pollution control methods\".\n\
         Also “the exchange later grew into a model city project” and «sent three engineers to Dalian in 1981 to teach».\n\
         The city of Kitakyushu sent three engineers 「to Dalian」 in 1981 to teach pollution control methods.\n",
    );
    let (code, stderr) = check(&tmp);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn each_maximal_run_is_reported_once_with_its_length() {
    let tmp = site("Line one.\n\nWe note that the city of Kitakyushu sent three engineers to Dalian in 1981 to teach pollution control methods.\n");
    let (code, stderr) = check(&tmp);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert!(
        stderr.contains("error[copied-text]: 16 words copied"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/a.md:6:14\n"), "{stderr}");
}

#[test]
fn a_translation_is_checked_only_when_its_original_exists() {
    let tmp = site("Our own words.\n");
    let copied = "---\ntitle: B\n---\nthree engineers to Dalian in 1981 to teach pollution control methods\n";
    write(tmp.path(), "kizuna.yaml", "title: T\nlanguages:\n  - { code: en, name: English }\n  - { code: vi, name: Tiếng Việt }\n");
    write(tmp.path(), "content/a.vi.md", copied);
    write(tmp.path(), "content/solo.vi.md", copied);
    let (code, stderr) = check(&tmp);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("--> content/a.vi.md:4:1\n"), "{stderr}");
    assert!(!stderr.contains("solo.vi.md"), "{stderr}");
}

#[test]
fn a_missing_sources_folder_is_a_clear_error() {
    let tmp = site("Our own words.\n");
    let root = tmp.path().to_str().unwrap();
    let missing = tmp.path().join("nowhere");
    let out = kizuna(&[
        "check",
        "--root",
        root,
        "--sources",
        missing.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[io]: cannot read the sources folder"),
        "{stderr}"
    );
}

/// The bundled knowledge base is written in its own words: no line shares ten words with the source reports in
/// `../shared/seeds`. CI always has that folder; elsewhere its absence is reported, not silently passed.
#[test]
fn bundled_content_shares_no_run_with_its_sources() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = repo.join("../shared/seeds");
    if !seeds.is_dir() {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !in_ci,
            "{} is missing: the source check cannot run in CI",
            seeds.display()
        );
        eprintln!(
            "NOT RUN: bundled_content_shares_no_run_with_its_sources needs the source reports in {}",
            seeds.display()
        );
        return;
    }
    let out = kizuna(&[
        "check",
        "--root",
        repo.to_str().unwrap(),
        "--sources",
        seeds.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
}

/// A site with a sources page documenting `Doc A`, and an event citing `citation`.
fn cited(citation: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "content/sources.md",
        "---\ntitle: Sources\n---\n## The first document {#doc-a}\n\nIts details.\n",
    );
    write(
        tmp.path(),
        "content/timeline/2014-x.md",
        &format!(
            "---\ntitle: X\ndate: 2014\ntype: milestone\nsource: \"{citation}\"\n---\nBody.\n"
        ),
    );
    tmp
}

#[test]
fn a_citation_links_to_its_document_on_the_sources_page() {
    let tmp = cited("Doc A, section 2");
    let public = tmp.path().join("public");
    let out = kizuna(&[
        "build",
        "--root",
        tmp.path().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(public.join("timeline/2014-x/index.html")).unwrap();
    assert!(
        html.contains(r#"<dd><a href="../../sources/#doc-a">Doc A, section 2</a></dd>"#),
        "{html}"
    );
}

#[test]
fn a_citation_of_an_unknown_document_is_an_error() {
    let tmp = cited("IGES 2018; Doc A");
    let out = kizuna(&["check", "--root", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[unknown-citation]: the citation names `IGES 2018`, which is not a document on the sources page"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/timeline/2014-x.md:5:10"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
}
