//! Organisations: legal forms across languages, and the words company names translate.
//!
//! Both tables are data files (`data/legal_forms.tsv`, `data/lexicon.tsv`) compiled in. Legal
//! forms are recognised as token sequences in spaced text ("co ltd", "joint stock company")
//! and at either end of an unspaced CJK run (株式会社ミサワ, 北京华为技术有限公司). The lexicon
//! segments CJK runs into words with English translations (技术 → technology), longest match
//! first, so that 北京华为技术有限公司 aligns with "Beijing Huawei Technology Co., Ltd.".

use std::collections::HashMap;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::translit::han;

const LEGAL_FORMS: &str = include_str!("../data/legal_forms.tsv");
const LEXICON: &str = include_str!("../data/lexicon.tsv");

/// A legal form class ("company", "llc", ...), as named in the data file.
pub type LegalClass = &'static str;

struct Tables {
    /// Latin-script forms as token sequences, by their first word, longest first: most
    /// tokens begin none of them, and need no scan.
    spaced_forms: FxHashMap<&'static str, Vec<(Vec<&'static str>, LegalClass)>>,
    /// Unspaced (CJK) forms, longest first, in folded Han form.
    unspaced_forms: Vec<(String, LegalClass)>,
    /// Single-character CJK forms, legal forms only when they stand alone ((株) → 株).
    standalone_forms: HashMap<String, LegalClass>,
    /// CJK term (Han in canonical variant form) → English translations, folded, unspaced.
    lexicon: HashMap<String, Vec<String>>,
    longest_term: usize,
}

static TABLES: LazyLock<Tables> = LazyLock::new(load_tables);

fn data_lines(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
}

fn is_cjk_text(s: &str) -> bool {
    s.chars().any(|c| sekisho_model::Script::of(c).is_some_and(|s| s.is_cjk()))
}

/// Han characters in canonical (simplified) form, so traditional and Japanese spellings of
/// a term find the same entry.
pub fn canonical_han(s: &str) -> String {
    s.chars().map(han::fold_variant).collect()
}

fn load_tables() -> Tables {
    let mut spaced_forms = Vec::new();
    let mut unspaced_forms = Vec::new();
    let mut standalone_forms = HashMap::new();
    for (class, forms) in data_lines(LEGAL_FORMS) {
        for form in forms.split('|').map(str::trim).filter(|f| !f.is_empty()) {
            if is_cjk_text(form) {
                let form = canonical_han(form);
                // Single characters, and katakana words (カンパニー in カンパニーズ), are legal
                // forms only as whole tokens.
                let chars: Vec<char> = form.chars().collect();
                if chars.len() == 1 || is_kana(&chars) {
                    standalone_forms.insert(form, class);
                } else {
                    standalone_forms.insert(form.clone(), class);
                    unspaced_forms.push((form, class));
                }
            } else {
                spaced_forms.push((form.split(' ').collect::<Vec<_>>(), class));
            }
        }
    }
    spaced_forms.sort_by_key(|(tokens, _)| std::cmp::Reverse(tokens.len()));
    unspaced_forms.sort_by_key(|(form, _)| std::cmp::Reverse(form.chars().count()));
    let mut lexicon: HashMap<String, Vec<String>> = HashMap::new();
    for (term, english) in data_lines(LEXICON) {
        let entry = lexicon.entry(canonical_han(term.trim())).or_default();
        for word in english.split('|').map(|w| w.trim().replace(' ', "")) {
            if !word.is_empty() && !entry.contains(&word) {
                entry.push(word);
            }
        }
    }
    // Katakana terms are looked up only as whole runs (see `segment`): the longest of the
    // others bounds the substrings tried at each position.
    let longest_term = lexicon
        .keys()
        .filter(|k| !is_kana(&k.chars().collect::<Vec<_>>()))
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(1);
    let mut by_first_word: FxHashMap<&'static str, Vec<(Vec<&'static str>, LegalClass)>> = FxHashMap::default();
    for (tokens, class) in spaced_forms {
        if let Some(&first) = tokens.first() {
            by_first_word.entry(first).or_default().push((tokens, class));
        }
    }
    Tables { spaced_forms: by_first_word, unspaced_forms, standalone_forms, lexicon, longest_term }
}

/// The legal form that `tokens[start..]` begins with, and how many tokens it spans.
pub fn legal_form_at(tokens: &[&str], start: usize) -> Option<(LegalClass, usize)> {
    let rest = &tokens[start..];
    let first = rest.first()?;
    // Standalone forms are CJK: an ASCII token is none of them.
    if !first.is_ascii()
        && let Some(class) = TABLES.standalone_forms.get(&canonical_han(first))
    {
        return Some((class, 1));
    }
    TABLES
        .spaced_forms
        .get(first)?
        .iter()
        .find(|(form, _)| rest.len() >= form.len() && rest[..form.len()] == form[..])
        .map(|(form, class)| (*class, form.len()))
}

fn is_kana(chars: &[char]) -> bool {
    chars.iter().all(|&c| sekisho_model::Script::of(c) == Some(sekisho_model::Script::Kana))
}

/// A piece of an unspaced CJK run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    LegalForm { text: String, class: LegalClass },
    /// A lexicon word with its English translations (folded, unspaced).
    Word { text: String, english: Vec<String> },
    /// Characters the lexicon does not know: a name, transliterated by reading.
    Plain(String),
}

/// Splits an unspaced CJK run into legal forms (at either end), lexicon words (longest
/// match, left to right) and the plain stretches between them.
pub fn segment(run: &str) -> Vec<Segment> {
    let chars: Vec<char> = run.chars().collect();
    // The folded run once, with where each character begins: looking a stretch up then
    // slices it instead of building a string for every length tried.
    let canon: String = chars.iter().map(|&c| han::fold_variant(c)).collect();
    let at: Vec<usize> = canon.char_indices().map(|(b, _)| b).chain([canon.len()]).collect();
    let canon_str = |from: usize, to: usize| &canon[at[from]..at[to]];
    let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let mut start = 0;
    let mut end = chars.len();
    let mut head = Vec::new();
    let mut tail = Vec::new();
    // Legal forms at the end (…有限公司) and the start (株式会社…); only when something remains.
    // The longest form that fits decides; a run that is nothing but a legal form stays whole.
    let longest_form = |at_end: bool, start: usize, end: usize| {
        TABLES.unspaced_forms.iter().find_map(|(form, class)| {
            let n = form.chars().count();
            let fits = n <= end - start
                && if at_end { canon_str(end - n, end) == *form } else { canon_str(start, start + n) == *form };
            (fits).then_some((n, *class))
        })
    };
    if let Some((n, class)) = longest_form(true, start, end).filter(|(n, _)| *n < end - start) {
        tail.push(Segment::LegalForm { text: text(end - n, end), class });
        end -= n;
    }
    if let Some((n, class)) = longest_form(false, start, end).filter(|(n, _)| *n < end - start) {
        head.push(Segment::LegalForm { text: text(start, start + n), class });
        start += n;
    }
    let mut segments = head;
    let mut plain_from = start;
    let mut i = start;
    // Katakana words are whole tokens (・ separates them); inside a longer run they would
    // cut a name (バンク in バンクーバー).
    if start < end && is_kana(&chars[start..end])
        && let Some(english) = TABLES.lexicon.get(canon_str(start, end))
    {
        segments.push(Segment::Word { text: text(start, end), english: english.clone() });
        i = end;
        plain_from = end;
    }
    // Where the last lexicon word ended.
    let mut word_end = None;
    while i < end {
        let longest = (end - i).min(TABLES.longest_term);
        let found = (1..=longest).rev().find_map(|n| {
            // Single characters are lexicon words only when the table says so and they are
            // not inside a name stretch, which is why one-character terms are few: alone, or
            // right after another word, as institution suffixes stand (原子力庁, 情報部).
            TABLES.lexicon.get(canon_str(i, i + n)).map(|english| (n, english))
        });
        let found = found.filter(|(n, _)| !is_kana(&chars[i..i + n]));
        match found {
            Some((n, english)) if n > 1 || end - start == 1 || word_end == Some(i) => {
                word_end = Some(i + n);
                if plain_from < i {
                    segments.push(Segment::Plain(text(plain_from, i)));
                }
                segments.push(Segment::Word { text: text(i, i + n), english: english.clone() });
                i += n;
                plain_from = i;
            }
            _ => i += 1,
        }
    }
    if plain_from < end {
        segments.push(Segment::Plain(text(plain_from, end)));
    }
    tail.reverse();
    segments.extend(tail);
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_spaced_legal_forms_longest_first() {
        let tokens = ["acme", "co", "ltd"];
        assert_eq!(legal_form_at(&tokens, 1), Some(("company", 2)));
        let tokens = ["rosoboronexport", "ooo"];
        assert_eq!(legal_form_at(&tokens, 1), Some(("llc", 1)));
        let tokens = ["ооо", "ромашка"];
        assert_eq!(legal_form_at(&tokens, 0), Some(("llc", 1)));
        assert_eq!(legal_form_at(&["株"], 0), Some(("company", 1)));
        assert_eq!(legal_form_at(&["acme"], 0), None);
    }

    #[test]
    fn segments_a_chinese_company_name() {
        let segments = segment("北京华为技术有限公司");
        assert_eq!(segments.first(), Some(&Segment::Word { text: "北京".into(), english: vec!["beijing".into()] }));
        assert!(segments.contains(&Segment::Plain("华为".into())), "{segments:?}");
        assert!(matches!(&segments[2], Segment::Word { english, .. } if english[0] == "technology"));
        assert!(matches!(segments.last(), Some(Segment::LegalForm { class: "company", .. })));
    }

    #[test]
    fn traditional_and_japanese_forms_find_the_same_words() {
        assert!(matches!(&segment("華為技術有限公司")[1], Segment::Word { english, .. } if english[0] == "technology"));
        let segments = segment("株式会社ミサワ");
        assert!(matches!(&segments[0], Segment::LegalForm { class: "company", .. }));
        assert_eq!(segments[1], Segment::Plain("ミサワ".into()));
        let segments = segment("三菱重工業");
        assert!(matches!(segments.last(), Some(Segment::Word { english, .. }) if english[0] == "heavyindustry" || english.contains(&"heavyindustries".to_string())), "{segments:?}");
    }

    #[test]
    fn a_one_character_word_counts_right_after_another_word() {
        let english = |segments: &[Segment]| -> Vec<String> {
            segments
                .iter()
                .map(|s| match s {
                    Segment::Word { english, .. } => english[0].clone(),
                    Segment::LegalForm { class, .. } => format!("<{class}>"),
                    Segment::Plain(text) => text.clone(),
                })
                .collect()
        };
        // イラン原子力庁, Atomic Energy Organization of Iran.
        assert_eq!(english(&segment("原子力庁")), ["atomicenergy", "agency"]);
        // Inside a name stretch a single character stays part of the name.
        assert_eq!(english(&segment("山部")), ["山部"]);
    }

    #[test]
    fn russian_joint_stock_forms_in_japanese_are_legal_forms() {
        for name in ["公開株式会社ネファズ", "公共株式会社アルロサ", "非公開株式会社モジュール"] {
            let segments = segment(name);
            assert!(matches!(&segments[0], Segment::LegalForm { class: "company", text } if text.ends_with("株式会社") && text.chars().count() > 4), "{segments:?}");
        }
    }

    #[test]
    fn a_name_that_is_only_a_legal_form_is_left_alone() {
        assert_eq!(segment("有限公司").len(), 1);
    }
}
