//! Regulation (EU) 2021/821 from the `annex.json` digest (see `eu-dual-use/SOURCE.txt`):
//! Annex I entries, Articles 4 and 5, and the Union General Export Authorisations, whose
//! items and destinations are parsed from their text (Part 1 — Items, Part 2 —
//! Destinations).

use std::collections::{BTreeMap, BTreeSet};

use crate::country::codes_for;
use crate::import::json::Node;
use crate::{EuData, EuEntry, Gea, ImportError};

pub(crate) fn import(root: &Node<'_>) -> Result<EuData, ImportError> {
    let entries = entries(root)?;
    // Annex II Section I: one item per line, the entry code first ("— 1C353 Genetic
    // elements ..."); codes later in a line are references ("... specified in 9A004").
    let mut section_i_patterns: Vec<String> = root
        .get_str("gea_common_list")?
        .lines()
        .filter_map(|line| {
            let line = line.trim_start_matches(['—', '-', ' ']);
            entry_codes(line).into_iter().next().filter(|code| line.starts_with(code.as_str()))
        })
        .collect();
    section_i_patterns.push("Annex IV".to_string());

    let mut geas = BTreeMap::new();
    for node in root.get("geas")?.items()? {
        let gea = gea(&node, &section_i_patterns)?;
        geas.insert(gea.code.clone(), gea);
    }
    for code in (1..=8).map(|n| format!("EU00{n}")) {
        if !geas.contains_key(&code) {
            return Err(root.error(format!("geas: {code} is missing")));
        }
    }
    // EU008 excludes "destinations eligible for export under EU001" by reference.
    let eu001 = geas["EU001"].destinations.clone();
    if let Some(eu008) = geas.get_mut("EU008")
        && eu008.destinations.is_empty()
    {
        eu008.excluded_destinations.extend(eu001);
    }

    let mut art4 = None;
    let mut art5 = None;
    for doc in root.get("docs")?.items()? {
        match doc.get_str("doc_type")? {
            "article_4" => art4 = Some(doc.get_str("verbatim_text")?.to_string()),
            "article_5" => art5 = Some(doc.get_str("verbatim_text")?.to_string()),
            _ => {}
        }
    }
    let art4 = art4.ok_or_else(|| root.error("docs: no article_4"))?;
    let art5 = art5.ok_or_else(|| root.error("docs: no article_5"))?;
    Ok(EuData { entries, geas, art4, art5 })
}

fn entries(root: &Node<'_>) -> Result<BTreeMap<String, EuEntry>, ImportError> {
    let list = root.get("entries")?;
    let items = list.items()?;
    let stated = root.get("entry_count")?;
    if stated.u64()? as usize != items.len() {
        return Err(stated.error(format!("states {} entries, the list has {}", stated.u64()?, items.len())));
    }
    let mut out = BTreeMap::new();
    for node in &items {
        let code_node = node.get("entry_code")?;
        let code = code_node.str()?;
        if !crate::import::us::is_eccn_shape(code) {
            return Err(code_node.error(format!("{code:?} is not an Annex I entry code")));
        }
        let text = node.get_str("verbatim_text")?;
        let first = text.lines().next().unwrap_or("");
        let heading = first.strip_prefix(code).unwrap_or(first).trim().to_string();
        if heading.is_empty() {
            return Err(node.get("verbatim_text")?.error("the entry has no heading line"));
        }
        let entry = EuEntry {
            code: code.to_string(),
            category: node.get_str("category")?.to_string(),
            heading,
            text: text.to_string(),
        };
        if out.insert(code.to_string(), entry).is_some() {
            return Err(node.error(format!("entry {code} appears twice")));
        }
    }
    Ok(out)
}

/// Annex I codes in a text, with their paragraphs ("3A001.a.3."→"3A001.a.3"), in order.
pub(crate) fn entry_codes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i + 5 <= chars.len() {
        let starts_clean = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let shape = chars[i].is_ascii_digit()
            && ('A'..='E').contains(&chars[i + 1])
            && chars[i + 2..i + 5].iter().all(char::is_ascii_digit)
            && chars.get(i + 5).is_none_or(|c| !c.is_ascii_alphanumeric());
        if !(starts_clean && shape) {
            i += 1;
            continue;
        }
        let mut end = i + 5;
        // Paragraphs: ".a", ".b.5", ".a.2.a.1" — a dot followed by a letter or digits.
        while end < chars.len() && chars[end] == '.' {
            let seg_len = chars[end + 1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            if seg_len == 0 || seg_len > 3 {
                break;
            }
            end += 1 + seg_len;
        }
        let before: String = chars[..i].iter().collect();
        let after: String = chars[end..chars.len().min(end + 12)].iter().collect();
        if !is_reference(&before, &after) {
            out.push(chars[i..end].iter().collect());
        }
        i = end;
    }
    out
}

/// Whether a code is only mentioned, not listed: "equipment specified in 5A002.a. as
/// above", "which is specified in 1C350.57", "other than those specified in ... or in 1C350".
fn is_reference(before: &str, after: &str) -> bool {
    let after = after.trim_start_matches('.');
    after.starts_with(" as above")
        || after.starts_with(" as below")
        || ["which is specified in ", "which are specified in ", " or in "].iter().any(|p| before.ends_with(p))
}

/// The text between `start` (a heading such as "Part 1") and `end`, if present.
fn part<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let from = text.find(start)?;
    let rest = &text[from + start.len()..];
    Some(match rest.find(end) {
        Some(to) => &rest[..to],
        None => rest,
    })
}

fn gea(node: &Node<'_>, section_i: &[String]) -> Result<Gea, ImportError> {
    let code = node.get_str("id")?.to_string();
    let title = node.get_str("title")?.to_string();
    let text_node = node.get("verbatim_text")?;
    let text = text_node.str()?;

    // Part 2 starts with "Part 2 – Destinations" or "Part 2 — Destinations". EU008's
    // Part 1 mentions "Part 2" inside an item description, so look for the heading.
    let part2_at = ["Part 2 — Destinations", "Part 2 – Destinations", "Part 2 - Destinations"]
        .iter()
        .find_map(|h| text.find(h))
        .ok_or_else(|| text_node.error(format!("{code}: no \"Part 2 — Destinations\"")))?;
    let part1_at = text[..part2_at]
        .find("Part 1")
        .ok_or_else(|| text_node.error(format!("{code}: no \"Part 1 — Items\" before Part 2")))?;
    let part1 = &text[part1_at..part2_at];
    let part2 = &text[part2_at..];
    let part2 = part2.find("Part 3").map_or(part2, |end| &part2[..end]);

    let mut destinations = BTreeSet::new();
    let mut excluded_destinations = BTreeSet::new();
    if let Some((_, list)) = part2.split_once("the following destinations:") {
        destinations = country_list(list, &text_node, &code)?;
    } else if let Some(list) = part(part2, "(b) ", "; (c)") {
        // "valid ... to all destinations, excluding: (a) EU001 destinations; (b) list; (c) ..."
        excluded_destinations = country_list(list, &text_node, &code)?;
    } else {
        return Err(text_node.error(format!("{code}: cannot find the destination list in Part 2")));
    }

    let mut covered_entries = Vec::new();
    let mut excluded_entries = Vec::new();
    let covers_all = part1.contains("all dual-use items specified in any entry in Annex I")
        || part1.contains("all technology and software specified in Annex I");
    if covers_all {
        if part1.contains("all technology and software specified in Annex I") {
            covered_entries = vec!["?D???".to_string(), "?E???".to_string()];
        }
        if part1.contains("Section I of this Annex") {
            excluded_entries.extend(section_i.iter().cloned());
        }
        let sections_de = part1.contains("Sections D and E of each Category");
        if sections_de || part1.contains("Section D of each Category") {
            excluded_entries.push("?D???".to_string());
        }
        if sections_de || part1.contains("Section E of each category") || part1.contains("Section E of each Category") {
            excluded_entries.push("?E???".to_string());
        }
        excluded_entries.extend(entry_codes(part1));
    } else {
        covered_entries = entry_codes(part1);
        if covered_entries.is_empty() {
            return Err(text_node.error(format!("{code}: Part 1 names no Annex I entry")));
        }
    }
    dedup(&mut covered_entries);
    dedup(&mut excluded_entries);
    Ok(Gea {
        code,
        title,
        destinations,
        excluded_destinations,
        covered_entries,
        excluded_entries,
        text: text.to_string(),
    })
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// "Australia, Canada, ..., Switzerland, including Liechtenstein, United Kingdom (without
/// prejudice ...), United States." → ISO-2 codes. Commas inside parentheses do not split;
/// "including X" adds X to the set; a parenthesis is dropped when the name with it is not
/// known. An unknown name is an error.
fn country_list(list: &str, node: &Node<'_>, code: &str) -> Result<BTreeSet<String>, ImportError> {
    let mut names = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in list.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                names.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    names.push(current);

    let mut out = BTreeSet::new();
    for raw in names {
        let name = raw.trim().trim_end_matches(['.', ';', ' ']).trim();
        let name = name.strip_prefix("including ").unwrap_or(name);
        if name.is_empty() {
            continue;
        }
        let codes = codes_for(name).or_else(|| codes_for(without_parenthesis(name))).ok_or_else(|| {
            ImportError::UnknownCountry {
                path: node.file.to_path_buf(),
                at: format!("{}: {code} Part 2", node.path),
                name: name.to_string(),
            }
        })?;
        out.extend(codes);
    }
    Ok(out)
}

/// "United Kingdom (without prejudice ...)" → "United Kingdom".
fn without_parenthesis(name: &str) -> &str {
    name.split_once(" (").map_or(name, |(head, _)| head).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_with_paragraphs() {
        assert_eq!(
            entry_codes("1A001, 1C003.b., 3A001.a.10., 6A001.a.2.a.1. and 0C001 ‘Natural"),
            vec!["1A001", "1C003.b", "3A001.a.10", "6A001.a.2.a.1", "0C001"]
        );
        assert_eq!(
            entry_codes("5A002.a.2, 5A002.b., only token converting into an item specified in 5A002.a. as above or 5D002.c.1. as below, 5D002.b."),
            vec!["5A002.a.2", "5A002.b", "5D002.b"]
        );
        assert_eq!(entry_codes("dichloride which is specified in 1C350.57;"), Vec::<String>::new());
        assert!(entry_codes("CAS 10025-87-3 and 2021/821").is_empty());
    }
}
