//! Tests of the timeline data on a small site, whose fixture other modules' tests build too.

use super::*;
use crate::config::Config;
use crate::content::schema::PeriodEnd;

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
