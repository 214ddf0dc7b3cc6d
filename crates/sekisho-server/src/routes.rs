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
use crate::handlers::{audit, cases, classify, data, determine, jobs, matching, system, ui};
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
    /// Takes a file upload: the job body limit applies, not the request body limit.
    pub upload: bool,
    handler: MethodRouter<Shared>,
}

macro_rules! route {
    ($method:ident $path:literal, $access:expr, $handler:path) => {
        Route {
            method: Method::$method,
            path: $path,
            access: $access,
            upload: false,
            handler: on(MethodFilter::$method, $handler),
        }
    };
    (upload $method:ident $path:literal, $access:expr, $handler:path) => {
        Route { upload: true, ..route!($method $path, $access, $handler) }
    };
}

pub fn routes() -> Vec<Route> {
    use Access::{Public, Role};
    use ApiRole::{Admin, Reviewer, Screener};
    vec![
        route!(POST "/match/{dataset}", Role(Screener), matching::match_entities),
        route!(GET "/search/{dataset}", Role(Screener), matching::search),
        route!(GET "/entities/{entity_id}", Role(Screener), data::entity),
        route!(GET "/catalog", Role(Screener), data::catalog),
        route!(GET "/algorithms", Role(Screener), system::algorithms),
        route!(GET "/whoami", Role(Screener), system::whoami),
        route!(upload POST "/jobs", Role(Screener), jobs::submit),
        route!(GET "/jobs", Role(Screener), jobs::list),
        route!(GET "/jobs/{id}", Role(Screener), jobs::get),
        route!(GET "/jobs/{id}/result", Role(Screener), jobs::result),
        route!(DELETE "/jobs/{id}", Role(Screener), jobs::cancel),
        route!(GET "/cases", Role(Reviewer), cases::list),
        route!(GET "/cases/{id}", Role(Reviewer), cases::get),
        route!(POST "/cases/{id}/review", Role(Reviewer), cases::review),
        route!(POST "/determine", Role(Screener), determine::determine),
        route!(GET "/classify/search", Role(Screener), classify::search),
        route!(POST "/classify/records", Role(Reviewer), classify::record),
        route!(GET "/classify/records/{item}", Role(Screener), classify::history),
        route!(GET "/rules", Role(Screener), classify::rules),
        route!(GET "/audit", Role(Admin), audit::list),
        route!(GET "/audit/verify", Role(Admin), audit::verify),
        route!(POST "/admin/reload", Role(Admin), system::reload),
        route!(GET "/healthz", Public, system::healthz),
        route!(GET "/readyz", Public, system::readyz),
        route!(GET "/metrics", Public, system::metrics),
        route!(GET "/openapi.json", Public, system::openapi),
        route!(GET "/", Public, ui::page),
        route!(GET "/ui/{asset}", Public, ui::asset),
    ]
}

/// Label for requests no route matched, so that scans do not grow the metrics.
const UNMATCHED: &str = "unmatched";

pub fn router(state: Shared) -> Router {
    let mut router = Router::new();
    for r in routes() {
        let guard_state = RouteGuard { state: state.clone(), route: r.path, access: r.access };
        let mut handler = r.handler;
        if r.upload {
            // Inside the router-wide limit's layer, so this one is the limit that holds.
            handler = handler.layer(DefaultBodyLimit::max(state.config.job_body_limit));
        }
        router = router.route(r.path, handler.layer(from_fn_with_state(guard_state, guard)));
    }
    let fallback_guard = RouteGuard { state: state.clone(), route: UNMATCHED, access: Access::Public };
    let not_found = || async { ApiError::not_found("no such endpoint; see /openapi.json") };
    let body_limit = state.config.body_limit;
    harden(router.fallback(not_found.layer(from_fn_with_state(fallback_guard, guard))), body_limit).with_state(state)
}

/// The layers around every route: the body limit, JSON for every error, and a caught
/// panic answered as a JSON 500 instead of a dropped connection.
fn harden<S: Clone + Send + Sync + 'static>(router: Router<S>, body_limit: usize) -> Router<S> {
    router
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn(json_errors))
        .layer(CatchPanicLayer::custom(panic_response))
}

#[cfg(test)]
mod tests {
    use axum::routing::{get, post};

    use super::*;

    /// A panicking handler and errors made by axum itself come back as JSON, over a real
    /// socket.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn panics_and_framework_errors_are_json() {
        async fn boom() -> &'static str {
            panic!("handler bug with /secret/path in the message")
        }
        async fn echo(body: axum::body::Bytes) -> String {
            body.len().to_string()
        }
        let app = harden(Router::new().route("/boom", get(boom)).route("/echo", post(echo)), 16);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let responses = tokio::task::spawn_blocking(move || {
            let config = ureq::Agent::config_builder().http_status_as_error(false).build();
            let agent = ureq::Agent::new_with_config(config);
            let read = |r: Result<axum::http::Response<ureq::Body>, ureq::Error>| {
                let mut r = r.unwrap();
                (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
            };
            vec![
                read(agent.get(format!("{base}/boom")).call()),
                read(agent.get(format!("{base}/echo")).call()),
                read(agent.post(format!("{base}/echo")).send("x".repeat(17))),
                read(agent.post(format!("{base}/echo")).send("x".repeat(16))),
            ]
        })
        .await
        .unwrap();
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        let (status, body) = &responses[0];
        assert_eq!(*status, 500);
        assert_eq!(json(body)["status"], 500);
        assert!(!body.contains("secret") && !body.contains("panic"), "{body}");
        assert_eq!((responses[1].0, json(&responses[1].1)["status"].as_u64()), (405, Some(405)));
        assert_eq!((responses[2].0, json(&responses[2].1)["status"].as_u64()), (413, Some(413)));
        assert_eq!(responses[3], (200, "16".to_string()));
    }
}
