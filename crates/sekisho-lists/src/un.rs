//! The UN Security Council Consolidated List, official XML (`sc-sanctions.xsd`).
//!
//! # Format
//!
//! One file, root `<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">`, with two
//! sections: `<INDIVIDUALS>` of `<INDIVIDUAL>` and `<ENTITIES>` of `<ENTITY>` records. A record
//! has a numeric `DATAID`, a `REFERENCE_NUMBER` such as `KPi.033` (committee prefix, `i`
//! individual / `e` entity, sequence), `UN_LIST_TYPE` (`DPRK`, `Al-Qaida`, ...), name parts
//! `FIRST_NAME`..`FOURTH_NAME`, at most one `NAME_ORIGINAL_SCRIPT`, and repeated blocks for
//! aliases, addresses, birth dates and places and documents. Empty placeholder blocks
//! (`<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>`) are common.
//!
//! # Mapping
//!
//! | UN | [`Entity`] |
//! |---|---|
//! | `DATAID` | id `un-{DATAID}` |
//! | `REFERENCE_NUMBER` (or `DATAID` when absent) | `provenance.source_id` |
//! | `UN_LIST_TYPE`; the committee's resolution from the reference prefix | `programs` (`DPRK`, `1718`) |
//! | `LISTED_ON` | `provenance.listed_on` |
//! | `dateGenerated` (date part) | [`Parsed::list_date`] |
//! | `FIRST_NAME`..`FOURTH_NAME` joined with spaces | [`NameKind::Primary`] |
//! | `NAME_ORIGINAL_SCRIPT` | [`NameKind::OriginalScript`], language guessed from script |
//! | alias `QUALITY` `Good` / `a.k.a.` / `Low` / `f.k.a.` | `Alias` / `Alias` / `WeakAlias` / `PreviousName` |
//! | `TITLE`, `DESIGNATION` | properties `title`, `position` |
//! | `NATIONALITY` | `nationalities` (ISO-2) |
//! | address blocks | `addresses` (and their country in `countries`) |
//! | birth date blocks (`EXACT`/`APPROXIMATELY` `DATE` or `YEAR`, `BETWEEN` `FROM_YEAR`..`TO_YEAR`) | `birth_dates`, one per year of a range |
//! | birth place blocks | `birth_places`, their country in `countries` |
//! | documents | `identifiers` (passport, national id, tax, other) with country and note |
//! | `GENDER` | `gender` (`male`, `female`) |
//! | `COMMENTS1`, notes that fit nowhere else | `notes` |
//!
//! Why these choices:
//!
//! * `source_id` is the reference number because that is what the Security Council, press
//!   releases and compliance staff cite; the `DATAID` stays in the entity id.
//! * Every `<ENTITY>` is an [`Schema::Organization`]. The DPRK entries whose comments give an
//!   IMO number are shipping *companies* (registered owners or managers of tankers); their
//!   numbers are IMO company numbers (`Company Number IMO 5434358`). The 1718 Committee
//!   designates vessels in a separate list, not in this file. The IMO numbers found in the
//!   comments are kept as [`IdentifierKind::Imo`] identifiers.
//! * A `BETWEEN` range becomes one birth year per year (the file's widest is six years); a
//!   range wider than [`MAX_BIRTH_YEAR_SPAN`] carries no screening value and becomes a note.
//! * Country names go through [`to_iso2`]; a name it does not know ("former Soviet Union")
//!   is kept in a note or the address text rather than dropped.
//!
//! # Errors
//!
//! Broken structure is an error naming file, line and element: XML syntax, mismatched or
//! unclosed tags (so a truncated file never parses as a shorter list), an unknown section or
//! record element, a missing or non-numeric or duplicate `DATAID`, a record without a name
//! and any date that is not a date. Unknown or empty optional elements are ignored.

use std::collections::HashSet;

use quick_xml::Reader;
use quick_xml::events::Event;
use sekisho_model::country::to_iso2;
use sekisho_model::{
    Address, Entity, Identifier, IdentifierKind, NameKind, PartialDate, Schema, Script,
    dominant_script,
};

use crate::{InputFile, Location, ParseError, Parsed};
use sekisho_xml::Element;

/// The dataset name UN entities are filed under.
pub const SOURCE: &str = "un_sc_sanctions";

/// A `BETWEEN` birth-year range wider than this is kept as a note instead of one year each.
pub const MAX_BIRTH_YEAR_SPAN: u16 = 10;

const ROOT: &str = "CONSOLIDATED_LIST";

/// Reference-number prefixes and the resolution that established the sanctions committee.
const COMMITTEE_RESOLUTIONS: [(&str, &str); 14] = [
    ("CD", "1533"), // Democratic Republic of the Congo
    ("CF", "2127"), // Central African Republic
    ("GB", "2048"), // Guinea-Bissau
    ("HT", "2653"), // Haiti
    ("IQ", "1518"), // Iraq
    ("IR", "1737"), // Iran (restored in 2025)
    ("KP", "1718"), // DPRK
    ("LY", "1970"), // Libya
    ("QD", "1267"), // ISIL (Da'esh) and Al-Qaida (1267/1989/2253)
    ("SD", "1591"), // Sudan
    ("SO", "2713"), // Al-Shabaab
    ("SS", "2206"), // South Sudan
    ("TA", "1988"), // Taliban
    ("YE", "2140"), // Yemen
];

/// Recognises the file by its root element, whatever its name.
pub fn sniff(file: &InputFile) -> bool {
    let bytes = strip_bom(&file.bytes);
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
        return false;
    }
    let mut reader = Reader::from_reader(bytes);
    loop {
        match reader.read_event() {
            Ok(Event::Start(start) | Event::Empty(start)) => {
                return start.name().as_ref() == ROOT.as_bytes();
            }
            Ok(Event::Text(text)) if !text.iter().all(u8::is_ascii_whitespace) => return false,
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

/// Parses the consolidated list. Several files (unusual) are read as one list; a `DATAID`
/// may appear only once across them, and the latest `dateGenerated` is the list date.
pub fn parse(files: &[InputFile]) -> Result<Parsed, ParseError> {
    let mut parsed = Parsed::default();
    let mut seen_ids = HashSet::new();
    for file in files {
        let (entities, list_date) = parse_file(file, &mut seen_ids)?;
        parsed.entities.extend(entities);
        if list_date > parsed.list_date {
            parsed.list_date = list_date;
        }
    }
    Ok(parsed)
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The file being parsed, to turn byte offsets into located errors.
struct Context<'a> {
    file: &'a InputFile,
    bytes: &'a [u8],
}

impl Context<'_> {
    fn error(&self, offset: usize, field: Option<&str>, message: impl Into<String>) -> ParseError {
        let end = offset.min(self.bytes.len());
        let line = self.bytes[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let error = ParseError::new(&self.file.path, Location::Line(line), message);
        match field {
            Some(field) => error.with_field(field),
            None => error,
        }
    }

    fn element_error(&self, element: &Element, message: impl Into<String>) -> ParseError {
        self.error(element.offset, Some(&element.name), message)
    }
}

fn parse_file(
    file: &InputFile,
    seen_ids: &mut HashSet<String>,
) -> Result<(Vec<Entity>, Option<String>), ParseError> {
    let bytes = strip_bom(&file.bytes);
    let cx = Context { file, bytes };
    let root = sekisho_xml::parse(bytes)
        .map_err(|e| cx.error(e.offset, e.element.as_deref(), e.message))?;
    if root.name != ROOT {
        return Err(cx.element_error(
            &root,
            format!("root element is <{}>, not <{ROOT}>", root.name),
        ));
    }
    let list_date = match root.attribute("dateGenerated").map(str::trim) {
        None | Some("") => None,
        Some(value) => Some(
            xsd_date(value)
                .ok_or_else(|| {
                    cx.error(
                        root.offset,
                        Some("dateGenerated"),
                        format!("not a date: {value:?}"),
                    )
                })?
                .to_string(),
        ),
    };
    let mut entities = Vec::new();
    for (section, record, schema) in [
        ("INDIVIDUALS", "INDIVIDUAL", Schema::Person),
        ("ENTITIES", "ENTITY", Schema::Organization),
    ] {
        let Some(section) = root.child(section) else {
            return Err(cx.element_error(&root, format!("no <{section}> section")));
        };
        for element in section.elements() {
            if element.name != record {
                return Err(cx.element_error(
                    element,
                    format!("unexpected <{}> in <{}>", element.name, section.name),
                ));
            }
            entities.push(parse_record(&cx, element, schema, seen_ids)?);
        }
    }
    if let Some(other) = root
        .elements()
        .find(|c| c.name != "INDIVIDUALS" && c.name != "ENTITIES")
    {
        // A section sekisho does not know could hold listed parties; refuse rather than skip.
        return Err(cx.element_error(other, format!("unknown section <{}>", other.name)));
    }
    Ok((entities, list_date))
}

fn parse_record(
    cx: &Context<'_>,
    record: &Element,
    schema: Schema,
    seen_ids: &mut HashSet<String>,
) -> Result<Entity, ParseError> {
    let data_id = record
        .child("DATAID")
        .ok_or_else(|| cx.error(record.offset, Some("DATAID"), "record without DATAID"))?;
    let data_id_text = data_id.text.trim();
    if data_id_text.is_empty()
        || data_id_text.len() > 18
        || !data_id_text.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(cx.element_error(data_id, format!("DATAID is not a number: {data_id_text:?}")));
    }
    if !seen_ids.insert(data_id_text.to_string()) {
        return Err(cx.element_error(data_id, format!("DATAID {data_id_text} appears twice")));
    }
    let reference = record.child_text("REFERENCE_NUMBER");
    let list_type = record.child_text("UN_LIST_TYPE");
    let mut e = Entity::new(
        format!("un-{data_id_text}"),
        schema,
        SOURCE,
        reference.unwrap_or(data_id_text),
    );

    let primary: Vec<&str> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .filter_map(|part| record.child_text(part))
        .collect();
    e.add_name(&primary.join(" "), NameKind::Primary);
    for original in record
        .children_named("NAME_ORIGINAL_SCRIPT")
        .filter_map(Element::non_blank_text)
    {
        e.add_name_in(
            original,
            NameKind::OriginalScript,
            guess_lang(original, list_type),
        );
    }
    for alias in record
        .elements()
        .filter(|c| c.name.ends_with("_ALIAS"))
    {
        add_alias(&mut e, alias, list_type);
    }
    if e.names.is_empty() {
        return Err(cx.error(
            record.offset,
            Some("FIRST_NAME"),
            format!("record {data_id_text} has no name"),
        ));
    }

    if let Some(listed) = record
        .child("LISTED_ON")
        .filter(|c| c.non_blank_text().is_some())
    {
        e.provenance.listed_on = Some(date_of(cx, listed)?);
    }
    if let Some(list_type) = list_type {
        e.add_program(list_type);
    }
    if let Some(resolution) = reference.and_then(committee_resolution) {
        e.add_program(resolution);
    }
    for (element, property) in [("TITLE", "title"), ("DESIGNATION", "position")] {
        for value in values(record, element) {
            e.add_property(property, value);
        }
    }
    for nationality in values(record, "NATIONALITY") {
        match to_iso2(nationality) {
            Some(code) => e.add_nationality(code),
            None => e.add_note(&format!("Nationality: {nationality}")),
        }
    }
    if let Some(gender) = record.child_text("GENDER") {
        e.gender = Some(gender.to_lowercase());
    }
    for child in record.elements() {
        match child.name.as_ref() {
            "INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS" => add_address(&mut e, child),
            "INDIVIDUAL_DATE_OF_BIRTH" => add_birth_date(cx, &mut e, child)?,
            "INDIVIDUAL_PLACE_OF_BIRTH" => add_birth_place(&mut e, child),
            "INDIVIDUAL_DOCUMENT" => add_document(cx, &mut e, child)?,
            _ => {}
        }
    }
    for alias in record
        .elements()
        .filter(|c| c.name.ends_with("_ALIAS"))
    {
        add_alias_birth_facts(cx, &mut e, alias)?;
    }
    if let Some(comments) = record.child_text("COMMENTS1") {
        e.add_note(comments);
        if schema == Schema::Organization {
            for imo in imo_numbers(comments) {
                e.add_identifier(Identifier {
                    kind: IdentifierKind::Imo,
                    value: imo,
                    country: None,
                    note: Some("IMO company number, from the comments".into()),
                });
            }
        }
    }
    Ok(e)
}

/// The non-blank `<VALUE>`s of a repeated block such as `<NATIONALITY>`.
fn values<'a>(record: &'a Element, element: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    record
        .children_named(element)
        .flat_map(|block| block.children_named("VALUE"))
        .filter_map(Element::non_blank_text)
}

fn add_alias(e: &mut Entity, alias: &Element, list_type: Option<&str>) {
    let Some(name) = alias.child_text("ALIAS_NAME") else {
        return; // the empty placeholder block
    };
    let kind = match alias
        .child_text("QUALITY")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("low") => NameKind::WeakAlias,
        Some("f.k.a." | "fka") => NameKind::PreviousName,
        // "Good", "a.k.a." and anything unknown: a name the list vouches for.
        _ => NameKind::Alias,
    };
    e.add_name_in(name, kind, guess_lang(name, list_type));
    if let Some(note) = alias.child_text("NOTE") {
        e.add_note(&format!("Alias {name}: {note}"));
    }
}

/// Birth facts given with an alias belong to the same person; they follow the record's own.
fn add_alias_birth_facts(
    cx: &Context<'_>,
    e: &mut Entity,
    alias: &Element,
) -> Result<(), ParseError> {
    if let Some(date) = alias
        .child("DATE_OF_BIRTH")
        .filter(|c| c.non_blank_text().is_some())
    {
        // Unlike the birth-date blocks, this one element holds a full date or a year.
        let date = match date.text.trim().len() {
            4 => PartialDate::year(year_of(cx, date)?),
            _ => date_of(cx, date)?,
        };
        e.add_birth_date(date);
    }
    let place = join_parts([
        alias.child_text("CITY_OF_BIRTH"),
        alias.child_text("COUNTRY_OF_BIRTH"),
    ]);
    e.add_birth_place(&place);
    if let Some(code) = alias.child_text("COUNTRY_OF_BIRTH").and_then(to_iso2) {
        e.add_country(code);
    }
    Ok(())
}

fn add_address(e: &mut Entity, block: &Element) {
    let street = block.child_text("STREET");
    let city = block.child_text("CITY");
    let region = block.child_text("STATE_PROVINCE");
    let postal_code = block.child_text("ZIP_CODE");
    let country_name = block.child_text("COUNTRY");
    let full = join_parts([street, city, region, postal_code, country_name]);
    let country = country_name.and_then(to_iso2).map(str::to_string);
    if let Some(note) = block.child_text("NOTE") {
        if full.is_empty() {
            e.add_note(&format!("Address: {note}"));
        } else {
            e.add_note(&format!("Address {full}: {note}"));
        }
    }
    let owned = |s: Option<&str>| s.map(str::to_string);
    e.add_address(Address {
        full,
        street: owned(street),
        city: owned(city),
        region: owned(region),
        postal_code: owned(postal_code),
        country,
    });
}

fn add_birth_date(cx: &Context<'_>, e: &mut Entity, block: &Element) -> Result<(), ParseError> {
    let mut found = Vec::new();
    if let Some(date) = block.child("DATE").filter(|c| c.non_blank_text().is_some()) {
        found.push(date_of(cx, date)?);
    }
    if let Some(year) = block.child("YEAR").filter(|c| c.non_blank_text().is_some()) {
        found.push(PartialDate::year(year_of(cx, year)?));
    }
    let from = block
        .child("FROM_YEAR")
        .filter(|c| c.non_blank_text().is_some());
    let to = block
        .child("TO_YEAR")
        .filter(|c| c.non_blank_text().is_some());
    // What the block says, for notes: "1965-03-15", "1977", "between 1977 and 1980".
    let mut label = found.first().map(PartialDate::to_string);
    match (from, to) {
        (Some(from), Some(to)) => {
            let (first, last) = (year_of(cx, from)?, year_of(cx, to)?);
            if first > last {
                return Err(
                    cx.element_error(to, format!("birth years run backwards: {first} to {last}"))
                );
            }
            let range = format!("between {first} and {last}");
            if last - first > MAX_BIRTH_YEAR_SPAN {
                e.add_note(&format!("Date of birth {range}"));
            } else {
                found.extend((first..=last).map(PartialDate::year));
            }
            label.get_or_insert(range);
        }
        (Some(only), None) | (None, Some(only)) => {
            let year = PartialDate::year(year_of(cx, only)?);
            label.get_or_insert(year.to_string());
            found.push(year);
        }
        (None, None) => {}
    }
    if let Some(note) = block.child_text("NOTE") {
        match label {
            Some(label) => e.add_note(&format!("Date of birth {label}: {note}")),
            None => e.add_note(&format!("Date of birth: {note}")),
        }
    }
    for date in found {
        e.add_birth_date(date);
    }
    Ok(())
}

fn add_birth_place(e: &mut Entity, block: &Element) {
    let country_name = block.child_text("COUNTRY");
    let place = join_parts([
        block.child_text("STREET"),
        block.child_text("CITY"),
        block.child_text("STATE_PROVINCE"),
        country_name,
    ]);
    match block.child_text("NOTE") {
        Some(note) if place.is_empty() => e.add_birth_place(note),
        Some(note) => e.add_note(&format!("Place of birth {place}: {note}")),
        None => {}
    }
    e.add_birth_place(&place);
    if let Some(code) = country_name.and_then(to_iso2) {
        e.add_country(code);
    }
}

fn add_document(cx: &Context<'_>, e: &mut Entity, block: &Element) -> Result<(), ParseError> {
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let type_main = block.child_text("TYPE_OF_DOCUMENT").map(clean);
    let type_more = block.child_text("TYPE_OF_DOCUMENT2").map(clean);
    let kind = [&type_main, &type_more]
        .into_iter()
        .flatten()
        .map(|t| document_kind(t))
        .find(|k| *k != IdentifierKind::Other)
        .unwrap_or(IdentifierKind::Other);
    let issuing = block.child_text("ISSUING_COUNTRY");
    let country_of_issue = block.child_text("COUNTRY_OF_ISSUE");
    let country = issuing.or(country_of_issue).and_then(to_iso2);

    let mut note = Vec::new();
    for text in [&type_main, &type_more].into_iter().flatten() {
        // The type already says what `kind` says when it is the plain English name.
        if !matches!(text.as_str(), "Passport" | "National Identification Number") {
            note.push(text.clone());
        }
    }
    if let Some(date) = block
        .child("DATE_OF_ISSUE")
        .filter(|c| c.non_blank_text().is_some())
    {
        note.push(format!("issued {}", date_of(cx, date)?));
    }
    if let Some(city) = block.child_text("CITY_OF_ISSUE") {
        note.push(format!("in {city}"));
    }
    // A country name that did not become the identifier's country stays readable.
    for name in [issuing, country_of_issue].into_iter().flatten() {
        let text = format!("country of issue {name}");
        if (country.is_none() || to_iso2(name) != country) && !note.contains(&text) {
            note.push(text);
        }
    }
    if let Some(text) = block.child_text("NOTE") {
        note.push(text.to_string());
    }
    match block.child_text("NUMBER") {
        Some(number) => e.add_identifier(Identifier {
            kind,
            value: number.to_string(),
            country: country.map(str::to_string),
            note: (!note.is_empty()).then(|| note.join("; ")),
        }),
        None if !note.is_empty() => {
            let label = type_main.or(type_more).unwrap_or_else(|| "Document".into());
            // The type is the label here; say it once.
            note.retain(|n| *n != label);
            e.add_note(&format!("{label}: {}", note.join("; ")));
        }
        None => {}
    }
    Ok(())
}

/// The identifier kind a document type names, in the languages the list uses.
fn document_kind(document_type: &str) -> IdentifierKind {
    let t = document_type.to_lowercase();
    if ["passport", "passeport", "pasaporte"]
        .iter()
        .any(|w| t.contains(w))
    {
        IdentifierKind::Passport
    } else if t.contains("tax") || t.contains("fiscal") {
        IdentifierKind::Tax
    } else if ["identi", "id card", "national number", "tazkira"]
        .iter()
        .any(|w| t.contains(w))
    {
        IdentifierKind::NationalId
    } else {
        IdentifierKind::Other
    }
}

/// IMO numbers written in free text: `IMO number: 5571322`, `Company Number IMO 5434358`.
fn imo_numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("IMO") {
        let rest = text[at + 3..].trim_start();
        let rest = rest
            .strip_prefix("number")
            .or_else(|| rest.strip_prefix("Number"))
            .or_else(|| rest.strip_prefix("No."))
            .unwrap_or(rest);
        let rest = rest.trim_start_matches([' ', ':', '#']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 7 && !found.contains(&digits) {
            found.push(digits);
        }
    }
    found
}

/// The resolution of the committee a reference number (`KPi.033`) belongs to.
fn committee_resolution(reference: &str) -> Option<&'static str> {
    let prefix = reference.trim().get(..2)?;
    COMMITTEE_RESOLUTIONS
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, r)| *r)
}

/// The language of a name where its script makes it obvious. Arabic script is Arabic unless
/// letters Arabic lacks show Persian, Pashto or Urdu, or the party is on the Taliban list,
/// whose names are Pashto or Dari.
fn guess_lang(name: &str, list_type: Option<&str>) -> Option<&'static str> {
    const NOT_ARABIC: &str = "پچژگکیټډړښږځڅۍېںےٹڈڑھ";
    match dominant_script(name)? {
        Script::Hangul => Some("ko"),
        Script::Kana => Some("ja"),
        Script::Han => Some("zh"),
        Script::Cyrillic => Some("ru"),
        Script::Greek => Some("el"),
        Script::Hebrew => Some("he"),
        Script::Thai => Some("th"),
        Script::Arabic
            if list_type == Some("Taliban") || name.chars().any(|c| NOT_ARABIC.contains(c)) =>
        {
            None
        }
        Script::Arabic => Some("ar"),
        Script::Latin | Script::Other => None,
    }
}

/// `xs:date` as the file writes it: `2015-04-07`, with an optional zone (`-04:00`, `Z`) or
/// time. `00` for an unknown month or day lowers the precision instead of failing.
fn xsd_date(value: &str) -> Option<PartialDate> {
    let value = value.trim();
    let date = value.get(..10)?;
    match value.as_bytes().get(10) {
        None | Some(b'T' | b'Z' | b'+' | b'-') => {}
        Some(_) => return None,
    }
    let (year, rest) = date.split_once('-')?;
    let (month, day) = rest.split_once('-')?;
    let year: u16 = year.parse().ok().filter(|_| year.len() == 4)?;
    let month: u8 = month.parse().ok().filter(|_| month.len() == 2)?;
    let day: u8 = day.parse().ok().filter(|_| day.len() == 2)?;
    match (month, day) {
        (0, 0) => PartialDate::new(year, None, None),
        (0, _) => None,
        (month, 0) => PartialDate::new(year, Some(month), None),
        (month, day) => PartialDate::new(year, Some(month), Some(day)),
    }
}

fn date_of(cx: &Context<'_>, element: &Element) -> Result<PartialDate, ParseError> {
    let text = element.text.trim();
    xsd_date(text).ok_or_else(|| cx.element_error(element, format!("not a date: {text:?}")))
}

fn year_of(cx: &Context<'_>, element: &Element) -> Result<u16, ParseError> {
    let text = element.text.trim();
    text.parse::<u16>()
        .ok()
        .filter(|&y| text.len() == 4 && PartialDate::new(y, None, None).is_some())
        .ok_or_else(|| cx.element_error(element, format!("not a year: {text:?}")))
}

/// Joins the non-blank parts with ", ", skipping a part that repeats the one before.
fn join_parts<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if out.last() != Some(&part) {
            out.push(part);
        }
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xsd_dates_with_zones_and_unknown_parts() {
        let d = |s| xsd_date(s).map(|d| d.to_string());
        assert_eq!(d("2015-04-07-04:00").as_deref(), Some("2015-04-07"));
        assert_eq!(d("2026-02-27T00:00:09.554Z").as_deref(), Some("2026-02-27"));
        assert_eq!(d("1970-00-00").as_deref(), Some("1970"));
        assert_eq!(d("1970-05-00").as_deref(), Some("1970-05"));
        for bad in [
            "1970-00-05",
            "1970-02-30",
            "19700101",
            "1970-01-01x",
            "١٩٧٠-01-01",
            "",
        ] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }

    #[test]
    fn imo_numbers_in_comments() {
        assert_eq!(
            imo_numbers("Registered owner. IMO number: 5571322."),
            ["5571322"]
        );
        assert_eq!(imo_numbers("Company Number IMO 5434358."), ["5434358"]);
        assert_eq!(
            imo_numbers("IMO Number: 5342883. ... IMO 5342883"),
            ["5342883"]
        );
        assert!(imo_numbers("IMO 12345; IMOX").is_empty());
    }

    #[test]
    fn languages_guessed_only_where_the_script_says() {
        assert_eq!(guess_lang("김정은", Some("DPRK")), Some("ko"));
        assert_eq!(
            guess_lang("أيمن محمد ربيع الظواهري", Some("Al-Qaida")),
            Some("ar")
        );
        assert_eq!(guess_lang("محمد حسن آخوند", Some("Taliban")), None);
        assert_eq!(guess_lang("عبد الکبیر محمد جان", Some("Al-Qaida")), None);
        assert_eq!(guess_lang("Умаров Доку Хаматович", None), Some("ru"));
        assert_eq!(guess_lang("長安海連技術有限公司", None), Some("zh"));
        assert_eq!(guess_lang("JAMAAH ANSHARUT DAULAH", None), None);
    }

    #[test]
    fn document_kinds_in_three_languages() {
        assert_eq!(
            document_kind("Numéro de passeport"),
            IdentifierKind::Passport
        );
        assert_eq!(
            document_kind("Número de pasaporte"),
            IdentifierKind::Passport
        );
        assert_eq!(
            document_kind("National Identification Number"),
            IdentifierKind::NationalId
        );
        assert_eq!(document_kind("Italian Fiscal Code:"), IdentifierKind::Tax);
        assert_eq!(document_kind("Birth certificate"), IdentifierKind::Other);
    }

    #[test]
    fn committees_from_reference_prefixes() {
        assert_eq!(committee_resolution("KPi.033"), Some("1718"));
        assert_eq!(committee_resolution("KPe.023 "), Some("1718"));
        assert_eq!(committee_resolution("XXi.001"), None);
        assert_eq!(committee_resolution("K"), None);
    }
}
