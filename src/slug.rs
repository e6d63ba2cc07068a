//! URL segments from titles and tags, in every script: used by the link stage, headings' anchors and the
//! templates' `slugify` filter.

/// Turns `text` into a URL segment: lower case, words joined by `-`, letters of every script kept.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || is_mark(c) {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Combining marks of the Brahmic scripts (Burmese, Khmer, Thai) that `is_alphanumeric` does not cover.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x102B..=0x103E | 0x1056..=0x1059 | 0x105E..=0x1060 | 0x1062..=0x1064 | 0x1067..=0x106D | 0x1071..=0x1074 | 0x1082..=0x108D | 0x108F | 0x109A..=0x109D | 0x17B4..=0x17D3 | 0x17DD | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x0300..=0x036F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_keeps_every_script() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("ရေ သန့်"), "ရေ-သန့်");
        assert_eq!(slugify("ごみの分別"), "ごみの分別");
    }
}
