//! Parsing several sources in parallel and storing each as a snapshot.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};
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
    let parsed_at = std::time::Instant::now();
    let stored = store_snapshots(store, &prepared);
    if std::env::var_os("SEKISHO_TIMINGS").is_some() {
        eprintln!("store: {:.2?}", parsed_at.elapsed());
    }
    stored
}

/// What an import did with one source.
pub enum Stored {
    New(SnapshotInfo),
    /// The list equals the snapshot in service (same entities, same list date): no new
    /// snapshot is made, so re-running an import or an update is harmless.
    Unchanged(SnapshotInfo),
}

/// Stores, in one transaction and in the order given, every snapshot that differs from the
/// one in service for its source. A list equal to that one (same entities, same list date)
/// is reported unchanged and not stored again, unless the batch stores another version of
/// the source before it.
pub fn store_snapshots(store: &mut Store, prepared: &[PreparedSnapshot]) -> Result<Vec<Stored>> {
    let active = store.active_snapshots()?;
    let mut touched: HashSet<&str> = HashSet::new();
    let mut outcome: Vec<Option<SnapshotInfo>> = Vec::with_capacity(prepared.len());
    let mut to_store = Vec::new();
    for p in prepared {
        let in_service = active.iter().find(|a| {
            a.source == p.source && a.content_hash == p.content_hash && a.list_date == p.list_date
        });
        match in_service.filter(|_| !touched.contains(p.source.as_str())) {
            Some(a) => outcome.push(Some(a.clone())),
            None => {
                outcome.push(None);
                to_store.push(p);
                touched.insert(&p.source);
            }
        }
    }
    let mut stored = store.import_all(&to_store)?.into_iter();
    Ok(outcome
        .into_iter()
        .map(|o| match o {
            Some(info) => Stored::Unchanged(info),
            None => Stored::New(stored.next().expect("one stored snapshot per change")),
        })
        .collect())
}

fn prepare_path(path: &Path) -> Result<PreparedSnapshot> {
    let started = std::time::Instant::now();
    let list = sekisho_lists::load(path).with_context(|| format!("cannot import {}", path.display()))?;
    let parsed = started.elapsed();
    let retrieved_at = retrieval_time(path);
    let prepared = PreparedSnapshot::new(&list, &path.display().to_string(), &retrieved_at);
    if std::env::var_os("SEKISHO_TIMINGS").is_some() {
        eprintln!("{}: parse {parsed:.2?}, prepare {:.2?}", list.source, started.elapsed() - parsed);
    }
    Ok(prepared?)
}

/// For files on disk the retrieval time is when they were written (downloaded or copied).
fn retrieval_time(path: &Path) -> String {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).unwrap_or(SystemTime::now());
    rfc3339(modified)
}

pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}
