//! The 判定 / Determination and 該非判定 / Classification screens end to end: the real
//! `sekisho serve` with the CSL, the METI End User List and the rulebook imported, driven
//! in a headless Chromium, screenshots checked. Skips with a notice when the shared data or
//! Chromium is absent.

mod browser;
mod common;

use std::path::PathBuf;

use browser::{Browser, check_screenshot, chromium};
use common::{Sekisho, Server, path_str, shared_lists};
use serde_json::json;

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 800;

fn shoot(page: &mut Browser, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/ui-screenshots");
    let png = page.screenshot(&dir.join(format!("{name}.png")));
    check_screenshot(&png, WIDTH, HEIGHT);
}

fn text(page: &mut Browser, selector: &str) -> String {
    let value = page.eval(&format!("document.querySelector({})?.textContent ?? null", json!(selector)));
    value.as_str().unwrap_or_else(|| panic!("no {selector}")).to_string()
}

fn set(page: &mut Browser, selector: &str, value: &str) {
    page.eval(&format!("document.querySelector({}).value = {}", json!(selector), json!(value)));
}

#[test]
fn determines_a_transaction_and_searches_the_control_lists_in_a_browser() {
    let Some(lists) = shared_lists() else { return };
    let Some(chromium) = chromium() else { return };
    let control = lists.parent().expect("data dir").join("control");
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("us-csl-2026-07-31")), path_str(&lists.join("jp-meti-end-user-list-2025-09-29"))]);
    s.ok(&["rules", "import", path_str(&control)]);
    let key = s.ok(&["keys", "create", "輸出管理室", "--role", "reviewer"]).trim().to_string();
    let server = Server::start(&s, &[]);
    server.wait_ready();

    let mut page = Browser::launch(&chromium, "ja-JP", WIDTH, HEIGHT);
    page.navigate(&format!("{}/#determine", server.base()));
    page.wait_for("the app", "document.body.dataset.ready === 'true'");
    page.type_into("#api-key", &key);
    page.press_enter();
    page.wait_for("the determination screen", "!document.getElementById('view-determine').hidden");
    assert_eq!(text(&mut page, "#determine-title"), "輸出許可の判定");

    // From the form, in Japanese: 3A001.a.1 from the US and Japan to China, for an
    // institute on the Entity List.
    set(&mut page, "#determine-id", "UI-EL-1");
    set(&mut page, "#determine-destination", "CN");
    set(&mut page, "#determine-description", "耐放射線IC");
    set(&mut page, "#determine-eccn", "3A001.a.1");
    set(&mut page, "#determine-jp", "7の項(1)");
    set(&mut page, "#determine-party", "Chinese Academy of Engineering Physics");
    page.click("#determine-form button[type=submit]");
    page.wait_for("outcomes", "document.querySelectorAll('#determine-results .outcome').length === 2");
    let us = page.eval(
        "(() => { const c = document.querySelector('.outcome[data-jurisdiction=US]');
           return { outcome: c.dataset.outcome, verdict: c.querySelector('.verdict').textContent,
                    rules: [...c.querySelectorAll('.reason')].map(r => r.dataset.rule),
                    el: c.querySelector('.reason[data-rule=US-EL] .text').textContent,
                    citation: c.querySelector('.reason[data-rule=US-EL] .citation').textContent }; })()",
    );
    assert_eq!(us["outcome"], "licence_required", "{us}");
    assert_eq!(us["verdict"], "許可が必要", "{us}");
    assert!(us["rules"].as_array().unwrap().iter().any(|r| r == "US-CC-NS2"), "{us}");
    assert!(us["el"].as_str().unwrap().contains("エンティティ・リスト掲載"), "{us}");
    assert!(us["citation"].as_str().unwrap().contains("15 CFR 744.11"), "{us}");
    assert_eq!(page.eval("document.querySelector('.outcome[data-jurisdiction=JP]').dataset.outcome"), "licence_required");
    assert!(text(&mut page, "#determine-status").contains("監査記録"), "the audit record is named");
    shoot(&mut page, "determine-ja");

    // The same answer in English after a language switch.
    page.eval("(() => { const s = document.getElementById('lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); })()");
    let english = text(&mut page, ".outcome[data-jurisdiction=US] .reason[data-rule=US-EL] .text");
    assert!(english.contains("is on the Entity List"), "{english}");
    assert_eq!(text(&mut page, ".outcome[data-jurisdiction=US] .verdict"), "Licence required");

    // Pasted JSON: 16の項 goods to Iran for a company on METI's End User List.
    set(
        &mut page,
        "#determine-json",
        r#"{"id": "UI-EUL-1", "exporter": ["JP"], "destination": "Iran", "item": {"description": "CNC lathe parts", "jp": "16の項(1)"},
            "parties": [{"role": "end_user", "name": "Abzar Boresh Kaveh Co."}], "end_use": ["civil"]}"#,
    );
    page.click("#determine-form button[type=submit]");
    page.wait_for("the JP catch-all", "document.querySelector('.outcome[data-jurisdiction=JP] .reason[data-rule=JP-CATCHALL-EUL]') !== null");
    assert_eq!(page.eval("document.querySelectorAll('#determine-results .outcome').length"), 1);
    shoot(&mut page, "determine-catch-all-en");
    // Bad input: the server's message naming the field.
    set(&mut page, "#determine-json", r#"{"id": "X", "exporter": ["US"], "destination": "Narnia", "item": {"description": "ICs", "eccn": "3A001"}}"#);
    page.click("#determine-form button[type=submit]");
    let refused = page.wait_for("the refusal", "document.querySelector('#determine-status[data-kind=error]')?.textContent");
    assert!(refused.as_str().unwrap().contains("destination: unknown country"), "{refused}");

    // Classification: search in Japanese, choose a candidate, record the decision.
    page.navigate(&format!("{}/#classify", server.base()));
    page.wait_for("the classification screen", "document.body.dataset.ready === 'true' && !document.getElementById('view-classify').hidden");
    page.type_into("#classify-q", "工作機械");
    page.press_enter();
    page.wait_for("candidates", "document.querySelectorAll('#classify-results tr[data-code]').length");
    let candidates = page.eval("[...document.querySelectorAll('#classify-results tr[data-code]')].map(r => r.dataset.regime)");
    assert!(candidates.as_array().unwrap().iter().any(|r| r == "jp"), "{candidates}");
    page.eval("(() => { const s = document.getElementById('classify-regime'); s.value = 'us'; })()");
    set(&mut page, "#classify-q", "3A001");
    page.press_enter();
    page.wait_for("3A001 first", "document.querySelector('#classify-results tr[data-code]')?.dataset.code === '3A001'");
    page.click("#classify-results tr[data-code='3A001'] button");
    assert_eq!(page.eval("document.getElementById('classify-record-code').value"), "3A001");
    set(&mut page, "#classify-record-item", "RH-ADC-16");
    set(&mut page, "#classify-record-code", "3A001.a.1");
    set(&mut page, "#classify-record-justification", "total dose 5 krad(Si) per datasheet");
    page.click("#classify-record-form button[type=submit]");
    let recorded = page.wait_for("the record", "document.querySelector('#classify-record-status[data-kind=ok]')?.textContent");
    assert!(recorded.as_str().unwrap().contains("RH-ADC-16 US = 3A001.a.1 (version 1"), "{recorded}");
    let widths = page.eval("[document.documentElement.scrollWidth, window.innerWidth]");
    assert!(widths[0].as_u64() <= widths[1].as_u64(), "the classification screen overflows: {widths}");
    shoot(&mut page, "classify-en");
}
