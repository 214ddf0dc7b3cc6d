//! Counterparty keys and saving counterparties.

use sekisho_match::Query;
use sekisho_match::normalize::fold;
use sekisho_model::{PartialDate, Schema};
use serde_json::json;

use crate::{Counterparty, Error, Result, Saved, Service};

/// A stable id for the party screened: `id:` and the user's customer id if given, else
/// `name:` and the folded name, schema and country (so "ACME Ltd." and "acme ltd" of one
/// country are one counterparty, and the same name in two countries two).
pub fn counterparty_key(customer_id: Option<&str>, name: &str, schema: Option<Schema>, country: Option<&str>) -> String {
    match customer_id.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => format!("id:{id}"),
        None => format!(
            "name:{}|{}|{}",
            fold(name),
            schema.map_or("-", Schema::as_str),
            country.map_or("-".to_string(), |c| c.trim().to_ascii_uppercase())
        ),
    }
}

/// A counterparty as a user gives it; [`Service::save_counterparties`] checks it.
#[derive(Debug, Clone, Default)]
pub struct CounterpartyInput {
    pub customer_id: Option<String>,
    pub name: String,
    pub schema: Option<String>,
    /// ISO-2 code or an English or Japanese country name.
    pub country: Option<String>,
    pub birth_date: Option<String>,
    pub identifiers: Vec<String>,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl CounterpartyInput {
    /// Checks the fields, naming the one that is wrong.
    pub fn validate(&self) -> Result<Counterparty> {
        let name = self.name.trim();
        let label = non_empty(&self.customer_id).unwrap_or(name);
        let bad = |field: &str, why: String| Error::Invalid(format!("counterparty {label:?}: {field}: {why}"));
        if fold(name).is_empty() {
            return Err(bad("name", "empty".into()));
        }
        let schema = match non_empty(&self.schema) {
            Some(s) => Some(Schema::parse(s).ok_or_else(|| {
                bad("schema", format!("unknown schema {s:?}: use Person, Organization, Company, LegalEntity, Vessel or Airplane"))
            })?),
            None => None,
        };
        let country = match non_empty(&self.country) {
            Some(c) if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => Some(c.to_ascii_uppercase()),
            Some(c) => Some(
                sekisho_model::country::to_iso2(c)
                    .ok_or_else(|| bad("country", format!("{c:?} is not an ISO-2 code or a known country name")))?
                    .to_string(),
            ),
            None => None,
        };
        let birth_date = match non_empty(&self.birth_date) {
            Some(d) => Some(
                d.parse::<PartialDate>().map_err(|e| bad("birth_date", e.to_string()))?.to_string(),
            ),
            None => None,
        };
        let identifiers: Vec<String> =
            self.identifiers.iter().map(|i| i.trim().to_string()).filter(|i| !i.is_empty()).collect();
        let customer_id = non_empty(&self.customer_id).map(str::to_string);
        Ok(Counterparty {
            key: counterparty_key(customer_id.as_deref(), name, schema, country.as_deref()),
            customer_id,
            name: name.to_string(),
            schema,
            country,
            birth_date,
            identifiers,
            added_at: String::new(),
            updated_at: String::new(),
        })
    }
}

/// The screening query for a saved counterparty.
pub(crate) fn query_of(c: &Counterparty) -> Result<Query> {
    let birth_date = match &c.birth_date {
        Some(d) => Some(d.parse::<PartialDate>().map_err(|e| {
            Error::Invalid(format!("saved counterparty {}: birth_date: {e}", c.key))
        })?),
        None => None,
    };
    Ok(Query {
        name: c.name.clone(),
        schema: c.schema,
        country: c.country.clone(),
        birth_date,
        identifiers: c.identifiers.clone(),
    })
}

impl Service {
    /// Checks every input first (nothing is saved if one is wrong), then adds or updates
    /// them in one transaction with one `counterparty_save` audit record. Two inputs with
    /// the same key: the later one wins.
    pub fn save_counterparties(&mut self, actor: &str, inputs: &[CounterpartyInput]) -> Result<Vec<(Counterparty, Saved)>> {
        let parties: Vec<Counterparty> = inputs.iter().map(CounterpartyInput::validate).collect::<Result<_>>()?;
        let (outcomes, _) = self.store.audited(actor, "counterparty_save", |tx| {
            let mut outcomes = Vec::with_capacity(parties.len());
            for c in &parties {
                outcomes.push(tx.save_counterparty(c)?);
            }
            let count = |s: Saved| outcomes.iter().filter(|&&o| o == s).count();
            let (added, updated) = (count(Saved::Added), count(Saved::Updated));
            let changed: Vec<&str> = parties
                .iter()
                .zip(&outcomes)
                .filter(|(_, o)| **o != Saved::Unchanged)
                .map(|(c, _)| c.key.as_str())
                .collect();
            let details = json!({
                "summary": format!("{added} counterparty(ies) added, {updated} updated, {} unchanged", count(Saved::Unchanged)),
                "added": added, "updated": updated, "unchanged": count(Saved::Unchanged),
                "counterparties": changed,
            });
            Ok((outcomes, details))
        })?;
        let mut saved = Vec::with_capacity(parties.len());
        for (c, outcome) in parties.into_iter().zip(outcomes) {
            let stored = self.store.counterparty(&c.key)?.unwrap_or(c);
            saved.push((stored, outcome));
        }
        Ok(saved)
    }
}
