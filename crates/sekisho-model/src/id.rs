//! Stable entity ids for lists whose records carry no id of their own.

use sha2::{Digest, Sha256};

/// `prefix-<16 hex digits>` from the SHA-256 of the parts, so that the same listed party gets
/// the same id in every snapshot of a list that has no record numbers (the BIS Denied Persons
/// List, METI's End User List whose row numbers shift between revisions).
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.trim().to_lowercase().as_bytes());
        hasher.update([0x1f]);
    }
    let digest = hasher.finalize();
    format!("{prefix}-{}", hex::encode(&digest[..8]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_case_and_outer_space_but_not_part_boundaries() {
        assert_eq!(stable_id("dpl", &["ACME ", "US"]), stable_id("dpl", &["acme", "us"]));
        assert_ne!(stable_id("dpl", &["AB", "C"]), stable_id("dpl", &["A", "BC"]));
        assert_eq!(stable_id("dpl", &["x"]).len(), "dpl-".len() + 16);
    }
}
