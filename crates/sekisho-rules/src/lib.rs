//! The rulebook: export-control data imported from official sources, held as one
//! versioned value that the determination engine and classification search read.
//!
//! Sources (the reference files in `../shared/data/control`, see their SOURCE.txt):
//! - US: Commerce Control List (15 CFR 774 Supp. 1), Commerce Country Chart (738 Supp. 1),
//!   Country Groups (740 Supp. 1), the Part 740 licence exceptions;
//! - EU: Regulation (EU) 2021/821 Annex I, the Union General Export Authorisations
//!   EU001–EU008 and Articles 4 and 5;
//! - Japan: 輸出貿易管理令 別表第一 (items 1–16), 別表第三, 別表第三の二, 別表第四,
//!   別表第二の四, from the e-Gov 法令XML, checked against a newer country-list digest;
//!   外国為替及び外国貿易法 (FEFTA) articles with the Ministry of Justice's English.
//!
//! ```no_run
//! let book = sekisho_rules::Rulebook::import(std::path::Path::new("../shared/data/control"))?;
//! let eccn = &book.us.eccns["3A001"];
//! println!("{}: {} reasons, version {}", eccn.code, eccn.reasons.len(), book.version.id);
//! # Ok::<(), sekisho_rules::ImportError>(())
//! ```
//!
//! The importers are the only code that reads files; lookups and search are pure functions
//! over a [`Rulebook`]. What a determination engine should use rather than read raw:
//!
//! - [`CountryChart::row`] applies the chart's caveats: embargoed rows ([`ChartRow::Embargoed`],
//!   no marks, a Part 746 citation), destinations governed by another row (HK → CN), and
//!   destinations with no row at all ([`ChartRow::Unknown`], which must never read as "no
//!   licence required").
//! - [`ReasonControl::column`] is `None` when an ECCN's reason points outside the chart
//!   (`See § 742.6(a)(6)(iii)(A)`, `Refer to § 742.15`); the note says where. The Russian
//!   industry-sector rows (§ 746.8) have reason `RUS`.
//! - [`Eccn::lvs_limit_usd`] holds only when [`Eccn::lvs_conditions`] is also honoured.
//! - [`UsData::notes`] keeps the sources' caveats verbatim (`groups.macau`: Macau is named
//!   beside D:5 but is not in it).
//! - [`Gea::covers`] and [`Gea::destination_listed`] read Part 1 and Part 2 of a GEA; the
//!   conditions of Part 3 and exclusions stated in words stay in [`Gea::text`].
//! - [`Rulebook::resolve_code`] checks a user's code (`3a001.b.2`, `2の項(12)`, `EAR99`).

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
