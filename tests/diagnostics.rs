//! Invalid fixture sites, one problem each: `kizuna check` must print exactly the expected diagnostic and
//! exit 1, and `kizuna build` must write nothing.

mod common;

use common::kizuna;

use std::path::Path;

fn check_fixture(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(name);
    let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    let out = kizuna(&["check", "--root", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{name}: exit code");
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The fixture's path is not part of the message: diagnostics name files relative to the site root.
    assert_eq!(stderr, expected, "{name}: diagnostics differ");
    assert_eq!(
        stderr.matches("error: ").count(),
        1,
        "{name}: one problem, one error"
    );

    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let out = kizuna(&[
        "build",
        "--root",
        dir.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{name}: build exit code");
    assert!(!public.exists(), "{name}: a failed build wrote output");
}

macro_rules! fixtures {
    ($($test:ident => $dir:literal),* $(,)?) => { $( #[test] fn $test() { check_fixture($dir); } )* };
}

fixtures! {
    malformed_yaml => "malformed-yaml",
    unterminated_front_matter => "unterminated-front-matter",
    wrong_type_date => "wrong-type-date",
    invalid_utf8 => "invalid-utf8",
    duplicate_url => "duplicate-url",
    slug_escape => "slug-escape",
    unknown_field => "unknown-field",
    bad_enum => "bad-enum",
    dangling_reference => "dangling-reference",
    broken_link => "broken-link",
    missing_title => "missing-title",
    template_variable => "template-variable",
}

#[test]
fn every_fixture_has_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let count = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(count, 12);
}

#[test]
fn all_problems_of_a_build_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("a.md"), "---\ntitle: A\ndate: soon\n---\n").unwrap();
    std::fs::write(content.join("b.md"), "---\ntitle: B\ntagz: []\n---\n").unwrap();
    std::fs::write(
        content.join("c.md"),
        "---\ntitle: C\n---\n[x](nowhere.md)\n",
    )
    .unwrap();
    let out = kizuna(&["check", "--root", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("content/a.md:3:7"), "{stderr}");
    // An unknown key on a plain page is kept for templates; a near-typo of a field is a warning.
    assert!(stderr.contains("content/b.md:3:1"), "{stderr}");
    assert!(stderr.contains("did you mean `tags`?"), "{stderr}");
    assert!(stderr.contains("content/c.md:4:1"), "{stderr}");
    assert!(
        stderr.ends_with("check found problems: 2 error(s), 1 warning(s)\n"),
        "{stderr}"
    );
}
