//! The one connection that writes screenings, cases and reviews to the audit trail.
//!
//! Every audit record extends a hash chain, so writes are serial whatever we do. With one
//! connection behind a mutex they queue here, in order, instead of each taking its own
//! connection and waiting in SQLite's busy handler, which sleeps and retries (milliseconds
//! per retry under load). The work under the lock is only the write transaction: matching,
//! entity version lookups and building responses happen before or after, on the pool's
//! read connections. Writers in other processes (the CLI) still meet SQLite's lock and its
//! busy timeout.

use std::path::PathBuf;
use std::sync::Mutex;

use sekisho_service::Service;
use sekisho_store::Store;

pub struct Recorder {
    path: PathBuf,
    /// Opened on first use, so that a server that only answers probes never writes.
    service: Mutex<Option<Service>>,
}

impl Recorder {
    pub fn new(path: PathBuf) -> Recorder {
        Recorder { path, service: Mutex::new(None) }
    }

    /// Runs `f` with the writer, one caller at a time. Call from a blocking context.
    pub fn with<T>(&self, f: impl FnOnce(&mut Service) -> sekisho_service::Result<T>) -> sekisho_service::Result<T> {
        // A panic while the lock was held unwound through the transaction, which rolled
        // back: the connection is still good to use.
        let mut slot = self.service.lock().unwrap_or_else(|e| e.into_inner());
        let service = match slot.as_mut() {
            Some(service) => service,
            None => slot.insert(Service::new(Store::open(&self.path)?)),
        };
        f(service)
    }
}
