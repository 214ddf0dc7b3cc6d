//! FtM JSON lines: a handwritten export with parties and non-party entities, malformed lines
//! with file/line/property, property tests, and a round trip of the real UN list through FtM.

use std::collections::BTreeSet;
use std::path::PathBuf;

use proptest::prelude::*;
use sekisho_lists::ftm::{self, FtmReport};
use sekisho_lists::{Format, InputFile, Location, ParseError, Parsed, detect, un};
use sekisho_model::{Entity, IdentifierKind, NameKind, Schema};

const SMALL: &str = include_str!("fixtures/ftm/small.ftm.json");

fn parse_str(text: &str) -> Result<(Parsed, FtmReport), ParseError> {
    ftm::parse_with_report(&[InputFile::new("small.ftm.json", text.as_bytes())])
}

fn parse_err(text: &str) -> ParseError {
    parse_str(text).expect_err("input should be rejected")
}

fn assert_at(error: &ParseError, line: u64, field: Option<&str>) {
    assert_eq!(error.file, PathBuf::from("small.ftm.json"), "{error}");
    assert_eq!(error.location, Location::Line(line), "{error}");
    assert_eq!(error.field.as_deref(), field, "{error}");
}

const PERSON: &str = r#"{"id": "p1", "schema": "Person", "properties": {"name": ["A B"]}}"#;

// ---------------------------------------------------------------------------------------
// The handwritten export

#[test]
fn recognised_by_content() {
    let file = InputFile::new("export.jsonl", SMALL.as_bytes());
    assert!(ftm::sniff(&file));
    assert_eq!(detect(&file), Some(Format::FtmJson));
    assert!(ftm::sniff(&InputFile::new(
        "x",
        format!("\u{feff}\n  \n{PERSON}\n")
    )));
    for other in [
        "",
        "\n\n",
        "[1, 2]",
        r#"{"id": "p1"}"#,
        r#"{"schema": "Person"}"#,
        r#"{"schema": 7, "id": "p1"}"#,
        "ent_num,SDN_Name",
        "<CONSOLIDATED_LIST/>",
    ] {
        assert!(
            !ftm::sniff(&InputFile::new("x", other.as_bytes())),
            "{other:?}"
        );
    }
}

#[test]
fn parties_are_read_and_other_schemata_counted() {
    let (parsed, report) = parse_str(SMALL).unwrap();
    let ids: Vec<_> = parsed
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.schema))
        .collect();
    assert_eq!(
        ids,
        [
            ("xx-person-1", Schema::Person),
            ("xx-company-1", Schema::Company),
            ("xx-ministry-1", Schema::Organization),
            ("xx-vessel-1", Schema::Vessel),
        ]
    );
    let skipped: Vec<_> = report
        .skipped
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(skipped, [("Address", 1), ("Ownership", 1), ("Sanction", 1)]);
    assert_eq!(report.skipped_total(), 3);
    assert!(report.unknown_schemata().is_empty());
    // The latest last_seen: the export's run.
    assert_eq!(parsed.list_date.as_deref(), Some("2026-02-26"));
}

#[test]
fn person_in_full() {
    let (parsed, _) = parse_str(SMALL).unwrap();
    let e = &parsed.entities[0];
    let names: Vec<_> = e.names.iter().map(|n| (n.value.as_str(), n.kind)).collect();
    assert_eq!(
        names,
        [
            ("Ivan PETROV", NameKind::Primary),
            ("Иван Петров", NameKind::OriginalScript),
            ("Vanya Petrov", NameKind::Alias),
            ("Vanya", NameKind::WeakAlias),
        ]
    );
    assert_eq!(e.nationalities, ["RU"]);
    assert_eq!(e.birth_dates[0].to_string(), "1970-05-01");
    assert_eq!(
        (e.identifiers[0].kind, e.identifiers[0].value.as_str()),
        (IdentifierKind::Passport, "7201234567")
    );
    assert_eq!(e.programs, ["RUSSIA-EO14024"]);
    assert_eq!(e.properties["position"], ["Director of Kometa JSC"]);
    assert_eq!(e.provenance.source, "xx_demo_list");
    assert_eq!(e.provenance.source_id, "A-17");
    assert_eq!(
        e.provenance
            .listed_on
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("2022-03-15")
    );

    let vessel = &parsed.entities[3];
    assert_eq!(
        (
            vessel.identifiers[0].kind,
            vessel.identifiers[0].value.as_str()
        ),
        (IdentifierKind::Imo, "9123456")
    );
    assert_eq!(vessel.properties["flag"], ["pa"]);
}

#[test]
fn unknown_schemata_are_skipped_but_named() {
    let text = format!(
        "{PERSON}\n{}\n",
        PERSON.replace("Person", "Persn").replace("p1", "p2")
    );
    let (parsed, report) = parse_str(&text).unwrap();
    assert_eq!(parsed.entities.len(), 1);
    assert_eq!(report.unknown_schemata(), ["Persn"]);
}

#[test]
fn crlf_and_blank_lines_are_fine() {
    let text = format!("\r\n{PERSON}\r\n\r\n");
    assert_eq!(parse_str(&text).unwrap().0.entities.len(), 1);
    assert_eq!(parse_str("").unwrap().0.entities.len(), 0);
}

// ---------------------------------------------------------------------------------------
// Malformed lines: file, line and property

#[test]
fn invalid_json_names_the_line() {
    let text = format!("{PERSON}\n\n{{\"id\": \"p2\", \"schema\": \"Person\",\n");
    let error = parse_err(&text);
    assert_at(&error, 3, None);
    assert!(
        error.message.starts_with("invalid JSON at column"),
        "{error}"
    );

    assert_at(&parse_err(&format!("{PERSON}\n[1, 2]\n")), 2, None);
    assert_at(&parse_err("\"just a string\""), 1, None);

    let mut bytes = format!("{PERSON}\n{PERSON}").into_bytes();
    let at = bytes.len() - 5; // inside the second line's name
    bytes[at] = 0xFF;
    let error = ftm::parse(&[InputFile::new("small.ftm.json", bytes)]).unwrap_err();
    assert_at(&error, 2, None);
}

#[test]
fn bad_screenable_entities_name_line_and_property() {
    let cases = [
        (r#"{"id": "p2", "properties": {"name": ["A"]}}"#, "schema"),
        (
            r#"{"id": "p2", "schema": "", "properties": {"name": ["A"]}}"#,
            "schema",
        ),
        (
            r#"{"schema": "Person", "properties": {"name": ["A"]}}"#,
            "id",
        ),
        (
            r#"{"id": " ", "schema": "Person", "properties": {"name": ["A"]}}"#,
            "id",
        ),
        (
            r#"{"id": "p2", "schema": "Person", "properties": {"country": ["ru"]}}"#,
            "properties.name",
        ),
        (
            r#"{"id": "p2", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["yesterday"]}}"#,
            "birthDate",
        ),
        (
            r#"{"id": "p2", "schema": "Person", "properties": {"name": ["A"], "alias": [{"x": 1}]}}"#,
            "alias",
        ),
        (
            r#"{"id": "p2", "schema": "Company", "properties": ["A"]}"#,
            "properties",
        ),
        (PERSON, "id"),
    ];
    for (line, field) in cases {
        let text = format!("{PERSON}\n{line}\n");
        let error = parse_err(&text);
        assert_at(&error, 2, Some(field));
    }
    let error = parse_err(&format!("{PERSON}\n{PERSON}\n"));
    assert!(error.message.contains("first on line 1"), "{error}");
    assert_eq!(
        error.to_string(),
        "small.ftm.json:2: field \"id\": entity p1 appears again (first on line 1); merge fragments first (ftm aggregate)"
    );
}

#[test]
fn duplicate_ids_across_files_name_both() {
    let files = [
        InputFile::new("a.jsonl", PERSON),
        InputFile::new("b.jsonl", format!("\n{PERSON}")),
    ];
    let error = ftm::parse(&files).unwrap_err();
    assert_eq!(
        (error.file.to_str(), &error.location),
        (Some("b.jsonl"), &Location::Line(2))
    );
    assert!(error.message.contains("a.jsonl:1"), "{error}");
}

// ---------------------------------------------------------------------------------------
// Properties

/// Cut points that fall inside a line with content after them: the cut line cannot be a
/// complete object.
fn is_inside_a_line(text: &str, cut: usize) -> bool {
    let start = text[..cut].rfind('\n').map_or(0, |i| i + 1);
    let end = text[cut..].find('\n').map_or(text.len(), |i| cut + i);
    cut > start && !text[cut..end].trim().is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(512)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let file = InputFile::new("fuzz.jsonl", bytes);
        let _ = ftm::sniff(&file);
        let _ = ftm::parse(&[file]);
    }

    #[test]
    fn arbitrary_json_objects_never_panic(
        schema in "(Person|Company|Vessel|Sanction|PublicBody|[A-Za-z]{0,8})",
        key in "(name|alias|birthDate|country|passportNumber|properties|[a-z]{1,6})",
        value in "[ -~]{0,12}",
    ) {
        for properties in [
            format!(r#"{{"{key}": ["{value}"]}}"#),
            format!(r#"{{"name": ["A"], "{key}": {value:?}}}"#),
            format!(r#"{{"name": [1, null], "{key}": [[]]}}"#),
        ] {
            let line = format!(r#"{{"id": "x", "schema": "{schema}", "properties": {properties}}}"#);
            let _ = parse_str(&line);
        }
    }

    #[test]
    fn a_line_cut_short_is_an_error(cut in 0..SMALL.len()) {
        prop_assume!(SMALL.is_char_boundary(cut) && is_inside_a_line(SMALL, cut));
        prop_assert!(parse_str(&SMALL[..cut]).is_err());
    }

    #[test]
    fn mutated_export_never_panics(at in 0..SMALL.len(), byte in any::<u8>(), delete in 0usize..30) {
        let mut bytes = SMALL.as_bytes().to_vec();
        bytes[at] = byte;
        let end = (at + delete).min(bytes.len());
        bytes.drain(at..end);
        let _ = ftm::parse(&[InputFile::new("m.jsonl", bytes)]);
    }
}

#[test]
fn every_cut_inside_a_line_is_an_error() {
    for cut in (0..SMALL.len()).filter(|&c| SMALL.is_char_boundary(c) && is_inside_a_line(SMALL, c))
    {
        assert!(
            parse_str(&SMALL[..cut]).is_err(),
            "cut at byte {cut} parsed"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Round trip of the real UN list: UN XML → Entity → FtM JSON lines → Entity

fn real_un() -> Option<Vec<Entity>> {
    let dir = sekisho_lists::shared_list("un-sc-2026-02-27")?;
    let path = dir.join("consolidated.xml");
    let file = InputFile::new(&path, std::fs::read(&path).expect("readable"));
    Some(un::parse(&[file]).expect("parses").entities)
}

/// The name values and kinds FtM carries: it has no language, and an original-script name
/// in the primary name's script comes back as a primary name.
fn ftm_names(e: &Entity) -> BTreeSet<(String, NameKind)> {
    e.names.iter().map(|n| (n.value.clone(), n.kind)).collect()
}

#[test]
fn real_un_list_round_trips_through_ftm() {
    let Some(original) = real_un() else { return };
    let lines: String = original
        .iter()
        .map(|e| format!("{}\n", e.to_ftm()))
        .collect();
    let file = InputFile::new("un.ftm.json", lines.into_bytes());
    assert_eq!(detect(&file), Some(Format::FtmJson));
    let (parsed, report) = ftm::parse_with_report(&[file]).expect("our own export parses");
    assert_eq!(report.skipped_total(), 0);
    let back = parsed.entities;
    assert_eq!(back.len(), original.len());

    let mut latin_original_script = 0;
    for (a, b) in original.iter().zip(&back) {
        // Everything FtM writes comes back identical...
        assert_eq!(a.to_ftm(), b.to_ftm(), "{}", a.id);
        // ...and field by field, what FtM models survives.
        assert_eq!((&a.id, a.schema), (&b.id, b.schema));
        assert_eq!(a.provenance.source, b.provenance.source);
        assert_eq!(a.provenance.source_id, b.provenance.source_id);
        assert_eq!(a.provenance.listed_on, b.provenance.listed_on);
        assert_eq!(a.countries, b.countries, "{}", a.id);
        assert_eq!(a.nationalities, b.nationalities, "{}", a.id);
        assert_eq!(a.birth_dates, b.birth_dates, "{}", a.id);
        assert_eq!(a.birth_places, b.birth_places, "{}", a.id);
        assert_eq!(a.gender, b.gender);
        assert_eq!(a.programs, b.programs);
        assert_eq!(a.notes, b.notes);
        assert_eq!(a.properties, b.properties);
        let values = |e: &Entity| -> BTreeSet<(&str, String)> {
            e.identifiers
                .iter()
                .map(|i| (i.kind.ftm_property(), i.value.clone()))
                .collect()
        };
        assert_eq!(values(a), values(b), "{}", a.id);
        let addresses =
            |e: &Entity| -> Vec<String> { e.addresses.iter().map(|x| x.full.clone()).collect() };
        assert_eq!(addresses(a), addresses(b), "{}", a.id);

        let (names_a, names_b) = (ftm_names(a), ftm_names(b));
        if names_a != names_b {
            // The one known loss: an "original script" name written in Latin letters.
            let moved: Vec<_> = names_a.difference(&names_b).collect();
            assert_eq!(moved.len(), 1, "{}: {moved:?}", a.id);
            assert_eq!(moved[0].1, NameKind::OriginalScript);
            assert!(names_b.contains(&(moved[0].0.clone(), NameKind::Primary)));
            latin_original_script += 1;
        }
    }
    assert_eq!(latin_original_script, 1);
}
