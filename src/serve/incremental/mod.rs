//! Incremental rebuilds for `kizuna serve`. The same stages as [`crate::pipeline::generate`] run, but each
//! keeps what it made last time:
//!
//! - parse: documents are kept and only changed files are read and parsed again (a change to an `_index.md`
//!   parses everything, since it may change the kind of its section's pages);
//! - link: runs on the whole site every time (it is cheap and owns every cross-document fact);
//! - markdown: a body is rendered again when its file changed or when one of the `.md` links it followed now
//!   resolves differently (every page records the links it asked the [`Linker`] for, and their answers);
//! - render: only the outputs a change can reach — the page, its translations (language switchers), pages it
//!   refers to and pages referring to it (backlinks), its section's and tags' list pages (only the pagination
//!   pages that moved when the order is otherwise unchanged), and lesson print views. Feeds, the sitemap and
//!   aliases are regenerated whole; the timelines when what they show changed (every page's summary, the
//!   translations, the sections). A new or changed section tree, or a config, theme or template change,
//!   renders everything;
//! - lesson PDFs and the search index: made after the changed pages are served, once edits pause.
//!
//! The result is byte-identical to a full build (the tests compare them after each kind of edit).

use crate::config::Config;
use crate::content::{self, schema::Kind, Document, Parsed, SourceFile};
use crate::diagnostic::{self, Diagnostic};
use crate::markdown::{Rendered, Resolve};
use crate::pipeline::{self, Options};
use crate::render::{self, Bodies, Job, Templates};
use crate::site::{self, Linker, Site};
use crate::theme::{StaticSource, Theme};
use crate::translations;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

mod reach;
#[cfg(test)]
mod tests;

use reach::{derived_key, footprint, signature, Reach, Recorder};

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
}

/// Facts about the last good site that decide what a change reaches.
#[derive(Default)]
struct Footprint {
    /// Page rel → keys of the documents it refers to.
    refs: HashMap<String, Vec<String>>,
    /// (dir, lang) → its pages' rels in order.
    sections: HashMap<(String, String), Vec<String>>,
    /// (lang, tag) → pages' rels in order.
    tags: HashMap<(String, String), Vec<String>>,
    /// Everything about the section tree that every page shows (navigation, language links).
    shape: Vec<SectionShape>,
}

/// What every page shows of a section: its entry in the menu (named by the kind of its first page where it is
/// not translated) and in the language links.
#[derive(PartialEq)]
struct SectionShape {
    dir: String,
    lang: String,
    path: String,
    title: String,
    listed: bool,
    kind: Option<Kind>,
    weight: i64,
    paginate_by: usize,
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
    /// What lists show of each page (its summary), as of the last good build.
    signatures: HashMap<String, u64>,
    needs_full_render: bool,
    footprint: Option<Footprint>,
    served: Served,
    /// The documents of the last good build, while its search index is not yet written: the index takes
    /// seconds on a big site, so it is refreshed after the changed pages are served (see [`Engine::refresh_search`]).
    search_pending: Option<Vec<crate::search::SearchDoc>>,
    /// The lesson PDFs of the last good build, while they are not yet made: an edited lesson's sheets and its
    /// language's booklets take a second, so its page is served first (see [`Engine::refresh_pdfs`]).
    pdfs_pending: Option<crate::pdf::Plan>,
    /// The derived pages (timelines) of the last good build, under the hash of what they were made from.
    derived: Option<(u64, Derived)>,
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
            signatures: HashMap::new(),
            needs_full_render: true,
            footprint: None,
            served: Served::default(),
            search_pending: None,
            pdfs_pending: None,
            derived: None,
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

    fn build(&mut self, statics_changed: bool) -> Result<Rebuilt, Vec<Diagnostic>> {
        // A plan belongs to the site it was made for.
        self.pdfs_pending = None;
        let (config, theme, templates) = self.configured.as_ref().expect("configured");
        let drafts = self.opts.drafts;
        let clock = std::time::Instant::now();
        let timing = std::env::var_os("KIZUNA_SERVE_TIMINGS").is_some();
        let lap = |name: &str| {
            if timing {
                eprintln!("  {name}: {:.1} ms", clock.elapsed().as_secs_f64() * 1000.0);
            }
        };

        // Parse: keep the documents of the last site that did not change.
        let old = self.site.take();
        let mut kept: Vec<Document> = Vec::new();
        if let Some(old) = old {
            for p in old.pages {
                if !self.pending.contains(&p.doc.rel) && self.markdown.contains(&p.doc.rel) {
                    kept.push(p.doc);
                }
            }
        }
        let kept_rels: HashSet<String> = kept.iter().map(|d| d.rel.clone()).collect();
        let mut sources: Vec<SourceFile> = self.index_sources.values().cloned().collect();
        let mut reparsed: HashSet<String> = HashSet::new();
        let mut read_errors = Vec::new();
        for rel in &self.markdown {
            if is_index(rel) || kept_rels.contains(rel) {
                continue;
            }
            reparsed.insert(rel.clone());
            match content::read_source(&self.opts.root, "content", rel) {
                Ok(f) => sources.push(f),
                Err(d) => read_errors.push(d),
            }
        }
        self.parse_diagnostics
            .retain(|rel, _| kept_rels.contains(rel) && !is_index(rel));
        lap("parse");
        let (parsed, d) = content::parse_all(sources, config, drafts);
        for d in d.into_iter().chain(read_errors) {
            let rel = d
                .file
                .as_ref()
                .and_then(|f| f.strip_prefix("content").ok())
                .map(slashed)
                .unwrap_or_default();
            self.parse_diagnostics.entry(rel).or_default().push(d);
        }
        let Parsed {
            documents,
            sections,
        } = parsed;
        kept.extend(documents);
        lap("parsed");
        let (mut site, link_diagnostics) = site::link(
            Parsed {
                documents: kept,
                sections,
            },
            config,
        );
        site.set_history(self.history.clone());
        lap("link");
        let mut report = translations::report(&site);
        let mut pdfs = crate::pdf::plan(&site, theme, &self.opts.cache, |i| {
            let doc = &site.pages[i].doc;
            &doc.source[doc.body_offset.min(doc.source.len())..]
        });

        lap("report");
        // Markdown: bodies whose file changed or whose links now lead elsewhere.
        self.bodies
            .retain(|rel, _| site.by_rel.contains_key(rel) && !reparsed.contains(rel));
        let stale: Vec<usize> = (0..site.pages.len())
            .filter(|i| {
                let p = &site.pages[*i];
                match self.bodies.get(&p.doc.rel) {
                    None => true,
                    Some(b) => {
                        let linker = Linker {
                            site: &site,
                            lang: &p.doc.lang,
                        };
                        b.links.iter().any(|(rel, to)| linker.resolve(rel) != *to)
                    }
                }
            })
            .collect();
        let fresh: Vec<(usize, Body)> = stale
            .par_iter()
            .map(|i| {
                let recorder = Recorder {
                    linker: Linker {
                        site: &site,
                        lang: &site.pages[*i].doc.lang,
                    },
                    asked: Mutex::new(Vec::new()),
                };
                let (rendered, diagnostics) = pipeline::page_body(&site, *i, &recorder);
                let links = recorder.asked.into_inner().unwrap_or_default();
                (
                    *i,
                    Body {
                        rendered,
                        diagnostics,
                        links,
                    },
                )
            })
            .collect();
        let rebodied: HashSet<String> = stale
            .iter()
            .map(|i| site.pages[*i].doc.rel.clone())
            .collect();
        for (i, b) in fresh {
            self.bodies.insert(site.pages[i].doc.rel.clone(), b);
        }
        lap("markdown");
        let sections: Vec<(Rendered, Vec<Diagnostic>)> = (0..site.sections.len())
            .into_par_iter()
            .map(|i| {
                let linker = Linker {
                    site: &site,
                    lang: &site.sections[i].lang,
                };
                pipeline::section_body(&site, i, &linker)
            })
            .collect();

        let mut diagnostics: Vec<Diagnostic> = self
            .parse_diagnostics
            .values()
            .flatten()
            .cloned()
            .chain(link_diagnostics)
            .chain(std::mem::take(&mut report.diagnostics))
            .chain(std::mem::take(&mut pdfs.diagnostics))
            .collect();
        for p in &site.pages {
            if let Some(b) = self.bodies.get(&p.doc.rel) {
                diagnostics.extend(b.diagnostics.iter().cloned());
            }
        }
        let mut section_bodies = Vec::with_capacity(sections.len());
        for (r, d) in sections {
            diagnostics.extend(d);
            section_bodies.push(r);
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            diagnostic::sort(&mut diagnostics);
            self.site = Some(site);
            return Err(diagnostics);
        }

        lap("sections");
        // Render what the changes reach.
        let mut bodies = Bodies {
            pages: site
                .pages
                .iter()
                .map(|p| {
                    self.bodies
                        .get_mut(&p.doc.rel)
                        .map(|b| std::mem::take(&mut b.rendered))
                        .unwrap_or_default()
                })
                .collect(),
            sections: section_bodies,
        };
        let jobs = render::jobs(&site, templates);
        let footprint = footprint(&site);
        let selected: Vec<Job> = match (&self.footprint, self.needs_full_render) {
            (Some(old), false) if old.shape == footprint.shape => {
                // Changed documents whose summary (what lists and references show) changed too.
                let listed: HashSet<String> = self
                    .pending
                    .iter()
                    .filter(|rel| {
                        site.by_rel.get(*rel).map(|i| signature(&site, *i))
                            != self.signatures.get(*rel).copied()
                    })
                    .cloned()
                    .collect();
                let reach = Reach::new(&site, old, &footprint, &self.pending, &listed, &rebodied);
                jobs.iter()
                    .filter(|j| {
                        reach.wants(&site, j) || !self.served.files.contains_key(&j.path(&site))
                    })
                    .cloned()
                    .collect()
            }
            _ => jobs.clone(),
        };
        lap("select");
        let langs = render::lang_contexts(&site, theme);
        let (files, d) =
            render::render_jobs(&site, &bodies, &report, &langs, templates, &pdfs, &selected);
        diagnostics.extend(d);
        lap("pages");
        // The timelines show every event: made again only when what they are made from changed.
        let (derived, d) = if render::derives(&site, templates) {
            let key = derived_key(&site, &bodies);
            let current =
                !self.needs_full_render && self.derived.as_ref().is_some_and(|(k, _)| *k == key);
            if !current {
                self.derived = Some((key, render::derived(&site, &bodies, &langs, templates)));
            }
            self.derived
                .as_ref()
                .map(|(_, made)| made.clone())
                .unwrap_or_default()
        } else {
            Default::default()
        };
        diagnostics.extend(d);
        lap("derived");
        diagnostic::sort(&mut diagnostics);
        let result = if diagnostics.iter().any(Diagnostic::is_error) {
            Err(diagnostics)
        } else {
            lap("render");
            let mut extra = derived;
            extra.extend(render::untemplated(&site, templates));
            self.generation += 1;
            if site.config.search {
                self.search_pending = Some(pipeline::search_documents(&site, &bodies, theme));
            }
            // The current index stays served until `refresh_search` replaces it, and the planned PDFs until
            // `refresh_pdfs` does.
            let expected: HashSet<String> = jobs
                .iter()
                .map(|j| j.path(&site))
                .chain(extra.iter().map(|(p, _)| p.clone()))
                .chain(pdfs.paths().map(|(p, _)| p.to_string()))
                .chain(
                    self.served
                        .files
                        .keys()
                        .filter(|p| is_search_index(p))
                        .cloned(),
                )
                .collect();
            let mut changed = Vec::new();
            self.served
                .replace(files.into_iter().chain(extra), &mut changed);
            let gone: Vec<String> = self
                .served
                .files
                .keys()
                .filter(|p| !expected.contains(*p))
                .cloned()
                .collect();
            for p in gone {
                self.served.files.remove(&p);
                changed.push(p);
            }
            let assets: HashMap<String, PathBuf> = self.assets.clone().into_iter().collect();
            for (rel, path) in &assets {
                if self.served.assets.get(rel) != Some(path) || self.pending.contains(rel) {
                    changed.push(rel.clone());
                }
            }
            changed.extend(
                self.served
                    .assets
                    .keys()
                    .filter(|r| !assets.contains_key(*r))
                    .cloned(),
            );
            lap("untemplated");
            self.served.assets = assets;
            let statics: HashMap<String, StaticSource> = theme
                .statics
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if statics_changed {
                // Static files are served from disk: any of them may have new bytes.
                changed.extend(statics.keys().cloned());
            }
            changed.extend(
                self.served
                    .statics
                    .keys()
                    .filter(|r| !statics.contains_key(*r))
                    .cloned(),
            );
            self.served.statics = statics;
            changed.sort();
            changed.dedup();
            if self.needs_full_render {
                self.signatures = (0..site.pages.len())
                    .into_par_iter()
                    .map(|i| (site.pages[i].doc.rel.clone(), signature(&site, i)))
                    .collect();
            } else {
                for rel in &self.pending {
                    match site.by_rel.get(rel) {
                        Some(i) => self.signatures.insert(rel.clone(), signature(&site, *i)),
                        None => self.signatures.remove(rel),
                    };
                }
            }
            self.pending.clear();
            self.pdfs_pending = Some(pdfs);
            self.needs_full_render = false;
            self.footprint = Some(footprint);
            let full = selected.len() == jobs.len();
            Ok(Rebuilt {
                changed,
                warnings: diagnostics,
                rendered: selected.len(),
                jobs: jobs.len(),
                full,
            })
        };
        lap("diff");
        // Keep the bodies for next time.
        for (p, r) in site.pages.iter().zip(bodies.pages.drain(..)) {
            if let Some(b) = self.bodies.get_mut(&p.doc.rel) {
                b.rendered = r;
            }
        }
        self.site = Some(site);
        result
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
        self.search_pending.is_some()
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
        self.search_pending
            .take()
            .map(|docs| (self.generation, docs))
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
            .filter(|p| is_search_index(p) && !fresh.contains(p.as_str()))
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

/// Files of the generated search index (the client scripts under `search/` are theme files, not these).
fn is_search_index(path: &str) -> bool {
    path.strip_prefix("search/")
        .is_some_and(|rest| rest.starts_with("manifest.") || rest.contains('/'))
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
