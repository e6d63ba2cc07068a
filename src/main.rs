//! The `kizuna` command line.

// As in the library: a `Diagnostic` is carried by value on the cold error path.
#![allow(clippy::result_large_err)]

use clap::{Parser, Subcommand};

/// Rendering allocates many small strings and maps; mimalloc halves the time glibc's allocator took.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use kizuna::config::Config;
use kizuna::content::schema::Kind;
use kizuna::diagnostic::report::{self, Format};
use kizuna::diagnostic::{Code, Diagnostic};
use kizuna::pipeline::{self, Options};
use kizuna::scaffold;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kizuna",
    version,
    about = "Builds a static knowledge-base site from Markdown files with YAML front matter"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// The site's root folder (holding content/ and, optionally, kizuna.yaml, themes/, templates/, static/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Override `base_url` from kizuna.yaml.
    #[arg(long)]
    base_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the whole build succeeds).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Write links that work when the site is opened from disk (file://), e.g. from a USB stick.
        #[arg(long)]
        portable: bool,
    },
    /// Build the site into memory, serve it on 127.0.0.1 and rebuild what changes, reloading the browser.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The interface to listen on; anything but 127.0.0.1 or ::1 makes the preview reachable from others.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Check all content, references, links and templates, and print every problem.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Also check that no content line shares a run of 10 or more words with the source reports (plain
        /// text files) in this folder.
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
        /// How to write the problems: for a terminal, as JSON, as GitHub annotations or as SARIF. Machine
        /// formats go to stdout, with files relative to the current folder; the summary goes to stderr.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Search the site from the terminal, with the same index and ranking as the site's search box.
    Search {
        /// The query; quote a phrase with "…".
        query: String,
        /// Only results in this language.
        #[arg(long)]
        lang: Option<String>,
        /// Only results of this kind (lesson, case_study, agreement, event, city, programme, page).
        #[arg(long)]
        kind: Option<String>,
        /// Only results about this city (its id).
        #[arg(long)]
        city: Option<String>,
        /// Only results in this field of cooperation.
        #[arg(long)]
        field: Option<String>,
        /// How many results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[command(flatten)]
        site: SiteArgs,
        /// The built site to search [default: ROOT/public, built first if it has no index].
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Build the portable site (it works from `file://`, search included) into one zip with a start page, for
    /// a USB stick: every name is checked against what FAT32 and Windows can hold.
    Bundle {
        #[command(flatten)]
        site: SiteArgs,
        /// The zip to write [default: ROOT/bundle.zip].
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// List the pages added, changed and removed between two builds, by kind and language, as Markdown (for a
    /// pull-request comment).
    Diff {
        /// The build before the change.
        old: PathBuf,
        /// The build after the change.
        new: PathBuf,
        /// How many pages to list for each of added, changed and removed.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Link the listed pages under this address (e.g. a preview deployment).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Write a commented skeleton for a new document, or start a translation of an existing one.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKind,
        /// The document's id (its file name), e.g. `lesson-09` or `2014-mandalay-workshop`.
        #[arg(long)]
        id: Option<String>,
        /// Language of the new file; for an existing id, starts a translation from the source.
        #[arg(long)]
        lang: Option<String>,
        /// Title of the new document.
        #[arg(long, default_value = "New document")]
        title: String,
        /// The site's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    Lesson,
    CaseStudy,
    Agreement,
    Event,
    City,
    Programme,
    Page,
}

impl NewKind {
    fn kind(self) -> Kind {
        match self {
            NewKind::Lesson => Kind::Lesson,
            NewKind::CaseStudy => Kind::CaseStudy,
            NewKind::Agreement => Kind::Agreement,
            NewKind::Event => Kind::Event,
            NewKind::City => Kind::City,
            NewKind::Programme => Kind::Programme,
            NewKind::Page => Kind::Page,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site,
            output,
            portable,
        } => {
            let mut opts = options(&site);
            if let Some(o) = output {
                opts.output = o;
            }
            if portable {
                opts.portable = Some(true);
            }
            match pipeline::build(&opts) {
                Ok(report) => {
                    print_all(&report.warnings);
                    let total: f64 = report.timings.iter().map(|(_, t)| t).sum();
                    eprintln!(
                        "built {} pages ({} files) into {} in {:.2}s",
                        report.pages,
                        report.files,
                        opts.output.display(),
                        total
                    );
                    if std::env::var_os("KIZUNA_TIMINGS").is_some() {
                        let stages: Vec<String> = report
                            .timings
                            .iter()
                            .map(|(n, t)| format!("{n} {t:.2}s"))
                            .collect();
                        eprintln!("stages: {}", stages.join(", "));
                    }
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => fail(
                    &diagnostics,
                    "the build failed; the previous output was left untouched",
                ),
            }
        }
        Command::Search {
            query,
            lang,
            kind,
            city,
            field,
            limit,
            site,
            output,
        } => {
            let mut opts = options(&site);
            if let Some(o) = output {
                opts.output = o;
            }
            if !opts.output.join("search/manifest.bin").exists() {
                if let Err(d) = pipeline::build(&opts) {
                    return fail(&d, "cannot build the site to search it");
                }
            }
            let q = kizuna::search::QueryOptions {
                lang,
                kind,
                city,
                field,
                limit,
                prefer_lang: None,
            };
            match kizuna::search::query(&opts.output, &query, &q) {
                Ok((total, hits)) => {
                    let ansi =
                        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                    print!("{}", kizuna::search::render_hits(total, &hits, ansi));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(
                    &[Diagnostic::error(Code::Search, e.to_string())
                        .hint("rebuild the site with `kizuna build`")],
                    "search failed",
                ),
            }
        }
        Command::Bundle { site, output } => bundle(&site, output),
        Command::Diff {
            old,
            new,
            limit,
            base_url,
        } => match kizuna::diff::compare(&old, &new) {
            Ok(diff) => {
                print!("{}", diff.markdown(limit, base_url.as_deref()));
                ExitCode::SUCCESS
            }
            Err(e) => fail(
                &[Diagnostic::error(Code::Io, e)],
                "cannot compare the builds",
            ),
        },
        Command::New {
            kind,
            id,
            lang,
            title,
            root,
        } => new(kind.kind(), id, lang, &title, &root),
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => kizuna::serve::run(&kizuna::serve::ServeOptions {
            site: options(&site),
            port,
            bind,
            open,
        }),
        Command::Check {
            site,
            sources,
            format,
        } => {
            let copied = match &sources {
                Some(dir) => check_sources(&site.root, dir),
                None => Vec::new(),
            };
            let out = Output {
                format,
                root: site.root.clone(),
            };
            // Every page is rendered (a template error is a problem too), and dropped as soon as made.
            match pipeline::run(&options(&site), &mut |_| Ok(()), false) {
                Ok(g) if copied.is_empty() => {
                    out.emit(&g.warnings);
                    eprintln!(
                        "checked {} pages: no errors, {} warning(s)",
                        g.site.pages.len(),
                        g.warnings.len()
                    );
                    ExitCode::SUCCESS
                }
                Ok(g) => out.fail(&[g.warnings, copied].concat(), "check found problems"),
                Err(diagnostics) => {
                    out.fail(&[diagnostics, copied].concat(), "check found problems")
                }
            }
        }
    }
}

/// Where and how diagnostics are written.
struct Output {
    format: Format,
    /// The site root, joined in front of files in machine formats.
    root: PathBuf,
}

impl Output {
    /// Writes the diagnostics in the chosen format.
    fn emit(&self, diagnostics: &[Diagnostic]) {
        let text = match self.format {
            Format::Human => return print_all(diagnostics),
            Format::Json => report::json(diagnostics, &self.root),
            Format::Github => report::github(diagnostics, &self.root),
            Format::Sarif => report::sarif(diagnostics, &self.root),
        };
        print!("{text}");
    }

    /// Writes the diagnostics and a summary, and fails.
    fn fail(&self, diagnostics: &[Diagnostic], what: &str) -> ExitCode {
        self.emit(diagnostics);
        summary(diagnostics, what)
    }
}

fn new(
    kind: Kind,
    id: Option<String>,
    lang: Option<String>,
    title: &str,
    root: &std::path::Path,
) -> ExitCode {
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(d) => return fail(&[d], "cannot read the configuration"),
    };
    if let Some(l) = lang.as_deref() {
        if !config.has_language(l) {
            let d = Diagnostic::error(
                Code::UnknownLanguage,
                format!("`{l}` is not a configured language"),
            )
            .in_file("kizuna.yaml")
            .hint("add it to `languages` in kizuna.yaml");
            return fail(&[d], "nothing written");
        }
    }
    let id = id.unwrap_or_else(|| kizuna::slug::slugify(title));
    match scaffold::create(
        root,
        kind,
        &id,
        lang.as_deref(),
        &config.default_language,
        title,
    ) {
        Ok(path) => {
            eprintln!(
                "wrote {}; fill it in, then run `kizuna check`",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(&[d], "nothing written"),
    }
}

/// `kizuna bundle`: the portable site built into a scratch folder beside the zip, checked, zipped.
fn bundle(site: &SiteArgs, output: Option<PathBuf>) -> ExitCode {
    let zip = output.unwrap_or_else(|| site.root.join("bundle.zip"));
    let scratch = zip.with_extension(format!("build-{}", std::process::id()));
    let mut opts = options(site);
    opts.output = scratch.clone();
    opts.portable = Some(true);
    let result = pipeline::build(&opts).and_then(|report| {
        let paths = kizuna::bundle::files(&scratch).map_err(|d| vec![d])?;
        let problems = kizuna::bundle::check_names(&paths);
        if !problems.is_empty() {
            return Err(problems);
        }
        let start = kizuna::bundle::start_page(&report.title, &report.description, &report.doors);
        let bundled =
            kizuna::bundle::write_zip(&scratch, &paths, &start, &zip).map_err(|d| vec![d])?;
        Ok((report, bundled))
    });
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok((report, bundled)) => {
            print_all(&report.warnings);
            eprintln!(
                "bundled {} pages ({} files) into {}: {:.1} MB; unzip it onto a stick and open {}",
                report.pages,
                bundled.files,
                zip.display(),
                bundled.bytes as f64 / 1_000_000.0,
                kizuna::bundle::START
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(&d, "nothing bundled; a previous zip was left as it was"),
    }
}

/// The source check of `kizuna check --sources DIR`, over the languages of the site's configuration.
fn check_sources(root: &std::path::Path, dir: &std::path::Path) -> Vec<Diagnostic> {
    match Config::load(root) {
        Ok(config) => {
            let languages: Vec<&str> = config
                .languages
                .iter()
                .map(|l| l.code.as_str())
                .filter(|&c| c != config.default_language)
                .collect();
            kizuna::sources::check_site(root, dir, &languages)
        }
        Err(d) => vec![d],
    }
}

fn options(site: &SiteArgs) -> Options {
    let mut opts = Options::new(&site.root);
    opts.drafts = site.drafts;
    opts.base_url = site.base_url.clone();
    opts
}

fn print_all(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics {
        let text = d.to_string();
        if color {
            let text = text
                .replacen("error[", "\x1b[1;31merror\x1b[0m[", 1)
                .replacen("warning[", "\x1b[1;33mwarning\x1b[0m[", 1);
            eprintln!("{text}");
        } else {
            eprintln!("{text}");
        }
    }
}

fn fail(diagnostics: &[Diagnostic], what: &str) -> ExitCode {
    print_all(diagnostics);
    summary(diagnostics, what)
}

fn summary(diagnostics: &[Diagnostic], what: &str) -> ExitCode {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!("{what}: {errors} error(s), {warnings} warning(s)");
    ExitCode::FAILURE
}
