//! 外国為替及び外国貿易法 (FEFTA) from its e-Gov XML, with English from the Ministry of
//! Justice's translation memory (TMX, Japanese Law Translation). The statute is the legal
//! basis that determinations cite (Art. 25 for technology, Art. 48 for goods); the English
//! is unofficial and is attached only where the translated Japanese equals the statute's
//! text line for line, so an amended provision is never shown with an outdated translation.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use sekisho_xml::Element;

use crate::import::jp::kanji_label;
use crate::import::law_text;
use crate::{ImportError, LawArticle, LawParagraph};

const LAW: &str = "外国為替及び外国貿易法";

/// The translation memory: Japanese segment → English segment.
pub(crate) fn translation_memory(file: &Path, root: &Element) -> Result<HashMap<String, String>, ImportError> {
    let mut units = Vec::new();
    root.descendants("tu", &mut units);
    if units.is_empty() {
        return Err(ImportError::field(file, "<tmx><body>", "no translation units <tu>"));
    }
    let mut memory = HashMap::new();
    for unit in units {
        let mut ja = None;
        let mut en = None;
        for tuv in unit.children_named("tuv") {
            let text = tuv.child("seg").map(law_text);
            match tuv.attribute("xml:lang") {
                Some(l) if l.starts_with("ja") => ja = text,
                Some(l) if l.starts_with("en") => en = text,
                _ => {}
            }
        }
        match (ja, en) {
            (Some(ja), Some(en)) => {
                memory.insert(ja.trim().to_string(), en.trim().to_string());
            }
            _ => {
                return Err(ImportError::field(
                    file,
                    format!("line {}: <tu>", unit.line),
                    "a translation unit needs a ja and an en <tuv><seg>",
                ));
            }
        }
    }
    Ok(memory)
}

/// The main provisions' articles.
pub(crate) fn articles(
    file: &Path,
    root: &Element,
    memory: &HashMap<String, String>,
) -> Result<BTreeMap<String, LawArticle>, ImportError> {
    let mut mains = Vec::new();
    root.descendants("MainProvision", &mut mains);
    let main = mains.first().ok_or_else(|| ImportError::Missing { path: file.to_path_buf(), what: "<MainProvision>".into() })?;
    let mut nodes = Vec::new();
    main.descendants("Article", &mut nodes);
    let mut out = BTreeMap::new();
    for article in nodes {
        let at = |what: &str| format!("line {}: <Article> {what}", article.line);
        let title = article
            .child("ArticleTitle")
            .map(|t| law_text(t).trim().to_string())
            .ok_or_else(|| ImportError::field(file, at(""), "no <ArticleTitle>"))?;
        // "第二十五条の二" → "25の2"; "第四十九条及び第五十条" (deleted, joined) is skipped.
        // "第二十五条の二" → "25の2"; joined deleted articles ("第四十九条及び第五十条") are skipped.
        let Some(num) = article_number(&title).and_then(|n| kanji_label(&n)) else { continue };
        let caption_ja = article.child("ArticleCaption").map(|c| law_text(c).trim().to_string());
        let caption_en = caption_ja.as_ref().and_then(|c| memory.get(c).cloned());
        let mut paragraphs = Vec::new();
        for (i, paragraph) in article.children_named("Paragraph").enumerate() {
            let lines = paragraph_lines(paragraph, if i == 0 { &title } else { "" });
            if lines.is_empty() {
                return Err(ImportError::field(file, at(&format!("{title} paragraph {}", i + 1)), "empty paragraph"));
            }
            let english: Option<Vec<String>> = lines.iter().map(|l| memory.get(l).cloned()).collect();
            paragraphs.push(LawParagraph {
                num: i as u32 + 1,
                text_ja: strip_heads(&lines, &title).join("\n"),
                text_en: english.map(|e| e.join("\n")),
            });
        }
        let citation = format!("{LAW} 第{num}条");
        out.insert(num.clone(), LawArticle { num, title, caption_ja, caption_en, paragraphs, citation });
    }
    if !out.contains_key("48") || !out.contains_key("25") {
        return Err(ImportError::field(file, "<MainProvision>", "articles 25 and 48 (licences for technology and goods) are missing"));
    }
    Ok(out)
}

/// "第二十五条の二" → "二十五の二"; `None` for joined titles ("第四十九条及び第五十条").
fn article_number(title: &str) -> Option<String> {
    let rest = title.strip_prefix('第')?;
    let (main, branch) = rest.split_once('条')?;
    if branch.is_empty() {
        return Some(main.to_string());
    }
    let branch = branch.strip_prefix('の')?;
    (!branch.contains('第')).then(|| format!("{main}の{branch}"))
}

/// The paragraph as the translation memory segments it: the opening line ("第四十八条　…"
/// for the first paragraph, "２　…" after), then one line per item and sub-item.
fn paragraph_lines(paragraph: &Element, title: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let head = paragraph.child("ParagraphNum").map(|n| law_text(n).trim().to_string()).unwrap_or_default();
    let head = if head.is_empty() { title.to_string() } else { head };
    if let Some(sentence) = paragraph.child("ParagraphSentence") {
        lines.push(format!("{head}\u{3000}{}", sentence_text(sentence)));
    }
    for item in paragraph.elements().filter(|e| e.name == "Item") {
        item_lines(item, "ItemTitle", "ItemSentence", 1, &mut lines);
    }
    lines
}

fn item_lines(item: &Element, title: &str, sentence: &str, depth: usize, lines: &mut Vec<String>) {
    let head = item.child(title).map(|t| law_text(t).trim().to_string()).unwrap_or_default();
    let body = item.child(sentence).map(sentence_text).unwrap_or_default();
    lines.push(format!("{head}\u{3000}{body}"));
    let sub = format!("Subitem{depth}");
    for child in item.elements().filter(|e| e.name == sub) {
        item_lines(child, &format!("{sub}Title"), &format!("{sub}Sentence"), depth + 1, lines);
    }
}

/// Sentences joined; table-like columns joined by an ideographic space, as printed.
fn sentence_text(element: &Element) -> String {
    let columns: Vec<String> = element.children_named("Column").map(|c| law_text(c).trim().to_string()).collect();
    if columns.is_empty() { law_text(element).trim().to_string() } else { columns.join("\u{3000}") }
}

/// The first line without the article title (kept in `LawArticle::title`).
fn strip_heads(lines: &[String], title: &str) -> Vec<String> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l.strip_prefix(title).map_or(l.as_str(), |r| r.trim_start_matches('\u{3000}')).to_string() } else { l.clone() })
        .collect()
}
