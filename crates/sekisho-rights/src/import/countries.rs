//! Assigning each name (and code) a source writes to one ISO-2 code, or reporting why not.
//!
//! Codes are resolved through `sekisho_model::country` (ISO-3 codes, English names and
//! their variants). Choices, so no value lands on the wrong country:
//! - A code and a name that resolve to different countries are not used.
//! - When two different names of one file resolve to the same country in overlapping years
//!   (V-Dem's "Republic of Vietnam", 1955-1975, beside "Vietnam"), the one resolved by its
//!   own code wins and the other is reported; with no such difference neither is used.
//!   Names that follow one another in time (a renamed country) are both kept.
//! - Kosovo is XK (the user-assigned code the EU and most lists use) in all three sources.
//! - Freedom House's territories are handled in `fiw.rs`.

use std::collections::BTreeMap;

use sekisho_model::country::to_iso2;

use super::Parsed;

/// One distinct (code, name) of a source file and the years it has rows for.
pub(crate) struct Candidate {
    pub code: Option<String>,
    pub name: String,
    pub first_year: u16,
    pub last_year: u16,
}

impl Candidate {
    pub fn label(&self) -> String {
        match &self.code {
            Some(code) => format!("{} ({code})", self.name),
            None => self.name.clone(),
        }
    }
}

/// How a candidate was resolved: by its code (stronger) or by its name only.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    Name,
    Code,
}

/// Resolves candidates to ISO-2 codes. Returns the accepted ones (index into `candidates`
/// → code) and the rejected ones as (label, reason).
pub(crate) fn assign(
    candidates: &[Candidate],
) -> (BTreeMap<usize, &'static str>, Vec<(String, String)>) {
    let mut unmapped = Vec::new();
    let mut resolved: Vec<(usize, &'static str, Via)> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let by_code = c.code.as_deref().and_then(resolve_code);
        let by_name = to_iso2(&c.name);
        match (by_code, by_name) {
            (Some(a), Some(b)) if a != b => unmapped.push((
                c.label(),
                format!("its code gives {a} but its name gives {b}; not used"),
            )),
            (Some(a), _) => resolved.push((i, a, Via::Code)),
            (None, Some(b)) => resolved.push((i, b, Via::Name)),
            (None, None) => unmapped.push((
                c.label(),
                "no ISO 3166-1 country for this name (a former state, or an area that no single code covers)".into(),
            )),
        }
    }

    let mut accepted = BTreeMap::new();
    for &(i, iso2, via) in &resolved {
        let c = &candidates[i];
        let rivals: Vec<&(usize, &'static str, Via)> = resolved
            .iter()
            .filter(|(j, other, _)| {
                *j != i
                    && *other == iso2
                    && candidates[*j].first_year <= c.last_year
                    && c.first_year <= candidates[*j].last_year
            })
            .collect();
        if rivals.is_empty() || rivals.iter().all(|r| r.2 < via) {
            accepted.insert(i, iso2);
        } else {
            let other = rivals
                .iter()
                .map(|r| candidates[r.0].label())
                .collect::<Vec<_>>()
                .join(", ");
            unmapped.push((
                c.label(),
                format!(
                    "resolves to {iso2}, which {other} also gives for the same years; not used"
                ),
            ));
        }
    }
    (accepted, unmapped)
}

/// Resolves a V-Dem or WGI table ((code, name) → year → record, as the file gives it) and
/// returns its rows under the accepted ISO-2 codes, with the rejected names.
pub(crate) fn assign_table<R>(table: BTreeMap<(String, String), BTreeMap<u16, R>>) -> Parsed<R> {
    let candidates: Vec<Candidate> = table
        .iter()
        .map(|((code, name), years)| Candidate {
            code: Some(code.clone()),
            name: name.clone(),
            first_year: years.keys().next().copied().unwrap_or(0),
            last_year: years.keys().next_back().copied().unwrap_or(0),
        })
        .collect();
    let (accepted, unmapped) = assign(&candidates);
    let mut rows = Vec::new();
    // `candidates` was built in the table's order, so index i is the i-th entry.
    for (i, years) in table.into_values().enumerate() {
        if let Some(&iso2) = accepted.get(&i) {
            rows.extend(years.into_values().map(|r| (iso2, r)));
        }
    }
    Parsed { rows, unmapped }
}

/// An ISO-3 code, or one of the non-ISO codes the World Bank and V-Dem use for a few
/// countries. (The World Bank's other non-ISO codes, ADO for Andorra, ROM for Romania and
/// TMP for Timor-Leste, resolve through their names.)
fn resolve_code(code: &str) -> Option<&'static str> {
    let code = code.trim();
    if code.len() != 3 {
        return None;
    }
    match code {
        // Kosovo: World Bank "KSV", V-Dem "XKX".
        "KSV" | "XKX" => Some("XK"),
        // World Bank "ZAR", "Congo, Dem. Rep.".
        "ZAR" => Some("CD"),
        // World Bank "WBG", "West Bank and Gaza": the area ISO 3166-1 codes PS. (Freedom
        // House rates the West Bank and the Gaza Strip apart; see fiw.rs.)
        "WBG" => Some("PS"),
        _ => to_iso2(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: Option<&str>, name: &str, years: (u16, u16)) -> Candidate {
        Candidate {
            code: code.map(str::to_string),
            name: name.to_string(),
            first_year: years.0,
            last_year: years.1,
        }
    }

    #[test]
    fn codes_names_conflicts_and_overlaps() {
        let cands = [
            c(Some("VNM"), "Vietnam", (1945, 2023)),
            c(Some("VDR"), "Republic of Vietnam", (1955, 1975)),
            c(Some("NOR"), "Sweden", (2000, 2023)),
            c(Some("KSV"), "Kosovo", (1996, 2023)),
            c(None, "Czech Republic", (2013, 2021)),
            c(None, "Czechia", (2022, 2024)),
            c(None, "Atlantis", (2013, 2024)),
        ];
        let (ok, bad) = assign(&cands);
        assert_eq!(ok.get(&0), Some(&"VN"));
        assert_eq!(ok.get(&3), Some(&"XK"));
        assert_eq!(ok.get(&4), Some(&"CZ"));
        assert_eq!(ok.get(&5), Some(&"CZ"));
        assert!(!ok.contains_key(&2), "code and name disagree");
        assert!(!ok.contains_key(&6));
        let labels: Vec<&str> = bad.iter().map(|(l, _)| l.as_str()).collect();
        assert!(labels.contains(&"Sweden (NOR)"), "{bad:?}");
        assert!(labels.contains(&"Atlantis"), "{bad:?}");
        // "Republic of Vietnam" either does not resolve or loses to the code-resolved VNM.
        assert!(!ok.contains_key(&1));
    }
}
