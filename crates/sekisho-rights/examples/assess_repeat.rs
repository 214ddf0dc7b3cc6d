//! Times the import and `assess`: imports the folder once, then assesses every country for
//! every end-user type `ROUNDS` times (default 100) and prints the mean per assessment.
//! With `ROUNDS` = 0 and 1 under `valgrind --tool=dhat`, the difference in allocated blocks
//! divided by the assessments of one round is the allocations of one `assess`.
//!
//! ```sh
//! cargo run --release -p sekisho-rights --example assess_repeat -- ../shared/data/human-rights 100
//! ```

use std::path::Path;
use std::time::Instant;

use sekisho_rights::{EndUserType, IndicatorSet, Thresholds, assess};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/data/human-rights".into());
    let rounds: usize = args.next().map_or(Ok(100), |r| r.parse())?;
    let started = Instant::now();
    let set = IndicatorSet::import(Path::new(&dir))?;
    let import = started.elapsed();
    let th = Thresholds::default_bundled();
    let started = Instant::now();
    let (mut assessments, mut reasons) = (0usize, 0usize);
    for _ in 0..rounds {
        for iso2 in set.countries.keys() {
            for end_user in EndUserType::ALL {
                reasons += assess(&set, iso2, end_user, &th).reasons.len();
                assessments += 1;
            }
        }
    }
    let elapsed = started.elapsed();
    println!(
        "import {:.0} ms; {assessments} assessments ({reasons} reasons)",
        import.as_secs_f64() * 1e3
    );
    if assessments > 0 {
        println!(
            "{:.2} µs per assessment",
            elapsed.as_secs_f64() * 1e6 / assessments as f64
        );
    }
    Ok(())
}
