//! Country names as the control-list sources write them → ISO 3166-1 alpha-2.
//!
//! [`sekisho_model::country::to_iso2`] knows the spellings of the sanctions lists; the
//! control-list sources add a few of their own (a misspelling in the Country Chart, the
//! EU's "French overseas territories", "China (including Hong Kong and Macao)"). They are
//! listed here, each with the file that writes it, so that nothing is guessed silently.

/// Spellings only the control-list sources use, mapped to one or more ISO-2 codes.
const SOURCE_SPELLINGS: &[(&str, &[&str])] = &[
    // country-chart.json misspells the Seychelles row.
    ("Seycheles", &["SC"]),
    ("Sint Maarten (the Dutch two-fifths of the island of Saint Martin)", &["SX"]),
    ("Micronesia (Federated State of)", &["FM"]),
    ("South Sudan, Republic of", &["SS"]),
    ("Congo (Democratic Republic of the)", &["CD"]),
    ("Congo (Republic of the)", &["CG"]),
    // country-groups.json; Country Group B writes Côte d'Ivoire with a lower-case L.
    ("China (PRC)", &["CN"]),
    ("Cote d'lvoire", &["CI"]),
    // EU Annex II: the GEAs name China with its special administrative regions.
    ("China (including Hong Kong and Macao)", &["CN", "HK", "MO"]),
    ("Switzerland, including Liechtenstein", &["CH", "LI"]),
    ("Switzerland including Liechtenstein", &["CH", "LI"]),
    // EU Annex II: the overseas countries and territories of France (Annex II TFEU):
    // New Caledonia, French Polynesia, the French Southern and Antarctic Lands, Wallis and
    // Futuna, Saint Pierre and Miquelon, Saint Barthélemy.
    ("French overseas territories", &["NC", "PF", "TF", "WF", "PM", "BL"]),
    ("Myanmar/Burma", &["MM"]),
    // EU008 writes "Congo" beside "Democratic Republic of the Congo": the Republic.
    ("Congo", &["CG"]),
    // 輸出貿易管理令 writes short Japanese names; the ISO table has the long forms
    // (オーストラリア連邦, 中央アフリカ共和国, キルギス共和国).
    ("英国", &["GB"]),
    ("オーストラリア", &["AU"]),
    ("中央アフリカ", &["CF"]),
    ("キルギス", &["KG"]),
];

/// The ISO-2 codes a name stands for (usually one), or `None` if it is unknown.
pub(crate) fn codes_for(name: &str) -> Option<Vec<String>> {
    let name = name.trim();
    if let Some((_, codes)) = SOURCE_SPELLINGS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Some(codes.iter().map(|c| c.to_string()).collect());
    }
    sekisho_model::country::to_iso2(name).map(|c| vec![c.to_string()])
}

/// The single ISO-2 code of a name that must stand for exactly one country.
pub(crate) fn code_for(name: &str) -> Option<String> {
    match codes_for(name) {
        Some(codes) if codes.len() == 1 => codes.into_iter().next(),
        _ => None,
    }
}
