//! Rulebook versions and classification decisions (該非判定 records).
//!
//! A rulebook is stored whole as JSON under its content id (`sha256:...`, see
//! [`sekisho_rules::Rulebook::content_id`]), so importing identical files again makes no new
//! version. Classification decisions are append-only: a change is a new record that names the
//! version it replaces, and the old one stays. Both are written with their audit record in
//! one transaction.

use rusqlite::{OptionalExtension, Row, params};
use sekisho_rules::{Regime, ResolvedCode, Rulebook, SourceRef};
use serde::Serialize;
use serde_json::json;

use crate::columns::{json_column, parsed_column};
use crate::{Error, Result, Store};

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS rulebooks (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    imported_at TEXT NOT NULL,
    sources TEXT NOT NULL,
    counts TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS classifications (
    seq INTEGER PRIMARY KEY,
    item TEXT NOT NULL,
    regime TEXT NOT NULL,
    -- 1 for the first decision on (item, regime), then 2, 3, ...
    version INTEGER NOT NULL,
    code TEXT NOT NULL,
    entry TEXT,
    citation TEXT NOT NULL,
    justification TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    rulebook_id TEXT NOT NULL,
    UNIQUE (item, regime, version)
);
CREATE TRIGGER IF NOT EXISTS classifications_no_update BEFORE UPDATE ON classifications
    BEGIN SELECT RAISE(ABORT, 'classification records are kept: record a new decision instead'); END;
CREATE TRIGGER IF NOT EXISTS classifications_no_delete BEFORE DELETE ON classifications
    BEGIN SELECT RAISE(ABORT, 'classification records are kept: record a new decision instead'); END;
";

/// A stored rulebook version, without its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulebookInfo {
    /// Order of import (1, 2, ...).
    pub seq: i64,
    pub id: String,
    pub imported_at: String,
    pub sources: Vec<SourceRef>,
    pub counts: std::collections::BTreeMap<String, usize>,
}

/// What `put_rulebook` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulebookStored {
    New(RulebookInfo),
    /// A version with the same content id exists: nothing was written.
    Unchanged(RulebookInfo),
}

/// One classification decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassificationRecord {
    pub seq: i64,
    /// The exporter's item identifier (part number, product name).
    pub item: String,
    pub regime: Regime,
    pub version: i64,
    pub code: String,
    pub entry: Option<String>,
    pub citation: String,
    pub justification: String,
    pub decided_by: String,
    pub decided_at: String,
    /// The rulebook version the code was checked against.
    pub rulebook_id: String,
}

const SELECT_INFO: &str = "SELECT seq, id, imported_at, sources, counts FROM rulebooks";

fn info_row(r: &Row<'_>) -> rusqlite::Result<RulebookInfo> {
    Ok(RulebookInfo {
        seq: r.get(0)?,
        id: r.get(1)?,
        imported_at: r.get(2)?,
        sources: json_column(r, 3)?,
        counts: json_column(r, 4)?,
    })
}

/// Reads a stored rulebook and checks it against its id, so a damaged or edited row is
/// reported rather than used.
fn decode_rulebook(id: &str, data: &str) -> Result<Rulebook> {
    let book: Rulebook =
        serde_json::from_str(data).map_err(|e| Error::Corrupt { what: format!("rulebook {id}"), message: e.to_string() })?;
    if book.version.id != id || book.content_id() != id {
        return Err(Error::Corrupt {
            what: format!("rulebook {id}"),
            message: "its content does not match its id".into(),
        });
    }
    Ok(book)
}

const SELECT_CLASSIFICATION: &str = "SELECT seq, item, regime, version, code, entry, citation, justification,
    decided_by, decided_at, rulebook_id FROM classifications";

fn classification_row(r: &Row<'_>) -> rusqlite::Result<ClassificationRecord> {
    let regime = parsed_column(r, 2, str::parse::<Regime>)?;
    Ok(ClassificationRecord {
        seq: r.get(0)?,
        item: r.get(1)?,
        regime,
        version: r.get(3)?,
        code: r.get(4)?,
        entry: r.get(5)?,
        citation: r.get(6)?,
        justification: r.get(7)?,
        decided_by: r.get(8)?,
        decided_at: r.get(9)?,
        rulebook_id: r.get(10)?,
    })
}

impl Store {
    /// Stores a rulebook as a new version unless one with the same content id exists; a
    /// new version is recorded in the audit trail (`rules_import`) in the same transaction.
    pub fn put_rulebook(&mut self, actor: &str, rulebook: &Rulebook) -> Result<RulebookStored> {
        if let Some(existing) = self.rulebook_info(&rulebook.version.id)? {
            return Ok(RulebookStored::Unchanged(existing));
        }
        if rulebook.content_id() != rulebook.version.id {
            return Err(Error::Invalid(format!(
                "rulebook {} does not match its content ({}); it was changed after import",
                rulebook.version.id,
                rulebook.content_id()
            )));
        }
        let data = serde_json::to_string(rulebook).map_err(|e| Error::Invalid(format!("rulebook: {e}")))?;
        let sources = serde_json::to_string(&rulebook.version.sources).map_err(|e| Error::Invalid(e.to_string()))?;
        let counts = rulebook.counts();
        let counts_json = serde_json::to_string(&counts).map_err(|e| Error::Invalid(e.to_string()))?;
        let files: Vec<_> = rulebook
            .version
            .sources
            .iter()
            .map(|s| json!({ "file": s.file, "sha256": s.sha256, "data_date": s.data_date }))
            .collect();
        let details = json!({
            "summary": format!("rulebook {} put into service", rulebook.version.id),
            "rulebook_id": rulebook.version.id,
            "sources": files,
            "counts": counts,
        });
        let (seq, _) = self.audited(actor, "rules_import", |atx| {
            atx.tx.execute(
                "INSERT INTO rulebooks (id, imported_at, sources, counts, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![rulebook.version.id, rulebook.version.imported_at, sources, counts_json, data],
            )?;
            Ok((atx.tx.last_insert_rowid(), details))
        })?;
        let info = self.rulebook_versions()?.into_iter().find(|v| v.seq == seq).ok_or_else(|| Error::Corrupt {
            what: format!("rulebook {}", rulebook.version.id),
            message: "not found after insert".into(),
        })?;
        Ok(RulebookStored::New(info))
    }

    /// Every stored rulebook version, oldest first.
    pub fn rulebook_versions(&self) -> Result<Vec<RulebookInfo>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_INFO} ORDER BY seq"))?;
        let rows = stmt.query_map([], info_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn rulebook_info(&self, id: &str) -> Result<Option<RulebookInfo>> {
        Ok(self.conn.query_row(&format!("{SELECT_INFO} WHERE id = ?1"), [id], info_row).optional()?)
    }

    /// The most recently imported rulebook (the one in service), if any.
    pub fn latest_rulebook(&self) -> Result<Option<Rulebook>> {
        let data: Option<(String, String)> = self
            .conn
            .query_row("SELECT id, data FROM rulebooks ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        data.map(|(id, data)| decode_rulebook(&id, &data)).transpose()
    }

    /// A stored rulebook version by id (the one a classification record names).
    pub fn rulebook(&self, id: &str) -> Result<Option<Rulebook>> {
        let data: Option<String> =
            self.conn.query_row("SELECT data FROM rulebooks WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        data.map(|data| decode_rulebook(id, &data)).transpose()
    }

    /// Records a classification decision as the next version for (item, regime), with its
    /// audit record (`classify_record`, by `actor`). `decided_by` is who made the decision
    /// (often the actor). `code` must have been resolved against the rulebook `rulebook_id`.
    pub fn record_classification(
        &mut self,
        actor: &str,
        decided_by: &str,
        item: &str,
        code: &ResolvedCode,
        justification: &str,
        rulebook_id: &str,
    ) -> Result<ClassificationRecord> {
        let item = item.trim();
        if item.is_empty() || item.chars().any(char::is_control) {
            return Err(Error::Invalid("a classification needs an item id without control characters".into()));
        }
        let decided_by = decided_by.trim();
        if decided_by.is_empty() {
            return Err(Error::Invalid("a classification needs who decided it".into()));
        }
        if justification.trim().is_empty() {
            return Err(Error::Invalid("a classification needs a justification".into()));
        }
        let regime = code.regime.as_str();
        let (seq, _) = self.audited(actor, "classify_record", |atx| {
            let previous: Option<(i64, String)> = atx
                .tx
                .query_row(
                    "SELECT version, code FROM classifications WHERE item = ?1 AND regime = ?2
                     ORDER BY version DESC LIMIT 1",
                    params![item, regime],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let version = previous.as_ref().map_or(1, |(v, _)| v + 1);
            atx.tx.execute(
                "INSERT INTO classifications (item, regime, version, code, entry, citation, justification,
                    decided_by, decided_at, rulebook_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    item,
                    regime,
                    version,
                    code.code,
                    code.entry,
                    code.citation,
                    justification.trim(),
                    decided_by,
                    atx.timestamp(),
                    rulebook_id
                ],
            )?;
            let details = json!({
                "summary": format!("{item}: {regime} {} (version {version})", code.code),
                "item": item,
                "regime": regime,
                "version": version,
                "code": code.code,
                "previous_code": previous.map(|(_, c)| c),
                "citation": code.citation,
                "justification": justification.trim(),
                "decided_by": decided_by,
                "rulebook_id": rulebook_id,
            });
            Ok((atx.tx.last_insert_rowid(), details))
        })?;
        self.conn
            .query_row(&format!("{SELECT_CLASSIFICATION} WHERE seq = ?1"), [seq], classification_row)
            .map_err(Error::from)
    }

    /// Every decision on an item, oldest first (all regimes).
    pub fn classification_history(&self, item: &str) -> Result<Vec<ClassificationRecord>> {
        let mut stmt =
            self.conn.prepare(&format!("{SELECT_CLASSIFICATION} WHERE item = ?1 ORDER BY regime, version"))?;
        let rows = stmt.query_map([item.trim()], classification_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
