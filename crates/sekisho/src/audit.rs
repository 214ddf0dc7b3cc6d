//! `sekisho audit ...`: verify, export, log, prune, retention.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use sekisho_store::audit::timestamp;

use crate::home::Home;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exits non-zero, naming the first broken record, if it is broken.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Write the trail as CSV (seq, timestamp, actor, action, summary, details, prev_hash, hash).
    Export {
        #[arg(long, short)]
        output: PathBuf,
        /// Only records at or after this date (YYYY-MM-DD) or RFC 3339 time.
        #[arg(long)]
        since: Option<String>,
    },
    /// Print the records, one line each.
    Log {
        #[arg(long)]
        since: Option<String>,
        /// Print whole records as JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Remove records older than the retention, keeping the chain verifiable from a
    /// checkpoint that is itself recorded.
    Prune,
    /// Show the retention in days, or set it.
    Retention { days: Option<u32> },
}

pub fn run(home: &Home, actor: &str, command: AuditCommand) -> Result<()> {
    let mut store = home.open_store()?;
    match command {
        AuditCommand::Verify { json } => {
            let v = store.verify_audit()?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&v)?)?;
            }
            if let Some(p) = &v.problem {
                bail!("audit trail broken at record {}: {}", p.seq, p.message);
            }
            if !json {
                match (v.first_seq, v.last_seq) {
                    (Some(first), Some(last)) => outln!(
                        "audit trail intact: {} record(s), {first} to {last}{}; head hash {}",
                        v.records,
                        if v.checkpoint_seq > 0 { format!(" (records up to {} pruned)", v.checkpoint_seq) } else { String::new() },
                        v.head_hash
                    )?,
                    _ => outln!("audit trail intact: no records yet")?,
                }
            }
            Ok(())
        }
        AuditCommand::Export { output, since } => {
            let since = since.as_deref().map(parse_since).transpose()?;
            let tmp = output.with_extension("csv.partial");
            let file = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
            let n = sekisho_service::write_audit_csv(&store, std::io::BufWriter::new(file), since.as_deref())?;
            // Renamed into place only when complete: no half-written export.
            std::fs::rename(&tmp, &output).with_context(|| format!("cannot write {}", output.display()))?;
            eprintln!("exported {n} audit record(s) to {}", output.display());
            Ok(())
        }
        AuditCommand::Log { since, json } => {
            let since = since.as_deref().map(parse_since).transpose()?;
            // The store's callback cannot carry an io::Error: keep it, stop the walk, return it.
            let mut write_error = None;
            let walked = store.for_each_audit_record(since.as_deref(), |r| {
                let written = if json {
                    outln!("{}", serde_json::to_string(&r).expect("records serialise"))
                } else {
                    let summary = r.details.get("summary").and_then(|s| s.as_str()).unwrap_or("");
                    outln!("{:>6} {} {:<16} {:<18} {summary}", r.seq, r.timestamp, r.actor, r.action)
                };
                written.map_err(|e| {
                    write_error = Some(e);
                    sekisho_store::Error::Invalid("stdout closed".into())
                })
            });
            match write_error {
                Some(e) => Err(e.into()),
                None => Ok(walked?),
            }
        }
        AuditCommand::Prune => {
            let days = store.audit_retention_days()?;
            let outcome = store.prune_audit(actor, SystemTime::now())?;
            outln!(
                "pruned {} record(s) older than {} ({days} days); the chain now starts after record {} \
                 (hash {}), as audit record {} states",
                outcome.pruned, outcome.cutoff, outcome.checkpoint_seq, outcome.checkpoint_hash, outcome.record.seq
            )?;
            Ok(())
        }
        AuditCommand::Retention { days: None } => {
            outln!("audit retention: {} days", store.audit_retention_days()?)?;
            Ok(())
        }
        AuditCommand::Retention { days: Some(days) } => {
            store.set_audit_retention_days(actor, days)?;
            if days < sekisho_store::audit::DEFAULT_RETENTION_DAYS {
                eprintln!("warning: {days} days is less than the five years EAR (15 CFR 762.6) requires");
            }
            outln!("audit retention: {days} days")?;
            Ok(())
        }
    }
}

/// A date (YYYY-MM-DD, from its start in UTC) or an RFC 3339 time, as a stored timestamp.
fn parse_since(s: &str) -> Result<String> {
    let full = if s.len() == 10 { format!("{s}T00:00:00Z") } else { s.to_string() };
    let time = humantime::parse_rfc3339_weak(full.trim_end_matches('Z'))
        .or_else(|_| humantime::parse_rfc3339(&full))
        .with_context(|| format!("--since {s:?}: expected a date (YYYY-MM-DD) or an RFC 3339 time"))?;
    Ok(timestamp(time))
}
