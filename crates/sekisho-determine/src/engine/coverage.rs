//! Whether a reason for control of an ECCN covers the item's paragraph.
//!
//! The CCL states the scope of each reason in words ("NS applies to entire entry except
//! 0A501.y", "NS applies to 5A001.a, b.5, .e, .f.3 and .h", "MT applies to 3A001.a.1.a when
//! usable in missiles"). This reads the plain forms; whatever it cannot read with confidence
//! is `Uncertain`, which the engine reports for review instead of guessing.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Applies,
    DoesNotApply,
    Uncertain,
}

/// Connecting words that do not qualify a list of paragraphs.
const CONNECTORS: &[&str] = &["and", "or", "to", "in", "items", "item", "controlled", "by", "paragraph", "paragraphs", "eccn", "eccns", "the", "of", "all", "this", "entry", "entire"];

/// What a scope text says: its paragraph references, whether other words qualify them, and
/// whether it gives a range ("a.2 to a.14") that a list of references cannot express.
struct References {
    refs: Vec<String>,
    qualified: bool,
    ranged: bool,
}

/// Paragraph references in `text` (relative to `eccn`).
fn references(text: &str, eccn: &str) -> References {
    let mut refs: Vec<String> = Vec::new();
    let mut qualified = false;
    let (mut ranged, mut after_ref, mut range_open) = (false, false, false);
    let eccn_lower = eccn.to_ascii_lowercase();
    for raw in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '“' | '”' | '"' | ':')) {
        let word = raw.trim_end_matches('.').to_ascii_lowercase();
        if word.is_empty() {
            continue;
        }
        let (candidate, marked) = if let Some(rest) = word.strip_prefix(&eccn_lower) {
            (rest.trim_start_matches('.').to_string(), true)
        } else if let Some(rest) = word.strip_prefix('.') {
            (rest.to_string(), true)
        } else {
            (word.clone(), word.contains('.'))
        };
        if candidate.is_empty() {
            continue; // the ECCN itself
        }
        // ".16" after "1C351.d.15": a sibling of the previous reference (d.16).
        let candidate = match refs.last() {
            Some(prev) if marked && candidate.chars().all(|c| c.is_ascii_digit()) && prev.contains('.') => {
                format!("{}.{candidate}", prev.rsplit_once('.').map_or("", |(head, _)| head))
            }
            _ => candidate,
        };
        if marked && is_paragraph(&candidate) {
            refs.push(candidate);
            ranged |= range_open;
            (after_ref, range_open) = (true, false);
            continue;
        }
        range_open = after_ref && matches!(word.as_str(), "to" | "through");
        after_ref = false;
        if !range_open && !CONNECTORS.contains(&word.as_str()) {
            qualified = true;
        }
    }
    References { refs, qualified, ranged }
}

/// "a", "b.5", "z.1.a", "f.3".
fn is_paragraph(s: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or_default();
    first.len() == 1
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn covers(reference: &str, paragraph: &str) -> bool {
    paragraph == reference || paragraph.starts_with(&format!("{reference}."))
}

/// Whether the reason stated as `applies_to` covers `paragraph` of `eccn`.
pub fn scope(applies_to: &str, eccn: &str, paragraph: Option<&str>) -> Scope {
    let lower = applies_to.to_ascii_lowercase();
    let rest = lower.split_once("applies to").map_or(lower.as_str(), |(_, r)| r).trim();
    if let Some(after) = rest.strip_prefix("entire entry") {
        let Some((_, excluded)) = after.split_once("except") else {
            return Scope::Applies;
        };
        let References { refs, qualified, .. } = references(excluded, eccn);
        return match paragraph {
            _ if refs.is_empty() => Scope::Uncertain,
            None => Scope::Uncertain,
            Some(p) if refs.iter().any(|r| covers(r, p)) => if qualified { Scope::Uncertain } else { Scope::DoesNotApply },
            Some(_) => Scope::Applies,
        };
    }
    let References { refs, qualified, ranged } = references(rest, eccn);
    // An "except" clause can only narrow what a reference covers, so it makes a covered
    // paragraph uncertain but cannot bring in one that no reference reaches; a range can.
    match paragraph {
        _ if refs.is_empty() => Scope::Uncertain,
        None => Scope::Uncertain,
        Some(p) if refs.iter().any(|r| covers(r, p)) => {
            if qualified || ranged || rest.contains("except") { Scope::Uncertain } else { Scope::Applies }
        }
        Some(_) if ranged => Scope::Uncertain,
        Some(_) => Scope::DoesNotApply,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Scope::*;

    #[test]
    fn entire_entry_and_exceptions() {
        assert_eq!(scope("NS applies to entire entry", "3A001", None), Applies);
        assert_eq!(scope("NS applies to entire entry except 0A501.y", "0A501", Some("y")), DoesNotApply);
        assert_eq!(scope("NS applies to entire entry except 0A501.y", "0A501", Some("a")), Applies);
        assert_eq!(scope("NS applies to entire entry, except .e, .x, and .y", "9A515", Some("x.1")), DoesNotApply);
        assert_eq!(scope("NS applies to entire entry, except .e, .x, and .y", "9A515", None), Uncertain);
    }

    #[test]
    fn paragraph_lists() {
        let ns1 = "NS applies to 5A001.a, b.5, .e, .f.3 and .h";
        assert_eq!(scope(ns1, "5A001", Some("b.5")), Applies);
        assert_eq!(scope(ns1, "5A001", Some("f.3")), Applies);
        assert_eq!(scope(ns1, "5A001", Some("a.1")), Applies);
        assert_eq!(scope(ns1, "5A001", Some("c")), DoesNotApply);
        assert_eq!(scope(ns1, "5A001", None), Uncertain);
        assert_eq!(scope("RS applies to items controlled by 5A002.z.1.a, z.2.a", "5A002", Some("z.2.a")), Applies);
        assert_eq!(scope("RS applies to items controlled by 5A002.z.1.a, z.2.a", "5A002", Some("a.1")), DoesNotApply);
        let cb1 = "CB applies to items controlled by 1C351.d.15 and .16";
        assert_eq!(scope(cb1, "1C351", Some("d.16")), Applies);
        assert_eq!(scope(cb1, "1C351", Some("d.1")), DoesNotApply);
    }

    #[test]
    fn qualified_or_ranged_scopes_are_uncertain_when_they_reach_the_paragraph() {
        let mt = "MT applies to 3A001.a.1.a when usable in “missiles”; and to 3A001.a.5.a";
        assert_eq!(scope(mt, "3A001", Some("a.1.a")), Uncertain);
        assert_eq!(scope(mt, "3A001", Some("b.1")), DoesNotApply);
        let ns = "NS applies to 5A001.b (except .b.5), .c, .d";
        assert_eq!(scope(ns, "5A001", Some("b.5")), Uncertain);
        assert_eq!(scope(ns, "5A001", Some("e")), DoesNotApply);
        let mmic = "NS applies to MMIC amplifiers in 3A001.b.2 and discrete microwave transistors in 3A001.b.3, except those for civil telecommunications";
        assert_eq!(scope(mmic, "3A001", Some("a.1")), DoesNotApply);
        assert_eq!(scope(mmic, "3A001", Some("b.2")), Uncertain);
        assert_eq!(scope("GBS for a.2 to a.14", "3A001", Some("a.7")), Uncertain);
    }
}
