//! Readings compiled for alignment. The index compiles every listed reading once, when it is
//! built, and a query's readings are compiled once per query; aligning two names then touches
//! no strings except the few that Jaro-Winkler reads.
//!
//! A compiled reading is made of units: each token, and each two adjacent words joined, so
//! that "Jong-un" (two tokens) meets "Jongun" (one). A unit's spellings, phonetic keys, loose
//! keys and consonant skeleton are 64-bit hashes: whether two units are the same word is an
//! integer comparison. (Two different strings sharing a SipHash value is a chance of about
//! one in 10¹⁹ per comparison.)
//!
//! A query's readings are [`Compiled`], each owning its arrays; the index appends all listed
//! readings to one [`Pool`] of a few large arrays, which costs far less memory than many
//! small ones, and so do lists of prepared names ([`PackedNames`]). Alignment sees either
//! through a [`Reading`].

use std::hash::Hasher;

use crate::keys::{KeyToken, NameReading, TokenKind, Via};
use crate::score::{FUZZY_FLOOR, JOINED_FUZZY_FLOOR};
use crate::similarity::{fewest_matching, letter_classes, refused_by_letter_classes, refused_by_lengths};
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

    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The index of its last entry (0 when empty): where an index into another run of the
    /// same unit is clamped.
    pub fn last(self) -> usize {
        self.len().saturating_sub(1)
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

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompiledToken {
    pub rule: WeightRule,
    /// The classes ([`onset_bit`]) of the first letters of every string of the units that
    /// cover it ([`Unit::onset_mask`]; all bits where a unit may meet without one): a token whose
    /// classes the other name lacks meets nothing there. (In the padding beside `rule`.)
    pub onsets: u32,
    pub weight: f64,
}

/// What a unit is: legal forms meet legal forms of the same class (their one spelling says
/// which), numbers meet equal numbers, words meet words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitKind {
    Word,
    Number,
    LegalForm,
}

/// A token, or two adjacent words joined. Its hashes lie in the reading's hash array as
/// spellings, keys, loose keys, keys by ear in that order from `hashes`; its Jaro-Winkler strings in the
/// pieces as keys, spellings from `pieces`. (Kept small: the index holds half a million.)
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    start: u32,
    hashes: u32,
    pieces: u32,
    len: u8,
    pub kind: UnitKind,
    /// Written in Arabic script (its skeleton is the evidence we have).
    pub arabic: bool,
    /// Written in katakana (loose keys meet Latin ones).
    pub kana: bool,
    /// Written in Han characters, one or two (a Han character's reading, or two joined):
    /// the hash of its characters (variant-folded) follows its keys by ear ([`Unit::writing`]).
    han: bool,
    /// The first letter of the first spelling (0 if none).
    pub onset: u8,
    spellings: u8,
    keys: u8,
    loose: u8,
    ear: u8,
    fuzzy_keys: u8,
    fuzzy_spellings: u8,
    /// Hash of its consonant skeleton, at least [`MIN_SKELETON`] letters long (0: none; kept
    /// without an `Option` tag so that the onset masks below fit in the same 48 bytes).
    skeleton: u64,
    /// One bit per onset class ([`onset_bit`]) of the Jaro-Winkler keys and spellings long
    /// enough to compare: two units whose masks share no bit have no pair to compare. Both are
    /// 0 for a unit that never meets by Jaro-Winkler (not a word, or a Han syllable).
    pub key_onsets: u32,
    pub spelling_onsets: u32,
    /// One bit per hash of its spellings, keys, loose keys, keys by ear and skeleton: two units whose
    /// signatures share no bit cannot be equal on any of them, which most pairs decide at once.
    pub signature: u64,
}

impl Unit {
    /// The onset classes ([`onset_bit`]) of the first letters of a unit's strings (spellings,
    /// keys, loose keys, keys by ear): every way two units meet needs one class on both sides.
    /// Equal strings begin alike; a Latin skeleton meets only where the first spellings begin
    /// in one onset class; Jaro-Winkler compares strings of one onset class (the first
    /// strings of each kind). A unit in Arabic script meets by skeleton whatever its first
    /// letters, so it may meet anything (all bits); so may a unit without spellings, which
    /// the compiler does not make today (kept so that the bound stays sound if it ever does).
    fn onset_mask(strings: [&[String]; 4], arabic: bool) -> u32 {
        if arabic || strings[0].is_empty() {
            return u32::MAX;
        }
        strings.iter().flat_map(|s| s.iter()).filter_map(|s| s.bytes().next()).fold(0, |m, b| m | onset_bit(b))
    }

    /// The tokens it covers.
    pub fn tokens(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + u32::from(self.len)) as usize
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// One token, or two joined.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    pub fn spellings(&self) -> Span {
        Span { start: self.hashes, len: self.spellings.into() }
    }

    pub fn keys(&self) -> Span {
        Span { start: self.hashes + u32::from(self.spellings), len: self.keys.into() }
    }

    /// Loose keys: katakana against Latin ([`kana::loose_key`]).
    pub fn loose(&self) -> Span {
        Span { start: self.hashes + u32::from(self.spellings) + u32::from(self.keys), len: self.loose.into() }
    }

    /// Keys by ear: katakana against Latin, for scoring only ([`kana::by_ear`]).
    pub fn ear(&self) -> Span {
        let start = self.hashes + u32::from(self.spellings) + u32::from(self.keys) + u32::from(self.loose);
        Span { start, len: self.ear.into() }
    }

    /// Its spellings, keys, loose keys and keys by ear together (they lie in this order).
    pub fn hashed(&self) -> Span {
        let len = u32::from(self.spellings) + u32::from(self.keys) + u32::from(self.loose) + u32::from(self.ear);
        Span { start: self.hashes, len }
    }

    /// Its spellings and keys together (they lie in this order).
    pub fn spellings_and_keys(&self) -> Span {
        Span { start: self.hashes, len: u32::from(self.spellings) + u32::from(self.keys) }
    }

    /// One Han character's reading: a syllable is the character's or not, so it meets others
    /// by equal spelling or key only, never by Jaro-Winkler (zhong is not zhang).
    pub fn han_syllable(&self) -> bool {
        self.han && self.len == 1
    }

    /// The hash of the Han characters it is written in (empty if it is not): two units that
    /// read alike may be written apart (神 and 新 are both shin).
    pub fn writing(&self) -> Span {
        let start = self.hashes + u32::from(self.spellings) + u32::from(self.keys) + u32::from(self.loose) + u32::from(self.ear);
        Span { start, len: u32::from(self.han) }
    }

    pub fn skeleton(&self) -> Option<u64> {
        (self.skeleton != 0).then_some(self.skeleton)
    }

    /// Strings for Jaro-Winkler: the first keys.
    pub fn fuzzy_keys(&self) -> Span {
        Span { start: self.pieces, len: self.fuzzy_keys.into() }
    }

    /// Strings for Jaro-Winkler: the first spellings.
    pub fn fuzzy_spellings(&self) -> Span {
        Span { start: self.pieces + u32::from(self.fuzzy_keys), len: self.fuzzy_spellings.into() }
    }
}

/// What a compiled reading is besides its arrays.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meta {
    pub via: Via,
    pub has_kana: bool,
    pub family_first: Option<usize>,
    /// The first word in natural order, if the name has two words or more and it is one that
    /// counts as a first name (see [`crate::score::FIRST_NAME_CONFLICT_FACTOR`]).
    pub first_name: Option<usize>,
    /// The tokens of a given name written in syllables, one bit each
    /// ([`NameReading::given_syllables`]; 0 for none, or past the 32nd token).
    pub given_syllables: u32,
    /// Whether that given name's place is known (not guessed): only then does the order of
    /// its syllables count.
    pub given_placed: bool,
    /// Its tokens' [`CompiledToken::onsets`] together.
    pub onsets: u32,
    pub total_weight: f64,
}

/// A reading compiled for alignment, with its token weights, owning its arrays.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub(crate) meta: Meta,
    arrays: Arrays,
}

/// A reading's units' hashes keyed by role, sorted by key, with a Bloom filter of the keys
/// whose bit is a key's top bits: the bits two filters share say which few runs of entries
/// to compare, and the entries of most pairs of names are never read (scoring prepared pairs
/// waits on memory more than it computes). Borrowed: prepared names keep their directories
/// packed in a few arrays ([`PackedNames`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Directory<'a> {
    pub entries: &'a [DirEntry],
    pub bloom: &'a [u64; DIRECTORY_BLOOM_WORDS],
}

/// Words of a directory's Bloom filter: 1,024 bits, for a few dozen keys (two such sets share
/// one or two bits by chance).
pub(crate) const DIRECTORY_BLOOM_WORDS: usize = 16;
/// A key's bit in the filter: its top bits, as many as the filter has bits.
const BUCKET_SHIFT: u32 = 64 - (DIRECTORY_BLOOM_WORDS * 64).trailing_zeros();
// The bucket is a key's top bits, so the filter's size must be a power of two.
const _: () = assert!((DIRECTORY_BLOOM_WORDS * 64).is_power_of_two());

/// Sorts a reading's directory entries and makes their filter.
fn directory(mut entries: Vec<DirEntry>) -> (Vec<DirEntry>, [u64; DIRECTORY_BLOOM_WORDS]) {
    entries.sort_unstable_by_key(|e| (e.key, e.unit, e.rank));
    let mut bloom = [0; DIRECTORY_BLOOM_WORDS];
    for e in &entries {
        let (word, bit) = directory_bit(e.key);
        bloom[word] |= bit;
    }
    (entries, bloom)
}

/// A key's bit, from its top bits (keys are uniform hashes).
#[inline]
fn directory_bit(key: u64) -> (usize, u64) {
    let bit = (key >> BUCKET_SHIFT) as usize;
    (bit / 64, 1 << (bit % 64))
}

impl<'a> Directory<'a> {
    /// The entries whose keys have the `bit`-th bit of the filter (sorted by key, they lie
    /// together).
    pub fn bucket(&self, bit: usize) -> &'a [DirEntry] {
        let bucket = |e: &DirEntry| (e.key >> BUCKET_SHIFT) as usize;
        let from = self.entries.partition_point(|e| bucket(e) < bit);
        let len = self.entries[from..].iter().take_while(|e| bucket(e) == bit).count();
        &self.entries[from..from + len]
    }
}

/// A unit's hash in one role, keyed as [`crate::score`]'s query table keys it: two readings'
/// sorted entries, walked side by side, give the pairs of units that are the same word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DirEntry {
    pub key: u64,
    pub unit: u32,
    /// The role's rank: the lower one wins when two units meet in several.
    pub rank: u8,
}

/// What a prepared name's readings could meet another's by, in two small arrays read before
/// any reading: scoring a list of names against another, most pairs share no word and no
/// Jaro-Winkler pair that can reach its floor, and score 0. Saying so from these arrays reads
/// a few cache lines of each name, where aligning its readings reads a few dozen (scoring
/// prepared pairs waits on memory more than it computes). A sketch only refuses: a pair it
/// lets through is aligned as before.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameSketch<'a> {
    /// The top 16 bits of the keys of its readings' directories ([`DirEntry::key`]), sorted
    /// and each once, loose keys apart (keys of two roles differ by their salt, so a loose key
    /// meets only a loose one): two names that share no fingerprint share no key, so no pair
    /// of their units is the same word.
    fingerprints: &'a [u16],
    /// Where the loose keys' fingerprints begin (they count only between katakana and Latin).
    loose_from: usize,
    /// Which of its readings have katakana: bit 0 some without, bit 1 some with. Loose keys
    /// meet when two readings differ in this.
    kana: u8,
    /// Every Jaro-Winkler string of its readings' units, as its bounds see it: the keys
    /// first, then the spellings (from `spellings_from`), each part sorted by onset class.
    pieces: &'a [PieceSketch],
    spellings_from: usize,
    /// The onset classes of the keys and of the spellings ([`onset_bit`]).
    key_onsets: u32,
    spelling_onsets: u32,
    /// Whether a unit with pieces has no keys (its spellings are then compared).
    keyless: bool,
}

/// A Jaro-Winkler string as [`crate::similarity::jaro_winkler_bytes_at_least`]'s length and
/// letter bounds see it, from its first byte or (when two first letters are swapped
/// spellings of one sound, [`crate::score`]'s `unit_fuzzy`) from its second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PieceSketch {
    /// Its first five bytes, zeros past its end (for the common prefix, of four letters at most).
    head: [u8; 5],
    class: u8,
    /// Its length, capped at 65 (the bounds read 64 bytes at most, from byte 0 or 1).
    len: u8,
    flags: u8,
    /// [`letter_classes`] of its bytes 0..64 and 1..65.
    letters: u32,
    letters_after_first: u32,
}

impl PieceSketch {
    const JOINED: u8 = 1;
    const ARABIC: u8 = 2;
    /// Its unit has no keys: its spellings are compared with any unit's.
    const KEYLESS: u8 = 4;
    /// Its second byte begins a character (a first letter can be dropped).
    const SECOND_STARTS_CHAR: u8 = 8;

    fn new(s: &[u8], u: &Unit) -> PieceSketch {
        let mut head = [0; 5];
        for (h, &b) in head.iter_mut().zip(s) {
            *h = b;
        }
        let mut flags = 0;
        for (set, flag) in [
            (u.len() > 1, Self::JOINED),
            (u.arabic, Self::ARABIC),
            (u.keys().is_empty(), Self::KEYLESS),
            (crate::score::starts_char(s[1]), Self::SECOND_STARTS_CHAR),
        ] {
            if set {
                flags |= flag;
            }
        }
        PieceSketch {
            head,
            class: onset_class(s[0]),
            len: s.len().min(65) as u8,
            flags,
            letters: letter_classes(&s[..s.len().min(64)]),
            letters_after_first: letter_classes(&s[1..s.len().min(65)]),
        }
    }

    /// Whether `unit_fuzzy` could find these two strings (of one onset class, both of keys or
    /// both of spellings) at least as similar as its floor: not if the bounds that
    /// `jaro_winkler_bytes_at_least` tests first, on lengths and letter classes, refuse them.
    fn may_meet(&self, other: &PieceSketch) -> bool {
        let both = self.flags & other.flags;
        // Two words in Arabic script do not meet by Jaro-Winkler.
        if both & Self::ARABIC != 0 {
            return false;
        }
        let floor = if (self.flags | other.flags) & Self::JOINED != 0 { JOINED_FUZZY_FLOOR } else { FUZZY_FLOOR };
        let swapped = self.head[0] != other.head[0] && both & Self::SECOND_STARTS_CHAR != 0;
        let (from, x_letters, y_letters) = if swapped {
            (1, self.letters_after_first, other.letters_after_first)
        } else {
            (0, self.letters, other.letters)
        };
        let (x_len, y_len) = ((usize::from(self.len) - from).min(64), (usize::from(other.len) - from).min(64));
        let prefix = self.head[from..]
            .iter()
            .zip(&other.head[from..])
            .take(4.min(x_len).min(y_len))
            .take_while(|(a, b)| a == b)
            .count();
        let fewest = fewest_matching(prefix, x_len, y_len, floor);
        !refused_by_lengths(fewest, x_len, y_len) && !refused_by_letter_classes(fewest, (x_len, x_letters), (y_len, y_letters))
    }
}

impl NameSketch<'_> {
    /// Whether two prepared names may score above 0: whether their readings may share a key
    /// (loose keys only if one has a reading with katakana and the other one without), or
    /// hold two strings that Jaro-Winkler may find close enough. No: they score 0.
    #[inline]
    pub fn may_meet(&self, other: &NameSketch<'_>) -> bool {
        let (strict, loose) = self.fingerprints.split_at(self.loose_from);
        let (their_strict, their_loose) = other.fingerprints.split_at(other.loose_from);
        // Bit 0 of `kana` is a reading without katakana, bit 1 one with: swapped, it says
        // which the other name needs for a pair of readings that differ.
        let differ = ((self.kana & 1) << 1 | self.kana >> 1) & other.kana != 0;
        if share_one(strict, their_strict) || (differ && share_one(loose, their_loose)) {
            return true;
        }
        let (keys, spellings) = self.pieces.split_at(self.spellings_from);
        let (their_keys, their_spellings) = other.pieces.split_at(other.spellings_from);
        (self.key_onsets & other.key_onsets != 0 && pieces_meet(keys, their_keys, false))
            || ((self.keyless || other.keyless)
                && self.spelling_onsets & other.spelling_onsets != 0
                && pieces_meet(spellings, their_spellings, true))
    }
}

/// Whether two sorted slices hold a value in common.
fn share_one(a: &[u16], b: &[u16]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Whether two names' pieces of one kind, each sorted by onset class, hold a pair of one
/// class that may meet ([`PieceSketch::may_meet`]); spellings meet only where a side's unit
/// has no keys (else their keys are compared).
fn pieces_meet(a: &[PieceSketch], b: &[PieceSketch], spellings: bool) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let class = a[i].class;
        match class.cmp(&b[j].class) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let a_end = i + a[i..].iter().take_while(|p| p.class == class).count();
                let b_end = j + b[j..].iter().take_while(|p| p.class == class).count();
                for x in &a[i..a_end] {
                    for y in &b[j..b_end] {
                        let compared = !spellings || (x.flags | y.flags) & PieceSketch::KEYLESS != 0;
                        if compared && x.may_meet(y) {
                            return true;
                        }
                    }
                }
                (i, j) = (a_end, b_end);
            }
        }
    }
    false
}

/// The arrays of compiled readings: one reading's, or (in a [`Pool`]) many readings' end to end.
#[derive(Debug, Clone, Default)]
struct Arrays {
    tokens: Vec<CompiledToken>,
    units: Vec<Unit>,
    /// Hashes of the number tokens, sorted.
    numbers: Vec<u64>,
    hashes: Vec<u64>,
    text: String,
    pieces: Vec<(u32, u32)>,
}

/// Where a reading's runs begin in each of a pool's arrays (it ends where the next begins).
#[derive(Debug, Clone, Copy, Default)]
struct Starts {
    tokens: u32,
    units: u32,
    numbers: u32,
    hashes: u32,
    text: u32,
    pieces: u32,
}

impl Arrays {
    fn starts(&self) -> Starts {
        Starts {
            tokens: self.tokens.len() as u32,
            units: self.units.len() as u32,
            numbers: self.numbers.len() as u32,
            hashes: self.hashes.len() as u32,
            text: self.text.len() as u32,
            pieces: self.pieces.len() as u32,
        }
    }

    fn view(&self, meta: Meta, from: Starts, to: Starts) -> Reading<'_> {
        let r = |a: u32, b: u32| a as usize..b as usize;
        Reading {
            meta,
            tokens: &self.tokens[r(from.tokens, to.tokens)],
            units: &self.units[r(from.units, to.units)],
            numbers: &self.numbers[r(from.numbers, to.numbers)],
            hashes: &self.hashes[r(from.hashes, to.hashes)],
            // As bytes: slicing a str checks char boundaries, and every alignment views two.
            text: &self.text.as_bytes()[r(from.text, to.text)],
            pieces: &self.pieces[r(from.pieces, to.pieces)],
            directory: None,
        }
    }
}

/// A compiled reading as alignment sees it. Spans and pieces count from the reading's own
/// start, so a reading reads the same alone or in a pool.
#[derive(Clone, Copy)]
pub(crate) struct Reading<'a> {
    pub meta: Meta,
    pub tokens: &'a [CompiledToken],
    pub units: &'a [Unit],
    pub numbers: &'a [u64],
    hashes: &'a [u64],
    text: &'a [u8],
    pieces: &'a [(u32, u32)],
    /// Only prepared names have one (not the index's readings, queries or `compare`).
    pub directory: Option<Directory<'a>>,
}

impl<'a> Reading<'a> {
    /// Whether two readings align alike against any query: the same arrays and the same
    /// meta but for their reading system (a kanji name whose characters are all lexicon words
    /// reads the same in several systems).
    pub fn same_content(&self, other: &Reading<'_>) -> bool {
        let (a, b) = (self.meta, other.meta);
        (a.has_kana, a.family_first, a.first_name, a.given_syllables, a.given_placed, a.total_weight.to_bits())
            == (b.has_kana, b.family_first, b.first_name, b.given_syllables, b.given_placed, b.total_weight.to_bits())
            && self.tokens == other.tokens
            && self.units == other.units
            && self.numbers == other.numbers
            && self.hashes == other.hashes
            && self.text == other.text
            && self.pieces == other.pieces
    }

    /// The weight of a unit's token or two (summed as `Iterator::sum` would: the same value).
    pub fn unit_weight(&self, u: &Unit) -> f64 {
        let first = self.tokens[u.start()].weight;
        if u.len == 1 { first } else { self.tokens[u.tokens()].iter().map(|t| t.weight).sum() }
    }

    pub fn hashes(&self, span: Span) -> &'a [u64] {
        &self.hashes[span.range()]
    }

    /// The bytes of a Jaro-Winkler string (a byte slice needs no check of char boundaries).
    pub fn piece(&self, span: Span, i: usize) -> &'a [u8] {
        let (start, end) = self.pieces[span.start as usize + i];
        &self.text[start as usize..end as usize]
    }
}

/// All listed readings of an index, end to end in a few large arrays.
#[derive(Default)]
pub(crate) struct Pool {
    arrays: Arrays,
    metas: Vec<Meta>,
    starts: Vec<Starts>,
}

impl Pool {
    /// Appends a reading; returns its id.
    pub fn push(&mut self, c: &Compiled) -> u32 {
        let id = self.metas.len() as u32;
        self.starts.push(self.arrays.starts());
        self.metas.push(c.meta);
        let (to, from) = (&mut self.arrays, &c.arrays);
        to.tokens.extend_from_slice(&from.tokens);
        to.units.extend_from_slice(&from.units);
        to.numbers.extend_from_slice(&from.numbers);
        to.hashes.extend_from_slice(&from.hashes);
        to.text.push_str(&from.text);
        // Pieces are positions in the reading's text, which keeps its start in the pool.
        to.pieces.extend_from_slice(&from.pieces);
        id
    }

    /// Compiles a reading with its token weights straight into the pool; returns its id.
    pub fn compile(&mut self, reading: &NameReading, weights: &[f64]) -> u32 {
        let id = self.metas.len() as u32;
        let start = self.arrays.starts();
        self.starts.push(start);
        let mut meta = self.arrays.compile(reading);
        set_weights(&mut self.arrays.tokens[start.tokens as usize..], &mut meta, weights);
        self.metas.push(meta);
        id
    }

    pub fn len(&self) -> usize {
        self.metas.len()
    }

    fn end(&self, id: u32) -> Starts {
        self.starts.get(id as usize + 1).copied().unwrap_or_else(|| self.arrays.starts())
    }

    pub fn reading(&self, id: u32) -> Reading<'_> {
        self.arrays.view(self.metas[id as usize], self.starts[id as usize], self.end(id))
    }

    /// A reading's meta alone: what deciding whether to align it needs, without making the view.
    pub fn meta(&self, id: u32) -> &Meta {
        &self.metas[id as usize]
    }

    pub fn tokens(&self, id: u32) -> &[CompiledToken] {
        let (from, to) = (self.starts[id as usize].tokens as usize, self.end(id).tokens as usize);
        &self.arrays.tokens[from..to]
    }

    pub fn set_weights(&mut self, id: u32, weights: &[f64]) {
        let from = self.starts[id as usize].tokens as usize;
        set_weights(&mut self.arrays.tokens[from..], &mut self.metas[id as usize], weights);
    }

    pub fn total_weight(&self, id: u32) -> f64 {
        self.metas[id as usize].total_weight
    }

    /// Frees spare capacity once every reading is in.
    pub fn shrink(&mut self) {
        let a = &mut self.arrays;
        a.tokens.shrink_to_fit();
        a.units.shrink_to_fit();
        a.numbers.shrink_to_fit();
        a.hashes.shrink_to_fit();
        a.text.shrink_to_fit();
        a.pieces.shrink_to_fit();
        self.metas.shrink_to_fit();
        self.starts.shrink_to_fit();
    }
}

/// Names prepared for many comparisons, packed: their readings in one [`Pool`], their
/// directories and sketches in a few more arrays shared by all of them. Scoring a list of
/// names against another waits on memory more than it computes, and a name's data in many
/// small allocations lies scattered over the heap (worst after a large index was freed);
/// here the names of a list lie in order in each array, so that a walk through a list reads
/// each array forward.
#[derive(Default)]
pub(crate) struct PackedNames {
    names: Vec<PackedName>,
    pool: Pool,
    /// Per reading of the pool: its directory's entries and filter.
    directories: Vec<PackedDirectory>,
    entries: Vec<DirEntry>,
    fingerprints: Vec<u16>,
    pieces: Vec<PieceSketch>,
}

/// A packed name: its readings' ids, and its sketch.
#[derive(Clone, Copy)]
struct PackedName {
    readings: (u32, u32),
    sketch: PackedSketch,
}

/// A [`NameSketch`] as spans of the packed arrays.
#[derive(Clone, Copy)]
struct PackedSketch {
    fingerprints: Span,
    loose_from: u32,
    pieces: Span,
    spellings_from: u32,
    key_onsets: u32,
    spelling_onsets: u32,
    kana: u8,
    keyless: bool,
}

#[derive(Clone, Copy)]
struct PackedDirectory {
    bloom: [u64; DIRECTORY_BLOOM_WORDS],
    entries: Span,
}

impl PackedNames {
    /// Appends a name's readings with their token weights and directories, and its sketch.
    pub fn push(&mut self, readings: &[NameReading]) {
        let first = self.pool.len() as u32;
        for r in readings {
            let id = self.pool.compile(r, &crate::score::default_weights(r));
            let (entries, bloom) = directory(crate::score::directory_entries(self.pool.reading(id)));
            let start = self.entries.len() as u32;
            self.entries.extend_from_slice(&entries);
            self.directories.push(PackedDirectory { bloom, entries: Span { start, len: entries.len() as u32 } });
        }
        let readings = (first, self.pool.len() as u32);
        let sketch = self.push_sketch(readings);
        self.names.push(PackedName { readings, sketch });
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// The ids of a name's readings.
    pub fn readings(&self, name: usize) -> std::ops::Range<u32> {
        let (from, to) = self.names[name].readings;
        from..to
    }

    /// A reading, with its directory.
    #[inline]
    pub fn reading(&self, id: u32) -> Reading<'_> {
        let d = &self.directories[id as usize];
        Reading { directory: Some(Directory { entries: &self.entries[d.entries.range()], bloom: &d.bloom }), ..self.pool.reading(id) }
    }

    #[inline]
    pub fn sketch(&self, name: usize) -> NameSketch<'_> {
        let s = self.names[name].sketch;
        NameSketch {
            fingerprints: &self.fingerprints[s.fingerprints.range()],
            loose_from: s.loose_from as usize,
            kana: s.kana,
            pieces: &self.pieces[s.pieces.range()],
            spellings_from: s.spellings_from as usize,
            key_onsets: s.key_onsets,
            spelling_onsets: s.spelling_onsets,
            keyless: s.keyless,
        }
    }

    /// Appends the sketch of a name's readings (each with its directory).
    fn push_sketch(&mut self, (from, to): (u32, u32)) -> PackedSketch {
        let (mut strict, mut loose) = (Vec::new(), Vec::new());
        let (mut key_pieces, mut spelling_pieces) = (Vec::new(), Vec::new());
        let mut kana = 0;
        for id in from..to {
            let view = self.reading(id);
            kana |= if view.meta.has_kana { 2 } else { 1 };
            for e in view.directory.map_or(&[][..], |d| d.entries) {
                let fingerprint = (e.key >> 48) as u16;
                if crate::score::only_when_loose(e.rank) { loose.push(fingerprint) } else { strict.push(fingerprint) }
            }
            // The pieces `unit_fuzzy` may compare: those of words with onsets (other units
            // never meet by Jaro-Winkler), long enough.
            for u in view.units.iter().filter(|u| u.key_onsets | u.spelling_onsets != 0) {
                for (span, out) in [(u.fuzzy_keys(), &mut key_pieces), (u.fuzzy_spellings(), &mut spelling_pieces)] {
                    for i in 0..span.len() {
                        let s = view.piece(span, i);
                        if s.len() >= crate::score::FUZZY_MIN_LEN {
                            out.push(PieceSketch::new(s, u));
                        }
                    }
                }
            }
        }
        for part in [&mut strict, &mut loose] {
            part.sort_unstable();
            part.dedup();
        }
        let onsets = |pieces: &[PieceSketch]| pieces.iter().fold(0, |m, p| m | onset_bit(p.head[0]));
        let (key_onsets, spelling_onsets) = (onsets(&key_pieces), onsets(&spelling_pieces));
        let keyless = spelling_pieces.iter().any(|p| p.flags & PieceSketch::KEYLESS != 0);
        // By class, for the merge in `pieces_meet`; a piece repeated by several readings
        // (a lexicon word or a Latin word of a mixed name, in each reading system) once.
        for pieces in [&mut key_pieces, &mut spelling_pieces] {
            pieces.sort_unstable_by_key(|p| (p.class, p.head, p.len, p.flags, p.letters, p.letters_after_first));
            pieces.dedup();
        }
        let span = |start: usize, end: usize| Span { start: start as u32, len: (end - start) as u32 };
        let start = self.fingerprints.len();
        self.fingerprints.extend(&strict);
        self.fingerprints.extend(&loose);
        let fingerprints = span(start, self.fingerprints.len());
        let start = self.pieces.len();
        self.pieces.extend(&key_pieces);
        self.pieces.extend(&spelling_pieces);
        PackedSketch {
            fingerprints,
            loose_from: strict.len() as u32,
            pieces: span(start, self.pieces.len()),
            spellings_from: key_pieces.len() as u32,
            key_onsets,
            spelling_onsets,
            kana,
            keyless,
        }
    }

    /// Frees spare capacity once every name is in.
    pub fn shrink(&mut self) {
        self.names.shrink_to_fit();
        self.pool.shrink();
        self.directories.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.fingerprints.shrink_to_fit();
        self.pieces.shrink_to_fit();
    }
}

impl Compiled {
    /// Compiles a reading; token weights come later ([`Compiled::set_weights`]).
    pub(crate) fn new(reading: &NameReading) -> Compiled {
        let mut arrays = Arrays::default();
        let meta = arrays.compile(reading);
        Compiled { meta, arrays }
    }

    /// Compiles a reading with its token weights.
    pub(crate) fn with_weights(reading: &NameReading, weights: &[f64]) -> Compiled {
        let mut c = Compiled::new(reading);
        set_weights(&mut c.arrays.tokens, &mut c.meta, weights);
        c
    }

    /// Its whole arrays, without the slicing of a pool's runs (and without a directory:
    /// prepared names keep theirs in [`PackedNames`]).
    pub(crate) fn view(&self) -> Reading<'_> {
        let a = &self.arrays;
        Reading {
            meta: self.meta,
            tokens: &a.tokens,
            units: &a.units,
            numbers: &a.numbers,
            hashes: &a.hashes,
            text: a.text.as_bytes(),
            pieces: &a.pieces,
            directory: None,
        }
    }
}

impl Arrays {
    /// Appends a reading's tokens and units (their spans count from where the reading
    /// begins in each array, as in a pool); token weights come later.
    fn compile(&mut self, reading: &NameReading) -> Meta {
        let base = self.starts();
        let loose: Vec<Vec<String>> = reading.tokens.iter().map(KeyToken::loose_keys).collect();
        for (i, t) in reading.tokens.iter().enumerate() {
            self.tokens.push(CompiledToken { rule: crate::score::weight_rule(reading, i), onsets: 0, weight: 0.0 });
            if t.kind == TokenKind::Number {
                self.numbers.push(hash_str(&t.text));
            }
            let kind = match t.kind {
                TokenKind::Word => UnitKind::Word,
                TokenKind::Number => UnitKind::Number,
                TokenKind::LegalForm(_) => UnitKind::LegalForm,
            };
            let skeleton = t.skeleton.as_deref();
            // A word alone also meets by ear (`KeyToken::ear_keys`); two joined do not.
            let writing = t.via.is_han().then_some(t.text.as_str());
            let unit = self.unit(base, i, 1, kind, [&t.spellings, &t.keys, &loose[i], &t.ear_keys()], skeleton, (t.via, t.via), writing);
            self.units.push(unit);
        }
        for i in 1..reading.tokens.len() {
            let (x, y) = (&reading.tokens[i - 1], &reading.tokens[i]);
            if x.kind != TokenKind::Word || y.kind != TokenKind::Word {
                continue;
            }
            let concat = |x: &str, y: &str| [x, y].concat();
            let spellings = joined(&x.spellings, &y.spellings, concat);
            let keys = joined(&x.keys, &y.keys, concat);
            let loose = joined(&loose[i - 1], &loose[i], kana::join_loose);
            let skeleton = match (&x.skeleton, &y.skeleton) {
                (Some(p), Some(q)) => Some([p.as_str(), q.as_str()].concat()),
                _ => None,
            };
            let writing = (x.via.is_han() && y.via.is_han()).then(|| [x.text.as_str(), y.text.as_str()].concat());
            let unit = self.unit(
                base,
                i - 1,
                2,
                UnitKind::Word,
                [&spellings, &keys, &loose, &[]],
                skeleton.as_deref(),
                (x.via, y.via),
                writing.as_deref(),
            );
            self.units.push(unit);
        }
        self.numbers[base.numbers as usize..].sort_unstable();
        let words = reading.tokens.iter().filter(|t| t.kind == TokenKind::Word).count();
        let first = reading.family_first.unwrap_or_default();
        let first_name = (words >= 2
            && reading.tokens.get(first).is_some_and(|t| t.kind == TokenKind::Word)
            && matches!(self.tokens[base.tokens as usize + first].rule, WeightRule::Plain | WeightRule::FamilyName))
        .then_some(first);
        Meta {
            via: reading.via,
            has_kana: reading.has_kana(),
            family_first: reading.family_first,
            first_name,
            given_syllables: reading
                .given_syllables
                .as_ref()
                .filter(|g| g.tokens.end <= 32)
                .map_or(0, |g| g.tokens.clone().fold(0, |bits, t| bits | 1 << t)),
            given_placed: reading.given_syllables.as_ref().is_some_and(|g| g.placed),
            onsets: self.tokens[base.tokens as usize..].iter().fold(0, |m, t| m | t.onsets),
            total_weight: 0.0,
        }
    }

    /// A unit of `len` tokens from `start`, with its spellings, keys, loose keys and keys by ear, its
    /// skeleton, the scripts of its tokens and, if Han, the characters it is written in; its
    /// strings go into the arrays.
    fn unit(
        &mut self,
        base: Starts,
        start: usize,
        len: u8,
        kind: UnitKind,
        [spellings, keys, loose, ear]: [&[String]; 4],
        skeleton: Option<&str>,
        (first_via, last_via): (Via, Via),
        han_writing: Option<&str>,
    ) -> Unit {
        let onsets = Unit::onset_mask([spellings, keys, loose, ear], first_via == Via::Arabic || last_via == Via::Arabic);
        for token in &mut self.tokens[(base.tokens as usize + start)..][..usize::from(len)] {
            token.onsets |= onsets;
        }
        let first_hash = self.hashes.len();
        let spelling_count = self.push_hashes(spellings);
        let key_count = self.push_hashes(keys);
        let loose_count = self.push_hashes(loose);
        let ear_count = self.push_hashes(ear);
        let skeleton = skeleton.filter(|s| s.len() >= MIN_SKELETON).map_or(0, |s| hash_str(s).max(1));
        let signature = self.hashes[first_hash..]
            .iter()
            .chain((skeleton != 0).then_some(&skeleton))
            .fold(0u64, |sig, h| sig | 1 << (h & 63));
        // (Not in the signature: the writing only tells apart units that met otherwise.)
        if let Some(writing) = han_writing {
            let folded: String = writing.chars().map(crate::translit::han::fold_variant).collect();
            self.hashes.push(hash_str(&folded));
        }
        let first_piece = self.pieces.len();
        let (fuzzy_keys, key_onsets) = self.push_pieces(base.text, keys);
        let (fuzzy_spellings, spelling_onsets) = self.push_pieces(base.text, spellings);
        let han_syllable = len == 1 && han_writing.is_some();
        // Only words other than Han syllables meet by Jaro-Winkler: the others have no onsets.
        let fuzzy = kind == UnitKind::Word && !han_syllable;
        let (key_onsets, spelling_onsets) = if fuzzy { (key_onsets, spelling_onsets) } else { (0, 0) };
        let either = |via: Via| first_via == via || last_via == via;
        // Spans count from the reading's start.
        Unit {
            start: start as u32,
            hashes: first_hash as u32 - base.hashes,
            pieces: first_piece as u32 - base.pieces,
            len,
            kind,
            arabic: either(Via::Arabic),
            han: han_writing.is_some(),
            kana: either(Via::KanaRomaji),
            onset: spellings.first().and_then(|s| s.bytes().next()).unwrap_or(0),
            spellings: spelling_count,
            keys: key_count,
            loose: loose_count,
            ear: ear_count,
            fuzzy_keys,
            fuzzy_spellings,
            skeleton,
            key_onsets,
            spelling_onsets,
            signature,
        }
    }

    /// Appends the hashes of at most 255 strings (tokens have at most [`MAX_JOINED`]).
    fn push_hashes(&mut self, strings: &[String]) -> u8 {
        let strings = &strings[..strings.len().min(usize::from(u8::MAX))];
        self.hashes.extend(strings.iter().map(|s| hash_str(s)));
        strings.len() as u8
    }

    /// Appends the Jaro-Winkler strings; returns how many, and their onset mask.
    fn push_pieces(&mut self, text_base: u32, strings: &[String]) -> (u8, u32) {
        let strings = &strings[..strings.len().min(MAX_FUZZY_SPELLINGS)];
        let mut onsets = 0;
        for s in strings {
            // Positions in the reading's own text.
            let from = self.text.len() as u32 - text_base;
            self.text.push_str(s);
            self.pieces.push((from, self.text.len() as u32 - text_base));
            if s.len() >= crate::score::FUZZY_MIN_LEN {
                onsets |= onset_bit(s.as_bytes()[0]);
            }
        }
        (strings.len() as u8, onsets)
    }
}

/// The class of a word's first letter: letters that romanisations of one sound swap at the
/// start of a name share one (Osama / Usama, Gaddafi / Qadhafi, Pak / Bak, Fazil / Vazil).
pub(crate) fn onset_class(c: u8) -> u8 {
    ONSET_CLASSES[usize::from(c)]
}

/// [`onset_class`] of every byte, looked up: Jaro-Winkler candidates ask it for every pair of
/// strings they might compare.
const ONSET_CLASSES: [u8; 256] = {
    let mut classes = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        classes[c] = match c as u8 {
            b'a' | b'e' | b'i' | b'o' | b'u' => b'a',
            b'k' | b'q' | b'g' | b'c' => b'k',
            b'b' | b'p' => b'b',
            b'f' | b'v' => b'f',
            b's' | b'z' => b's',
            other => other,
        };
        c += 1;
    }
    classes
};

/// An onset class as one bit of a mask. Classes may share a bit (digits with letters), which
/// only lets a few more pairs through to the exact test.
pub(crate) fn onset_bit(c: u8) -> u32 {
    1 << (onset_class(c) % 32)
}

/// Gives a reading's tokens (from the first) their weights, and the reading their total.
fn set_weights(tokens: &mut [CompiledToken], meta: &mut Meta, weights: &[f64]) {
    for (t, &w) in tokens.iter_mut().zip(weights) {
        t.weight = w;
    }
    meta.total_weight = weights.iter().sum();
}

/// The spellings of two tokens joined, each of the first with each of the second, in that
/// order, at most [`MAX_JOINED`]: the `k`-th is `xs[k / ys.len()]` with `ys[k % ys.len()]`.
pub(crate) fn joined(xs: &[String], ys: &[String], glue: fn(&str, &str) -> String) -> Vec<String> {
    xs.iter().flat_map(|x| ys.iter().map(move |y| glue(x, y))).take(MAX_JOINED).collect()
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::name_keys;
    use crate::score::score_compiled;

    /// A sketch refuses only pairs of names whose every pair of readings scores 0: names in
    /// several scripts, and random words with near spellings of each other (letters swapped,
    /// dropped, doubled, a first vowel changed), so that many pairs lie near the Jaro-Winkler
    /// floors, on both sides of them.
    #[test]
    fn a_sketch_refuses_only_names_that_score_zero() {
        let mut names: Vec<String> = [
            "Kim Jong Un",
            "キム・ジョンウン",
            "ペク・セボン",
            "Paek Se Bong",
            "Sayyid Mohammed al-Husseini",
            "Sayed Muhamad el Husaini",
            "محمد بن عبد الله الحسيني",
            "ACME Trading Co., Ltd. 7",
            "Ocean Star 2",
            "中国航空工業集団公司済南特種結構研究所",
            "中国航空工业集团公司第六二五研究所",
            "Osama bin Laden",
            "Usama bin Ladin",
            "Gaddafi",
            "Qadhafi",
            "Aleksandr Ivanovich Petrov",
            "Александр Иванович Петров",
            "Joint Stock Company Scientific Research Institute of Radio Engineering",
        ]
        .map(String::from)
        .to_vec();
        let mut next = crate::similarity::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut words: Vec<String> = Vec::new();
        for _ in 0..60 {
            let len = 3 + next(8) as usize;
            let word: String = (0..len).map(|_| char::from(b"aeiokgnrsmdzu"[next(13) as usize])).collect();
            let mut near = word.clone().into_bytes();
            match next(4) {
                0 => near.swap(1, 2),
                1 => {
                    near.remove(near.len() / 2);
                }
                2 => near.insert(2, near[2]),
                _ => near[0] = b"aeiou"[next(5) as usize],
            }
            words.push(word);
            words.push(String::from_utf8(near).expect("ascii"));
        }
        // Names of one to three words, each followed by a name of their near spellings.
        for _ in 0..60 {
            let picks: Vec<usize> = (0..1 + next(3)).map(|_| next(60) as usize * 2).collect();
            for variant in 0..2 {
                let name: Vec<&str> = picks.iter().map(|&w| words[w + variant].as_str()).collect();
                names.push(name.join(" "));
            }
        }
        // As `crate::PreparedNames` prepares them.
        let mut packed = PackedNames::default();
        for name in &names {
            packed.push(&name_keys(name, None).readings);
        }
        let (mut refused, mut scored, mut by_jaro_winkler) = (0, 0, 0);
        for a in 0..packed.len() {
            for b in 0..packed.len() {
                let (a_sketch, b_sketch) = (packed.sketch(a), packed.sketch(b));
                let best = packed
                    .readings(a)
                    .flat_map(|q| packed.readings(b).map(move |c| (q, c)))
                    .map(|(q, c)| (packed.reading(q), packed.reading(c)))
                    .map(|(q, c)| score_compiled(q, c, q.meta.has_kana != c.meta.has_kana))
                    .fold(0.0, f64::max);
                if !a_sketch.may_meet(&b_sketch) {
                    assert_eq!(best, 0.0, "{a_sketch:?} {b_sketch:?}");
                    refused += 1;
                } else if best > 0.0 {
                    scored += 1;
                    let (strict, theirs) = (&a_sketch.fingerprints[..a_sketch.loose_from], &b_sketch.fingerprints[..b_sketch.loose_from]);
                    by_jaro_winkler += usize::from(!share_one(strict, theirs));
                }
            }
        }
        assert!(
            refused > 10_000 && scored > 500 && by_jaro_winkler > 50,
            "{refused} refused, {scored} scored, {by_jaro_winkler} with no key in common"
        );
    }

    /// The index holds about a million units: their size is the pool's memory.
    #[test]
    fn a_unit_stays_small() {
        assert!(std::mem::size_of::<Unit>() <= 48, "{}", std::mem::size_of::<Unit>());
    }
}
