//! Classification (該非判定) and the rulebook: `GET /classify/search`, `POST
//! /classify/records`, `GET /classify/records/{item}`, `GET /rules`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use sekisho_rules::{Regime, SearchQuery};
use sekisho_store::ApiKeyInfo;
use serde_json::{Map, Value, json};

use crate::auth::actor_name;
use crate::error::ApiError;
use crate::handlers::matching::read_json;
use crate::params::Params;
use crate::state::Shared;

const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 100;

/// Ranked candidate entries for a code, keyword or parameter, with excerpts and why each
/// was found.
pub async fn search(
    State(state): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::from_request(query)?;
    let text = params.get("q").map(str::trim).filter(|q| !q.is_empty());
    let text = text.ok_or_else(|| ApiError::unprocessable("q: missing; give a code (3A001), keywords or a parameter"))?.to_string();
    let regime = regime_param(params.get("regime"))?;
    let limit = params.count("limit", DEFAULT_LIMIT, MAX_LIMIT)?;
    state
        .blocking(move |state| {
            let rulebook = state.stores.with(|store| Ok(state.determiner.rulebook(store)))??;
            let hits = rulebook.search_index().search(&SearchQuery { text: text.clone(), regime, limit });
            Ok(Json(json!({
                "query": text,
                "regime": regime,
                "rulebook": {"version": rulebook.info.seq, "id": rulebook.info.id},
                "candidates": hits,
            })))
        })
        .await
}

fn regime_param(raw: Option<&str>) -> Result<Option<Regime>, ApiError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => r.parse().map(Some).map_err(|e| ApiError::unprocessable(format!("regime: {e}"))),
    }
}

/// A reviewer records a classification decision; the code is checked against the latest
/// rulebook; a new decision for the same item and regime is a new version.
pub async fn record(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = read_json(body, state.config.body_limit, "a JSON object with item, regime, code and justification")?;
    let input = RecordInput::parse(&body)?;
    let actor = actor_name(key.as_deref());
    let record = state
        .store_task(move |state| {
            let rulebook = state.stores.with(|store| Ok(state.determiner.rulebook(store)))??;
            let resolved =
                rulebook.book.resolve_code(input.regime, &input.code).map_err(|e| ApiError::unprocessable(format!("code: {e}")))?;
            let by = input.decided_by.as_deref().unwrap_or(&actor);
            let version = &rulebook.book.version.id;
            Ok(state.recorder.with(|service| {
                Ok(service.store_mut().record_classification(&actor, by, &input.item, &resolved, &input.justification, version)?)
            })?)
        })
        .await?;
    Ok(Json(json!(record)))
}

struct RecordInput {
    item: String,
    regime: Regime,
    code: String,
    justification: String,
    decided_by: Option<String>,
}

impl RecordInput {
    fn parse(body: &Value) -> Result<RecordInput, ApiError> {
        let body = body.as_object().ok_or_else(|| ApiError::unprocessable("body: expected a JSON object with item, regime, code and justification"))?;
        let regime = required(body, "regime")?;
        Ok(RecordInput {
            item: required(body, "item")?,
            regime: regime.parse().map_err(|e| ApiError::unprocessable(format!("regime: {e}")))?,
            code: required(body, "code")?,
            justification: required(body, "justification")?,
            decided_by: match body.get("decided_by") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Some(_) => return Err(ApiError::unprocessable("decided_by: expected a non-empty string")),
            },
        })
    }
}

fn required(body: &Map<String, Value>, field: &str) -> Result<String, ApiError> {
    match body.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(ApiError::unprocessable(format!("{field}: missing"))),
        Some(_) => Err(ApiError::unprocessable(format!("{field}: expected a string"))),
    }
}

/// Every decision recorded for an item, oldest first.
pub async fn history(State(state): State<Shared>, Path(item): Path<String>) -> Result<Json<Value>, ApiError> {
    let key = item.clone();
    let records = state.store_task(move |state| Ok(state.stores.with(|store| store.classification_history(&key))?)).await?;
    if records.is_empty() {
        return Err(ApiError::not_found(format!("no classification recorded for {item:?}")));
    }
    Ok(Json(json!({"item": item, "records": records})))
}

/// The rulebook in service: version, import time, sources with their citations and
/// credit lines, and what it holds.
pub async fn rules(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    let rulebook = state.store_task(move |state| state.stores.with(|store| Ok(state.determiner.rulebook(store)))?).await?;
    let info = &rulebook.info;
    Ok(Json(json!({
        "version": info.seq,
        "id": info.id,
        "imported_at": info.imported_at,
        "sources": info.sources,
        "counts": info.counts,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_input_names_the_field() {
        let ok = RecordInput::parse(&json!({"item": " PN-1 ", "regime": "US", "code": "3A001.a.1", "justification": "rad-hard"})).unwrap();
        assert_eq!((ok.item.as_str(), ok.regime, ok.decided_by), ("PN-1", Regime::Us, None));
        let detail = |body: Value| {
            let e = RecordInput::parse(&body).err().expect("rejected");
            assert_eq!(e.status.as_u16(), 422);
            e.detail
        };
        assert_eq!(detail(json!({"regime": "us", "code": "x", "justification": "y"})), "item: missing");
        assert!(detail(json!({"item": "a", "regime": "cn", "code": "x", "justification": "y"})).starts_with("regime: unknown regime"));
        assert_eq!(detail(json!({"item": "a", "regime": "jp", "code": 5, "justification": "y"})), "code: expected a string");
        assert_eq!(detail(json!({"item": "a", "regime": "jp", "code": "x", "justification": " "})), "justification: missing");
        assert!(detail(json!([1])).starts_with("body:"));
    }

    #[test]
    fn regime_parameter() {
        assert_eq!(regime_param(None).unwrap(), None);
        assert_eq!(regime_param(Some("")).unwrap(), None);
        assert_eq!(regime_param(Some("jp")).unwrap(), Some(Regime::Jp));
        assert_eq!(regime_param(Some("xx")).unwrap_err().status.as_u16(), 422);
    }
}
