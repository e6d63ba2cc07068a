//! The whole build, stage by stage: load → parse → link → markdown → render → write. Each stage takes the
//! previous stage's value; all diagnostics are collected and a build with errors writes nothing.

use crate::config::Config;
use crate::content::{self, Asset};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::markdown;
use crate::output;
use crate::render::{self, Bodies, OutputFile, Templates};
use crate::site::{self, Site};
use crate::theme::{self, Theme};
use crate::translations;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod bodies;
mod checks;
mod search;

use bodies::render_bodies;
pub use bodies::{page_body, section_body};
use search::write_search;
pub use search::{search_documents, write_extras};

use checks::{broken_site_links, copied_over_generated, shortcode_summary};

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's root folder (with kizuna.yaml and content/).
    pub root: PathBuf,
    /// Where the site is written.
    pub output: PathBuf,
    /// Build pages marked `draft: true` too.
    pub drafts: bool,
    /// Overrides `portable` in kizuna.yaml.
    pub portable: Option<bool>,
    /// Overrides `base_url` in kizuna.yaml.
    pub base_url: Option<String>,
    /// Where lesson PDFs are cached between builds.
    pub cache: crate::pdf::Cache,
}

impl Options {
    /// Builds `root` into `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        let root = root.into();
        Options {
            output: root.join("public"),
            root,
            drafts: false,
            portable: None,
            base_url: None,
            cache: crate::pdf::Cache::user(),
        }
    }
}

/// A site rendered in memory, ready to write.
pub struct Generated {
    /// The linked site.
    pub site: Site,
    /// Every page's and section's rendered Markdown.
    pub bodies: Bodies,
    /// The translation report.
    pub translations: translations::Report,
    /// The rendered files, sorted by path ([`generate`] only).
    pub files: Vec<OutputFile>,
    /// The theme.
    pub theme: Theme,
    /// Files beside the content, copied as they are.
    pub assets: Vec<Asset>,
    /// Warnings of every stage.
    pub warnings: Vec<Diagnostic>,
    /// Seconds each stage took, in order.
    pub timings: Vec<(&'static str, f64)>,
    /// The lesson booklet PDFs made, by section index.
    pub booklets: BTreeMap<usize, Vec<crate::pdf::Download>>,
}

impl Generated {
    /// Frees what only the render needed once the pages are written — the HTML of their bodies — so that
    /// the search index is built in the memory it took. Search reads titles, front matter and the bodies'
    /// text, which stay.
    fn release_written(&mut self) {
        for b in self
            .bodies
            .pages
            .iter_mut()
            .chain(&mut self.bodies.sections)
        {
            b.html = String::new();
        }
    }
}

/// One language's way into a built site: its home page, its top-level sections and its lesson booklets (PDF),
/// each as (title, site path).
#[derive(Debug, Clone)]
pub struct Door {
    /// The language code.
    pub lang: String,
    /// The language's name in itself.
    pub name: String,
    /// The home page's site path.
    pub home: String,
    /// Its top-level sections: (title, site path).
    pub sections: Vec<(String, String)>,
    /// Its lesson booklets: (label, site path).
    pub booklets: Vec<(String, String)>,
}

/// The front doors of every language that has a home page, in the order of `languages`.
fn doors(
    site: &Site,
    theme: &Theme,
    booklets: &BTreeMap<usize, Vec<crate::pdf::Download>>,
) -> Vec<Door> {
    site.config
        .languages
        .iter()
        .filter_map(|l| {
            let home = site.section("", &l.code)?;
            let sections = site.sections[home]
                .subsections
                .iter()
                .map(|&s| {
                    (
                        site.sections[s].title.clone(),
                        site.sections[s].path.clone(),
                    )
                })
                .collect();
            let t = crate::render::i18n::Strings::new(&theme.strings, &l.code);
            let booklets = booklets
                .iter()
                .filter(|(s, _)| site.sections[**s].lang == l.code)
                .flat_map(|(_, list)| list)
                .map(|d| {
                    let label = t.get(&format!("booklet_{}", d.variant.name()));
                    let paper = t.get(&format!("paper_{}", d.paper.name()));
                    (format!("{label} · {paper}"), d.path.clone())
                })
                .collect();
            Some(Door {
                lang: l.code.clone(),
                name: l.name.clone(),
                home: site.sections[home].path.clone(),
                sections,
                booklets,
            })
        })
        .collect()
}

/// Runs every stage but the write, with the rendered files in memory. Errors come back all at once, sorted by
/// file and line.
pub fn generate(opts: &Options) -> Result<Generated, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut g = run(
        opts,
        &mut |batch| {
            files.extend(batch);
            Ok(())
        },
        true,
    )?;
    files.sort_by(|a: &OutputFile, b: &OutputFile| a.0.cmp(&b.0));
    g.files = files;
    Ok(g)
}

/// Runs every stage but the write; rendered files go to `sink` in batches as they are made (the returned
/// [`Generated::files`] is empty). Without `keep_sources`, the pages' sources are freed once their Markdown
/// is rendered: nothing after needs them, and a large site's sources are a third of what a build holds.
/// Errors come back all at once, sorted by file and line.
pub fn run(
    opts: &Options,
    sink: &mut render::Sink,
    keep_sources: bool,
) -> Result<Generated, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let (config, theme, templates) = configure(opts)?;
    // One `git log` for every file's last commit, while the content loads and parses.
    let git = config.git_dates.then(|| {
        let root = opts.root.clone();
        std::thread::spawn(move || crate::history::read(&root, "content"))
    });
    let (loaded, mut diagnostics) = content::load(&opts.root, "content");
    diagnostics.extend(crate::theme::untranslated(&theme, &config));
    lap("load", &mut timings);
    let (parsed, d) = content::parse_all(loaded.markdown, &config, opts.drafts);
    diagnostics.extend(d);
    lap("parse", &mut timings);
    let (mut site, d) = site::link(parsed, &config);
    diagnostics.extend(d);
    let (history, note) = git
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default();
    site.set_history(history);
    diagnostics.extend(note.map(|n| Diagnostic::warning(Code::GitHistory, n)));
    let mut translation_report = translations::report(&site);
    diagnostics.append(&mut translation_report.diagnostics);
    lap("link", &mut timings);
    diagnostics.extend(shortcode_summary(&site));
    // Which lesson PDFs there will be, decided before the pages that link to them render (and before the
    // lessons' Markdown is freed).
    let mut pdfs = crate::pdf::plan(&site, &theme, &opts.cache, |i| {
        let doc = &site.pages[i].doc;
        &doc.source[doc.body_offset.min(doc.source.len())..]
    });
    diagnostics.append(&mut pdfs.diagnostics);
    // Without `keep_sources`, each page's body is freed as soon as its Markdown is rendered: on a large site the
    // sources and the rendered bodies together made the build's peak. The front matter stays, for diagnostics
    // that point into it.
    let sources = (!keep_sources).then(|| {
        site.pages
            .iter_mut()
            .map(|p| {
                let source = std::mem::take(&mut p.doc.source);
                p.doc.source = source[..p.doc.body_offset].to_string();
                (source, p.doc.body_offset)
            })
            .collect()
    });
    let (bodies, d) = render_bodies(&site, sources);
    diagnostics.extend(d);
    diagnostics.extend(render::citations::check(&site, &bodies));
    lap("markdown", &mut timings);
    if diagnostics.iter().any(Diagnostic::is_error) {
        diagnostic::sort(&mut diagnostics);
        return Err(diagnostics);
    }
    let mut paths = Vec::new();
    let d = render::render_into(
        &site,
        &bodies,
        &translation_report,
        &theme,
        &templates,
        &pdfs,
        &mut |batch| {
            paths.extend(batch.iter().map(|f| f.0.clone()));
            sink(batch)
        },
    );
    diagnostics.extend(d);
    lap("render+write", &mut timings);
    if !diagnostics.iter().any(Diagnostic::is_error) {
        let (files, d) = crate::pdf::make(&pdfs, &site, &opts.cache);
        diagnostics.extend(d);
        if !files.is_empty() {
            paths.extend(files.iter().map(|f| f.0.clone()));
            if let Err(d) = sink(files) {
                diagnostics.push(d);
            }
        }
        lap("pdf", &mut timings);
    }
    diagnostics.extend(copied_over_generated(&paths, &theme, &loaded.assets));
    // Only a complete render knows every path; after an error the list is partial.
    let complete = !diagnostics.iter().any(Diagnostic::is_error);
    diagnostics.extend(
        complete
            .then(|| {
                broken_site_links(
                    &site,
                    &bodies,
                    &paths,
                    &theme,
                    &loaded.assets,
                    site.config.broken_links,
                    &opts.root,
                )
            })
            .into_iter()
            .flatten(),
    );
    lap("checks", &mut timings);
    diagnostic::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(Generated {
        site,
        bodies,
        translations: translation_report,
        files: Vec::new(),
        theme,
        assets: loaded.assets,
        warnings: diagnostics,
        timings,
        booklets: std::mem::take(&mut pdfs.booklets),
    })
}

/// The configuration (with the command line's overrides), the theme and its compiled templates.
pub fn configure(opts: &Options) -> Result<(Config, Theme, Templates), Vec<Diagnostic>> {
    let mut config = Config::load(&opts.root).map_err(|d| vec![d])?;
    if let Some(p) = opts.portable {
        config.portable = p;
    }
    if let Some(url) = &opts.base_url {
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    let theme = theme::load(&opts.root, &config.theme)?;
    let templates = Templates::new(&theme)?;
    Ok((config, theme, templates))
}

/// What a finished build reports.
pub struct Report {
    /// The site's title and description, from kizuna.yaml.
    pub title: String,
    /// What the site is.
    pub description: String,
    /// The site's front doors, for a start page: each language's home and top-level sections.
    pub doors: Vec<Door>,
    /// Pages built.
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Warnings of every stage.
    pub warnings: Vec<Diagnostic>,
    /// Seconds each stage took, in order.
    pub timings: Vec<(&'static str, f64)>,
}

/// Builds the site and writes it atomically to `opts.output`.
pub fn build(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    check_output(opts).map_err(|d| vec![d])?;
    let mut staging = output::Staging::new(&opts.output).map_err(|d| vec![d])?;
    let mut files = 0;
    let mut g = run(
        opts,
        &mut |batch| {
            files += batch.len();
            staging.files(&batch)
        },
        false,
    )?;
    g.release_written();
    let clock = Instant::now();
    staging
        .copy(&output::Copied {
            statics: &g.theme.statics,
            assets: &g.assets,
        })
        .map_err(|d| vec![d])?;
    let mut report = Report {
        title: g.site.config.title.clone(),
        description: g.site.config.description.clone(),
        doors: doors(&g.site, &g.theme, &g.booklets),
        pages: g.site.pages.len(),
        files: files + g.theme.statics.len() + g.assets.len(),
        warnings: std::mem::take(&mut g.warnings),
        timings: std::mem::take(&mut g.timings),
    };
    let t = Instant::now();
    if g.site.config.search {
        let docs = search::search_documents_taking(&g.site, &mut g.bodies, &g.theme);
        let portable = g.site.config.portable;
        // The search documents hold what the index needs: the site (its sources) and the bodies are freed
        // before it is built.
        drop(g);
        let (dir, kept) = staging
            .hand_over(crate::search::is_index_file)
            .map_err(|d| vec![d])?;
        write_search(docs, portable, dir, &kept).map_err(|d| vec![d])?;
    }
    let search_secs = t.elapsed().as_secs_f64();
    staging.commit().map_err(|d| vec![d])?;
    report.timings.push(("search", search_secs));
    report
        .timings
        .push(("swap", clock.elapsed().as_secs_f64() - search_secs));
    Ok(report)
}

/// Refuses output folders that would replace the site's own sources.
fn check_output(opts: &Options) -> Result<(), Diagnostic> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let out = abs(&opts.output);
    let root = abs(&opts.root);
    if root.starts_with(&out)
        || out.starts_with(root.join("content"))
        || out.starts_with(root.join("themes"))
        || out.starts_with(root.join("static"))
    {
        return Err(Diagnostic::error(
            Code::OutputOverSources,
            format!(
                "refusing to write the site to {}: it would replace the site's sources",
                opts.output.display()
            ),
        )
        .hint(
            "choose an output folder outside content/, themes/ and static/, e.g. `--output public`",
        ));
    }
    Ok(())
}
