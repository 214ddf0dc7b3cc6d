//! Rulebook versions and classification records in the store.

use std::collections::BTreeMap;

use sekisho_rules::{
    AllDestinations, CountryChart, Eccn, EuData, JpData, Regime, Rulebook, RulebookVersion, SourceRef, UsData,
};
use sekisho_store::{RulebookStored, Store};

/// A small hand-made rulebook: one ECCN, one chart row.
fn rulebook(heading: &str) -> Rulebook {
    let eccn = Eccn {
        code: "3A001".into(),
        category: "3".into(),
        product_group: "A".into(),
        heading: heading.into(),
        reasons: vec![],
        lvs_limit_usd: None,
        lvs_conditions: None,
        exception_flags: BTreeMap::new(),
        related_controls: None,
        text: None,
    };
    let mut book = Rulebook {
        version: RulebookVersion {
            id: String::new(),
            imported_at: "2026-12-07T00:00:00Z".into(),
            sources: vec![SourceRef {
                name: "test".into(),
                file: "us-ear/ccl.json".into(),
                sha256: "ab".repeat(32),
                data_date: "2026-07-23".into(),
                citation: "15 CFR 774".into(),
                credit: "test".into(),
            }],
        },
        us: UsData {
            eccns: BTreeMap::from([("3A001".to_string(), eccn)]),
            chart: CountryChart {
                columns: vec!["NS1".into()],
                column_labels: BTreeMap::new(),
                marks: BTreeMap::from([("CN".to_string(), ["NS1".to_string()].into())]),
                embargoed: BTreeMap::new(),
                footnotes: BTreeMap::new(),
                row_footnotes: BTreeMap::new(),
                inherits: BTreeMap::new(),
                procedure: vec![],
            },
            groups: BTreeMap::new(),
            group_labels: BTreeMap::new(),
            exceptions: BTreeMap::new(),
            all_destinations: AllDestinations::default(),
            notes: BTreeMap::new(),
        },
        eu: EuData::default(),
        jp: JpData::default(),
        crossrefs: vec![],
    };
    book.version.id = book.content_id();
    book
}

#[test]
fn identical_rulebook_makes_no_new_version() {
    let mut store = Store::open_in_memory().unwrap();
    let book = rulebook("Electronic items");
    let first = store.put_rulebook("alice", &book).unwrap();
    let RulebookStored::New(info) = first else { panic!("first import is new") };
    assert_eq!(info.seq, 1);
    assert_eq!(info.id, book.version.id);
    assert_eq!(info.counts["us.eccns"], 1);
    // The same content imported later (another imported_at) is the same version.
    let mut again = book.clone();
    again.version.imported_at = "2026-12-08T00:00:00Z".into();
    assert!(matches!(store.put_rulebook("bob", &again).unwrap(), RulebookStored::Unchanged(i) if i.seq == 1));
    assert_eq!(store.rulebook_versions().unwrap().len(), 1);
    let imports: Vec<_> = store.audit_records(None).unwrap().into_iter().filter(|r| r.action == "rules_import").collect();
    assert_eq!(imports.len(), 1, "an unchanged import is not recorded");
    assert_eq!(imports[0].actor, "alice");
    assert_eq!(imports[0].details["rulebook_id"], book.version.id);
    assert_eq!(store.latest_rulebook().unwrap().as_ref(), Some(&book));
}

#[test]
fn changed_content_is_a_new_version_and_the_latest() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.latest_rulebook().unwrap(), None);
    store.put_rulebook("alice", &rulebook("old heading")).unwrap();
    let newer = rulebook("new heading");
    assert!(matches!(store.put_rulebook("alice", &newer).unwrap(), RulebookStored::New(i) if i.seq == 2));
    assert_eq!(store.latest_rulebook().unwrap().unwrap().us.eccns["3A001"].heading, "new heading");
    let old_id = store.rulebook_versions().unwrap()[0].id.clone();
    assert_eq!(store.rulebook(&old_id).unwrap().unwrap().us.eccns["3A001"].heading, "old heading");
    assert_eq!(store.rulebook("sha256:none").unwrap(), None);
    assert!(store.verify_audit().unwrap().problem.is_none());
}

#[test]
fn a_rulebook_edited_after_import_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let mut book = rulebook("Electronic items");
    book.us.eccns.get_mut("3A001").unwrap().heading = "edited".into();
    let err = store.put_rulebook("alice", &book).unwrap_err().to_string();
    assert!(err.contains("does not match its content"), "{err}");
    assert!(store.rulebook_versions().unwrap().is_empty());
}

#[test]
fn classification_changes_are_new_versions_and_audited() {
    let mut store = Store::open_in_memory().unwrap();
    let book = rulebook("Electronic items");
    store.put_rulebook("alice", &book).unwrap();
    let code = book.resolve_code(Regime::Us, "3a001.b.1").unwrap();
    let first = store.record_classification("alice", "alice", "PN-100", &code, "MMIC amplifier, 3A001.b.2 parameters not met", &book.version.id).unwrap();
    assert_eq!((first.version, first.code.as_str(), first.decided_by.as_str()), (1, "3A001.b.1", "alice"));
    let ear99 = book.resolve_code(Regime::Us, "EAR99").unwrap();
    let second = store.record_classification("bob", "carol", "PN-100", &ear99, "re-measured: below 3A001 thresholds", &book.version.id).unwrap();
    assert_eq!((second.version, second.decided_by.as_str()), (2, "carol"));
    let history = store.classification_history("PN-100").unwrap();
    assert_eq!(history.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["3A001.b.1", "EAR99"]);
    assert_eq!(history[0].rulebook_id, book.version.id);
    let records: Vec<_> = store.audit_records(None).unwrap().into_iter().filter(|r| r.action == "classify_record").collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].details["previous_code"], "3A001.b.1");
    assert_eq!((records[1].actor.as_str(), records[1].details["decided_by"].as_str()), ("bob", Some("carol")));
    assert!(store.classification_history("PN-999").unwrap().is_empty());
    let err = store.record_classification("bob", "bob", "PN-100", &ear99, "  ", &book.version.id).unwrap_err().to_string();
    assert!(err.contains("justification"), "{err}");
}
