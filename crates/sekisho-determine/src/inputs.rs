//! What the caller supplies besides the transaction: the parties' list hits and the
//! human-rights assessment. The engine does no screening and reads no data itself.

use serde::{Deserialize, Serialize};
use sekisho_model::ListFacts;

/// The list hits of each party, in the order of `Transaction::parties`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PartyScreening {
    /// Which list snapshots the parties were screened against (for the record).
    #[serde(default)]
    pub list_versions: Vec<String>,
    /// `hits[i]` are the hits of party `i`; missing entries mean no hit.
    #[serde(default)]
    pub hits: Vec<Vec<PartyHit>>,
    /// Whether the parties were screened at all. When false the engine says so in every
    /// jurisdiction (needs review): an unscreened party is not a clean party.
    #[serde(default)]
    pub screened: bool,
}

/// One list entry that a party's name matched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartyHit {
    /// Source dataset: `us_trade_csl`, `us_bis_dpl`, `us_ofac_sdn`, `un_sc_sanctions`,
    /// `jp_meti_end_user`, `jp_mof_asset_freeze`.
    pub source: String,
    pub entity_id: String,
    /// The listed party's primary name.
    pub caption: String,
    pub score: f64,
    /// A reviewer confirmed that the party is the listed one.
    #[serde(default)]
    pub confirmed: bool,
    /// How the names matched, in words.
    #[serde(default)]
    pub explanation: String,
    /// Facts the list publishes (Entity List licence requirement and policy, METI concern
    /// types, MOF regime).
    #[serde(default)]
    pub facts: ListFacts,
    /// Sanctions programmes (UN regime, OFAC programme).
    #[serde(default)]
    pub programs: Vec<String>,
}

impl PartyHit {
    /// The list inside the source ("Entity List (EL) - Bureau of Industry and Security").
    pub fn list_name(&self) -> &str {
        self.facts.list.as_deref().unwrap_or(&self.source)
    }
}

pub use sekisho_rights::{RiskAssessment, RiskLevel};

/// The human-rights input: `sekisho_rights::assess` of the destination for the end user,
/// when the caller made one (it should for cyber-surveillance items; without one the engine
/// reports the risk as unknown and asks for review).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HumanRightsInput {
    pub assessment: Option<RiskAssessment>,
}
