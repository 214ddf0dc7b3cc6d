//! Which writing system a name is written in, by Unicode block.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    /// Hiragana and katakana, full and half width.
    Kana,
    /// CJK ideographs (kanji, hanzi, hanja).
    Han,
    Hangul,
    Thai,
    Other,
}

impl Script {
    /// The script of one character, or `None` for digits, punctuation, spaces and marks.
    pub fn of(c: char) -> Option<Script> {
        let cp = c as u32;
        let script = match cp {
            _ if c.is_ascii_alphabetic() => Script::Latin,
            _ if !c.is_alphabetic() && !matches!(cp, 0x3005 | 0x30FC | 0xFF70) => return None,
            0x00C0..=0x024F | 0x1E00..=0x1EFF | 0xFF21..=0xFF5A => Script::Latin,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                Script::Cyrillic
            }
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => Script::Arabic,
            0x0E00..=0x0E7F => Script::Thai,
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF
            | 0xFFA0..=0xFFDC => Script::Hangul,
            0x3005 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => {
                Script::Han
            }
            _ => Script::Other,
        };
        Some(script)
    }

    /// Scripts whose names are usually written without spaces between words.
    pub fn is_cjk(self) -> bool {
        matches!(self, Script::Kana | Script::Han | Script::Hangul)
    }
}

/// The script most letters of `text` are written in; `None` when it has no letters.
pub fn dominant_script(text: &str) -> Option<Script> {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for script in text.chars().filter_map(Script::of) {
        match counts.iter_mut().find(|(s, _)| *s == script) {
            Some((_, n)) => *n += 1,
            None => counts.push((script, 1)),
        }
    }
    // Japanese mixes kanji and kana in one name; call it kana when any kana is present.
    if counts.iter().any(|(s, _)| *s == Script::Kana) {
        return Some(Script::Kana);
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_scripts_of_listed_names() {
        assert_eq!(dominant_script("KIM JONG UN"), Some(Script::Latin));
        assert_eq!(dominant_script("김정은"), Some(Script::Hangul));
        assert_eq!(dominant_script("金正恩"), Some(Script::Han));
        assert_eq!(dominant_script("キム・ジョンウン"), Some(Script::Kana));
        assert_eq!(dominant_script("ｷﾑ ｼﾞｮﾝｳﾝ"), Some(Script::Kana));
        assert_eq!(dominant_script("株式会社ミサワ"), Some(Script::Kana));
        assert_eq!(dominant_script("Сергей Шойгу"), Some(Script::Cyrillic));
        assert_eq!(dominant_script("عبد الله"), Some(Script::Arabic));
        assert_eq!(dominant_script("Müller"), Some(Script::Latin));
        assert_eq!(dominant_script("123 - ()"), None);
    }
}
