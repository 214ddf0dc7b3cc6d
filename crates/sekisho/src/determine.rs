//! `sekisho determine FILE.json|-`: licence determination of one transaction under the
//! exporter's jurisdictions, with the parties screened against the lists in service, a
//! bilingual report (or JSON) and an audit record.

use std::cell::OnceCell;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sekisho_determine::{AuthoredRules, PartyScreening, Transaction, report};
use sekisho_rights::IndicatorSet;
use sekisho_rules::Rulebook;
use sekisho_service::determination::{self, DetermineError};
use sekisho_service::{ListsInService, SnapshotInfo};
use sekisho_store::Store;
use serde_json::json;

use crate::home::Home;

#[derive(clap::Args)]
pub struct DetermineArgs {
    /// The transaction as JSON (see the README's "Licence determination"); `-` reads stdin.
    input: String,
    /// Print the determination as JSON.
    #[arg(long)]
    json: bool,
    /// Authored rules folder (`*.toml`) instead of the rules built into the binary.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Import the rulebook from this folder (e.g. ../shared/data/control) instead of using
    /// the latest version in the store.
    #[arg(long)]
    rulebook_from: Option<PathBuf>,
    /// Folder with the Freedom House, WGI and V-Dem files, read for cyber-surveillance items
    /// (default: $SEKISHO_RIGHTS_DATA if set, else $SEKISHO_SHARED_DATA/human-rights, else
    /// ../shared/data/human-rights).
    #[arg(long)]
    rights_data: Option<PathBuf>,
    /// Do not record the determination in the audit trail.
    #[arg(long)]
    no_record: bool,
}

pub fn run(home: &Home, actor: &str, args: DetermineArgs) -> Result<()> {
    let (text, source) = read_input(&args.input)?;
    let mut store = home.open_store()?;
    let rulebook = match &args.rulebook_from {
        Some(dir) => Rulebook::import(dir).with_context(|| format!("importing the rulebook from {}", dir.display()))?,
        None => store.latest_rulebook()?.ok_or_else(|| {
            anyhow::anyhow!("no rulebook in {}: import one with `sekisho rules import` (or pass --rulebook-from DIR)", home.dir.display())
        })?,
    };
    let authored = match &args.rules {
        Some(dir) => AuthoredRules::load_dir(dir)?,
        None => AuthoredRules::embedded()?,
    };
    let rights_data = crate::data_dir::rights_data(args.rights_data);
    let indicators = OnceCell::new();
    let determined = determination::determine_transaction(
        text,
        &rulebook,
        &authored,
        |tx| screen_parties(&store, tx),
        || indicators.get_or_init(|| read_indicators(&rights_data)).as_ref(),
    )
    .map_err(|e| match e {
        DetermineError::Transaction(e) => anyhow::Error::new(e).context(format!("{source}: invalid transaction")),
        DetermineError::Parties(e) => e,
        DetermineError::NothingDetermined => anyhow::anyhow!("nothing determined: the transaction names no exporter jurisdiction"),
    })?;

    let seq = if args.no_record { None } else { Some(determined.record(&mut store, actor)?) };
    let d = determined.determination();
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&json!({ "determination": d, "audit_seq": seq }))?)?;
    } else {
        outln!("{}", report::render(d).trim_end())?;
        if let Some(seq) = seq {
            eprintln!("recorded as audit record {seq}");
        }
    }
    Ok(())
}

fn read_input(input: &str) -> Result<(String, String)> {
    if input == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("reading the transaction from stdin")?;
        return Ok((text, "stdin".into()));
    }
    let text = std::fs::read_to_string(input).with_context(|| format!("reading {input}"))?;
    Ok((text, input.to_string()))
}

/// Screens the parties against the lists in service (loading the index: the CLI runs
/// once); unscreened, with a warning, when no list is in service.
fn screen_parties(store: &Store, tx: &Transaction) -> Result<Option<(PartyScreening, Vec<SnapshotInfo>)>> {
    if store.active_snapshots()?.is_empty() {
        eprintln!("warning: no lists in service; the parties are not screened (import lists with `sekisho lists import`)");
        return Ok(None);
    }
    let lists = ListsInService::load(store)?;
    let screening = determination::screen_parties(store, &lists.index, &lists.snapshots, tx)?;
    Ok(Some((screening, lists.snapshots)))
}

/// The human-rights indicators (read only for a cyber-surveillance item); `None`, with a
/// warning, when they cannot be read.
fn read_indicators(dir: &Path) -> Option<IndicatorSet> {
    IndicatorSet::import(dir)
        .inspect_err(|e| eprintln!("warning: human-rights indicators not read ({e}); the risk is reported as unknown"))
        .ok()
}
