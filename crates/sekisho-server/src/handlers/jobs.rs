//! `POST /jobs`, `GET /jobs`, `GET /jobs/{id}`, `GET /jobs/{id}/result`,
//! `DELETE /jobs/{id}`: batch files screened in the background (see [`crate::jobs`]).
//!
//! A screener submits and reads their own jobs; an admin reads everyone's. Someone else's
//! job answers 404, as if it did not exist.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use sekisho_match::OPERATING_THRESHOLD;
use sekisho_store::{ApiKeyInfo, ApiRole, Job, JobState, ResultFormat};
use serde_json::{Value, json};

use crate::auth::actor_name;
use crate::error::ApiError;
use crate::jobs::{JobParameters, JobQueue, job_json};
use crate::params::Params;
use crate::state::Shared;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;
/// Matches per row, as `sekisho screen` gives by default, and the most a job may ask.
const DEFAULT_MATCHES: usize = 10;
const MAX_MATCHES: usize = 100;
/// Longest file name kept.
const MAX_FILE_NAME: usize = 255;

/// Who may read which jobs: a screener or reviewer their own, an admin (and the one user of
/// a server without keys) every one.
fn owner_filter(key: Option<&ApiKeyInfo>, auth: bool) -> Option<String> {
    match key {
        Some(k) if k.role >= ApiRole::Admin => None,
        Some(k) => Some(k.name.clone()),
        None if auth => Some(String::new()),
        None => None,
    }
}

/// Stores the request body as a job and queues it: 202 with the job and its `Location`.
pub async fn submit(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let params = Params::from_request(query)?;
    let file_name = params.get("filename").map(str::trim).unwrap_or_default().to_string();
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().to_string();
    if file_name.is_empty() || file_name.chars().count() > MAX_FILE_NAME || file_name.chars().any(char::is_control) {
        return Err(ApiError::unprocessable(
            "filename: the file's name is required, e.g. ?filename=取引先.csv (its extension says the format: .csv, .tsv, .txt or .xlsx)",
        ));
    }
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !["csv", "tsv", "txt", "xlsx", "xlsm"].contains(&extension.as_str()) {
        return Err(ApiError::unprocessable(format!(
            "filename: {file_name:?}: unknown input format: name it .csv, .tsv or .xlsx"
        )));
    }
    let text = |name: &str| params.get(name).map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let parameters = JobParameters {
        name_column: text("name_column"),
        id_column: text("id_column"),
        country_column: text("country_column"),
        schema_column: text("schema_column"),
        birth_date_column: text("birth_date_column"),
        sheet: text("sheet"),
        threshold: params.score("threshold", OPERATING_THRESHOLD)?,
        limit: params.count("limit", DEFAULT_MATCHES, MAX_MATCHES)?,
    };
    if parameters.sheet.is_some() && !extension.starts_with("xls") {
        return Err(ApiError::unprocessable("sheet: applies to .xlsx files only"));
    }
    let limit = state.config.job_body_limit;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the file exceeds the upload limit of {limit} bytes"))
        } else {
            ApiError::bad_request(format!("cannot read the request body: {}", e.body_text()))
        }
    })?;
    if body.is_empty() {
        return Err(ApiError::bad_request("empty body: send the file's bytes as the request body"));
    }
    if state.jobs.queue.waiting() >= state.config.max_queued_jobs {
        return Err(queue_full(state.config.max_queued_jobs));
    }
    let owner = actor_name(key.as_deref());
    let parameters = serde_json::to_value(&parameters).map_err(ApiError::internal)?;
    let job = state
        .store_task(move |state| {
            Ok(state.recorder.with(|service| Ok(service.store_mut().create_job(&owner, &file_name, &parameters, &body)?))?)
        })
        .await?;
    if state.jobs.queue.submit(job.id).is_err() {
        let id = job.id;
        let reason = "not run: too many jobs were queued; submit it again later";
        state.store_task(move |state| Ok(state.recorder.with(|service| Ok(service.store_mut().fail_job(id, reason)?))?)).await?;
        return Err(queue_full(state.config.max_queued_jobs));
    }
    let location = format!("/jobs/{}", job.id);
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(job_json(&job, None))).into_response())
}

fn queue_full(max: usize) -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, format!("{max} jobs are waiting already; submit again when one has started"))
}

/// A page of jobs, newest first: the key's own, or every one for an admin.
pub async fn list(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::from_request(query)?;
    let limit = params.count("limit", DEFAULT_LIMIT, MAX_LIMIT)?;
    let offset = params.offset("offset")?;
    let owner = owner_filter(key.as_deref(), state.config.auth);
    let (jobs, total) =
        state.store_task(move |state| Ok(state.stores.with(|store| store.jobs(owner.as_deref(), limit, offset))?)).await?;
    let jobs: Vec<Value> = jobs.iter().map(|j| job_json(j, state.jobs.live(j.id).as_deref())).collect();
    Ok(Json(json!({"jobs": jobs, "total": total, "limit": limit, "offset": offset})))
}

/// One job's state and counts (live while it runs).
pub async fn get(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let job = visible_job(&state, key.as_deref(), &id).await?;
    Ok(Json(job_json(&job, state.jobs.live(job.id).as_deref())))
}

/// Cancels a queued or running job: it ends `failed`, "cancelled by NAME", nothing of it
/// recorded but the `batch_cancel` audit record. A running job stops within a few dozen
/// rows. 409 once it has ended, or once it has begun recording its alerting rows (it then
/// finishes: what it recorded belongs with its result).
pub async fn cancel(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let job = visible_job(&state, key.as_deref(), &id).await?;
    let id = job.id;
    let ended = |job: &Job| ApiError::conflict(format!("job {} has already ended ({})", job.id, job.state.as_str()));
    if !matches!(job.state, JobState::Queued | JobState::Running) {
        return Err(ended(&job));
    }
    if let Some(live) = state.jobs.live(id)
        && !live.cancel()
    {
        return Err(ApiError::conflict(format!(
            "job {id} is recording its results and can no longer be cancelled; it finishes shortly"
        )));
    }
    let actor = actor_name(key.as_deref());
    // Under the writer's lock, so that the job cannot start or finish between the check
    // and the change.
    let cancelled = state
        .store_task(move |state| {
            Ok(state.recorder.with(|service| {
                let store = service.store_mut();
                let Some(job) = store.job(id)? else { return Ok(None) };
                if !matches!(job.state, JobState::Queued | JobState::Running) {
                    return Ok(Some(Err(job)));
                }
                let details = json!({
                    "summary": format!("cancelled batch job {id} ({:?}, {})", job.file_name, job.state.as_str()),
                    "job": {"id": id, "file_name": job.file_name, "owner": job.owner, "input_sha256": job.input_sha256,
                            "state_before": job.state, "submitted_at": job.submitted_at},
                });
                store.audited(&actor, "batch_cancel", |tx| Ok((tx.cancel_job(id, &actor)?, details)))?;
                Ok(Some(Ok(store.job(id)?)))
            })?)
        })
        .await?;
    match cancelled {
        None => Err(ApiError::not_found(format!("no job {id}"))),
        Some(Err(job)) => Err(ended(&job)),
        Some(Ok(job)) => {
            let job = job.ok_or_else(|| ApiError::not_found(format!("no job {id}")))?;
            Ok(Json(job_json(&job, None)))
        }
    }
}

/// A finished job's result file, `?format=csv` (default; UTF-8 with BOM) or `xlsx`.
pub async fn result(
    State(state): State<Shared>,
    key: Option<Extension<ApiKeyInfo>>,
    Path(id): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = Params::from_request(query)?;
    let (format, content_type, extension) = match params.get("format").map(str::trim).unwrap_or("csv") {
        "csv" => (ResultFormat::Csv, "text/csv; charset=utf-8", "csv"),
        "xlsx" => (ResultFormat::Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        other => return Err(ApiError::unprocessable(format!("format: unknown format {other:?}; use csv or xlsx"))),
    };
    let job = visible_job(&state, key.as_deref(), &id).await?;
    if job.state != JobState::Done {
        let why = match &job.error {
            Some(error) => format!("job {} failed: {error}", job.id),
            None => format!("job {} is {}; its result is ready when it is done", job.id, job.state.as_str()),
        };
        return Err(ApiError::conflict(why));
    }
    let id = job.id;
    let bytes = state
        .store_task(move |state| Ok(state.stores.with(|store| store.job_result(id, format))?))
        .await?
        .ok_or_else(|| ApiError::internal(format_args!("job {id} is done but has no {extension} result")))?;
    let stem = job.file_name.rsplit_once('.').map_or(job.file_name.as_str(), |(stem, _)| stem);
    let download = format!("{stem}.result.{extension}");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(&download)),
        ],
        bytes,
    )
        .into_response())
}

/// `attachment` with an ASCII fallback name and the real one in RFC 5987 form (Japanese
/// file names).
fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The job, if it exists and the key may see it; 404 otherwise.
async fn visible_job(state: &Shared, key: Option<&ApiKeyInfo>, id: &str) -> Result<Job, ApiError> {
    let id: i64 = id.trim().parse().map_err(|_| ApiError::unprocessable(format!("id: expected a job number, got {id:?}")))?;
    let owner = owner_filter(key, state.config.auth);
    let job = state.store_task(move |state| Ok(state.stores.with(|store| store.job(id))?)).await?;
    job.filter(|j| owner.as_ref().is_none_or(|o| *o == j.owner)).ok_or_else(|| ApiError::not_found(format!("no job {id}")))
}
