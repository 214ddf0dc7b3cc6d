//! Classification search (該非判定の支援): find the control-list entries a product may fall
//! under, by code, keyword or technical parameter, in Japanese or English.
//!
//! - **Codes** match exactly: "3A090" finds US 3A090, EU 3A090 when Annex I has it, its
//!   paragraphs ("3A090.a" finds the entry with the paragraph named) and the entries linked
//!   to it by [`crate::CrossRef`]; "2の項(12)" or "2-12" finds the Japanese row.
//! - **Words**: English text is indexed by word (lower case, plurals folded, British and
//!   American spellings joined); Japanese text has no spaces, so it is indexed by character
//!   bigrams plus whole kanji and katakana runs ("工作機械", "ロボット").
//! - Entries are ranked by BM25 over those terms, scaled by the share of the query's terms
//!   the entry holds and raised when the whole query occurs as a phrase or in the heading.
//! - The [`crate::glossary`] carries a query across languages: "工作機械" also searches for
//!   "machine tools", and the hits say so.
//!
//! [`SearchIndex::build`] indexes a rulebook once (a few tens of milliseconds); the index
//! owns what it needs (it does not borrow the rulebook), so a server keeps it beside the
//! rulebook version it was built from. [`search`] is the one-shot form. Both are pure.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::codes::{canonical_entry_code, canonical_jp_id};
use crate::glossary::GLOSSARY;
use crate::{CrossRef, Regime, Rulebook};

/// One search request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub text: String,
    /// Only this regime's entries; all three when `None`.
    pub regime: Option<Regime>,
    pub limit: usize,
}

/// A candidate entry and why it was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub regime: Regime,
    /// "3A001", "2-12".
    pub code: String,
    pub citation: String,
    pub heading: String,
    /// A window of the entry's text around the first match, matched terms in «».
    pub excerpt: String,
    pub score: f64,
    /// The query terms the entry holds.
    pub matched: Vec<String>,
    /// How it was found: "code 3A090", "cross-reference ...", "glossary: 工作機械 → machine tools".
    pub reasons: Vec<String>,
}

/// A rulebook indexed for search, self-contained.
pub struct SearchIndex {
    docs: Vec<Doc>,
    crossrefs: Vec<CrossRef>,
    /// The 輸出貿易管理令 item ids, for codes such as "2の項(12)".
    jp_items: BTreeSet<String>,
    postings: HashMap<String, Vec<(u32, u32)>>,
    average_len: f64,
}

struct Doc {
    regime: Regime,
    code: String,
    citation: String,
    heading: String,
    text: String,
    len: usize,
    heading_terms: BTreeSet<String>,
    /// Lower-case heading and text, for phrase checks (made once, not per query).
    heading_lower: String,
    text_lower: String,
}

/// Searches `book` once (builds the index, queries it).
pub fn search(book: &Rulebook, query: &SearchQuery) -> Vec<SearchHit> {
    SearchIndex::build(book).search(query)
}

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Scores for code matches sit above any text score.
const EXACT_CODE: f64 = 1000.0;
const CROSS_REFERENCE: f64 = 500.0;
/// A glossary translation counts a little less than the user's own words.
const GLOSSARY_WEIGHT: f64 = 0.6;

impl SearchIndex {
    pub fn build(book: &Rulebook) -> SearchIndex {
        let mut docs = Vec::new();
        for eccn in book.us.eccns.values() {
            let text = eccn.text.as_deref().unwrap_or("");
            docs.push(Doc::new(Regime::Us, &eccn.code, format!("15 CFR 774 Supp. 1, ECCN {}", eccn.code), &eccn.heading, text));
        }
        for entry in book.eu.entries.values() {
            docs.push(Doc::new(
                Regime::Eu,
                &entry.code,
                format!("Regulation (EU) 2021/821 Annex I, {}", entry.code),
                &entry.heading,
                &entry.text,
            ));
        }
        for item in book.jp.items.values() {
            // A 項 with 号 is the sum of its 号: index the 号 and only the 項 without any.
            let has_gou = item.gou.is_none()
                && book.jp.items.values().any(|i| i.kou_label == item.kou_label && i.gou.is_some());
            if has_gou {
                continue;
            }
            let heading = item.text_ja.lines().next().unwrap_or("");
            docs.push(Doc::new(Regime::Jp, &item.id, item.citation.clone(), heading, &item.text_ja));
        }
        let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        let mut total = 0usize;
        for (i, doc) in docs.iter_mut().enumerate() {
            let mut counts: HashMap<String, u32> = HashMap::new();
            for term in terms(&doc.heading).into_iter().chain(terms(&doc.text)) {
                *counts.entry(term).or_default() += 1;
            }
            doc.len = counts.values().map(|&c| c as usize).sum();
            total += doc.len;
            for (term, count) in counts {
                postings.entry(term).or_default().push((i as u32, count));
            }
        }
        let average_len = total as f64 / docs.len().max(1) as f64;
        let jp_items = book.jp.items.keys().cloned().collect();
        SearchIndex { docs, crossrefs: book.crossrefs.clone(), jp_items, postings, average_len }
    }

    pub fn search(&self, query: &SearchQuery) -> Vec<SearchHit> {
        let wanted = |r: Regime| query.regime.is_none_or(|q| q == r);
        let mut hits: HashMap<usize, SearchHit> = HashMap::new();
        let text = query.text.trim();

        // Codes first: exact, then cross-references.
        let tokens: Vec<&str> =
            text.split(|c: char| c.is_whitespace() || c == ',' || c == '、').filter(|t| !t.is_empty()).collect();
        let mut all_codes = !tokens.is_empty();
        for token in &tokens {
            let matches = self.code_matches(token);
            all_codes &= matches.iter().any(|(_, _, score)| *score == EXACT_CODE);
            for (doc, reason, score) in matches {
                if wanted(self.docs[doc].regime) {
                    let hit = hits.entry(doc).or_insert_with(|| self.hit(doc, 0.0, &[]));
                    if let Some(lines) = canonical_entry_code(token).and_then(|c| paragraph_lines(&self.docs[doc].text, &c)) {
                        hit.excerpt = lines;
                    }
                    hit.score = hit.score.max(score);
                    hit.reasons.push(reason);
                }
            }
        }

        // Words: the query itself, then its glossary translations. A query of codes only
        // ("3A090", "2の項(12)") is not also searched as words: its digits are noise.
        let mut variants = vec![(text.to_string(), 1.0, None)];
        if all_codes {
            // Entries that mention an entry code ("See also 3A090") are candidates too.
            let entries: Vec<String> =
                tokens.iter().filter_map(|t| canonical_entry_code(t)).map(|c| c[..5].to_string()).collect();
            variants = entries.into_iter().map(|c| (c.clone(), 1.0, Some(format!("mentions {c}")))).collect();
        }
        for (ja, en) in glossary_matches(text).into_iter().filter(|_| !all_codes) {
            // Japanese → its English terms; English → the Japanese term and the row's other
            // English terms ("encryption" also searches "cryptography").
            let (from, to): (&str, Vec<&str>) = if text.contains(ja) {
                (ja, en.to_vec())
            } else {
                let from = en.iter().copied().find(|p| phrase_in(text, p)).unwrap_or(en[0]);
                (from, std::iter::once(ja).chain(en.iter().copied().filter(|p| *p != from)).collect())
            };
            for target in to {
                variants.push((target.to_string(), GLOSSARY_WEIGHT, Some(format!("glossary: {from} → {target}"))));
            }
        }
        for (variant, weight, reason) in &variants {
            let query_terms: Vec<String> = dedup(terms(variant));
            if query_terms.is_empty() {
                continue;
            }
            let phrase = variant.to_lowercase();
            for (doc, score, matched) in self.text_scores(&query_terms, &phrase) {
                if !wanted(self.docs[doc].regime) {
                    continue;
                }
                let score = score * weight;
                let hit = hits.entry(doc).or_insert_with(|| self.hit(doc, 0.0, &matched));
                if score > hit.score {
                    hit.score = score;
                    hit.matched = matched.clone();
                    if let Some(reason) = reason {
                        hit.reasons.retain(|r| !r.starts_with("glossary") && !r.starts_with("mentions"));
                        hit.reasons.push(reason.clone());
                    }
                }
            }
        }

        let mut hits: Vec<(usize, SearchHit)> = hits.into_iter().filter(|(_, h)| h.score > 0.0).collect();
        hits.sort_by(|(_, a), (_, b)| {
            b.score.total_cmp(&a.score).then(a.regime.cmp(&b.regime)).then(a.code.cmp(&b.code))
        });
        hits.truncate(query.limit.max(1));
        // Excerpts only for what is returned; a code hit may already show its paragraph.
        hits.into_iter()
            .map(|(doc, mut hit)| {
                if hit.excerpt.is_empty() {
                    hit.excerpt = excerpt(self.docs[doc].text_or_heading(), &hit.matched);
                }
                hit
            })
            .collect()
    }

    /// A hit without its excerpt, which is made for the returned hits only.
    fn hit(&self, doc: usize, score: f64, matched: &[String]) -> SearchHit {
        let d = &self.docs[doc];
        SearchHit {
            regime: d.regime,
            code: d.code.clone(),
            citation: d.citation.clone(),
            heading: d.heading.clone(),
            excerpt: String::new(),
            score,
            matched: matched.to_vec(),
            reasons: Vec::new(),
        }
    }

    fn doc_of(&self, regime: Regime, code: &str) -> Option<usize> {
        self.docs.iter().position(|d| d.regime == regime && d.code == code)
    }

    /// Entries a token names as a code, with the reason and score.
    fn code_matches(&self, token: &str) -> Vec<(usize, String, f64)> {
        let mut out = Vec::new();
        if let Some(code) = canonical_entry_code(token) {
            let entry = &code[..5];
            let named = if code.len() > 5 { format!("paragraph {code} of entry {entry}") } else { format!("code {entry}") };
            for regime in [Regime::Us, Regime::Eu] {
                if let Some(doc) = self.doc_of(regime, entry) {
                    out.push((doc, named.clone(), EXACT_CODE));
                }
            }
            for link in &self.crossrefs {
                for (here, there) in [(&link.from, &link.to), (&link.to, &link.from)] {
                    let matches_here = here.split_once(':').is_some_and(|(_, c)| {
                        c == entry || c.strip_suffix('*').is_some_and(|cat| entry.starts_with(cat))
                    });
                    if !matches_here {
                        continue;
                    }
                    let Some((regime, target)) = there.split_once(':') else { continue };
                    let Ok(regime) = regime.to_ascii_lowercase().parse::<Regime>() else { continue };
                    if target.ends_with('*') {
                        continue; // a whole category is not a candidate
                    }
                    if let Some(doc) = self.doc_of(regime, target) {
                        out.push((doc, format!("cross-reference {here} → {there}: {}", link.basis), CROSS_REFERENCE));
                    }
                }
            }
        }
        let jp = canonical_jp_id(token);
        if self.jp_items.contains(&jp) {
            let gous: Vec<usize> = self
                .docs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.regime == Regime::Jp && (d.code == jp || d.code.starts_with(&format!("{jp}-"))))
                .map(|(i, _)| i)
                .collect();
            for doc in gous {
                out.push((doc, format!("code {jp}"), EXACT_CODE));
            }
        }
        out
    }

    /// BM25 scores of the documents holding any of `query_terms`.
    fn text_scores(&self, query_terms: &[String], phrase: &str) -> Vec<(usize, f64, Vec<String>)> {
        let n = self.docs.len() as f64;
        let idf = |df: usize| (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
        // Scores are divided by what the query's terms could give, so that a Japanese query
        // (many bigrams) and its English translation (two words) rank on one scale.
        let possible: f64 = query_terms
            .iter()
            .map(|t| idf(self.postings.get(t).map_or(1, Vec::len)) * (K1 + 1.0))
            .sum::<f64>()
            .max(f64::EPSILON);
        let mut scores: HashMap<usize, (f64, Vec<String>)> = HashMap::new();
        for term in query_terms {
            let Some(list) = self.postings.get(term) else { continue };
            let idf = idf(list.len());
            for &(doc, tf) in list {
                let d = &self.docs[doc as usize];
                let tf = f64::from(tf);
                let norm = K1 * (1.0 - B + B * d.len as f64 / self.average_len);
                let mut s = idf * tf * (K1 + 1.0) / (tf + norm);
                if d.heading_terms.contains(term) {
                    s += 0.5 * idf;
                }
                let entry = scores.entry(doc as usize).or_default();
                entry.0 += s;
                entry.1.push(term.clone());
            }
        }
        scores
            .into_iter()
            .map(|(doc, (score, matched))| {
                let coverage = matched.len() as f64 / query_terms.len() as f64;
                let d = &self.docs[doc];
                let in_text = phrase.chars().count() > 1
                    && (d.text_lower.contains(phrase) || d.heading_lower.contains(phrase));
                let phrase_bonus = if in_text && query_terms.len() > 1 { 1.5 } else { 1.0 };
                // Long entries are penalised by length normalisation even when their
                // heading says exactly what was asked ("Machine tools and ..."): a query
                // found in the heading counts up to half again.
                let in_heading = matched.iter().filter(|t| d.heading_terms.contains(*t)).count() as f64;
                let mut heading_bonus = 1.0 + 0.5 * in_heading / query_terms.len() as f64;
                // Headings name their subject first ("Machine tools and any combination
                // thereof ..."): an entry whose heading opens with the query is about it.
                let opening = d.heading_lower.trim_start_matches(|c: char| !c.is_alphanumeric());
                if phrase.chars().count() > 1 && opening.starts_with(phrase) {
                    heading_bonus *= 1.3;
                }
                (doc, 100.0 * score / possible * coverage * coverage * phrase_bonus * heading_bonus, matched)
            })
            .collect()
    }
}

impl Doc {
    fn new(regime: Regime, code: &str, citation: String, heading: &str, text: &str) -> Doc {
        Doc {
            regime,
            code: code.to_string(),
            citation,
            heading: heading.to_string(),
            text: text.to_string(),
            len: 0,
            heading_terms: terms(heading).into_iter().collect(),
            heading_lower: heading.to_lowercase(),
            text_lower: text.to_lowercase(),
        }
    }

    fn text_or_heading(&self) -> &str {
        if self.text.is_empty() { &self.heading } else { &self.text }
    }
}

/// The lines of an entry's text that state a paragraph: EU text writes "3A001.b.2 ...",
/// the CCL digest "b.2 ...". `None` for an entry code without a paragraph or when absent.
fn paragraph_lines(text: &str, code: &str) -> Option<String> {
    let (entry, paragraph) = (&code[..5], code.get(6..).filter(|p| !p.is_empty())?);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| {
            let head = line.split_whitespace().next().unwrap_or("");
            let head = head.strip_prefix(entry).map_or(head, |rest| rest.trim_start_matches('.'));
            head == paragraph || head.starts_with(&format!("{paragraph}."))
        })
        .take(4)
        .collect();
    (!lines.is_empty()).then(|| lines.join(" / "))
}

/// The glossary rows a query touches, in either language.
fn glossary_matches(text: &str) -> Vec<(&'static str, &'static [&'static str])> {
    GLOSSARY
        .iter()
        .filter(|(ja, en)| text.contains(ja) || en.iter().any(|phrase| phrase_in(text, phrase)))
        .map(|(ja, en)| (*ja, *en))
        .collect()
}

/// Whether every word of an English glossary phrase is among the query's terms.
fn phrase_in(text: &str, phrase: &str) -> bool {
    let query_terms: BTreeSet<String> = terms(text).into_iter().collect();
    let words = terms(phrase);
    !words.is_empty() && words.iter().all(|w| query_terms.contains(w))
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    v.into_iter().filter(|t| seen.insert(t.clone())).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Kanji,
    Hiragana,
    Katakana,
    Other,
}

fn script(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => Script::Latin,
        'À'..='ɏ' => Script::Latin,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' => Script::Kanji,
        '\u{3041}'..='\u{309F}' => Script::Hiragana,
        '\u{30A0}'..='\u{30FF}' | 'ｦ'..='ﾟ' => Script::Katakana,
        _ => Script::Other,
    }
}

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or",
    "than", "that", "the", "their", "therefor", "these", "this", "to", "which", "with", "not", "other", "any", "all",
];

/// British spellings written the American way, so either finds both.
const SPELLINGS: &[(&str, &str)] = &[
    ("fibre", "fiber"),
    ("aluminium", "aluminum"),
    ("centre", "center"),
    ("analyser", "analyzer"),
    ("metre", "meter"),
    ("colour", "color"),
    ("modelling", "modeling"),
];

/// Index terms of a text: English words, and for Japanese runs their character bigrams and
/// whole kanji / katakana runs.
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let s = script(chars[i]);
        let start = i;
        match s {
            Script::Latin => {
                while i < chars.len() && script(chars[i]) == Script::Latin {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
                if let Some(w) = english_term(&word) {
                    out.push(w);
                }
            }
            Script::Kanji | Script::Hiragana | Script::Katakana => {
                while i < chars.len() && matches!(script(chars[i]), Script::Kanji | Script::Hiragana | Script::Katakana) {
                    i += 1;
                }
                japanese_terms(&chars[start..i], &mut out);
            }
            Script::Other => i += 1,
        }
    }
    out
}

fn english_term(word: &str) -> Option<String> {
    if word.len() < 2 && !word.chars().all(|c| c.is_ascii_digit()) || STOPWORDS.contains(&word) {
        return None;
    }
    let word = SPELLINGS.iter().find(|(uk, _)| word.starts_with(uk)).map_or(word.to_string(), |(uk, us)| {
        format!("{us}{}", &word[uk.len()..])
    });
    // Plurals: "tools" → "tool", "batteries" → "battery"; not "glass", "gas", "process".
    let stem = if let Some(base) = word.strip_suffix("ies").filter(|b| b.len() > 2) {
        format!("{base}y")
    } else if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is") {
        word[..word.len() - 1].to_string()
    } else {
        word
    };
    Some(stem)
}

/// Bigrams over a Japanese run, plus its kanji and katakana sub-runs of three or more
/// characters (two-character runs are already bigrams).
fn japanese_terms(run: &[char], out: &mut Vec<String>) {
    if run.len() == 1 {
        if script(run[0]) == Script::Kanji {
            out.push(run[0].to_string());
        }
        return;
    }
    for pair in run.windows(2) {
        // A bigram of two hiragana is grammar (particles, endings), not content.
        if pair.iter().all(|&c| script(c) == Script::Hiragana) {
            continue;
        }
        out.push(pair.iter().collect());
    }
    let mut start = 0;
    for i in 1..=run.len() {
        let boundary = i == run.len() || script_class(run[i]) != script_class(run[start]);
        if boundary {
            let len = i - start;
            if len >= 3 && matches!(script_class(run[start]), Script::Kanji | Script::Katakana) {
                out.push(run[start..i].iter().collect());
            }
            start = i;
        }
    }
}

/// The long-vowel mark belongs to katakana runs.
fn script_class(c: char) -> Script {
    if c == 'ー' { Script::Katakana } else { script(c) }
}

/// A window of `text` around the first matched term, with matches marked «».
fn excerpt(text: &str, matched: &[String]) -> String {
    const BEFORE: usize = 60;
    const AFTER: usize = 200;
    let lower = text.to_ascii_lowercase();
    let first = matched.iter().filter_map(|t| find_term(&lower, t)).min().unwrap_or(0);
    let start = floor_char(text, first.saturating_sub(BEFORE));
    let end = floor_char(text, (first + AFTER).min(text.len()));
    let window = &text[start..end];
    let window_lower = &lower[start..end];
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for term in matched {
        let mut from = 0;
        while let Some(at) = find_term(&window_lower[from..], term) {
            let s = from + at;
            let mut e = s + term.len();
            // Mark the whole English word ("tool" in "tools").
            while e < window.len() && window.as_bytes()[e].is_ascii_alphanumeric() {
                e += 1;
            }
            ranges.push((s, e));
            from = e;
        }
    }
    ranges.sort();
    // Adjacent or overlapping matches (the bigrams of one Japanese word) form one mark.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = 0;
    for (s, e) in merged {
        out.push_str(&window[at..s]);
        out.push('«');
        out.push_str(&window[s..e]);
        out.push('»');
        at = e;
    }
    out.push_str(&window[at..]);
    if end < text.len() {
        out.push('…');
    }
    out.replace('\n', " / ")
}

/// Where a term occurs: ASCII terms at a word start, others anywhere. American spellings
/// in the index are found in British text too.
fn find_term(lower: &str, term: &str) -> Option<usize> {
    let candidates: Vec<String> = std::iter::once(term.to_string())
        .chain(SPELLINGS.iter().filter(|(_, us)| term.starts_with(us)).map(|(uk, us)| format!("{uk}{}", &term[us.len()..])))
        .collect();
    candidates
        .iter()
        .filter_map(|t| {
            if !t.is_ascii() {
                return lower.find(t.as_str());
            }
            let mut from = 0;
            while let Some(at) = lower[from..].find(t.as_str()) {
                let pos = from + at;
                let word_start = pos == 0 || !lower.as_bytes()[pos - 1].is_ascii_alphanumeric();
                if word_start {
                    return Some(pos);
                }
                from = pos + t.len();
            }
            None
        })
        .min()
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_terms() {
        assert_eq!(terms("Machine tools, and the Fibres"), vec!["machine", "tool", "fiber"]);
        assert_eq!(terms("glass gas process 3A090"), vec!["glass", "gas", "process", "3a090"]);
        assert_eq!(terms("batteries"), vec!["battery"]);
    }

    #[test]
    fn japanese_terms_are_bigrams_and_runs() {
        let t = terms("数値制御を行うことができる工作機械");
        for expected in ["数値", "値制", "制御", "工作", "作機", "機械", "数値制御", "工作機械"] {
            assert!(t.contains(&expected.to_string()), "{expected} in {t:?}");
        }
        assert!(!t.contains(&"こと".to_string()), "hiragana pairs are grammar");
        assert!(terms("ロボット").contains(&"ロボット".to_string()));
    }

    #[test]
    fn excerpts_mark_matches() {
        let e = excerpt("Machine tools for removing metals", &["tool".into(), "metal".into()]);
        assert_eq!(e, "Machine «tools» for removing «metals»");
        let e = excerpt("核兵器の開発又は製造に用いられる工作機械", &["工作機械".into()]);
        assert!(e.contains("«工作機械»"), "{e}");
    }
}
