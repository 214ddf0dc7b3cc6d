//! The development / held-out split.
//!
//! Every case is assigned by a key: the party key (the id of the first-loaded entity of the
//! linked party) for cases about a listed party, so that all cases of one party fall on the
//! same side; the sorted pair of entity ids for negative pairs; the name itself for clean
//! names. The key's 64-bit FNV-1a hash decides: even → `dev`, odd → `heldout` (about 50/50,
//! the same on every machine and in every run).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Dev,
    Heldout,
}

impl Split {
    pub fn of(key: &str) -> Split {
        if fnv1a(key.as_bytes()).is_multiple_of(2) { Split::Dev } else { Split::Heldout }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::Heldout => "heldout",
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 64-bit FNV-1a: tiny, stable across Rust versions and platforms (unlike `DefaultHasher`).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_fixed_and_roughly_even() {
        // Known values: the rule must not drift between versions.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(Split::of("un-6908555"), Split::of("un-6908555"));
        let dev = (0..10_000).filter(|i| Split::of(&format!("ofac-{i}")) == Split::Dev).count();
        assert!((4_500..5_500).contains(&dev), "{dev} of 10,000 on dev");
    }
}
