//! Cross-script keys: every name, whatever its script, becomes one or more readings made of
//! tokens with ASCII Latin spellings, which the index and the scorer compare.
//!
//! A Latin name has one reading. A name in Han characters has one reading per reading system
//! (Mandarin pinyin, Cantonese as Hong Kong writes it, Korean, Japanese on and kun), since
//! 金正恩 is Jin Zheng'en in Chinese and Kim Jong Un in Korean; the scorer takes the best.
//! Hangul and Han names are split into one token per syllable: the scorer joins adjacent
//! tokens where the other side writes them as one word (Jong-un, Jongun).

use sekisho_model::{Schema, Script};

use crate::normalize::{self, Token};
use crate::org::{self, LegalClass, Segment};
use crate::translit::han::{self, Reading};
use crate::translit::{arabic, cyrillic, hangul, kana, other};

/// How a token's Latin spellings were made; explanations name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Latin,
    KanaRomaji,
    HangulRomanization,
    HanMandarin,
    HanCantonese,
    HanKorean,
    HanJapaneseOn,
    HanJapaneseKun,
    Cyrillic,
    Arabic,
    OtherScript,
    /// A word a company name translates (技术 → technology).
    Lexicon,
}

impl Via {
    /// A reading of Han characters.
    pub fn is_han(self) -> bool {
        matches!(self, Via::HanMandarin | Via::HanCantonese | Via::HanKorean | Via::HanJapaneseOn | Via::HanJapaneseKun)
    }

    /// Tokens that romanise one character each (a Han character's reading, mostly one
    /// syllable; a hangul block): their keys keep apart what katakana merges
    /// ([`kana::syllable_key`]).
    fn spells_syllables(self) -> bool {
        self.is_han() || self == Via::HangulRomanization
    }

    pub fn describe(self) -> &'static str {
        match self {
            Via::Latin => "latin",
            Via::KanaRomaji => "katakana→romaji",
            Via::HangulRomanization => "hangul→romanization",
            Via::HanMandarin => "hanzi→pinyin",
            Via::HanCantonese => "hanzi→cantonese",
            Via::HanKorean => "hanja→korean",
            Via::HanJapaneseOn => "kanji→on reading",
            Via::HanJapaneseKun => "kanji→kun reading",
            Via::Cyrillic => "cyrillic→latin",
            Via::Arabic => "arabic→latin",
            Via::OtherScript => "transliteration",
            Via::Lexicon => "translation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    /// Digits: must agree between the two names (Vessel 1 is not Vessel 2).
    Number,
    LegalForm(LegalClass),
}

#[derive(Debug, Clone)]
pub struct KeyToken {
    /// The token as it stands in the folded name (for explanations).
    pub text: String,
    pub kind: TokenKind,
    pub via: Via,
    /// ASCII lower-case spellings, the most usual first; never empty.
    pub spellings: Vec<String>,
    /// Phonetic keys of the spellings (deduplicated): erase what scripts cannot carry.
    pub keys: Vec<String>,
    /// Consonant skeleton, for tokens written in or compared with Arabic script.
    pub skeleton: Option<String>,
    /// Loose keys ([`kana::loose_key`]) of a katakana word, for katakana–Latin comparisons
    /// (Latin words compute theirs on demand: [`KeyToken::loose_keys`]).
    pub loose: Vec<String>,
}

/// One reading of a name: its tokens in order.
#[derive(Debug, Clone)]
pub struct NameReading {
    pub via: Via,
    pub tokens: Vec<KeyToken>,
    /// For names written "FAMILY, Given" (OFAC, the CSL): how many leading tokens are the
    /// family name, so that "Given FAMILY" counts as the same order.
    pub family_first: Option<usize>,
    /// A person's given name written as two or more Chinese or Korean syllables (서연,
    /// 秀英, "RI, Won Ho"): its tokens. It is one name, so meeting one of its syllables is
    /// weaker evidence than meeting a whole word (see [`syllable_given_name`]).
    pub given_syllables: Option<GivenName>,
}

/// A given name written in syllables: its tokens, and whether its place is known (the
/// script or a comma says it) or guessed (the last two words of three without a comma: the
/// family name may stand last, as in "Yun Xia Yuan").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenName {
    pub tokens: std::ops::Range<usize>,
    pub placed: bool,
}

impl NameReading {
    /// Whether any word is katakana (loose keys then meet Latin words).
    pub fn has_kana(&self) -> bool {
        self.tokens.iter().any(|t| t.via == Via::KanaRomaji)
    }
}

/// A name prepared for matching.
#[derive(Debug, Clone)]
pub struct NameKeys {
    pub readings: Vec<NameReading>,
}

/// The Arabic article as Latin lists write it, assimilated or not.
const ARABIC_ARTICLES: [&str; 10] = ["al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ud"];

/// Most spellings kept per token; more cost time without finding more.
const MAX_SPELLINGS: usize = 8;

const HAN_SYSTEMS: [(Reading, Via); 5] = [
    (Reading::Mandarin, Via::HanMandarin),
    (Reading::Cantonese, Via::HanCantonese),
    (Reading::Korean, Via::HanKorean),
    (Reading::JapaneseOn, Via::HanJapaneseOn),
    (Reading::JapaneseKun, Via::HanJapaneseKun),
];

/// Prepares a name. Legal forms are recognised unless the name is a person's (a person
/// called "Ana Co" has no company form).
pub fn name_keys(name: &str, schema: Option<Schema>) -> NameKeys {
    let mut readings = Vec::new();
    for variant in expand_alternates(name, schema == Some(Schema::Person)) {
        readings.extend(variant_readings(&variant, schema, Detail::Matching));
    }
    NameKeys { readings }
}

/// The `index`-th reading of `name_keys(name, schema)` as an explanation shows it: tokens
/// with their texts and spellings, without the keys, skeletons and loose keys matching needs
/// (a listed name is compiled in the index; explaining a match needs only what a reader sees).
/// The readings before it are made only as far as needed to count them.
pub(crate) fn shown_reading(name: &str, schema: Option<Schema>, index: usize) -> Option<NameReading> {
    let mut seen = 0;
    for variant in expand_alternates(name, schema == Some(Schema::Person)) {
        for reading in variant_readings(&variant, schema, Detail::Shown) {
            if seen == index {
                return Some(reading);
            }
            seen += 1;
        }
    }
    None
}

/// How much of each token to make: all that matching compares, or what an explanation shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Matching,
    /// Texts and spellings only.
    Shown,
}

/// A variant's readings, one per reading system (lazily: [`shown_reading`] stops early).
fn variant_readings(name: &str, schema: Option<Schema>, detail: Detail) -> impl Iterator<Item = NameReading> {
    // A person called "Ana Co" has no company form.
    let legal_forms = schema != Some(Schema::Person);
    let folded = normalize::fold(name);
    let person_like = matches!(schema, None | Some(Schema::Person));
    let tokens = without_titles(katakana_initialisms(normalize::tokens(&folded)), person_like);
    let has_han = tokens.iter().any(|t| t.script == Some(Script::Han));
    let systems: &[(Reading, Via)] = if has_han && !mainland_short_name(&tokens) { &HAN_SYSTEMS } else { &HAN_SYSTEMS[..1] };
    let family_first = family_first_tokens(name, person_like);
    let mut pieces = reading_pieces(&tokens, legal_forms, detail);
    systems
        .iter()
        .enumerate()
        .map(move |(n, &(system, via))| {
            // The last system takes the pieces; the others read copies.
            let tokens = if n + 1 == systems.len() {
                reading_tokens(std::mem::take(&mut pieces).into_iter(), (system, via), detail)
            } else {
                reading_tokens(pieces.iter().cloned(), (system, via), detail)
            };
            let via = if has_han { via } else { dominant_via(&tokens) };
            // Only where tokens are the folded words one for one (not Han syllables).
            let family_first = family_first.filter(|&n| !has_han && n < tokens.len());
            let given_syllables = if person_like { syllable_given_name(&tokens, via, family_first) } else { None };
            NameReading { via, tokens, family_first, given_syllables }
        })
        .filter(|r| !r.tokens.is_empty())
}

/// Most Han characters in a personal name (a compound surname and two given characters).
const PERSONAL_NAME_HAN: usize = 4;

/// Whether a name is a short one in mainland simplified characters (陈丽, 张伟), to be read in
/// pinyin only. Read in Korean, Japanese or Cantonese, readings such characters only inherit
/// from their traditional forms, two or three syllables meet namesakes by coincidence (陈丽
/// read jin ryeo is not RYU Jin). A long name cannot meet by coincidence, and Chinese sources
/// do write Korean companies in simplified characters (朝鲜联合机械贸易会社), so long names
/// keep every system.
fn mainland_short_name(tokens: &[Token]) -> bool {
    let han = || tokens.iter().filter(|t| t.script == Some(Script::Han)).flat_map(|t| t.text.chars());
    han().count() <= PERSONAL_NAME_HAN && han().any(han::is_mainland_simplified)
}

/// The names of the Latin letters as katakana writes them (ディー・シー・ビー for DCB).
const LETTER_NAMES: [(&str, &str); 36] = [
    ("エー", "a"), ("エイ", "a"), ("ビー", "b"), ("シー", "c"), ("ディー", "d"), ("デー", "d"),
    ("イー", "e"), ("エフ", "f"), ("ジー", "g"), ("エイチ", "h"), ("エッチ", "h"), ("アイ", "i"),
    ("ジェー", "j"), ("ジェイ", "j"), ("ケー", "k"), ("ケイ", "k"), ("エル", "l"), ("エム", "m"),
    ("エヌ", "n"), ("オー", "o"), ("ピー", "p"), ("キュー", "q"), ("アール", "r"), ("エス", "s"),
    ("ティー", "t"), ("テー", "t"), ("ユー", "u"), ("ヴィー", "v"), ("ブイ", "v"), ("ダブリュー", "w"),
    ("エックス", "x"), ("ワイ", "y"), ("ゼット", "z"), ("ズィー", "z"), ("ゼッド", "z"), ("ヴイ", "v"),
];

/// Initialisms spelt out in katakana, two letter names or more in a row (エル・エル・シー,
/// ディー・シー・ビー), become the Latin word they spell (llc, dcb); one letter name alone is
/// more likely a word of a name (アイ, エム).
fn katakana_initialisms(tokens: Vec<Token>) -> Vec<Token> {
    let letter = |t: &Token| {
        (t.script == Some(Script::Kana)).then(|| LETTER_NAMES.iter().find(|(k, _)| *k == t.text).map(|(_, l)| *l)).flatten()
    };
    if tokens.iter().filter(|t| letter(t).is_some()).count() < 2 {
        return tokens;
    }
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let run = tokens[i..].iter().take_while(|t| letter(t).is_some()).count();
        if run >= 2 {
            let text: String = tokens[i..i + run].iter().filter_map(letter).collect();
            out.push(Token { text, script: Some(Script::Latin) });
            i += run;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

/// Titles and honorifics written as words of their own, folded: Dr., Prof., Mr., Mrs.,
/// 博士 (doctor), 教授 (professor), 先生 (Mr, teacher), 氏 and 様 (Mr/Ms), 박사, 교수, 씨,
/// الدكتور (the doctor), المهندس (the engineer). They name no one: a list may write
/// "DR. MOHAMMAD ESLAMI" where another writes "Mohammad Eslami". (Sheikh, Hajji and the like
/// are left alone: lists carry them as parts of names.)
const TITLES: [&str; 26] = [
    "dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "messrs", "mme", "mlle", "herr", "frau",
    "博士", "教授", "先生", "女士", "氏", "様", "殿", "さん", "박사", "교수", "씨", "님", "الدكتور", "المهندس",
];

/// Honorifics that Japanese and Chinese write straight after a name in Han characters
/// (山田太郎博士, 王建国先生), longest first.
const HAN_TITLE_SUFFIXES: [&str; 6] = ["博士", "教授", "先生", "女士", "氏", "様"];

/// Drops what names no one from a name's tokens:
/// - in names of persons (or of unknown schema), titles and honorifics ([`TITLES`]), as long
///   as a word is left;
/// - the ordinal prefix 第 before a number (株式会社第356航空機修理工場 is "356 Aircraft
///   Repair Plant"), which no Latin spelling writes.
fn without_titles(tokens: Vec<Token>, person_like: bool) -> Vec<Token> {
    let is_title = |t: &Token| person_like && TITLES.contains(&t.text.as_str());
    let ordinal = |i: usize| {
        tokens[i].script == Some(Script::Han)
            && tokens[i].text.ends_with('第')
            && tokens.get(i + 1).is_some_and(|n| n.script.is_none())
    };
    let han_suffix = |t: &Token| {
        (person_like && t.script == Some(Script::Han))
            .then(|| HAN_TITLE_SUFFIXES.iter().find(|s| t.text.ends_with(*s) && t.text.chars().count() >= s.chars().count() + 2))
            .flatten()
    };
    let changes = (0..tokens.len()).any(|i| is_title(&tokens[i]) || ordinal(i) || han_suffix(&tokens[i]).is_some());
    if !changes || tokens.iter().all(|t| is_title(t) || t.script.is_none()) {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if is_title(t) {
            continue;
        }
        let mut text = t.text.as_str();
        if ordinal(i) {
            text = &text[..text.len() - '第'.len_utf8()];
        }
        if let Some(suffix) = han_suffix(t) {
            text = &text[..text.len() - suffix.len()];
        }
        if !text.is_empty() {
            out.push(Token { text: text.to_string(), script: t.script });
        }
    }
    out
}

/// Most spelling alternatives a bracketed name expands into.
const MAX_ALTERNATES: usize = 6;

/// Lists write alternative spellings of a word in brackets right after it:
/// "Aleksey(Aleksei/Oleksiy) KARYAKIN(KARIAKIN)", "アレクセイ(オレクシー)・モズゴヴォイ". The name
/// without the brackets comes first, then one name per alternative, each substituted for its
/// word. Brackets after a space ("ACME (formerly X)") are not alternatives and stay as they are.
///
/// With `spaced` (person names), a bracketed single word after a space is an alternative too:
/// lists write "Yurii (Yuriy) TELIKANOV", "Konstantin KUZJMIN (KUZMIN)".
pub fn expand_alternates(name: &str, spaced: bool) -> Vec<String> {
    // Most names have no brackets at all.
    if !name.contains(['(', '（']) {
        return vec![name.to_string()];
    }
    let is_separator = |c: char| c.is_whitespace() || matches!(c, '・' | '･' | ',' | '、' | '=' | '＝');
    // (start of the word, end of the word, alternatives, end of the bracket)
    let mut slots: Vec<(usize, usize, Vec<&str>, usize)> = Vec::new();
    let mut word_start = 0;
    // The last word before a run of spaces (for "Yurii (Yuriy)").
    let mut last_word: Option<(usize, usize)> = None;
    let mut chars = name.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_separator(c) {
            if i > word_start {
                last_word = c.is_whitespace().then_some((word_start, i));
            } else if !c.is_whitespace() {
                last_word = None;
            }
            word_start = i + c.len_utf8();
        } else if c == '(' || c == '（' {
            // After a closing quote the bracket says something about the quoted name
            // (「ドネツク共和国」(自称), "self-proclaimed"): it is no spelling of a word.
            if name[..i].ends_with(['」', '』', '”', '"', '’', '\'', '»', ')', '）']) {
                continue;
            }
            let word = if i > word_start { Some((word_start, i)) } else { last_word.filter(|_| spaced) };
            let Some((start, end)) = word else { continue };
            let inner_start = i + c.len_utf8();
            let Some(close) = name[inner_start..].find([')', '）']).map(|k| inner_start + k) else { break };
            let inner = &name[inner_start..close];
            let alternatives: Vec<&str> = inner.split(['/', '／', ',', '、']).map(str::trim).filter(|a| !a.is_empty()).collect();
            // Alternatives are single words ("Sergei, Sergej"); "(formerly Bad Corp)" is not.
            if alternatives.is_empty() || inner.contains(['(', '（']) || alternatives.iter().any(|a| a.contains(char::is_whitespace)) {
                continue;
            }
            // After a space only a word of letters is an alternative, not "(2)" or "(HK Ltd.)".
            let is_word = |a: &&str| a.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\''));
            if i == word_start && !alternatives.iter().all(is_word) {
                continue;
            }
            let close_len = name[close..].chars().next().map_or(1, char::len_utf8);
            slots.push((start, end, alternatives, close + close_len));
            last_word = None;
            while chars.peek().is_some_and(|&(j, _)| j < close + close_len) {
                chars.next();
            }
            word_start = close + close_len;
        }
    }
    if slots.is_empty() {
        return vec![name.to_string()];
    }
    // Rebuild the name with slot `k` (if any) spelled `alternative`.
    let build = |replace: Option<(usize, &str)>| {
        let mut out = String::with_capacity(name.len());
        let mut at = 0;
        for (k, (start, end, _, after)) in slots.iter().enumerate() {
            out.push_str(&name[at..*start]);
            match replace {
                Some((slot, alternative)) if slot == k => out.push_str(alternative),
                _ => out.push_str(&name[*start..*end]),
            }
            at = *after;
        }
        out.push_str(&name[at..]);
        out
    };
    let mut variants = vec![build(None)];
    for (k, (_, _, alternatives, _)) in slots.iter().enumerate() {
        for alternative in alternatives {
            if variants.len() == MAX_ALTERNATES {
                return variants;
            }
            variants.push(build(Some((k, alternative))));
        }
    }
    variants
}

/// "KIM, Jong Un" → Some(1): one comma, with words on both sides.
fn family_first_tokens(name: &str, person_like: bool) -> Option<usize> {
    let (family, given) = name.split_once(',')?;
    if given.contains(',') {
        return None;
    }
    // Counted as the name's tokens are made, titles left out ("DR ALI KHAN, Mohammad").
    let count = |part: &str| without_titles(katakana_initialisms(normalize::tokens(&normalize::fold(part))), person_like).len();
    let (family, given) = (count(family), count(given));
    (family > 0 && given > 0).then_some(family)
}

/// The given name of a person's name made of Chinese or Korean syllables, when it has two or
/// more: 서연 of 김서연, 秀英 of 李秀英 (read in Chinese or Korean), "Won Ho" of "RI, Won Ho" or
/// "RI WON HO". Such a given name is one name written in syllables, unlike "John Paul"
/// (two names, either of which is often left out), so 李芳 read "ri ho" against RI, Won Ho
/// has met half a name.
/// - A name in hangul or Han characters of exactly three syllables (a one-syllable family
///   name and a two-syllable given name, by far the most common shape), read in Korean or
///   Chinese: a Japanese reading splits no such given name (田中博 is 田中 and 博).
/// - A Latin name of three words or more, each a syllable that Chinese or Korean names are
///   romanised in ([`is_name_syllable`]): the words after the comma ("KIM, Jong Un"), or
///   without one, the last two of three, as lists write Korean names (RI WON HO); a guess,
///   since the family name may stand last (Yun Xia Yuan).
fn syllable_given_name(tokens: &[KeyToken], via: Via, family_first: Option<usize>) -> Option<GivenName> {
    let words_by = |v: Via| tokens.iter().all(|t| t.kind == TokenKind::Word && t.via == v);
    match via {
        Via::HangulRomanization | Via::HanMandarin | Via::HanCantonese | Via::HanKorean => {
            (tokens.len() == 3 && words_by(via)).then_some(GivenName { tokens: 1..3, placed: true })
        }
        Via::Latin if tokens.len() >= 3 && words_by(Via::Latin) => {
            let given = match family_first {
                Some(family) => GivenName { tokens: family..tokens.len(), placed: true },
                None if tokens.len() == 3 => GivenName { tokens: 1..3, placed: false },
                None => return None,
            };
            let syllables = tokens.iter().all(|t| t.spellings.first().is_some_and(|s| is_name_syllable(s)));
            (given.tokens.len() >= 2 && syllables).then_some(given)
        }
        _ => None,
    }
}

/// Whether a Latin word is a syllable as Chinese and Korean names are romanised: a Mandarin
/// reading in pinyin, a Cantonese one as Hong Kong spells it, or a Korean one in the
/// spellings Korean names use (jong, chol, ryong), of any Han character. (Korean given names
/// are almost all Sino-Korean; "Jong", "Won", "Ho" are syllables, "John", "Maria" are not.)
pub(crate) fn is_name_syllable(word: &str) -> bool {
    NAME_SYLLABLES.contains(word)
}

static NAME_SYLLABLES: std::sync::LazyLock<std::collections::HashSet<String>> = std::sync::LazyLock::new(|| {
    let mut readings: [std::collections::BTreeSet<&'static str>; 3] = Default::default();
    let systems = [Reading::Mandarin, Reading::Cantonese, Reading::Korean];
    for c in (0x4E00..=0x9FFF).filter_map(char::from_u32) {
        for (set, system) in readings.iter_mut().zip(systems) {
            set.extend(han::readings(c, system).iter().copied());
        }
    }
    let [mandarin, cantonese, korean] = readings;
    let mut syllables: std::collections::HashSet<String> = mandarin.into_iter().map(str::to_string).collect();
    syllables.extend(cantonese.into_iter().flat_map(han::hk_romanisations));
    syllables.extend(korean.into_iter().flat_map(|k| hangul::syllable_variants(k).into_iter().flatten()));
    syllables
});

fn dominant_via(tokens: &[KeyToken]) -> Via {
    tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.via)
        .find(|v| *v != Via::Latin && *v != Via::Lexicon)
        .unwrap_or(Via::Latin)
}

/// A token of a reading before the reading system is chosen: most tokens are the same in
/// every system, and are made once for all five readings of a name in Han characters.
#[derive(Clone)]
enum Piece {
    Fixed(KeyToken),
    /// A lexicon word: its English translations, then (made per system) its reading.
    Lexicon { text: String, english: Vec<String> },
    /// Han characters the lexicon does not know: one token each, read in the system.
    Han(String),
}

/// The pieces of a variant's folded tokens: legal forms, words of each script, and CJK runs
/// segmented into legal forms, lexicon words and plain stretches.
fn reading_pieces(tokens: &[Token], legal_forms: bool, detail: Detail) -> Vec<Piece> {
    let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    let mut out = Vec::with_capacity(tokens.len() + 2);
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        if let Some((class, n)) = org::legal_form_at(&texts, i).filter(|_| legal_forms) {
            let text = texts[i..i + n].join(" ");
            out.push(Piece::Fixed(legal_token(text, class)));
            i += n;
            continue;
        }
        let fixed = match token.script {
            None if token.text.bytes().all(|b| b.is_ascii_digit()) => {
                word(token.text.clone(), TokenKind::Number, Via::Latin, vec![token.text.clone()], detail)
            }
            None | Some(Script::Latin) => {
                let mut t = word(token.text.clone(), TokenKind::Word, Via::Latin, vec![token.text.clone()], detail);
                let article = ARABIC_ARTICLES.contains(&token.text.as_str());
                if detail == Detail::Matching && article {
                    // al-, el-, ad-, ash-… are one article however it is spelt.
                    t.keys = vec!["al".to_string()];
                } else if detail == Detail::Matching {
                    // Latin spellings of Arabic names differ in vowels and doubling
                    // (Sayyid, Sayed); the consonant skeleton is what they share.
                    t.skeleton = Some(arabic::latin_skeleton(&token.text)).filter(|k| !k.is_empty());
                }
                t
            }
            Some(Script::Cyrillic) => {
                word(token.text.clone(), TokenKind::Word, Via::Cyrillic, cyrillic::romanize(&token.text), detail)
            }
            Some(Script::Arabic) => {
                let mut t = word(token.text.clone(), TokenKind::Word, Via::Arabic, arabic::romanize(&token.text), detail);
                if detail == Detail::Matching {
                    t.skeleton = Some(arabic::skeleton(&token.text));
                }
                t
            }
            Some(Script::Kana | Script::Hangul | Script::Han) => {
                cjk_pieces(&token.text, token.script, legal_forms, detail, &mut out);
                i += 1;
                continue;
            }
            Some(_) => word(token.text.clone(), TokenKind::Word, Via::OtherScript, vec![other::romanize(&token.text)], detail),
        };
        out.push(Piece::Fixed(fixed));
        i += 1;
    }
    out
}

fn cjk_pieces(run: &str, script: Option<Script>, legal_forms: bool, detail: Detail, out: &mut Vec<Piece>) {
    let segments = if legal_forms { org::segment(run) } else { vec![Segment::Plain(run.to_string())] };
    for segment in segments {
        match segment {
            Segment::LegalForm { text, class } => out.push(Piece::Fixed(legal_token(text, class))),
            Segment::Word { text, english } => out.push(Piece::Lexicon { text, english }),
            Segment::Plain(text) => match script {
                Some(Script::Kana) => {
                    let variants = kana::name_variants(&text);
                    out.push(Piece::Fixed(word(text, TokenKind::Word, Via::KanaRomaji, variants, detail)));
                }
                Some(Script::Hangul) => {
                    for (syllable, variants) in text.chars().zip(hangul::syllable_variants(&text)) {
                        let t = word(syllable.to_string(), TokenKind::Word, Via::HangulRomanization, variants, detail);
                        out.push(Piece::Fixed(t));
                    }
                }
                _ => out.push(Piece::Han(text)),
            },
        }
    }
}

/// A reading's tokens from its pieces, in one reading system (`han_via` names it).
fn reading_tokens(pieces: impl Iterator<Item = Piece>, (system, han_via): (Reading, Via), detail: Detail) -> Vec<KeyToken> {
    let mut out = Vec::with_capacity(pieces.size_hint().0 + 2);
    for piece in pieces {
        match piece {
            Piece::Fixed(t) => out.push(t),
            Piece::Lexicon { text, english } => {
                let mut spellings = english;
                // Some English names transliterate the word instead (科技 → Keji).
                if let Some(reading) = han_reading_joined(&text, system) {
                    spellings.push(reading);
                }
                out.push(word(text, TokenKind::Word, Via::Lexicon, spellings, detail));
            }
            Piece::Han(text) => {
                for c in text.chars() {
                    let spellings = han_char_spellings(c, system);
                    if !spellings.is_empty() {
                        out.push(word(c.to_string(), TokenKind::Word, han_via, spellings, detail));
                    }
                }
            }
        }
    }
    out.retain(|t| !t.spellings.is_empty() && t.spellings.iter().any(|s| !s.is_empty()));
    out
}

/// The spellings of one Han character in one reading system. Korean readings are hangul,
/// romanised the way Korean names are.
fn han_char_spellings(c: char, system: Reading) -> Vec<String> {
    let readings = han::readings(c, system);
    if system == Reading::Korean {
        let mut spellings = Vec::new();
        for hangul_reading in readings.iter().take(2) {
            for v in hangul::syllable_variants(hangul_reading).into_iter().flatten() {
                if !spellings.contains(&v) {
                    spellings.push(v);
                }
            }
        }
        return spellings;
    }
    if system == Reading::Cantonese {
        // Hong Kong writes Cantonese in its own spellings (陳 can → Chan, 張 zoeng → Cheung),
        // not in jyutping, whose letters (c, z, oe) read otherwise in a Latin name.
        let mut spellings = Vec::new();
        for jyutping in readings.iter().take(2) {
            let hk = han::hk_romanisations(jyutping);
            // (A syllable the spelling rules do not know keeps its jyutping.)
            let hk = if hk.is_empty() { vec![jyutping.to_string()] } else { hk };
            for s in hk.into_iter().take(3) {
                if !spellings.contains(&s) {
                    spellings.push(s);
                }
            }
        }
        return spellings;
    }
    readings.iter().take(3).map(|r| r.to_string()).collect()
}

fn han_reading_joined(text: &str, system: Reading) -> Option<String> {
    let mut joined = String::new();
    for c in text.chars() {
        joined.push_str(han_char_spellings(c, system).first()?);
    }
    Some(joined)
}

fn legal_token(text: String, class: LegalClass) -> KeyToken {
    KeyToken {
        text,
        kind: TokenKind::LegalForm(class),
        via: Via::Latin,
        spellings: vec![format!("<{class}>")],
        keys: vec![],
        skeleton: None,
        loose: vec![],
    }
}

fn word(text: String, kind: TokenKind, via: Via, mut spellings: Vec<String>, detail: Detail) -> KeyToken {
    spellings.retain(|s| !s.is_empty());
    spellings.dedup();
    spellings.truncate(MAX_SPELLINGS);
    if detail == Detail::Shown {
        return KeyToken { text, kind, via, spellings, keys: vec![], skeleton: None, loose: vec![] };
    }
    let mut keys: Vec<String> = Vec::with_capacity(spellings.len());
    if kind == TokenKind::Word {
        for s in &spellings {
            let key = spelling_key(via, s);
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    // Syllables meet katakana on loose keys, as Latin words do, since their own keys keep
    // apart what katakana merges.
    let loose = if kind == TokenKind::Word && (via == Via::KanaRomaji || via.spells_syllables()) {
        let mut loose: Vec<String> = spellings.iter().map(|s| kana::loose_key(s)).collect();
        loose.dedup();
        loose
    } else {
        vec![]
    };
    KeyToken { text, kind, via, spellings, keys, skeleton: None, loose }
}

/// The key of a token's spelling: a syllable's ([`kana::syllable_key`]) for the readings of
/// Han characters and hangul, else the [`kana::phonetic_key`].
pub(crate) fn spelling_key(via: Via, spelling: &str) -> String {
    if via.spells_syllables() { kana::syllable_key(spelling) } else { kana::phonetic_key(spelling) }
}

impl KeyToken {
    /// Loose keys for katakana–Latin comparison: a katakana word's own, or a short Latin
    /// word's, computed on demand (Latin words are many; only katakana queries need them).
    pub fn loose_keys(&self) -> Vec<String> {
        match (&self.kind, self.via) {
            (TokenKind::Word, via) if via == Via::KanaRomaji || via.spells_syllables() => self.loose.clone(),
            // Korean names are what katakana renders by ear most often; their syllables are short.
            (TokenKind::Word, Via::Latin) if self.text.len() <= MAX_LOOSE_LATIN => {
                // A Latin word's one key is its text's phonetic key (but for the article,
                // whose key is "al"): loosen it rather than make it again.
                let loose = match self.keys.first() {
                    Some(key) if !ARABIC_ARTICLES.contains(&self.text.as_str()) => kana::loosen(key),
                    _ => kana::loose_key(&self.text),
                };
                vec![loose]
            }
            _ => vec![],
        }
    }

    /// Keys by ear ([`kana::by_ear`]) for scoring katakana against Latin words: a katakana
    /// word's from its phonetic keys, a Latin word's from its one key. Not posted in the index
    /// (as short as they are, they would bring every Latin name with those consonants); the
    /// words meet on them once the rest of the name has made them candidates.
    pub fn ear_keys(&self) -> Vec<String> {
        let mut ear: Vec<String> = match (&self.kind, self.via) {
            (TokenKind::Word, Via::KanaRomaji) => self.keys.iter().map(|k| kana::by_ear(k)).collect(),
            (TokenKind::Word, Via::Latin) if !ARABIC_ARTICLES.contains(&self.text.as_str()) => {
                self.keys.first().map(|key| kana::by_ear(key)).into_iter().collect()
            }
            _ => vec![],
        };
        ear.retain(|k| kana::ear_letters(k) >= kana::MIN_EAR);
        ear.dedup();
        ear
    }
}

/// Latin words longer than this get no loose key: they are not the syllables katakana blurs.
const MAX_LOOSE_LATIN: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn spellings(name: &str) -> Vec<Vec<String>> {
        name_keys(name, None).readings[0].tokens.iter().map(|t| t.spellings.clone()).collect()
    }

    /// Given names of Chinese and Korean persons written in syllables, in their script or in
    /// Latin letters; not Western names, not Japanese readings, not organisations.
    #[test]
    fn given_names_written_in_syllables_are_found() {
        let given = |name: &str, schema| name_keys(name, schema).readings.iter().map(|r| (r.via, r.given_syllables.clone())).collect::<Vec<_>>();
        let person = Some(Schema::Person);
        let placed = |placed| Some(GivenName { tokens: 1..3, placed });
        assert_eq!(given("김서연", person), [(Via::HangulRomanization, placed(true))]);
        assert_eq!(given("RI, Won Ho", person), [(Via::Latin, placed(true))]);
        assert_eq!(given("ZHANG, Xiao Ming", None), [(Via::Latin, placed(true))]);
        assert_eq!(given("CHAN, Tai Man", person), [(Via::Latin, placed(true))]);
        // Without a comma, the family name may be first or last.
        assert_eq!(given("PAK YONG SIK", person), [(Via::Latin, placed(false))]);
        assert_eq!(given("Yun Xia Yuan", person), [(Via::Latin, placed(false))]);
        for name in ["SMITH, John Paul", "Maria Elena Ruiz", "Zhang Wei", "Kim Jong Un Nam Il"] {
            assert_eq!(given(name, person), [(Via::Latin, None)], "{name}");
        }
        assert_eq!(given("KIM, Jong Il", Some(Schema::Organization)), [(Via::Latin, None)]);
        // Read in Chinese or Korean the three characters are family name and given name; a
        // Japanese three-character name is mostly a two-character family name and one more.
        for (via, syllables) in given("李秀英", person) {
            let expected = matches!(via, Via::HanMandarin | Via::HanCantonese | Via::HanKorean).then_some(GivenName { tokens: 1..3, placed: true });
            assert_eq!(syllables, expected, "{via:?}");
        }
        assert!(given("李芳", person).iter().all(|(_, g)| g.is_none()));
        for syllable in ["jong", "chol", "ryong", "kyong", "zhang", "xiao", "cheung", "wong", "ho", "won"] {
            assert!(is_name_syllable(syllable), "{syllable}");
        }
        for word in ["john", "paul", "maria", "smith", "elena"] {
            assert!(!is_name_syllable(word), "{word}");
        }
    }

    #[test]
    fn latin_names_have_one_reading_with_legal_forms_marked() {
        let keys = name_keys("ACME Trading Co., Ltd.", None);
        assert_eq!(keys.readings.len(), 1);
        let kinds: Vec<_> = keys.readings[0].tokens.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TokenKind::Word, TokenKind::Word, TokenKind::LegalForm("company")]);
    }

    #[test]
    fn bracketed_alternatives_become_names_of_their_own() {
        assert_eq!(
            expand_alternates("Aleksey(Aleksei/Oleksiy) KARYAKIN(KARIAKIN)", false),
            ["Aleksey KARYAKIN", "Aleksei KARYAKIN", "Oleksiy KARYAKIN", "Aleksey KARIAKIN"]
        );
        assert_eq!(expand_alternates("アレクセイ(オレクシー)・モズゴヴォイ", false), ["アレクセイ・モズゴヴォイ", "オレクシー・モズゴヴォイ"]);
        assert_eq!(expand_alternates("ACME (formerly Bad Corp)", true), ["ACME (formerly Bad Corp)"]);
        assert_eq!(expand_alternates("broken(bracket", false), ["broken(bracket"]);
        // A note after a quoted name is not a spelling of it.
        assert_eq!(expand_alternates("「ドネツク共和国」(自称)", false), ["「ドネツク共和国」(自称)"]);
        assert_eq!(expand_alternates("“Free Donbass”(Donbas)", false), ["“Free Donbass”(Donbas)"]);
    }

    #[test]
    fn initialisms_spelt_in_katakana_become_latin() {
        let words = |name: &str| -> Vec<String> {
            name_keys(name, None).readings[0].tokens.iter().map(|t| t.spellings[0].clone()).collect()
        };
        assert_eq!(words("ディー・シー・ビー・ファイナンス"), ["dcb", "finance"]);
        assert_eq!(words("パルセック・エル・エル・シー")[1], "<llc>");
        assert_eq!(words("アイ・ソン")[0], "ai");
    }

    #[test]
    fn a_bracketed_word_after_a_space_is_an_alternative_in_person_names() {
        assert_eq!(expand_alternates("Yurii (Yuriy) TELIKANOV", true), ["Yurii TELIKANOV", "Yuriy TELIKANOV"]);
        assert_eq!(expand_alternates("Konstantin KUZJMIN (KUZMIN)", true), ["Konstantin KUZJMIN", "Konstantin KUZMIN"]);
        assert_eq!(expand_alternates("Yurii (Yuriy) TELIKANOV", false), ["Yurii (Yuriy) TELIKANOV"]);
        assert_eq!(expand_alternates("ACME (HK)", false), ["ACME (HK)"]);
        assert_eq!(expand_alternates("Vessel (2)", true), ["Vessel (2)"]);
        assert_eq!(expand_alternates("Yurii (Yuriy, Yuri) T", true), ["Yurii T", "Yuriy T", "Yuri T"]);
        assert_eq!(expand_alternates("Sergey(Sergei, Serhii) YELISEYEV", true), ["Sergey YELISEYEV", "Sergei YELISEYEV", "Serhii YELISEYEV"]);
    }

    #[test]
    fn numbers_are_their_own_tokens() {
        let keys = name_keys("Vessel 1", Some(Schema::Vessel));
        assert_eq!(keys.readings[0].tokens[1].kind, TokenKind::Number);
    }

    #[test]
    fn han_names_get_a_reading_per_system() {
        let keys = name_keys("金正恩", Some(Schema::Person));
        assert_eq!(keys.readings.len(), 5);
        let korean = keys.readings.iter().find(|r| r.via == Via::HanKorean).unwrap();
        assert!(korean.tokens[0].spellings.contains(&"kim".to_string()), "{:?}", korean.tokens[0]);
        let mandarin = keys.readings.iter().find(|r| r.via == Via::HanMandarin).unwrap();
        assert_eq!(mandarin.tokens[0].spellings[0], "jin");
    }

    #[test]
    fn shown_readings_are_name_keys_readings_without_keys() {
        let names = [
            ("Aleksey(Aleksei/Oleksiy) KARYAKIN(KARIAKIN)", Schema::Person),
            ("KIM, Jong Un", Schema::Person),
            ("金正恩", Schema::Person),
            ("華為技術有限公司", Schema::Company),
            ("アレクセイ(オレクシー)・モズゴヴォイ", Schema::Person),
            ("ディー・シー・ビー・ファイナンス株式会社", Schema::Company),
            ("Сергей Шойгу", Schema::Person),
            ("عبد الله الأحمد", Schema::Person),
            ("김정은", Schema::Person),
            ("ACME Trading Co., Ltd. 2", Schema::Organization),
        ];
        for (name, schema) in names {
            let full = name_keys(name, Some(schema)).readings;
            assert!(shown_reading(name, Some(schema), full.len()).is_none(), "{name}");
            for (i, reading) in full.iter().enumerate() {
                let shown = shown_reading(name, Some(schema), i).unwrap();
                assert_eq!((shown.via, shown.family_first), (reading.via, reading.family_first), "{name} {i}");
                let parts = |r: &NameReading| -> Vec<(String, TokenKind, Via, Vec<String>)> {
                    r.tokens.iter().map(|t| (t.text.clone(), t.kind, t.via, t.spellings.clone())).collect()
                };
                assert_eq!(parts(&shown), parts(reading), "{name} {i}");
                assert!(shown.tokens.iter().all(|t| t.keys.is_empty() && t.skeleton.is_none()));
            }
        }
    }

    #[test]
    fn latin_loose_keys_are_the_loose_keys_of_their_text() {
        let keys = name_keys("Al Sung Kim ad Ri 7 Abdulrahman Co", Some(Schema::Person));
        let words: Vec<&KeyToken> = keys.readings[0].tokens.iter().filter(|t| t.kind == TokenKind::Word).collect();
        assert!(words.iter().any(|t| t.text == "al") && words.iter().any(|t| t.text == "ad"), "{words:?}");
        assert!(words.iter().any(|t| t.text.len() > MAX_LOOSE_LATIN), "{words:?}");
        for t in words {
            let expected = if t.text.len() <= MAX_LOOSE_LATIN { vec![kana::loose_key(&t.text)] } else { vec![] };
            assert_eq!(t.loose_keys(), expected, "{}", t.text);
        }
    }

    #[test]
    fn titles_and_ordinals_name_no_one() {
        let words = |name: &str, schema: Schema| -> Vec<String> {
            name_keys(name, Some(schema)).readings[0].tokens.iter().map(|t| t.text.clone()).collect()
        };
        assert_eq!(words("DR. MOHAMMAD ESLAMI", Schema::Person), ["mohammad", "eslami"]);
        assert_eq!(words("モハンマド・エスラーミー博士", Schema::Person), ["モハンマド", "エスラーミー"]);
        assert_eq!(words("Prof. Abdul Qadeer Khan", Schema::Person), ["abdul", "qadeer", "khan"]);
        assert_eq!(words("김정은 박사", Schema::Person), ["김", "정", "은"]);
        assert_eq!(words("الدكتور أيمن الظواهري", Schema::Person).len(), 2);
        // The family part before the comma is counted without its title.
        let first = |name: &str| name_keys(name, Some(Schema::Person)).readings[0].family_first;
        assert_eq!(first("DR ALI KHAN, Mohammad Reza"), Some(2));
        assert_eq!(first("ALI KHAN, Mohammad Reza"), Some(2));
        // A title alone is the name; organisations keep their words.
        assert_eq!(words("Dr", Schema::Person), ["dr"]);
        assert_eq!(words("Dr Reddy Laboratories", Schema::Organization)[0], "dr");
        // 第 before a number is an ordinal: 株式会社第356航空機修理工場 is "356 Aircraft Repair Plant".
        let org = words("株式会社第356航空機修理工場", Schema::Company);
        assert!(!org.iter().any(|w| w.contains('第')), "{org:?}");
        assert!(org.contains(&"356".to_string()));
    }

    #[test]
    fn katakana_and_latin_words_have_keys_by_ear_for_scoring() {
        let ears = |name: &str| -> Vec<Vec<String>> {
            name_keys(name, Some(Schema::Person)).readings[0].tokens.iter().map(KeyToken::ear_keys).collect()
        };
        let (kana, latin) = (ears("ジェームズ・パーカー"), ears("James PARKER"));
        assert!(kana[0].contains(&latin[0][0]) && kana[1].contains(&latin[1][0]), "{kana:?} {latin:?}");
        // Two letters say too little (Pine, パイン: p.n.); the article has none; nor do Han words.
        assert_eq!(ears("Pine al-Rashid")[..2], [Vec::<String>::new(), vec![]]);
        assert!(ears("金正恩").iter().all(Vec::is_empty));
        // Scoring compiles them; the index does not post them (loose keys stay as they were).
        let token = &name_keys("Williams", Some(Schema::Person)).readings[0].tokens[0];
        assert!(!token.loose_keys().iter().any(|k| token.ear_keys().contains(k)));
    }

    #[test]
    fn hangul_names_split_into_syllables() {
        let s = spellings("김정은");
        assert_eq!(s.len(), 3);
        assert!(s[0].contains(&"kim".to_string()));
        assert!(s[2].contains(&"un".to_string()) || s[2].contains(&"eun".to_string()));
    }

    /// A short name in mainland simplified characters is read in pinyin only; traditional or
    /// Japanese forms, and long names, in every system.
    #[test]
    fn short_mainland_names_are_read_in_pinyin_only() {
        let systems = |name: &str| -> Vec<Via> { name_keys(name, None).readings.iter().map(|r| r.via).collect() };
        assert_eq!(systems("陈丽"), [Via::HanMandarin]);
        assert_eq!(systems("张伟"), [Via::HanMandarin]);
        assert_eq!(systems("陳麗").len(), 5);
        assert_eq!(systems("王芳").len(), 5, "characters Japan and Korea write too");
        assert_eq!(systems("国立大学").len(), 5, "simplified forms Japan writes too");
        assert_eq!(systems("朝鲜联合机械贸易会社").len(), 5, "a long name keeps every system");
    }

    /// Cantonese readings are spelt as Hong Kong writes names (Chan, Cheung), not in jyutping.
    #[test]
    fn cantonese_readings_are_hong_kong_spellings() {
        let cantonese = name_keys("陳張", Some(Schema::Person)).readings.into_iter().find(|r| r.via == Via::HanCantonese);
        let tokens = cantonese.expect("a Cantonese reading").tokens;
        assert_eq!(tokens[0].spellings[0], "chan");
        assert_eq!(tokens[1].spellings[0], "cheung");
        assert!(!tokens.iter().any(|t| t.spellings.contains(&"can".to_string()) || t.spellings.contains(&"zoeng".to_string())));
    }

    /// Han and hangul syllables keep their final ng and vowel apart (静 jing is not Jin, 周 chu
    /// not Chi, 정 jong not Jon) and meet katakana on loose keys, where those folds apply.
    #[test]
    fn han_syllables_keep_what_katakana_merges() {
        let token = |name: &str, via: Via| -> KeyToken {
            let reading = name_keys(name, Some(Schema::Person)).readings.into_iter().find(|r| r.via == via).expect("reading");
            reading.tokens.into_iter().next().expect("a token")
        };
        let latin_key = |name: &str| token(name, Via::Latin).keys[0].clone();
        let jing = token("静", Via::HanMandarin);
        assert!(!jing.keys.contains(&latin_key("Jin")), "{:?}", jing.keys);
        assert!(jing.spellings.contains(&"jing".to_string()), "meets Jing spelt alike");
        assert!(!token("周", Via::HanKorean).keys.contains(&latin_key("Chi")));
        // 正 (Korean jeong, jong) and katakana ジョン share a loose key.
        let jong = token("正", Via::HanKorean);
        assert!(token("ジョン", Via::KanaRomaji).loose_keys().iter().any(|k| jong.loose_keys().contains(k)));
        // 정 (jeong, jong) is not 전 Jon.
        assert!(!token("정", Via::HangulRomanization).keys.contains(&latin_key("Jon")));
    }
}
