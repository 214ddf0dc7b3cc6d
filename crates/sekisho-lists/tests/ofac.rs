//! The OFAC SDN legacy CSV parser: handwritten fixtures for each file and each part of the
//! Remarks grammar, malformed input with the error's file, line and field, fuzzing for
//! panics, and the real 2019 and 2021 publications from `../shared/data`.

mod common;

use std::path::{Path, PathBuf};

use common::{by_id, names};
use proptest::prelude::*;
use sekisho_lists::{InputFile, Location, ParseError, ofac};
use sekisho_model::{Address, Entity, Identifier, IdentifierKind, NameKind, Schema};
use serde_json::json;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ofac")
}

fn fixture_files() -> Vec<InputFile> {
    ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
        .iter()
        .map(|name| {
            let path = fixture_dir().join(name);
            let bytes = std::fs::read(&path).unwrap();
            InputFile::new(path, bytes)
        })
        .collect()
}

fn fixture_entities() -> Vec<Entity> {
    ofac::parse(&fixture_files()).unwrap().entities
}

fn ids(e: &Entity, kind: IdentifierKind) -> Vec<&str> {
    e.identifiers
        .iter()
        .filter(|i| i.kind == kind)
        .map(|i| i.value.as_str())
        .collect()
}

fn property<'a>(e: &'a Entity, key: &str) -> Vec<&'a str> {
    e.properties
        .get(key)
        .map(|v| v.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

fn dates(e: &Entity) -> Vec<String> {
    e.birth_dates.iter().map(ToString::to_string).collect()
}

// ---------------------------------------------------------------------------------------
// Fixtures: each file and the Remarks grammar.

#[test]
fn fixture_set_parses_in_sdn_order_with_one_schema_per_sdn_type() {
    let entities = fixture_entities();
    let summary: Vec<(&str, Schema, &str)> = entities
        .iter()
        .map(|e| (e.id.as_str(), e.schema, e.caption()))
        .collect();
    assert_eq!(
        summary,
        [
            ("ofac-100", Schema::Person, "KIM, Jong Un"),
            ("ofac-200", Schema::Organization, "BANCO EJEMPLO, S.A."),
            ("ofac-300", Schema::Vessel, "OCEAN STAR"),
            ("ofac-400", Schema::Airplane, "EP-ABC"),
            // sdn.csv holds one Windows-1252 byte (0xC9): the file is decoded as such.
            ("ofac-500", Schema::Organization, "CAFÉ DEL MAR LTDA."),
        ]
    );
    for e in &entities {
        assert_eq!(e.provenance.source, "us_ofac_sdn");
        assert_eq!(format!("ofac-{}", e.provenance.source_id), e.id);
    }
}

#[test]
fn person_remarks_give_dates_places_ids_names_and_links() {
    let entities = fixture_entities();
    let kim = by_id(&entities, "ofac-100");
    assert_eq!(
        names(kim, NameKind::Alias),
        ["KIM Jong-eun", "KIM Chong-un"],
        "aka and nka"
    );
    assert_eq!(
        names(kim, NameKind::WeakAlias),
        ["KIM Jong-un"],
        "quoted a.k.a. in Remarks"
    );
    assert_eq!(kim.programs, ["DPRK3", "DPRK4"]);
    assert_eq!(property(kim, "title"), ["Supreme Leader"]);
    assert_eq!(dates(kim), ["1984-01-08", "1982", "1983", "1981-04"]);
    assert_eq!(kim.birth_places, ["Pyongyang, Korea, North"]);
    assert_eq!(kim.gender.as_deref(), Some("male"));
    assert_eq!(ids(kim, IdentifierKind::Passport), ["836238033"]);
    assert_eq!(ids(kim, IdentifierKind::NationalId), ["1234-56"]);
    assert_eq!(property(kim, "linkedTo"), ["WORKERS' PARTY OF KOREA"]);
    assert_eq!(kim.notes.len(), 1);
    assert!(kim.notes[0].starts_with("DOB 08 Jan 1984; alt. DOB 1982 to 1983;"));
    assert_eq!(kim.addresses.len(), 1);
    assert_eq!(
        kim.addresses[0].full,
        "Central District, Pyongyang, Korea, North"
    );
    assert_eq!(kim.addresses[0].street.as_deref(), Some("Central District"));
    assert_eq!(kim.addresses[0].city.as_deref(), Some("Pyongyang"));
    assert_eq!(kim.nationalities, ["KP"]);
    assert_eq!(kim.countries, ["KP"]);
    assert_eq!(kim.addresses[0].country.as_deref(), Some("KP"));
    let passport = &kim.identifiers[0];
    assert_eq!(passport.country.as_deref(), Some("KP"));
    assert_eq!(passport.note.as_deref(), Some("Passport, issued 2009"));
}

#[test]
fn organisation_remarks_give_bank_and_company_facts() {
    let entities = fixture_entities();
    let bank = by_id(&entities, "ofac-200");
    assert_eq!(
        names(bank, NameKind::PreviousName),
        ["BANCO ANTIGUO", "BANCO VIEJO"]
    );
    // "BE" is weak by its alt_remarks, "BEJ" by being quoted in Remarks.
    assert_eq!(names(bank, NameKind::WeakAlias), ["BE", "BEJ"]);
    assert!(names(bank, NameKind::Alias).is_empty());
    assert_eq!(ids(bank, IdentifierKind::SwiftBic), ["BEJECUHH"]);
    assert_eq!(ids(bank, IdentifierKind::Registration), ["998877"]);
    assert_eq!(ids(bank, IdentifierKind::Tax), ["55-1234567"]);
    assert_eq!(property(bank, "website"), ["www.bancoejemplo.cu"]);
    assert_eq!(property(bank, "email"), ["info@bancoejemplo.cu"]);
    // The final stop belongs to the abbreviation.
    assert_eq!(property(bank, "linkedTo"), ["R D I S.A."]);
    // add.csv's all-empty row 3 adds nothing.
    assert_eq!(bank.addresses.len(), 1);
    assert!(bank.birth_dates.is_empty() && bank.gender.is_none());
    assert_eq!(bank.countries, ["CU"]);
    let tax = bank
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Tax)
        .unwrap();
    assert_eq!(tax.country.as_deref(), Some("US"));
}

#[test]
fn vessel_columns_and_remarks() {
    let entities = fixture_entities();
    let ship = by_id(&entities, "ofac-300");
    assert_eq!(ship.programs, ["IRAN", "IRGC"]);
    assert_eq!(ids(ship, IdentifierKind::CallSign), ["9BXY1"]);
    assert_eq!(ids(ship, IdentifierKind::Imo), ["9187629"]);
    assert_eq!(ids(ship, IdentifierKind::Mmsi), ["422031200"]);
    assert_eq!(property(ship, "type"), ["Crude Oil Tanker"]);
    assert_eq!(property(ship, "tonnage"), ["300,000"]);
    assert_eq!(property(ship, "grossRegisteredTonnage"), ["160,000"]);
    assert_eq!(property(ship, "owner"), ["NITC"]);
    assert_eq!(
        ship.addresses,
        [Address {
            full: "Iran".into(),
            country: Some("IR".into()),
            ..Address::default()
        }]
    );
    assert_eq!(property(ship, "flag"), ["IR"]);
    assert_eq!(property(ship, "pastFlags"), ["MT"]);
    assert_eq!(ship.countries, ["IR"]);
}

#[test]
fn aircraft_remarks() {
    let entities = fixture_entities();
    let plane = by_id(&entities, "ofac-400");
    assert_eq!(ids(plane, IdentifierKind::AircraftRegistration), ["EP-ABC"]);
    assert_eq!(property(plane, "model"), ["A300B4-622R"]);
    assert_eq!(property(plane, "operator"), ["MAHAN AIR"]);
    assert_eq!(property(plane, "linkedTo"), ["MAHAN AIR"]);
}

#[test]
fn comments_continue_remarks_even_inside_a_quoted_name() {
    let entities = fixture_entities();
    let cafe = by_id(&entities, "ofac-500");
    assert_eq!(
        cafe.notes,
        ["NIT # 800146749-7 (Colombia); a.k.a. 'CAFE DEL MAR'; Linked To: CAFE HOLDING S.A."]
    );
    assert_eq!(names(cafe, NameKind::WeakAlias), ["CAFE DEL MAR"]);
    assert_eq!(property(cafe, "linkedTo"), ["CAFE HOLDING S.A."]);
    assert_eq!(ids(cafe, IdentifierKind::Tax), ["800146749-7"]);
    // The comment row for ent_num 999 has no entity and is skipped.
    assert_eq!(entities.len(), 5);
}

#[test]
fn members_are_recognised_by_content_when_renamed() {
    let renamed: Vec<InputFile> = fixture_files()
        .into_iter()
        .rev()
        .enumerate()
        .map(|(i, f)| InputFile::new(format!("download-{i}.csv"), f.bytes))
        .collect();
    assert_eq!(ofac::parse(&renamed).unwrap().entities, fixture_entities());
    for file in fixture_files() {
        assert!(ofac::sniff(&file), "{}", file.path.display());
    }
}

#[test]
fn sniff_rejects_other_formats() {
    let others: [&[u8]; 7] = [
        b"",
        b"\x1a",
        b"{\"id\": \"x\", \"schema\": \"Person\"}\n",
        b"_id,source,entity_number,type,programs,name\n1,x,2,Entity,SDGT,ACME\n",
        b"Name\tStreet_Address\tCity\n",
        b"1,2\n3,4\n",
        b"12,\"NAME\",\"company\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
    ];
    for bytes in others {
        assert!(
            !ofac::sniff(&InputFile::new("x.csv", bytes)),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn load_detects_the_folder_as_ofac() {
    let list = sekisho_lists::load(&fixture_dir()).unwrap();
    assert_eq!(list.format, sekisho_lists::Format::OfacSdnCsv);
    assert_eq!(list.source, "us_ofac_sdn");
    assert_eq!(list.entities.len(), 5);
    assert_eq!(list.files.len(), 4);
}

// ---------------------------------------------------------------------------------------
// Malformed input: the first error, with file, line and field; never a partial result.

const SDN_OK: &str = "1,\"A\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";

fn parse_set(files: &[(&str, &str)]) -> Result<Vec<Entity>, ParseError> {
    let files: Vec<InputFile> = files
        .iter()
        .map(|(name, text)| InputFile::new(*name, text.as_bytes()))
        .collect();
    ofac::parse(&files).map(|p| p.entities)
}

#[track_caller]
fn assert_error(
    result: Result<Vec<Entity>, ParseError>,
    file: &str,
    line: u64,
    field: Option<&str>,
) -> ParseError {
    let error = result.expect_err("the input is malformed");
    assert_eq!(error.file, Path::new(file), "{error}");
    assert_eq!(error.location, Location::Line(line), "{error}");
    assert_eq!(error.field.as_deref(), field, "{error}");
    error
}

#[test]
fn ent_num_that_is_not_a_number() {
    let sdn = format!("{SDN_OK}x2,\"B\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n");
    let e = assert_error(
        parse_set(&[("sdn.csv", &sdn)]),
        "sdn.csv",
        2,
        Some("ent_num"),
    );
    assert_eq!(
        e.to_string(),
        "sdn.csv:2: field \"ent_num\": expected a number, found \"x2\""
    );
}

#[test]
fn wrong_field_count_names_the_first_missing_column() {
    let second = SDN_OK.replacen('1', "2", 1);
    let sdn = format!("{SDN_OK}{second}3,\"C\",-0- ,\"SDGT\"\r\n");
    let e = assert_error(parse_set(&[("sdn.csv", &sdn)]), "sdn.csv", 3, Some("Title"));
    assert!(e.message.contains("expected 12 fields"), "{e}");
    let too_many = format!("{},\"extra\"\n", SDN_OK.trim_end());
    assert_error(parse_set(&[("sdn.csv", &too_many)]), "sdn.csv", 1, None);
}

#[test]
fn lines_count_from_one_across_crlf_and_quoted_line_breaks() {
    let sdn = "1,\"A\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"two\r\nlines\"\r\n\
               2,\"B\",\"robot\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    assert_error(
        parse_set(&[("sdn.csv", sdn)]),
        "sdn.csv",
        3,
        Some("SDN_Type"),
    );
}

#[test]
fn duplicate_ent_num_and_empty_name() {
    let twice = format!("{SDN_OK}{SDN_OK}");
    assert_error(
        parse_set(&[("sdn.csv", &twice)]),
        "sdn.csv",
        2,
        Some("ent_num"),
    );
    let nameless = SDN_OK.replace("\"A\"", "-0- ");
    assert_error(
        parse_set(&[("sdn.csv", &nameless)]),
        "sdn.csv",
        1,
        Some("SDN_Name"),
    );
}

#[test]
fn alias_rows_must_belong_to_an_entity_and_have_a_known_type() {
    let unknown = "1,10,\"aka\",\"X\",-0- \n2,11,\"aka\",\"Y\",-0- \n";
    let e = assert_error(
        parse_set(&[("sdn.csv", SDN_OK), ("alt.csv", unknown)]),
        "alt.csv",
        2,
        Some("ent_num"),
    );
    assert!(e.message.contains("no sdn.csv entry has ent_num 2"), "{e}");
    let bad_type = "1,10,\"also\",\"X\",-0- \n";
    assert_error(
        parse_set(&[("sdn.csv", SDN_OK), ("alt.csv", bad_type)]),
        "alt.csv",
        1,
        Some("alt_type"),
    );
    let nameless = "1,10,\"aka\",-0- ,-0- \n";
    assert_error(
        parse_set(&[("sdn.csv", SDN_OK), ("alt.csv", nameless)]),
        "alt.csv",
        1,
        Some("alt_name"),
    );
}

#[test]
fn address_rows_are_checked_like_alias_rows() {
    let bad_num = "1,2,-0- ,\"Havana\",\"Cuba\",-0- \n1,two,-0- ,-0- ,\"Cuba\",-0- \n";
    assert_error(
        parse_set(&[("sdn.csv", SDN_OK), ("add.csv", bad_num)]),
        "add.csv",
        2,
        Some("add_num"),
    );
    let unknown = "7,2,-0- ,\"Havana\",\"Cuba\",-0- \n";
    assert_error(
        parse_set(&[("sdn.csv", SDN_OK), ("add.csv", unknown)]),
        "add.csv",
        1,
        Some("ent_num"),
    );
    let short = "1,2,-0- ,\"Havana\"\n";
    assert_error(
        parse_set(&[("sdn.csv", SDN_OK), ("add.csv", short)]),
        "add.csv",
        1,
        Some("country"),
    );
}

#[test]
fn comments_need_a_numeric_ent_num_but_may_name_an_unknown_one() {
    let unknown = "99,\"more remarks\"\n";
    assert_eq!(
        parse_set(&[("sdn.csv", SDN_OK), ("sdn_comments.csv", unknown)])
            .unwrap()
            .len(),
        1
    );
    let bad = "1,\"more\"\nA,\"more\"\n";
    assert_error(
        parse_set(&[("sdn.csv", SDN_OK), ("sdn_comments.csv", bad)]),
        "sdn_comments.csv",
        2,
        Some("ent_num"),
    );
}

#[test]
fn the_set_needs_one_sdn_csv_and_no_strangers() {
    let e = parse_set(&[("data/alt.csv", "1,10,\"aka\",\"X\",-0- \n")]).unwrap_err();
    assert_eq!(
        (e.file.as_path(), &e.location),
        (Path::new("data/sdn.csv"), &Location::File)
    );
    let e = parse_set(&[("sdn.csv", SDN_OK), ("copy.csv", SDN_OK)]).unwrap_err();
    assert_eq!(
        (e.file.as_path(), &e.location),
        (Path::new("copy.csv"), &Location::File)
    );
    let e = parse_set(&[("sdn.csv", SDN_OK), ("notes.txt", "hello")]).unwrap_err();
    assert_eq!(e.file, Path::new("notes.txt"));
    assert!(parse_set(&[]).is_err());
}

#[test]
fn empty_markers_dos_eof_and_a_bom_are_not_data() {
    // The real 2019 add.csv ends in a cut-off `-0`; 2021's files end in Ctrl-Z.
    let sdn = format!("\u{feff}{SDN_OK}\u{1a}");
    let add = "1,2,-0- ,\"Havana\",\"Cuba\",-0";
    let entities = parse_set(&[("sdn.csv", &sdn), ("add.csv", add)]).unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].addresses[0].full, "Havana, Cuba");
    assert!(entities[0].notes.is_empty() && entities[0].properties.is_empty());
}

// ---------------------------------------------------------------------------------------
// No input panics.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(256)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), member in 0usize..4) {
        let names = ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"];
        let file = InputFile::new(names[member], bytes.clone());
        let _ = ofac::sniff(&file);
        let sdn = InputFile::new("sdn.csv", bytes);
        let _ = ofac::parse(&[sdn, file]);
    }

    #[test]
    fn mutated_fixture_lines_never_panic(
        file in 0usize..4,
        line in 0usize..6,
        at in 0usize..400,
        cut in 0usize..40,
        insert in prop::sample::select(vec!["", ",", "\"", "-0- ", ";", "'", "\r\n", "\u{1a}", "\u{e9}", "x", "99999999999", "DOB ", "a.k.a. '", " to ", "("]),
    ) {
        let mut files = fixture_files();
        let text = String::from_utf8_lossy(&files[file].bytes).into_owned();
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let index = line % lines.len();
        let target = &mut lines[index];
        let start = target.char_indices().map(|(i, _)| i).nth(at % (target.chars().count() + 1)).unwrap_or(target.len());
        let end = target[start..].char_indices().map(|(i, _)| start + i).nth(cut).unwrap_or(target.len());
        target.replace_range(start..end, insert);
        let mutated = lines.join("\n");
        files[file].bytes = mutated.into_bytes();
        let _ = ofac::sniff(&files[file]);
        match ofac::parse(&files) {
            Ok(parsed) => prop_assert!(parsed.entities.len() <= 6),
            Err(e) => {
                prop_assert!(files.iter().any(|f| f.path == e.file), "{}", e);
                if let Location::Line(n) = e.location {
                    prop_assert!((1..=8).contains(&n), "{}", e);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The real publications. Counts verified independently with Python's csv module (see the
// report of the commit that added them): sdn.csv rows by SDN_Type, alt.csv names per
// entity after removing duplicates, and so on.

fn real(name: &str) -> Option<Vec<Entity>> {
    let dir = sekisho_lists::shared_list(name)?;
    let list = sekisho_lists::load(&dir).unwrap_or_else(|e| panic!("{name} must parse: {e}"));
    assert_eq!(list.format, sekisho_lists::Format::OfacSdnCsv);
    Some(list.entities)
}

struct Counts {
    schemas: [(Schema, usize); 4],
    aliases: usize,
    weak_aliases: usize,
    previous_names: usize,
    addresses: usize,
    programs: usize,
    notes: usize,
    linked_to: usize,
}

fn assert_counts(entities: &[Entity], expected: &Counts) {
    let total: usize = expected.schemas.iter().map(|(_, n)| n).sum();
    assert_eq!(entities.len(), total);
    for (schema, n) in expected.schemas {
        assert_eq!(
            entities.iter().filter(|e| e.schema == schema).count(),
            n,
            "{schema}"
        );
    }
    let count_names = |kind| {
        entities
            .iter()
            .flat_map(|e| &e.names)
            .filter(|n| n.kind == kind)
            .count()
    };
    assert_eq!(count_names(NameKind::Primary), total);
    assert_eq!(count_names(NameKind::Alias), expected.aliases);
    assert_eq!(count_names(NameKind::WeakAlias), expected.weak_aliases);
    assert_eq!(count_names(NameKind::PreviousName), expected.previous_names);
    assert_eq!(
        entities.iter().map(|e| e.addresses.len()).sum::<usize>(),
        expected.addresses
    );
    assert_eq!(
        entities.iter().map(|e| e.programs.len()).sum::<usize>(),
        expected.programs
    );
    assert_eq!(
        entities.iter().map(|e| e.notes.len()).sum::<usize>(),
        expected.notes
    );
    assert_eq!(
        entities
            .iter()
            .map(|e| property(e, "linkedTo").len())
            .sum::<usize>(),
        expected.linked_to
    );
}

#[test]
fn real_2019_counts() {
    let Some(entities) = real("ofac-sdn-2019") else {
        return;
    };
    // 7,379 rows: SOURCE.txt's 7,378 counts newlines, and the last row has none.
    assert_counts(
        &entities,
        &Counts {
            schemas: [
                (Schema::Person, 3845),
                (Schema::Organization, 2994),
                (Schema::Vessel, 323),
                (Schema::Airplane, 217),
            ],
            aliases: 9349,
            weak_aliases: 2026,
            previous_names: 342,
            addresses: 9474,
            programs: 8314,
            notes: 6781,
            linked_to: 2427,
        },
    );
}

#[test]
fn real_2021_counts() {
    let Some(entities) = real("ofac-sdn-2021") else {
        return;
    };
    assert_counts(
        &entities,
        &Counts {
            schemas: [
                (Schema::Person, 4620),
                (Schema::Organization, 3673),
                (Schema::Vessel, 406),
                (Schema::Airplane, 277),
            ],
            aliases: 11539,
            weak_aliases: 2417,
            previous_names: 393,
            addresses: 11440,
            programs: 10759,
            notes: 8407,
            linked_to: 3408,
        },
    );
}

/// The FtM form without the properties that depend on country-name resolution.
fn ftm_without_countries(e: &Entity) -> serde_json::Value {
    let mut ftm = e.to_ftm();
    let props = ftm["properties"].as_object_mut().unwrap();
    props.remove("country");
    props.remove("nationality");
    ftm
}

#[test]
fn real_2021_spot_checks() {
    let Some(entities) = real("ofac-sdn-2021") else {
        return;
    };

    let bank = by_id(&entities, "ofac-306");
    assert_eq!(
        ftm_without_countries(bank),
        json!({
            "id": "ofac-306", "schema": "Organization", "caption": "BANCO NACIONAL DE CUBA",
            "datasets": ["us_ofac_sdn"],
            "properties": {
                "name": ["BANCO NACIONAL DE CUBA"],
                "alias": ["NATIONAL BANK OF CUBA"],
                "weakAlias": ["BNC"],
                "address": [
                    "Zweierstrasse 35, Zurich CH-8022, Switzerland",
                    "Avenida de Concha Espina 8, Madrid E-28036, Spain",
                    "Dai-Ichi Bldg. 6th Floor, 10-2 Nihombashi, 2-chome, Chuo-ku, Tokyo 103, Japan",
                    "Federico Boyd Avenue & 51 Street, Panama City, Panama"
                ],
                "program": ["CUBA"],
                "notes": ["a.k.a. 'BNC'."],
                "sourceRecordId": ["306"]
            }
        })
    );

    let djibo = by_id(&entities, "ofac-32391");
    assert_eq!(
        ftm_without_countries(djibo),
        json!({
            "id": "ofac-32391", "schema": "Person", "caption": "DJIBO, Ousmane Illiassou",
            "datasets": ["us_ofac_sdn"],
            "properties": {
                "name": ["DJIBO, Ousmane Illiassou"],
                "alias": ["KOUNOU, Ousmane Illasou", "DJIBO, Halid Illiassou"],
                "weakAlias": ["ILLIASSOU, Djibbo", "CHAPORI, Aboubacar", "CHAPORI, Petit",
                              "TCHAPORI, Petit", "CHAPPORI, Petit", "CHAFFORI, Petit"],
                "birthDate": ["1984"],
                "birthPlace": ["Niger"],
                "gender": ["male"],
                "address": ["Menaka Region, Mali", "I-n-Arabane, Mali", "Tillaberi Region, Niger"],
                "program": ["SDGT"],
                "notes": ["DOB 1984; POB Niger; nationality Niger; Gender Male; a.k.a. 'ILLIASSOU, Djibbo'; a.k.a. 'CHAPORI, Aboubacar'; a.k.a. 'CHAPORI, Petit'; a.k.a. 'TCHAPORI, Petit'; a.k.a. 'CHAPPORI, Petit'; a.k.a. 'CHAFFORI, Petit'."],
                "sourceRecordId": ["32391"]
            }
        })
    );

    // Remarks cut at 1000 characters inside "Phone Number"; sdn_comments.csv has the rest.
    let li = by_id(&entities, "ofac-28264");
    assert_eq!(property(li, "phone"), ["8613314257947", "8618004121000"]);
    assert_eq!(
        names(li, NameKind::WeakAlias),
        ["blackjack1987", "khaleesi"]
    );
    assert_eq!(property(li, "linkedTo"), ["LAZARUS GROUP"]);
    assert_eq!(ids(li, IdentifierKind::NationalId), ["210302198701102136"]);
    assert_eq!(li.programs, ["DPRK3", "CYBER2"]);
    assert_eq!(dates(li), ["1987-01-10"]);

    let tanker = by_id(&entities, "ofac-15036");
    assert_eq!(tanker.schema, Schema::Vessel);
    assert_eq!(
        names(tanker, NameKind::PreviousName),
        ["ABADAN", "SHONA", "ALPHA"],
        "alt.csv, then Remarks"
    );
    assert_eq!(ids(tanker, IdentifierKind::CallSign), ["T2EU4"]);
    assert_eq!(ids(tanker, IdentifierKind::Imo), ["9187629"]);
    assert_eq!(ids(tanker, IdentifierKind::Mmsi), ["572469210"]);
    assert_eq!(property(tanker, "type"), ["Crude/Oil Products Tanker"]);
    assert_eq!(property(tanker, "tonnage"), ["99,144"]);
    assert_eq!(property(tanker, "grossRegisteredTonnage"), ["56,068"]);
    // "Former Vessel Flag None Identified" is not a flag.
    assert_eq!(property(tanker, "pastFlags").len(), 3);

    // Vess_flag "None Identified" is no flag.
    let devon = by_id(&entities, "ofac-15047");
    assert!(property(devon, "flag").is_empty());
    assert_eq!(ids(devon, IdentifierKind::CallSign), ["9HEF9"]);

    let plane = by_id(&entities, "ofac-15431");
    assert_eq!(plane.schema, Schema::Airplane);
    assert_eq!(property(plane, "model"), ["IL76-TD"]);
    assert_eq!(property(plane, "operator"), ["YAS AIR"]);
    assert_eq!(property(plane, "serialNumber"), ["1023409321"]);
    assert_eq!(property(plane, "buildDate"), ["1992"]);

    assert_eq!(bank.countries, ["CH", "ES", "JP", "PA"]);
    assert_eq!(djibo.nationalities, ["NE"]);
    assert_eq!(djibo.countries, ["ML", "NE"]);
    assert_eq!(li.nationalities, ["CN"]);
    assert_eq!(property(tanker, "flag"), ["IR"]);
    assert_eq!(property(tanker, "pastFlags"), ["MT", "TV", "TZ"]);
}

#[test]
fn real_2019_spot_checks() {
    let Some(entities) = real("ofac-sdn-2019") else {
        return;
    };
    // The comments row continues "Linked To: PROMO RAI" with "Z S.A.S.; ...".
    let cifuentes = by_id(&entities, "ofac-12300");
    let linked = property(cifuentes, "linkedTo");
    assert_eq!(linked.len(), 25);
    assert!(linked.contains(&"PROMO RAIZ S.A.S."));
    assert_eq!(linked.last(), Some(&"R D I S.A."));
    assert_eq!(dates(cifuentes), ["1965-05-13", "1968-04-13", "1964-07-07"]);
    assert_eq!(ids(cifuentes, IdentifierKind::Passport), ["AL720622"]);
    assert_eq!(
        cifuentes.identifiers[0],
        Identifier {
            kind: IdentifierKind::NationalId,
            value: "7548733".into(),
            country: Some("CO".into()),
            note: Some("Cedula No.".into()),
        }
    );
    assert_eq!(cifuentes.addresses.len(), 11);

    let malkevich = by_id(&entities, "ofac-26235");
    assert_eq!(ids(malkevich, IdentifierKind::Passport), ["717637093"]);
    assert_eq!(ids(malkevich, IdentifierKind::NationalId), ["781005202108"]);
    assert_eq!(malkevich.birth_places, ["Leningrad, Russia"]);
    // The file's last, cut-off add.csv row (`...,"Russia",-0`) still gives its address.
    assert_eq!(
        malkevich
            .addresses
            .iter()
            .map(|a| a.full.as_str())
            .collect::<Vec<_>>(),
        ["St. Petersburg, Russia"]
    );
    assert_eq!(cifuentes.countries, ["CO", "MX"]);
    assert_eq!(malkevich.identifiers[0].country.as_deref(), Some("RU"));
}
