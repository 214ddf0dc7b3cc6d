//! `sekisho`: screen names against restricted-party lists and keep those lists current.

#[macro_use]
mod out;
mod audit;
mod batch;
mod cases;
mod counterparties;
mod data_dir;
mod determine;
mod home;
mod import;
mod keys;
mod lists;
mod rights;
mod rules;
mod screen;
mod serve;
mod update;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc: list parsing and index building allocate many small strings; the system
/// allocator spent a quarter of the time there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "sekisho", version, about = "Export-control and sanctions screening (関所)")]
struct Cli {
    /// Data home holding the store (default: the platform's data directory + /sekisho).
    #[arg(long, env = "SEKISHO_HOME", global = true)]
    home: Option<PathBuf>,
    /// Who acts, as the audit trail records it (default: $USER).
    #[arg(long, env = "SEKISHO_ACTOR", global = true)]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Manage restricted-party list snapshots.
    Lists {
        #[command(subcommand)]
        command: lists::ListsCommand,
    },
    /// Screen a name against the lists in service.
    Screen(screen::ScreenArgs),
    /// Compare two names and explain the score.
    Compare(screen::CompareArgs),
    /// Serve the screening API over HTTP (yente-compatible /match, /search, /entities).
    Serve(serve::ServeArgs),
    /// Manage API keys for `sekisho serve`.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// The audit trail: verify, export, prune.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Alerts awaiting review, and reviewers' decisions.
    Cases {
        #[command(subcommand)]
        command: cases::CasesCommand,
    },
    /// Saved counterparties, screened again whenever a list changes.
    Counterparties {
        #[command(subcommand)]
        command: counterparties::CounterpartiesCommand,
    },
    /// Licence determination of a transaction under JP, US and EU law (JSON in; report or JSON out).
    Determine(determine::DetermineArgs),
    /// Human-rights risk of a destination and end user (EU 2021/821 Art. 5, ECHRI).
    Rights {
        #[command(subcommand)]
        command: rights::RightsCommand,
    },
    /// The rulebook of official control-list data: import, show.
    Rules {
        #[command(subcommand)]
        command: rules::RulesCommand,
    },
    /// Classification support (該非判定): search the control lists, record decisions.
    Classify {
        #[command(subcommand)]
        command: rules::ClassifyCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let home = match home::Home::resolve(cli.home) {
        Ok(home) => home,
        Err(e) => return report(e),
    };
    let actor = home::actor(cli.actor);
    let result = match cli.command {
        Command::Lists { command } => lists::run(&home, &actor, command),
        Command::Screen(args) => screen::run(&home, &actor, args),
        Command::Compare(args) => screen::run_compare(args),
        Command::Serve(args) => serve::run(&home, args),
        Command::Keys { command } => keys::run(&home, command),
        Command::Audit { command } => audit::run(&home, &actor, command),
        Command::Cases { command } => cases::run(&home, &actor, command),
        Command::Counterparties { command } => counterparties::run(&home, &actor, command),
        Command::Rights { command } => rights::run(command),
        Command::Determine(args) => determine::run(&home, &actor, args),
        Command::Rules { command } => rules::run_rules(&home, &actor, command),
        Command::Classify { command } => rules::run_classify(&home, &actor, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`| head`): nothing left to tell anyone.
        Err(e) if out::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => report(e),
    }
}

fn report(e: anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::FAILURE
}
