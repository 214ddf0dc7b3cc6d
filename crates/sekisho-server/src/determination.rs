//! What `POST /determine` and the `/classify` routes read: the latest rulebook (loaded
//! once and replaced when a newer version is imported) with its search index (built on the
//! first search of that version), the authored rules built into the binary, and the
//! human-rights indicators (read on the first cyber-surveillance item).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use sekisho_determine::AuthoredRules;
use sekisho_rights::IndicatorSet;
use sekisho_rules::{Rulebook, SearchIndex};
use sekisho_store::{RulebookInfo, Store};

use crate::error::ApiError;

/// A rulebook version and what the store says about it (sequence, sources, credits).
pub struct RulebookInService {
    pub book: Rulebook,
    pub info: RulebookInfo,
    search: OnceLock<SearchIndex>,
}

impl RulebookInService {
    /// The classification search index of this version, built on first use (tens of
    /// milliseconds) and kept until a newer version replaces this one.
    pub fn search_index(&self) -> &SearchIndex {
        self.search.get_or_init(|| SearchIndex::build(&self.book))
    }
}

pub struct Determiner {
    rulebook: RwLock<Option<Arc<RulebookInService>>>,
    /// One load at a time: concurrent first requests wait for one decode.
    loading: Mutex<()>,
    authored: OnceLock<Result<AuthoredRules, String>>,
    rights_dir: PathBuf,
    rights: OnceLock<Option<IndicatorSet>>,
}

/// The 503 answer while the store holds no rulebook.
pub fn no_rulebook() -> ApiError {
    ApiError::unavailable("no rulebook imported: run `sekisho rules import` on the server's store; the server picks it up on the next request")
}

impl Determiner {
    pub fn new(rights_dir: PathBuf) -> Determiner {
        Determiner {
            rulebook: RwLock::new(None),
            loading: Mutex::new(()),
            authored: OnceLock::new(),
            rights_dir,
            rights: OnceLock::new(),
        }
    }

    /// The newest rulebook in the store. Each call reads only the version list (a few
    /// rows); the rulebook itself is decoded again only when a newer version was imported.
    /// Requests in flight keep the version they started with.
    pub fn rulebook(&self, store: &Store) -> Result<Arc<RulebookInService>, ApiError> {
        let latest = store.rulebook_versions()?.pop().ok_or_else(no_rulebook)?;
        if let Some(current) = self.current().filter(|c| c.info.seq == latest.seq) {
            return Ok(current);
        }
        let _one_load = self.loading.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(current) = self.current().filter(|c| c.info.seq == latest.seq) {
            return Ok(current);
        }
        let book = store.rulebook(&latest.id)?.ok_or_else(no_rulebook)?;
        eprintln!("rulebook in service: version {} ({})", latest.seq, latest.id);
        let loaded = Arc::new(RulebookInService { book, info: latest, search: OnceLock::new() });
        *self.rulebook.write().unwrap_or_else(|e| e.into_inner()) = Some(loaded.clone());
        Ok(loaded)
    }

    fn current(&self) -> Option<Arc<RulebookInService>> {
        self.rulebook.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The authored rules compiled into the binary, parsed once.
    pub fn authored(&self) -> Result<&AuthoredRules, ApiError> {
        self.authored
            .get_or_init(|| AuthoredRules::embedded().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| ApiError::internal(format_args!("the embedded authored rules do not load: {e}")))
    }

    /// The human-rights indicators, read once; `None` (logged) when the folder cannot be
    /// read, and the engine then reports the risk as unknown.
    pub fn indicators(&self) -> Option<&IndicatorSet> {
        self.rights
            .get_or_init(|| match IndicatorSet::import(&self.rights_dir) {
                Ok(set) => Some(set),
                Err(e) => {
                    eprintln!("warning: human-rights indicators not read from {} ({e}); risk reported as unknown", self.rights_dir.display());
                    None
                }
            })
            .as_ref()
    }
}
