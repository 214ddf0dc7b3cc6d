//! The audit trail of a batch: one `screen` record per alerting row, made through the
//! service exactly as for a single screening (list and entity versions, cases, suppression),
//! then one `batch_screen` record for the file as a whole.
//!
//! Clean rows get no record of their own: at 100,000 rows that would be 100,000
//! transactions of records saying "no match". The batch record holds the SHA-256 of the
//! input (what was screened), the list versions (against what), the counts and the SHA-256
//! of the output (what sekisho answered, row by row), so a clean row's screening is proven by
//! the files the user keeps beside the trail.

use anyhow::Result;
use indicatif::ProgressBar;
use sekisho_match::ScreenOptions;
use sekisho_service::{AlertOutcome, ListsInService, Service, Subject, version_matches};
use serde_json::{Value, json};

use super::columns::Party;
use super::input::Table;
use super::output::Outcome;

/// What recording the alerting rows did.
#[derive(Default)]
pub struct Recorded {
    pub records: usize,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// Opened, already open, confirmed, suppressed.
    pub outcomes: [usize; 4],
}

/// Records every alerting row (score at or above the operating threshold), in input order,
/// and fills in its cases and audit record.
#[allow(clippy::too_many_arguments)]
pub fn alerting_rows(
    service: &mut Service,
    actor: &str,
    lists: &ListsInService,
    options: &ScreenOptions,
    table: &Table,
    parties: &[Party],
    outcomes: &mut [Outcome],
    bar: &ProgressBar,
) -> Result<Recorded> {
    let mut recorded = Recorded::default();
    let file = std::fs::canonicalize(&table.path).unwrap_or_else(|_| table.path.clone()).display().to_string();
    for (party, outcome) in parties.iter().zip(outcomes.iter_mut()) {
        let Ok(query) = &party.query else { continue };
        if !outcome.alerts() {
            continue;
        }
        let origin = json!({"file": file, "sha256": table.sha256, "row": party.row});
        let customer_id = Some(party.id.as_str()).filter(|id| !id.is_empty());
        let matches = std::mem::take(&mut outcome.matches);
        let versioned = version_matches(service.store(), &lists.snapshots, matches)?;
        let mut subject = Subject::of_query(query, customer_id);
        subject.query["origin"] = origin;
        let screened = service.record_screening(actor, &lists.snapshots, subject, versioned, options)?;
        for m in screened.matches {
            if let Some(alert) = m.alert {
                recorded.outcomes[match alert {
                    AlertOutcome::Opened(_) => 0,
                    AlertOutcome::AlreadyOpen(_) => 1,
                    AlertOutcome::Confirmed(_) => 2,
                    AlertOutcome::Suppressed(_) => 3,
                }] += 1;
                outcome.alerts.push((m.matched.entity_id.clone(), alert));
            }
            outcome.matches.push(m.matched);
        }
        outcome.audit_seq = screened.audit_seq;
        recorded.records += 1;
        recorded.first_seq = recorded.first_seq.or(screened.audit_seq);
        recorded.last_seq = screened.audit_seq;
        bar.inc(1);
    }
    Ok(recorded)
}

/// Facts about the batch for its `batch_screen` record.
pub struct Summary<'a> {
    pub table: &'a Table,
    pub columns: Value,
    pub output: &'a std::path::Path,
    pub output_sha256: String,
    pub output_size: usize,
    pub rows: usize,
    pub errors: Vec<u64>,
    pub alert_rows: usize,
    pub recorded: &'a Recorded,
}

/// Error rows listed by number in the record, at most.
const LISTED_ERRORS: usize = 1000;

pub fn batch(service: &mut Service, actor: &str, lists: &ListsInService, options: &ScreenOptions, s: &Summary<'_>) -> Result<i64> {
    let [opened, already_open, confirmed, suppressed] = s.recorded.outcomes;
    let file_name = s.table.path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let full = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string();
    let details = json!({
        "summary": format!("batch {file_name}: {} row(s), {} alerting, {} error(s), {opened} case(s) opened",
            s.rows, s.alert_rows, s.errors.len()),
        "input": {
            "path": full(&s.table.path), "sha256": s.table.sha256, "bytes": s.table.size,
            "format": s.table.format, "encoding": s.table.encoding, "sheet": s.table.sheet,
            "header_row": s.table.header_row, "columns": s.columns,
        },
        "output": {"path": full(s.output), "sha256": s.output_sha256, "bytes": s.output_size},
        "rows": s.rows,
        "screened": s.rows - s.errors.len(),
        "errors": s.errors.len(),
        "error_rows": &s.errors[..s.errors.len().min(LISTED_ERRORS)],
        "alert_rows": s.alert_rows,
        "screen_records": {"count": s.recorded.records, "first_seq": s.recorded.first_seq, "last_seq": s.recorded.last_seq},
        "opened": opened, "already_open": already_open, "confirmed": confirmed, "suppressed": suppressed,
        "options": {"threshold": options.threshold, "limit": options.limit, "alert_threshold": sekisho_service::ALERT_THRESHOLD},
        "lists": lists.describe(),
    });
    Ok(service.store_mut().append_audit(actor, "batch_screen", details)?.seq)
}
