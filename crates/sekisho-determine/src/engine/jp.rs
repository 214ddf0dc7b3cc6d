//! Japan: 外為法48条 and 輸出貿易管理令 — 別表第一 1〜15の項 (listed items), the 16の項
//! catch-all (補完的輸出規制: objective and inform requirements, Group A), the small-value
//! exemption (4条1項5号), destination measures (北朝鮮, ロシア・ベラルーシ) and what METI's End
//! User List and MOF's asset-freeze list mean.

use crate::outcome::{Effect, Reason};
use crate::transaction::JpClass;

use super::{Ctx, with_evidence};

pub(super) fn determine(ctx: &Ctx<'_>) -> Vec<Reason> {
    let mut out = Vec::new();
    let Some(class) = &ctx.tx.item.jp else { return out };
    let jp = &ctx.rb.jp;
    let p = &ctx.ar.jp;
    let tx = ctx.tx;
    let dest = tx.destination.as_str();
    let group_a = jp.group_a.contains(dest);
    let un_embargo = jp.un_arms_embargo.contains(dest);
    let informed = tx.informed.jp_inform;
    let wmd_use = ctx.declares(&p.wmd_end_uses);
    let conv_use = ctx.declares(&p.conventional_end_uses);
    let eul_hits: Vec<_> = ctx.certain_hits("JP-CATCHALL-EUL").collect();

    if let Some(d) = ctx.destination_rule(&p.destinations) {
        let effect = if matches!(class, JpClass::Listed { .. }) { d.listed } else { d.not_listed };
        out.push(ctx.reason(&d.rule, effect, &[]));
    }

    match class {
        JpClass::Listed { id, kou } => {
            let item = &jp.items[id];
            let listed_at = out.len();
            out.push(ctx.reason("JP-LISTED", Effect::LicenceRequired, &[("item", &item.citation), ("id", id)]));
            for h in &eul_hits {
                let concerns = concerns(h.hit);
                let r = ctx.reason("JP-EUL-LISTED", Effect::Info, &[("party", h.party_name(tx)), ("concerns", &concerns)]);
                out.push(with_evidence(r, h.evidence(ctx)));
            }
            if group_a && *kou != 1 {
                out.push(ctx.reason("JP-LISTED-GROUPA", Effect::Info, &[]));
            }
            // 4条1項5号: 5〜13, 15の項, total value ≤ 100万円 (別表第三の三: 5万円), not to 別表第四,
            // and no catch-all requirement met.
            let limit = if p.appendix3_3_items.iter().any(|a| id == a || id.starts_with(&format!("{a}-"))) {
                p.appendix3_3_limit_jpy
            } else {
                p.small_value_limit_jpy
            };
            let value = tx.item.value.as_ref().filter(|v| v.currency == "JPY").map(|v| v.amount);
            let blocked = informed
                || (!group_a && (wmd_use.is_some() || !eul_hits.is_empty()))
                || (un_embargo && !matches!(dest, "IQ" | "KP") && conv_use.is_some());
            if p.small_value_kou.contains(kou) && !jp.concern.contains(dest) && !blocked
                && let Some(v) = value.filter(|v| *v <= limit as f64)
            {
                out[listed_at].effect = Effect::ExceptionAvailable;
                out.push(ctx.reason("JP-SMALL-VALUE", Effect::ExceptionAvailable, &[("value", &format!("{v:.0}")), ("limit", &limit.to_string())]));
            }
        }
        JpClass::NotListed => out.push(ctx.reason("JP-NOTLISTED", Effect::NoLicenceRequired, &[])),
        JpClass::CatchAll { sub } => {
            let sub_s = sub.to_string();
            let sv = [("sub", sub_s.as_str())];
            if informed {
                out.push(ctx.reason("JP-CATCHALL-INFORM", Effect::LicenceRequired, &sv));
            }
            if group_a {
                if !informed {
                    out.push(ctx.reason("JP-CATCHALL-GROUPA", Effect::NoLicenceRequired, &sv));
                }
            } else {
                let mut met = informed;
                if let Some(u) = wmd_use {
                    out.push(ctx.reason("JP-CATCHALL-WMD-USE", Effect::LicenceRequired, &[sv[0], ("use", u.as_str())]));
                    met = true;
                }
                for h in &eul_hits {
                    let concerns = concerns(h.hit);
                    let r = ctx.reason("JP-CATCHALL-EUL", Effect::LicenceRequired, &[sv[0], ("party", h.party_name(tx)), ("concerns", &concerns)]);
                    out.push(with_evidence(r, h.evidence(ctx)));
                    met = true;
                }
                // ハ: 16の項(1) to any non-Group-A destination; 16の項(2) only to 別表第三の二.
                if let Some(u) = conv_use
                    && (*sub == 1 || un_embargo)
                {
                    let where_ja = if un_embargo { "別表第三の二（国連武器禁輸国・地域）" } else { "別表第三以外の地域" };
                    out.push(ctx.reason("JP-CATCHALL-CONV-USE", Effect::LicenceRequired, &[sv[0], ("use", u.as_str()), ("where_ja", where_ja)]));
                    met = true;
                }
                if !met {
                    out.push(ctx.reason("JP-CATCHALL-CLEAR", Effect::NoLicenceRequired, &sv));
                }
            }
        }
    }
    for h in ctx.certain_hits("JP-MOF-FREEZE") {
        let regime = h.hit.facts.regime.as_deref().unwrap_or("(regime not stated)");
        let r = ctx.reason("JP-MOF-FREEZE", Effect::Prohibited, &[("party", h.party_name(tx)), ("regime", regime)]);
        out.push(with_evidence(r, h.evidence(ctx)));
    }
    if !tx.red_flags.is_empty() || tx.end_uses.contains(&crate::transaction::EndUse::Unknown) {
        out.push(ctx.reason("JP-REDFLAG", Effect::NeedsReview, &[("flags", &super::us::red_flags_text(ctx))]));
    }
    out
}

/// "N, M (核, ミサイル)".
fn concerns(hit: &crate::inputs::PartyHit) -> String {
    let codes: Vec<&str> = hit.facts.meti_concerns.iter().map(|c| c.code()).collect();
    if codes.is_empty() { "(not stated)".into() } else { codes.join(", ") }
}
