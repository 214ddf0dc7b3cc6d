//! Reading yente-style query entities (`{"schema": "Person", "properties": {...}}`) into
//! what the screening engine takes. Every error names the field at fault.

use sekisho_model::{PartialDate, Schema, country};
use serde_json::{Map, Value, json};

use crate::error::ApiError;

/// FtM properties read as names: each is screened on its own.
const NAME_PROPERTIES: [&str; 4] = ["name", "alias", "weakAlias", "previousName"];
/// Name parts, joined into one name when no full name is given.
const NAME_PARTS: [&str; 5] = ["firstName", "secondName", "middleName", "fatherName", "lastName"];
const COUNTRY_PROPERTIES: [&str; 5] = ["nationality", "country", "citizenship", "jurisdiction", "flag"];
const IDENTIFIER_PROPERTIES: [&str; 12] = [
    "idNumber",
    "passportNumber",
    "registrationNumber",
    "imoNumber",
    "taxNumber",
    "leiCode",
    "swiftBic",
    "mmsi",
    "callSign",
    "vatCode",
    "innCode",
    "ogrnCode",
];

/// One query entity as the engine will screen it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityQuery {
    pub schema: Schema,
    pub names: Vec<String>,
    /// ISO-2 codes; the first is used (the engine takes one country).
    pub countries: Vec<String>,
    /// The first is used (the engine takes one birth date).
    pub birth_dates: Vec<PartialDate>,
    pub identifiers: Vec<String>,
    /// The entity's `id`, if the client gave one: its customer id for the party, under which
    /// the screening and its cases are filed (as `sekisho screen --customer-id`).
    pub customer_id: Option<String>,
    /// The query as understood, echoed in the response.
    pub echo: Value,
}

impl EntityQuery {
    /// The engine query for one of the names.
    pub fn engine_query(&self, name: &str) -> sekisho_match::Query {
        sekisho_match::Query {
            name: name.to_string(),
            schema: Some(self.schema),
            country: self.countries.first().cloned(),
            birth_date: self.birth_dates.first().cloned(),
            identifiers: self.identifiers.clone(),
        }
    }
}

/// The `queries` of a `/match` body, in the order given.
pub fn parse_match_body(body: &Value, max_batch: usize) -> Result<Vec<(String, EntityQuery)>, ApiError> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::unprocessable("body: expected a JSON object with a `queries` object"));
    };
    let queries = match object.get("queries") {
        Some(Value::Object(q)) => q,
        Some(_) => return Err(ApiError::unprocessable("queries: expected an object of named query entities")),
        None => return Err(ApiError::unprocessable("queries: missing")),
    };
    if queries.is_empty() {
        return Err(ApiError::unprocessable("queries: no queries provided"));
    }
    if queries.len() > max_batch {
        return Err(ApiError::unprocessable(format!(
            "queries: {} queries in one request; the limit is {max_batch}",
            queries.len()
        )));
    }
    queries.iter().map(|(key, q)| Ok((key.clone(), parse_entity(key, q)?))).collect()
}

pub fn parse_schema(field: &str, value: &str) -> Result<Schema, ApiError> {
    Schema::parse(value).ok_or_else(|| unknown_schema(field, value))
}

fn unknown_schema(field: &str, value: &str) -> ApiError {
    ApiError::unprocessable(format!(
        "{field}: unknown schema {value:?}; use Person, Organization, Company, LegalEntity, Vessel or Airplane"
    ))
}

fn parse_entity(key: &str, query: &Value) -> Result<EntityQuery, ApiError> {
    let at = |field: &str| format!("queries.{key}.{field}");
    let Some(query) = query.as_object() else {
        return Err(ApiError::unprocessable(format!("queries.{key}: expected an object with `schema` and `properties`")));
    };
    let schema = match query.get("schema") {
        Some(Value::String(s)) => Schema::parse(s).ok_or_else(|| unknown_schema(&at("schema"), s))?,
        Some(_) => return Err(ApiError::unprocessable(format!("{}: expected a string", at("schema")))),
        None => return Err(ApiError::unprocessable(format!("{}: missing", at("schema")))),
    };
    let empty = Map::new();
    let properties = match query.get("properties") {
        Some(Value::Object(p)) => p,
        None => &empty,
        Some(_) => return Err(ApiError::unprocessable(format!("{}: expected an object", at("properties")))),
    };
    // The field's name is written only for an error (this runs for ~30 properties a query).
    let values = |property: &str| strings(|| at(&format!("properties.{property}")), properties.get(property));

    let mut echo = Map::new();
    let mut names = Vec::new();
    for property in NAME_PROPERTIES {
        let found = values(property)?;
        push_echo(&mut echo, property, &found);
        names.extend(found);
    }
    if names.is_empty() {
        let mut parts = Vec::new();
        for property in NAME_PARTS {
            let found = values(property)?;
            push_echo(&mut echo, property, &found);
            parts.extend(found);
        }
        if !parts.is_empty() {
            names.push(parts.join(" "));
        }
    }
    names.retain(|n| n.chars().any(char::is_alphanumeric));
    if names.is_empty() {
        return Err(ApiError::unprocessable(format!(
            "{}: at least one name with letters or digits is required",
            at("properties.name")
        )));
    }
    let mut countries = Vec::new();
    for property in COUNTRY_PROPERTIES {
        let found = values(property)?;
        for value in &found {
            let code = country::to_iso2(value).ok_or_else(|| {
                ApiError::unprocessable(format!("{}: unknown country {value:?}", at(&format!("properties.{property}"))))
            })?;
            if !countries.iter().any(|c| c == code) {
                countries.push(code.to_string());
            }
        }
        push_echo(&mut echo, property, &found);
    }
    let mut birth_dates = Vec::new();
    let found = values("birthDate")?;
    for value in &found {
        let date: PartialDate = value.parse().map_err(|e: sekisho_model::DateError| {
            ApiError::unprocessable(format!("{}: {value:?}: {e}", at("properties.birthDate")))
        })?;
        birth_dates.push(date);
    }
    push_echo(&mut echo, "birthDate", &found);
    let mut identifiers = Vec::new();
    for property in IDENTIFIER_PROPERTIES {
        let found = values(property)?;
        push_echo(&mut echo, property, &found);
        identifiers.extend(found);
    }
    let customer_id = match query.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id.trim().to_string()).filter(|id| !id.is_empty()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(ApiError::unprocessable(format!("{}: expected a string", at("id")))),
    };
    let mut echoed = json!({"schema": schema.as_str(), "properties": echo});
    if let Some(id) = query.get("id").filter(|v| !v.is_null()) {
        echoed["id"] = id.clone();
    }
    Ok(EntityQuery { schema, names, countries, birth_dates, identifiers, customer_id, echo: echoed })
}

fn push_echo(echo: &mut Map<String, Value>, property: &str, values: &[String]) {
    if !values.is_empty() {
        echo.insert(property.to_string(), json!(values));
    }
}

/// A property's values: a string or a list of strings (numbers accepted for identifiers
/// sent as numbers), blanks dropped.
fn strings(field: impl Fn() -> String, value: Option<&Value>) -> Result<Vec<String>, ApiError> {
    let one = |v: &Value| match v {
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(ApiError::unprocessable(format!("{}: expected strings", field()))),
    };
    let values = match value {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items)) => items.iter().map(one).collect::<Result<_, _>>()?,
        Some(v) => vec![one(v)?],
    };
    Ok(values.into_iter().filter(|s| !s.is_empty()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: Value) -> Result<Vec<(String, EntityQuery)>, ApiError> {
        parse_match_body(&body, 3)
    }

    #[test]
    fn reads_names_countries_dates_and_identifiers() {
        let q = parse(json!({"queries": {"a": {"schema": "Person", "properties": {
            "name": ["Kim Jong Un", "キム・ジョンウン"], "alias": "KJU", "nationality": ["North Korea", "kp"],
            "birthDate": ["1984-01-08"], "passportNumber": ["PD123"], "idNumber": 42, "hairColor": ["x"]
        }}}}))
        .unwrap();
        let (key, q) = &q[0];
        assert_eq!(key, "a");
        assert_eq!(q.schema, Schema::Person);
        assert_eq!(q.names, ["Kim Jong Un", "キム・ジョンウン", "KJU"]);
        assert_eq!(q.countries, ["KP"]);
        assert_eq!(q.birth_dates[0].to_string(), "1984-01-08");
        assert_eq!(q.identifiers, ["42", "PD123"]);
        // Unused properties are not echoed as if they had counted.
        assert!(q.echo["properties"].get("hairColor").is_none());
        assert_eq!(q.engine_query("KJU").country.as_deref(), Some("KP"));
        assert_eq!(q.customer_id, None);
    }

    #[test]
    fn the_entity_id_is_the_customer_id() {
        let q = parse(json!({"queries": {"a": {"id": " C-1 ", "schema": "Company", "properties": {"name": "ACME"}}}}));
        assert_eq!(q.unwrap()[0].1.customer_id.as_deref(), Some("C-1"));
        let q = parse(json!({"queries": {"a": {"id": 42, "schema": "Company", "properties": {"name": "ACME"}}}}));
        assert_eq!(q.unwrap()[0].1.customer_id.as_deref(), Some("42"));
        let e = parse(json!({"queries": {"a": {"id": ["x"], "schema": "Company", "properties": {"name": "ACME"}}}}));
        assert_eq!(e.unwrap_err().detail, "queries.a.id: expected a string");
    }

    #[test]
    fn joins_name_parts_when_no_full_name() {
        let q = parse(json!({"queries": {"a": {"schema": "Person", "properties": {"firstName": "Taro", "lastName": "Yamada"}}}}));
        assert_eq!(q.unwrap()[0].1.names, ["Taro Yamada"]);
    }

    #[test]
    fn errors_name_the_field() {
        let detail = |body: Value| {
            let e = parse(body).unwrap_err();
            assert_eq!(e.status.as_u16(), 422);
            e.detail
        };
        assert_eq!(detail(json!([])), "body: expected a JSON object with a `queries` object");
        assert_eq!(detail(json!({})), "queries: missing");
        assert_eq!(detail(json!({"queries": {}})), "queries: no queries provided");
        assert!(detail(json!({"queries": {"a": {"schema": "Thing", "properties": {"name": "x"}}}}))
            .starts_with("queries.a.schema: unknown schema \"Thing\""));
        assert_eq!(detail(json!({"queries": {"a": {"properties": {"name": "x"}}}})), "queries.a.schema: missing");
        assert!(detail(json!({"queries": {"a": {"schema": "Person", "properties": {"name": " "}}}}))
            .starts_with("queries.a.properties.name: at least one name"));
        assert_eq!(
            detail(json!({"queries": {"a": {"schema": "Person", "properties": {"name": [{"x": 1}]}}}})),
            "queries.a.properties.name: expected strings"
        );
        assert!(detail(json!({"queries": {"a": {"schema": "Person", "properties": {"name": "x", "birthDate": "yesterday"}}}}))
            .starts_with("queries.a.properties.birthDate: \"yesterday\""));
        assert_eq!(
            detail(json!({"queries": {"a": {"schema": "Person", "properties": {"name": "x", "country": "Atlantis"}}}})),
            "queries.a.properties.country: unknown country \"Atlantis\""
        );
        let four: Map<String, Value> =
            (0..4).map(|i| (i.to_string(), json!({"schema": "Person", "properties": {"name": "x"}}))).collect();
        assert_eq!(detail(json!({ "queries": four })), "queries: 4 queries in one request; the limit is 3");
    }
}
