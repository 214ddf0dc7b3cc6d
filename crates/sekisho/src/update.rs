//! `sekisho lists update`: download, verify, import, swap. A source that fails any check
//! keeps its previous snapshot in service.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use sekisho_lists::{Format, InputFile};
use sekisho_store::{PreparedSnapshot, SnapshotInfo, Store};
use serde::Deserialize;

use crate::import::{Stored, rfc3339, store_snapshots};
use crate::lists::describe;

const DEFAULT_CONFIG: &str = include_str!("../../../config/sources.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    limits: Limits,
    sources: BTreeMap<String, SourceConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Limits {
    max_shrink: f64,
    max_bytes: u64,
    timeout_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_shrink: 0.5, max_bytes: 200_000_000, timeout_seconds: 300 }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceConfig {
    urls: Vec<String>,
}

/// Reads the sources config. The data home's config (`is_default`) is created from the
/// built-in one on first use; a config named on the command line must exist.
fn load_config(path: &Path, is_default: bool) -> Result<Config> {
    if is_default && !path.exists() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, DEFAULT_CONFIG)
            .with_context(|| format!("cannot write default config {}", path.display()))?;
        eprintln!("wrote the default sources config to {}; edit it to change URLs", path.display());
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{}: invalid sources config", path.display()))
}

/// What an update run did: the snapshots it put into service and the sources that failed.
pub struct Updated {
    pub new: Vec<SnapshotInfo>,
    pub failed: Vec<String>,
}

pub fn run(store: &mut Store, config_path: &Path, is_default: bool, only: &[String], force: bool) -> Result<Updated> {
    let config = load_config(config_path, is_default)?;
    for name in only {
        if !config.sources.contains_key(name) {
            let known: Vec<&str> = config.sources.keys().map(String::as_str).collect();
            bail!("{name:?} is not in {} (known: {})", config_path.display(), known.join(", "));
        }
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(config.limits.timeout_seconds)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut failed = Vec::new();
    let mut new = Vec::new();
    for (name, source) in &config.sources {
        if !only.is_empty() && !only.contains(name) {
            continue;
        }
        match update_source(store, &agent, &config.limits, name, source, force) {
            Ok(Stored::New(info)) => {
                outln!("updated {}", describe(&info))?;
                new.push(info);
            }
            Ok(Stored::Unchanged(info)) => outln!("updated {} (unchanged)", describe(&info))?,
            Err(e) => {
                let kept = store
                    .active_snapshots()?
                    .into_iter()
                    .find(|s| &s.source == name)
                    .map_or("no snapshot of it is in service yet".to_string(), |s| {
                        format!("snapshot {} stays in service", s.id)
                    });
                eprintln!("error: {name}: {e:#}; {kept}");
                failed.push(name.clone());
            }
        }
    }
    Ok(Updated { new, failed })
}

fn update_source(
    store: &mut Store,
    agent: &ureq::Agent,
    limits: &Limits,
    name: &str,
    source: &SourceConfig,
    force: bool,
) -> Result<Stored> {
    if source.urls.is_empty() {
        bail!("no urls configured");
    }
    let retrieved_at = rfc3339(SystemTime::now());
    let mut files = Vec::new();
    for url in &source.urls {
        files.push(download(agent, url, limits.max_bytes)?);
    }
    let origin = source.urls.join(" ");
    let list = sekisho_lists::load_files(Path::new(&source.urls[0]), files)?;
    if list.format != Format::FtmJson && list.source != name {
        bail!("the downloaded files are a {} list ({}), not {name}", list.format, list.source);
    }
    let active = store.active_snapshots()?.into_iter().find(|s| s.source == list.source);
    if let Some(active) = &active {
        let floor = (active.entity_count as f64 * (1.0 - limits.max_shrink)).ceil() as usize;
        if list.entities.len() < floor && !force {
            bail!(
                "the new list has {} entities, the one in service {}: more than {:.0}% fewer; \
                 check the source, or accept it with --force",
                list.entities.len(),
                active.entity_count,
                limits.max_shrink * 100.0
            );
        }
    }
    let prepared = PreparedSnapshot::new(&list, &origin, &retrieved_at)?;
    Ok(store_snapshots(store, std::slice::from_ref(&prepared))?.remove(0))
}

/// Downloads one file with a progress bar, refusing HTTP errors, HTML pages served in place
/// of data, empty bodies and bodies shorter than their Content-Length.
fn download(agent: &ureq::Agent, url: &str, max_bytes: u64) -> Result<InputFile> {
    let mut response = agent.get(url).call().with_context(|| format!("cannot download {url}"))?;
    let status = response.status();
    if !status.is_success() {
        bail!("{url}: HTTP {status}");
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("text/html") {
        bail!("{url}: served {content_type} (an error or landing page?) instead of list data");
    }
    let expected = response.body().content_length();
    let bar = ProgressBar::new(expected.unwrap_or(0));
    bar.set_style(
        ProgressStyle::with_template("{msg:40!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let file_name = url.rsplit('/').next().filter(|s| !s.is_empty()).unwrap_or("download").to_string();
    bar.set_message(file_name.clone());
    let mut reader = response.body_mut().with_config().limit(max_bytes).reader();
    let mut bytes = Vec::with_capacity(expected.unwrap_or(0) as usize);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut chunk).with_context(|| format!("{url}: download broke off"))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    if let Some(expected) = expected.filter(|&n| n != bytes.len() as u64) {
        bail!("{url}: truncated download, {} of {expected} bytes", bytes.len());
    }
    if bytes.is_empty() {
        bail!("{url}: empty file");
    }
    Ok(InputFile::new(file_name, bytes))
}
