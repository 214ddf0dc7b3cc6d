//! A store written by an earlier sekisho (version 1 `screen` records, list versions inline)
//! verifies and exports unchanged with this one, and takes version 2 records (list versions
//! named by hash) after them. Needs a build from before version 2 (e.g. of commit daa2b85)
//! named by `$SEKISHO_OLD_BIN`; skipped with a notice without it. The store's own tests
//! (`sekisho-store/tests/list_sets.rs`) cover both versions without an earlier binary.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Sekisho, path_str};
use serde_json::Value;

fn old_binary() -> Option<PathBuf> {
    let Some(path) = std::env::var_os("SEKISHO_OLD_BIN").map(PathBuf::from) else {
        eprintln!("skipped: set SEKISHO_OLD_BIN to a sekisho built before record version 2");
        return None;
    };
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipped: no earlier sekisho at {}", path.display());
        None
    }
}

/// Runs the earlier binary in `s`'s home and asserts success; its stdout.
fn old_ok(old: &PathBuf, s: &Sekisho, args: &[&str]) -> String {
    let out = Command::new(old)
        .args(args)
        .env("SEKISHO_HOME", s.home.path())
        .env("SEKISHO_ACTOR", "tester")
        .output()
        .expect("run the earlier sekisho");
    assert!(out.status.success(), "earlier sekisho {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

fn export(s: &Sekisho, old: Option<&PathBuf>, name: &str) -> Vec<csv::StringRecord> {
    let file = s.home.path().join(name);
    let args = ["audit", "export", "--output", path_str(&file)];
    match old {
        Some(old) => drop(old_ok(old, s, &args)),
        None => drop(s.ok(&args)),
    }
    csv::Reader::from_path(&file).unwrap().records().map(Result::unwrap).collect()
}

fn details(row: &csv::StringRecord) -> Value {
    serde_json::from_str(&row[5]).unwrap()
}

#[test]
fn an_earlier_stores_records_verify_and_export_unchanged_beside_new_ones() {
    let Some(old) = old_binary() else { return };
    let s = Sekisho::new();
    let list = s.write(
        "demo.jsonl",
        "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Viktor Ivanovich Petrenko\"]}, \"datasets\": [\"demo\"]}\n",
    );
    old_ok(&old, &s, &["lists", "import", path_str(&list)]);
    old_ok(&old, &s, &["screen", "Viktor Ivanovich Petrenko", "--customer-id", "K-1"]);
    old_ok(&old, &s, &["screen", "Hanako Yamada"]);
    let written = export(&s, Some(&old), "old.csv");
    let screen_v1 = details(&written[1]);
    assert!(screen_v1["lists"][0]["source"].is_string() && screen_v1.get("list_set").is_none(), "{screen_v1}");

    // This binary reads the earlier records as written.
    assert!(s.ok(&["audit", "verify"]).contains("intact"), "verify");
    assert_eq!(export(&s, None, "new.csv"), written);

    // A new screening is a version 2 record naming the same list versions by hash.
    s.ok(&["screen", "Viktor Ivanovich Petrenko", "--customer-id", "K-2"]);
    let mixed = export(&s, None, "mixed.csv");
    assert_eq!(mixed[..written.len()], written[..]);
    let screen_v2 = details(&mixed[written.len()]);
    assert_eq!(screen_v2["lists"], screen_v1["lists"], "{screen_v2}");
    assert_eq!(screen_v2["list_set"].as_str().map(str::len), Some(64), "{screen_v2}");
    assert!(s.ok(&["audit", "verify"]).contains("intact"));
    // The earlier binary still finds the chain intact (it does not check list sets).
    assert!(old_ok(&old, &s, &["audit", "verify"]).contains("intact"));

    // An edit of the stored set is found, naming the new record.
    let conn = rusqlite::Connection::open(s.home.path().join("sekisho.db")).unwrap();
    conn.execute_batch("DROP TRIGGER audit_list_sets_no_update;").unwrap();
    conn.execute("UPDATE audit_list_sets SET lists = replace(lists, '\"demo\"', '\"demo2\"')", []).unwrap();
    let err = s.fails(&["audit", "verify"]);
    assert!(err.contains(&format!("record {}", mixed.len())) && err.contains("list set"), "{err}");
}
