//! Screening through the API with a record: what a dataset is screened against, the reads
//! that pair matches with listed-entity versions, and the write to the audit trail.
//!
//! A request's screening runs on a screening thread, which hands it to the audit writer;
//! the request's task awaits only the writer's answer after the group commit.

use std::sync::Arc;

use sekisho_match::{Match, ScreenOptions, ScreeningIndex};
use sekisho_model::Schema;
use sekisho_service::{ScreenedMatch, ScreeningRecord, SnapshotInfo, Subject, counterparty_key};
use serde_json::json;
use tokio::sync::oneshot;

use crate::error::ApiError;
use crate::handlers::matching::unknown_dataset;
use crate::index::{Dataset, Loaded};
use crate::query::EntityQuery;
use crate::listed::ListedEntity;
use crate::results::MatchResult;
use crate::recorder::Answer;
use crate::state::{AppState, Shared};

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

/// What a request screened: the list versions, and one screening per query.
pub type ScreenedAll = (Arc<[SnapshotInfo]>, Vec<Screened>);

/// Screens on a screening thread (`screen`: matching and the reads that go with it), then
/// records the screenings of the request in order, one audit record each, in the writer's
/// next group commit; returns each one's audit sequence number and results. The screening
/// thread hands its screenings straight to the writer, and the writer's answer is the one
/// wake-up of the request's task.
pub async fn screen_and_record(
    state: &Shared,
    actor: String,
    options: ScreenOptions,
    threshold: f64,
    screen: impl FnOnce(&AppState) -> Result<ScreenedAll, ApiError> + Send + 'static,
) -> Result<Vec<(i64, Vec<MatchResult>)>, ApiError> {
    let (reply, answer) = oneshot::channel();
    state.submit_screening(move |state| {
        // Counted from the moment it starts: the writer waits for screenings under way, not
        // for the queue of the screening threads (see `recorder.rs`).
        let coming = state.recorder.coming();
        match screen(state) {
            Err(e) => {
                let _ = reply.send(Err(e));
            }
            Ok((snapshots, screened)) => {
                let (entities, screenings): (Vec<_>, Vec<_>) =
                    screened.into_iter().map(|s| (s.entities, (s.subject, s.matches))).unzip();
                let answer: Answer = Box::new(move |recorded| {
                    // A request that gave up (its client went away) has nothing to answer.
                    let _ = reply.send(results(recorded, entities, threshold));
                });
                state.recorder.submit(actor, snapshots, options, screenings, answer, coming);
            }
        }
    });
    // Dropped unanswered: the screening panicked (the thread survives) or the pool is gone.
    answer.await.unwrap_or_else(|_| Err(ApiError::internal("a screening task failed")))
}

/// Each recorded screening's audit sequence number and its results for the response.
fn results(
    recorded: sekisho_service::Result<Vec<ScreeningRecord>>,
    entities: Vec<Vec<Arc<ListedEntity>>>,
    threshold: f64,
) -> Result<Vec<(i64, Vec<MatchResult>)>, ApiError> {
    recorded?
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
