//! `POST /match/{dataset}` and `GET /search/{dataset}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::{Extension, Json};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sekisho_match::{Match, OPERATING_THRESHOLD, ScreenOptions, ScreeningIndex};
use sekisho_model::Schema;
use sekisho_service::{SnapshotInfo, Subject, counterparty_key, version_matches};
use sekisho_store::ApiKeyInfo;
use serde_json::{Map, Value, json};

use crate::auth::actor_name;
use crate::error::ApiError;
use crate::index::{Dataset, Loaded};
use crate::params::Params;
use crate::query::{EntityQuery, parse_match_body, parse_schema};
use crate::results::{matched_entity, screen_entity, screened_json};
use crate::state::{AppState, Shared};

/// Results per query unless `limit` says otherwise (yente's default), and the most allowed.
const DEFAULT_LIMIT: usize = 5;
const MAX_LIMIT: usize = 500;
/// `/search` lists looser candidates than `/match` alerts on.
pub const SEARCH_THRESHOLD: f64 = 0.5;
const SEARCH_DEFAULT_LIMIT: usize = 10;
const SEARCH_MAX_LIMIT: usize = 100;
/// The algorithm names `/match` accepts: sekisho's own, and yente's aliases for "the
/// server's choice", so that yente clients work unchanged.
pub const ALGORITHM: &str = "sekisho";
const ALGORITHM_ALIASES: [&str; 2] = ["best", "default"];

/// Screens each query entity, records each screening in the audit trail (one record per
/// query, its `audit_seq` in the response) and opens a case per alert, as `sekisho screen`
/// does. Requests refused before screening (bad input, unknown dataset, not ready) leave no
/// record: nothing was screened.
pub async fn match_entities(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    Path(dataset): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::from_request(query)?;
    let limit = params.count("limit", DEFAULT_LIMIT, MAX_LIMIT)?;
    let threshold = params.score("threshold", OPERATING_THRESHOLD)?;
    // yente's deprecated `cutoff`: results between it and the threshold come with match=false.
    let cutoff = params.score("cutoff", threshold)?.min(threshold);
    if let Some(algorithm) = params.get("algorithm")
        && algorithm != ALGORITHM
        && !ALGORITHM_ALIASES.contains(&algorithm)
    {
        return Err(ApiError::unprocessable(format!("algorithm: unknown algorithm {algorithm:?}; this server has {ALGORITHM:?}")));
    }
    let body = read_json(body, state.config.body_limit, "a JSON object with `queries`")?;
    let queries = parse_match_body(&body, state.config.max_batch)?;
    let loaded = state.loaded()?;
    check_dataset(&loaded, &dataset)?;
    let actor = actor_name(key.as_deref());
    let options = ScreenOptions { limit, threshold: cutoff };
    let responses = state
        .blocking(move |state| {
            let target = screening_target(state, &loaded, &dataset)?;
            let mut responses = Map::new();
            for (key, query) in &queries {
                let matches = screen_entity(&target.index, query, &options);
                let subject = match_subject(query, &dataset);
                let (audit_seq, results) = record(state, &actor, &loaded, &target, subject, matches, &options, threshold)?;
                responses.insert(
                    key.clone(),
                    json!({
                        "status": 200,
                        "results": results,
                        "total": {"value": results.len(), "relation": "eq"},
                        "query": query.echo,
                        "audit_seq": audit_seq,
                    }),
                );
            }
            Ok(responses)
        })
        .await?;
    Ok(Json(json!({"responses": responses, "limit": limit})))
}

/// One name, looser threshold; recorded like `/match` (alerts at the operating threshold
/// open cases).
pub async fn search(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    Path(dataset): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::from_request(query)?;
    let limit = params.count("limit", SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT)?;
    let q = params.get("q").map(str::trim).unwrap_or_default().to_string();
    if !q.chars().any(char::is_alphanumeric) {
        return Err(ApiError::unprocessable("q: a name to search for is required"));
    }
    let schema = params.get("schema").map(|s| parse_schema("schema", s)).transpose()?;
    let loaded = state.loaded()?;
    check_dataset(&loaded, &dataset)?;
    let actor = actor_name(key.as_deref());
    let options = ScreenOptions { limit, threshold: SEARCH_THRESHOLD };
    let (audit_seq, results) = state
        .blocking(move |state| {
            let target = screening_target(state, &loaded, &dataset)?;
            let subject = search_subject(&q, schema, &dataset);
            let query = sekisho_match::Query { name: q, schema, ..Default::default() };
            let matches = target.index.screen(&query, &options);
            record(state, &actor, &loaded, &target, subject, matches, &options, OPERATING_THRESHOLD)
        })
        .await?;
    Ok(Json(json!({
        "limit": limit,
        "offset": 0,
        "total": {"value": results.len(), "relation": "eq"},
        "results": results,
        "facets": {},
        "audit_seq": audit_seq,
    })))
}

/// Records one screening and returns its audit sequence number and the results as JSON.
/// Entity versions and entities are read on a pool connection; only the write itself
/// holds the recorder.
#[allow(clippy::too_many_arguments)]
fn record(
    state: &AppState,
    actor: &str,
    loaded: &Loaded,
    target: &ScreeningTarget,
    subject: Subject,
    matches: Vec<Match>,
    options: &ScreenOptions,
    threshold: f64,
) -> Result<(i64, Vec<Value>), ApiError> {
    let (versioned, entities) = state.stores.with(|store| {
        let entities = matches.iter().map(|m| matched_entity(loaded, store, m)).collect::<sekisho_store::Result<Vec<_>>>()?;
        Ok((version_matches(store, &target.snapshots, matches), entities))
    })?;
    let versioned = versioned?;
    let recorded =
        state.recorder.with(|service| service.record_screening(actor, &target.snapshots, subject, versioned, options))?;
    let audit_seq = recorded.audit_seq.ok_or_else(|| ApiError::internal("a recorded screening has no audit record"))?;
    let results = recorded.matches.iter().zip(&entities).map(|(m, e)| screened_json(m, e.as_ref(), threshold)).collect();
    Ok((audit_seq, results))
}

/// How a `/match` query entity is filed and recorded: under its `id` as the customer id if
/// it has one, else under its first name, schema and country.
fn match_subject(query: &EntityQuery, dataset: &str) -> Subject {
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

fn search_subject(q: &str, schema: Option<Schema>, dataset: &str) -> Subject {
    Subject {
        counterparty_key: counterparty_key(None, q, schema, None),
        query: json!({"name": q, "schema": schema, "endpoint": format!("GET /search/{dataset}")}),
        name: q.to_string(),
    }
}

/// The body as JSON: 413 past the size limit, 400 naming the syntax error.
pub fn read_json(body: Result<Bytes, BytesRejection>, limit: usize, expected: &str) -> Result<Value, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("request body exceeds the limit of {limit} bytes"))
        } else {
            ApiError::bad_request(format!("cannot read the request body: {}", e.body_text()))
        }
    })?;
    if body.is_empty() {
        return Err(ApiError::bad_request(format!("empty body: send {expected}")));
    }
    serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))
}

fn check_dataset(loaded: &Loaded, name: &str) -> Result<(), ApiError> {
    match loaded.dataset(name) {
        Some(_) => Ok(()),
        None => Err(unknown_dataset(loaded, name)),
    }
}

pub fn unknown_dataset(loaded: &Loaded, name: &str) -> ApiError {
    let known: Vec<&str> = loaded.snapshots.iter().map(|s| s.source.as_str()).collect();
    ApiError::not_found(format!("unknown dataset {name:?}; use {:?} or one of {}", crate::DEFAULT_DATASET, known.join(", ")))
}

/// What a dataset is screened against: an index and the snapshots it was built from (the
/// list versions each screening records).
struct ScreeningTarget {
    index: DatasetIndex,
    snapshots: Vec<SnapshotInfo>,
}

/// The index to screen a dataset against (building a single source's on first use).
fn screening_target(state: &AppState, loaded: &Arc<Loaded>, name: &str) -> Result<ScreeningTarget, ApiError> {
    match loaded.dataset(name) {
        Some(Dataset::All) => {
            Ok(ScreeningTarget { index: DatasetIndex::All(loaded.clone()), snapshots: loaded.snapshots.clone() })
        }
        Some(Dataset::Source(snapshot)) => Ok(ScreeningTarget {
            index: DatasetIndex::Source(state.stores.with(|store| loaded.source_index(snapshot, store))?),
            snapshots: vec![snapshot.clone()],
        }),
        None => Err(unknown_dataset(loaded, name)),
    }
}

enum DatasetIndex {
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
