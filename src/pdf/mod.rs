//! Lesson sheets as PDF, made by `kizuna build` itself — no browser — with Typst as a library: each lesson's
//! student sheet and teacher copy on every configured paper, in the lesson page's folder
//! (`lesson-02-student-a4.pdf`), and a booklet of a section's lessons per language
//! (`lessons/lessons-en-teacher-letter.pdf`).
//!
//! The stage runs in two steps. [`plan`], before the pages render, decides which PDFs there will be (a
//! lesson whose characters no font covers gets none, with a warning), so that pages link only to PDFs that
//! exist. [`make`] then compiles them — or takes them from the [`Cache`] when nothing they are made from
//! changed. A student sheet that runs over two pages is set again, smaller, until it fits.

pub mod cache;
mod markup;
mod sheet;
mod text;
mod world;

pub use cache::Cache;
pub use sheet::Variant;

use crate::config::Paper;
use crate::content::schema::{Kind, KindData};
use crate::diagnostic::{Code, Diagnostic};
use crate::fingerprint::Fnv;
use crate::render::OutputFile;
use crate::site::Site;
use crate::theme::Theme;
use cache::Entry;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use sheet::{Lesson, Sheet};
use std::collections::BTreeMap;
use world::Engine;

/// The template every PDF is set with, in the theme's `pdf/` folder.
const TEMPLATE: &str = "lesson.typ";

/// The scales a student sheet is tried at, largest first, until it fits two pages.
const SCALES: [f64; 5] = [1.0, 0.94, 0.88, 0.82, 0.76];

/// Pages a student sheet may take.
const STUDENT_PAGES: usize = 2;

/// One PDF a page offers for download.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Download {
    pub variant: Variant,
    pub paper: Paper,
    /// Its output path.
    pub path: String,
}

/// Which PDFs the build makes, decided before the pages render so that they link only to PDFs that exist.
#[derive(Default)]
pub struct Plan {
    /// Lesson page index → its PDFs.
    pub lessons: BTreeMap<usize, Vec<Download>>,
    /// Section index → the booklets of its lessons.
    pub booklets: BTreeMap<usize, Vec<Download>>,
    /// Warnings: lessons without PDFs, and why.
    pub diagnostics: Vec<Diagnostic>,
    work: Option<Work>,
}

/// What [`make`] needs beyond the plan.
struct Work {
    engine: std::sync::Arc<Engine>,
    /// Where the template was read from (for errors), and its text.
    template: (String, String),
    lessons: BTreeMap<usize, Lesson>,
    /// UI strings by language.
    strings: BTreeMap<String, Map<String, Value>>,
}

impl Plan {
    /// Every output path the plan makes.
    pub fn paths(&self) -> impl Iterator<Item = (&str, String)> + '_ {
        let lessons = self
            .lessons
            .values()
            .flatten()
            .map(|d| (d.path.as_str(), "a lesson PDF".to_string()));
        let booklets = self
            .booklets
            .values()
            .flatten()
            .map(|d| (d.path.as_str(), "a lesson booklet PDF".to_string()));
        lessons.chain(booklets)
    }
}

/// UI strings the template sets, checked for font coverage with the lessons.
const STRING_KEYS: &[&str] = &[
    "objectives",
    "story",
    "activity",
    "worksheet",
    "materials",
    "timing",
    "step",
    "minutes",
    "clock",
    "total",
    "teacher_notes",
    "answer_key",
    "name",
    "class",
    "date",
    "translation_draft",
    "page_n_of_m",
    "lesson",
    "ages",
];

/// Decides the PDFs of `site`; `markdown(i)` is lesson page `i`'s body.
pub fn plan<'a>(site: &'a Site, theme: &Theme, markdown: impl Fn(usize) -> &'a str) -> Plan {
    let settings = &site.config.pdf;
    let Some(template) = theme.pdf_templates.get(TEMPLATE) else {
        return Plan::default();
    };
    if !settings.enabled || settings.papers.is_empty() {
        return Plan::default();
    }
    let indices: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].doc.kind == Kind::Lesson)
        .collect();
    if indices.is_empty() {
        return Plan::default();
    }
    let strings: BTreeMap<String, Map<String, Value>> = site
        .config
        .languages
        .iter()
        .map(|l| {
            let s = crate::render::i18n::Strings::new(&theme.strings, &l.code);
            (l.code.clone(), s.map)
        })
        .collect();
    let empty = Map::new();
    let t_of = |lang: &str| strings.get(lang).unwrap_or(&empty);
    let lessons: BTreeMap<usize, Lesson> = indices
        .iter()
        .filter_map(|&i| {
            Lesson::of_page(site, i, markdown(i), t_of(&site.pages[i].doc.lang)).map(|l| (i, l))
        })
        .collect();
    let text_of = |i: usize, lesson: &Lesson| {
        let t = t_of(&site.pages[i].doc.lang);
        let mut text = lesson.text();
        for key in STRING_KEYS {
            text.push_str(t.get(*key).and_then(Value::as_str).unwrap_or(""));
        }
        text
    };
    let mut engine = Engine::shared(theme, false);
    if lessons
        .iter()
        .any(|(i, l)| !engine.uncovered(&text_of(*i, l)).is_empty())
    {
        engine = Engine::shared(theme, true);
    }
    let mut plan = Plan::default();
    // Lessons no font covers, by language: (files, characters).
    let mut missing: BTreeMap<&str, (Vec<&std::path::Path>, std::collections::BTreeSet<char>)> =
        BTreeMap::new();
    for (&i, lesson) in &lessons {
        let page = &site.pages[i];
        let uncovered = engine.uncovered(&text_of(i, lesson));
        if !uncovered.is_empty() {
            let entry = missing.entry(page.doc.lang.as_str()).or_default();
            entry.0.push(&page.doc.file);
            entry.1.extend(uncovered);
            continue;
        }
        let slug = last_segment(&page.path, "lesson");
        let downloads = Variant::ALL
            .iter()
            .flat_map(|&variant| {
                settings.papers.iter().map(move |&paper| Download {
                    variant,
                    paper,
                    path: format!(
                        "{}{slug}-{}-{}.pdf",
                        page.path,
                        variant.name(),
                        paper.name()
                    ),
                })
            })
            .collect();
        plan.lessons.insert(i, downloads);
    }
    for (lang, (files, chars)) in missing {
        let sample: String = chars.iter().take(12).collect();
        plan.diagnostics.push(
            Diagnostic::warning(
                Code::PdfFont,
                format!(
                    "no font for {} character(s) of {} lesson(s) in `{lang}` (such as {sample}), so their PDFs \
                     are not made",
                    chars.len(),
                    files.len(),
                ),
            )
            .in_file(files[0])
            .hint(font_hint(&chars, &site.config.theme)),
        );
    }
    if settings.booklets {
        for (s, section) in site.sections.iter().enumerate() {
            if !section.pages.iter().any(|i| plan.lessons.contains_key(i)) {
                continue;
            }
            let slug = last_segment(&section.path, "lessons");
            let downloads = Variant::ALL
                .iter()
                .flat_map(|&variant| {
                    settings.papers.iter().map(move |&paper| Download {
                        variant,
                        paper,
                        path: format!(
                            "{}{slug}-{}-{}-{}.pdf",
                            section.path,
                            section.lang,
                            variant.name(),
                            paper.name()
                        ),
                    })
                })
                .collect();
            plan.booklets.insert(s, downloads);
        }
    }
    plan.work = Some(Work {
        engine,
        template: template.clone(),
        lessons,
        strings,
    });
    plan
}

/// What to install for characters no font covers.
fn font_hint(chars: &std::collections::BTreeSet<char>, theme: &str) -> String {
    let cjk = chars.iter().any(|&c| {
        matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{FF00}'..='\u{FFEF}')
    });
    if cjk {
        format!(
            "install Noto Sans CJK (Debian/Ubuntu: `apt install fonts-noto-cjk`; Fedora: `dnf install \
             google-noto-sans-cjk-fonts`; macOS and Windows: Noto Sans JP from fonts.google.com), or put a \
             font that covers them in themes/{theme}/fonts/"
        )
    } else {
        format!("put a font that covers them (such as a Noto font for the script) in themes/{theme}/fonts/")
    }
}

/// The last segment of a site path (`lessons/lesson-02/` → `lesson-02`), or `fallback` for the root.
fn last_segment<'a>(path: &'a str, fallback: &'a str) -> &'a str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(fallback)
}

/// One PDF to make.
struct Job<'a> {
    download: &'a Download,
    title: String,
    lang: &'a str,
    /// Lesson page indices, in order.
    lessons: Vec<usize>,
    /// What the PDF is of, for errors.
    origin: String,
}

/// Makes the planned PDFs (from `cache` where nothing they are made from changed). Template errors are
/// errors; a student sheet that does not fit two pages is a warning.
pub fn make(plan: &Plan, site: &Site, cache: &Cache) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let Some(work) = &plan.work else {
        return (Vec::new(), Vec::new());
    };
    let title_of = |i: usize| work.lessons[&i].title.clone();
    let sheets: Vec<Job> = plan
        .lessons
        .iter()
        .flat_map(|(&i, downloads)| {
            downloads.iter().map(move |d| Job {
                download: d,
                title: match d.variant {
                    Variant::Student => title_of(i),
                    Variant::Teacher => {
                        format!("{} — {}", title_of(i), teacher_label(work, site, i))
                    }
                },
                lang: site.pages[i].doc.content_lang(),
                lessons: vec![i],
                origin: site.pages[i].doc.file.display().to_string(),
            })
        })
        .collect();
    let made: Vec<Result<Made, Diagnostic>> = pool().install(|| {
        sheets
            .par_iter()
            .map(|job| compile(work, site, job, &BTreeMap::new(), cache))
            .collect()
    });
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    // The scale each lesson's student sheet was set at, by paper, for the booklets.
    let mut scales: BTreeMap<(usize, Paper), f64> = BTreeMap::new();
    for (job, result) in sheets.iter().zip(made) {
        match result {
            Ok(made) => {
                if job.download.variant == Variant::Student {
                    scales.insert((job.lessons[0], job.download.paper), made.entry.scale);
                    if made.entry.pages > STUDENT_PAGES {
                        diagnostics.push(
                            Diagnostic::warning(
                                Code::PdfTooLong,
                                format!(
                                    "the student sheet takes {} pages on {} even set at {:.0}% size",
                                    made.entry.pages,
                                    job.download.paper.name(),
                                    made.entry.scale * 100.0
                                ),
                            )
                            .in_file(&job.origin)
                            .hint("shorten the story or the worksheet, or split the lesson in two"),
                        );
                    }
                }
                files.push((job.download.path.clone(), made.entry.bytes));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let booklets: Vec<Job> = plan
        .booklets
        .iter()
        .flat_map(|(&s, downloads)| {
            let section = &site.sections[s];
            // In the print-all page's order: by number.
            let mut lessons: Vec<usize> = section
                .pages
                .iter()
                .copied()
                .filter(|i| plan.lessons.contains_key(i))
                .collect();
            lessons.sort_by_key(|i| match &site.pages[*i].doc.data {
                KindData::Lesson(l) => (l.number, site.pages[*i].doc.id.as_str()),
                _ => (u32::MAX, site.pages[*i].doc.id.as_str()),
            });
            downloads.iter().map(move |d| Job {
                download: d,
                title: section.title.clone(),
                lang: &section.lang,
                lessons: lessons.clone(),
                origin: format!(
                    "the booklet of section `{}` ({})",
                    section.dir, section.lang
                ),
            })
        })
        .collect();
    let made: Vec<Result<Made, Diagnostic>> = pool().install(|| {
        booklets
            .par_iter()
            .map(|job| compile(work, site, job, &scales, cache))
            .collect()
    });
    for (job, result) in booklets.iter().zip(made) {
        match result {
            Ok(made) => files.push((job.download.path.clone(), made.entry.bytes)),
            Err(d) => diagnostics.push(d),
        }
    }
    cache.sweep();
    // One report of a broken template, not one per PDF.
    diagnostics.dedup_by(|a, b| a.code == b.code && a.message == b.message);
    (files, diagnostics)
}

/// Threads with room for Typst's deep recursion (layout of nested content): rayon's default stacks are too
/// small for it.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(64 << 20)
            .thread_name(|n| format!("kizuna-pdf-{n}"))
            .build()
            .or_else(|_| rayon::ThreadPoolBuilder::new().build())
            .expect("a thread pool")
    })
}

fn teacher_label(work: &Work, site: &Site, i: usize) -> String {
    work.strings
        .get(&site.pages[i].doc.lang)
        .and_then(|t| t.get("teacher_copy"))
        .and_then(Value::as_str)
        .unwrap_or("Teacher copy")
        .to_string()
}

/// A made PDF.
struct Made {
    entry: Entry,
}

/// Compiles one PDF, trying smaller scales for a student sheet over two pages. `scales` gives a booklet each
/// lesson's student-sheet scale.
fn compile(
    work: &Work,
    site: &Site,
    job: &Job,
    scales: &BTreeMap<(usize, Paper), f64>,
    cache: &Cache,
) -> Result<Made, Diagnostic> {
    let d = job.download;
    let empty = Map::new();
    let t = work.strings.get(job.lang).unwrap_or(&empty);
    let sheet_at = |scale: Option<f64>| Sheet {
        title: job.title.clone(),
        site: &site.config.title,
        lang: job.lang,
        variant: d.variant,
        paper: d.paper,
        t,
        lessons: job
            .lessons
            .iter()
            .map(|i| {
                let s = scale.unwrap_or_else(|| match d.variant {
                    Variant::Student => scales.get(&(*i, d.paper)).copied().unwrap_or(1.0),
                    Variant::Teacher => 1.0,
                });
                (&work.lessons[i], s)
            })
            .collect(),
    };
    let fits = job.lessons.len() == 1 && d.variant == Variant::Student;
    let first = sheet_at(fits.then_some(SCALES[0]));
    let files = first.files();
    let key = key(work, &d.path, &files);
    if let Some(entry) = cache.get(&key) {
        return Ok(Made { entry });
    }
    let tries: &[f64] = if fits { &SCALES } else { &[1.0] };
    let mut entry = None;
    for (n, &scale) in tries.iter().enumerate() {
        let files = if n == 0 {
            files.clone()
        } else {
            sheet_at(Some(scale)).files()
        };
        let pdf = work
            .engine
            .pdf(&work.template.1, files, &d.path)
            .map_err(|errors| template_error(work, job, errors))?;
        let done = !fits || pdf.pages <= STUDENT_PAGES || n + 1 == tries.len();
        entry = Some(Entry {
            bytes: pdf.bytes,
            scale,
            pages: pdf.pages,
        });
        if done {
            break;
        }
    }
    let entry = entry.ok_or_else(|| Diagnostic::error(Code::Internal, "no scale was tried"))?;
    cache.put(&key, &entry);
    Ok(Made { entry })
}

/// The cache key of a PDF: kizuna's version, the fonts, the template, the output path (its document id) and
/// every file the template reads.
fn key(work: &Work, path: &str, files: &[(String, Vec<u8>)]) -> String {
    let mut h = Fnv::default();
    let mut g = Fnv::default();
    for part in [
        env!("CARGO_PKG_VERSION"),
        &work.engine.fonts_key,
        &work.template.1,
        path,
    ] {
        h.write(part.as_bytes());
        h.write(&[0]);
        g.write(&[1]);
        g.write(part.as_bytes());
    }
    for (name, bytes) in files {
        for hash in [&mut h, &mut g] {
            hash.write(name.as_bytes());
            hash.write(&(bytes.len() as u64).to_le_bytes());
            hash.write(bytes);
        }
    }
    format!("{}{}", h.hex(), g.hex())
}

/// A Typst error as a diagnostic: in the template, with its line; elsewhere (the markup kizuna made from a
/// lesson), a bug to report.
fn template_error(work: &Work, job: &Job, errors: Vec<world::TypstError>) -> Diagnostic {
    let (shown, text) = &work.template;
    let (message, range) = errors
        .into_iter()
        .next()
        .unwrap_or_else(|| ("unknown error".into(), None));
    match range {
        Some(range) => Diagnostic::error(
            Code::PdfTemplate,
            format!("the PDF template fails: {message}"),
        )
        .in_file(shown)
        .at_offset(text, range.start)
        .spanning(text[range.clone()].chars().count().min(80))
        .hint(format!(
            "fix the template; it failed while making {}",
            job.download.path
        )),
        None => Diagnostic::error(
            Code::Internal,
            format!("the PDF of {} fails: {message}", job.origin),
        )
        .hint("this is a bug in kizuna: please report it with the lesson"),
    }
}
