//! Reading the Japanese government's Excel lists (METI, MOF) into plain cell grids.
//!
//! The parsers see a worksheet as rows of cells addressed by 1-based row numbers (as Excel
//! shows them, so that errors point at the row an officer can find) and 0-based columns.
//! Merged cells are filled with the value of their top-left cell, because Excel shows the
//! merged value in every row the merge spans. Text is normalised once here: full-width ASCII
//! (全角英数字) becomes ASCII, ideographic and no-break spaces become spaces, and line breaks
//! become `\n`, so that codes, dates and numbers can be read without caring about width.

pub(crate) mod jpdate;

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, ExcelDateTime, ExcelDateTimeType, Reader, Xlsx};
use sekisho_model::{PartialDate, Script, dominant_script};

use crate::{InputFile, Location, ParseError};

/// An opened workbook over the bytes of one input file.
pub(crate) struct Workbook<'a> {
    file: &'a InputFile,
    inner: Xlsx<Cursor<&'a [u8]>>,
}

/// One cell's content after normalisation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    /// A number, or a date cell as its Excel serial (lists write birth dates both ways).
    Number(f64),
    /// A cell Excel formatted as a date, already converted.
    Date(Option<PartialDate>),
}

/// One worksheet, read whole.
pub(crate) struct Sheet {
    pub name: String,
    /// The rows that hold something, by 1-based number; each holds its cells from column 0.
    rows: BTreeMap<u32, Vec<Option<Value>>>,
}

/// Columns read per sheet; cells further right are ignored.
const MAX_COLUMNS: usize = 256;

/// True when the bytes start like a zip archive (every .xlsx is one).
pub(crate) fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

impl<'a> Workbook<'a> {
    /// Opens the workbook; an unreadable archive is an error about the whole file.
    pub fn open(file: &'a InputFile) -> Result<Workbook<'a>, ParseError> {
        if !looks_like_zip(&file.bytes) {
            return Err(file_error(
                file,
                "not an Excel .xlsx file (no zip signature)",
            ));
        }
        let inner = Xlsx::new(Cursor::new(file.bytes.as_slice()))
            .map_err(|e| file_error(file, format!("unreadable Excel workbook: {e}")))?;
        Ok(Workbook { file, inner })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.inner.sheet_names()
    }

    /// Reads one worksheet, cell by cell: only cells that hold something are kept, so that
    /// a file claiming a huge sheet costs what it contains. Columns past [`MAX_COLUMNS`]
    /// are ignored (the lists use fewer than twenty).
    pub fn sheet(&mut self, name: &str) -> Result<Sheet, ParseError> {
        let path = self.file.path.clone();
        let sheet_error = |e: &dyn std::fmt::Display| {
            ParseError::new(
                path.clone(),
                Location::Row {
                    sheet: name.to_string(),
                    row: 1,
                },
                format!("unreadable worksheet: {e}"),
            )
        };
        let mut rows: BTreeMap<u32, Vec<Option<Value>>> = BTreeMap::new();
        let mut reader = self
            .inner
            .worksheet_cells_reader(name)
            .map_err(|e| sheet_error(&e))?;
        while let Some(cell) = reader.next_cell().map_err(|e| sheet_error(&e))? {
            let (row, col) = cell.get_position();
            if col as usize >= MAX_COLUMNS {
                continue;
            }
            let Some(value) = value(cell.get_value()) else {
                continue;
            };
            let cells = rows.entry(row.saturating_add(1)).or_default();
            if cells.len() <= col as usize {
                cells.resize(col as usize + 1, None);
            }
            cells[col as usize] = Some(value);
        }
        Ok(Sheet {
            name: name.to_string(),
            rows,
        })
    }

    /// Fills merged cells with the value of their top-left cell, as Excel shows them. Only
    /// called when a parser meets a blank where a value belongs: reading the merges costs a
    /// second pass over the sheet.
    pub fn fill_merges(&mut self, sheet: &mut Sheet) -> Result<(), ParseError> {
        let merges = match self.inner.worksheet_merge_cells(&sheet.name) {
            Some(Ok(merges)) => merges,
            Some(Err(e)) => {
                return Err(ParseError::new(
                    self.file.path.clone(),
                    sheet.at(1),
                    format!("unreadable merged cells: {e}"),
                ));
            }
            None => return Ok(()),
        };
        let last_row = sheet.rows.keys().next_back().copied().unwrap_or(0);
        for merge in merges {
            let (top, left) = (merge.start.0.saturating_add(1), merge.start.1 as usize);
            let Some(origin) = sheet
                .rows
                .get(&top)
                .and_then(|r| r.get(left))
                .cloned()
                .flatten()
            else {
                continue;
            };
            // Merged ranges come from the file: clamp them to the rows and columns that can
            // hold data, so that a hostile `A1:XFD1048576` costs nothing.
            let bottom = merge.end.0.saturating_add(1).min(last_row);
            let right = (merge.end.1 as usize).min(MAX_COLUMNS - 1);
            for row in top..=bottom {
                let cells = sheet.rows.entry(row).or_default();
                for col in left..=right {
                    if (row, col) == (top, left) {
                        continue;
                    }
                    if cells.len() <= col {
                        cells.resize(col + 1, None);
                    }
                    cells[col] = Some(origin.clone());
                }
            }
        }
        Ok(())
    }
}

impl Sheet {
    /// The rows that hold something, with their 1-based numbers (blank rows are absent).
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[Option<Value>])> {
        self.rows.iter().map(|(n, row)| (*n, row.as_slice()))
    }

    /// A location in this sheet for an error message.
    pub fn at(&self, row: u32) -> Location {
        Location::Row {
            sheet: self.name.clone(),
            row,
        }
    }
}

/// The cell at `col` as text (numbers written without a trailing `.0`); `None` when blank.
pub(crate) fn text(row: &[Option<Value>], col: usize) -> Option<String> {
    match row.get(col)?.as_ref()? {
        Value::Text(s) => Some(s.clone()),
        Value::Number(n) => Some(number_text(*n)),
        Value::Date(Some(d)) => Some(d.to_string()),
        Value::Date(None) => None,
    }
}

pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// An Excel serial day number (1900 date system) as a date; `None` outside years 1000–2999.
pub(crate) fn serial_date(serial: f64) -> Option<PartialDate> {
    if !(1.0..2_958_466.0).contains(&serial) || serial.fract() != 0.0 {
        return None;
    }
    date_of(&ExcelDateTime::new(
        serial,
        ExcelDateTimeType::DateTime,
        false,
    ))
}

fn date_of(dt: &ExcelDateTime) -> Option<PartialDate> {
    if !dt.is_datetime() || !(1.0..2_958_466.0).contains(&dt.as_f64()) {
        return None;
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    PartialDate::new(y, Some(m), Some(d))
}

fn value(data: &DataRef<'_>) -> Option<Value> {
    let text = |s: &str| {
        let s = normalise(s);
        (!s.trim().is_empty()).then_some(Value::Text(s))
    };
    match data {
        DataRef::Empty | DataRef::Error(_) => None,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(i) => Some(Value::Number(*i as f64)),
        DataRef::Float(f) => f.is_finite().then_some(Value::Number(*f)),
        DataRef::Bool(b) => Some(Value::Text(b.to_string())),
        DataRef::DateTime(dt) => Some(Value::Date(date_of(dt))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Some(Value::Date(s.get(..10).and_then(|d| d.parse().ok())))
        }
    }
}

/// Full-width ASCII to ASCII, odd spaces to spaces, CR/CRLF to LF.
pub(crate) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' | '\t' | '\u{2002}'..='\u{200A}' => ' ',
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                '\n'
            }
            _ => c,
        };
        out.push(c);
    }
    out
}

/// Collapses runs of spaces and trims each line; drops blank lines.
pub(crate) fn clean_lines(s: &str) -> Vec<String> {
    s.lines().map(collapse).filter(|l| !l.is_empty()).collect()
}

/// Collapses runs of whitespace (including line breaks) into one space, and trims.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when most letters are Han, kana or Hangul.
pub(crate) fn is_cjk(text: &str) -> bool {
    dominant_script(text).is_some_and(Script::is_cjk)
}

/// The language a name's script settles: kana is Japanese, Hangul Korean. Latin, Cyrillic,
/// Arabic (Arabic or Persian?) and Han (Japanese or Chinese?) alone do not.
pub(crate) fn lang_of(name: &str) -> Option<&'static str> {
    match dominant_script(name)? {
        Script::Kana => Some("ja"),
        Script::Hangul => Some("ko"),
        _ => None,
    }
}

/// `head(inner)` → `(head, inner)` when the line ends with a bracket closing the one that
/// opens `inner` (nested brackets counted).
pub(crate) fn trailing_bracket(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_end().strip_suffix([')', '）'])?;
    let mut depth = 1;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&body[..i], &body[i + c.len_utf8()..]));
                }
            }
            _ => {}
        }
    }
    None
}

pub(crate) fn file_error(file: &InputFile, message: impl Into<String>) -> ParseError {
    ParseError::new(file.path.clone(), Location::File, message)
}

/// The header texts of the first `max_rows` rows of the first sheets, read cell by cell
/// without loading whole sheets, so that format sniffing stays cheap.
pub(crate) fn peek_cells(
    file: &InputFile,
    sheets: usize,
    max_rows: u32,
) -> Option<(Vec<String>, Vec<String>)> {
    if !looks_like_zip(&file.bytes) {
        return None;
    }
    let mut book = Xlsx::new(Cursor::new(file.bytes.as_slice())).ok()?;
    let names = book.sheet_names();
    let mut texts = Vec::new();
    for name in names.iter().take(sheets) {
        let Ok(mut reader) = book.worksheet_cells_reader(name) else {
            continue;
        };
        while let Ok(Some(cell)) = reader.next_cell() {
            if cell.get_position().0 >= max_rows {
                break;
            }
            if let calamine::DataRef::SharedString(s) = cell.get_value() {
                texts.push(normalise(s));
            } else if let calamine::DataRef::String(s) = cell.get_value() {
                texts.push(normalise(s));
            }
        }
    }
    Some((names, texts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_width_and_spaces() {
        assert_eq!(normalise("ＶＥＢ．ＲＦ\u{3000}Ｎ\r\nx"), "VEB.RF N\nx");
        assert_eq!(collapse("  a \n b  "), "a b");
    }

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(serial_date(16358.0).unwrap().to_string(), "1944-10-13");
        assert_eq!(serial_date(0.5), None);
        assert_eq!(serial_date(-3.0), None);
        assert_eq!(serial_date(f64::NAN), None);
    }
}
