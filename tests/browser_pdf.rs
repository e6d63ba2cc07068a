//! The lesson PDFs `kizuna build` makes for the bundled knowledge base, read back with poppler-utils: every
//! lesson in every language gives its text back (titles, objectives, questions; the teacher copy its
//! answers), in normalised Unicode and with no Burmese or Khmer cluster read twice; every font is an embedded
//! subset; every student sheet fits two pages. Needs poppler-utils and, for Japanese, fonts-noto-cjk (which
//! .ci/run installs). Run with `cargo test --features browser-tests --test browser_pdf`.
#![cfg(feature = "browser-tests")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use unicode_normalization::UnicodeNormalization;

const PAPERS: [&str; 2] = ["a4", "letter"];

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One lesson in one language, from its Markdown source.
struct Lesson {
    file: String,
    lang: String,
    /// `lessons/lesson-01/lesson-01` or `my/lessons/lesson-01/lesson-01`: the PDFs' path without the variant.
    stem: String,
    title: String,
    objectives: Vec<String>,
    questions: Vec<(String, String)>,
}

fn lessons() -> Vec<Lesson> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifest().join("content/lessons"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let (id, lang) = match name.split_once('.') {
                Some((id, lang)) => (id.to_string(), lang.to_string()),
                None => (name.clone(), "en".to_string()),
            };
            let text = std::fs::read_to_string(p).unwrap();
            let rest = text.strip_prefix("---").unwrap();
            let fm: serde_yaml::Value =
                serde_yaml::from_str(&rest[..rest.find("\n---").unwrap()]).unwrap();
            let s = |v: &serde_yaml::Value| v.as_str().unwrap_or_default().to_string();
            let prefix = if lang == "en" {
                String::new()
            } else {
                format!("{lang}/")
            };
            Lesson {
                file: p.file_name().unwrap().to_string_lossy().into_owned(),
                stem: format!("{prefix}lessons/{id}/{id}"),
                lang,
                title: s(&fm["title"]),
                objectives: fm["objectives"]
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .map(s)
                    .collect(),
                questions: fm["questions"]
                    .as_sequence()
                    .map(|q| q.iter().map(|q| (s(&q["text"]), s(&q["answer"]))).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The bundled site built once, with its own cache, and its PDFs' text, fonts and pages.
struct Built {
    _tmp: tempfile::TempDir,
    out: PathBuf,
}

fn built() -> &'static Built {
    static BUILT: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let o = Command::new(env!("CARGO_BIN_EXE_kizuna"))
            .args(["build", "--root"])
            .arg(manifest())
            .arg("--output")
            .arg(&out)
            .env("KIZUNA_CACHE_DIR", tmp.path().join("cache"))
            .env("NO_COLOR", "1")
            .output()
            .expect("run kizuna");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        assert!(
            !stderr.contains("warning[pdf-"),
            "every lesson gets its PDFs (is fonts-noto-cjk installed?):\n{stderr}"
        );
        Built { _tmp: tmp, out }
    })
}

fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let o = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e} (apt-get install poppler-utils)"));
    assert!(
        o.status.success(),
        "{tool} {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Text as compared: NFC, without white space (lines break anywhere in Burmese, Khmer and Japanese) and
/// hyphens (pdftotext joins "soil-" at a line's end and "like" on the next into "soillike").
fn squeeze(text: &str) -> String {
    text.nfc()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// Which of `expected` the PDF's text lacks.
fn missing<'a>(pdf: &Path, expected: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let text = squeeze(&poppler("pdftotext", &["-enc", "UTF-8"], pdf));
    expected
        .into_iter()
        .filter(|e| !text.contains(&squeeze(e)))
        .cloned()
        .collect()
}

#[test]
fn every_pdf_gives_its_lesson_text_back_in_every_language() {
    let b = built();
    let mut problems = Vec::new();
    let mut langs = BTreeMap::new();
    for l in lessons() {
        *langs.entry(l.lang.clone()).or_insert(0) += 1;
        for paper in PAPERS {
            let student = b.out.join(format!("{}-student-{paper}.pdf", l.stem));
            let expected: Vec<String> = [l.title.clone()]
                .into_iter()
                .chain(l.objectives.iter().cloned())
                .chain(l.questions.iter().map(|q| q.0.clone()))
                .collect();
            for m in missing(&student, &expected) {
                problems.push(format!("{} student {paper}: no \"{m}\"", l.file));
            }
            let teacher = b.out.join(format!("{}-teacher-{paper}.pdf", l.stem));
            let answers: Vec<String> = l.questions.iter().map(|q| q.1.clone()).collect();
            for m in missing(&teacher, answers.iter().chain([&l.title])) {
                problems.push(format!("{} teacher {paper}: no \"{m}\"", l.file));
            }
        }
    }
    assert!(langs.len() >= 6, "lessons in six languages: {langs:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs of 1 to 4 Burmese or Khmer characters repeated straight after themselves ("ទីទី"), as they come out of
/// `text`.
fn doubled(text: &str) -> std::collections::BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let script = |c: &char| matches!(*c as u32, 0x1000..=0x109F | 0x1780..=0x17FF);
    let mut found = std::collections::BTreeSet::new();
    for i in 0..chars.len() {
        for n in 1..=4 {
            let (a, b) = (i..i + n, i + n..i + 2 * n);
            if b.end <= chars.len()
                && chars[a.clone()].iter().all(script)
                && chars[a.clone()] == chars[b]
            {
                found.insert(chars[a.start..a.end + n].iter().collect());
            }
        }
    }
    found
}

#[test]
fn a_cluster_is_read_once() {
    // Typst sets raised Burmese and Khmer marks in runs of their own; read twice, "ទី" came back as "ទីទី".
    // Every repetition in a sheet's text must be one its sources have.
    let b = built();
    let mut problems = Vec::new();
    for l in lessons()
        .iter()
        .filter(|l| l.lang == "km" || l.lang == "my")
    {
        let source = squeeze(
            &(std::fs::read_to_string(manifest().join("content/lessons").join(&l.file)).unwrap()
                + &std::fs::read_to_string(
                    manifest().join(format!("themes/default/i18n/{}.yaml", l.lang)),
                )
                .unwrap()),
        );
        let allowed = doubled(&source);
        for variant in ["student", "teacher"] {
            let pdf = b.out.join(format!("{}-{variant}-a4.pdf", l.stem));
            let text = squeeze(&poppler("pdftotext", &["-enc", "UTF-8"], &pdf));
            let extra: Vec<String> = doubled(&text).difference(&allowed).cloned().collect();
            if !extra.is_empty() {
                problems.push(format!("{} {variant}: {extra:?}", l.file));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_font_is_an_embedded_subset() {
    let b = built();
    for l in lessons() {
        for variant in ["student", "teacher"] {
            let pdf = b.out.join(format!("{}-{variant}-a4.pdf", l.stem));
            let fonts = poppler("pdffonts", &[], &pdf);
            let rows: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(!rows.is_empty(), "{}: no fonts", pdf.display());
            for row in rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                let n = cols.len();
                // name type… encoding emb sub uni object ID
                assert!(
                    n >= 7 && cols[n - 5] == "yes" && cols[n - 4] == "yes",
                    "{}: {row}",
                    pdf.display()
                );
                assert!(
                    cols[0].as_bytes().get(6) == Some(&b'+'),
                    "a subset tag: {row}"
                );
            }
        }
    }
}

#[test]
fn every_student_sheet_fits_two_pages_and_reports_its_size() {
    let b = built();
    let mut sizes = Vec::new();
    for l in lessons() {
        for paper in PAPERS {
            let pdf = b.out.join(format!("{}-student-{paper}.pdf", l.stem));
            let info = poppler("pdfinfo", &[], &pdf);
            let pages: usize = info
                .lines()
                .find_map(|line| line.strip_prefix("Pages:"))
                .and_then(|n| n.trim().parse().ok())
                .unwrap();
            assert!(pages <= 2, "{}: {pages} pages", pdf.display());
            let size = if paper == "a4" {
                "595.276 x 841.89"
            } else {
                "612 x 792"
            };
            assert!(info.contains(size), "{}: {info}", pdf.display());
            sizes.push((std::fs::metadata(&pdf).unwrap().len(), l.file.clone()));
        }
    }
    sizes.sort();
    let median = sizes[sizes.len() / 2].0;
    eprintln!(
        "student sheets: median {} KB, largest {} KB ({})",
        median / 1024,
        sizes.last().unwrap().0 / 1024,
        sizes.last().unwrap().1
    );
    // A sheet without images stays small: only the glyphs it uses are embedded.
    assert!(median < 150 * 1024, "median {median} bytes");
}

/// Every sheet is laid out once and set on each paper: an A4 copy and a Letter copy of it have the same pages, so
/// "page 2, question 3" means the same in a class with both.
#[test]
fn a4_and_letter_copies_have_the_same_pages() {
    let b = built();
    for l in lessons() {
        for variant in ["student", "teacher"] {
            let [a4, letter] = PAPERS.map(|paper| {
                let pdf = b.out.join(format!("{}-{variant}-{paper}.pdf", l.stem));
                poppler("pdftotext", &["-enc", "UTF-8", "-layout"], &pdf)
            });
            let pages = |text: &str| text.split('\u{c}').map(squeeze).collect::<Vec<_>>();
            assert!(a4.split('\u{c}').count() >= 2, "{}: {a4}", l.file);
            assert_eq!(pages(&a4), pages(&letter), "{} ({variant})", l.file);
        }
    }
}

#[test]
fn each_language_has_its_booklets_with_every_lesson() {
    let b = built();
    let mut by_lang: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in lessons() {
        by_lang
            .entry(l.lang.clone())
            .or_default()
            .push(l.title.clone());
    }
    for (lang, titles) in by_lang {
        let prefix = if lang == "en" {
            String::new()
        } else {
            format!("{lang}/")
        };
        for variant in ["student", "teacher"] {
            let pdf = b
                .out
                .join(format!("{prefix}lessons/lessons-{lang}-{variant}-a4.pdf"));
            let lacking = missing(&pdf, &titles);
            assert!(lacking.is_empty(), "{}: {lacking:?}", pdf.display());
        }
    }
}
