//! Screening across katakana and Latin: names that Japanese lists write by sound or translate
//! word by word find the Latin listing, and among equal scores the name written as the query
//! comes first.

use sekisho_match::{OPERATING_THRESHOLD, Query, ScreenOptions, ScreeningIndexBuilder};
use sekisho_model::{Entity, NameKind, Schema};

fn entity(id: &str, schema: Schema, source: &str, name: &str) -> Entity {
    let mut e = Entity::new(id, schema, source, id);
    e.add_name(name, NameKind::Primary);
    e
}

fn screen(entities: &[Entity], name: &str, schema: Schema) -> Vec<(String, f64)> {
    let index = ScreeningIndexBuilder::new().build(entities);
    let query = Query { name: name.to_string(), schema: Some(schema), ..Query::default() };
    index.screen(&query, &ScreenOptions::default()).into_iter().map(|m| (m.entity_id, m.score)).collect()
}

/// Russian names as Japanese writes them: ウ for в before a consonant, ジ for ди, ワ for ва.
#[test]
fn russian_names_in_katakana_find_their_latin_listing() {
    let listed = [
        entity("a", Schema::Person, "un", "Vladimir ANTONOV"),
        entity("b", Schema::Person, "un", "KONONOV, Ivan"),
        entity("c", Schema::Person, "un", "Vladislav BERDICHEVSKY"),
    ];
    for (query, id) in [("ウラジーミル・アントノフ", "a"), ("イワン・コノノフ", "b"), ("ウラジスラフ・ベルディチェフスキー", "c")] {
        let matches = screen(&listed, query, Schema::Person);
        assert!(matches.first().is_some_and(|(e, s)| e == id && *s >= OPERATING_THRESHOLD), "{query}: {matches:?}");
    }
}

/// English words of an organisation's name that katakana renders (ディフェンス, エージェンシー)
/// are translated, and a name written like the query ranks before a translation of equal score.
#[test]
fn katakana_organisation_names_meet_the_english_and_the_verbatim_name_ranks_first() {
    let listed = [
        entity("csl-1", Schema::Organization, "csl", "KOREA OCEAN SHIPPING AGENCY"),
        entity("mof-1", Schema::Organization, "mof", "コリア・オーシャン・シッピング・エージェンシー"),
        entity("un-1", Schema::Organization, "un", "ACADEMY OF NATIONAL DEFENSE SCIENCE"),
    ];
    let matches = screen(&listed, "コリア・オーシャン・シッピング・エージェンシー", Schema::Organization);
    assert_eq!(matches.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>()[..2], ["mof-1", "csl-1"], "{matches:?}");
    assert!(matches[1].1 >= OPERATING_THRESHOLD);
    let matches = screen(&listed, "Korea Ocean Shipping Agency", Schema::Organization);
    assert_eq!(matches[0].0, "csl-1", "{matches:?}");
    let matches = screen(&listed, "アカデミー・オブ・ナショナル・ディフェンス・サイエンス", Schema::Organization);
    assert!(matches.first().is_some_and(|(e, s)| e == "un-1" && *s >= OPERATING_THRESHOLD), "{matches:?}");
}

/// Of one entity's names that score alike, the one written as the query is the name shown:
/// a UN entry lists the Arabic original beside its romanisation, and a query in Arabic
/// script sees the Arabic name, not the Latin one that met it as well.
#[test]
fn of_an_entitys_equal_names_the_one_written_as_the_query_is_shown() {
    let mut un = Entity::new("un-1", Schema::Person, "un", "TARIQ AZIZ");
    un.add_name("TARIQ AZIZ", NameKind::Primary);
    un.add_name("طارق عزيز", NameKind::Alias);
    let index = ScreeningIndexBuilder::new().build(&[un]);
    for query in ["طارق عزيز", "TARIQ AZIZ"] {
        let matches = index.screen(&Query::name(query), &ScreenOptions::default());
        assert_eq!(matches.first().map(|m| m.matched_name.as_str()), Some(query), "{matches:?}");
    }
}

/// Lists repeat each other's names (the CSL holds the SDN's): every entity holding the name is
/// reported with the same score, although the index keeps and aligns the name once.
#[test]
fn a_name_listed_by_several_entities_is_reported_for_each() {
    let listed = [
        entity("sdn-1", Schema::Person, "sdn", "KIM Jong Un"),
        entity("csl-1", Schema::Person, "csl", "KIM Jong Un"),
        entity("un-1", Schema::Person, "un", "KIM Jong Un"),
        entity("un-2", Schema::Person, "un", "KIM Yo Jong"),
    ];
    for query in ["Kim Jong-un", "キム・ジョンウン", "김정은"] {
        let matches = screen(&listed, query, Schema::Person);
        let mut ids: Vec<&str> = matches.iter().filter(|(_, s)| *s == matches[0].1).map(|(e, _)| e.as_str()).collect();
        ids.sort();
        assert_eq!(ids, ["csl-1", "sdn-1", "un-1"], "{query}: {matches:?}");
        assert!(matches[0].1 >= OPERATING_THRESHOLD, "{query}: {matches:?}");
    }
}

/// A phonetic match shows the spellings whose keys met, whichever of a token's spellings
/// that was (ウラジーミル meets Vladimir through its Slavic spelling, not its Hepburn one).
#[test]
fn a_phonetic_match_shows_the_spellings_that_met() {
    use sekisho_match::score::How;
    use sekisho_match::translit::kana::phonetic_key;
    for (a, b) in [("ウラジーミル・アントノフ", "Vladimir ANTONOV"), ("السيد احمد", "Sayyid Ahmad")] {
        let comparison = sekisho_match::compare(a, b, Some(Schema::Person));
        let phonetic: Vec<_> = comparison.explanation.tokens.iter().filter(|t| t.how == How::Phonetic).collect();
        assert!(!phonetic.is_empty(), "{a} / {b}: {:?}", comparison.explanation.summary);
        for t in phonetic {
            assert_eq!(phonetic_key(&t.query_key), phonetic_key(&t.listed_key), "{a} / {b}: {}", comparison.explanation.summary);
        }
    }
}

/// An English name in katakana meets its spelling by its consonants (ジェームズ is jemuzu,
/// James has an a that sounds e); a Russian given name of other vowels does not.
#[test]
fn english_names_in_katakana_meet_by_ear() {
    let score = |a: &str, b: &str| sekisho_match::compare(a, b, Some(Schema::Person)).score;
    assert!(score("ジェームズ・パーカー", "James PARKER") >= OPERATING_THRESHOLD, "{}", score("ジェームズ・パーカー", "James PARKER"));
    assert!(score("ロバート・グリーン", "GREEN, Robert") >= OPERATING_THRESHOLD);
    assert!(score("イリーナ・パーカー", "Elena PARKER") < OPERATING_THRESHOLD);
}
