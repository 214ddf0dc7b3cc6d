//! Batch jobs through the API: cancelling a queued and a running job (`DELETE /jobs/{id}`),
//! and the removal of finished jobs past `--job-retention`, on the real binary with the
//! shared OFAC list.

mod common;

use std::time::{Duration, Instant};

use common::{ServeProcess, Sekisho, path_str, shared_lists};
use serde_json::Value;

/// A running server and a client; (status, JSON) per request.
struct Api {
    process: ServeProcess,
    agent: ureq::Agent,
}

impl Api {
    fn start(s: &Sekisho, extra: &[&str]) -> Api {
        let process = ServeProcess::start(s, extra);
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        let api = Api { process, agent: ureq::Agent::new_with_config(config) };
        api.wait("readiness", |api| (api.call("GET", "/readyz", None, None).0 == 200).then_some(()));
        api
    }

    fn call(&self, method: &str, path: &str, key: Option<&str>, body: Option<&[u8]>) -> (u16, Value) {
        let url = format!("{}{path}", self.process.base);
        let auth = format!("ApiKey {}", key.unwrap_or_default());
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", &auth).call(),
            ("DELETE", _) => self.agent.delete(&url).header("Authorization", &auth).call(),
            (_, body) => self.agent.post(&url).header("Authorization", &auth).send(body.unwrap_or_default()),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    fn job(&self, id: &Value, key: &str) -> Value {
        self.call("GET", &format!("/jobs/{id}"), Some(key), None).1
    }

    /// Polls `check` every 20 ms for up to 60 s.
    fn wait<T>(&self, what: &str, check: impl Fn(&Api) -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            if let Some(found) = check(self) {
                return found;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A file of `rows` clean names (common given and family names, none listed alone).
fn clean_names(rows: usize) -> Vec<u8> {
    const GIVEN: [&str; 8] = ["Hanako", "Taro", "Emily", "Lukas", "Sofia", "Mateo", "Priya", "Olivia"];
    const FAMILY: [&str; 8] = ["Suzuki", "Whitfield", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Fernandes", "Brennan"];
    let mut csv = String::from("取引先コード,氏名・名称\n");
    for i in 0..rows {
        csv.push_str(&format!("C-{i},{} {}\n", GIVEN[i % 8], FAMILY[(i / 8) % 8]));
    }
    csv.into_bytes()
}

#[test]
fn queued_and_running_jobs_are_cancelled_on_record_and_old_jobs_removed() {
    let Some(lists) = shared_lists() else { return };
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    let desk = s.ok(&["keys", "create", "desk", "--role", "screener"]).trim().to_string();
    let branch = s.ok(&["keys", "create", "branch", "--role", "screener"]).trim().to_string();
    let admin = s.ok(&["keys", "create", "ops", "--role", "admin"]).trim().to_string();
    let api = Api::start(&s, &["--job-threads", "1"]);

    // A long job runs; a short one waits behind it.
    let (status, long) = api.call("POST", "/jobs?filename=long.csv", Some(&desk), Some(&clean_names(200_000)));
    assert_eq!(status, 202, "{long}");
    let (status, short) = api.call("POST", "/jobs?filename=short.csv", Some(&desk), Some(&clean_names(10)));
    assert_eq!(status, 202, "{short}");
    let (long, short) = (long["id"].clone(), short["id"].clone());
    api.wait("the long job to screen", |api| {
        let job = api.job(&long, &desk);
        (job["phase"] == "screening" && job["rows_done"].as_u64() > Some(0)).then_some(())
    });

    // Someone else's job is not theirs to cancel (nor to see).
    let (status, error) = api.call("DELETE", &format!("/jobs/{short}"), Some(&branch), None);
    assert_eq!(status, 404, "{error}");

    // The queued job: cancelled, and never started.
    let (status, cancelled) = api.call("DELETE", &format!("/jobs/{short}"), Some(&desk), None);
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!((cancelled["state"].as_str(), cancelled["error"].as_str()), (Some("failed"), Some("cancelled by desk")), "{cancelled}");

    // The running job: cancelled mid-screening; it stops long before its 200,000 rows.
    let (status, cancelled) = api.call("DELETE", &format!("/jobs/{long}"), Some(&desk), None);
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["error"], "cancelled by desk", "{cancelled}");
    let (status, again) = api.call("DELETE", &format!("/jobs/{long}"), Some(&desk), None);
    assert_eq!(status, 409, "{again}");
    assert!(again["detail"].as_str().unwrap().contains("already ended"), "{again}");

    // The worker is free again: the next job runs to the end.
    let (_, next) = api.call("POST", "/jobs?filename=next.csv", Some(&desk), Some(b"name\nKim Jong Un\n"));
    let next = next["id"].clone();
    let done = api.wait("the next job", |api| Some(api.job(&next, &desk)).filter(|j| j["state"] == "done"));
    assert_eq!(done["alert_rows"], 1, "{done}");
    let (status, ended) = api.call("DELETE", &format!("/jobs/{next}"), Some(&desk), None);
    assert_eq!(status, 409, "{ended}");
    let (status, short_job) = (200, api.job(&short, &desk));
    assert_eq!((status, short_job["started_at"].as_str()), (200, None), "a cancelled queued job never starts: {short_job}");

    // On record: two cancellations, and no screening of the cancelled jobs.
    let (_, cancels) = api.call("GET", "/audit?action=batch_cancel", Some(&admin), None);
    assert_eq!(cancels["total"], 2, "{cancels}");
    assert!(cancels["records"].as_array().unwrap().iter().all(|r| r["actor"] == "desk"), "{cancels}");
    let (_, batches) = api.call("GET", "/audit?action=batch_screen", Some(&admin), None);
    assert_eq!(batches["total"], 1, "only the finished job has a batch record: {batches}");
    assert_eq!(api.call("GET", "/audit/verify", Some(&admin), None).1["ok"], true);

    // Retention: the finished jobs, dated back a year, go when the server starts again;
    // their audit records stay.
    drop(api);
    let db = rusqlite::Connection::open(s.home.path().join("sekisho.db")).unwrap();
    db.execute("UPDATE batch_jobs SET finished_at = '2025-01-01T00:00:00.000000Z' WHERE finished_at IS NOT NULL", []).unwrap();
    drop(db);
    let api = Api::start(&s, &["--job-retention", "30"]);
    let pruned = api.wait("the old jobs to go", |api| {
        let (_, records) = api.call("GET", "/audit?action=batch_prune", Some(&admin), None);
        (records["total"] == 1).then_some(records)
    });
    assert_eq!(pruned["records"][0]["details"]["jobs"].as_array().map(Vec::len), Some(3), "{pruned}");
    assert_eq!(api.call("GET", "/jobs", Some(&admin), None).1["total"], 0);
    assert_eq!(api.call("GET", "/audit?action=batch_cancel", Some(&admin), None).1["total"], 2);
    assert_eq!(api.call("GET", "/audit/verify", Some(&admin), None).1["ok"], true);
}
