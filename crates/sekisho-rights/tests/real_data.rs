//! The import and the assessment against the real files in `../shared/data/human-rights`
//! (skipped with a notice when absent). The expected figures were read independently from
//! the same files with a Python one-off (openpyxl for the workbooks, csv for V-Dem).

use std::sync::OnceLock;

use sekisho_lists::shared_data_dir;
use sekisho_rights::{
    Effect, EndUserType, FiwStatus, IndicatorSet, RiskLevel, SourceId, Thresholds, assess,
};

/// The imported set, once per test binary; `None` when the shared data is absent.
fn set() -> Option<&'static IndicatorSet> {
    static SET: OnceLock<Option<IndicatorSet>> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = shared_data_dir()?.join("human-rights");
        if !dir.is_dir() {
            eprintln!("notice: {} not found; skipping this test", dir.display());
            return None;
        }
        Some(IndicatorSet::import(&dir).expect("the shared human-rights files import"))
    })
    .as_ref()
}

#[test]
fn sources_carry_hash_years_and_credit() {
    let Some(set) = set() else { return };
    let fiw = set.source(SourceId::FreedomHouse).unwrap();
    assert_eq!(fiw.file, "All_data_FIW_2013-2024.xlsx");
    assert_eq!((fiw.first_year, fiw.last_year), (2013, 2024));
    assert_eq!(fiw.credit, "Freedom House, Freedom in the World");
    assert_eq!(fiw.sha256.len(), 64);
    let wgi = set.source(SourceId::Wgi).unwrap();
    assert_eq!((wgi.first_year, wgi.last_year), (1996, 2023));
    assert!(wgi.credit.contains("CC BY 4.0"));
    let vdem = set.source(SourceId::Vdem).unwrap();
    assert_eq!((vdem.first_year, vdem.last_year), (1968, 2023));
    assert!(vdem.credit.contains("CC BY-SA 4.0"));
}

#[test]
fn country_counts_per_source() {
    let Some(set) = set() else { return };
    // FIW: 195 countries ("c") in all editions, plus the three territories with a code of
    // their own that no country row has: Hong Kong, Western Sahara, Puerto Rico (rated to
    // the 2016 edition only).
    assert_eq!(set.source(SourceId::FreedomHouse).unwrap().countries, 198);
    let fiw_2024 = set
        .countries
        .values()
        .filter(|c| c.fiw_latest().is_some_and(|r| r.edition == 2024))
        .count();
    assert_eq!(
        fiw_2024, 197,
        "210 rows in the 2024 edition less 13 territories not used"
    );
    // WGI: 214 (code, name) pairs, all mapped (ZAR, WBG and KSV through their codes).
    assert_eq!(set.source(SourceId::Wgi).unwrap().countries, 214);
    // V-Dem: 172 (code, name) pairs, less three former states.
    assert_eq!(set.source(SourceId::Vdem).unwrap().countries, 169);
    assert_eq!(set.countries.len(), 215);
}

#[test]
fn unmapped_names_are_listed_with_reasons() {
    let Some(set) = set() else { return };
    let names = |source| {
        let mut v: Vec<&str> = set
            .unmapped
            .iter()
            .filter(|u| u.source == source)
            .map(|u| u.name.as_str())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names(SourceId::FreedomHouse),
        [
            "Abkhazia",
            "Crimea",
            "Eastern Donbas",
            "Gaza Strip",
            "Indian Kashmir",
            "Nagorno-Karabakh",
            "Northern Cyprus",
            "Pakistani Kashmir",
            "Somaliland",
            "South Ossetia",
            "Tibet",
            "Transnistria",
            "West Bank",
        ]
    );
    assert!(
        names(SourceId::Wgi).is_empty(),
        "{:?}",
        names(SourceId::Wgi)
    );
    assert_eq!(
        names(SourceId::Vdem),
        [
            "German Democratic Republic (DDR)",
            "Republic of Vietnam (VDR)",
            "South Yemen (YMD)"
        ]
    );
    let crimea = set.unmapped.iter().find(|u| u.name == "Crimea").unwrap();
    assert!(crimea.reason.contains("UA"), "{}", crimea.reason);
    assert!(set.unmapped.iter().all(|u| !u.reason.is_empty()));
    // Ukraine keeps its own rating, not Crimea's.
    let ua = set.country("UA").unwrap().fiw_latest().unwrap();
    assert_eq!((ua.name.as_str(), ua.status), ("Ukraine", FiwStatus::PF));
}

#[test]
fn freedom_house_spot_checks_2024() {
    let Some(set) = set() else { return };
    for (iso2, status, pr, cl, total) in [
        ("JP", FiwStatus::F, 1, 1, 96),
        ("NO", FiwStatus::F, 1, 1, 98),
        ("CN", FiwStatus::NF, 7, 6, 9),
        ("KP", FiwStatus::NF, 7, 7, 3),
        ("RU", FiwStatus::NF, 7, 6, 13),
        ("XK", FiwStatus::PF, 3, 4, 60),
    ] {
        let r = set.country(iso2).unwrap().fiw_latest().unwrap();
        assert_eq!(r.edition, 2024, "{iso2}");
        assert_eq!(
            (r.status, r.pr_rating, r.cl_rating, r.total),
            (status, pr, cl, total),
            "{iso2}"
        );
    }
    let hk = set.country("HK").unwrap().fiw_latest().unwrap();
    assert!(hk.territory);
    assert_eq!((hk.status, hk.total), (FiwStatus::PF, 41));
}

#[test]
fn wgi_spot_checks_2023() {
    let Some(set) = set() else { return };
    for (iso2, va_est, va_pct, rl_pct) in [
        ("JP", 1.105505, 85.294121, 92.452827),
        ("CN", -1.504554, 7.352941, 52.830189),
        ("NO", 1.777254, 100.0, 99.056602),
        ("KP", -1.979209, 0.0, 5.660378),
        ("RU", -1.285540, 13.235294, 12.264150),
        ("XK", -0.088809, 43.137257, 41.509434),
        ("CD", -1.213330, 15.686275, 4.716981),
    ] {
        let r = set.country(iso2).unwrap().wgi_latest().unwrap();
        assert_eq!(r.year, 2023, "{iso2}");
        let va = r.voice_accountability.unwrap();
        let rl = r.rule_of_law.unwrap();
        assert!(
            (va.estimate - va_est).abs() < 1e-5,
            "{iso2} VA estimate {}",
            va.estimate
        );
        assert!(
            (va.percentile - va_pct).abs() < 1e-4,
            "{iso2} VA percentile {}",
            va.percentile
        );
        assert!(
            (rl.percentile - rl_pct).abs() < 1e-4,
            "{iso2} RL percentile {}",
            rl.percentile
        );
    }
}

#[test]
fn vdem_spot_checks_2023() {
    let Some(set) = set() else { return };
    for (iso2, cso, lib, expr) in [
        ("CN", 0.034, 0.213, 0.048),
        ("JP", 0.955, 0.963, 0.854),
        ("NO", 0.976, 0.944, 0.949),
    ] {
        let r = set.country(iso2).unwrap().vdem_latest().unwrap();
        assert_eq!(r.year, 2023);
        assert_eq!(
            (
                r.civil_society.unwrap(),
                r.liberties.unwrap(),
                r.expression.unwrap()
            ),
            (cso, lib, expr),
            "{iso2}"
        );
    }
    // Kosovo is XK in V-Dem ("XKX") as in the other two sources.
    assert_eq!(
        set.country("XK").unwrap().vdem_latest().unwrap().name,
        "Kosovo"
    );
}

#[test]
fn high_risk_destination_with_security_service_is_high() {
    let Some(set) = set() else { return };
    let th = Thresholds::default_bundled();
    let a = assess(set, "KP", EndUserType::SecurityService, &th);
    assert_eq!(a.level, RiskLevel::High);
    assert_eq!(a.destination_level, RiskLevel::High);
    let codes: Vec<&str> = a.reasons.iter().map(|r| r.code.as_ref()).collect();
    for code in [
        "HR-FIW-NF",
        "HR-WGI-VA-LOW",
        "HR-VDEM-CSO-LOW",
        "HR-ENDUSER-SECURITY",
        "HR-LEVEL-HIGH",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    // Every indicator reason names its source's credit line and year, in both languages.
    for r in a.reasons.iter().filter(|r| r.source.is_some()) {
        assert_eq!(
            r.credit.as_deref(),
            r.source.map(SourceId::credit),
            "{}",
            r.code
        );
        assert!(
            r.year.is_some() && !r.text_en.is_empty() && !r.text_ja.is_empty(),
            "{}",
            r.code
        );
        assert!(r.citation.contains("2021/821") && r.citation.contains("Code of Conduct"));
    }
    let nf = a.reasons.iter().find(|r| r.code == "HR-FIW-NF").unwrap();
    assert!(
        nf.text_en.contains("Not Free") && nf.text_en.contains("2024"),
        "{}",
        nf.text_en
    );
    assert!(
        nf.text_ja.contains("自由でない") && nf.text_ja.contains("2024年版"),
        "{}",
        nf.text_ja
    );
}

#[test]
fn free_destination_with_commercial_user_is_low_and_police_raises_it() {
    let Some(set) = set() else { return };
    let th = Thresholds::default_bundled();
    for iso2 in ["NO", "JP", "DE"] {
        let a = assess(set, iso2, EndUserType::Commercial, &th);
        assert_eq!(a.level, RiskLevel::Low, "{iso2}: {:#?}", a.reasons);
        assert_eq!(a.points, 0);
        assert!(a.reasons.iter().all(|r| r.effect != Effect::Concern));
        assert_eq!(a.reasons.last().unwrap().code, "HR-LEVEL-LOW");
    }
    let police = assess(set, "NO", EndUserType::Police, &th);
    assert_eq!(police.level, RiskLevel::Medium);
    let military = assess(set, "NO", EndUserType::Military, &th);
    assert_eq!(
        military.level,
        RiskLevel::Low,
        "military is raised only where the destination shows a concern"
    );
}

#[test]
fn destination_missing_from_every_source_is_unknown_with_a_reason() {
    let Some(set) = set() else { return };
    let th = Thresholds::default_bundled();
    // Antarctica is in the ISO table but in no source; "ZZ" is no country at all.
    for iso2 in ["AQ", "zz"] {
        let a = assess(set, iso2, EndUserType::Commercial, &th);
        assert_eq!(a.level, RiskLevel::Unknown, "{iso2}");
        let codes: Vec<&str> = a.reasons.iter().map(|r| r.code.as_ref()).collect();
        assert!(
            codes.contains(&"HR-FIW-MISSING")
                && codes.contains(&"HR-WGI-MISSING")
                && codes.contains(&"HR-VDEM-MISSING")
        );
        let last = a.reasons.last().unwrap();
        assert_eq!(last.code, "HR-LEVEL-UNKNOWN");
        assert!(last.text_en.contains("not low"), "{}", last.text_en);
        assert!(last.text_ja.contains("判定不能"), "{}", last.text_ja);
        assert_eq!(
            codes.contains(&"HR-COUNTRY-UNKNOWN"),
            iso2 == "zz",
            "{iso2}"
        );
    }
}

#[test]
fn stale_or_single_source_destinations_are_not_called_low() {
    let Some(set) = set() else { return };
    let th = Thresholds::default_bundled();
    // Freedom House last rated Puerto Rico in 2016: too old; WGI alone cannot call it low.
    let a = assess(set, "PR", EndUserType::Commercial, &th);
    assert_eq!(a.level, RiskLevel::Unknown);
    assert!(
        a.reasons
            .iter()
            .any(|r| r.code == "HR-FIW-STALE" && r.year == Some(2016))
    );
}

#[test]
fn snapshot_round_trips_through_json() {
    let Some(set) = set() else { return };
    let json = serde_json::to_string(set).unwrap();
    let back: IndicatorSet = serde_json::from_str(&json).unwrap();
    assert_eq!(back.sources, set.sources);
    assert_eq!(back.unmapped, set.unmapped);
    assert!(back.countries.keys().eq(set.countries.keys()));
    // serde_json (without its float_roundtrip feature) may read a float back one unit in
    // the last place off; the assessments must not change.
    let th = Thresholds::default_bundled();
    for iso2 in set.countries.keys() {
        for end_user in EndUserType::ALL {
            assert_eq!(
                assess(&back, iso2, end_user, &th),
                assess(set, iso2, end_user, &th),
                "{iso2}"
            );
        }
    }
    let a = assess(
        set,
        "CN",
        EndUserType::Police,
        &Thresholds::default_bundled(),
    );
    let json = serde_json::to_string(&a).unwrap();
    assert!(
        json.contains("\"end_user\":\"police\"") && json.contains("\"level\":\"high\""),
        "{json}"
    );
    assert_eq!(
        serde_json::from_str::<sekisho_rights::RiskAssessment>(&json).unwrap(),
        a
    );
}

#[test]
fn levels_across_all_countries_with_the_bundled_thresholds() {
    let Some(set) = set() else { return };
    let th = Thresholds::default_bundled();
    let mut by_level = std::collections::BTreeMap::new();
    for iso2 in set.countries.keys() {
        let a = assess(set, iso2, EndUserType::Commercial, &th);
        by_level
            .entry(a.level)
            .or_insert_with(Vec::new)
            .push(iso2.as_str());
        // A clean result needs at least two sources with current values.
        if a.level == RiskLevel::Low {
            let used = a
                .reasons
                .iter()
                .filter_map(|r| r.source.filter(|_| r.effect != Effect::Missing));
            let mut used: Vec<SourceId> = used.collect();
            used.dedup();
            assert!(used.len() >= 2, "{iso2} low on {used:?}");
        }
    }
    let counts: Vec<(RiskLevel, usize)> = by_level.iter().map(|(l, v)| (*l, v.len())).collect();
    eprintln!("commercial end user, bundled thresholds: {counts:?}");
    for (level, v) in &by_level {
        eprintln!("{level:?}: {}", v.join(" "));
    }
    // The figures README.md quotes.
    assert_eq!(
        counts,
        [
            (RiskLevel::Low, 109),
            (RiskLevel::Medium, 35),
            (RiskLevel::High, 53),
            (RiskLevel::Unknown, 18)
        ]
    );
}

#[test]
fn latest_only_assesses_the_same_in_a_fraction_of_the_space() {
    let Some(set) = set() else { return };
    let th = Thresholds::default_bundled();
    let small = set.latest_only();
    for iso2 in set.countries.keys() {
        for end_user in EndUserType::ALL {
            assert_eq!(
                assess(&small, iso2, end_user, &th),
                assess(set, iso2, end_user, &th),
                "{iso2}"
            );
        }
    }
    let (full, compact) = (
        serde_json::to_string(set).unwrap().len(),
        serde_json::to_string(&small).unwrap().len(),
    );
    eprintln!("snapshot JSON: full {full} bytes, latest only {compact}");
    assert!(compact * 10 < full, "{compact} bytes of {full}");
}

#[test]
fn as_of_an_earlier_year_uses_the_values_of_then() {
    let Some(set) = set() else { return };
    let then = set.as_of(2020);
    let cn = then.country("CN").unwrap();
    assert_eq!(cn.fiw_latest().unwrap().edition, 2020);
    assert_eq!(cn.wgi_latest().unwrap().year, 2020);
    assert_eq!(cn.vdem_latest().unwrap().year, 2020);
    assert_eq!(then.source(SourceId::FreedomHouse).unwrap().last_year, 2020);
    assert_eq!(then.source(SourceId::Vdem).unwrap().last_year, 2020);
    let a = assess(
        &then,
        "CN",
        EndUserType::Commercial,
        &Thresholds::default_bundled(),
    );
    assert_eq!(a.level, RiskLevel::High);
    assert!(
        a.reasons
            .iter()
            .filter(|r| r.source.is_some())
            .all(|r| r.year == Some(2020))
    );
    // Before any source began, nothing is known.
    assert!(set.as_of(1900).countries.is_empty());
}
