//! Timelines as data: every dated event, agreement and award of the site as one chronological list of
//! [`Entry`]s, grouped by decade and year, filtered by city, field or kind, and laid out as a swimlane (rows =
//! fields of cooperation, columns = years) for a case study. Nothing here renders; `render::timeline` turns
//! these values into pages, JSON-LD and `timeline.json`.
//!
//! Entries are language-neutral: they come from the default-language version of each document (where the ids,
//! dates and enumerations live); titles in other languages are picked at render time with [`Site::in_lang`].

use crate::content::date::DateSpec;
use crate::content::schema::{Field, Kind, KindData};
use crate::site::Site;
use serde::Serialize;

mod swimlane;
pub use swimlane::{swimlane, Lane, Mark, Row, Swimlane};

/// What an entry is. Awards are events of type `award`, listed as their own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A cooperation agreement.
    Agreement,
    /// An event.
    Event,
    /// An event of type `award`.
    Award,
}

impl EntryKind {
    /// Every kind, in display order.
    pub const ALL: [EntryKind; 3] = [EntryKind::Event, EntryKind::Agreement, EntryKind::Award];

    /// The id used in URLs, JSON and templates.
    pub fn id(self) -> &'static str {
        match self {
            EntryKind::Agreement => "agreement",
            EntryKind::Event => "event",
            EntryKind::Award => "award",
        }
    }

    /// The kind with this id.
    pub fn from_id(id: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// One dated item of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The document id (`1981-dalian-pollution-control-course`).
    pub id: String,
    /// The key its translations share (`timeline/1981-dalian-pollution-control-course`).
    pub key: String,
    /// Agreement, event or award.
    pub kind: EntryKind,
    /// The event type or agreement type as written in front matter (`training`, `friendship-city`).
    pub r#type: String,
    /// When it happened or began.
    pub date: DateSpec,
    /// When it ended, for a range.
    pub end: Option<DateSpec>,
    /// The source gives a Japanese fiscal year (April to March).
    pub fiscal_year: bool,
    /// City ids: an event's `cities`, an agreement's `parties`.
    pub cities: Vec<String>,
    /// Fields of cooperation.
    pub fields: Vec<Field>,
    /// The id of its case study.
    pub case_study: Option<String>,
    /// The id of the agreement it follows from.
    pub agreement: Option<String>,
    /// The publication and section it is taken from.
    pub source: Option<String>,
    /// Index of the document's page in [`Site::pages`] (the default-language version).
    pub page: usize,
}

impl Entry {
    /// The year the entry ends: its `end`, or its start year.
    pub fn last_year(&self) -> i32 {
        self.end
            .as_ref()
            .map(|e| e.year)
            .unwrap_or(self.date.year)
            .max(self.date.year)
    }

    /// The chronological order: date (a bare year before its months), then agreements before events before
    /// awards, then the end of a range, then the id — stable whatever order the files were read in.
    fn order_key(&self) -> impl Ord + '_ {
        (
            self.date.sort_key(),
            self.kind,
            self.end.as_ref().map(DateSpec::sort_key),
            self.id.as_str(),
        )
    }
}

/// The id of an enumeration value as serde writes it (`friendship-city`).
fn enum_id<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The entry for a page, when it is a dated event or agreement.
pub fn entry_of(site: &Site, page: usize) -> Option<Entry> {
    let doc = &site.page(page).doc;
    let date = doc.common.date.clone()?;
    let base = |kind: EntryKind, r#type: String, cities: &[String]| Entry {
        id: doc.id.clone(),
        key: Site::key(doc),
        kind,
        r#type,
        date: date.clone(),
        end: None,
        fiscal_year: false,
        cities: cities.to_vec(),
        fields: Vec::new(),
        case_study: None,
        agreement: None,
        source: None,
        page,
    };
    match &doc.data {
        KindData::Event(e) => {
            let kind = if matches!(e.r#type, crate::content::schema::EventType::Award) {
                EntryKind::Award
            } else {
                EntryKind::Event
            };
            Some(Entry {
                end: e.end.clone(),
                fiscal_year: e.fiscal_year,
                fields: e.fields.clone(),
                case_study: e.case_study.clone(),
                agreement: e.agreement.clone(),
                source: e.source.clone(),
                ..base(kind, enum_id(&e.r#type), &e.cities)
            })
        }
        KindData::Agreement(a) => Some(Entry {
            case_study: a.case_study.clone(),
            source: a.sources.first().map(|s| s.title.clone()),
            ..base(EntryKind::Agreement, enum_id(&a.r#type), &a.parties)
        }),
        _ => None,
    }
}

/// Every dated event, agreement and award of the site, in chronological order.
pub fn entries(site: &Site) -> Vec<Entry> {
    let mut list: Vec<Entry> = site
        .ids
        .iter()
        .filter(|((kind, _), _)| matches!(kind, Kind::Event | Kind::Agreement))
        .filter_map(|(_, page)| entry_of(site, *page))
        .collect();
    sort(&mut list);
    list
}

/// Sorts entries chronologically with stable tie-breaks.
pub fn sort(list: &mut [Entry]) {
    list.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
}

/// A dimension a timeline can be filtered by, with its value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Filter {
    /// Entries naming this city id.
    City(String),
    /// Entries in this field of cooperation.
    Field(Field),
    /// Entries of this kind.
    Kind(EntryKind),
}

impl Filter {
    /// Whether an entry passes the filter.
    pub fn matches(&self, e: &Entry) -> bool {
        match self {
            Filter::City(c) => e.cities.iter().any(|x| x == c),
            Filter::Field(f) => e.fields.contains(f),
            Filter::Kind(k) => e.kind == *k,
        }
    }

    /// `city`, `field` or `kind`.
    pub fn dimension(&self) -> &'static str {
        match self {
            Filter::City(_) => "city",
            Filter::Field(_) => "field",
            Filter::Kind(_) => "kind",
        }
    }

    /// The value's id (`dalian`, `low-carbon`, `award`).
    pub fn value(&self) -> &str {
        match self {
            Filter::City(c) => c,
            Filter::Field(f) => f.id(),
            Filter::Kind(k) => k.id(),
        }
    }

    /// The filter's path below the timeline: `city/dalian/`.
    pub fn segment(&self) -> String {
        format!("{}/{}/", self.dimension(), self.value())
    }
}

/// Every filter value that selects at least one entry, with how many it selects: cities by id, fields and
/// kinds in their display order.
pub fn filters(entries: &[Entry]) -> Vec<(Filter, usize)> {
    let count = |f: &Filter| entries.iter().filter(|e| f.matches(e)).count();
    let mut cities: Vec<&str> = entries
        .iter()
        .flat_map(|e| e.cities.iter().map(String::as_str))
        .collect();
    cities.sort_unstable();
    cities.dedup();
    cities
        .into_iter()
        .map(|c| Filter::City(c.to_string()))
        .chain(Field::ALL.into_iter().map(Filter::Field))
        .chain(EntryKind::ALL.into_iter().map(Filter::Kind))
        .map(|f| {
            let n = count(&f);
            (f, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The entries a filter selects, in order.
pub fn select<'a>(entries: &'a [Entry], filter: &Filter) -> Vec<&'a Entry> {
    entries.iter().filter(|e| filter.matches(e)).collect()
}

/// The entries of a case study's city pair: those that name the case study, and those that involve its
/// partner city.
pub fn for_case_study<'a>(entries: &'a [Entry], id: &str, city: &str) -> Vec<&'a Entry> {
    entries
        .iter()
        .filter(|e| e.case_study.as_deref() == Some(id) || e.cities.iter().any(|c| c == city))
        .collect()
}

/// The entries that involve a city.
pub fn for_city<'a>(entries: &'a [Entry], city: &str) -> Vec<&'a Entry> {
    select(entries, &Filter::City(city.to_string()))
}

/// The start of the decade of a year: 1981 → 1980.
pub fn decade_of(year: i32) -> i32 {
    year.div_euclid(10) * 10
}

/// The entries of one year, as positions in the list that was grouped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearGroup {
    /// The year.
    pub year: i32,
    /// Its entries.
    pub entries: Vec<usize>,
}

/// The years of one decade that have entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecadeGroup {
    /// The decade's first year (1990).
    pub decade: i32,
    /// Its years with entries.
    pub years: Vec<YearGroup>,
}

/// Groups a chronological list by decade and year of each entry's start.
pub fn group(entries: &[&Entry]) -> Vec<DecadeGroup> {
    let mut out: Vec<DecadeGroup> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let (year, decade) = (e.date.year, decade_of(e.date.year));
        if out.last().map(|d| d.decade) != Some(decade) {
            out.push(DecadeGroup {
                decade,
                years: Vec::new(),
            });
        }
        let d = out.last_mut().expect("pushed above");
        match d.years.last_mut() {
            Some(y) if y.year == year => y.entries.push(i),
            _ => d.years.push(YearGroup {
                year,
                entries: vec![i],
            }),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
