//! `sekisho serve` with the rulebook: `POST /determine` on real transactions (the parties
//! screened against the real CSL and METI End User List), classification search and
//! records, `GET /rules`, the errors, and the audit trail. Uses the shared reference files
//! (skipped with a notice when absent).

mod common;

use common::{Sekisho, Server, assert_error, path_str, shared_lists};
use serde_json::{Value, json};

/// Radiation-hardened ICs (3A001.a.1) from the US to China, for a research institute on
/// the Entity List (named as the CSL of 2026-07-31 lists it).
const TO_CHINA: &str = r#"{"id": "HTTP-EL-1", "exporter": ["US"], "destination": "CN",
  "item": {"description": "Radiation-hardened ICs", "eccn": "3A001.a.1"},
  "parties": [{"role": "end_user", "name": "Chinese Academy of Engineering Physics", "end_user_type": "commercial"}],
  "end_use": ["civil"]}"#;

/// 16の項 goods from Japan to Iran, for a company on METI's End User List (2025-09-29).
const TO_IRAN: &str = r#"{"id": "HTTP-EUL-1", "exporter": ["JP"], "destination": "Iran",
  "item": {"description": "CNC lathe spare parts", "jp": "16の項(1)"},
  "parties": [{"role": "end_user", "name": "Abzar Boresh Kaveh Co.", "end_user_type": "commercial"}],
  "end_use": ["civil"]}"#;

fn outcome<'a>(response: &'a Value, jurisdiction: &str) -> &'a Value {
    let outcomes = response["determination"]["outcomes"].as_array().expect("outcomes");
    outcomes.iter().find(|o| o["jurisdiction"] == jurisdiction).unwrap_or_else(|| panic!("no {jurisdiction} outcome in {response}"))
}

fn reason<'a>(outcome: &'a Value, rule: &str) -> &'a Value {
    let reasons = outcome["reasons"].as_array().expect("reasons");
    reasons.iter().find(|r| r["rule"] == rule).unwrap_or_else(|| panic!("no reason {rule} in {outcome}"))
}

#[test]
fn determines_classifies_and_records_over_http() {
    let Some(lists) = shared_lists() else {
        eprintln!("skipped: no shared data (see crates/sekisho-lists/src/shared_data.rs)");
        return;
    };
    let control = lists.parent().expect("data dir").join("control");
    let rights = lists.parent().expect("data dir").join("human-rights");
    let s = Sekisho::new();
    let desk = s.ok(&["keys", "create", "desk", "--role", "screener"]).trim().to_string();
    let reviewer = s.ok(&["keys", "create", "hanako", "--role", "reviewer"]).trim().to_string();
    let admin = s.ok(&["keys", "create", "auditor", "--role", "admin"]).trim().to_string();
    s.ok(&["lists", "import", path_str(&lists.join("us-csl-2026-07-31"))]);
    s.ok(&["lists", "import", path_str(&lists.join("jp-meti-end-user-list-2025-09-29"))]);
    let server = Server::start(&s, &["--rights-data", path_str(&rights), "--body-limit", "65536"]);
    server.wait_ready();

    // No rulebook yet: a clear 503, never a determination.
    assert_error(server.post("/determine", &desk, TO_CHINA), 503, "sekisho rules import");
    assert_error(server.get("/classify/search?q=3A001", &desk), 503, "no rulebook imported");
    assert_error(server.get("/rules", &desk), 503, "no rulebook imported");

    // Imported while the server runs: the next request uses it.
    s.ok(&["rules", "import", path_str(&control)]);
    let (status, rules) = server.get("/rules", &desk);
    assert_eq!(status, 200, "{rules}");
    assert_eq!(rules["version"], 1);
    assert!(rules["id"].as_str().unwrap().starts_with("sha256:"), "{rules}");
    let sources = rules["sources"].as_array().unwrap();
    assert!(sources.iter().any(|s| s["file"] == "us-ear/country-chart.json" && !s["credit"].as_str().unwrap().is_empty()), "{rules}");
    assert!(sources.iter().all(|s| !s["citation"].as_str().unwrap().is_empty()), "{rules}");

    // ECCN 3A001.a.1 to China, end user on the Entity List: licence required, by the chart
    // (NS2 × CN = X) and by the Entity List, each with its citation.
    let (status, d) = server.post("/determine", &desk, TO_CHINA);
    assert_eq!(status, 200, "{d}");
    let us = outcome(&d, "US");
    assert_eq!(us["outcome"], "licence_required", "{us}");
    let chart = reason(us, "US-CC-NS2");
    assert_eq!(chart["effect"], "licence_required");
    assert!(chart["citation"].as_str().unwrap().contains("15 CFR 738 Supp. 1"), "{chart}");
    assert!(chart["text_en"].as_str().unwrap().contains("NS2 × CN (CN row) = X"), "{chart}");
    assert!(chart["text_ja"].as_str().unwrap().contains("許可が必要"), "{chart}");
    let el = reason(us, "US-EL");
    assert_eq!(el["effect"], "licence_required");
    assert!(el["citation"].as_str().unwrap().contains("15 CFR 744.11"), "{el}");
    assert!(el["evidence"].as_str().unwrap().contains("us_trade_csl"), "{el}");
    assert!(el["text_ja"].as_str().unwrap().contains("エンティティ・リスト"), "{el}");
    let china_seq = d["audit_seq"].as_i64().expect("audit_seq");
    assert_eq!(d["rulebook"]["version"], 1);

    // 16の項 goods to Iran, end user on METI's End User List: the JP catch-all.
    let (status, d) = server.post("/determine", &desk, TO_IRAN);
    assert_eq!(status, 200, "{d}");
    let jp = outcome(&d, "JP");
    assert_eq!(jp["outcome"], "licence_required", "{jp}");
    let eul = reason(jp, "JP-CATCHALL-EUL");
    assert!(eul["citation"].as_str().unwrap().contains("外国ユーザーリスト"), "{eul}");
    assert!(eul["evidence"].as_str().unwrap().contains("jp_meti_end_user"), "{eul}");
    assert!(eul["text_en"].as_str().unwrap().contains("End User List"), "{eul}");

    // Bad input: 4xx naming the field, never a determination.
    for (body, status, detail) in [
        (TO_CHINA.replace("3A001.a.1", "3A091"), 422, "item.eccn: us: \"3A091\" is not in the rulebook"),
        (TO_CHINA.replace("\"CN\"", "\"Narnia\""), 422, "destination: unknown country \"Narnia\""),
        (TO_CHINA.replace("\"civil\"", "\"peaceful\""), 422, "end_use[0]: unknown variant `peaceful`"),
        (TO_IRAN.replace("16の項(1)", "99の項"), 422, "item.jp"),
        (TO_CHINA.trim_end().trim_end_matches('}').to_string(), 400, "(json): EOF while parsing"),
        (String::new(), 400, "empty body"),
    ] {
        assert_error(server.post("/determine", &desk, &body), status, detail);
    }
    assert_error(server.post("/determine", "not-a-key", TO_CHINA), 401, "invalid or revoked API key");
    let padded = TO_CHINA.replacen("Radiation-hardened ICs", &"x".repeat(70_000), 1);
    assert_error(server.post("/determine", &desk, &padded), 413, "exceeds the limit of 65536 bytes");
    // Requests are counted under the route's template.
    let metrics = server.request("GET", "/metrics", None, None).1;
    assert!(metrics.lines().any(|l| l.contains("route=\"/determine\"") && l.contains("status=\"200\"")), "{metrics}");

    // Classification search: a code and Japanese keywords (carried to English by the glossary).
    let (status, found) = server.get("/classify/search?q=3A001&regime=us&limit=3", &desk);
    assert_eq!(status, 200, "{found}");
    let first = &found["candidates"][0];
    assert_eq!((first["regime"].as_str(), first["code"].as_str()), (Some("us"), Some("3A001")), "{found}");
    assert!(first["citation"].as_str().unwrap().contains("ECCN 3A001"), "{first}");
    assert!(found["candidates"].as_array().unwrap().len() <= 3);
    let (status, found) = server.get("/classify/search?q=%E5%B7%A5%E4%BD%9C%E6%A9%9F%E6%A2%B0", &desk); // 工作機械
    assert_eq!(status, 200, "{found}");
    let candidates = found["candidates"].as_array().unwrap();
    assert!(candidates.iter().any(|c| c["regime"] == "jp"), "{found}");
    assert!(candidates.iter().all(|c| !c["excerpt"].as_str().unwrap().is_empty()), "{found}");
    assert_error(server.get("/classify/search?q=%20", &desk), 422, "q: missing");
    assert_error(server.get("/classify/search?q=lathe&regime=cn", &desk), 422, "regime: unknown regime");
    assert_error(server.get("/classify/search?q=lathe&limit=0", &desk), 422, "limit:");

    // Records: reviewers only; the code checked against the rulebook; versions kept.
    let record = json!({"item": "RH-ADC-16", "regime": "us", "code": "3a001.a.1", "justification": "total dose 5 krad(Si) per datasheet"});
    assert_error(server.post("/classify/records", &desk, &record.to_string()), 403, "reviewer role");
    let (status, stored) = server.post("/classify/records", &reviewer, &record.to_string());
    assert_eq!(status, 200, "{stored}");
    assert_eq!((stored["version"].as_i64(), stored["decided_by"].as_str()), (Some(1), Some("hanako")), "{stored}");
    assert!(stored["citation"].as_str().unwrap().contains("3A001"), "{stored}");
    let bad = json!({"item": "RH-ADC-16", "regime": "us", "code": "3A091", "justification": "x"});
    assert_error(server.post("/classify/records", &reviewer, &bad.to_string()), 422, "code: us: \"3A091\" is not in the rulebook");
    assert_error(server.post("/classify/records", &reviewer, r#"{"item": "RH-ADC-16", "regime": "us", "code": "3A001"}"#), 422, "justification: missing");
    let (status, history) = server.get("/classify/records/RH-ADC-16", &desk);
    assert_eq!(status, 200, "{history}");
    assert_eq!(history["records"].as_array().unwrap().len(), 1, "{history}");
    assert_error(server.get("/classify/records/NO-SUCH-PART", &desk), 404, "no classification recorded");

    // The audit trail holds both determinations with the key's name, and still verifies.
    let (_, audit) = server.get("/audit?action=determine", &admin);
    let records = audit["records"].as_array().unwrap();
    assert_eq!(records.len(), 2, "bad input is not recorded: {audit}");
    let china = records.iter().find(|r| r["seq"] == china_seq).expect("the China determination");
    assert_eq!(china["actor"], "desk");
    assert_eq!(china["details"]["transaction_id"], "HTTP-EL-1");
    assert_eq!(outcome(&china["details"], "US")["outcome"], "licence_required");
    assert!(china["details"].get("outcomes").is_none(), "the outcomes are stored once: {china}");
    assert!(china["details"]["lists"].as_array().unwrap().iter().any(|l| l["source"] == "us_trade_csl"), "{china}");
    let (_, classified) = server.get("/audit?action=classify_record", &admin);
    assert_eq!(classified["records"][0]["actor"], "hanako", "{classified}");
    let (_, verified) = server.get("/audit/verify", &admin);
    assert_eq!(verified["ok"], true, "{verified}");
}
