//! The thresholds of the assessment, held as data (`data/thresholds.toml`) and checked on load.
//!
//! Every key must be present and known: a misspelt key is an error with its line and the
//! known key it most resembles, never a silently ignored setting.

use std::path::Path;

use sekisho_model::suggest::serde_unknown_hint;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::assess::EndUserType;

/// The bundled file, sekisho's own authored values (each explained by a comment there).
pub const BUNDLED_TOML: &str = include_str!("../data/thresholds.toml");

/// The origin name errors give for the bundled file.
const BUNDLED_ORIGIN: &str = "crates/sekisho-rights/data/thresholds.toml";

/// All thresholds and weights. See `data/thresholds.toml` for what each one means and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub freedom_house: FreedomHouseThresholds,
    pub wgi: WgiThresholds,
    pub vdem: VdemThresholds,
    pub data: DataThresholds,
    pub levels: LevelRules,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreedomHouseThresholds {
    pub not_free_points: u8,
    pub partly_free_points: u8,
    /// A total score (0–100) below this is a concern.
    pub total_score_below: i16,
    pub total_score_points: u8,
    /// A Civil Liberties rating (1–7, 7 least free) at or above this is a concern.
    pub civil_liberties_rating_at_least: u8,
    pub civil_liberties_points: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WgiThresholds {
    /// A Voice and Accountability percentile rank (0–100) below this is a concern.
    pub voice_accountability_percentile_below: f64,
    pub voice_accountability_points: u8,
    /// A Rule of Law percentile rank (0–100) below this is a concern.
    pub rule_of_law_percentile_below: f64,
    pub rule_of_law_points: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VdemThresholds {
    pub civil_society_below: f64,
    pub civil_society_points: u8,
    pub liberties_below: f64,
    pub liberties_points: u8,
    pub expression_below: f64,
    pub expression_points: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataThresholds {
    /// A value older than the source's newest year by more than this is treated as missing.
    pub max_age_years: u16,
    /// Sources with current values needed before a destination may be called low.
    pub min_sources_for_low: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRules {
    pub medium_at: u8,
    pub high_at: u8,
    /// End-user types that raise the level one step wherever they are.
    pub raise_always: Vec<EndUserType>,
    /// End-user types that raise the level one step when the destination is medium or high.
    pub raise_if_concern: Vec<EndUserType>,
}

impl Thresholds {
    /// The bundled thresholds (`data/thresholds.toml`), checked by the crate's tests.
    pub fn default_bundled() -> Thresholds {
        match Thresholds::parse(BUNDLED_TOML, BUNDLED_ORIGIN) {
            Ok(t) => t,
            // The bundled file is part of the build and a test parses it; a failure here
            // is a broken build, not bad user input.
            Err(e) => panic!("bundled thresholds are invalid: {e}"),
        }
    }

    /// Reads and checks a thresholds file.
    pub fn load(path: &Path) -> Result<Thresholds, Error> {
        let text = std::fs::read_to_string(path).map_err(|error| Error::Io {
            path: path.to_path_buf(),
            error,
        })?;
        Thresholds::parse(&text, &path.display().to_string())
    }

    /// Parses and checks thresholds from TOML text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Thresholds, Error> {
        let thresholds: Thresholds = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_at(text, s.start)).unwrap_or(1);
            let message = e.message().trim().to_string();
            let hint = serde_unknown_hint(&message).map(str::to_string);
            Error::Thresholds {
                origin: origin.to_string(),
                line,
                message,
                hint,
            }
        })?;
        thresholds.check(text, origin)?;
        Ok(thresholds)
    }

    /// Range and consistency checks serde cannot express.
    fn check(&self, text: &str, origin: &str) -> Result<(), Error> {
        let fail = |section: &str, key: &str, message: String| Error::Thresholds {
            origin: origin.to_string(),
            line: line_of_key(text, section, key),
            message,
            hint: None,
        };
        let fh = &self.freedom_house;
        if !(1..=7).contains(&fh.civil_liberties_rating_at_least) {
            return Err(fail(
                "freedom_house",
                "civil_liberties_rating_at_least",
                format!(
                    "civil_liberties_rating_at_least = {} is outside Freedom House's 1–7 scale",
                    fh.civil_liberties_rating_at_least
                ),
            ));
        }
        for (key, value) in [
            (
                "voice_accountability_percentile_below",
                self.wgi.voice_accountability_percentile_below,
            ),
            (
                "rule_of_law_percentile_below",
                self.wgi.rule_of_law_percentile_below,
            ),
        ] {
            if !(0.0..=100.0).contains(&value) {
                return Err(fail(
                    "wgi",
                    key,
                    format!("{key} = {value} is not a percentile rank (0–100)"),
                ));
            }
        }
        for (key, value) in [
            ("civil_society_below", self.vdem.civil_society_below),
            ("liberties_below", self.vdem.liberties_below),
            ("expression_below", self.vdem.expression_below),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(fail(
                    "vdem",
                    key,
                    format!("{key} = {value} is outside V-Dem's 0–1 scale"),
                ));
            }
        }
        let levels = &self.levels;
        if levels.medium_at == 0 {
            return Err(fail(
                "levels",
                "medium_at",
                "medium_at = 0 would call every destination at least medium; use 1 or more".into(),
            ));
        }
        if levels.high_at < levels.medium_at {
            return Err(fail(
                "levels",
                "high_at",
                format!(
                    "high_at = {} is below medium_at = {}",
                    levels.high_at, levels.medium_at
                ),
            ));
        }
        if !(1..=3).contains(&self.data.min_sources_for_low) {
            return Err(fail(
                "data",
                "min_sources_for_low",
                format!(
                    "min_sources_for_low = {} must be 1, 2 or 3 (there are three sources)",
                    self.data.min_sources_for_low
                ),
            ));
        }
        Ok(())
    }
}

/// The 1-based line of byte offset `at` in `text`.
fn line_at(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line where `key` is set inside `[section]`, or the section's line, or 1.
fn line_of_key(text: &str, section: &str, key: &str) -> usize {
    let header = format!("[{section}]");
    let mut in_section = false;
    let mut section_line = 1;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == header;
            if in_section {
                section_line = i + 1;
            }
        } else if in_section
            && let Some((k, _)) = trimmed.split_once('=')
            && k.trim() == key
        {
            return i + 1;
        }
    }
    section_line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_file_parses_and_has_the_documented_values() {
        let t = Thresholds::default_bundled();
        assert_eq!(t.freedom_house.not_free_points, 2);
        assert_eq!(t.wgi.voice_accountability_percentile_below, 25.0);
        assert_eq!(t.levels.medium_at, 2);
        assert_eq!(t.levels.high_at, 5);
        assert!(
            t.levels
                .raise_always
                .contains(&EndUserType::SecurityService)
        );
    }

    #[test]
    fn unknown_key_names_its_line_and_suggests_the_known_one() {
        let text = BUNDLED_TOML.replace(
            "rule_of_law_percentile_below",
            "rule_of_law_percentil_below",
        );
        let err = Thresholds::parse(&text, "my.toml").unwrap_err();
        let expected_line = line_of_key(&text, "wgi", "rule_of_law_percentil_below");
        match &err {
            Error::Thresholds {
                origin, line, hint, ..
            } => {
                assert_eq!(origin, "my.toml");
                assert_eq!(*line, expected_line);
                assert_eq!(hint.as_deref(), Some("rule_of_law_percentile_below"));
            }
            other => panic!("unexpected error {other:?}"),
        }
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!("my.toml:{expected_line}: ")),
            "{shown}"
        );
        assert!(
            shown.contains("did you mean `rule_of_law_percentile_below`?"),
            "{shown}"
        );
    }

    #[test]
    fn misspelt_end_user_type_suggests_the_variant() {
        let text = BUNDLED_TOML.replace("\"security_service\"", "\"security_servce\"");
        let err = Thresholds::parse(&text, "x.toml").unwrap_err();
        let Error::Thresholds { hint, line, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(hint.as_deref(), Some("security_service"));
        assert_eq!(*line, line_of_key(&text, "levels", "raise_always"));
    }

    #[test]
    fn missing_key_and_bad_ranges_are_errors_with_lines() {
        let text = BUNDLED_TOML.replace("high_at = 5", "");
        let err = Thresholds::parse(&text, "x.toml").unwrap_err().to_string();
        assert!(err.contains("high_at"), "{err}");

        let text = BUNDLED_TOML.replace(
            "voice_accountability_percentile_below = 25.0",
            "voice_accountability_percentile_below = 250.0",
        );
        let err = Thresholds::parse(&text, "x.toml").unwrap_err();
        let Error::Thresholds { line, message, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            *line,
            line_of_key(&text, "wgi", "voice_accountability_percentile_below")
        );
        assert!(message.contains("percentile"), "{message}");

        let text = BUNDLED_TOML.replace("high_at = 5", "high_at = 1");
        let err = Thresholds::parse(&text, "x.toml").unwrap_err().to_string();
        assert!(err.contains("below medium_at"), "{err}");

        let err = Thresholds::parse("[freedom_house\n", "x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.toml:1: "), "{err}");
    }
}
