//! The determination engine: pure functions from a checked transaction, the rulebook, the
//! authored rules, the parties' list hits and the human-rights assessment to one outcome per
//! jurisdiction with its chain of reasons.

mod coverage;
mod eu;
mod jp;
mod parties;
mod us;

use sekisho_rules::Rulebook;

use crate::authored::{AuthoredRules, DestinationRule, fill};
use crate::inputs::{HumanRightsInput, PartyScreening};
use crate::outcome::{Determination, Effect, JurisdictionOutcome, Outcome, Reason};
use crate::transaction::{EndUse, Jurisdiction, Transaction};

pub use parties::ClassifiedHit;

/// Every rule code the engine applies; the authored files must define each exactly once.
/// (`US-CC` also stands for the per-column codes `US-CC-NS1`, `US-CC-AT1`, ...)
pub const RULE_CODES: &[&str] = &[
    // United States
    "US-CC", "US-CC-NOMARK", "US-CC-SCOPE", "US-CC-ELSEWHERE", "US-CC-NOROW", "US-CC-TERRITORY",
    "US-EI", "US-ALLDEST", "US-EAR99", "US-UN-746", "US-746-CU", "US-746-IR", "US-746-KP", "US-746-SY",
    "US-746-RUBY", "US-LE-LVS", "US-LE-GBS", "US-LE-ENC", "US-LE-CONDITIONAL", "US-LE-BARRED",
    "US-EL", "US-MEU", "US-MEU-ENDUSE", "US-744-WMD", "US-IS-INFORMED", "US-DPL", "US-SDN", "US-UVL",
    "US-LIST-OTHER", "US-REDFLAG",
    // Japan
    "JP-LISTED", "JP-LISTED-GROUPA", "JP-SMALL-VALUE", "JP-NOTLISTED", "JP-CATCHALL-GROUPA",
    "JP-CATCHALL-INFORM", "JP-CATCHALL-WMD-USE", "JP-CATCHALL-EUL", "JP-CATCHALL-CONV-USE",
    "JP-CATCHALL-CLEAR", "JP-EUL-LISTED", "JP-EMB-KP", "JP-2-RUBY", "JP-MOF-FREEZE", "JP-REDFLAG",
    // European Union
    "EU-ART3", "EU-GEA-EU001", "EU-GEA-EU001-NA", "EU-NOTLISTED", "EU-ART4-INFORMED", "EU-ART4-AWARE",
    "EU-ART5-INFORMED", "EU-ART5-AWARE", "EU-ART5-HR", "EU-ART15-HR", "EU-EMB-RU", "EU-EMB-BY",
    "EU-EMB-KP", "EU-EMB-IR", "EU-EMB-SY", "EU-REDFLAG", "EU-INTRA",
    // Every jurisdiction
    "UN-FREEZE", "SCREEN-POSSIBLE", "SCREEN-CLEAR", "SCREEN-NOT-DONE", "SCREEN-UNMAPPED", "PARTIES-NONE",
];

/// Determines the transaction under each of its exporter jurisdictions.
///
/// `screening` holds each party's list hits (the caller screens, the engine interprets);
/// `human_rights` the assessment of the destination for the end user, which Art. 5 needs for
/// cyber-surveillance items.
pub fn determine(
    rulebook: &Rulebook,
    authored: &AuthoredRules,
    tx: &Transaction,
    screening: &PartyScreening,
    human_rights: &HumanRightsInput,
) -> Determination {
    let ctx = Ctx::new(rulebook, authored, tx, screening, human_rights);
    let outcomes = tx
        .exporters
        .iter()
        .map(|&j| {
            let mut reasons = match j {
                Jurisdiction::US => us::determine(&ctx),
                Jurisdiction::JP => jp::determine(&ctx),
                Jurisdiction::EU => eu::determine(&ctx),
            };
            reasons.extend(parties::common_reasons(&ctx, j));
            finish(j, reasons)
        })
        .collect();
    Determination {
        transaction_id: tx.id.clone(),
        rulebook_version: rulebook.version.id.clone(),
        authored_rules: authored.origin.clone(),
        outcomes,
    }
}

fn finish(jurisdiction: Jurisdiction, reasons: Vec<Reason>) -> JurisdictionOutcome {
    let outcome = Outcome::from_effects(reasons.iter().map(|r| r.effect));
    let exceptions = if outcome == Outcome::LicenceExceptionAvailable {
        reasons.iter().filter(|r| r.effect == Effect::ExceptionAvailable).filter_map(|r| exception_symbol(&r.rule)).collect()
    } else {
        Vec::new()
    };
    JurisdictionOutcome { jurisdiction, outcome, exceptions, reasons }
}

/// `US-LE-LVS` → `LVS`, `EU-GEA-EU001` → `EU001`, `JP-SMALL-VALUE` → `JP-SMALL-VALUE`.
fn exception_symbol(code: &str) -> Option<String> {
    if let Some(s) = code.strip_prefix("US-LE-") {
        return Some(s.to_string());
    }
    if let Some(s) = code.strip_prefix("EU-GEA-") {
        return Some(s.to_string());
    }
    (code == "JP-SMALL-VALUE").then(|| code.to_string())
}

/// What every rule module reads.
pub(crate) struct Ctx<'a> {
    pub rb: &'a Rulebook,
    pub ar: &'a AuthoredRules,
    pub tx: &'a Transaction,
    pub screening: &'a PartyScreening,
    pub hits: Vec<ClassifiedHit<'a>>,
    pub hr: &'a HumanRightsInput,
}

impl<'a> Ctx<'a> {
    fn new(rb: &'a Rulebook, ar: &'a AuthoredRules, tx: &'a Transaction, screening: &'a PartyScreening, hr: &'a HumanRightsInput) -> Ctx<'a> {
        let hits = parties::classify(ar, tx, screening);
        Ctx { rb, ar, tx, screening, hits, hr }
    }

    /// A reason of rule `code` with the texts filled in.
    pub fn reason(&self, code: &str, effect: Effect, vars: &[(&str, &str)]) -> Reason {
        self.reason_as(code, code, effect, vars)
    }

    /// A reason reported under `shown` (e.g. `US-CC-NS2`) from the definition of `code`.
    pub fn reason_as(&self, code: &str, shown: &str, effect: Effect, vars: &[(&str, &str)]) -> Reason {
        let def = self.ar.rule(code);
        let mut all: Vec<(&str, &str)> = vec![("destination", &self.tx.destination), ("destination_name", self.destination_name())];
        all.extend_from_slice(vars);
        Reason {
            rule: shown.to_string(),
            effect,
            citation: fill(&def.citation, &all),
            text_en: fill(&def.text_en, &all),
            text_ja: fill(&def.text_ja, &all),
            evidence: None,
        }
    }

    pub fn destination_name(&self) -> &'static str {
        sekisho_model::country::name_en(&self.tx.destination).unwrap_or("?")
    }

    pub fn declares(&self, uses: &[String]) -> Option<EndUse> {
        self.tx.declares_any(uses)
    }

    /// The destination-wide measure for the destination, if any.
    pub fn destination_rule<'r>(&self, rules: &'r [DestinationRule]) -> Option<&'r DestinationRule> {
        rules.iter().find(|d| d.country == self.tx.destination)
    }

    /// Certain hits (confirmed or at/above the certain score) whose list maps to `rule`.
    pub fn certain_hits(&self, rule: &str) -> impl Iterator<Item = &ClassifiedHit<'a>> {
        self.hits.iter().filter(move |h| h.certain && h.rule == Some(rule))
    }
}

/// With evidence attached.
pub(crate) fn with_evidence(mut reason: Reason, evidence: String) -> Reason {
    reason.evidence = Some(evidence);
    reason
}
