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
use typst_layout::PagedDocument;
use world::Engine;

/// The template every PDF is set with, in the theme's `pdf/` folder.
const TEMPLATE: &str = "lesson.typ";

/// The smallest scale a student sheet is set at to fit two pages (as the print stylesheet's densest: 8.8 pt for
/// Burmese and Khmer, 8.8 pt for Latin scripts).
const MIN_SCALE: f64 = 0.84;

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
    /// For a language without strings.
    no_strings: Map<String, Value>,
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
        no_strings: Map::new(),
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

/// One lesson sheet to make.
struct Job<'a> {
    /// Lesson page index.
    lesson: usize,
    download: &'a Download,
    /// Its cache key.
    key: String,
}

/// A made sheet: the cached entry, and its layout when a booklet still needs it.
struct Made {
    entry: Entry,
    document: Option<PagedDocument>,
}

/// Makes the planned PDFs, from `cache` where nothing they are made from changed. They are made a section's
/// lessons in one variant and on one paper at a time, in parallel, and that booklet is bound from their pages
/// (each lesson starting on an odd page) before the next group, so that at most one group's layouts are held.
/// Template errors are errors; a student sheet that does not fit two pages is a warning.
pub fn make(plan: &Plan, site: &Site, cache: &Cache) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let Some(work) = &plan.work else {
        return (Vec::new(), Vec::new());
    };
    let sections: Vec<usize> = plan
        .lessons
        .keys()
        .map(|&i| site.pages[i].section)
        .collect::<std::collections::BTreeSet<usize>>()
        .into_iter()
        .collect();
    // Sections in parallel, each one group after the other.
    let made: Vec<(Vec<OutputFile>, Vec<Diagnostic>)> = pool().install(|| {
        sections
            .par_iter()
            .map(|&s| make_section(plan, work, site, cache, s))
            .collect()
    });
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for (f, d) in made {
        files.extend(f);
        diagnostics.extend(d);
    }
    cache.sweep();
    // One report of a broken template, not one per PDF.
    diagnostics.dedup_by(|a, b| a.code == b.code && a.message == b.message);
    (files, diagnostics)
}

/// The PDFs of section `s`'s lessons: one variant on one paper at a time, in parallel, and that booklet bound
/// from their pages before the next.
fn make_section(
    plan: &Plan,
    work: &Work,
    site: &Site,
    cache: &Cache,
    s: usize,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    // The paper with the shortest page first: a student sheet that fits it fits the others at the same scale,
    // so every paper's sheet is set alike, and Typst lays out each paragraph once for all of them.
    let mut papers = site.config.pdf.papers.clone();
    papers.sort_by(|a, b| body_height(*a).total_cmp(&body_height(*b)));
    papers.dedup();
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    // The scale each lesson's student sheet fitted at on the last paper: where the next paper starts.
    let mut fitted: BTreeMap<usize, f64> = BTreeMap::new();
    {
        let lessons = booklet_lessons(plan, site, s);
        for variant in Variant::ALL {
            for &paper in &papers {
                let jobs: Vec<Job> = lessons
                    .iter()
                    .filter_map(|&lesson| {
                        let download = plan.lessons[&lesson]
                            .iter()
                            .find(|d| d.variant == variant && d.paper == paper)?;
                        let files = sheet(work, site, lesson, download, 1.0).files();
                        Some(Job {
                            lesson,
                            download,
                            key: key(work, &download.path, &files),
                        })
                    })
                    .collect();
                let booklet = plan.booklets.get(&s).and_then(|list| {
                    let download = list
                        .iter()
                        .find(|d| d.variant == variant && d.paper == paper)?;
                    let parts: Vec<(String, Vec<u8>)> = jobs
                        .iter()
                        .map(|j| (j.key.clone(), Vec::new()))
                        .chain([(site.sections[s].title.clone(), Vec::new())])
                        .collect();
                    Some((download, key(work, &download.path, &parts)))
                });
                let cached = booklet.as_ref().map(|(_, k)| cache.get(k));
                let keep = matches!(cached, Some(None));
                let made: Vec<Result<Made, Diagnostic>> = {
                    jobs.par_iter()
                        .map(|job| {
                            let start = match (variant, fitted.get(&job.lesson)) {
                                (Variant::Student, Some(&scale)) => scale,
                                _ => 1.0,
                            };
                            made_sheet(work, site, job, cache, keep, start)
                        })
                        .collect()
                };
                let mut documents = Vec::new();
                for (job, result) in jobs.iter().zip(made) {
                    match result {
                        Ok(made) => {
                            if variant == Variant::Student {
                                fitted.insert(job.lesson, made.entry.scale);
                                if made.entry.pages > STUDENT_PAGES {
                                    diagnostics.push(too_long(site, job, &made.entry));
                                }
                            }
                            documents.extend(made.document);
                            files.push((job.download.path.clone(), made.entry.bytes));
                        }
                        Err(d) => diagnostics.push(d),
                    }
                }
                // Typst's memo of layouts: keep what the last few groups used (a lesson on the other paper reuses
                // its paragraphs), not everything laid out so far.
                typst::comemo::evict(4);
                let Some((download, booklet_key)) = booklet else {
                    continue;
                };
                let entry = match cached.flatten() {
                    Some(entry) => entry,
                    // A sheet that failed is reported already.
                    None if documents.len() < jobs.len() => continue,
                    None => match bound(
                        work,
                        download,
                        &booklet_title(work, site, s, variant),
                        &documents,
                    ) {
                        Ok(entry) => {
                            cache.put(&booklet_key, &entry);
                            entry
                        }
                        Err(d) => {
                            diagnostics.push(d);
                            continue;
                        }
                    },
                };
                files.push((download.path.clone(), entry.bytes));
            }
        }
    }
    (files, diagnostics)
}

/// A booklet's document title: the section's, and for teachers "Teacher copy" in its language.
fn booklet_title(work: &Work, site: &Site, s: usize, variant: Variant) -> String {
    let section = &site.sections[s];
    match variant {
        Variant::Student => section.title.clone(),
        Variant::Teacher => format!("{} — {}", section.title, teacher_copy(work, &section.lang)),
    }
}

/// "Teacher copy" in `lang`.
fn teacher_copy<'a>(work: &'a Work, lang: &str) -> &'a str {
    work.strings
        .get(lang)
        .and_then(|t| t.get("teacher_copy"))
        .and_then(Value::as_str)
        .unwrap_or("Teacher copy")
}

/// The lessons of section `s` that have PDFs, in the print-all page's order: by number.
fn booklet_lessons(plan: &Plan, site: &Site, s: usize) -> Vec<usize> {
    let mut lessons: Vec<usize> = site.sections[s]
        .pages
        .iter()
        .copied()
        .filter(|i| plan.lessons.contains_key(i))
        .collect();
    lessons.sort_by_key(|i| match &site.pages[*i].doc.data {
        KindData::Lesson(l) => (l.number, site.pages[*i].doc.id.as_str()),
        _ => (u32::MAX, site.pages[*i].doc.id.as_str()),
    });
    lessons
}

fn too_long(site: &Site, job: &Job, entry: &Entry) -> Diagnostic {
    Diagnostic::warning(
        Code::PdfTooLong,
        format!(
            "the student sheet takes {} pages on {} even set at {:.0}% size",
            entry.pages,
            job.download.paper.name(),
            entry.scale * 100.0
        ),
    )
    .in_file(&site.pages[job.lesson].doc.file)
    .hint("shorten the story or the worksheet, or split the lesson in two")
}

/// A booklet: the sheets' pages one after the other, a blank page after a lesson that ends on an odd page so
/// that each starts on a right-hand page when printed on both sides.
fn bound(
    work: &Work,
    download: &Download,
    title: &str,
    sheets: &[PagedDocument],
) -> Result<Entry, Diagnostic> {
    let mut pages = Vec::new();
    for sheet in sheets {
        pages.extend(sheet.pages().iter().cloned());
        if pages.len() % 2 == 1 {
            if let Some(last) = sheet.pages().last() {
                let mut blank = last.clone();
                blank.frame = typst::layout::Frame::hard(last.frame.size());
                pages.push(blank);
            }
        }
    }
    let count = pages.len();
    let mut first = sheets.first().cloned().ok_or_else(|| {
        Diagnostic::error(
            Code::Internal,
            format!("the booklet {} has no lessons", download.path),
        )
    })?;
    let mut info = first.info_mut().clone();
    info.title = Some(title.into());
    let document = PagedDocument::new(pages.into_iter().collect(), info);
    let bytes = work.engine.export(&document, &download.path).map_err(|e| {
        Diagnostic::error(
            Code::Internal,
            format!(
                "the booklet {} cannot be written: {}",
                download.path,
                e.first().map(|e| e.0.as_str()).unwrap_or("")
            ),
        )
        .hint("this is a bug in kizuna: please report it")
    })?;
    Ok(Entry {
        bytes,
        scale: 1.0,
        pages: count,
    })
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

/// The sheet of `lesson` for `download` at `scale`.
fn sheet<'a>(
    work: &'a Work,
    site: &'a Site,
    lesson: usize,
    download: &Download,
    scale: f64,
) -> Sheet<'a> {
    let page = &site.pages[lesson];
    let t = work.strings.get(&page.doc.lang).unwrap_or(&work.no_strings);
    let title = &work.lessons[&lesson].title;
    Sheet {
        title: match download.variant {
            Variant::Student => title.clone(),
            Variant::Teacher => format!("{title} — {}", teacher_copy(work, &page.doc.lang)),
        },
        site: &site.config.title,
        lang: page.doc.content_lang(),
        variant: download.variant,
        paper: download.paper,
        t,
        lesson: &work.lessons[&lesson],
        scale,
    }
}

/// One sheet, from the cache or laid out — a student sheet from scale `start`, again smaller until it fits two
/// pages. With `keep`, its layout is returned for a booklet (a cached sheet is laid out again at its scale).
fn made_sheet(
    work: &Work,
    site: &Site,
    job: &Job,
    cache: &Cache,
    keep: bool,
    start: f64,
) -> Result<Made, Diagnostic> {
    let d = job.download;
    let layout = |scale: f64| {
        work.engine
            .compile(
                &work.template.1,
                sheet(work, site, job.lesson, d, scale).files(),
            )
            .map_err(|errors| template_error(work, site, job, errors))
    };
    if let Some(entry) = cache.get(&job.key) {
        let document = if keep {
            Some(layout(entry.scale)?)
        } else {
            None
        };
        return Ok(Made { entry, document });
    }
    let mut scale = if d.variant == Variant::Student {
        ((start * 100.0).floor() / 100.0).clamp(MIN_SCALE, 1.0)
    } else {
        1.0
    };
    let mut document = layout(scale)?;
    if d.variant == Variant::Student {
        while document.pages().len() > STUDENT_PAGES && scale > MIN_SCALE {
            // The room the sheet needs, in pages, tells how much smaller to set it: text area shrinks with the
            // square of the scale. Aim a little under, then step down until it fits.
            let need = pages_used(&document);
            let guess = scale * (STUDENT_PAGES as f64 / need).sqrt() * 0.98;
            scale = (guess.min(scale - 0.02) * 100.0).floor() / 100.0;
            scale = scale.max(MIN_SCALE);
            document = layout(scale)?;
        }
    }
    let bytes = work
        .engine
        .export(&document, &d.path)
        .map_err(|errors| template_error(work, site, job, errors))?;
    let entry = Entry {
        bytes,
        scale,
        pages: document.pages().len(),
    };
    cache.put(&job.key, &entry);
    Ok(Made {
        entry,
        document: keep.then_some(document),
    })
}

/// The height of the template's text area on `paper`, in mm (15 mm above, 16 mm below).
fn body_height(paper: Paper) -> f64 {
    match paper {
        Paper::A4 => 297.0 - 31.0,
        Paper::Letter => 279.4 - 31.0,
    }
}

/// How many pages of text a document holds: its full pages, and how far down the last one its text reaches
/// (the footer aside).
fn pages_used(document: &PagedDocument) -> f64 {
    let Some(last) = document.pages().last() else {
        return 0.0;
    };
    let height = last.frame.height().to_pt();
    // The template's top and bottom margins (15 mm, 16 mm).
    let (top, bottom) = (15.0 * 72.0 / 25.4, 16.0 * 72.0 / 25.4);
    let lowest = lowest_text(&last.frame, 0.0, height - bottom).unwrap_or(top);
    let fill = ((lowest - top) / (height - top - bottom)).clamp(0.0, 1.0);
    (document.pages().len() - 1) as f64 + fill
}

/// The lowest baseline of text above `limit` in `frame` placed at `y`.
fn lowest_text(frame: &typst::layout::Frame, y: f64, limit: f64) -> Option<f64> {
    frame
        .items()
        .filter_map(|(pos, item)| {
            let at = y + pos.y.to_pt();
            match item {
                typst::layout::FrameItem::Text(_) => Some(at).filter(|a| *a < limit),
                typst::layout::FrameItem::Group(g) => {
                    lowest_text(&g.frame, at + g.transform.ty.to_pt(), limit)
                }
                _ => None,
            }
        })
        .reduce(f64::max)
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
fn template_error(
    work: &Work,
    site: &Site,
    job: &Job,
    errors: Vec<world::TypstError>,
) -> Diagnostic {
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
            format!(
                "the PDF of {} fails: {message}",
                site.pages[job.lesson].doc.file.display()
            ),
        )
        .hint("this is a bug in kizuna: please report it with the lesson"),
    }
}
