//! Small read-only helpers over the rulebook that the engine and the CLI share, so that the
//! sources' caveats (inherited chart rows, embargoed rows, GEA patterns) are applied in one
//! place.

use std::collections::BTreeSet;

use crate::{CountryChart, EmbargoedRow, Gea, UsData};

/// What the Commerce Country Chart says for a destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartRow<'a> {
    /// A graded row: the columns with an X. `via` is set when the destination has no row of
    /// its own and follows another's (HK → CN), with the basis for that.
    Marks { columns: &'a BTreeSet<String>, row: &'a str, via: Option<&'a str> },
    /// An embargoed destination: no marks, see Part 746.
    Embargoed(&'a EmbargoedRow),
    /// Neither a row nor a named dependent territory: indeterminate, never "no licence".
    Unknown,
}

impl CountryChart {
    /// The row that governs `iso2` (ISO-2, any case).
    pub fn row(&self, iso2: &str) -> ChartRow<'_> {
        let code = iso2.trim().to_ascii_uppercase();
        if let Some(row) = self.embargoed.get(&code) {
            return ChartRow::Embargoed(row);
        }
        if let Some((row, columns)) = self.marks.get_key_value(&code) {
            return ChartRow::Marks { columns, row, via: None };
        }
        if let Some(territory) = self.inherits.get(&code)
            && let Some((row, columns)) = self.marks.get_key_value(&territory.row)
        {
            return ChartRow::Marks { columns, row, via: Some(&territory.basis) };
        }
        ChartRow::Unknown
    }
}

impl UsData {
    /// The country groups ("A:1", "D:5", ...) that list `iso2`. Hong Kong is in none: the
    /// source notes it follows China, which callers must apply through the chart's
    /// `inherits`.
    pub fn groups_of(&self, iso2: &str) -> Vec<&str> {
        let code = iso2.trim().to_ascii_uppercase();
        self.groups.iter().filter(|(_, members)| members.contains(&code)).map(|(g, _)| g.as_str()).collect()
    }
}

/// Whether an entry code ("3A001.a.3", "5D002") falls under a GEA pattern: the same entry
/// or paragraph, a sub-paragraph of it, or a section glob ("?D???").
pub fn pattern_matches(pattern: &str, code: &str) -> bool {
    if pattern.len() == 5 && pattern.contains('?') {
        let head = code.get(..5).unwrap_or(code);
        return head.len() == 5 && pattern.chars().zip(head.chars()).all(|(p, c)| p == '?' || p == c);
    }
    code == pattern || code.strip_prefix(pattern).is_some_and(|rest| rest.starts_with('.'))
}

impl Gea {
    /// Whether Part 1 names `code` (or covers all entries) and no exclusion removes it.
    /// An entry the GEA names only in part still needs its text read (see `covered_entries`).
    pub fn covers(&self, code: &str) -> bool {
        let named = self.covered_entries.is_empty()
            || self.covered_entries.iter().any(|p| pattern_matches(p, code) || pattern_matches(code, p));
        named && self.excluded_by(code).is_none()
    }

    /// The exclusion pattern that removes `code`, if any.
    pub fn excluded_by(&self, code: &str) -> Option<&str> {
        self.excluded_entries.iter().find(|p| pattern_matches(p, code)).map(String::as_str)
    }

    /// Whether Part 2 allows `iso2` as a destination. Exclusions the text states in words
    /// (arms embargoes, Union restrictive measures) are not checked here.
    pub fn destination_listed(&self, iso2: &str) -> bool {
        let code = iso2.trim().to_ascii_uppercase();
        if self.destinations.is_empty() {
            !self.excluded_destinations.contains(&code)
        } else {
            self.destinations.contains(&code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(pattern_matches("3A001.a.3", "3A001.a.3"));
        assert!(pattern_matches("3A001.a", "3A001.a.3"));
        assert!(!pattern_matches("3A001.a.1", "3A001.a.10"));
        assert!(!pattern_matches("3A001", "3A0010"));
        assert!(pattern_matches("?D???", "5D002.c.1"));
        assert!(!pattern_matches("?D???", "5A002"));
    }
}
