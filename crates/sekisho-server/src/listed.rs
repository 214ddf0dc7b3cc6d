//! The listed entities that matches return, kept as the response shows them: each is read
//! from the store, parsed and written as FtM JSON once per list snapshot, not once per
//! request that matches it (that read, parse and write cost about as much as the rest of
//! the response).
//!
//! A snapshot's content never changes, so an entry stays right for as long as the index
//! built from that snapshot is in service; the cache lives in [`crate::index::Loaded`] and
//! goes with it on reload. It holds at most [`MAX_ENTITIES`] entities and starts afresh
//! past that, so memory stays bounded whatever is screened.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sekisho_model::Entity;
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::value::RawValue;

use crate::results::entity_json;

/// Entities kept at most: a few MiB (in the six shared lists an entity's stored JSON is
/// ~0.6 KiB on average and 9.3 KiB at most; the 4,096 largest take ~5 MB together).
pub const MAX_ENTITIES: usize = 4096;

/// A listed entity in one snapshot, ready to write into responses.
pub struct ListedEntity {
    /// Its version: the SHA-256 (hex) of its stored JSON in that snapshot.
    pub hash: String,
    /// Its FtM JSON with yente's response fields ([`entity_json`]), one top-level field at
    /// a time, each value already written.
    fields: Vec<(String, Box<RawValue>)>,
}

impl ListedEntity {
    pub fn new(hash: String, entity: &Entity) -> ListedEntity {
        let fields = match entity_json(entity) {
            serde_json::Value::Object(map) => map
                .into_iter()
                // Writing a `Value` cannot fail.
                .filter_map(|(key, value)| serde_json::value::to_raw_value(&value).ok().map(|raw| (key, raw)))
                .collect(),
            _ => Vec::new(),
        };
        ListedEntity { hash, fields }
    }

    /// Writes the entity's fields into a JSON object being written, so that a result can
    /// add its own fields beside them (yente's results are the entity, flat, plus scores).
    pub fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (key, value) in &self.fields {
            map.serialize_entry(key, value)?;
        }
        Ok(())
    }
}

impl Serialize for ListedEntity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        self.write_fields(&mut map)?;
        map.end()
    }
}

/// Listed entities by snapshot and id.
#[derive(Default)]
pub struct ListedCache {
    entries: Mutex<CacheEntries>,
}

#[derive(Default)]
struct CacheEntries {
    by_snapshot: HashMap<i64, HashMap<String, Arc<ListedEntity>>>,
    count: usize,
}

impl ListedCache {
    /// The entity `entity_id` of snapshot `snapshot_id`, from the cache or else from `read`
    /// (`None`: the snapshot does not hold it; not cached). `read` runs without the lock.
    pub fn get_or_read<E>(
        &self,
        snapshot_id: i64,
        entity_id: &str,
        read: impl FnOnce() -> Result<Option<ListedEntity>, E>,
    ) -> Result<Option<Arc<ListedEntity>>, E> {
        if let Some(found) = self.lock().by_snapshot.get(&snapshot_id).and_then(|m| m.get(entity_id)) {
            return Ok(Some(found.clone()));
        }
        let Some(entity) = read()? else { return Ok(None) };
        let entity = Arc::new(entity);
        let mut entries = self.lock();
        if entries.count >= MAX_ENTITIES {
            *entries = CacheEntries::default();
        }
        let slot = entries.by_snapshot.entry(snapshot_id).or_default();
        // Two requests may have read the same entity at once: keep the first.
        let kept = slot.entry(entity_id.to_string()).or_insert(entity).clone();
        entries.count = entries.by_snapshot.values().map(HashMap::len).sum();
        Ok(Some(kept))
    }

    /// Entities held now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().count
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheEntries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sekisho_model::Schema;

    fn entity(id: &str) -> Entity {
        let mut e = Entity::new(id, Schema::Person, "test-list", id);
        e.add_name("Taro Yamada", sekisho_model::NameKind::Primary);
        e
    }

    #[test]
    fn an_entity_is_read_once_and_written_as_entity_json() {
        let cache = ListedCache::default();
        let mut reads = 0;
        for _ in 0..3 {
            let got = cache
                .get_or_read(1, "p1", || -> Result<_, ()> {
                    reads += 1;
                    Ok(Some(ListedEntity::new("ab".into(), &entity("p1"))))
                })
                .unwrap()
                .unwrap();
            assert_eq!(got.hash, "ab");
            assert_eq!(serde_json::to_value(&*got).unwrap(), entity_json(&entity("p1")));
        }
        assert_eq!(reads, 1);
        // Another snapshot is another version; an entity not held is not cached.
        assert!(cache.get_or_read(2, "p1", || -> Result<_, ()> { Ok(None) }).unwrap().is_none());
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn the_cache_is_bounded() {
        let cache = ListedCache::default();
        for i in 0..MAX_ENTITIES + 10 {
            let id = format!("p{i}");
            cache.get_or_read(1, &id, || -> Result<_, ()> { Ok(Some(ListedEntity::new("ab".into(), &entity(&id)))) }).unwrap();
            assert!(cache.len() <= MAX_ENTITIES);
        }
        assert_eq!(cache.len(), 10);
    }
}
