//! Fitting a student sheet on two pages: how much of its pages a layout fills, and the text area of each paper.

use crate::config::Paper;
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

/// The smallest scale a student sheet is set at to fit two pages (as the print stylesheet's densest: 8.8 pt for
/// Burmese, Khmer and Latin scripts alike).
pub const MIN_SCALE: f64 = 0.84;

/// Pages a student sheet may take.
pub const STUDENT_PAGES: usize = 2;

/// The width and height of `paper`, in mm.
pub fn paper_size(paper: Paper) -> (f64, f64) {
    match paper {
        Paper::A4 => (210.0, 297.0),
        Paper::Letter => (215.9, 279.4),
    }
}

/// The height of the template's text area on `paper`, in mm (15 mm above, 16 mm below).
pub fn body_height(paper: Paper) -> f64 {
    paper_size(paper).1 - 31.0
}

/// How many pages of text a document holds: its full pages, and how far down the last one its text reaches
/// (the footer aside).
pub fn pages_used(document: &PagedDocument) -> f64 {
    let Some(last) = document.pages().last() else {
        return 0.0;
    };
    let height = last.frame.height().to_pt();
    // The template's top and bottom margins (15 mm, 16 mm).
    let (top, bottom) = (15.0 * 72.0 / 25.4, 16.0 * 72.0 / 25.4);
    let lowest = lowest_text(&last.frame, 0.0, height - bottom).unwrap_or(top);
    let fill = ((lowest - top) / (height - top - bottom)).clamp(0.0, 1.0);
    (document.pages().len() - 1) as f64 + fill
}

/// The lowest baseline of text above `limit` in `frame` placed at `y`.
fn lowest_text(frame: &Frame, y: f64, limit: f64) -> Option<f64> {
    frame
        .items()
        .filter_map(|(pos, item)| {
            let at = y + pos.y.to_pt();
            match item {
                FrameItem::Text(_) => Some(at).filter(|a| *a < limit),
                FrameItem::Group(g) => lowest_text(&g.frame, at + g.transform.ty.to_pt(), limit),
                _ => None,
            }
        })
        .reduce(f64::max)
}
