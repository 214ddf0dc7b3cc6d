//! The screening index in service, and replacing it when the lists change.
//!
//! One index over every list in service answers `default`; an index over a single source
//! is built the first time a request names that source, and kept until the next reload.
//! A reload builds the new index beside the old one and swaps an `Arc`: requests in flight
//! finish on the index they started with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Instant, SystemTime};

use sekisho_match::{ScreeningIndex, ScreeningIndexBuilder};
use sekisho_store::{SnapshotInfo, Store};

use crate::listed::ListedCache;

/// An index and the snapshots it was built from.
pub struct Loaded {
    pub index: ScreeningIndex,
    /// The snapshots in service when the index was built (shared with every screening's
    /// record, which names them).
    pub snapshots: Arc<[SnapshotInfo]>,
    pub build_seconds: f64,
    pub loaded_at: SystemTime,
    /// The listed entities matches returned, from these snapshots, as responses show them.
    pub listed: ListedCache,
    by_source: HashMap<String, Mutex<Option<Arc<ScreeningIndex>>>>,
}

/// What a dataset name in a path means.
pub enum Dataset<'a> {
    /// Every list in service.
    All,
    Source(&'a SnapshotInfo),
}

impl Loaded {
    /// Builds the index over the snapshots in service, one snapshot at a time so that only
    /// what screening needs stays in memory.
    pub fn build(store: &Store) -> sekisho_store::Result<Loaded> {
        let started = Instant::now();
        let snapshots = store.active_snapshots()?;
        let mut builder = ScreeningIndexBuilder::new();
        for snapshot in &snapshots {
            builder.add(&store.entities(snapshot.id)?);
        }
        let index = builder.finish();
        let by_source = snapshots.iter().map(|s| (s.source.clone(), Mutex::new(None))).collect();
        Ok(Loaded {
            index,
            snapshots: snapshots.into(),
            build_seconds: started.elapsed().as_secs_f64(),
            loaded_at: SystemTime::now(),
            listed: ListedCache::default(),
            by_source,
        })
    }

    pub fn snapshot_ids(&self) -> Vec<i64> {
        self.snapshots.iter().map(|s| s.id).collect()
    }

    /// `default` (or `all`) or a source name in service.
    pub fn dataset(&self, name: &str) -> Option<Dataset<'_>> {
        if name == crate::DEFAULT_DATASET || name == "all" {
            return Some(Dataset::All);
        }
        self.snapshots.iter().find(|s| s.source == name).map(Dataset::Source)
    }

    /// The index of one source, built on first use from the same snapshot as the main index.
    pub fn source_index(&self, snapshot: &SnapshotInfo, store: &Store) -> sekisho_store::Result<Arc<ScreeningIndex>> {
        let Some(slot) = self.by_source.get(&snapshot.source) else {
            return Err(sekisho_store::Error::NoSnapshot(snapshot.id));
        };
        // Holding the slot's lock while building makes concurrent first requests wait for
        // one build instead of each building their own.
        let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(index) = slot.as_ref() {
            return Ok(index.clone());
        }
        let index = Arc::new(ScreeningIndexBuilder::new().build(&store.entities(snapshot.id)?));
        *slot = Some(index.clone());
        Ok(index)
    }
}

/// The index in service (none until the first build), swapped whole on reload.
#[derive(Default)]
pub struct IndexHolder {
    current: RwLock<Option<Arc<Loaded>>>,
    /// Why there is no index yet: shown by /readyz.
    pending: RwLock<String>,
    /// One build at a time (the poller and /admin/reload).
    building: Mutex<()>,
}

pub enum ReloadOutcome {
    Unchanged,
    Reloaded(Arc<Loaded>),
}

impl IndexHolder {
    pub fn current(&self) -> Option<Arc<Loaded>> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn pending_reason(&self) -> String {
        let reason = self.pending.read().unwrap_or_else(|e| e.into_inner());
        if reason.is_empty() { "the screening index is being built".into() } else { reason.clone() }
    }

    /// Records why there is no index, for /readyz.
    pub fn set_pending(&self, reason: &str) {
        *self.pending.write().unwrap_or_else(|e| e.into_inner()) = reason.to_string();
    }

    /// Rebuilds when the set of snapshots in service differs from the index's (or always,
    /// when `force`). With no list in service there is nothing to screen against, and the
    /// service stays (or becomes) not ready rather than answer "no match" to everything.
    pub fn reload(&self, store: &Store, force: bool) -> sekisho_store::Result<ReloadOutcome> {
        let _one_build = self.building.lock().unwrap_or_else(|e| e.into_inner());
        let active: Vec<i64> = store.active_snapshots()?.iter().map(|s| s.id).collect();
        let current = self.current();
        let current_ids = current.as_ref().map(|l| l.snapshot_ids()).unwrap_or_default();
        if !force && current.is_some() && active == current_ids {
            return Ok(ReloadOutcome::Unchanged);
        }
        if active.is_empty() {
            *self.pending.write().unwrap_or_else(|e| e.into_inner()) =
                "no lists in service: import some with `sekisho lists import` or `sekisho lists update`".into();
            if current.is_none() {
                return Ok(ReloadOutcome::Unchanged);
            }
        }
        let loaded = Arc::new(Loaded::build(store)?);
        // The store may have changed between reading the ids and the entities; the next
        // poll sees the difference and builds again.
        if loaded.snapshots.is_empty() {
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
        } else {
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(loaded.clone());
        }
        Ok(ReloadOutcome::Reloaded(loaded))
    }
}
