//! Reading the file to screen: CSV/TSV or XLSX by extension, into a header and rows of text.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sekisho_lists::InputFile;
use sha2::{Digest, Sha256};

use super::decode::{check_quotes, decode};

/// The input file, read whole: what the audit record states about it and its rows.
pub struct Table {
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// "CSV", "TSV" or "XLSX".
    pub format: &'static str,
    /// The text encoding a CSV was decoded from.
    pub encoding: Option<&'static str>,
    /// The worksheet an XLSX was read from.
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    /// Data rows (blank rows left out).
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

pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table> {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let format = match extension.as_str() {
        "csv" => "CSV",
        "tsv" | "txt" => "TSV",
        "xlsx" | "xlsm" => "XLSX",
        "xls" => bail!("{}: the old .xls format is not read; save it as .xlsx or CSV", path.display()),
        _ => bail!("{}: unknown input format: name it .csv, .tsv or .xlsx", path.display()),
    };
    if sheet.is_some() && format != "XLSX" {
        bail!("--sheet applies to .xlsx input only");
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut table = Table {
        path: path.to_path_buf(),
        sha256: hex::encode(Sha256::digest(&bytes)),
        size: bytes.len() as u64,
        format,
        encoding: None,
        sheet: None,
        headers: Vec::new(),
        rows: Vec::new(),
    };
    let records = if format == "XLSX" {
        read_xlsx(&mut table, bytes, sheet)?
    } else {
        if bytes.starts_with(b"PK\x03\x04") {
            bail!("{}: this is a zip archive (an Excel workbook?), not {format} text; name it .xlsx", path.display());
        }
        read_delimited(&mut table, &bytes, if format == "TSV" { b'\t' } else { b',' })?
    };
    let mut records = records.into_iter().filter(|r| r.cells.iter().any(|c| !c.is_empty()));
    let header = records.next().with_context(|| format!("{}: empty file: no header row", path.display()))?;
    table.headers = header.cells;
    table.rows = records.collect();
    Ok(table)
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
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(String::new(), |p| format!(":{}", p.line()));
            anyhow::anyhow!("{}{line}: {e}", table.path.display())
        })?;
        let number = record.position().map_or(0, |p| p.line());
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
