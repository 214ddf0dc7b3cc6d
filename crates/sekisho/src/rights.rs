//! `sekisho rights`: the human-rights risk of a destination and end user (EU 2021/821 Art. 5,
//! ECHRI), from the Freedom House, WGI and V-Dem files of a folder.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use sekisho_rights::{EndUserType, IndicatorSet, RiskAssessment, Thresholds, assess};

#[derive(Subcommand)]
pub enum RightsCommand {
    /// Assess a destination (ISO-2 code or name, English or Japanese) for an end-user type.
    Assess {
        /// Destination country, e.g. "CN", "China" or "中国".
        country: String,
        /// The end user's type: police, security_service, intelligence, military,
        /// other_government, state_owned, commercial, academic, individual or unknown.
        #[arg(long, value_parser = parse_end_user, default_value = "unknown")]
        end_user: EndUserType,
        #[command(flatten)]
        source: SourceArgs,
        /// A thresholds file to use in place of the bundled one.
        #[arg(long)]
        thresholds: Option<PathBuf>,
        /// Print the assessment as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The imported sources (file, SHA-256, years, credit) and the names not mapped.
    Sources {
        #[command(flatten)]
        source: SourceArgs,
        #[arg(long)]
        json: bool,
    },
    /// Print the bundled thresholds file, a starting point for your own.
    Thresholds,
}

#[derive(Args)]
pub struct SourceArgs {
    /// Folder with the Freedom House, WGI and V-Dem files (default: $SEKISHO_RIGHTS_DATA if
    /// set, else $SEKISHO_SHARED_DATA/human-rights, else ../shared/data/human-rights).
    #[arg(long)]
    data: Option<PathBuf>,
}

fn parse_end_user(name: &str) -> Result<EndUserType, String> {
    EndUserType::parse(name).ok_or_else(|| {
        let known: Vec<&str> = EndUserType::ALL.iter().map(|t| t.as_str()).collect();
        format!(
            "unknown end-user type {name:?}: use one of {}",
            known.join(", ")
        )
    })
}

pub fn run(command: RightsCommand) -> Result<()> {
    match command {
        RightsCommand::Assess {
            country,
            end_user,
            source,
            thresholds,
            json,
        } => {
            let Some(iso2) = sekisho_model::country::to_iso2(&country) else {
                bail!("unknown country {country:?}: give an ISO 3166-1 code or a country name");
            };
            let th = match thresholds {
                Some(path) => Thresholds::load(&path)?,
                None => Thresholds::default_bundled(),
            };
            let set = import(&crate::data_dir::rights_data(source.data))?;
            let a = assess(&set, iso2, end_user, &th);
            if json {
                outln!("{}", serde_json::to_string_pretty(&a)?)?;
            } else {
                print_assessment(&a)?;
            }
        }
        RightsCommand::Sources { source, json } => {
            let set = import(&crate::data_dir::rights_data(source.data))?;
            if json {
                let view = serde_json::json!({"sources": set.sources, "unmapped": set.unmapped});
                outln!("{}", serde_json::to_string_pretty(&view)?)?;
            } else {
                for s in &set.sources {
                    outln!("{}  {} countries  {}", s.file, s.countries, s.data_date)?;
                    outln!("    sha256 {}", s.sha256)?;
                    outln!("    credit: {}", s.credit)?;
                    outln!("    terms: {}", s.licence)?;
                }
                outln!("not mapped to a country ({}):", set.unmapped.len())?;
                for u in &set.unmapped {
                    outln!("    {:?}: {} — {}", u.source, u.name, u.reason)?;
                }
            }
        }
        RightsCommand::Thresholds => outln!("{}", sekisho_rights::BUNDLED_TOML.trim_end())?,
    }
    Ok(())
}

fn import(dir: &Path) -> Result<IndicatorSet> {
    IndicatorSet::import(dir)
        .with_context(|| format!("importing human-rights indicators from {}", dir.display()))
}

fn print_assessment(a: &RiskAssessment) -> Result<()> {
    let name_en = sekisho_model::country::name_en(&a.country).unwrap_or("");
    let name_ja = sekisho_model::country::name_ja(&a.country).unwrap_or("");
    outln!(
        "{} {name_en} / {name_ja}, end user {}: risk {}",
        a.country,
        a.end_user.as_str(),
        a.level.as_str().to_uppercase()
    )?;
    for r in &a.reasons {
        outln!("  {}", r.code)?;
        outln!("    {}", r.text_en)?;
        outln!("    {}", r.text_ja)?;
        if let Some(credit) = &r.credit {
            outln!("    source: {credit}")?;
        }
    }
    if let Some(r) = a.reasons.first() {
        outln!("citation: {}", r.citation)?;
    }
    Ok(())
}
