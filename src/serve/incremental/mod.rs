//! Incremental rebuilds for `kizuna serve`. The same stages as [`crate::pipeline::generate`] run, but each
//! keeps what it made last time:
//!
//! - parse: documents are kept and only changed files are read and parsed again (a change to an `_index.md`
//!   parses everything, since it may change the kind of its section's pages);
//! - link: runs on the whole site every time (it is cheap and owns every cross-document fact);
//! - markdown: a body is rendered again when its file changed or when one of the `.md` links it followed now
//!   resolves differently (every page records the links it asked the [`Linker`] for, and their answers);
//! - render: every output keeps the facts of the site its rendering read ([`crate::deps`]: a page's front
//!   matter, a body, a slice of a list, a document's translations, a menu…) with their fingerprints; after an
//!   edit the known facts are fingerprinted again and only the outputs that read a changed fact are rendered
//!   (the timelines, rendered together, likewise). Feeds, the sitemap and aliases are regenerated whole. A
//!   config, theme or template change renders everything;
//! - lesson PDFs and the search index: made after the changed pages are served, once edits pause.
//!
//! The result is byte-identical to a full build (the tests compare them after each kind of edit).

use crate::config::Config;
use crate::content::{self, SourceFile};
use crate::diagnostic::{self, Diagnostic};
use crate::markdown::Rendered;
use crate::pipeline::{self, Options};
use crate::render::{self, Bodies, Templates};
use crate::site::Site;
use crate::theme::{StaticSource, Theme};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod build;
mod facts;
#[cfg(test)]
mod tests;

/// Generated files and what making them reported.
type Derived = (Vec<render::OutputFile>, Vec<Diagnostic>);

/// Bytes of one output file, shared with the HTTP threads.
pub type Bytes = Arc<Vec<u8>>;

/// What changed on disk since the last rebuild.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Paths relative to `content/` (files or folders; created, modified, removed or renamed).
    pub content: BTreeSet<String>,
    /// `static/` changed.
    pub statics: bool,
    /// `kizuna.yaml`, `themes/` or `templates/` changed: everything is rebuilt.
    pub full: bool,
    /// Source folders (`content/`, `themes/`, `static/`, `templates/`) that appeared and must be watched.
    pub new_folders: Vec<PathBuf>,
}

impl Changes {
    /// Everything, for the first build.
    pub fn everything() -> Changes {
        Changes {
            full: true,
            ..Changes::default()
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.statics && !self.full
    }

    /// Adds `other`'s changes.
    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.statics |= other.statics;
        self.full |= other.full;
        self.new_folders.extend(other.new_folders);
    }
}

/// The site as served: generated files, then content assets, then static files (the order in which the
/// write stage lets one replace another, reversed).
#[derive(Default, Clone)]
pub struct Served {
    /// Generated files by output path.
    pub files: HashMap<String, Bytes>,
    /// Content assets by output path, served from disk.
    pub assets: HashMap<String, PathBuf>,
    /// Theme static files by output path.
    pub statics: HashMap<String, StaticSource>,
}

impl Served {
    /// Serves `files`, each in place of the file at its path; the paths whose bytes changed go to `changed`.
    fn replace(
        &mut self,
        files: impl IntoIterator<Item = render::OutputFile>,
        changed: &mut Vec<String>,
    ) {
        for (path, bytes) in files {
            if self.files.get(&path).map(|b| b.as_slice()) != Some(bytes.as_slice()) {
                changed.push(path.clone());
                self.files.insert(path, Arc::new(bytes));
            }
        }
    }
}

/// A successful rebuild.
#[derive(Debug)]
pub struct Rebuilt {
    /// Output paths whose bytes changed, appeared or disappeared, sorted.
    pub changed: Vec<String>,
    /// Warnings of the rebuild.
    pub warnings: Vec<Diagnostic>,
    /// How many templated outputs were rendered (of `jobs`).
    pub rendered: usize,
    /// Templated outputs of the site.
    pub jobs: usize,
    /// Everything was rendered.
    pub full: bool,
}

/// A page's rendered body and what it depended on.
struct Body {
    rendered: Rendered,
    diagnostics: Vec<Diagnostic>,
    /// Every `.md` link it followed and where it led.
    links: Vec<(String, Option<String>)>,
    /// The fingerprint of what outputs show of it ([`facts::of_body`]).
    fingerprint: u64,
    /// The fingerprint of its headings ([`facts::of_toc`]).
    toc_fingerprint: u64,
}

/// Keeps the stages' results between rebuilds.
pub struct Engine {
    opts: Options,
    configured: Option<(Config, Theme, Templates)>,
    /// Section `_index` sources by rel.
    index_sources: BTreeMap<String, SourceFile>,
    /// Every Markdown file in content/ (rels), whether or not it became a page.
    markdown: BTreeSet<String>,
    assets: BTreeMap<String, PathBuf>,
    site: Option<Site>,
    bodies: HashMap<String, Body>,
    /// Parse diagnostics by file, for files not parsed again.
    parse_diagnostics: HashMap<String, Vec<Diagnostic>>,
    /// Markdown rels changed since the last good build.
    pending: BTreeSet<String>,
    needs_full_render: bool,
    /// What each served output was made from.
    recorded: facts::Recorded,
    served: Served,
    /// The search index of the last good build is not yet written: the index takes seconds on a big site,
    /// so it is refreshed after the changed pages are served (see [`Engine::refresh_search`]), from the kept
    /// site and bodies. A failed build replaces the kept site and drops this: the served index then stays
    /// one good build behind until the next good build.
    search_pending: bool,
    /// The lesson PDFs of the last good build, while they are not yet made: an edited lesson's sheets and its
    /// language's booklets take a second, so its page is served first (see [`Engine::refresh_pdfs`]).
    pdfs_pending: Option<crate::pdf::Plan>,
    /// Counts good builds, so that an index made for an older build is not served over a newer one's.
    generation: u64,
    /// Each content file's last commit, read again on every full rebuild.
    history: crate::history::History,
}

impl Engine {
    /// An engine for the site `opts` names; nothing is built until [`Engine::rebuild`].
    pub fn new(mut opts: Options) -> Engine {
        opts.cache = opts.cache.remembering();
        Engine {
            opts,
            configured: None,
            index_sources: BTreeMap::new(),
            markdown: BTreeSet::new(),
            assets: BTreeMap::new(),
            site: None,
            bodies: HashMap::new(),
            parse_diagnostics: HashMap::new(),
            pending: BTreeSet::new(),
            needs_full_render: true,
            recorded: facts::Recorded::default(),
            served: Served::default(),
            search_pending: false,
            pdfs_pending: None,
            generation: 0,
            history: crate::history::History::default(),
        }
    }

    /// The last good site.
    pub fn served(&self) -> &Served {
        &self.served
    }

    /// Applies `changes`; on errors the last good site stays as it was.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Vec<Diagnostic>> {
        let full = changes.full || self.configured.is_none();
        if full {
            self.configured = None;
            self.needs_full_render = true;
            let configured = pipeline::configure(&self.opts)?;
            self.history = if configured.0.git_dates {
                crate::history::read(&self.opts.root, "content").0
            } else {
                crate::history::History::default()
            };
            self.configured = Some(configured);
            self.reload_all();
        } else {
            self.apply(&changes.content);
            if changes.statics {
                let (config, _, _) = self.configured.as_ref().expect("configured");
                let theme = crate::theme::load(&self.opts.root, &config.theme)?;
                self.configured.as_mut().expect("configured").1.statics = theme.statics;
            }
        }
        self.build(changes.statics)
    }

    /// Reads the whole content tree again.
    fn reload_all(&mut self) {
        let (loaded, _) = content::load(&self.opts.root, "content");
        self.site = None;
        self.bodies.clear();
        self.parse_diagnostics.clear();
        self.index_sources.clear();
        self.markdown.clear();
        self.assets = loaded.assets.into_iter().map(|a| (a.rel, a.path)).collect();
        for f in loaded.markdown {
            self.markdown.insert(f.rel.clone());
            if is_index(&f.rel) {
                self.index_sources.insert(f.rel.clone(), f);
            }
        }
        // Pages are read again by `build` (they are not in the site yet).
    }

    /// Takes changed paths under content/ into account: new, changed and removed files and folders.
    fn apply(&mut self, paths: &BTreeSet<String>) {
        let base = self.opts.root.join("content");
        let mut files: BTreeSet<String> = BTreeSet::new();
        for rel in paths {
            let rel = rel.trim_matches('/');
            if rel.is_empty() || rel.split('/').any(|s| s.starts_with('.')) {
                continue;
            }
            let path = base.join(rel);
            if path.is_dir() {
                for e in walkdir::WalkDir::new(&path)
                    .into_iter()
                    .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file())
                {
                    if let Ok(r) = e.path().strip_prefix(&base) {
                        files.insert(slashed(r));
                    }
                }
            }
            files.insert(rel.to_string());
            let prefix = format!("{rel}/");
            files.extend(
                self.markdown
                    .range(prefix.clone()..)
                    .take_while(|r| r.starts_with(&prefix))
                    .cloned(),
            );
            files.extend(
                self.assets
                    .range(prefix.clone()..)
                    .take_while(|(r, _)| r.starts_with(&prefix))
                    .map(|(r, _)| r.clone()),
            );
        }
        for rel in files {
            let path = base.join(&rel);
            let exists = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            if rel.ends_with(".md") {
                self.pending.insert(rel.clone());
                if exists {
                    self.markdown.insert(rel.clone());
                } else {
                    self.markdown.remove(&rel);
                }
                if is_index(&rel) {
                    self.index_sources.remove(&rel);
                    if exists {
                        match content::read_source(&self.opts.root, "content", &rel) {
                            Ok(f) => {
                                self.index_sources.insert(rel.clone(), f);
                            }
                            Err(d) => {
                                self.parse_diagnostics.insert(rel.clone(), vec![d]);
                            }
                        }
                    }
                    // The section's kind may change every page under it.
                    self.site = None;
                }
            } else if exists {
                self.assets.insert(rel, path);
            } else {
                self.assets.remove(&rel);
            }
        }
    }
}

impl Engine {
    /// Whether the lesson PDFs of the served pages are still to be made.
    pub fn pdfs_pending(&self) -> bool {
        self.pdfs_pending.is_some()
    }

    /// Makes the lesson PDFs of the last good build (from the cache where their lesson did not change) and
    /// serves them; returns the paths that changed and the warnings. On errors (a broken PDF template) the
    /// PDFs served before stay.
    pub fn refresh_pdfs(&mut self) -> Result<(Vec<String>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (Some(plan), Some(site)) = (self.pdfs_pending.take(), self.site.as_ref()) else {
            return Ok(Default::default());
        };
        let (files, mut diagnostics) = crate::pdf::make(&plan, site, &self.opts.cache);
        diagnostic::sort(&mut diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(diagnostics);
        }
        let mut changed = Vec::new();
        self.served.replace(files, &mut changed);
        changed.sort();
        Ok((changed, diagnostics))
    }

    /// Whether the served search index is older than the served pages.
    pub fn search_pending(&self) -> bool {
        self.search_pending
    }

    /// Writes the search index of the last good build and serves it; returns the paths that changed.
    pub fn refresh_search(&mut self) -> Vec<String> {
        match self.take_search() {
            Some((generation, docs)) => match write_search_index(docs) {
                Ok(files) => self.apply_search(generation, files),
                Err(e) => {
                    eprintln!("error: {e}; the search index served before stays");
                    Vec::new()
                }
            },
            None => Vec::new(),
        }
    }

    /// The documents whose index is not served yet, with the build they belong to: the index can be written
    /// on another thread ([`write_search_index`]) while this engine goes on rebuilding.
    pub fn take_search(&mut self) -> Option<(u64, Vec<crate::search::SearchDoc>)> {
        if !std::mem::take(&mut self.search_pending) {
            return None;
        }
        let docs = self.search_documents()?;
        Some((self.generation, docs))
    }

    /// Serves an index written for build `generation`; one for an older build is dropped (a newer index is
    /// on its way). Returns the paths that changed.
    pub fn apply_search(&mut self, generation: u64, files: Vec<render::OutputFile>) -> Vec<String> {
        if generation != self.generation {
            return Vec::new();
        }
        let fresh: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        let mut changed: Vec<String> = self
            .served
            .files
            .keys()
            .filter(|p| crate::search::is_index_file(p) && !fresh.contains(p.as_str()))
            .cloned()
            .collect();
        for p in &changed {
            self.served.files.remove(p);
        }
        self.served.replace(files, &mut changed);
        changed.sort();
        changed
    }
}

impl Engine {
    /// The search documents of the last good build, from its kept site and bodies.
    fn search_documents(&mut self) -> Option<Vec<crate::search::SearchDoc>> {
        let (site, (_, theme, _)) = (self.site.as_ref()?, self.configured.as_ref()?);
        let bodies = Bodies {
            pages: lend(&mut self.bodies, site),
            sections: Vec::new(),
        };
        let docs = pipeline::search_documents(site, &bodies, theme);
        give_back(&mut self.bodies, site, bodies.pages);
        Some(docs)
    }
}

/// The kept bodies of `site`'s pages in page order, taken out of `kept` (a page without one gets an empty
/// body) for a stage that reads them as [`Bodies`]; [`give_back`] returns them.
fn lend(kept: &mut HashMap<String, Body>, site: &Site) -> Vec<Rendered> {
    site.pages
        .iter()
        .map(|p| {
            kept.get_mut(&p.doc.rel)
                .map(|b| std::mem::take(&mut b.rendered))
                .unwrap_or_default()
        })
        .collect()
}

/// Returns bodies taken by [`lend`].
fn give_back(kept: &mut HashMap<String, Body>, site: &Site, pages: Vec<Rendered>) {
    for (p, r) in site.pages.iter().zip(pages) {
        if let Some(b) = kept.get_mut(&p.doc.rel) {
            b.rendered = r;
        }
    }
}

/// The search index of `docs` as files (what [`Engine::apply_search`] takes), built in memory by the same
/// index builder `kizuna build` writes from.
pub fn write_search_index(
    docs: Vec<crate::search::SearchDoc>,
) -> Result<Vec<render::OutputFile>, crate::search::SearchError> {
    crate::search::index_files(docs)
}

fn is_index(rel: &str) -> bool {
    rel.rsplit('/').next().unwrap_or(rel).starts_with("_index.")
}

fn slashed(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
