//! The trade.gov Consolidated Screening List (CSL), `consolidated.csv`.
//!
//! One CSV (UTF-8, RFC 4180, every field quoted) merges twelve US lists of Commerce, State and
//! Treasury: SDN, Entity List, Denied Persons, Unverified, Military End User, ISN, DTC, SSI,
//! PLC, CMIC, NS-MBS, CAPTA. The header is
//! `_id,source,entity_number,type,programs,name,title,addresses,...,ids` (29 columns); multi-valued
//! columns separate values with `;`.
//!
//! Mapping to [`Entity`]:
//!
//! | column | becomes |
//! |---|---|
//! | `_id` | id `csl-{_id}` (must be unique) |
//! | `entity_number` (else `_id`) | `provenance.source_id` |
//! | `source` | `facts.list` |
//! | `type` | schema: `Individual` → Person, `Entity` → Organization (OFAC's "entity" covers companies, agencies, armed groups; FtM's Company is a narrower kind of Organization), `Vessel`, `Aircraft` → Airplane, empty → LegalEntity |
//! | `name` | Primary name; a name holding `; a.k.a. X` gives alias X, `; and any successor, ...` a note, any other `; X` an alias (ISN and DTC write these into the name) |
//! | `alt_names` | aliases (EL's leading `and ` dropped) |
//! | `programs` | programs |
//! | `title` | property `title` |
//! | `addresses` | addresses `{full, country}`: the country is the last comma part, resolved by [`to_iso2`]; an EL `; and ...` continuation shares the country of the address it continues; a part that is only a country adds a country, not an address |
//! | `federal_register_notice` | `facts.federal_register`, one per citation |
//! | `start_date` / `end_date` | `provenance.listed_on` / property `endDate` (ISO dates, strict) |
//! | `standard_order` | property `standardOrder` (DPL rows) |
//! | `license_requirement` / `license_policy` | `facts` (Entity List, MEU) |
//! | `call_sign` | identifier CallSign |
//! | vessel columns | properties `type`, `tonnage`, `grossRegisteredTonnage`, `flag`, `owner` |
//! | `remarks` | note |
//! | `source_list_url` (else `source_information_url`) | `provenance.source_url` |
//! | `citizenships`, `nationalities` | nationalities (unresolved names kept as a note) |
//! | `dates_of_birth` | birth dates ([`birth_dates`]; unreadable ones kept as a note) |
//! | `places_of_birth` | birth places |
//! | `ids` | `type, number[, country]` triples: identifiers by kind, `Gender` → gender, contact and aircraft facts → properties, sanction facts (`Secondary sanctions risk:`, ...) → notes |
//!
//! Strict (a [`ParseError`] naming file, line and column): invalid UTF-8, bad quoting, a wrong
//! field count, a header that is not the 29 known columns, a blank or duplicate `_id`, a blank
//! `name` or `source`, an unknown `type`, a `start_date`/`end_date` that is not `YYYY-MM-DD`.
//! Lenient by design, because OFAC writes them as free text and one odd value must not block
//! an update: dates of birth, country names and id types; what cannot be mapped is kept as a
//! note. The file carries no list date, so `list_date` is `None`.

mod delimited;

use std::collections::HashSet;

use sekisho_model::country::to_iso2;
use sekisho_model::{Address, Entity, Identifier, IdentifierKind, NameKind, PartialDate, Schema};

use crate::error::Location;
use crate::{InputFile, ParseError, Parsed};

pub(crate) use delimited::{Row, for_each_row, utf8_text};

/// The dataset name of CSL entities.
pub const SOURCE: &str = "us_trade_csl";

const COLUMNS: [&str; 29] = [
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
];

/// Indexes into [`COLUMNS`].
mod col {
    pub const ID: usize = 0;
    pub const SOURCE: usize = 1;
    pub const ENTITY_NUMBER: usize = 2;
    pub const TYPE: usize = 3;
    pub const PROGRAMS: usize = 4;
    pub const NAME: usize = 5;
    pub const TITLE: usize = 6;
    pub const ADDRESSES: usize = 7;
    pub const FEDERAL_REGISTER_NOTICE: usize = 8;
    pub const START_DATE: usize = 9;
    pub const END_DATE: usize = 10;
    pub const STANDARD_ORDER: usize = 11;
    pub const LICENSE_REQUIREMENT: usize = 12;
    pub const LICENSE_POLICY: usize = 13;
    pub const CALL_SIGN: usize = 14;
    pub const VESSEL_TYPE: usize = 15;
    pub const GROSS_TONNAGE: usize = 16;
    pub const GROSS_REGISTERED_TONNAGE: usize = 17;
    pub const VESSEL_FLAG: usize = 18;
    pub const VESSEL_OWNER: usize = 19;
    pub const REMARKS: usize = 20;
    pub const SOURCE_LIST_URL: usize = 21;
    pub const ALT_NAMES: usize = 22;
    pub const CITIZENSHIPS: usize = 23;
    pub const DATES_OF_BIRTH: usize = 24;
    pub const NATIONALITIES: usize = 25;
    pub const PLACES_OF_BIRTH: usize = 26;
    pub const SOURCE_INFORMATION_URL: usize = 27;
    pub const IDS: usize = 28;
}

/// True for a CSL file: its first line is the CSL header, quoted or not.
pub fn sniff(file: &InputFile) -> bool {
    let bytes = file.bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&file.bytes);
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let unquoted: Vec<u8> = first_line.iter().take(256).copied().filter(|&b| b != b'"').collect();
    unquoted.starts_with(b"_id,source,entity_number,type,programs,name,")
}

/// Parses one or more CSL files into entities; the first error aborts the whole parse.
pub fn parse(files: &[InputFile]) -> Result<Parsed, ParseError> {
    let mut entities = Vec::new();
    // Where each entity came from, for the message about a repeated `_id`.
    let mut origins: Vec<(usize, u64)> = Vec::new();
    for (file_index, file) in files.iter().enumerate() {
        parse_file(file, |line, entity| {
            entities.push(entity);
            origins.push((file_index, line));
            Ok(())
        })?;
    }
    let mut seen: HashSet<&str> = HashSet::with_capacity(entities.len());
    for (index, entity) in entities.iter().enumerate() {
        if !seen.insert(&entity.id) {
            let first = entities.iter().position(|e| e.id == entity.id).unwrap_or(index);
            let (first_file, first_line) = origins[first];
            let (file, line) = origins[index];
            return Err(ParseError::new(
                &files[file].path,
                Location::Line(line),
                format!(
                    "duplicate _id {:?}, first at {}:{first_line}",
                    entity.id.strip_prefix("csl-").unwrap_or(&entity.id),
                    files[first_file].path.display()
                ),
            )
            .with_field("_id"));
        }
    }
    Ok(Parsed { entities, list_date: None })
}

/// Reads one file and hands each row's entity, with its line, to `keep`.
fn parse_file(
    file: &InputFile,
    mut keep: impl FnMut(u64, Entity) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let path = file.path.as_path();
    let text = utf8_text(&file.bytes)
        .map_err(|line| ParseError::new(path, Location::Line(line), "not valid UTF-8 text"))?;
    for_each_row(path, text, b',', &COLUMNS, "CSL", |row| keep(row.line, entity_from_row(row)?))?;
    Ok(())
}

type CslRow<'r, 'a> = Row<'r, 'a, 29>;

fn entity_from_row(row: &CslRow<'_, '_>) -> Result<Entity, ParseError> {
    let record_id = row.get(col::ID);
    if record_id.is_empty() {
        return Err(row.error(col::ID, "missing record id"));
    }
    let name = row.get(col::NAME);
    if name.is_empty() {
        return Err(row.error(col::NAME, "missing name"));
    }
    let list = row.get(col::SOURCE);
    if list.is_empty() {
        return Err(row.error(col::SOURCE, "missing source list"));
    }
    let schema = schema_of(row.get(col::TYPE)).ok_or_else(|| {
        row.error(
            col::TYPE,
            format!(
                "unknown type {:?}; expected Individual, Entity, Vessel, Aircraft or empty",
                row.get(col::TYPE)
            ),
        )
    })?;
    let entity_number = row.get(col::ENTITY_NUMBER);
    let source_id = if entity_number.is_empty() { record_id } else { entity_number };
    let mut e = Entity::new(format!("csl-{record_id}"), schema, SOURCE, source_id);
    e.facts.list = Some(list.to_string());

    add_listed_name(&mut e, name);
    for alias in split_list(row.get(col::ALT_NAMES)) {
        let alias = alias.strip_prefix("and ").unwrap_or(alias);
        e.add_name(strip_aka(alias), NameKind::Alias);
    }
    for program in split_list(row.get(col::PROGRAMS)) {
        e.add_program(program);
    }
    e.add_property("title", row.get(col::TITLE));
    add_addresses(&mut e, row.get(col::ADDRESSES));
    for citation in crate::dpl::split_fr_citations(row.get(col::FEDERAL_REGISTER_NOTICE)) {
        if !e.facts.federal_register.contains(&citation) {
            e.facts.federal_register.push(citation);
        }
    }
    e.provenance.listed_on = iso_date(row, col::START_DATE)?;
    if let Some(end) = iso_date(row, col::END_DATE)? {
        e.add_property("endDate", &end.to_string());
    }
    e.add_property("standardOrder", row.get(col::STANDARD_ORDER));
    e.facts.license_requirement = cleaned(row.get(col::LICENSE_REQUIREMENT));
    e.facts.license_policy = cleaned(row.get(col::LICENSE_POLICY));
    add_identifier(&mut e, IdentifierKind::CallSign, row.get(col::CALL_SIGN), None, None);
    e.add_property("type", row.get(col::VESSEL_TYPE));
    e.add_property("tonnage", row.get(col::GROSS_TONNAGE));
    e.add_property("grossRegisteredTonnage", row.get(col::GROSS_REGISTERED_TONNAGE));
    let flag = row.get(col::VESSEL_FLAG);
    e.add_property("flag", country_code(flag).unwrap_or(flag));
    e.add_property("owner", row.get(col::VESSEL_OWNER));
    e.add_note(row.get(col::REMARKS));
    e.provenance.source_url = cleaned(row.get(col::SOURCE_LIST_URL))
        .or_else(|| cleaned(row.get(col::SOURCE_INFORMATION_URL)));
    for (column, label) in [(col::CITIZENSHIPS, "Citizenship"), (col::NATIONALITIES, "Nationality")]
    {
        for country in split_list(row.get(column)) {
            match country_code(country) {
                Some(code) => e.add_nationality(code),
                None => e.add_note(&format!("{label}: {country}")),
            }
        }
    }
    for raw in split_list(row.get(col::DATES_OF_BIRTH)) {
        match birth_dates(raw) {
            Some(dates) => dates.into_iter().for_each(|d| e.add_birth_date(d)),
            None => e.add_note(&format!("Date of birth: {raw}")),
        }
    }
    for place in split_list(row.get(col::PLACES_OF_BIRTH)) {
        e.add_birth_place(place);
    }
    for entry in split_list(row.get(col::IDS)) {
        add_id_entry(&mut e, entry);
    }
    Ok(e)
}

fn schema_of(csl_type: &str) -> Option<Schema> {
    Some(match csl_type.to_ascii_lowercase().as_str() {
        "individual" => Schema::Person,
        "entity" => Schema::Organization,
        "vessel" => Schema::Vessel,
        "aircraft" => Schema::Airplane,
        "" => Schema::LegalEntity,
        _ => return None,
    })
}

/// The non-blank, trimmed values of a `;`-separated column.
fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value.split(';').map(str::trim).filter(|v| !v.is_empty())
}

/// Whitespace-collapsed text, `None` when blank.
fn cleaned(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    // Fast path, the common case: ASCII with single spaces only, copied as it is.
    let mut previous_space = false;
    let simple = value.bytes().all(|b| {
        let ok = b.is_ascii() && !(b.is_ascii_whitespace() && (b != b' ' || previous_space));
        previous_space = b == b' ';
        ok
    });
    if simple {
        return Some(value.to_string());
    }
    let mut out = String::with_capacity(value.len());
    for word in value.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Some(out)
}

/// Drops a leading `a.k.a.` / `aka` marker.
fn strip_aka(name: &str) -> &str {
    let lower_prefix = |p: &str| name.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    for prefix in ["a.k.a.", "a.k.a", "aka "] {
        if lower_prefix(prefix) {
            return name[prefix.len()..].trim_start_matches([' ', ',', ':']);
        }
    }
    name
}

/// The `name` column: ISN and DTC rows pack aliases and scope clauses into it after `;`.
fn add_listed_name(e: &mut Entity, name: &str) {
    let mut parts = split_list(name);
    if let Some(primary) = parts.next() {
        e.add_name(primary, NameKind::Primary);
    }
    for part in parts {
        if part.to_ascii_lowercase().starts_with("and any successor") {
            e.add_note(part);
        } else {
            e.add_name(strip_aka(part), NameKind::Alias);
        }
    }
}

/// The ISO-2 code for a country as trade.gov and BIS write it: mostly ISO-2 codes, sometimes
/// a name (`TURKIYE`, `PRC`) or a region (`REGION: CRIMEA`). `None` when it names no single
/// country; callers keep the text.
pub(crate) fn country_code(raw: &str) -> Option<&'static str> {
    let raw = raw.trim();
    if raw.is_empty() { None } else { to_iso2(raw) }
}

/// The `addresses` column: `street, city, state, postal code, country` per address, `;`
/// between addresses. Entity List rows continue one listing's addresses with `; and ...`;
/// a continuation without its own country shares the country of the last part of its run.
fn add_addresses(e: &mut Entity, value: &str) {
    if value.is_empty() {
        return;
    }
    let mut run: Vec<(&str, Option<&str>)> = Vec::new();
    let flush = |e: &mut Entity, run: &mut Vec<(&str, Option<&str>)>| {
        let shared = run.last().and_then(|(_, country)| *country);
        for (full, country) in run.drain(..) {
            let country = country.or(shared).map(str::to_string);
            e.add_address(Address { full: full.to_string(), country, ..Address::default() });
        }
    };
    for part in split_list(value) {
        let (part, continues) = match part.strip_prefix("and ") {
            Some(rest) => (rest.trim(), true),
            None => (part, false),
        };
        if !continues {
            flush(e, &mut run);
        }
        // A part that is only a country (all the bulk file keeps of an address) adds a country.
        if let (false, Some(code)) = (continues, country_code(part)) {
            e.add_country(code);
            continue;
        }
        let last = part.rsplit(',').next().unwrap_or(part);
        run.push((part, country_code(last)));
    }
    flush(e, &mut run);
}

/// A strict `YYYY-MM-DD` column (`start_date`, `end_date`).
fn iso_date(row: &CslRow<'_, '_>, column: usize) -> Result<Option<PartialDate>, ParseError> {
    let value = row.get(column);
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<PartialDate>() {
        Ok(date) if date.day_value().is_some() => Ok(Some(date)),
        _ => Err(row.error(column, format!("not a date of the form YYYY-MM-DD: {value:?}"))),
    }
}


/// One date of birth as OFAC writes it: `1978-12-05`, `1978-12`, `1955`, `05 Dec 1978`,
/// `Dec 1978`, `circa 1955`, or a range `1955 to 1958` (every year of it, up to 10 years).
/// `None` for anything else, which the caller keeps as a note.
pub fn birth_dates(raw: &str) -> Option<Vec<PartialDate>> {
    let mut text = raw.trim();
    for prefix in ["circa", "ca.", "approximately", "approx."] {
        if text.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix)) {
            text = text[prefix.len()..].trim();
        }
    }
    if let Ok(date) = text.parse::<PartialDate>() {
        return Some(vec![date]);
    }
    for separator in [" to ", " - ", "-"] {
        if let Some((from, to)) = text.split_once(separator) {
            let (Ok(from), Ok(to)) = (from.trim().parse::<u16>(), to.trim().parse::<u16>()) else {
                continue;
            };
            if from < to && to - from <= 10 {
                return (from..=to).map(|y| PartialDate::new(y, None, None)).collect();
            }
            return None;
        }
    }
    let words: Vec<&str> = text.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let date = match words.as_slice() {
        [day, month, year] => PartialDate::new(
            year.parse().ok()?,
            Some(sekisho_model::english_month(month)?),
            Some(day.parse().ok()?),
        ),
        [month, year] => PartialDate::new(year.parse().ok()?, Some(sekisho_model::english_month(month)?), None),
        _ => None,
    }?;
    Some(vec![date])
}

fn add_identifier(
    e: &mut Entity,
    kind: IdentifierKind,
    value: &str,
    country: Option<&str>,
    note: Option<&str>,
) {
    if let Some(value) = cleaned(value) {
        e.add_identifier(Identifier {
            kind,
            value,
            country: country.map(str::to_string),
            note: note.map(str::to_string),
        });
    }
}

/// What an OFAC id type becomes.
enum IdTarget {
    Identifier(IdentifierKind),
    Gender,
    Property(&'static str),
    Note,
}

/// Classifies an id type by keywords of its label (OFAC has over a hundred labels:
/// `Passport`, `Cedula No.`, `V.A.T. Number`, `Unified Social Credit Code (USCC)`, ...).
fn id_target(label: &str) -> IdTarget {
    use IdentifierKind as K;
    let l = label.to_ascii_lowercase();
    let has = |phrases: &[&str]| phrases.iter().any(|p| l.contains(p));
    // Short abbreviations only as whole words: `vat` is in "private", `inn` in "pinnacle".
    let has_word = |words: &[&str]| {
        l.split(|c: char| !c.is_ascii_alphanumeric()).any(|token| words.contains(&token))
    };
    // Labels ending in `:` or ` -` introduce sanction facts, not identifiers.
    if l.ends_with(':') || l.ends_with('-') || has(&["sanctions", "directive", "effective date"]) {
        return IdTarget::Note;
    }
    if l == "gender" {
        return IdTarget::Gender;
    }
    let property = |p| IdTarget::Property(p);
    if has(&["email"]) {
        return property("email");
    }
    if has(&["website"]) {
        return property("website");
    }
    if has(&["phone", "fax"]) {
        return property("phone");
    }
    if has(&["aircraft model"]) {
        return property("model");
    }
    if has(&["aircraft operator"]) {
        return property("operator");
    }
    if has(&["manufacture date", "year of build"]) {
        return property("buildDate");
    }
    if has(&["serial number", "construction number"]) {
        return property("serialNumber");
    }
    if has(&["organization established date"]) {
        return property("incorporationDate");
    }
    if has(&["organization type"]) {
        return property("legalForm");
    }
    if has(&["vessel flag"]) {
        return property("pastFlags");
    }
    if has(&["digital currency address"]) {
        return property("cryptoWallet");
    }
    let kind = if has(&["passport"]) {
        K::Passport
    } else if has(&["swift"]) || has_word(&["bic"]) {
        K::SwiftBic
    } else if has(&["mmsi"]) {
        K::Mmsi
    } else if has(&["vessel registration"]) || has_word(&["imo"]) {
        K::Imo
    } else if has(&["call sign"]) {
        K::CallSign
    } else if has(&["tail number", "aircraft"]) {
        K::AircraftRegistration
    } else if has(&["legal entity number"]) || has_word(&["lei"]) {
        K::Lei
    } else if has(&["tax", "v.a.t.", "nit #"]) || has_word(&["vat", "rfc", "inn", "tin", "itin"]) {
        K::Tax
    } else if has(&[
        "registration",
        "registry",
        "register",
        "company number",
        "business number",
        "incorporation",
        "chamber of commerce",
        "credit code",
        "uscc",
        "enterprise number",
        "trade license",
        "matricula",
        "folio",
    ]) || has_word(&["ruc"])
    {
        K::Registration
    } else if has(&[
        "national id",
        "identification",
        "id no",
        "id card",
        "cedula",
        "d.n.i",
        "c.u.r.p",
        "personal id",
        "residency",
        "citizen",
    ]) || has_word(&["ssn"])
    {
        K::NationalId
    } else {
        K::Other
    };
    IdTarget::Identifier(kind)
}

/// One `ids` entry: `type, value[, country]`. The value may itself hold commas; a last part of
/// two capital letters is the issuing country.
fn add_id_entry(e: &mut Entity, entry: &str) {
    let Some((label, rest)) = entry.split_once(',') else {
        e.add_note(entry);
        return;
    };
    let (label, rest) = (label.trim(), rest.trim());
    match id_target(label) {
        IdTarget::Note => e.add_note(&format!("{label} {rest}")),
        IdTarget::Gender => e.gender = cleaned(rest).map(|g| g.to_lowercase()),
        IdTarget::Property(property) => e.add_property(property, rest),
        IdTarget::Identifier(kind) => {
            let (value, country) = match rest.rsplit_once(',') {
                Some((value, code))
                    if code.trim().len() == 2
                        && code.trim().bytes().all(|b| b.is_ascii_uppercase()) =>
                {
                    (value.trim(), country_code(code))
                }
                _ => (rest, None),
            };
            let value = match kind {
                IdentifierKind::Imo => value.strip_prefix("IMO").map_or(value, str::trim),
                _ => value,
            };
            add_identifier(e, kind, value, country, Some(label));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_birth_date_form() {
        let one =
            |s: &str| birth_dates(s).map(|d| d.iter().map(|d| d.to_string()).collect::<Vec<_>>());
        assert_eq!(one("1978-12-05"), Some(vec!["1978-12-05".into()]));
        assert_eq!(one("1955"), Some(vec!["1955".into()]));
        assert_eq!(one("05 Dec 1978"), Some(vec!["1978-12-05".into()]));
        assert_eq!(one("5 December 1978"), Some(vec!["1978-12-05".into()]));
        assert_eq!(one("Dec 1978"), Some(vec!["1978-12".into()]));
        assert_eq!(one("circa 1958"), Some(vec!["1958".into()]));
        assert_eq!(one("1960 to 1962"), Some(vec!["1960".into(), "1961".into(), "1962".into()]));
        assert_eq!(one("1960 - 1961"), Some(vec!["1960".into(), "1961".into()]));
        assert_eq!(one("1900 to 1960"), None);
        assert_eq!(one("31 Feb 1978"), None);
        assert_eq!(one("unknown"), None);
        assert_eq!(one("05 Decimal 1978"), None);
    }

    #[test]
    fn classifies_id_labels() {
        let kind = |l: &str| match id_target(l) {
            IdTarget::Identifier(k) => format!("{k:?}"),
            IdTarget::Gender => "gender".into(),
            IdTarget::Property(p) => p.into(),
            IdTarget::Note => "note".into(),
        };
        assert_eq!(kind("Passport"), "Passport");
        assert_eq!(kind("Registration ID"), "Registration");
        assert_eq!(kind("V.A.T. Number"), "Tax");
        assert_eq!(kind("Tax ID No."), "Tax");
        assert_eq!(kind("SWIFT/BIC"), "SwiftBic");
        assert_eq!(kind("Vessel Registration Identification"), "Imo");
        assert_eq!(kind("MMSI"), "Mmsi");
        assert_eq!(kind("Aircraft Tail Number"), "AircraftRegistration");
        assert_eq!(kind("Cedula No."), "NationalId");
        assert_eq!(kind("Gender"), "gender");
        assert_eq!(kind("Email Address"), "email");
        assert_eq!(kind("Secondary sanctions risk:"), "note");
        assert_eq!(kind("Executive Order 13662 Directive Determination -"), "note");
        assert_eq!(kind("Kenyan ID No."), "NationalId");
        assert_eq!(kind("Private Company ID"), "Other");
        assert_eq!(kind("RUC #"), "Registration");
    }

    #[test]
    fn entity_list_continuations_share_the_country() {
        let mut e = Entity::new("x", Schema::LegalEntity, SOURCE, "x");
        add_addresses(&mut e, "1 A Road, Xian; and 2 B Street, Xian, CN; Pyongyang, KP; RU");
        let got: Vec<_> =
            e.addresses.iter().map(|a| (a.full.as_str(), a.country.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("1 A Road, Xian", Some("CN")),
                ("2 B Street, Xian, CN", Some("CN")),
                ("Pyongyang, KP", Some("KP"))
            ]
        );
        assert_eq!(e.countries, ["CN", "KP", "RU"]);
    }

    #[test]
    fn names_with_aliases_and_scope_clauses_are_split() {
        let mut e = Entity::new("x", Schema::LegalEntity, SOURCE, "x");
        add_listed_name(&mut e, "Kreig; a.k.a. Cow Craig; a.k.a Hall Jermaine");
        add_listed_name(&mut e, "PMC Wagner; and any successor, sub-unit, or subsidiary thereof");
        let names: Vec<_> = e.names.iter().map(|n| (n.value.as_str(), n.kind)).collect();
        assert_eq!(
            names[..3],
            [
                ("Kreig", NameKind::Primary),
                ("Cow Craig", NameKind::Alias),
                ("Hall Jermaine", NameKind::Alias),
            ]
        );
        assert_eq!(e.notes, ["and any successor, sub-unit, or subsidiary thereof"]);
    }
}
