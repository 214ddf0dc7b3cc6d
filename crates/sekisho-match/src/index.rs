//! The screening index: every name of every listed entity with its keys, an inverted index
//! from keys to names for candidate generation, and token rarity for weights.

use rustc_hash::FxHashMap as HashMap;

use sekisho_model::{Entity, NameKind, PartialDate, Schema};

use crate::compiled::{Compiled, Pool};
use crate::keys::{KeyToken, NameKeys, TokenKind, name_keys};

/// A listed name, prepared. Its readings are kept compiled only: an explanation makes again
/// the one reading it shows (`keys::shown_reading`; [`name_keys`] is deterministic).
pub(crate) struct IndexedName {
    pub entity: u32,
    pub kind: NameKind,
    pub value: String,
    /// The schema its keys were made for.
    pub schema: Schema,
    /// Its readings in the index's pool (with their token weights), in the order of
    /// `name_keys(value, schema)`: ids `first_reading..first_reading + reading_count`.
    first_reading: u32,
    reading_count: u32,
    /// Whether another name shares its readings (same value and schema in another entity).
    pub shared: bool,
}

/// What bounding a candidate name's score needs, kept apart from [`IndexedName`] in a
/// compact array: the candidate stage reads it for every name a query touches.
#[derive(Clone, Copy)]
pub(crate) struct NameBound {
    /// The largest total token weight of the name's readings, and the largest weight of
    /// one of its tokens.
    pub max_weight: f64,
    pub max_token_weight: f64,
    pub schema: Schema,
}

impl IndexedName {
    pub fn readings(&self) -> std::ops::Range<u32> {
        self.first_reading..self.first_reading + self.reading_count
    }

    pub fn reading(&self, i: usize) -> u32 {
        self.first_reading + i as u32
    }
}

pub(crate) struct IndexedEntity {
    pub id: String,
    pub source: String,
    pub schema: Schema,
    pub caption: String,
    pub countries: Vec<String>,
    pub birth_dates: Vec<PartialDate>,
    /// Identifier values, upper-case letters and digits only.
    pub identifiers: Vec<(String, String)>,
}

/// Builds a [`ScreeningIndex`] from list entities: `build(&entities)` at once, or `add`
/// batch by batch (e.g. one list snapshot at a time, so that only what screening needs is
/// held) and then `finish`.
#[derive(Default)]
pub struct ScreeningIndexBuilder {
    threads: Option<usize>,
    names: Vec<(u32, NameKind, String, Schema)>,
    entities: Vec<IndexedEntity>,
}
/// An immutable index over the listed names; `Send + Sync`, share it with an `Arc`.
pub struct ScreeningIndex {
    pub(crate) entities: Vec<IndexedEntity>,
    pub(crate) names: Vec<IndexedName>,
    /// Per name, as `names`.
    pub(crate) bounds: Vec<NameBound>,
    /// The compiled readings of all names.
    pub(crate) pool: Pool,
    /// Per reading of the pool: the weight of its tokens that may meet a query's where the
    /// postings do not show it (see [`unseen_weight`]).
    pub(crate) unseen: Vec<f32>,
    /// Per reading of the pool: how many readings back the same name has one with the same
    /// content (0: none), which aligns alike with any query reading.
    pub(crate) repeats: Vec<u8>,
    terms: HashMap<Box<str>, u32>,
    /// Term id → the names holding it, each once: first the names of one reading as plain
    /// ids, from `multi_from[term]` on the names of several readings, each with the readings
    /// that hold the term (see [`Postings`]).
    postings: Vec<Vec<u32>>,
    multi_from: Vec<u32>,
    posting: Postings,
    /// Typo-tolerant candidates (symmetric deletion): hashes of the one-letter deletions of
    /// phonetic keys, sorted, and beside each the id of the term it comes from.
    deletion_hashes: Vec<u64>,
    deletion_terms: Vec<u32>,
    /// Where the deletion hashes with each value of their top [`BUCKET_BITS`] bits begin:
    /// the hashes are uniform, so a lookup searches a run of a few entries.
    deletion_buckets: Vec<u32>,
}

/// Bits of a deletion hash that choose its bucket (2¹⁶ buckets: 256 KB).
const BUCKET_BITS: u32 = 16;
/// Terms shorter than this get no deletion neighbourhood: too many collisions.
const MIN_FUZZY_TERM: usize = 4;
/// What a typo-neighbour term adds to a candidate's rough score, relative to an exact one.
const TYPO_STRENGTH: f64 = 0.7;
/// What a loose-key term (katakana against Latin) adds to a candidate's rough score.
const LOOSE_STRENGTH: f64 = 0.9;
/// The strength classes of a query token's terms, strongest first: exact, loose, typo.
const STRENGTHS: [f64; 3] = [1.0, LOOSE_STRENGTH, TYPO_STRENGTH];
const EXACT: u64 = 0;
const LOOSE: u64 = 1;
const TYPO: u64 = 2;

fn term_class(id: u32, class: u64) -> u64 {
    u64::from(id) << 2 | class
}

/// A typo-neighbour term held by more names than this finds no candidates.
const MAX_TYPO_POSTINGS: usize = 300;

/// How a posting entry holds a name id and, in its low [`READING_BITS`] bits, which of the
/// name's readings hold the term (bit `i`: reading `i`; the last bit also any reading after
/// it), so that the candidate stage knows which listed readings a query met (a kanji name has
/// five, and a Latin query mostly meets one of them). Once built, only the entries of names
/// with several readings keep the bits (see [`ScreeningIndex::split_postings`]). An index of
/// more names than the high bits hold keeps plain ids, and every reading counts as met.
#[derive(Clone, Copy)]
struct Postings {
    /// How far an entry is shifted right to give the name id.
    shift: u32,
    /// Set in every candidate's readings met (all of them in an index of plain ids).
    fill: u8,
}

const READING_BITS: u32 = 8;

impl Postings {
    fn for_names(names: usize) -> Postings {
        if names <= 1 << (32 - READING_BITS) {
            Postings { shift: READING_BITS, fill: 0 }
        } else {
            Postings { shift: 0, fill: u8::MAX }
        }
    }

    /// The entry of a name for a term held by its reading `r`.
    fn entry(self, name: u32, r: usize) -> u32 {
        if self.shift == 0 { name } else { name << self.shift | 1 << r.min(READING_BITS as usize - 1) }
    }
}

/// Whether a candidate's listed reading `r` holds a term that a query token hit (see [`Postings`]).
pub(crate) fn reading_hit(listed: u8, r: usize) -> bool {
    listed & 1 << r.min(READING_BITS as usize - 1) != 0
}

impl ScreeningIndexBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Threads used to prepare names (default: all cores).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads.max(1));
        self
    }

    pub fn build(mut self, entities: &[Entity]) -> ScreeningIndex {
        self.add(entities);
        self.finish()
    }

    /// Takes what screening needs from these entities.
    pub fn add(&mut self, entities: &[Entity]) {
        for e in entities {
            let entity = self.entities.len() as u32;
            let start = self.names.len();
            for n in &e.names {
                if !self.names[start..].iter().any(|(_, _, v, _)| *v == n.value) {
                    self.names.push((entity, n.kind, n.value.clone(), e.schema));
                }
            }
            let mut countries = e.countries.clone();
            countries.extend(e.nationalities.iter().cloned());
            self.entities.push(IndexedEntity {
                id: e.id.clone(),
                source: e.provenance.source.clone(),
                schema: e.schema,
                caption: e.caption().to_string(),
                countries,
                birth_dates: e.birth_dates.clone(),
                identifiers: e
                    .identifiers
                    .iter()
                    .map(|id| (format!("{:?}", id.kind), normalize_identifier(&id.value)))
                    .filter(|(_, v)| v.len() >= 4)
                    .collect(),
            });
        }
    }

    pub fn finish(self) -> ScreeningIndex {
        let threads = self.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let mut index = ScreeningIndex {
            entities: self.entities,
            names: Vec::with_capacity(self.names.len()),
            bounds: Vec::with_capacity(self.names.len()),
            pool: Pool::default(),
            unseen: Vec::new(),
            repeats: Vec::new(),
            terms: HashMap::default(),
            postings: Vec::new(),
            multi_from: Vec::new(),
            posting: Postings::for_names(self.names.len()),
            deletion_hashes: Vec::new(),
            deletion_terms: Vec::new(),
            deletion_buckets: Vec::new(),
        };
        let mut terms = BuildTerms::default();
        // Lists repeat each other's names (the CSL holds the SDN's): a name with the value and
        // schema of an earlier one shares its compiled readings, which are the same, so that
        // a screening aligns them once (see `best_name`).
        let mut shared: HashMap<(&str, Schema), (u32, u32)> = HashMap::default();
        // Names are prepared a chunk at a time, so that the full keys of only two chunks are
        // held at once: the index keeps the compiled readings alone. The next chunk is
        // prepared while this one's terms go into the index.
        let chunks: Vec<_> = self.names.chunks(PREPARE_CHUNK).collect();
        std::thread::scope(|scope| {
            let prepare = |k: usize| chunks.get(k).map(|&chunk| scope.spawn(move || prepare_parallel(chunk, threads)));
            let mut next = prepare(0);
            for (k, chunk) in chunks.iter().enumerate() {
                let prepared = next.take().map_or_else(Vec::new, |h| h.join().expect("name preparation does not panic"));
                next = prepare(k + 1);
                for ((entity, kind, value, schema), (keys, readings)) in chunk.iter().zip(prepared) {
                    let name_id = index.names.len() as u32;
                    index.add_terms(&keys, name_id, &mut terms);
                    let (first_reading, reading_count) = *shared.entry((value.as_str(), *schema)).or_insert_with(|| {
                        let first = index.pool.len() as u32;
                        for reading in &readings {
                            index.pool.push(reading);
                        }
                        (first, readings.len() as u32)
                    });
                    index.names.push(IndexedName {
                        entity: *entity,
                        kind: *kind,
                        value: value.clone(),
                        schema: *schema,
                        first_reading,
                        reading_count,
                        shared: false,
                    });
                }
            }
        });
        index.split_postings();
        let mut term_text: Vec<&str> = vec![""; index.terms.len()];
        for (term, &id) in &index.terms {
            term_text[id as usize] = term;
        }
        let mut deletion_index: Vec<(u64, u32)> = Vec::with_capacity(terms.fuzzy.len() * 8);
        // Each term with one byte deleted (terms are ASCII), written into one buffer: a
        // string allocated per deletion was a quarter of the build's instructions.
        let mut deleted = String::new();
        for id in terms.fuzzy {
            let term = term_text[id as usize];
            for i in deletable(term) {
                write_deletion(&mut deleted, term, i);
                deletion_index.push((hash_term(&deleted), id));
            }
        }
        deletion_index.sort_unstable();
        deletion_index.dedup();
        index.deletion_hashes = deletion_index.iter().map(|&(h, _)| h).collect();
        index.deletion_terms = deletion_index.iter().map(|&(_, id)| id).collect();
        drop(deletion_index);
        index.deletion_buckets = (0..=1u64 << BUCKET_BITS)
            .map(|bucket| index.deletion_hashes.partition_point(|&h| (h >> (64 - BUCKET_BITS)) < bucket) as u32)
            .collect();
        // Rarity is known once every name is in: now the listed readings get their weights.
        let mut weight_terms = terms.weight.into_iter();
        let mut weights: Vec<f64> = Vec::new();
        for i in 0..index.names.len() {
            let (mut max_weight, mut max_token_weight): (f64, f64) = (0.0, 0.0);
            for reading in index.names[i].readings() {
                weights.clear();
                for t in index.pool.tokens(reading) {
                    let df = weight_terms.next().flatten().map_or(0, |id| index.postings[id as usize].len());
                    weights.push(t.rule.apply(index.rarity(df)));
                }
                index.pool.set_weights(reading, &weights);
                max_weight = max_weight.max(index.pool.total_weight(reading));
                max_token_weight = weights.iter().copied().fold(max_token_weight, f64::max);
            }
            index.bounds.push(NameBound { max_weight, max_token_weight, schema: index.names[i].schema });
        }
        // How many names hold each first reading (a name without readings shares nothing).
        let mut holders = vec![0u8; index.pool.len()];
        for name in index.names.iter().filter(|n| n.reading_count > 0) {
            let n = &mut holders[name.first_reading as usize];
            *n = n.saturating_add(1);
        }
        for name in index.names.iter_mut().filter(|n| n.reading_count > 0) {
            name.shared = holders[name.first_reading as usize] > 1;
        }
        index.unseen = (0..index.pool.len() as u32).map(|r| unseen_weight(index.pool.reading(r)) as f32).collect();
        index.repeats = vec![0; index.pool.len()];
        for name in &index.names {
            for (i, r) in name.readings().enumerate().skip(1) {
                let reading = index.pool.reading(r);
                let back = (1..=i.min(usize::from(u8::MAX))).find(|&back| index.pool.reading(r - back as u32).same_content(&reading));
                index.repeats[r as usize] = back.map_or(0, |b| b as u8);
            }
        }
        index.pool.shrink();
        index
    }
}

/// The weight of a listed reading's tokens that may meet a query's without the candidate stage
/// seeing it: words that may meet by Jaro-Winkler or consonant skeleton (not posted), and
/// legal forms (not looked up). The rest (Han syllables, short words, numbers) meet only
/// by an equal spelling or key, which the postings hold; but a query of several words skips
/// the lists of common terms (see `candidate_names`), and what those would have shown is
/// left, like the Jaro-Winkler partners of query words, to `PRUNE_SLACK` (checked on the
/// golden output and the evaluation, not proven).
fn unseen_weight(reading: crate::compiled::Reading<'_>) -> f64 {
    use crate::compiled::UnitKind;
    let mut syllable = vec![false; reading.tokens.len()];
    for unit in reading.units.iter().filter(|u| u.han_syllable()) {
        syllable[unit.start()] = true;
    }
    let mut unseen = vec![false; reading.tokens.len()];
    for unit in reading.units {
        let syllables = unit.tokens().all(|t| syllable[t]);
        let fuzzy = ((unit.key_onsets | unit.spelling_onsets) != 0 && !syllables) || unit.skeleton().is_some();
        if fuzzy || unit.kind == UnitKind::LegalForm {
            unseen[unit.tokens()].iter_mut().for_each(|u| *u = true);
        }
    }
    reading.tokens.iter().zip(&unseen).filter(|(_, u)| **u).map(|(t, _)| t.weight).sum()
}

/// Names prepared at once when building: enough to keep both cores busy, few enough that
/// their full keys take little memory.
const PREPARE_CHUNK: usize = 4096;

/// What building the terms collects for later steps.
#[derive(Default)]
struct BuildTerms {
    /// Terms that get a deletion neighbourhood (typo-tolerant candidates).
    fuzzy: Vec<u32>,
    /// The term each listed token's rarity is read from, in name, reading, token order.
    weight: Vec<Option<u32>>,
}

/// The term a token's rarity is read from: its first key, else its first spelling.
fn weight_term(token: &crate::keys::KeyToken) -> Option<&str> {
    token.keys.first().or(token.spellings.first()).map(String::as_str)
}

/// Name keys and compiled readings for all names, on `threads` threads.
fn prepare_parallel(names: &[(u32, NameKind, String, Schema)], threads: usize) -> Vec<(NameKeys, Vec<Compiled>)> {
    let prepare = |value: &str, schema: Schema| {
        let keys = name_keys(value, Some(schema));
        let readings = keys
            .readings
            .iter()
            .map(|r| {
                Compiled::new(r)
            })
            .collect();
        (keys, readings)
    };
    let chunk = names.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|(_, _, v, s)| prepare(v, *s)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("name preparation does not panic")).collect()
    })
}

pub(crate) fn normalize_identifier(value: &str) -> String {
    value.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// One name's accumulators in the candidate stage, side by side so that a posting touches
/// one cache line, not four arrays.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// The token that last hit the name, so that a name counts once per token.
    stamp: u32,
    /// Its score within the current query reading and its best score over the readings so
    /// far; which is which, [`Scratch::current`] says. Both are 0 until hit (every hit adds
    /// a positive score).
    scores: [f32; 2],
    /// The query reading that gave the best score.
    best_reading: u8,
    /// Beside the scores: the tokens of the current reading that hit the name, and the most
    /// of any reading so far (each meaningful while its score is not 0).
    hits: [u8; 2],
    /// The name's readings that any query token hit (see [`Postings`]; names of several
    /// readings only): meaningful while a score is not 0.
    listed: u8,
}

/// Per-thread accumulators for the candidate stage, as long as the index has names.
#[derive(Default)]
struct Scratch {
    slots: Vec<Slot>,
    token: u32,
    /// Which of a slot's two scores belongs to the current reading (the other is the best):
    /// the first reading's scores become the best ones by swapping roles, not by copying.
    current: usize,
    /// Names with a best score, and names hit in the current reading.
    touched: Vec<u32>,
    reading_touched: Vec<u32>,
    /// Per entity, 1 + its group among the candidates being grouped (0 outside grouping).
    entity_group: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Scratch {
    fn prepare(&mut self, names: usize, entities: usize) {
        if self.slots.len() != names || self.entity_group.len() != entities {
            *self = Scratch { slots: vec![Slot::default(); names], entity_group: vec![0; entities], ..Scratch::default() };
        }
    }

    fn next_token(&mut self) {
        self.token = self.token.wrapping_add(1);
        if self.token == 0 {
            self.slots.iter_mut().for_each(|s| s.stamp = 0);
            self.token = 1;
        }
    }

    /// Adds `score` to the current reading of every name in `list` that the current token
    /// has not hit yet.
    fn hit_all(&mut self, lists: (&[u32], &[u32]), score: f32) {
        hit_all(&mut self.slots, &mut self.reading_touched, lists, self.token, self.current, score);
    }

    fn end_reading(&mut self, reading: usize) {
        let reading_id = reading.min(usize::from(u8::MAX)) as u8;
        let (current, best) = (self.current, 1 - self.current);
        let slots = &mut self.slots[..];
        if self.touched.is_empty() {
            // No name has a best score yet (the first reading of a query): this reading's
            // scores become the best ones as they are, and the best ones (all 0) the
            // current ones.
            std::mem::swap(&mut self.touched, &mut self.reading_touched);
            for &name in &self.touched {
                slots[name as usize].best_reading = reading_id;
            }
            self.current = best;
            return;
        }
        for &name in &self.reading_touched {
            let slot = &mut slots[name as usize];
            if slot.scores[best] == 0.0 {
                self.touched.push(name);
                slot.hits[best] = 0;
            }
            slot.hits[best] = slot.hits[best].max(slot.hits[current]);
            if slot.scores[current] > slot.scores[best] {
                slot.scores[best] = slot.scores[current];
                slot.best_reading = reading_id;
            }
            slot.scores[current] = 0.0;
        }
        self.reading_touched.clear();
    }

    /// The best `budget` names hit that `keep` accepts (given the name and its best score),
    /// best first; leaves the accumulators clean.
    fn take(&mut self, budget: usize, mut keep: impl FnMut(u32, f64) -> bool) -> Vec<Candidate> {
        let best = 1 - self.current;
        let slots = &mut self.slots[..];
        let mut ranked: Vec<u64> = Vec::with_capacity(self.touched.len());
        for &name in &self.touched {
            let slot = &mut slots[name as usize];
            let rough = std::mem::take(&mut slot.scores[best]);
            if keep(name, f64::from(rough)) {
                ranked.push(rank_key(name, rough));
            }
        }
        self.touched.clear();
        if ranked.len() > budget {
            ranked.select_nth_unstable(budget);
            ranked.truncate(budget);
        }
        ranked.sort_unstable();
        // `best_reading`, the best `hits` and `listed` stay valid: they are written whenever a
        // best score leaves 0 (`listed` when a score leaves 0).
        ranked
            .into_iter()
            .map(|key| {
                let name = key as u32;
                let slot = &slots[name as usize];
                Candidate { name, reading: slot.best_reading, rough: rank_rough(key), hits: slot.hits[best], listed: slot.listed }
            })
            .collect()
    }

    /// Candidates (best first) grouped by entity in one pass: entities in the order of their
    /// best name, each entity's names in their order.
    fn group(&mut self, ranked: Vec<Candidate>, entity_of: impl Fn(u32) -> u32) -> CandidateGroups {
        let mut entities: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
        let group_of: Vec<u32> = ranked
            .iter()
            .map(|c| {
                let entity = entity_of(c.name);
                let slot = &mut self.entity_group[entity as usize];
                if *slot == 0 {
                    entities.push((entity, 0..0));
                    *slot = entities.len() as u32;
                }
                let group = *slot - 1;
                entities[group as usize].1.end += 1;
                group
            })
            .collect();
        // Sizes become ranges; each range's end then walks forward as its names are placed.
        let mut start = 0;
        for (entity, range) in &mut entities {
            self.entity_group[*entity as usize] = 0;
            let len = range.end;
            *range = start..start;
            start += len;
        }
        let mut names = ranked.clone();
        for (candidate, group) in ranked.into_iter().zip(group_of) {
            let range = &mut entities[group as usize].1;
            names[range.end] = candidate;
            range.end += 1;
        }
        CandidateGroups { names, entities }
    }
}

/// Candidate names grouped by entity, entities ordered by their best name, each entity's
/// names best first.
pub(crate) struct CandidateGroups {
    names: Vec<Candidate>,
    entities: Vec<(u32, std::ops::Range<usize>)>,
}

impl CandidateGroups {
    pub fn groups(&self) -> impl Iterator<Item = (u32, &[Candidate])> {
        self.entities.iter().map(|(entity, range)| (*entity, &self.names[range.clone()]))
    }
}

/// The candidate stage's innermost loop, on its own so that its few values stay in
/// registers: adds `score` to score `current` of every name in a list not yet hit by `token`.
/// The list comes in two parts: names of one reading (plain ids), and names of several with
/// the readings that hold the term, which the slot collects (see [`Postings`]). The second
/// part is empty when the index has no room for reading bits (`Postings::shift` 0).
#[inline(never)]
fn hit_all(slots: &mut [Slot], touched: &mut Vec<u32>, (plain, multi): (&[u32], &[u32]), token: u32, current: usize, score: f32) {
    for &name in plain {
        hit(slots, touched, name, token, current, score);
    }
    for &entry in multi {
        let name = entry >> READING_BITS;
        let slot = &mut slots[name as usize];
        // The query's first hit on the name (both scores 0) sets its readings, later ones add.
        let first = slot.scores == [0.0; 2];
        slot.listed = (if first { 0 } else { slot.listed }) | entry as u8;
        hit(slots, touched, name, token, current, score);
    }
}

#[inline(always)]
fn hit(slots: &mut [Slot], touched: &mut Vec<u32>, name: u32, token: u32, current: usize, score: f32) {
    let slot = &mut slots[name as usize];
    if slot.stamp != token {
        slot.stamp = token;
        if slot.scores[current] == 0.0 {
            touched.push(name);
            slot.hits[current] = 1;
        } else {
            slot.hits[current] = slot.hits[current].saturating_add(1);
        }
        slot.scores[current] += score;
    }
}

/// A key whose order is best score first, then lower name id: scores are positive, and
/// positive floats order as their bits.
fn rank_key(name: u32, rough: f32) -> u64 {
    (u64::from(!rough.to_bits()) << 32) | u64::from(name)
}

/// The rough score inside a [`rank_key`].
fn rank_rough(key: u64) -> f32 {
    f32::from_bits(!((key >> 32) as u32))
}

/// A candidate name, the query reading that reached it and its rough score there, the
/// most tokens of a query reading that hit it, and which of its readings they hit (see
/// [`reading_hit`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub name: u32,
    pub reading: u8,
    pub rough: f32,
    pub hits: u8,
    pub listed: u8,
}

/// Of a name with several readings (a kanji name), what each reading's pairs of adjacent
/// words are when joined, as the alignment joins them (every spelling with every spelling,
/// key with key: `compiled::joined`). Only the first keys joined are posted, so that the
/// posting of a joined term can say which readings a query word equal to it meets.
struct JoinedTerms(Vec<rustc_hash::FxHashSet<String>>);

impl JoinedTerms {
    fn of(keys: &NameKeys) -> JoinedTerms {
        if keys.readings.len() < 2 {
            return JoinedTerms(Vec::new());
        }
        let concat = |x: &str, y: &str| [x, y].concat();
        let reading_terms = |reading: &crate::keys::NameReading| {
            let mut terms = rustc_hash::FxHashSet::default();
            for pair in reading.tokens.windows(2).filter(|p| p.iter().all(|t| t.kind == TokenKind::Word)) {
                let (x, y) = (&pair[0], &pair[1]);
                terms.extend(crate::compiled::joined(&x.spellings, &y.spellings, concat));
                terms.extend(crate::compiled::joined(&x.keys, &y.keys, concat));
                let loose = crate::compiled::joined(&x.loose_keys(), &y.loose_keys(), crate::translit::kana::join_loose);
                terms.extend(loose.iter().map(|l| loose_term(l)));
            }
            terms
        };
        JoinedTerms(keys.readings.iter().map(reading_terms).collect())
    }

    /// The readings that have this joined term.
    fn readings<'a>(&'a self, term: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.0.iter().enumerate().filter(move |(_, terms)| terms.contains(term)).map(|(r, _)| r)
    }
}

/// Loose keys live in their own corner of the term table.
fn loose_term(key: &str) -> String {
    let mut term = String::new();
    write_loose_term(&mut term, key);
    term
}

/// Writes a loose key's term into `buffer` (its old content goes).
fn write_loose_term(buffer: &mut String, key: &str) {
    buffer.clear();
    buffer.push('~');
    buffer.push_str(key);
}

/// The bytes of a term that a deletion may take: all of them, since terms and keys are
/// ASCII; the character-boundary check keeps a stray other character safe.
fn deletable(term: &str) -> impl Iterator<Item = usize> + '_ {
    (0..term.len()).filter(|&i| term.is_char_boundary(i) && term.is_char_boundary(i + 1))
}

/// Writes `term` without its byte `i` into `buffer` (its old content goes).
fn write_deletion(buffer: &mut String, term: &str, i: usize) {
    buffer.clear();
    buffer.push_str(&term[..i]);
    buffer.push_str(&term[i + 1..]);
}

fn hash_term(term: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(term.as_bytes());
    h.finish()
}

impl ScreeningIndex {
    /// Puts a listed name in the postings of each of its terms: spellings, keys, loose keys
    /// and adjacent words joined.
    fn add_terms(&mut self, keys: &NameKeys, name_id: u32, terms: &mut BuildTerms) {
        let joined_in = JoinedTerms::of(keys);
        let mut buffer = String::new();
        for (r, reading) in keys.readings.iter().enumerate() {
            // Each token's loose keys once (a token's and its next one's are both read).
            let loose_keys: Vec<Vec<String>> = reading.tokens.iter().map(KeyToken::loose_keys).collect();
            let entry = self.posting.entry(name_id, r);
            let posting = self.posting;
            let joined = |term: &str| joined_in.readings(term).fold(entry, |e, r| e | posting.entry(name_id, r));
            for (i, token) in reading.tokens.iter().enumerate() {
                if matches!(token.kind, TokenKind::LegalForm(_)) {
                    terms.weight.push(None);
                    continue;
                }
                for term in &token.spellings {
                    self.add_posting(term, entry);
                }
                for term in &token.keys {
                    let (id, new) = self.add_posting(term, entry);
                    if new && term.len() >= MIN_FUZZY_TERM {
                        terms.fuzzy.push(id);
                    }
                }
                terms.weight.push(weight_term(token).and_then(|t| self.terms.get(t).copied()));
                let loose = &loose_keys[i];
                for key in loose {
                    write_loose_term(&mut buffer, key);
                    self.add_posting(&buffer, entry);
                }
                // Adjacent tokens joined ("jong un" → "jongun") so that a query writing
                // them as one word finds the name.
                if let Some(next) = reading.tokens.get(i + 1).filter(|t| t.kind == TokenKind::Word) {
                    if let (Some(a), Some(b)) = (token.keys.first(), next.keys.first()) {
                        let term = [a.as_str(), b.as_str()].concat();
                        let (id, new) = self.add_posting(&term, joined(&term));
                        if new {
                            terms.fuzzy.push(id);
                        }
                    }
                    if let (Some(a), Some(b)) = (loose.first(), loose_keys[i + 1].first()) {
                        let term = loose_term(&crate::translit::kana::join_loose(a, b));
                        self.add_posting(&term, joined(&term));
                    }
                }
            }
        }
    }

    /// Adds a name's posting entry to a term's postings (or its reading to the name's entry
    /// there); returns the term id and whether the term is new.
    fn add_posting(&mut self, term: &str, entry: u32) -> (u32, bool) {
        let next = self.terms.len() as u32;
        let id = match self.terms.get(term) {
            Some(&id) => id,
            None => {
                self.terms.insert(term.into(), next);
                self.postings.push(Vec::new());
                next
            }
        };
        let list = &mut self.postings[id as usize];
        let shift = self.posting.shift;
        match list.last_mut() {
            Some(last) if *last >> shift == entry >> shift => *last |= entry,
            _ => list.push(entry),
        }
        (id, id == next)
    }

    /// Puts each term's names of one reading first, as plain ids, and its names of several
    /// readings after them with their reading bits (see [`Postings`]): the candidate stage
    /// reads the bits only where a name has readings to tell apart.
    fn split_postings(&mut self) {
        let shift = self.posting.shift;
        self.multi_from = Vec::with_capacity(self.postings.len());
        let mut multi = Vec::new();
        for list in &mut self.postings {
            multi.clear();
            list.retain(|&entry| {
                let several = shift != 0 && self.names[(entry >> shift) as usize].reading_count > 1;
                if several {
                    multi.push(entry);
                }
                !several
            });
            list.iter_mut().for_each(|entry| *entry >>= shift);
            self.multi_from.push(list.len() as u32);
            list.extend_from_slice(&multi);
        }
    }

    /// Term ids whose deletion neighbourhood holds this hash.
    fn deletion_hits(&self, hash: u64) -> &[u32] {
        let bucket = (hash >> (64 - BUCKET_BITS)) as usize;
        let Some(&[from, to]) = self.deletion_buckets.get(bucket..bucket + 2) else { return &[] };
        let run = &self.deletion_hashes[from as usize..to as usize];
        let start = run.partition_point(|&h| h < hash);
        let len = run[start..].iter().take_while(|&&h| h == hash).count();
        let start = from as usize + start;
        &self.deletion_terms[start..start + len]
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// How many names hold the term.
    fn document_frequency(&self, term: &str) -> usize {
        self.terms.get(term).map_or(0, |&id| self.postings[id as usize].len())
    }

    /// A token's base weight from the number of names holding it: rare tokens weigh more
    /// (inverse document frequency, scaled into [0.3, 1.3]).
    fn rarity(&self, df: usize) -> f64 {
        let n = self.names.len().max(1) as f64;
        0.3 + ((n + 1.0) / (df as f64 + 1.0)).ln() / (n + 1.0).ln()
    }

    /// Token weights for a reading: its rarity, then the rules of [`crate::score::token_weight`].
    pub(crate) fn weights(&self, reading: &crate::keys::NameReading) -> Vec<f64> {
        (0..reading.tokens.len())
            .map(|i| {
                let df = weight_term(&reading.tokens[i]).map_or(0, |t| self.document_frequency(t));
                crate::score::token_weight(reading, i, self.rarity(df))
            })
            .collect()
    }

    /// Candidate names for a query, with a rough score: the summed weights of the query
    /// tokens that hit each name (typo hits count 0.7), best reading of the query.
    ///
    /// Bounded work: a term held by very many names is used only when the query has no other
    /// token, and a typo-neighbour term only when it is rare, so that one common word or
    /// syllable cannot pull in half the index. Scores accumulate in a per-thread array indexed
    /// by name, not in hash maps: common tokens touch thousands of names.
    ///
    /// Returns the best `budget` names that `keep` accepts (given the name and its rough
    /// score), by entity, entities ordered by their best name; best first means higher rough
    /// score, then lower name id.
    pub(crate) fn candidate_names(
        &self,
        query: &NameKeys,
        query_weights: &[Vec<f64>],
        budget: usize,
        keep: impl FnMut(u32, f64) -> bool,
    ) -> CandidateGroups {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            scratch.prepare(self.names.len(), self.entities.len());
            let common = (self.names.len() / 20).max(2000);
            // Per term of a token: its id and the class of its strength (see `STRENGTHS`),
            // as `id << 2 | class`, so that sorting puts each id's strongest class first.
            let mut term_ids: Vec<u64> = Vec::new();
            // Loose terms and one-letter deletions are spelled here, one at a time.
            let mut buffer = String::new();
            for (r, (reading, weights)) in query.readings.iter().zip(query_weights).enumerate() {
                let word_tokens = reading.tokens.iter().filter(|t| !matches!(t.kind, TokenKind::LegalForm(_))).count();
                for (token, &weight) in reading.tokens.iter().zip(weights) {
                    if matches!(token.kind, TokenKind::LegalForm(_)) {
                        continue;
                    }
                    term_ids.clear();
                    for term in token.spellings.iter().chain(&token.keys) {
                        if let Some(&id) = self.terms.get(term.as_str()) {
                            term_ids.push(term_class(id, EXACT));
                        }
                    }
                    for loose in &token.loose_keys() {
                        write_loose_term(&mut buffer, loose);
                        if let Some(&id) = self.terms.get(buffer.as_str()) {
                            term_ids.push(term_class(id, LOOSE));
                        }
                    }
                    for key in token.keys.iter().filter(|k| k.len() >= MIN_FUZZY_TERM) {
                        // The key is a listed key with one letter lost, or has one letter
                        // more, or both lost one (a substitution or transposition).
                        term_ids.extend(self.deletion_hits(hash_term(key)).iter().map(|&id| term_class(id, TYPO)));
                        for i in deletable(key) {
                            write_deletion(&mut buffer, key, i);
                            if let Some(&id) = self.terms.get(buffer.as_str()) {
                                term_ids.push(term_class(id, TYPO));
                            }
                            term_ids.extend(self.deletion_hits(hash_term(&buffer)).iter().map(|&id| term_class(id, TYPO)));
                        }
                    }
                    // Each term once, at its best strength: the names of a term met again at a
                    // lower strength all count already (and its list is no shorter).
                    term_ids.sort_unstable();
                    term_ids.dedup_by_key(|t| *t >> 2);
                    // Strongest terms first: a name counts once per token, at its best strength.
                    scratch.next_token();
                    for (class, strength) in STRENGTHS.into_iter().enumerate() {
                        let limit = if strength < 1.0 { MAX_TYPO_POSTINGS } else { common };
                        let score = (strength * weight) as f32;
                        for &t in term_ids.iter().filter(|&&t| (t & 3) as usize == class) {
                            let (term, list) = ((t >> 2) as usize, &self.postings[(t >> 2) as usize]);
                            if list.len() > limit && word_tokens > 1 {
                                continue;
                            }
                            scratch.hit_all(list.split_at(self.multi_from[term] as usize), score);
                        }
                    }
                }
                scratch.end_reading(r);
            }
            let mut ranked = scratch.take(budget, keep);
            // A name of one reading was met there (its entries hold no reading bits).
            for c in &mut ranked {
                c.listed |= if self.names[c.name as usize].reading_count > 1 { self.posting.fill } else { u8::MAX };
            }
            scratch.group(ranked, |name| self.names[name as usize].entity)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sekisho_model::{Entity, NameKind, Schema};

    fn index(names: &[(&str, Schema)]) -> ScreeningIndex {
        let entities: Vec<Entity> = names
            .iter()
            .enumerate()
            .map(|(i, (name, schema))| {
                let mut e = Entity::new(&format!("e{i}"), *schema, "test", "t");
                e.add_name(name, NameKind::Primary);
                e
            })
            .collect();
        ScreeningIndexBuilder::new().threads(1).build(&entities)
    }

    /// A kanji name that reads alike in several systems (here one legal form) is aligned once
    /// against a query that is not Han; one whose syllables differ by system is not a repeat.
    #[test]
    fn readings_alike_in_several_systems_are_marked_as_repeats() {
        let index = index(&[("株式会社", Schema::Organization), ("中央銀行", Schema::Organization)]);
        let repeats = |name: usize| index.names[name].readings().map(|r| index.repeats[r as usize]).collect::<Vec<_>>();
        assert_eq!(repeats(0), [0, 1, 1, 1, 1]);
        assert_eq!(repeats(1), [0, 0, 0, 0, 0]);
    }

    /// The candidate stage counts how many tokens of a query reading hit each name, which bounds
    /// how much of the name they can meet.
    #[test]
    fn candidates_count_the_query_tokens_that_hit_them() {
        let index = index(&[("ALPHA BRAVO CHARLIE", Schema::Organization), ("ALPHA DELTA ECHO", Schema::Organization)]);
        let query = name_keys("ALPHA BRAVO ZULU", Some(Schema::Organization));
        let weights: Vec<Vec<f64>> = query.readings.iter().map(|r| index.weights(r)).collect();
        let groups = index.candidate_names(&query, &weights, 10, |_, _| true);
        let hits: Vec<(u32, u8)> = groups.groups().flat_map(|(_, names)| names.iter().map(|c| (c.name, c.hits))).collect();
        assert_eq!(hits, [(0, 2), (1, 1)]);
    }

    /// The candidate stage says which readings of a kanji name the query's words met: 丹東
    /// reads dan dong in Mandarin and (among its spellings) in Korean, not in kun readings
    /// (aka higashi). The Korean pair meets only on spellings joined that are not posted, so
    /// the posting of the joined Mandarin key names it too.
    #[test]
    fn candidates_know_which_readings_of_a_name_were_met() {
        let index = index(&[("丹東会社", Schema::Organization)]);
        let name = &index.names[0];
        let via = |r: usize| index.pool.reading(name.reading(r)).meta.via;
        let (mandarin, korean, kun) = (0, 2, 4);
        assert_eq!(
            [via(mandarin), via(korean), via(kun)],
            [crate::keys::Via::HanMandarin, crate::keys::Via::HanKorean, crate::keys::Via::HanJapaneseKun]
        );
        let query = name_keys("Dandong Technical Corporation", Some(Schema::Organization));
        let weights: Vec<Vec<f64>> = query.readings.iter().map(|r| index.weights(r)).collect();
        let groups = index.candidate_names(&query, &weights, 10, |_, _| true);
        let listed: Vec<u8> = groups.groups().flat_map(|(_, names)| names.iter().map(|c| c.listed)).collect();
        assert_eq!(listed.len(), 1);
        assert!(reading_hit(listed[0], mandarin) && reading_hit(listed[0], korean));
        assert!(!reading_hit(listed[0], kun));
        // The next query starts clean: it meets the kun reading alone.
        let query = name_keys("Akahigashi Corporation", Some(Schema::Organization));
        let weights: Vec<Vec<f64>> = query.readings.iter().map(|r| index.weights(r)).collect();
        let groups = index.candidate_names(&query, &weights, 10, |_, _| true);
        let listed: Vec<u8> = groups.groups().flat_map(|(_, names)| names.iter().map(|c| c.listed)).collect();
        assert_eq!(listed.len(), 1);
        assert!(reading_hit(listed[0], kun) && !reading_hit(listed[0], mandarin) && !reading_hit(listed[0], korean));
    }
}
