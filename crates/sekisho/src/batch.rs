//! `sekisho screen --input FILE --output FILE`: screen every row of a CSV, TSV or XLSX file
//! and write one result row per input row.
//!
//! The work is sekisho-batch's (shared with the server's batch jobs); this adds the flags,
//! a progress bar, and files on disk: read the whole file, map the columns, screen the rows
//! on every core, record the alerting rows through the service (cases as for one
//! screening), write the output, and record the batch with both files' SHA-256.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use sekisho_batch::{Batch, ColumnNames, OutputKind, record};
use sekisho_match::ScreenOptions;
use serde_json::json;
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
    let kind = OutputKind::of(output)?;
    let table = sekisho_batch::read_file(input, args.sheet.as_deref())?;
    let names = ColumnNames {
        name: args.name_column.clone(),
        id: args.id_column.clone(),
        country: args.country_column.clone(),
        schema: args.schema_column.clone(),
        birth_date: args.birth_date_column.clone(),
    };
    let batch = Batch::new(table, &names)?;
    eprintln!("{}: {}", input.display(), batch.describe());
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
    let bar = progress(batch.parties.len(), "screening");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let matches = sekisho_batch::screen_all(&lists.index, &batch.parties, options, threads, &|n, _| {
        bar.inc(n as u64);
        true
    });
    bar.finish_and_clear();
    let screened_in = started.elapsed();
    let mut outcomes = Batch::outcomes(matches);
    let alert_rows = outcomes.iter().filter(|o| o.alerts()).count();
    let errors = batch.error_rows();
    let full = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string();

    let recorded = if record {
        let bar = progress(alert_rows, "recording");
        let origin = json!({"file": full(input), "sha256": batch.table.sha256});
        let recorded = record::alerting_rows(
            &mut service,
            actor,
            &lists.snapshots,
            options,
            &origin,
            &batch.parties,
            &mut outcomes,
            &|n| bar.inc(n as u64),
        )?;
        bar.finish_and_clear();
        Some(recorded)
    } else {
        None
    };
    let bytes = sekisho_batch::render(kind, &batch.parties, &outcomes)?;
    std::fs::write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;

    let rate = batch.parties.len() as f64 / screened_in.as_secs_f64().max(1e-9);
    eprintln!(
        "screened {} row(s) in {:.1?} ({rate:.0} rows/s): {alert_rows} alerting, {} with errors; wrote {}{}",
        batch.parties.len(),
        screened_in,
        errors.len(),
        output.display(),
        if kind == OutputKind::Csv { " (UTF-8 with BOM)" } else { "" },
    );
    if let Some(recorded) = recorded {
        let summary = record::Summary {
            table: &batch.table,
            input_path: full(input),
            columns: batch.columns.as_json(),
            output: json!({"path": full(output), "sha256": hex::encode(Sha256::digest(&bytes)), "bytes": bytes.len()}),
            rows: batch.parties.len(),
            errors,
            alert_rows,
            recorded: &recorded,
        };
        let details = record::batch_details(&summary, options, &lists.snapshots);
        let seq = service.store_mut().append_audit(actor, "batch_screen", details)?.seq;
        eprintln!(
            "recorded: {} screening record(s) for the alerting rows, {} case(s) opened, {} suppressed; batch record {seq}",
            recorded.records, recorded.outcomes[0], recorded.outcomes[3]
        );
    }
    Ok(())
}
