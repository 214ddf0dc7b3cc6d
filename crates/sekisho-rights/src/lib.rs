//! Human-rights risk of an export destination and end user.
//!
//! Export controls on cyber-surveillance items ask whether an item may serve internal
//! repression or serious violations of human rights: Regulation (EU) 2021/821 Art. 5 and
//! recital 8, the Export Controls and Human Rights Initiative Code of Conduct (2023), and
//! Japan's 2022 guidelines on respecting human rights in supply chains. This crate gives
//! that question a documented, explainable answer from published country indicators:
//!
//! 1. [`IndicatorSet::import`] reads Freedom House's Freedom in the World, the World
//!    Bank's Worldwide Governance Indicators and V-Dem's democratic-space indices from one
//!    folder, maps every country to ISO 3166-1 alpha-2, keeps each value with its year, and
//!    each source with its file SHA-256, data years, credit line and licence. Names that
//!    cannot be mapped are listed in [`IndicatorSet::unmapped`], not dropped silently.
//! 2. [`Thresholds`] are data (`data/thresholds.toml`, our own authored values, each with
//!    a comment saying why), checked on load.
//! 3. [`assess`] (pure, no I/O) combines the destination's latest indicators with the end
//!    user's type into [`RiskLevel`] low / medium / high, or `unknown` when the data cannot
//!    support a finding, with a reason for every input in English and Japanese.
//!
//! ```no_run
//! use sekisho_rights::{EndUserType, IndicatorSet, RiskLevel, Thresholds, assess};
//!
//! let set = IndicatorSet::import("../shared/data/human-rights".as_ref())?;
//! let th = Thresholds::default_bundled();
//! let a = assess(&set, "KP", EndUserType::SecurityService, &th);
//! assert_eq!(a.level, RiskLevel::High);
//! for r in &a.reasons {
//!     println!("{} {}\n    {}", r.code, r.text_en, r.text_ja);
//! }
//! # Ok::<(), sekisho_rights::Error>(())
//! ```

mod assess;
mod error;
mod import;
mod indicators;
mod thresholds;

pub use assess::{
    CITATION_DESTINATION, CITATION_END_USER, Effect, EndUserType, RiskAssessment, RiskLevel,
    RiskReason, assess,
};
pub use error::Error;
pub use import::{FIW_FILE_PREFIX, VDEM_FILE, WGI_FILE};
pub use indicators::{
    CountryIndicators, FiwRecord, FiwStatus, IndicatorSet, SourceId, SourceInfo, UnmappedName,
    VdemRecord, WgiRecord, WgiValue,
};
pub use thresholds::{
    BUNDLED_TOML, DataThresholds, FreedomHouseThresholds, LevelRules, Thresholds, VdemThresholds,
    WgiThresholds,
};
