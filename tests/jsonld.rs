//! JSON-LD: every page kind of the bundled site carries a schema.org block of the right type with its required
//! fields, and nothing in a title can break out of the script element.

mod common;

use common::{kizuna, ok, write};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The JSON-LD blocks of an HTML page, parsed.
fn blocks(html: &str) -> Vec<Value> {
    const OPEN: &str = r#"<script type="application/ld+json">"#;
    html.match_indices(OPEN)
        .map(|(at, _)| {
            let rest = &html[at + OPEN.len()..];
            let end = rest.find("</script>").expect("closed script");
            serde_json::from_str(&rest[..end]).unwrap_or_else(|e| panic!("{e}: {}", &rest[..end]))
        })
        .collect()
}

fn pages(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "index.html"))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn has(v: &Value, field: &str, page: &str) {
    let f = &v[field];
    let present = match f {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    };
    assert!(present, "{page}: `{field}` missing in {v}");
}

/// Checks a place; whether it has coordinates.
fn place(v: &Value, page: &str) -> bool {
    assert_eq!(v["@type"], "City", "{page}");
    has(v, "name", page);
    has(v, "url", page);
    if v["geo"].is_null() {
        return false;
    }
    assert_eq!(v["geo"]["@type"], "GeoCoordinates", "{page}");
    assert!(
        v["geo"]["latitude"].is_f64() && v["geo"]["longitude"].is_f64(),
        "{page}: geo in {v}"
    );
    true
}

#[test]
fn every_page_kind_of_the_bundled_site_has_valid_jsonld() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    ok(kizuna(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        public.to_str().unwrap(),
    ]));
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for file in pages(&public) {
        let rel = file
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let parts: Vec<&str> = rel.trim_end_matches("/index.html").split('/').collect();
        // Skip the language prefix of translated pages.
        let parts = match parts.as_slice() {
            [l, rest @ ..] if l.len() == 2 && *l != "id" || *l == "id" && rest.len() > 1 => {
                rest.to_vec()
            }
            _ => parts,
        };
        let kind = match parts.as_slice() {
            ["case-studies", _] => "case_study",
            ["cities", _] => "city",
            ["lessons", id] if id.starts_with("lesson-") => "lesson",
            ["timeline", id] if id.len() > 4 && id[..4].parse::<u16>().is_ok() => "event",
            ["agreements", _] => "agreement",
            _ => continue,
        };
        let html = std::fs::read_to_string(&file).unwrap();
        let found = blocks(&html);
        assert_eq!(found.len(), 1, "{rel}: one JSON-LD block");
        let v = &found[0];
        assert_eq!(v["@context"], "https://schema.org", "{rel}");
        match kind {
            "case_study" => {
                assert_eq!(v["@type"], "Article", "{rel}");
                for f in [
                    "headline",
                    "url",
                    "inLanguage",
                    "temporalCoverage",
                    "about",
                    "spatialCoverage",
                ] {
                    has(v, f, &rel);
                }
                for p in v["spatialCoverage"].as_array().unwrap() {
                    place(p, &rel);
                }
            }
            "city" => {
                if place(v, &rel) {
                    *seen.entry("city_with_geo").or_default() += 1;
                }
            }
            "lesson" => {
                assert_eq!(v["@type"], "LearningResource", "{rel}");
                for f in [
                    "name",
                    "url",
                    "inLanguage",
                    "educationalLevel",
                    "learningResourceType",
                    "teaches",
                ] {
                    has(v, f, &rel);
                }
                let lang = v["inLanguage"].as_str().unwrap();
                if lang == "en" {
                    for w in v["workTranslation"].as_array().into_iter().flatten() {
                        assert_ne!(w["inLanguage"], "en", "{rel}");
                        has(w, "url", &rel);
                    }
                } else {
                    assert_eq!(v["translationOfWork"]["inLanguage"], "en", "{rel}: {v}");
                }
            }
            _ => {
                assert_eq!(v["@type"], "Event", "{rel}");
                for f in ["name", "url", "startDate"] {
                    has(v, f, &rel);
                }
                // Events of a programme without partner cities have an empty location list.
                assert!(v["location"].is_array(), "{rel}: {v}");
            }
        }
        *seen.entry(kind).or_default() += 1;
    }
    for kind in ["case_study", "city", "lesson", "event", "agreement"] {
        assert!(
            seen.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} page checked: {seen:?}"
        );
    }
    // Every city page with coordinates in its front matter (all but Iskandar's region) carries them.
    assert!(seen["city_with_geo"] >= 13, "{seen:?}");
    // A lesson with translations names them all.
    let html = std::fs::read_to_string(public.join("lessons/lesson-01/index.html")).unwrap();
    let v = &blocks(&html)[0];
    assert!(v["workTranslation"].as_array().unwrap().len() >= 5, "{v}");
}

#[test]
fn a_script_end_tag_in_a_title_cannot_break_out() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "content/cities/x.md", "---\ntitle: \"X</script><script>alert(1)</script>\"\ncountry: Y\ncoordinates: [1.5, 2.5]\n---\n");
    let public = tmp.path().join("public");
    ok(kizuna(&[
        "build",
        "--root",
        tmp.path().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]));
    let html = std::fs::read_to_string(public.join("cities/x/index.html")).unwrap();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    let v = &blocks(&html)[0];
    assert_eq!(v["name"], "X</script><script>alert(1)</script>");
    assert_eq!(v["geo"]["latitude"], 1.5);
}
