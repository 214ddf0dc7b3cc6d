//! The result file: one row per input row, the best match and a summary of the others, as
//! CSV (UTF-8 with a BOM, so that Excel reads Japanese correctly) or XLSX.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sekisho_match::Match;
use sekisho_service::{ALERT_THRESHOLD, AlertOutcome};

use crate::columns::Party;
use crate::{Error, Result};

pub const COLUMNS: [&str; 16] = [
    "row", "id", "name", "alert", "score", "entity_id", "source", "schema", "caption", "matched_name",
    "explanation", "matches", "other_matches", "case", "audit_seq", "error",
];

/// What came of one row.
#[derive(Default)]
pub struct Outcome {
    /// Best first, at or above the threshold, at most the limit.
    pub matches: Vec<Match>,
    /// The case each alert went to, when the screening was recorded.
    pub alerts: Vec<(String, AlertOutcome)>,
    pub audit_seq: Option<i64>,
}

impl Outcome {
    pub fn alerts(&self) -> bool {
        self.matches.first().is_some_and(|m| m.score >= ALERT_THRESHOLD)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    Csv,
    Xlsx,
}

impl OutputKind {
    pub fn of(path: &Path) -> Result<OutputKind> {
        match path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).as_deref() {
            Some("csv") => Ok(OutputKind::Csv),
            Some("xlsx") => Ok(OutputKind::Xlsx),
            _ => Err(Error::File {
                file: path.display().to_string(),
                reason: "unknown output format: name it .csv or .xlsx".into(),
            }),
        }
    }
}

enum Cell {
    Text(String),
    Number(f64),
}

fn case_text(alerts: &[(String, AlertOutcome)]) -> String {
    let one = |(entity, outcome): &(String, AlertOutcome)| match *outcome {
        AlertOutcome::Opened(id) => format!("{id} opened ({entity})"),
        AlertOutcome::AlreadyOpen(id) => format!("{id} already open ({entity})"),
        AlertOutcome::Confirmed(id) => format!("{id} confirmed true match ({entity})"),
        AlertOutcome::Suppressed(id) => format!("suppressed: false positive in case {id} ({entity})"),
    };
    alerts.iter().map(one).collect::<Vec<_>>().join("; ")
}

fn cells(party: &Party, outcome: &Outcome) -> Vec<Cell> {
    use Cell::{Number, Text};
    let text = |s: &str| Text(s.to_string());
    let mut row = vec![Number(party.row as f64), text(&party.id), text(&party.name)];
    if let Err(error) = &party.query {
        row.extend((3..COLUMNS.len() - 1).map(|_| text("")));
        row.push(text(error));
        return row;
    }
    row.push(text(if outcome.alerts() { "yes" } else { "no" }));
    match outcome.matches.first() {
        Some(m) => row.extend([
            Number((m.score * 1000.0).round() / 1000.0),
            text(&m.entity_id),
            text(&m.source),
            text(m.schema.as_str()),
            text(&m.caption),
            text(&m.matched_name),
            text(&m.explanation.summary),
        ]),
        None => row.extend((0..7).map(|_| text(""))),
    }
    row.push(Number(outcome.matches.len() as f64));
    let others: Vec<String> =
        outcome.matches.iter().skip(1).map(|m| format!("{:.3} {} [{}]", m.score, m.caption, m.entity_id)).collect();
    row.push(Text(others.join(" | ")));
    row.push(Text(case_text(&outcome.alerts)));
    row.push(outcome.audit_seq.map_or_else(|| text(""), |s| Number(s as f64)));
    row.push(text(""));
    row
}

/// The output file's bytes (the caller writes them and records their hash).
pub fn render(kind: OutputKind, parties: &[Party], outcomes: &[Outcome]) -> Result<Vec<u8>> {
    let rows = parties.iter().zip(outcomes).map(|(p, o)| cells(p, o));
    match kind {
        OutputKind::Csv => csv_bytes(rows).map_err(|e| Error::Output(format!("CSV: {e}"))),
        OutputKind::Xlsx => xlsx_bytes(rows),
    }
}

fn csv_bytes(rows: impl Iterator<Item = Vec<Cell>>) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(COLUMNS)?;
    for row in rows {
        out.write_record(row.iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
        }))?;
    }
    out.into_inner().map_err(|e| csv::Error::from(std::io::Error::other(e.error().to_string())))
}

/// Excel's limit on one cell's text.
const MAX_CELL_CHARS: usize = 32_767;

fn xlsx_bytes(rows: impl Iterator<Item = Vec<Cell>>) -> Result<Vec<u8>> {
    let xlsx = |e: XlsxError| Error::Output(format!("XLSX: {e}"));
    write_xlsx(rows).map_err(|e| match e {
        XlsxOrRows::Xlsx(e) => xlsx(e),
        XlsxOrRows::TooManyRows => {
            Error::Output("more rows than an Excel sheet holds (1,048,576): write CSV".into())
        }
    })
}

enum XlsxOrRows {
    Xlsx(XlsxError),
    TooManyRows,
}

impl From<XlsxError> for XlsxOrRows {
    fn from(e: XlsxError) -> XlsxOrRows {
        XlsxOrRows::Xlsx(e)
    }
}

fn write_xlsx(rows: impl Iterator<Item = Vec<Cell>>) -> Result<Vec<u8>, XlsxOrRows> {
    let mut book = Workbook::new();
    // Rows go to a temporary file as they are written, not into memory: 100,000 result
    // rows held as cells cost more than the screening index.
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("screening")?;
    for (col, width) in [(2, 30), (8, 30), (9, 30), (10, 60), (12, 40), (13, 30), (15, 40)] {
        sheet.set_column_width(col, width)?;
    }
    let bold = Format::new().set_bold();
    for (col, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    let mut last = 0;
    for (i, row) in rows.enumerate() {
        let r = u32::try_from(i + 1).ok().filter(|r| *r < 1_048_576).ok_or(XlsxOrRows::TooManyRows)?;
        for (col, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) if s.chars().count() > MAX_CELL_CHARS => {
                    let cut: String = s.chars().take(MAX_CELL_CHARS - 1).chain(['…']).collect();
                    sheet.write_string(r, col as u16, cut)?;
                }
                Cell::Text(s) => {
                    sheet.write_string(r, col as u16, s)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, col as u16, *n)?;
                }
            }
        }
        last = r;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, (COLUMNS.len() - 1) as u16)?;
    Ok(book.save_to_buffer()?)
}
