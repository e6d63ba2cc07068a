//! Lesson PDFs made by `kizuna build` itself: where they go, what links to them, that a build where nothing
//! changed takes them from the cache, that they are reproducible, and what a broken template or a missing
//! font says. (Their text, fonts and page counts are checked with poppler-utils in `browser_pdf.rs`.)

mod common;

use common::{copy_dir, read, write};
use std::path::Path;
use std::process::{Command, Output};

const CONFIG: &str = "title: Sheets\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: km, name: ខ្មែរ}\ngit_dates: false\nsearch: false\n";

fn lesson(title: &str, number: u32, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nseries: Ecology Note\nnumber: {number}\nage_range: [10, 12]\ngrade_band: upper-primary\n\
         duration: 45\nobjectives:\n  - I can sort waste.\nsteps:\n  - text: Sort the bin.\n    minutes: 20\n\
         questions:\n  - text: Why sort waste?\n    answer: So that it can be recycled.\n{extra}---\n\n{body}\n"
    )
}

/// A site with two English lessons and one Khmer one.
fn site(root: &Path) {
    write(root, "kizuna.yaml", CONFIG);
    write(
        root,
        "content/lessons/_index.md",
        "---\ntitle: Lessons\n---\n",
    );
    write(
        root,
        "content/lessons/_index.km.md",
        "---\ntitle: មេរៀន\n---\n",
    );
    write(
        root,
        "content/lessons/sorting.md",
        &lesson(
            "Sorting waste",
            1,
            "",
            "## Why sort?\n\nA #hash, a $ sign and `code` stay *text*.",
        ),
    );
    write(
        root,
        "content/lessons/water.md",
        &lesson("Clean water", 2, "", "Water is life."),
    );
    write(
        root,
        "content/lessons/sorting.km.md",
        &lesson("ការញែកសំណល់", 1, "", "ទីក្រុងស្អាត។"),
    );
}

fn build(root: &Path, cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(["build", "--root"])
        .arg(root)
        .env("KIZUNA_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .output()
        .expect("run kizuna")
}

fn built(root: &Path, cache: &Path) -> String {
    let out = build(root, cache);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

fn pdf(out: &Path, rel: &str) -> Vec<u8> {
    let bytes = std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert!(bytes.starts_with(b"%PDF-"), "{rel} is not a PDF");
    bytes
}

/// The entries of the PDF cache.
fn entries(cache: &Path) -> Vec<std::path::PathBuf> {
    let mut all: Vec<_> = walkdir::WalkDir::new(cache)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    all.sort();
    all
}

#[test]
fn every_lesson_gets_its_pdfs_and_its_page_links_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("site"), tmp.path().join("cache"));
    site(&root);
    built(&root, &cache);
    let out = root.join("public");
    for lesson in [
        "lessons/sorting/sorting",
        "lessons/water/water",
        "km/lessons/sorting/sorting",
    ] {
        for variant in ["student", "teacher"] {
            for paper in ["a4", "letter"] {
                pdf(&out, &format!("{lesson}-{variant}-{paper}.pdf"));
            }
        }
    }
    for booklet in ["lessons/lessons-en", "km/lessons/lessons-km"] {
        for variant in ["student", "teacher"] {
            for paper in ["a4", "letter"] {
                pdf(&out, &format!("{booklet}-{variant}-{paper}.pdf"));
            }
        }
    }
    // Each page links to its own variant on each paper; the lessons list and the print-all page to the
    // booklets.
    let page = read(&out, "lessons/sorting/index.html");
    assert!(
        page.contains("href=\"../../lessons/sorting/sorting-student-a4.pdf\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"../../lessons/sorting/sorting-student-letter.pdf\""),
        "{page}"
    );
    assert!(
        !page.contains("sorting-teacher-a4.pdf"),
        "the student page offers the student sheet"
    );
    let teacher = read(&out, "lessons/sorting/teacher/index.html");
    assert!(
        teacher.contains("href=\"../../../lessons/sorting/sorting-teacher-a4.pdf\""),
        "{teacher}"
    );
    let list = read(&out, "km/lessons/index.html");
    assert!(
        list.contains("href=\"../../km/lessons/lessons-km-student-a4.pdf\""),
        "{list}"
    );
    assert!(
        list.contains("href=\"../../km/lessons/lessons-km-teacher-letter.pdf\""),
        "{list}"
    );
    let print = read(&out, "lessons/print/index.html");
    assert!(
        print.contains("href=\"../../lessons/lessons-en-teacher-a4.pdf\""),
        "{print}"
    );
    // Fonts are embedded as subsets (a six-letter tag before the name), the document says who made it.
    let sheet = pdf(&out, "km/lessons/sorting/sorting-student-a4.pdf");
    let text = String::from_utf8_lossy(&sheet);
    assert!(text.contains("/FontFile2"), "fonts are embedded");
    let subset = subset_fonts(&text);
    assert!(
        subset.iter().any(|n| n.contains("NotoSansKhmer")),
        "{subset:?}"
    );
    assert!(text.contains("kizuna"), "the creator");
}

/// Font names with a subset tag (`/BaseFont/ABCDEF+NotoSans-Regular`).
fn subset_fonts(pdf: &str) -> Vec<String> {
    pdf.match_indices("/BaseFont/")
        .map(|(i, m)| {
            pdf[i + m.len()..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>')
                .collect::<String>()
        })
        .filter(|n| {
            n.len() > 7 && n.as_bytes()[6] == b'+' && n[..6].chars().all(|c| c.is_ascii_uppercase())
        })
        .collect()
}

#[test]
fn an_unchanged_lesson_comes_from_the_cache_and_a_changed_one_is_made_again() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("site"), tmp.path().join("cache"));
    site(&root);
    built(&root, &cache);
    let first = entries(&cache);
    // 3 lessons × 2 variants × 2 papers, and 2 booklets × 2 × 2.
    assert_eq!(first.len(), 12 + 8, "{first:?}");
    let made = pdf(&root.join("public"), "lessons/water/water-student-a4.pdf");
    // Mark every cached entry: what the next build publishes shows whether it came from the cache.
    for entry in &first {
        let mut data = std::fs::read(entry).unwrap();
        data.extend_from_slice(b"%cached\n");
        std::fs::write(entry, data).unwrap();
    }
    built(&root, &cache);
    let out = root.join("public");
    assert!(pdf(&out, "lessons/water/water-student-a4.pdf").ends_with(b"%cached\n"));
    assert!(pdf(&out, "lessons/sorting/sorting-teacher-letter.pdf").ends_with(b"%cached\n"));
    // Changing one lesson makes its PDFs and its language's booklets again, and nothing else.
    write(
        &root,
        "content/lessons/water.md",
        &lesson("Clean water", 2, "", "Water is life. Boil it."),
    );
    built(&root, &cache);
    let water = pdf(&out, "lessons/water/water-student-a4.pdf");
    assert!(!water.ends_with(b"%cached\n"));
    assert_ne!(water, made);
    assert!(!pdf(&out, "lessons/lessons-en-student-a4.pdf").ends_with(b"%cached\n"));
    assert!(pdf(&out, "lessons/sorting/sorting-student-a4.pdf").ends_with(b"%cached\n"));
    assert!(pdf(&out, "km/lessons/lessons-km-student-a4.pdf").ends_with(b"%cached\n"));
}

#[test]
fn two_builds_make_byte_identical_pdfs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site(&root);
    built(&root, &tmp.path().join("cache-1"));
    let first = pdf(
        &root.join("public"),
        "km/lessons/sorting/sorting-teacher-a4.pdf",
    );
    let booklet = pdf(
        &root.join("public"),
        "lessons/lessons-en-student-letter.pdf",
    );
    built(&root, &tmp.path().join("cache-2"));
    assert!(
        first
            == pdf(
                &root.join("public"),
                "km/lessons/sorting/sorting-teacher-a4.pdf"
            )
    );
    assert!(
        booklet
            == pdf(
                &root.join("public"),
                "lessons/lessons-en-student-letter.pdf"
            )
    );
}

#[test]
fn a_site_can_turn_pdfs_off_or_choose_its_paper() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("site"), tmp.path().join("cache"));
    site(&root);
    write(
        &root,
        "kizuna.yaml",
        &format!("{CONFIG}pdf:\n  papers: [letter]\n  booklets: false\n"),
    );
    built(&root, &cache);
    let out = root.join("public");
    assert!(out.join("lessons/water/water-student-letter.pdf").exists());
    assert!(!out.join("lessons/water/water-student-a4.pdf").exists());
    assert!(!out.join("lessons/lessons-en-student-letter.pdf").exists());
    assert!(!read(&out, "lessons/water/index.html").contains("water-student-a4.pdf"));
    write(
        &root,
        "kizuna.yaml",
        &format!("{CONFIG}pdf:\n  enabled: false\n"),
    );
    built(&root, &cache);
    assert!(!out.join("lessons/water/water-student-letter.pdf").exists());
    assert!(!read(&out, "lessons/water/index.html").contains(".pdf"));
    write(
        &root,
        "kizuna.yaml",
        &format!("{CONFIG}pdf:\n  paper: [a5]\n"),
    );
    let out = build(&root, &cache);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("kizuna.yaml") && stderr.contains("paper"),
        "{stderr}"
    );
}

#[test]
fn a_broken_template_names_its_line_and_keeps_the_last_site() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("site"), tmp.path().join("cache"));
    site(&root);
    built(&root, &cache);
    let before = pdf(&root.join("public"), "lessons/water/water-student-a4.pdf");
    // A site's own template overrides the theme's (templates/ beside content/ for HTML; pdf/ in a theme).
    let theme = root.join("themes/mine");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &theme,
    );
    let template = theme.join("pdf/lesson.typ");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{text}\n#let broken = (\n")).unwrap();
    write(&root, "kizuna.yaml", &format!("{CONFIG}theme: mine\n"));
    let out = build(&root, &cache);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    let line = text.lines().count() + 2;
    assert!(stderr.contains("error[pdf-template]"), "{stderr}");
    assert!(
        stderr.contains(&format!("themes/mine/pdf/lesson.typ:{line}:")),
        "{stderr}"
    );
    assert_eq!(
        before,
        pdf(&root.join("public"), "lessons/water/water-student-a4.pdf")
    );
}

#[test]
fn a_lesson_no_font_covers_gets_no_pdf_and_a_warning_that_says_what_to_install() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("site"), tmp.path().join("cache"));
    site(&root);
    // Ethiopic: no font the theme ships, nor one kizuna looks for on the machine.
    write(
        &root,
        "content/lessons/water.md",
        &lesson("Clean water", 2, "", "ውሃ ሕይወት ነው።"),
    );
    let stderr = built(&root, &cache);
    assert!(stderr.contains("warning[pdf-font]"), "{stderr}");
    assert!(stderr.contains("content/lessons/water.md"), "{stderr}");
    assert!(stderr.contains("themes/default/fonts/"), "{stderr}");
    let out = root.join("public");
    assert!(!out.join("lessons/water/water-student-a4.pdf").exists());
    assert!(!read(&out, "lessons/water/index.html").contains(".pdf"));
    // The other lessons, and the booklet of those that have PDFs, are made.
    pdf(&out, "lessons/sorting/sorting-student-a4.pdf");
    pdf(&out, "lessons/lessons-en-student-a4.pdf");
}
