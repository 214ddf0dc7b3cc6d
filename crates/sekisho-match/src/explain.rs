//! Explanations: what met what, through which key, and what each feature did.

use std::fmt::Write as _;

use serde::Serialize;

use crate::keys::{NameReading, Via};
use crate::score::{Alignment, How};
use crate::translit::kana;

/// One aligned pair of tokens, as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct TokenExplanation {
    /// The query's token(s) as folded.
    pub query: String,
    /// The key the query token was read as ("kim").
    pub query_key: String,
    pub listed: String,
    pub listed_key: String,
    /// How the query token was turned into Latin ("katakana→romaji").
    pub via: &'static str,
    pub how: How,
    pub similarity: f64,
    /// Share of the name score this pair brought.
    pub contribution: f64,
}

/// A feature beyond the bare token alignment: name kind, order, first name, numbers (already
/// part of the name score), and country, birth date, identifier (added to it).
#[derive(Debug, Clone, Serialize)]
pub struct Feature {
    pub feature: &'static str,
    /// Change to the score (negative lowers it).
    pub effect: f64,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// One line a reviewer can read, e.g. "キム → kimu≈kim ~ kim (katakana→romaji, phonetic)".
    pub summary: String,
    pub tokens: Vec<TokenExplanation>,
    pub unmatched_query: Vec<String>,
    pub unmatched_listed: Vec<String>,
    /// The name score before features.
    pub name_score: f64,
    pub features: Vec<Feature>,
}

/// The texts of a reading's tokens in `indices`, space-separated.
fn join_tokens(reading: &NameReading, indices: std::ops::Range<usize>) -> String {
    let mut out = String::new();
    for (n, i) in indices.enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(&reading.tokens[i].text);
    }
    out
}

/// Appends `words` to `out`, space-separated.
fn push_joined(out: &mut String, words: &[String]) {
    for (n, w) in words.iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
}

pub(crate) fn explain(query: &NameReading, listed: &NameReading, alignment: &Alignment, features: Vec<Feature>) -> Explanation {
    let tokens: Vec<TokenExplanation> = alignment
        .pairs
        .iter()
        .map(|p| TokenExplanation {
            query: join_tokens(query, p.query.clone()),
            query_key: p.query_spelling.clone(),
            listed: join_tokens(listed, p.listed.clone()),
            listed_key: p.listed_spelling.clone(),
            via: query.tokens[p.query.start].via.describe(),
            how: p.how,
            similarity: round(p.similarity),
            contribution: round(p.contribution),
        })
        .collect();
    let unmatched_query: Vec<String> = alignment.unmatched_query.iter().map(|&i| query.tokens[i].text.clone()).collect();
    let unmatched_listed: Vec<String> = alignment.unmatched_listed.iter().map(|&i| listed.tokens[i].text.clone()).collect();
    // The summary is written in one string (parts separated by "; "): every explained match
    // builds one, and separate strings joined cost more than the rest of the explanation.
    let mut summary = String::with_capacity(64 * (tokens.len() + 1));
    let part = |summary: &mut String| {
        if !summary.is_empty() {
            summary.push_str("; ");
        }
    };
    for t in &tokens {
        part(&mut summary);
        describe_pair(t, &mut summary);
    }
    if !unmatched_query.is_empty() {
        part(&mut summary);
        summary.push_str("query only: ");
        push_joined(&mut summary, &unmatched_query);
    }
    if !unmatched_listed.is_empty() {
        part(&mut summary);
        summary.push_str("listed only: ");
        push_joined(&mut summary, &unmatched_listed);
    }
    for f in &features {
        part(&mut summary);
        let _ = write!(summary, "{} {:+.2} ({})", f.feature, f.effect, f.detail);
    }
    Explanation {
        summary,
        tokens,
        unmatched_query,
        unmatched_listed,
        name_score: round(alignment.score),
        features,
    }
}

/// Appends one pair as the summary shows it: "kimu → kim ≈ kim (katakana→romaji, phonetic key)".
fn describe_pair(t: &TokenExplanation, out: &mut String) {
    let relation = match t.how {
        How::Exact | How::LegalForm => "=",
        _ => "≈",
    };
    out.push_str(&t.query);
    if t.query != t.query_key {
        out.push_str(" → ");
        out.push_str(&t.query_key);
    }
    out.push(' ');
    out.push_str(relation);
    out.push(' ');
    out.push_str(&t.listed);
    if !(t.listed == t.listed_key || t.query_key == t.listed_key) {
        out.push_str(" [");
        out.push_str(&t.listed_key);
        out.push(']');
    }
    let how = match t.how {
        How::Exact => "",
        How::LegalForm => ", legal form",
        How::Phonetic => ", phonetic key",
        How::Loose => ", loose key",
        How::ByEar => ", by ear",
        How::Skeleton => ", consonant skeleton",
        How::Fuzzy => ", similarity ",
        How::Homophone => ", same reading, another character",
    };
    if t.via == Via::Latin.describe() && how.is_empty() {
        return;
    }
    out.push_str(" (");
    out.push_str(t.via);
    out.push_str(how);
    match t.how {
        How::Fuzzy => {
            let _ = write!(out, "{:.2}", t.similarity);
        }
        How::ByEar => push_ear_letters(out, &t.query_key),
        _ => {}
    }
    out.push(')');
}

/// The letters two words heard alike share, as ": same consonants j-m-s" (the key by ear of
/// the spelling shown, without its vowel marks; a first vowel is kept, as the key keeps it).
fn push_ear_letters(out: &mut String, spelling: &str) {
    let ear = kana::by_ear(&kana::phonetic_key(spelling));
    out.push_str(": same consonants ");
    for (n, letter) in ear.chars().filter(|&c| c != '.').enumerate() {
        if n > 0 {
            out.push('-');
        }
        out.push(letter);
    }
}

pub(crate) fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use crate::score::How;

    /// A match by ear says so, with the katakana spelling heard and the consonants that agree,
    /// in words an officer reading either language can check against the names.
    #[test]
    fn a_match_by_ear_is_explained_by_its_consonants() {
        let c = crate::compare("ジェームズ・テイラー", "James TAYLOR", None);
        assert!(c.is_match, "{}", c.explanation.summary);
        assert!(c.explanation.tokens.iter().all(|t| t.how == How::ByEar), "{:?}", c.explanation.tokens);
        let summary = &c.explanation.summary;
        assert!(summary.contains("ジェームズ → jemuz ≈ james (katakana→romaji, by ear: same consonants j-m-s)"), "{summary}");
        assert!(summary.contains("テイラー → teirar ≈ taylor (katakana→romaji, by ear: same consonants t-r-r)"), "{summary}");
        let json = serde_json::to_string(&c.explanation.tokens[0]).unwrap();
        assert!(json.contains(r#""how":"by_ear""#), "{json}");
    }
}
