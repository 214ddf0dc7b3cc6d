//! Multilingual name matching (being written).

pub mod normalize;
pub mod translit;
