//! How lists differ in writing one party's name, beyond spelling: titles, Japanese
//! translations of organisation words and legal forms, Korean sound changes in katakana.
//! Each pair below is written as one list writes the name and as another does.

use sekisho_match::{OPERATING_THRESHOLD, compare};
use sekisho_model::Schema;

fn score(a: &str, b: &str, schema: Schema) -> f64 {
    let comparison = compare(a, b, Some(schema));
    let reversed = compare(b, a, Some(schema));
    assert!((comparison.score - reversed.score).abs() < 1e-9, "{a} / {b}: not symmetric");
    comparison.score
}

#[test]
fn titles_neither_block_a_match_nor_make_one() {
    for (a, b) in [
        ("DR. MOHAMMAD ESLAMI", "Mohammad Eslami"),
        ("モハンマド・エスラーミー博士", "DR. MOHAMMAD ESLAMI"),
        ("Prof. Fereydoun Abbasi", "ABBASI, Fereydoun"),
        ("AL-ZINDANI, Shaykh Abd-al-Majid", "ABD-AL-MAJID AL-ZINDANI"),
    ] {
        assert!(score(a, b, Schema::Person) >= OPERATING_THRESHOLD, "{a} / {b}");
    }
    // A shared title is no evidence: two different people called Dr. do not match.
    assert!(score("Dr. Mohammad Eslami", "Dr. Ahmad Karimi", Schema::Person) < 0.5);
}

#[test]
fn japanese_organisation_words_meet_their_english() {
    for (a, b) in [
        ("公共株式会社アルロサ", "Public Joint Stock Company Alrosa"),
        ("公開株式会社ネファズ", "NEFAZ OJSC"),
        ("株式会社第356航空機修理工場", "Joint Stock Company 356 Aircraft Repair Plant"),
        ("イラン原子力庁", "Atomic Energy Organization of Iran"),
        ("「ドネツク共和国」(自称)", "Self-proclaimed “Donetsk Republic”"),
        ("特別技術センター", "Special Technology Center"),
    ] {
        assert!(score(a, b, Schema::Organization) >= OPERATING_THRESHOLD, "{a} / {b}: {}", score(a, b, Schema::Organization));
    }
    // The number after 第 must still agree.
    assert!(score("株式会社第356航空機修理工場", "Joint Stock Company 810 Aircraft Repair Plant", Schema::Organization) < OPERATING_THRESHOLD);
}

#[test]
fn korean_names_in_katakana_meet_their_syllables() {
    assert!(score("オ・グンニョル", "O Kuk-Ryol", Schema::Person) >= OPERATING_THRESHOLD);
}
