//! The second attack pass, tried again through the binary: connections held
//! open, a demoted owner's sessions and codes, sign-in codes read back from
//! a copy of the database, codes used up by strangers, and older codes.

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::{Duration, Instant},
};

use backroom::storage::contacts::Role;
use sha2::{Digest, Sha256};

use crate::{
    both_databases,
    crash::Server,
    dashboard::Browser,
    fake_graph::FakeGraph,
    helpers::{self, TestDb, eventually},
    security::{OWNER, connected},
};

both_databases!(
    a_demoted_owner_loses_the_dashboard,
    codes_are_keyed_newest_only_and_limited_per_address,
);

/// Whether the server closed the connection within `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 512];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue, // a 408 or similar before the close
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// Connections that trickle their headers or sit idle were kept forever,
/// and one host could open them until the server ran out of descriptors.
#[tokio::test]
async fn slow_and_idle_connections_are_closed_and_capped() {
    let db = TestDb::sqlite().await;
    let graph = FakeGraph::start().await;
    let mut env = connected(&db, &graph);
    env.insert("HTTP_HEADER_TIMEOUT_MS".into(), "500".into());
    env.insert("HTTP_MAX_CONNECTIONS".into(), "8".into());
    let server = Server::start(&env);
    let addr = server.addr.trim_start_matches("http://").to_string();

    // Headers sent a byte at a time, never finished: closed.
    let mut slow = TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    assert!(closed_within(&mut slow, Duration::from_secs(5)));
    assert!(started.elapsed() < Duration::from_secs(3));

    // A kept-alive connection idle after a request: closed too.
    let mut idle = TcpStream::connect(&addr).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(5)));

    // One address may hold a quarter of the connections (2 of 8).
    let held: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = TcpStream::connect(&addr).unwrap();
    assert!(
        closed_within(&mut third, Duration::from_millis(300)),
        "a third connection from one address is turned away"
    );
    drop(held);
    eventually(
        "the server answers again",
        Duration::from_secs(5),
        || async {
            reqwest::get(format!("{}/healthz", server.addr))
                .await
                .ok()
                .filter(|r| r.status().is_success())
        },
    )
    .await;
}

/// A removed owner kept their session for 12 hours (and could mint admin
/// tokens), and a code asked for before the removal still signed in.
async fn a_demoted_owner_loses_the_dashboard(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = connected(&test_db, &graph);
    env.remove("WHATSAPP_ACCESS_TOKEN"); // codes go to the log
    let server = Server::start(&env);
    let db = test_db.connect().await;
    let mut browser = Browser::at(&server.addr);
    browser.cookie = Some(helpers::owner_session(&db, OWNER).await);
    let (status, _, _) = browser.get("/settings").await;
    assert_eq!(status, 200);

    // A second owner asks for a code, then loses the role before using it.
    let other = "15555550155";
    backroom::storage::contacts::set_role(&db, other, Role::Owner)
        .await
        .unwrap();
    let mut theirs = Browser::at(&server.addr);
    theirs.post("/login", &[("phone", other)]).await;
    let code = eventually("the code in the log", Duration::from_secs(10), || async {
        server.logs().iter().find_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            (v["fields"]["phone"] == other)
                .then(|| v["fields"]["code"].as_str().map(String::from))?
        })
    })
    .await;
    backroom::storage::contacts::set_role(&db, other, Role::Staff)
        .await
        .unwrap();
    let (_, _, to) = theirs
        .post("/login/code", &[("phone", other), ("code", &code)])
        .await;
    assert_ne!(
        to.as_deref(),
        Some("/sandbox"),
        "a right code for a former owner"
    );
    assert!(theirs.cookie.is_none());

    // The signed-in owner is demoted: their session ends at once.
    backroom::storage::contacts::set_role(&db, OWNER, Role::Customer)
        .await
        .unwrap();
    let (_, _, to) = browser.get("/settings").await;
    assert_eq!(to.as_deref(), Some("/login"));
    // Made owner again, the old session does not come back.
    backroom::storage::contacts::set_role(&db, OWNER, Role::Owner)
        .await
        .unwrap();
    let (_, _, to) = browser.get("/settings").await;
    assert_eq!(to.as_deref(), Some("/login"));
}

/// Codes were stored as plain SHA-256 (a copy of the database gave them up in
/// a second), older live codes kept working after their replacement was
/// sent, and anyone could use up an owner's three codes.
async fn codes_are_keyed_newest_only_and_limited_per_address(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = connected(&test_db, &graph);
    env.remove("WHATSAPP_ACCESS_TOKEN");
    env.insert("TRUSTED_PROXY_HOPS".into(), "1".into());
    let server = Server::start(&env);
    let db = test_db.connect().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let ask = |from: &'static str| {
        client
            .post(format!("{}/login", server.addr))
            .header("x-forwarded-for", from)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("phone={OWNER}"))
            .send()
    };
    let codes = || {
        server
            .logs()
            .iter()
            .filter_map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).ok()?;
                v["fields"]["code"].as_str().map(String::from)
            })
            .collect::<Vec<_>>()
    };
    // A stranger asks three times and is out of codes; the owner is not.
    for _ in 0..4 {
        ask("203.0.113.66").await.unwrap();
    }
    ask("198.51.100.10").await.unwrap();
    ask("198.51.100.10").await.unwrap();
    let sent = eventually("five codes", Duration::from_secs(10), || async {
        let c = codes();
        (c.len() == 5).then_some(c)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(codes().len(), 5, "the stranger's fourth asked for nothing");

    // The stored digest is keyed: the code's plain SHA-256 is not it.
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM login_codes")
        .fetch_all(db.pool())
        .await
        .unwrap();
    for code in &sent {
        let plain = hex::encode(Sha256::digest(code.as_bytes()));
        assert!(!stored.contains(&plain), "{code} stored as plain SHA-256");
    }
    // Only the newest code signs in.
    let mut owner = Browser::at(&server.addr);
    let (_, _, to) = owner
        .post("/login/code", &[("phone", OWNER), ("code", &sent[3])])
        .await;
    assert!(to.is_none() && owner.cookie.is_none(), "an older code");
    let (_, _, to) = owner
        .post("/login/code", &[("phone", OWNER), ("code", &sent[4])])
        .await;
    assert_eq!(to.as_deref(), Some("/sandbox"));
}
