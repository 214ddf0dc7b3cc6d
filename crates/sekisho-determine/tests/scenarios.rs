//! Runs every scenario in `scenarios/` against the rulebook imported from the real reference
//! files (`../shared/data/control`) and the human-rights indicators (`../shared/data/
//! human-rights`); skips with a notice when they are absent.

use std::path::Path;

use sekisho_determine::scenario::Scenario;
use sekisho_determine::{AuthoredRules, HumanRightsInput, RULE_CODES, determine, validate};
use sekisho_rights::{IndicatorSet, Thresholds, assess};
use sekisho_rules::Rulebook;

/// The issue asks for at least 60 in the end.
const MIN_SCENARIOS: usize = 60;

#[test]
fn scenarios_hold_against_the_real_rulebook() {
    let Some(data) = sekisho_lists::shared_data_dir() else { return };
    let rulebook = Rulebook::import(&data.join("control")).expect("rulebook import");
    let indicators = IndicatorSet::import(&data.join("human-rights")).expect("human-rights import");
    let thresholds = Thresholds::default_bundled();
    let authored = AuthoredRules::embedded().expect("authored rules");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    files.sort();
    let mut failures = Vec::new();
    let mut seen_rules = std::collections::BTreeSet::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let scenario = match Scenario::parse(&text) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        assert!(scenario.prose.trim().len() > 80, "{name}: the prose must explain the case and cite the provisions");
        let tx = match validate(&scenario.transaction, &rulebook) {
            Ok(tx) => tx,
            Err(e) => {
                failures.push(format!("{name}: invalid transaction: {e}"));
                continue;
            }
        };
        let human_rights = HumanRightsInput {
            assessment: tx.item.cyber_surveillance.map(|_| assess(&indicators, &tx.destination, tx.end_user_for_rights(), &thresholds)),
        };
        let d = determine(&rulebook, &authored, &tx, &scenario.screening(), &human_rights);
        for r in d.outcomes.iter().flat_map(|o| &o.reasons) {
            let family = if r.rule.starts_with("US-CC-") && !RULE_CODES.contains(&r.rule.as_str()) { "US-CC".to_string() } else { r.rule.clone() };
            seen_rules.insert(family);
        }
        let problems = scenario.check(&d);
        if !problems.is_empty() {
            failures.push(format!("{name} ({}):\n    {}\n{}", scenario.title, problems.join("\n    "), sekisho_determine::report::render(&d)));
        }
    }
    println!("{} scenarios run", files.len());
    assert!(failures.is_empty(), "{} of {} scenarios failed:\n{}", failures.len(), files.len(), failures.join("\n"));
    let unexercised: Vec<&str> = RULE_CODES.iter().copied().filter(|c| !seen_rules.contains(*c)).collect();
    assert!(unexercised.is_empty(), "rules no scenario reaches: {unexercised:?}");
    assert!(files.len() >= MIN_SCENARIOS, "{} scenarios, the issue asks for at least {MIN_SCENARIOS}", files.len());
}
