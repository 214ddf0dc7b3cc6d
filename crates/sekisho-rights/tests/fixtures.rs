//! The import on small files written here in the published layouts: values, unmapped
//! names, errors that name file, sheet, row and column, and bad bytes that give errors,
//! never panics.

use std::path::Path;

use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use sekisho_rights::{Error, FiwStatus, IndicatorSet, SourceId};

const FIW_FILE: &str = "All_data_FIW_2013-2024.xlsx";

/// Freedom House's layout: an "Index" sheet of notes, then "FIW13-24" with a title row,
/// the header row and one row per country or territory and edition.
fn fiw_workbook(rows: &[(&str, &str, u16, &str, u8, u8, i16)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let notes = book.add_worksheet().set_name("Index").unwrap();
    notes.write(0, 0, "Notes on the indicators").unwrap();
    let sheet = book.add_worksheet().set_name("FIW13-24").unwrap();
    sheet
        .write(0, 0, "Freedom in the World 2013-2024 Raw Data")
        .unwrap();
    let header = [
        "Country/Territory",
        "Region",
        "C/T",
        "Edition",
        "Status",
        "PR rating",
        "CL rating",
        "A1",
        "Total",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write(1, c as u16, *h).unwrap();
    }
    for (i, &(name, kind, edition, status, pr, cl, total)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write(r, 0, name).unwrap();
        sheet.write(r, 1, "Europe").unwrap();
        sheet.write(r, 2, kind).unwrap();
        sheet.write(r, 3, edition).unwrap();
        sheet.write(r, 4, status).unwrap();
        sheet.write(r, 5, pr).unwrap();
        sheet.write(r, 6, cl).unwrap();
        sheet.write(r, 7, 4).unwrap();
        sheet.write(r, 8, total).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// One WGI row: code, name, year, indicator, (estimate, percentile rank).
type WgiRow<'a> = (&'a str, &'a str, u16, &'a str, Option<(f64, f64)>);

/// The World Bank's long layout; `None` writes the ".." the World Bank uses for no value.
fn wgi_workbook(rows: &[WgiRow]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "codeindyr",
        "code",
        "countryname",
        "year",
        "indicator",
        "estimate",
        "stddev",
        "nsource",
        "pctrank",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write(0, c as u16, *h).unwrap();
    }
    for (i, &(code, name, year, ind, value)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write(r, 0, format!("{code}{ind}{year}")).unwrap();
        sheet.write(r, 1, code).unwrap();
        sheet.write(r, 2, name).unwrap();
        sheet.write(r, 3, year).unwrap();
        sheet.write(r, 4, ind).unwrap();
        match value {
            Some((est, pct)) => {
                sheet.write(r, 5, est).unwrap();
                sheet.write(r, 6, 0.2).unwrap();
                sheet.write(r, 7, 5).unwrap();
                sheet.write(r, 8, pct).unwrap();
            }
            None => {
                for c in 5..=8 {
                    sheet.write(r, c, "..").unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

const VDEM_CSV: &str = "\u{feff}\
gwcode,year,country_name,country_id,country_text_id,v2x_veracc_osp,v2xcs_ccsi,v2xcl_rol,v2x_freexp_altinf,v2x_horacc_osp,v2x_pubcorr
385,2022,Norway,186,NOR,0.93,0.975,0.944,0.95,0.979,0.986
385,2023,Norway,186,NOR,0.936,0.976,0.944,0.949,0.979,0.986
265,1989,German Democratic Republic,21,DDR,0.1,0.2,0.3,0.1,0.2,0.5
740,2022,Japan,9,JPN,0.9,0.95,NA,0.85,0.9,0.96
740,2023,Japan,9,JPN,,,,,,
";

fn good_files() -> [(&'static str, Vec<u8>); 3] {
    [
        (
            FIW_FILE,
            fiw_workbook(&[
                ("Norway", "c", 2023, "F", 1, 1, 98),
                ("Norway", "c", 2024, "F", 1, 1, 98),
                ("Ukraine", "c", 2024, "PF", 4, 4, 49),
                ("Crimea", "t", 2024, "NF", 7, 6, 3),
                ("Hong Kong", "t", 2024, "PF", 6, 4, 41),
                ("Atlantis", "c", 2024, "F", 1, 1, 100),
            ]),
        ),
        (
            "wgidataset.xlsx",
            wgi_workbook(&[
                ("NOR", "Norway", 2023, "va", Some((1.77, 100.0))),
                ("NOR", "Norway", 2023, "rl", Some((1.83, 99.05))),
                ("NOR", "Norway", 2023, "cc", Some((2.0, 99.0))),
                ("ASM", "American Samoa", 2023, "va", None),
                ("ASM", "American Samoa", 2023, "rl", None),
                ("KSV", "Kosovo", 2023, "va", Some((-0.09, 43.1))),
                ("KSV", "Kosovo", 2023, "rl", None),
            ]),
        ),
        ("vdem_democratic_spaces.csv", VDEM_CSV.as_bytes().to_vec()),
    ]
}

fn write_dir(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn import_with(replace: &str, bytes: Vec<u8>) -> Result<IndicatorSet, Error> {
    let mut files = good_files();
    for f in &mut files {
        if f.0 == replace {
            f.1 = bytes.clone();
        }
    }
    let dir = write_dir(&files);
    IndicatorSet::import(dir.path())
}

#[test]
fn fixture_imports_values_and_reports_unmapped_names() {
    let dir = write_dir(&good_files());
    let set = IndicatorSet::import(dir.path()).unwrap();
    let no = set.country("no").unwrap();
    assert_eq!(no.fiw.len(), 2);
    let fiw = no.fiw_latest().unwrap();
    assert_eq!(
        (fiw.edition, fiw.status, fiw.total),
        (2024, FiwStatus::F, 98)
    );
    let wgi = no.wgi_latest().unwrap();
    assert_eq!(wgi.voice_accountability.unwrap().percentile, 100.0);
    assert_eq!(no.vdem_latest().unwrap().civil_society, Some(0.976));
    // Missing values ("" or "NA") are None; a year with none of the three is not kept.
    let jp = set.country("JP").unwrap();
    assert_eq!(jp.vdem.len(), 1);
    let r = jp.vdem_latest().unwrap();
    assert_eq!(
        (r.year, r.civil_society, r.liberties, r.expression),
        (2022, Some(0.95), None, Some(0.85))
    );

    // Crimea is not merged into Ukraine; Hong Kong has its own code and is used.
    assert_eq!(
        set.country("UA").unwrap().fiw_latest().unwrap().status,
        FiwStatus::PF
    );
    assert!(set.country("HK").unwrap().fiw_latest().unwrap().territory);
    // Kosovo's "KSV" is XK; its ".." Rule of Law is None, not 0.
    let xk = set.country("XK").unwrap().wgi_latest().unwrap();
    assert!(xk.voice_accountability.is_some() && xk.rule_of_law.is_none());
    // A country-year with no WGI value at all is not kept.
    assert!(set.country("AS").is_none());

    let unmapped: Vec<(SourceId, &str)> = set
        .unmapped
        .iter()
        .map(|u| (u.source, u.name.as_str()))
        .collect();
    assert_eq!(
        unmapped,
        [
            (SourceId::FreedomHouse, "Atlantis"),
            (SourceId::FreedomHouse, "Crimea"),
            (SourceId::Vdem, "German Democratic Republic (DDR)"),
        ]
    );
    let fiw_source = set.source(SourceId::FreedomHouse).unwrap();
    assert_eq!(
        (
            fiw_source.first_year,
            fiw_source.last_year,
            fiw_source.countries
        ),
        (2023, 2024, 3)
    );
    assert_eq!(fiw_source.file, FIW_FILE);
}

#[test]
fn a_bad_cell_names_file_sheet_row_and_column() {
    let bytes = fiw_workbook(&[
        ("Norway", "c", 2024, "F", 1, 1, 98),
        ("Chile", "c", 2024, "Free", 1, 1, 94),
    ]);
    let err = import_with(FIW_FILE, bytes).unwrap_err();
    match &err {
        Error::Cell {
            path,
            sheet,
            row,
            column,
            message,
        } => {
            assert!(path.ends_with(FIW_FILE));
            assert_eq!(sheet, "FIW13-24");
            assert_eq!(
                *row, 4,
                "title row, header row, Norway, then Chile on spreadsheet row 4"
            );
            assert_eq!(column, "Status (E)");
            assert!(message.contains("\"Free\""), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.contains(FIW_FILE) && shown.contains("row 4") && shown.contains("Status (E)"),
        "{shown}"
    );

    let bytes = fiw_workbook(&[("Norway", "c", 2024, "F", 9, 1, 98)]);
    let err = import_with(FIW_FILE, bytes).unwrap_err().to_string();
    assert!(
        err.contains("row 3") && err.contains("PR rating (F)") && err.contains("1 to 7"),
        "{err}"
    );

    let bytes = wgi_workbook(&[("NOR", "Norway", 2023, "va", Some((1.7, 140.0)))]);
    let err = import_with("wgidataset.xlsx", bytes)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("row 2") && err.contains("pctrank (I)") && err.contains("0-100"),
        "{err}"
    );
}

#[test]
fn a_bad_csv_field_names_its_line_and_column() {
    let text = VDEM_CSV.replace("0.975", "high");
    let err = import_with("vdem_democratic_spaces.csv", text.into_bytes()).unwrap_err();
    let Error::CsvField { line, column, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*line, column.as_str()), (2, "v2xcs_ccsi"));

    let text = VDEM_CSV.replace("v2xcl_rol", "v2xcl_law");
    let err = import_with("vdem_democratic_spaces.csv", text.into_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("v2xcl_rol") && err.contains("line 1"), "{err}");

    let header_only = VDEM_CSV.lines().next().unwrap().to_string() + "\n";
    let err = import_with("vdem_democratic_spaces.csv", header_only.into_bytes()).unwrap_err();
    assert!(matches!(err, Error::Empty { .. }), "{err:?}");
}

#[test]
fn a_missing_file_or_sheet_is_named() {
    let dir = write_dir(&good_files()[..2]);
    let err = IndicatorSet::import(dir.path()).unwrap_err().to_string();
    assert!(err.contains("vdem_democratic_spaces.csv"), "{err}");

    let mut book = Workbook::new();
    book.add_worksheet().set_name("Index").unwrap();
    let err = import_with(FIW_FILE, book.save_to_buffer().unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("no sheet") && err.contains("Index"), "{err}");

    let err = import_with("wgidataset.xlsx", b"not a zip".to_vec())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("wgidataset.xlsx") && err.contains("not a readable xlsx"),
        "{err}"
    );
}

fn mutate(mut bytes: Vec<u8>, edits: &[(prop::sample::Index, u8, u8)]) -> Vec<u8> {
    for (at, byte, op) in edits {
        let i = at.index(bytes.len().max(1)).min(bytes.len());
        match op {
            0 => bytes.truncate(i),
            1 if i < bytes.len() => {
                bytes.remove(i);
            }
            _ if i < bytes.len() => bytes[i] = *byte,
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(48)))]

    #[test]
    fn truncated_or_garbled_files_give_errors_not_panics(
        which in 0..3usize,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6),
    ) {
        let files = good_files();
        let (name, bytes) = (&files[which].0, files[which].1.clone());
        let garbled = mutate(bytes, &edits);
        match import_with(name, garbled) {
            Ok(set) => prop_assert!(set.sources.len() == 3),
            Err(e) => {
                let shown = e.to_string();
                prop_assert!(shown.contains(name) || shown.contains(Path::new(name).to_str().unwrap()), "{}", shown);
            }
        }
    }
}

#[test]
fn thresholds_load_from_a_user_file_and_errors_name_it() {
    use sekisho_rights::{BUNDLED_TOML, Thresholds};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strict.toml");
    std::fs::write(
        &path,
        BUNDLED_TOML.replace("medium_at = 2", "medium_at = 1"),
    )
    .unwrap();
    let strict = Thresholds::load(&path).unwrap();
    assert_eq!(strict.levels.medium_at, 1);

    std::fs::write(
        &path,
        BUNDLED_TOML.replace("[vdem]", "[vdem]\nexpresion_below = 0.4"),
    )
    .unwrap();
    let err = Thresholds::load(&path).unwrap_err().to_string();
    let line = BUNDLED_TOML.lines().position(|l| l == "[vdem]").unwrap() + 2;
    assert!(
        err.starts_with(&format!("{}:{line}: ", path.display())),
        "{err}"
    );
    assert!(err.contains("did you mean `expression_below`?"), "{err}");

    let err = Thresholds::load(&dir.path().join("absent.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("absent.toml"), "{err}");
}

#[test]
fn a_notes_sheet_before_the_wgi_data_is_skipped() {
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write(0, 0, "About the WGI")
        .unwrap();
    let sheet = book.add_worksheet().set_name("Data").unwrap();
    for (c, h) in [
        "code",
        "countryname",
        "year",
        "indicator",
        "estimate",
        "pctrank",
    ]
    .iter()
    .enumerate()
    {
        sheet.write(0, c as u16, *h).unwrap();
    }
    for (r, ind) in [(1, "va"), (2, "rl")] {
        sheet.write(r, 0, "NOR").unwrap();
        sheet.write(r, 1, "Norway").unwrap();
        sheet.write(r, 2, 2023).unwrap();
        sheet.write(r, 3, ind).unwrap();
        sheet.write(r, 4, 1.8).unwrap();
        sheet.write(r, 5, 99.0).unwrap();
    }
    let set = import_with("wgidataset.xlsx", book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(
        set.country("NO")
            .unwrap()
            .wgi_latest()
            .unwrap()
            .rule_of_law
            .unwrap()
            .percentile,
        99.0
    );

    // With no sheet holding the columns, the error names the first sheet looked at.
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write(0, 0, "About the WGI")
        .unwrap();
    let err = import_with("wgidataset.xlsx", book.save_to_buffer().unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sheet \"Notes\"") && err.contains("pctrank"),
        "{err}"
    );
}
