//! Making the planned PDFs: each sheet from the cache or laid out, a section's booklets bound from its sheets.

use super::cache::{Cache, Entry};
use super::fit::{body_height, pages_used, MIN_SCALE, STUDENT_PAGES};
use super::sheet::{Sheet, Variant};
use super::{world, Download, Plan, Work};
use crate::content::schema::KindData;
use crate::diagnostic::{Code, Diagnostic};
use crate::fingerprint::Fnv;
use crate::render::OutputFile;
use crate::site::Site;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use typst_layout::PagedDocument;

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
            let made: Vec<Result<Made, Diagnostic>> = jobs
                .par_iter()
                .map(|job| {
                    let start = match (variant, fitted.get(&job.lesson)) {
                        (Variant::Student, Some(&scale)) => scale,
                        _ => 1.0,
                    };
                    made_sheet(work, site, job, cache, keep, start)
                })
                .collect();
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

/// The cache key of a PDF: kizuna's version and PDF code, the fonts, the template, the output path (its
/// document id) and every file the template reads.
fn key(work: &Work, path: &str, files: &[(String, Vec<u8>)]) -> String {
    let mut h = Fnv::default();
    let mut g = Fnv::default();
    for part in [
        env!("CARGO_PKG_VERSION"),
        env!("KIZUNA_PDF_CODE"),
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
