//! Export of the built index into the client files (see [`super::format`]).

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::analyse;
use super::format::{
    base64, block_fp, by_df_then_term, encode_postings, file_fp, pack, put_fp, put_str, put_varint,
    IDF_SCALE, MAGIC, MAX_PREFIX_TERMS, MIN_PREFIX_CHARS, RECORDS_PER_FILE, RECORD_FILES_PER_BLOCK,
};
use super::index::Built;
use super::{IndexStats, SearchError};

/// Characters of description + body kept per document for excerpts.
pub const EXCERPT_CHARS: usize = 320;

/// Documents of highest impact kept inline for terms whose postings have their own file.
pub const TOP_POSTINGS: usize = 32;

/// Records of a frequent term's documents of highest impact kept together in `r/N.bin` beside its postings
/// file `p/N.bin`: a query for the term fetches its first results' records in one request, not one each.
/// All of its [`TOP_POSTINGS`], not the first ten: a query of several words ranks first pages that are rarely
/// any one word's very best but mostly among its best 32 (on the 10k corpus: 6.7 requests per query of two
/// or three words instead of 8.9, most without a round trip for single records, for 2–5 KiB more on a
/// one-word query). engine.js knows the same number: it asks at once for the records a chunk does not bring.
pub const CHUNK_RECORDS: usize = 32;

/// BM25 idf as tantivy computes it, quantised.
pub fn idf_q(df: u64, n: u64) -> u64 {
    let (df, n) = (df as f64, n as f64);
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    (idf * IDF_SCALE).round().max(1.0) as u64
}

/// The files of the client index: path relative to `search/` and bytes.
pub struct Files {
    /// Path from `search/` and packed bytes, sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
    /// Distinct terms in the dictionary.
    pub terms: usize,
    /// Dictionary shards.
    pub shards: usize,
}

fn sorted_unique<'a>(values: impl Iterator<Item = &'a String>) -> Vec<String> {
    values
        .collect::<BTreeSet<_>>()
        .into_iter()
        .cloned()
        .collect()
}

fn index_of(list: &[String], v: &str) -> u64 {
    list.binary_search_by(|x| x.as_str().cmp(v)).unwrap_or(0) as u64
}

/// The text kept for excerpts: description and body, NFKC, cut at a word boundary.
pub fn excerpt_source(description: &str, body: &str) -> String {
    let joined = if description.is_empty() {
        body.to_string()
    } else if body.is_empty() {
        description.to_string()
    } else {
        format!("{description} — {body}")
    };
    let text = analyse::normalise(&joined.split_whitespace().collect::<Vec<_>>().join(" "));
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => format!("{}…", &cut[..i]),
        _ => format!("{cut}…"),
    }
}

/// The documents of highest impact of a term (ties: lower document first), in document order.
fn best_documents(postings: &[(u32, u8)]) -> Vec<(u32, u8)> {
    let mut top = postings.to_vec();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(TOP_POSTINGS);
    top.sort_by_key(|p| p.0);
    top
}

/// A set of documents that empties in O(1): a document is in it when marked with the current round.
struct Marks {
    round: u32,
    at: Vec<u32>,
}

impl Marks {
    fn new(n: usize) -> Marks {
        Marks {
            round: 0,
            at: vec![0; n],
        }
    }
    fn clear(&mut self) {
        self.round += 1;
    }
    /// Adds `d`; whether it was new.
    fn insert(&mut self, d: u32) -> bool {
        let slot = &mut self.at[d as usize];
        let new = *slot != self.round;
        *slot = self.round;
        new
    }
}

/// How many documents a query matches when term `i` is the word being typed: the term's own and those
/// of its first completions as a query takes them (most frequent first, their best documents when
/// their postings have a file). Lets the client answer such a query from the shard alone.
fn typed_total(
    built: &Built,
    encoded: &[Vec<u8>],
    inline_max: usize,
    i: usize,
    seen: &mut Marks,
) -> usize {
    let (term, postings) = &built.terms[i];
    if term.chars().count() < MIN_PREFIX_CHARS {
        return postings.len();
    }
    let mut completions: Vec<usize> = (i + 1..built.terms.len())
        .take_while(|&j| built.terms[j].0.starts_with(term.as_str()))
        .collect();
    completions.sort_by(|&a, &b| {
        let (ta, tb) = (&built.terms[a], &built.terms[b]);
        by_df_then_term((ta.1.len(), &ta.0), (tb.1.len(), &tb.0))
    });
    seen.clear();
    let mut total = postings.iter().filter(|p| seen.insert(p.0)).count();
    for &j in completions.iter().take(MAX_PREFIX_TERMS) {
        let list = &built.terms[j].1;
        let best;
        let used = if encoded[j].len() > inline_max {
            best = best_documents(list);
            &best
        } else {
            list
        };
        total += used.iter().filter(|p| seen.insert(p.0)).count();
    }
    total
}

/// A packed file and its fingerprint.
struct Packed {
    bytes: Vec<u8>,
    fp: u32,
}

impl Packed {
    fn new(raw: &[u8]) -> Packed {
        let bytes = pack(raw);
        Packed {
            fp: file_fp(&bytes),
            bytes,
        }
    }
}

/// A facet file: the count of documents, then their deltas.
fn facet_file(docs: &[u32]) -> Vec<u8> {
    let mut b = Vec::new();
    put_varint(&mut b, docs.len() as u64);
    let mut prev = 0;
    for (i, d) in docs.iter().enumerate() {
        put_varint(&mut b, u64::from(if i == 0 { *d } else { d - prev }));
        prev = *d;
    }
    b
}

/// Lays out every file of the client index. Files are laid out from the leaves up, each packed before
/// the file that names it, which holds its fingerprint: postings and records, then shards and facets,
/// then the manifest.
pub fn layout(built: &Built) -> Files {
    let n = built.docs.len() as u32;
    let langs = sorted_unique(built.docs.iter().map(|d| &d.lang));
    let kinds = sorted_unique(built.docs.iter().map(|d| &d.kind));
    let cities = sorted_unique(built.docs.iter().flat_map(|d| &d.cities));
    let fields = sorted_unique(built.docs.iter().flat_map(|d| &d.fields));
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let record = |b: &mut Vec<u8>, i: usize| {
        let d = &built.docs[i];
        put_str(b, &d.url);
        put_str(b, &analyse::normalise(&d.title));
        put_str(b, &built.excerpts[i]);
    };

    // Postings of every term; the frequent terms' in files of their own, each with a chunk of the
    // records of its best documents.
    let encoded: Vec<Vec<u8>> = built
        .terms
        .par_iter()
        .map(|(_, p)| {
            let mut b = Vec::new();
            encode_postings(&mut b, p, n);
            b
        })
        .collect();
    let total: usize = encoded
        .iter()
        .zip(&built.terms)
        .map(|(e, t)| e.len() + t.0.len() + 4)
        .sum();
    // Shard size balancing the manifest (≈9 bytes a shard) against ~3 shards a query.
    let target = ((5.0 * total as f64 / 3.0).sqrt() as usize).clamp(1024, 8192);
    let inline_max = target / 4;
    let with_file: Vec<usize> = (0..encoded.len())
        .filter(|&i| encoded[i].len() > inline_max)
        .collect();
    let own: Vec<(Packed, Packed)> = with_file
        .par_iter()
        .map(|&i| {
            let mut best = built.terms[i].1.clone();
            best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(CHUNK_RECORDS);
            let mut r = Vec::new();
            put_varint(&mut r, best.len() as u64);
            for (doc, _) in best {
                put_varint(&mut r, u64::from(doc));
                record(&mut r, doc as usize);
            }
            (Packed::new(&encoded[i]), Packed::new(&r))
        })
        .collect();

    // The shards of the dictionary.
    let mut bounds: Vec<String> = Vec::new();
    let mut shard: Vec<u8> = Vec::new();
    let mut shard_terms = 0u64;
    let mut prev_term = "";
    let mut shards: Vec<Vec<u8>> = Vec::new();
    let flush = |shard: &mut Vec<u8>, count: &mut u64, shards: &mut Vec<Vec<u8>>| {
        let mut b = Vec::with_capacity(shard.len() + 4);
        put_varint(&mut b, *count);
        b.append(shard);
        shards.push(b);
        *count = 0;
    };
    let mut seen = Marks::new(n as usize);
    let mut next_file = 0usize;
    for (i, ((term, postings), enc)) in built.terms.iter().zip(&encoded).enumerate() {
        if shard_terms == 0 {
            // Lower bound: the shortest prefix of this term above the previous shard's last term.
            let mut bound = String::new();
            if !bounds.is_empty() {
                for c in term.chars() {
                    bound.push(c);
                    if bound.as_str() > prev_term {
                        break;
                    }
                }
            }
            bounds.push(bound);
            prev_term = "";
        }
        let shared = term
            .bytes()
            .zip(prev_term.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        // Never split a UTF-8 sequence.
        let shared = (0..=shared)
            .rev()
            .find(|i| term.is_char_boundary(*i))
            .unwrap_or(0);
        put_varint(&mut shard, shared as u64);
        put_str(&mut shard, &term[shared..]);
        put_varint(&mut shard, postings.len() as u64);
        put_varint(&mut shard, idf_q(postings.len() as u64, u64::from(n)));
        if with_file.get(next_file) == Some(&i) {
            let (p, r) = &own[next_file];
            next_file += 1;
            put_varint(&mut shard, next_file as u64);
            put_fp(&mut shard, p.fp);
            put_fp(&mut shard, r.fp);
            // The best documents of the term inline, for completions of the word being typed.
            let top = best_documents(postings);
            put_varint(&mut shard, top.len() as u64);
            encode_postings(&mut shard, &top, n);
            put_varint(
                &mut shard,
                typed_total(built, &encoded, inline_max, i, &mut seen) as u64,
            );
        } else {
            put_varint(&mut shard, 0);
            put_varint(&mut shard, enc.len() as u64);
            shard.extend_from_slice(enc);
        }
        shard_terms += 1;
        prev_term = term;
        if shard.len() >= target {
            flush(&mut shard, &mut shard_terms, &mut shards);
        }
    }
    if shard_terms > 0 {
        flush(&mut shard, &mut shard_terms, &mut shards);
    }
    drop(encoded);
    for (k, (p, r)) in own.into_iter().enumerate() {
        files.push((format!("p/{k}.bin"), p.bytes));
        files.push((format!("r/{k}.bin"), r.bytes));
    }
    let shards: Vec<Packed> = shards.par_iter().map(|s| Packed::new(s)).collect();

    // Facets: the documents of each city and field, and every document's year.
    let facets: Vec<(String, Packed)> = [("c", &cities), ("f", &fields)]
        .into_iter()
        .flat_map(|(prefix, values)| {
            values
                .iter()
                .enumerate()
                .map(move |(vi, v)| (prefix, vi, v))
        })
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(prefix, vi, v)| {
            let docs: Vec<u32> = (0..n)
                .filter(|&i| {
                    let d = &built.docs[i as usize];
                    if prefix == "c" { &d.cities } else { &d.fields }.contains(v)
                })
                .collect();
            (
                format!("f/{prefix}{vi}.bin"),
                Packed::new(&facet_file(&docs)),
            )
        })
        .collect();
    let years: Vec<i32> = built.docs.iter().filter_map(|d| d.year).collect();
    let (ymin, ymax) = (
        years.iter().copied().min().unwrap_or(0),
        years.iter().copied().max().unwrap_or(0),
    );
    let mut y = Vec::new();
    for d in &built.docs {
        put_varint(&mut y, d.year.map_or(0, |v| (v - ymin + 1) as u64));
    }
    let year = Packed::new(&y);

    // Records: those of RECORDS_PER_FILE consecutive documents a file.
    let docs: Vec<Packed> = (0..built.docs.len().div_ceil(RECORDS_PER_FILE))
        .into_par_iter()
        .map(|k| {
            let ids = k * RECORDS_PER_FILE..((k + 1) * RECORDS_PER_FILE).min(built.docs.len());
            let mut b = Vec::new();
            put_varint(&mut b, ids.len() as u64);
            for i in ids {
                record(&mut b, i);
            }
            Packed::new(&b)
        })
        .collect();
    let blocks: Vec<u32> = docs
        .chunks(RECORD_FILES_PER_BLOCK)
        .map(|block| block_fp(block.iter().map(|d| d.fp)))
        .collect();

    // Manifest.
    let mut m = Vec::new();
    m.extend_from_slice(MAGIC);
    put_varint(&mut m, u64::from(n));
    for list in [&langs, &kinds, &cities, &fields] {
        put_varint(&mut m, list.len() as u64);
        for s in list.iter() {
            put_str(&mut m, s);
        }
    }
    let mut groups: Vec<(u64, u64, u64, u64)> = Vec::new();
    for (i, d) in built.docs.iter().enumerate() {
        let (l, k) = (index_of(&langs, &d.lang), index_of(&kinds, &d.kind));
        match groups.last_mut() {
            Some(g) if g.0 == l && g.1 == k => g.3 += 1,
            _ => groups.push((l, k, i as u64, 1)),
        }
    }
    put_varint(&mut m, groups.len() as u64);
    for g in &groups {
        for v in [g.0, g.1, g.2, g.3] {
            put_varint(&mut m, v);
        }
    }
    put_varint(&mut m, (i64::from(ymin) + 10000).max(0) as u64);
    put_varint(
        &mut m,
        if years.is_empty() {
            0
        } else {
            (ymax - ymin + 1) as u64
        },
    );
    put_varint(&mut m, shards.len() as u64);
    let mut prev = "";
    for b in &bounds {
        let shared = b
            .char_indices()
            .zip(prev.chars())
            .take_while(|((_, x), y)| x == y)
            .last()
            .map_or(0, |((i, c), _)| i + c.len_utf8());
        put_varint(&mut m, shared as u64);
        put_str(&mut m, &b[shared..]);
        prev = b;
    }
    for s in &shards {
        put_fp(&mut m, s.fp);
    }
    put_fp(&mut m, year.fp);
    for (_, f) in &facets {
        put_fp(&mut m, f.fp);
    }
    put_varint(&mut m, blocks.len() as u64);
    for b in blocks {
        put_fp(&mut m, b);
    }

    let num_shards = shards.len();
    files.push(("manifest.bin".to_string(), pack(&m)));
    files.extend(
        shards
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("s/{i}.bin"), s.bytes)),
    );
    files.extend(facets.into_iter().map(|(name, f)| (name, f.bytes)));
    files.push(("f/year.bin".to_string(), year.bytes));
    files.extend(
        docs.into_iter()
            .enumerate()
            .map(|(k, d)| (format!("d/{k}.bin"), d.bytes)),
    );
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Files {
        files,
        terms: built.terms.len(),
        shards: num_shards,
    }
}

/// The `.js` twin of a binary file, for `file://` where `fetch` is not allowed.
pub fn js_twin(path: &str, bytes: &[u8]) -> String {
    format!("kizunaSearchData(\"{path}\",\"{}\");\n", base64(bytes))
}

/// The client index's files, named from the index folder (`manifest.bin`, `s/0.bin`, …), sorted by name.
/// With `js_twins`, each binary file also has its `.js` twin, which only a site opened from `file://` reads.
pub fn files(built: &Built, js_twins: bool) -> (Vec<(String, Vec<u8>)>, IndexStats) {
    let laid = layout(built);
    let stats = IndexStats {
        documents: built.docs.len(),
        terms: laid.terms,
        bytes: laid.files.iter().map(|f| f.1.len() as u64).sum(),
        shards: laid.shards,
    };
    let mut files = laid.files;
    if js_twins {
        let twins: Vec<(String, Vec<u8>)> = files
            .par_iter()
            .map(|(name, bytes)| {
                let js = format!("{}.js", name.strip_suffix(".bin").unwrap_or(name));
                (js, js_twin(name, bytes).into_bytes())
            })
            .collect();
        files.extend(twins);
        files.sort_by(|a, b| a.0.cmp(&b.0));
    }
    (files, stats)
}

/// Writes the client index into `dir` (`out/search/`) over the `kept` files of an earlier index (names
/// relative to `dir`): those made again with the same bytes are left as they are, the others removed.
pub fn write(
    built: &Built,
    dir: &Path,
    js_twins: bool,
    kept: &HashSet<&str>,
) -> Result<IndexStats, SearchError> {
    let (files, stats) = files(built, js_twins);
    let werr = |path: &Path, source| SearchError::Write {
        path: path.to_path_buf(),
        source,
    };
    for sub in ["s", "p", "d", "r", "f"] {
        let p = dir.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| werr(&p, e))?;
    }
    // One thread per folder: threads creating files in one folder wait on its lock.
    crate::output::by_parent(&files, |f| f.0.as_str())
        .par_iter()
        .try_for_each(|group| {
            group.iter().try_for_each(|(name, bytes)| {
                let p = dir.join(name);
                crate::output::put(&p, bytes, kept.contains(name.as_str())).map_err(|e| werr(&p, e))
            })
        })?;
    let made: HashSet<&str> = files.iter().map(|f| f.0.as_str()).collect();
    for name in kept.iter().filter(|n| !made.contains(**n)) {
        let p = dir.join(name);
        std::fs::remove_file(&p).map_err(|e| werr(&p, e))?;
    }
    Ok(stats)
}
