//! 輸出貿易管理令 (Export Trade Control Order) from its e-Gov 法令XML: 別表第一 (the
//! control list, 1の項 to 16の項 with their 号) and the country tables 別表第二の四,
//! 別表第三, 別表第三の二 and 別表第四. The country tables are compared with the newer
//! digest `jp-countries.json`; differences are recorded, not hidden.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sekisho_xml::Element;

use crate::country::code_for;
use crate::import::json::Node;
use crate::import::law_text;
use crate::{ImportError, JpData, JpItem};

const ORDER: &str = "輸出貿易管理令";

pub(crate) fn import(file: &Path, root: &Element, digest: &Node<'_>) -> Result<JpData, ImportError> {
    let tables = appendix_tables(root);
    let table = |title: &str| {
        tables.get(title).copied().ok_or_else(|| ImportError::Missing {
            path: file.to_path_buf(),
            what: format!("<AppdxTable> titled {title}"),
        })
    };
    let items = control_list(file, table("別表第一")?)?;
    let group_a = country_table(file, table("別表第三")?)?;
    let un_arms_embargo = country_table(file, table("別表第三の二")?)?;
    let concern = country_table(file, table("別表第四")?)?;
    let russia_diversion = country_table(file, table("別表第二の四")?)?;

    let mut differences = Vec::new();
    for (key, title, ours) in [
        ("groupA", "別表第三", &group_a),
        ("unArmsEmbargo", "別表第三の二", &un_arms_embargo),
        ("concern", "別表第四", &concern),
        ("russiaDiversion", "別表第二の四", &russia_diversion),
    ] {
        let list = digest.get(key)?;
        let mut theirs = BTreeSet::new();
        for (i, code) in list.strings()?.into_iter().enumerate() {
            if sekisho_model::country::name_en(code).is_none() {
                return Err(ImportError::UnknownCountry {
                    path: digest.file.to_path_buf(),
                    at: format!("{}[{i}]", list.path),
                    name: code.to_string(),
                });
            }
            theirs.insert(code.to_string());
        }
        let added: Vec<&String> = theirs.difference(ours).collect();
        let removed: Vec<&String> = ours.difference(&theirs).collect();
        if !added.is_empty() || !removed.is_empty() {
            differences.push(format!(
                "{title}: the digest (jp-countries.json) adds {added:?} and lacks {removed:?} compared with the order"
            ));
        }
    }
    // FEFTA's articles are added by the caller from their own files.
    Ok(JpData {
        items,
        group_a,
        un_arms_embargo,
        concern,
        russia_diversion,
        digest_differences: differences,
        fefta: BTreeMap::new(),
    })
}

/// The order's appendix tables by title ("別表第一").
fn appendix_tables<'r, 'a>(root: &'r Element<'a>) -> BTreeMap<String, &'r Element<'a>> {
    let mut tables = Vec::new();
    root.descendants("AppdxTable", &mut tables);
    tables
        .into_iter()
        .filter_map(|t| Some((law_text(t.child("AppdxTableTitle")?).trim().to_string(), t)))
        .collect()
}

fn at(element: &Element, what: &str) -> String {
    format!("line {}: {what}", element.line)
}

/// 別表第一: one row per 項; the middle column holds the 号 as sentences "（一）　...",
/// sub-items as "１　...", and an optional lead sentence before the first 号.
fn control_list(file: &Path, table: &Element) -> Result<BTreeMap<String, JpItem>, ImportError> {
    let mut rows = Vec::new();
    table.descendants("TableRow", &mut rows);
    let mut items = BTreeMap::new();
    let mut kous = BTreeSet::new();
    for row in rows {
        let columns: Vec<&Element> = row.children_named("TableColumn").collect();
        if columns.len() != 3 {
            return Err(ImportError::field(
                file,
                at(row, "別表第一 <TableRow>"),
                format!("expected 3 columns (項, 貨物, 地域), found {}", columns.len()),
            ));
        }
        let number = law_text(columns[0]).trim().to_string();
        if number.is_empty() || number == "\u{3000}" {
            continue; // the header row
        }
        let where_ = || at(columns[0], &format!("別表第一 row {number:?}"));
        let kou_label = kanji_label(&number)
            .ok_or_else(|| ImportError::field(file, where_(), "the 項 number is not a kanji numeral"))?;
        let kou: u8 = kou_label
            .split('の')
            .next()
            .and_then(|n| n.parse().ok())
            .filter(|n| (1..=16).contains(n))
            .ok_or_else(|| ImportError::field(file, where_(), "the 項 number is outside 1-16"))?;
        kous.insert(kou_label.clone());
        let region_ja = law_text(columns[2]).trim().to_string();
        if region_ja.is_empty() {
            return Err(ImportError::field(file, where_(), "the 地域 column is empty"));
        }
        let kou_citation = format!("{ORDER} 別表第一 {kou_label}の項");

        let mut sentences = Vec::new();
        columns[1].descendants("Sentence", &mut sentences);
        let texts: Vec<String> = sentences.iter().map(|s| law_text(s).trim().to_string()).collect();
        if texts.iter().all(String::is_empty) {
            return Err(ImportError::field(file, where_(), "the 貨物 column is empty"));
        }

        let mut gous: Vec<(String, Vec<String>)> = Vec::new();
        for text in &texts {
            if let Some((label, body)) = gou_sentence(text) {
                let gou = kanji_label(label).ok_or_else(|| {
                    ImportError::field(file, where_(), format!("号 label （{label}） is not a kanji numeral"))
                })?;
                gous.push((gou, vec![body.to_string()]));
            } else if let Some((_, lines)) = gous.last_mut() {
                lines.push(text.clone());
            }
        }
        let kou_item = JpItem {
            id: kou_label.clone(),
            kou,
            kou_label: kou_label.clone(),
            gou: None,
            text_ja: texts.join("\n"),
            region_ja: region_ja.clone(),
            citation: kou_citation.clone(),
        };
        items.insert(kou_label.clone(), kou_item);
        for (gou, lines) in gous {
            let id = format!("{kou_label}-{gou}");
            let item = JpItem {
                id: id.clone(),
                kou,
                kou_label: kou_label.clone(),
                gou: Some(gou.clone()),
                text_ja: lines.join("\n"),
                region_ja: region_ja.clone(),
                citation: format!("{kou_citation}({gou})"),
            };
            if items.insert(id.clone(), item).is_some() {
                return Err(ImportError::field(file, where_(), format!("号 {gou} appears twice")));
            }
        }
    }
    for n in 1..=16 {
        if !kous.contains(&n.to_string()) {
            return Err(ImportError::field(file, at(table, "別表第一"), format!("{n}の項 is missing")));
        }
    }
    Ok(items)
}

/// "（十の二）　本文" → ("十の二", "本文").
fn gou_sentence(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('（')?;
    let (label, body) = rest.split_once('）')?;
    let body = body.strip_prefix('\u{3000}')?;
    Some((label, body.trim()))
}

/// A kanji numeral label in Arabic digits: "一六" → "16", "三の二" → "3の2",
/// "三十五の二" → "35の2". `None` when a part is not a numeral.
pub(crate) fn kanji_label(label: &str) -> Option<String> {
    let parts: Option<Vec<String>> = label.split('の').map(|p| kanji_number(p).map(|n| n.to_string())).collect();
    Some(parts?.join("の"))
}

/// "十一" → 11, "四十" → 40, "一〇" → 10 (positional, as the order numbers its 項).
fn kanji_number(s: &str) -> Option<u32> {
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).map(|d| d as u32);
    if s.is_empty() {
        return None;
    }
    if let Some((tens, ones)) = s.split_once('十') {
        let tens = if tens.is_empty() { 1 } else { single(tens, digit)? };
        let ones = if ones.is_empty() { 0 } else { single(ones, digit)? };
        return Some(tens * 10 + ones);
    }
    s.chars().try_fold(0u32, |acc, c| Some(acc * 10 + digit(c)?))
}

fn single(s: &str, digit: impl Fn(char) -> Option<u32>) -> Option<u32> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(())?;
    digit(c)
}

/// A country table: one sentence of names separated by "、".
fn country_table(file: &Path, table: &Element) -> Result<BTreeSet<String>, ImportError> {
    let title = table.child("AppdxTableTitle").map(law_text).unwrap_or_default();
    let mut sentences = Vec::new();
    table.descendants("Sentence", &mut sentences);
    let mut out = BTreeSet::new();
    for sentence in sentences {
        for name in law_text(sentence).split('、') {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let code = code_for(name).ok_or_else(|| ImportError::UnknownCountry {
                path: file.to_path_buf(),
                at: at(sentence, &format!("{title} <Sentence>")),
                name: name.to_string(),
            })?;
            out.insert(code);
        }
    }
    if out.is_empty() {
        return Err(ImportError::field(file, at(table, &title), "the table names no country"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kanji_numerals() {
        assert_eq!(kanji_label("一六").as_deref(), Some("16"));
        assert_eq!(kanji_label("一〇").as_deref(), Some("10"));
        assert_eq!(kanji_label("三の二").as_deref(), Some("3の2"));
        assert_eq!(kanji_label("十").as_deref(), Some("10"));
        assert_eq!(kanji_label("十三の二").as_deref(), Some("13の2"));
        assert_eq!(kanji_label("四十一").as_deref(), Some("41"));
        assert_eq!(kanji_label("三十五の二").as_deref(), Some("35の2"));
        assert_eq!(kanji_label("甲"), None);
        assert_eq!(kanji_label(""), None);
    }

    #[test]
    fn gou_sentences() {
        assert_eq!(gou_sentence("（十の二）\u{3000}三酸化ウラン"), Some(("十の二", "三酸化ウラン")));
        assert_eq!(gou_sentence("次に掲げる貨物"), None);
    }
}
