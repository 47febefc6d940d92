//! A first run, through the real binary: the log says where to open the
//! server, and the usual set-up mistakes end the process with one line that
//! says what to do.

use std::{collections::HashMap, net::TcpListener, process::Command, time::Duration};

use crate::{
    crash::{Server, bin},
    helpers::{SECRETS_KEY, TestDb},
};

/// Runs `backroom serve` with only `env` set, in an empty folder (so no
/// `.env` is read), and returns its exit code and stderr.
fn serve_fails(env: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .arg("serve")
        .env_clear()
        .envs(env.iter().copied())
        .current_dir(dir.path())
        .output()
        .expect("the binary runs");
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// The one line, after checking that it is the only one and that it is
/// `backroom`'s own.
fn only_line(code: Option<i32>, stderr: &str) -> &str {
    assert_eq!(code, Some(1), "exit status; stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr, got: {stderr}");
    assert!(lines[0].starts_with("backroom: "), "{stderr}");
    lines[0]
}

/// A port nothing listens on: bound by the OS, then let go.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_missing_postgres_database_says_how_to_create_it() {
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL is not set: skipping the PostgreSQL run");
        return;
    };
    let name = format!("backroom_missing_{:08x}", rand::random::<u32>());
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    let (code, stderr) = serve_fails(&[("DATABASE_URL", url.as_str())]);
    let line = only_line(code, &stderr);
    assert!(
        line.contains(&format!("the database \"{name}\" does not exist")),
        "{line}"
    );
    assert!(line.contains("createdb "), "{line}");
    assert!(line.contains(&name), "{line}");
}

#[test]
fn an_unreachable_database_names_where_without_the_password() {
    let port = free_port();
    let url = format!("postgres://shop:hunter2@127.0.0.1:{port}/stock");
    let started = std::time::Instant::now();
    let (code, stderr) = serve_fails(&[("DATABASE_URL", &url)]);
    let line = only_line(code, &stderr);
    assert!(
        line.contains(&format!("cannot reach the database at 127.0.0.1:{port}")),
        "{line}"
    );
    assert!(line.contains("DATABASE_URL"), "{line}");
    assert!(!line.contains("hunter2"), "the password leaked: {line}");
    // The pool alone would retry the refused connection for its whole timeout.
    assert!(started.elapsed() < Duration::from_secs(8), "{started:?}");
}

#[test]
fn a_busy_port_says_to_pick_another() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shop.db").display());
    // With a key of its own the server logs nothing before it binds.
    let (code, stderr) = serve_fails(&[
        ("DATABASE_URL", &url),
        ("HOST", "127.0.0.1"),
        ("PORT", &port),
        ("SECRETS_KEY", SECRETS_KEY),
    ]);
    let line = only_line(code, &stderr);
    assert!(line.contains(&format!("port {port} is in use")), "{line}");
    assert!(line.contains("set PORT"), "{line}");
    drop(taken);
}

#[tokio::test]
async fn the_log_says_which_address_to_open() {
    let db = TestDb::sqlite().await;
    let env: HashMap<String, String> = [
        ("DATABASE_URL", db.url()),
        ("HOST", "127.0.0.1"),
        ("PORT", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let server = Server::start(&env);
    let want = format!("open {}/ to sign in", server.addr);
    crate::helpers::eventually("the sign-in line", Duration::from_secs(10), || {
        let found = server.logs().iter().any(|line| {
            serde_json::from_str::<serde_json::Value>(line)
                .is_ok_and(|v| v["fields"]["message"] == want.as_str())
        });
        async move { found.then_some(()) }
    })
    .await;
    // The address it names answers.
    let page = reqwest::get(format!("{}/healthz", server.addr))
        .await
        .unwrap();
    assert!(page.status().is_success());
}
