//! Countries: ISO 3166-1 alpha-2 codes from the names lists write them in.
//!
//! Every list spells countries its own way: OFAC writes "Korea, North" and "Burma", the UN
//! "Democratic People's Republic of Korea" and "Iran (Islamic Republic of)", trade.gov and BIS
//! mostly ISO-2 codes, METI "北朝鮮" above "North Korea" in one cell. Screening and rules compare
//! countries, so the model keeps only the ISO-2 code and this module turns the spellings into it.
//!
//! ```
//! use sekisho_model::country::{name_ja, to_iso2};
//!
//! assert_eq!(to_iso2("Korea, North"), Some("KP"));
//! assert_eq!(to_iso2("Iran (Islamic Republic of)"), Some("IR"));
//! assert_eq!(to_iso2("北朝鮮"), Some("KP"));
//! assert_eq!(to_iso2("Cote d Ivoire"), Some("CI"));
//! assert_eq!(name_ja("KP"), Some("北朝鮮"));
//! ```
//!
//! The names come from three places, in this order of authority:
//!
//! 1. [`VARIANTS`], kept by hand: the spellings lists use that ISO does not (and a few
//!    regions that lists name in place of a country, e.g. "Region: Crimea").
//! 2. The generated ISO table (`country_table.rs`, from Debian's iso-codes by
//!    `scripts/gen_country_table.py`): codes, English short, common and official names and
//!    their Japanese translations. It also carries XK (Kosovo) and AN (Netherlands Antilles).
//! 3. Forms derived from the table: "Virgin Islands, British" is also indexed as "British
//!    Virgin Islands", "Falkland Islands (Malvinas)" as "Falkland Islands". A derived form
//!    that two countries share ("サンマルタン" for both halves of Saint Martin) is dropped.
//!
//! Some strings that stand where a country should are deliberately not resolved: disputed
//! areas where one code would take a side (Kashmir, Kafia Kingi), groups of states
//! ("Commonwealth of Independent States", "former Soviet Union") and placeholders
//! ("undetermined", "n/a"). The caller keeps the original string; a `None` here only means
//! "no single country".

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::LazyLock;

#[rustfmt::skip]
#[path = "country_table.rs"]
mod country_table;

use country_table::{ISO_COUNTRIES, IsoCountry};

/// Spellings the lists use that the ISO table does not carry, mapped to their ISO-2 code.
///
/// Matching folds case, accents, punctuation, spaces and a leading "Region:", so one entry
/// covers "Korea, North", "KOREA NORTH" and "korea-north". Forms that invert a comma ("Korea,
/// North" → "North Korea") or a parenthesis ("Iran (Islamic Republic of)" → "Islamic Republic
/// of Iran") are tried at lookup time and need no entry. Sources are noted where a spelling
/// could surprise.
pub static VARIANTS: &[(&str, &str)] = &[
    // --- English: short and former names, and the forms OFAC / UN / CSL / BIS write ---
    ("Burma", "MM"),
    ("Macau", "MO"),
    ("China, Hong Kong Special Administrative Region", "HK"), // UN
    ("China, Macao Special Administrative Region", "MO"),     // UN
    ("Hong Kong SAR", "HK"),
    ("Macao SAR", "MO"),
    ("Russia", "RU"),
    ("Turkey", "TR"),
    ("Republic of Turkey", "TR"),
    ("Brunei", "BN"),
    ("Czech Republic", "CZ"),
    ("Macedonia", "MK"),
    ("Macedonia, The Former Yugoslav Republic of", "MK"), // OFAC until 2019
    ("The former Yugoslav Republic of Macedonia", "MK"),  // UN until 2019
    ("Swaziland", "SZ"),
    ("Cape Verde", "CV"),
    ("Ivory Coast", "CI"),
    ("East Timor", "TL"),
    ("Vatican", "VA"),
    ("Vatican City", "VA"),
    ("Holy See", "VA"),
    ("Congo, Republic of the", "CG"), // OFAC
    ("Republic of the Congo", "CG"),
    ("Congo-Brazzaville", "CG"),
    ("Democratic Republic of the Congo", "CD"),  // UN
    ("Congo, Democratic Republic of the", "CD"), // OFAC
    ("DR Congo", "CD"),
    ("DRC", "CD"),
    ("Congo-Kinshasa", "CD"),
    ("Zaire", "CD"),
    ("North Korea", "KP"),
    ("DPRK", "KP"),
    ("Korea, North", "KP"), // OFAC
    ("South Korea", "KR"),
    ("Korea, South", "KR"), // OFAC
    ("ROK", "KR"),
    ("Republic of Korea", "KR"),
    ("PRC", "CN"), // BIS DPL writes it in the Country column
    ("Mainland China", "CN"),
    ("Taiwan", "TW"),
    ("Chinese Taipei", "TW"),
    ("Republic of China (Taiwan)", "TW"),
    ("Iran", "IR"),
    ("Syria", "SY"),
    ("Laos", "LA"),
    ("Vietnam", "VN"),
    ("Moldova", "MD"),
    ("Bolivia", "BO"),
    ("Venezuela", "VE"),
    ("Tanzania", "TZ"),
    ("Micronesia", "FM"),
    ("Palestine", "PS"),
    ("Palestinian", "PS"), // OFAC: "nationality Palestinian"
    ("Palestinian Territories", "PS"),
    ("Occupied Palestinian Territory", "PS"),
    ("West Bank", "PS"), // OFAC add.csv, CSL "REGION: WEST BANK"
    ("Gaza", "PS"),      // OFAC "Region: Gaza"
    ("Gaza Strip", "PS"),
    ("North Gaza", "PS"),    // CSL "REGION: NORTH GAZA"
    ("Northern Gaza", "PS"), // CSL "REGION: NORTHERN GAZA"
    ("Kosovo", "XK"),
    ("Netherlands Antilles", "AN"),
    ("United Kingdom", "GB"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("England", "GB"),
    ("Scotland", "GB"),
    ("Wales", "GB"),
    ("Northern Ireland", "GB"),
    ("United States", "US"),
    ("United States of America", "US"),
    ("USA", "US"),
    ("U.S.", "US"),
    ("U.S.A.", "US"),
    ("Holland", "NL"),
    ("Republic of Lebanon", "LB"), // METI; ISO's official name is "Lebanese Republic"
    ("Gambia", "GM"),
    ("Bahamas", "BS"),
    ("Saint Martin", "MF"),
    ("Sint Maarten", "SX"),
    ("Curacao", "CW"),
    ("Virgin Islands, U.S.", "VI"),
    ("US Virgin Islands", "VI"),
    ("British Virgin Islands", "VG"),
    ("Man, Isle of", "IM"), // OFAC
    ("Isle of Man", "IM"),
    ("Falkland Islands", "FK"),
    ("Reunion", "RE"),
    ("Saint Helena", "SH"),
    ("Svalbard", "SJ"),
    ("Heard and McDonald Islands", "HM"),
    ("Timor Leste", "TL"),
    // --- Regions the lists give instead of a country ---
    // Crimea and Sevastopol are Ukraine's in international law (UN GA resolution 68/262);
    // OFAC writes "Region: Crimea", the CSL "CRIMEA (OCCUPIED)".
    ("Crimea", "UA"),
    ("Crimea (occupied)", "UA"),
    ("Crimea Region of Ukraine", "UA"),
    ("Sevastopol", "UA"),
    ("Northern Mali", "ML"), // OFAC "Region: Northern Mali"
    // --- Japanese: as METI (外国ユーザーリスト) and MOF (経済制裁措置及び対象者リスト) write them ---
    ("北朝鮮", "KP"),
    ("韓国", "KR"),
    ("大韓民国", "KR"),
    ("中国", "CN"),
    ("台湾", "TW"),
    ("中華民国", "TW"),
    ("香港", "HK"),
    ("マカオ", "MO"),
    ("澳門", "MO"),
    ("ロシア", "RU"),
    ("イラン", "IR"),
    ("シリア", "SY"),
    ("トルコ", "TR"),
    ("トルキエ", "TR"),
    ("トルコ共和国", "TR"),
    ("ベラルーシ", "BY"),
    ("ミャンマー", "MM"),
    ("ビルマ", "MM"),
    ("ベトナム", "VN"),
    ("ラオス", "LA"),
    ("パレスチナ", "PS"),
    ("ヨルダン川西岸", "PS"),
    ("ガザ", "PS"),
    ("コソボ", "XK"),
    ("コソボ共和国", "XK"),
    ("英国", "GB"),
    ("イギリス", "GB"),
    ("米国", "US"),
    ("アメリカ", "US"),
    ("アメリカ合衆国", "US"),
    ("チェコ", "CZ"),
    ("北マケドニア", "MK"),
    ("マケドニア", "MK"),
    ("エスワティニ", "SZ"),
    ("スワジランド", "SZ"),
    ("バチカン", "VA"),
    ("ブルネイ", "BN"),
    ("ボリビア", "BO"),
    ("ベネズエラ", "VE"),
    ("タンザニア", "TZ"),
    ("モルドバ", "MD"),
    ("モルドヴァ", "MD"),
    ("コンゴ", "CG"),
    ("コンゴ民主共和国", "CD"),
    ("ガンビア", "GM"),
    ("ネザーランド", "NL"),
    ("アンティル", "AN"),
    ("オランダ領アンティル", "AN"),
    ("クリミア", "UA"),
    ("クリミア自治共和国", "UA"),
    ("セヴァストポリ", "UA"),
    ("セバストポリ", "UA"),
];

/// English display names where the ISO short name reads badly in a sentence or a table.
static NAME_EN_OVERRIDES: &[(&str, &str)] = &[
    ("CD", "Democratic Republic of the Congo"),
    ("FM", "Micronesia"),
    ("PS", "Palestine"),
    ("VG", "British Virgin Islands"),
    ("VI", "US Virgin Islands"),
];

/// Japanese display names: the short forms METI and MOF print, where iso-codes gives the
/// formal name ("大韓民国 (韓国)", "中国領・台湾") or leaves the English untranslated.
static NAME_JA_OVERRIDES: &[(&str, &str)] = &[
    ("BO", "ボリビア"),
    ("BN", "ブルネイ"),
    ("CZ", "チェコ"),
    ("IR", "イラン"),
    ("KP", "北朝鮮"),
    ("KR", "韓国"),
    ("LA", "ラオス"),
    ("MD", "モルドバ"),
    ("MK", "北マケドニア"),
    ("RU", "ロシア"),
    ("SY", "シリア"),
    ("SZ", "エスワティニ"),
    ("TR", "トルコ"),
    ("TW", "台湾"),
    ("VA", "バチカン"),
    ("VE", "ベネズエラ"),
];

/// The ISO-2 code for a country name or code as lists write it (English or Japanese).
///
/// Accepts ISO-2 and ISO-3 codes in any case, English short, common and official names, the
/// variants in [`VARIANTS`] and Japanese names. Case, accents, full-width forms, spaces and
/// punctuation do not matter, nor does "the" or a leading "Region:". A multi-line cell (METI
/// writes "北朝鮮\nNorth Korea") resolves when its lines agree.
///
/// Returns `None` for an unknown string, for lines that disagree, and for placeholders such
/// as "n/a": lower-case "na" is read as "not available" (the UN list writes it), only the
/// code "NA" itself means Namibia.
pub fn to_iso2(name: &str) -> Option<&'static str> {
    if !name.contains(['\n', '\r']) {
        return lookup_line(name);
    }
    let mut found = None;
    for line in name.lines() {
        match (found, lookup_line(line)) {
            (_, None) => {}
            (None, code) => found = code,
            (Some(a), Some(b)) if a != b => return None,
            _ => {}
        }
    }
    found
}

/// The English display name for an ISO-2 code (any case): the common name where ISO has one
/// ("North Korea", not "Korea, Democratic People's Republic of").
pub fn name_en(code: &str) -> Option<&'static str> {
    let country = by_code(code)?;
    if let Some(name) = override_for(NAME_EN_OVERRIDES, country.alpha2) {
        return Some(name);
    }
    Some(if country.common_name.is_empty() {
        country.name
    } else {
        country.common_name
    })
}

/// The Japanese display name for an ISO-2 code (any case), in the short form Japanese
/// ministries print ("北朝鮮", "韓国", "台湾").
pub fn name_ja(code: &str) -> Option<&'static str> {
    let country = by_code(code)?;
    Some(override_for(NAME_JA_OVERRIDES, country.alpha2).unwrap_or(country.name_ja))
}

fn override_for(overrides: &'static [(&str, &str)], code: &str) -> Option<&'static str> {
    overrides
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// The table entry for an ISO-2 code, by binary search over the code-sorted table.
fn by_code(code: &str) -> Option<&'static IsoCountry> {
    let code = code.trim();
    if code.len() != 2 || !code.is_ascii() {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    ISO_COUNTRIES
        .binary_search_by(|c| c.alpha2.cmp(upper.as_str()))
        .ok()
        .map(|i| &ISO_COUNTRIES[i])
}

fn lookup_line(line: &str) -> Option<&'static str> {
    let line = line.trim();
    // Fast path: an upper-case ISO-2 code, the commonest input, needs no folding.
    if line.len() == 2
        && line.bytes().all(|b| b.is_ascii_uppercase())
        && let Some(country) = by_code(line)
    {
        return Some(country.alpha2);
    }
    let key = fold(line);
    if key.is_empty() || is_placeholder(line, &key) {
        return None;
    }
    let index = &INDEX.keys;
    if let Some(code) = index.get(&key) {
        return Some(code);
    }
    rearrangements(line).find_map(|alt| index.get(&fold(&alt)).copied())
}

/// "n/a", "na", "N.A." mean "not available"; only the bare code "NA" is Namibia.
fn is_placeholder(line: &str, key: &str) -> bool {
    key == "na" && line != "NA"
}

/// Word orders lists use that put the distinguishing part last: "Korea, North" for "North
/// Korea", "Iran (Islamic Republic of)" for "Islamic Republic of Iran".
fn rearrangements(name: &str) -> impl Iterator<Item = String> + '_ {
    let comma = name
        .split_once(',')
        .filter(|(_, rest)| !rest.contains(','))
        .map(|(head, tail)| format!("{tail} {head}"));
    let paren = name.split_once('(').and_then(|(head, rest)| {
        let (inner, after) = rest.split_once(')')?;
        after.trim().is_empty().then(|| format!("{inner} {head}"))
    });
    comma.into_iter().chain(paren)
}

/// Without the parenthesised part: "Falkland Islands (Malvinas)" → "Falkland Islands".
fn without_parenthesis(name: &str) -> Option<String> {
    let (head, rest) = name.split_once(['(', '（'])?;
    let (_, after) = rest.split_once([')', '）'])?;
    Some(format!("{head} {after}"))
}

/// The lookup key: lower case, accents and full-width forms folded, half-width katakana made
/// full-width, "&" read as "and", "St" as "Saint", the word "the" and a leading "Region"
/// dropped, and everything that is not a letter or digit removed, so "Côte d'Ivoire", "COTE D
/// IVOIRE" and "Cote-d'Ivoire" meet, as do "Viet Nam" and "Vietnam".
fn fold(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FF61}'..='\u{FF9F}' => {
                let voiced = chars.next_if(|n| matches!(n, '\u{FF9E}' | '\u{FF9F}'));
                folded.push(halfwidth_katakana(c, voiced));
                continue;
            }
            _ => c,
        };
        if c == '&' {
            folded.push_str(" and ");
        } else if ('\u{0300}'..='\u{036F}').contains(&c) {
            // combining accents of decomposed input
        } else if let Some(base) = strip_accent(c) {
            folded.push_str(base);
        } else if c.is_alphanumeric() {
            folded.extend(c.to_lowercase());
        } else {
            folded.push(' ');
        }
    }
    let mut words: Vec<&str> = folded.split_whitespace().filter(|w| *w != "the").collect();
    if words.len() > 1 && words[0] == "region" {
        words.remove(0);
    }
    words
        .iter()
        .map(|&w| if w == "st" { "saint" } else { w })
        .collect()
}

/// ASCII base letters (lower case) for the accented Latin letters country names use.
fn strip_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'À'..='Å' | 'à'..='å' | 'Ā' | 'ā' | 'Ă' | 'ă' | 'Ą' | 'ą' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Č' | 'č' => "c",
        'Ð' | 'ð' | 'Đ' | 'đ' | 'Ď' | 'ď' => "d",
        'È'..='Ë' | 'è'..='ë' | 'Ē' | 'ē' | 'Ė' | 'ė' | 'Ę' | 'ę' | 'Ě' | 'ě' => "e",
        'Ğ' | 'ğ' | 'Ģ' | 'ģ' => "g",
        'Ì'..='Ï' | 'ì'..='ï' | 'Ī' | 'ī' | 'Į' | 'į' | 'İ' | 'ı' => "i",
        'Ķ' | 'ķ' => "k",
        'Ł' | 'ł' | 'Ļ' | 'ļ' | 'Ľ' | 'ľ' => "l",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ņ' | 'ņ' | 'Ň' | 'ň' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō' | 'ō' | 'Ő' | 'ő' => "o",
        'Œ' | 'œ' => "oe",
        'Ř' | 'ř' => "r",
        'Ś' | 'ś' | 'Ş' | 'ş' | 'Š' | 'š' | 'Ș' | 'ș' => "s",
        'ß' => "ss",
        'Ţ' | 'ţ' | 'Ť' | 'ť' | 'Ț' | 'ț' => "t",
        'Ù'..='Ü' | 'ù'..='ü' | 'Ū' | 'ū' | 'Ů' | 'ů' | 'Ű' | 'ű' | 'Ų' | 'ų' => "u",
        'Ý' | 'ý' | 'ÿ' | 'Ÿ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' => "z",
        'Þ' | 'þ' => "th",
        _ => return None,
    })
}

/// Half-width katakana (U+FF61..U+FF9F) as full-width, with a following voiced or
/// semi-voiced mark merged in ("ｶﾞ" → "ガ"). Punctuation maps to its full-width form and is
/// dropped by [`fold`] afterwards.
fn halfwidth_katakana(c: char, mark: Option<char>) -> char {
    const FULL: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";
    let Some(base) = FULL.chars().nth(c as usize - 0xFF61) else {
        return c;
    };
    let voiceable = matches!(base, 'カ'..='ト' | 'ハ'..='ホ');
    match mark {
        Some('\u{FF9E}') if base == 'ウ' => 'ヴ',
        // In the full-width block the voiced form follows the plain one, the semi-voiced
        // (ハ行 only) the voiced one: カ ガ, ハ バ パ.
        Some('\u{FF9E}') if voiceable => char::from_u32(base as u32 + 1).unwrap_or(base),
        Some('\u{FF9F}') if matches!(base, 'ハ'..='ホ') => {
            char::from_u32(base as u32 + 2).unwrap_or(base)
        }
        _ => base,
    }
}

/// How much a key's source is trusted; a more trusted source wins a shared key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Source {
    /// Codes and hand-kept variants.
    Curated,
    /// Names from the ISO table.
    Table,
    /// Rearranged or shortened table names; dropped when ambiguous.
    Derived,
}

struct Index {
    keys: HashMap<String, &'static str>,
    /// Keys that two countries claim at the same level of trust: for `Curated` and `Table`
    /// a data error (the tests assert there are none), for `Derived` expected and dropped.
    #[cfg_attr(not(test), allow(dead_code))]
    clashes: Vec<(String, Source, &'static str, &'static str)>,
}

static INDEX: LazyLock<Index> = LazyLock::new(build_index);

fn build_index() -> Index {
    let mut entries: HashMap<String, (&'static str, Source, bool)> = HashMap::new();
    let mut clashes = Vec::new();
    let mut add = |name: &str, code: &'static str, source: Source| {
        let key = fold(name);
        if key.is_empty() {
            return;
        }
        match entries.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert((code, source, false));
            }
            Entry::Occupied(mut slot) => {
                let (old_code, old_source, _) = *slot.get();
                if source < old_source {
                    slot.insert((code, source, false));
                } else if source == old_source && old_code != code {
                    clashes.push((slot.key().clone(), source, old_code, code));
                    slot.get_mut().2 = true;
                }
            }
        }
    };
    for country in &ISO_COUNTRIES {
        add(country.alpha2, country.alpha2, Source::Curated);
        add(country.alpha3, country.alpha2, Source::Curated);
    }
    for &(name, code) in VARIANTS {
        let code = by_code(code).map_or(code, |c| c.alpha2);
        add(name, code, Source::Curated);
    }
    for country in &ISO_COUNTRIES {
        let names = [
            country.name,
            country.common_name,
            country.official_name,
            country.name_ja,
            country.official_name_ja,
        ];
        for name in names.into_iter().filter(|n| !n.is_empty()) {
            add(name, country.alpha2, Source::Table);
        }
        for name in names.into_iter().filter(|n| !n.is_empty()) {
            for alt in rearrangements(name).chain(without_parenthesis(name)) {
                add(&alt, country.alpha2, Source::Derived);
            }
        }
    }
    let keys = entries
        .into_iter()
        .filter(|(_, (_, source, clashed))| !(*clashed && *source == Source::Derived))
        .map(|(key, (code, _, _))| (key, code))
        .collect();
    Index { keys, clashes }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Country strings copied from the real list files in `../shared/data/lists`, each with
    /// the list and field it came from, so this test needs no shared data.
    const REAL_SPELLINGS: &[(&str, &str, &str)] = &[
        // OFAC SDN add.csv column 5 and sdn.csv remarks ("nationality ...", "citizen ...")
        ("ofac add.csv", "Korea, North", "KP"),
        ("ofac add.csv", "Korea, South", "KR"),
        ("ofac add.csv", "Burma", "MM"),
        ("ofac add.csv", "Congo, Democratic Republic of the", "CD"),
        ("ofac add.csv", "Congo, Republic of the", "CG"),
        ("ofac add.csv", "Cote d Ivoire", "CI"),
        ("ofac add.csv", "Bahamas, The", "BS"),
        ("ofac add.csv", "The Gambia", "GM"),
        ("ofac add.csv", "Man, Isle of", "IM"),
        ("ofac add.csv", "Virgin Islands, British", "VG"),
        ("ofac add.csv", "Netherlands Antilles", "AN"),
        ("ofac add.csv", "Macau", "MO"),
        ("ofac add.csv", "Laos", "LA"),
        ("ofac add.csv", "Region: Crimea", "UA"),
        ("ofac add.csv", "Region: Gaza", "PS"),
        ("ofac add.csv", "Region: Northern Mali", "ML"),
        ("ofac add.csv", "West Bank", "PS"),
        ("ofac add.csv", "Kosovo", "XK"),
        ("ofac add.csv", "Czech Republic", "CZ"),
        ("ofac add.csv", "Brunei", "BN"),
        ("ofac sdn.csv remarks", "Palestinian", "PS"),
        (
            "ofac sdn.csv remarks",
            "Macedonia, The Former Yugoslav Republic of",
            "MK",
        ),
        ("ofac sdn.csv remarks", "Cabo Verde", "CV"),
        ("ofac sdn.csv remarks", "Russia", "RU"),
        ("ofac sdn.csv remarks", "Iran", "IR"),
        ("ofac sdn.csv remarks", "Turkey", "TR"),
        // UN SC consolidated.xml <COUNTRY>, <NATIONALITY><VALUE>, <ISSUING_COUNTRY>
        ("un COUNTRY", "Democratic People's Republic of Korea", "KP"),
        ("un COUNTRY", "Iran (Islamic Republic of)", "IR"),
        (
            "un COUNTRY",
            "China, Hong Kong Special Administrative Region",
            "HK",
        ),
        (
            "un COUNTRY",
            "United Kingdom of Great Britain and Northern Ireland",
            "GB",
        ),
        ("un COUNTRY", "United Republic of Tanzania", "TZ"),
        ("un COUNTRY", "British Virgin Islands", "VG"),
        ("un COUNTRY", "Viet Nam", "VN"),
        ("un COUNTRY", "Türkiye", "TR"),
        ("un NATIONALITY", "Democratic Republic of the Congo", "CD"),
        ("un NATIONALITY", "State of Palestine", "PS"),
        ("un NATIONALITY", "Syrian Arab Republic", "SY"),
        ("un NATIONALITY", "Russian Federation", "RU"),
        ("un ISSUING_COUNTRY", "United States of America", "US"),
        ("un COUNTRY_OF_ISSUE", "Guinea-Bissau", "GW"),
        // trade.gov CSL addresses / citizenships (ISO-2 plus a few words)
        ("csl addresses", "KP", "KP"),
        ("csl addresses", "UK", "GB"),
        ("csl addresses", "AN", "AN"),
        ("csl addresses", "XK", "XK"),
        ("csl addresses", "PRC", "CN"),
        ("csl addresses", "TURKIYE", "TR"),
        ("csl addresses", "MACAU", "MO"),
        ("csl addresses", "MAN, ISLE OF", "IM"),
        ("csl addresses", "CRIMEA (OCCUPIED)", "UA"),
        ("csl addresses", "REGION: WEST BANK", "PS"),
        ("csl addresses", "REGION: NORTHERN GAZA", "PS"),
        ("csl addresses", "REGION: IRAN", "IR"),
        ("csl addresses", "NA", "NA"),
        // BIS DPL Country column
        ("bis dpl", "PRC", "CN"),
        ("bis dpl", "AE", "AE"),
        // METI 国名・地域名: both lines of a cell, and the whole cell
        ("meti", "北朝鮮", "KP"),
        ("meti", "North Korea", "KP"),
        (
            "meti",
            "アフガニスタン\nIslamic Republic of Afghanistan",
            "AF",
        ),
        ("meti", "アラブ首長国連邦", "AE"),
        ("meti", "イラン", "IR"),
        ("meti", "Islamic Republic of Iran", "IR"),
        ("meti", "台湾", "TW"),
        ("meti", "香港", "HK"),
        ("meti", "中国", "CN"),
        ("meti", "People's Republic of China", "CN"),
        ("meti", "ロシア", "RU"),
        ("meti", "シリア", "SY"),
        ("meti", "パキスタン", "PK"),
        ("meti", "Islamic Republic of Pakistan", "PK"),
        ("meti", "イエメン", "YE"),
        ("meti", "Republic of Yemen", "YE"),
        ("meti", "レバノン", "LB"),
        ("meti", "Republic of Lebanon", "LB"),
        ("meti", "エジプト", "EG"),
        ("meti", "Arab Republic of Egypt", "EG"),
        ("meti", "イスラエル", "IL"),
        ("meti", "State of Israel", "IL"),
        ("meti", "レバノン\nRepublic of Lebanon", "LB"),
    ];

    #[test]
    fn real_list_spellings_resolve() {
        let wrong: Vec<_> = REAL_SPELLINGS
            .iter()
            .filter(|(_, name, code)| to_iso2(name) != Some(*code))
            .map(|(source, name, code)| {
                format!("{source}: {name:?} → {:?}, want {code}", to_iso2(name))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn names_from_the_brief_resolve() {
        let cases = [
            ("kp", "KP"),
            ("KP", "KP"),
            ("PRK", "KP"),
            ("prk", "KP"),
            ("Korea, Democratic People's Republic of", "KP"),
            ("Lao People's Democratic Republic", "LA"),
            ("Myanmar", "MM"),
            ("Turkey", "TR"),
            ("United Kingdom", "GB"),
            ("United States", "US"),
            ("USA", "US"),
            ("Hong Kong", "HK"),
            ("Taiwan", "TW"),
            ("中華人民共和国", "CN"),
            ("朝鮮民主主義人民共和国", "KP"),
            ("韓国", "KR"),
            ("ロシア連邦", "RU"),
            ("イラン・イスラム共和国", "IR"),
            ("アフガニスタン", "AF"),
            ("イスラエル", "IL"),
            ("トルコ", "TR"),
            ("トルキエ", "TR"),
            ("ベラルーシ", "BY"),
            ("中央アフリカ共和国", "CF"),
            ("マリ共和国", "ML"),
            ("ハイチ共和国", "HT"),
            ("南スーダン", "SS"),
        ];
        for (name, code) in cases {
            assert_eq!(to_iso2(name), Some(code), "{name}");
        }
    }

    #[test]
    fn folding_ignores_case_accents_spacing_and_width() {
        for name in [
            "Côte d'Ivoire",
            "Cote d Ivoire",
            "COTE D'IVOIRE",
            "Cote-d'Ivoire",
            "  cote  divoire ",
            "Cote\u{0302} d\u{2019}Ivoire",
            "Ｃｏｔｅ ｄ’Ｉｖｏｉｒｅ",
        ] {
            assert_eq!(to_iso2(name), Some("CI"), "{name}");
        }
        assert_eq!(to_iso2("Ｊａｐａｎ"), Some("JP"));
        assert_eq!(to_iso2("ＪＰ"), Some("JP"));
        assert_eq!(to_iso2("ｲﾗﾝ"), Some("IR"));
        assert_eq!(to_iso2("ﾍﾞﾗﾙｰｼ"), Some("BY"));
        assert_eq!(to_iso2("St. Kitts & Nevis"), Some("KN"));
        assert_eq!(to_iso2("Vietnam"), to_iso2("Viet Nam"));
        assert_eq!(to_iso2("Bolivia (Plurinational State of)"), Some("BO"));
        assert_eq!(to_iso2("Venezuela (Bolivarian Republic of)"), Some("VE"));
    }

    #[test]
    fn half_width_katakana_folds_to_full_width() {
        assert_eq!(fold("ｶﾞｻﾞ"), fold("ガザ"));
        assert_eq!(fold("ﾊﾟﾚｽﾁﾅ"), fold("パレスチナ"));
        assert_eq!(fold("ｳﾞｧﾁｶﾝ"), fold("ヴァチカン"));
    }

    #[test]
    fn placeholders_groups_and_disputed_areas_do_not_resolve() {
        for name in [
            "",
            "  ",
            "undetermined",
            "na",
            "n/a",
            "N/A",
            "former Soviet Union",
            "REGION: COMMONWEALTH OF INDEPENDENT STATES",
            "REGION: KASHMIR",
            "REGION: JAMMU AND KASHMIR",
            "Region: Kafia Kingi",
            "Korea",
            "Region",
            "NM", // a US state (New Mexico) in the DPL's Country column
        ] {
            assert_eq!(to_iso2(name), None, "{name:?}");
        }
    }

    #[test]
    fn multi_line_cells_resolve_only_when_lines_agree() {
        assert_eq!(to_iso2("北朝鮮\r\nNorth Korea"), Some("KP"));
        assert_eq!(to_iso2("香港\nsomewhere"), Some("HK"));
        assert_eq!(to_iso2("北朝鮮\nSouth Korea"), None);
    }

    #[test]
    fn shortened_names_shared_by_two_countries_are_dropped() {
        // "サンマルタン (仏領)" and "サンマルタン (オランダ領)" both shorten to サンマルタン.
        assert_eq!(to_iso2("サンマルタン"), None);
        assert_eq!(to_iso2("サンマルタン (仏領)"), Some("MF"));
        assert_eq!(to_iso2("Sint Maarten (Dutch part)"), Some("SX"));
        assert_eq!(to_iso2("Falkland Islands"), Some("FK"));
    }

    #[test]
    fn curated_and_table_names_never_clash() {
        let clashes: Vec<_> = INDEX
            .clashes
            .iter()
            .filter(|(_, source, _, _)| *source != Source::Derived)
            .collect();
        assert!(clashes.is_empty(), "{clashes:?}");
    }

    #[test]
    fn every_variant_points_at_a_table_entry() {
        for (name, code) in VARIANTS {
            assert!(
                by_code(code).is_some(),
                "{name} → {code} is not in the table"
            );
            assert_eq!(to_iso2(name), Some(*code), "{name}");
        }
    }

    #[test]
    fn every_table_entry_round_trips() {
        assert!(
            ISO_COUNTRIES.len() >= 251,
            "249 ISO countries plus XK and AN"
        );
        assert!(
            ISO_COUNTRIES.windows(2).all(|w| w[0].alpha2 < w[1].alpha2),
            "sorted"
        );
        for c in &ISO_COUNTRIES {
            for name in [c.alpha2, c.alpha3, c.name, name_en(c.alpha2).unwrap()] {
                assert_eq!(to_iso2(name), Some(c.alpha2), "{name}");
            }
            let ja = name_ja(c.alpha2).unwrap();
            assert!(!ja.is_ascii(), "{} has no Japanese name", c.alpha2);
            assert_eq!(to_iso2(ja), Some(c.alpha2), "{ja}");
        }
    }

    #[test]
    fn display_names() {
        assert_eq!(name_en("kp"), Some("North Korea"));
        assert_eq!(name_en("RU"), Some("Russian Federation"));
        assert_eq!(name_en("PS"), Some("Palestine"));
        assert_eq!(name_en("XK"), Some("Kosovo"));
        assert_eq!(name_en("ZZ"), None);
        assert_eq!(name_en("PRK"), None);
        assert_eq!(name_ja("KR"), Some("韓国"));
        assert_eq!(name_ja("TW"), Some("台湾"));
        assert_eq!(name_ja("CN"), Some("中国"));
        assert_eq!(name_ja("AE"), Some("アラブ首長国連邦"));
        assert_eq!(name_ja("XK"), Some("コソボ"));
    }

    /// Checks every country string of the real list files (see
    /// `scripts/gen_country_table.py extract`). Run with
    /// `SEKISHO_COUNTRY_STRINGS=strings.tsv cargo test -p sekisho-model country -- --ignored`.
    #[test]
    #[ignore = "needs the extracted strings of ../shared/data (SEKISHO_COUNTRY_STRINGS)"]
    fn every_real_list_string_resolves() {
        let Ok(path) = std::env::var("SEKISHO_COUNTRY_STRINGS") else {
            eprintln!("SEKISHO_COUNTRY_STRINGS not set; skipping");
            return;
        };
        let text = std::fs::read_to_string(&path).expect("read the extracted strings");
        let (mut total, mut unresolved) = (0, Vec::new());
        for line in text.lines() {
            let Some((source, value)) = line.split_once('\t') else {
                continue;
            };
            total += 1;
            match to_iso2(value) {
                Some(code) => eprintln!("ok   {code} {source}: {value}"),
                None => unresolved.push(format!("{source}: {value}")),
            }
        }
        eprintln!("{} of {total} resolve", total - unresolved.len());
        for u in &unresolved {
            eprintln!("NONE {u}");
        }
    }
}
