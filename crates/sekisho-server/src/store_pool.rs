//! SQLite connections for request handlers: a `Store` is one connection and not `Sync`,
//! so handlers check one out, use it on a blocking thread, and give it back. These are for
//! reads; the audit trail and cases are written through the one connection of
//! [`crate::recorder::Recorder`].

use std::path::PathBuf;
use std::sync::Mutex;

use sekisho_store::Store;

/// Idle connections kept; more are opened under load and closed when returned.
const MAX_IDLE: usize = 16;
/// Page cache of each read connection, KiB. With the store's default (8 MiB) the idle
/// connections alone grew the server by over 100 MiB under load, each caching the entity
/// pages it had read; reads of one entity or key need few pages, and the OS caches the file.
const READ_CACHE_KIB: u32 = 512;

pub struct StorePool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl StorePool {
    pub fn new(path: PathBuf) -> StorePool {
        StorePool { path, idle: Mutex::new(Vec::new()) }
    }

    /// Runs `f` with a connection. Call from a blocking context.
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> sekisho_store::Result<T>) -> sekisho_store::Result<T> {
        let pooled = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut store = match pooled {
            Some(store) => store,
            None => {
                let store = Store::open(&self.path)?;
                store.set_cache_kib(READ_CACHE_KIB)?;
                store
            }
        };
        let result = f(&mut store);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(store);
        }
        result
    }
}
