//! Trees written for Hugo and Zola (tests/fixtures/foreign/): their front matter keys, TOML, shortcodes and
//! `@/` links build, and mean what their authors expect.

mod common;

use common::{kizuna, read};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/foreign")
        .join(name)
}

fn build(root: &Path, out: &Path) -> (bool, String) {
    let o = kizuna(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_hugo_tree_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let (ok, err) = build(&fixture("hugo"), &out);
    assert!(ok, "{err}");
    // Shortcodes are left as text, with one warning that counts them by name; an alias two pages claim
    // is written for the first, and the second is named.
    assert_eq!(err.matches("warning[").count(), 2, "{err}");
    assert!(
        err.contains("alias `/setup/` is also an alias of another page"),
        "{err}"
    );
    assert!(
        err.contains(
            "3 Hugo shortcode(s) left as text, kizuna has none: figure ×1, note ×1, ref ×1"
        ),
        "{err}"
    );
    let install = read(&out, "docs/install/index.html");
    assert!(
        install.contains("{{&lt; note &gt;}}") || install.contains("{{< note >}}"),
        "{install}"
    );
    // publishDate is the date; categories are tags; aliases redirect; `url` is the page's URL.
    assert!(install.contains("datetime=\"2021-03-04\""), "{install}");
    let guides = read(&out, "tags/guides/index.html");
    assert!(
        guides.contains("Installing the recorder") && guides.contains("Calibrating"),
        "{guides}"
    );
    assert!(read(&out, "setup/index.html").contains("docs/install/"));
    assert!(read(&out, "news/2021/first-survey/index.html").contains("twelve sites"));
    // A page bundle (folder/index.md) is the page of its folder, in lower case, with its files beside it.
    let bundle = read(&out, "news/field-day/index.html");
    assert!(bundle.contains("src=\"river.svg\""), "{bundle}");
    assert!(out.join("news/field-day/river.svg").exists());
}

#[test]
fn a_zola_tree_builds_with_broken_links_as_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let (ok, err) = build(&fixture("zola"), &out);
    assert!(ok, "{err}");
    assert!(!err.contains("@/"), "an @/ link was not resolved: {err}");
    assert!(
        err.contains("warning[broken-link]: broken link to `../../themes/README.md`"),
        "{err}"
    );
    let home = read(&out, "index.html");
    assert!(
        home.contains("href=\"guide/\"") && home.contains("href=\"blog/first/#results\""),
        "{home}"
    );
    let compost = read(&out, "guide/compost/index.html");
    assert!(compost.contains("href=\"../../blog/first/\""), "{compost}");
    assert!(compost.contains("datetime=\"2020-06-01\""), "{compost}");
    assert!(out.join("tags/households/index.html").exists());
}

#[test]
fn broken_links_fail_the_build_unless_the_site_says_warn() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    let copy = std::process::Command::new("cp")
        .args(["-r"])
        .arg(fixture("zola").join("content"))
        .arg(&root)
        .status()
        .unwrap();
    assert!(copy.success());
    let (ok, err) = build(&root, &dir.path().join("public"));
    assert!(!ok);
    assert!(
        err.contains("error[broken-link]: broken link to `../../themes/README.md`"),
        "{err}"
    );
    assert!(err.contains("content/blog/first.md:7:66"), "{err}");
}

#[test]
fn invalid_toml_front_matter_points_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = \n+++\nText.\n",
    );
    let o = kizuna(&["check", "--root", dir.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("invalid TOML front matter") && err.contains("content/a.md:3:"),
        "{err}"
    );
}
