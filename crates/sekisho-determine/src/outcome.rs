//! What the engine returns: per jurisdiction an outcome and the chain of reasons behind it.

use serde::{Deserialize, Serialize};

use crate::transaction::Jurisdiction;

/// What one reason contributes, from most to least restrictive. The outcome of a
/// jurisdiction is its most restrictive reason (see [`Outcome::from_effects`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Prohibited,
    LicenceRequired,
    NeedsReview,
    /// A licence requirement that a licence exception / general authorisation overcomes.
    ExceptionAvailable,
    /// Information that neither requires nor clears anything (a caveat, a note).
    Info,
    /// A check that was made and found nothing that requires a licence.
    NoLicenceRequired,
}

/// The answer for one jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Prohibited,
    LicenceRequired,
    NeedsReview,
    LicenceExceptionAvailable,
    NoLicenceRequired,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Prohibited => "prohibited",
            Outcome::LicenceRequired => "licence_required",
            Outcome::NeedsReview => "needs_review",
            Outcome::LicenceExceptionAvailable => "licence_exception_available",
            Outcome::NoLicenceRequired => "no_licence_required",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Outcome::Prohibited => "禁止",
            Outcome::LicenceRequired => "許可が必要",
            Outcome::NeedsReview => "要確認",
            Outcome::LicenceExceptionAvailable => "許可例外・一般許可を利用可能",
            Outcome::NoLicenceRequired => "許可不要",
        }
    }

    /// The most restrictive effect decides. A jurisdiction with no reason at all would be
    /// a silent pass, so it is `needs_review`, never `no_licence_required`.
    pub fn from_effects(effects: impl IntoIterator<Item = Effect>) -> Outcome {
        let mut decisive = None::<Effect>;
        for e in effects {
            if e != Effect::Info {
                decisive = Some(decisive.map_or(e, |d| d.min(e)));
            }
        }
        match decisive {
            Some(Effect::Prohibited) => Outcome::Prohibited,
            Some(Effect::LicenceRequired) => Outcome::LicenceRequired,
            Some(Effect::NeedsReview) | None | Some(Effect::Info) => Outcome::NeedsReview,
            Some(Effect::ExceptionAvailable) => Outcome::LicenceExceptionAvailable,
            Some(Effect::NoLicenceRequired) => Outcome::NoLicenceRequired,
        }
    }
}

/// One step of the reasoning: which rule, under which provision, what it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Stable rule code (`US-CC`, `JP-CATCHALL-EUL`, `EU-ART5-HR`).
    pub rule: String,
    pub effect: Effect,
    pub citation: String,
    pub text_en: String,
    pub text_ja: String,
    /// Where the facts came from: the rulebook source or list hit ("15 CFR 738 Supp. 1 (eCFR
    /// 2026-07-23)", "us_trade_csl csl-123 score 0.97").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// One jurisdiction's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JurisdictionOutcome {
    pub jurisdiction: Jurisdiction,
    pub outcome: Outcome,
    /// The licence exceptions / general authorisations that overcome every licence
    /// requirement found (`LVS`, `GBS`, `ENC`, `EU001`, `JP-SMALL-VALUE`), when the outcome is
    /// `licence_exception_available`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<String>,
    pub reasons: Vec<Reason>,
}

/// The determination of one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Determination {
    pub transaction_id: String,
    /// The imported rulebook version (content hash) the answer rests on.
    pub rulebook_version: String,
    /// Where the authored rules came from ("embedded" or a folder).
    pub authored_rules: String,
    pub outcomes: Vec<JurisdictionOutcome>,
}

impl Determination {
    pub fn outcome(&self, j: Jurisdiction) -> Option<&JurisdictionOutcome> {
        self.outcomes.iter().find(|o| o.jurisdiction == j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_restrictive_effect_decides_and_silence_is_review() {
        use Effect::*;
        assert_eq!(Outcome::from_effects([NoLicenceRequired, LicenceRequired, NeedsReview]), Outcome::LicenceRequired);
        assert_eq!(Outcome::from_effects([ExceptionAvailable, Info, NoLicenceRequired]), Outcome::LicenceExceptionAvailable);
        assert_eq!(Outcome::from_effects([Info]), Outcome::NeedsReview);
        assert_eq!(Outcome::from_effects([]), Outcome::NeedsReview);
        assert_eq!(Outcome::from_effects([Prohibited, LicenceRequired]), Outcome::Prohibited);
    }
}
