//! Bad input gives a clear error naming the file and the place, never a panic and never a
//! partial rulebook. The cases mutate copies of the real reference files, read at test time
//! (nothing from the shared data is kept in the repository).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sekisho_rules::{ImportError, Rulebook};

const FILES: [&str; 6] = [
    "us-ear/ccl.json",
    "us-ear/country-chart.json",
    "us-ear/country-groups.json",
    "us-ear/license-exception-catalog.json",
    "eu-dual-use/annex.json",
    "jp-egov/jp-countries.json",
];

fn control_dir() -> Option<PathBuf> {
    Some(sekisho_lists::shared_data_dir()?.join("control"))
}

/// The export order's file name in the shared folder.
fn order_file(control: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(control.join("jp-egov"))
        .expect("jp-egov")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("324CO0000000378_"))
        .collect();
    names.sort();
    format!("jp-egov/{}", names.pop().expect("the export order XML"))
}

/// FEFTA's XML and translation memory, copied unchanged.
fn jp_files(control: &Path) -> Vec<String> {
    std::fs::read_dir(control.join("jp-egov"))
        .expect("jp-egov")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("324AC0000000228_") || n.ends_with("FEFTA-ja-en.tmx"))
        .map(|n| format!("jp-egov/{n}"))
        .collect()
}

/// Copies the sources into a fresh folder, with `file` replaced by `bytes`.
fn copy_with(control: &Path, file: &str, bytes: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let order = order_file(control);
    let extra = jp_files(control);
    for name in FILES.iter().copied().chain([order.as_str()]).chain(extra.iter().map(String::as_str)) {
        let to = tmp.path().join(name);
        std::fs::create_dir_all(to.parent().expect("has a folder")).expect("mkdir");
        if name == file {
            std::fs::write(&to, bytes).expect("write");
        } else {
            std::fs::copy(control.join(name), &to).expect("copy");
        }
    }
    tmp
}

fn import_with(file: &str, edit: impl FnOnce(String) -> String) -> Result<Rulebook, ImportError> {
    let control = control_dir().expect("checked by the caller");
    let file = if file == "ORDER" { order_file(&control) } else { file.to_string() };
    let text = std::fs::read_to_string(control.join(&file)).expect("read");
    let tmp = copy_with(&control, &file, edit(text).as_bytes());
    Rulebook::import(tmp.path())
}

fn error_text(result: Result<Rulebook, ImportError>) -> String {
    match result {
        Ok(_) => panic!("the import should fail"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn unknown_chart_country_names_the_row() {
    if control_dir().is_none() {
        return;
    }
    let message = error_text(import_with("us-ear/country-chart.json", |t| t.replacen("\"Japan\"", "\"Atlantis\"", 1)));
    assert!(message.contains("country-chart.json: $.countries.Atlantis: unknown country \"Atlantis\""), "{message}");
}

#[test]
fn unknown_group_member_names_the_index() {
    if control_dir().is_none() {
        return;
    }
    let message = error_text(import_with("us-ear/country-groups.json", |t| t.replacen("\"Argentina\"", "\"Ruritania\"", 1)));
    assert!(message.contains("country-groups.json: $.groups[\"A:1\"][0]: unknown country \"Ruritania\""), "{message}");
}

#[test]
fn a_column_the_chart_lacks_is_an_error() {
    if control_dir().is_none() {
        return;
    }
    let message = error_text(import_with("us-ear/ccl.json", |t| t.replacen("\"NS Column 2.\"", "\"NS Column 7.\"", 1)));
    assert!(message.contains("ccl.json: $.entries["), "{message}");
    assert!(message.contains("column NS7 is not a column of the Country Chart"), "{message}");
}

#[test]
fn a_wrong_stated_count_is_an_error() {
    if control_dir().is_none() {
        return;
    }
    let message = error_text(import_with("eu-dual-use/annex.json", |t| t.replacen("\"entry_count\": 384", "\"entry_count\": 385", 1)));
    assert!(message.contains("annex.json: $.entry_count: states 385 entries, the list has 384"), "{message}");
}

#[test]
fn broken_json_names_line_and_column() {
    if control_dir().is_none() {
        return;
    }
    let message = error_text(import_with("us-ear/license-exception-catalog.json", |t| t.replacen(',', ";", 3)));
    assert!(message.contains("license-exception-catalog.json:"), "{message}");
    assert!(message.contains("not valid JSON"), "{message}");
}

#[test]
fn truncated_xml_names_the_line() {
    if control_dir().is_none() {
        return;
    }
    let message = error_text(import_with("ORDER", |t| t[..t.len() / 2].to_string()));
    assert!(message.contains("324CO0000000378_"), "{message}");
    assert!(message.contains("not valid XML") && message.contains("truncated"), "{message}");
}

#[test]
fn unknown_japanese_country_names_the_line() {
    if control_dir().is_none() {
        return;
    }
    let message = error_text(import_with("ORDER", |t| t.replacen("イラン、イラク、北朝鮮", "イラン、イラク、ムー大陸", 1)));
    assert!(message.contains("別表第四 <Sentence>: unknown country \"ムー大陸\""), "{message}");
    assert!(message.contains(": line "), "{message}");
}

#[test]
fn a_missing_table_is_an_error() {
    if control_dir().is_none() {
        return;
    }
    let message = error_text(import_with("ORDER", |t| t.replacen(">別表第四<", ">別表第四（削除）<", 1)));
    assert!(message.contains("missing: <AppdxTable> titled 別表第四"), "{message}");
}

#[test]
fn a_missing_file_is_an_error() {
    let Some(control) = control_dir() else { return };
    let tmp = copy_with(&control, "none", b"");
    std::fs::remove_file(tmp.path().join("eu-dual-use/annex.json")).expect("rm");
    let message = error_text(Rulebook::import(tmp.path()));
    assert!(message.contains("annex.json: cannot read"), "{message}");
}

/// Replaces the value at the `pick`-th node (depth-first) with `replacement`.
fn mutate_json(value: &mut serde_json::Value, pick: &mut usize, replacement: &serde_json::Value) -> bool {
    if *pick == 0 {
        *value = replacement.clone();
        return true;
    }
    *pick -= 1;
    match value {
        serde_json::Value::Array(items) => items.iter_mut().any(|v| mutate_json(v, pick, replacement)),
        serde_json::Value::Object(map) => map.values_mut().any(|v| mutate_json(v, pick, replacement)),
        _ => false,
    }
}

/// Any source file: the JSON files, the export order, FEFTA and its translation memory.
fn file_strategy() -> impl Strategy<Value = usize> {
    0..FILES.len() + 3
}

fn target_file(control: &Path, which: usize) -> String {
    match which.checked_sub(FILES.len()) {
        None => FILES[which].to_string(),
        Some(0) => order_file(control),
        Some(n) => {
            let mut extra = jp_files(control);
            extra.sort();
            extra[(n - 1).min(extra.len() - 1)].clone()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(24)))]

    /// A file cut short anywhere fails with an error naming it.
    #[test]
    fn truncated_files_fail_cleanly(which in file_strategy(), fraction in 0.0f64..0.999) {
        let Some(control) = control_dir() else { return Ok(()) };
        let file = target_file(&control, which);
        let bytes = std::fs::read(control.join(&file)).expect("read");
        let cut = ((bytes.len() as f64) * fraction) as usize;
        let tmp = copy_with(&control, &file, &bytes[..cut]);
        let name = file.rsplit('/').next().expect("a name");
        match Rulebook::import(tmp.path()) {
            Ok(_) => prop_assert!(false, "{file} cut at {cut} imported"),
            Err(e) => prop_assert!(e.to_string().contains(name), "{e}"),
        }
    }

    /// Bytes overwritten anywhere: an import or an error, never a panic.
    #[test]
    fn overwritten_bytes_never_panic(which in file_strategy(), at in 0.0f64..1.0, junk in proptest::collection::vec(any::<u8>(), 1..16)) {
        let Some(control) = control_dir() else { return Ok(()) };
        let file = target_file(&control, which);
        let mut bytes = std::fs::read(control.join(&file)).expect("read");
        let start = ((bytes.len() - junk.len()) as f64 * at) as usize;
        bytes[start..start + junk.len()].copy_from_slice(&junk);
        let tmp = copy_with(&control, &file, &bytes);
        if let Err(e) = Rulebook::import(tmp.path()) {
            let name = file.rsplit('/').next().expect("a name");
            prop_assert!(e.to_string().contains(name), "{e}");
        }
    }

    /// One JSON value replaced by a value of another shape: an import or an error naming
    /// the file, never a panic.
    #[test]
    fn reshaped_json_never_panics(which in 0..FILES.len(), pick in 0usize..40_000, kind in 0..4) {
        let Some(control) = control_dir() else { return Ok(()) };
        let file = FILES[which];
        let mut value: serde_json::Value = serde_json::from_slice(&std::fs::read(control.join(file)).expect("read")).expect("json");
        let replacement = match kind {
            0 => serde_json::Value::Null,
            1 => serde_json::json!(-1),
            2 => serde_json::json!("Atlantis"),
            _ => serde_json::json!([]),
        };
        let mut left = pick;
        mutate_json(&mut value, &mut left, &replacement);
        let tmp = copy_with(&control, file, &serde_json::to_vec(&value).expect("json"));
        if let Err(e) = Rulebook::import(tmp.path()) {
            let name = file.rsplit('/').next().expect("a name");
            prop_assert!(e.to_string().contains(name), "{e}");
        }
    }
}
