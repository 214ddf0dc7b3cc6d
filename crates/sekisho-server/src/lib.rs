//! The sekisho HTTP service: yente-compatible screening over the lists in service.
//!
//! `POST /match/{dataset}` screens query entities, `GET /search/{dataset}` lists looser
//! candidates, `GET /entities/{id}` shows a listed entity as FtM JSON, `GET /catalog` and
//! `GET /algorithms` describe the service; `/healthz`, `/readyz`, `/metrics` and
//! `/openapi.json` need no key. `GET /` serves the browser UI (files in `ui/` beside `src/`,
//! compiled in; assets under `/ui/`). Routes are in [`routes`], the OpenAPI document in
//! `openapi.json` beside this file.
//!
//! `POST /determine` determines the licences of a transaction (parties screened on the
//! same index, recorded in the audit trail); `GET /classify/search`, `POST /classify/records`,
//! `GET /classify/records/{item}` and `GET /rules` serve classification (該非判定) over the
//! latest imported rulebook (see `determination.rs`).
//!
//! The screening index is built once at start, on a thread of its own, and rebuilt when
//! the set of snapshots in service changes; the new index replaces the old one atomically
//! while requests keep being answered. Screening runs on [`ServerConfig::screening_threads`]
//! threads, first come first served; they hand the screenings to one writer thread that
//! records them in the audit trail, many per transaction, and answers the requests (see
//! `recorder.rs`); the WAL is copied into the database by a thread beside it
//! (`checkpoint.rs`). The screening threads run five nice levels ahead of the others
//! (`priority.rs`).

mod auth;
mod checkpoint;
mod determination;
mod error;
mod handlers;
mod index;
mod jobs;
mod listed;
mod metrics;
mod openapi;
mod params;
mod pool;
#[cfg(target_os = "linux")]
mod priority;
/// Thread priorities are set per thread on Linux only (`priority.rs`); elsewhere every
/// thread keeps the server's.
#[cfg(not(target_os = "linux"))]
mod priority {
    pub fn init() {}
    pub fn screening_thread() {}
    pub fn other_thread() {}
}
mod query;
mod recorder;
mod reload;
mod results;
mod routes;
mod screening;
mod state;
mod store_pool;

use anyhow::Context;
use tokio::net::TcpListener;

pub use routes::{Access, routes};
pub use state::ServerConfig;

/// The dataset name for every list in service.
pub const DEFAULT_DATASET: &str = "default";

/// Binds, prints the address, and serves until Ctrl-C or SIGTERM.
pub fn run(config: ServerConfig) -> anyhow::Result<()> {
    priority::init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("sekisho-http")
        .on_thread_start(priority::other_thread)
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let address = listener.local_addr()?;
        // Tests and scripts read this line to find the port when listening on port 0.
        println!("listening on http://{address}");
        serve(listener, config).await
    })
}

/// Serves on an already bound listener until Ctrl-C or SIGTERM.
pub async fn serve(listener: TcpListener, config: ServerConfig) -> anyhow::Result<()> {
    // Here too for servers on a runtime of their own (tests); `run` decided it already.
    priority::init();
    let state = state::AppState::new(config);
    reload::spawn_index_thread(&state);
    jobs::spawn_worker(&state);
    let served = axum::serve(listener, routes::router(state.clone()))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed");
    // Every request was answered, so every screening queued was committed; this waits for
    // the writer thread to see the queue closed.
    let recorder = state.clone();
    tokio::task::spawn_blocking(move || recorder.recorder.close()).await.context("audit writer")?;
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    eprintln!("shutting down");
}
