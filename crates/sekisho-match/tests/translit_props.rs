//! Properties of the transliteration modules on arbitrary input: no panic, ASCII output,
//! bounded counts and lengths, deterministic results.

use proptest::prelude::*;
use sekisho_match::translit::{arabic, cyrillic, hangul, kana, other};

/// Arbitrary strings weighted towards the scripts under test, plus any Unicode at all.
fn names() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\u{AC00}-\u{D7A3}\u{1100}-\u{11FF}\u{3130}-\u{318F} ]{0,12}",
        "[\u{0400}-\u{052F} a-z-]{0,16}",
        "[\u{0600}-\u{06FF}\u{0750}-\u{077F}\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF} ]{0,16}",
        "[\u{0370}-\u{03FF}\u{0590}-\u{05FF}\u{0E00}-\u{0E7F}\u{0900}-\u{097F}\u{10A0}-\u{10FF} ]{0,12}",
    ]
}

fn ascii_bounded(s: &str, input: &str) -> bool {
    // Every input character yields at most a short ASCII spelling.
    s.is_ascii() && s.len() <= 16 * input.chars().count() + 16
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), ..ProptestConfig::default() })]

    #[test]
    fn hangul_is_ascii_bounded_deterministic(s in names()) {
        let rr = hangul::romanize_rr(&s);
        prop_assert!(ascii_bounded(&rr, &s), "{rr:?}");
        let v = hangul::name_variants(&s);
        prop_assert!(!v.is_empty() && v.len() <= hangul::MAX_NAME_VARIANTS);
        prop_assert!(v.iter().all(|x| ascii_bounded(x, &s)));
        let sv = hangul::syllable_variants(&s);
        prop_assert!(sv.iter().all(|x| !x.is_empty() && x.len() <= hangul::MAX_SYLLABLE_VARIANTS
            && x.iter().all(|y| y.is_ascii() && y.len() <= 16)));
        prop_assert_eq!(v, hangul::name_variants(&s));
        prop_assert_eq!(rr, hangul::romanize_rr(&s));
    }

    #[test]
    fn cyrillic_is_ascii_bounded_unique(s in names()) {
        let v = cyrillic::romanize(&s);
        prop_assert!(!v.is_empty() && v.len() <= cyrillic::MAX_VARIANTS);
        prop_assert!(v.iter().all(|x| ascii_bounded(x, &s)));
        let mut d = v.clone();
        d.sort();
        d.dedup();
        prop_assert_eq!(d.len(), v.len());
        prop_assert_eq!(v, cyrillic::romanize(&s));
    }

    #[test]
    fn arabic_is_ascii_bounded(s in names()) {
        let v = arabic::romanize(&s);
        prop_assert!(!v.is_empty() && v.len() <= arabic::MAX_VARIANTS);
        prop_assert!(v.iter().all(|x| ascii_bounded(x, &s)));
        prop_assert_eq!(v, arabic::romanize(&s));
        let k = arabic::skeleton(&s);
        prop_assert!(k.bytes().all(|b| b == b' ' || b.is_ascii_lowercase()));
        prop_assert!(k.len() <= s.chars().count() * 2);
        let l = arabic::latin_skeleton(&s);
        prop_assert!(l.bytes().all(|b| b == b' ' || b.is_ascii_lowercase()));
        prop_assert!(l.len() <= s.len() * 2);
    }

    #[test]
    fn other_is_lowercase_ascii(s in names()) {
        let r = other::romanize(&s);
        prop_assert!(r.bytes().all(|b| b == b' ' || b.is_ascii_lowercase() || b.is_ascii_digit()), "{r:?}");
        prop_assert!(!r.starts_with(' ') && !r.ends_with(' ') && !r.contains("  "));
        prop_assert_eq!(r, other::romanize(&s));
    }

    /// Katakana variants (the Slavic reading included) stay ASCII and bounded.
    #[test]
    fn katakana_variants_are_ascii_and_bounded(s in "[\u{30A1}-\u{30FC}・ ]{0,12}") {
        let v = kana::name_variants(&s);
        prop_assert!(v.len() <= kana::MAX_VARIANTS);
        prop_assert!(v.iter().all(|x| !x.is_empty() && ascii_bounded(x, &s)), "{v:?}");
    }

    /// Every Latin spelling the romaniser produces reduces to (nearly) the Arabic skeleton.
    /// `ج` is left out: after `د` its spelling `j` makes the French digraph `dj`, which
    /// `latin_skeleton` reads as one `ج` (a real ambiguity of Latin spellings).
    #[test]
    fn arabic_spellings_share_a_skeleton_key(w in "[بتدرسعفقلمنه]{2,5}") {
        let key = arabic::skeleton(&w).replace(' ', "");
        for v in arabic::romanize(&w) {
            let lk = arabic::latin_skeleton(&v).replace(' ', "");
            prop_assert!(strsim_close(&key, &lk), "{w} {v}: {key} vs {lk}");
        }
    }
}

/// Keys agree up to one class (`ق` spelled `k`/`q` both map to `k`, but `ع` doubling, `h`
/// after `t s d g k` and the Egyptian `g` may shift one position).
fn strsim_close(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != cb)));
        }
        prev = cur;
    }
    prev[b.len()] <= 1
}

/// Property-test cases: the default here, or `SEKISHO_PROPTEST_CASES` for a longer run.
fn cases(default: u32) -> u32 {
    std::env::var("SEKISHO_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
