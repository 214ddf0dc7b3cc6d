//! Errors of the indicator import and the thresholds file, each naming where it happened.

use std::path::PathBuf;

/// What went wrong, with the file and, where there is one, the sheet, row and column.
/// Rows and lines are 1-based as a spreadsheet or editor shows them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // The I/O error is shown in the message, not chained as a source, so that a caller
    // printing the whole chain does not see it twice.
    #[error("{}: cannot read: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("{}: no {what} in this folder", dir.display())]
    MissingFile { dir: PathBuf, what: String },

    #[error("{}: not a readable xlsx workbook: {message}", path.display())]
    Workbook { path: PathBuf, message: String },

    #[error("{}: no sheet {sheet:?} (sheets: {found})", path.display())]
    MissingSheet {
        path: PathBuf,
        sheet: String,
        found: String,
    },

    #[error("{}, sheet {sheet:?}: no header row with column {column:?}", path.display())]
    MissingColumn {
        path: PathBuf,
        sheet: String,
        column: String,
    },

    #[error("{}, sheet {sheet:?}, row {row}, column {column:?}: {message}", path.display())]
    Cell {
        path: PathBuf,
        sheet: String,
        row: usize,
        column: String,
        message: String,
    },

    #[error("{}, line {line}: {message}", path.display())]
    Csv {
        path: PathBuf,
        line: u64,
        message: String,
    },

    #[error("{}, line {line}, column {column:?}: {message}", path.display())]
    CsvField {
        path: PathBuf,
        line: u64,
        column: String,
        message: String,
    },

    #[error("{}: no data rows", path.display())]
    Empty { path: PathBuf },

    #[error("{origin}:{line}: {message}{}", hint.as_deref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
    Thresholds {
        /// The file path, or a name such as "bundled thresholds.toml".
        origin: String,
        line: usize,
        message: String,
        /// For an unknown key: the known key it most resembles.
        hint: Option<String>,
    },
}
