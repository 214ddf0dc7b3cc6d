//! Reading the three indicator files of a folder into an [`IndicatorSet`].
//!
//! Each file is read whole into memory once: the bytes are hashed (SHA-256, stored with the
//! set) and parsed from the same buffer, so the hash always describes what was parsed. The
//! import is all or nothing: any error returns `Err` and no partial set.

mod countries;
mod fiw;
mod vdem;
mod wgi;
mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Error;
use crate::indicators::{CountryIndicators, IndicatorSet, SourceId, SourceInfo, UnmappedName};

/// The WGI file name as the World Bank publishes it.
pub const WGI_FILE: &str = "wgidataset.xlsx";
/// The V-Dem extract's file name.
pub const VDEM_FILE: &str = "vdem_democratic_spaces.csv";
/// Freedom House's all-data workbook starts with this; the years in the name change with
/// each edition ("All_data_FIW_2013-2024.xlsx").
pub const FIW_FILE_PREFIX: &str = "All_data_FIW";

impl IndicatorSet {
    /// Imports Freedom House, WGI and V-Dem from `dir` (the shared data's `human-rights`
    /// folder). All three files must be present and well-formed.
    pub fn import(dir: &Path) -> Result<IndicatorSet, Error> {
        let fiw_path = find_fiw(dir)?;
        let fiw_bytes = read(&fiw_path)?;
        let fiw = fiw::parse(&fiw_path, &fiw_bytes)?;

        let wgi_path = dir.join(WGI_FILE);
        let wgi_bytes = read(&wgi_path)?;
        let wgi = wgi::parse(&wgi_path, &wgi_bytes)?;

        let vdem_path = dir.join(VDEM_FILE);
        let vdem_bytes = read(&vdem_path)?;
        let vdem = vdem::parse(&vdem_path, &vdem_bytes)?;

        let mut countries: BTreeMap<String, CountryIndicators> = BTreeMap::new();
        let mut unmapped: Vec<UnmappedName> = Vec::new();
        let mut sources = Vec::with_capacity(3);

        sources.push(source_info(
            SourceId::FreedomHouse,
            &fiw_path,
            &fiw_bytes,
            &fiw.rows,
            |r| r.1.edition,
        ));
        sources.push(source_info(
            SourceId::Wgi,
            &wgi_path,
            &wgi_bytes,
            &wgi.rows,
            |r| r.1.year,
        ));
        sources.push(source_info(
            SourceId::Vdem,
            &vdem_path,
            &vdem_bytes,
            &vdem.rows,
            |r| r.1.year,
        ));

        for (iso2, record) in fiw.rows {
            country(&mut countries, iso2).fiw.push(record);
        }
        for (iso2, record) in wgi.rows {
            country(&mut countries, iso2).wgi.push(record);
        }
        for (iso2, record) in vdem.rows {
            country(&mut countries, iso2).vdem.push(record);
        }
        for c in countries.values_mut() {
            c.fiw.sort_by_key(|r| r.edition);
            c.wgi.sort_by_key(|r| r.year);
            c.vdem.sort_by_key(|r| r.year);
        }
        for (source, set) in [
            (SourceId::FreedomHouse, fiw.unmapped),
            (SourceId::Wgi, wgi.unmapped),
            (SourceId::Vdem, vdem.unmapped),
        ] {
            unmapped.extend(set.into_iter().map(|(name, reason)| UnmappedName {
                source,
                name,
                reason,
            }));
        }
        for s in &mut sources {
            s.countries = countries.values().filter(|c| c.has(s.id)).count();
        }
        Ok(IndicatorSet {
            sources,
            countries,
            unmapped,
        })
    }
}

fn country<'a>(
    countries: &'a mut BTreeMap<String, CountryIndicators>,
    iso2: &str,
) -> &'a mut CountryIndicators {
    countries
        .entry(iso2.to_string())
        .or_insert_with(|| CountryIndicators {
            iso2: iso2.to_string(),
            ..CountryIndicators::default()
        })
}

/// What one file parser returns: rows already assigned to ISO-2 codes, and the names it
/// could not assign with the reason.
pub(crate) struct Parsed<R> {
    pub rows: Vec<(&'static str, R)>,
    pub unmapped: Vec<(String, String)>,
}

fn source_info<R>(
    id: SourceId,
    path: &Path,
    bytes: &[u8],
    rows: &[(&'static str, R)],
    year: impl Fn(&(&'static str, R)) -> u16,
) -> SourceInfo {
    let first_year = rows.iter().map(&year).min().unwrap_or(0);
    let last_year = rows.iter().map(&year).max().unwrap_or(0);
    let data_date = match id {
        SourceId::FreedomHouse => format!(
            "Freedom in the World editions {first_year}-{last_year} (the {last_year} edition rates events of {})",
            last_year.saturating_sub(1)
        ),
        SourceId::Wgi => {
            format!("Worldwide Governance Indicators, data years {first_year}-{last_year}")
        }
        SourceId::Vdem => {
            format!("V-Dem democratic-space indices, data years {first_year}-{last_year}")
        }
    };
    SourceInfo {
        id,
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: hex::encode(Sha256::digest(bytes)),
        first_year,
        last_year,
        data_date,
        credit: id.credit().to_string(),
        licence: id.licence().to_string(),
        countries: 0,
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|error| Error::Io {
        path: path.to_path_buf(),
        error,
    })
}

/// The Freedom House workbook in `dir`: the one file named `All_data_FIW*.xlsx` (the last
/// by name if there are several, i.e. the newest editions).
fn find_fiw(dir: &Path) -> Result<PathBuf, Error> {
    let entries = std::fs::read_dir(dir).map_err(|error| Error::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    let mut found: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| Error::Io {
            path: dir.to_path_buf(),
            error,
        })?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(FIW_FILE_PREFIX) && name.ends_with(".xlsx") {
            found.push(entry.path());
        }
    }
    found.sort();
    found.pop().ok_or_else(|| Error::MissingFile {
        dir: dir.to_path_buf(),
        what: format!("Freedom House workbook ({FIW_FILE_PREFIX}*.xlsx)"),
    })
}
