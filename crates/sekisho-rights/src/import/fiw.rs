//! Freedom House, Freedom in the World: the all-data workbook (`All_data_FIW_2013-2024.xlsx`,
//! sheet `FIW13-24`), one row per country or territory and edition.
//!
//! Territories ("t" in the C/T column) are rated apart from the state that holds or claims
//! them. A territory row is used only when its name has an ISO-2 code of its own that no
//! country row has (Hong Kong, Puerto Rico, Western Sahara); one that would fall on a
//! country (Crimea on Ukraine, Tibet on China) or that has no code (Abkhazia, Somaliland)
//! is reported as unmapped: the state's own rating stands for its territory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sekisho_model::country::to_iso2;

use super::Parsed;
use super::countries::{Candidate, assign};
use super::xlsx::Sheet;
use crate::Error;
use crate::indicators::{FiwRecord, FiwStatus};

const NAME: &str = "Country/Territory";
const KIND: &str = "C/T";
const EDITION: &str = "Edition";
const STATUS: &str = "Status";
const PR: &str = "PR rating";
const CL: &str = "CL rating";
const TOTAL: &str = "Total";

pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Parsed<FiwRecord>, Error> {
    let sheet = Sheet::open(
        path,
        bytes,
        "FIW… (the all-data sheet)",
        |n| n.starts_with("FIW"),
        &[NAME, KIND, EDITION, STATUS, PR, CL, TOTAL],
    )?;
    let name_c = sheet.column(NAME)?;
    let kind_c = sheet.column(KIND)?;
    let edition_c = sheet.column(EDITION)?;
    let status_c = sheet.column(STATUS)?;
    let pr_c = sheet.column(PR)?;
    let cl_c = sheet.column(CL)?;
    let total_c = sheet.column(TOTAL)?;

    let mut records: Vec<FiwRecord> = Vec::new();
    let mut row_numbers: Vec<usize> = Vec::new();
    for row in sheet.rows() {
        row_numbers.push(row.number);
        let name = row.text(name_c)?;
        let territory = match row.text(kind_c)?.as_str() {
            "c" | "C" => false,
            "t" | "T" => true,
            other => {
                return Err(row.error(kind_c, format!("expected \"c\" or \"t\", found {other:?}")));
            }
        };
        let status = match row.text(status_c)?.as_str() {
            "F" => FiwStatus::F,
            "PF" => FiwStatus::PF,
            "NF" => FiwStatus::NF,
            other => {
                return Err(row.error(status_c, format!("expected F, PF or NF, found {other:?}")));
            }
        };
        records.push(FiwRecord {
            edition: row.integer(edition_c, 1972..=2200)? as u16,
            name,
            territory,
            status,
            pr_rating: row.integer(pr_c, 1..=7)? as u8,
            cl_rating: row.integer(cl_c, 1..=7)? as u8,
            // Political Rights can go below 0 through the discretionary question (-4 at worst).
            total: row.integer(total_c, -4..=100)? as i16,
        });
    }
    if records.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    let (assigned, unmapped) = assign_names(&records);
    let mut seen = BTreeSet::new();
    let mut rows = Vec::with_capacity(records.len());
    for (record, row) in records.into_iter().zip(row_numbers) {
        let Some(&iso2) = assigned.get(&record.name) else {
            continue;
        };
        if !seen.insert((iso2, record.edition)) {
            return Err(Error::Cell {
                path: path.to_path_buf(),
                sheet: sheet.name().to_string(),
                row,
                column: NAME.into(),
                message: format!("a second row for {iso2} in edition {}", record.edition),
            });
        }
        rows.push((iso2, record));
    }
    Ok(Parsed { rows, unmapped })
}

/// Name → ISO-2 for the names to use, and the names left out with the reason.
fn assign_names(records: &[FiwRecord]) -> (BTreeMap<String, &'static str>, Vec<(String, String)>) {
    // One candidate per name, with its editions and whether it is a territory.
    let mut by_name: BTreeMap<&str, (u16, u16, bool)> = BTreeMap::new();
    for r in records {
        let e = by_name
            .entry(&r.name)
            .or_insert((r.edition, r.edition, r.territory));
        e.0 = e.0.min(r.edition);
        e.1 = e.1.max(r.edition);
        e.2 |= r.territory;
    }
    let countries: Vec<Candidate> = by_name
        .iter()
        .filter(|(_, v)| !v.2)
        .map(|(name, v)| Candidate {
            code: None,
            name: name.to_string(),
            first_year: v.0,
            last_year: v.1,
        })
        .collect();
    let (accepted, mut unmapped) = assign(&countries);
    let mut out: BTreeMap<String, &'static str> = accepted
        .iter()
        .map(|(&i, &iso2)| (countries[i].name.clone(), iso2))
        .collect();
    let country_codes: BTreeSet<&str> = out.values().copied().collect();

    let territories: Vec<(&str, Option<&'static str>)> = by_name
        .iter()
        .filter(|(_, v)| v.2)
        .map(|(name, _)| (*name, to_iso2(name)))
        .collect();
    for &(name, code) in &territories {
        let shared = territories
            .iter()
            .filter(|(n, c)| *n != name && c.is_some() && *c == code)
            .count();
        let reason = match code {
            None => "territory without an ISO 3166-1 code of its own; not used".to_string(),
            Some(iso2) if country_codes.contains(iso2) => {
                format!(
                    "territory rated apart from {iso2}; {iso2}'s own country rating is used for {iso2}"
                )
            }
            Some(iso2) if shared > 0 => {
                format!(
                    "territory that shares {iso2} with another rated territory; neither is used"
                )
            }
            Some(iso2) => {
                out.insert(name.to_string(), iso2);
                continue;
            }
        };
        unmapped.push((name.to_string(), reason));
    }
    (out, unmapped)
}
