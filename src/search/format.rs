//! The binary format of the client index, shared by the writer ([`super::export`]), the Rust
//! reader ([`mod@super::query`]) and the JavaScript client. All integers are unsigned LEB128
//! varints; strings are a varint byte length followed by UTF-8.
//!
//! * manifest: `KZS4`, N docs, langs, kinds, cities, fields (string lists), groups
//!   (lang, kind, first doc, count; documents are numbered by lang, kind, URL), year min+10000
//!   and span+1 (0 = no years), shard count and each shard's lower bound (first is empty),
//!   front-coded: bytes shared with the previous bound, then the rest; then the fingerprints
//!   ([`file_fp`]) of each shard, of `f/year.bin`, of each city's and each field's facet file, and the
//!   count and fingerprints of the blocks of record files ([`RECORD_FILES_PER_BLOCK`], [`block_fp`]);
//! * shard: term count, then per term: bytes shared with the previous term, suffix, df,
//!   quantised idf, postings file number + 1 (0 = inline, then byte length and postings;
//!   otherwise the fingerprints of its postings file `p/N.bin` and of its records chunk `r/N.bin`,
//!   the count and postings of the term's highest-impact documents, for completions and
//!   one-word answers, then the documents matched when the term is the word being typed: the term
//!   and its first [`MAX_PREFIX_TERMS`] completions, as a query counts them);
//! * postings: encoding (0 = doc deltas, 1 = bitset over all docs), the docs, then one impact
//!   byte per doc (the BM25 tf part of all fields, weighted, quantised to 1..=63);
//! * records `d/K.bin`: those of documents [`RECORDS_PER_FILE`]·K and the next ones, in order: their count,
//!   then each one's URL, title and excerpt text (NFKC); `r/N.bin` beside postings file N: the count, then
//!   per document of the term's highest impact, its number and its record;
//! * facet value: doc count, doc deltas; year: one byte per doc (year - min + 1, 0 = none).
//!
//! Every file is written packed ([`pack`]): one codec byte, 0 = stored as is, 1 = zlib (RFC 1950),
//! which browsers inflate natively with `DecompressionStream("deflate")`.
//!
//! Every file but the manifest is asked for with its fingerprint in the URL (`s/3.bin?v=1a2b3c4d`), found
//! where the client finds the file's name: a rebuild changes the URLs of the files it changed and no
//! other, so a returning reader's browser fetches those and keeps the rest, and never mixes files of two
//! builds. The manifest is revalidated on every page.

use super::SearchError;

/// The first bytes of the manifest: the format's name and version.
pub const MAGIC: &[u8; 4] = b"KZS5";

/// Records of consecutive documents (numbered by language, kind and URL, so neighbours are alike) share a
/// file: a tenth of the files a record each made, and a miss costs a few hundred bytes more.
pub const RECORDS_PER_FILE: usize = 8;

/// Record files (`d/K.bin`) share a fingerprint by blocks of this many: one each would weigh more in the
/// manifest than they save (a page added or removed renumbers the documents after it anyway).
pub const RECORD_FILES_PER_BLOCK: usize = 16;

/// A file's fingerprint: FNV-1a over its packed bytes, as written, folded to 32 bits.
pub fn file_fp(packed: &[u8]) -> u32 {
    let mut h = crate::fingerprint::Fnv::default();
    h.write(packed);
    let v = h.value();
    (v ^ (v >> 32)) as u32
}

/// The fingerprint of a block of record files: [`file_fp`] over their fingerprints, big-endian, in order.
pub fn block_fp(fps: impl Iterator<Item = u32>) -> u32 {
    let bytes: Vec<u8> = fps.flat_map(u32::to_be_bytes).collect();
    file_fp(&bytes)
}

/// Appends a fingerprint: four bytes, big-endian.
pub fn put_fp(out: &mut Vec<u8>, fp: u32) {
    out.extend_from_slice(&fp.to_be_bytes());
}

/// The word being typed is completed from this many characters on.
pub const MIN_PREFIX_CHARS: usize = 3;
/// Completions looked up for the word being typed: the most frequent first, then in term order.
/// A completion counts with its best documents when its postings have their own file.
pub const MAX_PREFIX_TERMS: usize = 5;

/// The order completions and typo candidates are taken in: most documents first, then by term.
pub fn by_df_then_term(a: (usize, &str), b: (usize, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

/// Scale of quantised idf values (idf × 1000).
pub const IDF_SCALE: f64 = 1000.0;

/// Appends `v` as a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Appends `s` as its byte length (varint) and its UTF-8 bytes.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Encodes postings (sorted doc ids with impacts) in the smaller of the two encodings.
pub fn encode_postings(out: &mut Vec<u8>, postings: &[(u32, u8)], num_docs: u32) {
    let mut deltas = Vec::new();
    let mut prev = 0u32;
    for (i, (d, _)) in postings.iter().enumerate() {
        put_varint(&mut deltas, u64::from(if i == 0 { *d } else { d - prev }));
        prev = *d;
    }
    let bitset_len = num_docs.div_ceil(8) as usize;
    if bitset_len < deltas.len() {
        out.push(1);
        let mut bits = vec![0u8; bitset_len];
        for (d, _) in postings {
            bits[(*d / 8) as usize] |= 1 << (d % 8);
        }
        out.extend_from_slice(&bits);
    } else {
        out.push(0);
        out.extend_from_slice(&deltas);
    }
    out.extend(postings.iter().map(|p| p.1));
}

/// Packs a file of the index: zlib-compressed when that is smaller, stored otherwise.
pub fn pack(raw: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(raw.len() / 2 + 64),
        flate2::Compression::new(6),
    );
    match z.write_all(raw).and_then(|()| z.finish()) {
        Ok(z) if z.len() < raw.len() => [&[1], &z[..]].concat(),
        _ => [&[0], raw].concat(),
    }
}

/// Unpacks a file written by [`pack`]; `name` is for the error.
pub fn unpack(packed: &[u8], name: &str) -> Result<Vec<u8>, SearchError> {
    let corrupt = |reason: &str| SearchError::Corrupt {
        path: name.to_string(),
        reason: reason.to_string(),
    };
    match packed.split_first() {
        Some((0, raw)) => Ok(raw.to_vec()),
        Some((1, z)) => {
            let mut raw = Vec::with_capacity(z.len() * 3);
            std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(z), &mut raw)
                .map(|_| raw)
                .map_err(|e| corrupt(&format!("cannot inflate: {e}")))
        }
        Some((c, _)) => Err(corrupt(&format!("unknown codec {c}"))),
        None => Err(corrupt("empty file")),
    }
}

/// A reading cursor over one file.
pub struct Reader<'a> {
    /// The file's bytes, unpacked.
    pub buf: &'a [u8],
    /// Where the next read starts.
    pub pos: usize,
    /// The file's path, for errors.
    pub name: &'a str,
}

impl<'a> Reader<'a> {
    /// A cursor at the start of `buf`, the file `name`.
    pub fn new(buf: &'a [u8], name: &'a str) -> Self {
        Reader { buf, pos: 0, name }
    }

    /// The error for a damaged file, at the cursor.
    pub fn corrupt(&self, reason: &str) -> SearchError {
        SearchError::Corrupt {
            path: self.name.to_string(),
            reason: format!("{reason} at byte {}", self.pos),
        }
    }

    /// One byte.
    pub fn byte(&mut self) -> Result<u8, SearchError> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or_else(|| self.corrupt("unexpected end"))?;
        self.pos += 1;
        Ok(b)
    }

    /// A LEB128 varint.
    pub fn varint(&mut self) -> Result<u64, SearchError> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            if shift > 63 {
                return Err(self.corrupt("varint too long"));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], SearchError> {
        if self.pos + n > self.buf.len() {
            return Err(self.corrupt("unexpected end"));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// A fingerprint written by [`put_fp`].
    pub fn fp(&mut self) -> Result<u32, SearchError> {
        let b = self.bytes(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A string written by [`put_str`].
    pub fn string(&mut self) -> Result<String, SearchError> {
        let n = self.varint()? as usize;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| self.corrupt("invalid UTF-8"))
    }

    /// A count, then that many strings.
    pub fn strings(&mut self) -> Result<Vec<String>, SearchError> {
        let n = self.varint()? as usize;
        (0..n).map(|_| self.string()).collect()
    }

    /// Decodes postings written by [`encode_postings`] for a term of document frequency `df`.
    pub fn postings(&mut self, df: usize, num_docs: u32) -> Result<Vec<(u32, u8)>, SearchError> {
        let encoding = self.byte()?;
        let mut docs = Vec::with_capacity(df);
        match encoding {
            0 => {
                let mut prev = 0u64;
                for i in 0..df {
                    let d = self.varint()?;
                    prev = if i == 0 { d } else { prev + d };
                    docs.push(prev as u32);
                }
            }
            1 => {
                let bits = self.bytes(num_docs.div_ceil(8) as usize)?;
                for (i, b) in bits.iter().enumerate() {
                    for j in 0..8 {
                        if b & (1 << j) != 0 {
                            docs.push((i * 8 + j) as u32);
                        }
                    }
                }
                if docs.len() != df {
                    return Err(self.corrupt("bitset does not match df"));
                }
            }
            _ => return Err(self.corrupt("unknown postings encoding")),
        }
        let impacts = self.bytes(df)?;
        Ok(docs.into_iter().zip(impacts.iter().copied()).collect())
    }
}

/// Standard base64 (for the `.js` twins of binary files).
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        s.push(A[(n >> 18) as usize & 63] as char);
        s.push(A[(n >> 12) as usize & 63] as char);
        s.push(if c.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        s.push(if c.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_postings_round_trip() {
        let mut b = Vec::new();
        put_varint(&mut b, 300);
        put_str(&mut b, "ရေ");
        let sparse = vec![(3, 10), (700, 255)];
        encode_postings(&mut b, &sparse, 1000);
        let dense: Vec<(u32, u8)> = (0..40).map(|d| (d, 1)).collect();
        encode_postings(&mut b, &dense, 40);
        let mut r = Reader::new(&b, "t");
        assert_eq!(r.varint().unwrap(), 300);
        assert_eq!(r.string().unwrap(), "ရေ");
        assert_eq!(r.postings(2, 1000).unwrap(), sparse);
        assert_eq!(r.postings(40, 40).unwrap(), dense);
        assert_eq!(r.pos, b.len());
    }

    #[test]
    fn packing_round_trips_and_keeps_the_smaller_form() {
        let text = "water supply ".repeat(50).into_bytes();
        let packed = pack(&text);
        assert_eq!(packed[0], 1);
        assert!(packed.len() < text.len() / 4);
        assert_eq!(unpack(&packed, "t").unwrap(), text);
        let tiny = pack(b"ab");
        assert_eq!(tiny, b"\0ab");
        assert_eq!(unpack(&tiny, "t").unwrap(), b"ab");
        assert!(unpack(&[1, 9, 9], "d/1.bin").is_err());
        assert!(unpack(&[7], "d/1.bin").is_err());
        assert!(unpack(&[], "d/1.bin").is_err());
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }
}
