use sekisho_lists::{FileDigest, Format, SourceList};
use sekisho_model::{Entity, NameKind, Schema};
use sekisho_store::{Error, PreparedSnapshot, Store};

fn person(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(id, Schema::Person, "demo", id);
    e.add_name(name, NameKind::Primary);
    e
}

fn list(entities: Vec<Entity>, date: &str) -> SourceList {
    SourceList {
        source: "demo".into(),
        format: Format::FtmJson,
        publisher: "Demo publisher".into(),
        list_date: Some(date.into()),
        files: vec![FileDigest { name: "demo.json".into(), sha256: "ab".repeat(32), bytes: 10 }],
        entities,
    }
}

fn import(store: &mut Store, entities: Vec<Entity>, date: &str) -> sekisho_store::SnapshotInfo {
    let prepared = PreparedSnapshot::new(&list(entities, date), "demo.json", date).unwrap();
    store.import(&prepared).unwrap()
}

#[test]
fn records_metadata_counts_and_entities() {
    let mut store = Store::open_in_memory().unwrap();
    let mut org = person("o1", "ACME");
    org.schema = Schema::Organization;
    let info = import(&mut store, vec![person("p1", "A"), person("p2", "B"), org], "2026-01-01");
    assert!(info.active);
    assert_eq!(info.entity_count, 3);
    assert_eq!(info.counts["Person"], 2);
    assert_eq!(info.counts["Organization"], 1);
    assert_eq!(info.list_date.as_deref(), Some("2026-01-01"));
    assert_eq!(info.files[0].name, "demo.json");
    let stored = store.entities(info.id).unwrap();
    assert_eq!(stored.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["o1", "p1", "p2"]);
    assert_eq!(stored[1], person("p1", "A"));
}

#[test]
fn a_new_snapshot_replaces_the_active_one_and_keeps_history() {
    let mut store = Store::open_in_memory().unwrap();
    let first = import(&mut store, vec![person("p1", "A")], "2026-01-01");
    let second = import(&mut store, vec![person("p1", "A"), person("p2", "B")], "2026-02-01");
    let all = store.snapshots(Some("demo")).unwrap();
    assert_eq!(all.iter().map(|s| (s.id, s.active)).collect::<Vec<_>>(), [(first.id, false), (second.id, true)]);
    assert_eq!(store.entities(first.id).unwrap().len(), 1);
    let active = store.active_entities().unwrap();
    assert_eq!(active.len(), 2);
    // p1 was first seen in the first snapshot, p2 in the second.
    assert_eq!(active[0].first_seen.as_deref(), Some("2026-01-01"));
    assert_eq!(active[1].first_seen.as_deref(), Some("2026-02-01"));
    assert_eq!(active[0].last_seen.as_deref(), Some("2026-02-01"));
}

#[test]
fn equal_lists_have_equal_content_hashes() {
    let mut store = Store::open_in_memory().unwrap();
    let a = import(&mut store, vec![person("p1", "A"), person("p2", "B")], "2026-01-01");
    let b = import(&mut store, vec![person("p2", "B"), person("p1", "A")], "2026-01-02");
    let c = import(&mut store, vec![person("p1", "A"), person("p2", "C")], "2026-01-03");
    assert_eq!(a.content_hash, b.content_hash);
    assert_ne!(a.content_hash, c.content_hash);
}

#[test]
fn duplicate_ids_are_refused_before_anything_is_written() {
    let mut store = Store::open_in_memory().unwrap();
    let good = import(&mut store, vec![person("p1", "A")], "2026-01-01");
    let err = PreparedSnapshot::new(&list(vec![person("p1", "A"), person("p1", "B")], "x"), "o", "t")
        .unwrap_err();
    assert!(matches!(err, Error::DuplicateId { ref id, .. } if id == "p1"), "{err}");
    assert_eq!(store.active_snapshots().unwrap(), vec![good]);
}

#[test]
fn persists_across_reopen_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sekisho.db");
    {
        let mut store = Store::open(&path).unwrap();
        import(&mut store, vec![person("p1", "A")], "2026-01-01");
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.active_entities().unwrap().len(), 1);
    assert!(dir.path().join("sekisho.db-wal").exists() || path.exists());
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sekisho.db");
    std::fs::write(&path, b"this is not sqlite, just text that is long enough to matter....").unwrap();
    let err = Store::open(&path).err().expect("must fail");
    assert!(err.to_string().contains("sekisho.db"), "{err}");
}
