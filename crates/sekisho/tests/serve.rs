//! `sekisho serve` end to end: the real binary on 127.0.0.1 (a free port), the shared lists
//! imported into a temporary home, a real HTTP client.

mod browser;
mod common;

use std::time::Duration;

use browser::Browser;
use common::{COUNTERPARTIES, CUSTOMERS, Sekisho, Server, assert_error, check_customers, path_str, result_rows, shared_lists};
use serde_json::{Value, json};

fn match_body(name: &str) -> Value {
    json!({"queries": {"q": {"schema": "Person", "properties": {"name": [name]}}}})
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
    server.wait_ready();
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

    // A revoked key stops working within a millisecond (starting the revoke takes longer).
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
    server.wait_ready();
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

/// Screenings through the API are recorded and open cases; a reviewer clears one through the
/// API, which suppresses the same alert afterwards; the trail verifies over HTTP and on the
/// command line until a record is altered in the database file.
#[test]
fn records_screenings_opens_cases_and_reviews_them_over_http() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    let screener = s.ok(&["keys", "create", "desk", "--role", "screener"]).trim().to_string();
    let reviewer = s.ok(&["keys", "create", "hanako (review)", "--role", "reviewer"]).trim().to_string();
    let admin = s.ok(&["keys", "create", "auditor", "--role", "admin"]).trim().to_string();
    let (desk, review, audit) = (Some(screener.as_str()), Some(reviewer.as_str()), Some(admin.as_str()));
    let server = Server::start(&s, &[]);
    server.wait_ready();
    let screen_total = |server: &Server| server.json("GET", "/audit?action=screen", audit, None).1["total"].as_u64().unwrap();

    // Who is logged in, for the web UI.
    assert_eq!(server.json("GET", "/whoami", review, None), (200, json!({"name": "hanako (review)", "role": "reviewer", "auth": true})));
    assert_error(server.json("GET", "/whoami", None, None), 401, "missing API key");

    // Refused requests are not screenings and leave no record.
    assert_eq!(screen_total(&server), 0);
    assert_error(server.json("POST", "/match/default", None, Some(&match_body("Kim Jong Un"))), 401, "missing API key");
    assert_error(server.json("POST", "/match/default?limit=0", desk, Some(&match_body("Kim Jong Un"))), 422, "limit");
    assert_eq!(screen_total(&server), 0);

    // A listed name, with the client's customer id: an alert, a case, an audit record.
    let kim = json!({"queries": {"q": {"id": "K-1", "schema": "Person", "properties": {"name": ["Kim Jong Un"]}}}});
    let (status, body) = server.json("POST", "/match/default", desk, Some(&kim));
    assert_eq!(status, 200, "{body}");
    let response = &body["responses"]["q"];
    let hit = response["results"].as_array().unwrap().iter().find(|r| r["id"] == "ofac-20157").expect("Kim is listed");
    assert_eq!((&hit["case"]["status"], &hit["case"]["outcome"]), (&json!("open"), &json!("opened")), "{hit}");
    let case_id = hit["case"]["id"].as_i64().unwrap();
    let audit_seq = response["audit_seq"].as_i64().unwrap();
    let version = hit["entity_version"].as_str().unwrap().to_string();
    assert_eq!(version.len(), 64);

    // Reviewers see it; screeners may not.
    assert_error(server.json("GET", "/cases", desk, None), 403, "needs the reviewer role");
    assert_error(server.json("GET", "/audit", review, None), 403, "needs the admin role");
    let (status, open) = server.json("GET", "/cases?status=open", review, None);
    assert_eq!(status, 200, "{open}");
    assert_eq!(open["total"], 1, "{open}");
    let case = &open["cases"][0];
    assert_eq!((case["id"].as_i64(), case["counterparty"].as_str()), (Some(case_id), Some("id:K-1")));
    assert_eq!((case["entity_id"].as_str(), case["source"].as_str()), (Some("ofac-20157"), Some("us_ofac_sdn")));
    assert_eq!((case["entity_version"].as_str(), case["opened_in"].as_i64()), (Some(version.as_str()), Some(audit_seq)));
    assert_eq!((case["counterparty_name"].as_str(), case["reviewed_by"].is_null()), (Some("Kim Jong Un"), true));
    assert_error(server.json("GET", "/cases?status=closed", review, None), 422, "status");
    assert_error(server.json("GET", "/cases/999999", review, None), 404, "no case 999999");

    // The audit trail has the screening: who, what, against which list version.
    let (_, page) = server.json("GET", "/audit?action=screen&limit=1", audit, None);
    let record = &page["records"][0];
    assert_eq!((record["seq"].as_i64(), record["actor"].as_str()), (Some(audit_seq), Some("desk")), "{page}");
    assert_eq!(record["details"]["query"]["customer_id"], "K-1");
    assert_eq!(record["details"]["lists"][0]["source"], "us_ofac_sdn");
    let result = record["details"]["results"].as_array().unwrap().iter().find(|r| r["entity_id"] == "ofac-20157").unwrap();
    assert_eq!((result["entity_hash"].as_str(), result["alert"]["case"].as_i64()), (Some(version.as_str()), Some(case_id)));
    assert!(s.ok(&["audit", "verify"]).starts_with("audit trail intact"));

    // The reviewer clears it through the API, under the key's name, with a reason.
    let path = format!("/cases/{case_id}/review");
    let cleared = json!({"decision": "false_positive", "reason": "customer K-1 was born in 1990"});
    assert_error(server.json("POST", &path, desk, Some(&cleared)), 403, "needs the reviewer role");
    assert_error(server.json("POST", &path, review, Some(&json!({"decision": "false_positive", "reason": " "}))), 422, "reason");
    let (status, decided) = server.json("POST", &path, review, Some(&cleared));
    assert_eq!(status, 200, "{decided}");
    assert_eq!((decided["status"].as_str(), decided["reviewed_by"].as_str()), (Some("false_positive"), Some("hanako (review)")));
    assert_eq!(decided["reason"], "customer K-1 was born in 1990");
    let again = json!({"decision": "true_match", "reason": "second opinion"});
    assert_error(server.json("POST", &path, review, Some(&again)), 409, "already reviewed");
    let (_, reviews) = server.json("GET", "/audit?action=review", audit, None);
    assert_eq!(reviews["total"], 1, "the refused second review is not recorded: {reviews}");
    assert_eq!(reviews["records"][0]["actor"], "hanako (review)");
    assert_eq!(reviews["records"][0]["details"]["reason"], "customer K-1 was born in 1990");

    // The same party screened again: recorded, but the cleared alert opens no case.
    let (_, body) = server.json("POST", "/match/default", desk, Some(&kim));
    let hit = body["responses"]["q"]["results"].as_array().unwrap().iter().find(|r| r["id"] == "ofac-20157").unwrap().clone();
    assert_eq!(hit["case"], json!({"id": case_id, "status": "false_positive", "outcome": "suppressed"}));
    assert!(body["responses"]["q"]["audit_seq"].as_i64().unwrap() > audit_seq);
    let (_, all) = server.json("GET", "/cases", review, None);
    assert_eq!(all["total"], 1, "{all}");
    // /search is recorded too.
    let (status, found) = server.json("GET", "/search/us_ofac_sdn?q=Kim%20Jong%20Un", desk, None);
    assert_eq!(status, 200, "{found}");
    assert!(found["audit_seq"].as_i64().unwrap() > audit_seq, "{found}");
    assert_eq!(screen_total(&server), 3);

    // The chain verifies over HTTP, with the head the command line prints.
    let (status, verified) = server.json("GET", "/audit/verify", audit, None);
    assert_eq!(status, 200);
    assert_eq!(verified["ok"], true, "{verified}");
    let cli: Value = serde_json::from_str(&s.ok(&["audit", "verify", "--json"])).unwrap();
    assert_eq!((&verified["head"], &verified["records"]), (&cli["head_hash"], &cli["records"]));
    assert_error(server.json("GET", "/audit/verify", review, None), 403, "needs the admin role");

    // Someone with the database file rewrites the screening record: both verifications fail.
    {
        let conn = rusqlite::Connection::open(s.home.path().join("sekisho.db")).unwrap();
        conn.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
        let changed = conn
            .execute("UPDATE audit_log SET record = replace(record, '\"K-1\"', '\"K-2\"') WHERE seq = ?1", [audit_seq])
            .unwrap();
        assert_eq!(changed, 1);
    }
    let (_, broken) = server.json("GET", "/audit/verify", audit, None);
    assert_eq!(broken["ok"], false, "{broken}");
    assert_eq!(broken["problem_seq"].as_i64(), Some(audit_seq), "{broken}");
    assert!(broken["problem"].as_str().unwrap().contains("content altered"), "{broken}");
    let err = s.fails(&["audit", "verify"]);
    assert!(err.contains(&format!("audit trail broken at record {audit_seq}")), "{err}");
}

/// Issue 4's path in one run, with the server up throughout: saved counterparties are screened
/// against OFAC 2019; a reviewer clears one alert through the API; OFAC 2021 is imported while
/// the server runs, the delta re-screen opens exactly the expected cases (the added party, and
/// the cleared one again because its listing changed) and the server picks up the new list;
/// screening through the API then finds the new case open; the audit trail verifies, and stops
/// verifying once a record is edited in the database file. (The browser's part is in ui.rs.)
/// Issue 4's path in one run with the server up: review through the API; in a browser (when
/// Chromium is installed) screen a name, review a case and verify the audit trail; a newer
/// list imported while serving reopens exactly what changed; the trail verifies until one
/// record is edited in the file, and then the API, the CLI and the browser all say so.
#[test]
fn reviews_then_a_newer_list_reopens_exactly_what_changed_while_the_server_runs() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2019"))]);
    let file = s.write("counterparties.csv", COUNTERPARTIES);
    assert!(s.ok(&["counterparties", "import", path_str(&file)]).contains("3 case(s) opened"));
    let screener = s.ok(&["keys", "create", "desk", "--role", "screener"]).trim().to_string();
    let reviewer = s.ok(&["keys", "create", "hanako", "--role", "reviewer"]).trim().to_string();
    let admin = s.ok(&["keys", "create", "auditor", "--role", "admin"]).trim().to_string();
    let (desk, review, audit) = (Some(screener.as_str()), Some(reviewer.as_str()), Some(admin.as_str()));
    let server = Server::start(&s, &[]);
    server.wait_ready();

    // The reviewer clears C-300's alert through the API.
    let (_, open) = server.json("GET", "/cases?status=open", review, None);
    assert_eq!(open["total"], 3, "{open}");
    let open_before = open["cases"].as_array().unwrap().clone();
    let case = open_before.iter().find(|c| c["counterparty"] == "id:C-300").unwrap_or_else(|| panic!("{open}"));
    assert_eq!(case["entity_id"], "ofac-12218");
    let path = format!("/cases/{}/review", case["id"]);
    let cleared = json!({"decision": "false_positive", "reason": "another Yun Ho Jin"});
    assert_eq!(server.json("POST", &path, review, Some(&cleared)).0, 200);
    // Screening C-300 again through the API raises nothing new: the review holds.
    let c300 = json!({"queries": {"q": {"id": "C-300", "schema": "Person", "properties": {"name": ["Yun Ho Jin"]}}}});
    let (_, body) = server.json("POST", "/match/default", desk, Some(&c300));
    let hit = body["responses"]["q"]["results"].as_array().unwrap().iter().find(|r| r["id"] == "ofac-12218").cloned().unwrap();
    assert_eq!(hit["case"]["outcome"], "suppressed", "{hit}");

    // The same run in a browser: screen a name, review C-100's case, verify the audit trail.
    let mut page = browser::chromium().map(|chromium| {
        let mut page = Browser::launch(&chromium, "en-US", 1280, 800);
        page.navigate(&format!("{}/", server.base()));
        page.wait_for("the app", "document.body.dataset.ready === 'true'");
        page.type_into("#api-key", &admin);
        page.press_enter();
        page.wait_for("sign-in", "!document.getElementById('view-screen').hidden");
        page.type_into("#screen-name", "キム・ジョンウン");
        page.press_enter();
        page.wait_for("the listed name", "document.querySelector(\"#screen-results tr[data-entity-id='ofac-20157']\")");
        let c100 = open_before.iter().find(|c| c["counterparty"] == "id:C-100").unwrap()["id"].clone();
        page.navigate(&format!("{}/#cases", server.base()));
        let row = format!("#cases-list tr[data-case-id='{c100}']");
        page.wait_for("C-100's case", &format!("document.querySelector({})", json!(row)));
        page.click(&format!("{row} button"));
        page.click("#case-form input[value=true_match]");
        page.type_into("#case-reason", "same person: birth date 1963-12-13 and Colombia agree (browser)");
        page.click("#case-form button[type=submit]");
        page.wait_for("the decision", "document.querySelector('#cases-status[data-kind=ok]')");
        page.navigate(&format!("{}/#audit", server.base()));
        page.wait_for("records", "document.querySelectorAll('#audit-list tr[data-seq]').length");
        page.click("#audit-verify");
        page.wait_for("verification", "document.querySelector('#audit-verify-result[data-kind=ok]')");
        let (_, decided) = server.json("GET", &format!("/cases/{c100}"), review, None);
        assert_eq!((decided["status"].as_str(), decided["reviewed_by"].as_str()), (Some("true_match"), Some("auditor")), "{decided}");
        page
    });
    // Cases opened so far (the browser's screening opened one); the list update's come after.
    let last_case = server.json("GET", "/cases?limit=1", review, None).1["cases"][0]["id"].as_i64().unwrap();

    // A newer list version, imported while the server runs: exactly two new cases.
    let snapshots = |server: &Server| server.json("GET", "/readyz", None, None).1["snapshots"].clone();
    let before = snapshots(&server);
    let out = s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    assert!(out.contains("2 alert(s), 2 case(s) opened, 0 suppressed"), "{out}");
    let (_, open) = server.json("GET", "/cases?status=open", review, None);
    let mut opened: Vec<(String, String)> = open["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"].as_i64().unwrap() > last_case)
        .map(|c| (c["counterparty"].as_str().unwrap().to_string(), c["entity_id"].as_str().unwrap().to_string()))
        .collect();
    opened.sort();
    assert_eq!(opened, [("id:C-200".into(), "ofac-26664".into()), ("id:C-300".into(), "ofac-12218".into())]);
    server.wait_for("the new list in service", Duration::from_secs(30), |server| snapshots(server) != before);
    // Through the API, C-300 now meets the reopened case (its listing changed).
    let (_, body) = server.json("POST", "/match/default", desk, Some(&c300));
    let hit = body["responses"]["q"]["results"].as_array().unwrap().iter().find(|r| r["id"] == "ofac-12218").cloned().unwrap();
    assert_eq!(hit["case"]["outcome"], "already_open", "{hit}");

    // The trail verifies, through the API and the CLI, until one record is edited in the file.
    assert_eq!(server.json("GET", "/audit/verify", audit, None).1["ok"], true);
    s.ok(&["audit", "verify"]);
    let db = rusqlite::Connection::open(s.home.path().join("sekisho.db")).unwrap();
    let triggers: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for trigger in triggers {
        db.execute_batch(&format!("DROP TRIGGER \"{trigger}\"")).unwrap();
    }
    let changed = db.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2", []).unwrap();
    assert_eq!(changed, 1);
    assert_eq!(server.json("GET", "/audit/verify", audit, None).1["ok"], false);
    let err = s.fails(&["audit", "verify"]);
    assert!(err.contains("audit trail broken at record 2"), "{err}");
    // The browser's audit page says so too.
    if let Some(page) = page.as_mut() {
        page.navigate(&format!("{}/#audit", server.base()));
        page.wait_for("records", "document.querySelectorAll('#audit-list tr[data-seq]').length");
        page.click("#audit-verify");
        let broken = page.wait_for("the broken chain", "document.querySelector('#audit-verify-result[data-kind=error]')?.textContent");
        assert!(broken.as_str().unwrap().contains("record 2"), "{broken}");
    }
}

/// Batch files through the API: upload (Shift_JIS CSV with Japanese headers), poll, download
/// CSV and XLSX; owners see only their jobs; bad uploads are refused with clear errors; the
/// audit trail holds the alerting rows and the job; a restart keeps the finished job's
/// result, fails a job it cut off and runs one left queued.
#[test]
fn batch_jobs_are_uploaded_polled_downloaded_and_kept_across_a_restart() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    let desk = s.ok(&["keys", "create", "desk", "--role", "screener"]).trim().to_string();
    let other = s.ok(&["keys", "create", "branch", "--role", "screener"]).trim().to_string();
    let admin = s.ok(&["keys", "create", "ops", "--role", "admin"]).trim().to_string();
    let server = Server::start(&s, &["--job-body-limit", "4096"]);
    server.wait_ready();

    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(CUSTOMERS);
    assert!(!unmappable);
    let (status, job) = server.upload("/jobs?filename=%E5%8F%96%E5%BC%95%E5%85%88.csv", &desk, &sjis);
    assert_eq!((status, job["state"].as_str(), job["file_name"].as_str()), (202, Some("queued"), Some("取引先.csv")), "{job}");
    let id = job["id"].clone();
    let job = server.finished_job(&id, &desk);
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!((job["rows_total"].as_u64(), job["rows_done"].as_u64()), (Some(6), Some(6)), "{job}");
    assert_eq!((job["alert_rows"].as_u64(), job["error_rows"].as_u64()), (Some(3), Some(2)), "{job}");
    assert!(job["cases_opened"].as_u64().unwrap() >= 3, "{job}");
    assert_eq!(job["owner"], "desk");

    let (status, headers, csv) = server.raw(&format!("/jobs/{id}/result?format=csv"), &desk, None);
    assert_eq!(status, 200);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(headers["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''%E5%8F%96%E5%BC%95%E5%85%88.result.csv"));
    let rows = result_rows(&csv);
    check_customers(&rows);
    assert!(rows.iter().find(|r| r["id"] == "T-1").unwrap()["case"].contains("opened (ofac-20157)"), "{rows:?}");
    let (status, _, xlsx) = server.raw(&format!("/jobs/{id}/result?format=xlsx"), &desk, None);
    assert!(status == 200 && xlsx.starts_with(b"PK\x03\x04"), "{status}");

    // Only the owner (and an admin) sees a job.
    assert_error(server.json("GET", &format!("/jobs/{id}"), Some(&other), None), 404, "no job");
    assert_eq!(server.json("GET", "/jobs", Some(&other), None).1["total"], 0);
    assert_eq!(server.json("GET", "/jobs", Some(&admin), None).1["jobs"][0]["id"], id);
    assert_eq!(server.json("GET", &format!("/jobs/{id}"), Some(&admin), None).0, 200);

    // Refused uploads: no name, unknown format, empty, too large, a malformed file (a job
    // that fails, naming the line), a result asked for in an unknown format.
    assert_error(server.upload("/jobs", &desk, b"name\nA\n"), 422, "filename");
    assert_error(server.upload("/jobs?filename=list.pdf", &desk, b"%PDF"), 422, "unknown input format");
    assert_error(server.upload("/jobs?filename=a.csv", &desk, b""), 400, "empty body");
    assert_error(server.upload("/jobs?filename=a.csv", &desk, &vec![b'x'; 5000]), 413, "upload limit of 4096 bytes");
    assert_error(server.upload("/jobs?filename=a.csv&sheet=S", &desk, b"name\n"), 422, "sheet");
    let (_, bad) = server.upload("/jobs?filename=quote.csv", &desk, "name\nA\n\"open,3\n".as_bytes());
    let bad = server.finished_job(&bad["id"], &desk);
    assert_eq!(bad["state"], "failed");
    assert!(bad["error"].as_str().unwrap().starts_with("quote.csv:3: unterminated quote"), "{bad}");
    assert_error(server.json("GET", &format!("/jobs/{}/result", bad["id"]), Some(&desk), None), 409, "failed: quote.csv:3");
    assert_error(server.json("GET", &format!("/jobs/{id}/result?format=pdf"), Some(&desk), None), 422, "format");

    // The audit trail: a screen record per alerting row naming the job, then the job's record.
    let (_, trail) = server.json("GET", "/audit?action=batch_screen", Some(&admin), None);
    let record = &trail["records"][0];
    assert_eq!((record["seq"].clone(), record["actor"].as_str()), (job["audit_seq"].clone(), Some("desk")), "{record}");
    let details = &record["details"];
    assert_eq!((details["job"]["id"].clone(), details["rows"].as_u64()), (id.clone(), Some(6)), "{details}");
    assert_eq!(details["input"]["sha256"], job["input_sha256"]);
    assert_eq!(details["input"]["encoding"], "Shift_JIS (CP932)");
    let csv_sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&csv));
    assert_eq!(details["output"]["csv"]["sha256"], csv_sha.as_str(), "the record fingerprints the file served");
    let (_, screens) = server.json("GET", "/audit?action=screen", Some(&admin), None);
    let from_job: Vec<&Value> = screens["records"].as_array().unwrap().iter().filter(|r| r["details"]["query"]["origin"]["job"] == id).collect();
    assert_eq!(from_job.len(), 3, "{screens}");

    // A restart: the finished job and its result stay; a job the stop cut off is failed, a
    // queued one runs.
    drop(server);
    let db = rusqlite::Connection::open(s.home.path().join("sekisho.db")).unwrap();
    for state in ["running", "queued"] {
        db.execute(
            "INSERT INTO batch_jobs (owner, file_name, parameters, input, input_sha256, state, submitted_at)
             SELECT owner, file_name, parameters, input, input_sha256, ?1, submitted_at FROM batch_jobs WHERE id = ?2",
            rusqlite::params![state, id.as_i64().unwrap()],
        )
        .unwrap();
    }
    let (cut, queued) = (db.last_insert_rowid() - 1, db.last_insert_rowid());
    drop(db);
    let server = Server::start(&s, &[]);
    assert_eq!(server.raw(&format!("/jobs/{id}/result?format=csv"), &desk, None).2, csv, "the same bytes after a restart");
    let cut = server.json("GET", &format!("/jobs/{cut}"), Some(&desk), None).1;
    assert_eq!(cut["state"], "failed", "{cut}");
    assert!(cut["error"].as_str().unwrap().contains("interrupted"), "{cut}");
    let queued = server.finished_job(&json!(queued), &desk);
    assert_eq!((queued["state"].as_str(), queued["alert_rows"].as_u64()), (Some("done"), Some(3)), "{queued}");
    // With the default limits, a file larger than the request body limit (1 MiB) but within
    // the upload limit (32 MiB) is taken.
    let big = format!("取引先コード,氏名・名称,備考\nB-1,Kim Jong Un,{}\n", "x".repeat(1_200_000));
    let (status, big) = server.upload("/jobs?filename=big.csv", &desk, big.as_bytes());
    assert_eq!(status, 202, "{big}");
    let big = server.finished_job(&big["id"], &desk);
    assert_eq!((big["state"].as_str(), big["alert_rows"].as_u64()), (Some("done"), Some(1)), "{big}");
    assert_eq!(server.json("GET", "/audit/verify", Some(&admin), None).1["ok"], true);
}

/// A graceful stop (SIGTERM) under load: every screening answered 200 is in the audit trail
/// (the writer's queue is committed before the process exits), and the trail verifies.
#[test]
fn a_graceful_stop_under_load_keeps_every_answered_screening() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    let key = s.ok(&["keys", "create", "desk", "--role", "screener"]).trim().to_string();
    let mut server = Server::start(&s, &[]);
    server.wait_ready();
    let answered: Vec<i64> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..8)
            .map(|i| {
                let (server, key) = (&server, key.as_str());
                scope.spawn(move || {
                    let mut seqs = Vec::new();
                    for n in 0.. {
                        let body = match_body(&format!("Kim Jong Un {}", (i * 1000 + n) % 7));
                        let url = format!("{}/match/default", server.base());
                        let sent = server.agent.post(&url).header("Authorization", &format!("ApiKey {key}")).send(body.to_string());
                        // Once the server stops, requests fail: the client stops too.
                        let Ok(mut response) = sent else { break };
                        if response.status() != 200 {
                            break;
                        }
                        let Ok(text) = response.body_mut().read_to_string() else { break };
                        let Ok(value) = serde_json::from_str::<Value>(&text) else { break };
                        seqs.push(value["responses"]["q"]["audit_seq"].as_i64().expect("an answered screening has its record"));
                    }
                    seqs
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(700));
        server.process.terminate();
        clients.into_iter().flat_map(|c| c.join().unwrap()).collect()
    });
    let status = server.process.wait();
    assert!(status.success(), "sekisho serve exited with {status}");
    assert!(answered.len() > 20, "only {} screenings answered before the stop", answered.len());
    let db = rusqlite::Connection::open(s.home.path().join("sekisho.db")).unwrap();
    for seq in &answered {
        let action: String = db.query_row("SELECT action FROM audit_log WHERE seq = ?1", [seq], |r| r.get(0)).unwrap();
        assert_eq!(action, "screen", "record {seq}");
    }
    s.ok(&["audit", "verify"]);
}
