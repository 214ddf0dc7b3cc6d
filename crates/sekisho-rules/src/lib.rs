//! The rulebook: export-control data imported from official sources, held as one
//! versioned value that the determination engine and classification search read.
//!
//! Sources (the reference files in `../shared/data/control`, see their SOURCE.txt):
//! - US: Commerce Control List (15 CFR 774 Supp. 1), Commerce Country Chart (738 Supp. 1),
//!   Country Groups (740 Supp. 1), the Part 740 licence exceptions;
//! - EU: Regulation (EU) 2021/821 Annex I, the Union General Export Authorisations
//!   EU001–EU008 and Articles 4 and 5;
//! - Japan: 輸出貿易管理令 別表第一 (items 1–16), 別表第三, 別表第三の二, 別表第四,
//!   別表第二の四, from the e-Gov 法令XML, checked against a newer country-list digest.
//!
//! ```no_run
//! let book = sekisho_rules::Rulebook::import(std::path::Path::new("../shared/data/control"))?;
//! let eccn = &book.us.eccns["3A001"];
//! println!("{}: {} reasons, version {}", eccn.code, eccn.reasons.len(), book.version.id);
//! # Ok::<(), sekisho_rules::ImportError>(())
//! ```
//!
//! The importers are the only code that reads files; lookups and search are pure functions
//! over a [`Rulebook`].

mod codes;
mod country;
mod crossref;
mod error;
pub mod glossary;
mod import;
mod lookup;
mod model;
mod search;

pub use codes::{CodeError, Regime, ResolvedCode};
pub use error::ImportError;
pub use lookup::{ChartRow, pattern_matches};
pub use search::{SearchHit, SearchIndex, SearchQuery, search};
pub use model::*;
