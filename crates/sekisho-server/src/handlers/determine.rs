//! `POST /determine`: licence determination of one transaction (the JSON of
//! `sekisho determine`), the parties screened on the server's index, recorded in the audit
//! trail under the key's name.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::{Extension, Json};
use sekisho_service::determination::{DetermineError, determine_transaction, screen_parties};
use sekisho_store::ApiKeyInfo;
use serde_json::{Value, json};

use crate::auth::actor_name;
use crate::error::ApiError;
use crate::handlers::matching::read_body;
use crate::state::Shared;

pub async fn determine(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let text = body_text(body, state.config.body_limit)?;
    let actor = actor_name(key.as_deref());
    // Parsing, screening and the engine are CPU work: on a screening thread.
    let (determined, rulebook) = state
        .blocking(move |state| {
            let rulebook = state.stores.with(|store| Ok(state.determiner.rulebook(store)))??;
            let determined = determine_transaction(
                text,
                &rulebook.book,
                state.determiner.authored()?,
                // Parties are never left unscreened by the server: without an index, no answer.
                |tx| {
                    let loaded = state.loaded().map_err(|e| ApiError::unavailable(format!("the parties cannot be screened: {}", e.detail)))?;
                    let screening = state.stores.with(|store| Ok(screen_parties(store, &loaded.index, &loaded.snapshots, tx)))??;
                    Ok(Some((screening, loaded.snapshots.to_vec())))
                },
                || state.determiner.indicators(),
            )
            .map_err(|e| match e {
                DetermineError::Transaction(e) => {
                    let status = if e.field == "(json)" { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
                    ApiError::new(status, e.to_string())
                }
                DetermineError::Parties(e) => e,
                DetermineError::NothingDetermined => ApiError::unprocessable("exporter: name at least one of JP, US, EU"),
            })?;
            Ok((determined, rulebook))
        })
        .await?;
    let (seq, determined) = state
        .store_task(move |state| {
            let seq = state.recorder.with(|service| determined.record(service.store_mut(), &actor))?;
            Ok((seq, determined))
        })
        .await?;
    Ok(Json(json!({
        "determination": determined.determination(),
        "audit_seq": seq,
        "rulebook": {"version": rulebook.info.seq, "id": rulebook.info.id},
    })))
}

/// The body as UTF-8 text (the audit record hashes it as sent).
fn body_text(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<String, ApiError> {
    let body = read_body(body, limit)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("empty body: send a transaction as JSON (see the README's \"Licence determination\")"));
    }
    String::from_utf8(body.to_vec()).map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))
}
