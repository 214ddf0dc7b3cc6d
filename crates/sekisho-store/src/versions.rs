//! Entity versions: the SHA-256 of an entity's stored JSON identifies its version, so what
//! changed between two snapshots is a join on blob ids, without decoding unchanged entities.

use std::collections::HashMap;

use sekisho_model::Entity;

use crate::snapshot::SnapshotInfo;
use crate::{Error, Result, Store};

/// An entity as one snapshot holds it, with its version hash (hex).
#[derive(Debug, Clone)]
pub struct EntityVersion {
    pub entity: Entity,
    pub hash: String,
}

/// What a snapshot holds that the snapshot of its source before it did not.
#[derive(Debug, Clone)]
pub struct SnapshotDelta {
    pub snapshot: SnapshotInfo,
    /// The previous snapshot of the same source; `None` for a source's first snapshot,
    /// whose entities all count as added.
    pub previous: Option<SnapshotInfo>,
    pub added: Vec<EntityVersion>,
    /// Entities whose stored JSON differs from the previous snapshot's (any change, even
    /// in the order of values).
    pub changed: Vec<EntityVersion>,
}

impl Store {
    /// The added and changed entities of `snapshot_id` against the snapshot of its source
    /// stored just before it.
    pub fn snapshot_delta(&self, snapshot_id: i64) -> Result<SnapshotDelta> {
        let snapshot = self.snapshot(snapshot_id)?.ok_or(Error::NoSnapshot(snapshot_id))?;
        let previous = self.snapshots(Some(&snapshot.source))?.into_iter().rfind(|s| s.id < snapshot_id);
        self.snapshot_delta_since(previous.map(|p| p.id), snapshot_id)
    }

    /// The added and changed entities of `snapshot_id` against `base` (another snapshot of
    /// the same source; `None`: every entity counts as added).
    pub fn snapshot_delta_since(&self, base: Option<i64>, snapshot_id: i64) -> Result<SnapshotDelta> {
        let snapshot = self.snapshot(snapshot_id)?.ok_or(Error::NoSnapshot(snapshot_id))?;
        let previous = match base {
            Some(id) => {
                let p = self.snapshot(id)?.ok_or(Error::NoSnapshot(id))?;
                if p.source != snapshot.source {
                    return Err(Error::Invalid(format!(
                        "snapshot {id} is of {}, snapshot {snapshot_id} of {}: only snapshots of one source compare",
                        p.source, snapshot.source
                    )));
                }
                Some(p)
            }
            None => None,
        };
        let mut stmt = self.conn.prepare(
            "SELECT n.entity_id, b.hash, b.data, o.blob_id IS NULL FROM snapshot_entities n
             JOIN entity_blobs b ON b.id = n.blob_id
             LEFT JOIN snapshot_entities o ON o.snapshot_id = ?2 AND o.entity_id = n.entity_id
             WHERE n.snapshot_id = ?1 AND (o.blob_id IS NULL OR o.blob_id <> n.blob_id)
             ORDER BY n.entity_id",
        )?;
        let rows = stmt.query_map(rusqlite::params![snapshot_id, previous.as_ref().map(|p| p.id)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, Vec<u8>>(2)?, r.get::<_, bool>(3)?))
        })?;
        let (mut added, mut changed) = (Vec::new(), Vec::new());
        for row in rows {
            let (id, hash, data, is_new) = row?;
            let entity = serde_json::from_slice(&data)
                .map_err(|e| Error::Corrupt { what: format!("entity {id}"), message: e.to_string() })?;
            let version = EntityVersion { entity, hash: hex::encode(hash) };
            if is_new { added.push(version) } else { changed.push(version) }
        }
        Ok(SnapshotDelta { snapshot, previous, added, changed })
    }

    /// The version hashes (hex) of the given entities in one snapshot; ids it does not hold
    /// are left out.
    pub fn entity_hashes(&self, snapshot_id: i64, ids: &[&str]) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.hash FROM snapshot_entities m JOIN entity_blobs b ON b.id = m.blob_id
             WHERE m.snapshot_id = ?1 AND m.entity_id = ?2",
        )?;
        let mut hashes = HashMap::with_capacity(ids.len());
        for &id in ids {
            let mut rows = stmt.query(rusqlite::params![snapshot_id, id])?;
            if let Some(r) = rows.next()? {
                hashes.insert(id.to_string(), hex::encode(r.get::<_, Vec<u8>>(0)?));
            }
        }
        Ok(hashes)
    }
}
