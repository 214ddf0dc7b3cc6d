//! `POST /match/{dataset}` and `GET /search/{dataset}`.

use std::collections::HashMap;

use axum::{Extension, Json};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sekisho_match::{OPERATING_THRESHOLD, ScreenOptions};
use sekisho_store::ApiKeyInfo;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::actor_name;
use crate::error::ApiError;
use crate::index::Loaded;
use crate::params::Params;
use crate::query::{EntityQuery, parse_match_body, parse_schema};
use crate::results::{MatchResult, screen_entity};
use crate::screening::{match_subject, read_versions, screen_and_record, screening_target, search_subject};
use crate::state::Shared;

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
) -> Result<Json<MatchResponse>, ApiError> {
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
    // The keys and echoes go to the response, the queries to the screening thread (moved,
    // not copied).
    let (queries_echo, queries): (Vec<(String, Value)>, Vec<EntityQuery>) = parse_match_body(&body, state.config.max_batch)?
        .into_iter()
        .map(|(key, mut query)| ((key, std::mem::take(&mut query.echo)), query))
        .unzip();
    let loaded = state.loaded()?;
    check_dataset(&loaded, &dataset)?;
    let actor = actor_name(key.as_deref());
    let options = ScreenOptions { limit, threshold: cutoff };
    let screen_options = options.clone();
    let recorded = screen_and_record(&state, actor, options, threshold, move |state| {
        let target = screening_target(state, &loaded, &dataset)?;
        let screened = queries
            .iter()
            .map(|query| {
                let matches = screen_entity(&target.index, query, &screen_options);
                read_versions(state, &loaded, &target, match_subject(query, &dataset), matches)
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok((target.snapshots, screened))
    })
    .await?;
    let responses = queries_echo
        .into_iter()
        .zip(recorded)
        .map(|((key, query), (audit_seq, results))| {
            (key, QueryResponse { status: 200, total: Total::of(&results), results, query, audit_seq })
        })
        .collect();
    Ok(Json(MatchResponse { responses: Keyed(responses), limit }))
}

// The responses, written straight from their parts (no `Value` tree per request).

/// `POST /match`: one response per query key, in the order the keys were read.
#[derive(Serialize)]
pub struct MatchResponse {
    responses: Keyed<QueryResponse>,
    limit: usize,
}

#[derive(Serialize)]
struct QueryResponse {
    status: u16,
    results: Vec<MatchResult>,
    total: Total,
    query: Value,
    audit_seq: i64,
}

/// `GET /search`.
#[derive(Serialize)]
pub struct SearchResponse {
    limit: usize,
    offset: usize,
    total: Total,
    results: Vec<MatchResult>,
    facets: Map<String, Value>,
    audit_seq: i64,
}

#[derive(Serialize)]
struct Total {
    value: usize,
    relation: &'static str,
}

impl Total {
    fn of(results: &[MatchResult]) -> Total {
        Total { value: results.len(), relation: "eq" }
    }
}

/// Key-value pairs written as a JSON object.
struct Keyed<T>(Vec<(String, T)>);

impl<T: Serialize> Serialize for Keyed<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// One name, looser threshold; recorded like `/match` (alerts at the operating threshold
/// open cases).
pub async fn search(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    Path(dataset): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
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
    let screen_options = options.clone();
    let mut recorded = screen_and_record(&state, actor, options, OPERATING_THRESHOLD, move |state| {
        let target = screening_target(state, &loaded, &dataset)?;
        let subject = search_subject(&q, schema, &dataset);
        let query = sekisho_match::Query { name: q, schema, ..Default::default() };
        let matches = target.index.screen(&query, &screen_options);
        let screened = read_versions(state, &loaded, &target, subject, matches)?;
        Ok((target.snapshots, vec![screened]))
    })
    .await?;
    let (audit_seq, results) = recorded.pop().ok_or_else(|| ApiError::internal("a screening was not recorded"))?;
    Ok(Json(SearchResponse { limit, offset: 0, total: Total::of(&results), results, facets: Map::new(), audit_seq }))
}

/// The body as JSON: 413 past the size limit, 400 naming the syntax error.
pub fn read_json(body: Result<Bytes, BytesRejection>, limit: usize, expected: &str) -> Result<Value, ApiError> {
    let body = read_body(body, limit)?;
    if body.is_empty() {
        return Err(ApiError::bad_request(format!("empty body: send {expected}")));
    }
    serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))
}

/// The body's bytes: 413 past the size limit, 400 when it cannot be read.
pub fn read_body(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("request body exceeds the limit of {limit} bytes"))
        } else {
            ApiError::bad_request(format!("cannot read the request body: {}", e.body_text()))
        }
    })
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
