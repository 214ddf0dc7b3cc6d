//! Building the first index and picking up new list snapshots while serving.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};

use crate::index::ReloadOutcome;
use crate::state::{AppState, Shared};

/// Reloads when the lists in service changed (or always when `force`); logs the outcome
/// and counts it. `None` when the build failed: the index in service stays.
pub fn reload(state: &AppState, force: bool) -> Option<ReloadOutcome> {
    match state.stores.with(|store| state.index.reload(store, force)) {
        Ok(ReloadOutcome::Reloaded(loaded)) => {
            state.metrics.reloads.fetch_add(1, Ordering::Relaxed);
            let sources: Vec<String> = loaded.snapshots.iter().map(|s| format!("{} #{}", s.source, s.id)).collect();
            eprintln!(
                "index in service: {} entities from {} in {:.2} s",
                loaded.index.entity_count(),
                if sources.is_empty() { "no lists".to_string() } else { sources.join(", ") },
                loaded.build_seconds
            );
            Some(ReloadOutcome::Reloaded(loaded))
        }
        Ok(ReloadOutcome::Unchanged) => Some(ReloadOutcome::Unchanged),
        Err(e) => {
            state.metrics.reload_failures.fetch_add(1, Ordering::Relaxed);
            eprintln!("error: cannot build the screening index: {e}");
            // The store error stays in the log; /readyz says only that the build failed.
            state.index.set_pending("the screening index could not be built; see the server log");
            None
        }
    }
}

/// Builds the first index, then polls the store for changed snapshots, on a thread of its
/// own (index builds are long CPU work). The thread ends when the server state is dropped.
pub fn spawn_index_thread(state: &Shared) {
    let weak: Weak<AppState> = Arc::downgrade(state);
    let interval = state.config.poll_interval;
    let spawned = std::thread::Builder::new().name("sekisho-index".into()).spawn(move || {
        // A rebuild beside the service yields to screening, as the other threads do.
        crate::priority::other_thread();
        if let Some(state) = weak.upgrade() {
            reload(&state, false);
        }
        let Some(interval) = interval else { return };
        loop {
            std::thread::sleep(interval);
            let Some(state) = weak.upgrade() else { return };
            reload(&state, false);
        }
    });
    if let Err(e) = spawned {
        eprintln!("error: cannot start the index thread: {e}");
    }
}
