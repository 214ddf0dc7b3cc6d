//! A small evaluation of classification search: queries an export-compliance officer would
//! type, each with the entries a correct answer contains (checked against the control-list
//! texts), asserted in the top three. Run with `--nocapture` to see the ranks.

use sekisho_rules::{Regime, Rulebook, SearchIndex, SearchQuery};

/// (query, regime filter, acceptable entries as "REGIME:CODE"): any one of them in the top 3.
const CASES: &[(&str, Option<Regime>, &[&str])] = &[
    // Codes: exact, with paragraphs, Japanese row numbers in the forms people write.
    ("3A090", None, &["US:3A090"]),
    ("3a001.b.2", None, &["US:3A001", "EU:3A001"]),
    ("2の項(12)", None, &["JP:2-12"]),
    ("9項(7)", None, &["JP:9-7"]),
    // English keywords and technical parameters.
    ("machine tools", None, &["US:2B001", "EU:2B001"]),
    ("processing performance", None, &["US:3A090", "EU:3A501"]),
    ("intrusion software", None, &["EU:4D004", "US:4D004", "EU:4A005", "US:4A005"]),
    ("frequency changers", None, &["US:3A225", "EU:3A225"]),
    ("vacuum pumps", None, &["EU:2B231", "US:2B231"]),
    ("maraging steel", None, &["EU:1C216", "US:1C216", "EU:1C116", "US:1C116"]),
    ("nuclear reactors", None, &["EU:0A001"]),
    ("unmanned aerial vehicles", None, &["EU:9A012", "US:9A012", "EU:9A112"]),
    ("lasers", None, &["US:6A005", "EU:6A005", "US:6A205", "EU:6A205"]),
    ("IMSI", None, &["US:5A001", "EU:5A001"]),
    ("encryption", Some(Regime::Us), &["US:5A002", "US:5D002", "US:5E002", "US:5A992", "US:5D992", "US:5E992"]),
    // Japanese keywords (no spaces: bigrams and kanji/katakana runs).
    ("工作機械", None, &["JP:6-2", "JP:6-3", "JP:2-12"]),
    ("数値制御", None, &["JP:6-2"]),
    ("集積回路", None, &["JP:7-1"]),
    ("暗号", None, &["JP:9-7"]),
    ("ジャイロスコープ", None, &["JP:11-2"]),
    ("慣性航法", Some(Regime::Jp), &["JP:11-3"]),
    ("遠心分離機", None, &["JP:2-8", "JP:2-28", "JP:2-11"]),
    // Across languages through the glossary.
    ("工作機械", Some(Regime::Us), &["US:2B001", "US:2B201", "US:2B991"]),
    ("集積回路", Some(Regime::Eu), &["EU:3A001", "EU:3A501", "EU:4A507", "EU:3D006"]),
    ("encryption", Some(Regime::Jp), &["JP:9-7"]),
    ("robots", Some(Regime::Jp), &["JP:2-15", "JP:6-7", "JP:14-7", "JP:12-5"]),
];

fn key(regime: Regime, code: &str) -> String {
    format!("{}:{code}", regime.as_str().to_uppercase())
}

#[test]
fn expected_entries_rank_in_the_top_three() {
    let Some(dir) = sekisho_lists::shared_data_dir() else { return };
    let book = Rulebook::import(&dir.join("control")).expect("import");
    let index = SearchIndex::build(&book);
    let mut misses = Vec::new();
    for (query, regime, expected) in CASES {
        let hits = index.search(&SearchQuery { text: query.to_string(), regime: *regime, limit: 10 });
        let ranked: Vec<String> = hits.iter().map(|h| key(h.regime, &h.code)).collect();
        let rank = ranked.iter().position(|k| expected.contains(&k.as_str()));
        eprintln!("{query:>26} {:>5} -> rank {:?}: {:?}", regime.map_or("all", |r| r.as_str()), rank.map(|r| r + 1), &ranked[..ranked.len().min(3)]);
        if rank.is_none_or(|r| r >= 3) {
            misses.push(format!("{query} ({regime:?}): expected one of {expected:?}, top 3 {:?}", &ranked[..ranked.len().min(3)]));
        }
        for hit in &hits {
            assert!(!hit.citation.is_empty() && hit.score > 0.0, "{hit:?}");
            assert!(!hit.reasons.is_empty() || !hit.matched.is_empty(), "a hit says why: {hit:?}");
        }
    }
    eprintln!("{} of {} queries with an expected entry in the top 3", CASES.len() - misses.len(), CASES.len());
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn hits_explain_themselves() {
    let Some(dir) = sekisho_lists::shared_data_dir() else { return };
    let book = Rulebook::import(&dir.join("control")).expect("import");
    let index = SearchIndex::build(&book);
    let search = |text: &str, regime| index.search(&SearchQuery { text: text.into(), regime, limit: 5 });
    let hits = search("3A001.b.2", Some(Regime::Eu));
    assert_eq!(hits[0].code, "3A001");
    assert!(hits[0].reasons.iter().any(|r| r == "paragraph 3A001.b.2 of entry 3A001"), "{:?}", hits[0].reasons);
    assert!(hits[0].excerpt.starts_with("3A001.b.2 "), "{}", hits[0].excerpt);
    assert!(hits[0].reasons.iter().any(|r| r.starts_with("cross-reference US:3A001 → EU:3A001")));
    let hits = search("machine tools", Some(Regime::Jp));
    assert!(hits[0].reasons.iter().any(|r| r == "glossary: machine tools → 工作機械"), "{:?}", hits[0].reasons);
    assert!(hits[0].excerpt.contains("«工作機械»"), "{}", hits[0].excerpt);
    assert_eq!(hits[0].citation, format!("輸出貿易管理令 別表第一 {}の項({})", &hits[0].code[..1], &hits[0].code[2..]));
    let hits = search("vacuum pumps", Some(Regime::Us));
    assert!(hits[0].excerpt.contains("«Vacuum» «pumps»"), "{}", hits[0].excerpt);
    assert_eq!(hits[0].matched, vec!["vacuum", "pump"]);
    // A code nobody has: nothing, rather than noise.
    assert!(search("9Z999", None).is_empty());
    assert!(search("", None).is_empty());
}
