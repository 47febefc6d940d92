//! The command line: `backroom [serve]`, `backroom migrate`.

use clap::{Parser, Subcommand};

use crate::{
    app::App,
    config::Settings,
    parsing::{self, KnownItems, Understanding},
    storage::{
        self, Db,
        contacts::{self, Role},
    },
};

#[derive(Debug, Parser)]
#[command(
    name = "backroom",
    version,
    about = "A shop's stock, run over WhatsApp"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage staff: who may change stock.
    Staff {
        #[command(subcommand)]
        action: RoleAction,
    },
    /// Manage owners: staff who also get alerts (and, later, the dashboard).
    Owner {
        #[command(subcommand)]
        action: RoleAction,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Manage event webhook subscriptions.
    Webhook {
        #[command(subcommand)]
        action: WebhookAction,
    },
    /// Keep the WhatsApp catalogue (WHATSAPP_CATALOG_ID) and the items in step.
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// Copy an SQLite database to PATH while it is in use (a consistent snapshot).
    Backup { path: std::path::PathBuf },
    /// Print the API's OpenAPI 3.1 document.
    Openapi,
    /// Parse messages: one JSON string per line on stdin, one result per line on stdout.
    Parse {
        /// The shop's item names, one per line, instead of those in the database.
        #[arg(long, value_name = "FILE")]
        known_items: Option<std::path::PathBuf>,
        /// Add an "explain" field: which parser answered, how sure, and why.
        #[arg(long)]
        explain: bool,
        /// Read as if from staff or a customer (a prior for ambiguous wording).
        #[arg(long = "as", value_enum, default_value = "unknown")]
        sender: SenderArg,
    },
    /// Score the parser against labelled corpora (JSON lines): accuracy by
    /// intent, language and tag, and harmful answers (a stock change the
    /// message did not mean).
    Score {
        /// The shop's item names, one per line, instead of those in the database.
        #[arg(long, value_name = "FILE")]
        known_items: Option<std::path::PathBuf>,
        /// Fail (exit 1) when full-message accuracy is below this percentage.
        #[arg(long, value_name = "PCT")]
        min: Option<f64>,
        /// Fail (exit 1) when more answers than this are harmful.
        #[arg(long, value_name = "N")]
        max_harmful: Option<usize>,
        /// How many misses to list.
        #[arg(long, default_value_t = 20)]
        show: usize,
        /// Write every figure as JSON to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<std::path::PathBuf>,
        #[arg(required = true)]
        corpora: Vec<std::path::PathBuf>,
    },
}

/// `--as`: who the message is from, for the parser's prior.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SenderArg {
    Unknown,
    Staff,
    Customer,
}

impl From<SenderArg> for parsing::Sender {
    fn from(s: SenderArg) -> Self {
        match s {
            SenderArg::Unknown => parsing::Sender::Unknown,
            SenderArg::Staff => parsing::Sender::Staff,
            SenderArg::Customer => parsing::Sender::Customer,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print it (it is shown this once).
    Create {
        #[arg(long)]
        name: String,
        /// read, write or admin; repeat for several (default read).
        #[arg(long = "scope")]
        scopes: Vec<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id; it stops working at once.
    Revoke { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum WebhookAction {
    /// Subscribe a URL; prints the signing secret (shown this once).
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        url: String,
        /// An event type, `prefix.*` or `*`; repeat for several.
        #[arg(long = "event", required = true)]
        events: Vec<String>,
        /// Deliver events about the same order or item in order.
        #[arg(long)]
        ordered: bool,
    },
    /// List subscriptions.
    List,
    /// Delete a subscription by id.
    Remove { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum CatalogAction {
    /// Import the catalogue's products as items (created or updated, never deleted).
    Pull,
    /// Queue every item with a SKU; the running server sends them.
    Push,
}

#[derive(Debug, Subcommand)]
pub enum RoleAction {
    /// Give a WhatsApp number this role.
    Add { phone: String },
    /// Take the role away (the number becomes a customer).
    Remove { phone: String },
    /// List the numbers with this role.
    List,
}

/// Runs a parsed command with validated settings.
pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = App::build(settings).await?;
            app.run(shutdown_signal()).await
        }
        Command::Parse {
            known_items,
            explain,
            sender,
        } => {
            let known = known_items_or_db(&settings, known_items).await?;
            let understanding = Understanding::from_settings(&settings.llm);
            let stdin = std::io::stdin().lock();
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            parsing::batch::run(
                understanding.parser.as_ref(),
                &known,
                sender.into(),
                explain,
                stdin,
                stdout,
            )
            .await?;
            Ok(())
        }
        Command::Score {
            known_items,
            min,
            max_harmful,
            show,
            json,
            corpora,
        } => {
            let known = known_items_or_db(&settings, known_items).await?;
            let understanding = Understanding::from_settings(&settings.llm);
            let reports = parsing::score::run_files(
                understanding.parser.as_ref(),
                &known,
                &corpora,
                show,
                json.as_deref(),
            )
            .await?;
            parsing::score::check(&reports, min, max_harmful)
        }
        Command::Staff { action } => roles(&settings, Role::Staff, action).await,
        Command::Owner { action } => roles(&settings, Role::Owner, action).await,
        Command::Token { action } => token(&settings, action).await,
        Command::Webhook { action } => webhook(&settings, action).await,
        Command::Catalog { action } => catalog(&settings, action).await,
        Command::Backup { path } => {
            let db = Db::connect(&settings.database_url).await?;
            anyhow::ensure!(
                db.backend() == storage::Backend::Sqlite,
                "backup copies SQLite files; for PostgreSQL use pg_dump"
            );
            anyhow::ensure!(!path.exists(), "{} already exists", path.display());
            storage::backup(&db, &path).await?;
            db.close().await;
            println!("backed up to {}", path.display());
            Ok(())
        }
        Command::Openapi => {
            use std::io::Write;
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{:#}", crate::api::openapi_document());
            Ok(())
        }
        Command::Migrate => {
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            tracing::info!(database = db.backend_name(), "migrations applied");
            Ok(())
        }
    }
}

/// `backroom catalog pull|push`.
async fn catalog(settings: &Settings, action: CatalogAction) -> anyhow::Result<()> {
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    match action {
        CatalogAction::Pull => {
            let prefs = crate::config::prefs::Prefs::new(&settings.shop);
            let fallback = storage::prefs::order_currency(&db).await?;
            prefs.apply(&storage::prefs::all(&db).await?, fallback.as_deref());
            let p = crate::ops::catalog::pull(&db, settings, &prefs.get().currency).await?;
            for why in &p.skipped {
                eprintln!("skipped {why}");
            }
            println!(
                "{} items created, {} updated, {} skipped",
                p.created,
                p.updated,
                p.skipped.len()
            );
        }
        CatalogAction::Push => {
            let n = crate::ops::catalog::push_all(&db, settings).await?;
            println!("{n} items queued; the running server sends them within half a minute");
        }
    }
    db.close().await;
    Ok(())
}

/// `backroom staff|owner add|remove|list`.
async fn roles(settings: &Settings, role: Role, action: RoleAction) -> anyhow::Result<()> {
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    match action {
        RoleAction::Add { phone } => {
            let phone = digits(&phone)?;
            contacts::set_role(&db, &phone, role).await?;
            println!("{phone} is now {}", role.as_str());
        }
        RoleAction::Remove { phone } => {
            let phone = digits(&phone)?;
            match contacts::get(&db, &phone).await? {
                Some(c) if c.role() == role => {
                    contacts::set_role(&db, &phone, Role::Customer).await?;
                    println!("{phone} is now a customer");
                }
                _ => println!("{phone} was not {}; nothing changed", role.as_str()),
            }
        }
        RoleAction::List => {
            for c in contacts::list(&db, Some(role)).await? {
                println!("{}\t{}", c.wa_id, c.profile_name.unwrap_or_default());
            }
        }
    }
    db.close().await;
    Ok(())
}

/// `backroom token create|list|revoke`.
async fn token(settings: &Settings, action: TokenAction) -> anyhow::Result<()> {
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    match action {
        TokenAction::Create { name, scopes } => {
            let (name, scopes) =
                crate::api::tokens::checked(&name, &scopes).map_err(|e| anyhow::anyhow!("{e}"))?;
            let new = crate::api::auth::create(&db, &name, &scopes).await?;
            eprintln!(
                "token {} ({}) with scopes {}; it is shown only now:",
                new.row.id, new.row.name, new.row.scopes
            );
            println!("{}", new.token);
        }
        TokenAction::List => {
            for t in storage::tokens::list(&db).await? {
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else {
                    "live"
                };
                println!(
                    "{}\t{}…\t{}\t{}\t{}",
                    t.id, t.prefix, t.scopes, state, t.name
                );
            }
        }
        TokenAction::Revoke { id } => {
            if storage::tokens::revoke(&db, id, storage::now_ms()).await? {
                println!("token {id} revoked");
            } else {
                anyhow::bail!("no live token with id {id}");
            }
        }
    }
    db.close().await;
    Ok(())
}

/// `backroom webhook add|list|remove`.
async fn webhook(settings: &Settings, action: WebhookAction) -> anyhow::Result<()> {
    use crate::storage::subscriptions::{self, SubscriptionFields};
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let keys = crate::app::secrets::keys(settings, &db).await?;
    match action {
        WebhookAction::Add {
            name,
            url,
            events,
            ordered,
        } => {
            let fields = SubscriptionFields {
                name,
                url,
                description: None,
                events,
                active: true,
                ordered,
            };
            let fields = crate::api::subscriptions::checked(&settings.webhooks, fields)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let secret = crate::events::sign::new_secret();
            let row =
                subscriptions::create(&db, &keys, &fields, &secret, storage::now_ms()).await?;
            eprintln!(
                "webhook {} ({}) → {}; its signing secret, shown only now:",
                row.id, row.name, row.url
            );
            println!("{secret}");
        }
        WebhookAction::List => {
            for w in subscriptions::list(&db).await? {
                let state = if w.active == 1 { "active" } else { "disabled" };
                println!("{}\t{}\t{}\t{}\t{}", w.id, state, w.events, w.url, w.name);
            }
        }
        WebhookAction::Remove { id } => {
            anyhow::ensure!(
                subscriptions::delete(&db, id).await?,
                "no webhook with id {id}"
            );
            println!("webhook {id} removed");
        }
    }
    db.close().await;
    Ok(())
}

/// The shop's item names: from a file (one per line), or the database's.
async fn known_items_or_db(
    settings: &Settings,
    file: Option<std::path::PathBuf>,
) -> anyhow::Result<KnownItems> {
    Ok(match file {
        Some(path) => parsing::batch::known_items_from(&std::fs::read_to_string(&path)?),
        None => {
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            KnownItems::new(storage::items::names(&db).await?)
        }
    })
}

/// A phone number as WhatsApp ids write it: digits only.
fn digits(phone: &str) -> anyhow::Result<String> {
    crate::config::normalise_phone(phone).ok_or_else(|| {
        anyhow::anyhow!(
            "{phone:?} is not a phone number (digits, optionally with +, spaces or dashes)"
        )
    })
}

/// Resolves on Ctrl-C or SIGTERM (what Render and Docker send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown requested");
}
