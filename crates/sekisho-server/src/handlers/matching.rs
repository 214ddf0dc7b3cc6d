//! `POST /match/{dataset}` and `GET /search/{dataset}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sekisho_match::{OPERATING_THRESHOLD, ScreenOptions, ScreeningIndex};
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::index::{Dataset, Loaded};
use crate::params::Params;
use crate::query::{EntityQuery, parse_match_body, parse_schema};
use crate::results::{match_json, matched_entity, screen_entity};
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

pub async fn match_entities(
    State(state): State<Shared>,
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
    let body = read_json(body, state.config.body_limit)?;
    let queries = parse_match_body(&body, state.config.max_batch)?;
    let loaded = state.loaded()?;
    check_dataset(&loaded, &dataset)?;
    let options = ScreenOptions { limit, threshold: cutoff };
    let responses = state
        .blocking(move |state| {
            let index = dataset_index(state, &loaded, &dataset)?;
            let mut responses = Map::new();
            for (key, query) in &queries {
                responses.insert(key.clone(), answer(state, &loaded, &index, query, &options, threshold)?);
            }
            Ok(responses)
        })
        .await?;
    Ok(Json(json!({"responses": responses, "limit": limit})))
}

fn answer(
    state: &AppState,
    loaded: &Loaded,
    index: &ScreeningIndex,
    query: &EntityQuery,
    options: &ScreenOptions,
    threshold: f64,
) -> Result<Value, ApiError> {
    let matches = screen_entity(index, query, options);
    let results = state.stores.with(|store| {
        matches
            .iter()
            .map(|m| Ok(match_json(m, matched_entity(loaded, store, m)?.as_ref(), threshold)))
            .collect::<sekisho_store::Result<Vec<Value>>>()
    })?;
    Ok(json!({
        "status": 200,
        "results": results,
        "total": {"value": results.len(), "relation": "eq"},
        "query": query.echo,
    }))
}

pub async fn search(
    State(state): State<Shared>,
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
    let options = ScreenOptions { limit, threshold: SEARCH_THRESHOLD };
    let results = state
        .blocking(move |state| {
            let index = dataset_index(state, &loaded, &dataset)?;
            let query = sekisho_match::Query { name: q, schema, ..Default::default() };
            let matches = index.screen(&query, &options);
            Ok(state.stores.with(|store| {
                matches
                    .iter()
                    .map(|m| Ok(match_json(m, matched_entity(&loaded, store, m)?.as_ref(), OPERATING_THRESHOLD)))
                    .collect::<sekisho_store::Result<Vec<Value>>>()
            })?)
        })
        .await?;
    Ok(Json(json!({
        "limit": limit,
        "offset": 0,
        "total": {"value": results.len(), "relation": "eq"},
        "results": results,
        "facets": {},
    })))
}

/// The body as JSON: 413 past the size limit, 400 naming the syntax error.
fn read_json(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Value, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("request body exceeds the limit of {limit} bytes"))
        } else {
            ApiError::bad_request(format!("cannot read the request body: {}", e.body_text()))
        }
    })?;
    if body.is_empty() {
        return Err(ApiError::bad_request("empty body: send a JSON object with `queries`"));
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

/// The index to screen a dataset against (building a single source's on first use).
fn dataset_index(state: &AppState, loaded: &Arc<Loaded>, name: &str) -> Result<DatasetIndex, ApiError> {
    match loaded.dataset(name) {
        Some(Dataset::All) => Ok(DatasetIndex::All(loaded.clone())),
        Some(Dataset::Source(snapshot)) => {
            Ok(DatasetIndex::Source(state.stores.with(|store| loaded.source_index(snapshot, store))?))
        }
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
