//! The audit trail as CSV, for auditors' spreadsheets.

use std::io::Write;

use sekisho_store::audit::canonical_json;

use crate::{Result, Store};

/// Writes the records at or after `since` (RFC 3339 or a date) as CSV: seq, timestamp,
/// actor, action, summary, details (canonical JSON), prev_hash, hash. Fields are quoted as
/// CSV requires (commas, quotes, line breaks). Returns how many records were written.
pub fn write_audit_csv(store: &Store, out: impl Write, since: Option<&str>) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["seq", "timestamp", "actor", "action", "summary", "details", "prev_hash", "hash"])?;
    let mut n = 0u64;
    store.for_each_audit_record(since, |r| {
        let summary = r.details.get("summary").and_then(|s| s.as_str()).unwrap_or_default().to_string();
        let row = [r.seq.to_string(), r.timestamp, r.actor, r.action, summary, canonical_json(&r.details), r.prev_hash, r.hash];
        w.write_record(&row).map_err(|e| sekisho_store::Error::Invalid(format!("cannot write CSV: {e}")))?;
        n += 1;
        Ok(())
    })?;
    w.flush()?;
    Ok(n)
}
