//! What an output was made from: the facts of the site that rendering it read, recorded as it reads them.
//!
//! The render stage reads the linked site through accessors ([`crate::site::Site::page`] and its siblings)
//! that [`note`] each fact they hand out. Outside [`recording`] a note costs one thread-local check; inside, the
//! facts are collected for the output being rendered. `kizuna serve` keeps each output's facts with a
//! fingerprint of each, and after an edit renders again only the outputs one of whose facts changed — the
//! dependency graph is what the templates' inputs actually read, not rules written beside them.

use crate::content::schema::Kind;
use std::cell::{Cell, RefCell};

/// One fact of the site an output can read. Facts are named by stable keys (file names, folders, ids), not
/// by indices, so that they can be compared between two builds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// A page's document (front matter, id, language, kind), its URL, its section and its last commit, by rel.
    Page(String),
    /// A page's rendered body, by rel.
    Body(String),
    /// A page's headings, by rel.
    Toc(String),
    /// What a section shows of itself (title, path, `_index` front matter, subsections, page count, the kind
    /// of its first page), by (folder, language).
    Section(String, String),
    /// A section's rendered `_index` body, by (folder, language).
    SectionBody(String, String),
    /// How many pages a section lists, by (folder, language).
    SectionLen(String, String),
    /// Up to `len` pages of a section's list from `start`, by (folder, language, start, len).
    SectionPages(String, String, usize, usize),
    /// Which section, if any, is a folder in a language, and its path, by (folder, language).
    SectionAt(String, String),
    /// The languages a folder's section is listed in, with their paths, by folder.
    SectionVersions(String),
    /// The language versions of a document, by translation key.
    Versions(String),
    /// The documents referring to a document, by its translation key.
    Backlinks(String),
    /// The page of a typed document, by kind and id.
    Id(Kind, String),
    /// Every id of a kind.
    Ids(Kind),
    /// A language's tags and how many pages each has.
    Tags(String),
    /// Up to `len` pages of a tag's list from `start`, and how many it has, by (language, tag, start, len).
    TagPages(String, String, usize, usize),
    /// A language's menu and strings, as every page shows them.
    Lang(String),
    /// Whether a translation is older than its source, by rel.
    Outdated(String),
    /// The rows of the translation status page.
    Report,
    /// A lesson's PDFs, by rel.
    Pdfs(String),
    /// A section's lesson booklets, by (folder, language).
    Booklets(String, String),
    /// Which section is the timeline.
    TimelineDir,
    /// The timeline entries of a city (`city`), of a case study in its city (`case_study`, `city`), or all of
    /// them (neither).
    Entries {
        /// The case study's id.
        case_study: Option<String>,
        /// The city's id.
        city: Option<String>,
    },
    /// The output path of every page (the timeline's filter pages must not take one).
    PagePaths,
}

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    static READ: RefCell<Vec<Fact>> = const { RefCell::new(Vec::new()) };
}

/// Whether this thread records what it reads.
pub fn is_recording() -> bool {
    ON.with(Cell::get)
}

/// Records the fact `fact` makes, when this thread is recording.
pub fn note(fact: impl FnOnce() -> Fact) {
    if is_recording() {
        let fact = fact();
        READ.with(|r| r.borrow_mut().push(fact));
    }
}

/// Records `facts`, when this thread is recording.
pub fn note_all(facts: Vec<Fact>) {
    if is_recording() {
        READ.with(|r| r.borrow_mut().extend(facts));
    }
}

/// Runs `f` and returns what it read, sorted and without repeats. `f` must not hand work to other threads
/// (see [`forward`] for work that does).
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Fact>) {
    let was = ON.with(|on| on.replace(true));
    let outer = READ.with(|r| std::mem::take(&mut *r.borrow_mut()));
    let value = f();
    let mut read = READ.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    ON.with(|on| on.set(was));
    read.sort();
    read.dedup();
    (value, read)
}

/// Runs `f` without recording: for reads whose result is recorded as one fact (a query over many pages).
pub fn unrecorded<T>(f: impl FnOnce() -> T) -> T {
    let was = ON.with(|on| on.replace(false));
    let value = f();
    ON.with(|on| on.set(was));
    value
}

/// Runs `f` on another thread on behalf of a recording one: records there when `recording` (the caller's
/// [`is_recording`]), and returns what was read, for the caller to [`note_all`].
pub fn forward<T>(recording: bool, f: impl FnOnce() -> T) -> (T, Vec<Fact>) {
    if recording {
        self::recording(f)
    } else {
        (f(), Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reads_inside_recording_are_recorded() {
        note(|| Fact::Report);
        let ((), read) = recording(|| {
            note(|| Fact::Page("b.md".into()));
            note(|| Fact::Page("a.md".into()));
            note(|| Fact::Page("b.md".into()));
            unrecorded(|| note(|| Fact::Report));
            let (_, inner) = recording(|| note(|| Fact::PagePaths));
            assert_eq!(inner, vec![Fact::PagePaths]);
        });
        assert_eq!(
            read,
            vec![Fact::Page("a.md".into()), Fact::Page("b.md".into())]
        );
        assert!(!is_recording());
        let ((), after) = recording(|| {});
        assert!(after.is_empty());
    }

    #[test]
    fn forwarded_work_records_for_the_caller() {
        let ((), read) = recording(|| {
            let on = is_recording();
            let (_, facts) = std::thread::scope(|s| {
                s.spawn(|| forward(on, || note(|| Fact::TimelineDir)))
                    .join()
                    .unwrap()
            });
            note_all(facts);
        });
        assert_eq!(read, vec![Fact::TimelineDir]);
    }
}
