//! Rulebook import, JSON round trip (how the store keeps it), search-index build and query
//! latency on the shared reference files.
//!
//! `cargo bench -p sekisho-rules --bench rulebook` (set `SEKISHO_SHARED_DATA` if the data
//! is not at `../shared/data`). Prints medians and spreads; figures go into BENCHMARKS.md.

use std::time::{Duration, Instant};

use sekisho_rules::{Regime, Rulebook, SearchIndex, SearchQuery};

const QUERIES: &[(&str, Option<Regime>)] = &[
    ("3A090", None),
    ("3a001.b.2", None),
    ("2の項(12)", None),
    ("machine tools", None),
    ("processing performance", None),
    ("intrusion software", None),
    ("encryption", None),
    ("工作機械", None),
    ("数値制御", None),
    ("集積回路", Some(Regime::Eu)),
    ("ジャイロスコープ", None),
    ("unmanned aerial vehicles", None),
    ("carbon fibre", None),
    ("vacuum pumps", Some(Regime::Us)),
];

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!("median {:.2?}, p99 {:.2?}, min {:.2?}, max {:.2?} (n={})", at(0.5), at(0.99), samples[0], samples[samples.len() - 1], samples.len())
}

fn main() {
    let Some(data) = sekisho_lists::shared_data_dir() else { return };
    let dir = data.join("control");
    let runs = 10;

    let mut imports = Vec::new();
    let mut book = None;
    for _ in 0..runs {
        let (b, t) = timed(|| Rulebook::import(&dir).expect("import"));
        imports.push(t);
        book = Some(b);
    }
    let book = book.expect("at least one run");
    println!("import ({} sources): {}", book.version.sources.len(), summary(imports));

    let json = serde_json::to_string(&book).expect("serialise");
    let mut reads = Vec::new();
    for _ in 0..runs {
        let (_, t) = timed(|| serde_json::from_str::<Rulebook>(&json).expect("deserialise"));
        reads.push(t);
    }
    println!("stored JSON {} bytes; read back: {}", json.len(), summary(reads));

    let mut builds = Vec::new();
    for _ in 0..runs {
        let (_, t) = timed(|| SearchIndex::build(&book));
        builds.push(t);
    }
    println!("search index build: {}", summary(builds));

    let index = SearchIndex::build(&book);
    let mut all = Vec::new();
    for (text, regime) in QUERIES {
        let query = SearchQuery { text: text.to_string(), regime: *regime, limit: 10 };
        let mut samples = Vec::new();
        for _ in 0..50 {
            let (hits, t) = timed(|| index.search(&query));
            std::hint::black_box(hits);
            samples.push(t);
        }
        println!("  {text:>26}: {}", summary(samples.clone()));
        all.extend(samples);
    }
    println!("all queries: {}", summary(all));
}
