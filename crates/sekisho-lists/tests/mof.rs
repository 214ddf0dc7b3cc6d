//! MOF asset-freeze list parser: small fixtures written by `tests/fixtures/make_xlsx.py`,
//! malformed input, no panics on arbitrary bytes, and the official file when the shared data
//! is present (skipped with a notice otherwise).

use std::collections::BTreeMap;
use std::path::PathBuf;

use proptest::prelude::*;
use sekisho_lists::{Format, InputFile, Location, detect, mof};
use sekisho_model::{
    Address, Entity, Identifier, IdentifierKind, Name, NameKind, PartialDate, Schema, stable_id,
};

fn fixture(name: &str) -> InputFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mof")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    InputFile::new(path, bytes)
}

fn name(value: &str, kind: NameKind, lang: &str) -> Name {
    Name {
        value: value.into(),
        kind,
        lang: Some(lang.into()),
    }
}

fn date(s: &str) -> PartialDate {
    s.parse().unwrap()
}

fn find<'a>(entities: &'a [Entity], source_id: &str) -> &'a Entity {
    entities
        .iter()
        .find(|e| e.provenance.source_id == source_id)
        .unwrap_or_else(|| panic!("{source_id}"))
}

#[test]
fn fixture_maps_every_sheet_kind() {
    let file = fixture("asset_freeze_small.xlsx");
    assert!(mof::sniff(&file));
    assert_eq!(detect(&file), Some(Format::MofAssetFreeze));
    let parsed = mof::parse(&[file]).unwrap();
    // "令和8年3月5日現在" on the index sheet.
    assert_eq!(parsed.list_date.as_deref(), Some("2026-03-05"));
    let ids: Vec<_> = parsed
        .entities
        .iter()
        .map(|e| e.provenance.source_id.as_str())
        .collect();
    // The lifted sheet gives nothing; the deleted row 15-3 is skipped.
    assert_eq!(ids, ["15-1", "15-2", "15-4", "30-1", "30-16", "99-1"]);

    let yun = find(&parsed.entities, "15-1");
    assert_eq!(yun.id, stable_id("mof", &["15", "1"]));
    assert_eq!(yun.schema, Schema::Person);
    assert_eq!(yun.caption(), "Yun Ho-jin");
    assert_eq!(
        yun.names,
        [
            name("Yun Ho-jin", NameKind::Primary, "en"),
            name("ユン・ホジン", NameKind::Primary, "ja"),
            name("ユン・ホチン", NameKind::Alias, "ja"),
            name("Yun Ho-chin", NameKind::Alias, "en"),
        ]
    );
    assert_eq!(yun.birth_dates, [date("1944-10-13")]); // Excel serial 16358
    assert_eq!(
        yun.facts.regime.as_deref(),
        Some("15.北朝鮮(決議1718号等；個人)")
    );
    assert_eq!(yun.facts.notices, ["2009-07-24", "2022-08-03 改訂"]);
    assert_eq!(yun.provenance.listed_on, Some(date("2009-07-24")));
    assert_eq!(yun.programs, ["JP-MOF-15"]);
    assert_eq!(
        yun.properties["position"][1],
        "Director of Namchongang Trading Corporation"
    );
    assert_eq!(yun.addresses[0].full, "北朝鮮平壌特別市");

    let ri = find(&parsed.entities, "15-2");
    assert_eq!(ri.birth_dates, [date("1938")]);
    assert!(
        ri.notes
            .contains(&"告示番号 (notice number) 2(*39)".to_string())
    );
    let passports: Vec<_> = ri
        .identifiers
        .iter()
        .map(|i| (i.kind, i.value.as_str()))
        .collect();
    assert_eq!(
        passports,
        [
            (IdentifierKind::Passport, "472320665"),
            (IdentifierKind::Passport, "563120356")
        ]
    );

    let jong = find(&parsed.entities, "15-4");
    assert_eq!(jong.birth_dates, [date("1957-04-15"), date("1958-02-22")]);
    assert_eq!(jong.identifiers[0].value, "PS927120050");
    assert!(jong.notes.contains(&"その他の情報: 性別:男性".to_string()));

    let timer = find(&parsed.entities, "30-16");
    assert_eq!(timer.schema, Schema::Organization);
    assert_eq!(
        timer.facts.regime.as_deref(),
        Some("30.ロシア連邦(特定銀行）")
    );
    assert_eq!(timer.caption(), "Timer Bank, AO");
    let aliases: Vec<_> = timer
        .names
        .iter()
        .skip(2)
        .map(|n| (n.value.as_str(), n.kind))
        .collect();
    assert_eq!(
        aliases,
        [
            ("株式会社チメル・バンク", NameKind::Alias),
            ("タイマー・バンク有限会社", NameKind::Alias),
            ("Aktsionernoe Obshchestvo Timer Bank", NameKind::Alias),
            ("Timer Bank CO., LTD", NameKind::PreviousName),
        ]
    );
    assert_eq!(timer.addresses.len(), 2);
    assert_eq!(timer.countries, ["RU"]);

    // Another column order and an unknown header (性別), read by header text.
    let test = find(&parsed.entities, "99-1");
    assert_eq!(test.schema, Schema::Organization);
    assert_eq!(test.caption(), "TEST TRADING LLC");
    assert_eq!(test.provenance.listed_on, Some(date("2025-03-05")));
    assert_eq!(test.notes, ["性別: 該当なし"]);
}

fn assert_row_error(file: &str, sheet: &str, row: u32, field: &str) -> String {
    let err = mof::parse(&[fixture(file)]).unwrap_err();
    assert!(err.file.ends_with(file), "{err}");
    assert_eq!(
        err.location,
        Location::Row {
            sheet: sheet.into(),
            row
        },
        "{err}"
    );
    assert_eq!(err.field.as_deref(), Some(field), "{err}");
    err.message
}

#[test]
fn impossible_birth_date_is_an_error_at_its_cell() {
    let message = assert_row_error(
        "bad_birth_date.xlsx",
        "15.北朝鮮(決議1718号等；個人)",
        5,
        "生年月日",
    );
    assert!(message.contains("1971年2月30日"), "{message}");
}

#[test]
fn duplicate_notice_number_is_an_error() {
    let message = assert_row_error(
        "duplicate_number.xlsx",
        "30.ロシア連邦(特定銀行） ",
        5,
        "告示番号",
    );
    assert!(message.contains("row 4"), "{message}");
}

#[test]
fn numbered_sheet_without_header_is_an_error() {
    let err = mof::parse(&[fixture("no_header.xlsx")]).unwrap_err();
    assert_eq!(
        err.location,
        Location::Row {
            sheet: "15.北朝鮮(決議1718号等；個人)".into(),
            row: 1
        }
    );
    assert!(err.message.contains("header"), "{err}");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for bytes in [&b""[..], b"PK\x03\x04garbage", b"<xml/>"] {
        let file = InputFile::new("x.xlsx", bytes);
        assert!(!mof::sniff(&file));
        assert_eq!(mof::parse(&[file]).unwrap_err().location, Location::File);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(128)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let file = InputFile::new("fuzz.xlsx", bytes);
        let _ = mof::sniff(&file);
        let _ = mof::parse(&[file]);
    }

    #[test]
    fn mutated_fixture_never_panics(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut file = fixture("asset_freeze_small.xlsx");
        for (at, byte) in edits {
            let i = at.index(file.bytes.len());
            file.bytes[i] = byte;
        }
        let _ = mof::sniff(&file);
        let _ = mof::parse(&[file]);
    }
}

fn load_real() -> Option<(InputFile, Vec<Entity>, Option<String>)> {
    let dir = sekisho_lists::shared_list("jp-mof-asset-freeze-2026-03-05")?;
    let path = dir.join("asset_freeze.xlsx");
    let file = InputFile::new(&path, std::fs::read(&path).unwrap());
    let started = std::time::Instant::now();
    let parsed = mof::parse(std::slice::from_ref(&file)).unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "MOF: {} entities in {:?} (build profile of this test)",
        parsed.entities.len(),
        started.elapsed()
    );
    Some((file, parsed.entities, parsed.list_date))
}

#[test]
fn real_file_counts_per_sheet() {
    let Some((file, entities, list_date)) = load_real() else {
        return;
    };
    assert_eq!(detect(&file), Some(Format::MofAssetFreeze));
    // This copy's 一覧 sheet states no date.
    assert_eq!(list_date, None);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &entities {
        *counts
            .entry(e.facts.regime.as_deref().unwrap())
            .or_default() += 1;
    }
    // Rows below each header row that are not marked 削除 (deleted), counted in the sheet XML
    // with Python (zipfile + ElementTree). 41.マリ共和国 has only deleted rows; the three
    // 【解除】 sheets have no header and no parties.
    let expected: BTreeMap<&str, usize> = [
        ("1.ミロシェビッチ前ユーゴ大統領関係者", 10),
        ("13.北朝鮮(決議1695号)", 16),
        ("14.北朝鮮(決議1718号等；団体)", 75),
        ("15.北朝鮮(決議1718号等；個人)", 80),
        ("16.北朝鮮(協調；団体)", 75),
        ("17.北朝鮮(協調；個人)", 84),
        ("19.イラン（個人）", 43),
        ("20.イラン (団体)", 78),
        ("24.シリア（個人）", 59),
        ("25.シリア（団体）", 31),
        ("26.クリミア等（個人）", 331),
        ("27.クリミア等 (団体)", 18),
        ("28.ロシア連邦(団体(特定銀行を除く))", 369),
        ("30.ロシア連邦(特定銀行）", 16),
        ("32.ベラルーシ(団体(特定銀行を除く))", 12),
        ("33.ベラルーシ(特定銀行)", 4),
        ("34.ロシア及びベラルーシ以外（団体(特定銀行を除く)）", 7),
        ("36.ロシア及びベラルーシ以外（特定銀行)", 1),
        ("37.中央アフリカ共和国（個人）", 14),
        ("38.中央アフリカ共和国（団体）", 1),
        ("39.イエメン共和国", 10),
        ("40.南スーダン", 8),
        ("42.ハイチ共和国（個人）", 9),
        ("43.イスラエル", 4),
        ("44.ハイチ共和国（団体）", 2),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, expected);
    assert_eq!(entities.len(), 1357);
    let ids: std::collections::HashSet<_> = entities.iter().map(|e| &e.id).collect();
    assert_eq!(ids.len(), entities.len());
    // Every party has a notice date, and all but one an English name (16-12 gives its
    // English name only in the alias column).
    assert!(
        entities
            .iter()
            .all(|e| e.provenance.listed_on.is_some() && !e.facts.notices.is_empty())
    );
    let no_english: Vec<_> = entities
        .iter()
        .filter(|e| {
            !e.names
                .iter()
                .any(|n| n.kind == NameKind::Primary && n.lang.as_deref() == Some("en"))
        })
        .map(|e| e.provenance.source_id.as_str())
        .collect();
    assert_eq!(no_english, ["16-12"]);
}

#[test]
fn real_file_spot_checks() {
    let Some((_, entities, _)) = load_real() else {
        return;
    };

    // A DPRK individual: katakana and English names, birth date as an Excel serial.
    let yun = find(&entities, "15-1");
    assert_eq!(yun.schema, Schema::Person);
    assert_eq!(yun.id, stable_id("mof", &["15", "1"]));
    assert_eq!(
        yun.names,
        [
            name("Yun Ho-jin", NameKind::Primary, "en"),
            name("ユン・ホジン", NameKind::Primary, "ja"),
            name("ユン・ホチン", NameKind::Alias, "ja"),
            name("Yun Ho-chin", NameKind::Alias, "en"),
        ]
    );
    assert_eq!(yun.birth_dates, [date("1944-10-13")]);
    assert_eq!(yun.facts.notices, ["2009-07-24", "2022-08-03 改訂"]);
    assert_eq!(yun.provenance.listed_on, Some(date("2009-07-24")));
    assert_eq!(
        yun.addresses,
        [Address {
            full: "北朝鮮平壌特別市".into(),
            country: Some("KP".into()),
            ..Address::default()
        }]
    );
    assert_eq!(yun.countries, ["KP"]);
    assert_eq!(
        yun.properties["position"],
        [
            "ナムチョンガン・トレーディング・コーポレーション代表",
            "Director of Namchongang Trading Corporation"
        ]
    );
    assert_eq!(yun.nationalities, ["KP"]);

    // A DPRK individual with two text birth dates and a passport among expiry dates.
    let tsang = find(&entities, "15-80");
    assert_eq!(tsang.caption(), "TSANG YUNG YUAN");
    assert_eq!(
        tsang.identifiers,
        [Identifier {
            kind: IdentifierKind::Passport,
            value: "302001581".into(),
            country: None,
            note: None
        }]
    );

    // A Russian bank with aliases in both scripts and two addresses.
    let timer = find(&entities, "30-16");
    assert_eq!(timer.schema, Schema::Organization);
    assert_eq!(timer.caption(), "Timer Bank, AO");
    assert_eq!(
        timer.names[1],
        name("チメル・バンク株式会社", NameKind::Primary, "ja")
    );
    let aliases: Vec<_> = timer
        .names
        .iter()
        .skip(2)
        .map(|n| n.value.as_str())
        .collect();
    assert_eq!(
        aliases,
        [
            "株式会社チメル・バンク",
            "公共株式会社チメル・バンク",
            "タイマー・バンク有限会社",
            "タイマー・バンク株式会社",
            "チメル・バンク公共株式会社",
            "Aktsionernoe Obshchestvo Timer Bank",
            "Publichnoe Aktsionernoe Obshchestvo Timer Bank",
            "Timer Bank CO., LTD",
            "Timer Bank Joint-Stock Company",
            "Timer Bank PAO",
        ]
    );
    assert_eq!(timer.addresses.len(), 3);
    assert_eq!(
        timer.addresses[0].full,
        "d. 23 str, 2, ul. Bakhrushina, Moscow, 115054, Russia"
    );
    assert_eq!(timer.provenance.listed_on, Some(date("2025-01-10")));

    // 旧称 (former name) markers inside an alias cell.
    let ryonbong = find(&entities, "14-2");
    let former: Vec<_> = ryonbong
        .names
        .iter()
        .filter(|n| n.kind == NameKind::PreviousName)
        .map(|n| n.value.as_str())
        .collect();
    assert_eq!(
        former,
        [
            "リョンガクサン・ジェネラル・トレーディング・コーポレーション",
            "Lyongaksan General Trading Corporation"
        ]
    );

    // A Yemeni individual: original-script name, "1985年頃 / 1984年から1986年までの間".
    let hakim = find(&entities, "39-2");
    assert_eq!(hakim.caption(), "ABDULLAH YAHYA AL HAKIM");
    assert!(
        hakim
            .names
            .iter()
            .any(|n| n.kind == NameKind::OriginalScript && n.value == "عبد الله يحيى الحاكم")
    );
    assert_eq!(
        hakim.birth_dates,
        [date("1985"), date("1984"), date("1986")]
    );

    // Sheet 13 mixes companies and a company president: LegalEntity.
    assert_eq!(find(&entities, "13-16").schema, Schema::LegalEntity);
}
