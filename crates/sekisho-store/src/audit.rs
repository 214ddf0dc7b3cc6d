//! The audit trail: who screened what against which list versions, what sekisho answered,
//! who cleared each alert and why (EAR 15 CFR 762 asks for five years of such records).
//!
//! Each record is canonical JSON (object keys sorted, no spaces) of its sequence number,
//! timestamp, actor, action and details. Records are hash-chained:
//! `hash(n) = SHA-256(hash(n-1) || canonical bytes(n))`, starting from 32 zero bytes or from
//! the checkpoint that pruning leaves. Triggers refuse UPDATE and DELETE on the log, and
//! [`Store::verify_audit`] walks the chain, so an edit made by hand in the database file
//! (triggers dropped) is found and named by sequence number.
//!
//! The newest record can be rewritten undetected only together with every record after it
//! and the head kept in `audit_state`; auditors who note the head hash that `sekisho audit
//! verify` prints can detect even that.
//!
//! **Record versions.** A `screen` record names the list versions it ran against. Version 1
//! (every record before session 10, still read and verified as written) holds them inline,
//! `details.lists`: about two thirds of a record, the same for every screening against the
//! same snapshots. Version 2 names them by hash, `details.list_set`: the SHA-256 of the
//! canonical JSON of that same array, which is stored once in `audit_list_sets` (keyed by
//! that hash, append-only, kept when records are pruned). The record's own hash covers the
//! list set's, so the chain still proves which list versions each screening used; verify
//! checks that every named set is there and still hashes to its name. Readers (export, the
//! audit pages, [`AuditRecord::details`]) see version 2 records with `lists` put back beside
//! `list_set`; to re-hash such a record from an export, leave out `lists`.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{Error, Result, Store};

/// Five years (EAR 15 CFR 762.6), counting a leap day.
pub const DEFAULT_RETENTION_DAYS: u32 = 1826;

/// The hash before the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

macro_rules! no_delete_trigger {
    () => {
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit records are removed only by sekisho audit prune'); END;"
    };
}

pub(crate) const SCHEMA: &str = concat!(
    "
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY,
    timestamp TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    -- The canonical JSON of the whole record: the bytes the chain hashes.
    record TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_time ON audit_log (timestamp);
-- Pages of one action, newest first (the HTTP API's /audit?action=).
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log (action, seq);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
",
    no_delete_trigger!(),
    "
-- One row: the chain's head (to notice removed trailing records), the checkpoint pruning
-- left (where the chain now starts) and the retention setting.
CREATE TABLE IF NOT EXISTS audit_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    head_seq INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    head_timestamp TEXT NOT NULL,
    checkpoint_seq INTEGER NOT NULL,
    checkpoint_hash TEXT NOT NULL,
    retention_days INTEGER NOT NULL
);
INSERT OR IGNORE INTO audit_state VALUES (1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000', '', 0,
    '0000000000000000000000000000000000000000000000000000000000000000', 1826);
-- The list sets that version 2 records name (see the module docs): the canonical JSON array
-- of list versions, keyed by its SHA-256 (hex). Never updated or deleted, also not by pruning.
CREATE TABLE IF NOT EXISTS audit_list_sets (
    sha256 TEXT PRIMARY KEY,
    lists TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS audit_list_sets_no_update BEFORE UPDATE ON audit_list_sets
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_list_sets_no_delete BEFORE DELETE ON audit_list_sets
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"
);

/// One stored audit record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    /// RFC 3339 UTC with microseconds; never earlier than the record before.
    pub timestamp: String,
    /// The user or API key name that acted.
    pub actor: String,
    /// `screen`, `review`, `import`, `delta_screen`, `counterparty_save`, `audit_prune`, ...
    pub action: String,
    pub details: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The work of one audit record, inside the write transaction that appends the record: the
/// work and its record are committed together or not at all. See [`Store::audited`].
pub struct AuditedTx<'a> {
    pub(crate) tx: &'a Connection,
    seq: i64,
    timestamp: String,
}

/// One write transaction in which records are appended one after another, each with its
/// own work (group commit: many screenings pay for one commit). See [`Store::audit_batch`].
pub struct AuditBatch<'c> {
    tx: Transaction<'c>,
    head_seq: i64,
    head_hash: String,
    head_timestamp: String,
    /// List sets stored before this batch (committed): the store's, lent for the batch.
    known_list_sets: HashSet<String>,
    /// List sets this batch stored: known once it commits.
    new_list_sets: Vec<String>,
}

/// The list versions a screening ran against, as version 2 records name them: the canonical
/// JSON array and its SHA-256 (see the module docs). Build it once per set of snapshots, not
/// per record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSet {
    sha256: String,
    lists: String,
}

impl ListSet {
    /// `lists` must serialise canonically (as for [`AuditBatch::append_serialized`]).
    pub fn new<L: Serialize + ?Sized>(lists: &L) -> Result<ListSet> {
        let lists = serde_json::to_string(lists)
            .map_err(|e| Error::Invalid(format!("cannot write a list set: {e}")))?;
        Ok(ListSet { sha256: hex::encode(Sha256::digest(lists.as_bytes())), lists })
    }

    /// The name a record gives the set: the SHA-256 (hex) of its JSON.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The canonical JSON array of list versions.
    pub fn lists(&self) -> &str {
        &self.lists
    }
}

impl AuditBatch<'_> {
    /// Stores `set` in `audit_list_sets` unless it is there already, so that records of this
    /// batch may name it (`details.list_set`). Costs nothing once the set is known.
    pub fn store_list_set(&mut self, set: &ListSet) -> Result<()> {
        if self.known_list_sets.contains(&set.sha256) || self.new_list_sets.contains(&set.sha256) {
            return Ok(());
        }
        // Another connection may have stored it: same name, same bytes.
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO audit_list_sets (sha256, lists) VALUES (?1, ?2)")?
            .execute(params![set.sha256, set.lists])?;
        self.new_list_sets.push(set.sha256.clone());
        Ok(())
    }

    /// Runs `work`, then appends the record whose details it returns. Under a savepoint: if
    /// the work or the append fails, this record's work is undone, the error returned, and
    /// the batch goes on without it.
    pub fn append<T>(
        &mut self,
        actor: &str,
        action: &str,
        work: impl FnOnce(&AuditedTx<'_>) -> Result<(T, Value)>,
    ) -> Result<(T, AuditRecord)> {
        let (value, Canonical(details), appended) = self.append_with(actor, action, |atx| {
            let (value, details) = work(atx)?;
            Ok((value, Canonical(details)))
        })?;
        let Appended { seq, timestamp, prev_hash, hash } = appended;
        let (actor, action) = (actor.to_string(), action.to_string());
        Ok((value, AuditRecord { seq, timestamp, actor, action, details, prev_hash, hash }))
    }

    /// Like [`AuditBatch::append`], for details written straight from a typed value instead
    /// of a `Value` tree built first (cheaper for records written per request). `D` must
    /// serialise canonically: object keys in sorted order at every level, i.e. struct fields
    /// declared in sorted order and any `Value` inside wrapped in [`Canonical`]. A test of
    /// each such type should compare its bytes with [`canonical_json`] of the same content.
    pub fn append_serialized<T, D: Serialize>(
        &mut self,
        actor: &str,
        action: &str,
        work: impl FnOnce(&AuditedTx<'_>) -> Result<(T, D)>,
    ) -> Result<(T, Appended)> {
        let (value, _, appended) = self.append_with(actor, action, work)?;
        Ok((value, appended))
    }

    /// The one way a record is appended: `work` under a savepoint, then the record with the
    /// details it returned, hashed onto the chain. Gives the details back.
    fn append_with<T, D: Serialize>(
        &mut self,
        actor: &str,
        action: &str,
        work: impl FnOnce(&AuditedTx<'_>) -> Result<(T, D)>,
    ) -> Result<(T, D, Appended)> {
        if actor.trim().is_empty() {
            return Err(Error::Invalid("an audit record needs an actor (user or API key name)".into()));
        }
        if action.trim().is_empty() {
            return Err(Error::Invalid("an audit record needs an action".into()));
        }
        // A clock set back must not make the trail look reordered.
        let now = timestamp(SystemTime::now());
        let timestamp = if now < self.head_timestamp { self.head_timestamp.clone() } else { now };
        let seq = self.head_seq + 1;
        let savepoint = self.tx.savepoint()?;
        let atx = AuditedTx { tx: &savepoint, seq, timestamp };
        let (value, details) = work(&atx)?;
        let body = RecordBody { action, actor, details: &details, seq, timestamp: &atx.timestamp };
        let mut record = Vec::with_capacity(2048);
        serde_json::to_writer(&mut record, &body)
            .map_err(|e| Error::Invalid(format!("audit record {seq}: cannot write its details: {e}")))?;
        // serde_json writes only valid UTF-8.
        let record = String::from_utf8(record).map_err(|e| Error::Invalid(format!("audit record {seq}: {e}")))?;
        let hash = chain_hash(&self.head_hash, record.as_bytes());
        savepoint
            .prepare_cached(
                "INSERT INTO audit_log (seq, timestamp, actor, action, record, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![seq, atx.timestamp, actor, action, record, self.head_hash, hash])?;
        let AuditedTx { timestamp, .. } = atx;
        savepoint.commit()?;
        let appended = Appended {
            seq,
            timestamp: timestamp.clone(),
            prev_hash: std::mem::replace(&mut self.head_hash, hash.clone()),
            hash,
        };
        self.head_seq = seq;
        self.head_timestamp = timestamp;
        Ok((value, details, appended))
    }
}

/// Where a record went on the chain (see [`AuditBatch::append_serialized`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Appended {
    pub seq: i64,
    pub timestamp: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A record as hashed: its fields in sorted order, so its JSON is canonical when the
/// details' is.
#[derive(Serialize)]
struct RecordBody<'a, D: ?Sized> {
    action: &'a str,
    actor: &'a str,
    details: &'a D,
    seq: i64,
    timestamp: &'a str,
}

impl AuditedTx<'_> {
    /// The sequence number the audit record of this transaction will get.
    pub fn seq(&self) -> i64 {
        self.seq
    }

    /// The timestamp the audit record of this transaction will get.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditVerification {
    /// Records walked.
    pub records: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// The hash of the last record (note it to detect a later rewrite of the tail).
    pub head_hash: String,
    /// Records up to this one were pruned (0: none).
    pub checkpoint_seq: i64,
    /// The first thing wrong, or `None` when the chain is intact.
    pub problem: Option<AuditProblem>,
}

/// The first broken record and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditProblem {
    pub seq: i64,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The record's bytes or columns differ from what was hashed.
    Altered,
    /// Records are gone: a gap in the sequence, or trailing records removed.
    Missing,
    /// A record is out of place: moved, or its link to the one before is broken.
    Reordered,
    /// A record that sekisho did not append.
    Inserted,
    /// The checkpoint pruning left disagrees with the log.
    Checkpoint,
}

#[derive(Debug, Clone, Serialize)]
pub struct PruneOutcome {
    /// Records removed.
    pub pruned: u64,
    /// The checkpoint the chain now starts from.
    pub checkpoint_seq: i64,
    pub checkpoint_hash: String,
    /// Records older than this were eligible.
    pub cutoff: String,
    /// The `audit_prune` record that names the checkpoint.
    pub record: AuditRecord,
}

struct State {
    head_seq: i64,
    head_hash: String,
    head_timestamp: String,
    checkpoint_seq: i64,
    checkpoint_hash: String,
    retention_days: i64,
}

// Statements on the path of every audit record are prepared once per connection (cached):
// parsing them again for each record cost more than running them.
fn read_state(conn: &Connection) -> Result<State> {
    Ok(conn.prepare_cached(
        "SELECT head_seq, head_hash, head_timestamp, checkpoint_seq, checkpoint_hash, retention_days
         FROM audit_state WHERE id = 1",
    )?.query_row(
        [],
        |r| {
            Ok(State {
                head_seq: r.get(0)?,
                head_hash: r.get(1)?,
                head_timestamp: r.get(2)?,
                checkpoint_seq: r.get(3)?,
                checkpoint_hash: r.get(4)?,
                retention_days: r.get(5)?,
            })
        },
    )?)
}

/// RFC 3339 UTC with microseconds: fixed width, so timestamps compare as strings.
pub fn timestamp(time: SystemTime) -> String {
    humantime::format_rfc3339_micros(time).to_string()
}

/// JSON with object keys sorted at every level and no whitespace: one value, one byte string.
pub fn canonical_json(value: &Value) -> String {
    // Writing a `Value` into a Vec cannot fail, and serde_json writes only valid UTF-8.
    let bytes = serde_json::to_vec(&Canonical(value)).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A `Value` that serialises with its object keys sorted at every level: canonical JSON
/// through serde_json's compact writer (strings and numbers as `Value::to_string` writes
/// them), also inside a typed record (see [`AuditBatch::append_serialized`]). Holds the
/// value or a reference to it.
pub struct Canonical<V: Borrow<Value>>(pub V);

impl<V: Borrow<Value>> Serialize for Canonical<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.0.borrow() {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                // serde_json's map keeps its keys sorted unless its `preserve_order` feature
                // is on (another crate could turn it on): sort only then.
                if map.keys().is_sorted() {
                    for (key, item) in map {
                        out.serialize_entry(key, &Canonical(item))?;
                    }
                } else {
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort();
                    for key in keys {
                        out.serialize_entry(key, &Canonical(&map[key]))?;
                    }
                }
                out.end()
            }
            Value::Array(items) => serializer.collect_seq(items.iter().map(Canonical)),
            scalar => scalar.serialize(serializer),
        }
    }
}

fn chain_hash(prev_hex: &str, record: &[u8]) -> String {
    let mut h = Sha256::new();
    // A stored previous hash that is not hex cannot match any record's hash; hash its bytes
    // as they are so the mismatch is reported, not an error.
    match hex::decode(prev_hex) {
        Ok(prev) => h.update(prev),
        Err(_) => h.update(prev_hex.as_bytes()),
    }
    h.update(record);
    hex::encode(h.finalize())
}

impl Store {
    /// Runs `work` in one write transaction (taken immediately, so concurrent writers queue),
    /// then appends the audit record whose details `work` returns.
    pub fn audited<T>(
        &mut self,
        actor: &str,
        action: &str,
        work: impl FnOnce(&AuditedTx<'_>) -> Result<(T, Value)>,
    ) -> Result<(T, AuditRecord)> {
        self.audit_batch(|batch| batch.append(actor, action, work))
    }

    /// Runs `f` in one write transaction (taken immediately) in which it may append any
    /// number of records ([`AuditBatch::append`]), and commits them together: one commit,
    /// one write of the chain's head, for a whole group of screenings. If `f` fails,
    /// nothing of it is kept.
    pub fn audit_batch<T, E: From<Error>>(&mut self, f: impl FnOnce(&mut AuditBatch<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(Error::from)?;
        let state = read_state(&tx)?;
        let start_seq = state.head_seq;
        let mut batch = AuditBatch {
            tx,
            head_seq: state.head_seq,
            head_hash: state.head_hash,
            head_timestamp: state.head_timestamp,
            known_list_sets: std::mem::take(&mut self.list_sets),
            new_list_sets: Vec::new(),
        };
        let outcome = f(&mut batch).and_then(|value| {
            if batch.head_seq != start_seq {
                batch
                    .tx
                    .prepare_cached("UPDATE audit_state SET head_seq = ?1, head_hash = ?2, head_timestamp = ?3 WHERE id = 1")
                    .and_then(|mut stmt| stmt.execute(params![batch.head_seq, batch.head_hash, batch.head_timestamp]))
                    .map_err(Error::from)?;
            }
            Ok(value)
        });
        let AuditBatch { tx, known_list_sets, new_list_sets, .. } = batch;
        // The sets this batch stored are known only once it is committed.
        self.list_sets = known_list_sets;
        let value = outcome?;
        tx.commit().map_err(Error::from)?;
        self.list_sets.extend(new_list_sets);
        Ok(value)
    }

    /// Appends one audit record on its own (list imports, key events, settings).
    pub fn append_audit(&mut self, actor: &str, action: &str, details: Value) -> Result<AuditRecord> {
        Ok(self.audited(actor, action, |_| Ok(((), details)))?.1)
    }

    /// Calls `each` with every record at or after `since` (an RFC 3339 timestamp or a
    /// prefix of one, such as a date), in sequence order, without holding them all.
    pub fn for_each_audit_record(
        &self,
        since: Option<&str>,
        mut each: impl FnMut(AuditRecord) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, timestamp, actor, action, record, prev_hash, hash FROM audit_log
             WHERE ?1 IS NULL OR timestamp >= ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([since])?;
        let mut sets = ListSets::default();
        while let Some(r) = rows.next()? {
            each(audit_row(r, &self.conn, &mut sets)?)?;
        }
        Ok(())
    }

    /// One page of records, newest first, of one action if given, with the number of such
    /// records in all (read in one transaction, so the two agree while others append).
    pub fn audit_page(&self, action: Option<&str>, limit: usize, offset: usize) -> Result<(Vec<AuditRecord>, u64)> {
        let tx = self.conn.unchecked_transaction()?;
        let total: i64 =
            tx.query_row("SELECT COUNT(*) FROM audit_log WHERE ?1 IS NULL OR action = ?1", [action], |r| r.get(0))?;
        let mut stmt = tx.prepare(
            "SELECT seq, timestamp, actor, action, record, prev_hash, hash FROM audit_log
             WHERE ?1 IS NULL OR action = ?1 ORDER BY seq DESC LIMIT ?2 OFFSET ?3",
        )?;
        let mut rows = stmt.query(params![action, to_sql_count(limit), to_sql_count(offset)])?;
        let mut page = Vec::new();
        let mut sets = ListSets::default();
        while let Some(r) = rows.next()? {
            page.push(audit_row(r, &tx, &mut sets)?);
        }
        Ok((page, total.try_into().unwrap_or(0)))
    }

    /// Every record at or after `since`, in sequence order.
    pub fn audit_records(&self, since: Option<&str>) -> Result<Vec<AuditRecord>> {
        let mut all = Vec::new();
        self.for_each_audit_record(since, |r| {
            all.push(r);
            Ok(())
        })?;
        Ok(all)
    }

    /// Walks the chain from the checkpoint to the head and reports the first broken record.
    pub fn verify_audit(&self) -> Result<AuditVerification> {
        // One read transaction: a consistent view while others append.
        let tx = self.conn.unchecked_transaction()?;
        let state = read_state(&tx)?;
        let mut walk = Walk {
            records: 0,
            first_seq: None,
            last_seq: state.checkpoint_seq,
            last_hash: state.checkpoint_hash.clone(),
            last_timestamp: String::new(),
            checkpoint_seq: state.checkpoint_seq,
            named_checkpoint: None,
            list_sets: stored_list_sets(&tx)?,
        };
        let mut stmt =
            tx.prepare("SELECT seq, timestamp, actor, action, record, prev_hash, hash FROM audit_log ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut problem = None;
        while let Some(r) = rows.next()? {
            let row = RawRow {
                seq: r.get(0)?,
                timestamp: bytes(r.get_ref(1)?),
                actor: bytes(r.get_ref(2)?),
                action: bytes(r.get_ref(3)?),
                record: bytes(r.get_ref(4)?),
                prev_hash: bytes(r.get_ref(5)?),
                hash: bytes(r.get_ref(6)?),
            };
            if let Err(p) = walk.step(&row) {
                problem = Some(p);
                break;
            }
        }
        if problem.is_none() {
            problem = walk.finish(&state).err();
        }
        Ok(AuditVerification {
            records: walk.records,
            first_seq: walk.first_seq,
            last_seq: walk.first_seq.map(|_| walk.last_seq),
            head_hash: walk.last_hash,
            checkpoint_seq: state.checkpoint_seq,
            problem,
        })
    }

    pub fn audit_retention_days(&self) -> Result<u32> {
        Ok(read_state(&self.conn)?.retention_days.try_into().unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// Changes the retention (recorded in the trail).
    pub fn set_audit_retention_days(&mut self, actor: &str, days: u32) -> Result<AuditRecord> {
        if days == 0 {
            return Err(Error::Invalid("the audit retention must be at least one day".into()));
        }
        let (_, record) = self.audited(actor, "audit_settings", |atx| {
            let before = read_state(atx.tx)?.retention_days;
            atx.tx.execute("UPDATE audit_state SET retention_days = ?1 WHERE id = 1", [days])?;
            Ok(((), json!({
                "summary": format!("audit retention {before} → {days} days"),
                "retention_days": {"from": before, "to": days},
            })))
        })?;
        Ok(record)
    }

    /// Removes the records older than the retention setting allows at `now`.
    pub fn prune_audit(&mut self, actor: &str, now: SystemTime) -> Result<PruneOutcome> {
        let days = self.audit_retention_days()?;
        let cutoff = now.checked_sub(Duration::from_secs(u64::from(days) * 86_400)).unwrap_or(SystemTime::UNIX_EPOCH);
        self.prune_audit_before(actor, &timestamp(cutoff))
    }

    /// Removes the longest run of oldest records whose timestamps lie before `cutoff`, moves
    /// the checkpoint to the last removed record, and records that in an `audit_prune`
    /// record (also when nothing was old enough), all in one transaction.
    pub fn prune_audit_before(&mut self, actor: &str, cutoff: &str) -> Result<PruneOutcome> {
        let ((pruned, checkpoint_seq, checkpoint_hash), record) = self.audited(actor, "audit_prune", |atx| {
            let tx = atx.tx;
            let state = read_state(tx)?;
            let through: Option<(i64, String)> = tx
                .query_row(
                    "SELECT seq, hash FROM audit_log
                     WHERE seq < COALESCE((SELECT MIN(seq) FROM audit_log WHERE timestamp >= ?1), ?2)
                     ORDER BY seq DESC LIMIT 1",
                    params![cutoff, atx.seq()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map(Some)
                .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
            let (pruned, cp_seq, cp_hash) = match through {
                None => (0u64, state.checkpoint_seq, state.checkpoint_hash),
                Some((seq, hash)) => {
                    // The trigger guards against every other DELETE; this one lifts it for
                    // the length of the transaction only.
                    tx.execute_batch("DROP TRIGGER audit_log_no_delete;")?;
                    let n = tx.execute("DELETE FROM audit_log WHERE seq <= ?1", [seq])?;
                    tx.execute_batch(no_delete_trigger!())?;
                    tx.execute(
                        "UPDATE audit_state SET checkpoint_seq = ?1, checkpoint_hash = ?2 WHERE id = 1",
                        params![seq, hash],
                    )?;
                    (n as u64, seq, hash)
                }
            };
            let details = json!({
                "summary": format!("pruned {pruned} record(s) older than {cutoff}; chain starts after record {cp_seq}"),
                "cutoff": cutoff,
                "retention_days": state.retention_days,
                "pruned": pruned,
                "checkpoint": {"seq": cp_seq, "hash": cp_hash},
            });
            Ok(((pruned, cp_seq, cp_hash), details))
        })?;
        Ok(PruneOutcome { pruned, checkpoint_seq, checkpoint_hash, cutoff: cutoff.to_string(), record })
    }
}

/// A row of `seq, timestamp, actor, action, record, prev_hash, hash`, details from the record
/// (a version 2 record's with the `lists` of its list set put back).
fn audit_row(r: &rusqlite::Row<'_>, conn: &Connection, sets: &mut ListSets) -> Result<AuditRecord> {
    let seq: i64 = r.get(0)?;
    let record: String = r.get(4)?;
    let mut body: Value = serde_json::from_str(&record)
        .map_err(|e| Error::Corrupt { what: format!("audit record {seq}"), message: e.to_string() })?;
    let mut details = body.get_mut("details").map(Value::take).unwrap_or(Value::Null);
    sets.expand(conn, &mut details)?;
    Ok(AuditRecord {
        seq,
        timestamp: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        details,
        prev_hash: r.get(5)?,
        hash: r.get(6)?,
    })
}

/// The list sets read so far by one reader of records (few: one per set of snapshots).
#[derive(Default)]
struct ListSets(HashMap<String, Option<Value>>);

impl ListSets {
    /// Puts the `lists` of the set that `details.list_set` names beside it. A set that is gone
    /// or no longer JSON is left out, so that a tampered trail can still be read and exported;
    /// verify names the first record that names it.
    fn expand(&mut self, conn: &Connection, details: &mut Value) -> Result<()> {
        let Some(Value::String(name)) = details.get("list_set") else { return Ok(()) };
        if details.get("lists").is_some() {
            return Ok(());
        }
        if !self.0.contains_key(name) {
            let stored: Option<String> = conn
                .prepare_cached("SELECT lists FROM audit_list_sets WHERE sha256 = ?1")?
                .query_row([name], |r| r.get(0))
                .map(Some)
                .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
            let parsed = stored.and_then(|text| serde_json::from_str::<Value>(&text).ok());
            self.0.insert(name.clone(), parsed);
        }
        if let Some(Some(lists)) = self.0.get(name).cloned() {
            details["lists"] = lists;
        }
        Ok(())
    }
}

/// A page size or offset for SQL (SQLite's integers are signed 64-bit).
pub(crate) fn to_sql_count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Column bytes as stored, whatever type the column was given.
fn bytes(v: ValueRef<'_>) -> Vec<u8> {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => b.to_vec(),
        ValueRef::Integer(i) => i.to_string().into_bytes(),
        ValueRef::Real(f) => f.to_string().into_bytes(),
        ValueRef::Null => Vec::new(),
    }
}

struct RawRow {
    seq: i64,
    timestamp: Vec<u8>,
    actor: Vec<u8>,
    action: Vec<u8>,
    record: Vec<u8>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

/// Every stored list set by name, with `Some(SHA-256 of its content)` where that is not
/// its name (altered).
fn stored_list_sets(conn: &Connection) -> Result<HashMap<String, Option<String>>> {
    let mut stmt = conn.prepare("SELECT sha256, lists FROM audit_list_sets")?;
    let mut rows = stmt.query([])?;
    let mut sets = HashMap::new();
    while let Some(r) = rows.next()? {
        let name = String::from_utf8_lossy(&bytes(r.get_ref(0)?)).into_owned();
        let computed = hex::encode(Sha256::digest(bytes(r.get_ref(1)?)));
        let altered = (computed != name).then_some(computed);
        sets.insert(name, altered);
    }
    Ok(sets)
}

struct Walk {
    records: u64,
    first_seq: Option<i64>,
    last_seq: i64,
    last_hash: String,
    last_timestamp: String,
    checkpoint_seq: i64,
    /// The checkpoint the latest `audit_prune` record names.
    named_checkpoint: Option<(i64, String)>,
    /// See [`stored_list_sets`].
    list_sets: HashMap<String, Option<String>>,
}

impl Walk {
    fn step(&mut self, row: &RawRow) -> Result<(), AuditProblem> {
        let seq = row.seq;
        let problem = |kind, message: String| AuditProblem { seq, kind, message };
        let expected = self.last_seq + 1;
        if seq < expected {
            return Err(problem(
                ProblemKind::Inserted,
                format!("record {seq} lies within the pruned part of the trail (records up to {} were pruned)", self.checkpoint_seq),
            ));
        }
        if seq > expected {
            let gap = if seq == expected + 1 { format!("record {expected} is") } else { format!("records {expected} to {} are", seq - 1) };
            return Err(AuditProblem {
                seq: expected,
                kind: ProblemKind::Missing,
                message: format!("{gap} missing (deleted): record {seq} follows record {}", self.last_seq),
            });
        }
        let altered = |what: String| problem(ProblemKind::Altered, format!("record {seq}: {what}"));
        let text = std::str::from_utf8(&row.record).map_err(|_| altered("its content is not valid UTF-8".into()))?;
        let body: Value =
            serde_json::from_str(text).map_err(|e| altered(format!("its content is not valid JSON ({e})")))?;
        if body.get("seq").and_then(Value::as_i64) != Some(seq) {
            return Err(problem(
                ProblemKind::Reordered,
                format!("the record stored as {seq} says it is record {} (moved or renumbered)", body.get("seq").unwrap_or(&Value::Null)),
            ));
        }
        for (column, stored) in [("timestamp", &row.timestamp), ("actor", &row.actor), ("action", &row.action)] {
            let hashed = body.get(column).and_then(Value::as_str).unwrap_or_default();
            if stored.as_slice() != hashed.as_bytes() {
                return Err(altered(format!(
                    "its {column} column ({:?}) differs from the hashed record ({hashed:?})",
                    String::from_utf8_lossy(stored)
                )));
            }
        }
        if row.prev_hash.as_slice() != self.last_hash.as_bytes() {
            let before = if self.records == 0 { format!("the checkpoint (record {})", self.last_seq) } else { format!("record {}", self.last_seq) };
            return Err(problem(
                ProblemKind::Reordered,
                format!(
                    "record {seq} does not link to {before}: it names previous hash {} but that hash is {}; \
                     {before} was altered and re-hashed, or records were removed or reordered",
                    String::from_utf8_lossy(&row.prev_hash),
                    self.last_hash
                ),
            ));
        }
        let computed = chain_hash(&self.last_hash, &row.record);
        if row.hash.as_slice() != computed.as_bytes() {
            return Err(altered(format!(
                "content altered: the stored hash {} does not match the content (SHA-256 gives {computed})",
                String::from_utf8_lossy(&row.hash)
            )));
        }
        let timestamp = body["timestamp"].as_str().unwrap_or_default();
        if timestamp < self.last_timestamp.as_str() {
            return Err(problem(
                ProblemKind::Reordered,
                format!("record {seq} ({timestamp}) is older than the record before it ({})", self.last_timestamp),
            ));
        }
        if let Some(name) = body["details"].get("list_set") {
            let Some(name) = name.as_str() else {
                return Err(altered(format!("its list_set is not a hash: {name}")));
            };
            match self.list_sets.get(name) {
                None => {
                    return Err(problem(
                        ProblemKind::Missing,
                        format!("record {seq} names list set {name}, which is missing from audit_list_sets (deleted or re-keyed)"),
                    ));
                }
                Some(Some(computed)) => {
                    return Err(altered(format!(
                        "the list set it names ({name}) was altered: its stored lists hash to {computed}"
                    )));
                }
                Some(None) => {}
            }
        }
        if body["action"] == "audit_prune" {
            let cp = &body["details"]["checkpoint"];
            if let (Some(s), Some(h)) = (cp["seq"].as_i64(), cp["hash"].as_str()) {
                self.named_checkpoint = Some((s, h.to_string()));
            }
        }
        self.records += 1;
        self.first_seq.get_or_insert(seq);
        self.last_seq = seq;
        self.last_hash = computed;
        self.last_timestamp = timestamp.to_string();
        Ok(())
    }

    fn finish(&self, state: &State) -> Result<(), AuditProblem> {
        if state.head_seq > self.last_seq {
            let gap = if state.head_seq == self.last_seq + 1 {
                format!("record {} is", state.head_seq)
            } else {
                format!("records {} to {} are", self.last_seq + 1, state.head_seq)
            };
            return Err(AuditProblem {
                seq: self.last_seq + 1,
                kind: ProblemKind::Missing,
                message: format!("{gap} missing (deleted): the trail's head is record {}", state.head_seq),
            });
        }
        if state.head_seq < self.last_seq {
            return Err(AuditProblem {
                seq: state.head_seq + 1,
                kind: ProblemKind::Inserted,
                message: format!(
                    "record {} was not appended by sekisho: the trail's head is record {}",
                    state.head_seq + 1,
                    state.head_seq
                ),
            });
        }
        if state.head_hash != self.last_hash {
            return Err(AuditProblem {
                seq: self.last_seq,
                kind: ProblemKind::Altered,
                message: format!(
                    "record {}: its hash {} differs from the recorded head {}",
                    self.last_seq, self.last_hash, state.head_hash
                ),
            });
        }
        if state.checkpoint_seq > 0 {
            let named = self.named_checkpoint.as_ref();
            if named != Some(&(state.checkpoint_seq, state.checkpoint_hash.clone())) {
                return Err(AuditProblem {
                    seq: self.first_seq.unwrap_or(state.checkpoint_seq + 1),
                    kind: ProblemKind::Checkpoint,
                    message: format!(
                        "the checkpoint (records up to {} pruned, hash {}) is not the one the last audit_prune record names ({})",
                        state.checkpoint_seq,
                        state.checkpoint_hash,
                        named.map_or("none".to_string(), |(s, h)| format!("record {s}, hash {h}"))
                    ),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = json!({"b": 1, "a": {"d": [true, null, "x\"y"], "c": 1.5}});
        assert_eq!(canonical_json(&v), r#"{"a":{"c":1.5,"d":[true,null,"x\"y"]},"b":1}"#);
    }

    /// The writer gives the bytes the first one gave (keys and scalars through
    /// `Value::to_string`), so records written before and after hash alike.
    #[test]
    fn canonical_json_is_byte_identical_to_the_value_to_string_writer() {
        fn reference(value: &Value, out: &mut String) {
            match value {
                Value::Object(map) => {
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort();
                    out.push('{');
                    for (i, key) in keys.into_iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(&Value::String(key.clone()).to_string());
                        out.push(':');
                        reference(&map[key], out);
                    }
                    out.push('}');
                }
                Value::Array(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        reference(item, out);
                    }
                    out.push(']');
                }
                scalar => out.push_str(&scalar.to_string()),
            }
        }
        let value = json!({
            "名前": "キム・ジョンウン", "z\u{1}\"\\/\n\t": ["\u{7f}\u{2028}é😀", -0.0, 1e300, 0.1, u64::MAX, i64::MIN, null],
            "": {"b": {}, "a": [], "A": false}, "score": 0.8333333333333334, "seq": 12,
        });
        let mut expected = String::new();
        reference(&value, &mut expected);
        assert_eq!(canonical_json(&value), expected);
    }

    #[test]
    fn genesis_hash_matches_the_schema_default() {
        assert!(SCHEMA.contains(GENESIS_HASH));
        assert_eq!(hex::decode(GENESIS_HASH).unwrap(), [0u8; 32]);
    }
}
