//! The holes an attacker found, each tried again through the real binary:
//! sign-in codes, unsigned webhooks, forged client addresses, token guessing,
//! scope checks, and the sandbox reaching real people.

use std::{collections::HashMap, process::Command, time::Duration};

use backroom::{api::auth::Scope, storage::Db};
use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    both_databases,
    crash::Server,
    dashboard::Browser,
    fake_graph::FakeGraph,
    helpers::{self, TestDb, eventually, stock},
};

pub(crate) const OWNER: &str = "15555550199";

both_databases!(
    sign_in_codes_are_never_readable,
    limits_count_the_real_client,
    authority_comes_before_the_body,
    the_sandbox_never_touches_real_people,
);

/// A connected server's settings (WhatsApp on, against the fake Graph API).
pub(crate) fn connected(db: &TestDb, graph: &FakeGraph) -> HashMap<String, String> {
    let mut env = helpers::base_env(db, graph);
    env.insert("OWNER_PHONES".into(), OWNER.into());
    env
}

pub(crate) async fn token(db: &Db, scope: Scope) -> String {
    backroom::api::auth::create(db, "attacker", &[scope])
        .await
        .unwrap()
        .token
}

/// Every 6-digit run in a text: what a reader could try as a code.
fn six_digit_runs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            if run.len() == 6 {
                found.push(run.clone());
            }
            run.clear();
        }
    }
    found
}

async fn get_json(url: &str, bearer: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .get(url)
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

/// A read-only token once listed `/api/v1/messages` with the owner's sign-in
/// code in it (also while the code was held), and signed in with it. Now the
/// code is stored nowhere readable — not the outbox, events, logs, API or
/// pages — yet still reaches the owner's WhatsApp.
async fn sign_in_codes_are_never_readable(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let server = Server::start(&connected(&test_db, &graph));
    let db = test_db.connect().await;
    let read = token(&db, Scope::Read).await;
    let mut browser = Browser::at(&server.addr);

    // The owner has not written in 24 hours: the first code is held…
    browser.post("/login", &[("phone", OWNER)]).await;
    eventually("the code held", Duration::from_secs(10), || async {
        let rows = backroom::storage::outbound::list(&db).await.unwrap();
        rows.iter().any(|r| r.status == "held").then_some(())
    })
    .await;
    // …and goes out when they write; a second code goes out at once.
    let hello = helpers::text_webhook(&[("wamid.owner-hi", OWNER, "hi")]);
    let hello = String::from_utf8(hello)
        .unwrap()
        .replace(helpers::STAFF, OWNER);
    assert_eq!(server.post(hello.as_bytes()).await, 200);
    let codes = || {
        graph
            .texts()
            .iter()
            .filter(|t| t.contains("sign-in code"))
            .flat_map(|t| six_digit_runs(t))
            .collect::<Vec<_>>()
    };
    eventually("the held code sent", Duration::from_secs(10), || async {
        (codes().len() == 1).then_some(())
    })
    .await;
    browser.post("/login", &[("phone", OWNER)]).await;
    let sent = eventually("both codes sent", Duration::from_secs(10), || async {
        let c = codes();
        (c.len() == 2).then_some(c)
    })
    .await;

    // The read token sees the messages, masked.
    let (status, page) = get_json(
        &format!("{}/api/v1/messages?contact={OWNER}&limit=200", server.addr),
        &read,
    )
    .await;
    assert_eq!(status, 200);
    let listed = page.to_string();
    assert!(listed.contains("sign-in code is ••••••"), "{listed}");
    // Nothing else stores or shows it either: the outbox, events, logs.
    let outbox: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT preview, content, sealed FROM outbound_messages")
            .fetch_all(db.pool())
            .await
            .unwrap();
    let events: Vec<(String,)> = sqlx::query_as("SELECT data FROM events")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let stored = format!("{outbox:?} {events:?}");
    let logs = server.logs().join("\n");
    for code in &sent {
        assert!(!listed.contains(code.as_str()), "the API shows {code}");
        assert!(!stored.contains(code.as_str()), "the database holds {code}");
        assert!(!logs.contains(code.as_str()), "the log holds {code}");
    }
    // Once sent, not even the sealed copy is kept.
    assert!(outbox.iter().all(|(_, _, sealed)| sealed.is_none()));

    // The reader tries every 6-digit number it could see: no session.
    let mut attacker = Browser::at(&server.addr);
    for guess in six_digit_runs(&listed).into_iter().take(4) {
        let (_, _, to) = attacker
            .post("/login/code", &[("phone", OWNER), ("code", &guess)])
            .await;
        assert_ne!(to.as_deref(), Some("/"), "{guess} signed in");
    }
    assert!(attacker.cookie.is_none());

    // The owner, who got it on WhatsApp, signs in; the thread shows the mask.
    let (_, _, to) = browser
        .post("/login/code", &[("phone", OWNER), ("code", &sent[1])])
        .await;
    assert_eq!(to.as_deref(), Some("/"));
    let (_, thread, _) = browser.get(&format!("/conversations/{OWNER}")).await;
    assert!(thread.contains("sign-in code is ••••••"), "{thread}");
    assert!(!sent.iter().any(|c| thread.contains(c.as_str())));
}

/// The sign-in limit once trusted the first `X-Forwarded-For` hop, which any
/// client writes; wrong API tokens were never limited. Both now count the
/// socket's address, or the hop `TRUSTED_PROXY_HOPS` says a proxy added.
async fn limits_count_the_real_client(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let server = Server::start(&connected(&test_db, &graph));
    let client = reqwest::Client::new();
    let login = |forged: String| {
        client
            .post(format!("{}/login", server.addr))
            .header("x-forwarded-for", forged)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("phone=27825550177")
            .send()
    };
    let mut statuses = Vec::new();
    for i in 0..22 {
        statuses.push(login(format!("203.0.113.{i}")).await.unwrap().status());
    }
    assert!(
        statuses[..20].iter().all(|s| s.is_success()),
        "{statuses:?}"
    );
    assert_eq!(statuses[21], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");

    // Behind one proxy, the proxy's hop names the client; the forged first
    // hop does not, so one client cycling forged values is still one client.
    let db = test_db.connect().await;
    let valid = token(&db, Scope::Read).await;
    drop(server);
    let mut env = connected(&test_db, &graph);
    env.insert("TRUSTED_PROXY_HOPS".into(), "1".into());
    let server = Server::start(&env);
    let items = format!("{}/api/v1/items", server.addr);
    let call = |bearer: String, client_ip: &'static str, forged: usize| {
        client
            .get(&items)
            .bearer_auth(bearer)
            .header("x-forwarded-for", format!("10.9.9.{forged}, {client_ip}"))
            .send()
    };
    for i in 0..backroom::api::auth::BAD_TOKENS_PER_MINUTE as usize {
        let guess = format!("bk_{:032x}", rand::random::<u128>());
        let status = call(guess, "198.51.100.7", i).await.unwrap().status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // That address is refused now, even with a good token: no oracle.
    let r = call(valid.clone(), "198.51.100.7", 99).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    // Another client is not.
    let r = call(valid, "198.51.100.8", 0).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// A read token on a write route once got 400 for a bad body, which told it
/// the schema; authority is now checked before path, query and body.
async fn authority_comes_before_the_body(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let server = Server::start(&connected(&test_db, &graph));
    let db = test_db.connect().await;
    let read = token(&db, Scope::Read).await;
    let write = token(&db, Scope::Write).await;
    let client = reqwest::Client::new();
    let cases: [(&str, &str, &str); 6] = [
        ("POST", "/api/v1/items", "{"),
        ("POST", "/api/v1/items", r#"{"name": 5}"#),
        ("PATCH", "/api/v1/items/not-a-number", "[]"),
        ("POST", "/api/v1/items/1/adjust", r#"{"delta": "x"}"#),
        ("POST", "/api/v1/webhooks", "not json"),
        (
            "PATCH",
            "/api/v1/contacts/27825550101",
            r#"{"role": "owner"}"#,
        ),
    ];
    for (method, path, body) in cases {
        let send = |bearer: &str| {
            client
                .request(method.parse().unwrap(), format!("{}{path}", server.addr))
                .bearer_auth(bearer)
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        let status = send(&read).await.unwrap().status();
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path} {body}");
        // No token at all: 401, also before the body.
        let status = client
            .request(method.parse().unwrap(), format!("{}{path}", server.addr))
            .body(body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        // With the scope, the body is looked at (and found wanting).
        if path != "/api/v1/contacts/27825550101" {
            let status = send(&write).await.unwrap().status();
            assert!(status.is_client_error() && status != StatusCode::FORBIDDEN);
        }
    }
}

/// The sandbox posted messages as any number, WhatsApp connected or not, so
/// real replies reached people who never wrote; it also renamed contacts.
async fn the_sandbox_never_touches_real_people(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let server = Server::start(&connected(&test_db, &graph));
    let db = test_db.connect().await;
    let session = helpers::owner_session(&db, OWNER).await;
    let mut browser = Browser::at(&server.addr);
    browser.cookie = Some(session.clone());
    // A customer writes; the owner looks at Conversations.
    let hi = helpers::text_webhook(&[("wamid.cust-hi", helpers::CUSTOMER, "hi")]);
    // From the customer, with their WhatsApp profile name.
    let hi = String::from_utf8(hi)
        .unwrap()
        .replace(helpers::STAFF, helpers::CUSTOMER);
    assert_eq!(server.post(hi.as_bytes()).await, 200);
    let link = format!("/conversations/{}", helpers::CUSTOMER);
    let page = eventually("the customer listed", Duration::from_secs(10), || async {
        let (_, page, _) = browser.get("/conversations").await;
        page.contains(&link).then_some(page)
    })
    .await;
    assert!(!page.contains("/sandbox"), "{page}");
    let (status, thread, _) = browser
        .get(&format!("/conversations/{}", helpers::CUSTOMER))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!thread.contains("<form method=\"post\" action=\"/sandbox\""));
    // With WhatsApp connected there is no sandbox to post through.
    let (status, _, _) = browser.get("/sandbox").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = browser
        .post(
            "/sandbox",
            &[
                ("csrf", helpers::SESSION_CSRF),
                ("as", helpers::CUSTOMER),
                ("text", "hi"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    drop(server);

    // In sandbox mode it works, and the contact keeps the name WhatsApp gave.
    let mut env = connected(&test_db, &graph);
    env.remove("WHATSAPP_ACCESS_TOKEN");
    let server = Server::start(&env);
    let mut browser = Browser::at(&server.addr);
    browser.cookie = Some(session);
    let csrf = browser.csrf().await;
    let (_, _, to) = browser
        .post(
            "/sandbox",
            &[
                ("csrf", &csrf),
                ("as", helpers::STAFF),
                ("text", "Added 3 saws"),
            ],
        )
        .await;
    assert_eq!(to, Some(format!("/sandbox?as={}#latest", helpers::STAFF)));
    eventually(
        "the sandbox message applied",
        Duration::from_secs(10),
        || async { (stock(&db, "saw").await == Some(3)).then_some(()) },
    )
    .await;
    browser
        .post(
            "/sandbox",
            &[
                ("csrf", &csrf),
                ("as", helpers::CUSTOMER),
                ("text", "do you have saws?"),
            ],
        )
        .await;
    eventually(
        "the customer's sandbox message",
        Duration::from_secs(10),
        || async {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox WHERE sender = $1")
                .bind(helpers::CUSTOMER)
                .fetch_one(db.pool())
                .await
                .unwrap();
            (n == 2).then_some(())
        },
    )
    .await;
    let staff = backroom::storage::contacts::get(&db, helpers::STAFF)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(staff.profile_name, None, "the sandbox gives no name");
    let customer = backroom::storage::contacts::get(&db, helpers::CUSTOMER)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(customer.profile_name.as_deref(), Some("Thandi Nkosi"));
    assert!(
        graph.texts().iter().all(|t| !t.contains("saw")),
        "nothing sent"
    );
}

/// With WhatsApp connected and no app secret, an unsigned POST once changed
/// stock. Now the server does not start, and says why in one line.
#[test]
fn no_app_secret_no_start() {
    for (missing, value) in [
        ("WHATSAPP_APP_SECRET", "app-secret"),
        ("SECRETS_KEY", helpers::SECRETS_KEY),
        ("WHATSAPP_PHONE_NUMBER_ID", helpers::PHONE_NUMBER_ID),
    ] {
        let mut env = HashMap::from([
            ("WHATSAPP_ACCESS_TOKEN", "EAAtoken"),
            ("WHATSAPP_APP_SECRET", "app-secret"),
            ("SECRETS_KEY", helpers::SECRETS_KEY),
            ("WHATSAPP_PHONE_NUMBER_ID", helpers::PHONE_NUMBER_ID),
            ("DATABASE_URL", "sqlite::memory:"),
        ]);
        assert_eq!(env.remove(missing), Some(value));
        let output = Command::new(crate::crash::bin())
            .env_clear()
            .envs(env)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(missing), "{stderr}");
    }
}

/// In sandbox mode with no app secret the server makes one: unsigned posts
/// are still refused, and the sandbox (which signs with it) still works.
#[tokio::test]
async fn the_sandbox_signs_with_a_secret_of_its_own() {
    let db = TestDb::sqlite().await;
    let graph = FakeGraph::start().await;
    let mut env = connected(&db, &graph);
    for var in [
        "WHATSAPP_ACCESS_TOKEN",
        "WHATSAPP_APP_SECRET",
        "SECRETS_KEY",
    ] {
        env.remove(var);
    }
    let server = Server::start(&env);
    let body = helpers::text_webhook(&[("wamid.unsigned", helpers::STAFF, "Added 9 nails")]);
    let unsigned = reqwest::Client::new()
        .post(format!("{}/webhook/whatsapp", server.addr))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    // Signed with the old fixed secret: refused too.
    assert_eq!(server.post(&body).await, 401);
    let dbh = db.connect().await;
    // The secret it made is kept, so a restart keeps the same one.
    let kept: String =
        sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = 'sandbox_app_secret'")
            .fetch_one(dbh.pool())
            .await
            .unwrap();
    assert_eq!(kept.len(), 64);
    let signed = reqwest::Client::new()
        .post(format!("{}/webhook/whatsapp", server.addr))
        .header(
            "x-hub-signature-256",
            backroom::whatsapp::inbound::signature::sign(kept.as_bytes(), &body),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), StatusCode::OK);
    eventually(
        "the signed message applied",
        Duration::from_secs(10),
        || async { (stock(&dbh, "nail").await == Some(9)).then_some(()) },
    )
    .await;
}
