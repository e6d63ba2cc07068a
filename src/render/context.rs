//! Builds what templates see: the site, the language and its strings, and the page or section being rendered,
//! with links already relative to the page being rendered.

use super::i18n::Strings;
pub use super::lang::LangContext;
use super::view::{
    Alternate, Base, DateView, IdLabel, IdName, LanguageLink, Link, Linked, NavItem, PageExtra,
    PageView, Refs, SearchFilters, SiteInfo, Summary, TagLink, Translate, Version,
};
use crate::content::schema::{Field, Kind, KindData};
use crate::content::Document;
use crate::deps::{self, Fact};
use crate::markdown::Rendered;
use crate::site::Site;
use crate::slug::slugify;
use std::collections::BTreeMap;

/// A small description of a page for lists: title, link, date, kind and the kind's fields. Not its tags: a
/// page listed on each of its T tags' pages would cost T² if every listing carried all of them.
pub fn summary<'a>(site: &'a Site, strings: &Strings, i: usize, root: &str) -> Summary<'a> {
    let p = site.page(i);
    let d = &p.doc;
    Summary {
        title: d.title(),
        description: &d.common.description,
        href: format!("{root}{}", site.href(&p.path)),
        permalink: site.permalink(&p.path),
        id: &d.id,
        kind: d.kind.name(),
        lang: d.content_lang(),
        date: date_value(strings, d.common.date.as_ref()),
        data: &d.data,
        weight: d.common.weight,
    }
}

/// A date as templates see it.
pub fn date_value(
    strings: &Strings,
    d: Option<&crate::content::date::DateSpec>,
) -> Option<DateView> {
    d.map(|d| DateView {
        iso: d.iso(),
        display: strings.date(d),
        year: d.year,
        precision: d.precision(),
    })
}

/// The shared part of every output's context.
pub fn base<'a>(
    site: &'a Site,
    lc: &'a LangContext,
    lang: &'a str,
    path: &'a str,
    root: &'a str,
) -> Base<'a> {
    deps::note(|| Fact::Lang(lang.to_string()));
    let config = &site.config;
    let languages: Vec<LanguageLink> = config
        .languages
        .iter()
        .map(|l| {
            let home = site
                .section_path("", &l.code)
                .map(|p| site.href(p))
                .unwrap_or_default();
            LanguageLink {
                code: &l.code,
                name: &l.name,
                href: format!("{root}{home}"),
            }
        })
        .collect();
    let nav: Vec<NavItem> = lc
        .nav
        .iter()
        .map(|(title, href, dir, title_lang)| {
            let active = path
                .trim_start_matches(&format!("{lang}/"))
                .starts_with(&format!("{dir}/"));
            NavItem {
                title,
                href: format!("{root}{href}"),
                active,
                lang: title_lang,
            }
        })
        .collect();
    let home = site
        .section_path("", lang)
        .map(|p| site.href(p))
        .unwrap_or_default();
    Base {
        site: SiteInfo {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            default_language: &config.default_language,
            languages,
            paper: &config.paper,
            search: config.search,
            portable: config.portable,
        },
        lang,
        lang_name: config
            .languages
            .iter()
            .find(|l| l.code == lang)
            .map(|l| l.name.as_str())
            .unwrap_or(lang),
        t: &lc.t,
        root,
        home: format!("{root}{home}"),
        nav,
        nav_more: lc.nav_more,
        v: &lc.asset_version,
        path,
        permalink: site.permalink(path),
    }
}

/// Links to every language version of a document (or section), and the `hreflang` alternates.
pub fn translations(
    site: &Site,
    versions: &[(String, String, Option<&Document>)],
    current: &str,
    root: &str,
) -> (Vec<Version>, Vec<Alternate>) {
    let mut list = Vec::new();
    let mut alternates = Vec::new();
    for (lang, path, doc) in versions {
        let name = site
            .config
            .languages
            .iter()
            .find(|l| &l.code == lang)
            .map(|l| l.name.clone())
            .unwrap_or_else(|| lang.clone());
        list.push(Version {
            lang: lang.clone(),
            name,
            href: format!("{root}{}", site.href(path)),
            current: lang == current,
            status: doc.and_then(|d| d.common.status),
        });
        alternates.push(Alternate {
            lang: lang.clone(),
            permalink: site.permalink(path),
        });
        if *lang == site.config.default_language {
            alternates.push(Alternate {
                lang: "x-default".into(),
                permalink: site.permalink(path),
            });
        }
    }
    (list, alternates)
}

/// Everything a page template needs about its page.
pub fn page<'a>(
    site: &'a Site,
    lc: &LangContext,
    i: usize,
    body: &'a Rendered,
    root: &str,
) -> PageView<'a> {
    let p = site.page(i);
    let d = &p.doc;
    let strings = &lc.strings;
    let tags: Vec<TagLink> = d
        .common
        .tags
        .iter()
        .map(|t| TagLink {
            name: t,
            href: format!("{root}{}", site.href(&tag_path(site, &d.lang, t))),
        })
        .collect();
    let section = site.sec(p.section);
    let link = |kind: Kind, id: &'a str| -> Linked<'a> {
        match site.id(kind, id) {
            Some(t) => {
                let j = site
                    .in_lang(&Site::key(&site.page(t).doc), &d.lang)
                    .unwrap_or(t);
                Linked::Page(Box::new(summary(site, strings, j, root)))
            }
            None => Linked::Missing { id, title: id },
        }
    };
    let refs = Refs {
        cities: d
            .data
            .city_refs()
            .into_iter()
            .map(|(_, id)| link(Kind::City, id))
            .collect(),
        case_study: d.data.case_study_ref().map(|id| link(Kind::CaseStudy, id)),
        agreement: d.data.agreement_ref().map(|id| link(Kind::Agreement, id)),
    };
    let mut related: BTreeMap<&'static str, Vec<Summary>> = BTreeMap::new();
    if let Some(keys) = site.referrers(&Site::key(d)) {
        let mut items: Vec<usize> = keys
            .iter()
            .filter_map(|k| site.in_lang(k, &d.lang))
            .collect();
        items.sort_by(|a, b| {
            crate::site::compare(
                &site.page(*a).doc,
                &site.page(*b).doc,
                crate::content::schema::SortBy::Date,
            )
            .reverse()
        });
        for j in items {
            let kind = site.page(j).doc.kind.name();
            related
                .entry(kind)
                .or_default()
                .push(summary(site, strings, j, root));
        }
    }
    let key = Site::key(d);
    let versions: Vec<(String, String, Option<&Document>)> = site
        .versions(&key)
        .iter()
        .map(|(l, j)| {
            let v = site.page(*j);
            (l.clone(), v.path.clone(), Some(&v.doc))
        })
        .collect();
    let (translations, alternates) = translations(site, &versions, &d.lang, root);
    let file = d.file.display().to_string().replace('\\', "/");
    let forge = site.forge.as_ref();
    // The languages this page has no version in, each with the forge's new-file page for it.
    let translate: Vec<Translate> = forge
        .map(|f| {
            site.config
                .languages
                .iter()
                .filter(|l| !versions.iter().any(|(v, _, _)| *v == l.code))
                .map(|l| {
                    let name = format!(
                        "{}.{}.md",
                        file.trim_end_matches(".md")
                            .trim_end_matches(&format!(".{}", d.lang)),
                        l.code
                    );
                    Translate {
                        lang: &l.code,
                        name: &l.name,
                        url: f.new_file_url(&name),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    PageView {
        title: d.title(),
        description: &d.common.description,
        id: &d.id,
        kind: d.kind.name(),
        lang: d.content_lang(),
        href: format!("{root}{}", site.href(&p.path)),
        permalink: site.permalink(&p.path),
        date: date_value(strings, d.common.date.as_ref()),
        updated: date_value(strings, d.common.updated.as_ref()),
        tags,
        content: &body.html,
        toc: &body.toc,
        data: &d.data,
        status: d.common.status,
        draft: d.common.draft,
        weight: d.common.weight,
        refs,
        related,
        translations,
        alternates,
        section: Link {
            title: &section.title,
            href: format!("{root}{}", site.href(&section.path)),
        },
        last_updated: date_value(strings, site.last_updated(d)),
        commit: site.history.get(&d.file).map(|s| s.commit.as_str()),
        edit_url: forge.map(|f| f.edit_url(&file)),
        translate,
        translate_guide: forge.map(|f| f.guide_url("translate-a-page")),
        file,
        extra: PageExtra::default(),
    }
}

/// The output path of a tag's page.
pub fn tag_path(site: &Site, lang: &str, tag: &str) -> String {
    let prefix = site.config.lang_prefix(lang);
    let prefix = prefix.trim_start_matches('/');
    let slug = slugify(tag);
    if prefix.is_empty() {
        format!("tags/{slug}/")
    } else {
        format!("{prefix}/tags/{slug}/")
    }
}

/// A label from a group of UI strings (`fields`, `event_types`), or the id itself.
pub fn label(lc: &LangContext, group: &str, id: &str) -> String {
    lc.strings.label(group, id).unwrap_or(id).to_string()
}

/// The version of a typed document in `lang` (or its fallback), by id.
pub fn doc_in(site: &Site, kind: Kind, id: &str, lang: &str) -> Option<usize> {
    let i = site.id(kind, id)?;
    Some(
        site.in_lang(&Site::key(&site.page(i).doc), lang)
            .unwrap_or(i),
    )
}

/// A city's name in `lang`: its `names` entry, else the title of its page in that language.
pub fn city_name(site: &Site, id: &str, lang: &str) -> String {
    let Some(i) = doc_in(site, Kind::City, id, lang) else {
        return id.to_string();
    };
    let doc = &site.page(i).doc;
    let names = site
        .by_id(Kind::City, id)
        .and_then(|p| match &p.doc.data {
            KindData::City(c) => c.names.get(lang).cloned(),
            _ => None,
        })
        .or_else(|| match &doc.data {
            KindData::City(c) => c.names.get(lang).cloned(),
            _ => None,
        });
    names.unwrap_or_else(|| doc.title().to_string())
}

/// The names the search page shows for its city and field filters, in `lang`:
/// `{cities: [{id, name}], fields: [{id, label}]}` (the index itself holds only ids).
pub fn search_filters<'a>(site: &'a Site, lc: &LangContext, lang: &str) -> SearchFilters<'a> {
    SearchFilters {
        cities: site
            .ids_of(Kind::City)
            .map(|id| IdName {
                id,
                name: city_name(site, id, lang),
            })
            .collect(),
        fields: Field::ALL
            .iter()
            .map(|f| IdLabel {
                id: f.id(),
                label: label(lc, "fields", f.id()),
            })
            .collect(),
    }
}
