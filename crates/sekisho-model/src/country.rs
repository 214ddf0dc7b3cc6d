//! Countries: ISO 3166-1 alpha-2 codes from the names lists write them in.

/// The ISO-2 code for a country name or code as lists write it (English or Japanese).
pub fn to_iso2(name: &str) -> Option<&'static str> {
    let _ = name;
    None
}
