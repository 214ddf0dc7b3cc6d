//! The evaluation sets, built deterministically from a [`Corpus`] at run time.
//!
//! Three kinds of item:
//! * [`ScreenCase`]: a query name and the listed entity it must find (screening).
//! * [`Pair`]: two names with a label, same party or not (`compare`).
//! * [`CleanName`]: a name that belongs to nobody listed and must not alert.
//!
//! Sets (rules in detail in EVALUATION.md):
//! * `un-original-script`: each UN NAME_ORIGINAL_SCRIPT name → its UN entry; pairs
//!   (original script, Latin primary name).
//! * `mof-katakana`: each MOF katakana name → its MOF entry; pairs (katakana, English).
//! * `mof-katakana-linked`: the same katakana names → the same party's entries on other
//!   lists (see [`crate::corpus`] for the links); pairs (katakana, that entry's primary name).
//! * `cross-list-variants`: one list's primary name → the same party's entry on another
//!   list, when no name of that entry folds to the query; pairs of that primary name and
//!   the other entry's first Latin name sharing a token with it, when they fold differently.
//! * `negatives`: hard non-matching pairs: two persons of one list sharing one distinctive
//!   name token, two organisations of one list sharing their first word, and the katakana or
//!   original-script name of one such person against the Latin name of the other.
//! * `clean-names`: given names and family names of listed persons recombined (Latin from
//!   OFAC's "FAMILY, Given" names, katakana from MOF, Arabic script from UN original-script
//!   names), organisation head words joined to other organisations' tails, each checked
//!   unlisted: no listed name of any entity contains all of its folded tokens.

use std::collections::{BTreeSet, HashMap, HashSet};

use sekisho_match::normalize::fold;
use sekisho_model::{Entity, NameKind, Schema, Script, dominant_script};

use crate::corpus::{Corpus, token_set};
use crate::split::{Split, fnv1a};

pub const SCREEN_SETS: [&str; 4] = ["un-original-script", "mof-katakana", "mof-katakana-linked", "cross-list-variants"];
pub const PAIR_SETS: [&str; 5] =
    ["un-original-script", "mof-katakana", "mof-katakana-linked", "cross-list-variants", "negatives"];

/// Clean names wanted per script; the builder stops there or when the pools run out.
const CLEAN_TARGETS: [(&str, usize); 4] =
    [("latin-person", 6_000), ("latin-organisation", 3_000), ("katakana-person", 1_500), ("arabic-person", 1_500)];
/// Negative pairs drawn per shared token at most, so that common names do not dominate.
const NEGATIVES_PER_TOKEN: usize = 1;

#[derive(Debug, Clone)]
pub struct ScreenCase {
    pub set: &'static str,
    pub split: Split,
    pub query: String,
    pub schema: Option<Schema>,
    /// Index of the entity that must be found.
    pub target: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Pair {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    pub a: String,
    pub b: String,
    pub label: bool,
    pub set: &'static str,
    pub split: Split,
}

#[derive(Debug, Clone)]
pub struct CleanName {
    pub split: Split,
    pub name: String,
    pub kind: &'static str,
    pub schema: Schema,
}

pub struct Sets {
    pub cases: Vec<ScreenCase>,
    pub pairs: Vec<Pair>,
    pub clean: Vec<CleanName>,
}

/// The schema a user would give with a query for a party like `e`: none for the DPL's
/// person-or-company `LegalEntity`.
pub fn query_schema(schema: Schema) -> Option<Schema> {
    (schema != Schema::LegalEntity).then_some(schema)
}

impl Sets {
    pub fn build(corpus: &Corpus) -> Sets {
        let mut b = Builder { corpus, cases: Vec::new(), pairs: Vec::new(), seen_pairs: HashSet::new() };
        b.un_original_script();
        b.mof_katakana();
        b.cross_list_variants();
        b.negatives();
        let clean = clean_names(corpus);
        Sets { cases: b.cases, pairs: b.pairs, clean }
    }
}

struct Builder<'a> {
    corpus: &'a Corpus,
    cases: Vec<ScreenCase>,
    pairs: Vec<Pair>,
    seen_pairs: HashSet<(String, String)>,
}

impl Builder<'_> {
    fn split_of(&self, i: usize) -> Split {
        Split::of(self.corpus.party_key(i))
    }

    fn case(&mut self, set: &'static str, query: &str, target: usize) {
        let split = self.split_of(target);
        let schema = query_schema(self.corpus.entities[target].schema);
        self.cases.push(ScreenCase { set, split, query: query.to_string(), schema, target });
    }

    fn pair(&mut self, set: &'static str, a: &str, b: &str, schema: Schema, label: bool, split: Split) {
        let key = if a <= b { (a.to_string(), b.to_string()) } else { (b.to_string(), a.to_string()) };
        if a.trim().is_empty() || b.trim().is_empty() || !self.seen_pairs.insert(key) {
            return;
        }
        let id = format!("{set}-{}", self.pairs.len());
        let schema = query_schema(schema);
        self.pairs.push(Pair { id, schema, a: a.to_string(), b: b.to_string(), label, set, split });
    }

    fn un_original_script(&mut self) {
        let c = self.corpus;
        for (i, e) in c.entities.iter().enumerate().filter(|(_, e)| e.provenance.source == "un_sc_sanctions") {
            let Some(latin) = latin_primary(e) else { continue };
            let mut seen = HashSet::new();
            for n in e.names.iter().filter(|n| n.kind == NameKind::OriginalScript) {
                if seen.insert(n.value.clone()) {
                    self.case("un-original-script", &n.value, i);
                    self.pair("un-original-script", &n.value, latin, e.schema, true, self.split_of(i));
                }
            }
        }
    }

    fn mof_katakana(&mut self) {
        let c = self.corpus;
        for (i, e) in c.entities.iter().enumerate().filter(|(_, e)| e.provenance.source == "jp_mof_asset_freeze") {
            let Some(ja) = japanese_primary(e) else { continue };
            self.case("mof-katakana", ja, i);
            if let Some(en) = latin_primary(e) {
                self.pair("mof-katakana", ja, en, e.schema, true, self.split_of(i));
            }
            for m in c.party_members(i) {
                let other = &c.entities[m];
                if other.provenance.source == "jp_mof_asset_freeze" {
                    continue;
                }
                self.case("mof-katakana-linked", ja, m);
                if let Some(name) = latin_primary(other) {
                    self.pair("mof-katakana-linked", ja, name, other.schema, true, self.split_of(i));
                }
            }
        }
    }

    fn cross_list_variants(&mut self) {
        let c = self.corpus;
        for party in c.linked_parties() {
            for &a in &party {
                for &b in &party {
                    let (ea, eb) = (&c.entities[a], &c.entities[b]);
                    if ea.provenance.source == eb.provenance.source {
                        continue;
                    }
                    let Some(qa) = latin_primary(ea) else { continue };
                    let listed: HashSet<String> = eb.names.iter().map(|n| fold(&n.value)).collect();
                    if !listed.contains(&fold(qa)) {
                        self.case("cross-list-variants", qa, b);
                    }
                    // The pair: A's primary name and B's first Latin name sharing a token
                    // with it (two unrelated aliases of one party are no spelling variant).
                    let ta = token_set(qa);
                    let nb = eb
                        .names
                        .iter()
                        .filter(|n| matches!(n.kind, NameKind::Primary | NameKind::Alias | NameKind::PreviousName))
                        .map(|n| n.value.as_str())
                        .filter(|v| dominant_script(v) == Some(Script::Latin))
                        .find(|v| !ta.is_disjoint(&token_set(v)));
                    if let Some(nb) = nb
                        && a < b && fold(qa) != fold(nb) {
                            self.pair("cross-list-variants", qa, nb, eb.schema, true, self.split_of(a));
                        }
                }
            }
        }
    }

    fn negatives(&mut self) {
        let c = self.corpus;
        // Persons of one list sharing one distinctive token; organisations sharing a head word.
        let mut groups: HashMap<(String, bool, String), Vec<usize>> = HashMap::new();
        for (i, e) in c.entities.iter().enumerate() {
            let Some(name) = latin_primary(e) else { continue };
            let toks = distinctive(name);
            let source = e.provenance.source.clone();
            if e.schema == Schema::Person && toks.len() >= 2 {
                for t in toks {
                    groups.entry((source.clone(), true, t)).or_default().push(i);
                }
            } else if matches!(e.schema, Schema::Organization | Schema::Company)
                && let Some(head) = first_word(name) {
                    groups.entry((source, false, head)).or_default().push(i);
                }
        }
        let mut keys: Vec<_> = groups.into_iter().collect();
        keys.sort();
        for ((_, person, _), mut members) in keys {
            members.sort_by_key(|&m| fnv1a(c.entities[m].id.as_bytes()));
            let mut taken = 0;
            for w in members.windows(2) {
                if taken == NEGATIVES_PER_TOKEN {
                    break;
                }
                let (a, b) = (w[0], w[1]);
                let (ea, eb) = (&c.entities[a], &c.entities[b]);
                let (na, nb) = (latin_primary(ea).unwrap_or_default(), latin_primary(eb).unwrap_or_default());
                let (ta, tb) = (token_set(na), token_set(nb));
                if c.same_party(a, b) || ta.is_subset(&tb) || tb.is_subset(&ta) || shares_birth_date(ea, eb) {
                    continue;
                }
                taken += 1;
                let mut ids = [ea.id.as_str(), eb.id.as_str()];
                ids.sort();
                let split = Split::of(&ids.join("|"));
                self.pair("negatives", na, nb, ea.schema, false, split);
                if person {
                    // The same two people across scripts.
                    if let Some(ja) = japanese_primary(ea) {
                        self.pair("negatives", ja, nb, ea.schema, false, split);
                    }
                    if let Some(os) = ea.names.iter().find(|n| n.kind == NameKind::OriginalScript) {
                        self.pair("negatives", &os.value, nb, ea.schema, false, split);
                    }
                }
            }
        }
    }
}

/// Two records with an equal full birth date might be one person listed twice: not a safe
/// negative.
fn shares_birth_date(a: &Entity, b: &Entity) -> bool {
    a.birth_dates.iter().any(|d| d.day_value().is_some() && b.birth_dates.contains(d))
}

/// The first primary name written in Latin script (MOF's English name, not its katakana).
pub fn latin_primary(e: &Entity) -> Option<&str> {
    e.names
        .iter()
        .filter(|n| n.kind == NameKind::Primary && n.lang.as_deref() != Some("ja"))
        .map(|n| n.value.as_str())
        .find(|v| dominant_script(v) == Some(Script::Latin))
}

/// MOF's katakana name.
pub fn japanese_primary(e: &Entity) -> Option<&str> {
    e.names.iter().find(|n| n.kind == NameKind::Primary && n.lang.as_deref() == Some("ja")).map(|n| n.value.as_str())
}

/// Latin tokens of ≥ 3 letters that are not particles.
fn distinctive(name: &str) -> BTreeSet<String> {
    const PARTICLES: [&str; 8] = ["al", "el", "bin", "ibn", "abu", "abd", "bint", "ben"];
    token_set(name)
        .into_iter()
        .filter(|t| t.len() >= 3 && t.chars().all(|c| c.is_ascii_alphabetic()) && !PARTICLES.contains(&t.as_str()))
        .collect()
}

/// Words that do not make an organisation's name its own.
const GENERIC_WORDS: [&str; 24] = [
    "the", "joint", "stock", "company", "limited", "group", "international", "trading", "general", "national",
    "open", "closed", "public", "private", "society", "llc", "ltd", "inc", "corporation", "corp", "bank", "jsc",
    "ooo", "oao",
];

/// The first folded word of an organisation's name when it is distinctive (≥ 4 letters).
fn first_word(name: &str) -> Option<String> {
    let t = sekisho_match::normalize::tokens(&fold(name)).into_iter().next()?.text;
    (t.len() >= 4 && t.chars().all(|c| c.is_ascii_alphabetic()) && !GENERIC_WORDS.contains(&t.as_str())).then_some(t)
}

/// Every listed name's folded tokens, for the unlisted check of clean names.
pub struct ListedNames {
    postings: HashMap<String, Vec<u32>>,
}

impl ListedNames {
    pub fn new(corpus: &Corpus) -> ListedNames {
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        let mut n = 0u32;
        for e in &corpus.entities {
            for name in &e.names {
                for t in token_set(&name.value) {
                    postings.entry(t).or_default().push(n);
                }
                n += 1;
            }
        }
        ListedNames { postings }
    }

    /// Whether some listed name holds every folded token of `name` (so equals it in some
    /// order, or contains it).
    pub fn covers(&self, name: &str) -> bool {
        let toks = token_set(name);
        let mut lists: Vec<&Vec<u32>> = Vec::new();
        for t in &toks {
            match self.postings.get(t) {
                Some(p) => lists.push(p),
                None => return false,
            }
        }
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else { return true };
        first.iter().any(|n| rest.iter().all(|l| l.binary_search(n).is_ok()))
    }
}

/// The parts clean names of one kind are recombined from: a head from one listed name, a
/// tail from another, joined by `separator`.
struct Pool {
    kind: &'static str,
    schema: Schema,
    heads: Vec<String>,
    tails: Vec<String>,
    separator: &'static str,
}

impl Pool {
    fn new(kind: &'static str, schema: Schema, heads: BTreeSet<String>, tails: BTreeSet<String>, separator: &'static str) -> Pool {
        Pool { kind, schema, heads: heads.into_iter().collect(), tails: tails.into_iter().collect(), separator }
    }
}

/// Recombined names that no listed name covers; see the module docs.
pub fn clean_names(corpus: &Corpus) -> Vec<CleanName> {
    let listed = ListedNames::new(corpus);
    let mut pools: Vec<Pool> = Vec::new();

    // Latin persons: OFAC writes "FAMILY, Given".
    let (mut given, mut family) = (BTreeSet::new(), BTreeSet::new());
    for e in corpus.entities.iter().filter(|e| e.schema == Schema::Person && e.provenance.source == "us_ofac_sdn") {
        for n in e.names.iter().filter(|n| matches!(n.kind, NameKind::Primary | NameKind::Alias)) {
            if let Some((f, g)) = n.value.split_once(',') {
                let (f, g) = (f.trim(), g.trim());
                if !f.is_empty() && !g.is_empty() && dominant_script(n.value.as_str()) == Some(Script::Latin) {
                    family.insert(f.to_string());
                    given.insert(g.to_string());
                }
            }
        }
    }
    pools.push(Pool::new("latin-person", Schema::Person, given, family, " "));

    // Organisations: a distinctive head word and another organisation's last two words.
    let (mut heads, mut tails) = (BTreeSet::new(), BTreeSet::new());
    for e in corpus.entities.iter().filter(|e| matches!(e.schema, Schema::Organization | Schema::Company)) {
        let Some(name) = latin_primary(e) else { continue };
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() >= 3 {
            if first_word(name).is_some() {
                heads.insert(words[0].to_string());
            }
            tails.insert(words[words.len() - 2..].join(" "));
        }
    }
    pools.push(Pool::new("latin-organisation", Schema::Organization, heads, tails, " "));

    // Katakana persons (MOF): first part of one name, the other parts of another.
    let (mut first, mut rest) = (BTreeSet::new(), BTreeSet::new());
    for e in corpus.entities.iter().filter(|e| e.schema == Schema::Person) {
        if let Some(ja) = japanese_primary(e) {
            let parts: Vec<&str> = ja.split(['・', '＝', ' ', '　']).filter(|p| !p.is_empty()).collect();
            if parts.len() >= 2 && parts.iter().all(|p| dominant_script(p) == Some(Script::Kana)) {
                first.insert(parts[0].to_string());
                rest.insert(parts[1..].join("・"));
            }
        }
    }
    pools.push(Pool::new("katakana-person", Schema::Person, first, rest, "・"));

    // Arabic-script persons (UN original script).
    let (mut first, mut rest) = (BTreeSet::new(), BTreeSet::new());
    for e in corpus.entities.iter().filter(|e| e.schema == Schema::Person) {
        for n in e.names.iter().filter(|n| n.kind == NameKind::OriginalScript) {
            let parts: Vec<&str> = n.value.split_whitespace().collect();
            if parts.len() >= 2 && dominant_script(n.value.as_str()) == Some(Script::Arabic) {
                first.insert(parts[0].to_string());
                rest.insert(parts[1..].join(" "));
            }
        }
    }
    pools.push(Pool::new("arabic-person", Schema::Person, first, rest, " "));

    let mut out = Vec::new();
    for Pool { kind, schema, heads, tails, separator: sep } in pools {
        let target = CLEAN_TARGETS.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n);
        if heads.is_empty() || tails.is_empty() {
            continue;
        }
        let mut made = HashSet::new();
        // Walk heads round-robin; pair each with a tail chosen by a hash of head and round.
        'rounds: for round in 0..50u64 {
            for h in &heads {
                if made.len() >= target {
                    break 'rounds;
                }
                let t = &tails[(fnv1a(format!("{h}#{round}").as_bytes()) % tails.len() as u64) as usize];
                let name = format!("{h}{sep}{t}");
                let folded = fold(&name);
                if made.contains(&folded) || listed.covers(&name) {
                    continue;
                }
                made.insert(folded);
                out.push(CleanName { split: Split::of(&name), name, kind, schema });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, source: &str, name: &str) -> Entity {
        let mut e = Entity::new(id, Schema::Person, source, id);
        e.add_name(name, NameKind::Primary);
        e
    }

    #[test]
    fn covers_is_token_containment_in_any_order() {
        let c = Corpus::from_entities(vec![person("a", "us_ofac_sdn", "AL-HASAN, Karim Yusuf")]);
        let listed = ListedNames::new(&c);
        assert!(listed.covers("Yusuf Karim al Hasan"));
        assert!(listed.covers("karim hasan"), "a part of a listed name is not clean");
        assert!(!listed.covers("Karim Omar"));
    }

    #[test]
    fn clean_names_recombine_and_are_unlisted() {
        let c = Corpus::from_entities(
            vec![
                person("a", "us_ofac_sdn", "HASAN, Karim"),
                person("b", "us_ofac_sdn", "OMAR, Yusuf"),
                person("c", "us_ofac_sdn", "OMAR, Karim"),
            ],
        );
        let clean = clean_names(&c);
        let names: Vec<&str> = clean.iter().map(|c| c.name.as_str()).collect();
        assert!(names.contains(&"Yusuf HASAN"), "{names:?}");
        assert!(!names.contains(&"Karim OMAR"), "listed as OMAR, Karim");
        let listed = ListedNames::new(&c);
        assert!(clean.iter().all(|n| !listed.covers(&n.name)));
    }

    /// On the real lists: every clean name is unlisted, and the sets are the same twice.
    #[test]
    fn real_sets_are_deterministic_and_clean() {
        let Some(dir) = sekisho_lists::shared_data_dir() else { return };
        let corpus = Corpus::load(&dir).expect("lists load");
        let (a, b) = (Sets::build(&corpus), Sets::build(&corpus));
        assert_eq!(a.cases.len(), b.cases.len());
        assert!(a.cases.iter().zip(&b.cases).all(|(x, y)| x.query == y.query && x.split == y.split));
        assert!(a.pairs.iter().zip(&b.pairs).all(|(x, y)| x.a == y.a && x.b == y.b && x.split == y.split));
        assert!(a.clean.len() >= 10_000, "{} clean names", a.clean.len());
        let listed = ListedNames::new(&corpus);
        assert!(a.clean.iter().all(|n| !listed.covers(&n.name)));
        for set in SCREEN_SETS {
            let n = a.cases.iter().filter(|c| c.set == set).count();
            let dev = a.cases.iter().filter(|c| c.set == set && c.split == Split::Dev).count();
            assert!(n > 0 && dev > 0 && dev < n, "{set}: {dev} of {n} on dev");
        }
    }
}
