//! `sekisho screen --input FILE --output FILE`: screen every row of a CSV, TSV or XLSX file
//! and write one result row per input row.
//!
//! Steps: read the whole file (decoding CSV from UTF-8 or Shift_JIS), map the columns, screen
//! the rows on every core, record the alerting rows through the service (cases as for one
//! screening), write the output, and record the batch with both files' SHA-256. A row that
//! cannot be screened (empty name, bad date, unknown type or country) is reported in the
//! output's `error` column; a file that cannot be read is an error naming file and line.

mod columns;
mod decode;
mod input;
mod output;
mod parallel;
mod record;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use sekisho_match::ScreenOptions;
use sha2::{Digest, Sha256};

use crate::home::Home;

#[derive(clap::Args)]
pub struct BatchArgs {
    /// Screen every row of this file: .csv (UTF-8 or Shift_JIS), .tsv/.txt or .xlsx.
    #[arg(long, requires = "output", conflicts_with_all = ["name", "jsonl", "customer_id", "json", "schema", "country", "birth_date", "identifiers"])]
    input: Option<PathBuf>,
    /// Where to write one result row per input row: .csv (UTF-8 with BOM) or .xlsx.
    #[arg(long, requires = "input")]
    output: Option<PathBuf>,
    /// Header of the column holding the name (default: found among name, 氏名, 名称, ...).
    #[arg(long, requires = "input")]
    name_column: Option<String>,
    /// Header of your customer id column (default: id, 顧客ID, 取引先コード, 番号, ...).
    #[arg(long, requires = "input")]
    id_column: Option<String>,
    /// Header of the country column, ISO-2 or a country name (default: country, 国名, 国, 所在国).
    #[arg(long, requires = "input")]
    country_column: Option<String>,
    /// Header of the party type column: 個人/法人, Person/Company, ... (default: type, 種別, 区分).
    #[arg(long, requires = "input")]
    schema_column: Option<String>,
    /// Header of the birth date column (default: birth date, date of birth, 生年月日).
    #[arg(long, requires = "input")]
    birth_date_column: Option<String>,
    /// The worksheet of an .xlsx input (default: the first).
    #[arg(long, requires = "input")]
    sheet: Option<String>,
}

impl BatchArgs {
    pub fn is_batch(&self) -> bool {
        self.input.is_some()
    }
}

fn progress(len: usize, what: &str) -> ProgressBar {
    // indicatif draws nothing when stderr is not a terminal.
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:10} [{bar:30}] {pos}/{len} rows {rate} eta {eta}")
            .expect("valid template")
            .with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} rows/s", state.per_sec());
            })
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

pub fn run(home: &Home, actor: &str, args: &BatchArgs, options: &ScreenOptions, record: bool) -> Result<()> {
    let (Some(input), Some(output)) = (&args.input, &args.output) else {
        anyhow::bail!("--input and --output go together");
    };
    let kind = output::Kind::of(output)?;
    let mut table = input::read(input, args.sheet.as_deref())?;
    let given = columns::Given {
        name: args.name_column.as_deref(),
        id: args.id_column.as_deref(),
        country: args.country_column.as_deref(),
        schema: args.schema_column.as_deref(),
        birth_date: args.birth_date_column.as_deref(),
    };
    // The header is the first row with a name column (title rows above it are skipped);
    // if none has one, the first row's error is the one to show.
    let (header, columns) = match (0..table.rows.len().min(input::HEADER_SEARCH_ROWS))
        .find_map(|i| columns::Columns::resolve(input, &table.rows[i].cells, &given).ok().map(|c| (i, c)))
    {
        Some(found) => found,
        None => (0, columns::Columns::resolve(input, &table.rows[0].cells, &given)?),
    };
    table.take_header(header);
    eprintln!(
        "{}: {} row(s), {}; header on {} {}; columns: {}",
        input.display(),
        table.rows.len(),
        table.describe(),
        if table.format == "XLSX" { "row" } else { "line" },
        table.header_row,
        columns.describe()
    );
    let parties: Vec<columns::Party> = table.rows.iter().map(|r| columns.party(r)).collect();
    let same = |a: &std::path::Path, b: &std::path::Path| {
        std::fs::canonicalize(a).ok().is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
    };
    if same(input, output) {
        anyhow::bail!("--output {} is the input file; write the results to another file", output.display());
    }
    // Fail on an unwritable output before the work, not after it (without truncating it yet).
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(output)
        .with_context(|| format!("cannot write {}", output.display()))?;

    let mut service = home.open_service()?;
    let lists = crate::screen::load_lists(home, service.store())?;
    let started = Instant::now();
    let bar = progress(parties.len(), "screening");
    let matches = parallel::screen_all(&lists.index, &parties, options, &bar);
    bar.finish_and_clear();
    let screened_in = started.elapsed();
    let mut outcomes: Vec<output::Outcome> =
        matches.into_iter().map(|matches| output::Outcome { matches, ..Default::default() }).collect();
    let alert_rows = outcomes.iter().filter(|o| o.alerts()).count();
    let errors: Vec<u64> = parties.iter().filter(|p| p.query.is_err()).map(|p| p.row).collect();

    let recorded = if record {
        let bar = progress(alert_rows, "recording");
        let recorded = record::alerting_rows(&mut service, actor, &lists, options, &table, &parties, &mut outcomes, &bar)?;
        bar.finish_and_clear();
        Some(recorded)
    } else {
        None
    };
    let bytes = output::render(kind, &parties, &outcomes)?;
    std::fs::write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;

    let rate = parties.len() as f64 / screened_in.as_secs_f64().max(1e-9);
    eprintln!(
        "screened {} row(s) in {:.1?} ({rate:.0} rows/s): {alert_rows} alerting, {} with errors; wrote {}{}",
        parties.len(),
        screened_in,
        errors.len(),
        output.display(),
        if kind == output::Kind::Csv { " (UTF-8 with BOM)" } else { "" },
    );
    if let Some(recorded) = recorded {
        let summary = record::Summary {
            table: &table,
            columns: columns.as_json(),
            output,
            output_sha256: hex::encode(Sha256::digest(&bytes)),
            output_size: bytes.len(),
            rows: parties.len(),
            errors,
            alert_rows,
            recorded: &recorded,
        };
        let seq = record::batch(&mut service, actor, &lists, options, &summary)?;
        eprintln!(
            "recorded: {} screening record(s) for the alerting rows, {} case(s) opened, {} suppressed; batch record {seq}",
            recorded.records, recorded.outcomes[0], recorded.outcomes[3]
        );
    }
    Ok(())
}
