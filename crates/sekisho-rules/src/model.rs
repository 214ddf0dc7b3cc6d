//! The rulebook's data types: what the importers produce, the store keeps and the
//! determination engine reads. Countries are ISO 3166-1 alpha-2 codes throughout.
//!
//! Every type is plain data (serde both ways) so a rulebook can be stored as one JSON blob
//! and read back identically; maps are `BTreeMap`s so that serialisation, and therefore the
//! content hash that names a version, does not depend on insertion order.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// Everything imported from the official control-list sources, as one versioned value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rulebook {
    pub version: RulebookVersion,
    pub us: UsData,
    pub eu: EuData,
    pub jp: JpData,
    /// Links between entries of different regimes that share a number or a known
    /// correspondence (e.g. EU 3A001 ↔ US 3A001).
    pub crossrefs: Vec<CrossRef>,
}

/// Which files a rulebook was built from. `id` hashes the content (sources and data, not
/// `imported_at`), so importing the same files twice gives the same id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulebookVersion {
    /// `sha256:` + hex digest of the rulebook's data and source digests.
    pub id: String,
    /// RFC 3339 UTC time of the import (not part of `id`).
    pub imported_at: String,
    pub sources: Vec<SourceRef>,
}

/// One imported file: where it came from, its digest, the date of its data, how to cite
/// it and the credit line its licence asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Short name, e.g. "US Commerce Control List".
    pub name: String,
    /// Path relative to the import folder, e.g. "us-ear/ccl.json".
    pub file: String,
    pub sha256: String,
    /// Date the data is valid for (eCFR issue date, consolidated-text date, law version).
    pub data_date: String,
    pub citation: String,
    pub credit: String,
}

// ---------------------------------------------------------------- United States (EAR)

/// The EAR data: Commerce Control List, Country Chart, Country Groups, licence exceptions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsData {
    /// ECCN ("3A001") → entry.
    pub eccns: BTreeMap<String, Eccn>,
    pub chart: CountryChart,
    /// Country group ("A:1", "D:5", "E:1", "B") → member countries.
    pub groups: BTreeMap<String, BTreeSet<String>>,
    /// Country group → its label ("Wassenaar Arrangement participating states").
    pub group_labels: BTreeMap<String, String>,
    /// Licence-exception symbol ("LVS") → where it is and what it is called.
    pub exceptions: BTreeMap<String, ExceptionInfo>,
    /// Entries that need a licence to all destinations, outside the Country Chart
    /// (15 CFR 738.3(a)(1)).
    pub all_destinations: AllDestinations,
    /// Caveats the source states beside the tables, keyed by a short name ("macau",
    /// "hongKong", "embargoedRows", ...). The engine must honour them; they are kept
    /// verbatim so a reason can quote them.
    pub notes: BTreeMap<String, String>,
}

/// One Commerce Control List entry (15 CFR 774 Supp. 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eccn {
    pub code: String,
    /// "0".."9".
    pub category: String,
    /// "A".."E".
    pub product_group: String,
    pub heading: String,
    /// One per "Control(s) / Country Chart" row of the License Requirements table.
    pub reasons: Vec<ReasonControl>,
    /// The LVS value limit when the entry's LVS text opens with one value for the whole
    /// entry ("$5000", "$1,500; N/A for NP"); `None` when LVS is N/A or the value depends on
    /// the paragraph ("$500 for 0A501.c"). See `lvs_conditions`.
    pub lvs_limit_usd: Option<u64>,
    /// What follows that value in the LVS text ("except N/A for MT"): the limit holds only
    /// subject to it. `None` when the value is unqualified.
    pub lvs_conditions: Option<String>,
    /// Licence-exception symbol → the entry's text for it ("N/A", "$5000", "Yes for ...").
    pub exception_flags: BTreeMap<String, String>,
    pub related_controls: Option<String>,
    /// The item paragraphs ("a.1 ..."), one per line, when the source carries them
    /// (categories 1, 3, 4 and 5 only).
    pub text: Option<String>,
}

/// One reason for control of an ECCN and the Country Chart column it points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonControl {
    /// "NS", "MT", "NP", "CB", "RS", "CC", "FC", "AT", "UN", "SL", ...
    pub reason: String,
    /// Country Chart column ("NS1"); `None` when the row points elsewhere instead (e.g.
    /// "To or within any destination worldwide. See § 742.6(a)(6)(iii)(A)").
    pub column: Option<String>,
    /// What the reason covers, as the entry states it ("NS applies to entire entry").
    pub applies_to: String,
    /// The entry's Country Chart cell verbatim ("NS Column 2.", "See § 746.1").
    pub note: String,
}

/// The Commerce Country Chart (15 CFR 738 Supp. 1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryChart {
    /// Columns in chart order, without spaces: "CB1", "CB2", ..., "AT2".
    pub columns: Vec<String>,
    /// Column → its label ("National security").
    pub column_labels: BTreeMap<String, String>,
    /// Destination → the columns that carry an X. Every chart row is a key, also rows
    /// with no X at all.
    pub marks: BTreeMap<String, BTreeSet<String>>,
    /// Embargoed rows (CU, IR, KP, SY): no marks, a pointer to Part 746 instead.
    pub embargoed: BTreeMap<String, EmbargoedRow>,
    /// Footnote number → text.
    pub footnotes: BTreeMap<u32, String>,
    /// Destination → the footnotes its row carries.
    pub row_footnotes: BTreeMap<String, Vec<u32>>,
    /// Destinations without a row of their own that the EAR puts under another's
    /// (HK → CN, LI → CH, KY → GB).
    pub inherits: BTreeMap<String, TerritoryRow>,
    /// The row-reading rule and its caveats (738.4(a)(2)), verbatim.
    pub procedure: Vec<String>,
}

/// An embargoed destination's row: the pointer text and the citation it leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbargoedRow {
    /// The row's text ("See part 746 of the EAR ...").
    pub pointer: String,
    /// Short citation drawn from the pointer ("15 CFR 746").
    pub citation: String,
}

/// A destination governed by another destination's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritoryRow {
    /// ISO-2 of the row that applies.
    pub row: String,
    pub basis: String,
}

/// Entries outside the Country Chart that need a licence to every destination.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllDestinations {
    pub citation: String,
    pub note: String,
    /// Entries for which no licence exception applies at all.
    pub no_licence_exceptions: Vec<String>,
    /// Entries for which only GOV may apply, and the condition.
    pub gov_only: Vec<String>,
    pub gov_only_condition: String,
    /// Any further groups the source lists, by key, verbatim.
    pub other: BTreeMap<String, String>,
}

/// A licence exception of Part 740.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionInfo {
    pub symbol: String,
    pub title: String,
    /// "15 CFR 740.3".
    pub citation: String,
}

// ---------------------------------------------------------------- European Union

/// Regulation (EU) 2021/821: Annex I, the Union General Export Authorisations, Art. 4, 5.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EuData {
    /// Entry code ("3A001") → entry.
    pub entries: BTreeMap<String, EuEntry>,
    /// "EU001".."EU008" → authorisation.
    pub geas: BTreeMap<String, Gea>,
    pub art4: String,
    pub art5: String,
}

/// One Annex I entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EuEntry {
    pub code: String,
    /// "0".."9".
    pub category: String,
    /// The entry's first line (its heading).
    pub heading: String,
    /// The entry's full text.
    pub text: String,
}

/// One Union General Export Authorisation (Annex II).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gea {
    pub code: String,
    pub title: String,
    /// Destinations it may be used for, parsed from Part 2 of its text. Empty when it is
    /// valid to all destinations except `excluded_destinations` (EU008).
    pub destinations: BTreeSet<String>,
    /// Destinations named as excluded (EU008: the EU001 destinations and its list (b)).
    /// Further exclusions stated in words (arms embargoes) stay in `text`.
    pub excluded_destinations: BTreeSet<String>,
    /// Entry patterns it covers; empty when it covers every Annex I entry not excluded.
    /// Patterns: an entry or paragraph ("1C350", "5A002.a.2", covering its sub-paragraphs)
    /// or a section glob ("?D???": every entry of section D). A named entry may be covered
    /// only in part (EU006 lists the chemicals of 1C350 by number; EU008 only some forms
    /// of 5A002.b): `text` says which.
    pub covered_entries: Vec<String>,
    /// Entry patterns it excludes (same syntax), including Annex II Section I; "Annex IV"
    /// stands for every item of Annex IV, which this rulebook does not hold.
    pub excluded_entries: Vec<String>,
    pub text: String,
}

// ---------------------------------------------------------------- Japan

/// 輸出貿易管理令 (Export Trade Control Order): 別表第一 and the country lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JpData {
    /// Normalised id ("3-1" for 3の項(1), "16" for 16の項 as a whole) → item.
    pub items: BTreeMap<String, JpItem>,
    /// 別表第三: the "Group A" (ホワイト国) destinations.
    pub group_a: BTreeSet<String>,
    /// 別表第三の二: UN arms-embargoed destinations.
    pub un_arms_embargo: BTreeSet<String>,
    /// 別表第四: destinations of concern (IR, IQ, KP).
    pub concern: BTreeSet<String>,
    /// 別表第二の四: destinations listed against diversion to Russia.
    pub russia_diversion: BTreeSet<String>,
    /// Where the order's country lists differ from the newer digest (jp-countries.json);
    /// empty when they agree. The order (e-Gov XML) is what the lists above hold.
    #[serde(default)]
    pub digest_differences: Vec<String>,
    /// 外国為替及び外国貿易法 (FEFTA), main provisions by article number ("48", "25の2"),
    /// in Japanese with the Ministry of Justice's unofficial English where it matches.
    #[serde(default)]
    pub fefta: BTreeMap<String, LawArticle>,
}

/// One article of a Japanese statute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LawArticle {
    /// "48", "25の2".
    pub num: String,
    /// "第四十八条".
    pub title: String,
    /// "（輸出の許可等）"; `None` when the article has no caption.
    pub caption_ja: Option<String>,
    pub caption_en: Option<String>,
    pub paragraphs: Vec<LawParagraph>,
    /// "外国為替及び外国貿易法 第48条".
    pub citation: String,
}

/// A paragraph (項) with its items (号), one per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LawParagraph {
    pub num: u32,
    pub text_ja: String,
    /// The translation, when every line of the paragraph is in the translation memory
    /// verbatim; `None` when the Japanese was amended after the translation or is missing.
    pub text_en: Option<String>,
}

/// One row (項) or sub-item (号) of 別表第一.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JpItem {
    pub id: String,
    /// 1..=16 (3 for 3の2の項).
    pub kou: u8,
    /// The 項 as written with Arabic digits: "3", "3の2", "16".
    pub kou_label: String,
    /// The 号 as written in the order ("1", "9の2"); `None` for a 項 as a whole.
    pub gou: Option<String>,
    pub text_ja: String,
    /// The row's destination column (地域): "全地域", or for 16の項
    /// "全地域（別表第三に掲げる地域を除く。）".
    pub region_ja: String,
    /// "輸出貿易管理令 別表第一 3の項(1)".
    pub citation: String,
}

/// A link between entries of two regimes, with why it is believed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRef {
    /// "EU:3A001".
    pub from: String,
    /// "US:3A001", "JP:7-1".
    pub to: String,
    pub basis: String,
}

impl Rulebook {
    /// How much of each source the rulebook holds, for `rules show` and the store.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        let mut put = |k: &str, n: usize| {
            counts.insert(k.to_string(), n);
        };
        put("us.eccns", self.us.eccns.len());
        put("us.chart_rows", self.us.chart.marks.len());
        put("us.chart_embargoed", self.us.chart.embargoed.len());
        put("us.country_groups", self.us.groups.len());
        put("us.licence_exceptions", self.us.exceptions.len());
        put("eu.entries", self.eu.entries.len());
        put("eu.geas", self.eu.geas.len());
        put("jp.items", self.jp.items.len());
        put("jp.kou", self.jp.items.values().filter(|i| i.gou.is_none()).count());
        put("jp.group_a", self.jp.group_a.len());
        put("jp.un_arms_embargo", self.jp.un_arms_embargo.len());
        put("jp.concern", self.jp.concern.len());
        put("jp.russia_diversion", self.jp.russia_diversion.len());
        put("crossrefs", self.crossrefs.len());
        counts
    }
}
