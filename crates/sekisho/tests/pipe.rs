//! Output into a reader that stops reading (`sekisho cases list | head`) ends quietly.

mod common;

use std::process::{Command, Stdio};

use common::{Sekisho, path_str};

/// Runs sekisho with its stdout read end closed before it writes anything: every write
/// then fails with a broken pipe, as it does when `head` has read what it wanted.
fn run_with_closed_stdout(s: &Sekisho, args: &[&str]) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sekisho"))
        .args(args)
        .env("SEKISHO_HOME", s.home.path())
        .env("SEKISHO_ACTOR", "tester")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sekisho");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for sekisho");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_stdout_is_a_quiet_successful_exit() {
    let s = Sekisho::new();
    let list = s.write(
        "demo.jsonl",
        "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Viktor Ivanovich Petrenko\"]}, \"datasets\": [\"demo\"]}\n",
    );
    s.ok(&["lists", "import", path_str(&list)]);
    s.ok(&["screen", "Viktor Ivanovich Petrenko"]);
    for args in [&["lists", "status"][..], &["cases", "list"], &["audit", "log"], &["audit", "log", "--json"], &["keys", "list"]] {
        let (success, stderr) = run_with_closed_stdout(&s, args);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "sekisho {args:?}: {stderr}");
        assert!(success, "sekisho {args:?} should exit 0 when its reader went away: {stderr}");
    }
    // A new API key is printed once: losing it to a closed pipe is an error, not a success.
    let (success, stderr) = run_with_closed_stdout(&s, &["keys", "create", "ci", "--role", "screener"]);
    assert!(!success && stderr.contains("was created but could not be printed"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
