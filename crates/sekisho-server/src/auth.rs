//! API keys on every route that needs one, and the per-route request metrics.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sekisho_store::ApiKeyInfo;

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
    let info = guard.state.store_task(move |state| Ok(state.stores.with(|store| store.verify_api_key(&key))?)).await?;
    let info = info.ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "invalid or revoked API key"))?;
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
