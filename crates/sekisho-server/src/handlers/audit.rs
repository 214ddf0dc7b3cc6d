//! `GET /audit` and `GET /audit/verify`: the audit trail for auditors (admin keys).

use std::collections::HashMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::params::Params;
use crate::state::Shared;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;

/// A page of records, newest first, of one action if asked.
pub async fn list(
    State(state): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::from_request(query)?;
    let limit = params.count("limit", DEFAULT_LIMIT, MAX_LIMIT)?;
    let offset = params.offset("offset")?;
    let action = params.get("action").map(str::trim).filter(|a| !a.is_empty()).map(str::to_string);
    let (records, total) = state
        .store_task(move |state| Ok(state.stores.with(|store| store.audit_page(action.as_deref(), limit, offset))?))
        .await?;
    let records: Vec<Value> = records
        .into_iter()
        .map(|r| {
            json!({
                "seq": r.seq, "at": r.timestamp, "actor": r.actor, "action": r.action,
                "details": r.details, "hash": r.hash, "prev_hash": r.prev_hash,
            })
        })
        .collect();
    Ok(Json(json!({"records": records, "total": total, "limit": limit, "offset": offset})))
}

/// Walks the hash chain, as `sekisho audit verify` does. A broken chain is still a 200:
/// the verification itself succeeded, and its answer is `"ok": false`.
pub async fn verify(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    // The walk reads and hashes every record: CPU work, counted with the screenings.
    let v = state.blocking(|state| Ok(state.stores.with(|store| store.verify_audit())?)).await?;
    let mut out = json!({
        "ok": v.problem.is_none(),
        "records": v.records,
        "head": v.head_hash,
        "first_seq": v.first_seq,
        "last_seq": v.last_seq,
        "checkpoint_seq": v.checkpoint_seq,
    });
    if let Some(p) = v.problem {
        out["problem"] = json!(format!("record {}: {}", p.seq, p.message));
        out["problem_seq"] = json!(p.seq);
        out["problem_kind"] = json!(p.kind);
    }
    Ok(Json(out))
}
