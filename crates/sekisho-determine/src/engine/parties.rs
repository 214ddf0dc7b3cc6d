//! Party list hits: which rule each hit triggers, and the reasons every jurisdiction shares
//! (possible hits, UN asset freezes, unscreened parties).

use crate::authored::AuthoredRules;
use crate::inputs::{PartyHit, PartyScreening};
use crate::outcome::{Effect, Reason};
use crate::transaction::{Jurisdiction, Transaction};

use super::{Ctx, with_evidence};

/// A hit with the rule its list maps to and whether it counts as the listed party.
pub struct ClassifiedHit<'a> {
    /// Index into `Transaction::parties`.
    pub party: usize,
    pub hit: &'a PartyHit,
    /// `None` when no `[[parties.lists]]` entry maps the hit's list.
    pub rule: Option<&'a str>,
    /// Confirmed by a reviewer, or scored at or above `parties.certain_score`.
    pub certain: bool,
}

impl ClassifiedHit<'_> {
    /// "CONSIGNEE X = Entity List: Y (us_trade_csl csl-1, score 0.97)".
    pub fn evidence(&self, ctx: &Ctx<'_>) -> String {
        let party = &ctx.tx.parties[self.party];
        format!(
            "{:?} {:?} ~ {:?} on {} ({} {}, score {:.2}{}){}",
            party.role,
            party.name,
            self.hit.caption,
            self.hit.list_name(),
            self.hit.source,
            self.hit.entity_id,
            self.hit.score,
            if self.hit.confirmed { ", confirmed by a reviewer" } else { "" },
            if self.hit.explanation.is_empty() { String::new() } else { format!(": {}", self.hit.explanation) },
        )
    }

    pub fn party_name<'t>(&self, tx: &'t Transaction) -> &'t str {
        &tx.parties[self.party].name
    }
}

pub(super) fn classify<'a>(ar: &'a AuthoredRules, tx: &Transaction, screening: &'a PartyScreening) -> Vec<ClassifiedHit<'a>> {
    let mut out = Vec::new();
    for (party, hits) in screening.hits.iter().enumerate().take(tx.parties.len()) {
        for hit in hits {
            let rule = ar
                .parties
                .lists
                .iter()
                .find(|l| l.source == hit.source && l.list_contains.as_ref().is_none_or(|c| hit.list_name().contains(c.as_str())))
                .map(|l| l.rule.as_str());
            let certain = hit.confirmed || hit.score >= ar.parties.certain_score;
            out.push(ClassifiedHit { party, hit, rule, certain });
        }
    }
    out
}

/// The jurisdiction a list rule belongs to; `None` for rules of every jurisdiction.
fn rule_jurisdiction(rule: &str) -> Option<Jurisdiction> {
    match rule.split('-').next() {
        Some("US") => Some(Jurisdiction::US),
        Some("JP") => Some(Jurisdiction::JP),
        Some("EU") => Some(Jurisdiction::EU),
        _ => None,
    }
}

pub(super) fn common_reasons(ctx: &Ctx<'_>, j: Jurisdiction) -> Vec<Reason> {
    let mut out = Vec::new();
    let tx = ctx.tx;
    if tx.parties.is_empty() {
        out.push(ctx.reason("PARTIES-NONE", Effect::NeedsReview, &[]));
        return out;
    }
    if !ctx.screening.screened {
        out.push(ctx.reason("SCREEN-NOT-DONE", Effect::NeedsReview, &[]));
    } else if ctx.hits.is_empty() {
        let names = tx.parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; ");
        let versions = ctx.screening.list_versions.join(", ");
        out.push(ctx.reason("SCREEN-CLEAR", Effect::Info, &[("parties", &names), ("lists", &versions)]));
    }
    for h in &ctx.hits {
        let party = h.party_name(tx);
        let list = h.hit.list_name();
        let score = format!("{:.2}", h.hit.score);
        let vars = [("party", party), ("list", list), ("caption", h.hit.caption.as_str()), ("score", score.as_str())];
        let reason = match h.rule {
            None => Some(ctx.reason("SCREEN-UNMAPPED", Effect::NeedsReview, &vars)),
            Some(rule) if rule_jurisdiction(rule).is_some_and(|rj| rj != j) => None,
            Some(_) if !h.certain => Some(ctx.reason("SCREEN-POSSIBLE", Effect::NeedsReview, &vars)),
            Some("UN-FREEZE") => {
                let programmes = h.hit.programs.join(", ");
                let regime = if programmes.is_empty() { "UN Security Council sanctions".to_string() } else { programmes };
                Some(ctx.reason("UN-FREEZE", Effect::Prohibited, &[vars[0], vars[1], vars[2], ("programme", &regime)]))
            }
            Some(_) => None,
        };
        if let Some(r) = reason {
            out.push(with_evidence(r, h.evidence(ctx)));
        }
    }
    out
}
