//! MOF 経済制裁措置及び対象者リスト: parties under asset freeze (資産凍結) by the Foreign
//! Exchange Act, one Excel workbook with a sheet per regime.
//!
//! # Format
//!
//! - `一覧` (index): the regimes by number; no parties. Read only for a "YYYY年M月D日現在"
//!   (as of) date, which becomes `list_date` (the published file gives none in cells, so
//!   `list_date` is usually `None`).
//! - one sheet per regime named `N.short name`, e.g. `15.北朝鮮(決議1718号等；個人)`: a title
//!   row or three (merged), sometimes a `（注）` (note) row, then the header row, then one row
//!   per party. Sheets differ in which columns they have and in what order, so columns are
//!   found by their header text in every sheet (see [`Field::of_header`]); the header row is
//!   the first with `告示番号` and `日本語表記` or `英語表記`.
//! - sheets marked `【解除】` (lifted) hold only `【2016年1月22日告示廃止】` (notice abolished):
//!   the regime ended, so nothing in them is a current listing and they are skipped whole,
//!   as is any other sheet that says 告示廃止 and has no header.
//! - a row whose 告示日付 says `削除` (deleted, e.g. `2023.11.16削除`) keeps its number but the
//!   party was delisted: skipped.
//!
//! # Mapping
//!
//! | header | mapping |
//! |---|---|
//! | 告示日付 (notice date) | `2009.7.24\n2022.8.3改訂` → `facts.notices` `["2009-07-24", "2022-08-03 改訂"]` (改訂 amended); the earliest → `provenance.listed_on` |
//! | 告示番号 (notice number) | `2(*39)`, `*1`, `#22`, `7` → number `2`; markers (`*` also under resolution 1695, `#` also under UN/coordinated measures, `(*39)` number in the other list) kept as a note |
//! | 英語表記 (English) | [`NameKind::Primary`], `lang: en`, first so that `caption()` is the name as the UN and other lists write it; `（original script：…）` → [`NameKind::OriginalScript`] |
//! | 日本語表記 (Japanese, katakana) | [`NameKind::Primary`], `lang: ja` |
//! | 別称 / 別名 / 別称・別名 / 別称・旧称 / 確定可能な別名 | [`NameKind::Alias`] (旧称 parts → [`NameKind::PreviousName`]), see [`aliases`] |
//! | 確定に十分でない別名 (alias not sufficient to identify) | [`NameKind::WeakAlias`] |
//! | 過去の別名 (former alias) | [`NameKind::PreviousName`] |
//! | 生年月日 (birth date) | Excel serial or Japanese text, several per cell → `birth_dates` |
//! | 生年月日・出生地 | dates as above; the cell also as a note |
//! | 出生地 (birth place) | `birth_places` |
//! | 国籍 (nationality) | ISO-2 via `country::to_iso2`; unresolved → note |
//! | 旅券番号 (passport) / 身分証番号, 身分登録番号 (ID) | [`IdentifierKind::Passport`] / [`IdentifierKind::NationalId`], one per number-like token, the line as note |
//! | 住所 / 所在地 / 住所・所在地 (address) | [`Address`], country via `to_iso2` on the last part |
//! | 役職, 肩書(等) (position) / 称号 (title) | properties `position` / `title` |
//! | 電話(番号), FAX | property `phone` |
//! | 国連参照番号 (UN reference) | [`IdentifierKind::Other`] |
//! | リスト掲載日 (UN listing date), その他の情報 (other), 指定の根拠 (reason), any header not listed | notes (unknown headers as `header: value`, so a new column is kept, not lost) |
//!
//! Schema per sheet: `個人` (individuals) in the sheet name → Person; `団体` (entities) or
//! `銀行` (banks) → Organization; otherwise Person when the header has person-only columns
//! (生年月日, 旅券番号, 国籍, 出生地), else LegalEntity (sheet 13 lists companies and a
//! company president together).
//!
//! Ids: `stable_id("mof", [regime number, notice number])`, source id `15-1`. The notice
//! number is MOF's own designation number within the regime: it survives name corrections
//! and stays with the party (deleted parties keep theirs), unlike the row position. Regime
//! number and notice number are checked to be unique.
//!
//! # Strict and lenient
//!
//! Strict (→ [`ParseError`] with file, sheet, row, column): unreadable workbook; a numbered
//! regime sheet (not lifted) without a recognisable header row; a row without 告示番号 or
//! with a number that is not one, or a duplicate; a row with neither name; a notice date or
//! birth date that is present but unreadable (`1971年2月30日`, `2006.13.1`). Lenient: blank
//! rows, single-cell note rows, `不明` (unknown) anywhere, a missing English or Japanese name
//! when the other is present, birth dates without a year (`10月10日（year unknown）`, kept
//! as a note), countries `to_iso2` does not resolve.

mod aliases;

use std::collections::HashMap;

use sekisho_model::{
    Address, Entity, Identifier, IdentifierKind, NameKind, PartialDate, Schema, country, stable_id,
};

use crate::xlsx::{self, Sheet, Value, Workbook, jpdate};
use crate::{InputFile, ParseError, Parsed};

pub const SOURCE: &str = "jp_mof_asset_freeze";

const INDEX_SHEET: &str = "一覧";

/// What a column holds, from its header text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    NoticeDate,
    NoticeNumber,
    NameJa,
    NameEn,
    Alias,
    WeakAlias,
    PreviousName,
    BirthDate,
    BirthDateAndPlace,
    BirthPlace,
    Nationality,
    Passport,
    NationalId,
    Address,
    Position,
    Title,
    Phone,
    UnReference,
    Note,
    /// A header sekisho does not know: kept as a note with its header.
    Other,
}

impl Field {
    /// Order matters: the more specific header text first.
    fn of_header(header: &str) -> Field {
        const RULES: [(&str, Field); 24] = [
            ("告示日付", Field::NoticeDate),
            ("告示番号", Field::NoticeNumber),
            ("日本語表記", Field::NameJa),
            ("英語表記", Field::NameEn),
            ("確定に十分でない別名", Field::WeakAlias),
            ("過去の別名", Field::PreviousName),
            ("別称", Field::Alias),
            ("別名", Field::Alias),
            ("旧称", Field::PreviousName),
            ("生年月日・出生地", Field::BirthDateAndPlace),
            ("生年月日", Field::BirthDate),
            ("出生地", Field::BirthPlace),
            ("国籍", Field::Nationality),
            ("旅券", Field::Passport),
            ("身分", Field::NationalId),
            ("住所", Field::Address),
            ("所在地", Field::Address),
            ("役職", Field::Position),
            ("肩書", Field::Position),
            ("称号", Field::Title),
            ("電話", Field::Phone),
            ("FAX", Field::Phone),
            ("国連参照番号", Field::UnReference),
            ("その他", Field::Note),
        ];
        let header = header.replace(' ', "");
        if header.contains("リスト掲載日") || header.contains("指定の根拠") {
            return Field::Note;
        }
        RULES
            .iter()
            .find(|(key, _)| header.contains(key))
            .map_or(Field::Other, |(_, f)| *f)
    }

    fn is_person_only(self) -> bool {
        matches!(
            self,
            Field::BirthDate
                | Field::BirthDateAndPlace
                | Field::BirthPlace
                | Field::Passport
                | Field::Nationality
        )
    }
}

/// A regime sheet's columns.
struct Columns {
    header_row: u32,
    fields: Vec<(usize, Field, String)>,
}

impl Columns {
    fn find(&self, field: Field) -> Option<usize> {
        self.fields
            .iter()
            .find(|(_, f, _)| *f == field)
            .map(|(c, ..)| *c)
    }
}

/// True for an .xlsx with the MOF index sheet and numbered regime sheets, or with the
/// 日本語表記 / 英語表記 header in one of its first sheets.
pub fn sniff(file: &InputFile) -> bool {
    let Some((names, _)) = xlsx::peek_cells(file, 0, 0) else {
        return false;
    };
    let numbered = names.iter().filter(|n| regime_number(n).is_some()).count();
    if names.iter().any(|n| n.trim() == INDEX_SHEET) && numbered > 0 {
        return true;
    }
    let Some((_, texts)) = xlsx::peek_cells(file, 3, 8) else {
        return false;
    };
    texts.iter().any(|t| t.contains("日本語表記")) && texts.iter().any(|t| t.contains("英語表記"))
}

pub fn parse(files: &[InputFile]) -> Result<Parsed, ParseError> {
    let mut parsed = Parsed::default();
    for file in files {
        let list_date = parse_file(file, &mut parsed.entities)?;
        parsed.list_date = parsed.list_date.or(list_date);
    }
    Ok(parsed)
}

/// `15.北朝鮮(…)` → 15.
fn regime_number(sheet: &str) -> Option<u32> {
    let (number, _) = sheet.trim().split_once(['.', '．'])?;
    number.trim().parse().ok()
}

fn parse_file(file: &InputFile, entities: &mut Vec<Entity>) -> Result<Option<String>, ParseError> {
    let mut book = Workbook::open(file)?;
    let mut list_date = None;
    let mut regimes: HashMap<u32, String> = HashMap::new();
    let mut parsed_any = false;
    for name in book.sheet_names() {
        let mut sheet = book.sheet(&name)?;
        if name.trim() == INDEX_SHEET {
            list_date = as_of_date(&sheet);
            continue;
        }
        let columns = find_columns(&sheet);
        let lifted = name.contains("【解除】") || name.contains("[解除]");
        let number = regime_number(&name);
        let Some(columns) = columns.filter(|_| !lifted) else {
            let abolished = lifted || sheet_says(&sheet, "告示廃止");
            if number.is_some() && !abolished {
                return Err(ParseError::new(
                    file.path.clone(),
                    sheet.at(1),
                    "no header row with 告示番号 and 日本語表記 or 英語表記 (notice number, names)",
                ));
            }
            continue;
        };
        let Some(number) = number else {
            return Err(ParseError::new(
                file.path.clone(),
                sheet.at(1),
                "a sheet of parties whose name does not start with its regime number (\"15.…\")",
            ));
        };
        if let Some(other) = regimes.insert(number, name.clone()) {
            return Err(ParseError::new(
                file.path.clone(),
                sheet.at(1),
                format!("regime number {number} is used by sheet {other:?} too"),
            ));
        }
        // A party row without its number may sit under a merged cell: fill merges, then read.
        let number_col = columns.find(Field::NoticeNumber).unwrap_or_default();
        if sheet.rows().any(|(n, row)| {
            n > columns.header_row
                && row.iter().flatten().count() > 1
                && xlsx::text(row, number_col).is_none()
        }) {
            book.fill_merges(&mut sheet)?;
        }
        parse_sheet(file, &sheet, number, &columns, entities)?;
        parsed_any = true;
    }
    if !parsed_any {
        return Err(xlsx::file_error(
            file,
            "no regime sheet with a 告示番号 / 日本語表記 / 英語表記 header",
        ));
    }
    Ok(list_date)
}

/// The header row: the first of the first 15 rows naming the notice number and a name column.
fn find_columns(sheet: &Sheet) -> Option<Columns> {
    for (number, row) in sheet.rows().take(15) {
        let fields: Vec<(usize, Field, String)> = row
            .iter()
            .enumerate()
            .filter_map(|(col, cell)| match cell {
                Some(Value::Text(t)) => {
                    let header = xlsx::collapse(t);
                    Some((col, Field::of_header(&header), header))
                }
                _ => None,
            })
            .collect();
        let has = |f: Field| fields.iter().any(|(_, g, _)| *g == f);
        if has(Field::NoticeNumber) && (has(Field::NameJa) || has(Field::NameEn)) {
            return Some(Columns {
                header_row: number,
                fields,
            });
        }
    }
    None
}

fn sheet_says(sheet: &Sheet, needle: &str) -> bool {
    sheet.rows().any(|(_, row)| {
        row.iter()
            .any(|c| matches!(c, Some(Value::Text(t)) if t.contains(needle)))
    })
}

/// A `…現在` / `…時点` (as of) date anywhere on the index sheet.
fn as_of_date(sheet: &Sheet) -> Option<String> {
    sheet
        .rows()
        .flat_map(|(_, row)| row.iter())
        .find_map(|cell| {
            let Some(Value::Text(t)) = cell else {
                return None;
            };
            if !(t.contains("現在") || t.contains("時点")) {
                return None;
            }
            let date = jpdate::scan(t)
                .ok()?
                .dates
                .into_iter()
                .find(|d| d.day_value().is_some())?;
            Some(date.to_string())
        })
}

/// The schema a sheet's parties have; see the module docs.
fn sheet_schema(sheet_name: &str, columns: &Columns) -> Schema {
    if sheet_name.contains("個人") {
        Schema::Person
    } else if sheet_name.contains("団体") || sheet_name.contains("銀行") {
        Schema::Organization
    } else if columns.fields.iter().any(|(_, f, _)| f.is_person_only()) {
        Schema::Person
    } else {
        Schema::LegalEntity
    }
}

fn parse_sheet(
    file: &InputFile,
    sheet: &Sheet,
    regime: u32,
    columns: &Columns,
    entities: &mut Vec<Entity>,
) -> Result<(), ParseError> {
    let regime_name = sheet.name.trim().to_string();
    let schema = sheet_schema(&regime_name, columns);
    let program = format!("JP-MOF-{regime}");
    let number_col = columns.find(Field::NoticeNumber).unwrap_or_default();
    let date_col = columns.find(Field::NoticeDate);
    let name_cols = [columns.find(Field::NameEn), columns.find(Field::NameJa)];
    let mut seen: HashMap<u32, u32> = HashMap::new();
    for (row_number, row) in sheet.rows().filter(|(n, _)| *n > columns.header_row) {
        let err = |col: usize, message: String| {
            let header = columns
                .fields
                .iter()
                .find(|(c, ..)| *c == col)
                .map(|(.., h)| h.clone());
            let e = ParseError::new(file.path.clone(), sheet.at(row_number), message);
            match header {
                Some(h) => e.with_field(h),
                None => e,
            }
        };
        let filled = row.iter().filter(|c| c.is_some()).count();
        if filled == 0 {
            continue;
        }
        let notice_dates = date_col.and_then(|c| xlsx::text(row, c));
        // Delisted (削除): the number stays, the party is gone.
        if notice_dates.as_deref().is_some_and(|d| d.contains("削除")) {
            continue;
        }
        let names: Vec<String> = name_cols
            .iter()
            .flatten()
            .filter_map(|c| xlsx::text(row, *c))
            .collect();
        let Some(raw_number) = xlsx::text(row, number_col) else {
            if filled == 1 && names.is_empty() {
                continue; // a note under the table
            }
            return Err(err(
                number_col,
                "a party without 告示番号 (notice number)".into(),
            ));
        };
        let number = notice_number(&raw_number)
            .ok_or_else(|| err(number_col, format!("not a notice number: {raw_number:?}")))?;
        if let Some(first) = seen.insert(number, row_number) {
            return Err(err(
                number_col,
                format!("notice number {number} is also in row {first}"),
            ));
        }
        if names.is_empty() {
            let col = name_cols
                .iter()
                .flatten()
                .next()
                .copied()
                .unwrap_or(number_col);
            return Err(err(
                col,
                "a party with neither 英語表記 nor 日本語表記 (no name)".into(),
            ));
        }
        let source_id = format!("{regime}-{number}");
        let mut entity = Entity::new(
            stable_id("mof", &[&regime.to_string(), &number.to_string()]),
            schema,
            SOURCE,
            &source_id,
        );
        entity.facts.regime = Some(regime_name.clone());
        entity.add_program(&program);
        if raw_number.trim() != number.to_string() {
            entity.add_note(&format!("告示番号 (notice number) {}", raw_number.trim()));
        }
        if let Some(dates) = &notice_dates {
            let (notices, earliest) =
                parse_notices(dates).map_err(|m| err(date_col.unwrap_or_default(), m))?;
            entity.facts.notices = notices;
            entity.provenance.listed_on = earliest;
        }
        let mut notes = Vec::new();
        // English name first, so that `caption()` is the name other lists use.
        let ordered = columns
            .fields
            .iter()
            .filter(|f| f.1 == Field::NameEn)
            .chain(columns.fields.iter().filter(|f| f.1 != Field::NameEn));
        for (col, field, header) in ordered {
            let col = *col;
            let cell = row.get(col).and_then(Option::as_ref);
            let Some(text) = xlsx::text(row, col) else {
                continue;
            };
            apply(&mut entity, *field, header, cell, &text, &mut notes).map_err(|m| err(col, m))?;
        }
        for note in notes {
            entity.add_note(&note);
        }
        entities.push(entity);
    }
    Ok(())
}

/// `2(*39)`, `*1`, `#22`, `#n7` (a number cell) → the designation number.
fn notice_number(raw: &str) -> Option<u32> {
    let digits: String = raw
        .trim()
        .trim_start_matches(['*', '#', ' '])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// `2009.7.24\n2022.8.3改訂` → (`["2009-07-24", "2022-08-03 改訂"]`, earliest date).
fn parse_notices(cell: &str) -> Result<(Vec<String>, Option<PartialDate>), String> {
    let mut notices = Vec::new();
    let mut earliest: Option<PartialDate> = None;
    for line in xlsx::clean_lines(cell) {
        let scan = jpdate::scan(&line).map_err(|f| format!("not a date: {f:?}"))?;
        let [date] = scan.dates.as_slice() else {
            return Err(format!("expected one notice date per line, found {line:?}"));
        };
        let rest: String = line
            .chars()
            .filter(|c| !c.is_ascii_digit() && !".年月日/ ".contains(*c))
            .collect();
        notices.push(if rest.is_empty() {
            date.to_string()
        } else {
            format!("{date} {rest}")
        });
        if earliest.as_ref().is_none_or(|e| date < e) {
            earliest = Some(date.clone());
        }
    }
    Ok((notices, earliest))
}

/// Writes one cell into the entity.
fn apply(
    entity: &mut Entity,
    field: Field,
    header: &str,
    cell: Option<&Value>,
    text: &str,
    notes: &mut Vec<String>,
) -> Result<(), String> {
    match field {
        Field::NoticeDate | Field::NoticeNumber => {}
        Field::NameEn => {
            let (mut latin, mut original) = (Vec::new(), Vec::new());
            for line in xlsx::clean_lines(text) {
                let inner = xlsx::trailing_bracket(&line)
                    .filter(|(head, _)| head.trim().is_empty())
                    .map_or(line.as_str(), |(_, inner)| inner);
                match inner.split_once("original script") {
                    Some((_, script)) => {
                        original.push(script.trim_start_matches([':', ' ']).trim().to_string())
                    }
                    None => latin.push(line.clone()),
                }
            }
            entity.add_name_in(&latin.join(" "), NameKind::Primary, Some("en"));
            for script in original {
                entity.add_name_in(&script, NameKind::OriginalScript, xlsx::lang_of(&script));
            }
        }
        Field::NameJa => entity.add_name_in(&xlsx::collapse(text), NameKind::Primary, Some("ja")),
        Field::Alias | Field::WeakAlias | Field::PreviousName => {
            let base = match field {
                Field::WeakAlias => NameKind::WeakAlias,
                Field::PreviousName => NameKind::PreviousName,
                _ => NameKind::Alias,
            };
            for alias in aliases::split(text, base, notes) {
                entity.add_name_in(&alias.value, alias.kind, alias.lang);
            }
        }
        Field::BirthDate | Field::BirthDateAndPlace => {
            let dates = birth_dates(cell, text)?;
            // Keep what a date list cannot hold: the place, or a day without a year.
            if (field == Field::BirthDateAndPlace || dates.is_empty()) && !aliases::is_unknown(text)
            {
                notes.push(format!("{header}: {}", xlsx::collapse(text)));
            }
            for date in dates {
                entity.add_birth_date(date);
            }
        }
        Field::BirthPlace => {
            for place in items(text) {
                entity.add_birth_place(&place);
            }
        }
        Field::Nationality => {
            let mut resolved = false;
            for item in items(text) {
                if let Some(code) = country::to_iso2(&item) {
                    entity.add_nationality(code);
                    resolved = true;
                }
            }
            if !resolved && !aliases::is_unknown(text) {
                notes.push(format!("{header}: {}", xlsx::collapse(text)));
            }
        }
        Field::Passport | Field::NationalId => {
            let kind = if field == Field::Passport {
                IdentifierKind::Passport
            } else {
                IdentifierKind::NationalId
            };
            if let Some(Value::Number(n)) = cell {
                entity.add_identifier(Identifier {
                    kind,
                    value: xlsx::number_text(*n),
                    country: None,
                    note: None,
                });
                return Ok(());
            }
            for line in xlsx::clean_lines(text) {
                let tokens = id_tokens(&line);
                let note = (tokens.len() != 1 || tokens[0] != line).then(|| line.clone());
                for value in tokens {
                    entity.add_identifier(Identifier {
                        kind,
                        value,
                        country: None,
                        note: note.clone(),
                    });
                }
            }
        }
        Field::Address => {
            for full in addresses(text) {
                let country = address_country(&full).map(str::to_string);
                entity.add_address(Address {
                    full,
                    country,
                    ..Address::default()
                });
            }
        }
        Field::Position | Field::Title => {
            let property = if field == Field::Position {
                "position"
            } else {
                "title"
            };
            for item in items(text) {
                entity.add_property(property, &item);
            }
        }
        Field::Phone => {
            for item in xlsx::clean_lines(text)
                .iter()
                .flat_map(|l| l.split(['、', '/', ';']))
            {
                entity.add_property("phone", item.trim().trim_end_matches(','));
            }
        }
        Field::UnReference => entity.add_identifier(Identifier {
            kind: IdentifierKind::Other,
            value: xlsx::collapse(text),
            country: None,
            note: Some("国連参照番号 (UN reference number)".into()),
        }),
        Field::Note | Field::Other => {
            if !aliases::is_unknown(text) {
                notes.push(format!("{header}: {}", xlsx::collapse(text)));
            }
        }
    }
    Ok(())
}

/// Birth dates from a number cell (Excel serial) or text; `Err` for a date that is not one,
/// or text that holds no date and does not say it is unknown.
fn birth_dates(cell: Option<&Value>, text: &str) -> Result<Vec<PartialDate>, String> {
    match cell {
        Some(Value::Number(n)) => xlsx::serial_date(*n)
            .map(|d| vec![d])
            .ok_or_else(|| format!("not a date serial: {n}")),
        Some(Value::Date(Some(d))) => Ok(vec![d.clone()]),
        Some(Value::Date(None)) => Err(format!("not a date: {text:?}")),
        _ => {
            let scan = jpdate::scan(text).map_err(|f| format!("not a date: {f:?}"))?;
            if scan.dates.is_empty() && !scan.yearless && !aliases::is_unknown(text) {
                return Err(format!("no birth date in {:?}", xlsx::collapse(text)));
            }
            Ok(scan.dates)
        }
    }
}

/// Items of an enumerated or listed cell: `(a)X、\n(b)Y` or `X\nY` → X, Y; `不明` → none.
fn items(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in xlsx::clean_lines(text) {
        let mut rest = line.as_str();
        // Drop (a) / (b) enumerators wherever they are.
        let mut buf = String::new();
        while let Some(i) = rest.find('(') {
            let marker = rest[i..]
                .chars()
                .nth(1)
                .is_some_and(|c| c.is_ascii_lowercase())
                && rest[i..].chars().nth(2) == Some(')');
            buf.push_str(&rest[..i]);
            if marker {
                buf.push('\n');
                rest = &rest[i + 3..];
            } else {
                buf.push('(');
                rest = &rest[i + 1..];
            }
        }
        buf.push_str(rest);
        for item in buf.split('\n') {
            let item = item.trim().trim_end_matches([',', '、', ';']).trim();
            if !item.is_empty() && !aliases::is_unknown(item) {
                out.push(item.to_string());
            }
        }
    }
    out
}

/// Addresses of a cell: enumerated items, `;`-separated parts; the lines of a Latin address
/// are one address, kanji/kana lines are one address each (`北朝鮮咸鏡南道咸興\n北朝鮮平壌…`).
fn addresses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lines = xlsx::clean_lines(text);
    let joined = if lines.iter().all(|l| xlsx::is_cjk(l)) {
        lines.join("\n")
    } else {
        lines.join(" ")
    };
    for item in items(&joined) {
        for part in item.split(';') {
            let part = part.trim();
            if !part.is_empty() {
                out.push(part.to_string());
            }
        }
    }
    out
}

/// The country of an address: its last part in Latin script (`…, Moscow, Russia`), or the
/// country name a Japanese address starts with (`北朝鮮平壌特別市`, `中華人民共和国丹東市`),
/// or one of the words of a bilingual cell (`イラン Iran`).
fn address_country(full: &str) -> Option<&'static str> {
    let last = full.rsplit([',', '、']).next().unwrap_or(full).trim();
    if let Some(code) = country::to_iso2(last) {
        return Some(code);
    }
    if xlsx::is_cjk(full) {
        let chars: Vec<char> = full.chars().take(12).collect();
        for len in (2..=chars.len()).rev() {
            let prefix: String = chars[..len].iter().collect();
            if let Some(code) = country::to_iso2(&prefix) {
                return Some(code);
            }
        }
    }
    full.split_whitespace().find_map(country::to_iso2)
}

/// Number-like tokens of an identifier line: runs of letters, digits and `-` with at least
/// three digits that are not a date (`旅券失効日：2017年9月26日` gives nothing).
fn id_tokens(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_alphanumeric()
                || (chars[i] == '-' && i + 1 < chars.len() && chars[i + 1].is_ascii_alphanumeric()))
        {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        let digits = token.chars().filter(char::is_ascii_digit).count();
        let is_date_part = matches!(chars.get(i), Some('年' | '月' | '日'));
        if digits >= 3 && !is_date_part && !tokens.contains(&token) {
            tokens.push(token);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_to_fields() {
        assert_eq!(
            Field::of_header("生年月日・出生地"),
            Field::BirthDateAndPlace
        );
        assert_eq!(Field::of_header("確定に十分でない別名"), Field::WeakAlias);
        assert_eq!(Field::of_header("別称・旧称"), Field::Alias);
        assert_eq!(Field::of_header("身分登録番号"), Field::NationalId);
        assert_eq!(Field::of_header("リスト掲載日"), Field::Note);
        assert_eq!(Field::of_header("性別"), Field::Other);
    }

    #[test]
    fn notice_numbers_and_dates() {
        assert_eq!(notice_number("2(*39)"), Some(2));
        assert_eq!(notice_number("*1"), Some(1));
        assert_eq!(notice_number("#22"), Some(22));
        assert_eq!(notice_number("x"), None);
        let (notices, earliest) = parse_notices("2009.7.24\n2022.8.3改訂").unwrap();
        assert_eq!(notices, ["2009-07-24", "2022-08-03 改訂"]);
        assert_eq!(earliest.unwrap().to_string(), "2009-07-24");
        assert!(parse_notices("2009.13.24").is_err());
        assert!(parse_notices("いつか").is_err());
    }

    #[test]
    fn identifier_tokens_skip_dates() {
        assert_eq!(
            id_tokens("472320665、旅券失効日:2017年9月26日"),
            ["472320665"]
        );
        assert_eq!(id_tokens("(b)P04838205(2018年6月10日発行)"), ["P04838205"]);
        assert_eq!(id_tokens("001-843-989-7(ハイチ共和国)"), ["001-843-989-7"]);
        assert!(id_tokens("不明").is_empty());
    }

    #[test]
    fn addresses_keep_wrapped_latin_lines_together() {
        assert_eq!(addresses("北朝鮮咸鏡南道咸興\n北朝鮮平壌特別市").len(), 2);
        assert_eq!(
            addresses("(本社)\nProspekt Kirova\nSovnarkomovskii 52/1, Crimea").len(),
            1
        );
        assert_eq!(
            addresses("d. 23, Moscow, Russia; 58, Kazan, Russia").len(),
            2
        );
        assert!(addresses("不明").is_empty());
    }

    #[test]
    fn address_countries_from_either_end() {
        assert_eq!(
            address_country("2 Rastrelli Square, St. Petersburg, 191124, Russian Federation"),
            Some("RU")
        );
        assert_eq!(address_country("北朝鮮平壌特別市普通江区域"), Some("KP"));
        assert_eq!(address_country("中華人民共和国丹東市"), Some("CN"));
        assert_eq!(address_country("イラン Iran"), Some("IR"));
        assert_eq!(address_country("Damascus"), None);
    }
}
