//! The render stage: every page, section list (paginated), tag page, feed and sitemap of the site, as bytes
//! at their output paths. Rendering is parallel and pure: the same site renders to the same bytes.

pub mod citations;
pub mod context;
mod feeds;
pub mod i18n;
mod job;
mod jsonld;
mod lang;
mod make;
mod templates;
pub mod timeline;
pub mod view;

pub use job::Job;
use make::{finish, render_job};
pub use templates::Templates;

use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::Rendered;
use crate::pdf::Plan;
use crate::site::Site;
use crate::theme::Theme;
use crate::translations::Report;
use context::LangContext;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A rendered file: its path in the output folder and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// Markdown bodies rendered by the markdown stage, by page and section index.
pub struct Bodies {
    /// Each page's body, by page index.
    pub pages: Vec<Rendered>,
    /// Each section's body (its `_index.md`), by section index.
    pub sections: Vec<Rendered>,
}

impl Bodies {
    /// Page `i`'s body, recorded as read ([`crate::deps`]).
    pub fn page(&self, site: &Site, i: usize) -> &Rendered {
        crate::deps::note(|| crate::deps::Fact::Body(site.pages[i].doc.rel.clone()));
        &self.pages[i]
    }

    /// Page `i`'s headings only, recorded as read (a link to one of them does not depend on the rest of the
    /// body).
    pub fn toc(&self, site: &Site, i: usize) -> &[crate::markdown::Heading] {
        crate::deps::note(|| crate::deps::Fact::Toc(site.pages[i].doc.rel.clone()));
        &self.pages[i].toc
    }

    /// Section `s`'s body, recorded as read.
    pub fn section(&self, site: &Site, s: usize) -> &Rendered {
        let sec = &site.sections[s];
        crate::deps::note(|| crate::deps::Fact::SectionBody(sec.dir.clone(), sec.lang.clone()));
        &self.sections[s]
    }
}

/// What the templated outputs are rendered from: the linked site, its bodies, and what every output shares.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The linked site.
    pub site: &'a Site,
    /// Its Markdown bodies.
    pub bodies: &'a Bodies,
    /// The translation report (outdated pages, the status page).
    pub translations: &'a Report,
    /// The per-language template values ([`lang_contexts`]).
    pub langs: &'a BTreeMap<String, LangContext>,
    /// The templates.
    pub templates: &'a Templates,
    /// The lesson PDFs the pages link to.
    pub pdfs: &'a Plan,
}

/// Renders the whole site into memory, sorted by path.
pub fn render(
    site: &Site,
    bodies: &Bodies,
    translations: &Report,
    theme: &Theme,
    templates: &Templates,
    pdfs: &Plan,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let diagnostics = render_into(
        site,
        bodies,
        translations,
        theme,
        templates,
        pdfs,
        &mut |batch| {
            files.extend(batch);
            Ok(())
        },
    );
    files.sort_by(|a, b| a.0.cmp(&b.0));
    (files, diagnostics)
}

/// How many pages are rendered at once before they go to the sink: enough to keep every core busy, few
/// enough that a site of any size is never held in memory whole.
const BATCH: usize = 512;

/// Where rendered files go, a batch at a time (the output folder, or memory).
pub type Sink<'a> = dyn FnMut(Vec<OutputFile>) -> Result<(), Diagnostic> + Send + 'a;

/// Renders the whole site into `sink` in batches; the next batch renders while the sink takes the last.
/// Every output path is checked for collisions before anything goes to the sink, and after a problem
/// nothing more does (rendering goes on, so that every problem is reported at once).
pub fn render_into(
    site: &Site,
    bodies: &Bodies,
    translations: &Report,
    theme: &Theme,
    templates: &Templates,
    pdfs: &Plan,
    sink: &mut Sink,
) -> Vec<Diagnostic> {
    let jobs = jobs(site, templates);
    let langs = lang_contexts(site, theme);
    let inputs = Inputs {
        site,
        bodies,
        translations,
        langs: &langs,
        templates,
        pdfs,
    };
    let (timeline_files, mut diagnostics) = derived(site, bodies, &langs, templates);
    let plain = untemplated(site, templates);
    let origins: Vec<(String, String)> = jobs
        .iter()
        .map(|j| (j.path(site), j.origin(site)))
        .chain(
            timeline_files
                .iter()
                .map(|f| (f.0.clone(), "the timeline".into())),
        )
        .chain(
            plain
                .iter()
                .map(|f| (f.0.clone(), untemplated_origin(site, &f.0))),
        )
        .chain(pdfs.paths().map(|(p, o)| (p.to_string(), o)))
        .collect();
    diagnostics.extend(collisions(origins));
    // Files rendered and not yet given to the sink; each round gives one while the next batch renders.
    let mut pending: Vec<Vec<OutputFile>> = vec![timeline_files, plain];
    let mut batches = jobs.chunks(BATCH);
    loop {
        let ok = !diagnostics.iter().any(Diagnostic::is_error);
        let batch = batches.next();
        let ready = if ok { pending.pop() } else { None };
        if batch.is_none() && ready.is_none() {
            break;
        }
        let (written, rendered) = rayon::join(
            || ready.map_or(Ok(()), &mut *sink),
            || batch.map(|b| render_jobs(&inputs, b)),
        );
        if let Err(d) = written {
            diagnostics.push(d);
        }
        if let Some((files, found)) = rendered {
            for d in found {
                if !diagnostics
                    .iter()
                    .any(|x| x.message == d.message && x.file == d.file)
                {
                    diagnostics.push(d);
                }
            }
            if ok {
                pending.insert(0, files);
            }
        }
    }
    diagnostics
}

/// An error for every output path that two generated files would share: in a parallel write the winner
/// would change from build to build, and the other file would be lost without a word.
/// Paths that differ only in case collide too: on the FAT32 sticks teachers copy sites to, on macOS and
/// on Windows, one would overwrite the other.
pub fn collisions(mut origins: Vec<(String, String)>) -> Vec<Diagnostic> {
    origins.sort();
    let mut folded: Vec<(String, &str, &str)> = origins
        .iter()
        .map(|(p, o)| (p.to_lowercase(), p.as_str(), o.as_str()))
        .collect();
    folded.sort();
    let by_case = folded
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|g| g.iter().any(|x| x.1 != g[0].1))
        .map(|g| {
            let names: Vec<String> = g.iter().map(|(_, p, o)| format!("{o} (`{p}`)")).collect();
            Diagnostic::error(Code::PathCollision, format!(
                "{} files would be written to paths that differ only in case: {}",
                g.len(),
                names.join(", ")
            ))
            .hint("on case-insensitive disks (USB sticks, macOS, Windows) one would replace the other; rename one of them")
        })
        .collect::<Vec<_>>();
    let mut found: Vec<Diagnostic> = origins
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|group| group.len() > 1)
        .map(|group| {
            let names: Vec<&str> = group.iter().map(|(_, o)| o.as_str()).collect();
            Diagnostic::error(Code::PathCollision, format!(
                "{} files would be written to `{}`: {}",
                group.len(),
                group[0].0,
                names.join(", ")
            ))
            .hint("give one of them another slug, id, alias or file name, so that each output path is made once")
        })
        .collect();
    found.extend(by_case);
    found
}

/// What made an untemplated file, for collision errors: the page whose alias it redirects, or the feed or
/// sitemap.
fn untemplated_origin(site: &Site, path: &str) -> String {
    site.pages
        .iter()
        .find(|p| {
            p.doc.common.aliases.iter().any(|a| {
                let clean = a.trim_matches('/');
                path == clean || path.strip_suffix("/index.html") == Some(clean)
            })
        })
        .map(|p| format!("an alias of {}", p.doc.file.display()))
        .unwrap_or_else(|| format!("the generated `{path}`"))
}

/// The per-language template values, for every configured language (every page is published in one).
pub fn lang_contexts(site: &Site, theme: &Theme) -> BTreeMap<String, LangContext> {
    site.config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .map(|l| {
            let mut lc = LangContext::new(site, &theme.strings, l);
            lc.asset_version = theme.version.clone();
            timeline::localise_nav(site, l, &mut lc);
            (l.to_string(), lc)
        })
        .collect()
}

/// Pages derived from many documents at once (the timelines), regenerated whole on every rebuild.
pub fn derived(
    site: &Site,
    bodies: &Bodies,
    langs: &BTreeMap<String, LangContext>,
    templates: &Templates,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    timeline::render(site, bodies, langs, templates)
}

/// Whether the site has pages derived from many documents at once (see [`derived`]).
pub fn derives(site: &Site, templates: &Templates) -> bool {
    timeline::exists(site, templates)
}

/// Every templated output of the site, in a stable order.
pub fn jobs(site: &Site, templates: &Templates) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    if templates.has("lesson_teacher.html") {
        jobs.extend(
            site.pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.doc.kind == crate::content::schema::Kind::Lesson)
                .map(|(i, _)| Job::Teacher(i)),
        );
    }
    if templates.has("lesson_print_all.html") {
        jobs.extend(
            site.sections
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    s.pages
                        .iter()
                        .any(|i| site.pages[*i].doc.kind == crate::content::schema::Kind::Lesson)
                })
                .map(|(i, _)| Job::PrintAll(i)),
        );
    }
    for (i, s) in site.sections.iter().enumerate() {
        if timeline::replaces(site, i, templates) {
            continue; // rendered by timeline::render below
        }
        let pages = s.pages.len().div_ceil(s.paginate_by).max(1);
        jobs.extend((1..=pages).map(|n| Job::Section(i, n)));
    }
    for (lang, terms) in &site.tags {
        jobs.push(Job::TagList(lang.clone()));
        for (tag, list) in terms {
            let pages = list.len().div_ceil(site.config.paginate_by).max(1);
            jobs.extend((1..=pages).map(|n| Job::Tag(lang.clone(), tag.clone(), n)));
        }
    }
    if templates.has("search.html") && site.config.search {
        jobs.extend(
            site.config
                .languages
                .iter()
                .map(|l| Job::Search(l.code.clone())),
        );
    }
    if templates.has("translations.html") && site.config.languages.len() > 1 {
        jobs.push(Job::Translations);
    }
    jobs.push(Job::NotFound);
    jobs
}

/// Renders `jobs` (in parallel); a problem shared by many jobs is reported once.
pub fn render_jobs(inputs: &Inputs, jobs: &[Job]) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    each_job(jobs, |job| render_job(inputs, job))
}

/// Renders `jobs` as [`render_jobs`] does, each file with the facts of the site its rendering read
/// ([`crate::deps`]).
pub fn render_jobs_recording(
    inputs: &Inputs,
    jobs: &[Job],
) -> (Vec<(OutputFile, Vec<crate::deps::Fact>)>, Vec<Diagnostic>) {
    each_job(jobs, |job| {
        let (file, read) = crate::deps::recording(|| render_job(inputs, job));
        file.map(|f| (f, read))
    })
}

/// Runs `render` on every job in parallel: what they made, and their problems, each reported once.
fn each_job<T: Send>(
    jobs: &[Job],
    render: impl Fn(&Job) -> Result<T, Diagnostic> + Sync + Send,
) -> (Vec<T>, Vec<Diagnostic>) {
    let results: Vec<Result<T, Diagnostic>> = jobs.par_iter().map(render).collect();
    let mut files = Vec::with_capacity(results.len() + 8);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => {
                if !diagnostics
                    .iter()
                    .any(|x| x.message == d.message && x.file == d.file)
                {
                    diagnostics.push(d);
                }
            }
        }
    }
    (files, diagnostics)
}

/// The outputs written without templates: feeds, the sitemap, robots.txt and alias redirects. They are
/// cheap, so an incremental rebuild regenerates them whole.
pub fn untemplated(site: &Site, templates: &Templates) -> Vec<OutputFile> {
    let mut files = feeds::feeds(site);
    let timelines = timeline::sitemap_groups(site, templates);
    files.push((
        "sitemap.xml".into(),
        feeds::sitemap(site, &timelines).into_bytes(),
    ));
    files.push((
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.config.base_url
        )
        .into_bytes(),
    ));
    files.extend(feeds::aliases(site));
    files
}

#[cfg(test)]
mod tests {
    /// Template contexts read the site only through its recording accessors, so that `serve` knows what each
    /// output was made from: a direct read of a list or a body here would go unrecorded, and an edit to it
    /// would leave stale pages served.
    #[test]
    fn contexts_read_the_site_through_recording_accessors() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
        let direct = [
            "site.pages",
            "site.sections",
            "site.tags",
            "site.translations",
            "site.backlinks",
            "site.ids",
            "site.by_rel",
            "bodies.pages",
            "bodies.sections",
            ".pages.iter()",
            ".pages.len()",
            ".pages.first()",
        ];
        for file in [
            "make.rs",
            "context.rs",
            "citations.rs",
            "jsonld.rs",
            "timeline/decorate.rs",
            "timeline/scope.rs",
            "timeline/mod.rs",
        ] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            // What runs outside any output's rendering: the checks of `citations` (the end of its file), the
            // timeline's folder (one recorded fact), and the tests.
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            let text = match file {
                "citations.rs" => text
                    .split("pub fn check(")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                "timeline/mod.rs" => text
                    .split_once("fn find_dir(")
                    .map(|(before, after)| {
                        format!(
                            "{before}{}",
                            after.split_once("\n}\n").map_or("", |(_, a)| a)
                        )
                    })
                    .unwrap_or_default(),
                _ => text.to_string(),
            };
            for line in text.lines() {
                for d in direct {
                    assert!(
                        !line.contains(d),
                        "src/render/{file}: `{d}` read without recording: {line}"
                    );
                }
            }
        }
    }
}
