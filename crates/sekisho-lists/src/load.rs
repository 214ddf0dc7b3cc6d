//! Reading one source's files from disk and parsing them.

use std::path::{Path, PathBuf};

use sekisho_model::Entity;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, Format, InputFile, detect};

/// Files in a list folder that are documentation, not data.
const IGNORED: [&str; 4] = ["source.txt", "readme.md", "readme.txt", "license.txt"];

/// One source's list, parsed, with what a snapshot records about it.
#[derive(Debug, Clone)]
pub struct SourceList {
    /// Dataset name (`us_ofac_sdn`, `un_sc_sanctions`, ...).
    pub source: String,
    pub format: Format,
    pub publisher: String,
    pub list_date: Option<String>,
    pub files: Vec<FileDigest>,
    pub entities: Vec<Entity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Loads a list from a file, or from a folder holding one source's files.
pub fn load(path: &Path) -> Result<SourceList, Error> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let mut paths: Vec<PathBuf> = if path.is_dir() {
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io)? {
            let p = entry.map_err(io)?.path();
            let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
            if p.is_file() && !name.starts_with('.') && !IGNORED.contains(&name.as_str()) {
                paths.push(p);
            }
        }
        paths
    } else {
        vec![path.to_path_buf()]
    };
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for p in paths {
        let bytes = std::fs::read(&p).map_err(|source| Error::Io { path: p.clone(), source })?;
        files.push(InputFile { path: p, bytes });
    }
    load_files(path, files)
}

/// Detects the format of files already in memory (e.g. a download) and parses them as one
/// source. All files must be of the same format.
pub fn load_files(origin: &Path, files: Vec<InputFile>) -> Result<SourceList, Error> {
    let format_error = |message: String| Error::Format { path: origin.to_path_buf(), message };
    let Some(first) = files.first() else {
        return Err(format_error("no list files found".into()));
    };
    if let Some(empty) = files.iter().find(|f| f.bytes.is_empty()) {
        return Err(Error::Format { path: empty.path.clone(), message: "empty file".into() });
    }
    let format = detect(first).ok_or_else(|| {
        Error::Format {
            path: first.path.clone(),
            message: "not a list format sekisho knows (OFAC SDN CSV, UN XML, trade.gov CSL, \
                      BIS DPL, METI or MOF Excel, FtM JSON)"
                .into(),
        }
    })?;
    if let Some(other) = files.iter().find(|f| !format.sniff(f)) {
        return Err(Error::Format {
            path: other.path.clone(),
            message: format!("does not belong to the {format} list beside it; one source per folder"),
        });
    }
    let parsed = format.parse(&files)?;
    let source = match format {
        Format::FtmJson => ftm_source(&parsed.entities, &files[0]),
        _ => format.source().to_string(),
    };
    let digests = files
        .iter()
        .map(|f| FileDigest {
            name: f.file_name(),
            sha256: hex::encode(Sha256::digest(&f.bytes)),
            bytes: f.bytes.len() as u64,
        })
        .collect();
    Ok(SourceList {
        source,
        format,
        publisher: format.publisher().to_string(),
        list_date: parsed.list_date,
        files: digests,
        entities: parsed.entities,
    })
}

/// FtM exports name their dataset on each entity; a file without one is named by its stem.
fn ftm_source(entities: &[Entity], file: &InputFile) -> String {
    entities
        .first()
        .map(|e| e.provenance.source.clone())
        .filter(|s| s != "ftm")
        .unwrap_or_else(|| {
            file.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or("ftm".into())
        })
}
