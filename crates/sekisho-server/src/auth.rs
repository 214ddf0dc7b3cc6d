//! API keys on every route that needs one, and the per-route request metrics.
//!
//! Verified keys are cached (SHA-256 of the key → its record), so that the check of a
//! known key needs the key table's generation counter, not a key lookup on a blocking
//! thread. Any change to the keys (create, revoke, by any process) moves the counter on and
//! empties the cache. The counter is a one-row read, made on the request's own thread at
//! most once per [`GENERATION_FRESH`] (the requests in between use the last value read), so
//! a revocation takes effect within that millisecond. Unknown keys are looked up every time
//! and never cached.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sekisho_store::{ApiKeyInfo, ApiRole};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::routes::Access;
use crate::state::Shared;

/// What the guard of one route knows.
#[derive(Clone)]
pub struct RouteGuard {
    pub state: Shared,
    pub route: &'static str,
    pub access: Access,
}

/// Who acted, as the audit trail names them: the key's name, or a fixed name when the
/// server runs without keys.
pub fn actor_name(key: Option<&ApiKeyInfo>) -> String {
    key.map_or_else(|| ANONYMOUS.to_string(), |k| k.name.clone())
}

/// The actor of requests to a server started with `--no-auth`.
pub const ANONYMOUS: &str = "anonymous (--no-auth)";

/// Checks the key (when the route needs one), runs the handler and records the outcome.
pub async fn guard(State(guard): State<RouteGuard>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let response = match authorize(&guard, request.headers()).await {
        Ok(key) => {
            if let Some(key) = key {
                request.extensions_mut().insert(key);
            }
            next.run(request).await
        }
        Err(e) => e.into_response(),
    };
    guard.state.metrics.record(guard.route, &method, response.status().as_u16(), started.elapsed());
    response
}

async fn authorize(guard: &RouteGuard, headers: &HeaderMap) -> Result<Option<ApiKeyInfo>, ApiError> {
    let Access::Role(needed) = guard.access else { return Ok(None) };
    if !guard.state.config.auth {
        return Ok(None);
    }
    let key = presented_key(headers)?;
    let digest: [u8; 32] = Sha256::digest(key.as_bytes()).into();
    let state = &guard.state;
    // A short read (one row), cheaper than the hop to a blocking thread it saves, and made
    // once for all the requests of a millisecond.
    let generation = || state.keys.generation(Instant::now(), || Ok(state.stores.with(|store| store.api_keys_generation())?));
    let info = match state.keys.get(generation()?, &digest) {
        Some(info) => info,
        None => {
            // A few lookups at a time: when the cache is cold (at start, or after a key
            // change) under 64 connections, each request would otherwise take a blocking
            // thread and a store connection of its own at once, and SQLite keeps the
            // descriptors of connections closed while others are open (25 on sekisho.db
            // after such a start). Those that waited find the key cached.
            let _few_at_a_time = state.keys.lookups.acquire().await;
            // Read again: the wait may have outlasted a revocation.
            let generation = generation()?;
            if let Some(info) = state.keys.get(generation, &digest) {
                return allowed(info, needed);
            }
            let info = state.store_task(move |state| Ok(state.stores.with(|store| store.verify_api_key(&key))?)).await?;
            let info = info.ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "invalid or revoked API key"))?;
            // Filed under the generation read before the lookup: if the keys changed in
            // between, the next request sees a newer generation and looks up again.
            state.keys.insert(generation, digest, info.clone());
            info
        }
    };
    allowed(info, needed)
}

/// The key, if its role is enough for the route.
fn allowed(info: ApiKeyInfo, needed: ApiRole) -> Result<Option<ApiKeyInfo>, ApiError> {
    if info.role < needed {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!("this endpoint needs the {needed} role; the key {:?} has the {} role", info.name, info.role),
        ));
    }
    Ok(Some(info))
}

/// The key from `Authorization: ApiKey <key>` (yente's scheme) or `Bearer <key>`.
fn presented_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let missing = || {
        ApiError::new(StatusCode::UNAUTHORIZED, "missing API key: send the header `Authorization: ApiKey <key>`")
    };
    let value = headers.get(header::AUTHORIZATION).ok_or_else(missing)?;
    let value = value.to_str().map_err(|_| ApiError::new(StatusCode::UNAUTHORIZED, "Authorization header is not ASCII"))?;
    let (scheme, key) = value.trim().split_once(' ').ok_or_else(missing)?;
    if !(scheme.eq_ignore_ascii_case("apikey") || scheme.eq_ignore_ascii_case("bearer")) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            format!("unsupported Authorization scheme {scheme:?}: use `ApiKey <key>` or `Bearer <key>`"),
        ));
    }
    let key = key.trim();
    if key.is_empty() {
        return Err(missing());
    }
    Ok(key.to_string())
}

/// Keys cached at once, at most; past it the cache starts afresh.
const MAX_CACHED_KEYS: usize = 1024;

/// How long the key table's generation, once read, is taken as current. A key revoked by
/// any process is refused from this long after the revocation's commit at most (a request
/// whose read came just before the commit passes either way).
pub const GENERATION_FRESH: Duration = Duration::from_millis(1);

/// Verified live keys, valid for one generation of the key table.
pub struct KeyCache {
    inner: Mutex<(i64, HashMap<[u8; 32], ApiKeyInfo>)>,
    /// The generation as last read, and when it was read.
    generation: Mutex<Option<(Instant, i64)>>,
    /// Taken while a key is looked up in the store (see `authorize`): a few at a time, so
    /// that one slow or hostile client (unknown keys are not cached) cannot hold up all.
    lookups: tokio::sync::Semaphore,
}

/// Store look-ups of keys at a time when the cache does not know them.
const CONCURRENT_KEY_LOOKUPS: usize = 2;

impl Default for KeyCache {
    fn default() -> Self {
        KeyCache {
            inner: Mutex::default(),
            generation: Mutex::default(),
            lookups: tokio::sync::Semaphore::new(CONCURRENT_KEY_LOOKUPS),
        }
    }
}

impl KeyCache {
    /// The key table's generation at `now`: the last one read if read less than
    /// [`GENERATION_FRESH`] before, else `read`'s.
    fn generation(&self, now: Instant, read: impl FnOnce() -> Result<i64, ApiError>) -> Result<i64, ApiError> {
        let last = *self.generation.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, generation)) = last
            && now.saturating_duration_since(at) < GENERATION_FRESH
        {
            return Ok(generation);
        }
        let generation = read()?;
        let mut last = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        // Reads made side by side: keep the newest generation (they only grow).
        if last.is_none_or(|(_, seen)| generation >= seen) {
            *last = Some((now, generation));
        }
        Ok(generation)
    }

    /// The key with this SHA-256, if it was verified under this generation.
    fn get(&self, generation: i64, digest: &[u8; 32]) -> Option<ApiKeyInfo> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.0 != generation {
            // Only a newer generation starts the cache over: a request that read the
            // generation before a change and waited must not empty the newer cache.
            if generation > inner.0 {
                *inner = (generation, HashMap::new());
            }
            return None;
        }
        inner.1.get(digest).cloned()
    }

    fn insert(&self, generation: i64, digest: [u8; 32], info: ApiKeyInfo) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.0 != generation {
            return;
        }
        if inner.1.len() >= MAX_CACHED_KEYS {
            inner.1.clear();
        }
        inner.1.insert(digest, info);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sekisho_store::ApiRole;

    fn info(name: &str) -> ApiKeyInfo {
        ApiKeyInfo {
            id: 1,
            name: name.into(),
            role: ApiRole::Screener,
            prefix: "sks_0000".into(),
            created_at: "2026-12-07T00:00:00Z".into(),
            revoked_at: None,
        }
    }

    #[test]
    fn the_generation_is_read_again_once_it_is_a_millisecond_old() {
        let cache = KeyCache::default();
        let start = Instant::now();
        let reads = std::cell::Cell::new(0);
        let read = |generation: i64| {
            let reads = &reads;
            move || {
                reads.set(reads.get() + 1);
                Ok(generation)
            }
        };
        assert_eq!(cache.generation(start, read(3)).unwrap(), 3);
        // Within the millisecond: the value read, not the store's newer one.
        let soon = start + GENERATION_FRESH / 2;
        assert_eq!(cache.generation(soon, || -> Result<i64, ApiError> { panic!("read within the window") }).unwrap(), 3);
        // After it: read again, and the newer generation holds.
        assert_eq!(cache.generation(start + GENERATION_FRESH, read(4)).unwrap(), 4);
        assert_eq!(reads.get(), 2);
        // A read that fails is an error, not an old generation.
        let later = start + 3 * GENERATION_FRESH;
        assert!(cache.generation(later, || Err(ApiError::internal("store gone"))).is_err());
    }

    #[test]
    fn a_cached_key_holds_for_its_generation_only() {
        let cache = KeyCache::default();
        let digest = [7u8; 32];
        assert_eq!(cache.get(0, &digest), None);
        cache.insert(0, digest, info("desk"));
        assert_eq!(cache.get(0, &digest).map(|i| i.name), Some("desk".into()));
        // The key table changed (a revocation, say): the cache is emptied.
        assert_eq!(cache.get(1, &digest), None);
        assert_eq!(cache.get(1, &digest), None);
        // A lookup that started before the change does not file its key under the new one.
        cache.insert(0, digest, info("desk"));
        assert_eq!(cache.get(1, &digest), None);
    }
}
