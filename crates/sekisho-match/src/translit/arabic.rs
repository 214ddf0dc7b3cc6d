//! Arabic-script names (Arabic, Persian, Urdu, Pashto letters) into Latin keys.
//!
//! Arabic script writes consonants and long vowels; short vowels (harakat) are left out of
//! names, and every Latin spelling of a name supplies them differently (`محمد` is `Muhammad`,
//! `Mohammed`, `Mohamed`, `Mohamad`). Two keys are offered:
//!
//! # Consonant skeleton ([`skeleton`], [`latin_skeleton`])
//!
//! Both scripts are reduced to the same small alphabet of consonant classes, so an Arabic name
//! and any Latin spelling of it meet without guessing vowels. Classes (Arabic / Latin):
//!
//! | class | Arabic-script letters | Latin |
//! |---|---|---|
//! | (dropped) | `ا أ إ آ ٱ ء ؤ ئ ع ى`, final `ة`, harakat, tatweel | `a e i o u`, `'`, final `h` after `a`/`e` |
//! | `w` | `و ڤ` at the start of a word (elsewhere a vowel letter: dropped) | `w v` at the start of a word (elsewhere dropped) |
//! | `y` | `ي ی ې` at the start of a word (elsewhere dropped) | `y` at the start of a word (elsewhere dropped) |
//! | `b` | `ب پ` | `b p` |
//! | `t` | `ت ط ث ٹ ټ` | `t` (`th` via the `h` rule) |
//! | `d` | `د ذ ز ض ظ ژ ڈ ډ ږ ځ` | `d z` (`dh zh` via the `h` rule) |
//! | `s` | `س ص ش چ څ ښ` | `s c` (`sh ch` via the `h` rule) |
//! | `g` | `ج غ گ ګ` | `j g`, `dj` (`gh` via the `h` rule) |
//! | `k` | `ك ک ق خ` | `k q x` (`kh` via the `h` rule) |
//! | `h` | `ح ه ۀ ھ` | `h` |
//! | `f r l m n` | `ف ر ڑ ړ ل م ن ں ڼ` | `f r l m n` |
//!
//! Why these classes: `ذ ز ض ظ` are `d`, `dh` or `z` depending on the dialect and the
//! romanisation, so they share a class with `d`; `ث` is `th` in Arabic names; `ش` and `چ` are
//! written `sh`, `ch` (French, Persian) or `c` (Turkish `ç`); `ج` is `j`, `dj` or Egyptian `g`;
//! `ق` is `q` or `k`. `و` and `ي` are vowels inside a word (`u`/`ou`/`o`, `i`/`ee`/`ei`), whose
//! spelling varies most, so they count only where they are consonants at the start of a word.
//!
//! Rules applied after the classes, identically on both sides: runs of one class collapse (no
//! shadda in Arabic, doubled letters in Latin); an `h` right after `t d s g k` in the skeleton
//! is dropped, because Latin `th dh sh gh kh` are single Arabic letters (this also drops a real
//! `h` there, as in `فتحي` Fathi, on both sides alike); the article `ال` at the start of a word
//! and after `عبد`/`ابو` is dropped, as are the Latin tokens `al el ul il` and the assimilated
//! forms `ad ar as ash at az an ud ur us un`, and Latin `abdul`/`abdel`/`abdur...` become
//! `abd`; a final `ه` after `ل` (`الله`) is dropped like the Latin final `h` in `Allah`.
//! Tokens stay separated by one space; a scorer compares whole names with the spaces removed
//! when the two sides split words differently (`عبدالرحمن` / `Abdul Rahman`).
//!
//! # Spellings ([`romanize`])
//!
//! A table of the few dozen most common name words gives their usual spellings (`محمد`,
//! `أحمد`, `عبد`, `الله`, `بن`, `أبو`, ...). Other words go through vowel inference: a long
//! vowel letter is written (`ا` a, `و` u, `ي` i), a consonant that starts a syllable without a
//! written vowel gets a short `a`, except `i` in the very common pattern `فاعل`/`فاعلة`
//! (`خالد` Khalid, `فاطمة` Fatima), and `ي` right after the first consonant is the diphthong
//! `ay` (`زينب` Zaynab, `فيصل` Faysal). Each word is spelled in a few styles (standard,
//! French/Egyptian `e`/`ou`/`el`, English `ee`/`oo`/`ah` with assimilated article, Egyptian
//! `g`), and a name combines the words style by style, at most [`MAX_VARIANTS`].

use super::other::push_char;

/// Upper bound of [`romanize`].
pub const MAX_VARIANTS: usize = 8;

/// Maps a character to its canonical Arabic letter: Persian, Urdu and Pashto forms to the
/// Arabic letter they are read as, vowel signs and tatweel to `None`.
fn canon(c: char) -> Option<char> {
    Some(match c {
        '\u{064B}'..='\u{0650}' | '\u{0652}'..='\u{065F}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}' => {
            return None;
        }
        '\u{0670}' => 'ا',
        'ٲ' | 'ٳ' | 'ٵ' => 'أ',
        'ک' | 'ڪ' => 'ك',
        'ی' | 'ې' | 'ۍ' | 'ے' | 'ۓ' => 'ي',
        'ھ' | 'ۀ' | 'ە' | 'ہ' => 'ه',
        'ۃ' => 'ة',
        'ٹ' | 'ټ' => 'ت',
        'ڈ' | 'ډ' => 'د',
        'ڑ' | 'ړ' => 'ر',
        'ں' | 'ڼ' => 'ن',
        'ګ' => 'گ',
        'ږ' => 'ژ',
        'ځ' => 'ز',
        'څ' => 'س',
        'ښ' => 'ش',
        _ => c,
    })
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c as u32, 0x0620..=0x064A | 0x066E..=0x06D5 | 0x06EE..=0x06FF | 0x0750..=0x077F
        | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

fn is_sun(c: char) -> bool {
    matches!(c, 'ت' | 'ث' | 'د' | 'ذ' | 'ر' | 'ز' | 'س' | 'ش' | 'ص' | 'ض' | 'ط' | 'ظ' | 'ل' | 'ن')
}

/// Skeleton class of a canonical letter at `pos` in a word; `None` drops it.
fn class(c: char, word_start: bool) -> Option<u8> {
    Some(match c {
        'و' | 'ڤ' if word_start => b'w',
        'ي' if word_start => b'y',
        'ب' | 'پ' => b'b',
        'ت' | 'ط' | 'ث' => b't',
        'د' | 'ذ' | 'ز' | 'ض' | 'ظ' | 'ژ' => b'd',
        'س' | 'ص' | 'ش' | 'چ' => b's',
        'ج' | 'غ' | 'گ' => b'g',
        'ك' | 'ق' | 'خ' => b'k',
        'ح' | 'ه' => b'h',
        'ف' => b'f',
        'ر' => b'r',
        'ل' => b'l',
        'م' => b'm',
        'ن' => b'n',
        _ => return None,
    })
}

/// Pushes a class byte with the collapse and `h` rules.
fn push_class(out: &mut String, word_from: usize, k: u8) {
    // Runs collapse across word boundaries too (`سعد الدين` / `Saduddin`).
    if out.bytes().rev().find(|&b| b != b' ') == Some(k) {
        return;
    }
    let last = out.as_bytes()[word_from..].last().copied();
    if k == b'h' && matches!(last, Some(b't' | b'd' | b's' | b'g' | b'k')) {
        return;
    }
    out.push(k as char);
}

/// Splits `s` into words of canonical Arabic letters (one buffer, words separated by ' ') and
/// calls `f` for each word.
fn for_each_word(s: &str, buf: &mut Vec<char>, mut f: impl FnMut(&[char])) {
    buf.clear();
    for c in s.chars() {
        if is_arabic_letter(c) || ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}' || c == '\u{0640}' {
            if let Some(k) = canon(c) {
                buf.push(k);
            }
        } else if !buf.is_empty() {
            f(buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(buf);
    }
}

/// Strips the article from an Arabic word: `ال` at the start, and after `عبد`/`ابو`/`أبو`.
/// Returns (prefix, had_article, rest).
fn split_article(w: &[char]) -> (&[char], bool, &[char]) {
    for prefix in [&['ع', 'ب', 'د'][..], &['ا', 'ب', 'و'], &['أ', 'ب', 'و']] {
        if w.len() > prefix.len() + 3 && w.starts_with(prefix) && w[prefix.len()..].starts_with(&['ا', 'ل']) {
            return (&w[..prefix.len()], true, &w[prefix.len() + 2..]);
        }
    }
    if w.len() > 3 && w.starts_with(&['ا', 'ل']) {
        return (&[], true, &w[2..]);
    }
    (&[], false, w)
}

/// Consonant skeleton of an Arabic-script name; see the [module docs](self) for the classes.
/// Non-Arabic characters separate words and are otherwise ignored.
///
/// ```
/// use sekisho_match::translit::arabic::{latin_skeleton, skeleton};
/// assert_eq!(skeleton("محمد"), "mhmd");
/// assert_eq!(skeleton("عبد الرحمن"), "bd rhmn");
/// assert_eq!(latin_skeleton("abdul rahman"), "bd rhmn");
/// ```
pub fn skeleton(s: &str) -> String {
    let mut out = String::with_capacity(s.len() / 2);
    let mut buf = Vec::with_capacity(16);
    for_each_word(s, &mut buf, |w| {
        let (prefix, _, rest) = split_article(w);
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        let from = out.len();
        // `نورالدين` is `Nuruddin`: the article inside the compound goes like the others.
        let skip = compound_suffix(rest).map(|(at, _)| at);
        for (part, start) in [(prefix, true), (rest, prefix.is_empty())] {
            for (i, &c) in part.iter().enumerate() {
                if std::ptr::eq(part, rest) && skip.is_some_and(|at| i == at || i == at + 1) {
                    continue;
                }
                // A final ه is silent in most Latin spellings: `الله` Allah, Persian `زاده`
                // Zada, `جمعه` Juma; Latin drops a final `h` after a vowel to match.
                if c == 'ه' && i + 1 == part.len() && i > 0 {
                    continue;
                }
                if let Some(k) = class(c, start && i == 0) {
                    push_class(&mut out, from, k);
                }
            }
        }
        if out.len() == from && from > 0 {
            out.pop();
        }
    });
    out
}

const LATIN_ARTICLES: [&str; 18] = [
    "al", "el", "ul", "il", "ad", "ar", "as", "ash", "at", "az", "an", "ud", "ur", "us", "un", "adh", "ath", "ed",
];

/// Consonant skeleton of a Latin spelling of an Arabic-script name, comparable with
/// [`skeleton`]. Expects folded text (lower case, no diacritics); anything that is not an ASCII
/// letter separates words.
///
/// ```
/// use sekisho_match::translit::arabic::latin_skeleton;
/// for m in ["muhammad", "mohammed", "mohamad", "mohamed"] {
///     assert_eq!(latin_skeleton(m), "mhmd");
/// }
/// assert_eq!(latin_skeleton("abdurrahman"), "bdrhmn");
/// ```
pub fn latin_skeleton(latin: &str) -> String {
    let is_apostrophe = |c: char| {
        matches!(c, '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{02BB}' | '\u{02BC}' | '\u{02BE}' | '\u{02BF}' | '\u{00B4}')
    };
    let filtered;
    let latin = if latin.contains(is_apostrophe) {
        filtered = latin.replace(is_apostrophe, "");
        filtered.as_str()
    } else {
        latin
    };
    let mut out = String::with_capacity(latin.len() / 2);
    for word in latin.split(|c: char| !c.is_ascii_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        let lower_buf;
        let word = if word.bytes().any(|b| b.is_ascii_uppercase()) {
            lower_buf = word.to_ascii_lowercase();
            lower_buf.as_str()
        } else {
            word
        };
        if LATIN_ARTICLES.contains(&word) {
            continue;
        }
        let word = strip_abd_article(word);
        if !out.is_empty() {
            out.push(' ');
        }
        let from = out.len();
        let b = word.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let k = match c {
                b'a' | b'e' | b'i' | b'o' | b'u' => None,
                b'w' | b'v' if i == 0 => Some(b'w'),
                b'y' if i == 0 => Some(b'y'),
                b'w' | b'v' | b'y' => None,
                b'b' | b'p' => Some(b'b'),
                b't' => Some(b't'),
                b'd' if b.get(i + 1) == Some(&b'j') => {
                    i += 1;
                    Some(b'g')
                }
                b'd' | b'z' => Some(b'd'),
                b's' | b'c' => Some(b's'),
                b'j' | b'g' => Some(b'g'),
                b'k' | b'q' | b'x' => Some(b'k'),
                // Final `h` after a vowel: `ة` (`Fatimah`) or a silent final `ه` (`Allah`).
                b'h' if i + 1 == b.len() && i > 0 && matches!(b[i - 1], b'a' | b'e' | b'i' | b'o' | b'u') => None,
                b'h' => Some(b'h'),
                b'f' | b'r' | b'l' | b'm' | b'n' => Some(c),
                _ => None,
            };
            if let Some(k) = k {
                push_class(&mut out, from, k);
            }
            i += 1;
        }
        if out.len() == from {
            out.pop();
        }
    }
    out
}

/// `abdul`, `abdel`, `abdur` (alone, or before a name as in `abdulkarim`, `abdurrahman`,
/// `abdelaziz`) lose the article: `abd`, `abdkarim`, `abdrahman`, `abdaziz`.
fn strip_abd_article(w: &str) -> std::borrow::Cow<'_, str> {
    let b = w.as_bytes();
    if b.len() >= 5 && w.starts_with("abd") && matches!(b[3], b'u' | b'e' | b'a' | b'o' | b'i') {
        let c = b[4];
        let rest = &w[5..];
        if rest.is_empty() && matches!(c, b'l' | b'r' | b's' | b'd' | b't' | b'z') {
            return "abd".into();
        }
        if c == b'l' && !rest.is_empty() {
            return format!("abd{rest}").into();
        }
        if rest.as_bytes().first() == Some(&c) && !matches!(c, b'a' | b'e' | b'i' | b'o' | b'u') {
            // Assimilated article: `abdurrahman`, `abdussalam`.
            return format!("abd{}", &w[4..]).into();
        }
    }
    w.into()
}

/// Words written joined to a name as its second half: `نورالدين` Nuruddin, `نصرالله`
/// Nasrullah. Returns the index of their article and their spellings as suffixes.
fn compound_suffix(w: &[char]) -> Option<(usize, &'static [&'static str])> {
    const DIN: [char; 5] = ['ا', 'ل', 'د', 'ي', 'ن'];
    const LLAH: [char; 4] = ['ا', 'ل', 'ل', 'ه'];
    if w.len() > DIN.len() + 1 && w.ends_with(&DIN) {
        return Some((w.len() - DIN.len(), &["uddin", "eddine", "addin", " al din", "uddeen"]));
    }
    if w.len() > LLAH.len() + 1 && w.ends_with(&LLAH) {
        return Some((w.len() - LLAH.len(), &["ullah", "allah", "ollah", " allah", "ullah"]));
    }
    None
}

/// Common name words and their usual spellings, most usual first.
fn common_word(w: &[char]) -> Option<&'static [&'static str]> {
    let mut key = [0u8; 48];
    let mut n = 0;
    for &c in w {
        let mut b = [0u8; 4];
        let s = c.encode_utf8(&mut b);
        if n + s.len() > key.len() {
            return None;
        }
        key[n..n + s.len()].copy_from_slice(s.as_bytes());
        n += s.len();
    }
    let key = std::str::from_utf8(&key[..n]).ok()?;
    Some(match key {
        "محمد" => &["muhammad", "mohammed", "mohamed", "mohammad", "mohamad", "muhammed"],
        "أحمد" | "احمد" => &["ahmad", "ahmed"],
        "محمود" => &["mahmud", "mahmoud", "mahmood"],
        "علي" | "على" => &["ali"],
        "حسن" => &["hasan", "hassan"],
        "حسين" => &["husayn", "hussein", "hussain", "hossein", "husain", "husein"],
        "عبد" => &["abd", "abdul", "abdel"],
        "ولد" => &["ould", "walad", "wuld"],
        "الله" => &["allah", "ullah", "allah", "illah"],
        "عبدالله" => &["abdullah", "abdallah", "abd allah", "abdulla", "abdollah"],
        "بن" => &["bin", "ben", "ibn"],
        "ابن" | "إبن" => &["ibn", "bin", "ben"],
        "أبو" | "ابو" => &["abu", "abou", "abo"],
        "خالد" => &["khalid", "khaled"],
        "يوسف" => &["yusuf", "youssef", "yousef", "yousuf", "yusef"],
        "إبراهيم" | "ابراهيم" => &["ibrahim", "ebrahim", "ibraheem"],
        "عمر" => &["umar", "omar"],
        "عثمان" => &["uthman", "othman", "osman"],
        "مصطفى" => &["mustafa", "moustafa", "mostafa"],
        "إسماعيل" | "اسماعيل" => &["ismail", "ismael", "esmail"],
        "سعيد" => &["said", "saeed", "saeid"],
        "صالح" => &["salih", "saleh"],
        "عيسى" => &["isa", "issa", "eissa"],
        "موسى" => &["musa", "moussa", "mousa"],
        "يحيى" | "يحي" => &["yahya", "yahia", "yehia"],
        "أسامة" | "اسامة" => &["usama", "osama", "oussama"],
        "حمزة" => &["hamza", "hamzah"],
        "فاطمة" => &["fatima", "fatimah", "fatma"],
        "عائشة" => &["aisha", "aicha", "aysha"],
        "جعفر" => &["jafar", "jaafar"],
        "نور" => &["nur", "nour", "noor"],
        "الدين" => &["al din", "ad din", "el din", "uddin", "eddine"],
        "سيف" => &["sayf", "saif", "seif"],
        "عبدالرحمن" => &["abd al rahman", "abdul rahman", "abdel rahman", "abdurrahman", "abdulrahman", "abd ar rahman"],
        "شيخ" => &["shaykh", "sheikh", "shaikh"],
        "ملا" => &["mulla", "mullah", "mula"],
        "خان" => &["khan"],
        "حاجي" => &["haji", "hajji"],
        "رضا" => &["reza", "rida", "ridha"],
        "مهدي" => &["mahdi", "mehdi"],
        "سليمان" => &["sulayman", "suleiman", "sulaiman", "soliman"],
        "داود" => &["dawud", "daoud", "dawood"],
        "منصور" => &["mansur", "mansour", "mansoor"],
        "ناصر" => &["nasir", "nasser", "naser"],
        "جمال" => &["jamal", "djamel", "gamal"],
        "كمال" => &["kamal", "kamel"],
        "عادل" => &["adil", "adel"],
        "عماد" => &["imad", "emad"],
        "رحمن" => &["rahman", "rehman"],
        "الرحمن" => &["al rahman", "ar rahman", "el rahman", "rahman"],
        _ => return None,
    })
}

/// Spelling style for words not in the table.
struct Style {
    long_u: &'static str,
    long_i: &'static str,
    diphthong_ay: &'static str,
    taa: &'static str,
    qaf: &'static str,
    jim: &'static str,
    dhal: &'static str,
    zaa: &'static str,
    thaa: &'static str,
    /// Short vowel before the final consonant (`Ahmad`/`Ahmed`) and in `فاعل` (`Khalid`/`Khaled`).
    last_short: &'static str,
    faail: &'static str,
    article: Article,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Article {
    Al,
    El,
    Sun,
}

const STYLES: [Style; 4] = [
    Style { long_u: "u", long_i: "i", diphthong_ay: "ay", taa: "a", qaf: "q", jim: "j", dhal: "dh", zaa: "z", thaa: "th", last_short: "a", faail: "i", article: Article::Al },
    Style { long_u: "ou", long_i: "i", diphthong_ay: "ei", taa: "a", qaf: "k", jim: "j", dhal: "d", zaa: "z", thaa: "th", last_short: "e", faail: "e", article: Article::El },
    Style { long_u: "oo", long_i: "ee", diphthong_ay: "ai", taa: "ah", qaf: "q", jim: "j", dhal: "dh", zaa: "dh", thaa: "th", last_short: "a", faail: "i", article: Article::Sun },
    Style { long_u: "u", long_i: "i", diphthong_ay: "ai", taa: "a", qaf: "k", jim: "g", dhal: "z", zaa: "z", thaa: "s", last_short: "a", faail: "i", article: Article::Al },
];

fn consonant(c: char, st: &Style) -> &'static str {
    match c {
        'ب' => "b",
        'پ' => "p",
        'ت' | 'ط' => "t",
        'ث' => st.thaa,
        'ج' => st.jim,
        'چ' => "ch",
        'ح' | 'ه' => "h",
        'خ' => "kh",
        'د' | 'ض' => "d",
        'ذ' => st.dhal,
        'ر' => "r",
        'ز' => "z",
        'ژ' => "zh",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'ظ' => st.zaa,
        'غ' => "gh",
        'ف' => "f",
        'ڤ' => "v",
        'ق' => st.qaf,
        'ك' => "k",
        'گ' => "g",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'و' => "w",
        'ي' => "y",
        _ => "",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Cons(char),
    /// Long or written vowel: 'a', 'u', 'i', 't' (ة), 'y' (diphthong ay), 'I' (initial إ).
    Vow(u8),
}

/// Reads a word into consonants and written vowels (see the module docs for the roles of
/// `و` and `ي`).
fn units(w: &[char], out: &mut Vec<Unit>) {
    out.clear();
    let n = w.len();
    for (i, &c) in w.iter().enumerate() {
        let next = w.get(i + 1).copied();
        let prev = if i > 0 { Some(w[i - 1]) } else { None };
        let u = match c {
            'ا' | 'آ' | 'أ' | 'ٱ' if i == 0 => Unit::Vow(b'a'),
            'إ' if i == 0 => Unit::Vow(b'I'),
            'ا' | 'آ' | 'ى' => Unit::Vow(b'a'),
            'ة' if i + 1 == n => Unit::Vow(b't'),
            // Persian and Afghan spelling: a final ه after a consonant is the vowel `a`/`e`.
            'ه' if i + 1 == n && n > 2 && !matches!(prev, Some('ا' | 'و' | 'ي' | 'ل')) => Unit::Vow(b't'),
            'ة' => Unit::Cons('ت'),
            'أ' | 'إ' | 'ء' | 'ؤ' | 'ئ' | 'ع' => Unit::Cons('ء'),
            'و' | 'ي' if i == 0 => Unit::Cons(c),
            'و' | 'ي' if matches!(next, Some('ا' | 'و' | 'ي')) || prev == Some('ا') => Unit::Cons(c),
            'ي' if i == 1 && next.is_some() => Unit::Vow(b'y'),
            'و' => Unit::Vow(b'u'),
            'ي' => Unit::Vow(b'i'),
            '\u{0651}' => {
                // Shadda doubles the consonant before it.
                match out.last().copied() {
                    Some(Unit::Cons(p)) => Unit::Cons(p),
                    _ => continue,
                }
            }
            _ => Unit::Cons(c),
        };
        out.push(u);
    }
}

/// Spells a word not in the table in one style.
fn spell_word(us: &[Unit], st: &Style, out: &mut String) {
    let last_cons = us.iter().rposition(|u| matches!(u, Unit::Cons(_)));
    let mut prev_vowel: Option<u8> = None; // written or inserted vowel before this unit
    for (i, u) in us.iter().enumerate() {
        match *u {
            Unit::Vow(v) => {
                out.push_str(match v {
                    b'a' => "a",
                    b'u' => st.long_u,
                    b'i' if i + 1 == us.len() => "i",
                    b'i' => st.long_i,
                    b'y' => st.diphthong_ay,
                    b'I' => "i",
                    _ => st.taa,
                });
                prev_vowel = Some(v);
            }
            Unit::Cons(c) => {
                out.push_str(consonant(c, st));
                let next = us.get(i + 1);
                let next_is_cons = matches!(next, Some(Unit::Cons(_)));
                if !next_is_cons {
                    prev_vowel = None;
                    continue;
                }
                // Is the next consonant the last one, followed at most by a final ة/ى?
                let next_is_last = last_cons == Some(i + 1)
                    && us[i + 2..].iter().all(|u| matches!(u, Unit::Vow(b't' | b'a')));
                let next_is_final = last_cons == Some(i + 1) && i + 2 == us.len();
                let opens = match prev_vowel {
                    None => true, // word start or inside a cluster
                    Some(b'a') if next_is_last => true,
                    Some(_) => next_is_final,
                };
                if opens {
                    let after_long_a = prev_vowel == Some(b'a') && i > 0 && matches!(us[i - 1], Unit::Vow(b'a'));
                    let v = if after_long_a && next_is_last {
                        st.faail
                    } else if next_is_final {
                        st.last_short
                    } else {
                        "a"
                    };
                    out.push_str(v);
                    prev_vowel = Some(b's');
                } else {
                    prev_vowel = None;
                }
            }
        }
    }
}

fn article(st: &Style, rest: &[char]) -> &'static str {
    match st.article {
        Article::Al => "al ",
        Article::El => "el ",
        Article::Sun => match rest.first() {
            Some(&c) if is_sun(c) && c != 'ل' => match c {
                'ت' | 'ط' => "at ",
                'ث' => "ath ",
                'د' | 'ض' => "ad ",
                'ذ' | 'ظ' => "adh ",
                'ر' => "ar ",
                'ز' => "az ",
                'س' | 'ص' => "as ",
                'ش' => "ash ",
                'ن' => "an ",
                _ => "al ",
            },
            _ => "al ",
        },
    }
}

/// Spellings of one word, most usual first (at most [`MAX_VARIANTS`]).
fn word_variants(w: &[char], units_buf: &mut Vec<Unit>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(MAX_VARIANTS);
    let push = |out: &mut Vec<String>, s: String| {
        if out.len() < MAX_VARIANTS && !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(t) = common_word(w) {
        for s in t {
            push(&mut out, (*s).to_owned());
        }
        return out;
    }
    if let Some((at, suffixes)) = compound_suffix(w) {
        let head = word_variants(&w[..at], units_buf);
        for k in 0..MAX_VARIANTS.min(head.len().max(suffixes.len())) {
            let mut s = head[k.min(head.len() - 1)].clone();
            s.push_str(suffixes[k.min(suffixes.len() - 1)]);
            push(&mut out, s);
        }
        return out;
    }
    let (prefix, has_article, rest) = split_article(w);
    let rest_table = common_word(rest);
    units(rest, units_buf);
    for (k, st) in STYLES.iter().enumerate() {
        let mut s = String::with_capacity(w.len() * 2 + 4);
        match prefix {
            // `عبدال...`: the article joins `abd` (`abdul`, `abdel`, `abd al`, `abd ar`).
            ['ع', ..] => s.push_str(match k {
                0 | 3 => "abdul ",
                1 => "abdel ",
                _ => "abd ",
            }),
            [_, ..] => s.push_str(if k == 1 { "abou " } else { "abu " }),
            [] => {}
        }
        if has_article && !(matches!(prefix, ['ع', ..]) && k != 2) {
            s.push_str(article(st, rest));
        }
        match rest_table {
            Some(t) => s.push_str(t[k.min(t.len() - 1)]),
            None => spell_word(units_buf, st, &mut s),
        }
        push(&mut out, s);
    }
    if has_article {
        // Lists also drop the article, or write it joined to the name.
        let mut s = String::with_capacity(w.len() * 2);
        match prefix {
            ['ع', ..] => s.push_str("abd "),
            [_, ..] => s.push_str("abu "),
            [] => {}
        }
        match rest_table {
            Some(t) => s.push_str(t[0]),
            None => spell_word(units_buf, &STYLES[0], &mut s),
        }
        push(&mut out, s);
    }
    out
}

/// Plausible Latin spellings of an Arabic-script name, most usual first, at most
/// [`MAX_VARIANTS`]; see the [module docs](self). Words are combined style by style (the k-th
/// spelling of the name uses the k-th spelling of each word). Non-Arabic characters are kept
/// as ASCII.
///
/// ```
/// use sekisho_match::translit::arabic::romanize;
/// let v = romanize("محمد");
/// assert_eq!(v[0], "muhammad");
/// assert!(v.contains(&"mohamed".to_string()));
/// assert_eq!(romanize("خالد")[0], "khalid");
/// assert!(romanize("الرشيد").contains(&"ar rasheed".to_string()));
/// ```
pub fn romanize(s: &str) -> Vec<String> {
    // Pieces: either an Arabic word's variants or literal text.
    let mut pieces: Vec<Vec<String>> = Vec::new();
    let mut lit = String::new();
    let mut word: Vec<char> = Vec::with_capacity(16);
    let mut units_buf = Vec::with_capacity(16);
    let flush_word = |word: &mut Vec<char>, pieces: &mut Vec<Vec<String>>, lit: &mut String, ub: &mut Vec<Unit>| {
        if !word.is_empty() {
            if !lit.is_empty() {
                pieces.push(vec![std::mem::take(lit)]);
            }
            pieces.push(word_variants(word, ub));
            word.clear();
        }
    };
    for c in s.chars() {
        if is_arabic_letter(c) || ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}' || c == '\u{0640}' {
            if let Some(k) = canon(c) {
                word.push(k);
            }
        } else {
            flush_word(&mut word, &mut pieces, &mut lit, &mut units_buf);
            if c.is_alphanumeric() {
                push_char(c, &mut lit);
            } else if !(lit.ends_with(' ') || lit.is_empty() && pieces.is_empty()) {
                lit.push(' ');
            }
        }
    }
    flush_word(&mut word, &mut pieces, &mut lit, &mut units_buf);
    if !lit.is_empty() {
        pieces.push(vec![lit]);
    }
    let depth = pieces.iter().map(Vec::len).max().unwrap_or(1);
    let mut out: Vec<String> = Vec::with_capacity(MAX_VARIANTS);
    for k in 0..depth {
        let mut s = String::with_capacity(s.len() * 2);
        for p in &pieces {
            s.push_str(&p[k.min(p.len() - 1)]);
        }
        let t = s.trim_end().len();
        s.truncate(t);
        if out.len() < MAX_VARIANTS && !out.contains(&s) {
            out.push(s);
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(v: &[String], s: &str) -> bool {
        v.iter().any(|x| x == s)
    }

    #[test]
    fn skeleton_meets_latin_spellings() {
        let pairs: &[(&str, &[&str])] = &[
            ("محمد", &["muhammad", "mohammed", "mohamad", "mohamed"]),
            ("أحمد", &["ahmad", "ahmed"]),
            ("حسين", &["hussein", "husayn", "hossein", "hussain"]),
            ("خالد", &["khalid", "khaled"]),
            ("يوسف", &["yusuf", "youssef", "yousef"]),
            ("عبد الرحمن", &["abd al rahman", "abdul rahman", "abd al-rahman", "abd ar rahman"]),
            ("عبدالرحمن", &["abdurrahman", "abdulrahman", "abdelrahman"]),
            ("عبدالله", &["abdullah", "abdallah"]),
            ("فاطمة", &["fatima", "fatimah", "fatma"]),
            ("جمال", &["jamal", "djamel", "gamal"]),
            ("فيصل", &["faisal", "faysal", "faycal"]),
            ("الشهري", &["al shahri", "ash shahri", "al-shahri"]),
            ("إسحاق", &["ishaq", "ishak", "is'haq"]),
            ("ذو الفقار", &["dhu al fiqar", "dhu al-faqar", "zu al fiqar"]),
            ("پرویز", &["parviz", "parvez"]),
        ];
        for (ar, latins) in pairs {
            let k = skeleton(ar).replace(' ', "");
            for l in *latins {
                assert_eq!(latin_skeleton(l).replace(' ', ""), k, "{ar} vs {l}");
            }
        }
    }

    #[test]
    fn skeleton_ignores_vowel_signs_and_presentation() {
        assert_eq!(skeleton("مُحَمَّد"), "mhmd");
        assert_eq!(skeleton("محـــمد"), "mhmd");
        assert_eq!(skeleton("حسین"), skeleton("حسين"));
        assert_eq!(skeleton("كريم"), skeleton("کریم"));
        assert_eq!(skeleton("abc"), "");
    }

    #[test]
    fn skeleton_keeps_distinct_names_apart() {
        assert_ne!(skeleton("محمد"), skeleton("أحمد"));
        assert_ne!(skeleton("علي"), skeleton("عمر"));
        assert_ne!(latin_skeleton("ali"), latin_skeleton("omar"));
    }

    #[test]
    fn table_words() {
        assert_eq!(romanize("أحمد")[..2], ["ahmad".to_string(), "ahmed".to_string()]);
        assert!(has(&romanize("بن"), "bin"));
        assert!(has(&romanize("مصطفى"), "moustafa"));
        assert_eq!(romanize("محمد بن علي")[0], "muhammad bin ali");
    }

    #[test]
    fn general_rules() {
        let v = romanize("حامد");
        assert_eq!(v[0], "hamid");
        assert!(has(&v, "hamed"));
        assert_eq!(romanize("رشيد")[0], "rashid");
        assert!(has(&romanize("رشيد"), "rasheed"));
        assert_eq!(romanize("زينب")[0], "zaynab");
        assert!(has(&romanize("زينب"), "zainab"));
        assert_eq!(romanize("جعفر")[0], "jafar");
        assert_eq!(romanize("مهدي")[0], "mahdi");
        assert_eq!(romanize("عائشة")[0], "aisha");
        assert_eq!(romanize("سلمان")[0], "salman");
        let v = romanize("القاسم");
        assert_eq!(v[0], "al qasim");
        assert!(has(&v, "el kasem"));
        assert!(has(&v, "qasim"));
    }

    #[test]
    fn article_assimilation() {
        let v = romanize("الرشيد");
        assert!(has(&v, "al rashid") && has(&v, "el rachid") || has(&v, "el rashid"));
        assert!(has(&v, "ar rasheed"));
        assert!(has(&romanize("عبدالعزيز"), "abdul aziz"));
    }

    #[test]
    fn persian_letters() {
        assert_eq!(romanize("پرویز")[0], "parwiz");
        assert!(romanize("گل").iter().all(|s| s.starts_with('g')));
    }

    #[test]
    fn bounded_ascii() {
        let v = romanize("محمد أحمد علي حسن حسين عبد الله بن أبو خالد");
        assert!(v.len() <= MAX_VARIANTS);
        assert!(v.iter().all(|s| s.is_ascii()));
        assert_eq!(romanize(""), vec![String::new()]);
    }
}
