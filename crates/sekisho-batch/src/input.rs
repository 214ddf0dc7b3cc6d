//! Reading the file to screen: CSV/TSV or XLSX by extension, into a header and rows of text.

use std::path::{Path, PathBuf};

use sekisho_lists::InputFile;
use sha2::{Digest, Sha256};

use crate::decode::{check_quotes, decode, line_error};
use crate::{Error, Result};

/// The input file, read whole: what the audit record states about it and its rows.
pub struct Table {
    /// The file as the user named it (a path, or an uploaded file's name).
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// "CSV", "TSV" or "XLSX".
    pub format: &'static str,
    /// The text encoding a CSV was decoded from.
    pub encoding: Option<&'static str>,
    /// The worksheet an XLSX was read from.
    pub sheet: Option<String>,
    /// Where the header row is (line or sheet row).
    pub header_row: u64,
    /// Data rows (blank rows and title rows above the header left out).
    pub rows: Vec<Row>,
}

pub struct Row {
    /// The 1-based line (CSV: where the record starts) or sheet row, as an editor shows it.
    pub number: u64,
    pub cells: Vec<String>,
}

impl Table {
    pub fn describe(&self) -> String {
        match (&self.encoding, &self.sheet) {
            (Some(encoding), _) => format!("{}, {encoding}", self.format),
            (None, Some(sheet)) => format!("{}, sheet {sheet:?}", self.format),
            (None, None) => self.format.to_string(),
        }
    }
}

fn file_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::File { file: path.display().to_string(), reason: reason.into() }
}

/// Reads the file at `path` (format by its extension).
pub fn read_file(path: &Path, sheet: Option<&str>) -> Result<Table> {
    format_of(path)?;
    let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
    read(path, bytes, sheet)
}

/// Reads a file's `bytes`; `path` is its name as the user gave it (the extension says the
/// format; messages name it). `sheet`: the worksheet of an .xlsx (default: the first).
pub fn read(path: &Path, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Table> {
    let format = format_of(path)?;
    if sheet.is_some() && format != "XLSX" {
        return Err(Error::Usage("--sheet applies to .xlsx input only".into()));
    }
    let mut table = Table {
        path: path.to_path_buf(),
        sha256: hex::encode(Sha256::digest(&bytes)),
        size: bytes.len() as u64,
        format,
        encoding: None,
        sheet: None,
        header_row: 0,
        rows: Vec::new(),
    };
    let records = if format == "XLSX" {
        read_xlsx(&mut table, bytes, sheet)?
    } else {
        if bytes.starts_with(b"PK\x03\x04") {
            return Err(file_error(path, format!("this is a zip archive (an Excel workbook?), not {format} text; name it .xlsx")));
        }
        read_delimited(&mut table, &bytes, if format == "TSV" { b'\t' } else { b',' })?
    };
    table.rows = records.into_iter().filter(|r| r.cells.iter().any(|c| !c.is_empty())).collect();
    if table.rows.is_empty() {
        return Err(file_error(path, "empty file: no header row"));
    }
    Ok(table)
}

/// "CSV", "TSV" or "XLSX", from the file name's extension.
fn format_of(path: &Path) -> Result<&'static str> {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "csv" => Ok("CSV"),
        "tsv" | "txt" => Ok("TSV"),
        "xlsx" | "xlsm" => Ok("XLSX"),
        "xls" => Err(file_error(path, "the old .xls format is not read; save it as .xlsx or CSV")),
        _ => Err(file_error(path, "unknown input format: name it .csv, .tsv or .xlsx")),
    }
}

/// Rows searched for the header: Japanese sheets often put a title (取引先一覧, a date)
/// above it.
pub const HEADER_SEARCH_ROWS: usize = 10;

impl Table {
    /// Makes row `index` (among the non-blank rows) the header: it and the rows above it
    /// are not data.
    pub fn take_header(&mut self, index: usize) {
        self.header_row = self.rows[index].number;
        self.rows.drain(..=index);
    }
}

fn read_delimited(table: &mut Table, bytes: &[u8], delimiter: u8) -> Result<Vec<Row>> {
    let (text, encoding) = decode(&table.path, bytes)?;
    table.encoding = Some(encoding);
    check_quotes(&table.path, &text, delimiter)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The csv crate's line numbers drift after blank lines; count from byte offsets instead.
    let bytes = text.as_bytes();
    let (mut line, mut counted_to) = (1u64, 0usize);
    let mut line_at = |offset: u64| {
        let mut start = usize::try_from(offset).unwrap_or(bytes.len()).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > counted_to {
            line += bytes[counted_to..start].iter().filter(|&&b| b == b'\n').count() as u64;
            counted_to = start;
        }
        line
    };
    for record in reader.records() {
        let record = record.map_err(|e| {
            match e.position() {
                Some(p) => line_error(&table.path, line_at(p.byte()), e.to_string()),
                None => file_error(&table.path, e.to_string()),
            }
        })?;
        let number = record.position().map_or(0, |p| line_at(p.byte()));
        rows.push(Row { number, cells: record.iter().map(|c| c.trim().to_string()).collect() });
    }
    Ok(rows)
}

fn read_xlsx(table: &mut Table, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<Row>> {
    let file = InputFile::new(&table.path, bytes);
    let read = sekisho_lists::table::read_sheet(&file, sheet)?;
    table.sheet = Some(read.name);
    Ok(read
        .rows
        .into_iter()
        .map(|(n, cells)| Row {
            number: u64::from(n),
            cells: cells.into_iter().map(|c| c.map(|c| c.trim().to_string()).unwrap_or_default()).collect(),
        })
        .collect())
}
