//! Any query string — codes half typed, mixed scripts, control characters — gives hits or
//! none, never a panic; any code string resolves or gives an error.

use std::sync::LazyLock;

use proptest::prelude::*;
use sekisho_rules::{Regime, Rulebook, SearchIndex, SearchQuery};

static BOOK: LazyLock<Option<Rulebook>> = LazyLock::new(|| {
    let dir = sekisho_lists::shared_data_dir()?.join("control");
    Some(Rulebook::import(&dir).expect("import"))
});

static INDEX: LazyLock<Option<SearchIndex>> = LazyLock::new(|| BOOK.as_ref().map(SearchIndex::build));

/// Strings built from the pieces queries are made of, so that code and script edges are hit.
fn query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("3A001".to_string()),
        Just("3a090.".to_string()),
        Just(".b.2".to_string()),
        Just("2の項(".to_string()),
        Just("（１２）".to_string()),
        Just("工作機械".to_string()),
        Just("ロボット".to_string()),
        Just("machine tools".to_string()),
        Just(" ".to_string()),
        Just("、".to_string()),
        "[a-zA-Z0-9 .,()-]{0,8}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..5).prop_map(|parts| parts.concat())
}

fn regime() -> impl Strategy<Value = Option<Regime>> {
    prop_oneof![Just(None), Just(Some(Regime::Jp)), Just(Some(Regime::Us)), Just(Some(Regime::Eu))]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(sekisho_lists::property_test_cases(256)))]

    #[test]
    fn search_never_panics(text in query(), regime in regime(), limit in 0usize..30) {
        let Some(index) = INDEX.as_ref() else { return Ok(()) };
        let hits = index.search(&SearchQuery { text, regime, limit });
        prop_assert!(hits.len() <= limit.max(1));
        for pair in hits.windows(2) {
            prop_assert!(pair[0].score >= pair[1].score, "ranked by score");
        }
        for hit in &hits {
            prop_assert!(regime.is_none_or(|r| r == hit.regime));
        }
    }

    #[test]
    fn resolving_a_code_never_panics(code in query(), regime in regime()) {
        let Some(book) = BOOK.as_ref() else { return Ok(()) };
        if let Ok(resolved) = book.resolve_code(regime.unwrap_or(Regime::Us), &code) {
            // A resolved code names an entry the rulebook has, or is a designation.
            prop_assert!(resolved.entry.is_some() || resolved.code == "not-listed" || resolved.code == "EAR99");
        }
    }
}
