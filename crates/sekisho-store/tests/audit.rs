//! The audit trail in a real store file: the chain verifies, and edits made directly in the
//! database file (triggers dropped, as someone with the file would) are found and named.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use rusqlite::Connection;
use sekisho_store::{ProblemKind, Store};
use serde_json::json;

fn store_with_records(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("sekisho.db");
    let mut store = Store::open(&path).unwrap();
    for i in 0..n {
        let details = json!({"summary": format!("screened name {i}"), "query": {"name": format!("Name {i}")},
            "results": [{"entity_id": format!("e-{i}"), "score": 0.8 + i as f64 / 1000.0}]});
        store.append_audit(if i % 2 == 0 { "alice" } else { "key:batch" }, "screen", details).unwrap();
    }
    path
}

/// Opens the file without sekisho, drops the guard triggers and runs `sql`.
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;").unwrap();
    conn.execute_batch(sql).unwrap();
}

fn problem(path: &Path) -> Option<sekisho_store::AuditProblem> {
    Store::open(path).unwrap().verify_audit().unwrap().problem
}

#[test]
fn many_records_verify_and_read_back_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 300);
    let store = Store::open(&path).unwrap();
    let v = store.verify_audit().unwrap();
    assert_eq!(v.problem, None);
    assert_eq!((v.records, v.first_seq, v.last_seq), (300, Some(1), Some(300)));
    let records = store.audit_records(None).unwrap();
    assert_eq!(records.len(), 300);
    assert_eq!(records[0].prev_hash, sekisho_store::audit::GENESIS_HASH);
    for pair in records.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
        assert!(pair[1].timestamp >= pair[0].timestamp);
    }
    assert_eq!(records[299].hash, v.head_hash);
    assert_eq!(records[7].details["query"]["name"], "Name 7");
    assert_eq!(records[7].actor, "key:batch");
}

#[test]
fn sql_updates_and_deletes_are_refused_by_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 3);
    let conn = Connection::open(&path).unwrap();
    let err = conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn.execute("DELETE FROM audit_log WHERE seq = 2", []).unwrap_err();
    assert!(err.to_string().contains("audit prune"), "{err}");
}

#[test]
fn altered_content_is_named_by_sequence_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 20);
    tamper(&path, "UPDATE audit_log SET record = replace(record, 'Name 12', 'Name 13') WHERE seq = 13");
    let p = problem(&path).expect("altered record must be found");
    assert_eq!((p.seq, p.kind), (13, ProblemKind::Altered), "{}", p.message);
    assert!(p.message.contains("content altered"), "{}", p.message);
}

#[test]
fn an_altered_actor_column_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 5);
    tamper(&path, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 4");
    let p = problem(&path).unwrap();
    assert_eq!((p.seq, p.kind), (4, ProblemKind::Altered));
    assert!(p.message.contains("actor") && p.message.contains("mallory"), "{}", p.message);
}

#[test]
fn a_rehashed_record_breaks_the_link_of_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 6);
    // Alter record 3 and give it a correct hash for its new content: record 4 no longer links.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_update;").unwrap();
    let (prev, record): (String, String) =
        conn.query_row("SELECT prev_hash, record FROM audit_log WHERE seq = 3", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    let record = record.replace("Name 2", "Name X");
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(hex::decode(&prev).unwrap());
    h.update(record.as_bytes());
    let hash = hex::encode(h.finalize());
    conn.execute("UPDATE audit_log SET record = ?1, hash = ?2 WHERE seq = 3", [&record, &hash]).unwrap();
    drop(conn);
    let p = problem(&path).unwrap();
    assert_eq!((p.seq, p.kind), (4, ProblemKind::Reordered), "{}", p.message);
    assert!(p.message.contains("does not link to record 3"), "{}", p.message);
}

#[test]
fn deleted_records_are_found_in_the_middle_and_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 10);
    tamper(&path, "DELETE FROM audit_log WHERE seq IN (5, 6)");
    let p = problem(&path).unwrap();
    assert_eq!((p.seq, p.kind), (5, ProblemKind::Missing));
    assert!(p.message.contains("records 5 to 6 are missing"), "{}", p.message);

    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 10);
    tamper(&path, "DELETE FROM audit_log WHERE seq = 10");
    let p = problem(&path).unwrap();
    assert_eq!((p.seq, p.kind), (10, ProblemKind::Missing), "{}", p.message);
}

#[test]
fn swapped_records_are_reported_as_reordered() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 8);
    tamper(
        &path,
        "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (3, 4);
         DELETE FROM audit_log WHERE seq IN (3, 4);
         INSERT INTO audit_log SELECT 7 - seq, timestamp, actor, action, record, prev_hash, hash FROM t;",
    );
    let p = problem(&path).unwrap();
    assert_eq!((p.seq, p.kind), (3, ProblemKind::Reordered), "{}", p.message);
    assert!(p.message.contains("says it is record 4"), "{}", p.message);
}

#[test]
fn pruning_keeps_the_chain_verifiable_and_is_itself_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 12);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.audit_retention_days().unwrap(), 1826);
    // Nothing is older than five years yet: the prune only records itself.
    let none = store.prune_audit("auditor", SystemTime::now()).unwrap();
    assert_eq!((none.pruned, none.checkpoint_seq), (0, 0));
    assert_eq!(store.verify_audit().unwrap().problem, None);

    // Prune before the timestamp of record 8: records 1..=7 (equal timestamps stay).
    let records = store.audit_records(None).unwrap();
    let cutoff = records[7].timestamp.clone();
    let expected = records.iter().take_while(|r| r.timestamp < cutoff).count() as u64;
    let outcome = store.prune_audit_before("auditor", &cutoff).unwrap();
    assert_eq!(outcome.pruned, expected);
    assert_eq!(outcome.checkpoint_seq, expected as i64);
    assert_eq!(outcome.checkpoint_hash, records[expected as usize - 1].hash);
    assert_eq!(outcome.record.details["checkpoint"]["seq"], expected as i64);
    let v = store.verify_audit().unwrap();
    assert_eq!(v.problem, None, "{:?}", v.problem);
    assert_eq!(v.first_seq, Some(expected as i64 + 1));

    // Six years on, everything before goes; what remains still verifies, and appends go on.
    let later = SystemTime::now() + Duration::from_secs(6 * 366 * 86_400);
    let all = store.prune_audit("auditor", later).unwrap();
    assert_eq!(all.checkpoint_seq, outcome.record.seq);
    store.append_audit("alice", "screen", json!({"query": {"name": "after"}})).unwrap();
    let v = store.verify_audit().unwrap();
    assert_eq!(v.problem, None, "{:?}", v.problem);
    assert_eq!(v.records, 2);
    drop(store);

    // Deleting the records a prune left, prune record included, is still found.
    tamper(&path, &format!("DELETE FROM audit_log WHERE seq = {}", all.record.seq));
    let p = problem(&path).unwrap();
    assert_eq!((p.seq, p.kind), (all.record.seq, ProblemKind::Missing), "{}", p.message);
}

#[test]
fn a_forged_checkpoint_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 6);
    // Hide records 1..=3 by deleting them and claiming a checkpoint at 3.
    tamper(
        &path,
        "UPDATE audit_state SET checkpoint_seq = 3, checkpoint_hash = (SELECT hash FROM audit_log WHERE seq = 3);
         DELETE FROM audit_log WHERE seq <= 3;",
    );
    let p = problem(&path).unwrap();
    assert_eq!((p.seq, p.kind), (4, ProblemKind::Checkpoint), "{}", p.message);
}

#[test]
fn retention_is_a_recorded_setting() {
    let mut store = Store::open_in_memory().unwrap();
    let record = store.set_audit_retention_days("admin", 2557).unwrap();
    assert_eq!(record.details["retention_days"]["from"], 1826);
    assert_eq!(store.audit_retention_days().unwrap(), 2557);
    assert!(store.set_audit_retention_days("admin", 0).is_err());
    assert!(store.append_audit(" ", "screen", json!({})).is_err(), "an actor is required");
}

/// The columns a single-byte edit may hit.
const COLUMNS: [&str; 6] = ["timestamp", "actor", "action", "record", "prev_hash", "hash"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(48)))]

    /// Any one byte changed in any column of any record is found, and named by that record.
    #[test]
    fn any_single_byte_change_is_detected(seq in 1i64..=8, column in 0usize..6, at in any::<prop::sample::Index>(), byte in 1u8..=255) {
        let dir = tempfile::tempdir().unwrap();
        let path = store_with_records(dir.path(), 8);
        let conn = Connection::open(&path).unwrap();
        let col = COLUMNS[column];
        let mut value: Vec<u8> = conn
            .query_row(&format!("SELECT CAST({col} AS BLOB) FROM audit_log WHERE seq = ?1"), [seq], |r| r.get(0))
            .unwrap();
        let i = at.index(value.len());
        prop_assume!(value[i] != byte);
        value[i] = byte;
        conn.execute_batch("DROP TRIGGER audit_log_no_update;").unwrap();
        // Written back as text, as sekisho stores it, whatever the bytes now are.
        conn.execute(&format!("UPDATE audit_log SET {col} = CAST(?1 AS TEXT) WHERE seq = ?2"), rusqlite::params![value, seq]).unwrap();
        drop(conn);
        let p = problem(&path);
        prop_assert!(p.is_some(), "change to {col} of record {seq} went unnoticed");
        let p = p.unwrap();
        prop_assert_eq!(p.seq, seq, "{}", p.message);
    }
}

#[test]
fn pages_come_newest_first_filtered_by_action_with_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 7);
    let mut store = Store::open(&path).unwrap();
    store.append_audit("carol", "review", json!({"summary": "case 1 cleared"})).unwrap();
    let (page, total) = store.audit_page(None, 3, 0).unwrap();
    assert_eq!(total, 8);
    assert_eq!(page.iter().map(|r| r.seq).collect::<Vec<_>>(), [8, 7, 6]);
    assert_eq!((page[0].action.as_str(), page[0].actor.as_str()), ("review", "carol"));
    assert_eq!(page[1].details["query"]["name"], "Name 6");
    let (page, total) = store.audit_page(Some("screen"), 3, 5).unwrap();
    assert_eq!(total, 7);
    assert_eq!(page.iter().map(|r| r.seq).collect::<Vec<_>>(), [2, 1]);
    let (page, total) = store.audit_page(Some("import"), 10, 0).unwrap();
    assert_eq!((page.len(), total), (0, 0));
}

/// Group commit: records appended in one transaction chain like single ones; a record whose
/// work fails is undone alone (its work too), and the group and later records verify.
#[test]
fn a_group_of_records_is_one_transaction_and_a_failed_one_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_records(dir.path(), 2);
    let mut store = Store::open(&path).unwrap();
    let outcomes = store
        .audit_batch(|batch| {
            let mut outcomes = Vec::new();
            for i in 0..5 {
                let appended = batch.append("desk", "screen", |tx| {
                    tx.save_counterparty(&sekisho_store::Counterparty {
                        key: format!("id:G-{i}"),
                        customer_id: Some(format!("G-{i}")),
                        name: format!("Group {i}"),
                        schema: None,
                        country: None,
                        birth_date: None,
                        identifiers: vec![],
                        added_at: String::new(),
                        updated_at: String::new(),
                    })?;
                    if i == 2 {
                        return Err(sekisho_store::Error::Invalid("this one fails".into()));
                    }
                    Ok(((), json!({"summary": format!("group member {i}")})))
                });
                outcomes.push(appended.map(|(_, record)| record.seq).map_err(|e| e.to_string()));
            }
            Ok::<_, sekisho_store::Error>(outcomes)
        })
        .unwrap();
    assert_eq!(outcomes, [Ok(3), Ok(4), Err("this one fails".to_string()), Ok(5), Ok(6)]);
    let saved: Vec<String> = store.counterparties().unwrap().into_iter().map(|c| c.key).collect();
    assert_eq!(saved, ["id:G-0", "id:G-1", "id:G-3", "id:G-4"], "the failed record's work was undone");
    store.append_audit("desk", "screen", json!({"summary": "after the group"})).unwrap();
    let v = store.verify_audit().unwrap();
    assert_eq!((v.problem, v.records, v.last_seq), (None, 7, Some(7)));
    // A group whose closure fails leaves nothing.
    let failed: Result<(), sekisho_store::Error> = store.audit_batch(|batch| {
        batch.append("desk", "screen", |_| Ok(((), json!({}))))?;
        Err(sekisho_store::Error::Invalid("abandon".into()))
    });
    assert!(failed.is_err());
    assert_eq!(store.verify_audit().unwrap().records, 7);
}
