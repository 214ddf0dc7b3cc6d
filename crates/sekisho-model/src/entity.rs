//! The entity model: one type for every listed party, whatever list it comes from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;

/// The FtM schemata sekisho screens against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Schema {
    Person,
    Organization,
    Company,
    /// A party the list does not say is a person or an organisation.
    LegalEntity,
    Vessel,
    Airplane,
}

impl Schema {
    pub const ALL: [Schema; 6] = [
        Schema::Person,
        Schema::Organization,
        Schema::Company,
        Schema::LegalEntity,
        Schema::Vessel,
        Schema::Airplane,
    ];

    /// The FtM schema name.
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Person => "Person",
            Schema::Organization => "Organization",
            Schema::Company => "Company",
            Schema::LegalEntity => "LegalEntity",
            Schema::Vessel => "Vessel",
            Schema::Airplane => "Airplane",
        }
    }

    /// Parses an FtM schema name (case-insensitive; `Aircraft` and `Entity` accepted).
    pub fn parse(name: &str) -> Option<Schema> {
        let lower = name.trim().to_ascii_lowercase();
        Some(match lower.as_str() {
            "person" | "individual" => Schema::Person,
            "organization" | "organisation" | "publicbody" => Schema::Organization,
            "company" => Schema::Company,
            "legalentity" | "entity" => Schema::LegalEntity,
            "vessel" => Schema::Vessel,
            "airplane" | "aircraft" => Schema::Airplane,
            _ => return None,
        })
    }

    /// Whether an entity of this schema is a legal person (organisation, company or unknown).
    pub fn is_organisation(self) -> bool {
        matches!(self, Schema::Organization | Schema::Company | Schema::LegalEntity)
    }
}

impl std::fmt::Display for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a name is to the listed party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The name the list files the party under (or, on Japanese lists, its Japanese rendering).
    Primary,
    /// A strong alias ("a.k.a.", "good quality" on the UN list).
    Alias,
    /// A weak alias ("low quality" on the UN list, OFAC's weak a.k.a.); screen with care.
    WeakAlias,
    /// A former name ("f.k.a.").
    PreviousName,
    /// The name in the script of its own language (UN NAME_ORIGINAL_SCRIPT).
    OriginalScript,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    pub value: String,
    pub kind: NameKind,
    /// ISO 639-1 language of the name where the list says it (`ja` for MOF's katakana).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address {
    /// The address as one line, as the list writes it.
    pub full: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO-2 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Passport,
    NationalId,
    /// Company or organisation registration number.
    Registration,
    Tax,
    /// IMO ship or company number.
    Imo,
    Mmsi,
    CallSign,
    /// Aircraft tail number.
    AircraftRegistration,
    SwiftBic,
    Lei,
    Other,
}

impl IdentifierKind {
    /// The FtM property an identifier of this kind is written to.
    pub fn ftm_property(self) -> &'static str {
        match self {
            IdentifierKind::Passport => "passportNumber",
            IdentifierKind::NationalId => "idNumber",
            IdentifierKind::Registration => "registrationNumber",
            IdentifierKind::Tax => "taxNumber",
            IdentifierKind::Imo => "imoNumber",
            IdentifierKind::Mmsi => "mmsi",
            IdentifierKind::CallSign => "callSign",
            IdentifierKind::AircraftRegistration => "registrationNumber",
            IdentifierKind::SwiftBic => "swiftBic",
            IdentifierKind::Lei => "leiCode",
            IdentifierKind::Other => "idNumber",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub value: String,
    /// ISO-2 code of the issuing country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// What the list says about it ("issued 2009", "Iranian passport").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// METI End User List concern types (懸念区分) and the conventional-weapons flag (通常兵器).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MetiConcern {
    /// 生物 (biological weapons)
    B,
    /// 化学 (chemical weapons)
    C,
    /// ミサイル (missiles)
    M,
    /// 核 (nuclear weapons)
    N,
    /// 通常兵器 (conventional weapons)
    CW,
}

impl MetiConcern {
    pub fn code(self) -> &'static str {
        match self {
            MetiConcern::B => "B",
            MetiConcern::C => "C",
            MetiConcern::M => "M",
            MetiConcern::N => "N",
            MetiConcern::CW => "CW",
        }
    }

    pub fn parse(code: &str) -> Option<MetiConcern> {
        Some(match code.trim() {
            "B" => MetiConcern::B,
            "C" => MetiConcern::C,
            "M" => MetiConcern::M,
            "N" => MetiConcern::N,
            "CW" => MetiConcern::CW,
            _ => return None,
        })
    }
}

/// Facts that only some lists publish and that licence rules depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListFacts {
    /// The list inside a consolidated source ("Entity List (EL) - Bureau of Industry and Security").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// Entity List / MEU licence requirement ("For all items subject to the EAR").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_requirement: Option<String>,
    /// Entity List / MEU licence review policy ("Presumption of denial").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_policy: Option<String>,
    /// Federal Register citations ("85 FR 83799").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub federal_register: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meti_concerns: Vec<MetiConcern>,
    /// MOF regime (the sheet of the asset-freeze list, e.g. "15.北朝鮮(決議1718号等；個人)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<String>,
    /// Notices that listed or amended the party (MOF 告示日付・番号).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

impl ListFacts {
    pub fn is_empty(&self) -> bool {
        *self == ListFacts::default()
    }
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The source list (dataset name, e.g. `us_ofac_sdn`).
    pub source: String,
    /// The record's id in the source (OFAC ent_num, UN DATAID, METI No., ...).
    pub source_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

/// One listed party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Unique within sekisho and stable across snapshots of the same source.
    pub id: String,
    pub schema: Schema,
    pub names: Vec<Name>,
    /// ISO-2 codes of countries the party is associated with (addresses, registration).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// ISO-2 codes of nationality or citizenship (persons).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_dates: Vec<PartialDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_places: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Sanctions programmes or regimes ("SDGT", "DPRK3", "1718").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    #[serde(default, skip_serializing_if = "ListFacts::is_empty")]
    pub facts: ListFacts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Other FtM properties the list publishes (title, position, flag, website, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Vec<String>>,
    pub provenance: Provenance,
    /// Set by the store: the list date of the first and last snapshot holding this entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
}

/// Trims and collapses inner whitespace; `None` when nothing is left.
fn clean(value: &str) -> Option<String> {
    // Most values are already clean (ASCII, single spaces): one allocation instead of three.
    let trimmed = value.trim();
    let mut previous_space = false;
    let simple = trimmed.bytes().all(|b| {
        let ok = b.is_ascii() && !(b.is_ascii_whitespace() && (b != b' ' || previous_space));
        previous_space = b == b' ';
        ok
    });
    if simple {
        return (!trimmed.is_empty()).then(|| trimmed.to_string());
    }
    let cleaned = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!cleaned.is_empty()).then_some(cleaned)
}

fn push_unique(values: &mut Vec<String>, value: String) {
    if !values.contains(&value) {
        values.push(value);
    }
}

impl Entity {
    pub fn new(id: impl Into<String>, schema: Schema, source: &str, source_id: &str) -> Entity {
        Entity {
            id: id.into(),
            schema,
            names: Vec::new(),
            countries: Vec::new(),
            nationalities: Vec::new(),
            birth_dates: Vec::new(),
            birth_places: Vec::new(),
            gender: None,
            addresses: Vec::new(),
            identifiers: Vec::new(),
            programs: Vec::new(),
            facts: ListFacts::default(),
            notes: Vec::new(),
            properties: BTreeMap::new(),
            provenance: Provenance {
                source: source.to_string(),
                source_id: source_id.to_string(),
                listed_on: None,
                source_url: None,
            },
            first_seen: None,
            last_seen: None,
        }
    }

    /// The entity's primary name: what a person reading a result sees first.
    pub fn caption(&self) -> &str {
        self.names
            .iter()
            .find(|n| n.kind == NameKind::Primary)
            .or(self.names.first())
            .map_or(self.id.as_str(), |n| n.value.as_str())
    }

    /// Adds a name unless it is blank or already present with the same kind.
    pub fn add_name(&mut self, value: &str, kind: NameKind) {
        self.add_name_in(value, kind, None);
    }

    /// Adds a name with its language (ISO 639-1).
    pub fn add_name_in(&mut self, value: &str, kind: NameKind, lang: Option<&str>) {
        let Some(value) = clean(value) else { return };
        if self.names.iter().any(|n| n.value == value && n.kind == kind) {
            return;
        }
        self.names.push(Name { value, kind, lang: lang.map(str::to_string) });
    }

    /// Adds an ISO-2 country code (upper-cased); anything else is ignored by design, parsers
    /// resolve country names with [`crate::country::to_iso2`] first.
    pub fn add_country(&mut self, code: &str) {
        if let Some(code) = iso2(code) {
            push_unique(&mut self.countries, code);
        }
    }

    pub fn add_nationality(&mut self, code: &str) {
        if let Some(code) = iso2(code) {
            push_unique(&mut self.nationalities, code);
        }
    }

    pub fn add_birth_date(&mut self, date: PartialDate) {
        if !self.birth_dates.contains(&date) {
            self.birth_dates.push(date);
        }
    }

    pub fn add_birth_place(&mut self, place: &str) {
        if let Some(place) = clean(place) {
            push_unique(&mut self.birth_places, place);
        }
    }

    pub fn add_address(&mut self, address: Address) {
        if address.full.trim().is_empty() && address.country.is_none() {
            return;
        }
        if let Some(country) = &address.country {
            let country = country.clone();
            self.add_country(&country);
        }
        if !self.addresses.contains(&address) {
            self.addresses.push(address);
        }
    }

    pub fn add_identifier(&mut self, identifier: Identifier) {
        if identifier.value.trim().is_empty() || self.identifiers.contains(&identifier) {
            return;
        }
        self.identifiers.push(identifier);
    }

    pub fn add_program(&mut self, program: &str) {
        if let Some(program) = clean(program) {
            push_unique(&mut self.programs, program);
        }
    }

    pub fn add_note(&mut self, note: &str) {
        if let Some(note) = clean(note) {
            push_unique(&mut self.notes, note);
        }
    }

    /// Adds a value to another FtM property (`title`, `position`, `flag`, `website`, ...).
    pub fn add_property(&mut self, property: &str, value: &str) {
        if let Some(value) = clean(value) {
            push_unique(self.properties.entry(property.to_string()).or_default(), value);
        }
    }
}

fn iso2(code: &str) -> Option<String> {
    let code = code.trim();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| code.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_deduplicated_per_kind() {
        let mut e = Entity::new("x-1", Schema::Person, "test", "1");
        e.add_name("  KIM   Jong Un ", NameKind::Primary);
        e.add_name("KIM Jong Un", NameKind::Primary);
        e.add_name("KIM Jong Un", NameKind::Alias);
        e.add_name("   ", NameKind::Alias);
        assert_eq!(e.names.len(), 2);
        assert_eq!(e.caption(), "KIM Jong Un");
    }

    #[test]
    fn only_iso2_codes_are_kept_as_countries() {
        let mut e = Entity::new("x-1", Schema::Company, "test", "1");
        e.add_country("kp");
        e.add_country("KP");
        e.add_country("North Korea");
        assert_eq!(e.countries, vec!["KP"]);
    }

    #[test]
    fn schema_names_parse_case_insensitively() {
        for schema in Schema::ALL {
            assert_eq!(Schema::parse(&schema.as_str().to_uppercase()), Some(schema));
        }
        assert_eq!(Schema::parse("Individual"), Some(Schema::Person));
        assert_eq!(Schema::parse("Ship"), None);
    }
}
