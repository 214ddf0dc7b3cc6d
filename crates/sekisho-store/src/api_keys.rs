//! API keys for the HTTP service: stored as the SHA-256 of the key, never the key itself.
//!
//! A key is shown once, when it is created; the store keeps its hash, a short prefix to
//! recognise it by, its name and its role. Revoking keeps the row (for the record) and
//! frees the name for a new key.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Error, Result, Store};

pub(crate) const API_KEYS_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('screener', 'reviewer', 'admin')),
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
-- One live key per name; revoked keys stay on record.
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_live_name ON api_keys (name) WHERE revoked_at IS NULL;
-- A counter that every change to the keys moves on (triggers, so that changes made by any
-- process, or by hand, count): a server caches verified keys and drops its cache when the
-- counter moves, so a revocation takes effect within a millisecond without a key lookup per request.
CREATE TABLE IF NOT EXISTS api_keys_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT OR IGNORE INTO api_keys_state VALUES (1, 0);
CREATE TRIGGER IF NOT EXISTS api_keys_insert_generation AFTER INSERT ON api_keys
    BEGIN UPDATE api_keys_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS api_keys_update_generation AFTER UPDATE ON api_keys
    BEGIN UPDATE api_keys_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS api_keys_delete_generation AFTER DELETE ON api_keys
    BEGIN UPDATE api_keys_state SET generation = generation + 1 WHERE id = 1; END;
";

/// What a key may do. Ordered: each role may do what the roles before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiRole {
    /// Screen and look up entities.
    Screener,
    /// Also review cases.
    Reviewer,
    /// Also administer the service (reload lists).
    Admin,
}

impl ApiRole {
    pub const ALL: [ApiRole; 3] = [ApiRole::Screener, ApiRole::Reviewer, ApiRole::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            ApiRole::Screener => "screener",
            ApiRole::Reviewer => "reviewer",
            ApiRole::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<ApiRole> {
        ApiRole::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for ApiRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKeyInfo {
    pub id: i64,
    pub name: String,
    pub role: ApiRole,
    /// The first characters of the key, to tell keys apart without revealing them.
    pub prefix: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// Keys start with this marker so that a leaked one is recognisable in logs and scans.
const KEY_MARKER: &str = "sks_";
const KEY_RANDOM_BYTES: usize = 24;
const PREFIX_LEN: usize = KEY_MARKER.len() + 8;

fn hash_key(plaintext: &str) -> String {
    hex::encode(Sha256::digest(plaintext.as_bytes()))
}

fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

impl Store {
    /// Creates a key; returns the key itself (to show once) and its record.
    pub fn create_api_key(&mut self, name: &str, role: ApiRole) -> Result<(String, ApiKeyInfo)> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(Error::InvalidApiKeyName(name.to_string()));
        }
        let mut random = [0u8; KEY_RANDOM_BYTES];
        getrandom::getrandom(&mut random)
            .map_err(|e| Error::Randomness(e.to_string()))?;
        let plaintext = format!("{KEY_MARKER}{}", hex::encode(random));
        let inserted = self.conn.execute(
            "INSERT INTO api_keys (name, role, key_hash, prefix, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, role.as_str(), hash_key(&plaintext), &plaintext[..PREFIX_LEN], now()],
        );
        match inserted {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                return Err(Error::ApiKeyExists(name.to_string()));
            }
            Err(e) => return Err(e.into()),
        }
        let id = self.conn.last_insert_rowid();
        let info = self.api_key_where("id = ?1", id)?.ok_or(Error::UnknownApiKey(name.to_string()))?;
        Ok((plaintext, info))
    }

    /// The live (unrevoked) key with this plaintext, if any.
    pub fn verify_api_key(&self, plaintext: &str) -> Result<Option<ApiKeyInfo>> {
        self.api_key_where("key_hash = ?1 AND revoked_at IS NULL", hash_key(plaintext.trim()))
    }

    /// A number that changes whenever any key is created, revoked, altered or removed (by
    /// any process). A cache of verified keys is valid while this stays the same.
    pub fn api_keys_generation(&self) -> Result<i64> {
        let mut stmt = self.conn.prepare_cached("SELECT generation FROM api_keys_state WHERE id = 1")?;
        Ok(stmt.query_row([], |r| r.get(0))?)
    }

    /// Every key, revoked ones included, oldest first.
    pub fn list_api_keys(&self) -> Result<Vec<ApiKeyInfo>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_KEY} ORDER BY id"))?;
        let rows = stmt.query_map([], key_row)?;
        rows.map(|r| r?).collect()
    }

    /// Revokes the live key of this name; it stops working in a running server within a millisecond.
    pub fn revoke_api_key(&mut self, name: &str) -> Result<ApiKeyInfo> {
        let live = self
            .api_key_where("name = ?1 AND revoked_at IS NULL", name.trim())?
            .ok_or_else(|| Error::UnknownApiKey(name.trim().to_string()))?;
        self.conn.execute("UPDATE api_keys SET revoked_at = ?1 WHERE id = ?2", params![now(), live.id])?;
        self.api_key_where("id = ?1", live.id)?.ok_or(Error::UnknownApiKey(live.name))
    }

    fn api_key_where(&self, condition: &str, value: impl rusqlite::ToSql) -> Result<Option<ApiKeyInfo>> {
        let mut stmt = self.conn.prepare_cached(&format!("{SELECT_KEY} WHERE {condition}"))?;
        stmt.query_row([value], key_row).optional()?.transpose()
    }
}

const SELECT_KEY: &str = "SELECT id, name, role, prefix, created_at, revoked_at FROM api_keys";

fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<ApiKeyInfo>> {
    let role: String = r.get(2)?;
    let Some(role) = ApiRole::parse(&role) else {
        return Ok(Err(Error::Corrupt { what: "api key role".into(), message: format!("unknown role {role:?}") }));
    };
    Ok(Ok(ApiKeyInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        role,
        prefix: r.get(3)?,
        created_at: r.get(4)?,
        revoked_at: r.get(5)?,
    }))
}
