//! Every route the service serves, in one table: the router, the auth guard and the
//! OpenAPI check are all derived from it.

use axum::Router;
use axum::handler::Handler;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{MethodFilter, MethodRouter, on};
use sekisho_store::ApiRole;
use tower_http::catch_panic::CatchPanicLayer;

use crate::auth::{RouteGuard, guard};
use crate::error::{ApiError, json_errors, panic_response};
use crate::handlers::{data, matching, system};
use crate::state::Shared;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No key: probes and documentation.
    Public,
    /// A key with at least this role.
    Role(ApiRole),
}

pub struct Route {
    pub method: Method,
    /// The path template, in OpenAPI's `{param}` syntax (which axum shares).
    pub path: &'static str,
    pub access: Access,
    handler: MethodRouter<Shared>,
}

macro_rules! route {
    ($method:ident $path:literal, $access:expr, $handler:path) => {
        Route {
            method: Method::$method,
            path: $path,
            access: $access,
            handler: on(MethodFilter::$method, $handler),
        }
    };
}

pub fn routes() -> Vec<Route> {
    use Access::{Public, Role};
    use ApiRole::{Admin, Screener};
    vec![
        route!(POST "/match/{dataset}", Role(Screener), matching::match_entities),
        route!(GET "/search/{dataset}", Role(Screener), matching::search),
        route!(GET "/entities/{entity_id}", Role(Screener), data::entity),
        route!(GET "/catalog", Role(Screener), data::catalog),
        route!(GET "/algorithms", Role(Screener), system::algorithms),
        route!(POST "/admin/reload", Role(Admin), system::reload),
        route!(GET "/healthz", Public, system::healthz),
        route!(GET "/readyz", Public, system::readyz),
        route!(GET "/metrics", Public, system::metrics),
        route!(GET "/openapi.json", Public, system::openapi),
    ]
}

/// Label for requests no route matched, so that scans do not grow the metrics.
const UNMATCHED: &str = "unmatched";

pub fn router(state: Shared) -> Router {
    let mut router = Router::new();
    for r in routes() {
        let guard_state = RouteGuard { state: state.clone(), route: r.path, access: r.access };
        router = router.route(r.path, r.handler.layer(from_fn_with_state(guard_state, guard)));
    }
    let fallback_guard = RouteGuard { state: state.clone(), route: UNMATCHED, access: Access::Public };
    let not_found = || async { ApiError::not_found("no such endpoint; see /openapi.json") };
    router
        .fallback(not_found.layer(from_fn_with_state(fallback_guard, guard)))
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(from_fn(json_errors))
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}
