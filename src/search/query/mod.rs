//! Queries over the exported client index, with exactly the algorithm of the JavaScript client
//! (`engine.js`): integer scores, the same files read in the same way.

mod excerpt;
mod files;

use std::collections::BTreeMap;
use std::path::Path;

use super::analyse::{self, ParsedQuery};
use super::format::{
    by_df_then_term, Reader, MAX_PREFIX_TERMS, MIN_PREFIX_CHARS, RECORDS_PER_FILE,
};
use super::{Hit, QueryOptions, SearchError};
pub use excerpt::{excerpt, has_phrase, EXCERPT_BEFORE, EXCERPT_WINDOW};
pub use files::QueryStats;
use files::{
    parse_manifest, parse_shard, record_file, shard_of, shard_range, Entry, Manifest, Store,
};

/// A term matching one query term: its entry, weight, and whether it counts for coverage.
type Alternative = (Entry, u64, bool);

/// Weight of an exact (folded) match of a query word.
pub const W_EXACT: u64 = 10;
/// Extra weight when the word's diacritics match too.
pub const W_DIACRITICS: u64 = 4;
/// Weight of a completion of the word being typed.
pub const W_PREFIX: u64 = 6;
/// Weight of a word one typo away.
pub const W_FUZZY: u64 = 5;
/// Words of this many characters tolerate one typo.
pub const MIN_FUZZY_CHARS: usize = 5;
/// Typo candidates looked up.
pub const MAX_FUZZY_TERMS: usize = 3;
/// At most this many shards are read to find typo candidates.
pub const MAX_FUZZY_SHARDS: usize = 2;

/// Damerau–Levenshtein distance ≤ 1 (on characters).
pub fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if p == la && p == lb {
        return true;
    }
    let (ra, rb) = (&a[p..], &b[p..]);
    if la == lb {
        ra[1..] == rb[1..]
            || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
    } else if la > lb {
        ra[1..] == *rb
    } else {
        *ra == rb[1..]
    }
}

struct Engine {
    store: Store,
    m: Manifest,
    shards: BTreeMap<usize, Vec<Entry>>,
}

impl Engine {
    fn shard(&mut self, i: usize) -> Result<&Vec<Entry>, SearchError> {
        if !self.shards.contains_key(&i) {
            let name = format!("s/{i}.bin");
            let fp = self.m.fps.shards.get(i).copied();
            let entries = parse_shard(self.store.load(&name, fp)?, &name, self.m.num_docs)?;
            self.shards.insert(i, entries);
        }
        Ok(&self.shards[&i])
    }

    fn lookup(&mut self, term: &str) -> Result<Option<Entry>, SearchError> {
        if self.m.bounds.is_empty() {
            return Ok(None);
        }
        let i = shard_of(&self.m.bounds, term);
        Ok(self.shard(i)?.iter().find(|e| e.term == term).cloned())
    }

    fn with_prefix(
        &mut self,
        prefix: &str,
        shards: (usize, usize),
    ) -> Result<Vec<Entry>, SearchError> {
        let mut out = Vec::new();
        for i in shards.0..=shards.1 {
            out.extend(
                self.shard(i)?
                    .iter()
                    .filter(|e| e.term.starts_with(prefix))
                    .cloned(),
            );
        }
        Ok(out)
    }

    /// Postings of a term; only its best documents when `best_only` and the term is frequent.
    fn postings(&mut self, e: &Entry, best_only: bool) -> Result<Vec<(u32, u8)>, SearchError> {
        let n = self.m.num_docs;
        if let (true, Some((count, top))) = (best_only, &e.top) {
            return Reader::new(top, "top postings").postings(*count, n);
        }
        match &e.postings {
            Err(inline) => Reader::new(inline, "inline postings").postings(e.df, n),
            Ok((file, fp)) => {
                let name = format!("p/{file}.bin");
                let b = self.store.load(&name, Some(*fp))?;
                Reader::new(b, &name).postings(e.df, n)
            }
        }
    }

    fn facet(&mut self, name: &str, fp: u32) -> Result<Vec<u32>, SearchError> {
        let b = self.store.load(name, Some(fp))?.to_vec();
        let mut r = Reader::new(&b, name);
        let n = r.varint()? as usize;
        let mut out = Vec::with_capacity(n);
        let mut prev = 0u64;
        for i in 0..n {
            let d = r.varint()?;
            prev = if i == 0 { d } else { prev + d };
            out.push(prev as u32);
        }
        Ok(out)
    }

    fn doc(&mut self, d: u32) -> Result<(String, String, String), SearchError> {
        let per = RECORDS_PER_FILE as u32;
        let (k, block) = record_file(&self.m, d)?;
        let name = format!("d/{k}.bin");
        let b = self.store.load_records(k, block)?;
        let mut r = Reader::new(b, &name);
        let count = r.varint()?;
        if u64::from(d % per) >= count {
            return Err(r.corrupt("no such record"));
        }
        for _ in 0..d % per {
            r.string()?;
            r.string()?;
            r.string()?;
        }
        Ok((r.string()?, r.string()?, r.string()?))
    }

    fn group_of(&self, d: u32) -> (usize, usize) {
        let i = self
            .m
            .groups
            .partition_point(|g| g.2 <= d)
            .saturating_sub(1);
        self.m.groups.get(i).map_or((0, 0), |g| (g.0, g.1))
    }

    /// Alternatives of each query term: (entry, weight, counts for coverage).
    fn alternatives(&mut self, pq: &ParsedQuery) -> Result<Vec<Vec<Alternative>>, SearchError> {
        let mut out = Vec::new();
        let last = pq.terms.len().saturating_sub(1);
        for (i, qt) in pq.terms.iter().enumerate() {
            let mut alts = Vec::new();
            if let Some(e) = self.lookup(&qt.term)? {
                alts.push((e, W_EXACT, true));
            }
            if let Some(x) = &qt.exact {
                if let Some(e) = self.lookup(x)? {
                    alts.push((e, W_DIACRITICS, false));
                }
            }
            let chars: Vec<char> = qt.term.chars().collect();
            if i == last
                && pq.last_is_prefix
                && chars.len() >= MIN_PREFIX_CHARS
                && !self.m.bounds.is_empty()
            {
                let range = shard_range(&self.m.bounds, &qt.term);
                let mut c: Vec<Entry> = self
                    .with_prefix(&qt.term, range)?
                    .into_iter()
                    .filter(|e| e.term != qt.term)
                    .collect();
                c.sort_by(|a, b| by_df_then_term((a.df, &a.term), (b.df, &b.term)));
                // Completions weigh no more than the word typed so far, when it is a word ("kitakyushubased"
                // against "kitakyushu"), else than the commonest of them, the word most readers are typing:
                // a rare completion does not push the word aside, and results stay put as the word is typed.
                let cap = alts
                    .first()
                    .filter(|a| a.1 == W_EXACT)
                    .map(|a| a.0.idf)
                    .or(c.first().map(|e| e.idf))
                    .unwrap_or(u64::MAX);
                alts.extend(c.into_iter().take(MAX_PREFIX_TERMS).map(|mut e| {
                    e.idf = e.idf.min(cap);
                    (e, W_PREFIX, true)
                }));
            }
            if qt.is_word
                && !qt.phrase
                && chars.len() >= MIN_FUZZY_CHARS
                && alts.is_empty()
                && !self.m.bounds.is_empty()
            {
                let mut k = 1;
                while k < chars.len() {
                    let p: String = chars[..k].iter().collect();
                    let r = shard_range(&self.m.bounds, &p);
                    if r.1 - r.0 < MAX_FUZZY_SHARDS {
                        break;
                    }
                    k += 1;
                }
                let p: String = chars[..k].iter().collect();
                let range = shard_range(&self.m.bounds, &p);
                let mut c: Vec<Entry> = self
                    .with_prefix(&p, range)?
                    .into_iter()
                    .filter(|e| within_one_edit(&chars, &e.term.chars().collect::<Vec<_>>()))
                    .collect();
                c.sort_by(|a, b| by_df_then_term((a.df, &a.term), (b.df, &b.term)));
                alts.extend(
                    c.into_iter()
                        .take(MAX_FUZZY_TERMS)
                        .map(|e| (e, W_FUZZY, true)),
                );
            }
            out.push(alts);
        }
        Ok(out)
    }
}

/// Queries an index previously written by write_index (reads out/search/), same ranking as the
/// JS client.
pub fn query(out: &Path, q: &str, opts: &QueryOptions) -> Result<(usize, Vec<Hit>), SearchError> {
    query_with_stats(out, q, opts, None).map(|(n, h, _)| (n, h))
}

/// [`query`] with a year range filter, also reporting the bytes a client would fetch.
pub fn query_with_stats(
    out: &Path,
    q: &str,
    opts: &QueryOptions,
    years: Option<(i32, i32)>,
) -> Result<(usize, Vec<Hit>, QueryStats), SearchError> {
    let mut store = Store::new(out.join("search"));
    let m = parse_manifest(store.load("manifest.bin", None)?)?;
    let mut eng = Engine {
        store,
        m,
        shards: BTreeMap::new(),
    };
    let pq = analyse::parse_query(q);
    if pq.terms.is_empty() {
        return Ok((0, Vec::new(), eng.store.stats));
    }
    let alts = eng.alternatives(&pq)?;

    // Accumulate (coverage, score) per document.
    let mut acc: BTreeMap<u32, (u32, u64)> = BTreeMap::new();
    for group in &alts {
        let mut best: BTreeMap<u32, (u64, u64)> = BTreeMap::new(); // doc → (main max, bonus sum)
        for (e, w, main) in group {
            for (d, imp) in eng.postings(e, *w == W_PREFIX)? {
                let s = w * e.idf * u64::from(imp);
                let b = best.entry(d).or_insert((0, 0));
                if *main {
                    b.0 = b.0.max(s);
                } else {
                    b.1 += s;
                }
            }
        }
        for (d, (main, bonus)) in best {
            if main > 0 {
                let a = acc.entry(d).or_insert((0, 0));
                a.0 += 1;
                a.1 += main + bonus;
            }
        }
    }

    // Filters.
    let want = |list: &[String], v: &Option<String>| -> Option<Option<usize>> {
        v.as_ref().map(|v| list.iter().position(|x| x == v))
    };
    let lang = want(&eng.m.langs, &opts.lang);
    let kind = want(&eng.m.kinds, &opts.kind);
    let city = match want(&eng.m.cities, &opts.city) {
        Some(Some(i)) => Some(eng.facet(&format!("f/c{i}.bin"), eng.m.fps.cities[i])?),
        Some(None) => Some(Vec::new()),
        None => None,
    };
    let field = match want(&eng.m.fields, &opts.field) {
        Some(Some(i)) => Some(eng.facet(&format!("f/f{i}.bin"), eng.m.fps.fields[i])?),
        Some(None) => Some(Vec::new()),
        None => None,
    };
    let year_of: Option<Vec<u64>> = match years {
        Some(_) => {
            let fp = eng.m.fps.year;
            let b = eng.store.load("f/year.bin", Some(fp))?.to_vec();
            let mut r = Reader::new(&b, "f/year.bin");
            Some(
                (0..eng.m.num_docs)
                    .map(|_| r.varint())
                    .collect::<Result<_, _>>()?,
            )
        }
        None => None,
    };
    let prefer = opts
        .prefer_lang
        .as_ref()
        .and_then(|p| eng.m.langs.iter().position(|x| x == p));
    let mut cands: Vec<(u32, u32, bool, u64)> = Vec::new(); // doc, coverage, preferred, score
    for (d, (cov, score)) in acc {
        let (l, k) = eng.group_of(d);
        if lang.is_some_and(|x| x != Some(l)) || kind.is_some_and(|x| x != Some(k)) {
            continue;
        }
        if city.as_ref().is_some_and(|c| c.binary_search(&d).is_err())
            || field.as_ref().is_some_and(|c| c.binary_search(&d).is_err())
        {
            continue;
        }
        if let (Some((from, to)), Some(ys)) = (years, &year_of) {
            let y = ys[d as usize];
            if y == 0 {
                continue;
            }
            let y = eng.m.year_min + y as i64 - 1;
            if y < i64::from(from) || y > i64::from(to) {
                continue;
            }
        }
        cands.push((d, cov, prefer == Some(l), score));
    }
    let max_cov = cands.iter().map(|c| c.1).max().unwrap_or(0);
    cands.retain(|c| c.1 == max_cov);
    cands.sort_by(|a, b| b.2.cmp(&a.2).then(b.3.cmp(&a.3)).then(a.0.cmp(&b.0)));
    let total = cands.len();

    // Quoted phrases: among the first candidates, those holding the phrases come first.
    let limit = opts.limit.max(1);
    if !pq.phrases.is_empty() {
        let n = cands.len().min(limit * 3);
        let mut ok = Vec::with_capacity(n);
        for c in &cands[..n] {
            let (_, title, text) = eng.doc(c.0)?;
            let t = format!("{title}\n{text}");
            ok.push(pq.phrases.iter().all(|p| has_phrase(&t, p)));
        }
        let mut head: Vec<(bool, (u32, u32, bool, u64))> =
            ok.into_iter().zip(cands[..n].iter().copied()).collect();
        head.sort_by_key(|h| std::cmp::Reverse(h.0));
        for (i, h) in head.into_iter().enumerate() {
            cands[i] = h.1;
        }
    }

    let mut marks: Vec<String> = alts.iter().flatten().map(|a| a.0.term.clone()).collect();
    marks.sort();
    marks.dedup();
    let mut hits = Vec::new();
    for c in cands.iter().take(limit) {
        let (url, title, text) = eng.doc(c.0)?;
        let (l, k) = eng.group_of(c.0);
        hits.push(Hit {
            url,
            title,
            lang: eng.m.langs.get(l).cloned().unwrap_or_default(),
            kind: eng.m.kinds.get(k).cloned().unwrap_or_default(),
            excerpt: excerpt(&text, &marks),
            score: c.3 as f32 / 1e4,
        });
    }
    Ok((total, hits, eng.store.stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_of_another_version_says_to_rebuild() {
        let mut old = b"KZS2".to_vec();
        old.push(0);
        let e = parse_manifest(&old)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("another version of kizuna (KZS2; this one reads KZS5)"),
            "{e}"
        );
        assert!(e.contains("run `kizuna build` again"), "{e}");
    }

    #[test]
    fn one_edit() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("compost"), &c("compsot")));
        assert!(within_one_edit(&c("compost"), &c("compst")));
        assert!(within_one_edit(&c("compost"), &c("composte")));
        assert!(within_one_edit(&c("compost"), &c("compozt")));
        assert!(!within_one_edit(&c("compost"), &c("cmopsot")));
    }
}
