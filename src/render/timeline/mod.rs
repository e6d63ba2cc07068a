//! Timeline pages: the whole timeline in every configured language (default at `/timeline/`, others at
//! `/<lang>/timeline/`), a page per filter value (`city/<id>/`, `field/<id>/`, `kind/<kind>/`), the
//! machine-readable `/timeline.json` and schema.org JSON-LD; plus the timeline and swimlane that case study and
//! city pages show. The data comes from [`crate::timeline`]; this module only shapes it for templates.

mod decorate;
mod scope;
pub mod view;

use super::context::{self, city_name, label, LangContext};
use super::view::{Alternate, Output};
use super::{finish, Bodies, OutputFile};
use crate::content::schema::{Kind, KindData};
use crate::deps::{self, Fact};
use crate::diagnostic::{Code, Diagnostic};
use crate::render::Templates;
use crate::site::{root_of, Site};
use crate::timeline::{self as tl, Entry, Filter};
pub use decorate::decorate;
use rayon::prelude::*;
pub use scope::script_json;
use scope::{with_context, Scope};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use view::{AllLink, FilterGroup, FilterOption, FilterView, TimelineView};
/// The template of timeline pages.
pub const TEMPLATE: &str = "timeline.html";

/// The folder of the timeline: the first section (default language first) whose pages are all events.
pub fn dir(site: &Site) -> Option<String> {
    deps::note(|| Fact::TimelineDir);
    deps::unrecorded(|| find_dir(site))
}

fn find_dir(site: &Site) -> Option<String> {
    let is_timeline = |s: &&crate::site::Section| {
        !s.pages.is_empty()
            && s.pages
                .iter()
                .all(|i| site.pages[*i].doc.kind == Kind::Event)
    };
    let default = &site.config.default_language;
    site.sections
        .iter()
        .filter(is_timeline)
        .find(|s| &s.lang == default)
        .or_else(|| site.sections.iter().find(is_timeline))
        .map(|s| s.dir.clone())
}

/// Whether the site has a timeline to render.
pub fn exists(site: &Site, templates: &Templates) -> bool {
    templates.has(TEMPLATE) && dir(site).is_some()
}

/// Whether the timeline replaces the plain list of section `s` (all its languages).
pub fn replaces(site: &Site, s: usize, templates: &Templates) -> bool {
    templates.has(TEMPLATE) && dir(site).as_deref() == Some(site.sec(s).dir.as_str())
}

/// The timeline's path in `lang`: `timeline/`, `my/timeline/`.
fn path_in(site: &Site, dir: &str, lang: &str) -> String {
    let prefix = site.config.lang_prefix(lang);
    let prefix = prefix.trim_start_matches('/');
    if prefix.is_empty() {
        format!("{dir}/")
    } else {
        format!("{prefix}/{dir}/")
    }
}

/// The timeline's pages for the sitemap: per page (the whole timeline, then each filter), its path in every
/// language, so that each carries the others as alternates.
pub fn sitemap_groups(site: &Site, templates: &Templates) -> Vec<Vec<(String, String)>> {
    let Some(dir) = dir(site).filter(|_| templates.has(TEMPLATE)) else {
        return Vec::new();
    };
    let entries = tl::entries(site);
    let filters = tl::filters(&entries);
    let segments = std::iter::once(String::new()).chain(filters.iter().map(|(f, _)| f.segment()));
    segments
        .map(|seg| {
            site.config
                .languages
                .iter()
                .map(|l| {
                    (
                        l.code.clone(),
                        format!("{}{seg}", path_in(site, &dir, &l.code)),
                    )
                })
                .collect()
        })
        .collect()
}

/// Points the navigation's timeline link at the timeline in `lang`, which exists even where the language has no
/// event of its own.
pub fn localise_nav(site: &Site, lang: &str, lc: &mut LangContext) {
    let Some(dir) = dir(site) else { return };
    if site.section(&dir, lang).is_some() {
        return;
    }
    let href = site.href(&path_in(site, &dir, lang));
    let title = lc.strings.get("timeline");
    for item in lc.nav.iter_mut().filter(|n| n.2 == dir) {
        item.0 = title.clone();
        item.1 = href.clone();
    }
}

/// One timeline page to render.
struct Job {
    lang: String,
    filter: Option<Filter>,
}

/// Every timeline page in every configured language, and `/timeline.json`.
pub fn render(
    site: &Site,
    bodies: &Bodies,
    langs: &BTreeMap<String, LangContext>,
    templates: &Templates,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let Some(dir) = dir(site).filter(|_| templates.has(TEMPLATE)) else {
        return (Vec::new(), Vec::new());
    };
    deps::note(|| Fact::Entries {
        case_study: None,
        city: None,
    });
    let entries = deps::unrecorded(|| tl::entries(site));
    let taken = site.page_paths();
    let filters = tl::filters(&entries);
    let mut jobs = Vec::new();
    for l in &site.config.languages {
        jobs.push(Job {
            lang: l.code.clone(),
            filter: None,
        });
        jobs.extend(filters.iter().map(|(f, _)| Job {
            lang: l.code.clone(),
            filter: Some(f.clone()),
        }));
    }
    // Filter pages must not replace a page of the site (an event with the id `city`, say).
    let recording = deps::is_recording();
    let results: Vec<(Result<OutputFile, Diagnostic>, Vec<Fact>)> = jobs
        .par_iter()
        .map(|job| deps::forward(recording, || {
            let path = format!(
                "{}{}",
                path_in(site, &dir, &job.lang),
                job.filter.as_ref().map(Filter::segment).unwrap_or_default()
            );
            if job.filter.is_some() && taken.contains(path.as_str()) {
                return Err(Diagnostic::error(Code::PathCollision, format!(
                    "the timeline filter page `/{path}` would replace a page"
                ))
                .hint("rename the page, or its section: timeline filters live at `city/`, `field/` and `kind/` below the timeline"));
            }
            page(
                site, bodies, langs, templates, &dir, &entries, &filters, job, &path,
            )
        }))
        .collect();
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for (r, read) in results {
        deps::note_all(read);
        match r {
            Ok(f) => files.push(f),
            Err(d) => diagnostics.push(d),
        }
    }
    let default = &site.config.default_language;
    if let Some(lc) = langs.get(default) {
        let json = timeline_json(site, lc, &entries, &dir);
        files.push((
            "timeline.json".into(),
            serde_json::to_vec_pretty(&json).unwrap_or_default(),
        ));
    }
    (files, diagnostics)
}

#[allow(clippy::too_many_arguments)]
fn page(
    site: &Site,
    bodies: &Bodies,
    langs: &BTreeMap<String, LangContext>,
    templates: &Templates,
    dir: &str,
    entries: &[Entry],
    filters: &[(Filter, usize)],
    job: &Job,
    path: &str,
) -> Result<OutputFile, Diagnostic> {
    let lang = job.lang.as_str();
    let lc = &langs[lang];
    let root = root_of(path);
    let base = path_in(site, dir, lang);
    let scope = Scope {
        site,
        lc,
        lang,
        root: &root,
        timeline: Some(base.clone()),
    };
    let shared = context::base(site, lc, lang, path, &root);
    let default = &site.config.default_language;
    let own = site.section(dir, lang);
    let fallback = site.section(dir, default);
    let with_file = own
        .filter(|s| site.sec(*s).file.is_some())
        .or(fallback.filter(|s| site.sec(*s).file.is_some()));
    let timeline_title = match (own, fallback) {
        (Some(s), _) if site.sec(s).file.is_some() || lang == default => site.sec(s).title.clone(),
        (_, Some(s)) if lang == default => site.sec(s).title.clone(),
        _ => lc.strings.get("timeline"),
    };
    let list: Vec<&Entry> = match &job.filter {
        Some(f) => tl::select(entries, f),
        None => entries.iter().collect(),
    };
    let option_label = |f: &Filter| match f {
        Filter::City(c) => city_name(site, c, lang),
        Filter::Field(x) => label(lc, "fields", x.id()),
        Filter::Kind(k) => label(lc, "timeline_kinds", k.id()),
    };
    let mut groups: Vec<FilterGroup> = Vec::new();
    for (dimension, heading) in [
        ("kind", "timeline_filter_kind"),
        ("city", "timeline_filter_city"),
        ("field", "timeline_filter_field"),
    ] {
        let options: Vec<FilterOption> = filters
            .iter()
            .filter(|(f, _)| f.dimension() == dimension)
            .map(|(f, n)| FilterOption {
                value: f.value(),
                label: option_label(f),
                count: *n,
                href: scope.filter_href(f),
                current: job.filter.as_ref() == Some(f),
            })
            .collect();
        if !options.is_empty() {
            groups.push(FilterGroup {
                dimension,
                label: lc.strings.get(heading),
                options,
            });
        }
    }
    let title = match &job.filter {
        Some(f) => lc
            .strings
            .get("timeline_filtered")
            .replace("{title}", &timeline_title)
            .replace("{value}", &option_label(f)),
        None => timeline_title.clone(),
    };
    let versions: Vec<(String, String, Option<&crate::content::Document>)> = site
        .config
        .languages
        .iter()
        .map(|l| {
            (
                l.code.clone(),
                format!(
                    "{}{}",
                    path_in(site, dir, &l.code),
                    job.filter.as_ref().map(Filter::segment).unwrap_or_default()
                ),
                None,
            )
        })
        .collect();
    let (translations, alternates) = context::translations(site, &versions, lang, &root);
    // The ItemList goes on the full timeline only: filter pages are views of it, and repeating every event
    // there would multiply the site's size.
    let jsonld = job.filter.is_none().then(|| {
        let items: Vec<Value> = list
            .iter()
            .enumerate()
            .map(|(i, e)| json!({ "@type": "ListItem", "position": i + 1, "item": scope.event_ld(e) }))
            .collect();
        script_json(&with_context(json!({
            "@type": "ItemList",
            "name": title,
            "url": site.permalink(path),
            "inLanguage": lang,
            "numberOfItems": list.len(),
            "itemListOrder": "https://schema.org/ItemListOrderAscending",
            "itemListElement": items,
        })))
    });
    let (content, content_lang, description) = match (&job.filter, with_file) {
        (None, Some(s)) => (
            bodies.section(site, s).html.clone(),
            site.sec(s).lang.clone(),
            site.sec(s)
                .file
                .as_ref()
                .and_then(|f| f.meta.description.clone()),
        ),
        _ => (String::new(), lang.to_string(), None),
    };
    let feed = own.map(|s| scope.link(&format!("{}atom.xml", site.sec(s).path)));
    let timeline = TimelineView {
        groups: scope.groups(&list, 2, false),
        title,
        timeline_title,
        description,
        content,
        content_lang,
        total: entries.len(),
        all: AllLink {
            href: scope.link(&base),
            count: entries.len(),
            current: job.filter.is_none(),
        },
        filter: job.filter.as_ref().map(|f| FilterView {
            dimension: f.dimension(),
            value: f.value(),
            label: option_label(f),
        }),
        filters: groups,
        json_href: format!("{root}timeline.json"),
        feed_href: feed,
        jsonld,
        translations,
    };
    let own = TimelineOwn {
        alternates,
        timeline,
    };
    finish(templates, TEMPLATE, &Output { base: shared, own }, path)
}

/// A timeline page's context beyond the shared part.
#[derive(serde::Serialize)]
struct TimelineOwn<'a> {
    alternates: Vec<Alternate>,
    timeline: TimelineView<'a>,
}

/// `/timeline.json`: every entry in the default language with links to its translations. The fields are
/// documented in docs/timeline-json.md.
fn timeline_json(site: &Site, lc: &LangContext, entries: &[Entry], dir: &str) -> Value {
    let default = &site.config.default_language;
    let list: Vec<Value> = entries
        .iter()
        .map(|e| {
            let page = site.page(e.page);
            let date = |d: &crate::content::date::DateSpec| json!({ "iso": d.iso(), "year": d.year, "month": d.month, "day": d.day, "precision": d.precision() });
            let translations: BTreeMap<&str, Value> = Some(site.versions(&e.key))
                .map(|v| {
                    v.iter()
                        .filter(|(l, _)| l != &page.doc.lang)
                        .map(|(l, j)| {
                            let p = site.page(*j);
                            (
                                l.as_str(),
                                json!({ "title": p.doc.title(), "description": p.doc.common.description, "url": site.permalink(&p.path), "status": p.doc.common.status }),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let url_of = |kind: Kind, id: &Option<String>| {
                id.as_deref()
                    .and_then(|id| site.by_id(kind, id))
                    .map(|p| site.permalink(&p.path))
            };
            json!({
                "id": e.id,
                "kind": e.kind.id(),
                "type": e.r#type,
                "title": page.doc.title(),
                "description": page.doc.common.description,
                "lang": page.doc.content_lang(),
                "url": site.permalink(&page.path),
                "date": date(&e.date),
                "end": e.end.as_ref().map(date),
                "fiscal_year": e.fiscal_year,
                "cities": e.cities,
                "fields": e.fields.iter().map(|f| f.id()).collect::<Vec<_>>(),
                "case_study": e.case_study,
                "case_study_url": url_of(Kind::CaseStudy, &e.case_study),
                "agreement": e.agreement,
                "agreement_url": url_of(Kind::Agreement, &e.agreement),
                "source": e.source,
                "translations": translations,
            })
        })
        .collect();
    let cities: BTreeMap<&str, Value> = entries
        .iter()
        .flat_map(|e| e.cities.iter())
        .map(|c| {
            let url = site.by_id(Kind::City, c).map(|p| site.permalink(&p.path));
            let country = site.by_id(Kind::City, c).and_then(|p| match &p.doc.data {
                KindData::City(x) => Some(x.country.clone()),
                _ => None,
            });
            (
                c.as_str(),
                json!({ "name": city_name(site, c, default), "country": country, "url": url }),
            )
        })
        .collect();
    let fields: BTreeMap<&str, String> = crate::content::schema::Field::ALL
        .iter()
        .map(|f| (f.id(), label(lc, "fields", f.id())))
        .collect();
    json!({
        "version": 1,
        "generator": "kizuna",
        "title": site.config.title,
        "url": site.permalink(&path_in(site, dir, default)),
        "language": default,
        "languages": site.config.languages.iter().map(|l| l.code.clone()).collect::<Vec<_>>(),
        "count": list.len(),
        "cities": cities,
        "fields": fields,
        "entries": list,
    })
}
