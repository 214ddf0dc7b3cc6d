//! Screening through the API with a record: what a dataset is screened against, the reads
//! that pair matches with listed-entity versions, and the write to the audit trail.
//!
//! Split in two so that the caller can match and read under a screening permit on a
//! blocking thread, and then await the writer's group commit without holding either.

use std::sync::Arc;

use sekisho_match::{Match, ScreenOptions, ScreeningIndex};
use sekisho_model::Schema;
use sekisho_service::{ScreenedMatch, SnapshotInfo, Subject, counterparty_key};
use serde_json::json;

use crate::error::ApiError;
use crate::handlers::matching::unknown_dataset;
use crate::index::{Dataset, Loaded};
use crate::query::EntityQuery;
use crate::listed::ListedEntity;
use crate::results::MatchResult;
use crate::state::AppState;

/// What a dataset is screened against: an index and the snapshots it was built from (the
/// list versions each screening records).
pub struct ScreeningTarget {
    pub index: DatasetIndex,
    pub snapshots: Arc<[SnapshotInfo]>,
}

/// The index to screen a dataset against (building a single source's on first use).
pub fn screening_target(state: &AppState, loaded: &Arc<Loaded>, name: &str) -> Result<ScreeningTarget, ApiError> {
    match loaded.dataset(name) {
        Some(Dataset::All) => {
            Ok(ScreeningTarget { index: DatasetIndex::All(loaded.clone()), snapshots: loaded.snapshots.clone() })
        }
        Some(Dataset::Source(snapshot)) => Ok(ScreeningTarget {
            index: DatasetIndex::Source(state.stores.with(|store| loaded.source_index(snapshot, store))?),
            snapshots: Arc::new([snapshot.clone()]),
        }),
        None => Err(unknown_dataset(loaded, name)),
    }
}

pub enum DatasetIndex {
    All(Arc<Loaded>),
    Source(Arc<ScreeningIndex>),
}

impl std::ops::Deref for DatasetIndex {
    type Target = ScreeningIndex;
    fn deref(&self) -> &ScreeningIndex {
        match self {
            DatasetIndex::All(loaded) => &loaded.index,
            DatasetIndex::Source(index) => index,
        }
    }
}

/// One screening, matched and read, ready to record.
pub struct Screened {
    subject: Subject,
    matches: Vec<ScreenedMatch>,
    /// The listed entity of each match, for the response.
    entities: Vec<Arc<ListedEntity>>,
}

/// Pairs each match with its listed entity and that entity's version in the snapshot the
/// index was built from (see [`sekisho_service::version_matches`]): from the index's cache,
/// or read on a pool connection the first time.
pub fn read_versions(
    state: &AppState,
    loaded: &Loaded,
    target: &ScreeningTarget,
    subject: Subject,
    matches: Vec<Match>,
) -> Result<Screened, ApiError> {
    let mut versioned = Vec::with_capacity(matches.len());
    let mut entities = Vec::with_capacity(matches.len());
    for m in matches {
        let snapshot = sekisho_service::snapshot_of(&target.snapshots, &m.source)?;
        let read = || -> Result<_, ApiError> {
            let found = state.stores.with(|store| store.snapshot_entity_version(snapshot.id, &m.entity_id))?;
            Ok(found.map(|(hash, entity)| ListedEntity::new(hash, &entity)))
        };
        let entity = loaded.listed.get_or_read(snapshot.id, &m.entity_id, read)?.ok_or_else(|| sekisho_service::not_in_snapshot(&m))?;
        versioned.push(ScreenedMatch { snapshot_id: snapshot.id, entity_hash: entity.hash.clone(), alert: None, matched: m });
        entities.push(entity);
    }
    Ok(Screened { subject, matches: versioned, entities })
}

/// Records the screenings of one request in order, one audit record each, in the writer's
/// next group commit; returns each one's audit sequence number and results.
pub async fn record_all(
    state: &AppState,
    actor: String,
    snapshots: Arc<[SnapshotInfo]>,
    screened: Vec<Screened>,
    options: &ScreenOptions,
    threshold: f64,
) -> Result<Vec<(i64, Vec<MatchResult>)>, ApiError> {
    let (entities, screenings): (Vec<_>, Vec<_>) = screened.into_iter().map(|s| (s.entities, (s.subject, s.matches))).unzip();
    let recorded = state.recorder.record(actor, snapshots, options.clone(), screenings).await?;
    recorded
        .into_iter()
        .zip(entities)
        .map(|(record, entities)| {
            let seq = record.audit_seq.ok_or_else(|| ApiError::internal("a recorded screening has no audit record"))?;
            let results = record
                .matches
                .into_iter()
                .zip(entities)
                .map(|(matched, entity)| MatchResult { entity, matched, threshold })
                .collect();
            Ok((seq, results))
        })
        .collect()
}

/// How a `/match` query entity is filed and recorded: under its `id` as the customer id if
/// it has one, else under its first name, schema and country.
pub fn match_subject(query: &EntityQuery, dataset: &str) -> Subject {
    let name = query.names[0].clone();
    let country = query.countries.first().map(String::as_str);
    Subject {
        counterparty_key: counterparty_key(query.customer_id.as_deref(), &name, Some(query.schema), country),
        query: json!({
            "name": name, "names": query.names, "schema": query.schema, "country": country,
            "countries": query.countries, "birth_date": query.birth_dates.first().map(|d| d.to_string()),
            "identifiers": query.identifiers, "customer_id": query.customer_id,
            "endpoint": format!("POST /match/{dataset}"),
        }),
        name,
    }
}

/// A `/search` name, filed under the folded name and schema.
pub fn search_subject(q: &str, schema: Option<Schema>, dataset: &str) -> Subject {
    Subject {
        counterparty_key: counterparty_key(None, q, schema, None),
        query: json!({"name": q, "schema": schema, "endpoint": format!("GET /search/{dataset}")}),
        name: q.to_string(),
    }
}
