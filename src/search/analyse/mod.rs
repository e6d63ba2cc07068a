//! Text analysis by script, identical at build time (here) and at query time (the same rules are
//! implemented in `themes/default/static/search/engine.js`; `tests/search_vectors.json`
//! proves both agree).
//!
//! * Everything: Unicode NFKC, then lower case (per character).
//! * Word scripts (Latin, Vietnamese, Cyrillic, …): words are runs of letters, digits and marks.
//!   Each word is indexed folded (marks removed, `đ`→`d`, …) and with plural endings folded by
//!   [`stem`]; when the word had diacritics the exact form is indexed too, at the same position,
//!   so an exact match ranks higher.
//! * Japanese and Chinese (Han, Hiragana, Katakana): characters are the units.
//! * Myanmar, Khmer, Thai: syllables split by rule are the units.
//! * Units are indexed as unigrams and overlapping bigrams. A query with one unit looks up the
//!   unigram, a longer query run looks up its bigrams (all required, which acts like a phrase).

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Terms longer than this (in bytes) are not indexed (hashes, base64 blobs, …).
pub const MAX_TERM_BYTES: usize = 80;

/// The script class of a character, or `None` for separators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Letters and digits of scripts written with spaces between words (Latin, Vietnamese, …).
    Word,
    /// Han and kana: indexed as overlapping character pairs.
    Cjk,
    /// Burmese: indexed as syllable pairs.
    Myanmar,
    /// Khmer: indexed as syllable pairs.
    Khmer,
    /// Thai: indexed as syllable pairs.
    Thai,
}

/// Script class of an already lower-cased, NFKC-normalised character.
pub fn script_of(c: char) -> Option<Script> {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric().then_some(Script::Word);
    }
    if !(c.is_alphabetic() || c.is_numeric() || is_combining_mark(c)) {
        return None;
    }
    let u = c as u32;
    Some(match u {
        0x3005..=0x3007
        | 0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF => Script::Cjk,
        0x1000..=0x109F | 0xA9E0..=0xA9FF | 0xAA60..=0xAA7F => Script::Myanmar,
        0x1780..=0x17FF | 0x19E0..=0x19FF => Script::Khmer,
        0x0E00..=0x0E7F => Script::Thai,
        _ => Script::Word,
    })
}

/// Whether a token is the main (folded) form or the exact form of a word with diacritics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// The folded word, a unit or a bigram of units.
    Main,
    /// The exact (unfolded) form of a word that had diacritics; same position as its main form.
    Exact,
}

/// One indexed term with its position and its byte span in the *normalised* text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The indexed form.
    pub term: String,
    /// How it was made from the text.
    pub kind: TokenKind,
    /// Its word position, for phrases.
    pub position: u32,
    /// Byte offsets into the string returned by [`normalise`].
    pub start: usize,
    /// The end of its span (exclusive).
    pub end: usize,
}

/// Unicode NFKC. Stored texts (titles, excerpts) go through this so that token offsets match.
pub fn normalise(text: &str) -> String {
    if is_nfkc(text) {
        return text.to_string();
    }
    // NFKC piece by piece, each piece starting at an ASCII character that follows one that is not:
    // nothing composes with a preceding character into an ASCII one, and an ASCII character (class 0)
    // ends any reordering, so the pieces normalise on their own. Most pieces pass the quick check and are
    // copied as they are.
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 1..=bytes.len() {
        if i == bytes.len() || bytes[i].is_ascii() && !bytes[i - 1].is_ascii() {
            let piece = &text[start..i];
            if is_nfkc(piece) {
                out.push_str(piece);
            } else {
                out.extend(piece.nfkc());
            }
            start = i;
        }
    }
    out
}

/// The NFKC quick check, run only over the stretches that are not ASCII: ASCII characters are NFKC and
/// of combining class 0, so the check restarts after each of them exactly as it would have gone on.
fn is_nfkc(text: &str) -> bool {
    text.split(|c: char| c.is_ascii())
        .filter(|run| !run.is_empty())
        .all(|run| {
            unicode_normalization::is_nfkc_quick(run.chars())
                == unicode_normalization::IsNormalized::Yes
        })
}

/// Diacritic folding for word scripts: NFD, drop marks, a few letters without decomposition.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    let stripped: String = word
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'ð' => 'd',
            'ł' => 'l',
            'ø' => 'o',
            'ı' => 'i',
            _ => c,
        })
        .collect();
    stripped.nfc().collect()
}

/// Light plural folding of a folded word of ASCII letters, so that "cities" finds "city" and
/// "agreements" finds "agreement". It only touches the last letters, so a word being typed still
/// prefix-matches: `-sses`→`-ss`, `-ies`→`-i`, `-xes`/`-ches`/`-shes`→ without `-es`, `-s` dropped
/// (not after `s`, `u` or `i`; words of four letters or more), then a final `y` after a consonant
/// becomes `i` (`city`→`citi`, like `cities`). Other words are returned as they are.
pub fn stem(word: &str) -> Cow<'_, str> {
    let b = word.as_bytes();
    let n = b.len();
    if n < 3 || !b.iter().all(u8::is_ascii_lowercase) {
        return Cow::Borrowed(word);
    }
    let base = if word.ends_with("sses") {
        &word[..n - 2]
    } else if n >= 5 && word.ends_with("ies") {
        return Cow::Owned(format!("{}i", &word[..n - 3]));
    } else if n >= 5 && ["xes", "ches", "shes"].iter().any(|e| word.ends_with(e)) {
        &word[..n - 2]
    } else if n >= 4 && b[n - 1] == b's' && !matches!(b[n - 2], b's' | b'u' | b'i') {
        &word[..n - 1]
    } else {
        word
    };
    let k = base.as_bytes();
    let m = k.len();
    if m >= 3 && k[m - 1] == b'y' && !matches!(k[m - 2], b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
        return Cow::Owned(format!("{}i", &base[..m - 1]));
    }
    Cow::Borrowed(base)
}

/// A run of same-script characters: the lower-cased text with the byte span of each char.
struct Run {
    script: Script,
    chars: Vec<(char, usize, usize)>,
}

/// Lower-cases `normalised` char by char and cuts it into script runs.
fn runs(normalised: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut current: Option<Run> = None;
    for (i, c) in normalised.char_indices() {
        let end = i + c.len_utf8();
        for l in c.to_lowercase() {
            match script_of(l) {
                None => {
                    if let Some(r) = current.take() {
                        out.push(r);
                    }
                }
                Some(s) => {
                    if let Some(r) = current.as_mut() {
                        if r.script == s {
                            r.chars.push((l, i, end));
                            continue;
                        }
                    }
                    if let Some(r) = current.take() {
                        out.push(r);
                    }
                    current = Some(Run {
                        script: s,
                        chars: vec![(l, i, end)],
                    });
                }
            }
        }
    }
    if let Some(r) = current.take() {
        out.push(r);
    }
    out
}

fn is_myanmar_consonant(u: u32) -> bool {
    (0x1000..=0x1021).contains(&u)
}

/// Whether a syllable starts at `chars[i]` (i > 0), by script rules.
fn breaks_before(script: Script, chars: &[(char, usize, usize)], i: usize) -> bool {
    let c = chars[i].0 as u32;
    let prev = chars[i - 1].0 as u32;
    let next = chars.get(i + 1).map(|x| x.0 as u32).unwrap_or(0);
    match script {
        // After Ye Kyaw Thu's sylbreak: a consonant starts a syllable unless it is stacked
        // (after U+1039) or killed (followed by asat U+103A or virama U+1039); independent vowels,
        // digits and symbols always do.
        Script::Myanmar => {
            (is_myanmar_consonant(c) && prev != 0x1039 && next != 0x103A && next != 0x1039)
                || (0x1023..=0x102A).contains(&c)
                || c == 0x103F
                || (0x1040..=0x1049).contains(&c)
                || (0x104C..=0x104F).contains(&c)
        }
        // Khmer orthographic syllables: a consonant or independent vowel starts one unless it
        // is subscript (after COENG U+17D2) or silenced (followed by U+17CB/U+17CD/U+17CE).
        Script::Khmer => {
            (((0x1780..=0x17B3).contains(&c)
                && prev != 0x17D2
                && next != 0x17CB
                && next != 0x17CD
                && next != 0x17CE)
                || (0x17E0..=0x17E9).contains(&c))
                && c != 0x17D7
        }
        // Thai (rough, no dictionary): a leading vowel starts a syllable; a consonant does when
        // a vowel or tone sign follows it and no leading vowel precedes it.
        Script::Thai => {
            (0x0E40..=0x0E44).contains(&c)
                || ((0x0E01..=0x0E2E).contains(&c)
                    && !(0x0E40..=0x0E44).contains(&prev)
                    && (next == 0x0E30
                        || next == 0x0E31
                        || (0x0E32..=0x0E3A).contains(&next)
                        || next == 0x0E45
                        || (0x0E47..=0x0E4E).contains(&next)))
                || (0x0E50..=0x0E59).contains(&c)
        }
        Script::Cjk => true,
        Script::Word => false,
    }
}

/// Units of a non-word run: characters for CJK, syllables for Myanmar, Khmer and Thai.
/// Each unit is (text, start, end).
fn units(run: &Run) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    for i in 0..run.chars.len() {
        let (c, s, e) = run.chars[i];
        if i == 0 || breaks_before(run.script, &run.chars, i) {
            out.push((c.to_string(), s, e));
        } else if let Some(last) = out.last_mut() {
            last.0.push(c);
            last.2 = e;
        }
    }
    out
}

/// One piece of analysed text: a word (its folded, stemmed form and, when it had diacritics, its
/// exact form) or a run of units.
enum Piece {
    Word {
        folded: String,
        exact: Option<String>,
        start: usize,
        end: usize,
    },
    Units(Vec<(String, usize, usize)>),
}

fn pieces(normalised: &str) -> Vec<Piece> {
    runs(normalised)
        .into_iter()
        .map(|run| {
            if run.script == Script::Word {
                let exact: String = run.chars.iter().map(|x| x.0).collect();
                let start = run.chars[0].1;
                let end = run.chars[run.chars.len() - 1].2;
                let folded = fold(&exact);
                Piece::Word {
                    folded: stem(&folded).into_owned(),
                    exact: (folded != exact).then_some(exact),
                    start,
                    end,
                }
            } else {
                Piece::Units(units(&run))
            }
        })
        .collect()
}

/// Index-time analysis: every term of `text` (normalised here) with positions and spans into
/// `normalise(text)`.
pub fn index_tokens(text: &str) -> Vec<Token> {
    let normalised = normalise(text);
    let mut out = Vec::new();
    let mut pos: u32 = 0;
    for piece in pieces(&normalised) {
        match piece {
            Piece::Word {
                folded,
                exact,
                start,
                end,
            } => {
                if folded.len() <= MAX_TERM_BYTES && !folded.is_empty() {
                    out.push(Token {
                        term: folded,
                        kind: TokenKind::Main,
                        position: pos,
                        start,
                        end,
                    });
                    if let Some(exact) = exact.filter(|e| e.len() <= MAX_TERM_BYTES) {
                        out.push(Token {
                            term: exact,
                            kind: TokenKind::Exact,
                            position: pos,
                            start,
                            end,
                        });
                    }
                }
                pos += 1;
            }
            Piece::Units(u) => {
                for i in 0..u.len() {
                    out.push(Token {
                        term: u[i].0.clone(),
                        kind: TokenKind::Main,
                        position: pos,
                        start: u[i].1,
                        end: u[i].2,
                    });
                    if let Some(n) = u.get(i + 1) {
                        out.push(Token {
                            term: format!("{}{}", u[i].0, n.0),
                            kind: TokenKind::Main,
                            position: pos,
                            start: u[i].1,
                            end: n.2,
                        });
                    }
                    pos += 1;
                }
            }
        }
    }
    out
}

/// The terms only, in order (what the shared test vectors compare).
pub fn index_terms(text: &str) -> Vec<String> {
    index_tokens(text).into_iter().map(|t| t.term).collect()
}

/// One required part of a query: a word or a unit n-gram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryTerm {
    /// Folded word, unit or unit bigram.
    pub term: String,
    /// The exact form when the typed word had diacritics (ranks higher when it matches).
    pub exact: Option<String>,
    /// A word of a word script (eligible for prefix and typo matching).
    pub is_word: bool,
    /// Inside double quotes.
    pub phrase: bool,
}

/// A parsed query: its required terms and whether the last word may be a prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedQuery {
    /// The terms every result must match (as many of them as any result does).
    pub terms: Vec<QueryTerm>,
    /// The last term is a word still being typed (no trailing space or quote).
    pub last_is_prefix: bool,
    /// The normalised phrases in quotes, as term sequences (for phrase verification).
    pub phrases: Vec<Vec<String>>,
}

/// Query-time analysis: the same normalisation and units; multi-unit runs become their bigrams.
pub fn parse_query(query: &str) -> ParsedQuery {
    let mut terms = Vec::new();
    let mut phrases = Vec::new();
    for (i, segment) in query.split('"').enumerate() {
        let phrase = i % 2 == 1;
        let normalised = normalise(segment);
        let mut seq = Vec::new();
        for piece in pieces(&normalised) {
            match piece {
                Piece::Word { folded, exact, .. } => {
                    if folded.is_empty() || folded.len() > MAX_TERM_BYTES {
                        continue;
                    }
                    seq.push(folded.clone());
                    terms.push(QueryTerm {
                        exact,
                        term: folded,
                        is_word: true,
                        phrase,
                    });
                }
                Piece::Units(u) => {
                    if u.len() == 1 {
                        seq.push(u[0].0.clone());
                        terms.push(QueryTerm {
                            term: u[0].0.clone(),
                            exact: None,
                            is_word: false,
                            phrase,
                        });
                    }
                    for w in u.windows(2) {
                        let t = format!("{}{}", w[0].0, w[1].0);
                        seq.push(t.clone());
                        terms.push(QueryTerm {
                            term: t,
                            exact: None,
                            is_word: false,
                            phrase,
                        });
                    }
                }
            }
        }
        if phrase && seq.len() > 1 {
            phrases.push(seq);
        }
    }
    let trimmed_end = query.chars().last();
    let last_is_prefix = matches!(terms.last(), Some(t) if t.is_word && !t.phrase)
        && matches!(trimmed_end, Some(c) if script_of(c).is_some() || is_combining_mark(c));
    ParsedQuery {
        terms,
        last_is_prefix,
        phrases,
    }
}

/// The query terms as groups of strings (what the shared test vectors compare):
/// each group is `[term]` or `[term, exact]`.
pub fn query_groups(query: &str) -> Vec<Vec<String>> {
    parse_query(query)
        .terms
        .into_iter()
        .map(|t| {
            let mut g = vec![t.term];
            g.extend(t.exact);
            g
        })
        .collect()
}

#[cfg(test)]
mod tests;
