//! What changed between two snapshots of one list.

use std::collections::{BTreeMap, BTreeSet};

use sekisho_model::Entity;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListDiff {
    pub added: Vec<EntitySummary>,
    pub removed: Vec<EntitySummary>,
    pub changed: Vec<EntityChange>,
    pub unchanged: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitySummary {
    pub id: String,
    pub schema: String,
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityChange {
    pub id: String,
    pub caption: String,
    pub changes: Vec<PropertyChange>,
}

/// One property's values that were added and removed, in FtM property names
/// (`schema` is reported as a property too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyChange {
    pub property: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// Compares two versions of a list entity by entity (matched by id) and property by property,
/// on their FtM form, so that reports name properties as users know them. The order of
/// values within a property does not count as a change.
pub fn diff(old: &[Entity], new: &[Entity]) -> ListDiff {
    let old: BTreeMap<&str, &Entity> = old.iter().map(|e| (e.id.as_str(), e)).collect();
    let new: BTreeMap<&str, &Entity> = new.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut result = ListDiff::default();
    for (id, entity) in &new {
        match old.get(id) {
            None => result.added.push(summary(entity)),
            Some(before) => {
                let changes = property_changes(before, entity);
                if changes.is_empty() {
                    result.unchanged += 1;
                } else {
                    result.changed.push(EntityChange {
                        id: id.to_string(),
                        caption: entity.caption().to_string(),
                        changes,
                    });
                }
            }
        }
    }
    result.removed = old.iter().filter(|(id, _)| !new.contains_key(*id)).map(|(_, e)| summary(e)).collect();
    result
}

fn summary(e: &Entity) -> EntitySummary {
    EntitySummary { id: e.id.clone(), schema: e.schema.to_string(), caption: e.caption().to_string() }
}

fn property_changes(before: &Entity, after: &Entity) -> Vec<PropertyChange> {
    let a = property_sets(before);
    let b = property_sets(after);
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let empty = BTreeSet::new();
    keys.into_iter()
        .filter_map(|key| {
            let va = a.get(key).unwrap_or(&empty);
            let vb = b.get(key).unwrap_or(&empty);
            let added: Vec<String> = vb.difference(va).cloned().collect();
            let removed: Vec<String> = va.difference(vb).cloned().collect();
            (!added.is_empty() || !removed.is_empty())
                .then(|| PropertyChange { property: key.clone(), added, removed })
        })
        .collect()
}

fn property_sets(e: &Entity) -> BTreeMap<String, BTreeSet<String>> {
    let ftm = e.to_ftm();
    let mut sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    sets.entry("schema".into()).or_default().insert(e.schema.to_string());
    if let Some(Value::Object(props)) = ftm.get("properties") {
        for (key, values) in props {
            let set = sets.entry(key.clone()).or_default();
            for v in values.as_array().into_iter().flatten() {
                if let Some(s) = v.as_str() {
                    set.insert(s.to_string());
                }
            }
        }
    }
    sets
}

#[cfg(test)]
mod tests {
    use super::*;
    use sekisho_model::{NameKind, Schema};

    fn person(id: &str, name: &str) -> Entity {
        let mut e = Entity::new(id, Schema::Person, "test", id);
        e.add_name(name, NameKind::Primary);
        e
    }

    #[test]
    fn reports_added_removed_and_changed_properties() {
        let a = person("1", "A");
        let mut a2 = a.clone();
        a2.add_name("A-alias", NameKind::Alias);
        a2.add_country("IR");
        let b = person("2", "B");
        let c = person("3", "C");
        let d = diff(&[a, b.clone()], &[a2, b, c]);
        assert_eq!(d.added.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["3"]);
        assert!(d.removed.is_empty());
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.changed.len(), 1);
        let props: Vec<_> = d.changed[0].changes.iter().map(|c| c.property.as_str()).collect();
        assert_eq!(props, ["alias", "country"]);
        assert_eq!(d.changed[0].changes[0].added, ["A-alias"]);
    }

    #[test]
    fn value_order_is_not_a_change_but_schema_is() {
        let mut a = person("1", "A");
        a.add_name("X", NameKind::Alias);
        a.add_name("Y", NameKind::Alias);
        let mut b = person("1", "A");
        b.add_name("Y", NameKind::Alias);
        b.add_name("X", NameKind::Alias);
        assert!(diff(&[a.clone()], &[b]).changed.is_empty());
        let mut c = a.clone();
        c.schema = Schema::Organization;
        let d = diff(&[a], &[c]);
        assert_eq!(d.changed[0].changes[0].property, "schema");
    }
}
