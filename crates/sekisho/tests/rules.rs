//! `sekisho rules import / show` and `sekisho classify search / record / show` through the
//! real binary, on the shared reference files.

mod common;

use common::{Sekisho, path_str};

fn control_dir() -> Option<std::path::PathBuf> {
    Some(sekisho_lists::shared_data_dir()?.join("control"))
}

#[test]
fn import_is_reproducible_and_audited() {
    let Some(dir) = control_dir() else { return };
    let s = Sekisho::new();
    let first = s.ok(&["rules", "import", path_str(&dir)]);
    assert!(first.starts_with("imported rulebook sha256:"), "{first}");
    assert!(first.contains("us.eccns 633") && first.contains("us.chart_rows 196") && first.contains("jp.group_a 27"), "{first}");
    let again = s.ok(&["rules", "import", path_str(&dir)]);
    assert!(again.starts_with("unchanged rulebook"), "{again}");
    let id = |out: &str| out.split_whitespace().nth(2).unwrap().to_string();
    assert_eq!(id(&first), id(&again), "same files, same version id");

    let versions: serde_json::Value = serde_json::from_str(&s.ok(&["rules", "show", "--json"])).unwrap();
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert_eq!(versions[0]["id"], id(&first).as_str());
    assert_eq!(versions[0]["sources"].as_array().unwrap().len(), 9);
    let show = s.ok(&["rules", "show"]);
    assert!(show.contains("輸出貿易管理令 (Export Trade Control Order)") && show.contains("credit: "), "{show}");

    let log = s.ok(&["audit", "log"]);
    assert_eq!(log.matches("rules_import").count(), 1, "one record for one new version:\n{log}");
    s.ok(&["audit", "verify"]);
}

#[test]
fn search_record_and_show_a_classification() {
    let Some(dir) = control_dir() else { return };
    let s = Sekisho::new();
    assert!(s.fails(&["classify", "search", "3A090"]).contains("run `sekisho rules import` first"));
    s.ok(&["rules", "import", path_str(&dir)]);

    let hits: serde_json::Value =
        serde_json::from_str(&s.ok(&["classify", "search", "3A090", "--json", "--limit", "3"])).unwrap();
    assert_eq!(hits[0]["code"], "3A090");
    assert_eq!(hits[0]["regime"], "us");
    assert_eq!(hits.as_array().unwrap().len(), 3);
    let text = s.ok(&["classify", "search", "工作機械", "--regime", "jp", "--limit", "2"]);
    assert!(text.contains("«工作機械»") && text.contains("輸出貿易管理令 別表第一 6の項"), "{text}");

    let out = s.ok(&[
        "classify", "record", "--item", "PN-100", "--regime", "jp", "--code", "6の項(2)",
        "--justification", "NC milling machine; 貨物等省令 第5条 positioning accuracy met",
    ]);
    assert!(out.contains("PN-100 jp = 6-2 (version 1"), "{out}");
    s.ok(&["classify", "record", "--item", "PN-100", "--regime", "jp", "--code", "not-listed", "--justification", "re-measured", "--by", "Hanako Sato"]);
    let err = s.fails(&["classify", "record", "--item", "PN-100", "--regime", "us", "--code", "2B00l", "--justification", "x"]);
    assert!(err.contains("did you mean 2B001?"), "{err}");
    let err = s.fails(&["classify", "record", "--item", "PN-100", "--regime", "eu", "--code", "EAR99", "--justification", "x"]);
    assert!(err.contains("EAR99 is a US designation"), "{err}");

    let history: serde_json::Value = serde_json::from_str(&s.ok(&["classify", "show", "--item", "PN-100", "--json"])).unwrap();
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2, "the first decision is kept beside the change");
    assert_eq!((history[0]["version"].as_i64(), history[0]["code"].as_str()), (Some(1), Some("6-2")));
    assert_eq!((history[1]["version"].as_i64(), history[1]["code"].as_str()), (Some(2), Some("not-listed")));
    assert_eq!(history[0]["decided_by"], "tester");
    assert_eq!(history[1]["decided_by"], "Hanako Sato");
    assert!(history[1]["rulebook_id"].as_str().unwrap().starts_with("sha256:"));
    let log = s.ok(&["audit", "log"]);
    assert_eq!(log.matches("classify_record").count(), 2, "{log}");
    s.ok(&["audit", "verify"]);
}
