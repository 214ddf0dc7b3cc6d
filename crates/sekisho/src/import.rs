//! Parsing several sources in parallel and storing each as a snapshot.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{Context, Result};
use sekisho_lists::SourceList;
use sekisho_store::{PreparedSnapshot, SnapshotInfo, Store};

/// Loads and prepares every path on its own thread (parsing and hashing are the CPU work),
/// then stores them in the order given, one transaction each. Nothing is stored unless every
/// path parsed, so a bad file in a batch leaves all lists as they were.
pub fn import_paths(store: &mut Store, paths: &[PathBuf]) -> Result<Vec<SnapshotInfo>> {
    let prepared: Vec<Result<PreparedSnapshot>> = std::thread::scope(|scope| {
        let handles: Vec<_> = paths.iter().map(|path| scope.spawn(move || prepare_path(path))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("parser thread panicked"))))
            .collect()
    });
    let prepared: Vec<PreparedSnapshot> = prepared.into_iter().collect::<Result<_>>()?;
    prepared.iter().map(|p| Ok(store.import(p)?)).collect()
}

fn prepare_path(path: &PathBuf) -> Result<PreparedSnapshot> {
    let list = sekisho_lists::load(path).with_context(|| format!("cannot import {}", path.display()))?;
    let retrieved_at = retrieval_time(path);
    prepare(&list, &path.display().to_string(), &retrieved_at)
}

pub fn prepare(list: &SourceList, origin: &str, retrieved_at: &str) -> Result<PreparedSnapshot> {
    Ok(PreparedSnapshot::new(list, origin, retrieved_at)?)
}

/// For files on disk the retrieval time is when they were written (downloaded or copied).
fn retrieval_time(path: &PathBuf) -> String {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).unwrap_or(SystemTime::now());
    rfc3339(modified)
}

pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}
