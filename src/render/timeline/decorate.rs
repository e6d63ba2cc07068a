//! What case study, city, event and agreement pages show of the timeline.

use super::scope::{script_json, with_context, Scope};
use super::view::{Cell, Lane, Mark, SwimlaneView};
use super::{dir, path_in};
use crate::content::schema::{Kind, KindData};
use crate::deps::{self, Fact};
use crate::render::context::{label, LangContext};
use crate::render::view::PageExtra;
use crate::site::Site;
use crate::timeline::{self as tl, Entry, Filter};

/// Adds what case study, city, event and agreement pages show of the timeline: `page.timeline` (the entries of
/// the city pair or city), `page.swimlane` (case studies) and `page.jsonld` (events and agreements).
pub fn decorate<'a>(
    site: &'a Site,
    lc: &'a LangContext,
    i: usize,
    page: &mut PageExtra<'a>,
    root: &'a str,
) {
    let doc = &site.page(i).doc;
    if !matches!(
        doc.kind,
        Kind::CaseStudy | Kind::City | Kind::Event | Kind::Agreement
    ) {
        return;
    }
    let timeline = dir(site).map(|d| path_in(site, &d, &doc.lang));
    let scope = Scope {
        site,
        lc,
        lang: &doc.lang,
        root,
        timeline,
    };
    match &doc.data {
        KindData::CaseStudy(cs) => {
            deps::note(|| Fact::Entries {
                case_study: Some(doc.id.clone()),
                city: Some(cs.city.clone()),
            });
            let all = deps::unrecorded(|| tl::entries(site));
            let list = tl::for_case_study(&all, &doc.id, &cs.city);
            if list.is_empty() {
                return;
            }
            let mut t = scope.groups(&list, 3, true);
            t.href = Some(scope.filter_href(&Filter::City(cs.city.clone())));
            page.timeline = Some(t);
            page.swimlane = Some(swimlane_value(&scope, cs, &list));
        }
        KindData::City(_) => {
            deps::note(|| Fact::Entries {
                case_study: None,
                city: Some(doc.id.clone()),
            });
            let all = deps::unrecorded(|| tl::entries(site));
            let list = tl::for_city(&all, &doc.id);
            if list.is_empty() {
                return;
            }
            let mut t = scope.groups(&list, 3, false);
            t.href = Some(scope.filter_href(&Filter::City(doc.id.clone())));
            page.timeline = Some(t);
        }
        KindData::Event(_) | KindData::Agreement(_) => {
            let canonical = site.id(doc.kind, &doc.id).unwrap_or(i);
            if let Some(e) = tl::entry_of(site, canonical) {
                page.jsonld = Some(script_json(&with_context(scope.event_ld(&e))));
            }
        }
        _ => {}
    }
}

fn swimlane_value(
    scope: &Scope,
    cs: &crate::content::schema::CaseStudyData,
    list: &[&Entry],
) -> SwimlaneView {
    let s = tl::swimlane(cs, list);
    let titles: Vec<String> = list
        .iter()
        .map(|e| {
            let j = scope.site.in_lang(&e.key, scope.lang).unwrap_or(e.page);
            scope.site.page(j).doc.title().to_string()
        })
        .collect();
    let rows: Vec<Lane> = s
        .rows
        .iter()
        .map(|r| Lane {
            id: r.lane.id(),
            label: match r.lane {
                tl::Lane::Agreements => scope.lc.strings.get("swimlane_agreements"),
                tl::Lane::Field(f) => label(scope.lc, "fields", f.id()),
                tl::Lane::Other => scope.lc.strings.get("swimlane_other"),
            },
            cells: r
                .cells
                .iter()
                .zip(&s.years)
                .map(|(marks, year)| Cell {
                    year: *year,
                    marks: marks
                        .iter()
                        .map(|m| {
                            let e = list[m.entry];
                            Mark {
                                n: m.entry + 1,
                                id: e.id.clone(),
                                anchor: format!("tl-{}", e.id),
                                kind: e.kind.id(),
                                title: titles[m.entry].clone(),
                                starts: m.starts,
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    SwimlaneView {
        first: s.years.first().copied(),
        last: s.years.last().copied(),
        years: s.years,
        rows,
    }
}
