//! Readings compiled for alignment. The index compiles every listed reading once, when it is
//! built, and a query's readings are compiled once per query; aligning two names then touches
//! no strings except the few that Jaro-Winkler reads.
//!
//! A compiled reading is made of units: each token, and each two adjacent words joined, so
//! that "Jong-un" (two tokens) meets "Jongun" (one). A unit's spellings, phonetic keys, loose
//! keys and consonant skeleton are 64-bit hashes: whether two units are the same word is an
//! integer comparison. (Two different strings sharing a SipHash value is a chance of about
//! one in 10¹⁹ per comparison.)

use std::hash::Hasher;

use crate::keys::{KeyToken, NameReading, TokenKind, Via};
use crate::translit::kana;

/// Most joined spellings built for a unit of two tokens.
pub(crate) const MAX_JOINED: usize = 8;
/// Fuzzy similarity is computed on this many spellings per side at most (the most usual
/// first); equality and phonetic keys use all of them.
pub(crate) const MAX_FUZZY_SPELLINGS: usize = 3;
/// Shortest consonant skeleton that may match on its own: two consonants say too little
/// (كل, kul, and Cairo share "kr").
const MIN_SKELETON: usize = 3;

pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(s.as_bytes());
    h.finish()
}

/// A run of entries in one of a reading's pools.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

impl Span {
    pub fn len(self) -> usize {
        self.len as usize
    }

    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// How a token's weight follows from its rarity ([`crate::score::token_weight`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WeightRule {
    LegalForm,
    Particle,
    FamilyName,
    Plain,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledToken {
    pub rule: WeightRule,
    pub weight: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// First token and number of tokens (one, or two joined).
    pub start: usize,
    pub len: usize,
    pub kind: TokenKind,
    pub spellings: Span,
    pub keys: Span,
    /// Loose keys: katakana against Latin ([`kana::loose_key`]).
    pub loose: Span,
    /// At least [`MIN_SKELETON`] letters long.
    pub skeleton: Option<u64>,
    /// Written in Arabic script (its skeleton is the evidence we have).
    pub arabic: bool,
    /// Written in katakana (loose keys meet Latin ones).
    pub kana: bool,
    /// The first letter of the first spelling (0 if none).
    pub onset: u8,
    /// One bit per hash of its spellings, keys and loose keys: two units whose signatures
    /// share no bit cannot be equal on any of them, which most pairs decide at once.
    pub signature: u64,
    /// Strings for Jaro-Winkler: the first keys and the first spellings.
    pub fuzzy_keys: Span,
    pub fuzzy_spellings: Span,
}

/// A reading compiled for alignment, with its token weights.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub(crate) via: Via,
    pub(crate) has_kana: bool,
    pub(crate) family_first: Option<usize>,
    pub(crate) tokens: Vec<CompiledToken>,
    pub(crate) units: Vec<Unit>,
    /// The first word in natural order, if the name has two words or more and it is one that
    /// counts as a first name (see [`crate::score::FIRST_NAME_CONFLICT_FACTOR`]).
    pub(crate) first_name: Option<usize>,
    /// Hashes of the number tokens, sorted.
    pub(crate) numbers: Vec<u64>,
    pub(crate) total_weight: f64,
    hashes: Vec<u64>,
    text: String,
    pieces: Vec<(u32, u32)>,
}

impl Compiled {
    /// Compiles a reading; token weights come later ([`Compiled::set_weights`]).
    pub(crate) fn new(reading: &NameReading) -> Compiled {
        let mut c = Compiled {
            via: reading.via,
            has_kana: reading.has_kana(),
            family_first: reading.family_first,
            tokens: Vec::with_capacity(reading.tokens.len()),
            units: Vec::with_capacity(2 * reading.tokens.len()),
            first_name: None,
            numbers: Vec::new(),
            total_weight: 0.0,
            hashes: Vec::new(),
            text: String::new(),
            pieces: Vec::new(),
        };
        let loose: Vec<Vec<String>> = reading.tokens.iter().map(KeyToken::loose_keys).collect();
        for (i, t) in reading.tokens.iter().enumerate() {
            c.tokens.push(CompiledToken { rule: crate::score::weight_rule(reading, i), weight: 0.0 });
            if t.kind == TokenKind::Number {
                c.numbers.push(hash_str(&t.text));
            }
            let unit = Unit {
                start: i,
                len: 1,
                kind: t.kind,
                spellings: c.push_hashes(&t.spellings),
                keys: c.push_hashes(&t.keys),
                loose: c.push_hashes(&loose[i]),
                skeleton: t.skeleton.as_deref().filter(|s| s.len() >= MIN_SKELETON).map(hash_str),
                arabic: t.via == Via::Arabic,
                kana: t.via == Via::KanaRomaji,
                onset: onset(&t.spellings),
                signature: 0,
                fuzzy_keys: c.push_pieces(&t.keys),
                fuzzy_spellings: c.push_pieces(&t.spellings),
            };
            c.units.push(unit);
        }
        for i in 1..reading.tokens.len() {
            let (a, b) = (&reading.tokens[i - 1], &reading.tokens[i]);
            if a.kind != TokenKind::Word || b.kind != TokenKind::Word {
                continue;
            }
            let concat = |x: &str, y: &str| [x, y].concat();
            let spellings = joined(&a.spellings, &b.spellings, concat);
            let keys = joined(&a.keys, &b.keys, concat);
            let skeleton = match (&a.skeleton, &b.skeleton) {
                (Some(x), Some(y)) => Some([x.as_str(), y.as_str()].concat()).filter(|s| s.len() >= MIN_SKELETON),
                _ => None,
            };
            let unit = Unit {
                start: i - 1,
                len: 2,
                kind: a.kind,
                spellings: c.push_hashes(&spellings),
                keys: c.push_hashes(&keys),
                loose: c.push_hashes(&joined(&loose[i - 1], &loose[i], kana::join_loose)),
                skeleton: skeleton.as_deref().map(hash_str),
                arabic: a.via == Via::Arabic || b.via == Via::Arabic,
                kana: a.via == Via::KanaRomaji || b.via == Via::KanaRomaji,
                onset: onset(&spellings),
                signature: 0,
                fuzzy_keys: c.push_pieces(&keys),
                fuzzy_spellings: c.push_pieces(&spellings),
            };
            c.units.push(unit);
        }
        for i in 0..c.units.len() {
            let u = &c.units[i];
            let hashes = [u.spellings, u.keys, u.loose].into_iter().flat_map(|span| c.hashes(span));
            let signature = hashes.fold(0u64, |sig, h| sig | 1 << (h & 63));
            c.units[i].signature = signature;
        }
        c.numbers.sort_unstable();
        let words = reading.tokens.iter().filter(|t| t.kind == TokenKind::Word).count();
        let first = reading.family_first.unwrap_or_default();
        c.first_name = (words >= 2
            && reading.tokens.get(first).is_some_and(|t| t.kind == TokenKind::Word)
            && matches!(c.tokens[first].rule, WeightRule::Plain | WeightRule::FamilyName))
        .then_some(first);
        c
    }

    /// Compiles a reading with its token weights.
    pub(crate) fn with_weights(reading: &NameReading, weights: &[f64]) -> Compiled {
        let mut c = Compiled::new(reading);
        c.set_weights(weights);
        c
    }

    pub(crate) fn set_weights(&mut self, weights: &[f64]) {
        for (t, &w) in self.tokens.iter_mut().zip(weights) {
            t.weight = w;
        }
        self.total_weight = weights.iter().sum();
    }

    pub(crate) fn unit_weight(&self, u: &Unit) -> f64 {
        self.tokens[u.start..u.start + u.len].iter().map(|t| t.weight).sum()
    }

    pub(crate) fn hashes(&self, span: Span) -> &[u64] {
        &self.hashes[span.range()]
    }

    pub(crate) fn piece(&self, span: Span, i: usize) -> &str {
        let (start, end) = self.pieces[span.start as usize + i];
        &self.text[start as usize..end as usize]
    }

    fn push_hashes(&mut self, strings: &[String]) -> Span {
        let start = self.hashes.len() as u32;
        self.hashes.extend(strings.iter().map(|s| hash_str(s)));
        Span { start, len: strings.len() as u32 }
    }

    fn push_pieces(&mut self, strings: &[String]) -> Span {
        let start = self.pieces.len() as u32;
        let strings = &strings[..strings.len().min(MAX_FUZZY_SPELLINGS)];
        for s in strings {
            let from = self.text.len() as u32;
            self.text.push_str(s);
            self.pieces.push((from, self.text.len() as u32));
        }
        Span { start, len: strings.len() as u32 }
    }

    /// Frees spare capacity: the index holds one of these per listed reading.
    pub(crate) fn shrink(&mut self) {
        self.tokens.shrink_to_fit();
        self.units.shrink_to_fit();
        self.hashes.shrink_to_fit();
        self.text.shrink_to_fit();
        self.pieces.shrink_to_fit();
        self.numbers.shrink_to_fit();
    }
}

/// The spellings of two tokens joined, each of the first with each of the second, in that
/// order, at most [`MAX_JOINED`]: the `k`-th is `xs[k / ys.len()]` with `ys[k % ys.len()]`.
pub(crate) fn joined(xs: &[String], ys: &[String], glue: fn(&str, &str) -> String) -> Vec<String> {
    xs.iter().flat_map(|x| ys.iter().map(move |y| glue(x, y))).take(MAX_JOINED).collect()
}

fn onset(spellings: &[String]) -> u8 {
    spellings.first().and_then(|s| s.bytes().next()).unwrap_or(0)
}
