//! The lists in service and the index over them.

use sekisho_match::{ScreeningIndex, ScreeningIndexBuilder};
use serde::Serialize;
use serde_json::Value;

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
    // Strings and numbers only: writing them as a value cannot fail.
    serde_json::to_value(ListVersion::of(s)).unwrap_or(Value::Null)
}

/// A list version as the trail records it (screen records write it typed; the other records
/// through [`describe_snapshot`]).
#[derive(Serialize)]
pub(crate) struct ListVersion<'a> {
    content_hash: &'a str,
    entity_count: usize,
    list_date: Option<&'a str>,
    retrieved_at: &'a str,
    snapshot_id: i64,
    source: &'a str,
}

impl<'a> ListVersion<'a> {
    pub(crate) fn of(s: &'a SnapshotInfo) -> ListVersion<'a> {
        ListVersion {
            content_hash: &s.content_hash,
            entity_count: s.entity_count,
            list_date: s.list_date.as_deref(),
            retrieved_at: &s.retrieved_at,
            snapshot_id: s.id,
            source: &s.source,
        }
    }
}
