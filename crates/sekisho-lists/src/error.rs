//! Parse errors that say where: file, line or sheet and row, and field.

use std::fmt;
use std::path::PathBuf;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (missing header, unreadable archive, ...).
    File,
    /// A 1-based line of a text file (CSV, TSV, JSON lines, XML).
    Line(u64),
    /// A 1-based row of a named worksheet.
    Row { sheet: String, row: u32 },
}

/// A problem in one input file. Parsers return the first one they meet and nothing else, so
/// that a bad file is never half-imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    pub file: PathBuf,
    pub location: Location,
    /// The column, element or property at fault, as the file names it.
    pub field: Option<String>,
    pub message: String,
}

impl ParseError {
    pub fn new(file: impl Into<PathBuf>, location: Location, message: impl Into<String>) -> Self {
        ParseError { file: file.into(), location, field: None, message: message.into() }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        match &self.location {
            Location::File => {}
            Location::Line(line) => write!(f, ":{line}")?,
            Location::Row { sheet, row } => write!(f, ": sheet {sheet:?} row {row}")?,
        }
        if let Some(field) = &self.field {
            write!(f, ": field {field:?}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Any failure to load a list from disk.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error(transparent)]
    Parse(#[from] ParseError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_location_and_field() {
        let e = ParseError::new("sdn.csv", Location::Line(12), "not a number").with_field("ent_num");
        assert_eq!(e.to_string(), "sdn.csv:12: field \"ent_num\": not a number");
        let e = ParseError::new("a.xlsx", Location::Row { sheet: "一覧".into(), row: 3 }, "empty");
        assert_eq!(e.to_string(), "a.xlsx: sheet \"一覧\" row 3: empty");
    }
}
