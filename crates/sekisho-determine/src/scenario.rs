//! Determination scenarios: reviewable TOML files (prose, the input transaction, the parties'
//! list hits, the expected outcome per jurisdiction with the rule codes expected), run against
//! the real rulebook by this crate's tests. The format is documented in the crate README.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::inputs::{PartyHit, PartyScreening};
use crate::outcome::{Determination, Outcome};
use crate::transaction::{Jurisdiction, TransactionInput};

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub title: String,
    /// What happens and why, for a compliance officer, with the provisions checked.
    pub prose: String,
    pub transaction: TransactionInput,
    /// List hits per party index ("0", "1"); a scenario without this section screens clean.
    #[serde(default)]
    pub hits: BTreeMap<String, Vec<PartyHit>>,
    /// Whether the parties count as screened (default true).
    #[serde(default = "yes")]
    pub screened: bool,
    /// Expected outcome per jurisdiction ("US", "JP", "EU").
    pub expect: BTreeMap<String, Expectation>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub outcome: Outcome,
    /// Rule codes that must appear among the reasons.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Rule codes that must not appear.
    #[serde(default)]
    pub absent: Vec<String>,
    /// Exceptions expected when the outcome is `licence_exception_available`.
    #[serde(default)]
    pub exceptions: Vec<String>,
    /// Substrings the citations of the reasons must contain, together.
    #[serde(default)]
    pub citations: Vec<String>,
    /// Substrings the English texts of the reasons must contain, together.
    #[serde(default)]
    pub texts: Vec<String>,
}

impl Scenario {
    pub fn parse(text: &str) -> Result<Scenario, toml::de::Error> {
        toml::from_str(text)
    }

    pub fn screening(&self) -> PartyScreening {
        let n = self.transaction.parties.len();
        let mut hits = vec![Vec::new(); n];
        for (k, v) in &self.hits {
            if let Ok(i) = k.parse::<usize>()
                && i < n
            {
                hits[i] = v.clone();
            }
        }
        PartyScreening { list_versions: vec!["scenario".into()], hits, screened: self.screened }
    }

    /// Compares a determination with the expectations; each mismatch is one line.
    pub fn check(&self, d: &Determination) -> Vec<String> {
        let mut problems = Vec::new();
        for (j, want) in &self.expect {
            let Some(jur) = Jurisdiction::parse(j) else {
                problems.push(format!("expect.{j}: not a jurisdiction"));
                continue;
            };
            let Some(got) = d.outcome(jur) else {
                problems.push(format!("{j}: no outcome (is it an exporter jurisdiction?)"));
                continue;
            };
            if got.outcome != want.outcome {
                problems.push(format!("{j}: outcome {} (expected {})", got.outcome.as_str(), want.outcome.as_str()));
            }
            let codes: Vec<&str> = got.reasons.iter().map(|r| r.rule.as_str()).collect();
            for r in &want.rules {
                if !codes.contains(&r.as_str()) {
                    problems.push(format!("{j}: rule {r} missing (got {})", codes.join(", ")));
                }
            }
            for r in &want.absent {
                if codes.contains(&r.as_str()) {
                    problems.push(format!("{j}: rule {r} present but expected absent"));
                }
            }
            if !want.exceptions.is_empty() && got.exceptions != want.exceptions {
                problems.push(format!("{j}: exceptions {:?} (expected {:?})", got.exceptions, want.exceptions));
            }
            let citations: String = got.reasons.iter().map(|r| r.citation.as_str()).collect::<Vec<_>>().join(" | ");
            for c in &want.citations {
                if !citations.contains(c.as_str()) {
                    problems.push(format!("{j}: no citation contains {c:?}"));
                }
            }
            let texts: String = got.reasons.iter().map(|r| r.text_en.as_str()).collect::<Vec<_>>().join(" | ");
            for t in &want.texts {
                if !texts.contains(t.as_str()) {
                    problems.push(format!("{j}: no reason text contains {t:?}"));
                }
            }
            for r in &got.reasons {
                for text in [&r.text_en, &r.text_ja, &r.citation] {
                    if text.contains('{') {
                        problems.push(format!("{j}: unfilled placeholder in {}: {text}", r.rule));
                    }
                }
            }
        }
        problems
    }
}
