//! What changed in OFAC's SDN list between the 2019 and the 2021 publication, through
//! `sekisho_lists::diff`. Every number and case here was checked by hand or with Python's
//! csv module directly against the raw files, not against this parser. Countries resolve
//! through `sekisho_model::country::to_iso2`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use sekisho_lists::{ListDiff, diff, shared_list};

/// The diff of the two publications, computed once for all tests of this file.
fn vintages() -> Option<&'static ListDiff> {
    static DIFF: OnceLock<Option<ListDiff>> = OnceLock::new();
    DIFF.get_or_init(|| {
        let old = sekisho_lists::load(&shared_list("ofac-sdn-2019")?).unwrap();
        let new = sekisho_lists::load(&shared_list("ofac-sdn-2021")?).unwrap();
        Some(diff(&old.entities, &new.entities))
    })
    .as_ref()
}

/// One entity's changes: property → (added, removed), values sorted.
fn changes_of(d: &ListDiff, id: &str) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let change = d
        .changed
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} unchanged"));
    change
        .changes
        .iter()
        .map(|p| (p.property.clone(), (p.added.clone(), p.removed.clone())))
        .collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

#[test]
fn counts_between_2019_and_2021() {
    let Some(d) = vintages() else { return };
    // ent_num sets: 8976 in 2021, 7379 in 2019, 7118 in both. Changed: entities whose sdn.csv
    // columns, Remarks with continuation, address or alias rows differ (add_num and alt_num
    // aside), computed on the raw files; the diff finds exactly the same 842 ids.
    assert_eq!(d.added.len(), 1858);
    assert_eq!(d.removed.len(), 261);
    assert_eq!(d.changed.len(), 842);
    assert_eq!(d.unchanged, 6276);
    // Per property, also from the raw files: Program sets, alt.csv aka/nka sets, address
    // rows, SDN_Name, Remarks text.
    let touching = |property: &str| {
        d.changed
            .iter()
            .filter(|c| c.changes.iter().any(|p| p.property == property))
            .count()
    };
    assert_eq!(touching("program"), 311);
    assert_eq!(touching("alias"), 77);
    assert_eq!(touching("address"), 61);
    assert_eq!(touching("name"), 20);
    assert_eq!(touching("notes"), 633);
}

#[test]
fn added_and_removed_entities() {
    let Some(d) = vintages() else { return };
    // Designated after 2019: the last row of the 2021 sdn.csv, in no 2019 file.
    let djibo = d.added.iter().find(|e| e.id == "ofac-32391").unwrap();
    assert_eq!(
        (djibo.schema.as_str(), djibo.caption.as_str()),
        ("Person", "DJIBO, Ousmane Illiassou")
    );
    // Delisted: a Cuban bank director in 2019's sdn.csv, in no 2021 file.
    let cruz = d.removed.iter().find(|e| e.id == "ofac-587").unwrap();
    assert_eq!(
        (cruz.schema.as_str(), cruz.caption.as_str()),
        ("Person", "CRUZ, Juan M. de la")
    );
    assert!(
        d.removed
            .iter()
            .all(|e| !d.added.iter().any(|a| a.id == e.id))
    );
}

#[test]
fn irgc_gains_aliases_programmes_and_an_address() {
    let Some(d) = vintages() else { return };
    let c = changes_of(d, "ofac-10391");
    // Program "SDGT] [NPWMD] [IRGC] [IFSR] [IRAN-HR] [HRIT-IR" gains FTO and ELECTION-EO13848.
    assert_eq!(
        c["program"],
        (strings(&["ELECTION-EO13848", "FTO"]), vec![])
    );
    // alt.csv: eight new rows 42196-42203, alt 10181 respelt
    // PASDARAN- → PASDARN-, alt 10189 dropped.
    assert_eq!(
        c["alias"],
        (
            strings(&[
                "ARMY OF THE GUARDIANS OF THE ISLAMIC REVOLUTION",
                "IRAN'S REVOLUTIONARY GUARD CORPS",
                "IRAN'S REVOLUTIONARY GUARDS",
                "ISLAMIC REVOLUTION GUARDS CORPS",
                "ISLAMIC REVOLUTIONARY GUARDS",
                "ISLAMIC REVOLUTIONARY GUARDS CORPS",
                "PASDARN-E ENGHELAB-E ISLAMI",
                "SEPAH-E PASDARAN ENGHELAB ISLAMI",
                "SEPAH-E PASDARAN-E ENGHELAB-E ESLAMI",
            ]),
            strings(&[
                "IRANIAN REVOLUTIONARY GUARD CORPS",
                "PASDARAN-E ENGHELAB-E ISLAMI"
            ]),
        )
    );
    // add.csv row 40535: country only.
    assert_eq!(c["address"], (strings(&["Syria"]), vec![]));
    assert_eq!(c["country"], (strings(&["SY"]), vec![]));
    assert_eq!(c.len(), 4);
}

#[test]
fn a_renamed_ministry_with_new_addresses() {
    let Some(d) = vintages() else { return };
    let c = changes_of(d, "ofac-10392");
    assert_eq!(
        c["name"],
        (
            strings(&["MINISTRY OF DEFENSE AND ARMED FORCES LOGISTICS"]),
            strings(&["MINISTRY OF DEFENSE FOR ARMED FORCES LOGISTICS"])
        )
    );
    // The old primary name comes back as alias 42000.
    assert!(
        c["alias"]
            .0
            .contains(&"MINISTRY OF DEFENSE FOR ARMED FORCES LOGISTICS".to_string())
    );
    assert_eq!(c["alias"].0.len(), 6);
    assert_eq!(
        c["address"],
        (
            strings(&[
                "Ferdowsi Avenue, Sarhang Sakhaei Street, Tehran, Iran",
                "PO Box 11365-8439, Pasdaran Ave., Tehran, Iran",
                "West side of Dabestan Street, Abbas Abad District, Tehran, Iran",
            ]),
            strings(&[
                "located on the west side of Dabestan Street, Abbas Abad District, Tehran, Iran"
            ])
        )
    );
    assert_eq!(
        c["program"],
        (strings(&["IRAN-CON-ARMS-EO", "SDGT"]), vec![])
    );
    assert_eq!(
        c["linkedTo"],
        (
            strings(&["ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"]),
            vec![]
        )
    );
    // Still in Tehran, Iran: no country change.
    assert_eq!(
        c.keys().collect::<Vec<_>>(),
        ["address", "alias", "linkedTo", "name", "notes", "program"]
    );
}

#[test]
fn remarks_changes_show_as_structured_facts() {
    let Some(d) = vintages() else { return };
    // 2021 adds "DOB 16 Aug 1972; POB Hrodna, Belarus; ... Gender Male" and a new title.
    let c = changes_of(d, "ofac-10138");
    assert_eq!(c["birthDate"], (strings(&["1972-08-16"]), vec![]));
    assert_eq!(c["birthPlace"], (strings(&["Hrodna, Belarus"]), vec![]));
    assert_eq!(c["gender"], (strings(&["male"]), vec![]));
    assert_eq!(
        c["title"],
        (
            strings(&["Justice Minister of the Republic of Belarus"]),
            strings(&["Head of the Public Associations Department, Ministry of Justice"])
        )
    );
    assert_eq!(c["alias"], (strings(&["SLIZHEVSKIY, Oleg"]), vec![]));
    assert_eq!(c["address"], (strings(&["Minsk, Belarus"]), vec![]));
    assert_eq!(c["country"], (strings(&["BY"]), vec![]));
}

#[test]
fn a_programme_only_change() {
    let Some(d) = vintages() else { return };
    // Program "NPWMD] [IFSR" → "NPWMD] [IFSR] [IRAN-CON-ARMS-EO"; nothing else differs.
    let c = changes_of(d, "ofac-10153");
    assert_eq!(c.len(), 1);
    assert_eq!(c["program"], (strings(&["IRAN-CON-ARMS-EO"]), vec![]));
}
