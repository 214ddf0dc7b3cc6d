//! `RULES.md` is the rule reference rendered from the authored rule files; this test fails
//! when it is stale. Regenerate with `SEKISHO_BLESS=1 cargo test -p sekisho-determine --test rules_doc`.

use std::path::Path;

use sekisho_determine::AuthoredRules;

fn render(rules: &AuthoredRules) -> String {
    let mut out = String::from(
        "# Rule reference\n\nGenerated from `rules/*.toml` by `tests/rules_doc.rs`; do not edit by hand.\n\
         Each reason of a determination names one of these codes (`US-CC` is reported per column: `US-CC-NS1`, …).\n",
    );
    for file in ["us.toml", "jp.toml", "eu.toml", "parties.toml"] {
        out.push_str(&format!("\n## {file}\n"));
        let mut in_file: Vec<_> = rules.rules.values().filter(|r| r.defined_at.starts_with(&format!("{file}:"))).collect();
        in_file.sort_by_key(|r| r.defined_at.split(':').nth(1).and_then(|l| l.parse::<usize>().ok()));
        for r in in_file {
            out.push_str(&format!(
                "\n### `{}` — {}\n\n{}\n\n- Citation: {}\n- Effective: {}\n- {}\n",
                r.code, r.title_en, r.title_ja, r.citation, r.effective, r.doc
            ));
        }
    }
    out
}

#[test]
fn rules_md_is_current() {
    let rules = AuthoredRules::embedded().unwrap();
    let rendered = render(&rules);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("RULES.md");
    if std::env::var_os("SEKISHO_BLESS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == rendered, "RULES.md is stale: run SEKISHO_BLESS=1 cargo test -p sekisho-determine --test rules_doc");
}
