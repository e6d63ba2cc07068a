//! Renders one templated output ([`Job`]): the template context of a page, teacher copy, print booklet, list,
//! tag page, search page, translation status or 404 page, then its template. Contexts read the site through
//! its recording accessors ([`crate::deps`]), so that what an output was made from is known.

use super::job::paginated;
use super::view::{
    Alternate, DownloadView, LangState, Output, PageNumber, PageView, Pagination, SearchFilters,
    SectionView, StatusRow, Subsection, Summary, Term, TermCount,
};
use super::{citations, context, jsonld, timeline, Inputs, Job, OutputFile, Templates};
use crate::deps::{self, Fact};
use crate::diagnostic::{Code, Diagnostic};
use crate::pdf::{Download, Plan};
use crate::site::{root_of, Site};
use serde::Serialize;
use tera::Context;

/// A page's context beyond the shared part.
#[derive(Serialize)]
struct PageOwn<'a> {
    alternates: Vec<Alternate>,
    page: PageView<'a>,
}

/// A section list's context beyond the shared part.
#[derive(Serialize)]
struct SectionOwn<'a> {
    alternates: Vec<Alternate>,
    section: SectionView<'a>,
    pagination: Pagination,
}

/// A print booklet's context beyond the shared part.
#[derive(Serialize)]
struct PrintOwn<'a> {
    section: PrintSection<'a>,
    booklets: Vec<DownloadView<'a>>,
    lessons: Vec<PageView<'a>>,
}

/// The section a print booklet gathers.
#[derive(Serialize)]
struct PrintSection<'a> {
    title: &'a str,
    href: String,
    lang: &'a str,
}

/// The tag list's context beyond the shared part.
#[derive(Serialize)]
struct TagListOwn<'a> {
    terms: Vec<TermCount<'a>>,
}

/// A tag page's context beyond the shared part.
#[derive(Serialize)]
struct TagOwn<'a> {
    term: Term<'a>,
    pagination: Pagination,
}

/// The search page's context beyond the shared part.
#[derive(Serialize)]
struct SearchOwn<'a> {
    search_filters: SearchFilters<'a>,
}

/// The translation status page's context beyond the shared part.
#[derive(Serialize)]
struct StatusOwn<'a> {
    rows: Vec<StatusRow<'a>>,
}

/// Renders one job: its template context, then its template.
pub(super) fn render_job(inputs: &Inputs, job: &Job) -> Result<OutputFile, Diagnostic> {
    let Inputs {
        site,
        bodies,
        translations,
        langs,
        templates,
        pdfs,
    } = *inputs;
    let lc_of = |lang: &str| &langs[lang];
    match job {
        Job::Page(i) | Job::Teacher(i) => {
            let p = site.page(*i);
            let path = job.folder(site);
            let template = match job {
                Job::Teacher(_) => "lesson_teacher.html".to_string(),
                _ => {
                    let own = format!("{}.html", p.doc.kind.name());
                    if templates.has(&own) {
                        own
                    } else {
                        "page.html".to_string()
                    }
                }
            };
            let root = root_of(&path);
            let lc = lc_of(&p.doc.lang);
            let mut base = context::base(site, lc, &p.doc.lang, &path, &root);
            base.lang = p.doc.content_lang();
            let mut page = context::page(site, lc, *i, bodies.page(site, *i), &root);
            let extra = &mut page.extra;
            if p.doc.kind == crate::content::schema::Kind::Lesson {
                extra.qr = Some(crate::qr::svg(&site.permalink(&p.path)));
                extra.teacher_href = Some(format!(
                    "{root}{}",
                    site.href(&format!("{}teacher/", p.path))
                ));
                if let crate::content::schema::KindData::Lesson(l) = &p.doc.data {
                    extra.teacher_notes =
                        Some(l.teacher_notes.as_deref().map(crate::markdown::fragment));
                }
                deps::note(|| Fact::Pdfs(p.doc.rel.clone()));
                extra.pdfs = Some(downloads(site, pdfs.lessons.get(i), &root));
            }
            deps::note(|| Fact::Outdated(p.doc.rel.clone()));
            extra.outdated = Some(translations.outdated.contains(i));
            timeline::decorate(site, lc, *i, extra, &root);
            extra.citations = Some(citations::of_page(site, bodies, *i, &root));
            if let Some(ld) = jsonld::of_page(site, *i) {
                extra.jsonld = Some(ld);
            }
            let own = PageOwn {
                alternates: page.alternates.clone(),
                page,
            };
            finish(templates, &template, &Output { base, own }, &path)
        }
        Job::Section(s, n) => {
            let sec = site.sec(*s);
            let path = job.folder(site);
            let root = root_of(&path);
            let lc = lc_of(&sec.lang);
            let base = context::base(site, lc, &sec.lang, &path, &root);
            let start = (n - 1) * sec.paginate_by;
            let pages: Vec<Summary> = site
                .section_pages(*s, start, sec.paginate_by)
                .iter()
                .map(|i| context::summary(site, &lc.strings, *i, &root))
                .collect();
            let count = site.section_len(*s);
            let subsections: Vec<Subsection> = sec
                .subsections
                .iter()
                .map(|j| {
                    let sub = site.sec(*j);
                    Subsection {
                        title: &sub.title,
                        href: format!("{root}{}", site.href(&sub.path)),
                        dir: &sub.dir,
                        count: site.section_len(*j),
                        description: sub
                            .file
                            .as_ref()
                            .and_then(|f| f.meta.description.as_deref()),
                    }
                })
                .collect();
            let versions: Vec<(String, String, Option<&crate::content::Document>)> = site
                .section_versions(&sec.dir)
                .into_iter()
                .map(|(lang, path)| (lang, path, None))
                .collect();
            let (translations, alternates) =
                context::translations(site, &versions, &sec.lang, &root);
            let pagination = pagination(
                site,
                &sec.path,
                *n,
                count.div_ceil(sec.paginate_by).max(1),
                &root,
            );
            let meta = sec.file.as_ref().map(|f| &f.meta);
            let section = SectionView {
                title: &sec.title,
                description: meta.and_then(|m| m.description.as_deref()),
                dir: &sec.dir,
                lang: &sec.lang,
                kind: site
                    .section_pages(*s, 0, 1)
                    .first()
                    .map(|i| site.page(*i).doc.kind.name()),
                content: &bodies.section(site, *s).html,
                href: format!("{root}{}", site.href(&sec.path)),
                pages,
                count,
                subsections,
                print_href: format!("{root}{}", site.href(&format!("{}print/", sec.path))),
                booklets: booklets(site, pdfs, *s, &root),
                translations,
                status: meta.and_then(|m| m.status),
            };
            let template = if sec.dir.is_empty() {
                "index.html"
            } else {
                "section.html"
            };
            let own = SectionOwn {
                alternates,
                section,
                pagination,
            };
            finish(templates, template, &Output { base, own }, &path)
        }
        Job::PrintAll(s) => {
            let sec = site.sec(*s);
            let path = job.folder(site);
            let root = root_of(&path);
            let lc = lc_of(&sec.lang);
            let base = context::base(site, lc, &sec.lang, &path, &root);
            let mut lessons: Vec<usize> = site
                .section_pages(*s, 0, usize::MAX)
                .iter()
                .copied()
                .filter(|i| site.page(*i).doc.kind == crate::content::schema::Kind::Lesson)
                .collect();
            lessons.sort_by_key(|i| {
                let doc = &site.page(*i).doc;
                match &doc.data {
                    crate::content::schema::KindData::Lesson(l) => (l.number, doc.id.clone()),
                    _ => (u32::MAX, doc.id.clone()),
                }
            });
            let lessons: Vec<PageView> = lessons
                .iter()
                .map(|i| {
                    let p = site.page(*i);
                    // The booklet sits beside the lessons (`…/print/`), so their bodies' relative links hold.
                    let mut page = context::page(site, lc, *i, bodies.page(site, *i), &root);
                    page.extra.qr = Some(crate::qr::svg(&site.permalink(&p.path)));
                    page
                })
                .collect();
            let own = PrintOwn {
                section: PrintSection {
                    title: &sec.title,
                    href: format!("{root}{}", site.href(&sec.path)),
                    lang: &sec.lang,
                },
                booklets: booklets(site, pdfs, *s, &root),
                lessons,
            };
            finish(
                templates,
                "lesson_print_all.html",
                &Output { base, own },
                &path,
            )
        }
        Job::TagList(lang) => {
            let path = job.folder(site);
            let root = root_of(&path);
            let lc = lc_of(lang);
            let base = context::base(site, lc, lang, &path, &root);
            let terms: Vec<TermCount> = site
                .tag_terms(lang)
                .into_iter()
                .flatten()
                .map(|(t, list)| TermCount {
                    name: t,
                    count: list.len(),
                    href: format!("{root}{}", site.href(&context::tag_path(site, lang, t))),
                })
                .collect();
            let own = TagListOwn { terms };
            finish(
                templates,
                "taxonomy_list.html",
                &Output { base, own },
                &path,
            )
        }
        Job::Tag(lang, tag, n) => {
            let base_path = context::tag_path(site, lang, tag);
            let path = job.folder(site);
            let root = root_of(&path);
            let lc = lc_of(lang);
            let base = context::base(site, lc, lang, &path, &root);
            let per = site.config.paginate_by;
            let (list, count) = site.tag_pages(lang, tag, (n - 1) * per, per);
            let pages: Vec<Summary> = list
                .iter()
                .map(|i| context::summary(site, &lc.strings, *i, &root))
                .collect();
            let own = TagOwn {
                term: Term {
                    name: tag,
                    count,
                    pages,
                    href: format!("{root}{}", site.href(&base_path)),
                },
                pagination: pagination(site, &base_path, *n, count.div_ceil(per).max(1), &root),
            };
            finish(
                templates,
                "taxonomy_term.html",
                &Output { base, own },
                &path,
            )
        }
        Job::Search(lang) => {
            let path = job.folder(site);
            let root = root_of(&path);
            let lc = lc_of(lang);
            let base = context::base(site, lc, lang, &path, &root);
            let own = SearchOwn {
                search_filters: context::search_filters(site, lc, lang),
            };
            finish(templates, "search.html", &Output { base, own }, &path)
        }
        Job::Translations => {
            let path = job.folder(site);
            let root = root_of(&path);
            let lang = site.config.default_language.clone();
            let base = context::base(site, lc_of(&lang), &lang, &path, &root);
            deps::note(|| Fact::Report);
            let rows: Vec<StatusRow> = translations
                .rows
                .iter()
                .filter(|r| {
                    r.states
                        .iter()
                        .any(|(_, s)| *s != crate::translations::State::Source)
                })
                .map(|r| {
                    let key = &r.key;
                    let states: Vec<LangState> =
                        r.states
                            .iter()
                            .map(|(l, st)| {
                                let href = site.versions(key).iter().find(|(x, _)| x == l).map(
                                    |(_, i)| format!("{root}{}", site.href(&site.page(*i).path)),
                                );
                                LangState {
                                    lang: l,
                                    state: st,
                                    href,
                                }
                            })
                            .collect();
                    StatusRow {
                        key,
                        title: &r.title,
                        kind: r.kind,
                        href: format!("{root}{}", site.href(&r.path)),
                        hash: &r.hash,
                        states,
                    }
                })
                .collect();
            let own = StatusOwn { rows };
            finish(templates, "translations.html", &Output { base, own }, &path)
        }
        Job::NotFound => {
            let lang = site.config.default_language.clone();
            let base_path = base_path(&site.config.base_url);
            let mut base = context::base(site, lc_of(&lang), &lang, "", &base_path);
            base.path = "404.html";
            let context = Context::from_serialize(Output { base, own: () }).map_err(internal)?;
            let html = templates.render("404.html", &context)?;
            Ok(("404.html".into(), html.into_bytes()))
        }
    }
}

/// The path part of the base URL (`/` or `/kizuna/`), for pages served at any depth such as the 404 page.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(base_url);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// How many list pages on each side of the current one `pagination.pages` links to (with the first and the
/// last): a list's every page links to a bounded number of others, so paginating stays linear.
const PAGINATION_WINDOW: usize = 2;

fn pagination(site: &Site, base: &str, current: usize, total: usize, root: &str) -> Pagination {
    let href = |n: usize| format!("{root}{}", site.href(&paginated(base, n)));
    let near =
        current.saturating_sub(PAGINATION_WINDOW).max(1)..=(current + PAGINATION_WINDOW).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .collect();
    numbers.dedup();
    Pagination {
        current,
        total,
        prev: (current > 1).then(|| href(current - 1)),
        next: (current < total).then(|| href(current + 1)),
        pages: numbers
            .into_iter()
            .map(|n| PageNumber {
                number: n,
                href: href(n),
                current: n == current,
            })
            .collect(),
    }
}

fn internal(e: tera::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Internal,
        format!("internal: context is not an object: {e}"),
    )
}

pub(super) fn finish(
    templates: &Templates,
    template: &str,
    context: &impl Serialize,
    path: &str,
) -> Result<OutputFile, Diagnostic> {
    let context = Context::from_serialize(context).map_err(internal)?;
    let html = templates.render(template, &context)?;
    Ok((format!("{path}index.html"), html.into_bytes()))
}

/// PDFs to download, as the templates read them: `{variant, paper, href}`, students' first.
fn downloads<'a>(
    site: &Site,
    list: Option<&'a Vec<Download>>,
    root: &str,
) -> Vec<DownloadView<'a>> {
    list.into_iter()
        .flatten()
        .map(|d| DownloadView {
            variant: &d.variant,
            paper: &d.paper,
            href: format!("{root}{}", site.href(&d.path)),
        })
        .collect()
}

/// The booklets of section `s`'s lessons, as [`downloads`].
fn booklets<'a>(site: &Site, pdfs: &'a Plan, s: usize, root: &str) -> Vec<DownloadView<'a>> {
    let sec = site.sec(s);
    deps::note(|| Fact::Booklets(sec.dir.clone(), sec.lang.clone()));
    downloads(site, pdfs.booklets.get(&s), root)
}
