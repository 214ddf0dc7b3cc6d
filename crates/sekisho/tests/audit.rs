//! Audit trail, cases and delta screening through the real binary and a real store file.

mod common;

use common::{COUNTERPARTIES, Sekisho, path_str, shared_lists};
use serde_json::Value;

fn cases(s: &Sekisho, status: Option<&str>) -> Vec<Value> {
    let mut args = vec!["cases", "list", "--json"];
    if let Some(st) = status {
        args.extend(["--status", st]);
    }
    serde_json::from_str(&s.ok(&args)).unwrap()
}

fn audit_log(s: &Sekisho) -> Vec<Value> {
    s.ok(&["audit", "log", "--json"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// A small FtM list in which `p1` has the given alias (changing it changes the entity).
fn demo_list(s: &Sekisho, alias: &str) -> String {
    let body = format!(
        "{{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {{\"name\": [\"Viktor Ivanovich Petrenko\"], \"alias\": [\"{alias}\"]}}, \"datasets\": [\"demo\"]}}\n\
         {{\"id\": \"o1\", \"schema\": \"Organization\", \"properties\": {{\"name\": [\"Zvezda Precision Optics\"]}}, \"datasets\": [\"demo\"]}}\n"
    );
    path_str(&s.write(&format!("demo-{alias}.jsonl"), &body)).to_string()
}

#[test]
fn false_positives_are_suppressed_until_the_listed_entity_changes() {
    let s = Sekisho::new();
    s.ok(&["lists", "import", &demo_list(&s, "V. Petrenko")]);
    let out = s.ok(&["screen", "Viktor Ivanovich Petrenko", "--customer-id", "K-1"]);
    assert!(out.contains("case 1 opened"), "{out}");
    let out = s.ok(&["screen", "Viktor Ivanovich Petrenko", "--customer-id", "K-1"]);
    assert!(out.contains("case 1 already open"), "{out}");
    assert_eq!(cases(&s, None).len(), 1);

    let err = s.fails(&["cases", "review", "1", "--decision", "false-positive", "--reason", " "]);
    assert!(err.contains("reason"), "{err}");
    let err = s.fails(&["cases", "review", "9", "--decision", "false-positive", "--reason", "x"]);
    assert!(err.contains("no case 9"), "{err}");
    s.ok(&["cases", "review", "1", "--decision", "false-positive", "--reason", "customer born 1990, listed 1961", "--reviewer", "hanako"]);
    let out = s.ok(&["screen", "Viktor Ivanovich Petrenko", "--customer-id", "K-1"]);
    assert!(out.contains("suppressed: cleared as a false positive in case 1"), "{out}");
    assert!(cases(&s, Some("open")).is_empty());
    // Another counterparty with the same name is a different case.
    let out = s.ok(&["screen", "Viktor Ivanovich Petrenko", "--customer-id", "K-2"]);
    assert!(out.contains("case 2 opened"), "{out}");
    // --no-record leaves neither a record nor a case.
    let records = audit_log(&s).len();
    s.ok(&["screen", "Viktor Ivanovich Petrenko", "--customer-id", "K-3", "--no-record"]);
    assert_eq!(audit_log(&s).len(), records);

    // The list changes p1: the cleared alert is raised again, as a new case on the new version.
    s.ok(&["lists", "import", &demo_list(&s, "Viktor Petrenkov")]);
    let out = s.ok(&["screen", "Viktor Ivanovich Petrenko", "--customer-id", "K-1", "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matches"][0]["alert"]["outcome"], "opened", "{out}");
    let all = cases(&s, None);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0]["counterparty_key"], "id:K-1");
    assert_ne!(all[0]["entity_hash"], all[2]["entity_hash"], "a new case is for the new version");
    assert_eq!(all[2]["status"], "false_positive");
    assert_eq!(all[2]["reviewer"], "hanako");

    // The trail names the actor, the list version and the entity version of each answer.
    let log = audit_log(&s);
    let review = log.iter().find(|r| r["action"] == "review").unwrap();
    assert_eq!(review["actor"], "tester");
    assert_eq!(review["details"]["reason"], "customer born 1990, listed 1961");
    assert_eq!(review["details"]["decision"], "false_positive");
    let last = log.iter().rev().find(|r| r["action"] == "screen").unwrap();
    assert_eq!(last["details"]["lists"][0]["source"], "demo");
    assert_eq!(last["details"]["results"][0]["entity_hash"], all[0]["entity_hash"]);
    assert!(s.ok(&["audit", "verify"]).starts_with("audit trail intact"));
}

#[test]
fn verify_names_an_altered_or_deleted_record_and_prune_keeps_it_verifiable() {
    let s = Sekisho::new();
    s.ok(&["lists", "import", &demo_list(&s, "V. Petrenko")]);
    for name in ["Viktor Ivanovich Petrenko", "Zvezda Optics", "Nobody, Really", "Petrenko"] {
        s.ok(&["screen", name]);
    }
    assert!(s.ok(&["audit", "verify"]).contains("5 record(s), 1 to 5"));

    // CSV export quotes the commas and quotes in names and JSON.
    let csv_path = s.home.path().join("audit.csv");
    s.ok(&["audit", "export", "--output", path_str(&csv_path)]);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[3][4], "screened \"Nobody, Really\": 0 match(es), 0 case(s) opened");
    let details: Value = serde_json::from_str(&rows[3][5]).unwrap();
    assert_eq!(details["query"]["name"], "Nobody, Really");
    let err = s.fails(&["audit", "export", "--output", path_str(&csv_path), "--since", "yesterday"]);
    assert!(err.contains("--since"), "{err}");
    s.ok(&["audit", "export", "--output", path_str(&csv_path), "--since", "2999-01-01"]);
    assert_eq!(csv::Reader::from_path(&csv_path).unwrap().records().count(), 0);

    // Prune under the default retention removes nothing and the chain still verifies.
    let out = s.ok(&["audit", "prune"]);
    assert!(out.starts_with("pruned 0 record(s)"), "{out}");
    s.ok(&["audit", "verify"]);

    // Edit record 3 directly in the database file.
    let db = s.home.path().join("sekisho.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
        conn.execute("UPDATE audit_log SET record = replace(record, 'Zvezda', 'Zwezda') WHERE seq = 3", []).unwrap();
    }
    let err = s.fails(&["audit", "verify"]);
    assert!(err.contains("audit trail broken at record 3") && err.contains("content altered"), "{err}");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
        conn.execute("UPDATE audit_log SET record = replace(record, 'Zwezda', 'Zvezda') WHERE seq = 3", []).unwrap();
        conn.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4;").unwrap();
    }
    let err = s.fails(&["audit", "verify"]);
    assert!(err.contains("record 4 is missing"), "{err}");
}

#[test]
fn delta_screening_after_a_newer_ofac_list_opens_exactly_the_new_cases() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2019"))]);
    let file = s.write("counterparties.csv", COUNTERPARTIES);
    let out = s.ok(&["counterparties", "import", path_str(&file)]);
    assert!(out.contains("5 added") && out.contains("3 case(s) opened"), "{out}");
    let by_party = |all: &[Value], key: &str| -> Vec<String> {
        all.iter().filter(|c| c["counterparty_key"] == key).map(|c| c["entity_id"].as_str().unwrap().to_string()).collect()
    };
    let first = cases(&s, None);
    assert_eq!(by_party(&first, "id:C-100"), ["ofac-10000"]);
    assert_eq!(by_party(&first, "id:C-300"), ["ofac-12218"]);
    assert_eq!(by_party(&first, "id:C-500"), ["ofac-10263"]);
    let c300 = first.iter().find(|c| c["counterparty_key"] == "id:C-300").unwrap()["id"].to_string();
    s.ok(&["cases", "review", &c300, "--decision", "false-positive", "--reason", "a different Yun Ho Jin"]);

    let out = s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    assert!(out.contains("delta screening: 5 counterparty(ies) against 1858 added"), "{out}");
    assert!(out.contains("2 alert(s), 2 case(s) opened, 0 suppressed"), "{out}");
    let after = cases(&s, None);
    assert_eq!(after.len(), 5, "exactly two new cases");
    assert_eq!(by_party(&after, "id:C-200"), ["ofac-26664"]);
    assert_eq!(by_party(&after, "id:C-300"), ["ofac-12218", "ofac-12218"], "changed entity re-alerts");
    assert_eq!(by_party(&after, "id:C-100").len(), 1, "unchanged entity: no new case");
    assert!(by_party(&after, "id:C-400").is_empty());

    let log = audit_log(&s);
    let delta = log.iter().find(|r| r["action"] == "delta_screen").unwrap();
    assert_eq!(delta["details"]["counterparties"], 5);
    assert_eq!(delta["details"]["added"], 1858);
    assert_eq!(delta["details"]["opened"], 2);
    assert_eq!(delta["details"]["snapshots"][0]["base_snapshot_id"], 1);
    assert_eq!(log.iter().filter(|r| r["action"] == "import").count(), 2);
    s.ok(&["audit", "verify"]);
    // Importing the same list again changes nothing and screens nothing.
    let again = s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    assert!(!again.contains("delta screening"), "{again}");
}
