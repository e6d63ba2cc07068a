//! Text that copies and searches right in Burmese and Khmer.
//!
//! Typst splits a line's glyphs into runs wherever the vertical offset changes, so a vowel sign or stacked
//! consonant raised above its base lands in a run of its own. Each run carries the text of the clusters its
//! glyphs belong to, so the base's run and the mark's run both map to the whole cluster, and text
//! extraction (`pdftotext`, search in a PDF reader, copy and paste) reads it twice: "ទីទី" for "ទី". Here the
//! glyphs at the start of a run that continue the cluster the run before it ended in give up their text: the
//! cluster is mapped once, by the run it starts in, and its raised marks draw without a mapping of their own.

use typst::layout::{Frame, FrameItem};
use typst::text::TextItem;
use typst_layout::PagedDocument;

/// The document with every cluster's text mapped once.
pub fn one_mapping_per_cluster(mut document: PagedDocument) -> PagedDocument {
    let info = document.info_mut().clone();
    let pages = document
        .pages()
        .iter()
        .cloned()
        .map(|mut page| {
            unmap_continuations(&mut page.frame);
            page
        })
        .collect();
    PagedDocument::new(pages, info)
}

/// The cluster a run ended in: its text and its first glyph.
struct Open {
    text: String,
    first: u16,
}

fn unmap_continuations(frame: &mut Frame) {
    let mut open: Option<Open> = None;
    frame.retain(|item| {
        match item {
            FrameItem::Group(group) => {
                unmap_continuations(&mut group.frame);
                open = None;
            }
            FrameItem::Text(run) => open = continue_run(run, open.take()),
            _ => {}
        }
        true
    });
}

/// Unmaps the glyphs at the start of `run` that continue the cluster the run before it ended in: same text,
/// but not starting with that cluster's first glyph (a cluster that merely repeats, as in Burmese ကိုကို,
/// starts with its base again). Returns the cluster this run ends in.
fn continue_run(run: &mut TextItem, open: Option<Open>) -> Option<Open> {
    let first = run.glyphs.first()?;
    let lead = first.range.clone();
    let text_of = |range: &std::ops::Range<u16>| {
        run.text
            .get(range.start as usize..range.end as usize)
            .unwrap_or("")
            .to_string()
    };
    let continues = open
        .as_ref()
        .is_some_and(|o| !lead.is_empty() && o.text == text_of(&lead) && o.first != first.id);
    let leading = run.glyphs.iter().take_while(|g| g.range == lead).count();
    if continues {
        for glyph in &mut run.glyphs[..leading] {
            glyph.range = lead.start..lead.start;
        }
        if leading == run.glyphs.len() {
            return open;
        }
    }
    let last = run.glyphs.last()?.range.clone();
    let first_of_last = run
        .glyphs
        .iter()
        .rev()
        .take_while(|g| g.range == last)
        .last()?;
    Some(Open {
        text: text_of(&last),
        first: first_of_last.id,
    })
}
