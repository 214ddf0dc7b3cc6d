//! The readable bilingual report of a determination.

use std::fmt::Write;

use crate::outcome::{Determination, Effect};

fn effect_mark(e: Effect) -> &'static str {
    match e {
        Effect::Prohibited => "✖ prohibited",
        Effect::LicenceRequired => "● licence",
        Effect::NeedsReview => "? review",
        Effect::ExceptionAvailable => "◐ exception",
        Effect::Info => "· info",
        Effect::NoLicenceRequired => "○ none",
    }
}

/// Renders the determination as plain text, English and Japanese side by side.
pub fn render(d: &Determination) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Determination for transaction {} / 取引 {} の判定", d.transaction_id, d.transaction_id);
    let _ = writeln!(s, "rulebook {} · authored rules: {}", d.rulebook_version, d.authored_rules);
    for o in &d.outcomes {
        let _ = writeln!(s);
        let exceptions = if o.exceptions.is_empty() { String::new() } else { format!(" [{}]", o.exceptions.join(", ")) };
        let _ = writeln!(s, "== {} — {}{} / {}", o.jurisdiction.name_en(), o.outcome.as_str(), exceptions, o.outcome.label_ja());
        for r in &o.reasons {
            let _ = writeln!(s, "  {:<13} {}  [{}]", effect_mark(r.effect), r.rule, r.citation);
            let _ = writeln!(s, "                {}", r.text_en);
            let _ = writeln!(s, "                {}", r.text_ja);
            if let Some(e) = &r.evidence {
                let _ = writeln!(s, "                evidence / 根拠: {e}");
            }
        }
    }
    s
}
