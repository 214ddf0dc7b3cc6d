//! Cases: one per alert, that is per counterparty and version of a listed entity.
//!
//! A case is keyed by (counterparty key, source, listed entity id, entity version hash), a
//! UNIQUE constraint, so a counterparty screened again against the same entity version
//! meets its existing case instead of opening another:
//! - `open`: awaiting review; a new alert for it is reported as already open.
//! - `true_match`: confirmed by a reviewer. It stays an active case (listed by default,
//!   never suppressed): the party is restricted until someone acts on it outside sekisho.
//! - `false_positive`: cleared; the same alert is suppressed while the listed entity keeps
//!   that version. When the list changes the entity (new hash), the alert opens a new case.
//!
//! Status changes go through [`AuditedTx::review_case`], so each decision is in the trail.

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use crate::audit::{AuditedTx, to_sql_count};
use crate::columns::parsed_column;
use crate::{Error, Result, Store};

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY,
    counterparty_key TEXT NOT NULL,
    counterparty_name TEXT NOT NULL,
    source TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    -- SHA-256 of the listed entity's JSON in the snapshot that matched: its version.
    entity_hash TEXT NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    caption TEXT NOT NULL,
    matched_name TEXT NOT NULL,
    score REAL NOT NULL,
    explanation TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'true_match', 'false_positive')),
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    -- Sequence numbers of the audit records that opened and last reviewed the case.
    opened_in INTEGER NOT NULL,
    reviewer TEXT,
    reason TEXT,
    reviewed_at TEXT,
    reviewed_in INTEGER,
    UNIQUE (counterparty_key, source, entity_id, entity_hash)
);
CREATE INDEX IF NOT EXISTS cases_status ON cases (status, id);
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    TrueMatch,
    FalsePositive,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::TrueMatch => "true_match",
            CaseStatus::FalsePositive => "false_positive",
        }
    }

    /// Accepts `open`, `true_match` / `true-match`, `false_positive` / `false-positive`.
    pub fn parse(s: &str) -> Option<CaseStatus> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "open" => Some(CaseStatus::Open),
            "true_match" => Some(CaseStatus::TrueMatch),
            "false_positive" => Some(CaseStatus::FalsePositive),
            _ => None,
        }
    }
}

/// A reviewer's decision on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    TrueMatch,
    FalsePositive,
}

impl Decision {
    pub fn status(self) -> CaseStatus {
        match self {
            Decision::TrueMatch => CaseStatus::TrueMatch,
            Decision::FalsePositive => CaseStatus::FalsePositive,
        }
    }
}

/// A match at or above the alert threshold for one counterparty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub counterparty_key: String,
    pub counterparty_name: String,
    pub source: String,
    pub entity_id: String,
    pub entity_hash: String,
    pub snapshot_id: i64,
    pub caption: String,
    pub matched_name: String,
    pub score: f64,
    /// The one-line explanation.
    pub explanation: String,
}

/// What raising an alert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "case", rename_all = "snake_case")]
pub enum AlertOutcome {
    /// A new case.
    Opened(i64),
    /// The case for this entity version is still awaiting review.
    AlreadyOpen(i64),
    /// A reviewer confirmed this entity version as a true match.
    Confirmed(i64),
    /// A reviewer cleared this entity version as a false positive: no new case.
    Suppressed(i64),
}

impl AlertOutcome {
    pub fn case_id(self) -> i64 {
        match self {
            AlertOutcome::Opened(id)
            | AlertOutcome::AlreadyOpen(id)
            | AlertOutcome::Confirmed(id)
            | AlertOutcome::Suppressed(id) => id,
        }
    }
}

/// A case: the alert that opened it, and its review. Serialised flat (the alert's fields
/// beside `id` and `status`), as the CLI's `--json` and the API have always shown it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub id: i64,
    #[serde(flatten)]
    pub alert: Alert,
    pub status: CaseStatus,
    pub opened_at: String,
    pub opened_by: String,
    pub opened_in: i64,
    pub reviewer: Option<String>,
    pub reason: Option<String>,
    pub reviewed_at: Option<String>,
    pub reviewed_in: Option<i64>,
}

const SELECT_CASE: &str = "SELECT id, counterparty_key, counterparty_name, source, entity_id, entity_hash,
    snapshot_id, caption, matched_name, score, explanation, status, opened_at, opened_by, opened_in,
    reviewer, reason, reviewed_at, reviewed_in FROM cases";

fn case_row(r: &Row<'_>) -> rusqlite::Result<Case> {
    let status = parsed_column(r, 11, |s| CaseStatus::parse(s).ok_or(format!("case status {s:?}")))?;
    Ok(Case {
        id: r.get(0)?,
        alert: Alert {
            counterparty_key: r.get(1)?,
            counterparty_name: r.get(2)?,
            source: r.get(3)?,
            entity_id: r.get(4)?,
            entity_hash: r.get(5)?,
            snapshot_id: r.get(6)?,
            caption: r.get(7)?,
            matched_name: r.get(8)?,
            score: r.get(9)?,
            explanation: r.get(10)?,
        },
        status,
        opened_at: r.get(12)?,
        opened_by: r.get(13)?,
        opened_in: r.get(14)?,
        reviewer: r.get(15)?,
        reason: r.get(16)?,
        reviewed_at: r.get(17)?,
        reviewed_in: r.get(18)?,
    })
}

impl AuditedTx<'_> {
    /// Opens a case for the alert unless one exists for the same counterparty and entity
    /// version, in which case its status decides the outcome (see the module docs).
    pub fn raise_alert(&self, alert: &Alert, actor: &str) -> Result<AlertOutcome> {
        // Prepared once per connection: this runs for every alert of every screening.
        let existing: Option<(i64, String)> = self
            .tx
            .prepare_cached(
                "SELECT id, status FROM cases
                 WHERE counterparty_key = ?1 AND source = ?2 AND entity_id = ?3 AND entity_hash = ?4",
            )?
            .query_row(params![alert.counterparty_key, alert.source, alert.entity_id, alert.entity_hash], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((id, status)) = existing {
            return Ok(match CaseStatus::parse(&status) {
                Some(CaseStatus::Open) => AlertOutcome::AlreadyOpen(id),
                Some(CaseStatus::TrueMatch) => AlertOutcome::Confirmed(id),
                Some(CaseStatus::FalsePositive) => AlertOutcome::Suppressed(id),
                None => return Err(Error::Corrupt { what: format!("case {id}"), message: format!("status {status:?}") }),
            });
        }
        self.tx.prepare_cached(
            "INSERT INTO cases (counterparty_key, counterparty_name, source, entity_id, entity_hash,
                snapshot_id, caption, matched_name, score, explanation, status, opened_at, opened_by, opened_in)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'open', ?11, ?12, ?13)",
        )?.execute(
            params![
                alert.counterparty_key,
                alert.counterparty_name,
                alert.source,
                alert.entity_id,
                alert.entity_hash,
                alert.snapshot_id,
                alert.caption,
                alert.matched_name,
                alert.score,
                alert.explanation,
                self.timestamp(),
                actor,
                self.seq(),
            ],
        )?;
        Ok(AlertOutcome::Opened(self.tx.last_insert_rowid()))
    }

    /// Records a reviewer's decision; returns the case as it was before. A decided case may
    /// be decided again (a correction); the trail keeps both decisions.
    pub fn review_case(&self, id: i64, decision: Decision, reviewer: &str, reason: &str) -> Result<Case> {
        if reviewer.trim().is_empty() {
            return Err(Error::Invalid(format!("case {id}: a review needs a reviewer")));
        }
        if reason.trim().is_empty() {
            return Err(Error::Invalid(format!("case {id}: a review needs a reason")));
        }
        let before = self
            .tx
            .query_row(&format!("{SELECT_CASE} WHERE id = ?1"), [id], case_row)
            .optional()?
            .ok_or(Error::NoCase(id))?;
        self.tx.execute(
            "UPDATE cases SET status = ?2, reviewer = ?3, reason = ?4, reviewed_at = ?5, reviewed_in = ?6 WHERE id = ?1",
            params![id, decision.status().as_str(), reviewer.trim(), reason.trim(), self.timestamp(), self.seq()],
        )?;
        Ok(before)
    }
}

impl AuditedTx<'_> {
    /// Like [`AuditedTx::review_case`], but only while the case is open: a decided case
    /// gives [`Error::AlreadyReviewed`]. Checked inside the write transaction, so no other
    /// review can come between the check and the decision.
    pub fn review_open_case(&self, id: i64, decision: Decision, reviewer: &str, reason: &str) -> Result<Case> {
        let current = self
            .tx
            .query_row(&format!("{SELECT_CASE} WHERE id = ?1"), [id], case_row)
            .optional()?
            .ok_or(Error::NoCase(id))?;
        if current.status != CaseStatus::Open {
            return Err(Error::AlreadyReviewed {
                id,
                status: current.status.as_str(),
                reviewer: current.reviewer.unwrap_or_default(),
                reviewed_at: current.reviewed_at.unwrap_or_default(),
            });
        }
        self.review_case(id, decision, reviewer, reason)
    }
}

impl Store {
    /// Cases, newest first; only those of one status if given.
    pub fn cases(&self, status: Option<CaseStatus>) -> Result<Vec<Case>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_CASE} WHERE ?1 IS NULL OR status = ?1 ORDER BY id DESC"))?;
        let rows = stmt.query_map([status.map(CaseStatus::as_str)], case_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One page of cases, newest first (of one status if given), with the number of such
    /// cases in all, read in one transaction so that the two agree.
    pub fn cases_page(&self, status: Option<CaseStatus>, limit: usize, offset: usize) -> Result<(Vec<Case>, u64)> {
        let status = status.map(CaseStatus::as_str);
        let tx = self.conn.unchecked_transaction()?;
        let total: i64 =
            tx.query_row("SELECT COUNT(*) FROM cases WHERE ?1 IS NULL OR status = ?1", [status], |r| r.get(0))?;
        let mut stmt =
            tx.prepare(&format!("{SELECT_CASE} WHERE ?1 IS NULL OR status = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"))?;
        let rows = stmt.query_map(params![status, to_sql_count(limit), to_sql_count(offset)], case_row)?;
        let page = rows.collect::<rusqlite::Result<Vec<Case>>>()?;
        Ok((page, total.try_into().unwrap_or(0)))
    }

    pub fn case(&self, id: i64) -> Result<Option<Case>> {
        Ok(self.conn.query_row(&format!("{SELECT_CASE} WHERE id = ?1"), [id], case_row).optional()?)
    }
}
