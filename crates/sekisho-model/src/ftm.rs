//! FollowTheMoney JSON: the exchange format of the sanctions-data ecosystem.
//!
//! Standard FtM properties carry what FtM models (`name`, `alias`, `weakAlias`,
//! `previousName`, `country`, `nationality`, `birthDate`, `address`, `passportNumber`, ...).
//! Facts FtM has no property for are written as extension properties in the same style:
//! `sourceRecordId`, `listingDate`, `sanctionList`, `licenseRequirement`, `licensePolicy`,
//! `federalRegisterNotice`, `endUserConcern`, `sanctionRegime`, `sanctionNotice`.
//!
//! Mapping limits, by design: names in their original script are FtM `name` values and come
//! back as [`NameKind::OriginalScript`] when their script differs from the first name's;
//! identifier countries and notes and structured address parts are not written.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::date::PartialDate;
use crate::entity::{
    Address, Entity, Identifier, IdentifierKind, MetiConcern, NameKind, Schema,
};
use crate::script::dominant_script;

#[derive(Debug, thiserror::Error)]
pub enum FtmError {
    #[error("missing or empty field `{0}`")]
    Missing(&'static str),
    #[error("schema `{0}` is not a party sekisho screens (Person, Organization, Company, LegalEntity, Vessel, Airplane)")]
    UnsupportedSchema(String),
    #[error("property `{property}`: {message}")]
    BadProperty { property: String, message: String },
}

const NAME_PROPS: [(&str, NameKind); 4] = [
    ("name", NameKind::Primary),
    ("alias", NameKind::Alias),
    ("weakAlias", NameKind::WeakAlias),
    ("previousName", NameKind::PreviousName),
];

const IDENTIFIER_PROPS: [(&str, IdentifierKind); 9] = [
    ("passportNumber", IdentifierKind::Passport),
    ("idNumber", IdentifierKind::NationalId),
    ("registrationNumber", IdentifierKind::Registration),
    ("taxNumber", IdentifierKind::Tax),
    ("imoNumber", IdentifierKind::Imo),
    ("mmsi", IdentifierKind::Mmsi),
    ("callSign", IdentifierKind::CallSign),
    ("swiftBic", IdentifierKind::SwiftBic),
    ("leiCode", IdentifierKind::Lei),
];

impl Entity {
    /// The entity as an FtM JSON entity.
    pub fn to_ftm(&self) -> Value {
        let mut props: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut put = |key: &'static str, value: String| {
            let values = props.entry(key).or_default();
            if !values.contains(&value) {
                values.push(value);
            }
        };
        for name in &self.names {
            let key = match name.kind {
                NameKind::Primary | NameKind::OriginalScript => "name",
                NameKind::Alias => "alias",
                NameKind::WeakAlias => "weakAlias",
                NameKind::PreviousName => "previousName",
            };
            put(key, name.value.clone());
        }
        for c in &self.countries {
            put("country", c.clone());
        }
        // FtM gives only persons a nationality; for others it is a country.
        let nationality_key = if self.schema == Schema::Person { "nationality" } else { "country" };
        for c in &self.nationalities {
            put(nationality_key, c.clone());
        }
        for d in &self.birth_dates {
            put("birthDate", d.to_string());
        }
        for p in &self.birth_places {
            put("birthPlace", p.clone());
        }
        if let Some(g) = &self.gender {
            put("gender", g.clone());
        }
        for a in &self.addresses {
            if !a.full.is_empty() {
                put("address", a.full.clone());
            }
        }
        for id in &self.identifiers {
            put(id.kind.ftm_property(), id.value.clone());
        }
        for p in &self.programs {
            put("program", p.clone());
        }
        for n in &self.notes {
            put("notes", n.clone());
        }
        put("sourceRecordId", self.provenance.source_id.clone());
        if let Some(d) = &self.provenance.listed_on {
            put("listingDate", d.to_string());
        }
        if let Some(u) = &self.provenance.source_url {
            put("sourceUrl", u.clone());
        }
        let facts = &self.facts;
        if let Some(v) = &facts.list {
            put("sanctionList", v.clone());
        }
        if let Some(v) = &facts.license_requirement {
            put("licenseRequirement", v.clone());
        }
        if let Some(v) = &facts.license_policy {
            put("licensePolicy", v.clone());
        }
        for v in &facts.federal_register {
            put("federalRegisterNotice", v.clone());
        }
        for c in &facts.meti_concerns {
            put("endUserConcern", c.code().to_string());
        }
        if let Some(v) = &facts.regime {
            put("sanctionRegime", v.clone());
        }
        for v in &facts.notices {
            put("sanctionNotice", v.clone());
        }
        let mut properties: Map<String, Value> =
            props.into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        for (k, v) in &self.properties {
            let values = properties.entry(k.clone()).or_insert_with(|| json!([]));
            if let Value::Array(arr) = values {
                arr.extend(v.iter().map(|s| json!(s)));
            }
        }
        let mut out = json!({
            "id": self.id,
            "schema": self.schema.as_str(),
            "caption": self.caption(),
            "properties": properties,
            "datasets": [self.provenance.source],
        });
        if let Some(v) = &self.first_seen {
            out["first_seen"] = json!(v);
        }
        if let Some(v) = &self.last_seen {
            out["last_seen"] = json!(v);
        }
        out
    }

    /// Reads an FtM JSON entity. Entities of other schemata (Sanction, Address, Ownership,
    /// ...) give [`FtmError::UnsupportedSchema`], which a reader of a whole FtM export skips.
    pub fn from_ftm(value: &Value) -> Result<Entity, FtmError> {
        let id = value
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .ok_or(FtmError::Missing("id"))?;
        let schema_name = value
            .get("schema")
            .and_then(Value::as_str)
            .ok_or(FtmError::Missing("schema"))?;
        let schema = Schema::parse(schema_name)
            .ok_or_else(|| FtmError::UnsupportedSchema(schema_name.to_string()))?;
        let source = value
            .get("datasets")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .and_then(Value::as_str)
            .unwrap_or("ftm");
        let empty = Map::new();
        let props = match value.get("properties") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(map)) => map,
            Some(_) => {
                return Err(FtmError::BadProperty {
                    property: "properties".into(),
                    message: "must be an object of property name to list of values".into(),
                });
            }
        };
        let mut props: BTreeMap<String, Vec<String>> = props
            .iter()
            .map(|(k, v)| Ok((k.clone(), string_values(k, v)?)))
            .collect::<Result<_, FtmError>>()?;
        let primary_script = take_first_script(&props);
        let mut take = |key: &str| props.remove(key).unwrap_or_default();

        let source_id = take("sourceRecordId").into_iter().next().unwrap_or_else(|| id.to_string());
        let mut e = Entity::new(id, schema, source, &source_id);
        for (key, kind) in NAME_PROPS {
            for name in take(key) {
                let kind = if kind == NameKind::Primary
                    && primary_script.is_some()
                    && dominant_script(&name) != primary_script
                {
                    NameKind::OriginalScript
                } else {
                    kind
                };
                e.add_name(&name, kind);
            }
        }
        for c in take("country").into_iter().chain(take("jurisdiction")) {
            e.add_country(&c);
        }
        for c in take("nationality").into_iter().chain(take("citizenship")) {
            e.add_nationality(&c);
        }
        for d in take("birthDate") {
            let date = date_prefix(&d).ok_or_else(|| FtmError::BadProperty {
                property: "birthDate".into(),
                message: format!("not a date: {d:?}"),
            })?;
            e.add_birth_date(date);
        }
        for p in take("birthPlace") {
            e.add_birth_place(&p);
        }
        e.gender = take("gender").into_iter().next();
        for a in take("address") {
            e.add_address(Address { full: a, ..Address::default() });
        }
        for (key, kind) in IDENTIFIER_PROPS {
            for v in take(key) {
                e.add_identifier(Identifier { kind, value: v, country: None, note: None });
            }
        }
        for p in take("program") {
            e.add_program(&p);
        }
        for n in take("notes") {
            e.add_note(&n);
        }
        e.provenance.listed_on = take("listingDate").iter().find_map(|d| date_prefix(d));
        e.provenance.source_url = take("sourceUrl").into_iter().next();
        e.facts.list = take("sanctionList").into_iter().next();
        e.facts.license_requirement = take("licenseRequirement").into_iter().next();
        e.facts.license_policy = take("licensePolicy").into_iter().next();
        e.facts.federal_register = take("federalRegisterNotice");
        e.facts.meti_concerns =
            take("endUserConcern").iter().filter_map(|c| MetiConcern::parse(c)).collect();
        e.facts.regime = take("sanctionRegime").into_iter().next();
        e.facts.notices = take("sanctionNotice");
        for (k, values) in props {
            for v in values {
                e.add_property(&k, &v);
            }
        }
        e.first_seen = value.get("first_seen").and_then(Value::as_str).map(str::to_string);
        e.last_seen = value.get("last_seen").and_then(Value::as_str).map(str::to_string);
        if e.names.is_empty() {
            return Err(FtmError::Missing("properties.name"));
        }
        Ok(e)
    }
}

fn take_first_script(props: &BTreeMap<String, Vec<String>>) -> Option<crate::Script> {
    props.get("name").and_then(|n| n.first()).and_then(|n| dominant_script(n))
}

/// FtM dates may carry a time (`2021-01-01T00:00:00`); keep the date part.
fn date_prefix(value: &str) -> Option<PartialDate> {
    let date = value.split('T').next().unwrap_or(value);
    date.parse().ok()
}

fn string_values(property: &str, value: &Value) -> Result<Vec<String>, FtmError> {
    let bad = |message: &str| FtmError::BadProperty {
        property: property.to_string(),
        message: message.to_string(),
    };
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(bad("values must be strings")),
            })
            .collect(),
        _ => Err(bad("must be a list of strings")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entity {
        let mut e = Entity::new("un-6908555", Schema::Person, "un_sc_sanctions", "6908555");
        e.add_name("KIM JONG UN", NameKind::Primary);
        e.add_name("김정은", NameKind::OriginalScript);
        e.add_name("Kim Jong-un", NameKind::Alias);
        e.add_name("Kim Jong Woon", NameKind::WeakAlias);
        e.add_nationality("KP");
        e.add_birth_date("1984-01-08".parse().unwrap());
        e.add_identifier(Identifier {
            kind: IdentifierKind::Passport,
            value: "836238033".into(),
            country: None,
            note: None,
        });
        e.add_program("1718");
        e.provenance.listed_on = Some("2016-12-02".parse().unwrap());
        e.facts.meti_concerns = vec![MetiConcern::N, MetiConcern::CW];
        e.add_property("title", "Supreme Leader");
        e
    }

    #[test]
    fn round_trips_through_ftm() {
        let e = sample();
        let ftm = e.to_ftm();
        assert_eq!(ftm["schema"], "Person");
        assert_eq!(ftm["caption"], "KIM JONG UN");
        assert_eq!(ftm["properties"]["name"], json!(["KIM JONG UN", "김정은"]));
        assert_eq!(ftm["properties"]["endUserConcern"], json!(["N", "CW"]));
        assert_eq!(Entity::from_ftm(&ftm).unwrap(), e);
    }

    #[test]
    fn rejects_entities_it_cannot_screen_with_a_reason() {
        let sanction = json!({"id": "s1", "schema": "Sanction", "properties": {}});
        assert!(matches!(Entity::from_ftm(&sanction), Err(FtmError::UnsupportedSchema(_))));
        let nameless = json!({"id": "p1", "schema": "Person", "properties": {"country": ["ru"]}});
        assert!(matches!(Entity::from_ftm(&nameless), Err(FtmError::Missing(_))));
        let bad_date = json!({"id": "p1", "schema": "Person",
            "properties": {"name": ["A"], "birthDate": ["yesterday"]}});
        assert!(matches!(Entity::from_ftm(&bad_date), Err(FtmError::BadProperty { .. })));
    }

    #[test]
    fn accepts_datetimes_as_dates() {
        let e = Entity::from_ftm(&json!({"id": "p1", "schema": "Person",
            "properties": {"name": ["A"], "birthDate": ["1960-05-01T00:00:00"]}}))
        .unwrap();
        assert_eq!(e.birth_dates[0].to_string(), "1960-05-01");
    }
}
