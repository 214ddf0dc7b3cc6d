//! A worksheet as rows of cells addressed by header name, with errors naming file, sheet,
//! row (as the spreadsheet numbers it) and column.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx};

use crate::Error;

/// One sheet, its header row found and its columns located.
pub(crate) struct Sheet {
    path: PathBuf,
    name: String,
    range: Range<Data>,
    /// 0-based index of the header row within `range`.
    header_row: usize,
    /// Absolute (0-based) row and column of the range's top-left cell.
    origin: (u32, u32),
}

/// One data row of a [`Sheet`].
pub(crate) struct Row<'a> {
    sheet: &'a Sheet,
    cells: &'a [Data],
    /// Spreadsheet row number (1-based).
    pub number: usize,
}

impl Sheet {
    /// Opens the first sheet of the workbook in `bytes` whose name satisfies `pick`
    /// (described as `wanted` in errors) and that has, among its first 20 rows, a header row
    /// containing every name in `required`.
    pub fn open(
        path: &Path,
        bytes: &[u8],
        wanted: &str,
        pick: impl Fn(&str) -> bool,
        required: &[&str],
    ) -> Result<Sheet, Error> {
        let sheets = read_sheets(path, bytes, wanted, &pick)?;
        let mut first_miss = None;
        // The first picked sheet with the header wins: a notes sheet in front is skipped.
        for (name, range) in sheets {
            let header_row = range.rows().take(20).position(|row| {
                required
                    .iter()
                    .all(|col| row.iter().any(|c| cell_text(c).as_deref() == Some(*col)))
            });
            match header_row {
                Some(header_row) => {
                    return Ok(Sheet {
                        path: path.to_path_buf(),
                        origin: range.start().unwrap_or((0, 0)),
                        name,
                        range,
                        header_row,
                    });
                }
                None => {
                    first_miss.get_or_insert(name);
                }
            }
        }
        Err(Error::MissingColumn {
            path: path.to_path_buf(),
            sheet: first_miss.unwrap_or_default(),
            column: required.join("\", \""),
        })
    }

    /// The sheet's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 0-based position of column `name` in the header row.
    pub fn column(&self, name: &str) -> Result<usize, Error> {
        self.range
            .rows()
            .nth(self.header_row)
            .and_then(|row| {
                row.iter()
                    .position(|c| cell_text(c).as_deref() == Some(name))
            })
            .ok_or_else(|| Error::MissingColumn {
                path: self.path.clone(),
                sheet: self.name.clone(),
                column: name.to_string(),
            })
    }

    /// The rows below the header, skipping wholly empty ones.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        let first = self.origin.0 as usize + 1;
        self.range
            .rows()
            .enumerate()
            .skip(self.header_row + 1)
            .filter(|(_, cells)| cells.iter().any(|c| !matches!(c, Data::Empty)))
            .map(move |(i, cells)| Row {
                sheet: self,
                cells,
                number: first + i,
            })
    }

    fn header_name(&self, col: usize) -> String {
        let header = self
            .range
            .rows()
            .nth(self.header_row)
            .and_then(|row| row.get(col))
            .and_then(cell_text)
            .unwrap_or_default();
        format!("{header} ({})", column_letter(self.origin.1 as usize + col))
    }
}

/// Reads every sheet whose name satisfies `pick`, in workbook order (at least one).
///
/// The xlsx reader panics on some damaged workbooks (e.g. a cell pointing past the end of
/// the shared-string table). That panic is caught here and becomes an error about the
/// file, so a bad download never brings down an import or the server.
fn read_sheets(
    path: &Path,
    bytes: &[u8],
    wanted: &str,
    pick: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, Range<Data>)>, Error> {
    let workbook_error = |message: String| Error::Workbook {
        path: path.to_path_buf(),
        message,
    };
    let read = || -> Result<Vec<(String, Range<Data>)>, Error> {
        let mut workbook: Xlsx<_> =
            Xlsx::new(Cursor::new(bytes)).map_err(|e| workbook_error(e.to_string()))?;
        let names = workbook.sheet_names();
        let picked: Vec<&String> = names.iter().filter(|n| pick(n)).collect();
        if picked.is_empty() {
            return Err(Error::MissingSheet {
                path: path.to_path_buf(),
                sheet: wanted.to_string(),
                found: names.join(", "),
            });
        }
        let mut sheets = Vec::with_capacity(picked.len());
        for name in picked {
            let range = workbook
                .worksheet_range(name)
                .map_err(|e| workbook_error(format!("sheet {name:?}: {e}")))?;
            sheets.push((name.clone(), range));
        }
        Ok(sheets)
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no detail");
        Err(workbook_error(format!(
            "the workbook is damaged (the xlsx reader failed: {detail})"
        )))
    })
}

impl Row<'_> {
    /// An error about the cell in column `col` of this row.
    pub fn error(&self, col: usize, message: impl Into<String>) -> Error {
        Error::Cell {
            path: self.sheet.path.clone(),
            sheet: self.sheet.name.clone(),
            row: self.number,
            column: self.sheet.header_name(col),
            message: message.into(),
        }
    }

    fn cell(&self, col: usize) -> &Data {
        self.cells.get(col).unwrap_or(&Data::Empty)
    }

    /// A non-empty text cell (numbers are written out).
    pub fn text(&self, col: usize) -> Result<String, Error> {
        match cell_text(self.cell(col)) {
            Some(t) if !t.is_empty() => Ok(t),
            _ => Err(self.error(
                col,
                format!("expected text, found {}", describe(self.cell(col))),
            )),
        }
    }

    /// A number; `None` for a cell holding one of `missing` (e.g. "..") or empty when
    /// `missing` contains "".
    pub fn number(&self, col: usize, missing: &[&str]) -> Result<Option<f64>, Error> {
        let cell = self.cell(col);
        let value = match cell {
            Data::Int(i) => Some(*i as f64),
            Data::Float(f) => Some(*f),
            Data::String(s) if missing.contains(&s.trim()) => return Ok(None),
            Data::Empty if missing.contains(&"") => return Ok(None),
            Data::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match value {
            Some(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.error(col, format!("expected a number, found {}", describe(cell)))),
        }
    }

    /// A whole number within `range`.
    pub fn integer(&self, col: usize, range: std::ops::RangeInclusive<i64>) -> Result<i64, Error> {
        let v = self.number(col, &[])?.unwrap_or(f64::NAN);
        if v.fract() == 0.0 && range.contains(&(v as i64)) {
            Ok(v as i64)
        } else {
            Err(self.error(
                col,
                format!(
                    "expected a whole number from {} to {}, found {}",
                    range.start(),
                    range.end(),
                    describe(self.cell(col))
                ),
            ))
        }
    }
}

fn cell_text(cell: &Data) -> Option<String> {
    match cell {
        Data::String(s) => Some(s.trim().to_string()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

fn describe(cell: &Data) -> String {
    match cell {
        Data::Empty => "an empty cell".into(),
        Data::String(s) => format!("{s:?}"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => format!("the error value {e}"),
        other => format!("{other}"),
    }
}

/// "A", "B", …, "Z", "AA", … for a 0-based column index.
fn column_letter(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_letters() {
        assert_eq!(super::column_letter(0), "A");
        assert_eq!(super::column_letter(25), "Z");
        assert_eq!(super::column_letter(26), "AA");
        assert_eq!(super::column_letter(43), "AR");
    }
}
