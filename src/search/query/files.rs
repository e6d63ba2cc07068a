//! The index files as the reference reader loads them: each checked against the fingerprint it is named
//! with, as a browser asks for it, then unpacked; the manifest and the shards decoded.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::super::format::{
    block_fp, file_fp, unpack, Reader, MAGIC, RECORDS_PER_FILE, RECORD_FILES_PER_BLOCK,
};
use super::super::SearchError;

/// Bytes and files read by one query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryStats {
    /// Bytes of the index files read.
    pub bytes: u64,
    /// Index files read.
    pub files: usize,
}

/// The manifest's fingerprints of the files it names.
pub(crate) struct Fingerprints {
    pub shards: Vec<u32>,
    pub year: u32,
    pub cities: Vec<u32>,
    pub fields: Vec<u32>,
    /// One per [`RECORD_FILES_PER_BLOCK`] record files.
    pub record_blocks: Vec<u32>,
}

pub(crate) struct Manifest {
    pub num_docs: u32,
    pub langs: Vec<String>,
    pub kinds: Vec<String>,
    pub cities: Vec<String>,
    pub fields: Vec<String>,
    /// (lang, kind, first doc, count)
    pub groups: Vec<(usize, usize, u32, u32)>,
    pub year_min: i64,
    pub bounds: Vec<String>,
    pub fps: Fingerprints,
}

/// A term of a shard.
#[derive(Clone)]
pub(crate) struct Entry {
    pub term: String,
    pub df: usize,
    pub idf: u64,
    /// Postings file number and fingerprint, or the inline postings.
    pub postings: Result<(usize, u32), Vec<u8>>,
    /// The fingerprint of the records chunk beside the postings file, which only the client reads.
    #[cfg_attr(not(test), allow(dead_code))]
    pub chunk: Option<u32>,
    /// For terms with a postings file: count and postings of their best documents.
    pub top: Option<(usize, Vec<u8>)>,
}

/// The files read so far, unpacked.
pub(crate) struct Store {
    dir: PathBuf,
    cache: HashMap<String, Vec<u8>>,
    blocks_checked: HashSet<usize>,
    pub stats: QueryStats,
}

impl Store {
    /// A store over the index folder `dir` (`out/search/`).
    pub fn new(dir: PathBuf) -> Store {
        Store {
            dir,
            cache: HashMap::new(),
            blocks_checked: HashSet::new(),
            stats: QueryStats::default(),
        }
    }

    fn read(&self, name: &str) -> Result<Vec<u8>, SearchError> {
        let path = self.dir.join(name);
        std::fs::read(&path).map_err(|source| SearchError::Read { path, source })
    }

    /// The file `name`, unpacked; unless it is the manifest, its fingerprint must be `fp`.
    pub fn load(&mut self, name: &str, fp: Option<u32>) -> Result<&[u8], SearchError> {
        if !self.cache.contains_key(name) {
            let bytes = self.read(name)?;
            if let Some(fp) = fp {
                check(name, file_fp(&bytes), fp)?;
            }
            self.keep(name, &bytes)?;
        }
        Ok(&self.cache[name])
    }

    /// Counts the packed file `name` as read and keeps it unpacked.
    fn keep(&mut self, name: &str, bytes: &[u8]) -> Result<(), SearchError> {
        self.stats.bytes += bytes.len() as u64;
        self.stats.files += 1;
        self.cache.insert(name.to_string(), unpack(bytes, name)?);
        Ok(())
    }

    /// The record file `d/K.bin`, whose block of files must have the fingerprint `block`. The other files
    /// of the block are read to check it, and not counted: a browser does not read them.
    pub fn load_records(&mut self, k: usize, block: u32) -> Result<&[u8], SearchError> {
        let name = format!("d/{k}.bin");
        let b = k / RECORD_FILES_PER_BLOCK;
        if !self.blocks_checked.contains(&b) {
            let mut fps = Vec::with_capacity(RECORD_FILES_PER_BLOCK);
            let mut own = None;
            for j in b * RECORD_FILES_PER_BLOCK..(b + 1) * RECORD_FILES_PER_BLOCK {
                match self.read(&format!("d/{j}.bin")) {
                    Ok(bytes) => {
                        fps.push(file_fp(&bytes));
                        if j == k {
                            own = Some(bytes);
                        }
                    }
                    Err(SearchError::Read { source, .. })
                        if source.kind() == std::io::ErrorKind::NotFound && j > k =>
                    {
                        break
                    }
                    Err(e) => return Err(e),
                }
            }
            check(&name, block_fp(fps.into_iter()), block)?;
            self.blocks_checked.insert(b);
            if let (Some(bytes), false) = (own, self.cache.contains_key(&name)) {
                self.keep(&name, &bytes)?;
            }
        }
        self.load(&name, None)
    }
}

/// An error unless the fingerprint of file `name` is the one it was asked for with.
fn check(name: &str, found: u32, expected: u32) -> Result<(), SearchError> {
    if found == expected {
        return Ok(());
    }
    Err(SearchError::Corrupt {
        path: name.to_string(),
        reason: format!(
            "its fingerprint is {found:08x}, the index names it {expected:08x}: files of two builds are \
             mixed; run `kizuna build` again"
        ),
    })
}

/// The record file holding document `d`, and the fingerprint of its block.
pub(crate) fn record_file(m: &Manifest, d: u32) -> Result<(usize, u32), SearchError> {
    let k = d as usize / RECORDS_PER_FILE;
    match m.fps.record_blocks.get(k / RECORD_FILES_PER_BLOCK) {
        Some(fp) => Ok((k, *fp)),
        None => Err(SearchError::Corrupt {
            path: "manifest.bin".into(),
            reason: format!("no fingerprint for the records of document {d}"),
        }),
    }
}

fn fps(r: &mut Reader, n: usize) -> Result<Vec<u32>, SearchError> {
    (0..n).map(|_| r.fp()).collect()
}

pub(crate) fn parse_manifest(b: &[u8]) -> Result<Manifest, SearchError> {
    let mut r = Reader::new(b, "manifest.bin");
    let magic = r.bytes(4)?;
    if magic != MAGIC {
        if magic.starts_with(b"KZS") {
            return Err(SearchError::Version {
                found: String::from_utf8_lossy(magic).into_owned(),
                reads: String::from_utf8_lossy(MAGIC).into_owned(),
            });
        }
        return Err(SearchError::Corrupt {
            path: "manifest.bin".into(),
            reason: "bad magic".into(),
        });
    }
    let num_docs = r.varint()? as u32;
    let langs = r.strings()?;
    let kinds = r.strings()?;
    let cities = r.strings()?;
    let fields = r.strings()?;
    let ng = r.varint()? as usize;
    let mut groups = Vec::with_capacity(ng);
    for _ in 0..ng {
        groups.push((
            r.varint()? as usize,
            r.varint()? as usize,
            r.varint()? as u32,
            r.varint()? as u32,
        ));
    }
    let year_min = r.varint()? as i64 - 10000;
    r.varint()?; // the span of years, for the client's year filter
    let nb = r.varint()? as usize;
    let mut bounds: Vec<String> = Vec::with_capacity(nb);
    for _ in 0..nb {
        let shared = r.varint()? as usize;
        let rest = r.string()?;
        let prev = bounds.last().map_or("", |b| b.as_str());
        bounds.push(format!("{}{rest}", prev.get(..shared).unwrap_or("")));
    }
    let shards = fps(&mut r, nb)?;
    let year = r.fp()?;
    let city_fps = fps(&mut r, cities.len())?;
    let field_fps = fps(&mut r, fields.len())?;
    let blocks = r.varint()? as usize;
    let record_blocks = fps(&mut r, blocks)?;
    Ok(Manifest {
        num_docs,
        langs,
        kinds,
        cities,
        fields,
        groups,
        year_min,
        bounds,
        fps: Fingerprints {
            shards,
            year,
            cities: city_fps,
            fields: field_fps,
            record_blocks,
        },
    })
}

pub(crate) fn parse_shard(b: &[u8], name: &str, num_docs: u32) -> Result<Vec<Entry>, SearchError> {
    let mut r = Reader::new(b, name);
    let n = r.varint()? as usize;
    let mut out: Vec<Entry> = Vec::with_capacity(n);
    let mut prev = String::new();
    for _ in 0..n {
        let shared = r.varint()? as usize;
        let suffix = r.string()?;
        let term = format!("{}{}", prev.get(..shared).unwrap_or(""), suffix);
        let df = r.varint()? as usize;
        let idf = r.varint()?;
        let file = r.varint()? as usize;
        let mut top = None;
        let mut chunk = None;
        let postings = if file == 0 {
            let len = r.varint()? as usize;
            Err(r.bytes(len)?.to_vec())
        } else {
            let fp = r.fp()?;
            chunk = Some(r.fp()?);
            let count = r.varint()? as usize;
            let start = r.pos;
            r.postings(count, num_docs)?;
            top = Some((count, r.buf[start..r.pos].to_vec()));
            r.varint()?; // documents matched as the word being typed (the client's shortcut)
            Ok((file - 1, fp))
        };
        prev = term.clone();
        out.push(Entry {
            term,
            df,
            idf,
            postings,
            chunk,
            top,
        });
    }
    Ok(out)
}

/// The shard holding `term`: the last one whose lower bound is ≤ `term`.
pub(crate) fn shard_of(bounds: &[String], term: &str) -> usize {
    bounds
        .partition_point(|b| b.as_str() <= term)
        .saturating_sub(1)
}

/// Shards that may hold terms starting with `prefix`.
pub(crate) fn shard_range(bounds: &[String], prefix: &str) -> (usize, usize) {
    let upper = format!("{prefix}\u{10FFFF}");
    (shard_of(bounds, prefix), shard_of(bounds, &upper))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use super::*;
    use crate::search::{write_index, SearchDoc};

    /// Enough documents for postings files, chunks and several blocks of record files.
    fn corpus() -> Vec<SearchDoc> {
        let words = [
            "water", "waste", "compost", "sewage", "river", "school", "energy", "air",
        ];
        (0..600)
            .map(|i| SearchDoc {
                url: format!("/p/{i:03}/"),
                title: format!("Page {i} {}", words[i % 8]),
                lang: if i % 5 == 0 { "ja" } else { "en" }.into(),
                kind: "page".into(),
                body: format!(
                    "{} {} {} report{i} of year {}",
                    words[i % 8],
                    words[(i / 8) % 8],
                    words[(i * 7) % 8],
                    1990 + i % 30
                ),
                cities: vec![["dalian", "surabaya"][i % 2].into()],
                fields: vec![words[i % 3].into()],
                year: Some(1990 + (i % 30) as i32),
                ..Default::default()
            })
            .collect()
    }

    /// Every file a client can ask for, by name, with the fingerprint it is asked for with; asserts
    /// that each file's fingerprint is that one and that no file is left unnamed.
    fn named_files(out: &Path) -> BTreeMap<String, u32> {
        let mut store = Store::new(out.join("search"));
        let m = parse_manifest(store.load("manifest.bin", None).unwrap()).unwrap();
        let mut named = BTreeMap::new();
        for (i, fp) in m.fps.shards.iter().enumerate() {
            let name = format!("s/{i}.bin");
            let entries = parse_shard(store.load(&name, Some(*fp)).unwrap(), &name, m.num_docs);
            for e in entries.unwrap() {
                if let (Ok((k, p)), Some(r)) = (e.postings, e.chunk) {
                    named.insert(format!("p/{k}.bin"), p);
                    named.insert(format!("r/{k}.bin"), r);
                }
            }
            named.insert(name, *fp);
        }
        named.insert("f/year.bin".into(), m.fps.year);
        for (prefix, list) in [("c", &m.fps.cities), ("f", &m.fps.fields)] {
            for (i, fp) in list.iter().enumerate() {
                named.insert(format!("f/{prefix}{i}.bin"), *fp);
            }
        }
        let records = m.num_docs.div_ceil(RECORDS_PER_FILE as u32);
        for d in (0..m.num_docs).step_by(RECORDS_PER_FILE) {
            let (k, block) = record_file(&m, d).unwrap();
            store.load_records(k, block).unwrap();
            named.insert(format!("d/{k}.bin"), block);
        }
        for (name, fp) in &named {
            if !name.starts_with("d/") {
                let bytes = std::fs::read(out.join("search").join(name)).unwrap();
                assert_eq!(file_fp(&bytes), *fp, "{name}");
            }
        }
        let on_disk: BTreeSet<String> = walkdir::WalkDir::new(out.join("search"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let p = e.path().strip_prefix(out.join("search")).unwrap();
                p.to_string_lossy().replace('\\', "/")
            })
            .filter(|n| n != "manifest.bin")
            .collect();
        assert_eq!(
            on_disk,
            named.keys().cloned().collect(),
            "files no one names"
        );
        assert_eq!(
            named.keys().filter(|n| n.starts_with("d/")).count(),
            records as usize
        );
        named
    }

    #[test]
    fn every_file_is_asked_for_with_its_own_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        write_index(corpus(), dir.path(), false).unwrap();
        let named = named_files(dir.path());
        for kind in ["s/", "p/", "r/", "d/", "f/c", "f/f"] {
            assert!(named.keys().any(|n| n.starts_with(kind)), "no {kind} file");
        }
    }

    #[test]
    fn a_file_of_another_build_is_an_error() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut edited = corpus();
        write_index(edited.clone(), a.path(), false).unwrap();
        edited[0].body.push_str(" compost");
        write_index(edited, b.path(), false).unwrap();
        // The old build's files where they differ, as a cache that ignored their fingerprints would hold.
        for (name, _) in named_files(b.path()) {
            let (old, new) = (
                a.path().join("search").join(&name),
                b.path().join("search").join(&name),
            );
            if std::fs::read(&old).unwrap() != std::fs::read(&new).unwrap() {
                std::fs::copy(&old, &new).unwrap();
            }
        }
        let e = crate::search::query(b.path(), "compost", &Default::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("files of two builds are mixed"), "{e}");
    }

    #[test]
    fn an_edit_renames_only_the_files_it_changed() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut docs = corpus();
        write_index(docs.clone(), a.path(), false).unwrap();
        // A page's text is corrected: same words, one more of them.
        docs[300].body.push_str(" energy");
        write_index(docs, b.path(), false).unwrap();
        let (before, after) = (named_files(a.path()), named_files(b.path()));
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>()
        );
        let renamed: Vec<&String> = before
            .iter()
            .filter(|(name, fp)| after[*name] != **fp)
            .map(|(name, _)| name)
            .collect();
        for name in before.keys() {
            let changed = std::fs::read(a.path().join("search").join(name)).unwrap()
                != std::fs::read(b.path().join("search").join(name)).unwrap();
            if changed {
                assert!(renamed.contains(&name), "{name} changed under the same URL");
            }
        }
        // The edited document's records, in one block of record files; its words' shards and postings.
        let blocks: BTreeSet<usize> = renamed
            .iter()
            .filter_map(|n| n.strip_prefix("d/")?.strip_suffix(".bin")?.parse().ok())
            .map(|k: usize| k / RECORD_FILES_PER_BLOCK)
            .collect();
        assert_eq!(blocks.len(), 1, "{renamed:?}");
        assert!(
            renamed.len() * 4 < before.len(),
            "{} of {} files renamed: {renamed:?}",
            renamed.len(),
            before.len()
        );
    }
}
