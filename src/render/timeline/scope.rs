//! One timeline entry as templates show it in one language ([`Scope`]): names, dates and links in that
//! language, and its schema.org JSON-LD.

use super::view::{Decade, DocLink, EntryView, FieldLink, FilterLink, Groups, Year};
use crate::content::schema::Kind;
use crate::render::context::{self, city_name, doc_in, label, LangContext};
use crate::site::Site;
use crate::timeline::{self as tl, Entry, EntryKind, Filter};
use serde_json::{json, Map, Value};

/// What every rendering of an entry in one language needs.
pub(super) struct Scope<'a> {
    pub(super) site: &'a Site,
    pub(super) lc: &'a LangContext,
    pub(super) lang: &'a str,
    pub(super) root: &'a str,
    /// The timeline's path in this language, for links to filter pages.
    pub(super) timeline: Option<String>,
}

impl<'a> Scope<'a> {
    pub(super) fn link(&self, path: &str) -> String {
        format!("{}{}", self.root, self.site.href(path))
    }

    pub(super) fn filter_href(&self, f: &Filter) -> Option<String> {
        self.timeline
            .as_ref()
            .map(|t| self.link(&format!("{t}{}", f.segment())))
    }

    pub(super) fn type_label(&self, e: &Entry) -> String {
        let group = if e.kind == EntryKind::Agreement {
            "agreement_types"
        } else {
            "event_types"
        };
        label(self.lc, group, &e.r#type)
    }

    /// An entry as templates see it; `n` is its number in the list shown.
    pub(super) fn entry(&self, e: &Entry, n: usize) -> EntryView<'a> {
        let site = self.site;
        let j = site.in_lang(&e.key, self.lang).unwrap_or(e.page);
        let page = site.page(j);
        let strings = &self.lc.strings;
        let cities: Vec<FilterLink> = e
            .cities
            .iter()
            .map(|c| FilterLink {
                id: c.clone(),
                name: city_name(site, c, self.lang),
                href: self.filter_href(&Filter::City(c.clone())),
            })
            .collect();
        let fields: Vec<FieldLink> = e
            .fields
            .iter()
            .map(|f| FieldLink {
                id: f.id(),
                label: label(self.lc, "fields", f.id()),
                href: self.filter_href(&Filter::Field(*f)),
            })
            .collect();
        let reference = |kind: Kind, id: &Option<String>| -> Option<DocLink<'a>> {
            let k = doc_in(site, kind, id.as_deref()?, self.lang)?;
            let p = site.page(k);
            Some(DocLink {
                title: p.doc.title(),
                href: self.link(&p.path),
                lang: p.doc.content_lang(),
            })
        };
        EntryView {
            n,
            id: e.id.clone(),
            anchor: format!("tl-{}", e.id),
            kind: e.kind.id(),
            kind_label: label(self.lc, "timeline_kinds", e.kind.id()),
            r#type: e.r#type.clone(),
            type_label: self.type_label(e),
            title: page.doc.title(),
            description: &page.doc.common.description,
            href: self.link(&page.path),
            lang: page.doc.content_lang(),
            lang_name: site
                .config
                .languages
                .iter()
                .find(|l| l.code == page.doc.lang)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| page.doc.lang.clone()),
            fallback: page.doc.lang != self.lang,
            date: context::date_value(strings, Some(&e.date)),
            end: context::date_value(strings, e.end.as_ref()),
            fiscal_year: e.fiscal_year,
            cities,
            city_ids: e.cities.join(" "),
            fields,
            field_ids: e
                .fields
                .iter()
                .map(|f| f.id())
                .collect::<Vec<_>>()
                .join(" "),
            case_study: reference(Kind::CaseStudy, &e.case_study),
            agreement: reference(Kind::Agreement, &e.agreement),
            source: e.source.clone(),
        }
    }

    /// A chronological list grouped by decade and year; headings start at `level`.
    pub(super) fn groups(&self, list: &[&Entry], level: u8, numbered: bool) -> Groups<'a> {
        let mut entries: Vec<Option<EntryView>> = list
            .iter()
            .enumerate()
            .map(|(i, e)| Some(self.entry(e, i + 1)))
            .collect();
        let decade_pattern = self.lc.strings.get("timeline_decade");
        let groups: Vec<Decade> = tl::group(list)
            .into_iter()
            .map(|d| Decade {
                decade: d.decade,
                id: format!("d{}", d.decade),
                label: decade_pattern.replace("{decade}", &d.decade.to_string()),
                years: d
                    .years
                    .iter()
                    .map(|y| Year {
                        year: y.year,
                        id: format!("y{}", y.year),
                        // Each entry is in one year.
                        entries: y
                            .entries
                            .iter()
                            .filter_map(|i| entries[*i].take())
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        Groups {
            groups,
            count: list.len(),
            level,
            sublevel: level + 1,
            numbered,
            href: None,
        }
    }

    /// A schema.org Event for an entry.
    pub(super) fn event_ld(&self, e: &Entry) -> Value {
        let site = self.site;
        let j = site.in_lang(&e.key, self.lang).unwrap_or(e.page);
        let page = site.page(j);
        let url = site.permalink(&page.path);
        let location: Vec<Value> = e
            .cities
            .iter()
            .map(|c| {
                serde_json::to_value(super::super::jsonld::place(site, c, self.lang))
                    .unwrap_or_default()
            })
            .collect();
        let mut ld = Map::new();
        ld.insert("@type".into(), json!("Event"));
        ld.insert("@id".into(), json!(format!("{url}#event")));
        ld.insert("name".into(), json!(page.doc.title()));
        if let Some(d) = &page.doc.common.description {
            ld.insert("description".into(), json!(d));
        }
        ld.insert("url".into(), json!(url));
        ld.insert("inLanguage".into(), json!(page.doc.content_lang()));
        ld.insert("startDate".into(), json!(e.date.iso()));
        if let Some(end) = &e.end {
            ld.insert("endDate".into(), json!(end.iso()));
        }
        ld.insert(
            "eventStatus".into(),
            json!("https://schema.org/EventScheduled"),
        );
        ld.insert("location".into(), Value::Array(location));
        if !e.fields.is_empty() {
            let fields: Vec<String> = e
                .fields
                .iter()
                .map(|f| label(self.lc, "fields", f.id()))
                .collect();
            ld.insert("keywords".into(), json!(fields.join(", ")));
        }
        if let Some(k) = e
            .case_study
            .as_deref()
            .and_then(|id| doc_in(site, Kind::CaseStudy, id, self.lang))
        {
            let p = site.page(k);
            ld.insert(
                "subjectOf".into(),
                json!({ "@type": "Article", "name": p.doc.title(), "url": site.permalink(&p.path) }),
            );
        }
        Value::Object(ld)
    }
}

/// JSON for a `<script type="application/ld+json">`: `<` is escaped so no `</script>` can close it early.
pub fn script_json(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

pub(super) fn with_context(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("@context".into(), json!("https://schema.org"));
    }
    v
}
