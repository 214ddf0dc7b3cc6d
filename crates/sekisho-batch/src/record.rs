//! The audit trail of a batch: one `screen` record per alerting row, made through the
//! service exactly as for a single screening (list and entity versions, cases, suppression),
//! then one `batch_screen` record for the file as a whole.
//!
//! Clean rows get no record of their own: at 100,000 rows that would be 100,000
//! transactions of records saying "no match". The batch record holds the SHA-256 of the
//! input (what was screened), the list versions (against what), the counts and the SHA-256
//! of the output (what sekisho answered, row by row), so a clean row's screening is proven by
//! the files the user keeps beside the trail.

use sekisho_match::{Match, ScreenOptions};
use sekisho_service::{
    AlertOutcome, ScreenedMatch, ScreeningRecord, Service, SnapshotInfo, Subject, ToRecord, describe_snapshots, version_matches,
};
use serde_json::{Value, json};

use crate::Result;
use crate::columns::Party;
use crate::input::Table;
use crate::output::Outcome;

/// Where alerting rows are recorded: the CLI's [`Service`], or a server's writer.
pub trait Recorder {
    /// Pairs matches with the versions of the listed entities (see [`version_matches`]).
    fn versions(&mut self, snapshots: &[SnapshotInfo], matches: Vec<Match>) -> sekisho_service::Result<Vec<ScreenedMatch>>;
    /// Records screenings in order, one audit record each, in one transaction (see
    /// [`Service::record_screenings`]); fails if any of them fails.
    fn record(
        &mut self,
        actor: &str,
        snapshots: &[SnapshotInfo],
        screenings: Vec<(Subject, Vec<ScreenedMatch>)>,
        options: &ScreenOptions,
    ) -> sekisho_service::Result<Vec<ScreeningRecord>>;
}

/// The records of `screenings` made in one group, as [`Recorder::record`] wants them.
pub fn record_group(
    service: &mut Service,
    actor: &str,
    snapshots: &[SnapshotInfo],
    screenings: Vec<(Subject, Vec<ScreenedMatch>)>,
    options: &ScreenOptions,
) -> sekisho_service::Result<Vec<ScreeningRecord>> {
    let items = screenings
        .into_iter()
        .map(|(subject, matches)| ToRecord { actor, snapshots, subject, matches, options: options.clone() })
        .collect();
    service.record_screenings(items)?.into_iter().collect()
}

impl Recorder for Service {
    fn versions(&mut self, snapshots: &[SnapshotInfo], matches: Vec<Match>) -> sekisho_service::Result<Vec<ScreenedMatch>> {
        version_matches(self.store(), snapshots, matches)
    }

    fn record(
        &mut self,
        actor: &str,
        snapshots: &[SnapshotInfo],
        screenings: Vec<(Subject, Vec<ScreenedMatch>)>,
        options: &ScreenOptions,
    ) -> sekisho_service::Result<Vec<ScreeningRecord>> {
        record_group(self, actor, snapshots, screenings, options)
    }
}

/// What recording the alerting rows did.
#[derive(Debug, Default)]
pub struct Recorded {
    pub records: usize,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// Opened, already open, confirmed, suppressed.
    pub outcomes: [usize; 4],
}

/// Alerting rows recorded per transaction: one commit for many rows, as the server's group
/// commit does for single screenings.
const GROUP: usize = 256;

/// Records every alerting row (score at or above the operating threshold), in input order,
/// and fills in its cases and audit record. `origin` (a JSON object: the file, its SHA-256,
/// a job id) goes into each record's query with the row number added. `progress` is called
/// with the number of rows recorded, group by group.
#[allow(clippy::too_many_arguments)]
pub fn alerting_rows(
    recorder: &mut impl Recorder,
    actor: &str,
    snapshots: &[SnapshotInfo],
    options: &ScreenOptions,
    origin: &Value,
    parties: &[Party],
    outcomes: &mut [Outcome],
    progress: &dyn Fn(usize),
) -> Result<Recorded> {
    let mut recorded = Recorded::default();
    let alerting: Vec<usize> = (0..parties.len()).filter(|&i| parties[i].query.is_ok() && outcomes[i].alerts()).collect();
    for group in alerting.chunks(GROUP) {
        let mut screenings = Vec::with_capacity(group.len());
        for &i in group {
            let (party, outcome) = (&parties[i], &mut outcomes[i]);
            let Ok(query) = &party.query else { continue };
            let mut origin = origin.clone();
            origin["row"] = json!(party.row);
            let customer_id = Some(party.id.as_str()).filter(|id| !id.is_empty());
            let versioned = recorder.versions(snapshots, std::mem::take(&mut outcome.matches))?;
            let mut subject = Subject::of_query(query, customer_id);
            subject.query["origin"] = origin;
            screenings.push((subject, versioned));
        }
        let records = recorder.record(actor, snapshots, screenings, options)?;
        for (&i, screened) in group.iter().zip(records) {
            let outcome = &mut outcomes[i];
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
        }
        progress(group.len());
    }
    Ok(recorded)
}

/// Facts about the batch for its `batch_screen` record.
pub struct Summary<'a> {
    pub table: &'a Table,
    /// Where the input came from: its full path, or an uploaded file's name.
    pub input_path: String,
    /// [`crate::Columns::as_json`].
    pub columns: Value,
    /// The result file(s): path or job, SHA-256 and size.
    pub output: Value,
    pub rows: usize,
    /// Rows that could not be screened, by row number.
    pub errors: Vec<u64>,
    pub alert_rows: usize,
    pub recorded: &'a Recorded,
}

/// Error rows listed by number in the record, at most.
const LISTED_ERRORS: usize = 1000;

/// The details of the `batch_screen` audit record: the input file's fingerprint and column
/// mapping, the output's, the counts, the range of screening records and the list versions.
pub fn batch_details(s: &Summary<'_>, options: &ScreenOptions, snapshots: &[SnapshotInfo]) -> Value {
    let [opened, already_open, confirmed, suppressed] = s.recorded.outcomes;
    let file_name = s.table.path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    json!({
        "summary": format!("batch {file_name}: {} row(s), {} alerting, {} error(s), {opened} case(s) opened",
            s.rows, s.alert_rows, s.errors.len()),
        "input": {
            "path": s.input_path, "sha256": s.table.sha256, "bytes": s.table.size,
            "format": s.table.format, "encoding": s.table.encoding, "sheet": s.table.sheet,
            "header_row": s.table.header_row, "columns": s.columns,
        },
        "output": s.output,
        "rows": s.rows,
        "screened": s.rows - s.errors.len(),
        "errors": s.errors.len(),
        "error_rows": &s.errors[..s.errors.len().min(LISTED_ERRORS)],
        "alert_rows": s.alert_rows,
        "screen_records": {"count": s.recorded.records, "first_seq": s.recorded.first_seq, "last_seq": s.recorded.last_seq},
        "opened": opened, "already_open": already_open, "confirmed": confirmed, "suppressed": suppressed,
        "options": {"threshold": options.threshold, "limit": options.limit, "alert_threshold": sekisho_service::ALERT_THRESHOLD},
        "lists": describe_snapshots(snapshots),
    })
}
