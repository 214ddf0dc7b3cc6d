//! Running the sets through the engine and counting.
//!
//! Screening (per query, name and schema only, options as the CLI's default except that
//! matches below the threshold are kept for ranking):
//! * an **alert** is a match scoring ≥ [`OPERATING_THRESHOLD`];
//! * **recall**: share of cases whose target entity alerts;
//! * **precision**: alerts on the target's party (the target or an entity linked to it) /
//!   all alerts. Alerts on an unlinked record of the same party count as false, so this is a
//!   lower bound; a second figure excuses alerts on exact homonyms of the target's names
//!   (same folded tokens), which no name matcher can tell apart;
//! * **recall@1**: the target is ranked first among the matches once its own party's other
//!   records are set aside (whatever its score);
//! * **candidate recall@k**: the target is among the entities of the best k candidate names
//!   (`index.candidates(query, k)`), for the engine's budget (`CANDIDATE_NAMES`) and for 400;
//! * **clean alert rate**: share of clean names with any alert.
//!
//! Pairs: `compare(a, b, schema)` and its `match` flag (score ≥ threshold) against the label.

use std::time::{Duration, Instant};

use sekisho_match::{OPERATING_THRESHOLD, Query, ScreenOptions, ScreeningIndex, compare};
use serde::Serialize;

use crate::corpus::{Corpus, token_set};
use crate::sets::{CleanName, Pair, ScreenCase};
use crate::split::Split;

/// The engine's candidate budget: the best names it scores in full per query.
pub const ENGINE_CANDIDATES: usize = sekisho_match::CANDIDATE_NAMES;
/// A wider budget, to see what a larger one would find.
pub const WIDE_CANDIDATES: usize = 400;
/// Matches kept per query for ranking (the CLI default; it keeps the engine's budget at 40).
const LIMIT: usize = 10;

#[derive(Debug, Default, Clone, Serialize)]
pub struct ScreenStats {
    pub cases: usize,
    pub found: usize,
    pub top1: usize,
    pub candidates_budget: usize,
    pub candidates_wide: usize,
    pub alerts: usize,
    pub true_alerts: usize,
    /// False alerts on a listed name with exactly the tokens of one of the target's names
    /// (a homonym, or the same party listed twice without evidence to link them).
    pub homonym_alerts: usize,
    pub seconds: f64,
}

impl ScreenStats {
    /// Precision when alerts on exact homonyms of the target are not held against the engine.
    pub fn precision_homonyms_excused(&self) -> f64 {
        ratio(self.true_alerts + self.homonym_alerts, self.alerts)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.cases)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.true_alerts, self.alerts)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    fn add(&mut self, o: &ScreenStats) {
        self.cases += o.cases;
        self.found += o.found;
        self.top1 += o.top1;
        self.candidates_budget += o.candidates_budget;
        self.candidates_wide += o.candidates_wide;
        self.alerts += o.alerts;
        self.true_alerts += o.true_alerts;
        self.homonym_alerts += o.homonym_alerts;
        self.seconds += o.seconds;
    }
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct PairStats {
    pub pairs: usize,
    pub positives: usize,
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub seconds: f64,
}

impl PairStats {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.positives)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    fn add(&mut self, o: &PairStats) {
        self.pairs += o.pairs;
        self.positives += o.positives;
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.seconds += o.seconds;
    }
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct CleanStats {
    pub names: usize,
    pub alerted: usize,
    pub seconds: f64,
}

/// A failure worth studying, written with `--dump-failures` (dev split only).
#[derive(Debug, Serialize)]
pub struct Failure {
    pub kind: &'static str,
    pub set: &'static str,
    pub query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
    /// The best matches (score, id, matched name), alerting or not.
    pub top: Vec<(f64, String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate_rank: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<(String, String, f64, String)>,
}

#[derive(Debug, Serialize)]
pub struct Expected {
    pub id: String,
    pub caption: String,
}

pub struct Outcome {
    /// The slowest screening queries: (seconds, set or clean-name kind, query).
    pub slowest: Vec<(f64, &'static str, String)>,
    pub screen: Vec<(&'static str, ScreenStats)>,
    pub pairs: Vec<(&'static str, PairStats)>,
    pub clean: Vec<(&'static str, CleanStats)>,
    pub failures: Vec<Failure>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { f64::NAN } else { a as f64 / b as f64 }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

fn entry<'a, T: Default>(v: &'a mut Vec<(&'static str, T)>, key: &'static str) -> &'a mut T {
    let i = match v.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            v.push((key, T::default()));
            v.len() - 1
        }
    };
    &mut v[i].1
}

/// Screens every case and clean name and compares every pair, on this thread.
pub fn run(
    corpus: &Corpus,
    index: &ScreeningIndex,
    cases: &[&ScreenCase],
    pairs: &[&Pair],
    clean: &[&CleanName],
    collect_failures: bool,
) -> Outcome {
    let options = ScreenOptions { limit: LIMIT, threshold: 0.0 };
    let mut screen: Vec<(&'static str, ScreenStats)> = Vec::new();
    let mut failures = Vec::new();
    let mut slowest = Vec::new();
    for case in cases {
        let query = Query { name: case.query.clone(), schema: case.schema, ..Query::default() };
        let start = Instant::now();
        let matches = index.screen(&query, &options);
        let elapsed = start.elapsed();
        note_time(&mut slowest, elapsed.as_secs_f64(), case.set, &case.query);
        let target_id = &corpus.entities[case.target].id;
        let same_party = |id: &str| corpus.index_of(id).is_some_and(|j| corpus.same_party(j, case.target));
        let alerts: Vec<_> = matches.iter().filter(|m| m.score >= OPERATING_THRESHOLD).collect();
        let found = alerts.iter().any(|m| &m.entity_id == target_id);
        let true_alerts = alerts.iter().filter(|m| same_party(&m.entity_id)).count();
        let target_names: Vec<_> = corpus.entities[case.target].names.iter().map(|n| token_set(&n.value)).collect();
        let homonym_alerts = alerts
            .iter()
            .filter(|m| !same_party(&m.entity_id) && target_names.contains(&token_set(&m.matched_name)))
            .count();
        let first_other = matches.iter().find(|m| &m.entity_id == target_id || !same_party(&m.entity_id));
        let top1 = first_other.is_some_and(|m| &m.entity_id == target_id);
        let in_budget = index.candidates(&query, ENGINE_CANDIDATES).contains(target_id);
        let rank = index.candidates(&query, WIDE_CANDIDATES).iter().position(|id| id == target_id);
        let s = entry(&mut screen, case.set);
        s.cases += 1;
        s.found += usize::from(found);
        s.top1 += usize::from(top1);
        s.candidates_budget += usize::from(in_budget);
        s.candidates_wide += usize::from(rank.is_some());
        s.alerts += alerts.len();
        s.true_alerts += true_alerts;
        s.homonym_alerts += homonym_alerts;
        s.seconds += elapsed.as_secs_f64();
        let false_alert = true_alerts < alerts.len();
        if collect_failures && case.split == Split::Dev && (!found || !top1 || false_alert) {
            let target = &corpus.entities[case.target];
            let kind = if !found { "missed" } else if false_alert { "false-alert" } else { "not-first" };
            failures.push(Failure {
                kind,
                set: case.set,
                query: case.query.clone(),
                expected: Some(Expected { id: target.id.clone(), caption: target.caption().to_string() }),
                top: matches.iter().take(5).map(|m| (m.score, m.entity_id.clone(), m.matched_name.clone())).collect(),
                candidate_rank: rank,
                pair: None,
            });
        }
    }

    let mut clean_stats: Vec<(&'static str, CleanStats)> = Vec::new();
    for name in clean {
        let query = Query { name: name.name.clone(), schema: Some(name.schema), ..Query::default() };
        let start = Instant::now();
        let matches = index.screen(&query, &ScreenOptions::default());
        let elapsed = start.elapsed();
        note_time(&mut slowest, elapsed.as_secs_f64(), name.kind, &name.name);
        let s = entry(&mut clean_stats, name.kind);
        s.names += 1;
        s.alerted += usize::from(!matches.is_empty());
        s.seconds += elapsed.as_secs_f64();
        if collect_failures && name.split == Split::Dev && !matches.is_empty() {
            failures.push(Failure {
                kind: "clean-alert",
                set: name.kind,
                query: name.name.clone(),
                expected: None,
                top: matches.iter().take(3).map(|m| (m.score, m.entity_id.clone(), m.matched_name.clone())).collect(),
                candidate_rank: None,
                pair: None,
            });
        }
    }

    let mut pair_stats: Vec<(&'static str, PairStats)> = Vec::new();
    for pair in pairs {
        let start = Instant::now();
        let c = compare(&pair.a, &pair.b, pair.schema);
        let elapsed = start.elapsed();
        let s = entry(&mut pair_stats, pair.set);
        s.pairs += 1;
        s.positives += usize::from(pair.label);
        s.tp += usize::from(pair.label && c.is_match);
        s.fp += usize::from(!pair.label && c.is_match);
        s.fn_ += usize::from(pair.label && !c.is_match);
        s.seconds += elapsed.as_secs_f64();
        if collect_failures && pair.split == Split::Dev && pair.label != c.is_match {
            failures.push(Failure {
                kind: if pair.label { "pair-missed" } else { "pair-false-match" },
                set: pair.set,
                query: pair.a.clone(),
                expected: None,
                top: vec![],
                candidate_rank: None,
                pair: Some((pair.a.clone(), pair.b.clone(), c.score, c.explanation.summary.clone())),
            });
        }
    }
    Outcome { slowest, screen, pairs: pair_stats, clean: clean_stats, failures }
}

/// Keeps the ten slowest queries.
fn note_time(slowest: &mut Vec<(f64, &'static str, String)>, seconds: f64, set: &'static str, query: &str) {
    if slowest.len() < 10 || seconds > slowest[slowest.len() - 1].0 {
        slowest.push((seconds, set, query.to_string()));
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        slowest.truncate(10);
    }
}

impl Outcome {
    pub fn screen_total(&self) -> ScreenStats {
        let mut t = ScreenStats::default();
        self.screen.iter().for_each(|(_, s)| t.add(s));
        t
    }
    pub fn pair_total(&self) -> PairStats {
        let mut t = PairStats::default();
        self.pairs.iter().for_each(|(_, s)| t.add(s));
        t
    }
    pub fn clean_total(&self) -> CleanStats {
        let mut t = CleanStats::default();
        for (_, s) in &self.clean {
            t.names += s.names;
            t.alerted += s.alerted;
            t.seconds += s.seconds;
        }
        t
    }

    /// Screening queries per second over cases and clean names (one thread).
    pub fn queries_per_second(&self) -> f64 {
        let s = self.screen_total();
        let c = self.clean_total();
        (s.cases + c.names) as f64 / (s.seconds + c.seconds)
    }

    pub fn to_json(&self, split: &str, build: Duration) -> serde_json::Value {
        let screen = |s: &ScreenStats| {
            serde_json::json!({
                "cases": s.cases, "precision": s.precision(),
                "precision_homonyms_excused": s.precision_homonyms_excused(),
                "queries_per_second": s.cases as f64 / s.seconds, "recall": s.recall(), "f1": s.f1(),
                "recall_at_1": ratio(s.top1, s.cases),
                "candidate_recall_budget": ratio(s.candidates_budget, s.cases),
                "candidate_recall_wide": ratio(s.candidates_wide, s.cases),
                "alerts": s.alerts, "true_alerts": s.true_alerts,
            })
        };
        let pairs = |s: &PairStats| {
            serde_json::json!({
                "pairs": s.pairs, "positives": s.positives, "false_matches": s.fp, "precision": s.precision(),
                "recall": s.recall(), "f1": s.f1(), "pairs_per_second": s.pairs as f64 / s.seconds,
            })
        };
        let clean = |s: &CleanStats| serde_json::json!({"names": s.names, "alerted": s.alerted, "alert_rate": ratio(s.alerted, s.names), "queries_per_second": s.names as f64 / s.seconds});
        serde_json::json!({
            "split": split,
            "threshold": OPERATING_THRESHOLD,
            "index_build_seconds": build.as_secs_f64(),
            "screening": self.screen.iter().map(|(k, s)| (k.to_string(), screen(s))).collect::<serde_json::Map<_, _>>(),
            "screening_overall": screen(&self.screen_total()),
            "queries_per_second": self.queries_per_second(),
            "slowest_queries": self.slowest.iter().map(|(t, set, q)| serde_json::json!({"ms": t * 1e3, "set": set, "query": q})).collect::<Vec<_>>(),
            "clean_names": self.clean.iter().map(|(k, s)| (k.to_string(), clean(s))).collect::<serde_json::Map<_, _>>(),
            "clean_overall": clean(&self.clean_total()),
            "pairs": self.pairs.iter().map(|(k, s)| (k.to_string(), pairs(s))).collect::<serde_json::Map<_, _>>(),
            "pairs_overall": pairs(&self.pair_total()),
        })
    }

    /// The report as a plain-text table.
    pub fn print(&self, split: &str, build: Duration) {
        let pct = |x: f64| if x.is_nan() { "   –  ".to_string() } else { format!("{:6.1}", 100.0 * x) };
        println!("split: {split}   threshold: {OPERATING_THRESHOLD}   index build: {:.1} s", build.as_secs_f64());
        println!();
        println!("screening                  cases  prec%  prec-h%   rec%    F1%  rec@1%  cand@64%  cand@400%    q/s");
        let row = |name: &str, s: &ScreenStats| {
            println!(
                "{name:<24} {:>7} {}   {} {} {}  {}    {}     {}  {:>6.0}",
                s.cases,
                pct(s.precision()),
                pct(s.precision_homonyms_excused()),
                pct(s.recall()),
                pct(s.f1()),
                pct(ratio(s.top1, s.cases)),
                pct(ratio(s.candidates_budget, s.cases)),
                pct(ratio(s.candidates_wide, s.cases)),
                s.cases as f64 / s.seconds,
            );
        };
        for (k, s) in &self.screen {
            row(k, s);
        }
        row("overall", &self.screen_total());
        println!();
        println!("clean names                names  alerted  alert rate%    q/s");
        let crow = |name: &str, s: &CleanStats| {
            let qps = s.names as f64 / s.seconds;
            println!("{name:<24} {:>7}  {:>7}       {}  {qps:>6.0}", s.names, s.alerted, pct(ratio(s.alerted, s.names)));
        };
        for (k, s) in &self.clean {
            crow(k, s);
        }
        crow("overall", &self.clean_total());
        println!();
        println!("screening throughput: {:.0} queries/s (one thread); slowest queries:", self.queries_per_second());
        for (secs, set, query) in self.slowest.iter().take(5) {
            println!("  {:>9.1} ms  {set:<22} {query}", secs * 1e3);
        }
        println!();
        println!("pairs (compare)            pairs   pos  false+  prec%   rec%    F1%   pairs/s");
        let prow = |name: &str, s: &PairStats| {
            println!(
                "{name:<24} {:>7} {:>5} {:>7} {} {} {} {:>9.0}",
                s.pairs,
                s.positives,
                s.fp,
                pct(s.precision()),
                pct(s.recall()),
                pct(s.f1()),
                s.pairs as f64 / s.seconds
            );
        };
        for (k, s) in &self.pairs {
            prow(k, s);
        }
        prow("overall", &self.pair_total());
    }
}
