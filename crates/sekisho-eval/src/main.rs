//! `sekisho-eval`: sekisho's own evaluation sets, built from the shared lists at run time,
//! and the one command that measures the matching engine on them.
//!
//! ```sh
//! cargo run --release -p sekisho-eval -- run                 # dev and held-out tables
//! cargo run --release -p sekisho-eval -- run --split dev --dump-failures target/eval-failures.jsonl
//! cargo run --release -p sekisho-eval -- build               # set sizes per split
//! cargo run --release -p sekisho-eval -- export-pairs target/eval-pairs.jsonl
//! ```
//!
//! Nothing from the shared data is committed: the sets are made from the list files each
//! time (see [`sets`] for the rules, [`corpus`] for how entities of different lists are
//! linked into one party, [`split`] for the dev / held-out rule, [`run`] for the measures).

mod corpus;
mod run;
mod sets;
mod split;

use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use sekisho_match::{ScreeningIndexBuilder, compare};
use sekisho_model::Schema;

use corpus::{Corpus, LIST_FOLDERS};
use sets::{PAIR_SETS, SCREEN_SETS, Sets};
use split::Split;

#[derive(Parser)]
#[command(name = "sekisho-eval", about = "Evaluation sets from the shared lists, and sekisho's scores on them")]
struct Cli {
    /// The shared data folder (default: `$SEKISHO_SHARED_DATA`, else `shared/data` beside
    /// the repository).
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SplitArg {
    Dev,
    Heldout,
    All,
}

impl SplitArg {
    fn splits(self) -> Vec<Split> {
        match self {
            SplitArg::Dev => vec![Split::Dev],
            SplitArg::Heldout => vec![Split::Heldout],
            SplitArg::All => vec![Split::Dev, Split::Heldout],
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the sets and print their sizes per split (optionally write them as JSON lines).
    Build {
        /// Write cases.jsonl, pairs.jsonl and clean.jsonl into this folder.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Measure the engine: precision, recall, F1, recall@1, candidate recall, clean alert
    /// rate, throughput; pairs through `compare`.
    Run {
        /// Which split to report; `all` reports dev and held-out separately.
        #[arg(long, value_enum, default_value = "all")]
        split: SplitArg,
        /// Only this set (a screening or pair set name, or `clean-names`).
        #[arg(long)]
        set: Option<String>,
        /// JSON instead of tables.
        #[arg(long)]
        json: bool,
        /// Write the DEV split's failures to this file (JSON lines).
        #[arg(long)]
        dump_failures: Option<PathBuf>,
    },
    /// Write the labelled pairs as JSON lines (`{"id","schema"?,"a","b","label","set","split"}`),
    /// the input of `sekisho compare --jsonl` and of scripts/peer_nomenklatura.py.
    ExportPairs {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "all")]
        split: SplitArg,
    },
    /// Score pairs (JSON lines with `id`, `a`, `b`, optional `schema`) with `compare` on one
    /// thread; write `{"id","score","match"}` lines and report pairs/s on stderr.
    ScorePairs { input: PathBuf, output: PathBuf },
    /// Screen one name against the evaluation index and time it (for studying a failure).
    Probe {
        name: String,
        /// Person, Organization, Company, LegalEntity, Vessel or Airplane.
        #[arg(long)]
        schema: Option<String>,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::ScorePairs { input, output } = &cli.command {
        return score_pairs(input, output);
    }
    let data = match cli.data.clone() {
        Some(d) => d,
        None => match sekisho_lists::shared_data_dir() {
            Some(d) => d,
            None => bail!("shared data not found: pass --data DIR or set SEKISHO_SHARED_DATA"),
        },
    };
    let started = Instant::now();
    let corpus = Corpus::load(&data)?;
    let sets = Sets::build(&corpus);
    eprintln!(
        "data: {} ({}); {} entities, links {:?}; sets built in {:.1} s",
        data.display(),
        LIST_FOLDERS.join(", "),
        corpus.entities.len(),
        corpus.links.iter().map(|(r, n)| format!("{}={n}", r.as_str())).collect::<Vec<_>>(),
        started.elapsed().as_secs_f64()
    );
    match cli.command {
        Command::Build { out } => build(&sets, out),
        Command::Run { split, set, json, dump_failures } => run(&corpus, &sets, split, set, json, dump_failures),
        Command::ExportPairs { file, split } => export_pairs(&sets, &file, split),
        Command::ScorePairs { .. } => unreachable!(),
        Command::Probe { name, schema } => probe(&corpus, &name, schema.as_deref()),
    }
}

fn build(sets: &Sets, out: Option<PathBuf>) -> Result<()> {
    println!("{:<24} {:>8} {:>8} {:>8}", "screening cases", "dev", "heldout", "total");
    for set in SCREEN_SETS {
        let n = |s| sets.cases.iter().filter(|c| c.set == set && c.split == s).count();
        println!("{set:<24} {:>8} {:>8} {:>8}", n(Split::Dev), n(Split::Heldout), n(Split::Dev) + n(Split::Heldout));
    }
    println!("\n{:<24} {:>8} {:>8} {:>8} {:>8}", "labelled pairs", "dev", "heldout", "total", "positive");
    for set in PAIR_SETS {
        let n = |s| sets.pairs.iter().filter(|p| p.set == set && p.split == s).count();
        let pos = sets.pairs.iter().filter(|p| p.set == set && p.label).count();
        println!("{set:<24} {:>8} {:>8} {:>8} {:>8}", n(Split::Dev), n(Split::Heldout), n(Split::Dev) + n(Split::Heldout), pos);
    }
    println!("\n{:<24} {:>8} {:>8} {:>8}", "clean names", "dev", "heldout", "total");
    let kinds: Vec<&str> = sets.clean.iter().map(|c| c.kind).fold(Vec::new(), |mut v, k| {
        if !v.contains(&k) {
            v.push(k);
        }
        v
    });
    for kind in kinds {
        let n = |s| sets.clean.iter().filter(|c| c.kind == kind && c.split == s).count();
        println!("{kind:<24} {:>8} {:>8} {:>8}", n(Split::Dev), n(Split::Heldout), n(Split::Dev) + n(Split::Heldout));
    }
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir)?;
        let mut w = BufWriter::new(std::fs::File::create(dir.join("cases.jsonl"))?);
        for c in &sets.cases {
            let line = serde_json::json!({"set": c.set, "split": c.split, "query": c.query, "schema": c.schema, "target": c.target});
            writeln!(w, "{line}")?;
        }
        let mut w = BufWriter::new(std::fs::File::create(dir.join("pairs.jsonl"))?);
        for p in &sets.pairs {
            writeln!(w, "{}", serde_json::to_string(p)?)?;
        }
        let mut w = BufWriter::new(std::fs::File::create(dir.join("clean.jsonl"))?);
        for c in &sets.clean {
            writeln!(w, "{}", serde_json::json!({"kind": c.kind, "split": c.split, "name": c.name}))?;
        }
        eprintln!("sets written to {}", dir.display());
    }
    Ok(())
}

fn run(
    corpus: &Corpus,
    sets: &Sets,
    split: SplitArg,
    only: Option<String>,
    json: bool,
    dump: Option<PathBuf>,
) -> Result<()> {
    if let Some(set) = &only {
        let known = SCREEN_SETS.contains(&set.as_str()) || PAIR_SETS.contains(&set.as_str()) || set == "clean-names";
        if !known {
            bail!("unknown set {set:?}: one of {}, {}, clean-names", SCREEN_SETS.join(", "), PAIR_SETS[4]);
        }
    }
    let wanted = |set: &str| only.as_deref().is_none_or(|o| o == set);
    let start = Instant::now();
    let index = ScreeningIndexBuilder::new().build(&corpus.entities);
    let build = start.elapsed();
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for s in split.splits() {
        let cases: Vec<_> = sets.cases.iter().filter(|c| c.split == s && wanted(c.set)).collect();
        let pairs: Vec<_> = sets.pairs.iter().filter(|p| p.split == s && wanted(p.set)).collect();
        let clean: Vec<_> = sets.clean.iter().filter(|c| c.split == s && wanted("clean-names")).collect();
        let outcome = run::run(corpus, &index, &cases, &pairs, &clean, dump.is_some() && s == Split::Dev);
        if json {
            reports.push(outcome.to_json(s.as_str(), build));
        } else {
            outcome.print(s.as_str(), build);
            println!();
        }
        failures.extend(outcome.failures);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    if let Some(path) = dump {
        let mut w = BufWriter::new(std::fs::File::create(&path).with_context(|| path.display().to_string())?);
        for f in &failures {
            writeln!(w, "{}", serde_json::to_string(f)?)?;
        }
        eprintln!("{} dev failures written to {}", failures.len(), path.display());
    }
    Ok(())
}

fn export_pairs(sets: &Sets, file: &PathBuf, split: SplitArg) -> Result<()> {
    let splits = split.splits();
    let mut w = BufWriter::new(std::fs::File::create(file)?);
    let mut n = 0;
    for p in sets.pairs.iter().filter(|p| splits.contains(&p.split)) {
        writeln!(w, "{}", serde_json::to_string(p)?)?;
        n += 1;
    }
    eprintln!("{n} pairs written to {}", file.display());
    Ok(())
}

fn score_pairs(input: &PathBuf, output: &PathBuf) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct In {
        id: String,
        schema: Option<String>,
        a: String,
        b: String,
    }
    let reader = std::io::BufReader::new(std::fs::File::open(input).with_context(|| input.display().to_string())?);
    let mut pairs = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if !line.trim().is_empty() {
            pairs.push(serde_json::from_str::<In>(&line)?);
        }
    }
    let start = Instant::now();
    let scored: Vec<_> = pairs
        .iter()
        .map(|p| compare(&p.a, &p.b, p.schema.as_deref().and_then(Schema::parse)))
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    let mut w = BufWriter::new(std::fs::File::create(output)?);
    for (p, c) in pairs.iter().zip(&scored) {
        writeln!(w, "{}", serde_json::json!({"id": p.id, "score": c.score, "match": c.is_match}))?;
    }
    eprintln!("{} pairs in {seconds:.3} s: {:.0} pairs/s (one thread)", pairs.len(), pairs.len() as f64 / seconds);
    Ok(())
}

fn probe(corpus: &Corpus, name: &str, schema: Option<&str>) -> Result<()> {
    let index = ScreeningIndexBuilder::new().build(&corpus.entities);
    let query = sekisho_match::Query { name: name.to_string(), schema: schema.and_then(Schema::parse), ..Default::default() };
    let options = sekisho_match::ScreenOptions { limit: 10, threshold: 0.0 };
    let start = Instant::now();
    let matches = index.screen(&query, &options);
    let screen = start.elapsed();
    let start = Instant::now();
    let candidates = index.candidates(&query, run::WIDE_CANDIDATES);
    let cands = start.elapsed();
    println!("screen: {:.1} ms, candidates({}): {:.1} ms", screen.as_secs_f64() * 1e3, candidates.len(), cands.as_secs_f64() * 1e3);
    for m in matches {
        println!("{:.3} {} {:?} [{}]", m.score, m.entity_id, m.matched_name, m.explanation.summary);
    }
    Ok(())
}
