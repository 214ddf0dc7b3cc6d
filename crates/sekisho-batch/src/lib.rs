//! Batch screening of customer and supplier files, shared by `sekisho screen --input` and
//! the server's batch jobs (`POST /jobs`).
//!
//! The steps, each its own module:
//! 1. [`read`]: CSV (UTF-8, UTF-16 with BOM, or Shift_JIS / CP932 as Excel on Japanese
//!    Windows saves it), TSV or XLSX bytes into rows of text ([`Table`]);
//! 2. [`Columns::locate`]: find the header row (title rows above it are skipped) and the
//!    name, id, country, type and birth-date columns, by English or Japanese header
//!    (氏名・名称, 国名, 区分, ...) or as the caller names them, and turn each row into a
//!    query or the reason it cannot be screened ([`Party`]);
//! 3. [`screen_all`]: screen every row on a given number of threads, reporting progress;
//! 4. [`record`]: record each alerting row through the service, as a single screening is
//!    recorded (cases, suppression), and describe the whole batch for its audit record;
//! 5. [`render`]: one result row per input row, as CSV (UTF-8 with a BOM) or XLSX.
//!
//! A file that cannot be read is an [`Error`] naming the file and line; a row that cannot
//! be screened is not an error but its result row's `error` column.

mod columns;
mod decode;
mod input;
mod output;
pub mod record;
mod screen;

pub use columns::{ColumnNames, Columns, Party};
pub use input::{Row, Table, read, read_file};
pub use output::{COLUMNS, Outcome, OutputKind, render};
pub use screen::screen_all;

/// Why a file could not be screened. Messages name the file (as the caller named it) and,
/// where there is one, the line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file as a whole: unknown format, empty, a zip archive named .csv.
    #[error("{file}: {reason}")]
    File { file: String, reason: String },
    /// A problem at a line of a CSV or TSV file: an unterminated quote, bad bytes.
    #[error("{file}:{line}: {reason}")]
    Line { file: String, line: u64, reason: String },
    /// The columns asked for or looked for are not there (the message names the file).
    #[error("{0}")]
    Columns(String),
    /// An option that does not apply (`--sheet` on a CSV).
    #[error("{0}")]
    Usage(String),
    /// An .xlsx file that cannot be read, or a worksheet it does not have.
    #[error(transparent)]
    Workbook(#[from] sekisho_lists::ParseError),
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// The result file could not be made (more rows than a sheet holds, a writer error).
    #[error("cannot write the result: {0}")]
    Output(String),
    /// Recording the alerting rows failed.
    #[error(transparent)]
    Service(#[from] sekisho_service::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A file read and mapped: its rows as queries, ready to screen.
pub struct Batch {
    pub table: Table,
    pub columns: Columns,
    /// One per data row, in input order.
    pub parties: Vec<Party>,
}

impl Batch {
    /// Finds the header and the columns in `table` and maps every data row.
    pub fn new(mut table: Table, names: &ColumnNames) -> Result<Batch> {
        let columns = Columns::locate(&mut table, names)?;
        let parties = table.rows.iter().map(|r| columns.party(r)).collect();
        Ok(Batch { table, columns, parties })
    }

    /// `5 row(s), CSV, Shift_JIS (CP932); header on line 1; columns: name = "氏名・名称", ...`
    pub fn describe(&self) -> String {
        let t = &self.table;
        format!(
            "{} row(s), {}; header on {} {}; columns: {}",
            self.parties.len(),
            t.describe(),
            if t.format == "XLSX" { "row" } else { "line" },
            t.header_row,
            self.columns.describe()
        )
    }

    /// The rows that cannot be screened, by row number.
    pub fn error_rows(&self) -> Vec<u64> {
        self.parties.iter().filter(|p| p.query.is_err()).map(|p| p.row).collect()
    }

    /// Each row's outcome before recording: its matches.
    pub fn outcomes(matches: Vec<Vec<sekisho_match::Match>>) -> Vec<Outcome> {
        matches.into_iter().map(|matches| Outcome { matches, ..Default::default() }).collect()
    }
}
