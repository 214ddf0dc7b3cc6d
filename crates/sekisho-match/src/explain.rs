//! Explanations: what met what, through which key, and what each feature did.

use serde::Serialize;

use crate::keys::{NameReading, Via};
use crate::score::{Alignment, How};

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

fn join_tokens(reading: &NameReading, indices: std::ops::Range<usize>) -> String {
    indices.map(|i| reading.tokens[i].text.as_str()).collect::<Vec<_>>().join(" ")
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
    let mut parts: Vec<String> = tokens.iter().map(describe_pair).collect();
    if !unmatched_query.is_empty() {
        parts.push(format!("query only: {}", unmatched_query.join(" ")));
    }
    if !unmatched_listed.is_empty() {
        parts.push(format!("listed only: {}", unmatched_listed.join(" ")));
    }
    for f in &features {
        parts.push(format!("{} {:+.2} ({})", f.feature, f.effect, f.detail));
    }
    Explanation {
        summary: parts.join("; "),
        tokens,
        unmatched_query,
        unmatched_listed,
        name_score: round(alignment.score),
        features,
    }
}

fn describe_pair(t: &TokenExplanation) -> String {
    let relation = match t.how {
        How::Exact | How::LegalForm => "=",
        _ => "≈",
    };
    let key = if t.query == t.query_key { String::new() } else { format!(" → {}", t.query_key) };
    let listed_key = if t.listed == t.listed_key || t.query_key == t.listed_key {
        String::new()
    } else {
        format!(" [{}]", t.listed_key)
    };
    let how = match t.how {
        How::Exact => String::new(),
        How::LegalForm => ", legal form".to_string(),
        How::Phonetic => ", phonetic key".to_string(),
        How::Loose => ", loose key".to_string(),
        How::Skeleton => ", consonant skeleton".to_string(),
        How::Fuzzy => format!(", similarity {:.2}", t.similarity),
    };
    let via = if t.via == Via::Latin.describe() && how.is_empty() { String::new() } else { format!(" ({}{how})", t.via) };
    format!("{}{key} {relation} {}{listed_key}{via}", t.query, t.listed)
}

pub(crate) fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
