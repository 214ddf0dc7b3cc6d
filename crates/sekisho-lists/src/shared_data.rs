//! Finding the reference data (`../shared/data`) that integration tests and benchmarks use.

use std::path::{Path, PathBuf};

/// The shared reference-data folder: `$SEKISHO_SHARED_DATA` if set, else `shared/data` in
/// the nearest ancestor of this crate that has one (`../shared/data` beside the repository).
/// `None` (after printing a notice) when it is absent, so tests that need it skip on a
/// fresh machine.
pub fn shared_data_dir() -> Option<PathBuf> {
    // The repository sits beside `shared/`; search upwards so git worktrees nested one
    // level deeper find it too.
    let dir = match std::env::var_os("SEKISHO_SHARED_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared/data"))
            .find(|d| d.is_dir())
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: shared data not found at {}; skipping this test", dir.display());
        None
    }
}

/// The list folders of the shared data a user would import together: the current OFAC SDN
/// set, the UN list, the CSL, the DPL, METI's and MOF's lists. (`ofac-sdn-2019` is an older
/// vintage of the SDN list, `us-csl-sample-official` a sample of the CSL.)
pub const SHARED_LIST_FOLDERS: [&str; 6] = [
    "ofac-sdn-2021",
    "un-sc-2026-02-27",
    "us-csl-2026-07-31",
    "us-bis-dpl",
    "jp-meti-end-user-list-2025-09-29",
    "jp-mof-asset-freeze-2026-03-05",
];

/// A folder under `lists/` of the shared data, or `None` (with a notice) when absent.
pub fn shared_list(name: &str) -> Option<PathBuf> {
    let dir = shared_data_dir()?.join("lists").join(name);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("notice: {} not found; skipping this test", dir.display());
        None
    }
}

/// Property-test cases: `default`, or `SEKISHO_PROPTEST_CASES` for a longer run.
pub fn property_test_cases(default: u32) -> u32 {
    std::env::var("SEKISHO_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
