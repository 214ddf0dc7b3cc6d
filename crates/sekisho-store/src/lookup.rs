//! Single-entity reads, for a server that shows the entities behind its matches.

use rusqlite::OptionalExtension;
use sekisho_model::Entity;

use crate::{Error, Result, Store};

impl Store {
    /// One entity of one snapshot, by id; `None` when the snapshot does not hold it.
    pub fn snapshot_entity(&self, snapshot_id: i64, entity_id: &str) -> Result<Option<Entity>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.data FROM snapshot_entities m JOIN entity_blobs b ON b.id = m.blob_id
             WHERE m.snapshot_id = ?1 AND m.entity_id = ?2",
        )?;
        let data: Option<Vec<u8>> = stmt.query_row(rusqlite::params![snapshot_id, entity_id], |r| r.get(0)).optional()?;
        data.map(|data| {
            serde_json::from_slice(&data)
                .map_err(|e| Error::Corrupt { what: format!("entity {entity_id}"), message: e.to_string() })
        })
        .transpose()
    }

    /// One entity of one snapshot with its version (the SHA-256, hex, of its stored JSON,
    /// as [`Store::entity_hashes`] gives it), in one read; `None` when the snapshot does not
    /// hold it.
    pub fn snapshot_entity_version(&self, snapshot_id: i64, entity_id: &str) -> Result<Option<(String, Entity)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.hash, b.data FROM snapshot_entities m JOIN entity_blobs b ON b.id = m.blob_id
             WHERE m.snapshot_id = ?1 AND m.entity_id = ?2",
        )?;
        let row: Option<(Vec<u8>, Vec<u8>)> =
            stmt.query_row(rusqlite::params![snapshot_id, entity_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        row.map(|(hash, data)| {
            let entity = serde_json::from_slice(&data)
                .map_err(|e| Error::Corrupt { what: format!("entity {entity_id}"), message: e.to_string() })?;
            Ok((hex::encode(hash), entity))
        })
        .transpose()
    }
}
