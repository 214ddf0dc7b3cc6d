//! Delta screening: after lists change, saved counterparties are screened against only what
//! the new snapshots added or changed.

use std::collections::{BTreeMap, HashMap};

use sekisho_match::{ScreenOptions, ScreeningIndexBuilder};
use sekisho_store::EntityVersion;
use serde::Serialize;
use serde_json::json;

use crate::counterparty::query_of;
use crate::lists::describe_snapshot;
use crate::screening::{ScreenedMatch, alert_of, result_json};
use crate::{ALERT_THRESHOLD, AlertOutcome, Result, Service};

/// Matches kept per counterparty against the changed entities.
const DELTA_LIMIT: usize = 25;

#[derive(Debug, Clone, Serialize)]
pub struct DeltaHit {
    pub counterparty_key: String,
    #[serde(flatten)]
    pub matched: ScreenedMatch,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DeltaOutcome {
    /// The `delta_screen` audit record (`None` when no counterparty is saved: nothing ran).
    pub audit_seq: Option<i64>,
    pub added: usize,
    pub changed: usize,
    pub counterparties: usize,
    pub hits: Vec<DeltaHit>,
    pub opened: usize,
    pub already_open: usize,
    pub confirmed: usize,
    pub suppressed: usize,
}

impl Service {
    /// Screens every saved counterparty against the entities that `new_snapshots` added or
    /// changed relative to what was in service before them, and opens cases for new alerts
    /// (respecting suppression). Several snapshots of one source (a batch import) compare
    /// the newest with the snapshot before the oldest. One `delta_screen` audit record.
    pub fn delta_screen(&mut self, actor: &str, new_snapshots: &[i64]) -> Result<DeltaOutcome> {
        let counterparties = self.store.counterparties()?;
        if counterparties.is_empty() || new_snapshots.is_empty() {
            return Ok(DeltaOutcome::default());
        }
        // Per source: (oldest new, newest new).
        let mut by_source: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for &id in new_snapshots {
            let s = self.store.snapshot(id)?.ok_or(sekisho_store::Error::NoSnapshot(id))?;
            let range = by_source.entry(s.source).or_insert((id, id));
            *range = (range.0.min(id), range.1.max(id));
        }
        let mut versions: HashMap<(String, String), (i64, String)> = HashMap::new();
        let mut entities = Vec::new();
        let mut snapshots = Vec::new();
        let (mut added, mut changed) = (0, 0);
        for (source, (oldest, newest)) in &by_source {
            let base = self.store.snapshots(Some(source))?.into_iter().rfind(|s| s.id < *oldest).map(|s| s.id);
            let delta = self.store.snapshot_delta_since(base, *newest)?;
            added += delta.added.len();
            changed += delta.changed.len();
            let mut described = describe_snapshot(&delta.snapshot);
            described["base_snapshot_id"] = json!(base);
            described["added"] = json!(delta.added.len());
            described["changed"] = json!(delta.changed.len());
            snapshots.push(described);
            for EntityVersion { entity, hash } in delta.added.into_iter().chain(delta.changed) {
                versions.insert((entity.provenance.source.clone(), entity.id.clone()), (*newest, hash));
                entities.push(entity);
            }
        }
        let index = ScreeningIndexBuilder::new().build(&entities);
        drop(entities);
        let options = ScreenOptions { limit: DELTA_LIMIT, threshold: ALERT_THRESHOLD };
        let mut hits = Vec::new();
        for c in &counterparties {
            for m in index.screen(&query_of(c)?, &options) {
                let Some((snapshot_id, hash)) = versions.get(&(m.source.clone(), m.entity_id.clone())) else {
                    continue;
                };
                let matched = ScreenedMatch { matched: m, snapshot_id: *snapshot_id, entity_hash: hash.clone(), alert: None };
                hits.push((c, matched));
            }
        }
        let ((hits, counts), record) = self.store.audited(actor, "delta_screen", |tx| {
            let mut out = Vec::with_capacity(hits.len());
            let mut counts = [0usize; 4];
            for (c, mut m) in hits {
                let outcome = tx.raise_alert(&alert_of(&c.key, &c.name, &m), actor)?;
                counts[match outcome {
                    AlertOutcome::Opened(_) => 0,
                    AlertOutcome::AlreadyOpen(_) => 1,
                    AlertOutcome::Confirmed(_) => 2,
                    AlertOutcome::Suppressed(_) => 3,
                }] += 1;
                m.alert = Some(outcome);
                out.push(DeltaHit { counterparty_key: c.key.clone(), matched: m });
            }
            let details = json!({
                "summary": format!(
                    "{} counterparty(ies) against {added} added and {changed} changed entities: {} alert(s), {} case(s) opened, {} suppressed",
                    counterparties.len(), out.len(), counts[0], counts[3]),
                "snapshots": snapshots,
                "added": added,
                "changed": changed,
                "counterparties": counterparties.len(),
                "options": {"threshold": ALERT_THRESHOLD, "limit": DELTA_LIMIT},
                "hits": out.iter().map(|h| {
                    let mut v = result_json(&h.matched);
                    v["counterparty"] = json!(h.counterparty_key);
                    v
                }).collect::<Vec<_>>(),
                "opened": counts[0], "already_open": counts[1], "confirmed": counts[2], "suppressed": counts[3],
            });
            Ok(((out, counts), details))
        })?;
        Ok(DeltaOutcome {
            audit_seq: Some(record.seq),
            added,
            changed,
            counterparties: counterparties.len(),
            hits,
            opened: counts[0],
            already_open: counts[1],
            confirmed: counts[2],
            suppressed: counts[3],
        })
    }
}
