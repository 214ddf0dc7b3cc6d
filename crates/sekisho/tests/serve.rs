//! `sekisho serve` end to end: the real binary on 127.0.0.1 (a free port), the shared lists
//! imported into a temporary home, a real HTTP client.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Sekisho, path_str, shared_lists};
use serde_json::{Value, json};

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Server {
    fn start(s: &Sekisho, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sekisho"))
            .args(["serve", "--listen", "127.0.0.1:0", "--poll-interval", "1"])
            .args(extra)
            .env("SEKISHO_HOME", s.home.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sekisho serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read address");
        let base = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("no address in {line:?}")).to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(20)))
            .build();
        Server { child, base, agent: ureq::Agent::new_with_config(config) }
    }

    /// (status, body) of a request; `key` goes in `Authorization: ApiKey <key>`.
    fn request(&self, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> (u16, String) {
        let url = format!("{}{path}", self.base);
        let auth = key.map(|k| format!("ApiKey {k}"));
        let response = match method {
            "GET" => {
                let mut r = self.agent.get(&url);
                if let Some(a) = &auth {
                    r = r.header("Authorization", a);
                }
                r.call()
            }
            _ => {
                let mut r = self.agent.post(&url).header("Content-Type", "application/json");
                if let Some(a) = &auth {
                    r = r.header("Authorization", a);
                }
                r.send(body.unwrap_or(""))
            }
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().expect("body"))
    }

    fn json(&self, method: &str, path: &str, key: Option<&str>, body: Option<&Value>) -> (u16, Value) {
        let body = body.map(|b| b.to_string());
        let (status, text) = self.request(method, path, key, body.as_deref());
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path} ({status}) not JSON: {e}: {text}"));
        (status, value)
    }

    /// Polls until `check` holds, failing after `timeout`.
    fn wait_for(&self, what: &str, timeout: Duration, mut check: impl FnMut(&Server) -> bool) {
        let started = Instant::now();
        while !check(self) {
            assert!(started.elapsed() < timeout, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn ready(&self) -> bool {
        self.request("GET", "/readyz", None, None).0 == 200
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn match_body(name: &str) -> Value {
    json!({"queries": {"q": {"schema": "Person", "properties": {"name": [name]}}}})
}

/// Asserts an error response: the status, and a JSON body `{"detail": ..., "status": N}`.
fn assert_error(response: (u16, Value), status: u16, detail_contains: &str) {
    let (got, body) = response;
    assert_eq!(got, status, "{body}");
    assert_eq!(body["status"], status, "{body}");
    let detail = body["detail"].as_str().unwrap_or_else(|| panic!("no detail in {body}"));
    assert!(detail.contains(detail_contains), "{detail:?} lacks {detail_contains:?}");
}

const WATCHLIST: &str = r#"{"id": "wl-1", "schema": "Person", "properties": {"name": ["Zebulon Quartermaine-Okonkwo"], "birthDate": ["1971-03-04"]}, "datasets": ["test_watchlist"]}
"#;

#[test]
fn serves_screening_over_http_with_keys_limits_and_live_reload() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    let mut args = vec!["lists".to_string(), "import".to_string()];
    args.extend(sekisho_lists::SHARED_LIST_FOLDERS.iter().map(|f| path_str(&lists.join(f)).to_string()));
    s.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let screener = s.ok(&["keys", "create", "desk", "--role", "screener"]).trim().to_string();
    let admin = s.ok(&["keys", "create", "ops", "--role", "admin"]).trim().to_string();
    let listed = s.ok(&["keys", "list", "--json"]);
    assert!(!listed.contains(&screener) && listed.contains("\"desk\""), "{listed}");

    let server = Server::start(&s, &["--body-limit", "65536", "--max-batch", "5"]);
    // Probes need no key; the process answers before the index is built.
    assert_eq!(server.json("GET", "/healthz", None, None), (200, json!({"status": "ok"})));
    server.wait_for("readiness", Duration::from_secs(30), Server::ready);
    let (_, ready) = server.json("GET", "/readyz", None, None);
    assert!(ready["entities"].as_u64().unwrap() > 30_000, "{ready}");

    // A listed name, in katakana and in Latin letters: found, with an explanation.
    let key = Some(screener.as_str());
    for name in ["キム・ジョンウン", "Kim Jong Un"] {
        let (status, body) = server.json("POST", "/match/default", key, Some(&match_body(name)));
        assert_eq!(status, 200, "{body}");
        let response = &body["responses"]["q"];
        assert_eq!(response["status"], 200);
        let results = response["results"].as_array().unwrap();
        let kim = results.iter().find(|r| r["id"] == "ofac-20157").unwrap_or_else(|| panic!("{name}: {body}"));
        assert!(kim["score"].as_f64().unwrap() >= 0.8 && kim["match"] == true, "{kim}");
        assert_eq!(kim["schema"], "Person");
        assert_eq!(kim["datasets"], json!(["us_ofac_sdn"]));
        assert_eq!(kim["properties"]["birthDate"], json!(["1984-01-08"]));
        assert!(kim["explanation"]["summary"].as_str().unwrap().contains("kim"), "{kim}");
        assert!(!kim["explanation"]["tokens"].as_array().unwrap().is_empty());
        assert!(kim["features"]["name"].as_f64().unwrap() > 0.8);
        assert_eq!(response["query"]["properties"]["name"], json!([name]));
        assert_eq!(response["total"]["value"], results.len());
    }
    // A clean name: nothing at or above the threshold.
    let (_, body) = server.json("POST", "/match/default", key, Some(&match_body("Hanako Suzuki-Whitfield")));
    assert_eq!(body["responses"]["q"]["results"], json!([]), "{body}");
    // One source as the dataset: only its entities; and the birth date is used.
    let dated = json!({"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"]}}}});
    let (status, body) = server.json("POST", "/match/us_ofac_sdn?limit=3", key, Some(&dated));
    assert_eq!(status, 200, "{body}");
    let results = body["responses"]["q"]["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.iter().all(|r| r["datasets"] == json!(["us_ofac_sdn"])), "{body}");
    assert!(results[0]["features"]["birth_date"].as_f64().unwrap() > 0.0, "{body}");

    // Search, entities, catalog, algorithms.
    let (status, body) = server.json("GET", "/search/default?q=%E3%82%AD%E3%83%A0%E3%83%BB%E3%82%B8%E3%83%A7%E3%83%B3%E3%82%A6%E3%83%B3&limit=5", key, None);
    assert_eq!(status, 200, "{body}");
    assert!(body["results"].as_array().unwrap().iter().any(|r| r["id"] == "ofac-20157"), "{body}");
    let (status, entity) = server.json("GET", "/entities/ofac-20157", key, None);
    assert_eq!(status, 200);
    assert_eq!((entity["caption"].as_str(), entity["schema"].as_str()), (Some("KIM, Jong Un"), Some("Person")));
    assert_error(server.json("GET", "/entities/no-such-id", key, None), 404, "no entity");
    let (_, catalog) = server.json("GET", "/catalog", key, None);
    let datasets = catalog["datasets"].as_array().unwrap();
    let ofac = datasets.iter().find(|d| d["name"] == "us_ofac_sdn").unwrap();
    assert_eq!(ofac["entity_count"], 8976);
    assert!(ofac["snapshot_id"].is_i64() && ofac["imported_at"].is_string() && ofac["publisher"]["name"].is_string());
    let all = datasets.iter().find(|d| d["name"] == "default").unwrap();
    assert_eq!(all["children"].as_array().unwrap().len(), 6);
    let (_, algorithms) = server.json("GET", "/algorithms", key, None);
    assert_eq!(algorithms["algorithms"][0]["threshold"], 0.8);

    // Keys and roles.
    assert_error(server.json("POST", "/match/default", None, Some(&match_body("x"))), 401, "missing API key");
    assert_error(server.json("GET", "/catalog", Some("sks_not-a-key"), None), 401, "invalid or revoked");
    assert_error(server.json("POST", "/admin/reload", key, None), 403, "needs the admin role");
    // Bad input: size, syntax, batch, schema, dataset.
    let big = format!("{{\"queries\": {{}}, \"pad\": \"{}\"}}", "x".repeat(70_000));
    let (status, text) = server.request("POST", "/match/default", key, Some(&big));
    assert_error((status, serde_json::from_str(&text).expect("413 is JSON")), 413, "exceeds the limit of 65536 bytes");
    let (status, text) = server.request("POST", "/match/default", key, Some("{\"queries\": "));
    assert_error((status, serde_json::from_str(&text).unwrap()), 400, "invalid JSON");
    let six: serde_json::Map<String, Value> =
        (0..6).map(|i| (format!("q{i}"), json!({"schema": "Person", "properties": {"name": ["A B"]}}))).collect();
    assert_error(server.json("POST", "/match/default", key, Some(&json!({"queries": six}))), 422, "the limit is 5");
    let thing = json!({"queries": {"a": {"schema": "Thing", "properties": {"name": ["x"]}}}});
    assert_error(server.json("POST", "/match/default", key, Some(&thing)), 422, "queries.a.schema");
    assert_error(server.json("POST", "/match/nowhere", key, Some(&match_body("x"))), 404, "unknown dataset");
    assert_error(server.json("POST", "/match/default?limit=0", key, Some(&match_body("x"))), 422, "limit");
    assert_error(server.json("GET", "/no/such/route", None, None), 404, "no such endpoint");

    // A list imported while the server runs is picked up without a restart.
    let watchlist = s.write("watchlist.json", WATCHLIST);
    s.ok(&["lists", "import", path_str(&watchlist)]);
    let probe = match_body("Zebulon Quartermaine Okonkwo");
    server.wait_for("the new snapshot", Duration::from_secs(20), |server| {
        let (_, body) = server.json("POST", "/match/default", key, Some(&probe));
        body["responses"]["q"]["results"].as_array().is_some_and(|r| r.iter().any(|r| r["id"] == "wl-1"))
    });
    let (_, catalog) = server.json("GET", "/catalog", key, None);
    assert!(catalog["current"].as_array().unwrap().iter().any(|d| d == "test_watchlist"), "{catalog}");
    let (status, reload) = server.json("POST", "/admin/reload", Some(&admin), None);
    assert_eq!((status, reload["reloaded"].as_bool()), (200, Some(true)), "{reload}");

    // A revoked key stops working at once.
    s.ok(&["keys", "revoke", "desk"]);
    assert_error(server.json("GET", "/catalog", key, None), 401, "invalid or revoked");

    // Metrics count what happened, by route and status.
    let (status, metrics) = server.request("GET", "/metrics", None, None);
    assert_eq!(status, 200);
    for line in [
        "sekisho_http_requests_total{route=\"/match/{dataset}\",method=\"POST\",status=\"200\"}",
        "sekisho_http_requests_total{route=\"/match/{dataset}\",method=\"POST\",status=\"401\"} 1",
        "sekisho_http_requests_total{route=\"/admin/reload\",method=\"POST\",status=\"403\"} 1",
        "sekisho_http_request_duration_seconds_bucket{route=\"/match/{dataset}\",le=\"+Inf\"}",
        "sekisho_index_ready 1",
        "sekisho_index_build_seconds ",
        "sekisho_index_last_reload_timestamp_seconds ",
    ] {
        assert!(metrics.contains(line), "metrics lack {line}:\n{metrics}");
    }
    let entities: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("sekisho_index_entities "))
        .and_then(|v| v.parse().ok())
        .expect("entity gauge");
    assert_eq!(entities as u64, ready["entities"].as_u64().unwrap() + 1);
    // The OpenAPI document is served.
    let (status, doc) = server.json("GET", "/openapi.json", None, None);
    assert_eq!(status, 200);
    assert!(doc["paths"]["/match/{dataset}"]["post"].is_object());
}

#[test]
fn is_not_ready_without_lists_and_becomes_ready_when_one_is_imported() {
    let s = Sekisho::new();
    let server = Server::start(&s, &["--no-auth"]);
    // Give the first build a moment: with no list it must stay not ready.
    std::thread::sleep(Duration::from_millis(300));
    assert_error(server.json("GET", "/readyz", None, None), 503, "no lists in service");
    assert_error(server.json("POST", "/match/default", None, Some(&match_body("x"))), 503, "no lists in service");
    let watchlist = s.write("watchlist.json", WATCHLIST);
    s.ok(&["lists", "import", path_str(&watchlist)]);
    server.wait_for("readiness", Duration::from_secs(20), Server::ready);
    // --no-auth: no key needed.
    let (status, body) = server.json("POST", "/match/test_watchlist", None, Some(&match_body("Zebulon Quartermaine-Okonkwo")));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["responses"]["q"]["results"][0]["id"], "wl-1", "{body}");
}

#[test]
fn refuses_no_auth_beyond_loopback() {
    let s = Sekisho::new();
    let err = s.fails(&["serve", "--listen", "0.0.0.0:0", "--no-auth"]);
    assert!(err.contains("--no-auth is only allowed on a loopback address"), "{err}");
}
