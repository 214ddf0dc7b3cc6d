//! `schema/transaction.schema.json` must describe exactly what the parser accepts: the same
//! fields at every level, the same required ones, the same enum values. A change to the input
//! types without the schema (or the reverse) fails here.

use std::collections::BTreeSet;

use sekisho_determine::transaction::{CyberSurveillance, EndUse, Role, TransactionInput};
use sekisho_rights::EndUserType;
use serde_json::{Value, json};

fn schema() -> Value {
    serde_json::from_str(include_str!("../schema/transaction.schema.json")).expect("the schema is JSON")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn enum_of(v: &Value) -> BTreeSet<String> {
    v["enum"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

fn names<T: serde::Serialize>(all: &[T]) -> BTreeSet<String> {
    all.iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_string()).collect()
}

/// An input with every optional field set, as the parser's types serialise it.
fn full_input() -> Value {
    let text = json!({
        "id": "T", "exporter": ["JP"], "destination": "CN",
        "item": {"description": "d", "jp": "16の項(1)", "eccn": "EAR99", "us_reasons": [], "eu": "not_listed",
                 "value": {"amount": 1.0, "currency": "JPY"}, "quantity": 1.0, "encryption": true,
                 "mass_market": false, "cyber_surveillance": "other"},
        "parties": [{"role": "consignee", "name": "n", "country": "CN", "end_user_type": "unknown"}],
        "end_use": ["civil"], "red_flags": ["x"],
        "informed": {"jp_inform": false, "us_is_informed": false, "eu_art4": false, "eu_art5": false}
    });
    let input: TransactionInput = serde_json::from_value(text).expect("the full input parses");
    serde_json::to_value(input).unwrap()
}

#[test]
fn the_schema_has_the_parsers_fields_and_values() {
    let s = schema();
    let v = full_input();
    let p = &s["properties"];
    assert_eq!(keys(p), keys(&v), "top-level fields");
    assert_eq!(keys(&p["item"]["properties"]), keys(&v["item"]), "item fields");
    assert_eq!(keys(&p["item"]["properties"]["value"]["properties"]), keys(&v["item"]["value"]), "item.value fields");
    assert_eq!(keys(&p["parties"]["items"]["properties"]), keys(&v["parties"][0]), "party fields");
    assert_eq!(keys(&p["informed"]["properties"]), keys(&v["informed"]), "informed fields");

    assert_eq!(enum_of(&p["end_use"]["items"]), names(&EndUse::ALL));
    assert_eq!(enum_of(&p["parties"]["items"]["properties"]["role"]), names(&Role::ALL));
    assert_eq!(enum_of(&p["parties"]["items"]["properties"]["end_user_type"]), names(&EndUserType::ALL));
    assert_eq!(enum_of(&p["item"]["properties"]["cyber_surveillance"]), names(&CyberSurveillance::ALL));

    // Required fields: dropping one is a parse error, dropping an optional one is not.
    let required: BTreeSet<String> = s["required"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
    for field in keys(&v) {
        let mut without = v.clone();
        without.as_object_mut().unwrap().remove(&field);
        let parsed = serde_json::from_value::<TransactionInput>(without).is_ok();
        assert_eq!(parsed, !required.contains(&field), "{field}: required in the schema iff the parser needs it");
    }
    // Unknown fields are refused at every level, as additionalProperties: false says.
    assert_eq!(s["additionalProperties"], false);
    let mut extra = v.clone();
    extra["item"]["colour"] = json!("red");
    assert!(serde_json::from_value::<TransactionInput>(extra).is_err());
}
