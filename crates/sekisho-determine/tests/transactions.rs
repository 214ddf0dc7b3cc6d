//! The checked parsing step against the real rulebook: every malformed or unknown input is
//! an error naming the field, never a transaction that determines to "no licence required".

use std::sync::LazyLock;

use sekisho_determine::parse_transaction;
use sekisho_rules::Rulebook;

static BOOK: LazyLock<Option<Rulebook>> = LazyLock::new(|| {
    let dir = sekisho_lists::shared_data_dir()?.join("control");
    Some(Rulebook::import(&dir).expect("rulebook import"))
});

const GOOD: &str = r#"{"id": "T", "exporter": ["US", "JP", "EU"], "destination": "CN",
  "item": {"description": "ICs", "eccn": "3A001.a.1", "jp": "7の項(1)", "eu": "3A001.a.1",
           "value": {"amount": 100, "currency": "USD"}},
  "parties": [{"role": "end_user", "name": "Example Co.", "country": "中国", "end_user_type": "commercial"}],
  "end_use": ["civil"]}"#;

fn error_of(json: &str) -> String {
    let book = BOOK.as_ref().unwrap();
    parse_transaction(json, book).map(|_| "no error".to_string()).unwrap_or_else(|e| e.to_string())
}

#[test]
fn a_good_transaction_parses_with_names_mapped() {
    let Some(book) = BOOK.as_ref() else { return };
    let tx = parse_transaction(GOOD, book).unwrap();
    assert_eq!(tx.parties[0].country, "CN", "Japanese country name mapped");
    assert_eq!(tx.exporters.len(), 3);
    let hk = parse_transaction(&GOOD.replace("\"CN\"", "\"Hong Kong\""), book).unwrap();
    assert_eq!(hk.destination, "HK");
}

#[test]
fn every_bad_input_names_its_field() {
    if BOOK.is_none() {
        return;
    }
    let cases: &[(&str, &str, &str)] = &[
        ("3A001.a.1\", \"jp\"", "3A091\", \"jp\"", "item.eccn: us: \"3A091\" is not in the rulebook (did you mean 3A0"),
        ("\"eu\": \"3A001.a.1\"", "\"eu\": \"3A901\"", "item.eu: eu: \"3A901\" is not in the rulebook"),
        ("7の項(1)", "7の項(99)", "item.jp: jp: \"7の項(99)\" is not in the rulebook"),
        ("7の項(1)", "非該当", "item.jp: \"非該当\" is ambiguous"),
        ("7の項(1)", "16の項", "item.jp: \"16の項\": say 16の項(1)"),
        ("\"eccn\": \"3A001.a.1\"", "\"eccn\": \"not_listed\"", "item.eccn: \"not_listed\": an item subject to the EAR but not on the CCL is \"EAR99\""),
        ("\"eccn\": \"3A001.a.1\"", "\"eccn\": \"3AX01\"", "item.eccn: us: \"3AX01\" is not in the rulebook (did you mean 3A001?)"),
        ("\"eccn\": \"3A001.a.1\"", "\"eccn\": \"3AX0\"", "item.eccn: us: \"3AX0\" is not a code of that regime's shape"),
        ("\"destination\": \"CN\"", "\"destination\": \"Atlantis\"", "destination: unknown country \"Atlantis\""),
        ("\"country\": \"中国\"", "\"country\": \"Zz\"", "parties[0].country: unknown country \"Zz\""),
        ("\"exporter\": [\"US\", \"JP\", \"EU\"]", "\"exporter\": [\"US\", \"UK\"]", "exporter[1]: unknown jurisdiction \"UK\""),
        ("\"exporter\": [\"US\", \"JP\", \"EU\"]", "\"exporter\": []", "exporter: name at least one jurisdiction"),
        ("\"amount\": 100", "\"amount\": -5", "item.value.amount: must be a non-negative number"),
        ("\"amount\": 100", "\"amount\": \"100\"", "item.value.amount: invalid type: string \"100\", expected f64"),
        ("\"currency\": \"USD\"", "\"currency\": \"dollars\"", "item.value.currency: \"dollars\" is not an ISO 4217 code"),
        ("\"role\": \"end_user\"", "\"role\": \"buyer\"", "parties[0].role: unknown variant `buyer`"),
        ("\"end_user_type\": \"commercial\"", "\"end_user_type\": \"spy\"", "parties[0].end_user_type: unknown variant `spy`"),
        ("[\"civil\"]", "[\"peaceful\"]", "end_use[0]: unknown variant `peaceful`"),
        ("\"destination\": \"CN\"", "\"destinaton\": \"CN\"", "destinaton"),
        ("\"description\": \"ICs\"", "\"description\": \" \"", "item.description: must not be empty"),
        ("\"eccn\": \"3A001.a.1\", ", "", "item.eccn: required when US is an exporter jurisdiction"),
        ("\"jp\": \"7の項(1)\", ", "", "item.jp: required when JP is an exporter jurisdiction"),
        ("\"eccn\": \"3A001.a.1\"", "\"eccn\": \"3A001.a.1\", \"us_reasons\": [\"NS\", \"CW\"]", "item.us_reasons[1]: \"CW\" is not a reason for control of 3A001"),
    ];
    for (from, to, expected) in cases {
        let json = GOOD.replacen(from, to, 1);
        assert_ne!(json, GOOD, "case {to:?} changed nothing");
        let err = error_of(&json);
        assert!(err.contains(expected), "{to:?}: expected {expected:?}, got {err:?}");
    }
    // An unknown key gets a did-you-mean.
    let err = error_of(&GOOD.replace("\"destination\"", "\"destinaton\""));
    assert!(err.contains("unknown field `destinaton`") && err.contains("did you mean `destination`?"), "{err}");
    // Broken JSON names no field but says where.
    let err = error_of(&GOOD[..GOOD.len() - 3]);
    assert!(err.starts_with("(json): EOF while parsing"), "{err}");
}
