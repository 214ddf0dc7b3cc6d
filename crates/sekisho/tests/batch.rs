//! `sekisho screen --input FILE --output FILE` on CSV and XLSX files against the real OFAC
//! list (imported alone to keep the tests quick).

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{CUSTOMERS, Sekisho, by_id, check_customers, path_str, shared_lists};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn with_ofac() -> Option<Sekisho> {
    let lists = shared_lists()?;
    let s = Sekisho::new();
    s.ok(&["lists", "import", path_str(&lists.join("ofac-sdn-2021"))]);
    Some(s)
}

/// Runs a batch, asserting success; returns stderr (where the summary goes).
fn batch(s: &Sekisho, args: &[&str]) -> String {
    let mut all = vec!["screen"];
    all.extend(args);
    let out = s.run(&all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "sekisho {all:?} failed: {stderr}");
    stderr
}

/// The output CSV as maps from column to value, one per row; checks the BOM.
fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    common::result_rows(&std::fs::read(path).unwrap())
}

fn audit_log(s: &Sekisho) -> Vec<Value> {
    s.ok(&["audit", "log", "--json"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn japanese_headers_in_utf8_and_shift_jis_find_listed_names() {
    let Some(s) = with_ofac() else { return };
    let input = s.write("customers.csv", CUSTOMERS);
    let output = s.home.path().join("result.csv");
    let stderr = batch(&s, &["--input", path_str(&input), "--output", path_str(&output)]);
    assert!(stderr.contains("CSV, UTF-8;"), "{stderr}");
    assert!(stderr.contains("name = \"氏名・名称\", id = \"取引先コード\", country = \"国名\", schema = \"区分\""), "{stderr}");
    let rows = read_csv(&output);
    check_customers(&rows);
    assert!(by_id(&rows, "T-1")["case"].contains("opened (ofac-20157)"), "{:?}", by_id(&rows, "T-1"));

    // One screen record per alerting row, with cases under the customer id, then the batch.
    let log = audit_log(&s);
    let screens: Vec<&Value> = log.iter().filter(|r| r["action"] == "screen").collect();
    assert_eq!(screens.len(), 3);
    assert_eq!(screens[0]["details"]["counterparty"], "id:T-1");
    assert_eq!(screens[0]["details"]["query"]["origin"]["row"], 2);
    assert_eq!(by_id(&rows, "T-1")["audit_seq"], screens[0]["seq"].to_string());
    let summary = &log.last().unwrap()["details"];
    assert_eq!(log.last().unwrap()["action"], "batch_screen");
    assert_eq!(summary["input"]["sha256"], hex::encode(Sha256::digest(CUSTOMERS.as_bytes())));
    assert_eq!(summary["output"]["sha256"], hex::encode(Sha256::digest(std::fs::read(&output).unwrap())));
    assert_eq!((summary["rows"].as_u64(), summary["alert_rows"].as_u64(), summary["errors"].as_u64()), (Some(6), Some(3), Some(2)));
    assert_eq!(summary["error_rows"], serde_json::json!([6, 7]));
    assert_eq!(summary["lists"][0]["source"], "us_ofac_sdn");
    s.ok(&["audit", "verify"]);

    // The same file as Japanese Excel saves it: Shift_JIS. Screening again finds the open cases.
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(CUSTOMERS);
    assert!(!unmappable);
    let input = s.home.path().join("customers-sjis.csv");
    std::fs::write(&input, &sjis).unwrap();
    let stderr = batch(&s, &["--input", path_str(&input), "--output", path_str(&output)]);
    assert!(stderr.contains("CSV, Shift_JIS (CP932)"), "{stderr}");
    let rows = read_csv(&output);
    check_customers(&rows);
    assert!(by_id(&rows, "T-1")["case"].contains("already open (ofac-20157)"), "{:?}", by_id(&rows, "T-1"));
    // --no-record adds nothing to the trail.
    let records = audit_log(&s).len();
    batch(&s, &["--input", path_str(&input), "--output", path_str(&output), "--no-record"]);
    assert_eq!(audit_log(&s).len(), records);
    assert_eq!(by_id(&read_csv(&output), "T-1")["case"], "");
}

#[test]
fn xlsx_in_xlsx_out_round_trip() {
    let Some(s) = with_ofac() else { return };
    let input = s.home.path().join("parties.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/mm/dd");
    for (col, h) in ["番号", "名称", "国", "生年月日"].iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, 101).unwrap();
    sheet.write_string(1, 1, "KIM Jong Un").unwrap();
    sheet.write_string(1, 2, "KP").unwrap();
    sheet.write_datetime_with_format(1, 3, rust_xlsxwriter::ExcelDateTime::from_ymd(1984, 1, 8).unwrap(), &date).unwrap();
    sheet.write_number(2, 0, 102).unwrap();
    sheet.write_string(2, 1, "Suzuki Hanako").unwrap();
    sheet.write_string(2, 2, "日本").unwrap();
    book.save(&input).unwrap();

    let output = s.home.path().join("result.xlsx");
    let stderr = batch(&s, &["--input", path_str(&input), "--output", path_str(&output), "--no-record"]);
    assert!(stderr.contains("XLSX, sheet \"Sheet1\""), "{stderr}");
    let file = sekisho_lists::InputFile::new(&output, std::fs::read(&output).unwrap());
    let read = sekisho_lists::table::read_sheet(&file, None).unwrap();
    assert_eq!(read.name, "screening");
    let cells: Vec<Vec<String>> =
        read.rows.iter().map(|(_, r)| r.iter().map(|c| c.clone().unwrap_or_default()).collect()).collect();
    let header = &cells[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    assert_eq!(cells.len(), 3);
    let (kim, clean) = (&cells[1], &cells[2]);
    assert_eq!((kim[col("row")].as_str(), kim[col("id")].as_str(), kim[col("name")].as_str()), ("2", "101", "KIM Jong Un"));
    assert_eq!((kim[col("alert")].as_str(), kim[col("entity_id")].as_str()), ("yes", "ofac-20157"));
    assert_eq!(kim[col("score")], "1", "a number cell");
    assert!(kim[col("explanation")].contains("1984-01-08 agrees with listed"), "the date cell was used: {kim:?}");
    assert_eq!((clean[col("id")].as_str(), clean[col("alert")].as_str()), ("102", "no"));
    assert_eq!(clean.get(col("entity_id")).map_or("", String::as_str), "");
}

#[test]
fn column_flags_map_headers_that_are_not_recognised() {
    let Some(s) = with_ofac() else { return };
    let input = s.write("kunden.csv", "Kunde,Firma,Land\nK1,Korea Kwangson Banking Corp,KP\n");
    let output = s.home.path().join("out.csv");
    let err = s.fails(&["screen", "--input", path_str(&input), "--output", path_str(&output)]);
    assert!(err.contains("kunden.csv: no name column among [\"Kunde\", \"Firma\", \"Land\"]") && err.contains("--name-column"), "{err}");
    let err = s.fails(&["screen", "--input", path_str(&input), "--output", path_str(&output), "--name-column", "Name"]);
    assert!(err.contains("--name-column \"Name\": ") && err.contains("has no such column"), "{err}");
    let stderr = batch(
        &s,
        &["--input", path_str(&input), "--output", path_str(&output), "--name-column", "Firma", "--id-column", "Kunde", "--country-column", "Land"],
    );
    assert!(stderr.contains("name = \"Firma\", id = \"Kunde\", country = \"Land\""), "{stderr}");
    let rows = read_csv(&output);
    assert_eq!((rows[0]["id"].as_str(), rows[0]["alert"].as_str(), rows[0]["entity_id"].as_str()), ("K1", "yes", "ofac-11581"));
    let cases: Vec<Value> = serde_json::from_str(&s.ok(&["cases", "list", "--json"])).unwrap();
    assert_eq!(cases[0]["counterparty_key"], "id:K1");

    // A title above the header, blank lines, CRLF and a quoted line break: rows keep the
    // line numbers an editor shows.
    let input = s.write("titled.csv", "取引先一覧 2026-11-22\r\n\r\n番号,名称\r\n1,\"Sakura\r\nBakery\"\r\n\r\n2,Kim Jong Un\r\n");
    let stderr = batch(&s, &["--input", path_str(&input), "--output", path_str(&output), "--no-record"]);
    assert!(stderr.contains("2 row(s), CSV, UTF-8; header on line 3; columns: name = \"名称\", id = \"番号\""), "{stderr}");
    let rows = read_csv(&output);
    assert_eq!((rows[0]["row"].as_str(), rows[0]["alert"].as_str()), ("4", "no"));
    assert_eq!((rows[1]["row"].as_str(), rows[1]["alert"].as_str()), ("7", "yes"));
}

#[test]
fn malformed_files_are_errors_naming_file_and_line() {
    let s = Sekisho::new();
    let output = s.home.path().join("out.csv");
    let run = |name: &str, content: &[u8]| {
        let input = s.home.path().join(name);
        std::fs::write(&input, content).unwrap();
        s.fails(&["screen", "--input", path_str(&input), "--output", path_str(&output)])
    };
    let err = run("quote.csv", b"name,country\nKim,KP\n\"Open quote,KP\nLast,JP\n");
    assert!(err.contains("quote.csv:3: unterminated quote"), "{err}");
    let err = run("bytes.csv", b"name\nok\n\xFF\xFE\xFD\xFC\n");
    assert!(err.contains("bytes.csv:3: neither UTF-8 nor Shift_JIS"), "{err}");
    let err = run("book.xlsx", b"name,country\nKim,KP\n");
    assert!(err.contains("book.xlsx: not an Excel .xlsx file"), "{err}");
    let err = run("zip.csv", b"PK\x03\x04rest");
    assert!(err.contains("zip.csv: this is a zip archive"), "{err}");
    let err = run("empty.csv", b"\n\n");
    assert!(err.contains("empty.csv: empty file: no header row"), "{err}");
    let err = run("list.pdf", b"x");
    assert!(err.contains("list.pdf: unknown input format"), "{err}");
    assert!(!output.exists(), "nothing written for a file that cannot be read");
    let input = s.write("same.csv", "name\nKim Jong Un\n");
    let err = s.fails(&["screen", "--input", path_str(&input), "--output", path_str(&input)]);
    assert!(err.contains("is the input file"), "{err}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "name\nKim Jong Un\n", "the input is left as it was");
    assert!(!err.contains("panicked"));
}
