//! Saved counterparties: the customers and partners screened again whenever a list changes.

use rusqlite::{OptionalExtension, Row, params};
use sekisho_model::Schema;
use serde::Serialize;

use crate::audit::AuditedTx;
use crate::columns::json_column;
use crate::{Result, Store};

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS counterparties (
    -- The customer id if the user gave one, else normalised name + schema + country.
    key TEXT PRIMARY KEY,
    customer_id TEXT,
    name TEXT NOT NULL,
    schema TEXT,
    country TEXT,
    birth_date TEXT,
    identifiers TEXT NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counterparty {
    pub key: String,
    pub customer_id: Option<String>,
    pub name: String,
    pub schema: Option<Schema>,
    /// ISO-2 code.
    pub country: Option<String>,
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    pub birth_date: Option<String>,
    pub identifiers: Vec<String>,
    pub added_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Saved {
    Added,
    Updated,
    Unchanged,
}

fn counterparty_row(r: &Row<'_>) -> rusqlite::Result<Counterparty> {
    let schema: Option<String> = r.get(3)?;
    Ok(Counterparty {
        key: r.get(0)?,
        customer_id: r.get(1)?,
        name: r.get(2)?,
        schema: schema.as_deref().and_then(Schema::parse),
        country: r.get(4)?,
        birth_date: r.get(5)?,
        identifiers: json_column(r, 6)?,
        added_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

const SELECT_COUNTERPARTY: &str =
    "SELECT key, customer_id, name, schema, country, birth_date, identifiers, added_at, updated_at FROM counterparties";

impl AuditedTx<'_> {
    /// Adds the counterparty, or updates the one saved under the same key. The timestamps
    /// of `c` are ignored: the transaction's time is used.
    pub fn save_counterparty(&self, c: &Counterparty) -> Result<Saved> {
        let existing = self
            .tx
            .query_row(&format!("{SELECT_COUNTERPARTY} WHERE key = ?1"), [&c.key], counterparty_row)
            .optional()?;
        let same = |e: &Counterparty| {
            (&e.customer_id, &e.name, e.schema, &e.country, &e.birth_date, &e.identifiers)
                == (&c.customer_id, &c.name, c.schema, &c.country, &c.birth_date, &c.identifiers)
        };
        let outcome = match &existing {
            Some(e) if same(e) => return Ok(Saved::Unchanged),
            Some(_) => Saved::Updated,
            None => Saved::Added,
        };
        let identifiers = serde_json::to_string(&c.identifiers).expect("strings serialise");
        self.tx.execute(
            "INSERT INTO counterparties (key, customer_id, name, schema, country, birth_date, identifiers, added_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
             ON CONFLICT (key) DO UPDATE SET customer_id = excluded.customer_id, name = excluded.name,
                schema = excluded.schema, country = excluded.country, birth_date = excluded.birth_date,
                identifiers = excluded.identifiers, updated_at = excluded.updated_at",
            params![
                c.key,
                c.customer_id,
                c.name,
                c.schema.map(Schema::as_str),
                c.country,
                c.birth_date,
                identifiers,
                self.timestamp()
            ],
        )?;
        Ok(outcome)
    }
}

impl Store {
    /// Every saved counterparty, by key.
    pub fn counterparties(&self) -> Result<Vec<Counterparty>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_COUNTERPARTY} ORDER BY key"))?;
        let rows = stmt.query_map([], counterparty_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn counterparty(&self, key: &str) -> Result<Option<Counterparty>> {
        Ok(self
            .conn
            .query_row(&format!("{SELECT_COUNTERPARTY} WHERE key = ?1"), [key], counterparty_row)
            .optional()?)
    }
}
