//! Making the planned PDFs: each sheet from the cache or laid out, a section's booklets bound from its sheets.

use super::cache::{Cache, Entry, Key};
use super::fit::{body_height, pages_used, paper_size, MIN_SCALE, STUDENT_PAGES};
use super::sheet::{Sheet, Variant};
use super::{world, Download, Plan, Work};
use crate::config::Paper;
use crate::content::schema::KindData;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::OutputFile;
use crate::site::Site;
use rayon::prelude::*;
use serde_json::Value;
use typst::layout::{Abs, Axes, FixedAlignment, Size};
use typst_layout::PagedDocument;

/// One lesson sheet in one variant, to make on every paper.
struct Job<'a> {
    /// Lesson page index.
    lesson: usize,
    /// Its PDFs, one per paper in the order of `papers`, each with its cache key.
    pdfs: Vec<(&'a Download, String)>,
}

/// A made sheet: its entries, one per paper, and its layouts on each paper when a booklet still needs them.
struct Made {
    entries: Vec<Entry>,
    documents: Vec<PagedDocument>,
}

/// Makes the planned PDFs, from `cache` where nothing they are made from changed. They are made a section's
/// lessons in one variant at a time, in parallel, and that variant's booklets are bound from their pages (each
/// lesson starting on an odd page) before the next, so that at most one variant's layouts are held. Template
/// errors are errors; a student sheet that does not fit two pages is a warning.
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
    // Sections in parallel, each one variant after the other.
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

/// The PDFs of section `s`'s lessons: one variant at a time, each sheet laid out once for every paper, and
/// that variant's booklets bound from their pages before the next.
fn make_section(
    plan: &Plan,
    work: &Work,
    site: &Site,
    cache: &Cache,
    s: usize,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let papers = papers(site);
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let lessons = booklet_lessons(plan, site, s);
    for variant in Variant::ALL {
        let jobs: Vec<Job> = lessons
            .iter()
            .filter_map(|&lesson| {
                let files = sheet(work, site, lesson, variant, papers[0], 1.0).files();
                let pdfs: Vec<(&Download, String)> = papers
                    .iter()
                    .filter_map(|&paper| {
                        plan.lessons[&lesson]
                            .iter()
                            .find(|d| d.variant == variant && d.paper == paper)
                    })
                    .map(|d| (d, key(work, &d.path, &files)))
                    .collect();
                (pdfs.len() == papers.len()).then_some(Job { lesson, pdfs })
            })
            .collect();
        // Each paper's booklet: the download, its key (from its sheets' keys) and its cached entry.
        let booklets: Vec<(&Download, String, Option<Entry>)> = papers
            .iter()
            .enumerate()
            .filter_map(|(n, &paper)| {
                let download = plan
                    .booklets
                    .get(&s)?
                    .iter()
                    .find(|d| d.variant == variant && d.paper == paper)?;
                let parts: Vec<(String, Vec<u8>)> = jobs
                    .iter()
                    .map(|j| (j.pdfs[n].1.clone(), Vec::new()))
                    .chain([(site.sections[s].title.clone(), Vec::new())])
                    .collect();
                let key = key(work, &download.path, &parts);
                let cached = cache.get(&key);
                Some((download, key, cached))
            })
            .collect();
        let keep = booklets.iter().any(|(_, _, cached)| cached.is_none());
        let made: Vec<Result<Made, Diagnostic>> = jobs
            .par_iter()
            .map(|job| made_sheet(work, site, job, variant, cache, keep))
            .collect();
        let mut documents: Vec<Vec<PagedDocument>> = vec![Vec::new(); papers.len()];
        let mut complete = true;
        for (job, result) in jobs.iter().zip(made) {
            match result {
                Ok(made) => {
                    if variant == Variant::Student && made.entries[0].pages > STUDENT_PAGES {
                        diagnostics.push(too_long(site, job, &made.entries[0]));
                    }
                    for (n, document) in made.documents.into_iter().enumerate() {
                        documents[n].push(document);
                    }
                    for ((download, _), entry) in job.pdfs.iter().zip(made.entries) {
                        files.push((download.path.clone(), entry.bytes));
                    }
                }
                Err(d) => {
                    diagnostics.push(d);
                    complete = false;
                }
            }
        }
        // Typst's memo of layouts: keep what the last few variants used, not everything laid out so far.
        typst::comemo::evict(4);
        for (n, (download, booklet_key, cached)) in booklets.into_iter().enumerate() {
            let entry = match cached {
                Some(entry) => entry,
                // A sheet that failed is reported already.
                None if !complete => continue,
                None => match bound(
                    work,
                    download,
                    &booklet_title(work, site, s, variant),
                    &documents[n],
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
    (files, diagnostics)
}

/// The papers PDFs are made on, the one with the shortest page first: every sheet is laid out once, on that
/// paper, and set on the others with its text area centred, so that a sheet has the same pages on every paper
/// (and a student sheet that fits two pages of it fits two of any).
fn papers(site: &Site) -> Vec<Paper> {
    let mut papers = site.config.pdf.papers.clone();
    papers.sort_by(|a, b| body_height(*a).total_cmp(&body_height(*b)));
    papers.dedup();
    papers
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
            "the student sheet takes {} pages even set at {:.0}% size",
            entry.pages,
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

/// The sheet of `lesson` in `variant` on `paper` at `scale`.
fn sheet<'a>(
    work: &'a Work,
    site: &'a Site,
    lesson: usize,
    variant: Variant,
    paper: Paper,
    scale: f64,
) -> Sheet<'a> {
    let page = &site.pages[lesson];
    let t = work.strings.get(&page.doc.lang).unwrap_or(&work.no_strings);
    let title = &work.lessons[&lesson].title;
    Sheet {
        title: match variant {
            Variant::Student => title.clone(),
            Variant::Teacher => format!("{title} — {}", teacher_copy(work, &page.doc.lang)),
        },
        site: &site.config.title,
        lang: page.doc.content_lang(),
        variant,
        paper,
        t,
        lesson: &work.lessons[&lesson],
        scale,
    }
}

/// One sheet on every paper, from the cache or laid out once — a student sheet smaller until it fits two
/// pages — and set on each paper. With `keep`, its layouts are returned for the booklets (a cached sheet is laid
/// out again at its scale).
fn made_sheet(
    work: &Work,
    site: &Site,
    job: &Job,
    variant: Variant,
    cache: &Cache,
    keep: bool,
) -> Result<Made, Diagnostic> {
    let layout_paper = job.pdfs[0].0.paper;
    let layout = |scale: f64| {
        work.engine
            .compile(
                &work.template.1,
                sheet(work, site, job.lesson, variant, layout_paper, scale).files(),
            )
            .map_err(|errors| template_error(work, site, job, errors))
    };
    let cached: Vec<Option<Entry>> = job.pdfs.iter().map(|(_, k)| cache.get(k)).collect();
    if !keep && cached.iter().all(Option::is_some) {
        return Ok(Made {
            entries: cached.into_iter().flatten().collect(),
            documents: Vec::new(),
        });
    }
    let (document, scale) = match cached.iter().flatten().next() {
        Some(entry) => (layout(entry.scale)?, entry.scale),
        None if variant == Variant::Student => fitted(layout)?,
        None => (layout(1.0)?, 1.0),
    };
    let mut made = Made {
        entries: Vec::new(),
        documents: Vec::new(),
    };
    for ((download, key), cached) in job.pdfs.iter().zip(cached) {
        let document = on_paper(&document, download.paper);
        let entry = match cached {
            Some(entry) => entry,
            None => {
                let entry = Entry {
                    bytes: work
                        .engine
                        .export(&document, &download.path)
                        .map_err(|errors| template_error(work, site, job, errors))?,
                    scale,
                    pages: document.pages().len(),
                };
                cache.put(key, &entry);
                entry
            }
        };
        made.entries.push(entry);
        if keep {
            made.documents.push(document);
        }
    }
    Ok(made)
}

/// A student sheet laid out at full size, and again smaller until it fits two pages (or reaches the smallest
/// scale), with the scale it was set at.
fn fitted<E>(layout: impl Fn(f64) -> Result<PagedDocument, E>) -> Result<(PagedDocument, f64), E> {
    let mut scale = 1.0;
    let mut document = layout(scale)?;
    while document.pages().len() > STUDENT_PAGES && scale > MIN_SCALE {
        // The room the sheet needs, in pages, tells how much smaller to set it: text area shrinks with the
        // square of the scale. Aim a little under, then step down until it fits.
        let need = pages_used(&document);
        let guess = scale * (STUDENT_PAGES as f64 / need).sqrt() * 0.98;
        scale = ((guess.min(scale - 0.02) * 100.0).floor() / 100.0).max(MIN_SCALE);
        document = layout(scale)?;
    }
    Ok((document, scale))
}

/// `document` on `paper`: each page the paper's size, with the layout centred on it.
fn on_paper(document: &PagedDocument, paper: Paper) -> PagedDocument {
    let (width, height) = paper_size(paper);
    let size = Size::new(Abs::mm(width), Abs::mm(height));
    if document.pages().iter().all(|p| p.frame.size() == size) {
        return document.clone();
    }
    let pages = document
        .pages()
        .iter()
        .map(|page| {
            let mut page = page.clone();
            page.frame.resize(size, Axes::splat(FixedAlignment::Center));
            page
        })
        .collect();
    let mut document = document.clone();
    let info = document.info_mut().clone();
    PagedDocument::new(pages, info)
}

/// The cache key of a PDF: kizuna's version and PDF code, the fonts, the template, the output path (its
/// document id) and every file the template reads.
fn key(work: &Work, path: &str, files: &[(String, Vec<u8>)]) -> String {
    let mut key = Key::default();
    for part in [
        env!("CARGO_PKG_VERSION"),
        env!("KIZUNA_PDF_CODE"),
        &work.engine.fonts_key,
        &work.template.1,
        path,
    ] {
        key.part(part.as_bytes());
    }
    for (name, bytes) in files {
        key.part(name.as_bytes()).part(bytes);
    }
    key.hex()
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
            job.pdfs[0].0.path
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
