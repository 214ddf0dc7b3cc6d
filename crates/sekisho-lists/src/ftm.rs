//! FollowTheMoney (FtM) entities as JSON lines: the generic route for any list a user holds
//! (an OpenSanctions export, a list converted by other tools, sekisho's own export).
//!
//! # Format
//!
//! One JSON object per line: `{"id": "...", "schema": "Person", "properties": {"name":
//! [...], ...}, "datasets": [...], "first_seen": ..., "last_seen": ...}`. Blank lines are
//! allowed. An export carries parties next to the entities that describe them (`Sanction`,
//! `Address`, `Ownership`, `Identification`, ...).
//!
//! # Mapping
//!
//! Each line goes through [`Entity::from_ftm`], so FtM means the same here as everywhere in
//! sekisho. Beyond that this module decides:
//!
//! * Entities of schemata sekisho does not screen are skipped without error and counted by
//!   schema in [`FtmReport`]; [`FtmReport::unknown_schemata`] names the skipped schemata FtM
//!   does not define, which are more likely typos than data.
//! * `PublicBody` (an FtM subtype of `Organization`: ministries, state agencies, often
//!   listed) is read as an `Organization` rather than skipped.
//! * [`Parsed::list_date`] is the latest `last_seen` date in the file: FtM has no list-level
//!   date, and exporters such as OpenSanctions stamp `last_seen` with the run that produced
//!   the export. `None` when no entity has one.
//!
//! # Errors
//!
//! The first bad line stops the parse with its 1-based line and, where one is at fault, the
//! property: invalid JSON or UTF-8, a line that is not an object, a missing `schema` or `id`,
//! a screenable entity without a name or with a bad value (`birthDate: ["yesterday"]`), and an
//! id seen twice (a fragment stream that still needs `ftm aggregate`). JSON lines cannot tell
//! a file cut at a line break from a shorter file; a cut inside a line is an error.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use sekisho_model::{Entity, FtmError, Schema};
use serde_json::Value;

use crate::{InputFile, Location, ParseError, Parsed};

/// FtM schemata (followthemoney 3.x) that are not parties sekisho screens. A skipped schema
/// outside this list and outside the screened ones is reported as unknown.
const OTHER_FTM_SCHEMATA: [&str; 62] = [
    "Address",
    "Analyzable",
    "Article",
    "Assessment",
    "Asset",
    "Associate",
    "Audio",
    "BankAccount",
    "Call",
    "CallForTenders",
    "Contract",
    "ContractAward",
    "CourtCase",
    "CourtCaseParty",
    "CryptoWallet",
    "Debt",
    "Directorship",
    "Document",
    "Documentation",
    "EconomicActivity",
    "Email",
    "Employment",
    "Event",
    "Family",
    "Folder",
    "HyperText",
    "Identification",
    "Image",
    "Interest",
    "Interval",
    "License",
    "Membership",
    "Mention",
    "Message",
    "Note",
    "Occupancy",
    "Ownership",
    "Package",
    "Page",
    "Pages",
    "Passport",
    "Payment",
    "PlainText",
    "Position",
    "Project",
    "ProjectParticipant",
    "RealEstate",
    "Representation",
    "Sanction",
    "Security",
    "Similar",
    "Succession",
    "Table",
    "TaxRoll",
    "Thing",
    "Trip",
    "UnknownLink",
    "UserAccount",
    "Value",
    "Vehicle",
    "Video",
    "Workbook",
];

/// What a parse left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FtmReport {
    /// Entities skipped because sekisho does not screen their schema, by schema name.
    pub skipped: BTreeMap<String, usize>,
}

impl FtmReport {
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// Skipped schema names FtM does not define: probably typos, worth a warning.
    pub fn unknown_schemata(&self) -> Vec<&str> {
        self.skipped
            .keys()
            .map(String::as_str)
            .filter(|name| !OTHER_FTM_SCHEMATA.contains(name))
            .collect()
    }
}

/// Recognises FtM JSON lines: the first non-blank line is a JSON object with a `schema` and
/// an `id` or `properties`.
pub fn sniff(file: &InputFile) -> bool {
    let Some((_, line)) = lines(&file.bytes).find(|(_, line)| !is_blank(line)) else {
        return false;
    };
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(object)) => {
            object.get("schema").is_some_and(Value::is_string)
                && (object.contains_key("id") || object.contains_key("properties"))
        }
        _ => false,
    }
}

/// Parses FtM JSON lines; see [`parse_with_report`] for what was skipped.
pub fn parse(files: &[InputFile]) -> Result<Parsed, ParseError> {
    parse_with_report(files).map(|(parsed, _)| parsed)
}

/// Parses FtM JSON lines and reports the entities skipped by schema.
pub fn parse_with_report(files: &[InputFile]) -> Result<(Parsed, FtmReport), ParseError> {
    let mut parsed = Parsed::default();
    let mut report = FtmReport::default();
    // Where each id was first seen, to name both places when it comes again.
    let mut seen: HashMap<String, (usize, u64)> = HashMap::new();
    for (file_index, file) in files.iter().enumerate() {
        for (line_number, line) in lines(&file.bytes) {
            if is_blank(line) {
                continue;
            }
            let error = |field: Option<&str>, message: String| {
                let error = ParseError::new(&file.path, Location::Line(line_number), message);
                match field {
                    Some(field) => error.with_field(field),
                    None => error,
                }
            };
            let mut value: Value =
                serde_json::from_slice(line).map_err(|e| error(None, json_message(&e)))?;
            let Some(object) = value.as_object_mut() else {
                return Err(error(None, "expected one JSON object per line".into()));
            };
            let schema_name = match object.get("schema") {
                Some(Value::String(name)) if !name.trim().is_empty() => name.trim().to_string(),
                _ => return Err(error(Some("schema"), "missing schema name".into())),
            };
            if schema_name == "PublicBody" {
                object.insert(
                    "schema".into(),
                    Value::String(Schema::Organization.as_str().into()),
                );
            } else if Schema::parse(&schema_name).is_none() {
                *report.skipped.entry(schema_name).or_default() += 1;
                continue;
            }
            let entity = Entity::from_ftm(&value).map_err(|e| match e {
                FtmError::Missing(field) => error(Some(field), e.to_string()),
                FtmError::BadProperty { ref property, .. } => error(Some(property), e.to_string()),
                FtmError::UnsupportedSchema(_) => error(Some("schema"), e.to_string()),
            })?;
            if let Some(&(first_file, first_line)) = seen.get(&entity.id) {
                let place = if first_file == file_index {
                    format!("line {first_line}")
                } else {
                    format!("{}:{first_line}", display(&files[first_file].path))
                };
                return Err(error(
                    Some("id"),
                    format!(
                        "entity {} appears again (first on {place}); merge fragments first (ftm aggregate)",
                        entity.id
                    ),
                ));
            }
            seen.insert(entity.id.clone(), (file_index, line_number));
            if let Some(date) = entity.last_seen.as_deref().and_then(|d| d.get(..10))
                && parsed
                    .list_date
                    .as_deref()
                    .is_none_or(|latest| date > latest)
            {
                parsed.list_date = Some(date.to_string());
            }
            parsed.entities.push(entity);
        }
    }
    Ok((parsed, report))
}

/// Lines with their 1-based numbers, without line ends and without a leading BOM.
fn lines(bytes: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .zip(1u64..)
        .map(|(line, number)| (number, line))
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// serde_json's message says "line 1" of the one-line document; say the column instead.
fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let what = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(what, _)| what);
    format!("invalid JSON at column {}: {what}", error.column())
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
