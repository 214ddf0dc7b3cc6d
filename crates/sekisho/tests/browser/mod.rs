//! A headless Chromium driven over the DevTools protocol (CDP): the browser is the system's
//! own (`chromium`, or `$SEKISHO_CHROMIUM`), never one downloaded by the test; the protocol
//! runs over a websocket on the port the browser picks and prints.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// How long one protocol command may take before the test fails instead of hanging.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// The Chromium binary, or `None` with a notice (the caller skips, as data tests do).
pub fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("SEKISHO_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from));
    for path in candidates {
        if path.is_file() {
            return Some(path);
        }
    }
    eprintln!("notice: skipping the browser test: no Chromium (apt-get install chromium, or set SEKISHO_CHROMIUM)");
    None
}

pub struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts a headless browser with a fresh profile, `lang` as its UI language, and one
    /// page of `width`×`height` CSS pixels.
    pub fn launch(binary: &Path, lang: &str, width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut child = Command::new(binary)
            .args(["--headless", "--remote-debugging-port=0", "--no-first-run", "--no-default-browser-check"])
            // Root in a container has no user namespace for the sandbox; the page is our own.
            .args(["--no-sandbox", "--disable-gpu", "--disable-extensions", "--disable-background-networking"])
            .args(["--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars"])
            .arg(format!("--lang={lang}"))
            .arg(format!("--accept-lang={lang}"))
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
        let url = devtools_url(&mut child);
        let address = url.strip_prefix("ws://").and_then(|rest| rest.split('/').next()).expect("ws address");
        let stream = TcpStream::connect(address).expect("connect to DevTools");
        stream.set_read_timeout(Some(COMMAND_TIMEOUT)).expect("read timeout");
        let (socket, _) = tungstenite::client::client(url.as_str(), stream).expect("websocket handshake");
        let mut browser = Browser { child, socket, session: String::new(), next_id: 0, _profile: profile };
        let target = browser.send(None, "Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().expect("targetId").to_string();
        let attached = browser.send(None, "Target.attachToTarget", json!({"targetId": target_id, "flatten": true}));
        browser.session = attached["sessionId"].as_str().expect("sessionId").to_string();
        browser.command("Page.enable", json!({}));
        browser.command("Runtime.enable", json!({}));
        browser.command(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser
    }

    /// Sends a command (to the page's session, or to the browser when `session` is None)
    /// and returns its result, skipping the events that arrive meanwhile.
    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket.send(Message::text(message.to_string())).unwrap_or_else(|e| panic!("{method}: {e}"));
        let started = Instant::now();
        loop {
            assert!(started.elapsed() < COMMAND_TIMEOUT, "{method}: no answer");
            let reply = match self.socket.read().unwrap_or_else(|e| panic!("{method}: {e}")) {
                Message::Text(text) => serde_json::from_str::<Value>(text.as_str()).expect("CDP message is JSON"),
                _ => continue,
            };
            if reply["id"].as_u64() != Some(id) {
                continue;
            }
            if let Some(error) = reply.get("error") {
                panic!("{method} failed: {error}");
            }
            return reply["result"].clone();
        }
    }

    /// Puts a file from disk into a file input, as choosing it in the file dialog does.
    pub fn set_file(&mut self, selector: &str, path: &Path) {
        let root = self.command("DOM.getDocument", json!({"depth": 0}))["root"]["nodeId"].clone();
        let node = self.command("DOM.querySelector", json!({"nodeId": root, "selector": selector}))["nodeId"].clone();
        assert!(node.as_i64().is_some_and(|n| n > 0), "no {selector}");
        self.command("DOM.setFileInputFiles", json!({"nodeId": node, "files": [path.display().to_string()]}));
    }

    /// Lets the page download files, into `dir`.
    pub fn allow_downloads(&mut self, dir: &Path) {
        self.send(None, "Browser.setDownloadBehavior", json!({"behavior": "allow", "downloadPath": dir.display().to_string()}));
    }

    pub fn command(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.send(Some(&session), method, params)
    }

    /// The value of a JavaScript expression (promises awaited); a thrown error fails the test.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.command(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true, "userGesture": true}),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{expression}\nthrew: {}", exception["exception"]["description"].as_str().unwrap_or(&exception.to_string()));
        }
        result["result"]["value"].clone()
    }

    /// Polls `expression` until it is truthy and returns its value.
    pub fn wait_for(&mut self, what: &str, expression: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.eval(expression);
            let truthy = !matches!(value, Value::Null | Value::Bool(false)) && value != json!("") && value != json!(0);
            if truthy {
                return value;
            }
            assert!(started.elapsed() < Duration::from_secs(15), "timed out waiting for {what}: {expression}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn navigate(&mut self, url: &str) {
        self.command("Page.navigate", json!({"url": url}));
        self.wait_for("page load", "document.readyState === 'complete'");
    }

    pub fn reload(&mut self) {
        self.eval("location.reload()");
        std::thread::sleep(Duration::from_millis(100));
        self.wait_for("page load", "document.readyState === 'complete'");
    }

    /// A real mouse click in the middle of the element, as a user makes it (it fails to
    /// reach a hidden or covered element).
    pub fn click(&mut self, selector: &str) {
        let script = format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null; e.scrollIntoView({{block: 'center'}}); \
             const r = e.getBoundingClientRect(); return r.width && r.height ? [r.x + r.width / 2, r.y + r.height / 2] : null; }})()",
            sel = json!(selector)
        );
        let point = self.wait_for(&format!("a visible {selector}"), &script);
        let (x, y) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
        for kind in ["mousePressed", "mouseReleased"] {
            self.command("Input.dispatchMouseEvent", json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}));
        }
    }

    /// Focuses an input and types text into it, as an input method commits it.
    pub fn type_into(&mut self, selector: &str, text: &str) {
        self.click(selector);
        self.eval(&format!("document.querySelector({}).value = ''", json!(selector)));
        self.command("Input.insertText", json!({"text": text}));
    }

    pub fn press_enter(&mut self) {
        self.command(
            "Input.dispatchKeyEvent",
            json!({"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}),
        );
        self.command("Input.dispatchKeyEvent", json!({"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}));
    }

    /// A PNG of the viewport, also written to `path`.
    pub fn screenshot(&mut self, path: &Path) -> Vec<u8> {
        let shot = self.command("Page.captureScreenshot", json!({"format": "png"}));
        let png = base64_decode(shot["data"].as_str().expect("screenshot data"));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("screenshot dir");
        std::fs::write(path, &png).expect("write screenshot");
        png
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.socket.send(Message::text(json!({"id": 0, "method": "Browser.close"}).to_string()));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads the browser's stderr until it prints its DevTools address; the rest of stderr is
/// drained on a thread so that the browser never blocks on a full pipe.
fn devtools_url(child: &mut Child) -> String {
    let stderr = child.stderr.take().expect("stderr");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.trim().strip_prefix("DevTools listening on ") {
                let _ = sender.send(url.to_string());
            }
        }
    });
    receiver.recv_timeout(Duration::from_secs(20)).expect("the browser did not print its DevTools address")
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()).map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let bits = chunk.iter().enumerate().fold(0u32, |acc, (i, d)| acc | (u32::from(*d) << (18 - 6 * i)));
        out.extend_from_slice(&bits.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// Decodes a PNG and checks it shows a rendered page: the expected size, and neither blank
/// nor one colour. Returns the number of distinct colours.
pub fn check_screenshot(png_bytes: &[u8], width: u32, height: u32) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("screenshot is a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("buffer size")];
    let frame = reader.next_frame(&mut pixels).expect("PNG frame");
    assert_eq!((frame.width, frame.height), (width, height), "screenshot size");
    let channels = frame.color_type.samples();
    let pixels = &pixels[..frame.buffer_size()];
    let mut counts = std::collections::HashMap::new();
    for pixel in pixels.chunks(channels) {
        *counts.entry(pixel[..3.min(channels)].to_vec()).or_insert(0usize) += 1;
    }
    let total = (width * height) as usize;
    let commonest = counts.values().copied().max().unwrap_or(0);
    assert!(counts.len() >= 16, "screenshot has only {} colours", counts.len());
    assert!(commonest * 100 < total * 97, "screenshot is {}% one colour", commonest * 100 / total);
    counts.len()
}

#[test]
fn base64_decodes_padding_and_full_groups() {
    assert_eq!(base64_decode("aGk="), b"hi");
    assert_eq!(base64_decode("aGV5"), b"hey");
    assert_eq!(base64_decode("aGV5IQ=="), b"hey!");
}
