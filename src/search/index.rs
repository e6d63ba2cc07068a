//! Build-time indexing with tantivy: documents are analysed (in parallel, by
//! [`super::analyse`]), indexed in RAM by tantivy, and the term dictionary, postings, field norms
//! and BM25 statistics are read back from tantivy's index to produce per-term postings with
//! impacts (the weighted BM25 tf part of every field), ready for export.

use rayon::prelude::*;
use std::collections::BTreeMap;

use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::Token;
use tantivy::{DocSet, Index, IndexWriter, TantivyDocument, TERMINATED};

use super::analyse;
use super::{SearchDoc, SearchError};

/// Levels of a quantised impact (1..=63): finer steps did not rank the judged queries better, and the
/// smaller alphabet compresses the postings files by a quarter.
const IMPACT_LEVELS: f32 = 63.0;

/// Fields of the tantivy index and their weight in the impact of a term.
pub const FIELDS: [(&str, f32); 5] = [
    ("title", 3.0),
    ("headings", 1.5),
    ("description", 1.5),
    ("body", 1.0),
    ("facets", 1.0),
];

/// The analysed index, in export order.
pub struct Built {
    /// Documents numbered by (lang, kind, url). Their bodies went to the index and are empty here.
    pub docs: Vec<SearchDoc>,
    /// Each document's excerpt source ([`super::export::excerpt_source`]), in document order.
    pub excerpts: Vec<String>,
    /// Terms in byte order, each with its postings (doc number, impact 1..=63).
    pub terms: Vec<(String, Vec<(u32, u8)>)>,
}

fn tantivy_tokens(text: &str) -> Vec<Token> {
    analyse::index_tokens(text)
        .into_iter()
        .map(|t| Token {
            offset_from: t.start,
            offset_to: t.end,
            position: t.position as usize,
            text: t.term,
            position_length: 1,
        })
        .collect()
}

/// The analyser as a tantivy tokenizer, registered as `kizuna` (tantivy's pre-tokenized documents
/// are avoided: it stores their tokens as JSON and parses them back, a sixth of a build's time).
#[derive(Clone, Default)]
pub struct KizunaTokenizer;

/// Token stream of [`KizunaTokenizer`].
pub struct KizunaTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl tantivy::tokenizer::Tokenizer for KizunaTokenizer {
    type TokenStream<'a> = KizunaTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> KizunaTokenStream {
        KizunaTokenStream {
            tokens: tantivy_tokens(text),
            next: 0,
        }
    }
}

impl tantivy::tokenizer::TokenStream for KizunaTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The place of the body in [`FIELDS`]: [`build`] moves it into the index itself.
const BODY: usize = 3;

/// The texts of each field of a document, in [`FIELDS`] order, but the body's ([`BODY`]).
fn field_texts(d: &SearchDoc) -> [Vec<&str>; 5] {
    let mut facets: Vec<&str> = d.cities.iter().map(String::as_str).collect();
    facets.extend(d.fields.iter().map(String::as_str));
    [
        vec![d.title.as_str()],
        d.headings.iter().map(String::as_str).collect(),
        vec![d.description.as_str()],
        Vec::new(),
        facets,
    ]
}

/// Analyses and indexes `docs` with tantivy and reads the postings back.
pub fn build(mut docs: Vec<SearchDoc>) -> Result<Built, SearchError> {
    docs.sort_by(|a, b| (&a.lang, &a.kind, &a.url).cmp(&(&b.lang, &b.kind, &b.url)));

    let mut schema = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("kizuna")
        .set_index_option(IndexRecordOption::WithFreqs)
        .set_fieldnorms(true);
    let fields: Vec<Field> = FIELDS
        .iter()
        .map(|(name, _)| {
            schema.add_text_field(
                name,
                TextOptions::default().set_indexing_options(indexing.clone()),
            )
        })
        .collect();
    let ord = schema.add_u64_field("ord", NumericOptions::default().set_fast());
    let index = Index::create_in_ram(schema.build());
    index.tokenizers().register(
        "kizuna",
        tantivy::tokenizer::TextAnalyzer::from(KizunaTokenizer),
    );

    // Analysis is the expensive part: tantivy's indexing threads run the analyser, one per core.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, threads * (48 << 20))?;
    // The body, the largest part, moves into the index: only its excerpt is kept.
    let excerpts: Vec<String> = docs
        .par_iter()
        .map(|d| super::export::excerpt_source(&d.description, &d.body))
        .collect();
    for (i, d) in docs.iter_mut().enumerate() {
        let mut doc = TantivyDocument::new();
        doc.add_u64(ord, i as u64);
        let body = std::mem::take(&mut d.body);
        for (f, texts) in fields.iter().zip(field_texts(d)) {
            for t in texts {
                doc.add_text(*f, t);
            }
        }
        doc.add_text(fields[BODY], body);
        writer.add_document(doc)?;
    }
    writer.commit()?;
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();

    let num_docs = docs.len() as u64;
    // Average field lengths over all segments, as tantivy's BM25 uses them.
    let mut scorers = Vec::new();
    for f in &fields {
        let mut tokens = 0u64;
        for seg in searcher.segment_readers() {
            tokens += seg.inverted_index(*f)?.total_num_tokens();
        }
        let avg = if num_docs == 0 {
            1.0
        } else {
            (tokens as f32 / num_docs as f32).max(1.0)
        };
        // The tf part only: idf is applied globally at query time.
        let w = Bm25Weight::for_one_term(1, num_docs.max(1), avg);
        let max = w.max_score();
        scorers.push((w, max));
    }

    let max_impact: f32 = FIELDS.iter().map(|f| f.1).sum();
    let mut acc: BTreeMap<Vec<u8>, Vec<(u32, f32)>> = BTreeMap::new();
    for seg in searcher.segment_readers() {
        let ords = seg.fast_fields().u64("ord")?;
        for (fi, f) in fields.iter().enumerate() {
            let inv = seg.inverted_index(*f)?;
            let norms = seg.get_fieldnorms_reader(*f)?;
            let (bm25, max) = &scorers[fi];
            let weight = FIELDS[fi].1;
            let mut stream = inv.terms().stream().map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let info = stream.value().clone();
                let list = acc.entry(stream.key().to_vec()).or_default();
                let mut postings = inv
                    .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)
                    .map_err(tantivy::TantivyError::from)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let tf = postings.term_freq();
                    let s = bm25.score(norms.fieldnorm_id(doc), tf) / max;
                    let o = ords.first(doc).unwrap_or(0) as u32;
                    list.push((o, weight * s));
                    doc = postings.advance();
                }
            }
        }
    }

    let terms = acc
        .into_iter()
        .filter_map(|(k, mut list)| {
            let term = String::from_utf8(k).ok()?;
            list.sort_by_key(|p| p.0);
            let mut merged: Vec<(u32, u8)> = Vec::with_capacity(list.len());
            let mut i = 0;
            while i < list.len() {
                let d = list[i].0;
                let mut sum = 0.0f32;
                while i < list.len() && list[i].0 == d {
                    sum += list[i].1;
                    i += 1;
                }
                let q = (sum / max_impact * IMPACT_LEVELS)
                    .round()
                    .clamp(1.0, IMPACT_LEVELS) as u8;
                merged.push((d, q));
            }
            Some((term, merged))
        })
        .collect();
    Ok(Built {
        docs,
        excerpts,
        terms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, lang: &str, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            lang: lang.into(),
            kind: "page".into(),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn title_weighs_more_than_body() {
        let built = build(vec![
            doc("/b/", "en", "Other", "compost compost and more words here"),
            doc(
                "/a/",
                "en",
                "Compost",
                "nothing related at all in this body",
            ),
        ])
        .unwrap();
        assert_eq!(built.docs[0].url, "/a/");
        let (_, postings) = built.terms.iter().find(|t| t.0 == "compost").unwrap();
        assert_eq!(postings.len(), 2);
        assert!(postings[0].1 > postings[1].1, "{postings:?}");
    }
}
