//! Splitting the MOF alias cells (別称・別名・旧称) into names.
//!
//! The cells mix several conventions, often in one workbook:
//!
//! - katakana line over Latin line, items split by `；`/`;`/`、`:
//!   `チョソン・…；チョスン・…\nChoson …; Chosun …`
//! - kind markers: `（別称）…\n…\n（旧称）…` (別称 alias, 旧称 former name), or inline
//!   `（別称、A、B、旧称、C）` and `(a.k.a. X; f.k.a. Y)` / `(a.k.a. X, a.k.a. Y)`
//! - enumerations with the Latin form in brackets: `(a)ボジゼ・ヤングボンダ（Bozize Yangouvonda）、(b)…`
//! - Latin lists split by `, ` only where the katakana line beside it has as many items.
//!
//! Sentences (ending in `。`) are notes, not names; `不明` (unknown) is nothing.

use sekisho_model::NameKind;

use crate::xlsx::{self, trailing_bracket};

/// One name found in an alias cell.
#[derive(Debug, PartialEq)]
pub(crate) struct Alias {
    pub value: String,
    pub kind: NameKind,
    /// `ja` for katakana/kanji, `en` for Latin script (MOF's 英語表記 convention).
    pub lang: Option<&'static str>,
}

/// Splits an alias cell. `base` is the kind the column gives (別名 → alias, 過去の別名 →
/// former name, 確定に十分でない別名 → weak alias); markers inside the cell override it for
/// the items that follow them. Sentences go to `notes`.
pub(crate) fn split(cell: &str, base: NameKind, notes: &mut Vec<String>) -> Vec<Alias> {
    let mut out = Vec::new();
    let mut kind = base;
    let mut previous_local_items = 0;
    for line in enumerated(cell) {
        let mut line = line.trim();
        // (別称、…) / (a.k.a. …): a list wrapped in brackets.
        if let Some(("", inner)) = trailing_bracket(line) {
            line = inner.trim();
        }
        if line.ends_with('。') {
            notes.push(line.to_string());
            continue;
        }
        let latin = xlsx::lang_of(line) != Some("ja") && !xlsx::is_cjk(line);
        let items: Vec<(String, NameKind)> = if latin && has_aka(line) {
            split_aka(line, kind)
        } else {
            let mut items = Vec::new();
            for piece in line.split([';', '、']) {
                let piece = piece.trim();
                // A marker starts or ends the piece: "(別称)コリア…", "別称", "旧称".
                let (marker, rest) = strip_marker(piece);
                if let Some(k) = marker {
                    kind = if k == NameKind::Alias { base } else { k };
                }
                if !rest.is_empty() {
                    items.push((rest.to_string(), kind));
                }
            }
            // "A, B, C" on a Latin line is a list only when the katakana line above had as
            // many items; otherwise the comma belongs to the name ("KOZLOV, Sergei").
            if latin && items.len() == 1 && previous_local_items > 1 {
                let parts: Vec<&str> = items[0].0.split(", ").collect();
                if parts.len() == previous_local_items {
                    let k = items[0].1;
                    items = parts.into_iter().map(|p| (p.to_string(), k)).collect();
                }
            }
            items
        };
        if !latin {
            previous_local_items = items.len();
        }
        for (item, kind) in items {
            push_item(&item, kind, &mut out, notes);
        }
    }
    out
}

/// Adds an item, splitting `カタカナ（Latin）` into both names.
fn push_item(item: &str, kind: NameKind, out: &mut Vec<Alias>, notes: &mut Vec<String>) {
    let item = tidy(item);
    if item.is_empty() || is_unknown(item) || item.ends_with(':') {
        return;
    }
    if item.ends_with('。') {
        notes.push(item.to_string());
        return;
    }
    if let Some((head, inner)) = trailing_bracket(item) {
        let head = tidy(head);
        if xlsx::is_cjk(head) && !inner.is_empty() && !xlsx::is_cjk(inner) {
            add(out, head, kind);
            add(out, tidy(inner), kind);
            return;
        }
    }
    add(out, item, kind);
}

fn add(out: &mut Vec<Alias>, value: &str, kind: NameKind) {
    let value = xlsx::collapse(value);
    if value.is_empty()
        || is_unknown(&value)
        || out.iter().any(|a| a.value == value && a.kind == kind)
    {
        return;
    }
    let lang = name_lang(&value);
    out.push(Alias { value, kind, lang });
}

/// MOF writes Japanese renderings in katakana or kanji, and English in Latin script.
pub(crate) fn name_lang(value: &str) -> Option<&'static str> {
    match sekisho_model::dominant_script(value)? {
        sekisho_model::Script::Kana | sekisho_model::Script::Han => Some("ja"),
        sekisho_model::Script::Latin => Some("en"),
        _ => None,
    }
}

/// Lines, further split at enumeration markers `(a)`, `(b)`, … (also `(a) ` mid-line).
fn enumerated(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    // "（別称、X）(a.k.a. X)" on one line: two lists.
    let cell = cell
        .replace(")(a.k.a", ")\n(a.k.a")
        .replace(")(f.k.a", ")\n(f.k.a");
    for line in xlsx::clean_lines(&cell) {
        let mut current = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let is_marker = chars[i] == '('
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_lowercase())
                && chars.get(i + 2) == Some(&')')
                && (i == 0 || !chars[i - 1].is_alphanumeric());
            if is_marker {
                if !current.trim().is_empty() {
                    out.push(
                        current
                            .trim()
                            .trim_end_matches([',', '、', ';'])
                            .to_string(),
                    );
                }
                current.clear();
                i += 3;
                continue;
            }
            current.push(chars[i]);
            i += 1;
        }
        if !current.trim().is_empty() {
            out.push(current.trim().to_string());
        }
    }
    out
}

fn has_aka(line: &str) -> bool {
    line.contains("a.k.a") || line.contains("f.k.a")
}

/// `a.k.a. X; a.k.a. Y, f.k.a. Z` → X, Y (aliases) and Z (former name).
fn split_aka(line: &str, base: NameKind) -> Vec<(String, NameKind)> {
    let mut items = Vec::new();
    let mut kind = base;
    let mut rest = line;
    loop {
        let next = [rest.find("a.k.a"), rest.find("f.k.a")]
            .into_iter()
            .flatten()
            .min();
        let (item, after) = match next {
            Some(at) => (&rest[..at], Some(at)),
            None => (rest, None),
        };
        let item = item.trim().trim_matches([',', ';', ' ']);
        if !item.is_empty() {
            items.push((item.to_string(), kind));
        }
        let Some(at) = after else { break };
        kind = if rest[at..].starts_with('f') {
            NameKind::PreviousName
        } else {
            base
        };
        rest = &rest[at + "a.k.a".len()..];
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    items
}

/// A 別称 (alias) / 旧称 (former name) marker at the start of a piece, with the rest.
fn strip_marker(piece: &str) -> (Option<NameKind>, &str) {
    let inner = piece.trim_start_matches(['(', '[']);
    for (marker, kind) in [("別称", NameKind::Alias), ("旧称", NameKind::PreviousName)] {
        if let Some(rest) = inner.strip_prefix(marker) {
            let rest = rest.trim_start_matches([')', ']', ' ', ',', ':']);
            return (Some(kind), rest.trim());
        }
    }
    (None, piece)
}

/// Trims quotes, stray brackets and separators around a name.
fn tidy(item: &str) -> &str {
    let mut item = item
        .trim()
        .trim_matches([',', ';', '、', ' ', '"', '“', '”', '「', '」', '\'']);
    // A lone unmatched bracket at either end ("(a.k.a. X" cut by a line break).
    if item.starts_with('(') && !item.contains(')') {
        item = &item[1..];
    }
    if item.ends_with(')') && !item.contains('(') {
        item = &item[..item.len() - 1];
    }
    item.trim()
}

pub(crate) fn is_unknown(value: &str) -> bool {
    matches!(
        value.trim(),
        "不明" | "不詳" | "なし" | "-" | "unknown" | "Unknown"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cell: &str) -> Vec<(String, NameKind, Option<&'static str>)> {
        let mut notes = Vec::new();
        split(&xlsx::normalise(cell), NameKind::Alias, &mut notes)
            .into_iter()
            .map(|a| (a.value, a.kind, a.lang))
            .collect()
    }

    fn values(cell: &str) -> Vec<String> {
        names(cell).into_iter().map(|n| n.0).collect()
    }

    #[test]
    fn katakana_over_latin_lists() {
        assert_eq!(
            values("カラエ・エレクトリック; コラ・エレクトリック\nKalaye Electric; Kola Electric "),
            [
                "カラエ・エレクトリック",
                "コラ・エレクトリック",
                "Kalaye Electric",
                "Kola Electric"
            ]
        );
        assert_eq!(
            values("フンジン・トレーディング、コリア・ヘンジン\nHUNJIN Trading CO.;KOREA HENJIN"),
            [
                "フンジン・トレーディング",
                "コリア・ヘンジン",
                "HUNJIN Trading CO.",
                "KOREA HENJIN"
            ]
        );
        assert_eq!(
            values(
                "チャングァン・シンヨン、エクスターナル\nChanggwang Sinyong Corporation, External Technology"
            ),
            [
                "チャングァン・シンヨン",
                "エクスターナル",
                "Changgwang Sinyong Corporation",
                "External Technology"
            ]
        );
        assert_eq!(
            values("KOZLOV, Sergei Mikhailovich"),
            ["KOZLOV, Sergei Mikhailovich"]
        );
        assert_eq!(
            names("ユン・ホチン\nYun Ho-chin")[1],
            ("Yun Ho-chin".into(), NameKind::Alias, Some("en"))
        );
    }

    #[test]
    fn markers_switch_to_former_names() {
        let n =
            names("（別称）コリア・ヨンボン\nKorea Yonbong\n（旧称）リョンガクサン\nLyongaksan");
        assert_eq!(n[1].1, NameKind::Alias);
        assert_eq!(
            n[2],
            ("リョンガクサン".into(), NameKind::PreviousName, Some("ja"))
        );
        assert_eq!(n[3].1, NameKind::PreviousName);
        assert_eq!(
            values("（別称、ISAN）(a.k.a. ISAN; a.k.a Institute)"),
            ["ISAN", "Institute"]
        );
        let n = names("(a.k.a. Nefaz PAO; f.k.a. Neftekamsk Motor Plant PJSC; a.k.a. Nefaz)");
        assert_eq!(
            n.iter().map(|x| (x.0.as_str(), x.1)).collect::<Vec<_>>(),
            [
                ("Nefaz PAO", NameKind::Alias),
                ("Neftekamsk Motor Plant PJSC", NameKind::PreviousName),
                ("Nefaz", NameKind::Alias)
            ]
        );
        let n = names(
            "（別称、株式会社チメル・バンク、旧称、CNRGプロジェクト）\n(a.k.a. Timer Bank, a.k.a. \"AOMZ AO\")",
        );
        assert_eq!(
            n.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            [
                "株式会社チメル・バンク",
                "CNRGプロジェクト",
                "Timer Bank",
                "AOMZ AO"
            ]
        );
        assert_eq!(n[1].1, NameKind::PreviousName);
    }

    #[test]
    fn enumerations_with_latin_in_brackets() {
        assert_eq!(
            values(
                "(a)ボジゼ・ヤングボンダ（Bozize Yangouvonda）、\n(b)ジョック・リアク（Jok Riak）"
            ),
            [
                "ボジゼ・ヤングボンダ",
                "Bozize Yangouvonda",
                "ジョック・リアク",
                "Jok Riak"
            ]
        );
        assert_eq!(
            values("（a）アブー（Abu-Yunus）（b）ハキーム(Abu Ali al Hakim)"),
            ["アブー", "Abu-Yunus", "ハキーム", "Abu Ali al Hakim"]
        );
        assert!(values("不明").is_empty());
        let mut notes = Vec::new();
        assert!(split("KOMIDが使用している別名。", NameKind::Alias, &mut notes).is_empty());
        assert_eq!(notes.len(), 1);
    }
}
