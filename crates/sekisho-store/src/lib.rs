//! The embedded store: versioned snapshots of restricted-party lists.
//!
//! One SQLite file in WAL mode under `SEKISHO_HOME`. Each import is one transaction that
//! records the snapshot (publisher, list date, retrieval time, file hashes, counts by schema),
//! its entities, and makes it the snapshot in service for its source; a failed import leaves
//! the previous snapshot in service. Entities are stored content-addressed (by the SHA-256 of
//! their JSON), so unchanged entities cost nothing in later snapshots of the same list.
//!
//! ```
//! # use sekisho_model::{Entity, NameKind, Schema};
//! # use sekisho_lists::{Format, SourceList};
//! use sekisho_store::{PreparedSnapshot, Store};
//!
//! let mut store = Store::open_in_memory()?;
//! # let mut e = Entity::new("x-1", Schema::Person, "demo", "1");
//! # e.add_name("A", NameKind::Primary);
//! # let list = SourceList { source: "demo".into(), format: Format::FtmJson, publisher: "p".into(),
//! #     list_date: None, files: vec![], entities: vec![e] };
//! let snapshot = PreparedSnapshot::new(&list, "demo.json", "2026-11-21T00:00:00Z")?;
//! let info = store.import(&snapshot)?;
//! assert_eq!(store.entities(info.id)?.len(), 1);
//! # Ok::<(), sekisho_store::Error>(())
//! ```

mod api_keys;
mod columns;
mod lookup;
mod rulebooks;
pub mod audit;
mod cases;
mod counterparties;
mod jobs;
mod snapshot;
mod store;
mod versions;

pub use api_keys::{ApiKeyInfo, ApiRole};
pub use audit::{Appended, AuditBatch, AuditProblem, AuditRecord, AuditVerification, AuditedTx, ListSet, ProblemKind, PruneOutcome};
pub use cases::{Alert, AlertOutcome, Case, CaseStatus, Decision};
pub use counterparties::{Counterparty, Saved};
pub use rulebooks::{ClassificationRecord, RulebookInfo, RulebookStored};
pub use jobs::{Job, JobResult, JobState, ResultFormat};
pub use snapshot::{PreparedSnapshot, SnapshotInfo};
pub use store::{Store, WalCheckpoint};
pub use versions::{EntityVersion, SnapshotDelta};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("store {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("source {source_name}: entity id {id:?} occurs twice; a list must give each party one id")]
    DuplicateId { source_name: String, id: String },
    #[error("store: stored {what} is unreadable ({message}); the database file may be damaged")]
    Corrupt { what: String, message: String },
    #[error("no snapshot {0}")]
    NoSnapshot(i64),
    #[error("an API key named {0:?} exists already; revoke it first or choose another name")]
    ApiKeyExists(String),
    #[error("no live API key named {0:?}")]
    UnknownApiKey(String),
    #[error("API key name {0:?} is empty or has control characters")]
    InvalidApiKeyName(String),
    #[error("cannot draw random bytes for a key: {0}")]
    Randomness(String),
    #[error("no case {0}; `sekisho cases list` shows the cases")]
    NoCase(i64),
    #[error("case {id} was already reviewed: {status} by {reviewer} at {reviewed_at}")]
    AlreadyReviewed { id: i64, status: &'static str, reviewer: String, reviewed_at: String },
    #[error("{0}")]
    Invalid(String),
    #[error("store {path} was written by a newer sekisho (schema version {found}, this one knows {known})")]
    NewerSchema { path: String, found: i64, known: i64 },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
