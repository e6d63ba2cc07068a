//! One incremental rebuild, stage by stage: parse what changed, link, render the bodies whose file or links
//! changed, render the outputs that read a changed fact, and swap what differs into the served site.

use super::facts::{self, Sources};
use super::{give_back, is_index, lend, slashed, Body, Engine, Rebuilt};
use crate::config::Config;
use crate::content::{self, Document, Parsed, SourceFile};
use crate::deps;
use crate::diagnostic::{self, Diagnostic};
use crate::markdown::{Rendered, Resolve};
use crate::pdf::Plan;
use crate::pipeline;
use crate::render::{self, Bodies, Job, OutputFile, Templates};
use crate::site::{self, Linker, Site};
use crate::theme::{StaticSource, Theme};
use crate::translations;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

/// Prints how long each stage took when `KIZUNA_SERVE_TIMINGS` is set.
struct Laps {
    clock: std::time::Instant,
    on: bool,
}

impl Laps {
    fn new() -> Laps {
        Laps {
            clock: std::time::Instant::now(),
            on: std::env::var_os("KIZUNA_SERVE_TIMINGS").is_some(),
        }
    }

    fn lap(&self, name: &str) {
        if self.on {
            eprintln!(
                "  {name}: {:.1} ms",
                self.clock.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// A [`Linker`] that remembers what it was asked.
struct Recorder<'a> {
    linker: Linker<'a>,
    asked: Mutex<Vec<(String, Option<String>)>>,
}

impl Resolve for Recorder<'_> {
    fn resolve(&self, rel: &str) -> Option<String> {
        let to = self.linker.resolve(rel);
        if let Ok(mut asked) = self.asked.lock() {
            asked.push((rel.to_string(), to.clone()));
        }
        to
    }
}

/// What a rebuild rendered, to be swapped into the served site.
struct Made {
    files: Vec<OutputFile>,
    extra: Vec<OutputFile>,
    /// The output path of every templated output of the site.
    paths: Vec<String>,
    selected: usize,
    pdfs: Plan,
}

impl Engine {
    /// Rebuilds from the kept stages and what is pending; the served site changes only when it succeeds.
    pub(super) fn build(&mut self, statics_changed: bool) -> Result<Rebuilt, Vec<Diagnostic>> {
        // A plan belongs to the site it was made for, and so does a pending search index.
        self.pdfs_pending = None;
        self.search_pending = false;
        let configured = self.configured.take().expect("configured");
        let result = self.build_with(&configured, statics_changed);
        self.configured = Some(configured);
        result
    }

    fn build_with(
        &mut self,
        (config, theme, templates): &(Config, Theme, Templates),
        statics_changed: bool,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        let laps = Laps::new();
        let (parsed, reparsed) = self.parse(config);
        laps.lap("parsed");
        let (mut site, link_diagnostics) = site::link(parsed, config);
        site.set_history(self.history.clone());
        laps.lap("link");
        let mut report = translations::report(&site);
        let mut pdfs = crate::pdf::plan(&site, theme, &self.opts.cache, |i| {
            let doc = &site.pages[i].doc;
            &doc.source[doc.body_offset.min(doc.source.len())..]
        });
        laps.lap("report");
        self.markdown(&site, &reparsed);
        laps.lap("markdown");
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
        laps.lap("sections");

        // Render the outputs that read a fact the changes changed.
        let langs = render::lang_contexts(&site, theme);
        let jobs = render::jobs(&site, templates);
        let paths: Vec<String> = jobs.iter().map(|j| j.path(&site)).collect();
        let changed = (!self.needs_full_render).then(|| {
            let now = Sources::new(&site, &self.bodies, &section_bodies, &report, &pdfs, &langs);
            self.recorded.compare(&now)
        });
        let selected: Vec<Job> = match &changed {
            Some(c) => jobs
                .iter()
                .zip(&paths)
                .filter(|(_, path)| self.recorded.is_stale(path, c))
                .map(|(j, _)| j.clone())
                .collect(),
            None => jobs,
        };
        laps.lap("select");
        let mut bodies = Bodies {
            pages: lend(&mut self.bodies, &site),
            sections: section_bodies,
        };
        let inputs = render::Inputs {
            site: &site,
            bodies: &bodies,
            translations: &report,
            langs: &langs,
            templates,
            pdfs: &pdfs,
        };
        let (rendered, d) = render::render_jobs_recording(&inputs, &selected);
        diagnostics.extend(d);
        laps.lap("pages");
        // The timelines show every event: made again only when a fact they read changed.
        let derives = render::derives(&site, templates);
        let current = changed
            .as_ref()
            .filter(|_| derives)
            .and_then(|c| self.recorded.current_derived(c))
            .cloned();
        let remade = (derives && current.is_none()).then(|| {
            let (made, read) =
                deps::recording(|| render::derived(&site, &bodies, &langs, templates));
            (read, made)
        });
        let (derived, d) = current
            .or_else(|| remade.as_ref().map(|(_, made)| made.clone()))
            .unwrap_or_default();
        diagnostics.extend(d);
        laps.lap("derived");
        give_back(&mut self.bodies, &site, std::mem::take(&mut bodies.pages));
        diagnostic::sort(&mut diagnostics);
        let result = if diagnostics.iter().any(Diagnostic::is_error) {
            Err(diagnostics)
        } else {
            laps.lap("render");
            let mut extra = derived;
            extra.extend(render::untemplated(&site, templates));
            self.generation += 1;
            if site.config.search {
                self.search_pending = true;
            }
            let selected = selected.len();
            let mut files = Vec::with_capacity(rendered.len());
            let mut read = Vec::with_capacity(rendered.len());
            for ((path, bytes), facts) in rendered {
                read.push((path.clone(), facts));
                files.push((path, bytes));
            }
            let made_now: HashSet<&str> = paths.iter().map(String::as_str).collect();
            let now = Sources::new(
                &site,
                &self.bodies,
                &bodies.sections,
                &report,
                &pdfs,
                &langs,
            );
            self.recorded.update(
                changed,
                read,
                (derives, remade),
                |p| made_now.contains(p),
                &now,
            );
            laps.lap("recorded");
            let made = Made {
                files,
                extra,
                selected,
                paths,
                pdfs,
            };
            Ok(self.swap_in(theme, made, statics_changed, diagnostics))
        };
        laps.lap("diff");
        self.site = Some(site);
        result
    }

    /// The parse stage: the documents of the last site that did not change, and the changed files read and
    /// parsed again (their rels returned). Parse problems are kept by file until the file changes.
    fn parse(&mut self, config: &Config) -> (Parsed, HashSet<String>) {
        let mut kept: Vec<Document> = Vec::new();
        if let Some(old) = self.site.take() {
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
        let (parsed, d) = content::parse_all(sources, config, self.opts.drafts);
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
        (
            Parsed {
                documents: kept,
                sections,
            },
            reparsed,
        )
    }

    /// The markdown stage: bodies whose file changed or whose `.md` links now lead elsewhere are rendered
    /// again.
    fn markdown(&mut self, site: &Site, reparsed: &HashSet<String>) {
        self.bodies
            .retain(|rel, _| site.by_rel.contains_key(rel) && !reparsed.contains(rel));
        let stale: Vec<usize> = (0..site.pages.len())
            .filter(|i| {
                let p = &site.pages[*i];
                match self.bodies.get(&p.doc.rel) {
                    None => true,
                    Some(b) => {
                        let linker = Linker {
                            site,
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
                        site,
                        lang: &site.pages[*i].doc.lang,
                    },
                    asked: Mutex::new(Vec::new()),
                };
                let (rendered, diagnostics) = pipeline::page_body(site, *i, &recorder);
                let links = recorder.asked.into_inner().unwrap_or_default();
                (
                    *i,
                    Body {
                        fingerprint: facts::of_body(&rendered),
                        toc_fingerprint: facts::of_toc(&rendered),
                        rendered,
                        diagnostics,
                        links,
                    },
                )
            })
            .collect();
        for (i, b) in fresh {
            self.bodies.insert(site.pages[i].doc.rel.clone(), b);
        }
    }

    /// Swaps a good rebuild into the served site: new and changed files in, files no longer made out, assets
    /// and static files as they are now. The current search index stays served until `refresh_search`
    /// replaces it, and the planned PDFs until `refresh_pdfs` does.
    fn swap_in(
        &mut self,
        theme: &Theme,
        made: Made,
        statics_changed: bool,
        warnings: Vec<Diagnostic>,
    ) -> Rebuilt {
        let Made {
            files,
            extra,
            paths,
            selected,
            pdfs,
        } = made;
        let jobs = paths.len();
        let expected: HashSet<String> = paths
            .into_iter()
            .chain(extra.iter().map(|(p, _)| p.clone()))
            .chain(pdfs.paths().map(|(p, _)| p.to_string()))
            .chain(
                self.served
                    .files
                    .keys()
                    .filter(|p| crate::search::is_index_file(p))
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
        self.pending.clear();
        self.pdfs_pending = Some(pdfs);
        self.needs_full_render = false;
        Rebuilt {
            changed,
            warnings,
            rendered: selected,
            jobs,
            full: selected == jobs,
        }
    }
}
