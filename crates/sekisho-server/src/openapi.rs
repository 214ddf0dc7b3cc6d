//! The OpenAPI 3 document, hand-written beside this file, checked against the route table.

pub const DOCUMENT: &str = include_str!("openapi.json");

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use crate::routes::{Access, routes};

    fn document() -> Value {
        serde_json::from_str(super::DOCUMENT).expect("openapi.json is JSON")
    }

    /// (METHOD, path, role) for every operation in the document.
    fn documented() -> BTreeSet<(String, String, String)> {
        let doc = document();
        let mut out = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                let role = op["x-sekisho-role"].as_str().unwrap_or("(missing)").to_string();
                out.insert((method.to_uppercase(), path.clone(), role));
            }
        }
        out
    }

    #[test]
    fn documents_exactly_the_routes_served_with_their_roles() {
        let served: BTreeSet<(String, String, String)> = routes()
            .into_iter()
            .map(|r| {
                let role = match r.access {
                    Access::Public => "none".to_string(),
                    Access::Role(role) => role.to_string(),
                };
                (r.method.to_string(), r.path.to_string(), role)
            })
            .collect();
        let documented = documented();
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(undocumented.is_empty() && unserved.is_empty(), "served but not documented: {undocumented:?}; documented but not served: {unserved:?}");
    }

    #[test]
    fn public_routes_declare_no_security_and_others_inherit_the_key() {
        let doc = document();
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."));
        assert!(doc["components"]["securitySchemes"]["ApiKey"].is_object());
        for r in routes() {
            let op = &doc["paths"][r.path][r.method.as_str().to_lowercase()];
            let declares_none = op["security"].as_array().is_some_and(|s| s.is_empty());
            assert_eq!(declares_none, r.access == Access::Public, "{} {}", r.method, r.path);
        }
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let text = super::DOCUMENT;
        for part in text.split("\"$ref\": \"#/").skip(1) {
            let pointer = &part[..part.find('"').expect("closing quote")];
            assert!(doc.pointer(&format!("/{pointer}")).is_some(), "dangling $ref #/{pointer}");
        }
    }
}
