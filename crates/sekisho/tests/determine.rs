//! `sekisho determine`: a transaction file in, a bilingual report or JSON out, an audit
//! record; bad input named by field. Uses the rulebook imported from the shared reference
//! files (skipped with a notice when absent).

mod common;

use common::{Sekisho, path_str};

fn control() -> Option<std::path::PathBuf> {
    let dir = sekisho_lists::shared_data_dir()?.join("control");
    dir.is_dir().then_some(dir)
}

const TX: &str = r#"{"id": "CLI-1", "exporter": ["US", "JP"], "destination": "China",
  "item": {"description": "Radiation-hardened ICs", "eccn": "3A001.a.1", "jp": "7の項(1)"},
  "parties": [{"role": "end_user", "name": "Example Electronics Co.", "end_user_type": "commercial"}],
  "end_use": ["civil"]}"#;

#[test]
fn determine_reports_records_and_prints_json() {
    let Some(control) = control() else { return };
    let s = Sekisho::new();
    let file = s.write("tx.json", TX);
    let report = s.ok(&["determine", path_str(&file), "--rulebook-from", path_str(&control)]);
    assert!(report.contains("United States (EAR, 15 CFR 730-774) — licence_required / 許可が必要"), "{report}");
    assert!(report.contains("US-CC-NS2") && report.contains("NS2 × CN (CN row) = X"), "{report}");
    assert!(report.contains("JP-LISTED") && report.contains("経済産業大臣の輸出許可が必要"), "{report}");
    // No lists in this home: the parties are not screened, and the report says so.
    assert!(report.contains("SCREEN-NOT-DONE"), "{report}");

    let json = s.ok(&["determine", path_str(&file), "--rulebook-from", path_str(&control), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outcomes = v["determination"]["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 2);
    assert!(outcomes.iter().all(|o| o["outcome"] == "licence_required"), "{json}");
    assert!(v["audit_seq"].as_i64().unwrap() >= 2);

    let store = sekisho_store::Store::open(&s.home.path().join("sekisho.db")).unwrap();
    let records = store.audit_records(None).unwrap();
    let determinations: Vec<_> = records.iter().filter(|r| r.action == "determine").collect();
    assert_eq!(determinations.len(), 2);
    assert_eq!(determinations[0].actor, "tester");
    let details = &determinations[0].details;
    assert_eq!(details["transaction_id"], "CLI-1");
    assert_eq!(details["input_sha256"].as_str().unwrap().len(), 64);
    assert!(details["rulebook_version"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(details["determination"]["outcomes"][0]["outcome"], "licence_required");
    assert!(details.get("outcomes").is_none(), "the outcomes are stored once, in the determination");
    assert!(store.verify_audit().unwrap().problem.is_none(), "the trail still verifies");
    drop(store);

    // With the rulebook imported into the store, determine uses its latest version.
    s.ok(&["rules", "import", path_str(&control)]);
    let json = s.ok(&["determine", path_str(&file), "--json", "--no-record"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["determination"]["outcomes"][0]["outcome"], "licence_required", "{json}");
    assert!(v["audit_seq"].is_null());
}

#[test]
fn bad_transactions_name_the_field() {
    let Some(control) = control() else { return };
    let s = Sekisho::new();
    for (text, expected) in [
        (TX.replace("3A001.a.1", "3A091"), "item.eccn: us: \"3A091\" is not in the rulebook (did you mean 3A0"),
        (TX.replace("\"China\"", "\"Narnia\""), "destination: unknown country \"Narnia\""),
        (TX.replace("\"exporter\": [\"US\", \"JP\"]", "\"exporter\": \"US\""), "exporter: invalid type: string \"US\", expected a sequence"),
        (TX.replace("7の項(1)", "99の項"), "item.jp"),
        (TX.trim_end().trim_end_matches('}').to_string(), "(json): EOF while parsing an object"),
        (TX.replace("\"civil\"", "\"peaceful\""), "end_use[0]: unknown variant `peaceful`"),
    ] {
        let file = s.write("bad.json", &text);
        let err = s.fails(&["determine", path_str(&file), "--rulebook-from", path_str(&control), "--no-record"]);
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
}

#[test]
fn without_a_rulebook_it_says_how_to_get_one() {
    let s = Sekisho::new();
    let file = s.write("tx.json", TX);
    let err = s.fails(&["determine", path_str(&file)]);
    assert!(err.contains("no rulebook in") && err.contains("sekisho rules import"), "{err}");
}
