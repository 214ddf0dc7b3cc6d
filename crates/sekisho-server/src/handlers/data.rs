//! `GET /entities/{id}` and `GET /catalog`.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::results::entity_json;
use crate::state::Shared;

pub async fn entity(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let loaded = state.loaded()?;
    let found = state
        .store_task(move |state| {
            Ok(state.stores.with(|store| {
                for snapshot in loaded.snapshots.iter() {
                    if let Some(mut entity) = store.snapshot_entity(snapshot.id, &id)? {
                        entity.last_seen.get_or_insert_with(|| snapshot.retrieved_at.clone());
                        return Ok(Some(entity));
                    }
                }
                Ok(None)
            })?)
        })
        .await?;
    match found {
        Some(entity) => Ok(Json(entity_json(&entity))),
        None => Err(ApiError::not_found("no entity with this id in the lists in service")),
    }
}

/// The lists in service, each a dataset, and the `default` collection of them all.
pub async fn catalog(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    let loaded = state.loaded()?;
    let mut datasets: Vec<Value> = loaded
        .snapshots
        .iter()
        .map(|s| {
            json!({
                "name": s.source,
                "title": s.source,
                "type": "source",
                "publisher": {"name": s.publisher},
                "list_date": s.list_date,
                "version": s.id.to_string(),
                "snapshot_id": s.id,
                "entity_count": s.entity_count,
                "counts": s.counts,
                "format": s.format,
                "retrieved_at": s.retrieved_at,
                "imported_at": s.imported_at,
                "load": true,
                "index_current": true,
            })
        })
        .collect();
    let sources: Vec<&str> = loaded.snapshots.iter().map(|s| s.source.as_str()).collect();
    datasets.push(json!({
        "name": crate::DEFAULT_DATASET,
        "title": "All lists in service",
        "type": "collection",
        "children": sources,
        "entity_count": loaded.index.entity_count(),
        "load": false,
        "index_current": true,
    }));
    let built_at = humantime::format_rfc3339_seconds(loaded.loaded_at).to_string();
    Ok(Json(json!({
        "datasets": datasets,
        "current": sources,
        "outdated": [],
        "index_stale": false,
        "index_built_at": built_at,
    })))
}
