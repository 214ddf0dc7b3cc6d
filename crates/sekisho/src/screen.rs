//! `sekisho screen` (being written).
use anyhow::Result;

use crate::home::Home;

#[derive(clap::Args)]
pub struct ScreenArgs {
    pub name: String,
}

pub fn run(_home: &Home, _args: ScreenArgs) -> Result<()> {
    anyhow::bail!("screening is not built yet")
}
