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
}
