//! Screening a query against the index, and comparing two names.

use serde::Serialize;
use sekisho_model::{NameKind, PartialDate, Schema};

use crate::compiled::{Compiled, Meta, PackedNames, Reading};
use crate::explain::{Explanation, Feature, explain, round};
use crate::index::{Candidate, CandidateGroups, IndexedEntity, ScreeningIndex, normalize_identifier, reading_hit};
use crate::keys::{NameKeys, NameReading, name_keys, shown_reading};
use crate::score::{Alignment, QueryTable, align_compiled, default_weights, score_compiled, score_compiled_above};

/// What a user screens: a name, and what else they know about the party.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub name: String,
    pub schema: Option<Schema>,
    /// ISO-2 country code.
    pub country: Option<String>,
    pub birth_date: Option<PartialDate>,
    /// Passport, registration, IMO or other numbers; an equal one is decisive.
    pub identifiers: Vec<String>,
}

impl Query {
    pub fn name(name: &str) -> Query {
        Query { name: name.to_string(), ..Query::default() }
    }
}

#[derive(Debug, Clone)]
pub struct ScreenOptions {
    pub limit: usize,
    pub threshold: f64,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions { limit: 10, threshold: crate::OPERATING_THRESHOLD }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub entity_id: String,
    pub source: String,
    pub schema: Schema,
    /// The entity's primary name.
    pub caption: String,
    /// The listed name that matched best.
    pub matched_name: String,
    pub name_kind: NameKind,
    pub score: f64,
    pub explanation: Explanation,
}

/// Score of a weak alias relative to a strong name: lists flag them as too vague to stand alone.
const WEAK_ALIAS_FACTOR: f64 = 0.9;
const COUNTRY_MATCH: f64 = 0.03;
const COUNTRY_CONFLICT: f64 = -0.05;
const BIRTH_DATE_MATCH: f64 = 0.05;
const BIRTH_DATE_CONFLICT: f64 = -0.15;
/// An equal identifier is decisive: the score becomes at least this.
const IDENTIFIER_MATCH_SCORE: f64 = 0.99;
/// Candidate names scored in full per query (at least; more when the limit is high).
pub const CANDIDATE_NAMES: usize = 64;
/// How far below the threshold a candidate's score bound may lie and still be scored.
const PRUNE_SLACK: f64 = 0.2;
/// How far below what a Han name needs its alignment in the reading system that reached it
/// may end and its other reading systems still be aligned (chosen on the dev split).
const OTHER_HAN_SYSTEMS_MARGIN: f64 = 0.15;

/// Two names in Han characters are compared reading system by reading system (pinyin with
/// pinyin, Korean with Korean); mixing systems only finds coincidences and costs time.
fn readings_comparable(a: &Meta, b: &Meta) -> bool {
    let (a, b) = (a.via, b.via);
    !(a.is_han() && b.is_han()) || a == b
}

/// Whether a query of schema `q` may match a listed entity of schema `e`.
pub fn schemas_compatible(q: Schema, e: Schema) -> bool {
    use Schema::*;
    q == e
        || (q.is_organisation() && e.is_organisation())
        || (q == LegalEntity && e == Person)
        || (e == LegalEntity && q == Person)
}

/// The alignments of shared readings in one screening so far, by listed reading, query
/// reading and the score needed: names that lists repeat share their readings (see the
/// index), so a reading met again under another entity is not aligned again.
#[derive(Default)]
struct AlignMemo(rustc_hash::FxHashMap<(u32, usize, u64), Option<f64>>);

/// An entity's best name for a query: which query reading met which listed reading.
struct Best {
    entity: u32,
    score: f64,
    name: u32,
    query: usize,
    listed: usize,
    /// Whether katakana and Latin words may meet on loose keys in this comparison.
    loose: bool,
}

impl ScreeningIndex {
    /// Matches at or above `options.threshold`, best first, at most `options.limit`.
    ///
    /// Candidates are scored on compiled readings; only the matches returned are explained.
    pub fn screen(&self, query: &Query, options: &ScreenOptions) -> Vec<Match> {
        let keys = name_keys(&query.name, query.schema);
        let weights: Vec<Vec<f64>> = keys.readings.iter().map(|r| self.weights(r)).collect();
        let budget = CANDIDATE_NAMES.max(options.limit * 8);
        let floor = options.threshold - PRUNE_SLACK;
        let compiled: Vec<Compiled> = keys.readings.iter().zip(&weights).map(|(r, w)| Compiled::with_weights(r, w)).collect();
        let compiled: Vec<Reading<'_>> = compiled.iter().map(Compiled::view).collect();
        let tables: Vec<Option<QueryTable>> = compiled.iter().map(|&r| QueryTable::new(r)).collect();
        let compiled: Vec<(Reading<'_>, Option<&QueryTable>)> = compiled.iter().copied().zip(tables.iter().map(Option::as_ref)).collect();
        let reportable = lowest_reportable_name_score(query, options.threshold);
        let candidates = self.ranked_candidates(query, &keys, &weights, budget, floor);
        let mut memo = AlignMemo::default();
        let mut scored: Vec<(Best, f64, Vec<Feature>)> = candidates
            .groups()
            .filter_map(|(entity, names)| self.best_name(entity, names, &compiled, reportable, &query.name, &mut memo))
            .filter_map(|best| {
                let features = entity_features(&self.entities[best.entity as usize], query);
                // Reported scores are rounded; the threshold applies to what is reported.
                let score = round(final_score(best.score, &features));
                (score >= options.threshold).then_some((best, score, features))
            })
            .collect();
        let id = |b: &Best| &self.entities[b.entity as usize].id;
        // Among equal scores, a name written as the query is first, then names in the query's
        // own script (キム・ジョンウン listed in katakana before KIM JONG UN): they met letter
        // for letter, not by reading or translation.
        // (false sorts first)
        let not_verbatim = |b: &Best| !written_as(&self.names[b.name as usize].value, &query.name);
        scored.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| not_verbatim(&a.0).cmp(&not_verbatim(&b.0)))
                .then_with(|| a.0.loose.cmp(&b.0.loose))
                .then_with(|| id(&a.0).cmp(id(&b.0)))
        });
        scored.truncate(options.limit);
        // Lists repeat each other's names (the CSL holds the SDN's), so the listed reading that
        // an explanation shows is made once per name, schema and reading.
        let mut shown: Vec<(&str, Schema, usize, NameReading)> = Vec::new();
        scored
            .into_iter()
            .map(|(best, score, features)| {
                let name = &self.names[best.name as usize];
                let same = |(value, schema, li, _): &(&str, Schema, usize, NameReading)| {
                    *value == name.value && *schema == name.schema && *li == best.listed
                };
                let k = shown.iter().position(same).unwrap_or_else(|| {
                    // The index compiled this reading from the same name, so it is there; the
                    // full keys are the fallback should the two ever disagree.
                    let reading = shown_reading(&name.value, Some(name.schema), best.listed).unwrap_or_else(|| {
                        name_keys(&name.value, Some(name.schema)).readings.swap_remove(best.listed)
                    });
                    shown.push((&name.value, name.schema, best.listed, reading));
                    shown.len() - 1
                });
                self.explained_match(&best, score, features, &keys, compiled[best.query].0, &shown[k].3)
            })
            .collect()
    }
    /// The entities the candidate stage proposes for a query, best first, from the best
    /// `budget` candidate names (for measuring the candidate stage's recall on its own; the
    /// screening budget is [`CANDIDATE_NAMES`]).
    pub fn candidates(&self, query: &Query, budget: usize) -> Vec<String> {
        let keys = name_keys(&query.name, query.schema);
        let weights: Vec<Vec<f64>> = keys.readings.iter().map(|r| self.weights(r)).collect();
        self.ranked_candidates(query, &keys, &weights, budget, 0.0)
            .groups()
            .map(|(e, _)| self.entities[e as usize].id.clone())
            .collect()
    }

    /// The best `budget` candidate names of compatible schema whose score could reach
    /// `floor`, grouped by entity, entities ordered by their best name.
    ///
    /// The bound: a name's score is at most (matched query weight + matched listed weight) /
    /// (query weight + listed weight). The candidate stage's rough score estimates the
    /// matched query weight; each query token meets at most two listed tokens (joined), so
    /// the matched listed weight is at most twice the query's tokens times the name's
    /// heaviest token, and at most its own weight. Typo matches the candidate stage missed
    /// and entity features are what [`PRUNE_SLACK`] leaves room for.
    fn ranked_candidates(
        &self,
        query: &Query,
        keys: &NameKeys,
        weights: &[Vec<f64>],
        budget: usize,
        floor: f64,
    ) -> CandidateGroups {
        let query_weight = weights.iter().map(|w| w.iter().sum::<f64>()).fold(f64::INFINITY, f64::min);
        let query_tokens = keys.readings.iter().map(|r| r.tokens.len()).max().unwrap_or(0) as f64;
        let (twice_query_tokens, bounds, schema) = (2.0 * query_tokens, &self.bounds[..], query.schema);
        self.candidate_names(keys, weights, budget, move |name, rough| {
            let b = &bounds[name as usize];
            let bound = score_bound(rough, query_weight, twice_query_tokens * b.max_token_weight, b.max_weight);
            bound >= floor && schema.is_none_or(|q| schemas_compatible(q, b.schema))
        })
    }

    /// The best of an entity's candidate names for the query. A name in Han characters is
    /// aligned reading system by reading system; any other name only with the query reading
    /// that reached it in the candidate stage (金正恩's Korean reading for KIM JONG UN, not its
    /// four others). Among equal scores, the name written exactly as the query (`verbatim`)
    /// is the best: the reader sees the name they typed.
    ///
    /// Name scores below `reportable` cannot be reported: such readings are not aligned in full.
    ///
    /// A Han name reached through a Han reading of a query without kana is aligned in that
    /// reading system first, and in its other systems only when that came within
    /// [`OTHER_HAN_SYSTEMS_MARGIN`] of what the name needs: long kanji names otherwise cost up
    /// to five alignments each, most far below the threshold. Not exact (another system may
    /// score higher), so the margin is checked against the evaluation and the golden output.
    ///
    /// Before aligning a pair, [`may_reach`] judges it from the candidate stage (most pairs of
    /// a long query end far below what is reportable), reading by reading: the candidate stage
    /// says which of the name's readings the query's words met ([`reading_hit`]). Not exact: a
    /// reading can meet a query word in ways the postings do not show: Han syllables joined
    /// met by Jaro-Winkler (LIMON ≈ 鯉明, rimyong), a term skipped as common, a typo list past
    /// its limit. Measured on the golden output (3 of 26,879 names lose a match below 0.8,
    /// none at or above). A listed reading that repeats an
    /// earlier one of the name (the index's `repeats`) is not aligned again with a query
    /// reading that met the earlier one.
    fn best_name(
        &self,
        entity: u32,
        names: &[Candidate],
        query: &[(Reading<'_>, Option<&QueryTable>)],
        reportable: f64,
        verbatim: &str,
        memo: &mut AlignMemo,
    ) -> Option<Best> {
        // (A listed reading's view is made only for an alignment: most readings are decided
        // from their meta.)
        let mut align = |qi: usize, reading: u32, shared: bool, loose: bool, need: f64| {
            let score = || score_compiled_above((&query[qi].0, query[qi].1), &self.pool.reading(reading), loose, need);
            if shared { *memo.0.entry((reading, qi, need.to_bits())).or_insert_with(score) } else { score() }
        };
        let mut best: Option<Best> = None;
        for candidate in names {
            let name_id = candidate.name;
            let name = &self.names[name_id as usize];
            let factor = if name.kind == NameKind::WeakAlias { WEAK_ALIAS_FACTOR } else { 1.0 };
            let loose_with = |listed: &Meta| query.iter().any(|(q, _)| q.meta.has_kana != listed.has_kana);
            // Only a score above the entity's best so far, and one that can be reported, matters.
            let need = |best: &Option<Best>| best.as_ref().map_or(reportable, |b| b.score.max(reportable)) / factor;
            let qi_reached = usize::from(candidate.reading);
            // What the listed side can have met of the query tokens that hit the name.
            let seen = 2.0 * f64::from(candidate.hits) * self.bounds[name_id as usize].max_token_weight;
            // A listed reading that no query token hit (mostly a kanji name's other reading
            // systems against a Latin query) can meet only what the postings do not show: its
            // unseen weight, and query words left to `PRUNE_SLACK`.
            let may_reach = |qi: usize, (li, reading): (usize, u32), listed: &Meta| {
                let unseen = f64::from(self.unseen[reading as usize]);
                let (rough, listed_matched) =
                    if reading_hit(candidate.listed, li) { (f64::from(candidate.rough), seen + unseen) } else { (0.0, unseen) };
                may_reach(&query[qi].0.meta, listed, rough, listed_matched, reportable)
            };
            // Kana read alike in every system: for a query with kana the system that reached
            // the candidate says little (セソン技術貿易 met 彗星貿易会社 in another), so all are aligned.
            let reached_via = query.get(qi_reached).filter(|(q, _)| q.meta.via.is_han() && !q.meta.has_kana).map(|(q, _)| q.meta.via);
            // (Only a reading the query's words met: one the bound skips has not fallen short.)
            let li_reached = reached_via
                .and_then(|via| name.readings().position(|r| self.pool.meta(r).via == via))
                .filter(|&li| reading_hit(candidate.listed, li));
            let first = li_reached.map(|li| {
                let reading = name.reading(li);
                let listed = self.pool.meta(reading);
                let need = need(&best) - OTHER_HAN_SYSTEMS_MARGIN;
                if !may_reach(qi_reached, (li, reading), listed) {
                    return None;
                }
                align(qi_reached, reading, name.shared, loose_with(listed), need)
            });
            let other_han_systems = first.is_none_or(|score| score.is_some());
            for (li, reading) in name.readings().enumerate() {
                let listed = self.pool.meta(reading);
                let loose = loose_with(listed);
                // A reading the same as an earlier one of the name met this query reading there.
                let repeat = li.checked_sub(usize::from(self.repeats[reading as usize])).filter(|&earlier| earlier < li);
                let reached = |qi: usize, listed: &Meta| listed.via.is_han() || qi_reached == qi;
                for (qi, &(q, _)) in query.iter().enumerate() {
                    if !reached(qi, listed) || !readings_comparable(&q.meta, listed) {
                        continue;
                    }
                    // (Han query readings meet only their own system: the earlier one was another.)
                    if !q.meta.via.is_han()
                        && repeat.is_some_and(|earlier| reached(qi, self.pool.meta(name.reading(earlier))))
                    {
                        continue;
                    }
                    let score = if li_reached == Some(li) && qi == qi_reached {
                        first.flatten()
                    } else if !other_han_systems && q.meta.via.is_han() && listed.via.is_han() {
                        None
                    } else {
                        if !may_reach(qi, (li, reading), listed) {
                            continue;
                        }
                        align(qi, reading, name.shared, loose, need(&best))
                    };
                    let Some(score) = score else { continue };
                    let score = score * factor;
                    // Among the entity's equal scores, the name written as the query is the one
                    // to show (the same rule orders entities, in `screen`).
                    let better = |b: &Best| {
                        score > b.score
                            || (score == b.score
                                && written_as(&name.value, verbatim)
                                && !written_as(&self.names[b.name as usize].value, verbatim))
                    };
                    if best.as_ref().is_none_or(better) {
                        best = Some(Best { entity, score, name: name_id, query: qi, listed: li, loose });
                    }
                }
            }
        }
        best
    }

    /// A match with its explanation, given the listed reading that matched as a reader sees
    /// it ([`shown_reading`]).
    fn explained_match(
        &self,
        best: &Best,
        score: f64,
        entity_features: Vec<Feature>,
        keys: &NameKeys,
        query: Reading<'_>,
        listed: &NameReading,
    ) -> Match {
        let e = &self.entities[best.entity as usize];
        let name = &self.names[best.name as usize];
        let q_reading = &keys.readings[best.query];
        let alignment =
            align_compiled((query, q_reading), (self.pool.reading(name.reading(best.listed)), listed), best.loose);
        // Name features are already inside best.score (weak alias) or the alignment's score
        // (order, first name, numbers); they are listed to explain it. Entity features add.
        let mut features = name_features(name.kind, &alignment);
        features.extend(entity_features);
        Match {
            entity_id: e.id.clone(),
            source: e.source.clone(),
            schema: e.schema,
            caption: e.caption.clone(),
            matched_name: name.value.clone(),
            name_kind: name.kind,
            score,
            explanation: explain(q_reading, listed, &alignment, features),
        }
    }
}

/// Whether a listed name is written exactly as the query (spaces around aside).
fn written_as(listed: &str, query: &str) -> bool {
    listed.trim() == query.trim()
}

/// The lowest name score that can still be reported at `threshold` for this query: the
/// entity features can add at most a country and a birth date match, and reported scores are
/// rounded to three decimals. An identifier can make any name decisive, so with one every
/// score counts.
fn lowest_reportable_name_score(query: &Query, threshold: f64) -> f64 {
    if !query.identifiers.is_empty() {
        return f64::NEG_INFINITY;
    }
    let country = if query.country.is_some() { COUNTRY_MATCH } else { 0.0 };
    let birth = if query.birth_date.is_some() { BIRTH_DATE_MATCH } else { 0.0 };
    threshold - country - birth - 0.001
}

/// Whether a query reading may reach a `reportable` score against a candidate's listed
/// reading, judged from the candidate stage before aligning them (most alignments of a long
/// query end far below it). The bound of [`ScreeningIndex::ranked_candidates`] with what is
/// known of this pair: its readings' weights, and at most `listed_matched` of the listed
/// weight met (what the query tokens that hit the name can meet, and what the postings
/// cannot show). Query tokens the candidate stage does not see meet (Jaro-Winkler, joined
/// words) are what [`PRUNE_SLACK`] leaves room for, so it is measured against what can be
/// reported, not an entity's best so far.
fn may_reach(query: &Meta, listed: &Meta, rough: f64, listed_matched: f64, reportable: f64) -> bool {
    let total = query.total_weight + listed.total_weight;
    total <= 0.0 || score_bound(rough, query.total_weight, listed_matched, listed.total_weight) + PRUNE_SLACK >= reportable
}

/// At most what a name can score: `matched` of the query's `query_weight` met, and at most
/// `listed_matched` (never more than all) of the listed `listed_weight`.
fn score_bound(matched: f64, query_weight: f64, listed_matched: f64, listed_weight: f64) -> f64 {
    (matched + listed_weight.min(listed_matched)) / (query_weight + listed_weight)
}

/// A name score with the entity features added: an equal identifier is decisive.
fn final_score(name_score: f64, features: &[Feature]) -> f64 {
    let effect: f64 = features.iter().map(|f| f.effect).sum();
    let score = (name_score + effect).clamp(0.0, 1.0);
    if features.iter().any(|f| f.feature == "identifier") { score.max(IDENTIFIER_MATCH_SCORE) } else { score }
}

/// Features that come from the name itself (kind, order, numbers), recorded for the reader.
/// The order and number rules are already inside the name score; the effect shown is theirs.
fn name_features(kind: NameKind, alignment: &Alignment) -> Vec<Feature> {
    let mut features = Vec::new();
    if kind == NameKind::WeakAlias {
        features.push(Feature {
            feature: "weak_alias",
            effect: round(-(1.0 - WEAK_ALIAS_FACTOR) * alignment.score),
            detail: "matched a weak alias, which the list marks as too vague to rely on alone".into(),
        });
    }
    if alignment.order_penalty > 0.0 {
        features.push(Feature {
            feature: "order",
            effect: round(-alignment.order_penalty * alignment.coverage),
            detail: "the tokens appear in another order".into(),
        });
    }
    if alignment.first_name_conflict {
        features.push(Feature {
            feature: "first_name",
            effect: round(-(1.0 - crate::score::FIRST_NAME_CONFLICT_FACTOR) * alignment.score),
            detail: "the first names differ: another member of the same family?".into(),
        });
    }
    if alignment.split_given_name > 0.0 {
        features.push(Feature {
            feature: "given_name_in_part",
            // The pairs' shares already count those syllables at half: shown, not added.
            effect: 0.0,
            detail: "only part of a given name written in syllables met (서연 or Won Ho is one name): those syllables count at half".into(),
        });
    }
    if let Some((q, l)) = &alignment.number_conflict {
        features.push(Feature { feature: "numbers", effect: 0.0, detail: format!("numbers differ: {q} vs {l} (score halved)") });
    }
    features
}

fn entity_features(e: &IndexedEntity, query: &Query) -> Vec<Feature> {
    let mut features = Vec::new();
    if let Some(country) = &query.country
        && !e.countries.is_empty() {
            let country = country.to_ascii_uppercase();
            if e.countries.contains(&country) {
                features.push(Feature { feature: "country", effect: COUNTRY_MATCH, detail: format!("{country} is a listed country") });
            } else {
                features.push(Feature {
                    feature: "country",
                    effect: COUNTRY_CONFLICT,
                    detail: format!("{country} is not among the listed countries ({})", e.countries.join(", ")),
                });
            }
        }
    if let Some(date) = &query.birth_date
        && !e.birth_dates.is_empty() {
            if let Some(listed) = e.birth_dates.iter().find(|d| d.agrees_with(date)) {
                features.push(Feature { feature: "birth_date", effect: BIRTH_DATE_MATCH, detail: format!("{date} agrees with listed {listed}") });
            } else {
                let listed: Vec<String> = e.birth_dates.iter().map(|d| d.to_string()).collect();
                features.push(Feature {
                    feature: "birth_date",
                    effect: BIRTH_DATE_CONFLICT,
                    detail: format!("{date} conflicts with listed {}", listed.join(", ")),
                });
            }
        }
    for id in &query.identifiers {
        let id = normalize_identifier(id);
        if let Some((kind, value)) = e.identifiers.iter().find(|(_, v)| *v == id) {
            features.push(Feature { feature: "identifier", effect: 0.0, detail: format!("{kind} {value} is listed (decisive)") });
        }
    }
    features
}

/// The result of comparing two names.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    pub explanation: Explanation,
}

/// A name prepared once for many comparisons without an index (token weights equal, legal
/// forms light): folding and transliteration happen here, not per pair. To compare lists of
/// names, [`PreparedNames`] keeps a whole list in a few arrays, which reads faster.
pub struct PreparedName {
    /// The name alone.
    packed: PackedNames,
}

impl PreparedName {
    pub fn new(name: &str, schema: Option<Schema>) -> PreparedName {
        let mut packed = PackedNames::default();
        packed.push(&name_keys(name, schema).readings);
        PreparedName { packed }
    }

    /// The score [`compare`] gives, without its explanation.
    pub fn score(&self, other: &PreparedName) -> f64 {
        packed_score((&self.packed, 0), (&other.packed, 0))
    }
}

/// Names prepared once, together, for comparing one list of names with another (token
/// weights equal, legal forms light): each scores as [`PreparedName`] does, but the list's
/// names lie in order in a few arrays, so that walking through it reads memory forward
/// instead of from a dozen small allocations per name.
pub struct PreparedNames {
    packed: PackedNames,
}

impl PreparedNames {
    pub fn new<'n>(names: impl IntoIterator<Item = &'n str>, schema: Option<Schema>) -> PreparedNames {
        let mut packed = PackedNames::default();
        for name in names {
            packed.push(&name_keys(name, schema).readings);
        }
        packed.shrink();
        PreparedNames { packed }
    }

    pub fn len(&self) -> usize {
        self.packed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packed.len() == 0
    }

    /// The score of its `i`-th name against the `j`-th of `other` (as [`compare`] gives it).
    /// Panics if either is out of range.
    pub fn score(&self, i: usize, other: &PreparedNames, j: usize) -> f64 {
        packed_score((&self.packed, i), (&other.packed, j))
    }
}

/// The score of two packed names, rounded as reported.
fn packed_score((a, i): (&PackedNames, usize), (b, j): (&PackedNames, usize)) -> f64 {
    // Names that share no key and no string that may be close enough score 0.
    if !a.sketch(i).may_meet(&b.sketch(j)) {
        return 0.0;
    }
    let (x, y) = (a.readings(i), b.readings(j));
    let best = best(x.len(), |k| a.reading(x.start + k as u32), y.len(), |k| b.reading(y.start + k as u32));
    best.map_or(0.0, |(score, ..)| round(score))
}

/// The name score of two names' readings (`None` when either has nothing to compare), and
/// which readings (their positions) gave it.
fn best<'a, 'b>(
    a_len: usize,
    a: impl Fn(usize) -> Reading<'a>,
    b_len: usize,
    b: impl Fn(usize) -> Reading<'b>,
) -> Option<(f64, usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    for i in 0..a_len {
        for j in 0..b_len {
            let (p, q) = (a(i), b(j));
            if !readings_comparable(&p.meta, &q.meta) {
                continue;
            }
            let score = score_compiled(p, q, p.meta.has_kana != q.meta.has_kana);
            if best.is_none_or(|best| score > best.0) {
                best = Some((score, i, j));
            }
        }
    }
    best
}

/// Compares two names of the given schema without an index (token weights equal, legal
/// forms light). Symmetric: compare(a, b) and compare(b, a) score the same.
pub fn compare(a: &str, b: &str, schema: Option<Schema>) -> Comparison {
    // Without directories and sketches, which repay their building only over many comparisons.
    let (a, b) = (name_keys(a, schema), name_keys(b, schema));
    let compile = |k: &NameKeys| -> Vec<Compiled> { k.readings.iter().map(|r| Compiled::with_weights(r, &default_weights(r))).collect() };
    let (ca, cb) = (compile(&a), compile(&b));
    match best(ca.len(), |i| ca[i].view(), cb.len(), |j| cb[j].view()) {
        Some((_, i, j)) => {
            let (ra, rb) = (&a.readings[i], &b.readings[j]);
            let (va, vb) = (ca[i].view(), cb[j].view());
            let alignment = align_compiled((va, ra), (vb, rb), va.meta.has_kana != vb.meta.has_kana);
            let features = name_features(NameKind::Primary, &alignment);
            // The match flag follows the score as reported, so that 0.800 is a match.
            let score = round(alignment.score);
            Comparison {
                score,
                is_match: score >= crate::OPERATING_THRESHOLD,
                explanation: explain(ra, rb, &alignment, features),
            }
        }
        None => Comparison {
            score: 0.0,
            is_match: false,
            explanation: Explanation {
                summary: "nothing to compare: a name has no letters or digits".into(),
                tokens: vec![],
                unmatched_query: vec![],
                unmatched_listed: vec![],
                name_score: 0.0,
                features: vec![],
            },
        },
    }
}
