//! Jyutping → the spellings Hong Kong uses for Cantonese names.
//!
//! The Hong Kong government romanisation (on identity cards, company registers, and so in
//! sanctions lists) was never a fixed scheme, but it follows stable habits: unaspirated
//! stops are written as aspirated ones (b → p, d → t, g → k), z/c become `ch` or `ts`,
//! j becomes `y`, oeng becomes `eung`, eoi becomes `ui`, yun becomes `uen`. The rules
//! below are those habits, per initial and final, with the common alternatives; only a
//! few syllables whose customary spelling no rule gives are listed as irregulars.

/// Syllables whose customary spellings no general rule yields (primary first).
const IRREGULAR: &[(&str, &[&str])] = &[
    ("lei", &["lee", "li", "lei"]),       // 李, 利: Lee
    ("lo", &["law", "lo"]),               // 羅: Law
    ("zau", &["chow", "chau", "tsau"]),   // 周: Chow; 鄒: Chau
    ("zi", &["tsz", "chi", "tsze"]),      // 子: Tsz; 志: Chi
    ("ci", &["tsz", "chi", "tsze"]),      // 慈: Tsz; 池: Chi
    ("si", &["sze", "si", "shi", "see"]), // 施, 史, 司: Sze
    ("m", &["m"]),                        // 唔
    ("ng", &["ng"]),                      // 吳, 伍: Ng
];

const INITIALS: &[&str] = &[
    "gw", "kw", "ng", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "w", "z", "c", "s",
    "j",
];

/// Finals after which z/c is usually written `ts` rather than `ch` (謝 Tse, 曾 Tsang,
/// 徐 Tsui, 曹 Tso, 齊 Tsai); elsewhere `ch` leads (陳 Chan, 張 Cheung, 鍾 Chung).
const TS_FIRST: &[&str] = &["e", "ang", "eoi", "ou", "ai", "ak", "ap"];

fn initial_spellings(initial: &str, fin: &str) -> &'static [&'static str] {
    match initial {
        "" => &[""],
        "b" | "p" => &["p"],
        "d" | "t" => &["t"],
        "g" | "k" => &["k"],
        "gw" | "kw" => &["kw"],
        "m" => &["m"],
        "f" => &["f"],
        "n" => &["n"],
        "l" => &["l"],
        "h" => &["h"],
        "w" => &["w"],
        "ng" => &["ng"],
        "j" => &["y"],
        "z" | "c" if TS_FIRST.contains(&fin) => &["ts", "ch"],
        "z" | "c" => &["ch", "ts"],
        // 尚 Sheung, 水 Shui, 信 Shun: sh before oe/eo; but 孫 Suen, 書 Shu/Su.
        "s" if fin.starts_with("oe") || fin.starts_with("eo") => &["sh", "s"],
        "s" => &["s", "sh"],
        _ => &[],
    }
}

fn final_spellings(fin: &str) -> &'static [&'static str] {
    match fin {
        "aa" => &["a", "ah"],
        "aai" | "ai" => &["ai"],
        "aau" => &["au"],
        "au" => &["au", "ow"],
        "aam" | "am" => &["am"],
        "aan" | "an" => &["an"],
        "aang" | "ang" => &["ang"],
        "aap" | "ap" => &["ap"],
        "aat" | "at" => &["at"],
        "aak" | "ak" => &["ak"],
        "e" => &["e"],
        "ei" => &["ei", "ee", "i"],
        "eu" => &["eu"],
        "em" => &["em"],
        "eng" => &["eng"],
        "ep" => &["ep"],
        "ek" => &["ek"],
        "i" => &["i", "ee"],
        "iu" => &["iu"],
        "im" => &["im"],
        "in" => &["in"],
        "ing" => &["ing"],
        "ip" => &["ip"],
        "it" => &["it"],
        "ik" => &["ik"],
        "o" => &["o", "oh"],
        "oi" => &["oi"],
        "ou" => &["o", "ou"],
        "on" => &["on"],
        "ong" => &["ong"],
        "ot" => &["ot"],
        "ok" => &["ok"],
        "u" => &["u", "oo"],
        "ui" => &["ui", "ooi"],
        "un" => &["un", "oon"],
        "ung" => &["ung"],
        "ut" => &["ut"],
        "uk" => &["uk"],
        "oe" => &["oe"],
        "oeng" => &["eung"],
        "oek" => &["euk"],
        "eoi" => &["ui", "eui"],
        "eon" => &["un", "eun"],
        "eot" => &["ut", "eut"],
        "yu" => &["u", "ue", "yu"],
        "yun" => &["uen", "un"],
        "yut" => &["uet", "ut"],
        _ => &[],
    }
}

/// Hong Kong style spellings of one jyutping syllable (tone digit optional), customary
/// spelling first: `zoeng` → `["cheung", "tseung"]`, `wong` → `["wong"]`,
/// `can4` → `["chan", "tsan"]`. Returns an empty list for text that is not jyutping.
///
/// Every alternative is a spelling seen in Hong Kong names; the scorer may accept any of
/// them and should prefer the first when it has to choose one for display.
pub fn hk_romanisations(jyutping: &str) -> Vec<String> {
    let syllable = jyutping.trim_end_matches(|c: char| c.is_ascii_digit());
    if let Some((_, spellings)) = IRREGULAR.iter().find(|(s, _)| *s == syllable) {
        return spellings.iter().map(|s| (*s).to_owned()).collect();
    }
    let initial = INITIALS
        .iter()
        .copied()
        .find(|i| syllable.starts_with(i))
        .unwrap_or("");
    let fin = &syllable[initial.len()..];
    let mut finals = final_spellings(fin).to_vec();
    if initial == "j" && fin.starts_with("yu") {
        // j + yu: the y already carries the glide (余 jyu → Yu, 元 jyun → Yuen).
        finals.retain(|f| !f.starts_with('y'));
    }
    let mut out: Vec<String> = Vec::new();
    for i in initial_spellings(initial, fin) {
        for f in &finals {
            let s = format!("{i}{f}");
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::hk_romanisations;

    fn first(j: &str) -> String {
        hk_romanisations(j).into_iter().next().unwrap_or_default()
    }

    #[test]
    fn common_hong_kong_surnames() {
        let cases = [
            ("wong4", "wong"),    // 黃, 王
            ("can4", "chan"),     // 陳
            ("zoeng1", "cheung"), // 張
            ("loeng4", "leung"),  // 梁
            ("ng4", "ng"),        // 吳
            ("lei5", "lee"),      // 李
            ("ho4", "ho"),        // 何
            ("ze6", "tse"),       // 謝
            ("joeng4", "yeung"),  // 楊
            ("zau1", "chow"),     // 周
            ("lau4", "lau"),      // 劉
            ("gwok3", "kwok"),    // 郭
            ("zang1", "tsang"),   // 曾
            ("lam4", "lam"),      // 林
            ("ceoi4", "tsui"),    // 徐
            ("hoeng3", "heung"),  // 向
            ("jip6", "yip"),      // 葉
            ("jyun4", "yuen"),    // 袁
            ("syun1", "suen"),    // 孫
            ("zung1", "chung"),   // 鍾
            ("mak6", "mak"),      // 麥
            ("dang6", "tang"),    // 鄧
            ("gou1", "ko"),       // 高
            ("coi3", "choi"),     // 蔡
            ("fung4", "fung"),    // 馮
            ("pun1", "pun"),      // 潘 (Poon is the alternative)
            ("ziu6", "chiu"),     // 趙
            ("leoi5", "lui"),     // 呂
        ];
        for (jyutping, hk) in cases {
            assert_eq!(first(jyutping), hk, "{jyutping}");
        }
    }

    #[test]
    fn alternatives_are_offered() {
        assert!(hk_romanisations("zau1").contains(&"chau".to_owned()));
        assert!(hk_romanisations("pun1").contains(&"poon".to_owned()));
        assert!(hk_romanisations("coi3").contains(&"tsoi".to_owned()));
        assert!(hk_romanisations("soeng6").contains(&"seung".to_owned()));
        assert_eq!(first("soeng6"), "sheung");
        assert_eq!(first("jyu4"), "yu");
    }

    #[test]
    fn not_jyutping_gives_nothing() {
        assert!(hk_romanisations("xyz").is_empty());
        assert!(hk_romanisations("").is_empty());
    }
}
