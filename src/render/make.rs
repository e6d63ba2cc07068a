//! Renders one templated output ([`Job`]): the template context of a page, teacher copy, print booklet, list,
//! tag page, search page, translation status or 404 page, then its template. Contexts read the site through
//! its recording accessors ([`crate::deps`]), so that what an output was made from is known.

use super::job::{paginated, search_path, tag_list_path};
use super::{citations, context, jsonld, timeline, Inputs, Job, OutputFile, Templates};
use crate::deps::{self, Fact};
use crate::diagnostic::{Code, Diagnostic};
use crate::pdf::{Download, Plan};
use crate::site::{root_of, Site};
use serde_json::{json, Map, Value};
use tera::Context;

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
            let (path, template) = match job {
                Job::Teacher(_) => (
                    format!("{}teacher/", p.path),
                    "lesson_teacher.html".to_string(),
                ),
                _ => {
                    let own = format!("{}.html", p.doc.kind.name());
                    (
                        p.path.clone(),
                        if templates.has(&own) {
                            own
                        } else {
                            "page.html".to_string()
                        },
                    )
                }
            };
            let root = root_of(&path);
            let lc = lc_of(&p.doc.lang);
            let mut m = context::base(site, lc, &p.doc.lang, &path, &root);
            m.insert("lang".into(), json!(p.doc.content_lang()));
            let mut page = context::page(site, lc, *i, bodies.page(site, *i), &root);
            if p.doc.kind == crate::content::schema::Kind::Lesson {
                page["qr"] = json!(crate::qr::svg(&site.permalink(&p.path)));
                page["teacher_href"] = json!(format!(
                    "{root}{}",
                    site.href(&format!("{}teacher/", p.path))
                ));
                if let crate::content::schema::KindData::Lesson(l) = &p.doc.data {
                    page["teacher_notes"] =
                        json!(l.teacher_notes.as_deref().map(crate::markdown::fragment));
                }
                deps::note(|| Fact::Pdfs(p.doc.rel.clone()));
                page["pdfs"] = downloads(site, pdfs.lessons.get(i), &root);
            }
            deps::note(|| Fact::Outdated(p.doc.rel.clone()));
            page["outdated"] = json!(translations.outdated.contains(i));
            timeline::decorate(site, lc, *i, &mut page, &root);
            page["citations"] = citations::of_page(site, bodies, *i, &root);
            if let Some(ld) = jsonld::of_page(site, *i) {
                page["jsonld"] = json!(ld);
            }
            m.insert("alternates".into(), page["alternates"].clone());
            m.insert("page".into(), page);
            finish(templates, &template, m, &path)
        }
        Job::Section(s, n) => {
            let sec = site.sec(*s);
            let path = paginated(&sec.path, *n);
            let root = root_of(&path);
            let lc = lc_of(&sec.lang);
            let mut m = context::base(site, lc, &sec.lang, &path, &root);
            let start = (n - 1) * sec.paginate_by;
            let pages: Vec<Value> = site
                .section_pages(*s, start, sec.paginate_by)
                .iter()
                .map(|i| context::summary(site, &lc.strings, *i, &root))
                .collect();
            let count = site.section_len(*s);
            let subsections: Vec<Value> = sec
                .subsections
                .iter()
                .map(|j| {
                    let sub = site.sec(*j);
                    json!({ "title": sub.title, "href": format!("{root}{}", site.href(&sub.path)), "dir": sub.dir, "count": site.section_len(*j),
                        "description": sub.file.as_ref().and_then(|f| f.meta.description.clone()) })
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
            m.insert("alternates".into(), alternates);
            m.insert(
                "section".into(),
                json!({
                    "title": sec.title,
                    "description": meta.and_then(|m| m.description.clone()),
                    "dir": sec.dir,
                    "lang": sec.lang,
                    "kind": site.section_pages(*s, 0, 1).first().map(|i| site.page(*i).doc.kind.name()),
                    "content": bodies.section(site, *s).html,
                    "href": format!("{root}{}", site.href(&sec.path)),
                    "pages": pages,
                    "count": count,
                    "subsections": subsections,
                    "print_href": format!("{root}{}", site.href(&format!("{}print/", sec.path))),
                    "booklets": booklets(site, pdfs, *s, &root),
                    "translations": translations,
                    "status": meta.and_then(|m| m.status),
                }),
            );
            m.insert("pagination".into(), pagination);
            let template = if sec.dir.is_empty() {
                "index.html"
            } else {
                "section.html"
            };
            finish(templates, template, m, &path)
        }
        Job::PrintAll(s) => {
            let sec = site.sec(*s);
            let path = format!("{}print/", sec.path);
            let root = root_of(&path);
            let lc = lc_of(&sec.lang);
            let mut m = context::base(site, lc, &sec.lang, &path, &root);
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
            let list: Vec<Value> = lessons
                .iter()
                .map(|i| {
                    let p = site.page(*i);
                    // The booklet sits beside the lessons (`…/print/`), so their bodies' relative links hold.
                    let body = bodies.page(site, *i);
                    let mut page = context::page(site, lc, *i, body, &root);
                    page["qr"] = json!(crate::qr::svg(&site.permalink(&p.path)));
                    page
                })
                .collect();
            m.insert("section".into(), json!({ "title": sec.title, "href": format!("{root}{}", site.href(&sec.path)), "lang": sec.lang }));
            m.insert("booklets".into(), booklets(site, pdfs, *s, &root));
            m.insert("lessons".into(), Value::Array(list));
            finish(templates, "lesson_print_all.html", m, &path)
        }
        Job::TagList(lang) => {
            let path = tag_list_path(site, lang);
            let root = root_of(&path);
            let lc = lc_of(lang);
            let mut m = context::base(site, lc, lang, &path, &root);
            let terms: Vec<Value> = site
                .tag_terms(lang)
                .into_iter()
                .flatten()
                .map(|(t, list)| json!({ "name": t, "count": list.len(), "href": format!("{root}{}", site.href(&context::tag_path(site, lang, t))) }))
                .collect();
            m.insert("terms".into(), Value::Array(terms));
            finish(templates, "taxonomy_list.html", m, &path)
        }
        Job::Tag(lang, tag, n) => {
            let base_path = context::tag_path(site, lang, tag);
            let path = paginated(&base_path, *n);
            let root = root_of(&path);
            let lc = lc_of(lang);
            let mut m = context::base(site, lc, lang, &path, &root);
            let per = site.config.paginate_by;
            let (list, count) = site.tag_pages(lang, tag, (n - 1) * per, per);
            let pages: Vec<Value> = list
                .iter()
                .map(|i| context::summary(site, &lc.strings, *i, &root))
                .collect();
            m.insert("term".into(), json!({ "name": tag, "count": count, "pages": pages, "href": format!("{root}{}", site.href(&base_path)) }));
            m.insert(
                "pagination".into(),
                pagination(site, &base_path, *n, count.div_ceil(per).max(1), &root),
            );
            finish(templates, "taxonomy_term.html", m, &path)
        }
        Job::Search(lang) => {
            let path = search_path(site, lang);
            let root = root_of(&path);
            let lc = lc_of(lang);
            let mut m = context::base(site, lc, lang, &path, &root);
            m.insert(
                "search_filters".into(),
                context::search_filters(site, lc, lang),
            );
            finish(templates, "search.html", m, &path)
        }
        Job::Translations => {
            let path = "translations/".to_string();
            let root = root_of(&path);
            let lang = site.config.default_language.clone();
            let mut m = context::base(site, lc_of(&lang), &lang, &path, &root);
            deps::note(|| Fact::Report);
            let rows: Vec<Value> = translations
                .rows
                .iter()
                .filter(|r| r.states.iter().any(|(_, s)| *s != crate::translations::State::Source))
                .map(|r| {
                    let key = &r.key;
                    let states: Vec<Value> = r
                        .states
                        .iter()
                        .map(|(l, st)| {
                            let href = site.versions(key).iter().find(|(x, _)| x == l).map(|(_, i)| format!("{root}{}", site.href(&site.page(*i).path)));
                            json!({ "lang": l, "state": st, "href": href })
                        })
                        .collect();
                    json!({ "key": key, "title": r.title, "kind": r.kind, "href": format!("{root}{}", site.href(&r.path)), "hash": r.hash, "states": states })
                })
                .collect();
            m.insert("rows".into(), Value::Array(rows));
            finish(templates, "translations.html", m, &path)
        }
        Job::NotFound => {
            let lang = site.config.default_language.clone();
            let base_path = base_path(&site.config.base_url);
            let mut m = context::base(site, lc_of(&lang), &lang, "", &base_path);
            m.insert("path".into(), json!("404.html"));
            let html = templates.render(
                "404.html",
                &Context::from_value(Value::Object(m)).unwrap_or_default(),
            )?;
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

fn pagination(site: &Site, base: &str, current: usize, total: usize, root: &str) -> Value {
    let href = |n: usize| format!("{root}{}", site.href(&paginated(base, n)));
    let near =
        current.saturating_sub(PAGINATION_WINDOW).max(1)..=(current + PAGINATION_WINDOW).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .collect();
    numbers.dedup();
    let pages: Vec<Value> = numbers
        .into_iter()
        .map(|n| json!({ "number": n, "href": href(n), "current": n == current }))
        .collect();
    json!({
        "current": current,
        "total": total,
        "prev": if current > 1 { Some(href(current - 1)) } else { None },
        "next": if current < total { Some(href(current + 1)) } else { None },
        "pages": pages,
    })
}

pub(super) fn finish(
    templates: &Templates,
    template: &str,
    m: Map<String, Value>,
    path: &str,
) -> Result<OutputFile, Diagnostic> {
    let context = Context::from_value(Value::Object(m)).map_err(|e| {
        Diagnostic::error(
            Code::Internal,
            format!("internal: context is not an object: {e}"),
        )
    })?;
    let html = templates.render(template, &context)?;
    Ok((format!("{path}index.html"), html.into_bytes()))
}

/// PDFs to download, as the templates read them: `{variant, paper, href}`, students' first.
fn downloads(site: &Site, list: Option<&Vec<Download>>, root: &str) -> Value {
    Value::Array(
        list.into_iter()
            .flatten()
            .map(|d| json!({ "variant": d.variant, "paper": d.paper, "href": format!("{root}{}", site.href(&d.path)) }))
            .collect(),
    )
}

/// The booklets of section `s`'s lessons, as [`downloads`].
fn booklets(site: &Site, pdfs: &Plan, s: usize, root: &str) -> Value {
    let sec = site.sec(s);
    deps::note(|| Fact::Booklets(sec.dir.clone(), sec.lang.clone()));
    downloads(site, pdfs.booklets.get(&s), root)
}
