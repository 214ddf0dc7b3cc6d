//! Reading a workbook that is not a list (a customer file to screen, say) as rows of text,
//! with the same cell handling the list parsers get: full-width ASCII made ASCII, dates as
//! `YYYY-MM-DD`, whole numbers without `.0`, 1-based row numbers as Excel shows them.

use sekisho_model::PartialDate;

use crate::xlsx::{self, Workbook};
use crate::{InputFile, Location, ParseError};

/// One worksheet as text.
#[derive(Debug, Clone)]
pub struct SheetText {
    pub name: String,
    /// Rows that hold something, by 1-based row number; blank cells are `None`.
    pub rows: Vec<(u32, Vec<Option<String>>)>,
}

/// Reads the worksheet `sheet` (default: the first) of an .xlsx file. A file that is not a
/// workbook, or has no such sheet, is an error naming the file (and the sheets it has).
pub fn read_sheet(file: &InputFile, sheet: Option<&str>) -> Result<SheetText, ParseError> {
    let mut book = Workbook::open(file)?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names.iter().find(|n| n.as_str() == wanted).cloned().ok_or_else(|| {
            xlsx::file_error(file, format!("no worksheet {wanted:?}; the workbook has {names:?}"))
        })?,
        None => names.first().cloned().ok_or_else(|| xlsx::file_error(file, "the workbook has no worksheet"))?,
    };
    let read = book.sheet(&name)?;
    let rows = read
        .rows()
        .map(|(n, cells)| (n, (0..cells.len()).map(|col| xlsx::text(cells, col)).collect()))
        .collect();
    Ok(SheetText { name, rows })
}

impl SheetText {
    pub fn at(&self, row: u32) -> Location {
        Location::Row { sheet: self.name.clone(), row }
    }
}

/// A date as people type it in Japanese and English files: `1984-03-05`, `1984`,
/// `1984/3/5`, `1984.3.5`, `1984年3月5日`, `昭和59年3月5日`. `Err` says why not; text naming
/// several dates (`1954年又は1955年`) is an error too, since a query holds one.
pub fn parse_date_text(text: &str) -> Result<PartialDate, String> {
    let text = xlsx::normalise(text);
    let text = text.trim();
    if let Ok(date) = text.parse::<PartialDate>() {
        return Ok(date);
    }
    let scan = xlsx::jpdate::scan(text).map_err(|bad| format!("not a date: {bad:?}"))?;
    match scan.dates.as_slice() {
        [date] => Ok(date.clone()),
        [] => Err(format!("not a date: {text:?} (use YYYY-MM-DD, YYYY/MM/DD or 1984年3月5日)")),
        _ => Err(format!("{text:?} names several dates; give one")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_people_type() {
        for (text, want) in [
            ("1984-03-05", "1984-03-05"),
            ("1984", "1984"),
            ("1984/3/5", "1984-03-05"),
            ("１９８４年３月５日", "1984-03-05"),
            ("昭和59年3月5日", "1984-03-05"),
        ] {
            assert_eq!(parse_date_text(text).map(|d| d.to_string()), Ok(want.to_string()), "{text}");
        }
        assert!(parse_date_text("not a date").is_err());
        assert!(parse_date_text("1971年2月30日").is_err());
        assert!(parse_date_text("1954年又は1955年").is_err());
    }
}
