//! One screening: match, record, open cases.

use std::collections::HashMap;

use sekisho_match::{Match, Query, ScreenOptions};
use sekisho_store::audit::Canonical;
use sekisho_store::{Alert, AuditBatch, ListSet};
use serde::Serialize;
use serde_json::{Value, json};

use crate::counterparty::{counterparty_key, query_of};
use crate::lists::ListVersion;
use crate::{ALERT_THRESHOLD, AlertOutcome, Counterparty, Error, ListsInService, Result, Service, SnapshotInfo, Store};

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

/// What was screened, as the audit trail records it: the counterparty it is filed under,
/// the name its cases show, and the query as given (any JSON the caller wants on record).
#[derive(Debug, Clone)]
pub struct Subject {
    pub counterparty_key: String,
    pub name: String,
    pub query: Value,
}

impl Subject {
    /// The subject of a one-name query (the CLI's `screen`).
    pub fn of_query(query: &Query, customer_id: Option<&str>) -> Subject {
        Subject {
            counterparty_key: counterparty_key(customer_id, &query.name, query.schema, query.country.as_deref()),
            name: query.name.clone(),
            query: json!({
                "name": query.name, "schema": query.schema, "country": query.country,
                "birth_date": query.birth_date.as_ref().map(|d| d.to_string()), "identifiers": query.identifiers,
                "customer_id": customer_id,
            }),
        }
    }
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
        let matches = version_matches(&self.store, &lists.snapshots, lists.index.screen(query, options))?;
        self.record_screening(actor, &lists.snapshots, Subject::of_query(query, customer_id), matches, options)
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
        let matches = version_matches(&self.store, &lists.snapshots, lists.index.screen(&query, options))?;
        let mut subject = Subject::of_query(&query, counterparty.customer_id.as_deref());
        subject.counterparty_key = counterparty.key.clone();
        self.record_screening(actor, &lists.snapshots, subject, matches, options)
    }

    /// Screens without recording: no audit record, no cases (evaluation and benchmarks).
    pub fn screen_unrecorded(&self, lists: &ListsInService, query: &Query, options: &ScreenOptions) -> Result<ScreeningRecord> {
        let key = counterparty_key(None, &query.name, query.schema, query.country.as_deref());
        let matches = version_matches(&self.store, &lists.snapshots, lists.index.screen(query, options))?;
        Ok(ScreeningRecord { audit_seq: None, counterparty_key: key, matches })
    }

    /// Records a screening whose matches the caller found (a server screens on its own
    /// threads and its own index, then records here): one audit record with the subject,
    /// the options, the list versions `snapshots` and every match, and a case per alert at
    /// or above [`ALERT_THRESHOLD`] unless a review suppresses it, in one transaction.
    /// `snapshots` must be those the index was built from (see [`version_matches`]).
    pub fn record_screening(
        &mut self,
        actor: &str,
        snapshots: &[SnapshotInfo],
        subject: Subject,
        matches: Vec<ScreenedMatch>,
        options: &ScreenOptions,
    ) -> Result<ScreeningRecord> {
        let item = ToRecord { actor, snapshots, subject, matches, options: options.clone() };
        let Service { store, list_set } = self;
        store.audit_batch(|batch| record_in(batch, list_set, item))
    }

    /// Records several screenings in one transaction (group commit: one commit for all),
    /// each as [`Service::record_screening`] records it, in order. One that fails is undone
    /// alone and gives its error in its place; the outer error means that nothing was
    /// recorded (the transaction could not be taken or committed).
    pub fn record_screenings(&mut self, items: Vec<ToRecord<'_>>) -> Result<Vec<Result<ScreeningRecord>>> {
        let Service { store, list_set } = self;
        store.audit_batch(|batch| Ok(items.into_iter().map(|item| record_in(batch, list_set, item)).collect()))
    }
}

/// One screening to record (see [`Service::record_screenings`]).
pub struct ToRecord<'a> {
    pub actor: &'a str,
    /// The list versions the matches were found in.
    pub snapshots: &'a [SnapshotInfo],
    pub subject: Subject,
    pub matches: Vec<ScreenedMatch>,
    pub options: ScreenOptions,
}

/// The list set of `snapshots` (see [`sekisho_store::ListSet`]), from `cache` while they
/// are the same: one serialisation and hash per change of the lists in service, not per
/// record.
fn list_set_of<'c>(cache: &'c mut Option<(Vec<SnapshotInfo>, ListSet)>, snapshots: &[SnapshotInfo]) -> Result<&'c ListSet> {
    if !matches!(cache, Some((cached, _)) if cached.as_slice() == snapshots) {
        let lists: Vec<ListVersion<'_>> = snapshots.iter().map(ListVersion::of).collect();
        *cache = Some((snapshots.to_vec(), ListSet::new(&lists)?));
    }
    cache.as_ref().map(|(_, set)| set).ok_or_else(|| Error::Invalid("the list set was not built".into()))
}

/// Records one screening: a version 2 `screen` record, which names its list versions by
/// the hash of their set (stored once, see `sekisho_store::audit`).
fn record_in(
    batch: &mut AuditBatch<'_>,
    list_set: &mut Option<(Vec<SnapshotInfo>, ListSet)>,
    item: ToRecord<'_>,
) -> Result<ScreeningRecord> {
    let ToRecord { actor, snapshots, subject, mut matches, options } = item;
    let Subject { counterparty_key: key, name, query } = subject;
    let set = list_set_of(list_set, snapshots)?;
    batch.store_list_set(set)?;
    let raised = &mut matches;
    let (_, appended) = batch.append_serialized(actor, "screen", |tx| {
        for m in raised.iter_mut().filter(|m| m.matched.score >= ALERT_THRESHOLD) {
            m.alert = Some(tx.raise_alert(&alert_of(&key, &name, m), actor)?);
        }
        let raised: &Vec<ScreenedMatch> = raised;
        let opened = raised.iter().filter(|m| matches!(m.alert, Some(AlertOutcome::Opened(_)))).count();
        let details = ScreenDetails {
            counterparty: &key,
            list_set: set.sha256(),
            options: RecordedOptions { alert_threshold: ALERT_THRESHOLD, limit: options.limit, threshold: options.threshold },
            query: Canonical(&query),
            results: raised.iter().map(RecordedResult::of).collect(),
            summary: format!("screened {name:?}: {} match(es), {opened} case(s) opened", raised.len()),
        };
        Ok(((), details))
    })?;
    Ok(ScreeningRecord { audit_seq: Some(appended.seq), counterparty_key: key, matches })
}

// The details of a `screen` record, written straight into its canonical JSON (one per
// request over HTTP, so no `Value` tree is built for them). Fields are declared in sorted
// order, as canonical JSON has them; `typed_screen_details_are_the_canonical_json_of_before`
// holds them to the bytes the `json!` form gave.

#[derive(Serialize)]
struct ScreenDetails<'a> {
    counterparty: &'a str,
    /// The SHA-256 of the list versions' set (record version 2; version 1 had `lists`).
    list_set: &'a str,
    options: RecordedOptions,
    query: Canonical<&'a Value>,
    results: Vec<RecordedResult<'a>>,
    summary: String,
}

#[derive(Serialize)]
struct RecordedOptions {
    alert_threshold: f64,
    limit: usize,
    threshold: f64,
}

/// A match as the trail records it: the entity version, the score and the one-line
/// explanation, and what its alert did.
#[derive(Serialize)]
struct RecordedResult<'a> {
    alert: Option<RecordedAlert>,
    caption: &'a str,
    entity_hash: &'a str,
    entity_id: &'a str,
    explanation: &'a str,
    matched_name: &'a str,
    score: f64,
    snapshot_id: i64,
    source: &'a str,
}

impl<'a> RecordedResult<'a> {
    fn of(m: &'a ScreenedMatch) -> RecordedResult<'a> {
        RecordedResult {
            alert: m.alert.map(RecordedAlert::of),
            caption: &m.matched.caption,
            entity_hash: &m.entity_hash,
            entity_id: &m.matched.entity_id,
            explanation: &m.matched.explanation.summary,
            matched_name: &m.matched.matched_name,
            score: m.matched.score,
            snapshot_id: m.snapshot_id,
            source: &m.matched.source,
        }
    }
}

/// [`AlertOutcome`]'s JSON (`{"outcome": ..., "case": ...}`) with its keys in sorted order.
#[derive(Serialize)]
struct RecordedAlert {
    case: i64,
    outcome: &'static str,
}

impl RecordedAlert {
    fn of(alert: AlertOutcome) -> RecordedAlert {
        let outcome = match alert {
            AlertOutcome::Opened(_) => "opened",
            AlertOutcome::AlreadyOpen(_) => "already_open",
            AlertOutcome::Confirmed(_) => "confirmed",
            AlertOutcome::Suppressed(_) => "suppressed",
        };
        RecordedAlert { case: alert.case_id(), outcome }
    }
}

/// Pairs each match with the version (stored hash) of the listed entity it matched, in the
/// snapshot of its source among `snapshots`: the list versions the index was built from.
/// A read; it needs no write lock.
pub fn version_matches(store: &Store, snapshots: &[SnapshotInfo], matches: Vec<Match>) -> Result<Vec<ScreenedMatch>> {
    // One lookup per source's snapshot.
    let mut by_source: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in &matches {
        by_source.entry(m.source.as_str()).or_default().push(m.entity_id.as_str());
    }
    let mut hashes: HashMap<(String, String), (i64, String)> = HashMap::new();
    for (source, ids) in by_source {
        let snapshot = snapshot_of(snapshots, source)?;
        for (id, hash) in store.entity_hashes(snapshot.id, &ids)? {
            hashes.insert((source.to_string(), id), (snapshot.id, hash));
        }
    }
    matches
        .into_iter()
        .map(|m| {
            let (snapshot_id, entity_hash) =
                hashes.remove(&(m.source.clone(), m.entity_id.clone())).ok_or_else(|| not_in_snapshot(&m))?;
            Ok(ScreenedMatch { matched: m, snapshot_id, entity_hash, alert: None })
        })
        .collect()
}

/// The snapshot of `source` among the lists in service.
pub fn snapshot_of<'a>(snapshots: &'a [SnapshotInfo], source: &str) -> Result<&'a SnapshotInfo> {
    snapshots
        .iter()
        .find(|s| s.source == source)
        .ok_or_else(|| Error::Invalid(format!("match from {source}, which has no snapshot among the lists in service")))
}

/// A match whose entity the snapshot in service does not hold (the index and the store
/// disagree: the lists changed under the server).
pub fn not_in_snapshot(m: &Match) -> Error {
    Error::Invalid(format!("matched entity {} of {} is not in the snapshot in service; reload the lists", m.entity_id, m.source))
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

/// A match as the trail records it, as a `Value` (the delta screening adds to it).
pub(crate) fn result_json(m: &ScreenedMatch) -> Value {
    serde_json::to_value(RecordedResult::of(m)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sekisho_match::{Explanation, Feature};
    use sekisho_model::{NameKind, Schema};
    use sekisho_store::audit::canonical_json;

    fn snapshot(id: i64, source: &str, list_date: Option<&str>) -> SnapshotInfo {
        SnapshotInfo {
            id,
            source: source.into(),
            format: "x".into(),
            publisher: "y".into(),
            list_date: list_date.map(String::from),
            origin: "z".into(),
            retrieved_at: "2026-12-07T10:00:00Z".into(),
            imported_at: "2026-12-07T10:00:01Z".into(),
            files: vec![],
            counts: Default::default(),
            entity_count: 38_671,
            content_hash: "ab".repeat(32),
            active: true,
        }
    }

    fn screened(id: &str, score: f64, alert: Option<AlertOutcome>) -> ScreenedMatch {
        ScreenedMatch {
            matched: Match {
                entity_id: id.into(),
                source: "jp-mof".into(),
                schema: Schema::Person,
                caption: "キム・ジョンウン \"KJU\"".into(),
                matched_name: "KIM Jong Un".into(),
                name_kind: NameKind::Alias,
                score,
                explanation: Explanation {
                    summary: "キム → kimu≈kim ~ kim (katakana→romaji, phonetic)\n".into(),
                    tokens: vec![],
                    unmatched_query: vec![],
                    unmatched_listed: vec!["jong".into()],
                    name_score: score,
                    features: vec![Feature { feature: "country", effect: 0.03, detail: "KP".into() }],
                },
            },
            snapshot_id: 3,
            entity_hash: "cd".repeat(32),
            alert,
        }
    }

    /// The typed details give, byte for byte, the canonical JSON of the `json!` form that
    /// wrote `screen` records before them (with the list versions named by the hash of the
    /// set version 1 held inline, and that set byte for byte what version 1 held).
    #[test]
    fn typed_screen_details_are_the_canonical_json_of_before() {
        let snapshots = [snapshot(3, "jp-mof", Some("2026-03-05")), snapshot(7, "un-sc", None)];
        let matches = [
            screened("e1", 0.9166666666666666, Some(AlertOutcome::Opened(12))),
            screened("e2", 0.81, Some(AlertOutcome::Suppressed(4))),
            screened("e3", 0.5, None),
        ];
        let query = json!({"name": "キム", "names": ["キム", "KJU"], "schema": Schema::Person, "country": null,
            "identifiers": [], "customer_id": "C-1", "endpoint": "POST /match/default"});
        let options = ScreenOptions { limit: 5, threshold: 0.7 };
        let mut cache = None;
        let set = list_set_of(&mut cache, &snapshots).unwrap().clone();
        let inline = canonical_json(&crate::describe_snapshots(&snapshots));
        assert_eq!(set.lists(), inline);
        assert_eq!(set.sha256(), hex::encode(<sha2::Sha256 as sha2::Digest>::digest(inline.as_bytes())));
        let details = ScreenDetails {
            counterparty: "C-1",
            list_set: set.sha256(),
            options: RecordedOptions { alert_threshold: ALERT_THRESHOLD, limit: options.limit, threshold: options.threshold },
            query: Canonical(&query),
            results: matches.iter().map(RecordedResult::of).collect(),
            summary: "screened \"キム\": 3 match(es), 1 case(s) opened".into(),
        };
        let before = json!({
            "summary": "screened \"キム\": 3 match(es), 1 case(s) opened",
            "counterparty": "C-1",
            "query": query,
            "options": {"threshold": options.threshold, "limit": options.limit, "alert_threshold": ALERT_THRESHOLD},
            "list_set": set.sha256(),
            "results": matches.iter().map(|m| json!({
                "entity_id": m.matched.entity_id, "source": m.matched.source, "snapshot_id": m.snapshot_id,
                "entity_hash": m.entity_hash, "caption": m.matched.caption, "matched_name": m.matched.matched_name,
                "score": m.matched.score, "explanation": m.matched.explanation.summary, "alert": m.alert,
            })).collect::<Vec<_>>(),
        });
        assert_eq!(serde_json::to_string(&details).unwrap(), canonical_json(&before));
        assert_eq!(result_json(&matches[0]), before["results"][0]);
    }
}
