//! `sekisho determine FILE.json|-`: licence determination of one transaction under the
//! exporter's jurisdictions, with the parties screened against the lists in service, a
//! bilingual report (or JSON) and an audit record.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result};
use sekisho_determine::{AuthoredRules, Determination, HumanRightsInput, PartyScreening, Transaction, determine, parse_transaction, report};
use sekisho_rules::Rulebook;
use sekisho_service::{ListsInService, determination};
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
    /// Folder with the Freedom House, WGI and V-Dem files, read for cyber-surveillance items.
    #[arg(long, env = "SEKISHO_RIGHTS_DATA", default_value = "../shared/data/human-rights")]
    rights_data: PathBuf,
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
    let tx = parse_transaction(&text, &rulebook).with_context(|| format!("{source}: invalid transaction"))?;
    let (screening, lists) = screen_parties(&store, &tx)?;
    let human_rights = human_rights(&tx, &args.rights_data);
    let d = determine(&rulebook, &authored, &tx, &screening, &human_rights);

    let seq = if args.no_record { None } else { Some(record(&mut store, actor, &text, &tx, &d, lists.as_ref())?) };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&json!({ "determination": d, "audit_seq": seq }))?)?;
    } else {
        outln!("{}", report::render(&d).trim_end())?;
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
fn screen_parties(store: &Store, tx: &Transaction) -> Result<(PartyScreening, Option<ListsInService>)> {
    if tx.parties.is_empty() || store.active_snapshots()?.is_empty() {
        if !tx.parties.is_empty() {
            eprintln!("warning: no lists in service; the parties are not screened (import lists with `sekisho lists import`)");
        }
        return Ok((PartyScreening::default(), None));
    }
    let lists = ListsInService::load(store)?;
    let screening = determination::screen_parties(store, &lists.index, &lists.snapshots, tx)?;
    Ok((screening, Some(lists)))
}

/// The destination's human-rights assessment, for cyber-surveillance items only (the
/// indicators are read only then).
fn human_rights(tx: &Transaction, dir: &std::path::Path) -> HumanRightsInput {
    if tx.item.cyber_surveillance.is_none() {
        return HumanRightsInput::default();
    }
    match sekisho_rights::IndicatorSet::import(dir) {
        Ok(set) => determination::human_rights(tx, Some(&set)),
        Err(e) => {
            eprintln!("warning: human-rights indicators not read ({e}); the risk is reported as unknown");
            HumanRightsInput::default()
        }
    }
}

fn record(store: &mut Store, actor: &str, text: &str, tx: &Transaction, d: &Determination, lists: Option<&ListsInService>) -> Result<i64> {
    Ok(determination::record_determination(store, actor, text, tx, d, lists.map(|l| l.snapshots.as_slice()))?)
}
