//! World Bank, Worldwide Governance Indicators (`wgidataset.xlsx`): one row per country,
//! year and indicator, in long form. sekisho reads Voice and Accountability ("va") and Rule
//! of Law ("rl"); the other four dimensions (corruption, government effectiveness,
//! political stability, regulatory quality) bear less directly on repression.
//!
//! ".." marks a value the World Bank did not estimate; a country-year with neither value is
//! not kept.

use std::collections::BTreeMap;
use std::path::Path;

use super::Parsed;
use super::countries::assign_table;
use super::xlsx::Sheet;
use crate::Error;
use crate::indicators::{WgiRecord, WgiValue};

const CODE: &str = "code";
const NAME: &str = "countryname";
const YEAR: &str = "year";
const INDICATOR: &str = "indicator";
const ESTIMATE: &str = "estimate";
const PCTRANK: &str = "pctrank";

/// The World Bank's mark for "no estimate".
const NO_VALUE: &[&str] = &["..", ""];

pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Parsed<WgiRecord>, Error> {
    let required = [CODE, NAME, YEAR, INDICATOR, ESTIMATE, PCTRANK];
    let sheet = Sheet::open(
        path,
        bytes,
        "a sheet with the WGI columns",
        |_| true,
        &required,
    )?;
    let code_c = sheet.column(CODE)?;
    let name_c = sheet.column(NAME)?;
    let year_c = sheet.column(YEAR)?;
    let ind_c = sheet.column(INDICATOR)?;
    let est_c = sheet.column(ESTIMATE)?;
    let pct_c = sheet.column(PCTRANK)?;

    // (code, name) → year → record
    let mut table: BTreeMap<(String, String), BTreeMap<u16, WgiRecord>> = BTreeMap::new();
    let mut any_row = false;
    for row in sheet.rows() {
        any_row = true;
        let indicator = row.text(ind_c)?;
        let is_va = match indicator.as_str() {
            "va" => true,
            "rl" => false,
            "cc" | "ge" | "pv" | "rq" => continue,
            other => {
                return Err(row.error(
                    ind_c,
                    format!("unknown indicator {other:?} (expected va, pv, ge, rq, rl or cc)"),
                ));
            }
        };
        let code = row.text(code_c)?;
        let name = row.text(name_c)?;
        let year = row.integer(year_c, 1990..=2200)? as u16;
        let estimate = row.number(est_c, NO_VALUE)?;
        let percentile = row.number(pct_c, NO_VALUE)?;
        let value = match (estimate, percentile) {
            (Some(estimate), Some(percentile)) => {
                if !(0.0..=100.0).contains(&percentile) {
                    return Err(row.error(
                        pct_c,
                        format!("percentile rank {percentile} is outside 0-100"),
                    ));
                }
                if !(-5.0..=5.0).contains(&estimate) {
                    return Err(row.error(est_c, format!("estimate {estimate} is outside -5..5")));
                }
                Some(WgiValue {
                    estimate,
                    percentile,
                })
            }
            (None, None) => None,
            (Some(_), None) => {
                return Err(row.error(pct_c, "an estimate without a percentile rank"));
            }
            (None, Some(_)) => {
                return Err(row.error(est_c, "a percentile rank without an estimate"));
            }
        };
        let record = table
            .entry((code, name.clone()))
            .or_default()
            .entry(year)
            .or_insert_with(|| WgiRecord {
                year,
                name,
                voice_accountability: None,
                rule_of_law: None,
            });
        let slot = if is_va {
            &mut record.voice_accountability
        } else {
            &mut record.rule_of_law
        };
        if slot.is_some() {
            return Err(row.error(
                ind_c,
                format!("a second {indicator:?} row for this country and year"),
            ));
        }
        *slot = value;
    }
    if !any_row {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }

    let mut parsed = assign_table(table);
    parsed
        .rows
        .retain(|(_, r)| r.voice_accountability.is_some() || r.rule_of_law.is_some());
    Ok(parsed)
}
