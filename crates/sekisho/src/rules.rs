//! `sekisho rules ...` (import and show the rulebook of official control-list data) and
//! `sekisho classify ...` (search the control lists, record classification decisions).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use sekisho_rules::{Regime, Rulebook, SearchIndex, SearchQuery};
use sekisho_store::{RulebookStored, Store};

use crate::home::Home;

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Import the rulebook from the official reference files (US EAR digests, EU annex.json,
    /// 輸出貿易管理令 e-Gov XML). Identical files make no new version.
    Import {
        /// Folder with us-ear/, eu-dual-use/ and jp-egov/ (default: $SEKISHO_SHARED_DATA/control,
        /// else ../shared/data/control beside the checkout).
        dir: Option<PathBuf>,
    },
    /// Show the rulebook versions, the sources of the newest and what it holds.
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ClassifyCommand {
    /// Search the control-list texts (Japanese or English) by code, keyword or parameter.
    Search {
        query: String,
        /// Only jp, us or eu entries.
        #[arg(long)]
        regime: Option<Regime>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Record a classification decision (該非判定) for an item; a change is a new version.
    Record {
        /// The item: part number or product name.
        #[arg(long)]
        item: String,
        #[arg(long)]
        regime: Regime,
        /// The entry (3A001.a.1, 2の項(12), 5D002), not-listed, or EAR99 (US).
        #[arg(long)]
        code: String,
        #[arg(long)]
        justification: String,
        /// Who decided (default: the actor).
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show every decision recorded for an item, oldest first.
    Show {
        #[arg(long)]
        item: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run_rules(home: &Home, actor: &str, command: RulesCommand) -> Result<()> {
    let mut store = home.open_store()?;
    match command {
        RulesCommand::Import { dir } => {
            let dir = dir.unwrap_or_else(|| crate::data_dir::shared_data("control"));
            let started = std::time::Instant::now();
            let book = Rulebook::import(&dir).with_context(|| format!("cannot import the rulebook from {}", dir.display()))?;
            let stored = store.put_rulebook(actor, &book)?;
            let (word, info) = match &stored {
                RulebookStored::New(info) => ("imported", info),
                RulebookStored::Unchanged(info) => ("unchanged", info),
            };
            outln!("{word} rulebook {} (version {})", info.id, info.seq)?;
            print_counts(&info.counts)?;
            for difference in &book.jp.digest_differences {
                outln!("note: {difference}")?;
            }
            eprintln!("{} in {:.2?}", dir.display(), started.elapsed());
            Ok(())
        }
        RulesCommand::Show { json } => show(&store, json),
    }
}

fn print_counts(counts: &std::collections::BTreeMap<String, usize>) -> Result<()> {
    let line: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    outln!("  {}", line.join(", "))?;
    Ok(())
}

fn show(store: &Store, json: bool) -> Result<()> {
    let versions = store.rulebook_versions()?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&versions)?)?;
        return Ok(());
    }
    let Some(latest) = versions.last() else {
        outln!("no rulebook; run `sekisho rules import`")?;
        return Ok(());
    };
    outln!("{:<4} {:<20} id", "ver", "imported")?;
    for v in &versions {
        outln!("{:<4} {:<20} {}", v.seq, v.imported_at, v.id)?;
    }
    outln!("\nin service: version {} ({})", latest.seq, latest.id)?;
    print_counts(&latest.counts)?;
    outln!("sources:")?;
    for s in &latest.sources {
        outln!("  {} — {} (data {}), sha256 {}", s.name, s.file, s.data_date, &s.sha256[..16])?;
        outln!("    cite: {}", s.citation)?;
        outln!("    credit: {}", s.credit)?;
    }
    Ok(())
}

fn latest(store: &Store) -> Result<Rulebook> {
    store.latest_rulebook()?.context("no rulebook in the store; run `sekisho rules import` first")
}

pub fn run_classify(home: &Home, actor: &str, command: ClassifyCommand) -> Result<()> {
    let mut store = home.open_store()?;
    match command {
        ClassifyCommand::Search { query, regime, limit, json } => {
            let book = latest(&store)?;
            let hits = SearchIndex::build(&book).search(&SearchQuery { text: query.clone(), regime, limit });
            if json {
                outln!("{}", serde_json::to_string_pretty(&hits)?)?;
                return Ok(());
            }
            if hits.is_empty() {
                outln!("no entries match {query:?}")?;
                return Ok(());
            }
            for (i, hit) in hits.iter().enumerate() {
                let how = if hit.reasons.is_empty() { format!("words: {}", hit.matched.join(", ")) } else { hit.reasons.join("; ") };
                outln!("{:>2}. {} {:<10} {:>7.1}  {}", i + 1, hit.regime.as_str().to_uppercase(), hit.code, hit.score, hit.citation)?;
                outln!("    {}", truncate(&hit.heading, 110))?;
                outln!("    {}", truncate(&hit.excerpt, 220))?;
                outln!("    found by {}", truncate(&how, 200))?;
            }
            Ok(())
        }
        ClassifyCommand::Record { item, regime, code, justification, by, json } => {
            let book = latest(&store)?;
            let resolved = book.resolve_code(regime, &code)?;
            let by = by.unwrap_or_else(|| actor.to_string());
            let record = store.record_classification(actor, &by, &item, &resolved, &justification, &book.version.id)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&record)?)?;
            } else {
                outln!(
                    "recorded {} {} = {} (version {}, {}), by {} at {}",
                    record.item, record.regime, record.code, record.version, record.citation, record.decided_by, record.decided_at
                )?;
            }
            Ok(())
        }
        ClassifyCommand::Show { item, json } => {
            let history = store.classification_history(&item)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&history)?)?;
                return Ok(());
            }
            if history.is_empty() {
                bail!("no classification recorded for {item:?}");
            }
            for r in &history {
                outln!("{} v{} {} = {}  ({})", r.regime, r.version, r.item, r.code, r.citation)?;
                outln!("    by {} at {}, rulebook {}", r.decided_by, r.decided_at, r.rulebook_id)?;
                outln!("    {}", r.justification)?;
            }
            Ok(())
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}
