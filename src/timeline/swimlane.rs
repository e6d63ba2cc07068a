//! A case study's swimlane: its timeline entries by field of cooperation (rows) and year (columns).

use super::{Entry, EntryKind};
use crate::content::schema::{CaseStudyData, Field, PeriodEnd};
use serde::Serialize;

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
