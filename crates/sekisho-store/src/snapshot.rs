//! A list ready to store: entities serialised and hashed, counts taken.

use std::collections::{BTreeMap, HashSet};

use sekisho_lists::{FileDigest, SourceList};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// Everything an import writes, computed before the write transaction opens so that the
/// CPU work (serialising, hashing) can run in parallel for several sources and the
/// transaction stays short.
#[derive(Debug, Clone)]
pub struct PreparedSnapshot {
    pub source: String,
    pub format: String,
    pub publisher: String,
    pub list_date: Option<String>,
    /// Where the files came from: a path or a URL.
    pub origin: String,
    /// When the files were obtained (RFC 3339).
    pub retrieved_at: String,
    pub files: Vec<FileDigest>,
    pub counts: BTreeMap<String, usize>,
    /// SHA-256 over the sorted (id, entity hash) pairs: equal lists have equal content hashes.
    pub content_hash: String,
    pub(crate) entities: Vec<StoredEntity>,
}

#[derive(Debug, Clone)]
pub(crate) struct StoredEntity {
    pub id: String,
    pub hash: [u8; 32],
    pub json: Vec<u8>,
}

impl PreparedSnapshot {
    pub fn new(list: &SourceList, origin: &str, retrieved_at: &str) -> Result<PreparedSnapshot> {
        let mut seen = HashSet::with_capacity(list.entities.len());
        let mut counts = BTreeMap::new();
        let mut entities = Vec::with_capacity(list.entities.len());
        for entity in &list.entities {
            if !seen.insert(entity.id.as_str()) {
                return Err(Error::DuplicateId {
                    source_name: list.source.clone(),
                    id: entity.id.clone(),
                });
            }
            *counts.entry(entity.schema.to_string()).or_insert(0) += 1;
            let json = serde_json::to_vec(entity).map_err(|e| Error::Corrupt {
                what: format!("entity {}", entity.id),
                message: e.to_string(),
            })?;
            entities.push(StoredEntity {
                id: entity.id.clone(),
                hash: Sha256::digest(&json).into(),
                json,
            });
        }
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        let mut content = Sha256::new();
        for e in &entities {
            content.update(e.id.as_bytes());
            content.update([0]);
            content.update(e.hash);
        }
        Ok(PreparedSnapshot {
            source: list.source.clone(),
            format: list.format.to_string(),
            publisher: list.publisher.clone(),
            list_date: list.list_date.clone(),
            origin: origin.to_string(),
            retrieved_at: retrieved_at.to_string(),
            files: list.files.clone(),
            counts,
            content_hash: hex::encode(content.finalize()),
            entities,
        })
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }
}

/// A stored snapshot as `lists status` and the audit trail describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    pub id: i64,
    pub source: String,
    pub format: String,
    pub publisher: String,
    pub list_date: Option<String>,
    pub origin: String,
    pub retrieved_at: String,
    pub imported_at: String,
    pub files: Vec<FileDigest>,
    pub counts: BTreeMap<String, usize>,
    pub entity_count: usize,
    pub content_hash: String,
    /// Whether this is the snapshot in service for its source.
    pub active: bool,
}
