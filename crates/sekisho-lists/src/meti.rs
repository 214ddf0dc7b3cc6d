//! METI 外国ユーザーリスト (End User List): foreign parties of concern for weapons of mass
//! destruction and conventional weapons, one Excel sheet (`ユーザーリスト`).
//!
//! # Format
//!
//! One header row (two lines per cell, Japanese over English; the cells may carry furigana
//! runs that the reader drops), then one row per party:
//!
//! | header | content | mapping |
//! |---|---|---|
//! | `No.` | running number, shifts between revisions | `provenance.source_id` |
//! | `国名、地域名 / Country or Region` | `アフガニスタン\nIslamic Republic of Afghanistan` | ISO-2 through [`country::to_iso2`], each line tried; blank or merged cells carry the country of the row above |
//! | `企業名、組織名 / Company or Organization` | Latin name, sometimes wrapped, often followed by the Han name in brackets on its own line: `Air Koryo\n(高麗航空)` | Latin name → [`NameKind::Primary`]; bracketed Han/kana name → [`NameKind::Alias`] (`lang: ja` when it has kana; Han alone may be Japanese or Chinese, so no language) |
//! | `別名 / Also Known As` | bullet list `・alias1\n・alias2`, some lines bracketed Han names | one [`NameKind::Alias`] per line |
//! | `懸念区分 / Type of WMD` | `生物、化学、ミサイル、核\nB,C,M,N` (生物 biological, 化学 chemical, ミサイル missile, 核 nuclear) | `facts.meti_concerns`; the words and the codes must agree |
//! | `通常兵器 / Conventional Weapons` | `通常兵器\nCW` or blank | [`MetiConcern::CW`] |
//!
//! Every entity is an [`Schema::Organization`] (the list names companies, institutes and
//! agencies), filed under source `jp_meti_end_user` with id
//! `stable_id("meti", [name, country line])`: the running number shifts when METI adds or
//! removes parties, the name and the Japanese country label do not. The file states no
//! revision date (only its download name `20250929_4.xlsx` does), so `list_date` is `None`.
//!
//! # Strict and lenient
//!
//! Strict (→ [`ParseError`] naming file, sheet, row and column): unreadable archive; no
//! header row with the company, country, number and concern columns; a numbered row without
//! a name; a number that is not one; concern codes other than B/C/M/N or words and codes
//! that disagree; a party listed twice (same name and country, so the ids would collide).
//! Lenient: blank rows and rows of notes without a number or a name are skipped; a country
//! that `to_iso2` does not resolve leaves `countries` empty; `別名` and `通常兵器` columns
//! may be absent (older revisions had no conventional-weapons column).
//!
//! [`country::to_iso2`]: sekisho_model::country::to_iso2

use std::collections::HashMap;

use sekisho_model::{Entity, MetiConcern, NameKind, Schema, country, stable_id};

use crate::xlsx::{self, Sheet, Value, Workbook};
use crate::{InputFile, ParseError, Parsed};

pub const SOURCE: &str = "jp_meti_end_user";

/// Header cells that identify the list (Japanese, English).
const NAME_HEADERS: [&str; 2] = ["企業名", "Company or Organization"];

/// True for an .xlsx whose first sheet has the company-name header in its first rows.
pub fn sniff(file: &InputFile) -> bool {
    let Some((_, texts)) = xlsx::peek_cells(file, 1, 5) else {
        return false;
    };
    texts
        .iter()
        .any(|t| NAME_HEADERS.iter().any(|h| t.contains(h)))
        && texts
            .iter()
            .any(|t| t.contains("懸念区分") || t.contains("Type of WMD"))
}

pub fn parse(files: &[InputFile]) -> Result<Parsed, ParseError> {
    let mut parsed = Parsed::default();
    for file in files {
        parse_file(file, &mut parsed.entities)?;
    }
    Ok(parsed)
}

/// The columns of the list, found by their header text.
struct Columns {
    number: usize,
    country: usize,
    name: usize,
    aliases: Option<usize>,
    concerns: usize,
    conventional: Option<usize>,
    headers: HashMap<usize, String>,
}

impl Columns {
    fn header(&self, col: usize) -> String {
        self.headers.get(&col).cloned().unwrap_or_default()
    }
}

fn parse_file(file: &InputFile, entities: &mut Vec<Entity>) -> Result<(), ParseError> {
    let mut book = Workbook::open(file)?;
    let names = book.sheet_names();
    let mut found = false;
    let mut seen: HashMap<String, u32> = HashMap::new();
    for name in &names {
        let mut sheet = book.sheet(name)?;
        let Some((header_row, columns)) = find_columns(&sheet) else {
            continue;
        };
        let has_gaps = sheet
            .rows()
            .filter(|(n, _)| *n > header_row)
            .any(|(_, row)| {
                xlsx::text(row, columns.name).is_some()
                    && (xlsx::text(row, columns.country).is_none()
                        || xlsx::text(row, columns.number).is_none())
            });
        if has_gaps {
            book.fill_merges(&mut sheet)?;
        }
        found = true;
        parse_sheet(file, &sheet, header_row, &columns, entities, &mut seen)?;
    }
    if !found {
        return Err(xlsx::file_error(
            file,
            "no sheet has the End User List header (No. / 国名 / 企業名 / 懸念区分)",
        ));
    }
    Ok(())
}

/// The header row and its columns, looked for in the first rows of the sheet.
fn find_columns(sheet: &Sheet) -> Option<(u32, Columns)> {
    for (number, row) in sheet.rows().take(10) {
        let mut headers = HashMap::new();
        for (col, cell) in row.iter().enumerate() {
            if let Some(Value::Text(t)) = cell {
                headers.insert(col, xlsx::collapse(t));
            }
        }
        let find = |keys: &[&str]| {
            let mut cols: Vec<usize> = headers
                .iter()
                .filter(|(_, h)| keys.iter().any(|k| h.contains(k)))
                .map(|(c, _)| *c)
                .collect();
            cols.sort_unstable();
            cols.first().copied()
        };
        let Some(name) = find(&NAME_HEADERS) else {
            continue;
        };
        let columns = Columns {
            number: find(&["No"])?,
            country: find(&["国名", "Country"])?,
            name,
            aliases: find(&["別名", "Also Known"]),
            concerns: find(&["懸念区分", "Type of WMD"])?,
            conventional: find(&["通常兵器", "Conventional"]),
            headers,
        };
        return Some((number, columns));
    }
    None
}

fn parse_sheet(
    file: &InputFile,
    sheet: &Sheet,
    header_row: u32,
    cols: &Columns,
    entities: &mut Vec<Entity>,
    seen: &mut HashMap<String, u32>,
) -> Result<(), ParseError> {
    let mut last_country: Option<String> = None;
    for (row_number, row) in sheet.rows().filter(|(n, _)| *n > header_row) {
        let err = |col: usize, message: String| {
            ParseError::new(file.path.clone(), sheet.at(row_number), message)
                .with_field(cols.header(col))
        };
        let name_cell = xlsx::text(row, cols.name);
        let number_cell = xlsx::text(row, cols.number);
        let Some(name_cell) = name_cell else {
            if number_cell
                .as_deref()
                .is_some_and(|n| n.trim().parse::<u32>().is_ok())
            {
                return Err(err(
                    cols.name,
                    "numbered entry without a company name".into(),
                ));
            }
            continue; // blank row or a note under the table
        };
        let number = number_cell
            .as_deref()
            .and_then(|n| n.trim().parse::<u32>().ok())
            .ok_or_else(|| {
                err(
                    cols.number,
                    format!("not an entry number: {:?}", number_cell.unwrap_or_default()),
                )
            })?;
        let country_cell = xlsx::text(row, cols.country).map(|c| xlsx::clean_lines(&c).join("\n"));
        let country_cell = match country_cell.filter(|c| !c.is_empty()) {
            Some(c) => {
                last_country = Some(c.clone());
                c
            }
            None => last_country
                .clone()
                .ok_or_else(|| err(cols.country, "no country and none above".into()))?,
        };
        let (primary, local_names) = split_name(&name_cell);
        if primary.is_empty() {
            return Err(err(cols.name, format!("no company name in {name_cell:?}")));
        }
        let country_label = country_cell.lines().next().unwrap_or_default().to_string();
        let id = stable_id("meti", &[&primary, &country_label]);
        if let Some(first) = seen.insert(id.clone(), row_number) {
            return Err(err(
                cols.name,
                format!("{primary:?} ({country_label}) is listed twice, first in row {first}"),
            ));
        }
        let mut entity = Entity::new(id, Schema::Organization, SOURCE, &number.to_string());
        entity.add_name(&primary, NameKind::Primary);
        for local in local_names {
            entity.add_name_in(&local, NameKind::Alias, xlsx::lang_of(&local));
        }
        if let Some(aliases) = cols.aliases.and_then(|c| xlsx::text(row, c)) {
            for alias in xlsx::clean_lines(&aliases) {
                let alias = alias.trim_start_matches(['・', '･', '•']).trim();
                let alias = unbracket(alias);
                entity.add_name_in(alias, NameKind::Alias, xlsx::lang_of(alias));
            }
        }
        for line in country_cell.lines() {
            if let Some(code) = country::to_iso2(line) {
                entity.add_country(code);
                break;
            }
        }
        if let Some(concerns) = xlsx::text(row, cols.concerns) {
            entity.facts.meti_concerns =
                parse_concerns(&concerns).map_err(|m| err(cols.concerns, m))?;
        }
        if let Some(cw) = cols.conventional.and_then(|c| xlsx::text(row, c)) {
            if !cw.contains("CW") {
                return Err(err(
                    cols.conventional.unwrap_or_default(),
                    format!("expected 通常兵器 / CW, found {cw:?}"),
                ));
            }
            entity.facts.meti_concerns.push(MetiConcern::CW);
        }
        entities.push(entity);
    }
    Ok(())
}

/// Splits the company cell into its Latin name and the bracketed Han/kana names that follow
/// it, on their own line or at the end of the line: `Air Koryo\n(高麗航空)`.
fn split_name(cell: &str) -> (String, Vec<String>) {
    let mut latin = Vec::new();
    let mut local = Vec::new();
    for line in xlsx::clean_lines(cell) {
        let mut line = line.as_str();
        while let Some((head, inner)) = xlsx::trailing_bracket(line) {
            if !xlsx::is_cjk(inner) {
                break;
            }
            local.insert(0, inner.trim().to_string());
            line = head.trim_end();
        }
        if !line.is_empty() {
            latin.push(line.to_string());
        }
    }
    (latin.join(" "), local)
}

/// `(鴨緑江開発銀行)` → `鴨緑江開発銀行`; anything else unchanged.
fn unbracket(alias: &str) -> &str {
    match xlsx::trailing_bracket(alias) {
        Some(("", inner)) => inner.trim(),
        _ => alias,
    }
}

/// `生物、化学、ミサイル、核\nB,C,M,N` → `[B, C, M, N]`. Both halves are read; when both are
/// present they must name the same concerns.
fn parse_concerns(cell: &str) -> Result<Vec<MetiConcern>, String> {
    const WORDS: [(&str, MetiConcern); 4] = [
        ("生物", MetiConcern::B),
        ("化学", MetiConcern::C),
        ("ミサイル", MetiConcern::M),
        ("核", MetiConcern::N),
    ];
    let from_words: Vec<MetiConcern> = WORDS
        .iter()
        .filter(|(w, _)| cell.contains(w))
        .map(|(_, c)| *c)
        .collect();
    let mut from_codes = Vec::new();
    for token in cell
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|t| !t.is_empty())
    {
        let code = MetiConcern::parse(token)
            .filter(|c| *c != MetiConcern::CW)
            .ok_or_else(|| format!("unknown concern code {token:?} in {cell:?}"))?;
        if !from_codes.contains(&code) {
            from_codes.push(code);
        }
    }
    from_codes.sort_unstable();
    match (from_words.is_empty(), from_codes.is_empty()) {
        (true, true) => Err(format!("no concern type in {cell:?}")),
        (false, false) if from_words != from_codes => {
            Err(format!("concern words and codes disagree in {cell:?}"))
        }
        (true, false) => Ok(from_codes),
        _ => Ok(from_words),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_latin_and_bracketed_local_names() {
        assert_eq!(
            split_name("Air Koryo\n(高麗航空)"),
            ("Air Koryo".into(), vec!["高麗航空".into()])
        );
        assert_eq!(
            split_name(
                "Guangzhou Tian-Hai-Xiang Aviation\nTechnology Co., Ltd.\n（広州天海翔航空科技有限公司）"
            ),
            (
                "Guangzhou Tian-Hai-Xiang Aviation Technology Co., Ltd.".into(),
                vec!["広州天海翔航空科技有限公司".into()]
            )
        );
        assert_eq!(
            split_name("Rostec(Russian Technologies State Corporation)").1,
            Vec::<String>::new()
        );
        assert_eq!(
            split_name(
                "Taean Friendship Glass Factory, Pyongan Namdo\n(大安親善ガラス工場(平安南道))"
            )
            .1,
            vec!["大安親善ガラス工場(平安南道)".to_string()]
        );
    }

    #[test]
    fn concern_words_and_codes_must_agree() {
        use MetiConcern::*;
        assert_eq!(
            parse_concerns("生物、化学、ミサイル、核\nB,C,M,N"),
            Ok(vec![B, C, M, N])
        );
        assert_eq!(parse_concerns("ミサイルM"), Ok(vec![M]));
        assert_eq!(parse_concerns("ミサイル、核\nM、N"), Ok(vec![M, N]));
        assert_eq!(parse_concerns("核\nN "), Ok(vec![N]));
        assert!(parse_concerns("核\nM").is_err());
        assert!(parse_concerns("X").is_err());
        assert!(parse_concerns("？").is_err());
    }
}
