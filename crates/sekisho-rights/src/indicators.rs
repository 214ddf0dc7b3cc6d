//! The imported indicators: per country (ISO-2), one record per edition year and source,
//! plus the sources themselves (file, SHA-256, years covered, credit and licence).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which published dataset a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceId {
    /// Freedom House, Freedom in the World.
    FreedomHouse,
    /// World Bank, Worldwide Governance Indicators.
    Wgi,
    /// V-Dem Institute, Varieties of Democracy (derived democratic-space indices).
    Vdem,
}

impl SourceId {
    /// All sources, in the order assessments list them.
    pub const ALL: [SourceId; 3] = [SourceId::FreedomHouse, SourceId::Wgi, SourceId::Vdem];

    /// A short English name for texts ("Freedom House").
    pub fn name_en(self) -> &'static str {
        match self {
            SourceId::FreedomHouse => "Freedom House, Freedom in the World",
            SourceId::Wgi => "World Bank, Worldwide Governance Indicators",
            SourceId::Vdem => "V-Dem (Varieties of Democracy)",
        }
    }

    /// The credit line that must accompany every value from this source (SOURCE.txt).
    pub fn credit(self) -> &'static str {
        match self {
            SourceId::FreedomHouse => "Freedom House, Freedom in the World",
            SourceId::Wgi => "World Bank, Worldwide Governance Indicators (CC BY 4.0)",
            SourceId::Vdem => {
                "V-Dem Institute, Varieties of Democracy (V-Dem), derived democratic-space indices (CC BY-SA 4.0)"
            }
        }
    }

    /// The terms of use as SOURCE.txt states them.
    pub fn licence(self) -> &'static str {
        match self {
            SourceId::FreedomHouse => {
                "attribution required: \"Freedom House, Freedom in the World\""
            }
            SourceId::Wgi => "CC BY 4.0",
            SourceId::Vdem => "CC BY-SA 4.0",
        }
    }

    /// The Japanese name for texts.
    pub fn name_ja(self) -> &'static str {
        match self {
            SourceId::FreedomHouse => "フリーダム・ハウス「世界の自由」",
            SourceId::Wgi => "世界銀行「世界ガバナンス指標」(WGI)",
            SourceId::Vdem => "V-Dem（民主主義の多様性）",
        }
    }
}

/// One imported source file: where it came from and under which terms its values travel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub id: SourceId,
    /// File name inside the import folder.
    pub file: String,
    /// SHA-256 of the file as read, lower-case hex.
    pub sha256: String,
    /// The first and last edition (FIW) or data year (WGI, V-Dem) present in the file.
    pub first_year: u16,
    pub last_year: u16,
    /// The data date in words, e.g. "Freedom in the World 2024 edition (events of 2023)".
    pub data_date: String,
    /// The attribution that must accompany every value from this source.
    pub credit: String,
    /// The licence or terms of use, as SOURCE.txt states them.
    pub licence: String,
    /// Number of countries (ISO-2 codes) this source gave values for.
    pub countries: usize,
}

/// A name (or code) in a source file that did not become an ISO-2 country, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmappedName {
    pub source: SourceId,
    /// The name (and code, where the file has one) as written.
    pub name: String,
    /// Why it was left out, in English.
    pub reason: String,
}

/// Freedom House's overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FiwStatus {
    /// Free.
    F,
    /// Partly Free.
    PF,
    /// Not Free.
    NF,
}

impl FiwStatus {
    pub fn label_en(self) -> &'static str {
        match self {
            FiwStatus::F => "Free",
            FiwStatus::PF => "Partly Free",
            FiwStatus::NF => "Not Free",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            FiwStatus::F => "自由",
            FiwStatus::PF => "部分的に自由",
            FiwStatus::NF => "自由でない",
        }
    }
}

/// One Freedom in the World row (one country or territory, one edition).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiwRecord {
    /// The edition year ("Freedom in the World 2024" rates the events of 2023).
    pub edition: u16,
    /// The name as the file writes it.
    pub name: String,
    /// True for a row the file marks as a territory ("t"), false for a country ("c").
    pub territory: bool,
    pub status: FiwStatus,
    /// Political Rights rating, 1 (most free) to 7 (least free).
    pub pr_rating: u8,
    /// Civil Liberties rating, 1 (most free) to 7 (least free).
    pub cl_rating: u8,
    /// Aggregate score, 0 to 100 (Political Rights 0–40 plus Civil Liberties 0–60).
    pub total: i16,
}

/// One WGI indicator value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WgiValue {
    /// The estimate, roughly -2.5 (weak) to 2.5 (strong).
    pub estimate: f64,
    /// Percentile rank among all countries, 0 (lowest) to 100 (highest).
    pub percentile: f64,
}

/// The WGI values of one country and year. A dimension the file marks ".." is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WgiRecord {
    pub year: u16,
    /// The name as the file writes it.
    pub name: String,
    /// Voice and Accountability ("va").
    pub voice_accountability: Option<WgiValue>,
    /// Rule of Law ("rl").
    pub rule_of_law: Option<WgiValue>,
}

/// The V-Dem indices of one country and year that bear on civic space and repression, each
/// 0 (worst) to 1 (best); `None` where the file gives no value (empty or "NA").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VdemRecord {
    pub year: u16,
    /// The name as the file writes it.
    pub name: String,
    /// `v2xcs_ccsi`, the core civil society index: can organisations form and act without
    /// state control or repression.
    pub civil_society: Option<f64>,
    /// `v2xcl_rol`, equality before the law and individual liberty (includes freedom from
    /// torture and political killings).
    pub liberties: Option<f64>,
    /// `v2x_freexp_altinf`, freedom of expression and alternative sources of information
    /// (includes media censorship and harassment of journalists).
    pub expression: Option<f64>,
}

/// Every imported value for one country, oldest year first in each list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CountryIndicators {
    pub iso2: String,
    pub fiw: Vec<FiwRecord>,
    pub wgi: Vec<WgiRecord>,
    pub vdem: Vec<VdemRecord>,
}

impl CountryIndicators {
    /// The latest Freedom in the World edition for this country.
    pub fn fiw_latest(&self) -> Option<&FiwRecord> {
        self.fiw.last()
    }

    /// The latest WGI year for this country that has Voice and Accountability or Rule of
    /// Law (years the file leaves blank for both are skipped).
    pub fn wgi_latest(&self) -> Option<&WgiRecord> {
        self.wgi
            .iter()
            .rev()
            .find(|r| r.voice_accountability.is_some() || r.rule_of_law.is_some())
    }

    /// Whether this country has any row from `source`.
    pub(crate) fn has(&self, source: SourceId) -> bool {
        match source {
            SourceId::FreedomHouse => !self.fiw.is_empty(),
            SourceId::Wgi => !self.wgi.is_empty(),
            SourceId::Vdem => !self.vdem.is_empty(),
        }
    }

    /// The latest V-Dem year for this country (import keeps only years with a value).
    pub fn vdem_latest(&self) -> Option<&VdemRecord> {
        self.vdem.last()
    }
}

/// The human-rights indicators of all countries, as imported from one folder.
///
/// Serialisable, so the rulebook can store it as a versioned snapshot: the sources carry
/// each file's SHA-256 and data date.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSet {
    /// The files read, in [`SourceId::ALL`] order.
    pub sources: Vec<SourceInfo>,
    /// By ISO-2 code.
    pub countries: BTreeMap<String, CountryIndicators>,
    /// Names in the files that were not assigned a country, with the reason.
    pub unmapped: Vec<UnmappedName>,
}

impl IndicatorSet {
    /// The indicators of a country by ISO-2 code (any case).
    pub fn country(&self, iso2: &str) -> Option<&CountryIndicators> {
        if iso2.len() == 2 && iso2.bytes().all(|b| b.is_ascii_uppercase()) {
            return self.countries.get(iso2);
        }
        self.countries.get(&iso2.trim().to_ascii_uppercase())
    }

    /// The source entry for `id`, if it was imported.
    pub fn source(&self, id: SourceId) -> Option<&SourceInfo> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Only each country's latest value per source, which is all [`crate::assess`] reads:
    /// a compact snapshot to store beside a determination (91 KB of JSON against 2.1 MB for
    /// the shared files).
    /// Assessments from it equal those from the full set.
    pub fn latest_only(&self) -> IndicatorSet {
        let countries = self
            .countries
            .iter()
            .map(|(iso2, c)| {
                let latest = CountryIndicators {
                    iso2: c.iso2.clone(),
                    fiw: c.fiw_latest().into_iter().cloned().collect(),
                    wgi: c.wgi_latest().into_iter().cloned().collect(),
                    vdem: c.vdem_latest().into_iter().cloned().collect(),
                };
                (iso2.clone(), latest)
            })
            .collect();
        IndicatorSet {
            sources: self.sources.clone(),
            countries,
            unmapped: self.unmapped.clone(),
        }
    }

    /// The set as it stood at `year`: Freedom House editions and WGI / V-Dem data years up
    /// to and including `year`, to reproduce an earlier assessment or compare with it. The
    /// sources keep their file and hash; their last year and country counts follow the cut.
    pub fn as_of(&self, year: u16) -> IndicatorSet {
        let mut countries = BTreeMap::new();
        for (iso2, c) in &self.countries {
            let cut = CountryIndicators {
                iso2: c.iso2.clone(),
                fiw: c
                    .fiw
                    .iter()
                    .filter(|r| r.edition <= year)
                    .cloned()
                    .collect(),
                wgi: c.wgi.iter().filter(|r| r.year <= year).cloned().collect(),
                vdem: c.vdem.iter().filter(|r| r.year <= year).cloned().collect(),
            };
            if !(cut.fiw.is_empty() && cut.wgi.is_empty() && cut.vdem.is_empty()) {
                countries.insert(iso2.clone(), cut);
            }
        }
        let sources = self
            .sources
            .iter()
            .map(|s| {
                let years = countries
                    .values()
                    .flat_map(|c: &CountryIndicators| match s.id {
                        SourceId::FreedomHouse => {
                            c.fiw.iter().map(|r| r.edition).collect::<Vec<_>>()
                        }
                        SourceId::Wgi => c.wgi.iter().map(|r| r.year).collect(),
                        SourceId::Vdem => c.vdem.iter().map(|r| r.year).collect(),
                    });
                let mut cut = s.clone();
                cut.last_year = years.max().unwrap_or(0);
                cut.countries = countries.values().filter(|c| c.has(s.id)).count();
                cut
            })
            .collect();
        IndicatorSet {
            sources,
            countries,
            unmapped: self.unmapped.clone(),
        }
    }
}
