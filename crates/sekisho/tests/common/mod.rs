//! Helpers shared by the CLI integration tests: run the real binary in a fresh data home.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub struct Sekisho {
    pub home: tempfile::TempDir,
}

impl Sekisho {
    pub fn new() -> Sekisho {
        Sekisho {
            home: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sekisho"))
            .args(args)
            .env("SEKISHO_HOME", self.home.path())
            .env("SEKISHO_ACTOR", "tester")
            .output()
            .expect("run sekisho")
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

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
