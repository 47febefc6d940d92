//! The command line: `backroom [serve]`, `backroom migrate`.

use clap::{Parser, Subcommand};

use crate::{
    app::App,
    config::Settings,
    parsing::{self, KnownItems, Understanding},
    storage::{self, Db},
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
    /// Parse messages: one JSON string per line on stdin, one result per line on stdout.
    Parse {
        /// The shop's item names, one per line, instead of those in the database.
        #[arg(long, value_name = "FILE")]
        known_items: Option<std::path::PathBuf>,
        /// Add an "explain" field: which parser answered, and why.
        #[arg(long)]
        explain: bool,
    },
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
        } => {
            let known = match known_items {
                Some(path) => parsing::batch::known_items_from(&std::fs::read_to_string(&path)?),
                None => {
                    let db = Db::connect(&settings.database_url).await?;
                    db.migrate().await?;
                    KnownItems::new(storage::items::names(&db).await?)
                }
            };
            let understanding = Understanding::from_settings(&settings.llm);
            let stdin = std::io::stdin().lock();
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            parsing::batch::run(
                understanding.parser.as_ref(),
                &known,
                explain,
                stdin,
                stdout,
            )
            .await?;
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
