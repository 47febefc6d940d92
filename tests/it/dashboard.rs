//! The dashboard over loopback: sign-in with a WhatsApp code, sessions and
//! CSRF, the inventory page, and the sandbox chat through the real webhook.

use std::time::Duration;

use backroom::storage::outbound;
use reqwest::{StatusCode, redirect::Policy};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, CUSTOMER, STAFF, TestApp, TestDb, eventually, stock},
};

const OWNER: &str = "15555550199";

both_databases!(
    owners_sign_in_with_a_whatsapp_code,
    the_sandbox_runs_the_whole_loop,
    held_alerts_are_explained
);

/// A browser that keeps the session cookie and does not follow redirects.
pub(crate) struct Browser {
    http: reqwest::Client,
    base: String,
    pub(crate) cookie: Option<String>,
}

impl Browser {
    pub(crate) fn new(app: &TestApp) -> Self {
        Self::at(&app.addr)
    }

    pub(crate) fn at(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            base: base.to_string(),
            cookie: None,
        }
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, String, Option<String>) {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        let location = res
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (res.status(), res.text().await.unwrap(), location)
    }

    pub(crate) async fn post(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        if let Some(set) = res.headers().get("set-cookie") {
            let set = set.to_str().unwrap().to_string();
            assert!(
                set.contains("HttpOnly") && set.contains("SameSite=Strict"),
                "{set}"
            );
            self.cookie = Some(set.split(';').next().unwrap().to_string());
        }
        let location = res
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (res.status(), res.text().await.unwrap(), location)
    }

    /// The CSRF token of the page's forms.
    pub(crate) async fn csrf(&self) -> String {
        let (_, page, _) = self.get("/").await;
        let at = page
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token")
            + 19;
        page[at..at + 32].to_string()
    }
}

async fn start(db: &TestDb, graph: &FakeGraph) -> TestApp {
    let mut env = helpers::base_env(db, graph);
    env.insert("OWNER_PHONES".into(), OWNER.into());
    TestApp::spawn(env).await
}

/// The app in sandbox mode (no access token): the sandbox exists, replies
/// are stored rather than sent, and sign-in codes go to the log.
async fn start_sandbox(db: &TestDb, graph: &FakeGraph) -> TestApp {
    let mut env = helpers::base_env(db, graph);
    env.insert("OWNER_PHONES".into(), OWNER.into());
    env.remove("WHATSAPP_ACCESS_TOKEN");
    TestApp::spawn(env).await
}

/// A signed-in owner's session, written straight to the database (in sandbox
/// mode the code is only in the server's log).
async fn sign_in_directly(app: &TestApp, browser: &mut Browser) {
    browser.cookie = Some(helpers::owner_session(&app.db, OWNER).await);
}

/// Signs in as the owner, reading the code the fake Graph API received. The
/// owner writes first, opening WhatsApp's 24-hour window for the code.
async fn sign_in(app: &TestApp, browser: &mut Browser, graph: &FakeGraph) {
    let hello = format!("wamid.hello{}", rand::random::<u32>());
    let body = helpers::text_webhook(&[(hello.as_str(), OWNER, "stock")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    eventually(
        "the owner's message read",
        Duration::from_secs(10),
        || async { (graph.replies_to(&hello) > 0).then_some(()) },
    )
    .await;
    let codes = |g: &FakeGraph| -> Vec<String> {
        g.texts()
            .into_iter()
            .filter(|t| t.contains("sign-in code"))
            .collect()
    };
    let before = codes(graph).len();
    let (status, _, to) = browser
        .post("/login", &[("phone", "+1 555 555 0199")])
        .await;
    assert_eq!(
        (status, to.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login/code?phone=15555550199"))
    );
    let text = eventually("the code on WhatsApp", Duration::from_secs(10), || async {
        codes(graph).get(before).cloned()
    })
    .await;
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    let (_, _, to) = browser
        .post("/login/code", &[("phone", OWNER), ("code", &code)])
        .await;
    assert_eq!(to.as_deref(), Some("/"));
}

async fn owners_sign_in_with_a_whatsapp_code(db: TestDb) {
    let graph = FakeGraph::start().await;
    let app = start(&db, &graph).await;
    let mut browser = Browser::new(&app);
    let (status, _, to) = browser.get("/").await;
    assert_eq!(
        (status, to.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login"))
    );

    // A number that is not an owner's gets the same answer and no code.
    let (_, _, to) = browser.post("/login", &[("phone", STAFF)]).await;
    assert_eq!(to, Some(format!("/login/code?phone={STAFF}")));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(graph.texts().is_empty());

    // The owner has not written in 24 hours: the code waits for them to.
    browser.post("/login", &[("phone", OWNER)]).await;
    let held = eventually("the code held", Duration::from_secs(10), || async {
        outbound::list(&app.db)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.status == "held")
    })
    .await;
    assert!(held.preview.contains("sign-in code"));
    assert!(held.error_message.unwrap().contains("TEMPLATE_LOGIN_CODE"));
    assert!(graph.texts().is_empty());
    let body = helpers::text_webhook(&[("wamid.hi", OWNER, "hi")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);

    // Wrong codes are refused; five tries use the code up.
    let text = eventually("the code", Duration::from_secs(10), || async {
        graph
            .texts()
            .into_iter()
            .find(|t| t.contains("sign-in code"))
    })
    .await;
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (_, page, to) = browser
            .post("/login/code", &[("phone", OWNER), ("code", wrong)])
            .await;
        assert!(to.is_none() && page.contains("wrong or has expired"));
    }
    let (_, _, to) = browser
        .post("/login/code", &[("phone", OWNER), ("code", &code)])
        .await;
    assert!(
        to.is_none(),
        "the right code after five wrong ones is refused"
    );
    assert!(browser.cookie.is_none());

    sign_in(&app, &mut browser, &graph).await;
    let (status, page, _) = browser.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>Today</h1>") && page.contains("Nothing needs you"));
    let (_, page, _) = browser.get("/inventory").await;
    assert!(page.contains("<h1>Inventory</h1>") && page.contains("No items yet"));

    // Forms without the session's CSRF token are refused; sign-out ends the session.
    let (status, _, _) = browser.post("/logout", &[("csrf", "forged")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let csrf = browser.csrf().await;
    let (_, _, to) = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(to.as_deref(), Some("/login"));
    let (_, _, to) = browser.get("/").await;
    assert_eq!(to.as_deref(), Some("/login"));
}

async fn the_sandbox_runs_the_whole_loop(db: TestDb) {
    let graph = FakeGraph::start().await;
    let app = start_sandbox(&db, &graph).await;
    let mut browser = Browser::new(&app);
    sign_in_directly(&app, &mut browser).await;
    let csrf = browser.csrf().await;
    let (_, _, to) = browser
        .post(
            "/sandbox",
            &[("csrf", &csrf), ("as", STAFF), ("text", "Added 5 screws")],
        )
        .await;
    // The send waits for the bot, then shows the chat at its newest message.
    assert_eq!(to, Some(format!("/sandbox?as={STAFF}#latest")));
    let page = eventually(
        "the bot's reply in the sandbox",
        Duration::from_secs(10),
        || async {
            let (_, page, _) = browser.get(&format!("/sandbox?as={STAFF}")).await;
            page.contains("🆕 New item: screw — 5 in stock")
                .then_some(page)
        },
    )
    .await;
    assert!(page.contains("Added 5 screws"));
    assert_eq!(stock(&app.db, "screw").await, Some(5));

    // The inventory shows it, low (at or below the default threshold of 5).
    let (_, page, _) = browser.get("/inventory").await;
    let id = backroom::storage::items::get(&app.db, "screw")
        .await
        .unwrap()
        .unwrap()
        .id;
    let low_row = format!(
        "<tr class=\"low\"><td><a href=\"/items/{id}\">screw</a> ⚠️</td><td class=\"num\"><span class=\"count\">5</span>"
    );
    assert!(page.contains(&low_row), "{page}");
    let (_, _, to) = browser
        .post(
            &format!("/items/{id}"),
            &[("csrf", &csrf), ("threshold", "2")],
        )
        .await;
    assert_eq!(to, Some(format!("/inventory?saved={id}")));
    let (_, page, _) = browser.get(&format!("/inventory?saved={id}")).await;
    assert!(page.contains("✓ Saved screw."), "{page}");
    let (_, page, _) = browser.get("/inventory?q=scr&sort=quantity").await;
    let plain_row = format!(
        "<tr><td><a href=\"/items/{id}\">screw</a></td><td class=\"num\"><span class=\"count\">5</span>"
    );
    assert!(page.contains(&plain_row), "{page}");
    let (status, _, _) = browser
        .post(
            &format!("/items/{id}"),
            &[("csrf", "forged"), ("threshold", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A customer's order appears on the Orders page and moves along with its buttons.
    browser
        .post(
            "/sandbox",
            &[
                ("csrf", &csrf),
                ("as", CUSTOMER),
                ("text", "I'd like 2 screws"),
            ],
        )
        .await;
    eventually("the order", Duration::from_secs(10), || async {
        let (_, page, _) = browser.get("/orders").await;
        page.contains("2 × screw").then_some(())
    })
    .await;
    let order = backroom::storage::orders::list(&app.db, Some(CUSTOMER))
        .await
        .unwrap()
        .remove(0);
    let (_, _, to) = browser
        .post(
            &format!("/orders/{}/status", order.id),
            &[("csrf", &csrf), ("status", "ready")],
        )
        .await;
    assert_eq!(to, Some(format!("/orders/{}?moved=ready", order.id)));
    let (_, page, _) = browser.get("/orders?status=ready").await;
    assert!(page.contains(&format!("#{}", order.number)), "{page}");
    assert!(
        page.contains("aria-current=\"page\">ready for collection<"),
        "the filter in force is marked: {page}"
    );
    let (_, page, _) = browser.get(&format!("/orders/{}", order.id)).await;
    assert!(
        page.contains(&format!("Order #{}", order.number))
            && page.contains(">Mark collected<")
            && page.contains(&format!("href=\"/orders/{}?cancel=1\"", order.id)),
        "{page}"
    );
    // Cancelling asks first: the confirmation is its own page with the real form.
    let (_, page, _) = browser.get(&format!("/orders/{}?cancel=1", order.id)).await;
    assert!(
        page.contains(&format!("Cancel order #{}?", order.number))
            && page.contains("Yes, cancel the order")
            && !page.contains(">Mark collected<"),
        "{page}"
    );

    // The item page charts the ledger; CSV goes out and comes back in.
    let (_, page, _) = browser.get(&format!("/items/{id}")).await;
    assert!(
        page.contains("<svg") && page.contains("ordered by a customer"),
        "{page}"
    );
    let (_, csv, _) = browser.get("/inventory.csv").await;
    assert!(
        csv.starts_with("name,quantity,unit,sku,threshold,price_minor,category\nscrew,3,"),
        "{csv}"
    );
    let upload = "name,quantity,sku\nscrew,40,SCR-1\nbolt,12,\n\"bad;name\",1,\nnut,-4,\n";
    let (_, preview, _) = browser
        .post("/import", &[("csrf", &csrf), ("csv", upload)])
        .await;
    assert!(
        preview.contains("2 rows to import, 2 rejected") && preview.contains("Line 4"),
        "{preview}"
    );
    assert_eq!(
        stock(&app.db, "bolt").await,
        None,
        "a preview changes nothing"
    );
    let (_, done, _) = browser
        .post(
            "/import",
            &[("csrf", &csrf), ("csv", upload), ("apply", "1")],
        )
        .await;
    assert!(done.contains("Imported 2 rows; 2 rejected"), "{done}");
    assert_eq!(
        (stock(&app.db, "screw").await, stock(&app.db, "bolt").await),
        (Some(40), Some(12))
    );
    assert!(
        backroom::storage::items::ledger_mismatches(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    // Conversations and settings.
    let (_, page, _) = browser.get("/conversations").await;
    assert!(page.contains(CUSTOMER) && page.contains(STAFF));
    let (_, _, to) = browser
        .post(
            "/settings/staff",
            &[
                ("csrf", &csrf),
                ("phone", "+27 82 555 0188"),
                ("role", "staff"),
            ],
        )
        .await;
    assert_eq!(to.as_deref(), Some("/settings?saved=staff"));
    let (_, page, _) = browser.get("/settings").await;
    assert!(
        page.contains("27825550188") && page.contains("rule parser"),
        "{page}"
    );
}

/// A second owner who never wrote gets the low-stock alert held (the first,
/// who just wrote, gets it as text), and the Conversations page says why.
async fn held_alerts_are_explained(db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(&db, &graph);
    let silent = "15555550777";
    env.insert("OWNER_PHONES".into(), format!("{OWNER},{silent}"));
    let app = TestApp::spawn(env).await;
    let mut browser = Browser::new(&app);
    sign_in(&app, &mut browser, &graph).await;
    let (_, page, _) = browser.get("/conversations").await;
    assert!(!page.contains("wait for their recipient"));

    let body = helpers::text_webhook(&[("wamid.low1", STAFF, "added 6 drills")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let body = helpers::text_webhook(&[("wamid.low2", STAFF, "sold 2 drills")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let alerts = eventually("both alerts stored", Duration::from_secs(10), || async {
        let rows: Vec<_> = outbound::list(&app.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.preview.contains("Low stock"))
            .collect();
        (rows.len() == 2).then_some(rows)
    })
    .await;
    let status_of = |to: &str| {
        alerts
            .iter()
            .find(|r| r.recipient == to)
            .unwrap()
            .status
            .clone()
    };
    assert_eq!(status_of(silent), "held");
    assert_ne!(status_of(OWNER), "held");
    let (_, page, _) = browser.get("/conversations").await;
    assert!(
        page.contains("1 message(s) wait for their recipient"),
        "{page}"
    );
}
