//! Printed Ecology Note lesson sheets, checked in a real browser: every lesson's student sheet and teacher
//! copy in every language it has is printed to PDF by Debian's headless Chromium, then measured with
//! poppler-utils (pdfinfo, pdftotext). Run with
//! `cargo test --features browser-tests --test browser_print`.
#![cfg(feature = "browser-tests")]

mod common;

use common::copy_dir;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const PDFINFO: &str = "/usr/bin/pdfinfo";
const PDFTOTEXT: &str = "/usr/bin/pdftotext";
/// Sizes in PostScript points.
const A4: (f64, f64) = (595.0, 842.0);
const LETTER: (f64, f64) = (612.0, 792.0);
/// Printers cannot print right up to the paper's edge: no text may come closer than this (5 mm).
const EDGE: f64 = 14.0;
/// Height of the strips at the top and bottom of a page that hold the running header and the page number.
const MARGIN_STRIP: f64 = 30.0;
/// Chromium prints in parallel, but not more at once than this.
const WORKERS: usize = 3;

// ---- The site and its lessons ---------------------------------------------------------------------------

/// One lesson in one language, as written in its Markdown source.
#[derive(Debug, Clone)]
struct Lesson {
    source: String,
    lang: String,
    title: String,
    questions: Vec<(String, String)>,
    /// `lessons/lesson-01/` or `my/lessons/lesson-01/`, relative to the output folder.
    dir: String,
}

impl Lesson {
    fn tag(&self) -> String {
        format!("{} [{}]", self.source, self.lang)
    }
    fn file_stem(&self) -> String {
        self.dir.trim_end_matches('/').replace('/', "_")
    }
}

/// Everything printed once, shared by the tests below.
struct Printed {
    _tmp: tempfile::TempDir,
    out_a4: PathBuf,
    lessons: Vec<Lesson>,
    /// UI strings: language → key → text (falling back to English).
    strings: BTreeMap<String, BTreeMap<String, String>>,
    /// lesson dir → PDFs.
    student_a4: BTreeMap<String, PathBuf>,
    teacher_a4: BTreeMap<String, PathBuf>,
    student_letter: BTreeMap<String, PathBuf>,
    teacher_letter: BTreeMap<String, PathBuf>,
    /// The A4 build printed with `?paper=letter`, which print.js turns into US Letter.
    toggled_letter: Option<(String, PathBuf)>,
    /// language → print-all booklet.
    booklets: BTreeMap<String, PathBuf>,
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn wait_for_tools() {
    let start = Instant::now();
    while ![CHROMIUM, PDFINFO, PDFTOTEXT]
        .iter()
        .all(|p| Path::new(p).exists())
    {
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "{CHROMIUM}, {PDFINFO} and {PDFTOTEXT} are needed (apt-get install chromium poppler-utils)"
        );
        std::thread::sleep(Duration::from_secs(5));
    }
}

fn build(root: &Path, out: &Path) -> Result<(), String> {
    let o = Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("run kizuna");
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// The bundled site (theme from this checkout). If the bundled content does not build, because colleagues
/// are half-way through writing other sections, fall back to the lessons alone, without their links to
/// case studies and cities.
fn make_site(root: &Path) -> PathBuf {
    let src = manifest();
    std::fs::copy(src.join("kizuna.yaml"), root.join("kizuna.yaml")).unwrap();
    copy_dir(&src.join("themes/default"), &root.join("themes/default"));
    copy_dir(&src.join("content"), &root.join("content"));
    let out = root.join("public-a4");
    if let Err(full) = build(root, &out) {
        eprintln!(
            "note: the bundled content does not build; printing the lessons on their own.\n{full}"
        );
        std::fs::remove_dir_all(root.join("content")).unwrap();
        let lessons = root.join("content/lessons");
        std::fs::create_dir_all(&lessons).unwrap();
        for e in std::fs::read_dir(src.join("content/lessons"))
            .unwrap()
            .filter_map(Result::ok)
        {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) != Some("md") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("cities:") && !l.starts_with("case_study:"))
                .collect();
            std::fs::write(lessons.join(e.file_name()), kept.join("\n") + "\n").unwrap();
        }
        if let Err(e) = build(root, &out) {
            panic!("the lessons do not build:\n{e}");
        }
    }
    out
}

fn yaml_str(v: &serde_yaml::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_string)
}

fn front_matter(text: &str) -> serde_yaml::Value {
    let rest = text.strip_prefix("---").expect("front matter");
    let end = rest.find("\n---").expect("end of front matter");
    serde_yaml::from_str(&rest[..end]).expect("front matter YAML")
}

fn find_lessons(root: &Path, out: &Path) -> Vec<Lesson> {
    let config: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join("kizuna.yaml")).unwrap()).unwrap();
    let default_lang = yaml_str(&config, "default_language").unwrap_or_else(|| "en".into());
    let mut lessons = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content/lessons"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("md"))
        .filter(|p| !p.file_name().unwrap().to_str().unwrap().starts_with('_'))
        .collect();
    files.sort();
    for p in files {
        let name = p
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches(".md")
            .to_string();
        let (stem, lang) = match name.split_once('.') {
            Some((s, l)) => (s.to_string(), l.to_string()),
            None => (name.clone(), default_lang.clone()),
        };
        let fm = front_matter(&std::fs::read_to_string(&p).unwrap());
        if fm.get("draft").and_then(|d| d.as_bool()) == Some(true) {
            continue;
        }
        let slug = yaml_str(&fm, "slug").unwrap_or(stem);
        let dir = if lang == default_lang {
            format!("lessons/{slug}/")
        } else {
            format!("{lang}/lessons/{slug}/")
        };
        assert!(
            out.join(&dir).join("index.html").is_file(),
            "{}: no page at {dir}",
            p.display()
        );
        let questions = fm
            .get("questions")
            .and_then(|q| q.as_sequence())
            .map(|qs| {
                qs.iter()
                    .map(|q| {
                        (
                            yaml_str(q, "text").unwrap_or_default(),
                            yaml_str(q, "answer").unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        lessons.push(Lesson {
            source: format!(
                "content/lessons/{}",
                p.file_name().unwrap().to_str().unwrap()
            ),
            lang,
            title: yaml_str(&fm, "title").unwrap_or_default(),
            questions,
            dir,
        });
    }
    assert!(!lessons.is_empty(), "no lessons found");
    lessons
}

fn load_strings(root: &Path, langs: &[String]) -> BTreeMap<String, BTreeMap<String, String>> {
    let read = |lang: &str| -> BTreeMap<String, String> {
        let p = root.join(format!("themes/default/i18n/{lang}.yaml"));
        let Ok(text) = std::fs::read_to_string(p) else {
            return BTreeMap::new();
        };
        let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or(serde_yaml::Value::Null);
        v.as_mapping()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let en = read("en");
    langs
        .iter()
        .map(|l| {
            let mut s = en.clone();
            s.extend(read(l));
            (l.clone(), s)
        })
        .collect()
}

// ---- Printing -------------------------------------------------------------------------------------------

fn file_url(path: &Path, query: &str) -> String {
    format!("file://{}{query}", path.display())
}

/// Prints `url` to `pdf` with headless Chromium, with a fresh profile. Returns an error text on failure.
fn print(url: &str, pdf: &Path) -> Result<(), String> {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.path().display()),
            url,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("start {CHROMIUM}: {e}"))?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return if pdf.is_file() && std::fs::metadata(pdf).map(|m| m.len() > 0).unwrap_or(false)
            {
                Ok(())
            } else {
                Err(format!(
                    "{url}: Chromium exited with {status} and wrote no PDF"
                ))
            };
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{url}: Chromium took more than 2 minutes"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Prints all jobs (url, pdf) on a few threads, retrying a failed print once.
fn print_all(jobs: Vec<(String, PathBuf)>) {
    let queue = Arc::new(Mutex::new(jobs));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..WORKERS)
        .map(|_| {
            let queue = Arc::clone(&queue);
            let errors = Arc::clone(&errors);
            std::thread::spawn(move || loop {
                let Some((url, pdf)) = queue.lock().unwrap().pop() else {
                    break;
                };
                if let Err(e) = print(&url, &pdf).or_else(|_| print(&url, &pdf)) {
                    errors.lock().unwrap().push(e);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let errors = errors.lock().unwrap();
    assert!(errors.is_empty(), "printing failed:\n{}", errors.join("\n"));
}

fn printed() -> &'static Printed {
    static PRINTED: OnceLock<Printed> = OnceLock::new();
    PRINTED.get_or_init(|| {
        wait_for_tools();
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out_a4 = make_site(&root);
        // The same site with `paper: letter` in its config, for the no-JavaScript default.
        let config = std::fs::read_to_string(root.join("kizuna.yaml")).unwrap();
        let letter_config: String = config
            .lines()
            .filter(|l| !l.starts_with("paper:"))
            .chain(std::iter::once("paper: letter"))
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(root.join("kizuna.yaml"), letter_config + "\n").unwrap();
        let out_letter = root.join("public-letter");
        build(&root, &out_letter).expect("build with paper: letter");
        std::fs::write(root.join("kizuna.yaml"), &config).unwrap();

        let lessons = find_lessons(&root, &out_a4);
        let mut langs: Vec<String> = lessons.iter().map(|l| l.lang.clone()).collect();
        langs.sort();
        langs.dedup();
        let strings = load_strings(&root, &langs);
        let pdfs = tmp.path().join("pdf");
        std::fs::create_dir_all(&pdfs).unwrap();

        let mut jobs = Vec::new();
        let (mut student_a4, mut teacher_a4, mut student_letter, mut teacher_letter) = (
            BTreeMap::new(),
            BTreeMap::new(),
            BTreeMap::new(),
            BTreeMap::new(),
        );
        for l in &lessons {
            let s = l.file_stem();
            let mut add =
                |map: &mut BTreeMap<String, PathBuf>, out: &Path, page: &str, name: String| {
                    let pdf = pdfs.join(name);
                    jobs.push((file_url(&out.join(&l.dir).join(page), ""), pdf.clone()));
                    map.insert(l.dir.clone(), pdf);
                };
            add(
                &mut student_a4,
                &out_a4,
                "index.html",
                format!("{s}.student.a4.pdf"),
            );
            add(
                &mut teacher_a4,
                &out_a4,
                "teacher/index.html",
                format!("{s}.teacher.a4.pdf"),
            );
            add(
                &mut student_letter,
                &out_letter,
                "index.html",
                format!("{s}.student.letter.pdf"),
            );
            // One teacher copy on US Letter too (the student sheets are all printed on it).
            if l.dir == lessons[0].dir {
                add(
                    &mut teacher_letter,
                    &out_letter,
                    "teacher/index.html",
                    format!("{s}.teacher.letter.pdf"),
                );
            }
        }
        let toggled_letter = lessons.first().map(|l| {
            let pdf = pdfs.join("toggled.letter.pdf");
            jobs.push((
                file_url(&out_a4.join(&l.dir).join("index.html"), "?paper=letter"),
                pdf.clone(),
            ));
            (l.dir.clone(), pdf)
        });
        let mut booklets = BTreeMap::new();
        for lang in &langs {
            let dir = lessons
                .iter()
                .find(|l| &l.lang == lang)
                .unwrap()
                .dir
                .clone();
            let section = dir
                .trim_end_matches('/')
                .rsplit_once('/')
                .unwrap()
                .0
                .to_string();
            let html = out_a4.join(&section).join("print/index.html");
            assert!(html.is_file(), "no print-all page at {section}/print/");
            let pdf = pdfs.join(format!("{lang}.booklet.pdf"));
            jobs.push((file_url(&html, ""), pdf.clone()));
            booklets.insert(lang.clone(), pdf);
        }
        let started = Instant::now();
        let count = jobs.len();
        print_all(jobs);
        eprintln!(
            "printed {count} PDFs in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        Printed {
            _tmp: tmp,
            out_a4,
            lessons,
            strings,
            student_a4,
            teacher_a4,
            student_letter,
            teacher_letter,
            toggled_letter,
            booklets,
        }
    })
}

// ---- Reading PDFs ---------------------------------------------------------------------------------------

struct Info {
    pages: usize,
    width: f64,
    height: f64,
}

fn pdfinfo(pdf: &Path) -> Info {
    let o = Command::new(PDFINFO).arg(pdf).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    let field = |name: &str| -> String {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("{}: no {name} in pdfinfo output:\n{text}", pdf.display()))
            .trim()
            .to_string()
    };
    let pages = field("Pages:").parse().unwrap();
    let size = field("Page size:");
    let nums: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    Info {
        pages,
        width: nums[0],
        height: nums[1],
    }
}

/// Text of a PDF (or of one page, or of one area of one page, in points), without any whitespace, so that
/// line breaks chosen by the browser do not matter.
fn text(pdf: &Path, page: Option<usize>, area: Option<(f64, f64, f64, f64)>) -> String {
    let mut c = Command::new(PDFTOTEXT);
    if let Some(p) = page {
        c.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    if let Some((x, y, w, h)) = area {
        c.args([
            "-x",
            &format!("{}", x as i64),
            "-y",
            &format!("{}", y as i64),
        ]);
        c.args([
            "-W",
            &format!("{}", w as i64),
            "-H",
            &format!("{}", h as i64),
        ]);
    }
    let o = c.arg(pdf).arg("-").output().unwrap();
    norm(&String::from_utf8_lossy(&o.stdout))
}

fn norm(s: &str) -> String {
    // pdftotext joins a word hyphenated at a line end, so hyphens are left out as well.
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{ad}' | '\u{200b}' | '-' | '\u{2010}'))
        .collect()
}

/// Every word on every page with its box: (page, xMin, yMin, xMax, yMax, word).
fn words(pdf: &Path) -> Vec<(usize, f64, f64, f64, f64, String)> {
    let o = Command::new(PDFTOTEXT)
        .args(["-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&o.stdout).to_string();
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let i = tag.find(&key).unwrap() + key.len();
        tag[i..].split('"').next().unwrap().parse().unwrap()
    };
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            page += 1;
        } else if line.starts_with("<word") {
            let word = line
                .split_once('>')
                .map(|x| x.1)
                .unwrap_or("")
                .trim_end_matches("</word>")
                .to_string();
            out.push((
                page,
                attr(line, "xMin"),
                attr(line, "yMin"),
                attr(line, "xMax"),
                attr(line, "yMax"),
                word,
            ));
        }
    }
    out
}

fn is_size(info: &Info, size: (f64, f64)) -> bool {
    (info.width - size.0).abs() < 2.0 && (info.height - size.1).abs() < 2.0
}

fn page_label(p: &Printed, lang: &str, n: usize, m: usize) -> String {
    let pattern = p.strings[lang]
        .get("page_n_of_m")
        .cloned()
        .unwrap_or_else(|| "{n} / {m}".into());
    norm(
        &pattern
            .replace("{n}", &n.to_string())
            .replace("{m}", &m.to_string()),
    )
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} problem(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

// ---- The checks -----------------------------------------------------------------------------------------

#[test]
fn student_sheets_are_a4_and_fit_on_two_pages() {
    let p = printed();
    let mut failures = Vec::new();
    for l in &p.lessons {
        let info = pdfinfo(&p.student_a4[&l.dir]);
        eprintln!("{}: student sheet {} page(s) on A4", l.tag(), info.pages);
        if !is_size(&info, A4) {
            failures.push(format!(
                "{}: student sheet is {}x{} pt, not A4",
                l.tag(),
                info.width,
                info.height
            ));
        }
        if info.pages > 2 {
            failures.push(format!(
                "{}: student sheet takes {} pages on A4 (at most 2)",
                l.tag(),
                info.pages
            ));
        }
        let info = pdfinfo(&p.teacher_a4[&l.dir]);
        eprintln!("{}: teacher copy {} page(s) on A4", l.tag(), info.pages);
        if !is_size(&info, A4) {
            failures.push(format!(
                "{}: teacher copy is {}x{} pt, not A4",
                l.tag(),
                info.width,
                info.height
            ));
        }
    }
    report(failures);
}

#[test]
fn letter_paper_from_the_config_and_from_the_toggle() {
    let p = printed();
    let mut failures = Vec::new();
    for l in &p.lessons {
        let info = pdfinfo(&p.student_letter[&l.dir]);
        eprintln!(
            "{}: student sheet {} page(s) on Letter",
            l.tag(),
            info.pages
        );
        if !is_size(&info, LETTER) {
            failures.push(format!(
                "{}: with paper: letter the sheet is {}x{} pt",
                l.tag(),
                info.width,
                info.height
            ));
        }
        if info.pages > 2 {
            failures.push(format!(
                "{}: student sheet takes {} pages on Letter (at most 2)",
                l.tag(),
                info.pages
            ));
        }
    }
    for (dir, pdf) in &p.teacher_letter {
        let info = pdfinfo(pdf);
        if !is_size(&info, LETTER) {
            failures.push(format!(
                "{dir}: teacher copy with paper: letter is {}x{} pt",
                info.width, info.height
            ));
        }
    }
    let (dir, pdf) = p.toggled_letter.as_ref().unwrap();
    let info = pdfinfo(pdf);
    if !is_size(&info, LETTER) {
        failures.push(format!(
            "{dir}?paper=letter (the page's paper toggle) printed {}x{} pt",
            info.width, info.height
        ));
    }
    report(failures);
}

#[test]
fn teacher_copy_has_the_answer_key_and_the_student_sheet_does_not() {
    let p = printed();
    let mut failures = Vec::new();
    for l in &p.lessons {
        let heading = norm(&p.strings[&l.lang]["answer_key"]);
        let source =
            norm(&std::fs::read_to_string(p.out_a4.parent().unwrap().join(&l.source)).unwrap());
        let student = text(&p.student_a4[&l.dir], None, None);
        let teacher_pdf = &p.teacher_a4[&l.dir];
        let teacher = text(teacher_pdf, None, None);
        if !teacher.contains(&heading) {
            failures.push(format!(
                "{}: teacher copy has no answer key heading {heading:?}",
                l.tag()
            ));
        }
        for (i, (_, answer)) in l.questions.iter().enumerate() {
            let a = norm(answer);
            if !teacher.contains(&a) {
                failures.push(format!(
                    "{}: the answer to question {} is missing from the teacher copy",
                    l.tag(),
                    i + 1
                ));
            }
            // An answer quoted from the story is rightly on the student sheet; others must not be.
            if a.chars().count() >= 12 && source.matches(&a).count() == 1 && student.contains(&a) {
                failures.push(format!(
                    "{}: the answer to question {} is printed on the student sheet",
                    l.tag(),
                    i + 1
                ));
            }
        }
        // The answer key starts on a page of its own, so it can be kept away from pupils.
        let info = pdfinfo(teacher_pdf);
        let body = |n| {
            text(
                teacher_pdf,
                Some(n),
                Some((
                    0.0,
                    MARGIN_STRIP,
                    info.width,
                    info.height - 2.0 * MARGIN_STRIP,
                )),
            )
        };
        if !l.questions.is_empty() && !(2..=info.pages).any(|n| body(n).starts_with(&heading)) {
            failures.push(format!(
                "{}: the answer key does not start a page of its own in the teacher copy",
                l.tag()
            ));
        }
        // Both pages say where they belong: the teacher copy has the timing table and materials too.
        let html =
            std::fs::read_to_string(p.out_a4.join(&l.dir).join("teacher/index.html")).unwrap();
        for needle in [
            "<section class=\"answer-key\">",
            "class=\"checklist\"",
            "class=\"steps timed\"",
        ] {
            if !html.contains(needle) {
                failures.push(format!("{}: teacher copy HTML lacks {needle}", l.tag()));
            }
        }
        let html = std::fs::read_to_string(p.out_a4.join(&l.dir).join("index.html")).unwrap();
        if html.contains("answer-key") {
            failures.push(format!(
                "{}: student sheet HTML contains the answer key",
                l.tag()
            ));
        }
        if html.matches("class=\"question\"").count() != l.questions.len() {
            failures.push(format!(
                "{}: student sheet HTML does not mark every question with class question",
                l.tag()
            ));
        }
        if !html.contains("teacher/") || !html.contains("data-print") {
            failures.push(format!(
                "{}: the lesson page lacks its print buttons",
                l.tag()
            ));
        }
    }
    report(failures);
}

#[test]
fn every_worksheet_question_is_printed_with_room_to_answer() {
    let p = printed();
    let mut failures = Vec::new();
    for l in &p.lessons {
        for (name, pdf) in [
            ("student sheet", &p.student_a4[&l.dir]),
            ("teacher copy", &p.teacher_a4[&l.dir]),
            ("Letter student sheet", &p.student_letter[&l.dir]),
        ] {
            let all = text(pdf, None, None);
            for (i, (q, _)) in l.questions.iter().enumerate() {
                if !all.contains(&norm(q)) {
                    failures.push(format!(
                        "{}: question {} is missing from the {name}",
                        l.tag(),
                        i + 1
                    ));
                }
            }
        }
        // The student sheet is the lesson page with its name line and title, and no navigation.
        let student = text(&p.student_a4[&l.dir], None, None);
        let name = norm(&p.strings[&l.lang]["name"]);
        if !student.starts_with(&name) {
            failures.push(format!(
                "{}: the student sheet does not start with the {name:?} line",
                l.tag()
            ));
        }
        if !student.contains(&norm(&l.title)) {
            failures.push(format!("{}: the student sheet has no title", l.tag()));
        }
        let html = std::fs::read_to_string(p.out_a4.join(&l.dir).join("index.html")).unwrap();
        let qr = html
            .find("class=\"qr-box\"")
            .map(|i| &html[i..])
            .unwrap_or("");
        if !qr.contains("<svg") {
            failures.push(format!("{}: no inline SVG QR code", l.tag()));
        }
        let rules = html.matches("class=\"rule\"").count();
        let wanted = std::fs::read_to_string(p.out_a4.parent().unwrap().join(&l.source)).map(|t| {
            front_matter(&t)["questions"]
                .as_sequence()
                .map(|qs| {
                    qs.iter()
                        .map(|q| q.get("lines").and_then(|x| x.as_u64()).unwrap_or(2) as usize)
                        .sum::<usize>()
                })
                .unwrap_or(0)
        });
        if let Ok(wanted) = wanted {
            if rules != wanted {
                failures.push(format!(
                    "{}: {rules} ruled answer lines, but the questions ask for {wanted}",
                    l.tag()
                ));
            }
        }
    }
    report(failures);
}

#[test]
fn no_text_runs_off_the_page() {
    let p = printed();
    let mut failures = Vec::new();
    let mut all: Vec<(String, &PathBuf)> = Vec::new();
    for l in &p.lessons {
        all.push((format!("{} student A4", l.tag()), &p.student_a4[&l.dir]));
        all.push((format!("{} teacher A4", l.tag()), &p.teacher_a4[&l.dir]));
        all.push((
            format!("{} student Letter", l.tag()),
            &p.student_letter[&l.dir],
        ));
    }
    for (lang, pdf) in &p.booklets {
        all.push((format!("print-all [{lang}]"), pdf));
    }
    for (name, pdf) in all {
        let info = pdfinfo(pdf);
        for (page, x0, y0, x1, y1, word) in words(pdf) {
            // Fonts with tall ascenders (CJK, Myanmar) give tall boxes, so vertically the middle of a word counts.
            let middle = (y0 + y1) / 2.0;
            if x0 < EDGE || middle < EDGE || x1 > info.width - EDGE || middle > info.height - EDGE {
                failures.push(format!("{name}: page {page}: {word:?} at ({x0:.0},{y0:.0})-({x1:.0},{y1:.0}) is off the printable page"));
                break;
            }
        }
    }
    report(failures);
}

#[test]
fn page_numbers_and_the_running_header() {
    let p = printed();
    let mut failures = Vec::new();
    for l in &p.lessons {
        for (name, pdf) in [
            ("student sheet", &p.student_a4[&l.dir]),
            ("teacher copy", &p.teacher_a4[&l.dir]),
        ] {
            let info = pdfinfo(pdf);
            for n in 1..=info.pages {
                let bottom = text(
                    pdf,
                    Some(n),
                    Some((0.0, info.height - MARGIN_STRIP, info.width, MARGIN_STRIP)),
                );
                let label = page_label(p, &l.lang, n, info.pages);
                if !bottom.contains(&label) {
                    failures.push(format!(
                        "{}: {name} page {n}: footer {bottom:?} lacks {label:?}",
                        l.tag()
                    ));
                }
                let top = text(pdf, Some(n), Some((0.0, 0.0, info.width, MARGIN_STRIP)));
                if n == 1 && !top.is_empty() {
                    failures.push(format!(
                        "{}: {name} page 1 has a running header {top:?}",
                        l.tag()
                    ));
                }
                if n > 1 && !top.contains(&norm(&l.title)) {
                    failures.push(format!(
                        "{}: {name} page {n}: header {top:?} lacks the lesson title",
                        l.tag()
                    ));
                }
            }
        }
    }
    report(failures);
}

#[test]
fn print_all_starts_every_lesson_on_a_new_page() {
    let p = printed();
    let mut failures = Vec::new();
    for (lang, pdf) in &p.booklets {
        let info = pdfinfo(pdf);
        if !is_size(&info, A4) {
            failures.push(format!(
                "print-all [{lang}] is {}x{} pt, not A4",
                info.width, info.height
            ));
        }
        let name = norm(&p.strings[lang]["name"]);
        let bodies: Vec<String> = (1..=info.pages)
            .map(|n| {
                text(
                    pdf,
                    Some(n),
                    Some((
                        0.0,
                        MARGIN_STRIP,
                        info.width,
                        info.height - 2.0 * MARGIN_STRIP,
                    )),
                )
            })
            .collect();
        let mut ours: Vec<&Lesson> = p.lessons.iter().filter(|l| &l.lang == lang).collect();
        ours.sort_by_key(|l| l.dir.clone());
        let mut last_page = 0;
        for l in &ours {
            let title = norm(&l.title);
            // The lesson's first page begins with the name line and carries its title.
            let Some(first) = bodies
                .iter()
                .position(|b| b.starts_with(&name) && b.contains(&title))
            else {
                failures.push(format!(
                    "print-all [{lang}]: {} does not start a page",
                    l.tag()
                ));
                continue;
            };
            if first < last_page {
                failures.push(format!(
                    "print-all [{lang}]: {} starts on page {} before the lesson before it",
                    l.tag(),
                    first + 1
                ));
            }
            last_page = first + 1;
            let booklet = bodies.concat();
            for (i, (q, a)) in l.questions.iter().enumerate() {
                if !booklet.contains(&norm(q)) {
                    failures.push(format!(
                        "print-all [{lang}]: {}: question {} missing",
                        l.tag(),
                        i + 1
                    ));
                }
                let source = norm(
                    &std::fs::read_to_string(p.out_a4.parent().unwrap().join(&l.source)).unwrap(),
                );
                if norm(a).chars().count() >= 12
                    && source.matches(&norm(a)).count() == 1
                    && booklet.contains(&norm(a))
                {
                    failures.push(format!(
                        "print-all [{lang}]: {}: answer {} printed",
                        l.tag(),
                        i + 1
                    ));
                }
            }
        }
        eprintln!(
            "print-all [{lang}]: {} lessons on {} pages",
            ours.len(),
            info.pages
        );
    }
    report(failures);
}
