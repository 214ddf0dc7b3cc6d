//! API keys: hashed at rest, verified by plaintext, revocable, one live key per name.

use sekisho_store::{ApiRole, Error, Store};

#[test]
fn a_created_key_verifies_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    let (key, info) = store.create_api_key("ops desk", ApiRole::Screener).unwrap();
    assert!(key.starts_with("sks_") && key.len() == 52, "{key}");
    assert!(key.starts_with(&info.prefix) && info.prefix.len() < key.len() / 2);
    assert_eq!((info.name.as_str(), info.role), ("ops desk", ApiRole::Screener));

    assert_eq!(store.verify_api_key(&key).unwrap(), Some(info.clone()));
    assert_eq!(store.verify_api_key("sks_wrong").unwrap(), None);
    assert_eq!(store.verify_api_key(&key[..key.len() - 1]).unwrap(), None);

    // The key itself is nowhere in the database file, only its hash.
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    let wal = std::fs::read(path.with_extension("db-wal")).unwrap_or_default();
    for data in [&bytes, &wal] {
        assert!(!data.windows(key.len()).any(|w| w == key.as_bytes()), "plaintext key stored");
    }
    let mut store = Store::open(&path).unwrap();

    let revoked = store.revoke_api_key("ops desk").unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(store.verify_api_key(&key).unwrap(), None);
    assert!(matches!(store.revoke_api_key("ops desk"), Err(Error::UnknownApiKey(_))));
    // The name is free again; the revoked key stays on record.
    let (again, _) = store.create_api_key("ops desk", ApiRole::Admin).unwrap();
    assert_ne!(again, key);
    let all = store.list_api_keys().unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].revoked_at.is_some() && all[1].revoked_at.is_none());
    assert_eq!(all[1].role, ApiRole::Admin);
}

#[test]
fn names_are_unique_among_live_keys_and_roles_are_ordered() {
    let mut store = Store::open_in_memory().unwrap();
    store.create_api_key("a", ApiRole::Reviewer).unwrap();
    assert!(matches!(store.create_api_key("a", ApiRole::Admin), Err(Error::ApiKeyExists(_))));
    assert!(matches!(store.create_api_key("  ", ApiRole::Admin), Err(Error::InvalidApiKeyName(_))));
    assert!(ApiRole::Screener < ApiRole::Reviewer && ApiRole::Reviewer < ApiRole::Admin);
    assert_eq!(ApiRole::parse("ADMIN"), Some(ApiRole::Admin));
    assert_eq!(ApiRole::parse("root"), None);
}

/// Every change to the keys, by this process or another (or by hand), moves the generation
/// on that a server's key cache is checked against; reads do not.
#[test]
fn the_key_generation_moves_on_every_change_from_any_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    let server = Store::open(&path).unwrap();
    let g0 = server.api_keys_generation().unwrap();
    let (key, _) = store.create_api_key("desk", ApiRole::Screener).unwrap();
    let g1 = server.api_keys_generation().unwrap();
    assert_ne!(g1, g0);
    assert!(server.verify_api_key(&key).unwrap().is_some());
    assert_eq!(server.api_keys_generation().unwrap(), g1, "a read is not a change");
    store.revoke_api_key("desk").unwrap();
    let g2 = server.api_keys_generation().unwrap();
    assert_ne!(g2, g1);
    // An edit made outside sekisho (the triggers live in the database file).
    rusqlite::Connection::open(&path).unwrap().execute("UPDATE api_keys SET role = 'admin'", []).unwrap();
    assert_ne!(server.api_keys_generation().unwrap(), g2);
}
