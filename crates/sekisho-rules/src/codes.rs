//! Control-list codes as people type them ("3a001.a.1", "2の項(12)", "EAR99") checked
//! against the rulebook and written one way, so a classification record never holds a code
//! the rulebook does not know.

use std::fmt;
use std::str::FromStr;

use sekisho_model::suggest::did_you_mean;
use serde::{Deserialize, Serialize};

use crate::Rulebook;

/// The three regimes the rulebook holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    Jp,
    Us,
    Eu,
}

impl Regime {
    pub const ALL: [Regime; 3] = [Regime::Jp, Regime::Us, Regime::Eu];

    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Jp => "jp",
            Regime::Us => "us",
            Regime::Eu => "eu",
        }
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Regime {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "jp" | "japan" => Ok(Regime::Jp),
            "us" | "ear" => Ok(Regime::Us),
            "eu" => Ok(Regime::Eu),
            _ => Err(CodeError::UnknownRegime(s.to_string())),
        }
    }
}

/// A classification outcome for one regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedCode {
    pub regime: Regime,
    /// Canonical form: "3A001.a.1", "2-12", "not-listed", "EAR99".
    pub code: String,
    /// The rulebook entry it falls under ("3A001", "2-12"); `None` for not-listed / EAR99.
    pub entry: Option<String>,
    /// Legal citation of the entry, or of what "not listed" means in that regime.
    pub citation: String,
    /// The entry's heading (first line of its text).
    pub heading: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("unknown regime {0:?}: use jp, us or eu")]
    UnknownRegime(String),
    #[error("{regime}: {code:?} is not in the rulebook{}", suggestion.as_ref().map(|s| format!(" (did you mean {s}?)")).unwrap_or_default())]
    Unknown { regime: Regime, code: String, suggestion: Option<String> },
    #[error("EAR99 is a US designation; for {0} use not-listed")]
    Ear99OutsideUs(Regime),
    #[error("{regime}: {code:?} is not a code of that regime's shape ({expected})")]
    Malformed { regime: Regime, code: String, expected: &'static str },
}

impl Rulebook {
    /// Checks a code against the rulebook and writes it canonically. Accepts "not-listed"
    /// (非該当 / not in Annex I) for every regime and "EAR99" for the US.
    pub fn resolve_code(&self, regime: Regime, code: &str) -> Result<ResolvedCode, CodeError> {
        let trimmed = code.trim();
        let lowered = trimmed.to_lowercase();
        if ["not-listed", "not listed", "notlisted", "非該当"].contains(&lowered.as_str()) {
            let citation = match regime {
                Regime::Jp => "輸出貿易管理令 別表第一 (非該当)",
                Regime::Us => "15 CFR 774 Supp. 1 (not on the CCL)",
                Regime::Eu => "Regulation (EU) 2021/821 Annex I (not listed)",
            };
            return Ok(ResolvedCode {
                regime,
                code: "not-listed".into(),
                entry: None,
                citation: citation.into(),
                heading: String::new(),
            });
        }
        if lowered == "ear99" {
            if regime != Regime::Us {
                return Err(CodeError::Ear99OutsideUs(regime));
            }
            return Ok(ResolvedCode {
                regime,
                code: "EAR99".into(),
                entry: None,
                citation: "15 CFR 734.3(c) (subject to the EAR, not on the CCL)".into(),
                heading: String::new(),
            });
        }
        match regime {
            Regime::Us | Regime::Eu => self.resolve_entry(regime, trimmed),
            Regime::Jp => self.resolve_jp(trimmed),
        }
    }

    fn resolve_entry(&self, regime: Regime, code: &str) -> Result<ResolvedCode, CodeError> {
        let keys = || -> Vec<&str> {
            match regime {
                Regime::Us => self.us.eccns.keys().map(String::as_str).collect(),
                _ => self.eu.entries.keys().map(String::as_str).collect(),
            }
        };
        let Some(canonical) = canonical_entry_code(code) else {
            // "2B00l" (a letter l for a one) has the wrong shape but an obvious meaning.
            let head: String = code.trim().chars().take(5).collect::<String>().to_ascii_uppercase();
            return Err(match nearest(&head, &keys()) {
                Some(suggestion) if head.chars().count() == 5 => {
                    CodeError::Unknown { regime, code: code.to_string(), suggestion: Some(suggestion) }
                }
                _ => CodeError::Malformed {
                    regime,
                    code: code.to_string(),
                    expected: "digit, letter A-E, three digits, optional paragraphs: 3A001.a.1",
                },
            });
        };
        let entry = canonical[..5].to_string();
        let (heading, citation) = match regime {
            Regime::Us => self.us.eccns.get(&entry).map(|e| (e.heading.clone(), format!("15 CFR 774 Supp. 1, ECCN {canonical}"))),
            _ => self.eu.entries.get(&entry).map(|e| (e.heading.clone(), format!("Regulation (EU) 2021/821 Annex I, {canonical}"))),
        }
        .ok_or_else(|| CodeError::Unknown { regime, code: code.to_string(), suggestion: nearest(&entry, &keys()) })?;
        Ok(ResolvedCode { regime, code: canonical, entry: Some(entry), citation, heading })
    }

    fn resolve_jp(&self, code: &str) -> Result<ResolvedCode, CodeError> {
        let id = canonical_jp_id(code);
        let item = self.jp.items.get(&id).ok_or_else(|| {
            let keys: Vec<&str> = self.jp.items.keys().map(String::as_str).collect();
            CodeError::Unknown { regime: Regime::Jp, code: code.to_string(), suggestion: nearest(&id, &keys) }
        })?;
        let heading = item.text_ja.lines().next().unwrap_or("").to_string();
        Ok(ResolvedCode { regime: Regime::Jp, code: id.clone(), entry: Some(id), citation: item.citation.clone(), heading })
    }
}

/// "3a001.A.1" → "3A001.a.1"; `None` unless it has the entry shape.
pub(crate) fn canonical_entry_code(code: &str) -> Option<String> {
    let code = code.trim().trim_end_matches('.');
    let (head, rest) = code.split_at_checked(5)?;
    let head = head.to_ascii_uppercase();
    if !crate::import::us::is_eccn_shape(&head) {
        return None;
    }
    // Paragraphs: ".b", ".b.2", ".a.2.a.1" — dot-separated, each alphanumeric.
    let paragraphs_ok = rest.is_empty()
        || rest.strip_prefix('.').is_some_and(|p| {
            p.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
        });
    if !paragraphs_ok {
        return None;
    }
    Some(format!("{head}{}", rest.to_ascii_lowercase()))
}

/// "2の項(12)", "２項（１２）", "2-12", "3の2の項(1)" → "2-12" / "3の2-1".
pub(crate) fn canonical_jp_id(code: &str) -> String {
    let ascii: String = code
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '（' => '(',
            '）' => ')',
            'ー' | '－' | '‐' => '-',
            _ => c,
        })
        .collect();
    let ascii = ascii.trim_start_matches("輸出貿易管理令").trim_start_matches("輸出令").trim();
    let ascii = ascii.trim_start_matches("別表第一").trim_start_matches("別表第1").trim();
    let ascii = ascii.replace("の項", "").replace(['項', ' '], "");
    match ascii.split_once('(') {
        Some((kou, gou)) => format!("{kou}-{}", gou.trim_end_matches(')')),
        None => ascii,
    }
}

/// The closest key, for a did-you-mean hint (the workspace's one rule, in
/// [`sekisho_model::suggest`]).
fn nearest(code: &str, keys: &[&str]) -> Option<String> {
    did_you_mean(code, keys.iter().copied()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_codes() {
        assert_eq!(canonical_entry_code("3a001.A.1").as_deref(), Some("3A001.a.1"));
        assert_eq!(canonical_entry_code("5D002").as_deref(), Some("5D002"));
        assert_eq!(canonical_entry_code("3A001..a"), None);
        assert_eq!(canonical_entry_code("3F001"), None);
        assert_eq!(canonical_entry_code("3A0"), None);
        assert_eq!(canonical_entry_code("３A001"), None);
    }

    #[test]
    fn jp_ids() {
        assert_eq!(canonical_jp_id("2の項(12)"), "2-12");
        assert_eq!(canonical_jp_id("２項（１２）"), "2-12");
        assert_eq!(canonical_jp_id("3の2の項(1)"), "3の2-1");
        assert_eq!(canonical_jp_id("輸出令別表第一 16の項"), "16");
        assert_eq!(canonical_jp_id("10-9の2"), "10-9の2");
    }

    #[test]
    fn distances() {
        assert_eq!(nearest("3A00l", &["3A001", "4A001"]).as_deref(), Some("3A001"));
        assert_eq!(nearest("9Z999", &["3A001"]), None);
    }
}
