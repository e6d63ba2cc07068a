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
        stderr.matches("error[").count(),
        1,
        "{name}: one problem, one error"
    );
    machine_formats_agree(name, &dir, &stderr);

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

/// `--format json` and `--format github` carry the human output's file, line, column, code and message.
fn machine_formats_agree(name: &str, dir: &Path, human: &str) {
    let mut lines = human.lines();
    let head = lines.next().unwrap();
    let (code_name, message) = head
        .strip_prefix("error[")
        .and_then(|h| h.split_once("]: "))
        .unwrap_or_else(|| panic!("{name}: no code in `{head}`"));
    let location = lines.next().unwrap().trim().strip_prefix("--> ").unwrap();
    let mut parts = location.rsplitn(3, ':');
    let (column, line, file) = (
        parts.next().unwrap().parse::<u64>().unwrap(),
        parts.next().unwrap().parse::<u64>().unwrap(),
        parts.next().unwrap(),
    );
    let root = dir.to_str().unwrap();
    let shown = format!("{root}/{file}");

    let out = kizuna(&["check", "--root", root, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{name}: json exit code");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"], 1, "{name}");
    let d = &json["diagnostics"][0];
    assert_eq!(d["severity"], "error", "{name}");
    assert_eq!(d["name"], code_name, "{name}");
    assert!(d["code"].as_str().unwrap().starts_with('K'), "{name}");
    assert_eq!(d["message"], message, "{name}");
    assert_eq!(d["file"], shown.as_str(), "{name}");
    assert_eq!(d["line"], line, "{name}");
    assert_eq!(d["column"], column, "{name}");

    let out = kizuna(&["check", "--root", root, "--format", "github"]);
    let github = String::from_utf8(out.stdout).unwrap();
    let escaped = shown.replace(':', "%3A").replace(',', "%2C");
    let prefix = format!("::error file={escaped},line={line},col={column},");
    assert!(github.starts_with(&prefix), "{name}: {github}");
    let title = format!(",title={code_name} ({})::", d["code"].as_str().unwrap());
    assert!(github.contains(&title), "{name}: {github}");
    let text = github
        .split_once("::")
        .unwrap()
        .1
        .split_once("::")
        .unwrap()
        .1;
    assert!(
        text.starts_with(&message.replace('%', "%25")),
        "{name}: {github}"
    );
    assert_eq!(github.lines().count(), 1, "{name}: one annotation");

    let out = kizuna(&["check", "--root", root, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], d["code"], "{name}");
    assert_eq!(result["level"], "error", "{name}");
    let rule = &run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["name"], code_name, "{name}");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        shown.as_str(),
        "{name}"
    );
    assert_eq!(location["region"]["startLine"], line, "{name}");
    assert_eq!(location["region"]["startColumn"], column, "{name}");
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
