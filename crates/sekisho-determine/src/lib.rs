//! Licence determination under Japanese, US and EU export-control law.
//!
//! One transaction (item with its classification per regime, destination, parties, declared
//! end use, red flags, authority notices) goes in; per exporter jurisdiction one outcome comes
//! out — `prohibited`, `licence_required`, `needs_review`, `licence_exception_available`
//! (which one: LVS, GBS, ENC, EU001, JP-SMALL-VALUE) or `no_licence_required` — with the
//! chain of reasons behind it, each carrying a stable rule code, a legal citation and a text
//! in English and Japanese.
//!
//! Three inputs feed the engine, none of which it reads itself:
//! - the imported [`sekisho_rules::Rulebook`] (CCL, Country Chart, Country Groups, Annex I,
//!   EU001–EU008, 別表第一, 別表第三 ...);
//! - the [`AuthoredRules`]: what the official tables do not state as data (licence-exception
//!   conditions, catch-all requirements, embargoes, what a list hit means), TOML files in
//!   `rules/` embedded in the binary and overridable with a folder;
//! - the caller's [`PartyScreening`] (list hits of each party) and [`HumanRightsInput`].
//!
//! ```no_run
//! # fn rulebook() -> sekisho_rules::Rulebook { unimplemented!() }
//! use sekisho_determine::{AuthoredRules, HumanRightsInput, PartyScreening, determine, parse_transaction};
//!
//! let rulebook = rulebook(); // e.g. Rulebook::import("../shared/data/control")
//! let rules = AuthoredRules::embedded().unwrap();
//! let tx = parse_transaction(r#"{"id": "T1", "exporter": ["US"], "destination": "CN",
//!     "item": {"description": "MMIC amplifier", "eccn": "3A001.b.2"}}"#, &rulebook).unwrap();
//! let d = determine(&rulebook, &rules, &tx, &PartyScreening::default(), &HumanRightsInput::default());
//! for o in &d.outcomes {
//!     println!("{:?}: {}", o.jurisdiction, o.outcome.as_str());
//! }
//! ```
//!
//! The engine is pure: no I/O, no clock, no randomness. The same inputs give the same
//! determination, which is what the audit trail records.

pub mod authored;
mod engine;
pub mod inputs;
pub mod outcome;
pub mod report;
pub mod scenario;
pub mod transaction;

pub use authored::{AuthoredError, AuthoredRules, RuleDef};
pub use engine::{RULE_CODES, determine};
pub use inputs::{HumanRightsInput, PartyHit, PartyScreening, RiskAssessment, RiskLevel};
pub use outcome::{Determination, Effect, JurisdictionOutcome, Outcome, Reason};
pub use transaction::{InputError, Jurisdiction, Transaction, TransactionInput, parse_input, parse_transaction, validate};
