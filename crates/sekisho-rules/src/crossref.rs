//! Links between the regimes' entries.
//!
//! - EU Annex I and the US CCL number their Wassenaar, MTCR, NSG, Australia Group and CWC
//!   entries the same way (category, group, number), so an entry code present in both is
//!   linked. The texts can differ in detail (unilateral US paragraphs such as `.z`), which
//!   the basis says.
//! - 輸出貿易管理令 別表第一 numbers its rows differently, but 5の項 to 13の項 follow the
//!   Wassenaar categories 1 to 9 one for one, and 3の項 / 3の2の項 hold the Australia Group
//!   chemicals and biological agents. Those correspondences are linked at the level the
//!   order states them (a 項 to a category, written "EU:3*"); the 号-level match is in the
//!   貨物等省令, which this rulebook does not hold.

use crate::{CrossRef, EuData, JpData, UsData};

/// 別表第一 項 → the Wassenaar category its rows follow, and the topic.
const JP_CATEGORY_ROWS: &[(&str, char, &str)] = &[
    ("5", '1', "先端材料 / special materials"),
    ("6", '2', "材料加工 / materials processing"),
    ("7", '3', "エレクトロニクス / electronics"),
    ("8", '4', "電子計算機 / computers"),
    ("9", '5', "通信・情報セキュリティ / telecommunications and information security"),
    ("10", '6', "センサー・レーザー / sensors and lasers"),
    ("11", '7', "航法装置 / navigation and avionics"),
    ("12", '8', "海洋関連 / marine"),
    ("13", '9', "推進装置 / aerospace and propulsion"),
];

/// 別表第一 項 → Annex I / CCL entries of the same regime list.
const JP_ENTRY_ROWS: &[(&str, &[&str], &str)] = &[
    ("3", &["1C350", "2B350", "2B351"], "化学兵器 (Australia Group chemical precursors and equipment)"),
    ("3の2", &["1C351", "1C353", "1C354", "2B352"], "生物兵器 (Australia Group biological agents and equipment)"),
];

pub(crate) fn build(us: &UsData, eu: &EuData, jp: &JpData) -> Vec<CrossRef> {
    let mut out = Vec::new();
    for code in eu.entries.keys().filter(|c| us.eccns.contains_key(*c)) {
        out.push(CrossRef {
            from: format!("EU:{code}"),
            to: format!("US:{code}"),
            basis: "same entry number in EU Annex I and the US CCL (shared multilateral-regime numbering); \
                    paragraphs may differ"
                .to_string(),
        });
    }
    for (kou, category, topic) in JP_CATEGORY_ROWS {
        if !jp.items.contains_key(*kou) {
            continue;
        }
        for regime in ["EU", "US"] {
            out.push(CrossRef {
                from: format!("JP:{kou}"),
                to: format!("{regime}:{category}*"),
                basis: format!(
                    "輸出貿易管理令 別表第一 {kou}の項 ({topic}) follows Wassenaar category {category}; \
                     the 号 for an entry is set in the 貨物等省令"
                ),
            });
        }
    }
    for (kou, codes, topic) in JP_ENTRY_ROWS {
        if !jp.items.contains_key(*kou) {
            continue;
        }
        for code in codes.iter() {
            for (regime, present) in [("EU", eu.entries.contains_key(*code)), ("US", us.eccns.contains_key(*code))] {
                if present {
                    out.push(CrossRef {
                        from: format!("JP:{kou}"),
                        to: format!("{regime}:{code}"),
                        basis: format!("輸出貿易管理令 別表第一 {kou}の項: {topic}"),
                    });
                }
            }
        }
    }
    out
}
