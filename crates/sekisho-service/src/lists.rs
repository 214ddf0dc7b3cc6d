//! The lists in service and the index over them.

use sekisho_match::{ScreeningIndex, ScreeningIndexBuilder};
use serde_json::{Value, json};

use crate::{Result, SnapshotInfo, Store};

/// The index over the snapshots in service, with those snapshots: every screening records
/// the list versions it ran against, so they must be the ones the index was built from.
pub struct ListsInService {
    pub index: ScreeningIndex,
    pub snapshots: Vec<SnapshotInfo>,
}

impl ListsInService {
    /// Builds the index over every snapshot in service, one snapshot at a time so that only
    /// what screening needs stays in memory.
    pub fn load(store: &Store) -> Result<ListsInService> {
        let snapshots = store.active_snapshots()?;
        let mut builder = ScreeningIndexBuilder::new();
        for snapshot in &snapshots {
            builder.add(&store.entities(snapshot.id)?);
        }
        Ok(ListsInService { index: builder.finish(), snapshots })
    }

    pub fn snapshot_of(&self, source: &str) -> Option<&SnapshotInfo> {
        self.snapshots.iter().find(|s| s.source == source)
    }

    /// The list versions as the audit trail records them.
    pub fn describe(&self) -> Value {
        describe_snapshots(&self.snapshots)
    }
}

/// The list versions of `snapshots` as the audit trail records them.
pub fn describe_snapshots(snapshots: &[SnapshotInfo]) -> Value {
    Value::Array(snapshots.iter().map(describe_snapshot).collect())
}

pub(crate) fn describe_snapshot(s: &SnapshotInfo) -> Value {
    json!({
        "snapshot_id": s.id, "source": s.source, "content_hash": s.content_hash,
        "list_date": s.list_date, "retrieved_at": s.retrieved_at, "entity_count": s.entity_count,
    })
}
