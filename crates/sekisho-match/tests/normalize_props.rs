//! Properties of normalisation and kana transliteration over arbitrary and name-like input.

use proptest::prelude::*;
use sekisho_match::normalize::{fold, tokens};
use sekisho_match::translit::kana::{join_loose, loose_key, name_variants, phonetic_key, to_romaji};

/// Characters names are made of, with the awkward neighbours that stress folding:
/// hiragana, katakana (full and half width, small kana, ー, iteration marks, loose dakuten),
/// hangul syllables and conjoining jamo, Latin with combining marks, Cyrillic with stress,
/// Arabic with harakat and tatweel, apostrophes, punctuation and odd spaces.
fn name_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::char::range('\u{3041}', '\u{309F}'),
        prop::char::range('\u{30A0}', '\u{30FF}'),
        prop::char::range('\u{FF61}', '\u{FF9F}'),
        prop::char::range('\u{AC00}', '\u{D7A3}'),
        prop::char::range('\u{1100}', '\u{11FF}'),
        prop::char::range('\u{3131}', '\u{318E}'),
        prop::char::range('a', 'z'),
        prop::char::range('A', 'Z'),
        prop::char::range('\u{00C0}', '\u{024F}'),
        prop::char::range('\u{1E00}', '\u{1EFF}'),
        prop::char::range('\u{0300}', '\u{036F}'),
        prop::char::range('\u{0400}', '\u{04FF}'),
        prop::char::range('\u{0600}', '\u{06FF}'),
        prop::char::range('\u{FE70}', '\u{FEFF}'),
        prop::char::range('\u{4E00}', '\u{4E2F}'),
        prop::char::range('\u{F900}', '\u{F92F}'),
        prop::char::range('\u{FF01}', '\u{FF5E}'),
        prop::sample::select(vec![
            ' ', '\u{3000}', '\u{00A0}', '\'', '’', 'ʻ', '´', '`', '-', '・', '･', 'ー', 'ｰ', '々',
            'ゝ', 'ヽ', 'ゞ', 'ヾ', '\u{3099}', '\u{309A}', '゛', '゜', '\u{00AD}', '\u{200D}',
            '\u{FE0F}', 'İ', 'ẞ', 'ǅ', '㈱', '①', '½', '0', '7',
        ]),
    ]
}

fn name_like() -> impl Strategy<Value = String> {
    prop::collection::vec(name_char(), 0..24).prop_map(|v| v.into_iter().collect())
}

fn kana_only() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::char::range('\u{3041}', '\u{309F}'),
            prop::char::range('\u{30A0}', '\u{30FF}'),
        ],
        0..16,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2000)))]

    #[test]
    fn fold_is_idempotent_on_any_unicode(s in any::<String>()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn fold_is_idempotent_on_name_like_text(s in name_like()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn fold_output_is_trimmed_with_single_spaces(s in name_like()) {
        let f = fold(&s);
        prop_assert!(!f.starts_with(' ') && !f.ends_with(' '));
        prop_assert!(!f.contains("  "));
        prop_assert!(f.chars().all(|c| c == ' ' || !c.is_whitespace()));
    }

    #[test]
    fn tokens_cover_every_non_space_char_exactly_once(s in any::<String>()) {
        for input in [fold(&s), s.clone()] {
            let toks = tokens(&input);
            let joined: String = toks.iter().map(|t| t.text.as_str()).collect();
            let expected: String = input.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(joined, expected);
            prop_assert!(toks.iter().all(|t| !t.text.is_empty()));
        }
    }

    #[test]
    fn tokens_of_name_like_text_are_in_order(s in name_like()) {
        let f = fold(&s);
        let joined: String = tokens(&f).iter().map(|t| t.text.as_str()).collect();
        prop_assert_eq!(joined, f.replace(' ', ""));
    }

    #[test]
    fn phonetic_key_is_ascii_lowercase_for_ascii_words(s in "[a-zA-Z ]{0,24}") {
        let k = phonetic_key(&s);
        prop_assert!(k.bytes().all(|b| b.is_ascii_lowercase() || b == b' '), "{}", k);
        prop_assert_eq!(k.split(' ').filter(|w| !w.is_empty()).count(), s.split(' ').filter(|w| !w.is_empty()).count());
    }

    /// Joining two loose keys changes at most the two letters at the seam: the rest of both
    /// keys stays as it is, and nothing panics on any input.
    #[test]
    fn joined_loose_keys_change_only_the_seam(a in "[a-z]{0,8}", b in "[a-z]{0,8}", x in any::<String>(), y in any::<String>()) {
        let _ = join_loose(&x, &y);
        let (ka, kb) = (loose_key(&a), loose_key(&b));
        let joined = join_loose(&ka, &kb);
        prop_assert!(joined.len() <= ka.len() + kb.len());
        prop_assert!(joined.starts_with(&ka[..ka.len().saturating_sub(1)]), "{} {} {}", ka, kb, joined);
        prop_assert!(joined.ends_with(&kb[kb.len().min(1)..]), "{} {} {}", ka, kb, joined);
    }

    #[test]
    fn romaji_never_panics(s in any::<String>()) {
        let _ = to_romaji(&s);
        let _ = phonetic_key(&s);
        let _ = name_variants(&s);
    }

    #[test]
    fn romaji_of_kana_is_ascii(s in kana_only()) {
        let r = to_romaji(&fold(&s));
        let is_kana_letter = |c: char| matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}');
        prop_assert!(!r.chars().any(is_kana_letter), "{}", r);
    }

    #[test]
    fn variants_are_bounded_ascii_and_distinct(s in kana_only()) {
        let v = name_variants(&fold(&s));
        prop_assert!(v.len() <= 8);
        for x in &v {
            prop_assert!(x.is_ascii(), "{:?}", x);
        }
        let mut d = v.clone();
        d.sort();
        d.dedup();
        prop_assert_eq!(d.len(), v.len());
    }
}

/// Property-test cases: the default here, or `SEKISHO_PROPTEST_CASES` for a longer run.
fn cases(default: u32) -> u32 {
    std::env::var("SEKISHO_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
