//! The UN Security Council consolidated list parser: a handwritten fixture in full, malformed
//! input with file/line/element, property tests for panics and truncation, and the real file
//! from `../shared/data` (skipped with a notice when absent).

use std::path::PathBuf;

use proptest::prelude::*;
use sekisho_lists::{Format, InputFile, Location, ParseError, Parsed, detect, un};
use sekisho_model::country::to_iso2;
use sekisho_model::{Entity, Identifier, IdentifierKind, Name, NameKind, PartialDate, Schema};

const SMALL: &str = include_str!("fixtures/un/small.xml");

fn parse_str(xml: &str) -> Result<Parsed, ParseError> {
    un::parse(&[InputFile::new("small.xml", xml.as_bytes())])
}

fn parse_err(xml: &str) -> ParseError {
    parse_str(xml).expect_err("input should be rejected")
}

/// The 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    text[..at].matches('\n').count() as u64 + 1
}

/// Replaces exactly one occurrence, so that a test cannot silently edit nothing.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

fn assert_at(error: &ParseError, line: u64, field: &str) {
    assert_eq!(error.file, PathBuf::from("small.xml"), "{error}");
    assert_eq!(error.location, Location::Line(line), "{error}");
    assert_eq!(error.field.as_deref(), Some(field), "{error}");
}

/// Country names resolve once `country::to_iso2` is filled in (it is being written in
/// parallel); until then the country assertions are skipped with a notice.
fn countries_resolve() -> bool {
    let known = to_iso2("Iraq") == Some("IQ");
    if !known {
        eprintln!(
            "notice: sekisho_model::country::to_iso2 does not resolve names yet; skipping country assertions"
        );
    }
    known
}

fn name(value: &str, kind: NameKind, lang: Option<&str>) -> Name {
    Name {
        value: value.into(),
        kind,
        lang: lang.map(str::to_string),
    }
}

fn date(s: &str) -> PartialDate {
    s.parse().unwrap()
}

fn by_source_id<'a>(entities: &'a [Entity], source_id: &str) -> &'a Entity {
    entities
        .iter()
        .find(|e| e.provenance.source_id == source_id)
        .unwrap_or_else(|| panic!("no entity {source_id}"))
}

// ---------------------------------------------------------------------------------------
// The handwritten fixture

#[test]
fn fixture_is_recognised_by_content() {
    let file = InputFile::new("anything.bin", SMALL.as_bytes());
    assert!(un::sniff(&file));
    assert_eq!(detect(&file), Some(Format::UnScXml));
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(SMALL.as_bytes());
    assert!(un::sniff(&InputFile::new("bom.xml", with_bom.clone())));
    assert_eq!(
        un::parse(&[InputFile::new("bom.xml", with_bom)])
            .unwrap()
            .entities
            .len(),
        3
    );

    for other in [
        "<?xml version=\"1.0\"?><sdnList/>",
        "ent_num,SDN_Name\n1,A",
        "",
        "   ",
        "{\"schema\":1}",
    ] {
        assert!(
            !un::sniff(&InputFile::new("x", other.as_bytes())),
            "{other:?}"
        );
    }
}

#[test]
fn fixture_parses_with_list_date_and_schemata() {
    let parsed = parse_str(SMALL).unwrap();
    assert_eq!(parsed.list_date.as_deref(), Some("2026-02-27"));
    let ids: Vec<_> = parsed
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.schema))
        .collect();
    assert_eq!(
        ids,
        [
            ("un-9000001", Schema::Person),
            ("un-9000002", Schema::Person),
            ("un-9000003", Schema::Organization)
        ]
    );
    assert!(
        parsed
            .entities
            .iter()
            .all(|e| e.provenance.source == "un_sc_sanctions")
    );
}

#[test]
fn dprk_individual_in_full() {
    let parsed = parse_str(SMALL).unwrap();
    let e = by_source_id(&parsed.entities, "KPi.901");
    assert_eq!(
        e.names,
        [
            name("PAK CHOL SU", NameKind::Primary, None),
            name("박철수", NameKind::OriginalScript, Some("ko")),
            name("Pak Chol-su", NameKind::Alias, None),
            name("Chol Su", NameKind::WeakAlias, None),
        ]
    );
    assert_eq!(e.programs, ["DPRK", "1718"]);
    assert_eq!(e.provenance.listed_on, Some(date("2017-06-02")));
    assert_eq!(e.gender.as_deref(), Some("male"));
    assert_eq!(e.properties["title"], ["Dr."]);
    assert_eq!(
        e.properties["position"],
        ["Director", "Representative in Beijing"]
    );
    // The record's own birth date first, then the one given with the weak alias.
    assert_eq!(e.birth_dates, [date("1965-03-15"), date("1966-03-15")]);
    assert_eq!(
        e.birth_places,
        ["Sinuiju, Democratic People's Republic of Korea"]
    );
    let address = &e.addresses[0];
    assert_eq!(
        address.full,
        "Chongryu 1-dong, Pyongyang, Democratic People's Republic of Korea"
    );
    assert_eq!(address.street.as_deref(), Some("Chongryu 1-dong"));
    assert_eq!(address.city.as_deref(), Some("Pyongyang"));
    let mut notes = vec![
        "Address Chongryu 1-dong, Pyongyang, Democratic People's Republic of Korea: as of 2017",
        "Official of a \"trading\" company & bank.",
    ];
    if !countries_resolve() {
        notes.insert(0, "Nationality: Democratic People's Republic of Korea");
    }
    assert_eq!(e.notes, notes);
    let passport = &e.identifiers[0];
    assert_eq!(
        (passport.kind, passport.value.as_str()),
        (IdentifierKind::Passport, "472310001")
    );
    if countries_resolve() {
        assert_eq!(e.nationalities, ["KP"]);
        assert_eq!(e.countries, ["KP"]);
        assert_eq!(address.country.as_deref(), Some("KP"));
        assert_eq!(passport.country.as_deref(), Some("KP"));
        assert_eq!(
            passport.note.as_deref(),
            Some("issued 2012-05-20; expires 2017")
        );
    } else {
        assert_eq!(
            passport.note.as_deref(),
            Some(
                "issued 2012-05-20; country of issue Democratic People's Republic of Korea; expires 2017"
            )
        );
    }
}

#[test]
fn arabic_script_individual_with_birth_year_range() {
    let parsed = parse_str(SMALL).unwrap();
    let e = by_source_id(&parsed.entities, "QDi.901");
    assert_eq!(e.caption(), "HAMID ABDALLAH SALIM AL-KHATIB");
    assert_eq!(
        e.names[1],
        name(
            "حامد عبد الله سالم الخطيب",
            NameKind::OriginalScript,
            Some("ar")
        )
    );
    assert_eq!(e.programs, ["Al-Qaida", "1267"]);
    // "2015-04-07-04:00": an xs:date with a zone.
    assert_eq!(e.provenance.listed_on, Some(date("2015-04-07")));
    let years: Vec<_> = e.birth_dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(years, ["1977", "1978", "1979", "1980", "1975"]);
    // The repeated street/city is said once.
    assert_eq!(e.birth_places, ["al-Awja, near Tikrit, Iraq"]);
    // Nothing the list says is lost: unknown countries, undated notes, documents without number.
    for note in [
        "Nationality: former Soviet Union",
        "Alias Abu Hamid: used in 2010",
        "Date of birth between 1977 and 1980: Approximately",
        "Date of birth: Nov. 1973",
        "Passport: Libyan passport number 347834, expired 2014",
        "Member of a <listed> group.",
    ] {
        assert!(
            e.notes.iter().any(|n| n == note),
            "missing note {note:?} in {:?}",
            e.notes
        );
    }
    assert!(e.nationalities.is_empty());
    let id = &e.identifiers[..];
    assert_eq!(id.len(), 1);
    assert_eq!(
        (id[0].kind, id[0].value.as_str()),
        (IdentifierKind::NationalId, "0112233")
    );
    if countries_resolve() {
        assert_eq!(id[0].country.as_deref(), Some("IQ"));
        assert_eq!(id[0].note.as_deref(), Some("Ration card number:"));
        assert_eq!(e.countries, ["IQ"]);
    }
}

#[test]
fn shipping_company_is_an_organisation_with_its_imo_number() {
    let parsed = parse_str(SMALL).unwrap();
    // The reference number is trimmed ("KPe.901 " in the file).
    let e = by_source_id(&parsed.entities, "KPe.901");
    assert_eq!(e.schema, Schema::Organization);
    assert_eq!(
        e.names,
        [
            name("KORAM SHIPPING CO LTD", NameKind::Primary, None),
            name("高蘭海運有限公司", NameKind::Alias, Some("zh")),
            name("Koram Maritime", NameKind::PreviousName, None),
        ]
    );
    assert_eq!(
        e.identifiers,
        [Identifier {
            kind: IdentifierKind::Imo,
            value: "5123456".into(),
            country: None,
            note: Some("IMO company number, from the comments".into()),
        }]
    );
    assert_eq!(e.addresses[0].postal_code.as_deref(), Some("1001"));
    assert_eq!(
        e.addresses[0].full,
        "Sungri Street, Nampo, 1001, Democratic People's Republic of Korea"
    );
}

// ---------------------------------------------------------------------------------------
// Malformed input: an error with file, line and element, never a partial list

#[test]
fn bad_dataid_names_line_and_element() {
    let xml = edit(
        SMALL,
        "<DATAID>9000002</DATAID>",
        "<DATAID>90000x2</DATAID>",
    );
    let error = parse_err(&xml);
    assert_at(&error, line_of(&xml, "90000x2"), "DATAID");
    assert_eq!(
        error.to_string(),
        format!(
            "small.xml:{}: field \"DATAID\": DATAID is not a number: \"90000x2\"",
            line_of(&xml, "90000x2")
        )
    );
    let xml = edit(SMALL, "<DATAID>9000003</DATAID>", "<DATAID/>");
    assert_at(&parse_err(&xml), line_of(&xml, "<DATAID/>"), "DATAID");
}

#[test]
fn missing_and_duplicate_dataid() {
    let xml = edit(
        SMALL,
        "<DATAID>9000002</DATAID>",
        "<DATAID>9000001</DATAID>",
    );
    let second = xml.rfind("<DATAID>9000001").unwrap();
    let error = parse_err(&xml);
    assert_at(
        &error,
        xml[..second].matches('\n').count() as u64 + 1,
        "DATAID",
    );
    assert!(error.message.contains("twice"), "{error}");

    let xml = edit(SMALL, "<DATAID>9000003</DATAID>", "");
    let error = parse_err(&xml);
    assert_at(&error, line_of(&xml, "<ENTITY>"), "DATAID");
}

#[test]
fn invalid_dates_are_errors() {
    for (from, to, field) in [
        ("<DATE>1965-03-15</DATE>", "<DATE>1965-02-30</DATE>", "DATE"),
        (
            "<LISTED_ON>2018-03-30</LISTED_ON>",
            "<LISTED_ON>30/03/2018</LISTED_ON>",
            "LISTED_ON",
        ),
        (
            "<FROM_YEAR>1977</FROM_YEAR>",
            "<FROM_YEAR>19x7</FROM_YEAR>",
            "FROM_YEAR",
        ),
        (
            "<TO_YEAR>1980</TO_YEAR>",
            "<TO_YEAR>1970</TO_YEAR>",
            "TO_YEAR",
        ),
        ("<YEAR>1975</YEAR>", "<YEAR>75</YEAR>", "YEAR"),
        (
            "<DATE_OF_ISSUE>2012-05-20</DATE_OF_ISSUE>",
            "<DATE_OF_ISSUE>2012</DATE_OF_ISSUE>",
            "DATE_OF_ISSUE",
        ),
        (
            "<DATE_OF_BIRTH>1966-03-15</DATE_OF_BIRTH>",
            "<DATE_OF_BIRTH>1966-3-15</DATE_OF_BIRTH>",
            "DATE_OF_BIRTH",
        ),
    ] {
        let xml = edit(SMALL, from, to);
        assert_at(&parse_err(&xml), line_of(&xml, to), field);
    }
    let xml = edit(
        SMALL,
        "dateGenerated=\"2026-02-27T00:00:09.554Z\"",
        "dateGenerated=\"today\"",
    );
    assert_at(
        &parse_err(&xml),
        line_of(&xml, "<CONSOLIDATED_LIST"),
        "dateGenerated",
    );
}

#[test]
fn unclosed_and_mismatched_tags_are_errors() {
    // <SECOND_NAME> never closed: the parser meets </INDIVIDUAL> while SECOND_NAME is open.
    let xml = edit(
        SMALL,
        "<SECOND_NAME>CHOL  SU</SECOND_NAME>",
        "<SECOND_NAME>CHOL  SU",
    );
    let error = parse_err(&xml);
    assert_at(&error, line_of(&xml, "</INDIVIDUAL>"), "SECOND_NAME");

    let xml = edit(SMALL, "<CITY>Nampo</CITY>", "<CITY>Nampo</TOWN>");
    assert_at(&parse_err(&xml), line_of(&xml, "</TOWN>"), "CITY");

    let xml = edit(SMALL, "<CITY>Nampo</CITY>", "<CITY>Nampo &nbsp;</CITY>");
    assert_at(&parse_err(&xml), line_of(&xml, "&nbsp;"), "CITY");
}

#[test]
fn truncated_file_is_an_error_not_a_shorter_list() {
    let cut = SMALL.find("<ENTITIES>").unwrap();
    let xml = &SMALL[..cut];
    let error = parse_err(xml);
    assert_eq!(
        error.location,
        Location::Line(xml.matches('\n').count() as u64 + 1)
    );
    assert_eq!(error.field.as_deref(), Some("CONSOLIDATED_LIST"));
    assert!(error.message.contains("truncated"), "{error}");

    // Cut right after a complete record, and in the middle of a tag.
    let cut = SMALL.find("</INDIVIDUAL>").unwrap() + "</INDIVIDUAL>".len();
    assert_eq!(
        parse_err(&SMALL[..cut]).field.as_deref(),
        Some("INDIVIDUALS")
    );
    let cut = SMALL.find("<REFERENCE_NUMBER>KPe").unwrap() + 5;
    assert!(parse_str(&SMALL[..cut]).is_err());
}

#[test]
fn structure_that_could_hide_parties_is_refused() {
    let xml = edit(
        SMALL,
        "  </ENTITIES>\n",
        "  </ENTITIES>\n  <VESSELS><VESSEL/></VESSELS>\n",
    );
    assert_at(&parse_err(&xml), line_of(&xml, "<VESSELS>"), "VESSELS");

    let xml = edit(SMALL, "    <ENTITY>\n", "    <INDIVIDUAL>\n");
    let xml = edit(&xml, "    </ENTITY>\n", "    </INDIVIDUAL>\n");
    let at = xml.find("<ENTITIES>").unwrap();
    let line = xml[..at].matches('\n').count() as u64 + 2;
    assert_at(&parse_err(&xml), line, "INDIVIDUAL");

    let xml = SMALL.replace("CONSOLIDATED_LIST", "SANCTIONS_LIST");
    assert_at(
        &parse_err(&xml),
        line_of(&xml, "<SANCTIONS_LIST"),
        "SANCTIONS_LIST",
    );

    let xml = edit(
        SMALL,
        "</CONSOLIDATED_LIST>",
        "</CONSOLIDATED_LIST>\ntrailing text",
    );
    assert_eq!(
        parse_err(&xml).location,
        Location::Line(line_of(&xml, "trailing text"))
    );

    let no_entities = r#"<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"#;
    assert!(parse_err(no_entities).message.contains("ENTITIES"));
}

#[test]
fn record_without_any_name_is_an_error() {
    let xml = edit(
        SMALL,
        "<FIRST_NAME>KORAM SHIPPING CO LTD</FIRST_NAME>",
        "<FIRST_NAME/>",
    );
    let xml = edit(
        &xml,
        "<ALIAS_NAME>高蘭海運有限公司</ALIAS_NAME>",
        "<ALIAS_NAME/>",
    );
    let xml = edit(
        &xml,
        "<ALIAS_NAME>Koram Maritime</ALIAS_NAME>",
        "<ALIAS_NAME/>",
    );
    assert_at(&parse_err(&xml), line_of(&xml, "<ENTITY>"), "FIRST_NAME");
}

#[test]
fn invalid_utf8_is_an_error() {
    let mut bytes = SMALL.as_bytes().to_vec();
    let at = SMALL.find("Sinuiju").unwrap();
    bytes[at] = 0xFF;
    let error = un::parse(&[InputFile::new("small.xml", bytes)]).unwrap_err();
    assert_at(&error, line_of(SMALL, "Sinuiju"), "CITY");
}

// ---------------------------------------------------------------------------------------
// Properties: no input panics; no truncation parses

/// Where the document really ends: anything cut before this is incomplete.
fn end_of_root() -> usize {
    SMALL.find("</CONSOLIDATED_LIST>").unwrap() + "</CONSOLIDATED_LIST>".len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(512)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let file = InputFile::new("fuzz.xml", bytes);
        let _ = un::sniff(&file);
        let _ = un::parse(&[file]);
    }

    #[test]
    fn arbitrary_text_inside_the_root_never_panics(body in "(<[A-Z_]{1,12}>|</[A-Z_]{1,12}>|<[A-Z_]{1,8}/>|[a-z0-9 &;<>/-]{0,12}){0,40}") {
        let xml = format!("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>{body}</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>");
        let _ = parse_str(&xml);
    }

    #[test]
    fn every_truncation_is_an_error(cut in 0..end_of_root()) {
        let file = InputFile::new("cut.xml", SMALL.as_bytes()[..cut].to_vec());
        prop_assert!(un::parse(&[file]).is_err());
    }

    #[test]
    fn mutated_fixture_never_panics(
        at in 0..SMALL.len(),
        byte in any::<u8>(),
        delete in 0usize..40,
        insert in "[<>/&;A-Z0-9 \n-]{0,6}",
    ) {
        let mut bytes = SMALL.as_bytes().to_vec();
        bytes[at] = byte;
        let _ = un::parse(&[InputFile::new("m.xml", bytes)]);

        let mut bytes = SMALL.as_bytes().to_vec();
        let end = (at + delete).min(bytes.len());
        bytes.splice(at..end, insert.bytes());
        let parsed = un::parse(&[InputFile::new("m.xml", bytes)]);
        // A mutation may still be valid XML, but never produces more parties than listed.
        if let Ok(parsed) = parsed {
            prop_assert!(parsed.entities.len() <= 3);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The real file, 2026-02-27 (../shared/data/lists/un-sc-2026-02-27)

fn real_file() -> Option<InputFile> {
    let dir = sekisho_lists::shared_list("un-sc-2026-02-27")?;
    let path = dir.join("consolidated.xml");
    let bytes = std::fs::read(&path).expect("consolidated.xml readable");
    Some(InputFile::new(path, bytes))
}

fn real() -> Option<Parsed> {
    let file = real_file()?;
    Some(un::parse(&[file]).expect("the real UN list parses with zero errors"))
}

fn count_names(entities: &[Entity], kind: NameKind) -> usize {
    entities
        .iter()
        .flat_map(|e| &e.names)
        .filter(|n| n.kind == kind)
        .count()
}

/// Counts checked independently with Python's ElementTree over the same file (names
/// deduplicated per record after collapsing whitespace, as the model does).
#[test]
fn real_file_counts() {
    let Some(parsed) = real() else { return };
    let entities = &parsed.entities;
    assert_eq!(parsed.list_date.as_deref(), Some("2026-02-27"));
    assert_eq!(entities.len(), 1003);
    assert_eq!(
        entities
            .iter()
            .filter(|e| e.schema == Schema::Person)
            .count(),
        730
    );
    assert_eq!(
        entities
            .iter()
            .filter(|e| e.schema == Schema::Organization)
            .count(),
        273
    );
    assert_eq!(count_names(entities, NameKind::Primary), 1003);
    assert_eq!(count_names(entities, NameKind::OriginalScript), 378);
    assert_eq!(count_names(entities, NameKind::Alias), 2108);
    assert_eq!(count_names(entities, NameKind::WeakAlias), 615);
    assert_eq!(count_names(entities, NameKind::PreviousName), 19);
    assert_eq!(
        entities.iter().map(|e| e.birth_dates.len()).sum::<usize>(),
        980
    );
    let identifiers = entities.iter().flat_map(|e| &e.identifiers);
    let imo = identifiers
        .clone()
        .filter(|i| i.kind == IdentifierKind::Imo)
        .count();
    assert_eq!(imo, 15);
    assert_eq!(identifiers.count() - imo, 454);

    // Original-script languages: 11 Cyrillic (ru); Arabic script is ar unless Taliban
    // (Pashto/Dari) or Persian/Pashto letters (155); one Latin-script "original" name.
    let lang_of = |lang: Option<&str>| {
        entities
            .iter()
            .flat_map(|e| &e.names)
            .filter(|n| n.kind == NameKind::OriginalScript && n.lang.as_deref() == lang)
            .count()
    };
    assert_eq!(
        (lang_of(Some("ar")), lang_of(Some("ru")), lang_of(None)),
        (211, 11, 156)
    );

    let mut ids: Vec<_> = entities.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 1003);
    assert!(
        entities
            .iter()
            .all(|e| e.provenance.listed_on.is_some() && e.programs.len() == 2)
    );
}

#[test]
fn real_file_loads_through_detection() {
    let Some(dir) = sekisho_lists::shared_list("un-sc-2026-02-27") else {
        return;
    };
    let list = sekisho_lists::load(&dir).expect("loads");
    assert_eq!(list.format, Format::UnScXml);
    assert_eq!(list.source, "un_sc_sanctions");
    assert_eq!(list.list_date.as_deref(), Some("2026-02-27"));
    assert_eq!(list.entities.len(), 1003);
}

#[test]
fn real_dprk_individual_with_passport() {
    let Some(parsed) = real() else { return };
    let e = by_source_id(&parsed.entities, "KPi.033");
    assert_eq!(e.id, "un-6908555");
    assert_eq!(e.schema, Schema::Person);
    assert_eq!(e.names, [name("RI WON HO", NameKind::Primary, None)]);
    assert_eq!(e.programs, ["DPRK", "1718"]);
    assert_eq!(e.provenance.listed_on, Some(date("2016-11-30")));
    assert_eq!(e.birth_dates, [date("1964-07-17")]);
    assert_eq!(
        e.properties["position"],
        ["DPRK Ministry of State Security Official"]
    );
    assert_eq!(
        e.identifiers,
        [Identifier {
            kind: IdentifierKind::Passport,
            value: "381310014".into(),
            country: None,
            note: None
        }]
    );
    assert_eq!(
        e.notes.last().map(String::as_str),
        Some(
            "Ri Won Ho is a DPRK Ministry of State Security Official stationed in Syria supporting KOMID."
        )
    );
    assert!(e.addresses.is_empty() && e.birth_places.is_empty());
    if countries_resolve() {
        assert_eq!(e.nationalities, ["KP"]);
    }

    // A passport with issuing country, date of issue and note.
    let e = by_source_id(&parsed.entities, "KPi.068");
    assert_eq!(e.caption(), "KIM TONG CHOL");
    let second = &e.identifiers[1];
    assert_eq!(
        (second.kind, second.value.as_str()),
        (IdentifierKind::Passport, "108120258")
    );
    if countries_resolve() {
        assert_eq!(second.country.as_deref(), Some("KP"));
        assert_eq!(
            second.note.as_deref(),
            Some("issued 2018-02-14; expiration date 14 Feb. 2023")
        );
    }
}

#[test]
fn real_arabic_script_individual() {
    let Some(parsed) = real() else { return };
    let e = by_source_id(&parsed.entities, "QDi.006");
    assert_eq!(e.id, "un-111923");
    assert_eq!(e.caption(), "AIMAN MUHAMMED RABI AL-ZAWAHIRI");
    assert_eq!(
        e.names[1],
        name(
            "أيمن محمد ربيع الظواهري",
            NameKind::OriginalScript,
            Some("ar")
        )
    );
    assert!(
        e.names
            .contains(&name("Ayman Al-Zawahari", NameKind::Alias, None))
    );
    assert_eq!(e.properties["title"], ["Doctor", "Dr."]);
    assert_eq!(e.programs, ["Al-Qaida", "1267"]);
    if countries_resolve() {
        assert_eq!(e.nationalities, ["EG"]);
    }
}

#[test]
fn real_cyrillic_individual_with_alias_birth_dates() {
    let Some(parsed) = real() else { return };
    let e = by_source_id(&parsed.entities, "QDi.290");
    assert_eq!(e.caption(), "DOKU KHAMATOVICH UMAROV");
    assert_eq!(
        e.names[1],
        name(
            "Умаров Доку Хаматович",
            NameKind::OriginalScript,
            Some("ru")
        )
    );
    // Three birth-date blocks, then the alias dates not already known (a bare year, 1955).
    let dates: Vec<_> = e.birth_dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(dates, ["1964-04-13", "1965-04-13", "1964-05-12", "1955"]);
    assert!(
        e.notes
            .contains(&"Nationality: former Soviet Union".to_string())
    );
    if countries_resolve() {
        assert_eq!(e.nationalities, ["RU"]);
    }
}

#[test]
fn real_individual_with_between_birth_years() {
    let Some(parsed) = real() else { return };
    let e = by_source_id(&parsed.entities, "QDi.314");
    assert_eq!(e.caption(), "ABDERRAHMANE OULD EL AMAR");
    assert_eq!(
        e.names[1],
        name(
            "عبد الرحمن ولد العامر",
            NameKind::OriginalScript,
            Some("ar")
        )
    );
    let years: Vec<_> = e.birth_dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(years, ["1977", "1978", "1979", "1980", "1981", "1982"]);
    assert_eq!(e.birth_places, ["Tabankort, Mali"]);
    assert_eq!(e.addresses.len(), 4);
    if countries_resolve() {
        assert_eq!(e.nationalities, ["ML"]);
        assert_eq!(e.countries, ["ML"]);
    }
}

#[test]
fn real_dprk_shipping_company() {
    let Some(parsed) = real() else { return };
    let e = by_source_id(&parsed.entities, "KPe.056");
    assert_eq!(e.schema, Schema::Organization);
    assert_eq!(
        e.names,
        [
            name("CHONMYONG SHIPPING CO", NameKind::Primary, None),
            name("CHON MYONG SHIPPING COMPANY LIMITED", NameKind::Alias, None),
        ]
    );
    assert_eq!(e.identifiers.len(), 1);
    assert_eq!(
        (e.identifiers[0].kind, e.identifiers[0].value.as_str()),
        (IdentifierKind::Imo, "5571322")
    );

    let e = by_source_id(&parsed.entities, "KPe.055");
    assert!(
        e.names
            .contains(&name("長安海連技術有限公司", NameKind::Alias, Some("zh")))
    );
}

#[test]
fn real_countries_resolve_except_historic_names() {
    let Some(parsed) = real() else { return };
    if !countries_resolve() {
        return;
    }
    // Only "former Soviet Union" and "na" are not countries of today.
    let unresolved: Vec<_> = parsed
        .entities
        .iter()
        .flat_map(|e| &e.notes)
        .filter(|n| n.starts_with("Nationality: "))
        .collect();
    assert!(
        unresolved
            .iter()
            .all(|n| *n == "Nationality: former Soviet Union" || *n == "Nationality: na"),
        "{unresolved:?}"
    );
    let with_nationality = parsed
        .entities
        .iter()
        .filter(|e| !e.nationalities.is_empty())
        .count();
    assert!(with_nationality > 600, "{with_nationality}");
}

/// The property above samples cut points; the fixture is small enough to try all of them.
#[test]
fn every_cut_point_of_the_fixture_is_an_error() {
    for cut in 0..end_of_root() {
        let file = InputFile::new("cut.xml", SMALL.as_bytes()[..cut].to_vec());
        assert!(un::parse(&[file]).is_err(), "cut at byte {cut} parsed");
    }
    // Only trailing layout may go.
    assert!(parse_str(&SMALL[..end_of_root()]).is_ok());
}
