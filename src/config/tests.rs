//! Settings: defaults, validation, and `.env.example` kept complete.

use std::collections::HashMap;

use super::{env::Env, read::database_url, *};

fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_map(&map)
}

#[test]
fn defaults_are_a_sandbox_on_sqlite() {
    let s = settings(&[]).unwrap();
    assert_eq!(s.port, 8080);
    assert_eq!(s.database_url, "sqlite://backroom.db?mode=rwc");
    assert!(s.whatsapp.sandbox());
    assert_eq!(
        s.whatsapp.graph_api_base,
        "https://graph.facebook.com/v21.0"
    );
}

#[test]
fn bad_values_name_the_variable() {
    let err = settings(&[("PORT", "eighty")]).unwrap_err();
    assert_eq!(err.var, "PORT");
    let err = settings(&[("STAFF_PHONES", "27825550101, call me")]).unwrap_err();
    assert_eq!(err.var, "STAFF_PHONES");
    let err = settings(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
    assert_eq!(err.var, "DATABASE_URL");
    let err = settings(&[("GRAPH_API_BASE", "ftp://x")]).unwrap_err();
    assert_eq!(err.var, "GRAPH_API_BASE");
    let err = settings(&[("WHATSAPP_PHONE_NUMBER_ID", "10600x")]).unwrap_err();
    assert_eq!(err.var, "WHATSAPP_PHONE_NUMBER_ID");
    let err = settings(&[("LLM_PROVIDER", "gemini")]).unwrap_err();
    assert_eq!(err.var, "GEMINI_API_KEY");
    let err = settings(&[("LLM_PROVIDER", "claude")]).unwrap_err();
    assert_eq!(err.var, "LLM_PROVIDER");
}

#[test]
fn staff_phones_are_normalised() {
    let s = settings(&[("STAFF_PHONES", "+27 82 555 0101, 15555550123")]).unwrap();
    assert_eq!(s.staff_phones, ["27825550101", "15555550123"]);
    let s = settings(&[
        ("OWNER_PHONES", "+1 555 555 0199"),
        ("MARK_AS_READ", "true"),
    ])
    .unwrap();
    assert_eq!(s.owner_phones, ["15555550199"]);
    assert!(s.shop.mark_as_read);
    let err = settings(&[("DEFAULT_LOW_STOCK_THRESHOLD", "-1")]).unwrap_err();
    assert_eq!(err.var, "DEFAULT_LOW_STOCK_THRESHOLD");
}

#[test]
fn sqlite_urls_create_missing_files() {
    assert_eq!(
        database_url(Some("sqlite:data/shop.db")).unwrap(),
        "sqlite://data/shop.db?mode=rwc"
    );
    assert_eq!(
        database_url(Some("sqlite://shop.db?mode=ro")).unwrap(),
        "sqlite://shop.db?mode=ro"
    );
}

#[test]
fn env_example_is_valid_and_complete() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/.env.example");
    let example: HashMap<String, String> = dotenvy::from_path_iter(path)
        .unwrap()
        .map(|kv| kv.unwrap())
        .collect();
    let env = Env::new(&example);
    Settings::read(&env).expect(".env.example holds valid values");
    let documented: std::collections::BTreeSet<&str> = example
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "RUST_LOG")
        .collect();
    let read: std::collections::BTreeSet<&str> = env.read.borrow().iter().copied().collect();
    assert_eq!(documented, read, ".env.example and the settings disagree");
}

const CONNECTED: [(&str, &str); 4] = [
    ("WHATSAPP_ACCESS_TOKEN", "EAAGm0PX4ZCps"),
    ("WHATSAPP_APP_SECRET", "app-secret-value"),
    ("WHATSAPP_PHONE_NUMBER_ID", "106000000000001"),
    (
        "SECRETS_KEY",
        "dGVzdC1zZWNyZXRzLWtleS0zMi1ieXRlcy1sb25nISE=",
    ),
];

#[test]
fn secrets_do_not_print() {
    let s = settings(&CONNECTED).unwrap();
    let printed = format!("{s:?}");
    for (_, secret) in [CONNECTED[0], CONNECTED[1], CONNECTED[3]] {
        assert!(!printed.contains(secret), "{printed}");
    }
}

/// With WhatsApp connected, each missing safeguard stops the start with its
/// variable named; in sandbox mode none of them is required.
#[test]
fn outside_sandbox_mode_the_safeguards_are_required() {
    for missing in [
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_PHONE_NUMBER_ID",
        "SECRETS_KEY",
    ] {
        let pairs: Vec<(&str, &str)> = CONNECTED
            .iter()
            .copied()
            .filter(|(k, _)| *k != missing)
            .collect();
        let err = settings(&pairs).unwrap_err();
        assert_eq!(err.var, missing, "{err}");
    }
    assert!(settings(&CONNECTED[1..]).unwrap().whatsapp.sandbox());
    let err = settings(&[("SECRETS_KEY", "too-short")]).unwrap_err();
    assert_eq!(err.var, "SECRETS_KEY");
    let err = settings(&[("TRUSTED_PROXY_HOPS", "-1")]).unwrap_err();
    assert_eq!(err.var, "TRUSTED_PROXY_HOPS");
}
