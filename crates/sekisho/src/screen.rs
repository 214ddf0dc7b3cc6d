//! `sekisho screen` and `sekisho compare`.

use std::io::{BufRead, Write};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use sekisho_match::{Match, OPERATING_THRESHOLD, Query, ScreenOptions, compare};
use sekisho_model::{PartialDate, Schema};
use sekisho_service::{AlertOutcome, ListsInService, ScreenedMatch, Service};
use sekisho_store::Store;
use serde::Deserialize;
use serde_json::json;

use crate::home::Home;

#[derive(clap::Args)]
pub struct ScreenArgs {
    /// The name to screen (omit with --jsonl or --input).
    #[arg(required_unless_present_any = ["jsonl", "input"])]
    name: Option<String>,
    /// Person, Organization, Company, LegalEntity, Vessel or Airplane.
    #[arg(long, value_parser = parse_schema)]
    schema: Option<Schema>,
    /// ISO-2 country code of the party.
    #[arg(long)]
    country: Option<String>,
    /// Birth date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    birth_date: Option<PartialDate>,
    /// Identifier (passport, registration, IMO number); repeatable. An equal one is decisive.
    #[arg(long = "identifier")]
    identifiers: Vec<String>,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Report matches at or above this score (default: the operating threshold).
    #[arg(long, default_value_t = OPERATING_THRESHOLD)]
    threshold: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Read one JSON object per line from stdin, write one result line per input.
    #[arg(long, conflicts_with = "name")]
    jsonl: bool,
    /// Your customer id for the party: the key its case is filed under.
    #[arg(long, conflicts_with = "jsonl")]
    customer_id: Option<String>,
    /// Do not record the screening in the audit trail nor open cases (evaluation, benchmarks).
    #[arg(long)]
    no_record: bool,
    #[command(flatten)]
    batch: crate::batch::BatchArgs,
}

#[derive(clap::Args)]
pub struct CompareArgs {
    #[arg(required_unless_present = "jsonl")]
    a: Option<String>,
    #[arg(required_unless_present = "jsonl")]
    b: Option<String>,
    #[arg(long, value_parser = parse_schema)]
    schema: Option<Schema>,
    #[arg(long)]
    json: bool,
    /// Read {"id", "schema"?, "a", "b"} lines from stdin.
    #[arg(long, conflicts_with_all = ["a", "b"])]
    jsonl: bool,
}

fn parse_schema(s: &str) -> Result<Schema, String> {
    Schema::parse(s).ok_or_else(|| format!("unknown schema {s:?}: use Person, Organization, Company, LegalEntity, Vessel or Airplane"))
}

fn parse_date(s: &str) -> Result<PartialDate, String> {
    s.parse().map_err(|e: sekisho_model::DateError| e.to_string())
}

/// Builds the index over every list in service (with the snapshots it was built from, which
/// each recorded screening names).
pub fn load_lists(home: &Home, store: &Store) -> Result<ListsInService> {
    let started = Instant::now();
    if store.active_snapshots()?.is_empty() {
        bail!(
            "no lists in service in {}: import some with `sekisho lists import PATH...` or `sekisho lists update`",
            home.dir.display()
        );
    }
    let lists = ListsInService::load(store)?;
    if std::env::var_os("SEKISHO_TIMINGS").is_some() {
        eprintln!("load and index {:.2?}", started.elapsed());
    }
    Ok(lists)
}

pub fn run(home: &Home, actor: &str, args: ScreenArgs) -> Result<()> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold must lie in [0, 1]");
    }
    if args.batch.is_batch() {
        let options = ScreenOptions { limit: args.limit, threshold: args.threshold };
        return crate::batch::run(home, actor, &args.batch, &options, !args.no_record);
    }
    let started = Instant::now();
    let mut service = home.open_service()?;
    let lists = load_lists(home, service.store())?;
    let index = &lists.index;
    let options = ScreenOptions { limit: args.limit, threshold: args.threshold };
    let record = !args.no_record;
    if args.jsonl {
        return screen_jsonl(&mut service, actor, &lists, &options, record);
    }
    let query = Query {
        name: args.name.unwrap_or_default(),
        schema: args.schema,
        country: args.country.map(|c| c.to_ascii_uppercase()),
        birth_date: args.birth_date,
        identifiers: args.identifiers,
    };
    let screened = screen_one(&mut service, actor, &lists, &query, args.customer_id.as_deref(), &options, record)?;
    if args.json {
        let out = json!({
            "query": query.name, "counterparty": screened.counterparty_key,
            "audit_seq": screened.audit_seq, "matches": screened.matches,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
        return Ok(());
    }
    let matches: Vec<Match> = screened.matches.iter().map(|m| m.matched.clone()).collect();
    print_table(&query.name, &matches)?;
    print_alerts(&screened.matches)?;
    if let Some(seq) = screened.audit_seq {
        eprintln!("recorded as audit record {seq} (counterparty {})", screened.counterparty_key);
    }
    eprintln!(
        "{} entities, {} names indexed; threshold {:.2}; {:.2?}",
        index.entity_count(),
        index.name_count(),
        options.threshold,
        started.elapsed()
    );
    Ok(())
}

/// Screens one query, recorded (audit record, cases) unless `record` is false.
fn screen_one(
    service: &mut Service,
    actor: &str,
    lists: &ListsInService,
    query: &Query,
    customer_id: Option<&str>,
    options: &ScreenOptions,
    record: bool,
) -> Result<sekisho_service::ScreeningRecord> {
    Ok(if record {
        service.screen(actor, lists, query, customer_id, options)?
    } else {
        service.screen_unrecorded(lists, query, options)?
    })
}

fn print_alerts(matches: &[ScreenedMatch]) -> std::io::Result<()> {
    for m in matches {
        let Some(alert) = m.alert else { continue };
        let what = match alert {
            AlertOutcome::Opened(id) => format!("case {id} opened"),
            AlertOutcome::AlreadyOpen(id) => format!("case {id} already open"),
            AlertOutcome::Confirmed(id) => format!("case {id}: confirmed true match"),
            AlertOutcome::Suppressed(id) => format!("suppressed: cleared as a false positive in case {id}"),
        };
        outln!("alert {} [{}]: {what}", m.matched.caption, m.matched.entity_id)?;
    }
    Ok(())
}

fn print_table(name: &str, matches: &[Match]) -> std::io::Result<()> {
    if matches.is_empty() {
        return outln!("no match for {name:?}");
    }
    outln!("{:<6} {:<20} {:<12} {:<40} matched name", "score", "source", "schema", "listed as")?;
    for m in matches {
        outln!(
            "{:<6.3} {:<20} {:<12} {:<40} {}",
            m.score,
            m.source,
            m.schema.as_str(),
            truncate(&m.caption, 40),
            m.matched_name
        )?;
        outln!("       {} [{}]", m.explanation.summary, m.entity_id)?;
    }
    Ok(())
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        s.chars().take(width - 1).chain(['…']).collect()
    }
}

#[derive(Deserialize)]
struct ScreenLine {
    id: serde_json::Value,
    /// The counterparty's customer id, if the caller has one.
    customer_id: Option<String>,
    name: String,
    schema: Option<String>,
    country: Option<String>,
    birth_date: Option<String>,
}

/// Reads JSON objects of type `T`, one per stdin line (blank lines skipped), and writes one
/// JSON value per input line to stdout. Errors name the line.
fn for_each_jsonl<T: serde::de::DeserializeOwned>(
    what: &str,
    mut answer: impl FnMut(T) -> Result<serde_json::Value>,
) -> Result<()> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lines().enumerate() {
        let line = line.context("cannot read stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let input: T = serde_json::from_str(&line).with_context(|| format!("stdin line {}: not a {what}", n + 1))?;
        let output = answer(input).with_context(|| format!("stdin line {}", n + 1))?;
        serde_json::to_writer(&mut out, &output)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Parses an optional field with one of the argument parsers.
fn optional<T>(value: Option<&str>, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>> {
    value.map(parse).transpose().map_err(anyhow::Error::msg)
}

fn screen_jsonl(
    service: &mut Service,
    actor: &str,
    lists: &ListsInService,
    options: &ScreenOptions,
    record: bool,
) -> Result<()> {
    for_each_jsonl("screening request", |input: ScreenLine| {
        let query = Query {
            name: input.name,
            schema: optional(input.schema.as_deref(), parse_schema)?,
            country: input.country.map(|c| c.to_ascii_uppercase()),
            birth_date: optional(input.birth_date.as_deref(), parse_date)?,
            identifiers: vec![],
        };
        let screened = screen_one(service, actor, lists, &query, input.customer_id.as_deref(), options, record)?;
        let matches: Vec<serde_json::Value> = screened
            .matches
            .into_iter()
            .map(|s| {
                let m = s.matched;
                json!({
                    "entity_id": m.entity_id, "source": m.source, "schema": m.schema,
                    "caption": m.caption, "matched_name": m.matched_name, "score": m.score,
                    "explanation": m.explanation.summary, "details": m.explanation,
                    "entity_hash": s.entity_hash, "alert": s.alert,
                })
            })
            .collect();
        Ok(json!({"id": input.id, "audit_seq": screened.audit_seq, "matches": matches}))
    })
}

#[derive(Deserialize)]
struct CompareLine {
    id: serde_json::Value,
    schema: Option<String>,
    a: String,
    b: String,
}

pub fn run_compare(args: CompareArgs) -> Result<()> {
    if args.jsonl {
        return for_each_jsonl("comparison request", |input: CompareLine| {
            let c = compare(&input.a, &input.b, optional(input.schema.as_deref(), parse_schema)?);
            Ok(json!({"id": input.id, "score": c.score, "match": c.is_match, "explanation": c.explanation.summary}))
        });
    }
    let (a, b) = (args.a.unwrap_or_default(), args.b.unwrap_or_default());
    let c = compare(&a, &b, args.schema);
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&c)?)?;
    } else {
        outln!("{:.3} {}", c.score, if c.is_match { "match" } else { "no match" })?;
        outln!("{}", c.explanation.summary)?;
    }
    Ok(())
}
