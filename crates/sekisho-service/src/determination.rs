//! The edge of a licence determination that touches data: screening the transaction's
//! parties against the lists in service, the destination's human-rights assessment, and
//! the audit record. `sekisho determine` and `POST /determine` both call these, around the
//! pure engine ([`sekisho_determine::determine`]).

use sekisho_determine::{Determination, HumanRightsInput, PartyHit, PartyScreening, Transaction};
use sekisho_match::{Query, ScreenOptions, ScreeningIndex};
use sekisho_rights::{IndicatorSet, Thresholds};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::lists::describe_snapshots;
use crate::{Error, Result, SnapshotInfo, Store};

/// Screens every party by name and country against `index` (built from `snapshots`); hits
/// carry the listed entity's facts (Entity List requirement, METI concerns, MOF regime,
/// programmes), read from the store.
pub fn screen_parties(store: &Store, index: &ScreeningIndex, snapshots: &[SnapshotInfo], tx: &Transaction) -> Result<PartyScreening> {
    let options = ScreenOptions::default();
    let mut hits = Vec::new();
    for party in &tx.parties {
        let query = Query { name: party.name.clone(), country: Some(party.country.clone()), ..Query::default() };
        let mut party_hits = Vec::new();
        for m in index.screen(&query, &options) {
            let entity = match snapshots.iter().find(|s| s.source == m.source) {
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
    let list_versions =
        snapshots.iter().map(|s| format!("{} #{} ({})", s.source, s.id, s.list_date.as_deref().unwrap_or("undated"))).collect();
    Ok(PartyScreening { list_versions, hits, screened: true })
}

/// The destination's human-rights assessment, for cyber-surveillance items only; without
/// indicators the risk is reported as unknown by the engine.
pub fn human_rights(tx: &Transaction, indicators: Option<&IndicatorSet>) -> HumanRightsInput {
    match (tx.item.cyber_surveillance.is_some(), indicators) {
        (true, Some(set)) => HumanRightsInput {
            assessment: Some(sekisho_rights::assess(set, &tx.destination, tx.end_user_for_rights(), &Thresholds::default_bundled())),
        },
        _ => HumanRightsInput::default(),
    }
}

/// Records a determination in the audit trail (action `determine`): who (the store stamps
/// when), the input's hash, the rulebook version, the list versions screened against (none
/// when the parties were not screened), the authored rules and the outcome per
/// jurisdiction, with the whole determination. Returns the audit sequence number.
pub fn record_determination(
    store: &mut Store,
    actor: &str,
    input: &str,
    tx: &Transaction,
    d: &Determination,
    snapshots: Option<&[SnapshotInfo]>,
) -> Result<i64> {
    if d.outcomes.is_empty() {
        return Err(Error::Invalid("nothing determined: the transaction names no exporter jurisdiction".into()));
    }
    let outcomes: Vec<_> = d
        .outcomes
        .iter()
        .map(|o| {
            json!({ "jurisdiction": o.jurisdiction, "outcome": o.outcome, "exceptions": o.exceptions,
                    "rules": o.reasons.iter().map(|r| &r.rule).collect::<Vec<_>>() })
        })
        .collect();
    let summary = d.outcomes.iter().map(|o| format!("{:?} {}", o.jurisdiction, o.outcome.as_str())).collect::<Vec<_>>().join(", ");
    let details = json!({
        "summary": format!("determined {}: {summary}", tx.id),
        "transaction_id": tx.id,
        "input_sha256": hex::encode(Sha256::digest(input.as_bytes())),
        "rulebook_version": d.rulebook_version,
        "authored_rules": d.authored_rules,
        "lists": snapshots.map(describe_snapshots),
        "outcomes": outcomes,
        "determination": d,
    });
    Ok(store.append_audit(actor, "determine", details)?.seq)
}
