//! The rulebook imported from the real reference files in `../shared/data/control`:
//! counts against the sources and spot checks read off the source texts.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use sekisho_rules::{ChartRow, Rulebook};

static BOOK: LazyLock<Option<Rulebook>> = LazyLock::new(|| {
    let dir = sekisho_lists::shared_data_dir()?.join("control");
    Some(Rulebook::import(&dir).unwrap_or_else(|e| panic!("import failed: {e}")))
});

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

fn columns_of(book: &Rulebook, eccn: &str) -> Vec<(String, Option<String>)> {
    book.us.eccns[eccn].reasons.iter().map(|r| (r.reason.clone(), r.column.clone())).collect()
}

#[test]
fn counts_match_the_sources() {
    let Some(book) = BOOK.as_ref() else { return };
    assert_eq!(book.us.eccns.len(), 633, "ccl.json: entryCount 633");
    assert_eq!(book.us.chart.marks.len(), 196, "country-chart.json: 196 graded rows");
    assert_eq!(book.us.chart.embargoed.keys().collect::<Vec<_>>(), ["CU", "IR", "KP", "SY"]);
    assert_eq!(book.us.chart.columns.len(), 16);
    assert_eq!(book.us.chart.footnotes.len(), 10);
    assert_eq!(book.us.groups.len(), 14, "A:1..A:6, B, D:1..D:5, E:1, E:2");
    // 27 sections of Part 740; one section carries two symbols.
    let sections: BTreeSet<&str> = book.us.exceptions.values().map(|e| e.citation.as_str()).collect();
    assert_eq!(sections.len(), 27);
    assert_eq!(book.eu.entries.len(), 384);
    assert_eq!(book.eu.geas.keys().collect::<Vec<_>>(), ["EU001", "EU002", "EU003", "EU004", "EU005", "EU006", "EU007", "EU008"]);
    let kous: BTreeSet<&str> = book.jp.items.values().map(|i| i.kou_label.as_str()).collect();
    assert_eq!(kous.len(), 17, "1の項..16の項 and 3の2の項: {kous:?}");
    assert_eq!(book.jp.items.values().filter(|i| i.gou.is_none()).count(), 17);
    assert_eq!(book.jp.group_a.len(), 27);
    assert_eq!(book.jp.un_arms_embargo.len(), 10);
    assert_eq!(book.jp.russia_diversion.len(), 10);
    assert_eq!(book.version.sources.len(), 9, "4 US, 1 EU, 4 JP files");
    assert_eq!(book.jp.fefta.len(), 79, "FEFTA main-provision articles (joined deleted ones skipped)");
}

#[test]
fn us_control_list_spot_checks() {
    let Some(book) = BOOK.as_ref() else { return };
    // 3A001 License Requirements: NS 1 (MMIC b.2/b.3), NS 2 (entire entry), RS 1, two RS
    // rows outside the chart (3A001.z), MT 1, NP 1, AT 1.
    let s = |a: &str, b: Option<&str>| (a.to_string(), b.map(String::from));
    assert_eq!(
        columns_of(book, "3A001"),
        vec![
            s("NS", Some("NS1")),
            s("NS", Some("NS2")),
            s("RS", Some("RS1")),
            s("RS", None),
            s("RS", None),
            s("MT", Some("MT1")),
            s("NP", Some("NP1")),
            s("AT", Some("AT1")),
        ]
    );
    let eccn = &book.us.eccns["3A001"];
    assert!(eccn.reasons[3].note.contains("742.6(a)(6)(iii)(A)"));
    assert_eq!(eccn.heading, "Electronic items as follows (see List of Items Controlled).");
    assert!(eccn.text.as_deref().unwrap_or("").contains("a.1"));
    assert!(eccn.exception_flags["GBS"].starts_with("Yes for 3A001.a.1.b"));
    // LVS: "$5000; N/A for 4A003.b, c, and z." — a value with a condition.
    let eccn = &book.us.eccns["4A003"];
    assert_eq!(eccn.lvs_limit_usd, Some(5000));
    assert_eq!(eccn.lvs_conditions.as_deref(), Some("N/A for 4A003.b, c, and z."));
    // "$500 for 0A501.c, .d, and .x." is per paragraph, not a limit for the entry.
    assert_eq!(book.us.eccns["0A501"].lvs_limit_usd, None);
    assert_eq!(book.us.eccns["2B001"].lvs_limit_usd, None, "2B001: LVS N/A");
    // 5A002: EI has no chart column (see 742.15); ENC is flagged.
    assert!(columns_of(book, "5A002").contains(&s("EI", None)));
    assert!(book.us.eccns["5A002"].exception_flags.contains_key("ENC"));
    assert_eq!(columns_of(book, "1C350"), vec![s("CB", Some("CB2"))]);
    assert_eq!(book.us.eccns["1C350"].category, "1");
}

#[test]
fn us_country_chart_spot_checks() {
    let Some(book) = BOOK.as_ref() else { return };
    let chart = &book.us.chart;
    for country in ["CN", "RU"] {
        let marks = &chart.marks[country];
        for column in ["NS1", "NS2", "RS2", "MT1", "NP1"] {
            assert!(marks.contains(column), "{country} {column}");
        }
        assert!(!marks.contains("AT1"), "{country} has no AT 1 mark");
    }
    assert!(!chart.marks["JP"].contains("NS2"), "Japan: no NS 2 mark");
    assert!(chart.marks["JP"].contains("NS1"));
    // Hong Kong has no row; the China row governs it (85 FR 83788).
    match chart.row("hk") {
        ChartRow::Marks { row, via, .. } => {
            assert_eq!(row, "CN");
            assert!(via.unwrap_or("").contains("85 FR 83788"));
        }
        other => panic!("HK: {other:?}"),
    }
    // Liechtenstein has a row of its own (footnote 5 ties it to Switzerland); the row wins.
    assert!(matches!(chart.row("LI"), ChartRow::Marks { row: "LI", via: None, .. }));
    assert!(matches!(chart.row("KY"), ChartRow::Marks { row: "GB", via: Some(_), .. }));
    match chart.row("KP") {
        ChartRow::Embargoed(row) => assert_eq!(row.citation, "15 CFR 742.19, 746.4"),
        other => panic!("KP: {other:?}"),
    }
    assert!(matches!(chart.row("CU"), ChartRow::Embargoed(r) if r.citation == "15 CFR 746"));
    assert!(matches!(chart.row("SY"), ChartRow::Embargoed(r) if r.citation == "15 CFR 746.9"));
    // Antarctica (AQ) is neither a row nor a named territory: indeterminate.
    assert_eq!(chart.row("AQ"), ChartRow::Unknown);
    assert_eq!(chart.row_footnotes["RU"], vec![6]);
    assert!(book.us.notes["chart.embargoedRows"].contains("no permissive meaning"));
}

#[test]
fn us_country_groups_spot_checks() {
    let Some(book) = BOOK.as_ref() else { return };
    let groups = &book.us.groups;
    assert_eq!(groups["E:1"], set(&["IR", "KP", "SY"]));
    assert_eq!(groups["E:2"], set(&["CU"]));
    assert!(groups["D:5"].contains("CN") && groups["D:5"].contains("RU"));
    // Macau is named beside D:5 throughout the EAR but is not in it.
    assert!(!groups["D:5"].contains("MO"));
    assert!(book.us.notes["groups.macau"].contains("NOT in Country Group D:5"));
    assert!(groups["A:1"].contains("JP") && groups["A:1"].contains("KR"));
    assert_eq!(groups["A:1"].len(), 40);
    assert!(book.us.groups_of("JP").contains(&"A:1"));
    assert!(book.us.groups_of("HK").is_empty(), "Hong Kong is in no group table");
    assert_eq!(book.us.exceptions["LVS"].citation, "15 CFR 740.3");
    assert_eq!(book.us.exceptions["GBS"].citation, "15 CFR 740.4");
    assert_eq!(book.us.exceptions["ENC"].citation, "15 CFR 740.17");
    assert!(book.us.all_destinations.no_licence_exceptions.contains(&"0A983".to_string()));
}

#[test]
fn eu_spot_checks() {
    let Some(book) = BOOK.as_ref() else { return };
    let eu = &book.eu;
    assert!(eu.entries["3A001"].heading.starts_with("Electronic items"));
    assert_eq!(eu.entries["0A001"].category, "0");
    assert!(eu.art4.contains("Article 4"));
    assert!(eu.art5.contains("cyber-surveillance"));
    let eu001 = &eu.geas["EU001"];
    assert_eq!(eu001.destinations, set(&["AU", "CA", "CH", "GB", "IS", "JP", "LI", "NO", "NZ", "US"]));
    assert!(eu001.covers("3A001.b.1"));
    assert_eq!(eu001.excluded_by("1C351.a"), Some("1C351"), "Annex II Section I");
    assert!(!eu001.covers("0C001"));
    assert!(eu001.excluded_entries.contains(&"Annex IV".to_string()));
    // Section I lists 1A102 "... specified in 9A004": 9A004 itself is not excluded.
    assert_eq!(eu001.excluded_by("9A004"), None);
    let eu002 = &eu.geas["EU002"];
    assert_eq!(eu002.destinations, set(&["AR", "KR", "TR", "ZA"]));
    assert!(eu002.covers("3A001.a.3") && !eu002.covers("3A001.b.1"));
    let eu003 = &eu.geas["EU003"];
    assert!(["CN", "HK", "MO", "NC", "PF"].iter().all(|c| eu003.destinations.contains(*c)));
    assert!(!eu003.covers("5D002"), "sections D and E are excluded");
    let eu007 = &eu.geas["EU007"];
    assert!(eu007.covers("5D002") && !eu007.covers("5A002"));
    let eu008 = &eu.geas["EU008"];
    assert!(eu008.destinations.is_empty());
    assert!(eu008.excluded_destinations.is_superset(&eu001.destinations));
    assert!(["CN", "HK", "RU", "KP", "CG", "CD", "MM"].iter().all(|c| eu008.excluded_destinations.contains(*c)));
    assert!(eu008.destination_listed("BR") && !eu008.destination_listed("JP"));
    assert!(eu008.covers("5A002.a.2") && !eu008.covers("5A002.a.1"), "5A002.a is only a reference");
}

#[test]
fn jp_spot_checks() {
    let Some(book) = BOOK.as_ref() else { return };
    let jp = &book.jp;
    assert!(jp.group_a.contains("KR") && !jp.group_a.contains("CN"));
    assert!(jp.group_a.contains("US") && jp.group_a.contains("GB"));
    assert_eq!(jp.concern, set(&["IR", "IQ", "KP"]));
    assert_eq!(jp.un_arms_embargo, set(&["AF", "CF", "CD", "IQ", "LB", "LY", "KP", "SO", "SS", "SD"]));
    assert!(jp.russia_diversion.contains("CN") && jp.russia_diversion.contains("TR"));
    assert!(jp.digest_differences.is_empty(), "order vs jp-countries.json: {:?}", jp.digest_differences);
    let item = &jp.items["2-12"];
    assert_eq!(item.citation, "輸出貿易管理令 別表第一 2の項(12)");
    assert!(item.text_ja.contains("数値制御を行うことができる工作機械"));
    assert_eq!(item.region_ja, "全地域");
    assert!(jp.items["7-1"].text_ja.starts_with("集積回路"));
    assert!(jp.items["9-7"].text_ja.starts_with("暗号装置"));
    assert!(jp.items.contains_key("1-13の2"));
    assert_eq!(jp.items.keys().filter(|k| k.starts_with("1-")).count(), 18);
    assert_eq!(jp.items["3の2"].kou, 3);
    let catch_all = &jp.items["16"];
    assert_eq!(catch_all.region_ja, "全地域（別表第三に掲げる地域を除く。）");
    assert!(jp.items["16-2"].text_ja.starts_with("関税定率法"));
    assert_eq!(jp.items["16-1"].citation, "輸出貿易管理令 別表第一 16の項(1)");
}

#[test]
fn fefta_in_japanese_with_english_where_it_matches() {
    let Some(book) = BOOK.as_ref() else { return };
    let art48 = &book.jp.fefta["48"];
    assert_eq!((art48.title.as_str(), art48.citation.as_str()), ("第四十八条", "外国為替及び外国貿易法 第48条"));
    assert_eq!(art48.caption_en.as_deref(), Some("(Permission for Export)"));
    assert!(art48.paragraphs[0].text_ja.starts_with("国際的な平和及び安全の維持を妨げる"));
    let en = art48.paragraphs[0].text_en.as_deref().unwrap_or("");
    assert!(en.starts_with("Article 48 (1) A person seeking to make an export"), "{en}");
    assert!(en.contains("must get the permission of the Minister of Economy, Trade and Industry"), "{en}");
    assert_eq!(book.jp.fefta["25"].caption_ja.as_deref(), Some("（役務取引等）"));
    assert!(book.jp.fefta["25"].paragraphs[0].text_en.is_some());
    assert!(book.jp.fefta.contains_key("25の2") && book.jp.fefta.contains_key("55の9の2"));
    // Art. 69-7(1) now says 拘禁刑 (the 2025 penal reform); the translation memory of
    // 2025-03-04 translates the older wording, so no English is attached to it.
    let penal = &book.jp.fefta["69の7"].paragraphs[0];
    assert!(penal.text_ja.contains("拘禁刑") && penal.text_en.is_none());
    // A paragraph of two sentences (本文 and ただし書) reads as one text, without the file's
    // indentation between them, and so matches the translation memory.
    let proviso = &book.jp.fefta["55の3"].paragraphs[0];
    assert!(proviso.text_ja.contains("ならない。ただし、第六号"), "{}", proviso.text_ja);
    assert!(proviso.text_en.is_some());
    let paragraphs: Vec<_> = book.jp.fefta.values().flat_map(|a| &a.paragraphs).collect();
    assert!(paragraphs.iter().all(|p| !p.text_ja.contains("\n ")), "no layout white space in the texts");
    let translated = paragraphs.iter().filter(|p| p.text_en.is_some()).count();
    assert_eq!((paragraphs.len(), translated), (218, 209));
}

#[test]
fn cross_references() {
    let Some(book) = BOOK.as_ref() else { return };
    let has = |from: &str, to: &str| book.crossrefs.iter().any(|c| c.from == from && c.to == to);
    assert!(has("EU:3A001", "US:3A001"));
    assert!(has("JP:7", "EU:3*") && has("JP:9", "US:5*"));
    assert!(has("JP:3", "EU:1C350"));
    assert!(!has("EU:3A090", "US:3A090"), "3A090 is US-only in these sources");
}

#[test]
fn same_files_same_version() {
    let Some(book) = BOOK.as_ref() else { return };
    let dir = sekisho_lists::shared_data_dir().expect("present when BOOK is").join("control");
    let again = Rulebook::import(&dir).expect("second import");
    assert_eq!(again.version.id, book.version.id);
    assert_eq!(again.content_id(), again.version.id);
    assert!(book.version.id.starts_with("sha256:") && book.version.id.len() == 7 + 64);
    let jp = book.version.sources.iter().find(|s| s.file.ends_with(".xml")).expect("the order");
    assert_eq!(jp.data_date, "2026-02-14");
    assert_eq!(book.version.sources[0].data_date, "2026-07-23");
    // Round trip through JSON (the store keeps it that way) changes nothing.
    let json = serde_json::to_string(book).expect("serialise");
    let back: Rulebook = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(&back, book);
}
