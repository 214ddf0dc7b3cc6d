//! SQLite-backed snapshot store.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, params};
use sekisho_model::Entity;

use crate::snapshot::{PreparedSnapshot, SnapshotInfo};
use crate::{Error, Result};

/// Page cache per connection, KiB.
const DEFAULT_CACHE_KIB: i64 = 8 * 1024;
/// Page cache while an import writes: a whole list is written in one transaction, and a
/// cache that holds it avoids spilling.
const IMPORT_CACHE_KIB: i64 = 128 * 1024;

/// Bumped whenever the tables change; a store written by a newer version is refused.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    publisher TEXT NOT NULL,
    list_date TEXT,
    origin TEXT NOT NULL,
    retrieved_at TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    files TEXT NOT NULL,
    counts TEXT NOT NULL,
    entity_count INTEGER NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_source ON snapshots (source, id);
-- Entities by the SHA-256 of their JSON, shared by every snapshot that holds them. A rowid
-- table: its rows are large, which WITHOUT ROWID tables store poorly.
CREATE TABLE IF NOT EXISTS entity_blobs (
    id INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot_entities (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    entity_id TEXT NOT NULL,
    blob_id INTEGER NOT NULL REFERENCES entity_blobs (id),
    PRIMARY KEY (snapshot_id, entity_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS active_snapshots (
    source TEXT PRIMARY KEY,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id)
);
";

pub struct Store {
    pub(crate) conn: Connection,
    /// List sets known to be stored in `audit_list_sets` (committed), so that a screening
    /// naming one costs no look-up (see `audit.rs`).
    pub(crate) list_sets: std::collections::HashSet<String>,
}

/// What a checkpoint found: frames in the WAL, and how many of them are now in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalCheckpoint {
    /// Another checkpoint was running; nothing was done.
    pub busy: bool,
    pub frames: u64,
    pub copied: u64,
}

impl Store {
    /// Opens (creating if needed) the store at `path`, in WAL mode so that readers (a running
    /// server) are not blocked while an update writes.
    pub fn open(path: &Path) -> Result<Store> {
        let open_err = |source| Error::Open { path: path.display().to_string(), source };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(open_err)?;
        Store::init(conn, &path.display().to_string())
    }

    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, ":memory:")
    }

    fn init(conn: Connection, path: &str) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A small page cache: a server holds several connections for as long as it runs.
        // Imports raise it for their transaction (IMPORT_CACHE_KIB).
        conn.pragma_update(None, "cache_size", -DEFAULT_CACHE_KIB)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(crate::api_keys::API_KEYS_SCHEMA)?;
        conn.execute_batch(crate::audit::SCHEMA)?;
        conn.execute_batch(crate::cases::SCHEMA)?;
        conn.execute_batch(crate::counterparties::SCHEMA)?;
        conn.execute_batch(crate::rulebooks::SCHEMA)?;
        conn.execute_batch(crate::jobs::SCHEMA)?;
        let version: Option<i64> = conn
            .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|v| v.parse().ok());
        match version {
            Some(found) if found > SCHEMA_VERSION => {
                return Err(Error::NewerSchema { path: path.into(), found, known: SCHEMA_VERSION });
            }
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                    [SCHEMA_VERSION.to_string()],
                )?;
            }
        }
        Ok(Store { conn, list_sets: Default::default() })
    }

    /// Sets this connection's page cache, in KiB (default 8 MiB). A server's read
    /// connections, many and long-lived, each fill theirs with the pages they happened to
    /// read; the operating system caches the file once for all of them.
    pub fn set_cache_kib(&self, kib: u32) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(())
    }

    /// Sets how many WAL pages this connection's commits may leave before the commit itself
    /// runs a checkpoint (SQLite's default 1,000; 0: never, another connection checkpoints).
    pub fn set_wal_autocheckpoint(&self, pages: u32) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", pages)?;
        Ok(())
    }

    /// Copies what it can of the WAL into the database file without waiting for any reader
    /// or writer (a PASSIVE checkpoint: the WAL is synced before the copy, and the database
    /// after it only when the whole WAL was copied). Once all of it is copied, the next write
    /// starts the WAL over.
    pub fn checkpoint_wal(&self) -> Result<WalCheckpoint> {
        let (busy, frames, copied) = self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        })?;
        Ok(WalCheckpoint { busy: busy != 0, frames: frames.max(0) as u64, copied: copied.max(0) as u64 })
    }

    /// Stores a snapshot and puts it in service for its source, all in one transaction.
    pub fn import(&mut self, snapshot: &PreparedSnapshot) -> Result<SnapshotInfo> {
        let mut stored = self.import_all(&[snapshot])?;
        Ok(stored.remove(0))
    }

    /// Stores several snapshots (of different sources, or successive ones of one source) in
    /// one transaction: all go into service, or none does.
    pub fn import_all(&mut self, snapshots: &[&PreparedSnapshot]) -> Result<Vec<SnapshotInfo>> {
        let imported_at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        self.conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        let written = self.insert_snapshots(snapshots, &imported_at);
        self.conn.pragma_update(None, "cache_size", -DEFAULT_CACHE_KIB)?;
        let ids = written?;
        ids.into_iter().map(|id| self.snapshot(id)?.ok_or(Error::NoSnapshot(id))).collect()
    }

    /// Inserts the snapshots in one transaction; returns their ids.
    fn insert_snapshots(&mut self, snapshots: &[&PreparedSnapshot], imported_at: &str) -> Result<Vec<i64>> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(snapshots.len());
        for snapshot in snapshots {
            ids.push(insert_snapshot(&tx, snapshot, imported_at)?);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// All snapshots, oldest first; of one source if given.
    pub fn snapshots(&self, source: Option<&str>) -> Result<Vec<SnapshotInfo>> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_SNAPSHOT} WHERE ?1 IS NULL OR s.source = ?1 ORDER BY s.id"
        ))?;
        let rows = stmt.query_map([source], snapshot_row)?;
        rows.map(|r| r?).collect()
    }

    /// The snapshot in service for each source.
    pub fn active_snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_SNAPSHOT} WHERE a.snapshot_id IS NOT NULL ORDER BY s.source"))?;
        let rows = stmt.query_map([], snapshot_row)?;
        rows.map(|r| r?).collect()
    }

    pub fn snapshot(&self, id: i64) -> Result<Option<SnapshotInfo>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_SNAPSHOT} WHERE s.id = ?1"))?;
        stmt.query_row([id], snapshot_row).optional()?.transpose()
    }

    /// The entities of one snapshot, ordered by id.
    pub fn entities(&self, snapshot_id: i64) -> Result<Vec<Entity>> {
        let mut stmt = self.conn.prepare(
            "SELECT m.entity_id, b.data FROM snapshot_entities m
             JOIN entity_blobs b ON b.id = m.blob_id
             WHERE m.snapshot_id = ?1 ORDER BY m.entity_id",
        )?;
        let rows = stmt.query_map([snapshot_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get_ref(1)?.as_blob()?.to_vec()))
        })?;
        let rows: Vec<(String, Vec<u8>)> = rows.collect::<rusqlite::Result<_>>()?;
        // Decoding dominates reading; split it over the cores.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = rows.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let parts: Vec<_> = rows.chunks(chunk).map(|part| scope.spawn(move || decode(part))).collect();
            let mut entities = Vec::with_capacity(rows.len());
            for part in parts {
                entities.extend(part.join().expect("decoding does not panic")?);
            }
            Ok(entities)
        })
    }

    /// The entities of every snapshot in service, with `first_seen` / `last_seen` set from
    /// the retrieval times of the snapshots of their source that hold them.
    pub fn active_entities(&self) -> Result<Vec<Entity>> {
        let mut all = Vec::new();
        for snapshot in self.active_snapshots()? {
            let first_seen = self.first_seen(&snapshot.source)?;
            let mut entities = self.entities(snapshot.id)?;
            for e in &mut entities {
                e.first_seen = first_seen.get(&e.id).cloned();
                e.last_seen = Some(snapshot.retrieved_at.clone());
            }
            all.extend(entities);
        }
        Ok(all)
    }

    /// For each entity id of a source, the retrieval time of the first snapshot holding it.
    fn first_seen(&self, source: &str) -> Result<BTreeMap<String, String>> {
        let mut stmt = self.conn.prepare(
            "SELECT m.entity_id, MIN(s.retrieved_at) FROM snapshot_entities m
             JOIN snapshots s ON s.id = m.snapshot_id
             WHERE s.source = ?1 GROUP BY m.entity_id",
        )?;
        let rows = stmt.query_map([source], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn insert_snapshot(tx: &rusqlite::Transaction<'_>, snapshot: &PreparedSnapshot, imported_at: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO snapshots (source, format, publisher, list_date, origin, retrieved_at,
            imported_at, files, counts, entity_count, content_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            snapshot.source,
            snapshot.format,
            snapshot.publisher,
            snapshot.list_date,
            snapshot.origin,
            snapshot.retrieved_at,
            imported_at,
            serde_json::to_string(&snapshot.files).expect("file digests serialise"),
            serde_json::to_string(&snapshot.counts).expect("counts serialise"),
            snapshot.entities.len() as i64,
            snapshot.content_hash,
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut insert_blob = tx.prepare_cached("INSERT OR IGNORE INTO entity_blobs (hash, data) VALUES (?1, ?2)")?;
    let mut find_blob = tx.prepare_cached("SELECT id FROM entity_blobs WHERE hash = ?1")?;
    let mut member =
        tx.prepare_cached("INSERT INTO snapshot_entities (snapshot_id, entity_id, blob_id) VALUES (?1, ?2, ?3)")?;
    // Entities are sorted by id, the member table's key order: B-tree appends.
    for e in &snapshot.entities {
        let blob_id = if insert_blob.execute(params![&e.hash[..], e.json])? == 1 {
            tx.last_insert_rowid()
        } else {
            find_blob.query_row([&e.hash[..]], |r| r.get::<_, i64>(0))?
        };
        member.execute(params![id, e.id, blob_id])?;
    }
    tx.execute(
        "INSERT INTO active_snapshots (source, snapshot_id) VALUES (?1, ?2)
         ON CONFLICT (source) DO UPDATE SET snapshot_id = excluded.snapshot_id",
        params![snapshot.source, id],
    )?;
    Ok(id)
}

fn decode(rows: &[(String, Vec<u8>)]) -> Result<Vec<Entity>> {
    rows.iter()
        .map(|(id, data)| {
            serde_json::from_slice(data)
                .map_err(|e| Error::Corrupt { what: format!("entity {id}"), message: e.to_string() })
        })
        .collect()
}

const SELECT_SNAPSHOT: &str = "SELECT s.id, s.source, s.format, s.publisher, s.list_date, s.origin,
    s.retrieved_at, s.imported_at, s.files, s.counts, s.entity_count, s.content_hash,
    a.snapshot_id IS NOT NULL
    FROM snapshots s LEFT JOIN active_snapshots a ON a.snapshot_id = s.id";

/// Reads a snapshot row; the outer result is SQLite's, the inner one our JSON columns'.
fn snapshot_row(r: &Row<'_>) -> rusqlite::Result<Result<SnapshotInfo>> {
    let id: i64 = r.get(0)?;
    let files: String = r.get(8)?;
    let counts: String = r.get(9)?;
    let corrupt = |what: &str, e: serde_json::Error| Error::Corrupt {
        what: format!("{what} of snapshot {id}"),
        message: e.to_string(),
    };
    let files = match serde_json::from_str(&files) {
        Ok(f) => f,
        Err(e) => return Ok(Err(corrupt("file list", e))),
    };
    let counts = match serde_json::from_str(&counts) {
        Ok(c) => c,
        Err(e) => return Ok(Err(corrupt("counts", e))),
    };
    Ok(Ok(SnapshotInfo {
        id,
        source: r.get(1)?,
        format: r.get(2)?,
        publisher: r.get(3)?,
        list_date: r.get(4)?,
        origin: r.get(5)?,
        retrieved_at: r.get(6)?,
        imported_at: r.get(7)?,
        files,
        counts,
        entity_count: r.get::<_, i64>(10)? as usize,
        content_hash: r.get(11)?,
        active: r.get(12)?,
    }))
}
