use super::*;

fn mandarin(s: &str) -> Vec<&'static str> {
    pinyin_syllables(s)
        .into_iter()
        .map(|s| match s {
            Syllable::Pinyin(p) => p,
            Syllable::Other(_) => "?",
        })
        .collect()
}

fn has(c: char, r: Reading, want: &str) -> bool {
    readings(c, r).contains(&want)
}

#[test]
fn kim_jong_un_in_four_languages() {
    assert_eq!(readings('金', Reading::Mandarin), ["jin"]);
    assert_eq!(readings('金', Reading::Cantonese), ["gam"]);
    assert_eq!(readings('金', Reading::Korean), ["금", "김"]);
    assert!(has('金', Reading::JapaneseOn, "kin"));
    assert_eq!(readings('金', Reading::JapaneseKun), ["kane"]);
    assert_eq!(mandarin("金正恩"), ["jin", "zheng", "en"]);
    assert_eq!(readings('正', Reading::Korean)[0], "정");
    assert_eq!(readings('恩', Reading::Korean)[0], "은");
}

#[test]
fn common_chinese_surnames_and_company_words() {
    assert_eq!(mandarin("华为"), ["hua", "wei"]);
    assert_eq!(mandarin("張张"), ["zhang", "zhang"]);
    assert_eq!(mandarin("陳陈"), ["chen", "chen"]);
    assert_eq!(mandarin("黃黄"), ["huang", "huang"]);
    assert_eq!(mandarin("李"), ["li"]);
    assert_eq!(mandarin("电子"), ["dian", "zi"]);
    assert_eq!(mandarin("技术"), ["ji", "shu"]);
    assert_eq!(mandarin("集团"), ["ji", "tuan"]);
    // Japanese and traditional writings of the same words read the same.
    assert_eq!(mandarin("電子"), ["dian", "zi"]);
    assert_eq!(mandarin("技術"), ["ji", "shu"]);
    assert_eq!(mandarin("集団"), ["ji", "tuan"]);
    assert_eq!(mandarin("集團"), ["ji", "tuan"]);
}

#[test]
fn hong_kong_spellings_of_surnames() {
    let hk = |c: char| hk_romanisations(readings(c, Reading::Cantonese)[0])[0].clone();
    assert_eq!(hk('張'), "cheung");
    assert_eq!(hk('陳'), "chan");
    assert_eq!(hk('黃'), "wong");
    assert_eq!(hk('王'), "wong");
    assert_eq!(hk('李'), "lee");
    assert_eq!(hk('梁'), "leung");
    assert_eq!(hk('吳'), "ng");
    assert_eq!(hk('何'), "ho");
    assert_eq!(hk('謝'), "tse");
    assert_eq!(hk('楊'), "yeung");
    assert_eq!(hk('周'), "chow");
    assert_eq!(hk('劉'), "lau");
    assert_eq!(hk('郭'), "kwok");
    assert_eq!(hk('曾'), "tsang");
}

#[test]
fn korean_readings_include_the_south_korean_initial_form() {
    assert_eq!(readings('李', Reading::Korean), ["리", "이"]);
}

#[test]
fn polyphones_keep_every_reading_most_common_first() {
    assert_eq!(readings('行', Reading::Mandarin)[..2], ["xing", "hang"]);
    assert!(has('长', Reading::Mandarin, "chang") && has('长', Reading::Mandarin, "zhang"));
    assert_eq!(readings('重', Reading::Mandarin)[..2], ["zhong", "chong"]);
    assert_eq!(mandarin("中国银行"), ["zhong", "guo", "yin", "hang"]);
    assert_eq!(mandarin("中國銀行"), ["zhong", "guo", "yin", "hang"]);
    assert_eq!(mandarin("重庆长安"), ["chong", "qing", "chang", "an"]);
    assert_eq!(mandarin("厦门"), ["xia", "men"]);
}

#[test]
fn fixed_words_use_readings_from_the_table() {
    for (word, pinyin) in FIXED_WORDS {
        for (c, p) in word.chars().zip(pinyin.iter()) {
            assert!(
                has(c, Reading::Mandarin, p),
                "{word}: {c} has no reading {p}"
            );
        }
        assert_eq!(word.chars().count(), pinyin.len());
        assert!(
            word.chars().all(|c| fold_variant(c) == c),
            "{word} is not folded"
        );
    }
}

#[test]
fn u_umlaut_is_spelt_three_ways() {
    assert_eq!(readings('吕', Reading::Mandarin), ["lu", "lv", "lyu"]);
    assert_eq!(readings('女', Reading::Mandarin)[..3], ["nu", "nv", "nyu"]);
    assert_eq!(readings('略', Reading::Mandarin), ["lue", "lve", "lyue"]);
    // After j, q, x, y pinyin writes plain u.
    assert_eq!(readings('居', Reading::Mandarin)[0], "ju");
    assert_eq!(readings('徐', Reading::Mandarin)[0], "xu");
}

#[test]
fn japanese_readings_are_lower_case_hepburn_with_long_vowels_folded() {
    assert!(has('東', Reading::JapaneseOn, "to")); // TOU
    assert_eq!(readings('東', Reading::JapaneseKun)[0], "higashi");
    assert!(has('京', Reading::JapaneseOn, "kyo")); // KYOU
    assert!(has('重', Reading::JapaneseOn, "ju")); // JUU
    assert!(has('大', Reading::JapaneseKun, "okii")); // OOKII
    assert_eq!(readings('山', Reading::JapaneseKun), ["yama"]);
}

#[test]
fn variants_fold_to_one_form() {
    for (a, b) in [
        ('銀', '银'),
        ('國', '国'),
        ('電', '电'),
        ('張', '张'),
        ('陳', '陈'),
        ('黃', '黄'),
        ('華', '华'),
        ('為', '为'),
        ('團', '团'),
        ('団', '团'), // Japanese shinjitai
        ('駅', '驿'),
        ('驛', '驿'),
        ('総', '总'),
        ('總', '总'),
        ('広', '广'),
        ('發', '发'),
        ('発', '发'),
    ] {
        assert_eq!(fold_variant(a), fold_variant(b), "{a} / {b}");
    }
    assert_eq!(fold_variant('銀'), '银');
    assert_eq!(fold_variant('国'), '国');
}

#[test]
fn fold_keeps_distinct_characters_apart() {
    // Simplified forms that are characters of their own in Japanese or Chinese.
    assert_eq!(fold_variant('芸'), '芸'); // yun, not Japanese 芸 = 藝 (yi)
    assert_eq!(fold_variant('欠'), '欠'); // qian, not 缺 (que)
    assert_eq!(fold_variant('乾'), '乾'); // its own simplified form
    assert_eq!(fold_variant('a'), 'a');
    assert_eq!(fold_variant('ア'), 'ア');
}

#[test]
fn fold_is_idempotent_and_preserves_han() {
    let t = &*TABLES;
    for (&from, &to) in t.fold_from.iter().zip(&t.fold_to) {
        let from = char::from_u32(from).unwrap();
        assert!(is_han(from) && is_han(to), "{from} -> {to}");
        assert_eq!(
            fold_variant(to),
            to,
            "{from} -> {to} -> {}",
            fold_variant(to)
        );
    }
}

#[test]
fn compatibility_ideographs_read_like_their_nfkc_form() {
    // U+F900 豈 is a Korean compatibility duplicate of U+8C48 豈.
    assert!(is_han('\u{F900}'));
    assert_eq!(
        readings('\u{F900}', Reading::Mandarin),
        readings('豈', Reading::Mandarin)
    );
    assert!(has('豈', Reading::Korean, "개"));
    assert_eq!(fold_variant('\u{F900}'), fold_variant('豈'));
}

#[test]
fn non_han_has_no_readings() {
    assert!(!is_han('a') && !is_han('あ') && !is_han('김'));
    assert!(readings('a', Reading::Mandarin).is_empty());
    assert!(readings('김', Reading::Korean).is_empty());
    assert!(is_han('㐀') && is_han('\u{20000}') && is_han('\u{31350}'));
    assert_eq!(
        pinyin_syllables("Z银"),
        [Syllable::Other('Z'), Syllable::Pinyin("yin")]
    );
}

#[test]
fn readings_are_plain_ascii_or_hangul() {
    let t = &*TABLES;
    for (row, span) in t.spans.iter().enumerate() {
        let c = char::from_u32(t.chars[row]).unwrap();
        assert!(is_han(c), "{c}");
        assert!(span.windows(2).all(|w| w[0] <= w[1]));
        for col in Reading::ALL {
            let rs = &t.pool[span[col.column()] as usize..span[col.column() + 1] as usize];
            for r in rs {
                let ok = match col {
                    Reading::Korean => r.chars().all(|h| ('\u{AC00}'..='\u{D7A3}').contains(&h)),
                    _ => r.bytes().all(|b| b.is_ascii_lowercase()),
                };
                assert!(ok && !r.is_empty(), "{c} {col:?} {r:?}");
            }
        }
    }
}

/// The `#!` header line of a generated table, as key=value pairs.
fn header(tsv: &str) -> std::collections::HashMap<&str, &str> {
    let line = tsv
        .lines()
        .find(|l| l.starts_with("#! "))
        .expect("no #! header line");
    line[3..]
        .split(' ')
        .filter_map(|kv| kv.split_once('='))
        .collect()
}

fn fnv1a64(lines: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for line in lines {
        for b in line.bytes().chain(std::iter::once(b'\n')) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[test]
fn generated_tables_match_their_declared_inputs() {
    let readings_header = header(READINGS_TSV);
    let variants_header = header(VARIANTS_TSV);
    let simplified_header = header(SIMPLIFIED_TSV);
    let rows = data_lines(READINGS_TSV);
    let folds = data_lines(VARIANTS_TSV);
    let simplified = data_lines(SIMPLIFIED_TSV);

    // Content: nobody edited the tables by hand, and nothing was cut off.
    assert_eq!(readings_header["rows"], rows.len().to_string());
    assert_eq!(readings_header["fnv1a64"], fnv1a64(&rows));
    assert_eq!(variants_header["rows"], folds.len().to_string());
    assert_eq!(variants_header["fnv1a64"], fnv1a64(&folds));
    assert_eq!(simplified_header["rows"], simplified.len().to_string());
    assert_eq!(simplified_header["fnv1a64"], fnv1a64(&simplified));
    assert!(rows.iter().all(|l| l.split('\t').count() == 6));
    let t = &*TABLES;
    assert!(t.chars.windows(2).all(|w| w[0] < w[1]), "rows not sorted");
    assert!(
        t.fold_from.windows(2).all(|w| w[0] < w[1]),
        "variants not sorted"
    );
    assert!(t.simplified.windows(2).all(|w| w[0] < w[1]), "simplified forms not sorted");
    for (col, name) in ["mandarin", "cantonese", "korean", "on", "kun"]
        .iter()
        .enumerate()
    {
        let n = t.spans.iter().filter(|s| s[col] < s[col + 1]).count();
        assert_eq!(readings_header[name], n.to_string(), "{name} count");
    }

    // Inputs: the tables were generated by the generator as it declares itself now.
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/gen_han_readings.py"
    );
    let Ok(script) = std::fs::read_to_string(script) else {
        println!("skipped: generator script not found next to the crate");
        return;
    };
    let declared = |name: &str| -> String {
        let prefix = format!("{name} = ");
        let line = script.lines().find(|l| l.starts_with(&prefix)).expect(name);
        line[prefix.len()..].trim_matches('"').to_owned()
    };
    for h in [&readings_header, &variants_header, &simplified_header] {
        assert_eq!(
            h["unihan"],
            declared("UNIHAN_VERSION"),
            "regenerate the Han tables"
        );
        assert_eq!(h["format"], declared("FORMAT"), "regenerate the Han tables");
    }
    assert_eq!(variants_header["opencc"], declared("OPENCC_JP2T"));
}

/// Re-runs the generator against the Debian data when it is installed. Skipped (with a
/// notice) on machines without `unicode-data`, `opencc` or python3: the build never needs them.
#[test]
fn generator_reproduces_the_committed_tables() {
    let inputs = [
        "/usr/share/unicode/Unihan_Readings.txt.bz2",
        "/usr/bin/opencc",
    ];
    if let Some(missing) = inputs.iter().find(|p| !std::path::Path::new(p).exists()) {
        println!("skipped: {missing} absent (apt-get install unicode-data opencc to run)");
        return;
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/gen_han_readings.py"
    );
    let status = match std::process::Command::new("python3")
        .args([script, "--check"])
        .status()
    {
        Ok(status) => status,
        Err(e) => {
            println!("skipped: cannot run python3: {e}");
            return;
        }
    };
    assert!(
        status.success(),
        "committed Han tables are stale: run {script}"
    );
}

/// Mainland simplified forms are told apart from the simplified forms Japan writes too.
#[test]
fn mainland_simplified_forms_exclude_the_shared_ones() {
    for c in ['陈', '张', '伟', '华', '为', '电'] {
        assert!(is_mainland_simplified(c), "{c}");
    }
    // Japanese writes these (国, 学, 会 are also shinjitai), and traditional forms and
    // characters without variants are not simplified at all.
    for c in ['国', '学', '会', '陳', '張', '王', '金', 'a', 'カ'] {
        assert!(!is_mainland_simplified(c), "{c}");
    }
}
