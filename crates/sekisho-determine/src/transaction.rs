//! The transaction to determine: the JSON input (documented in the README and in
//! `schema/transaction.schema.json`) and the checked step that turns it into a
//! [`Transaction`] whose codes all exist in the rulebook.
//!
//! Every problem is an error naming the field (`item.eccn: unknown ECCN "3A999" (did you
//! mean 3A991?)`); nothing unknown is let through to become a silent "no licence required".

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sekisho_rules::{Regime, Rulebook};

/// A legal order the exporter is subject to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Jurisdiction {
    JP,
    US,
    EU,
}

impl Jurisdiction {
    pub fn parse(s: &str) -> Option<Jurisdiction> {
        match s.trim().to_ascii_uppercase().as_str() {
            "JP" => Some(Jurisdiction::JP),
            "US" => Some(Jurisdiction::US),
            "EU" => Some(Jurisdiction::EU),
            _ => None,
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Jurisdiction::JP => "Japan (外為法 / 輸出貿易管理令)",
            Jurisdiction::US => "United States (EAR, 15 CFR 730-774)",
            Jurisdiction::EU => "European Union (Regulation (EU) 2021/821)",
        }
    }
}

/// Declared end use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndUse {
    Civil,
    Military,
    ConventionalWeapons,
    Nuclear,
    Chemical,
    Biological,
    Missile,
    Surveillance,
    InternalRepression,
    Unknown,
}

impl EndUse {
    pub const ALL: [EndUse; 10] = [
        EndUse::Civil, EndUse::Military, EndUse::ConventionalWeapons, EndUse::Nuclear, EndUse::Chemical,
        EndUse::Biological, EndUse::Missile, EndUse::Surveillance, EndUse::InternalRepression, EndUse::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EndUse::Civil => "civil",
            EndUse::Military => "military",
            EndUse::ConventionalWeapons => "conventional_weapons",
            EndUse::Nuclear => "nuclear",
            EndUse::Chemical => "chemical",
            EndUse::Biological => "biological",
            EndUse::Missile => "missile",
            EndUse::Surveillance => "surveillance",
            EndUse::InternalRepression => "internal_repression",
            EndUse::Unknown => "unknown",
        }
    }
}

/// A party's role in the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Consignee,
    EndUser,
    IntermediateConsignee,
    Purchaser,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Consignee, Role::EndUser, Role::IntermediateConsignee, Role::Purchaser];
}

/// The kind of end user: the vocabulary of `sekisho-rights`, which weighs it.
pub use sekisho_rights::EndUserType;

/// Police, intelligence, security services and the military: the users the human-rights
/// criteria single out.
pub fn is_state_security(t: EndUserType) -> bool {
    matches!(t, EndUserType::Police | EndUserType::Intelligence | EndUserType::SecurityService | EndUserType::Military)
}

/// A government end user in the sense of 15 CFR 772.1 (ENC's limits).
pub fn is_government(t: EndUserType) -> bool {
    is_state_security(t) || matches!(t, EndUserType::OtherGovernment)
}

/// Cyber-surveillance item types (Regulation (EU) 2021/821 Art. 2(20)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CyberSurveillance {
    IntrusionSoftware,
    IpNetworkSurveillance,
    ImsiCatcher,
    Interception,
    FacialRecognition,
    DigitalForensics,
    Other,
}

impl CyberSurveillance {
    pub const ALL: [CyberSurveillance; 7] = [
        CyberSurveillance::IntrusionSoftware, CyberSurveillance::IpNetworkSurveillance, CyberSurveillance::ImsiCatcher,
        CyberSurveillance::Interception, CyberSurveillance::FacialRecognition, CyberSurveillance::DigitalForensics,
        CyberSurveillance::Other,
    ];
}

// ------------------------------------------------------------------ the JSON input

/// The transaction as the JSON file states it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionInput {
    pub id: String,
    /// "JP", "US", "EU": the legal orders the exporter must comply with.
    pub exporter: Vec<String>,
    pub item: ItemInput,
    /// ISO-2 code or country name.
    pub destination: String,
    #[serde(default)]
    pub parties: Vec<PartyInput>,
    #[serde(default)]
    pub end_use: Vec<EndUse>,
    /// Red flags the exporter noticed (free text, e.g. "customer declines installation").
    #[serde(default)]
    pub red_flags: Vec<String>,
    #[serde(default)]
    pub informed: InformedInput,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub description: String,
    /// 輸出貿易管理令 別表第一: "3の項(1)", "16の項(1)", "16の項(2)", or "not_listed".
    #[serde(default)]
    pub jp: Option<String>,
    /// "3A001.a.1", "EAR99".
    #[serde(default)]
    pub eccn: Option<String>,
    /// The ECCN's reasons for control that the exporter's classification found to apply to
    /// this item: reasons ("NS", "MT") or chart columns ("CC2") where one reason has rows for
    /// several columns. When given, it settles reasons whose scope the CCL states in words
    /// (e.g. "MT applies to radial ball bearings having ..."); reasons not named do not apply.
    #[serde(default)]
    pub us_reasons: Option<Vec<String>>,
    /// Annex I entry "3A001" (paragraphs allowed), or "not_listed".
    #[serde(default)]
    pub eu: Option<String>,
    #[serde(default)]
    pub value: Option<Money>,
    #[serde(default)]
    pub quantity: Option<f64>,
    /// Uses or performs cryptography (Category 5 Part 2).
    #[serde(default)]
    pub encryption: bool,
    /// Sold to the public as a mass-market product.
    #[serde(default)]
    pub mass_market: bool,
    #[serde(default)]
    pub cyber_surveillance: Option<CyberSurveillance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount: f64,
    /// ISO 4217 ("USD", "JPY", "EUR").
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    pub role: Role,
    pub name: String,
    /// ISO-2 code or country name (default: the destination).
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub end_user_type: Option<EndUserType>,
}

/// Notices from an authority that the export needs a licence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InformedInput {
    /// METI インフォーム (輸出令4条1項3号ロ/ニ): the Minister notified that a licence is needed.
    #[serde(default)]
    pub jp_inform: bool,
    /// BIS "is informed" letter (15 CFR 744.21(b), 744.2-744.6).
    #[serde(default)]
    pub us_is_informed: bool,
    /// A Member State authority informed the exporter under Art. 4(1).
    #[serde(default)]
    pub eu_art4: bool,
    /// ... under Art. 5(1) (cyber-surveillance).
    #[serde(default)]
    pub eu_art5: bool,
}

// ------------------------------------------------------------------ the checked transaction

/// The item's place on Japan's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JpClass {
    /// 別表第一 1〜15の項: `id` is the rulebook's ("3-1").
    Listed { id: String, kou: u8 },
    /// 16の項(1) or (2): the catch-all.
    CatchAll { sub: u8 },
    /// Outside 別表第一 altogether (food, wood).
    NotListed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UsClass {
    Ear99,
    /// `code` "3A001", `paragraph` "a.1" when given.
    Eccn { code: String, paragraph: Option<String> },
}

impl UsClass {
    pub fn display(&self) -> String {
        match self {
            UsClass::Ear99 => "EAR99".into(),
            UsClass::Eccn { code, paragraph: Some(p) } => format!("{code}.{p}"),
            UsClass::Eccn { code, paragraph: None } => code.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EuClass {
    /// `code` "3A001", `full` as written ("3A001.a.1").
    Listed { code: String, full: String },
    NotListed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub description: String,
    pub jp: Option<JpClass>,
    pub us: Option<UsClass>,
    /// See [`ItemInput::us_reasons`]; upper case, each a reason of the ECCN.
    pub us_reasons: Option<Vec<String>>,
    pub eu: Option<EuClass>,
    pub value: Option<Money>,
    pub quantity: Option<f64>,
    pub encryption: bool,
    pub mass_market: bool,
    pub cyber_surveillance: Option<CyberSurveillance>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Party {
    pub role: Role,
    pub name: String,
    /// ISO-2.
    pub country: String,
    pub end_user_type: EndUserType,
}

/// A transaction whose every code was found in the rulebook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Transaction {
    pub id: String,
    pub exporters: BTreeSet<Jurisdiction>,
    pub item: Item,
    /// ISO-2.
    pub destination: String,
    pub parties: Vec<Party>,
    pub end_uses: BTreeSet<EndUse>,
    pub red_flags: Vec<String>,
    pub informed: InformedInput,
}

impl Transaction {
    /// The end users' types (the consignee's when no end user is named).
    pub fn end_user_types(&self) -> impl Iterator<Item = EndUserType> + '_ {
        let has_end_user = self.parties.iter().any(|p| p.role == Role::EndUser);
        self.parties
            .iter()
            .filter(move |p| p.role == Role::EndUser || (!has_end_user && p.role == Role::Consignee))
            .map(|p| p.end_user_type)
    }

    pub fn declares_any(&self, uses: &[String]) -> Option<EndUse> {
        self.end_uses.iter().copied().find(|u| uses.iter().any(|s| s == u.as_str()))
    }
}

/// A transaction that cannot be determined, with the field at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InputError {
    /// Dotted path, e.g. `item.eccn`, `parties[1].country`; `(json)` for syntax errors.
    pub field: String,
    pub message: String,
}

impl InputError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> InputError {
        InputError { field: field.into(), message: message.into() }
    }
}

/// Parses JSON text into a checked transaction.
pub fn parse_transaction(json: &str, rulebook: &Rulebook) -> Result<Transaction, InputError> {
    let input = parse_input(json)?;
    validate(&input, rulebook)
}

/// Parses JSON text into the input form, naming the field of a type error.
pub fn parse_input(json: &str) -> Result<TransactionInput, InputError> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path.is_empty() || path == "." || path == "?" || inner.is_syntax() || inner.is_eof() { "(json)".to_string() } else { path };
        let mut message = inner.to_string();
        if let Some(hint) = crate::authored::unknown_field_hint(&message) {
            message = format!("{}{hint}", message.split(" at line ").next().unwrap_or(&message));
        }
        InputError::new(field, message)
    })
}

/// Checks an input against the rulebook.
pub fn validate(input: &TransactionInput, rulebook: &Rulebook) -> Result<Transaction, InputError> {
    if input.id.trim().is_empty() {
        return Err(InputError::new("id", "must not be empty"));
    }
    if input.exporter.is_empty() {
        return Err(InputError::new("exporter", "name at least one jurisdiction: JP, US or EU"));
    }
    let mut exporters = BTreeSet::new();
    for (i, j) in input.exporter.iter().enumerate() {
        let parsed = Jurisdiction::parse(j).ok_or_else(|| {
            InputError::new(format!("exporter[{i}]"), format!("unknown jurisdiction {j:?}: use JP, US or EU"))
        })?;
        exporters.insert(parsed);
    }
    let item = &input.item;
    if item.description.trim().is_empty() {
        return Err(InputError::new("item.description", "must not be empty"));
    }
    let jp = item.jp.as_deref().map(|s| parse_jp(s, rulebook)).transpose()?;
    let us = item.eccn.as_deref().map(|s| parse_eccn(s, rulebook)).transpose()?;
    let eu = item.eu.as_deref().map(|s| parse_eu(s, rulebook)).transpose()?;
    let us_reasons = match (&item.us_reasons, &us) {
        (None, _) => None,
        (Some(_), None | Some(UsClass::Ear99)) => {
            return Err(InputError::new("item.us_reasons", "only meaningful with an ECCN in item.eccn"));
        }
        (Some(list), Some(UsClass::Eccn { code, .. })) => {
            let reasons = &rulebook.us.eccns[code].reasons;
            let mut known: Vec<&str> = reasons.iter().map(|r| r.reason.as_str()).chain(reasons.iter().filter_map(|r| r.column.as_deref())).collect();
            known.sort();
            known.dedup();
            let mut out = Vec::new();
            for (i, r) in list.iter().enumerate() {
                let upper = r.trim().to_ascii_uppercase();
                if !known.contains(&upper.as_str()) {
                    return Err(InputError::new(format!("item.us_reasons[{i}]"), format!("{r:?} is not a reason for control of {code} ({})", known.join(", "))));
                }
                out.push(upper);
            }
            Some(out)
        }
    };
    for (j, present, field, example) in [
        (Jurisdiction::JP, jp.is_some(), "item.jp", "\"3の項(1)\", \"16の項(1)\" or \"not_listed\""),
        (Jurisdiction::US, us.is_some(), "item.eccn", "\"3A001.a.1\" or \"EAR99\""),
        (Jurisdiction::EU, eu.is_some(), "item.eu", "\"3A001\" or \"not_listed\""),
    ] {
        if exporters.contains(&j) && !present {
            return Err(InputError::new(field, format!("required when {j:?} is an exporter jurisdiction (e.g. {example})")));
        }
    }
    if let Some(value) = &item.value {
        if !value.amount.is_finite() || value.amount < 0.0 {
            return Err(InputError::new("item.value.amount", format!("must be a non-negative number, got {}", value.amount)));
        }
        let c = &value.currency;
        if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(InputError::new("item.value.currency", format!("{c:?} is not an ISO 4217 code such as USD, JPY or EUR")));
        }
    }
    if let Some(q) = item.quantity
        && (!q.is_finite() || q < 0.0)
    {
        return Err(InputError::new("item.quantity", format!("must be a non-negative number, got {q}")));
    }
    let destination = country("destination", &input.destination)?;
    let mut parties = Vec::new();
    for (i, p) in input.parties.iter().enumerate() {
        if p.name.trim().is_empty() {
            return Err(InputError::new(format!("parties[{i}].name"), "must not be empty"));
        }
        let country = match &p.country {
            Some(c) => self::country(&format!("parties[{i}].country"), c)?,
            None => destination.clone(),
        };
        parties.push(Party { role: p.role, name: p.name.trim().to_string(), country, end_user_type: p.end_user_type.unwrap_or(EndUserType::Unknown) });
    }
    Ok(Transaction {
        id: input.id.trim().to_string(),
        exporters,
        item: Item {
            description: item.description.trim().to_string(),
            jp,
            us,
            us_reasons,
            eu,
            value: item.value.clone(),
            quantity: item.quantity,
            encryption: item.encryption,
            mass_market: item.mass_market,
            cyber_surveillance: item.cyber_surveillance,
        },
        destination,
        parties,
        end_uses: input.end_use.iter().copied().collect(),
        red_flags: input.red_flags.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect(),
        informed: input.informed.clone(),
    })
}

fn country(field: &str, text: &str) -> Result<String, InputError> {
    sekisho_model::country::to_iso2(text)
        .map(str::to_string)
        .ok_or_else(|| InputError::new(field, format!("unknown country {text:?}: give an ISO 3166-1 alpha-2 code or an English or Japanese name")))
}

/// "3の項(1)" / "3の2の項(1)" / "16の項(2)" / "outside_table1".
fn parse_jp(text: &str, rulebook: &Rulebook) -> Result<JpClass, InputError> {
    let field = "item.jp";
    let lower = text.trim().to_lowercase();
    if matches!(lower.as_str(), "outside_table1" | "別表第一対象外") {
        return Ok(JpClass::NotListed);
    }
    if matches!(lower.as_str(), "not_listed" | "not-listed" | "not listed" | "notlisted" | "非該当") {
        return Err(InputError::new(
            field,
            format!("{text:?} is ambiguous: goods outside rows 1-15 (非該当) are still row 16 goods under the catch-all; write \"16の項(1)\" or \"16の項(2)\", or \"outside_table1\" for goods outside 別表第一 altogether (food, wood)"),
        ));
    }
    let resolved = rulebook.resolve_code(Regime::Jp, text).map_err(|e| InputError::new(field, e.to_string()))?;
    let item = rulebook.jp.items.get(&resolved.code).ok_or_else(|| InputError::new(field, format!("{text:?} is not in the rulebook")))?;
    if item.kou == 16 {
        return match item.gou.as_deref() {
            Some("1") => Ok(JpClass::CatchAll { sub: 1 }),
            Some("2") => Ok(JpClass::CatchAll { sub: 2 }),
            _ => Err(InputError::new(
                field,
                format!("{text:?}: say 16の項(1) (関税定率法別表 25〜40類, 54〜59類, 63類, 68〜93類, 95類) or 16の項(2) (other goods except food and wood)"),
            )),
        };
    }
    Ok(JpClass::Listed { id: resolved.code, kou: item.kou })
}

/// "3A001.a.1" / "EAR99".
fn parse_eccn(text: &str, rulebook: &Rulebook) -> Result<UsClass, InputError> {
    let field = "item.eccn";
    let lower = text.trim().to_lowercase();
    if matches!(lower.as_str(), "not_listed" | "not-listed" | "not listed" | "notlisted" | "非該当") {
        return Err(InputError::new(field, format!("{text:?}: an item subject to the EAR but not on the CCL is \"EAR99\"")));
    }
    let resolved = rulebook.resolve_code(Regime::Us, text).map_err(|e| InputError::new(field, e.to_string()))?;
    Ok(match resolved.entry {
        None => UsClass::Ear99,
        Some(code) => {
            let paragraph = resolved.code.get(6..).filter(|p| !p.is_empty()).map(str::to_string);
            UsClass::Eccn { code, paragraph }
        }
    })
}

/// "3A001" / "3A001.a.1" / "not_listed".
fn parse_eu(text: &str, rulebook: &Rulebook) -> Result<EuClass, InputError> {
    let field = "item.eu";
    let normalised = text.trim().replace('_', "-");
    let resolved = rulebook.resolve_code(Regime::Eu, &normalised).map_err(|e| {
        InputError::new(field, format!("{e}; write \"not_listed\" for an item outside Annex I"))
    })?;
    Ok(match resolved.entry {
        None => EuClass::NotListed,
        Some(code) => EuClass::Listed { code, full: resolved.code },
    })
}

impl Transaction {
    /// The end user whose type the human-rights assessment weighs: a state-security end user
    /// if any party is one, else the first end user (or consignee), else unknown.
    pub fn end_user_for_rights(&self) -> EndUserType {
        let types: Vec<EndUserType> = self.end_user_types().collect();
        types.iter().copied().find(|t| is_state_security(*t)).or(types.first().copied()).unwrap_or(EndUserType::Unknown)
    }
}
