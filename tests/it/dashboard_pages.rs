//! The dashboard's pages against the database behind them: Today's figures,
//! Settings saved (and the environment winning), the sandbox's reply
//! buttons posting real interactive replies, and conversation pages showing
//! what the parser understood.

use reqwest::StatusCode;

use crate::{
    both_databases,
    dashboard::Browser,
    fake_graph::FakeGraph,
    helpers::{self, CUSTOMER, STAFF, TestApp, TestDb, stock},
};

const OWNER: &str = "15555550199";

both_databases!(
    today_shows_what_the_database_holds,
    settings_are_saved_and_the_environment_wins,
    sandbox_buttons_send_interactive_replies,
    a_large_catalogue_is_paged_and_exported_whole
);

async fn start(db: &TestDb, graph: &FakeGraph, extra: &[(&str, &str)]) -> (TestApp, Browser) {
    let mut env = helpers::base_env(db, graph);
    env.insert("OWNER_PHONES".into(), OWNER.into());
    env.remove("WHATSAPP_ACCESS_TOKEN");
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    let app = TestApp::spawn(env).await;
    let mut browser = Browser::at(&app.addr);
    browser.cookie = Some(helpers::owner_session(&app.db, OWNER).await);
    (app, browser)
}

/// Writes in the sandbox as `who`; the send returns once the bot answered.
async fn say(browser: &mut Browser, csrf: &str, who: &str, text: &str) {
    let (status, _, to) = browser
        .post("/sandbox", &[("csrf", csrf), ("as", who), ("text", text)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{text}");
    assert_eq!(to, Some(format!("/sandbox?as={who}#latest")), "{text}");
}

/// The text of the element marked `data-figure="key"`.
fn figure<'a>(page: &'a str, key: &str) -> &'a str {
    let mark = format!("data-figure=\"{key}\">");
    let at = page
        .find(&mark)
        .unwrap_or_else(|| panic!("no {key} in {page}"))
        + mark.len();
    &page[at..at + page[at..].find('<').unwrap()]
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn today_shows_what_the_database_holds(db: TestDb) {
    let graph = FakeGraph::start().await;
    let (app, mut browser) = start(&db, &graph, &[]).await;
    let csrf = browser.csrf().await;
    let (_, page, _) = browser.get("/").await;
    assert!(page.contains("Nothing needs you"), "{page}");
    for text in [
        "Added 50 screws",
        "Added 8 bolts",
        "sold 3 screws",
        "sold 6 bolts",
    ] {
        say(&mut browser, &csrf, STAFF, text).await;
    }
    let screw = backroom::storage::items::get(&app.db, "screw")
        .await
        .unwrap()
        .unwrap();
    let (_, _, to) = browser
        .post(
            &format!("/items/{}", screw.id),
            &[("csrf", &csrf), ("threshold", "5"), ("price", "12.50")],
        )
        .await;
    assert_eq!(to, Some(format!("/inventory?saved={}", screw.id)));
    say(&mut browser, &csrf, CUSTOMER, "I'd like 2 screws").await;

    let (_, page, _) = browser.get("/").await;
    let value = scalar(
        &app,
        "SELECT CAST(SUM(quantity * price_minor) AS BIGINT) FROM items WHERE price_minor IS NOT NULL",
    )
    .await;
    assert_eq!(value, 45 * 1250, "50 − 3 sold − 2 ordered, at R12.50");
    assert_eq!(figure(&page, "stock-value"), "R562.50");
    let moves = scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM stock_movements").await;
    assert_eq!(figure(&page, "today-movements"), moves.to_string());
    assert_eq!(figure(&page, "week-sold"), "11", "3 + 6 sold, 2 ordered");
    // Bolts (2 left, alert at 5) need the owner, with days left at the sales rate.
    let low = figure(&page, "low");
    assert_eq!(low, "⚠️ ", "{page}");
    assert!(
        page.contains(">bolt</a>: <strong>2</strong> left (alert at 5) — about 4 days left"),
        "{page}"
    );
    assert!(page.contains("1 order to confirm"), "{page}");
    let top = &page[page.find("data-figure=\"top-sellers\"").unwrap()..];
    assert!(
        top.find(">bolt</a> — 6 sold").unwrap() < top.find(">screw</a> — 5 sold").unwrap(),
        "{top}"
    );
    assert!(
        page.contains("<rect class=\"bar\""),
        "sales per day as bars"
    );
}

async fn settings_are_saved_and_the_environment_wins(db: TestDb) {
    let graph = FakeGraph::start().await;
    let (app, mut browser) = start(&db, &graph, &[("TZ", "Europe/Paris")]).await;
    let csrf = browser.csrf().await;
    say(&mut browser, &csrf, STAFF, "Added 12 hinges").await;
    let (_, page, _) = browser.get("/").await;
    assert!(!page.contains(">hinge</a>"), "12 is above the default 5");

    let (status, page, _) = browser
        .post(
            "/settings",
            &[
                ("csrf", &csrf),
                ("shop_name", "Hardware Hut"),
                ("currency", "rand"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("three-letter currency code"), "{page}");

    let form = [
        ("csrf", csrf.as_str()),
        ("shop_name", "Hardware Hut"),
        ("currency", "USD"),
        ("time_zone", "Africa/Johannesburg"),
        ("default_threshold", "20"),
    ];
    let (_, _, to) = browser.post("/settings", &form).await;
    assert_eq!(to.as_deref(), Some("/settings?saved=settings"));
    let (_, page, _) = browser.get("/settings?saved=settings").await;
    assert!(page.contains("✓ Saved the shop settings."), "{page}");
    assert!(
        page.contains("<strong>Hardware Hut</strong>"),
        "the header: {page}"
    );
    assert!(
        page.contains("name=\"time_zone\" value=\"Europe/Paris\" disabled")
            && page.contains("Set by <code>TZ</code>"),
        "{page}"
    );
    let stored: Vec<(String, String)> = backroom::storage::prefs::all(&app.db).await.unwrap();
    assert!(
        stored.iter().all(|(k, _)| k != "time_zone"),
        "a pinned value is not stored: {stored:?}"
    );
    // The new default alert level is in force at once, for pages and the bot.
    let (_, page, _) = browser.get("/").await;
    assert!(
        page.contains(">hinge</a>: <strong>12</strong> left (alert at 20)"),
        "{page}"
    );
    let (_, page, _) = browser.get("/inventory").await;
    assert!(page.contains("Price (USD)"), "{page}");
    say(&mut browser, &csrf, STAFF, "Added 10 hinges").await;
    say(&mut browser, &csrf, STAFF, "sold 5 hinges").await;
    let alerts = scalar(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM outbound_messages WHERE preview LIKE '%hinge%' AND recipient = '15555550199'",
    )
    .await;
    assert_eq!(alerts, 1, "22 → 17 crosses the new level of 20");
}

/// The hidden `name` field's value in the first sandbox reply form.
fn hidden(form: &str, name: &str) -> String {
    let mark = format!("name=\"{name}\" value=\"");
    let at = form.find(&mark).unwrap() + mark.len();
    form[at..at + form[at..].find('"').unwrap()].to_string()
}

async fn sandbox_buttons_send_interactive_replies(db: TestDb) {
    let graph = FakeGraph::start().await;
    let (app, mut browser) = start(&db, &graph, &[]).await;
    let csrf = browser.csrf().await;
    say(&mut browser, &csrf, STAFF, "Added 4 wheelbarrows").await;
    say(&mut browser, &csrf, STAFF, "Added 2 wheelbarox").await;
    let (_, page, _) = browser.get(&format!("/sandbox?as={STAFF}")).await;
    let at = page
        .find("action=\"/sandbox/reply\"")
        .unwrap_or_else(|| panic!("the question's buttons are tappable: {page}"));
    let form = &page[at..at + page[at..].find("</form>").unwrap()];
    let fields = ["kind", "id", "title", "context"].map(|n| hidden(form, n));
    assert_eq!(fields[0], "button_reply");
    let mut post: Vec<(&str, &str)> = vec![("csrf", &csrf), ("as", STAFF)];
    post.extend(
        ["kind", "id", "title", "context"]
            .iter()
            .copied()
            .zip(fields.iter().map(String::as_str)),
    );
    let (_, _, to) = browser.post("/sandbox/reply", &post).await;
    assert_eq!(to, Some(format!("/sandbox?as={STAFF}#latest")));
    assert_eq!(
        stock(&app.db, "wheelbarrow").await,
        Some(6),
        "the tap applied the change"
    );
    let kind: String = sqlx::query_scalar("SELECT msg_type FROM inbox ORDER BY id DESC LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kind, "interactive");

    // The conversation page: the thread with what the parser understood, read-only.
    let (_, page, _) = browser.get(&format!("/conversations/{STAFF}")).await;
    assert!(
        page.contains("understood: add · 4 × wheelbarrow · by rules"),
        "{page}"
    );
    assert!(page.contains("id=\"latest\""), "{page}");
    assert!(!page.contains("/sandbox/reply"), "read-only: {page}");
    // A forged or odd tap is refused.
    let (status, _, _) = browser
        .post(
            "/sandbox/reply",
            &[
                ("csrf", &csrf),
                ("as", STAFF),
                ("kind", "text"),
                ("id", "x"),
                ("title", "x"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// 130 items: Inventory shows 100 a page with links between pages, sorting
/// by quantity orders the whole catalogue (not just one page), and the CSV
/// export holds every item.
async fn a_large_catalogue_is_paged_and_exported_whole(db: TestDb) {
    let graph = FakeGraph::start().await;
    let (app, browser) = start(&db, &graph, &[]).await;
    let now = backroom::storage::now_ms();
    for i in 0..130_i64 {
        // Names and quantities run in opposite orders.
        sqlx::query(
            "INSERT INTO items (name, quantity, created_at, updated_at) VALUES ($1, $2, $3, $3)",
        )
        .bind(format!("part {i:03}"))
        .bind(500 - i)
        .bind(now)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    let rows = |page: &str| page.matches("<td><a href=\"/items/").count();
    let (status, first, _) = browser.get("/inventory").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&first), 100, "{first}");
    assert!(first.contains("part 000") && !first.contains("part 100<"));
    assert!(
        first.contains("href=\"/inventory?page=2\" rel=\"next\""),
        "{first}"
    );
    let (_, second, _) = browser.get("/inventory?page=2").await;
    assert_eq!(rows(&second), 30);
    assert!(second.contains("part 129") && second.contains("rel=\"prev\""));
    assert!(!second.contains("rel=\"next\""));

    let (_, by_quantity, _) = browser.get("/inventory?sort=quantity").await;
    let at = |name: &str| by_quantity.find(&format!(">{name}</a>")).unwrap();
    assert!(at("part 129") < at("part 128"), "fewest first");
    assert!(!by_quantity.contains(">part 000</a>"), "most are on page 2");
    assert!(by_quantity.contains("href=\"/inventory?sort=quantity&amp;page=2\""));

    let (_, csv, _) = browser.get("/inventory.csv").await;
    assert_eq!(csv.lines().count(), 131, "a header and every item");
}
