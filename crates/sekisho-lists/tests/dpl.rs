//! BIS Denied Persons List: fixtures, malformed input, no-panic properties and the real file
//! in `../shared/data` (skipped with a notice when absent).

mod common;

use std::path::Path;
use std::time::Instant;

use common::{apply_edits, assert_line_error, byte_edits, error_says_where, prop};
use proptest::prelude::*;
use sekisho_lists::{Format, InputFile, Location, ParseError, detect, dpl};
use sekisho_model::{Entity, NameKind, Schema, stable_id};

fn fixture() -> InputFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dpl/dpl.txt");
    InputFile::new(&path, std::fs::read(&path).unwrap())
}

fn fixture_text() -> String {
    String::from_utf8(fixture().bytes).unwrap()
}

fn parse_text(text: &str) -> Result<Vec<Entity>, ParseError> {
    dpl::parse(&[InputFile::new("dpl.txt", text.as_bytes())]).map(|p| p.entities)
}

fn header() -> &'static str {
    "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_Date\"\t\
     \"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t\"FR_Citation\""
}

/// A data row with the given (column index, value) pairs over a valid default.
fn row(values: &[(usize, &str)]) -> String {
    let mut fields: Vec<String> = [
        "ACME",
        "1 MAIN ST",
        "AUSTIN",
        "TX",
        "US",
        "78701",
        "01/02/2020",
        "01/02/2030",
        "Y",
        "2020-01-05",
        "FR NOTICE ADDED",
        "85 F.R. 1000 1/5/2020",
    ]
    .map(String::from)
    .to_vec();
    for (i, v) in values {
        fields[*i] = (*v).to_string();
    }
    fields.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join("\t")
}

#[track_caller]
fn assert_error(result: Result<Vec<Entity>, ParseError>, line: u64, field: &str, message_part: &str) {
    assert_line_error(result, "dpl.txt", line, field, message_part);
}

#[test]
fn sniffs_the_header() {
    assert!(dpl::sniff(&fixture()));
    assert_eq!(detect(&fixture()), Some(Format::BisDpl));
    assert!(dpl::sniff(&InputFile::new("x", &b"Name\tStreet_Address\tCity\tState\n"[..])));
    assert!(!dpl::sniff(&InputFile::new("x", &b"\"_id\",\"source\",\"entity_number\"\n"[..])));
    assert!(!dpl::sniff(&InputFile::new("x", &b"Name,Street_Address,City\n"[..])));
}

#[test]
fn maps_a_row_in_full() {
    let parsed = dpl::parse(&[fixture()]).unwrap();
    let e = &parsed.entities[0];
    let expected_id = stable_id(
        "dpl",
        &[
            "I. EXAMPLE",
            "UPON THE DATE OF THE ORDER INCARCERATED AT FCI EXAMPLE, 2113 NORTH HIGHWAY 175",
            "SEAGOVILLE",
            "US",
            "2003-06-19",
        ],
    );
    assert_eq!(e.id, expected_id);
    assert_eq!(e.provenance.source_id, expected_id);
    assert_eq!(e.provenance.source, "us_bis_dpl");
    assert_eq!(e.schema, Schema::LegalEntity);
    assert_eq!(e.names.len(), 1);
    assert_eq!((e.names[0].value.as_str(), e.names[0].kind), ("I. EXAMPLE", NameKind::Primary));
    let a = &e.addresses[0];
    assert_eq!(
        a.full,
        "UPON THE DATE OF THE ORDER INCARCERATED AT FCI EXAMPLE, 2113 NORTH HIGHWAY 175, SEAGOVILLE, TX, 75159, US"
    );
    assert_eq!(a.city.as_deref(), Some("SEAGOVILLE"));
    assert_eq!(a.region.as_deref(), Some("TX"));
    assert_eq!(a.postal_code.as_deref(), Some("75159"));
    assert_eq!(a.country.as_deref(), Some("US"));
    assert_eq!(e.countries, ["US"]);
    assert_eq!(e.provenance.listed_on.as_ref().unwrap().to_string(), "2003-06-19");
    assert_eq!(prop(e, "endDate"), ["2056-06-29"]);
    assert_eq!(prop(e, "standardOrder"), ["Y"]);
    assert_eq!(prop(e, "lastUpdate"), ["2007-01-31"]);
    assert_eq!(prop(e, "action"), ["FEDERAL REGISTER NOTICE UPDATED"]);
    assert_eq!(
        e.facts.federal_register,
        ["68 F.R. 38290 6/27/03", "71 F.R. 38843 7/10/06", "72 F.R. 4236 1/30/07"]
    );
}

#[test]
fn repeated_rows_merge_and_addresses_stay_apart() {
    let parsed = dpl::parse(&[fixture()]).unwrap();
    // 6 rows: one exact repeat merges; the same person at two streets is two listings.
    assert_eq!(parsed.entities.len(), 5);
    let jack: Vec<_> =
        parsed.entities.iter().filter(|e| e.caption() == "JOHN \"JACK\" EXAMPLE").collect();
    assert_eq!(jack.len(), 2);
    assert_eq!(jack[0].facts.federal_register, ["67 F.R. 56530 9/4/02", "67 F.R. 10890 3/11/02"]);
    assert!(prop(jack[0], "endDate").is_empty());
    assert_eq!(prop(jack[0], "standardOrder"), ["Y"]);
    assert_eq!(jack[1].addresses.len(), 1);
    assert_eq!(jack[1].addresses[0].street.as_deref(), Some("908 AUDELIA ROAD, SUITE 200"));
    // No country given: none invented from the State column.
    let trading = parsed.entities.iter().find(|e| e.caption() == "EXAMPLE TRADING LTD").unwrap();
    assert!(trading.countries.is_empty());
    assert_eq!(prop(trading, "standardOrder"), ["N"]);
}

#[test]
fn list_date_is_the_latest_plausible_last_update() {
    // The fixture has a `2922-09-01` typo like the real file; the list date ignores it.
    let parsed = dpl::parse(&[fixture()]).unwrap();
    assert_eq!(parsed.list_date.as_deref(), Some("2022-05-18"));
    let trading = parsed.entities.iter().find(|e| e.caption() == "EXAMPLE TRADING LTD").unwrap();
    assert_eq!(prop(trading, "lastUpdate"), ["2922-09-01"], "kept as written");
    let text = fixture_text().replace("2922-09-01", "3017-08-22");
    let parsed = dpl::parse(&[InputFile::new("dpl.txt", text.as_bytes())]).unwrap();
    assert_eq!(parsed.list_date.as_deref(), Some("2022-05-18"));
}

#[test]
fn ids_are_stable_across_spacing_case_and_row_order() {
    let a = parse_text(&format!("{}\n{}\n{}\n", header(), row(&[]), row(&[(0, "OTHER")]))).unwrap();
    let b = parse_text(&format!(
        "{}\r\n{}\r\n{}\r\n",
        header(),
        row(&[(0, "OTHER")]),
        row(&[(0, " acme "), (1, "1  MAIN  ST")])
    ))
    .unwrap();
    assert_eq!(a[0].id, b[1].id);
    assert_eq!(a[1].id, b[0].id);
    assert_ne!(a[0].id, a[1].id);
}

#[test]
fn reads_windows_1252_text() {
    let mut bytes = format!("{}\n", header()).into_bytes();
    bytes.extend_from_slice(row(&[(0, "JOS\u{c9}")]).replace('\u{c9}', "#").as_bytes());
    let at = bytes.iter().position(|&b| b == b'#').unwrap();
    bytes[at] = 0xC9; // É in Windows-1252
    let e = dpl::parse(&[InputFile::new("dpl.txt", bytes)]).unwrap().entities;
    assert_eq!(e[0].caption(), "JOSÉ");
}

#[test]
fn malformed_rows_name_file_line_and_column() {
    let h = header();
    let ok = row(&[]);
    assert!(parse_text(&format!("{h}\n{ok}\n")).is_ok());
    let short = ok.rsplit_once('\t').unwrap().0;
    assert_error(
        parse_text(&format!("{h}\n{ok}\n{short}\n")),
        3,
        "FR_Citation",
        "expected 12 fields, found 11",
    );
    assert_error(parse_text(&format!("{h}\n{ok}\t\"x\"\n")), 2, "column 13", "found 13");
    let text = format!("{h}\n{}\n", ok.replacen("\"AUSTIN\"", "AUS\"TIN", 1));
    assert_error(parse_text(&text), 2, "City", "quote inside an unquoted field");
    let text = format!("{h}\n{}\n", ok.replacen("\"AUSTIN\"", "\"AUSTIN", 1));
    assert!(parse_text(&text).is_err());
    assert_error(parse_text(&format!("{h}\n{}\n", row(&[(0, " ")]))), 2, "Name", "missing name");
    assert_error(
        parse_text(&format!("{h}\n{}\n", row(&[(6, "")]))),
        2,
        "Effective_Date",
        "missing",
    );
    for bad in ["2020-01-02", "13/01/2020", "02/30/2020", "1/2/20", "01/02/2020/1"] {
        assert_error(
            parse_text(&format!("{h}\n{}\n", row(&[(6, bad)]))),
            2,
            "Effective_Date",
            "MM/DD/YYYY",
        );
    }
    assert_error(
        parse_text(&format!("{h}\n{}\n", row(&[(7, "soon")]))),
        2,
        "Expiration_Date",
        "MM/DD/YYYY",
    );
    assert_error(
        parse_text(&format!("{h}\n{}\n", row(&[(8, "YES")]))),
        2,
        "Standard_Order",
        "Y or N",
    );
    for bad in ["01/05/2020", "2020-1-5", "2020-13-05", "2020-02-30"] {
        assert_error(
            parse_text(&format!("{h}\n{}\n", row(&[(9, bad)]))),
            2,
            "Last_Update",
            "YYYY-MM-DD",
        );
    }
    let renamed = h.replace("Postal_Code", "Zip");
    assert_error(parse_text(&format!("{renamed}\n{ok}\n")), 1, "Zip", "unknown column");
    let err = dpl::parse(&[InputFile::new("dpl.txt", &b"\n\n"[..])]).unwrap_err();
    assert_eq!(err.location, Location::File);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(256)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = dpl::parse(&[InputFile::new("fuzz.txt", bytes.clone())]);
        let _ = dpl::sniff(&InputFile::new("fuzz.txt", bytes));
    }

    #[test]
    fn mutated_fixtures_never_panic_and_errors_say_where(edits in byte_edits()) {
        let bytes = apply_edits(fixture().bytes, &edits);
        error_says_where(dpl::parse(&[InputFile::new("fuzz.txt", bytes)]), "fuzz.txt")?;
    }
}

// --- Real file ------------------------------------------------------------------------------

fn load_real() -> Option<(InputFile, sekisho_lists::Parsed)> {
    let dir = sekisho_lists::shared_list("us-bis-dpl")?;
    let path = dir.join("dpl.txt");
    let file = InputFile::new(&path, std::fs::read(&path).unwrap());
    let parsed = dpl::parse(std::slice::from_ref(&file)).unwrap_or_else(|e| panic!("{e}"));
    Some((file, parsed))
}

#[test]
fn real_file_counts_ids_and_list_date() {
    let Some((file, parsed)) = load_real() else { return };
    // Python: 581 data rows, 579 distinct (two exact repeats: DAQING ZHOU, NEI-CHIEN CHU).
    assert_eq!(parsed.entities.len(), 579);
    let mut ids: Vec<_> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 579);
    // Python: max(Last_Update) over years <= 2023 (the latest Effective_Date is in 2022).
    assert_eq!(parsed.list_date.as_deref(), Some("2022-09-02"));
    assert!(parsed.entities.iter().all(|e| e.provenance.listed_on.is_some()));
    assert!(parsed.entities.iter().all(|e| e.schema == Schema::LegalEntity));
    // Python: 379 rows have a Country, 377 after the two repeats; one of those is `NM` (New
    // Mexico, in the wrong column), which is no country code. `PRC` resolves to CN.
    assert_eq!(parsed.entities.iter().filter(|e| !e.countries.is_empty()).count(), 376);
    let prc = parsed.entities.iter().filter(|e| e.addresses[0].full.ends_with("PRC")).count();
    assert_eq!(prc, 2);
    assert!(
        parsed
            .entities
            .iter()
            .filter(|e| e.addresses[0].full.ends_with("PRC"))
            .all(|e| e.countries == ["CN"])
    );
    let citations: usize = parsed.entities.iter().map(|e| e.facts.federal_register.len()).sum();
    assert!(citations > 579, "citations are split: {citations}");

    let start = Instant::now();
    let again = dpl::parse(std::slice::from_ref(&file)).unwrap();
    eprintln!(
        "dpl: parsed {} rows in {:.2} ms",
        again.entities.len(),
        start.elapsed().as_secs_f64() * 1e3
    );
}

#[test]
fn real_file_spot_check() {
    let Some((_, parsed)) = load_real() else { return };
    let ash = parsed.entities.iter().find(|e| e.caption() == "I. ASH").unwrap();
    assert_eq!(ash.addresses[0].postal_code.as_deref(), Some("75159"));
    assert_eq!(ash.provenance.listed_on.as_ref().unwrap().to_string(), "2003-06-19");
    assert_eq!(
        ash.facts.federal_register,
        ["68 F.R. 38290 6/27/03", "71 F.R. 38843 7/10/06", "72 F.R. 4236 1/30/07"]
    );
    let elashi: Vec<_> =
        parsed.entities.iter().filter(|e| e.caption() == "IHSAN MEDHAT \"SAMMY\" ELASHI").collect();
    assert_eq!(elashi.len(), 2);
    let airline = parsed.entities.iter().find(|e| e.caption() == "AL-NASER AIRLINES").unwrap();
    assert_eq!(prop(airline, "lastUpdate"), ["0222-05-18"]);
    assert_eq!(airline.facts.federal_register.len(), 14);
    let list = sekisho_lists::load(&sekisho_lists::shared_list("us-bis-dpl").unwrap()).unwrap();
    assert_eq!((list.format, list.entities.len()), (Format::BisDpl, 579));
}
