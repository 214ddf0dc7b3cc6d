//! Reading the four CSV files of the set: decoding, the `-0-` empty marker, field counts,
//! and errors that name the file, the line and the column.

use std::borrow::Cow;
use std::path::Path;

use csv::StringRecord;

use crate::{InputFile, Location, ParseError};

/// DOS end-of-file marker (Ctrl-Z) that OFAC's files carry after their last line.
const DOS_EOF: char = '\u{1a}';

/// The members of the legacy CSV set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Member {
    Sdn,
    Address,
    Alias,
    Comments,
}

impl Member {
    pub(super) const ALL: [Member; 4] = [
        Member::Sdn,
        Member::Address,
        Member::Alias,
        Member::Comments,
    ];

    /// The name OFAC publishes the file under.
    pub(super) fn file_name(self) -> &'static str {
        match self {
            Member::Sdn => "sdn.csv",
            Member::Address => "add.csv",
            Member::Alias => "alt.csv",
            Member::Comments => "sdn_comments.csv",
        }
    }

    /// Column names, as OFAC's data specification calls them; errors name these.
    pub(super) fn columns(self) -> &'static [&'static str] {
        match self {
            Member::Sdn => &[
                "ent_num",
                "SDN_Name",
                "SDN_Type",
                "Program",
                "Title",
                "Call_Sign",
                "Vess_type",
                "Tonnage",
                "GRT",
                "Vess_flag",
                "Vess_owner",
                "Remarks",
            ],
            Member::Address => &[
                "ent_num",
                "add_num",
                "address",
                "city_state_postal",
                "country",
                "add_remarks",
            ],
            Member::Alias => &["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"],
            Member::Comments => &["ent_num", "remarks_extension"],
        }
    }

    pub(super) fn from_file_name(name: &str) -> Option<Member> {
        Member::ALL.into_iter().find(|m| m.file_name() == name)
    }

    /// Recognises a member from the shape of its first records: field count, numeric ids and
    /// the closed vocabularies of SDN_Type and alt_type. OFAC's files carry no header.
    pub(super) fn from_records(records: &[StringRecord]) -> Option<Member> {
        let first = records.first()?;
        let member = match first.len() {
            12 => Member::Sdn,
            6 => Member::Address,
            5 => Member::Alias,
            2 => Member::Comments,
            _ => return None,
        };
        records
            .iter()
            .all(|r| member.has_shape(r))
            .then_some(member)
    }

    fn has_shape(self, r: &StringRecord) -> bool {
        let field = |i: usize| r.get(i).map(str::trim).unwrap_or("");
        let is_number = |i: usize| parse_number(field(i)).is_some();
        r.len() == self.columns().len()
            && is_number(0)
            && match self {
                Member::Sdn => entity_type(field(2)).is_some() && !field(1).is_empty(),
                Member::Address => is_number(1),
                Member::Alias => is_number(1) && alias_type(field(2)).is_some(),
                // A continuation is prose, never a bare number: tells it from any two-column
                // table of numbers.
                Member::Comments => !field(1).is_empty() && !is_number(1),
            }
    }
}

/// OFAC's SDN_Type vocabulary: `None` for a value outside it, `Some(None)` for `-0-` (an
/// entity).
pub(super) fn entity_type(value: &str) -> Option<Option<&'static str>> {
    let value = value.trim();
    if is_empty_marker(value) {
        return Some(None);
    }
    ["individual", "vessel", "aircraft"]
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(value))
        .map(Some)
}

/// OFAC's alt_type vocabulary (`aka`, `fka`, `nka`), in lower case.
pub(super) fn alias_type(value: &str) -> Option<&'static str> {
    let value = value.trim();
    ["aka", "fka", "nka"]
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(value))
}

/// `-0-` is OFAC's "no value". `-0` occurs once in the wild: the real 2019 add.csv ends in
/// a cut-off last line (`...,"Russia",-0`), and that cut marker means the same.
fn is_empty_marker(value: &str) -> bool {
    value.is_empty() || value == "-0-" || value == "-0"
}

pub(super) fn parse_number(value: &str) -> Option<u32> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// The file's text. OFAC's files are ASCII in practice; UTF-8 is taken as is and anything
/// else is read as Windows-1252, which maps every byte, so decoding never fails.
pub(super) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        // Field counts are checked per member, with an error that names the file and line.
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// A record that is only the DOS end-of-file marker or blank space: not data.
fn is_filler(record: &StringRecord) -> bool {
    record.len() == 1
        && record[0]
            .trim_matches(|c: char| c == DOS_EOF || c.is_whitespace())
            .is_empty()
}

/// Up to `limit` complete data records from the start of a file, for sniffing.
pub(super) fn first_records(bytes: &[u8], limit: usize) -> Vec<StringRecord> {
    const PREFIX: usize = 64 * 1024;
    let truncated = bytes.len() > PREFIX;
    let text = decode(&bytes[..bytes.len().min(PREFIX)]);
    let mut reader = csv_reader(&text);
    let mut records: Vec<StringRecord> = Vec::new();
    let mut record = StringRecord::new();
    // One more than asked: a record that follows the last one kept proves it complete.
    while records.len() <= limit {
        match reader.read_record(&mut record) {
            Ok(true) if is_filler(&record) => {}
            Ok(true) => records.push(record.clone()),
            Ok(false) | Err(_) => break,
        }
    }
    let ran_out = records.len() <= limit;
    if ran_out && truncated {
        // The prefix may have cut the last record short.
        records.pop();
    }
    records.truncate(limit);
    records
}

/// One data row of a member file.
pub(super) struct Row<'a> {
    pub(super) path: &'a Path,
    pub(super) member: Member,
    /// 1-based line the record starts on.
    pub(super) line: u64,
    record: &'a StringRecord,
}

impl<'a> Row<'a> {
    /// The field's text, trimmed; `None` for OFAC's `-0-`.
    pub(super) fn get(&self, column: usize) -> Option<&'a str> {
        let value = self.record.get(column)?.trim();
        (!is_empty_marker(value)).then_some(value)
    }

    /// The field's text untrimmed (Remarks and their continuation join without a
    /// separator); `None` for OFAC's `-0-`.
    pub(super) fn raw(&self, column: usize) -> Option<&'a str> {
        let value = self.record.get(column)?;
        (!is_empty_marker(value.trim())).then_some(value)
    }

    /// A field that must hold a number (ent_num, add_num, alt_num).
    pub(super) fn number(&self, column: usize) -> Result<u32, ParseError> {
        let value = self.record.get(column).unwrap_or("").trim();
        parse_number(value)
            .ok_or_else(|| self.error(column, format!("expected a number, found {value:?}")))
    }

    /// A field that must not be empty.
    pub(super) fn required(&self, column: usize) -> Result<&'a str, ParseError> {
        self.get(column)
            .ok_or_else(|| self.error(column, "must not be empty"))
    }

    pub(super) fn error(&self, column: usize, message: impl Into<String>) -> ParseError {
        ParseError::new(self.path, Location::Line(self.line), message)
            .with_field(self.member.columns()[column])
    }
}

/// Calls `each` for every data row of a member file, after checking its field count; stops
/// at the first error.
pub(super) fn for_each_row(
    file: &InputFile,
    member: Member,
    mut each: impl FnMut(&Row<'_>) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let text = decode(&file.bytes);
    let mut reader = csv_reader(&text);
    let mut record = StringRecord::new();
    let columns = member.columns();
    let mut lines = LineCounter::new(&text);
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = lines.line_at(start);
                return Err(ParseError::new(
                    &file.path,
                    Location::Line(line),
                    e.to_string(),
                ));
            }
        }
        let line = lines.line_at(record.position().map_or(start, csv::Position::byte));
        if is_filler(&record) {
            continue;
        }
        let row = Row {
            path: &file.path,
            member,
            line,
            record: &record,
        };
        if record.len() != columns.len() {
            let message = format!(
                "expected {} fields for {}, found {}",
                columns.len(),
                member.file_name(),
                record.len()
            );
            let error = ParseError::new(&file.path, Location::Line(line), message);
            // Name the first missing column; extra columns have no name.
            return Err(match columns.get(record.len()) {
                Some(missing) => error.with_field(*missing),
                None => error,
            });
        }
        each(&row)?;
    }
}

/// Physical line numbers from byte offsets. The csv crate counts records, not the line breaks
/// inside quoted fields, so a record after a multi-line Remarks would be misplaced.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record that starts at a byte offset; offsets must not
    /// decrease between calls. The csv crate places a record at the line break that ends
    /// the one before (the `\n` of a CRLF), so line breaks at the offset are skipped.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len())
            .max(self.offset);
        while matches!(self.text.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        self.line += self.text[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = offset;
        self.line
    }
}
