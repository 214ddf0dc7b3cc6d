//! Name-to-name scoring: align the tokens of two readings and weigh what matched.
//!
//! Tokens are aligned greedily, best pair first, in two phases: first the units that are the
//! same word — equal spelling (1.0), phonetic key (0.95), katakana–Latin loose key (0.9),
//! Arabic or Latin consonant skeleton (0.9 / 0.88) — then, among the tokens left, Jaro-Winkler
//! similarity of at least [`FUZZY_FLOOR`] between keys that begin alike. A unit is one token
//! or two adjacent tokens joined, so "Jong-un" (two tokens) meets "Jongun" (one). The name
//! score is the weighted share of both names' tokens that met, each pair counting its
//! similarity:
//!
//! ```text
//! score = Σ_pairs sim · (w(query unit) + w(listed unit)) / (Σ w(query tokens) + Σ w(listed tokens))
//! ```
//!
//! so an unmatched token on either side lowers the score by its weight. Weights come from
//! token rarity in the lists (see the index); legal forms and particles weigh little, family
//! names more ([`token_weight`]). Then:
//! - order: the same tokens in another order is a different name unless the order is a
//!   rotation (family name moved from front to back: KIM Jong Un / Jong Un KIM), which costs
//!   [`ROTATION_PENALTY`]; other permutations cost [`PERMUTATION_PENALTY`]; "FAMILY, Given"
//!   and "Given FAMILY" are the same order;
//! - numbers must agree: Vessel 1 is not Vessel 2, so differing numbers multiply the score
//!   by [`NUMBER_CONFLICT_FACTOR`];
//! - first names: when neither name's first name found a partner, they are likely two
//!   members of one family, and the score is multiplied by [`FIRST_NAME_CONFLICT_FACTOR`].

use serde::Serialize;

use crate::keys::{KeyToken, NameReading, TokenKind, Via};
use crate::similarity::jaro_winkler_at_least;

pub const FUZZY_FLOOR: f64 = 0.88;
pub const ROTATION_PENALTY: f64 = 0.04;
pub const PERMUTATION_PENALTY: f64 = 0.12;
pub const NUMBER_CONFLICT_FACTOR: f64 = 0.5;
/// When the first name of both names (in natural order) found no partner, the names are two
/// people of one family (Qusay / Uday Saddam Hussein): the score is multiplied by this.
pub const FIRST_NAME_CONFLICT_FACTOR: f64 = 0.85;
/// Weight of a legal form token relative to a word of weight 1.
pub const LEGAL_FORM_WEIGHT: f64 = 0.1;
/// Similarity of a katakana word and a Latin one with the same loose key (ペク, Paek).
const LOOSE_SIMILARITY: f64 = 0.9;
/// Similarity of two Latin spellings with the same consonant skeleton (Sayyid, Sayed).
const LATIN_SKELETON_SIMILARITY: f64 = 0.88;
/// Shortest consonant skeleton that may match on its own.
const MIN_SKELETON: usize = 3;
/// Fuzzy similarity needs this many letters on both sides: short tokens must be equal.
const FUZZY_MIN_LEN: usize = 4;
/// Most joined spellings built for a unit of two tokens.
const MAX_JOINED: usize = 8;
/// Fuzzy similarity is computed on this many spellings per side at most (the most usual
/// first); equality and phonetic keys use all of them.
const MAX_FUZZY_SPELLINGS: usize = 3;

/// How two units met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    Exact,
    Phonetic,
    /// Katakana against Latin on loose keys (voicing, Korean vowels).
    Loose,
    Skeleton,
    Fuzzy,
    LegalForm,
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenPair {
    /// Token indices in the query reading (one, or two joined).
    pub query: std::ops::Range<usize>,
    pub listed: std::ops::Range<usize>,
    pub query_spelling: String,
    pub listed_spelling: String,
    pub how: How,
    pub similarity: f64,
    /// This pair's share of the score.
    pub contribution: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Alignment {
    pub pairs: Vec<TokenPair>,
    pub unmatched_query: Vec<usize>,
    pub unmatched_listed: Vec<usize>,
    /// Weighted share of tokens that met, before order and number rules.
    pub coverage: f64,
    pub order_penalty: f64,
    /// Numbers on both sides that differ (query, listed).
    pub number_conflict: Option<(String, String)>,
    /// Both names' first names found no partner.
    pub first_name_conflict: bool,
    pub score: f64,
}

/// A token's own words, borrowed, or the words made by joining two tokens, owned: single
/// tokens, most units, cost no allocation.
enum Words<'a> {
    Borrowed(&'a [String]),
    Owned(Vec<String>),
}

impl std::ops::Deref for Words<'_> {
    type Target = [String];

    fn deref(&self) -> &[String] {
        match self {
            Words::Borrowed(words) => words,
            Words::Owned(words) => words,
        }
    }
}

struct Unit<'a> {
    start: usize,
    len: usize,
    kind: &'a TokenKind,
    spellings: Words<'a>,
    keys: Words<'a>,
    skeleton: Option<std::borrow::Cow<'a, str>>,
    /// Written in Arabic script (its skeleton is the evidence we have).
    arabic: bool,
    /// Written in katakana (loose keys meet Latin ones).
    kana: bool,
    loose: Words<'a>,
    weight: f64,
}

/// The units of a reading; loose keys only when the comparison is katakana against Latin.
fn units<'a>(tokens: &'a [KeyToken], weights: &[f64], with_loose: bool) -> Vec<Unit<'a>> {
    use std::borrow::Cow;
    let mut out: Vec<Unit<'a>> = Vec::with_capacity(2 * tokens.len());
    out.extend(tokens.iter().enumerate().map(|(i, t)| Unit {
        start: i,
        len: 1,
        kind: &t.kind,
        spellings: Words::Borrowed(&t.spellings),
        keys: Words::Borrowed(&t.keys),
        skeleton: t.skeleton.as_deref().map(Cow::Borrowed),
        arabic: t.via == Via::Arabic,
        kana: t.via == Via::KanaRomaji,
        loose: if with_loose { Words::Owned(t.loose_keys()) } else { Words::Borrowed(&[]) },
        weight: weights[i],
    }));
    let join = |xs: &[String], ys: &[String], glue: fn(&str, &str) -> String| -> Words<'a> {
        Words::Owned(xs.iter().flat_map(|x| ys.iter().map(move |y| glue(x, y))).take(MAX_JOINED).collect())
    };
    let concat = |x: &str, y: &str| [x, y].concat();
    for i in 1..tokens.len() {
        let (a, b) = (&tokens[i - 1], &tokens[i]);
        if a.kind != TokenKind::Word || b.kind != TokenKind::Word {
            continue;
        }
        let loose = join(&out[i - 1].loose, &out[i].loose, crate::translit::kana::join_loose);
        out.push(Unit {
            start: i - 1,
            len: 2,
            kind: &a.kind,
            spellings: join(&a.spellings, &b.spellings, concat),
            keys: join(&a.keys, &b.keys, concat),
            arabic: a.via == Via::Arabic || b.via == Via::Arabic,
            kana: a.via == Via::KanaRomaji || b.via == Via::KanaRomaji,
            loose,
            skeleton: match (&a.skeleton, &b.skeleton) {
                (Some(x), Some(y)) => Some(Cow::Owned([x.as_str(), y.as_str()].concat())),
                _ => None,
            },
            weight: weights[i - 1] + weights[i],
        });
    }
    out
}

/// How two units met: similarity, how, and which spelling of each side showed it.
#[derive(Clone, Copy)]
struct Meeting {
    similarity: f64,
    how: How,
    query_spelling: usize,
    listed_spelling: usize,
}

impl Meeting {
    fn new(similarity: f64, how: How, query_spelling: usize, listed_spelling: usize) -> Meeting {
        Meeting { similarity, how, query_spelling, listed_spelling }
    }
}

/// Whether two units are the same word: equal spelling, phonetic key or Arabic skeleton (or
/// the same legal form, the same number). Cheap, allocation-free: this runs for every pair
/// of units of every candidate.
fn unit_equality(q: &Unit<'_>, c: &Unit<'_>) -> Option<Meeting> {
    match (q.kind, c.kind) {
        (TokenKind::LegalForm(a), TokenKind::LegalForm(b)) => {
            return (a == b).then(|| Meeting::new(1.0, How::LegalForm, 0, 0));
        }
        (TokenKind::Number, TokenKind::Number) => {
            return (q.spellings[0] == c.spellings[0]).then(|| Meeting::new(1.0, How::Exact, 0, 0));
        }
        (TokenKind::Word, TokenKind::Word) => {}
        _ => return None,
    }
    for (qi, qs) in q.spellings.iter().enumerate() {
        if let Some(ci) = c.spellings.iter().position(|cs| cs == qs) {
            return Some(Meeting::new(1.0, How::Exact, qi, ci));
        }
    }
    // Keys are made from the spellings in order, so a key's index is its spelling's (or
    // close to it when two spellings share a key).
    for (qi, qk) in q.keys.iter().enumerate() {
        if let Some(ci) = c.keys.iter().position(|ck| ck == qk) {
            let (qi, ci) = (qi.min(q.spellings.len() - 1), ci.min(c.spellings.len() - 1));
            return Some(Meeting::new(0.95, How::Phonetic, qi, ci));
        }
    }
    // Katakana renders Korean and other names by ear: meet Latin spellings on loose keys.
    if q.kana != c.kana
        && let Some(qi) = q.loose.iter().position(|k| c.loose.contains(k))
    {
        let qi = qi.min(q.spellings.len() - 1);
        return Some(Meeting::new(LOOSE_SIMILARITY, How::Loose, qi, 0));
    }
    // Arabic script writes no short vowels, and Latin spellings of Arabic names differ in
    // vowels and doubling: compare consonant skeletons. Between two Latin spellings the
    // skeleton counts less, and only with the same first letter.
    if let (Some(qk), Some(ck)) = (&q.skeleton, &c.skeleton) {
        // Two consonants say too little: كل (kul) and Cairo share "kr".
        if qk == ck && qk.len() >= MIN_SKELETON {
            if q.arabic || c.arabic {
                return Some(Meeting::new(0.9, How::Skeleton, 0, 0));
            }
            if same_onset(&q.spellings[0], &c.spellings[0]) {
                return Some(Meeting::new(LATIN_SKELETON_SIMILARITY, How::Skeleton, 0, 0));
            }
        }
    }
    None
}

/// Whether two words begin alike: the same letter, or letters that romanisations of one
/// sound swap at the start of a name (Osama / Usama, Gaddafi / Qadhafi, Pak / Bak, Fazil /
/// Vazil). A different first letter beyond these is a different name (Serkan / Erkan).
fn same_onset(a: &str, b: &str) -> bool {
    let class = |c: u8| match c {
        b'a' | b'e' | b'i' | b'o' | b'u' => b'a',
        b'k' | b'q' | b'g' | b'c' => b'k',
        b'b' | b'p' => b'b',
        b'f' | b'v' => b'f',
        b's' | b'z' => b's',
        other => other,
    };
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(&x), Some(&y)) => class(x) == class(y),
        _ => false,
    }
}

/// How close two words are by Jaro-Winkler on their phonetic keys (on their spellings when
/// they have no keys), if at least [`FUZZY_FLOOR`].
fn unit_fuzzy(q: &Unit<'_>, c: &Unit<'_>) -> Option<Meeting> {
    if *q.kind != TokenKind::Word || *c.kind != TokenKind::Word {
        return None;
    }
    let mut best: Option<(f64, usize, usize)> = None;
    let mut consider = |xs: &[String], ys: &[String]| {
        let (xs, ys) = (&xs[..xs.len().min(MAX_FUZZY_SPELLINGS)], &ys[..ys.len().min(MAX_FUZZY_SPELLINGS)]);
        // Spelling systems are covered by keys and variants; a differing first letter that is
        // left is a different name (Serkan / Erkan), not a typo.
        for (i, x) in xs.iter().enumerate().filter(|(_, x)| x.len() >= FUZZY_MIN_LEN) {
            for (j, y) in ys.iter().enumerate().filter(|(_, y)| y.len() >= FUZZY_MIN_LEN && same_onset(x, y)) {
                let floor = best.map_or(FUZZY_FLOOR, |(b, ..)| b.max(FUZZY_FLOOR));
                // When the first letters are swapped spellings of one sound, the rest of the
                // word decides (osama / usama: sama / sama).
                let swapped = x.as_bytes()[0] != y.as_bytes()[0] && x.is_char_boundary(1) && y.is_char_boundary(1);
                let (x, y) = if swapped { (&x[1..], &y[1..]) } else { (&x[..], &y[..]) };
                if let Some(sim) = jaro_winkler_at_least(x, y, floor)
                    && best.is_none_or(|(b, ..)| sim > b)
                {
                    best = Some((sim, i, j));
                }
            }
        }
    };
    if q.keys.is_empty() || c.keys.is_empty() {
        consider(&q.spellings, &c.spellings);
    } else {
        consider(&q.keys, &c.keys);
    }
    let (sim, i, j) = best.filter(|(sim, ..)| *sim >= FUZZY_FLOOR)?;
    let (i, j) = (i.min(q.spellings.len() - 1), j.min(c.spellings.len() - 1));
    // Fuzzy matches count a little less than phonetic ones of equal similarity.
    Some(Meeting::new(sim.min(0.94), How::Fuzzy, i, j))
}

/// The greedy alignment's state: which tokens are taken, the pairs so far.
struct Greedy {
    explain: bool,
    q_frame: Frame,
    c_frame: Frame,
    q_used: Vec<bool>,
    c_used: Vec<bool>,
    pairs: Vec<TokenPair>,
    matched: f64,
    total: f64,
}

/// Token positions in a name's natural order: "FAMILY, Given" read as "Given FAMILY".
#[derive(Clone, Copy)]
struct Frame {
    len: usize,
    family_first: Option<usize>,
}

impl Frame {
    fn of(reading: &NameReading) -> Frame {
        Frame { len: reading.tokens.len().max(1), family_first: reading.family_first }
    }

    fn position(self, written: usize) -> usize {
        match self.family_first {
            Some(family) => (written + self.len - family) % self.len,
            None => written,
        }
    }

    fn relative(self, written: usize) -> f64 {
        self.position(written) as f64 / self.len as f64
    }
}

impl Greedy {
    fn q_free(&self, u: &Unit<'_>) -> bool {
        (u.start..u.start + u.len).all(|i| !self.q_used[i])
    }

    fn c_free(&self, u: &Unit<'_>) -> bool {
        (u.start..u.start + u.len).all(|i| !self.c_used[i])
    }

    /// Takes pairs best first, skipping those whose tokens are taken. Among equals, single
    /// tokens first, which explain more precisely; a joined unit still wins where it fits
    /// better ("jong"+"un" = "jongun" beats "jong" ≈ "jongun").
    fn take(&mut self, mut candidates: Vec<(Meeting, usize, usize)>, q_units: &[Unit<'_>], c_units: &[Unit<'_>]) {
        let span = |x: &(Meeting, usize, usize)| q_units[x.1].len + c_units[x.2].len;
        // Then the pair closest in relative position, reading "FAMILY, Given" names as
        // "Given FAMILY", so that repeated words (el … el, Bahmanyar … Bahmanyar) pair in order.
        let distance = |x: &(Meeting, usize, usize)| {
            (self.q_frame.relative(q_units[x.1].start) - self.c_frame.relative(c_units[x.2].start)).abs()
        };
        candidates.sort_by(|a, b| {
            b.0.similarity
                .total_cmp(&a.0.similarity)
                .then_with(|| span(a).cmp(&span(b)))
                .then_with(|| distance(a).total_cmp(&distance(b)))
        });
        for (meeting, qi, ci) in candidates {
            let (q, c) = (&q_units[qi], &c_units[ci]);
            if !self.q_free(q) || !self.c_free(c) {
                continue;
            }
            let (q_range, c_range) = (q.start..q.start + q.len, c.start..c.start + c.len);
            q_range.clone().for_each(|i| self.q_used[i] = true);
            c_range.clone().for_each(|i| self.c_used[i] = true);
            let sim = meeting.similarity;
            let contribution = if self.total > 0.0 { sim * (q.weight + c.weight) / self.total } else { 0.0 };
            self.matched += contribution;
            self.pairs.push(TokenPair {
                query: q_range,
                listed: c_range,
                // Spellings are for the explanation; scoring many candidates needs none.
                query_spelling: if self.explain { q.spellings[meeting.query_spelling].to_string() } else { String::new() },
                listed_spelling: if self.explain { c.spellings[meeting.listed_spelling].to_string() } else { String::new() },
                how: meeting.how,
                similarity: sim,
                contribution,
            });
        }
    }
}

/// A reading with its weights and units, built once and aligned with many others.
pub struct Prepared<'a> {
    reading: &'a NameReading,
    weights: &'a [f64],
    units: Vec<Unit<'a>>,
}

impl<'a> Prepared<'a> {
    /// Prepares a reading; `with_loose` when it will meet a reading in the other script of a
    /// katakana–Latin pair.
    pub fn new(reading: &'a NameReading, weights: &'a [f64], with_loose: bool) -> Prepared<'a> {
        Prepared { reading, weights, units: units(&reading.tokens, weights, with_loose) }
    }

    pub fn reading(&self) -> &'a NameReading {
        self.reading
    }
}

/// Aligns a query reading with a listed reading, given each token's weight.
pub fn align(query: &NameReading, q_weights: &[f64], listed: &NameReading, c_weights: &[f64]) -> Alignment {
    let loose = query.has_kana() != listed.has_kana();
    align_prepared(&Prepared::new(query, q_weights, loose), &Prepared::new(listed, c_weights, loose), true)
}

/// [`align`] on prepared readings; with `explain` false the pairs carry no spellings, which
/// saves allocating them for the many candidates that are scored and dropped.
pub fn align_prepared(query: &Prepared<'_>, listed: &Prepared<'_>, explain: bool) -> Alignment {
    let (q_units, c_units) = (&query.units, &listed.units);
    let (q_weights, c_weights) = (query.weights, listed.weights);
    let (query, listed) = (query.reading, listed.reading);
    let total: f64 = q_weights.iter().sum::<f64>() + c_weights.iter().sum::<f64>();
    let mut state = Greedy {
        explain,
        q_frame: Frame::of(query),
        c_frame: Frame::of(listed),
        q_used: vec![false; query.tokens.len()],
        c_used: vec![false; listed.tokens.len()],
        pairs: Vec::new(),
        matched: 0.0,
        total,
    };
    // Equal words first; then Jaro-Winkler among the words still unmatched, which spares
    // the costly comparison for most tokens of a true match.
    let mut candidates: Vec<(Meeting, usize, usize)> = Vec::new();
    for (qi, q) in q_units.iter().enumerate() {
        for (ci, c) in c_units.iter().enumerate() {
            if let Some(meeting) = unit_equality(q, c) {
                candidates.push((meeting, qi, ci));
            }
        }
    }
    state.take(candidates, q_units, c_units);
    let mut candidates: Vec<(Meeting, usize, usize)> = Vec::new();
    for (qi, q) in q_units.iter().enumerate().filter(|(_, u)| state.q_free(u)) {
        for (ci, c) in c_units.iter().enumerate().filter(|(_, u)| state.c_free(u)) {
            if let Some(meeting) = unit_fuzzy(q, c) {
                candidates.push((meeting, qi, ci));
            }
        }
    }
    state.take(candidates, q_units, c_units);
    let Greedy { q_used, c_used, mut pairs, matched, .. } = state;
    pairs.sort_by_key(|p| p.query.start);
    let unmatched_query: Vec<usize> = (0..query.tokens.len()).filter(|&i| !q_used[i]).collect();
    let unmatched_listed: Vec<usize> = (0..listed.tokens.len()).filter(|&i| !c_used[i]).collect();
    let order_penalty = order_penalty(&pairs, query, listed);
    let number_conflict = number_conflict(query, listed);
    let first_name_conflict = first_name_conflict(query, &q_used) && first_name_conflict(listed, &c_used);
    let mut score = matched * (1.0 - order_penalty);
    if number_conflict.is_some() {
        score *= NUMBER_CONFLICT_FACTOR;
    }
    if first_name_conflict {
        score *= FIRST_NAME_CONFLICT_FACTOR;
    }
    Alignment {
        pairs,
        unmatched_query,
        unmatched_listed,
        coverage: matched,
        order_penalty,
        number_conflict,
        first_name_conflict,
        score: score.clamp(0.0, 1.0),
    }
}

/// Whether the name's first word in natural order (the given name of "FAMILY, Given") is an
/// unmatched word, in a name of two words or more.
fn first_name_conflict(reading: &NameReading, used: &[bool]) -> bool {
    let words = reading.tokens.iter().filter(|t| t.kind == TokenKind::Word).count();
    let first = reading.family_first.unwrap_or_default();
    words >= 2
        && reading.tokens.get(first).is_some_and(|t| t.kind == TokenKind::Word && !t.spellings.is_empty())
        && !used[first]
        && token_weight(reading, first, 1.0) >= 1.0
}

/// Pairs are sorted by query position; look at the listed positions in that order.
/// No penalty when the pairs run in the same order, reading each name as written or, for a
/// "FAMILY, Given" name, as "Given FAMILY".
fn order_penalty(pairs: &[TokenPair], query: &NameReading, listed: &NameReading) -> f64 {
    let increasing = |xs: &[usize]| xs.windows(2).all(|w| w[0] < w[1]);
    let (q_natural, c_natural) = (Frame::of(query), Frame::of(listed));
    let position = |frame: Frame, written: usize, natural: bool| if natural { frame.position(written) } else { written };
    for q_rotate in [false, true] {
        for c_rotate in [false, true] {
            let mut order: Vec<(usize, usize)> = pairs
                .iter()
                .map(|p| (position(q_natural, p.query.start, q_rotate), position(c_natural, p.listed.start, c_rotate)))
                .collect();
            order.sort_unstable();
            if increasing(&order.iter().map(|o| o.1).collect::<Vec<_>>()) {
                return 0.0;
            }
        }
    }
    let positions: Vec<usize> = pairs.iter().map(|p| p.listed.start).collect();
    let rotation = (1..positions.len()).any(|k| {
        let rotated: Vec<usize> = positions[k..].iter().chain(&positions[..k]).copied().collect();
        increasing(&rotated)
    });
    if rotation { ROTATION_PENALTY } else { PERMUTATION_PENALTY }
}

fn number_conflict(query: &NameReading, listed: &NameReading) -> Option<(String, String)> {
    let numbers = |r: &NameReading| -> Vec<String> {
        let mut n: Vec<String> = r.tokens.iter().filter(|t| t.kind == TokenKind::Number).map(|t| t.text.clone()).collect();
        n.sort();
        n
    };
    let (q, c) = (numbers(query), numbers(listed));
    (!q.is_empty() && !c.is_empty() && q != c).then(|| (q.join(" "), c.join(" ")))
}

/// Default token weights when no index says how rare a token is (pair comparison).
pub fn default_weights(reading: &NameReading) -> Vec<f64> {
    (0..reading.tokens.len()).map(|i| token_weight(reading, i, 1.0)).collect()
}

/// Words that connect names rather than name anyone: Arabic nasab and article, Western
/// nobiliary particles, and the English and katakana connectives of organisation names.
/// ("an", the article before n, is left out: An is also a Korean family name.)
const PARTICLES: [&str; 28] = [
    "bin", "ibn", "ben", "bint", "binti", "ould", "al", "el", "ad", "ar", "as", "ash", "at", "az", "de", "da",
    "di", "del", "van", "von", "der", "of", "the", "and", "for", "ob", "obu", "za",
];
/// Weight of a particle relative to a word of weight 1.
pub const PARTICLE_WEIGHT: f64 = 0.2;
/// Family names (known from "FAMILY, Given") weigh this much more: sharing given names with
/// a listed person of another family is common, sharing the family name is the stronger tie.
pub const FAMILY_NAME_FACTOR: f64 = 1.5;

/// A token's weight, from its base weight (rarity in the lists, or 1): legal forms and
/// particles weigh little, family names more.
pub fn token_weight(reading: &NameReading, i: usize, base: f64) -> f64 {
    let token = &reading.tokens[i];
    match token.kind {
        TokenKind::LegalForm(_) => LEGAL_FORM_WEIGHT,
        _ if PARTICLES.contains(&token.spellings[0].as_str()) => PARTICLE_WEIGHT,
        _ if reading.family_first.is_some_and(|n| i < n) => base * FAMILY_NAME_FACTOR,
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::name_keys;

    fn score(a: &str, b: &str) -> f64 {
        let (a, b) = (name_keys(a, None), name_keys(b, None));
        let mut best: f64 = 0.0;
        for ra in &a.readings {
            for rb in &b.readings {
                best = best.max(align(ra, &default_weights(ra), rb, &default_weights(rb)).score);
            }
        }
        best
    }

    #[test]
    fn equal_names_score_one() {
        assert_eq!(score("Kim Jong Un", "KIM JONG UN"), 1.0);
    }

    #[test]
    fn hyphens_and_joined_syllables_align() {
        assert!(score("Kim Jong-un", "Kim Jongun") > 0.95);
    }

    #[test]
    fn rotation_costs_little_and_other_orders_more() {
        let rotated = score("Jong Un Kim", "Kim Jong Un");
        let permuted = score("Un Kim Jong", "Jong Kim Un");
        assert!(rotated > 0.9 && rotated < 1.0, "{rotated}");
        assert!(permuted < rotated, "{permuted} vs {rotated}");
    }

    #[test]
    fn family_name_first_with_a_comma_is_the_same_order() {
        assert_eq!(score("BAHMANYAR, Bahmanyar Morteza", "Bahmanyar Morteza BAHMANYAR"), 1.0);
        assert_eq!(score("KIM, Jong Un", "Jong Un Kim"), 1.0);
        assert_eq!(score("KIM, Jong Un", "Kim Jong Un"), 1.0);
    }

    #[test]
    fn a_different_first_letter_is_a_different_given_name() {
        assert!(score("DUZGOREN, Serkan", "DUZGOREN, Erkan") < 0.8);
    }

    #[test]
    fn numbers_must_agree() {
        assert!(score("Ocean Star 1", "Ocean Star 2") < 0.6);
        assert_eq!(score("Ocean Star 2", "OCEAN STAR 2"), 1.0);
    }

    #[test]
    fn missing_tokens_lower_the_score() {
        let partial = score("Kim", "Kim Jong Un");
        assert!(partial < 0.6, "{partial}");
    }

    #[test]
    fn legal_forms_weigh_little() {
        assert!(score("ACME Trading Co., Ltd.", "ACME Trading Limited") > 0.95);
        assert!(score("ACME Trading", "ACME Trading LLC") > 0.9);
    }
}
