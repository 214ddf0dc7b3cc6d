//! Parsing several sources in parallel and storing each as a snapshot.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};
use sekisho_lists::SourceList;
use sekisho_store::{PreparedSnapshot, SnapshotInfo, Store};

/// Loads and prepares every path on its own thread (parsing and hashing are the CPU work),
/// then stores them in the order given, one transaction each. Nothing is stored unless every
/// path parsed, so a bad file in a batch leaves all lists as they were.
pub fn import_paths(store: &mut Store, paths: &[PathBuf]) -> Result<Vec<Stored>> {
    let prepared: Vec<Result<PreparedSnapshot>> = std::thread::scope(|scope| {
        let handles: Vec<_> = paths.iter().map(|path| scope.spawn(move || prepare_path(path))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("parser thread panicked"))))
            .collect()
    });
    let prepared: Vec<PreparedSnapshot> = prepared.into_iter().collect::<Result<_>>()?;
    prepared.iter().map(|p| store_snapshot(store, p)).collect()
}

/// What an import did with one source.
pub enum Stored {
    New(SnapshotInfo),
    /// The list equals the snapshot in service (same entities, same list date): no new
    /// snapshot is made, so re-running an import or an update is harmless.
    Unchanged(SnapshotInfo),
}

pub fn store_snapshot(store: &mut Store, prepared: &PreparedSnapshot) -> Result<Stored> {
    let active = store.active_snapshots()?.into_iter().find(|s| s.source == prepared.source);
    if let Some(active) = active.filter(|a| {
        a.content_hash == prepared.content_hash && a.list_date == prepared.list_date
    }) {
        return Ok(Stored::Unchanged(active));
    }
    Ok(Stored::New(store.import(prepared)?))
}

fn prepare_path(path: &Path) -> Result<PreparedSnapshot> {
    let list = sekisho_lists::load(path).with_context(|| format!("cannot import {}", path.display()))?;
    let retrieved_at = retrieval_time(path);
    prepare(&list, &path.display().to_string(), &retrieved_at)
}

pub fn prepare(list: &SourceList, origin: &str, retrieved_at: &str) -> Result<PreparedSnapshot> {
    Ok(PreparedSnapshot::new(list, origin, retrieved_at)?)
}

/// For files on disk the retrieval time is when they were written (downloaded or copied).
fn retrieval_time(path: &Path) -> String {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).unwrap_or(SystemTime::now());
    rfc3339(modified)
}

pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}
