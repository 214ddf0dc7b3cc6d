//! Korean (hangul) into Latin keys.
//!
//! # Decomposition
//!
//! A precomposed syllable U+AC00..=U+D7A3 is `0xAC00 + (initial * 21 + medial) * 28 + final`
//! (19 initials, 21 medials, 28 finals counting "no final"), so it is split arithmetically, with
//! no table. Conjoining jamo (U+1100.., U+1161.., U+11A8..) that arrive uncomposed are put
//! together the same way (initial + medial + optional final), and the compatibility jamo block
//! (U+3131..U+3163, e.g. `ㄱ`, `ㅏ`) is read as the letters it shows. A jamo that does not form
//! a syllable is spelled on its own (`ㄱ` → `g`). Archaic jamo outside the modern alphabet are
//! dropped: they do not occur in names on sanctions lists.
//!
//! # Systems
//!
//! * **Revised Romanization** (RR, ROK 2000) spells letters: `ㄱ ㄷ ㅂ ㅈ` are `g d b j` before a
//!   vowel and `k t p` at the end of a syllable, `ㅓ` is `eo`, `ㅡ` is `eu`. For ordinary words RR
//!   transcribes the sound changes between syllables (liaison `한국어` → `hangugeo`, nasalisation
//!   `백마` → `baengma`, lateralisation `신라` → `silla`, `ㄹ` → `n` after a nasal, aspiration,
//!   palatalisation `같이` → `gachi`); [`romanize_rr`] applies them. RR itself does *not* apply
//!   them inside personal names ("sound changes between syllables in given names are not
//!   transcribed"), so [`name_variants`] offers the plain syllable-by-syllable RR spelling and
//!   the assimilated one.
//! * **McCune–Reischauer** (MR, the older academic system and the base of the DPRK's own) spells
//!   sounds: `ㄱ ㄷ ㅂ ㅈ` are `k t p ch` at the start of a word and after `k t p`, and `g d b j`
//!   between voiced sounds; `ㅓ ㅡ ㅕ` are `ŏ ŭ yŏ`, written here without the breve (`o u yo`),
//!   and the apostrophes of aspirates are dropped (`ch'` → `ch`).
//! * **DPRK practice** writes each syllable of a given name as its own word in MR style but with
//!   `ㅈ` as `j`: `Kim Jong Un`, `Ri Pyong Chol`, `Choe Ryong Hae`.
//! * **Customary surname spellings** (`Lee`, `Park`, `Choi`, `Oh`, `Ahn`, `Rhee`...) follow no
//!   system; a small table lists them for the common surnames, and applies to the first syllable
//!   of a token only.
//!
//! # Per-syllable alternatives
//!
//! Given names are written with every mix of the systems above, so rather than a list of whole
//! names, each syllable gets alternatives from general rules, one list per letter, most usual
//! first, and their combinations are ranked by the sum of their ranks:
//!
//! * initials: `ㄱ` k/g, `ㄷ` t/d, `ㅂ` p/b, `ㅈ` j/ch, `ㅅ` s (+ sh before `ㅣ ㅟ`), `ㄹ` r, the
//!   ROK initial-sound rule form (`리` → `i`, `로` → `no`), then l;
//! * vowels: `ㅓ` o/eo/u, `ㅕ` yo/yeo/you/yu, `ㅡ` u/eu, `ㅜ` u/oo, `ㅠ` yu/yoo, `ㅚ` oe/oi,
//!   `ㅢ` ui/i/ee/eui, others as in RR;
//! * finals: `k n t l m p ng`, with `ㄹ` l/r and `ㅂ` p/b.

const S_BASE: u32 = 0xAC00;
const S_LAST: u32 = 0xD7A3;
const L_BASE: u32 = 0x1100;
const V_BASE: u32 = 0x1161;
const T_BASE: u32 = 0x11A7;
const NONE: u8 = u8::MAX;
/// Index of the silent initial `ㅇ`.
const IEUNG: u8 = 11;

/// Upper bound of [`name_variants`].
pub const MAX_NAME_VARIANTS: usize = 16;
/// Upper bound of each inner list of [`syllable_variants`].
pub const MAX_SYLLABLE_VARIANTS: usize = 8;

/// One hangul unit: a syllable, or a lone jamo (`initial`/`vowel` [`NONE`], `final_` 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Jamo {
    initial: u8,
    vowel: u8,
    final_: u8,
}

impl Jamo {
    fn is_syllable(self) -> bool {
        self.vowel != NONE
    }
}

/// Either a hangul unit or any other character.
#[derive(Clone, Copy, Debug)]
enum Piece {
    Hangul(Jamo),
    Other(char),
}

const INITIAL_RR: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h",
];
const VOWEL_RR: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
/// RR spelling of each final at the end of a word (the sound it has there).
const FINAL_RR: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];
/// Compatibility consonants U+3131..=U+314E, spelled as RR would spell them.
const COMPAT_CONSONANT: [&str; 30] = [
    "g", "kk", "gs", "n", "nj", "nh", "d", "tt", "r", "lg", "lm", "lb", "ls", "lt", "lp", "lh", "m",
    "b", "pp", "bs", "s", "ss", "ng", "j", "jj", "ch", "k", "t", "p", "h",
];

/// Splits text into hangul units and other characters.
/// Each item carries the first character it was read from.
fn pieces(s: &str) -> impl Iterator<Item = (char, Piece)> + '_ {
    let mut chars = s.chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        let u = c as u32;
        Some((c, match u {
            S_BASE..=S_LAST => {
                let i = u - S_BASE;
                Piece::Hangul(Jamo {
                    initial: (i / 588) as u8,
                    vowel: ((i % 588) / 28) as u8,
                    final_: (i % 28) as u8,
                })
            }
            0x1100..=0x1112 => {
                let initial = (u - L_BASE) as u8;
                let vowel = match chars.peek().map(|&n| n as u32) {
                    Some(n @ 0x1161..=0x1175) => {
                        chars.next();
                        (n - V_BASE) as u8
                    }
                    _ => NONE,
                };
                let mut final_ = 0;
                if vowel != NONE
                    && let Some(n @ 0x11A8..=0x11C2) = chars.peek().map(|&n| n as u32) {
                        chars.next();
                        final_ = (n - T_BASE) as u8;
                    }
                Piece::Hangul(Jamo { initial, vowel, final_ })
            }
            0x1161..=0x1175 => Piece::Hangul(Jamo { initial: IEUNG, vowel: (u - V_BASE) as u8, final_: 0 }),
            0x11A8..=0x11C2 => Piece::Hangul(Jamo { initial: NONE, vowel: NONE, final_: (u - T_BASE) as u8 }),
            0x314F..=0x3163 => Piece::Hangul(Jamo { initial: IEUNG, vowel: (u - 0x314F) as u8, final_: 0 }),
            // Compatibility consonants stay characters; `push_other` spells them.
            _ => Piece::Other(c),
        }))
    })
}

/// True for characters that belong to hangul but are dropped (archaic or filler jamo).
fn is_ignored_hangul(c: char) -> bool {
    matches!(c as u32, 0x1113..=0x1160 | 0x1176..=0x11A7 | 0x11C3..=0x11FF | 0x3164..=0x318E
        | 0xA960..=0xA97F | 0xD7B0..=0xD7FF)
}

/// Appends a non-hangul character: ASCII letters and digits as they are (lower-cased), white
/// space as one space, anything else through the general fallback.
fn push_other(c: char, out: &mut String) {
    let u = c as u32;
    if (0x3131..=0x314E).contains(&u) {
        out.push_str(COMPAT_CONSONANT[(u - 0x3131) as usize]);
    } else if is_ignored_hangul(c) {
    } else {
        super::other::push_char(c, out);
    }
}

/// Appends a lone jamo (no syllable) in RR.
fn push_lone(j: Jamo, out: &mut String) {
    if j.initial != NONE {
        out.push_str(INITIAL_RR[j.initial as usize]);
    } else {
        out.push_str(FINAL_RR[j.final_ as usize]);
    }
}

/// Sound class of a final consonant before another consonant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coda {
    K,
    N,
    T,
    L,
    M,
    P,
    Ng,
}

fn coda_class(t: u8) -> Coda {
    match t {
        1 | 2 | 3 | 9 | 24 => Coda::K,
        4..=6 => Coda::N,
        8 | 11 | 12 | 13 | 15 => Coda::L,
        10 | 16 => Coda::M,
        14 | 17 | 18 | 26 => Coda::P,
        21 => Coda::Ng,
        _ => Coda::T,
    }
}

fn coda_str(c: Coda) -> &'static str {
    match c {
        Coda::K => "k",
        Coda::N => "n",
        Coda::T => "t",
        Coda::L => "l",
        Coda::M => "m",
        Coda::P => "p",
        Coda::Ng => "ng",
    }
}

/// RR spelling of a final `t` followed by initial `l` with vowel `v`: (coda, onset).
fn junction(t: u8, l: u8, v: u8) -> (&'static str, &'static str) {
    if t == 0 {
        return ("", INITIAL_RR[l as usize]);
    }
    if l == IEUNG {
        // Liaison: the final is pronounced as the next initial.
        return match t {
            21 => ("ng", ""),
            27 => ("", ""),
            15 => ("", "r"),
            6 => ("", "n"),
            7 if v == 20 => ("", "j"),
            25 if v == 20 => ("", "ch"),
            1 => ("", "g"),
            2 => ("", "kk"),
            3 => ("k", "s"),
            4 => ("", "n"),
            5 => ("n", "j"),
            7 => ("", "d"),
            8 => ("", "r"),
            9 => ("l", "g"),
            10 => ("l", "m"),
            11 => ("l", "b"),
            12 => ("l", "s"),
            13 => ("l", "t"),
            14 => ("l", "p"),
            16 => ("", "m"),
            17 => ("", "b"),
            18 => ("p", "s"),
            19 => ("", "s"),
            20 => ("", "ss"),
            22 => ("", "j"),
            23 => ("", "ch"),
            24 => ("", "k"),
            25 => ("", "t"),
            26 => ("", "p"),
            _ => ("", ""),
        };
    }
    // Aspiration: ㅎ (alone or in ㄶ ㅀ) before ㄱ ㄷ ㅈ.
    if matches!(t, 6 | 15 | 27) {
        let coda = match t {
            6 => "n",
            15 => "l",
            _ => "",
        };
        match l {
            0 => return (coda, "k"),
            3 => return (coda, "t"),
            12 => return (coda, "ch"),
            9 if t == 27 => return ("", "s"),
            2 if t == 27 => return ("n", "n"),
            2 if t == 15 => return ("l", "l"),
            _ => {}
        }
    }
    let class = coda_class(t);
    match (class, l) {
        // Nasalisation before ㄴ ㅁ.
        (Coda::K, 2 | 6) => ("ng", INITIAL_RR[l as usize]),
        (Coda::T, 2 | 6) => ("n", INITIAL_RR[l as usize]),
        (Coda::P, 2 | 6) => ("m", INITIAL_RR[l as usize]),
        (Coda::L, 2) => ("l", "l"),
        // ㄹ after another consonant.
        (Coda::N | Coda::L, 5) => ("l", "l"),
        (Coda::M | Coda::Ng, 5) => (coda_str(class), "n"),
        (Coda::K, 5) => ("ng", "n"),
        (Coda::P, 5) => ("m", "n"),
        (Coda::T, 5) => ("n", "n"),
        _ => (coda_str(class), INITIAL_RR[l as usize]),
    }
}

/// Revised Romanization of `s`, with the sound changes between syllables of a word that RR
/// transcribes (see the [module docs](self)). Non-hangul characters are kept (ASCII) or passed
/// through the general fallback, so the result is always ASCII.
///
/// ```
/// use sekisho_match::translit::hangul::romanize_rr;
/// assert_eq!(romanize_rr("김정은"), "gimjeongeun");
/// assert_eq!(romanize_rr("신라"), "silla");
/// assert_eq!(romanize_rr("한국어"), "hangugeo");
/// ```
pub fn romanize_rr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<Jamo> = None;
    for (_, p) in pieces(s) {
        match p {
            Piece::Hangul(j) if j.is_syllable() => {
                let onset = match prev {
                    Some(pj) => {
                        let (coda, onset) = junction(pj.final_, j.initial, j.vowel);
                        out.push_str(coda);
                        onset
                    }
                    None => INITIAL_RR[j.initial as usize],
                };
                out.push_str(onset);
                out.push_str(VOWEL_RR[j.vowel as usize]);
                prev = Some(j);
            }
            other => {
                if let Some(pj) = prev.take() {
                    out.push_str(FINAL_RR[pj.final_ as usize]);
                }
                match other {
                    Piece::Hangul(j) => push_lone(j, &mut out),
                    Piece::Other(c) => push_other(c, &mut out),
                }
            }
        }
    }
    if let Some(pj) = prev {
        out.push_str(FINAL_RR[pj.final_ as usize]);
    }
    out
}

/// Customary spellings of common surnames, in order of use. Only spellings the rules below do
/// not produce, or produce late, need to be here; the rest follow from the rules.
fn surname_spellings(c: char) -> &'static [&'static str] {
    match c {
        '김' => &["kim", "gim"],
        '이' => &["lee", "yi", "ri", "rhee", "i", "li", "rhie"],
        '리' => &["ri", "li", "lee", "rhee", "yi"],
        '박' => &["park", "pak", "bak", "bark"],
        '최' => &["choi", "choe", "chey"],
        '정' => &["jung", "jeong", "chung", "chong", "jong", "cheong"],
        '조' => &["cho", "jo", "joe", "chough"],
        '강' => &["kang", "gang"],
        '윤' => &["yoon", "yun"],
        '장' => &["jang", "chang"],
        '임' => &["lim", "im", "rim", "yim"],
        '림' => &["rim", "lim", "im"],
        '오' => &["oh", "o"],
        '서' => &["seo", "suh", "so", "sur"],
        '신' => &["shin", "sin"],
        '권' => &["kwon", "gwon", "kweon"],
        '안' => &["ahn", "an"],
        '류' => &["ryu", "yu", "yoo", "ryoo", "rhyu", "lyu"],
        '유' => &["yu", "yoo", "ryu"],
        '노' => &["noh", "no", "roh", "ro"],
        '로' => &["ro", "roh", "no", "noh"],
        '전' => &["jeon", "chon", "jun", "chun", "jon"],
        '문' => &["moon", "mun"],
        '배' => &["bae", "pae"],
        '백' => &["baek", "paek", "paik", "baik"],
        '허' => &["heo", "hur", "ho", "huh"],
        '심' => &["shim", "sim"],
        '한' => &["han"],
        '홍' => &["hong"],
        '황' => &["hwang"],
        '송' => &["song"],
        '손' => &["son", "sohn"],
        '양' => &["yang", "ryang"],
        '량' => &["ryang", "yang"],
        '남' => &["nam"],
        '고' => &["ko", "go"],
        '구' => &["koo", "ku", "gu"],
        '우' => &["woo", "u"],
        '주' => &["joo", "ju", "chu"],
        '나' => &["na", "ra"],
        '라' => &["ra", "na"],
        '명' => &["myung", "myong", "myeong"],
        '변' => &["byun", "pyon", "byeon"],
        '성' => &["sung", "seong", "song"],
        '선' => &["sun", "son", "seon"],
        '설' => &["seol", "sol", "sul"],
        '염' => &["yeom", "yom", "yum"],
        '렴' => &["ryom", "yeom", "yom"],
        '여' => &["yeo", "yo", "yuh"],
        '려' => &["ryo", "yeo", "yo"],
        '현' => &["hyun", "hyon", "hyeon"],
        '천' => &["chun", "chon", "cheon"],
        '진' => &["jin", "chin"],
        '지' => &["ji", "chi"],
        '차' => &["cha"],
        '하' => &["ha"],
        '곽' => &["kwak", "gwak"],
        '방' => &["bang", "pang"],
        '엄' => &["eom", "um", "om"],
        '석' => &["seok", "sok", "suk"],
        '길' => &["gil", "kil"],
        '표' => &["pyo"],
        '기' => &["ki", "gi"],
        '태' => &["tae"],
        '원' => &["won"],
        '채' => &["chae"],
        '추' => &["choo", "chu"],
        '금' => &["keum", "kum", "geum"],
        '육' => &["yuk", "yook"],
        '국' => &["kook", "kuk", "guk"],
        '경' => &["kyung", "kyong", "gyeong"],
        '편' => &["pyun", "pyon", "pyeon"],
        '탁' => &["tak"],
        '봉' => &["bong", "pong"],
        '용' => &["yong", "ryong"],
        '룡' => &["ryong", "yong"],
        _ => &[],
    }
}

fn is_y_or_i_vowel(v: u8) -> bool {
    matches!(v, 2 | 3 | 6 | 7 | 12 | 17 | 20)
}

/// Alternatives for an initial consonant, most usual first.
fn initial_alts(l: u8, v: u8) -> &'static [&'static str] {
    match l {
        0 => &["k", "g"],
        1 => &["kk", "gg", "k"],
        2 => &["n"],
        3 => &["t", "d"],
        4 => &["tt", "dd"],
        // ㄹ: r; the ROK initial-sound rule (리 → 이, 로 → 노); l.
        5 if is_y_or_i_vowel(v) => &["r", "", "l"],
        5 => &["r", "n", "l"],
        6 => &["m"],
        7 => &["p", "b"],
        8 => &["pp", "bb"],
        9 if matches!(v, 16 | 20) => &["s", "sh"],
        9 => &["s"],
        10 => &["ss", "s"],
        11 => &[""],
        12 => &["j", "ch"],
        13 => &["jj", "tch"],
        14 => &["ch"],
        15 => &["k"],
        16 => &["t"],
        17 => &["p"],
        18 => &["h"],
        _ => &[""],
    }
}

/// Alternatives for a vowel, most usual first.
fn vowel_alts(l: u8, v: u8) -> &'static [&'static str] {
    match v {
        4 => &["o", "eo", "u"],
        6 => &["yo", "yeo", "yu", "you"],
        11 => &["oe", "oi"],
        13 => &["u", "oo"],
        17 => &["yu", "yoo"],
        18 => &["u", "eu"],
        19 if l == IEUNG => &["ui", "eui", "i"],
        19 => &["ui", "i", "ee"],
        _ => std::slice::from_ref(&VOWEL_RR[v as usize]),
    }
}

/// Alternatives for a final, most usual first.
fn final_alts(t: u8) -> &'static [&'static str] {
    match coda_class(t) {
        _ if t == 0 => &[""],
        Coda::L => &["l", "r"],
        Coda::P => &["p", "b"],
        c => std::slice::from_ref(match c {
            Coda::K => &"k",
            Coda::N => &"n",
            Coda::M => &"m",
            Coda::Ng => &"ng",
            _ => &"t",
        }),
    }
}

/// DPRK-style spelling of one syllable written as its own word.
fn dprk_syllable(j: Jamo, out: &mut String) {
    out.push_str(initial_alts(j.initial, j.vowel)[0]);
    out.push_str(vowel_alts(j.initial, j.vowel)[0]);
    out.push_str(final_alts(j.final_)[0]);
}

/// Plain RR of one syllable (no sound changes).
fn rr_syllable(j: Jamo, out: &mut String) {
    out.push_str(INITIAL_RR[j.initial as usize]);
    out.push_str(VOWEL_RR[j.vowel as usize]);
    out.push_str(FINAL_RR[j.final_ as usize]);
}

/// MR (without diacritics) of one syllable; `voiced` tells whether it follows a vowel or a
/// voiced final in the same word.
fn mr_syllable(j: Jamo, prev_final: Option<u8>, out: &mut String) {
    let voiced = match prev_final {
        None => false,
        Some(t) => !matches!(coda_class(t), Coda::K | Coda::T | Coda::P) || t == 0,
    };
    let initial = match (j.initial, voiced) {
        (0, false) => "k",
        (0, true) => "g",
        (3, false) => "t",
        (3, true) => "d",
        (7, false) => "p",
        (7, true) => "b",
        (12, false) => "ch",
        (12, true) => "j",
        (13, _) => "tch",
        (5, _) if prev_final.is_some_and(|t| matches!(coda_class(t), Coda::L | Coda::N)) => "l",
        (9, _) if matches!(j.vowel, 16 | 20) => "sh",
        (l, _) => INITIAL_RR[l as usize],
    };
    out.push_str(initial);
    out.push_str(vowel_alts(j.initial, j.vowel)[0]);
    out.push_str(final_alts(j.final_)[0]);
}

/// Spellings of one syllable, most usual first; `token_start` enables the surname table.
fn syllable_spellings(c: Option<char>, j: Jamo, token_start: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(MAX_SYLLABLE_VARIANTS);
    if token_start
        && let Some(c) = c {
            for s in surname_spellings(c) {
                push_unique(&mut out, s, MAX_SYLLABLE_VARIANTS);
            }
        }
    let ia = initial_alts(j.initial, j.vowel);
    let va = vowel_alts(j.initial, j.vowel);
    let fa = final_alts(j.final_);
    let max_sum = ia.len() + va.len() + fa.len() - 3;
    let mut buf = String::with_capacity(12);
    // Combinations in order of rank sum, ties broken by initial, then vowel rank.
    for sum in 0..=max_sum {
        for (i, ini) in ia.iter().enumerate() {
            for (v, vow) in va.iter().enumerate() {
                let Some(f) = sum.checked_sub(i + v) else { continue };
                let Some(fin) = fa.get(f) else { continue };
                if out.len() >= MAX_SYLLABLE_VARIANTS {
                    return out;
                }
                buf.clear();
                buf.push_str(ini);
                buf.push_str(vow);
                buf.push_str(fin);
                push_unique(&mut out, &buf, MAX_SYLLABLE_VARIANTS);
            }
        }
    }
    out
}

fn push_unique(out: &mut Vec<String>, s: &str, cap: usize) {
    if out.len() < cap && !out.iter().any(|o| o == s) {
        out.push(s.to_owned());
    }
}

/// One unit of a name template: a syllable with its spellings, or fixed text.
struct Unit {
    /// The syllable, if this is one.
    syl: Option<(char, Jamo, bool)>,
    /// Spellings (one for fixed text).
    spellings: Vec<String>,
}

fn template(s: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut token_start = true;
    let mut fixed = String::new();
    for (first, p) in pieces(s) {
        match p {
            Piece::Hangul(j) if j.is_syllable() => {
                // The surname table is keyed by precomposed syllables.
                let c = char::from_u32(S_BASE + (j.initial as u32 * 21 + j.vowel as u32) * 28 + j.final_ as u32)
                    .filter(|_| j.initial != NONE)
                    .unwrap_or(first);
                if !fixed.is_empty() {
                    units.push(Unit { syl: None, spellings: vec![std::mem::take(&mut fixed)] });
                }
                let spellings = syllable_spellings(Some(c), j, token_start);
                units.push(Unit { syl: Some((c, j, token_start)), spellings });
                token_start = false;
            }
            Piece::Hangul(j) => push_lone(j, &mut fixed),
            Piece::Other(c) => {
                if c.is_whitespace() || !c.is_alphanumeric() {
                    token_start = true;
                }
                push_other(c, &mut fixed);
            }
        }
    }
    if !fixed.is_empty() {
        units.push(Unit { syl: None, spellings: vec![fixed] });
    }
    units
}

/// Spellings of each syllable of `s`, most usual first (at most
/// [`MAX_SYLLABLE_VARIANTS`] each), so a scorer can align hangul syllables with Latin
/// tokens (`김정은` = `[kim..] [jong..] [un..]` against `kim jong un`). Characters other than
/// syllables are skipped; the first syllable of each token also gets the customary surname
/// spellings.
///
/// ```
/// use sekisho_match::translit::hangul::syllable_variants;
/// let v = syllable_variants("김정은");
/// assert_eq!(v[0][0], "kim");
/// assert!(v[1].contains(&"jong".to_string()) && v[1].contains(&"jeong".to_string()));
/// assert!(v[2].contains(&"un".to_string()) && v[2].contains(&"eun".to_string()));
/// ```
pub fn syllable_variants(s: &str) -> Vec<Vec<String>> {
    template(s).into_iter().filter(|u| u.syl.is_some()).map(|u| u.spellings).collect()
}

/// Whole-token spellings of `s` (at most [`MAX_NAME_VARIANTS`]), syllables written together
/// (`김정은` → `kimjongun`, `gimjeongeun`, ...); compare them with Latin names whose separators
/// are removed, or use [`syllable_variants`] to align syllables with tokens. Spaces in `s` are
/// kept. The order: customary/DPRK spelling, plain RR, customary surname with RR given name,
/// MR, RR with sound changes, then the remaining combinations of per-syllable spellings in
/// order of rank.
///
/// ```
/// use sekisho_match::translit::hangul::name_variants;
/// let v = name_variants("김정은");
/// assert_eq!(v[0], "kimjongun");
/// assert!(v.contains(&"gimjeongeun".to_string()));
/// assert!(v.contains(&"kimchongun".to_string()));
/// ```
pub fn name_variants(s: &str) -> Vec<String> {
    let units = template(s);
    let mut out: Vec<String> = Vec::with_capacity(MAX_NAME_VARIANTS);
    // Coherent systems first.
    let mut sys = [String::new(), String::new(), String::new(), String::new()];
    let mut prev_final: Option<u8> = None;
    for u in &units {
        match u.syl {
            Some((c, j, start)) => {
                let surname = if start { surname_spellings(c).first() } else { None };
                match surname {
                    Some(s) => sys[0].push_str(s),
                    None => dprk_syllable(j, &mut sys[0]),
                }
                rr_syllable(j, &mut sys[1]);
                match surname {
                    Some(s) => sys[2].push_str(s),
                    None => rr_syllable(j, &mut sys[2]),
                }
                match surname {
                    Some(s) => sys[3].push_str(s),
                    None => mr_syllable(j, if start { None } else { prev_final }, &mut sys[3]),
                }
                prev_final = Some(j.final_);
            }
            None => {
                for s in &mut sys {
                    s.push_str(&u.spellings[0]);
                }
                prev_final = None;
            }
        }
    }
    for s in sys {
        push_unique(&mut out, &s, MAX_NAME_VARIANTS);
    }
    push_unique(&mut out, &romanize_rr(s), MAX_NAME_VARIANTS);
    // Then combinations by rank sum.
    let n = units.len();
    let max_sum: usize = units.iter().map(|u| u.spellings.len() - 1).sum();
    let mut ranks = vec![0usize; n];
    let mut buf = String::new();
    for sum in 1..=max_sum {
        if out.len() >= MAX_NAME_VARIANTS {
            break;
        }
        enumerate(&units, 0, sum, &mut ranks, &mut |ranks| {
            buf.clear();
            for (u, &r) in units.iter().zip(ranks) {
                buf.push_str(&u.spellings[r]);
            }
            push_unique(&mut out, &buf, MAX_NAME_VARIANTS);
            out.len() < MAX_NAME_VARIANTS
        });
    }
    out
}

/// Calls `f` with every rank vector whose entries from `i` on add up to `left`, in
/// lexicographic order; stops when `f` returns false.
fn enumerate(
    units: &[Unit],
    i: usize,
    left: usize,
    ranks: &mut [usize],
    f: &mut dyn FnMut(&[usize]) -> bool,
) -> bool {
    if i == units.len() {
        return left != 0 || f(ranks);
    }
    let max = units[i].spellings.len() - 1;
    for r in 0..=left.min(max) {
        ranks[i] = r;
        if !enumerate(units, i + 1, left - r, ranks, f) {
            return false;
        }
    }
    ranks[i] = 0;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(v: &[String], s: &str) -> bool {
        v.iter().any(|x| x == s)
    }

    #[test]
    fn decomposes_syllables_arithmetically() {
        let j: Vec<(char, Piece)> = pieces("한").collect();
        match j[0].1 {
            Piece::Hangul(j) => assert_eq!((j.initial, j.vowel, j.final_), (18, 0, 4)),
            Piece::Other(_) => panic!("not hangul"),
        }
        assert_eq!(romanize_rr("가"), "ga");
        assert_eq!(romanize_rr("힣"), "hit");
    }

    #[test]
    fn rr_plain_and_sound_changes() {
        assert_eq!(romanize_rr("서울"), "seoul");
        assert_eq!(romanize_rr("부산"), "busan");
        assert_eq!(romanize_rr("백마"), "baengma"); // nasalisation
        assert_eq!(romanize_rr("종로"), "jongno"); // ㄹ after ㅇ
        assert_eq!(romanize_rr("설날"), "seollal"); // lateralisation
        assert_eq!(romanize_rr("같이"), "gachi"); // palatalisation
        assert_eq!(romanize_rr("좋고"), "joko"); // aspiration
        assert_eq!(romanize_rr("학교"), "hakgyo");
        assert_eq!(romanize_rr("독립"), "dongnip");
        assert_eq!(romanize_rr("김 정은"), "gim jeongeun");
    }

    #[test]
    fn conjoining_and_compatibility_jamo() {
        // 한 as conjoining jamo U+1112 U+1161 U+11AB.
        assert_eq!(romanize_rr("\u{1112}\u{1161}\u{11ab}\u{1100}\u{1173}\u{11af}"), "hangeul");
        assert_eq!(romanize_rr("ㄱㅏ"), "ga");
        assert_eq!(syllable_variants("\u{1112}\u{1161}\u{11ab}").len(), 1);
        assert_eq!(romanize_rr("ᄒ"), "h");
    }

    #[test]
    fn non_hangul_is_kept_as_ascii() {
        assert_eq!(romanize_rr("kim 정은"), "kim jeongeun");
        assert!(romanize_rr("김-Ω").is_ascii());
    }

    #[test]
    fn dprk_names() {
        let v = name_variants("리병철");
        assert_eq!(v[0], "ripyongchol");
        let v = name_variants("최룡해");
        assert_eq!(v[0], "choiryonghae");
        assert!(has(&v, "choeryonghae"));
        let v = name_variants("박봉주");
        assert!(has(&v, "pakpongju"));
    }

    #[test]
    fn rok_names() {
        assert!(has(&name_variants("문재인"), "moonjaein"));
        assert!(has(&name_variants("박근혜"), "parkgeunhye"));
        assert!(has(&name_variants("이명박"), "leemyungbak"));
        let v = syllable_variants("윤석열");
        assert_eq!(v[0][0], "yoon");
        assert!(has(&v[1], "suk") && has(&v[1], "seok"));
        assert!(has(&v[2], "yeol") && has(&v[2], "yol"));
    }

    #[test]
    fn given_name_syllables_follow_rules() {
        let v = syllable_variants("영성혁철진수현");
        for (i, want) in [
            &["young", "yong", "yeong"][..],
            &["sung", "song", "seong"],
            &["hyok", "hyuk", "hyeok"],
            &["chol", "chul", "cheol"],
            &["jin", "chin"],
            &["su", "soo"],
            &["hyun", "hyon", "hyeon"],
        ]
        .iter()
        .enumerate()
        {
            for w in *want {
                assert!(has(&v[i], w), "{w} missing from {:?}", v[i]);
            }
        }
    }

    #[test]
    fn surname_table_only_at_token_start() {
        let v = syllable_variants("이 이");
        assert_eq!(v[0][0], "lee");
        assert_eq!(v[1][0], "lee");
        let v = syllable_variants("이이");
        assert_eq!(v[1], vec!["i".to_string()]);
    }

    #[test]
    fn bounded() {
        let v = name_variants("정정정정정정정정");
        assert!(v.len() <= MAX_NAME_VARIANTS);
        assert!(syllable_variants("경").iter().all(|s| s.len() <= MAX_SYLLABLE_VARIANTS));
    }
}
