//! A strict reader for delimited text: the RFC 4180 CSV of trade.gov and the quoted,
//! tab-separated text of BIS.
//!
//! Written here rather than taken from the `csv` crate because an import must reject what
//! `csv` quietly repairs (a stray quote in an unquoted field, text after a closing quote, a
//! quoted field that never ends) and must say on which line and in which column. Fields are
//! borrowed from the input; only fields with `""` escapes are copied.

use std::borrow::Cow;
use std::path::Path;

use crate::ParseError;
use crate::error::Location;

/// A syntax error: the 1-based line and the 0-based column (field index) where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub line: u64,
    pub column: usize,
    pub message: &'static str,
}

pub(crate) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// The 1-based line `pos` is on.
    line: u64,
    delimiter: u8,
}

impl<'a> Reader<'a> {
    /// A reader over `text`, skipping a UTF-8 byte-order mark.
    pub fn new(text: &'a str, delimiter: u8) -> Reader<'a> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Reader { text, pos: 0, line: 1, delimiter }
    }

    /// Reads the next record into `fields` (cleared first) and returns the line it starts on,
    /// or `None` at the end. Blank lines are skipped.
    pub fn read_record(
        &mut self,
        fields: &mut Vec<Cow<'a, str>>,
    ) -> Result<Option<u64>, SyntaxError> {
        fields.clear();
        let bytes = self.text.as_bytes();
        loop {
            match bytes.get(self.pos) {
                None => return Ok(None),
                Some(b'\n' | b'\r') => self.end_line(),
                Some(_) => break,
            }
        }
        let first_line = self.line;
        loop {
            let field = if bytes.get(self.pos) == Some(&b'"') {
                self.quoted(fields.len())?
            } else {
                self.unquoted(fields.len())?
            };
            fields.push(field);
            match bytes.get(self.pos) {
                Some(&b) if b == self.delimiter => self.pos += 1,
                Some(b'\n' | b'\r') => {
                    self.end_line();
                    return Ok(Some(first_line));
                }
                None => return Ok(Some(first_line)),
                Some(_) => unreachable!("fields end at a delimiter, a line end or the end"),
            }
        }
    }

    /// Consumes one line ending: `\r\n`, `\n` or a lone `\r`.
    fn end_line(&mut self) {
        let bytes = self.text.as_bytes();
        if bytes.get(self.pos) == Some(&b'\r') {
            self.pos += 1;
        }
        if bytes.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
        }
        self.line += 1;
    }

    fn error(&self, column: usize, message: &'static str) -> SyntaxError {
        SyntaxError { line: self.line, column, message }
    }

    fn unquoted(&mut self, column: usize) -> Result<Cow<'a, str>, SyntaxError> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        while let Some(&b) = bytes.get(self.pos) {
            if b == self.delimiter || b == b'\n' || b == b'\r' {
                break;
            }
            if b == b'"' {
                return Err(self.error(column, "quote inside an unquoted field"));
            }
            self.pos += 1;
        }
        Ok(Cow::Borrowed(&self.text[start..self.pos]))
    }

    fn quoted(&mut self, column: usize) -> Result<Cow<'a, str>, SyntaxError> {
        let bytes = self.text.as_bytes();
        let open_line = self.line;
        self.pos += 1;
        let start = self.pos;
        let mut segment_start = start;
        let mut unescaped: Option<String> = None;
        loop {
            // A tight scan: fields are short and most are empty, so a memchr's setup costs
            // more than it saves.
            let Some(offset) = bytes[self.pos..].iter().position(|&b| b == b'"') else {
                return Err(SyntaxError {
                    line: open_line,
                    column,
                    message: "quoted field is never closed",
                });
            };
            let quote = self.pos + offset;
            // Line breaks inside a quoted field count as lines (`\n` only; a lone `\r` inside
            // quotes is data).
            let newlines = bytes[self.pos..quote].iter().filter(|&&b| b == b'\n').count();
            self.line += newlines as u64;
            if bytes.get(quote + 1) == Some(&b'"') {
                // `""` stands for one quote: keep the first, skip the second.
                let text = unescaped.get_or_insert_with(String::new);
                text.push_str(&self.text[segment_start..=quote]);
                self.pos = quote + 2;
                segment_start = self.pos;
                continue;
            }
            self.pos = quote;
            break;
        }
        let end = self.pos;
        self.pos += 1;
        match bytes.get(self.pos) {
            None | Some(b'\n' | b'\r') => {}
            Some(&b) if b == self.delimiter => {}
            Some(_) => return Err(self.error(column, "text after the closing quote of a field")),
        }
        Ok(match unescaped {
            None => Cow::Borrowed(&self.text[start..end]),
            Some(mut text) => {
                text.push_str(&self.text[segment_start..end]);
                Cow::Owned(text)
            }
        })
    }
}

/// Why a header row is not the expected layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HeaderError {
    Missing(&'static str),
    Unknown(String),
    Duplicate(String),
}

/// Maps each expected column to its position in `header`. Every expected column must be
/// present exactly once and no other column may appear: a changed layout is an error, not a
/// silent loss of data.
pub(crate) fn column_positions<const N: usize>(
    header: &[Cow<'_, str>],
    expected: &[&'static str; N],
) -> Result<[usize; N], HeaderError> {
    let mut positions = [usize::MAX; N];
    for (position, name) in header.iter().enumerate() {
        let name = name.trim();
        let Some(column) = expected.iter().position(|e| e.eq_ignore_ascii_case(name)) else {
            return Err(HeaderError::Unknown(name.to_string()));
        };
        if positions[column] != usize::MAX {
            return Err(HeaderError::Duplicate(name.to_string()));
        }
        positions[column] = position;
    }
    match positions.iter().position(|&p| p == usize::MAX) {
        Some(missing) => Err(HeaderError::Missing(expected[missing])),
        None => Ok(positions),
    }
}

/// Decodes a file as UTF-8 or reports the 1-based line of the first invalid byte.
pub(crate) fn utf8_text(bytes: &[u8]) -> Result<&str, u64> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        1 + valid.iter().filter(|&&b| b == b'\n').count() as u64
    })
}

/// One data row of a file with a checked header, with what an error message needs.
pub(crate) struct Row<'r, 'a, const N: usize> {
    pub path: &'r Path,
    pub line: u64,
    pub fields: &'r [Cow<'a, str>],
    /// Position in the row of each expected column.
    pub positions: &'r [usize; N],
    pub columns: &'r [&'static str; N],
}

impl<const N: usize> Row<'_, '_, N> {
    /// The trimmed value of an expected column.
    pub fn get(&self, column: usize) -> &str {
        self.fields[self.positions[column]].trim()
    }

    /// An error about an expected column of this row.
    pub fn error(&self, column: usize, message: impl Into<String>) -> ParseError {
        ParseError::new(self.path, Location::Line(self.line), message)
            .with_field(self.columns[column])
    }
}

/// The column names in the order the file has them, for messages about a field by position.
pub(crate) fn names_in_file_order<const N: usize>(
    positions: &[usize; N],
    columns: &[&'static str; N],
) -> [&'static str; N] {
    let mut names = [""; N];
    for (column, &position) in positions.iter().enumerate() {
        names[position] = columns[column];
    }
    names
}

/// A [`SyntaxError`] as a [`ParseError`], naming the column by its header name.
pub(crate) fn syntax_error(path: &Path, error: SyntaxError, names_in_file: &[&str]) -> ParseError {
    let field = names_in_file
        .get(error.column)
        .map_or_else(|| format!("column {}", error.column + 1), |name| (*name).to_string());
    ParseError::new(path, Location::Line(error.line), error.message).with_field(field)
}

pub(crate) fn header_error<const N: usize>(
    path: &Path,
    line: u64,
    error: HeaderError,
    columns: &[&'static str; N],
) -> ParseError {
    let expected = columns.join(",");
    let (field, message) = match error {
        HeaderError::Missing(name) => (name.to_string(), "expected column is missing".to_string()),
        HeaderError::Unknown(name) => (name, "unknown column".to_string()),
        HeaderError::Duplicate(name) => (name, "column appears twice".to_string()),
    };
    ParseError::new(path, Location::Line(line), format!("{message}; the header must be {expected}"))
        .with_field(field)
}

/// Every row must have as many fields as the header: a short row names the first missing
/// column, a long one the first extra position.
pub(crate) fn check_field_count(
    path: &Path,
    line: u64,
    found: usize,
    names_in_file: &[&str],
) -> Result<(), ParseError> {
    let expected = names_in_file.len();
    if found == expected {
        return Ok(());
    }
    let field = names_in_file
        .get(found)
        .map_or_else(|| format!("column {}", expected + 1), |name| (*name).to_string());
    Err(ParseError::new(
        path,
        Location::Line(line),
        format!("expected {expected} fields, found {found}"),
    )
    .with_field(field))
}

/// Reads a delimited file with a header row naming `columns` (in any order) and hands each
/// data row to `each`. Errors name the file, line and column; `what` names the list in the
/// message for an empty file ("no CSL header").
pub(crate) fn for_each_row<const N: usize>(
    path: &Path,
    text: &str,
    delimiter: u8,
    columns: &[&'static str; N],
    what: &str,
    mut each: impl FnMut(&Row<'_, '_, N>) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let mut reader = Reader::new(text, delimiter);
    let mut fields: Vec<Cow<'_, str>> = Vec::with_capacity(N);
    let header_line = reader
        .read_record(&mut fields)
        .map_err(|e| syntax_error(path, e, columns))?
        .ok_or_else(|| ParseError::new(path, Location::File, format!("empty file: no {what} header")))?;
    let positions =
        column_positions(&fields, columns).map_err(|e| header_error(path, header_line, e, columns))?;
    let names_in_file = names_in_file_order(&positions, columns);
    while let Some(line) =
        reader.read_record(&mut fields).map_err(|e| syntax_error(path, e, &names_in_file))?
    {
        check_field_count(path, line, fields.len(), &names_in_file)?;
        each(&Row { path, line, fields: &fields, positions: &positions, columns })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str, delimiter: u8) -> Result<Vec<(u64, Vec<String>)>, SyntaxError> {
        let mut reader = Reader::new(text, delimiter);
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while let Some(line) = reader.read_record(&mut fields)? {
            out.push((line, fields.iter().map(|f| f.to_string()).collect()));
        }
        Ok(out)
    }

    #[test]
    fn reads_quoted_and_unquoted_fields_with_line_numbers() {
        let text = "\u{feff}a,\"b\",c\r\n\r\n\"x \"\"y\"\"\",,\"multi\nline\"\n\"last\",2,3";
        let got = records(text, b',').unwrap();
        assert_eq!(got[0], (1, vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(got[1], (3, vec!["x \"y\"".into(), String::new(), "multi\nline".into()]));
        assert_eq!(got[2], (5, vec!["last".into(), "2".into(), "3".into()]));
    }

    #[test]
    fn reads_tabs_and_a_trailing_empty_field() {
        let got = records("\"a\"\t\"\"\tb\t\n", b'\t').unwrap();
        assert_eq!(got, vec![(1, vec!["a".into(), String::new(), "b".into(), String::new()])]);
    }

    #[test]
    fn rejects_bad_quoting_with_line_and_column() {
        let err = records("a,b\nc,d\"e\n", b',').unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        let err = records("a,b\n\"c\"x,d\n", b',').unwrap_err();
        assert_eq!((err.line, err.column), (2, 0));
        let err = records("a,b\nc,\"d\n\ne\n", b',').unwrap_err();
        assert_eq!((err.line, err.column, err.message), (2, 1, "quoted field is never closed"));
    }

    #[test]
    fn header_must_hold_every_expected_column_once() {
        let cols = |s: &'static str| s.split(',').map(Cow::Borrowed).collect::<Vec<_>>();
        assert_eq!(column_positions(&cols("b,a"), &["a", "b"]), Ok([1, 0]));
        assert_eq!(column_positions(&cols("a"), &["a", "b"]), Err(HeaderError::Missing("b")));
        assert_eq!(
            column_positions(&cols("a,b,c"), &["a", "b"]),
            Err(HeaderError::Unknown("c".into()))
        );
        assert_eq!(
            column_positions(&cols("a,a,b"), &["a", "b"]),
            Err(HeaderError::Duplicate("a".into()))
        );
    }

    #[test]
    fn reports_the_line_of_invalid_utf8() {
        assert_eq!(utf8_text(b"ok\nok\n\xff"), Err(3));
        assert_eq!(utf8_text(b"ok"), Ok("ok"));
    }
}
