//! The US rules: Commerce Country Chart (15 CFR 738), licence exceptions (740), end-use and
//! end-user controls (744), embargoes and sanctions (746), and what US list hits mean.

use std::collections::BTreeSet;

use crate::outcome::{Effect, Reason};
use crate::transaction::{EndUse, UsClass};

use super::coverage::{Scope, scope};
use super::{Ctx, with_evidence};

/// A licence requirement that a licence exception may overcome: the reason for control
/// ("NS", "EI") and the index of its reason.
struct Requirement {
    reason: String,
    index: usize,
}

pub(super) fn determine(ctx: &Ctx<'_>) -> Vec<Reason> {
    let mut out = Vec::new();
    let Some(class) = &ctx.tx.item.us else {
        return out;
    };
    let us = &ctx.rb.us;
    let dest = ctx.tx.destination.as_str();
    let eccn_shown = class.display();
    let chart_source = source_evidence(ctx, "country-chart");

    // Destination-wide measures of Part 746 come first: they outrank the chart.
    let listed = matches!(class, UsClass::Eccn { .. });
    let mut barred: Vec<String> = Vec::new();
    let mut destination_requires = false;
    if let Some(d) = ctx.destination_rule(&ctx.ar.us.destinations) {
        let effect = if listed { d.listed } else { d.not_listed };
        let pointer = us.chart.embargoed.get(dest).map(|e| e.pointer.as_str()).unwrap_or("");
        out.push(ctx.reason(&d.rule, effect, &[("eccn", &eccn_shown), ("pointer", pointer)]));
        if effect <= Effect::LicenceRequired {
            barred.push(d.rule.clone());
            destination_requires = true;
        }
    }
    let embargoed = us.chart.embargoed.contains_key(dest);

    // The chart row: the destination's own, or the one the EAR puts it under (HK → CN).
    let row: Option<&str> = if us.chart.marks.contains_key(dest) {
        Some(dest)
    } else if let Some(t) = us.chart.inherits.get(dest) {
        out.push(ctx.reason("US-CC-TERRITORY", Effect::Info, &[("row", &t.row), ("basis", &t.basis)]));
        Some(t.row.as_str())
    } else {
        None
    };

    let mut requirements: Vec<Requirement> = Vec::new();
    match class {
        UsClass::Ear99 => {
            if !destination_requires {
                out.push(ctx.reason("US-EAR99", Effect::NoLicenceRequired, &[]));
            }
        }
        UsClass::Eccn { code, paragraph } => {
            let Some(eccn) = us.eccns.get(code) else {
                return out; // validated: cannot happen
            };
            let p = paragraph.as_deref();
            if let Some((entry, exact)) = all_destinations(ctx, &eccn_shown) {
                let effect = if exact { Effect::LicenceRequired } else { Effect::NeedsReview };
                let note = format!("{entry}: {}", us.all_destinations.note);
                out.push(ctx.reason("US-ALLDEST", effect, &[("eccn", &eccn_shown), ("note", &note)]));
                barred.push("US-ALLDEST".into());
            }
            let mut no_row_said = false;
            for rc in &eccn.reasons {
                let verdict = match &ctx.tx.item.us_reasons {
                    Some(declared) if declared.contains(&rc.reason) || rc.column.as_ref().is_some_and(|c| declared.contains(c)) => Scope::Applies,
                    Some(_) => Scope::DoesNotApply,
                    None => scope(&rc.applies_to, code, p),
                };
                let vars = [("eccn", eccn_shown.as_str()), ("reason", rc.reason.as_str()), ("applies_to", rc.applies_to.as_str()), ("note", rc.note.as_str())];
                match &rc.column {
                    Some(column) => {
                        if embargoed {
                            continue; // no marks: Part 746 governs (reason above)
                        }
                        let Some(row) = row else {
                            if !no_row_said {
                                out.push(ctx.reason("US-CC-NOROW", Effect::NeedsReview, &vars));
                                no_row_said = true;
                            }
                            continue;
                        };
                        let marked = us.chart.marks.get(row).is_some_and(|m| m.contains(column));
                        let cvars = [vars[0], vars[1], vars[2], ("column", column.as_str()), ("row", row)];
                        if !marked {
                            out.push(with_evidence(ctx.reason("US-CC-NOMARK", Effect::NoLicenceRequired, &cvars), chart_source.clone()));
                            continue;
                        }
                        match verdict {
                            Scope::Applies => {
                                requirements.push(Requirement { reason: rc.reason.clone(), index: out.len() });
                                let shown = format!("US-CC-{column}");
                                out.push(with_evidence(ctx.reason_as("US-CC", &shown, Effect::LicenceRequired, &cvars), chart_source.clone()));
                            }
                            Scope::Uncertain => out.push(scope_reason(ctx, &cvars, Effect::NeedsReview)),
                            Scope::DoesNotApply => out.push(scope_reason(ctx, &cvars, Effect::Info)),
                        }
                    }
                    None => {
                        let reason = elsewhere(ctx, &vars, verdict, &rc.note, &mut requirements, out.len());
                        if reason.effect == Effect::LicenceRequired && reason.rule != "US-EI" {
                            barred.push(reason.rule.clone());
                        }
                        out.push(reason);
                    }
                }
            }
        }
    }

    parties_and_end_use(ctx, class, &mut out, &mut barred);
    exceptions(ctx, class, &mut out, &requirements, &barred);
    out
}

/// Reasons stated outside the chart columns (738.4(a)(1)): EI, worldwide controls, UN,
/// named destinations, Part 746.
fn elsewhere(ctx: &Ctx<'_>, vars: &[(&str, &str)], verdict: Scope, note: &str, reqs: &mut Vec<Requirement>, index: usize) -> Reason {
    let dest = ctx.tx.destination.as_str();
    let groups = &ctx.rb.us.groups;
    let in_group = |g: &str| groups.get(g).is_some_and(|s| s.contains(dest));
    let lower = note.to_ascii_lowercase();
    let reason = vars.iter().find(|(k, _)| *k == "reason").map_or("", |(_, v)| *v);
    if reason == "EI" || lower.contains("742.15") {
        // 742.15(a): a licence to all destinations except Canada.
        let effect = if dest == "CA" || verdict == Scope::DoesNotApply { Effect::Info } else { Effect::LicenceRequired };
        if effect == Effect::LicenceRequired {
            reqs.push(Requirement { reason: "EI".into(), index });
        }
        return ctx.reason("US-EI", effect, vars);
    }
    if lower.contains("746.1") {
        let effect = if ctx.ar.us.un_746_destinations.iter().any(|d| d == dest) { Effect::LicenceRequired } else { Effect::Info };
        return ctx.reason("US-UN-746", effect, vars);
    }
    let applies_here = if lower.contains("worldwide") || lower.contains("all destinations") {
        Some(true)
    } else if lower.contains("china, russia, or venezuela") {
        Some(matches!(dest, "CN" | "RU" | "VE"))
    } else if lower.contains("united arab emirates") && lower.contains("d:5") {
        Some((dest == "AE" || in_group("D:1") || in_group("D:4") || in_group("D:5")) && !in_group("A:5") && !in_group("A:6"))
    } else if lower.contains("macau") && lower.contains("d:5") {
        Some(dest == "MO" || in_group("D:5"))
    } else if lower.contains("746.8") {
        Some(matches!(dest, "RU" | "BY"))
    } else {
        None
    };
    let effect = match (applies_here, verdict) {
        (_, Scope::DoesNotApply) | (Some(false), _) => Effect::Info,
        (Some(true), Scope::Applies) => Effect::LicenceRequired,
        _ => Effect::NeedsReview,
    };
    let here = match applies_here {
        _ if verdict == Scope::DoesNotApply => "the item is outside its scope / 当該品目は対象外",
        Some(true) => "reaches this destination / この仕向地に及ぶ",
        Some(false) => "does not reach this destination / この仕向地には及ばない",
        None => "read the provision / 条文を確認",
    };
    let mut all = vars.to_vec();
    all.push(("here", here));
    ctx.reason("US-CC-ELSEWHERE", effect, &all)
}

fn scope_reason(ctx: &Ctx<'_>, vars: &[(&str, &str)], effect: Effect) -> Reason {
    let (verdict_en, verdict_ja) = if effect == Effect::Info {
        ("the item is outside it (its paragraph, or the reasons its classification states)", "当該品目は対象外（パラグラフまたは分類で示された規制理由による）")
    } else {
        ("confirm whether the item's paragraph is covered", "該当パラグラフが含まれるか確認が必要")
    };
    let mut all = vars.to_vec();
    all.extend([("verdict_en", verdict_en), ("verdict_ja", verdict_ja)]);
    ctx.reason("US-CC-SCOPE", effect, &all)
}

/// 738.3(a)(1): the entry that needs a licence to every destination, and whether it names
/// the item plainly (`false`: "5D001 (for 5A001.f.1 ...)", which needs reading).
fn all_destinations<'r>(ctx: &'r Ctx<'_>, eccn: &str) -> Option<(&'r str, bool)> {
    let a = &ctx.rb.us.all_destinations;
    let eccn_lower = eccn.to_ascii_lowercase();
    a.no_licence_exceptions.iter().chain(&a.gov_only).find_map(|e| {
        let head = e.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
        let qualified = e.trim().len() > head.len();
        let under = eccn_lower == head || eccn_lower.starts_with(&format!("{head}."));
        // "5A001.f.1" also reaches an item classified only as "5A001": ask.
        let above = head.starts_with(&format!("{eccn_lower}."));
        (under || above).then_some((e.as_str(), under && !qualified))
    })
}

/// Part 744 and list hits.
fn parties_and_end_use(ctx: &Ctx<'_>, class: &UsClass, out: &mut Vec<Reason>, barred: &mut Vec<String>) {
    let tx = ctx.tx;
    let eccn_shown = class.display();
    let push = |r: Reason, out: &mut Vec<Reason>, barred: &mut Vec<String>| {
        if r.effect <= Effect::NeedsReview {
            barred.push(r.rule.clone());
        }
        out.push(r);
    };
    for h in ctx.certain_hits("US-EL") {
        let requirement = h.hit.facts.license_requirement.as_deref().unwrap_or("");
        let policy = h.hit.facts.license_policy.as_deref().unwrap_or("(not stated)");
        let lower = requirement.to_ascii_lowercase();
        let whole = lower.contains("all items subject to the ear") && ![" when ", " except ", " other than ", " apart from "].iter().any(|q| lower.contains(q));
        let effect = if whole { Effect::LicenceRequired } else { Effect::NeedsReview };
        let fr = h.hit.facts.federal_register.join(", ");
        let r = ctx.reason("US-EL", effect, &[("party", h.party_name(tx)), ("requirement", requirement), ("policy", policy), ("fr", &fr)]);
        push(with_evidence(r, h.evidence(ctx)), out, barred);
    }
    for h in ctx.certain_hits("US-MEU") {
        let (effect, why_en, why_ja) = meu_reach(ctx, class);
        let r = ctx.reason("US-MEU", effect, &[("party", h.party_name(tx)), ("eccn", &eccn_shown), ("why_en", why_en), ("why_ja", why_ja)]);
        push(with_evidence(r, h.evidence(ctx)), out, barred);
    }
    if tx.end_uses.contains(&EndUse::Military) {
        let (effect, why_en, why_ja) = meu_reach(ctx, class);
        push(ctx.reason("US-MEU-ENDUSE", effect, &[("eccn", &eccn_shown), ("why_en", why_en), ("why_ja", why_ja)]), out, barred);
    }
    let wmd: Vec<&str> = tx.end_uses.iter().filter(|u| matches!(u, EndUse::Nuclear | EndUse::Chemical | EndUse::Biological | EndUse::Missile)).map(|u| u.as_str()).collect();
    if !wmd.is_empty() {
        push(ctx.reason("US-744-WMD", Effect::LicenceRequired, &[("uses", &wmd.join(", "))]), out, barred);
    }
    if tx.informed.us_is_informed {
        push(ctx.reason("US-IS-INFORMED", Effect::LicenceRequired, &[]), out, barred);
    }
    for (rule, effect) in [("US-DPL", Effect::Prohibited), ("US-SDN", Effect::Prohibited), ("US-UVL", Effect::NeedsReview), ("US-LIST-OTHER", Effect::NeedsReview)] {
        for h in ctx.certain_hits(rule) {
            let programmes = h.hit.programs.join(", ");
            let r = ctx.reason(rule, effect, &[("party", h.party_name(tx)), ("list", h.hit.list_name()), ("programme", &programmes)]);
            push(with_evidence(r, h.evidence(ctx)), out, barred);
        }
    }
    if !tx.red_flags.is_empty() || tx.end_uses.contains(&EndUse::Unknown) {
        let flags = red_flags_text(ctx);
        out.push(ctx.reason("US-REDFLAG", Effect::NeedsReview, &[("flags", &flags)]));
    }
}

pub(super) fn red_flags_text(ctx: &Ctx<'_>) -> String {
    let mut flags = ctx.tx.red_flags.clone();
    if ctx.tx.end_uses.contains(&EndUse::Unknown) {
        flags.push("end use unknown / 用途不明".into());
    }
    flags.join("; ")
}

/// How far 744.21 reaches this item and destination.
fn meu_reach(ctx: &Ctx<'_>, class: &UsClass) -> (Effect, &'static str, &'static str) {
    let p = &ctx.ar.us;
    let dest = &ctx.tx.destination;
    if p.meu_all_items_destinations.contains(dest) {
        return (Effect::LicenceRequired, "every item subject to the EAR to this destination", "この仕向地向けはEAR対象の全品目");
    }
    if p.meu_supp2_destinations.contains(dest) {
        let in_supp2 = match class {
            UsClass::Eccn { code, .. } => p.meu_supp2_eccns.iter().any(|e| e == code),
            UsClass::Ear99 => false,
        };
        return if in_supp2 {
            (Effect::LicenceRequired, "the ECCN is in Supplement No. 2 to Part 744", "当該ECCNは第744部補足第2号に掲載")
        } else {
            (Effect::Info, "the ECCN is not in Supplement No. 2 to Part 744", "当該ECCNは第744部補足第2号に掲載なし")
        };
    }
    (Effect::Info, "744.21 does not name this destination", "744.21はこの仕向地を対象としない")
}

/// License Exceptions LVS, GBS and ENC (Part 740), tried when the only licence
/// requirements are chart reasons (and EI for ENC).
fn exceptions(ctx: &Ctx<'_>, class: &UsClass, out: &mut Vec<Reason>, reqs: &[Requirement], barred: &[String]) {
    let UsClass::Eccn { code, .. } = class else { return };
    if reqs.is_empty() {
        return;
    }
    let blocking: Vec<&str> = barred.iter().map(String::as_str).collect();
    if !blocking.is_empty() {
        out.push(ctx.reason("US-LE-BARRED", Effect::Info, &[("rules", &blocking.join(", "))]));
        return;
    }
    let Some(eccn) = ctx.rb.us.eccns.get(code) else { return };
    let needed: BTreeSet<&str> = reqs.iter().map(|r| r.reason.as_str()).collect();
    let needed_text = needed.iter().copied().collect::<Vec<_>>().join(", ");
    let dest = ctx.tx.destination.as_str();
    let in_group = |g: &str| ctx.rb.us.groups.get(g).is_some_and(|s| s.contains(dest));
    let p = &ctx.ar.us;

    let mut candidates: Vec<(&str, Eligibility)> = Vec::new();
    let flag = |sym: &str| eccn.exception_flags.get(sym).map(String::as_str);
    // LVS (740.3): Country Group B, value within the ECCN's limit, reasons not N/A.
    if let Some(text) = flag("LVS") {
        let e = match parse_flag(text, eccn.lvs_limit_usd) {
            _ if !in_group(&p.lvs_country_group) => Eligibility::No,
            Flag::NotAvailable => Eligibility::No,
            Flag::Conditional => Eligibility::Conditional(text.to_string()),
            Flag::Plain { limit, barred } => match (limit, usd_value(ctx)) {
                _ if needed.iter().any(|r| barred.iter().any(|b| b == r)) => Eligibility::No,
                (Some(limit), Some(value)) if value <= limit as f64 => Eligibility::Covers(format!("{value:.0}"), limit.to_string()),
                (Some(_), Some(_)) => Eligibility::No,
                (Some(limit), None) => Eligibility::Conditional(format!("{text} (value in USD not given; limit ${limit})")),
                (None, _) => Eligibility::Conditional(text.to_string()),
            },
        };
        candidates.push(("US-LE-LVS", e));
    }
    // GBS (740.4): Country Group B, ECCN says "Yes".
    if let Some(text) = flag("GBS") {
        let e = match parse_flag(text, None) {
            _ if !in_group(&p.gbs_country_group) => Eligibility::No,
            Flag::NotAvailable => Eligibility::No,
            Flag::Conditional => Eligibility::Conditional(text.to_string()),
            Flag::Plain { barred, .. } if needed.iter().any(|r| barred.iter().any(|b| b == r)) => Eligibility::No,
            Flag::Plain { .. } => Eligibility::Covers(String::new(), String::new()),
        };
        candidates.push(("US-LE-GBS", e));
    }
    // ENC (740.17): Category 5 Part 2 items, never to E:1/E:2; government end users outside
    // Supplement No. 3 only for some paragraphs.
    if p.enc_eccns.iter().any(|e| code.starts_with(e.as_str())) {
        let government = ctx.tx.end_user_types().any(crate::transaction::is_government);
        let covers_needed = needed.iter().all(|r| matches!(*r, "NS" | "EI"));
        let e = if p.enc_excluded_groups.iter().any(|g| in_group(g)) || !covers_needed {
            Eligibility::No
        } else if government && !p.enc_supplement3.iter().any(|c| c == dest) {
            Eligibility::Conditional("government end user outside Supplement No. 3 to Part 740: only 740.17(b)(1) items / 740.17(b)(1)項目のみ".into())
        } else {
            Eligibility::Covers(String::new(), String::new())
        };
        candidates.push(("US-LE-ENC", e));
    }

    if let Some((rule, Eligibility::Covers(value, limit))) = candidates.iter().find(|(_, e)| matches!(e, Eligibility::Covers(..))) {
        for r in reqs {
            out[r.index].effect = Effect::ExceptionAvailable;
        }
        out.push(ctx.reason(rule, Effect::ExceptionAvailable, &[("eccn", code), ("reasons", &needed_text), ("value", value), ("limit", limit)]));
        return;
    }
    for (rule, e) in &candidates {
        if let Eligibility::Conditional(text) = e {
            let symbol = rule.trim_start_matches("US-LE-");
            out.push(ctx.reason("US-LE-CONDITIONAL", Effect::Info, &[("exception", symbol), ("condition", text)]));
        }
    }
}

enum Eligibility {
    /// Covers every requirement (value and limit for LVS).
    Covers(String, String),
    Conditional(String),
    No,
}

#[derive(Debug, PartialEq)]
enum Flag {
    NotAvailable,
    /// "Yes", "$5000", "$5000, except N/A for MT": a limit and the reasons it may not cover.
    Plain { limit: Option<u64>, barred: Vec<String> },
    /// Anything that depends on the paragraph or other facts.
    Conditional,
}

const REASON_CODES: &[&str] = &["NS", "MT", "NP", "CB", "RS", "CC", "FC", "AT", "UN", "SL", "EI", "CW", "SI"];

/// Reads an ECCN's licence-exception cell.
fn parse_flag(text: &str, known_limit: Option<u64>) -> Flag {
    let t = text.trim().trim_end_matches('.').trim();
    if t.eq_ignore_ascii_case("N/A") || t.is_empty() {
        return Flag::NotAvailable;
    }
    let mut limit = None;
    let mut barred = Vec::new();
    for clause in t.split(';').flat_map(|c| c.split(", ")).map(|c| c.trim().trim_end_matches(',')).filter(|c| !c.is_empty()) {
        let lower = clause.to_ascii_lowercase();
        if lower == "yes" {
            continue;
        }
        if let Some(amount) = clause.strip_prefix('$') {
            match amount.replace(',', "").parse::<u64>() {
                Ok(v) => limit = Some(v),
                Err(_) => return Flag::Conditional,
            }
            continue;
        }
        let rest = lower.strip_prefix("except ").unwrap_or(&lower);
        let Some(reasons) = rest.strip_prefix("n/a for ") else { return Flag::Conditional };
        for word in reasons.split_whitespace().filter(|w| *w != "and") {
            let upper = word.to_ascii_uppercase();
            if !REASON_CODES.contains(&upper.as_str()) {
                return Flag::Conditional;
            }
            barred.push(upper);
        }
    }
    Flag::Plain { limit: limit.or(known_limit), barred }
}

/// The shipment's value in USD, when given in USD.
fn usd_value(ctx: &Ctx<'_>) -> Option<f64> {
    ctx.tx.item.value.as_ref().filter(|v| v.currency == "USD").map(|v| v.amount)
}

/// "us-ear/country-chart.json, eCFR 2026-07-23, sha256 ab12…" for a rulebook source.
pub(super) fn source_evidence(ctx: &Ctx<'_>, file_part: &str) -> String {
    ctx.rb
        .version
        .sources
        .iter()
        .find(|s| s.file.contains(file_part))
        .map(|s| format!("{} ({}, data {}, sha256 {})", s.citation, s.file, s.data_date, &s.sha256[..s.sha256.len().min(12)]))
        .unwrap_or_else(|| format!("rulebook {}", ctx.rb.version.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_exception_cells() {
        assert_eq!(parse_flag("N/A", None), Flag::NotAvailable);
        assert_eq!(parse_flag("$1,500", None), Flag::Plain { limit: Some(1500), barred: vec![] });
        assert_eq!(parse_flag("$5000, except N/A for MT", None), Flag::Plain { limit: Some(5000), barred: vec!["MT".into()] });
        assert_eq!(parse_flag("$3000; N/A for NP", None), Flag::Plain { limit: Some(3000), barred: vec!["NP".into()] });
        assert_eq!(parse_flag("Yes", None), Flag::Plain { limit: None, barred: vec![] });
        assert_eq!(parse_flag("Yes, except N/A for MT", None), Flag::Plain { limit: None, barred: vec!["MT".into()] });
        assert_eq!(parse_flag("$500 for 0A501.c, .d, and .x.", None), Flag::Conditional);
        assert_eq!(parse_flag("Yes for 3A001.a.1.b, a.2 to a.14", None), Flag::Conditional);
        assert_eq!(parse_flag("Yes: $500 for “components,”", None), Flag::Conditional);
    }
}
