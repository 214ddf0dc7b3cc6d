//! Reading text columns that must hold a known value or JSON: a bad one is rusqlite's
//! conversion failure naming the column, so the error says where the row is wrong.

use rusqlite::Row;
use rusqlite::types::Type;

/// The error for column `col` whose text does not hold what the row needs.
fn bad_column(col: usize, why: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, Type::Text, why.into())
}

/// Column `col` parsed from its text by `parse`.
pub(crate) fn parsed_column<T, E>(r: &Row<'_>, col: usize, parse: impl FnOnce(&str) -> Result<T, E>) -> rusqlite::Result<T>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let text: String = r.get(col)?;
    parse(&text).map_err(|e| bad_column(col, e))
}

/// Column `col`, JSON text, read into `T`.
pub(crate) fn json_column<T: serde::de::DeserializeOwned>(r: &Row<'_>, col: usize) -> rusqlite::Result<T> {
    parsed_column(r, col, |text| serde_json::from_str(text))
}
