//! The one entity model that every restricted-party list is parsed into.
//!
//! An [`Entity`] is a person, organisation, vessel or aircraft as one list publishes it:
//! its names with their kind, countries as ISO-2 codes, partial birth dates, addresses,
//! identifiers, sanctions programmes, the list-specific facts that rules need (Entity List
//! licence requirement, METI concern types, MOF regime) and the provenance of the record.
//!
//! Entities serialise to and from FollowTheMoney (FtM) JSON, the exchange format of the
//! sanctions-data ecosystem:
//!
//! ```
//! use sekisho_model::{Entity, NameKind, Schema};
//!
//! let mut e = Entity::new("un-6908555", Schema::Person, "un_sc_sanctions", "KPi.033");
//! e.add_name("KIM JONG UN", NameKind::Primary);
//! e.add_name("김정은", NameKind::OriginalScript);
//! e.add_country("KP");
//! let ftm = e.to_ftm();
//! assert_eq!(ftm["properties"]["name"][0], "KIM JONG UN");
//! assert_eq!(Entity::from_ftm(&ftm).unwrap().names, e.names);
//! ```

mod date;
mod entity;
mod ftm;
mod id;
mod script;

pub mod country;
pub mod suggest;

pub use date::{DateError, PartialDate, english_month};
pub use entity::{
    Address, Entity, Identifier, IdentifierKind, ListFacts, MetiConcern, Name, NameKind,
    Provenance, Schema,
};
pub use ftm::FtmError;
pub use id::stable_id;
pub use script::{Script, dominant_script};
