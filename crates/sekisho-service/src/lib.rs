//! Screening with an audit trail and case review: what the CLI and the HTTP server share.
//!
//! [`Service`] owns the [`Store`] and does, each in one transaction with its audit record:
//! - [`Service::screen`]: screen a query against the [`ListsInService`], record the query,
//!   the list versions, every match with its entity version hash, and open a case per alert;
//! - [`Service::record_screening`]: the same record for matches a caller (the HTTP server)
//!   found on its own index;
//! - [`Service::review_case`]: a reviewer's true-match / false-positive decision and reason
//!   ([`Service::review_open_case`]: only if no one has decided it yet);
//! - [`Service::save_counterparties`] and [`Service::screen_counterparty`]: saved parties;
//! - [`Service::delta_screen`]: after a list changed, screen every saved counterparty against
//!   only the entities the new snapshots added or changed;
//! - [`Service::record_imports`]: list snapshots put into service.
//!
//! [`determination`] runs a licence determination from the transaction's text to its audit
//! record (parse, party screening, human-rights input, engine, record), for
//! `sekisho determine` and `POST /determine` alike.
//!
//! Screening is pure CPU work on an index the caller loads once ([`ListsInService::load`]);
//! the store is touched only to record.

mod counterparty;
pub mod determination;
mod delta;
mod export;
mod lists;
mod screening;

use serde_json::json;

pub use counterparty::{CounterpartyInput, counterparty_key};
pub use delta::{DeltaHit, DeltaOutcome};
pub use export::write_audit_csv;
pub use lists::{ListsInService, describe_snapshots};
pub use screening::{ScreenedMatch, ScreeningRecord, Subject, ToRecord, not_in_snapshot, snapshot_of, version_matches};
pub use sekisho_store::{AlertOutcome, Case, CaseStatus, Counterparty, Decision, Saved, SnapshotInfo, Store};

/// A match at or above this score opens a case (the documented operating threshold).
pub const ALERT_THRESHOLD: f64 = sekisho_match::OPERATING_THRESHOLD;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] sekisho_store::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

pub struct Service {
    store: Store,
    /// The list set that `screen` records name, with the snapshots it describes: built again
    /// only when they change (see [`sekisho_store::ListSet`]).
    list_set: Option<(Vec<SnapshotInfo>, sekisho_store::ListSet)>,
}

impl Service {
    pub fn new(store: Store) -> Service {
        Service { store, list_set: None }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Records a reviewer's decision on a case, with the reason, in the audit trail.
    /// `reviewer` defaults to the actor. Returns the case as decided. A decided case may be
    /// decided again (a correction); the trail keeps both decisions.
    pub fn review_case(
        &mut self,
        actor: &str,
        case_id: i64,
        decision: Decision,
        reason: &str,
        reviewer: Option<&str>,
    ) -> Result<Case> {
        self.review(actor, case_id, decision, reason, reviewer, false)
    }

    /// Like [`Service::review_case`], but only while the case is open: a case someone else
    /// decided meanwhile gives `sekisho_store::Error::AlreadyReviewed` and nothing is recorded (two
    /// reviewers working from the same list of open cases do not overwrite each other).
    pub fn review_open_case(
        &mut self,
        actor: &str,
        case_id: i64,
        decision: Decision,
        reason: &str,
        reviewer: Option<&str>,
    ) -> Result<Case> {
        self.review(actor, case_id, decision, reason, reviewer, true)
    }

    fn review(
        &mut self,
        actor: &str,
        case_id: i64,
        decision: Decision,
        reason: &str,
        reviewer: Option<&str>,
        only_open: bool,
    ) -> Result<Case> {
        let reviewer = reviewer.unwrap_or(actor);
        self.store.audited(actor, "review", |tx| {
            let before = if only_open {
                tx.review_open_case(case_id, decision, reviewer, reason)?
            } else {
                tx.review_case(case_id, decision, reviewer, reason)?
            };
            let details = json!({
                "summary": format!("case {case_id} ({} ~ {}): {} → {}",
                    before.alert.counterparty_name, before.alert.caption, before.status.as_str(), decision.status().as_str()),
                "case": case_id,
                "counterparty": before.alert.counterparty_key,
                "source": before.alert.source,
                "entity_id": before.alert.entity_id,
                "entity_hash": before.alert.entity_hash,
                "score": before.alert.score,
                "previous_status": before.status,
                "decision": decision,
                "reviewer": reviewer.trim(),
                "reason": reason.trim(),
            });
            Ok(((), details))
        })?;
        Ok(self.store.case(case_id)?.ok_or(sekisho_store::Error::NoCase(case_id))?)
    }

    /// Records that snapshots went into service (`lists import` / `lists update`).
    pub fn record_imports(&mut self, actor: &str, snapshots: &[SnapshotInfo]) -> Result<()> {
        if snapshots.is_empty() {
            return Ok(());
        }
        let listed: Vec<_> = snapshots.iter().map(lists::describe_snapshot).collect();
        let sources: Vec<&str> = snapshots.iter().map(|s| s.source.as_str()).collect();
        self.store.append_audit(
            actor,
            "import",
            json!({
                "summary": format!("put into service: {}", sources.join(", ")),
                "snapshots": listed,
            }),
        )?;
        Ok(())
    }
}
