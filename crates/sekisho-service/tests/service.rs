//! The service on a real store file with small lists: delta screening, suppression, inputs.

use sekisho_lists::{Format, SourceList};
use sekisho_match::ScreenOptions;
use sekisho_model::{Entity, NameKind, Schema};
use sekisho_service::{
    AlertOutcome, CaseStatus, CounterpartyInput, Decision, Error, ListsInService, Service, Subject, version_matches,
};
use sekisho_store::{PreparedSnapshot, Store};

fn entity(id: &str, schema: Schema, names: &[&str]) -> Entity {
    let mut e = Entity::new(id, schema, "demo", id);
    e.add_name(names[0], NameKind::Primary);
    for alias in &names[1..] {
        e.add_name(alias, NameKind::Alias);
    }
    e
}

fn import(service: &mut Service, entities: Vec<Entity>, date: &str) -> i64 {
    let list = SourceList {
        source: "demo".into(),
        format: Format::FtmJson,
        publisher: "Demo".into(),
        list_date: Some(date.into()),
        files: vec![],
        entities,
    };
    let prepared = PreparedSnapshot::new(&list, "demo.jsonl", date).unwrap();
    service.store_mut().import(&prepared).unwrap().id
}

fn party(id: &str, name: &str, schema: &str) -> CounterpartyInput {
    CounterpartyInput { customer_id: Some(id.into()), name: name.into(), schema: Some(schema.into()), ..Default::default() }
}

#[test]
fn delta_screening_alerts_on_added_and_changed_entities_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut service = Service::new(Store::open(&dir.path().join("sekisho.db")).unwrap());
    let optics = entity("o1", Schema::Organization, &["Zvezda Precision Optics"]);
    let petrenko = entity("p1", Schema::Person, &["Viktor Ivanovich Petrenko"]);
    import(&mut service, vec![optics.clone(), petrenko.clone()], "2026-01-01");

    let saved = service
        .save_counterparties(
            "alice",
            &[
                party("A", "Zvezda Precision Optics", "Organization"),
                party("B", "Ahmad Karimi Rahimi", "Person"),
                party("C", "Viktor Ivanovich Petrenko", "Person"),
                party("D", "Sakura Bakery", "Company"),
            ],
        )
        .unwrap();
    let lists = ListsInService::load(service.store()).unwrap();
    let options = ScreenOptions::default();
    for (c, _) in &saved {
        service.screen_counterparty("alice", &lists, c, &options).unwrap();
    }
    let first = service.store().cases(None).unwrap();
    assert_eq!(first.iter().map(|c| c.alert.counterparty_key.as_str()).collect::<Vec<_>>(), ["id:C", "id:A"]);
    let optics_case = first.iter().find(|c| c.alert.counterparty_key == "id:A").unwrap().id;
    service.review_case("bob", optics_case, Decision::FalsePositive, "different company", None).unwrap();

    // v2: p2 added, o1 changed (an alias), p1 unchanged.
    let mut optics2 = optics.clone();
    optics2.add_name("Zvezda Optics JSC", NameKind::Alias);
    let rahimi = entity("p2", Schema::Person, &["Ahmad Karimi Rahimi"]);
    let v2 = import(&mut service, vec![optics2, petrenko, rahimi], "2026-02-01");
    let delta = service.delta_screen("system", &[v2]).unwrap();
    assert_eq!((delta.added, delta.changed, delta.counterparties), (1, 1, 4));
    let mut hits: Vec<(&str, &str)> =
        delta.hits.iter().map(|h| (h.counterparty_key.as_str(), h.matched.matched.entity_id.as_str())).collect();
    hits.sort();
    assert_eq!(hits, [("id:A", "o1"), ("id:B", "p2")]);
    assert_eq!(delta.opened, 2, "the changed o1 re-alerts despite the cleared case");

    // Run again over the same change: the cases exist, nothing new opens.
    let again = service.delta_screen("system", &[v2]).unwrap();
    assert_eq!((again.opened, again.already_open), (0, 2));
    assert!(again.hits.iter().all(|h| matches!(h.matched.alert, Some(AlertOutcome::AlreadyOpen(_)))));

    // Clearing the new o1 case suppresses it on the next full screening.
    let reopened = service.store().cases(Some(CaseStatus::Open)).unwrap();
    let new_optics = reopened.iter().find(|c| c.alert.counterparty_key == "id:A").unwrap();
    assert_ne!(new_optics.alert.entity_hash, first.iter().find(|c| c.id == optics_case).unwrap().alert.entity_hash);
    service.review_case("bob", new_optics.id, Decision::FalsePositive, "still a different company", None).unwrap();
    let lists = ListsInService::load(service.store()).unwrap();
    let a = service.store().counterparty("id:A").unwrap().unwrap();
    let record = service.screen_counterparty("alice", &lists, &a, &options).unwrap();
    assert_eq!(record.matches[0].alert, Some(AlertOutcome::Suppressed(new_optics.id)));

    let log = service.store().audit_records(None).unwrap();
    let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|&&a| a == "delta_screen").count(), 2);
    assert_eq!(actions.iter().filter(|&&a| a == "review").count(), 2);
    assert_eq!(service.store().verify_audit().unwrap().problem, None);
}

#[test]
fn no_saved_counterparties_means_no_delta_record() {
    let mut service = Service::new(Store::open_in_memory().unwrap());
    let id = import(&mut service, vec![entity("o1", Schema::Organization, &["Zvezda Precision Optics"])], "2026-01-01");
    let delta = service.delta_screen("system", &[id]).unwrap();
    assert_eq!((delta.audit_seq, delta.counterparties), (None, 0));
    assert!(service.store().audit_records(None).unwrap().is_empty());
}

#[test]
fn counterparty_inputs_are_checked_field_by_field() {
    let ok = CounterpartyInput {
        name: "  ACME Trading Ltd. ".into(),
        schema: Some("company".into()),
        country: Some("Japan".into()),
        birth_date: None,
        ..Default::default()
    }
    .validate()
    .unwrap();
    assert_eq!(ok.key, "name:acme trading ltd|Company|JP");
    assert_eq!(ok.country.as_deref(), Some("JP"));
    let bad = |input: CounterpartyInput, field: &str| {
        let err = input.validate().unwrap_err().to_string();
        assert!(err.contains(field), "{err}");
    };
    bad(CounterpartyInput { name: " ".into(), ..Default::default() }, "name");
    bad(CounterpartyInput { name: "A".into(), schema: Some("Robot".into()), ..Default::default() }, "schema");
    bad(CounterpartyInput { name: "A".into(), country: Some("Atlantis".into()), ..Default::default() }, "country");
    bad(CounterpartyInput { name: "A".into(), birth_date: Some("1990-13-45".into()), ..Default::default() }, "birth_date");
    let mut service = Service::new(Store::open_in_memory().unwrap());
    let err = service
        .save_counterparties("alice", &[party("A", "Fine Name", "Person"), party("B", "Other", "Robot")])
        .unwrap_err();
    assert!(err.to_string().contains("\"B\""), "{err}");
    assert!(service.store().counterparties().unwrap().is_empty(), "nothing saved when one input is wrong");
}

/// A caller that screens on its own index records through `record_screening`; a review of
/// a case someone already decided is refused without a record, and a page of cases counts.
#[test]
fn recorded_matches_open_cases_and_open_cases_are_decided_once() {
    let mut service = Service::new(Store::open_in_memory().unwrap());
    import(&mut service, vec![entity("p1", Schema::Person, &["Viktor Ivanovich Petrenko"])], "2026-01-01");
    let lists = ListsInService::load(service.store()).unwrap();
    let options = ScreenOptions::default();
    let query = sekisho_match::Query { name: "Viktor Petrenko".into(), schema: Some(Schema::Person), ..Default::default() };
    let found = lists.index.screen(&query, &options);
    let versioned = version_matches(service.store(), &lists.snapshots, found).unwrap();
    let subject = Subject {
        counterparty_key: "id:K-9".into(),
        name: "Viktor Petrenko".into(),
        query: serde_json::json!({"names": ["Viktor Petrenko"], "dataset": "default"}),
    };
    let record = service.record_screening("desk", &lists.snapshots, subject, versioned, &options).unwrap();
    let case = record.matches[0].alert.expect("an alert").case_id();
    assert_eq!(record.matches[0].alert, Some(AlertOutcome::Opened(case)));
    let log = service.store().audit_records(None).unwrap();
    assert_eq!((log[0].seq, log[0].actor.as_str()), (record.audit_seq.unwrap(), "desk"));
    assert_eq!(log[0].details["query"]["dataset"], "default");
    assert_eq!(log[0].details["lists"][0]["source"], "demo");
    assert_eq!(log[0].details["results"][0]["entity_hash"], record.matches[0].entity_hash);

    let decided = service.review_open_case("rev", case, Decision::FalsePositive, "born 1990", None).unwrap();
    assert_eq!((decided.status, decided.reviewer.as_deref()), (CaseStatus::FalsePositive, Some("rev")));
    let err = service.review_open_case("rev2", case, Decision::TrueMatch, "no, it is him", None).unwrap_err();
    assert!(
        matches!(&err, Error::Store(sekisho_store::Error::AlreadyReviewed { id, status: "false_positive", reviewer, .. })
            if *id == case && reviewer == "rev"),
        "{err}"
    );
    assert!(matches!(
        service.review_open_case("rev", 99, Decision::TrueMatch, "x", None),
        Err(Error::Store(sekisho_store::Error::NoCase(99)))
    ));
    let log = service.store().audit_records(None).unwrap();
    assert_eq!(log.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["screen", "review"], "refusals leave no record");

    let (page, total) = service.store().cases_page(Some(CaseStatus::Open), 10, 0).unwrap();
    assert_eq!((page.len(), total), (0, 0));
    let (page, total) = service.store().cases_page(None, 10, 0).unwrap();
    assert_eq!((page[0].id, total), (case, 1));
    assert_eq!(service.store().cases_page(None, 10, 1).unwrap(), (vec![], 1));
}
