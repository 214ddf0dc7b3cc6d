//! Every country's level for every end-user type, as CSV on stdout: a way to review a
//! thresholds file against the whole world before putting it in service.
//!
//! ```sh
//! cargo run --release -p sekisho-rights --example levels -- ../shared/data/human-rights [thresholds.toml] > levels.csv
//! ```

use std::path::Path;

use sekisho_rights::{EndUserType, IndicatorSet, Thresholds, assess};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/data/human-rights".into());
    let th = match args.next() {
        Some(path) => Thresholds::load(Path::new(&path))?,
        None => Thresholds::default_bundled(),
    };
    let set = IndicatorSet::import(Path::new(&dir))?;
    let header: Vec<&str> = EndUserType::ALL.iter().map(|u| u.as_str()).collect();
    println!("country,name,points,{}", header.join(","));
    for iso2 in set.countries.keys() {
        let levels: Vec<&str> = EndUserType::ALL
            .iter()
            .map(|&u| assess(&set, iso2, u, &th).level.as_str())
            .collect();
        let points = assess(&set, iso2, EndUserType::Commercial, &th).points;
        let name = sekisho_model::country::name_en(iso2)
            .unwrap_or("")
            .replace(',', " ");
        println!("{iso2},{name},{points},{}", levels.join(","));
    }
    Ok(())
}
