//! The bundled knowledge base: it checks clean and holds what the project promises.

use std::path::Path;
use std::process::Command;

fn count(dir: &str, pred: impl Fn(&str) -> bool) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content")
        .join(dir);
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with("_index"))
        .filter(|n| pred(n))
        .count()
}

fn is_default(name: &str) -> bool {
    name.matches('.').count() == 1
}

#[test]
fn bundled_content_checks_clean() {
    let out = Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(["check", "--root", env!("CARGO_MANIFEST_DIR")])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("error["), "{stderr}");
}

#[test]
fn bundled_content_is_complete() {
    assert!(
        count("agreements", is_default) >= 13,
        "every agreement of the report's table"
    );
    assert!(count("timeline", is_default) >= 60, "every dated milestone");
    for city in [
        "dalian",
        "phnom-penh",
        "surabaya",
        "hai-phong",
        "mandalay",
        "iskandar",
    ] {
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("content/case-studies/{city}.md"))
                .exists(),
            "{city}"
        );
    }
    let lessons = count("lessons", is_default);
    assert!(lessons >= 8, "eight Ecology Note lessons, found {lessons}");
    for lang in ["my", "ja"] {
        let n = count("lessons", |n| n.ends_with(&format!(".{lang}.md")));
        assert_eq!(n, lessons, "every lesson in {lang}");
    }
    for lang in ["km", "vi", "id"] {
        for lesson in ["lesson-01", "lesson-04"] {
            let p = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("content/lessons/{lesson}.{lang}.md"));
            assert!(p.exists(), "{lesson} in {lang}");
        }
    }
}

/// No text of the built site is escaped twice (`Kitakyushu&amp;#39;s` showed in meta descriptions, where a
/// template filter's argument was escaped before the output was).
#[test]
fn no_text_is_escaped_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut stack = vec![tmp.path().to_path_buf()];
    let mut pages = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html" || e == "xml") {
                pages += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                for twice in ["&amp;#", "&amp;amp;", "&amp;quot;", "&amp;lt;", "&amp;gt;"] {
                    assert!(!text.contains(twice), "{twice} in {}", path.display());
                }
            }
        }
    }
    assert!(pages > 500, "{pages} pages read");
}
