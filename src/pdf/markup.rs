//! Markdown to Typst markup, for the lesson PDFs. Every run of text becomes a Typst string literal
//! (`#"…";`), so nothing a contributor writes is read as Typst syntax; structure (headings, lists, emphasis,
//! tables, quotes, code) becomes Typst's own elements. Images and raw HTML are left out: a sheet is text.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Typst markup for `markdown`; its headings are set `shift` levels deeper (a story's `##` under the sheet's
/// own section headings).
pub fn from_markdown(markdown: &str, shift: usize) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_FOOTNOTES;
    let mut out = String::with_capacity(markdown.len() * 2);
    // Open list items' markers and indentation.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut in_image = 0usize;
    // Where the last run of text ended: text that follows it directly joins its string.
    let mut text_end = usize::MAX;
    for event in Parser::new_ext(markdown, options) {
        if in_image > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => in_image += 1,
                Event::End(TagEnd::Image) => in_image -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {}
                Tag::Heading { level, .. } => {
                    let n = heading_level(level) + shift;
                    out.push_str(&format!("#heading(level: {})[", n.min(6)));
                }
                Tag::BlockQuote(_) => out.push_str("#quote(block: true)["),
                Tag::CodeBlock(_) => out.push_str("#raw(block: true, "),
                Tag::List(start) => {
                    newline(&mut out);
                    lists.push(start);
                }
                Tag::Item => {
                    newline(&mut out);
                    let depth = lists.len().saturating_sub(1);
                    out.push_str(&"  ".repeat(depth));
                    match lists.last_mut() {
                        Some(Some(n)) => {
                            out.push_str(&format!("{n}. "));
                            *n += 1;
                        }
                        _ => out.push_str("- "),
                    }
                }
                Tag::Emphasis => out.push_str("#emph["),
                Tag::Strong => out.push_str("#strong["),
                Tag::Strikethrough => out.push_str("#strike["),
                Tag::Link { .. } => {}
                Tag::Image { .. } => in_image = 1,
                Tag::Table(alignments) => {
                    out.push_str(&format!(
                        "#table(columns: {}, inset: 4pt, stroke: 0.4pt + luma(160),\n",
                        alignments.len().max(1)
                    ));
                }
                Tag::TableHead | Tag::TableRow => {}
                Tag::TableCell => out.push('['),
                Tag::FootnoteDefinition(_) => out.push_str("#block(text(size: 0.85em)["),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => {
                    if lists.is_empty() {
                        out.push_str("\n\n");
                    } else {
                        out.push(' ');
                    }
                }
                TagEnd::Heading(_) => out.push_str("]\n\n"),
                TagEnd::BlockQuote(_) => out.push_str("]\n\n"),
                TagEnd::CodeBlock => out.push_str(")\n\n"),
                TagEnd::List(_) => {
                    lists.pop();
                    if lists.is_empty() {
                        out.push_str("\n\n");
                    }
                }
                TagEnd::Item => {}
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => out.push(']'),
                TagEnd::Link => {}
                TagEnd::Table => out.push_str(")\n\n"),
                TagEnd::TableHead | TagEnd::TableRow => {}
                TagEnd::TableCell => out.push_str("], "),
                TagEnd::FootnoteDefinition => out.push_str("]))\n\n"),
                _ => {}
            },
            Event::Text(text) => {
                if out.ends_with("#raw(block: true, ") {
                    out.push_str(&string(&text));
                } else {
                    text_run(&mut out, &text, &mut text_end);
                }
            }
            Event::Code(code) => out.push_str(&format!("#raw({});", string(&code))),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push_str("\\\n"),
            Event::Rule => out.push_str("#line(length: 100%, stroke: 0.5pt)\n\n"),
            Event::FootnoteReference(label) => {
                out.push_str(&format!("#super({});", string(&label)))
            }
            Event::TaskListMarker(done) => out.push_str(if done { "☑ " } else { "☐ " }),
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::InlineMath(m) | Event::DisplayMath(m) => text_run(&mut out, &m, &mut text_end),
        }
    }
    out
}

fn heading_level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Text as a Typst string expression, ended so that what follows cannot continue it; text straight after
/// another run (Markdown splits text at quotes and brackets) joins that run's string.
fn text_run(out: &mut String, text: &str, text_end: &mut usize) {
    let quoted = string(text);
    if *text_end == out.len() {
        out.truncate(out.len() - 2);
        out.push_str(&quoted[1..]);
    } else {
        out.push('#');
        out.push_str(&quoted);
    }
    out.push(';');
    *text_end = out.len();
}

/// A Typst string literal.
pub fn string(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\r' => {}
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_never_read_as_typst() {
        let m = from_markdown("A #hash, $math$, *b* and `code` \"q\" \\ back [x]", 0);
        assert_eq!(
            m,
            "#\"A #hash, $math$, \";#emph[#\"b\";]#\" and \";#raw(\"code\");#\" “q” \\\\ back [x]\";\n\n"
        );
    }

    #[test]
    fn structure_becomes_typst_elements() {
        let m = from_markdown("## Part\n\n- one\n- two\n  1. inner\n\n> quote\n", 1);
        assert!(m.starts_with("#heading(level: 3)[#\"Part\";]\n\n"), "{m}");
        assert!(
            m.contains("\n- #\"one\";\n- #\"two\";\n  1. #\"inner\";"),
            "{m}"
        );
        assert!(m.contains("#quote(block: true)[#\"quote\";"), "{m}");
    }
}
