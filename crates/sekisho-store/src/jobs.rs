//! Batch jobs of the HTTP service: an uploaded file, its state while it is screened, and
//! its result files, kept in the store so that a restart loses neither a queued job nor a
//! finished job's result.
//!
//! A job is `queued` when submitted, `running` while a worker screens it, then `done`
//! (results stored in the same transaction as its `batch_screen` audit record) or
//! `failed` (with the reason). A job found `running` when the server starts was cut off by
//! a stop: [`Store::recover_jobs`] marks it failed (its alerting rows may be recorded in
//! part, so it is not re-run behind the user's back) and hands back the queued ones to run.
//!
//! A queued or running job can be cancelled ([`AuditedTx::cancel_job`]): it ends `failed`
//! with "cancelled by …" as its reason (a state of its own would need the table rebuilt in
//! every existing store, for no gain in what the user reads). Finished jobs (done or
//! failed) are removed after a retention period ([`Store::prune_jobs`]); their audit
//! records stay, and keep the SHA-256 of the input and of both result files.

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::audit::{AuditedTx, timestamp};
use crate::columns::{json_column, parsed_column};
use crate::{Error, Result, Store};

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS batch_jobs (
    id INTEGER PRIMARY KEY,
    -- The API key name (or the --no-auth actor) that submitted the file.
    owner TEXT NOT NULL,
    file_name TEXT NOT NULL,
    -- JSON: column names, sheet, threshold, limit as submitted.
    parameters TEXT NOT NULL,
    input BLOB NOT NULL,
    input_sha256 TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    submitted_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    rows_total INTEGER,
    rows_done INTEGER NOT NULL DEFAULT 0,
    alert_rows INTEGER,
    error_rows INTEGER,
    cases_opened INTEGER,
    audit_seq INTEGER,
    error TEXT,
    result_csv BLOB,
    result_xlsx BLOB
);
CREATE INDEX IF NOT EXISTS batch_jobs_owner ON batch_jobs (owner, id);
CREATE INDEX IF NOT EXISTS batch_jobs_state ON batch_jobs (state, id);
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<JobState> {
        Some(match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            _ => return None,
        })
    }
}

/// A job as stored, without its files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    pub id: i64,
    pub owner: String,
    pub file_name: String,
    pub parameters: Value,
    pub input_sha256: String,
    pub input_bytes: u64,
    pub state: JobState,
    pub submitted_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Data rows, once the file has been read.
    pub rows_total: Option<u64>,
    /// Rows screened (stored when the job ends; a running job's live count is the server's).
    pub rows_done: u64,
    pub alert_rows: Option<u64>,
    pub error_rows: Option<u64>,
    pub cases_opened: Option<u64>,
    /// The job's `batch_screen` audit record.
    pub audit_seq: Option<i64>,
    /// Why the job failed.
    pub error: Option<String>,
}

/// What a finished job stores.
pub struct JobResult<'a> {
    pub rows_total: u64,
    pub alert_rows: u64,
    pub error_rows: u64,
    pub cases_opened: u64,
    pub csv: &'a [u8],
    pub xlsx: &'a [u8],
}

/// The result formats a job keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    Csv,
    Xlsx,
}

const SELECT_JOB: &str = "SELECT id, owner, file_name, parameters, input_sha256, length(input), state,
    submitted_at, started_at, finished_at, rows_total, rows_done, alert_rows, error_rows, cases_opened,
    audit_seq, error FROM batch_jobs";

fn job_row(r: &Row<'_>) -> rusqlite::Result<Job> {
    let count = |col: usize| -> rusqlite::Result<Option<u64>> { Ok(r.get::<_, Option<i64>>(col)?.map(|n| n.max(0) as u64)) };
    Ok(Job {
        id: r.get(0)?,
        owner: r.get(1)?,
        file_name: r.get(2)?,
        parameters: json_column(r, 3)?,
        input_sha256: r.get(4)?,
        input_bytes: r.get::<_, i64>(5)?.max(0) as u64,
        state: parsed_column(r, 6, |s| JobState::parse(s).ok_or(format!("unknown job state {s:?}")))?,
        submitted_at: r.get(7)?,
        started_at: r.get(8)?,
        finished_at: r.get(9)?,
        rows_total: count(10)?,
        rows_done: count(11)?.unwrap_or(0),
        alert_rows: count(12)?,
        error_rows: count(13)?,
        cases_opened: count(14)?,
        audit_seq: r.get(15)?,
        error: r.get(16)?,
    })
}

fn now() -> String {
    timestamp(std::time::SystemTime::now())
}

impl Store {
    /// Stores an uploaded file as a queued job.
    pub fn create_job(&mut self, owner: &str, file_name: &str, parameters: &Value, input: &[u8]) -> Result<Job> {
        self.conn.execute(
            "INSERT INTO batch_jobs (owner, file_name, parameters, input, input_sha256, state, submitted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6)",
            params![owner, file_name, parameters.to_string(), input, hex::encode(Sha256::digest(input)), now()],
        )?;
        let id = self.conn.last_insert_rowid();
        self.job(id)?.ok_or_else(|| Error::Invalid(format!("job {id} vanished after it was stored")))
    }

    pub fn job(&self, id: i64) -> Result<Option<Job>> {
        Ok(self.conn.query_row(&format!("{SELECT_JOB} WHERE id = ?1"), [id], job_row).optional()?)
    }

    /// Jobs newest first, of one owner if given, and how many there are in all.
    pub fn jobs(&self, owner: Option<&str>, limit: usize, offset: usize) -> Result<(Vec<Job>, u64)> {
        let tx = self.conn.unchecked_transaction()?;
        let mut stmt = tx.prepare(&format!(
            "{SELECT_JOB} WHERE ?1 IS NULL OR owner = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
        ))?;
        let jobs = stmt.query_map(params![owner, limit as i64, offset as i64], job_row)?.collect::<rusqlite::Result<_>>()?;
        let total: i64 =
            tx.query_row("SELECT count(*) FROM batch_jobs WHERE ?1 IS NULL OR owner = ?1", [owner], |r| r.get(0))?;
        drop(stmt);
        tx.finish()?;
        Ok((jobs, total.max(0) as u64))
    }

    /// The uploaded file.
    pub fn job_input(&self, id: i64) -> Result<Option<Vec<u8>>> {
        Ok(self.conn.query_row("SELECT input FROM batch_jobs WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    /// A finished job's result file.
    pub fn job_result(&self, id: i64, format: ResultFormat) -> Result<Option<Vec<u8>>> {
        let column = match format {
            ResultFormat::Csv => "result_csv",
            ResultFormat::Xlsx => "result_xlsx",
        };
        let found: Option<Option<Vec<u8>>> = self
            .conn
            .query_row(&format!("SELECT {column} FROM batch_jobs WHERE id = ?1"), [id], |r| r.get(0))
            .optional()?;
        Ok(found.flatten())
    }

    /// Marks a queued job running; false if it was not queued (another worker took it, or it
    /// was failed meanwhile).
    pub fn start_job(&mut self, id: i64) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE batch_jobs SET state = 'running', started_at = ?2 WHERE id = ?1 AND state = 'queued'",
            params![id, now()],
        )?;
        Ok(changed == 1)
    }

    /// Records how many data rows the file has, once read.
    pub fn set_job_rows(&mut self, id: i64, rows_total: u64) -> Result<()> {
        self.conn.execute("UPDATE batch_jobs SET rows_total = ?2 WHERE id = ?1", params![id, rows_total as i64])?;
        Ok(())
    }

    /// Ends a job that could not be completed, with the reason the user sees.
    pub fn fail_job(&mut self, id: i64, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE batch_jobs SET state = 'failed', finished_at = ?2, error = ?3 WHERE id = ?1 AND state IN ('queued', 'running')",
            params![id, now(), error],
        )?;
        Ok(())
    }

    /// Removes the finished (done or failed) jobs that finished before `before` (an RFC 3339
    /// timestamp), files and results included, and records that in a `batch_prune` audit
    /// record naming them; nothing is recorded when none is old enough. Returns the ids
    /// removed.
    pub fn prune_jobs(&mut self, actor: &str, before: &str, retention_days: u32) -> Result<Vec<i64>> {
        const OLD: &str = "state IN ('done', 'failed') AND finished_at < ?1";
        let mut stmt = self.conn.prepare(&format!("SELECT id FROM batch_jobs WHERE {OLD} ORDER BY id"))?;
        let old: Vec<i64> = stmt.query_map([before], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        if old.is_empty() {
            return Ok(old);
        }
        let (removed, _) = self.audited(actor, "batch_prune", |atx| {
            let mut stmt = atx.tx.prepare(&format!("SELECT id FROM batch_jobs WHERE {OLD} ORDER BY id"))?;
            let removed: Vec<i64> = stmt.query_map([before], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            atx.tx.execute(&format!("DELETE FROM batch_jobs WHERE {OLD}"), [before])?;
            let details = serde_json::json!({
                "summary": format!("removed {} finished batch job(s) older than {retention_days} days", removed.len()),
                "finished_before": before,
                "retention_days": retention_days,
                "jobs": removed,
            });
            Ok((removed, details))
        })?;
        Ok(removed)
    }

    /// At server start: jobs left running by a stop are failed (the reason says to submit
    /// again); returns the queued jobs, oldest first, to be run, and how many were failed.
    pub fn recover_jobs(&mut self) -> Result<(Vec<i64>, usize)> {
        let failed = self.conn.execute(
            "UPDATE batch_jobs SET state = 'failed', finished_at = ?1,
                error = 'interrupted: the server stopped while this job ran; submit the file again'
             WHERE state = 'running'",
            [now()],
        )?;
        let mut stmt = self.conn.prepare("SELECT id FROM batch_jobs WHERE state = 'queued' ORDER BY id")?;
        let queued = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok((queued, failed))
    }
}

impl AuditedTx<'_> {
    /// Ends a queued or running job as failed, "cancelled by `by`", in the transaction of
    /// its audit record; false when it was neither (already done or failed).
    pub fn cancel_job(&self, id: i64, by: &str) -> Result<bool> {
        let changed = self.tx.execute(
            "UPDATE batch_jobs SET state = 'failed', finished_at = ?2, error = ?3
             WHERE id = ?1 AND state IN ('queued', 'running')",
            params![id, self.timestamp(), format!("cancelled by {by}")],
        )?;
        Ok(changed == 1)
    }

    /// Stores a job's results and marks it done, in the transaction of its audit record.
    pub fn finish_job(&self, id: i64, result: &JobResult<'_>) -> Result<()> {
        let changed = self.tx.execute(
            "UPDATE batch_jobs SET state = 'done', finished_at = ?2, rows_total = ?3, rows_done = ?3,
                alert_rows = ?4, error_rows = ?5, cases_opened = ?6, audit_seq = ?7,
                result_csv = ?8, result_xlsx = ?9
             WHERE id = ?1 AND state = 'running'",
            params![
                id,
                self.timestamp(),
                result.rows_total as i64,
                result.alert_rows as i64,
                result.error_rows as i64,
                result.cases_opened as i64,
                self.seq(),
                result.csv,
                result.xlsx
            ],
        )?;
        if changed != 1 {
            return Err(Error::Invalid(format!("job {id} is not running; its results were not stored")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_job_goes_from_queued_to_done_with_its_results_and_audit_record() {
        let mut store = Store::open_in_memory().unwrap();
        let job = store.create_job("desk", "取引先.csv", &json!({"sheet": null}), b"name\nA\n").unwrap();
        assert_eq!((job.state, job.input_bytes, job.rows_total), (JobState::Queued, 7, None));
        assert_eq!(job.input_sha256, hex::encode(Sha256::digest(b"name\nA\n")));
        assert!(store.start_job(job.id).unwrap());
        assert!(!store.start_job(job.id).unwrap(), "a running job is not started twice");
        store.set_job_rows(job.id, 1).unwrap();
        let result = JobResult { rows_total: 1, alert_rows: 0, error_rows: 0, cases_opened: 0, csv: b"row\n", xlsx: b"PK" };
        let (_, record) = store
            .audited("desk", "batch_screen", |tx| {
                tx.finish_job(job.id, &result)?;
                Ok(((), json!({"job": job.id})))
            })
            .unwrap();
        let done = store.job(job.id).unwrap().unwrap();
        assert_eq!((done.state, done.rows_done, done.audit_seq), (JobState::Done, 1, Some(record.seq)));
        assert_eq!(store.job_result(job.id, ResultFormat::Csv).unwrap().unwrap(), b"row\n");
        assert_eq!(store.job_result(job.id, ResultFormat::Xlsx).unwrap().unwrap(), b"PK");
        assert_eq!(store.job_input(job.id).unwrap().unwrap(), b"name\nA\n");
        // Finishing again fails and rolls back: no second audit record.
        let again = store.audited("desk", "batch_screen", |tx| {
            tx.finish_job(job.id, &result)?;
            Ok(((), json!({})))
        });
        assert!(again.is_err());
        assert_eq!(store.verify_audit().unwrap().records, 1);
    }

    #[test]
    fn a_restart_fails_running_jobs_and_hands_back_queued_ones() {
        let mut store = Store::open_in_memory().unwrap();
        let a = store.create_job("a", "a.csv", &json!({}), b"x").unwrap().id;
        let b = store.create_job("b", "b.csv", &json!({}), b"y").unwrap().id;
        let c = store.create_job("a", "c.csv", &json!({}), b"z").unwrap().id;
        store.start_job(a).unwrap();
        assert_eq!(store.recover_jobs().unwrap(), (vec![b, c], 1));
        let failed = store.job(a).unwrap().unwrap();
        assert_eq!(failed.state, JobState::Failed);
        assert!(failed.error.unwrap().contains("submit the file again"));
        assert_eq!(store.job_result(a, ResultFormat::Csv).unwrap(), None);
        let (mine, total) = store.jobs(Some("a"), 10, 0).unwrap();
        assert_eq!((mine.iter().map(|j| j.id).collect::<Vec<_>>(), total), (vec![c, a], 2));
        assert_eq!(store.jobs(None, 1, 1).unwrap().0[0].id, b);
        store.fail_job(b, "no lists in service").unwrap();
        assert_eq!(store.job(b).unwrap().unwrap().error.as_deref(), Some("no lists in service"));
    }

    #[test]
    fn a_cancelled_job_fails_with_its_reason_and_old_finished_jobs_are_pruned_on_record() {
        let mut store = Store::open_in_memory().unwrap();
        let queued = store.create_job("a", "a.csv", &json!({}), b"x").unwrap().id;
        let running = store.create_job("a", "b.csv", &json!({}), b"y").unwrap().id;
        store.start_job(running).unwrap();
        for id in [queued, running] {
            let (cancelled, _) =
                store.audited("desk", "batch_cancel", |tx| Ok((tx.cancel_job(id, "desk")?, json!({"job": id})))).unwrap();
            assert!(cancelled);
            let job = store.job(id).unwrap().unwrap();
            assert_eq!((job.state, job.error.as_deref()), (JobState::Failed, Some("cancelled by desk")));
        }
        // A job that already ended cannot be cancelled, and a cancelled one does not start.
        let (again, _) = store.audited("desk", "batch_cancel", |tx| Ok((tx.cancel_job(queued, "desk")?, json!({})))).unwrap();
        assert!(!again);
        assert!(!store.start_job(queued).unwrap());

        let fresh = store.create_job("a", "c.csv", &json!({}), b"z").unwrap().id;
        let records = store.verify_audit().unwrap().records;
        // Nothing finished before the epoch: nothing removed, nothing recorded.
        assert_eq!(store.prune_jobs("retention", "1970-01-01T00:00:00Z", 30).unwrap(), Vec::<i64>::new());
        assert_eq!(store.verify_audit().unwrap().records, records);
        // Finished jobs go, the queued one stays; the removal is on record.
        assert_eq!(store.prune_jobs("retention", "9999-01-01T00:00:00Z", 30).unwrap(), vec![queued, running]);
        assert_eq!(store.jobs(None, 10, 0).unwrap().0.iter().map(|j| j.id).collect::<Vec<_>>(), vec![fresh]);
        let v = store.verify_audit().unwrap();
        assert_eq!((v.problem, v.records), (None, records + 1));
        let last = store.audit_page(Some("batch_prune"), 1, 0).unwrap().0.remove(0);
        assert_eq!(last.details["jobs"], json!([queued, running]));
    }
}
