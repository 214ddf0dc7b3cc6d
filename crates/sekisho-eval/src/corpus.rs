//! The lists an evaluation runs on, and which of their entities name the same party.
//!
//! [`Corpus::load`] reads the six current lists of the shared data (the same folders a user
//! would import) and links entities of different lists into parties by strong evidence only.
//! The link rules, in the order they are applied:
//!
//! | rule | evidence |
//! |---|---|
//! | `csl-sdn` | a CSL row from the SDN list whose `entity_number` is an OFAC `ent_num` |
//! | `mof-un-ref` | a MOF row's 国連参照番号 equals a UN entry's reference number |
//! | `identifier` | both carry the same passport / national ID, IMO or registration number (a token of ≥ 6 characters with ≥ 4 digits) that no other entity of either list carries |
//! | `dob-name` | two persons with the same full birth date (YYYY-MM-DD) whose Latin names share ≥ 2 folded tokens of ≥ 3 letters (particles such as *al*, *bin*, *abu* do not count), and no other person of the other list qualifies |
//!
//! Links are joined transitively into parties (union-find). The name condition of `dob-name`
//! makes those links lean towards similar spellings; `csl-sdn`, `mof-un-ref` and
//! `identifier` look at no name at all.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use anyhow::{Context, Result};
use sekisho_match::normalize::{fold, tokens};
use sekisho_model::{Entity, IdentifierKind, NameKind, Schema};

/// The shared list folders indexed, as a user would import them.
pub use sekisho_lists::SHARED_LIST_FOLDERS as LIST_FOLDERS;

/// Particles and honorifics that say nothing about who a person is.
const PARTICLES: [&str; 14] =
    ["al", "el", "bin", "ibn", "abu", "abd", "bint", "ben", "ould", "haji", "mullah", "mohammad", "muhammad", "mohammed"];

/// Why two entities were linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkRule {
    CslSdn,
    MofUnRef,
    Identifier,
    DobName,
}

impl LinkRule {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkRule::CslSdn => "csl-sdn",
            LinkRule::MofUnRef => "mof-un-ref",
            LinkRule::Identifier => "identifier",
            LinkRule::DobName => "dob-name",
        }
    }
}

/// All listed entities, their parties and the evidence of each link.
pub struct Corpus {
    pub entities: Vec<Entity>,
    /// Party of each entity: the smallest entity index of its linked group.
    party: Vec<usize>,
    /// Links made, by rule, for the record.
    pub links: BTreeMap<LinkRule, usize>,
    by_id: HashMap<String, usize>,
}

impl Corpus {
    /// Loads the lists of [`LIST_FOLDERS`] from `data_dir` (the shared `data` folder).
    pub fn load(data_dir: &Path) -> Result<Corpus> {
        let mut entities = Vec::new();
        for folder in LIST_FOLDERS {
            let path = data_dir.join("lists").join(folder);
            let list = sekisho_lists::load(&path).with_context(|| format!("loading {}", path.display()))?;
            entities.extend(list.entities);
        }
        Ok(Corpus::from_entities(entities))
    }

    /// Links `entities` into parties by the rules in the module docs.
    pub fn from_entities(entities: Vec<Entity>) -> Corpus {
        let by_id: HashMap<String, usize> = entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        let mut uf = UnionFind::new(entities.len());
        let mut links = BTreeMap::new();
        let mut link = |uf: &mut UnionFind, rule: LinkRule, a: usize, b: usize| {
            if uf.union(a, b) {
                *links.entry(rule).or_insert(0) += 1;
            }
        };

        // csl-sdn: the CSL keeps OFAC's entity number for its SDN rows.
        for (i, e) in entities.iter().enumerate() {
            let sdn = e.facts.list.as_deref().is_some_and(|l| l.contains("(SDN)"));
            if e.provenance.source == "us_trade_csl" && sdn
                && let Some(&j) = by_id.get(&format!("ofac-{}", e.provenance.source_id)) {
                    link(&mut uf, LinkRule::CslSdn, i, j);
                }
        }
        // mof-un-ref: MOF quotes the UN reference number.
        let un_refs: HashMap<String, usize> = entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.provenance.source == "un_sc_sanctions")
            .map(|(i, e)| (compact(&e.provenance.source_id), i))
            .collect();
        for (i, e) in entities.iter().enumerate().filter(|(_, e)| e.provenance.source == "jp_mof_asset_freeze") {
            for id in &e.identifiers {
                if id.note.as_deref().is_some_and(|n| n.contains("UN reference"))
                    && let Some(&j) = un_refs.get(&compact(&id.value)) {
                        link(&mut uf, LinkRule::MofUnRef, i, j);
                    }
            }
        }
        // identifier: a distinctive number held by exactly one entity on each of two lists.
        let mut holders: HashMap<(u8, String), BTreeSet<usize>> = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            for id in &e.identifiers {
                let class = match id.kind {
                    IdentifierKind::Passport | IdentifierKind::NationalId => 0,
                    IdentifierKind::Imo => 1,
                    IdentifierKind::Registration => 2,
                    _ => continue,
                };
                for token in identifier_tokens(&id.value) {
                    holders.entry((class, token)).or_default().insert(i);
                }
            }
        }
        let mut keys: Vec<_> = holders.into_iter().collect();
        keys.sort();
        for (_, holders) in keys {
            let holders: Vec<usize> = holders.into_iter().collect();
            let mut per_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for &h in &holders {
                per_source.entry(entities[h].provenance.source.as_str()).or_default().push(h);
            }
            if per_source.len() >= 2 && per_source.values().all(|v| v.len() == 1) {
                let persons = holders.iter().filter(|&&h| entities[h].schema == Schema::Person).count();
                if persons == 0 || persons == holders.len() {
                    for w in holders.windows(2) {
                        link(&mut uf, LinkRule::Identifier, w[0], w[1]);
                    }
                }
            }
        }
        // dob-name: same full birth date and two shared distinctive name tokens.
        let mut by_date: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entities.iter().enumerate().filter(|(_, e)| e.schema == Schema::Person) {
            let dates: BTreeSet<String> =
                e.birth_dates.iter().filter(|d| d.day_value().is_some()).map(|d| d.to_string()).collect();
            for d in dates {
                by_date.entry(d).or_default().push(i);
            }
        }
        let mut dates: Vec<_> = by_date.into_iter().collect();
        dates.sort();
        for (_, persons) in dates {
            let toks: Vec<BTreeSet<String>> = persons.iter().map(|&p| distinctive_tokens(&entities[p])).collect();
            for (a, &pa) in persons.iter().enumerate() {
                // Per other source, the persons that qualify; link only when exactly one does.
                let mut found: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
                for (b, &pb) in persons.iter().enumerate() {
                    let (sa, sb) = (&entities[pa].provenance.source, &entities[pb].provenance.source);
                    if sa != sb && toks[a].intersection(&toks[b]).count() >= 2 {
                        found.entry(sb.as_str()).or_default().push(pb);
                    }
                }
                for (_, v) in found {
                    if v.len() == 1 {
                        link(&mut uf, LinkRule::DobName, pa, v[0]);
                    }
                }
            }
        }

        let party = (0..entities.len()).map(|i| uf.find(i)).collect();
        Corpus { entities, party, links, by_id }
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The party key of entity `i`: the id of the first-loaded entity of its linked group.
    pub fn party_key(&self, i: usize) -> &str {
        &self.entities[self.party[i]].id
    }

    pub fn same_party(&self, a: usize, b: usize) -> bool {
        self.party[a] == self.party[b]
    }

    /// Every entity of the party of `i`, `i` included, in load order.
    pub fn party_members(&self, i: usize) -> Vec<usize> {
        let p = self.party[i];
        (0..self.entities.len()).filter(|&j| self.party[j] == p).collect()
    }

    /// Parties with members on at least two lists, as index lists.
    pub fn linked_parties(&self) -> Vec<Vec<usize>> {
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, &p) in self.party.iter().enumerate() {
            groups.entry(p).or_default().push(i);
        }
        groups.into_values().filter(|g| g.len() > 1).collect()
    }
}

/// Upper-case letters and digits only.
fn compact(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// The distinctive number tokens of an identifier value ("Indonesia travel document number
/// XD253038" → "XD253038"): ≥ 6 characters, ≥ 4 of them digits.
pub fn identifier_tokens(value: &str) -> Vec<String> {
    value
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '/')
        .map(compact)
        .filter(|t| t.len() >= 6 && t.chars().filter(|c| c.is_ascii_digit()).count() >= 4)
        .collect()
}

/// Folded tokens of a name, as a sorted set.
pub fn token_set(name: &str) -> BTreeSet<String> {
    tokens(&fold(name)).into_iter().map(|t| t.text).collect()
}

/// Latin tokens of all names of a person, ≥ 3 letters, particles left out.
fn distinctive_tokens(e: &Entity) -> BTreeSet<String> {
    e.names
        .iter()
        .filter(|n| n.kind != NameKind::OriginalScript && n.lang.as_deref() != Some("ja"))
        .flat_map(|n| token_set(&n.value))
        .filter(|t| t.len() >= 3 && t.chars().all(|c| c.is_ascii_alphabetic()) && !PARTICLES.contains(&t.as_str()))
        .collect()
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect() }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    /// Joins the groups of `a` and `b`; the smaller root stays. False if already joined.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        self.parent[hi] = lo;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_tokens_keep_only_distinctive_numbers() {
        assert_eq!(identifier_tokens("Indonesia travel document number XD253038"), ["XD253038"]);
        assert!(identifier_tokens("No. 12").is_empty());
        assert_eq!(identifier_tokens("IMO 9123456"), ["9123456"]);
    }

    #[test]
    fn persons_link_on_birth_date_and_two_tokens_only() {
        use sekisho_model::PartialDate;
        let person = |id: &str, source: &str, name: &str, dob: &str| {
            let mut e = Entity::new(id, Schema::Person, source, id);
            e.add_name(name, NameKind::Primary);
            e.add_birth_date(dob.parse::<PartialDate>().unwrap());
            e
        };
        let c = Corpus::from_entities(
            vec![
                person("a", "x", "AL-HASAN, Karim Yusuf", "1970-01-02"),
                person("b", "y", "Karim Yusuf Al Hasan", "1970-01-02"),
                person("c", "z", "Karim Omar", "1970-01-02"),
                person("d", "z", "Yusuf Al Hasan", "1971-01-02"),
            ],
        );
        assert!(c.same_party(0, 1));
        assert!(!c.same_party(0, 2), "one shared token is not enough");
        assert!(!c.same_party(0, 3), "another birth date");
    }
}
