//! Properties of the scorer: scores stay in [0, 1], comparing is symmetric, nothing panics.

use proptest::prelude::*;
use sekisho_match::{PreparedName, PreparedNames, Query, ScreenOptions, ScreeningIndexBuilder, compare};
use sekisho_model::{Entity, NameKind, Schema};

/// Names built from pieces of real names in several scripts, with the separators lists use.
fn name() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "KIM", "Jong", "Un", "김정은", "金正恩", "キム", "ジョンウン", "ｷﾑ", "Сергей", "Шойгу", "محمد", "عبد",
        "AL-", "Co., Ltd.", "株式会社", "有限公司", "(株)", "Aleksey(Aleksei)", "1", "2", "bin", "OOO", "ООО",
        "Müller", "HASSAN", "Ali", ",", "・", " ", "-",
    ]);
    prop::collection::vec(pieces, 0..8).prop_map(|p| p.join(" "))
}

fn cases(default: u32) -> u32 {
    std::env::var("SEKISHO_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    #[test]
    fn compare_scores_lie_in_the_unit_interval_and_are_symmetric(a in name(), b in name()) {
        let ab = compare(&a, &b, None);
        let ba = compare(&b, &a, None);
        prop_assert!((0.0..=1.0).contains(&ab.score), "{} for {a:?} / {b:?}", ab.score);
        prop_assert!((ab.score - ba.score).abs() < 1e-9, "{} vs {} for {a:?} / {b:?}", ab.score, ba.score);
        prop_assert_eq!(ab.is_match, ab.score >= sekisho_match::OPERATING_THRESHOLD);
    }

    #[test]
    fn prepared_names_score_as_compare_does(a in name(), b in name()) {
        let prepared = PreparedName::new(&a, None).score(&PreparedName::new(&b, None));
        prop_assert_eq!(prepared, compare(&a, &b, None).score, "{:?} / {:?}", a, b);
    }

    /// Lists of names packed together score every pair as names prepared one by one (and
    /// so as `compare`): the packing moves the data, not the results.
    #[test]
    fn names_prepared_as_lists_score_as_names_prepared_alone(xs in prop::collection::vec(name(), 1..5), ys in prop::collection::vec(name(), 1..5)) {
        let (left, right) = (PreparedNames::new(xs.iter().map(String::as_str), None), PreparedNames::new(ys.iter().map(String::as_str), None));
        prop_assert_eq!((left.len(), right.len()), (xs.len(), ys.len()));
        for (i, a) in xs.iter().enumerate() {
            for (j, b) in ys.iter().enumerate() {
                let alone = PreparedName::new(a, None).score(&PreparedName::new(b, None));
                prop_assert_eq!(left.score(i, &right, j).to_bits(), alone.to_bits(), "{:?} / {:?}", a, b);
            }
        }
    }

    #[test]
    fn a_name_compared_with_itself_matches(a in name()) {
        let c = compare(&a, &a, None);
        prop_assert!(c.score == 0.0 || c.score >= sekisho_match::OPERATING_THRESHOLD, "{} for {a:?}", c.score);
    }

    #[test]
    fn arbitrary_text_never_panics(a in any::<String>(), b in any::<String>()) {
        let c = compare(&a, &b, Some(Schema::Person));
        prop_assert!((0.0..=1.0).contains(&c.score));
    }

    #[test]
    fn screening_scores_lie_in_the_unit_interval(listed in prop::collection::vec(name(), 1..6), query in name()) {
        let entities: Vec<Entity> = listed
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut e = Entity::new(format!("e{i}"), Schema::LegalEntity, "test", &i.to_string());
                e.add_name(n, NameKind::Primary);
                e
            })
            .collect();
        let index = ScreeningIndexBuilder::new().build(&entities);
        let options = ScreenOptions { limit: 10, threshold: 0.0 };
        for m in index.screen(&Query::name(&query), &options) {
            prop_assert!((0.0..=1.0).contains(&m.score), "{} for {query:?}", m.score);
        }
    }
}
