//! Lesson sheets as PDF, made by `kizuna build` itself — no browser — with Typst as a library: each lesson's
//! student sheet and teacher copy on every configured paper, in the lesson page's folder
//! (`lesson-02-student-a4.pdf`), and a booklet of a section's lessons per language
//! (`lessons/lessons-en-teacher-letter.pdf`).
//!
//! The stage runs in two steps. [`plan`], before the pages render, decides which PDFs there will be (a
//! lesson whose characters no font covers gets none, with a warning), so that pages link only to PDFs that
//! exist. [`make`] then lays them out — or takes them from the [`Cache`] when nothing they are made from
//! changed — and binds each booklet from its lessons' sheets. A student sheet that runs over two pages is set
//! again, smaller, until it fits.

pub mod cache;
mod fit;
mod make;
mod markup;
mod sheet;
mod text;
mod world;

pub use cache::Cache;
pub use make::make;
pub use sheet::Variant;

use crate::config::Paper;
use crate::content::schema::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use sheet::Lesson;
use std::collections::{BTreeMap, BTreeSet};
use world::Engine;

/// The template every PDF is set with, in the theme's `pdf/` folder.
const TEMPLATE: &str = "lesson.typ";

/// One PDF a page offers for download.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Download {
    /// The student sheet or the teacher copy.
    pub variant: Variant,
    /// The paper it is set on.
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

/// Decides the PDFs of `site`; `markdown(i)` is lesson page `i`'s body. What a CJK font covers of a lesson
/// is remembered in `cache`.
pub fn plan<'a>(
    site: &'a Site,
    theme: &Theme,
    cache: &Cache,
    markdown: impl Fn(usize) -> &'a str + Sync,
) -> Plan {
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
        .par_iter()
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
    // Each lesson's characters no font covers: with the theme's fonts, then, for the lessons those miss, with
    // a CJK font from the machine too.
    let mut engine = Engine::shared(theme, false);
    let mut uncovered: BTreeMap<usize, BTreeSet<char>> = lessons
        .par_iter()
        .map(|(&i, l)| (i, engine.uncovered(&text_of(i, l))))
        .filter(|(_, chars)| !chars.is_empty())
        .collect();
    if !uncovered.is_empty() {
        engine = Engine::shared(theme, true);
        uncovered = uncovered
            .into_keys()
            .map(|i| {
                (
                    i,
                    uncovered_cached(&engine, cache, &text_of(i, &lessons[&i])),
                )
            })
            .filter(|(_, chars)| !chars.is_empty())
            .collect();
    }
    let mut plan = Plan::default();
    // Lessons no font covers, by language: (files, characters).
    let mut missing: BTreeMap<&str, (Vec<&std::path::Path>, BTreeSet<char>)> = BTreeMap::new();
    for &i in lessons.keys() {
        let page = &site.pages[i];
        if let Some(chars) = uncovered.remove(&i) {
            let entry = missing.entry(page.doc.lang.as_str()).or_default();
            entry.0.push(&page.doc.file);
            entry.1.extend(chars);
            continue;
        }
        let stem = format!("{}{}", page.path, last_segment(&page.path, "lesson"));
        plan.lessons.insert(i, downloads(&settings.papers, &stem));
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
            let stem = format!(
                "{}{}-{}",
                section.path,
                last_segment(&section.path, "lessons"),
                section.lang
            );
            plan.booklets.insert(s, downloads(&settings.papers, &stem));
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

/// The characters of `text` no font of `engine` has, remembered in `cache` under the fonts and the text: a
/// build where no lesson changed does not read a CJK font to find out again.
fn uncovered_cached(engine: &Engine, cache: &Cache, text: &str) -> BTreeSet<char> {
    let key = cache::Key::default()
        .part(b"uncovered")
        .part(engine.fonts_key.as_bytes())
        .part(text.as_bytes())
        .hex();
    if let Some(chars) = cache
        .get(&key)
        .and_then(|e| String::from_utf8(e.bytes).ok())
    {
        return chars.chars().collect();
    }
    let chars = engine.uncovered(text);
    let entry = cache::Entry {
        bytes: chars.iter().collect::<String>().into_bytes(),
        scale: 1.0,
        pages: 0,
    };
    cache.put(&key, &entry);
    chars
}

/// Both variants on every paper, at `<stem>-<variant>-<paper>.pdf`.
fn downloads(papers: &[Paper], stem: &str) -> Vec<Download> {
    Variant::ALL
        .iter()
        .flat_map(|&variant| {
            papers.iter().map(move |&paper| Download {
                variant,
                paper,
                path: format!("{stem}-{}-{}.pdf", variant.name(), paper.name()),
            })
        })
        .collect()
}

/// What to install for characters no font covers.
fn font_hint(chars: &BTreeSet<char>, theme: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the fonts lack of a lesson is found once: the next build takes it from the cache and reads no
    /// font for it (a CJK font takes a tenth of a second to read).
    #[test]
    fn a_lessons_coverage_is_checked_once() {
        let tmp = tempfile::tempdir().unwrap();
        let theme = crate::theme::load(tmp.path(), "default").unwrap();
        let cache = Cache::at(tmp.path().join("cache"));
        let text = "Kitakyushu ក្រុង 北九州 ก";
        let first = Engine::new(&theme, false);
        let lacking = uncovered_cached(&first, &cache, text);
        assert!(lacking.contains(&'北') && lacking.contains(&'ก') && !lacking.contains(&'ក'));
        assert!(first.loaded.get().is_some());
        let next = Engine::new(&theme, false);
        assert_eq!(
            uncovered_cached(&next, &Cache::at(tmp.path().join("cache")), text),
            lacking
        );
        assert!(next.loaded.get().is_none(), "the fonts were read again");
    }
}
