//! The BIS Denied Persons List, `dpl.txt`.
//!
//! Tab-separated text, every field in double quotes (`""` for a quote), one row per denied
//! party and address, header
//! `Name, Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date,
//! Standard_Order, Last_Update, Action, FR_Citation`. UTF-8 is read as such; other bytes are
//! read as Windows-1252, the encoding of older BIS text files.
//!
//! Mapping to [`Entity`]:
//!
//! | column | becomes |
//! |---|---|
//! | (none: rows have no id) | id [`stable_id`]`("dpl", [name, street, city, country, effective date])`, also the `source_id` |
//! | `Name` | Primary name |
//! | address columns | one [`Address`] with its parts; `Country` (ISO-2) also a country |
//! | `Effective_Date` (`MM/DD/YYYY`) | `provenance.listed_on` |
//! | `Expiration_Date` (`MM/DD/YYYY`) | property `endDate` (ISO) |
//! | `Standard_Order` (`Y`/`N`) | property `standardOrder` |
//! | `Last_Update` (`YYYY-MM-DD`) | property `lastUpdate`; the latest plausible one is the list date |
//! | `Action` | property `action` |
//! | `FR_Citation` | `facts.federal_register`, one per citation ([`split_fr_citations`]) |
//!
//! Schema: LegalEntity. The list does not say whether a party is a person or a firm, and
//! names such as "I. ASH" or "NEXIANT, LLC" admit no reliable rule.
//!
//! Rows with the same id (same name, street, city, country and effective date) are one
//! listing published twice; they merge into one entity (the 2022 file has two such pairs,
//! both exact repeats).
//!
//! Strict (a [`ParseError`] naming file, line and column): bad quoting, a wrong field count,
//! a header that is not the 12 known columns, a blank `Name`, a missing or invalid
//! `Effective_Date`, an invalid `Expiration_Date`, a `Standard_Order` other than Y/N, a
//! `Last_Update` not of the form `YYYY-MM-DD`. BIS has typed impossible years into
//! `Last_Update` (`3017-08-22`, `0222-05-18`, `2922-09-01`): these are kept as written but do
//! not count for the list date, which is the latest `Last_Update` no later than the year after
//! the latest `Effective_Date`.

use std::borrow::Cow;
use std::collections::HashMap;

use sekisho_model::{Address, Entity, NameKind, PartialDate, Schema, stable_id};

use crate::csl::{Row, country_code, for_each_row};
use crate::{InputFile, ParseError, Parsed};

/// The dataset name of DPL entities.
pub const SOURCE: &str = "us_bis_dpl";

const COLUMNS: [&str; 12] = [
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
];

/// Indexes into [`COLUMNS`].
mod col {
    pub const NAME: usize = 0;
    pub const STREET: usize = 1;
    pub const CITY: usize = 2;
    pub const STATE: usize = 3;
    pub const COUNTRY: usize = 4;
    pub const POSTAL_CODE: usize = 5;
    pub const EFFECTIVE_DATE: usize = 6;
    pub const EXPIRATION_DATE: usize = 7;
    pub const STANDARD_ORDER: usize = 8;
    pub const LAST_UPDATE: usize = 9;
    pub const ACTION: usize = 10;
    pub const FR_CITATION: usize = 11;
}

type DplRow<'r, 'a> = Row<'r, 'a, 12>;

/// True for a DPL file: its first line starts with the DPL header, quoted or not.
pub fn sniff(file: &InputFile) -> bool {
    let bytes = file.bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&file.bytes);
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let unquoted: Vec<u8> = first_line.iter().take(256).copied().filter(|&b| b != b'"').collect();
    unquoted.starts_with(b"Name\tStreet_Address\tCity\t")
}

/// Parses one or more DPL files into entities; the first error aborts the whole parse.
pub fn parse(files: &[InputFile]) -> Result<Parsed, ParseError> {
    let mut entities: Vec<Entity> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut last_updates: Vec<PartialDate> = Vec::new();
    let mut latest_effective_year = 0;
    for file in files {
        parse_file(file, |entity, last_update| {
            if let Some(year) = entity.provenance.listed_on.as_ref().map(PartialDate::year_value) {
                latest_effective_year = latest_effective_year.max(year);
            }
            last_updates.extend(last_update);
            match index_of.get(&entity.id) {
                Some(&i) => merge(&mut entities[i], entity),
                None => {
                    index_of.insert(entity.id.clone(), entities.len());
                    entities.push(entity);
                }
            }
        })?;
    }
    let list_date = last_updates
        .into_iter()
        .filter(|d| d.year_value() <= latest_effective_year.saturating_add(1))
        .max()
        .map(|d| d.to_string());
    Ok(Parsed { entities, list_date })
}

/// Reads one file and hands each row's entity, with its `Last_Update`, to `keep`.
fn parse_file(
    file: &InputFile,
    mut keep: impl FnMut(Entity, Option<PartialDate>),
) -> Result<(), ParseError> {
    let path = file.path.as_path();
    let text: Cow<'_, str> = match std::str::from_utf8(&file.bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(&file.bytes).0,
    };
    for_each_row(path, &text, b'\t', &COLUMNS, "DPL", |row| {
        let (entity, last_update) = entity_from_row(row)?;
        keep(entity, last_update);
        Ok(())
    })?;
    Ok(())
}

/// Whitespace-collapsed text, so that a fixed double space does not change an id.
fn collapsed(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn entity_from_row(row: &DplRow<'_, '_>) -> Result<(Entity, Option<PartialDate>), ParseError> {
    let name = collapsed(row.get(col::NAME));
    if name.is_empty() {
        return Err(row.error(col::NAME, "missing name"));
    }
    let effective = us_date(row, col::EFFECTIVE_DATE)?
        .ok_or_else(|| row.error(col::EFFECTIVE_DATE, "missing effective date"))?;
    let street = collapsed(row.get(col::STREET));
    let city = collapsed(row.get(col::CITY));
    let country_raw = row.get(col::COUNTRY);
    let id = stable_id("dpl", &[&name, &street, &city, country_raw, &effective.to_string()]);
    let mut e = Entity::new(id.clone(), Schema::LegalEntity, SOURCE, &id);
    e.add_name(&name, NameKind::Primary);

    let state = row.get(col::STATE);
    let postal_code = row.get(col::POSTAL_CODE);
    let full = [street.as_str(), city.as_str(), state, postal_code, country_raw]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let part = |s: &str| (!s.is_empty()).then(|| s.to_string());
    e.add_address(Address {
        full,
        street: part(&street),
        city: part(&city),
        region: part(state),
        postal_code: part(postal_code),
        country: country_code(country_raw).map(str::to_string),
    });

    e.provenance.listed_on = Some(effective);
    if let Some(expiry) = us_date(row, col::EXPIRATION_DATE)? {
        e.add_property("endDate", &expiry.to_string());
    }
    match row.get(col::STANDARD_ORDER) {
        "" => {}
        order if order.eq_ignore_ascii_case("y") || order.eq_ignore_ascii_case("n") => {
            e.add_property("standardOrder", &order.to_ascii_uppercase());
        }
        other => {
            return Err(row.error(col::STANDARD_ORDER, format!("expected Y or N, found {other:?}")));
        }
    }
    let last_update = last_update(row)?;
    e.add_property("lastUpdate", row.get(col::LAST_UPDATE));
    e.add_property("action", row.get(col::ACTION));
    e.facts.federal_register = split_fr_citations(row.get(col::FR_CITATION));
    Ok((e, last_update))
}

/// A `MM/DD/YYYY` column; `None` when blank.
fn us_date(row: &DplRow<'_, '_>, column: usize) -> Result<Option<PartialDate>, ParseError> {
    let value = row.get(column);
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || row.error(column, format!("not a date of the form MM/DD/YYYY: {value:?}"));
    let mut parts = value.split('/');
    let (Some(month), Some(day), Some(year), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if year.len() != 4 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
        return Err(bad());
    }
    let number = |s: &str| s.parse::<u16>().ok();
    let (Some(month), Some(day), Some(year)) = (number(month), number(day), number(year)) else {
        return Err(bad());
    };
    PartialDate::new(year, u8::try_from(month).ok(), u8::try_from(day).ok())
        .map(Some)
        .ok_or_else(bad)
}

/// `Last_Update`: must look like `YYYY-MM-DD` with a real month and day; an impossible year
/// (a BIS typo) gives `None` instead of an error.
fn last_update(row: &DplRow<'_, '_>) -> Result<Option<PartialDate>, ParseError> {
    let value = row.get(col::LAST_UPDATE);
    if value.is_empty() {
        return Ok(None);
    }
    let bad =
        || row.error(col::LAST_UPDATE, format!("not a date of the form YYYY-MM-DD: {value:?}"));
    let b = value.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(bad());
    }
    let month: u8 = value[5..7].parse().map_err(|_| bad())?;
    let day: u8 = value[8..10].parse().map_err(|_| bad())?;
    // Check month and day against a leap year so that only the year can make it implausible.
    if PartialDate::new(2000, Some(month), Some(day)).is_none() {
        return Err(bad());
    }
    Ok(value.parse().ok())
}

/// Folds a repeated row (same id) into the entity already read.
fn merge(into: &mut Entity, other: Entity) {
    for address in other.addresses {
        into.add_address(address);
    }
    for (property, values) in other.properties {
        for value in values {
            into.add_property(&property, &value);
        }
    }
    for citation in other.facts.federal_register {
        if !into.facts.federal_register.contains(&citation) {
            into.facts.federal_register.push(citation);
        }
    }
}

/// Splits a Federal Register citation field into one citation each.
///
/// BIS runs citations together in many ways (`68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06`,
/// `..., 83F.R. 28801 6/21/2018`, `81.F.R. 22575`, `46 F.R. 46154 9/17/81 and 46 F.R. 19290`);
/// trade.gov uses `;` or `,` (`87 FR 20299; 87 FR 34136`). A citation starts at the volume
/// number before an `F.R.`/`FR` mark that is followed by a page number; text without such a
/// mark (`Vol. 88, No. 151, 08/08/2023`) is one citation.
pub fn split_fr_citations(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let Some(after_mark) = fr_mark_at(bytes, i) else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j > 0 && matches!(bytes[j - 1], b' ' | b'.') {
            j -= 1;
        }
        let digits_end = j;
        while j > 0 && bytes[j - 1].is_ascii_digit() {
            j -= 1;
        }
        let start = if j < digits_end { j } else { i };
        if starts.last().is_none_or(|&last| start > last) {
            starts.push(start);
        }
        i = after_mark;
    }
    let mut bounds = Vec::with_capacity(starts.len() + 2);
    bounds.push(0);
    bounds.extend(starts.iter().copied().filter(|&s| s > 0));
    bounds.push(bytes.len());
    bounds.windows(2).filter_map(|w| tidy_citation(&text[w[0]..w[1]])).collect()
}

/// The end of an `F.R.`, `F. R.`, `FR` mark at `i` that is followed by a page number.
fn fr_mark_at(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes[i] != b'F' || (i > 0 && bytes[i - 1].is_ascii_alphabetic()) {
        return None;
    }
    let mut j = i + 1;
    let skip = |j: &mut usize, byte: u8| {
        if bytes.get(*j) == Some(&byte) {
            *j += 1;
        }
    };
    skip(&mut j, b'.');
    skip(&mut j, b' ');
    if bytes.get(j) != Some(&b'R') {
        return None;
    }
    j += 1;
    skip(&mut j, b'.');
    if bytes.get(j).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut k = j;
    while bytes.get(k) == Some(&b' ') {
        k += 1;
    }
    bytes.get(k).is_some_and(u8::is_ascii_digit).then_some(j)
}

/// Trims separators and a joining `and` off a citation and collapses its spaces.
fn tidy_citation(piece: &str) -> Option<String> {
    let separators: &[char] = &[' ', ',', ';', '\t'];
    let mut piece = piece.trim_matches(separators);
    while let Some(rest) = piece.strip_suffix(" and").or_else(|| piece.strip_suffix(" AND")) {
        piece = rest.trim_end_matches(separators);
    }
    let piece = collapsed(piece);
    (!piece.is_empty()).then_some(piece)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_run_together_citations() {
        assert_eq!(
            split_fr_citations("68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07"),
            ["68 F.R. 38290 6/27/03", "71 F.R. 38843 7/10/06", "72 F.R. 4236 1/30/07"]
        );
        assert_eq!(
            split_fr_citations("46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81"),
            ["46 F.R. 46154 9/17/81", "46 F.R. 19290 3/30/81"]
        );
        assert_eq!(
            split_fr_citations(
                "82 F.R. 61745 12/29/2017,  83F.R. 28801 6/21/2018, F.R. 30823 7/3/2017"
            ),
            ["82 F.R. 61745 12/29/2017", "83F.R. 28801 6/21/2018", "F.R. 30823 7/3/2017"]
        );
        assert_eq!(split_fr_citations("81.F.R. 22575 4/18/2016"), ["81.F.R. 22575 4/18/2016"]);
        assert_eq!(
            split_fr_citations("82 F.R. 16786, 16787 4/16/2017"),
            ["82 F.R. 16786, 16787 4/16/2017"]
        );
        assert_eq!(split_fr_citations("87 FR 20299; 87 FR 34136"), ["87 FR 20299", "87 FR 34136"]);
        assert_eq!(
            split_fr_citations("Vol. 88, No. 151, 08/08/2023"),
            ["Vol. 88, No. 151, 08/08/2023"]
        );
        assert_eq!(
            split_fr_citations("66 F.R. 47630 9/13/01, NEW F.R. NOTICE TO BE PUBLISHED SOON"),
            ["66 F.R. 47630 9/13/01, NEW F.R. NOTICE TO BE PUBLISHED SOON"]
        );
        assert!(split_fr_citations("  ").is_empty());
    }
}
