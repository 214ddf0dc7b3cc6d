//! `sekisho lists ...`: import, status, diff, update, export.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use sekisho_service::Service;
use sekisho_store::{SnapshotInfo, Store};

use crate::home::Home;
use crate::import::{Stored, import_paths};

#[derive(Subcommand)]
pub enum ListsCommand {
    /// Import list files; each PATH is a file or a folder holding one source's files.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Show the snapshot in service for each source (or every snapshot with --all).
    Status {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show what changed between two snapshots of a source (default: the last two).
    Diff {
        source: String,
        #[arg(long)]
        from: Option<i64>,
        #[arg(long)]
        to: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Download sources from their official URLs, verify, import and swap atomically.
    Update {
        /// Sources to update (default: every source in the config).
        sources: Vec<String>,
        /// Sources config (default: $SEKISHO_HOME/sources.toml, created from the built-in one).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Accept a list that shrank by more than the configured limit.
        #[arg(long)]
        force: bool,
    },
    /// Export the entities in service.
    Export {
        #[arg(long, value_enum, default_value = "ftm")]
        format: ExportFormat,
        /// Only this source.
        #[arg(long)]
        source: Option<String>,
        /// Output file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// FollowTheMoney entities, one JSON object per line.
    Ftm,
}

pub fn run(home: &Home, actor: &str, command: ListsCommand) -> Result<()> {
    let mut store = home.open_store()?;
    match command {
        ListsCommand::Import { paths } => {
            let started = std::time::Instant::now();
            let imported = import_paths(&mut store, &paths)?;
            for stored in &imported {
                match stored {
                    Stored::New(s) => outln!("imported {}", describe(s))?,
                    Stored::Unchanged(s) => outln!("unchanged {}", describe(s))?,
                }
            }
            eprintln!("{} source(s) in {:.2?}", imported.len(), started.elapsed());
            let new: Vec<SnapshotInfo> = imported
                .into_iter()
                .filter_map(|s| match s {
                    Stored::New(info) => Some(info),
                    Stored::Unchanged(_) => None,
                })
                .collect();
            after_import(store, actor, &new)
        }
        ListsCommand::Status { all, json } => status(&store, all, json),
        ListsCommand::Diff { source, from, to, json } => diff(&store, &source, from, to, json),
        ListsCommand::Update { sources, config, force } => {
            let is_default = config.is_none();
            let config = config.unwrap_or_else(|| home.sources_config());
            let updated = crate::update::run(&mut store, &config, is_default, &sources, force)?;
            after_import(store, actor, &updated.new)?;
            if !updated.failed.is_empty() {
                bail!("{} source(s) not updated: {}", updated.failed.len(), updated.failed.join(", "));
            }
            Ok(())
        }
        ListsCommand::Export { format: ExportFormat::Ftm, source, output } => {
            export_ftm(&store, source.as_deref(), output)
        }
    }
}

/// Records the snapshots put into service and screens the saved counterparties against what
/// they added or changed.
fn after_import(store: Store, actor: &str, new: &[SnapshotInfo]) -> Result<()> {
    if new.is_empty() {
        return Ok(());
    }
    let mut service = Service::new(store);
    service.record_imports(actor, new)?;
    let ids: Vec<i64> = new.iter().map(|s| s.id).collect();
    let delta = service.delta_screen(actor, &ids).context("delta screening of the saved counterparties failed")?;
    if delta.counterparties > 0 {
        outln!(
            "delta screening: {} counterparty(ies) against {} added and {} changed entities: {} alert(s), {} case(s) opened, {} suppressed",
            delta.counterparties,
            delta.added,
            delta.changed,
            delta.hits.len(),
            delta.opened,
            delta.suppressed
        )?;
        for hit in &delta.hits {
            if let Some(sekisho_service::AlertOutcome::Opened(id)) = hit.matched.alert {
                outln!(
                    "  case {id}: {} ~ {} [{}] {:.3}",
                    hit.counterparty_key, hit.matched.matched.caption, hit.matched.matched.entity_id, hit.matched.matched.score
                )?;
            }
        }
    }
    Ok(())
}

pub fn describe(s: &SnapshotInfo) -> String {
    let counts: Vec<String> = s.counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!(
        "{} snapshot {} ({}, list date {}): {} entities [{}]",
        s.source,
        s.id,
        s.format,
        s.list_date.as_deref().unwrap_or("not stated"),
        s.entity_count,
        counts.join(", ")
    )
}

fn status(store: &Store, all: bool, json: bool) -> Result<()> {
    let snapshots = if all { store.snapshots(None)? } else { store.active_snapshots()? };
    if json {
        outln!("{}", serde_json::to_string_pretty(&snapshots)?)?;
        return Ok(());
    }
    if snapshots.is_empty() {
        outln!("no lists imported yet: run `sekisho lists import PATH...` or `sekisho lists update`")?;
        return Ok(());
    }
    outln!(
        "{:<4} {:<22} {:<26} {:<12} {:<20} {:>8}  counts by schema",
        "id", "source", "format", "list date", "retrieved", "entities"
    )?;
    for s in &snapshots {
        let counts: Vec<String> = s.counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        outln!(
            "{:<4} {:<22} {:<26} {:<12} {:<20} {:>8}  {}{}",
            s.id,
            s.source,
            s.format,
            s.list_date.as_deref().unwrap_or("-"),
            s.retrieved_at,
            s.entity_count,
            counts.join(", "),
            if all && s.active { "  (in service)" } else { "" }
        )?;
        for f in &s.files {
            outln!("       {} {} bytes sha256 {}", f.name, f.bytes, f.sha256)?;
        }
    }
    Ok(())
}

fn diff(store: &Store, source: &str, from: Option<i64>, to: Option<i64>, json: bool) -> Result<()> {
    let snapshots = store.snapshots(Some(source))?;
    if snapshots.is_empty() {
        bail!("no snapshots of source {source:?}; `sekisho lists status` shows the sources");
    }
    let pick = |id: i64| -> Result<&SnapshotInfo> {
        snapshots
            .iter()
            .find(|s| s.id == id)
            .with_context(|| format!("snapshot {id} is not a snapshot of {source}"))
    };
    let to = match to {
        Some(id) => pick(id)?,
        None => snapshots.iter().rev().find(|s| from.is_none_or(|f| s.id > f)).context("no later snapshot")?,
    };
    let from = match from {
        Some(id) => pick(id)?,
        None => snapshots
            .iter()
            .rev()
            .find(|s| s.id < to.id)
            .with_context(|| format!("{source} has only one snapshot before {}; nothing to compare", to.id))?,
    };
    let d = sekisho_lists::diff(&store.entities(from.id)?, &store.entities(to.id)?);
    if json {
        let out = serde_json::json!({"source": source, "from": from.id, "to": to.id, "diff": d});
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{source}: snapshot {} ({}) → {} ({})", from.id, date(from), to.id, date(to))?;
    writeln!(
        out,
        "{} added, {} removed, {} changed, {} unchanged",
        d.added.len(),
        d.removed.len(),
        d.changed.len(),
        d.unchanged
    )?;
    for e in &d.added {
        writeln!(out, "+ {} [{}] {}", e.id, e.schema, e.caption)?;
    }
    for e in &d.removed {
        writeln!(out, "- {} [{}] {}", e.id, e.schema, e.caption)?;
    }
    for e in &d.changed {
        writeln!(out, "~ {} {}", e.id, e.caption)?;
        for c in &e.changes {
            for v in &c.removed {
                writeln!(out, "    {}: - {v}", c.property)?;
            }
            for v in &c.added {
                writeln!(out, "    {}: + {v}", c.property)?;
            }
        }
    }
    Ok(())
}

fn date(s: &SnapshotInfo) -> &str {
    s.list_date.as_deref().unwrap_or(&s.retrieved_at)
}

fn export_ftm(store: &Store, source: Option<&str>, output: Option<PathBuf>) -> Result<()> {
    let mut out: Box<dyn Write> = match &output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut n = 0usize;
    for e in store.active_entities()? {
        if source.is_some_and(|s| s != e.provenance.source) {
            continue;
        }
        serde_json::to_writer(&mut out, &e.to_ftm())?;
        out.write_all(b"\n")?;
        n += 1;
    }
    out.flush()?;
    if output.is_some() {
        eprintln!("exported {n} entities");
    }
    Ok(())
}
