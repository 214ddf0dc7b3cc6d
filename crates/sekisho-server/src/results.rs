//! Screening one query entity and writing its results the way yente does.

use std::collections::HashMap;
use std::sync::Arc;

use sekisho_match::{Explanation, Match, ScreenOptions, ScreeningIndex};
use sekisho_model::Entity;
use sekisho_service::{AlertOutcome, ScreenedMatch};
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Value, json};

use crate::listed::ListedEntity;
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

/// An entity as FtM JSON with yente's response fields.
pub fn entity_json(entity: &Entity) -> Value {
    let mut value = entity.to_ftm();
    value["referents"] = json!([]);
    // Every entity sekisho serves is a listed party.
    value["target"] = json!(true);
    value
}

/// A scored, recorded result as yente writes it: the listed entity's fields, then score,
/// match flag, per-feature scores (yente's `features`), the matched name, sekisho's full
/// explanation, the listed entity's version and, for an alert, its case:
/// `{"id", "status", "outcome"}`. Written straight into the response, with the entity's
/// fields as they were written once for its snapshot ([`ListedEntity`]).
pub struct MatchResult {
    pub entity: Arc<ListedEntity>,
    pub matched: ScreenedMatch,
    /// `match` is true from this score up.
    pub threshold: f64,
}

impl Serialize for MatchResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let m = &self.matched.matched;
        let mut map = serializer.serialize_map(None)?;
        self.entity.write_fields(&mut map)?;
        map.serialize_entry("score", &m.score)?;
        map.serialize_entry("match", &(m.score >= self.threshold))?;
        map.serialize_entry("features", &Features(&m.explanation))?;
        map.serialize_entry("matched_name", &m.matched_name)?;
        map.serialize_entry("name_kind", &m.name_kind)?;
        map.serialize_entry("explanation", &m.explanation)?;
        map.serialize_entry("entity_version", &self.matched.entity_hash)?;
        if let Some(alert) = self.matched.alert {
            map.serialize_entry("case", &CaseRef::of(alert))?;
        }
        map.end()
    }
}

/// yente's `features`: the name score, then each feature's effect on the score (a feature
/// named twice: its last effect, as a JSON object keeps one value per key).
struct Features<'a>(&'a Explanation);

impl Serialize for Features<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let features = &self.0.features;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.0.name_score)?;
        for (i, f) in features.iter().enumerate() {
            if f.feature != "name" && !features[i + 1..].iter().any(|later| later.feature == f.feature) {
                map.serialize_entry(f.feature, &f.effect)?;
            }
        }
        map.end()
    }
}

/// What an alert did, and the status its case has as a result.
#[derive(Serialize)]
struct CaseRef {
    id: i64,
    status: &'static str,
    outcome: &'static str,
}

impl CaseRef {
    fn of(alert: AlertOutcome) -> CaseRef {
        let (outcome, status) = match alert {
            AlertOutcome::Opened(_) => ("opened", "open"),
            AlertOutcome::AlreadyOpen(_) => ("already_open", "open"),
            AlertOutcome::Confirmed(_) => ("confirmed", "true_match"),
            AlertOutcome::Suppressed(_) => ("suppressed", "false_positive"),
        };
        CaseRef { id: alert.case_id(), status, outcome }
    }
}
