//! Bench on a synthetic 10,000-page multilingual corpus (ignored by default; run with
//! `cargo test --release --test search_bench -- --ignored --nocapture`): build time of the
//! index and bytes a query fetches from a cold cache (manifest included).

use std::path::Path;
use std::time::Instant;

use kizuna::search::{query_with_stats, write_index, QueryOptions, SearchDoc};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Zipf-like rank in 0..n.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) - 1.0) as usize
    }
}

const COMMON: &str =
    "the of and to in a is that for it as was with be by on not he this are or his from \
at which but have an they you were her she there been one all we their has would when if so no \
water waste city cities kitakyushu cooperation project environment supply management school \
pupils lesson engineers plant japan government energy air pollution sewerage recycling compost \
surabaya phnom penh dalian mandalay hai phong takakura jica agreement sister friendship green \
ecology note education river treatment quality people year years tonnes percent method";

fn corpus(n: usize) -> Vec<SearchDoc> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search");
    let mut by_lang: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for f in ["my", "ja", "km", "vi", "id"] {
        let docs: Vec<SearchDoc> =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{f}.json"))).unwrap())
                .unwrap();
        let sentences = by_lang.entry(f.to_string()).or_default();
        for d in docs {
            for s in d.body.split(['。', '။', '។', '.']) {
                if !s.trim().is_empty() {
                    sentences.push(s.trim().to_string());
                }
            }
        }
    }
    let common: Vec<&str> = COMMON.split_whitespace().collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let syll = [
        "ka", "to", "ri", "sa", "mu", "ne", "lo", "pa", "chi", "ban", "dor", "el", "fin", "gra",
        "hu", "ist", "jo", "ku", "ment", "tion",
    ];
    let vocab: Vec<String> = (0..40_000)
        .map(|i| {
            let mut w = String::new();
            let mut x = i + 7;
            for _ in 0..(2 + i % 3) {
                w.push_str(syll[x % syll.len()]);
                x = x / syll.len() + i * 31 % 17;
            }
            w
        })
        .collect();
    let kinds = [
        "case_study",
        "agreement",
        "event",
        "city",
        "programme",
        "lesson",
        "page",
    ];
    let cities = [
        "surabaya",
        "phnom-penh",
        "dalian",
        "mandalay",
        "hai-phong",
        "kitakyushu",
        "cebu",
        "penang",
    ];
    let fields = ["water", "waste", "air", "energy", "education", "sewerage"];
    (0..n)
        .map(|i| {
            let r = rng.below(100);
            let lang = match r {
                0..=59 => "en",
                60..=69 => "vi",
                70..=79 => "ja",
                80..=87 => "my",
                88..=95 => "km",
                _ => "id",
            };
            let mut body = String::new();
            let mut title = String::new();
            if lang == "en" {
                for k in 0..(300 + rng.below(600)) {
                    let z = rng.zipf(vocab.len() + common.len());
                    let w = if z < common.len() {
                        common[z]
                    } else {
                        &vocab[z - common.len()]
                    };
                    body.push_str(w);
                    body.push(' ');
                    if k < 6 {
                        title.push_str(w);
                        title.push(' ');
                    }
                }
            } else {
                let s = &by_lang[lang];
                for k in 0..(4 + rng.below(10)) {
                    let x = &s[rng.below(s.len())];
                    if k == 0 {
                        title = x.chars().take(20).collect();
                    }
                    body.push_str(x);
                    body.push_str(if lang == "ja" { "。" } else { ". " });
                }
            }
            SearchDoc {
                url: format!("/{lang}/p/{i}/"),
                title,
                lang: lang.into(),
                kind: kinds[rng.below(kinds.len())].into(),
                description: body.chars().take(120).collect(),
                headings: vec![],
                body,
                cities: vec![cities[rng.below(cities.len())].into()],
                fields: vec![fields[rng.below(fields.len())].into()],
                year: Some(1979 + rng.below(46) as i32),
            }
        })
        .collect()
}

/// User + system CPU seconds of this process (Linux), to measure work on a busy machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

#[test]
#[ignore]
fn bench_10000_pages() {
    let docs = corpus(10_000);
    let text: usize = docs
        .iter()
        .map(|d| d.body.len() + d.title.len() + d.description.len())
        .sum();
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let cpu0 = cpu_seconds();
    let stats = write_index(&docs, dir.path()).unwrap();
    let cpu = cpu_seconds() - cpu0;
    let build = t.elapsed();
    let size =
        |p: &str| std::fs::metadata(dir.path().join("search").join(p)).map_or(0, |m| m.len());
    let avg = |sub: &str| {
        let (mut n, mut b) = (0u64, 0u64);
        for e in std::fs::read_dir(dir.path().join("search").join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "bin") {
                n += 1;
                b += std::fs::metadata(&p).unwrap().len();
            }
        }
        (n, b / n.max(1))
    };
    eprintln!(
        "manifest {} bytes; shards {:?}, postings files {:?}, doc files {:?} (count, average bytes); \
         index CPU time {cpu:.2} s",
        size("manifest.bin"),
        avg("s"),
        avg("p"),
        avg("d")
    );
    eprintln!(
        "10,000 pages ({} MiB of text): index written in {:.2?}: {} terms, {} shards, {:.1} MiB",
        text >> 20,
        build,
        stats.terms,
        stats.shards,
        stats.bytes as f64 / 1048576.0
    );
    let queries = [
        "water supply",
        "phnom penh water",
        "takakura compost",
        "the",
        "kitakyushu",
        "ecology note",
        "surabya",
        "mandalay waste",
        "wat",
        "\"sister city\"",
        "大気汚染",
        "မြေဆွေး",
        "ទឹកស្អាត",
        "nước sạch",
        "pengomposan",
        "kamenttion",
    ];
    let mut total = 0;
    let mut max = 0;
    for q in queries {
        let opts = QueryOptions {
            limit: 8,
            prefer_lang: Some("en".into()),
            ..Default::default()
        };
        let t = Instant::now();
        let (n, hits, qs) = query_with_stats(dir.path(), q, &opts, None).unwrap();
        eprintln!(
            "{q:>20}: {n:>5} matches, {:>2} shown, {:>6} bytes in {:>2} files, {:.1?}",
            hits.len(),
            qs.bytes,
            qs.files,
            t.elapsed()
        );
        total += qs.bytes;
        max = max.max(qs.bytes);
    }
    eprintln!(
        "bytes per query (cold cache, manifest included): mean {} KiB, max {} KiB",
        total / queries.len() as u64 / 1024,
        max / 1024
    );
    assert!(max < 60 * 1024, "a query fetched {max} bytes");
}
