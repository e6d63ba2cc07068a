//! The analysis rules checked on examples of every script.
use super::*;

#[test]
fn normalising_by_pieces_is_nfkc() {
    // No character composes with a following ASCII one (what cutting before ASCII relies on): no
    // canonical decomposition of two or more characters ends in ASCII.
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let mut d = Vec::new();
        unicode_normalization::char::decompose_canonical(c, |x| d.push(x));
        assert!(d.len() < 2 || !d[d.len() - 1].is_ascii(), "{c:?} {d:?}");
    }
    let parts = [
        "a",
        "e\u{301}",
        "\u{301}",
        "\u{323}\u{302}",
        "ｱ",
        "ﾞ",
        "（",
        "①",
        "ﬁ",
        "ᄀ",
        "ᅡ",
        "ᆨ",
        "가",
        "Å",
        "ǅ",
        "ㄱ",
        "ဦ",
        "ဥ\u{102E}",
        "\u{1031}",
        "ស\u{17C1}\u{17B8}",
        " ",
        "x",
        "。",
        "Ω",
        "\u{FB2C}",
        "\u{0DD9}\u{0DCF}",
        "\u{0B47}\u{0B3E}",
        "1",
        "½",
        "\u{2126}",
    ];
    let mut seed: u64 = 7;
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..6 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(parts[(seed >> 33) as usize % parts.len()]);
        }
        let nfkc: String = text.nfkc().collect();
        assert_eq!(normalise(&text), nfkc, "{text:?}");
    }
}

#[test]
fn latin_words_are_folded_and_exact_kept() {
    assert_eq!(
        index_terms("Nước sạch, Hải Phòng!"),
        ["nuoc", "nước", "sach", "sạch", "hai", "hải", "phong", "phòng"]
    );
    assert_eq!(index_terms("Đà Nẵng"), ["da", "đà", "nang", "nẵng"]);
    assert_eq!(index_terms("ＡＢＣ ﬁle"), ["abc", "file"]);
}

#[test]
fn plurals_fold_to_the_singular() {
    for (plural, singular) in [
        ("cities", "city"),
        ("policies", "policy"),
        ("agreements", "agreement"),
        ("classes", "class"),
        ("approaches", "approach"),
        ("boxes", "box"),
        ("days", "day"),
    ] {
        assert_eq!(stem(plural), stem(singular), "{plural} / {singular}");
    }
    for kept in [
        "status", "analysis", "gas", "this", "is", "1990s", "ville", "sạch", "straße",
    ] {
        assert_eq!(stem(kept), kept);
    }
    assert_eq!(
        index_terms("Green Sister Cities"),
        ["green", "sister", "citi"]
    );
    assert_eq!(query_groups("sister city"), [vec!["sister"], vec!["citi"]]);
}

#[test]
fn japanese_is_bigrams_with_unigrams() {
    assert_eq!(index_terms("ごみ"), ["ご", "ごみ", "み"]);
    assert_eq!(
        query_groups("北九州市"),
        [vec!["北九"], vec!["九州"], vec!["州市"]]
    );
    assert_eq!(query_groups("水"), [vec!["水"]]);
}

#[test]
fn burmese_syllables() {
    let normalised = normalise("မန္တလေး");
    let r = runs(&normalised);
    let u: Vec<String> = units(&r[0]).into_iter().map(|x| x.0).collect();
    assert_eq!(u, ["မန္တ", "လေး"]);
    let r = runs("ကျောင်းသား");
    let u: Vec<String> = units(&r[0]).into_iter().map(|x| x.0).collect();
    assert_eq!(u, ["ကျောင်း", "သား"]);
}

#[test]
fn khmer_syllables() {
    let r = runs("ភ្នំពេញ");
    let u: Vec<String> = units(&r[0]).into_iter().map(|x| x.0).collect();
    assert_eq!(u, ["ភ្នំ", "ពេ", "ញ"]);
}

#[test]
fn prefix_only_when_still_typing() {
    assert!(parse_query("water sup").last_is_prefix);
    assert!(!parse_query("water sup ").last_is_prefix);
    assert!(!parse_query("\"water supply\"").last_is_prefix);
    assert_eq!(
        parse_query("\"water supply\" dalian").phrases,
        [vec!["water".to_string(), "suppli".to_string()]]
    );
}

#[test]
fn offsets_point_into_normalised_text() {
    let text = "Compost at Takakura";
    for t in index_tokens(text) {
        assert_eq!(fold(&text[t.start..t.end].to_lowercase()), t.term);
    }
}
