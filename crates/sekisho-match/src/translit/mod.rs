//! Transliteration of names into Latin keys, one module per script (being written).

pub mod arabic;
pub mod cyrillic;
pub mod han;
pub mod hangul;
pub mod kana;
pub mod other;
