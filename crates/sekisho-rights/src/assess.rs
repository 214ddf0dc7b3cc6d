//! The assessment: destination indicators and end-user type → risk level with reasons.
//!
//! Pure (no I/O). Every input that was considered appears as a reason with its value, year,
//! threshold and effect, in English and Japanese, with the source's credit line; the last
//! reason states how the level was reached.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::indicators::{CountryIndicators, FiwStatus, IndicatorSet, SourceId};
use crate::thresholds::Thresholds;

/// Who will use the item, as the exporter declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndUserType {
    Police,
    SecurityService,
    Intelligence,
    Military,
    OtherGovernment,
    StateOwned,
    Commercial,
    Academic,
    Individual,
    Unknown,
}

impl EndUserType {
    pub const ALL: [EndUserType; 10] = [
        EndUserType::Police,
        EndUserType::SecurityService,
        EndUserType::Intelligence,
        EndUserType::Military,
        EndUserType::OtherGovernment,
        EndUserType::StateOwned,
        EndUserType::Commercial,
        EndUserType::Academic,
        EndUserType::Individual,
        EndUserType::Unknown,
    ];

    /// The snake_case name used in JSON and the thresholds file.
    pub fn as_str(self) -> &'static str {
        match self {
            EndUserType::Police => "police",
            EndUserType::SecurityService => "security_service",
            EndUserType::Intelligence => "intelligence",
            EndUserType::Military => "military",
            EndUserType::OtherGovernment => "other_government",
            EndUserType::StateOwned => "state_owned",
            EndUserType::Commercial => "commercial",
            EndUserType::Academic => "academic",
            EndUserType::Individual => "individual",
            EndUserType::Unknown => "unknown",
        }
    }

    /// The type for its snake_case name ("security_service").
    pub fn parse(name: &str) -> Option<EndUserType> {
        EndUserType::ALL
            .into_iter()
            .find(|t| t.as_str() == name.trim())
    }

    fn label_en(self) -> &'static str {
        match self {
            EndUserType::Police => "a police authority",
            EndUserType::SecurityService => "a security service",
            EndUserType::Intelligence => "an intelligence service",
            EndUserType::Military => "armed forces",
            EndUserType::OtherGovernment => "another government body",
            EndUserType::StateOwned => "a state-owned enterprise",
            EndUserType::Commercial => "a commercial enterprise",
            EndUserType::Academic => "an academic or research institution",
            EndUserType::Individual => "an individual",
            EndUserType::Unknown => "not known",
        }
    }

    fn label_ja(self) -> &'static str {
        match self {
            EndUserType::Police => "警察機関",
            EndUserType::SecurityService => "治安機関",
            EndUserType::Intelligence => "情報機関",
            EndUserType::Military => "軍",
            EndUserType::OtherGovernment => "その他の政府機関",
            EndUserType::StateOwned => "国有企業",
            EndUserType::Commercial => "民間企業",
            EndUserType::Academic => "大学・研究機関",
            EndUserType::Individual => "個人",
            EndUserType::Unknown => "不明",
        }
    }

    /// The stable reason code for this kind of end user.
    fn code(self) -> &'static str {
        match self {
            EndUserType::Police | EndUserType::SecurityService | EndUserType::Intelligence => {
                "HR-ENDUSER-SECURITY"
            }
            EndUserType::Military => "HR-ENDUSER-MILITARY",
            EndUserType::OtherGovernment => "HR-ENDUSER-GOVERNMENT",
            EndUserType::StateOwned => "HR-ENDUSER-STATE-OWNED",
            EndUserType::Unknown => "HR-ENDUSER-UNKNOWN",
            EndUserType::Commercial | EndUserType::Academic | EndUserType::Individual => {
                "HR-ENDUSER-CIVIL"
            }
        }
    }
}

/// The outcome. `Unknown` when the indicators cannot support a finding: never read as low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Unknown,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Unknown => "unknown",
        }
    }

    fn label_ja(self) -> &'static str {
        match self {
            RiskLevel::Low => "低",
            RiskLevel::Medium => "中",
            RiskLevel::High => "高",
            RiskLevel::Unknown => "判定不能",
        }
    }

    /// One step up: low → medium → high; high and unknown stay.
    fn raised(self) -> RiskLevel {
        match self {
            RiskLevel::Low => RiskLevel::Medium,
            RiskLevel::Medium | RiskLevel::High => RiskLevel::High,
            RiskLevel::Unknown => RiskLevel::Unknown,
        }
    }
}

/// What a reason did to the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The indicator crossed its threshold and added `points`.
    Concern,
    /// The indicator was within its threshold.
    NoConcern,
    /// The value was absent or too old, and was not used.
    Missing,
    /// The end user's type raised the level one step.
    Raised,
    /// The end user's type did not change the level (its type raises none, or the level was
    /// already high or unknown).
    Unchanged,
    /// The summary: how the level was reached.
    Level,
}

/// One input and what it did, with the value, year and threshold where there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskReason {
    /// Stable code, e.g. `HR-FIW-NF`, `HR-WGI-VA-LOW`, `HR-ENDUSER-SECURITY`.
    pub code: Cow<'static, str>,
    pub effect: Effect,
    /// Points added to the destination's total (0 unless `effect` is `Concern`).
    pub points: u8,
    pub text_en: String,
    pub text_ja: String,
    /// The legal hooks this reason serves.
    pub citation: Cow<'static, str>,
    /// The credit line of the source the value comes from.
    pub credit: Option<Cow<'static, str>>,
    /// The source and edition/data year of the value, where the reason reports one.
    pub source: Option<SourceId>,
    pub year: Option<u16>,
}

/// The assessment of one destination and end user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskAssessment {
    /// The ISO-2 code as assessed (upper case).
    pub country: String,
    pub end_user: EndUserType,
    pub level: RiskLevel,
    /// The level from the destination's indicators alone, before the end user.
    pub destination_level: RiskLevel,
    /// Sum of the concern points.
    pub points: u8,
    pub reasons: Vec<RiskReason>,
}

/// The legal hooks of the destination's human-rights indicators.
pub const CITATION_DESTINATION: &str = "Regulation (EU) 2021/821, Art. 5(1)-(2) and recital 8 \
    (cyber-surveillance items; internal repression and serious violations of human rights); \
    Export Controls and Human Rights Initiative, Code of Conduct (2023); \
    「責任あるサプライチェーン等における人権尊重のためのガイドライン」(2022年9月, 経済産業省公表)";

/// The legal hooks of the end user's type.
pub const CITATION_END_USER: &str = "Regulation (EU) 2021/821, Art. 5(1)-(2) and recital 8 \
    (end use in connection with internal repression); \
    Export Controls and Human Rights Initiative, Code of Conduct (2023) (end-user review); \
    「責任あるサプライチェーン等における人権尊重のためのガイドライン」(2022年9月, 経済産業省公表)";

/// Assesses the human-rights risk of exporting to `iso2` for `end_user`.
///
/// See `data/thresholds.toml` for the combination: indicators crossing their thresholds add
/// points; the points give the destination level; the end user's type may raise it a step.
/// A country without current values from enough sources is `Unknown`, never low.
pub fn assess(
    set: &IndicatorSet,
    iso2: &str,
    end_user: EndUserType,
    th: &Thresholds,
) -> RiskAssessment {
    let country = iso2.trim().to_ascii_uppercase();
    let mut reasons = Vec::with_capacity(12);
    let indicators = set.country(&country);
    if sekisho_model::country::name_en(&country).is_none() {
        reasons.push(RiskReason {
            code: Cow::Borrowed("HR-COUNTRY-UNKNOWN"),
            effect: Effect::Missing,
            points: 0,
            text_en: format!("{country:?} is not an ISO 3166-1 alpha-2 country code"),
            text_ja: format!("{country:?} はISO 3166-1 alpha-2の国コードではありません"),
            citation: Cow::Borrowed(CITATION_DESTINATION),
            credit: None,
            source: None,
            year: None,
        });
    }
    let mut points: u8 = 0;
    let mut sources_used: u8 = 0;

    for source in SourceId::ALL {
        let before = reasons.len();
        let used = match indicators {
            Some(c) => destination_reasons(set, c, source, th, &mut reasons),
            None => false,
        };
        if used {
            sources_used += 1;
        } else if reasons.len() == before {
            reasons.push(missing_reason(set, source, &country, None));
        }
    }
    for r in &reasons {
        points = points.saturating_add(r.points);
    }

    let destination_level = if sources_used == 0 {
        RiskLevel::Unknown
    } else if points >= th.levels.high_at {
        RiskLevel::High
    } else if points >= th.levels.medium_at {
        RiskLevel::Medium
    } else if sources_used < th.data.min_sources_for_low {
        RiskLevel::Unknown
    } else {
        RiskLevel::Low
    };

    let raise = th.levels.raise_always.contains(&end_user)
        || (th.levels.raise_if_concern.contains(&end_user)
            && matches!(destination_level, RiskLevel::Medium | RiskLevel::High));
    let level = if raise {
        destination_level.raised()
    } else {
        destination_level
    };
    reasons.push(end_user_reason(
        end_user,
        raise,
        destination_level,
        level,
        th,
    ));
    reasons.push(level_reason(
        &country,
        points,
        sources_used,
        destination_level,
        level,
        th,
    ));

    RiskAssessment {
        country,
        end_user,
        level,
        destination_level,
        points,
        reasons,
    }
}

/// Pushes the reasons for one source's values; `false` when it had none current to use
/// (having pushed a `Missing` reason if the country has stale values).
fn destination_reasons(
    set: &IndicatorSet,
    c: &CountryIndicators,
    source: SourceId,
    th: &Thresholds,
    out: &mut Vec<RiskReason>,
) -> bool {
    let newest = set.source(source).map(|s| s.last_year);
    let current =
        |year: u16| newest.is_none_or(|n| n.saturating_sub(year) <= th.data.max_age_years);
    match source {
        SourceId::FreedomHouse => {
            let Some(r) = c.fiw_latest() else {
                return false;
            };
            if !current(r.edition) {
                out.push(missing_reason(set, source, &c.iso2, Some(r.edition)));
                return false;
            }
            let fh = &th.freedom_house;
            let (code, points) = match r.status {
                FiwStatus::NF => ("HR-FIW-NF", fh.not_free_points),
                FiwStatus::PF => ("HR-FIW-PF", fh.partly_free_points),
                FiwStatus::F => ("HR-FIW-F", 0),
            };
            out.push(indicator(
                source,
                r.edition,
                code,
                r.status != FiwStatus::F,
                points,
                format!(
                    "Freedom House, Freedom in the World {}: {} is \"{}\" (total score {}/100, political rights rating {}, civil liberties rating {}). \
                     Rule: Not Free +{}, Partly Free +{}",
                    r.edition,
                    r.name,
                    r.status.label_en(),
                    r.total,
                    r.pr_rating,
                    r.cl_rating,
                    fh.not_free_points,
                    fh.partly_free_points
                ),
                format!(
                    "フリーダム・ハウス「世界の自由」{}年版: 評価は「{}」（総合スコア {}/100、政治的権利の評点 {}、市民的自由の評点 {}）。基準: 「自由でない」+{}点、「部分的に自由」+{}点",
                    r.edition,
                    r.status.label_ja(),
                    r.total,
                    r.pr_rating,
                    r.cl_rating,
                    fh.not_free_points,
                    fh.partly_free_points
                ),
            ));
            let concern = r.total < fh.total_score_below;
            out.push(indicator(
                source,
                r.edition,
                if concern { "HR-FIW-SCORE-LOW" } else { "HR-FIW-SCORE-OK" },
                concern,
                fh.total_score_points,
                format!(
                    "Freedom House total score {}/100 (Freedom in the World {}). Rule: below {} +{}",
                    r.total, r.edition, fh.total_score_below, fh.total_score_points
                ),
                format!(
                    "フリーダム・ハウス 総合スコア {}/100（{}年版）。基準: {}未満で+{}点",
                    r.total, r.edition, fh.total_score_below, fh.total_score_points
                ),
            ));
            let concern = r.cl_rating >= fh.civil_liberties_rating_at_least;
            out.push(indicator(
                source,
                r.edition,
                if concern { "HR-FIW-CL-HIGH" } else { "HR-FIW-CL-OK" },
                concern,
                fh.civil_liberties_points,
                format!(
                    "Freedom House civil liberties rating {} (1 most free to 7 least free, Freedom in the World {}). Rule: {} or worse +{}",
                    r.cl_rating, r.edition, fh.civil_liberties_rating_at_least, fh.civil_liberties_points
                ),
                format!(
                    "フリーダム・ハウス 市民的自由の評点 {}（1が最も自由、7が最も不自由、{}年版）。基準: {}以上で+{}点",
                    r.cl_rating, r.edition, fh.civil_liberties_rating_at_least, fh.civil_liberties_points
                ),
            ));
            true
        }
        SourceId::Wgi => {
            let Some(r) = c.wgi_latest() else {
                return false;
            };
            if !current(r.year) {
                out.push(missing_reason(set, source, &c.iso2, Some(r.year)));
                return false;
            }
            let w = &th.wgi;
            for (value, below, pts, [ok, low, missing], name_en, name_ja) in [
                (
                    r.voice_accountability,
                    w.voice_accountability_percentile_below,
                    w.voice_accountability_points,
                    ["HR-WGI-VA-OK", "HR-WGI-VA-LOW", "HR-WGI-VA-MISSING"],
                    "Voice and Accountability",
                    "「国民の発言力と説明責任」",
                ),
                (
                    r.rule_of_law,
                    w.rule_of_law_percentile_below,
                    w.rule_of_law_points,
                    ["HR-WGI-RL-OK", "HR-WGI-RL-LOW", "HR-WGI-RL-MISSING"],
                    "Rule of Law",
                    "「法の支配」",
                ),
            ] {
                let Some(v) = value else {
                    out.push(value_missing(source, missing, r.year, &r.name, name_en, name_ja));
                    continue;
                };
                let concern = v.percentile < below;
                out.push(indicator(
                    source,
                    r.year,
                    if concern { low } else { ok },
                    concern,
                    pts,
                    format!(
                        "WGI {name_en} {}: percentile rank {:.1} (estimate {:+.2}). Rule: below {:.1} +{}",
                        r.year, v.percentile, v.estimate, below, pts
                    ),
                    format!(
                        "WGI {name_ja}（{}年）: パーセンタイル順位 {:.1}（推定値 {:+.2}）。基準: {:.1}未満で+{}点",
                        r.year, v.percentile, v.estimate, below, pts
                    ),
                ));
            }
            true
        }
        SourceId::Vdem => {
            let Some(r) = c.vdem_latest() else {
                return false;
            };
            if !current(r.year) {
                out.push(missing_reason(set, source, &c.iso2, Some(r.year)));
                return false;
            }
            let v = &th.vdem;
            for (value, below, pts, [ok, low, missing], name_en, name_ja) in [
                (
                    r.civil_society,
                    v.civil_society_below,
                    v.civil_society_points,
                    ["HR-VDEM-CSO-OK", "HR-VDEM-CSO-LOW", "HR-VDEM-CSO-MISSING"],
                    "core civil society index (v2xcs_ccsi)",
                    "中核的市民社会指数（v2xcs_ccsi）",
                ),
                (
                    r.liberties,
                    v.liberties_below,
                    v.liberties_points,
                    ["HR-VDEM-LIB-OK", "HR-VDEM-LIB-LOW", "HR-VDEM-LIB-MISSING"],
                    "equality before the law and individual liberty (v2xcl_rol)",
                    "法の下の平等と個人の自由（v2xcl_rol）",
                ),
                (
                    r.expression,
                    v.expression_below,
                    v.expression_points,
                    [
                        "HR-VDEM-EXPR-OK",
                        "HR-VDEM-EXPR-LOW",
                        "HR-VDEM-EXPR-MISSING",
                    ],
                    "freedom of expression and alternative sources of information (v2x_freexp_altinf)",
                    "表現の自由と代替的情報源（v2x_freexp_altinf）",
                ),
            ] {
                let Some(value) = value else {
                    out.push(value_missing(source, missing, r.year, &r.name, name_en, name_ja));
                    continue;
                };
                let concern = value < below;
                out.push(indicator(
                    source,
                    r.year,
                    if concern { low } else { ok },
                    concern,
                    pts,
                    format!(
                        "V-Dem {name_en} {}: {:.3} (0 worst, 1 best). Rule: below {:.2} +{}",
                        r.year, value, below, pts
                    ),
                    format!(
                        "V-Dem {name_ja}（{}年）: {:.3}（0が最悪、1が最良）。基準: {:.2}未満で+{}点",
                        r.year, value, below, pts
                    ),
                ));
            }
            true
        }
    }
}

/// A reason for one indicator value; a concern when `points` > 0.
/// One indicator of a source has no value in the year the source's row is from.
fn value_missing(source: SourceId, code: &'static str, year: u16, country: &str, name_en: &str, name_ja: &str) -> RiskReason {
    let label = match source {
        SourceId::FreedomHouse => "Freedom House",
        SourceId::Wgi => "WGI",
        SourceId::Vdem => "V-Dem",
    };
    RiskReason {
        code: Cow::Borrowed(code),
        effect: Effect::Missing,
        points: 0,
        text_en: format!("{label} {name_en} has no value for {country} in {year}"),
        text_ja: format!("{label} {name_ja}は{year}年の値がありません"),
        citation: Cow::Borrowed(CITATION_DESTINATION),
        credit: Some(Cow::Borrowed(source.credit())),
        source: Some(source),
        year: Some(year),
    }
}

fn indicator(
    source: SourceId,
    year: u16,
    code: &'static str,
    concern: bool,
    points: u8,
    text_en: String,
    text_ja: String,
) -> RiskReason {
    // Appended in place: one reallocation at most, not a second string per language.
    let (mut text_en, mut text_ja) = (text_en, text_ja);
    if concern {
        let _ = write!(text_en, ". Concern: +{points}");
        let _ = write!(text_ja, "。懸念あり: +{points}点");
    } else {
        text_en.push_str(". No concern");
        text_ja.push_str("。懸念なし");
    }
    RiskReason {
        code: Cow::Borrowed(code),
        effect: if concern {
            Effect::Concern
        } else {
            Effect::NoConcern
        },
        points: if concern { points } else { 0 },
        text_en,
        text_ja,
        citation: Cow::Borrowed(CITATION_DESTINATION),
        credit: Some(Cow::Borrowed(source.credit())),
        source: Some(source),
        year: Some(year),
    }
}

fn missing_reason(
    set: &IndicatorSet,
    source: SourceId,
    country: &str,
    stale_year: Option<u16>,
) -> RiskReason {
    let code = match (source, stale_year.is_some()) {
        (SourceId::FreedomHouse, false) => "HR-FIW-MISSING",
        (SourceId::FreedomHouse, true) => "HR-FIW-STALE",
        (SourceId::Wgi, false) => "HR-WGI-MISSING",
        (SourceId::Wgi, true) => "HR-WGI-STALE",
        (SourceId::Vdem, false) => "HR-VDEM-MISSING",
        (SourceId::Vdem, true) => "HR-VDEM-STALE",
    };
    let imported = set.source(source).is_some();
    let (text_en, text_ja) = match stale_year {
        Some(year) => (
            format!(
                "{} has no current value for {country}: its latest is from {year}, the source's newest year is {}; not used",
                source.name_en(),
                set.source(source).map_or(0, |s| s.last_year)
            ),
            format!(
                "{}には{country}の最新値がありません（最新は{year}年、データの最新年は{}年）。評価に使用しません",
                source.name_ja(),
                set.source(source).map_or(0, |s| s.last_year)
            ),
        ),
        None if imported => (
            format!("{} has no value for {country}; not used", source.name_en()),
            format!(
                "{}には{country}の値がありません。評価に使用しません",
                source.name_ja()
            ),
        ),
        None => (
            format!("{} was not imported; not used", source.name_en()),
            format!(
                "{}は取り込まれていません。評価に使用しません",
                source.name_ja()
            ),
        ),
    };
    RiskReason {
        code: Cow::Borrowed(code),
        effect: Effect::Missing,
        points: 0,
        text_en,
        text_ja,
        citation: Cow::Borrowed(CITATION_DESTINATION),
        credit: imported.then(|| Cow::Borrowed(source.credit())),
        source: Some(source),
        year: stale_year,
    }
}

fn end_user_reason(
    end_user: EndUserType,
    raised: bool,
    destination: RiskLevel,
    level: RiskLevel,
    th: &Thresholds,
) -> RiskReason {
    let rule_en = if th.levels.raise_always.contains(&end_user) {
        "this type raises the level one step wherever it is"
    } else if th.levels.raise_if_concern.contains(&end_user) {
        "this type raises the level one step when the destination is medium or high"
    } else {
        "this type does not change the level"
    };
    let rule_ja = if th.levels.raise_always.contains(&end_user) {
        "この種別は仕向地にかかわらずリスクを一段階引き上げる"
    } else if th.levels.raise_if_concern.contains(&end_user) {
        "この種別は仕向地のリスクが中以上のとき一段階引き上げる"
    } else {
        "この種別はリスクを変えない"
    };
    let (effect, outcome_en, outcome_ja) = if raised && level != destination {
        (
            Effect::Raised,
            format!("raised {} → {}", destination.as_str(), level.as_str()),
            format!("{}→{}に引き上げ", destination.label_ja(), level.label_ja()),
        )
    } else {
        (
            // Already high, or unknown: the rule applied but had nothing to raise.
            Effect::Unchanged,
            format!("level stays {}", level.as_str()),
            format!("リスクは{}のまま", level.label_ja()),
        )
    };
    RiskReason {
        code: Cow::Borrowed(end_user.code()),
        effect,
        points: 0,
        text_en: format!(
            "End user is {} ({}); {rule_en}: {outcome_en}",
            end_user.label_en(),
            end_user.as_str()
        ),
        text_ja: format!(
            "最終需要者は{}（{}）。{rule_ja}: {outcome_ja}",
            end_user.label_ja(),
            end_user.as_str()
        ),
        citation: Cow::Borrowed(CITATION_END_USER),
        credit: None,
        source: None,
        year: None,
    }
}

fn level_reason(
    country: &str,
    points: u8,
    sources_used: u8,
    destination: RiskLevel,
    level: RiskLevel,
    th: &Thresholds,
) -> RiskReason {
    let code = match level {
        RiskLevel::Low => "HR-LEVEL-LOW",
        RiskLevel::Medium => "HR-LEVEL-MEDIUM",
        RiskLevel::High => "HR-LEVEL-HIGH",
        RiskLevel::Unknown => "HR-LEVEL-UNKNOWN",
    };
    let mut en = String::with_capacity(200);
    let mut ja = String::with_capacity(200);
    if sources_used == 0 {
        let _ = write!(
            en,
            "No source has a current value for {country}: the human-rights risk is unknown and needs review, not low"
        );
        let _ = write!(
            ja,
            "{country}について3つの出典のいずれにも最新値がないため、人権リスクは判定不能です（低ではありません）。個別の確認が必要です"
        );
    } else {
        let _ = write!(
            en,
            "{points} concern point(s) from {sources_used} of 3 sources (medium at {}, high at {}): destination {}",
            th.levels.medium_at,
            th.levels.high_at,
            destination.as_str()
        );
        let _ = write!(
            ja,
            "3つの出典のうち{sources_used}つから懸念{points}点（中: {}点以上、高: {}点以上）: 仕向地のリスクは{}",
            th.levels.medium_at,
            th.levels.high_at,
            destination.label_ja()
        );
        if destination == RiskLevel::Unknown {
            let _ = write!(
                en,
                " (no concern found, but fewer than {} sources had current values to call it low)",
                th.data.min_sources_for_low
            );
            let _ = write!(
                ja,
                "（懸念はないが、低と判断するには{}つ以上の出典の最新値が必要）",
                th.data.min_sources_for_low
            );
        }
        let _ = write!(en, "; with the end user: {}", level.as_str());
        let _ = write!(ja, "。最終需要者を考慮したリスク: {}", level.label_ja());
    }
    RiskReason {
        code: Cow::Borrowed(code),
        effect: Effect::Level,
        points: 0,
        text_en: en,
        text_ja: ja,
        citation: Cow::Borrowed(CITATION_DESTINATION),
        credit: None,
        source: None,
        year: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{FiwRecord, SourceInfo, VdemRecord, WgiRecord, WgiValue};

    fn source(id: SourceId, last_year: u16) -> SourceInfo {
        SourceInfo {
            id,
            file: "f".into(),
            sha256: String::new(),
            first_year: 2000,
            last_year,
            data_date: String::new(),
            credit: id.credit().into(),
            licence: id.licence().into(),
            countries: 1,
        }
    }

    fn fiw(edition: u16, status: FiwStatus, cl: u8) -> FiwRecord {
        FiwRecord {
            edition,
            name: "Testland".into(),
            territory: false,
            status,
            pr_rating: cl,
            cl_rating: cl,
            total: 50,
        }
    }

    fn wgi(year: u16, va: f64, rl: f64) -> WgiRecord {
        WgiRecord {
            year,
            name: "Testland".into(),
            voice_accountability: Some(WgiValue {
                estimate: 0.0,
                percentile: va,
            }),
            rule_of_law: Some(WgiValue {
                estimate: 0.0,
                percentile: rl,
            }),
        }
    }

    fn vdem(year: u16, v: f64) -> VdemRecord {
        VdemRecord {
            year,
            name: "Testland".into(),
            civil_society: Some(v),
            liberties: Some(v),
            expression: Some(v),
        }
    }

    fn set_with(c: CountryIndicators) -> IndicatorSet {
        let mut set = IndicatorSet {
            sources: vec![
                source(SourceId::FreedomHouse, 2024),
                source(SourceId::Wgi, 2023),
                source(SourceId::Vdem, 2023),
            ],
            ..IndicatorSet::default()
        };
        set.countries.insert(c.iso2.clone(), c);
        set
    }

    fn country(
        fiw_: Option<FiwRecord>,
        wgi_: Option<WgiRecord>,
        vdem_: Option<VdemRecord>,
    ) -> CountryIndicators {
        CountryIndicators {
            iso2: "TL".into(),
            fiw: fiw_.into_iter().collect(),
            wgi: wgi_.into_iter().collect(),
            vdem: vdem_.into_iter().collect(),
        }
    }

    fn codes(a: &RiskAssessment) -> Vec<&str> {
        a.reasons.iter().map(|r| r.code.as_ref()).collect()
    }

    #[test]
    fn end_user_names_match_their_json() {
        for t in EndUserType::ALL {
            assert_eq!(EndUserType::parse(t.as_str()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.as_str())
            );
        }
        assert_eq!(EndUserType::parse("Police"), None);
    }

    #[test]
    fn points_add_up_to_the_documented_levels() {
        let th = Thresholds::default_bundled();
        // Not Free (2) + total below 50 (1) + CL 7 (1) + VA and RL low (2) + three V-Dem
        // lows (3) = 9: high.
        let mut nf = fiw(2024, FiwStatus::NF, 7);
        nf.total = 5;
        let worst = set_with(country(
            Some(nf),
            Some(wgi(2023, 3.0, 4.0)),
            Some(vdem(2023, 0.1)),
        ));
        let a = assess(&worst, "tl", EndUserType::Commercial, &th);
        assert_eq!(
            (a.level, a.points, a.country.as_str()),
            (RiskLevel::High, 9, "TL")
        );
        // Partly Free (1) + VA low (1) = 2: medium.
        let mid = set_with(country(
            Some(fiw(2024, FiwStatus::PF, 4)),
            Some(wgi(2023, 20.0, 60.0)),
            Some(vdem(2023, 0.7)),
        ));
        let a = assess(&mid, "TL", EndUserType::Commercial, &th);
        assert_eq!((a.level, a.points), (RiskLevel::Medium, 2));
        assert_eq!(
            codes(&a)[..4],
            [
                "HR-FIW-PF",
                "HR-FIW-SCORE-OK",
                "HR-FIW-CL-OK",
                "HR-WGI-VA-LOW"
            ]
        );
        // A total score below 50 adds a point of its own: Partly Free at 35 is medium.
        let mut low_pf = fiw(2024, FiwStatus::PF, 4);
        low_pf.total = 35;
        let set = set_with(country(
            Some(low_pf),
            Some(wgi(2023, 60.0, 60.0)),
            Some(vdem(2023, 0.7)),
        ));
        let a = assess(&set, "TL", EndUserType::Commercial, &th);
        assert_eq!((a.level, a.points), (RiskLevel::Medium, 2));
        assert!(codes(&a).contains(&"HR-FIW-SCORE-LOW"));
        // Boundary: a percentile exactly at the threshold is not below it.
        let edge = set_with(country(
            Some(fiw(2024, FiwStatus::F, 1)),
            Some(wgi(2023, 25.0, 25.0)),
            None,
        ));
        let a = assess(&edge, "TL", EndUserType::Commercial, &th);
        assert_eq!((a.level, a.points), (RiskLevel::Low, 0));
    }

    #[test]
    fn end_user_types_raise_as_configured() {
        let th = Thresholds::default_bundled();
        let free = set_with(country(
            Some(fiw(2024, FiwStatus::F, 1)),
            Some(wgi(2023, 90.0, 90.0)),
            None,
        ));
        let mid = set_with(country(
            Some(fiw(2024, FiwStatus::PF, 4)),
            Some(wgi(2023, 20.0, 60.0)),
            None,
        ));
        for (set, user, expected) in [
            (&free, EndUserType::Police, RiskLevel::Medium),
            (&free, EndUserType::Intelligence, RiskLevel::Medium),
            (&free, EndUserType::Military, RiskLevel::Low),
            (&free, EndUserType::Unknown, RiskLevel::Low),
            (&free, EndUserType::Academic, RiskLevel::Low),
            (&mid, EndUserType::SecurityService, RiskLevel::High),
            (&mid, EndUserType::Military, RiskLevel::High),
            (&mid, EndUserType::Unknown, RiskLevel::High),
            (&mid, EndUserType::OtherGovernment, RiskLevel::High),
            (&mid, EndUserType::StateOwned, RiskLevel::Medium),
            (&mid, EndUserType::Individual, RiskLevel::Medium),
        ] {
            let a = assess(set, "TL", user, &th);
            assert_eq!(a.level, expected, "{user:?}");
            let reason = a
                .reasons
                .iter()
                .find(|r| r.code.starts_with("HR-ENDUSER-"))
                .unwrap();
            assert_eq!(
                reason.effect == Effect::Raised,
                a.level != a.destination_level,
                "{user:?}"
            );
            assert!(reason.text_en.contains(user.as_str()) && !reason.text_ja.is_empty());
        }
        // With a file that raises nobody, the police end user leaves the level alone.
        let mut custom = th.clone();
        custom.levels.raise_always.clear();
        assert_eq!(
            assess(&free, "TL", EndUserType::Police, &custom).level,
            RiskLevel::Low
        );
    }

    #[test]
    fn missing_or_stale_data_is_never_low() {
        let th = Thresholds::default_bundled();
        // One clean source only: not enough to call it low.
        let one = set_with(country(Some(fiw(2024, FiwStatus::F, 1)), None, None));
        let a = assess(&one, "TL", EndUserType::Commercial, &th);
        assert_eq!(a.level, RiskLevel::Unknown);
        assert!(codes(&a).contains(&"HR-WGI-MISSING") && codes(&a).contains(&"HR-VDEM-MISSING"));
        // One source that shows a concern is enough for a finding.
        let one_bad = set_with(country(Some(fiw(2024, FiwStatus::NF, 7)), None, None));
        assert_eq!(
            assess(&one_bad, "TL", EndUserType::Commercial, &th).level,
            RiskLevel::Medium
        );
        // A value older than max_age_years is not used.
        let stale = set_with(country(
            Some(fiw(2016, FiwStatus::F, 1)),
            Some(wgi(2023, 90.0, 90.0)),
            None,
        ));
        let a = assess(&stale, "TL", EndUserType::Commercial, &th);
        assert_eq!(a.level, RiskLevel::Unknown);
        assert!(codes(&a).contains(&"HR-FIW-STALE"));
        // Nothing at all, even with a police end user: unknown.
        let a = assess(&IndicatorSet::default(), "TL", EndUserType::Police, &th);
        assert_eq!(a.level, RiskLevel::Unknown);
        assert_eq!(a.reasons.last().unwrap().code, "HR-LEVEL-UNKNOWN");
        assert!(
            a.reasons
                .iter()
                .filter(|r| r.effect == Effect::Missing)
                .all(|r| r.credit.is_none())
        );
    }

    #[test]
    fn a_dimension_without_value_is_reported_missing() {
        let th = Thresholds::default_bundled();
        let mut w = wgi(2023, 90.0, 90.0);
        w.rule_of_law = None;
        let set = set_with(country(Some(fiw(2024, FiwStatus::F, 1)), Some(w), None));
        let a = assess(&set, "TL", EndUserType::Commercial, &th);
        assert!(codes(&a).contains(&"HR-WGI-RL-MISSING"));
        assert_eq!(a.level, RiskLevel::Low);
        let mut v = vdem(2023, 0.2);
        v.liberties = None;
        let set = set_with(country(Some(fiw(2024, FiwStatus::F, 1)), None, Some(v)));
        let a = assess(&set, "TL", EndUserType::Commercial, &th);
        assert!(codes(&a).contains(&"HR-VDEM-LIB-MISSING"));
        assert_eq!(a.points, 2, "the two V-Dem values present still count");
    }
}
