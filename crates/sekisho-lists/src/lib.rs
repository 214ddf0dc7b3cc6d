//! Parsers for the official formats of restricted-party lists.
//!
//! Each format has a module with two functions: `sniff(&InputFile) -> bool` recognises the
//! format from content, and `parse(&[InputFile]) -> Result<Parsed, ParseError>` turns the
//! files of one source into [`sekisho_model::Entity`] values. [`load`] reads a file or a
//! folder, detects its format and parses it; it touches neither the network nor the store.
//!
//! ```no_run
//! let list = sekisho_lists::load(std::path::Path::new("../shared/data/lists/un-sc-2026-02-27"))?;
//! println!("{}: {} entities, list date {:?}", list.source, list.entities.len(), list.list_date);
//! # Ok::<(), sekisho_lists::Error>(())
//! ```

mod detect;
mod error;
mod load;
mod shared_data;
mod xlsx;

pub mod csl;
pub mod diff;
pub mod dpl;
pub mod ftm;
pub mod meti;
pub mod mof;
pub mod ofac;
pub mod table;
pub mod un;

use std::path::PathBuf;

use sekisho_model::Entity;

pub use detect::{Format, detect};
pub use diff::{EntityChange, ListDiff, PropertyChange, diff};
pub use error::{Error, Location, ParseError};
pub use load::{FileDigest, SourceList, load, load_files};
pub use shared_data::{SHARED_LIST_FOLDERS, property_test_cases, shared_data_dir, shared_list};

/// One input file, read whole. Parsers get bytes, not paths, so that downloads and fuzzers
/// feed them the same way as files on disk; `path` is only for error messages.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> InputFile {
        InputFile { path: path.into(), bytes: bytes.into() }
    }

    /// The file name, for matching the members of a file set (`sdn.csv`, `alt.csv`).
    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default()
    }
}

/// What a parser returns for one source.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub entities: Vec<Entity>,
    /// The date the publisher gave this version of the list (ISO 8601), if the file says.
    pub list_date: Option<String>,
}
