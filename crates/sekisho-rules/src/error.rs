//! Import errors: each names the file and the place in it (a JSON path such as
//! `entries[12].countryChart[0]`, an XML element path, or a line), so a bad file can be
//! found and fixed without reading the importer.

use std::path::PathBuf;

/// Why a rulebook could not be imported. Nothing is imported when any source fails.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: not valid JSON: {message}", path.display())]
    Json { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{}:{line}: not valid XML: {message}", path.display())]
    Xml { path: PathBuf, line: usize, message: String },
    /// A required file is not in the import folder.
    #[error("{}: missing: {what}", path.display())]
    Missing { path: PathBuf, what: String },
    /// A value is missing or has the wrong shape.
    #[error("{}: {at}: {message}", path.display())]
    Field { path: PathBuf, at: String, message: String },
    /// A country name that the ISO-2 tables do not know. Never dropped silently: a rule
    /// keyed on a country that went missing would answer "no licence required".
    #[error("{}: {at}: unknown country {name:?}", path.display())]
    UnknownCountry { path: PathBuf, at: String, name: String },
    /// Two sources disagree where they must agree (e.g. a stated count).
    #[error("{}: {at}: {message}", path.display())]
    Inconsistent { path: PathBuf, at: String, message: String },
}

impl ImportError {
    /// Shorthand for the common [`ImportError::Field`].
    pub(crate) fn field(path: &std::path::Path, at: impl Into<String>, message: impl Into<String>) -> Self {
        ImportError::Field { path: path.to_path_buf(), at: at.into(), message: message.into() }
    }
}
