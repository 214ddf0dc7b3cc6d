//! OFAC's Remarks grammar: facts separated by `;`, each a label and a value, an `alt. `
//! prefix for a second value of the same fact, and a full stop after the last one:
//!
//! ```text
//! DOB 1984; alt. DOB 08 Jan 1982; POB Pyongyang, North Korea; nationality Korea, North;
//! Gender Male; Passport 836238033 (Korea, North) issued 2009; a.k.a. 'KIM Jong-un'.
//! ```
//!
//! Facts the grammar names are added to the entity in structured form; the whole text is
//! kept as a note whatever the grammar recognises, so nothing the list says is lost.

use super::Countries;
use sekisho_model::{Entity, Identifier, IdentifierKind, NameKind, PartialDate};

/// What a labelled fact becomes on the entity.
#[derive(Debug, Clone, Copy)]
enum Fact {
    BirthDate,
    BirthPlace,
    /// `nationality` and `citizen`: both say which state claims the person.
    Nationality,
    Gender,
    /// A legal person's country of registration.
    Country,
    /// A quoted name: OFAC quotes in Remarks only the names it considers weak.
    Name(NameKind),
    Id(IdentifierKind),
    /// A property whose value is the first word (websites, e-mail addresses).
    Word(&'static str),
    /// A property whose value is the rest of the fact as written.
    Text(&'static str),
    /// A property holding a country (vessel flags): ISO-2 where the name resolves.
    CountryText(&'static str),
}

/// Labels in the order they are tried: a label that is a prefix of another comes after it.
const FACTS: &[(&str, Fact)] = &[
    ("DOB", Fact::BirthDate),
    ("POB", Fact::BirthPlace),
    ("nationality", Fact::Nationality),
    ("citizen", Fact::Nationality),
    ("Gender", Fact::Gender),
    ("Nationality of Registration", Fact::Country),
    ("a.k.a.", Fact::Name(NameKind::WeakAlias)),
    ("f.k.a.", Fact::Name(NameKind::PreviousName)),
    ("n.k.a.", Fact::Name(NameKind::Alias)),
    ("Linked To", Fact::Text("linkedTo")),
    ("Website", Fact::Word("website")),
    ("Email Address", Fact::Word("email")),
    ("Email", Fact::Word("email")),
    ("Phone Number", Fact::Text("phone")),
    ("Telephone", Fact::Text("phone")),
    // Vessels and aircraft.
    (
        "Vessel Registration Identification IMO",
        Fact::Id(IdentifierKind::Imo),
    ),
    ("Company Number IMO", Fact::Id(IdentifierKind::Imo)),
    ("Identification Number IMO", Fact::Id(IdentifierKind::Imo)),
    ("IMO", Fact::Id(IdentifierKind::Imo)),
    ("MMSI", Fact::Id(IdentifierKind::Mmsi)),
    ("Other Vessel Call Sign", Fact::Id(IdentifierKind::CallSign)),
    ("Other Vessel Flag", Fact::CountryText("flag")),
    ("Former Vessel Flag", Fact::CountryText("pastFlags")),
    ("Other Vessel Type", Fact::Text("type")),
    ("Vessel Year of Build", Fact::Text("buildDate")),
    (
        "Aircraft Tail Number",
        Fact::Id(IdentifierKind::AircraftRegistration),
    ),
    (
        "Previous Aircraft Tail Number",
        Fact::Id(IdentifierKind::AircraftRegistration),
    ),
    (
        "Aircraft Manufacturer's Serial Number (MSN)",
        Fact::Text("serialNumber"),
    ),
    ("Aircraft Manufacture Date", Fact::Text("buildDate")),
    ("Aircraft Model", Fact::Text("model")),
    ("Aircraft Operator", Fact::Text("operator")),
    // Banks and companies.
    ("SWIFT/BIC", Fact::Id(IdentifierKind::SwiftBic)),
    ("Legal Entity Number", Fact::Id(IdentifierKind::Lei)),
    ("Tax ID No.", Fact::Id(IdentifierKind::Tax)),
    ("NIT", Fact::Id(IdentifierKind::Tax)),
    ("RUC", Fact::Id(IdentifierKind::Tax)),
    ("R.F.C.", Fact::Id(IdentifierKind::Tax)),
    ("RFC", Fact::Id(IdentifierKind::Tax)),
    ("RIF", Fact::Id(IdentifierKind::Tax)),
    ("RTN", Fact::Id(IdentifierKind::Tax)),
    ("C.U.I.T.", Fact::Id(IdentifierKind::Tax)),
    ("V.A.T. Number", Fact::Id(IdentifierKind::Tax)),
    ("US FEIN", Fact::Id(IdentifierKind::Tax)),
    ("Italian Fiscal Code", Fact::Id(IdentifierKind::Tax)),
    ("Registration ID", Fact::Id(IdentifierKind::Registration)),
    (
        "Registration Number",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "Business Registration Number",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "Business Registration Document",
        Fact::Id(IdentifierKind::Registration),
    ),
    ("Company Number", Fact::Id(IdentifierKind::Registration)),
    ("UK Company Number", Fact::Id(IdentifierKind::Registration)),
    (
        "Commercial Registry Number",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "Certificate of Incorporation Number",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "Chamber of Commerce Number",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "Folio Mercantil No.",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "Matricula Mercantil No",
        Fact::Id(IdentifierKind::Registration),
    ),
    ("Trade License No.", Fact::Id(IdentifierKind::Registration)),
    ("C.R. No.", Fact::Id(IdentifierKind::Registration)),
    (
        "Public Registration Number",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "Government Gazette Number",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "United Social Credit Code Certificate (USCCC)",
        Fact::Id(IdentifierKind::Registration),
    ),
    (
        "Registered Charity No.",
        Fact::Id(IdentifierKind::Registration),
    ),
    ("Enterprise Number", Fact::Id(IdentifierKind::Registration)),
    // Persons.
    ("Passport", Fact::Id(IdentifierKind::Passport)),
    ("Diplomatic Passport", Fact::Id(IdentifierKind::Passport)),
    ("National ID No.", Fact::Id(IdentifierKind::NationalId)),
    (
        "National Foreign ID Number",
        Fact::Id(IdentifierKind::NationalId),
    ),
    ("Cedula No.", Fact::Id(IdentifierKind::NationalId)),
    ("C.U.R.P.", Fact::Id(IdentifierKind::NationalId)),
    ("D.N.I.", Fact::Id(IdentifierKind::NationalId)),
    (
        "Identification Number",
        Fact::Id(IdentifierKind::NationalId),
    ),
    ("Personal ID Card", Fact::Id(IdentifierKind::NationalId)),
    ("SSN", Fact::Id(IdentifierKind::NationalId)),
    (
        "Electoral Registry No.",
        Fact::Id(IdentifierKind::NationalId),
    ),
    ("Credencial electoral", Fact::Id(IdentifierKind::NationalId)),
    ("I.F.E.", Fact::Id(IdentifierKind::NationalId)),
    ("LE Number", Fact::Id(IdentifierKind::NationalId)),
    ("Residency Number", Fact::Id(IdentifierKind::NationalId)),
    (
        "Turkish Identification Number",
        Fact::Id(IdentifierKind::NationalId),
    ),
    ("Numero de Identidad", Fact::Id(IdentifierKind::NationalId)),
    (
        "Citizen's Card Number",
        Fact::Id(IdentifierKind::NationalId),
    ),
    ("Kenyan ID No.", Fact::Id(IdentifierKind::NationalId)),
    ("Travel Document Number", Fact::Id(IdentifierKind::Other)),
    ("Driver's License No.", Fact::Id(IdentifierKind::Other)),
    ("Birth Certificate Number", Fact::Id(IdentifierKind::Other)),
    ("D-U-N-S Number", Fact::Id(IdentifierKind::Other)),
];

/// Adds the facts of a Remarks text (with its sdn_comments continuation) to the entity, and
/// the text itself as a note.
pub(super) fn apply(entity: &mut Entity, remarks: String, countries: &mut Countries) {
    read_facts(entity, &remarks, countries);
    if entity.notes.is_empty() && is_clean(&remarks) {
        // What `add_note` would store, without copying the longest text of the list again.
        entity.notes.push(remarks);
    } else {
        entity.add_note(&remarks);
    }
}

/// Already trimmed, with single spaces only: the form `Entity::add_note` stores.
fn is_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    !text.is_empty()
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !text.contains("  ")
        && !text.chars().any(|c| c.is_whitespace() && c != ' ')
}

fn read_facts(entity: &mut Entity, remarks: &str, countries: &mut Countries) {
    for segment in strip_final_period(remarks.trim()).split(';') {
        let segment = segment.trim();
        let segment = segment.strip_prefix("alt. ").unwrap_or(segment);
        if let Some((label, fact, value)) = recognise(segment) {
            apply_fact(entity, label, fact, value, countries);
        }
    }
}

fn recognise(segment: &str) -> Option<(&'static str, Fact, &str)> {
    let first = *segment.as_bytes().first()?;
    FACTS.iter().find_map(|&(label, fact)| {
        // Comparing first bytes spares a call to memcmp for most of the ~90 labels.
        if label.as_bytes()[0] != first {
            return None;
        }
        let rest = segment.strip_prefix(label)?;
        // The label must end at a word boundary: `RUC # 123`, `Website: x`, not `RUCKER`.
        if !rest.starts_with([' ', ':', '#']) {
            return None;
        }
        let value = rest.trim_start_matches([' ', ':', '#']).trim_end();
        (!value.is_empty()).then_some((label, fact, value))
    })
}

fn apply_fact(
    entity: &mut Entity,
    label: &'static str,
    fact: Fact,
    value: &str,
    countries: &mut Countries,
) {
    match fact {
        Fact::BirthDate => {
            for date in birth_dates(value) {
                entity.add_birth_date(date);
            }
        }
        Fact::BirthPlace => entity.add_birth_place(value),
        Fact::Nationality => {
            if let Some(code) = countries.iso2(value) {
                entity.add_nationality(code);
            }
        }
        Fact::Country => {
            if let Some(code) = countries.iso2(value) {
                entity.add_country(code);
            }
        }
        Fact::Gender => {
            let value = value.trim_end_matches('.');
            if value.eq_ignore_ascii_case("male") || value.eq_ignore_ascii_case("female") {
                entity.gender = Some(value.to_ascii_lowercase());
            }
        }
        Fact::Name(kind) => entity.add_name(unquote(value), kind),
        Fact::Id(kind) => entity.add_identifier(identifier(kind, label, value, countries)),
        Fact::Word(property) => {
            if let Some(word) = value.split_whitespace().next() {
                entity.add_property(property, word.trim_end_matches(['.', ',']));
            }
        }
        Fact::Text(property) => entity.add_property(property, value),
        Fact::CountryText(property) => add_flag(entity, property, value, countries),
    }
}

/// A vessel flag: ISO-2 where the name resolves, as written otherwise. OFAC writes
/// "None Identified" for a flag it does not know, which is no flag.
pub(super) fn add_flag(
    entity: &mut Entity,
    property: &str,
    value: &str,
    countries: &mut Countries,
) {
    if !value.eq_ignore_ascii_case("None Identified") {
        entity.add_property(property, countries.iso2(value).unwrap_or(value));
    }
}

/// The remarks end with a full stop that is not part of the last value, except where the
/// last value is an abbreviation that ends in its own stop (`Linked To: R D I S.A.`).
fn strip_final_period(text: &str) -> &str {
    let Some(stripped) = text.strip_suffix('.') else {
        return text;
    };
    let abbreviation = stripped.len() >= 2 && stripped.as_bytes()[stripped.len() - 2] == b'.';
    if abbreviation { text } else { stripped }
}

/// `'BNC'` → `BNC`; quotes inside a name (`'AL-QA'IDA'`) are kept.
fn unquote(value: &str) -> &str {
    let value = value.trim();
    let value = value.strip_prefix('\'').unwrap_or(value);
    value.strip_suffix('\'').unwrap_or(value)
}

/// `123 (Iran) issued 2009` → value `123`, country `IR`, note `Passport, issued 2009`.
/// A parenthesis that names no known country stays in the note.
fn identifier(
    kind: IdentifierKind,
    label: &str,
    value: &str,
    countries: &mut Countries,
) -> Identifier {
    let mut note = vec![label];
    let (number, country, tail) = match value.split_once(" (") {
        Some((number, rest)) => {
            let (inside, tail) = rest.split_once(')').unwrap_or((rest, ""));
            (number, Some(inside.trim()), tail)
        }
        None => {
            let cut = [" issued", " expires"]
                .iter()
                .filter_map(|m| value.find(m))
                .min()
                .unwrap_or(value.len());
            (&value[..cut], None, &value[cut..])
        }
    };
    let iso = country.and_then(|name| countries.iso2(name));
    if let (Some(name), None) = (country, iso) {
        note.push(name);
    }
    // A stop after the parenthesis (`(Spain).`) ends the fact; it is no note.
    let tail = tail.trim_matches([' ', ',', '.']);
    if !tail.is_empty() {
        note.push(tail);
    }
    Identifier {
        kind,
        value: number.trim().trim_end_matches(['.', ',']).to_string(),
        country: iso.map(str::to_string),
        note: Some(note.join(", ")),
    }
}

/// Years a range may span before it is taken as its two ends only: a guard against typos
/// like `1950 to 2950` turning into a thousand birth dates.
const MAX_RANGE_YEARS: u16 = 20;

/// OFAC's DOB forms: `08 Jan 1982`, `Jan 1982`, `1982`, `circa 1982`, and ranges
/// (`1968 to 1969`, `01 Jan 1946 to 31 Dec 1948`, `circa 1979-1982`) that give each year.
pub(super) fn birth_dates(value: &str) -> Vec<PartialDate> {
    let value = value.trim().trim_end_matches('.');
    let value = value.strip_prefix("circa ").unwrap_or(value).trim();
    let range = value.split_once(" to ").or_else(|| {
        // `1979-1982`: only a hyphen between two bare years is a range.
        value
            .split_once('-')
            .filter(|(a, b)| a.len() == 4 && b.len() == 4)
    });
    if let Some((from, to)) = range {
        let from = from.trim().strip_prefix("circa ").unwrap_or(from.trim());
        return match (single_date(from), single_date(to.trim())) {
            (Some(a), Some(b)) => year_range(&a, &b),
            (a, b) => a.into_iter().chain(b).collect(),
        };
    }
    single_date(value).into_iter().collect()
}

fn year_range(from: &PartialDate, to: &PartialDate) -> Vec<PartialDate> {
    let (a, b) = (from.year_value(), to.year_value());
    if a <= b && b - a <= MAX_RANGE_YEARS {
        (a..=b).map(PartialDate::year).collect()
    } else {
        vec![PartialDate::year(a), PartialDate::year(b)]
    }
}

/// `08 Jan 1982`, `Jan 1982` or `1982`.
fn single_date(value: &str) -> Option<PartialDate> {
    let mut parts = value.split_whitespace().rev();
    let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let month = match parts.next() {
        Some(name) => Some(sekisho_model::english_month(name)?),
        None => None,
    };
    let day = match parts.next() {
        Some(day) if day.len() <= 2 => Some(day.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    PartialDate::new(year, month, day)
}


#[cfg(test)]
mod tests {
    use super::*;
    use sekisho_model::Schema;

    fn dates(value: &str) -> Vec<String> {
        birth_dates(value).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reads_every_dob_form() {
        assert_eq!(dates("08 Jan 1982"), ["1982-01-08"]);
        assert_eq!(dates("Apr 1963"), ["1963-04"]);
        assert_eq!(dates("1984."), ["1984"]);
        assert_eq!(dates("circa 1951"), ["1951"]);
        assert_eq!(dates("circa 01 Jan 1961"), ["1961-01-01"]);
        assert_eq!(dates("1968 to 1970"), ["1968", "1969", "1970"]);
        assert_eq!(dates("01 Jan 1946 to 31 Dec 1947"), ["1946", "1947"]);
        assert_eq!(dates("Mar 1962 to Feb 1963"), ["1962", "1963"]);
        assert_eq!(dates("circa 1979-1982"), ["1979", "1980", "1981", "1982"]);
        assert_eq!(dates("1900 to 1990"), ["1900", "1990"]);
        assert!(dates("31 Feb 1980").is_empty());
        assert!(dates("unknown").is_empty());
        assert!(dates("").is_empty());
    }

    #[test]
    fn a_final_abbreviation_keeps_its_stop() {
        assert_eq!(
            strip_final_period("Linked To: LAZARUS GROUP."),
            "Linked To: LAZARUS GROUP"
        );
        assert_eq!(
            strip_final_period("Linked To: R D I S.A."),
            "Linked To: R D I S.A."
        );
        assert_eq!(strip_final_period("Gender Male"), "Gender Male");
    }

    #[test]
    fn labels_end_at_a_word_boundary() {
        assert!(recognise("RUCKER 12").is_none());
        assert!(matches!(
            recognise("RUC # 20108363101 (Peru)"),
            Some(("RUC", _, "20108363101 (Peru)"))
        ));
        assert!(matches!(
            recognise("Website:  www.x.org"),
            Some(("Website", _, "www.x.org"))
        ));
        assert!(matches!(
            recognise("Identification Number IMO 5342883"),
            Some(("Identification Number IMO", _, "5342883"))
        ));
    }

    #[test]
    fn identifiers_keep_what_follows_as_a_note() {
        let id = identifier(
            IdentifierKind::Passport,
            "Passport",
            "G025057 issued 23 Jun 1999 expires 05 Feb 2004",
            &mut Countries::default(),
        );
        assert_eq!(id.value, "G025057");
        assert_eq!(id.country, None);
        assert_eq!(
            id.note.as_deref(),
            Some("Passport, issued 23 Jun 1999 expires 05 Feb 2004")
        );
        let id = identifier(
            IdentifierKind::NationalId,
            "D.N.I.",
            "78.865.882 (Spain).",
            &mut Countries::default(),
        );
        assert_eq!(id.value, "78.865.882");
        assert_eq!(id.country.as_deref(), Some("ES"));
        assert_eq!(id.note.as_deref(), Some("D.N.I."));
        let id = identifier(
            IdentifierKind::Tax,
            "RUC",
            "123 (Atlantis) issued 2001",
            &mut Countries::default(),
        );
        assert_eq!((id.value.as_str(), id.country), ("123", None));
        assert_eq!(id.note.as_deref(), Some("RUC, Atlantis, issued 2001"));
    }

    #[test]
    fn notes_are_stored_as_add_note_would() {
        for text in [
            "a.k.a. 'BNC'.",
            " two  spaces ",
            "tab\there",
            "line\r\nbreak",
        ] {
            let mut direct = Entity::new("t", Schema::Person, "t", "t");
            apply(&mut direct, text.to_string(), &mut Countries::default());
            let mut expected = Entity::new("t", Schema::Person, "t", "t");
            expected.add_note(text);
            assert_eq!(direct.notes, expected.notes, "{text:?}");
        }
    }

    #[test]
    fn gender_and_unknown_facts() {
        let mut e = Entity::new("t", Schema::Person, "t", "t");
        apply(
            &mut e,
            "Gender Female; Something OFAC says; alt. Email Address a@b.ir.".into(),
            &mut Countries::default(),
        );
        assert_eq!(e.gender.as_deref(), Some("female"));
        assert_eq!(e.properties["email"], ["a@b.ir"]);
        assert_eq!(
            e.notes,
            ["Gender Female; Something OFAC says; alt. Email Address a@b.ir."]
        );
    }
}
