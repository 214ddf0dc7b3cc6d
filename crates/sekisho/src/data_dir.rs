//! Where the CLI finds the reference data when no folder is given, one rule for every
//! command: `$SEKISHO_SHARED_DATA/<part>` when that variable is set, else
//! `../shared/data/<part>` from the working folder (the data beside the checkout). The parts
//! are `control` (`rules import`) and `human-rights` (`rights`, `determine`, `serve`).
//!
//! `SEKISHO_RIGHTS_DATA`, which named the human-rights folder itself before this rule, is
//! still honoured and wins when set, so existing set-ups keep working.

use std::path::PathBuf;

/// `$SEKISHO_SHARED_DATA/<part>`, else `../shared/data/<part>`.
pub fn shared_data(part: &str) -> PathBuf {
    match non_empty_var("SEKISHO_SHARED_DATA") {
        Some(dir) => dir.join(part),
        None => PathBuf::from("../shared/data").join(part),
    }
}

/// The human-rights indicators folder: `given` (`--rights-data` / `--data`), else
/// `$SEKISHO_RIGHTS_DATA`, else [`shared_data`]`("human-rights")`.
pub fn rights_data(given: Option<PathBuf>) -> PathBuf {
    given.or_else(|| non_empty_var("SEKISHO_RIGHTS_DATA")).unwrap_or_else(|| shared_data("human-rights"))
}

fn non_empty_var(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}
