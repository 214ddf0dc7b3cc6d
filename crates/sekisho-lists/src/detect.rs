//! Format detection from file content, so that a renamed or downloaded file still parses.

use std::fmt;

use crate::{InputFile, Parsed, ParseError, csl, dpl, ftm, meti, mof, ofac, un};

/// The official list formats sekisho reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// OFAC SDN legacy CSV set: sdn.csv, add.csv, alt.csv, sdn_comments.csv.
    OfacSdnCsv,
    /// UN Security Council consolidated list XML.
    UnScXml,
    /// trade.gov Consolidated Screening List CSV (12 US lists).
    TradeGovCsl,
    /// BIS Denied Persons List, tab-separated dpl.txt.
    BisDpl,
    /// METI 外国ユーザーリスト Excel.
    MetiEndUser,
    /// MOF 経済制裁措置及び対象者リスト Excel.
    MofAssetFreeze,
    /// FollowTheMoney entities, one JSON object per line.
    FtmJson,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::OfacSdnCsv,
        Format::UnScXml,
        Format::TradeGovCsl,
        Format::BisDpl,
        Format::MetiEndUser,
        Format::MofAssetFreeze,
        Format::FtmJson,
    ];

    /// The source (dataset) name entities of this format are filed under. FtM files name
    /// their own datasets.
    pub fn source(self) -> &'static str {
        match self {
            Format::OfacSdnCsv => "us_ofac_sdn",
            Format::UnScXml => "un_sc_sanctions",
            Format::TradeGovCsl => "us_trade_csl",
            Format::BisDpl => "us_bis_dpl",
            Format::MetiEndUser => "jp_meti_end_user",
            Format::MofAssetFreeze => "jp_mof_asset_freeze",
            Format::FtmJson => "ftm",
        }
    }

    pub fn publisher(self) -> &'static str {
        match self {
            Format::OfacSdnCsv => "U.S. Department of the Treasury, Office of Foreign Assets Control",
            Format::UnScXml => "United Nations Security Council",
            Format::TradeGovCsl => "U.S. International Trade Administration (Commerce, State, Treasury)",
            Format::BisDpl => "U.S. Department of Commerce, Bureau of Industry and Security",
            Format::MetiEndUser => "経済産業省 Ministry of Economy, Trade and Industry",
            Format::MofAssetFreeze => "財務省 Ministry of Finance",
            Format::FtmJson => "FollowTheMoney data (publisher named by its datasets)",
        }
    }

    pub fn sniff(self, file: &InputFile) -> bool {
        match self {
            Format::OfacSdnCsv => ofac::sniff(file),
            Format::UnScXml => un::sniff(file),
            Format::TradeGovCsl => csl::sniff(file),
            Format::BisDpl => dpl::sniff(file),
            Format::MetiEndUser => meti::sniff(file),
            Format::MofAssetFreeze => mof::sniff(file),
            Format::FtmJson => ftm::sniff(file),
        }
    }

    pub fn parse(self, files: &[InputFile]) -> Result<Parsed, ParseError> {
        match self {
            Format::OfacSdnCsv => ofac::parse(files),
            Format::UnScXml => un::parse(files),
            Format::TradeGovCsl => csl::parse(files),
            Format::BisDpl => dpl::parse(files),
            Format::MetiEndUser => meti::parse(files),
            Format::MofAssetFreeze => mof::parse(files),
            Format::FtmJson => ftm::parse(files),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Format::OfacSdnCsv => "OFAC SDN CSV",
            Format::UnScXml => "UN SC consolidated XML",
            Format::TradeGovCsl => "trade.gov CSL CSV",
            Format::BisDpl => "BIS DPL text",
            Format::MetiEndUser => "METI End User List Excel",
            Format::MofAssetFreeze => "MOF asset-freeze Excel",
            Format::FtmJson => "FtM JSON",
        };
        f.write_str(name)
    }
}

/// The format of one file, judged by its content.
pub fn detect(file: &InputFile) -> Option<Format> {
    Format::ALL.into_iter().find(|format| format.sniff(file))
}
