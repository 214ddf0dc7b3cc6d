//! `sekisho determine FILE.json|-`: licence determination of one transaction under the
//! exporter's jurisdictions, with the parties screened against the lists in service, a
//! bilingual report (or JSON) and an audit record.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use sekisho_determine::{AuthoredRules, Determination, HumanRightsInput, PartyHit, PartyScreening, Transaction, determine, parse_transaction, report};
use sekisho_match::{Query, ScreenOptions};
use sekisho_rules::Rulebook;
use sekisho_service::ListsInService;
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

/// Screens every party by name and country against the lists in service; hits carry the
/// listed entity's facts (Entity List requirement, METI concerns, MOF regime, programmes).
fn screen_parties(store: &Store, tx: &Transaction) -> Result<(PartyScreening, Option<ListsInService>)> {
    if tx.parties.is_empty() || store.active_snapshots()?.is_empty() {
        if !tx.parties.is_empty() {
            eprintln!("warning: no lists in service; the parties are not screened (import lists with `sekisho lists import`)");
        }
        return Ok((PartyScreening::default(), None));
    }
    let lists = ListsInService::load(store)?;
    let options = ScreenOptions::default();
    let mut hits = Vec::new();
    for party in &tx.parties {
        let query = Query { name: party.name.clone(), country: Some(party.country.clone()), ..Query::default() };
        let mut party_hits = Vec::new();
        for m in lists.index.screen(&query, &options) {
            let entity = match lists.snapshot_of(&m.source) {
                Some(s) => store.snapshot_entity(s.id, &m.entity_id)?,
                None => None,
            };
            let (facts, programs) = entity.map(|e| (e.facts, e.programs)).unwrap_or_default();
            party_hits.push(PartyHit {
                source: m.source.clone(),
                entity_id: m.entity_id.clone(),
                caption: m.caption.clone(),
                score: m.score,
                confirmed: false,
                explanation: m.explanation.summary.clone(),
                facts,
                programs,
            });
        }
        hits.push(party_hits);
    }
    let list_versions = lists.snapshots.iter().map(|s| format!("{} #{} ({})", s.source, s.id, s.list_date.as_deref().unwrap_or("undated"))).collect();
    Ok((PartyScreening { list_versions, hits, screened: true }, Some(lists)))
}

/// The destination's human-rights assessment, for cyber-surveillance items only.
fn human_rights(tx: &Transaction, dir: &std::path::Path) -> HumanRightsInput {
    if tx.item.cyber_surveillance.is_none() {
        return HumanRightsInput::default();
    }
    match sekisho_rights::IndicatorSet::import(dir) {
        Ok(set) => HumanRightsInput {
            assessment: Some(sekisho_rights::assess(&set, &tx.destination, tx.end_user_for_rights(), &sekisho_rights::Thresholds::default_bundled())),
        },
        Err(e) => {
            eprintln!("warning: human-rights indicators not read ({e}); the risk is reported as unknown");
            HumanRightsInput::default()
        }
    }
}

/// One audit record: who, when (the store stamps it), input hash, rulebook version, list
/// versions, authored rules, outcome per jurisdiction.
fn record(store: &mut Store, actor: &str, text: &str, tx: &Transaction, d: &Determination, lists: Option<&ListsInService>) -> Result<i64> {
    let input_sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let outcomes: Vec<_> = d
        .outcomes
        .iter()
        .map(|o| json!({ "jurisdiction": o.jurisdiction, "outcome": o.outcome, "exceptions": o.exceptions, "rules": o.reasons.iter().map(|r| &r.rule).collect::<Vec<_>>() }))
        .collect();
    let summary = d.outcomes.iter().map(|o| format!("{:?} {}", o.jurisdiction, o.outcome.as_str())).collect::<Vec<_>>().join(", ");
    let details = json!({
        "summary": format!("determined {}: {summary}", tx.id),
        "transaction_id": tx.id,
        "input_sha256": input_sha256,
        "rulebook_version": d.rulebook_version,
        "authored_rules": d.authored_rules,
        "lists": lists.map(|l| l.describe()),
        "outcomes": outcomes,
        "determination": d,
    });
    if d.outcomes.is_empty() {
        bail!("nothing determined");
    }
    Ok(store.append_audit(actor, "determine", details)?.seq)
}
