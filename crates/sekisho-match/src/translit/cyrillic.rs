//! Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian) into Latin keys.
//!
//! One Cyrillic name reaches a list in several Latin spellings, because passports, gazetteers,
//! libraries and newspapers each use their own system: `Юрий Хрущёв` is `Yuriy Khrushchev`
//! (BGN/PCGN), `Iurii Khrushchev` (Russian passport), `Jurij Xrushhyov` (GOST 7.79-B),
//! `Yury Khrushchyov` or `Juri Chruschtschow` (press). [`romanize`] spells the input in each
//! system below, most standard first, and drops duplicates (at most [`MAX_VARIANTS`]):
//!
//! 1. **BGN/PCGN 1947** (US and UK gazetteers, most English-language lists): `е` is `ye` at
//!    the start of a word and after a vowel, `ь`, `ъ` or `й`, else `e`; `ё` likewise `ye`/`e`
//!    (the diaeresis dropped); `й` `y`, `ы` `y`, `х` `kh`, `ц` `ts`, `щ` `shch`, `ю` `yu`, `я`
//!    `ya`; `ъ` and `ь` (written `”` and `’`) dropped; final `-ий`/`-ый` `-iy`/`-yy`.
//! 2. **ICAO 9303** (machine-readable zone; Russian passports since 2013): `е ё` `e`, `й` `i`,
//!    `ъ` `ie`, `ю` `iu`, `я` `ia`, `-ий` `-ii`.
//! 3. **English press**: `ye` only at the start of a word, `ё` `yo`, final `-ий`/`-ый` `-y`
//!    (`Dmitry`), `ье` `ye`.
//! 4. **ISO 9:1995 / GOST 7.79 system B** (ASCII): `й` `j`, `х` `x`, `ц` `cz` (`c` before
//!    `е и й ы`), `щ` `shh`, `ё` `yo`, `ю` `yu`, `я` `ya`; the `` ` `` and `'` signs dropped.
//! 5. **`h` spellings** (French, Spanish, Turkish and much older English usage): `х` `h`,
//!    `-ий` `-i`.
//! 6. **German/Scandinavian `j` spellings**: `й` `j`, `ю` `ju`, `я` `ja`, `ё` `jo`,
//!    `-ий` `-ij`, `х` `ch`, `щ` `sch`.
//!
//! Other languages are recognised by their own letters and then spelled with their official
//! national systems first:
//!
//! * **Ukrainian** (`і ї є ґ`): KMU 2010 (`г` `h`, `ґ` `g`, `и` `y`, `і` `i`, `ї` `yi`/`i`,
//!   `є` `ye`/`ie`, `й` `y`/`i`, `ю` `yu`/`iu`, `я` `ya`/`ia`, initial/other position), then the
//!   same with Russian habits (`г` `g`, `и` `i`) because many Ukrainian names reached lists
//!   through Russian.
//! * **Belarusian** (`ў`): `ў` `w`/`u`, `г` `h`, otherwise as Russian.
//! * **Serbian/Macedonian** (`ђ ј љ њ ћ џ ѓ ќ ѕ`): the Latin alphabet without diacritics
//!   (`č ć` `c`, `š` `s`, `ž` `z`, `đ` `dj`, `dž` `dz`, `lj nj`, `ѓ` `gj`, `ќ` `kj`) and an
//!   English variant (`ch sh zh`, `ћ` `ch`, `џ` `dzh`).
//! * **Bulgarian** (no letter proves it): when a word has no `ы э ё`, the Bulgarian streamlined
//!   system is added (`щ` `sht`, `ъ` `a`, `х` `h`, `ю` `yu`, `я` `ya`).
//!
//! Characters that are not Cyrillic are spelled by the general fallback (ASCII kept), so the
//! result is always lower-case ASCII.

use super::other::push_char;

/// Upper bound of [`romanize`].
pub const MAX_VARIANTS: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    Russian,
    Ukrainian,
    Belarusian,
    SouthSlavic,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sys {
    Bgn,
    Icao,
    Press,
    Gost,
    HVariant,
    JVariant,
    Bulgarian,
    /// Ukrainian/Belarusian/Serbian national system.
    National,
}

fn lang_of(s: &str) -> (Lang, bool) {
    let mut lang = Lang::Russian;
    let mut russian_only = false;
    for c in s.chars() {
        match lower(c) {
            'ђ' | 'ј' | 'љ' | 'њ' | 'ћ' | 'џ' | 'ѓ' | 'ќ' | 'ѕ' => lang = Lang::SouthSlavic,
            'ў' => lang = Lang::Belarusian,
            'ї' | 'є' | 'ґ' if lang == Lang::Russian => lang = Lang::Ukrainian,
            'і' if lang == Lang::Russian => lang = Lang::Ukrainian,
            'ы' | 'э' | 'ё' => russian_only = true,
            _ => {}
        }
    }
    if lang == Lang::Ukrainian && russian_only {
        // `і` with `ы`/`э` is Belarusian.
        lang = Lang::Belarusian;
    }
    (lang, russian_only)
}

fn lower(c: char) -> char {
    match c as u32 {
        0x410..=0x42F => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        0x400..=0x40F => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        0x460..=0x4FF if (c as u32).is_multiple_of(2) => char::from_u32(c as u32 + 1).unwrap_or(c),
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        _ => c,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' | 'і' | 'ї' | 'є' | 'ѐ' | 'ѝ')
}

fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x400..=0x52F)
}

/// Context of one letter.
#[derive(Clone, Copy)]
struct Ctx {
    /// At the start of a word.
    start: bool,
    /// After a vowel, `ь`, `ъ`, `й` (BGN's `ye` positions besides the start).
    after_vowel: bool,
    /// After a soft or hard sign.
    after_sign: bool,
    /// Next letter is `е и й ы э і` (GOST `c` position).
    before_front: bool,
}

/// Spelling of `c` in `sys` (lower-case Cyrillic in, ASCII out). `None` for non-Cyrillic.
fn spell(sys: Sys, lang: Lang, c: char, x: Ctx) -> Option<&'static str> {
    use Sys::*;
    let iotated = x.start || x.after_vowel;
    let s = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => match (lang, sys) {
            (Lang::Ukrainian | Lang::Belarusian, National) => "h",
            (Lang::Ukrainian | Lang::Belarusian, Bgn | Icao) => "h",
            _ => "g",
        },
        'ґ' => "g",
        'д' => "d",
        'е' | 'ѐ' => match sys {
            Bgn if iotated => "ye",
            Press | HVariant if x.start || x.after_sign => "ye",
            JVariant if x.start || x.after_sign => "je",
            _ => "e",
        },
        'ё' => match sys {
            Bgn if iotated => "ye",
            Bgn | Icao => "e",
            JVariant if iotated => "jo",
            JVariant => "o",
            _ => "yo",
        },
        'є' => match sys {
            Icao => "ie",
            _ if x.start => "ye",
            National | Bgn => "ie",
            _ => "ye",
        },
        'ж' => match (lang, sys) {
            (Lang::SouthSlavic, National) => "z",
            _ => "zh",
        },
        'з' => "z",
        'и' | 'ѝ' => match (lang, sys) {
            (Lang::Ukrainian, National | Bgn | Icao | Press) => "y",
            _ => "i",
        },
        'і' => "i",
        'ї' => match sys {
            Icao => "i",
            _ if x.start => "yi",
            National | Bgn => "i",
            _ => "yi",
        },
        'й' => match sys {
            Icao => "i",
            Gost | JVariant => "j",
            National if lang == Lang::Ukrainian && !x.start => "i",
            _ => "y",
        },
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ў' => match sys {
            National => "w",
            _ => "u",
        },
        'ф' => "f",
        'х' => match sys {
            Gost => "x",
            HVariant | Bulgarian => "h",
            JVariant => "ch",
            _ if lang == Lang::SouthSlavic => "h",
            _ => "kh",
        },
        'ц' => match sys {
            Gost if x.before_front => "c",
            Gost => "cz",
            National if lang == Lang::SouthSlavic => "c",
            JVariant => "z",
            _ => "ts",
        },
        'ч' => match (lang, sys) {
            (Lang::SouthSlavic, National) => "c",
            _ => "ch",
        },
        'ш' => match (lang, sys) {
            (Lang::SouthSlavic, National) => "s",
            (_, JVariant) => "sch",
            _ => "sh",
        },
        'щ' => match sys {
            Gost => "shh",
            Bulgarian => "sht",
            JVariant => "schtsch",
            HVariant => "sch",
            _ => "shch",
        },
        'ъ' => match sys {
            Icao if x.start => "",
            Icao => "ie",
            Bulgarian => "a",
            _ => "",
        },
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => match sys {
            Icao => "iu",
            JVariant => "ju",
            National if lang == Lang::Ukrainian && !x.start => "iu",
            _ => "yu",
        },
        'я' => match sys {
            Icao => "ia",
            JVariant => "ja",
            National if lang == Lang::Ukrainian && !x.start => "ia",
            _ => "ya",
        },
        'ђ' => "dj",
        'ћ' => match sys {
            National => "c",
            _ => "ch",
        },
        'џ' => match sys {
            National => "dz",
            _ => "dzh",
        },
        'ѓ' => "gj",
        'ќ' => "kj",
        'ѕ' => "dz",
        _ if is_cyrillic(c) => "",
        _ => return None,
    };
    Some(s)
}

/// Spelling of a word-final `-ий` / `-ый` (`c` is `и` or `ы`).
fn final_ij(sys: Sys, c: char) -> &'static str {
    match (sys, c) {
        (Sys::Bgn, 'и') => "iy",
        (Sys::Bgn, _) => "yy",
        (Sys::Icao, 'и') => "ii",
        (Sys::Icao, _) => "yi",
        (Sys::Gost, 'и') => "ij",
        (Sys::Gost, _) => "yj",
        (Sys::Press | Sys::Bulgarian, _) => "y",
        (Sys::HVariant, 'и') => "i",
        (Sys::HVariant, _) => "y",
        (Sys::JVariant, 'и') => "ij",
        (Sys::JVariant, _) => "yj",
        (_, 'и') => "iy",
        _ => "yy",
    }
}

fn systems(lang: Lang, russian_only: bool) -> &'static [Sys] {
    use Sys::*;
    match lang {
        Lang::Russian if russian_only => &[Bgn, Icao, Press, Gost, HVariant, JVariant],
        Lang::Russian => &[Bgn, Icao, Press, Gost, HVariant, JVariant, Bulgarian],
        Lang::Ukrainian => &[National, Bgn, Icao, Press, Gost, HVariant, JVariant],
        Lang::Belarusian => &[National, Bgn, Icao, Press, Gost, HVariant],
        Lang::SouthSlavic => &[National, Press, Gost],
    }
}

/// One input character with its context, computed once for all systems.
#[derive(Clone, Copy)]
struct Letter {
    c: char,
    ctx: Ctx,
    /// `и`/`ы` of a word-final `-ий`/`-ый` (the `й` is then skipped).
    final_ij: bool,
    /// The `й` of such an ending.
    skip: bool,
}

fn is_letter(c: Option<char>) -> bool {
    c.is_some_and(|c| is_cyrillic(c) || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic()))
}

fn letters(chars: &[char], lang: Lang, out: &mut Vec<Letter>) {
    out.clear();
    let mut skip_next = false;
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let ctx = Ctx {
            start: !is_letter(prev),
            after_vowel: prev.is_some_and(|p| is_vowel(p) || matches!(p, 'ь' | 'ъ' | 'й')),
            after_sign: prev.is_some_and(|p| matches!(p, 'ь' | 'ъ')),
            before_front: next.is_some_and(|n| matches!(n, 'е' | 'и' | 'й' | 'ы' | 'э' | 'і')),
        };
        let final_ij = matches!(c, 'и' | 'ы')
            && next == Some('й')
            && !is_letter(chars.get(i + 2).copied())
            && !ctx.start
            && lang != Lang::Ukrainian;
        out.push(Letter { c, ctx, final_ij, skip: skip_next });
        skip_next = final_ij;
    }
}

fn spell_all(sys: Sys, lang: Lang, letters: &[Letter], out: &mut String) {
    for l in letters {
        if l.skip {
            continue;
        }
        if l.final_ij {
            out.push_str(final_ij(sys, l.c));
            continue;
        }
        match spell(sys, lang, l.c, l.ctx) {
            Some(s) => out.push_str(s),
            None => push_char(l.c, out),
        }
    }
}

/// Latin spellings of Cyrillic `s`, most standard first, without duplicates, at most
/// [`MAX_VARIANTS`]; see the [module docs](self) for the systems.
///
/// ```
/// use sekisho_match::translit::cyrillic::romanize;
/// let v = romanize("юрий");
/// assert_eq!(v[0], "yuriy");
/// assert!(v.contains(&"iurii".to_string()));
/// assert!(v.contains(&"yury".to_string()));
/// ```
pub fn romanize(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().map(lower).collect();
    let (lang, russian_only) = lang_of(s);
    let mut ls = Vec::with_capacity(chars.len());
    letters(&chars, lang, &mut ls);
    let mut out: Vec<String> = Vec::with_capacity(MAX_VARIANTS);
    let cap = s.len() + 8;
    let mut buf = String::with_capacity(cap);
    let mut try_push = |sys: Sys, lang: Lang, out: &mut Vec<String>| {
        buf.clear();
        spell_all(sys, lang, &ls, &mut buf);
        let trimmed = buf.trim_end().len();
        buf.truncate(trimmed);
        if out.len() < MAX_VARIANTS && !out.contains(&buf) {
            out.push(std::mem::replace(&mut buf, String::with_capacity(cap)));
        }
    };
    for &sys in systems(lang, russian_only) {
        try_push(sys, lang, &mut out);
    }
    match lang {
        // Ukrainian and Belarusian names also reach lists through Russian spelling habits.
        Lang::Ukrainian | Lang::Belarusian => try_push(Sys::Press, Lang::Russian, &mut out),
        Lang::SouthSlavic => try_push(Sys::Bgn, Lang::Russian, &mut out),
        Lang::Russian => {}
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
    fn russian_systems() {
        let v = romanize("хрущёв");
        assert_eq!(v[0], "khrushchev");
        assert!(has(&v, "khrushchyov"));
        assert!(has(&v, "xrushhyov"));
        assert!(has(&v, "hrushchyov") || has(&v, "hrushyov") || has(&v, "hruschyov"));
        let v = romanize("евгений");
        assert_eq!(v[0], "yevgeniy");
        assert!(has(&v, "evgenii"));
        assert!(has(&v, "yevgeny"));
        assert!(has(&v, "evgenij"));
        let v = romanize("майя");
        assert_eq!(v[0], "mayya");
        assert!(has(&v, "maiia"));
    }

    #[test]
    fn bgn_ye_after_vowels_and_signs() {
        assert_eq!(romanize("алексеев")[0], "alekseyev");
        assert_eq!(romanize("соловьев")[0], "solovyev");
        assert!(has(&romanize("соловьев"), "solovev"));
        assert!(has(&romanize("подъезд"), "podieezd")); // ICAO: ъ is `ie`
        assert_eq!(romanize("подъезд")[0], "podyezd");
    }

    #[test]
    fn gost_cz_and_c() {
        let v = romanize("цыганов");
        assert!(has(&v, "cyganov"));
        assert!(has(&romanize("царев"), "czarev"));
    }

    #[test]
    fn ukrainian() {
        // Without `і ї є ґ` a Ukrainian word cannot be told from Russian.
        let v = romanize("зеленський");
        assert!(has(&v, "zelenskiy") && has(&v, "zelensky"));
        let v = romanize("київ");
        assert_eq!(v[0], "kyiv");
        let v = romanize("григорій");
        assert_eq!(v[0], "hryhorii");
        assert!(has(&v, "grigoriy") || has(&v, "grigorij"), "{v:?}");
        let v = romanize("юлія");
        assert_eq!(v[0], "yuliia");
        assert!(has(&v, "yuliya"));
        assert!(has(&romanize("єва"), "yeva"));
    }

    #[test]
    fn belarusian_serbian_bulgarian() {
        assert_eq!(romanize("лукашэнка")[0], "lukashenka");
        assert!(has(&romanize("ўладзімір"), "wladzimir"));
        let v = romanize("ђоковић");
        assert_eq!(v[0], "djokovic");
        assert!(has(&v, "djokovich"));
        assert!(has(&romanize("љубљана"), "ljubljana"));
        let v = romanize("щерев");
        assert!(has(&v, "sherev") || has(&v, "shterev"));
        assert!(has(&romanize("търново"), "tarnovo"));
    }

    #[test]
    fn uppercase_and_mixed_input() {
        assert_eq!(romanize("ИВАН")[0], "ivan");
        assert_eq!(romanize("ао «рособоронэкспорт»")[0], "ao rosoboroneksport");
        assert_eq!(romanize("abc")[0], "abc");
        assert!(romanize("").iter().all(String::is_empty));
    }

    #[test]
    fn bounded_and_unique() {
        for w in ["щёлкий", "ъьэюя", "хрущёв", "йїєґ"] {
            let v = romanize(w);
            assert!(v.len() <= MAX_VARIANTS);
            let mut d = v.clone();
            d.sort();
            d.dedup();
            assert_eq!(d.len(), v.len());
        }
    }
}
