//! The data home: where the store and the sources config live.

use std::path::PathBuf;

use anyhow::{Context, Result};
use sekisho_service::Service;
use sekisho_store::Store;

pub struct Home {
    pub dir: PathBuf,
}

impl Home {
    /// `--home` / `SEKISHO_HOME`, else the platform data directory (`~/.local/share/sekisho`).
    pub fn resolve(explicit: Option<PathBuf>) -> Result<Home> {
        let dir = match explicit {
            Some(dir) => dir,
            None => dirs::data_dir()
                .context("no platform data directory; set SEKISHO_HOME")?
                .join("sekisho"),
        };
        Ok(Home { dir })
    }

    pub fn store_path(&self) -> PathBuf {
        self.dir.join("sekisho.db")
    }

    pub fn sources_config(&self) -> PathBuf {
        self.dir.join("sources.toml")
    }

    pub fn open_store(&self) -> Result<Store> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create data home {}", self.dir.display()))?;
        Ok(Store::open(&self.store_path())?)
    }

    pub fn open_service(&self) -> Result<Service> {
        Ok(Service::new(self.open_store()?))
    }
}

/// The actor the audit trail records: `--actor` / `SEKISHO_ACTOR`, else the login name,
/// else "unknown" (said so in each record rather than refusing to work).
pub fn actor(explicit: Option<String>) -> String {
    explicit
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}
