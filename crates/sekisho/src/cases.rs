//! `sekisho cases ...`: list and review alerts.

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};
use sekisho_store::{CaseStatus, Decision};

use crate::home::Home;

#[derive(Subcommand)]
pub enum CasesCommand {
    /// List cases, newest first.
    List {
        /// open, true-match or false-positive (default: all).
        #[arg(long, value_parser = parse_status)]
        status: Option<CaseStatus>,
        #[arg(long)]
        json: bool,
    },
    /// Record a reviewer's decision, with the reason, in the audit trail.
    Review {
        id: i64,
        #[arg(long, value_enum)]
        decision: DecisionArg,
        #[arg(long)]
        reason: String,
        /// Who reviewed (default: the actor).
        #[arg(long)]
        reviewer: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DecisionArg {
    TrueMatch,
    FalsePositive,
}

fn parse_status(s: &str) -> Result<CaseStatus, String> {
    CaseStatus::parse(s).ok_or_else(|| format!("unknown status {s:?}: use open, true-match or false-positive"))
}

pub fn run(home: &Home, actor: &str, command: CasesCommand) -> Result<()> {
    let mut service = home.open_service()?;
    match command {
        CasesCommand::List { status, json } => {
            let cases = service.store().cases(status)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&cases)?)?;
                return Ok(());
            }
            if cases.is_empty() {
                outln!("no cases")?;
                return Ok(());
            }
            outln!("{:<5} {:<14} {:<6} {:<30} {:<30} {:<18} entity", "case", "status", "score", "counterparty", "listed as", "source")?;
            for c in &cases {
                outln!(
                    "{:<5} {:<14} {:<6.3} {:<30} {:<30} {:<18} {} v{}",
                    c.id,
                    c.status.as_str(),
                    c.alert.score,
                    truncate(&c.alert.counterparty_name, 30),
                    truncate(&c.alert.caption, 30),
                    c.alert.source,
                    c.alert.entity_id,
                    &c.alert.entity_hash[..12.min(c.alert.entity_hash.len())]
                )?;
                if let (Some(reviewer), Some(reason)) = (&c.reviewer, &c.reason) {
                    outln!("      reviewed by {reviewer} at {}: {reason}", c.reviewed_at.as_deref().unwrap_or("?"))?;
                }
            }
            Ok(())
        }
        CasesCommand::Review { id, decision, reason, reviewer } => {
            if reason.trim().is_empty() {
                bail!("--reason must say why");
            }
            let decision = match decision {
                DecisionArg::TrueMatch => Decision::TrueMatch,
                DecisionArg::FalsePositive => Decision::FalsePositive,
            };
            let case = service.review_case(actor, id, decision, &reason, reviewer.as_deref())?;
            outln!(
                "case {} ({} ~ {} [{}]): {} by {}",
                case.id,
                case.alert.counterparty_name,
                case.alert.caption,
                case.alert.entity_id,
                case.status.as_str(),
                case.reviewer.as_deref().unwrap_or(actor)
            )?;
            Ok(())
        }
    }
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width { s.to_string() } else { s.chars().take(width - 1).chain(['…']).collect() }
}
