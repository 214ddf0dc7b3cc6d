//! Building a [`Rulebook`] from the reference folder (`../shared/data/control`):
//! `us-ear/*.json`, `eu-dual-use/annex.json`, `jp-egov/324CO0000000378_*.xml` and
//! `jp-egov/jp-countries.json`, and FEFTA (`jp-egov/324AC0000000228_*.xml` with its English
//! translation memory `jp-egov/jlt-*-FEFTA-ja-en.tmx`). All files are read and checked before anything is returned:
//! an import either yields a whole rulebook or an error naming the file and place.

mod eu;
mod fefta;
pub(crate) mod json;
mod jp;
pub(crate) mod us;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::{ImportError, Rulebook, RulebookVersion, SourceRef, crossref};
use json::Node;
use sekisho_xml::Element;

/// The e-Gov law id of 輸出貿易管理令; its files are named `<id>_<date>_<amending law>.xml`.
const EXPORT_ORDER_ID: &str = "324CO0000000378";
/// The e-Gov law id of 外国為替及び外国貿易法 (FEFTA).
const FEFTA_ID: &str = "324AC0000000228";

const US_CREDIT: &str = "U.S. Government work (public domain); JSON digest by \
github.com/seelpeed-debug/export-controls-agent-mcp (MIT)";
const JP_ORDER_CREDIT: &str = "e-Gov 法令データ (デジタル庁), PDL1.0; 法令は著作権の目的とならない (著作権法第13条)";
const JP_TRANSLATION_CREDIT: &str = "Japanese Law Translation (法務省 日本法令外国語訳データベース), \
unofficial translation; reuse with source indication";
const JP_DIGEST_CREDIT: &str = "JSON digest of e-Gov data by github.com/OSUGIYAMA/EyeWarnYou (Apache-2.0)";

/// One source file read whole, with its digest.
struct Source {
    path: PathBuf,
    relative: String,
    bytes: Vec<u8>,
    sha256: String,
}

fn read(dir: &Path, relative: &str) -> Result<Source, ImportError> {
    let path = dir.join(relative);
    let bytes = std::fs::read(&path).map_err(|source| ImportError::Read { path: path.clone(), source })?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    Ok(Source { path, relative: relative.to_string(), bytes, sha256 })
}

/// The newest file in `jp-egov/` whose name starts with `prefix` and ends with `suffix`
/// (e-Gov file names carry the version date, so the newest sorts last).
fn newest_file(dir: &Path, prefix: &str, suffix: &str, what: &str) -> Result<String, ImportError> {
    let folder = dir.join("jp-egov");
    let entries = std::fs::read_dir(&folder).map_err(|source| ImportError::Read { path: folder.clone(), source })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .collect();
    names.sort();
    names
        .pop()
        .map(|n| format!("jp-egov/{n}"))
        .ok_or_else(|| ImportError::Missing { path: folder, what: format!("{what} ({prefix}*{suffix})") })
}

/// "…/324CO0000000378_20260214_507CO0000000376.xml" → "2026-02-14".
fn egov_date(relative: &str) -> Option<String> {
    let date = relative.rsplit('/').next()?.split('_').nth(1)?;
    (date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]))
}

impl Rulebook {
    /// Imports every source under `dir` (the layout of `../shared/data/control`).
    pub fn import(dir: &Path) -> Result<Rulebook, ImportError> {
        let ccl = read(dir, "us-ear/ccl.json")?;
        let chart = read(dir, "us-ear/country-chart.json")?;
        let groups = read(dir, "us-ear/country-groups.json")?;
        let exceptions = read(dir, "us-ear/license-exception-catalog.json")?;
        let annex = read(dir, "eu-dual-use/annex.json")?;
        let order = read(dir, &newest_file(dir, EXPORT_ORDER_ID, ".xml", "輸出貿易管理令 as e-Gov XML")?)?;
        let digest = read(dir, "jp-egov/jp-countries.json")?;
        let fefta = read(dir, &newest_file(dir, FEFTA_ID, ".xml", "外国為替及び外国貿易法 as e-Gov XML")?)?;
        let fefta_tmx = read(dir, &newest_file(dir, "jlt-", "FEFTA-ja-en.tmx", "FEFTA translation memory")?)?;

        let ccl_json = json::parse(&ccl.path, &ccl.bytes)?;
        let chart_json = json::parse(&chart.path, &chart.bytes)?;
        let groups_json = json::parse(&groups.path, &groups.bytes)?;
        let exceptions_json = json::parse(&exceptions.path, &exceptions.bytes)?;
        let annex_json = json::parse(&annex.path, &annex.bytes)?;
        let digest_json = json::parse(&digest.path, &digest.bytes)?;
        let order_xml = parse_xml(&order)?;
        let fefta_xml = parse_xml(&fefta)?;
        let tmx_xml = parse_xml(&fefta_tmx)?;

        let us_files = us::UsFiles {
            ccl: Node::root(&ccl.path, &ccl_json),
            chart: Node::root(&chart.path, &chart_json),
            groups: Node::root(&groups.path, &groups_json),
            exceptions: Node::root(&exceptions.path, &exceptions_json),
        };
        let us = us::import(&us_files)?;
        let annex_root = Node::root(&annex.path, &annex_json);
        let eu = eu::import(&annex_root)?;
        let digest_root = Node::root(&digest.path, &digest_json);
        let mut jp = jp::import(&order.path, &order_xml, &digest_root)?;
        let memory = fefta::translation_memory(&fefta_tmx.path, &tmx_xml)?;
        jp.fefta = fefta::articles(&fefta.path, &fefta_xml, &memory)?;
        let tmx_date = tmx_xml
            .child("header")
            .and_then(|h| h.attribute("creationdate"))
            .and_then(|d| d.get(..8))
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .map(|d| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
            .ok_or_else(|| ImportError::field(&fefta_tmx.path, "<tmx><header creationdate>", "no creation date"))?;

        let ecfr = |node: &Node<'_>| node.get_str("ecfrIssueDate").map(String::from);
        let cite = |node: &Node<'_>| node.get_str("citation").map(String::from);
        let sources = vec![
            source_ref("US Commerce Control List", &ccl, ecfr(&us_files.ccl)?, cite(&us_files.ccl)?, US_CREDIT),
            source_ref("US Commerce Country Chart", &chart, ecfr(&us_files.chart)?, cite(&us_files.chart)?, US_CREDIT),
            source_ref("US Country Groups", &groups, ecfr(&us_files.groups)?, cite(&us_files.groups)?, US_CREDIT),
            source_ref(
                "US License Exceptions",
                &exceptions,
                ecfr(&us_files.exceptions)?,
                cite(&us_files.exceptions)?,
                US_CREDIT,
            ),
            source_ref(
                "EU Dual-Use Regulation Annex I and II",
                &annex,
                annex_root.get_str("valid_from")?.to_string(),
                format!("Regulation (EU) 2021/821, consolidated text CELEX {}", annex_root.get_str("corpus_version")?),
                annex_root.get_str("attribution")?,
            ),
            source_ref(
                "輸出貿易管理令 (Export Trade Control Order)",
                &order,
                egov_date(&order.relative).ok_or_else(|| ImportError::Missing {
                    path: order.path.clone(),
                    what: "a date (YYYYMMDD) in the e-Gov file name".into(),
                })?,
                "輸出貿易管理令（昭和二十四年政令第三百七十八号）".to_string(),
                JP_ORDER_CREDIT,
            ),
            source_ref(
                "外国為替及び外国貿易法 (Foreign Exchange and Foreign Trade Act)",
                &fefta,
                egov_date(&fefta.relative).ok_or_else(|| ImportError::Missing {
                    path: fefta.path.clone(),
                    what: "a date (YYYYMMDD) in the e-Gov file name".into(),
                })?,
                "外国為替及び外国貿易法（昭和二十四年法律第二百二十八号）".to_string(),
                JP_ORDER_CREDIT,
            ),
            source_ref(
                "FEFTA English translation (unofficial)",
                &fefta_tmx,
                tmx_date,
                "Foreign Exchange and Foreign Trade Act (Act No. 228 of 1949), Japanese Law Translation".to_string(),
                JP_TRANSLATION_CREDIT,
            ),
            source_ref(
                "Japan country lists digest",
                &digest,
                digest_root.get("stamp")?.get_str("asOf")?.to_string(),
                "輸出貿易管理令 別表第二の四, 別表第三, 別表第三の二, 別表第四 (digest)".to_string(),
                JP_DIGEST_CREDIT,
            ),
        ];

        let crossrefs = crossref::build(&us, &eu, &jp);
        let mut rulebook = Rulebook {
            version: RulebookVersion { id: String::new(), imported_at: now_rfc3339(), sources },
            us,
            eu,
            jp,
            crossrefs,
        };
        rulebook.version.id = rulebook.content_id();
        Ok(rulebook)
    }

    /// `sha256:` + the digest of everything but `version` itself, and the sources' digests.
    /// Serialisation is deterministic (maps are ordered), so the same files give the same id.
    pub fn content_id(&self) -> String {
        let mut hasher = Sha256::new();
        for source in &self.version.sources {
            hasher.update(source.file.as_bytes());
            hasher.update(b"\0");
            hasher.update(source.sha256.as_bytes());
            hasher.update(b"\n");
        }
        let body = serde_json::to_vec(&(&self.us, &self.eu, &self.jp, &self.crossrefs))
            .expect("rulebook data serialises: plain strings, numbers and maps");
        hasher.update(&body);
        format!("sha256:{}", hex::encode(hasher.finalize()))
    }
}

fn source_ref(name: &str, source: &Source, data_date: String, citation: String, credit: &str) -> SourceRef {
    SourceRef {
        name: name.to_string(),
        file: source.relative.clone(),
        sha256: source.sha256.clone(),
        data_date,
        citation,
        credit: credit.to_string(),
    }
}

fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The element tree of an XML source; a structural fault names the file and line.
fn parse_xml(source: &Source) -> Result<Element<'_>, ImportError> {
    sekisho_xml::parse(&source.bytes).map_err(|e| ImportError::Xml { path: source.path.clone(), line: e.line, message: e.message })
}

/// The text of an e-Gov element and everything inside it, in order; ruby readings (`<Rt>`)
/// are not part of the sentence.
pub(crate) fn law_text(element: &Element<'_>) -> String {
    element.deep_text(&["Rt"])
}
