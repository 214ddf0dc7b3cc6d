//! Han characters: readings in four languages and variant folding.
//!
//! The same company or person is written in Han characters in one record and in Latin
//! letters in another, and the Latin spelling depends on who wrote it down:
//!
//! | reading | used for | example |
//! |---|---|---|
//! | [`Reading::Mandarin`] | PRC and Taiwan names in the US Entity List, OFAC, UN (pinyin) | 华为技术 → hua wei ji shu (Huawei Technologies) |
//! | [`Reading::Cantonese`] | Hong Kong and Macau names; pass each jyutping syllable to [`hk_romanisations`] | 陳 → can → Chan; 張 → zoeng → Cheung |
//! | [`Reading::Korean`] | DPRK and ROK names (hanja); the hangul goes on to `super::hangul` | 金正恩 → 김 정 은 → Kim Jong Un |
//! | [`Reading::JapaneseOn`] | Japanese company names, Sino-Japanese readings | 東芝 → to shiba; 日立 → hitachi via kun + on |
//! | [`Reading::JapaneseKun`] | Japanese native readings, frequent in personal names | 金 → kane; 山田 → yama da |
//!
//! Japanese customer masters write Chinese companies in Japanese forms (集団, 電子), the
//! lists write them in simplified (集团, 电子) or traditional (集團, 電子) forms. Fold each
//! character with [`fold_variant`] before comparing characters; [`readings`] already
//! falls back on a variant's readings when Unihan has none for the character itself
//! (団 has no Mandarin reading in Unihan; it gets `tuan` from 团).
//!
//! ```
//! use sekisho_match::translit::han::{fold_variant, readings, Reading};
//!
//! assert_eq!(readings('金', Reading::Mandarin), ["jin"]);
//! assert_eq!(readings('金', Reading::Korean), ["금", "김"]);
//! assert_eq!(fold_variant('銀'), fold_variant('银'));
//! ```
//!
//! Readings are plain lower-case ASCII (hangul for Korean), most common first:
//!
//! * Mandarin: tone marks stripped. The customary reading (Unihan kMandarin) comes first,
//!   then the other readings of polyphones (行 xing, hang; 长 zhang, chang; 重 zhong,
//!   chong). ü is spelt three ways, all listed, because all three appear in lists:
//!   `lu` (the usual English spelling), `lv` (pinyin input, some lists), `lyu` (PRC
//!   passports): 吕 → lu, lv, lyu. After j, q, x, y it is plain `u` as in pinyin.
//! * Cantonese: jyutping without tone digits.
//! * Japanese: lower-case modified Hepburn with long vowels folded (kou → ko, juu → ju),
//!   as Japanese passports and most company romanisations write them.
//!
//! The data are generated from the Unicode Unihan database by
//! `scripts/gen_han_readings.py` (see that script for the rules and for how to
//! regenerate) and committed in `han/readings.tsv` and `han/variants.tsv`; they carry the
//! Unicode licence notice in `data/UNICODE-LICENSE.txt`. The tables are parsed once, at
//! first use (a few milliseconds); every lookup is then a binary search.

mod hk;

use std::sync::LazyLock;

pub use hk::hk_romanisations;

/// Which reading of a Han character to look up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reading {
    /// Mandarin pinyin without tones.
    Mandarin,
    /// Cantonese jyutping without tones; see [`hk_romanisations`] for Hong Kong spellings.
    Cantonese,
    /// Korean reading as hangul (romanise with `super::hangul`).
    Korean,
    /// Japanese on'yomi (Sino-Japanese), modified Hepburn.
    JapaneseOn,
    /// Japanese kun'yomi (native), modified Hepburn.
    JapaneseKun,
}

impl Reading {
    /// All readings, in table column order.
    pub const ALL: [Reading; 5] = [
        Reading::Mandarin,
        Reading::Cantonese,
        Reading::Korean,
        Reading::JapaneseOn,
        Reading::JapaneseKun,
    ];

    fn column(self) -> usize {
        self as usize
    }
}

/// True for CJK unified ideographs (all blocks up to extension H) and compatibility
/// ideographs: the characters this module has readings for.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x2F800..=0x2FA1F | 0x30000..=0x323AF)
}

/// The readings of `c`, most common first; empty if Unihan gives none (or `c` is not Han).
///
/// Compatibility ideographs (豈 U+F900) answer with their canonical character's readings,
/// which include the readings Unihan gives for the compatibility form.
pub fn readings(c: char, reading: Reading) -> &'static [&'static str] {
    let t = &*TABLES;
    match t.row(canonical(c)) {
        Some(row) => {
            let span = &t.spans[row];
            let col = reading.column();
            &t.pool[span[col] as usize..span[col + 1] as usize]
        }
        None => &[],
    }
}

/// The canonical form of a Han character, so that traditional, simplified and Japanese
/// forms of one character compare equal: 銀 and 银 → 银, 國 → 国, 団 and 團 → 团,
/// 駅 → 驿. Characters without a variant (and non-Han characters) are returned as is.
///
/// Built from Unihan's kSimplifiedVariant (a character that is its own simplified form,
/// such as 乾 or 著, is kept), compatibility decompositions and, for Japanese-only forms,
/// OpenCC's shinjitai → kyūjitai mapping; see `scripts/gen_han_readings.py` for the
/// exact rules. The fold is idempotent.
pub fn fold_variant(c: char) -> char {
    if !is_han(c) {
        return c;
    }
    let t = &*TABLES;
    match t.fold_from.binary_search(&(c as u32)) {
        Ok(i) => t.fold_to[i],
        Err(_) => c,
    }
}

/// True for a simplified Chinese form that Japanese and Korean do not write (陈, 张, 伟; not
/// 国 or 学, which Japan writes too). A name holding one is written in mainland Chinese and
/// romanised in pinyin: its Korean, Japanese and Cantonese readings, which such a character
/// only inherits from its traditional form, find nothing but coincidences.
pub fn is_mainland_simplified(c: char) -> bool {
    is_han(c) && TABLES.simplified.binary_search(&(c as u32)).is_ok()
}

/// One step of [`pinyin_syllables`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syllable {
    /// The pinyin of a Han character.
    Pinyin(&'static str),
    /// A character without Mandarin reading (not Han, or Han without reading), as is.
    Other(char),
}

/// Pinyin for a run of text, one [`Syllable`] per character: the first (most common)
/// reading of each character after [`fold_variant`], except in a few fixed words where
/// another reading is standard (银行 yin hang, 重庆 chong qing, 长江 chang jiang,
/// 厦门 xia men). Use [`readings`] to try every reading of a polyphone.
pub fn pinyin_syllables(run: &str) -> Vec<Syllable> {
    let chars: Vec<char> = run.chars().map(fold_variant).collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    'chars: while i < chars.len() {
        for (word, pinyin) in FIXED_WORDS {
            let n = pinyin.len();
            if chars.len() - i >= n && word.chars().eq(chars[i..i + n].iter().copied()) {
                out.extend(pinyin.iter().map(|p| Syllable::Pinyin(p)));
                i += n;
                continue 'chars;
            }
        }
        out.push(match readings(chars[i], Reading::Mandarin).first() {
            Some(p) => Syllable::Pinyin(p),
            None => Syllable::Other(chars[i]),
        });
        i += 1;
    }
    out
}

/// Words (in folded form) whose standard pinyin is not the first reading of each
/// character. Names in the lists are mostly companies and places, so these are the
/// polyphones that matter there; every reading here is also in the generated table.
const FIXED_WORDS: &[(&str, &[&str])] = &[
    ("银行", &["yin", "hang"]),
    ("长城", &["chang", "cheng"]),
    ("长江", &["chang", "jiang"]),
    ("长沙", &["chang", "sha"]),
    ("长春", &["chang", "chun"]),
    ("长安", &["chang", "an"]),
    ("重庆", &["chong", "qing"]),
    ("厦门", &["xia", "men"]),
];

/// Compatibility ideographs are looked up under their canonical character, the form the
/// matcher sees after NFKC.
fn canonical(c: char) -> char {
    if matches!(c as u32, 0xF900..=0xFAFF | 0x2F800..=0x2FA1F) {
        let mut out = c;
        unicode_normalization::char::decompose_canonical(c, |d| out = d);
        out
    } else {
        c
    }
}

const READINGS_TSV: &str = include_str!("han/readings.tsv");
const VARIANTS_TSV: &str = include_str!("han/variants.tsv");
const SIMPLIFIED_TSV: &str = include_str!("han/simplified.tsv");

/// ü syllables, stored as `v` in the table, and their three spellings (see module docs).
const UMLAUT_SPELLINGS: &[(&str, [&str; 3])] = &[
    ("lv", ["lu", "lv", "lyu"]),
    ("lve", ["lue", "lve", "lyue"]),
    ("nv", ["nu", "nv", "nyu"]),
    ("nve", ["nue", "nve", "nyue"]),
];

struct Tables {
    /// Code points of the rows, ascending.
    chars: Vec<u32>,
    /// Per row, the start of each reading column in `pool`, and the end of the last.
    spans: Vec<[u32; 6]>,
    pool: Vec<&'static str>,
    /// Row of each character in U+3400..=U+9FFF, where almost every lookup lands, so
    /// those skip the binary search; `NO_ROW` where there is none.
    bmp_rows: Vec<u16>,
    fold_from: Vec<u32>,
    fold_to: Vec<char>,
    /// Code points of [`is_mainland_simplified`] characters, ascending.
    simplified: Vec<u32>,
}

const BMP_FIRST: u32 = 0x3400;
const BMP_LAST: u32 = 0x9FFF;
const NO_ROW: u16 = u16::MAX;

static TABLES: LazyLock<Tables> = LazyLock::new(Tables::parse);

impl Tables {
    fn row(&self, c: char) -> Option<usize> {
        let cp = c as u32;
        if (BMP_FIRST..=BMP_LAST).contains(&cp) {
            let row = self.bmp_rows[(cp - BMP_FIRST) as usize];
            return (row != NO_ROW).then_some(row as usize);
        }
        self.chars.binary_search(&cp).ok()
    }

    /// Parse the committed tables. They are generated, so a malformed line is a bug in
    /// the generator and caught by the tests: panicking here is the honest response.
    fn parse() -> Tables {
        let rows = data_lines(READINGS_TSV);
        let mut t = Tables {
            chars: Vec::with_capacity(rows.len()),
            spans: Vec::with_capacity(rows.len()),
            pool: Vec::with_capacity(rows.len() * 4),
            bmp_rows: vec![NO_ROW; (BMP_LAST - BMP_FIRST + 1) as usize],
            fold_from: Vec::new(),
            fold_to: Vec::new(),
            simplified: Vec::new(),
        };
        for line in rows {
            let mut cols = line.split('\t');
            let c = single_char(cols.next().unwrap_or_default(), line);
            let mut span = [0u32; 6];
            for (col, field) in cols.enumerate() {
                span[col] = t.pool.len() as u32;
                for r in field.split(' ').filter(|r| !r.is_empty()) {
                    match UMLAUT_SPELLINGS.iter().find(|(v, _)| *v == r) {
                        Some((_, spellings)) => t.pool.extend_from_slice(spellings),
                        None => t.pool.push(r),
                    }
                }
            }
            span[5] = t.pool.len() as u32;
            if (BMP_FIRST..=BMP_LAST).contains(&(c as u32)) {
                let row = u16::try_from(t.chars.len()).expect("fewer than 65535 rows");
                t.bmp_rows[(c as u32 - BMP_FIRST) as usize] = row;
            }
            t.chars.push(c as u32);
            t.spans.push(span);
        }
        for line in data_lines(VARIANTS_TSV) {
            let (from, to) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("bad line {line:?}"));
            t.fold_from.push(single_char(from, line) as u32);
            t.fold_to.push(single_char(to, line));
        }
        t.simplified = data_lines(SIMPLIFIED_TSV).into_iter().map(|line| single_char(line, line) as u32).collect();
        t
    }
}

fn data_lines(tsv: &'static str) -> Vec<&'static str> {
    tsv.lines().filter(|l| !l.starts_with('#')).collect()
}

fn single_char(s: &str, line: &str) -> char {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => c,
        _ => panic!("han table: expected one character in {line:?}"),
    }
}

#[cfg(test)]
mod tests;
