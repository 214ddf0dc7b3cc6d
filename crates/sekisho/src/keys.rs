//! `sekisho keys`: API keys for the HTTP service.

use anyhow::Result;
use clap::Subcommand;
use sekisho_store::ApiRole;

use crate::home::Home;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create a key; it is shown once and only its hash is stored.
    Create {
        /// Who or what uses the key (unique among live keys).
        name: String,
        #[arg(long, value_parser = parse_role, default_value = "screener")]
        role: ApiRole,
    },
    /// List keys (never the keys themselves).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke the live key of this name; a running server refuses it within a millisecond.
    Revoke { name: String },
}

fn parse_role(s: &str) -> Result<ApiRole, String> {
    ApiRole::parse(s).ok_or_else(|| format!("unknown role {s:?}: use screener, reviewer or admin"))
}

pub fn run(home: &Home, command: KeysCommand) -> Result<()> {
    let mut store = home.open_store()?;
    match command {
        KeysCommand::Create { name, role } => {
            let (key, info) = store.create_api_key(&name, role)?;
            // The key is shown only once: a broken pipe here must not pass as success.
            outln!("{key}").map_err(|e| {
                anyhow::anyhow!("key {name:?} was created but could not be printed ({e}); revoke it with `sekisho keys revoke {name}`")
            })?;
            eprintln!("created {} key {:?}; store it now, it is not shown again", info.role, info.name);
        }
        KeysCommand::List { json } => {
            let keys = store.list_api_keys()?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&keys)?)?;
            } else if keys.is_empty() {
                outln!("no API keys")?;
            } else {
                outln!("{:<24} {:<9} {:<14} {:<21} revoked", "name", "role", "prefix", "created")?;
                for k in keys {
                    outln!(
                        "{:<24} {:<9} {:<14} {:<21} {}",
                        k.name,
                        k.role,
                        format!("{}…", k.prefix),
                        k.created_at,
                        k.revoked_at.as_deref().unwrap_or("-")
                    )?;
                }
            }
        }
        KeysCommand::Revoke { name } => {
            let info = store.revoke_api_key(&name)?;
            outln!("revoked {} key {:?}", info.role, info.name)?;
        }
    }
    Ok(())
}
