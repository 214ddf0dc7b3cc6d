//! Helpers shared by the CLI integration tests: run the real binary in a fresh data home.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

mod server;
#[allow(unused_imports)] // each test binary uses a part
pub use server::{Server, assert_error};

pub struct Sekisho {
    pub home: tempfile::TempDir,
}

impl Sekisho {
    pub fn new() -> Sekisho {
        Sekisho {
            home: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The command [`Sekisho::run`] runs, for tests that set more of its environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sekisho"));
        command.args(args).env("SEKISHO_HOME", self.home.path()).env("SEKISHO_ACTOR", "tester");
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run sekisho")
    }

    /// Runs and asserts success, returning stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "sekisho {args:?} failed:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs and asserts failure, returning stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "sekisho {args:?} should have failed");
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// The snapshots in service, as `lists status --json` reports them.
    pub fn active(&self) -> Vec<serde_json::Value> {
        let out = self.ok(&["lists", "status", "--json"]);
        serde_json::from_str::<Vec<serde_json::Value>>(&out).expect("status json")
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, content).expect("write file");
        path
    }
}

pub fn shared_lists() -> Option<PathBuf> {
    let lists = sekisho_lists::shared_data_dir()?.join("lists");
    lists.is_dir().then_some(lists)
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `sekisho serve` on a free loopback port of `s`'s home (its address read from the first
/// line it prints), stopped when dropped.
pub struct ServeProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl ServeProcess {
    pub fn start(s: &Sekisho, extra: &[&str]) -> ServeProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sekisho"))
            .args(["serve", "--listen", "127.0.0.1:0", "--poll-interval", "1"])
            .args(extra)
            .env("SEKISHO_HOME", s.home.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sekisho serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read address");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        ServeProcess { child, base }
    }
}

impl ServeProcess {
    /// Asks the server to stop as a service manager does (SIGTERM).
    pub fn terminate(&self) {
        let sent = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
    }

    /// Waits for the server to exit.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().expect("wait for sekisho serve")
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A customer file with Japanese headers: three listed parties (two spellings of one), a
/// clean name, an empty name and an unknown type. Checked by [`check_customers`].
pub const CUSTOMERS: &str = "取引先コード,氏名・名称,国名,区分\n\
    T-1,Kim Jong Un,北朝鮮,個人\n\
    T-2,キム・ジョンウン,,個人\n\
    T-3,Korea Kwangson Banking Corp,KP,法人\n\
    T-4,山田 太郎,日本,個人\n\
    T-5,,日本,法人\n\
    T-6,\"Sakura Bakery, Tokyo\",JP,謎\n";

/// A batch result CSV as maps from column to value, one per row; checks the BOM.
pub fn result_rows(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("UTF-8 BOM for Excel")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader.records().map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()).collect()
}

pub fn by_id<'a>(rows: &'a [HashMap<String, String>], id: &str) -> &'a HashMap<String, String> {
    rows.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no row {id}"))
}

/// The results of [`CUSTOMERS`] screened against OFAC 2021.
pub fn check_customers(rows: &[HashMap<String, String>]) {
    assert_eq!(rows.len(), 6);
    assert_eq!(rows.iter().map(|r| r["row"].as_str()).collect::<Vec<_>>(), ["2", "3", "4", "5", "6", "7"], "input order kept");
    for (id, entity) in [("T-1", "ofac-20157"), ("T-2", "ofac-20157"), ("T-3", "ofac-11581")] {
        let r = by_id(rows, id);
        assert_eq!((r["alert"].as_str(), r["entity_id"].as_str()), ("yes", entity), "{r:?}");
        assert!(r["score"].parse::<f64>().unwrap() >= 0.8, "{r:?}");
        assert!(!r["explanation"].is_empty() && r["error"].is_empty(), "{r:?}");
    }
    assert_eq!(by_id(rows, "T-2")["name"], "キム・ジョンウン");
    let clean = by_id(rows, "T-4");
    assert_eq!((clean["alert"].as_str(), clean["entity_id"].as_str(), clean["matches"].as_str()), ("no", "", "0"));
    assert_eq!(by_id(rows, "T-5")["error"], "氏名・名称: empty name");
    assert!(by_id(rows, "T-6")["error"].starts_with("区分: unknown type \"謎\""), "{:?}", by_id(rows, "T-6"));
    assert_eq!(by_id(rows, "T-6")["alert"], "", "a row not screened is not clear");
}

/// Saved counterparties for delta screening against OFAC SDN 2019, then 2021: C-100 is
/// listed in 2019 and unchanged in 2021; C-200 (EVIL CORP) is added in 2021; C-300 (Yun Ho
/// Jin) is listed in 2019 and changed in 2021 (its notes); C-400 matches nothing; C-500 is
/// listed in 2019 and removed in 2021. Importing them against 2019 opens 3 cases; 2021
/// then opens exactly 2 (C-200, and C-300 for the changed listing).
pub const COUNTERPARTIES: &str = "id,name,schema,country,birth_date\n\
    C-100,Jhon Eidelber Cano Correa,Person,CO,1963-12-13\n\
    C-200,Evil Corp,Organization,RU,\n\
    C-300,Yun Ho Jin,Person,,\n\
    C-400,\"Sakura Bakery, Tokyo\",Company,JP,\n\
    C-500,John Jairo Gallego Valencia,Person,CO,\n";
