//! Timelines as data: every dated event, agreement and award of the site as one chronological list of
//! [`Entry`]s, grouped by decade and year, filtered by city, field or kind, and laid out as a swimlane (rows =
//! fields of cooperation, columns = years) for a case study. Nothing here renders; `render::timeline` turns
//! these values into pages, JSON-LD and `timeline.json`.
//!
//! Entries are language-neutral: they come from the default-language version of each document (where the ids,
//! dates and enumerations live); titles in other languages are picked at render time with [`Site::in_lang`].

use crate::content::date::DateSpec;
use crate::content::schema::{CaseStudyData, Field, Kind, KindData, PeriodEnd};
use crate::site::Site;
use serde::Serialize;

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
    let doc = &site.pages[page].doc;
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

/// A row of a swimlane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lane {
    /// Agreements, which have no field of their own.
    Agreements,
    /// Events in this field of cooperation.
    Field(Field),
    /// Events that name no field.
    Other,
}

impl Lane {
    /// `agreements`, the field's id, or `other`.
    pub fn id(self) -> &'static str {
        match self {
            Lane::Agreements => "agreements",
            Lane::Field(f) => f.id(),
            Lane::Other => "other",
        }
    }
}

/// An entry in one cell of a swimlane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Mark {
    /// Position of the entry in the list the swimlane was built from.
    pub entry: usize,
    /// The entry starts in this year (otherwise a range continues through it).
    pub starts: bool,
}

/// One row: a lane and its cells, one per year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The lane.
    pub lane: Lane,
    /// Its cells, one per year of [`Swimlane::years`].
    pub cells: Vec<Vec<Mark>>,
}

/// A case study at a glance: rows = fields of cooperation, columns = years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Swimlane {
    /// The columns' years, in order.
    pub years: Vec<i32>,
    /// The lanes.
    pub rows: Vec<Row>,
}

/// Lays out a case study's entries (in order) as a swimlane. Columns run from the period's start to the last
/// year of an entry or the period's end, whichever is later. Rows are agreements (when there are any), the
/// case study's fields in its order, other fields its entries name, and `other` for entries without a field.
/// A range fills every year it spans; entries wholly before the period's start are left out.
pub fn swimlane(cs: &CaseStudyData, entries: &[&Entry]) -> Swimlane {
    let first = cs.period.start;
    let period_end = match cs.period.end {
        Some(PeriodEnd::Year(y)) => y,
        _ => first,
    };
    let last = entries
        .iter()
        .map(|e| e.last_year())
        .fold(period_end, i32::max)
        .max(first);
    let years: Vec<i32> = (first..=last).collect();
    let shown: Vec<&Entry> = entries
        .iter()
        .copied()
        .filter(|e| e.last_year() >= first)
        .collect();
    let mut lanes: Vec<Lane> = Vec::new();
    if shown.iter().any(|e| e.kind == EntryKind::Agreement) {
        lanes.push(Lane::Agreements);
    }
    lanes.extend(cs.fields.iter().map(|f| Lane::Field(*f)));
    for f in Field::ALL {
        if !cs.fields.contains(&f) && shown.iter().any(|e| e.fields.contains(&f)) {
            lanes.push(Lane::Field(f));
        }
    }
    if shown
        .iter()
        .any(|e| e.kind != EntryKind::Agreement && e.fields.is_empty())
    {
        lanes.push(Lane::Other);
    }
    let rows = lanes
        .into_iter()
        .map(|lane| {
            let mut cells = vec![Vec::new(); years.len()];
            for (i, e) in entries.iter().enumerate() {
                let in_lane = match lane {
                    Lane::Agreements => e.kind == EntryKind::Agreement,
                    Lane::Field(f) => e.fields.contains(&f),
                    Lane::Other => e.kind != EntryKind::Agreement && e.fields.is_empty(),
                };
                if !in_lane {
                    continue;
                }
                for y in e.date.year.max(first)..=e.last_year().min(last) {
                    cells[(y - first) as usize].push(Mark {
                        entry: i,
                        starts: y == e.date.year,
                    });
                }
            }
            Row { lane, cells }
        })
        .collect();
    Swimlane { years, rows }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Config;

    /// A small site: two cities, a case study, an agreement, four events (one award, one range, one fiscal
    /// year, one before the case study's period) and a Burmese translation.
    pub(crate) const FIXTURE: &[(&str, &str)] = &[
        ("cities/kitakyushu.md", "---\ntitle: Kitakyushu\ncountry: Japan\n---\n"),
        ("cities/mandalay.md", "---\ntitle: Mandalay\nnames: { my: မန္တလေး }\ncountry: Myanmar\n---\n"),
        ("case-studies/mandalay.md", "---\ntitle: Kitakyushu and Mandalay\ncity: mandalay\nperiod: { start: 2012, end: ongoing }\nfields: [waste, water]\n---\n"),
        ("agreements/2015-mandalay-mou.md", "---\ntitle: MoU with Mandalay\ndate: 2015-06\ntype: mou\nparties: [kitakyushu, mandalay]\ncase_study: mandalay\n---\n"),
        ("timeline/2012-mandalay-workshop.md", "---\ntitle: Waste workshop\ndate: 2012-11-05\ntype: workshop\ncities: [kitakyushu, mandalay]\nfields: [waste]\ncase_study: mandalay\n---\n"),
        ("timeline/2012-mandalay-workshop.my.md", "---\ntitle: အမှိုက် အလုပ်ရုံ\ndate: 2012-11-05\ntype: workshop\ncities: [kitakyushu, mandalay]\nfields: [waste]\ncase_study: mandalay\n---\n"),
        ("timeline/2013-water-plan.md", "---\ntitle: Water plan\ndate: 2013\nend: 2015\nfiscal_year: true\ntype: project\ncities: [mandalay]\nfields: [water, education]\ncase_study: mandalay\n---\n"),
        ("timeline/2012-award.md", "---\ntitle: An award\ndate: 2012\ntype: award\ncities: [kitakyushu]\nfields: [air]\n---\n"),
        ("timeline/1990-early.md", "---\ntitle: Early visit\ndate: 1990\ntype: visit\ncities: [kitakyushu, mandalay]\n---\n"),
        ("notes/plain.md", "---\ntitle: Not on the timeline\ndate: 2014\n---\n"),
    ];

    pub(crate) fn site() -> Site {
        let config = Config::parse(
            "languages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\n",
        )
        .unwrap();
        let (site, d) = crate::site::link_for_test(&config, FIXTURE);
        assert!(d.is_empty(), "{d:?}");
        site
    }

    fn ids(list: &[&Entry]) -> Vec<String> {
        list.iter().map(|e| e.id.clone()).collect()
    }

    #[test]
    fn entries_are_chronological_with_stable_ties() {
        let site = site();
        let all = entries(&site);
        let refs: Vec<&Entry> = all.iter().collect();
        assert_eq!(
            ids(&refs),
            [
                "1990-early",
                "2012-award",
                "2012-mandalay-workshop",
                "2013-water-plan",
                "2015-mandalay-mou"
            ]
        );
        let mou = &all[4];
        assert_eq!(mou.kind, EntryKind::Agreement);
        assert_eq!(mou.r#type, "mou");
        assert_eq!(mou.cities, ["kitakyushu", "mandalay"]);
        assert_eq!(all[1].kind, EntryKind::Award);
        assert_eq!(all[3].end.as_ref().unwrap().year, 2015);
        assert!(all[3].fiscal_year);
        // The default-language version is the entry's source, not the translation.
        assert_eq!(site.pages[all[2].page].doc.lang, "en");
    }

    #[test]
    fn ties_on_the_same_date_go_agreement_event_award_then_id() {
        let site = site();
        let mut all = entries(&site);
        for e in &mut all {
            e.date = DateSpec::parse("2000").unwrap();
            e.end = None;
        }
        all.reverse();
        sort(&mut all);
        let kinds: Vec<_> = all.iter().map(|e| (e.kind, e.id.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (EntryKind::Agreement, "2015-mandalay-mou"),
                (EntryKind::Event, "1990-early"),
                (EntryKind::Event, "2012-mandalay-workshop"),
                (EntryKind::Event, "2013-water-plan"),
                (EntryKind::Award, "2012-award"),
            ]
        );
    }

    #[test]
    fn groups_by_decade_and_year() {
        let site = site();
        let all = entries(&site);
        let refs: Vec<&Entry> = all.iter().collect();
        let g = group(&refs);
        type Shape = Vec<(i32, Vec<(i32, Vec<usize>)>)>;
        let shape: Shape = g
            .iter()
            .map(|d| {
                (
                    d.decade,
                    d.years
                        .iter()
                        .map(|y| (y.year, y.entries.clone()))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (1990, vec![(1990, vec![0])]),
                (
                    2010,
                    vec![(2012, vec![1, 2]), (2013, vec![3]), (2015, vec![4])]
                ),
            ]
        );
        assert_eq!(decade_of(2019), 2010);
        assert_eq!(decade_of(2020), 2020);
    }

    #[test]
    fn filters_count_and_select() {
        let site = site();
        let all = entries(&site);
        let f = filters(&all);
        let listed: Vec<(String, usize)> = f.iter().map(|(f, n)| (f.segment(), *n)).collect();
        assert_eq!(
            listed,
            [
                ("city/kitakyushu/".to_string(), 4),
                ("city/mandalay/".to_string(), 4),
                ("field/water/".to_string(), 1),
                ("field/waste/".to_string(), 1),
                ("field/air/".to_string(), 1),
                ("field/education/".to_string(), 1),
                ("kind/event/".to_string(), 3),
                ("kind/agreement/".to_string(), 1),
                ("kind/award/".to_string(), 1),
            ]
        );
        assert_eq!(
            ids(&select(&all, &Filter::Kind(EntryKind::Award))),
            ["2012-award"]
        );
        assert_eq!(
            ids(&select(&all, &Filter::Field(Field::Water))),
            ["2013-water-plan"]
        );
        assert_eq!(EntryKind::from_id("award"), Some(EntryKind::Award));
    }

    #[test]
    fn case_study_and_city_entries() {
        let site = site();
        let all = entries(&site);
        assert_eq!(
            ids(&for_case_study(&all, "mandalay", "mandalay")),
            [
                "1990-early",
                "2012-mandalay-workshop",
                "2013-water-plan",
                "2015-mandalay-mou"
            ]
        );
        assert_eq!(
            ids(&for_city(&all, "kitakyushu")),
            [
                "1990-early",
                "2012-award",
                "2012-mandalay-workshop",
                "2015-mandalay-mou"
            ]
        );
    }

    #[test]
    fn swimlane_cells_of_the_fixture_case_study() {
        let site = site();
        let all = entries(&site);
        let list = for_case_study(&all, "mandalay", "mandalay");
        let cs = match &site.by_id(Kind::CaseStudy, "mandalay").unwrap().doc.data {
            KindData::CaseStudy(cs) => cs.clone(),
            _ => unreachable!(),
        };
        let s = swimlane(&cs, &list);
        assert_eq!(s.years, [2012, 2013, 2014, 2015]);
        let lanes: Vec<&str> = s.rows.iter().map(|r| r.lane.id()).collect();
        assert_eq!(lanes, ["agreements", "waste", "water", "education"]);
        let cell = |lane: &str, year: i32| -> Vec<(usize, bool)> {
            let row = s.rows.iter().find(|r| r.lane.id() == lane).unwrap();
            row.cells[(year - 2012) as usize]
                .iter()
                .map(|m| (m.entry, m.starts))
                .collect()
        };
        // Positions in `list`: 0 early visit (before the period: left out), 1 workshop, 2 water plan, 3 MoU.
        assert_eq!(cell("agreements", 2015), [(3, true)]);
        assert_eq!(cell("waste", 2012), [(1, true)]);
        assert_eq!(cell("water", 2013), [(2, true)]);
        assert_eq!(cell("water", 2014), [(2, false)]);
        assert_eq!(cell("water", 2015), [(2, false)]);
        assert_eq!(cell("education", 2014), [(2, false)]);
        assert!(cell("water", 2012).is_empty());
        // The early visit (no field, before the period) makes no `other` row.
        assert!(s.rows.iter().all(|r| r.lane != Lane::Other));
    }

    #[test]
    fn swimlane_runs_to_a_later_period_end() {
        let site = site();
        let mut cs = match &site.by_id(Kind::CaseStudy, "mandalay").unwrap().doc.data {
            KindData::CaseStudy(cs) => cs.clone(),
            _ => unreachable!(),
        };
        cs.period.end = Some(PeriodEnd::Year(2018));
        let s = swimlane(&cs, &[]);
        assert_eq!(s.years, (2012..=2018).collect::<Vec<_>>());
        let lanes: Vec<&str> = s.rows.iter().map(|r| r.lane.id()).collect();
        assert_eq!(lanes, ["waste", "water"]);
    }
}
