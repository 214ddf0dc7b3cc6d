//! Health, readiness, metrics, the OpenAPI document, algorithms and reloading.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sekisho_match::OPERATING_THRESHOLD;
use sekisho_store::ApiKeyInfo;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::handlers::matching::{ALGORITHM, SEARCH_THRESHOLD};
use crate::index::ReloadOutcome;
use crate::state::Shared;

pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// 200 once an index is in service, 503 (saying why) before.
pub async fn readyz(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    let loaded = state.loaded()?;
    Ok(Json(json!({"status": "ok", "entities": loaded.index.entity_count(), "snapshots": loaded.snapshot_ids()})))
}

pub async fn metrics(State(state): State<Shared>) -> Response {
    let loaded = state.index.current();
    let text = state.metrics.render(loaded.as_deref());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::openapi::DOCUMENT).into_response()
}

pub async fn algorithms() -> Json<Value> {
    Json(json!({
        "algorithms": [{
            "name": ALGORITHM,
            "description": "Multilingual name matching: names in any script (Latin, kana, kanji, \
                hangul, Cyrillic, Arabic) are folded and read into Latin keys, candidates come from an \
                inverted index of those keys, and each candidate is scored by aligning tokens (exact, \
                phonetic, consonant skeleton, edit similarity), weighted by token rarity. Country, \
                birth date and identifiers adjust the score; an equal identifier is decisive. Every \
                result explains which query token met which listed token and how.",
            "threshold": OPERATING_THRESHOLD,
            "search_threshold": SEARCH_THRESHOLD,
            "features": {
                "name": "token alignment score of the best-matching listed name",
                "weak_alias": "the listed name is a weak alias (score x 0.9)",
                "order": "the tokens appear in another order",
                "first_name": "the first names differ",
                "numbers": "numbers in the names differ (score halved)",
                "country": "+0.03 when the query's country is listed, -0.05 when it is not",
                "birth_date": "+0.05 when the birth date agrees, -0.15 when it conflicts",
                "identifier": "an equal identifier: the score becomes at least 0.99",
            },
        }],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }))
}

/// Rebuilds the index from the lists in service now (admin only).
pub async fn reload(
    State(state): State<Shared>,
    key: Option<axum::Extension<ApiKeyInfo>>,
) -> Result<Json<Value>, ApiError> {
    let by = key.map_or_else(|| "unauthenticated (--no-auth)".to_string(), |k| k.0.name.clone());
    eprintln!("reload requested by {by}");
    let outcome = state.blocking(|state| Ok(crate::reload::reload(state, true))).await?;
    match outcome {
        Some(ReloadOutcome::Reloaded(loaded)) => Ok(Json(json!({
            "status": "ok",
            "reloaded": true,
            "snapshots": loaded.snapshot_ids(),
            "entities": loaded.index.entity_count(),
            "build_seconds": loaded.build_seconds,
        }))),
        Some(ReloadOutcome::Unchanged) => Err(ApiError::unavailable(state.index.pending_reason())),
        None => Err(ApiError::internal("reload failed")),
    }
}
