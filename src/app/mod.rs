//! Wiring: database, workers and HTTP server, buildable on port 0 for tests.

pub mod secrets;
mod serve;
pub mod startup;

use std::{future::Future, sync::Arc, time::Duration};

use anyhow::Context;
use axum::{Router, routing::get};
use tokio::{net::TcpListener, sync::Notify};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    api::{self, ApiState},
    config::Settings,
    conversation::Conversation,
    dashboard::{self, DashboardState},
    events::Deliverer,
    ops::Shop,
    parsing::Understanding,
    storage::{Backend, Db, contacts},
    whatsapp::inbound::{self, Inbox, IngressState},
    whatsapp::outbound::{Sender, catalog_sync::CatalogSync, graph::GraphClient},
};

/// How long shutdown waits for workers to finish what they hold.
const DRAIN_DEADLINE: Duration = Duration::from_secs(20);

/// A built application: bound, migrated, not yet serving.
pub struct App {
    listener: TcpListener,
    settings: Arc<Settings>,
    db: Db,
    keys: crate::secrets::Keys,
    understanding: Understanding,
}

impl App {
    /// Connects to the database, applies migrations and binds the port.
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        let db = Db::connect_with(&settings.database_url, settings.sqlite_sync)
            .await
            .map_err(|e| startup::database_error(&settings.database_url, e))?;
        db.migrate().await.context("could not apply migrations")?;
        let keys = secrets::keys(&settings, &db).await?;
        secrets::sandbox_app_secret(&mut settings, &db).await?;
        let resealed = crate::storage::subscriptions::reseal(&db, &keys).await?;
        if resealed > 0 {
            tracing::info!(
                resealed,
                "webhook secrets sealed with the current SECRETS_KEY"
            );
        }
        contacts::seed(&db, &settings.owner_phones, &settings.staff_phones)
            .await
            .context("could not record OWNER_PHONES and STAFF_PHONES")?;
        if db.backend() == Backend::Sqlite && settings.run_workers {
            db.release_leases()
                .await
                .context("could not release old leases")?;
        }
        let listener = startup::bind(settings.host, settings.port).await?;
        Ok(Self {
            listener,
            understanding: Understanding::from_settings(&settings.llm),
            settings: Arc::new(settings),
            db,
            keys,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until `shutdown` resolves, then stops accepting requests, lets the
    /// workers finish their current batch, and returns.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let settings = self.settings.clone();
        let inbox_wake = Arc::new(Notify::new());
        let sender_wake = Arc::new(Notify::new());
        let heartbeat = Arc::new(crate::health::Heartbeat::default());
        let signals = crate::signals::Signals::default();
        let wa = &settings.whatsapp;
        let places = crate::storage::locations::sync(
            &self.db,
            &wa.numbers,
            wa.phone_number_id.as_deref(),
            crate::storage::now_ms(),
        )
        .await
        .context("could not set up the locations of WHATSAPP_NUMBERS")?;
        let places = Arc::new(crate::domain::location::Places { all: places });
        let shop = Shop {
            db: self.db.clone(),
            settings: settings.clone(),
            sender_wake: sender_wake.clone(),
            signals: signals.clone(),
            keys: self.keys.clone(),
            prefs: crate::config::prefs::Prefs::new(&settings.shop),
            places: places.clone(),
            deliveries: None,
        };
        // With workers here, fresh deliveries go straight to this deliverer.
        let (delivery_tx, delivery_rx) = tokio::sync::mpsc::unbounded_channel();
        let mut shop = shop;
        if settings.run_workers {
            shop.deliveries = Some(delivery_tx);
        }
        shop.load_prefs()
            .await
            .context("could not read the shop settings")?;
        let stop = CancellationToken::new();
        let tasks = TaskTracker::new();
        tasks.spawn(shop.clone().keep_prefs_fresh(stop.child_token()));

        if settings.run_workers {
            let mut handoff = None;
            let mut graph = None;
            if let Some(token) = &settings.whatsapp.access_token {
                let client = GraphClient::new(
                    &settings.whatsapp.graph_api_base,
                    token,
                    settings.sender.request_timeout,
                )?;
                let sender = Sender::new(
                    self.db.clone(),
                    client.clone(),
                    settings.sender.clone(),
                    sender_wake.clone(),
                    signals.clone(),
                    self.keys.clone(),
                );
                if let Some(catalog_id) = settings.catalog.id.clone() {
                    let sync = CatalogSync {
                        db: self.db.clone(),
                        graph: client.clone(),
                        catalog_id,
                        delay: settings.catalog.delay,
                        lease: settings.worker_lease.max(Duration::from_secs(120)),
                        signals: signals.clone(),
                        prefs: shop.prefs.clone(),
                    };
                    tasks.spawn(sync.run(stop.child_token()));
                }
                let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
                handoff = Some(tx);
                graph = Some(client);
                tasks.spawn(sender.run(rx, stop.child_token()));
            }
            let conversation = Conversation {
                db: self.db.clone(),
                settings: settings.clone(),
                prefs: shop.prefs.clone(),
                places: places.clone(),
                understanding: self.understanding.clone(),
                graph,
                inbox_wake: inbox_wake.clone(),
                sender_wake,
                signals: signals.clone(),
                handoff,
                heartbeat: heartbeat.clone(),
            };
            tasks.spawn(conversation.run(stop.child_token()));
            if self.db.backend() == crate::storage::Backend::Postgres {
                // Events recorded by any replica wake this one's deliverer.
                let wake = signals.clone();
                tasks.spawn(crate::storage::notify::listen(
                    settings.database_url.clone(),
                    move || wake.wake_events(),
                    stop.child_token(),
                ));
            }
            let deliverer = Deliverer::new(shop.clone())?;
            tasks.spawn(deliverer.clone().run(Some(delivery_rx), stop.child_token()));
            tasks.spawn(deliverer.prune(stop.child_token()));
            if let Some(at) = settings.shop.summary_at {
                tasks.spawn(crate::summary::run(shop.clone(), at, stop.child_token()));
            }
        } else {
            tracing::info!("RUN_WORKERS=false: storing webhooks only; other replicas process them");
        }
        if settings.whatsapp.sandbox() && settings.catalog.id.is_some() {
            tracing::warn!("sandbox mode: catalogue updates are recorded but not sent");
        }
        if settings.whatsapp.sandbox() {
            tracing::warn!(
                "sandbox mode: no WHATSAPP_ACCESS_TOKEN, replies are stored and logged but not sent"
            );
        }

        let (inbox, inbox_task) = Inbox::spawn(self.db.clone(), inbox_wake, signals.clone());
        let self_url = Arc::new(std::sync::OnceLock::new());
        let _ = self_url.set(format!("http://127.0.0.1:{}", self.port()));
        let dashboard = DashboardState::new(shop.clone(), self_url)?;
        let readiness = crate::health::Readiness {
            db: self.db.clone(),
            heartbeat,
            workers: settings.run_workers,
            signals: signals.clone(),
        };
        let ready = Router::new()
            .route("/readyz", get(crate::health::readyz))
            .with_state(readiness)
            .merge(
                Router::new()
                    .route("/metrics", get(crate::metrics::serve))
                    .with_state(self.db.clone()),
            );
        let router = router(&settings, inbox, shop.clone())?
            .merge(dashboard::router(dashboard))
            .merge(ready)
            .layer(axum::middleware::from_fn_with_state(
                settings.trusted_proxy_hops,
                crate::net::tag_client,
            ));
        let router = security_headers(router);
        tracing::info!(
            port = self.port(),
            database = self.db.backend_name(),
            "backroom listening"
        );
        if let Ok(addr) = self.listener.local_addr() {
            tracing::info!("open {} to sign in", startup::open_url(addr));
        }
        // Behind proxies every connection comes from a proxy: no per-address cap.
        let per_address =
            (settings.trusted_proxy_hops == 0).then_some((settings.max_connections / 4).max(1));
        let limits = serve::Limits {
            header_timeout: settings.header_timeout,
            max_connections: settings.max_connections,
            per_address,
        };
        serve::serve(self.listener, router, limits, shutdown).await;

        // The router (and its inbox handles) are gone: the inbox writer drains and ends.
        let _ = inbox_task.await;
        stop.cancel();
        tasks.close();
        if tokio::time::timeout(DRAIN_DEADLINE, tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!("workers did not stop in time; leases will hand their work on");
        }
        self.db.close().await;
        tracing::info!("backroom stopped");
        Ok(())
    }
}

/// Headers on every response: the pages use no scripts and no inline styles,
/// so the policy allows neither, nor framing (clickjacking), nor forms that
/// post elsewhere.
fn security_headers(router: Router) -> Router {
    use axum::http::{HeaderName, HeaderValue, header};
    use tower_http::set_header::SetResponseHeaderLayer;
    let headers: [(HeaderName, &'static str); 4] = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    headers.into_iter().fold(router, |r, (name, value)| {
        r.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

fn router(settings: &Settings, inbox: Inbox, shop: Shop) -> anyhow::Result<Router> {
    let inbound = inbound::router(
        IngressState {
            verify_token: settings.whatsapp.verify_token.clone(),
            app_secret: settings
                .whatsapp
                .app_secret
                .clone()
                .context("the app secret is resolved at build")?,
            numbers: settings.whatsapp.accepted_numbers(),
            inbox,
        },
        settings.max_webhook_body,
    );
    Ok(Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(inbound)
        .merge(api::router(ApiState::new(shop)?))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(crate::telemetry::request_span))
        // Outermost: every request has an id (the caller's, or a new UUID),
        // answered back in `x-request-id`.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid)))
}
