//! One screening: match, record, open cases.

use std::collections::HashMap;

use sekisho_match::{Match, Query, ScreenOptions};
use sekisho_store::Alert;
use serde::Serialize;
use serde_json::{Value, json};

use crate::counterparty::{counterparty_key, query_of};
use crate::{ALERT_THRESHOLD, AlertOutcome, Counterparty, Error, ListsInService, Result, Service};

/// A match with the version of the listed entity it matched and, for an alert, its case.
#[derive(Debug, Clone, Serialize)]
pub struct ScreenedMatch {
    #[serde(flatten)]
    pub matched: Match,
    pub snapshot_id: i64,
    /// SHA-256 of the listed entity's stored JSON in that snapshot.
    pub entity_hash: String,
    /// Set for matches at or above [`ALERT_THRESHOLD`] when the screening was recorded.
    pub alert: Option<AlertOutcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreeningRecord {
    /// The audit record's sequence number (`None`: not recorded).
    pub audit_seq: Option<i64>,
    pub counterparty_key: String,
    pub matches: Vec<ScreenedMatch>,
}

impl ScreeningRecord {
    pub fn opened(&self) -> usize {
        self.matches.iter().filter(|m| matches!(m.alert, Some(AlertOutcome::Opened(_)))).count()
    }
}

fn query_json(query: &Query, customer_id: Option<&str>) -> Value {
    json!({
        "name": query.name, "schema": query.schema, "country": query.country,
        "birth_date": query.birth_date.as_ref().map(|d| d.to_string()), "identifiers": query.identifiers,
        "customer_id": customer_id,
    })
}

impl Service {
    /// Screens `query` against `lists`, records the screening (query, list versions, every
    /// match with its entity version) and opens a case per alert, unless a review suppresses
    /// it. `customer_id` names the counterparty when the caller has one.
    pub fn screen(
        &mut self,
        actor: &str,
        lists: &ListsInService,
        query: &Query,
        customer_id: Option<&str>,
        options: &ScreenOptions,
    ) -> Result<ScreeningRecord> {
        let key = counterparty_key(customer_id, &query.name, query.schema, query.country.as_deref());
        let matches = self.versioned_matches(lists, query, options)?;
        self.record(actor, lists, key, query_json(query, customer_id), &query.name, matches, options)
    }

    /// Records a screening whose matches the caller computed with `lists.index` (batch
    /// files screen on every core first and record afterwards), exactly as [`Service::screen`]
    /// would: list and entity versions, cases for alerts, suppression. `origin` (the batch
    /// file, its hash and the row, say) is kept in the recorded query as `"origin"`.
    #[allow(clippy::too_many_arguments)]
    pub fn record_screening(
        &mut self,
        actor: &str,
        lists: &ListsInService,
        query: &Query,
        customer_id: Option<&str>,
        options: &ScreenOptions,
        matches: Vec<Match>,
        origin: Option<Value>,
    ) -> Result<ScreeningRecord> {
        let key = counterparty_key(customer_id, &query.name, query.schema, query.country.as_deref());
        let matches = self.versioned(lists, matches)?;
        let mut query_value = query_json(query, customer_id);
        if let Some(origin) = origin {
            query_value["origin"] = origin;
        }
        self.record(actor, lists, key, query_value, &query.name, matches, options)
    }

    /// Screens a saved counterparty (under its saved key).
    pub fn screen_counterparty(
        &mut self,
        actor: &str,
        lists: &ListsInService,
        counterparty: &Counterparty,
        options: &ScreenOptions,
    ) -> Result<ScreeningRecord> {
        let query = query_of(counterparty)?;
        let matches = self.versioned_matches(lists, &query, options)?;
        let query_value = query_json(&query, counterparty.customer_id.as_deref());
        self.record(actor, lists, counterparty.key.clone(), query_value, &query.name, matches, options)
    }

    /// Screens without recording: no audit record, no cases (evaluation and benchmarks).
    pub fn screen_unrecorded(&self, lists: &ListsInService, query: &Query, options: &ScreenOptions) -> Result<ScreeningRecord> {
        let key = counterparty_key(None, &query.name, query.schema, query.country.as_deref());
        Ok(ScreeningRecord { audit_seq: None, counterparty_key: key, matches: self.versioned_matches(lists, query, options)? })
    }

    fn versioned_matches(&self, lists: &ListsInService, query: &Query, options: &ScreenOptions) -> Result<Vec<ScreenedMatch>> {
        self.versioned(lists, lists.index.screen(query, options))
    }

    /// The matches with the version (snapshot, entity hash) of each listed entity.
    fn versioned(&self, lists: &ListsInService, matches: Vec<Match>) -> Result<Vec<ScreenedMatch>> {
        // Entity version hashes, one lookup per source's snapshot.
        let mut by_source: HashMap<&str, Vec<&str>> = HashMap::new();
        for m in &matches {
            by_source.entry(m.source.as_str()).or_default().push(m.entity_id.as_str());
        }
        let mut hashes: HashMap<(String, String), (i64, String)> = HashMap::new();
        for (source, ids) in by_source {
            let snapshot = lists.snapshot_of(source).ok_or_else(|| {
                Error::Invalid(format!("match from {source}, which has no snapshot among the lists in service"))
            })?;
            for (id, hash) in self.store.entity_hashes(snapshot.id, &ids)? {
                hashes.insert((source.to_string(), id), (snapshot.id, hash));
            }
        }
        matches
            .into_iter()
            .map(|m| {
                let (snapshot_id, entity_hash) =
                    hashes.remove(&(m.source.clone(), m.entity_id.clone())).ok_or_else(|| {
                        Error::Invalid(format!(
                            "matched entity {} of {} is not in the snapshot in service; reload the lists",
                            m.entity_id, m.source
                        ))
                    })?;
                Ok(ScreenedMatch { matched: m, snapshot_id, entity_hash, alert: None })
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        actor: &str,
        lists: &ListsInService,
        key: String,
        query: Value,
        name: &str,
        mut matches: Vec<ScreenedMatch>,
        options: &ScreenOptions,
    ) -> Result<ScreeningRecord> {
        let (_, record) = self.store.audited(actor, "screen", |tx| {
            for m in matches.iter_mut().filter(|m| m.matched.score >= ALERT_THRESHOLD) {
                m.alert = Some(tx.raise_alert(&alert_of(&key, name, m), actor)?);
            }
            let opened = matches.iter().filter(|m| matches!(m.alert, Some(AlertOutcome::Opened(_)))).count();
            let details = json!({
                "summary": format!("screened {name:?}: {} match(es), {opened} case(s) opened", matches.len()),
                "counterparty": key,
                "query": query,
                "options": {"threshold": options.threshold, "limit": options.limit, "alert_threshold": ALERT_THRESHOLD},
                "lists": lists.describe(),
                "results": matches.iter().map(result_json).collect::<Vec<_>>(),
            });
            Ok(((), details))
        })?;
        Ok(ScreeningRecord { audit_seq: Some(record.seq), counterparty_key: key, matches })
    }
}

pub(crate) fn alert_of(key: &str, name: &str, m: &ScreenedMatch) -> Alert {
    Alert {
        counterparty_key: key.to_string(),
        counterparty_name: name.to_string(),
        source: m.matched.source.clone(),
        entity_id: m.matched.entity_id.clone(),
        entity_hash: m.entity_hash.clone(),
        snapshot_id: m.snapshot_id,
        caption: m.matched.caption.clone(),
        matched_name: m.matched.matched_name.clone(),
        score: m.matched.score,
        explanation: m.matched.explanation.summary.clone(),
    }
}

pub(crate) fn result_json(m: &ScreenedMatch) -> Value {
    json!({
        "entity_id": m.matched.entity_id, "source": m.matched.source, "snapshot_id": m.snapshot_id,
        "entity_hash": m.entity_hash, "caption": m.matched.caption, "matched_name": m.matched.matched_name,
        "score": m.matched.score, "explanation": m.matched.explanation.summary, "alert": m.alert,
    })
}
