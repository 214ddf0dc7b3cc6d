//! Version 2 records name their list versions by the hash of a set stored once: the set is
//! stored once, read back into the records' details, and an edit or deletion of it made
//! directly in the database file is found and named by the first record that names it.

use std::path::Path;

use rusqlite::Connection;
use sekisho_store::audit::{Canonical, canonical_json};
use sekisho_store::{Error, ListSet, ProblemKind, Store};
use serde_json::{Value, json};

fn lists(date: &str) -> Value {
    json!([
        {"content_hash": "ab".repeat(32), "entity_count": 812, "list_date": date, "retrieved_at": "2026-03-05T00:00:00Z",
         "snapshot_id": 3, "source": "jp_mof_asset_freeze"},
        {"content_hash": "cd".repeat(32), "entity_count": 1002, "list_date": null, "retrieved_at": "2026-02-27T00:00:00Z",
         "snapshot_id": 4, "source": "un_sc_sanctions"},
    ])
}

fn set_of(lists: &Value) -> ListSet {
    ListSet::new(&Canonical(lists)).unwrap()
}

/// Appends one version 2 `screen` record naming `set` (storing the set if needed).
fn screen(store: &mut Store, set: &ListSet, name: &str) {
    store
        .audit_batch(|batch| {
            batch.store_list_set(set)?;
            batch.append("alice", "screen", |_| {
                Ok(((), json!({"summary": format!("screened {name:?}"), "list_set": set.sha256(), "query": {"name": name}})))
            })?;
            Ok::<_, Error>(())
        })
        .unwrap();
}

fn stored_sets(path: &Path) -> i64 {
    Connection::open(path).unwrap().query_row("SELECT count(*) FROM audit_list_sets", [], |r| r.get(0)).unwrap()
}

fn problem(path: &Path) -> Option<sekisho_store::AuditProblem> {
    Store::open(path).unwrap().verify_audit().unwrap().problem
}

#[test]
fn a_set_is_stored_once_and_read_back_into_every_record_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sekisho.db");
    let first = lists("2026-03-05");
    let set = set_of(&first);
    assert_eq!(set.lists(), canonical_json(&first), "the set holds what version 1 held inline");
    let mut store = Store::open(&path).unwrap();
    // A version 1 record (lists inline) among version 2 ones: read back as written.
    let inline = json!({"summary": "screened \"Old\"", "lists": first, "query": {"name": "Old"}});
    store.append_audit("alice", "screen", inline.clone()).unwrap();
    for i in 0..20 {
        screen(&mut store, &set, &format!("Name {i}"));
    }
    // Another connection (nothing cached) names the same set, and a new set.
    drop(store);
    let mut store = Store::open(&path).unwrap();
    screen(&mut store, &set, "Again");
    let second = lists("2026-04-01");
    screen(&mut store, &set_of(&second), "Newer lists");
    assert_eq!(stored_sets(&path), 2);

    let conn = Connection::open(&path).unwrap();
    let record: String = conn.query_row("SELECT record FROM audit_log WHERE seq = 5", [], |r| r.get(0)).unwrap();
    assert!(record.contains(set.sha256()) && !record.contains("content_hash"), "{record}");

    let records = store.audit_records(None).unwrap();
    assert_eq!(records.len(), 23);
    assert_eq!(records[0].details, inline);
    assert_eq!(records[4].details["lists"], first);
    assert_eq!(records[4].details["list_set"], set.sha256());
    assert_eq!(records[22].details["lists"], second);
    let (page, total) = store.audit_page(Some("screen"), 2, 0).unwrap();
    assert_eq!((total, page[1].details["lists"].clone()), (23, first));
    let v = store.verify_audit().unwrap();
    assert_eq!((v.problem, v.records), (None, 23));
}

#[test]
fn a_set_stored_by_a_batch_that_rolled_back_is_stored_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sekisho.db");
    let set = set_of(&lists("2026-03-05"));
    let mut store = Store::open(&path).unwrap();
    let failed = store.audit_batch(|batch| {
        batch.store_list_set(&set)?;
        Err::<(), _>(Error::Invalid("the group failed".into()))
    });
    assert!(failed.is_err());
    assert_eq!(stored_sets(&path), 0);
    screen(&mut store, &set, "After the failure");
    assert_eq!(stored_sets(&path), 1);
    assert_eq!(problem(&path), None);
}

#[test]
fn list_sets_refuse_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sekisho.db");
    screen(&mut Store::open(&path).unwrap(), &set_of(&lists("2026-03-05")), "A");
    let conn = Connection::open(&path).unwrap();
    let err = conn.execute("UPDATE audit_list_sets SET lists = '[]'", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn.execute("DELETE FROM audit_list_sets", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

/// Opens the file without sekisho, drops the guard triggers and runs `sql` with `args`.
fn tamper(path: &Path, sql: &str, args: [&str; 2]) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_list_sets_no_update; DROP TRIGGER IF EXISTS audit_list_sets_no_delete;
         DROP TRIGGER IF EXISTS audit_log_no_update;",
    )
    .unwrap();
    let wanted = (1..=2).filter(|i| sql.contains(&format!("?{i}"))).count();
    conn.execute(sql, rusqlite::params_from_iter(&args[..wanted])).unwrap();
}

/// A trail with records 1-2 naming no set, 3-5 naming `set`.
fn store_naming_a_set(dir: &Path) -> (std::path::PathBuf, ListSet) {
    let path = dir.join("sekisho.db");
    let set = set_of(&lists("2026-03-05"));
    let mut store = Store::open(&path).unwrap();
    store.append_audit("alice", "import", json!({"summary": "imported"})).unwrap();
    store.append_audit("alice", "screen", json!({"summary": "old", "lists": lists("2026-01-01")})).unwrap();
    for name in ["A", "B", "C"] {
        screen(&mut store, &set, name);
    }
    drop(store);
    assert_eq!(problem(&path), None);
    (path, set)
}

#[test]
fn an_altered_set_is_named_by_the_first_record_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, set) = store_naming_a_set(dir.path());
    tamper(&path, "UPDATE audit_list_sets SET lists = replace(lists, '2026-03-05', '2026-03-06')", ["", ""]);
    let p = problem(&path).expect("an altered list set must be found");
    assert_eq!((p.seq, p.kind), (3, ProblemKind::Altered), "{}", p.message);
    assert!(p.message.contains(set.sha256()) && p.message.contains("altered"), "{}", p.message);
    // Re-keyed to its new content's hash: the records still name the old one, now missing.
    let altered = set_of(&lists("2026-03-06"));
    tamper(&path, "UPDATE audit_list_sets SET sha256 = ?1", [altered.sha256(), ""]);
    let p = problem(&path).expect("a re-keyed list set must be found");
    assert_eq!((p.seq, p.kind), (3, ProblemKind::Missing), "{}", p.message);
    tamper(&path, "DELETE FROM audit_list_sets", ["", ""]);
    let p = problem(&path).expect("a deleted list set must be found");
    assert_eq!((p.seq, p.kind), (3, ProblemKind::Missing), "{}", p.message);
    assert!(p.message.contains("missing from audit_list_sets"), "{}", p.message);
    // The records still read, without the lists that are gone.
    let records = Store::open(&path).unwrap().audit_records(None).unwrap();
    assert_eq!(records[2].details["list_set"], set.sha256());
    assert!(records[2].details.get("lists").is_none());
}

#[test]
fn a_record_renamed_to_another_set_breaks_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (path, set) = store_naming_a_set(dir.path());
    let other = set_of(&lists("2026-09-09"));
    tamper(&path, "INSERT INTO audit_list_sets VALUES (?1, ?2)", [other.sha256(), other.lists()]);
    tamper(&path, "UPDATE audit_log SET record = replace(record, ?1, ?2) WHERE seq = 4", [set.sha256(), other.sha256()]);
    let p = problem(&path).expect("a record naming another set must be found");
    assert_eq!((p.seq, p.kind), (4, ProblemKind::Altered), "{}", p.message);
}

/// Pruning removes records, never list sets: the records left still name a set that is
/// there, and a set named before the prune is still known to the writer after it.
#[test]
fn pruning_keeps_the_sets_that_records_left_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sekisho.db");
    let set = set_of(&lists("2026-03-05"));
    let mut store = Store::open(&path).unwrap();
    for name in ["A", "B", "C"] {
        screen(&mut store, &set, name);
    }
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(6 * 366 * 86_400);
    let pruned = store.prune_audit("auditor", later).unwrap();
    assert_eq!(pruned.pruned, 3);
    screen(&mut store, &set, "After the prune");
    assert_eq!(stored_sets(&path), 1);
    let v = store.verify_audit().unwrap();
    assert_eq!((v.problem, v.records), (None, 2));
    let records = store.audit_records(None).unwrap();
    assert_eq!(records[1].details["lists"], lists("2026-03-05"));
}
