//! A licence determination from the text of a transaction to its audit record: parse,
//! screen the parties against the lists in service, assess the destination's human rights,
//! run the pure engine ([`sekisho_determine::determine`]), record. [`determine_transaction`]
//! and [`Determined::record`] are that sequence for `sekisho determine` and `POST /determine`
//! alike; each caller only says where its lists and indicators come from.

use sekisho_determine::{
    AuthoredRules, Determination, HumanRightsInput, InputError, PartyHit, PartyScreening, Transaction, determine, parse_transaction,
};
use sekisho_match::{Query, ScreenOptions, ScreeningIndex};
use sekisho_rights::{IndicatorSet, Thresholds};
use sekisho_rules::Rulebook;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::lists::describe_snapshots;
use crate::{Result, SnapshotInfo, Store};

/// Why a transaction was not determined; `E` is the caller's own screening error.
#[derive(Debug, thiserror::Error)]
pub enum DetermineError<E> {
    /// The text is not a valid transaction (the field at fault; `(json)` for syntax).
    #[error(transparent)]
    Transaction(InputError),
    /// The parties could not be screened.
    #[error(transparent)]
    Parties(E),
    /// No jurisdiction gave an outcome, so there is nothing to answer or record.
    #[error("exporter: name at least one of JP, US, EU")]
    NothingDetermined,
}

/// A determination with what its audit record needs: the input as received, the parsed
/// transaction and the list snapshots its parties were screened against.
pub struct Determined {
    input: String,
    transaction: Transaction,
    determination: Determination,
    lists: Option<Vec<SnapshotInfo>>,
}

/// Parses `input` against `rulebook`, screens its parties, assesses the destination and
/// runs the engine. The caller supplies what it keeps its own way:
/// - `screen_parties` is called only when the transaction names parties; it returns their
///   screening with the snapshots screened against ([`screen_parties`] does the screening
///   on a loaded index), or `None` to leave them unscreened (the engine then answers
///   needs_review, never "no licence");
/// - `indicators` is called only for a cyber-surveillance item (EU Art. 5); `None` reports
///   the risk as unknown.
pub fn determine_transaction<'a, E>(
    input: String,
    rulebook: &Rulebook,
    authored: &AuthoredRules,
    screen_parties: impl FnOnce(&Transaction) -> Result<Option<(PartyScreening, Vec<SnapshotInfo>)>, E>,
    indicators: impl FnOnce() -> Option<&'a IndicatorSet>,
) -> Result<Determined, DetermineError<E>> {
    let transaction = parse_transaction(&input, rulebook).map_err(DetermineError::Transaction)?;
    let screened = if transaction.parties.is_empty() {
        None
    } else {
        screen_parties(&transaction).map_err(DetermineError::Parties)?
    };
    let (screening, lists) = match screened {
        Some((screening, lists)) => (screening, Some(lists)),
        None => (PartyScreening::default(), None),
    };
    let rights = if transaction.item.cyber_surveillance.is_some() {
        human_rights(&transaction, indicators())
    } else {
        HumanRightsInput::default()
    };
    let determination = determine(rulebook, authored, &transaction, &screening, &rights);
    if determination.outcomes.is_empty() {
        return Err(DetermineError::NothingDetermined);
    }
    Ok(Determined { input, transaction, determination, lists })
}

impl Determined {
    pub fn determination(&self) -> &Determination {
        &self.determination
    }

    /// Records the determination in the audit trail (action `determine`): who (the store
    /// stamps when), the input's hash, the rulebook version, the list versions screened
    /// against (none when the parties were not screened), the authored rules, and the
    /// determination itself: its `outcomes` hold the outcome, exceptions and rule codes per
    /// jurisdiction. Records written before 2026-12-07 also carry a top-level `outcomes`
    /// copy; readers use `determination.outcomes`, which every record has. Returns the audit
    /// sequence number.
    pub fn record(&self, store: &mut Store, actor: &str) -> Result<i64> {
        let (tx, d) = (&self.transaction, &self.determination);
        let summary = d.outcomes.iter().map(|o| format!("{:?} {}", o.jurisdiction, o.outcome.as_str())).collect::<Vec<_>>().join(", ");
        let details = json!({
            "summary": format!("determined {}: {summary}", tx.id),
            "transaction_id": tx.id,
            "input_sha256": hex::encode(Sha256::digest(self.input.as_bytes())),
            "rulebook_version": d.rulebook_version,
            "authored_rules": d.authored_rules,
            "lists": self.lists.as_deref().map(describe_snapshots),
            "determination": d,
        });
        Ok(store.append_audit(actor, "determine", details)?.seq)
    }
}

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
fn human_rights(tx: &Transaction, indicators: Option<&IndicatorSet>) -> HumanRightsInput {
    match (tx.item.cyber_surveillance.is_some(), indicators) {
        (true, Some(set)) => HumanRightsInput {
            assessment: Some(sekisho_rights::assess(set, &tx.destination, tx.end_user_for_rights(), &Thresholds::default_bundled())),
        },
        _ => HumanRightsInput::default(),
    }
}
