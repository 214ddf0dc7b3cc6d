//! Helpers shared by the CLI integration tests: run the real binary in a fresh data home.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Sekisho {
    pub home: tempfile::TempDir,
}

impl Sekisho {
    pub fn new() -> Sekisho {
        Sekisho { home: tempfile::tempdir().expect("temp dir") }
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
