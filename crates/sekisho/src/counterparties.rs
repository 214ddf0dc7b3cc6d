//! `sekisho counterparties ...`: save, import, list. Saved counterparties are screened
//! against the lists in service when saved, and against every list change after.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use sekisho_match::{OPERATING_THRESHOLD, ScreenOptions};
use sekisho_service::{CounterpartyInput, ListsInService, Saved, Service};

use crate::home::Home;

#[derive(Subcommand)]
pub enum CounterpartiesCommand {
    /// Save a counterparty and screen it against the lists in service.
    Add {
        name: String,
        /// Your customer id: the counterparty's key (default: name + schema + country).
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        schema: Option<String>,
        /// ISO-2 code or country name.
        #[arg(long)]
        country: Option<String>,
        /// YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        birth_date: Option<String>,
        /// Passport, registration or IMO number; repeatable.
        #[arg(long = "identifier")]
        identifiers: Vec<String>,
    },
    /// Save counterparties from a CSV file with the header id,name,schema,country,birth_date
    /// (identifiers optional, separated by ';'), and screen them.
    Import { file: PathBuf },
    /// List the saved counterparties.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(home: &Home, actor: &str, command: CounterpartiesCommand) -> Result<()> {
    let mut service = home.open_service()?;
    match command {
        CounterpartiesCommand::Add { name, id, schema, country, birth_date, identifiers } => {
            let input = CounterpartyInput { customer_id: id, name, schema, country, birth_date, identifiers };
            save_and_screen(&mut service, actor, &[input])
        }
        CounterpartiesCommand::Import { file } => {
            let inputs = read_csv(&file)?;
            save_and_screen(&mut service, actor, &inputs)
        }
        CounterpartiesCommand::List { json } => {
            let all = service.store().counterparties()?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&all)?)?;
            } else if all.is_empty() {
                outln!("no counterparties saved: add some with `sekisho counterparties add NAME` or `import FILE.csv`")?;
            } else {
                for c in &all {
                    let details: Vec<String> = [
                        c.schema.map(|s| s.to_string()),
                        c.country.clone(),
                        c.birth_date.as_ref().map(|d| format!("born {d}")),
                        (!c.identifiers.is_empty()).then(|| c.identifiers.join(";")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    outln!("{:<40} {} [{}]", c.key, c.name, details.join(", "))?;
                }
            }
            Ok(())
        }
    }
}

/// Saves, then screens what was added or changed against the full lists in service (the
/// first screening; later ones are delta screenings when lists change).
fn save_and_screen(service: &mut Service, actor: &str, inputs: &[CounterpartyInput]) -> Result<()> {
    let saved = service.save_counterparties(actor, inputs)?;
    let count = |s: Saved| saved.iter().filter(|(_, o)| *o == s).count();
    outln!(
        "saved {} counterparty(ies): {} added, {} updated, {} unchanged",
        saved.len(),
        count(Saved::Added),
        count(Saved::Updated),
        count(Saved::Unchanged)
    )?;
    let to_screen: Vec<_> = saved.iter().filter(|(_, o)| *o != Saved::Unchanged).map(|(c, _)| c).collect();
    if to_screen.is_empty() {
        return Ok(());
    }
    if service.store().active_snapshots()?.is_empty() {
        outln!("no lists in service yet: they will be screened when lists are imported")?;
        return Ok(());
    }
    let lists = ListsInService::load(service.store())?;
    let options = ScreenOptions { limit: 10, threshold: OPERATING_THRESHOLD };
    let (mut alerts, mut opened) = (0, 0);
    for c in to_screen {
        let record = service.screen_counterparty(actor, &lists, c, &options)?;
        alerts += record.matches.len();
        opened += record.opened();
        for m in record.matches.iter().filter(|m| m.alert.is_some()) {
            outln!("  {} ~ {} [{}] {:.3}", c.name, m.matched.caption, m.matched.entity_id, m.matched.score)?;
        }
    }
    outln!("screened against the lists in service: {alerts} alert(s), {opened} case(s) opened")?;
    Ok(())
}

fn read_csv(path: &Path) -> Result<Vec<CounterpartyInput>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers().with_context(|| format!("{}: no header line", path.display()))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let Some(name_col) = column("name") else {
        bail!("{}: the header needs a name column (id,name,schema,country,birth_date)", path.display());
    };
    let (id, schema, country, birth) = (column("id"), column("schema"), column("country"), column("birth_date"));
    let identifiers = column("identifiers");
    let mut inputs = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.with_context(|| format!("{}:{line}: not a CSV row", path.display()))?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::to_string).filter(|s| !s.is_empty());
        let input = CounterpartyInput {
            customer_id: get(id),
            name: get(Some(name_col)).unwrap_or_default(),
            schema: get(schema),
            country: get(country),
            birth_date: get(birth),
            identifiers: get(identifiers).map(|s| s.split(';').map(str::to_string).collect()).unwrap_or_default(),
        };
        // Checked here too so that the error names the line.
        input.validate().with_context(|| format!("{}:{line}", path.display()))?;
        inputs.push(input);
    }
    if inputs.is_empty() {
        bail!("{}: no counterparties in the file", path.display());
    }
    Ok(inputs)
}
