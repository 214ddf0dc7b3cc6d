//! V-Dem derived democratic-space indices (`vdem_democratic_spaces.csv`): one row per
//! country and year, 1968 onwards, each index from 0 (worst) to 1 (best).
//!
//! Of the file's six indices sekisho reads the three that bear on civic space and
//! repression, the setting in which surveillance items are misused:
//! - `v2xcs_ccsi`, core civil society index (state control and repression of civil society);
//! - `v2xcl_rol`, equality before the law and individual liberty (torture, political
//!   killings, freedom of movement and religion);
//! - `v2x_freexp_altinf`, freedom of expression and alternative sources of information
//!   (censorship, harassment of journalists).
//!
//! Left out: `v2x_veracc_osp` and `v2x_horacc_osp` (vertical and horizontal accountability:
//! elections and checks between branches) and `v2x_pubcorr` (public-sector corruption).

use std::collections::BTreeMap;
use std::path::Path;

use super::Parsed;
use super::countries::assign_table;
use crate::Error;
use crate::indicators::VdemRecord;

const NAME: &str = "country_name";
const CODE: &str = "country_text_id";
const YEAR: &str = "year";
const CIVIL_SOCIETY: &str = "v2xcs_ccsi";
const LIBERTIES: &str = "v2xcl_rol";
const EXPRESSION: &str = "v2x_freexp_altinf";

/// How V-Dem files write a missing value: an empty cell in the CSV release, "NA" in
/// exports from R.
const NO_VALUE: &[&str] = &["", "NA"];

pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Parsed<VdemRecord>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let headers = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| Error::CsvField {
                path: path.to_path_buf(),
                line: 1,
                column: name.to_string(),
                message: "no such column in the header".into(),
            })
    };
    let (name_c, code_c, year_c) = (column(NAME)?, column(CODE)?, column(YEAR)?);
    let indices = [
        column(CIVIL_SOCIETY)?,
        column(LIBERTIES)?,
        column(EXPRESSION)?,
    ];

    // (code, name) → year → record
    let mut table: BTreeMap<(String, String), BTreeMap<u16, VdemRecord>> = BTreeMap::new();
    for result in reader.records() {
        let record = result.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |col: usize, header: &str| -> Result<&str, Error> {
            match record.get(col).map(str::trim) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(Error::CsvField {
                    path: path.to_path_buf(),
                    line,
                    column: header.to_string(),
                    message: "empty".into(),
                }),
            }
        };
        let bad = |header: &str, message: String| Error::CsvField {
            path: path.to_path_buf(),
            line,
            column: header.to_string(),
            message,
        };
        let name = field(name_c, NAME)?.to_string();
        let code = field(code_c, CODE)?.to_string();
        let year_text = field(year_c, YEAR)?;
        let year: u16 = year_text
            .parse()
            .ok()
            .filter(|y| (1700..=2200).contains(y))
            .ok_or_else(|| bad(YEAR, format!("expected a year, found {year_text:?}")))?;
        let mut values = [None; 3];
        for ((value, &col), header) in
            values
                .iter_mut()
                .zip(&indices)
                .zip([CIVIL_SOCIETY, LIBERTIES, EXPRESSION])
        {
            let text = record.get(col).map(str::trim).unwrap_or("");
            if NO_VALUE.contains(&text) {
                continue;
            }
            let number = text.parse::<f64>().ok().filter(|v| (0.0..=1.0).contains(v));
            *value = Some(number.ok_or_else(|| {
                bad(
                    header,
                    format!("expected a number from 0 to 1, found {text:?}"),
                )
            })?);
        }
        let years = table.entry((code, name.clone())).or_default();
        if years.contains_key(&year) {
            return Err(bad(YEAR, format!("a second row for {name} in {year}")));
        }
        // A year without any of the three values tells nothing; it is not kept.
        if values.iter().any(Option::is_some) {
            years.insert(
                year,
                VdemRecord {
                    year,
                    name,
                    civil_society: values[0],
                    liberties: values[1],
                    expression: values[2],
                },
            );
        }
    }
    if table.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }

    Ok(assign_table(table))
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    Error::Csv {
        path: path.to_path_buf(),
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    }
}
