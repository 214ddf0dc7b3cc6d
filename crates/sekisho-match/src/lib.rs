//! Multilingual name matching with explanations: the screening core of sekisho.
//!
//! Build an immutable [`ScreeningIndex`] from list entities once, then screen names against
//! it. Names in any script are folded ([`normalize`]), turned into Latin keys per script
//! ([`translit`], [`keys`]), looked up in an inverted index for candidates, and scored by
//! aligning tokens ([`score`]). Every [`Match`] says which query token met which listed
//! token through which key, and what each feature contributed.
//!
//! ```
//! use sekisho_match::{Query, ScreenOptions, ScreeningIndexBuilder};
//! use sekisho_model::{Entity, NameKind, Schema};
//!
//! let mut kim = Entity::new("un-1", Schema::Person, "un_sc_sanctions", "KPi.1");
//! kim.add_name("KIM JONG UN", NameKind::Primary);
//! let index = ScreeningIndexBuilder::new().build(&[kim]);
//! let matches = index.screen(&Query::name("김정은"), &ScreenOptions::default());
//! assert_eq!(matches[0].entity_id, "un-1");
//! ```
//! (No I/O, no async: callers load entities and run this on their own threads.)

pub mod index;
pub mod keys;
pub mod normalize;
pub mod org;
pub mod score;
pub mod similarity;
pub mod translit;

mod compiled;
mod explain;
mod screen;

pub use explain::{Explanation, Feature, TokenExplanation};
pub use index::{ScreeningIndex, ScreeningIndexBuilder};
pub use screen::{CANDIDATE_NAMES, Comparison, Match, PreparedName, PreparedNames, Query, ScreenOptions, compare};

/// The one documented operating threshold: a score at or above it is an alert.
pub const OPERATING_THRESHOLD: f64 = 0.80;
