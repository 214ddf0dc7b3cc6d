//! `sekisho lists import / status / diff / export` through the real binary.

mod common;

use common::{Sekisho, path_str, shared_lists};

use sekisho_lists::SHARED_LIST_FOLDERS;

#[test]
fn imports_every_shared_list_and_exports_them_as_ftm() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    // us-csl-sample-official is the same source as the full CSL; import it first so that
    // the full list is the one in service.
    let mut paths: Vec<String> = vec![path_str(&lists.join("us-csl-sample-official")).to_string()];
    paths.extend(SHARED_LIST_FOLDERS.iter().map(|f| path_str(&lists.join(f)).to_string()));
    let mut args = vec!["lists", "import"];
    args.extend(paths.iter().map(String::as_str));
    let out = s.ok(&args);
    assert_eq!(out.matches("imported ").count(), 7, "{out}");

    let active = s.active();
    let sources: Vec<&str> = active.iter().map(|a| a["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        ["jp_meti_end_user", "jp_mof_asset_freeze", "un_sc_sanctions", "us_bis_dpl", "us_ofac_sdn", "us_trade_csl"]
    );
    let count = |source: &str| {
        active.iter().find(|a| a["source"] == source).unwrap()["entity_count"].as_u64().unwrap()
    };
    assert_eq!(count("un_sc_sanctions"), 1003);
    assert_eq!(count("us_trade_csl"), 25921);
    assert_eq!(count("us_ofac_sdn"), 8976);
    assert_eq!(count("jp_meti_end_user"), 835);
    let total: u64 = active.iter().map(|a| a["entity_count"].as_u64().unwrap()).sum();
    // Every snapshot records file hashes and counts by schema that add up.
    for a in &active {
        assert!(!a["files"].as_array().unwrap().is_empty());
        let by_schema: u64 = a["counts"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(by_schema, a["entity_count"].as_u64().unwrap(), "{}", a["source"]);
    }

    let export = s.ok(&["lists", "export", "--format", "ftm"]);
    let lines: Vec<&str> = export.lines().collect();
    assert_eq!(lines.len() as u64, total);
    for line in lines.iter().step_by(997) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["id"].is_string() && v["schema"].is_string(), "{line}");
        assert!(!v["properties"]["name"].as_array().unwrap().is_empty(), "{line}");
        assert!(v["first_seen"].is_string() && v["last_seen"].is_string(), "{line}");
    }

    // Importing the same files again makes no new snapshot.
    let again = s.ok(&["lists", "import", &paths[1]]);
    assert!(again.starts_with("unchanged us_ofac_sdn"), "{again}");
    let all = s.ok(&["lists", "status", "--all", "--json"]);
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&all).unwrap().len(), 7);
}

#[test]
fn ofac_vintages_diff_through_the_cli() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2019"))]);
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    let out = s.ok(&["lists", "diff", "us_ofac_sdn", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let added = v["diff"]["added"].as_array().unwrap().len();
    let removed = v["diff"]["removed"].as_array().unwrap().len();
    let unchanged = v["diff"]["unchanged"].as_u64().unwrap() as usize;
    let changed = v["diff"]["changed"].as_array().unwrap().len();
    // Both vintages are accounted for: 2021 = added + changed + unchanged, 2019 = removed + changed + unchanged.
    assert_eq!(added + changed + unchanged, 8976);
    assert_eq!(removed + changed + unchanged, 7379);
    let text = s.ok(&["lists", "diff", "us_ofac_sdn"]);
    assert!(text.starts_with("us_ofac_sdn: snapshot 1"), "{text}");
    assert!(text.contains(&format!("{added} added, {removed} removed, {changed} changed")), "{text}");
}

#[test]
fn a_bad_file_in_a_batch_imports_nothing_and_names_file_and_line() {
    let s = Sekisho::new();
    let good = s.write(
        "good.jsonl",
        "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Jane Example\"]}, \"datasets\": [\"mylist\"]}\n",
    );
    let bad = s.write(
        "bad.jsonl",
        "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}, \"datasets\": [\"other\"]}\n{\"id\": \"p2\", \"schema\": \"Person\", \"properties\": {\"name\": [\"B\"], \"birthDate\": [\"not a date\"]}}\n",
    );
    let err = s.fails(&["lists", "import", path_str(&good), path_str(&bad)]);
    assert!(err.contains("bad.jsonl:2"), "{err}");
    assert!(err.contains("birthDate"), "{err}");
    assert!(s.active().is_empty(), "nothing may be imported when one path fails");

    let out = s.ok(&["lists", "import", path_str(&good)]);
    assert!(out.starts_with("imported mylist"), "{out}");
    let err = s.fails(&["lists", "import", path_str(&s.home.path().join("missing.csv"))]);
    assert!(err.contains("missing.csv"), "{err}");
    let empty = s.write("empty.csv", "");
    let err = s.fails(&["lists", "import", path_str(&empty)]);
    assert!(err.contains("empty.csv") && err.contains("empty file"), "{err}");
    assert_eq!(s.active().len(), 1);
}
