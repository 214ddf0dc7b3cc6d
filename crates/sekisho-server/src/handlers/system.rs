//! Health, readiness, metrics, the OpenAPI document, algorithms and reloading.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

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
    let mut text = state.metrics.render(loaded.as_deref());
    let stats = &state.recorder.stats;
    let checkpoints = state.recorder.checkpoints();
    for (name, help, value) in [
        ("sekisho_audit_groups_total", "Transactions the audit writer committed (group commit).", stats.groups.load(Ordering::Relaxed)),
        ("sekisho_audit_group_screenings_total", "Screenings recorded in those transactions.", stats.screenings.load(Ordering::Relaxed)),
        ("sekisho_wal_checkpoints_total", "WAL checkpoints run beside the audit writer.", checkpoints.passes.load(Ordering::Relaxed)),
        ("sekisho_wal_writer_catch_ups_total", "Checkpoints the audit writer finished so that the WAL could start over.", checkpoints.catch_ups.load(Ordering::Relaxed)),
        ("sekisho_wal_writer_catch_up_microseconds_total", "Time the audit writer spent on them.", checkpoints.catch_up_micros.load(Ordering::Relaxed)),
        ("sekisho_wal_database_syncs_total", "Syncs of the database file by the checkpoint thread before the audit writer finishes a copy.", checkpoints.database_syncs.load(Ordering::Relaxed)),
        ("sekisho_wal_database_sync_microseconds_total", "Time the checkpoint thread spent on them.", checkpoints.database_sync_micros.load(Ordering::Relaxed)),
        ("sekisho_wal_frames_written_total", "Frames (pages) written to the WAL, as counted at the thread's checkpoints (approximate, low: the backstop's checkpoints are not seen).", checkpoints.frames_written.load(Ordering::Relaxed)),
    ] {
        let _ = writeln!(text, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}");
    }
    for (name, help, value) in [
        ("sekisho_wal_frames", "Frames (pages) in the WAL at the last checkpoint.", checkpoints.wal_frames.load(Ordering::Relaxed)),
        ("sekisho_wal_writer_catch_up_max_microseconds", "The longest of the audit writer's checkpoints.", checkpoints.catch_up_max_micros.load(Ordering::Relaxed)),
    ] {
        let _ = writeln!(text, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
    }
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
                "given_name_in_part": "only part of a Chinese or Korean given name written in syllables met (those syllables count at half)",
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

/// The key's name and role, so that a client (the web UI) can show who is logged in and
/// what they may do. Without keys (`--no-auth`) everyone may do everything.
pub async fn whoami(key: Option<axum::Extension<ApiKeyInfo>>) -> Json<Value> {
    match key {
        Some(axum::Extension(key)) => Json(json!({"name": key.name, "role": key.role, "auth": true})),
        None => Json(json!({"name": crate::auth::ANONYMOUS, "role": sekisho_store::ApiRole::Admin, "auth": false})),
    }
}

/// Rebuilds the index from the lists in service now (admin only).
pub async fn reload(
    State(state): State<Shared>,
    key: Option<axum::Extension<ApiKeyInfo>>,
) -> Result<Json<Value>, ApiError> {
    let by = crate::auth::actor_name(key.as_deref());
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
