//! A running `sekisho serve` with an HTTP client, for the server and UI tests.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::{ServeProcess, Sekisho};

/// `sekisho serve` on a free loopback port with a ureq agent that returns 4xx/5xx as
/// responses (the tests check them); stopped when dropped.
pub struct Server {
    pub process: ServeProcess,
    pub agent: ureq::Agent,
}

impl Server {
    /// Starts the server; it may not be ready yet (see [`Server::wait_ready`]).
    pub fn start(s: &Sekisho, extra: &[&str]) -> Server {
        let process = ServeProcess::start(s, extra);
        let config = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(30))).build();
        Server { process, agent: ureq::Agent::new_with_config(config) }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base(&self) -> &str {
        &self.process.base
    }

    /// Sends a GET (`body` ignored) or a JSON POST; `key` goes in `Authorization: ApiKey <key>`.
    fn send(&self, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> ureq::http::Response<ureq::Body> {
        let url = format!("{}{path}", self.base());
        let auth = key.map(|k| format!("ApiKey {k}"));
        let response = if method == "GET" {
            let mut r = self.agent.get(&url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.call()
        } else {
            let mut r = self.agent.post(&url).header("Content-Type", "application/json");
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.send(body.unwrap_or(""))
        };
        response.unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// (status, body text) of a request.
    pub fn request(&self, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> (u16, String) {
        let (status, _, text) = self.request_with_type(method, path, key, body);
        (status, text)
    }

    /// (status, content type, body text) of a request.
    pub fn request_with_type(&self, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> (u16, String, String) {
        let mut response = self.send(method, path, key, body);
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        (response.status().as_u16(), content_type, response.body_mut().read_to_string().expect("body"))
    }

    /// (status, JSON body) of a request whose body is sent as is (so malformed JSON can be
    /// sent too).
    pub fn json_text(&self, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> (u16, Value) {
        let (status, text) = self.request(method, path, key, body);
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path} ({status}) not JSON: {e}: {text}"));
        (status, value)
    }

    /// (status, JSON body) of a request with a JSON body.
    pub fn json(&self, method: &str, path: &str, key: Option<&str>, body: Option<&Value>) -> (u16, Value) {
        self.json_text(method, path, key, body.map(|b| b.to_string()).as_deref())
    }

    /// (status, JSON body) of an authorised GET.
    pub fn get(&self, path: &str, key: &str) -> (u16, Value) {
        self.json_text("GET", path, Some(key), None)
    }

    /// (status, JSON body) of an authorised POST of `body` as is.
    pub fn post(&self, path: &str, key: &str, body: &str) -> (u16, Value) {
        self.json_text("POST", path, Some(key), Some(body))
    }

    /// (status, headers, body bytes) of a POST of `bytes` (a file upload) or, without
    /// bytes, of a GET.
    pub fn raw(&self, path: &str, key: &str, bytes: Option<&[u8]>) -> (u16, ureq::http::HeaderMap, Vec<u8>) {
        let url = format!("{}{path}", self.base());
        let auth = format!("ApiKey {key}");
        let response = match bytes {
            Some(bytes) => self.agent.post(&url).header("Authorization", &auth).header("Content-Type", "application/octet-stream").send(bytes),
            None => self.agent.get(&url).header("Authorization", &auth).call(),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.body_mut().with_config().limit(64 << 20).read_to_vec().expect("body"))
    }

    /// Uploads a file as a batch job: (status, JSON).
    pub fn upload(&self, path: &str, key: &str, bytes: &[u8]) -> (u16, Value) {
        let (status, _, body) = self.raw(path, key, Some(bytes));
        (status, serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path} ({status}) not JSON: {e}")))
    }

    /// Polls a job until it has ended; returns it.
    pub fn finished_job(&self, id: &Value, key: &str) -> Value {
        let mut job = Value::Null;
        self.wait_for("the job to end", Duration::from_secs(60), |server| {
            job = server.json("GET", &format!("/jobs/{id}"), Some(key), None).1;
            job["state"] == "done" || job["state"] == "failed"
        });
        job
    }

    /// Polls until `check` holds, failing after `timeout`.
    pub fn wait_for(&self, what: &str, timeout: Duration, mut check: impl FnMut(&Server) -> bool) {
        let started = Instant::now();
        while !check(self) {
            assert!(started.elapsed() < timeout, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether `/readyz` answers 200 (lists loaded, index built).
    pub fn ready(&self) -> bool {
        self.request("GET", "/readyz", None, None).0 == 200
    }

    /// Waits up to a minute for readiness (the first index build over the real lists).
    pub fn wait_ready(&self) {
        self.wait_for("readiness", Duration::from_secs(60), Server::ready);
    }
}

/// Asserts an error response: the status, and a JSON body `{"detail": ..., "status": N}`.
pub fn assert_error((status, body): (u16, Value), expected: u16, detail_contains: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["status"], expected, "{body}");
    let detail = body["detail"].as_str().unwrap_or_else(|| panic!("no detail in {body}"));
    assert!(detail.contains(detail_contains), "{detail:?} lacks {detail_contains:?}");
}
