//! `GET /cases`, `GET /cases/{id}`, `POST /cases/{id}/review`: alerts and their review.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use sekisho_service::{Case, CaseStatus, Decision};
use sekisho_store::ApiKeyInfo;
use serde_json::{Value, json};

use crate::auth::actor_name;
use crate::error::ApiError;
use crate::handlers::matching::read_json;
use crate::params::Params;
use crate::state::Shared;

const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 500;

/// A page of cases, newest first, of one status if asked.
pub async fn list(
    State(state): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::from_request(query)?;
    let status = match params.get("status").map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(CaseStatus::parse(s).ok_or_else(|| {
            ApiError::unprocessable(format!("status: unknown status {s:?}; use open, true_match or false_positive"))
        })?),
        None => None,
    };
    let limit = params.count("limit", DEFAULT_LIMIT, MAX_LIMIT)?;
    let offset = params.offset("offset")?;
    let (cases, total) =
        state.store_task(move |state| Ok(state.stores.with(|store| store.cases_page(status, limit, offset))?)).await?;
    Ok(Json(json!({
        "cases": cases.iter().map(case_json).collect::<Vec<_>>(),
        "total": total,
        "limit": limit,
        "offset": offset,
    })))
}

pub async fn get(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = case_id(&id)?;
    let case = state.store_task(move |state| Ok(state.stores.with(|store| store.case(id))?)).await?;
    case.map(|c| Json(case_json(&c))).ok_or_else(|| ApiError::not_found(format!("no case {id}")))
}

/// A reviewer's decision with the reason, recorded in the audit trail under the key's name.
/// Only an open case can be decided here (409 otherwise): a correction of a decision is a
/// deliberate act, done with `sekisho cases review`.
pub async fn review(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = case_id(&id)?;
    let body = read_json(body, state.config.body_limit, "a JSON object with `decision` and `reason`")?;
    let (decision, reason) = parse_review(&body)?;
    let reviewer = actor_name(key.as_deref());
    let case = state
        .store_task(move |state| {
            Ok(state.recorder.with(|service| service.review_open_case(&reviewer, id, decision, &reason, None))?)
        })
        .await?;
    Ok(Json(case_json(&case)))
}

fn parse_review(body: &Value) -> Result<(Decision, String), ApiError> {
    let Some(body) = body.as_object() else {
        return Err(ApiError::unprocessable("body: expected a JSON object with `decision` and `reason`"));
    };
    let decision = match body.get("decision") {
        Some(Value::String(d)) => match CaseStatus::parse(d) {
            Some(CaseStatus::TrueMatch) => Decision::TrueMatch,
            Some(CaseStatus::FalsePositive) => Decision::FalsePositive,
            _ => return Err(ApiError::unprocessable(format!("decision: {d:?} is not a decision; use true_match or false_positive"))),
        },
        Some(_) => return Err(ApiError::unprocessable("decision: expected a string, true_match or false_positive")),
        None => return Err(ApiError::unprocessable("decision: missing; use true_match or false_positive")),
    };
    let reason = match body.get("reason") {
        Some(Value::String(r)) if !r.trim().is_empty() => r.trim().to_string(),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            return Err(ApiError::unprocessable("reason: say why (the audit trail keeps it with the decision)"));
        }
        Some(_) => return Err(ApiError::unprocessable("reason: expected a string")),
    };
    Ok((decision, reason))
}

/// Case ids are positive integers; anything else names no case.
fn case_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|&id| id > 0).ok_or_else(|| ApiError::not_found(format!("no case {raw:?}")))
}

/// A case as the API shows it; the names are the API's contract with its clients.
pub fn case_json(c: &Case) -> Value {
    json!({
        "id": c.id,
        "status": c.status,
        "counterparty": c.alert.counterparty_key,
        "counterparty_name": c.alert.counterparty_name,
        "entity_id": c.alert.entity_id,
        "source": c.alert.source,
        "caption": c.alert.caption,
        "matched_name": c.alert.matched_name,
        "entity_version": c.alert.entity_hash,
        "snapshot_id": c.alert.snapshot_id,
        "score": c.alert.score,
        "explanation": c.alert.explanation,
        "opened_at": c.opened_at,
        "opened_by": c.opened_by,
        "opened_in": c.opened_in,
        "reviewed_by": c.reviewer,
        "reviewed_at": c.reviewed_at,
        "reviewed_in": c.reviewed_in,
        "reason": c.reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_need_a_decision_and_a_reason() {
        let ok = parse_review(&json!({"decision": "false_positive", "reason": "  born 1990 "})).unwrap();
        assert_eq!(ok, (Decision::FalsePositive, "born 1990".to_string()));
        assert_eq!(parse_review(&json!({"decision": "true-match", "reason": "x"})).unwrap().0, Decision::TrueMatch);
        let detail = |body: Value| {
            let e = parse_review(&body).unwrap_err();
            assert_eq!(e.status.as_u16(), 422);
            e.detail
        };
        assert!(detail(json!({"decision": "false_positive", "reason": " "})).starts_with("reason: say why"));
        assert!(detail(json!({"decision": "false_positive"})).starts_with("reason: say why"));
        assert!(detail(json!({"decision": "open", "reason": "x"})).starts_with("decision: \"open\" is not a decision"));
        assert!(detail(json!({"reason": "x"})).starts_with("decision: missing"));
        assert!(detail(json!(["false_positive"])).starts_with("body:"));
    }

    #[test]
    fn case_ids_are_positive_integers() {
        assert_eq!(case_id("12").unwrap(), 12);
        for bad in ["0", "-1", "abc", "1.5", ""] {
            assert_eq!(case_id(bad).unwrap_err().status.as_u16(), 404, "{bad}");
        }
    }
}
