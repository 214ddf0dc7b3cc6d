//! trade.gov Consolidated Screening List: fixtures, malformed input, no-panic properties and the
//! real files in `../shared/data` (skipped with a notice when absent).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{apply_edits, assert_line_error, by_id, byte_edits, error_says_where, names, prop};
use proptest::prelude::*;
use sekisho_lists::{Format, InputFile, Location, ParseError, csl, detect};
use sekisho_model::{Entity, IdentifierKind, NameKind, Schema};

fn fixture() -> InputFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csl/consolidated.csv");
    InputFile::new(&path, std::fs::read(&path).unwrap())
}

fn parse_text(text: &str) -> Result<Vec<Entity>, ParseError> {
    csl::parse(&[InputFile::new("test.csv", text.as_bytes())]).map(|p| p.entities)
}

fn header() -> &'static str {
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,\
     end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,\
     gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,\
     dates_of_birth,nationalities,places_of_birth,source_information_url,ids"
}

/// A data row of 29 fields with the given (column index, value) pairs filled in.
fn row(values: &[(usize, &str)]) -> String {
    let mut fields = vec![String::new(); 29];
    fields[0] = "r1".into();
    fields[1] = "Entity List (EL) - Bureau of Industry and Security".into();
    fields[5] = "Example Co".into();
    for (i, v) in values {
        fields[*i] = (*v).to_string();
    }
    fields.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(",")
}

#[track_caller]
fn assert_error(result: Result<Vec<Entity>, ParseError>, line: u64, field: &str, message_part: &str) {
    assert_line_error(result, "test.csv", line, field, message_part);
}

#[test]
fn sniffs_the_header_quoted_or_not() {
    assert!(csl::sniff(&fixture()));
    assert_eq!(detect(&fixture()), Some(Format::TradeGovCsl));
    let unquoted = format!("\u{feff}{}\n", header());
    assert!(csl::sniff(&InputFile::new("x", unquoted.as_bytes())));
    assert!(!csl::sniff(&InputFile::new("x", "source,entity_number,type\n".as_bytes())));
    assert!(!csl::sniff(&InputFile::new(
        "x",
        "\"Name\"\t\"Street_Address\"\t\"City\"\n".as_bytes()
    )));
}

#[test]
fn maps_an_entity_list_entry_with_its_licence_facts() {
    let entities = csl::parse(&[fixture()]).unwrap().entities;
    assert_eq!(entities.len(), 8);
    let e = by_id(&entities, "csl-el-0001");
    assert_eq!(e.schema, Schema::LegalEntity);
    assert_eq!(e.provenance.source, "us_trade_csl");
    assert_eq!(e.provenance.source_id, "el-0001");
    assert_eq!(e.facts.list.as_deref(), Some("Entity List (EL) - Bureau of Industry and Security"));
    assert_eq!(names(e, NameKind::Primary), ["Example Semiconductor Institute (ESI)"]);
    assert_eq!(names(e, NameKind::Alias), ["ESI", "Example Institute 13"]);
    let addresses: Vec<_> =
        e.addresses.iter().map(|a| (a.full.as_str(), a.country.as_deref())).collect();
    assert_eq!(
        addresses,
        [
            ("1 Hezuo Road, Shijiazhuang, Hebei, China", Some("CN")),
            ("2 Changsheng Street, Shijiazhuang, Hebei, CN", Some("CN")),
        ]
    );
    assert_eq!(e.countries, ["CN"]);
    assert_eq!(e.facts.federal_register, ["83 FR 37423", "87 FR 77505"]);
    assert_eq!(e.provenance.listed_on.as_ref().unwrap().to_string(), "2018-08-01");
    assert_eq!(
        e.facts.license_requirement.as_deref(),
        Some("For all items subject to the EAR. (See §744.11 of the EAR)")
    );
    assert_eq!(e.facts.license_policy.as_deref(), Some("Presumption of denial."));
    assert_eq!(
        e.provenance.source_url.as_deref(),
        Some("https://www.bis.gov/regulations/ear/744#supplement-4-744")
    );
    assert!(e.identifiers.is_empty() && e.notes.is_empty() && e.properties.is_empty());
}

#[test]
fn maps_an_meu_entry() {
    let entities = csl::parse(&[fixture()]).unwrap().entities;
    let e = by_id(&entities, "csl-meu-0001");
    assert_eq!(
        e.facts.list.as_deref(),
        Some("Military End User (MEU) List - Bureau of Industry and Security")
    );
    assert_eq!(e.countries, ["CN"]);
    assert!(e.addresses.is_empty(), "a bare country code is a country, not an address");
    assert_eq!(
        e.facts.license_requirement.as_deref(),
        Some("For any item subject to the EAR listed in supplement no. 2 to part 744.")
    );
    assert_eq!(e.facts.license_policy.as_deref(), Some("Case-by-case review."));
    assert_eq!(e.facts.federal_register, ["85 FR 83799"]);
}

#[test]
fn maps_a_vessel_with_its_identifiers_and_properties() {
    let entities = csl::parse(&[fixture()]).unwrap().entities;
    let e = by_id(&entities, "csl-90001");
    assert_eq!(e.schema, Schema::Vessel);
    assert_eq!(e.provenance.source_id, "90001");
    assert_eq!(e.programs, ["IRAN", "IFSR"]);
    let ids: Vec<_> = e.identifiers.iter().map(|i| (i.kind, i.value.as_str())).collect();
    assert_eq!(
        ids,
        [
            (IdentifierKind::CallSign, "9HXY7"),
            (IdentifierKind::Imo, "9187629"),
            (IdentifierKind::Mmsi, "636012345"),
        ]
    );
    assert_eq!(e.identifiers[1].note.as_deref(), Some("Vessel Registration Identification"));
    assert_eq!(prop(e, "type"), ["Crude Oil Tanker"]);
    assert_eq!(prop(e, "tonnage"), ["81,479"]);
    assert_eq!(prop(e, "grossRegisteredTonnage"), ["156,880"]);
    assert_eq!(prop(e, "flag"), ["PA"]);
    assert_eq!(prop(e, "owner"), ["Example Shipping Co"]);
}

#[test]
fn maps_an_sdn_individual_in_full() {
    let entities = csl::parse(&[fixture()]).unwrap().entities;
    let e = by_id(&entities, "csl-52291");
    assert_eq!(e.schema, Schema::Person);
    assert_eq!(names(e, NameKind::Primary), ["RIM, Ryong Nam"]);
    assert_eq!(names(e, NameKind::Alias), ["RIM, Ryong-nam", "\"Nam\" RIM"]);
    assert_eq!(prop(e, "title"), ["Representative"]);
    let addresses: Vec<_> =
        e.addresses.iter().map(|a| (a.full.as_str(), a.country.as_deref())).collect();
    assert_eq!(addresses, [("Shenyang, CN", Some("CN")), ("Pyongyang, KP", Some("KP"))]);
    assert_eq!(e.countries, ["CN", "KP"]);
    assert_eq!(e.nationalities, ["KP"]);
    let dobs: Vec<_> = e.birth_dates.iter().map(ToString::to_string).collect();
    assert_eq!(dobs, ["1978-12-05", "1979"]);
    assert_eq!(e.birth_places, ["Pyongyang, North Korea"]);
    assert_eq!(e.gender.as_deref(), Some("male"));
    assert_eq!(e.identifiers.len(), 1);
    let passport = &e.identifiers[0];
    assert_eq!(
        (
            passport.kind,
            passport.value.as_str(),
            passport.country.as_deref(),
            passport.note.as_deref()
        ),
        (IdentifierKind::Passport, "836238033", Some("KP"), Some("Passport"))
    );
    assert_eq!(
        e.notes,
        [
            "Example remark.",
            "Date of birth: sometime in the 1970s",
            "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
        ]
    );
}

#[test]
fn maps_aircraft_dpl_isn_and_ssi_rows() {
    let entities = csl::parse(&[fixture()]).unwrap().entities;
    let plane = by_id(&entities, "csl-90002");
    assert_eq!(plane.schema, Schema::Airplane);
    assert_eq!(prop(plane, "serialNumber"), ["12345"]);
    assert_eq!(prop(plane, "model"), ["A300"]);
    assert_eq!(plane.identifiers[0].kind, IdentifierKind::AircraftRegistration);

    let denied = by_id(&entities, "csl-dpl-0001");
    assert_eq!(denied.facts.federal_register, ["67 F.R. 56530 9/4/02", "67 F.R. 10890 3/11/02"]);
    assert_eq!(prop(denied, "endDate"), ["2056-06-29"]);
    assert_eq!(prop(denied, "standardOrder"), ["Y"]);
    assert_eq!(denied.notes, ["50 YEAR DENIAL"]);
    assert_eq!(denied.addresses[0].country.as_deref(), Some("US"));

    let isn = by_id(&entities, "csl-isn-0001");
    assert_eq!(names(isn, NameKind::Primary), ["Example Trading Company"]);
    assert_eq!(isn.notes, ["and any successor, sub-unit, or subsidiary thereof"]);
    assert_eq!(isn.facts.federal_register, ["Vol. 88, No. 151, 08/08/2023"]);
    assert_eq!(
        isn.provenance.source_url.as_deref(),
        Some("https://www.state.gov/nonproliferation-sanctions/")
    );

    let bank = by_id(&entities, "csl-18283");
    assert_eq!(bank.schema, Schema::Organization);
    let ids: Vec<_> = bank.identifiers.iter().map(|i| (i.kind, i.value.as_str())).collect();
    assert_eq!(
        ids,
        [(IdentifierKind::Registration, "1027739108649"), (IdentifierKind::SwiftBic, "EXMPRUMM")]
    );
    assert_eq!(prop(bank, "website"), ["example.ru"]);
    assert_eq!(
        bank.notes,
        ["Executive Order 13662 Directive Determination - Subject to Directive 1"]
    );
}

#[test]
fn entities_survive_an_ftm_round_trip() {
    for e in csl::parse(&[fixture()]).unwrap().entities {
        let back = Entity::from_ftm(&e.to_ftm()).unwrap();
        assert_eq!(back.names, e.names, "{}", e.id);
        assert_eq!(back.facts.license_requirement, e.facts.license_requirement);
    }
}

#[test]
fn malformed_rows_name_file_line_and_column() {
    let h = header();
    let ok = row(&[]);
    assert!(parse_text(&format!("{h}\n{ok}\n")).is_ok());
    // Wrong field count: the first missing column is named.
    let short = ok.rsplit_once(',').unwrap().0;
    assert_error(
        parse_text(&format!("{h}\n{ok}\n{short}\n")),
        3,
        "ids",
        "expected 29 fields, found 28",
    );
    assert_error(parse_text(&format!("{h}\n{ok},\"x\"\n")), 2, "column 30", "found 30");
    // Bad quoting.
    let text = format!("{h}\n{}\n", ok.replacen("\"Example Co\"", "Example \"Co\"", 1));
    assert_error(parse_text(&text), 2, "name", "quote inside an unquoted field");
    let text = format!("{h}\n{}\n", ok.replacen("\"Example Co\"", "\"Example\" Co", 1));
    assert_error(parse_text(&text), 2, "name", "after the closing quote");
    let text = format!("{h}\n{ok}\n\"r2\",\"never closed\n");
    assert_error(parse_text(&text), 3, "source", "never closed");
    // Invalid values.
    assert_error(
        parse_text(&format!("{h}\n{}\n", row(&[(9, "2018-13-01")]))),
        2,
        "start_date",
        "YYYY-MM-DD",
    );
    assert_error(
        parse_text(&format!("{h}\n{}\n", row(&[(9, "2018")]))),
        2,
        "start_date",
        "YYYY-MM-DD",
    );
    assert_error(
        parse_text(&format!("{h}\n{}\n", row(&[(10, "31/12/2020")]))),
        2,
        "end_date",
        "YYYY-MM-DD",
    );
    assert_error(
        parse_text(&format!("{h}\n{}\n", row(&[(3, "Corporation")]))),
        2,
        "type",
        "unknown type",
    );
    assert_error(parse_text(&format!("{h}\n{}\n", row(&[(5, "  ")]))), 2, "name", "missing name");
    assert_error(parse_text(&format!("{h}\n{}\n", row(&[(0, "")]))), 2, "_id", "missing record id");
    assert_error(parse_text(&format!("{h}\n{}\n", row(&[(1, "")]))), 2, "source", "missing source");
    assert_error(
        parse_text(&format!("{h}\n{ok}\n\n{ok}\n")),
        4,
        "_id",
        "duplicate _id \"r1\", first at test.csv:2",
    );
}

#[test]
fn a_changed_header_or_encoding_is_an_error() {
    let ok = row(&[]);
    let h = header();
    let renamed = h.replace("alt_names", "aliases");
    assert_error(parse_text(&format!("{renamed}\n{ok}\n")), 1, "aliases", "unknown column");
    let missing = h.replace(",ids", "");
    assert_error(parse_text(&format!("{missing}\n{ok}\n")), 1, "ids", "missing");
    let twice = h.replace(",ids", ",name");
    assert_error(parse_text(&format!("{twice}\n{ok}\n")), 1, "name", "twice");
    let err = csl::parse(&[InputFile::new("test.csv", &b""[..])]).unwrap_err();
    assert_eq!(err.location, Location::File);
    let mut bytes = format!("{h}\n{ok}\n").into_bytes();
    bytes.extend_from_slice(b"\"r2\",\"\xff\"\n");
    let err = csl::parse(&[InputFile::new("test.csv", bytes)]).unwrap_err();
    assert_eq!(err.location, Location::Line(3));
    // Reordered columns are fine: they are found by name.
    let mut cols: Vec<&str> = h.split(',').collect();
    cols.swap(0, 5);
    let mut fields: Vec<String> =
        ok.split("\",\"").map(|f| f.trim_matches('"').to_string()).collect();
    fields.swap(0, 5);
    let text = format!("{}\n\"{}\"\n", cols.join(","), fields.join("\",\""));
    let e = &parse_text(&text).unwrap()[0];
    assert_eq!((e.id.as_str(), e.caption()), ("csl-r1", "Example Co"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(256)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = csl::parse(&[InputFile::new("fuzz.csv", bytes.clone())]);
        let _ = csl::sniff(&InputFile::new("fuzz.csv", bytes));
    }

    #[test]
    fn mutated_fixtures_never_panic_and_errors_say_where(edits in byte_edits()) {
        let bytes = apply_edits(fixture().bytes, &edits);
        error_says_where(csl::parse(&[InputFile::new("fuzz.csv", bytes)]), "fuzz.csv")?;
    }
}

// --- Real files -----------------------------------------------------------------------------

/// Counts verified independently with Python's csv module on the same file:
/// `collections.Counter(r["source"] for r in csv.DictReader(f))` and the same over `type`.
const SUB_LIST_COUNTS: [(&str, usize); 12] = [
    ("Specially Designated Nationals (SDN) - Treasury Department", 19181),
    ("Entity List (EL) - Bureau of Industry and Security", 3420),
    ("Denied Persons List (DPL) - Bureau of Industry and Security", 1596),
    ("ITAR Debarred (DTC) - State Department", 787),
    ("Sectoral Sanctions Identifications List (SSI) - Treasury Department", 286),
    ("Unverified List (UVL) - Bureau of Industry and Security", 222),
    ("Nonproliferation Sanctions (ISN) - State Department", 161),
    ("Palestinian Legislative Council List (PLC) - Treasury Department", 78),
    ("Military End User (MEU) List - Bureau of Industry and Security", 70),
    ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", 68),
    ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", 51),
    ("Capta List (CAP) - Treasury Department", 1),
];

fn load_real(name: &str) -> Option<(InputFile, Vec<Entity>)> {
    let dir = sekisho_lists::shared_list(name)?;
    let path = dir.join("consolidated.csv");
    let file = InputFile::new(&path, std::fs::read(&path).unwrap());
    let entities =
        csl::parse(std::slice::from_ref(&file)).unwrap_or_else(|e| panic!("{e}")).entities;
    Some((file, entities))
}

#[test]
fn real_bulk_file_counts_per_list_and_schema() {
    let Some((_, entities)) = load_real("us-csl-2026-07-31") else { return };
    assert_eq!(entities.len(), 25_921);
    let mut per_list: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_schema: BTreeMap<Schema, usize> = BTreeMap::new();
    for e in &entities {
        *per_list.entry(e.facts.list.as_deref().unwrap()).or_default() += 1;
        *per_schema.entry(e.schema).or_default() += 1;
    }
    assert_eq!(per_list, SUB_LIST_COUNTS.into_iter().collect());
    assert_eq!(
        per_schema,
        BTreeMap::from([
            (Schema::Person, 7_591),
            (Schema::Organization, 10_206),
            (Schema::LegalEntity, 6_256),
            (Schema::Vessel, 1_524),
            (Schema::Airplane, 344),
        ])
    );
    let entity_list: Vec<_> =
        entities.iter().filter(|e| e.facts.list.as_deref() == Some(SUB_LIST_COUNTS[1].0)).collect();
    assert_eq!(entity_list.len(), 3_420);
    assert!(
        entity_list
            .iter()
            .all(|e| e.facts.license_requirement.is_some() && e.facts.license_policy.is_some())
    );
    // Python: per row, the distinct whitespace-collapsed `;` parts of alt_names (leading `and `
    // and `a.k.a.` dropped) plus the `; a.k.a.` parts of the name: 31,269 aliases. Non-blank
    // programs: 19,826; non-blank federal_register_notice: 5,957.
    let aliases: usize = entities.iter().map(|e| names(e, NameKind::Alias).len()).sum();
    assert_eq!(aliases, 31_269);
    assert_eq!(entities.iter().filter(|e| !e.programs.is_empty()).count(), 19_826);
    assert_eq!(entities.iter().filter(|e| !e.facts.federal_register.is_empty()).count(), 5_957);
    // Python: 21,708 rows have addresses; 3 name only regions that are no single country
    // (Kashmir, Kafia Kingi, CIS), which stay as address text.
    assert_eq!(entities.iter().filter(|e| !e.countries.is_empty()).count(), 21_705);
    let turkiye =
        entities.iter().filter(|e| e.addresses.is_empty() && e.countries == ["TR"]).count();
    assert!(turkiye >= 393 + 16, "TURKIYE resolves to TR: {turkiye}");
    let mut ids: Vec<_> = entities.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), entities.len());
}

#[test]
fn real_bulk_file_spot_checks() {
    let Some((_, entities)) = load_real("us-csl-2026-07-31") else { return };
    let el = by_id(&entities, "csl-4ca03ee8f5004c31716e24644970246231c0848f86fead76eecc2646");
    assert_eq!(names(el, NameKind::Primary), ["Amaze International"]);
    assert_eq!(el.schema, Schema::LegalEntity);
    assert_eq!(el.countries, ["HK", "SG"]);
    assert_eq!(el.facts.federal_register, ["76 FR 67059 No. 210"]);
    assert_eq!(
        el.facts.license_requirement.as_deref(),
        Some("For all items subject to the EAR (See §744.11 of the EAR).")
    );
    assert_eq!(el.facts.license_policy.as_deref(), Some("Presumption of denial."));
    assert_eq!(
        el.provenance.source_url.as_deref(),
        Some("https://www.bis.gov/regulations/ear/744#supplement-4-744")
    );

    let meu = by_id(&entities, "csl-727e74a2f8d3a4d7ae2b221f8cc87d76a6c442775f808943e9f9aecb");
    assert_eq!(names(meu, NameKind::Primary), ["AECC Commercial Aircraft Engine Co. Ltd."]);
    assert_eq!(meu.facts.list.as_deref(), Some(SUB_LIST_COUNTS[8].0));
    assert_eq!(
        meu.facts.license_requirement.as_deref(),
        Some("For any item subject to the EAR listed in supplement no. 2 to part 744.")
    );
    assert!(
        meu.facts
            .license_policy
            .as_deref()
            .unwrap()
            .starts_with("The license application procedure")
    );

    let vessel = by_id(&entities, "csl-3151926542048a7d79be402f4314527dc9f015e32743d08963ba47f9");
    assert_eq!(vessel.schema, Schema::Vessel);
    assert_eq!(vessel.provenance.source_id, "15043");
    assert_eq!(names(vessel, NameKind::Primary), ["DREAM II"]);
    assert_eq!(names(vessel, NameKind::Alias), ["DANESH", "LEADERSHIP", "DECESIVE"]);
    assert_eq!(vessel.programs, ["IRAN"]);

    let isn =
        entities.iter().find(|e| e.caption() == "Sinobright Import and Export Company").unwrap();
    assert_eq!(isn.notes, ["and any successor, sub-unit, or subsidiary thereof"]);
}

#[test]
fn real_official_sample_rows_in_full() {
    let Some((_, entities)) = load_real("us-csl-sample-official") else { return };
    assert_eq!(entities.len(), 13);
    let rim = by_id(&entities, "csl-52291");
    assert_eq!(rim.schema, Schema::Person);
    assert_eq!(names(rim, NameKind::Primary), ["RIM, Ryong Nam"]);
    assert_eq!(rim.programs, ["NPWMD"]);
    assert_eq!(rim.countries, ["CN", "KP"]);
    assert_eq!(rim.nationalities, ["KP"]);
    assert_eq!(rim.birth_dates[0].to_string(), "1978-12-05");
    assert_eq!(rim.gender.as_deref(), Some("male"));
    let p = &rim.identifiers[0];
    assert_eq!(
        (p.kind, p.value.as_str(), p.country.as_deref()),
        (IdentifierKind::Passport, "836238033", Some("KP"))
    );
    assert_eq!(rim.identifiers.len(), 1);
    assert_eq!(rim.notes.len(), 2, "{:?}", rim.notes);
    assert!(
        rim.notes[0].starts_with("Secondary sanctions risk: North Korea Sanctions Regulations")
    );
    assert!(rim.notes[1].starts_with("Transactions Prohibited For Persons Owned or Controlled"));

    let plc = by_id(&entities, "csl-9673");
    assert_eq!(plc.birth_dates[0].to_string(), "1955");
    assert_eq!(plc.birth_places, ["Izna, Hebron"]);
    assert_eq!(
        names(plc, NameKind::Alias),
        ["Mohammad Mutlaq ABU JHESHEH", "Mohammed ABU JEHEISHA"]
    );
    assert_eq!(plc.notes, ["HAMAS - Hebron"]);

    let fse = by_id(&entities, "csl-26182");
    assert_eq!(fse.nationalities, ["TR"]);
    assert_eq!(fse.identifiers[0].value, "U00242309");

    let cetc = entities
        .iter()
        .find(|e| e.caption().starts_with("China Electronics Technology Group"))
        .unwrap();
    assert_eq!(cetc.addresses.len(), 3);
    assert!(cetc.addresses.iter().all(|a| a.country.as_deref() == Some("CN")));
    assert_eq!(cetc.addresses[1].full, "21 Changsheng Street, Shijiazhuang, Hebei, China");
    assert_eq!(names(cetc, NameKind::Alias).last(), Some(&"CETC Research Institute 13"));
    assert_eq!(cetc.facts.federal_register, ["83 FR 37423", "87 FR 77505"]);

    let denied = entities.iter().find(|e| e.caption() == "I. ASH").unwrap();
    assert_eq!(denied.facts.federal_register.len(), 3);
    assert_eq!(prop(denied, "endDate"), ["2056-06-29"]);
    assert_eq!(denied.addresses[0].country.as_deref(), Some("US"));

    let tnk = by_id(&entities, "csl-28603");
    assert_eq!(tnk.programs, ["VENEZUELA-EO13850", "UKRAINE-EO13662"]);
    let ids: Vec<_> =
        tnk.identifiers.iter().map(|i| (i.kind, i.value.as_str(), i.country.as_deref())).collect();
    assert_eq!(
        ids,
        [
            (IdentifierKind::Tax, "CHE-267.936.404", Some("CH")),
            (IdentifierKind::Registration, "CH-660.0.559.011-2", Some("CH")),
        ]
    );
    let rosneft = by_id(&entities, "csl-18300");
    assert_eq!(rosneft.identifiers[0].kind, IdentifierKind::Registration);
    assert_eq!(prop(rosneft, "email"), ["hrm@rosneft-sh.com.cy"]);
    let sme = by_id(&entities, "csl-18283");
    assert!(
        sme.identifiers.iter().any(|i| i.kind == IdentifierKind::SwiftBic && i.value == "RUDVRUMM")
    );
    assert_eq!(prop(sme, "website"), ["mspbank.ru"]);
}

#[test]
fn real_bulk_file_loads_through_detection() {
    let Some(dir) = sekisho_lists::shared_list("us-csl-2026-07-31") else { return };
    let list = sekisho_lists::load(&dir).unwrap();
    assert_eq!(list.format, Format::TradeGovCsl);
    assert_eq!(list.source, "us_trade_csl");
    assert_eq!(list.entities.len(), 25_921);
}
