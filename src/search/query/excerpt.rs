//! Excerpts of a result's text around its matches, and the check for quoted phrases.

use std::collections::BTreeMap;

use super::super::analyse::{self, TokenKind};

/// Characters of an excerpt, and of context before the first match.
pub const EXCERPT_WINDOW: usize = 200;
/// Characters of context kept before an excerpt's first match.
pub const EXCERPT_BEFORE: usize = 60;

/// Whether the analysed `text` holds the term sequence `seq` at consecutive positions.
pub fn has_phrase(text: &str, seq: &[String]) -> bool {
    let mut at: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for t in analyse::index_tokens(text) {
        if t.kind == TokenKind::Main {
            at.entry(t.position).or_default().push(t.term);
        }
    }
    at.keys().any(|p| {
        seq.iter()
            .enumerate()
            .all(|(j, s)| at.get(&(p + j as u32)).is_some_and(|v| v.contains(s)))
    })
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// An HTML excerpt of `text` (already NFKC) around the first match, matches in `<mark>`.
pub fn excerpt(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Byte offset → char index.
    let mut ci = vec![0usize; text.len() + 1];
    for (n, (b, _)) in text.char_indices().enumerate() {
        ci[b] = n;
    }
    ci[text.len()] = chars.len();
    let mut spans: Vec<(usize, usize)> = analyse::index_tokens(text)
        .into_iter()
        .filter(|t| terms.contains(&t.term))
        .map(|t| (ci[t.start], ci[t.end]))
        .collect();
    spans.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(l) if s.0 <= l.1 => l.1 = l.1.max(s.1),
            _ => merged.push(s),
        }
    }
    let mut start = 0;
    if let Some(first) = merged.first() {
        if first.0 > EXCERPT_BEFORE {
            start = first.0 - EXCERPT_BEFORE;
            if let Some(sp) = chars[start..first.0].iter().position(|c| *c == ' ') {
                start += sp + 1;
            }
        }
    }
    let mut end = (start + EXCERPT_WINDOW).min(chars.len());
    if end < chars.len() {
        let from = end.saturating_sub(30).max(start);
        if let Some(sp) = chars[from..end].iter().rposition(|c| *c == ' ') {
            end = from + sp;
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for (s, e) in merged {
        let (s, e) = (s.max(start), e.min(end));
        if s >= e {
            continue;
        }
        out.push_str(&escape(&chars[at..s].iter().collect::<String>()));
        out.push_str("<mark>");
        out.push_str(&escape(&chars[s..e].iter().collect::<String>()));
        out.push_str("</mark>");
        at = e;
    }
    if at < end {
        out.push_str(&escape(&chars[at..end].iter().collect::<String>()));
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_mark_matches() {
        let e = excerpt("Takakura composting <in> Surabaya", &["surabaya".into()]);
        assert_eq!(e, "Takakura composting &lt;in&gt; <mark>Surabaya</mark>");
    }

    #[test]
    fn phrases() {
        let phrase = &analyse::parse_query("\"water supplies\"").phrases[0];
        assert!(has_phrase("clean water supply", phrase));
        assert!(!has_phrase("supply of water", phrase));
    }
}
