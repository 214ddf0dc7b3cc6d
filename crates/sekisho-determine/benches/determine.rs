//! How long one determination takes, party screening excluded: every scenario in
//! `scenarios/` (their list hits are given, not searched) against the rulebook imported
//! from `../shared/data/control`, many rounds each.
//!
//! `cargo bench -p sekisho-determine --bench determine` prints, per phase, the mean and the
//! slowest scenario's mean in microseconds. Skips with a notice when the shared data is absent.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use sekisho_determine::scenario::Scenario;
use sekisho_determine::{AuthoredRules, HumanRightsInput, determine, validate};
use sekisho_rights::{IndicatorSet, Thresholds, assess};
use sekisho_rules::Rulebook;

const ROUNDS: usize = 2_000;

fn main() {
    let Some(data) = sekisho_lists::shared_data_dir() else { return };
    let rulebook = Rulebook::import(&data.join("control")).expect("rulebook import");
    let indicators = IndicatorSet::import(&data.join("human-rights")).expect("human-rights import");
    let authored = AuthoredRules::embedded().expect("authored rules");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let scenarios: Vec<Scenario> = files.iter().map(|p| Scenario::parse(&std::fs::read_to_string(p).unwrap()).unwrap()).collect();

    let mut validate_us = Vec::new();
    let mut determine_us = Vec::new();
    for s in &scenarios {
        let screening = s.screening();
        // Validation (codes looked up in the rulebook) is part of a determination's cost.
        let started = Instant::now();
        for _ in 0..ROUNDS {
            black_box(validate(black_box(&s.transaction), &rulebook).unwrap());
        }
        validate_us.push(started.elapsed().as_secs_f64() * 1e6 / ROUNDS as f64);
        let tx = validate(&s.transaction, &rulebook).unwrap();
        let hr = HumanRightsInput {
            assessment: tx.item.cyber_surveillance.map(|_| assess(&indicators, &tx.destination, tx.end_user_for_rights(), &Thresholds::default_bundled())),
        };
        let started = Instant::now();
        for _ in 0..ROUNDS {
            black_box(determine(&rulebook, &authored, black_box(&tx), &screening, &hr));
        }
        determine_us.push(started.elapsed().as_secs_f64() * 1e6 / ROUNDS as f64);
    }
    let report = |name: &str, v: &[f64]| {
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let max = v.iter().cloned().fold(0.0, f64::max);
        println!("{name:<22} mean {mean:>8.1} µs   slowest scenario {max:>8.1} µs");
    };
    println!("{} scenarios × {ROUNDS} rounds (party screening excluded)", scenarios.len());
    report("validate", &validate_us);
    report("determine", &determine_us);
    let total: Vec<f64> = validate_us.iter().zip(&determine_us).map(|(a, b)| a + b).collect();
    report("validate + determine", &total);
}
