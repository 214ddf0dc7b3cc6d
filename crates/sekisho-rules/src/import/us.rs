//! The EAR digests: `ccl.json`, `country-chart.json`, `country-groups.json`,
//! `license-exception-catalog.json` (see `us-ear/SOURCE.txt`).
//!
//! The digests state caveats beside their tables (Hong Kong has no chart row and follows
//! China; Macau is named beside D:5 but is not in it; embargoed rows carry no marks). Those
//! notes are kept verbatim in [`UsData::notes`] and, where they are structural, turned
//! into data ([`CountryChart::inherits`], [`CountryChart::embargoed`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::country::code_for;
use crate::import::json::Node;
use crate::{
    AllDestinations, CountryChart, Eccn, EmbargoedRow, ExceptionInfo, ImportError, ReasonControl, TerritoryRow,
    UsData,
};

/// The four parsed files' roots.
pub(crate) struct UsFiles<'a> {
    pub ccl: Node<'a>,
    pub chart: Node<'a>,
    pub groups: Node<'a>,
    pub exceptions: Node<'a>,
}

pub(crate) fn import(files: &UsFiles<'_>) -> Result<UsData, ImportError> {
    let mut notes = BTreeMap::new();
    let chart = chart(&files.chart, &mut notes)?;
    let (groups, group_labels) = groups(&files.groups, &mut notes)?;
    let exceptions = exceptions(&files.exceptions)?;
    let eccns = ccl(&files.ccl, &chart)?;
    let all_destinations = all_destinations(&files.chart.get("allDestinationsEntries")?)?;
    Ok(UsData { eccns, chart, groups, group_labels, exceptions, all_destinations, notes })
}

/// "NS 1" → "NS1".
fn column_id(label: &str) -> String {
    label.split_whitespace().collect()
}

fn chart(root: &Node<'_>, notes: &mut BTreeMap<String, String>) -> Result<CountryChart, ImportError> {
    let columns_node = root.get("columns")?;
    let columns: Vec<String> = columns_node.strings()?.into_iter().map(column_id).collect();
    let known: BTreeSet<&str> = columns.iter().map(String::as_str).collect();

    let mut column_labels = BTreeMap::new();
    for (label, text) in root.get("columnLabels")?.members()? {
        column_labels.insert(column_id(label), text.str()?.to_string());
    }

    let mut marks = BTreeMap::new();
    let mut row_footnotes = BTreeMap::new();
    let mut names = BTreeMap::new(); // row name as written → ISO-2, for `territoryInheritance`
    let countries = root.get("countries")?;
    for (name, row) in countries.members()? {
        let code = code_for(name).ok_or_else(|| row.unknown_country(name))?;
        let mut set = BTreeSet::new();
        let marks_node = row.get("marks")?;
        for (i, mark) in marks_node.strings()?.into_iter().enumerate() {
            let column = column_id(mark);
            if !known.contains(column.as_str()) {
                return Err(ImportError::field(
                    root.file,
                    format!("{}.marks[{i}]", row.path),
                    format!("column {mark:?} is not one of the chart's columns"),
                ));
            }
            set.insert(column);
        }
        if marks.insert(code.clone(), set).is_some() {
            return Err(row.error(format!("a second row for {code}")));
        }
        row_footnotes.insert(code.clone(), footnote_numbers(&row.get("footnotes")?)?);
        names.insert(name.to_lowercase(), code);
    }
    let stated = root.get("countryCount")?;
    if stated.u64()? as usize != marks.len() {
        return Err(stated.error(format!("states {} countries, the table has {}", stated.u64()?, marks.len())));
    }

    let mut embargoed = BTreeMap::new();
    for (name, row) in root.get("embargoed")?.members()? {
        let code = code_for(name).ok_or_else(|| row.unknown_country(name))?;
        let pointer = row.get_str("pointer")?.to_string();
        let citation = cfr_citation(&pointer).ok_or_else(|| row.error("the pointer cites no section of the EAR"))?;
        row_footnotes.insert(code.clone(), footnote_numbers(&row.get("footnotes")?)?);
        if marks.contains_key(&code) {
            return Err(row.error(format!("{code} is both an embargoed row and a graded row")));
        }
        embargoed.insert(code, EmbargoedRow { pointer, citation });
    }

    let mut footnotes = BTreeMap::new();
    for (number, text) in root.get("footnotes")?.members()? {
        let n: u32 = number.parse().map_err(|_| text.error("footnote key is not a number"))?;
        footnotes.insert(n, text.str()?.to_string());
    }
    for (code, used) in &row_footnotes {
        if let Some(n) = used.iter().find(|n| !footnotes.contains_key(n)) {
            return Err(countries.error(format!("the row for {code} cites footnote {n}, which the chart does not have")));
        }
    }

    let mut inherits = BTreeMap::new();
    for (name, entry) in root.get("territoryInheritance")?.members()? {
        let code = code_for(name).ok_or_else(|| entry.unknown_country(name))?;
        let row_name = entry.get_str("row")?;
        let row = names
            .get(&row_name.to_lowercase())
            .ok_or_else(|| entry.error(format!("row {row_name:?} is not a row of the chart")))?;
        inherits.insert(code, TerritoryRow { row: row.clone(), basis: entry.get_str("basis")?.to_string() });
    }
    if let Some(note) = root.opt_str("territoryInheritanceNote")? {
        notes.insert("chart.territoryInheritance".into(), note.to_string());
    }

    let procedure_node = root.get("procedure")?;
    let mut procedure = vec![format!("{}:", procedure_node.get_str("citation")?)];
    procedure.extend(procedure_node.get("steps")?.strings()?.into_iter().map(String::from));
    for key in ["noMarkCaveat", "notAllEntriesUseTheChart"] {
        if let Some(text) = procedure_node.opt_str(key)? {
            procedure.push(text.to_string());
        }
    }
    for (key, text) in root.get("notes")?.members()? {
        notes.insert(format!("chart.{key}"), text.str()?.to_string());
    }

    Ok(CountryChart { columns, column_labels, marks, embargoed, footnotes, row_footnotes, inherits, procedure })
}

fn footnote_numbers(node: &Node<'_>) -> Result<Vec<u32>, ImportError> {
    node.items()?.iter().map(|n| n.u64().map(|v| v as u32)).collect()
}

/// "See Sections 742.19 and 746.4 of the EAR ..." → "15 CFR 742.19, 746.4"; "See part 746"
/// → "15 CFR 746". `None` when no section number appears.
pub(crate) fn cfr_citation(text: &str) -> Option<String> {
    let sections: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '§')
        .map(|t| t.trim_end_matches(['.', ';', ')']))
        .filter(|t| {
            let (head, tail) = t.split_once('.').map_or((*t, None), |(h, r)| (h, Some(r)));
            let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            head.len() == 3 && head.starts_with('7') && digits(head) && tail.is_none_or(digits)
        })
        .collect();
    (!sections.is_empty()).then(|| format!("15 CFR {}", sections.join(", ")))
}

/// Country group → members, and group → label.
type Groups = (BTreeMap<String, BTreeSet<String>>, BTreeMap<String, String>);

fn groups(root: &Node<'_>, notes: &mut BTreeMap<String, String>) -> Result<Groups, ImportError> {
    let mut groups = BTreeMap::new();
    for (group, members) in root.get("groups")?.members()? {
        let mut set = BTreeSet::new();
        for (i, item) in members.items()?.into_iter().enumerate() {
            let name = item.str()?;
            let code = code_for(name).ok_or_else(|| {
                ImportError::UnknownCountry {
                    path: root.file.to_path_buf(),
                    at: format!("{}[{i}]", members.path),
                    name: name.to_string(),
                }
            })?;
            set.insert(code);
        }
        groups.insert(group.to_string(), set);
    }
    let mut labels = BTreeMap::new();
    for (group, label) in root.get("labels")?.members()? {
        if !groups.contains_key(group) {
            return Err(label.error(format!("label for group {group}, which has no member list")));
        }
        labels.insert(group.to_string(), label.str()?.to_string());
    }
    for (key, text) in root.get("notes")?.members()? {
        notes.insert(format!("groups.{key}"), text.str()?.to_string());
    }
    Ok((groups, labels))
}

fn exceptions(root: &Node<'_>) -> Result<BTreeMap<String, ExceptionInfo>, ImportError> {
    let list = root.get("exceptions")?;
    let items = list.items()?;
    let count = root.get("count")?;
    if count.u64()? as usize != items.len() {
        return Err(count.error(format!("states {} exceptions, the list has {}", count.u64()?, items.len())));
    }
    let mut out = BTreeMap::new();
    for item in &items {
        let section = item.get_str("sectionNumber")?;
        let title = item.get_str("title")?;
        for symbol in item.get("symbols")?.strings()? {
            let info = ExceptionInfo {
                symbol: symbol.to_string(),
                title: title.to_string(),
                citation: format!("15 CFR {section}"),
            };
            if out.insert(symbol.to_string(), info).is_some() {
                return Err(item.error(format!("symbol {symbol} appears twice")));
            }
        }
    }
    Ok(out)
}

fn all_destinations(node: &Node<'_>) -> Result<AllDestinations, ImportError> {
    let gov = node.get("govOnly")?;
    let mut other = BTreeMap::new();
    for (key, value) in node.members()? {
        if !["citation", "note", "noLicenceExceptions", "govOnly"].contains(&key) {
            other.insert(key.to_string(), value.str()?.to_string());
        }
    }
    Ok(AllDestinations {
        citation: node.get_str("citation")?.to_string(),
        note: node.get_str("note")?.to_string(),
        no_licence_exceptions: node.get("noLicenceExceptions")?.strings()?.into_iter().map(String::from).collect(),
        gov_only: gov.get("entries")?.strings()?.into_iter().map(String::from).collect(),
        gov_only_condition: gov.get_str("condition")?.to_string(),
        other,
    })
}

/// Whether `code` has the ECCN shape: digit, group letter A–E, three digits.
pub(crate) fn is_eccn_shape(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5 && b[0].is_ascii_digit() && (b'A'..=b'E').contains(&b[1]) && b[2..].iter().all(u8::is_ascii_digit)
}

fn ccl(root: &Node<'_>, chart: &CountryChart) -> Result<BTreeMap<String, Eccn>, ImportError> {
    let entries = root.get("entries")?;
    let items = entries.items()?;
    let stated = root.get("entryCount")?;
    if stated.u64()? as usize != items.len() {
        return Err(stated.error(format!("states {} entries, the list has {}", stated.u64()?, items.len())));
    }
    let columns: BTreeSet<&str> = chart.columns.iter().map(String::as_str).collect();
    let mut out = BTreeMap::new();
    for entry in &items {
        let eccn = eccn(entry, &columns)?;
        if out.contains_key(&eccn.code) {
            return Err(entry.error(format!("ECCN {} appears twice", eccn.code)));
        }
        out.insert(eccn.code.clone(), eccn);
    }
    Ok(out)
}

fn eccn(entry: &Node<'_>, columns: &BTreeSet<&str>) -> Result<Eccn, ImportError> {
    let code_node = entry.get("eccn")?;
    let code = code_node.str()?;
    if !is_eccn_shape(code) {
        return Err(code_node.error(format!("{code:?} is not an ECCN (digit, letter A-E, three digits)")));
    }
    let mut reasons = Vec::new();
    if let Some(rows) = entry.opt("countryChart")? {
        for row in rows.items()? {
            reasons.push(reason_row(&row, columns)?);
        }
    }
    let mut exception_flags = BTreeMap::new();
    if let Some(flags) = entry.opt("licenceExceptionFlags")? {
        for (symbol, text) in flags.members()? {
            exception_flags.insert(symbol.to_string(), text.str()?.trim().to_string());
        }
    }
    let (lvs_limit_usd, lvs_conditions) = match exception_flags.get("LVS") {
        Some(text) => lvs_value(text),
        None => (None, None),
    };
    let text = match entry.opt("items")? {
        Some(items) => Some(item_text(&items)?),
        None => None,
    };
    Ok(Eccn {
        code: code.to_string(),
        category: entry.get_str("category")?.to_string(),
        product_group: entry.get_str("productGroup")?.to_string(),
        heading: entry.get_str("heading")?.to_string(),
        reasons,
        lvs_limit_usd,
        lvs_conditions,
        exception_flags,
        related_controls: entry.opt_str("relatedControls")?.map(String::from),
        text,
    })
}

/// One row of an ECCN's License Requirements table.
fn reason_row(row: &Node<'_>, columns: &BTreeSet<&str>) -> Result<ReasonControl, ImportError> {
    let control = row.get_str("control")?.trim();
    let cell = row.get_str("countryChart")?.trim();
    let reason = reason_code(control).ok_or_else(|| {
        row.error(format!("cannot tell the reason for control from {:?}", control.chars().take(60).collect::<String>()))
    })?;
    let column = chart_column(&reason, cell);
    if let Some(column) = &column
        && !columns.contains(column.as_str())
    {
        return Err(row.error(format!("column {column} is not a column of the Country Chart")));
    }
    Ok(ReasonControl { reason, column, applies_to: control.to_string(), note: cell.to_string() })
}

/// The reason code a License Requirements row opens with ("NS applies to ..."). The
/// Russian industry-sector rows (§ 746.8) have no two-letter code; they get "RUS".
fn reason_code(control: &str) -> Option<String> {
    let first = control.split_whitespace().next()?;
    if first.len() == 2 && first.chars().all(|c| c.is_ascii_uppercase()) {
        Some(first.to_string())
    } else if control.starts_with("Russian industry sector") {
        Some("RUS".to_string())
    } else {
        None
    }
}

/// The chart column a cell names: "NS Column 2." → NS2. A bare "Column 1." takes the
/// row's reason. When a cell names several ("NP Column 1 AT Column 1"), the one for the
/// row's reason wins. `None` when the cell points elsewhere.
fn chart_column(reason: &str, cell: &str) -> Option<String> {
    let tokens: Vec<&str> = cell.split_whitespace().collect();
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if *token != "Column" {
            continue;
        }
        let Some(digit) = tokens.get(i + 1).and_then(|t| t.chars().next()).filter(char::is_ascii_digit) else {
            continue;
        };
        let prefix = match i.checked_sub(1).map(|j| tokens[j]) {
            Some(p) if p.len() == 2 && p.chars().all(|c| c.is_ascii_uppercase()) => p,
            _ => reason,
        };
        found.push(format!("{prefix}{digit}"));
    }
    found.iter().find(|c| c.starts_with(reason)).or(found.first()).cloned()
}

/// Reads the LVS text's opening value: "$1,500; N/A for NP" → (1500, "N/A for NP").
fn lvs_value(text: &str) -> (Option<u64>, Option<String>) {
    let Some(rest) = text.strip_prefix('$') else { return (None, None) };
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == ',').collect();
    let Ok(value) = digits.replace(',', "").parse::<u64>() else { return (None, None) };
    let after = rest[digits.len()..].trim();
    // "$500 for 0A501.c" and "$3000: 3A002.a" give a value per paragraph, not per entry.
    if after.starts_with("for") || after.starts_with(':') {
        return (None, None);
    }
    let conditions = after.trim_start_matches(['.', ',', ';']).trim();
    (Some(value), (!conditions.is_empty()).then(|| conditions.to_string()))
}

/// The entry's items as lines: "a.1 Items having ...".
fn item_text(items: &Node<'_>) -> Result<String, ImportError> {
    let mut lines = Vec::new();
    for item in items.items()? {
        let text = item.get_str("text")?.trim();
        match item.opt_str("paragraph")? {
            Some(p) => lines.push(format!("{p} {text}")),
            None => lines.push(text.to_string()),
        }
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_from_cells() {
        assert_eq!(chart_column("NS", "NS Column 2."), Some("NS2".into()));
        assert_eq!(chart_column("CB", "Column 1."), Some("CB1".into()));
        assert_eq!(chart_column("AT", "NP Column 1 AT Column 1"), Some("AT1".into()));
        assert_eq!(chart_column("RS", "To or within any destination worldwide. See § 742.6(a)(6)(iii)(A) of the EAR."), None);
    }

    #[test]
    fn lvs_values() {
        assert_eq!(lvs_value("$1,500"), (Some(1500), None));
        assert_eq!(lvs_value("$1500."), (Some(1500), None));
        assert_eq!(lvs_value("$5000, except N/A for MT"), (Some(5000), Some("except N/A for MT".into())));
        assert_eq!(lvs_value("$500 for 0A504.g."), (None, None));
        assert_eq!(lvs_value("N/A"), (None, None));
        assert_eq!(lvs_value("Yes: $500 for “components,”"), (None, None));
    }

    #[test]
    fn citations_from_pointers() {
        assert_eq!(cfr_citation("See part 746 of the EAR to determine"), Some("15 CFR 746".into()));
        assert_eq!(
            cfr_citation("See Sections 742.19 and 746.4 of the EAR to determine"),
            Some("15 CFR 742.19, 746.4".into())
        );
        assert_eq!(cfr_citation("See § 746.9 of the EAR"), Some("15 CFR 746.9".into()));
        assert_eq!(cfr_citation("nothing here"), None);
    }
}
