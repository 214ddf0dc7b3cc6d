//! The EU: Regulation (EU) 2021/821 — Annex I items need an authorisation (Art. 3), Union
//! general export authorisation EU001 (Annex II), the catch-alls of Art. 4 (WMD, military end
//! use under arms embargo) and Art. 5 (cyber-surveillance, human rights), and destination-wide
//! restrictive measures.

use crate::outcome::{Effect, Reason};
use crate::transaction::{EndUse, EuClass};

use super::Ctx;

pub(super) fn determine(ctx: &Ctx<'_>) -> Vec<Reason> {
    let mut out = Vec::new();
    let Some(class) = &ctx.tx.item.eu else { return out };
    let p = &ctx.ar.eu;
    let tx = ctx.tx;
    let dest = tx.destination.as_str();
    let arms_embargo = p.arms_embargo.iter().any(|c| c == dest);
    let wmd_use = tx.end_uses.iter().find(|u| matches!(u, EndUse::Nuclear | EndUse::Chemical | EndUse::Biological | EndUse::Missile));
    let art4_aware = ctx.declares(&p.art4_end_uses).filter(|u| !matches!(u, EndUse::Military | EndUse::ConventionalWeapons) || arms_embargo).or(wmd_use.copied());

    if p.member_states.iter().any(|m| m == dest) {
        let (effect, entry) = match class {
            EuClass::Listed { full, .. } if p.annex_iv_prefixes.iter().any(|e| entry_matches(full, e)) => (Effect::LicenceRequired, full.as_str()),
            EuClass::Listed { full, .. } => (Effect::NoLicenceRequired, full.as_str()),
            EuClass::NotListed => (Effect::NoLicenceRequired, "not listed"),
        };
        out.push(ctx.reason("EU-INTRA", effect, &[("entry", entry)]));
        return out;
    }
    let listed = matches!(class, EuClass::Listed { .. });
    let mut destination_barred = false;
    if let Some(d) = ctx.destination_rule(&p.destinations) {
        let effect = if listed { d.listed } else { d.not_listed };
        destination_barred = effect <= Effect::LicenceRequired;
        out.push(ctx.reason(&d.rule, effect, &[]));
    }

    match class {
        EuClass::Listed { code, full } => {
            let art3_at = out.len();
            out.push(ctx.reason("EU-ART3", Effect::LicenceRequired, &[("entry", full)]));
            if let Some(eu001) = ctx.rb.eu.geas.get("EU001") {
                let excluded = eu001
                    .excluded_entries
                    .iter()
                    .chain(&p.annex_iv_prefixes)
                    .find(|e| entry_matches(full, e));
                let why = if !eu001.destinations.contains(dest) {
                    None // EU001 does not reach the destination: nothing to say
                } else if let Some(e) = excluded {
                    Some(format!("the entry falls under {e}, which Annex II Section I / Annex IV excludes / 附属書II第I節・附属書IVの除外品目"))
                } else if tx.informed.eu_art4 {
                    Some("the exporter was informed under Art. 4(1) (Part 3, 1(a)) / 第4条1項の通知あり".into())
                } else if let Some(u) = art4_aware {
                    Some(format!("declared end use {} makes the exporter aware (Part 3, 1(b)) / 申告用途により認識あり", u.as_str()))
                } else if destination_barred {
                    Some("a destination measure applies / 仕向地に対する制限措置あり".into())
                } else {
                    out[art3_at].effect = Effect::ExceptionAvailable;
                    out.push(ctx.reason("EU-GEA-EU001", Effect::ExceptionAvailable, &[("entry", full)]));
                    None
                };
                if let Some(why) = why {
                    out.push(ctx.reason("EU-GEA-EU001-NA", Effect::Info, &[("entry", full), ("why", &why)]));
                }
            }
            if p.cyber_surveillance_entries.iter().any(|e| entry_matches(full, e)) || tx.item.cyber_surveillance.is_some() {
                let (level, _) = risk(ctx);
                out.push(ctx.reason("EU-ART15-HR", Effect::Info, &[("entry", code), ("risk", level)]));
            }
        }
        EuClass::NotListed => {
            out.push(ctx.reason("EU-NOTLISTED", Effect::NoLicenceRequired, &[]));
            if tx.informed.eu_art4 {
                out.push(ctx.reason("EU-ART4-INFORMED", Effect::LicenceRequired, &[]));
            } else if let Some(u) = art4_aware {
                out.push(ctx.reason("EU-ART4-AWARE", Effect::NeedsReview, &[("use", u.as_str())]));
            }
            if tx.item.cyber_surveillance.is_some() {
                art5(ctx, &mut out);
            }
        }
    }
    if !tx.red_flags.is_empty() || tx.end_uses.contains(&EndUse::Unknown) {
        out.push(ctx.reason("EU-REDFLAG", Effect::NeedsReview, &[("flags", &super::us::red_flags_text(ctx))]));
    }
    out
}

/// Art. 5: cyber-surveillance items not listed in Annex I.
fn art5(ctx: &Ctx<'_>, out: &mut Vec<Reason>) {
    let tx = ctx.tx;
    if tx.informed.eu_art5 {
        out.push(ctx.reason("EU-ART5-INFORMED", Effect::LicenceRequired, &[]));
        return;
    }
    if let Some(u) = ctx.declares(&ctx.ar.eu.art5_end_uses) {
        out.push(ctx.reason("EU-ART5-AWARE", Effect::NeedsReview, &[("use", u.as_str())]));
    }
    let (level, reasons) = risk(ctx);
    let effect = if level == "low" { Effect::Info } else { Effect::NeedsReview };
    let mut r = ctx.reason("EU-ART5-HR", effect, &[("risk", level)]);
    if !reasons.is_empty() {
        r.evidence = Some(reasons);
    }
    out.push(r);
}

/// The human-rights risk level and its reasons, "unknown" when no assessment was made.
fn risk(ctx: &Ctx<'_>) -> (&'static str, String) {
    match &ctx.hr.assessment {
        None => ("unknown", String::new()),
        Some(a) => {
            let reasons = a.reasons.iter().map(|r| format!("{} {}", r.code, r.text_en)).collect::<Vec<_>>().join("; ");
            let level = a.level.as_str();
            (level, reasons)
        }
    }
}

/// Whether an item classified as `full` ("5A002.a.1") falls under `pattern` ("5A002",
/// "5A002.a", "1C450.a.1.").
fn entry_matches(full: &str, pattern: &str) -> bool {
    let full = full.trim().trim_end_matches('.').to_ascii_lowercase();
    let pattern = pattern.trim().trim_end_matches('.').to_ascii_lowercase();
    !pattern.is_empty() && (full == pattern || full.starts_with(&format!("{pattern}.")))
}

#[cfg(test)]
mod tests {
    use super::entry_matches;

    #[test]
    fn entries_match_by_paragraph_prefix() {
        assert!(entry_matches("1C450.a.1", "1C450.a.1."));
        assert!(entry_matches("0C001", "0C001"));
        assert!(entry_matches("0B001.a", "0B001"));
        assert!(!entry_matches("1C4501", "1C450"));
        assert!(!entry_matches("3A001", "3A001.a"));
    }
}
