//! The authored rules: what the engine applies beyond the imported tables (licence-exception
//! conditions, catch-all requirements, embargoes, what a list hit means), held as TOML files
//! in `rules/` of this crate.
//!
//! Each file has `[[rule]]` tables (stable code, English and Japanese title, legal citation,
//! effective date, a short doc and the reason texts with `{placeholders}`) and the parameter
//! sections the rules read (`[us]`, `[jp]`, `[eu]`, `[parties]`), each defined in exactly one
//! file. The files are embedded in the binary; [`AuthoredRules::load_dir`] reads a folder
//! instead so a compliance team can amend them. Loading is checked: TOML syntax, unknown keys
//! (with a did-you-mean), dates, duplicate codes, codes the engine does not know and codes
//! it needs but no file defines are all errors naming the file and line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::RULE_CODES;
use crate::outcome::Effect;
use sekisho_model::suggest::{did_you_mean, serde_unknown_hint};

/// The rule files compiled into the binary, in load order.
pub const EMBEDDED: [(&str, &str); 4] = [
    ("us.toml", include_str!("../rules/us.toml")),
    ("jp.toml", include_str!("../rules/jp.toml")),
    ("eu.toml", include_str!("../rules/eu.toml")),
    ("parties.toml", include_str!("../rules/parties.toml")),
];

/// A rule file that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum AuthoredError {
    #[error("{file}:{line}: {message}")]
    Invalid { file: String, line: usize, message: String },
    #[error("{file}: {message}")]
    Missing { file: String, message: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// One authored rule as the files state it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable code, e.g. `US-CC`, `US-LE-LVS`, `JP-CATCHALL-INFORM`, `EU-ART5`.
    pub code: String,
    pub title_en: String,
    pub title_ja: String,
    /// The legal provision, e.g. "15 CFR 740.3".
    pub citation: String,
    /// YYYY-MM-DD from which the rule as written applies.
    pub effective: String,
    /// What the rule does and why, for the rule reference.
    pub doc: String,
    /// Reason text with `{placeholders}` the engine fills in.
    pub text_en: String,
    pub text_ja: String,
    /// Where it was defined ("us.toml:12"); set by the loader.
    #[serde(default, skip_deserializing)]
    pub defined_at: String,
}

/// `[us]`: parameters of the US rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsParams {
    /// Country Group LVS and GBS are limited to (15 CFR 740.3(a), 740.4): "B".
    pub lvs_country_group: String,
    pub gbs_country_group: String,
    /// ECCN prefixes License Exception ENC can cover (15 CFR 740.17).
    pub enc_eccns: Vec<String>,
    /// Country Groups ENC is never available to (740.17: E:1, E:2).
    pub enc_excluded_groups: Vec<String>,
    /// Supplement No. 3 to Part 740: where ENC also reaches government end users.
    pub enc_supplement3: Vec<String>,
    /// 744.21(a): destinations where a military end use or user needs a licence for any
    /// item subject to the EAR.
    pub meu_all_items_destinations: Vec<String>,
    /// 744.21(a): destinations where it needs one for the items of Supplement No. 2 to 744.
    pub meu_supp2_destinations: Vec<String>,
    /// ECCNs of Supplement No. 2 to Part 744.
    pub meu_supp2_eccns: Vec<String>,
    /// 746.1(b): destinations of UN Security Council arms embargoes, where a "UN" reason
    /// for control requires a licence.
    pub un_746_destinations: Vec<String>,
    /// Embargoes and destination-wide sanctions (Part 746).
    pub destinations: Vec<DestinationRule>,
}

/// `[jp]`: parameters of Japan's rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JpParams {
    /// 輸出令4条1項5号: the 項 the small-value exemption covers.
    pub small_value_kou: Vec<u8>,
    pub small_value_limit_jpy: u64,
    /// 別表第三の三 items (lower limit); ids as the rulebook writes them.
    pub appendix3_3_items: Vec<String>,
    pub appendix3_3_limit_jpy: u64,
    /// Declared end uses that meet the WMD objective requirement (用途要件).
    pub wmd_end_uses: Vec<String>,
    /// Declared end uses that meet the conventional-weapons objective requirement.
    pub conventional_end_uses: Vec<String>,
    pub destinations: Vec<DestinationRule>,
}

/// `[eu]`: parameters of the EU rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EuParams {
    /// The Member States: an EU exporter's shipment to one is an intra-Union transfer, not an
    /// export (Art. 2(2)); only Annex IV items need an authorisation (Art. 11).
    pub member_states: Vec<String>,
    /// Annex IV entries (prefixes) that no Union general export authorisation covers.
    pub annex_iv_prefixes: Vec<String>,
    /// Destinations under an EU or UN arms embargo (Art. 4(1)(b)).
    pub arms_embargo: Vec<String>,
    /// Annex I entries (prefixes) that are cyber-surveillance items (Art. 2(20)).
    pub cyber_surveillance_entries: Vec<String>,
    /// Declared end uses that make the exporter "aware" under Art. 4(2).
    pub art4_end_uses: Vec<String>,
    /// Declared end uses that make the exporter "aware" under Art. 5(2).
    pub art5_end_uses: Vec<String>,
    pub destinations: Vec<DestinationRule>,
}

/// A destination-wide measure: embargo or sanctions regime.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationRule {
    /// ISO-2.
    pub country: String,
    pub rule: String,
    /// Effect for items on the jurisdiction's control list.
    pub listed: Effect,
    /// Effect for items not on it (EAR99, 16の項, not in Annex I).
    pub not_listed: Effect,
}

/// `[parties]`: what a list hit means.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyParams {
    /// A hit at or above this score is taken as the listed party; below it, as a possible
    /// match that needs review.
    pub certain_score: f64,
    pub lists: Vec<ListRule>,
}

/// Which rule a hit on a list triggers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRule {
    /// Source dataset (`us_trade_csl`, `jp_meti_end_user`, ...).
    pub source: String,
    /// For consolidated sources: a substring of the hit's list name ("Entity List").
    #[serde(default)]
    pub list_contains: Option<String>,
    pub rule: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RuleDef>,
    us: Option<UsParams>,
    jp: Option<JpParams>,
    eu: Option<EuParams>,
    parties: Option<PartyParams>,
}

/// All authored rules, checked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthoredRules {
    pub rules: BTreeMap<String, RuleDef>,
    pub us: UsParams,
    pub jp: JpParams,
    pub eu: EuParams,
    pub parties: PartyParams,
    /// Where they came from: "embedded" or the folder.
    pub origin: String,
}

impl AuthoredRules {
    /// The rules compiled into the binary.
    pub fn embedded() -> Result<AuthoredRules, AuthoredError> {
        AuthoredRules::from_sources(EMBEDDED.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(), "embedded")
    }

    /// Every `*.toml` file in `dir`, in name order.
    pub fn load_dir(dir: &Path) -> Result<AuthoredRules, AuthoredError> {
        let io = |source| AuthoredError::Io { path: dir.display().to_string(), source };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| AuthoredError::Io { path: path.display().to_string(), source })?;
            files.push((path.file_name().unwrap_or_default().to_string_lossy().into_owned(), text));
        }
        AuthoredRules::from_sources(files, &dir.display().to_string())
    }

    /// Parses and checks named TOML texts.
    pub fn from_sources(files: Vec<(String, String)>, origin: &str) -> Result<AuthoredRules, AuthoredError> {
        let mut rules: BTreeMap<String, RuleDef> = BTreeMap::new();
        let (mut us, mut jp, mut eu, mut parties) = (None, None, None, None);
        for (name, text) in &files {
            let file: RuleFile = toml::from_str(text).map_err(|e| parse_error(name, text, &e))?;
            for mut rule in file.rule {
                let line = line_of(text, &format!("\"{}\"", rule.code));
                let invalid = |message: String| AuthoredError::Invalid { file: name.clone(), line, message };
                if !RULE_CODES.contains(&rule.code.as_str()) {
                    let hint = hint(&rule.code, RULE_CODES.iter().copied());
                    return Err(invalid(format!("rule code {:?} is not one the engine applies{hint}", rule.code)));
                }
                if !is_date(&rule.effective) {
                    return Err(invalid(format!("effective: {:?} is not a YYYY-MM-DD date", rule.effective)));
                }
                for (field, value) in [("title_en", &rule.title_en), ("title_ja", &rule.title_ja), ("citation", &rule.citation), ("text_en", &rule.text_en), ("text_ja", &rule.text_ja)] {
                    if value.trim().is_empty() {
                        return Err(invalid(format!("{}: {field} is empty", rule.code)));
                    }
                }
                if let Some(previous) = rules.get(&rule.code) {
                    return Err(invalid(format!("rule {} is defined twice (first at {})", rule.code, previous.defined_at)));
                }
                rule.defined_at = format!("{name}:{line}");
                rules.insert(rule.code.clone(), rule);
            }
            set_once(&mut us, file.us, name, text, "us")?;
            set_once(&mut jp, file.jp, name, text, "jp")?;
            set_once(&mut eu, file.eu, name, text, "eu")?;
            set_once(&mut parties, file.parties, name, text, "parties")?;
        }
        let all = files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
        let missing = |what: &str| AuthoredError::Missing { file: all.clone(), message: format!("no file defines [{what}]") };
        let authored = AuthoredRules {
            us: us.map(|(p, _)| p).ok_or_else(|| missing("us"))?,
            jp: jp.map(|(p, _)| p).ok_or_else(|| missing("jp"))?,
            eu: eu.map(|(p, _)| p).ok_or_else(|| missing("eu"))?,
            parties: parties.map(|(p, _)| p).ok_or_else(|| missing("parties"))?,
            rules,
            origin: origin.to_string(),
        };
        if let Some(code) = RULE_CODES.iter().find(|c| !authored.rules.contains_key(**c)) {
            return Err(AuthoredError::Missing { file: all, message: format!("no [[rule]] defines {code}, which the engine applies") });
        }
        authored.check_references(&files)?;
        Ok(authored)
    }

    /// Every rule a parameter section names must exist.
    fn check_references(&self, files: &[(String, String)]) -> Result<(), AuthoredError> {
        let named = self.us.destinations.iter().chain(&self.jp.destinations).chain(&self.eu.destinations).map(|d| &d.rule)
            .chain(self.parties.lists.iter().map(|l| &l.rule));
        for code in named {
            if !self.rules.contains_key(code) {
                let (file, line) = files.iter().find_map(|(n, t)| {
                    let needle = format!("rule = \"{code}\"");
                    t.contains(&needle).then(|| (n.clone(), line_of(t, &needle)))
                }).unwrap_or_default();
                let hint = hint(code, self.rules.keys().map(String::as_str));
                return Err(AuthoredError::Invalid { file, line, message: format!("unknown rule {code:?}{hint}") });
            }
        }
        if !(0.0..=1.0).contains(&self.parties.certain_score) {
            return Err(AuthoredError::Missing { file: "parties".into(), message: "certain_score must lie in [0, 1]".into() });
        }
        Ok(())
    }

    /// The rule with this code. Every code the engine uses is checked at load time.
    pub fn rule(&self, code: &str) -> &RuleDef {
        &self.rules[code]
    }
}

fn set_once<T>(slot: &mut Option<(T, String)>, value: Option<T>, name: &str, text: &str, section: &str) -> Result<(), AuthoredError> {
    let Some(value) = value else { return Ok(()) };
    if let Some((_, first)) = slot {
        let line = line_of(text, &format!("[{section}]"));
        return Err(AuthoredError::Invalid { file: name.into(), line, message: format!("[{section}] is already defined in {first}") });
    }
    *slot = Some((value, name.to_string()));
    Ok(())
}

/// Turns a TOML error into `file:line: message`, with a did-you-mean for an unknown key.
fn parse_error(name: &str, text: &str, e: &toml::de::Error) -> AuthoredError {
    let line = e.span().map_or(1, |s| line_at(text, s.start));
    let mut message = e.message().trim().to_string();
    if let Some(hint) = unknown_field_hint(&message) {
        message.push_str(&hint);
    }
    AuthoredError::Invalid { file: name.into(), line, message }
}

/// serde says "unknown field `titel`, expected one of `code`, `title_en`, ...".
pub(crate) fn unknown_field_hint(message: &str) -> Option<String> {
    serde_unknown_hint(message).map(|c| format!(" (did you mean `{c}`?)"))
}

/// Formats a code hint as the messages print it: ` (did you mean 3A090?)`, or nothing.
fn hint<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(wanted, candidates).map(|c| format!(" (did you mean {c}?)")).unwrap_or_default()
}

/// 1-based line of the first occurrence of `needle` (1 if absent).
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(1, |i| line_at(text, i))
}

/// 1-based line of byte offset `at` (a span starting right after a line break is on the
/// next line).
fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

/// Fills `{name}` placeholders; an unknown one stays visible so a test can catch it.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_load() {
        let rules = AuthoredRules::embedded().unwrap();
        assert_eq!(rules.rules.len(), RULE_CODES.len());
        assert_eq!(rules.us.lvs_country_group, "B");
    }

    fn with_replaced(file: &str, from: &str, to: &str) -> Result<AuthoredRules, AuthoredError> {
        let files = EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), if *n == file { t.replacen(from, to, 1) } else { t.to_string() }))
            .collect();
        AuthoredRules::from_sources(files, "test")
    }

    #[test]
    fn unknown_key_names_file_line_and_suggests() {
        let err = with_replaced("us.toml", "title_ja =", "titel_ja =").unwrap_err().to_string();
        assert!(err.starts_with("us.toml:"), "{err}");
        assert!(err.contains("unknown field `titel_ja`") && err.contains("did you mean `title_ja`?"), "{err}");
        let line: usize = err.split(':').nth(1).unwrap().parse().unwrap();
        let text = EMBEDDED[0].1;
        assert!(text.lines().nth(line - 1).unwrap().contains("title_ja"), "line {line} of us.toml");
    }

    #[test]
    fn bad_date_unknown_code_and_missing_rule_are_errors() {
        let err = with_replaced("us.toml", "effective = \"", "effective = \"20-").unwrap_err().to_string();
        assert!(err.contains("is not a YYYY-MM-DD date"), "{err}");
        let err = with_replaced("us.toml", "code = \"US-LE-LVS\"", "code = \"US-LE-LVZ\"").unwrap_err().to_string();
        assert!(err.contains("\"US-LE-LVZ\" is not one the engine applies (did you mean US-LE-LVS?)"), "{err}");
        let err = with_replaced("parties.toml", "rule = \"US-EL\"", "rule = \"US-ELL\"").unwrap_err().to_string();
        assert!(err.starts_with("parties.toml:") && err.contains("unknown rule \"US-ELL\" (did you mean US-EL?)"), "{err}");
    }

    #[test]
    fn a_folder_overrides_the_embedded_rules() {
        let dir = std::env::temp_dir().join(format!("sekisho-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in EMBEDDED {
            let text = if name == "parties.toml" { text.replace("certain_score = 0.95", "certain_score = 0.9") } else { text.to_string() };
            std::fs::write(dir.join(name), text).unwrap();
        }
        std::fs::write(dir.join("notes.txt"), "not a rule file").unwrap();
        let rules = AuthoredRules::load_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(rules.parties.certain_score, 0.9);
        assert_eq!(rules.rules.len(), RULE_CODES.len());
        assert_eq!(rules.origin, dir.display().to_string());
    }

    #[test]
    fn a_section_defined_twice_is_an_error() {
        let mut files: Vec<(String, String)> = EMBEDDED.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        files.push(("extra.toml".into(), "[parties]\ncertain_score = 0.9\nlists = []\n".into()));
        let err = AuthoredRules::from_sources(files, "test").unwrap_err().to_string();
        assert!(err.starts_with("extra.toml:1: [parties] is already defined in parties.toml"), "{err}");
    }
}
