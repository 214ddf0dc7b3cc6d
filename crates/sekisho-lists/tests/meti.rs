//! METI End User List parser: small fixtures written by `tests/fixtures/make_xlsx.py`,
//! malformed input, no panics on arbitrary bytes, and the official file when the shared data
//! is present (skipped with a notice otherwise).

mod common;

use std::path::PathBuf;

use common::names;
use proptest::prelude::*;
use sekisho_lists::{Format, InputFile, Location, detect, meti};
use sekisho_model::{Entity, MetiConcern, NameKind, Schema, stable_id};

fn fixture(name: &str) -> InputFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/meti")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    InputFile::new(path, bytes)
}

#[test]
fn fixture_maps_every_column() {
    let file = fixture("end_user_small.xlsx");
    assert!(meti::sniff(&file));
    assert_eq!(detect(&file), Some(Format::MetiEndUser));
    let parsed = meti::parse(&[file]).unwrap();
    assert_eq!(parsed.list_date, None);
    let [alqaida, koryo, ryonbong, uvz] = parsed.entities.as_slice() else {
        panic!("expected 4 entities, got {:#?}", parsed.entities)
    };
    assert_eq!(
        alqaida.id,
        stable_id("meti", &["Al Qa'ida/Islamic Army", "アフガニスタン"])
    );
    assert_eq!(alqaida.schema, Schema::Organization);
    assert_eq!(alqaida.provenance.source, "jp_meti_end_user");
    assert_eq!(alqaida.provenance.source_id, "1");
    assert_eq!(alqaida.caption(), "Al Qa'ida/Islamic Army");
    assert_eq!(
        names(alqaida, NameKind::Alias),
        ["Al Qaeda", "The Base", "Usama Bin Laden Network"]
    );
    use MetiConcern::*;
    assert_eq!(alqaida.facts.meti_concerns, [B, C, M, N, CW]);

    assert_eq!(koryo.caption(), "Air Koryo");
    assert_eq!(names(koryo, NameKind::Alias), ["高麗航空", "朝鮮航空"]);
    assert_eq!(koryo.facts.meti_concerns, [M]);
    // Country merged from the row above; full-width Ｎ read as N.
    assert_eq!(
        ryonbong.id,
        stable_id(
            "meti",
            &["Korea Ryonbong General Corporation (KRGC)", "北朝鮮"]
        )
    );
    assert_eq!(names(ryonbong, NameKind::Alias), ["朝鮮連峰総会社"]);
    assert_eq!(ryonbong.facts.meti_concerns, [N]);
    assert_eq!(uvz.provenance.source_id, "4");
    assert_eq!(names(uvz, NameKind::Alias), ["NPK Uralvagonzavod", "UVZ"]);
    assert_eq!(uvz.facts.meti_concerns, [CW]);
}

#[test]
fn countries_resolve_to_iso2_from_either_line() {
    let parsed = meti::parse(&[fixture("end_user_small.xlsx")]).unwrap();
    let countries: Vec<_> = parsed
        .entities
        .iter()
        .map(|e| e.countries.clone())
        .collect();
    assert_eq!(countries, [vec!["AF"], vec!["KP"], vec!["KP"], vec!["RU"]]);
}

#[test]
fn bad_concern_code_names_file_sheet_row_and_column() {
    let err = meti::parse(&[fixture("bad_concern.xlsx")]).unwrap_err();
    assert!(err.file.ends_with("bad_concern.xlsx"));
    assert_eq!(
        err.location,
        Location::Row {
            sheet: "ユーザーリスト".into(),
            row: 3
        }
    );
    assert_eq!(err.field.as_deref(), Some("懸念区分 Type of WMD"));
    assert!(err.message.contains("\"X\""), "{err}");
}

#[test]
fn missing_header_is_an_error_about_the_file() {
    let file = fixture("no_header.xlsx");
    assert!(!meti::sniff(&file));
    let err = meti::parse(&[file]).unwrap_err();
    assert_eq!(err.location, Location::File);
    assert!(err.message.contains("header"), "{err}");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for bytes in [&b""[..], b"PK\x03\x04garbage", b"No.,Company\n1,ACME"] {
        let file = InputFile::new("x.xlsx", bytes);
        assert!(!meti::sniff(&file));
        let err = meti::parse(&[file]).unwrap_err();
        assert_eq!(err.location, Location::File);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(128)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let file = InputFile::new("fuzz.xlsx", bytes);
        let _ = meti::sniff(&file);
        let _ = meti::parse(&[file]);
    }

    #[test]
    fn mutated_fixture_never_panics(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut file = fixture("end_user_small.xlsx");
        for (at, byte) in edits {
            let i = at.index(file.bytes.len());
            file.bytes[i] = byte;
        }
        let _ = meti::sniff(&file);
        let _ = meti::parse(&[file]);
    }
}

fn load_real() -> Option<(InputFile, Vec<Entity>)> {
    let dir = sekisho_lists::shared_list("jp-meti-end-user-list-2025-09-29")?;
    let path = dir.join("end_user_list.xlsx");
    let file = InputFile::new(&path, std::fs::read(&path).unwrap());
    let started = std::time::Instant::now();
    let parsed = meti::parse(std::slice::from_ref(&file)).unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "METI: {} entities in {:?} (build profile of this test)",
        parsed.entities.len(),
        started.elapsed()
    );
    assert_eq!(parsed.list_date, None, "the file states no revision date");
    Some((file, parsed.entities))
}

#[test]
fn real_file_parses_completely() {
    let Some((file, entities)) = load_real() else {
        return;
    };
    assert_eq!(detect(&file), Some(Format::MetiEndUser));
    // 835 rows numbered 1..=835 (counted in the sheet XML with Python).
    assert_eq!(entities.len(), 835);
    let ids: std::collections::HashSet<_> = entities.iter().map(|e| &e.id).collect();
    assert_eq!(ids.len(), 835);
    for (i, e) in entities.iter().enumerate() {
        assert_eq!(e.provenance.source_id, (i + 1).to_string());
        assert_eq!(e.schema, Schema::Organization);
        assert!(
            !e.facts.meti_concerns.is_empty(),
            "{} has no concern",
            e.caption()
        );
    }
    // 240 rows carry 通常兵器 / CW (counted with Python).
    assert!(
        entities.iter().all(|e| e.countries.len() == 1),
        "every country cell resolves"
    );
    let cw = entities
        .iter()
        .filter(|e| e.facts.meti_concerns.contains(&MetiConcern::CW))
        .count();
    assert_eq!(cw, 240);
}

#[test]
fn real_file_spot_checks() {
    let Some((_, entities)) = load_real() else {
        return;
    };
    let by_name = |name: &str| {
        entities
            .iter()
            .find(|e| e.caption() == name)
            .unwrap_or_else(|| panic!("{name}"))
    };

    let alqaida = by_name("Al Qa'ida/Islamic Army");
    assert_eq!(alqaida.provenance.source_id, "1");
    assert_eq!(
        alqaida.id,
        stable_id("meti", &["Al Qa'ida/Islamic Army", "アフガニスタン"])
    );
    assert_eq!(
        names(alqaida, NameKind::Alias),
        [
            "Al Qaeda",
            "Islamic Salvation Foundation",
            "The Base",
            "The Group for the Preservation of the Holy Sites",
            "The Islamic Army for the Liberation of Holy Places",
            "The World Islamic Front for Jihad against Jews and Crusaders",
            "Usama Bin Laden Network",
            "Usama Bin Laden Organisation",
        ]
    );
    use MetiConcern::*;
    assert_eq!(alqaida.facts.meti_concerns, [B, C, M, N, CW]);

    // Han name on its own line and bracketed Han aliases.
    let komid = by_name("Korea Mining Development Trading Corporation (KOMID)");
    assert_eq!(names(komid, NameKind::Alias)[0], "朝鮮鉱業開発貿易会社");
    assert!(names(komid, NameKind::Alias).contains(&"蒼光信用会社"));

    // A name wrapped over two lines is one name.
    let guangzhou = by_name("Guangzhou Tian-Hai-Xiang Aviation Technology Co., Ltd.");
    assert_eq!(
        names(guangzhou, NameKind::Alias),
        [
            "広州天海翔航空科技有限公司",
            "Guangzhou Tianhaixiang Aviation Technology Co., Ltd.",
            "THX Aviation"
        ]
    );

    // "ミサイル、核\nM、N" with an ideographic comma.
    let sevmash = by_name(
        "United Shipbuilding Corporation “Production Association Northern Machine Building Enterprise”",
    );
    assert_eq!(sevmash.facts.meti_concerns, [M, N, CW]);
    assert_eq!(names(sevmash, NameKind::Alias), ["JSC PO Sevmash"]);
}
