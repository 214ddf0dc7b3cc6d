//! Screening one query entity and writing its results the way yente does.

use std::collections::HashMap;

use sekisho_match::{Match, ScreenOptions, ScreeningIndex};
use sekisho_model::Entity;
use sekisho_store::Store;
use serde_json::{Map, Value, json};

use crate::index::Loaded;
use crate::query::EntityQuery;

/// Screens every name of the query entity and keeps each listed entity once, at its best
/// score: a query with a name and an alias should not list the same party twice.
pub fn screen_entity(index: &ScreeningIndex, query: &EntityQuery, options: &ScreenOptions) -> Vec<Match> {
    let mut best: HashMap<String, Match> = HashMap::new();
    for name in &query.names {
        for m in index.screen(&query.engine_query(name), options) {
            match best.get(&m.entity_id) {
                Some(kept) if kept.score >= m.score => {}
                _ => {
                    best.insert(m.entity_id.clone(), m);
                }
            }
        }
    }
    let mut matches: Vec<Match> = best.into_values().collect();
    matches.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.entity_id.cmp(&b.entity_id)));
    matches.truncate(options.limit);
    matches
}

/// The listed entity behind a match, from the snapshot the index was built from (not a
/// newer one that a reload is about to put in service).
pub fn matched_entity(loaded: &Loaded, store: &Store, m: &Match) -> sekisho_store::Result<Option<Entity>> {
    match loaded.snapshots.iter().find(|s| s.source == m.source) {
        Some(snapshot) => store.snapshot_entity(snapshot.id, &m.entity_id),
        None => Ok(None),
    }
}

/// An entity as FtM JSON with yente's response fields.
pub fn entity_json(entity: &Entity) -> Value {
    let mut value = entity.to_ftm();
    value["referents"] = json!([]);
    // Every entity sekisho serves is a listed party.
    value["target"] = json!(true);
    value
}

/// A scored result: the entity, plus score, match flag, per-feature scores (yente's
/// `features`) and sekisho's full explanation.
pub fn match_json(m: &Match, entity: Option<&Entity>, threshold: f64) -> Value {
    let mut value = match entity {
        Some(e) => entity_json(e),
        // The snapshot no longer holds it (should not happen): what the index knows.
        None => json!({
            "id": m.entity_id, "caption": m.caption, "schema": m.schema.as_str(),
            "properties": {"name": [m.caption]}, "datasets": [m.source], "referents": [], "target": true,
        }),
    };
    let mut features = Map::new();
    features.insert("name".into(), json!(m.explanation.name_score));
    for f in &m.explanation.features {
        features.insert(f.feature.into(), json!(f.effect));
    }
    value["score"] = json!(m.score);
    value["match"] = json!(m.score >= threshold);
    value["features"] = Value::Object(features);
    value["matched_name"] = json!(m.matched_name);
    value["name_kind"] = json!(m.name_kind);
    value["explanation"] = json!(m.explanation);
    value
}
