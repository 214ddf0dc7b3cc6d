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

use crate::compiled::{Compiled, CompiledToken, DirEntry, Directory, Meta, Reading, Span, Unit, UnitKind, WeightRule, onset_class};
use crate::keys::{NameReading, TokenKind, Via};
use crate::similarity::jaro_winkler_bytes_at_least;

pub const FUZZY_FLOOR: f64 = 0.88;
/// [`FUZZY_FLOOR`] when either side is two words joined.
pub const JOINED_FUZZY_FLOOR: f64 = 0.93;
/// [`FUZZY_FLOOR`] for the rest of two words whose first letters are swapped spellings of
/// one sound (osama / usama: sama / sama).
const SWAPPED_ONSET_FLOOR: f64 = 0.95;
pub const ROTATION_PENALTY: f64 = 0.04;
pub const PERMUTATION_PENALTY: f64 = 0.12;
pub const NUMBER_CONFLICT_FACTOR: f64 = 0.5;
/// When the first name of both names (in natural order) found no partner, the names are two
/// people of one family (Qusay / Uday Saddam Hussein): the score is multiplied by this.
pub const FIRST_NAME_CONFLICT_FACTOR: f64 = 0.85;
/// A given name written in Chinese or Korean syllables (서연, "Won Ho") is one name: when
/// only some of its syllables met, the pairs that met them count at this share (李芳 read
/// "ri ho" has met half of RI, Won Ho's given name, not a whole word of it).
pub const SPLIT_GIVEN_NAME_FACTOR: f64 = 0.5;
/// Weight of a legal form token relative to a word of weight 1.
pub const LEGAL_FORM_WEIGHT: f64 = 0.1;
/// Similarity of a katakana word and a Latin one with the same loose key (ペク, Paek).
const LOOSE_SIMILARITY: f64 = 0.9;
/// Similarity of a katakana word and a Latin one with the same key by ear (ジェームズ, James),
/// unless Jaro-Winkler judges the two closer ([`ear_or_fuzzy`]).
const EAR_SIMILARITY: f64 = 0.9;
/// Similarity of two Latin spellings with the same consonant skeleton (Sayyid, Sayed).
const LATIN_SKELETON_SIMILARITY: f64 = 0.88;
/// Similarity of two Han characters that read alike but are other characters: in a name
/// written in Han characters on both sides the characters are the name, and one reading is
/// shared by dozens of them (Japanese kō: 興, 高, 工, 光, 戸, ...). Low enough that a name met
/// only so does not alert (神戸商事 / 新興貿易), not nothing: transcriptions of foreign names
/// pick characters by sound (普京 / 普金).
const HOMOPHONE_SIMILARITY: f64 = 0.5;
/// Fuzzy similarity needs this many letters on both sides: short tokens must be equal.
pub(crate) const FUZZY_MIN_LEN: usize = 4;

/// How two units met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    Exact,
    Phonetic,
    /// Katakana against Latin on loose keys (voicing, Korean vowels).
    Loose,
    /// Katakana against Latin by ear: the same consonants where the vowels are heard
    /// differently (ジェームズ / James).
    ByEar,
    Skeleton,
    Fuzzy,
    LegalForm,
    /// Two Han characters (or pairs) read alike but written apart: 神 / 新, both shin.
    Homophone,
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
    /// What a given name met only in part cost ([`SPLIT_GIVEN_NAME_FACTOR`]; `coverage` is
    /// after it).
    pub split_given_name: f64,
    pub score: f64,
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

/// One side of a comparison: a compiled reading and which of its units is meant.
#[derive(Clone, Copy)]
struct Side<'a> {
    reading: &'a Reading<'a>,
    unit: &'a Unit,
}

impl<'a> Side<'a> {
    fn hashes(&self, span: Span) -> &'a [u64] {
        self.reading.hashes(span)
    }
}

/// Whether two units are the same word: equal spelling, phonetic key, loose key (katakana
/// against Latin, when `loose`) or consonant skeleton (or the same legal form, the same
/// number). Integer comparisons only: this runs for every pair of units of every candidate.
fn unit_equality(q: Side<'_>, c: Side<'_>, loose: bool) -> Option<Meeting> {
    let (qu, cu) = (q.unit, c.unit);
    // A legal form's one spelling names its class; a number's is its digits.
    let same_first = || q.hashes(qu.spellings()).first() == c.hashes(cu.spellings()).first();
    match (qu.kind, cu.kind) {
        (UnitKind::LegalForm, UnitKind::LegalForm) => return same_first().then(|| Meeting::new(1.0, How::LegalForm, 0, 0)),
        (UnitKind::Number, UnitKind::Number) => return same_first().then(|| Meeting::new(1.0, How::Exact, 0, 0)),
        (UnitKind::Word, UnitKind::Word) => {}
        _ => return None,
    }
    if qu.signature & cu.signature == 0 {
        return None;
    }
    let (q_spellings, c_spellings) = (q.hashes(qu.spellings()), c.hashes(cu.spellings()));
    for (qi, qs) in q_spellings.iter().enumerate() {
        if let Some(ci) = c_spellings.iter().position(|cs| cs == qs) {
            return Some(Meeting::new(1.0, How::Exact, qi, ci));
        }
    }
    // Keys are made from the spellings in order, so a key's index is its spelling's (or
    // close to it when two spellings share a key).
    for (qi, qk) in q.hashes(qu.keys()).iter().enumerate() {
        if let Some(ci) = c.hashes(cu.keys()).iter().position(|ck| ck == qk) {
            return Some(Meeting::new(0.95, How::Phonetic, qi.min(qu.spellings().last()), ci.min(cu.spellings().last())));
        }
    }
    // Katakana renders Korean and other names by ear: meet Latin spellings on loose keys.
    if loose
        && qu.kana != cu.kana
        && let Some(qi) = q.hashes(qu.loose()).iter().position(|k| c.hashes(cu.loose()).contains(k))
    {
        return Some(Meeting::new(LOOSE_SIMILARITY, How::Loose, qi.min(qu.spellings().last()), 0));
    }
    // And by ear (English spells by history, katakana by sound: ジェームズ / James).
    if loose && qu.kana != cu.kana && q.hashes(qu.ear()).iter().any(|k| c.hashes(cu.ear()).contains(k)) {
        return Some(ear_or_fuzzy(q, c));
    }
    skeleton_meeting(qu, cu)
}

/// Two words that meet by ear, at [`EAR_SIMILARITY`] or at their Jaro-Winkler similarity if
/// that is higher: the key by ear only says that the consonants agree, and a spelling that
/// is closer still should count as such (ナムハン namuhan / Namhung). Which spellings met is
/// left to the explanation ([`spellings_with_equal_keys`]). Rare (katakana against Latin
/// words with the same consonants), so kept out of line: the equality tests stay small.
#[inline(never)]
fn ear_or_fuzzy(q: Side<'_>, c: Side<'_>) -> Meeting {
    let ear = Meeting::new(EAR_SIMILARITY, How::ByEar, 0, 0);
    if !fuzzy_onsets_meet(q.unit, c.unit) {
        return ear;
    }
    // Jaro-Winkler refuses early what cannot pass the key by ear's similarity.
    unit_fuzzy(q, c, ear.similarity).filter(|f| f.similarity > ear.similarity).unwrap_or(ear)
}

/// Arabic script writes no short vowels, and Latin spellings of Arabic names differ in
/// vowels and doubling: compare consonant skeletons. Between two Latin spellings the
/// skeleton counts less, and only with the same first letter.
fn skeleton_meeting(qu: &Unit, cu: &Unit) -> Option<Meeting> {
    let (Some(qk), Some(ck)) = (qu.skeleton(), cu.skeleton()) else { return None };
    if qk != ck {
        None
    } else if qu.arabic || cu.arabic {
        Some(Meeting::new(0.9, How::Skeleton, 0, 0))
    } else {
        same_onset(qu.onset, cu.onset).then(|| Meeting::new(LATIN_SKELETON_SIMILARITY, How::Skeleton, 0, 0))
    }
}

/// Whether two words begin alike: the same letter, or letters that romanisations of one
/// sound swap at the start of a name (Osama / Usama, Gaddafi / Qadhafi, Pak / Bak, Fazil /
/// Vazil). A different first letter beyond these is a different name (Serkan / Erkan).
#[inline]
fn same_onset(a: u8, b: u8) -> bool {
    a != 0 && b != 0 && onset_class(a) == onset_class(b)
}

/// How close two words are by Jaro-Winkler on their phonetic keys (on their spellings when
/// they have no keys), if at least [`FUZZY_FLOOR`] ([`JOINED_FUZZY_FLOOR`] when a side is two
/// words joined); never between two words in Arabic script. The caller has tested
/// [`fuzzy_onsets_meet`], in its loop, where the test is cheapest.
/// (`at_least` may ask for more: nothing less is wanted.) Inlined: its two readings are
/// large to pass, and the Jaro-Winkler phase calls it for most pairs it compares.
#[inline(always)]
fn unit_fuzzy(q: Side<'_>, c: Side<'_>, at_least: f64) -> Option<Meeting> {
    let (qu, cu) = (q.unit, c.unit);
    if qu.kind != UnitKind::Word || cu.kind != UnitKind::Word || qu.han_syllable() || cu.han_syllable() {
        return None;
    }
    // Two words in Arabic script are compared as written (and by skeleton): their guessed
    // romanisations are near for different names (رحيم raheem, لكحل lakhel).
    if qu.arabic && cu.arabic {
        return None;
    }
    debug_assert!(fuzzy_onsets_meet(qu, cu));
    let (q_span, c_span) = if by_spellings(qu, cu) {
        (qu.fuzzy_spellings(), cu.fuzzy_spellings())
    } else {
        (qu.fuzzy_keys(), cu.fuzzy_keys())
    };
    // Two words joined are long and share letters by chance: they need more (パン スナム
    // pansnam / Pa Sam pasam is 0.92).
    let least = (if qu.len() > 1 || cu.len() > 1 { JOINED_FUZZY_FLOOR } else { FUZZY_FLOOR }).max(at_least);
    let mut best: Option<(f64, usize, usize)> = None;
    // Spelling systems are covered by keys and variants; a differing first letter that is
    // left is a different name (Serkan / Erkan), not a typo.
    for i in 0..q_span.len() {
        let x = q.reading.piece(q_span, i);
        if x.len() < FUZZY_MIN_LEN {
            continue;
        }
        for j in 0..c_span.len() {
            let y = c.reading.piece(c_span, j);
            if y.len() < FUZZY_MIN_LEN || !same_onset(x[0], y[0]) {
                continue;
            }
            let floor = best.map_or(least, |(b, ..)| b.max(least));
            // When the first letters are swapped spellings of one sound, the rest of the
            // word decides (osama / usama: sama / sama).
            // (Byte 1 begins a character unless it continues one: 0b10xx_xxxx.)
            let swapped = x[0] != y[0] && starts_char(x[1]) && starts_char(y[1]);
            let (x, y) = if swapped { (&x[1..], &y[1..]) } else { (x, y) };
            // A swapped first letter is the one difference such spellings have; a rest that
            // differs too makes another name (volkov / polyakov: olkov / olyakov is 0.92).
            let floor = if swapped { floor.max(SWAPPED_ONSET_FLOOR) } else { floor };
            if let Some(sim) = jaro_winkler_bytes_at_least(x, y, floor)
                && best.is_none_or(|(b, ..)| sim > b)
            {
                best = Some((sim, i, j));
            }
        }
    }
    let (sim, i, j) = best.filter(|(sim, ..)| *sim >= least)?;
    // (Tested last: few pairs get this far.)
    if patronymic(q.reading, qu) != patronymic(c.reading, cu) {
        return None;
    }
    if !by_spellings(qu, cu) && !spellings_near(q, c) {
        return None;
    }
    // Fuzzy matches count a little less than phonetic ones of equal similarity.
    Some(Meeting::new(sim.min(0.94), How::Fuzzy, i.min(qu.spellings().last()), j.min(cu.spellings().last())))
}

/// Endings of East Slavic patronymics (-ovich, -evna, Ukrainian -ovych, Ilyinichna) as
/// Latin lists and other languages write them (French -ovitch, German -owitsch, -owna,
/// Hungarian -ovics, Romanian -ovici, Dutch -ovitsj, Swedish -ovitj), as katakana romaji
/// gives them (ビッチ -bitch, ヴナ -vuna), and of the family names formed like them (South
/// Slavic -ović as Latin lists write it, Macedonian -ović as -ovik, Polish -owicz, Lithuanian
/// -avičius). With -ovik and -evik, a given name that ends like one (Ludovic) still meets its
/// spellings in k (Ludovik), while Scandinavian -vik names (Sandvik / Sandwik) are left alone.
const PATRONYMIC_ENDINGS: [&[u8]; 21] = [
    b"vich", b"vitch", b"vych", b"vic", b"ovik", b"evik", b"vics", b"vici", b"vitsj", b"vitj", b"vicius", b"wich", b"witch",
    b"witsch", b"wicz", b"bich", b"bitch", b"vna", b"wna", b"vuna", b"ichna",
];

/// Whether a word is a patronymic: its father's given name and a suffix. It shares its
/// first letters with that name, which Jaro-Winkler rewards, so it meets only another
/// patronymic that way: Nikolai is not Nikolayevich, Milos is not Milosevic. (Tested on the
/// spellings, any of them: keys rewrite v as b.)
fn patronymic(reading: &Reading<'_>, unit: &Unit) -> bool {
    let spellings = unit.fuzzy_spellings();
    (0..spellings.len()).any(|i| {
        let word = reading.piece(spellings, i);
        word.len() >= 7 && PATRONYMIC_ENDINGS.iter().any(|ending| word.ends_with(ending))
    })
}

/// Least Jaro-Winkler similarity of the spellings of two words written in letters whose keys
/// met by Jaro-Winkler ([`spellings_near`]).
const SPELLING_FLOOR: f64 = 0.75;

/// Whether two words that met by Jaro-Winkler on their keys are near as spelled too, when
/// neither is written in katakana, Arabic script or Han characters (whose spellings are
/// guesses, so their keys are the evidence). Hangul and Cyrillic words carry the spellings
/// of several romanisations (Kim / Gim, Yuriy / Iurii / Yury), so one of them near the other
/// side's is enough. A key folds what katakana cannot write apart
/// (l and r, v and b, ch and t) so that a katakana name meets its Latin spelling; between
/// two spellings in letters, Jaro-Winkler on top of those folds made other names meet:
/// Rachim / Latif (keys ratim / ratif, 0.92), Koryo / Clio (korio / krio), Ervin / Albin.
fn spellings_near(q: Side<'_>, c: Side<'_>) -> bool {
    let (qu, cu) = (q.unit, c.unit);
    if qu.kana || cu.kana || qu.arabic || cu.arabic || !qu.writing().is_empty() || !cu.writing().is_empty() {
        return true;
    }
    let (q_span, c_span) = (qu.fuzzy_spellings(), cu.fuzzy_spellings());
    if q_span.is_empty() || c_span.is_empty() {
        return true;
    }
    (0..q_span.len()).any(|i| {
        let x = q.reading.piece(q_span, i);
        (0..c_span.len()).any(|j| jaro_winkler_bytes_at_least(x, c.reading.piece(c_span, j), SPELLING_FLOOR).is_some())
    })
}

/// Whether [`unit_fuzzy`] compares two units' spellings (one has no keys) or their keys.
#[inline]
fn by_spellings(qu: &Unit, cu: &Unit) -> bool {
    qu.keys().is_empty() || cu.keys().is_empty()
}

/// Whether two units have Jaro-Winkler strings that begin alike (of the kind [`unit_fuzzy`]
/// compares): without, they cannot meet by Jaro-Winkler. Two masks, tested before the call
/// (and only there).
#[inline]
fn fuzzy_onsets_meet(qu: &Unit, cu: &Unit) -> bool {
    if by_spellings(qu, cu) { qu.spelling_onsets & cu.spelling_onsets != 0 } else { qu.key_onsets & cu.key_onsets != 0 }
}

/// Whether a byte of UTF-8 begins a character (as `str::is_char_boundary` tests).
pub(crate) fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// Token positions in a name's natural order: "FAMILY, Given" read as "Given FAMILY".
#[derive(Clone, Copy)]
struct Frame {
    len: usize,
    family_first: Option<usize>,
}

impl Frame {
    fn of(reading: &Reading<'_>) -> Frame {
        Frame { len: reading.tokens.len().max(1), family_first: reading.meta.family_first }
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

/// A pair the greedy alignment took: units by index, how they met, their share.
#[derive(Clone, Copy)]
struct Taken {
    meeting: Meeting,
    query: usize,
    listed: usize,
    contribution: f64,
}

/// The tokens of a name that a pair took: one bit each for the first 128, flags for the rest
/// of a longer name. Testing a unit is one mask.
#[derive(Default)]
struct TokenSet {
    low: u128,
    high: Vec<bool>,
}

impl TokenSet {
    /// Empties the set, for a name of `len` tokens.
    fn reset(&mut self, len: usize) {
        self.low = 0;
        self.high.clear();
        self.high.resize(len.saturating_sub(128), false);
    }

    fn contains(&self, t: usize) -> bool {
        if t < 128 { self.low >> t & 1 != 0 } else { self.high[t - 128] }
    }

    /// Whether none of these tokens is in the set.
    fn none_of(&self, tokens: std::ops::Range<usize>) -> bool {
        if tokens.end <= 128 { self.low & low_bits(tokens) == 0 } else { tokens.into_iter().all(|t| !self.contains(t)) }
    }

    fn insert(&mut self, tokens: std::ops::Range<usize>) {
        if tokens.end <= 128 {
            self.low |= low_bits(tokens);
        } else {
            for t in tokens {
                if t < 128 { self.low |= 1 << t } else { self.high[t - 128] = true }
            }
        }
    }
}

/// The bits of tokens that all lie below 128. (Names of at most 64 tokens, all but a few,
/// take 64-bit shifts, which cost one instruction where a 128-bit one costs several.)
fn low_bits(tokens: std::ops::Range<usize>) -> u128 {
    if tokens.is_empty() {
        0
    } else if tokens.end <= 64 {
        u128::from((u64::MAX >> (64 - tokens.len())) << tokens.start)
    } else {
        (u128::MAX >> (128 - tokens.len())) << tokens.start
    }
}

/// The order in which [`Greedy::take`] tries a candidate pair: higher similarity first, then
/// fewer tokens, then closer relative positions, then by query and listed unit (the order the
/// pairs are found in). Each is computed once per pair, not at every comparison of a sort,
/// and packed so that the sort compares integers: non-negative floats order as their bits.
type TakeOrder = (u128, u64, u32);

fn take_order(meeting: &Meeting, span: usize, distance: f64, qi: usize, ci: usize, index: usize) -> TakeOrder {
    // Units are one or two tokens: a pair spans 2 to 4, and a distance is below 1, whose
    // bits fit in 62: the span goes in the two bits above them.
    debug_assert!((2..=4).contains(&span) && (0.0..1.0).contains(&distance) && meeting.similarity >= 0.0);
    let similarity_first = u128::from(!meeting.similarity.to_bits()) << 64;
    let span_then_distance = ((span as u64 - 2) << 62) | distance.to_bits();
    (similarity_first | u128::from(span_then_distance), ((qi as u64) << 32) | ci as u64, index as u32)
}

/// Buffers an alignment works in, kept per thread: screening aligns tens of names per
/// query, and allocating these each time cost more than the comparisons.
#[derive(Default)]
struct Scratch {
    q_used: TokenSet,
    c_used: TokenSet,
    candidates: Vec<(Meeting, usize, usize)>,
    /// The candidates in the order [`Greedy::take`] tries them.
    order: Vec<TakeOrder>,
    taken: Vec<Taken>,
    /// Units that may meet by Jaro-Winkler (unit, its tokens, its onset classes), per side.
    q_fuzzy: Vec<FuzzyUnit>,
    c_fuzzy: Vec<FuzzyUnit>,
    /// The query tokens covered by `q_fuzzy` from each position on, and their onset classes.
    q_later: Vec<(u128, u32)>,
    /// Token weights, heaviest first ([`pairing_bound`]).
    heaviest: Vec<f64>,
    /// The positions of the pairs taken ([`order_penalty`]).
    positions: Vec<(usize, usize)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The greedy alignment's state: which tokens are taken, the pairs so far.
struct Greedy<'a, 's> {
    query: &'s Reading<'a>,
    listed: &'s Reading<'a>,
    q_used: &'s mut TokenSet,
    c_used: &'s mut TokenSet,
    taken: &'s mut Vec<Taken>,
    matched: f64,
    total: f64,
}

impl Greedy<'_, '_> {
    fn q_free(&self, u: &Unit) -> bool {
        self.q_used.none_of(u.tokens())
    }

    fn c_free(&self, u: &Unit) -> bool {
        self.c_used.none_of(u.tokens())
    }

    /// Takes pairs best first, skipping those whose tokens are taken. Among equals, single
    /// tokens first, which explain more precisely; a joined unit still wins where it fits
    /// better ("jong"+"un" = "jongun" beats "jong" ≈ "jongun").
    /// (`order` is the buffer the candidates are sorted in; see [`take_order`].)
    fn take(&mut self, candidates: &[(Meeting, usize, usize)], order: &mut Vec<TakeOrder>) {
        if candidates.is_empty() {
            return;
        }
        let (q_units, c_units) = (self.query.units, self.listed.units);
        // Then the pair closest in relative position, reading "FAMILY, Given" names as
        // "Given FAMILY", so that repeated words (el … el, Bahmanyar … Bahmanyar) pair in order.
        let (q_frame, c_frame) = (Frame::of(self.query), Frame::of(self.listed));
        order.clear();
        order.extend(candidates.iter().enumerate().map(|(k, &(ref meeting, qi, ci))| {
            let (q, c) = (&q_units[qi], &c_units[ci]);
            let distance = (q_frame.relative(q.start()) - c_frame.relative(c.start())).abs();
            take_order(meeting, q.len() + c.len(), distance, qi, ci, k)
        }));
        if order.len() > 1 {
            order.sort_unstable();
        }
        for &(.., k) in order.iter() {
            let (meeting, qi, ci) = candidates[k as usize];
            let (q, c) = (&q_units[qi], &c_units[ci]);
            if !self.q_free(q) || !self.c_free(c) {
                continue;
            }
            self.q_used.insert(q.tokens());
            self.c_used.insert(c.tokens());
            let weight = self.query.unit_weight(q) + self.listed.unit_weight(c);
            let contribution = if self.total > 0.0 { meeting.similarity * weight / self.total } else { 0.0 };
            self.matched += contribution;
            self.taken.push(Taken { meeting, query: qi, listed: ci, contribution });
        }
    }
}

/// The alignment before explanation: the rules applied (what was taken is in the scratch).
struct Aligned {
    coverage: f64,
    order_penalty: f64,
    number_conflict: bool,
    first_name_conflict: bool,
    split_given_name: f64,
    score: f64,
}

/// Most a fuzzy pair can count (see [`unit_fuzzy`]).
const FUZZY_CEILING: f64 = 0.94;

/// A set of token positions, one bit each (a name of more than 128 tokens sets them all).
fn token_bits(tokens: std::ops::Range<usize>) -> u128 {
    if tokens.end > 128 && !tokens.is_empty() { u128::MAX } else { low_bits(tokens) }
}

/// The summed weight of a reading's tokens in a set, in token order.
fn bits_weight(reading: &Reading<'_>, bits: u128) -> f64 {
    let tokens = reading.tokens;
    let in_name = if tokens.len() >= 128 { bits } else { bits & ((1u128 << tokens.len()) - 1) };
    // Summed from -0.0 in token order, as `Iterator::sum` does: the same value to the bit.
    let mut sum = -0.0;
    for (half, base) in [(in_name as u64, 0), ((in_name >> 64) as u64, 64)] {
        let mut rest = half;
        while rest != 0 {
            sum += tokens[base + rest.trailing_zeros() as usize].weight;
            rest &= rest - 1;
        }
    }
    // Tokens past the 128th are in any set that is not empty (see `token_bits`).
    if bits != 0 {
        for token in tokens.iter().skip(128) {
            sum += token.weight;
        }
    }
    sum
}

/// The units that may still meet by Jaro-Winkler once the equal words are taken: free
/// words of units that have a long enough key or spelling with the same onset class as some
/// free unit on the other side ([`unit_fuzzy`] finds no pair among the others). Left in
/// `q_fuzzy` and `c_fuzzy` as (unit, its tokens, its onset classes); returns the tokens they
/// cover on each side.
fn fuzzy_units(state: &Greedy<'_, '_>, q_fuzzy: &mut Vec<FuzzyUnit>, c_fuzzy: &mut Vec<FuzzyUnit>) -> (u128, u128) {
    // The free words of the query, and the onset classes they have between them. (Only words
    // that Jaro-Winkler may compare have onsets: see `Unit::key_onsets`.)
    q_fuzzy.clear();
    c_fuzzy.clear();
    let mut q_mask = 0;
    for (i, u) in state.query.units.iter().enumerate() {
        let onsets = u.key_onsets | u.spelling_onsets;
        if onsets != 0 && state.q_used.none_of(u.tokens()) {
            q_mask |= onsets;
            q_fuzzy.push((i, token_bits(u.tokens()), onsets));
        }
    }
    // No query word left: none on the listed side has a partner either.
    if q_mask == 0 {
        return (0, 0);
    }
    // The listed side's free words with an onset class the query has (the others have no
    // partner), and their classes (the others' share none with a query word).
    let (mut c_mask, mut c_covered) = (0, 0u128);
    for (i, u) in state.listed.units.iter().enumerate() {
        let onsets = (u.key_onsets | u.spelling_onsets) & q_mask;
        if onsets != 0 && state.c_used.none_of(u.tokens()) {
            c_mask |= onsets;
            let bits = token_bits(u.tokens());
            c_fuzzy.push((i, bits, u.key_onsets | u.spelling_onsets));
            c_covered |= bits;
        }
    }
    // The query's words with a class the listed side has.
    q_fuzzy.retain(|&(_, _, onsets)| onsets & c_mask != 0);
    let q_covered = q_fuzzy.iter().fold(0, |covered, &(_, bits, _)| covered | bits);
    (q_covered, c_covered)
}

/// A unit that may meet by Jaro-Winkler: its index, its tokens (bits), its onset classes.
type FuzzyUnit = (usize, u128, u32);

/// At most what the score can be once the equal words are taken, if the fuzzy pairs cover
/// at most these tokens: each pair counts at most [`FUZZY_CEILING`] times its weight
/// (penalties only lower the score).
fn fuzzy_bound(state: &Greedy<'_, '_>, q_bits: u128, c_bits: u128) -> f64 {
    if state.total <= 0.0 {
        return state.matched;
    }
    let room = bits_weight(state.query, q_bits) + bits_weight(state.listed, c_bits);
    state.matched + FUZZY_CEILING * room / state.total
}

/// At most what two readings can score, from their sizes alone: every pair joins one or two
/// tokens of each side, so at most twice as many listed tokens as the query has can meet
/// (and the other way round), at similarity 1 at most. A short query cannot score high
/// against a long listed name, which most candidates of a screening are; this decides them
/// before any unit is compared.
fn pairing_bound(query: &Reading<'_>, listed: &Reading<'_>, heaviest: &mut Vec<f64>) -> f64 {
    let total = query.meta.total_weight + listed.meta.total_weight;
    if total <= 0.0 {
        return 0.0;
    }
    let mut most = |side: &Reading<'_>, partners: usize| -> f64 {
        if side.tokens.len() <= 2 * partners {
            return side.meta.total_weight;
        }
        heaviest.clear();
        heaviest.extend(side.tokens.iter().map(|t| t.weight));
        heaviest.sort_unstable_by(|a, b| b.total_cmp(a));
        heaviest[..2 * partners].iter().sum()
    };
    let (q_most, c_most) = (most(query, listed.tokens.len()), most(listed, query.tokens.len()));
    (q_most + c_most) / total
}

/// At most what two readings can score, from the onset classes of their tokens' strings
/// ([`crate::compiled::CompiledToken::onsets`]): every pair of units that meets, equal or by
/// Jaro-Winkler, shares a class, so a token none of whose classes the other reading has
/// stays unmatched. Most candidates of a screening share a word or two with the query and
/// nothing that could meet their other words: this decides many of them before any unit is
/// compared, for the cost of a pass over the tokens.
/// (Takes the listed reading's tokens and meta, not its view: screening asks it before the
/// view is made, for the pairs that pass `may_reach` and are not in the memo.)
fn onset_bound(query: &Reading<'_>, (listed_tokens, listed): (&[CompiledToken], &Meta)) -> f64 {
    let total = query.meta.total_weight + listed.total_weight;
    if total <= 0.0 {
        // Nothing weighs: no bound to give, so refuse nothing (the alignment decides).
        return f64::INFINITY;
    }
    let may_meet = |tokens: &[CompiledToken], other: u32| {
        tokens.iter().fold(0.0, |sum, t| if t.onsets & other != 0 { sum + t.weight } else { sum })
    };
    (may_meet(query.tokens, listed.onsets) + may_meet(listed_tokens, query.meta.onsets)) / total
}

/// Whether a query reading may score at least `need` against a listed reading (its tokens and
/// meta) by [`onset_bound`]; no: [`score_compiled_above`] would return `None`.
#[inline]
pub(crate) fn may_reach_by_onsets(query: &Reading<'_>, listed: (&[CompiledToken], &Meta), need: f64) -> bool {
    onset_bound(query, listed) + 1e-9 >= need
}

/// How an alignment finds the pairs of units that are the same word.
#[derive(Clone, Copy)]
enum Equal<'t> {
    /// [`unit_equality`] on every pair of units whose signatures share a bit (the spellings
    /// that met are tracked, for explanations).
    Pairwise,
    /// The listed units' hashes looked up in the query's table.
    Table(&'t QueryTable),
    /// Both readings' directories ([`equal_units_by_directory`]).
    Directories(Directory<'t>, Directory<'t>),
}

/// Aligns two compiled readings; `loose` lets katakana and Latin words meet on loose keys
/// (when the two names are in those two scripts). What was taken is left in `scratch`.
///
/// With `need`, the caller only wants scores above it: when the equal words leave too little
/// weight for fuzzy pairs to reach it, the Jaro-Winkler phase is skipped and `None` returned.
/// (Most candidates of a screening fail here: they share one word with the query and no more.)
///
/// With the query's [`QueryTable`] or both readings' directories, equal units are found
/// without comparing every pair (the same pairs; [`Greedy::take`] puts them in the same order).
fn align_units(
    query: &Reading<'_>,
    equal: Equal<'_>,
    listed: &Reading<'_>,
    loose: bool,
    scratch: &mut Scratch,
    need: Option<f64>,
) -> Option<Aligned> {
    let Scratch { q_used, c_used, candidates, order, taken, q_fuzzy, c_fuzzy, q_later, heaviest, positions } = scratch;
    if let Some(need) = need
        && pairing_bound(query, listed, heaviest) + 1e-9 < need
    {
        return None;
    }
    q_used.reset(query.tokens.len());
    c_used.reset(listed.tokens.len());
    taken.clear();
    let mut state =
        Greedy { query, listed, q_used, c_used, taken, matched: 0.0, total: query.meta.total_weight + listed.meta.total_weight };
    // Equal words first; then Jaro-Winkler among the words still unmatched, which spares
    // the costly comparison for most tokens of a true match.
    candidates.clear();
    match equal {
        Equal::Table(table) => table.equal_units(query, listed, loose, candidates),
        Equal::Directories(q_dir, c_dir) => equal_units_by_directory((query, q_dir), (listed, c_dir), loose, candidates),
        Equal::Pairwise => {
            // Most pairs share no signature bit: that test comes first, in a tight loop.
            for (qi, q) in query.units.iter().enumerate() {
                for (ci, c) in listed.units.iter().enumerate().filter(|(_, c)| c.signature & q.signature != 0) {
                    if let Some(meeting) = unit_equality(Side { reading: query, unit: q }, Side { reading: listed, unit: c }, loose) {
                        candidates.push((meeting, qi, ci));
                    }
                }
            }
        }
    }
    homophones_count_less(query, listed, candidates);
    state.take(candidates, order);
    // Then Jaro-Winkler among the words left free, query unit by query unit. With `need`,
    // the tokens that could still pair are recounted as query units find no partner, and
    // the alignment stops once they cannot reach it. (A little room for rounding: the
    // contributions are summed in another order.)
    let (q_covered, c_covered) = fuzzy_units(&state, q_fuzzy, c_fuzzy);
    let short_of = |state: &Greedy<'_, '_>, q_bits: u128, c_bits: u128| {
        need.is_some_and(|need| fuzzy_bound(state, q_bits, c_bits) + 1e-9 < need)
    };
    if short_of(&state, q_covered, c_covered) {
        return None;
    }
    // The query tokens that units from the k-th on could still cover, and their onsets (for
    // the stops below, with `need`).
    q_later.clear();
    q_later.resize(if need.is_some() { q_fuzzy.len() + 1 } else { 0 }, (0, 0));
    for k in (0..q_later.len().saturating_sub(1)).rev() {
        let (bits, onsets) = q_later[k + 1];
        q_later[k] = (bits | q_fuzzy[k].1, onsets | q_fuzzy[k].2);
    }
    candidates.clear();
    let (mut q_met, mut c_met) = (0u128, 0u128);
    for (k, &(qi, q_bits, q_onsets)) in q_fuzzy.iter().enumerate() {
        let q = &query.units[qi];
        let before = candidates.len();
        for &(ci, c_bits, c_onsets) in c_fuzzy.iter() {
            // Most pairs have no onset class in common: decided here, without the call (first
            // on the onsets of keys and spellings together, before the listed unit is read).
            if q_onsets & c_onsets == 0 {
                continue;
            }
            let c = &listed.units[ci];
            if !fuzzy_onsets_meet(q, c) {
                continue;
            }
            if let Some(meeting) = unit_fuzzy(Side { reading: query, unit: q }, Side { reading: listed, unit: c }, 0.0) {
                candidates.push((meeting, qi, ci));
                c_met |= c_bits;
            }
        }
        if candidates.len() > before {
            q_met |= q_bits;
        } else if need.is_some() {
            // The listed units that may still meet: those met, and those with an onset class
            // of a query unit still to come. (A stop here is a `None` the full phase would
            // give too: what it could still meet only shrinks.)
            let (q_left, later_onsets) = q_later[k + 1];
            let c_left = c_fuzzy.iter().filter(|&&(.., onsets)| onsets & later_onsets != 0).fold(c_met, |m, &(_, bits, _)| m | bits);
            if short_of(&state, q_met | q_left, c_left) {
                return None;
            }
        }
    }
    if short_of(&state, q_met, c_met) {
        return None;
    }
    state.take(candidates, order);
    let matched = state.matched;
    let split_given_name = split_given_name(taken, query, listed, q_used, c_used);
    let matched = matched - split_given_name;
    taken.sort_by_key(|t| query.units[t.query].start());
    let order_penalty = order_penalty(taken, query, listed, positions);
    let number_conflict = !query.numbers.is_empty() && !listed.numbers.is_empty() && query.numbers != listed.numbers;
    let first_name_conflict =
        query.meta.first_name.is_some_and(|f| !q_used.contains(f)) && listed.meta.first_name.is_some_and(|f| !c_used.contains(f));
    let mut score = matched * (1.0 - order_penalty);
    if number_conflict {
        score *= NUMBER_CONFLICT_FACTOR;
    }
    if first_name_conflict {
        score *= FIRST_NAME_CONFLICT_FACTOR;
    }
    Some(Aligned { coverage: matched, order_penalty, number_conflict, first_name_conflict, split_given_name, score: score.clamp(0.0, 1.0) })
}

/// Lowers the pairs that met a given name written in syllables when it met only in part
/// ([`SPLIT_GIVEN_NAME_FACTOR`]), on either side; returns the share taken off. (It only lowers
/// a score: the bounds above stay bounds.) A katakana word is exempt as the partner: katakana
/// writes a Korean given name as one word (イルウ, Il-U), so where it met one syllable only,
/// its reading went astray rather than the name differing.
fn split_given_name(taken: &mut [Taken], query: &Reading<'_>, listed: &Reading<'_>, q_used: &TokenSet, c_used: &TokenSet) -> f64 {
    let (q_given, c_given) = (u128::from(query.meta.given_syllables), u128::from(listed.meta.given_syllables));
    if q_given | c_given == 0 {
        return 0.0;
    }
    let units = |t: &Taken| (&query.units[t.query], &listed.units[t.listed]);
    let q_pairs = taken.iter().map(units).map(|(q, c)| (token_bits(q.tokens()), q.start(), c.start()));
    let c_pairs = taken.iter().map(units).map(|(q, c)| (token_bits(c.tokens()), c.start(), q.start()));
    // The order of a given name's syllables counts only where both names say where their
    // given name stands (a reversed "Su Chol Kang" may be KANG, Chol Su written backwards).
    let placed = query.meta.given_placed && listed.meta.given_placed;
    let q_split = given_name_split(q_given, placed, q_used.low, q_pairs);
    let c_split = given_name_split(c_given, placed, c_used.low, c_pairs);
    if q_split | c_split == 0 {
        return 0.0;
    }
    let mut cut = 0.0;
    for t in taken.iter_mut() {
        let (q, c) = (&query.units[t.query], &listed.units[t.listed]);
        if (token_bits(q.tokens()) & q_split != 0 && !c.kana) || (token_bits(c.tokens()) & c_split != 0 && !q.kana) {
            let part = (1.0 - SPLIT_GIVEN_NAME_FACTOR) * t.contribution;
            t.contribution -= part;
            cut += part;
        }
    }
    cut
}

/// The tokens of a given name (`given`, bits) if it met in part: some of its syllables met
/// (`used`) and some did not, or, if both names' given names are placed, all met but in
/// another order than their partners (서연 is not 연서). `pairs` are the pairs taken: this side's
/// tokens (bits) and start, the other's start.
fn given_name_split(given: u128, placed: bool, used: u128, pairs: impl Iterator<Item = (u128, usize, usize)> + Clone) -> u128 {
    let met = used & given;
    if met == 0 {
        return 0;
    }
    if met != given {
        return given;
    }
    if !placed {
        return 0;
    }
    let in_name = pairs.filter(|&(bits, ..)| bits & given != 0);
    let reversed = in_name.clone().any(|(_, a, x)| in_name.clone().any(|(_, b, y)| a < b && x > y));
    if reversed { given } else { 0 }
}

/// The score of a query reading against a listed one (what screening ranks by).
pub(crate) fn score_compiled(query: Reading<'_>, listed: Reading<'_>, loose: bool) -> f64 {
    // Prepared names have directories (the index's readings have none).
    let equal = match (query.directory, listed.directory) {
        (Some(q), Some(c)) => Equal::Directories(q, c),
        _ => Equal::Pairwise,
    };
    SCRATCH.with(|scratch| align_units(&query, equal, &listed, loose, &mut scratch.borrow_mut(), None).map_or(0.0, |a| a.score))
}

/// The score of a query reading (with its table, if it has one) against a listed one if it
/// can exceed `need` (`None` means it cannot); a screening asks only for scores that can
/// still matter.
pub(crate) fn score_compiled_above(
    query: (&Reading<'_>, Option<&QueryTable>),
    listed: &Reading<'_>,
    loose: bool,
    need: f64,
) -> Option<f64> {
    let equal = query.1.map_or(Equal::Pairwise, Equal::Table);
    SCRATCH.with(|scratch| align_units(query.0, equal, listed, loose, &mut scratch.borrow_mut(), Some(need)).map(|a| a.score))
}

/// Query readings of this many units or more (three words and up) are aligned through a
/// [`QueryTable`] (callgrind on the benchmark's queries, with the table's Bloom filter: 5
/// saves most; 1 and 3 cost 1 % more, 10 costs 4 % more).
const TABLE_MIN_UNITS: usize = 5;

/// The entries of a reading's [`Directory`]: each unit's hashes keyed by role as the
/// [`QueryTable`] keys them.
pub(crate) fn directory_entries(reading: Reading<'_>) -> Vec<DirEntry> {
    let mut out = Vec::new();
    for (i, u) in reading.units.iter().enumerate() {
        each_hash_by_role(reading, u, |hash, role| out.push(DirEntry { key: role.key(hash), unit: i as u32, rank: role.rank() }));
    }
    out
}

/// Calls `add` with each hash of a unit of `reading` and the role it is looked up in: a
/// legal form or a number by its first spelling, a word by all its spellings and keys.
fn each_hash_by_role(reading: Reading<'_>, u: &Unit, mut add: impl FnMut(u64, Role)) {
    let first = reading.hashes(u.spellings()).first().copied();
    match u.kind {
        UnitKind::LegalForm => add(0, Role::LegalForm(first)),
        UnitKind::Number => add(0, Role::Number(first)),
        UnitKind::Word => {
            reading.hashes(u.spellings()).iter().for_each(|&h| add(h, Role::Spelling));
            reading.hashes(u.keys()).iter().for_each(|&h| add(h, Role::Key));
            reading.hashes(u.loose()).iter().for_each(|&h| add(h, Role::Loose));
            reading.hashes(u.ear()).iter().for_each(|&h| add(h, Role::Ear));
            if let Some(h) = u.skeleton() {
                add(h, Role::Skeleton);
            }
        }
    }
}

/// The pairs [`unit_equality`] finds, from two readings' directories: only the runs of
/// entries under a bit both Bloom filters have are compared (a key both readings hold sets
/// one; most pairs of names share only a bit or two by chance), where the pairwise loop
/// tests every pair of units and most pairs whose signatures share a bit still differ. A
/// pair that meets in several roles is kept once, at its highest similarity, the first found
/// among equals (the role [`unit_equality`] tries first has the highest, once a pair that
/// meets on a loose key is not also met by ear; [`Greedy::take`] would take that one and
/// skip the others). The spellings that met are not tracked
/// (scoring does not need them).
fn equal_units_by_directory(
    (query, q_dir): (&Reading<'_>, Directory<'_>),
    (listed, c_dir): (&Reading<'_>, Directory<'_>),
    loose: bool,
    out: &mut Vec<(Meeting, usize, usize)>,
) {
    for (word, (q_bits, c_bits)) in q_dir.bloom.iter().zip(c_dir.bloom).enumerate() {
        let mut shared = q_bits & c_bits;
        while shared != 0 {
            let bit = word * 64 + shared.trailing_zeros() as usize;
            shared &= shared - 1;
            let c_run = c_dir.bucket(bit);
            for x in q_dir.bucket(bit) {
                // Loose keys and keys by ear meet only when `loose`.
                if Role::only_when_loose(x.rank) && !loose {
                    continue;
                }
                for y in c_run.iter().filter(|y| y.key == x.key) {
                    let (qi, ci) = (x.unit as usize, y.unit as usize);
                    let (qu, cu) = (&query.units[qi], &listed.units[ci]);
                    let meeting = match x.rank {
                        Role::SPELLING => Some(Meeting::new(1.0, How::Exact, 0, 0)),
                        Role::KEY => Some(Meeting::new(0.95, How::Phonetic, 0, 0)),
                        Role::LOOSE => (qu.kana != cu.kana).then(|| Meeting::new(LOOSE_SIMILARITY, How::Loose, 0, 0)),
                        // As in `unit_equality`, a pair that meets on a loose key is not
                        // tried by ear (whose Jaro-Winkler figure may be higher).
                        Role::EAR => (qu.kana != cu.kana && !loose_keys_meet(query, qu, listed, cu)).then(|| {
                            ear_or_fuzzy(Side { reading: query, unit: qu }, Side { reading: listed, unit: cu })
                        }),
                        Role::SKELETON => skeleton_meeting(qu, cu),
                        Role::LEGAL_FORM => Some(Meeting::new(1.0, How::LegalForm, 0, 0)),
                        _ => Some(Meeting::new(1.0, How::Exact, 0, 0)),
                    };
                    if let Some(meeting) = meeting {
                        out.push((meeting, qi, ci));
                    }
                }
            }
        }
    }
    // Each pair once, at its highest similarity, the first found among equals (the sort is
    // stable). Sorting, not a scan per meeting: a name of many repeated words meets itself
    // in a number of pairs that grows with the square of its length. The order of `out` does
    // not matter: `take_order` orders pairs fully by (similarity, span, distance, qi, ci).
    out.sort_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)).then(b.0.similarity.total_cmp(&a.0.similarity)));
    out.dedup_by_key(|m| (m.1, m.2));
}

/// Lowers equal readings of Han units written with other characters to
/// [`HOMOPHONE_SIMILARITY`]. Every way of finding equal units (table, directories, pairwise)
/// goes through here; it only lowers similarities, so the bounds before it stay bounds.
fn homophones_count_less(query: &Reading<'_>, listed: &Reading<'_>, meetings: &mut [(Meeting, usize, usize)]) {
    if !(query.meta.via.is_han() && listed.meta.via.is_han()) {
        return;
    }
    for (meeting, qi, ci) in meetings.iter_mut() {
        let (qu, cu) = (&query.units[*qi], &listed.units[*ci]);
        let (q_writing, c_writing) = (query.hashes(qu.writing()), listed.hashes(cu.writing()));
        if !q_writing.is_empty() && !c_writing.is_empty() && q_writing != c_writing && matches!(meeting.how, How::Exact | How::Phonetic) {
            meeting.similarity = meeting.similarity.min(HOMOPHONE_SIMILARITY);
            meeting.how = How::Homophone;
        }
    }
}

/// Whether two units share a loose key.
fn loose_keys_meet(query: &Reading<'_>, qu: &Unit, listed: &Reading<'_>, cu: &Unit) -> bool {
    let theirs = listed.hashes(cu.loose());
    query.hashes(qu.loose()).iter().any(|k| theirs.contains(k))
}

/// Whether a [`Directory`] entry of this rank counts only between katakana and Latin (loose
/// keys and keys by ear).
pub(crate) fn only_when_loose(rank: u8) -> bool {
    Role::only_when_loose(rank)
}

/// What a listed unit's hash is looked up as in a [`QueryTable`].
#[derive(Clone, Copy)]
enum Role {
    Spelling,
    Key,
    Loose,
    Ear,
    Skeleton,
    /// The first spelling of a legal form (its class) or a number (its digits); `None` when
    /// it has no spelling, which meets another without one, as in [`unit_equality`].
    LegalForm(Option<u64>),
    Number(Option<u64>),
}

impl Role {
    const SPELLING: u8 = 0;
    const KEY: u8 = 1;
    const LOOSE: u8 = 2;
    const EAR: u8 = 3;
    const SKELETON: u8 = 4;
    const LEGAL_FORM: u8 = 5;
    const NUMBER: u8 = 6;

    /// Whether keys of this rank meet only between katakana and Latin words.
    fn only_when_loose(rank: u8) -> bool {
        rank == Role::LOOSE || rank == Role::EAR
    }

    /// The order in which [`unit_equality`] tries the roles of two words.
    fn rank(self) -> u8 {
        match self {
            Role::Spelling => Role::SPELLING,
            Role::Key => Role::KEY,
            Role::Loose => Role::LOOSE,
            Role::Ear => Role::EAR,
            Role::Skeleton => Role::SKELETON,
            Role::LegalForm(_) => Role::LEGAL_FORM,
            Role::Number(_) => Role::NUMBER,
        }
    }

    /// One 64-bit key for a hash in a role: the hash with a constant of the role mixed in (the
    /// hashes are uniform, so keys of two roles meet as rarely as two hashes do).
    fn key(self, hash: u64) -> u64 {
        let (salt, hash) = match self {
            Role::Spelling => (0, hash),
            Role::Key => (0x9e37_79b9_7f4a_7c15, hash),
            Role::Loose => (0xc2b2_ae3d_27d4_eb4f, hash),
            Role::Ear => (0x2545_f491_4f6c_dd1d, hash),
            Role::Skeleton => (0x1656_67b1_9e37_79f9, hash),
            Role::LegalForm(first) => (0x85eb_ca77_c2b2_ae63, first.unwrap_or(0x27d4_eb2f_1656_67c5)),
            Role::Number(first) => (0xff51_afd7_ed55_8ccd, first.unwrap_or(0xc4ce_b9fe_1a85_ec53)),
        };
        hash ^ salt
    }
}

/// A query reading's unit hashes, each with the set of query units holding it (one bit per
/// unit). A listed reading is aligned with the query by looking its few hashes up here instead
/// of comparing each of its units with each of the query's: for the long names, whose joined
/// units carry up to 64 spelling pairs each, that pairwise loop was most of a screening.
pub(crate) struct QueryTable {
    units: rustc_hash::FxHashMap<u64, u128>,
    /// One bit per key of `units` (a Bloom filter): most listed hashes are not in the
    /// table, and this says so without probing it.
    present: Box<[u64; BLOOM_WORDS]>,
    /// The same for the query words' hashes in any role (not salted): one pass over a listed
    /// word's hashes tells whether any role can meet, which for most words none can.
    in_any_role: Box<[u64; BLOOM_WORDS]>,
    /// The query units written in katakana.
    kana: u128,
}

/// Words of [`QueryTable::present`]: 4,096 bits, a few percent of them set by a long query.
const BLOOM_WORDS: usize = 64;

/// A key's bit in [`QueryTable::present`], from its top bits (keys are uniform hashes).
fn bloom_bit(key: u64) -> (usize, u64) {
    let bit = (key >> (64 - 12)) as usize;
    (bit / 64, 1 << (bit % 64))
}

impl QueryTable {
    /// A table for a long query reading, of at most 128 units (one bit each); `None` for the
    /// others, which are aligned pair by pair: for a short query a few comparisons of unit
    /// signatures cost less than looking every listed hash up.
    pub fn new(query: Reading<'_>) -> Option<QueryTable> {
        if query.units.len() > 128 || query.units.len() < TABLE_MIN_UNITS {
            return None;
        }
        let mut table = QueryTable {
            units: rustc_hash::FxHashMap::default(),
            present: Box::new([0; BLOOM_WORDS]),
            in_any_role: Box::new([0; BLOOM_WORDS]),
            kana: 0,
        };
        for (qi, u) in query.units.iter().enumerate() {
            let bit = 1u128 << qi;
            each_hash_by_role(query, u, |hash, role| {
                let key = role.key(hash);
                let (word, mask) = bloom_bit(key);
                table.present[word] |= mask;
                if let Role::Spelling | Role::Key | Role::Loose | Role::Ear | Role::Skeleton = role {
                    let (word, mask) = bloom_bit(hash);
                    table.in_any_role[word] |= mask;
                }
                *table.units.entry(key).or_default() |= bit;
            });
            if u.kind == UnitKind::Word && u.kana {
                table.kana |= bit;
            }
        }
        Some(table)
    }

    fn get(&self, hash: u64, role: Role) -> u128 {
        let key = role.key(hash);
        let (word, mask) = bloom_bit(key);
        if self.present[word] & mask == 0 {
            return 0;
        }
        self.units.get(&key).copied().unwrap_or(0)
    }

    /// Whether a word's hash may be one of the query's in some role (no: it is not).
    fn maybe_in_any_role(&self, hash: u64) -> bool {
        let (word, mask) = bloom_bit(hash);
        self.in_any_role[word] & mask != 0
    }

    fn any(&self, hashes: &[u64], role: Role) -> u128 {
        hashes.iter().fold(0, |m, &h| m | self.get(h, role))
    }

    /// The pairs [`unit_equality`] finds between the query and a listed reading (by listed
    /// unit; [`Greedy::take`] orders them). The spellings that met are not tracked: scoring
    /// does not need them, and explanations align without the table.
    fn equal_units(&self, query: &Reading<'_>, listed: &Reading<'_>, loose: bool, out: &mut Vec<(Meeting, usize, usize)>) {
        let push = |out: &mut Vec<(Meeting, usize, usize)>, units: u128, ci: usize, similarity: f64, how: How| {
            let mut rest = units;
            while rest != 0 {
                let qi = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                out.push((Meeting::new(similarity, how, 0, 0), qi, ci));
            }
        };
        for (ci, c) in listed.units.iter().enumerate() {
            let first = || listed.hashes(c.spellings()).first().copied();
            match c.kind {
                UnitKind::LegalForm => push(out, self.get(0, Role::LegalForm(first())), ci, 1.0, How::LegalForm),
                UnitKind::Number => push(out, self.get(0, Role::Number(first())), ci, 1.0, How::Exact),
                UnitKind::Word => {
                    // Loose keys meet only when `loose`: else they need no look.
                    let looked_up = if loose { c.hashed() } else { c.spellings_and_keys() };
                    let mut hashes = listed.hashes(looked_up).iter().copied().chain(c.skeleton());
                    if !hashes.any(|h| self.maybe_in_any_role(h)) {
                        continue;
                    }
                    let exact = self.any(listed.hashes(c.spellings()), Role::Spelling);
                    push(out, exact, ci, 1.0, How::Exact);
                    let phonetic = self.any(listed.hashes(c.keys()), Role::Key) & !exact;
                    push(out, phonetic, ci, 0.95, How::Phonetic);
                    let mut met = exact | phonetic;
                    if loose {
                        let other_script = if c.kana { !self.kana } else { self.kana };
                        let loose_keys = self.any(listed.hashes(c.loose()), Role::Loose) & other_script & !met;
                        push(out, loose_keys, ci, LOOSE_SIMILARITY, How::Loose);
                        met |= loose_keys;
                        let mut by_ear = self.any(listed.hashes(c.ear()), Role::Ear) & other_script & !met;
                        met |= by_ear;
                        while by_ear != 0 {
                            let qi = by_ear.trailing_zeros() as usize;
                            by_ear &= by_ear - 1;
                            let q = Side { reading: query, unit: &query.units[qi] };
                            out.push((ear_or_fuzzy(q, Side { reading: listed, unit: c }), qi, ci));
                        }
                    }
                    if let Some(h) = c.skeleton() {
                        let mut rest = self.get(h, Role::Skeleton) & !met;
                        while rest != 0 {
                            let qi = rest.trailing_zeros() as usize;
                            rest &= rest - 1;
                            if let Some(meeting) = skeleton_meeting(&query.units[qi], c) {
                                out.push((meeting, qi, ci));
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The alignment of two compiled readings with what a reader needs: token ranges and the
/// spellings that met, taken from the readings they were compiled from.
pub(crate) fn align_compiled(
    (query, q_reading): (Reading<'_>, &NameReading),
    (listed, c_reading): (Reading<'_>, &NameReading),
    loose: bool,
) -> Alignment {
    let mut scratch = Scratch::default();
    let aligned =
        align_units(&query, Equal::Pairwise, &listed, loose, &mut scratch, None).expect("an alignment without a bound is complete");
    let pairs = scratch
        .taken
        .iter()
        .map(|t| {
            let (q, c) = (&query.units[t.query], &listed.units[t.listed]);
            let (q_spelling, c_spelling) = match t.meeting.how {
                How::Phonetic if q.len() == 1 && c.len() == 1 => {
                    spellings_with_equal_keys(q_reading, q.start(), c_reading, c.start(), crate::keys::spelling_key)
                }
                How::ByEar => spellings_with_equal_keys(q_reading, q.start(), c_reading, c.start(), |_, s| ear_key(s)),
                _ => None,
            }
            .unwrap_or((t.meeting.query_spelling, t.meeting.listed_spelling));
            TokenPair {
                query: q.tokens(),
                listed: c.tokens(),
                query_spelling: unit_spelling(q_reading, q, q_spelling),
                listed_spelling: unit_spelling(c_reading, c, c_spelling),
                how: t.meeting.how,
                similarity: t.meeting.similarity,
                contribution: t.contribution,
            }
        })
        .collect();
    let unused = |used: &TokenSet, len: usize| (0..len).filter(|&i| !used.contains(i)).collect();
    Alignment {
        pairs,
        unmatched_query: unused(&scratch.q_used, query.tokens.len()),
        unmatched_listed: unused(&scratch.c_used, listed.tokens.len()),
        coverage: aligned.coverage,
        order_penalty: aligned.order_penalty,
        number_conflict: aligned.number_conflict.then(|| (numbers(q_reading), numbers(c_reading))),
        first_name_conflict: aligned.first_name_conflict,
        split_given_name: aligned.split_given_name,
        score: aligned.score,
    }
}

/// The first spellings of two tokens whose keys (phonetic, or by ear; `key` is given each
/// token's `via`, since a syllable's key is not a word's) are equal. A token's keys are
/// deduplicated, so the index of the key that met need not be its spelling's: without this,
/// ウラジーミル met vladimir through its Slavic spelling but showed the Hepburn one, and a
/// katakana word met by ear showed a spelling other than the one heard.
fn spellings_with_equal_keys(
    q: &NameReading,
    q_token: usize,
    c: &NameReading,
    c_token: usize,
    key: fn(Via, &str) -> String,
) -> Option<(usize, usize)> {
    let (q_token, c_token) = (&q.tokens[q_token], &c.tokens[c_token]);
    let c_keys: Vec<String> = c_token.spellings.iter().map(|s| key(c_token.via, s)).collect();
    q_token.spellings.iter().enumerate().find_map(|(i, s)| {
        let key = key(q_token.via, s);
        c_keys.iter().position(|k| *k == key).map(|j| (i, j))
    })
}

/// A spelling's key by ear, as [`KeyToken::ear_keys`](crate::keys::KeyToken::ear_keys) makes it.
fn ear_key(spelling: &str) -> String {
    crate::translit::kana::by_ear(&crate::translit::kana::phonetic_key(spelling))
}

/// The `k`-th spelling of a unit (see [`crate::compiled::joined`] for joined units).
fn unit_spelling(reading: &NameReading, unit: &Unit, k: usize) -> String {
    let a = &reading.tokens[unit.start()].spellings;
    if unit.len() == 1 {
        return a.get(k).or(a.first()).cloned().unwrap_or_default();
    }
    let b = &reading.tokens[unit.start() + 1].spellings;
    match (a.get(k / b.len().max(1)), b.get(k % b.len().max(1))) {
        (Some(x), Some(y)) => [x.as_str(), y.as_str()].concat(),
        _ => String::new(),
    }
}

fn numbers(reading: &NameReading) -> String {
    let mut n: Vec<&str> = reading.tokens.iter().filter(|t| t.kind == TokenKind::Number).map(|t| t.text.as_str()).collect();
    n.sort_unstable();
    n.join(" ")
}

/// Aligns a query reading with a listed reading, given each token's weight.
pub fn align(query: &NameReading, q_weights: &[f64], listed: &NameReading, c_weights: &[f64]) -> Alignment {
    let loose = query.has_kana() != listed.has_kana();
    let (q, c) = (Compiled::with_weights(query, q_weights), Compiled::with_weights(listed, c_weights));
    align_compiled((q.view(), query), (c.view(), listed), loose)
}

/// Pairs are sorted by query position; look at the listed positions in that order.
/// No penalty when the pairs run in the same order, reading each name as written or, for a
/// "FAMILY, Given" name, as "Given FAMILY".
fn order_penalty(taken: &[Taken], query: &Reading<'_>, listed: &Reading<'_>, positions: &mut Vec<(usize, usize)>) -> f64 {
    if taken.len() < 2 {
        return 0.0;
    }
    let (q_natural, c_natural) = (Frame::of(query), Frame::of(listed));
    let position = |frame: Frame, written: usize, natural: bool| if natural { frame.position(written) } else { written };
    let starts = |t: &Taken| (query.units[t.query].start(), listed.units[t.listed].start());
    for q_rotate in [false, true] {
        for c_rotate in [false, true] {
            // (`positions` is a buffer of the scratch: this runs for every alignment that scores.)
            positions.clear();
            positions.extend(taken.iter().map(starts).map(|(q, c)| (position(q_natural, q, q_rotate), position(c_natural, c, c_rotate))));
            positions.sort_unstable();
            if positions.windows(2).all(|w| w[0].1 < w[1].1) {
                return 0.0;
            }
        }
    }
    // The listed positions in query order, rotated by k: increasing for some k is a rotation.
    let n = taken.len();
    let listed_at = |i: usize| starts(&taken[i]).1;
    let rotation = (1..n).any(|k| (0..n - 1).all(|i| listed_at((k + i) % n) < listed_at((k + i + 1) % n)));
    if rotation { ROTATION_PENALTY } else { PERMUTATION_PENALTY }
}

/// Default token weights when no index says how rare a token is (pair comparison).
pub fn default_weights(reading: &NameReading) -> Vec<f64> {
    (0..reading.tokens.len()).map(|i| token_weight(reading, i, 1.0)).collect()
}

/// Words that connect names rather than name anyone: Arabic nasab and article, Western
/// nobiliary particles, and the English and katakana connectives of organisation names.
/// ("an", the article before n, is left out: An is also a Korean family name.) Religious and
/// honorific titles that lists write as part of a name, or leave out (Shaykh, Haji, Mullah,
/// Mawlawi), weigh as little: they are sometimes a family name (Omar SHEIKH), so they stay.
const PARTICLES: [&str; 37] = [
    "bin", "ibn", "ben", "bint", "binti", "ould", "al", "el", "ad", "ar", "as", "ash", "at", "az", "de", "da",
    "di", "del", "van", "von", "der", "of", "the", "and", "for", "ob", "obu", "za", "shaykh", "sheikh",
    "shaikh", "haji", "hajji", "alhaj", "mullah", "mawlawi", "maulana",
];
/// Weight of a particle relative to a word of weight 1.
pub const PARTICLE_WEIGHT: f64 = 0.2;
/// Family names (known from "FAMILY, Given") weigh this much more: sharing given names with
/// a listed person of another family is common, sharing the family name is the stronger tie.
pub const FAMILY_NAME_FACTOR: f64 = 1.5;

/// A token's weight, from its base weight (rarity in the lists, or 1): legal forms and
/// particles weigh little, family names more.
pub fn token_weight(reading: &NameReading, i: usize, base: f64) -> f64 {
    weight_rule(reading, i).apply(base)
}

pub(crate) fn weight_rule(reading: &NameReading, i: usize) -> WeightRule {
    let token = &reading.tokens[i];
    match token.kind {
        TokenKind::LegalForm(_) => WeightRule::LegalForm,
        _ if PARTICLES.contains(&token.spellings[0].as_str()) => WeightRule::Particle,
        _ if reading.family_first.is_some_and(|n| i < n) => WeightRule::FamilyName,
        _ => WeightRule::Plain,
    }
}

impl WeightRule {
    pub(crate) fn apply(self, base: f64) -> f64 {
        match self {
            WeightRule::LegalForm => LEGAL_FORM_WEIGHT,
            WeightRule::Particle => PARTICLE_WEIGHT,
            WeightRule::FamilyName => base * FAMILY_NAME_FACTOR,
            WeightRule::Plain => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{NameKeys, name_keys};

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
    fn a_given_name_does_not_meet_a_patronymic_made_from_it() {
        // The family name and a father's name: not the same person as Pavel Orlov.
        assert!(score("Nikolai Orlov", "ORLOV, Sergei Nikolayevich") < 0.6);
        assert!(score("Milos Stankov", "Milos Stankovic") < 0.6);
        // Patronymics still meet patronymics by Jaro-Winkler, in any transliteration.
        assert!(score("Sergei Nikolaewitsch Orlov", "ORLOV, Sergei Nikolayevich") > 0.9);
        assert!(score("Roman Abramovics", "ABRAMOVICH, Roman") > 0.9);
        assert!(score("ロマン・アブラモビッチ", "ABRAMOVICH, Roman") > 0.9);
        assert!(score("アンナ・ニコラエヴナ", "Anna Nikolayevna") > 0.9);
    }

    /// Keys fold what katakana cannot write apart (l/r, ch/t, v/b); two words in letters that
    /// met on keys by Jaro-Winkler must be near as spelled too.
    #[test]
    fn words_in_letters_that_meet_on_folded_keys_are_spelled_alike_too() {
        assert!(score("Abdul Rachim", "Abdul Latif") < 0.6);
        assert!(score("KORYO MANAGEMENT LIMITED", "CLIO MANAGEMENT CORP.") < 0.6);
        assert!(score("ERVIN TECHNOLOGIES", "ALBIN TECHNOLOGIES") < 0.6);
        // Spelling variants still meet, and katakana still meets by its keys.
        assert!(score("Mikhail Khodorkovsky", "Mihail Hodorkovskiy") >= 0.9);
        assert!(score("Aleksey Navalny", "Alexei Navalnyi") >= 0.9);
        assert!(score("ラヒム・ハリリ", "Rachim Halili") >= 0.9);
    }

    /// Ludovic ends as a South Slavic family name does (-vic); its spelling in k is the same
    /// name, and the Macedonian spelling of -ović (-ovik) the same family name.
    #[test]
    fn a_given_name_ending_like_a_family_name_meets_its_spellings() {
        assert!(score("Ludovic Martin", "Ludovik Martin") >= 0.9);
        assert!(score("Zoran Trajkovic", "Zoran Trajkovik") >= 0.9);
        // A Scandinavian -vik is no patronymic: its spellings in w still meet.
        assert!(score("Nordvik Shipping", "Nordwik Shipping") >= 0.9);
    }

    #[test]
    fn a_swapped_first_letter_leaves_no_room_for_another_difference() {
        // Spellings of one sound at the start, the rest alike: one name.
        assert!(score("Osama Hamdan", "Usama Hamdan") > 0.9);
        assert!(score("Muammar Gaddafi", "Muammar Qadhafi") > 0.9);
        // A swap and a difference in the rest: another family.
        assert!(score("Boris Volkov", "Boris Polyakov") < 0.7);
    }

    #[test]
    fn han_characters_that_read_alike_are_not_the_same_word() {
        // 神戸 and 新興 are both "shinko" in on'yomi, 協 and 興 both "kyo".
        assert!(score("神戸商事株式会社", "新興貿易会社") < 0.8);
        assert!(score("三協電機株式会社", "三興会社") < 0.8);
        // One name in Japanese, traditional and simplified forms is the same characters.
        assert!(score("新興貿易会社", "新兴贸易会社") > 0.95);
        assert!(score("國際商事", "国际商事") > 0.95);
        // Against its reading in Latin letters a Han name still meets by reading.
        assert!(score("新興貿易会社", "Shinko Trading Company") > 0.9);
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

    /// Two Arabic-script names whose words differ in consonants are two names, however near
    /// their guessed romanisations (Raheem / Lakhel, Jamal / Jalal).
    #[test]
    fn arabic_words_do_not_meet_by_jaro_winkler() {
        assert!(score("محمد رحيم", "محمد لكحل") < 0.8, "{}", score("محمد رحيم", "محمد لكحل"));
        assert!(score("جمال الدين حقانى", "جلال الدين حقانى") < 0.8);
        // Spelt alike they still meet (ى and ي fold, the skeleton holds).
        assert!(score("جلال الدين حقاني", "جلال الدين حقانى") > 0.9);
    }

    /// Joined words need more similarity: パン・スナム is not Pa Sam.
    #[test]
    fn joined_words_need_closer_spellings() {
        assert!(score("パン・スナム", "Pa Sam") < 0.8, "{}", score("パン・スナム", "Pa Sam"));
        assert!(score("Kim Jong-un", "Kim Jongun") > 0.95);
    }

    #[test]
    fn numbers_must_agree() {
        assert!(score("Ocean Star 1", "Ocean Star 2") < 0.6);
        assert_eq!(score("Ocean Star 2", "OCEAN STAR 2"), 1.0);
    }

    /// A given name written in syllables is one name: a family name and one of its two
    /// syllables is not the person (李芳 read "ri ho" against RI, Won Ho; 강민준 against
    /// KANG, Min), while a Western name without its middle name keeps its score.
    #[test]
    fn a_given_name_met_in_part_counts_less() {
        for (query, listed) in [("Ri Ho", "RI, Won Ho"), ("강민준", "KANG, Min"), ("Pak Chol", "PAK, Yong Chol"), ("김건우", "KIM, Kun")] {
            let s = score(query, listed);
            assert!(s < 0.8, "{query} / {listed}: {s}");
        }
        // The whole given name, spelt apart or together, still meets.
        assert_eq!(score("Ri Won Ho", "RI, Won Ho"), 1.0);
        assert!(score("리원호", "RI, Won Ho") > 0.95);
        assert!(score("Ri Wonho", "RI, Won Ho") > 0.95);
        // Its syllables in another order are another name (서연 is not 연서).
        assert!(score("김연서", "KIM, So Yon") < 0.8, "{}", score("김연서", "KIM, So Yon"));
        assert_eq!(score("김서연", "KIM, So Yon"), 1.0);
        // Unless a name does not say where its given name stands: the whole name may be
        // written backwards.
        assert!(score("Su Chol Kang", "KANG, Chol Su") > 0.85);
        // Katakana writes the given name as one word: where it meets one syllable, its
        // reading went astray, and the name is not cut.
        let (q, c) = (name_keys("チョ・イルウ", None), name_keys("CHO, Il-U", None));
        let alignment = align(&q.readings[0], &default_weights(&q.readings[0]), &c.readings[0], &default_weights(&c.readings[0]));
        assert_eq!(alignment.split_given_name, 0.0);
        // Not syllables: two given names, either of which lists leave out.
        let western = score("John SMITH", "SMITH, John Paul");
        let (q, c) = (name_keys("John SMITH", None), name_keys("SMITH, John Paul", None));
        let alignment = align(&q.readings[0], &default_weights(&q.readings[0]), &c.readings[0], &default_weights(&c.readings[0]));
        assert_eq!(alignment.split_given_name, 0.0);
        assert!(western > 0.75, "{western}");
        // The cut is explained.
        let (q, c) = (name_keys("Ri Ho", None), name_keys("RI, Won Ho", None));
        let alignment = align(&q.readings[0], &default_weights(&q.readings[0]), &c.readings[0], &default_weights(&c.readings[0]));
        assert!(alignment.split_given_name > 0.1, "{}", alignment.split_given_name);
        let taken: f64 = alignment.pairs.iter().map(|p| p.contribution).sum();
        assert!((taken - alignment.coverage).abs() < 1e-9);
    }

    #[test]
    fn missing_tokens_lower_the_score() {
        let partial = score("Kim", "Kim Jong Un");
        assert!(partial < 0.6, "{partial}");
    }

    /// A katakana word whose consonants a Latin one has meets it by ear, shown with the
    /// katakana spelling that was heard so; where Jaro-Winkler finds the two closer than the
    /// key by ear says, its similarity counts (the better of the two).
    #[test]
    fn katakana_meets_latin_by_ear_unless_the_spelling_is_closer() {
        let pair = |a: &str, b: &str| -> TokenPair {
            let (a, b) = (name_keys(a, None), name_keys(b, None));
            let (ra, rb) = (&a.readings[0], &b.readings[0]);
            let alignment = align(ra, &default_weights(ra), rb, &default_weights(rb));
            assert_eq!(alignment.pairs.len(), 1, "{:?}", alignment.pairs);
            alignment.pairs[0].clone()
        };
        for (kana, latin) in [("ジェームズ", "James"), ("テイラー", "Taylor"), ("グリーンバーグ", "Greenberg"), ("シュナイダー", "Schneider")] {
            let p = pair(kana, latin);
            assert_eq!((p.how, p.similarity), (How::ByEar, EAR_SIMILARITY), "{kana} {latin}");
            assert_eq!(ear_key(&p.query_spelling), ear_key(&p.listed_spelling), "{kana}: {}", p.query_spelling);
        }
        // The same consonants, and spellings closer than that (h.st.n; w.gn.r).
        for (kana, latin) in [("ヒューストン", "Houston"), ("ワグナー", "Wagner")] {
            let p = pair(kana, latin);
            assert_eq!(p.how, How::Fuzzy, "{kana} {latin}");
            assert!(p.similarity > EAR_SIMILARITY, "{kana} {latin}: {}", p.similarity);
        }
        // Keys by ear meet only across the two scripts.
        let (a, b) = (name_keys("Greenberg", None), name_keys("Grinbarg", None));
        assert_eq!(ear_key("greenberg"), ear_key("grinbarg"));
        let (ra, rb) = (&a.readings[0], &b.readings[0]);
        assert!(align(ra, &default_weights(ra), rb, &default_weights(rb)).pairs.iter().all(|p| p.how != How::ByEar));
    }

    /// A katakana word that meets a Latin one on a loose key and by ear scores as a loose
    /// meeting on every path: prepared names (directories), `compare` (the pairwise loop).
    #[test]
    fn a_loose_meeting_is_not_raised_by_ear_on_any_path() {
        for (kana, latin) in [("カモリン", "Kamurin"), ("ペク・セボン", "Paek Se Bong")] {
            let prepared = crate::PreparedName::new(kana, None).score(&crate::PreparedName::new(latin, None));
            assert_eq!(prepared, crate::compare(kana, latin, None).score, "{kana} / {latin}");
        }
    }

    /// The query table finds the same equal units as the pairwise loop: the same pairs are
    /// taken and the scores are equal, across scripts, legal forms, numbers and skeletons.
    #[test]
    fn the_query_table_aligns_as_the_pairwise_loop() {
        let pairs = [
            ("中国航空工業集団公司済南特種結構研究所", "中国航空工业集团公司第六二五研究所"),
            ("Joint Stock Company Scientific Research Institute of Radio Engineering Nizhny Novgorod 2", "NIZHNY NOVGOROD RESEARCH INSTITUTE OF RADIO ENGINEERING JSC No 2"),
            ("キム・ジョンウン 金正恩 ピョンヤン 朝鮮 労働党 中央 委員会", "Kim Jong Un Pyongyang Korean Workers Party Central Committee"),
            ("محمد بن عبد الله الحسيني الهاشمي القرشي المكي المدني البغدادي", "Mohammed bin Abdullah al-Husseini al-Hashimi al-Qurashi al-Makki Baghdadi"),
            ("ACME Trading Heavy Industries Electronics Technology Group Co., Ltd. 7", "ACME TRADING HEAVY INDUSTRIES ELECTRONIC TECHNOLOGIES GROUP LIMITED 7"),
            ("ジェームズ・テイラー・ヒューストン・ワグナー・グリーンバーグ", "James Taylor Houston Wagner Greenberg"),
        ];
        let (mut checked, mut met) = (0, 0);
        for (a, b) in pairs {
            let (a, b) = (name_keys(a, None), name_keys(b, None));
            for ra in &a.readings {
                for rb in &b.readings {
                    let (qa, cb) = (Compiled::with_weights(ra, &default_weights(ra)), Compiled::with_weights(rb, &default_weights(rb)));
                    let (q, c) = (qa.view(), cb.view());
                    let Some(table) = QueryTable::new(q) else { continue };
                    let loose = q.meta.has_kana != c.meta.has_kana;
                    let taken = |table: Option<&QueryTable>| {
                        let mut scratch = Scratch::default();
                        let equal = table.map_or(Equal::Pairwise, Equal::Table);
                        let aligned = align_units(&q, equal, &c, loose, &mut scratch, None).expect("complete");
                        let pairs: Vec<(usize, usize, f64)> =
                            scratch.taken.iter().map(|t| (t.query, t.listed, t.meeting.similarity)).collect();
                        (aligned.score, pairs)
                    };
                    let (by_table, pairwise) = (taken(Some(&table)), taken(None));
                    assert_eq!(by_table, pairwise);
                    checked += 1;
                    met += by_table.1.len();
                }
            }
        }
        assert!(checked >= 5 && met >= 20, "{checked} alignments, {met} pairs");
    }

    /// A hostile name of many repeated words, compared with itself: each pair of its units
    /// meets, and the directories keep each pair once without a scan per meeting (which grew
    /// with the fourth power of the length). The score stays in [0, 1].
    #[test]
    fn a_name_of_many_repeated_words_is_compared_in_reasonable_work() {
        let long = vec!["Kim"; 300].join(" ");
        let a = crate::PreparedName::new(&long, None);
        let score = a.score(&crate::PreparedName::new(&long, None));
        assert!((0.0..=1.0).contains(&score) && score > 0.9, "{score}");
    }

    /// Two prepared readings' directories find the same equal units as the pairwise loop:
    /// the same pairs taken at the same similarities, the same scores, across scripts, legal
    /// forms, numbers, skeletons and katakana against Latin.
    #[test]
    fn the_directories_align_as_the_pairwise_loop() {
        let names = [
            "Kim Jong Un",
            "KIM Jong-un",
            "キム・ジョンウン",
            "ペク・セボン",
            "Paek Se Bong",
            "ジェームズ・テイラー・ヒューストン",
            "James Taylor Houston",
            "Sayyid Mohammed al-Husseini",
            "Sayed Muhamad el Husaini",
            "محمد بن عبد الله الحسيني",
            "ACME Trading Co., Ltd. 7",
            "ACME TRADING LIMITED 7",
            "Ocean Star 2",
            "中国航空工業集団公司済南特種結構研究所",
            "中國航空工業集團公司第六二五研究所",
            "Joint Stock Company Scientific Research Institute of Radio Engineering Nizhny Novgorod 2",
            "Kim Kim Kim Kim Kim Kim Kim Kim Kim Kim Kim Kim Jong Jong Jong",
        ];
        // Prepared as lists of names are: each reading with its directory.
        let mut packed = crate::compiled::PackedNames::default();
        for n in names {
            packed.push(&name_keys(n, None).readings);
        }
        let ids: Vec<u32> = (0..packed.len()).flat_map(|name| packed.readings(name)).collect();
        let (mut checked, mut met) = (0, 0);
        for &qa in &ids {
            for &cb in &ids {
                let (q, c) = (packed.reading(qa), packed.reading(cb));
                let (Some(q_dir), Some(c_dir)) = (q.directory, c.directory) else { panic!("no directory") };
                let loose = q.meta.has_kana != c.meta.has_kana;
                let taken = |equal: Equal<'_>| {
                    let mut scratch = Scratch::default();
                    let aligned = align_units(&q, equal, &c, loose, &mut scratch, None).expect("complete");
                    let mut pairs: Vec<(usize, usize, u64)> =
                        scratch.taken.iter().map(|t| (t.query, t.listed, t.meeting.similarity.to_bits())).collect();
                    pairs.sort_unstable();
                    (aligned.score.to_bits(), pairs)
                };
                let (by_directory, pairwise) = (taken(Equal::Directories(q_dir, c_dir)), taken(Equal::Pairwise));
                assert_eq!(by_directory, pairwise);
                // What prepared names are scored by.
                assert_eq!(score_compiled(q, c, loose).to_bits(), pairwise.0);
                checked += 1;
                met += by_directory.1.len();
            }
        }
        assert!(checked >= 400 && met >= 600, "{checked} alignments, {met} pairs");
    }

    /// The bounds that stop an alignment early never drop a score that reaches what is
    /// needed, and a score returned is the exact one: short against long names, Jaro-Winkler
    /// pairs, kanji readings through the query table.
    #[test]
    fn a_bounded_alignment_only_drops_scores_below_the_need() {
        let names = [
            "Kim Jong Un",
            "KIM Jong-un",
            "Mohammed bin Abdullah al-Husseini",
            "Muhamad Abdulla Husaini",
            "Osama bin Laden",
            "Usama bin Ladin",
            "ACME International Trading Company Limited",
            "ACME TRADING",
            "Joint Stock Company Scientific Research Institute of Radio Engineering",
            "中国航空工業集団公司済南特種結構研究所",
            "中国航空工业集团公司第六二五研究所",
            "キム・ジョンウン",
            "Sergei Shoigu",
            "Sergey Shoygu Kuzhugetovich",
        ];
        let prepared: Vec<(NameKeys, Vec<Compiled>)> = names
            .iter()
            .map(|n| {
                let keys = name_keys(n, None);
                let compiled = keys.readings.iter().map(|r| Compiled::with_weights(r, &default_weights(r))).collect();
                (keys, compiled)
            })
            .collect();
        let (mut dropped, mut kept) = (0, 0);
        for (_, a) in &prepared {
            for (_, b) in &prepared {
                for qa in a {
                    let q = qa.view();
                    let table = QueryTable::new(q);
                    for cb in b {
                        let c = cb.view();
                        let loose = q.meta.has_kana != c.meta.has_kana;
                        let exact = score_compiled(q, c, loose);
                        for need in [0.2, 0.5, 0.8, 0.95, exact, exact + 1e-6] {
                            match score_compiled_above((&q, table.as_ref()), &c, loose, need) {
                                Some(score) => {
                                    assert!((score - exact).abs() < 1e-12, "{score} vs {exact}");
                                    kept += 1;
                                }
                                None => {
                                    assert!(exact < need, "{exact} dropped at {need}");
                                    dropped += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(dropped > 100 && kept > 100, "{dropped} dropped, {kept} kept");
    }

    /// The onset bound is at or above every score, including pairs that meet through two
    /// words joined (the second word's own letters may be of no class the other name has),
    /// by loose keys and keys by ear, by skeleton, as legal forms and numbers; and it refuses
    /// pairs (else it would decide nothing).
    #[test]
    fn the_onset_bound_is_at_or_above_every_score() {
        let names = [
            "Kim Jong Un",
            "KIM Jong-un",
            "Kim Jongun",
            "Pak Ui Chun",
            "Bak Uichun",
            "Mohammed bin Abdullah al-Husseini",
            "Muhamad Abdulla Husaini",
            "محمد عبد الله",
            "Osama bin Laden",
            "Usama bin Ladin",
            "Gaddafi Muammar",
            "Qadhafi Moammar",
            "ACME International Trading Company Limited",
            "ACME Trading LLC",
            "Aeroflot 2 Holding",
            "Aeroflot-2 Holding",
            "中国航空工業集団公司済南特種結構研究所",
            "中国航空工业集团公司第六二五研究所",
            "金正恩",
            "キム・ジョンウン",
            "ジェームズ・スミス",
            "James Smith",
            "Sergei Shoigu",
            "Sergey Shoygu Kuzhugetovich",
            "Vladimir Vladimirovich Putin",
            "ウラジーミル・プーチン",
            "김정은",
            "리수용",
            "RI Su Yong",
            "Владимир Путин",
            "Qasim Soleimani",
            "Kasim Suleimani",
        ];
        let compiled: Vec<Compiled> = names
            .iter()
            .flat_map(|n| name_keys(n, None).readings)
            .map(|r| Compiled::with_weights(&r, &default_weights(&r)))
            .collect();
        let (mut refused, mut pairs) = (0, 0);
        for qa in &compiled {
            for cb in &compiled {
                let (q, c) = (qa.view(), cb.view());
                let loose = q.meta.has_kana != c.meta.has_kana;
                let exact = score_compiled(q, c, loose);
                let bound = onset_bound(&q, (c.tokens, &c.meta));
                assert!(exact <= bound + 1e-9, "{exact} above the onset bound {bound}");
                pairs += 1;
                if !may_reach_by_onsets(&q, (c.tokens, &c.meta), 0.5) {
                    refused += 1;
                }
            }
        }
        assert!(refused * 10 > pairs, "{refused} of {pairs} refused at 0.5");
    }

    /// Names longer than the 64 and 128 tokens that the bit sets hold in one word align as
    /// short ones do: every token is marked, and the bounded score agrees with the full one.
    #[test]
    fn very_long_names_align_token_by_token() {
        let word = |i: usize| format!("ka{}{}ro", (b'a' + (i / 26) as u8) as char, (b'a' + (i % 26) as u8) as char);
        let words = |n: usize, changed_from: usize| {
            (0..n).map(|i| if i >= changed_from { format!("zu{}", word(i)) } else { word(i) }).collect::<Vec<_>>().join(" ")
        };
        for n in [70, 140] {
            let (a, b) = (name_keys(&words(n, n), None), name_keys(&words(n, n - 5), None));
            let (ra, rb) = (&a.readings[0], &b.readings[0]);
            assert_eq!(ra.tokens.len(), n, "{n} tokens");
            let same = align(ra, &default_weights(ra), ra, &default_weights(ra));
            assert!((same.score - 1.0).abs() < 1e-9, "{}", same.score);
            assert!(same.unmatched_query.is_empty() && same.unmatched_listed.is_empty());
            let differ = align(ra, &default_weights(ra), rb, &default_weights(rb));
            assert_eq!(differ.unmatched_query, (n - 5..n).collect::<Vec<_>>());
            assert_eq!(differ.unmatched_listed, (n - 5..n).collect::<Vec<_>>());
            let (qa, cb) = (Compiled::with_weights(ra, &default_weights(ra)), Compiled::with_weights(rb, &default_weights(rb)));
            let exact = score_compiled(qa.view(), cb.view(), false);
            assert!((exact - differ.score).abs() < 1e-12 && exact < 1.0, "{exact}");
            let table = QueryTable::new(qa.view());
            for need in [0.5, exact, exact + 1e-6] {
                let bounded = score_compiled_above((&qa.view(), table.as_ref()), &cb.view(), false, need);
                assert!(bounded.is_none_or(|s| s == exact) && (bounded.is_some() || exact < need), "{bounded:?} {exact} {need}");
            }
        }
    }

    #[test]
    fn legal_forms_weigh_little() {
        assert!(score("ACME Trading Co., Ltd.", "ACME Trading Limited") > 0.95);
        assert!(score("ACME Trading", "ACME Trading LLC") > 0.9);
    }
}
