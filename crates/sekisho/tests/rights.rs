//! `sekisho rights`: the human-rights risk assessment from the command line, on the shared
//! Freedom House, WGI and V-Dem files (skipped with a notice when absent).

mod common;

use common::{Sekisho, path_str};

fn rights_data() -> Option<std::path::PathBuf> {
    let dir = sekisho_lists::shared_data_dir()?.join("human-rights");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: {} not found; skipping this test", dir.display());
        None
    }
}

#[test]
fn assess_prints_level_reasons_and_json() {
    let Some(data) = rights_data() else { return };
    let s = Sekisho::new();
    let out = s.ok(&[
        "rights",
        "assess",
        "北朝鮮",
        "--end-user",
        "security_service",
        "--data",
        path_str(&data),
    ]);
    assert!(
        out.starts_with("KP North Korea / 北朝鮮, end user security_service: risk HIGH"),
        "{out}"
    );
    assert!(
        out.contains("HR-FIW-NF")
            && out.contains("自由でない")
            && out.contains("source: Freedom House"),
        "{out}"
    );

    let json = s.ok(&[
        "rights",
        "assess",
        "NO",
        "--end-user",
        "commercial",
        "--json",
        "--data",
        path_str(&data),
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (v["country"].as_str(), v["level"].as_str()),
        (Some("NO"), Some("low"))
    );

    // A stricter thresholds file of the user's own: Partly Free alone reaches medium.
    let strict = s.write(
        "strict.toml",
        &sekisho_rights::BUNDLED_TOML.replace("medium_at = 2", "medium_at = 1"),
    );
    let args = [
        "rights",
        "assess",
        "XK",
        "--end-user",
        "commercial",
        "--json",
        "--data",
        path_str(&data),
    ];
    let default: serde_json::Value = serde_json::from_str(&s.ok(&args)).unwrap();
    let mut with_file = args.to_vec();
    with_file.extend(["--thresholds", path_str(&strict)]);
    let stricter: serde_json::Value = serde_json::from_str(&s.ok(&with_file)).unwrap();
    assert_eq!(
        (default["level"].as_str(), stricter["level"].as_str()),
        (Some("low"), Some("medium"))
    );
}

#[test]
fn bad_inputs_are_clear_errors() {
    let s = Sekisho::new();
    let err = s.fails(&["rights", "assess", "Narnia"]);
    assert!(err.contains("unknown country \"Narnia\""), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let err = s.fails(&["rights", "assess", "NO", "--data", path_str(empty.path())]);
    assert!(err.contains("no Freedom House workbook"), "{err}");
    let bad = s.write("bad.toml", "[levels]\nmedium = 2\n");
    let err = s.fails(&["rights", "assess", "NO", "--thresholds", path_str(&bad)]);
    assert!(
        err.contains("bad.toml:2:") && err.contains("did you mean `medium_at`?"),
        "{err}"
    );
    let out = s.ok(&["rights", "thresholds"]);
    assert!(out.contains("[levels]") && out.contains("raise_always"));
}

#[test]
fn the_default_folder_follows_sekisho_shared_data_and_the_old_variable_still_wins() {
    let Some(data) = rights_data() else { return };
    let shared = data.parent().expect("shared data folder");
    let s = Sekisho::new();
    // The test runs in crates/sekisho, where ../shared/data does not exist: only the
    // variables can lead to the files.
    let sources = |vars: &[(&str, &std::path::Path)]| {
        let mut command = s.command(&["rights", "sources"]);
        command.env_remove("SEKISHO_SHARED_DATA").env_remove("SEKISHO_RIGHTS_DATA");
        for (name, value) in vars {
            command.env(name, value);
        }
        command.output().expect("run sekisho")
    };
    let out = sources(&[("SEKISHO_SHARED_DATA", shared)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Freedom House"), "{}", String::from_utf8_lossy(&out.stdout));
    let elsewhere = tempfile::tempdir().unwrap();
    let out = sources(&[("SEKISHO_SHARED_DATA", shared), ("SEKISHO_RIGHTS_DATA", elsewhere.path())]);
    assert!(!out.status.success(), "SEKISHO_RIGHTS_DATA names the folder and wins");
    assert!(String::from_utf8_lossy(&out.stderr).contains(path_str(elsewhere.path())), "{}", String::from_utf8_lossy(&out.stderr));
}
