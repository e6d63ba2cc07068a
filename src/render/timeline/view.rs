//! What timeline templates see, as types: entries grouped by decade and year, a case study's swimlane, and
//! the timeline page with its filters.

use crate::render::view::{DateView, Version};
use serde::Serialize;

/// One entry of a timeline, in the language of the page showing it.
#[derive(Serialize)]
pub struct EntryView<'a> {
    pub(super) n: usize,
    pub(super) id: String,
    pub(super) anchor: String,
    pub(super) kind: &'static str,
    pub(super) kind_label: String,
    #[serde(rename = "type")]
    pub(super) r#type: String,
    pub(super) type_label: String,
    pub(super) title: &'a str,
    pub(super) description: &'a Option<String>,
    pub(super) href: String,
    pub(super) lang: &'a str,
    pub(super) lang_name: String,
    /// The entry is shown in another language than the page's (it has no version in it).
    pub(super) fallback: bool,
    pub(super) date: Option<DateView>,
    pub(super) end: Option<DateView>,
    pub(super) fiscal_year: bool,
    pub(super) cities: Vec<FilterLink>,
    pub(super) city_ids: String,
    pub(super) fields: Vec<FieldLink>,
    pub(super) field_ids: String,
    pub(super) case_study: Option<DocLink<'a>>,
    pub(super) agreement: Option<DocLink<'a>>,
    pub(super) source: Option<String>,
}

/// A city of an entry, with the timeline filtered to it.
#[derive(Serialize)]
pub struct FilterLink {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) href: Option<String>,
}

/// A field of an entry, with the timeline filtered to it.
#[derive(Serialize)]
pub struct FieldLink {
    pub(super) id: &'static str,
    pub(super) label: String,
    pub(super) href: Option<String>,
}

/// The document an entry belongs to.
#[derive(Serialize)]
pub struct DocLink<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
    pub(super) lang: &'a str,
}

/// Entries grouped by decade and year.
#[derive(Serialize)]
pub struct Groups<'a> {
    pub(super) groups: Vec<Decade<'a>>,
    pub(super) count: usize,
    /// The heading level of the decades.
    pub(super) level: u8,
    pub(super) sublevel: u8,
    pub(super) numbered: bool,
    /// The whole timeline filtered as this list is (a city's or a case study's entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) href: Option<Option<String>>,
}

/// A decade of entries.
#[derive(Serialize)]
pub struct Decade<'a> {
    pub(super) decade: i32,
    pub(super) id: String,
    pub(super) label: String,
    pub(super) years: Vec<Year<'a>>,
}

/// A year of entries.
#[derive(Serialize)]
pub struct Year<'a> {
    pub(super) year: i32,
    pub(super) id: String,
    pub(super) entries: Vec<EntryView<'a>>,
}

/// A case study's entries laid out by year and lane.
#[derive(Serialize)]
pub struct SwimlaneView {
    pub(super) years: Vec<i32>,
    pub(super) rows: Vec<Lane>,
    pub(super) first: Option<i32>,
    pub(super) last: Option<i32>,
}

/// One lane of a swimlane.
#[derive(Serialize)]
pub struct Lane {
    pub(super) id: &'static str,
    pub(super) label: String,
    pub(super) cells: Vec<Cell>,
}

/// One year of a lane.
#[derive(Serialize)]
pub struct Cell {
    pub(super) year: i32,
    pub(super) marks: Vec<Mark>,
}

/// An entry's mark in a year of a lane.
#[derive(Serialize)]
pub struct Mark {
    pub(super) n: usize,
    pub(super) id: String,
    pub(super) anchor: String,
    pub(super) kind: &'static str,
    pub(super) title: String,
    pub(super) starts: bool,
}

/// A timeline page: its entries, with the filters and what introduces them.
#[derive(Serialize)]
pub struct TimelineView<'a> {
    #[serde(flatten)]
    pub(super) groups: Groups<'a>,
    pub(super) title: String,
    pub(super) timeline_title: String,
    pub(super) description: Option<String>,
    pub(super) content: String,
    pub(super) content_lang: String,
    pub(super) total: usize,
    pub(super) all: AllLink,
    pub(super) filter: Option<FilterView<'a>>,
    pub(super) filters: Vec<FilterGroup<'a>>,
    pub(super) json_href: String,
    pub(super) feed_href: Option<String>,
    pub(super) jsonld: Option<String>,
    pub(super) translations: Vec<Version>,
}

/// The link to the unfiltered timeline.
#[derive(Serialize)]
pub struct AllLink {
    pub(super) href: String,
    pub(super) count: usize,
    pub(super) current: bool,
}

/// The filter a page shows.
#[derive(Serialize)]
pub struct FilterView<'a> {
    pub(super) dimension: &'static str,
    pub(super) value: &'a str,
    pub(super) label: String,
}

/// The filters of one dimension (kind, city, field).
#[derive(Serialize)]
pub struct FilterGroup<'a> {
    pub(super) dimension: &'static str,
    pub(super) label: String,
    pub(super) options: Vec<FilterOption<'a>>,
}

/// One filter of a dimension.
#[derive(Serialize)]
pub struct FilterOption<'a> {
    pub(super) value: &'a str,
    pub(super) label: String,
    pub(super) count: usize,
    pub(super) href: Option<String>,
    pub(super) current: bool,
}
